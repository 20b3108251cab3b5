/*
 * export.h: a form's raw responses for the staff downloads (GET
 * /api/v1/forms/<id>/responses.csv and .xlsx; atencion and admin only):
 * which columns a download has, and its rows streamed from the store.
 *
 * Columns: the response's own facts (EXPORT_FIXED_COLS: id, form version,
 * hour, point, language, channel, seconds taken), then the current form's
 * answerable questions in form order, then questions only older versions
 * had, by name. Contact details are answers too (until erased,
 * model/cases.h): the downloads are for the roles that may see them.
 *
 * Calls store/store_export.h; a row is model/export_row.h's export_row_t;
 * the bytes of a download are view/table_out.h.
 */
#ifndef BUZON_SERVICE_EXPORT_H
#define BUZON_SERVICE_EXPORT_H

#include <stddef.h>

#include "model/export_row.h"
#include "model/form.h"
#include "service/db.h"

/* The name of fixed column i (0 <= i < EXPORT_FIXED_COLS): "id", ... */
const char *export_fixed_col(int i);
/* What fixed column i holds: the id and the seconds are numbers, the hour
 * a date and time, the form version ("2024.1") and the rest text. */
export_kind_t export_fixed_kind(int i);

/* The question columns of a download of form f. */
typedef struct export_columns {
    const char **v;   /* names: borrowed from f, or owned (those only data has) */
    export_kind_t *kind;   /* what column i holds, by its question's type:
                              integer and decimal numbers, a select_one
                              whose choices are all numbers (a scale) a
                              number, date a date, the rest (and the
                              columns only data has) text */
    size_t       n;
    char       **extra;   /* the owned names */
    size_t       nextra;
} export_columns_t;

/* Fill *out with f's question columns (see the top of this file).
 * STORE_OK or STORE_ERR; free *out with export_columns_free in both
 * cases. f must outlive *out. */
store_rc_t export_columns(store_t *s, const form_t *f, export_columns_t *out);
void export_columns_free(export_columns_t *k);

/* Call cb for each response of form_id, oldest first, with the answers to
 * the columns k as its vals. STORE_OK or STORE_ERR. */
store_rc_t export_rows(store_t *s, const char *form_id, const export_columns_t *k,
                       void (*cb)(void *arg, const export_row_t *row), void *arg);

#endif
