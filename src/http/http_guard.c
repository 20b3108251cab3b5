/*
 * http_guard.c: the request deadline and the framing check (see
 * http_guard.h for why libmicrohttpd 0.9.75 needs them).
 *
 * Threads: entries are added and removed by libmicrohttpd's worker threads
 * (STARTED and CLOSED notifications) and the reaper thread walks them, the
 * list under one mutex. An entry's deadline is moved by the access handler
 * and the completion callback, on every request, with an atomic store and
 * no lock: the mutex, shared by every worker thread, cost more than the
 * rest of the guard together on the survey page (perf), and the reaper
 * clears a deadline only if it is still the one it found expired (a
 * compare-and-swap), so a request that arrives meanwhile keeps its
 * connection. libmicrohttpd 0.9.75 sends the CLOSED
 * notification before it closes the socket, so while the reaper holds the
 * mutex and sees an entry, the entry's descriptor is still that
 * connection's: shutdown() cannot hit a descriptor reused by another
 * connection. The reaper only calls shutdown(SHUT_RDWR), never close():
 * libmicrohttpd sees the socket end (epoll reports the hang-up), closes it
 * and frees the connection itself, in its own thread.
 */
#include "http/http_guard.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "base/buf.h"
#include "view/render.h"

typedef struct entry {
    struct entry *prev, *next;
    struct http_guard *g;
    int      fd;
    _Atomic int64_t deadline_ms;  /* CLOCK_MONOTONIC; 0 = none (request received) */
} entry_t;

struct http_guard {
    pthread_mutex_t mu;
    pthread_cond_t  wake;    /* signalled to stop the reaper */
    pthread_t       reaper;
    bool            stop;
    entry_t        *head;
    int64_t         deadline_ms, idle_ms;
};

/* Period of the reaper's scan: a late request is closed at most this much
 * after its deadline. A scan of 10,000 entries takes some microseconds. */
#define SCAN_MS 200

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void *reap(void *arg)
{
    http_guard_t *g = arg;
    pthread_mutex_lock(&g->mu);
    while (!g->stop) {
        int64_t now = now_ms();
        for (entry_t *e = g->head; e; e = e->next) {
            int64_t d = atomic_load_explicit(&e->deadline_ms, memory_order_relaxed);
            /* Cleared first (once is enough), and only if unchanged. */
            if (d && now >= d && e->fd >= 0 &&
                atomic_compare_exchange_strong_explicit(&e->deadline_ms, &d, 0, memory_order_relaxed,
                                                        memory_order_relaxed))
                shutdown(e->fd, SHUT_RDWR);
        }
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += SCAN_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) until.tv_sec++, until.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&g->wake, &g->mu, &until);
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

http_guard_t *http_guard_new(unsigned deadline_s, unsigned idle_s)
{
    http_guard_t *g = xcalloc(1, sizeof *g);
    g->deadline_ms = (int64_t)deadline_s * 1000;
    g->idle_ms = (int64_t)idle_s * 1000;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&g->wake, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&g->mu, NULL);
    if (pthread_create(&g->reaper, NULL, reap, g) != 0) {
        pthread_cond_destroy(&g->wake);
        pthread_mutex_destroy(&g->mu);
        free(g);
        return NULL;
    }
    return g;
}

void http_guard_free(http_guard_t *g)
{
    if (!g) return;
    pthread_mutex_lock(&g->mu);
    g->stop = true;
    pthread_cond_signal(&g->wake);
    pthread_mutex_unlock(&g->mu);
    pthread_join(g->reaper, NULL);
    /* MHD_stop_daemon has closed every connection, so the list is empty;
     * free anything left all the same. */
    for (entry_t *e = g->head, *next; e; e = next) next = e->next, free(e);
    pthread_cond_destroy(&g->wake);
    pthread_mutex_destroy(&g->mu);
    free(g);
}

