/*
 * store_notice.c: the SQL of staff notices (see store_notice.h): account
 * settings (users.email, users.notice_services), the outbox
 * (notice_outbox) and the notifier's state (notice_state), all from
 * migration 8 of store.c.
 */
#include "store/store_notice.h"
#include "store/store_int.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

/* A column's text, copied (NULL for NULL). */
static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? xstrdup((const char *)t) : NULL;
}

/* Step st to its end; SQLITE_DONE or the failing code (logged). Finalizes. */
static int finish(sqlite3_stmt *st, int rc)
{
    if (rc != SQLITE_DONE)
        fprintf(stderr, "store: %s: %s\n", sqlite3_sql(st), sqlite3_errmsg(sqlite3_db_handle(st)));
    sqlite3_finalize(st);
    return rc;
}

/* ---- account settings ------------------------------------------------------ */

typedef struct prefs_args {
    notice_pref_t *v;
    size_t n;
} prefs_args_t;

static int prefs_fn(sqlite3 *db, void *arg)
{
    prefs_args_t *a = arg;
    sqlite3_stmt *st = store_stmt(db, "SELECT name, role, disabled, email, notice_services, lang FROM users"
                                      " ORDER BY name", "");
    if (!st) return STORE_ERR;
    int rc;
    size_t cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (a->n == cap) {
            cap = cap ? 2 * cap : 16;
            a->v = xrealloc(a->v, cap * sizeof *a->v);
        }
        notice_pref_t *p = &a->v[a->n++];
        int role = auth_role_parse((const char *)sqlite3_column_text(st, 1));
        *p = (notice_pref_t){ .name = col_dup(st, 0), .role = role < 0 ? ROLE_LECTURA : (role_t)role,
                              .disabled = sqlite3_column_int(st, 2) != 0, .email = col_dup(st, 3),
                              .services = col_dup(st, 4),
                              .lang = i18n_parse((const char *)sqlite3_column_text(st, 5)) == LANG_HT ? LANG_HT
                                                                                                     : LANG_ES };
    }
    return finish(st, rc) == SQLITE_DONE ? STORE_OK : STORE_ERR;
}

store_rc_t store_notice_prefs(store_t *s, notice_pref_t **out, size_t *n)
{
    prefs_args_t a = { NULL, 0 };
    store_rc_t rc = store_read(s, prefs_fn, &a);
    if (rc != STORE_OK) {
        notice_pref_free(a.v, a.n);
        a.v = NULL;
        a.n = 0;
    }
    *out = a.v;
    *n = a.n;
    return rc;
}

typedef struct set_args {
    const char *name, *email, *services, *lang, *actor;
    int64_t now;
} set_args_t;

static int set_fn(sqlite3 *db, void *arg)
{
    set_args_t *a = arg;
    int rc = store_exec_args(db, "UPDATE users SET email = nullif(?2, ''), notice_services = nullif(?3, '')"
                                 " WHERE name = ?1", "ttt", a->name, a->email ? a->email : "",
                             a->services ? a->services : "");
    if (rc != SQLITE_DONE) return STORE_ERR;
    if (sqlite3_changes(db) == 0) return STORE_NOTFOUND;
    /* session 23: the notices' language, when given (NULL keeps it). */
    if (a->lang && store_exec_args(db, "UPDATE users SET lang = ?2 WHERE name = ?1", "tt", a->name, a->lang)
                       != SQLITE_DONE)
        return STORE_ERR;
    buf_t obj, detail;
    buf_init(&obj);
    buf_init(&detail);
    buf_printf(&obj, "usuario:%s", a->name);
    /* The address itself stays out of the log (it is personal data of
     * the staff member, and the users page shows it to admins anyway). */
    buf_printf(&detail, "%s; %s", a->email && *a->email ? "correo" : "sin correo",
               a->services && *a->services ? a->services : "*");
    if (a->lang) buf_printf(&detail, "; %s", a->lang);
    int r = store_audit_add(db, a->now, a->actor, "avisos_usuario", obj.data, detail.data);
    buf_free(&obj);
    buf_free(&detail);
    return r;
}

store_rc_t store_notice_set(store_t *s, const char *name, const char *email, const char *services,
                            const char *lang, const char *actor, int64_t now)
{
    assert(s && name && actor);
    set_args_t a = { name, email, services, lang, actor, now };
    return store_write_txn(s, set_fn, &a);
}

/* ---- deriving notices ------------------------------------------------------ */

/* Who hears of a notice: the accounts of these roles with an address. */
#define HEARS_CASES "role IN ('admin','atencion') AND (notice_services IS NULL OR" \
                    " instr(',' || notice_services || ',', ',' || ?4 || ',') > 0)"
