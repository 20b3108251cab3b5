/*
 * test_repeat_http.c: repeats (issue 16, item 1) over HTTP, without
 * JavaScript. A household form of its own (a repeat "persona" with
 * nombre, edad, sexo, and the people over 18 counted with sum() over a
 * calculate inside the repeat): the fresh page has one instance and the
 * add button; "Añadir otro" shows a second with the first's answers
 * kept; "Quitar" removes one and renumbers the later ones; at 50 the add
 * button gives way to a word saying so (es, ht); an age out of
 * range in the second instance is a 422 with the message beside that
 * field, in Spanish and in Kreyòl; a valid answer is a 303 and is stored
 * by path and index; the downloads give the repeat's rows linked by the
 * response id (a sheet of the workbook, or ?repeat=persona as a CSV).
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
#include "testform.h"
#include "testsh.h"
#include "testsrv.h"
#include "testcheck.h"

typedef struct fx {
    char dir[256];
    char forms[300];
    char boss[128];
    testsrv_t srv;
} fx_t;

#define SURVEY \
    "type,name,label::Español (es),label::Kreyòl (ht),required,constraint," \
    "constraint_message::Español (es),constraint_message::Kreyòl (ht),calculation\n" \
    "text,sector,Sector,Sektè,yes,,,,\n" \
    "begin_repeat,persona,Persona,Moun,,,,,\n" \
    "text,nombre,Nombre,Non,yes,,,,\n" \
    "integer,edad,Edad,Laj,yes,. >= 0 and . < 120,La edad va de 0 a 119 años,Laj la soti 0 rive 119 an,\n" \
    "select_one sexo,sexo,Sexo,Sèks,,,,,\n" \
    "calculate,adulto,,,,,,,\"if(${edad} >= 18, 1, 0)\"\n" \
    "end_repeat,,,,,,,,\n" \
    "calculate,mayores,,,,,,,sum(${adulto})\n" \
    "calculate,personas,,,,,,,count(${nombre})\n"

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    if (test_mkdtemp(fx->dir, sizeof fx->dir, "repeat") != 0) return -1;
    snprintf(fx->forms, sizeof fx->forms, "%s/forms", fx->dir);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/hogar", fx->forms);
    if (mkdir(fx->forms, 0700) != 0 || mkdir(dir, 0700) != 0) return -1;
    testform_write_file(dir, "survey.csv", SURVEY);
    testform_write_file(dir, "choices.csv", "list_name,name,label::Español (es),label::Kreyòl (ht)\n"
                                           "sexo,f,Femenino,Fi\nsexo,m,Masculino,Gason\n");
    testform_write_file(dir, "settings.csv", "form_title::Español (es),form_title::Kreyòl (ht),form_id,version\n"
                                             "Hogar,Kay,hogar,1\n");
    /* review: a form whose choices are shuffled per visit, with a repeat */
    char mix[512];
    snprintf(mix, sizeof mix, "%s/mezcla", fx->forms);
    if (mkdir(mix, 0700) != 0) return -1;
    testform_write_file(mix, "survey.csv", "type,name,label,parameters,required\n"
                                           "select_one c,color,Color,randomize=true,\n"
                                           "begin_repeat,persona,Persona,,\n"
                                           "text,nombre,Nombre,,yes\n"
                                           "end_repeat,,,,\n");
    testform_write_file(mix, "choices.csv", "list_name,name,label\nc,a,Azul\nc,b,Blanco\nc,r,Rojo\n");
    testform_write_file(mix, "settings.csv", "form_title,form_id\nMezcla,mezcla\n");
    if (test_catalog_csvs(fx->forms) != 0) return -1;
    *state = fx;
    if (testsrv_start(&fx->srv, fx->forms, NULL) != 0) return -1;
    return staffsrv_session(&fx->srv, "jefa", "admin", fx->boss, sizeof fx->boss) ? -1 : 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    int rc = testsrv_stop(&fx->srv);
    test_rmtree(fx->dir);
    free(fx);
    return rc == 0 ? 0 : -1;
}

/* %5B and %5D, as a browser sends the brackets of a field's name */
#define P1 "persona%5B1%5D."
#define P2 "persona%5B2%5D."
#define P3 "persona%5B3%5D."

