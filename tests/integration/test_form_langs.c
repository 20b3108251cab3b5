/*
 * test_form_langs.c: issue 15 item 8, interface languages. A form written
 * only in English gets the whole interface in English (lang=en, "Send
 * answers", the English errors, no switch to Spanish or Kreyòl); one only
 * in French, in French; one in a language buzon has no table for
 * (Portuguese), its own texts with the Spanish interface, and `buzon forms
 * check` says so. The standard forms keep their rule: a phone set to
 * French gets Kreyòl. The test writes its own small forms folder and
 * starts the real server on it with --forms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "testsh.h"
#include "testsrv.h"
#include "testform.h"
#include "testcheck.h"

typedef struct fx {
    char dir[256];      /* scratch folder; forms in dir/forms */
    char forms[300];
    testsrv_t srv;
} fx_t;

/* forms/<id>/ with one required question and one choice question, all
 * texts in the language spec (e.g. "English (en)"), labels lbl_q, lbl_c. */
static void write_form(const fx_t *fx, const char *id, const char *spec, const char *title,
                       const char *lbl_q, const char *lbl_c)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", fx->forms, id);
    assert_int_equal(mkdir(dir, 0700), 0);
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "type,name,label::%s,required\n"
                   "integer,age,%s,yes\n"
                   "select_one yn,ok,%s,\n", spec, lbl_q, lbl_c);
    testform_write_file(dir, "survey.csv", b.data);
    buf_reset(&b);
    buf_printf(&b, "list_name,name,label::%s\nyn,1,+\nyn,2,-\n", spec);
    testform_write_file(dir, "choices.csv", b.data);
    buf_reset(&b);
    buf_printf(&b, "form_title,form_id,version\n%s,%s,1\n", title, id);
    testform_write_file(dir, "settings.csv", b.data);
    buf_free(&b);
}

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    if (test_mkdtemp(fx->dir, sizeof fx->dir, "formlangs") != 0) return -1;
    snprintf(fx->forms, sizeof fx->forms, "%s/forms", fx->dir);
    if (mkdir(fx->forms, 0700) != 0) return -1;
    write_form(fx, "feedback", "English (en)", "Park feedback", "How old are you?", "Was the park clean?");
    write_form(fx, "avis", "Français (fr)", "Avis sur le parc", "Quel âge avez-vous ?", "Le parc était-il propre ?");
    write_form(fx, "pesquisa", "Português (pt)", "Pesquisa do parque", "Quantos anos você tem?",
               "O parque estava limpo?");
    /* A standard form beside them, in Spanish and Kreyòl, with the points
     * and services every forms folder has. */
    const char *root = test_root();
    if (test_sh(fx->dir, NULL, NULL, "cp -r '%s/forms/agilidad' '%s/forms/points.csv' '%s/forms/services.csv' '%s/'",
                root, root, root, fx->forms) != 0)
        return -1;
    *state = fx;
    return testsrv_start(&fx->srv, fx->forms, NULL);
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    int rc = testsrv_stop(&fx->srv);
    test_rmtree(fx->dir);
    free(fx);
    return rc == 0 ? 0 : -1;
}

static char *get(const fx_t *fx, const char *path, const char *headers, int want_status)
{
    http_resp_t r;
    assert_int_equal(http_get(fx->srv.port, path, headers, &r), 0);
    if (r.status != want_status) fail_msg("GET %s: %d\n%s", path, r.status, r.body);
    char *body = strdup(r.body);
    http_resp_free(&r);
    return body;
}

/* The page of an English form is English whatever the visitor's phone or
 * ?lang= ask for: its questions are in English only. */
static void test_english_form_english_interface(void **state)
{
    fx_t *fx = *state;
    const char *asks[][2] = {
        { "/e/feedback", NULL },
        { "/e/feedback", "Accept-Language: es-DO,es;q=0.9\r\n" },
        { "/e/feedback?lang=ht", "Accept-Language: fr-HT\r\n" },
    };
    for (size_t i = 0; i < sizeof asks / sizeof asks[0]; i++) {
        char *b = get(fx, asks[i][0], asks[i][1], 200);
        test_has(b, "<html lang=en>");
        test_has(b, "How old are you?");
        test_has(b, "Send answers");
        test_has(b, "Questions marked with * are required.");
        test_has(b, "Municipality of Bánica");
        test_has(b, "Is your complaint about another public service");
        test_lacks(b, "Enviar respuestas");
        test_lacks(b, "obligatoria");
        test_lacks(b, "Kreyòl");     /* no language switch: the form has no other language */
        test_lacks(b, "Español");
        free(b);
    }
}

