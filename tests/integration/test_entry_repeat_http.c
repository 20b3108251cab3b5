/*
 * test_entry_repeat_http.c: double entry of paper sheets whose form has a
 * repeat (session 23), over real HTTP. A household form of its own (a
 * repeat "persona" with nombre and edad): a difference inside an
 * instance is named with its instance ("Persona 2 - Edad") to the second
 * clerk and shown to the supervisor; a supervisor's resolution stores
 * every instance; entries with different numbers of people differ, and
 * the third look is shown (and settles) every instance either entry has.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "staffsrv.h"
#include "testcheck.h"
#include "testform.h"
#include "testsh.h"
#include "testsrv.h"

static testsrv_t srv;
static char dir[256], clerk[128], desk[128], boss[128];   /* captura, atencion, admin */
static unsigned seq;

#define CODE "/entrada/hogar-1-todos-es"
#define P1 "persona%5B1%5D."
#define P2 "persona%5B2%5D."
#define P3 "persona%5B3%5D."
/* The sheet's first two people as written. */
#define TWO "_fecha=2024-03-16&sector=Centro&" P1 "nombre=Ana&" P1 "edad=30&" P2 "nombre=Luis&" P2 "edad="

static int setup(void **state)
{
    (void)state;
    char forms[300], hogar[320];
    if (test_mkdtemp(dir, sizeof dir, "entryrep") != 0) return -1;
    snprintf(forms, sizeof forms, "%s/forms", dir);
    snprintf(hogar, sizeof hogar, "%s/hogar", forms);
    if (mkdir(forms, 0700) != 0 || mkdir(hogar, 0700) != 0) return -1;
    testform_write_file(hogar, "survey.csv",
                        "type,name,label::Español (es),label::Kreyòl (ht),required\n"
                        "text,sector,Sector,Sektè,yes\n"
                        "begin_repeat,persona,Persona,Moun,\n"
                        "text,nombre,Nombre,Non,yes\n"
                        "integer,edad,Edad,Laj,yes\n"
                        "end_repeat,,,,\n");
    testform_write_file(hogar, "settings.csv", "form_title::Español (es),form_title::Kreyòl (ht),form_id,version\n"
                                               "Hogar,Kay,hogar,1\n");
    if (test_catalog_csvs(forms) != 0 || testsrv_start(&srv, forms, NULL) != 0) return -1;
    /* The sheets were printed in 2024 (see test_entry_http.c). */
    if (testsrv_db_exec(&srv, "UPDATE form_versions SET created_at = 1704110400") != 0) return -1;
    return staffsrv_session(&srv, "capturista7", "captura", clerk, sizeof clerk) ||
           staffsrv_session(&srv, "ana", "atencion", desk, sizeof desk) ||
           staffsrv_session(&srv, "jefa", "admin", boss, sizeof boss) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    int rc = testsrv_stop(&srv);
    test_rmtree(dir);
    return rc == 0 ? 0 : -1;
}

/* POST fields of sheet of batch as cookie's account, with a fresh
 * submission id; the status. */
static int post(const char *cookie, const char *batch, int sheet, const char *fields, http_resp_t *r)
{
    char body[2048];
    snprintf(body, sizeof body, "_sid=entr0000-0000-4000-8000-%012u&_lote=%s&_hoja=%d&%s", ++seq, batch, sheet,
             fields);
    return staffsrv_post_form(srv.port, CODE "?lang=es", cookie, body, r);
}

/* The number of stored answers to question q with value v. */
static long long stored(const char *q, const char *v)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM answers WHERE question = '%s' AND value = '%s'", q, v);
    return test_db_int(srv.db, sql);
}

/* Two people, the second's age typed 40 and 41: the second clerk is
 * told "Persona 2 - Edad", the supervisor sees both ages by that name
 * and chooses; every person is stored (the resolution's form used to
 * have one instance, and the review compared none). */
