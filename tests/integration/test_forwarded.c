/*
 * test_forwarded.c: behind a reverse proxy on the same machine, the
 * per-address limits count the address the proxy appended, never one the
 * client wrote itself (issue 14 item 6). A client could send its own
 * X-Forwarded-For lines ahead of the proxy's; libmicrohttpd keeps each line
 * as a separate header, and only the first used to be read, so a client
 * that changed its own line each time escaped the submission limit and the
 * login throttle. Against a real build/buzon: every request comes from
 * loopback (where the header is trusted, as from a proxy), with the
 * attacker's lines first and the proxy's last.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "model/auth.h"
#include "staffsrv.h"
#include "testsrv.h"

static testsrv_t srv;

static int setup(void **state)
{
    (void)state;
    static const char *const extra[] = { "--rate-limit", "3", NULL };
    return testsrv_start(&srv, NULL, extra);
}

static int teardown(void **state)
{
    (void)state;
    return testsrv_stop(&srv) == 0 ? 0 : -1;
}

static const char VALID[] = "servicio=mercado&satisfaccion=4";

/* POST a valid survey answer (submission id number i) with extra header
 * lines; the status. */
static int submit(const char *headers, int i)
{
    char body[128];
    snprintf(body, sizeof body, "_sid=xff00000-0000-4000-8000-%012d&%s", i, VALID);
    http_resp_t r;
    assert_int_equal(http_post_with(srv.port, "/e/satisfaccion", headers, body, &r), 0);
    int st = r.status;
    http_resp_free(&r);
    return st;
}

/* The attacker's own line changes every time; the proxy's comes last. */
static void test_submission_limit_counts_the_proxys_line_not_the_clients(void **state)
{
    (void)state;
    char h[256];
    for (int i = 0; i < 4; i++) {
        snprintf(h, sizeof h, "X-Forwarded-For: 192.0.2.%d\r\nX-Forwarded-For: 198.51.100.7\r\n", i + 1);
        assert_int_equal(submit(h, i), i < 3 ? 303 : 429);
    }
    /* another visitor behind the same proxy is not held back */
    assert_int_equal(submit("X-Forwarded-For: 192.0.2.1\r\nX-Forwarded-For: 198.51.100.8\r\n", 10), 303);
}

/* Commas within each line: only the last element of the last line counts,
 * whatever the client put before it, and the header's name in any case. */
static void test_commas_within_lines_count_only_the_last_element(void **state)
{
    (void)state;
    char h[256];
    for (int i = 0; i < 4; i++) {
        snprintf(h, sizeof h,
                 "X-Forwarded-For: 10.0.0.1, 192.0.2.%d\r\n"
                 "x-forwarded-for: 203.0.113.%d,198.51.100.9\r\n"
                 "X-Forwarded-For:\t192.0.2.200 ,  198.51.100.20\t\r\n", i + 1, i + 1);
        assert_int_equal(submit(h, 20 + i), i < 3 ? 303 : 429);
    }
    assert_int_equal(submit("X-Forwarded-For: 198.51.100.20, 198.51.100.21\r\n", 30), 303);
}

/* POST /login with header lines h; the status. */
static int login_with(const char *h, const char *body)
{
    http_resp_t r;
    assert_int_equal(http_post_with(srv.port, "/login", h, body, &r), 0);
    int st = r.status;
    http_resp_free(&r);
    return st;
}

static void test_login_throttle_counts_the_proxys_line_not_the_clients(void **state)
{
    (void)state;
    assert_int_equal(staffsrv_add(&srv, "rosa", "lectura", "la-clave-de-rosa"), 0);
    char h[256], body[96];
    for (int i = 0; i < AUTH_THROTTLE_ADDR; i++) {
        snprintf(h, sizeof h, "X-Forwarded-For: 192.0.2.%d\r\nX-Forwarded-For: 10.1.1.1, 203.0.113.7\r\n", i + 1);
        snprintf(body, sizeof body, "usuario=prueba%d&clave=cualquier-cosa", i);
        assert_int_equal(login_with(h, body), 401);
    }
    assert_int_equal(login_with("X-Forwarded-For: 192.0.2.250\r\nX-Forwarded-For: 203.0.113.7\r\n",
                                "usuario=rosa&clave=la-clave-de-rosa"), 429);
    assert_int_equal(login_with("X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-For: 203.0.113.8\r\n",
                                "usuario=rosa&clave=la-clave-de-rosa"), 303);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_submission_limit_counts_the_proxys_line_not_the_clients, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commas_within_lines_count_only_the_last_element, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_throttle_counts_the_proxys_line_not_the_clients, setup, teardown),
    };
    return cmocka_run_group_tests_name("forwarded", tests, NULL, NULL);
}
