/*
 * http_respond.c: building and queueing responses, with the headers every
 * response carries and gzip for clients that accept it.
 */
#include "http/http_int.h"

#include <arpa/inet.h>
#include <malloc.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/gz.h"
#include "view/render.h"

/* Smaller bodies gain less from gzip than its header costs. */
#define GZ_MIN 512

void http_common_headers(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
}

/* Each thread keeps one sent body's buffer of page size (SPARE_MIN to
 * SPARE_MAX bytes usable) for the next body it builds (http_body_reserve):
 * a fresh 16 KB malloc and its free, with glibc's consolidation of small
 * chunks that a block that large sets off, cost about 2% of the survey
 * page (perf). Thread-specific rather than _Thread_local so that a
 * thread's spare is freed when the thread ends. */
#define SPARE_MIN (8 * 1024)
#define SPARE_MAX (64 * 1024)
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;

static void spare_init(void)
{
    if (pthread_key_create(&spare_key, free)) abort();
}

/* libmicrohttpd's free callback of every body from send_body: keep p as
 * this thread's spare if it is page-sized and there is none, else free. */
static void body_release(void *p)
{
    pthread_once(&spare_once, spare_init);
    size_t n = malloc_usable_size(p);
    if (n >= SPARE_MIN && n <= SPARE_MAX && !pthread_getspecific(spare_key) &&
        !pthread_setspecific(spare_key, p))
        return;
    free(p);
}

void http_body_reserve(buf_t *b, size_t n)
{
    pthread_once(&spare_once, spare_init);
    char *p = b->data ? NULL : pthread_getspecific(spare_key);
    size_t cap = p ? malloc_usable_size(p) : 0;
    if (p && cap > n) {
        pthread_setspecific(spare_key, NULL);
        b->data = p;
        b->cap = cap;
        b->len = 0;
        p[0] = '\0';
        return;
    }
    buf_reserve(b, n);
}

/* Queue body (taken over: freed by libmicrohttpd), gzip-encoded or not,
 * as a download named filename when that is not NULL. */
static enum MHD_Result send_body(struct MHD_Connection *c, req_t *r, unsigned status, buf_t *body,
                                 bool gz, const char *type, const char *cache, const char *filename)
{
    size_t len = body->len;
    char *data = buf_steal(body);
    struct MHD_Response *resp = data
        ? MHD_create_response_from_buffer_with_free_callback(len, data, body_release)
        : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp) { free(data); return MHD_NO; }
    if (gz) MHD_add_response_header(resp, "Content-Encoding", "gzip");
    if (filename) {
        buf_t d;
        buf_init(&d);
        buf_printf(&d, "attachment; filename=\"%s\"", filename);
        MHD_add_response_header(resp, "Content-Disposition", d.data);
        buf_free(&d);
    }
    r->bytes = len;
    return http_queue(c, r, status, resp, type, cache);
}

/* Queue body (taken over: freed by libmicrohttpd) with status. */
enum MHD_Result http_send_buf(struct MHD_Connection *c, req_t *r, unsigned status,
                                buf_t *body, const char *type, const char *cache)
{
    return http_send_file(c, r, status, body, type, cache, NULL);
}

enum MHD_Result http_send_file(struct MHD_Connection *c, req_t *r, unsigned status, buf_t *body,
                               const char *type, const char *cache, const char *filename)
{
    /* Compress anything worth it for clients that accept gzip. */
    bool gz = false;
    bool textual = !strncmp(type, "text/", 5) || strstr(type, "json") || strstr(type, "svg");
    if (textual && body->len >= GZ_MIN && http_gzip_ok(c)) {
        buf_t z;
        buf_init(&z);
        if ((gz = gz_compress(body->data, body->len, &z))) {
            buf_free(body);
            *body = z;
        } else {
            buf_free(&z);
        }
    }
    return send_body(c, r, status, body, gz, type, cache, filename);
}

enum MHD_Result http_send_gzipped(struct MHD_Connection *c, req_t *r, unsigned status,
                                  buf_t *gzipped, const char *type, const char *cache)
{
    return send_body(c, r, status, gzipped, true, type, cache, NULL);
}

