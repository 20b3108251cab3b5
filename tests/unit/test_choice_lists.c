/*
 * test_choice_lists.c: lists of choices (issue 16, item 4). choice_filter
 * evaluated per choice: the choice's columns are readable by name as in ODK (name,
 * label, any other column of the choices sheet), written either way round
 * (`provincia=${provincia}` or `${provincia} = provincia`), and any
 * expression works (functions, or, a column called "filter"). The one
 * test answers_choice_fits is what validation accepts: a choice that fits
 * the submitted answers passes, any other is AERR_CHOICE.
 * or_other: the loader adds the "other" choice (labelled in each of the
 * form's languages) and the text question <name>_other relevant when it
 * is chosen, keeps a list's own "other", and refuses what pyxform refuses.
 * select_*_from_file: a CSV beside the form (name,label or the columns
 * parameters value=/label= name; other columns usable by a choice_filter),
 * in a folder and beside a workbook; a missing, non-CSV, outside or
 * malformed file is a file:row error; a workbook sent from the browser
 * has no folder. select_one_external: a select_one from external_choices.
 * randomize/seed: a shuffle that a key (the submission id) or a seed
 * decides, the same every time; "other" stays last.
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

    /* allow_choice_duplicates: the same name in two places, either fits. */
    form_t *g = testform_load_ok(tmp_root, "dups",
        "type,name,label,choice_filter\nselect_one s,state,State,\nselect_one c,county,County,${state}=cf\n",
        "list_name,name,label,cf\ns,texas,Texas,\ns,washington,Washington,\n"
        "c,king,King,washington\nc,pierce,Pierce,washington\nc,king,King,texas\n",
        "form_id,allow_choice_duplicates\ndups,yes\n");
    assert_int_equal(testform_post(&a, g, "state=texas&county=king"), 0);
    answers_free(&a);
    assert_int_equal(testform_post(&a, g, "state=washington&county=king"), 0);
    answers_free(&a);
    assert_int_equal(testform_post(&a, g, "state=texas&county=pierce"), 1);
    answers_free(&a);
    form_free(g);

    /* select_multiple: every token must fit. */
    assert_int_equal(testform_post(&a, f, "distrito=sabana&otros=higuero+guayabo&provincia=ep&municipio=banica"), 0);
    answers_free(&a);
    assert_int_equal(testform_post(&a, f, "distrito=sabana&otros=higuero+sabana&provincia=ep&municipio=banica"), 1);
    assert_int_equal(a.err[5], AERR_CHOICE);
    answers_free(&a);
    form_free(f);
}