void http_guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                       enum MHD_ConnectionNotificationCode code)
{
    http_guard_t *g = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (!ci) return;
        entry_t *e = xcalloc(1, sizeof *e);
        e->g = g;
        e->fd = ci->connect_fd;
        pthread_mutex_lock(&g->mu);
        /* Should a CLOSED notice ever have been missed, an old entry may
         * still name this descriptor: it must never shut the new socket. */
        for (entry_t *o = g->head; o; o = o->next)
            if (o->fd == e->fd) atomic_store_explicit(&o->deadline_ms, 0, memory_order_relaxed), o->fd = -1;
        atomic_init(&e->deadline_ms, g->deadline_ms ? now_ms() + g->deadline_ms : 0);
        e->next = g->head;
        if (g->head) g->head->prev = e;
        g->head = e;
        pthread_mutex_unlock(&g->mu);
        *socket_context = e;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        entry_t *e = *socket_context;
        if (!e) return;
        pthread_mutex_lock(&g->mu);
        if (e->prev) e->prev->next = e->next;
        else g->head = e->next;
        if (e->next) e->next->prev = e->prev;
        pthread_mutex_unlock(&g->mu);
        free(e);
        *socket_context = NULL;
    }
}

/* c's entry, or NULL when it has none (its STARTED notification failed). */
static entry_t *entry_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

void http_guard_received(struct MHD_Connection *c)
{
    entry_t *e = entry_of(c);
    if (e) atomic_store_explicit(&e->deadline_ms, 0, memory_order_relaxed);
}

void http_guard_answered(struct MHD_Connection *c)
{
    entry_t *e = entry_of(c);
    if (!e) return;
    const http_guard_t *g = e->g;
    atomic_store_explicit(&e->deadline_ms, g->deadline_ms ? now_ms() + g->idle_ms + g->deadline_ms : 0,
                          memory_order_relaxed);
}

/* ---- framing ------------------------------------------------------------- */

typedef struct { unsigned content_length, transfer_encoding; bool bad_name, not_chunked; } framing_t;

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    framing_t *f = cls;
    if (!strcasecmp(key, "Content-Length")) f->content_length++;
    else if (!strcasecmp(key, "Transfer-Encoding")) {
        f->transfer_encoding++;
        /* libmicrohttpd decodes "chunked" alone; with any other coding it
         * cannot tell where the body ends (it waited for the deadline). */
        if (!value || strcasecmp(value, "chunked")) f->not_chunked = true;
    }
    if (strpbrk(key, " \t")) f->bad_name = true;
    return MHD_YES;
}

bool http_guard_framing_ok(struct MHD_Connection *c)
{
    framing_t f = { 0, 0, false, false };
    MHD_get_connection_values(c, MHD_HEADER_KIND, count_header, &f);
    return !f.bad_name && !f.not_chunked && f.content_length <= 1 && f.transfer_encoding <= 1 &&
           !(f.content_length && f.transfer_encoding);
}

/* Clears *cls (a bool) on an argument whose decoded name or value is
 * longer than its C string, and stops. */
static enum MHD_Result arg_has_nul(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                                   const char *value, size_t value_size)
{
    (void)kind;
    bool *ok = cls;
    if (strlen(key) != key_size || (value && strlen(value) != value_size)) *ok = false;
    return *ok ? MHD_YES : MHD_NO;
}

bool http_guard_query_ok(struct MHD_Connection *c)
{
    bool ok = true;
    MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, arg_has_nul, &ok);
    return ok;
}

enum MHD_Result http_guard_refuse(struct MHD_Connection *c, req_t *r, const app_t *app)
{
    buf_t b;
    buf_init(&b);
    /* Refused before dispatch: the page still needs the forms. */
    if (app && !r->forms) r->forms = app_forms_take(app);
    render_error(&b, r->forms ? &r->forms->cat : NULL, http_lang(c, LANG_ES), MHD_HTTP_BAD_REQUEST);
    size_t len = b.len;
    char *data = buf_steal(&b);
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!resp) { free(data); return MHD_NO; }
    MHD_add_response_header(resp, "Connection", "close");
    r->bytes = len;
    return http_queue(c, r, MHD_HTTP_BAD_REQUEST, resp, "text/html; charset=utf-8", NULL);
}