bool http_gzip_ok(struct MHD_Connection *c)
{
    return gz_accepted(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding"));
}

/* Queue resp (the caller's reference released), or keep it in r while
 * r->hold (a heavy request on a worker, http_heavy.c): it is queued when
 * the connection is resumed. */
static enum MHD_Result http_queue_now(struct MHD_Connection *c, req_t *r, unsigned status,
                                      struct MHD_Response *resp)
{
    r->status = status;
    if (r->hold) {
        if (r->held) MHD_destroy_response(r->held);    /* a handler answers once */
        r->held = resp;
        r->held_status = status;
        return MHD_YES;
    }
    enum MHD_Result ret = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

enum MHD_Result http_queue(struct MHD_Connection *c, req_t *r, unsigned status,
                           struct MHD_Response *resp, const char *type, const char *cache)
{
    MHD_add_response_header(resp, "Vary", r && r->vary ? r->vary : "Accept-Encoding");
    MHD_add_response_header(resp, "Content-Type", type);
    MHD_add_response_header(resp, "Cache-Control", cache ? cache : "no-store");
    http_common_headers(resp);
    return http_queue_now(c, r, status, resp);
}

enum MHD_Result http_send_preview(struct MHD_Connection *c, req_t *r, buf_t *body)
{
    size_t len = body->len;
    char *data = buf_steal(body);
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, data ? data : (char *)"",
                                                                data ? MHD_RESPMEM_MUST_FREE
                                                                     : MHD_RESPMEM_PERSISTENT);
    if (!resp) { free(data); return MHD_NO; }
    /* The staff page frames it; its buttons must not send answers to the
     * survey being served (or to anywhere). */
    MHD_add_response_header(resp, "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'none'; frame-ancestors 'self'; base-uri 'none'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "Content-Type", "text/html; charset=utf-8");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    r->bytes = len;
    return http_queue_now(c, r, MHD_HTTP_OK, resp);
}

enum MHD_Result http_send_html(struct MHD_Connection *c, req_t *r, unsigned status, buf_t *body)
{
    return http_send_buf(c, r, status, body, "text/html; charset=utf-8", NULL);
}

enum MHD_Result http_redirect(struct MHD_Connection *c, req_t *r, unsigned status, const char *location)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, "Location", location);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    http_common_headers(resp);
    return http_queue_now(c, r, status, resp);
}

lang_t http_lang(struct MHD_Connection *c, lang_t fallback)
{
    return i18n_negotiate(http_arg(c, "lang"),
                          MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language"),
                          fallback);
}

enum MHD_Result http_send_error(struct MHD_Connection *c, req_t *r, const app_t *app, unsigned status)
{
    if (r && (r->route.id == R_SURVEY_LIVE || r->route.id == R_REGISTER_LIVE))
        return http_live_error(c, r, status);   /* a script's */
    buf_t b;
    buf_init(&b);
    /* Refused before dispatch: the page still needs the forms. */
    if (app && !r->forms) r->forms = app_forms_take(app);
    render_error(&b, r->forms ? &r->forms->cat : NULL, http_lang(c, LANG_ES), (int)status);
    return http_send_html(c, r, status, &b);
}

enum MHD_Result http_send_json(struct MHD_Connection *c, req_t *r, unsigned status, json_t *root)
{
    /* 15 significant digits: a figure rounded to 4 decimals would print
     * with 17 as 58.920699999999997. */
    char *s = json_dumps(root, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(15));
    json_decref(root);
    if (!s) return MHD_NO;
    buf_t b;
    buf_init(&b);
    buf_puts(&b, s);
    buf_putc(&b, '\n');
    free(s);
    return http_send_buf(c, r, status, &b, "application/json", "no-store");
}

const char *http_arg(struct MHD_Connection *c, const char *key)
{
    return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, key);
}

const char *http_header_in(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

/* Header iterator: leaves in *cls the value of the last X-Forwarded-For
 * line seen (owned by libmicrohttpd, valid for the request). */
static enum MHD_Result last_xff(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    if (key && value && strcasecmp(key, "X-Forwarded-For") == 0) *(const char **)cls = value;
    return MHD_YES;
}

size_t http_client_key(struct MHD_Connection *c, unsigned char out[16])
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    bool loopback = false;
    size_t n = 0;
    if (sa && sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        memcpy(out, &in->sin_addr, 4);
        n = 4;
        loopback = out[0] == 127;
    } else if (sa && sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
            memcpy(out, in6->sin6_addr.s6_addr + 12, 4);
            n = 4;
            loopback = out[0] == 127;
        } else {
            memcpy(out, &in6->sin6_addr, 8);
            n = 8;
            loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
        }
    }
    /* A client may send X-Forwarded-For lines of its own ahead of the
     * proxy's (libmicrohttpd keeps each line as its own entry, in order):
     * only the last element of the last line is what the proxy appended. */
    const char *xff = NULL;
    if (loopback) MHD_get_connection_values(c, MHD_HEADER_KIND, last_xff, &xff);
    if (xff) {
        const char *last = strrchr(xff, ',');
        last = last ? last + 1 : xff;
        last += strspn(last, " \t");
        char text[INET6_ADDRSTRLEN];
        snprintf(text, sizeof text, "%s", last);
        text[strcspn(text, " \t")] = '\0';
        unsigned char a[16];
        if (inet_pton(AF_INET, text, a) == 1) {
            memcpy(out, a, 4);
            n = 4;
        } else if (inet_pton(AF_INET6, text, a) == 1) {
            memcpy(out, a, 8);
            n = 8;
        }
    }
    return n;
}
