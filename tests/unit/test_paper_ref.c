/*
 * test_paper_ref.c: reading a paper's short code back (model/paper_ref.h,
 * issue 17 item 4) and the paper's date (service/entry.h): every code
 * paper_code prints for the real forms folder reads back to its form,
 * point and language; letter case and spaces do not matter; an older
 * version is told apart from an unknown code; dates in the future or
 * before 2000 are refused, a good one is the local midnight (UTC-4).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/buf.h"
#include "base/diag.h"
#include "model/catalog.h"
#include "model/paper_ref.h"
#include "service/entry.h"
#include "view/paper.h"
#include "testsrv.h"

static catalog_t cat;

static int setup(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/forms", test_root());
    diag_t d = { 0 };
    int rc = catalog_load(path, &cat, &d);
    for (size_t i = 0; i < d.n; i++) fprintf(stderr, "%s\n", d.lines[i]);
    diag_free(&d);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    catalog_free(&cat);
    return 0;
}

static void test_every_printed_code_reads_back(void **state)
{
    (void)state;
    size_t n = 0;
    for (size_t i = 0; i < cat.nforms; i++)
        for (size_t p = 0; p <= cat.points.npoints; p++)
            for (int l = 0; l < LANG_COUNT; l++) {
                const point_t *pt = p < cat.points.npoints ? &cat.points.points[p] : NULL;
                buf_t code;
                buf_init(&code);
                paper_code(&code, cat.forms[i], pt, (lang_t)l);
                paper_ref_t ref;
                if (cat.forms[i]->staff) {
                    /* issue 17: a register is entered on /registros only. */
                    if (paper_ref_parse(&cat, code.data, &ref) != PAPER_REF_UNKNOWN) fail_msg("%s", code.data);
                    buf_free(&code);
                    continue;
                }
                if (paper_ref_parse(&cat, code.data, &ref) != PAPER_REF_OK) fail_msg("%s", code.data);
                assert_ptr_equal(ref.form, cat.forms[i]);
                assert_int_equal(ref.form_index, i);
                assert_ptr_equal(ref.point, pt);
                assert_int_equal(ref.lang, l);
                buf_free(&code);
                n++;
            }
    assert_true(n >= 3 * 10 * 2);
}

static void test_case_spaces_old_and_unknown(void **state)
{
    (void)state;
    paper_ref_t ref;
    assert_int_equal(paper_ref_parse(&cat, "  QUEJAS-2024.1-Mercado-Municipal-HT \t", &ref), PAPER_REF_OK);
    assert_string_equal(ref.form->id, "quejas");
    assert_string_equal(ref.point->id, "mercado-municipal");
    assert_int_equal(ref.lang, LANG_HT);
    assert_int_equal(paper_ref_parse(&cat, "quejas-2023.9-mercado-municipal-es", &ref), PAPER_REF_OLD);
    assert_string_equal(ref.version, "2023.9");
    assert_string_equal(ref.form->id, "quejas");
    assert_int_equal(paper_ref_parse(&cat, "quejas-2023-rc.1-todos-es", &ref), PAPER_REF_OLD);
    assert_string_equal(ref.version, "2023-rc.1");
    assert_null(ref.point);
    static const char *const unknown[] = {
        NULL, "", "   ", "quejas", "quejas-es", "quejas-2024.1-es", "quejas--mercado-municipal-es",
        "quejas-2024.1-mercado-municipal-en", "quejas-2024.1-mercado-municipal-es-DO", "quejas-2024.1-lejos-es",
        "nada-2024.1-mercado-municipal-es", "-2024.1-mercado-municipal-es", "quejas-2024.1-municipal-es",
    };
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        if (paper_ref_parse(&cat, unknown[i], &ref) != PAPER_REF_UNKNOWN) fail_msg("%s", unknown[i] ? unknown[i] : "NULL");
    char longer[PAPER_REF_MAX + 10];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(paper_ref_parse(&cat, longer, &ref), PAPER_REF_UNKNOWN);
}

/* issue 17: a clerk types spaces where '-' was printed; a staff-only
 * register has no sheet and reads as unknown. */
static void test_inner_spaces_and_registers(void **state)
{
    (void)state;
    paper_ref_t ref;
    static const char *const spaced[] = {
        "quejas 2024.1 mercado-municipal-es", "quejas 2024.1 mercado municipal es",
        "Quejas - 2024.1 - Mercado-Municipal - ES", "quejas-2024.1-merca do-municipal-es",
        "quejas  2024.1\tmercado-municipal  es",
    };
    for (size_t i = 0; i < sizeof spaced / sizeof spaced[0]; i++) {
        if (paper_ref_parse(&cat, spaced[i], &ref) != PAPER_REF_OK) fail_msg("%s", spaced[i]);
        assert_string_equal(ref.form->id, "quejas");
        assert_string_equal(ref.point->id, "mercado-municipal");
        assert_int_equal(ref.lang, LANG_ES);
    }
    assert_int_equal(paper_ref_parse(&cat, "quejas 2023.9 mercado municipal es", &ref), PAPER_REF_OLD);
    assert_int_equal(paper_ref_parse(&cat, "reg_benchmarking-2025.1-todos-es", &ref), PAPER_REF_UNKNOWN);
    assert_int_equal(paper_ref_parse(&cat, "reg_benchmarking-2025.1-mercado-municipal-ht", &ref), PAPER_REF_UNKNOWN);
    assert_int_equal(paper_ref_parse(&cat, "reg_benchmarking-2020.1-todos-es", &ref), PAPER_REF_UNKNOWN);
}

static void test_paper_date(void **state)
{
    (void)state;
    time_t now = 1733400000, t;   /* 2024-12-05 12:00 UTC, 08:00 in Bánica */
    assert_true(entry_paper_date("2024-03-15", now, &t));
    assert_int_equal((long long)t, 1710460800LL + 4 * 3600);
    assert_true(entry_paper_date("2024-12-05", now, &t));
    assert_false(entry_paper_date("2024-12-06", now, &t));
    assert_false(entry_paper_date("1999-12-31", now, &t));
    assert_false(entry_paper_date("2024-02-30", now, &t));
    assert_false(entry_paper_date("15/03/2024", now, &t));
    assert_false(entry_paper_date("", now, &t));
    assert_false(entry_paper_date(NULL, now, &t));
    /* 23:30 in Bánica on the 5th is already the 6th in UTC: still the 5th. */
    assert_false(entry_paper_date("2024-12-06", 1733455800, &t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_printed_code_reads_back),
        cmocka_unit_test(test_case_spaces_old_and_unknown),
        cmocka_unit_test(test_paper_date),
        cmocka_unit_test(test_inner_spaces_and_registers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
