/*
 * test_entry_paper_sheet.c: the staff entry page agrees with the printed
 * sheet (issue 17, a clerk's walk-through), over real HTTP: the service
 * question the sheet prints ("¿Sobre qué servicio?") is shown on /entrada
 * and /entrevista pre-selected with the point's service and changeable,
 * so a cemetery complaint written on the market's sheet opens a cemetery
 * case; the questions the sheet leaves out (the photo and place and their
 * consent) are left out of the paper entry page too, not of an interview;
 * /entrada says where the sheet's code really is; the staff navigation
 * links to /entrevista for those who may interview.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "model/cases.h"
#include "staffsrv.h"
#include "testcheck.h"
#include "testsrv.h"

static testsrv_t srv;
static char clerk[128], reader[128];   /* captura, lectura */

#define CODE_ES "quejas-2024.1-mercado-municipal-es"

static int setup(void **state)
{
    (void)state;
    if (testsrv_start(&srv, NULL, NULL) != 0) return -1;
    /* The sheets below were printed in 2024: the form versions were first
     * seen on 2024-01-01, 08:00 in Bánica (a fresh database sees them
     * today, and a paper date before its version is refused). */
    if (testsrv_db_exec(&srv, "UPDATE form_versions SET created_at = 1704110400") != 0) return -1;
    return staffsrv_session(&srv, "capturista9", "captura", clerk, sizeof clerk) ||
           staffsrv_session(&srv, "lector9", "lectura", reader, sizeof reader) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    return testsrv_stop(&srv) == 0 ? 0 : -1;
}

static int get(const char *path, const char *cookie, http_resp_t *r)
{
    assert_int_equal(http_get(srv.port, path, cookie, r), 0);
    return r->status;
}

/* POST fields to path with the page's CSRF token and submission id sid. */
static int post(const char *path, const char *cookie, const char *sid, const char *fields, http_resp_t *r)
{
    buf_t body;
    buf_init(&body);
    buf_printf(&body, "_sid=%s&%s", sid, fields);
    int st = staffsrv_post_form(srv.port, path, cookie, body.data, r);
    buf_free(&body);
    assert_true(st > 0);
    return st;
}

static void test_service_shown_preselected_and_changeable(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(get("/entrada/" CODE_ES "?lang=es", clerk, &r), 200);
    test_has(r.body, "¿Sobre qué servicio?");
    test_has(r.body, "name=servicio value=mercado checked>");
    test_has(r.body, "name=servicio value=cementerio>");
    test_lacks(r.body, "type=hidden name=servicio");
    /* the live state is asked without the point, which would force it */
    test_lacks(r.body, "/vivo?lang=es&amp;p=");
    http_resp_free(&r);
    assert_int_equal(get("/entrevista/quejas?p=mercado-municipal&lang=es", clerk, &r), 200);
    test_has(r.body, "name=servicio value=mercado checked>");
    test_lacks(r.body, "type=hidden name=servicio");
    http_resp_free(&r);

    /* A cemetery complaint written on the market's sheet. */
    const char *sid = "shee0000-0000-4000-8000-000000000001";
    assert_int_equal(post("/entrada/" CODE_ES "?lang=es", clerk, sid,
                          "_fecha=2024-03-15&servicio=cementerio&comentario_tipo=queja"
                          "&comentario=Las+tumbas+del+fondo+no+tienen+camino", &r), 303);
    http_resp_free(&r);
    char q[512];
    snprintf(q, sizeof q, "SELECT count(*) FROM cases c JOIN responses r ON r.id = c.response_id"
                          " WHERE r.submission_id = '%s' AND c.service = 'cementerio'"
                          " AND r.point_id = 'mercado-municipal'", sid);
    assert_int_equal(test_db_int(srv.db, q), 1);
    snprintf(q, sizeof q, "SELECT count(*) FROM answers a JOIN responses r ON r.id = a.response_id"
                          " WHERE r.submission_id = '%s' AND a.question = 'servicio' AND a.value = 'cementerio'", sid);
    assert_int_equal(test_db_int(srv.db, q), 1);
    /* Not posted at all: the sheet's point's service. */
    sid = "shee0000-0000-4000-8000-000000000002";
    assert_int_equal(post("/entrada/" CODE_ES "?lang=es", clerk, sid,
                          "_fecha=2024-03-15&comentario_tipo=queja&comentario=Falta+agua+en+el+mercado", &r), 303);
    http_resp_free(&r);
    snprintf(q, sizeof q, "SELECT count(*) FROM cases c JOIN responses r ON r.id = c.response_id"
                          " WHERE r.submission_id = '%s' AND c.service = 'mercado'", sid);
    assert_int_equal(test_db_int(srv.db, q), 1);
}

static void test_paper_entry_leaves_out_what_paper_cannot_take(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(get("/entrada/" CODE_ES "?lang=es", clerk, &r), 200);
    test_lacks(r.body, "foto_lugar_consent");
    test_lacks(r.body, "name=foto");
    test_lacks(r.body, "name=lugar");
    test_lacks(r.body, "id=q-foto_lugar");
    test_has(r.body, "name=quiere_respuesta");   /* what paper takes stays */
    test_has(r.body, "name=comentario");
    http_resp_free(&r);
    /* An interview is not paper: the person can show the place. */
    assert_int_equal(get("/entrevista/quejas?p=mercado-municipal&lang=es", clerk, &r), 200);
    test_has(r.body, "foto_lugar_consent");
    http_resp_free(&r);
}

static void test_entrada_says_where_the_code_is(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(get("/entrada?lang=es", clerk, &r), 200);
    test_lacks(r.body, "arriba de cada hoja");
    test_has(r.body, "al pie de cada página");
    http_resp_free(&r);
    assert_int_equal(get("/entrada?lang=ht", clerk, &r), 200);
    test_lacks(r.body, "anlè chak fèy");
    test_has(r.body, "anba chak paj");
    http_resp_free(&r);
}

static void test_nav_links_interviews(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(get("/entrada?lang=es", clerk, &r), 200);
    test_has(r.body, "href=\"/entrevista");
    http_resp_free(&r);
    assert_int_equal(get("/carteles?lang=es", reader, &r), 200);
    test_lacks(r.body, "href=\"/entrevista");
    http_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_service_shown_preselected_and_changeable),
        cmocka_unit_test(test_paper_entry_leaves_out_what_paper_cannot_take),
        cmocka_unit_test(test_entrada_says_where_the_code_is),
        cmocka_unit_test(test_nav_links_interviews),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
