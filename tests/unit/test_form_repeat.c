/*
 * test_form_repeat.c: repeats (issue 16, item 1) in the model: loading
 * begin_repeat/end_repeat (and "begin repeat"), the file:row errors
 * (unbalanced, three levels deep, a repeat_count that is not a number),
 * the expansion (rows named by path and index, expressions re-bound to
 * their instance, position(..), sum()/count()/join() and
 * indexed-repeat() over the instances from outside), repeat_count as a
 * number and as an expression, and the page's add and remove buttons
 * (form_repeat_for_post) keeping the answers of the other instances.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/buf.h"
#include "base/urlenc.h"
#include "model/answers.h"
#include "model/form.h"
#include "model/form_repeat.h"
#include "model/indicators.h"
#include "testform.h"
#include "testsh.h"

static char *tmp_root;

static int group_setup(void **state)
{
    (void)state;
    tmp_root = xstrdup("/tmp/buzon-test-repeat-XXXXXX");
    return mkdtemp(tmp_root) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    int rc = test_rmtree(tmp_root);
    free(tmp_root);
    return rc;
}

#define HOGAR "type,name,label,calculation,constraint,relevant\n" \
              "text,jefe,Jefe,,,\n" \
              "begin_repeat,persona,Persona,,,\n" \
              "text,nombre,Nombre,,,\n" \
              "integer,edad,Edad,,. < 130,\n" \
              "select_one sexo,sexo,Sexo,,,${edad} >= 0\n" \
              "calculate,adulto,,\"if(${edad} >= 18, 1, 0)\",,\n" \
              "calculate,pos,,position(..),,\n" \
              "end_repeat,,,,,\n" \
              "calculate,adultos,,sum(${adulto}),,\n" \
              "calculate,personas,,count(${nombre}),,\n" \
              "calculate,nombres,,\"join(', ', ${nombre})\",,\n" \
              "calculate,segunda,,\"indexed-repeat(${nombre}, ${persona}, 2)\",,\n" \
              "calculate,cuantas,,count(${persona}),,\n"
#define SEXO "list_name,name,label\nsexo,f,Femenino\nsexo,m,Masculino\n"

/* The post as a kvlist (the caller frees). */
static kvlist_t parse(const char *body)
{
    kvlist_t l;
    assert_int_equal(urlenc_parse(body, strlen(body), 500, 4000, &l), URLENC_OK);
    return l;
}

static void test_expansion_binds_each_instance(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "hogar", HOGAR, SEXO, NULL);
    assert_true(f->has_repeats);
    /* A posted name found in the loaded form, before it is expanded (a
     * file's size limit is its question's). */
    assert_ptr_equal(form_repeat_loaded(f, "persona[2].nombre"), form_question(f, "nombre"));
    assert_ptr_equal(form_repeat_loaded(f, "jefe"), form_question(f, "jefe"));
    assert_null(form_repeat_loaded(f, "persona[2].nadie"));
    kvlist_t post = parse("jefe=Ana&_n.persona=3&persona[1].nombre=Ana&persona[1].edad=40&persona[1].sexo=f"
                          "&persona[2].nombre=Luis&persona[2].edad=12&persona[2].sexo=m"
                          "&persona[3].nombre=Rosa&persona[3].edad=19&persona[3].sexo=f");
    form_t *x = form_repeat_for_post(f, &post);
    assert_non_null(x);
    testform_q(x, "persona[1].nombre");
    testform_q(x, "persona[3].sexo");
    assert_null(form_question(x, "persona[4].nombre"));
    assert_null(form_question(x, "nombre"));
    answers_t a;
    answers_init(&a, x);
    answers_from_post(&a, &post);
    assert_int_equal(answers_validate(&a), 0);
    assert_string_equal(testform_val(&a, "persona[1].adulto"), "1");
    assert_string_equal(testform_val(&a, "persona[2].adulto"), "0");
    assert_string_equal(testform_val(&a, "persona[3].pos"), "3");
    assert_string_equal(testform_val(&a, "adultos"), "2");
    assert_string_equal(testform_val(&a, "personas"), "3");
    assert_string_equal(testform_val(&a, "nombres"), "Ana, Luis, Rosa");
    assert_string_equal(testform_val(&a, "segunda"), "Luis");
    /* review: count() of the repeat itself is how many instances (was 1) */
    assert_string_equal(testform_val(&a, "cuantas"), "3");
    answers_free(&a);
    kvlist_free(&post);

    /* a constraint inside instance 2 is judged on instance 2's value */
    post = parse("_n.persona=2&persona[1].nombre=Ana&persona[1].edad=40&persona[2].nombre=Luis&persona[2].edad=300");
    form_t *y = form_repeat_for_post(f, &post);
    answers_init(&a, y);
    answers_from_post(&a, &post);
    assert_int_equal(answers_validate(&a), 1);
    size_t i2 = (size_t)(testform_q(y, "persona[2].edad") - y->q);
    assert_int_equal(a.err[i2], AERR_CONSTRAINT);
    answers_free(&a);
    kvlist_free(&post);
    form_free(y);
    form_free(x);
    form_free(f);
}

