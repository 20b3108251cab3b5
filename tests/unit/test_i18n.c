/*
 * test_i18n.c: the strings tables are complete in all four languages,
 * Kreyòl, English and French entries are not Spanish left untranslated and
 * keep the Spanish text's format specifiers and line breaks, the visitor's
 * language is chosen as the contract says (?lang=, then Accept-Language,
 * then default; never English or French), and a form's pages speak the
 * table of its language (form_ui.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "base/i18n.h"
#include "model/form_ui.h"

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

/* issue 15 item 8: English and French, for forms written in them. */
static const struct { const char *name; const char *const *t; } other_tables[] = {
    { "strings_en", strings_en }, { "strings_fr", strings_fr },
};

static void test_every_string_exists_in_english_and_french(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof other_tables / sizeof other_tables[0]; k++)
        for (int i = 0; i < S_COUNT; i++)
            if (!other_tables[k].t[i] || !*other_tables[k].t[i])
                fail_msg("%s[%d] is missing", other_tables[k].name, i);
}

/* The printf conversions of s in order ("%s", "%d", "%%"…), one per
 * line, into out; a '%' not followed by a conversion ("95 %", "% de
 * acuerdo") is text, not a specifier. Also the line breaks, which
 * S_USERS_CMD's lines depend on. */
static void specifiers(const char *s, char *out, size_t n)
{
    size_t o = 0;
    out[0] = '\0';
    for (const char *p = s; *p; p++) {
        if (*p == '\n' && o + 3 < n) { out[o++] = '\\'; out[o++] = 'n'; out[o] = '\0'; }
        if (*p != '%') continue;
        const char *q = p + 1;
        q += strspn(q, "-+#0");
        q += strspn(q, "0123456789*");
        if (*q == '.') { q++; q += strspn(q, "0123456789*"); }
        q += strspn(q, "hlzjt");
        if (!*q || !strchr("diouxXeEfgGcsp%", *q)) continue;
        size_t len = (size_t)(q - p) + 1;
        if (o + len + 2 < n) {
            memcpy(out + o, p, len);
            o += len;
            out[o++] = ' ';
            out[o] = '\0';
        }
        p = q;
    }
}

static void test_specifiers_match_spanish(void **state)
{
    (void)state;
    const char *const *all[] = { strings_ht, strings_en, strings_fr };
    const char *names[] = { "strings_ht", "strings_en", "strings_fr" };
    char want[256], got[256];
    for (size_t k = 0; k < 3; k++)
        for (int i = 0; i < S_COUNT; i++) {
            specifiers(strings_es[i], want, sizeof want);
            specifiers(all[k][i], got, sizeof got);
            if (strcmp(want, got))
                fail_msg("%s[%d] has specifiers \"%s\", Spanish has \"%s\"", names[k], i, got, want);
        }
    /* The checker itself: a real specifier counts, a percent sign does not. */
    specifiers("%s: 95 % de %d%%", got, sizeof got);
    assert_string_equal(got, "%s %d %% ");
}

/* Identical to the Spanish only where the languages really say the same. */
static void test_english_french_are_not_spanish_copied(void **state)
{
    (void)state;
    static const struct { int table; str_id_t id; } same[] = {
        { 0, S_ERR_TITLE },                 /* Error */
        { 0, S_NO },                        /* No */
        { 0, S_IND_NO },                    /* no */
        { 1, S_IND_CI_SHORT },              /* IC 95 % */
        { 1, S_PLAN_RESPONSIBLE },          /* Responsable */
        { 1, S_IND_DIM_CANAL },             /* Canal */
        { 0, S_IND_CH_WEB },                /* Web (issue 17: channels) */
        { 1, S_IND_CH_WEB },
    };
    for (size_t k = 0; k < 2; k++)
        for (int i = 0; i < S_COUNT; i++) {
            if (strcmp(strings_es[i], other_tables[k].t[i])) continue;
            bool allowed = false;
            for (size_t j = 0; j < sizeof same / sizeof same[0]; j++)
                allowed |= same[j].table == (int)k && same[j].id == (str_id_t)i;
            if (!allowed)
                fail_msg("%s[%d] is the Spanish text: \"%s\"", other_tables[k].name, i, strings_es[i]);
        }
}

/* English and French are tables, not citizens' languages: never parsed
 * from ?lang= nor negotiated, so staff pages and indicator labels (sized
 * LANG_COUNT) never meet them. */
