/*
 * store_reglist.c (issue 18 follow-up): a page of a register's entries
 * with their authors (store_reglist.h).
 */
#include "store/store_reglist.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

typedef struct page_args {
    const char *form_id;
    int64_t offset, limit;
    store_reg_page_t *p;
} page_args_t;

static char *dup_col(sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    return strdup(t ? t : "");
}

static int page_fn(sqlite3 *db, void *arg)
{
    page_args_t *a = arg;
    store_reg_page_t *p = a->p;
    sqlite3_stmt *st = store_stmt(db, "SELECT count(*) FROM responses WHERE form_id = ?1", "t", a->form_id);
    if (!st) return STORE_ERR;
    if (sqlite3_step(st) == SQLITE_ROW) p->total = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    /* the page first (index responses_form_hour), then its answers; the
     * author from the audit entry written with the response (one lookup
     * on audit_object per entry of the page) */
    st = store_stmt(db,
        "SELECT r.id, r.submitted_hour, a.question, a.value, r.who FROM"
        " (SELECT id, submitted_hour, (SELECT actor FROM audit WHERE object = 'registro:' || ?1 || ':' || responses.id"
        "   AND action = 'registro_anotado' ORDER BY audit.id LIMIT 1) AS who"
        "  FROM responses WHERE form_id = ?1"
        "  ORDER BY submitted_hour DESC, id DESC LIMIT ?3 OFFSET ?2) r"
        " LEFT JOIN answers a ON a.response_id = r.id"
        " ORDER BY r.submitted_hour DESC, r.id DESC",
        "tii", a->form_id, a->offset, a->limit);
    if (!st) return STORE_ERR;
    int rc;
    bool ok = true;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (!p->n || p->e[p->n - 1].id != id) {
            store_entry_t *v = realloc(p->e, (p->n + 1) * sizeof *v);
            if (v) p->e = v;
            char **w = realloc(p->authors, (p->n + 1) * sizeof *w);
            if (w) p->authors = w;
            if (!v || !w) {
                ok = false;
                break;
            }
            v[p->n] = (store_entry_t){ .id = id, .submitted_hour = sqlite3_column_int64(st, 1) };
            w[p->n] = dup_col(st, 4);
            p->n++;
        }
        if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
            store_entry_t *e = &p->e[p->n - 1];
            char **q = realloc(e->questions, (e->nanswers + 1) * sizeof *q);
            if (q) e->questions = q;
            char **v = realloc(e->values, (e->nanswers + 1) * sizeof *v);
            if (v) e->values = v;
            if (!q || !v) {
                ok = false;
                break;
            }
            q[e->nanswers] = dup_col(st, 2);
            v[e->nanswers] = dup_col(st, 3);
            e->nanswers++;
        }
    }
    if (ok && rc != SQLITE_DONE) {
        fprintf(stderr, "store: register page: %s\n", sqlite3_errmsg(db));
        ok = false;
    }
    sqlite3_finalize(st);
    return ok ? STORE_OK : STORE_ERR;
}

store_rc_t store_register_page(store_t *s, const char *form_id, size_t offset, size_t limit,
                               store_reg_page_t *out)
{
    assert(s && form_id && out);
    *out = (store_reg_page_t){ 0 };
    page_args_t a = { form_id, (int64_t)offset, (int64_t)limit, out };
    int rc = store_read(s, page_fn, &a);
    if (rc != STORE_OK) {
        store_reg_page_free(out);
        return STORE_ERR;
    }
    return STORE_OK;
}

void store_reg_page_free(store_reg_page_t *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->n; i++) free(p->authors[i]);
    free(p->authors);
    store_entries_free(p->e, p->n);
    *p = (store_reg_page_t){ 0 };
}
