/*
 * store_export.c: reading a form's responses row by row for the downloads
 * (store_export.h). One statement walks the responses in id order with their
 * answers (the answers primary key keeps a response's answers together),
 * and rows are assembled as the response id changes, so memory stays at
 * one row whatever the size of the form's history.
 *
 * A large download is read in two parts at once (store_export_split):
 * the responses up to a middle id on the shared reader, the rest on a
 * reader connection of its own, so two cores share the join. Each part is
 * one read transaction, so each row is consistent; the two parts are two
 * snapshots taken moments apart, both limited to the ids that existed
 * when the bounds were read: a response submitted meanwhile is in neither,
 * and one erased meanwhile may be in one part's snapshot and not the
 * other's (never twice: the parts' ids do not overlap).
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
    int64_t lo, hi;   /* the ids read: lo < id <= hi */
    void (*cb)(void *arg, const export_row_t *row);
    void *arg;
} rows_args_t;

/* No cell: an offset no text in the row's arena can have. */
#define NO_CELL ((size_t)-1)

/* The row being assembled. Its texts are copied, NUL-terminated, into one
 * arena reused from row to row (offsets, as the arena may move), so a
 * million rows cost no allocation each: with a malloc per cell the
 * allocator, not SQLite, was most of the time of a large download. */
typedef struct row {
    int64_t      id;
    buf_t        arena;
    size_t       fixed[EXPORT_FIXED_COLS];
    size_t      *vals;    /* n offsets */
    const char **ptrs;    /* n pointers, filled at flush */
    size_t      *order;   /* the question indices sorted by name, to look
                             an answer's question up by binary search */
    size_t       next;    /* where in order the next answer's question
                             most likely is: a response's answers come
                             by question name (the answers' primary key) */
    int64_t      hour_t;  /* the last hour formatted, and its text: */
    char         hour[BIZDAYS_HOUR_SIZE];   /* rows come in hour runs */
} row_t;

/* order[0..n) = the indices of names[0..n) by name. Insertion sort: a
 * form has tens of questions, and qsort has no argument to carry names
 * without a global, which two downloads at once would share. */
static void sort_by_name(size_t *order, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t j = i, v = i;
        for (; j > 0 && strcmp(names[order[j - 1]], names[v]) > 0; j--) order[j] = order[j - 1];
        order[j] = v;
    }
}

/* The column of question q (len bytes), or -1 when the caller asked for
 * no such one. First the name after the last one found (a response's
 * answers come sorted by name, so this is nearly always it), then a
 * binary search: a strcmp per probe for each of millions of answers was a
 * tenth of a large download's time. */
static long column_of(const rows_args_t *a, row_t *row, const char *q, size_t len)
{
    if (row->next < a->n) {
        const char *g = a->questions[row->order[row->next]];
        if (!strncmp(g, q, len) && !g[len]) return (long)row->order[row->next++];
    }
    size_t lo = 0, hi = a->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(a->questions[row->order[mid]], q);
        if (!c) {
            row->next = mid + 1;
            return (long)row->order[mid];
        }
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return -1;
}

static void row_clear(row_t *row, size_t n)
{
    for (int i = 0; i < EXPORT_FIXED_COLS; i++) row->fixed[i] = NO_CELL;
    for (size_t i = 0; i < n; i++) row->vals[i] = NO_CELL;
    buf_reset(&row->arena);
    row->id = 0;
    row->next = 0;
}

/* Copy len bytes of text into the arena; their offset. */
static size_t keep(row_t *row, const void *text, size_t len)
{
    size_t off = row->arena.len;
    buf_append(&row->arena, text, len);
    buf_putc(&row->arena, '\0');
    return off;
}

/* Column col of st as a kept text, or NO_CELL when it is NULL. */
static size_t keep_col(row_t *row, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? keep(row, t, (size_t)sqlite3_column_bytes(st, col)) : NO_CELL;
}

/* Hand the assembled row (if any) to the caller, then clear it. */
static void row_flush(const rows_args_t *a, row_t *row)
{
    if (row->id) {
        const char *base = row->arena.data;
        export_row_t out = { .vals = row->ptrs };
        for (int i = 0; i < EXPORT_FIXED_COLS; i++)
            out.fixed[i] = row->fixed[i] == NO_CELL ? "" : base + row->fixed[i];
        for (size_t i = 0; i < a->n; i++) row->ptrs[i] = row->vals[i] == NO_CELL ? NULL : base + row->vals[i];
        a->cb(a->arg, &out);
    }
    row_clear(row, a->n);
}

