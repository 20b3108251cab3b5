/*
 * http.c: the libmicrohttpd server: connection limits, per-request state,
 * body collection, logging, and the handlers of the citizen routes.
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

#include "answers.h"
#include "buf.h"
#include "gz.h"
#include "i18n.h"
#include "render.h"
#include "urlenc.h"
#include <jansson.h>

#define MAX_FIELDS 200
/* Smaller bodies gain less from gzip than its header costs. */
#define GZ_MIN 512

struct http_server {
    struct MHD_Daemon *d;
    app_t *app;
    http_config_t cfg;
};

typedef struct req {
    char           *method, *url;
    struct timespec t0;
    route_t         route;
    buf_t           body;
    bool            too_large;
    bool            seen;       /* first call done */
    unsigned        status;     /* for the log */
    size_t          bytes;
} req_t;

/* ---- responses ------------------------------------------------------- */

static void common_headers(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
}

/* Queue body (taken over: freed by libmicrohttpd) with status. */
static enum MHD_Result send_buf(struct MHD_Connection *c, req_t *r, unsigned status,
                                buf_t *body, const char *type, const char *cache)
{
    /* Compress anything worth it for clients that accept gzip. */
    bool gz = false;
    if (body->len >= GZ_MIN &&
        gz_accepted(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding"))) {
        buf_t z;
        buf_init(&z);
        if ((gz = gz_compress(body->data, body->len, &z))) {
            buf_free(body);
            *body = z;
        } else {
            buf_free(&z);
        }
    }
    size_t len = body->len;
    char *data = buf_steal(body);
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!resp) { free(data); return MHD_NO; }
    if (gz) MHD_add_response_header(resp, "Content-Encoding", "gzip");
    MHD_add_response_header(resp, "Vary", "Accept-Encoding");
    MHD_add_response_header(resp, "Content-Type", type);
    MHD_add_response_header(resp, "Cache-Control", cache ? cache : "no-store");
    common_headers(resp);
    r->status = status;
    r->bytes = len;
    enum MHD_Result ret = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result send_html(struct MHD_Connection *c, req_t *r, unsigned status, buf_t *body)
{
    return send_buf(c, r, status, body, "text/html; charset=utf-8", NULL);
}

static enum MHD_Result redirect(struct MHD_Connection *c, req_t *r, unsigned status, const char *location)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, "Location", location);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    common_headers(resp);
    r->status = status;
    enum MHD_Result ret = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static lang_t visitor_lang(struct MHD_Connection *c, lang_t fallback)
{
    return i18n_negotiate(MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang"),
                          MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language"),
                          fallback);
}

static enum MHD_Result send_error(struct MHD_Connection *c, req_t *r, const app_t *app, unsigned status)
{
    buf_t b;
    buf_init(&b);
    render_error(&b, app, visitor_lang(c, LANG_ES), (int)status);
    return send_html(c, r, status, &b);
}

/* ---- handlers --------------------------------------------------------- */

/* Resolve ?p= for a form page. Returns false when p is given but unknown. */
static bool lookup_point(const app_t *app, const char *p, const point_t **out)
{
    *out = NULL;
    if (!p || !*p) return true;
    *out = points_find(&app->points, p);
    return *out != NULL;
}

/* A random version-4 UUID, from libsodium's CSPRNG. */
static void new_uuid(char out[37])
{
    unsigned char u[16];
    randombytes_buf(u, sizeof u);
    u[6] = (u[6] & 0x0F) | 0x40;
    u[8] = (u[8] & 0x3F) | 0x80;
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
             u[13], u[14], u[15]);
}

/* Submission ids come from our pages or from offline clients that make
 * their own: 8 to 64 characters of [A-Za-z0-9-]. */
static bool valid_sid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 8 || n > 64) return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

static enum MHD_Result h_survey_get(struct MHD_Connection *c, req_t *r, const app_t *app, const form_t *f)
{
    const point_t *pt;
    lang_t lang = visitor_lang(c, i18n_parse(f->lang_code[f->default_lang]) >= 0
                                  ? (lang_t)i18n_parse(f->lang_code[f->default_lang]) : LANG_ES);
    if (!lookup_point(app, MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "p"), &pt))
        return send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    char sid[37];
    new_uuid(sid);
    buf_t b;
    buf_init(&b);
    render_survey(&b, app, f, pt, lang, NULL, sid, (long)time(NULL));
    return send_html(c, r, MHD_HTTP_OK, &b);
}

