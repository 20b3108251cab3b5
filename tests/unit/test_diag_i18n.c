/*
 * test_diag_i18n.c: the loaders' messages in the author's language
 * (issue 15, "Bad input"; diag.h). The translation tables (diag_tr_es,
 * diag_tr_ht, diag_tr_fr) must hold, for every entry, exactly the printf
 * conversions of its English format in the same order (a translation with
 * one more "%s" would otherwise read an argument that is not there), no
 * English format twice, and the same English formats in every language;
 * diag_add must keep the English line and make each language's line, with
 * "%s" arguments that are known messages (an expression's parse error)
 * translated too; a bad form must give its Spanish line through
 * diag_line; and the command line picks its language from LC_ALL,
 * LC_MESSAGES and LANG.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/buf.h"
#include "base/diag.h"
#include "model/form.h"
#include "testform.h"
#include "testsh.h"

static const lang_t langs[] = { LANG_ES, LANG_HT, LANG_FR };

/* The conversions of fmt ("%s", "%.*s", "%zu"...), each followed by '|',
 * written here apart from diag.c's own parser: what printf would read. */
static void conversions(const char *fmt, buf_t *out)
{
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') continue;
        if (f[1] == '%') { f++; continue; }
        const char *start = f++;
        while (*f && !strchr("diouxXcsfgeEpn", *f)) f++;
        assert_true(*f);    /* a conversion must end in a conversion letter */
        buf_append(out, start, (size_t)(f - start + 1));
        buf_putc(out, '|');
    }
    if (!out->data) buf_puts(out, "");
}

static void test_same_conversions_in_same_order(void **state)
{
    (void)state;
    for (size_t k = 0; k < 3; k++) {
        size_t n;
        const diag_tr_t *t = diag_tr_table(langs[k], &n);
        assert_true(n > 100);
        for (size_t i = 0; i < n; i++) {
            buf_t en, tr;
            buf_init(&en);
            buf_init(&tr);
            conversions(t[i].en, &en);
            conversions(t[i].tr, &tr);
            if (strcmp(en.data, tr.data))
                fail_msg("%s: \"%s\" has %s, its translation \"%s\" has %s", i18n_code(langs[k]), t[i].en,
                         en.data, t[i].tr, tr.data);
            assert_true(*t[i].tr);   /* (French "%d arguments" is English too) */
            buf_free(&en);
            buf_free(&tr);
        }
    }
}

static void test_no_duplicates_and_same_formats_everywhere(void **state)
{
    (void)state;
    size_t nes;
    assert_non_null(diag_tr_table(LANG_ES, &nes));
    for (size_t k = 0; k < 3; k++) {
        size_t n;
        const diag_tr_t *t = diag_tr_table(langs[k], &n);
        assert_int_equal(n, nes);
        for (size_t i = 0; i < n; i++) {
            for (size_t j = i + 1; j < n; j++)
                if (!strcmp(t[i].en, t[j].en)) fail_msg("%s: \"%s\" twice", i18n_code(langs[k]), t[i].en);
            assert_non_null(diag_tr(LANG_ES, t[i].en));   /* the same English formats as Spanish */
        }
    }
    assert_null(diag_tr_table(LANG_EN, &nes));
    assert_int_equal(nes, 0);
}

