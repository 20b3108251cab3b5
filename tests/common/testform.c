/*
 * testform.c: see testform.h.
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
#include <unistd.h>
#include <xlsxwriter.h>

#include "base/csvread.h"
#include "base/diag.h"
#include "base/urlenc.h"
#include "testform.h"

void testform_write_file(const char *dir, const char *name, const char *content)
{
    buf_t path;
    buf_init(&path);
    buf_printf(&path, "%s/%s", dir, name);
    FILE *f = fopen(path.data, "wb");
    assert_non_null(f);
    assert_true(fputs(content, f) >= 0);
    assert_int_equal(fclose(f), 0);
    buf_free(&path);
}

char *testform_write(const char *root, const char *sub, const char *survey, const char *choices,
                     const char *settings)
{
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "%s/%s", root, sub);
    char *path = buf_steal(&b);
    assert_int_equal(mkdir(path, 0700), 0);
    if (survey) testform_write_file(path, "survey.csv", survey);
    if (choices) testform_write_file(path, "choices.csv", choices);
    if (settings) testform_write_file(path, "settings.csv", settings);
    return path;
}

form_t *testform_load_ok(const char *root, const char *sub, const char *survey, const char *choices,
                         const char *settings)
{
    char *dir = testform_write(root, sub, survey, choices, settings);
    diag_t d = { 0 };
    form_t *f = form_load(dir, &d);
    for (size_t i = 0; i < d.n; i++) print_error("%s\n", d.lines[i]);
    assert_int_equal(d.n, 0);
    assert_non_null(f);
    diag_free(&d);
    free(dir);
    return f;
}

char *testform_load_bad(const char *root, const char *sub, const char *survey, const char *choices,
                        const char *settings)
{
    char *dir = testform_write(root, sub, survey, choices, settings);
    diag_t d = { 0 };
    assert_null(form_load(dir, &d));
    buf_t got;
    buf_init(&got);
    size_t skip = strlen(dir) + 1;
    for (size_t i = 0; i < d.n; i++) buf_printf(&got, "%s%s", i ? "\n" : "", d.lines[i] + skip);
    diag_free(&d);
    free(dir);
    return got.data ? buf_steal(&got) : xstrdup("");
}

char *testform_notes(const form_t *f)
{
    buf_t b;
    buf_init(&b);
    for (size_t i = 0; i < f->nnotes; i++) {
        const char *slash = strrchr(f->notes[i], '/');
        buf_printf(&b, "%s%s", i ? "\n" : "", slash ? slash + 1 : f->notes[i]);
    }
    return b.data ? buf_steal(&b) : xstrdup("");
}

const question_t *testform_q(const form_t *f, const char *name)
{
    const question_t *q = form_question(f, name);
    if (!q) fail_msg("no question %s", name);
    return q;
}

size_t testform_post(answers_t *a, const form_t *f, const char *body)
{
    kvlist_t kv = { 0 };
    assert_int_equal(urlenc_parse(body, strlen(body), 100, 1000, &kv), URLENC_OK);
    answers_init(a, f);
    answers_from_post(a, &kv);
    kvlist_free(&kv);
    return answers_validate(a);
}

const char *testform_val(const answers_t *a, const char *name)
{
    const question_t *q = testform_q(a->form, name);
    return a->val[q - a->form->q];
}

int testform_run(int (*cmd)(int argc, char **argv), char **argv, int argc, buf_t *out, buf_t *err)
{
    FILE *fo = tmpfile(), *fe = tmpfile();
    assert_non_null(fo);
    assert_non_null(fe);
    fflush(stdout);
    fflush(stderr);
    int so = dup(1), se = dup(2);
    dup2(fileno(fo), 1);
    dup2(fileno(fe), 2);
    int rc = cmd(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(so, 1);
    dup2(se, 2);
    close(so);
    close(se);
    FILE *fs[2] = { fo, fe };
    buf_t *bs[2] = { out, err };
    for (int i = 0; i < 2; i++) {
        buf_init(bs[i]);
        rewind(fs[i]);
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, fs[i])) > 0) buf_append(bs[i], chunk, n);
        buf_puts(bs[i], "");
        fclose(fs[i]);
    }
    return rc;
}

/* One sheet named name from CSV text. */
static void xlsx_sheet(lxw_workbook *wb, const char *name, const char *csv)
{
    if (!csv) return;
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    assert_non_null(ws);
    csv_table_t t;
    char err[256];
    assert_int_equal(csv_parse_bytes(csv, strlen(csv), &t, err, sizeof err), 0);
    for (size_t r = 0; r < t.nrows; r++)
        for (size_t c = 0; c < t.rows[r].ncells; c++)
            if (*t.rows[r].cells[c])
                worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, t.rows[r].cells[c], NULL);
    csv_table_free(&t);
}

void testform_write_xlsx(const char *path, const char *survey, const char *choices, const char *settings)
{
    lxw_workbook *wb = workbook_new(path);
    assert_non_null(wb);
    xlsx_sheet(wb, "survey", survey);
    xlsx_sheet(wb, "choices", choices);
    xlsx_sheet(wb, "settings", settings);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

char *testform_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    buf_t b;
    buf_init(&b);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return buf_steal(&b);
}
