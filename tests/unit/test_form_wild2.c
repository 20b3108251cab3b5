/*
 * test_form_wild2.c: XLSForms as old templates and tools write them
 * (issue 15 item 5, the refusals a measurement over 61 public forms found,
 * issue 16's closing note): pyxform's type and column aliases, Excel's
 * booleans, choices and notes without a label, metadata named in a label,
 * `null`, forms over the POST's field cap, and the languages a page can
 * speak. Each test writes a small form folder and loads it with
 * form_load() (testform.h).
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
#include "model/answers.h"
#include "model/catalog.h"
#include "model/expr.h"
#include "model/form.h"
#include "model/form_ui.h"
#include "view/render.h"
#include "view/render_forms.h"
#include "testform.h"
#include "testsh.h"

static char *tmp_root;

static int group_setup(void **state)
{
    (void)state;
    tmp_root = xstrdup("/tmp/buzon-test-wild2-XXXXXX");
    return mkdtemp(tmp_root) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    int rc = test_rmtree(tmp_root);
    free(tmp_root);
    return rc;
}

/* The fresh survey page of f in Spanish. Caller frees. */
static char *page(const form_t *f)
{
    catalog_t cat;
    memset(&cat, 0, sizeof cat);
    buf_t b;
    buf_init(&b);
    size_t at = 0;
    render_survey(&b, &cat, f, NULL, LANG_ES, NULL, &at);
    return buf_steal(&b);
}

/* ---- 1: type aliases ------------------------------------------------------- */

static void test_pyxform_type_aliases(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "types",
                                 "type,name,label\n"
                                 "photo,foto,Foto\n"
                                 "gps,lugar,Lugar\n"
                                 "add text prompt,t,T\n"
                                 "add  integer prompt,i,I\n"
                                 "add decimal prompt,d,D\n"
                                 "add date prompt,fecha,Fecha\n"
                                 "add note prompt,n,N\n"
                                 "phone number,tel,Teléfono\n"
                                 "select one using sino,s,S\n"
                                 "select multiple from sino,m,M\n"
                                 "uri:deviceid,dev,\n"
                                 "get device id,dev2,\n"
                                 "start time,st,\n"
                                 "background-geopoint,bg,\n",
                                 "list_name,name,label\nsino,si,Sí\nsino,no,No\n", NULL);
    assert_int_equal(testform_q(f, "foto")->type, Q_IMAGE);
    assert_int_equal(testform_q(f, "lugar")->type, Q_GEOPOINT);
    assert_int_equal(testform_q(f, "t")->type, Q_TEXT);
    assert_int_equal(testform_q(f, "i")->type, Q_INTEGER);
    assert_int_equal(testform_q(f, "d")->type, Q_DECIMAL);
    assert_int_equal(testform_q(f, "fecha")->type, Q_DATE);
    assert_int_equal(testform_q(f, "n")->type, Q_NOTE);
    assert_int_equal(testform_q(f, "s")->type, Q_SELECT_ONE);
    assert_int_equal(testform_q(f, "m")->type, Q_SELECT_MULTIPLE);
    assert_null(form_question(f, "dev"));
    assert_null(form_question(f, "dev2"));
    assert_true(f->meta & META_START);
    /* "phone number": text of digits (pyxform's constraint), a phone keypad. */
    const question_t *tel = testform_q(f, "tel");
    assert_int_equal(tel->type, Q_TEXT);
    assert_true(tel->appearance & APP_TEL);
    answers_t a;
    assert_int_equal(testform_post(&a, f, "tel=809555"), 0);
    answers_free(&a);
    assert_int_equal(testform_post(&a, f, "tel=80x"), 1);
    answers_free(&a);
    char *html = page(f);
    assert_non_null(strstr(html, "inputmode=tel"));
    free(html);
    char *notes = testform_notes(f);
    assert_non_null(strstr(notes, "deviceid is never recorded"));
    free(notes);
    form_free(f);
}

/* ---- 2: bind:, control:, media: columns ----------------------------------- */

