/*
 * http_heavy.c: the pool that answers heavy requests off the page threads.
 *
 * Why: libmicrohttpd's page threads are as many as the cores. A report
 * over a million responses, or an export, keeps a page thread for
 * hundreds of milliseconds to seconds, and every connection that thread
 * polls waits meanwhile: 32 concurrent API requests from one address once
 * raised a visitor's survey page from 0.3 ms to 1.67 s (issue 14). So a
 * heavy route's handler runs on a worker here instead: the page thread
 * suspends the connection (MHD_suspend_connection, via http_suspend) and
 * goes back to its other connections; the worker runs the handler with
 * req_t.hold set, so its response is kept in the req_t instead of queued
 * (http_respond.c); then it resumes the connection (http_resume) and the
 * page thread, called again for it, queues the kept response
 * (libmicrohttpd queues responses only from its own threads). Reading the
 * request's headers and arguments from the worker is safe: a suspended
 * connection is not touched by libmicrohttpd until it is resumed.
 *
 * The workers run at a lower scheduling priority (nice +10, per thread on
 * Linux), so on a machine with as many busy workers as cores the page
 * threads still get the processor first.
 *
 * Limits: HEAVY_PER_ADDR heavy requests of one address in flight (429
 * with Retry-After over it: one address cannot take every worker) and
 * HEAVY_MAX in total (503 with Retry-After: the queue, and the memory of
 * the requests waiting in it, stays bounded). Addresses are counted by a
 * keyed hash (as ratelimit.c), never kept as such.
 *
 * State: one heavy_job_t per request, hung on its req_t and freed in the
 * completion callback (heavy_job_free), so an aborted connection leaks
 * nothing.
 */
#include "http/http_heavy.h"

#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "service/db.h"
#include "view/render.h"

typedef struct heavy_job {
    heavy_t               *hv;
    req_t                 *r;
    struct MHD_Connection *c;
    app_t                 *app;
    http_handler_fn        h;
    uint64_t               who;       /* keyed hash of the client's address */
    enum MHD_Result        ret;       /* the handler's */
    struct heavy_job      *next;      /* in the queue */
} heavy_job_t;

/* One address with heavy requests in flight. */
typedef struct addr_count {
    uint64_t who;
    unsigned n;                       /* 0: free */
} addr_count_t;

struct heavy {
    pthread_mutex_t mu;               /* guards everything below */
    pthread_cond_t  cv;               /* a job is queued, or stopping */
    heavy_job_t    *qhead, **qtail;
    unsigned        inflight;         /* queued or running */
    unsigned        per_addr, max;
    addr_count_t   *addrs;            /* max entries: at most max addresses */
    bool            stopping;
    unsigned        nthreads;
    pthread_t      *threads;
    unsigned char   key[crypto_shorthash_KEYBYTES];
};

bool heavy_route(route_id_t id)
{
    switch (id) {
    case R_API_INDICATORS: case R_API_IND_CSV: case R_API_IND_XLSX:
    case R_DASHBOARD: case R_PLAN:
    case R_PLAN_PDF: case R_PLAN_XLSX:   /* issue 18: the report for the MAP */
    case R_API_RESP_CSV: case R_API_RESP_XLSX:
    /* A draft's preview loads the whole catalog with the draft in it. */
    case R_FORM_DRAFT: case R_FORM_PREVIEW:
        return true;
    default:
        return false;
    }
}

/* Take one slot for who: 0, or the status of the refusal (429: this
 * address has per_addr in flight; 503: the pool has max). Caller holds
 * hv->mu. */
