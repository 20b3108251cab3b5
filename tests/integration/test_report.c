/*
 * test_report.c (issue 18 items 2 and 3): the report for the MAP from a
 * forms folder of the test's own, as the register forms of another item
 * will be: a staff-style register "reuniones" whose indicator belongs to
 * action 9 (target 3 from plan.csv's meta), an action 3 with no indicator
 * here, and an action 10 that ends before it starts. Ten entries are
 * posted to a real server; then `buzon report` writes the PDF (pdfinfo:
 * A4 pages; pdftotext: the cover, the summary with each status and action
 * 9's section with its figure, n and evidence), a PDF for a period
 * without data (said on every page), the XLSX (sheet names and a cell read
 * back with unzip), the server's buttons' PDF and XLSX, and bad input: a
 * bad date, -o in a folder that does not exist, -o of another kind.
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

#include "base/buf.h"
#include "testcheck.h"
#include "testform.h"
#include "testsh.h"
#include "staffsrv.h"
#include "testsrv.h"

static testsrv_t srv;
static char dir[128], forms[192];

static const char PLAN[] =
    "no,criterio,subcriterio,inicio,fin,indicador_id,meta,accion::Español (es),accion::Kreyòl (ht),"
    "objetivo::Español (es),objetivo::Kreyòl (ht),area::Español (es),area::Kreyòl (ht),"
    "indicador::Español (es),indicador::Kreyòl (ht),responsable::Español (es),responsable::Kreyòl (ht),"
    "nota::Español (es),nota::Kreyòl (ht)\n"
    "3,5,5.2,2024-09,2024-10,,,Involucrar a la gente,Mete moun yo,Obj,Obj,Área,Zòn,Medición,Mezi,"
    "Informático,Enfòmatisyen,Nota tres,Nòt twa\n"
    "9,8,8.2,2025-01,2025-08,reu_n,3,Medir la frecuencia de las relaciones,Mezire relasyon yo,Obj,Obj,"
    "Área,Zòn,Medición,Mezi,Planificación,Planifikasyon,,\n"
    "10,8,8.2,2024-09,2024-08,,,Medir el intercambio,Mezire echanj,Obj,Obj,Área,Zòn,Medición,Mezi,"
    "Planificación,Planifikasyon,,\n"
    "1,2,2.4,2025-01,2025-06,,,Intercambiar con otras entidades,Echanj,Obj,Obj,Área,Zòn,Medición,Mezi,"
    "Planificación,Planifikasyon,,\n";

static int setup(void **state)
{
    (void)state;
    if (test_mkdtemp(dir, sizeof dir, "report")) return -1;
    snprintf(forms, sizeof forms, "%s/forms", dir);
    if (mkdir(forms, 0700)) return -1;
    free(testform_write(forms, "reuniones",
                        "type,name,label::Español (es),label::Kreyòl (ht)\n"
                        "select_one tipo,tipo,Tipo,Tip\n"
                        "text,tema,Tema,Sijè\n",
                        "list_name,name,label::Español (es),label::Kreyòl (ht)\n"
                        "tipo,reunion,Reunión,Reyinyon\ntipo,otro,Otro,Lòt\n",
                        "form_title,form_id,version,default_language\n"
                        "Reuniones con la comunidad,reuniones,1,Español (es)\n"));
    /* issue 18: a staff register for action 1, entered on /registros */
    free(testform_write(forms, "reg_prueba",
                        "type,name,label::Español (es),label::Kreyòl (ht)\n"
                        "date,fecha,Fecha,Dat\n"
                        "select_one tipo,tipo,Tipo,Tip\n"
                        "text,con_quien,Con quién,Avèk ki moun\n",
                        "list_name,name,label::Español (es),label::Kreyòl (ht)\n"
                        "tipo,alianza,Alianza firmada,Alyans siyen\ntipo,visita,Visita,Vizit\n",
                        "form_title,form_id,version,default_language,access\n"
                        "Registro de prueba,reg_prueba,1,Español (es),staff\n"));
    testform_write_file(forms, "indicators.csv",
                        "id,action,form,kind,items,choices,exclude,target,headline,label::Español (es),"
                        "label::Kreyòl (ht)\n"
                        "reu_n,9,reuniones,count,tipo,reunion,,,yes,Reuniones con autoridades,"
                        "Reyinyon ak otorite\n"
                        "pru_n,1,reg_prueba,count,tipo,alianza,,,yes,Alianzas,Alyans\n"
                        "pru_e,1,reg_prueba,entries,tipo,alianza,,,,Entradas de alianza,Antre alyans\n");
    testform_write_file(forms, "plan.csv", PLAN);
    if (test_catalog_csvs(forms)) return -1;
    static const char *const args[] = { "--public-indicators", "--rate-limit", "0", NULL };
    if (testsrv_start(&srv, forms, args)) return -1;
    for (int i = 0; i < 10; i++) {   /* eight meetings, two other activities */
        char body[160];
        snprintf(body, sizeof body, "_sid=dddddddd-bbbb-4ccc-8ddd-%012d&_t=1&tipo=%s&tema=Consejo", i,
                 i < 8 ? "reunion" : "otro");
        http_resp_t r;
        if (http_post(srv.port, "/e/reuniones?lang=es", body, &r) || r.status != 303) return -1;
        http_resp_free(&r);
    }
    /* twelve register entries, one a day, by a planner: the report lists
     * the ten latest (the 3rd to the 12th), escaped */
    char plan[160];
    if (staffsrv_session(&srv, "planifica", "planificacion", plan, sizeof plan)) return -1;
    for (int i = 1; i <= 12; i++) {
        http_resp_t page, r;
        char csrf[128];
        if (http_get(srv.port, "/registros/reg_prueba", plan, &page) || page.status != 200 ||
            staff_csrf(&page, csrf, sizeof csrf))
            return -1;
        http_resp_free(&page);
        char body[300];
        snprintf(body, sizeof body, "fecha=2025-03-%02d&tipo=%s&con_quien=Socio+%02d+%%3CSur%%3E+%%26+Co&_csrf=%s",
                 i, i % 2 ? "alianza" : "visita", i, csrf);
        if (http_post_with(srv.port, "/registros/reg_prueba", plan, body, &r) || r.status != 303) return -1;
        http_resp_free(&r);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int rc = testsrv_stop(&srv);
    return rc == 0 && test_rmtree(dir) == 0 ? 0 : -1;
}

