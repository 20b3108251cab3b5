/*
 * test_register_entries.c (issue 18 follow-up): a register's entries are
 * listed at /registros/<form>/entradas for the register roles (admin,
 * planificacion), newest first, 50 to a page, each with its date, the
 * report's short description, who entered it and a link to its evidence
 * file, every value escaped; /registros links to it. Over real HTTP with
 * the real forms folder.
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
#include "testsh.h"
#include "testsrv.h"

static testsrv_t srv;
static char plan[160], aten[160], lect[160], boss[160];   /* sessions by role */

static const char PDF[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

static int setup(void **state)
{
    (void)state;
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
    return testsrv_stop(&srv) == 0 ? 0 : -1;
}



/* The name of the newest stored file of form (caller frees). */
static char *media_name(const char *db, const char *form)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT name FROM media WHERE form_id = ?1 ORDER BY rowid DESC LIMIT 1", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, form, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *name = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(h);
    return name;
}

/* Enter a benchmarking entry of day with organisation org as cookie's
 * account, with a PDF as evidence; it must be stored. */
static void enter(const char *cookie, const char *day, const char *org)
{
    char f[64], o[200];
    snprintf(f, sizeof f, "fecha=%s", day);
    snprintf(o, sizeof o, "organizacion=%s", org);
    const char *fields[] = { f, "tipo=benchmarking", o, "participantes_mujeres=3", "participantes_hombres=2", NULL };
    http_resp_t r;
    staffsrv_post_register(srv.port, cookie, "reg_benchmarking", "", fields, "acta.pdf", "application/pdf", PDF, sizeof PDF - 1,
               &r);
    if (r.status != 303) fail_msg("entry not stored: %d\n%s", r.status, r.body);
    http_resp_free(&r);
}

static void test_a_planner_finds_the_registers_entries(void **state)
{
    (void)state;
    enter(plan, "2025-06-01", "<script>alert(1)</script> & Cía");
    char *name = media_name(srv.db, "reg_benchmarking");
    http_resp_t r;
    /* /registros links to the list */
    assert_int_equal(http_get(srv.port, "/registros", plan, &r), 0);
    test_has(r.body, "<a href=\"/registros/reg_benchmarking/entradas?lang=es\">ver sus entradas</a>");
    http_resp_free(&r);

    assert_int_equal(http_get(srv.port, "/registros/reg_benchmarking/entradas", plan, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "<td>2025-06-01</td>");
    test_has(r.body, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Cía");
    test_lacks(r.body, "<script>alert");
    test_has(r.body, "<td>planifica</td>");
    test_has(r.body, "<b id=total>1</b>");
    test_has(r.body, "href=\"/api/v1/forms/reg_benchmarking/responses.csv\"");
    char link[256];
    snprintf(link, sizeof link, "<a href=\"/api/v1/forms/reg_benchmarking/media/%s\">Abrir el archivo</a>", name);
    test_has(r.body, link);
    test_lacks(r.body, "rel=next");
    http_resp_free(&r);
    /* the evidence link opens the file */
    char path[200];
    snprintf(path, sizeof path, "/api/v1/forms/reg_benchmarking/media/%s", name);
    free(name);
    assert_int_equal(http_get(srv.port, path, plan, &r), 0);
    assert_int_equal(r.status, 200);
    assert_memory_equal(r.body, PDF, sizeof PDF - 1);
    http_resp_free(&r);
    /* Kreyòl */
    assert_int_equal(http_get(srv.port, "/registros/reg_benchmarking/entradas?lang=ht", boss, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "Antre nan rejis la");
    http_resp_free(&r);
}

static void test_the_entries_are_for_the_register_roles(void **state)
{
    (void)state;
    assert_int_equal(staffsrv_status(srv.port, "/registros/reg_benchmarking/entradas", plan), 200);
    assert_int_equal(staffsrv_status(srv.port, "/registros/reg_benchmarking/entradas", boss), 200);
    assert_int_equal(staffsrv_status(srv.port, "/registros/reg_benchmarking/entradas", aten), 403);
    assert_int_equal(staffsrv_status(srv.port, "/registros/reg_benchmarking/entradas", lect), 403);
    assert_int_not_equal(staffsrv_status(srv.port, "/registros/reg_benchmarking/entradas", NULL), 200);
    /* a public form and an unknown one are no register */
    assert_int_equal(staffsrv_status(srv.port, "/registros/quejas/entradas", plan), 404);
    assert_int_equal(staffsrv_status(srv.port, "/registros/nada/entradas", plan), 404);
}

/* 51 entries: the newest 50 on page 1, the oldest alone on page 2. */
static void test_the_entries_come_newest_first_50_to_a_page(void **state)
{
    (void)state;
    enter(plan, "2025-05-01", "La primera");
    for (int i = 0; i < 50; i++) {
        char org[32];
        snprintf(org, sizeof org, "Socio %02d", i);
        enter(boss, "2025-06-02", org);
    }
    http_resp_t r;
    assert_int_equal(http_get(srv.port, "/registros/reg_benchmarking/entradas", plan, &r), 0);
    test_has(r.body, "<b id=total>51</b>");
    test_lacks(r.body, "La primera");
    test_has(r.body, "<td>jefa</td>");
    const char *newest = strstr(r.body, "Socio 49"), *older = strstr(r.body, "Socio 48");
    assert_true(newest && older && newest < older);
    test_has(r.body, "<a rel=next href=\"/registros/reg_benchmarking/entradas?lang=es&amp;p=2\">");
    test_lacks(r.body, "rel=prev");
    http_resp_free(&r);
    assert_int_equal(http_get(srv.port, "/registros/reg_benchmarking/entradas?p=2", plan, &r), 0);
    test_has(r.body, "La primera");
    test_has(r.body, "<td>2025-05-01</td>");
    test_lacks(r.body, "Socio");
    test_has(r.body, "rel=prev");
    test_lacks(r.body, "rel=next");
    http_resp_free(&r);
    assert_int_equal(http_get(srv.port, "/registros/reg_benchmarking/entradas?p=9", plan, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "id=vacio");
    http_resp_free(&r);
    assert_int_equal(staffsrv_status(srv.port, "/registros/reg_benchmarking/entradas?p=x", plan), 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_planner_finds_the_registers_entries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_entries_are_for_the_register_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_entries_come_newest_first_50_to_a_page, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