#define HEARS_PLAN  "role IN ('admin','planificacion')"

/* Write the rows of one notice (email to every account who hears of it,
 * and the webhook); adds the rows written to *added. */
static bool put_notice(sqlite3 *db, const notice_derive_t *d, const char *key, const char *kind,
                       const char *object, const char *service, const char *due, const char *extra,
                       bool plan, int *added)
{
    if (d->email) {
        char sql[1024];
        snprintf(sql, sizeof sql,
                 "INSERT OR IGNORE INTO notice_outbox(nkey, kind, object, channel, recipient, address,"
                 " lang, service, due, extra, created_at, next_ms)"
                 " SELECT ?1, ?2, ?3, 'email', name, email, lang, ?4, ?5, ?6, ?7, ?8 FROM users"
                 " WHERE disabled = 0 AND email IS NOT NULL AND %s",
                 plan ? HEARS_PLAN : HEARS_CASES);
        if (store_exec_args(db, sql, "ttttttii", key, kind, object, service, due, extra, d->now,
                            d->email_next_ms) != SQLITE_DONE)
            return false;
        *added += sqlite3_changes(db);
    }
    if (d->webhook) {
        if (store_exec_args(db, "INSERT OR IGNORE INTO notice_outbox(nkey, kind, object, channel, recipient,"
                                " address, lang, service, due, extra, created_at, next_ms)"
                                " VALUES(?1, ?2, ?3, 'webhook', '', '', 'es', ?4, ?5, ?6, ?7, ?8)",
                            "ttttttii", key, kind, object, service, due, extra, d->now, d->now_ms)
            != SQLITE_DONE)
            return false;
        *added += sqlite3_changes(db);
    }
    return true;
}

typedef struct derive_args {
    const notice_derive_t *d;
    int added;
} derive_args_t;

static int derive_fn(sqlite3 *db, void *arg)
{
    derive_args_t *a = arg;
    const notice_derive_t *d = a->d;
    buf_t key, obj;
    buf_init(&key);
    buf_init(&obj);
    int ret = STORE_ERR;

    /* New cases, past the watermark. */
    sqlite3_stmt *st = store_stmt(db, "SELECT id, code, coalesce(service, ''), coalesce(due_date, ''), kind"
                                      " FROM cases WHERE id > (SELECT CAST(v AS INTEGER) FROM notice_state"
                                      " WHERE k = 'cases_seen') ORDER BY id", "");
    if (!st) goto out;
    int rc;
    int64_t seen = -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        seen = sqlite3_column_int64(st, 0);
        const char *code = (const char *)sqlite3_column_text(st, 1);
        buf_reset(&key);
        buf_reset(&obj);
        buf_printf(&key, "nuevo:%s", code);
        buf_printf(&obj, "caso:%s", code);
        if (!put_notice(db, d, key.data, NOTICE_NEW, obj.data, (const char *)sqlite3_column_text(st, 2),
                        (const char *)sqlite3_column_text(st, 3), (const char *)sqlite3_column_text(st, 4), false,
                        &a->added)) {
            sqlite3_finalize(st);
            goto out;
        }
    }
    if (finish(st, rc) != SQLITE_DONE) goto out;
    if (seen >= 0 && store_exec_args(db, "INSERT OR REPLACE INTO notice_state(k, v) VALUES('cases_seen', ?1)",
                                     "i", seen) != SQLITE_DONE)
        goto out;

    /* Open cases without a public answer near or past their deadline. */
    st = store_stmt(db, "SELECT code, coalesce(service, ''), due_date, kind FROM cases"
                        " WHERE closed_at IS NULL AND first_answer_at IS NULL AND due_date IS NOT NULL"
                        " AND due_date <= ?1", "t", d->soon);
    if (!st) goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(st, 0);
        const char *due = (const char *)sqlite3_column_text(st, 2);
        bool late = strcmp(due, d->today) < 0;
        buf_reset(&key);
        buf_reset(&obj);
        buf_printf(&key, "%s:%s", late ? "vencido" : "vence", code);
        buf_printf(&obj, "caso:%s", code);
        if (!put_notice(db, d, key.data, late ? NOTICE_OVERDUE : NOTICE_DUE_SOON, obj.data,
                        (const char *)sqlite3_column_text(st, 1), due, (const char *)sqlite3_column_text(st, 3),
                        false, &a->added)) {
            sqlite3_finalize(st);
            goto out;
        }
    }
    if (finish(st, rc) != SQLITE_DONE) goto out;

    /* Plan actions about to end. */
    for (size_t i = 0; i < d->nplans; i++) {
        const notice_plan_end_t *p = &d->plans[i];
        buf_reset(&key);
        buf_reset(&obj);
        buf_printf(&key, "plan:%d:%.7s", p->number, p->end);
        buf_printf(&obj, "plan:%d", p->number);
        if (!put_notice(db, d, key.data, NOTICE_PLAN_END, obj.data, "", p->end, p->unit ? p->unit : "", true,
                        &a->added))
            goto out;
    }
    ret = STORE_OK;
