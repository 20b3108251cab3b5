/*
 * test_geo.c: places as answers (issue 16, item 3): reading a geopoint as
 * people type or paste it (decimal degrees, "lat, lon", a geo: URI) and
 * keeping it as ODK does ("lat lon alt acc"); traces and shapes (2 and 4
 * points, a shape closed); the range checks; the staff's text and
 * OpenStreetMap link; a form's geopoint, geotrace and geoshape through
 * answers_from_post and answers_validate, its known places, start-geopoint
 * noted as never recorded; and distance() and area() against values known
 * exactly on ODK's sphere (radius 6378100 m).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/buf.h"
#include "model/answers.h"
#include "model/expr.h"
#include "model/form.h"
#include "model/geo.h"
#include "testform.h"
#include "testsh.h"

static char *tmp_root;

static int group_setup(void **state)
{
    (void)state;
    tmp_root = xstrdup("/tmp/buzon-test-geo-XXXXXX");
    return mkdtemp(tmp_root) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    int rc = test_rmtree(tmp_root);
    free(tmp_root);
    return rc;
}

/* The ODK value of what was typed, or the error's number as text. */
static char *point(const char *typed)
{
    geo_point_t p;
    geo_err_t e = geo_point_parse(typed, &p);
    buf_t b;
    buf_init(&b);
    if (e == GEO_OK) geo_point_format(&b, &p);
    else buf_printf(&b, "err %d", (int)e);
    return buf_steal(&b);
}

static void expect_point(const char *typed, const char *want)
{
    char *got = point(typed);
    if (strcmp(got, want)) print_error("\"%s\": got \"%s\", want \"%s\"\n", typed, got, want);
    assert_string_equal(got, want);
    free(got);
}

static void test_point_parse(void **state)
{
    (void)state;
    expect_point("18.85 -71.70", "18.85 -71.7 0 0");
    expect_point("  18.85, -71.70 ", "18.85 -71.7 0 0");
    expect_point("18.85,-71.70", "18.85 -71.7 0 0");
    expect_point("18.8512345 -71.7012345 512.5 4.2", "18.8512345 -71.7012345 512.5 4.2");
    expect_point("geo:18.85,-71.70", "18.85 -71.7 0 0");
    expect_point("geo:18.85,-71.70,510;u=12", "18.85 -71.7 510 12");
    expect_point("GEO:18.85,-71.70;crs=wgs84;u=3.5", "18.85 -71.7 0 3.5");
    expect_point("-0 0", "0 0 0 0");
    expect_point("90 180", "90 180 0 0");
    /* syntax */
    expect_point("", "err 1");
    expect_point("18.85", "err 1");
    expect_point("18.85 abc", "err 1");
    expect_point("18.85x -71.7", "err 1");
    expect_point("nan 1", "err 1");
    expect_point("inf 1", "err 1");
    expect_point("0x10 1", "err 1");
    expect_point("1e2 1", "err 1");
    expect_point("18.85, -71.70, 5", "err 1");   /* a pasted pair is two numbers */
    expect_point("1 2 3 4 5", "err 1");
    expect_point("geo:18.85", "err 1");
    expect_point("geo:18.85,-71.7;crs=utm", "err 1");
    /* range */
    expect_point("90.0001 0", "err 2");
    expect_point("-91 0", "err 2");
    expect_point("0 180.5", "err 2");
    expect_point("0 -181", "err 2");
    expect_point("18.85 -71.7 0 -1", "err 2");
    expect_point("geo:95,0", "err 2");
}

static void expect_list(const char *typed, bool shape, int err, const char *want)
{
    char *norm;
    geo_err_t e = geo_list_parse(typed, shape, &norm);
    if ((int)e != err) print_error("\"%s\": error %d, want %d\n", typed, (int)e, err);
    assert_int_equal((int)e, err);
    if (want) assert_string_equal(norm, want);
    else assert_null(norm);
    free(norm);
}

