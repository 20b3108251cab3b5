/*
 * test_geo_http.c: places over HTTP (issue 16, item 3), without
 * JavaScript. The test writes a forms folder with a form in Spanish and
 * Kreyòl asking a geopoint (with a list of known places), a geotrace and a
 * geoshape, starts the real server on it, and checks: the fresh page's
 * latitude and longitude fields, known places and hidden button; each
 * type posted valid (303, stored as ODK stores it) and invalid (422, the
 * message beside the field in es and ht, the typed text shown again);
 * the staff's CSV download: the raw value and the
 * _NAME_latitude/_longitude/_altitude/_precision columns; and a complaint
 * with a place: its case page shows "lat, lon (± acc m)" and the
 * OpenStreetMap link.
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
    testsrv_t srv;
} fx_t;

#define SURVEY \
    "type,name,label::Español (es),label::Kreyòl (ht),parameters,required\n" \
    "geopoint,lugar,Dónde está,Ki kote li ye,places=lugares,yes\n" \
    "geotrace,ruta,Ruta,Wout,,no\n" \
    "geoshape,parcela,Parcela,Teren,,no\n" \
    "start-geopoint,inicio,,,,\n"

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    if (test_mkdtemp(fx->dir, sizeof fx->dir, "geohttp") != 0) return -1;
    snprintf(fx->forms, sizeof fx->forms, "%s/forms", fx->dir);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/lugares", fx->forms);
    if (mkdir(fx->forms, 0700) != 0 || mkdir(dir, 0700) != 0) return -1;
    testform_write_file(dir, "survey.csv", SURVEY);
    testform_write_file(dir, "choices.csv", "list_name,name,label::Español (es),label::Kreyòl (ht),geometry\n"
                                           "lugares,parque,Parque central,Pak santral,18.8453 -71.7030\n");
    testform_write_file(dir, "settings.csv", "form_title::Español (es),form_title::Kreyòl (ht),form_id,version\n"
                                             "Lugares,Kote,lugares,1\n");
    snprintf(dir, sizeof dir, "%s/quejageo", fx->forms);
    if (mkdir(dir, 0700) != 0) return -1;
    testform_write_file(dir, "survey.csv", "type,name,label::Español (es),label::Kreyòl (ht)\n"
                                           "select_one tipo,comentario_tipo,Qué,Kisa\n"
                                           "text,comentario,Cuéntenos,Rakonte\n"
                                           "geopoint,lugar_queja,Lugar del problema,Kote pwoblèm nan\n");
    testform_write_file(dir, "choices.csv", "list_name,name,label::Español (es),label::Kreyòl (ht)\n"
                                           "tipo,queja,Queja,Plent\n");
    testform_write_file(dir, "settings.csv", "form_title::Español (es),form_title::Kreyòl (ht),form_id,version\n"
                                             "Queja con lugar,Plent ak kote,quejageo,1\n");
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

/* The stored values of question q, newest response first, joined by '|'.
 * Caller frees. */
