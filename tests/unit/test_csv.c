/*
 * test_csv.c: the CSV reader against what Excel and LibreOffice write:
 * BOM, `;` separators, CRLF, multi-line quoted cells, and the errors a
 * damaged file must produce (with the right line).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/csvread.h"

/* Parse a string literal that is expected to be valid. */
static csv_table_t parse_ok(const char *s)
{
    csv_table_t t;
    char err[128];
    int rc = csv_parse_bytes(s, strlen(s), &t, err, sizeof err);
    if (rc != 0) fail_msg("unexpected error: %s", err);
    return t;
}

static void test_bom_is_stripped(void **state)
{
    (void)state;
    csv_table_t t = parse_ok("\xEF\xBB\xBFtype,name\ntext,a\n");
    assert_string_equal(csv_cell(&t, 0, 0), "type");
    assert_int_equal(csv_col(&t, "type"), 0);
    csv_table_free(&t);
}

static void test_semicolon_separator_detected(void **state)
{
    (void)state;
    csv_table_t t = parse_ok("type;name;label\ntext;a;Sí, claro\n");
    assert_int_equal(t.sep, ';');
    assert_int_equal(t.rows[1].ncells, 3);
    assert_string_equal(csv_cell(&t, 1, 2), "Sí, claro");
    csv_table_free(&t);
}

static void test_quoted_separators_do_not_count_for_detection(void **state)
{
    (void)state;
    csv_table_t t = parse_ok("\"a;b;c\",x,y\n1,2,3\n");
    assert_int_equal(t.sep, ',');
    assert_string_equal(csv_cell(&t, 0, 0), "a;b;c");
    csv_table_free(&t);
}

static void test_crlf_line_ends(void **state)
{
    (void)state;
    csv_table_t t = parse_ok("a,b\r\nc,d\r\ne,f\r\n");
    assert_int_equal(t.nrows, 3);
    assert_string_equal(csv_cell(&t, 1, 1), "d");
    assert_int_equal(t.rows[2].line, 3);
    csv_table_free(&t);
}

static void test_quoted_cell_with_quotes_and_separator(void **state)
{
    (void)state;
    csv_table_t t = parse_ok("a,b\n\"say \"\"hola\"\", ok\",x\n");
    assert_string_equal(csv_cell(&t, 1, 0), "say \"hola\", ok");
    assert_string_equal(csv_cell(&t, 1, 1), "x");
    csv_table_free(&t);
}

static void test_quoted_newline_keeps_line_numbers(void **state)
{
    (void)state;
    csv_table_t t = parse_ok("h1,h2\r\n\"two\r\nlines\",x\r\nnext,y\r\n");
    assert_int_equal(t.nrows, 3);
    assert_string_equal(csv_cell(&t, 1, 0), "two\r\nlines");
    assert_int_equal(t.rows[1].line, 2);
    assert_int_equal(t.rows[2].line, 4);
    csv_table_free(&t);
}

static void test_empty_rows_skipped_and_lines_stay_right(void **state)
{
    (void)state;
    csv_table_t t = parse_ok("a,b\n,,\n\n  \n\"\",\nc,d");
    assert_int_equal(t.nrows, 2);
    assert_string_equal(csv_cell(&t, 1, 0), "c");
    assert_int_equal(t.rows[1].line, 6);
    csv_table_free(&t);
}

static void test_invalid_utf8_names_its_line(void **state)
{
    (void)state;
    const char *s = "a,b\nok,fine\nbad,\xC3\x28\n";
    csv_table_t t;
    char err[128];
    assert_int_equal(csv_parse_bytes(s, strlen(s), &t, err, sizeof err), -1);
    assert_string_equal(err, "invalid UTF-8; in Excel, save as \"CSV UTF-8 (delimitado por comas)\"");
    assert_int_equal(t.err_line, 3);
    assert_int_equal(t.nrows, 0);
}

static void test_unterminated_quote_is_an_error(void **state)
{
    (void)state;
    const char *s = "a,b\nx,y\nz,\"never closed\nmore\n";
    csv_table_t t;
    char err[128];
    assert_int_equal(csv_parse_bytes(s, strlen(s), &t, err, sizeof err), -1);
    assert_string_equal(err, "unterminated quoted cell");
    assert_int_equal(t.err_line, 3);
}

static void test_short_row_cells_read_as_empty(void **state)
{
    (void)state;
    csv_table_t t = parse_ok("a,b,c\nx\n");
    assert_string_equal(csv_cell(&t, 1, 2), "");
    assert_string_equal(csv_cell(&t, 1, -1), "");
    assert_string_equal(csv_cell(&t, 9, 0), "");
    csv_table_free(&t);
}

static void test_column_lookup_ignores_case_and_spaces(void **state)
{
    (void)state;
    csv_table_t t = parse_ok("\" Type \",Label::Español (es)\n");
    assert_int_equal(csv_col(&t, "type"), 0);
    assert_int_equal(csv_col(&t, "label::español (es)"), 1);
    assert_int_equal(csv_col(&t, "name"), -1);
    csv_table_free(&t);
}

static void test_missing_file_reports_strerror(void **state)
{
    (void)state;
    csv_table_t t;
    char err[256];
    assert_int_equal(csv_read_file("/nonexistent/survey.csv", &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "No such file"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bom_is_stripped),
        cmocka_unit_test(test_semicolon_separator_detected),
        cmocka_unit_test(test_quoted_separators_do_not_count_for_detection),
        cmocka_unit_test(test_crlf_line_ends),
        cmocka_unit_test(test_quoted_cell_with_quotes_and_separator),
        cmocka_unit_test(test_quoted_newline_keeps_line_numbers),
        cmocka_unit_test(test_empty_rows_skipped_and_lines_stay_right),
        cmocka_unit_test(test_invalid_utf8_names_its_line),
        cmocka_unit_test(test_unterminated_quote_is_an_error),
        cmocka_unit_test(test_short_row_cells_read_as_empty),
        cmocka_unit_test(test_column_lookup_ignores_case_and_spaces),
        cmocka_unit_test(test_missing_file_reports_strerror),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