static void test_diag_add_makes_each_language(void **state)
{
    (void)state;
    diag_t d = { 0 };
    diag_add(&d, "survey.csv", 4, "unknown type \"%s\"", "selec_one");
    diag_add(&d, "survey.csv", 5, "bad expression in %s: %s", "relevant", "unexpected 'x' at column 9");
    diag_add(&d, "survey.csv", 6, "%s", "a message nobody translated yet (row %d)");
    diag_add(&d, "survey.csv", 7, "duplicate name \"%s\" (first at row %d)", "edad", 3);
    diag_add(&d, "survey.csv", 8, "bad expression in %s: %s", "calculation",
             "unknown function foo() at column 1 (write 'and' in lowercase)");
    assert_int_equal(d.n, 5);
    /* English stays the line (the command line, the logs) */
    assert_string_equal(d.lines[0], "survey.csv:4: unknown type \"selec_one\"");
    assert_string_equal(diag_line(&d, 0, LANG_EN), d.lines[0]);
    assert_string_equal(diag_line(&d, 0, LANG_ES), "survey.csv:4: tipo (type) desconocido \"selec_one\"");
    assert_string_equal(diag_line(&d, 0, LANG_HT), "survey.csv:4: tip (type) \"selec_one\" pa konnen");
    assert_string_equal(diag_line(&d, 0, LANG_FR), "survey.csv:4: type inconnu « selec_one »");
    assert_string_equal(diag_line(&d, 1, LANG_ES),
                        "survey.csv:5: error en la fórmula de relevant: 'x' inesperado en la columna 9");
    assert_string_equal(diag_line(&d, 1, LANG_HT),
                        "survey.csv:5: erè nan fòmil relevant: 'x' pa ta dwe la nan kolòn 9");
    /* not translated: English in every language, a "%" in an argument kept */
    for (size_t k = 0; k < 3; k++) assert_string_equal(diag_line(&d, 2, langs[k]), d.lines[2]);
    assert_string_equal(diag_line(&d, 3, LANG_ES),
                        "survey.csv:7: el nombre (name) \"edad\" está repetido (el primero está en la fila 3)");
    assert_string_equal(diag_line(&d, 4, LANG_ES),
                        "survey.csv:8: error en la fórmula de calculation: función desconocida foo() en la "
                        "columna 1 (escriba 'and' en minúsculas)");
    /* an author's value that reads like a message stays as written */
    diag_t v = { 0 };
    diag_add(&v, "choices.csv", 2, "duplicate choice \"%s\" in list \"%s\" (first at row %d)", "missing id",
             "empty expression", 1);
    assert_string_equal(diag_line(&v, 0, LANG_ES), "choices.csv:2: la opción \"missing id\" está repetida en la "
                                                   "lista \"empty expression\" (la primera está en la fila 1)");
    diag_free(&v);
    /* a caller that drops its last line and appends one by hand
     * (form_lookup.c, shortcode.c): never another line's translation */
    free(d.lines[--d.n]);
    d.lines[d.n++] = xstrdup("by hand");
    assert_string_equal(diag_line(&d, 4, LANG_ES), "by hand");
    diag_add(&d, "x.csv", 1, "missing id");
    assert_string_equal(diag_line(&d, 5, LANG_ES), "x.csv:1: falta el id");
    diag_free(&d);
    assert_int_equal(d.n, 0);
    assert_null(d.tr);
}

static void test_bad_form_in_spanish(void **state)
{
    (void)state;
    char root[64];
    assert_int_equal(test_mkdtemp(root, sizeof root, "diagi18n"), 0);
    char *dir = testform_write(root, "f",
                               "type,name,label,relevant\n"
                               "select_one colores,color,Color,\n"
                               "integer,edad,Edad,${colr} = 'rojo'\n"
                               "text,nota,Nota,${edad} > \n",
                               "list_name,name,label\nsabores,fresa,Fresa\n", NULL);
    diag_t d = { 0 };
    assert_null(form_load(dir, &d));
    buf_t es, en;
    buf_init(&es);
    buf_init(&en);
    size_t skip = strlen(dir) + 1;
    for (size_t i = 0; i < d.n; i++) {
        buf_printf(&es, "%s\n", diag_line(&d, i, LANG_ES) + skip);
        buf_printf(&en, "%s\n", d.lines[i] + skip);
    }
    print_message("%s", es.data);
    assert_non_null(strstr(es.data, "survey.csv:2: la lista \"colores\" no está en choices.csv"));
    assert_non_null(strstr(es.data, "survey.csv:3: no existe la pregunta ${colr} que usa relevant"));
    assert_non_null(strstr(es.data, "survey.csv:4: error en la fórmula de relevant: la fórmula se corta en la "
                                    "columna "));
    assert_non_null(strstr(en.data, "survey.csv:3: unknown question ${colr} in relevant"));
    buf_free(&es);
    buf_free(&en);
    diag_free(&d);
    free(dir);
    test_rmtree(root);
}

static void test_env_language(void **state)
{
    (void)state;
    assert_int_equal(diag_env_lang(NULL, NULL, NULL), LANG_EN);
    assert_int_equal(diag_env_lang(NULL, NULL, "C.UTF-8"), LANG_EN);
    assert_int_equal(diag_env_lang(NULL, NULL, "es_DO.UTF-8"), LANG_ES);
    assert_int_equal(diag_env_lang("", "", "ht_HT.UTF-8"), LANG_HT);
    assert_int_equal(diag_env_lang(NULL, "fr_FR.UTF-8", "es_DO.UTF-8"), LANG_FR);
    assert_int_equal(diag_env_lang("C", "fr_FR.UTF-8", "es_DO.UTF-8"), LANG_EN);
    assert_int_equal(diag_env_lang(NULL, NULL, "en_US.UTF-8"), LANG_EN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_conversions_in_same_order),
        cmocka_unit_test(test_no_duplicates_and_same_formats_everywhere),
        cmocka_unit_test(test_diag_add_makes_each_language),
        cmocka_unit_test(test_bad_form_in_spanish),
        cmocka_unit_test(test_env_language),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
