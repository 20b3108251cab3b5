/*
 * test_form_calc.c: calculations and defaults (issue 15, item 2). Each
 * test writes a small form folder, loads it with form_load() and checks
 * the order the calculations run in (form_t.calc_order), the cycle
 * refused at load as `file:row` (and by `buzon forms check`), and what a
 * posted response keeps (answers.h): calculate values stored, computed
 * in dependency order whatever the row order, a calculation overriding
 * what is posted, defaults static and dynamic, read_only, required as an
 * expression.
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
#include "cli/cli.h"
#include "model/answers.h"
#include "model/form.h"
#include "testform.h"
#include "testsh.h"

/* ---- helpers ------------------------------------------------------------- */

static char *tmp_root;

static int group_setup(void **state)
{
    (void)state;
    tmp_root = xstrdup("/tmp/buzon-test-calc-XXXXXX");
    return mkdtemp(tmp_root) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    int rc = test_rmtree(tmp_root);
    free(tmp_root);
    return rc;
}

/* ---- order and cycles ----------------------------------------------------- */

/* Rows in the reverse of their dependencies: c uses b, b uses a. */
#define CHAIN "type,name,label,calculation\n" \
              "calculate,c,,${b} * 10\n" \
              "calculate,b,,${a} + 1\n" \
              "integer,a,A,\n" \
              "integer,d,D,\n" \
              "calculate,e,,${d} + ${c}\n"

static void test_calculations_in_dependency_order(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "order", CHAIN, NULL, NULL);
    assert_int_equal(f->ncalc, 3);
    char *got = testform_notes(f);
    assert_string_equal(got, "");   /* nothing buzon does differently */
    free(got);
    /* b before c, c before e */
    assert_string_equal(f->q[f->calc_order[0]].name, "b");
    assert_string_equal(f->q[f->calc_order[1]].name, "c");
    assert_string_equal(f->q[f->calc_order[2]].name, "e");
    assert_int_equal(testform_q(f, "c")->type, Q_CALCULATE);
    assert_true(form_q_answerable(testform_q(f, "c")));

    answers_t a;
    assert_int_equal(testform_post(&a, f, "a=4&d=1&c=999"), 0);
    assert_string_equal(testform_val(&a, "b"), "5");
    assert_string_equal(testform_val(&a, "c"), "50");   /* posted 999 ignored */
    assert_string_equal(testform_val(&a, "e"), "51");
    answers_free(&a);
    /* Empty numbers: NaN is no value, never "NaN" stored. */
    assert_int_equal(testform_post(&a, f, "d=2"), 0);
    assert_null(testform_val(&a, "b"));
    assert_null(testform_val(&a, "e"));
    answers_free(&a);
    form_free(f);
}

static void test_cycle_is_a_file_row_error(void **state)
{
    (void)state;
    char *got = testform_load_bad(tmp_root, "cycle",
                         "type,name,label,calculation\n"
                         "integer,n,N,\n"
                         "calculate,x,,${y} + ${n}\n"
                         "calculate,y,,${z} * 2\n"
                         "calculate,z,,${x}\n", NULL, NULL);
    assert_string_equal(got, "survey.csv:3: calculation cycle: x -> y -> z -> x");
    free(got);
    got = testform_load_bad(tmp_root, "selfcalc", "type,name,label,calculation\ncalculate,x,,${x} + 1\n", NULL, NULL);
    assert_string_equal(got, "survey.csv:2: calculation of \"x\" refers to the question itself");
    free(got);
    got = testform_load_bad(tmp_root, "nocalc", "type,name,label,calculation\ncalculate,x,,\ntext,t,T,${zz}\n", NULL, NULL);
    assert_string_equal(got, "survey.csv:2: calculate \"x\" has no calculation\n"
                             "survey.csv:3: unknown question ${zz} in calculation");
    free(got);
}