out:
    buf_free(&key);
    buf_free(&obj);
    return ret;
}

store_rc_t store_notice_derive(store_t *s, const notice_derive_t *d, int *added)
{
    derive_args_t a = { d, 0 };
    int rc = store_write_txn(s, derive_fn, &a);
    *added = rc == STORE_OK ? a.added : 0;
    return rc == STORE_OK ? STORE_OK : STORE_ERR;
}

/* ---- sending ------------------------------------------------------------------ */

typedef struct due_args {
    bool email, webhook;
    int64_t now_ms;
    size_t limit;
    notice_t *v;
    size_t n;
} due_args_t;

static int due_fn(sqlite3 *db, void *arg)
{
    due_args_t *a = arg;
    sqlite3_stmt *st = store_stmt(db, "SELECT id, kind, object, channel, recipient, address, lang, service,"
                                      " due, extra, attempts FROM notice_outbox"
                                      " WHERE sent_at IS NULL AND next_ms <= ?1 AND channel IN (?3, ?4)"
                                      " ORDER BY id LIMIT ?2",
                                  "iitt", a->now_ms, (int64_t)a->limit, a->email ? "email" : "",
                                  a->webhook ? "webhook" : "");
    if (!st) return STORE_ERR;
    int rc;
    a->v = xcalloc(a->limit ? a->limit : 1, sizeof *a->v);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && a->n < a->limit) {
        notice_t *n = &a->v[a->n++];
        int lang = i18n_parse((const char *)sqlite3_column_text(st, 6));
        *n = (notice_t){ .id = sqlite3_column_int64(st, 0), .kind = col_dup(st, 1), .object = col_dup(st, 2),
                         .channel = col_dup(st, 3), .recipient = col_dup(st, 4), .address = col_dup(st, 5),
                         .lang = lang < 0 ? LANG_ES : (lang_t)lang, .service = col_dup(st, 7),
                         .due = col_dup(st, 8), .extra = col_dup(st, 9),
                         .attempts = sqlite3_column_int(st, 10) };
    }
    return finish(st, rc == SQLITE_ROW ? SQLITE_DONE : rc) == SQLITE_DONE ? STORE_OK : STORE_ERR;
}

store_rc_t store_notice_due(store_t *s, bool email, bool webhook, int64_t now_ms, size_t limit,
                            notice_t **out, size_t *n)
{
    due_args_t a = { email, webhook, now_ms, limit, NULL, 0 };
    store_rc_t rc = store_read(s, due_fn, &a);
    if (rc != STORE_OK) {
        notice_free(a.v, a.n);
        a.v = NULL;
        a.n = 0;
    }
    *out = a.v;
    *n = a.n;
    return rc;
}

typedef struct done_args {
    const int64_t *ids;
    size_t n;
    const char *channel, *error;
    int64_t now, retry_ms;
} done_args_t;