/* The decimal digits of v into out (at least 24 bytes); their number. */
static size_t format_id(int64_t v, char *out)
{
    char tmp[24];
    size_t n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do tmp[n++] = (char)('0' + u % 10); while (u /= 10);
    size_t len = 0;
    if (v < 0) out[len++] = '-';
    while (n) out[len++] = tmp[--n];
    return len;
}

/* Walk a's responses on db (one read transaction) and hand each row to
 * a->cb. */
static int rows_fn(sqlite3 *db, void *arg)
{
    rows_args_t *a = arg;
    /* One snapshot for the whole walk. */
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) return STORE_ERR;
    /* "+r.form_id": walk the responses in id order and skip the other
     * forms', rather than take the form's responses by its index and sort
     * them by id: that sort of every answer (9 million rows for 600,000
     * responses) took most of the time and memory of a large download.
     * The id range is the rowid's: the walk starts and stops there. */
    sqlite3_stmt *st = store_stmt(db, "SELECT r.id, v.version, r.submitted_hour, r.point_id, r.lang,"
                                      " r.channel, r.duration_s, a.question, a.value"
                                      " FROM responses r JOIN form_versions v ON v.id = r.form_version_id"
                                      " LEFT JOIN answers a ON a.response_id = r.id"
                                      " WHERE +r.form_id = ?1 AND r.id > ?2 AND r.id <= ?3 ORDER BY r.id",
                                  "tii", a->form_id, a->lo, a->hi);
    int rc = SQLITE_ERROR;
    size_t n1 = a->n ? a->n : 1;
    row_t row = { .vals = xcalloc(n1, sizeof *row.vals), .ptrs = xcalloc(n1, sizeof *row.ptrs),
                  .order = xcalloc(n1, sizeof *row.order), .hour_t = INT64_MIN };
    buf_init(&row.arena);
    sort_by_name(row.order, a->questions, a->n);
    row_clear(&row, a->n);
    while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (id != row.id) {
            row_flush(a, &row);
            row.id = id;
            char num[24];
            row.fixed[0] = keep(&row, num, format_id(id, num));
            row.fixed[1] = keep_col(&row, st, 1);
            int64_t t = sqlite3_column_int64(st, 2);
            if (t != row.hour_t) {
                bizdays_format_hour(t, row.hour);
                row.hour_t = t;
            }
            row.fixed[2] = keep(&row, row.hour, strlen(row.hour));
            row.fixed[3] = keep_col(&row, st, 3);
            row.fixed[4] = keep_col(&row, st, 4);
            row.fixed[5] = keep_col(&row, st, 5);
            row.fixed[6] = keep_col(&row, st, 6);
        }
        const char *q = (const char *)sqlite3_column_text(st, 7);
        long col = q ? column_of(a, &row, q, (size_t)sqlite3_column_bytes(st, 7)) : -1;
        if (col >= 0) row.vals[col] = keep_col(&row, st, 8);
    }
    if (rc == SQLITE_DONE) row_flush(a, &row);
    else fprintf(stderr, "store: export rows: %s\n", sqlite3_errmsg(db));
    buf_free(&row.arena);
    free(row.vals);
    free(row.ptrs);
    free(row.order);
    sqlite3_finalize(st);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERR;
}

store_rc_t store_export_rows(store_t *s, const char *form_id, const char *const *questions,
                             size_t n, void (*cb)(void *arg, const export_row_t *row), void *arg)
{
    return store_export_rows_range(s, form_id, questions, n, INT64_MIN, INT64_MAX, cb, arg);
}

store_rc_t store_export_rows_range(store_t *s, const char *form_id, const char *const *questions,
                                   size_t n, int64_t lo, int64_t hi,
                                   void (*cb)(void *arg, const export_row_t *row), void *arg)
{
    assert(s && form_id && (questions || !n) && cb);
    rows_args_t a = { form_id, questions, n, lo, hi, cb, arg };
    return store_read(s, rows_fn, &a);
}