static void test_trace_and_shape(void **state)
{
    (void)state;
    expect_list("18.85 -71.70; 18.86 -71.71", false, GEO_OK, "18.85 -71.7 0 0; 18.86 -71.71 0 0");
    expect_list("18.85, -71.70\n18.86, -71.71\n", false, GEO_OK, "18.85 -71.7 0 0; 18.86 -71.71 0 0");
    expect_list("18.85 -71.70 0 0;18.86 -71.71 0 0;", false, GEO_OK, "18.85 -71.7 0 0; 18.86 -71.71 0 0");
    expect_list("18.85 -71.70", false, GEO_FEW, NULL);
    expect_list("", false, GEO_FEW, NULL);
    expect_list("18.85 -71.70; 95 1", false, GEO_RANGE, NULL);
    expect_list("18.85 -71.70; hola", false, GEO_SYNTAX, NULL);
    expect_list("0 0; 0 1; 1 1; 0 0", true, GEO_OK, "0 0 0 0; 0 1 0 0; 1 1 0 0; 0 0 0 0");
    expect_list("0 0; 0 1; 1 1; 1 0", true, GEO_OPEN, NULL);   /* not closed */
    expect_list("0 0; 0 1; 0 0", true, GEO_OPEN, NULL);        /* 3 points */
}

static void test_staff_text_and_link(void **state)
{
    (void)state;
    buf_t b;
    buf_init(&b);
    assert_true(geo_point_text(&b, "18.85 -71.7 0 12.34"));
    assert_string_equal(b.data, "18.85, -71.7 (\xC2\xB1 12.3 m)");
    buf_reset(&b);
    assert_true(geo_point_text(&b, "18.85 -71.7 0 0"));
    assert_string_equal(b.data, "18.85, -71.7");
    buf_reset(&b);
    assert_true(geo_osm_url(&b, "18.85 -71.7 0 0"));
    assert_string_equal(b.data, "https://www.openstreetmap.org/?mlat=18.85&mlon=-71.7#map=17/18.85/-71.7");
    buf_reset(&b);
    assert_false(geo_point_text(&b, "hola"));
    assert_false(geo_osm_url(&b, NULL));
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

static const char *survey =
    "type,name,label,parameters,required\n"
    "geopoint,lugar,Lugar,,no\n"
    "geopoint,sitio,Sitio,places=lugares,no\n"
    "geotrace,ruta,Ruta,,no\n"
    "geoshape,parcela,Parcela,,no\n"
    "start-geopoint,inicio,,,\n";
static const char *choices =
    "list_name,name,label,geometry\n"
    "lugares,parque,Parque central,18.8453 -71.7030 0 0\n"
    "lugares,iglesia,Iglesia,18.8461 -71.7025\n";

static void test_form_answers(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "geo", survey, choices, NULL);
    assert_int_equal(testform_q(f, "lugar")->type, Q_GEOPOINT);
    assert_int_equal(testform_q(f, "ruta")->type, Q_GEOTRACE);
    assert_int_equal(testform_q(f, "parcela")->type, Q_GEOSHAPE);
    assert_non_null(testform_q(f, "sitio")->places);
    assert_null(form_question(f, "inicio"));   /* metadata: no question */
    char *notes = testform_notes(f);
    assert_non_null(strstr(notes, "start-geopoint is never recorded"));
    free(notes);

    answers_t a;
    /* the page's typed fields, the browser's fix, a known place */
    assert_int_equal(testform_post(&a, f, "lugar:lat=18.85&lugar:lon=-71.70&lugar:alt=&lugar:acc=&"
                                          "sitio:lat=&sitio:lon=&sitio:place=iglesia&"
                                          "ruta=18.85 -71.70%0D%0A18.86 -71.71&"
                                          "parcela=0 0;0 1;1 1;0 0"), 0);
    assert_string_equal(testform_val(&a, "lugar"), "18.85 -71.7 0 0");
    assert_string_equal(testform_val(&a, "sitio"), "18.8461 -71.7025 0 0");
    assert_string_equal(testform_val(&a, "ruta"), "18.85 -71.7 0 0; 18.86 -71.71 0 0");
    assert_string_equal(testform_val(&a, "parcela"), "0 0 0 0; 0 1 0 0; 1 1 0 0; 0 0 0 0");
    answers_free(&a);
    assert_int_equal(testform_post(&a, f, "lugar:lat=18.85&lugar:lon=-71.70&lugar:alt=512.3&lugar:acc=8.5"), 0);
    assert_string_equal(testform_val(&a, "lugar"), "18.85 -71.7 512.3 8.5");
    answers_free(&a);
    /* a pasted pair or geo: URI in the latitude field alone; the API's own key */
    assert_int_equal(testform_post(&a, f, "lugar:lat=18.85, -71.70&lugar:lon="), 0);
    assert_string_equal(testform_val(&a, "lugar"), "18.85 -71.7 0 0");
    answers_free(&a);
    assert_int_equal(testform_post(&a, f, "lugar:lat=geo:18.85,-71.7;u=20&lugar:lon="), 0);
    assert_string_equal(testform_val(&a, "lugar"), "18.85 -71.7 0 20");
    answers_free(&a);
    assert_int_equal(testform_post(&a, f, "lugar=18.85 -71.7 10 5"), 0);
    assert_string_equal(testform_val(&a, "lugar"), "18.85 -71.7 10 5");
    answers_free(&a);
    /* errors, each with its own message, the typed text kept */
    assert_int_equal(testform_post(&a, f, "lugar:lat=hola&lugar:lon=-71.7"), 1);
    assert_int_equal(a.err[0], AERR_GEOPOINT);
    assert_string_equal(testform_val(&a, "lugar"), "hola -71.7");
    answers_free(&a);
    assert_int_equal(testform_post(&a, f, "lugar:lat=95&lugar:lon=-71.7&sitio:place=nada"), 2);
    assert_int_equal(a.err[0], AERR_GEO_RANGE);
    assert_int_equal(a.err[1], AERR_GEOPOINT);
    answers_free(&a);
    assert_int_equal(testform_post(&a, f, "lugar:lat=18.85&lugar:lon=-71.7&lugar:acc=-3"), 1);
    assert_int_equal(a.err[0], AERR_GEO_RANGE);
    answers_free(&a);
    assert_int_equal(testform_post(&a, f, "ruta=18.85 -71.70&parcela=0 0;0 1;1 1;1 0"), 2);
    assert_int_equal(a.err[2], AERR_GEOTRACE);
    assert_int_equal(a.err[3], AERR_GEOSHAPE);
    answers_free(&a);
    form_free(f);
}

