/*
 * test_qr.c: QR symbols read back by a real decoder (zbarimg) from the PNG
 * and from the SVG rasterised by rsvg-convert, at comfortable and at low
 * resolution; case is kept; the version stays small for a typical link;
 * the error-correction option reaches the symbol.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/qr.h"
#include "imgcheck.h"

#define LINK "http://localhost:8080/q/64E32M"

static int setup(void **state)
{
    *state = ic_tmpdir();
    return 0;
}

static int teardown(void **state)
{
    ic_rmdir(*state);
    free(*state);
    return 0;
}

static qr_t encode(const char *text, qr_ec_t ec)
{
    qr_t q;
    if (qr_encode(text, ec, &q) != 0) fail_msg("qr_encode failed for %s", text);
    return q;
}

/* Render q as a PNG at scale, write it to dir/name, decode it. */
static char *png_roundtrip(const char *dir, const char *name, const qr_t *q, int scale)
{
    buf_t b;
    buf_init(&b);
    assert_int_equal(qr_png(&b, q, scale), 0);
    char *path = ic_write(dir, name, b.data, b.len);
    char *text = ic_zbar(path);
    free(path);
    buf_free(&b);
    return text;
}

static void test_png_decodes_to_exact_link(void **state)
{
    qr_t q = encode(LINK, QR_EC_M);
    char *text = png_roundtrip(*state, "qr.png", &q, 8);
    assert_non_null(text);
    assert_string_equal(text, LINK);
    free(text);
    qr_free(&q);
}

static void test_png_at_two_pixels_per_module_decodes(void **state)
{
    qr_t q = encode(LINK, QR_EC_M);
    char *text = png_roundtrip(*state, "small.png", &q, 2);
    assert_non_null(text);
    assert_string_equal(text, LINK);
    free(text);
    qr_free(&q);
}

static void test_png_has_quiet_zone_and_scale(void **state)
{
    qr_t q = encode(LINK, QR_EC_M);
    buf_t b;
    buf_init(&b);
    assert_int_equal(qr_png(&b, &q, 3), 0);
    /* PNG IHDR: width and height are big-endian at bytes 16..23. */
    const unsigned char *p = (const unsigned char *)b.data;
    uint32_t w = (uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 | (uint32_t)p[18] << 8 | p[19];
    assert_int_equal(w, (uint32_t)(q.width + 2 * QR_QUIET) * 3);
    assert_int_equal(p[24], 1);   /* bit depth */
    buf_free(&b);
    qr_free(&q);
    (void)state;
}

static void test_svg_rasterised_decodes_to_exact_link(void **state)
{
    const char *dir = *state;
    qr_t q = encode(LINK, QR_EC_M);
    buf_t b;
    buf_init(&b);
    qr_svg(&b, &q);
    free(ic_write(dir, "qr.svg", b.data, b.len));
    assert_int_equal(ic_run("rsvg-convert -w 120 -o '%s/qr-svg.png' '%s/qr.svg'", dir, dir), 0);
    buf_reset(&b);
    buf_printf(&b, "%s/qr-svg.png", dir);
    char *text = ic_zbar(b.data);
    assert_non_null(text);
    assert_string_equal(text, LINK);
    free(text);
    buf_free(&b);
    qr_free(&q);
}

static void test_mixed_case_is_kept(void **state)
{
    const char *mixed = "https://Buzon.Example.org/q/Ab3xYz";
    qr_t q = encode(mixed, QR_EC_M);
    char *text = png_roundtrip(*state, "case.png", &q, 6);
    assert_non_null(text);
    assert_string_equal(text, mixed);
    free(text);
    qr_free(&q);
}

static void test_typical_link_fits_version_3(void **state)
{
    (void)state;
    qr_t q = encode("https://buzon.banica.gob.do/q/64E32M", QR_EC_M);
    assert_true(q.version <= QR_VERSION_WARN);
    assert_int_equal(q.width, 17 + 4 * q.version);
    qr_free(&q);
}

static void test_long_base_url_needs_larger_version(void **state)
{
    (void)state;
    qr_t q = encode("https://encuestas.ayuntamiento-municipal-de-banica.gob.do/q/64E32M", QR_EC_M);
    assert_true(q.version > QR_VERSION_WARN);
    qr_free(&q);
}

static void test_empty_text_is_refused(void **state)
{
    (void)state;
    qr_t q;
    assert_int_equal(qr_encode("", QR_EC_M, &q), -1);
}

/* The two error-correction bits of the format information next to the
 * top-left finder (ISO/IEC 18004 7.9): bits 14..9 sit on row 8, columns
 * 0..5 (MSB first); the fixed mask 101010000010010 is removed, and the two
 * top bits are the level: 00 = M, 11 = Q. */
static int ec_bits(const qr_t *q)
{
    int b14 = q->dark[8 * q->width + 0], b13 = q->dark[8 * q->width + 1];
    return (b14 ^ 1) << 1 | b13;   /* mask bits 14, 13 are 1, 0 */
}

static void test_ec_level_reaches_the_symbol(void **state)
{
    (void)state;
    qr_t m = encode(LINK, QR_EC_M), q = encode(LINK, QR_EC_Q);
    assert_int_equal(ec_bits(&m), 0);
    assert_int_equal(ec_bits(&q), 3);
    qr_free(&m);
    qr_free(&q);
}

static void test_svg_path_draws_runs_after_quiet_zone(void **state)
{
    (void)state;
    qr_t q = encode(LINK, QR_EC_M);
    buf_t b;
    buf_init(&b);
    qr_svg_path(&b, &q);
    /* The top-left finder's first row is a run of 7 dark modules. */
    char want[32];
    snprintf(want, sizeof want, "M%d %dh7v1h-7z", QR_QUIET, QR_QUIET);
    assert_memory_equal(b.data, want, strlen(want));
    buf_free(&b);
    qr_free(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_png_decodes_to_exact_link, setup, teardown),
        cmocka_unit_test_setup_teardown(test_png_at_two_pixels_per_module_decodes, setup, teardown),
        cmocka_unit_test(test_png_has_quiet_zone_and_scale),
        cmocka_unit_test_setup_teardown(test_svg_rasterised_decodes_to_exact_link, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mixed_case_is_kept, setup, teardown),
        cmocka_unit_test(test_typical_link_fits_version_3),
        cmocka_unit_test(test_long_base_url_needs_larger_version),
        cmocka_unit_test(test_empty_text_is_refused),
        cmocka_unit_test(test_ec_level_reaches_the_symbol),
        cmocka_unit_test(test_svg_path_draws_runs_after_quiet_zone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
