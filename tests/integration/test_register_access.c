/*
 * test_register_access.c (issue 18: register and notice fixes): who reads
 * a register's entries and what its evidence may be, over real HTTP and
 * the real forms folder. A register's evidence file and its CSV and XLSX
 * exports are for the register roles (admin, planificacion: the account
 * that entered them), not the case roles (atencion), while a public
 * form's stay with the case roles; a register never opens a case, even
 * with a complaint's questions; the five registers' evidence questions
 * take only PDF, Word, Excel, JPEG or PNG, judged by the bytes (an HTML
 * or SVG file named acta.pdf is refused), saying so beside the question
 * in the page's language.
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

#include "base/buf.h"
#include "staffsrv.h"
#include "testcheck.h"
#include "testform.h"
#include "testsh.h"
#include "testsrv.h"

static testsrv_t srv;
static char plan[160], aten[160], lect[160], boss[160];   /* sessions by role */
static char tmp[256];

static const char PDF[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

static int setup(void **state)
{
    (void)state;
    if (test_mkdtemp(tmp, sizeof tmp, "regaccess") != 0) return -1;
    if (testsrv_start(&srv, NULL, NULL) != 0) return -1;
    return staffsrv_session(&srv, "planifica", "planificacion", plan, sizeof plan) ||
                   staffsrv_session(&srv, "atiende", "atencion", aten, sizeof aten) ||
                   staffsrv_session(&srv, "lee", "lectura", lect, sizeof lect) ||
                   staffsrv_session(&srv, "jefa", "admin", boss, sizeof boss)
               ? -1
               : 0;
}

static int teardown(void **state)
{
    (void)state;
    test_rmtree(tmp);
    return testsrv_stop(&srv) == 0 ? 0 : -1;
}



static const char *const BENCH[] = { "fecha=2025-06-01", "tipo=benchmarking", "organizacion=Ayuntamiento vecino",
                                     "participantes_mujeres=3", "participantes_hombres=2", NULL };

/* The name of the one stored file of form (caller frees). */
static char *media_name(const char *db, const char *form)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT name FROM media WHERE form_id = ?1", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, form, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *name = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(h);
    return name;
}

/* A register's evidence file and its exports are read by the register
 * roles (admin, planificacion) and refused to atencion and lectura; a
 * public form's exports stay with atencion and admin. */
static void test_register_data_goes_to_the_register_roles(void **state)
{
    (void)state;
    http_resp_t r;
    staffsrv_post_register(srv.port, plan, "reg_benchmarking", "", BENCH, "acta.pdf", "application/pdf", PDF, sizeof PDF - 1, &r);
    if (r.status != 303) fprintf(stderr, "%d\n%s\n", r.status, r.body);
    assert_int_equal(r.status, 303);
    http_resp_free(&r);
    char *name = media_name(srv.db, "reg_benchmarking");
    char path[200];
    snprintf(path, sizeof path, "/api/v1/forms/reg_benchmarking/media/%s", name);
    free(name);
    assert_int_equal(http_get(srv.port, path, plan, &r), 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, sizeof PDF - 1);
    assert_memory_equal(r.body, PDF, sizeof PDF - 1);
    http_resp_free(&r);
    assert_int_equal(staffsrv_status(srv.port, path, boss), 200);
    assert_int_equal(staffsrv_status(srv.port, path, aten), 403);
    assert_int_equal(staffsrv_status(srv.port, path, lect), 403);
    assert_int_equal(staffsrv_status(srv.port, path, NULL), 401);

    static const char *const exports[] = { "/api/v1/forms/reg_benchmarking/responses.csv",
                                           "/api/v1/forms/reg_benchmarking/responses.csv?sep=;",
                                           "/api/v1/forms/reg_benchmarking/responses.xlsx" };
    for (size_t i = 0; i < sizeof exports / sizeof *exports; i++) {
        assert_int_equal(staffsrv_status(srv.port, exports[i], plan), 200);
        assert_int_equal(staffsrv_status(srv.port, exports[i], boss), 200);
        assert_int_equal(staffsrv_status(srv.port, exports[i], aten), 403);
        assert_int_equal(staffsrv_status(srv.port, exports[i], lect), 403);
    }
    assert_int_equal(http_get(srv.port, exports[0], plan, &r), 0);
    test_has(r.body, "Ayuntamiento vecino");
    http_resp_free(&r);
    /* Public forms: unchanged. */
    assert_int_equal(staffsrv_status(srv.port, "/api/v1/forms/satisfaccion/responses.csv", aten), 200);
    assert_int_equal(staffsrv_status(srv.port, "/api/v1/forms/satisfaccion/responses.xlsx", boss), 200);
    assert_int_equal(staffsrv_status(srv.port, "/api/v1/forms/satisfaccion/responses.csv", plan), 403);
    assert_int_equal(staffsrv_status(srv.port, "/api/v1/forms/quejas/media/nada.jpg", plan), 403);
    assert_int_equal(staffsrv_status(srv.port, "/api/v1/forms/quejas/media/nada.jpg", aten), 404);
}

