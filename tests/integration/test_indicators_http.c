/*
 * test_indicators_http.c: the indicators over real HTTP against a real
 * build/buzon with the standard forms: answers posted through the survey
 * come back as figures in the API's JSON (the Contract's shape), CSV and
 * XLSX, on the dashboard and on the plan page; bad filter values are a 400
 * naming the parameter.
 *
 * The server runs with --public-indicators (the pages are for staff
 * otherwise) and --min-cell 3, so that four responses make a figure.
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
#include <time.h>

#include "base/bizdays.h"
#include "testcheck.h"
#include "testsrv.h"

static testsrv_t srv;

/* Four citizens at the market, all "5" on satisfaction and "4" on trust,
 * nothing else rated: the satisfaction index is (100 + 75) / 2 = 87.5. */
static int setup(void **state)
{
    (void)state;
    static const char *const args[] = { "--public-indicators", "--min-cell", "3", "--rate-limit", "0", NULL };
    if (testsrv_start(&srv, NULL, args)) return -1;
    for (int i = 0; i < 4; i++) {
        char body[256];
        snprintf(body, sizeof body, "_sid=aaaaaaaa-bbbb-4ccc-8ddd-00000000000%d&_t=1&satisfaccion=5"
                 "&confianza=4&sexo=%s", i, i < 2 ? "mujer" : "hombre");
        http_resp_t r;
        if (http_post(srv.port, "/e/satisfaccion?p=mercado-municipal&lang=es", body, &r) || r.status != 303)
            return -1;
        http_resp_free(&r);
    }
    return 0;
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
    http_resp_t r;
    get(path, status, &r);
    char *type = http_header(&r, "Content-Type");
    assert_string_equal(type, "application/json");
    free(type);
    json_error_t e;
    json_t *j = json_loads(r.body, 0, &e);
    if (!j) fail_msg("%s: not JSON: %s", path, e.text);
    http_resp_free(&r);
    return j;
}

static void test_api_has_the_contract_shape(void **state)
{
    (void)state;
    json_t *j = get_json("/api/v1/indicators", 200);
    assert_string_equal(json_string_value(json_object_get(j, "sample")), "non-probability");
    assert_int_equal(json_integer_value(json_object_get(j, "threshold")), 3);
    assert_true(json_is_object(json_object_get(j, "filters")));
    assert_true(json_is_string(json_object_get(j, "generated_at")));
    json_t *sat = test_indicator(j, "sat_indice");
    assert_int_equal(json_integer_value(json_object_get(sat, "action")), 3);
    assert_string_equal(json_string_value(json_object_get(sat, "label")), "Índice de satisfacción (7 factores)");
    assert_true(json_is_string(json_object_get(sat, "label_ht")));
    assert_string_equal(json_string_value(json_object_get(sat, "kind")), "index");
    assert_true(json_real_value(json_object_get(sat, "value")) == 87.5);
    assert_int_equal(json_integer_value(json_object_get(sat, "n")), 4);
    assert_true(json_is_array(json_object_get(sat, "ci95")));
    assert_true(json_is_false(json_object_get(sat, "suppressed")));
    json_t *by = json_object_get(sat, "by");
    assert_int_equal(json_object_size(by), 10);
    /* two women, two men: groups of two are under the threshold */
    json_t *mujer = json_array_get(json_object_get(by, "sexo"), 0);
    assert_string_equal(json_string_value(json_object_get(mujer, "key")), "mujer");
    assert_true(json_is_true(json_object_get(mujer, "suppressed")));
    /* every respondent came from the market's poster */
    json_t *punto = json_array_get(json_object_get(by, "punto"), 0);
    assert_string_equal(json_string_value(json_object_get(punto, "key")), "mercado-municipal");
    assert_int_equal(json_integer_value(json_object_get(punto, "n")), 4);
    /* indicators of the other actions are there, without data */
    json_t *acc = test_indicator(j, "acc_indice");
    assert_int_equal(json_integer_value(json_object_get(acc, "action")), 5);
    assert_true(json_is_null(json_object_get(acc, "value")));
    assert_int_equal(json_integer_value(json_object_get(acc, "n")), 0);
    json_decref(j);
}