static void test_forms_check_prints_the_cycle(void **state)
{
    (void)state;
    buf_t root;
    buf_init(&root);
    buf_printf(&root, "%s/cli", tmp_root);
    assert_int_equal(mkdir(root.data, 0700), 0);
    testform_write_file(root.data, "points.csv", "id,name,service\n");
    testform_write_file(root.data, "services.csv", "id,label::Español (es),label::Kreyòl (ht)\n");
    char *dir = testform_write(tmp_root, "cli/ciclo", "type,name,label,calculation\ncalculate,a,,${b}\ncalculate,b,,${a}\n",
                           NULL, NULL);
    char *argv[] = { "forms", "check", root.data, NULL };
    buf_t out, err, want;
    assert_int_equal(testform_run(cli_forms, argv, 3, &out, &err), 1);
    buf_init(&want);
    buf_printf(&want, "%s/survey.csv:2: calculation cycle: a -> b -> a\n", dir);
    assert_non_null(strstr(err.data, want.data));
    buf_free(&want);
    buf_free(&out);
    buf_free(&err);
    buf_free(&root);
    free(dir);
}

/* ---- values --------------------------------------------------------------- */

#define CALC_FORM "type,name,label,calculation,default,read_only,required,relevant,trigger,guidance_hint\n" \
                  "integer,edad,Edad,,,,yes,,,Años cumplidos\n" \
                  "calculate,adulto,,\"if(${edad} >= 18, 'si', 'no')\",,,,,${edad},\n" \
                  "text,cedula,Cédula,,,,${adulto} = 'si',,,\n" \
                  "integer,hijos,Hijos,,0,,,,,\n" \
                  "text,saludo,Saludo,,\"concat('Hola ', ${edad})\",,,,,\n" \
                  "text,fijo,Fijo,,Bánica,yes,,,,\n" \
                  "calculate,doble,,${edad} * 2,,,,${adulto} = 'si',,\n" \
                  "text,grande,Grande,,,,,${doble} > 100,,\n"

static void test_calculate_values_stored_with_the_answers(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "values", CALC_FORM, NULL, NULL);
    assert_string_equal(testform_q(f, "adulto")->trigger_src, "${edad}");
    assert_string_equal(form_text(f, &testform_q(f, "edad")->guidance_hint, 0), "Años cumplidos");
    answers_t a;
    /* Required as an expression: asked because adulto is 'si'. */
    assert_int_equal(testform_post(&a, f, "edad=30&fijo=otro"), 1);
    assert_int_equal(a.err[testform_q(f, "cedula") - f->q], AERR_REQUIRED);
    assert_string_equal(testform_val(&a, "adulto"), "si");
    assert_string_equal(testform_val(&a, "fijo"), "Bánica");   /* read_only: what is posted is ignored */
    answers_free(&a);
    assert_int_equal(testform_post(&a, f, "edad=60&cedula=001"), 0);
    assert_string_equal(testform_val(&a, "doble"), "120");
    /* The dynamic default that needs an answer applies at submit when empty. */
    assert_string_equal(testform_val(&a, "saludo"), "Hola 60");
    assert_true(a.relevant[testform_q(f, "grande") - f->q]);   /* relevance over a calculation */
    answers_free(&a);
    /* Not required for a minor; an irrelevant calculation has no value. */
    assert_int_equal(testform_post(&a, f, "edad=10&saludo=Buenas"), 0);
    assert_string_equal(testform_val(&a, "adulto"), "no");
    assert_null(testform_val(&a, "doble"));
    assert_string_equal(testform_val(&a, "saludo"), "Buenas");   /* typed: kept */
    assert_false(a.relevant[testform_q(f, "grande") - f->q]);
    answers_free(&a);
    form_free(f);
}

