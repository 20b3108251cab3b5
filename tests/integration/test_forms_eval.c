/*
 * test_forms_eval.c: `buzon forms eval 'EXPR' [name=value...]`, the
 * command a form author uses to try an expression before publishing: it
 * prints the value's type and text, takes ${name} and "." from the command
 * line, and exits 2 on a parse error (with the loader's message) and 1 on
 * an evaluation error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "testsh.h"

static char dir[256];

static void test_prints_type_and_value(void **state)
{
    (void)state;
    static const struct { const char *args, *want; } rows[] = {
        { "'1 + 2 * 3'", "number 7\n" },
        { "'3 < 4 < 5'", "boolean true\n" },
        { "'if(${edad} >= 18, \"adulto\", \"menor\")' edad=20", "string adulto\n" },
        { "'${a} + ${b}' a=1.5 b=2", "number 3.5\n" },
        { "'concat(., \"!\")' .=hola", "string hola!\n" },
        { "'date(\"2024-02-29\")'", "date 2024-02-29\n" },
        { "'count-selected(${s})' 's=a b c'", "number 3\n" },
        { "'1 div 0'", "number Infinity\n" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        buf_t out, err;
        int rc = test_buzon(dir, &out, &err, "forms eval %s", rows[i].args);
        if (rc != 0 || strcmp(out.data, rows[i].want))
            fail_msg("forms eval %s: exit %d, stdout \"%s\", stderr \"%s\"", rows[i].args, rc, out.data, err.data);
        buf_free(&out);
        buf_free(&err);
    }
}

static void test_errors_exit_2_or_1(void **state)
{
    (void)state;
    static const struct { const char *args; int rc; const char *want; } rows[] = {
        { "'foo(1)'", 2, "buzon forms eval: unknown function foo() at column 1\n" },
        { "'1 +'", 2, "buzon forms eval: unexpected end of expression at column 4\n" },
        { "'1' nope", 2, "buzon forms eval: 'nope' is not name=value\n" },
        { "'regex(\"a\", \"(\")'", 1, "buzon forms eval: regex(): '(' is not a valid regular expression\n" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        buf_t out, err;
        int rc = test_buzon(dir, &out, &err, "forms eval %s", rows[i].args);
        if (rc != rows[i].rc || strcmp(err.data, rows[i].want) || out.data[0])
            fail_msg("forms eval %s: exit %d, stdout \"%s\", stderr \"%s\"", rows[i].args, rc, out.data, err.data);
        buf_free(&out);
        buf_free(&err);
    }
    buf_t out, err;
    assert_int_equal(test_buzon(dir, &out, &err, "forms eval"), 2);
    assert_non_null(strstr(err.data, "usage: buzon forms check"));
    buf_free(&out);
    buf_free(&err);
}

int main(void)
{
    if (test_mkdtemp(dir, sizeof dir, "forms-eval") != 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prints_type_and_value),
        cmocka_unit_test(test_errors_exit_2_or_1),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    test_rmtree(dir);
    return rc;
}
