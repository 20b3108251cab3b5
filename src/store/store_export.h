/*
 * store_export.h: a form's raw responses, one row per response, for the CSV and
 * XLSX downloads of the staff area (GET /api/v1/forms/<id>/responses.csv
 * and .xlsx; atencion and admin only).
 *
 * The columns are the response's own facts (EXPORT_FIXED_COLS: id, form
 * version, hour, point, language, channel, seconds taken) followed by one
 * column per question, in the order the caller asks for. Contact details
 * are answers too (until erased, model/cases.h): the downloads are for the roles
 * that may see them.
 */
#ifndef BUZON_STORE_EXPORT_H
#define BUZON_STORE_EXPORT_H

#include <stddef.h>
#include <stdint.h>
#include "model/export_row.h"
#include "store/store.h"

/* The names of the fixed columns of export_row_t (model/export_row.h). */
extern const char *const export_fixed_cols[EXPORT_FIXED_COLS];

/* Call cb with each question name that has answers for form_id, by name.
 * STORE_OK or STORE_ERR. */
store_rc_t store_export_questions(store_t *s, const char *form_id,
                                  void (*cb)(void *arg, const char *question), void *arg);
/* Call cb for each response of form_id, oldest first, with the answers to
 * questions[0..n) as its vals. STORE_OK or STORE_ERR. */
store_rc_t store_export_rows(store_t *s, const char *form_id, const char *const *questions,
                             size_t n, void (*cb)(void *arg, const export_row_t *row), void *arg);

/* Where to cut a large download in two parts read at once (see
 * store_export.c for what consistency that gives): *max is the form's
 * largest response id now (0 when it has none); when the form has at
 * least min_n responses, *mid is halfway between its smallest and largest
 * ids, else *mid == *max (no second part). The parts are then lo < id <= *mid and *mid < id
 * <= *max. One snapshot. STORE_OK or STORE_ERR. */
store_rc_t store_export_split(store_t *s, const char *form_id, int64_t min_n, int64_t *mid, int64_t *max);
/* store_export_rows limited to the responses with lo < id <= hi, on the
 * store's shared reader. */
store_rc_t store_export_rows_range(store_t *s, const char *form_id, const char *const *questions,
                                   size_t n, int64_t lo, int64_t hi,
                                   void (*cb)(void *arg, const export_row_t *row), void *arg);
/* The same on a read-only connection of its own, opened and closed here,
 * so it can run on another thread while the shared reader reads the other
 * part. */
store_rc_t store_export_rows_own(store_t *s, const char *form_id, const char *const *questions,
                                 size_t n, int64_t lo, int64_t hi,
                                 void (*cb)(void *arg, const export_row_t *row), void *arg);

/* Repeats (issue 16): call cb with every answer of form_id whose question
 * name starts with prefix (a repeat's "persona["), by response id and
 * then name, response_id as in export_fixed_cols[0]. STORE_OK or
 * STORE_ERR. */
store_rc_t store_export_prefixed(store_t *s, const char *form_id, const char *prefix,
                                 void (*cb)(void *arg, int64_t response_id, const char *question,
                                            const char *value),
                                 void *arg);

#endif
