/*
 * store_forms.c: the uploaded workbooks of store_forms.h. Nothing here is
 * on a hot path (a planner publishes a form a few times a year; the
 * current set is read when the server starts and after each publication),
 * so statements are prepared per call.
 */
#include "store/store_forms.h"
#include "store/store_int.h"

#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

/* A draft is a preview in progress: a day is plenty. */
enum { DRAFT_TTL_S = 24 * 3600 };

#define UPLOAD_COLUMNS "id, form_id, version, file_name, length(workbook), hash, uploaded_at," \
                       " uploaded_by, published_at, coalesce(published_by, ''), withdrawn_at"

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return xstrdup(t ? (const char *)t : "");
}

/* The row at st (UPLOAD_COLUMNS, then the workbook when with_book). */
static void row_to_upload(sqlite3_stmt *st, store_upload_t *u, bool with_book)
{
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(st, 0);
    u->form_id = col_dup(st, 1);
    u->version = col_dup(st, 2);
    u->file_name = col_dup(st, 3);
    u->len = (size_t)sqlite3_column_int64(st, 4);
    u->hash = col_dup(st, 5);
    u->uploaded_at = sqlite3_column_int64(st, 6);
    u->uploaded_by = col_dup(st, 7);
    u->published_at = sqlite3_column_int64(st, 8);
    u->published_by = col_dup(st, 9);
    u->withdrawn_at = sqlite3_column_int64(st, 10);
    if (with_book) {
        const void *b = sqlite3_column_blob(st, 11);
        u->len = (size_t)sqlite3_column_bytes(st, 11);
        u->workbook = xmalloc(u->len ? u->len : 1);
        if (u->len) memcpy(u->workbook, b, u->len);
    }
}

void store_upload_free(store_upload_t *u)
{
    if (!u) return;
    free(u->form_id);
    free(u->version);
    free(u->file_name);
    free(u->workbook);
    free(u->hash);
    free(u->uploaded_by);
    free(u->published_by);
    memset(u, 0, sizeof *u);
}

void store_uploads_free(store_upload_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++) store_upload_free(&v[i]);
    free(v);
}

/* ---- a new draft ---- */

typedef struct add_args {
    const char *form_id, *version, *file_name, *hash, *by;
    const void *data;
    size_t len;
    int64_t now, id;
} add_args_t;

static int add_fn(sqlite3 *db, void *arg)
{
    add_args_t *a = arg;
    if (store_exec_args(db, "DELETE FROM form_uploads WHERE published_at IS NULL"
                            " AND (uploaded_at < ?1 OR uploaded_by = ?2)",
                        "it", a->now - DRAFT_TTL_S, a->by) != SQLITE_DONE)
        return STORE_ERR;
    if (store_exec_args(db, "INSERT INTO form_uploads(form_id, version, file_name, workbook, hash,"
                            " uploaded_at, uploaded_by) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        "tttbtit", a->form_id, a->version, a->file_name, a->data, (int)a->len,
                        a->hash, a->now, a->by) != SQLITE_DONE)
        return STORE_ERR;
    a->id = sqlite3_last_insert_rowid(db);
    return STORE_OK;
}

store_rc_t store_upload_add(store_t *s, const char *form_id, const char *version,
                            const char *file_name, const void *data, size_t len,
                            const char *hash, const char *by, int64_t now, int64_t *id)
{
    assert(s && form_id && version && file_name && (data || !len) && hash && by && id);
    if (len > INT_MAX) return STORE_ERR;
    add_args_t a = { form_id, version, file_name, hash, by, data ? data : "", len, now, 0 };
    store_rc_t rc = (store_rc_t)store_write_txn(s, add_fn, &a);
    if (rc == STORE_OK) *id = a.id;
    return rc;
}

/* ---- one upload ---- */

typedef struct get_args {
    int64_t id;
    store_upload_t *out;
} get_args_t;

static int get_fn(sqlite3 *db, void *arg)
{
    get_args_t *a = arg;
    sqlite3_stmt *st = store_stmt(db, "SELECT " UPLOAD_COLUMNS ", workbook FROM form_uploads WHERE id = ?1",
                                  "i", a->id);
    if (!st) return STORE_ERR;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) row_to_upload(st, a->out, true);
    else if (rc != SQLITE_DONE) fprintf(stderr, "store: form upload %lld: %s\n", (long long)a->id, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERR;
}

store_rc_t store_upload_get(store_t *s, int64_t id, store_upload_t *out)
{
    assert(s && out);
    memset(out, 0, sizeof *out);
    get_args_t a = { id, out };
    return (store_rc_t)store_read(s, get_fn, &a);
}

/* ---- publish and withdraw ---- */

typedef struct change_args {
    int64_t id;
    const char *form_id, *by;
    int64_t now;
} change_args_t;

/* The audit log's object for a form. */
static char *form_object(const char *form_id)
{
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "formulario:%s", form_id);
    return buf_steal(&b);
}

