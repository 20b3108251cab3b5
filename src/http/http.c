/*
 * http.c: the libmicrohttpd server: connection limits, per-request state,
 * body collection, logging and the route table.
 *
 * The handlers themselves live in http_survey.c, http_api.c, ... (see
 * http_int.h); this file owns the daemon, the request lifecycle and the
 * route table.
 *
 * Request lifecycle (as in libmicrohttpd's examples): the first call of
 * the access handler allocates a req_t and returns without a response,
 * because libmicrohttpd 0.9.75 sends a GET response queued on the first
 * call with "Connection: close", which cut throughput about fivefold on
 * this project's machines; upload calls append to the body up to the limit; the last call dispatches on the
 * route. The completion callback logs one line and frees the req_t.
 *
 * Limits: body size (413, refused before reading when declared), idle
 * timeout, a deadline for each whole request and unambiguous framing
 * (http_guard.h), connections in total and per address (generous: carrier-grade
 * NAT puts many phones behind one address), memory per connection, and
 * survey submissions per address (429 with Retry-After, ratelimit.h).
 *
 * Privacy: the client address is read only for per-address limits
 * (http_client_key) and kept only as a keyed hash in memory
 * (ratelimit.h); it is never logged or stored.
 */
#include "http/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <microhttpd.h>
#include <pthread.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "http/http_guard.h"
#include "model/seal.h"
#include "http/http_int.h"
#include "http/http_heavy.h"
#include "http/ratelimit.h"
#include "base/logtext.h"
#include "view/render.h"
#include "view/render_share.h"


struct http_server {
    struct MHD_Daemon *d;
    app_t *app;
    http_config_t cfg;
    ratelimit_t *rl;      /* NULL when submissions are not limited */
    ratelimit_t *rl_live; /* live recalculations per address (http_live.c) */
    http_guard_t *guard;  /* request deadline (http_guard.h) */
    heavy_t *heavy;       /* the pool of heavy routes (http_heavy.h) */
    /* Suspended requests: libmicrohttpd must not be stopped while any is
     * still waiting for its resume. */
    pthread_mutex_t mu;
    pthread_cond_t idle;
    unsigned suspended;
    bool stopping;
};

bool http_suspend(struct MHD_Connection *c, req_t *r, http_handler_fn resume)
{
    http_server_t *s = r->srv;
    pthread_mutex_lock(&s->mu);
    bool ok = !s->stopping;
    if (ok) s->suspended++;
    pthread_mutex_unlock(&s->mu);
    if (!ok) return false;
    r->resume = resume;
    MHD_suspend_connection(c);
    return true;
}

void http_resume(req_t *r)
{
    http_server_t *s = r->srv;
    MHD_resume_connection(r->conn);
    pthread_mutex_lock(&s->mu);
    if (--s->suspended == 0) pthread_cond_broadcast(&s->idle);
    pthread_mutex_unlock(&s->mu);
}

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
    [R_API_IND_CSV]    = { h_api_indicators_csv, NULL },
    [R_API_IND_XLSX]   = { h_api_indicators_xlsx, NULL },
    [R_DASHBOARD]      = { h_dashboard, NULL },
    [R_PLAN]           = { h_plan, NULL },
    [R_PLAN_PDF]       = { h_plan_pdf, NULL },    /* issue 18 */
    [R_PLAN_XLSX]      = { h_plan_xlsx, NULL },
    [R_SHORT]          = { h_short, NULL },
    [R_POSTERS]        = { h_posters, NULL },
    [R_POSTER_FILE]    = { h_poster_file, NULL },
    [R_LOGIN]          = { h_login_get, h_login_post },
    [R_LOGOUT]         = { NULL, h_logout },
    [R_PANEL]          = { h_panel, NULL },
    [R_USERS]          = { h_users, h_users_post },
    [R_AUDIT]          = { h_audit, NULL },
    [R_CASES]          = { h_cases, NULL },
    [R_CASE]           = { h_case_get, h_case_post },
    [R_TRACK_FORM]     = { h_track_form, NULL },
    [R_TRACK]          = { h_track, NULL },
    [R_API_RESP_CSV]   = { h_responses_csv, NULL },
    [R_API_RESP_XLSX]  = { h_responses_xlsx, NULL },
    [R_FORMS]          = { h_forms, h_forms_post },
    [R_FORM_DRAFT]     = { h_form_draft, h_form_publish },
    [R_FORM_PREVIEW]   = { h_form_preview, NULL },
    [R_FORM_WITHDRAW]  = { NULL, h_form_withdraw },
    [R_FORM_DRAFT_LIVE] = { NULL, h_form_preview_live },
    [R_SURVEY_LIVE]    = { NULL, h_survey_live },
    [R_API_MEDIA]      = { h_media, NULL },
    [R_SURVEY_IMAGE]   = { h_survey_image, NULL },
    [R_REGISTERS]      = { h_registers, NULL },
    [R_REGISTER]       = { h_register_get, h_register_post },
    [R_ENTRY]          = { h_entry, NULL },                  /* issue 17 */
    [R_ENTRY_FORM]     = { h_entry_form, h_entry_post },
    [R_INTERVIEWS]     = { h_interviews, NULL },
    [R_INTERVIEW]      = { h_interview, h_interview_post },
    [R_FAVICON]        = { h_favicon, NULL },
    [R_MANIFEST]       = { h_manifest, NULL },
    [R_REGISTER_LIVE]  = { NULL, h_register_live },
    [R_REGISTER_ENTRIES] = { h_register_entries, NULL },   /* issue 18 follow-up */
};

