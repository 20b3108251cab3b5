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
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/buf.h"
#include "base/urlenc.h"
#include "cli/cli.h"
#include "model/answers.h"
#include "model/form.h"

/* ---- helpers ------------------------------------------------------------- */

static char *tmp_root;

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void write_file(const char *dir, const char *name, const char *content)
{
    buf_t path;
    buf_init(&path);
    buf_printf(&path, "%s/%s", dir, name);
    FILE *f = fopen(path.data, "wb");
    assert_non_null(f);
    assert_true(fputs(content, f) >= 0);
    assert_int_equal(fclose(f), 0);
    buf_free(&path);
}

/* A new folder tmp_root/<sub> holding the given sheets (NULL: absent).
 * Caller frees the path. */
static char *write_form(const char *sub, const char *survey, const char *choices, const char *settings)
{
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "%s/%s", tmp_root, sub);
    char *path = buf_steal(&b);
    assert_int_equal(mkdir(path, 0700), 0);
    if (survey) write_file(path, "survey.csv", survey);
    if (choices) write_file(path, "choices.csv", choices);
    if (settings) write_file(path, "settings.csv", settings);
    return path;
}

/* Load a form that must load; its problems are printed if it does not. */
static form_t *load_ok(const char *sub, const char *survey, const char *choices, const char *settings)
{
    char *dir = write_form(sub, survey, choices, settings);
    diag_t d = { 0 };
    form_t *f = form_load(dir, &d);
    for (size_t i = 0; i < d.n; i++) print_error("%s\n", d.lines[i]);
    assert_int_equal(d.n, 0);
    assert_non_null(f);
    diag_free(&d);
    free(dir);
    return f;
}

/* Load a form that must fail; returns its problems, paths cut to the
 * file name, '\n'-separated. Caller frees. */
static char *load_bad(const char *sub, const char *survey, const char *choices, const char *settings)
{
    char *dir = write_form(sub, survey, choices, settings);
    diag_t d = { 0 };
    assert_null(form_load(dir, &d));
    buf_t got;
    buf_init(&got);
    size_t skip = strlen(dir) + 1;
    for (size_t i = 0; i < d.n; i++) buf_printf(&got, "%s%s", i ? "\n" : "", d.lines[i] + skip);
    diag_free(&d);
    free(dir);
    return got.data ? buf_steal(&got) : xstrdup("");
}

/* The notes of f, paths cut to the file name, '\n'-separated. Caller frees. */
static char *notes(const form_t *f)
{
    buf_t b;
    buf_init(&b);
    for (size_t i = 0; i < f->nnotes; i++) {
        const char *slash = strrchr(f->notes[i], '/');
        buf_printf(&b, "%s%s", i ? "\n" : "", slash ? slash + 1 : f->notes[i]);
    }
    return b.data ? buf_steal(&b) : xstrdup("");
}

static const question_t *q_named(const form_t *f, const char *name)
{
    const question_t *q = form_question(f, name);
    if (!q) fail_msg("no question %s", name);
    return q;
}

/* Answers posted as the urlencoded body, validated; returns the errors. */
static size_t post(answers_t *a, const form_t *f, const char *body)
{
    kvlist_t kv = { 0 };
    assert_int_equal(urlenc_parse(body, strlen(body), 100, 1000, &kv), URLENC_OK);
    answers_init(a, f);
    answers_from_post(a, &kv);
    kvlist_free(&kv);
    return answers_validate(a);
}

static const char *val(const answers_t *a, const char *name)
{
    const question_t *q = q_named(a->form, name);
    return a->val[q - a->form->q];
}

static int group_setup(void **state)
{
    (void)state;
    tmp_root = xstrdup("/tmp/buzon-test-calc-XXXXXX");
    return mkdtemp(tmp_root) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    int rc = nftw(tmp_root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(tmp_root);
    return rc;
}

static int run_cli(char **argv, int argc, buf_t *out, buf_t *err)
{
    FILE *fo = tmpfile(), *fe = tmpfile();
    assert_non_null(fo);
    assert_non_null(fe);
    fflush(stdout);
    fflush(stderr);
    int so = dup(1), se = dup(2);
    dup2(fileno(fo), 1);
    dup2(fileno(fe), 2);
    int rc = cli_forms(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(so, 1);
    dup2(se, 2);
    close(so);
    close(se);
    FILE *fs[2] = { fo, fe };
    buf_t *bs[2] = { out, err };
    for (int i = 0; i < 2; i++) {
        buf_init(bs[i]);
        rewind(fs[i]);
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, fs[i])) > 0) buf_append(bs[i], chunk, n);
        buf_puts(bs[i], "");
        fclose(fs[i]);
    }
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
    form_t *f = load_ok("order", CHAIN, NULL, NULL);
    assert_int_equal(f->ncalc, 3);
    char *got = notes(f);
    assert_string_equal(got, "");   /* nothing buzon does differently */
    free(got);
    /* b before c, c before e */
    assert_string_equal(f->q[f->calc_order[0]].name, "b");
    assert_string_equal(f->q[f->calc_order[1]].name, "c");
    assert_string_equal(f->q[f->calc_order[2]].name, "e");
    assert_int_equal(q_named(f, "c")->type, Q_CALCULATE);
    assert_true(form_q_answerable(q_named(f, "c")));

    answers_t a;
    assert_int_equal(post(&a, f, "a=4&d=1&c=999"), 0);
    assert_string_equal(val(&a, "b"), "5");
    assert_string_equal(val(&a, "c"), "50");   /* posted 999 ignored */
    assert_string_equal(val(&a, "e"), "51");
    answers_free(&a);
    /* Empty numbers: NaN is no value, never "NaN" stored. */
    assert_int_equal(post(&a, f, "d=2"), 0);
    assert_null(val(&a, "b"));
    assert_null(val(&a, "e"));
    answers_free(&a);
    form_free(f);
}

