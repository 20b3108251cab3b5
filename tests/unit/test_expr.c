/*
 * test_expr.c: the XLSForm expression subset (expr.h). Each semantic rule
 * is one row of a table, evaluated against a tiny environment built from
 * static tables of questions and choice columns; each table is one cmocka
 * test named for the behaviour it pins down. Parse errors are checked by
 * exact text, since form authors read them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/buf.h"
#include "model/expr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the environment ------------------------------------------------ */

typedef struct {
    const char *name;
    expr_val_t val;
} var_t;

#define STR(s) { EXPR_STR, (s), 0 }
#define NUM(x) { EXPR_NUM, "", (x) }

/* Answers to the questions of a pretend form. */
static const var_t VARS[] = {
    { "edad", NUM(35) },
    { "edad_vacia", NUM(NAN) },      /* unanswered integer question */
    { "cinco", STR("5") },
    { "cero_cinco", STR("05") },
    { "letra", STR("a") },
    { "vacio", STR("") },
    { "servicios", STR("abc d") },   /* a select_multiple answer */
    { "provincia", STR("elias_pina") },
};

/* Columns of the current choice, for choice_filter. */
static const var_t COLUMNS[] = {
    { "provincia", STR("elias_pina") },
    { "orden", NUM(2) },
};

static int find(const var_t *t, size_t n, const char *name, expr_val_t *out)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(t[i].name, name) == 0) {
            *out = t[i].val;
            return 0;
        }
    }
    return -1;
}

/* ctx, when not NULL, counts lookups (to observe short-circuiting). */
static int lookup(void *ctx, const char *name, expr_val_t *out)
{
    if (ctx) ++*(int *)ctx;
    return find(VARS, sizeof VARS / sizeof VARS[0], name, out);
}

static int column(void *ctx, const char *name, expr_val_t *out)
{
    (void)ctx;
    return find(COLUMNS, sizeof COLUMNS / sizeof COLUMNS[0], name, out);
}

static const expr_val_t EMPTY = STR("");

static expr_env_t make_env(const expr_val_t *self)
{
    return (expr_env_t){ .lookup = lookup, .column = column, .ctx = NULL, .self = self ? *self : EMPTY };
}

static expr_t *parse_ok(const char *src)
{
    char err[200];
    expr_t *e = expr_parse(src, err, sizeof err);
    if (!e) fail_msg("%s: unexpected parse error: %s", src, err);
    return e;
}

/* ---- semantic tables ------------------------------------------------ */

typedef struct {
    const char *rule;
    const char *src;
    bool want;
} row_t;

/* Evaluate src with "." bound to self (NULL: the empty string). */
static void check(const char *rule, const char *src, const expr_val_t *self, bool want)
{
    expr_t *e = parse_ok(src);
    expr_env_t env = make_env(self);
    bool got = expr_eval_bool(e, &env);
    expr_free(e);
    if (got != want) fail_msg("%s: `%s` gave %s", rule, src, got ? "true" : "false");
}

static void check_rows(const row_t *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) check(rows[i].rule, rows[i].src, NULL, rows[i].want);
}

#define CHECK_ROWS(rows) check_rows(rows, sizeof rows / sizeof rows[0])

static void test_equality_is_numeric_when_either_side_is_a_number(void **state)
{
    (void)state;
    static const row_t rows[] = {
        { "string '5' equals number 5.0", "${cinco} = 5.0", true },
        { "'05' equals 5 numerically", "${cero_cinco} = 5", true },
        { "'05' differs from '5' as strings", "${cero_cinco} = '5'", false },
        { "number question equals its literal", "${edad} = 35", true },
        { "number question against a numeric string", "${edad} = '35.0'", true },
        { "a numeric string is trimmed", "' 5 ' = 5", true },
        { "non-numeric string against a number is NaN", "${letra} = 0", false },
        { "non-numeric string != number is true", "${letra} != 0", true },
        { "no exponents in XPath numbers", "'1e1' = 10", false },
        { "negative literal", "-2 = '-2'", true },
    };
    CHECK_ROWS(rows);
}

static void test_equality_of_two_strings_is_bytewise(void **state)
{
    (void)state;
    static const row_t rows[] = {
        { "'a' = 'a'", "${letra} = 'a'", true },
        { "case matters", "${letra} = 'A'", false },
        { "'5' = '5' as strings", "${cinco} = '5'", true },
        { "no numeric conversion between two strings", "${cinco} = '5.0'", false },
        { "!= is the negation", "${letra} != 'b'", true },
    };
    CHECK_ROWS(rows);
}

static void test_empty_compares_as_nan(void **state)
{
    (void)state;
    static const row_t rows[] = {
        { "empty string > 1 is false", "${vacio} > 1", false },
        { "empty string < 1 is false", "${vacio} < 1", false },
        { "empty string = 0 is false", "${vacio} = 0", false },
        { "empty string != 0 is true", "${vacio} != 0", true },
        { "empty string = '' as strings", "${vacio} = ''", true },
        { "empty number > 1 is false", "${edad_vacia} > 1", false },
        { "empty number <= 1 is false", "${edad_vacia} <= 1", false },
        { "empty number = 0 is false", "${edad_vacia} = 0", false },
        { "empty number != 0 is true", "${edad_vacia} != 0", true },
        { "empty number = '' is numeric, so false", "${edad_vacia} = ''", false },
        { "NaN = NaN is false", "${edad_vacia} = ${edad_vacia}", false },
        { "NaN != NaN is true", "${edad_vacia} != ${edad_vacia}", true },
        { "an unknown name is the empty string", "${no_existe} = ''", true },
    };
    CHECK_ROWS(rows);
}

