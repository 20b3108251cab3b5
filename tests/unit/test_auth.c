/*
 * test_auth.c: staff accounts and sessions below HTTP: roles and names,
 * Argon2id passwords, session tokens and their CSRF tokens, the login
 * throttle (with explicit clocks, no sleeping), sessions' idle and
 * absolute expiry, and the audit entries account changes leave.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sodium.h>

#include "model/auth.h"
#include "store/store_staff.h"

static char dir[64];
static store_t *db;

static int setup(void **state)
{
    (void)state;
    if (sodium_init() < 0) return -1;
    snprintf(dir, sizeof dir, "/tmp/test-auth-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    char path[128], err[256];
    snprintf(path, sizeof path, "%s/buzon.db", dir);
    db = store_open(path, err, sizeof err);
    if (!db) fprintf(stderr, "%s\n", err);
    return db ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    store_close(db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_roles_parse_and_print(void **state)
{
    (void)state;
    for (int r = 0; r < ROLE_COUNT; r++) assert_int_equal(auth_role_parse(auth_role_name((role_t)r)), r);
    assert_int_equal(auth_role_parse("root"), -1);
    assert_int_equal(auth_role_parse("Admin"), -1);
    assert_int_equal(auth_role_parse(NULL), -1);
}

static void test_user_names_are_plain(void **state)
{
    (void)state;
    assert_true(auth_valid_name("ana"));
    assert_true(auth_valid_name("maria.perez"));
    assert_true(auth_valid_name("op_2"));
    assert_false(auth_valid_name(""));
    assert_false(auth_valid_name("Ana"));
    assert_false(auth_valid_name(".ana"));
    assert_false(auth_valid_name("ana perez"));
    assert_false(auth_valid_name("ana<script>"));
    assert_false(auth_valid_name("abcdefghijklmnopqrstuvwxyz0123456"));   /* 33 */
}

static void test_password_hash_verifies_only_the_right_password(void **state)
{
    (void)state;
    char h[crypto_pwhash_STRBYTES];
    assert_int_equal(auth_hash_password("correcto-caballo", h, sizeof h), 0);
    assert_non_null(strstr(h, "$argon2id$"));
    assert_true(auth_verify_password(h, "correcto-caballo"));
    assert_false(auth_verify_password(h, "correcto-caballO"));
    assert_false(auth_verify_password(h, ""));
    char h2[crypto_pwhash_STRBYTES];
    assert_int_equal(auth_hash_password("correcto-caballo", h2, sizeof h2), 0);
    assert_string_not_equal(h, h2);   /* salted */
}

/* The rule `buzon user` applies to a new password (auth_password_ok). */
static void test_password_rule(void **state)
{
    (void)state;
    char long_pw[AUTH_PASSWORD_MAX + 2];
    memset(long_pw, 'a', sizeof long_pw - 1);
    long_pw[sizeof long_pw - 1] = '\0';
    assert_int_equal(auth_password_ok(long_pw), AUTH_PW_TOO_LONG);
    long_pw[AUTH_PASSWORD_MAX] = '\0';
    assert_int_equal(auth_password_ok(long_pw), AUTH_PW_OK);
    assert_int_equal(auth_password_ok("123456789"), AUTH_PW_TOO_SHORT);
    assert_int_equal(auth_password_ok(""), AUTH_PW_TOO_SHORT);
    assert_int_equal(auth_password_ok("1234567890"), AUTH_PW_OK);
    assert_int_equal(auth_password_ok("contrase\xc3\xb1" "a-larga"), AUTH_PW_OK);
    assert_int_equal(auth_password_ok("contrase\xc3-larga"), AUTH_PW_NOT_UTF8);
    char h[AUTH_PWHASH_BYTES];
    assert_int_equal(auth_hash_password("correcto-caballo", h, sizeof h), 0);
    auth_password_free(NULL);
    auth_password_free(strdup("correcto-caballo"));
}

static void test_generated_passwords_are_long_and_unambiguous(void **state)
{
    (void)state;
    char a[AUTH_GENERATED_LEN + 1], b[AUTH_GENERATED_LEN + 1];
    auth_generate_password(a);
    auth_generate_password(b);
    assert_int_equal(strlen(a), AUTH_GENERATED_LEN);
    assert_true(strlen(a) >= AUTH_PASSWORD_MIN);
    assert_string_not_equal(a, b);
    assert_null(strpbrk(a, "01ilouIO"));
}