static void test_english_french_never_negotiated(void **state)
{
    (void)state;
    assert_int_equal(i18n_parse("en"), -1);
    assert_int_equal(i18n_parse("fr-FR"), -1);
    assert_int_equal(i18n_negotiate("en", "en-US,en;q=0.9", LANG_ES), LANG_ES);
    assert_int_equal(i18n_negotiate("fr", "en-US", LANG_HT), LANG_HT);
    assert_int_equal(i18n_negotiate(NULL, "fr-FR", LANG_ES), LANG_HT);
    assert_string_equal(i18n_code(LANG_EN), "en");
    assert_string_equal(i18n_code(LANG_FR), "fr");
    assert_string_equal(i18n(LANG_EN, S_SUBMIT), "Send answers");
    assert_string_equal(i18n(LANG_FR, S_LANG_NAME), "Français");
}

static void test_table_of_a_form_language(void **state)
{
    (void)state;
    assert_int_equal(i18n_table("en"), LANG_EN);
    assert_int_equal(i18n_table("EN-us"), LANG_EN);
    assert_int_equal(i18n_table("fr_CA"), LANG_FR);
    assert_int_equal(i18n_table("es"), LANG_ES);
    assert_int_equal(i18n_table("ht"), LANG_HT);
    assert_int_equal(i18n_table("English"), LANG_EN);      /* label::English */
    assert_int_equal(i18n_table(" french "), LANG_FR);
    assert_int_equal(i18n_table("Français"), LANG_FR);
    assert_int_equal(i18n_table("Español"), LANG_ES);
    assert_int_equal(i18n_table("Kreyòl"), LANG_HT);
    assert_int_equal(i18n_table("pt"), -1);
    assert_int_equal(i18n_table("Português"), -1);
    assert_int_equal(i18n_table("eng"), -1);
    assert_int_equal(i18n_table(""), -1);
    assert_int_equal(i18n_table(NULL), -1);
}

/* A form with the given languages (code, name), the first the default. */
static form_t fake_form(int n, char *codes[], char *names[])
{
    form_t f = { .nlangs = n, .default_lang = 0 };
    for (int i = 0; i < n; i++) {
        f.lang_code[i] = codes[i];
        f.lang_name[i] = names[i];
    }
    return f;
}

static void test_form_ui_lang(void **state)
{
    (void)state;
    char *esht_c[] = { "es", "ht" }, *esht_n[] = { "Español", "Kreyòl" };
    form_t f = fake_form(2, esht_c, esht_n);
    assert_int_equal(form_ui_lang(&f, LANG_HT), LANG_HT);
    assert_int_equal(form_ui_lang(&f, LANG_ES), LANG_ES);

    char *en_c[] = { "en" }, *en_n[] = { "English" };
    f = fake_form(1, en_c, en_n);
    assert_int_equal(form_ui_lang(&f, LANG_ES), LANG_EN);
    assert_int_equal(form_ui_lang(&f, LANG_HT), LANG_EN);

    char *kobo_c[] = { "English", "French" }, *kobo_n[] = { "English", "French" };
    f = fake_form(2, kobo_c, kobo_n);
    f.default_lang = 1;
    assert_int_equal(form_ui_lang(&f, LANG_HT), LANG_FR);

    char *pt_c[] = { "pt" }, *pt_n[] = { "Português" };
    f = fake_form(1, pt_c, pt_n);
    assert_int_equal(form_ui_lang(&f, LANG_HT), LANG_ES);
    assert_int_equal(form_lang_table(&f, 0), -1);

    /* An unnamed language (plain `label`) is Spanish: the visitor chooses. */
    char *un_c[] = { "" }, *un_n[] = { "" };
    f = fake_form(1, un_c, un_n);
    assert_int_equal(form_ui_lang(&f, LANG_HT), LANG_HT);

    /* English beside Spanish: the citizens' languages rule, as before. */
    char *enes_c[] = { "en", "es" }, *enes_n[] = { "English", "Español" };
    f = fake_form(2, enes_c, enes_n);
    assert_int_equal(form_ui_lang(&f, LANG_HT), LANG_HT);
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
        cmocka_unit_test(test_every_string_exists_in_english_and_french),
        cmocka_unit_test(test_specifiers_match_spanish),
        cmocka_unit_test(test_english_french_are_not_spanish_copied),
        cmocka_unit_test(test_english_french_never_negotiated),
        cmocka_unit_test(test_table_of_a_form_language),
        cmocka_unit_test(test_form_ui_lang),
        cmocka_unit_test(test_query_lang_wins),
        cmocka_unit_test(test_accept_language_by_quality),
        cmocka_unit_test(test_french_gets_kreyol),
        cmocka_unit_test(test_parse_codes),
    };
    return cmocka_run_group_tests_name("i18n", tests, NULL, NULL);
}