static void test_or_other_loads(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "otro",
        "type,name,label::Español (es),label::Kreyòl (ht),label::English (en)\n"
        "select_one col or_other,color,Color,Koulè,Colour\n"
        "select one from col or specify other,viejo,Viejo,Vye,Old\n"
        "select_multiple con or_other,cosas,Cosas,Bagay,Things\n"
        "text,despues,Después,Apre,After\n",
        "list_name,name,label::Español (es),label::Kreyòl (ht),label::English (en)\n"
        "col,1,Rojo,Wouj,Red\ncol,2,Azul,Ble,Blue\n"
        "con,a,A,A,A\ncon,other,Otra cosa,Lòt bagay,Something else\n", NULL);
    /* Every select is followed by its "specify" text question. */
    const char *order[] = { "color", "color_other", "viejo", "viejo_other", "cosas", "cosas_other", "despues" };
    assert_int_equal(f->nq, 7);
    for (size_t i = 0; i < 7; i++) assert_string_equal(f->q[i].name, order[i]);
    const question_t *c = testform_q(f, "color"), *s = testform_q(f, "color_other");
    assert_true(c->or_other);
    assert_int_equal(form_nchoices(c), 3);
    const choice_t *o = form_choice_at(c, 2);
    assert_ptr_equal(o, form_choice(c, "other"));
    assert_string_equal(o->name, "other");
    int es = form_lang(f, "es"), ht = form_lang(f, "ht"), en = form_lang(f, "en");
    assert_string_equal(form_text(f, &o->label, es), "Otro");
    assert_string_equal(form_text(f, &o->label, ht), "Lòt");
    assert_string_equal(form_text(f, &o->label, en), "Other");
    assert_int_equal(s->type, Q_TEXT);
    assert_string_equal(s->relevant_src, "selected(${color}, 'other')");
    assert_string_equal(form_text(f, &s->label, es), "Especifique:");
    assert_string_equal(form_text(f, &s->label, ht), "Presize:");
    assert_int_equal(s->row, c->row);
    /* A list with its own "other" keeps it: no second one. */
    const question_t *m = testform_q(f, "cosas");
    assert_null(m->other);
    assert_int_equal(form_nchoices(m), 2);
    assert_string_equal(form_text(f, &form_choice(m, "other")->label, es), "Otra cosa");

    answers_t a;
    assert_int_equal(testform_post(&a, f, "color=other&color_other=Verde&cosas=a+other&cosas_other=X"), 0);
    assert_string_equal(testform_val(&a, "color"), "other");
    assert_string_equal(testform_val(&a, "color_other"), "Verde");
    assert_string_equal(testform_val(&a, "cosas_other"), "X");
    answers_free(&a);
    /* Typed while "other" is not chosen: the person must see it (ODK drops it). */
    assert_int_equal(testform_post(&a, f, "color=1&color_other=Verde"), 1);
    assert_int_equal(a.err[1], AERR_NOT_APPLICABLE);
    answers_free(&a);
    form_free(f);
}

static void test_or_other_refused(void **state)
{
    (void)state;
    /* or_other on a type that is no select, and a name taken by the form. */
    char *bad = testform_load_bad(tmp_root, "otro_mal",
        "type,name,label\ntext or_other,t,T\nselect_one col or_other,color,Color\ntext,color_other,Otro\n",
        "list_name,name,label\ncol,1,Rojo\n", NULL);
    if (!strstr(bad, "survey.csv:2: unknown type \"text or_other\"") ||
        !strstr(bad, "survey.csv:4: duplicate name \"color_other\" (first at row 3)"))
        fail_msg("got:\n%s", bad);
    free(bad);
}