static void test_bind_and_control_columns(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "bind",
                                 "type,name,label,bind:relevant,bind:constraint,bind:jr:constraintMsg,"
                                 "bind:required,control:appearance,bind:calculate,bind:readonly,audio,body::x\n"
                                 "integer,edad,Edad,,. < 120,Demasiado,yes,,,,,\n"
                                 "text,nombre,Nombre,${edad} > 17,,,,multiline,,,,\n"
                                 "calculate,doble,,,,,,,${edad} * 2,,,\n",
                                 NULL, NULL);
    const question_t *edad = testform_q(f, "edad"), *nombre = testform_q(f, "nombre");
    assert_true(edad->required);
    assert_non_null(edad->constraint);
    assert_string_equal(form_text(f, &edad->constraint_msg, 0), "Demasiado");
    assert_non_null(nombre->relevant);
    assert_true(nombre->appearance & APP_MULTILINE);
    assert_non_null(testform_q(f, "doble")->calc);
    answers_t a;
    assert_int_equal(testform_post(&a, f, "edad=130"), 1);
    answers_free(&a);
    assert_int_equal(testform_post(&a, f, "edad=12"), 0);
    assert_string_equal(testform_val(&a, "doble"), "24");
    answers_free(&a);
    assert_int_equal(testform_post(&a, f, "edad=30&nombre=Ana"), 0);
    assert_string_equal(testform_val(&a, "nombre"), "Ana");
    answers_free(&a);
    char *notes = testform_notes(f);
    assert_non_null(strstr(notes, "column \"audio\" is ignored"));
    assert_non_null(strstr(notes, "column \"body::x\" is ignored"));
    free(notes);
    form_free(f);
}

/* ---- 3: Excel's booleans --------------------------------------------------- */

static void test_excel_booleans_in_expressions(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "bools",
                                 "type,name,label,relevant,required,constraint\n"
                                 "text,a,A,FALSE,TRUE,TRUE\n"
                                 "text,b,B,TRUE,FALSE,\n",
                                 NULL, NULL);
    assert_true(testform_q(f, "b")->relevant != NULL);
    answers_t a;
    /* a is never relevant (FALSE), so its required TRUE asks nothing. */
    assert_int_equal(testform_post(&a, f, "b=x"), 0);
    assert_null(testform_val(&a, "a"));
    assert_string_equal(testform_val(&a, "b"), "x");
    answers_free(&a);
    form_free(f);
}

/* ---- 4: choices and notes without a label ---------------------------------- */

static void test_choice_and_note_without_label(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "nolabel",
                                 "type,name,label,hint\n"
                                 "select_one l,s,S,\n"
                                 "note,vacia,,\n"
                                 "note,pista,,Solo la pista\n",
                                 "list_name,name,label\nl,uno,\nl,dos,Dos\n", NULL);
    const question_t *s = testform_q(f, "s");
    assert_string_equal(form_text(f, &form_choice(s, "uno")->label, 0), "uno");
    char *html = page(f);
    assert_null(strstr(html, "id=q-vacia"));
    assert_non_null(strstr(html, "Solo la pista"));
    free(html);
    char *notes = testform_notes(f);
    assert_non_null(strstr(notes, "choice \"uno\" of list \"l\" has no label"));
    assert_non_null(strstr(notes, "note \"vacia\" has no label nor hint"));
    free(notes);
    form_free(f);
}

/* ---- 5: metadata named in a label ------------------------------------------ */

