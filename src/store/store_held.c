/*
 * store_held.c: held sheets of double-entry batches (store_held.h). Not on
 * a hot path: statements are prepared per call.
 */
#include "store/store_held.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "base/buf.h"

void held_entry_free(held_entry_t *v, int n)
{
    for (int i = 0; v && i < n; i++) {
        free(v[i].submission_id);
        free(v[i].entered_by);
        free(v[i].answers);
        memset(&v[i], 0, sizeof v[i]);
    }
}

typedef struct get_args {
    const held_key_t *k;
    held_entry_t     *out;
    int              *n;
} get_args_t;

static int get_fn(sqlite3 *db, void *arg)
{
    get_args_t *a = arg;
    sqlite3_stmt *st = store_stmt(db, "SELECT entry, submission_id, entered_by, written, answers, stored FROM held_entries"
                                      " WHERE batch = ?1 AND paper = ?2 AND sheet = ?3 ORDER BY entry",
                                  "tti", a->k->batch, a->k->paper, a->k->sheet);
    if (!st) return STORE_ERR;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *a->n < 2) {
        held_entry_t *e = &a->out[(*a->n)++];
        e->entry = sqlite3_column_int(st, 0);
        e->submission_id = xstrdup((const char *)sqlite3_column_text(st, 1));
        e->entered_by = xstrdup((const char *)sqlite3_column_text(st, 2));
        e->written = sqlite3_column_int64(st, 3);
        e->answers = xstrdup((const char *)sqlite3_column_text(st, 4));
        e->stored = sqlite3_column_int(st, 5);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? STORE_OK : STORE_ERR;
}

store_rc_t store_held_get(store_t *s, const held_key_t *k, held_entry_t out[2], int *n)
{
    memset(out, 0, 2 * sizeof *out);
    *n = 0;
    get_args_t a = { k, out, n };
    store_rc_t rc = (store_rc_t)store_read(s, get_fn, &a);
    if (rc != STORE_OK) {
        held_entry_free(out, *n);
        *n = 0;
    }
    return rc;
}

typedef struct put_args {
    const held_key_t   *k;
    const char         *form_id;
    const held_entry_t *e;
    int64_t             now;
} put_args_t;

static int put_fn(sqlite3 *db, void *arg)
{
    put_args_t *a = arg;
    /* Entry 1 is never replaced: a repeat of it is a duplicate. */
    int rc = store_exec_args(db, a->e->entry == 2
                                 ? "INSERT OR REPLACE INTO held_entries(batch, paper, sheet, entry, form_id,"
                                   " submission_id, entered_by, entered_at, written, answers)"
                                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                                 : "INSERT INTO held_entries(batch, paper, sheet, entry, form_id,"
                                   " submission_id, entered_by, entered_at, written, answers)"
                                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                             "ttiitttiit", a->k->batch, a->k->paper, a->k->sheet, (int64_t)a->e->entry,
                             a->form_id, a->e->submission_id, a->e->entered_by, a->now, a->e->written,
                             a->e->answers);
    if (rc == SQLITE_DONE) return STORE_OK;
    return rc == SQLITE_CONSTRAINT_UNIQUE ? STORE_DUP : STORE_ERR;
}

store_rc_t store_held_put(store_t *s, const held_key_t *k, const char *form_id, const held_entry_t *e,
                          int64_t now)
{
    put_args_t a = { k, form_id, e, now };
    return (store_rc_t)store_write_txn(s, put_fn, &a);
}

typedef struct drop_args {
    const held_key_t *k;
    const char       *actor, *sid;
    int64_t           now;
} drop_args_t;

static int drop_fn(sqlite3 *db, void *arg)
{
    drop_args_t *a = arg;
    /* Who entered it, for the audit: "ana, luis". */
    sqlite3_stmt *st = store_stmt(db, "SELECT group_concat(entered_by, ', ') FROM"
                                      " (SELECT entered_by FROM held_entries"
                                      "  WHERE batch = ?1 AND paper = ?2 AND sheet = ?3 AND stored = 0 ORDER BY entry)",
                                  "tti", a->k->batch, a->k->paper, a->k->sheet);
    if (!st) return STORE_ERR;
    char *who = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)
                    ? xstrdup((const char *)sqlite3_column_text(st, 0)) : NULL;
    sqlite3_finalize(st);
    if (!who) return STORE_OK;   /* nothing held (a repeat) */
    buf_t obj;
    buf_init(&obj);
    buf_printf(&obj, "respuesta:%s", a->sid);
    int rc = store_exec_args(db, "DELETE FROM held_entries WHERE batch = ?1 AND paper = ?2 AND sheet = ?3"
                                 " AND entry = 2", "tti", a->k->batch, a->k->paper, a->k->sheet) == SQLITE_DONE &&
             store_exec_args(db, "UPDATE held_entries SET stored = 1, answers = ''"
                                 " WHERE batch = ?1 AND paper = ?2 AND sheet = ?3",
                             "tti", a->k->batch, a->k->paper, a->k->sheet) == SQLITE_DONE &&
             store_audit_add(db, a->now, a->actor, "doble_entrada", obj.data, who) == STORE_OK
                 ? STORE_OK : STORE_ERR;
    buf_free(&obj);
    free(who);
    return rc;
}

store_rc_t store_held_drop(store_t *s, const held_key_t *k, const char *actor, const char *submission_id,
                           int64_t now)
{
    drop_args_t a = { k, actor, submission_id, now };
    return (store_rc_t)store_write_txn(s, drop_fn, &a);
}