enum MHD_Result http_send_retry(struct MHD_Connection *c, req_t *r, buf_t *page, unsigned retry_after)
{
    size_t len = page->len;
    char *data = buf_steal(page);
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!resp) { free(data); return MHD_NO; }
    char v[16];
    snprintf(v, sizeof v, "%u", retry_after);
    MHD_add_response_header(resp, "Retry-After", v);
    r->bytes = len;
    return http_queue(c, r, MHD_HTTP_TOO_MANY_REQUESTS, resp, "text/html; charset=utf-8", NULL);
}

/* Seconds the client of c must wait before submitting again, 0 if it may
 * submit now (which uses up one of its submissions). */
unsigned http_submit_wait(struct MHD_Connection *c, req_t *r)
{
    const http_server_t *s = r->srv;
    if (!s->rl) return 0;
    unsigned char key[16];
    size_t len = http_client_key(c, key);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return ratelimit_take(s->rl, key, len, (double)now.tv_sec + (double)now.tv_nsec / 1e9);
}

unsigned http_live_wait(struct MHD_Connection *c, req_t *r)
{
    const http_server_t *s = r->srv;
    unsigned char key[16];
    size_t len = http_client_key(c, key);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return ratelimit_take(s->rl_live, key, len, (double)now.tv_sec + (double)now.tv_nsec / 1e9);
}

void http_live_charge(struct MHD_Connection *c, req_t *r, double seconds)
{
    const http_server_t *s = r->srv;
    if (!s->rl_live) return;
    unsigned char key[16];
    size_t len = http_client_key(c, key);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double t = (double)now.tv_sec + (double)now.tv_nsec / 1e9;
    /* One more live request's worth per 5 ms of work (at most 100; the
     * standard forms' answers take a fraction of a millisecond): a page
     * whose every answer costs half a second draws 100 of them, so one
     * address cannot keep the cores busy. */
    int k = (int)(seconds / 0.005);
    for (k = k > 100 ? 100 : k; k > 0; k--) ratelimit_take(s->rl_live, key, len, t);
}

static enum MHD_Result dispatch(struct MHD_Connection *c, req_t *r, const http_server_t *s)
{
    app_t *app = s->app;
    http_handler_fn h = NULL;
    http_guard_received(c);           /* headers and body are all here */
    if (r->route.id > R_NOT_FOUND && r->route.id < R_COUNT)
        h = r->is_get ? handlers[r->route.id].get : r->is_post ? handlers[r->route.id].post : NULL;
    if (!h) {
        bool known = r->route.id > R_NOT_FOUND && r->route.id < R_COUNT &&
                     (handlers[r->route.id].get || handlers[r->route.id].post);
        return http_send_error(c, r, app, known ? MHD_HTTP_METHOD_NOT_ALLOWED : MHD_HTTP_NOT_FOUND);
    }
    /* The upload page says itself what was too large. */
    if (r->too_large && r->media_form) return http_survey_too_big(c, r, app);
    if (r->too_large && !r->upload_slot) return http_send_error(c, r, app, MHD_HTTP_CONTENT_TOO_LARGE);
    if (!r->forms) r->forms = app_forms_take(app);
    if (r->is_get && heavy_route(r->route.id)) return heavy_run(s->heavy, c, r, app, h);
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
        /* One allocation per request: the path lives at the end of r. */
        size_t ulen = strlen(url);
        r = xcalloc(1, sizeof *r + ulen + 1);
        memcpy(r->url, url, ulen);
        size_t mlen = strnlen(method, sizeof r->method);
        if (mlen < sizeof r->method) memcpy(r->method, method, mlen);   /* NUL from calloc */
        else memcpy(r->method, "OTHER", 5);       /* an odd one: not cut to look like another */
        r->is_get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
        r->is_post = !strcmp(method, "POST");
        r->srv = s;
        r->conn = c;
        clock_gettime(CLOCK_MONOTONIC, &r->t0);
        route_parse(url, &r->route);
        buf_init(&r->body);
        *con_cls = r;
        /* An ambiguous length is how requests are smuggled behind a proxy. */
        if (!http_guard_framing_ok(c)) return http_guard_refuse(c, r, s->app);
        /* issue 17: a NUL in a query value would cut it short. */
        if (!http_guard_query_ok(c)) return http_guard_refuse(c, r, s->app);
        r->max_body = s->cfg.max_body;
        /* A workbook upload may be larger, once its sender is known. */
        enum MHD_Result ret;
        if (r->is_post && r->route.id == R_FORMS && !http_forms_admit(c, r, s->app, &ret)) return ret;
        /* issue 17: an interview kept offline travels sealed, a third larger */
        if (r->is_post && r->route.id == R_INTERVIEW && r->max_body < SEAL_MAX_BYTES) r->max_body = SEAL_MAX_BYTES;
        if (r->is_post && (r->route.id == R_SURVEY || r->route.id == R_REGISTER) &&
            !http_survey_admit(c, r, s->app, &ret))
            return ret;
        /* Refuse a declared oversized body before reading it. */
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > r->max_body) {
            r->too_large = true;
            return r->media_form ? http_survey_too_big(c, r, s->app)
                                 : http_send_error(c, r, s->app, MHD_HTTP_CONTENT_TOO_LARGE);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!r->too_large && r->body.len + *upload_size <= r->max_body)
            buf_append(&r->body, upload, *upload_size);
        else
            r->too_large = true;      /* keep reading, drop the bytes */
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->resume) {                  /* woken after http_suspend */
        http_handler_fn h = r->resume;
        r->resume = NULL;
        return h(c, r, s->app);
    }
    if (r->status) return MHD_YES;    /* already answered (early 413) */
    return dispatch(c, r, s);
}

