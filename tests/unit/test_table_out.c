/*
 * test_table_out.c: view/table_out.h's workbook types each cell by what
 * its column holds (issue 13 item 17): digit-only text (a phone
 * "08095550101", a comment "00123", a form version "2024.1") stays text
 * with every digit, numbers are numbers, dates are dates in a date format.
 * The sheet is read back with unzip(1).
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
#include "testsh.h"
#include "view/table_out.h"
#include "view/xlsx_mem.h"

#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static char dir[64];

static int setup(void **state)
{
    (void)state;
    return test_mkdtemp(dir, sizeof dir, "table-out");
}

static int teardown(void **state)
{
    (void)state;
    return test_rmtree(dir);
}

/* The XML of part (e.g. "xl/worksheets/sheet1.xml") of workbook b. */
static char *part(const buf_t *b, const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/t.xlsx", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
    fclose(f);
    buf_t out;
    assert_int_equal(test_sh(dir, &out, NULL, "unzip -p '%s' '%s'", path, name), 0);
    return buf_steal(&out);
}

/* The <c> element of cell ref ("B2") in sheet; caller frees. */
static char *cell(const char *sheet, const char *ref)
{
    char key[16];
    snprintf(key, sizeof key, "<c r=\"%s\"", ref);
    const char *p = strstr(sheet, key);
    if (!p) fail_msg("no cell %s", ref);
    const char *e = strstr(p, "</c>");
    assert_non_null(e);
    size_t n = (size_t)(e - p) + 4;
    char *s = malloc(n + 1);
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

static void expect_text(const char *sheet, const char *ref)
{
    char *c = cell(sheet, ref);
    /* A shared string or, in the constant-memory mode the downloads use,
     * an inline one: text either way. */
    if (!strstr(c, "t=\"s\"") && !strstr(c, "t=\"inlineStr\"")) fail_msg("%s is not text: %s", ref, c);
    free(c);
}

static void expect_num(const char *sheet, const char *ref, const char *v, bool styled)
{
    char *c = cell(sheet, ref);
    char want[64];
    snprintf(want, sizeof want, "<v>%s", v);   /* v, or the first digits of it */
    if (strstr(c, "t=\"") || !strstr(c, want)) fail_msg("%s is not the number %s: %s", ref, v, c);
    if (styled != (strstr(c, " s=\"") != NULL)) fail_msg("%s: format %s", ref, c);
    free(c);
}

/* A stream whose bytes end up in *b once closed (mem_close). */
static FILE *mem_open(buf_t *b)
{
    buf_init(b);
    FILE *f = open_memstream(&b->data, &b->len);
    assert_non_null(f);
    return f;
}

static void mem_close(FILE *f, buf_t *b)
{
    assert_int_equal(fclose(f), 0);
    b->cap = b->len + 1;
}

static void test_cells_are_typed_by_their_column(void **state)
{
    (void)state;
    buf_t b;
    FILE *f = mem_open(&b);
    table_t *t = table_new(TABLE_XLSX, "respuestas", f);
    static const char *const head[] = { "id", "version", "hora", "telefono", "comentario",
                                        "edad", "peso", "fecha", "escala", "mal" };
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++) table_cell(t, head[i]);
    table_end_row(t);
    table_cell_as(t, "7", EXPORT_NUMBER);
    table_cell_as(t, "2024.1", EXPORT_TEXT);
    table_cell_as(t, "2026-11-24 14:00", EXPORT_DATE_HOUR);
    table_cell_as(t, "08095550101", EXPORT_TEXT);
    table_cell_as(t, "00123", EXPORT_TEXT);
    table_cell_as(t, "42", EXPORT_NUMBER);
    table_cell_as(t, "-3.5", EXPORT_NUMBER);
    table_cell_as(t, "2026-02-28", EXPORT_DATE);
    table_cell_as(t, "4", EXPORT_NUMBER);
    table_cell_as(t, "no sé", EXPORT_NUMBER);   /* not a number: stays text */
    table_end_row(t);
    assert_int_equal(table_finish(t), 0);
    mem_close(f, &b);
    char *sheet = part(&b, "xl/worksheets/sheet1.xml");
    char *strings = sheet;   /* inline strings (constant-memory mode) */
    expect_num(sheet, "A2", "7<", false);
    expect_text(sheet, "B2");
    expect_num(sheet, "C2", "46350.583333", true);
    expect_text(sheet, "D2");
    expect_text(sheet, "E2");
    expect_num(sheet, "F2", "42<", false);
    expect_num(sheet, "G2", "-3.5<", false);
    expect_num(sheet, "H2", "46081<", true);
    expect_num(sheet, "I2", "4<", false);
    expect_text(sheet, "J2");
    assert_non_null(strstr(strings, ">2024.1<"));
    assert_non_null(strstr(strings, ">08095550101<"));
    assert_non_null(strstr(strings, ">00123<"));
    free(sheet);
    char *styles = part(&b, "xl/styles.xml");
    assert_non_null(strstr(styles, "formatCode=\"yyyy-mm-dd\""));
    assert_non_null(strstr(styles, "formatCode=\"yyyy-mm-dd hh:mm\""));
    free(styles);
    buf_free(&b);
}