static char *stored(const fx_t *fx, const char *q)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    buf_t b;
    buf_init(&b);
    assert_int_equal(sqlite3_open_v2(fx->srv.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT value FROM answers WHERE form_id = 'lugares' AND question = ?"
                                            " ORDER BY response_id DESC", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, q, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (b.len) buf_putc(&b, '|');
        buf_puts(&b, (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return buf_steal(&b);
}

static void post(const fx_t *fx, const char *lang, const char *body, int status, http_resp_t *r)
{
    char path[64];
    snprintf(path, sizeof path, "/e/lugares?lang=%s", lang);
    assert_int_equal(http_post(fx->srv.port, path, body, r), 0);
    if (r->status != status) fail_msg("POST %s: %d, not %d:\n%s", body, r->status, status, r->body);
}

static void test_fresh_page(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    assert_int_equal(http_get(fx->srv.port, "/e/lugares?lang=es", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "<label for=i-lugar>Latitud</label><input id=i-lugar name=lugar:lat type=text inputmode=decimal");
    test_has(r.body, "<label for=i-lugar-lon>Longitud</label><input id=i-lugar-lon name=lugar:lon");
    test_has(r.body, "<input type=hidden name=lugar:acc");
    test_has(r.body, "<select id=i-lugar-place name=lugar:place>");
    test_has(r.body, "<option value=\"parque\">Parque central");
    test_has(r.body, "<button type=button class=geo hidden data-geo=lugar");
    test_has(r.body, ">Usar mi ubicación</button>");
    test_has(r.body, "<textarea id=i-ruta name=ruta");
    test_has(r.body, ">Añadir mi ubicación</button>");
    http_resp_free(&r);
    assert_int_equal(http_get(fx->srv.port, "/e/lugares?lang=ht", NULL, &r), 0);
    test_has(r.body, ">Itilize kote m ye a</button>");
    test_has(r.body, "Latitid");
    http_resp_free(&r);
}

static void test_invalid_422_beside_the_field(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    post(fx, "es", "lugar:lat=18.85&lugar:lon=abc", 422, &r);
    test_has(r.body, "<p class=e id=e-lugar>Escriba la latitud y la longitud en grados decimales");
    test_has(r.body, "name=lugar:lat type=text inputmode=decimal autocomplete=off maxlength=80 "
                "aria-describedby=\"e-lugar\" aria-required=true aria-invalid=true value=\"18.85\"");
    test_has(r.body, "value=\"abc\"");
    http_resp_free(&r);
    post(fx, "ht", "lugar:lat=95&lugar:lon=-71.7", 422, &r);
    test_has(r.body, "<p class=e id=e-lugar>Latitid la ant -90 ak 90");
    http_resp_free(&r);
    post(fx, "es", "lugar:lat=18.85&lugar:lon=-71.7&ruta=18.85 -71.7", 422, &r);
    test_has(r.body, "<p class=e id=e-ruta>Escriba al menos 2 puntos");
    http_resp_free(&r);
    post(fx, "ht", "lugar:lat=18.85&lugar:lon=-71.7&parcela=0 0%0A0 1%0A1 1%0A1 0", 422, &r);
    test_has(r.body, "<p class=e id=e-parcela>Ekri omwen 4 pwen");
    test_has(r.body, "0 0\n0 1\n1 1\n1 0</textarea>");
    http_resp_free(&r);
    post(fx, "es", "lugar:lat=&lugar:lon=", 422, &r);   /* required */
    test_has(r.body, "id=e-lugar");
    http_resp_free(&r);
    char *v = stored(fx, "lugar");
    assert_string_equal(v, "");   /* nothing stored */
    free(v);
}

static void test_valid_303_stored_and_exported(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    post(fx, "es", "lugar:lat=18.85, -71.70&lugar:lon=&ruta=18.85 -71.70%0D%0A18.86 -71.71", 303, &r);
    http_resp_free(&r);
    post(fx, "es", "lugar:lat=18.8512&lugar:lon=-71.7034&lugar:alt=512.5&lugar:acc=8.2&"
                   "parcela=0 0;0 1;1 1;0 0", 303, &r);
    http_resp_free(&r);
    post(fx, "ht", "lugar:lat=&lugar:lon=&lugar:place=parque", 303, &r);
    http_resp_free(&r);
    char *v = stored(fx, "lugar");
    assert_string_equal(v, "18.8453 -71.703 0 0|18.8512 -71.7034 512.5 8.2|18.85 -71.7 0 0");
    free(v);
    v = stored(fx, "ruta");
    assert_string_equal(v, "18.85 -71.7 0 0; 18.86 -71.71 0 0");
    free(v);
    v = stored(fx, "parcela");
    assert_string_equal(v, "0 0 0 0; 0 1 0 0; 1 1 0 0; 0 0 0 0");
    free(v);
    v = stored(fx, "inicio");
    assert_string_equal(v, "");   /* start-geopoint: never recorded */
    free(v);

    char cookie[128];
    assert_int_equal(staffsrv_session(&fx->srv, "ana", "atencion", cookie, sizeof cookie), 0);
    assert_int_equal(http_get(fx->srv.port, "/api/v1/forms/lugares/responses.csv", cookie, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "lugar,_lugar_latitude,_lugar_longitude,_lugar_altitude,_lugar_precision,ruta,parcela");
    test_has(r.body, "18.8512 -71.7034 512.5 8.2,18.8512,-71.7034,512.5,8.2,,");
    test_has(r.body, "18.85 -71.7 0 0,18.85,-71.7,0,0,");
    http_resp_free(&r);
    assert_int_equal(http_get(fx->srv.port, "/api/v1/forms/lugares/responses.xlsx", cookie, &r), 0);
    assert_int_equal(r.status, 200);
    http_resp_free(&r);
}

static void test_case_page_shows_the_place(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    assert_int_equal(http_post(fx->srv.port, "/e/quejageo?lang=es", "comentario_tipo=queja&comentario=Basura"
                               "&lugar_queja:lat=18.8512&lugar_queja:lon=-71.7034&lugar_queja:alt=0"
                               "&lugar_queja:acc=8.2", &r), 0);
    assert_int_equal(r.status, 303);
    http_resp_free(&r);
    sqlite3 *db;
    sqlite3_stmt *st;
    char code[32] = "";
    assert_int_equal(sqlite3_open_v2(fx->srv.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT code FROM cases", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(code, sizeof code, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    char cookie[128], path[64];
    assert_int_equal(staffsrv_session(&fx->srv, "eva", "atencion", cookie, sizeof cookie), 0);
    snprintf(path, sizeof path, "/casos/%s", code);
    assert_int_equal(http_get(fx->srv.port, path, cookie, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "<li>Lugar del problema: 18.8512, -71.7034 (\xC2\xB1 8.2 m) \xC2\xB7 "
                "<a href=\"https://www.openstreetmap.org/?mlat=18.8512&amp;mlon=-71.7034#map=17/18.8512/-71.7034\" "
                "rel=\"noopener noreferrer\">Ver en OpenStreetMap</a></li>");
    http_resp_free(&r);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fresh_page),
        cmocka_unit_test(test_invalid_422_beside_the_field),
        cmocka_unit_test(test_valid_303_stored_and_exported),
        cmocka_unit_test(test_case_page_shows_the_place),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