static void test_add_and_remove_keep_the_answers(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    assert_int_equal(http_get(fx->srv.port, "/e/hogar?lang=es", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "<legend>Persona 1</legend>");
    test_has(r.body, "name=persona[1].nombre type=text");
    test_lacks(r.body, "persona[2]");
    test_has(r.body, "<input type=hidden name=\"_n.persona\" value=1>");
    test_has(r.body, "name=_add value=\"persona\" aria-label=\"Añadir otro: Persona\">Añadir otro</button>");
    http_resp_free(&r);

    /* add: a second instance; the first's answers and the others kept, nothing judged */
    assert_int_equal(http_post(fx->srv.port, "/e/hogar?lang=es",
                               "sector=Centro&_n.persona=1&" P1 "nombre=Ana&" P1 "edad=40&" P1 "sexo=f&_add=persona",
                               &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "name=persona[1].nombre type=text maxlength=4000 aria-required=true value=\"Ana\"");
    test_has(r.body, "value=f checked");
    test_has(r.body, "value=\"Centro\"");
    test_has(r.body, "<legend>Persona 2</legend>");
    test_has(r.body, "name=persona[2].edad");
    test_has(r.body, "name=\"_n.persona\" value=2>");
    test_lacks(r.body, "id=errores");
    http_resp_free(&r);

    /* in Kreyòl, the buttons too */
    assert_int_equal(http_post(fx->srv.port, "/e/hogar?lang=ht", "_n.persona=2&_lang=ht", &r), 0);
    test_has(r.body, ">Ajoute yon lòt</button>");
    test_has(r.body, ">Retire</button>");
    test_has(r.body, "<legend>Moun 2</legend>");
    http_resp_free(&r);

    /* remove the second of three: the third's answers become the second's */
    assert_int_equal(http_post(fx->srv.port, "/e/hogar?lang=es",
                               "_n.persona=3&" P1 "nombre=Ana&" P2 "nombre=Luis&" P3 "nombre=Rosa&" P3 "edad=19"
                               "&_del=persona%5B2%5D", &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "name=persona[2].nombre type=text maxlength=4000 aria-required=true value=\"Rosa\"");
    test_has(r.body, "name=persona[2].edad type=text inputmode=numeric aria-required=true value=\"19\"");
    test_lacks(r.body, "Luis");
    test_lacks(r.body, "persona[3]");
    test_has(r.body, "name=\"_n.persona\" value=2>");
    http_resp_free(&r);
}

/* At the cap (REPEAT_MAX, 50), no add button: a word beside the repeat. */
static void test_no_more_than_the_cap(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    assert_int_equal(http_post(fx->srv.port, "/e/hogar?lang=es", "_n.persona=50&_add=persona", &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "<legend>Persona 50</legend>");
    test_lacks(r.body, "persona[51]");
    test_lacks(r.body, "name=_add");
    test_has(r.body, "<p class=h>No se pueden añadir más. El máximo es 50.</p>");
    http_resp_free(&r);
    assert_int_equal(http_post(fx->srv.port, "/e/hogar?lang=ht", "_n.persona=900&_lang=ht", &r), 0);
    test_has(r.body, "<p class=h>Ou pa ka ajoute plis. Maksimòm lan se 50.</p>");
    test_lacks(r.body, "persona[51]");
    http_resp_free(&r);
}

static void test_error_in_the_second_instance(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    const char *body = "sector=Centro&_n.persona=2&" P1 "nombre=Ana&" P1 "edad=40&" P2 "nombre=Luis&" P2 "edad=200";
    assert_int_equal(http_post(fx->srv.port, "/e/hogar?lang=es", body, &r), 0);
    assert_int_equal(r.status, 422);
    test_has(r.body, "<a href=\"#q-persona[2].edad\">Persona 2 - Edad: La edad va de 0 a 119 años</a>");
    test_has(r.body, "<p class=e id=e-persona[2].edad>La edad va de 0 a 119 años</p>");
    test_has(r.body, "aria-invalid=true value=\"200\"");
    test_lacks(r.body, "id=e-persona[1].edad");
    http_resp_free(&r);
    assert_int_equal(http_post(fx->srv.port, "/e/hogar?lang=ht", body, &r), 0);
    assert_int_equal(r.status, 422);
    test_has(r.body, "<p class=e id=e-persona[2].edad>Laj la soti 0 rive 119 an</p>");
    http_resp_free(&r);
}

/* The stored answers of the one response, "question=value;" by name. */
static void stored(const fx_t *fx, buf_t *out)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    buf_init(out);
    assert_int_equal(sqlite3_open_v2(fx->srv.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT question, value FROM answers WHERE form_id = 'hogar' "
                                            "ORDER BY question", -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
        buf_printf(out, "%s=%s;", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_stored_by_path_and_exported(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    assert_int_equal(http_post(fx->srv.port, "/e/hogar?lang=es",
                               "sector=Centro&_n.persona=2&" P1 "nombre=Ana&" P1 "edad=40&" P1 "sexo=f&"
                               P2 "nombre=Luis&" P2 "edad=12&" P2 "sexo=m", &r), 0);
    assert_int_equal(r.status, 303);
    http_resp_free(&r);
    buf_t s;
    stored(fx, &s);
    assert_string_equal(s.data, "mayores=1;persona[1].adulto=1;persona[1].edad=40;persona[1].nombre=Ana;"
                                "persona[1].sexo=f;persona[2].adulto=0;persona[2].edad=12;persona[2].nombre=Luis;"
                                "persona[2].sexo=m;personas=2;sector=Centro;");
    buf_free(&s);

    /* the responses' CSV: no repeat columns; the repeat's CSV: a row per person */
    assert_int_equal(http_get(fx->srv.port, "/api/v1/forms/hogar/responses.csv", fx->boss, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, ",sector,mayores,personas\r\n");
    test_lacks(r.body, "persona[");
    test_lacks(r.body, ",edad");
    const char *row = strstr(r.body, "\r\n") + 2;
    char id[16];
    snprintf(id, sizeof id, "%.*s", (int)strcspn(row, ","), row);
    http_resp_free(&r);
    assert_int_equal(http_get(fx->srv.port, "/api/v1/forms/hogar/responses.csv?repeat=persona", fx->boss, &r), 0);
    assert_int_equal(r.status, 200);
    char *cd = http_header(&r, "Content-Disposition");
    test_has(cd, "hogar-persona.csv");
    free(cd);
    test_has(r.body, "respuesta_id,repeticion,indice,nombre,edad,sexo,adulto\r\n");
    char want[128];
    snprintf(want, sizeof want, "\r\n%s,persona[1],1,Ana,40,f,1\r\n%s,persona[2],2,Luis,12,m,0\r\n", id, id);
    test_has(r.body, want);
    http_resp_free(&r);
    assert_int_equal(http_get(fx->srv.port, "/api/v1/forms/hogar/responses.csv?repeat=nada", fx->boss, &r), 0);
    assert_int_equal(r.status, 404);
    http_resp_free(&r);

    /* the workbook: a second sheet "persona" */
    assert_int_equal(http_get(fx->srv.port, "/api/v1/forms/hogar/responses.xlsx", fx->boss, &r), 0);
    assert_int_equal(r.status, 200);
    char file[512];
    snprintf(file, sizeof file, "%s/r.xlsx", fx->dir);
    FILE *fp = fopen(file, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(r.body, 1, r.body_len, fp), r.body_len);
    fclose(fp);
    http_resp_free(&r);
    buf_t x;
    assert_int_equal(test_sh(fx->dir, &x, NULL, "unzip -p '%s' xl/workbook.xml xl/worksheets/sheet2.xml", file), 0);
    test_has(x.data, "name=\"respuestas\"");
    test_has(x.data, "name=\"persona\"");
    test_has(x.data, "<t>persona[2]</t>");
    test_has(x.data, "<t>Luis</t>");
    buf_free(&x);
}


/* Review: the per-visit page of a form with shuffled choices is expanded
 * too (its repeat answers were posted under the loaded form's names and
 * dropped, and "required" inside the repeat was never asked). */
static void test_shuffled_form_with_a_repeat(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    assert_int_equal(http_get(fx->srv.port, "/e/mezcla?lang=es", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    if (!strstr(r.body, "name=\"persona[1].nombre\"") && !strstr(r.body, "name=persona[1].nombre"))
        fail_msg("the repeat is not expanded:\n%s", r.body);
    http_resp_free(&r);
    assert_int_equal(http_post(fx->srv.port, "/e/mezcla?lang=es", "_n.persona=1&color=a&nombre=Ana", &r), 0);
    assert_int_equal(r.status, 422);      /* persona[1].nombre is required */
    http_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_and_remove_keep_the_answers),
        cmocka_unit_test(test_no_more_than_the_cap),
        cmocka_unit_test(test_error_in_the_second_instance),
        cmocka_unit_test(test_stored_by_path_and_exported),
        cmocka_unit_test(test_shuffled_form_with_a_repeat),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
