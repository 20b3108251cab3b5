/*
 * store_staff.c: staff accounts, sessions and the audit log in the store
 * (store_staff.h), plus the small statement helpers the other store_*.c modules
 * of this concern share (store_int.h).
 *
 * None of this is on a hot path (a login, a page view by a member of
 * staff), so statements are prepared per call rather than kept. Every
 * change and its audit entry are written in one transaction.
 */
#include "store/store_staff.h"
#include "store/store_int.h"

#include <assert.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

/* ---- statement helpers (store_int.h) ----------------------------------- */

static sqlite3_stmt *vstmt(sqlite3 *db, const char *sql, const char *types, va_list ap)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "store: %s: %s\n", sql, sqlite3_errmsg(db));
        return NULL;
    }
    /* One letter per parameter: catches a forgotten or extra argument. */
    assert(sqlite3_bind_parameter_count(st) == (int)strlen(types));
    int rc = SQLITE_OK;
    for (int i = 0; types[i] && rc == SQLITE_OK; i++) {
        switch (types[i]) {
        case 't': rc = sqlite3_bind_text(st, i + 1, va_arg(ap, const char *), -1, SQLITE_STATIC); break;
        case 'i': rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t)); break;
        case 'b': {
            const void *p = va_arg(ap, const void *);
            int n = va_arg(ap, int);
            rc = sqlite3_bind_blob(st, i + 1, p, n, SQLITE_STATIC);
            break;
        }
        default: assert(!"unknown bind type"); rc = SQLITE_MISUSE;
        }
    }
    if (rc != SQLITE_OK) {
        fprintf(stderr, "store: bind %s: %s\n", sql, sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

sqlite3_stmt *store_stmt(sqlite3 *db, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *st = vstmt(db, sql, types, ap);
    va_end(ap);
    return st;
}

int store_exec_args(sqlite3 *db, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *st = vstmt(db, sql, types, ap);
    va_end(ap);
    if (!st) return SQLITE_ERROR;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE && (rc & 0xff) != SQLITE_CONSTRAINT)
        fprintf(stderr, "store: %s: %s\n", sql, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}

store_rc_t store_audit_add(sqlite3 *db, int64_t at, const char *actor, const char *action,
                           const char *object, const char *detail)
{
    assert(actor && action && object);
    return store_exec_args(db, "INSERT INTO audit(at, actor, action, object, detail)"
                               " VALUES(?1, ?2, ?3, ?4, ?5)",
                           "itttt", at, actor, action, object, detail ? detail : "")
               == SQLITE_DONE ? STORE_OK : STORE_ERR;
}

/* Run a statement that yields at most one row; true with the statement
 * positioned on it (caller finalizes) or false (finalized). *err is set
 * when the false is an error rather than "no row". */
static bool one_row(sqlite3_stmt *st, bool *err)
{
    *err = st == NULL;
    if (!st) return false;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "store: %s: %s\n", sqlite3_sql(st), sqlite3_errmsg(sqlite3_db_handle(st)));
        *err = true;
    }
    sqlite3_finalize(st);
    return false;
}

/* The audit log's name for an account. */
static void user_object(buf_t *b, const char *name)
{
    buf_reset(b);
    buf_printf(b, "usuario:%s", name);
}

/* ---- accounts ------------------------------------------------------------ */

typedef struct user_args {
    const char *name, *pwhash, *actor;
    role_t role;
    int64_t now;
} user_args_t;

static int add_fn(sqlite3 *db, void *arg)
{
    user_args_t *a = arg;
    int rc = store_exec_args(db, "INSERT INTO users(name, role, pwhash, created_at)"
                                 " VALUES(?1, ?2, ?3, ?4)",
                             "ttti", a->name, auth_role_name(a->role), a->pwhash, a->now);
    if (rc == SQLITE_CONSTRAINT_UNIQUE) return STORE_DUP;
    if (rc != SQLITE_DONE) return STORE_ERR;
    buf_t obj;
    buf_init(&obj);
    user_object(&obj, a->name);
    int r = store_audit_add(db, a->now, a->actor, "usuario_creado", obj.data, auth_role_name(a->role));
    buf_free(&obj);
    return r;
}

