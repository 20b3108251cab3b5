/*
 * test_gz.c: gzip for responses. A whole body compresses and inflates
 * back; a spliced member (page compressed once, fields stored in the
 * middle) inflates to exactly prefix + mid + suffix for any mid, with the
 * CRC and length a browser checks, and stays close to the size of
 * compressing the whole; Accept-Encoding is read as browsers write it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/buf.h"
#include "gunzip.h"
#include "base/gz.h"

/* Survey-like HTML of about n bytes. */
static void page_like(buf_t *b, size_t n)
{
    for (int i = 0; b->len < n; i++)
        buf_printf(b, "<fieldset><legend>Pregunta %d</legend><label><input type=radio "
                      "name=q%d value=%d> Muy satisfecho</label></fieldset>\n", i, i, i % 5);
}

static void test_compress_round_trip(void **state)
{
    (void)state;
    buf_t in, z, back;
    buf_init(&in);
    buf_init(&z);
    buf_init(&back);
    page_like(&in, 12000);
    assert_true(gz_compress(in.data, in.len, &z));
    assert_true(z.len < in.len / 3);
    assert_int_equal(gunzip(z.data, z.len, &back), Z_STREAM_END);
    assert_int_equal(back.len, in.len);
    assert_memory_equal(back.data, in.data, in.len);
    buf_free(&in);
    buf_free(&z);
    buf_free(&back);
}

/* Splice prefix + mid + suffix and check it inflates to exactly that. */
static void check_splice(const char *prefix, size_t plen, const char *mid, size_t mlen,
                         const char *suffix, size_t slen)
{
    gz_splice_t g;
    assert_true(gz_splice_init(&g, prefix, plen, suffix, slen));
    buf_t z, back;
    buf_init(&z);
    buf_init(&back);
    buf_puts(&z, "keep");                     /* appends, keeps what was there */
    gz_splice_write(&g, mid, mlen, &z);
    assert_memory_equal(z.data, "keep", 4);
    assert_int_equal(z.len - 4, gz_splice_size(&g, mlen));
    assert_int_equal(gunzip(z.data + 4, z.len - 4, &back), Z_STREAM_END);
    assert_int_equal(back.len, plen + mlen + slen);
    if (plen) assert_memory_equal(back.data, prefix, plen);
    if (mlen) assert_memory_equal(back.data + plen, mid, mlen);
    if (slen) assert_memory_equal(back.data + plen + mlen, suffix, slen);
    buf_free(&z);
    buf_free(&back);
    gz_splice_free(&g);
}

static void test_splice_inflates_to_the_whole(void **state)
{
    (void)state;
    buf_t page;
    buf_init(&page);
    page_like(&page, 12000);
    size_t at = 700;                          /* where the fields go */
    const char *fields = "<input type=hidden name=_sid value=\"0b9e0c6c-64c4-4d5e-8a51-"
                         "3b4f7c2d9e10\"><input type=hidden name=_t value=1795490102>";
    check_splice(page.data, at, fields, strlen(fields), page.data + at, page.len - at);
    /* Another visit: other fields, same compressed page. */
    check_splice(page.data, at, "x", 1, page.data + at, page.len - at);
    /* Nothing in the middle, nothing before, nothing after. */
    check_splice(page.data, at, "", 0, page.data + at, page.len - at);
    check_splice("", 0, fields, strlen(fields), page.data, page.len);
    check_splice(page.data, page.len, fields, strlen(fields), "", 0);
    check_splice("", 0, "", 0, "", 0);
    buf_free(&page);
}

/* A middle longer than one stored block (65535 bytes) is split. */
static void test_splice_long_middle(void **state)
{
    (void)state;
    size_t n = 200000;
    char *mid = malloc(n);
    assert_non_null(mid);
    for (size_t i = 0; i < n; i++) mid[i] = (char)('a' + (i * 7919) % 26);
    check_splice("<p>", 3, mid, n, "</p>", 4);
    check_splice("<p>", 3, mid, 65535, "</p>", 4);
    check_splice("<p>", 3, mid, 65536, "</p>", 4);
    free(mid);
}

/* Compressed once in two halves, the page costs the phone only a little
 * more than compressed whole: the suffix cannot point back at what the
 * prefix already said (a real survey page: 2,737 bytes against 2,641). */
static void test_splice_size_close_to_whole(void **state)
{
    (void)state;
    buf_t page, whole, spliced;
    buf_init(&page);
    buf_init(&whole);
    buf_init(&spliced);
    page_like(&page, 12000);
    assert_true(gz_compress(page.data, page.len, &whole));
    gz_splice_t g;
    assert_true(gz_splice_init(&g, page.data, 700, page.data + 700, page.len - 700));
    gz_splice_write(&g, "", 0, &spliced);
    fprintf(stderr, "# gzipped whole %zu bytes, spliced %zu\n", whole.len, spliced.len);
    assert_true(spliced.len < whole.len + 200);
    gz_splice_free(&g);
    buf_free(&page);
    buf_free(&whole);
    buf_free(&spliced);
}

/* A corrupted member is refused by the browser's inflater: the CRC is
 * the real one, not a placeholder. */
static void test_splice_crc_is_checked(void **state)
{
    (void)state;
    gz_splice_t g;
    assert_true(gz_splice_init(&g, "<html><body>", 12, "</body></html>", 14));
    buf_t z, back;
    buf_init(&z);
    buf_init(&back);
    gz_splice_write(&g, "abc", 3, &z);
    z.data[z.len - 8] ^= 1;                   /* first byte of the CRC */
    assert_int_equal(gunzip(z.data, z.len, &back), Z_DATA_ERROR);
    buf_free(&z);
    buf_free(&back);
    gz_splice_free(&g);
}

static void test_accepted(void **state)
{
    (void)state;
    assert_true(gz_accepted("gzip"));
    assert_true(gz_accepted("gzip, deflate, br"));
    assert_true(gz_accepted("deflate, gzip;q=0.5"));
    assert_false(gz_accepted(NULL));
    assert_false(gz_accepted(""));
    assert_false(gz_accepted("identity"));
    assert_false(gz_accepted("gzip;q=0"));
    assert_false(gz_accepted("x-gzip2"));
    assert_false(gz_accepted("gzip2"));
    assert_false(gz_accepted("gzip;Q=0"));        /* case-insensitive */
    assert_false(gz_accepted("gzip; q=0.0, deflate"));
    assert_true(gz_accepted("x-gzip"));
    assert_true(gz_accepted("GZIP"));
    assert_true(gz_accepted("br;q=1.0, gzip;q=0.8"));
    assert_true(gz_accepted("*"));
    assert_false(gz_accepted("gzip;q=0, *"));     /* named beats the wildcard */
    assert_false(gz_accepted("*;q=0"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compress_round_trip),
        cmocka_unit_test(test_splice_inflates_to_the_whole),
        cmocka_unit_test(test_splice_long_middle),
        cmocka_unit_test(test_splice_size_close_to_whole),
        cmocka_unit_test(test_splice_crc_is_checked),
        cmocka_unit_test(test_accepted),
    };
    return cmocka_run_group_tests_name("gz", tests, NULL, NULL);
}
