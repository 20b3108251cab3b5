/*
 * store_entries.c (issue 18): a form's latest responses with their
 * answers (store_entries.h), for the report's evidence list.
 */
#include "store/store_entries.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

typedef struct ent_args {
    const char *form_id;
    int64_t from, to, limit;
    store_entry_t *v;
    size_t n;
} ent_args_t;

static char *dup_col(sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    return strdup(t ? t : "");
}

/* Append an answer to e; false when out of memory. */
static bool add_answer(store_entry_t *e, sqlite3_stmt *st)
{
    char **q = realloc(e->questions, (e->nanswers + 1) * sizeof *q);
    if (q) e->questions = q;
    char **v = realloc(e->values, (e->nanswers + 1) * sizeof *v);
    if (v) e->values = v;
    if (!q || !v) return false;
    q[e->nanswers] = dup_col(st, 2);
    v[e->nanswers] = dup_col(st, 3);
    e->nanswers++;
    return q[e->nanswers - 1] && v[e->nanswers - 1];
}

static int entries_fn(sqlite3 *db, void *arg)
{
    ent_args_t *a = arg;
    /* the latest responses first (index responses_form_hour), then their
     * answers; a response without answers still comes once (LEFT JOIN) */
    sqlite3_stmt *st = store_stmt(db,
        "SELECT r.id, r.submitted_hour, a.question, a.value FROM"
        " (SELECT id, submitted_hour FROM responses WHERE form_id = ?1"
        "  AND submitted_hour >= ?2 AND submitted_hour < ?3"
        "  ORDER BY submitted_hour DESC, id DESC LIMIT ?4) r"
        " LEFT JOIN answers a ON a.response_id = r.id"
        " ORDER BY r.submitted_hour DESC, r.id DESC",
        "tiii", a->form_id, a->from, a->to, a->limit);
    if (!st) return STORE_ERR;
    int rc;
    bool ok = true;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (!a->n || a->v[a->n - 1].id != id) {
            store_entry_t *v = realloc(a->v, (a->n + 1) * sizeof *v);
            if (!v) {
                ok = false;
                break;
            }
            a->v = v;
            v[a->n] = (store_entry_t){ .id = id, .submitted_hour = sqlite3_column_int64(st, 1) };
            a->n++;
        }
        if (sqlite3_column_type(st, 2) != SQLITE_NULL) ok = add_answer(&a->v[a->n - 1], st);
    }
    if (ok && rc != SQLITE_DONE) {
        fprintf(stderr, "store: latest entries: %s\n", sqlite3_errmsg(db));
        ok = false;
    } else if (!ok) {
        fprintf(stderr, "store: latest entries: out of memory\n");
    }
    sqlite3_finalize(st);
    return ok ? STORE_OK : STORE_ERR;
}

store_rc_t store_latest_entries(store_t *s, const char *form_id, int64_t from, int64_t to, size_t limit,
                                store_entry_t **out, size_t *n)
{
    assert(s && form_id && out && n);
    ent_args_t a = { form_id, from, to, (int64_t)limit, NULL, 0 };
    int rc = limit ? store_read(s, entries_fn, &a) : STORE_OK;
    if (rc != STORE_OK) {
        store_entries_free(a.v, a.n);
        a.v = NULL;
        a.n = 0;
    }
    *out = a.v;
    *n = a.n;
    return rc == STORE_OK ? STORE_OK : STORE_ERR;
}

void store_entries_free(store_entry_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < v[i].nanswers; k++) {
            free(v[i].questions[k]);
            free(v[i].values[k]);
        }
        free(v[i].questions);
        free(v[i].values);
    }
    free(v);
}

typedef struct cnt_args {
    const char *form_id;
    int64_t from, to, n;
} cnt_args_t;

static int count_fn(sqlite3 *db, void *arg)
{
    cnt_args_t *a = arg;
    sqlite3_stmt *st = store_stmt(db,
        "SELECT count(*) FROM responses WHERE form_id = ?1 AND submitted_hour >= ?2 AND submitted_hour < ?3",
        "tii", a->form_id, a->from, a->to);
    if (!st) return STORE_ERR;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) a->n = sqlite3_column_int64(st, 0);
    else fprintf(stderr, "store: count between: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? STORE_OK : STORE_ERR;
}

int64_t store_count_between(store_t *s, const char *form_id, int64_t from, int64_t to)
{
    assert(s && form_id);
    cnt_args_t a = { form_id, from, to, 0 };
    if (to <= from) return 0;
    return store_read(s, count_fn, &a) == STORE_OK ? a.n : -1;
}