store_rc_t store_user_add(store_t *s, const char *name, role_t role, const char *pwhash,
                          const char *actor, int64_t now)
{
    assert(s && auth_valid_name(name) && pwhash && actor);
    user_args_t a = { .name = name, .role = role, .pwhash = pwhash, .actor = actor, .now = now };
    return store_write_txn(s, add_fn, &a);
}

/* Change one column of an account (the password, the disabled flag or
 * the role), end its sessions (when end_sessions) and audit it. */
typedef struct change_args {
    user_args_t u;
    const char *sql;      /* UPDATE ... WHERE name = ?1 [, ?2 arg] */
    const char *types;    /* "t" or "tt" */
    const char *arg;      /* ?2: the new hash or role name */
    const char *action;
    const char *detail;   /* of the audit entry, or NULL */
    bool end_sessions;
    bool keep_admin;      /* refuse if name is the last enabled admin */
} change_args_t;

/* Is name the only enabled admin account? -1 on error. */
static int last_admin(sqlite3 *db, const char *name)
{
    bool err;
    sqlite3_stmt *st = store_stmt(db, "SELECT EXISTS(SELECT 1 FROM users WHERE name = ?1"
                                      " AND role = 'admin' AND disabled = 0) AND NOT EXISTS("
                                      "SELECT 1 FROM users WHERE name <> ?1 AND role = 'admin'"
                                      " AND disabled = 0)", "t", name);
    if (!one_row(st, &err)) return -1;
    int r = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return r;
}

static int change_fn(sqlite3 *db, void *arg)
{
    change_args_t *a = arg;
    if (a->keep_admin) {
        int last = last_admin(db, a->u.name);
        if (last < 0) return STORE_ERR;
        if (last) return STORE_LAST_ADMIN;
    }
    if (store_exec_args(db, a->sql, a->types, a->u.name, a->arg) != SQLITE_DONE) return STORE_ERR;
    if (sqlite3_changes(db) == 0) return STORE_NOTFOUND;
    if (a->end_sessions &&
        store_exec_args(db, "DELETE FROM sessions WHERE user_id ="
                            " (SELECT id FROM users WHERE name = ?1)", "t", a->u.name) != SQLITE_DONE)
        return STORE_ERR;
    buf_t obj;
    buf_init(&obj);
    user_object(&obj, a->u.name);
    int r = store_audit_add(db, a->u.now, a->u.actor, a->action, obj.data, a->detail);
    buf_free(&obj);
    return r;
}

store_rc_t store_user_passwd(store_t *s, const char *name, const char *pwhash,
                             const char *actor, int64_t now)
{
    assert(s && name && pwhash && actor);
    change_args_t a = { .u = { .name = name, .actor = actor, .now = now },
                        .sql = "UPDATE users SET pwhash = ?2 WHERE name = ?1", .types = "tt",
                        .arg = pwhash, .action = "clave_cambiada", .end_sessions = true };
    return store_write_txn(s, change_fn, &a);
}

store_rc_t store_user_disable(store_t *s, const char *name, const char *actor, int64_t now)
{
    assert(s && name && actor);
    change_args_t a = { .u = { .name = name, .actor = actor, .now = now },
                        .sql = "UPDATE users SET disabled = 1, ticket_gen = ticket_gen + 1 WHERE name = ?1", .types = "t",
                        .action = "usuario_desactivado", .end_sessions = true, .keep_admin = true };
    return store_write_txn(s, change_fn, &a);
}

store_rc_t store_user_enable(store_t *s, const char *name, const char *actor, int64_t now)
{
    assert(s && name && actor);
    change_args_t a = { .u = { .name = name, .actor = actor, .now = now },
                        .sql = "UPDATE users SET disabled = 0 WHERE name = ?1", .types = "t",
                        .action = "usuario_activado" };
    return store_write_txn(s, change_fn, &a);
}