static unsigned take(heavy_t *hv, uint64_t who)
{
    if (hv->inflight >= hv->max) return MHD_HTTP_SERVICE_UNAVAILABLE;
    addr_count_t *freeslot = NULL;
    for (unsigned i = 0; i < hv->max; i++) {
        addr_count_t *a = &hv->addrs[i];
        if (a->n && a->who == who) {
            if (a->n >= hv->per_addr) return MHD_HTTP_TOO_MANY_REQUESTS;
            a->n++;
            hv->inflight++;
            return 0;
        }
        if (!a->n && !freeslot) freeslot = a;
    }
    /* inflight < max, so some entry is free. */
    freeslot->who = who;
    freeslot->n = 1;
    hv->inflight++;
    return 0;
}

/* Give back who's slot. Caller holds hv->mu. */
static void give(heavy_t *hv, uint64_t who)
{
    for (unsigned i = 0; i < hv->max; i++)
        if (hv->addrs[i].n && hv->addrs[i].who == who) {
            hv->addrs[i].n--;
            break;
        }
    hv->inflight--;
}

static void give_locked(heavy_t *hv, uint64_t who)
{
    pthread_mutex_lock(&hv->mu);
    give(hv, who);
    pthread_mutex_unlock(&hv->mu);
}

/* Called on a page thread once the worker resumed the connection: queue
 * the response the handler left in r. */
static enum MHD_Result on_resumed(struct MHD_Connection *c, req_t *r, app_t *app)
{
    (void)app;
    heavy_job_t *job = r->heavy;
    if (!r->held) return MHD_NO;               /* the handler failed: close */
    enum MHD_Result ret = MHD_queue_response(c, r->held_status, r->held);
    MHD_destroy_response(r->held);
    r->held = NULL;
    return job && job->ret == MHD_NO ? MHD_NO : ret;
}

static void *worker_main(void *arg)
{
    heavy_t *hv = arg;
    /* Lower than the page threads (see the top). Best effort: a failure
     * leaves the worker at the server's priority. */
    (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
    pthread_mutex_lock(&hv->mu);
    for (;;) {
        while (!hv->qhead && !hv->stopping) pthread_cond_wait(&hv->cv, &hv->mu);
        if (!hv->qhead) break;                  /* stopping, nothing left */
        heavy_job_t *job = hv->qhead;
        if (!(hv->qhead = job->next)) hv->qtail = &hv->qhead;
        pthread_mutex_unlock(&hv->mu);

        req_t *r = job->r;
        r->hold = true;
        /* Long reads on a connection of this worker's own (store.h), so
         * the page threads' reads never wait behind a report. */
        (void)svc_db_reader_own(job->app->store);
        job->ret = job->h(job->c, r, job->app);
        r->hold = false;

        pthread_mutex_lock(&hv->mu);
        give(hv, job->who);
        pthread_mutex_unlock(&hv->mu);
        http_resume(r);                         /* r is the page thread's again */
        pthread_mutex_lock(&hv->mu);
    }
    pthread_mutex_unlock(&hv->mu);
    svc_db_reader_release();
    return NULL;
}

heavy_t *heavy_new(unsigned workers, unsigned per_addr, unsigned max)
{
    if (sodium_init() < 0 || !workers || !per_addr || !max) return NULL;
    heavy_t *hv = xcalloc(1, sizeof *hv);
    pthread_mutex_init(&hv->mu, NULL);
    pthread_cond_init(&hv->cv, NULL);
    hv->qtail = &hv->qhead;
    hv->per_addr = per_addr;
    hv->max = max;
    hv->addrs = xcalloc(max, sizeof *hv->addrs);
    hv->threads = xcalloc(workers, sizeof *hv->threads);
    randombytes_buf(hv->key, sizeof hv->key);
    for (; hv->nthreads < workers; hv->nthreads++)
        if (pthread_create(&hv->threads[hv->nthreads], NULL, worker_main, hv) != 0) {
            fputs("buzon: cannot start the report workers\n", stderr);
            heavy_free(hv);
            return NULL;
        }
    return hv;
}

void heavy_free(heavy_t *hv)
{
    if (!hv) return;
    pthread_mutex_lock(&hv->mu);
    hv->stopping = true;
    pthread_cond_broadcast(&hv->cv);
    pthread_mutex_unlock(&hv->mu);
    for (unsigned i = 0; i < hv->nthreads; i++) pthread_join(hv->threads[i], NULL);
    pthread_mutex_destroy(&hv->mu);
    pthread_cond_destroy(&hv->cv);
    free(hv->threads);
    free(hv->addrs);
    sodium_memzero(hv->key, sizeof hv->key);
    free(hv);
}

void heavy_job_free(heavy_job_t *job)
{
    if (!job) return;
    if (job->r->held) {
        MHD_destroy_response(job->r->held);
        job->r->held = NULL;
    }
    free(job);
}

/* The refusal with status (429 or 503) and Retry-After: JSON under /api/,
 * else a page in the visitor's language. */
static enum MHD_Result refuse(struct MHD_Connection *c, req_t *r, app_t *app, unsigned status)
{
    (void)app;
    bool busy = status == MHD_HTTP_SERVICE_UNAVAILABLE;
    unsigned wait = busy ? HEAVY_RETRY_BUSY_S : HEAVY_RETRY_ADDR_S;
    buf_t b;
    buf_init(&b);
    const char *type;
    if (!strncmp(r->url, "/api/", 5)) {
        buf_printf(&b, "{\"error\":\"%s\",\"retry_after\":%u}\n",
                   busy ? "too many reports in preparation; retry later"
                        : "too many requests from this address at once; retry later",
                   wait);
        type = "application/json";
    } else {
        render_notice(&b, &r->forms->cat, http_lang(c, LANG_ES), busy ? S_HEAVY_BUSY_TITLE : S_HEAVY_429_TITLE,
                      busy ? S_HEAVY_BUSY_BODY : S_HEAVY_429_BODY);
        type = "text/html; charset=utf-8";
    }
    size_t len = b.len;
    char *data = buf_steal(&b);
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!resp) { free(data); return MHD_NO; }
    char v[16];
    snprintf(v, sizeof v, "%u", wait);
    MHD_add_response_header(resp, "Retry-After", v);
    r->bytes = len;
    return http_queue(c, r, status, resp, type, "no-store");
}

