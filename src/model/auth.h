/*
 * auth.h: staff accounts, roles, passwords, sessions, login throttling and
 * the audit log.
 *
 * Passwords are hashed with Argon2id (libsodium crypto_pwhash_str, the
 * "interactive" limits: 64 MiB, ~70 ms here); the hash string carries its
 * own parameters, so stronger limits later still verify old hashes.
 *
 * A session is a random 256-bit token (libsodium CSPRNG) that lives only in
 * the staff member's cookie; the database keeps its BLAKE2b hash, so a copy
 * of the database does not hand out sessions. A session ends after
 * AUTH_IDLE_S without a request or AUTH_ABSOLUTE_S after login, whichever
 * comes first, on logout, and when the account is disabled or its
 * password changed. The CSRF token of a session is a keyed hash of its
 * token (nothing more to store) and is compared in constant time.
 *
 * Roles: admin (everything), atencion (cases with contact details, raw
 * responses and their exports), planificacion and lectura (indicators),
 * and every role may print posters; captura (issue 17: data-entry clerks)
 * enters paper answers and nothing else (no raw answers, cases or
 * indicators).
 */
#ifndef BUZON_AUTH_H
#define BUZON_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum role {
    ROLE_ADMIN, ROLE_PLANIFICACION, ROLE_ATENCION, ROLE_LECTURA,
    ROLE_CAPTURA,   /* issue 17: data-entry clerks (paper answers, interviews) */
    ROLE_COUNT
} role_t;

/* Sets of roles, for guards: ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_ATENCION). */
#define ROLE_BIT(r) (1u << (r))
#define ROLES_ANY ((1u << ROLE_COUNT) - 1)
/* Who may open what (the guards and the staff menu use these). */
#define AUTH_ROLES_CASES (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_ATENCION))   /* cases, raw responses */
#define AUTH_ROLES_INDICATORS \
    (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PLANIFICACION) | ROLE_BIT(ROLE_LECTURA))
#define AUTH_ROLES_ADMIN ROLE_BIT(ROLE_ADMIN)                                /* users, audit log */
#define AUTH_ROLES_FORMS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PLANIFICACION)) /* publishing forms */
/* issue 18: entering the Plan de Mejora's registers (/registros) */
#define AUTH_ROLES_REGISTERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PLANIFICACION))
/* issue 17: entering paper answers and assisted interviews. */
#define AUTH_ROLES_ENTRY (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_ATENCION) | ROLE_BIT(ROLE_CAPTURA))

enum {
    AUTH_NAME_MAX = 32,            /* user names: [a-z0-9._-], 1..32 bytes */
    AUTH_PASSWORD_MIN = 10,        /* bytes */
    AUTH_PASSWORD_MAX = 256,
    AUTH_TOKEN_LEN = 43,           /* base64url of 32 random bytes */
    AUTH_HASH_BYTES = 32,          /* stored hash of a session token */
    AUTH_IDLE_S = 2 * 3600,
    AUTH_ABSOLUTE_S = 12 * 3600,
    AUTH_TOUCH_S = 60,             /* last_seen is written at most this often */
    AUTH_GENERATED_LEN = 19,       /* "xxxx-xxxx-xxxx-xxxx" */
};

/* "admin", "planificacion", "atencion", "lectura", "captura". */
const char *auth_role_name(role_t r);
/* Inverse of auth_role_name; -1 when unknown. */
int auth_role_parse(const char *s);
/* True for a valid user name: 1..AUTH_NAME_MAX of [a-z0-9._-], starting
 * with a letter or digit. */
bool auth_valid_name(const char *name);

/* ---- passwords (auth.c) ---- */