static void test_from_file_and_external(void **state)
{
    (void)state;
    char *dir = testform_write(tmp_root, "archivo",
        "type,name,label,parameters,choice_filter\n"
        "select_one_from_file municipios.csv,municipio,Municipio,,\n"
        "select_multiple_from_file parajes.csv,parajes,Parajes,value=codigo label=nombre,municipio=${municipio}\n"
        "select_one_external barrio,barrio,Barrio,,municipio=${municipio}\n"
        "select_one_from_file municipios.csv,otro_mun,Otro,,\n",
        NULL, "form_id\narchivo\n");
    testform_write_file(dir, "municipios.csv", "name,label\nbanica,Bánica\ncomendador,Comendador\n");
    testform_write_file(dir, "parajes.csv", "codigo,nombre,municipio\np1,Sabana Cruz,banica\np2,Guayabo,comendador\n");
    testform_write_file(dir, "external_choices.csv",
                        "list_name,name,label,municipio\nbarrio,centro,Centro,banica\nbarrio,arriba,Arriba,comendador\n");
    diag_t d = { 0 };
    form_t *f = form_load(dir, &d);
    if (!f) fail_msg("%s", d.n ? d.lines[0] : "?");
    const question_t *m = testform_q(f, "municipio"), *p = testform_q(f, "parajes"), *b = testform_q(f, "barrio");
    assert_int_equal(m->type, Q_SELECT_ONE);
    assert_int_equal(form_nchoices(m), 2);
    assert_string_equal(form_text(f, &form_choice(m, "banica")->label, f->default_lang), "Bánica");
    assert_ptr_equal(testform_q(f, "otro_mun")->list, m->list);   /* one list per file */
    assert_int_equal(p->type, Q_SELECT_MULTIPLE);
    assert_string_equal(form_text(f, &form_choice(p, "p2")->label, f->default_lang), "Guayabo");
    assert_int_equal(b->type, Q_SELECT_ONE);
    assert_int_equal(form_nchoices(b), 2);
    /* The file is part of the definition: its bytes are in the source. */
    assert_non_null(strstr(f->source, "p2,Guayabo,comendador"));
    expect_fit(f, "municipio=banica", "parajes", "p1");
    expect_fit(f, "municipio=comendador", "barrio", "arriba");
    answers_t a;
    assert_int_equal(testform_post(&a, f, "municipio=banica&parajes=p1&barrio=centro"), 0);
    answers_free(&a);
    assert_int_equal(testform_post(&a, f, "municipio=banica&parajes=p2&barrio=arriba"), 2);
    answers_free(&a);
    form_free(f);

    /* A workbook in the forms folder reads the file beside it. */
    char *book = NULL;
    buf_t bp;
    buf_init(&bp);
    buf_printf(&bp, "%s/libro.xlsx", dir);
    book = buf_steal(&bp);
    testform_write_xlsx(book, "type,name,label\nselect_one_from_file municipios.csv,municipio,Municipio\n",
                        NULL, "form_id\nlibro\n");
    f = form_load(book, &d);
    if (!f) fail_msg("%s", d.n ? d.lines[0] : "?");
    assert_int_equal(form_nchoices(testform_q(f, "municipio")), 2);
    form_free(f);
    /* The same workbook sent from the browser has no folder. */
    size_t len;
    char *bytes = testform_slurp(book, &len);
    assert_null(form_load_bytes("libro.xlsx", bytes, len, &d));
    assert_true(d.n > 0);
    if (!strstr(d.lines[d.n - 1], "libro.xlsx:survey:2: the choices of \"municipios.csv\" are in a file beside the form"))
        fail_msg("got %s", d.lines[d.n - 1]);
    free(bytes);
    free(book);
    diag_free(&d);
    free(dir);
}

static void test_bad_files_are_file_row_errors(void **state)
{
    (void)state;
    char *dir = testform_write(tmp_root, "malo",
        "type,name,label,parameters\n"
        "select_one_from_file nada.csv,a,A,\n"
        "select_one_from_file lista.xml,b,B,\n"
        "select_one_from_file ../x.csv,c,C,\n"
        "select_one_from_file mal.csv,d,D,\n"
        "select_one_from_file mal.csv,e,E,value=codigo\n"
        "select_one_external nolista,g,G,\n",
        NULL, NULL);
    testform_write_file(dir, "mal.csv", "name,label\nx,X\n,Sin nombre\ny,\nx,Otra\n");
    diag_t d = { 0 };
    assert_null(form_load(dir, &d));
    buf_t all;
    buf_init(&all);
    for (size_t i = 0; i < d.n; i++) buf_printf(&all, "%s\n", strstr(d.lines[i], "/malo/") + 6);
    const char *want[] = {
        "survey.csv:2: cannot read the choices file \"nada.csv\"",
        "survey.csv:3: \"lista.xml\": buzon reads the choices of a _from_file question only from a .csv file",
        "survey.csv:4: invalid file name \"../x.csv\"",
        "mal.csv:1: missing column \"codigo\"",
        "mal.csv:3: missing name",
        "mal.csv:4: missing label for choice \"y\"",
        "mal.csv:5: duplicate choice \"x\"",
        "survey.csv:7: list \"nolista\" is not in external_choices.csv",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(all.data, want[i])) fail_msg("missing %s in:\n%s", want[i], all.data);
    buf_free(&all);
    diag_free(&d);
    free(dir);
}

/* q's order with answers body and key, as "c a b ...". */
static char *order_of(const form_t *f, const char *qname, const char *body, const char *key)
{
    answers_t a;
    testform_post(&a, f, body);
    a.order_key = key;
    size_t i = (size_t)(testform_q(f, qname) - f->q);
    size_t n = form_nchoices(&f->q[i]), perm[16];
    answers_choice_order(&a, i, perm);
    buf_t b;
    buf_init(&b);
    for (size_t k = 0; k < n; k++) buf_printf(&b, "%s%s", k ? " " : "", form_choice_at(&f->q[i], perm[k])->name);
    answers_free(&a);
    return buf_steal(&b);
}

