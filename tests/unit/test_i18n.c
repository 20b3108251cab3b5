/*
 * test_i18n.c: the strings tables are complete in both languages, Kreyòl
 * entries are not Spanish left untranslated, and the visitor's language is
 * chosen as the contract says (?lang=, then Accept-Language, then default).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/i18n.h"

static void test_every_string_exists_in_both_languages(void **state)
{
    (void)state;
    for (int i = 0; i < S_COUNT; i++) {
        if (!strings_es[i] || !*strings_es[i]) fail_msg("strings_es[%d] is missing", i);
        if (!strings_ht[i] || !*strings_ht[i]) fail_msg("strings_ht[%d] is missing", i);
    }
}

/* Identical texts are allowed only where both languages really say the
 * same (proper names, symbols); anything else is an untranslated string. */
static void test_kreyol_is_not_spanish_copied(void **state)
{
    (void)state;
    for (int i = 0; i < S_COUNT; i++) {
        if (strings_es[i] && strings_ht[i] && !strcmp(strings_es[i], strings_ht[i]))
            fail_msg("strings_ht[%d] is the Spanish text: \"%s\"", i, strings_es[i]);
    }
}

static void test_query_lang_wins(void **state)
{
    (void)state;
    assert_int_equal(i18n_negotiate("ht", "es-DO,es;q=0.9", LANG_ES), LANG_HT);
    assert_int_equal(i18n_negotiate("es", "ht", LANG_HT), LANG_ES);
    assert_int_equal(i18n_negotiate("HT", NULL, LANG_ES), LANG_HT);
}

static void test_accept_language_by_quality(void **state)
{
    (void)state;
    assert_int_equal(i18n_negotiate(NULL, "fr-HT,ht;q=0.8,es;q=0.5", LANG_ES), LANG_HT);
    assert_int_equal(i18n_negotiate(NULL, "ht;q=0.3,es-DO;q=0.9", LANG_HT), LANG_ES);
    assert_int_equal(i18n_negotiate("xx", "en-US,en;q=0.9", LANG_HT), LANG_HT);  /* fallback */
    assert_int_equal(i18n_negotiate(NULL, "ht-HT", LANG_ES), LANG_HT);
}

/* issue 13 item 11: many Haitian phones are set to French; buzon has no
 * French, so French gets Kreyòl, not Spanish. */
static void test_french_gets_kreyol(void **state)
{
    (void)state;
    assert_int_equal(i18n_negotiate(NULL, "fr", LANG_ES), LANG_HT);
    assert_int_equal(i18n_negotiate(NULL, "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", LANG_ES), LANG_HT);
    assert_int_equal(i18n_negotiate(NULL, "fr-HT", LANG_ES), LANG_HT);
    assert_int_equal(i18n_negotiate(NULL, "FR_ht", LANG_ES), LANG_HT);
    assert_int_equal(i18n_negotiate(NULL, "en-US, fr;q=0.5", LANG_ES), LANG_HT);
    /* A Spanish phone that also lists French still gets Spanish. */
    assert_int_equal(i18n_negotiate(NULL, "es-DO,es;q=0.9,fr;q=0.8", LANG_HT), LANG_ES);
    /* ?lang= still wins, and is es or ht only; "fra"/"frisian" are not French. */
    assert_int_equal(i18n_negotiate("es", "fr-FR", LANG_HT), LANG_ES);
    assert_int_equal(i18n_parse("fr"), -1);
    assert_int_equal(i18n_negotiate(NULL, "fry", LANG_ES), LANG_ES);
}

static void test_parse_codes(void **state)
{
    (void)state;
    assert_int_equal(i18n_parse("es-DO"), LANG_ES);
    assert_int_equal(i18n_parse("ht"), LANG_HT);
    assert_int_equal(i18n_parse("hti"), -1);
    assert_int_equal(i18n_parse(""), -1);
    assert_int_equal(i18n_parse(NULL), -1);
    assert_string_equal(i18n_code(LANG_HT), "ht");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_string_exists_in_both_languages),
        cmocka_unit_test(test_kreyol_is_not_spanish_copied),
        cmocka_unit_test(test_query_lang_wins),
        cmocka_unit_test(test_accept_language_by_quality),
        cmocka_unit_test(test_french_gets_kreyol),
        cmocka_unit_test(test_parse_codes),
    };
    return cmocka_run_group_tests_name("i18n", tests, NULL, NULL);
}