static void test_difference_in_an_instance_resolved(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(post(clerk, "rep", 1, "_n.persona=2&" TWO "40", &r), 303);
    http_resp_free(&r);
    assert_int_equal(post(desk, "rep", 1, "_n.persona=2&" TWO "41", &r), 409);
    test_has(r.body, "<li>Persona 2 - Edad</li>");
    test_lacks(r.body, "value=\"40\"");
    http_resp_free(&r);
    assert_int_equal(http_get(srv.port, CODE "?lote=rep&hoja=1&revisar=1&lang=es", boss, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "<th scope=row>Persona 2 - Edad</th>");
    test_has(r.body, "name=\"_v_persona[2].edad\" value=2> 41");
    test_lacks(r.body, "_v_persona[1]");   /* only what differs */
    http_resp_free(&r);
    assert_int_equal(post(boss, "rep", 1, "_resolver=1&_v_persona%5B2%5D.edad=2", &r), 303);
    http_resp_free(&r);
    assert_int_equal(stored("persona[2].nombre", "Luis"), 1);
    assert_int_equal(stored("persona[2].edad", "41"), 1);
    assert_int_equal(stored("persona[1].edad", "30"), 1);
}

/* A difference outside the repeat resolved: both people are stored
 * (the resolution's form had one instance: the second was lost). */
static void test_resolution_keeps_every_instance(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(post(clerk, "rep", 4, "_n.persona=2&" TWO "50", &r), 303);
    http_resp_free(&r);
    assert_int_equal(post(desk, "rep", 4, "_n.persona=2&_fecha=2024-03-16&sector=Norte&" P1 "nombre=Ana&" P1 "edad=30&" P2 "nombre=Luis&" P2
                          "edad=50", &r), 409);
    test_has(r.body, "<li>Sector</li>");
    http_resp_free(&r);
    assert_int_equal(post(boss, "rep", 4, "_resolver=1&_v_sector=1", &r), 303);
    http_resp_free(&r);
    assert_int_equal(stored("persona[2].edad", "50"), 1);
}

/* Three people typed by one clerk, two by the other: a difference,
 * named by instance; the third look shows the third person's fields
 * and, typed as entry 1's, stores all three. */
static void test_other_number_of_people_differs(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(post(clerk, "rep", 2, "_n.persona=3&" TWO "40&" P3 "nombre=Rosa&" P3 "edad=9", &r), 303);
    http_resp_free(&r);
    assert_int_equal(post(desk, "rep", 2, "_n.persona=2&" TWO "40", &r), 409);
    test_has(r.body, "<li>Persona 3 - Nombre</li>");
    test_has(r.body, "<li>Persona 3 - Edad</li>");
    test_has(r.body, "name=\"_n.persona\" value=3>");
    test_lacks(r.body, "Rosa");
    http_resp_free(&r);
    assert_int_equal(post(desk, "rep", 2, "_tercera=1&_n.persona=3&" TWO "40&" P3 "nombre=Rosa&" P3 "edad=9", &r),
                     303);
    http_resp_free(&r);
    assert_int_equal(stored("persona[3].nombre", "Rosa"), 1);
    assert_int_equal(test_db_int(srv.db, "SELECT count(*) FROM held_entries WHERE stored = 0"), 0);
}

/* A supervisor's choice refused by the rules names the instance: entry
 * 1 has no age for person 2 (typed by hand, as the page would not). */
static void test_refused_choice_names_the_instance(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(post(clerk, "rep", 3, "_n.persona=2&" TWO "40", &r), 303);
    http_resp_free(&r);
    assert_int_equal(post(desk, "rep", 3, "_n.persona=2&" TWO "41", &r), 409);
    http_resp_free(&r);
    /* the held entry 1 loses its age: as if typed without one */
    assert_int_equal(testsrv_db_exec(&srv, "UPDATE held_entries SET answers = replace(answers, '&persona%5B2%5D.edad=40', '')"
                                           " WHERE batch = 'rep' AND sheet = 3 AND entry = 1"), 0);
    assert_int_equal(post(boss, "rep", 3, "_resolver=1&_v_persona%5B2%5D.edad=1", &r), 422);
    test_has(r.body, "<li><b>Persona 2 - Edad</b>: ");
    http_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_difference_in_an_instance_resolved),
        cmocka_unit_test(test_resolution_keeps_every_instance),
        cmocka_unit_test(test_other_number_of_people_differs),
        cmocka_unit_test(test_refused_choice_names_the_instance),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