/* `buzon report` with args, -o dir/name; its exit status, stderr in err. */
static int report(const char *args, const char *name, buf_t *err)
{
    return test_buzon(dir, NULL, err, "report --db '%s' --forms '%s' %s -o '%s/%s'", srv.db, forms, args, dir,
                      name);
}

static void text_of(const char *pdf, buf_t *out)
{
    assert_int_equal(test_sh(dir, out, NULL, "pdftotext -layout '%s/%s' -", dir, pdf), 0);
}

static int pages_of(const char *pdf)
{
    buf_t out;
    assert_int_equal(test_sh(dir, &out, NULL, "pdfinfo '%s/%s'", dir, pdf), 0);
    test_has(out.data, "(A4)");
    const char *p = strstr(out.data, "Pages:");
    assert_non_null(p);
    int n = atoi(p + 6);
    buf_free(&out);
    return n;
}

static int count(const char *s, const char *what)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, what)); p += strlen(what)) n++;
    return n;
}

static void test_pdf_cover_summary_and_an_action(void **state)
{
    (void)state;
    buf_t err, t;
    assert_int_equal(report("--to 2099-12-31", "r.pdf", &err), 0);
    test_has(err.data, "wrote");
    buf_free(&err);
    int n = pages_of("r.pdf");
    assert_true(n >= 5);   /* cover, summary, three actions */
    text_of("r.pdf", &t);
    /* the cover */
    test_has(t.data, "Ayuntamiento Municipal de Bánica");
    test_has(t.data, "Plan de Mejora Institucional 2024-2025");
    test_has(t.data, "Período: … – 2099-12-31");
    test_has(t.data, "Fecha de elaboración: ");
    /* the summary: each action's status */
    test_has(t.data, "Resumen de las diez acciones");
    test_has(t.data, "Sin indicador en");   /* action 3 has none in this folder */
    /* issue 18: action 1 (2025-01 to 2025-06, no target): its entries
     * are dated 2025-03, inside its window: achieved. Action 9 (target
     * 3): its 10 answers came today, after its end (2025-08): overdue,
     * the late evidence shown, its figure the window's (the old rule
     * called it achieved, the evidence of any date counting). */
    test_has(t.data, "Lograda");
    test_has(t.data, "(evidencia");           /* the summary's cell, wrapped */
    test_has(t.data, "plazo: 10)");
    test_has(t.data, "Vencida");            /* action 10: ended in 2024 */
    test_has(t.data, "Cómo se decide el estado:");
    test_has(t.data, "(!) Inconsistencia en el plan");
    /* action 9's section: figure with n, target, evidence, chart label */
    const char *nine = strstr(t.data, "Acción 9. Medir la frecuencia");
    assert_non_null(nine);
    test_has(nine, "Cifra actual: Sin datos todavía (n = 0) — Del plazo de la acción");
    test_has(nine, "evidencia en el plazo: 0 · evidencia después del plazo: 10");
    test_has(nine, "Estado: Vencida");
    test_has(nine, "Reuniones con autoridades                                 8");   /* the period's table */
    test_has(nine, "Meta: 3");
    test_has(nine, "10 respuestas o registros en «Reuniones con la comunidad»");
    test_has(nine, "Cifras principales");
    /* the method note */
    test_has(t.data, "Muestra no probabilística");
    test_has(t.data, "días hábiles");
    test_lacks(t.data, "No hay datos en buzon para este período.");
    /* issue 18: action 1's register: its latest ten entries, each with
     * its own date and its choice's label, escaped */
    const char *one = strstr(t.data, "Acción 1. Intercambiar");
    assert_non_null(one);
    test_has(one, "12 respuestas o registros en «Registro de prueba»");
    test_has(one, "Últimas entradas del registro");
    test_has(one, "2025-03-12 · Visita · Socio 12 <Sur> & Co");
    test_has(one, "2025-03-03 · Alianza firmada · Socio 03 <Sur> & Co");
    test_lacks(one, "Socio 02");
    /* a public survey's answers are counted, not listed */
    const char *ten = strstr(nine, "Acción 10.");
    assert_non_null(ten);
    char *nine_only = strndup(nine, (size_t)(ten - nine));
    test_lacks(nine_only, "Últimas entradas del registro");
    free(nine_only);
    buf_free(&t);
}

