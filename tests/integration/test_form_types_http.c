/*
 * test_form_types_http.c: issue 16 item 5 over HTTP, without JavaScript.
 * The test writes a form in Spanish and Kreyòl with one question of each
 * type of "the rest" (time, dateTime, range as a list and as a number,
 * acknowledge, trigger, hidden, barcode, osm, rank, month-year, year,
 * numbers) and starts the real server on it. The page has the right field
 * for each; an invalid value of each gets a 422 with its message beside
 * the field in the visitor's language; valid values get a 303 and are
 * stored in canonical form, and the staff's CSV export shows them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "staffsrv.h"
#include "testsh.h"
#include "testsrv.h"
#include "testform.h"
#include "testcheck.h"

typedef struct fx {
    char dir[256];      /* scratch folder; forms in dir/forms */
    char forms[300];
    testsrv_t srv;
} fx_t;

#define SURVEY \
    "type,name,label::Español (es),label::Kreyòl (ht),parameters,appearance,default\n" \
    "time,hora,Hora,Lè,,,\n" \
    "dateTime,cuando,Cuándo,Kilè,,,\n" \
    "range,nota,Nota,Nòt,start=0 end=10 step=1,,\n" \
    "range,litros,Litros,Lit,start=0 end=100 step=5,,\n" \
    "acknowledge,leido,Leí las reglas,Mwen li règ yo,,,\n" \
    "trigger,visto,Visto,Wè,,,\n" \
    "hidden,origen,,,,,cartel\n" \
    "barcode,codigo,Código,Kòd,,,\n" \
    "osm,edificio,Edificio,Bilding,,,\n" \
    "rank prio,orden,Prioridades,Priyorite,,,\n" \
    "date,mes,Mes,Mwa,,month-year,\n" \
    "date,anio,Año,Ane,,year,\n" \
    "text,cedula,Número,Nimewo,,numbers,\n"

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    if (test_mkdtemp(fx->dir, sizeof fx->dir, "formtypes") != 0) return -1;
    snprintf(fx->forms, sizeof fx->forms, "%s/forms", fx->dir);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/tipos", fx->forms);
    if (mkdir(fx->forms, 0700) != 0 || mkdir(dir, 0700) != 0) return -1;
    testform_write_file(dir, "survey.csv", SURVEY);
    testform_write_file(dir, "choices.csv", "list_name,name,label::Español (es),label::Kreyòl (ht)\n"
                                           "prio,agua,Agua,Dlo\nprio,luz,Luz,Kouran\nprio,calles,Calles,Lari\n");
    testform_write_file(dir, "settings.csv", "form_title::Español (es),form_title::Kreyòl (ht),form_id,version\n"
                                    "Tipos,Kalite,tipos,1\n");
    if (test_catalog_csvs(fx->forms) != 0) return -1;
    *state = fx;
    return testsrv_start(&fx->srv, fx->forms, NULL);
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    int rc = testsrv_stop(&fx->srv);
    test_rmtree(fx->dir);
    free(fx);
    return rc == 0 ? 0 : -1;
}

/* The error paragraph of question q in body holds msg. */
static void err_beside(const char *body, const char *q, const char *msg)
{
    char id[64];
    snprintf(id, sizeof id, "<p class=e id=e-%s>", q);
    const char *p = strstr(body, id);
    if (!p) fail_msg("no error beside %s", q);
    const char *end = strstr(p, "</p>");
    if (!end || (size_t)(end - p) < strlen(msg) || !memmem(p, (size_t)(end - p), msg, strlen(msg)))
        fail_msg("error beside %s is not \"%s\": %.*s", q, msg, end ? (int)(end - p) : 80, p);
}