store_rc_t store_user_role(store_t *s, const char *name, role_t role, const char *actor, int64_t now)
{
    assert(s && name && actor && role < ROLE_COUNT);
    change_args_t a = { .u = { .name = name, .actor = actor, .now = now },
                        .sql = "UPDATE users SET role = ?2 WHERE name = ?1", .types = "tt",
                        .arg = auth_role_name(role), .action = "rol_cambiado",
                        .detail = auth_role_name(role), .keep_admin = role != ROLE_ADMIN };
    return store_write_txn(s, change_fn, &a);
}

typedef struct list_args {
    user_info_t *v;
    size_t n;
} list_args_t;

static int list_fn(sqlite3 *db, void *arg)
{
    list_args_t *a = arg;
    sqlite3_stmt *st = store_stmt(db, "SELECT id, name, role, disabled, created_at,"
                                      " coalesce(last_login, 0), email, lang FROM users ORDER BY name", "");
    if (!st) return STORE_ERR;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int role = auth_role_parse((const char *)sqlite3_column_text(st, 2));
        a->v = xrealloc(a->v, (a->n + 1) * sizeof *a->v);
        a->v[a->n++] = (user_info_t){
            .id = sqlite3_column_int64(st, 0),
            .name = xstrdup((const char *)sqlite3_column_text(st, 1)),
            .role = role < 0 ? ROLE_LECTURA : (role_t)role, .disabled = sqlite3_column_int(st, 3),
            .created_at = sqlite3_column_int64(st, 4), .last_login = sqlite3_column_int64(st, 5),
            .email = sqlite3_column_type(st, 6) == SQLITE_NULL
                     ? NULL : xstrdup((const char *)sqlite3_column_text(st, 6)),
        };
        const unsigned char *lang = sqlite3_column_text(st, 7);
        snprintf(a->v[a->n - 1].lang, sizeof a->v[a->n - 1].lang, "%s", lang ? (const char *)lang : "es");
    }
    if (rc != SQLITE_DONE) fprintf(stderr, "store: users: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERR;
}

store_rc_t store_user_list(store_t *s, user_info_t **out, size_t *n)
{
    assert(s && out && n);
    list_args_t a = { NULL, 0 };
    store_rc_t rc = store_read(s, list_fn, &a);
    if (rc != STORE_OK) {
        user_info_free(a.v, a.n);
        a.v = NULL;
        a.n = 0;
    }
    *out = a.v;
    *n = a.n;
    return rc;
}

typedef struct count_args {
    int role;
    int64_t n;
} count_args_t;

static int count_fn(sqlite3 *db, void *arg)
{
    count_args_t *a = arg;
    bool err;
    sqlite3_stmt *st = store_stmt(db, "SELECT count(*) FROM users WHERE disabled = 0"
                                      " AND (?1 IS NULL OR role = ?1)",
                                  "t", a->role >= 0 ? auth_role_name((role_t)a->role) : NULL);
    if (!one_row(st, &err)) return STORE_ERR;
    a->n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return STORE_OK;
}

int64_t store_user_count(store_t *s, int role)
{
    assert(s && role < ROLE_COUNT);
    count_args_t a = { .role = role, .n = -1 };
    return store_read(s, count_fn, &a) == STORE_OK ? a.n : -1;
}

typedef struct cred_args {
    const char *name;
    int64_t *id;
    role_t *role;
    char **pwhash;
} cred_args_t;

