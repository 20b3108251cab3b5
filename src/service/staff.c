/*
 * staff.c: logins, sessions, accounts and the audit log for the staff
 * area and `buzon user` (staff.h). Calls model/auth.h (passwords, tokens,
 * the throttle) and store/store_staff.h.
 */
#include "service/staff.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "store/store_staff.h"

/* Check name and password, with constant work for unknown names.
 * STORE_OK with *who set (and, when pwhash is not NULL, the account's
 * stored hash in *pwhash, caller frees), STORE_NOTFOUND for a wrong name
 * or password, or STORE_ERR. */
static store_rc_t check_credentials(store_t *s, const char *name, const char *pw, staff_t *who,
                                    char **pwhash)
{
    int64_t id = 0;
    role_t role = ROLE_LECTURA;
    char *hash = NULL;
    store_rc_t rc = auth_valid_name(name) ? store_user_credentials(s, name, &id, &role, &hash)
                                          : STORE_NOTFOUND;
    if (rc == STORE_ERR) return rc;
    bool ok = hash ? auth_verify_password(hash, pw) : (auth_verify_dummy(pw), false);
    if (ok && pwhash) *pwhash = hash;
    else free(hash);
    if (!ok) return STORE_NOTFOUND;
    *who = (staff_t){ .id = id, .role = role };
    snprintf(who->name, sizeof who->name, "%s", name);
    return STORE_OK;
}

/* Whether device is a valid device cookie of the enabled account name
 * (its id into id). A cheap read and a MAC, no password hashing. */
static bool device_trusted(store_t *s, const char *name, const char *device,
                           unsigned char id[AUTH_DEVICE_ID_BYTES])
{
    if (!device || !auth_valid_name(name)) return false;
    int64_t uid;
    role_t role;
    char *hash = NULL;
    bool ok = store_user_credentials(s, name, &uid, &role, &hash) == STORE_OK && hash &&
              auth_device_ok(hash, device, id);
    free(hash);
    return ok;
}

staff_login_rc_t staff_login(store_t *s, auth_throttle_t *t, const staff_login_in_t *in,
                             staff_t *who, char token[AUTH_TOKEN_LEN + 1],
                             char device_out[AUTH_DEVICE_LEN + 1], unsigned *wait)
{
    assert(s && t && in && in->name && in->pw && who && token && device_out && wait);
    device_out[0] = '\0';
    unsigned char dev[AUTH_DEVICE_ID_BYTES];
    bool trusted = device_trusted(s, in->name, in->device, dev);
    *wait = trusted ? auth_throttle_device_wait(t, in->name, dev, in->mono)
                    : auth_throttle_wait(t, in->name, in->addr, in->addrlen, in->mono);
    if (*wait) return STAFF_LOGIN_THROTTLED;
    char *pwhash = NULL;
    store_rc_t rc = check_credentials(s, in->name, in->pw, who, &pwhash);
    if (rc == STORE_NOTFOUND) {
        if (trusted) auth_throttle_device_failed(t, in->name, dev, in->mono);
        else auth_throttle_failed(t, in->name, in->addr, in->addrlen, in->mono);
        return STAFF_LOGIN_FAILED;
    }
    unsigned char h[AUTH_HASH_BYTES];
    auth_new_token(token);
    auth_token_hash(token, h);
    if (rc != STORE_OK || store_session_create(s, who, h, in->now) != STORE_OK) {
        free(pwhash);
        return STAFF_LOGIN_ERR;
    }
    if (trusted) {
        auth_throttle_device_succeeded(t, in->name, dev, in->mono);
    } else {
        auth_throttle_succeeded(t, in->name, in->addr, in->addrlen, in->mono);
        auth_device_new(pwhash, device_out);
    }
    free(pwhash);
    return STAFF_LOGIN_OK;
}

store_rc_t staff_session(store_t *s, const char *token, int64_t now, staff_t *who)
{
    unsigned char h[AUTH_HASH_BYTES];
    auth_token_hash(token, h);
    return store_session_get(s, h, now, who);
}

store_rc_t staff_logout(store_t *s, const char *token, const char *actor, int64_t now)
{
    unsigned char h[AUTH_HASH_BYTES];
    auth_token_hash(token, h);
    return store_session_end(s, h, actor, now);
}

store_rc_t staff_users(store_t *s, user_info_t **out, size_t *n)
{
    return store_user_list(s, out, n);
}

int64_t staff_user_count(store_t *s, int role)
{
    return store_user_count(s, role);
}

/* A store code as an account change's. */
static staff_user_rc_t user_rc(store_rc_t rc)
{
    return rc == STORE_OK ? STAFF_USER_OK : rc == STORE_DUP ? STAFF_USER_DUP
         : rc == STORE_NOTFOUND ? STAFF_USER_NOTFOUND
         : rc == STORE_LAST_ADMIN ? STAFF_USER_LAST_ADMIN : STAFF_USER_ERR;
}

staff_user_rc_t staff_user_add(store_t *s, const char *name, role_t role, const char *pw,
                               const char *actor, int64_t now)
{
    assert(auth_password_ok(pw) == AUTH_PW_OK);
    char hash[AUTH_PWHASH_BYTES];
    if (auth_hash_password(pw, hash, sizeof hash) != 0) return STAFF_USER_NOMEM;
    return user_rc(store_user_add(s, name, role, hash, actor, now));
}

staff_user_rc_t staff_user_passwd(store_t *s, const char *name, const char *pw,
                                  const char *actor, int64_t now)
{
    assert(auth_password_ok(pw) == AUTH_PW_OK);
    char hash[AUTH_PWHASH_BYTES];
    if (auth_hash_password(pw, hash, sizeof hash) != 0) return STAFF_USER_NOMEM;
    return user_rc(store_user_passwd(s, name, hash, actor, now));
}

staff_user_rc_t staff_user_add_generated(store_t *s, const char *name, role_t role,
                                         const char *actor, int64_t now,
                                         char pw[AUTH_GENERATED_LEN + 1])
{
    auth_generate_password(pw);
    return staff_user_add(s, name, role, pw, actor, now);
}

staff_user_rc_t staff_user_reset(store_t *s, const char *name, const char *actor, int64_t now,
                                 char pw[AUTH_GENERATED_LEN + 1])
{
    auth_generate_password(pw);
    return staff_user_passwd(s, name, pw, actor, now);
}

staff_user_rc_t staff_user_disable(store_t *s, const char *name, const char *actor, int64_t now)
{
    return user_rc(store_user_disable(s, name, actor, now));
}

staff_user_rc_t staff_user_enable(store_t *s, const char *name, const char *actor, int64_t now)
{
    return user_rc(store_user_enable(s, name, actor, now));
}

staff_user_rc_t staff_user_role(store_t *s, const char *name, role_t role, const char *actor,
                                int64_t now)
{
    return user_rc(store_user_role(s, name, role, actor, now));
}

store_rc_t staff_audit(store_t *s, const char *object, int64_t before, size_t limit,
                       audit_entry_t **out, size_t *n)
{
    return store_audit_list(s, object, before, limit, out, n);
}
