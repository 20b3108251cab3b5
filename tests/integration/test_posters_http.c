/*
 * test_posters_http.c: short links and posters over real HTTP. What a QR
 * code on a poster served by /carteles encodes must, followed on the same
 * server, land on the right survey and point.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imgcheck.h"
#include "model/shortcode.h"
#include "staffsrv.h"
#include "testsrv.h"

static testsrv_t srv;
static char base[64];
static char staff[128];   /* the posters page is for staff: a session cookie */

static int setup(void **state)
{
    (void)state;
    /* The server runs on a port only known after start; posters must carry
     * the public address, so give a fixed base URL. */
    static const char *const extra[] = { "--base-url", "http://buzon.test", NULL };
    snprintf(base, sizeof base, "http://buzon.test");
    if (testsrv_start(&srv, NULL, extra) != 0) return -1;
    return staffsrv_session(&srv, "carteles", "lectura", staff, sizeof staff);
}

static int teardown(void **state)
{
    (void)state;
    return testsrv_stop(&srv) == 0 ? 0 : -1;
}

static void follow_code(const char *code, const char *want_location)
{
    char path[64];
    snprintf(path, sizeof path, "/q/%s", code);
    http_resp_t r;
    assert_int_equal(http_get(srv.port, path, NULL, &r), 0);
    assert_int_equal(r.status, 302);
    char *loc = http_header(&r, "Location");
    assert_string_equal(loc, want_location);
    free(loc);
    http_resp_free(&r);
}

static void test_short_link_redirects_to_survey_and_point(void **state)
{
    (void)state;
    char code[SHORTCODE_LEN + 1];
    shortcode_make("satisfaccion", "mercado-municipal", code);
    follow_code(code, "/e/satisfaccion?p=mercado-municipal");
    shortcode_make("agilidad", NULL, code);
    follow_code(code, "/e/agilidad");
}

static void test_short_link_is_case_insensitive(void **state)
{
    (void)state;
    char code[SHORTCODE_LEN + 1];
    shortcode_make("accesibilidad", "matadero-municipal", code);
    for (char *p = code; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    follow_code(code, "/e/accesibilidad?p=matadero-municipal");
}

static void test_unknown_code_is_a_helpful_404(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(http_get(srv.port, "/q/ZZZZZZ?lang=ht", NULL, &r), 0);
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(r.body, "href=\"/e/satisfaccion"));    /* lists the surveys */
    assert_non_null(strstr(r.body, "Nou pa jwenn paj la"));
    http_resp_free(&r);
}

static void test_posters_page_links_every_point(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(http_get(srv.port, "/carteles", staff, &r), 0);
    assert_int_equal(r.status, 200);
    char code[SHORTCODE_LEN + 1], link[128];
    shortcode_make("satisfaccion", "cementerio-municipal", code);
    snprintf(link, sizeof link, "%s/q/%s", base, code);
    assert_non_null(strstr(r.body, link));
    assert_non_null(strstr(r.body, "/carteles/satisfaccion.svg?p=cementerio-municipal"));
    assert_non_null(strstr(r.body, "/carteles/satisfaccion.png?p=cementerio-municipal"));
    /* issue 17: the paper questionnaire in each language */
    assert_non_null(strstr(r.body, "/carteles/satisfaccion.pdf?p=cementerio-municipal&amp;lang=ht"));
    http_resp_free(&r);
}

/* Fetch a poster, rasterise it if it is SVG, decode its QR code. */
static char *decode_served(const char *path, bool svg, int width)
{
    http_resp_t r;
    assert_int_equal(http_get(srv.port, path, staff, &r), 0);
    assert_int_equal(r.status, 200);
    char *ct = http_header(&r, "Content-Type");
    assert_string_equal(ct, svg ? "image/svg+xml" : "image/png");
    free(ct);
    char *dir = ic_tmpdir();
    char *file = ic_write(dir, svg ? "p.svg" : "p.png", r.body, r.body_len);
    http_resp_free(&r);
    char *png = file;
    if (svg) {
        png = ic_write(dir, "p.png", "", 0);
        assert_int_equal(ic_run("rsvg-convert -w %d -b white -o '%s' '%s'", width, png, file), 0);
    }
    char *text = ic_zbar(png);
    if (png != file) free(png);
    free(file);
    ic_rmdir(dir);
    free(dir);
    return text;
}