/* A register whose questions are a complaint's still opens no case: the
 * case page is atencion's. */
static void test_a_register_never_opens_a_case(void **state)
{
    (void)state;
    char forms[320];
    snprintf(forms, sizeof forms, "%s/forms", tmp);
    assert_int_equal(test_sh(tmp, NULL, NULL, "cp -r '%s/forms' '%s'", test_root(), forms), 0);
    char *dir = testform_write(forms, "reg_quejas",
                               "type,name,label,body::accept\n"
                               "select_one tipo,comentario_tipo,Tipo,\n"
                               "text,comentario,Comentario,\n"
                               "file,evidencia,Evidencia,.pdf\n",
                               "list_name,name,label\ntipo,queja,Queja\ntipo,sugerencia,Sugerencia\n",
                               "form_title,form_id,version,access\nRegistro de quejas,reg_quejas,1,staff\n");
    free(dir);
    testsrv_t own;
    memset(&own, 0, sizeof own);
    assert_int_equal(testsrv_start(&own, forms, NULL), 0);
    char cookie[160];
    assert_int_equal(staffsrv_session(&own, "planifica", "planificacion", cookie, sizeof cookie), 0);
    static const char *const fields[] = { "comentario_tipo=queja", "comentario=El techo gotea", NULL };
    http_resp_t r;
    staffsrv_post_register(own.port, cookie, "reg_quejas", "", fields, "acta.pdf", "application/pdf", PDF, sizeof PDF - 1, &r);
    if (r.status != 303) fprintf(stderr, "%d\n%s\n", r.status, r.body);
    assert_int_equal(r.status, 303);
    char *loc = http_header(&r, "Location");
    assert_non_null(loc);
    test_lacks(loc, "c=");
    free(loc);
    http_resp_free(&r);
    assert_int_equal(test_db_int(own.db, "SELECT count(*) FROM responses WHERE form_id = 'reg_quejas'"), 1);
    assert_int_equal(test_db_int(own.db, "SELECT count(*) FROM cases"), 0);
    assert_int_equal(testsrv_stop(&own), 0);
    test_rmtree(own.dir);
}

/* The five registers declare their evidence's kinds; an HTML or SVG file
 * (even named acta.pdf and sent as a PDF) is refused by its bytes, with
 * the kinds said beside the question in the page's language, and nothing
 * is stored. */
static void test_evidence_kinds_are_checked_by_content(void **state)
{
    (void)state;
    static const char *const regs[] = { "reg_benchmarking", "reg_digital", "reg_desempeno", "reg_reuniones",
                                        "reg_intercambio" };
    for (size_t i = 0; i < sizeof regs / sizeof *regs; i++) {
        char path[64];
        snprintf(path, sizeof path, "/registros/%s", regs[i]);
        http_resp_t page;
        assert_int_equal(http_get(srv.port, path, plan, &page), 0);
        assert_int_equal(page.status, 200);
        test_has(page.body, "name=evidencia");
        test_has(page.body, " accept=\".pdf,.docx,.xlsx,.jpg,.jpeg,.png\"");
        http_resp_free(&page);
    }
    long long before = test_db_int(srv.db, "SELECT count(*) FROM media");
    long long entries = test_db_int(srv.db, "SELECT count(*) FROM responses");
    static const char html[] = "<!doctype html><html><body><script>alert(1)</script></body></html>\n";
    static const char svg[] = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\">"
                              "<script>alert(1)</script></svg>\n";
    http_resp_t r;
    staffsrv_post_register(srv.port, plan, "reg_benchmarking", "", BENCH, "acta.pdf", "application/pdf", html, sizeof html - 1, &r);
    assert_int_equal(r.status, 422);
    test_has(r.body, "Aquí no se acepta este tipo de archivo (se mira lo que contiene, no su nombre). Elija un "
                     "archivo de uno de estos tipos: .pdf, .docx, .xlsx, .jpg, .jpeg, .png.");
    http_resp_free(&r);
    staffsrv_post_register(srv.port, plan, "reg_benchmarking", "?lang=ht", BENCH, "lista.svg", "image/svg+xml", svg, sizeof svg - 1,
               &r);
    assert_int_equal(r.status, 422);
    test_has(r.body, "Nou pa pran kalite fichye sa a isit la (nou gade sa ki ladan l, pa non l). Chwazi yon "
                     "fichye ki se youn nan kalite sa yo: .pdf, .docx, .xlsx, .jpg, .jpeg, .png.");
    http_resp_free(&r);
    assert_int_equal(test_db_int(srv.db, "SELECT count(*) FROM media"), before);
    assert_int_equal(test_db_int(srv.db, "SELECT count(*) FROM responses"), entries);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_register_data_goes_to_the_register_roles),
        cmocka_unit_test(test_a_register_never_opens_a_case),
        cmocka_unit_test(test_evidence_kinds_are_checked_by_content),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
