/*
 * test_answer_limits.c: the limits on what one submission may carry are
 * the ones the README ("Limits and security") and buzon(1) state (issue 14
 * item 9: the README said 4000 bytes and 413 over 8000). One text answer
 * is 4000 characters, counted as the browser's maxlength counts them, so
 * 4000 four-byte characters (16,000 bytes) pass; one character more is the
 * page again (422), unless the value is then over 16,000 bytes: that is
 * refused with 413, and so is a body over 64 KiB (65,536 bytes). The documents are read too, with
 * the figures made from the code's own constants, so code and documents
 * cannot drift apart again without this test saying so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "model/answers.h"
#include "testsrv.h"

static testsrv_t srv;

static int setup(void **state)
{
    (void)state;
    static const char *const extra[] = { "--rate-limit", "0", NULL };
    return testsrv_start(&srv, NULL, extra);
}

static int teardown(void **state)
{
    (void)state;
    return testsrv_stop(&srv) == 0 ? 0 : -1;
}

/* The body limit of `serve` (cli_serve.c's default max_body). */
enum { BODY_MAX = 64 * 1024 };

/* POST body to the satisfaction survey; the status. */
static int post(const buf_t *b)
{
    http_resp_t r;
    buf_t req;
    buf_init(&req);
    buf_printf(&req, "POST /e/satisfaccion HTTP/1.1\r\nHost: x\r\n"
               "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n"
               "Connection: close\r\n\r\n", b->len);
    buf_append(&req, b->data, b->len);
    assert_int_equal(http_raw(srv.port, req.data, req.len, &r), 0);
    int st = r.status;
    http_resp_free(&r);
    buf_free(&req);
    return st;
}

/* A submission whose comment is n times unit (percent-encoded). */
static void comment_of(buf_t *b, int sid, size_t n, const char *unit)
{
    buf_init(b);
    buf_printf(b, "_sid=limits00-0000-4000-8000-%012d&servicio=mercado&satisfaccion=4"
               "&comentario_tipo=sugerencia&comentario=", sid);
    for (size_t k = 0; k < n; k++) buf_puts(b, unit);
}

static void test_4000_characters_of_multibyte_text_are_accepted(void **state)
{
    (void)state;
    static const struct { const char *unit; size_t bytes; } units[] = {
        { "%C3%B1", 2 },            /* ñ */
        { "%E2%82%AC", 3 },         /* € */
        { "%F0%9F%98%80", 4 },      /* an emoji: 4000 of them are 16,000 bytes */
    };
    for (int i = 0; i < 3; i++) {
        buf_t b;
        comment_of(&b, i, ANSWER_MAX_TEXT, units[i].unit);
        assert_true(b.len <= BODY_MAX);
        if (post(&b) != 303) fail_msg("4000 characters of %zu bytes refused", units[i].bytes);
        buf_free(&b);
        comment_of(&b, 10 + i, ANSWER_MAX_TEXT + 1, units[i].unit);
        /* one too many: shorten it; but 4001 emoji are over 16,000 bytes */
        assert_int_equal(post(&b), (ANSWER_MAX_TEXT + 1) * units[i].bytes <= ANSWER_MAX_BYTES ? 422 : 413);
        buf_free(&b);
    }
    assert_int_equal(ANSWER_MAX_BYTES, 16000);
}

static void test_over_16000_bytes_in_one_value_is_413(void **state)
{
    (void)state;
    buf_t b;
    comment_of(&b, 20, ANSWER_MAX_BYTES + 1, "a");
    assert_int_equal(post(&b), 413);
    buf_free(&b);
}

static void test_the_body_limit_is_64_KiB(void **state)
{
    (void)state;
    /* exactly the limit: not refused for its size (the padding fields are
     * not questions of the form, and ignored) */
    buf_t b;
    comment_of(&b, 30, 10, "a");
    for (int k = 0; b.len < BODY_MAX; k++) {
        size_t room = BODY_MAX - b.len;
        if (room < 8) {                     /* the last value takes the rest */
            while (b.len < BODY_MAX) buf_putc(&b, 'x');
            break;
        }
        buf_printf(&b, "&z%d=", k);
        room = BODY_MAX - b.len;
        for (size_t i = 0; i < (room > 15000 ? 15000 : room); i++) buf_putc(&b, 'x');
    }
    assert_int_equal(b.len, BODY_MAX);
    assert_int_not_equal(post(&b), 413);
    buf_putc(&b, 'x');
    assert_int_equal(post(&b), 413);
    buf_free(&b);
}

/* text of the file root/rel (malloc'd). */
static char *slurp(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", test_root(), rel);
    FILE *fp = fopen(path, "rb");
    if (!fp) fail_msg("cannot read %s", path);
    buf_t b;
    buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) buf_append(&b, chunk, n);
    fclose(fp);
    buf_putc(&b, '\0');
    return b.data;
}

/* "16,000" for 16000. */
static void thousands(char *out, size_t n, int v)
{
    snprintf(out, n, "%d,%03d", v / 1000, v % 1000);
}

static void test_readme_and_man_page_state_these_numbers(void **state)
{
    (void)state;
    char chars[32], bytes[32];
    thousands(chars, sizeof chars, ANSWER_MAX_TEXT);
    thousands(bytes, sizeof bytes, ANSWER_MAX_BYTES);
    char want_chars[64], want_bytes[64];
    snprintf(want_chars, sizeof want_chars, "%s characters", chars);
    snprintf(want_bytes, sizeof want_bytes, "%s bytes", bytes);
    char *readme = slurp("README.md");
    assert_non_null(strstr(readme, "| request body | 64 KB |"));
    const char *row = strstr(readme, "| one text answer |");
    assert_non_null(row);
    char *eol = strchr(row, '\n');
    if (eol) *eol = '\0';
    if (!strstr(row, want_chars) || !strstr(row, want_bytes) || !strstr(row, "422") || !strstr(row, "413"))
        fail_msg("README row \"%s\" does not say \"%s\", \"%s\", 422 and 413", row, want_chars, want_bytes);
    free(readme);
    char *man = slurp("man/buzon.1");
    if (!strstr(man, want_chars) || !strstr(man, want_bytes) || !strstr(man, "64 KB"))
        fail_msg("buzon.1 does not say \"%s\", \"%s\" and 64 KB", want_chars, want_bytes);
    free(man);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_4000_characters_of_multibyte_text_are_accepted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_over_16000_bytes_in_one_value_is_413, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_body_limit_is_64_KiB, setup, teardown),
        cmocka_unit_test(test_readme_and_man_page_state_these_numbers),
    };
    return cmocka_run_group_tests_name("answer_limits", tests, NULL, NULL);
}