static void test_defaults_on_the_fresh_page(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "fresh",
                        "type,name,label,default\n"
                        "integer,n,N,3\n"
                        "text,t,T,\"concat('a', 'b')\"\n"
                        "date,d,D,today()\n"
                        "text,u,U,${t}\n", NULL, NULL);
    assert_true(testform_q(f, "t")->default_fresh);
    assert_false(testform_q(f, "d")->default_fresh);   /* differs from day to day: not on a cached page */
    assert_false(testform_q(f, "u")->default_fresh);   /* needs an answer */
    answers_t a;
    answers_init(&a, f);
    answers_prefill_defaults(&a);
    assert_string_equal(testform_val(&a, "n"), "3");
    assert_string_equal(testform_val(&a, "t"), "ab");
    assert_null(testform_val(&a, "d"));
    assert_null(testform_val(&a, "u"));
    answers_free(&a);
    /* At submit: today() fills the empty date; u follows t. */
    assert_int_equal(testform_post(&a, f, "n=&t=xy"), 0);
    assert_null(testform_val(&a, "n"));   /* cleared static default stays cleared */
    assert_non_null(testform_val(&a, "d"));
    assert_int_equal(strlen(testform_val(&a, "d")), 10);
    assert_string_equal(testform_val(&a, "u"), "xy");
    answers_free(&a);
    form_free(f);
}

static void test_fresh_default_dropped_when_not_applicable(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "dropdef",
                        "type,name,label,default,relevant\n"
                        "text,si,Si,,\n"
                        "integer,k,K,0,${si} = 'x'\n", NULL, NULL);
    answers_t a;
    assert_int_equal(testform_post(&a, f, "si=no&k=0"), 0);   /* the shown default, not typed: no error */
    assert_null(testform_val(&a, "k"));
    answers_free(&a);
    assert_int_equal(testform_post(&a, f, "si=no&k=7"), 1);   /* typed: kept, the page shown again */
    answers_free(&a);
    form_free(f);
}

/* Review fix (issue 15): calculations and relevance read the value as it
 * will be stored: "2,5" (a decimal typed with a comma, as Spanish keyboards
 * write it) and " 3 " are numbers, not NaN. */
static void test_calculations_see_normalised_values(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "norm",
                        "type,name,label,calculation,relevant\n"
                        "decimal,peso,Peso,,\n"
                        "integer,n,N,,\n"
                        "calculate,doble,,${peso} * 2,\n"
                        "calculate,mas,,${n} + 1,\n"
                        "text,nota,Nota,,${peso} > 2\n"
                        "select_multiple l,s,S,,\n"
                        "calculate,cuantos,,count-selected(${s}),\n",
                        "list_name,name,label\nl,a,A\nl,b,B\n", NULL);
    answers_t a;
    assert_int_equal(testform_post(&a, f, "peso=2%2C5&n=+3+&nota=x&s=a&s=b&s=a"), 0);
    assert_string_equal(testform_val(&a, "peso"), "2.5");
    assert_string_equal(testform_val(&a, "doble"), "5");
    assert_string_equal(testform_val(&a, "n"), "3");
    assert_string_equal(testform_val(&a, "mas"), "4");
    assert_true(a.relevant[testform_q(f, "nota") - f->q]);
    assert_string_equal(testform_val(&a, "nota"), "x");
    assert_string_equal(testform_val(&a, "cuantos"), "2");   /* "a b a" is stored "a b" */
    answers_free(&a);
    /* Shown again without validation (language switch): the same values. */
    answers_init(&a, f);
    kvlist_t post = { 0 };
    const char *body = "peso=+1%2C5+";
    assert_int_equal(urlenc_parse(body, strlen(body), 10, 100, &post), URLENC_OK);
    answers_from_post(&a, &post);
    answers_calculate(&a);
    assert_string_equal(testform_val(&a, "doble"), "3");
    kvlist_free(&post);
    answers_free(&a);
    form_free(f);
}

/* Review fix (issue 15): a calculation's result is stored as its
 * question's type casts it (calc_cast in answers.c), bounded as a typed
 * text answer; what cannot be cast is not stored, and the server log
 * names the form and the question (never the value). */