/* What is wrong with a new password, if anything. */
typedef enum auth_pw_problem {
    AUTH_PW_OK,
    AUTH_PW_TOO_SHORT,    /* fewer than AUTH_PASSWORD_MIN bytes */
    AUTH_PW_TOO_LONG,     /* more than AUTH_PASSWORD_MAX bytes */
    AUTH_PW_NOT_UTF8,     /* not valid UTF-8 */
} auth_pw_problem_t;
/* The rule for a new password: AUTH_PASSWORD_MIN..MAX bytes of valid
 * UTF-8. AUTH_PW_OK, or the first problem found (in the order above). */
auth_pw_problem_t auth_password_ok(const char *pw);
/* The length of a password hash string with its NUL (libsodium's
 * crypto_pwhash_STRBYTES, checked in auth.c). */
#define AUTH_PWHASH_BYTES 128
/* Hash pw (AUTH_PASSWORD_MIN..MAX bytes, checked by the caller) into out
 * (outlen >= AUTH_PWHASH_BYTES). 0, or -1 when libsodium cannot get the
 * memory. */
int auth_hash_password(const char *pw, char *out, size_t outlen);
/* Wipe the password pw (a malloc'd string, or NULL) and free it. */
void auth_password_free(char *pw);
/* True when pw matches hash. Takes the same time whatever the answer. */
bool auth_verify_password(const char *hash, const char *pw);
/* Burn the time of one verification, for logins of unknown or disabled
 * users, so the answer's timing does not tell which names exist. */
void auth_verify_dummy(const char *pw);
/* A random password of 4 groups of 4 lower-case letters and digits
 * without look-alikes (~78 bits), for `user add` on a terminal. */
void auth_generate_password(char out[AUTH_GENERATED_LEN + 1]);

/* ---- session tokens and CSRF (auth.c) ---- */

void auth_new_token(char out[AUTH_TOKEN_LEN + 1]);
/* True when s looks like a token (length and alphabet); cheap filter
 * before any hashing or database lookup. */
bool auth_token_ok(const char *s);
void auth_token_hash(const char *token, unsigned char out[AUTH_HASH_BYTES]);
/* The CSRF token of the session whose token is token. */
void auth_csrf(const char *token, char out[AUTH_TOKEN_LEN + 1]);
/* True when csrf is the CSRF token of token (constant time). */
bool auth_csrf_ok(const char *token, const char *csrf);

/* ---- login throttling (auth_throttle.c) ---- */

/* Failed logins are counted in three leaky buckets. Per account and
 * client address pair: AUTH_THROTTLE_PAIR failures in a row, then one
 * more attempt per AUTH_THROTTLE_PAIR_LEAK_S seconds (guessing from one
 * address is slow). Per address: AUTH_THROTTLE_ADDR (an office shares one
 * address), then one per AUTH_THROTTLE_ADDR_LEAK_S (one address trying
 * many accounts). Per account, whatever the address: the slower global
 * brake, AUTH_THROTTLE_USER, then one per AUTH_THROTTLE_USER_LEAK_S (many
 * addresses guessing one account); it does not hold for an address the
 * account logged in from in the last AUTH_THROTTLE_TRUST_S, nor for a
 * browser with the account's device cookie (below, which has a bucket of
 * its own), so a stranger cannot lock the owner out. While a bucket that holds is full, no
 * password is checked at all. Only keyed hashes of names and addresses
 * are kept, in memory, under a key made at start; nothing is stored or
 * logged (a restart forgets the owners' addresses too). A fixed-size
 * table: a flood of addresses can only evict buckets, never grow memory.
 * Safe to share between threads. */
enum {
    AUTH_THROTTLE_PAIR = 5, AUTH_THROTTLE_PAIR_LEAK_S = 60,
    AUTH_THROTTLE_USER = 50, AUTH_THROTTLE_USER_LEAK_S = 120,
    AUTH_THROTTLE_ADDR = 20, AUTH_THROTTLE_ADDR_LEAK_S = 30,
    AUTH_THROTTLE_TRUST_S = 30 * 86400,
};

typedef struct auth_throttle auth_throttle_t;

