/*
 * store_held.h: sheets of a double-entry batch held until a second entry
 * agrees or the differences are resolved (issue 17 item 4; the table
 * held_entries, migration 9 of store.c). A held sheet is not a response:
 * no indicator, export or count reads this table.
 *
 * A sheet is named by its batch (a label the clerk gives), the paper's
 * short code and its number in the batch. Used by service/entry.c.
 */
#ifndef BUZON_STORE_HELD_H
#define BUZON_STORE_HELD_H

#include <stdint.h>

#include "store/store.h"

/* One entry of a held sheet. Read back, the strings are owned by the
 * element (held_entry_free); given to store_held_put, the caller's. */
typedef struct held_entry {
    int     entry;           /* 1 or 2 */
    char   *submission_id;   /* the answer's id once stored (entry 1's) */
    char   *entered_by;
    int64_t written;         /* the paper's date */
    char   *answers;         /* the validated answers, urlencoded, form order */
    int     stored;          /* read back: 1 when the sheet is stored (a marker) */
} held_entry_t;

typedef struct held_key {
    const char *batch, *paper;
    int64_t     sheet;
} held_key_t;

void held_entry_free(held_entry_t *v, int n);

/* The entries held for k, by number, into out (at most 2), their count in
 * *n. STORE_OK (also for none) or STORE_ERR. */
store_rc_t store_held_get(store_t *s, const held_key_t *k, held_entry_t out[2], int *n);
/* Hold e for k (form_id: the paper's form) at now; an entry 2 replaces an
 * earlier entry 2. STORE_OK, STORE_DUP (entry 1 is already held) or
 * STORE_ERR. */
store_rc_t store_held_put(store_t *s, const held_key_t *k, const char *form_id, const held_entry_t *e,
                          int64_t now);
/* The sheet's answer is stored: drop its entries but a marker (entry 1,
 * its answers emptied, stored = 1), with an audit entry by actor
 * (action: "doble_entrada" when both entries agreed, else how it was
 * decided; "respuesta:<submission_id>"; the clerks who entered it, then
 * "; " and how when how is not NULL). STORE_OK (also when nothing was
 * held) or STORE_ERR. */
store_rc_t store_held_drop(store_t *s, const held_key_t *k, const char *actor, const char *submission_id,
                           const char *action, const char *how, int64_t now);

/* issue 17: an administrator discards the held (not stored) entries of
 * k: nothing of them is kept, audited by actor ("hoja_descartada",
 * "hoja:<batch>/<paper>/<sheet>", the clerks). STORE_OK, STORE_NOTFOUND
 * (nothing held) or STORE_ERR. */
store_rc_t store_held_discard(store_t *s, const held_key_t *k, const char *actor, int64_t now);
/* issue 17: the retention sweep: drop every held (not stored) entry of a
 * sheet whose last entry is older than cutoff, so no citizen's words wait
 * in this table for ever (markers hold no answers and stay: they make a
 * sheet entered again the duplicate it is). The number of sheets dropped
 * (audited once, "hojas_retenidas_purgadas", by "sistema"), or -1. */
int store_held_purge(store_t *s, int64_t cutoff, int64_t now);
/* issue 17: a held sheet whose two entries differ, as a supervisor's
 * list shows it (no answers). Strings owned (held_sheet_free). */
typedef struct held_sheet {
    char   *batch, *paper, *clerks;   /* clerks: "ana, luis" */
    int64_t sheet, entered_at;        /* entered_at: the latest entry's */
} held_sheet_t;
void held_sheet_free(held_sheet_t *v, size_t n);
/* The held sheets with two entries (not stored), oldest first, at most
 * max, into *out (caller frees with held_sheet_free) and *n. STORE_OK or
 * STORE_ERR. */
store_rc_t store_held_list(store_t *s, size_t max, held_sheet_t **out, size_t *n);

/* The unix time the form version id was first seen (form_versions), in
 * *at. STORE_OK, STORE_NOTFOUND or STORE_ERR. */
store_rc_t store_form_version_since(store_t *s, int64_t id, int64_t *at);

/* session 23: the hour the response stored under submission_id is dated
 * (responses.submitted_hour: a paper's date, to the hour), in *hour: a
 * stored sheet entered again is its duplicate only with the same date.
 * STORE_OK, STORE_NOTFOUND or STORE_ERR. */
store_rc_t store_held_response_hour(store_t *s, const char *submission_id, int64_t *hour);

#endif
