/*
 * test_form_lookup.c: what form expressions may name besides ${name}
 * (issue 15, item 1), as form_load() checks and binds it: instance('list')
 * lookups over the form's own choices sheet (extra columns included), an
 * unknown list or column as a file:row error, and paths written without
 * ${} ("../x", "/data/g/x") that must name a question.
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
#include "model/answers.h"
#include "model/form.h"
#include "testform.h"

static char *tmp_root;

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* A choices sheet with extra columns (provincia, poblacion). */
static const char CHOICES[] =
    "list_name,name,label,provincia,poblacion\n"
    "municipios,a,Elías Piña,p1,5000\n"
    "municipios,b,Bánica,p1,1000\n"
    "municipios,c,Pedro Santana,p2,300\n"
    "provincias,p1,Elías Piña,,\n"
    "provincias,p2,Otra,,\n";

/* Survey rows 2-4 (a group g with ${prov} and ${muni}), then one text
 * question per expression, with it as its relevant. Caller frees. */
static char *survey(const char *const *exprs, size_t n)
{
    buf_t b;
    buf_init(&b);
    buf_puts(&b, "type,name,label,relevant\n"
                 "begin_group,g,G,\n"
                 "select_one provincias,prov,Provincia,\n"
                 "select_one municipios,muni,Municipio,\n"
                 "end_group,,,\n");
    for (size_t i = 0; i < n; i++) buf_printf(&b, "text,e%zu,E,\"%s\"\n", i, exprs[i]);
    return buf_steal(&b);
}

/* Load folder sub; returns the form (or NULL) and its problems, paths cut
 * to the file name, in *problems (caller frees). */
static form_t *load(const char *sub, const char *survey_csv, char **problems)
{
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "%s/%s", tmp_root, sub);
    char *dir = buf_steal(&b);
    assert_int_equal(mkdir(dir, 0700), 0);
    testform_write_file(dir, "survey.csv", survey_csv);
    testform_write_file(dir, "choices.csv", CHOICES);
    diag_t d = { 0 };
    form_t *f = form_load(dir, &d);
    buf_t got;
    buf_init(&got);
    for (size_t i = 0; i < d.n; i++) buf_printf(&got, "%s%s", i ? "\n" : "", d.lines[i] + strlen(dir) + 1);
    *problems = got.data ? buf_steal(&got) : xstrdup("");
    diag_free(&d);
    free(dir);
    return f;
}

static int lookup(void *ctx, const char *name, expr_val_t *out)
{
    (void)ctx;
    if (!strcmp(name, "prov")) *out = (expr_val_t){ EXPR_STR, "p1", 0 };
    else if (!strcmp(name, "muni")) *out = (expr_val_t){ EXPR_STR, "b", 0 };
    else return -1;
    return 0;
}

static void test_lookups_read_the_forms_choices(void **state)
{
    (void)state;
    static const struct { const char *src, *want; } rows[] = {
        { "instance('municipios')/root/item[name = ${muni}]/label", "Bánica" },
        { "count(instance('municipios')/root/item[provincia = ${prov}])", "2" },
        { "instance('municipios')/root/item[name=${muni}]/poblacion", "1000" },
        { "sum(instance('municipios')/root/item[provincia = ${prov}]/poblacion)", "6000" },
        { "join(' ', instance('municipios')/root/item[provincia != ${prov}]/label)", "Pedro Santana" },
        { "instance('municipios')/root/item[provincia = ${prov}][2]/name", "b" },
        { "instance('provincias')/root/item[name = ${prov}]/label", "Elías Piña" },
        /* ${}-free paths that name questions load */
        { "../prov = 'p1'", "true" },
        { "/data/g/muni", "b" },
    };
    const char *exprs[sizeof rows / sizeof rows[0]];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) exprs[i] = rows[i].src;
    char *csv = survey(exprs, sizeof rows / sizeof rows[0]), *problems;
    form_t *f = load("ok", csv, &problems);
    if (!f) fail_msg("not loaded: %s", problems);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char name[16], err[200];
        snprintf(name, sizeof name, "e%zu", i);
        const question_t *q = form_question(f, name);
        assert_non_null(q);
        assert_non_null(q->relevant);
        expr_env_t env = { .lookup = lookup, .self = { EXPR_STR, "", 0 } };
        expr_result_t r;
        if (expr_eval(q->relevant, &env, &r, err, sizeof err) != 0) fail_msg("`%s`: %s", rows[i].src, err);
        if (strcmp(r.str, rows[i].want)) fail_msg("`%s` gave %s, want %s", rows[i].src, r.str, rows[i].want);
        expr_result_free(&r);
    }
    form_free(f);
    free(problems);
    free(csv);
}