static void test_tokens_are_random_and_csrf_is_bound_to_the_session(void **state)
{
    (void)state;
    char t1[AUTH_TOKEN_LEN + 1], t2[AUTH_TOKEN_LEN + 1], c1[AUTH_TOKEN_LEN + 1];
    auth_new_token(t1);
    auth_new_token(t2);
    assert_true(auth_token_ok(t1));
    assert_string_not_equal(t1, t2);
    assert_false(auth_token_ok("short"));
    assert_false(auth_token_ok("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"));
    auth_csrf(t1, c1);
    assert_true(auth_csrf_ok(t1, c1));
    assert_false(auth_csrf_ok(t2, c1));      /* another session's token */
    assert_false(auth_csrf_ok(t1, ""));
    assert_false(auth_csrf_ok(t1, NULL));
    c1[5] ^= 1;
    assert_false(auth_csrf_ok(t1, c1));
    unsigned char h1[AUTH_HASH_BYTES], h2[AUTH_HASH_BYTES];
    auth_token_hash(t1, h1);
    auth_token_hash(t1, h2);
    assert_memory_equal(h1, h2, sizeof h1);
}

static void test_throttle_slows_guessing_from_one_address(void **state)
{
    (void)state;
    auth_throttle_t *t = auth_throttle_new();
    double now = 1000;
    for (int i = 0; i < AUTH_THROTTLE_PAIR; i++) {
        assert_int_equal(auth_throttle_wait(t, "ana", "a1", 2, now), 0);
        auth_throttle_failed(t, "ana", "a1", 2, now);
    }
    unsigned w = auth_throttle_wait(t, "ana", "a1", 2, now);
    assert_true(w > 0 && w <= AUTH_THROTTLE_PAIR_LEAK_S);
    assert_int_equal(auth_throttle_wait(t, "beto", "a1", 2, now), 0);   /* others unaffected */
    /* The bucket leaks: after the wait one more attempt is allowed. */
    assert_int_equal(auth_throttle_wait(t, "ana", "a1", 2, now + w), 0);
    auth_throttle_failed(t, "ana", "a1", 2, now + w);
    assert_true(auth_throttle_wait(t, "ana", "a1", 2, now + w) > 0);
    auth_throttle_free(t);
}

/* Regression (issue 13): after 5 failures for an account the right
 * password was refused from everywhere, so a stranger could keep the owner
 * locked out with one guess a minute. */
static void test_throttle_a_stranger_does_not_lock_out_the_owner(void **state)
{
    (void)state;
    auth_throttle_t *t = auth_throttle_new();
    for (int i = 0; i < 3 * AUTH_THROTTLE_PAIR; i++)
        if (!auth_throttle_wait(t, "ana", "st", 2, 1000 + i)) auth_throttle_failed(t, "ana", "st", 2, 1000 + i);
    assert_true(auth_throttle_wait(t, "ana", "st", 2, 1020) > 0);
    assert_int_equal(auth_throttle_wait(t, "ana", "ow", 2, 1020), 0);
    auth_throttle_free(t);
}

/* Many addresses guessing one account meet the account's slower brake,
 * which still lets the owner in from an address they logged in from. */
static void test_throttle_global_brake_spares_the_owners_address(void **state)
{
    (void)state;
    auth_throttle_t *t = auth_throttle_new();
    const unsigned char home[4] = { 198, 51, 100, 1 }, fresh[4] = { 198, 51, 100, 2 };
    auth_throttle_succeeded(t, "ana", home, sizeof home, 100);
    for (int i = 0; i < AUTH_THROTTLE_USER; i++) {
        unsigned char a[4] = { 203, 0, (unsigned char)(i >> 8), (unsigned char)i };
        assert_int_equal(auth_throttle_wait(t, "ana", a, sizeof a, 200), 0);
        auth_throttle_failed(t, "ana", a, sizeof a, 200);
    }
    unsigned w = auth_throttle_wait(t, "ana", fresh, sizeof fresh, 200);
    assert_true(w > 0 && w <= AUTH_THROTTLE_USER_LEAK_S);
    assert_int_equal(auth_throttle_wait(t, "ana", home, sizeof home, 200), 0);
    assert_int_equal(auth_throttle_wait(t, "beto", fresh, sizeof fresh, 200), 0);
    /* The owner's login does not open the brake for the others. */
    auth_throttle_succeeded(t, "ana", home, sizeof home, 201);
    assert_true(auth_throttle_wait(t, "ana", fresh, sizeof fresh, 201) > 0);
    auth_throttle_free(t);
}

