/*
 * store_entries.h (issue 18): a form's latest responses with their
 * answers, for the evidence list of the report for the MAP (a register's
 * last entries of a period: service/plan.h). One query per form, on the
 * index responses(form_id, submitted_hour, ...).
 */
#ifndef BUZON_STORE_ENTRIES_H
#define BUZON_STORE_ENTRIES_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

typedef struct store_entry {
    int64_t id;
    int64_t submitted_hour;     /* unix time truncated to the hour */
    char  **questions, **values;   /* nanswers of each, owned */
    size_t  nanswers;
} store_entry_t;

/* The responses to form_id stored at or after unix time from and before
 * to, newest first (by submitted hour, then id), at most limit of them,
 * each with its answers. *out is a malloc'd array (free with
 * store_entries_free; NULL when none) of *n. STORE_OK or STORE_ERR (then
 * *out NULL, *n 0). */
store_rc_t store_latest_entries(store_t *s, const char *form_id, int64_t from, int64_t to, size_t limit,
                                store_entry_t **out, size_t *n);

void store_entries_free(store_entry_t *v, size_t n);

/* issue 18: how many responses to form_id are stored at or after unix
 * time from and before to (one count on the index responses(form_id,
 * submitted_hour)), or -1 on error. */
int64_t store_count_between(store_t *s, const char *form_id, int64_t from, int64_t to);

#endif
