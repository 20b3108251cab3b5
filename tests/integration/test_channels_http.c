/*
 * test_channels_http.c: honest figures across channels (issue 17 item 6)
 * over real HTTP against a real build/buzon with the standard forms.
 *
 * Five citizens answer on the web (all "5" on satisfaction); then, as a
 * clerk's paper entry, an interviewer and a staff register would, rows of
 * other channels are written straight into the database: four on paper
 * (channel "papel", all "1"), one more stored as "paper" (what the
 * synthetic generator wrote before: it counts as papel), four interviews
 * and one register row. The server runs with --public-indicators and
 * --min-cell 3. Checked: the API's channel filter and its 400, the
 * dashboard's canal filter, its per-channel counts line with the usual
 * suppression (every people's channel has at least 3; the register's
 * single entry is shown: registro counts acts, not people, and is never
 * hidden, issue 17 channel count fixes), by=none on the dashboard, the
 * CSV download, and `buzon indicators --channel`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testcheck.h"
#include "testsh.h"
#include "testsrv.h"

static testsrv_t srv;

/* n responses of channel ch, copies of response 1 (same form version,
 * point, hour) whose only answer is satisfaccion = val. */
static int add_rows(const char *ch, int n, const char *val)
{
    for (int i = 0; i < n; i++) {
        char sql[1024];
        snprintf(sql, sizeof sql,
                 "INSERT INTO responses(submission_id, form_version_id, form_id, point_id, lang, channel,"
                 " submitted_hour, duration_s) SELECT '%s-%d', form_version_id, form_id, point_id, lang,"
                 " '%s', submitted_hour, duration_s FROM responses WHERE id = 1;"
                 "INSERT INTO answers(response_id, form_id, question, value)"
                 " VALUES((SELECT max(id) FROM responses), 'satisfaccion', 'satisfaccion', '%s');",
                 ch, i, ch, val);
        if (testsrv_db_exec(&srv, sql)) return -1;
    }
    return 0;
}

static int setup(void **state)
{
    (void)state;
    static const char *const args[] = { "--public-indicators", "--min-cell", "3", "--rate-limit", "0", NULL };
    if (testsrv_start(&srv, NULL, args)) return -1;
    for (int i = 0; i < 5; i++) {
        char body[256];
        snprintf(body, sizeof body, "_sid=aaaaaaaa-bbbb-4ccc-8ddd-00000000000%d&_t=1&satisfaccion=5", i);
        http_resp_t r;
        if (http_post(srv.port, "/e/satisfaccion?p=mercado-municipal&lang=es", body, &r) || r.status != 303)
            return -1;
        http_resp_free(&r);
    }
    return add_rows("papel", 4, "1") || add_rows("paper", 1, "1") || add_rows("entrevista", 4, "3") ||
           add_rows("registro", 1, "3");
}

static int teardown(void **state)
{
    (void)state;
    return testsrv_stop(&srv) == 0 ? 0 : -1;
}

static void get(const char *path, int status, http_resp_t *r)
{
    assert_int_equal(http_get(srv.port, path, NULL, r), 0);
    if (r->status != status) fail_msg("GET %s: %d, not %d\n%s", path, r->status, status, r->body);
}

static json_t *get_json(const char *path, int status)
{
    return test_get_json(srv.port, path, NULL, status);
}

/* sat_indice's n and value under a channel filter. */
static void expect_sat(const char *channel, json_int_t n, double value)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v1/indicators?form=satisfaccion&by=none&channel=%s", channel);
    json_t *j = get_json(path, 200);
    json_t *sat = test_indicator(j, "sat_indice");
    if (json_integer_value(json_object_get(sat, "n")) != n)
        fail_msg("%s: n %lld, not %lld", channel, (long long)json_integer_value(json_object_get(sat, "n")),
                 (long long)n);
    assert_true(json_real_value(json_object_get(sat, "value")) == value);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "filters"), "channel")), channel);
    json_decref(j);
}

static void test_api_filters_by_channel(void **state)
{
    (void)state;
    expect_sat("web", 5, 100);
    expect_sat("papel", 5, 0);      /* four "papel" and the old "paper" */
    expect_sat("entrevista", 4, 50);
    /* the whole, and the breakdown by channel, as before */
    json_t *j = get_json("/api/v1/indicators?form=satisfaccion&by=canal", 200);
    json_t *sat = test_indicator(j, "sat_indice");
    assert_int_equal(json_integer_value(json_object_get(sat, "n")), 15);
    json_t *canal = json_object_get(json_object_get(sat, "by"), "canal"), *c;
    size_t i;
    bool papel = false;
    json_array_foreach(canal, i, c) {
        assert_string_not_equal(json_string_value(json_object_get(c, "key")), "paper");
        if (!strcmp(json_string_value(json_object_get(c, "key")), "papel")) {
            papel = true;
            assert_int_equal(json_integer_value(json_object_get(c, "n")), 5);
        }
    }
    assert_true(papel);
    json_decref(j);
}