static void test_throttle_success_forgets_the_pair_failures(void **state)
{
    (void)state;
    auth_throttle_t *t = auth_throttle_new();
    for (int i = 0; i < AUTH_THROTTLE_PAIR - 1; i++) auth_throttle_failed(t, "ana", NULL, 0, 10);
    auth_throttle_succeeded(t, "ana", NULL, 0, 10);
    for (int i = 0; i < AUTH_THROTTLE_PAIR - 1; i++) auth_throttle_failed(t, "ana", NULL, 0, 10);
    assert_int_equal(auth_throttle_wait(t, "ana", NULL, 0, 10), 0);
    auth_throttle_free(t);
}

static void test_throttle_blocks_an_address_trying_many_accounts(void **state)
{
    (void)state;
    auth_throttle_t *t = auth_throttle_new();
    const unsigned char addr[4] = { 192, 0, 2, 7 }, other[4] = { 192, 0, 2, 8 };
    char name[16];
    for (int i = 0; i < AUTH_THROTTLE_ADDR; i++) {
        snprintf(name, sizeof name, "u%d", i);
        assert_int_equal(auth_throttle_wait(t, name, addr, sizeof addr, 50), 0);
        auth_throttle_failed(t, name, addr, sizeof addr, 50);
    }
    assert_true(auth_throttle_wait(t, "nueva", addr, sizeof addr, 50) > 0);
    assert_int_equal(auth_throttle_wait(t, "nueva", other, sizeof other, 50), 0);
    auth_throttle_free(t);
}

/* A user in the test database, and a session for them at time t0. */
static void add_user(const char *name, role_t role, staff_t *out)
{
    assert_int_equal(store_user_add(db, name, role, "$argon2id$placeholder", "cli:test", 100), STORE_OK);
    int64_t id;
    role_t r;
    char *h;
    assert_int_equal(store_user_credentials(db, name, &id, &r, &h), STORE_OK);
    free(h);
    *out = (staff_t){ .id = id, .role = r };
    snprintf(out->name, sizeof out->name, "%s", name);
}

static void session(const staff_t *u, int64_t t0, unsigned char hash[AUTH_HASH_BYTES])
{
    char tok[AUTH_TOKEN_LEN + 1];
    auth_new_token(tok);
    auth_token_hash(tok, hash);
    assert_int_equal(store_session_create(db, u, hash, t0), STORE_OK);
}

static void test_user_names_are_unique(void **state)
{
    (void)state;
    staff_t u;
    add_user("unico", ROLE_LECTURA, &u);
    assert_int_equal(store_user_add(db, "unico", ROLE_ADMIN, "$argon2id$x", "cli:test", 101), STORE_DUP);
    assert_int_equal(store_user_count(db, ROLE_ADMIN), 0);
    assert_int_equal(store_user_count(db, ROLE_LECTURA), 1);
}

static void test_session_ends_after_idle_time(void **state)
{
    (void)state;
    staff_t u, got;
    unsigned char h[AUTH_HASH_BYTES];
    add_user("idle", ROLE_ATENCION, &u);
    session(&u, 10000, h);
    assert_int_equal(store_session_get(db, h, 10000 + AUTH_IDLE_S - 1, &got), STORE_OK);
    assert_string_equal(got.name, "idle");
    assert_int_equal(got.role, ROLE_ATENCION);
    /* that request refreshed it: idle counts from there */
    assert_int_equal(store_session_get(db, h, 10000 + 2 * AUTH_IDLE_S - 2, &got), STORE_OK);
    assert_int_equal(store_session_get(db, h, 10000 + 3 * AUTH_IDLE_S, &got), STORE_NOTFOUND);
    /* and it is gone for good */
    assert_int_equal(store_session_get(db, h, 10000 + 2 * AUTH_IDLE_S - 2, &got), STORE_NOTFOUND);
}