static void test_buttons_add_and_remove(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "botones", HOGAR, SEXO, NULL);
    /* the fresh page: one instance */
    form_t *x = form_repeat_for_post(f, NULL);
    testform_q(x, "persona[1].nombre");
    assert_null(form_question(x, "persona[2].nombre"));
    form_free(x);
    /* add: a second instance, the first's answer kept */
    kvlist_t post = parse("_n.persona=1&persona[1].nombre=Ana&_add=persona");
    assert_true(form_repeat_button(&post));
    x = form_repeat_for_post(f, &post);
    testform_q(x, "persona[2].nombre");
    assert_string_equal(kvlist_get(&post, "_n.persona"), "2");
    assert_string_equal(kvlist_get(&post, "persona[1].nombre"), "Ana");
    form_free(x);
    kvlist_free(&post);
    /* remove the second of three: the third becomes the second */
    post = parse("_n.persona=3&persona[1].nombre=Ana&persona[2].nombre=Luis&persona[3].nombre=Rosa&_del=persona[2]");
    x = form_repeat_for_post(f, &post);
    assert_null(form_question(x, "persona[3].nombre"));
    assert_string_equal(kvlist_get(&post, "persona[2].nombre"), "Rosa");
    assert_string_equal(kvlist_get(&post, "persona[1].nombre"), "Ana");
    assert_null(kvlist_get(&post, "persona[3].nombre"));
    form_free(x);
    kvlist_free(&post);
    /* more than the cap: the cap */
    post = parse("_n.persona=5000");
    x = form_repeat_for_post(f, &post);
    testform_q(x, "persona[50].nombre");
    assert_null(form_question(x, "persona[51].nombre"));
    form_free(x);
    kvlist_free(&post);
    form_free(f);
}

static void test_repeat_count_and_nesting(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "cuenta",
        "type,name,label,repeat_count,calculation\n"
        "integer,n,Cuántos,,\n"
        "begin repeat,hijo,Hijo,${n},\n"
        "text,nombre,Nombre,,\n"
        "end repeat,,,,\n"
        "begin_repeat,tres,Tres,3,\n"
        "text,t,T,,\n"
        "end_repeat,,,,\n"
        "begin_repeat,casa,Casa,,\n"
        "text,calle,Calle,,\n"
        "begin_repeat,cuarto,Cuarto,,\n"
        "integer,camas,Camas,,\n"
        "calculate,donde,,,\"concat(${calle}, ':', position(..))\"\n"
        "end_repeat,,,,\n"
        "calculate,camas_casa,,,sum(${camas})\n"
        "end_repeat,,,,\n", NULL, NULL);
    form_t *x = form_repeat_for_post(f, NULL);
    testform_q(x, "tres[3].t");
    assert_null(form_question(x, "hijo[1].nombre"));   /* ${n} empty: none */
    form_free(x);
    kvlist_t post = parse("n=2&_n.casa=2&_n.casa[1].cuarto=2&_n.casa[2].cuarto=1&casa[1].calle=A"
                          "&casa[1].cuarto[1].camas=2&casa[1].cuarto[2].camas=3&casa[2].calle=B&casa[2].cuarto[1].camas=1");
    x = form_repeat_for_post(f, &post);
    testform_q(x, "hijo[2].nombre");
    assert_null(form_question(x, "hijo[3].nombre"));
    answers_t a;
    answers_init(&a, x);
    answers_from_post(&a, &post);
    answers_calculate(&a);
    assert_string_equal(testform_val(&a, "casa[1].cuarto[2].donde"), "A:2");
    assert_string_equal(testform_val(&a, "casa[2].cuarto[1].donde"), "B:1");
    assert_string_equal(testform_val(&a, "casa[1].camas_casa"), "5");
    assert_string_equal(testform_val(&a, "casa[2].camas_casa"), "1");
    answers_free(&a);
    kvlist_free(&post);
    form_free(x);
    form_free(f);
}

