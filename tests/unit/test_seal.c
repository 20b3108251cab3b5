/*
 * test_seal.c: interviews sealed on a tablet and their tickets
 * (model/seal.h, issue 17): what is sealed opens for the server only,
 * with the same associated data, unaltered; a ticket is the server's,
 * bound to the account's password, and runs out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sodium.h>

#include "model/seal.h"

static const unsigned char SECRET[SEAL_SECRET_BYTES] = "0123456789abcdef0123456789abcde";
static const unsigned char OTHER[SEAL_SECRET_BYTES] = "another secret, another server";

static void test_sealed_opens_only_for_its_server_and_aad(void **state)
{
    (void)state;
    seal_keys_t *k = seal_keys_new(SECRET), *k2 = seal_keys_new(OTHER);
    char pub[SEAL_PUB_B64 + 1], pub2[SEAL_PUB_B64 + 1];
    seal_keys_public(k, pub);
    seal_keys_public(k2, pub2);
    assert_int_equal(strlen(pub), SEAL_PUB_B64);
    assert_string_not_equal(pub, pub2);
    /* the same secret, the same key (a restored backup opens old seals) */
    seal_keys_t *again = seal_keys_new(SECRET);
    char pub3[SEAL_PUB_B64 + 1];
    seal_keys_public(again, pub3);
    assert_string_equal(pub, pub3);

    const char plain[] = "_sid=abc&comentario=El+techo+gotea";
    buf_t aad, sealed, out;
    buf_init(&aad);
    buf_init(&sealed);
    buf_init(&out);
    seal_aad(&aad, 7, "/entrevista/quejas?p=mercado");
    assert_true(seal_close(pub, aad.data, plain, strlen(plain), &sealed));
    /* the words are nowhere in what the tablet keeps */
    assert_null(strstr(sealed.data, "techo"));
    assert_true(seal_open(again, sealed.data, sealed.len, aad.data, &out));
    assert_string_equal(out.data, plain);
    /* another server's key, another account or address: nothing */
    buf_reset(&out);
    assert_false(seal_open(k2, sealed.data, sealed.len, aad.data, &out));
    assert_int_equal(out.len, 0);
    assert_false(seal_open(k, sealed.data, sealed.len, "8\n/entrevista/quejas?p=mercado", &out));
    assert_false(seal_open(k, sealed.data, sealed.len, "7\n/entrevista/quejas?p=parque", &out));
    /* one character changed anywhere (key, iv, text, tag): nothing */
    for (size_t at = 0; at < sealed.len; at += 7) {
        char *t = strdup(sealed.data);
        t[at] = t[at] == 'A' ? 'B' : 'A';
        assert_false(seal_open(k, t, strlen(t), aad.data, &out));
        free(t);
    }
    assert_int_equal(out.len, 0);
    /* malformed */
    assert_false(seal_open(k, "", 0, aad.data, &out));
    assert_false(seal_open(k, "!!!!", 4, aad.data, &out));
    assert_false(seal_close("not a key", aad.data, plain, strlen(plain), &out));
    buf_free(&aad);
    buf_free(&sealed);
    buf_free(&out);
    seal_keys_free(k);
    seal_keys_free(k2);
    seal_keys_free(again);
}

static void test_ticket_is_ours_bound_and_runs_out(void **state)
{
    (void)state;
    seal_keys_t *k = seal_keys_new(SECRET), *k2 = seal_keys_new(OTHER);
    char t[SEAL_TICKET_MAX + 1];
    time_t now = 1780000000;
    seal_ticket(k, 42, now, "$argon2id$hash1", t);
    int64_t id;
    time_t issued;
    assert_true(seal_ticket_parse(t, &id, &issued));
    assert_int_equal(id, 42);
    assert_int_equal(issued, now);
    assert_int_equal(seal_ticket_check(k, t, "$argon2id$hash1", now + 3600), SEAL_TICKET_OK);
    /* a new password, another server's key: not ours */
    assert_int_equal(seal_ticket_check(k, t, "$argon2id$hash2", now), SEAL_TICKET_BAD);
    assert_int_equal(seal_ticket_check(k2, t, "$argon2id$hash1", now), SEAL_TICKET_BAD);
    /* runs out; a ticket from the future is no good either */
    assert_int_equal(seal_ticket_check(k, t, "$argon2id$hash1", now + SEAL_TICKET_S + 1), SEAL_TICKET_EXPIRED);
    assert_int_equal(seal_ticket_check(k, t, "$argon2id$hash1", now - 3600), SEAL_TICKET_EXPIRED);
    /* another account's number on the same MAC */
    char forged[SEAL_TICKET_MAX + 1];
    snprintf(forged, sizeof forged, "43%s", strchr(t, '.'));
    assert_int_equal(seal_ticket_check(k, forged, "$argon2id$hash1", now), SEAL_TICKET_BAD);
    /* malformed */
    const char *bad[] = { "", "42", "42.1780000000", "x.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                          "42.-1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "0.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(seal_ticket_check(k, bad[i], "$argon2id$hash1", now), SEAL_TICKET_BAD);
    }
    seal_keys_free(k);
    seal_keys_free(k2);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sealed_opens_only_for_its_server_and_aad),
        cmocka_unit_test(test_ticket_is_ours_bound_and_runs_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
