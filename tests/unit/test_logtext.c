/*
 * test_logtext.c: visitor text in the request log (base/logtext.h). Only
 * whole valid UTF-8 characters pass; a lead byte followed by a newline or
 * ESC (the forged line and terminal escapes of issue 14 item 7), overlong
 * forms, surrogates, code points past U+10FFFF, stray continuation bytes
 * and sequences cut short by the end of the text are written as %XX, byte
 * by byte; a cut never splits a character or an escape.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/logtext.h"

/* s escaped with room for max bytes, NUL-terminated in a static buffer. */
static const char *esc(const char *s, size_t max)
{
    static char out[512];
    assert_true(max < sizeof out);
    memset(out, 'Z', sizeof out);
    char *end = logtext_put(out, s, max);
    assert_true((size_t)(end - out) <= max);
    assert_int_equal(out[max], 'Z');            /* nothing written past max */
    *end = '\0';
    return out;
}

static void check(const char *in, const char *want)
{
    const char *got = esc(in, 200);
    if (strcmp(got, want) != 0) fail_msg("\"%s\": got \"%s\", want \"%s\"", in, got, want);
}

static void test_plain_text_and_whole_characters_pass(void **state)
{
    (void)state;
    check("/e/satisfaccion", "/e/satisfaccion");
    check("/e/Bánica/Kreyòl", "/e/Bánica/Kreyòl");
    check("/\xE2\x80\xA6/\xF0\x9F\x98\x80/\xF4\x8F\xBF\xBF", "/\xE2\x80\xA6/\xF0\x9F\x98\x80/\xF4\x8F\xBF\xBF");
    check("/\xC2\xA0", "/\xC2\xA0");                  /* U+00A0, the first after the C1 controls */
}

static void test_controls_space_and_percent_are_escaped(void **state)
{
    (void)state;
    check("/a\nfake 200", "/a%0Afake%20200");
    check("/a\r\x1B[2J\x7F%", "/a%0D%1B[2J%7F%25");
}

/* Every ASCII byte, one at a time (session 23: ASCII now skips the UTF-8
 * decoder): printable ones but '%' raw, space and controls as %XX. */
static void test_every_ascii_byte(void **state)
{
    (void)state;
    for (int b = 1; b < 0x80; b++) {
        char in[3] = { '/', (char)b, '\0' }, want[5];
        if (b > 0x20 && b != 0x7F && b != '%') snprintf(want, sizeof want, "/%c", b);
        else snprintf(want, sizeof want, "/%%%02X", b);
        check(in, want);
    }
}

/* The reported attacks: a lead byte took the next byte along raw. */
static void test_a_lead_byte_never_takes_a_control_along(void **state)
{
    (void)state;
    check("/a\xC2\nfake", "/a%C2%0Afake");
    check("/a\xC2\x1B[31mred", "/a%C2%1B[31mred");
    check("/\xE2\x82\n", "/%E2%82%0A");
    check("/\xF0\x9F\x98\n", "/%F0%9F%98%0A");
    check("/\xE2\n\x82", "/%E2%0A%82");
}

static void test_invalid_sequences_are_escaped_byte_by_byte(void **state)
{
    (void)state;
    check("/\xC0\xAF", "/%C0%AF");                   /* overlong '/' */
    check("/\xC1\xBF", "/%C1%BF");
    check("/\xE0\x80\xAF", "/%E0%80%AF");            /* overlong, 3 bytes */
    check("/\xF0\x80\x80\xAF", "/%F0%80%80%AF");     /* overlong, 4 bytes */
    check("/\xED\xA0\x80", "/%ED%A0%80");            /* surrogate U+D800 */
    check("/\xED\xBF\xBF", "/%ED%BF%BF");            /* surrogate U+DFFF */
    check("/\xF4\x90\x80\x80", "/%F4%90%80%80");     /* past U+10FFFF */
    check("/\xF8\x88\x80\x80\x80", "/%F8%88%80%80%80");
    check("/\x80\xBF", "/%80%BF");                   /* stray continuation bytes */
    check("/\xFF\xFE", "/%FF%FE");
    check("/\xC3\xB1\xB1", "/\xC3\xB1%B1");          /* a whole ñ, then a stray */
}

static void test_truncated_sequences_at_the_end(void **state)
{
    (void)state;
    check("/\xC3", "/%C3");
    check("/\xE2\x82", "/%E2%82");
    check("/\xF0\x9F\x98", "/%F0%9F%98");
    check("\xF0", "%F0");
}

/* C1 controls are valid UTF-8 but terminals obey them (U+009B is CSI);
 * U+2028/U+2029 end a line for some readers. */
static void test_c1_controls_and_line_separators_are_escaped(void **state)
{
    (void)state;
    check("/\xC2\x9B" "2J", "/%C2%9B2J");
    check("/\xC2\x85", "/%C2%85");
    check("/a\xE2\x80\xA8" "b\xE2\x80\xA9", "/a%E2%80%A8b%E2%80%A9");
    /* Bidirectional overrides reorder what a terminal shows of the line;
     * invisible characters hide text. */
    check("/\xE2\x80\xAE" "cba", "/%E2%80%AEcba");              /* U+202E RLO */
    check("/\xE2\x81\xA6x\xE2\x81\xA9", "/%E2%81%A6x%E2%81%A9"); /* U+2066, U+2069 */
    check("/\xE2\x80\x8Fx\xE2\x80\x8B", "/%E2%80%8Fx%E2%80%8B"); /* U+200F, U+200B */
    check("/\xEF\xBB\xBF" "a", "/%EF%BB%BFa");                    /* U+FEFF */
    check("/\xD8\x9C", "/%D8%9C");                                /* U+061C */
    check("/Bánica", "/Bánica");                                   /* letters still pass */
}

static void test_a_cut_never_splits_a_character_or_an_escape(void **state)
{
    (void)state;
    assert_string_equal(esc("abcdefgh", 8), "abcde...");
    assert_string_equal(esc("abcdefgh", 11), "abcdefgh");
    assert_string_equal(esc("abcdeñ", 8), "abcde...");   /* ñ needs 2 + the 3 of "..." */
    assert_string_equal(esc("abcdeñ", 10), "abcdeñ");
    assert_string_equal(esc("ab\n", 7), "ab...");         /* %0A needs 3 + 3 */
    assert_string_equal(esc("ab\n", 8), "ab%0A");
    assert_string_equal(esc("", 3), "");
    assert_string_equal(esc("x", 3), "...");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text_and_whole_characters_pass),
        cmocka_unit_test(test_controls_space_and_percent_are_escaped),
        cmocka_unit_test(test_every_ascii_byte),
        cmocka_unit_test(test_a_lead_byte_never_takes_a_control_along),
        cmocka_unit_test(test_invalid_sequences_are_escaped_byte_by_byte),
        cmocka_unit_test(test_truncated_sequences_at_the_end),
        cmocka_unit_test(test_c1_controls_and_line_separators_are_escaped),
        cmocka_unit_test(test_a_cut_never_splits_a_character_or_an_escape),
    };
    return cmocka_run_group_tests_name("logtext", tests, NULL, NULL);
}
