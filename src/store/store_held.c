/*
 * store_held.c: held sheets of double-entry batches (store_held.h). Not on
 * a hot path: statements are prepared per call.
 */
#include "store/store_held.h"
#include "store/store_int.h"

#include <stdio.h>
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

/* Who entered the sheet k's held (not stored) entries, for the audit:
 * "ana, luis" (caller frees), or NULL when nothing is held; *err on a
 * failure. */
static char *held_who(sqlite3 *db, const held_key_t *k, bool *err)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT group_concat(entered_by, ', ') FROM"
                                      " (SELECT entered_by FROM held_entries"
                                      "  WHERE batch = ?1 AND paper = ?2 AND sheet = ?3 AND stored = 0 ORDER BY entry)",
                                  "tti", k->batch, k->paper, k->sheet);
    *err = !st;
    if (!st) return NULL;
    char *who = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)
                    ? xstrdup((const char *)sqlite3_column_text(st, 0)) : NULL;
    sqlite3_finalize(st);
    return who;
}

typedef struct drop_args {
    const held_key_t *k;
    const char       *actor, *sid, *action, *how;
    int64_t           now;
} drop_args_t;

static int drop_fn(sqlite3 *db, void *arg)
{
    drop_args_t *a = arg;
    bool err;
    char *who = held_who(db, a->k, &err);
    if (err) return STORE_ERR;
    if (!who) return STORE_OK;   /* nothing held (a repeat) */
    buf_t obj, detail;
    buf_init(&obj);
    buf_printf(&obj, "respuesta:%s", a->sid);
    buf_init(&detail);
    buf_puts(&detail, who);
    if (a->how) buf_printf(&detail, "; %s", a->how);
    int rc = store_exec_args(db, "DELETE FROM held_entries WHERE batch = ?1 AND paper = ?2 AND sheet = ?3"
                                 " AND entry = 2", "tti", a->k->batch, a->k->paper, a->k->sheet) == SQLITE_DONE &&
             store_exec_args(db, "UPDATE held_entries SET stored = 1, answers = ''"
                                 " WHERE batch = ?1 AND paper = ?2 AND sheet = ?3",
                             "tti", a->k->batch, a->k->paper, a->k->sheet) == SQLITE_DONE &&
             store_audit_add(db, a->now, a->actor, a->action, obj.data, detail.data) == STORE_OK
                 ? STORE_OK : STORE_ERR;
    buf_free(&obj);
    buf_free(&detail);
    free(who);
    return rc;
}

store_rc_t store_held_drop(store_t *s, const held_key_t *k, const char *actor, const char *submission_id,
                           const char *action, const char *how, int64_t now)
{
    drop_args_t a = { k, actor, submission_id, action, how, now };
    return (store_rc_t)store_write_txn(s, drop_fn, &a);
}

static int discard_fn(sqlite3 *db, void *arg)
{
    drop_args_t *a = arg;
    bool err;
    char *who = held_who(db, a->k, &err);
    if (err) return STORE_ERR;
    if (!who) return STORE_NOTFOUND;
    buf_t obj;
    buf_init(&obj);
    buf_printf(&obj, "hoja:%s/%s/%lld", a->k->batch, a->k->paper, (long long)a->k->sheet);
    int rc = store_exec_args(db, "DELETE FROM held_entries WHERE batch = ?1 AND paper = ?2 AND sheet = ?3"
                                 " AND stored = 0", "tti", a->k->batch, a->k->paper, a->k->sheet) == SQLITE_DONE &&
             store_audit_add(db, a->now, a->actor, "hoja_descartada", obj.data, who) == STORE_OK
                 ? STORE_OK : STORE_ERR;
    buf_free(&obj);
    free(who);
    return rc;
}

store_rc_t store_held_discard(store_t *s, const held_key_t *k, const char *actor, int64_t now)
{
    drop_args_t a = { k, actor, NULL, NULL, NULL, now };
    return (store_rc_t)store_write_txn(s, discard_fn, &a);
}

typedef struct purge_args {
    int64_t cutoff, now;
    int     n;
} purge_args_t;

