/*
 * test_url.c: base/url.h's url_local_path, the rule for the `next` of
 * /login (issue 13 item 16): a path is accepted only when a browser,
 * following it as a Location, stays on this site.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/url.h"

static void test_same_site_paths_are_accepted(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "/", "/panel", "/casos/ABCD-EFGH", "/indicadores?from=2026-01-01&service=mercado",
        "/indicadores/plan?lang=ht", "/casos?q=a%20b", "/e/satisfaccion#fin", "/a/b/c",
        "/archivo.v2", "/...", "/.hidden", "/a.b/c",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (!url_local_path(ok[i])) fail_msg("refused: %s", ok[i]);
}

static void test_paths_a_browser_takes_elsewhere_are_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        NULL, "", "panel", "evil.example", "http://evil.example", "https://evil.example/",
        "javascript:alert(1)", "//evil.example", "///evil.example", "/\\evil.example",
        "\\\\evil.example", "\\/evil.example",
        /* browsers drop TAB, CR and LF anywhere: "/\t/x" is "//x" */
        "/\t/evil.example", "\t//evil.example", "/\r/evil.example", "/\n/evil.example",
        "/\r\n/evil.example", " //evil.example", " /panel", "/panel\x7f", "/pa\x01nel",
        "/a\\b", "/ /evil.example", "/caf\xc3\xa9",
        /* percent-encoded forms, once, twice, three times, any case */
        "/%2F/evil.example", "/%2f/evil.example", "/%5C/evil.example", "/%5cevil.example",
        "/%09/evil.example", "/%0a/evil.example", "/%0D/evil.example", "%2F%2Fevil.example",
        "/%252F/evil.example", "/%25252f/evil.example", "/a%5Cb", "/a%00b",
        /* dot segments, which can make "//" out of a path */
        "/./evil.example", "/../evil.example", "/..//evil.example", "/a/..", "/a/.?x",
        "/%2e%2e//evil.example", "/%2E/", "/a/%2e%2e/b",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (url_local_path(bad[i])) fail_msg("accepted: %s", bad[i] ? bad[i] : "(null)");
}

static void test_long_paths_are_refused(void **state)
{
    (void)state;
    char p[260];
    p[0] = '/';
    for (size_t i = 1; i < sizeof p - 1; i++) p[i] = 'a';
    p[sizeof p - 1] = '\0';
    assert_false(url_local_path(p));
    p[199] = '\0';
    assert_true(url_local_path(p));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_site_paths_are_accepted),
        cmocka_unit_test(test_paths_a_browser_takes_elsewhere_are_refused),
        cmocka_unit_test(test_long_paths_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
