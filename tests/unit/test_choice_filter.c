/*
 * test_choice_filter.c: choice_filter evaluated per choice (issue 16,
 * item 4): the choice's columns are readable by name as in ODK (name,
 * label, any other column of the choices sheet), written either way round
 * (`provincia=${provincia}` or `${provincia} = provincia`), and any
 * expression works (functions, or, a column called "filter"). The one
 * test answers_choice_fits is what validation accepts: a choice that fits
 * the submitted answers passes, any other is AERR_CHOICE.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/buf.h"
#include "model/answers.h"
#include "model/form.h"
#include "testform.h"
#include "testsh.h"

static char *tmp_root;

static int group_setup(void **state)
{
    (void)state;
    tmp_root = xstrdup("/tmp/buzon-test-cf-XXXXXX");
    return mkdtemp(tmp_root) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    int rc = test_rmtree(tmp_root);
    free(tmp_root);
    return rc;
}

#define CASCADE_SURVEY \
    "type,name,label,choice_filter\n" \
    "select_one prov,provincia,Provincia,\n" \
    "select_one mun,municipio,Municipio,${provincia} = provincia\n" \
    "select_one dist,distrito,Distrito,municipio=${municipio}\n" \
    "text,x,X,\n" \
    "select_one tag,etiqueta,Etiqueta,\"filter=${x} or starts-with(label, 'Todo')\"\n" \
    "select_multiple dist,otros,Otros,\"selected(${distrito}, name) = false() and string-length(name) > 5\"\n"
#define CASCADE_CHOICES \
    "list_name,name,label,provincia,municipio,filter\n" \
    "prov,ep,Elías Piña,,,\n" \
    "prov,sj,San Juan,,,\n" \
    "mun,banica,Bánica,ep,,\n" \
    "mun,comendador,Comendador,ep,,\n" \
    "mun,sjm,San Juan de la Maguana,sj,,\n" \
    "dist,sabana,Sabana Cruz,,banica,\n" \
    "dist,higuero,Sabana Higüero,,banica,\n" \
    "dist,guayabo,Guayabo,,comendador,\n" \
    "dist,pedro,Pedro Corto,,sjm,\n" \
    "tag,a,Alfa,,,1\n" \
    "tag,b,Beta,,,2\n" \
    "tag,t,Todos,,,\n"

/* The names of q's choices that fit a's answers, space-separated. */
static char *fitting(const answers_t *a, const char *qname)
{
    const form_t *f = a->form;
    buf_t b;
    buf_init(&b);
    for (size_t i = 0; i < f->nq; i++) {
        if (strcmp(f->q[i].name, qname)) continue;
        for (size_t k = 0; k < f->q[i].list->nchoices; k++)
            if (answers_choice_fits(a, i, &f->q[i].list->choices[k])) {
                if (b.len) buf_putc(&b, ' ');
                buf_puts(&b, f->q[i].list->choices[k].name);
            }
    }
    return buf_steal(&b);
}

static void expect_fit(const form_t *f, const char *body, const char *qname, const char *want)
{
    answers_t a;
    testform_post(&a, f, body);
    char *got = fitting(&a, qname);
    if (strcmp(got, want)) fail_msg("%s after %s: got \"%s\", want \"%s\"", qname, body, got, want);
    free(got);
    answers_free(&a);
}

static void test_cascade_fits(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "fits", CASCADE_SURVEY, CASCADE_CHOICES, NULL);
    expect_fit(f, "", "municipio", "");                   /* nothing chosen yet: nothing fits (ODK) */
    expect_fit(f, "", "distrito", "");
    expect_fit(f, "provincia=ep", "municipio", "banica comendador");
    expect_fit(f, "provincia=sj", "municipio", "sjm");
    expect_fit(f, "provincia=ep&municipio=banica", "distrito", "sabana higuero");
    expect_fit(f, "provincia=ep&municipio=comendador", "distrito", "guayabo");
    expect_fit(f, "provincia=provincia", "municipio", "");  /* a value, not the column */
    expect_fit(f, "x=1", "etiqueta", "a t");              /* a column called filter; label */
    expect_fit(f, "x=2", "etiqueta", "b t");
    expect_fit(f, "distrito=sabana", "otros", "higuero guayabo");
    /* A question without a filter: every choice fits. */
    expect_fit(f, "", "provincia", "ep sj");
    form_free(f);
}

static void test_validation_accepts_exactly_what_fits(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "valid", CASCADE_SURVEY, CASCADE_CHOICES, NULL);
    answers_t a;
    assert_int_equal(testform_post(&a, f, "provincia=ep&municipio=banica&distrito=higuero"), 0);
    assert_string_equal(testform_val(&a, "distrito"), "higuero");
    answers_free(&a);

    /* sjm is not in Elías Piña; Pedro Corto is in sjm, as posted. */
    assert_int_equal(testform_post(&a, f, "provincia=ep&municipio=sjm&distrito=pedro"), 1);
    assert_int_equal(a.err[1], AERR_CHOICE);
    answers_free(&a);

    assert_int_equal(testform_post(&a, f, "provincia=sj&municipio=sjm&distrito=sabana"), 1);
    assert_int_equal(a.err[2], AERR_CHOICE);
    answers_free(&a);

    /* select_multiple: every token must fit. */
    assert_int_equal(testform_post(&a, f, "distrito=sabana&otros=higuero+guayabo&provincia=ep&municipio=banica"), 0);
    answers_free(&a);
    assert_int_equal(testform_post(&a, f, "distrito=sabana&otros=higuero+sabana&provincia=ep&municipio=banica"), 1);
    assert_int_equal(a.err[5], AERR_CHOICE);
    answers_free(&a);
    form_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cascade_fits),
        cmocka_unit_test(test_validation_accepts_exactly_what_fits),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
