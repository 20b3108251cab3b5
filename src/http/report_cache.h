/*
 * report_cache.h: indicator reports kept between requests. Building the
 * report of a filter reads the aggregates of every definition (hundreds
 * of milliseconds on a million responses); the dashboard, the API's JSON,
 * CSV and XLSX and the plan page of the same filter and breakdowns all
 * show one report, so it is built once and shared until the data changes.
 *
 * An entry is keyed by the filter and the breakdowns (the access rule is
 * checked before, and the format and language only change how the report
 * is written, so neither is in the key). It is used while the
 * database's data version (ind_data_version: it changes on every commit,
 * e.g. each submission or case change, by this server or another
 * process) is the one read before it was built, and for at most
 * REPORT_CACHE_TTL_S seconds, which bounds the staleness of what the
 * version cannot see: the clock (business-day figures as of now).
 *
 * Entries are reference counted: a reader holds its report while it
 * writes it, however many newer reports replace it meanwhile.
 */
#ifndef BUZON_REPORT_CACHE_H
#define BUZON_REPORT_CACHE_H

#include "model/indicators.h"
#include "service/indicators.h"

enum { REPORT_CACHE_TTL_S = 60, REPORT_CACHE_SLOTS = 16 };

typedef struct report_cache report_cache_t;

/* An empty cache (the caller frees it with report_cache_free). */
report_cache_t *report_cache_new(void);
/* Free the cache; no report of it may still be held. NULL is ignored. */
void report_cache_free(report_cache_t *rc);

/* The report ind_report_build would give for f and dims as of now, from
 * the cache when still valid (see above), else built and kept. s, env
 * and holidays as ind_report_build's. STORE_OK with *out set to a
 * read-only report shared with other readers (its filter's strings are
 * the cache's): give it back with report_cache_put. STORE_ERR with *out
 * NULL. Any thread. */
store_rc_t report_cache_get(report_cache_t *rc, store_t *s, const ind_env_t *env,
                            const bizcal_t *holidays, const ind_filter_t *f, unsigned dims,
                            const ind_report_t **out);
/* Give back a report of report_cache_get (NULL is ignored). */
void report_cache_put(report_cache_t *rc, const ind_report_t *rep);

#endif
