/*
 * expr.h: the XLSForm expression subset, parsed once at form load and
 * evaluated per request with ODK (JavaRosa / XPath 1.0) semantics.
 *
 * The language is XPath 1.0 as ODK forms use it (the ODK XForms spec,
 * JavaRosa and Enketo where it is silent):
 *   or  and  = !=  < <= > >=  + -  * div mod  unary -   (loosest first;
 *   each binary level is left-associative: "3 < 4 < 5" is "(3 < 4) < 5")
 *   primaries: ${name}, '...' or "..." (curly quotes ‘ ’ “ ” are accepted
 *   as straight ones: Excel auto-corrects them), numbers, ( ... ), calls
 *   of the ODK function library (FUNCS in expr.c), and paths: ".", "..",
 *   "../name", "/data/group/name". A path resolves to the question named by
 *   its last step; "." is the question's own value (expr_env_t.self).
 * A bare_name (identifier without ${}) is a column of choices.csv; it is
 * only meaningful inside a choice_filter and resolves through
 * expr_env_t.column. An unknown function is a parse error that names it.
 * instance('list')/root/item[pred]...[pred]/column is a node-set of the
 * items of a choice list (expr_bind_lists): in a predicate a bare name is
 * the tested item's column, position() its 1-based position and a number
 * [n] keeps the n-th item; count(), sum(), join(), min(), max() and
 * comparisons (true when any node matches) take every node, everything
 * else the first node's value ("" when none).
 *
 * Values are strings, numbers, booleans, dates and date-times. ${q} of an
 * integer/decimal question is a number (empty -> NaN); of any other
 * question a string. Semantics (XPath 1.0):
 *  - "=" / "!=": as booleans if either side is one, else numeric if
 *    either side is a number (a string that does not parse as a number,
 *    or empty, becomes NaN), else string equality. NaN = anything is
 *    false; NaN != anything is true. A date compares with a string that
 *    reads as a date as dates.
 *  - "<" "<=" ">" ">=": numeric; any NaN side gives false.
 *  - Arithmetic is IEEE double: 1 div 0 is Infinity, 0 div 0 NaN; numbers
 *    print without exponent and integers without ".0".
 *  - In boolean context: a number is true when non-zero and not NaN; a
 *    string when non-empty.
 *  - "and", "or" and if() evaluate only what they need.
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
    /* Label of choice value of question name, for jr:choice-name(); NULL
     * (the callback or its result) gives the empty string. The returned
     * text belongs to the callee and must outlive the evaluation. */
    const char *(*choice_label)(void *ctx, const char *question, const char *value);
    /* For the server log when an evaluation goes over its budget: which
     * expression it was, e.g. "form f, relevant of q" (NULL: not logged). */
    const char *who;
    /* The page's language for labels (jr:choice-name, instance()'s label),
     * as a language index of the form plus one; 0: the form's default
     * (so a zeroed environment reads the default). */
    int lang_plus1;
    /* The values of every instance of a repeat's question, named with
     * "[*]" for the repeats it is in ("persona[*].edad", see
     * expr_copy_map): 0 with *vals a malloc'd array of n strings (the
     * evaluator frees the array, never the strings, which must outlive
     * the evaluation), or -1 (the empty node-set). NULL: empty. */
    int (*nodes)(void *ctx, const char *name, const char ***vals, size_t *n);
} expr_env_t;

/* The budget of one evaluation (issue 15 review): nodes evaluated (each
 * item an instance() predicate tests counts its predicate's nodes) and
 * bytes of node-sets made. Over it, the evaluation fails: expr_eval
 * returns -1, expr_eval_bool false (a value, relevance or constraint is
 * empty / not met), and a line goes to the server log naming env->who.
 * A predicate over a 20,000-item list inside a loop over another would
 * otherwise take seconds and gigabytes. */
#define EXPR_MAX_STEPS 1000000
#define EXPR_MAX_BYTES (16 << 20)

/* The type of a value, as the CLI shows it. */
typedef enum { EXPR_T_STRING, EXPR_T_NUMBER, EXPR_T_BOOLEAN, EXPR_T_DATE, EXPR_T_DATETIME } expr_type_t;

