/*
 * test_phone.c: phone numbers as people in Bánica write them (issue 13
 * item 10): Dominican 809/829/849 numbers with or without the country
 * code, Haitian +509 numbers, any of the usual separators, all kept in one
 * form; anything else refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "model/phone.h"

static void ok(const char *typed, const char *want)
{
    char out[PHONE_E164_MAX];
    if (!phone_normalize(typed, out)) fail_msg("\"%s\" refused", typed);
    if (strcmp(out, want)) fail_msg("\"%s\" -> \"%s\", want \"%s\"", typed, out, want);
}

static void refused(const char *typed)
{
    char out[PHONE_E164_MAX] = "x";
    if (phone_normalize(typed, out)) fail_msg("\"%s\" accepted as %s", typed, out);
    assert_string_equal(out, "");
}

static void test_dominican_numbers_as_written(void **state)
{
    (void)state;
    ok("+1 809 555 0101", "+18095550101");
    ok("809 555 0101", "+18095550101");
    ok("8095550101", "+18095550101");
    ok("809-555-0101", "+18095550101");
    ok("(829) 555.0101", "+18295550101");
    ok("1-849-555-0101", "+18495550101");
    ok("18095550101", "+18095550101");
    ok("+1 (809) 555-0101", "+18095550101");
    ok("001 809 555 0101", "+18095550101");
    ok("  849.555.0101 ", "+18495550101");
}

static void test_haitian_numbers_as_written(void **state)
{
    (void)state;
    ok("+509 3412 3456", "+50934123456");
    ok("+509-34-12-34-56", "+50934123456");
    ok("509 3712 3456", "+50937123456");
    ok("00509 4412 3456", "+50944123456");
    ok("(+509) 2812-3456", "+50928123456");
}

static void test_anything_else_is_refused(void **state)
{
    (void)state;
    refused("abc");
    refused("");
    refused(NULL);
    refused("555 0101");             /* no area code */
    refused("809 555 010");          /* 9 digits */
    refused("809 555 01011");        /* 11 digits, no country code */
    refused("212 555 0101");         /* not a Dominican area code */
    refused("+1 212 555 0101");
    refused("+44 20 7946 0958");     /* another country */
    refused("+509 3412 345");        /* Haiti: 8 digits */
    refused("3412 3456");            /* Haiti without its code */
    refused("809 555 0101 ext 2");
    refused("809+555+0101");
    refused("08095550101");
    refused("8095550101abc");
    refused("809 555 0101 / 829 555 0102");
    refused("99999999999999999999999999999999999999");
}

static void test_phone_questions_by_name(void **state)
{
    (void)state;
    assert_true(phone_question("contacto_telefono"));
    assert_true(phone_question("tutor_telefono"));
    assert_false(phone_question("telefono_"));
    assert_false(phone_question("comentario"));
    assert_false(phone_question(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dominican_numbers_as_written),
        cmocka_unit_test(test_haitian_numbers_as_written),
        cmocka_unit_test(test_anything_else_is_refused),
        cmocka_unit_test(test_phone_questions_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
