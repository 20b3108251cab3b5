/*
 * fuzz_expr.c: libFuzzer harness for the XLSForm expression parser and
 * evaluator (relevant, constraint, choice_filter).
 *
 * Input: the expression, optionally followed by a NUL byte and a value
 * that every ${name}, bare column and "." evaluate to (as a number when the
 * name's length is odd, else as a string). Parse; on success evaluate and
 * walk the tree the ways the form loader and renderer do; on failure the
 * error message must be non-empty.
 */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct ctx {
    const char *value;
} ctx_t;

static int lookup(void *c, const char *name, expr_val_t *out)
{
    const ctx_t *x = c;
    size_t n = strlen(name);
    if (n == 0) return -1;
    if (n & 1) *out = (expr_val_t){ .kind = EXPR_NUM, .num = *x->value ? strtod(x->value, NULL) : NAN };
    else *out = (expr_val_t){ .kind = EXPR_STR, .str = x->value };
    return 0;
}

static void on_ref(void *arg, const char *name)
{
    size_t *n = arg;
    assert(name);
    *n += strlen(name) + 1;
}

static void on_test(void *arg, const char *name, const char *op, const char *value, bool first, bool is_or)
{
    (void)first; (void)is_or;
    size_t *n = arg;
    assert(name && op && value);
    assert(!strcmp(op, "=") || !strcmp(op, "!=") || !strcmp(op, "selected"));
    *n += 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *src = malloc(size + 1);
    if (!src) return 0;
    memcpy(src, data, size);
    src[size] = '\0';
    size_t slen = strlen(src);
    ctx_t x = { .value = slen < size ? src + slen + 1 : "" };

    char err[256] = "";
    expr_t *e = expr_parse(src, err, sizeof err);
    if (!e) {
        assert(err[0]);
    } else {
        expr_env_t env = { .lookup = lookup, .column = lookup, .ctx = &x,
                           .self = { .kind = EXPR_STR, .str = x.value } };
        (void)expr_eval_bool(e, &env);
        env.column = NULL;
        env.self = (expr_val_t){ .kind = EXPR_NUM, .num = NAN };
        (void)expr_eval_bool(e, &env);
        size_t n = 0;
        expr_refs(e, on_ref, &n);
        (void)expr_simple_tests(e, on_test, &n);
        expr_free(e);
    }
    free(src);
    return 0;
}