static int publish_fn(sqlite3 *db, void *arg)
{
    change_args_t *a = arg;
    sqlite3_stmt *st = store_stmt(db, "UPDATE form_uploads SET published_at = ?1, published_by = ?2,"
                                      " published_seq = (SELECT coalesce(max(published_seq), 0) + 1"
                                      "                  FROM form_uploads)"
                                      " WHERE id = ?3 AND published_at IS NULL"
                                      " RETURNING form_id, version, file_name",
                                  "iti", a->now, a->by, a->id);
    if (!st) return STORE_ERR;
    int rc = sqlite3_step(st);
    store_rc_t out = STORE_ERR;
    if (rc == SQLITE_ROW) {
        char *obj = form_object((const char *)sqlite3_column_text(st, 0));
        buf_t detail;
        buf_init(&detail);
        const char *version = (const char *)sqlite3_column_text(st, 1);
        if (version && *version) buf_printf(&detail, "%s, ", version);
        buf_puts(&detail, (const char *)sqlite3_column_text(st, 2));
        /* Step to the end before writing again on the same connection. */
        while (sqlite3_step(st) == SQLITE_ROW) { /* one row */ }
        out = store_audit_add(db, a->now, a->by, "formulario_publicado", obj, detail.data);
        free(obj);
        buf_free(&detail);
    } else if (rc == SQLITE_DONE) {
        out = STORE_NOTFOUND;
    } else {
        fprintf(stderr, "store: publish form upload %lld: %s\n", (long long)a->id, sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    /* Nothing changed for NOTFOUND: committing it is harmless. */
    return out;
}

store_rc_t store_upload_publish(store_t *s, int64_t id, const char *by, int64_t now)
{
    assert(s && by);
    change_args_t a = { id, NULL, by, now };
    return (store_rc_t)store_write_txn(s, publish_fn, &a);
}

static int withdraw_fn(sqlite3 *db, void *arg)
{
    change_args_t *a = arg;
    if (store_exec_args(db, "UPDATE form_uploads SET withdrawn_at = ?1 WHERE form_id = ?2"
                            " AND published_at IS NOT NULL AND withdrawn_at IS NULL",
                        "it", a->now, a->form_id) != SQLITE_DONE)
        return STORE_ERR;
    if (sqlite3_changes(db) == 0) return STORE_NOTFOUND;
    char *obj = form_object(a->form_id);
    store_rc_t rc = store_audit_add(db, a->now, a->by, "formulario_retirado", obj, NULL);
    free(obj);
    return rc;
}

store_rc_t store_upload_withdraw(store_t *s, const char *form_id, const char *by, int64_t now)
{
    assert(s && form_id && by);
    change_args_t a = { 0, form_id, by, now };
    return (store_rc_t)store_write_txn(s, withdraw_fn, &a);
}

/* ---- lists ---- */

typedef struct list_args {
    const char *sql;
    bool with_book;
    int64_t limit;
    store_upload_t *v;
    size_t n;
} list_args_t;

static int list_fn(sqlite3 *db, void *arg)
{
    list_args_t *a = arg;
    sqlite3_stmt *st = store_stmt(db, a->sql, "i", a->limit);
    if (!st) return STORE_ERR;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        a->v = xrealloc(a->v, (a->n + 1) * sizeof *a->v);
        row_to_upload(st, &a->v[a->n++], a->with_book);
    }
    if (rc != SQLITE_DONE) fprintf(stderr, "store: form uploads: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERR;
}

static store_rc_t list(store_t *s, list_args_t *a, store_upload_t **out, size_t *n)
{
    store_rc_t rc = (store_rc_t)store_read(s, list_fn, a);
    if (rc != STORE_OK) {
        store_uploads_free(a->v, a->n);
        a->v = NULL;
        a->n = 0;
    }
    *out = a->v;
    *n = a->n;
    return rc;
}

store_rc_t store_uploads_current(store_t *s, store_upload_t **out, size_t *n)
{
    assert(s && out && n);
    list_args_t a = { "SELECT " UPLOAD_COLUMNS ", workbook FROM form_uploads u"
                      " WHERE published_at IS NOT NULL AND withdrawn_at IS NULL"
                      " AND id = (SELECT w.id FROM form_uploads w WHERE w.form_id = u.form_id"
                      "           AND w.published_at IS NOT NULL AND w.withdrawn_at IS NULL"
                      "           ORDER BY w.published_seq DESC LIMIT 1)"
                      " ORDER BY published_seq LIMIT ?1",
                      true, INT64_MAX, NULL, 0 };
    return list(s, &a, out, n);
}

store_rc_t store_uploads_list(store_t *s, size_t limit, store_upload_t **out, size_t *n)
{
    assert(s && out && n);
    list_args_t a = { "SELECT " UPLOAD_COLUMNS " FROM form_uploads WHERE published_at IS NOT NULL"
                      " ORDER BY published_seq DESC LIMIT ?1",
                      false, (int64_t)(limit > INT64_MAX ? INT64_MAX : limit), NULL, 0 };
    return list(s, &a, out, n);
}
