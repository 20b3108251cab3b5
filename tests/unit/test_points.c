/*
 * test_points.c: the service-point loader and `buzon points`. The real
 * forms/points.csv must load and hold the points the posters are printed
 * for; damaged files under tests/fixtures/points/ must produce exactly the
 * `file:row: message` lines a form author is shown.
 *
 * Runs from $BUZON_ROOT (the repository) so that fixture paths, and the
 * diagnostics that name them, are relative and stable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/buf.h"
#include "cli/cli.h"
#include "model/form.h"
#include "model/points.h"

#define FIX "tests/fixtures/points/"

static int to_root(void **state)
{
    (void)state;
    const char *root = getenv("BUZON_ROOT");
    return root && chdir(root) != 0 ? -1 : 0;
}

/* Load dir expecting failure; returns the diagnostics joined by '\n'
 * (caller frees). */
static char *load_fails(const char *dir)
{
    points_t p;
    diag_t d = { 0 };
    assert_int_equal(points_load(dir, &p, &d), -1);
    assert_null(p.points);
    assert_int_equal(p.npoints, 0);
    buf_t b;
    buf_init(&b);
    for (size_t i = 0; i < d.n; i++) buf_printf(&b, "%s\n", d.lines[i]);
    diag_free(&d);
    return buf_steal(&b);
}

static void load_ok(const char *dir, points_t *p)
{
    diag_t d = { 0 };
    int rc = points_load(dir, p, &d);
    if (rc != 0) fail_msg("%s: %s", dir, d.n ? d.lines[0] : "(no diagnostic)");
    assert_int_equal(d.n, 0);
}

static void test_real_points_have_required_ids(void **state)
{
    (void)state;
    static const struct { const char *id, *service; } want[] = {
        { "mercado-municipal", "mercado" },
        { "matadero-municipal", "matadero" },
        { "cementerio-municipal", "cementerio" },
        { "recoleccion-camion-1", "recoleccion" },
        { "recoleccion-camion-2", "recoleccion" },
        { "oficina-recepcion", "oficina" },
    };
    points_t p;
    load_ok("forms", &p);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const point_t *pt = points_find(&p, want[i].id);
        if (!pt) fail_msg("forms/points.csv lacks %s", want[i].id);
        assert_string_equal(pt->service->id, want[i].service);
        assert_non_null(pt->name_ht);
    }
    points_free(&p);
}

static void test_real_services_are_the_five(void **state)
{
    (void)state;
    static const char *const want[] = { "mercado", "matadero", "cementerio", "recoleccion", "oficina" };
    points_t p;
    load_ok("forms", &p);
    assert_int_equal(p.nservices, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(p.services[i].id, want[i]);
        assert_string_not_equal(p.services[i].label_ht, p.services[i].label_es);
    }
    points_free(&p);
}

/* The `servicio` question's choices are what a point's service prefills,
 * so each standard form must list exactly the services of services.csv. */
static void test_forms_servicio_choices_match_services(void **state)
{
    (void)state;
    static const char *const forms[] = { "forms/satisfaccion", "forms/accesibilidad", "forms/agilidad" };
    points_t p;
    load_ok("forms", &p);
    for (size_t i = 0; i < 3; i++) {
        diag_t d = { 0 };
        form_t *f = form_load(forms[i], &d);
        if (!f) fail_msg("%s: %s", forms[i], d.n ? d.lines[0] : "(no diagnostic)");
        const question_t *q = form_question(f, "servicio");
        assert_non_null(q);
        assert_true(q->appearance & APP_POINT_SERVICE);
        assert_int_equal(q->list->nchoices, p.nservices);
        for (size_t k = 0; k < p.nservices; k++)
            assert_string_equal(q->list->choices[k].name, p.services[k].id);
        form_free(f);
    }
    points_free(&p);
}

/* Semicolons, BOM, CRLF, reordered columns, trailing blanks in an id and
 * empty translations, as Excel in a Spanish locale leaves them. */
static void test_excel_export_loads(void **state)
{
    (void)state;
    points_t p;
    load_ok(FIX "ok", &p);
    assert_int_equal(p.npoints, 2);
    const point_t *m = points_find(&p, "mercado-municipal");
    assert_non_null(m);
    assert_string_equal(m->name, "Mercado Municipal");
    assert_string_equal(m->name_ht, "Mache Minisipal");
    assert_ptr_equal(m->service, points_service(&p, "mercado"));
    const point_t *o = points_find(&p, "oficina-recepcion");
    assert_string_equal(o->name, "Ayuntamiento; recepción");
    assert_null(o->name_ht);
    /* An empty Kreyòl service label falls back to the Spanish one. */
    assert_string_equal(o->service->label_ht, "Oficina del Ayuntamiento");
    assert_null(points_find(&p, "mercado"));
    assert_null(points_service(&p, "mercado-municipal"));
    points_free(&p);
}

