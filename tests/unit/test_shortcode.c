/*
 * test_shortcode.c: the short-link code scheme: codes use only the
 * unambiguous alphabet, never change for the same ids (pinned values: a
 * change here breaks every printed poster), are case-insensitive on
 * lookup, resolve to the right (form, point), and collisions are reported.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "model/shortcode.h"

/* Just enough of a form and a points table for the resolver: it only reads
 * ids. */
static form_t form_a = { .id = "satisfaccion" };
static form_t form_b = { .id = "agilidad" };
static form_t *const forms[] = { &form_a, &form_b };
static point_t point_list[] = {
    { .id = "mercado-municipal", .name = "Mercado municipal" },
    { .id = "oficina", .name = "Oficina" },
};
static const points_t pts = { .points = point_list, .npoints = 2 };

static void test_codes_use_only_unambiguous_characters(void **state)
{
    (void)state;
    for (int i = 0; i < 2000; i++) {
        char id[32], code[SHORTCODE_LEN + 1];
        snprintf(id, sizeof id, "punto-%d", i);
        shortcode_make("satisfaccion", id, code);
        assert_int_equal(strlen(code), SHORTCODE_LEN);
        assert_null(strpbrk(code, "0O1IlLoiU"));
        assert_int_equal(strspn(code, SHORTCODE_ALPHABET), SHORTCODE_LEN);
    }
}

static void test_codes_are_pinned(void **state)
{
    (void)state;
    char code[SHORTCODE_LEN + 1];
    shortcode_make("satisfaccion", NULL, code);
    assert_string_equal(code, "8TG5ZY");
    shortcode_make("satisfaccion", "mercado-municipal", code);
    assert_string_equal(code, "64E32M");
    shortcode_make("agilidad", "oficina", code);
    assert_string_equal(code, "YW2JBK");
}

static void test_form_alone_and_each_point_differ(void **state)
{
    (void)state;
    char alone[SHORTCODE_LEN + 1], p1[SHORTCODE_LEN + 1], p2[SHORTCODE_LEN + 1];
    shortcode_make("satisfaccion", NULL, alone);
    shortcode_make("satisfaccion", "mercado-municipal", p1);
    shortcode_make("satisfaccion", "oficina", p2);
    assert_string_not_equal(alone, p1);
    assert_string_not_equal(alone, p2);
    assert_string_not_equal(p1, p2);
}

static void test_normalize_accepts_lower_case(void **state)
{
    (void)state;
    char out[SHORTCODE_LEN + 1];
    assert_int_equal(shortcode_normalize("64e32m", out), 0);
    assert_string_equal(out, "64E32M");
}

static void test_normalize_rejects_look_alikes_and_bad_lengths(void **state)
{
    (void)state;
    char out[SHORTCODE_LEN + 1];
    assert_int_equal(shortcode_normalize("64E32O", out), -1);
    assert_int_equal(shortcode_normalize("64E320", out), -1);
    assert_int_equal(shortcode_normalize("64E32l", out), -1);
    assert_int_equal(shortcode_normalize("64E32", out), -1);
    assert_int_equal(shortcode_normalize("64E32MM", out), -1);
    assert_int_equal(shortcode_normalize("", out), -1);
}

static void test_resolve_finds_pair_in_any_case(void **state)
{
    (void)state;
    const form_t *f = NULL;
    const point_t *p = NULL;
    assert_int_equal(shortcode_resolve("yw2jbk", forms, 2, &pts, &f, &p), 0);
    assert_ptr_equal(f, &form_b);
    assert_ptr_equal(p, &point_list[1]);
}

static void test_resolve_finds_form_alone(void **state)
{
    (void)state;
    const form_t *f = NULL;
    const point_t *p = &point_list[0];
    assert_int_equal(shortcode_resolve("8TG5ZY", forms, 2, &pts, &f, &p), 0);
    assert_ptr_equal(f, &form_a);
    assert_null(p);
}

static void test_resolve_unknown_code_fails(void **state)
{
    (void)state;
    const form_t *f = NULL;
    const point_t *p = NULL;
    assert_int_equal(shortcode_resolve("222222", forms, 2, &pts, &f, &p), -1);
    assert_int_equal(shortcode_resolve("not-a-code", forms, 2, &pts, &f, &p), -1);
    assert_null(f);
    /* A point code of a point that was removed no longer resolves. */
    assert_int_equal(shortcode_resolve("64E32M", forms, 2, NULL, &f, &p), -1);
}

static void test_check_passes_distinct_codes(void **state)
{
    (void)state;
    diag_t d = { 0 };
    assert_int_equal(shortcode_check(forms, 2, &pts, &d), 0);
    assert_int_equal(d.n, 0);
}

static void test_check_reports_collision(void **state)
{
    (void)state;
    /* Found by a birthday search over ids "f0".."f199999": both hash to
     * KPGXSV. */
    form_t x = { .id = "f16527" }, y = { .id = "f23729" };
    form_t *const clash[] = { &x, &form_a, &y };
    diag_t d = { 0 };
    assert_int_equal(shortcode_check(clash, 3, NULL, &d), 1);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.lines[0],
        "short code KPGXSV is shared by form f16527 and form f23729: rename one of these ids");
    diag_free(&d);
}

static void test_url_ignores_trailing_slash(void **state)
{
    (void)state;
    buf_t a, b;
    buf_init(&a);
    buf_init(&b);
    shortcode_url(&a, "http://localhost:8080", "64E32M");
    shortcode_url(&b, "http://localhost:8080/", "64E32M");
    assert_string_equal(a.data, "http://localhost:8080/q/64E32M");
    assert_string_equal(b.data, a.data);
    buf_free(&a);
    buf_free(&b);
}

static void test_target_is_survey_of_point(void **state)
{
    (void)state;
    buf_t b;
    buf_init(&b);
    shortcode_target(&b, &form_a, &point_list[0]);
    assert_string_equal(b.data, "/e/satisfaccion?p=mercado-municipal");
    buf_reset(&b);
    shortcode_target(&b, &form_b, NULL);
    assert_string_equal(b.data, "/e/agilidad");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes_use_only_unambiguous_characters),
        cmocka_unit_test(test_codes_are_pinned),
        cmocka_unit_test(test_form_alone_and_each_point_differ),
        cmocka_unit_test(test_normalize_accepts_lower_case),
        cmocka_unit_test(test_normalize_rejects_look_alikes_and_bad_lengths),
        cmocka_unit_test(test_resolve_finds_pair_in_any_case),
        cmocka_unit_test(test_resolve_finds_form_alone),
        cmocka_unit_test(test_resolve_unknown_code_fails),
        cmocka_unit_test(test_check_passes_distinct_codes),
        cmocka_unit_test(test_check_reports_collision),
        cmocka_unit_test(test_url_ignores_trailing_slash),
        cmocka_unit_test(test_target_is_survey_of_point),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
