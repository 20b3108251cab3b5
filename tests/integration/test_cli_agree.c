/*
 * test_cli_agree.c: the command line and the server take the same values
 * by the same rules, on the real binary ($BUZON_BIN). Each test is the
 * regression test of a divergence the two had:
 *
 *  - the indicators' breakdowns and filters (model/indicators.h:
 *    ind_dims_parse, ind_filter_set): `buzon indicators --by sexo,,edad`
 *    was taken while the API answers 400, `--by ''` meant no breakdown
 *    while an empty by= means all of them, and `--form ''` or `--from ''`
 *    were refused while an empty query value is no filter;
 *  - --base-url (base/url.h: url_base_valid): `serve` took anything that
 *    starts with http:// or https://, a bare "https://" or a query
 *    included, while `poster` wants a host and nothing a short link cannot
 *    be appended to.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "testsh.h"
#include "testsrv.h"

static char tmp[64];

static int setup(void **state)
{
    (void)state;
    return test_mkdtemp(tmp, sizeof tmp, "agree");
}

static int teardown(void **state)
{
    (void)state;
    return test_rmtree(tmp);
}

static const char *bin(void)
{
    const char *b = getenv("BUZON_BIN");
    return b ? b : "build/buzon";
}

/* The "breakdowns" of an indicators document joined by ',', or "error"
 * when status is not 200 / 0; caller frees. */
static char *breakdowns(int status, const char *doc)
{
    if (status != 0 && status != 200) return strdup("error");
    json_error_t e;
    json_t *j = json_loads(doc, 0, &e);
    if (!j) fail_msg("not JSON (%s): %.200s", e.text, doc);
    buf_t b;
    buf_init(&b);
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(j, "breakdowns"), i, d) {
        if (i) buf_putc(&b, ',');
        buf_puts(&b, json_string_value(d));
    }
    json_decref(j);
    return b.data ? buf_steal(&b) : strdup("");
}

/* One case: the API's query and the command line's arguments, which must
 * give the same answer. */
typedef struct both {
    const char *query;   /* after /api/v1/indicators? */
    const char *args;    /* after buzon indicators --db D --forms F */
} both_t;

static void test_indicators_by_and_filters_agree(void **state)
{
    (void)state;
    static const both_t cases[] = {
        { "by=sexo,,edad", "--by sexo,,edad" },   /* an empty name: refused by both */
        { "by=,sexo", "--by ,sexo" },
        { "by=", "--by ''" },                     /* empty: every breakdown */
        { "by=sexo,", "--by sexo," },
        { "by=none", "--by none" },
        { "by=sexo,edad", "--by sexo,edad" },
        { "by=color", "--by color" },
        { "form=&from=&to=&point=&service=&by=none",   /* empty: no filter */
          "--form '' --from '' --to '' --point '' --service '' --by none" },
        { "from=2026-13-01", "--from 2026-13-01" },
    };
    testsrv_t s;
    static const char *const args[] = { "--public-indicators", "--rate-limit", "0", NULL };
    assert_int_equal(testsrv_start(&s, NULL, args), 0);
    char *api[sizeof cases / sizeof *cases], *cli[sizeof cases / sizeof *cases];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char path[256];
        snprintf(path, sizeof path, "/api/v1/indicators?%s", cases[i].query);
        http_resp_t r;
        if (http_get(s.port, path, NULL, &r) == 0) {
            api[i] = breakdowns(r.status, r.body);
            http_resp_free(&r);
        } else {
            api[i] = strdup("no answer");
        }
        buf_t out;
        int rc = test_sh(tmp, &out, NULL, "'%s' indicators --db '%s' --forms '%s/forms' %s", bin(), s.db,
                         test_root(), cases[i].args);
        cli[i] = rc == 0 || rc == 2 ? breakdowns(rc, out.data) : strdup("unexpected status");
        buf_free(&out);
    }
    assert_int_equal(testsrv_stop(&s), 0);   /* first: a failed check must not leave it running */
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        if (strcmp(api[i], cli[i]))
            fail_msg("?%s gives %s, but %s gives %s", cases[i].query, api[i], cases[i].args, cli[i]);
        free(api[i]);
        free(cli[i]);
    }
}

/* Base URLs no link can be built on: serve and poster both refuse them
 * with a usage error (status 2), before serve starts serving. */
static void test_base_url_rule_is_the_same_for_serve_and_poster(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "https://", "http://", "http:///buzon", "http://buzon.test?x=1", "http://buzon.test/#a",
        "ftp://buzon.test", "buzon.test", "http://buzon test",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        buf_t err;
        int rc = test_sh(tmp, NULL, &err, "'%s' poster satisfaccion --forms '%s/forms' -o '%s/p.svg' "
                         "--base-url '%s'", bin(), test_root(), tmp, bad[i]);
        if (rc != 2) fail_msg("poster --base-url '%s': status %d (%s)", bad[i], rc, err.data);
        buf_free(&err);
        /* An accepted URL would start the server: timeout ends it (124). */
        rc = test_sh(tmp, NULL, &err, "timeout 10 '%s' serve --port 0 --listen 127.0.0.1 --db '%s/s.db' "
                     "--forms '%s/forms' --www '%s/www' --base-url '%s'", bin(), tmp, test_root(), test_root(),
                     bad[i]);
        if (rc != 2) fail_msg("serve --base-url '%s': status %d (%s)", bad[i], rc, err.data);
        if (!strstr(err.data, "--base-url must look like http://host[:port][/path]"))
            fail_msg("serve --base-url '%s' said: %s", bad[i], err.data);
        buf_free(&err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_indicators_by_and_filters_agree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_base_url_rule_is_the_same_for_serve_and_poster, setup, teardown),
    };
    return cmocka_run_group_tests_name("cli_agree", tests, NULL, NULL);
}