static void test_unknown_list_field_or_path_is_a_file_row_error(void **state)
{
    (void)state;
    static const char *const exprs[] = {
        "instance('nada')/root/item[name = ${muni}]/label",
        "count(instance('municipios')/root/item[region = ${prov}])",
        "instance('municipios')/root/item[name = ${muni}]/altura",
        "../nope = 1",
        "/data/g/g = 1",
        "/data/g/prov = 'p1'",
    };
    char *csv = survey(exprs, sizeof exprs / sizeof exprs[0]), *problems;
    form_t *f = load("bad", csv, &problems);
    assert_null(f);
    assert_string_equal(problems,
        "survey.csv:6: relevant: unknown choice list 'nada' in instance('nada')\n"
        "survey.csv:7: relevant: choice list 'municipios' has no column 'region' "
        "(in a predicate of instance('municipios'))\n"
        "survey.csv:8: relevant: choice list 'municipios' has no column 'altura' "
        "(in instance('municipios')/root/item/altura)\n"
        "survey.csv:9: path ../nope in relevant names no question (there is no \"nope\")\n"
        "survey.csv:10: path /data/g/g in relevant is a group, not a question");
    free(problems);
    free(csv);
}

/* Review fix (issue 15): an evaluation has a step and memory budget
 * (EXPR_MAX_STEPS, EXPR_MAX_BYTES). A predicate over a 20,000-item list is
 * well within it; the same list looked up inside a predicate over another
 * (every item tests a lookup over every item) is stopped: the value is
 * empty and the server log names the form and the question. */
static void test_lookups_have_a_budget(void **state)
{
    (void)state;
    buf_t choices;
    buf_init(&choices);
    buf_puts(&choices, "list_name,name,label\n");
    for (int k = 0; k < 20000; k++) buf_printf(&choices, "grande,g%d,G %d\n", k, k);
    for (int k = 0; k < 4000; k++) buf_printf(&choices, "medio,m%d,M %d\n", k, k);
    form_t *f = testform_load_ok(tmp_root, "budget",
        "type,name,label,calculation\n"
        "text,t,T,\n"
        "calculate,uno,,count(instance('grande')/root/item[name = ${t}])\n"
        "calculate,ultimo,,instance('grande')/root/item[name = 'g19999']/label\n"
        "calculate,cruce,,count(instance('medio')/root/item[label = instance('medio')/root/item[name = ${t}]/label])\n",
        choices.data, NULL);
    buf_free(&choices);

    char logpath[256];
    snprintf(logpath, sizeof logpath, "%s/budget.log", tmp_root);
    fflush(stderr);
    int saved = dup(2);
    FILE *lf = fopen(logpath, "w+");
    assert_non_null(lf);
    dup2(fileno(lf), 2);
    answers_t a;
    size_t nerr = testform_post(&a, f, "t=m7");
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    assert_int_equal(nerr, 0);
    assert_string_equal(testform_val(&a, "uno"), "0");
    assert_string_equal(testform_val(&a, "ultimo"), "G 19999");
    assert_null(testform_val(&a, "cruce"));   /* over the budget: empty */
    answers_free(&a);
    char line[512] = "";
    rewind(lf);
    assert_non_null(fgets(line, sizeof line, lf));
    fclose(lf);
    assert_string_equal(line, "buzon: form budget, calculation of \"cruce\": evaluation stopped, over its budget of "
                              "1000000 steps and 16 MB: its value is empty\n");
    form_free(f);
}

static int group_setup(void **state)
{
    (void)state;
    tmp_root = xstrdup("/tmp/buzon-test-lookup-XXXXXX");
    return mkdtemp(tmp_root) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    int rc = nftw(tmp_root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(tmp_root);
    return rc;
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookups_read_the_forms_choices),
        cmocka_unit_test(test_unknown_list_field_or_path_is_a_file_row_error),
        cmocka_unit_test(test_lookups_have_a_budget),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