static void test_cycle_is_a_file_row_error(void **state)
{
    (void)state;
    char *got = load_bad("cycle",
                         "type,name,label,calculation\n"
                         "integer,n,N,\n"
                         "calculate,x,,${y} + ${n}\n"
                         "calculate,y,,${z} * 2\n"
                         "calculate,z,,${x}\n", NULL, NULL);
    assert_string_equal(got, "survey.csv:3: calculation cycle: x -> y -> z -> x");
    free(got);
    got = load_bad("selfcalc", "type,name,label,calculation\ncalculate,x,,${x} + 1\n", NULL, NULL);
    assert_string_equal(got, "survey.csv:2: calculation of \"x\" refers to the question itself");
    free(got);
    got = load_bad("nocalc", "type,name,label,calculation\ncalculate,x,,\ntext,t,T,${zz}\n", NULL, NULL);
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
    write_file(root.data, "points.csv", "id,name,service\n");
    write_file(root.data, "services.csv", "id,label::Español (es),label::Kreyòl (ht)\n");
    char *dir = write_form("cli/ciclo", "type,name,label,calculation\ncalculate,a,,${b}\ncalculate,b,,${a}\n",
                           NULL, NULL);
    char *argv[] = { "forms", "check", root.data, NULL };
    buf_t out, err, want;
    assert_int_equal(run_cli(argv, 3, &out, &err), 1);
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
    form_t *f = load_ok("values", CALC_FORM, NULL, NULL);
    assert_string_equal(q_named(f, "adulto")->trigger_src, "${edad}");
    assert_string_equal(form_text(f, &q_named(f, "edad")->guidance_hint, 0), "Años cumplidos");
    answers_t a;
    /* Required as an expression: asked because adulto is 'si'. */
    assert_int_equal(post(&a, f, "edad=30&fijo=otro"), 1);
    assert_int_equal(a.err[q_named(f, "cedula") - f->q], AERR_REQUIRED);
    assert_string_equal(val(&a, "adulto"), "si");
    assert_string_equal(val(&a, "fijo"), "Bánica");   /* read_only: what is posted is ignored */
    answers_free(&a);
    assert_int_equal(post(&a, f, "edad=60&cedula=001"), 0);
    assert_string_equal(val(&a, "doble"), "120");
    /* The dynamic default that needs an answer applies at submit when empty. */
    assert_string_equal(val(&a, "saludo"), "Hola 60");
    assert_true(a.relevant[q_named(f, "grande") - f->q]);   /* relevance over a calculation */
    answers_free(&a);
    /* Not required for a minor; an irrelevant calculation has no value. */
    assert_int_equal(post(&a, f, "edad=10&saludo=Buenas"), 0);
    assert_string_equal(val(&a, "adulto"), "no");
    assert_null(val(&a, "doble"));
    assert_string_equal(val(&a, "saludo"), "Buenas");   /* typed: kept */
    assert_false(a.relevant[q_named(f, "grande") - f->q]);
    answers_free(&a);
    form_free(f);
}

static void test_defaults_on_the_fresh_page(void **state)
{
    (void)state;
    form_t *f = load_ok("fresh",
                        "type,name,label,default\n"
                        "integer,n,N,3\n"
                        "text,t,T,\"concat('a', 'b')\"\n"
                        "date,d,D,today()\n"
                        "text,u,U,${t}\n", NULL, NULL);
    assert_true(q_named(f, "t")->default_fresh);
    assert_false(q_named(f, "d")->default_fresh);   /* differs from day to day: not on a cached page */
    assert_false(q_named(f, "u")->default_fresh);   /* needs an answer */
    answers_t a;
    answers_init(&a, f);
    answers_prefill_defaults(&a);
    assert_string_equal(val(&a, "n"), "3");
    assert_string_equal(val(&a, "t"), "ab");
    assert_null(val(&a, "d"));
    assert_null(val(&a, "u"));
    answers_free(&a);
    /* At submit: today() fills the empty date; u follows t. */
    assert_int_equal(post(&a, f, "n=&t=xy"), 0);
    assert_null(val(&a, "n"));   /* cleared static default stays cleared */
    assert_non_null(val(&a, "d"));
    assert_int_equal(strlen(val(&a, "d")), 10);
    assert_string_equal(val(&a, "u"), "xy");
    answers_free(&a);
    form_free(f);
}

static void test_fresh_default_dropped_when_not_applicable(void **state)
{
    (void)state;
    form_t *f = load_ok("dropdef",
                        "type,name,label,default,relevant\n"
                        "text,si,Si,,\n"
                        "integer,k,K,0,${si} = 'x'\n", NULL, NULL);
    answers_t a;
    assert_int_equal(post(&a, f, "si=no&k=0"), 0);   /* the shown default, not typed: no error */
    assert_null(val(&a, "k"));
    answers_free(&a);
    assert_int_equal(post(&a, f, "si=no&k=7"), 1);   /* typed: kept, the page shown again */
    answers_free(&a);
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
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