auth_throttle_t *auth_throttle_new(void);
void auth_throttle_free(auth_throttle_t *t);
/* Seconds to wait before user may try again from addr (addr: the bytes
 * identifying the client, may be NULL); 0 when an attempt is allowed.
 * now: seconds on a monotonic clock. */
unsigned auth_throttle_wait(auth_throttle_t *t, const char *user, const void *addr,
                            size_t addrlen, double now);
/* Count a failed attempt against the pair's, the account's and the
 * address's buckets. */
void auth_throttle_failed(auth_throttle_t *t, const char *user, const void *addr,
                          size_t addrlen, double now);
/* A successful login empties the pair's bucket (not the account's or the
 * address's) and remembers that user logged in from addr (when not NULL). */
void auth_throttle_succeeded(auth_throttle_t *t, const char *user, const void *addr,
                             size_t addrlen, double now);

/* ---- the owner's browsers: device cookies (OWASP "device cookies") ----
 *
 * A browser that logged in to an account keeps a device cookie for it: a
 * random id and a MAC of it keyed by the account's stored password hash
 * (which never leaves the server; changing or resetting the password
 * forgets every device). A login that brings a valid device cookie is
 * throttled only by that device's own bucket, never by the account's
 * brake or the address's, so strangers guessing from anywhere, even
 * behind the owner's own carrier address, cannot lock the owner out of a
 * browser the owner has used; a new browser is throttled as before. */
enum {
    AUTH_DEVICE_ID_BYTES = 16,
    AUTH_DEVICE_LEN = 2 * AUTH_DEVICE_ID_BYTES + 1 + 2 * 16,   /* hex id '.' hex MAC */
    AUTH_DEVICE_MAX_AGE_S = 365 * 86400,
};
/* A new device cookie value for the account whose stored password hash
 * is pwhash, into out. */
void auth_device_new(const char *pwhash, char out[AUTH_DEVICE_LEN + 1]);
/* True when cookie (may be NULL) is a device cookie auth_device_new made
 * for pwhash; its id is then copied to id. Constant time in the MAC. */
bool auth_device_ok(const char *pwhash, const char *cookie, unsigned char id[AUTH_DEVICE_ID_BYTES]);
/* The throttle for a login from a device with a valid cookie (id): one
 * bucket per account and device, AUTH_THROTTLE_PAIR failures then one per
 * AUTH_THROTTLE_PAIR_LEAK_S, counted nowhere else; a success empties it. */
unsigned auth_throttle_device_wait(auth_throttle_t *t, const char *user,
                                   const unsigned char id[AUTH_DEVICE_ID_BYTES], double now);
void auth_throttle_device_failed(auth_throttle_t *t, const char *user,
                                 const unsigned char id[AUTH_DEVICE_ID_BYTES], double now);
void auth_throttle_device_succeeded(auth_throttle_t *t, const char *user,
                                    const unsigned char id[AUTH_DEVICE_ID_BYTES], double now);

/* ---- accounts, sessions and the audit log: the values (stored by
 * store/store_staff.h) ---- */

/* An account as listed. name is owned by the element (user_info_free). */
typedef struct user_info {
    int64_t     id;
    char       *name;
    role_t      role;
    bool        disabled;
    int64_t     created_at, last_login;   /* last_login 0: never */
    char       *email;                    /* issue 18: NULL when none */
    char        lang[3];                  /* session 23: its notices' language, "es" or "ht" */
} user_info_t;

/* Free n accounts and the array (v may be NULL). */
void user_info_free(user_info_t *v, size_t n);

/* Who a session belongs to. */
typedef struct staff {
    int64_t id;
    char    name[AUTH_NAME_MAX + 1];
    role_t  role;
} staff_t;

/* An entry of the audit log. The strings are owned by the element
 * (audit_entry_free); detail may be NULL. */
typedef struct audit_entry {
    int64_t     id, at;
    char       *actor, *action, *object, *detail;
} audit_entry_t;

/* Free n entries and the array (v may be NULL). */
void audit_entry_free(audit_entry_t *v, size_t n);

#endif