static void test_served_posters_decode_to_their_link(void **state)
{
    (void)state;
    char code[SHORTCODE_LEN + 1], want[128];
    shortcode_make("satisfaccion", "recoleccion-camion-1", code);
    snprintf(want, sizeof want, "%s/q/%s", base, code);
    static const struct { const char *path; bool svg; int w; } cases[] = {
        { "/carteles/satisfaccion.svg?p=recoleccion-camion-1", true, 600 },
        { "/carteles/satisfaccion.svg?p=recoleccion-camion-1&tam=media", true, 300 },
        { "/carteles/satisfaccion.png?p=recoleccion-camion-1", false, 0 },
        { "/carteles/satisfaccion.svg?p=recoleccion-camion-1&qr=1", true, 200 },
        { "/carteles/satisfaccion.png?p=recoleccion-camion-1&qr=1", false, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *text = decode_served(cases[i].path, cases[i].svg, cases[i].w);
        assert_non_null(text);
        assert_string_equal(text, want);
        free(text);
    }
    /* and the link it encodes lands on the right survey and point */
    follow_code(code, "/e/satisfaccion?p=recoleccion-camion-1");
}

static void test_poster_of_unknown_form_or_point_is_404(void **state)
{
    (void)state;
    static const char *const paths[] = { "/carteles/nada.svg", "/carteles/satisfaccion.svg?p=nada",
                                         "/carteles/satisfaccion.gif", "/carteles/nada.pdf?lang=ht" };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        http_resp_t r;
        assert_int_equal(http_get(srv.port, paths[i], staff, &r), 0);
        assert_int_equal(r.status, 404);
        http_resp_free(&r);
    }
}

/* issue 17: the paper questionnaire, for staff only, as a PDF of A4
 * pages in the language asked for. */
static void test_served_paper_pdf(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(http_get(srv.port, "/carteles/satisfaccion.pdf?p=mercado-municipal&lang=ht", staff, &r), 0);
    assert_int_equal(r.status, 200);
    char *ct = http_header(&r, "Content-Type");
    assert_string_equal(ct, "application/pdf");
    free(ct);
    char *cd = http_header(&r, "Content-Disposition");
    assert_non_null(strstr(cd, "cuestionario-satisfaccion-mercado-municipal-ht.pdf"));
    free(cd);
    assert_true(r.body_len > 1000);
    assert_memory_equal(r.body, "%PDF-", 5);
    char *dir = ic_tmpdir();
    char *file = ic_write(dir, "q.pdf", r.body, r.body_len);
    assert_int_equal(ic_run("pdfinfo '%s' | grep -q 'A4'", file), 0);
    free(file);
    ic_rmdir(dir);
    free(dir);
    http_resp_free(&r);
    /* Not for the public. */
    assert_int_equal(http_get(srv.port, "/carteles/satisfaccion.pdf?p=mercado-municipal", NULL, &r), 0);
    assert_true(r.status == 303 || r.status == 302 || r.status == 401 || r.status == 403);
    http_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_link_redirects_to_survey_and_point),
        cmocka_unit_test(test_short_link_is_case_insensitive),
        cmocka_unit_test(test_unknown_code_is_a_helpful_404),
        cmocka_unit_test(test_posters_page_links_every_point),
        cmocka_unit_test(test_served_posters_decode_to_their_link),
        cmocka_unit_test(test_poster_of_unknown_form_or_point_is_404),
        cmocka_unit_test(test_served_paper_pdf),
    };
    return cmocka_run_group_tests_name("posters_http", tests, setup, teardown);
}
