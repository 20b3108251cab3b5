/*
 * expr.h: the XLSForm expression subset, parsed once at form load and
 * evaluated per request with ODK (JavaRosa / XPath 1.0) semantics.
 *
 * Grammar (lowest precedence first):
 *   or_expr   := and_expr ( "or" and_expr )*
 *   and_expr  := cmp ( "and" cmp )*
 *   cmp       := primary ( ("=" | "!=" | "<" | "<=" | ">" | ">=") primary )?
 *   primary   := "${" name "}" | "." | string | number | "(" or_expr ")"
 *              | "not" "(" or_expr ")" | "selected" "(" primary "," primary ")"
 *              | "true()" | "false()" | bare_name
 *   string    := '...' | "..."   (curly quotes ‘ ’ “ ” are accepted as
 *                                 straight ones: Excel auto-corrects them)
 * A bare_name (identifier without ${}) is a column of choices.csv; it is
 * only meaningful inside a choice_filter and resolves through
 * expr_env_t.column.
 *
 * Values are strings or numbers. ${q} of an integer/decimal question is a
 * number (empty -> NaN); of any other question a string. Semantics:
 *  - "=" / "!=": numeric if either side is a number (a string that does
 *    not parse as a number, or empty, becomes NaN), else string equality.
 *    NaN = anything is false; NaN != anything is true (XPath 1.0).
 *  - "<" "<=" ">" ">=": always numeric; any NaN side gives false.
 *  - selected(a, b): a is a space-separated list; true when b is one of its
 *    items.
 *  - In boolean context: a number is true when non-zero and not NaN; a
 *    string when non-empty.
 *  - "and"/"or" short-circuit.
 */
#ifndef BUZON_EXPR_H
#define BUZON_EXPR_H

#include <stdbool.h>
#include <stddef.h>

typedef struct expr expr_t;

typedef enum { EXPR_STR, EXPR_NUM } expr_kind_t;

typedef struct expr_val {
    expr_kind_t kind;
    const char *str;   /* EXPR_STR: never NULL ("" when empty) */
    double      num;   /* EXPR_NUM: NaN when empty */
} expr_val_t;

typedef struct expr_env {
    /* Value of ${name}. Return 0 and fill *out, or -1 when the name is
     * unknown (evaluates as the empty string). */
    int (*lookup)(void *ctx, const char *name, expr_val_t *out);
    /* Value of a bare choice column inside a choice_filter, or -1. May be
     * NULL when there is no current choice. */
    int (*column)(void *ctx, const char *name, expr_val_t *out);
    void *ctx;
    expr_val_t self;   /* value of "." (the answer under a constraint) */
} expr_env_t;

/* Parse src. Returns a tree the caller owns (expr_free), or NULL with a
 * human-readable message in err, in English, naming the position, e.g.
 * "unexpected ')' at column 12". An empty or all-blank src is an error. */
expr_t *expr_parse(const char *src, char *err, size_t errlen);
void expr_free(expr_t *e);

/* Evaluate in boolean context. */
bool expr_eval_bool(const expr_t *e, const expr_env_t *env);

/* Call cb once for each ${name} referenced (in source order, duplicates
 * included); used to check references and to find what an expression
 * depends on. */
void expr_refs(const expr_t *e, void (*cb)(void *arg, const char *name), void *arg);

/* Call cb once for each bare name (a choices.csv column) in source order.
 * Outside a choice_filter a bare name is almost always a forgotten ${}:
 * the form loader reports it. */
void expr_columns(const expr_t *e, void (*cb)(void *arg, const char *name), void *arg);

/* When e is a conjunction/disjunction of simple tests of the form
 * ${q} = 'v', ${q} != 'v' or selected(${q}, 'v'), call cb for each test
 * (op is "=", "!=" or "selected") and return true; otherwise return false
 * without calling cb. Used to explain in words when a question applies. */
typedef void (*expr_test_cb)(void *arg, const char *name, const char *op, const char *value, bool first, bool is_or);
bool expr_simple_tests(const expr_t *e, expr_test_cb cb, void *arg);

#endif
