/*
 * test_utf8.c: the one set of UTF-8 helpers (base/utf8.h): validity as
 * RFC 3629 has it, decoding, counting characters and cutting between them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/utf8.h"

static void test_valid(void **state)
{
    (void)state;
    static const char *const ok[] = { "", "abc", "Bánica", "Kreyòl ayisyen", "\xE2\x80\xA6",
                                      "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF" };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) assert_true(utf8_valid(ok[i], strlen(ok[i])));
    static const char *const bad[] = { "\xC0\xAF", "\xC3", "\xE0\x80\x80", "\xED\xA0\x80",
                                       "\xF4\x90\x80\x80", "\xF8\x88\x80\x80\x80", "\x80", "a\xC3(" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) assert_false(utf8_valid(bad[i], strlen(bad[i])));
}

static void test_decode(void **state)
{
    (void)state;
    uint32_t cp = 0;
    assert_int_equal(utf8_decode("A", &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(utf8_decode("\xC3\xB1", &cp), 2);   /* ñ */
    assert_int_equal(cp, 0xF1);
    assert_int_equal(utf8_decode("\xE2\x80\xA6", &cp), 3);
    assert_int_equal(cp, 0x2026);
    assert_int_equal(utf8_decode("\xF0\x9F\x98\x80", &cp), 4);
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(utf8_decode("", &cp), 0);
    assert_int_equal(utf8_decode("\xC3", &cp), 0);          /* truncated by the NUL */
    assert_int_equal(utf8_decode("\xC0\xAF", &cp), 0);      /* overlong */
    assert_int_equal(utf8_decode("\xED\xA0\x80", &cp), 0);  /* surrogate */
    assert_int_equal(utf8_decode("\x80", &cp), 0);
}

static void test_count_prefix_floor(void **state)
{
    (void)state;
    const char *s = "fèvriye";   /* f, è (2 bytes), v... */
    assert_int_equal(utf8_len(s), 7);
    assert_int_equal(utf8_count(s, 3), 2);
    assert_int_equal(utf8_prefix(s, 3), 4);   /* "fèv" */
    assert_int_equal(utf8_prefix("ab", 5), 2);
    assert_int_equal(utf8_prefix("ab", 0), 0);
    assert_int_equal(utf8_floor(s, 2), 1);    /* inside è: back to its start */
    assert_int_equal(utf8_floor(s, 3), 3);
    assert_int_equal(utf8_floor(s, 0), 0);
    assert_int_equal(utf8_seq_len('a'), 1);
    assert_int_equal(utf8_seq_len(0x80), 1);
    assert_int_equal(utf8_seq_len(0xC3), 2);
    assert_int_equal(utf8_seq_len(0xE2), 3);
    assert_int_equal(utf8_seq_len(0xF0), 4);
}

/* The inbox search folds letter case and the accents of Spanish, Kreyòl
 * and French alike (issue 13). */
static void test_fold(void **state)
{
    (void)state;
    char s[] = "ATENCIÓN Niño Çà Fèmen ÆØÜÿ ß × ok";
    size_t n = utf8_fold(s, strlen(s));
    s[n] = '\0';
    assert_string_equal(s, "atencion nino ca femen æouy ß × ok");
    char t[] = "\xC3";   /* a lone lead byte stays */
    assert_int_equal(utf8_fold(t, 1), 1);
    assert_int_equal((unsigned char)t[0], 0xC3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_decode),
        cmocka_unit_test(test_count_prefix_floor),
        cmocka_unit_test(test_fold),
    };
    return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
