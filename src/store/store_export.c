/*
 * store_export.c: reading a form's responses row by row for the downloads
 * (store_export.h). One statement walks the responses in id order with their
 * answers (the answers primary key keeps a response's answers together),
 * and rows are assembled as the response id changes, so memory stays at
 * one row whatever the size of the form's history.
 */
#include "store/store_export.h"
#include "store/store_int.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bizdays.h"
#include "base/buf.h"

const char *const export_fixed_cols[EXPORT_FIXED_COLS] = {
    "respuesta_id", "version_formulario", "fecha_hora", "punto", "idioma_interfaz", "canal", "segundos",
};

typedef struct q_args {
    const char *form_id;
    void (*cb)(void *arg, const char *question);
    void *arg;
} q_args_t;

static int questions_fn(sqlite3 *db, void *arg)
{
    q_args_t *a = arg;
    /* answers_form_question_value covers this: no table access. */
    sqlite3_stmt *st = store_stmt(db, "SELECT DISTINCT question FROM answers WHERE form_id = ?1"
                                      " ORDER BY question", "t", a->form_id);
    if (!st) return STORE_ERR;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) a->cb(a->arg, (const char *)sqlite3_column_text(st, 0));
    if (rc != SQLITE_DONE) fprintf(stderr, "store: export questions: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERR;
}

store_rc_t store_export_questions(store_t *s, const char *form_id,
                                  void (*cb)(void *arg, const char *question), void *arg)
{
    assert(s && form_id && cb);
    q_args_t a = { form_id, cb, arg };
    return store_read(s, questions_fn, &a);
}

typedef struct rows_args {
    const char *form_id;
    const char *const *questions;
    size_t n;
    void (*cb)(void *arg, const export_row_t *row);
    void *arg;
} rows_args_t;

/* The row being assembled: its fixed cells and its answers (owned). */
typedef struct row {
    int64_t id;
    char   *fixed[EXPORT_FIXED_COLS];
    char  **vals;
} row_t;

static void row_clear(row_t *row, size_t n)
{
    for (int i = 0; i < EXPORT_FIXED_COLS; i++) {
        free(row->fixed[i]);
        row->fixed[i] = NULL;
    }
    for (size_t i = 0; i < n; i++) {
        free(row->vals[i]);
        row->vals[i] = NULL;
    }
    row->id = 0;
}

/* Hand the assembled row (if any) to the caller, then clear it. */
static void row_flush(const rows_args_t *a, row_t *row)
{
    if (row->id) {
        export_row_t out = { .vals = (const char *const *)row->vals };
        for (int i = 0; i < EXPORT_FIXED_COLS; i++) out.fixed[i] = row->fixed[i] ? row->fixed[i] : "";
        a->cb(a->arg, &out);
    }
    row_clear(row, a->n);
}

static char *text_of(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? xstrdup((const char *)t) : NULL;
}

static int rows_fn(sqlite3 *db, void *arg)
{
    rows_args_t *a = arg;
    /* One snapshot for the whole walk. */
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) return STORE_ERR;
    sqlite3_stmt *st = store_stmt(db, "SELECT r.id, v.version, r.submitted_hour, r.point_id, r.lang,"
                                      " r.channel, r.duration_s, a.question, a.value"
                                      " FROM responses r JOIN form_versions v ON v.id = r.form_version_id"
                                      " LEFT JOIN answers a ON a.response_id = r.id"
                                      " WHERE r.form_id = ?1 ORDER BY r.id", "t", a->form_id);
    int rc = SQLITE_ERROR;
    row_t row = { .vals = xcalloc(a->n ? a->n : 1, sizeof *row.vals) };
    while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (id != row.id) {
            row_flush(a, &row);
            row.id = id;
            buf_t b;
            buf_init(&b);
            buf_printf(&b, "%lld", (long long)id);
            row.fixed[0] = buf_steal(&b);
            row.fixed[1] = text_of(st, 1);
            char hour[BIZDAYS_HOUR_SIZE];
            bizdays_format_hour(sqlite3_column_int64(st, 2), hour);
            row.fixed[2] = xstrdup(hour);
            row.fixed[3] = text_of(st, 3);
            row.fixed[4] = text_of(st, 4);
            row.fixed[5] = text_of(st, 5);
            row.fixed[6] = text_of(st, 6);
        }
        const char *q = (const char *)sqlite3_column_text(st, 7);
        for (size_t i = 0; q && i < a->n; i++)
            if (!strcmp(a->questions[i], q)) {
                free(row.vals[i]);
                row.vals[i] = text_of(st, 8);
                break;
            }
    }
    if (rc == SQLITE_DONE) row_flush(a, &row);
    else fprintf(stderr, "store: export rows: %s\n", sqlite3_errmsg(db));
    row_clear(&row, a->n);
    free(row.vals);
    sqlite3_finalize(st);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERR;
}

store_rc_t store_export_rows(store_t *s, const char *form_id, const char *const *questions,
                             size_t n, void (*cb)(void *arg, const export_row_t *row), void *arg)
{
    assert(s && form_id && (questions || !n) && cb);
    rows_args_t a = { form_id, questions, n, cb, arg };
    return store_read(s, rows_fn, &a);
}