store_rc_t store_export_rows_own(store_t *s, const char *form_id, const char *const *questions,
                                 size_t n, int64_t lo, int64_t hi,
                                 void (*cb)(void *arg, const export_row_t *row), void *arg)
{
    assert(s && form_id && (questions || !n) && cb);
    sqlite3 *db = store_open_reader(s);
    if (!db) return STORE_ERR;
    rows_args_t a = { form_id, questions, n, lo, hi, cb, arg };
    int rc = rows_fn(db, &a);
    if (sqlite3_close(db) != SQLITE_OK) fprintf(stderr, "store: export rows: close: %s\n", sqlite3_errmsg(db));
    return rc == STORE_OK ? STORE_OK : STORE_ERR;
}

typedef struct split_args {
    const char *form_id;
    int64_t     min_n;
    int64_t     n, mid, max;
} split_args_t;

static int split_fn(sqlite3 *db, void *arg)
{
    split_args_t *a = arg;
    /* One scan of the form's index (responses_form_hour holds the rowid):
     * 50 ms for 600,000 responses. The middle of the ids rather than the
     * middle response (an OFFSET walk or a sort): responses of all forms
     * arrive mixed over time, so each half gets about half the rows, and
     * the walk of each part costs by its id range anyway. */
    sqlite3_stmt *st = store_stmt(db, "SELECT min(id), max(id), count(*) FROM responses WHERE form_id = ?1",
                                  "t", a->form_id);
    int rc = st && sqlite3_step(st) == SQLITE_ROW ? STORE_OK : STORE_ERR;
    if (rc == STORE_OK && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        int64_t min = sqlite3_column_int64(st, 0);
        a->max = sqlite3_column_int64(st, 1);
        a->n = sqlite3_column_int64(st, 2);
        /* No overflow: min <= max, halved apart. */
        a->mid = a->n >= a->min_n && a->n >= 2 ? min + (int64_t)(((uint64_t)a->max - (uint64_t)min) / 2) : a->max;
    }
    if (rc == STORE_ERR) fprintf(stderr, "store: export split: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}

store_rc_t store_export_split(store_t *s, const char *form_id, int64_t min_n, int64_t *mid, int64_t *max)
{
    assert(s && form_id && mid && max);
    split_args_t a = { .form_id = form_id, .min_n = min_n };   /* no responses: 0, 0 */
    store_rc_t rc = store_read(s, split_fn, &a) == STORE_OK ? STORE_OK : STORE_ERR;
    *mid = a.mid;
    *max = a.max;
    return rc;
}

/* ---- repeats (issue 16) ---------------------------------------------- */

typedef struct prefixed_args {
    const char *form_id, *prefix;
    void (*cb)(void *arg, int64_t response_id, const char *question, const char *value);
    void *arg;
} prefixed_args_t;

static int prefixed_fn(sqlite3 *db, void *arg)
{
    prefixed_args_t *a = arg;
    /* a range of answers_form_question_value: names from "persona[" up to
     * the prefix with its last byte one more ("persona\\") */
    char *hi = xstrdup(a->prefix);
    size_t n = strlen(hi);
    if (n) hi[n - 1] = (char)(hi[n - 1] + 1);
    sqlite3_stmt *st = store_stmt(db, "SELECT response_id, question, value FROM answers"
                                      " WHERE form_id = ?1 AND question >= ?2 AND question < ?3"
                                      " ORDER BY response_id, question", "ttt", a->form_id, a->prefix, hi);
    if (!st) {
        free(hi);
        return STORE_ERR;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        a->cb(a->arg, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
              (const char *)sqlite3_column_text(st, 2));
    if (rc != SQLITE_DONE) fprintf(stderr, "store: export repeat: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    free(hi);   /* bound without a copy */
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERR;
}

store_rc_t store_export_prefixed(store_t *s, const char *form_id, const char *prefix,
                                 void (*cb)(void *arg, int64_t response_id, const char *question,
                                            const char *value),
                                 void *arg)
{
    assert(s && form_id && prefix && cb);
    prefixed_args_t a = { form_id, prefix, cb, arg };
    return store_read(s, prefixed_fn, &a);
}