static bool is_urlencoded(struct MHD_Connection *c)
{
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    if (!ct) return false;
    static const char want[] = "application/x-www-form-urlencoded";
    return !strncasecmp(ct, want, sizeof want - 1) &&
           (ct[sizeof want - 1] == '\0' || ct[sizeof want - 1] == ';' || ct[sizeof want - 1] == ' ');
}

static enum MHD_Result h_survey_post(struct MHD_Connection *c, req_t *r, app_t *app,
                                     const form_t *f, size_t fi)
{
    lang_t lang = visitor_lang(c, LANG_ES);
    if (!is_urlencoded(c)) return send_error(c, r, app, MHD_HTTP_BAD_REQUEST);

    kvlist_t post;
    urlenc_rc_t prc = urlenc_parse(r->body.data ? r->body.data : "", r->body.len, MAX_FIELDS,
                                   ANSWER_MAX_TEXT * 2, &post);
    if (prc != URLENC_OK) {
        kvlist_free(&post);
        return send_error(c, r, app, prc == URLENC_TOO_MANY || prc == URLENC_TOO_LONG
                                         ? MHD_HTTP_CONTENT_TOO_LARGE : MHD_HTTP_BAD_REQUEST);
    }

    const point_t *pt;
    if (!lookup_point(app, MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "p"), &pt)) {
        kvlist_free(&post);
        return send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    }

    buf_t thanks;
    buf_init(&thanks);
    buf_puts(&thanks, "/e/");
    buf_urlenc(&thanks, f->id);
    buf_printf(&thanks, "/gracias?lang=%s", i18n_code(lang));
    enum MHD_Result ret;

    /* A bot filled the field people cannot see: answer as if stored. */
    const char *hp = kvlist_get(&post, "_web");
    if (hp && *hp) {
        ret = redirect(c, r, MHD_HTTP_SEE_OTHER, thanks.data);
        goto out;
    }

    char fresh_sid[37];
    const char *sid = kvlist_get(&post, "_sid");
    if (!valid_sid(sid)) {
        new_uuid(fresh_sid);
        sid = fresh_sid;
    }
    const char *ts = kvlist_get(&post, "_t");
    long started = ts ? strtol(ts, NULL, 10) : 0;

    answers_t a;
    answers_init(&a, f);
    answers_prefill_service(&a, pt ? pt->service->id : NULL);
    answers_from_post(&a, &post);
    if (answers_validate(&a)) {
        buf_t b;
        buf_init(&b);
        render_survey(&b, app, f, pt, lang, &a, sid, started);
        ret = send_html(c, r, MHD_HTTP_UNPROCESSABLE_CONTENT, &b);
        answers_free(&a);
        goto out;
    }

    store_answer_t *ans = xcalloc(f->nq, sizeof *ans);
    size_t n = 0;
    for (size_t i = 0; i < f->nq; i++)
        if (a.val[i]) ans[n++] = (store_answer_t){ f->q[i].name, a.val[i] };
    time_t now = time(NULL);
    long took = now - started;
    store_response_t resp = {
        .submission_id = sid, .form_version_id = app->form_version_id[fi], .form_id = f->id,
        .point_id = pt ? pt->id : NULL, .lang = i18n_code(lang), .channel = "web",
        .submitted_hour = (int64_t)(now - now % 3600),
        .duration_s = started > 0 && took >= 0 && took <= 86400 ? (int)took : -1,
        .answers = ans, .nanswers = n,
    };
    int src = store_submit(app->store, &resp);
    free(ans);
    answers_free(&a);
    if (src == STORE_ERR) ret = send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    else ret = redirect(c, r, MHD_HTTP_SEE_OTHER, thanks.data);
out:
    buf_free(&thanks);
    kvlist_free(&post);
    return ret;
}

