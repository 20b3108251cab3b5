/*
 * test_ratelimit.c: the per-address submission limit: a burst is allowed,
 * the next one is refused with the wait until a token is back, tokens come
 * back at the configured rate, addresses do not share buckets (IPv6 per
 * /64), and a table full of other addresses never refuses a newcomer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "ratelimit.h"

static struct sockaddr_in v4(const char *ip)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    assert_int_equal(inet_pton(AF_INET, ip, &a.sin_addr), 1);
    return a;
}

static struct sockaddr_in6 v6(const char *ip)
{
    struct sockaddr_in6 a = { .sin6_family = AF_INET6 };
    assert_int_equal(inet_pton(AF_INET6, ip, &a.sin6_addr), 1);
    return a;
}

#define SA(x) ((const struct sockaddr *)&(x))

static void test_burst_then_refused_with_wait(void **state)
{
    (void)state;
    ratelimit_t *rl = ratelimit_new(6, 3);     /* one token every 10 s */
    struct sockaddr_in a = v4("10.0.0.1");
    for (int i = 0; i < 3; i++) assert_int_equal(ratelimit_take(rl, SA(a), 100.0), 0);
    assert_int_equal(ratelimit_take(rl, SA(a), 100.0), 10);
    /* A refusal takes nothing: 4 s later the wait is 6 s. */
    assert_int_equal(ratelimit_take(rl, SA(a), 104.0), 6);
    assert_int_equal(ratelimit_take(rl, SA(a), 110.0), 0);
    assert_int_equal(ratelimit_take(rl, SA(a), 110.0), 10);
    ratelimit_free(rl);
}

static void test_bucket_refills_to_burst_only(void **state)
{
    (void)state;
    ratelimit_t *rl = ratelimit_new(60, 2);
    struct sockaddr_in a = v4("10.0.0.1");
    assert_int_equal(ratelimit_take(rl, SA(a), 0.0), 0);
    /* An hour idle still allows only the burst. */
    for (int i = 0; i < 2; i++) assert_int_equal(ratelimit_take(rl, SA(a), 3600.0), 0);
    assert_true(ratelimit_take(rl, SA(a), 3600.0) >= 1);
    ratelimit_free(rl);
}

static void test_addresses_have_their_own_buckets(void **state)
{
    (void)state;
    ratelimit_t *rl = ratelimit_new(1, 1);
    struct sockaddr_in a = v4("10.0.0.1"), b = v4("10.0.0.2");
    struct sockaddr_in6 mapped = v6("::ffff:10.0.0.1");
    assert_int_equal(ratelimit_take(rl, SA(a), 0.0), 0);
    assert_true(ratelimit_take(rl, SA(a), 0.0) > 0);
    assert_true(ratelimit_take(rl, SA(mapped), 0.0) > 0);   /* same client */
    assert_int_equal(ratelimit_take(rl, SA(b), 0.0), 0);
    ratelimit_free(rl);
}

static void test_ipv6_is_limited_per_64(void **state)
{
    (void)state;
    ratelimit_t *rl = ratelimit_new(1, 1);
    struct sockaddr_in6 a = v6("2001:db8:1:2::1"), same64 = v6("2001:db8:1:2:ffff::9"),
                        other = v6("2001:db8:1:3::1");
    assert_int_equal(ratelimit_take(rl, SA(a), 0.0), 0);
    assert_true(ratelimit_take(rl, SA(same64), 0.0) > 0);
    assert_int_equal(ratelimit_take(rl, SA(other), 0.0), 0);
    ratelimit_free(rl);
}

static void test_full_table_still_admits_newcomers(void **state)
{
    (void)state;
    ratelimit_t *rl = ratelimit_new(1, 1);
    struct sockaddr_in a = { .sin_family = AF_INET };
    /* Far more addresses than slots, each spending its one token. */
    for (uint32_t i = 0; i < 100000; i++) {
        a.sin_addr.s_addr = htonl(0x0A000000u + i);
        assert_int_equal(ratelimit_take(rl, SA(a), (double)i / 1000.0), 0);
    }
    ratelimit_free(rl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_burst_then_refused_with_wait),
        cmocka_unit_test(test_bucket_refills_to_burst_only),
        cmocka_unit_test(test_addresses_have_their_own_buckets),
        cmocka_unit_test(test_ipv6_is_limited_per_64),
        cmocka_unit_test(test_full_table_still_admits_newcomers),
    };
    return cmocka_run_group_tests_name("ratelimit", tests, NULL, NULL);
}