static void test_relational_is_always_numeric(void **state)
{
    (void)state;
    static const row_t rows[] = {
        { "strings compare as numbers, not text", "'10' > '9'", true },
        { "numeric string < number", "${cinco} < 10", true },
        { "<= at the boundary", "${edad} <= 35", true },
        { ">= at the boundary", "${edad} >= 35", true },
        { "< at the boundary", "${edad} < 35", false },
        { "non-numeric strings give false", "'b' > 'a'", false },
        { "non-numeric strings give false, either way", "'b' <= 'a'", false },
    };
    CHECK_ROWS(rows);
}

static void test_boolean_context(void **state)
{
    (void)state;
    static const row_t rows[] = {
        { "non-empty string is true", "${letra}", true },
        { "empty string is false", "${vacio}", false },
        { "non-zero number is true", "${edad}", true },
        { "zero is false", "0", false },
        { "NaN is false", "${edad_vacia}", false },
        { "true()", "true()", true },
        { "false()", "false()", false },
        { "a boolean result compared with true()", "(${letra} = 'a') = true()", true },
        { "a boolean result compared with false()", "(${letra} = 'a') = false()", false },
        { "a boolean against a number compares truth", "(1 = 1) = 1", true },
        { "a boolean is 1 in a relational comparison", "(1 = 1) > 0", true },
        { "a boolean against a string compares truth", "(1 = 2) = ''", true },
    };
    CHECK_ROWS(rows);
}