/* The full value of an expression: its type, its XPath string() (str,
 * owned by the result: expr_result_free), number() and boolean(). */
typedef struct expr_result {
    expr_type_t type;
    double num;
    bool b;
    char *str;
} expr_result_t;

/* Parse src. Returns a tree the caller owns (expr_free), or NULL with a
 * human-readable message in err, in English, naming the position, e.g.
 * "unexpected ')' at column 12". An empty or all-blank src is an error. */
expr_t *expr_parse(const char *src, char *err, size_t errlen);
void expr_free(expr_t *e);

/* Evaluate in boolean context. An evaluation error (a bad regular
 * expression, count() of a value, date('x')...) gives false. */
bool expr_eval_bool(const expr_t *e, const expr_env_t *env);

/* Evaluate to a value. 0 with *out filled (free it with
 * expr_result_free), or -1 with a message in err (out then owns nothing). */
int expr_eval(const expr_t *e, const expr_env_t *env, expr_result_t *out, char *err, size_t errlen);
void expr_result_free(expr_result_t *r);
/* "string", "number", "boolean", "date" or "dateTime" (static). */
const char *expr_type_name(expr_type_t t);

/* Call cb once for each ${name} referenced (in source order, duplicates
 * included); used to check references and to find what an expression
 * depends on. */
void expr_refs(const expr_t *e, void (*cb)(void *arg, const char *name), void *arg);

/* Call cb once for each question e names, by ${name} or by a path
 * without ${} (its last step's name), in source order: what e depends
 * on, for the order of calculations, their cycles and what a default
 * needs (a dependency written "../y" is one as much as "${y}"). */
void expr_names(const expr_t *e, void (*cb)(void *arg, const char *name), void *arg);

/* Call cb once for each path written without ${} ("../x", "/data/g/x"),
 * with the question name its last step names and the path as written;
 * paths ending in "." or ".." are not reported. */
void expr_paths(const expr_t *e, void (*cb)(void *arg, const char *name, const char *path), void *arg);

/* A choice list as instance('list')/root/item[...] reads it (issue 15):
 * items numbered 0..nitems-1, each with fields numbered by the owner of
 * the list. Bound to an expression once, when the form loads. */
typedef struct expr_list {
    const void *ctx;   /* the owner's list, passed back to field() and cell() */
    size_t nitems;
    int nfields;       /* fields are 0..nfields-1 (an item's string value is
                          all of them, in order) */
    /* Number of the field called name ("name", "label", a column of the
     * choices sheet), or -1 when the list has none. */
    int (*field)(const void *ctx, const char *name);
    /* Value of field f of item i; never NULL (the owner's storage). lang
     * is the language of a label (expr_env_t.lang_plus1 less one; -1: the
     * form's default). */
    const char *(*cell)(const void *ctx, size_t i, int f, int lang);
} expr_list_t;

/* Bind each instance('name') of e to its list: find() fills *out and
 * returns 0, or returns -1 when the form has no list called name. Every
 * field that a predicate or the last step names is resolved now. Returns
 * 0, or -1 with err (in English) naming the first unknown list or field,
 * e.g. "unknown choice list 'x' in instance('x')". An unbound instance()
 * (no form, as in `buzon forms eval`) is an empty node-set. */
int expr_bind_lists(expr_t *e, int (*find)(void *arg, const char *name, expr_list_t *out), void *arg,
                    char *err, size_t errlen);

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

/* A deep copy of e (NULL for NULL) for one instance of a repeat (issue
 * 16, form_repeat.c): each question name (${name} or a path's last step)
 * is passed to map, which returns the name to use instead (malloc'd; the
 * copy owns it) or NULL to keep it; all is true inside the first argument
 * of indexed-repeat(), which names every instance. position(..) becomes
 * the number pos when pos > 0. Caller frees with expr_free. */
expr_t *expr_copy_map(const expr_t *e, char *(*map)(void *arg, const char *name, bool all), void *arg, long pos);

#endif
