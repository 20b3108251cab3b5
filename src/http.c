/*
 * http.c: the libmicrohttpd server: connection limits, per-request state,
 * body collection, logging, and the handlers of the citizen routes.
 *
 * The handlers themselves live in http_survey.c, http_api.c, ... (see
 * http_int.h); this file owns the daemon, the request lifecycle and the
 * route table.
 *
 * Request lifecycle (as in libmicrohttpd's examples): the first call of
 * the access handler allocates a req_t and returns without a response,
 * because queueing a GET response on the first call makes libmicrohttpd
 * 0.9.75 close every connection (see DESIGN.md, Field notes); upload calls
 * append to the body up to the limit; the last call dispatches on the
 * route. The completion callback logs one line and frees the req_t.
 *
 * Privacy: no client address is read, logged or stored.
 */
#include "http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "http_int.h"


struct http_server {
    struct MHD_Daemon *d;
    app_t *app;
    http_config_t cfg;
};

/* ---- dispatch ------------------------------------------------------------ */

/* The handlers of each route, by method; a NULL means 405. */
static const struct { http_handler_fn get, post; } handlers[R_COUNT] = {
    [R_INDEX]          = { h_index, NULL },
    [R_HEALTH]         = { h_health, NULL },
    [R_STATIC]         = { h_static, NULL },
    [R_SURVEY]         = { h_survey_get, h_survey_post },
    [R_THANKS]         = { h_thanks, NULL },
    [R_API_FORMS]      = { h_api_forms, NULL },
    [R_API_INDICATORS] = { h_api_indicators, NULL },
    [R_SHORT]          = { h_short, NULL },
    [R_POSTERS]        = { h_posters, NULL },
    [R_POSTER_FILE]    = { h_poster_file, NULL },
};

static enum MHD_Result dispatch(struct MHD_Connection *c, req_t *r, app_t *app)
{
    bool get = !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD");
    r->is_post = !strcmp(r->method, "POST");
    http_handler_fn h = NULL;
    if (r->route.id > R_NOT_FOUND && r->route.id < R_COUNT)
        h = get ? handlers[r->route.id].get : r->is_post ? handlers[r->route.id].post : NULL;
    if (!h) {
        bool known = r->route.id > R_NOT_FOUND && r->route.id < R_COUNT &&
                     (handlers[r->route.id].get || handlers[r->route.id].post);
        return http_send_error(c, r, app, known ? MHD_HTTP_METHOD_NOT_ALLOWED : MHD_HTTP_NOT_FOUND);
    }
    if (r->too_large) return http_send_error(c, r, app, MHD_HTTP_CONTENT_TOO_LARGE);
    return h(c, r, app);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls)
{
    (void)version;
    http_server_t *s = cls;
    req_t *r = *con_cls;
    if (!r) {
        r = xcalloc(1, sizeof *r);
        r->method = xstrdup(method);
        r->url = xstrdup(url);
        clock_gettime(CLOCK_MONOTONIC, &r->t0);
        route_parse(url, &r->route);
        buf_init(&r->body);
        *con_cls = r;
        /* Refuse a declared oversized body before reading it. */
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > s->cfg.max_body) {
            r->too_large = true;
            return http_send_error(c, r, s->app, MHD_HTTP_CONTENT_TOO_LARGE);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!r->too_large && r->body.len + *upload_size <= s->cfg.max_body)
            buf_append(&r->body, upload, *upload_size);
        else
            r->too_large = true;      /* keep reading, drop the bytes */
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->status) return MHD_YES;    /* already answered (early 413) */
    return dispatch(c, r, s->app);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls; (void)c;
    req_t *r = *con_cls;
    if (!r) return;
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - r->t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - r->t0.tv_nsec) / 1e6;
    time_t now = time(NULL);
    struct tm tm;
    char ts[32];
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    /* Log the path only: the query may carry nothing personal today, but
     * paths are all a log needs. */
    const char *q = strchr(r->url, '?');
    fprintf(stderr, "%s %s %.*s %u %zu %.1fms%s\n", ts, r->method,
            (int)(q ? (size_t)(q - r->url) : strlen(r->url)), r->url, r->status, r->bytes, ms,
            toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
    buf_free(&r->body);
    free(r->method);
    free(r->url);
    free(r);
    *con_cls = NULL;
}

http_server_t *http_start(app_t *app, const http_config_t *cfg)
{
    if (sodium_init() < 0) {
        fputs("buzon: libsodium failed to initialise\n", stderr);
        return NULL;
    }
    http_server_t *s = xcalloc(1, sizeof *s);
    s->app = app;
    s->cfg = *cfg;
    unsigned threads = cfg->threads;
    if (!threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)n : 2;
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)cfg->port);
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    if (cfg->listen && inet_pton(AF_INET, cfg->listen, &addr.sin_addr) != 1) {
        fprintf(stderr, "buzon: --listen: not an IPv4 address: %s\n", cfg->listen);
        free(s);
        return NULL;
    }
    s->d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG,
        (uint16_t)cfg->port, NULL, NULL, on_request, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s,
        MHD_OPTION_CONNECTION_LIMIT, 1000u,
        /* generous: carrier-grade NAT puts many phones behind one address */
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, 200u,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_END);
    if (!s->d) {
        fprintf(stderr, "buzon: cannot listen on port %u (in use, or no permission?)\n", cfg->port);
        free(s);
        return NULL;
    }
    return s;
}

unsigned http_port(const http_server_t *s)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

void http_stop(http_server_t *s)
{
    if (!s) return;
    MHD_stop_daemon(s->d);
    free(s);
}