static void test_calculation_results_checked(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "cast",
                        "type,name,label,calculation\n"
                        "text,t,T,\n"
                        "integer,medio,Medio,5 div 2\n"
                        "integer,menos,Menos,-5 div 2\n"
                        "integer,letras,Letras,'abc'\n"
                        "decimal,tercio,Tercio,1 div 3\n"
                        "decimal,inf,Inf,1 div 0\n"
                        "date,manana,Mañana,\"date('2026-03-01') + 1\"\n"
                        "date,nofecha,No fecha,'ayer'\n"
                        "select_one l,uno,Uno,'b'\n"
                        "select_one l,otro,Otro,'zz'\n"
                        "select_multiple l,varios,Varios,'b a b'\n"
                        "calculate,largo,,\"concat(${t}, ${t}, ${t}, ${t}, ${t}, ${t}, ${t}, ${t})\"\n"
                        "calculate,corto,,\"concat(${t}, '!')\"\n",
                        "list_name,name,label\nl,a,A\nl,b,B\n", NULL);
    buf_t body;
    buf_init(&body);
    buf_puts(&body, "t=");
    for (int k = 0; k < 600; k++) buf_putc(&body, 'x');

    /* The server log (stderr) into a file for the time of the post. */
    char logpath[256];
    snprintf(logpath, sizeof logpath, "%s/cast.log", tmp_root);
    fflush(stderr);
    int saved = dup(2);
    FILE *lf = fopen(logpath, "w+");
    assert_non_null(lf);
    dup2(fileno(lf), 2);
    answers_t a;
    size_t nerr = testform_post(&a, f, body.data);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    assert_int_equal(nerr, 0);
    assert_string_equal(testform_val(&a, "medio"), "2");    /* JavaRosa's (int): the integer part */
    assert_string_equal(testform_val(&a, "menos"), "-2");
    assert_null(testform_val(&a, "letras"));
    assert_string_equal(testform_val(&a, "tercio"), "0.33333333333333");   /* 15 digits, as a typed decimal */
    assert_null(testform_val(&a, "inf"));
    assert_string_equal(testform_val(&a, "manana"), "2026-03-02");
    assert_null(testform_val(&a, "nofecha"));
    assert_string_equal(testform_val(&a, "uno"), "b");
    assert_null(testform_val(&a, "otro"));
    assert_string_equal(testform_val(&a, "varios"), "b a");
    assert_null(testform_val(&a, "largo"));   /* 4,800 characters: over ANSWER_MAX_TEXT */
    assert_int_equal(strlen(testform_val(&a, "corto")), 601);
    answers_free(&a);

    buf_t log;
    buf_init(&log);
    rewind(lf);
    char line[512];
    while (fgets(line, sizeof line, lf)) buf_puts(&log, line);
    fclose(lf);
    assert_string_equal(log.data,
        "buzon: form cast: the calculated value of \"letras\" is not an integer: nothing stored\n"
        "buzon: form cast: the calculated value of \"inf\" is not a number: nothing stored\n"
        "buzon: form cast: the calculated value of \"nofecha\" is not a date: nothing stored\n"
        "buzon: form cast: the calculated value of \"otro\" is not a choice of its list: nothing stored\n"
        "buzon: form cast: the calculated value of \"largo\" is longer than an answer may be: nothing stored\n");
    assert_null(strstr(log.data, "xxx"));
    buf_free(&log);
    buf_free(&body);
    form_free(f);
}

/* Review fix (issue 15): a path names a question as much as ${} does, in
 * the order of calculations and in their cycles. */
