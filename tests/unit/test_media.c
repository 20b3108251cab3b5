/*
 * test_media.c: what a photo sent with a survey becomes (model/media.h):
 * its type read from the bytes, EXIF (location, phone model) gone after
 * re-encoding, the orientation applied first, large photos scaled to
 * 1600 px, PNG transparency on white, WebP and other files refused, and
 * decoding bombs (huge declared dimensions) refused before allocation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "model/media.h"
#include "testjpeg.h"

static void test_sniff(void **state)
{
    (void)state;
    buf_t j, p;
    buf_init(&j);
    buf_init(&p);
    tj_jpeg(&j, 16, 16, 1, false);
    tj_png(&p, 4, 4);
    assert_int_equal(media_sniff(j.data, j.len), MEDIA_JPEG);
    assert_int_equal(media_sniff(p.data, p.len), MEDIA_PNG);
    assert_int_equal(media_sniff("RIFF\x10\0\0\0WEBPVP8 ", 16), MEDIA_WEBP);
    assert_int_equal(media_sniff("GIF89a", 6), MEDIA_UNKNOWN);
    assert_int_equal(media_sniff("<svg>", 5), MEDIA_UNKNOWN);
    assert_int_equal(media_sniff("", 0), MEDIA_UNKNOWN);
    assert_int_equal(media_sniff("\xff\xd8", 2), MEDIA_UNKNOWN);
    assert_string_equal(media_kind_type(MEDIA_JPEG), "image/jpeg");
    buf_t out;
    buf_init(&out);
    assert_int_equal(media_image_clean("RIFF\x10\0\0\0WEBPVP8 ", 16, &out, NULL, NULL), MEDIA_NOT_IMAGE);
    assert_int_equal(media_image_clean("%PDF-1.4", 8, &out, NULL, NULL), MEDIA_NOT_IMAGE);
    /* A JPEG start and garbage: broken, not a crash. */
    assert_int_equal(media_image_clean("\xff\xd8\xff\xe0garbage", 11, &out, NULL, NULL), MEDIA_BROKEN);
    /* Truncated JPEG. */
    assert_int_not_equal(media_image_clean(j.data, j.len / 3, &out, NULL, NULL), MEDIA_NOT_IMAGE);
    buf_free(&out);
    buf_free(&j);
    buf_free(&p);
}

static void test_exif_gone_and_upright(void **state)
{
    (void)state;
    buf_t in, out;
    buf_init(&in);
    buf_init(&out);
    /* 200 x 100, left half red, right blue; orientation 6: the camera was
     * turned, the picture is shown turned 90 degrees clockwise. */
    tj_jpeg(&in, 200, 100, 6, true);
    assert_true(tj_has(in.data, in.len, "Exif", 4));
    assert_true(tj_has(in.data, in.len, TJ_MODEL, strlen(TJ_MODEL)));
    assert_int_equal(media_exif_orientation(memmem(in.data, in.len, "Exif", 4),
                                            in.len - (size_t)((char *)memmem(in.data, in.len, "Exif", 4) - in.data)), 6);
    unsigned w, h;
    assert_int_equal(media_image_clean(in.data, in.len, &out, &w, &h), MEDIA_OK);
    assert_int_equal(w, 100);
    assert_int_equal(h, 200);
    assert_false(tj_has(out.data, out.len, "Exif", 4));
    assert_false(tj_has(out.data, out.len, "\xff\xe1", 2));   /* no APP1 at all */
    assert_false(tj_has(out.data, out.len, TJ_MODEL, strlen(TJ_MODEL)));
    /* Upright: the left (red) half is now on top, the blue below. */
    unsigned char rgb[3];
    unsigned dw, dh;
    assert_true(tj_pixel(out.data, out.len, 50, 20, &dw, &dh, rgb));
    assert_int_equal(dw, 100);
    assert_true(rgb[0] > 200 && rgb[2] < 60);
    assert_true(tj_pixel(out.data, out.len, 50, 180, &dw, &dh, rgb));
    assert_true(rgb[2] > 200 && rgb[0] < 60);
    buf_free(&in);
    buf_free(&out);

    /* Orientation 8 (turned the other way): red at the bottom. */
    buf_init(&in);
    buf_init(&out);
    tj_jpeg(&in, 200, 100, 8, true);
    assert_int_equal(media_image_clean(in.data, in.len, &out, &w, &h), MEDIA_OK);
    assert_true(tj_pixel(out.data, out.len, 50, 180, &dw, &dh, rgb));
    assert_true(rgb[0] > 200 && rgb[2] < 60);
    buf_free(&in);
    buf_free(&out);
}

static void test_scaled(void **state)
{
    (void)state;
    buf_t in, out;
    buf_init(&in);
    buf_init(&out);
    tj_jpeg(&in, 4000, 3000, 1, true);
    unsigned w, h;
    assert_int_equal(media_image_clean(in.data, in.len, &out, &w, &h), MEDIA_OK);
    assert_int_equal(w, 1600);
    assert_int_equal(h, 1200);
    assert_false(tj_has(out.data, out.len, "Exif", 4));
    buf_free(&in);
    buf_free(&out);
    /* A small photo is never scaled up. */
    buf_init(&in);
    buf_init(&out);
    tj_jpeg(&in, 320, 240, 1, false);
    assert_int_equal(media_image_clean(in.data, in.len, &out, &w, &h), MEDIA_OK);
    assert_int_equal(w, 320);
    buf_free(&in);
    buf_free(&out);
}

