/*
 * test_ratelimit.c: the per-client submission limit: a burst is allowed,
 * the next one is refused with the wait until a token is back, tokens come
 * back at the configured rate, clients do not share buckets (nor do keys
 * of different lengths), and a table full of other clients never refuses
 * a newcomer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "http/ratelimit.h"

static const unsigned char A[4] = { 10, 0, 0, 1 }, B[4] = { 10, 0, 0, 2 };

static void test_burst_then_refused_with_wait(void **state)
{
    (void)state;
    ratelimit_t *rl = ratelimit_new(6, 3);     /* one token every 10 s */
    for (int i = 0; i < 3; i++) assert_int_equal(ratelimit_take(rl, A, 4, 100.0), 0);
    assert_int_equal(ratelimit_take(rl, A, 4, 100.0), 10);
    /* A refusal takes nothing: 4 s later the wait is 6 s. */
    assert_int_equal(ratelimit_take(rl, A, 4, 104.0), 6);
    assert_int_equal(ratelimit_take(rl, A, 4, 110.0), 0);
    assert_int_equal(ratelimit_take(rl, A, 4, 110.0), 10);
    ratelimit_free(rl);
}

static void test_bucket_refills_to_burst_only(void **state)
{
    (void)state;
    ratelimit_t *rl = ratelimit_new(60, 2);
    assert_int_equal(ratelimit_take(rl, A, 4, 0.0), 0);
    /* An hour idle still allows only the burst. */
    for (int i = 0; i < 2; i++) assert_int_equal(ratelimit_take(rl, A, 4, 3600.0), 0);
    assert_true(ratelimit_take(rl, A, 4, 3600.0) >= 1);
    ratelimit_free(rl);
}

static void test_clients_have_their_own_buckets(void **state)
{
    (void)state;
    ratelimit_t *rl = ratelimit_new(1, 1);
    static const unsigned char v6[8] = { 10, 0, 0, 1, 0, 0, 0, 0 };   /* starts like A */
    assert_int_equal(ratelimit_take(rl, A, 4, 0.0), 0);
    assert_true(ratelimit_take(rl, A, 4, 0.0) > 0);
    assert_int_equal(ratelimit_take(rl, B, 4, 0.0), 0);
    assert_int_equal(ratelimit_take(rl, v6, 8, 0.0), 0);
    ratelimit_free(rl);
}

static void test_unknown_client_is_not_limited(void **state)
{
    (void)state;
    ratelimit_t *rl = ratelimit_new(1, 1);
    for (int i = 0; i < 5; i++) assert_int_equal(ratelimit_take(rl, NULL, 0, 0.0), 0);
    ratelimit_free(rl);
}

static void test_full_table_still_admits_newcomers(void **state)
{
    (void)state;
    ratelimit_t *rl = ratelimit_new(1, 1);
    /* Far more clients than slots, each spending its one token. */
    for (uint32_t i = 0; i < 100000; i++) {
        unsigned char k[4];
        memcpy(k, &i, sizeof k);
        assert_int_equal(ratelimit_take(rl, k, 4, (double)i / 1000.0), 0);
    }
    ratelimit_free(rl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_burst_then_refused_with_wait),
        cmocka_unit_test(test_bucket_refills_to_burst_only),
        cmocka_unit_test(test_clients_have_their_own_buckets),
        cmocka_unit_test(test_unknown_client_is_not_limited),
        cmocka_unit_test(test_full_table_still_admits_newcomers),
    };
    return cmocka_run_group_tests_name("ratelimit", tests, NULL, NULL);
}
