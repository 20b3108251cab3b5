/*
 * staff.h: what the staff area and `buzon user` do with accounts,
 * sessions and the audit log: log in (throttle, password check, new
 * session), find the session of a cookie, log out, list, add, re-key,
 * disable, enable and re-role accounts, and read the audit log.
 *
 * Used by http/http_staff.c, http/http_cases.c, cli/cli_user.c and
 * cli/cli_serve.c; calls model/auth.h and store/store_staff.h. The values
 * (staff_t, user_info_t, audit_entry_t) are model/auth.h's.
 */
#ifndef BUZON_SERVICE_STAFF_H
#define BUZON_SERVICE_STAFF_H

#include <stddef.h>
#include <stdint.h>

#include "model/auth.h"
#include "service/db.h"

/* ---- logging in and out ---- */

typedef enum staff_login_rc {
    STAFF_LOGIN_OK,          /* *who and token set: send the session cookie */
    STAFF_LOGIN_THROTTLED,   /* too many failures: *wait seconds to wait */
    STAFF_LOGIN_FAILED,      /* wrong name or password (counted by the throttle) */
    STAFF_LOGIN_ERR,         /* the store failed (logged) */
} staff_login_rc_t;

/* One login attempt, as the request brought it. */
typedef struct staff_login_in {
    const char *name, *pw;
    const void *addr;      /* the client's address bytes (http_client_key), or NULL */
    size_t      addrlen;
    const char *device;    /* the account's device cookie from the browser, or NULL */
    double      mono;      /* seconds on a monotonic clock (the throttle's) */
    int64_t     now;       /* unix time */
} staff_login_in_t;

/* Log in->name in with in->pw: refused at once while the throttle t is
 * full (*wait set): the device's own bucket when in->device is a valid
 * device cookie of that account (model/auth.h: strangers cannot lock the
 * owner out of a browser the owner has used), else the pair, address and
 * account buckets. Otherwise the password is checked (with constant work
 * for unknown or disabled names), a failure counted, and on success a new
 * session recorded and its token written to token, and, when the browser
 * brought no valid device cookie, a new one written to device_out (else
 * device_out is ""). */
staff_login_rc_t staff_login(store_t *s, auth_throttle_t *t, const staff_login_in_t *in,
                             staff_t *who, char token[AUTH_TOKEN_LEN + 1],
                             char device_out[AUTH_DEVICE_LEN + 1], unsigned *wait);

/* The member of staff of the live session whose token (from the cookie)
 * is token. STORE_OK with *who set, STORE_NOTFOUND (no such session, or
 * it expired) or STORE_ERR. */
store_rc_t staff_session(store_t *s, const char *token, int64_t now, staff_t *who);

/* End the session of token (logout), audited as actor. STORE_OK (also
 * when there was none) or STORE_ERR. */
store_rc_t staff_logout(store_t *s, const char *token, const char *actor, int64_t now);

/* ---- accounts ---- */

/* Every account, by name (caller frees with user_info_free, also after
 * STORE_ERR). STORE_OK or STORE_ERR. */
store_rc_t staff_users(store_t *s, user_info_t **out, size_t *n);
/* Number of enabled accounts with role (any role when role < 0), or -1. */
int64_t staff_user_count(store_t *s, int role);
/* What an account change did. */
typedef enum staff_user_rc {
    STAFF_USER_OK,
    STAFF_USER_DUP,        /* add: the name is taken */
    STAFF_USER_NOTFOUND,   /* no account of that name */
    STAFF_USER_NOMEM,      /* the password could not be hashed (no memory) */
    STAFF_USER_ERR,        /* the store failed (logged) */
    STAFF_USER_LAST_ADMIN, /* disable, role: it is the last enabled admin;
                              nothing written */
} staff_user_rc_t;
/* Create an account whose password is pw, which must pass
 * auth_password_ok (asserted); the service hashes it (auth_hash_password)
 * and keeps only the hash. STAFF_USER_OK, _DUP, _NOMEM or _ERR; nothing
 * is written unless OK. */
staff_user_rc_t staff_user_add(store_t *s, const char *name, role_t role, const char *pw,
                               const char *actor, int64_t now);
/* Set the new password pw (as for staff_user_add) and end the account's
 * sessions. STAFF_USER_OK, _NOTFOUND, _NOMEM or _ERR. */
staff_user_rc_t staff_user_passwd(store_t *s, const char *name, const char *pw,
                                  const char *actor, int64_t now);
/* As staff_user_add and staff_user_passwd, with a password generated
 * here (auth_generate_password) and written to pw, for the admin to hand
 * over once: the web page's way, where nobody types one. */
staff_user_rc_t staff_user_add_generated(store_t *s, const char *name, role_t role,
                                         const char *actor, int64_t now,
                                         char pw[AUTH_GENERATED_LEN + 1]);
staff_user_rc_t staff_user_reset(store_t *s, const char *name, const char *actor, int64_t now,
                                 char pw[AUTH_GENERATED_LEN + 1]);
/* Disable the account and end its sessions. STAFF_USER_OK, _NOTFOUND,
 * _LAST_ADMIN (never the last enabled admin) or _ERR. */
staff_user_rc_t staff_user_disable(store_t *s, const char *name, const char *actor, int64_t now);
/* Enable a disabled account (same password as before). STAFF_USER_OK,
 * _NOTFOUND or _ERR. */
staff_user_rc_t staff_user_enable(store_t *s, const char *name, const char *actor, int64_t now);
/* Give the account role. STAFF_USER_OK, _NOTFOUND, _LAST_ADMIN (the last
 * enabled admin keeps the admin role) or _ERR. */
staff_user_rc_t staff_user_role(store_t *s, const char *name, role_t role, const char *actor,
                                int64_t now);

/* ---- the audit log ---- */

/* Audit entries, newest first (all, or about object when non-NULL; only
 * ids below before when before > 0; at most limit). Caller frees with
 * audit_entry_free, also after STORE_ERR. STORE_OK or STORE_ERR. */
store_rc_t staff_audit(store_t *s, const char *object, int64_t before, size_t limit,
                       audit_entry_t **out, size_t *n);

#endif