static void test_session_ends_at_absolute_limit_even_when_active(void **state)
{
    (void)state;
    staff_t u, got;
    unsigned char h[AUTH_HASH_BYTES];
    add_user("activa", ROLE_ADMIN, &u);
    session(&u, 20000, h);
    int64_t t;
    for (t = 20000; t < 20000 + AUTH_ABSOLUTE_S; t += AUTH_IDLE_S / 2)
        assert_int_equal(store_session_get(db, h, t, &got), STORE_OK);
    assert_int_equal(store_session_get(db, h, 20000 + AUTH_ABSOLUTE_S, &got), STORE_NOTFOUND);
}

static void test_disabling_or_new_password_ends_sessions(void **state)
{
    (void)state;
    staff_t u, got;
    unsigned char h1[AUTH_HASH_BYTES], h2[AUTH_HASH_BYTES];
    add_user("temporal", ROLE_LECTURA, &u);
    session(&u, 30000, h1);
    assert_int_equal(store_user_passwd(db, "temporal", "$argon2id$nueva", "cli:test", 30001), STORE_OK);
    assert_int_equal(store_session_get(db, h1, 30002, &got), STORE_NOTFOUND);
    session(&u, 30003, h2);
    assert_int_equal(store_user_disable(db, "temporal", "cli:test", 30004), STORE_OK);
    assert_int_equal(store_session_get(db, h2, 30005, &got), STORE_NOTFOUND);
    int64_t id;
    role_t r;
    char *hash = NULL;
    assert_int_equal(store_user_credentials(db, "temporal", &id, &r, &hash), STORE_NOTFOUND);
    assert_int_equal(store_user_disable(db, "nadie", "cli:test", 30006), STORE_NOTFOUND);
}

static void test_logout_ends_only_that_session(void **state)
{
    (void)state;
    staff_t u, got;
    unsigned char h1[AUTH_HASH_BYTES], h2[AUTH_HASH_BYTES];
    add_user("dos", ROLE_ATENCION, &u);
    session(&u, 40000, h1);
    session(&u, 40000, h2);
    assert_int_equal(store_session_end(db, h1, "dos", 40001), STORE_OK);
    assert_int_equal(store_session_get(db, h1, 40002, &got), STORE_NOTFOUND);
    assert_int_equal(store_session_get(db, h2, 40002, &got), STORE_OK);
}

/* issue 17: what an account's offline tickets are bound to changes with a
 * new password, a logout and a disabling (an account enabled again does
 * not get its old tickets back), and with nothing else. */
static void test_ticket_bind_ends_with_logout_password_and_disabling(void **state)
{
    (void)state;
    staff_t u, got;
    unsigned char h[AUTH_HASH_BYTES];
    add_user("tableta", ROLE_CAPTURA, &u);
    bool disabled;
    char *b0, *b1, *b2, *b3, *b4;
    assert_int_equal(store_user_by_id(db, u.id, &got, &disabled, &b0), STORE_OK);
    assert_string_equal(got.name, "tableta");
    assert_false(disabled);
    session(&u, 50000, h);   /* a login changes nothing */
    assert_int_equal(store_user_by_id(db, u.id, &got, &disabled, &b1), STORE_OK);
    assert_string_equal(b0, b1);
    assert_int_equal(store_session_end(db, h, "tableta", 50001), STORE_OK);
    assert_int_equal(store_user_by_id(db, u.id, &got, &disabled, &b2), STORE_OK);
    assert_string_not_equal(b1, b2);
    assert_int_equal(store_user_disable(db, "tableta", "cli:test", 50002), STORE_OK);
    assert_int_equal(store_user_enable(db, "tableta", "cli:test", 50003), STORE_OK);
    assert_int_equal(store_user_by_id(db, u.id, &got, &disabled, &b3), STORE_OK);
    assert_string_not_equal(b2, b3);
    assert_int_equal(store_user_passwd(db, "tableta", "$argon2id$otra", "cli:test", 50004), STORE_OK);
    assert_int_equal(store_user_by_id(db, u.id, &got, &disabled, &b4), STORE_OK);
    assert_string_not_equal(b3, b4);
    free(b0);
    assert_int_equal(store_user_by_id(db, 99999, &got, &disabled, &b0), STORE_NOTFOUND);
    assert_null(b0);
    free(b1);
    free(b2);
    free(b3);
    free(b4);
}