static int cred_fn(sqlite3 *db, void *arg)
{
    cred_args_t *a = arg;
    bool err;
    sqlite3_stmt *st = store_stmt(db, "SELECT id, role, pwhash FROM users"
                                      " WHERE name = ?1 AND disabled = 0", "t", a->name);
    if (!one_row(st, &err)) return err ? STORE_ERR : STORE_NOTFOUND;
    int role = auth_role_parse((const char *)sqlite3_column_text(st, 1));
    *a->id = sqlite3_column_int64(st, 0);
    *a->role = role < 0 ? ROLE_LECTURA : (role_t)role;
    *a->pwhash = xstrdup((const char *)sqlite3_column_text(st, 2));
    sqlite3_finalize(st);
    return STORE_OK;
}

store_rc_t store_user_credentials(store_t *s, const char *name, int64_t *id, role_t *role,
                                  char **pwhash)
{
    assert(s && name && id && role && pwhash);
    cred_args_t a = { name, id, role, pwhash };
    return store_read(s, cred_fn, &a);
}

/* issue 17: an account by id, for an interview kept offline (its ticket
 * names the account, not a session). */
typedef struct byid_args {
    int64_t id;
    staff_t *out;
    bool *disabled;
    char **bind;
} byid_args_t;

static int byid_fn(sqlite3 *db, void *arg)
{
    byid_args_t *a = arg;
    bool err;
    /* what a ticket is bound to: the password and the logouts since */
    sqlite3_stmt *st = store_stmt(db, "SELECT name, role, disabled, pwhash || '#' || ticket_gen FROM users"
                                      " WHERE id = ?1", "i", a->id);
    if (!one_row(st, &err)) return err ? STORE_ERR : STORE_NOTFOUND;
    int role = auth_role_parse((const char *)sqlite3_column_text(st, 1));
    a->out->id = a->id;
    snprintf(a->out->name, sizeof a->out->name, "%s", (const char *)sqlite3_column_text(st, 0));
    a->out->role = role < 0 ? ROLE_LECTURA : (role_t)role;
    *a->disabled = sqlite3_column_int(st, 2) != 0;
    *a->bind = xstrdup((const char *)sqlite3_column_text(st, 3));
    sqlite3_finalize(st);
    return STORE_OK;
}

store_rc_t store_user_by_id(store_t *s, int64_t id, staff_t *out, bool *disabled, char **bind)
{
    assert(s && out && disabled && bind);
    *bind = NULL;
    byid_args_t a = { id, out, disabled, bind };
    return store_read(s, byid_fn, &a);
}

/* issue 17: the server's secret (migration 12), made on first use. */
typedef struct secret_args {
    unsigned char *out;
    size_t len;
} secret_args_t;

/* The stored secret into a->out: STORE_OK, or STORE_NOTFOUND before the
 * first start made one. */
static int secret_read_fn(sqlite3 *db, void *arg)
{
    secret_args_t *a = arg;
    bool err;
    sqlite3_stmt *st = store_stmt(db, "SELECT secret FROM server_secret WHERE id = 1", "");
    if (!one_row(st, &err)) return err ? STORE_ERR : STORE_NOTFOUND;
    int ok = sqlite3_column_bytes(st, 0) == (int)a->len;
    if (ok) memcpy(a->out, sqlite3_column_blob(st, 0), a->len);
    sqlite3_finalize(st);
    return ok ? STORE_OK : STORE_ERR;
}

static int secret_fn(sqlite3 *db, void *arg)
{
    secret_args_t *a = arg;
    unsigned char fresh[64];
    assert(a->len <= sizeof fresh);
    randombytes_buf(fresh, a->len);
    /* DO NOTHING: the first secret stays, whoever made it */
    int rc = store_exec_args(db, "INSERT INTO server_secret(id, secret) VALUES(1, ?1) ON CONFLICT(id) DO NOTHING",
                             "b", fresh, (int)a->len);
    sodium_memzero(fresh, sizeof fresh);
    if (rc != SQLITE_DONE) return STORE_ERR;
    int r = secret_read_fn(db, a);
    return r == STORE_NOTFOUND ? STORE_ERR : r;
}