static void test_api_filters(void **state)
{
    (void)state;
    json_t *j = get_json("/api/v1/indicators?form=agilidad&by=none", 200);
    json_t *list = json_object_get(j, "indicators"), *it;
    size_t i;
    assert_true(json_array_size(list) > 0);
    json_array_foreach(list, i, it) {
        assert_string_equal(json_string_value(json_object_get(it, "form")), "agilidad");
        assert_int_equal(json_object_size(json_object_get(it, "by")), 0);
    }
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "filters"), "form")), "agilidad");
    json_decref(j);
    /* nothing was answered in the future, nor about the office */
    j = get_json("/api/v1/indicators?from=2999-01-01&by=none", 200);
    assert_int_equal(json_integer_value(json_object_get(test_indicator(j, "sat_indice"), "n")), 0);
    json_decref(j);
    j = get_json("/api/v1/indicators?service=oficina&by=none", 200);
    assert_int_equal(json_integer_value(json_object_get(test_indicator(j, "sat_indice"), "n")), 0);
    json_decref(j);
    j = get_json("/api/v1/indicators?point=mercado-municipal&to=2999-12-31&by=sexo", 200);
    assert_int_equal(json_integer_value(json_object_get(test_indicator(j, "sat_indice"), "n")), 4);
    assert_int_equal(json_object_size(json_object_get(test_indicator(j, "sat_indice"), "by")), 1);
    json_decref(j);
}