static int done_fn(sqlite3 *db, void *arg)
{
    done_args_t *a = arg;
    buf_t detail;
    buf_init(&detail);
    int ret = STORE_ERR;
    for (size_t i = 0; i < a->n; i++) {
        sqlite3_stmt *st = store_stmt(db, "SELECT object, channel, recipient FROM notice_outbox"
                                          " WHERE id = ?1 AND sent_at IS NULL", "i", a->ids[i]);
        if (!st) goto out;
        int rc = sqlite3_step(st);
        if (rc != SQLITE_ROW) {   /* already marked (cannot happen with one notifier): nothing to do */
            if (finish(st, rc == SQLITE_DONE ? SQLITE_DONE : rc) != SQLITE_DONE) goto out;
            continue;
        }
        buf_reset(&detail);
        const char *channel = (const char *)sqlite3_column_text(st, 1);
        const char *who = (const char *)sqlite3_column_text(st, 2);
        buf_printf(&detail, "%s%s%s", channel, *who ? ":" : "", who);
        if (a->error) buf_printf(&detail, ": %s", a->error);
        char *object = col_dup(st, 0);
        sqlite3_finalize(st);
        int r = a->error
                    ? store_exec_args(db, "UPDATE notice_outbox SET attempts = attempts + 1, next_ms = ?2,"
                                          " last_error = ?3 WHERE id = ?1", "iit", a->ids[i], a->retry_ms,
                                      a->error)
                    : store_exec_args(db, "UPDATE notice_outbox SET attempts = attempts + 1, sent_at = ?2,"
                                          " last_error = NULL WHERE id = ?1", "ii", a->ids[i], a->now);
        if (r != SQLITE_DONE ||
            store_audit_add(db, a->now, "sistema", a->error ? "aviso_fallido" : "aviso_enviado", object,
                            detail.data) != STORE_OK) {
            free(object);
            goto out;
        }
        free(object);
    }
    /* The channel's last outcome: a success clears its error (the other
     * channel's stays: a working webhook says nothing of the relay). */
    buf_reset(&detail);
    buf_printf(&detail, "error:%s", a->channel);
    if (a->error) {
        if (store_exec_args(db, "INSERT OR REPLACE INTO notice_state(k, v) VALUES(?1, ?3 || ' ' || ?2)",
                            "tti", detail.data, a->error, a->now) != SQLITE_DONE)
            goto out;
    } else if (store_exec_args(db, "DELETE FROM notice_state WHERE k = ?1", "t", detail.data) != SQLITE_DONE) {
        goto out;
    }
    ret = STORE_OK;
out:
    buf_free(&detail);
    return ret;
}

typedef struct prune_args {
    int64_t before;
    int deleted;
} prune_args_t;

static int prune_fn(sqlite3 *db, void *arg)
{
    prune_args_t *a = arg;
    if (store_exec_args(db, "DELETE FROM notice_outbox WHERE sent_at IS NOT NULL AND sent_at < ?1"
                            " AND NOT (kind IN ('" NOTICE_DUE_SOON "', '" NOTICE_OVERDUE "') AND object IN"
                            " (SELECT 'caso:' || code FROM cases WHERE closed_at IS NULL"
                            " AND first_answer_at IS NULL AND due_date IS NOT NULL))",
                        "i", a->before) != SQLITE_DONE)
        return STORE_ERR;
    a->deleted = sqlite3_changes(db);
    return STORE_OK;
}

store_rc_t store_notice_prune(store_t *s, int64_t before, int *deleted)
{
    prune_args_t a = { before, 0 };
    int rc = store_write_txn(s, prune_fn, &a);
    if (deleted) *deleted = rc == STORE_OK ? a.deleted : 0;
    return rc == STORE_OK ? STORE_OK : STORE_ERR;
}

store_rc_t store_notice_done(store_t *s, const char *channel, const int64_t *ids, size_t n,
                             const char *error, int64_t now, int64_t retry_ms)
{
    assert(s && channel && (ids || !n));
    done_args_t a = { ids, n, channel, error, now, retry_ms };
    return store_write_txn(s, done_fn, &a) == STORE_OK ? STORE_OK : STORE_ERR;
}

typedef struct status_args {
    int64_t pending, error_at;
    char *error;
} status_args_t;

static int status_fn(sqlite3 *db, void *arg)
{
    status_args_t *a = arg;
    /* notice_state 'error:<channel>' holds "<unix time> <message>"; the
     * newest of the channels' errors is shown. */
    sqlite3_stmt *st = store_stmt(db, "SELECT (SELECT count(*) FROM notice_outbox WHERE sent_at IS NULL),"
                                      " v FROM (SELECT 1) LEFT JOIN (SELECT v FROM notice_state"
                                      " WHERE k LIKE 'error:%' ORDER BY CAST(v AS INTEGER) DESC LIMIT 1)",
                                  "");
    if (!st) return STORE_ERR;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        a->pending = sqlite3_column_int64(st, 0);
        const char *v = (const char *)sqlite3_column_text(st, 1);
        if (v) {
            char *sp;
            a->error_at = strtoll(v, &sp, 10);
            a->error = xstrdup(*sp ? sp + 1 : sp);
        }
        rc = SQLITE_DONE;
    }
    return finish(st, rc) == SQLITE_DONE ? STORE_OK : STORE_ERR;
}

store_rc_t store_notice_status(store_t *s, int64_t *pending, char **error, int64_t *error_at)
{
    status_args_t a = { 0, 0, NULL };
    store_rc_t rc = store_read(s, status_fn, &a);
    if (rc != STORE_OK) {
        free(a.error);
        a.error = NULL;
    }
    *pending = a.pending;
    *error = a.error;
    *error_at = a.error_at;
    return rc;
}