static void test_metadata_in_a_label_shows_nothing(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "metalabel",
                                 "type,name,label,hint\n"
                                 "start,inicio,,\n"
                                 "deviceid,dev,,\n"
                                 "note,n,Empezó: ${inicio}.,Equipo ${dev}\n",
                                 NULL, NULL);
    buf_t b;
    buf_init(&b);
    assert_true(render_pipe_html(&b, f, NULL, LANG_ES, "inicio"));
    assert_int_equal(b.len, 0);
    buf_free(&b);
    char *html = page(f);
    assert_non_null(strstr(html, "Empezó: "));
    assert_null(strstr(html, "${inicio}"));
    free(html);
    char *notes = testform_notes(f);
    assert_non_null(strstr(notes, "${inicio} in label shows nothing"));
    assert_non_null(strstr(notes, "${dev} in hint shows nothing"));
    free(notes);
    form_free(f);
    /* In an expression it is still refused: there is no value to use. */
    char *bad = testform_load_bad(tmp_root, "metarel", "type,name,label,relevant\nstart,inicio,,\n"
                                  "text,t,T,${inicio} != ''\n", NULL, NULL);
    assert_non_null(strstr(bad, "is a metadata field"));
    free(bad);
}

/* ---- 6: null ---------------------------------------------------------------- */

static void test_null_is_the_empty_value_in_a_form(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "null",
                                 "type,name,label,calculation\n"
                                 "integer,n,N,\n"
                                 "calculate,c,,\"if(${n} > 1, 'mucho', null)\"\n",
                                 NULL, NULL);
    answers_t a;
    assert_int_equal(testform_post(&a, f, "n=5"), 0);
    assert_string_equal(testform_val(&a, "c"), "mucho");
    answers_free(&a);
    assert_int_equal(testform_post(&a, f, "n=0"), 0);
    const char *c = testform_val(&a, "c");
    assert_true(c == NULL || !*c);
    answers_free(&a);
    form_free(f);
}

/* ---- 7: the POST's field cap ------------------------------------------------ */

static void test_a_form_over_the_field_cap_is_noted(void **state)
{
    (void)state;
    buf_t s, ch;
    buf_init(&s);
    buf_init(&ch);
    buf_puts(&s, "type,name,label\n");
    for (int i = 0; i < 300; i++) buf_printf(&s, "text,t%d,T%d\n", i, i);
    form_t *f = testform_load_ok(tmp_root, "big", s.data, NULL, NULL);
    char *notes = testform_notes(f);
    assert_null(strstr(notes, "fields, more than"));
    free(notes);
    form_free(f);
    buf_puts(&ch, "list_name,name,label\n");
    for (int i = 0; i < 1000; i++) buf_printf(&ch, "l,c%d,C%d\n", i, i);
    buf_puts(&s, "select_multiple l,m1,M1\nselect_multiple l,m2,M2\n");
    f = testform_load_ok(tmp_root, "huge", s.data, ch.data, NULL);
    notes = testform_notes(f);
    assert_non_null(strstr(notes, "could send 2316 fields, more than the 2000"));
    free(notes);
    form_free(f);
    buf_free(&s);
    buf_free(&ch);
}

/* ---- 8: languages a page can speak ------------------------------------------ */

static void test_only_served_languages_are_previewed(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "langs",
                                 "type,name,label::English (en),label::Español (es),label::Français (fr)\n"
                                 "text,t,Name,Nombre,Nom\n",
                                 NULL, "default_language\nEspañol (es)\n");
    lang_t l[LANG_TABLES];
    size_t n = render_form_preview_langs(f, l);
    assert_int_equal(n, 1);
    assert_int_equal(l[0], LANG_ES);
    int en = form_lang(f, "en"), fr = form_lang(f, "fr"), es = form_lang(f, "es");
    assert_false(form_lang_offered(f, en));
    assert_false(form_lang_offered(f, fr));
    assert_true(form_lang_offered(f, es));
    form_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pyxform_type_aliases),
        cmocka_unit_test(test_bind_and_control_columns),
        cmocka_unit_test(test_excel_booleans_in_expressions),
        cmocka_unit_test(test_choice_and_note_without_label),
        cmocka_unit_test(test_metadata_in_a_label_shows_nothing),
        cmocka_unit_test(test_null_is_the_empty_value_in_a_form),
        cmocka_unit_test(test_a_form_over_the_field_cap_is_noted),
        cmocka_unit_test(test_only_served_languages_are_previewed),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