static void test_paths_are_dependencies(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "pathorder",
                        "type,name,label,calculation\n"
                        "calculate,c,,../b * 10\n"
                        "calculate,b,,/data/a + 1\n"
                        "calculate,a,,current()/../n + 1\n"
                        "integer,n,N,\n", NULL, NULL);
    assert_int_equal(f->ncalc, 3);
    assert_string_equal(f->q[f->calc_order[0]].name, "a");
    assert_string_equal(f->q[f->calc_order[1]].name, "b");
    assert_string_equal(f->q[f->calc_order[2]].name, "c");
    answers_t a;
    assert_int_equal(testform_post(&a, f, "n=1"), 0);
    assert_string_equal(testform_val(&a, "c"), "30");
    answers_free(&a);
    form_free(f);

    char *got = testform_load_bad(tmp_root, "pathcycle",
                         "type,name,label,calculation\n"
                         "integer,n,N,\n"
                         "calculate,x,,../y + ${n}\n"
                         "calculate,y,,/data/z * 2\n"
                         "calculate,z,,current()/../x\n", NULL, NULL);
    assert_string_equal(got, "survey.csv:3: calculation cycle: x -> y -> z -> x");
    free(got);
    got = testform_load_bad(tmp_root, "pathself", "type,name,label,calculation\ncalculate,x,,../x + 1\n", NULL, NULL);
    assert_string_equal(got, "survey.csv:2: calculation of \"x\" refers to the question itself (path ../x)");
    free(got);
}

/* Review fix (issue 15): a default naming a question by a path is a
 * dynamic default, applied as one written with ${}. */
static void test_default_by_path(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "defpath",
                        "type,name,label,default\n"
                        "text,t,T,\n"
                        "integer,n,N,\n"
                        "text,u,U,../t\n"
                        "integer,m,M,/data/n + 1\n"
                        "text,punto,Punto,.\n", NULL, NULL);
    assert_non_null(testform_q(f, "u")->default_expr);
    assert_false(testform_q(f, "u")->default_fresh);   /* needs an answer */
    assert_null(testform_q(f, "punto")->default_expr);   /* names nothing: a static text */
    answers_t a;
    assert_int_equal(testform_post(&a, f, "t=xy&n=4"), 0);
    assert_string_equal(testform_val(&a, "u"), "xy");
    assert_string_equal(testform_val(&a, "m"), "5");
    answers_free(&a);
    form_free(f);
}

/* Review fix (issue 15): a relevance that depends on a calculation that
 * depends on that relevance's question is refused at load; a form whose
 * relevances never settle (a cycle of relevances alone) stops after
 * ANSWERS_MAX_ROUNDS rounds and says so in the server log; a long chain
 * of relevances on later questions still settles (evaluation order). */
static void test_relevance_calculation_cycles(void **state)
{
    (void)state;
    char *got = testform_load_bad(tmp_root, "relcycle",
                         "type,name,label,calculation,relevant\n"
                         "integer,n,N,,\n"
                         "text,q,Q,,${c} > 1\n"
                         "calculate,c,,string-length(../q) + ${n},\n", NULL, NULL);
    assert_string_equal(got, "survey.csv:3: relevance and calculation cycle: the relevance or value of each of q, c "
                             "depends on another of them");
    free(got);
    /* A group whose relevance names a calculation inside it: the
     * calculation has no value while the group does not apply (buzon
     * keeps no value for what does not apply), so the group could never
     * apply. Refused, rather than a group never shown. */
    got = testform_load_bad(tmp_root, "groupcalc",
                         "type,name,label,calculation,relevant\n"
                         "integer,n,N,,\n"
                         "begin_group,g,G,,${c} > 1\n"
                         "calculate,c,,${n} + 1,\n"
                         "end_group,,,,\n", NULL, NULL);
    assert_string_equal(got, "survey.csv:3: relevance and calculation cycle: the relevance or value of each of g, c "
                             "depends on another of them");
    free(got);

    /* a applies while b is empty, b while a is answered: never settles. */
    form_t *f = testform_load_ok(tmp_root, "flipflop",
                        "type,name,label,relevant\n"
                        "text,a,A,${b} = ''\n"
                        "text,b,B,${a} != ''\n", NULL, NULL);
    char logpath[256];
    snprintf(logpath, sizeof logpath, "%s/flip.log", tmp_root);
    fflush(stderr);
    int saved = dup(2);
    FILE *lf = fopen(logpath, "w+");
    assert_non_null(lf);
    dup2(fileno(lf), 2);
    answers_t a;
    answers_init(&a, f);
    kvlist_t post = { 0 };
    const char *body = "a=x&b=y";
    assert_int_equal(urlenc_parse(body, strlen(body), 10, 100, &post), URLENC_OK);
    answers_from_post(&a, &post);
    answers_calculate(&a);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    kvlist_free(&post);
    answers_free(&a);
    form_free(f);
    char line[256] = "";
    rewind(lf);
    assert_non_null(fgets(line, sizeof line, lf));
    fclose(lf);
    assert_string_equal(line, "buzon: form flipflop: relevance and calculations did not settle in 8 rounds\n");

    /* q1 applies when q2 is answered, q2 when q3 is... over 40 questions. */
    buf_t survey;
    buf_init(&survey);
    buf_puts(&survey, "type,name,label,relevant\n");
    for (int k = 1; k < 40; k++) buf_printf(&survey, "text,q%d,Q,${q%d} != ''\n", k, k + 1);
    buf_puts(&survey, "text,q40,Q,\n");
    buf_t post40;
    buf_init(&post40);
    for (int k = 1; k <= 40; k++) buf_printf(&post40, "%sq%d=v", k > 1 ? "&" : "", k);
    f = testform_load_ok(tmp_root, "chain", survey.data, NULL, NULL);
    assert_int_equal(testform_post(&a, f, post40.data), 0);
    assert_true(a.relevant[testform_q(f, "q1") - f->q]);
    assert_string_equal(testform_val(&a, "q1"), "v");
    answers_free(&a);
    form_free(f);
    buf_free(&survey);
    buf_free(&post40);
}

