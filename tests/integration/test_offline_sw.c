/*
 * test_offline_sw.c (issue 17): the service worker's route and what the
 * survey page gives www/buzon.js for answering offline. /s/sw.js is served
 * with "Service-Worker-Allowed: /" (so its scope covers /e/), revalidated
 * on every visit, under the same CSP as any page; other files under /s/
 * get no such header; a survey page carries the offline notice (es, ht)
 * and its submission id; a staff page does not carry it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "testsrv.h"

static testsrv_t srv;

static int setup(void **state)
{
    (void)state;
    return testsrv_start(&srv, NULL, NULL);
}

static int teardown(void **state)
{
    (void)state;
    return testsrv_stop(&srv) == 0 ? 0 : -1;
}

static void header_is(const http_resp_t *r, const char *name, const char *want)
{
    char *v = http_header(r, name);
    if (!want) { assert_null(v); return; }
    assert_non_null(v);
    assert_string_equal(v, want);
    free(v);
}

static void test_sw_route_headers(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(http_get(srv.port, "/s/sw.js", "Accept-Encoding: gzip\r\n", &r), 0);
    assert_int_equal(r.status, 200);
    header_is(&r, "Service-Worker-Allowed", "/");
    header_is(&r, "Cache-Control", "no-cache");
    header_is(&r, "Content-Encoding", "gzip");
    char *type = http_header(&r, "Content-Type");
    assert_non_null(type);
    assert_non_null(strstr(type, "javascript"));
    free(type);
    char *csp = http_header(&r, "Content-Security-Policy");
    assert_non_null(csp);
    assert_non_null(strstr(csp, "script-src 'self'"));
    free(csp);
    http_resp_free(&r);
    /* Plain: the script itself, which never keeps staff pages. */
    assert_int_equal(http_get(srv.port, "/s/sw.js", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "caches"));
    assert_non_null(strstr(r.body, "/gracias"));
    http_resp_free(&r);
    /* Other files keep their long cache and get no scope widening. */
    assert_int_equal(http_get(srv.port, "/s/buzon.js", NULL, &r), 0);
    header_is(&r, "Service-Worker-Allowed", NULL);
    header_is(&r, "Cache-Control", "public, max-age=86400");
    http_resp_free(&r);
}

static void test_survey_page_carries_offline_texts(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(http_get(srv.port, "/e/satisfaccion?lang=es", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, " data-off=\"Guardado en su teléfono: se enviará cuando haya conexión.\""));
    assert_non_null(strstr(r.body, "name=_sid value=\""));
    http_resp_free(&r);
    assert_int_equal(http_get(srv.port, "/e/satisfaccion?lang=ht", NULL, &r), 0);
    assert_non_null(strstr(r.body, " data-off=\"Sove nan telefòn ou: l ap voye lè gen koneksyon.\""));
    http_resp_free(&r);
    assert_int_equal(http_get(srv.port, "/login", NULL, &r), 0);
    assert_null(strstr(r.body, "data-off"));
    http_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sw_route_headers),
        cmocka_unit_test(test_survey_page_carries_offline_texts),
    };
    return cmocka_run_group_tests_name("offline_sw", tests, setup, teardown);
}
