/*
 * test_csvwrite.c: the one CSV writer (base/csvwrite.h): quoting, both
 * separators and decimal marks, the BOM, and the formula guard (OWASP:
 * = + - @ TAB CR, plain numbers left alone).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/csvwrite.h"

/* One row of text cells written with sep; caller frees. */
static char *row_of(char sep, const char *const *cells, size_t n)
{
    buf_t b;
    buf_init(&b);
    csvw_t w;
    csvw_init(&w, &b, sep, sep == ';' ? ',' : '.');
    for (size_t i = 0; i < n; i++) csvw_text(&w, cells[i]);
    csvw_end_row(&w);
    return buf_steal(&b);
}

static void expect_cell(const char *in, const char *out)
{
    const char *cells[] = { in };
    char *s = row_of(',', cells, 1);
    buf_t want;
    buf_init(&want);
    buf_printf(&want, "%s\r\n", out);
    assert_string_equal(s, want.data);
    buf_free(&want);
    free(s);
}

static void test_formula_guard(void **state)
{
    (void)state;
    expect_cell("=1+1", "\"'=1+1\"");
    expect_cell("+34 809", "\"'+34 809\"");
    expect_cell("-2+3", "\"'-2+3\"");
    expect_cell("@SUM(A1)", "\"'@SUM(A1)\"");
    expect_cell("\t=1", "\"'\t=1\"");
    expect_cell("\r=1", "\"'\r=1\"");
    expect_cell("-", "\"'-\"");
    expect_cell("-1e5", "\"'-1e5\"");
    /* plain numbers stay numbers */
    expect_cell("-12", "-12");
    expect_cell("-0.5", "-0.5");
    expect_cell("3.25", "3.25");
    /* not at the start: harmless */
    expect_cell("a=1", "a=1");
    expect_cell("", "");
}

/* Issue 13 item 18: a phone number is written after an invisible U+200B,
 * so Excel shows it as written (no apostrophe, not 18095550101, not a
 * sum), and anything else starting with '+' keeps the guard. */
static void test_phone_numbers_show_as_phone_numbers(void **state)
{
    (void)state;
    expect_cell("+18095550101", CSVW_PHONE_MARK "+18095550101");
    expect_cell("+1 809-555-0101", CSVW_PHONE_MARK "+1 809-555-0101");
    expect_cell("+1 (809) 555-0101", CSVW_PHONE_MARK "+1 (809) 555-0101");
    expect_cell("+509 3712 3456", CSVW_PHONE_MARK "+509 3712 3456");
    expect_cell("+1.809.555.0101", CSVW_PHONE_MARK "+1.809.555.0101");
    assert_true(csvw_is_phone("+18095550101"));
    /* not phone numbers: the apostrophe, as every formula */
    static const char *const no[] = { "+1+1", "+1809555010*2", "+1809-555-0101+A1", "+", "+123456",
                                      "+1234567890123456", "+1 809 555 0101 ", "+1  809 5550101",
                                      "+(809)5550101", "+1809555010a", "+1809555010,1", "+1\t8095550101",
                                      "=18095550101", "+1 809-555-0101-", "++18095550101" };
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        if (csvw_is_phone(no[i])) fail_msg("a phone: %s", no[i]);
        const char *cells[] = { no[i] };
        char *row = row_of(',', cells, 1);
        if (strncmp(row, "\"'", 2)) fail_msg("%s is written %s", no[i], row);
        free(row);
    }
    /* the semicolon flavour alike */
    const char *cells[] = { "+18095550101", "+1;2" };
    char *row = row_of(';', cells, 2);
    assert_string_equal(row, CSVW_PHONE_MARK "+18095550101;\"'+1;2\"\r\n");
    free(row);
}

static void test_quoting_and_separators(void **state)
{
    (void)state;
    const char *cells[] = { "a,b", "say \"hi\"", "x;y", "two\nlines", NULL };
    char *s = row_of(',', cells, 5);
    assert_string_equal(s, "\"a,b\",\"say \"\"hi\"\"\",x;y,\"two\nlines\",\r\n");
    free(s);
    s = row_of(';', cells, 5);
    assert_string_equal(s, "a,b;\"say \"\"hi\"\"\";\"x;y\";\"two\nlines\";\r\n");
    free(s);
}

static void test_numbers_bom_and_rows(void **state)
{
    (void)state;
    buf_t b;
    buf_init(&b);
    csvw_t w;
    csvw_init(&w, &b, ';', ',');
    csvw_bom(&w);
    csvw_num(&w, -1.5, 2);
    csvw_num(&w, NAN, 2);
    csvw_num(&w, 12, 0);
    csvw_empty(&w);
    csvw_end_row(&w);
    csvw_text(&w, "x");
    csvw_end_row(&w);
    assert_string_equal(b.data, CSVW_BOM "-1,50;;12;\r\nx\r\n");
    buf_free(&b);
    double v;
    assert_true(csvw_is_number("-7", &v));
    assert_true(v == -7);
    assert_false(csvw_is_number("123456789012345678901", &v));
    assert_false(csvw_is_number("+1", &v));
    assert_false(csvw_is_number("1-2", &v));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formula_guard),
        cmocka_unit_test(test_phone_numbers_show_as_phone_numbers),
        cmocka_unit_test(test_quoting_and_separators),
        cmocka_unit_test(test_numbers_bom_and_rows),
    };
    return cmocka_run_group_tests_name("csvwrite", tests, NULL, NULL);
}
