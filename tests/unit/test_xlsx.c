/*
 * test_xlsx.c: XLSForm workbooks read directly (src/base/xlsxread.c and
 * the form loader's use of it).
 *
 * The workbooks are built here at run time with libzip from XML written
 * in this file, so each fixture is readable in the source: shared strings
 * with rich text runs, inline strings, numbers, booleans, skipped cells,
 * rows with gaps, sheets whose order in the zip differs from their names,
 * a missing choices sheet, and the bad ones (not a zip, a damaged zip, a
 * zip that is no workbook, a DTD, too many rows or cells, a zip bomb).
 * One real workbook (tests/fixtures/forms-xlsx/satisfaccion.xlsx, made by
 * tools/csv2xlsx.py from forms/satisfaccion) must load with the same
 * questions, lists and texts as the CSV folder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include <cmocka.h>

#include "base/buf.h"
#include "base/xlsxread.h"
#include "cli/cli.h"
#include "model/form.h"
#include "testform.h"

/* ---- building workbooks ---------------------------------------------------- */

static char *tmp_root;

static char *tmp_path(const char *name)
{
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "%s/%s", tmp_root, name);
    return buf_steal(&b);
}

typedef struct part {
    const char *name;
    const char *xml;
} part_t;

/* A zip at path holding the given parts (each xml copied). */
static void write_zip(const char *path, const part_t *parts, size_t n)
{
    int code = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &code);
    assert_non_null(z);
    for (size_t i = 0; i < n; i++) {
        char *copy = xstrdup(parts[i].xml);
        zip_source_t *s = zip_source_buffer(z, copy, strlen(copy), 1);
        assert_non_null(s);
        assert_true(zip_file_add(z, parts[i].name, s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
}

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define RNS "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define RELNS "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\""

/* A workbook at path with n sheets named names[i], whose <sheetData> holds
 * data[i] (NULL: an empty sheet), and shared strings sst (the <si>
 * items; NULL: no sharedStrings.xml). Sheet i is stored in the part
 * sheet<n-i>.xml, so the reader must follow the relationships. */
static void write_book(const char *path, const char *const *names, const char *const *data, size_t n,
                       const char *sst)
{
    buf_t wb, rels;
    buf_init(&wb);
    buf_init(&rels);
    buf_printf(&wb, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook " NS " " RNS "><sheets>");
    buf_printf(&rels, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships " RELNS ">");
    part_t parts[16];
    size_t np = 0;
    for (size_t i = 0; i < n; i++) {
        buf_printf(&wb, "<sheet name=\"%s\" sheetId=\"%zu\" r:id=\"rId%zu\"/>", names[i], i + 1, i + 1);
        buf_printf(&rels, "<Relationship Id=\"rId%zu\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
                          "2006/relationships/worksheet\" Target=\"worksheets/sheet%zu.xml\"/>", i + 1, n - i);
        buf_t s, p;
        buf_init(&s);
        buf_init(&p);
        buf_printf(&s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet " NS "><sheetData>%s</sheetData></worksheet>",
                   data[i] ? data[i] : "");
        buf_printf(&p, "xl/worksheets/sheet%zu.xml", n - i);
        parts[np].name = buf_steal(&p);
        parts[np].xml = buf_steal(&s);
        np++;
    }
    buf_printf(&wb, "</sheets></workbook>");
    buf_printf(&rels, "</Relationships>");
    char *wbx = buf_steal(&wb), *relx = buf_steal(&rels), *ssx = NULL;
    parts[np++] = (part_t){ "xl/workbook.xml", wbx };
    parts[np++] = (part_t){ "xl/_rels/workbook.xml.rels", relx };
    if (sst) {
        buf_t s;
        buf_init(&s);
        buf_printf(&s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sst " NS ">%s</sst>", sst);
        ssx = buf_steal(&s);
        parts[np++] = (part_t){ "xl/sharedStrings.xml", ssx };
    }
    write_zip(path, parts, np);
    for (size_t i = 0; i < n; i++) {
        free((char *)parts[i].name);
        free((char *)parts[i].xml);
    }
    free(wbx);
    free(relx);
    free(ssx);
}

/* ---- the reader ------------------------------------------------------------ */

/* Open path and read its sheet called name; fails the test on error. */
static void read_sheet(const char *path, const char *name, csv_table_t *t)
{
    char err[256];
    xlsx_book_t *b = xlsx_open(path, err, sizeof err);
    if (!b) fail_msg("%s", err);
    int k = xlsx_sheet_find(b, name);
    assert_true(k >= 0);
    if (xlsx_sheet_read(b, (size_t)k, t, err, sizeof err) != 0) fail_msg("%s", err);
    xlsx_close(b);
}

static void test_cells_as_excel_shows_them(void **state)
{
    (void)state;
    char *path = tmp_path("cells.xlsx");
    const char *names[] = { "Survey" };
    const char *data[] = {
        /* header: shared strings; "label" split in rich text runs with a
         * phonetic run that is not part of the text */
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
        "<c r=\"C1\" t=\"s\"><v>2</v></c></row>"
        /* skipped cell B2 (an empty one), inline string with runs, _x000D_ */
        "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>text</t></is></c>"
        "<c r=\"C2\" t=\"inlineStr\"><is><r><t>Su </t></r><r><rPr><b/></rPr><t>nombre</t></r></is></c></row>"
        /* rows 3 to 5 missing; row 6: numbers and booleans, cells without r */
        "<row r=\"6\"><c><v>1</v></c><c t=\"n\"><v>2.5</v></c><c><v>1.0</v></c><c t=\"b\"><v>1</v></c>"
        "<c t=\"b\"><v>0</v></c><c><v>-3</v></c><c><v>1E-3</v></c></row>"
        /* a formula's cached text, styled empty cells, a far column */
        "<row r=\"7\"><c r=\"A7\" t=\"str\"><f>CONCAT(\"a\",\"b\")</f><v>ab</v></c><c r=\"B7\" s=\"3\"/>"
        "<c r=\"AB7\" t=\"s\"><v>3</v></c></row>"
        /* a row of only empty cells is no row */
        "<row r=\"8\"><c r=\"A8\" s=\"1\"/><c r=\"B8\" t=\"inlineStr\"><is><t> </t></is></c></row>"
        "<row r=\"12\"><c r=\"B12\" t=\"s\"><v>4</v></c></row>",
    };
    write_book(path, names, data, 1,
               "<si><t>type</t></si><si><t>name</t></si>"
               "<si><r><t>la</t></r><r><rPr><i/></rPr><t>bel</t></r><rPh sb=\"0\" eb=\"1\"><t>X</t></rPh></si>"
               "<si><t xml:space=\"preserve\">far &amp; away </t></si>"
               "<si><t>one_x000D_two</t></si>");
    csv_table_t t;
    read_sheet(path, "survey", &t);
    assert_int_equal(t.nrows, 5);
    assert_int_equal(t.rows[0].line, 1);
    assert_int_equal(t.rows[0].ncells, 3);
    assert_string_equal(csv_cell(&t, 0, 2), "label");
    assert_int_equal(csv_col(&t, "label"), 2);

    assert_int_equal(t.rows[1].line, 2);
    assert_string_equal(csv_cell(&t, 1, 0), "text");
    assert_string_equal(csv_cell(&t, 1, 1), "");
    assert_string_equal(csv_cell(&t, 1, 2), "Su nombre");

    assert_int_equal(t.rows[2].line, 6);
    const char *want[] = { "1", "2.5", "1", "TRUE", "FALSE", "-3", "0.001" };
    assert_int_equal(t.rows[2].ncells, 7);
    for (int c = 0; c < 7; c++) assert_string_equal(csv_cell(&t, 2, c), want[c]);

    assert_int_equal(t.rows[3].line, 7);
    assert_string_equal(csv_cell(&t, 3, 0), "ab");
    assert_string_equal(csv_cell(&t, 3, 1), "");
    assert_int_equal(t.rows[3].ncells, 28);   /* AB is the 28th column */
    assert_string_equal(csv_cell(&t, 3, 27), "far & away ");

    assert_int_equal(t.rows[4].line, 12);
    assert_string_equal(csv_cell(&t, 4, 0), "");
    assert_string_equal(csv_cell(&t, 4, 1), "one\rtwo");
    csv_table_free(&t);
    free(path);
}

/* A workbook as a generator other than Excel may write it: shared strings
 * in a part of another name, named by the relationships, and targets
 * given from the package root. */
static void test_parts_found_through_relationships(void **state)
{
    (void)state;
    char *path = tmp_path("rels.xlsx");
    part_t parts[] = {
        { "xl/workbook.xml", "<workbook " NS " " RNS "><sheets><sheet name=\"survey\" sheetId=\"1\" r:id=\"a\"/>"
                             "</sheets></workbook>" },
        { "xl/_rels/workbook.xml.rels",
          "<Relationships " RELNS "><Relationship Id=\"b\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
          "2006/relationships/sharedStrings\" Target=\"/xl/texts/strings.xml\"/>"
          "<Relationship Id=\"a\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
          "worksheet\" Target=\"/xl/hojas/s.xml\"/></Relationships>" },
        { "xl/hojas/s.xml", "<worksheet " NS "><sheetData><row><c t=\"s\"><v>1</v></c><c t=\"s\"><v>0</v></c>"
                            "</row></sheetData></worksheet>" },
        { "xl/texts/strings.xml", "<sst " NS "><si><t>b</t></si><si><t>a</t></si></sst>" },
    };
    write_zip(path, parts, 4);
    csv_table_t t;
    read_sheet(path, "survey", &t);
    assert_int_equal(t.nrows, 1);
    assert_int_equal(t.rows[0].line, 1);
    assert_string_equal(csv_cell(&t, 0, 0), "a");
    assert_string_equal(csv_cell(&t, 0, 1), "b");
    csv_table_free(&t);
    free(path);
}

/* One diagnostic line from loading path; returned for the caller to free. */
static char *load_one_error(const char *path)
{
    diag_t d = { 0 };
    form_t *f = form_load(path, &d);
    assert_null(f);
    for (size_t i = 0; i < d.n; i++) print_message("  %s\n", d.lines[i]);
    assert_int_equal(d.n, 1);
    char *line = xstrdup(d.lines[0]);
    diag_free(&d);
    return line;
}

static void assert_contains(const char *s, const char *part)
{
    if (!strstr(s, part)) fail_msg("\"%s\" does not contain \"%s\"", s, part);
}

static void test_not_a_zip_is_one_message(void **state)
{
    (void)state;
    char *path = tmp_path("csv-renamed.xlsx");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("type,name,label\ntext,a,A\n", f);
    fclose(f);
    char *e = load_one_error(path);
    assert_contains(e, "csv-renamed.xlsx:0: not an XLSX workbook (not a zip archive)");
    free(e);
    free(path);
}

static void test_zip_without_workbook_is_one_message(void **state)
{
    (void)state;
    char *path = tmp_path("docx.xlsx");
    part_t parts[] = { { "word/document.xml", "<document/>" } };
    write_zip(path, parts, 1);
    char *e = load_one_error(path);
    assert_contains(e, "docx.xlsx:0: not an XLSX workbook: it has no xl/workbook.xml");
    free(e);
    free(path);
}

/* A good workbook's bytes with one byte changed at offset at, or cut to
 * its first at bytes (truncate), written to a new file. */
static char *damaged_copy(const char *good, const char *name, long at, bool truncate)
{
    FILE *f = fopen(good, "rb");
    assert_non_null(f);
    static char bytes[1 << 16];
    size_t n = fread(bytes, 1, sizeof bytes, f);
    fclose(f);
    assert_true(at > 0 && (size_t)at < n);
    char *path = tmp_path(name);
    f = fopen(path, "wb");
    assert_non_null(f);
    if (truncate) {
        n = (size_t)at;
    } else {
        bytes[at] ^= 0x5A;
    }
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    fclose(f);
    return path;
}

static const char *const form_names[] = { "settings", "SURVEY", "Choices" };
static const char *const form_data[] = {
    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>form_id</t></is></c>"
    "<c r=\"B1\" t=\"inlineStr\"><is><t>version</t></is></c></row>"
    "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>libro</t></is></c><c r=\"B2\"><v>3</v></c></row>",
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c>"
    "<c r=\"D1\" t=\"s\"><v>3</v></c></row>"
    "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>4</v></c><c r=\"B2\" t=\"s\"><v>5</v></c><c r=\"C2\" t=\"s\"><v>6</v></c>"
    "<c r=\"D2\" t=\"b\"><v>1</v></c></row>"
    "<row r=\"4\"><c r=\"A4\" t=\"s\"><v>7</v></c><c r=\"B4\" t=\"s\"><v>8</v></c><c r=\"C4\" t=\"s\"><v>9</v></c></row>",
    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>list_name</t></is></c>"
    "<c r=\"B1\" t=\"inlineStr\"><is><t>name</t></is></c><c r=\"C1\" t=\"inlineStr\"><is><t>label</t></is></c></row>"
    "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>sn</t></is></c><c r=\"B2\"><v>1</v></c>"
    "<c r=\"C2\" t=\"inlineStr\"><is><t>Sí</t></is></c></row>"
    "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>sn</t></is></c><c r=\"B3\"><v>0</v></c>"
    "<c r=\"C3\" t=\"inlineStr\"><is><t>No</t></is></c></row>",
};
static const char *const form_sst =
    "<si><t>type</t></si><si><t>name</t></si><si><t>label</t></si><si><t>required</t></si>"
    "<si><t>text</t></si><si><t>nombre</t></si><si><r><t>Su </t></r><r><t>nombre</t></r></si>"
    "<si><t>select_one sn</t></si><si><t>acepta</t></si><si><t>¿Acepta?</t></si>";

static void test_form_from_workbook_sheets_in_any_order(void **state)
{
    (void)state;
    char *path = tmp_path("libro.xlsx");
    write_book(path, form_names, form_data, 3, form_sst);
    diag_t d = { 0 };
    form_t *f = form_load(path, &d);
    for (size_t i = 0; i < d.n; i++) print_message("  %s\n", d.lines[i]);
    assert_int_equal(d.n, 0);
    assert_non_null(f);
    assert_string_equal(f->id, "libro");
    assert_string_equal(f->version, "3");
    assert_int_equal(f->nq, 2);
    assert_string_equal(f->q[0].name, "nombre");
    assert_int_equal(f->q[0].row, 2);
    assert_true(f->q[0].required);   /* a boolean TRUE cell */
    assert_string_equal(form_text(f, &f->q[0].label, 0), "Su nombre");
    assert_string_equal(f->q[1].name, "acepta");
    assert_int_equal(f->q[1].row, 4);
    assert_int_equal(f->q[1].type, Q_SELECT_ONE);
    assert_int_equal(f->q[1].list->nchoices, 2);
    assert_string_equal(f->q[1].list->choices[0].name, "1");   /* a number cell, as Excel shows it */
    assert_string_equal(form_text(f, &f->q[1].list->choices[0].label, 0), "Sí");
    /* The same cells packed again give the same definition. */
    char *again = tmp_path("libro2.xlsx");
    write_book(again, form_names, form_data, 3, form_sst);
    diag_t d2 = { 0 };
    form_t *g = form_load(again, &d2);
    assert_non_null(g);
    assert_string_equal(f->hash, g->hash);
    form_free(g);
    form_free(f);
    free(again);
    free(path);
}

static void test_missing_choices_sheet_names_sheet_and_row(void **state)
{
    (void)state;
    char *path = tmp_path("sinlistas.xlsx");
    write_book(path, form_names, form_data, 2, form_sst);   /* settings and survey only */
    char *e = load_one_error(path);
    assert_contains(e, "sinlistas.xlsx:SURVEY:4: list \"sn\" not found: the workbook has no choices sheet");
    free(e);
    free(path);
}

static void test_problem_in_a_sheet_is_sheet_and_row(void **state)
{
    (void)state;
    char *path = tmp_path("tipo.xlsx");
    const char *names[] = { "survey" };
    const char *data[] = {
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>type</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>name</t></is></c>"
        "<c r=\"C1\" t=\"inlineStr\"><is><t>label</t></is></c></row>"
        "<row r=\"12\"><c r=\"A12\" t=\"inlineStr\"><is><t>xyz</t></is></c><c r=\"B12\" t=\"inlineStr\"><is><t>b</t></is></c>"
        "<c r=\"C12\" t=\"inlineStr\"><is><t>B</t></is></c></row>",
    };
    write_book(path, names, data, 1, NULL);
    char *e = load_one_error(path);
    assert_contains(e, "tipo.xlsx:survey:12: ");
    free(e);
    free(path);
}

static void test_damaged_zip_is_one_message(void **state)
{
    (void)state;
    char *good = tmp_path("good.xlsx");
    write_book(good, form_names, form_data, 3, form_sst);
    struct stat st;
    assert_int_equal(stat(good, &st), 0);
    /* cut in half: no central directory */
    char *cut = damaged_copy(good, "cut.xlsx", (long)st.st_size / 2, true);
    char *e = load_one_error(cut);
    assert_contains(e, "cut.xlsx:0: not an XLSX workbook");
    free(e);
    /* a byte of the first entry's compressed data changed: CRC or inflate */
    char *flip = damaged_copy(good, "flip.xlsx", 60, false);
    e = load_one_error(flip);
    assert_contains(e, "flip.xlsx");
    assert_true(strstr(e, "damaged") || strstr(e, "not a valid"));
    free(e);
    free(flip);
    free(cut);
    free(good);
}

static void test_dtd_is_refused(void **state)
{
    (void)state;
    char *path = tmp_path("dtd.xlsx");
    part_t parts[] = {
        { "xl/workbook.xml", "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\">"
                             "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><workbook>&b;</workbook>" },
    };
    write_zip(path, parts, 1);
    char *e = load_one_error(path);
    assert_contains(e, "XML with a DTD is not accepted");
    free(e);
    free(path);
}

/* Excel writes formatted empty rows far down (a real pyxform example's
 * sheet reaches row 1,048,567): rows without text are not counted. */
static void test_far_empty_rows_are_no_size_problem(void **state)
{
    (void)state;
    const char *names[] = { "survey" };
    char *path = tmp_path("far.xlsx");
    const char *far[] = { "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>type</t></is></c></row>"
                          "<row r=\"1048567\"><c r=\"A1048567\" s=\"1\"/></row>" };
    write_book(path, names, far, 1, NULL);
    csv_table_t t;
    read_sheet(path, "survey", &t);
    assert_int_equal(t.nrows, 1);
    csv_table_free(&t);
    free(path);
}

/* One big shared string that every cell names (found in review: 10 KB
 * zipped held an 8 MB string named by 500 cells, and each cell copied
 * it): the copies count against the 64 MB cap, so reading stops. */
static void test_copies_of_a_shared_string_count_against_the_cap(void **state)
{
    (void)state;
    const char *names[] = { "survey" };
    buf_t sst, rows;
    buf_init(&sst);
    buf_init(&rows);
    buf_puts(&sst, "<si><t>");
    for (int i = 0; i < (1 << 20); i++) buf_putc(&sst, 'a');          /* 1 MB */
    buf_puts(&sst, "</t></si>");
    for (int r = 1; r <= 70; r++) buf_printf(&rows, "<row r=\"%d\"><c r=\"A%d\" t=\"s\"><v>0</v></c></row>", r, r);
    char *path = tmp_path("bomb.xlsx");
    const char *data[] = { rows.data };
    write_book(path, names, data, 1, sst.data);
    buf_free(&sst);
    buf_free(&rows);
    char err[256] = "";
    xlsx_book_t *b = xlsx_open(path, err, sizeof err);
    if (!b) fail_msg("%s", err);
    csv_table_t t;
    assert_int_not_equal(xlsx_sheet_read(b, (size_t)xlsx_sheet_find(b, "survey"), &t, err, sizeof err), 0);
    assert_non_null(strstr(err, "more than 64 MB of text"));
    xlsx_close(b);
    free(path);
}

static void test_absurd_sizes_are_refused(void **state)
{
    (void)state;
    const char *names[] = { "survey" };
    /* more rows with text than the cap */
    char *path = tmp_path("rows.xlsx");
    buf_t many;
    buf_init(&many);
    for (int r = 1; r <= 50001; r++) buf_printf(&many, "<row r=\"%d\"><c r=\"A%d\"><v>1</v></c></row>", r, r);
    const char *lots[] = { many.data };
    write_book(path, names, lots, 1, NULL);
    buf_free(&many);
    char *e = load_one_error(path);
    assert_contains(e, "rows.xlsx:survey:50001: sheet too large: more than 50000 rows");
    free(e);
    free(path);
    /* cells in column XFD on every row: 16384 cells a row, over the cap */
    buf_t b;
    buf_init(&b);
    for (int r = 1; r <= 70; r++) buf_printf(&b, "<row r=\"%d\"><c r=\"XFD%d\"><v>1</v></c></row>", r, r);
    path = tmp_path("cells.xlsx");
    const char *wide[] = { b.data };
    write_book(path, names, wide, 1, NULL);
    e = load_one_error(path);
    assert_contains(e, "more than 1000000 cells");
    free(e);
    free(path);
    buf_free(&b);
    /* beyond column XFD */
    path = tmp_path("col.xlsx");
    const char *xfe[] = { "<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>" };
    write_book(path, names, xfe, 1, NULL);
    e = load_one_error(path);
    assert_contains(e, "invalid cell reference \"XFE1\"");
    free(e);
    free(path);
    /* a zip bomb: 40 MB of blanks compress to a few kilobytes */
    size_t big = 40u << 20;
    char *blank = xmalloc(big + 1);
    memset(blank, ' ', big);
    blank[big] = '\0';
    path = tmp_path("bomb.xlsx");
    const char *bomb[] = { blank };
    write_book(path, names, bomb, 1, NULL);
    free(blank);
    e = load_one_error(path);
    assert_contains(e, "workbook too large");
    free(e);
    free(path);
}

/* ---- forms folders ---------------------------------------------------------- */

static char *fixture(const char *rel)
{
    const char *root = getenv("BUZON_ROOT");
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "%s/%s", root ? root : ".", rel);
    return buf_steal(&b);
}

static void assert_same_text(const form_t *a, const text_t *x, const form_t *b, const text_t *y)
{
    for (int i = 0; i < a->nlangs; i++) assert_string_equal(form_text(a, x, i), form_text(b, y, i));
}

static void test_real_workbook_loads_like_the_csv_folder(void **state)
{
    (void)state;
    char *csv = fixture("forms/satisfaccion");
    char *book = fixture("tests/fixtures/forms-xlsx/satisfaccion.xlsx");
    diag_t d = { 0 };
    form_t *a = form_load(csv, &d);
    form_t *b = form_load(book, &d);
    for (size_t i = 0; i < d.n; i++) print_message("  %s\n", d.lines[i]);
    assert_int_equal(d.n, 0);
    assert_string_equal(a->id, b->id);
    assert_string_equal(a->version, b->version);
    assert_int_equal(a->nlangs, b->nlangs);
    for (int i = 0; i < a->nlangs; i++) assert_string_equal(a->lang_code[i], b->lang_code[i]);
    assert_same_text(a, &a->title, b, &b->title);
    assert_int_equal(a->nq, b->nq);
    for (size_t i = 0; i < a->nq; i++) {
        const question_t *p = &a->q[i], *q = &b->q[i];
        assert_string_equal(p->name, q->name);
        assert_int_equal(p->type, q->type);
        assert_int_equal(p->row, q->row);
        assert_int_equal(p->parent, q->parent);
        assert_int_equal(p->required, q->required);
        assert_int_equal(p->appearance, q->appearance);
        assert_same_text(a, &p->label, b, &q->label);
        assert_same_text(a, &p->hint, b, &q->hint);
        assert_string_equal(p->relevant_src ? p->relevant_src : "", q->relevant_src ? q->relevant_src : "");
        assert_string_equal(p->constraint_src ? p->constraint_src : "", q->constraint_src ? q->constraint_src : "");
        assert_int_equal(p->list == NULL, q->list == NULL);
        if (!p->list) continue;
        assert_string_equal(p->list->name, q->list->name);
        assert_int_equal(p->list->nchoices, q->list->nchoices);
        for (size_t k = 0; k < p->list->nchoices; k++) {
            assert_string_equal(p->list->choices[k].name, q->list->choices[k].name);
            assert_same_text(a, &p->list->choices[k].label, b, &q->list->choices[k].label);
        }
    }
    form_free(a);
    form_free(b);
    free(csv);
    free(book);
}

static void test_cli_check_reads_the_workbook(void **state)
{
    (void)state;
    char *dir = fixture("tests/fixtures/forms-xlsx");
    char *argv[] = { "forms", "check", dir, NULL };
    buf_t out, err;
    assert_int_equal(testform_run(cli_forms, argv, 3, &out, &err), 0);
    assert_string_equal(out.data, "ok satisfaccion v2024.1 (28 questions, es ht)\n");
    assert_string_equal(err.data, "");
    buf_free(&out);
    buf_free(&err);
    free(dir);
}

static void write_text(const char *path, const char *s)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(s, f);
    fclose(f);
}

/* A folder holding one workbook is that form (named after the folder);
 * a folder with survey.csv is read from the CSV even beside a workbook;
 * two workbooks in one folder are refused. */
static void test_folders_with_workbooks(void **state)
{
    (void)state;
    char *root = tmp_path("forms");
    assert_int_equal(mkdir(root, 0700), 0);
    buf_t p;
    buf_init(&p);
    buf_printf(&p, "%s/carpeta", root);
    assert_int_equal(mkdir(p.data, 0700), 0);
    buf_printf(&p, "/Formulario.xlsx");
    write_book(p.data, form_names + 1, form_data + 1, 2, form_sst);   /* no settings: id from the folder */
    buf_reset(&p);
    buf_printf(&p, "%s/csv", root);
    assert_int_equal(mkdir(p.data, 0700), 0);
    buf_printf(&p, "/survey.csv");
    write_text(p.data, "type,name,label\ntext,a,A\n");
    buf_reset(&p);
    buf_printf(&p, "%s/csv/broken.xlsx", root);
    write_text(p.data, "not a workbook");   /* ignored: the CSV wins */
    buf_reset(&p);
    buf_printf(&p, "%s/~$lock.xlsx", root);   /* Excel's lock file: not a form */
    write_text(p.data, "x");
    buf_reset(&p);
    form_t **forms;
    diag_t d = { 0 };
    size_t n = form_load_all(root, &forms, &d);
    for (size_t i = 0; i < d.n; i++) print_message("  %s\n", d.lines[i]);
    assert_int_equal(d.n, 0);
    assert_int_equal(n, 2);
    assert_string_equal(forms[0]->id, "carpeta");
    assert_int_equal(forms[0]->nq, 2);
    assert_string_equal(forms[1]->id, "csv");
    form_free_all(forms, n);

    buf_printf(&p, "%s/carpeta/otro.xlsx", root);
    write_book(p.data, form_names, form_data, 3, form_sst);
    n = form_load_all(root, &forms, &d);
    assert_int_equal(n, 1);
    assert_int_equal(d.n, 1);
    assert_contains(d.lines[0], "carpeta:0: the folder holds more than one .xlsx workbook");
    form_free_all(forms, n);
    diag_free(&d);
    buf_free(&p);
    free(root);
}

/* ---- fixture ---------------------------------------------------------------- */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static int group_setup(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/buzon-xlsx-test-XXXXXX";
    if (!mkdtemp(tmpl)) return -1;
    tmp_root = xstrdup(tmpl);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    int rc = nftw(tmp_root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(tmp_root);
    return rc;
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells_as_excel_shows_them),
        cmocka_unit_test(test_parts_found_through_relationships),
        cmocka_unit_test(test_not_a_zip_is_one_message),
        cmocka_unit_test(test_zip_without_workbook_is_one_message),
        cmocka_unit_test(test_form_from_workbook_sheets_in_any_order),
        cmocka_unit_test(test_missing_choices_sheet_names_sheet_and_row),
        cmocka_unit_test(test_problem_in_a_sheet_is_sheet_and_row),
        cmocka_unit_test(test_damaged_zip_is_one_message),
        cmocka_unit_test(test_dtd_is_refused),
        cmocka_unit_test(test_absurd_sizes_are_refused),
        cmocka_unit_test(test_far_empty_rows_are_no_size_problem),
        cmocka_unit_test(test_copies_of_a_shared_string_count_against_the_cap),
        cmocka_unit_test(test_real_workbook_loads_like_the_csv_folder),
        cmocka_unit_test(test_cli_check_reads_the_workbook),
        cmocka_unit_test(test_folders_with_workbooks),
    };
    return cmocka_run_group_tests_name("xlsx", tests, group_setup, group_teardown);
}
