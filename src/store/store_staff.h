/*
 * store_staff.h: staff accounts, sessions and the audit log in the store
 * (store_staff.c). The values (user_info_t, staff_t, audit_entry_t, roles,
 * AUTH_HASH_BYTES) are the model's, model/auth.h; this header only says how
 * they are kept. Callers outside src/store and src/service reach these
 * through service/staff.h.
 *
 * Every function taking an actor writes an audit entry attributed to it
 * in the same transaction as the change: a user name, or "cli:<unix
 * user>" for the command line, or "sistema" for automatic actions.
 */
#ifndef BUZON_STORE_STAFF_H
#define BUZON_STORE_STAFF_H

#include <stddef.h>
#include <stdint.h>

#include "model/auth.h"
#include "store/store.h"

/* ---- accounts ---- */

/* STORE_OK, STORE_DUP (the name is taken) or STORE_ERR. */
store_rc_t store_user_add(store_t *s, const char *name, role_t role, const char *pwhash,
                          const char *actor, int64_t now);
/* Set a new password hash and end the user's sessions. STORE_OK,
 * STORE_NOTFOUND (no account of that name) or STORE_ERR. */
store_rc_t store_user_passwd(store_t *s, const char *name, const char *pwhash,
                             const char *actor, int64_t now);
/* Disable the account and end its sessions. STORE_OK, STORE_NOTFOUND (no
 * account of that name), STORE_LAST_ADMIN (it is the last enabled admin)
 * or STORE_ERR. */
store_rc_t store_user_disable(store_t *s, const char *name, const char *actor, int64_t now);
/* Enable a disabled account again (its password is unchanged). STORE_OK,
 * STORE_NOTFOUND or STORE_ERR. */
store_rc_t store_user_enable(store_t *s, const char *name, const char *actor, int64_t now);
/* Give the account role (takes effect on its next request; sessions
 * stay). STORE_OK, STORE_NOTFOUND, STORE_LAST_ADMIN (it is the last
 * enabled admin and role is not admin) or STORE_ERR. */
store_rc_t store_user_role(store_t *s, const char *name, role_t role, const char *actor, int64_t now);

/* Every account, by name, into *out (caller frees with user_info_free,
 * also after STORE_ERR, when *out is NULL and *n 0). STORE_OK or
 * STORE_ERR. */
store_rc_t store_user_list(store_t *s, user_info_t **out, size_t *n);
/* Number of enabled accounts with role (or any role when role < 0), or -1. */
int64_t store_user_count(store_t *s, int role);

/* For a login: the id, role and password hash (caller frees) of the
 * enabled account name. STORE_OK, STORE_NOTFOUND (no such enabled
 * account) or STORE_ERR. */
store_rc_t store_user_credentials(store_t *s, const char *name, int64_t *id, role_t *role,
                                  char **pwhash);

/* issue 17: the account id (enabled or not: *disabled says), its role
 * and name into *out, and into *bind (caller frees) what its offline
 * tickets are bound to: its password hash and how many times it logged
 * out, so a new password or a logout ends them. STORE_OK, STORE_NOTFOUND
 * or STORE_ERR. */
store_rc_t store_user_by_id(store_t *s, int64_t id, staff_t *out, bool *disabled, char **bind);
/* issue 17: the server's own secret (len bytes, at most 64), made at
 * random the first time and the same ever after (backups carry it).
 * STORE_OK or STORE_ERR. */
store_rc_t store_secret(store_t *s, unsigned char *out, size_t len);

/* ---- sessions ---- */

/* Record a new session for user (after a successful login): stores the
 * token's hash, the login time, an audit entry, and drops expired
 * sessions. STORE_OK or STORE_ERR. */
store_rc_t store_session_create(store_t *s, const staff_t *user,
                                const unsigned char hash[AUTH_HASH_BYTES], int64_t now);
/* The user of the live session with this token hash. Expired sessions are
 * deleted and answer STORE_NOTFOUND; a live one has last_seen refreshed
 * (at most every AUTH_TOUCH_S). STORE_OK, STORE_NOTFOUND or STORE_ERR. */
store_rc_t store_session_get(store_t *s, const unsigned char hash[AUTH_HASH_BYTES], int64_t now,
                             staff_t *out);
/* End a session (logout). STORE_OK (also when there was none) or STORE_ERR. */
store_rc_t store_session_end(store_t *s, const unsigned char hash[AUTH_HASH_BYTES],
                             const char *actor, int64_t now);

/* ---- the audit log ---- */

/* Audit entries, newest first, into *out: all of them, or only those
 * about object (e.g. "caso:K7P4QX9MZ") when object is non-NULL; only
 * entries with id < before when before > 0; at most limit. Caller frees
 * with audit_entry_free, also after STORE_ERR (when *out is NULL and *n
 * 0). STORE_OK or STORE_ERR. */
store_rc_t store_audit_list(store_t *s, const char *object, int64_t before, size_t limit,
                            audit_entry_t **out, size_t *n);

#endif