static void test_constraint_on_self(void **state)
{
    (void)state;
    static const expr_val_t n35 = NUM(35), n120 = NUM(120), n121 = NUM(121), neg = NUM(-1);
    static const expr_val_t s40 = STR("40"), x = STR("x"), xy = STR("x y");
    static const struct {
        const char *rule, *src;
        const expr_val_t *self;
        bool want;
    } rows[] = {
        { "inside the range", ". >= 0 and . <= 120", &n35, true },
        { "the upper bound is included", ". >= 0 and . <= 120", &n120, true },
        { "above the range", ". >= 0 and . <= 120", &n121, false },
        { "below the range", ". >= 0 and . <= 120", &neg, false },
        { "a text answer holding a number", ". >= 0 and . <= 120", &s40, true },
        { "an empty answer fails a range", ". >= 0 and . <= 120", &EMPTY, false },
        { ". as a string", ". = 'x'", &x, true },
        { "selected on .", "selected(., 'y')", &xy, true },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        check(rows[i].rule, rows[i].src, rows[i].self, rows[i].want);
}

static void test_selected_matches_whole_tokens(void **state)
{
    (void)state;
    static const row_t rows[] = {
        { "the first token", "selected(${servicios}, 'abc')", true },
        { "the last token", "selected(${servicios}, 'd')", true },
        { "a prefix of a token is not selected", "selected(${servicios}, 'ab')", false },
        { "a suffix of a token is not selected", "selected(${servicios}, 'bc')", false },
        { "two tokens are not one item", "selected(${servicios}, 'c d')", false },
        { "the empty item is never selected", "selected(${servicios}, '')", false },
        { "nothing is selected in an empty answer", "selected(${vacio}, 'a')", false },
        { "runs of spaces separate tokens", "selected('a   b', 'b')", true },
        { "a number item is its XPath string", "selected('1 2 3', 2.0)", true },
    };
    CHECK_ROWS(rows);
}

/* issue 15 item 5: `null`, as forms write `if(c, x, null)`: javarosa reads
 * a name that is nothing as an empty node-set; it is no choice column. */
static void null_column(void *arg, const char *name)
{
    (void)name;
    ++*(int *)arg;
}

static void test_null_is_an_empty_node_set(void **state)
{
    (void)state;
    static const row_t rows[] = {
        { "null", "count(null) = 0", true },
        { "null", "boolean(null)", false },
        { "null", "string(null) = ''", true },
        { "null", "string(if(false(), 'x', null)) = ''", true },
    };
    CHECK_ROWS(rows);
    expr_t *e = parse_ok("if(1 > 2, 'x', null)");
    int n = 0;
    expr_columns(e, null_column, &n);
    assert_int_equal(n, 0);
    expr_free(e);
}

static void test_not_and_precedence(void **state)
{
    (void)state;
    static const row_t rows[] = {
        { "not() negates true", "not(${letra} = 'a')", false },
        { "not() negates false", "not(${letra} = 'b')", true },
        { "and binds tighter than or (a or b and c)", "1 = 1 or 1 = 2 and 1 = 3", true },
        { "and binds tighter than or (a and b or c)", "1 = 2 and 1 = 1 or 1 = 1", true },
        { "parentheses override precedence", "(1 = 1 or 1 = 2) and 1 = 3", false },
        { "long and chain", "1 = 1 and 2 = 2 and 3 = 3 and 4 = 5", false },
        { "long or chain", "1 = 2 or 2 = 3 or 3 = 3", true },
    };
    CHECK_ROWS(rows);
}

static void test_curly_quotes_delimit_strings(void **state)
{
    (void)state;
    static const row_t rows[] = {
        { "curly single quotes", "${letra} = \u2018a\u2019", true },
        { "curly double quotes", "${letra} = \u201ca\u201d", true },
        { "opened curly, closed straight", "${letra} = \u2018a'", true },
        { "opened straight, closed curly", "${letra} = 'a\u2019", true },
        { "double family, mixed", "\u201ca\" = 'a'", true },
        { "a single curly quote inside a double-quoted string", "\u201cl\u2019eau\u201d = \"l\u2019eau\"", true },
    };
    CHECK_ROWS(rows);
}

static void test_bare_names_read_choice_columns(void **state)
{
    (void)state;
    static const row_t rows[] = {
        { "a string column", "provincia = ${provincia}", true },
        { "a number column", "orden > 1", true },
        { "an unknown column is empty", "zona = ''", true },
    };
    CHECK_ROWS(rows);
}

static void test_bare_name_without_column_callback_is_empty(void **state)
{
    (void)state;
    expr_t *e = parse_ok("provincia = ''");
    expr_env_t env = make_env(NULL);
    env.column = NULL;
    assert_true(expr_eval_bool(e, &env));
    expr_free(e);
}

static void test_and_or_short_circuit(void **state)
{
    (void)state;
    static const struct {
        const char *src;
        int lookups;
    } rows[] = {
        { "${letra} = 'a' or ${edad} = 1", 1 },
        { "${letra} = 'b' and ${edad} = 1", 1 },
        { "${letra} = 'b' or ${edad} = 1", 2 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int count = 0;
        expr_t *e = parse_ok(rows[i].src);
        expr_env_t env = make_env(NULL);
        env.ctx = &count;
        expr_eval_bool(e, &env);
        expr_free(e);
        if (count != rows[i].lookups) fail_msg("%s: %d lookups", rows[i].src, count);
    }
}

/* ---- parse errors --------------------------------------------------- */

static void test_parse_error_messages(void **state)
{
    (void)state;
    static const struct {
        const char *src, *msg;
    } rows[] = {
        { "", "empty expression" },
        { " \t\r\n", "empty expression" },
        { "${a} = 'x' )", "unexpected ')' at column 12" },
        { "${a} =", "unexpected end of expression at column 7" },
        { "${a} = 'x' == 'y'", "unexpected '=' at column 13" },
        { "${a} 'x'", "unexpected string at column 6" },
        { "and", "unexpected 'and' at column 1" },
        { "${a} = 1 AND ${b} = 2", "unexpected 'AND' at column 10 (write 'and' in lowercase)" },
        { "a='abc", "unterminated string at column 3" },
        { "\u2018x\u2019 = \u2018y", "unterminated string at column 7" },
        { "'x\"", "unterminated string at column 1" },
        { "foo(1)", "unknown function foo() at column 1" },
        { "NOT(${a} = 1)", "unknown function NOT() at column 1 (write 'not' in lowercase)" },
        { "${edad", "expected '}' after ${edad" },
        { "${edad a}", "expected '}' after ${edad" },
        { "${} = 1", "expected a name after '${' at column 1" },
        { "${1a}", "expected a name after '${' at column 1" },
        { "(${a} = 1", "missing ')' for '(' at column 1" },
        { "not(${a} = 1", "missing ')' for '(' at column 4" },
        { "(1 2)", "unexpected '2' at column 4" },
        { "selected(${a})", "selected() takes 2 arguments at column 1" },
        { "selected(${a}, 'x', 'y')", "selected() takes 2 arguments at column 1" },
        { "not()", "not() takes 1 argument at column 1" },
        { "true(1)", "true() takes no arguments at column 1" },
        { "selected(${a},)", "unexpected ')' at column 15" },
        { "${a} # 1", "unexpected character '#' at column 6" },
        { "-", "unexpected end of expression at column 2" },
        { "${a} \u2265 1", "unexpected character '\u2265' (U+2265) at column 6" },
        { "'\u00e9' = )", "unexpected ')' at column 7" },   /* columns count characters */
        { "\x01", "unexpected byte 0x01 at column 1" },
        { "1 = \xff", "unexpected byte 0xFF at column 5" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char err[200] = "unchanged";
        expr_t *e = expr_parse(rows[i].src, err, sizeof err);
        if (e) {
            expr_free(e);
            fail_msg("`%s` parsed", rows[i].src);
        }
        if (strcmp(err, rows[i].msg) != 0) fail_msg("`%s`: got \"%s\", want \"%s\"", rows[i].src, err, rows[i].msg);
    }
}

static void test_parse_error_fits_small_buffer(void **state)
{
    (void)state;
    char err[8];
    assert_null(expr_parse("${a} = 1 AND 2", err, sizeof err));
    assert_string_equal(err, "unexpec");
    assert_null(expr_parse(")", NULL, 0));
}

/* ---- limits ---------------------------------------------------------- */

/* open^n "1" close^n, caller frees. */
static char *nest(const char *open, const char *close, size_t n)
{
    buf_t b;
    buf_init(&b);
    for (size_t i = 0; i < n; i++) buf_puts(&b, open);
    buf_puts(&b, "1");
    for (size_t i = 0; i < n; i++) buf_puts(&b, close);
    return buf_steal(&b);
}

static void test_nesting_depth_is_capped(void **state)
{
    (void)state;
    char err[200];
    char *src = nest("(", ")", 64);
    expr_t *e = expr_parse(src, err, sizeof err);
    assert_non_null(e);
    expr_env_t env = make_env(NULL);
    assert_true(expr_eval_bool(e, &env));
    expr_free(e);
    free(src);

    src = nest("(", ")", 65);
    assert_null(expr_parse(src, err, sizeof err));
    assert_string_equal(err, "expression nested deeper than 64 levels at column 65");
    free(src);

    src = nest("not(", ")", 65);
    assert_null(expr_parse(src, err, sizeof err));
    assert_string_equal(err, "expression nested deeper than 64 levels at column 260");
    free(src);

    src = nest("(", "", 1000000);
    assert_null(expr_parse(src, err, sizeof err));
    assert_string_equal(err, "expression nested deeper than 64 levels at column 65");
    free(src);
}

static void test_long_chains_do_not_recurse(void **state)
{
    (void)state;
    static const char *const words[] = { " and ", " or " };
    for (size_t w = 0; w < 2; w++) {
        buf_t b;
        buf_init(&b);
        for (int i = 0; i < 200000; i++) buf_printf(&b, "%s${edad} = 35", i ? words[w] : "");
        expr_t *e = parse_ok(b.data);
        expr_env_t env = make_env(NULL);
        assert_true(expr_eval_bool(e, &env));
        expr_free(e);
        buf_free(&b);
    }
}

static void count_ref(void *arg, const char *name)
{
    (void)name;
    ++*(int *)arg;
}

static void ignore_test(void *arg, const char *name, const char *op, const char *value, bool first, bool is_or)
{
    (void)arg, (void)name, (void)op, (void)value, (void)first, (void)is_or;
}

/* Any input either parses into something usable or gives a message. */
static void test_junk_input_never_crashes(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "${", "}", "a", "b.c", "(", ")", ",", "'", "\"", "\u2018", "\u201d", "=", "!=", "<", ">=", " ",
        "and", "or", "not", "selected", "true()", ".", "1", "-", "2.5", "\xe2", "\x80", "\xff", "$",
    };
    uint32_t seed = 12345;
    int parsed = 0;
    for (int i = 0; i < 600; i++) {
        char src[64];
        size_t len = 0;
        seed = seed * 1103515245u + 12345u;
        size_t n = (seed >> 16) % 24;
        for (size_t k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            uint32_t r = seed >> 16;
            if (i % 2) {   /* raw bytes, never NUL */
                src[len++] = (char)(r % 255 + 1);
            } else {       /* plausible fragments, to reach deeper states */
                const char *piece = pieces[r % (sizeof pieces / sizeof pieces[0])];
                if (len + strlen(piece) >= sizeof src) break;
                memcpy(src + len, piece, strlen(piece));
                len += strlen(piece);
            }
        }
        src[len] = '\0';
        char err[200] = "";
        expr_t *e = expr_parse(src, err, sizeof err);
        if (e) {
            int refs = 0;
            expr_env_t env = make_env(NULL);
            expr_eval_bool(e, &env);
            expr_refs(e, count_ref, &refs);
            expr_simple_tests(e, ignore_test, NULL);
            expr_free(e);
            parsed++;
        } else if (err[0] == '\0') {
            fail_msg("no message for input #%d", i);
        }
    }
    /* The fragments must sometimes form valid expressions, or the loop
     * never exercised evaluation. */
    assert_true(parsed > 0);
}

/* ---- inspection ------------------------------------------------------- */

static void join_ref(void *arg, const char *name)
{
    buf_t *b = arg;
    buf_printf(b, "%s%s", b->len ? "," : "", name);
}

static void test_refs_in_source_order(void **state)
{
    (void)state;
    static const struct {
        const char *src, *want;
    } rows[] = {
        { "${b} = 'x' and selected(${a}, 'y') or not(${b} = ${c})", "b,a,b,c" },
        { "${a} = 1", "a" },
        { ". > 1 and provincia = 'x'", "" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        buf_t b;
        buf_init(&b);
        expr_t *e = parse_ok(rows[i].src);
        expr_refs(e, join_ref, &b);
        expr_free(e);
        if (strcmp(b.len ? b.data : "", rows[i].want) != 0) fail_msg("%s: got %s", rows[i].src, b.data);
        buf_free(&b);
    }
}

/* Records each test as "and:q = v" for the first (naming the chain) and
 * " or q = v" / " and q = v" for the rest. */
static void record_test(void *arg, const char *name, const char *op, const char *value, bool first, bool is_or)
{
    buf_t *b = arg;
    const char *joint = first ? (is_or ? "or:" : "and:") : (is_or ? " or " : " and ");
    buf_printf(b, "%s%s %s %s", joint, name, op, value);
}

static void test_simple_tests(void **state)
{
    (void)state;
    static const struct {
        const char *src, *want;   /* want NULL: not simple */
    } rows[] = {
        { "${a} = 'x'", "and:a = x" },
        { "${a} != 'x'", "and:a != x" },
        { "selected(${a}, 'x')", "and:a selected x" },
        { "${a} = -2.50", "and:a = -2.50" },
        { "${a} = \u2018s\u00ed\u2019", "and:a = s\u00ed" },
        { "${a} = 'x' and selected(${b}, 'y') and ${c} != 'z'", "and:a = x and b selected y and c != z" },
        { "${a} = 'x' or ${b} = 1", "or:a = x or b = 1" },
        { "(${a} = 'x' and ${b} = 'y') and ${c} = 'z'", "and:a = x and b = y and c = z" },
        { "${a} = 'x' and ${b} = 'y' or ${c} = 'z'", NULL },
        { "${a} = 'x' and (${b} = 'y' or ${c} = 'z')", NULL },
        { "not(${a} = 'x')", NULL },
        { "${a} < 3", NULL },
        { "${a} = ${b}", NULL },
        { "'x' = ${a}", NULL },
        { ". = 'x'", NULL },
        { "selected(${a}, ${b})", NULL },
        { "${a} = 'x' and ${b} > 1", NULL },
        { "${a}", NULL },
        { "true()", NULL },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        buf_t b;
        buf_init(&b);
        expr_t *e = parse_ok(rows[i].src);
        bool simple = expr_simple_tests(e, record_test, &b);
        expr_free(e);
        const char *got = b.len ? b.data : "";
        if (simple != (rows[i].want != NULL)) fail_msg("%s: simple=%d", rows[i].src, simple);
        if (strcmp(got, rows[i].want ? rows[i].want : "") != 0) fail_msg("%s: got \"%s\"", rows[i].src, got);
        buf_free(&b);
    }
}

/* ---- values (issue 15: the ODK XPath language) ------------------------ */

typedef struct {
    const char *src;
    const char *type;   /* expr_type_name */
    const char *text;   /* XPath string() of the value */
} value_row_t;

/* Jargon aside, what a form author types in a calculation and sees. */
static void check_values(const value_row_t *rows, size_t n, const expr_val_t *self)
{
    for (size_t i = 0; i < n; i++) {
        expr_t *e = parse_ok(rows[i].src);
        expr_env_t env = make_env(self);
        expr_result_t r;
        char err[200];
        if (expr_eval(e, &env, &r, err, sizeof err) != 0) fail_msg("`%s`: evaluation error %s", rows[i].src, err);
        expr_free(e);
        if (strcmp(expr_type_name(r.type), rows[i].type) || strcmp(r.str, rows[i].text))
            fail_msg("`%s` gave %s %s, want %s %s", rows[i].src, expr_type_name(r.type), r.str, rows[i].type,
                     rows[i].text);
        expr_result_free(&r);
    }
}

#define CHECK_VALUES(rows, self) check_values(rows, sizeof rows / sizeof rows[0], self)

static void test_arithmetic_and_number_formatting(void **state)
{
    (void)state;
    static const value_row_t rows[] = {
        { "1 + 2 * 3", "number", "7" },
        { "(1 + 2) * 3", "number", "9" },
        { "7 div 2", "number", "3.5" },
        { "7 mod 3", "number", "1" },
        { "-7 mod 3", "number", "-1" },
        { "--5", "number", "5" },
        { "- ${edad}", "number", "-35" },
        { "1 div 0", "number", "Infinity" },
        { "-1 div 0", "number", "-Infinity" },
        { "0 div 0", "number", "NaN" },
        { "${cinco} + 1", "number", "6" },
        { "'abc' + 1", "number", "NaN" },
        { "' 12 ' * 2", "number", "24" },
        { "${edad_vacia} + 1", "number", "NaN" },
        { "0.1 + 0.2", "number", "0.30000000000000004" },
        { "1000000 * 1000000 * 1000000 * 1000", "number", "1000000000000000000000" },
        { "1 div 1000000000", "number", "0.000000001" },
        { "2.50", "number", "2.5" },
        { "${edad}-1", "number", "34" },
        { "6.1 - 7.8 = -1.7", "boolean", "true" },
    };
    CHECK_VALUES(rows, NULL);
}

static void test_xpath_tokenising_and_chained_comparisons(void **state)
{
    (void)state;
    static const value_row_t rows[] = {
        { "1and1", "boolean", "true" },
        { "1 or1", "boolean", "true" },
        { "0and1", "boolean", "false" },
        { "6div2", "number", "3" },
        { "3 < 4 < 5", "boolean", "true" },
        { "5 > 4 > 3", "boolean", "false" },   /* (5 > 4) > 3 is true > 3 is 1 > 3 */
        { "1 = 1 = 1", "boolean", "true" },
        { "${letra} = 'a' = true()", "boolean", "true" },
    };
    CHECK_VALUES(rows, NULL);
}

static void test_paths_resolve_to_questions(void **state)
{
    (void)state;
    static const expr_val_t self = STR("hola");
    static const value_row_t rows[] = {
        { ".", "string", "hola" },
        { "string-length(.)", "number", "4" },
        { "../letra", "string", "a" },
        { "/data/grupo/letra", "string", "a" },
        { "concat(${letra}, ../provincia)", "string", "aelias_pina" },
        { "count(/data/no_existe)", "number", "0" },
        { "count(${letra})", "number", "1" },
    };
    CHECK_VALUES(rows, &self);
}

static void test_odk_functions(void **state)
{
    (void)state;
    static const value_row_t rows[] = {
        { "if(${edad} >= 18, 'adulto', 'menor')", "string", "adulto" },
        { "concat('a', 1, true())", "string", "a1true" },
        { "coalesce(${vacio}, 'x')", "string", "x" },
        { "count-selected(${servicios})", "number", "2" },
        { "selected-at(${servicios}, 1)", "string", "d" },
        { "selected-at(${servicios}, 5)", "string", "" },
        { "string-length('año')", "number", "3" },
        { "substr('hello', 1, 3)", "string", "el" },
        { "substr('hello', -2)", "string", "lo" },
        { "substring('12345', 2, 3)", "string", "234" },
        { "substring-before('a-b', '-')", "string", "a" },
        { "substring-after('a-b', '-')", "string", "b" },
        { "contains('abc', 'b')", "boolean", "true" },
        { "starts-with('abc', 'ab')", "boolean", "true" },
        { "ends-with('abc', 'bc')", "boolean", "true" },
        { "translate('bar', 'abc', 'ABC')", "string", "BAr" },
        { "normalize-space('  a   b ')", "string", "a b" },
        { "regex('809-555-1234', '^[0-9]{3}-\\d{3}-[0-9]{4}$')", "boolean", "true" },
        { "regex('abc', '^[0-9]+$')", "boolean", "false" },
        { "number('12.5')", "number", "12.5" },
        { "int(-3.7)", "number", "-3" },
        { "round(2.5)", "number", "3" },
        { "round(3.14159, 2)", "number", "3.14" },
        { "floor(-1.5)", "number", "-2" },
        { "ceiling(1.2)", "number", "2" },
        { "abs(-4)", "number", "4" },
        { "pow(2, 10)", "number", "1024" },
        { "sqrt(16)", "number", "4" },
        { "log10(1000)", "number", "3" },
        { "exp10(2)", "number", "100" },
        { "round(pi(), 4)", "number", "3.1416" },
        { "atan2(0, 1)", "number", "0" },
        { "min(3, 1, 2)", "number", "1" },
        { "max(3, ${edad})", "number", "35" },
        { "sum(${edad})", "number", "35" },
        { "boolean('')", "boolean", "false" },
        { "boolean-from-string('true')", "boolean", "true" },
        { "boolean-from-string('yes')", "boolean", "false" },
        { "not(1 = 2)", "boolean", "true" },
        { "once('x')", "string", "x" },
        { "join(', ', ${letra}, ${cinco})", "string", "a, 5" },
        { "checklist(1, 2, true(), false(), 1)", "boolean", "true" },
        { "weighted-checklist(3, -1, true(), 2, false(), 5, 1, 1)", "boolean", "true" },
        { "date('2024-02-29')", "date", "2024-02-29" },
        { "date('2024-02-29') + 1", "number", "19783" },
        { "date(19783)", "date", "2024-03-01" },
        { "format-date('2024-03-01', '%d/%m/%Y %b')", "string", "01/03/2024 Mar" },
        { "decimal-date-time('1970-01-02T12:00:00Z')", "number", "1.5" },
        { "digest('abc', 'SHA-256', 'hex')", "string",
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
        { "digest('abc', 'MD5', 'hex')", "string", "900150983cd24fb0d6963f7d28e17f72" },
        { "base64-decode('aG9sYQ==')", "string", "hola" },
        { "string-length(uuid())", "number", "36" },
        { "string-length(uuid(8))", "number", "8" },
        { "random() < 1", "boolean", "true" },
        { "today() > date('2024-01-01')", "boolean", "true" },
        { "distance('0 0;0 1') > 111318", "boolean", "true" },
        /* buzon keeps no time finer than the hour of any response, so a
         * form's now() (stored by a calculation) is to the hour (review). */
        { "format-date-time(now(), '%M:%S')", "string", "00:00" },
        /* patterns with few, unnested counts still work */
        { "regex('ab12', '^[a-z]{1,8}[0-9]{2}$')", "boolean", "true" },
        { "format-date(1e300, '%Y')", "string", "" },   /* beyond year 9999: no date */
    };
    CHECK_VALUES(rows, NULL);
}

static void test_if_is_lazy_and_errors_are_reported(void **state)
{
    (void)state;
    int lookups = 0;
    expr_t *e = parse_ok("if(true(), 1, ${edad})");
    expr_env_t env = make_env(NULL);
    env.ctx = &lookups;
    expr_result_t r;
    char err[200];
    assert_int_equal(expr_eval(e, &env, &r, err, sizeof err), 0);
    assert_int_equal(lookups, 0);
    expr_result_free(&r);
    expr_free(e);

    /* Hostile patterns and numbers (review): a count on a group holding
     * one, back-references, counts above 255 in all, days beyond year
     * 9999 are evaluation errors, never minutes of matching or undefined
     * arithmetic. */
    static const char *const bad[] = { "date('2023-02-29')", "regex('a', '(')", "count(1)", "digest('a', 'SHA-3')",
                                       "regex('aaaa', '((a{0,30}){0,30}){0,30}')", "regex('aax', '(a*)*\\1x')",
                                       "regex('a', 'a{1,32767}')", "regex('a', 'a{200}b{200}')",
                                       "date-time(1e300)" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        e = parse_ok(bad[i]);
        if (expr_eval(e, &env, &r, err, sizeof err) == 0) fail_msg("`%s` evaluated", bad[i]);
        assert_true(err[0] != '\0');
        assert_false(expr_eval_bool(e, &env));
        expr_free(e);
    }
}

static void test_unknown_function_and_arity_are_parse_errors(void **state)
{
    (void)state;
    static const struct { const char *src, *want; } rows[] = {
        { "distancia(${a})", "unknown function distancia() at column 1" },
        { "jr:choice-name(${a})", "jr:choice-name() takes 2 arguments at column 1" },
        { "round()", "round() takes 1 to 2 arguments at column 1" },
        { "max()", "max() takes at least 1 argument at column 1" },
        { "IF(1, 2, 3)", "unknown function IF() at column 1 (write 'if' in lowercase)" },
        { "//x", "'//' at column 1: this XPath syntax is not supported in a form" },
        { "x[1]", "'[' at column 2: this XPath syntax is not supported in a form" },
        { "/text()", "unexpected 'text()' in a path at column 2" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char err[200];
        expr_t *e = expr_parse(rows[i].src, err, sizeof err);
        if (e) fail_msg("`%s` parsed", rows[i].src);
        if (strcmp(err, rows[i].want)) fail_msg("`%s`: got \"%s\", want \"%s\"", rows[i].src, err, rows[i].want);
    }
}

static const char *choice_label(void *ctx, const char *question, const char *value)
{
    (void)ctx;
    return !strcmp(question, "provincia") && !strcmp(value, "elias_pina") ? "Elías Piña" : NULL;
}

static void test_choice_name_asks_the_environment(void **state)
{
    (void)state;
    static const value_row_t rows[] = {
        { "jr:choice-name(${provincia}, '${provincia}')", "string", "Elías Piña" },
        { "jr:choice-name(${provincia}, '/data/provincia')", "string", "Elías Piña" },
        { "jr:choice-name('otra', '${provincia}')", "string", "" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        expr_t *e = parse_ok(rows[i].src);
        expr_env_t env = make_env(NULL);
        env.choice_label = choice_label;
        expr_result_t r;
        char err[200];
        assert_int_equal(expr_eval(e, &env, &r, err, sizeof err), 0);
        if (strcmp(r.str, rows[i].text)) fail_msg("`%s` gave %s", rows[i].src, r.str);
        expr_result_free(&r);
        expr_free(e);
    }
}

/* ---- instance() lookups over a choice list (issue 15) ----------------- */

static void count_column(void *arg, const char *name)
{
    (void)name;
    ++*(int *)arg;
}

/* A small choices table: list "municipios" (name, label, provincia,
 * poblacion) and list "provincias" (name, label). */
static const char *const MUNI[][4] = {
    { "a", "Elías Piña", "p1", "5000" },
    { "b", "Bánica", "p1", "1000" },
    { "c", "Pedro Santana", "p2", "300" },
};
static const char *const PROV[][4] = { { "p1", "Elías Piña", "", "" }, { "p2", "Otra", "", "" } };
static const char *const FIELDS[] = { "name", "label", "provincia", "poblacion" };

static int tab_field(const void *ctx, const char *name)
{
    (void)ctx;
    for (int i = 0; i < 4; i++)
        if (!strcmp(FIELDS[i], name)) return i;
    return -1;
}

static const char *tab_cell(const void *ctx, size_t i, int f, int lang)
{
    (void)lang;
    const char *const (*rows)[4] = ctx;
    return rows[i][f];
}

static int find_tab(void *arg, const char *name, expr_list_t *out)
{
    (void)arg;
    if (strcmp(name, "municipios") && strcmp(name, "provincias")) return -1;
    bool m = !strcmp(name, "municipios");
    *out = (expr_list_t){ .ctx = m ? MUNI : PROV, .nitems = m ? 3 : 2, .nfields = 4,
                          .field = tab_field, .cell = tab_cell };
    return 0;
}

static void test_instance_lookups_over_a_choice_list(void **state)
{
    (void)state;
    /* ${provincia} is "elias_pina", ${letra} "a", ${edad} 35 */
    static const value_row_t rows[] = {
        { "instance('municipios')/root/item[name = ${letra}]/label", "string", "Elías Piña" },
        { "instance('municipios')/root/item[name='b']/poblacion", "string", "1000" },
        { "count(instance('municipios')/root/item[provincia = 'p1'])", "number", "2" },
        { "count(instance('municipios')/root/item)", "number", "3" },
        { "count(instance('municipios')/root/item[provincia = ${provincia}])", "number", "0" },
        { "sum(instance('municipios')/root/item[provincia = 'p1']/poblacion)", "number", "6000" },
        { "max(instance('municipios')/root/item/poblacion)", "number", "5000" },
        { "min(instance('municipios')/root/item/poblacion)", "number", "300" },
        { "join(', ', instance('municipios')/root/item[poblacion > 500 and provincia != 'p2']/name)", "string", "a, b" },
        { "join(', ', instance('municipios')/root/item[poblacion < 500 or name = 'a']/name)", "string", "a, c" },
        { "instance('municipios')/root/item[provincia = 'p1'][2]/name", "string", "b" },
        { "instance('municipios')/root/item[1]/name", "string", "a" },
        { "instance('municipios')/root/item[position() = 3]/label", "string", "Pedro Santana" },
        { "instance('municipios')/root/item[position() > 1][1]/name", "string", "b" },
        { "instance('municipios')/root/item[poblacion >= ${edad} * 100]/name", "string", "a" },
        { "instance('municipios')/root/item[poblacion < 100]/name", "string", "" },
        { "instance('municipios')/root/item/name", "string", "a" },
        { "instance('municipios')/root/item/name = 'c'", "boolean", "true" },
        { "instance('municipios')/root/item/name = 'z'", "boolean", "false" },
        { "instance('municipios')/root/item[name = 'z']/name != 'z'", "boolean", "false" },
        { "instance('municipios')/root/item/poblacion > 4000", "boolean", "true" },
        { "if(instance('municipios')/root/item[name = 'b'], 'sí', 'no')", "string", "sí" },
        { "if(instance('municipios')/root/item[name = 'z'], 'sí', 'no')", "string", "no" },
        { "instance('municipios')/root/item[name = 'b']/poblacion div 10", "number", "100" },
        { "count(instance('municipios')/root/item[provincia = instance('provincias')/root/item[label = 'Otra']/name])",
          "number", "1" },
        { "instance('provincias')/root/item[name = instance('municipios')/root/item[name = 'c']/provincia]/label",
          "string", "Otra" },
        { "instance('municipios')/root/item[name = 'c']", "string", "cPedro Santanap2300" },
        { "concat(instance('municipios')/root/item[name='b']/label, '!')", "string", "Bánica!" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char err[200];
        expr_t *e = parse_ok(rows[i].src);
        if (expr_bind_lists(e, find_tab, NULL, err, sizeof err) != 0) fail_msg("`%s`: %s", rows[i].src, err);
        expr_env_t env = make_env(NULL);
        expr_result_t r;
        if (expr_eval(e, &env, &r, err, sizeof err) != 0) fail_msg("`%s`: %s", rows[i].src, err);
        if (strcmp(expr_type_name(r.type), rows[i].type) || strcmp(r.str, rows[i].text))
            fail_msg("`%s` gave %s %s, want %s %s", rows[i].src, expr_type_name(r.type), r.str, rows[i].type,
                     rows[i].text);
        expr_result_free(&r);
        expr_free(e);
    }
}

static void test_instance_lookup_errors(void **state)
{
    (void)state;
    /* binding: an unknown list or column */
    static const struct { const char *src, *want; } bind_rows[] = {
        { "instance('nada')/root/item[name = 'a']/label", "unknown choice list 'nada' in instance('nada')" },
        { "instance('municipios')/root/item[region = 'x']/name",
          "choice list 'municipios' has no column 'region' (in a predicate of instance('municipios'))" },
        { "instance('municipios')/root/item/altura",
          "choice list 'municipios' has no column 'altura' (in instance('municipios')/root/item/altura)" },
    };
    for (size_t i = 0; i < sizeof bind_rows / sizeof bind_rows[0]; i++) {
        char err[200];
        expr_t *e = parse_ok(bind_rows[i].src);
        assert_int_equal(expr_bind_lists(e, find_tab, NULL, err, sizeof err), -1);
        if (strcmp(err, bind_rows[i].want)) fail_msg("`%s`: got \"%s\"", bind_rows[i].src, err);
        expr_free(e);
    }
    /* parsing: only the shape pyxform gives a list */
    static const struct { const char *src, *want; } parse_rows[] = {
        { "instance(l)/root/item", "instance() takes the name of a choice list in quotes at column 1" },
        { "instance('l')/data/item", "unsupported path after instance('l') at column 15: "
                                     "write instance('list')/root/item[...]/column" },
        { "instance('l')/root/item[name = 'a'", "missing ']' for '[' at column 24" },
        { "instance('l')/root/item/name/x", "unsupported path after instance('l') at column 29: "
                                           "write instance('list')/root/item[...]/column" },
        { "x[1]", "'[' at column 2: this XPath syntax is not supported in a form" },
    };
    for (size_t i = 0; i < sizeof parse_rows / sizeof parse_rows[0]; i++) {
        char err[200];
        expr_t *e = expr_parse(parse_rows[i].src, err, sizeof err);
        if (e) fail_msg("`%s` parsed", parse_rows[i].src);
        if (strcmp(err, parse_rows[i].want)) fail_msg("`%s`: got \"%s\"", parse_rows[i].src, err);
    }
    /* unbound (forms eval has no form): an empty node-set; predicate
     * fields are not choice_filter columns */
    expr_t *e = parse_ok("count(instance('municipios')/root/item[provincia = 'p1'])");
    expr_env_t env = make_env(NULL);
    expr_result_t r;
    char err[200];
    assert_int_equal(expr_eval(e, &env, &r, err, sizeof err), 0);
    assert_string_equal(r.str, "0");
    expr_result_free(&r);
    int ncols = 0;
    expr_columns(e, count_column, &ncols);
    assert_int_equal(ncols, 0);
    expr_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equality_is_numeric_when_either_side_is_a_number),
        cmocka_unit_test(test_equality_of_two_strings_is_bytewise),
        cmocka_unit_test(test_empty_compares_as_nan),
        cmocka_unit_test(test_relational_is_always_numeric),
        cmocka_unit_test(test_boolean_context),
        cmocka_unit_test(test_constraint_on_self),
        cmocka_unit_test(test_selected_matches_whole_tokens),
        cmocka_unit_test(test_not_and_precedence),
        cmocka_unit_test(test_null_is_an_empty_node_set),
        cmocka_unit_test(test_curly_quotes_delimit_strings),
        cmocka_unit_test(test_bare_names_read_choice_columns),
        cmocka_unit_test(test_bare_name_without_column_callback_is_empty),
        cmocka_unit_test(test_and_or_short_circuit),
        cmocka_unit_test(test_parse_error_messages),
        cmocka_unit_test(test_parse_error_fits_small_buffer),
        cmocka_unit_test(test_nesting_depth_is_capped),
        cmocka_unit_test(test_long_chains_do_not_recurse),
        cmocka_unit_test(test_junk_input_never_crashes),
        cmocka_unit_test(test_refs_in_source_order),
        cmocka_unit_test(test_simple_tests),
        cmocka_unit_test(test_arithmetic_and_number_formatting),
        cmocka_unit_test(test_xpath_tokenising_and_chained_comparisons),
        cmocka_unit_test(test_paths_resolve_to_questions),
        cmocka_unit_test(test_odk_functions),
        cmocka_unit_test(test_if_is_lazy_and_errors_are_reported),
        cmocka_unit_test(test_unknown_function_and_arity_are_parse_errors),
        cmocka_unit_test(test_choice_name_asks_the_environment),
        cmocka_unit_test(test_instance_lookups_over_a_choice_list),
        cmocka_unit_test(test_instance_lookup_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