static void test_broken_rows_are_all_reported(void **state)
{
    (void)state;
    char *got = load_fails(FIX "broken");
    assert_string_equal(got,
        FIX "broken/services.csv:3: invalid id \"Matadero\": use lowercase letters a-z, digits, '-' or '_'\n"
        FIX "broken/services.csv:4: duplicate id \"mercado\" (first at row 2)\n"
        FIX "broken/services.csv:5: missing label::Español (es)\n"
        FIX "broken/points.csv:3: duplicate id \"mercado-1\" (first at row 2)\n"
        FIX "broken/points.csv:4: missing id\n"
        FIX "broken/points.csv:5: invalid id \"plaza central\": use lowercase letters a-z, digits, '-' or '_'\n"
        FIX "broken/points.csv:6: missing name\n"
        FIX "broken/points.csv:7: unknown service \"matadero\"\n"
        FIX "broken/points.csv:8: missing service\n");
    free(got);
}

static void test_missing_columns_are_reported(void **state)
{
    (void)state;
    char *got = load_fails(FIX "missing-columns");
    assert_string_equal(got,
        FIX "missing-columns/services.csv:1: missing column \"label::Español (es)\"\n"
        FIX "missing-columns/services.csv:1: missing column \"label::Kreyòl (ht)\"\n"
        FIX "missing-columns/points.csv:1: missing column \"name\"\n");
    free(got);
}

static void test_missing_file_is_reported(void **state)
{
    (void)state;
    char *got = load_fails(FIX "missing-file");
    assert_string_equal(got, FIX "missing-file/points.csv:1: cannot read: No such file or directory\n");
    free(got);
}

/* Without services.csv every service is unknown; saying so on each point
 * would bury the one line that matters. */
static void test_unreadable_services_do_not_blame_points(void **state)
{
    (void)state;
    char *got = load_fails(FIX "no-services");
    assert_string_equal(got, FIX "no-services/services.csv:1: cannot read: No such file or directory\n");
    free(got);
}

static void test_invalid_utf8_names_its_row(void **state)
{
    (void)state;
    char *got = load_fails(FIX "bad-utf8/");
    assert_string_equal(got, FIX "bad-utf8/points.csv:3: invalid UTF-8; in Excel, save as \"CSV UTF-8 (delimitado por comas)\"\n");
    free(got);
}

/* Run cli_points with stdout and stderr sent to temporary files; returns
 * the exit status and their contents (caller frees). */
static int run_cli(int argc, char **argv, char **out, char **err)
{
    FILE *fo = tmpfile(), *fe = tmpfile();
    assert_non_null(fo);
    assert_non_null(fe);
    fflush(stdout);
    fflush(stderr);
    int so = dup(1), se = dup(2);
    assert_true(so >= 0 && se >= 0);
    assert_true(dup2(fileno(fo), 1) >= 0 && dup2(fileno(fe), 2) >= 0);
    int rc = cli_points(argc, argv);
    fflush(stdout);
    fflush(stderr);
    assert_true(dup2(so, 1) >= 0 && dup2(se, 2) >= 0);
    close(so);
    close(se);
    FILE *f[2] = { fo, fe };
    char **dst[2] = { out, err };
    for (int i = 0; i < 2; i++) {
        buf_t b;
        buf_init(&b);
        rewind(f[i]);
        char chunk[512];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f[i])) > 0) buf_append(&b, chunk, n);
        buf_putc(&b, '\0');
        *dst[i] = buf_steal(&b);
        fclose(f[i]);
    }
    return rc;
}

static void test_cli_prints_id_tab_name(void **state)
{
    (void)state;
    char *argv[] = { "points", "--forms", FIX "ok", NULL };
    char *out, *err;
    assert_int_equal(run_cli(3, argv, &out, &err), 0);
    assert_string_equal(out, "mercado-municipal\tMercado Municipal\n"
                             "oficina-recepcion\tAyuntamiento; recepción\n");
    assert_string_equal(err, "");
    free(out);
    free(err);
}

static void test_cli_reports_diagnostics_and_fails(void **state)
{
    (void)state;
    char *argv[] = { "points", "--forms", FIX "missing-file", NULL };
    char *out, *err;
    assert_int_equal(run_cli(3, argv, &out, &err), 1);
    assert_string_equal(out, "");
    assert_string_equal(err, FIX "missing-file/points.csv:1: cannot read: No such file or directory\n");
    free(out);
    free(err);
}

static void test_cli_rejects_unknown_option(void **state)
{
    (void)state;
    char *argv[] = { "points", "--form", "forms", NULL };
    char *out, *err;
    assert_int_equal(run_cli(3, argv, &out, &err), 2);
    assert_string_equal(out, "");
    assert_non_null(strstr(err, "usage: buzon points"));
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_points_have_required_ids),
        cmocka_unit_test(test_real_services_are_the_five),
        cmocka_unit_test(test_forms_servicio_choices_match_services),
        cmocka_unit_test(test_excel_export_loads),
        cmocka_unit_test(test_broken_rows_are_all_reported),
        cmocka_unit_test(test_missing_columns_are_reported),
        cmocka_unit_test(test_missing_file_is_reported),
        cmocka_unit_test(test_unreadable_services_do_not_blame_points),
        cmocka_unit_test(test_invalid_utf8_names_its_row),
        cmocka_unit_test(test_cli_prints_id_tab_name),
        cmocka_unit_test(test_cli_reports_diagnostics_and_fails),
        cmocka_unit_test(test_cli_rejects_unknown_option),
    };
    return cmocka_run_group_tests(tests, to_root, NULL);
}