/* The API says how many answers came by each channel, suppressed like
 * any breakdown: web, papel and entrevista have 3 or more; registro (1)
 * is the institution's entries, never hidden (issue 17 channel count
 * fixes; it was hidden, and the interviews with it). */
static void test_api_counts_per_channel(void **state)
{
    (void)state;
    json_t *j = get_json("/api/v1/indicators?form=satisfaccion&by=none", 200);
    json_t *ch = json_object_get(j, "channels");
    assert_int_equal(json_array_size(ch), 4);
    static const struct { const char *key; int n; } want[] = {
        { "web", 5 }, { "papel", 5 }, { "entrevista", 4 }, { "registro", 1 },
    };
    for (size_t i = 0; i < 4; i++) {
        json_t *c = json_array_get(ch, i);
        assert_string_equal(json_string_value(json_object_get(c, "channel")), want[i].key);
        if (want[i].n < 0) {
            assert_true(json_is_null(json_object_get(c, "n")));
            assert_true(json_is_true(json_object_get(c, "suppressed")));
        } else {
            assert_int_equal(json_integer_value(json_object_get(c, "n")), want[i].n);
            assert_true(json_is_false(json_object_get(c, "suppressed")));
        }
    }
    json_decref(j);
}

static void test_bad_channel_is_400(void **state)
{
    (void)state;
    static const char *const bad[] = { "/api/v1/indicators?channel=paper", "/api/v1/indicators?channel=fax",
                                       "/api/v1/indicators.csv?channel=WEB" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *j = get_json(bad[i], 400);
        assert_string_equal(json_string_value(json_object_get(j, "parameter")), "channel");
        assert_non_null(strstr(json_string_value(json_object_get(j, "error")), "web, papel, entrevista, registro"));
        json_decref(j);
    }
    http_resp_t r;
    get("/indicadores?canal=fax", 400, &r);
    test_has(r.body, "Revise este filtro, su valor no es válido: canal");
    http_resp_free(&r);
}

static void test_dashboard_channel_filter_and_counts(void **state)
{
    (void)state;
    http_resp_t r;
    get("/indicadores", 200, &r);
    test_has(r.body, "<select id=f-canal name=canal><option value=\"\">");
    test_has(r.body, "<option value=\"entrevista\">Entrevista</option>");
    test_has(r.body, "Respuestas por canal: Web 5 \xC2\xB7 Papel 5 \xC2\xB7 Entrevista 4 \xC2\xB7 Registro 1.</p>");
    http_resp_free(&r);
    get("/indicadores?canal=papel&lang=ht", 200, &r);
    test_has(r.body, "<option value=\"papel\" selected>Papye</option>");
    test_has(r.body, "Repons pa kanal: Papye 5.");
    test_lacks(r.body, "Entènèt 5");
    /* the downloads keep the filter */
    test_has(r.body, "/api/v1/indicators.csv?channel=papel&amp;");
    http_resp_free(&r);
}

/* by=none: no breakdown under action 4 (was a 400). */
static void test_dashboard_by_none(void **state)
{
    (void)state;
    http_resp_t r;
    get("/indicadores?by=none", 200, &r);
    test_has(r.body, "<option value=\"none\" selected>Ninguna</option>");
    test_lacks(r.body, "Revise este filtro");
    http_resp_free(&r);
}

static void test_csv_filters_by_channel(void **state)
{
    (void)state;
    http_resp_t r;
    get("/api/v1/indicators.csv?form=satisfaccion&by=none&channel=papel", 200, &r);
    test_has(r.body, "\n3,sat_indice,");
    test_has(r.body, ",total,,Todas las respuestas,0.00,5,");
    http_resp_free(&r);
}

/* The command line takes the same filter (--channel), and refuses a
 * channel it does not know. */
static void test_cli_filters_by_channel(void **state)
{
    (void)state;
    buf_t out, err;
    int rc = test_buzon(srv.dir, &out, &err,
                        "indicators --db '%s' --forms '%s/forms' --form satisfaccion --by none --min-cell 3"
                        " --channel papel", srv.db, test_root());
    if (rc != 0) fail_msg("buzon indicators: %d\n%s", rc, err.data);
    json_error_t e;
    json_t *j = json_loads(out.data, 0, &e);
    if (!j) fail_msg("not JSON: %s", e.text);
    assert_int_equal(json_integer_value(json_object_get(test_indicator(j, "sat_indice"), "n")), 5);
    json_decref(j);
    buf_free(&out);
    buf_free(&err);
    assert_int_equal(test_buzon(srv.dir, NULL, &err, "indicators --db '%s' --forms '%s/forms' --channel fax",
                                srv.db, test_root()), 2);
    test_has(err.data, "--channel must be one of web, papel, entrevista, registro");
    buf_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_filters_by_channel),
        cmocka_unit_test(test_api_counts_per_channel),
        cmocka_unit_test(test_bad_channel_is_400),
        cmocka_unit_test(test_dashboard_channel_filter_and_counts),
        cmocka_unit_test(test_dashboard_by_none),
        cmocka_unit_test(test_csv_filters_by_channel),
        cmocka_unit_test(test_cli_filters_by_channel),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