/* Append the decimal digits of v at p; returns the end. */
static char *put_uint(char *p, unsigned long long v)
{
    char tmp[20];
    int n = 0;
    do tmp[n++] = (char)('0' + v % 10); while ((v /= 10) && n < 20);
    while (n) *p++ = tmp[--n];
    return p;
}

/* Write the request log line of r: "time method path status bytes ms".
 * The line is built by hand and the time text is remade once a second per
 * thread: with printf and strftime on every request, the log was 7% of
 * the survey page's cost under load (perf). The path only, never the
 * query: paths are all a log needs. */
static void log_request(const req_t *r, bool completed)
{
    static _Thread_local time_t ts_sec = -1;
    static _Thread_local char ts[24];
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long long us = (long long)(t1.tv_sec - r->t0.tv_sec) * 1000000 + (t1.tv_nsec - r->t0.tv_nsec) / 1000;
    if (us < 0) us = 0;
    time_t now = time(NULL);
    if (now != ts_sec) {
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
        ts_sec = now;
    }
    /* 24 + 1 + 24 + 1 + 203 + 1 + 20 + 1 + 20 + 1 + 20 + 13 < 384 */
    char line[384], *p = line;
    size_t n = strlen(ts);
    memcpy(p, ts, n), p += n, *p++ = ' ';
    p = logtext_put(p, r->method, 24), *p++ = ' ';
    p = logtext_put(p, r->url, 203), *p++ = ' ';
    p = put_uint(p, r->status), *p++ = ' ';
    p = put_uint(p, r->bytes), *p++ = ' ';
    long long tenths = (us + 50) / 100;       /* ms with one decimal */
    p = put_uint(p, (unsigned long long)(tenths / 10)), *p++ = '.';
    *p++ = (char)('0' + tenths % 10);
    static const char ms[] = "ms", ab[] = "ms (aborted)";
    const char *tail = completed ? ms : ab;
    n = completed ? sizeof ms - 1 : sizeof ab - 1;
    memcpy(p, tail, n), p += n, *p++ = '\n';
    fwrite(line, 1, (size_t)(p - line), stderr);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    http_guard_answered(c);           /* the next request's clock starts */
    req_t *r = *con_cls;
    if (!r) return;
    log_request(r, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
    if (r->job_free) r->job_free(r->job);
    heavy_job_free(r->heavy);
    http_forms_release(r);
    http_survey_release(r);
    app_forms_drop(((http_server_t *)cls)->app, r->forms);
    buf_free(&r->body);
    free(r);
    *con_cls = NULL;
}

/* Let the process hold cfg->max_conns connections: raise the soft limit
 * of open files to that plus what the server holds besides (database,
 * listen socket, epoll, log), up to the hard limit; when the hard limit is
 * lower, lower max_conns and say so. false with a message when even a few
 * connections would not fit. */
static bool raise_fd_limit(http_config_t *cfg)
{
    enum { RESERVE = 128 };
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0) return true;     /* keep what we have */
    rlim_t need = (rlim_t)cfg->max_conns + RESERVE;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
        if (rl.rlim_cur < RESERVE + 16) {
            fprintf(stderr, "buzon: only %llu open files allowed (ulimit -n); the server needs at least %d\n",
                    (unsigned long long)rl.rlim_cur, RESERVE + 16);
            return false;
        }
        cfg->max_conns = (unsigned)(rl.rlim_cur - RESERVE);
        fprintf(stderr, "buzon: only %llu open files allowed (ulimit -n): at most %u connections "
                        "(raise LimitNOFILE= in the systemd unit)\n",
                (unsigned long long)rl.rlim_cur, cfg->max_conns);
    }
    return true;
}

