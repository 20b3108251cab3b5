/*
 * test_paper_cli.c: `buzon paper` as staff run it ($BUZON_BIN, the forms
 * folder of $BUZON_ROOT): the satisfaction survey at the market in Kreyòl
 * as a PDF (it starts with %PDF, and pdfinfo counts its A4 pages), the same
 * as SVG pages whose first one, rasterised with rsvg-convert, holds a QR
 * code that zbarimg reads back as the point's short link; an unknown form
 * or point is named with a message and exit status 1.
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
#include "imgcheck.h"
#include "testform.h"

#define BASE "http://buzon.test"

static char *dir;

static const char *bin(void)
{
    const char *b = getenv("BUZON_BIN");
    return b ? b : "build/buzon";
}

static int setup(void **state)
{
    (void)state;
    const char *root = getenv("BUZON_ROOT");
    if (root && chdir(root) != 0) return -1;
    dir = ic_tmpdir();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ic_rmdir(dir);
    free(dir);
    return 0;
}

/* The whole output of a shell command (caller frees), its status in *rc. */
static char *run(int *rc, const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    buf_t b;
    buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) buf_append(&b, chunk, n);
    buf_putc(&b, '\0');
    int st = pclose(p);
    *rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return buf_steal(&b);
}

static void test_pdf_in_kreyol(void **state)
{
    (void)state;
    int rc;
    buf_t cmd;
    buf_init(&cmd);
    buf_printf(&cmd, "'%s' paper satisfaccion --point mercado-municipal --lang ht -o '%s/x.pdf' "
                     "--base-url " BASE " 2>&1", bin(), dir);
    char *out = run(&rc, cmd.data);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "satisfaccion-2024.1-mercado-municipal-ht"));
    free(out);
    buf_reset(&cmd);
    buf_printf(&cmd, "%s/x.pdf", dir);
    size_t len;
    char *pdf = testform_slurp(cmd.data, &len);
    assert_true(len > 1000);
    assert_memory_equal(pdf, "%PDF-", 5);
    free(pdf);
    buf_reset(&cmd);
    buf_printf(&cmd, "pdfinfo '%s/x.pdf'", dir);
    out = run(&rc, cmd.data);
    assert_int_equal(rc, 0);
    const char *pages = strstr(out, "Pages:");
    assert_non_null(pages);
    int n = atoi(pages + 6);
    assert_true(n >= 2 && n <= 8);
    assert_non_null(strstr(out, "595.276 x 841.89 pts (A4)"));
    free(out);
    buf_free(&cmd);
}

static void test_svg_qr_decodes(void **state)
{
    (void)state;
    int rc;
    buf_t cmd;
    buf_init(&cmd);
    buf_printf(&cmd, "'%s' paper satisfaccion --point mercado-municipal --lang ht -o '%s/x.svg' "
                     "--base-url " BASE " 2>&1", bin(), dir);
    char *out = run(&rc, cmd.data);
    assert_int_equal(rc, 0);
    free(out);
    buf_reset(&cmd);
    buf_printf(&cmd, "%s/x.svg", dir);
    size_t len;
    char *svg = testform_slurp(cmd.data, &len);
    assert_non_null(strstr(svg, "Mache Minisipal Bánica"));   /* the point, in Kreyòl */
    assert_non_null(strstr(svg, "Paj 1 sou"));
    free(svg);
    assert_int_equal(ic_run("rsvg-convert -w 1000 -o '%s/p1.png' '%s/x.svg'", dir, dir), 0);
    buf_reset(&cmd);
    buf_printf(&cmd, "%s/p1.png", dir);
    char *text = ic_zbar(cmd.data);
    assert_non_null(text);
    /* The same link `buzon poster` prints for this form and point. */
    buf_reset(&cmd);
    buf_printf(&cmd, "'%s' poster satisfaccion --point mercado-municipal --base-url " BASE
                     " -o '%s/c.svg' 2>/dev/null", bin(), dir);
    out = run(&rc, cmd.data);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, text));
    assert_true(strncmp(text, BASE "/q/", strlen(BASE "/q/")) == 0);
    free(out);
    free(text);
    buf_free(&cmd);
}

static void test_unknown_form_or_point(void **state)
{
    (void)state;
    int rc;
    buf_t cmd;
    buf_init(&cmd);
    buf_printf(&cmd, "'%s' paper nosuch -o '%s/y.pdf' 2>&1", bin(), dir);
    char *out = run(&rc, cmd.data);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "unknown form 'nosuch'"));
    assert_non_null(strstr(out, "satisfaccion"));   /* the known ones */
    free(out);
    buf_reset(&cmd);
    buf_printf(&cmd, "'%s' paper satisfaccion --point nosuch -o '%s/y.pdf' 2>&1", bin(), dir);
    out = run(&rc, cmd.data);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "unknown point 'nosuch'"));
    free(out);
    buf_reset(&cmd);
    buf_printf(&cmd, "'%s' paper satisfaccion --lang fr 2>&1", bin());
    out = run(&rc, cmd.data);
    assert_int_equal(rc, 2);
    free(out);
    assert_int_equal(access("y.pdf", F_OK) == 0 ? 1 : 0, 0);
    buf_free(&cmd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pdf_in_kreyol),
        cmocka_unit_test(test_svg_qr_decodes),
        cmocka_unit_test(test_unknown_form_or_point),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