/* The stored value of question q in the one response, or NULL. Caller frees. */
static char *stored(const fx_t *fx, const char *q)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char *v = NULL;
    assert_int_equal(sqlite3_open_v2(fx->srv.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT value FROM answers WHERE form_id = 'tipos' AND question = ?",
                                        -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, q, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void test_page_has_a_field_for_each_type(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    assert_int_equal(http_get(fx->srv.port, "/e/tipos?lang=es", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "name=hora type=time");
    test_has(r.body, "name=cuando type=datetime-local");
    /* 11 values: a row of radio buttons; 21: a number field */
    test_has(r.body, "<input type=radio name=nota value=\"0\">");
    test_has(r.body, "<input type=radio name=nota value=\"10\">");
    test_has(r.body, "name=litros type=number data-range inputmode=decimal min=0 max=100 step=5");
    test_has(r.body, "Un número entre 0 y 100, en pasos de 5");
    test_has(r.body, "<input type=checkbox name=leido value=OK>Entendido");
    test_has(r.body, "<input type=checkbox name=visto value=OK>");
    test_lacks(r.body, "name=origen");                   /* hidden: not shown */
    test_has(r.body, "name=codigo type=text");
    test_has(r.body, "name=edificio type=text");
    test_has(r.body, "<label for=i-orden-1>Lugar 1</label> <select id=i-orden-1 name=orden>");
    test_has(r.body, "<select id=i-orden-3 name=orden>");
    test_has(r.body, "name=mes type=month");
    test_has(r.body, "name=anio type=text inputmode=numeric maxlength=4");
    test_has(r.body, "name=cedula type=text inputmode=numeric");
    http_resp_free(&r);
}

#define BAD "hora=25:00&cuando=2025-02-30T10:00&nota=11&litros=7&leido=si&orden=luz&orden=luz&orden=agua" \
            "&mes=2025-13&anio=99"

static void test_invalid_values_refused_beside_the_field(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    assert_int_equal(http_post(fx->srv.port, "/e/tipos?lang=es", BAD, &r), 0);
    assert_int_equal(r.status, 422);
    err_beside(r.body, "hora", "Escriba una hora válida");
    err_beside(r.body, "cuando", "Escriba una fecha y una hora válidas");
    err_beside(r.body, "nota", "Elija un valor dentro del rango");
    err_beside(r.body, "litros", "Elija un valor dentro del rango");
    err_beside(r.body, "leido", "Elija");
    err_beside(r.body, "orden", "Ponga cada opción en un solo lugar");
    err_beside(r.body, "mes", "Escriba una fecha válida");
    err_beside(r.body, "anio", "Escriba una fecha válida");
    /* what was typed is shown again, the rank in its places */
    test_has(r.body, "value=\"25:00\"");
    test_has(r.body, "name=litros type=number data-range inputmode=decimal min=0 max=100 step=5 aria-describedby=");
    test_has(r.body, "<select id=i-orden-3 name=orden><option value=\"\">Elija una opción</option>"
                "<option value=agua selected>");
    http_resp_free(&r);
    assert_int_equal(http_post(fx->srv.port, "/e/tipos?lang=ht", BAD, &r), 0);
    assert_int_equal(r.status, 422);
    test_has(r.body, "<html lang=ht>");
    err_beside(r.body, "hora", "Ekri yon lè ki valab");
    err_beside(r.body, "cuando", "Ekri yon dat ak yon lè ki valab");
    err_beside(r.body, "nota", "Chwazi yon valè ki nan limit yo");
    err_beside(r.body, "orden", "Mete chak chwa nan yon sèl plas");
    test_has(r.body, "Plas 1");
    http_resp_free(&r);
    /* nothing stored */
    char *v = stored(fx, "hora");
    assert_null(v);
}

static void test_valid_values_stored_and_exported(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    /* typed fallbacks: "H:MM", a space in the date-time */
    assert_int_equal(http_post(fx->srv.port, "/e/tipos?lang=es",
                               "hora=7:05&cuando=2025-03-15+14:30&nota=10&litros=95&leido=OK&visto=OK"
                               "&origen=forjado&codigo=0012345&edificio=Escuela&orden=luz&orden=calles&orden=agua"
                               "&mes=2025-03&anio=2024&cedula=0123", &r), 0);
    assert_int_equal(r.status, 303);
    http_resp_free(&r);
    const char *want[][2] = {
        { "hora", "07:05" }, { "cuando", "2025-03-15T14:30" }, { "nota", "10" }, { "litros", "95" },
        { "leido", "OK" }, { "visto", "OK" }, { "origen", "cartel" }, { "codigo", "0012345" },
        { "edificio", "Escuela" }, { "orden", "luz calles agua" }, { "mes", "2025-03-01" },
        { "anio", "2024-01-01" }, { "cedula", "0123" },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char *v = stored(fx, want[i][0]);
        if (!v || strcmp(v, want[i][1])) fail_msg("%s stored as %s, not %s", want[i][0], v ? v : "(none)", want[i][1]);
        free(v);
    }
    char cookie[256];
    assert_int_equal(staffsrv_session(&fx->srv, "desk", "atencion", cookie, sizeof cookie), 0);
    assert_int_equal(http_get(fx->srv.port, "/api/v1/forms/tipos/responses.csv", cookie, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "07:05");
    test_has(r.body, "2025-03-15T14:30");
    test_has(r.body, "luz calles agua");
    test_has(r.body, "cartel");
    test_has(r.body, "2025-03-01");
    http_resp_free(&r);
    assert_int_equal(http_get(fx->srv.port, "/api/v1/forms/tipos/responses.xlsx", cookie, &r), 0);
    assert_int_equal(r.status, 200);
    http_resp_free(&r);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_page_has_a_field_for_each_type),
        cmocka_unit_test(test_invalid_values_refused_beside_the_field),
        cmocka_unit_test(test_valid_values_stored_and_exported),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
