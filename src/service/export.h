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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
    /* issue 16: a geopoint's column is followed, as in KoboToolbox's
     * downloads, by _NAME_latitude, _NAME_longitude, _NAME_altitude and
     * _NAME_precision, read from its raw value. The store is asked for
     * sv[0..sn) only; from[i] is column i's index there and part[i] -1
     * (the value as is) or 0..3 (that number of the point). All NULL,
     * and sv the same as v, when the form has no geopoint. */
    const char **sv;
    size_t       sn;
    int         *from;
    signed char *part;
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

/* A large download read in two parts at once, each on its own thread and
 * database connection, so two cores share the reading (issue 14: a
 * million responses under 3 s). The parts are id ranges cut once from one
 * snapshot; each part's rows are consistent on their own and the parts
 * come from snapshots taken moments apart (store/store_export.c). The
 * caller writes each part to its own place and puts the second after the
 * first: the result is what export_rows gives. */
enum { EXPORT_SPLIT_MIN = 4096 };   /* fewer responses: one part (the
                                       thread would cost more than it gains) */
typedef struct export_plan {
    int64_t mid, max;   /* part 1: id <= mid; part 2: mid < id <= max */
    bool    split;      /* false: part 1 is everything */
} export_plan_t;

/* Cut form_id's responses into parts: split when it has at least
 * EXPORT_SPLIT_MIN. STORE_OK or STORE_ERR. */
store_rc_t export_plan(store_t *s, const char *form_id, export_plan_t *p);
/* Call cb(arg1, row) for each response of part 1, oldest first, on this
 * thread and, when p->split, at the same time cb(arg2, row) for those of
 * part 2, oldest first, on a second thread (at nice +10 at least, like the
 * heavy workers: pages come first). Returns when both are done: STORE_OK,
 * or STORE_ERR when either failed. cb must be safe to call for arg1 and
 * arg2 at once. */
store_rc_t export_rows_parts(store_t *s, const char *form_id, const export_columns_t *k,
                             const export_plan_t *p, void (*cb)(void *arg, const export_row_t *row),
                             void *arg1, void *arg2);

/* Repeats (issue 16): beside the responses' table (which leaves out the
 * questions of repeats), one table per repeat of the form, as
 * KoboToolbox gives them: a row per instance, with the response's id
 * (respuesta_id of the responses' table), the instance's path
 * ("persona[2]", "casa[1].cuarto[2]": an inner repeat's row names its
 * outer instance) and index, then the repeat's own questions. */
#define EXPORT_REPEAT_FIXED 3
extern const char *const export_repeat_fixed_cols[EXPORT_REPEAT_FIXED];
typedef struct export_repeat {
    const char *sheet;       /* the repeat's name (the form's) */
    char *pattern;           /* "casa[*].cuarto[*]" */
    char *prefix;            /* "casa[": the stored names to read */
    const char **cols;       /* its questions' names (the form's) */
    export_kind_t *kind;
    size_t n;
} export_repeat_t;
/* The repeats of f, in form order (*out: caller frees with
 * export_repeats_free; f must outlive it); their number. */
size_t export_repeats(const form_t *f, export_repeat_t **out);
void export_repeats_free(export_repeat_t *r, size_t n);
/* Call cb with each instance of repeat r in the responses of form_id,
 * by response and then index: EXPORT_REPEAT_FIXED cells and then one per
 * column (NULL: not answered), valid during the call. */
store_rc_t export_repeat_rows(store_t *s, const char *form_id, const export_repeat_t *r,
                              void (*cb)(void *arg, const char *const *cells), void *arg);

#endif