/* issue 18: a register entry belongs to the day its fecha tells, not the
 * day it was typed in (all twelve were typed today): a period of its own
 * days counts and lists just those. */
static void test_register_entries_count_on_their_own_date(void **state)
{
    (void)state;
    buf_t err, t;
    assert_int_equal(report("--from 2025-03-01 --to 2025-03-05", "marzo.pdf", &err), 0);
    buf_free(&err);
    text_of("marzo.pdf", &t);
    const char *one = strstr(t.data, "Acción 1. Intercambiar");
    assert_non_null(one);
    test_has(one, "5 respuestas o registros en «Registro de prueba» (marzo 2025 – marzo 2025)");
    test_has(one, "2025-03-05 · Alianza firmada · Socio 05");
    test_has(one, "2025-03-01 · Alianza firmada · Socio 01");
    test_lacks(one, "Socio 06");
    /* issue 18: counts are whole numbers, as on the plan page */
    test_has(one, "Entradas de alianza");
    test_lacks(one, ".0 ");
    test_lacks(one, ".0\n");
    /* issue 18: as of 2025-03-05, action 1 is under way on its window's 5 */
    test_has(one, "evidencia en el plazo: 5");
    test_has(one, "Estado: En curso");
    buf_free(&t);
    /* issue 18: one entry is "1 respuesta o registro", never "1 respuestas" */
    assert_int_equal(report("--from 2025-03-01 --to 2025-03-01 --lang es", "uno.pdf", &err), 0);
    buf_free(&err);
    text_of("uno.pdf", &t);
    test_has(t.data, "1 respuesta o registro en «Registro de prueba»");
    test_lacks(t.data, "1 respuestas");
    buf_free(&t);
    assert_int_equal(test_db_int(srv.db, "SELECT count(*) FROM responses WHERE form_id = 'reg_prueba'"
                                         " AND submitted_hour = 1740801600"), 1);   /* 2025-03-01 00:00 -04 */
}

static void test_period_without_data_says_so_on_every_page(void **state)
{
    (void)state;
    buf_t err, t;
    assert_int_equal(report("--from 2000-01-01 --to 2000-12-31 --lang ht", "vacio.pdf", &err), 0);
    test_has(err.data, "the period has no data");
    buf_free(&err);
    int n = pages_of("vacio.pdf");
    text_of("vacio.pdf", &t);
    assert_int_equal(count(t.data, "Pa gen done nan buzon pou peryòd sa a."), n);
    test_has(t.data, "Poko kòmanse");   /* as of 2000-12-31, nothing had begun */
    buf_free(&t);
}

