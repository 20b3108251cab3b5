/*
 * export.h: a form's raw responses for the staff downloads (CSV and XLSX,
 * http/http_export.c): which question columns have data, and the rows.
 * The row value (export_row_t, EXPORT_FIXED_COLS) is store/store_export.h's.
 *
 * Used by http/http_export.c; calls store/store_export.h.
 */
#ifndef BUZON_SERVICE_EXPORT_H
#define BUZON_SERVICE_EXPORT_H

#include <stddef.h>

#include "service/db.h"
#include "store/store_export.h"

/* The name of fixed column i (0 <= i < EXPORT_FIXED_COLS): "id", ...
 * Static storage. */
const char *export_fixed_col(int i);

/* Call cb with each question name that has answers for form_id, by name.
 * cb must not call into the store. STORE_OK or STORE_ERR. */
store_rc_t export_questions(store_t *s, const char *form_id,
                            void (*cb)(void *arg, const char *question), void *arg);
/* Call cb for each response of form_id, oldest first, with the answers to
 * questions[0..n) as its vals (valid during the call). cb must not call
 * into the store. STORE_OK or STORE_ERR. */
store_rc_t export_rows(store_t *s, const char *form_id, const char *const *questions, size_t n,
                       void (*cb)(void *arg, const export_row_t *row), void *arg);

#endif