store_rc_t store_secret(store_t *s, unsigned char *out, size_t len)
{
    assert(s && out && len > 0 && len <= 64);
    secret_args_t a = { out, len };
    /* A read at every start; the write only the first time. */
    store_rc_t rc = store_read(s, secret_read_fn, &a);
    return rc == STORE_NOTFOUND ? store_write_txn(s, secret_fn, &a) : rc;
}

/* ---- sessions ------------------------------------------------------------ */

typedef struct sess_args {
    const staff_t *user;
    staff_t *out;
    const unsigned char *hash;
    const char *actor;
    int64_t now;
    bool touch, expired;
} sess_args_t;

/* Sessions past their idle or absolute limit as of ?1 (now), with ?3 and
 * ?4 bound to AUTH_IDLE_S and AUTH_ABSOLUTE_S (get_fn spells it out with
 * its table alias). */
#define EXPIRED_SQL "(last_seen <= ?1 - ?3 OR created_at <= ?1 - ?4)"

static int create_fn(sqlite3 *db, void *arg)
{
    sess_args_t *a = arg;
    if (store_exec_args(db, "DELETE FROM sessions WHERE " EXPIRED_SQL, "iiii", a->now, (int64_t)0,
                        (int64_t)AUTH_IDLE_S, (int64_t)AUTH_ABSOLUTE_S) != SQLITE_DONE ||
        store_exec_args(db, "INSERT INTO sessions(token_hash, user_id, created_at, last_seen)"
                            " VALUES(?1, ?2, ?3, ?3)",
                        "bii", a->hash, AUTH_HASH_BYTES, a->user->id, a->now) != SQLITE_DONE ||
        store_exec_args(db, "UPDATE users SET last_login = ?2 WHERE id = ?1", "ii", a->user->id,
                        a->now) != SQLITE_DONE)
        return STORE_ERR;
    buf_t obj;
    buf_init(&obj);
    user_object(&obj, a->user->name);
    int r = store_audit_add(db, a->now, a->user->name, "sesion_iniciada", obj.data, NULL);
    buf_free(&obj);
    return r;
}

store_rc_t store_session_create(store_t *s, const staff_t *user,
                                const unsigned char hash[AUTH_HASH_BYTES], int64_t now)
{
    assert(s && user && hash);
    sess_args_t a = { .user = user, .hash = hash, .now = now };
    return store_write_txn(s, create_fn, &a);
}

static int get_fn(sqlite3 *db, void *arg)
{
    sess_args_t *a = arg;
    bool err;
    sqlite3_stmt *st = store_stmt(db, "SELECT u.id, u.name, u.role, s.last_seen,"
                                      " (s.last_seen <= ?1 - ?3 OR s.created_at <= ?1 - ?4)"
                                      " FROM sessions s JOIN users u ON u.id = s.user_id"
                                      " WHERE s.token_hash = ?2 AND u.disabled = 0",
                                  "ibii", a->now, a->hash, AUTH_HASH_BYTES, (int64_t)AUTH_IDLE_S,
                                  (int64_t)AUTH_ABSOLUTE_S);
    if (!one_row(st, &err)) return err ? STORE_ERR : STORE_NOTFOUND;
    int role = auth_role_parse((const char *)sqlite3_column_text(st, 2));
    a->out->id = sqlite3_column_int64(st, 0);
    snprintf(a->out->name, sizeof a->out->name, "%s", (const char *)sqlite3_column_text(st, 1));
    a->out->role = role < 0 ? ROLE_LECTURA : (role_t)role;
    a->touch = sqlite3_column_int64(st, 3) <= a->now - AUTH_TOUCH_S;
    a->expired = sqlite3_column_int(st, 4);
    sqlite3_finalize(st);
    return a->expired ? STORE_NOTFOUND : STORE_OK;
}

static int touch_fn(sqlite3 *db, void *arg)
{
    sess_args_t *a = arg;
    int rc = a->expired
        ? store_exec_args(db, "DELETE FROM sessions WHERE token_hash = ?1", "b", a->hash,
                          AUTH_HASH_BYTES)
        : store_exec_args(db, "UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1", "bi",
                          a->hash, AUTH_HASH_BYTES, a->now);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERR;
}