typedef struct seen {
    int n;
    char actions[8][32];
} seen_t;

static void collect(seen_t *s, const audit_entry_t *e)
{
    if (s->n < 8) snprintf(s->actions[s->n++], sizeof s->actions[0], "%s %s", e->actor, e->action);
}

static void test_account_changes_are_audited_newest_first(void **state)
{
    (void)state;
    staff_t u;
    unsigned char h[AUTH_HASH_BYTES];
    add_user("auditada", ROLE_PLANIFICACION, &u);
    session(&u, 50000, h);
    assert_int_equal(store_user_disable(db, "auditada", "cli:root", 50001), STORE_OK);
    seen_t s = { 0 };
    audit_entry_t *e;
    size_t n;
    assert_int_equal(store_audit_list(db, "usuario:auditada", 0, 10, &e, &n), STORE_OK);
    for (size_t i = 0; i < n; i++) collect(&s, &e[i]);
    audit_entry_free(e, n);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.actions[0], "cli:root usuario_desactivado");
    assert_string_equal(s.actions[1], "auditada sesion_iniciada");
    assert_string_equal(s.actions[2], "cli:test usuario_creado");
}

/* Device cookies (auth.h): made for one password hash, valid only for it
 * (a new password forgets every device), and not forgeable by editing. */
static void test_device_cookie(void **state)
{
    (void)state;
    const char *h1 = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
    const char *h2 = "$argon2id$v=19$m=65536,t=2,p=1$b3RoZXJzYWx0$aGFzaGhhc2hoYXNo";
    char c[AUTH_DEVICE_LEN + 1], d[AUTH_DEVICE_LEN + 1];
    unsigned char id[AUTH_DEVICE_ID_BYTES];
    auth_device_new(h1, c);
    auth_device_new(h1, d);
    assert_int_equal(strlen(c), AUTH_DEVICE_LEN);
    assert_string_not_equal(c, d);                       /* each browser its own id */
    assert_true(auth_device_ok(h1, c, id));
    assert_false(auth_device_ok(h2, c, id));             /* the password changed */
    char t[AUTH_DEVICE_LEN + 1];
    memcpy(t, c, sizeof t);
    t[0] = t[0] == 'a' ? 'b' : 'a';                      /* another id, same MAC */
    assert_false(auth_device_ok(h1, t, id));
    memcpy(t, c, sizeof t);
    t[AUTH_DEVICE_LEN - 1] = t[AUTH_DEVICE_LEN - 1] == '0' ? '1' : '0';
    assert_false(auth_device_ok(h1, t, id));
    assert_false(auth_device_ok(h1, NULL, id));
    assert_false(auth_device_ok(h1, "", id));
    assert_false(auth_device_ok(h1, "zz", id));
    c[10] = 'g';                                         /* not hex */
    assert_false(auth_device_ok(h1, c, id));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles_parse_and_print),
        cmocka_unit_test(test_user_names_are_plain),
        cmocka_unit_test(test_password_hash_verifies_only_the_right_password),
        cmocka_unit_test(test_password_rule),
        cmocka_unit_test(test_generated_passwords_are_long_and_unambiguous),
        cmocka_unit_test(test_tokens_are_random_and_csrf_is_bound_to_the_session),
        cmocka_unit_test(test_throttle_slows_guessing_from_one_address),
        cmocka_unit_test(test_throttle_a_stranger_does_not_lock_out_the_owner),
        cmocka_unit_test(test_throttle_global_brake_spares_the_owners_address),
        cmocka_unit_test(test_throttle_success_forgets_the_pair_failures),
        cmocka_unit_test(test_throttle_blocks_an_address_trying_many_accounts),
        cmocka_unit_test(test_user_names_are_unique),
        cmocka_unit_test(test_session_ends_after_idle_time),
        cmocka_unit_test(test_session_ends_at_absolute_limit_even_when_active),
        cmocka_unit_test(test_disabling_or_new_password_ends_sessions),
        cmocka_unit_test(test_logout_ends_only_that_session),
        cmocka_unit_test(test_ticket_bind_ends_with_logout_password_and_disabling),
        cmocka_unit_test(test_account_changes_are_audited_newest_first),
        cmocka_unit_test(test_device_cookie),
    };
    return cmocka_run_group_tests_name("auth", tests, setup, teardown);
}