static void test_english_form_errors_and_thanks_in_english(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    assert_int_equal(http_post(fx->srv.port, "/e/feedback", "age=abc&ok=1", &r), 0);
    assert_int_equal(r.status, 422);
    test_has(r.body, "<html lang=en>");
    test_has(r.body, "Please check these answers:");
    test_has(r.body, "Enter a whole number, for example 12.");
    test_lacks(r.body, "Revise estas respuestas");
    http_resp_free(&r);

    assert_int_equal(http_post(fx->srv.port, "/e/feedback", "age=30&ok=1", &r), 0);
    assert_int_equal(r.status, 303);
    char *loc = http_header(&r, "Location");
    assert_non_null(loc);
    test_has(loc, "/e/feedback/gracias?lang=en");
    http_resp_free(&r);
    char *b = get(fx, loc, "Accept-Language: es\r\n", 200);
    test_has(b, "<html lang=en>");
    test_has(b, "Received!");
    test_lacks(b, "¡Recibido!");
    free(b);
    free(loc);
}

static void test_french_form_french_interface(void **state)
{
    fx_t *fx = *state;
    char *b = get(fx, "/e/avis", "Accept-Language: es-DO\r\n", 200);
    test_has(b, "<html lang=fr>");
    test_has(b, "Quel âge avez-vous ?");
    test_has(b, "Envoyer les réponses");
    test_has(b, "Les questions marquées d&#39;un * sont obligatoires.");
    test_lacks(b, "Enviar respuestas");
    test_lacks(b, "Kreyòl");
    free(b);
}

/* No table for Portuguese: its texts, with the Spanish interface. */
static void test_other_language_spanish_interface(void **state)
{
    fx_t *fx = *state;
    char *b = get(fx, "/e/pesquisa", NULL, 200);
    test_has(b, "<html lang=es>");
    test_has(b, "Quantos anos você tem?");
    test_has(b, "Enviar respuestas");
    free(b);
}

/* The standard forms: a phone set to French still gets Kreyòl, and the
 * switch still offers Spanish and Kreyòl only. */
static void test_standard_form_unchanged(void **state)
{
    fx_t *fx = *state;
    char *b = get(fx, "/e/agilidad", "Accept-Language: fr-FR,fr;q=0.9\r\n", 200);
    test_has(b, "<html lang=ht>");
    test_has(b, "Español");
    test_lacks(b, "English");
    test_lacks(b, "Français");
    test_lacks(b, "lang=en");
    test_lacks(b, "lang=fr");
    free(b);
    b = get(fx, "/e/agilidad?lang=en", NULL, 200);
    test_has(b, "<html lang=es>");
    free(b);
}

static void test_forms_check_says_spanish_interface(void **state)
{
    fx_t *fx = *state;
    buf_t out, err;
    assert_int_equal(test_buzon(fx->dir, &out, &err, "forms check '%s'", fx->forms), 0);
    test_has(out.data, "form pesquisa: its language pt has no interface table; the interface is Spanish\n");
    test_lacks(out.data, "form feedback:");
    test_lacks(out.data, "form avis:");
    test_lacks(out.data, "form agilidad:");
    test_has(out.data, "ok feedback");
    buf_free(&out);
    buf_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_english_form_english_interface),
        cmocka_unit_test(test_english_form_errors_and_thanks_in_english),
        cmocka_unit_test(test_french_form_french_interface),
        cmocka_unit_test(test_other_language_spanish_interface),
        cmocka_unit_test(test_standard_form_unchanged),
        cmocka_unit_test(test_forms_check_says_spanish_interface),
    };
    return cmocka_run_group_tests_name("form_langs", tests, setup, teardown);
}