static void test_bad_repeats(void **state)
{
    (void)state;
    char *e = testform_load_bad(tmp_root, "mal1",
        "type,name,label\nbegin_repeat,r,R\ntext,a,A\nend_group,,\n", NULL, NULL);
    assert_non_null(strstr(e, "survey.csv:4: end_group closes begin_repeat \"r\""));
    free(e);
    e = testform_load_bad(tmp_root, "mal2",
        "type,name,label\nbegin_repeat,r,R\nbegin_repeat,s,S\nbegin_group,g,G\nbegin_repeat,t,T\ntext,a,A\n"
        "end_repeat,,\nend_group,,\nend_repeat,,\nend_repeat,,\n", NULL, NULL);
    assert_non_null(strstr(e, "survey.csv:5: repeat \"t\" is inside a repeat inside a repeat"));
    free(e);
    e = testform_load_bad(tmp_root, "mal3",
        "type,name,label,repeat_count\nbegin_repeat,r,R,tres)\ntext,a,A,\nend_repeat,,,\n", NULL, NULL);
    assert_non_null(strstr(e, "survey.csv:2: bad expression in repeat_count"));
    free(e);
    e = testform_load_bad(tmp_root, "mal4",
        "type,name,label,repeat_count\nbegin_repeat,r,R,500\ntext,a,A,\nend_repeat,,,\n", NULL, NULL);
    assert_non_null(strstr(e, "survey.csv:2: repeat_count 500 of \"r\""));
    free(e);
    e = testform_load_bad(tmp_root, "mal6",
        "type,name,label\nbegin loop over sexo,l,L\ninteger,n,N\nend loop,,\n", SEXO, NULL);
    assert_non_null(strstr(e, "survey.csv:2: begin loop over sexo: pyxform's loop over a list is not supported"));
    free(e);
    e = testform_load_bad(tmp_root, "mal5",
        "type,name,label\nbegin_repeat,r,R\ntext,a,A\n", NULL, NULL);
    assert_non_null(strstr(e, "survey.csv:2: begin_group \"r\" has no end_group"));
    free(e);
}

/* An indicator over a question of a repeat is refused, by row. */
static void test_indicator_over_a_repeat(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "ind", HOGAR, SEXO, NULL);
    char path[300];
    snprintf(path, sizeof path, "%s/indicators.csv", tmp_root);
    testform_write_file(tmp_root, "indicators.csv",
        "id,action,form,kind,items,choices,exclude,target,headline,label::Español (es),label::Kreyòl (ht)\n"
        "e,3,ind,mean,edad,,,,,Edad,Laj\n");
    diag_t d = { 0 };
    ind_defs_t defs;
    form_t *forms[1] = { f };
    assert_int_equal(ind_defs_load(path, forms, 1, &defs, &d), -1);
    bool found = false;
    for (size_t i = 0; i < d.n; i++)
        found |= strstr(d.lines[i], "indicators.csv:2: item \"edad\" is inside the repeat \"persona\"") != NULL;
    if (!found) fail_msg("no line about the repeat in: %s", d.n ? d.lines[0] : "");
    diag_free(&d);
    form_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expansion_binds_each_instance),
        cmocka_unit_test(test_buttons_add_and_remove),
        cmocka_unit_test(test_repeat_count_and_nesting),
        cmocka_unit_test(test_bad_repeats),
        cmocka_unit_test(test_indicator_over_a_repeat),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