static enum MHD_Result h_static(struct MHD_Connection *c, req_t *r, const app_t *app)
{
    const static_file_t *sf = app_file(app, r->route.arg);
    if (!sf) return send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
    struct MHD_Response *resp;
    unsigned status;
    if (inm && !strcmp(inm, sf->etag)) {
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        status = MHD_HTTP_NOT_MODIFIED;
    } else if (sf->gz && gz_accepted(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding"))) {
        resp = MHD_create_response_from_buffer(sf->gz_len, sf->gz, MHD_RESPMEM_PERSISTENT);
        if (resp) MHD_add_response_header(resp, "Content-Encoding", "gzip");
        status = MHD_HTTP_OK;
        r->bytes = sf->gz_len;
    } else {
        resp = MHD_create_response_from_buffer(sf->len, sf->data, MHD_RESPMEM_PERSISTENT);
        status = MHD_HTTP_OK;
        r->bytes = sf->len;
    }
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, "Vary", "Accept-Encoding");
    MHD_add_response_header(resp, "Content-Type", sf->type);
    MHD_add_response_header(resp, "Cache-Control", "public, max-age=86400");
    MHD_add_response_header(resp, "ETag", sf->etag);
    common_headers(resp);
    r->status = status;
    enum MHD_Result ret = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

typedef struct counts_ctx { json_t *counts; } counts_ctx_t;

static void count_cb(void *arg, const char *form_id, int64_t n)
{
    counts_ctx_t *cc = arg;
    json_object_set_new(cc->counts, form_id, json_integer(n));
}

static enum MHD_Result send_json(struct MHD_Connection *c, req_t *r, unsigned status, json_t *root)
{
    char *s = json_dumps(root, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(root);
    if (!s) return MHD_NO;
    buf_t b;
    buf_init(&b);
    buf_puts(&b, s);
    buf_putc(&b, '\n');
    free(s);
    return send_buf(c, r, status, &b, "application/json", "no-store");
}

static enum MHD_Result h_api_forms(struct MHD_Connection *c, req_t *r, const app_t *app)
{
    counts_ctx_t cc = { json_object() };
    if (store_form_counts(app->store, count_cb, &cc) != STORE_OK) {
        json_decref(cc.counts);
        json_t *err = json_pack("{s:s}", "error", "database error");
        return send_json(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, err);
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < app->nforms; i++) {
        const form_t *f = app->forms[i];
        json_t *title = json_object();
        for (int l = 0; l < f->nlangs; l++)
            if (f->lang_code[l][0]) json_object_set_new(title, f->lang_code[l], json_string(form_text(f, &f->title, l)));
        json_t *n = json_object_get(cc.counts, f->id);
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:o,s:s,s:I}", "id", f->id,
            "title", form_text(f, &f->title, f->default_lang), "version", f->version,
            "titles", title, "hash", f->hash, "responses", (json_int_t)(n ? json_integer_value(n) : 0)));
    }
    json_decref(cc.counts);
    return send_json(c, r, MHD_HTTP_OK, json_pack("{s:o}", "forms", arr));
}

static enum MHD_Result h_api_indicators(struct MHD_Connection *c, req_t *r)
{
    /* The indicators issue fills this; until then an honest empty list. */
    return send_json(c, r, MHD_HTTP_OK,
                     json_pack("{s:[],s:s}", "indicators", "sample", "non-probability"));
}

/* ---- dispatch ------------------------------------------------------------ */

static enum MHD_Result dispatch(struct MHD_Connection *c, req_t *r, app_t *app)
{
    bool get = !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD");
    bool post = !strcmp(r->method, "POST");
    const form_t *f = NULL;
    size_t fi = 0;

    if (r->route.id == R_SURVEY || r->route.id == R_THANKS) {
        f = app_form(app, r->route.arg, &fi);
        if (!f) return send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    }
    if (!(get || (post && r->route.id == R_SURVEY))) {
        if (r->route.id == R_NOT_FOUND) return send_error(c, r, app, MHD_HTTP_NOT_FOUND);
        return send_error(c, r, app, MHD_HTTP_METHOD_NOT_ALLOWED);
    }
    if (r->too_large) return send_error(c, r, app, MHD_HTTP_CONTENT_TOO_LARGE);

    buf_t b;
    buf_init(&b);
    switch (r->route.id) {
    case R_INDEX:
        render_index(&b, app, visitor_lang(c, LANG_ES));
        return send_html(c, r, MHD_HTTP_OK, &b);
    case R_HEALTH:
        buf_puts(&b, "ok\n");
        return send_buf(c, r, MHD_HTTP_OK, &b, "text/plain; charset=utf-8", "no-store");
    case R_STATIC:
        return h_static(c, r, app);
    case R_SURVEY:
        return post ? h_survey_post(c, r, app, f, fi) : h_survey_get(c, r, app, f);
    case R_THANKS: {
        const point_t *pt;
        lookup_point(app, MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "p"), &pt);
        render_thanks(&b, app, f, pt, visitor_lang(c, LANG_ES));
        return send_html(c, r, MHD_HTTP_OK, &b);
    }
    case R_API_FORMS:
        return h_api_forms(c, r, app);
    case R_API_INDICATORS:
        return h_api_indicators(c, r);
    case R_SHORT:
    case R_NOT_FOUND:
    case R_COUNT:
        break;
    }
    return send_error(c, r, app, MHD_HTTP_NOT_FOUND);
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
            return send_error(c, r, s->app, MHD_HTTP_CONTENT_TOO_LARGE);
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