static void test_places_list_checked(void **state)
{
    (void)state;
    char *bad = testform_load_bad(tmp_root, "geobad", survey,
                                  "list_name,name,label,geometry\nlugares,parque,Parque,lejos\n", NULL);
    assert_non_null(strstr(bad, "survey.csv:3: place \"parque\" of list \"lugares\" needs a geometry"));
    free(bad);
    bad = testform_load_bad(tmp_root, "geobad2",
                            "type,name,label,parameters\ngeopoint,p,P,places=nada\n", NULL, NULL);
    assert_non_null(strstr(bad, "places list \"nada\""));
    free(bad);
}

static double eval_num(const char *src)
{
    char err[256];
    expr_t *e = expr_parse(src, err, sizeof err);
    assert_non_null(e);
    expr_env_t env = { 0 };
    expr_result_t r;
    assert_int_equal(expr_eval(e, &env, &r, err, sizeof err), 0);
    double d = r.num;
    expr_result_free(&r);
    expr_free(e);
    return d;
}

/* On ODK's sphere (R = 6378100 m): a degree of a great circle is
 * R*pi/180 m, and the cell between two parallels and two meridians is
 * R^2 * dlon * (sin(lat2) - sin(lat1)), which the spherical-excess sum
 * gives exactly for such a cell. */
static void test_distance_and_area(void **state)
{
    (void)state;
    const double R = 6378100.0, deg = M_PI / 180;
    assert_true(fabs(eval_num("distance('0 0; 0 1')") - R * deg) < 1e-6);
    assert_true(fabs(eval_num("distance('0 0 0 0; 1 0 0 0; 2 0 0 0')") - 2 * R * deg) < 1e-6);
    /* Bánica, 0.01 degree north: 1113.19 m */
    assert_true(fabs(eval_num("distance('18.85 -71.70; 18.86 -71.70')") - 1113.1884541) < 1e-3);
    /* a quarter of the equator */
    assert_true(fabs(eval_num("distance('0 0; 0 90')") - R * M_PI / 2) < 1e-6);
    double cell = R * R * deg * sin(deg);   /* 12391399902.0 m2 */
    assert_true(fabs(eval_num("area('0 0; 0 1; 1 1; 1 0; 0 0')") - cell) < 1e-3);
    assert_true(fabs(eval_num("area('0 0 0 0; 1 0 0 0; 1 1 0 0; 0 1 0 0; 0 0 0 0')") - cell) < 1e-3);
    /* 18..19 N, 72..71 W */
    double band = R * R * deg * (sin(19 * deg) - sin(18 * deg));
    assert_true(fabs(eval_num("area('18 -72; 18 -71; 19 -71; 19 -72; 18 -72')") - band) < 1e-2);
    assert_true(isnan(eval_num("distance('hola')")));
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_point_parse),
        cmocka_unit_test(test_trace_and_shape),
        cmocka_unit_test(test_staff_text_and_link),
        cmocka_unit_test(test_form_answers),
        cmocka_unit_test(test_places_list_checked),
        cmocka_unit_test(test_distance_and_area),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