static void test_bad_filters_are_400_naming_the_parameter(void **state)
{
    (void)state;
    static const struct { const char *path, *param; } bad[] = {
        { "/api/v1/indicators?from=2025-13-01", "from" },
        { "/api/v1/indicators?to=ayer", "to" },
        { "/api/v1/indicators?from=2025-02-01&to=2025-01-01", "from" },
        { "/api/v1/indicators?form=nada", "form" },
        { "/api/v1/indicators?point=nada", "point" },
        { "/api/v1/indicators?service=nada", "service" },
        { "/api/v1/indicators?by=color", "by" },
        { "/api/v1/indicators.csv?sep=%7C", "sep" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *j = get_json(bad[i].path, 400);
        assert_string_equal(json_string_value(json_object_get(j, "parameter")), bad[i].param);
        assert_non_null(strstr(json_string_value(json_object_get(j, "error")), bad[i].param));
        json_decref(j);
    }
}

static void test_csv_download(void **state)
{
    (void)state;
    http_resp_t r;
    get("/api/v1/indicators.csv?by=none", 200, &r);
    char *type = http_header(&r, "Content-Type");
    assert_string_equal(type, "text/csv; charset=utf-8");
    free(type);
    assert_memory_equal(r.body, "\xEF\xBB\xBF" "accion,indicador_id,", 23);
    assert_non_null(strstr(r.body, "\r\n3,sat_indice,Índice de satisfacción (7 factores),Índice 0–100,satisfaccion,"
                                   "total,,Todas las respuestas,87.50,4,"));
    http_resp_free(&r);
    get("/api/v1/indicators.csv?by=none&sep=%3B&lang=ht", 200, &r);
    assert_memory_equal(r.body, "\xEF\xBB\xBF" "accion;indicador_id;", 23);
    assert_non_null(strstr(r.body, "\r\n3;sat_indice;Endis satisfaksyon (7 faktè);Endis 0–100;satisfaccion;"
                                   "total;;Tout repons yo;87,50;4;"));
    /* Saved under names of their own: the two flavours do not overwrite
     * each other in the clerk's Downloads folder. */
    char *semi = http_header(&r, "Content-Disposition");
    http_resp_free(&r);
    get("/api/v1/indicators.csv", 200, &r);
    char *comma = http_header(&r, "Content-Disposition");
    http_resp_free(&r);
    get("/api/v1/indicators.xlsx", 200, &r);
    char *xlsx = http_header(&r, "Content-Disposition");
    http_resp_free(&r);
    assert_non_null(semi);
    assert_non_null(comma);
    assert_non_null(xlsx);
    assert_memory_equal(comma, "attachment; filename=\"indicadores-20", 35);
    assert_non_null(strstr(comma, ".csv\""));
    assert_non_null(strstr(semi, "-excel-es.csv\""));
    assert_non_null(strstr(xlsx, ".xlsx\""));
    assert_string_not_equal(semi, comma);
    free(semi);
    free(comma);
    free(xlsx);
}

static void test_xlsx_download(void **state)
{
    (void)state;
    http_resp_t r;
    get("/api/v1/indicators.xlsx", 200, &r);
    char *type = http_header(&r, "Content-Type");
    assert_string_equal(type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    free(type);
    assert_true(r.body_len > 1000);
    assert_memory_equal(r.body, "PK\x03\x04", 4);
    http_resp_free(&r);
}

static void test_dashboard_page(void **state)
{
    (void)state;
    http_resp_t r;
    get("/indicadores", 200, &r);
    assert_non_null(strstr(r.body, "<h1>Indicadores del Plan de Mejora</h1>"));
    assert_non_null(strstr(r.body, "<section id=accion-3>"));
    assert_non_null(strstr(r.body, "<section id=accion-4>"));
    assert_non_null(strstr(r.body, "<p class=d-big>87.5<small> / 100</small>"));
    assert_non_null(strstr(r.body, "<svg class=d-ch"));
    http_resp_free(&r);
    get("/indicadores?lang=ht&service=mercado&by=edad", 200, &r);
    assert_non_null(strstr(r.body, "<h1>Endikatè Plan Amelyorasyon an</h1>"));
    assert_non_null(strstr(r.body, "<option value=\"edad\" selected>"));
    http_resp_free(&r);
    get("/indicadores?from=2025-02-30", 400, &r);
    assert_non_null(strstr(r.body, "Revise este filtro, su valor no es válido: from"));
    http_resp_free(&r);
}

/* Action 5 (accessibility) has no answers here: its charts and its table
 * say the same thing, "no data" (there is nothing to hide). */
static void test_empty_action_reads_the_same_in_charts_and_table(void **state)
{
    (void)state;
    http_resp_t r;
    get("/indicadores", 200, &r);
    char *sec = strstr(r.body, "<section id=accion-5>");
    assert_non_null(sec);
    char *end = strstr(sec, "</section>");
    assert_non_null(end);
    *end = '\0';
    assert_null(strstr(sec, "oculto"));
    assert_non_null(strstr(sec, "d-st\" x=8 y=29>Sin datos todavía</text>"));
    assert_non_null(strstr(sec, "<td>Sin datos todavía</td>"));
    *end = '<';
    /* Nowhere does a reason share a line with its label (they overlapped):
     * it is written in the empty bar. */
    assert_null(strstr(r.body, "text-anchor=end>Sin datos"));
    assert_null(strstr(r.body, "text-anchor=end>oculto"));
    http_resp_free(&r);
}

static void test_plan_page(void **state)
{
    (void)state;
    http_resp_t r;
    get("/indicadores/plan", 200, &r);
    for (int a = 1; a <= 10; a++) {
        char id[32];
        snprintf(id, sizeof id, " id=accion-%d>", a);
        assert_non_null(strstr(r.body, id));
    }
    assert_non_null(strstr(r.body, "4 respuestas a «Encuesta de satisfacción con los servicios»"));
    assert_non_null(strstr(r.body, "Inconsistencia en el plan:"));
    assert_non_null(strstr(r.body, "Sin datos todavía"));
    /* Regression (issue 13): the notes of actions 6 and 7 said the case
     * figures "will be calculated" while the page shows them. */
    assert_null(strstr(r.body, "se calculará"));
    assert_null(strstr(r.body, "vendrán de los casos"));
    /* Whole notes, to their last word (an unquoted comma cut one short). */
    assert_non_null(strstr(r.body, "calculados con los casos que registra el personal (días hábiles: "
                                   "mediana y percentil 90).</p>"));
    assert_non_null(strstr(r.body, "se calcula con los casos que registra el personal; los casos "
                                   "abiertos que ya pasaron su plazo cuentan como fuera de plazo.</p>"));
    http_resp_free(&r);
    get("/indicadores/plan?lang=ht", 200, &r);
    assert_null(strstr(r.body, "ap kalkile"));
    assert_null(strstr(r.body, "ap soti nan dosye"));
    assert_non_null(strstr(r.body, "kalkile ak dosye anplwaye yo anrejistre (jou travay: medyàn ak "
                                   "pèsantil 90).</p>"));
    assert_non_null(strstr(r.body, "dosye ki toujou louvri epi ki gentan depase dat limit yo konte "
                                   "kòm an reta.</p>"));
    http_resp_free(&r);
}

/* issue 18: the summary row of action a on the plan page body holds want. */
static void plan_row_has(const char *body, int a, const char *want)
{
    char id[32];
    snprintf(id, sizeof id, "<tr id=fila-%d>", a);
    const char *row = strstr(body, id);
    if (!row) fail_msg("no summary row for action %d", a);
    const char *end = strstr(row, "</tr>");
    size_t len = (size_t)(end - row);
    char *copy = strndup(row, len);
    if (!strstr(copy, want)) fail_msg("action %d's row lacks \"%s\": %s", a, want, copy);
    free(copy);
}

/* issue 18: each action's status, target and figure with n, with the
 * evidence of the four answers (today) and for a period before them. */
static void test_plan_page_statuses_with_and_without_evidence(void **state)
{
    (void)state;
    http_resp_t r;
    get("/indicadores/plan", 200, &r);
    /* issue 18: action 3 ended in 2024-10 and has no target; its four
     * answers came today (December 2026), after its end: overdue, the
     * late evidence shown, its figure the one of its own window (the old
     * rule called it achieved: any answer of any date counted) */
    plan_row_has(r.body, 3, "Sin datos todavía (n = 0)");
    plan_row_has(r.body, 3, "Del plazo de la acción (septiembre 2024 – octubre 2024) · evidencia en el plazo: 0");
    plan_row_has(r.body, 3, "evidencia después del plazo: 4");
    plan_row_has(r.body, 3, "sin meta");
    plan_row_has(r.body, 3, "d-status-vencida\">Vencida<");
    assert_null(strstr(r.body, "d-status-lograda"));
    assert_non_null(strstr(r.body, "<b>Cómo se decide el estado:</b> Solo cuenta la evidencia"));
    /* action 5 ended with nothing recorded: overdue */
    plan_row_has(r.body, 5, "Sin datos todavía (n = 0)");
    plan_row_has(r.body, 5, "Vencida");
    /* action 1's register (reg_benchmarking) has no entry: its figure
     * reads as empty and the action, ended in 2025-08, is overdue */
    plan_row_has(r.body, 1, "Sin datos todavía (n = 0)");
    plan_row_has(r.body, 1, "Vencida");
    plan_row_has(r.body, 10, "\xE2\x9A\xA0");   /* ends before it starts */
    assert_non_null(strstr(r.body, "/indicadores/plan/informe.pdf?lang=es"));
    assert_non_null(strstr(r.body, "/indicadores/plan/informe.xlsx?lang=es"));
    const char *three = strstr(r.body, " id=accion-3>");
    assert_non_null(strstr(three, "<dt>Cifra actual</dt><dd>Sin datos todavía (n = 0)<br>"));
    /* issue 18: every indicator of action 4 is in its section, its own
     * register's too, not only the headline of the survey */
    const char *four = strstr(r.body, " id=accion-4>"), *five = strstr(r.body, " id=accion-5>");
    assert_true(four && five && four < five);
    char *four_only = strndup(four, (size_t)(five - four));
    test_has(four_only, "Mujeres entre quienes respondieron");
    test_has(four_only, "Personas de 60 años o más");
    test_has(four_only, "Reuniones en las que se aplicaron los criterios de inclusión");
    free(four_only);
    http_resp_free(&r);
    /* the same plan as of the end of 2024: no answers yet in that period */
    get("/indicadores/plan?to=2024-12-31&lang=ht", 200, &r);
    assert_non_null(strstr(r.body, "Eta nan dat 2024-12-31"));
    plan_row_has(r.body, 3, "An reta");
    plan_row_has(r.body, 9, "Poko kòmanse");   /* 2025-01 to 2025-08 */
    assert_non_null(strstr(r.body, "/indicadores/plan/informe.pdf?to=2024-12-31&amp;lang=ht"));
    http_resp_free(&r);
    get("/indicadores/plan?from=2025-13-01", 400, &r);
    assert_non_null(strstr(r.body, "role=alert"));
    http_resp_free(&r);
}

/* Post n satisfaction answers at point with this rating and sex to the
 * server on port; sids numbered from *serial. */
static void answer_at(unsigned port, int *serial, int n, const char *point, int rating, const char *sexo)
{
    for (int i = 0; i < n; i++) {
        char body[256], path[128];
        snprintf(body, sizeof body, "_sid=cccccccc-bbbb-4ccc-8ddd-%012d&_t=1&satisfaccion=%d&sexo=%s",
                 ++*serial, rating, sexo);
        snprintf(path, sizeof path, "/e/satisfaccion?p=%s&lang=es", point);
        http_resp_t r;
        assert_int_equal(http_post(port, path, body, &r), 0);
        assert_int_equal(r.status, 303);
        http_resp_free(&r);
    }
}

static json_t *get_json_at(unsigned port, const char *path)
{
    http_resp_t r;
    assert_int_equal(http_get(port, path, NULL, &r), 0);
    if (r.status != 200) fail_msg("GET %s: %d\n%s", path, r.status, r.body);
    json_error_t e;
    json_t *j = json_loads(r.body, 0, &e);
    if (!j) fail_msg("%s: not JSON: %s", path, e.text);
    http_resp_free(&r);
    return j;
}

static bool all_suppressed(json_t *cells)
{
    json_t *c;
    size_t i;
    json_array_foreach(cells, i, c)
        if (!json_is_true(json_object_get(c, "suppressed")) || !json_is_null(json_object_get(c, "n"))) return false;
    return json_array_size(cells) > 0;
}

/* The tester's report, with the default threshold of 10: fifteen answers
 * at the market and one at the slaughterhouse. The unfiltered figure and
 * the market's would give the lone respondent's rating and sex away by
 * subtraction, so the market's is hidden, n included. */
static void test_point_filter_cannot_single_out_a_respondent(void **state)
{
    (void)state;
    testsrv_t own;
    static const char *const args[] = { "--public-indicators", "--rate-limit", "0", NULL };
    assert_int_equal(testsrv_start(&own, NULL, args), 0);
    int serial = 0;
    answer_at(own.port, &serial, 8, "mercado-municipal", 4, "mujer");
    answer_at(own.port, &serial, 7, "mercado-municipal", 3, "hombre");
    answer_at(own.port, &serial, 1, "matadero-municipal", 4, "hombre");
    json_t *j = get_json_at(own.port, "/api/v1/indicators?form=satisfaccion&by=sexo,punto");
    json_t *sat = test_indicator(j, "sat_general");
    assert_true(json_is_false(json_object_get(sat, "suppressed")));
    assert_int_equal(json_integer_value(json_object_get(sat, "n")), 16);
    json_decref(j);
    j = get_json_at(own.port, "/api/v1/indicators?form=satisfaccion&point=mercado-municipal&by=sexo,punto");
    sat = test_indicator(j, "sat_general");
    assert_true(json_is_true(json_object_get(sat, "suppressed")));
    assert_true(json_is_null(json_object_get(sat, "value")));
    assert_true(json_is_null(json_object_get(sat, "n")));
    json_t *by = json_object_get(sat, "by");
    assert_true(all_suppressed(json_object_get(by, "punto")));
    assert_true(all_suppressed(json_object_get(by, "sexo")));
    json_decref(j);
    /* a filter that leaves nobody out changes nothing */
    j = get_json_at(own.port, "/api/v1/indicators?form=satisfaccion&to=2999-12-31&by=none");
    sat = test_indicator(j, "sat_general");
    assert_true(json_is_false(json_object_get(sat, "suppressed")));
    assert_int_equal(json_integer_value(json_object_get(sat, "n")), 16);
    json_decref(j);
    /* ten more at the slaughterhouse: the market's figure leaves out 11 */
    answer_at(own.port, &serial, 10, "matadero-municipal", 2, "mujer");
    j = get_json_at(own.port, "/api/v1/indicators?form=satisfaccion&point=mercado-municipal&by=none");
    sat = test_indicator(j, "sat_general");
    assert_true(json_is_false(json_object_get(sat, "suppressed")));
    assert_int_equal(json_integer_value(json_object_get(sat, "n")), 15);
    json_decref(j);
    assert_int_equal(testsrv_stop(&own), 0);
}

/* One complaint: the desk's figures about it are a group of one, hidden
 * like any other; they have no breakdown by sex, which the JSON leaves
 * out and the dashboard's action 4 says does not apply. */
static void test_case_figures_are_suppressed_and_not_broken_down_by_people(void **state)
{
    (void)state;
    testsrv_t own;
    static const char *const args[] = { "--public-indicators", "--rate-limit", "0", NULL };
    assert_int_equal(testsrv_start(&own, NULL, args), 0);
    http_resp_t r;
    assert_int_equal(http_post(own.port, "/e/quejas?p=mercado-municipal&lang=es",
                               "_sid=dddddddd-0000-4000-8000-000000000001&comentario_tipo=queja"
                               "&comentario=Cola+larga", &r), 0);
    assert_int_equal(r.status, 303);
    http_resp_free(&r);
    json_t *j = get_json_at(own.port, "/api/v1/indicators?form=quejas&by=sexo,servicio,mes");
    json_t *open = test_indicator(j, "casos_pendientes_0_5");
    assert_true(json_is_true(json_object_get(open, "suppressed")));
    assert_true(json_is_null(json_object_get(open, "value")));
    json_t *by = json_object_get(open, "by");
    assert_null(json_object_get(by, "sexo"));
    assert_true(all_suppressed(json_object_get(by, "servicio")));
    assert_true(all_suppressed(json_object_get(by, "mes")));
    json_decref(j);
    assert_int_equal(http_get(own.port, "/indicadores?by=sexo", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    const char *four = strstr(r.body, "<section id=accion-4>");
    assert_non_null(four);
    assert_non_null(strstr(four, "No aplica: esta cifra no se desglosa"));
    http_resp_free(&r);
    assert_int_equal(testsrv_stop(&own), 0);
}

/* The ids of the indicators of a JSON document, in order, joined by
 * spaces (caller frees). */
static char *indicator_ids(json_t *doc)
{
    json_t *list = json_object_get(doc, "indicators"), *it;
    size_t i, len = 1;
    json_array_foreach(list, i, it) len += strlen(json_string_value(json_object_get(it, "id"))) + 1;
    char *out = calloc(1, len);
    assert_non_null(out);
    json_array_foreach(list, i, it) {
        if (i) strcat(out, " ");
        strcat(out, json_string_value(json_object_get(it, "id")));
    }
    return out;
}

/* `buzon indicators --format json` on a server's database, parsed. */
static json_t *cli_json(const testsrv_t *s)
{
    const char *bin = getenv("BUZON_BIN");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' indicators --db '%s' --forms '%s/forms' --format json",
             bin ? bin : "build/buzon", s->db, test_root());
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    json_error_t e;
    json_t *j = json_loadf(p, 0, &e);
    assert_int_equal(pclose(p), 0);
    if (!j) fail_msg("buzon indicators: not JSON: %s", e.text);
    return j;
}

/* The API and the command line compute through one service: with a case
 * in the database (the complaints desk's figures of actions 6 and 7), both
 * list the same indicators, in the same order. */
static void test_cli_and_api_give_the_same_indicators(void **state)
{
    (void)state;
    testsrv_t own;
    static const char *const args[] = { "--public-indicators", "--rate-limit", "0", NULL };
    assert_int_equal(testsrv_start(&own, NULL, args), 0);
    http_resp_t r;
    assert_int_equal(http_post(own.port, "/e/quejas?p=mercado-municipal&lang=es",
                               "_sid=eeeeeeee-0000-4000-8000-000000000001&comentario_tipo=queja"
                               "&comentario=Cola+larga", &r), 0);
    assert_int_equal(r.status, 303);
    http_resp_free(&r);
    int serial = 100;
    answer_at(own.port, &serial, 2, "mercado-municipal", 4, "mujer");
    json_t *api = get_json_at(own.port, "/api/v1/indicators");
    json_t *cli = cli_json(&own);
    assert_int_equal(testsrv_stop(&own), 0);
    char *a = indicator_ids(api), *c = indicator_ids(cli);
    json_decref(api);
    json_decref(cli);
    assert_non_null(strstr(a, "casos_en_plazo"));
    assert_string_equal(c, a);
    free(a);
    free(c);
}

/* Regression (issue 12, one calendar): the downloads were named after the
 * server's own time zone's date (localtime), not the Dominican date every
 * other date of buzon uses. A server in UTC+20 is always a day ahead. */
static void test_download_is_named_after_the_dominican_date(void **state)
{
    (void)state;
    const char *tz = getenv("TZ");
    char *saved = tz ? strdup(tz) : NULL;
    setenv("TZ", "AHEAD-20", 1);
    testsrv_t own;
    static const char *const args[] = { "--public-indicators", "--rate-limit", "0", NULL };
    int rc = testsrv_start(&own, NULL, args);
    if (saved) setenv("TZ", saved, 1);
    else unsetenv("TZ");
    free(saved);
    assert_int_equal(rc, 0);
    char want[64], day[11];
    bizdays_format(bizdays_from_time((int64_t)time(NULL)), day);
    snprintf(want, sizeof want, "attachment; filename=\"indicadores-%s.csv\"", day);
    http_resp_t r;
    char *name = NULL;
    if (http_get(own.port, "/api/v1/indicators.csv", NULL, &r) == 0) {
        if (r.status == 200) name = http_header(&r, "Content-Disposition");
        http_resp_free(&r);
    }
    assert_int_equal(testsrv_stop(&own), 0);   /* first: a failed check must not leave it running */
    assert_non_null(name);
    assert_string_equal(name, want);
    free(name);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_has_the_contract_shape),
        cmocka_unit_test(test_api_filters),
        cmocka_unit_test(test_bad_filters_are_400_naming_the_parameter),
        cmocka_unit_test(test_csv_download),
        cmocka_unit_test(test_xlsx_download),
        cmocka_unit_test(test_dashboard_page),
        cmocka_unit_test(test_empty_action_reads_the_same_in_charts_and_table),
        cmocka_unit_test(test_plan_page),
        cmocka_unit_test(test_plan_page_statuses_with_and_without_evidence),
        cmocka_unit_test(test_point_filter_cannot_single_out_a_respondent),
        cmocka_unit_test(test_case_figures_are_suppressed_and_not_broken_down_by_people),
        cmocka_unit_test(test_cli_and_api_give_the_same_indicators),
        cmocka_unit_test(test_download_is_named_after_the_dominican_date),
    };
    return cmocka_run_group_tests_name("indicators_http", tests, setup, teardown);
}
