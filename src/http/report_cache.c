/*
 * report_cache.c: a small table of shared indicator reports (see
 * report_cache.h). Sixteen entries under one mutex, looked up by a key
 * string: the dashboard and the API ask for a handful of filters at a
 * time, and a lookup is a few string compares next to a build of hundreds
 * of milliseconds. Builds run outside the lock, so two readers missing
 * the same key at once both build, and the later one's entry replaces the
 * earlier one's.
 */
#include "http/report_cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"

typedef struct entry {
    ind_report_t rep;         /* first: a report pointer is its entry's */
    char        *key;
    char        *form, *point, *service;   /* rep.filter's strings */
    int64_t      version;     /* data version read before building */
    double       built;       /* monotonic seconds */
    unsigned     refs;        /* readers holding rep */
    bool         cached;      /* still in the table */
} entry_t;

struct report_cache {
    pthread_mutex_t mu;
    entry_t *slot[REPORT_CACHE_SLOTS];
};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static void entry_free(entry_t *e)
{
    ind_report_free(&e->rep);
    free(e->key);
    free(e->form);
    free(e->point);
    free(e->service);
    free(e);
}

report_cache_t *report_cache_new(void)
{
    report_cache_t *rc = xcalloc(1, sizeof *rc);
    pthread_mutex_init(&rc->mu, NULL);
    return rc;
}

void report_cache_free(report_cache_t *rc)
{
    if (!rc) return;
    for (int i = 0; i < REPORT_CACHE_SLOTS; i++)
        if (rc->slot[i]) entry_free(rc->slot[i]);
    pthread_mutex_destroy(&rc->mu);
    free(rc);
}

/* The key of f and dims (caller frees). The ids were checked against the
 * catalog, so they hold no '\x1f'. */
static char *key_of(const ind_filter_t *f, unsigned dims)
{
    buf_t k;
    buf_init(&k);
    buf_printf(&k, "%lld\x1f%lld\x1f%s\x1f%s\x1f%s\x1f%u\x1f%s", (long long)f->from_day, (long long)f->to_day,
               f->form ? f->form : "", f->point ? f->point : "", f->service ? f->service : "", dims,
               f->channel ? f->channel : "");
    return buf_steal(&k);
}

/* The valid entry of key at version, held for the caller, or NULL. */
static const ind_report_t *lookup(report_cache_t *rc, const char *key, int64_t version, double t)
{
    const ind_report_t *found = NULL;
    pthread_mutex_lock(&rc->mu);
    for (int i = 0; i < REPORT_CACHE_SLOTS && !found; i++) {
        entry_t *e = rc->slot[i];
        if (e && e->version == version && t - e->built < REPORT_CACHE_TTL_S && !strcmp(e->key, key)) {
            e->refs++;
            found = &e->rep;
        }
    }
    pthread_mutex_unlock(&rc->mu);
    return found;
}

store_rc_t report_cache_get(report_cache_t *rc, store_t *s, const ind_env_t *env,
                            const bizcal_t *holidays, const ind_filter_t *f, unsigned dims,
                            const ind_report_t **out)
{
    char *key = key_of(f, dims);
    double t = now_s();
    if ((*out = lookup(rc, key, ind_data_version(s), t))) {
        free(key);
        return STORE_OK;
    }
    /* A miss: fold new answers first, as the build would. Folding is a
     * commit itself, and would otherwise make each report built just
     * after a change look stale to the next request. Then the version is
     * read before building: a change committed while we build makes the
     * entry look older than it is (one needless rebuild), never newer. */
    if (ind_sync(s, env->defs, NULL) != STORE_OK) {
        free(key);
        return STORE_ERR;
    }
    int64_t version = ind_data_version(s);
    if ((*out = lookup(rc, key, version, t))) {   /* built meanwhile by another */
        free(key);
        return STORE_OK;
    }

    entry_t *e = xcalloc(1, sizeof *e);
    e->key = key;
    e->form = dup_or_null(f->form);
    e->point = dup_or_null(f->point);
    e->service = dup_or_null(f->service);
    ind_filter_t own = *f;
    own.form = e->form, own.point = e->point, own.service = e->service;
    if (ind_report_build(s, env, holidays, &own, dims, (int64_t)time(NULL), &e->rep) != STORE_OK) {
        entry_free(e);
        return STORE_ERR;
    }
    e->version = version;
    e->built = t;
    e->refs = 1;

    /* Keep it: in the slot of the same key, else a free one, else the
     * oldest one no reader holds; when every slot is held, serve it
     * uncached. */
    pthread_mutex_lock(&rc->mu);
    int at = -1;
    for (int i = 0; i < REPORT_CACHE_SLOTS && at < 0; i++)
        if (rc->slot[i] && !strcmp(rc->slot[i]->key, key)) at = i;
    for (int i = 0; i < REPORT_CACHE_SLOTS && at < 0; i++)
        if (!rc->slot[i]) at = i;
    if (at < 0) {
        for (int i = 0; i < REPORT_CACHE_SLOTS; i++)
            if (!rc->slot[i]->refs && (at < 0 || rc->slot[i]->built < rc->slot[at]->built)) at = i;
    }
    entry_t *old = NULL;
    if (at >= 0) {
        old = rc->slot[at];
        if (old) {
            old->cached = false;
            if (old->refs) old = NULL;      /* its last reader frees it */
        }
        rc->slot[at] = e;
        e->cached = true;
    }
    pthread_mutex_unlock(&rc->mu);
    if (old) entry_free(old);
    *out = &e->rep;
    return STORE_OK;
}

void report_cache_put(report_cache_t *rc, const ind_report_t *rep)
{
    if (!rep) return;
    entry_t *e = (entry_t *)rep;
    pthread_mutex_lock(&rc->mu);
    bool last = --e->refs == 0 && !e->cached;
    pthread_mutex_unlock(&rc->mu);
    if (last) entry_free(e);
}
