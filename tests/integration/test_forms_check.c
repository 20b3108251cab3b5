/*
 * test_forms_check.c: `buzon forms check` refuses exactly what `buzon
 * serve` refuses (issue 12: one catalog). Both run the real program
 * ($BUZON_BIN) on a copy of the standard forms with mistakes put in the
 * files besides the forms (indicators.csv, carta.csv, feriados.csv,
 * plan.csv): forms check must exit 1 and print each problem as
 * `file:row: message`, all of them in one run, and every such line serve
 * prints when it refuses to start must be among them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "base/buf.h"
#include "imgcheck.h"
#include "testsh.h"
#include "testsrv.h"

typedef struct fx {
    char *tmp;      /* scratch folder */
    buf_t forms;    /* tmp/forms: a copy of the standard forms */
} fx_t;

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    fx->tmp = ic_tmpdir();
    buf_init(&fx->forms);
    buf_printf(&fx->forms, "%s/forms", fx->tmp);
    if (ic_run("cp -r '%s/forms' '%s'", test_root(), fx->forms.data) != 0) return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    ic_rmdir(fx->tmp);
    free(fx->tmp);
    buf_free(&fx->forms);
    free(fx);
    return 0;
}


/* Edit line `line` of forms/<file> with the sed substitution sub. */
static void spoil(const fx_t *fx, const char *file, int line, const char *sub)
{
    assert_int_equal(ic_run("sed -i '%ds%s' '%s/%s'", line, sub, fx->forms.data, file), 0);
}