/* Review fix (issue 15): jr:choice-name() and instance(...)/label read
 * the page's language where the form has it, else the form's default. */
static void test_labels_in_the_page_language(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "langs",
                        "type,name,label::Español (es),label::Kreyòl (ht),calculation\n"
                        "select_one l,s,Elija,Chwazi,\n"
                        "calculate,nombre,,,\"jr:choice-name(${s}, '${s}')\"\n"
                        "calculate,etiqueta,,,instance('l')/root/item[name = ${s}]/label\n",
                        "list_name,name,label::Español (es),label::Kreyòl (ht)\n"
                        "l,a,Agua,Dlo\nl,b,Bosque,\n", NULL);
    static const struct { const char *lang, *body, *want; } rows[] = {
        { "ht", "s=a", "Dlo" },
        { "es", "s=a", "Agua" },
        { NULL, "s=a", "Agua" },     /* no language: the form's default */
        { "fr", "s=a", "Agua" },     /* not one of the form's */
        { "ht", "s=b", "Bosque" },   /* no Kreyòl label: the default's */
    };
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        answers_t a;
        answers_init(&a, f);
        answers_set_lang(&a, rows[k].lang);
        kvlist_t post = { 0 };
        assert_int_equal(urlenc_parse(rows[k].body, strlen(rows[k].body), 10, 100, &post), URLENC_OK);
        answers_from_post(&a, &post);
        kvlist_free(&post);
        assert_int_equal(answers_validate(&a), 0);
        assert_string_equal(testform_val(&a, "nombre"), rows[k].want);
        assert_string_equal(testform_val(&a, "etiqueta"), rows[k].want);
        answers_free(&a);
    }
    form_free(f);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calculations_in_dependency_order),
        cmocka_unit_test(test_cycle_is_a_file_row_error),
        cmocka_unit_test(test_forms_check_prints_the_cycle),
        cmocka_unit_test(test_calculate_values_stored_with_the_answers),
        cmocka_unit_test(test_defaults_on_the_fresh_page),
        cmocka_unit_test(test_fresh_default_dropped_when_not_applicable),
        cmocka_unit_test(test_calculations_see_normalised_values),
        cmocka_unit_test(test_calculation_results_checked),
        cmocka_unit_test(test_paths_are_dependencies),
        cmocka_unit_test(test_default_by_path),
        cmocka_unit_test(test_relevance_calculation_cycles),
        cmocka_unit_test(test_labels_in_the_page_language),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