static void test_randomize_and_seed(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "azar",
        "type,name,label,parameters\n"
        "select_one n,uno,Uno,randomize=true\n"
        "select_one n,dos,Dos,randomize=true seed=42\n"
        "integer,x,X,\n"
        "select_one n,tres,Tres,\"randomize=true, seed=${x}\"\n"
        "select_one n or_other,cuatro,Cuatro,randomize=true\n"
        "select_one n,cinco,Cinco,\n",
        "list_name,name,label\nn,a,A\nn,b,B\nn,c,C\nn,d,D\nn,e,E\nn,f,F\nn,g,G\nn,h,H\n", NULL);
    assert_true(form_orders_per_visit(f));
    char *u1 = order_of(f, "uno", "", "visita-1"), *u1b = order_of(f, "uno", "x=3", "visita-1");
    assert_string_equal(u1, u1b);                    /* same key: same order */
    size_t differ = 0;
    for (int k = 2; k < 12; k++) {
        char key[16];
        snprintf(key, sizeof key, "visita-%d", k);
        char *u = order_of(f, "uno", "", key);
        differ += strcmp(u, u1) != 0;
        assert_int_equal(strlen(u), strlen("a b c d e f g h"));
        for (const char *c = "abcdefgh"; *c; c++) assert_non_null(strchr(u, *c));   /* a permutation */
        free(u);
    }
    assert_true(differ >= 8);
    /* A constant seed: the same whatever the visit. */
    char *d1 = order_of(f, "dos", "", "visita-1"), *d2 = order_of(f, "dos", "", "visita-2");
    assert_string_equal(d1, d2);
    assert_string_not_equal(d1, "a b c d e f g h");
    /* A seed from an answer follows the answer. */
    char *t7 = order_of(f, "tres", "x=7", "visita-1"), *t7b = order_of(f, "tres", "x=7", "visita-2"),
         *t8 = order_of(f, "tres", "x=8", "visita-1");
    assert_string_equal(t7, t7b);
    assert_string_not_equal(t7, t8);
    /* Other stays last; no parameters: the list's order. */
    char *c4 = order_of(f, "cuatro", "", "visita-1"), *c5 = order_of(f, "cinco", "", "visita-1");
    assert_string_equal(c4 + strlen(c4) - 5, "other");
    assert_string_equal(c5, "a b c d e f g h");
    free(u1), free(u1b), free(d1), free(d2), free(t7), free(t7b), free(t8), free(c4), free(c5);
    form_free(f);

    f = testform_load_ok(tmp_root, "azar2", "type,name,label,parameters\nselect_one n,dos,Dos,randomize=true seed=42\n",
                         "list_name,name,label\nn,a,A\nn,b,B\n", NULL);
    assert_false(form_orders_per_visit(f));        /* the shared page can be cached */
    form_free(f);

    char *bad = testform_load_bad(tmp_root, "azar_mal",
        "type,name,label,parameters\nselect_one n,a,A,randomize=quizas\nselect_one n,b,B,seed=3\n"
        "select_one n,c,C,randomize=true seed=${nadie}\n",
        "list_name,name,label\nn,a,A\n", NULL);
    if (!strstr(bad, "survey.csv:2: randomize must be true or false, not \"quizas\"") ||
        !strstr(bad, "survey.csv:3: seed needs randomize=true in parameters") || !strstr(bad, "survey.csv:4:"))
        fail_msg("got:\n%s", bad);
    free(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cascade_fits),
        cmocka_unit_test(test_validation_accepts_exactly_what_fits),
        cmocka_unit_test(test_or_other_loads),
        cmocka_unit_test(test_or_other_refused),
        cmocka_unit_test(test_from_file_and_external),
        cmocka_unit_test(test_bad_files_are_file_row_errors),
        cmocka_unit_test(test_randomize_and_seed),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
