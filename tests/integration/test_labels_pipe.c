/*
 * test_labels_pipe.c: issue 15 item 3, labels that speak. A small form
 * written by the test pipes ${nombre} and a select's ${color} into a later
 * label, hint and note, with markdown. The fresh (cached) page has empty
 * spans; a 422 shows the answer given, escaped, and the choice label in
 * the page's language; the language switch shows it in the other
 * language; `forms check` refuses a ${name} that names no question.
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
    char dir[256];
    char forms[300];
    testsrv_t srv;
} fx_t;

static void write_form(const char *forms, const char *id, const char *survey)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", forms, id);
    assert_int_equal(mkdir(dir, 0700), 0);
    testform_write_file(dir, "survey.csv", survey);
    testform_write_file(dir, "choices.csv", "list_name,name,label::Español (es),label::Kreyòl (ht)\n"
                                   "color,rojo,Rojo,Wouj\ncolor,azul,*Azul* oscuro,Ble\n");
    char settings[256];
    snprintf(settings, sizeof settings, "form_title,form_id,version\nPrueba,%s,1\n", id);
    testform_write_file(dir, "settings.csv", settings);
}

static const char SURVEY[] =
    "type,name,label::Español (es),label::Kreyòl (ht),hint::Español (es),hint::Kreyòl (ht),required\n"
    "text,nombre,Su nombre,Non ou,,,yes\n"
    "select_one color,color,Color,Koulè,,,\n"
    "integer,edad,\"¿Qué edad tiene, ${nombre}? (color ${color})\",\"Ki laj ou, ${nombre}? (${color})\","
    "\"**Importante**: [ver](https://banica.gob.do/a?b=1&c=2) <i>no</i>\",,yes\n"
    "note,nota,\"# Gracias ${nombre}\nSiga _así_\",\"# Mèsi ${nombre}\",,,\n";

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    if (test_mkdtemp(fx->dir, sizeof fx->dir, "labelspipe") != 0) return -1;
    snprintf(fx->forms, sizeof fx->forms, "%s/forms", fx->dir);
    if (mkdir(fx->forms, 0700) != 0) return -1;
    write_form(fx->forms, "pipa", SURVEY);
    if (test_catalog_csvs(fx->forms) != 0) return -1;
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

static char *post(const fx_t *fx, const char *path, const char *body, int want_status)
{
    http_resp_t r;
    assert_int_equal(http_post(fx->srv.port, path, body, &r), 0);
    if (r.status != want_status) fail_msg("POST %s: %d\n%s", path, r.status, r.body);
    char *out = strdup(r.body);
    http_resp_free(&r);
    return out;
}

/* A fresh page (the one the page cache keeps) has empty spans, and the
 * markdown rendered, the author's HTML escaped. */
static void test_fresh_page_empty_spans(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    assert_int_equal(http_get(fx->srv.port, "/e/pipa?lang=es", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "¿Qué edad tiene, <span data-pipe=nombre></span>? (color <span data-pipe=color></span>)");
    test_has(r.body, "<strong>Importante</strong>: "
                "<a href=\"https://banica.gob.do/a?b=1&amp;c=2\" rel=noopener>ver</a> &lt;i&gt;no&lt;/i&gt;");
    test_has(r.body, "<p><strong>Gracias <span data-pipe=nombre></span></strong><br>Siga <em>así</em></p>");
    test_has(r.body, "<em>Azul</em> oscuro</label>");
    test_lacks(r.body, "<i>no</i>");
    http_resp_free(&r);
}

/* An invalid answer (422): the piped value is the answer given, escaped,
 * in the label, the hint's neighbours and the note; a select shows its
 * choice label in the page's language; then the language switch. */
static void test_422_and_switch_show_answers(void **state)
{
    fx_t *fx = *state;
    const char *answers = "nombre=%3Cscript%3Ealert(1)%3C%2Fscript%3E+%26+Ana&color=azul&edad=abc&_web=";
    char *b = post(fx, "/e/pipa?lang=es", answers, 422);
    test_has(b, "¿Qué edad tiene, <span data-pipe=nombre>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Ana</span>? "
           "(color <span data-pipe=color>Azul oscuro</span>)");
    test_has(b, "Gracias <span data-pipe=nombre>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Ana</span>");
    test_lacks(b, "<script>alert");
    /* The error summary's link holds the label as text. */
    test_has(b, "¿Qué edad tiene, &lt;script&gt;alert(1)&lt;/script&gt; &amp; Ana? (color Azul oscuro): ");
    free(b);

    char body[512];
    snprintf(body, sizeof body, "%s&_lang=ht", answers);
    b = post(fx, "/e/pipa?lang=ht", body, 200);
    test_has(b, "Ki laj ou, <span data-pipe=nombre>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Ana</span>? "
           "(<span data-pipe=color>Ble</span>)");
    test_has(b, "<strong>Mèsi <span data-pipe=nombre>");
    test_lacks(b, "<script>alert");
    free(b);
}

/* A ${name} in a label or hint that names no question is a file:row
 * error, as in an expression. */
static void test_forms_check_unknown_pipe(void **state)
{
    fx_t *fx = *state;
    char bad[512];
    snprintf(bad, sizeof bad, "%s/bad", fx->dir);
    assert_int_equal(mkdir(bad, 0700), 0);
    write_form(bad, "malo", "type,name,label::Español (es),hint::Español (es)\n"
                            "text,nombre,Nombre,\n"
                            "text,otro,Hola ${nadie},\n"
                            "note,n1,Bien,Vea ${fantasma} y ${nombre}\n"
                            "note,n2,Usted ${n2},\n");
    buf_t out, err;
    assert_int_not_equal(test_buzon(fx->dir, &out, &err, "forms check '%s'", bad), 0);
    test_has(err.data, "survey.csv:3: unknown question ${nadie} in label");
    test_has(err.data, "survey.csv:4: unknown question ${fantasma} in hint");
    test_lacks(err.data, "${nombre}");
    test_lacks(err.data, "${n2}");      /* not "n2" alone: the temporary folder's random name may hold it */
    test_lacks(err.data, "\"n2\"");
    buf_free(&out);
    buf_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fresh_page_empty_spans),
        cmocka_unit_test(test_422_and_switch_show_answers),
        cmocka_unit_test(test_forms_check_unknown_pipe),
    };
    return cmocka_run_group_tests_name("labels_pipe", tests, setup, teardown);
}