static void test_png(void **state)
{
    (void)state;
    buf_t in, out;
    buf_init(&in);
    buf_init(&out);
    tj_png(&in, 40, 30);
    unsigned w, h;
    assert_int_equal(media_image_clean(in.data, in.len, &out, &w, &h), MEDIA_OK);
    assert_int_equal(media_sniff(out.data, out.len), MEDIA_JPEG);
    unsigned char rgb[3];
    assert_true(tj_pixel(out.data, out.len, 10, 10, &w, &h, rgb));
    assert_int_equal(w, 40);
    /* Green at half alpha over white. */
    assert_true(rgb[0] > 100 && rgb[1] > 170 && rgb[2] > 100);
    buf_free(&in);
    buf_free(&out);
}

/* Patch a JPEG's SOF0 to claim w x h. */
static void claim_jpeg(buf_t *b, unsigned w, unsigned h)
{
    unsigned char *p = (unsigned char *)b->data;
    for (size_t i = 2; i + 9 < b->len; i++)
        if (p[i] == 0xFF && p[i + 1] == 0xC0) {
            p[i + 5] = h >> 8; p[i + 6] = h & 255; p[i + 7] = w >> 8; p[i + 8] = w & 255;
            return;
        }
    fail();
}

static void test_bombs(void **state)
{
    (void)state;
    buf_t in, out;
    buf_init(&in);
    buf_init(&out);
    tj_jpeg(&in, 16, 16, 1, false);
    claim_jpeg(&in, 65000, 65000);
    assert_int_equal(media_image_clean(in.data, in.len, &out, NULL, NULL), MEDIA_TOO_BIG);
    assert_int_equal(out.len, 0);
    buf_free(&in);
    /* PNG: IHDR says 30000 x 30000 (CRC right, so libpng reads it). */
    buf_init(&in);
    tj_png(&in, 4, 4);
    unsigned char *p = (unsigned char *)in.data;   /* IHDR data at 16 */
    unsigned v = 30000;
    for (int k = 0; k < 2; k++) {
        p[16 + k * 4] = 0; p[17 + k * 4] = 0; p[18 + k * 4] = v >> 8; p[19 + k * 4] = v & 255;
    }
    uLong crc = crc32(0, p + 12, 17);
    p[29] = crc >> 24; p[30] = (crc >> 16) & 255; p[31] = (crc >> 8) & 255; p[32] = crc & 255;
    assert_int_equal(media_image_clean(in.data, in.len, &out, NULL, NULL), MEDIA_TOO_BIG);
    assert_int_equal(out.len, 0);
    buf_free(&in);
    buf_free(&out);
}

/* Review (security): a progressive JPEG keeps the whole image's
 * coefficients whatever the scaling, so its header alone is judged (a
 * 706-byte file claiming 7000 x 7000 took 300 MB); and a JPEG libjpeg has
 * to patch (truncated data: grey blocks) is no photo anyone meant to send. */
static void test_progressive_memory_and_damage(void **state)
{
    (void)state;
    buf_t in, out;
    buf_init(&in);
    buf_init(&out);
    tj_jpeg(&in, 16, 16, 1, false);
    claim_jpeg(&in, 5400, 5400);          /* 29 MP: under the pixel limit */
    unsigned char *p = (unsigned char *)in.data;
    for (size_t i = 0; i + 1 < in.len; i++)
        if (p[i] == 0xFF && p[i + 1] == 0xC0) { p[i + 1] = 0xC2; break; }   /* SOF2: progressive */
    assert_int_equal(media_image_clean(in.data, in.len, &out, NULL, NULL), MEDIA_TOO_BIG);
    assert_int_equal(out.len, 0);
    buf_free(&in);
    /* The same size as a baseline JPEG is decoded row by row: allowed. */
    buf_init(&in);
    tj_jpeg(&in, 64, 64, 1, false);
    size_t whole = in.len;
    assert_int_equal(media_image_clean(in.data, whole, &out, NULL, NULL), MEDIA_OK);
    buf_reset(&out);
    assert_int_equal(media_image_clean(in.data, whole * 2 / 3, &out, NULL, NULL), MEDIA_BROKEN);
    assert_int_equal(out.len, 0);
    buf_free(&in);
    buf_free(&out);
}

static void test_exif_parse(void **state)
{
    (void)state;
    assert_int_equal(media_exif_orientation((const unsigned char *)"Exif\0\0II", 8), 1);
    /* Big-endian, orientation 3. */
    static const unsigned char be[] = "Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x03\0\0";
    assert_int_equal(media_exif_orientation(be, sizeof be - 1), 3);
    /* IFD offset past the end. */
    static const unsigned char off[] = "Exif\0\0II\x2a\0\xff\xff\0\0";
    assert_int_equal(media_exif_orientation(off, sizeof off - 1), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_exif_gone_and_upright),
        cmocka_unit_test(test_scaled),
        cmocka_unit_test(test_png),
        cmocka_unit_test(test_bombs),
        cmocka_unit_test(test_progressive_memory_and_damage),
        cmocka_unit_test(test_exif_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