/* Item 18: the ';' CSV writes the number columns with a decimal comma,
 * text as it is; the plain CSV leaves both alone. */
static void test_semicolon_csv_has_a_decimal_comma_in_numbers(void **state)
{
    (void)state;
    for (int semi = 0; semi < 2; semi++) {
        buf_t b;
        FILE *f = mem_open(&b);
        table_t *t = table_new(semi ? TABLE_CSV_SEMI : TABLE_CSV, "x", f);
        table_cell_as(t, "55.50", EXPORT_NUMBER);
        table_cell_as(t, "2024.1", EXPORT_TEXT);
        table_cell_as(t, "-3", EXPORT_NUMBER);
        table_cell_as(t, "no sé", EXPORT_NUMBER);
        table_end_row(t);
        assert_int_equal(table_finish(t), 0);
        mem_close(f, &b);
        assert_string_equal(b.data, semi ? "\xEF\xBB\xBF" "55,50;2024.1;-3;no sé\r\n"
                                         : "\xEF\xBB\xBF" "55.50,2024.1,-3,no sé\r\n");
        buf_free(&b);
    }
}

/* A server killed while it wrote a workbook leaves the temporary file
 * behind (libxlsxwriter writes only to a path): the sweep removes such
 * files once they are an hour old, and nothing else (found in review). */
static void test_stale_workbook_files_are_swept(void **state)
{
    (void)state;
    char sweep_dir[] = "/tmp/buzon-test-sweep-XXXXXX";
    assert_non_null(mkdtemp(sweep_dir));
    char old_f[128], new_f[128], other[128];
    snprintf(old_f, sizeof old_f, "%s/buzon-xlsx-AAAAAA", sweep_dir);
    snprintf(new_f, sizeof new_f, "%s/buzon-xlsx-BBBBBB", sweep_dir);
    snprintf(other, sizeof other, "%s/notes.txt", sweep_dir);
    const char *const files[] = { old_f, new_f, other };
    for (int i = 0; i < 3; i++) {
        FILE *fp = fopen(files[i], "w");
        assert_non_null(fp);
        fclose(fp);
    }
    time_t now = time(NULL);
    struct timeval two_hours_ago[2] = { { now - 7200, 0 }, { now - 7200, 0 } };
    assert_int_equal(utimes(old_f, two_hours_ago), 0);
    assert_int_equal(utimes(other, two_hours_ago), 0);
    setenv("TMPDIR", sweep_dir, 1);
    xlsx_mem_sweep(now);
    unsetenv("TMPDIR");
    assert_int_equal(access(old_f, F_OK), -1);
    assert_int_equal(access(new_f, F_OK), 0);          /* another server's, at work */
    assert_int_equal(access(other, F_OK), 0);          /* not ours */
    unlink(new_f);
    unlink(other);
    assert_int_equal(rmdir(sweep_dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells_are_typed_by_their_column),
        cmocka_unit_test(test_semicolon_csv_has_a_decimal_comma_in_numbers),
        cmocka_unit_test(test_stale_workbook_files_are_swept),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
