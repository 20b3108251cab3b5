/*
 * test_suppress_nested.c: the suppression fixes of issue 17 over real
 * HTTP against a real build/buzon with the standard forms and the default
 * threshold (10).
 *
 * The security tester's case: 21 web answers at mercado-municipal (all
 * "4", age 30-44), one interview at the same point ("1", 60+), 12 web
 * answers at matadero-municipal. point=mercado-municipal shows 22
 * answers; point=mercado-municipal&channel=web, before the fix, showed
 * 21, and the difference was the one interviewed person, with their
 * answer and age. Now a nested query is held against each of its
 * ancestors (the query with any of its filters dropped), not only the
 * whole form. Also: a suppressed figure hides its n (null), a NUL in
 * a query value is a 400, and the dashboard takes what the API takes
 * (by=mes, several breakdowns).
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
#include "testsrv.h"

static testsrv_t srv;

/* n responses copied from response 1 (same form version, language,
 * hour) at point pt by channel ch, answering satisfaccion = val and
 * edad = age. */
static int add_rows(const char *pt, const char *ch, int n, const char *val, const char *age)
{
    for (int i = 0; i < n; i++) {
        char sql[1536];
        snprintf(sql, sizeof sql,
                 "INSERT INTO responses(submission_id, form_version_id, form_id, point_id, lang, channel,"
                 " submitted_hour, duration_s) SELECT '%s-%s-%d', form_version_id, form_id, '%s', lang,"
                 " '%s', submitted_hour, duration_s FROM responses WHERE id = 1;"
                 "INSERT INTO answers(response_id, form_id, question, value)"
                 " VALUES((SELECT max(id) FROM responses), 'satisfaccion', 'satisfaccion', '%s'),"
                 " ((SELECT max(id) FROM responses), 'satisfaccion', 'edad', '%s');",
                 pt, ch, i, pt, ch, val, age);
        if (testsrv_db_exec(&srv, sql)) return -1;
    }
    return 0;
}

static int setup(void **state)
{
    (void)state;
    static const char *const args[] = { "--public-indicators", "--rate-limit", "0", NULL };
    if (testsrv_start(&srv, NULL, args)) return -1;
    /* Response 1, the template of the others, then taken out again. */
    http_resp_t r;
    if (http_post(srv.port, "/e/satisfaccion?p=mercado-municipal&lang=es",
                  "_sid=aaaaaaaa-bbbb-4ccc-8ddd-000000000001&_t=1&satisfaccion=4", &r) || r.status != 303)
        return -1;
    http_resp_free(&r);
    if (add_rows("mercado-municipal", "web", 21, "4", "30_44") ||
        add_rows("mercado-municipal", "entrevista", 1, "1", "60_mas") ||
        add_rows("matadero-municipal", "web", 12, "4", "30_44"))
        return -1;
    return testsrv_db_exec(&srv, "DELETE FROM answers WHERE response_id = 1; DELETE FROM responses WHERE id = 1;");
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

/* The n of an indicator or cell: -1 for null. */
static json_int_t n_of(json_t *o)
{
    json_t *n = json_object_get(o, "n");
    return json_is_null(n) ? -1 : json_integer_value(n);
}

/* The cell of key in the breakdown dim of ind, or NULL. */
static json_t *cell(json_t *ind, const char *dim, const char *key)
{
    json_t *list = json_object_get(json_object_get(ind, "by"), dim), *c;
    size_t i;
    json_array_foreach(list, i, c)
        if (!strcmp(json_string_value(json_object_get(c, "key")), key)) return c;
    return NULL;
}

/* Item 1: the parent (point only) is shown with n 22; the child
 * (point and channel) must not be shown with n 21, nor its 30-44 cell. */
static void test_nested_filters_do_not_difference(void **state)
{
    (void)state;
    json_t *p = get_json("/api/v1/indicators?form=satisfaccion&point=mercado-municipal&by=edad", 200);
    json_t *ps = test_indicator(p, "sat_satisfechos");
    assert_int_equal(n_of(ps), 22);           /* 12 fewer than the whole: shown */
    assert_true(json_is_false(json_object_get(ps, "suppressed")));
    json_t *c = get_json("/api/v1/indicators?form=satisfaccion&point=mercado-municipal&channel=web&by=edad", 200);
    json_t *cs = test_indicator(c, "sat_satisfechos");
    if (!json_is_true(json_object_get(cs, "suppressed")) || n_of(cs) != -1)
        fail_msg("point+channel total shown (n %lld) next to point alone (n 22)", (long long)n_of(cs));
    assert_true(json_is_null(json_object_get(cs, "value")));
    /* every cell of the breakdown: none may differ from its parent's
     * cell by 1..9 people */
    json_t *list = json_object_get(json_object_get(cs, "by"), "edad"), *k;
    size_t i;
    json_array_foreach(list, i, k) {
        const char *key = json_string_value(json_object_get(k, "key"));
        json_t *pk = cell(ps, "edad", key);
        json_int_t a = pk ? n_of(pk) : 0, b = n_of(k);
        if (a >= 0 && b >= 0 && a - b > 0 && a - b < 10)
            fail_msg("edad %s: %lld against %lld in the parent", key, (long long)b, (long long)a);
    }
    json_t *c3044 = cell(cs, "edad", "30_44");
    if (c3044) assert_true(json_is_true(json_object_get(c3044, "suppressed")));
    json_decref(c);
    json_decref(p);
}

/* Item 2: a figure suppressed for having too few answers hides its n
 * (null), as the channels list does. */
static void test_suppressed_total_hides_n(void **state)
{
    (void)state;
    json_t *j = get_json("/api/v1/indicators?channel=entrevista&by=none", 200);
    json_t *list = json_object_get(j, "indicators"), *it;
    size_t i;
    bool some = false;
    json_array_foreach(list, i, it) {
        if (!json_is_true(json_object_get(it, "suppressed"))) continue;
        json_t *n = json_object_get(it, "n");
        if (json_is_integer(n) && json_integer_value(n) > 0)
            fail_msg("%s: suppressed with n %lld", json_string_value(json_object_get(it, "id")),
                     (long long)json_integer_value(n));
        some |= !strcmp(json_string_value(json_object_get(it, "id")), "sat_satisfechos");
    }
    assert_true(some);
    json_decref(j);
}

/* Item 3: a NUL in a query value (or name) is a 400 before dispatch,
 * never a value cut short ("papel") or no filter at all. */
static void test_nul_in_query_is_400(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "/api/v1/indicators?channel=papel%00x", "/api/v1/indicators?channel=%00",
        "/indicadores?canal=papel%00", "/e/satisfaccion?p=mercado-municipal%00x", "/?x%00y=1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        http_resp_t r;
        get(bad[i], 400, &r);
        http_resp_free(&r);
    }
    http_resp_t r;
    get("/api/v1/indicators?channel=papel&by=none", 200, &r);   /* the same without it */
    http_resp_free(&r);
}