static void test_xlsx_sheets_and_a_cell(void **state)
{
    (void)state;
    buf_t err, out;
    assert_int_equal(report("", "r.xlsx", &err), 0);
    buf_free(&err);
    assert_int_equal(test_sh(dir, &out, NULL, "unzip -p '%s/r.xlsx' xl/workbook.xml", dir), 0);
    test_has(out.data, "name=\"Resumen\"");
    test_has(out.data, "name=\"Accion 3\"");
    test_has(out.data, "name=\"Accion 9\"");
    test_has(out.data, "name=\"Accion 10\"");
    buf_free(&out);
    /* action 9's sheet (the third): its indicator with value 8 and n 10 */
    assert_int_equal(test_sh(dir, &out, NULL, "unzip -p '%s/r.xlsx' xl/worksheets/sheet3.xml", dir), 0);
    test_has(out.data, "<c r=\"C7\" s=\"");
    test_has(out.data, "<v>8</v>");
    test_has(out.data, "<v>10</v>");
    buf_free(&out);
    assert_int_equal(test_sh(dir, &out, NULL, "unzip -p '%s/r.xlsx' xl/sharedStrings.xml", dir), 0);
    test_has(out.data, "Reuniones con autoridades");
    test_has(out.data, "Lograda");   /* action 1: its entries inside its dates */
    test_has(out.data, "Vencida (evidencia después del plazo: 10)");   /* action 9 */
    test_has(out.data, "Del plazo de la acción (enero 2025 – agosto 2025) · evidencia en el plazo: 0 · "
                       "evidencia después del plazo: 10");
    /* issue 18: action 1's sheet lists its register's latest entries */
    test_has(out.data, "Socio 12 &lt;Sur&gt; &amp; Co");
    test_has(out.data, "Alianza firmada · Socio 11");
    test_lacks(out.data, "Socio 01");
    buf_free(&out);
    assert_int_equal(test_sh(dir, &out, NULL, "unzip -p '%s/r.xlsx' xl/worksheets/sheet5.xml", dir), 0);
    test_has(out.data, "<c r=\"B");   /* a day beside each entry */
    buf_free(&out);
}

static void test_bad_input(void **state)
{
    (void)state;
    buf_t err;
    assert_int_equal(report("--from 2025-02-30", "x.pdf", &err), 2);
    test_has(err.data, "--from must be a date YYYY-MM-DD, not '2025-02-30'");
    buf_free(&err);
    assert_int_equal(report("--from 2025-03-01 --to 2025-01-01", "x.pdf", &err), 2);
    test_has(err.data, "--from is after --to");
    buf_free(&err);
    assert_int_equal(report("", "no/such/folder/x.pdf", &err), 1);
    test_has(err.data, "cannot write");
    test_has(err.data, "no/such/folder/x.pdf");
    buf_free(&err);
    assert_int_equal(report("", "x.txt", &err), 2);
    test_has(err.data, "-o must name a .pdf or .xlsx file");
    buf_free(&err);
    assert_int_equal(report("--lang fr", "x.pdf", &err), 2);
    buf_free(&err);
}

/* The plan page's buttons: the same report over HTTP. */
static void test_buttons_over_http(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(http_get(srv.port, "/indicadores/plan?to=2099-12-31", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "href=\"/indicadores/plan/informe.pdf?to=2099-12-31&amp;lang=es\"");
    test_has(r.body, "<tr id=fila-9>");
    http_resp_free(&r);
    assert_int_equal(http_get(srv.port, "/indicadores/plan/informe.pdf?to=2099-12-31&lang=es", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    char *type = http_header(&r, "Content-Type");
    assert_string_equal(type, "application/pdf");
    free(type);
    assert_true(r.body_len > 1000 && !memcmp(r.body, "%PDF", 4));
    http_resp_free(&r);
    assert_int_equal(http_get(srv.port, "/indicadores/plan/informe.xlsx?lang=ht", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(r.body_len > 1000 && !memcmp(r.body, "PK", 2));
    http_resp_free(&r);
    assert_int_equal(http_get(srv.port, "/indicadores/plan/informe.pdf?from=2025-13-01", NULL, &r), 0);
    assert_int_equal(r.status, 400);
    http_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pdf_cover_summary_and_an_action),
        cmocka_unit_test(test_register_entries_count_on_their_own_date),
        cmocka_unit_test(test_period_without_data_says_so_on_every_page),
        cmocka_unit_test(test_xlsx_sheets_and_a_cell),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_buttons_over_http),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