/* The sheets (not stored) whose newest entry is older than ?1. */
#define STALE_SHEETS_SQL "SELECT batch, paper, sheet FROM held_entries WHERE stored = 0" \
                         " GROUP BY batch, paper, sheet HAVING max(entered_at) < ?1"

static int purge_fn(sqlite3 *db, void *arg)
{
    purge_args_t *a = arg;
    sqlite3_stmt *st = store_stmt(db, "SELECT count(*) FROM (" STALE_SHEETS_SQL ")", "i", a->cutoff);
    if (!st) return STORE_ERR;
    a->n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    if (a->n <= 0) return a->n < 0 ? STORE_ERR : STORE_OK;
    char detail[32];
    snprintf(detail, sizeof detail, "%d", a->n);
    return store_exec_args(db, "DELETE FROM held_entries WHERE stored = 0 AND (batch, paper, sheet) IN"
                               " (" STALE_SHEETS_SQL ")", "i", a->cutoff) == SQLITE_DONE &&
                   store_audit_add(db, a->now, "sistema", "hojas_retenidas_purgadas", "held_entries", detail) == STORE_OK
               ? STORE_OK : STORE_ERR;
}

int store_held_purge(store_t *s, int64_t cutoff, int64_t now)
{
    purge_args_t a = { cutoff, now, 0 };
    return store_write_txn(s, purge_fn, &a) == STORE_OK ? a.n : -1;
}

typedef struct since_args {
    int64_t id, *at;
} since_args_t;

static int since_fn(sqlite3 *db, void *arg)
{
    since_args_t *a = arg;
    sqlite3_stmt *st = store_stmt(db, "SELECT created_at FROM form_versions WHERE id = ?1", "i", a->id);
    if (!st) return STORE_ERR;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *a->at = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERR;
}

store_rc_t store_form_version_since(store_t *s, int64_t id, int64_t *at)
{
    since_args_t a = { id, at };
    return (store_rc_t)store_read(s, since_fn, &a);
}

void held_sheet_free(held_sheet_t *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].batch);
        free(v[i].paper);
        free(v[i].clerks);
    }
    free(v);
}

typedef struct list_args {
    size_t         max;
    held_sheet_t **out;
    size_t        *n;
} list_args_t;

static int list_fn(sqlite3 *db, void *arg)
{
    list_args_t *a = arg;
    sqlite3_stmt *st = store_stmt(db, "SELECT batch, paper, sheet, max(entered_at), group_concat(entered_by, ', ')"
                                      " FROM (SELECT * FROM held_entries WHERE stored = 0 ORDER BY entry)"
                                      " GROUP BY batch, paper, sheet HAVING count(*) = 2"
                                      " ORDER BY max(entered_at), batch, sheet LIMIT ?1", "i", (int64_t)a->max);
    if (!st) return STORE_ERR;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *a->out = xrealloc(*a->out, (*a->n + 1) * sizeof **a->out);
        held_sheet_t *h = &(*a->out)[(*a->n)++];
        h->batch = xstrdup((const char *)sqlite3_column_text(st, 0));
        h->paper = xstrdup((const char *)sqlite3_column_text(st, 1));
        h->sheet = sqlite3_column_int64(st, 2);
        h->entered_at = sqlite3_column_int64(st, 3);
        h->clerks = xstrdup(sqlite3_column_text(st, 4) ? (const char *)sqlite3_column_text(st, 4) : "");
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERR;
}

store_rc_t store_held_list(store_t *s, size_t max, held_sheet_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    list_args_t a = { max, out, n };
    store_rc_t rc = (store_rc_t)store_read(s, list_fn, &a);
    if (rc != STORE_OK) {
        held_sheet_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

typedef struct hour_args {
    const char *sid;
    int64_t    *hour;
} hour_args_t;

static int hour_fn(sqlite3 *db, void *arg)
{
    hour_args_t *a = arg;
    sqlite3_stmt *st = store_stmt(db, "SELECT submitted_hour FROM responses WHERE submission_id = ?1", "t", a->sid);
    if (!st) return STORE_ERR;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *a->hour = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERR;
}

store_rc_t store_held_response_hour(store_t *s, const char *submission_id, int64_t *hour)
{
    hour_args_t a = { submission_id, hour };
    return (store_rc_t)store_read(s, hour_fn, &a);
}