/* Item 4: the dashboard takes what the API takes: by=mes and several
 * breakdowns at once (were a bare 400), each under action 4, and keeps
 * the list in its own address; an unknown name is still refused. */
static void test_dashboard_takes_the_api_breakdowns(void **state)
{
    (void)state;
    http_resp_t r;
    get("/indicadores?by=mes", 200, &r);
    test_has(r.body, "Cada cifra principal del plan, separada por <b>Mes</b>.");
    test_has(r.body, "<option value=\"mes\" selected>Mes</option>");
    test_lacks(r.body, "Revise este filtro");
    http_resp_free(&r);
    get("/indicadores?by=edad,sexo&lang=ht", 200, &r);
    test_has(r.body, "separe dapre <b>Sèks</b>.");
    test_has(r.body, "separe dapre <b>Laj</b>.");
    test_has(r.body, "<option value=\"sexo\" selected>");
    http_resp_free(&r);
    get("/indicadores?by=edad,fax", 400, &r);
    test_has(r.body, "Revise este filtro, su valor no es válido: by");
    http_resp_free(&r);
}

/* Item 1 for the complaints desk, whose figures follow the case's point
 * and channel: 12 web complaints and one interview at mercado-municipal,
 * 12 web complaints at matadero-municipal. */
static void test_nested_filters_on_cases(void **state)
{
    (void)state;
    for (int i = 0; i < 25; i++) {
        char body[160];
        snprintf(body, sizeof body, "_sid=case0000-0000-4000-8000-%012d&comentario_tipo=queja&comentario=Queja+%d",
                 i, i);
        http_resp_t r;
        assert_int_equal(http_post(srv.port, i < 13 ? "/e/quejas?p=mercado-municipal&lang=es"
                                                    : "/e/quejas?p=matadero-municipal&lang=es", body, &r), 0);
        assert_int_equal(r.status, 303);
        http_resp_free(&r);
    }
    assert_int_equal(testsrv_db_exec(&srv, "UPDATE responses SET channel = 'entrevista'"
                                           " WHERE submission_id = 'case0000-0000-4000-8000-000000000012'"), 0);
    json_t *p = get_json("/api/v1/indicators?form=quejas&point=mercado-municipal&by=none", 200);
    assert_int_equal(n_of(test_indicator(p, "casos_duplicados")), 13);
    json_t *c = get_json("/api/v1/indicators?form=quejas&point=mercado-municipal&channel=web&by=none", 200);
    json_t *cd = test_indicator(c, "casos_duplicados");
    if (!json_is_true(json_object_get(cd, "suppressed")) || n_of(cd) != -1)
        fail_msg("cases at point+channel shown (n %lld) next to the point alone (n 13)", (long long)n_of(cd));
    json_decref(c);
    json_decref(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nested_filters_do_not_difference),
        cmocka_unit_test(test_suppressed_total_hides_n),
        cmocka_unit_test(test_nul_in_query_is_400),
        cmocka_unit_test(test_dashboard_takes_the_api_breakdowns),
        cmocka_unit_test(test_nested_filters_on_cases),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