enum MHD_Result heavy_run(heavy_t *hv, struct MHD_Connection *c, req_t *r, app_t *app,
                          http_handler_fn h)
{
    /* A request the door will refuse (a staff-only report without any
     * session cookie) is answered at once on this thread: it costs
     * nothing, and must never hold a slot staff need. */
    bool open = app->public_indicators && r->route.id != R_API_RESP_CSV && r->route.id != R_API_RESP_XLSX;
    if (!open && !MHD_lookup_connection_value(c, MHD_COOKIE_KIND, SESSION_COOKIE)) return h(c, r, app);

    unsigned char key[16];
    size_t klen = http_client_key(c, key);
    uint64_t who;
    crypto_shorthash((unsigned char *)&who, key, klen, hv->key);
    sodium_memzero(key, sizeof key);

    pthread_mutex_lock(&hv->mu);
    unsigned refused = hv->stopping ? 0 : take(hv, who);
    bool stopping = hv->stopping;
    pthread_mutex_unlock(&hv->mu);
    if (stopping) return h(c, r, app);
    if (refused) return refuse(c, r, app, refused);

    heavy_job_t *job = xcalloc(1, sizeof *job);
    *job = (heavy_job_t){ .hv = hv, .r = r, .c = c, .app = app, .h = h, .who = who };
    r->heavy = job;
    if (!http_suspend(c, r, on_resumed)) {      /* the server is stopping */
        give_locked(hv, who);
        return h(c, r, app);
    }
    pthread_mutex_lock(&hv->mu);
    *hv->qtail = job;
    hv->qtail = &job->next;
    pthread_cond_signal(&hv->cv);
    pthread_mutex_unlock(&hv->mu);
    return MHD_YES;
}