store_rc_t store_session_get(store_t *s, const unsigned char hash[AUTH_HASH_BYTES], int64_t now,
                             staff_t *out)
{
    assert(s && hash && out);
    sess_args_t a = { .out = out, .hash = hash, .now = now };
    store_rc_t rc = store_read(s, get_fn, &a);
    /* A write only when something changes: an expired session goes, a
     * live one is touched at most every AUTH_TOUCH_S. */
    if ((rc == STORE_NOTFOUND && a.expired) || (rc == STORE_OK && a.touch))
        if (store_write_txn(s, touch_fn, &a) == STORE_ERR) return STORE_ERR;
    return rc;
}

static int end_fn(sqlite3 *db, void *arg)
{
    sess_args_t *a = arg;
    /* issue 17: a logout also ends the account's offline tickets */
    if (store_exec_args(db, "UPDATE users SET ticket_gen = ticket_gen + 1 WHERE id ="
                            " (SELECT user_id FROM sessions WHERE token_hash = ?1)", "b", a->hash,
                        AUTH_HASH_BYTES) != SQLITE_DONE ||
        store_exec_args(db, "DELETE FROM sessions WHERE token_hash = ?1", "b", a->hash,
                        AUTH_HASH_BYTES) != SQLITE_DONE)
        return STORE_ERR;
    if (sqlite3_changes(db) == 0) return STORE_OK;
    buf_t obj;
    buf_init(&obj);
    user_object(&obj, a->actor);
    int r = store_audit_add(db, a->now, a->actor, "sesion_cerrada", obj.data, NULL);
    buf_free(&obj);
    return r;
}

store_rc_t store_session_end(store_t *s, const unsigned char hash[AUTH_HASH_BYTES],
                             const char *actor, int64_t now)
{
    assert(s && hash && actor);
    sess_args_t a = { .hash = hash, .actor = actor, .now = now };
    return store_write_txn(s, end_fn, &a);
}

/* ---- audit log ------------------------------------------------------------ */

typedef struct audit_args {
    const char *object;
    int64_t before;
    size_t limit;
    audit_entry_t *v;
    size_t n;
} audit_args_t;

static int audit_fn(sqlite3 *db, void *arg)
{
    audit_args_t *a = arg;
    sqlite3_stmt *st = store_stmt(db, "SELECT id, at, actor, action, object, detail FROM audit"
                                      " WHERE (?1 IS NULL OR object = ?1) AND (?2 <= 0 OR id < ?2)"
                                      " ORDER BY id DESC LIMIT ?3",
                                  "tii", a->object, a->before, (int64_t)a->limit);
    if (!st) return STORE_ERR;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        a->v = xrealloc(a->v, (a->n + 1) * sizeof *a->v);
        a->v[a->n++] = (audit_entry_t){
            .id = sqlite3_column_int64(st, 0), .at = sqlite3_column_int64(st, 1),
            .actor = xstrdup((const char *)sqlite3_column_text(st, 2)),
            .action = xstrdup((const char *)sqlite3_column_text(st, 3)),
            .object = xstrdup((const char *)sqlite3_column_text(st, 4)),
            .detail = xstrdup((const char *)sqlite3_column_text(st, 5)),
        };
    }
    if (rc != SQLITE_DONE) fprintf(stderr, "store: audit: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERR;
}

store_rc_t store_audit_list(store_t *s, const char *object, int64_t before, size_t limit,
                            audit_entry_t **out, size_t *n)
{
    assert(s && out && n);
    audit_args_t a = { object, before, limit, NULL, 0 };
    store_rc_t rc = store_read(s, audit_fn, &a);
    if (rc != STORE_OK) {
        audit_entry_free(a.v, a.n);
        a.v = NULL;
        a.n = 0;
    }
    *out = a.v;
    *n = a.n;
    return rc;
}