/* True when text holds a line starting with "<forms>/<file>:<row>: ". */
static bool has_line(const fx_t *fx, const char *text, const char *file, int row)
{
    buf_t want;
    buf_init(&want);
    buf_printf(&want, "%s/%s:%d: ", fx->forms.data, file, row);
    bool found = false;
    for (const char *p = text; p && *p && !found; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        found = !strncmp(p, want.data, want.len);
    buf_free(&want);
    return found;
}

/* Every `file:row: message` line of serve's stderr (those naming the forms
 * folder) is a line of check's stderr too. */
static void assert_serve_lines_in_check(const fx_t *fx, const char *serve, const char *check)
{
    size_t seen = 0;
    for (const char *p = serve; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (!strncmp(p, fx->forms.data, fx->forms.len)) {
            buf_t line;
            buf_init(&line);
            buf_append(&line, p, len);
            buf_putc(&line, '\n');
            buf_puts(&line, "");
            if (!strstr(check, line.data)) fail_msg("serve refused with\n%sbut forms check did not", line.data);
            buf_free(&line);
            seen++;
        }
        p += len + (nl != NULL);
    }
    assert_true(seen > 0);
}

static void test_standard_forms_pass(void **state)
{
    fx_t *fx = *state;
    buf_t out, err;
    assert_int_equal(test_buzon(fx->tmp, &out, &err, "forms check '%s'", fx->forms.data), 0);
    assert_non_null(strstr(out.data, "ok satisfaccion"));
    buf_free(&out);
    buf_free(&err);
}

/* The divergence of issue 12: an indicator naming a form that does not
 * exist stopped serve but passed forms check. */
static void test_bad_form_id_in_indicators_fails_check_as_serve(void **state)
{
    fx_t *fx = *state;
    spoil(fx, "indicators.csv", 2, "/,satisfaccion,index,/,no_such_form,index,/");
    buf_t out, err, sout, serr;
    assert_int_equal(test_buzon(fx->tmp, &out, &err, "forms check '%s'", fx->forms.data), 1);
    if (!has_line(fx, err.data, "indicators.csv", 2)) fail_msg("forms check said:\n%s", err.data);
    assert_int_equal(test_buzon(fx->tmp, &sout, &serr, "serve --port 0 --forms '%s' --db '%s/db' --www '%s/www'",
                           fx->forms.data, fx->tmp, test_root()), 1);
    assert_serve_lines_in_check(fx, serr.data, err.data);
    buf_free(&out);
    buf_free(&err);
    buf_free(&sout);
    buf_free(&serr);
}

/* One run shows every problem, in every file of the folder. */
static void test_every_file_problem_reported_at_once(void **state)
{
    fx_t *fx = *state;
    spoil(fx, "indicators.csv", 3, "/,satisfaccion,top2,/,no_such_form,top2,/");
    spoil(fx, "carta.csv", 3, "/^matadero,10,/matadero,diez,/");
    spoil(fx, "feriados.csv", 2, "/^2024-01-01,/2024-13-01,/");
    spoil(fx, "plan.csv", 2, "/^1,2,2.4,2024-09,/1,2,2.4,2024-99,/");
    buf_t out, err, sout, serr;
    assert_int_equal(test_buzon(fx->tmp, &out, &err, "forms check '%s'", fx->forms.data), 1);
    static const struct { const char *file; int row; } want[] = {
        { "indicators.csv", 3 }, { "carta.csv", 3 }, { "feriados.csv", 2 }, { "plan.csv", 2 },
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (!has_line(fx, err.data, want[i].file, want[i].row))
            fail_msg("no %s:%d: line; forms check said:\n%s", want[i].file, want[i].row, err.data);
    assert_int_equal(test_buzon(fx->tmp, &sout, &serr, "serve --port 0 --forms '%s' --db '%s/db' --www '%s/www'",
                           fx->forms.data, fx->tmp, test_root()), 1);
    assert_serve_lines_in_check(fx, serr.data, err.data);
    buf_free(&out);
    buf_free(&err);
    buf_free(&sout);
    buf_free(&serr);
}

/* Write forms/<dir>/<file> with content. */
static void put(const fx_t *fx, const char *dir, const char *file, const char *content)
{
    buf_t path;
    buf_init(&path);
    buf_printf(&path, "%s/%s", fx->forms.data, dir);
    assert_int_equal(ic_run("mkdir -p '%s'", path.data), 0);
    buf_printf(&path, "/%s", file);
    FILE *f = fopen(path.data, "w");
    assert_non_null(f);
    assert_true(fputs(content, f) >= 0);
    assert_int_equal(fclose(f), 0);
    buf_free(&path);
}

/* forms check speaks the author's language (issue 15): the language of
 * LC_ALL, LC_MESSAGES or LANG (the first set) when buzon has a table for
 * it, English otherwise, the same problem on the same file:row. */
static void test_check_in_the_environments_language(void **state)
{
    fx_t *fx = *state;
    spoil(fx, "feriados.csv", 2, "/^2024-01-01,/2024-13-01,/");
    const char *bin = getenv("BUZON_BIN") ? getenv("BUZON_BIN") : "build/buzon";
    static const struct { const char *env, *want; } cases[] = {
        { "LC_ALL= LC_MESSAGES= LANG=es_DO.UTF-8", "feriados.csv:2: \"2024-13-01\" no es una fecha escrita como AAAA-MM-DD" },
        { "LC_ALL= LC_MESSAGES= LANG=ht_HT.UTF-8", "feriados.csv:2: \"2024-13-01\" pa yon dat ekri kòm AAAA-MM-JJ" },
        { "LC_ALL= LC_MESSAGES=fr_FR.UTF-8 LANG=es_DO.UTF-8", "feriados.csv:2: « 2024-13-01 » n'est pas une date" },
        { "LC_ALL=C LC_MESSAGES= LANG=es_DO.UTF-8", "feriados.csv:2: date \"2024-13-01\" is not a date as YYYY-MM-DD" },
        { "LC_ALL= LC_MESSAGES= LANG=C", "feriados.csv:2: date \"2024-13-01\" is not a date as YYYY-MM-DD" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        buf_t out, err;
        assert_int_equal(test_sh(fx->tmp, &out, &err, "%s timeout 30 '%s' forms check '%s'", cases[i].env, bin,
                                 fx->forms.data), 1);
        if (!strstr(err.data, cases[i].want))
            fail_msg("%s: no \"%s\"; forms check said:\n%s", cases[i].env, cases[i].want, err.data);
        buf_free(&out);
        buf_free(&err);
    }
}

/* Issue 15: a form as XLSForm tools write it (metadata, aliases, the same
 * name in two groups, a choice name with a space, label:Español) loads
 * beside the standard forms, whose lines stay as they were, and forms
 * check says what became of what it did not take as asked. */
static void test_wild_form_loads_with_notes(void **state)
{
    fx_t *fx = *state;
    put(fx, "salvaje", "survey.csv",
        "type,name,label:Español,required\n"
        "start,start,,\nend,end,,\ntoday,today,,\ndeviceid,deviceid,,\nusername,username,,\n"
        "select one from v,a,Cómo,TRUE\nstring,b,Algo,1\n"
        "begin_group,g1,G1,\ninteger,edad,Edad,\nend_group,,,\n"
        "begin_group,g2,G2,\ninteger,edad,Edad 2,\nend_group,,,\nnote,,Gracias,\n");
    put(fx, "salvaje", "choices.csv", "list_name,name,label:Español\nv,muy bien,Muy bien\nv,mal,Mal\n");
    put(fx, "salvaje", "settings.csv", "title,id_string,instance_name,style\nSalvaje,salvaje,concat(${b}),pages\n");
    buf_t out, err;
    assert_int_equal(test_buzon(fx->tmp, &out, &err, "forms check '%s'", fx->forms.data), 0);
    assert_string_equal(err.data, "");
    buf_t want;
    buf_init(&want);
    const char *never = "is never recorded: buzon keeps no device, person, place or recording of whoever answers (privacy)";
    buf_printf(&want,
               "ok accesibilidad v2024.1 (19 questions, es ht)\n"
               "ok agilidad v2024.1 (15 questions, es ht)\n"
               "ok quejas v2024.1 (16 questions, es ht)\n"
               /* issue 18: the registers of the Plan de Mejora */
               "ok reg_benchmarking v2025.1 (8 questions, es ht, staff)\n"
               "ok reg_desempeno v2025.1 (10 questions, es ht, staff)\n"
               "ok reg_digital v2025.1 (7 questions, es ht, staff)\n"
               "ok reg_intercambio v2025.1 (6 questions, es ht, staff)\n"
               "ok reg_reuniones v2025.1 (9 questions, es ht, staff)\n"
               "ok salvaje (4 questions, Español)\n"
               "  note: %s/salvaje/survey.csv:2: start: not a question; buzon keeps the hour each response was sent "
               "and how long it took (its start is that hour less the duration)\n"
               "  note: %s/salvaje/survey.csv:3: end: not a question; buzon keeps the hour each response was sent\n"
               "  note: %s/salvaje/survey.csv:4: today: not a question; the day is that of the hour each response was sent\n"
               "  note: %s/salvaje/survey.csv:5: deviceid %s\n"
               "  note: %s/salvaje/survey.csv:6: username %s\n"
               "  note: %s/salvaje/survey.csv:10: \"edad\" is also the name of another question: its answers are kept as \"g1.edad\"\n"
               "  note: %s/salvaje/survey.csv:13: \"edad\" is also the name of another question: its answers are kept as \"g2.edad\"\n"
               "ok satisfaccion v2024.1 (28 questions, es ht)\n",
               fx->forms.data, fx->forms.data, fx->forms.data, fx->forms.data, never, fx->forms.data, never,
               fx->forms.data, fx->forms.data);
    assert_string_equal(out.data, want.data);
    buf_free(&want);
    buf_free(&out);
    buf_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_standard_forms_pass, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_form_id_in_indicators_fails_check_as_serve, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_file_problem_reported_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wild_form_loads_with_notes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_in_the_environments_language, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