http_server_t *http_start(app_t *app, const http_config_t *cfg)
{
    if (sodium_init() < 0) {
        fputs("buzon: libsodium failed to initialise\n", stderr);
        return NULL;
    }
    http_server_t *s = xcalloc(1, sizeof *s);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->idle, NULL);
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
    if (!raise_fd_limit(&s->cfg)) {
        free(s);
        return NULL;
    }
    if (!(s->guard = http_guard_new(s->cfg.request_timeout_s, s->cfg.timeout_s))) {
        fputs("buzon: cannot start the request deadline thread\n", stderr);
        free(s);
        return NULL;
    }
    if (cfg->submit_per_min && !(s->rl = ratelimit_new(cfg->submit_per_min, cfg->submit_per_min))) {
        fputs("buzon: cannot create the submission rate limiter\n", stderr);
        http_guard_free(s->guard);
        free(s);
        return NULL;
    }
    if (!(s->rl_live = ratelimit_new(LIVE_PER_MIN, LIVE_BURST)) ||
        !(s->heavy = heavy_new(HEAVY_WORKERS, HEAVY_PER_ADDR, HEAVY_MAX))) {
        ratelimit_free(s->rl_live);
        ratelimit_free(s->rl);
        http_guard_free(s->guard);
        free(s);
        return NULL;
    }
    /* Bind here rather than in libmicrohttpd: the port (0 = any free one)
     * is then known before any server thread runs, so the default base
     * URL, read by every handler, is final before the first request. */
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    socklen_t alen = sizeof addr;
    if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lfd, 1024) < 0 ||
        getsockname(lfd, (struct sockaddr *)&addr, &alen) < 0) {
        if (errno == EADDRINUSE)
            fprintf(stderr, "buzon: the port %u is in use; choose another with --port N "
                            "(make run PORT=N)\n", cfg->port);
        else
            fprintf(stderr, "buzon: cannot listen on port %u: %s\n", cfg->port, strerror(errno));
        if (lfd >= 0) close(lfd);
        heavy_free(s->heavy);
        ratelimit_free(s->rl_live);
        ratelimit_free(s->rl);
        http_guard_free(s->guard);
        free(s);
        return NULL;
    }
    if (!app->base_url) {
        buf_t u;
        buf_init(&u);
        buf_printf(&u, "http://localhost:%u", (unsigned)ntohs(addr.sin_port));
        app->base_url = buf_steal(&u);
    }
    render_share_base(app->base_url);   /* issue 17: Open Graph addresses */
    s->d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
        MHD_ALLOW_SUSPEND_RESUME,
        0, NULL, NULL, on_request, s,
        MHD_OPTION_LISTEN_SOCKET, lfd,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s,
        MHD_OPTION_CONNECTION_LIMIT, s->cfg.max_conns,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->max_conns_per_ip,
        /* Per connection. libmicrohttpd zeroes all of it after each
         * request (2% of the survey page's cost), but 8 KB refused phones
         * carrying 4 KB of cookies (test_limits). */
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(16 * 1024),
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, http_guard_notify, s->guard,
        MHD_OPTION_END);
    if (!s->d) {
        fprintf(stderr, "buzon: cannot start the server on port %u\n", cfg->port);
        close(lfd);
        heavy_free(s->heavy);
        ratelimit_free(s->rl_live);
        ratelimit_free(s->rl);
        http_guard_free(s->guard);
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
    /* Let every suspended request be answered (requests arriving now are
     * handled synchronously), then stop. No MHD_quiesce_daemon: in
     * libmicrohttpd 0.9.75 with a thread pool on epoll it can abort
     * ("Failed to remove listen FD from epoll set"), seen in our tests. */
    pthread_mutex_lock(&s->mu);
    s->stopping = true;
    while (s->suspended) pthread_cond_wait(&s->idle, &s->mu);
    pthread_mutex_unlock(&s->mu);
    MHD_stop_daemon(s->d);            /* closes the listen socket too */
    http_guard_free(s->guard);        /* after every connection closed */
    heavy_free(s->heavy);             /* its requests were all answered */
    ratelimit_free(s->rl_live);
    ratelimit_free(s->rl);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->idle);
    free(s);
}
