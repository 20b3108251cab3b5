/*
 * cli_forms_eval.c: `buzon forms eval 'EXPR' [name=value...]`, for a form
 * author to try a relevance, a constraint or a calculation before
 * publishing: it parses EXPR with the forms' own parser (expr.h), gives
 * each ${name} the value written on the command line ("." with .=value)
 * and prints the value's type and its text, e.g. `number 3`. A parse error
 * is the loader's message and exit status 2; an evaluation error (a bad
 * regular expression, date('x')) exit status 1.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_help.h"
#include "model/expr.h"

typedef struct {
    char **argv;   /* name=value words */
    int n;
} vars_t;

/* ${name} from the command line, as a string (XPath converts it to a
 * number where the expression needs one). */
static int lookup(void *ctx, const char *name, expr_val_t *out)
{
    const vars_t *v = ctx;
    size_t len = strlen(name);
    for (int i = v->n - 1; i >= 0; i--)   /* the last one given wins */
        if (!strncmp(v->argv[i], name, len) && v->argv[i][len] == '=') {
            *out = (expr_val_t){ .kind = EXPR_STR, .str = v->argv[i] + len + 1 };
            return 0;
        }
    return -1;
}

int cli_forms_eval(int argc, char **argv)
{
    /* argv: "eval" EXPR name=value... */
    if (argc < 2 || argv[1][0] == '\0') return cli_usage_error("forms");
    for (int i = 2; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        if (!eq || eq == argv[i]) {
            fprintf(stderr, "buzon forms eval: '%s' is not name=value\n", argv[i]);
            return 2;
        }
    }
    char err[256];
    expr_t *e = expr_parse(argv[1], err, sizeof err);
    if (!e) {
        fprintf(stderr, "buzon forms eval: %s\n", err);
        return 2;
    }
    vars_t v = { .argv = argv + 2, .n = argc - 2 };
    expr_env_t env = { .lookup = lookup, .ctx = &v, .self = { .kind = EXPR_STR, .str = "" } };
    expr_val_t self;
    if (lookup(&v, ".", &self) == 0) env.self = self;
    expr_result_t r;
    int rc = expr_eval(e, &env, &r, err, sizeof err);
    expr_free(e);
    if (rc != 0) {
        fprintf(stderr, "buzon forms eval: %s\n", err);
        return 1;
    }
    printf("%s %s\n", expr_type_name(r.type), r.str);
    expr_result_free(&r);
    if (fflush(stdout) != 0) {
        perror("buzon forms eval: stdout");
        return 1;
    }
    return 0;
}
