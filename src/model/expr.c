/*
 * expr.c: the ODK XPath expression language of expr.h. Form authors write
 * these in Excel (relevant, constraint, calculation, choice_filter), so the
 * parser is forgiving where Excel gets in the way (curly quotes) and
 * precise where the author made a mistake: every error names what went
 * wrong and the column, counted in characters as the author sees them.
 *
 * Parsing is a hand-written tokenizer feeding a recursive-descent parser.
 * Recursion only happens through parentheses and function calls, whose
 * nesting is capped at MAX_DEPTH; operator chains of one precedence level
 * ("a + b - c", "a and b and c", "3 < 4 < 5") are n-ary nodes walked by
 * loops, so no input (however long or hostile) can exhaust the stack while
 * parsing, evaluating or freeing.
 *
 * Evaluation follows XPath 1.0 with the ODK XForms function library, as
 * JavaRosa (ODK Collect) and Enketo (KoboToolbox, ODK web forms) implement
 * it, so a form behaves here as it would there. There is no XML instance:
 * a path resolves by its last step's name to a question (names are unique
 * in a buzon form), "." is the question's own value. Strings made while
 * evaluating live in an arena freed when the evaluation ends.
 */
#include "model/expr.h"
#include "base/buf.h"
#include "base/utf8.h"

#include <assert.h>
#include <math.h>
#include <regex.h>
#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Deeper nesting than this is never written by a person; the cap bounds
 * recursion in the parser, the evaluator and expr_free. */
enum { MAX_DEPTH = 64 };

typedef enum {
    OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,   /* comparisons */
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD,    /* arithmetic */
    OP_AND, OP_OR
} op_t;

static const char *const OP_TEXT[] = { "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod", "and", "or" };

typedef enum {
    N_OR, N_AND,   /* n-ary over kids, short-circuit */
    N_BIN,         /* kids[0] ops[1] kids[1] ops[2] kids[2]..., left to right */
    N_NEG,         /* -kids[0] */
    N_CALL,        /* fn(kids...) */
    N_REF,         /* ${text} */
    N_PATH,        /* a path whose last step is the name text ("" for none) */
    N_COLUMN,      /* bare name text, a choices.csv column; in_pred: a field of
                      the item an instance() predicate is testing (field) */
    N_INSTANCE,    /* instance('text')/root/item[kids...]/step: the items of a
                      choice list (list, bound at load), kept by each
                      predicate in turn, then their field `field` (-1: the
                      items themselves) */
    N_SELF,        /* . */
    N_STR,         /* string literal, text without the quotes */
    N_NUM          /* number literal num; text is its source spelling */
} node_kind_t;

struct func;

struct expr {
    node_kind_t kind;
    double num;
    char *text;
    const struct func *fn;   /* N_CALL */
    op_t *ops;               /* N_BIN: ops[i] joins kids[i-1] and kids[i] */
    struct expr **kids;
    size_t nkids, capkids;
    char *spell;             /* N_PATH: the path as written, for messages */
    char *step;              /* N_INSTANCE: the last step's field name, or NULL */
    expr_list_t *list;       /* N_INSTANCE: the list bound at load (owned), or NULL */
    int field;               /* N_INSTANCE: step's field; N_COLUMN in_pred: its field */
    bool in_pred;            /* N_COLUMN: inside an instance() predicate */
};

/* ---- characters ---------------------------------------------------- */

static bool is_ws(char c)
{
    /* XPath's whitespace; anything else is significant. */
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static size_t skip_ws(const char *s, size_t i)
{
    while (is_ws(s[i])) i++;
    return i;
}

typedef struct { uint32_t lo, hi; } range_t;

static bool in_ranges(uint32_t c, const range_t *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (c >= r[i].lo && c <= r[i].hi) return true;
    return false;
}

/* XML 1.0 NameStartChar without ':' (XLSForm names have no namespaces). */
static bool is_name_start(uint32_t c)
{
    static const range_t start[] = {
        { 'A', 'Z' }, { 'a', 'z' }, { '_', '_' }, { 0xC0, 0xD6 }, { 0xD8, 0xF6 },
        { 0xF8, 0x2FF }, { 0x370, 0x37D }, { 0x37F, 0x1FFF }, { 0x200C, 0x200D },
        { 0x2070, 0x218F }, { 0x2C00, 0x2FEF }, { 0x3001, 0xD7FF }, { 0xF900, 0xFDCF },
        { 0xFDF0, 0xFFFD }, { 0x10000, 0xEFFFF },
    };
    return in_ranges(c, start, sizeof start / sizeof start[0]);
}

static bool is_name_char(uint32_t c)
{
    static const range_t more[] = {
        { '-', '.' }, { '0', '9' }, { 0xB7, 0xB7 }, { 0x300, 0x36F }, { 0x203F, 0x2040 },
    };
    return is_name_start(c) || in_ranges(c, more, sizeof more / sizeof more[0]);
}

/* Length in bytes of the XML name at s, 0 when none starts there. */
static size_t name_len(const char *s)
{
    size_t i = 0, n;
    uint32_t cp;
    while ((n = utf8_decode(s + i, &cp)) != 0 && (i == 0 ? is_name_start(cp) : is_name_char(cp)))
        i += n;
    return i;
}

/* Length of the Number at s (Digits ("." Digits?)? | "." Digits), with an
 * optional exponent ("7.9e-12", which Enketo and javarosa read, as numbers
 * printed by other tools carry one), 0 when none starts there. No sign
 * (unary minus is an operator), no "inf"/"nan", no hex. */
static size_t number_len(const char *s)
{
    size_t i = 0, digits = 0;
    for (; s[i] >= '0' && s[i] <= '9'; i++) digits++;
    if (s[i] == '.')
        for (i++; s[i] >= '0' && s[i] <= '9'; i++) digits++;
    if (digits && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1 + (s[i + 1] == '-' || s[i + 1] == '+');
        if (s[j] >= '0' && s[j] <= '9') {
            while (s[j] >= '0' && s[j] <= '9') j++;
            i = j;
        }
    }
    return digits ? i : 0;
}

/* The quote family at s: '\'' for ' ‘ ’, '"' for " “ ”, else 0. Excel
 * turns typed quotes into curly ones, and may pair them any way, so any
 * member of a family closes a string opened by any other. */
static char quote_at(const char *s, size_t *len)
{
    uint32_t cp;
    size_t n = utf8_decode(s, &cp);
    if (n == 0) return 0;
    *len = n;
    if (cp == '\'' || cp == 0x2018 || cp == 0x2019) return '\'';
    if (cp == '"' || cp == 0x201C || cp == 0x201D) return '"';
    return 0;
}

/* ---- tree ---------------------------------------------------------- */

static expr_t *node_new(node_kind_t kind)
{
    expr_t *e = xcalloc(1, sizeof *e);
    e->kind = kind;
    return e;
}

/* Copy of the n bytes at s, NUL-terminated; caller frees. */
static char *dupn(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static expr_t *node_text(node_kind_t kind, const char *s, size_t n)
{
    expr_t *e = node_new(kind);
    e->text = dupn(s, n);
    return e;
}

static void add_kid(expr_t *e, expr_t *kid)
{
    if (e->nkids == e->capkids) {
        e->capkids = e->capkids ? 2 * e->capkids : 2;
        e->kids = xrealloc(e->kids, e->capkids * sizeof *e->kids);
        if (e->kind == N_BIN) e->ops = xrealloc(e->ops, e->capkids * sizeof *e->ops);
    }
    e->kids[e->nkids++] = kid;
}

void expr_free(expr_t *e)
{
    if (!e) return;
    for (size_t i = 0; i < e->nkids; i++) expr_free(e->kids[i]);
    free(e->kids);
    free(e->ops);
    free(e->text);
    free(e->spell);
    free(e->step);
    free(e->list);
    free(e);
}

/* ---- tokenizer ----------------------------------------------------- */

typedef enum {
    T_END, T_REF, T_NAME, T_STR, T_NUM, T_OP, T_LPAREN, T_RPAREN, T_COMMA, T_DOT, T_DOTDOT,
    T_SLASH, T_LBRACK, T_RBRACK,
    T_BAD   /* T_BAD: XPath syntax buzon does not support ("//", "|", "@", "::") */
} tok_kind_t;

typedef struct {
    tok_kind_t kind;
    size_t pos, len;    /* source bytes of the whole token */
    size_t vpos, vlen;  /* T_REF: the name; T_STR: the text inside the quotes */
    op_t op;            /* T_OP */
} tok_t;

typedef struct {
    const char *src;
    tok_t tok;          /* the current token */
    int depth;
    int preds;          /* instance() predicates open around the current token */
    char *err;
    size_t errlen;
} parser_t;

static const struct {
    const char *text;
    tok_kind_t kind;
    op_t op;
} PUNCT[] = {
    /* longer tokens first, so "<=" is not read as "<" "=" */
    { "!=", T_OP, OP_NE }, { "<=", T_OP, OP_LE }, { ">=", T_OP, OP_GE },
    { "//", T_BAD, OP_EQ }, { "::", T_BAD, OP_EQ }, { "..", T_DOTDOT, OP_EQ },
    { "=", T_OP, OP_EQ }, { "<", T_OP, OP_LT }, { ">", T_OP, OP_GT },
    { "+", T_OP, OP_ADD }, { "-", T_OP, OP_SUB }, { "*", T_OP, OP_MUL },
    { "(", T_LPAREN, OP_EQ }, { ")", T_RPAREN, OP_EQ }, { ",", T_COMMA, OP_EQ },
    { ".", T_DOT, OP_EQ }, { "/", T_SLASH, OP_EQ },
    { "[", T_LBRACK, OP_EQ }, { "]", T_RBRACK, OP_EQ }, { "|", T_BAD, OP_EQ }, { "@", T_BAD, OP_EQ },
};

/* 1-based column of byte offset pos, counting characters, not bytes. */
static size_t col(const parser_t *p, size_t pos)
{
    return 1 + utf8_count(p->src, pos);
}

static void fail(parser_t *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(parser_t *p, const char *fmt, ...)
{
    va_list ap;
    if (p->errlen == 0) return;
    va_start(ap, fmt);
    vsnprintf(p->err, p->errlen, fmt, ap);
    va_end(ap);
}

/* Spreadsheet users often write AND, Or, NOT(...): XPath keywords are
 * lowercase, so point that out rather than leave them puzzled. */
static void add_case_hint(parser_t *p, const char *s, size_t n)
{
    static const char *const words[] = { "and", "or", "not", "selected", "true", "false", "if",
                                         "div", "mod", "concat", "count", "round", "int" };
    if (p->errlen == 0) return;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strlen(words[i]) == n && strncasecmp(s, words[i], n) == 0 && memcmp(s, words[i], n) != 0) {
            size_t used = strlen(p->err);
            snprintf(p->err + used, p->errlen - used, " (write '%s' in lowercase)", words[i]);
            return;
        }
    }
}

static void fail_bad_char(parser_t *p, size_t pos)
{
    const char *s = p->src + pos;
    unsigned char c = (unsigned char)*s;
    uint32_t cp;
    size_t n;
    if (c >= 0x20 && c < 0x7F)
        fail(p, "unexpected character '%c' at column %zu", c, col(p, pos));
    else if (c >= 0x80 && (n = utf8_decode(s, &cp)) != 0)
        fail(p, "unexpected character '%.*s' (U+%04X) at column %zu", (int)n, s, (unsigned)cp, col(p, pos));
    else
        fail(p, "unexpected byte 0x%02X at column %zu", c, col(p, pos));
}

/* True when the token ends an operand, so that what follows is an
 * operator: XPath reads "*" as multiplication and "and", "or", "div",
 * "mod" as operators there, even glued to a number ("1and1", "1 or1"). */
static bool ends_operand(tok_kind_t k, size_t len)
{
    return len > 0 && (k == T_NUM || k == T_STR || k == T_REF || k == T_RPAREN || k == T_DOT || k == T_DOTDOT ||
                       k == T_NAME || k == T_RBRACK);
}

/* Read the token after the current one into p->tok. False (with the
 * message set) when the source there is not a token. */
static bool lex_next(parser_t *p)
{
    const char *s = p->src;
    size_t i = skip_ws(s, p->tok.pos + p->tok.len), n = 0, m = 0;
    char q;
    tok_t t = { .kind = T_END, .pos = i };
    static const struct { const char *w; op_t op; } WORDS[] = {
        { "and", OP_AND }, { "or", OP_OR }, { "div", OP_DIV }, { "mod", OP_MOD },
    };

    if (s[i] == '\0') {
        p->tok = t;
        return true;
    }
    if (ends_operand(p->tok.kind, p->tok.len)) {
        for (size_t k = 0; k < sizeof WORDS / sizeof WORDS[0]; k++) {
            size_t wl = strlen(WORDS[k].w);
            if (strncmp(s + i, WORDS[k].w, wl) == 0) {
                t.kind = T_OP;
                t.op = WORDS[k].op;
                t.len = wl;
                p->tok = t;
                return true;
            }
        }
    }
    if ((q = quote_at(s + i, &n)) != 0) {
        size_t j = i + n;
        while (s[j] != '\0' && quote_at(s + j, &m) != q) j++;
        if (s[j] == '\0') {
            fail(p, "unterminated string at column %zu", col(p, i));
            return false;
        }
        t.kind = T_STR;
        t.vpos = i + n;
        t.vlen = j - t.vpos;
        t.len = j + m - i;
    } else if (s[i] == '$' && s[i + 1] == '{') {
        n = name_len(s + i + 2);
        if (n == 0) {
            fail(p, "expected a name after '${' at column %zu", col(p, i));
            return false;
        }
        if (s[i + 2 + n] != '}') {
            fail(p, "expected '}' after ${%.*s", (int)n, s + i + 2);
            return false;
        }
        t.kind = T_REF;
        t.vpos = i + 2;
        t.vlen = n;
        t.len = n + 3;
    } else if ((n = number_len(s + i)) != 0) {
        t.kind = T_NUM;
        t.len = n;
    } else if ((n = name_len(s + i)) != 0) {
        /* a QName such as jr:choice-name */
        if (s[i + n] == ':' && (m = name_len(s + i + n + 1)) != 0) n += 1 + m;
        t.kind = T_NAME;
        t.len = n;
    } else {
        size_t k = 0;
        while (k < sizeof PUNCT / sizeof PUNCT[0] && strncmp(s + i, PUNCT[k].text, strlen(PUNCT[k].text)) != 0)
            k++;
        if (k == sizeof PUNCT / sizeof PUNCT[0]) {
            fail_bad_char(p, i);
            return false;
        }
        t.kind = PUNCT[k].kind;
        t.op = PUNCT[k].op;
        t.len = strlen(PUNCT[k].text);
        if (t.kind == T_BAD) {
            fail(p, "'%s' at column %zu: this XPath syntax is not supported in a form", PUNCT[k].text, col(p, i));
            return false;
        }
    }
    p->tok = t;
    return true;
}

static bool tok_is_op(const parser_t *p, op_t op)
{
    return p->tok.kind == T_OP && p->tok.op == op;
}

static void fail_unexpected(parser_t *p)
{
    const tok_t *t = &p->tok;
    size_t c = col(p, t->pos);
    if (t->kind == T_END) {
        fail(p, "unexpected end of expression at column %zu", c);
    } else if (t->kind == T_STR) {
        fail(p, "unexpected string at column %zu", c);
    } else {
        fail(p, "unexpected '%.*s' at column %zu", (int)t->len, p->src + t->pos, c);
        if (t->kind == T_NAME) add_case_hint(p, p->src + t->pos, t->len);
    }
}

/* ---- parser -------------------------------------------------------- */

static expr_t *parse_or(parser_t *p);

/* Called on each "(" (grouping or call); the matching ")" decrements. */
static bool enter(parser_t *p)
{
    if (++p->depth > MAX_DEPTH) {
        fail(p, "expression nested deeper than %d levels at column %zu", MAX_DEPTH, col(p, p->tok.pos));
        return false;
    }
    return true;
}

/* Consume the ")" that closes the "(" at byte offset open. */
static bool close_paren(parser_t *p, size_t open)
{
    if (p->tok.kind == T_RPAREN) {
        p->depth--;
        return lex_next(p);
    }
    if (p->tok.kind == T_END)
        fail(p, "missing ')' for '(' at column %zu", col(p, open));
    else
        fail_unexpected(p);
    return false;
}

static expr_t *parse_group(parser_t *p)
{
    size_t open = p->tok.pos;
    if (!enter(p) || !lex_next(p)) return NULL;
    expr_t *e = parse_or(p);
    if (e && !close_paren(p, open)) {
        expr_free(e);
        return NULL;
    }
    return e;
}

/* The function library: name, arity (max -1: any number), and the
 * implementation id the evaluator switches on. */
typedef enum {
    F_NOT, F_SELECTED, F_TRUE, F_FALSE, F_IF, F_CONCAT, F_COALESCE, F_COUNT_SELECTED, F_SELECTED_AT,
    F_CHOICE_NAME, F_STRING_LENGTH, F_SUBSTR, F_SUBSTRING, F_SUBSTRING_BEFORE, F_SUBSTRING_AFTER,
    F_CONTAINS, F_STARTS_WITH, F_ENDS_WITH, F_TRANSLATE, F_NORMALIZE_SPACE, F_REGEX, F_STRING,
    F_NUMBER, F_INT, F_ROUND, F_FLOOR, F_CEILING, F_ABS, F_POW, F_LOG, F_LOG10, F_EXP, F_EXP10,
    F_SQRT, F_SIN, F_COS, F_TAN, F_ASIN, F_ACOS, F_ATAN, F_ATAN2, F_PI, F_MIN, F_MAX, F_SUM, F_COUNT,
    F_COUNT_NON_EMPTY, F_POSITION, F_TODAY, F_NOW, F_DATE, F_DATE_TIME, F_DECIMAL_DATE_TIME,
    F_DECIMAL_TIME, F_FORMAT_DATE, F_FORMAT_DATE_TIME, F_BOOLEAN, F_BOOLEAN_FROM_STRING, F_ONCE,
    F_UUID, F_RANDOM, F_JOIN, F_CHECKLIST, F_WEIGHTED_CHECKLIST, F_DIGEST, F_BASE64_DECODE,
    F_DISTANCE, F_AREA,
    F_INDEXED_REPEAT   /* issue 16: repeats (form_repeat.c) */
} fn_id_t;

typedef struct func {
    const char *name;
    fn_id_t id;
    int min, max;
} func_t;

static const func_t FUNCS[] = {
    { "not", F_NOT, 1, 1 }, { "selected", F_SELECTED, 2, 2 }, { "true", F_TRUE, 0, 0 },
    { "false", F_FALSE, 0, 0 }, { "if", F_IF, 3, 3 }, { "concat", F_CONCAT, 0, -1 },
    { "coalesce", F_COALESCE, 2, 2 }, { "count-selected", F_COUNT_SELECTED, 1, 1 },
    { "selected-at", F_SELECTED_AT, 2, 2 }, { "jr:choice-name", F_CHOICE_NAME, 2, 2 },
    { "string-length", F_STRING_LENGTH, 1, 1 }, { "substr", F_SUBSTR, 2, 3 },
    { "substring", F_SUBSTRING, 2, 3 }, { "substring-before", F_SUBSTRING_BEFORE, 2, 2 },
    { "substring-after", F_SUBSTRING_AFTER, 2, 2 }, { "contains", F_CONTAINS, 2, 2 },
    { "starts-with", F_STARTS_WITH, 2, 2 }, { "ends-with", F_ENDS_WITH, 2, 2 },
    { "translate", F_TRANSLATE, 3, 3 }, { "normalize-space", F_NORMALIZE_SPACE, 1, 1 },
    { "regex", F_REGEX, 2, 2 }, { "string", F_STRING, 0, 1 }, { "number", F_NUMBER, 1, 1 },
    { "int", F_INT, 1, 1 }, { "round", F_ROUND, 1, 2 }, { "floor", F_FLOOR, 1, 1 },
    { "ceiling", F_CEILING, 1, 1 }, { "abs", F_ABS, 1, 1 }, { "pow", F_POW, 2, 2 },
    { "log", F_LOG, 1, 1 }, { "log10", F_LOG10, 1, 1 }, { "exp", F_EXP, 1, 1 },
    { "exp10", F_EXP10, 1, 1 }, { "sqrt", F_SQRT, 1, 1 }, { "sin", F_SIN, 1, 1 },
    { "cos", F_COS, 1, 1 }, { "tan", F_TAN, 1, 1 }, { "asin", F_ASIN, 1, 1 },
    { "acos", F_ACOS, 1, 1 }, { "atan", F_ATAN, 1, 1 }, { "atan2", F_ATAN2, 2, 2 },
    { "pi", F_PI, 0, 0 }, { "min", F_MIN, 1, -1 }, { "max", F_MAX, 1, -1 }, { "sum", F_SUM, 1, 1 },
    { "count", F_COUNT, 1, 1 }, { "count-non-empty", F_COUNT_NON_EMPTY, 1, 1 },
    { "position", F_POSITION, 0, 1 }, { "today", F_TODAY, 0, 0 }, { "now", F_NOW, 0, 0 },
    { "date", F_DATE, 1, 1 }, { "date-time", F_DATE_TIME, 1, 1 },
    { "decimal-date-time", F_DECIMAL_DATE_TIME, 1, 1 }, { "decimal-time", F_DECIMAL_TIME, 1, 1 },
    { "format-date", F_FORMAT_DATE, 2, 2 }, { "format-date-time", F_FORMAT_DATE_TIME, 2, 2 },
    { "boolean", F_BOOLEAN, 1, 1 }, { "boolean-from-string", F_BOOLEAN_FROM_STRING, 1, 1 },
    { "once", F_ONCE, 1, 1 }, { "uuid", F_UUID, 0, 1 }, { "random", F_RANDOM, 0, 0 },
    { "join", F_JOIN, 1, -1 }, { "checklist", F_CHECKLIST, 2, -1 },
    { "weighted-checklist", F_WEIGHTED_CHECKLIST, 2, -1 }, { "digest", F_DIGEST, 2, 3 },
    { "base64-decode", F_BASE64_DECODE, 1, 1 }, { "distance", F_DISTANCE, 1, -1 }, { "area", F_AREA, 1, 1 },
    { "indexed-repeat", F_INDEXED_REPEAT, 3, -1 },
};

static const func_t *find_func(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof FUNCS / sizeof FUNCS[0]; i++)
        if (strlen(FUNCS[i].name) == n && memcmp(FUNCS[i].name, s, n) == 0) return &FUNCS[i];
    return NULL;
}

static void fail_arity(parser_t *p, const func_t *f, size_t pos)
{
    char takes[48];
    if (f->min == f->max && f->min == 0) snprintf(takes, sizeof takes, "no arguments");
    else if (f->min == f->max) snprintf(takes, sizeof takes, "%d argument%s", f->min, f->min == 1 ? "" : "s");
    else if (f->max < 0) snprintf(takes, sizeof takes, "at least %d argument%s", f->min, f->min == 1 ? "" : "s");
    else snprintf(takes, sizeof takes, "%d to %d arguments", f->min, f->max);
    fail(p, "%s() takes %s at column %zu", f->name, takes, col(p, pos));
}

/* name "(" args ")" with the current token on the name. The arity is
 * checked once the arguments are read, for a clearer message. */
static expr_t *parse_call(parser_t *p)
{
    const tok_t name = p->tok;
    const char *s = p->src + name.pos;
    const func_t *f = find_func(s, name.len);
    if (!f) {
        fail(p, "unknown function %.*s() at column %zu", (int)name.len, s, col(p, name.pos));
        add_case_hint(p, s, name.len);
        return NULL;
    }
    if (!lex_next(p)) return NULL;   /* onto the "(" */
    size_t open = p->tok.pos;
    if (!enter(p) || !lex_next(p)) return NULL;

    expr_t *e = node_new(N_CALL);
    e->fn = f;
    if (p->tok.kind != T_RPAREN) {
        for (;;) {
            expr_t *arg = parse_or(p);
            if (!arg) goto fail;
            add_kid(e, arg);
            if (p->tok.kind != T_COMMA) break;
            if (!lex_next(p)) goto fail;
        }
    }
    if (!close_paren(p, open)) goto fail;
    if ((int)e->nkids < f->min || (f->max >= 0 && (int)e->nkids > f->max)) {
        fail_arity(p, f, name.pos);
        goto fail;
    }
    return e;
fail:
    expr_free(e);
    return NULL;
}

/* A location path: "/"? step ("/" step)*, a step being a name, "." or
 * "..", with the current token on its first token. There is no document
 * to walk: the value is that of the question named by the last step (".":
 * the question's own value; ending in "..": nothing). A lone name is a
 * choices.csv column (choice_filter); a lone "." is the own value. */
static expr_t *parse_path(parser_t *p)
{
    size_t steps = 0, start = p->tok.pos;
    tok_kind_t last = T_END;
    size_t lpos = 0, llen = 0;
    bool absolute = p->tok.kind == T_SLASH;
    if (absolute && !lex_next(p)) return NULL;
    for (;;) {
        if (p->tok.kind == T_NAME || p->tok.kind == T_DOT || p->tok.kind == T_DOTDOT) {
            if (p->tok.kind == T_NAME && p->src[skip_ws(p->src, p->tok.pos + p->tok.len)] == '(') {
                fail(p, "unexpected '%.*s()' in a path at column %zu", (int)p->tok.len, p->src + p->tok.pos,
                     col(p, p->tok.pos));
                return NULL;
            }
            last = p->tok.kind;
            lpos = p->tok.pos;
            llen = p->tok.len;
            steps++;
            if (!lex_next(p)) return NULL;
        } else if (!(absolute && steps == 0)) {
            fail_unexpected(p);
            return NULL;
        }
        if (p->tok.kind == T_LBRACK) {
            /* predicates only in instance('list')/root/item[...] */
            fail(p, "'[' at column %zu: this XPath syntax is not supported in a form", col(p, p->tok.pos));
            return NULL;
        }
        if (p->tok.kind != T_SLASH) break;
        if (!lex_next(p)) return NULL;
    }
    if (!absolute && steps == 1 && last == T_NAME && !p->preds && llen == 4 && !memcmp(p->src + lpos, "null", 4)) {
        /* issue 15 item 5: `if(c, x, null)`: javarosa reads a name that
         * is nothing as an empty node-set, and forms write null for it. */
        expr_t *e = node_text(N_PATH, "", 0);
        e->spell = xstrdup("null");
        return e;
    }
    if (!absolute && steps == 1 && last == T_NAME) {
        expr_t *c = node_text(N_COLUMN, p->src + lpos, llen);
        c->in_pred = p->preds > 0;
        return c;
    }
    if (!absolute && steps == 1 && last == T_DOT) return node_new(N_SELF);
    if (last == T_NAME) {
        expr_t *e = node_text(N_PATH, p->src + lpos, llen);
        size_t end = p->tok.pos;
        while (end > start && is_ws(p->src[end - 1])) end--;
        e->spell = dupn(p->src + start, end - start);
        return e;
    }
    if (last == T_DOT && steps > 0) {
        /* "./." or "x/." : the same node as before the dot; rare, resolve as self */
        return node_new(N_SELF);
    }
    return node_text(N_PATH, "", 0);
}

static bool tok_is_name(const parser_t *p, const char *name)
{
    return p->tok.kind == T_NAME && p->tok.len == strlen(name) && !memcmp(p->src + p->tok.pos, name, p->tok.len);
}

/* instance('list')/root/item[pred]...[pred](/field)? with the current
 * token on "instance": a restricted node-set over one choice list (the
 * secondary instance pyxform makes of each list), not a document walk. */
static expr_t *parse_instance(parser_t *p)
{
    static const char SHAPE[] = "write instance('list')/root/item[...]/column";
    size_t at = p->tok.pos, open;
    if (!lex_next(p)) return NULL;   /* onto the "(" */
    open = p->tok.pos;
    if (!enter(p) || !lex_next(p)) return NULL;
    if (p->tok.kind != T_STR) {
        fail(p, "instance() takes the name of a choice list in quotes at column %zu", col(p, at));
        return NULL;
    }
    expr_t *e = node_text(N_INSTANCE, p->src + p->tok.vpos, p->tok.vlen);
    e->field = -1;
    if (!lex_next(p) || !close_paren(p, open)) goto fail;
    for (int k = 0; k < 2; k++) {
        if (p->tok.kind != T_SLASH || !lex_next(p) || !tok_is_name(p, k ? "item" : "root")) {
            if (p->errlen && !p->err[0])
                fail(p, "unsupported path after instance('%s') at column %zu: %s", e->text,
                     col(p, p->tok.pos), SHAPE);
            goto fail;
        }
        if (!lex_next(p)) goto fail;
    }
    while (p->tok.kind == T_LBRACK) {
        size_t lb = p->tok.pos;
        if (!enter(p) || !lex_next(p)) goto fail;
        p->preds++;
        expr_t *pred = parse_or(p);
        p->preds--;
        if (!pred) goto fail;
        add_kid(e, pred);
        if (p->tok.kind != T_RBRACK) {
            if (p->tok.kind == T_END) fail(p, "missing ']' for '[' at column %zu", col(p, lb));
            else fail_unexpected(p);
            goto fail;
        }
        p->depth--;
        if (!lex_next(p)) goto fail;
    }
    if (p->tok.kind == T_SLASH) {
        if (!lex_next(p)) goto fail;
        if (p->tok.kind != T_NAME || p->src[skip_ws(p->src, p->tok.pos + p->tok.len)] == '(') {
            if (p->errlen && !p->err[0])
                fail(p, "unsupported path after instance('%s') at column %zu: %s", e->text,
                     col(p, p->tok.pos), SHAPE);
            goto fail;
        }
        e->step = dupn(p->src + p->tok.pos, p->tok.len);
        if (!lex_next(p)) goto fail;
    }
    if (p->tok.kind == T_SLASH || p->tok.kind == T_LBRACK) {
        fail(p, "unsupported path after instance('%s') at column %zu: %s", e->text, col(p, p->tok.pos), SHAPE);
        goto fail;
    }
    return e;
fail:
    expr_free(e);
    return NULL;
}

/* current() with the current token on "current": the question whose
 * expression this is ("."), and current()/../y (how choice_filter
 * predicates name a sibling question) the path ../y from it; a single
 * step current()/y names the question y. */
static expr_t *parse_current(parser_t *p)
{
    if (!lex_next(p)) return NULL;   /* "(" */
    if (!lex_next(p)) return NULL;
    if (p->tok.kind != T_RPAREN) {
        fail(p, "current() takes no argument (column %zu)", col(p, p->tok.pos));
        return NULL;
    }
    if (!lex_next(p)) return NULL;
    if (p->tok.kind != T_SLASH) return node_new(N_SELF);
    if (!lex_next(p)) return NULL;
    expr_t *e = parse_path(p);
    if (e && e->kind == N_COLUMN) {
        e->kind = N_PATH;
        e->in_pred = false;
        e->spell = xstrdup(e->text);
    }
    return e;
}

static expr_t *parse_primary(parser_t *p)
{
    const tok_t t = p->tok;
    expr_t *e;
    switch (t.kind) {
    case T_REF:
        e = node_text(N_REF, p->src + t.vpos, t.vlen);
        break;
    case T_STR:
        e = node_text(N_STR, p->src + t.vpos, t.vlen);
        break;
    case T_NUM:
        e = node_text(N_NUM, p->src + t.pos, t.len);
        e->num = strtod(e->text, NULL);
        break;
    case T_LPAREN:
        return parse_group(p);
    case T_NAME:
        if (p->src[skip_ws(p->src, t.pos + t.len)] == '(' && tok_is_name(p, "instance")) return parse_instance(p);
        if (p->src[skip_ws(p->src, t.pos + t.len)] == '(' && tok_is_name(p, "current")) return parse_current(p);
        if (p->src[skip_ws(p->src, t.pos + t.len)] == '(') {
            e = parse_call(p);
            if (e && p->tok.kind == T_SLASH) {
                fail(p, "a path after a function call at column %zu is not supported", col(p, p->tok.pos));
                expr_free(e);
                return NULL;
            }
            return e;
        }
        if ((t.len == 3 && !memcmp(p->src + t.pos, "and", 3)) || (t.len == 2 && !memcmp(p->src + t.pos, "or", 2))) {
            fail_unexpected(p);
            return NULL;
        }
        return parse_path(p);
    case T_DOT:
    case T_DOTDOT:
    case T_SLASH:
        return parse_path(p);
    default:
        fail_unexpected(p);
        return NULL;
    }
    if (!lex_next(p)) {
        expr_free(e);
        return NULL;
    }
    return e;
}

/* "-"* primary: an even number of minuses cancels out. */
static expr_t *parse_unary(parser_t *p)
{
    size_t minus = 0;
    while (tok_is_op(p, OP_SUB)) {
        minus++;
        if (!lex_next(p)) return NULL;
    }
    expr_t *e = parse_primary(p);
    if (!e || minus % 2 == 0) return e;
    if (e->kind == N_NUM && minus == 1) {
        /* "-2.5" stays one literal, so its spelling reaches the page's
         * data-if attributes (expr_simple_tests) as the author wrote it */
        size_t len = strlen(e->text);
        e->text = xrealloc(e->text, len + 2);
        memmove(e->text + 1, e->text, len + 1);
        e->text[0] = '-';
        e->num = -e->num;
        return e;
    }
    expr_t *n = node_new(N_NEG);
    add_kid(n, e);
    return n;
}

/* Binary precedence levels, loosest first: equality, relational,
 * additive, multiplicative. Each is left-associative, so "3 < 4 < 5" is
 * "(3 < 4) < 5", as in XPath. */
static const op_t LEVEL_OPS[4][3] = {
    { OP_EQ, OP_NE, OP_EQ }, { OP_LT, OP_LE, OP_GT }, { OP_ADD, OP_SUB, OP_ADD }, { OP_MUL, OP_DIV, OP_MOD },
};

static bool op_in_level(const parser_t *p, int level)
{
    if (p->tok.kind != T_OP) return false;
    if (level == 1 && p->tok.op == OP_GE) return true;
    for (int i = 0; i < 3; i++)
        if (LEVEL_OPS[level][i] == p->tok.op) return true;
    return false;
}

static expr_t *parse_level(parser_t *p, int level)
{
    expr_t *first = level == 3 ? parse_unary(p) : parse_level(p, level + 1);
    if (!first || !op_in_level(p, level)) return first;
    expr_t *e = node_new(N_BIN);
    add_kid(e, first);
    while (op_in_level(p, level)) {
        op_t op = p->tok.op;
        expr_t *next = lex_next(p) ? (level == 3 ? parse_unary(p) : parse_level(p, level + 1)) : NULL;
        if (!next) {
            expr_free(e);
            return NULL;
        }
        add_kid(e, next);
        e->ops[e->nkids - 1] = op;
    }
    return e;
}

/* sub ( op sub )*, as one n-ary node when there is more than one sub. */
static expr_t *parse_chain(parser_t *p, node_kind_t kind, op_t op, expr_t *(*sub)(parser_t *))
{
    expr_t *first = sub(p);
    if (!first || !tok_is_op(p, op)) return first;
    expr_t *e = node_new(kind);
    add_kid(e, first);
    while (tok_is_op(p, op)) {
        expr_t *next = lex_next(p) ? sub(p) : NULL;
        if (!next) {
            expr_free(e);
            return NULL;
        }
        add_kid(e, next);
    }
    return e;
}

static expr_t *parse_eq(parser_t *p)
{
    return parse_level(p, 0);
}

static expr_t *parse_and(parser_t *p)
{
    return parse_chain(p, N_AND, OP_AND, parse_eq);
}

static expr_t *parse_or(parser_t *p)
{
    return parse_chain(p, N_OR, OP_OR, parse_and);
}

expr_t *expr_parse(const char *src, char *err, size_t errlen)
{
    assert(src != NULL);
    assert(err != NULL || errlen == 0);
    parser_t p = { .src = src, .err = err, .errlen = errlen };
    if (errlen) err[0] = '\0';
    if (src[skip_ws(src, 0)] == '\0') {
        fail(&p, "empty expression");
        return NULL;
    }
    if (!lex_next(&p)) return NULL;
    expr_t *e = parse_or(&p);
    if (e && p.tok.kind != T_END) {
        fail_unexpected(&p);
        expr_free(e);
        return NULL;
    }
    return e;
}

/* ---- values -------------------------------------------------------- */

/* XPath's value types plus ODK's dates. A node is a question's value:
 * nodes is 1 for one, 0 for a path that names no question (an empty
 * node-set), -1 for a value that is not a node. */
typedef enum { V_STR, V_NUM, V_BOOL, V_DATE, V_DATETIME } vkind_t;

/* The nodes of an instance() path: items idx[0..n) of list, or their
 * field `field` (-1: the items themselves). Lives in the arena. */
typedef struct nodeset {
    const expr_list_t *list;
    size_t *idx, n;
    int field;
} nodeset_t;

typedef struct {
    vkind_t kind;
    const char *str;   /* V_STR (a node-set: its first node's value, "" if none) */
    double num;        /* V_NUM; V_DATE: days since 1970-01-01 (local calendar); V_DATETIME: UTC days */
    bool b;            /* V_BOOL */
    int nodes;
    const nodeset_t *set;   /* an instance() path's nodes, else NULL */
} val_t;

/* The evaluation: its environment, the strings it made (freed at the
 * end) and the first error, if any. */
typedef struct {
    const expr_env_t *env;
    char **mem;
    size_t nmem, capmem;
    bool failed;
    char err[200];
    /* inside an instance() predicate: the item being tested and its
     * 1-based position among those still kept; cur_list NULL otherwise */
    const expr_list_t *cur_list;
    size_t cur_item, cur_pos;
    /* the budget (EXPR_MAX_STEPS, EXPR_MAX_BYTES): nodes evaluated and
     * bytes of node-sets made so far */
    unsigned long steps;
    size_t bytes;
} ev_t;

static const char *keep(ev_t *x, char *s)
{
    if (x->nmem == x->capmem) {
        x->capmem = x->capmem ? 2 * x->capmem : 8;
        x->mem = xrealloc(x->mem, x->capmem * sizeof *x->mem);
    }
    x->mem[x->nmem++] = s;
    return s;
}

static void ev_fail(ev_t *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ev_fail(ev_t *x, const char *fmt, ...)
{
    if (x->failed) return;
    x->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->err, sizeof x->err, fmt, ap);
    va_end(ap);
}

static val_t vstr(const char *s) { return (val_t){ .kind = V_STR, .str = s, .nodes = -1 }; }
static val_t vnum(double d) { return (val_t){ .kind = V_NUM, .num = d, .nodes = -1 }; }
static val_t vbool(bool b) { return (val_t){ .kind = V_BOOL, .b = b, .nodes = -1 }; }

/* ---- dates --------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (long)yoe + era * 400 + (*m <= 2);
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* "YYYY-MM-DD" at s, a real calendar day. Returns the bytes read (10) and
 * the day number, or 0. */
static size_t parse_ymd(const char *s, long *days)
{
    int y, m, d;
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || s[7] != '-' || !digits(s + 8, 2, &d))
        return 0;
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return 0;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap) return 0;
    *days = days_from_civil(y, (unsigned)m, (unsigned)d);
    return 10;
}

/* Seconds east of UTC of local time at UTC time t. */
static long local_offset(time_t t)
{
    struct tm tm;
    localtime_r(&t, &tm);
    return tm.tm_gmtoff;
}

/* "HH:MM[:SS[.fff]][Z|±HH:MM|±HHMM]" at s: seconds into the day (may be
 * fractional), *tz set to the offset in seconds when one is written. */
static bool parse_time(const char *s, double *secs, bool *has_tz, long *tz)
{
    int h, mi, se = 0;
    double frac = 0;
    size_t i = 5;
    if (!digits(s, 2, &h) || s[2] != ':' || !digits(s + 3, 2, &mi) || h > 23 || mi > 59) return false;
    if (s[5] == ':') {
        if (!digits(s + 6, 2, &se) || se > 59) return false;
        i = 8;
        if (s[i] == '.') {
            size_t j = i + 1;
            double scale = 0.1;
            while (s[j] >= '0' && s[j] <= '9') {
                frac += (s[j] - '0') * scale;
                scale /= 10;
                j++;
            }
            i = j;
        }
    }
    *has_tz = false;
    if (s[i] == 'Z') {
        *has_tz = true;
        *tz = 0;
        i++;
    } else if (s[i] == '+' || s[i] == '-') {
        int th, tm = 0;
        if (!digits(s + i + 1, 2, &th)) return false;
        size_t j = i + 3;
        if (s[j] == ':') j++;
        if (s[j] >= '0' && s[j] <= '9') {
            if (!digits(s + j, 2, &tm)) return false;
            j += 2;
        }
        if (th > 23 || tm > 59) return false;
        *has_tz = true;
        *tz = (s[i] == '-' ? -1 : 1) * (th * 3600L + tm * 60L);
        i = j;
    }
    if (s[skip_ws(s, i)] != '\0') return false;
    *secs = h * 3600.0 + mi * 60.0 + se + frac;
    return true;
}

/* A date or date-time string as UTC days (a date alone is local midnight). */
static bool parse_datetime(const char *s, double *days, bool *is_date)
{
    long d;
    s += skip_ws(s, 0);
    if (!parse_ymd(s, &d)) return false;
    double secs = 0;
    bool has_tz = false;
    long tz = 0;
    *is_date = s[skip_ws(s, 10)] == '\0';
    if (!*is_date) {
        if (s[10] != 'T' && s[10] != ' ') return false;
        if (!parse_time(s + 11, &secs, &has_tz, &tz)) return false;
    }
    double utc = d * 86400.0 + secs;
    if (!has_tz) tz = local_offset((time_t)utc);   /* close enough across a DST change */
    *days = (utc - tz) / 86400.0;
    return true;
}

/* The local calendar day of UTC days t. */
static long local_day(double t)
{
    double secs = floor(t * 86400.0);
    return (long)floor((secs + local_offset((time_t)secs)) / 86400.0);
}

/* ---- conversions --------------------------------------------------- */

/* XPath number(string): optional whitespace, "-"? Number, whitespace; no
 * exponent (number('1.1e6') is NaN in XPath and javarosa). */
static double str_to_num(const char *s)
{
    size_t i = skip_ws(s, 0), neg = s[i] == '-', n = number_len(s + i + neg);
    for (size_t k = 0; k < n; k++)
        if (s[i + neg + k] == 'e' || s[i + neg + k] == 'E') return NAN;
    if (n == 0 || s[skip_ws(s, i + neg + n)] != '\0') return NAN;
    double d = strtod(s + i + neg, NULL);
    return neg ? -d : d;
}

static double to_num(val_t v)
{
    switch (v.kind) {
    case V_NUM: case V_DATE: case V_DATETIME: return v.num;
    case V_BOOL: return v.b ? 1 : 0;
    default: return str_to_num(v.str);
    }
}

static bool to_bool(val_t v)
{
    if (v.set) return v.set->n > 0;   /* XPath: a node-set is true when not empty */
    switch (v.kind) {
    case V_NUM: return v.num != 0 && !isnan(v.num);
    case V_BOOL: return v.b;
    case V_DATE: case V_DATETIME: return true;
    default: return v.str[0] != '\0';
    }
}

/* XPath string(number): no exponent, integers without a decimal point,
 * the shortest digits that read back as the same double. */
static const char *num_str(ev_t *x, double d)
{
    if (isnan(d)) return "NaN";
    if (isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
    if (d == 0) return "0";   /* also -0 */
    char tmp[40];
    int prec;
    for (prec = 1; prec < 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
        if (strtod(tmp, NULL) == d) break;
    }
    snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
    char dig[24];
    size_t nd = 0;
    const char *t = tmp + (tmp[0] == '-');
    for (; *t && *t != 'e'; t++)
        if (*t != '.') dig[nd++] = *t;
    while (nd > 1 && dig[nd - 1] == '0') nd--;
    int ex = atoi(t + 1);
    buf_t b;
    buf_init(&b);
    if (d < 0) buf_putc(&b, '-');
    if (ex >= 0) {
        for (int i = 0; i <= ex || (size_t)i < nd; i++) {
            if (i == ex + 1) buf_putc(&b, '.');
            buf_putc(&b, (size_t)i < nd ? dig[i] : '0');
        }
    } else {
        buf_puts(&b, "0.");
        for (int i = -1; i > ex; i--) buf_putc(&b, '0');
        buf_append(&b, dig, nd);
    }
    return keep(x, buf_steal(&b));
}

static const char *date_str(ev_t *x, long days)
{
    long y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%04ld-%02u-%02u", y, m, d);
    return keep(x, xstrdup(tmp));
}

/* ISO 8601 in local time with its offset, milliseconds included, as ODK writes now(). */
static const char *datetime_str(ev_t *x, double t)
{
    double ms = floor(t * 86400000.0 + 0.5);
    time_t secs = (time_t)floor(ms / 1000);
    long off = local_offset(secs);
    long lday = (long)floor((double)(secs + off) / 86400.0);
    long sod = (long)(secs + off - (time_t)lday * 86400);
    long y;
    unsigned m, d;
    civil_from_days(lday, &y, &m, &d);
    char tmp[64];
    long aoff = off < 0 ? -off : off;
    snprintf(tmp, sizeof tmp, "%04ld-%02u-%02uT%02ld:%02ld:%02ld.%03ld%c%02ld:%02ld", y, m, d, sod / 3600,
             sod / 60 % 60, sod % 60, (long)(ms - (double)secs * 1000), off < 0 ? '-' : '+', aoff / 3600,
             aoff / 60 % 60);
    return keep(x, xstrdup(tmp));
}

static const char *to_str(ev_t *x, val_t v)
{
    switch (v.kind) {
    case V_STR: return v.str;
    case V_BOOL: return v.b ? "true" : "false";
    case V_DATE: return date_str(x, (long)v.num);
    case V_DATETIME: return datetime_str(x, v.num);
    default: return num_str(x, v.num);
    }
}

static val_t from_api(expr_val_t v)
{
    if (v.kind == EXPR_NUM) return (val_t){ .kind = V_NUM, .num = v.num, .nodes = 1 };
    return (val_t){ .kind = V_STR, .str = v.str ? v.str : "", .nodes = 1 };
}

/* ${name}, a path's question or a choice column. Unknown (or no callback):
 * the empty string, as one empty node for ${name} and a bare column, as an
 * empty node-set for a path. */
static val_t from_env(int (*get)(void *, const char *, expr_val_t *), void *ctx, const char *name, int unknown)
{
    expr_val_t out = { EXPR_STR, "", 0 };
    if (!get || !*name || get(ctx, name, &out) != 0) {
        val_t v = vstr("");
        v.nodes = unknown;
        return v;
    }
    return from_api(out);
}

/* A string that reads as a date when compared with a date. */
static val_t as_date_if(val_t v)
{
    double days;
    bool is_date;
    if (v.kind == V_STR && parse_datetime(v.str, &days, &is_date)) {
        if (is_date) return (val_t){ .kind = V_DATE, .num = (double)local_day(days), .nodes = -1 };
        return (val_t){ .kind = V_DATETIME, .num = days, .nodes = -1 };
    }
    return v;
}

/* Numeric equality with javarosa's tolerance, so that 6.1 - 7.8 = -1.7
 * as a form author expects. NaN is unequal to everything. */
static bool num_eq(double a, double b)
{
    if (a == b) return true;
    if (isnan(a) || isnan(b) || isinf(a) || isinf(b)) return false;
    return fabs(a - b) < 1e-12 * fmax(1, fmax(fabs(a), fabs(b)));
}

static bool compare1(ev_t *x, op_t op, val_t a, val_t b)
{
    if (a.nodes == 0 || b.nodes == 0) {
        /* an empty node-set: XPath compares its (absent) nodes, so only a
         * comparison with a boolean can be true */
        if (a.kind != V_BOOL && b.kind != V_BOOL) return false;
    }
    bool ad = a.kind == V_DATE || a.kind == V_DATETIME, bd = b.kind == V_DATE || b.kind == V_DATETIME;
    if (ad && !bd) b = as_date_if(b);
    if (bd && !ad) a = as_date_if(a);
    if (op == OP_EQ || op == OP_NE) {
        bool eq;
        if (a.kind == V_BOOL || b.kind == V_BOOL)
            eq = (a.nodes == 0 ? false : to_bool(a)) == (b.nodes == 0 ? false : to_bool(b));
        else if (a.kind != V_STR || b.kind != V_STR)
            eq = num_eq(to_num(a), to_num(b));
        else
            eq = strcmp(a.str, b.str) == 0;
        (void)x;
        return op == OP_EQ ? eq : !eq;
    }
    double p = to_num(a), q = to_num(b);   /* any comparison with NaN is false */
    switch (op) {
    case OP_LT: return p < q;
    case OP_LE: return p <= q;
    case OP_GT: return p > q;
    default: return p >= q;
    }
}

/* The string value of node k of a node-set: an item's field, or a whole
 * item's fields one after the other, as XPath's string() of an element. */
static const char *node_str(ev_t *x, const nodeset_t *ns, size_t k)
{
    const expr_list_t *l = ns->list;
    int lang = x->env->lang_plus1 - 1;
    if (ns->field >= 0) return l->cell(l->ctx, ns->idx[k], ns->field, lang);
    buf_t b;
    buf_init(&b);
    for (int f = 0; f < l->nfields; f++) buf_puts(&b, l->cell(l->ctx, ns->idx[k], f, lang));
    return b.data ? keep(x, buf_steal(&b)) : "";
}

/* Node k of a node-set as a value of its own (one string node). */
static val_t node_at(ev_t *x, const nodeset_t *ns, size_t k)
{
    return (val_t){ .kind = V_STR, .str = node_str(x, ns, k), .nodes = 1 };
}

static val_t set_val(ev_t *x, const nodeset_t *ns)
{
    return (val_t){ .kind = V_STR, .str = ns->n ? node_str(x, ns, 0) : "", .nodes = (int)ns->n, .set = ns };
}

/* XPath compares a node-set with a string or a number node by node: true
 * when any node passes (an empty set never does); with a boolean, as a
 * boolean. */
static bool compare(ev_t *x, op_t op, val_t a, val_t b)
{
    if ((!a.set && !b.set) || a.kind == V_BOOL || b.kind == V_BOOL) return compare1(x, op, a, b);
    size_t na = a.set ? a.set->n : 1, nb = b.set ? b.set->n : 1;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            if (compare1(x, op, a.set ? node_at(x, a.set, i) : a, b.set ? node_at(x, b.set, j) : b)) return true;
    return false;
}

static val_t arith(op_t op, val_t a, val_t b)
{
    double p = to_num(a), q = to_num(b);
    switch (op) {
    case OP_ADD: return vnum(p + q);
    case OP_SUB: return vnum(p - q);
    case OP_MUL: return vnum(p * q);
    case OP_DIV: return vnum(p / q);   /* IEEE: x div 0 is ±Infinity or NaN, as XPath says */
    default: return vnum(fmod(p, q));  /* XPath mod truncates, like C's fmod */
    }
}

/* ---- strings by character ------------------------------------------ */

/* Bytes of the character at s (1 for a stray byte), 0 at the end. */
static size_t ch_len(const char *s)
{
    uint32_t cp;
    if (!*s) return 0;
    size_t n = utf8_decode(s, &cp);
    return n ? n : 1;
}

/* Byte offset of character index i of s (strlen when past the end). */
static size_t ch_off(const char *s, long i)
{
    size_t o = 0;
    for (long k = 0; k < i && s[o]; k++) o += ch_len(s + o);
    return o;
}

static const char *sub_dup(ev_t *x, const char *s, size_t from, size_t to)
{
    char *r = xmalloc(to - from + 1);
    memcpy(r, s + from, to - from);
    r[to - from] = '\0';
    return keep(x, r);
}

/* The n-th (0-based) space-separated item of list, or NULL. */
static const char *list_item(ev_t *x, const char *l, long n, long *count)
{
    long k = 0;
    const char *found = NULL;
    for (size_t i = skip_ws(l, 0); l[i] != '\0'; i = skip_ws(l, i)) {
        size_t j = i;
        while (l[j] != '\0' && !is_ws(l[j])) j++;
        if (k == n) found = sub_dup(x, l, i, j);
        k++;
        i = j;
    }
    if (count) *count = k;
    return found;
}

/* True when item (trimmed) is one of the whitespace-separated tokens of
 * list: how select_multiple answers are stored. */
static bool selected(const char *l, const char *it)
{
    size_t start = skip_ws(it, 0), end = strlen(it);
    while (end > start && is_ws(it[end - 1])) end--;
    size_t n = end - start;
    if (n == 0) return false;
    for (size_t i = skip_ws(l, 0); l[i] != '\0'; i = skip_ws(l, i)) {
        size_t j = i;
        while (l[j] != '\0' && !is_ws(l[j])) j++;
        if (j - i == n && memcmp(l + i, it + start, n) == 0) return true;
        i = j;
    }
    return false;
}

/* POSIX extended regular expressions (regcomp), with \d and \D, which
 * form authors copy from JavaScript, rewritten as bracket expressions. */
static bool regex_match(ev_t *x, const char *s, const char *re)
{
    buf_t b;
    buf_init(&b);
    bool in_bracket = false;
    for (size_t i = 0; re[i]; i++) {
        if (re[i] == '\\' && re[i + 1]) {
            if (!in_bracket && (re[i + 1] == 'd' || re[i + 1] == 'D')) buf_puts(&b, re[i + 1] == 'd' ? "[0-9]" : "[^0-9]");
            else if (in_bracket && re[i + 1] == 'd') buf_puts(&b, "0-9");
            else buf_append(&b, re + i, 2);
            i++;
            continue;
        }
        if (re[i] == '[') in_bracket = true;
        else if (re[i] == ']') in_bracket = false;
        buf_putc(&b, re[i]);
    }
    /* A form's pattern is short; huge or nested repetition counts make
     * glibc's matcher build enormous automata, so refuse them. */
    long counts = 0;
    /* Per open group: whether it holds a counted repetition, so that a
     * count applied to it ("(a{0,30}){0,30}") is refused: nested counts
     * multiply. */
    bool counted[33] = { false };
    int depth = 0;
    bool after_counted_group = false;
    for (const char *c = b.data ? b.data : ""; *c; c++) {
        if (*c == '(' && depth < 32) counted[++depth] = false;
        if (*c == ')' && depth > 0) {
            after_counted_group = counted[depth--];
            if (after_counted_group) counted[depth] = true;
            continue;
        }
        if (*c == '{' && after_counted_group) {
            buf_free(&b);
            ev_fail(x, "regex(): a repetition count on a group that holds one, in '%s'", re);
            return false;
        }
        after_counted_group = false;
        if (*c == '\\' && c[1] >= '1' && c[1] <= '9') {
            buf_free(&b);
            ev_fail(x, "regex(): back-references (\\1 to \\9) are not accepted in '%s'", re);
            return false;
        }
        if (*c == '\\' && c[1]) {
            c++;
            continue;
        }
        if (*c != '{') continue;
        /* Every bound of {m,n}, and their sum over the pattern: nested
         * repetitions multiply what the matcher builds. */
        char *end;
        long m = strtol(c + 1, &end, 10), n = *end == ',' ? strtol(end + 1, NULL, 10) : m;
        counts += (m > n ? m : n);
        counted[depth] = true;
        if (m > 255 || n > 255 || counts > 255) {
            buf_free(&b);
            ev_fail(x, "regex(): repetition counts above 255 in all in '%s'", re);
            return false;
        }
    }
    /* glibc's matcher can take time growing with the square of the text
     * (0.75 s for 16,000 bytes): patterns are for short answers (an
     * e-mail, an id), so longer text is an evaluation error. */
    if (strlen(s) > 4096) {
        buf_free(&b);
        ev_fail(x, "regex(): the text is longer than 4,096 bytes");
        return false;
    }
    if (b.len > 1000) {
        buf_free(&b);
        ev_fail(x, "regex(): the pattern is longer than 1000 characters");
        return false;
    }
    regex_t r;
    int rc = regcomp(&r, b.data ? b.data : "", REG_EXTENDED | REG_NOSUB);
    buf_free(&b);
    if (rc != 0) {
        ev_fail(x, "regex(): '%s' is not a valid regular expression", re);
        return false;
    }
    bool m = regexec(&r, s, 0, NULL, 0) == 0;
    regfree(&r);
    return m;
}

static const char *hex_or_b64(ev_t *x, const unsigned char *h, size_t n, const char *enc)
{
    if (!strcasecmp(enc, "hex")) {
        char *out = xmalloc(2 * n + 1);
        sodium_bin2hex(out, 2 * n + 1, h, n);
        return keep(x, out);
    }
    if (strcasecmp(enc, "base64")) {
        ev_fail(x, "digest(): unknown encoding '%s' (hex or base64)", enc);
        return "";
    }
    size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *out = xmalloc(len);
    sodium_bin2base64(out, len, h, n, sodium_base64_VARIANT_ORIGINAL);
    return keep(x, out);
}

static const char *digest(ev_t *x, const char *data, const char *alg, const char *enc)
{
    unsigned char h[crypto_hash_sha512_BYTES];
    if (sodium_init() < 0) {
        ev_fail(x, "digest(): no cryptography library");
        return "";
    }
    if (!strcasecmp(alg, "SHA-256")) {
        crypto_hash_sha256(h, (const unsigned char *)data, strlen(data));
        return hex_or_b64(x, h, crypto_hash_sha256_BYTES, enc);
    }
    if (!strcasecmp(alg, "SHA-512")) {
        crypto_hash_sha512(h, (const unsigned char *)data, strlen(data));
        return hex_or_b64(x, h, crypto_hash_sha512_BYTES, enc);
    }
    /* the older digests, which libsodium leaves out, from nettle (already
     * on every Debian system through GnuTLS) */
    if (!strcasecmp(alg, "MD5")) {
        struct md5_ctx c;
        md5_init(&c);
        md5_update(&c, strlen(data), (const uint8_t *)data);
        md5_digest(&c, MD5_DIGEST_SIZE, h);
        return hex_or_b64(x, h, MD5_DIGEST_SIZE, enc);
    }
    if (!strcasecmp(alg, "SHA-1")) {
        struct sha1_ctx c;
        sha1_init(&c);
        sha1_update(&c, strlen(data), (const uint8_t *)data);
        sha1_digest(&c, SHA1_DIGEST_SIZE, h);
        return hex_or_b64(x, h, SHA1_DIGEST_SIZE, enc);
    }
    if (!strcasecmp(alg, "SHA-384")) {
        struct sha384_ctx c;
        sha384_init(&c);
        sha384_update(&c, strlen(data), (const uint8_t *)data);
        sha384_digest(&c, SHA384_DIGEST_SIZE, h);
        return hex_or_b64(x, h, SHA384_DIGEST_SIZE, enc);
    }
    ev_fail(x, "digest(): unknown algorithm '%s' (MD5, SHA-1, SHA-256, SHA-384 or SHA-512)", alg);
    return "";
}

/* Days of date-like value v, or false: a date, a number of days, a date
 * or date-time string. */
static bool date_arg(val_t v, double *days, bool *is_date)
{
    *is_date = v.kind == V_DATE;
    /* Days from year 0 to 9999 only: beyond, the calendar arithmetic
     * would overflow its integers (a posted 300-digit number). */
    const double span = 3.7e6;
    if (v.kind == V_DATE || v.kind == V_DATETIME || v.kind == V_NUM) {
        *days = v.num;
        return !isnan(v.num) && fabs(v.num) < span;
    }
    if (v.kind != V_STR) return false;
    double d = str_to_num(v.str);
    if (!isnan(d)) {
        *days = d;
        return fabs(d) < span;
    }
    if (!parse_datetime(v.str, days, is_date)) return false;
    if (*is_date) *days = (double)local_day(*days);
    return true;
}

/* ODK's format-date: %Y %y %m %n %b %d %e %a %H %h %M %S %3. */
static const char *format_date(ev_t *x, val_t v, const char *fmt)
{
    static const char *const MON[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    static const char *const DAY[] = { "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed" };
    double t;
    bool is_date;
    if (!date_arg(v, &t, &is_date)) return "";
    long day;
    double sod = 0;
    if (is_date || v.kind == V_NUM || (v.kind == V_STR && !isnan(str_to_num(v.str)))) {
        day = (long)floor(t);
        sod = (t - (double)day) * 86400.0;
    } else {
        double secs = t * 86400.0;
        double loc = secs + (double)local_offset((time_t)floor(secs));
        day = (long)floor(loc / 86400.0);
        sod = loc - (double)day * 86400.0;
    }
    long y;
    unsigned m, d;
    civil_from_days(day, &y, &m, &d);
    long ms = (long)floor(sod * 1000 + 0.5), h = ms / 3600000, mi = ms / 60000 % 60, se = ms / 1000 % 60;
    buf_t b;
    buf_init(&b);
    for (size_t i = 0; fmt[i]; i++) {
        if (fmt[i] != '%' || !fmt[i + 1]) {
            buf_putc(&b, fmt[i]);
            continue;
        }
        switch (fmt[++i]) {
        case 'Y': buf_printf(&b, "%04ld", y); break;
        case 'y': buf_printf(&b, "%02ld", y % 100); break;
        case 'm': buf_printf(&b, "%02u", m); break;
        case 'n': buf_printf(&b, "%u", m); break;
        case 'b': buf_puts(&b, MON[m - 1]); break;
        case 'd': buf_printf(&b, "%02u", d); break;
        case 'e': buf_printf(&b, "%u", d); break;
        case 'a': buf_puts(&b, DAY[((day % 7) + 7) % 7]); break;
        case 'H': buf_printf(&b, "%02ld", h); break;
        case 'h': buf_printf(&b, "%ld", h); break;
        case 'M': buf_printf(&b, "%02ld", mi); break;
        case 'S': buf_printf(&b, "%02ld", se); break;
        case '3': buf_printf(&b, "%03ld", ms % 1000); break;
        default: buf_putc(&b, '%'); buf_putc(&b, fmt[i]); break;
        }
    }
    return b.data ? keep(x, buf_steal(&b)) : "";
}

/* Now, in days since 1970, to the hour: a form's now() (in a calculation
 * stored with the answers, say) must never hold a finer time than buzon
 * keeps of any response (the hour it was sent: the minute would help tell
 * who answered). */
static double now_days(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)(ts.tv_sec - ts.tv_sec % 3600) / 86400.0;
}

static const char *uuid(ev_t *x, const expr_t *e, val_t *a)
{
    unsigned char r[16];
    if (sodium_init() < 0) {
        ev_fail(x, "uuid(): no random source");
        return "";
    }
    if (e->nkids == 1) {
        /* uuid(n): n random letters and digits */
        static const char AL[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        double n = to_num(a[0]);
        if (isnan(n) || n < 0 || n > 1000) {
            ev_fail(x, "uuid(): the length must be between 0 and 1000");
            return "";
        }
        char *out = xmalloc((size_t)n + 1);
        for (size_t i = 0; i < (size_t)n; i++) out[i] = AL[randombytes_uniform(sizeof AL - 1)];
        out[(size_t)n] = '\0';
        return keep(x, out);
    }
    randombytes_buf(r, sizeof r);
    r[6] = (unsigned char)((r[6] & 0x0F) | 0x40);
    r[8] = (unsigned char)((r[8] & 0x3F) | 0x80);
    char out[37];
    snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", r[0], r[1],
             r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
    return keep(x, xstrdup(out));
}

/* ---- geometry ------------------------------------------------------ */

/* The earth's radius ODK's distance() and area() use, so that buzon
 * gives the same metres as Collect and Enketo. */
#define EARTH_RADIUS_M 6378100.0

typedef struct {
    double *lat, *lon;   /* radians */
    size_t n, cap;
    bool bad;
} points_t;

/* Append the points of a geopoint, geotrace or geoshape value
 * ("lat lon [alt acc]" separated by ';'); any malformed point marks bad. */
static void add_points(points_t *p, const char *s)
{
    char *copy = xstrdup(s), *save = NULL;
    bool any = false;
    for (char *tok = strtok_r(copy, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
        char *end;
        double la = strtod(tok, &end), lo;
        if (end == tok) { p->bad = true; break; }
        char *end2;
        lo = strtod(end, &end2);
        if (end2 == end || isnan(la) || isnan(lo) || fabs(la) > 90 || fabs(lo) > 180) { p->bad = true; break; }
        if (p->n == p->cap) {
            p->cap = p->cap ? 2 * p->cap : 8;
            p->lat = xrealloc(p->lat, p->cap * sizeof *p->lat);
            p->lon = xrealloc(p->lon, p->cap * sizeof *p->lon);
        }
        p->lat[p->n] = la * M_PI / 180;
        p->lon[p->n] = lo * M_PI / 180;
        p->n++;
        any = true;
    }
    if (!any) p->bad = true;
    free(copy);
}

/* Metres along the points (haversine), or the area in square metres of
 * the polygon they close (spherical excess, as ODK computes it). */
static double geo_measure(const points_t *p, bool area)
{
    if (p->bad || p->n == 0) return NAN;
    double sum = 0;
    if (area) {
        for (size_t i = 0; i < p->n; i++) {
            size_t j = (i + 1) % p->n;
            sum += (p->lon[j] - p->lon[i]) * (2 + sin(p->lat[i]) + sin(p->lat[j]));
        }
        return fabs(sum * EARTH_RADIUS_M * EARTH_RADIUS_M / 2);
    }
    for (size_t i = 1; i < p->n; i++) {
        double dla = p->lat[i] - p->lat[i - 1], dlo = p->lon[i] - p->lon[i - 1];
        double h = sin(dla / 2) * sin(dla / 2) + cos(p->lat[i - 1]) * cos(p->lat[i]) * sin(dlo / 2) * sin(dlo / 2);
        sum += 2 * EARTH_RADIUS_M * asin(sqrt(fmin(1, h)));
    }
    return sum;
}

/* ---- evaluation ---------------------------------------------------- */

static val_t ev(ev_t *x, const expr_t *e);
static bool budget(ev_t *x, size_t bytes);

/* A function whose arguments are node-sets (count, sum...): a ${name} or a
 * path; anything else is an error, as in XPath. */
static bool need_nodes(ev_t *x, const expr_t *e, val_t v)
{
    if (v.nodes >= 0) return true;
    ev_fail(x, "%s() needs a question (${name} or a path), not a value", e->fn->name);
    return false;
}

static double round_half_up(double d)
{
    return floor(d + 0.5);
}

static val_t call(ev_t *x, const expr_t *e)
{
    const expr_env_t *env = x->env;
    size_t n = e->nkids;
    fn_id_t id = e->fn->id;

    /* the lazy ones first */
    if (id == F_IF) return to_bool(ev(x, e->kids[0])) ? ev(x, e->kids[1]) : ev(x, e->kids[2]);

    val_t a[8];
    val_t *args = n <= 8 ? a : xcalloc(n, sizeof *args);
    if (n > 8) keep(x, (char *)args);
    for (size_t i = 0; i < n; i++) args[i] = ev(x, e->kids[i]);
#define S(i) to_str(x, args[i])
#define N(i) to_num(args[i])
    switch (id) {
    case F_NOT: return vbool(!to_bool(args[0]));
    case F_TRUE: return vbool(true);
    case F_FALSE: return vbool(false);
    case F_BOOLEAN: return vbool(args[0].nodes == 0 ? false : to_bool(args[0]));
    case F_BOOLEAN_FROM_STRING: {
        const char *s = S(0);
        return vbool(!strcmp(s, "true") || !strcmp(s, "1"));
    }
    case F_SELECTED: return vbool(selected(S(0), S(1)));
    case F_CONCAT: {
        buf_t b;
        buf_init(&b);
        for (size_t i = 0; i < n; i++) buf_puts(&b, S(i));
        return vstr(b.data ? keep(x, buf_steal(&b)) : "");
    }
    case F_JOIN: {
        buf_t b;
        buf_init(&b);
        const char *sep = S(0);
        for (size_t i = 1; i < n; i++) {
            if (args[i].nodes == 0) continue;
            for (size_t k = 0; k < (args[i].set ? args[i].set->n : 1); k++) {
                if (b.len) buf_puts(&b, sep);
                buf_puts(&b, args[i].set ? node_str(x, args[i].set, k) : S(i));
            }
        }
        return vstr(b.data ? keep(x, buf_steal(&b)) : "");
    }
    case F_COALESCE: return *S(0) ? args[0] : args[1];
    case F_COUNT_SELECTED: {
        long c;
        list_item(x, S(0), -1, &c);
        return vnum((double)c);
    }
    case F_SELECTED_AT: {
        double k = N(1);
        const char *it = isnan(k) || k < 0 || k > 1e9 ? NULL : list_item(x, S(0), (long)k, NULL);
        return vstr(it ? it : "");
    }
    case F_CHOICE_NAME: {
        /* the question is named by a string: '${q}', '/data/q' or 'q' */
        const char *q = S(1), *slash = strrchr(q, '/');
        if (slash) q = slash + 1;
        size_t ql = strlen(q);
        if (q[0] == '$' && q[1] == '{' && ql > 3 && q[ql - 1] == '}') q = sub_dup(x, q, 2, ql - 1);
        const char *label = env->choice_label ? env->choice_label(env->ctx, q, S(0)) : NULL;
        return vstr(label ? label : "");
    }
    case F_STRING_LENGTH: return vnum((double)utf8_len(S(0)));
    case F_SUBSTR: {
        /* javarosa's substr: 0-based [start, end), negatives count from the end */
        const char *s = S(0);
        double len = (double)utf8_len(s), st = N(1), en = n > 2 ? N(2) : len;
        if (isnan(st) || isnan(en)) return vstr("");
        if (st < 0) st = fmax(0, len + st);
        if (en < 0) en = fmax(0, len + en);
        st = fmin(st, len);
        en = fmin(en, len);
        if (en <= st) return vstr("");
        return vstr(sub_dup(x, s, ch_off(s, (long)st), ch_off(s, (long)en)));
    }
    case F_SUBSTRING: {
        /* XPath: characters at 1-based positions p with round(start) <= p < round(start) + round(len) */
        const char *s = S(0);
        double st = round_half_up(N(1)), en = n > 2 ? st + round_half_up(N(2)) : INFINITY;
        buf_t b;
        buf_init(&b);
        size_t o = 0, k;
        for (double p = 1; (k = ch_len(s + o)) != 0; p++, o += k)
            if (p >= st && p < en) buf_append(&b, s + o, k);
        return vstr(b.data ? keep(x, buf_steal(&b)) : "");
    }
    case F_SUBSTRING_BEFORE: case F_SUBSTRING_AFTER: {
        const char *s = S(0), *t = S(1), *f = strstr(s, t);
        if (!f) return vstr("");
        if (id == F_SUBSTRING_BEFORE) return vstr(sub_dup(x, s, 0, (size_t)(f - s)));
        return vstr(f + strlen(t));
    }
    case F_CONTAINS: return vbool(strstr(S(0), S(1)) != NULL);
    case F_STARTS_WITH: {
        const char *t = S(1);
        return vbool(strncmp(S(0), t, strlen(t)) == 0);
    }
    case F_ENDS_WITH: {
        const char *s = S(0), *t = S(1);
        size_t ls = strlen(s), lt = strlen(t);
        return vbool(lt <= ls && memcmp(s + ls - lt, t, lt) == 0);
    }
    case F_TRANSLATE: {
        const char *s = S(0), *from = S(1), *to = S(2);
        buf_t b;
        buf_init(&b);
        size_t k;
        for (size_t o = 0; (k = ch_len(s + o)) != 0; o += k) {
            long idx = 0;
            size_t f = 0, fk;
            for (; (fk = ch_len(from + f)) != 0; f += fk, idx++)
                if (fk == k && !memcmp(from + f, s + o, k)) break;
            if (!from[f]) {
                buf_append(&b, s + o, k);
                continue;
            }
            size_t to_off = ch_off(to, idx);
            if (to[to_off]) buf_append(&b, to + to_off, ch_len(to + to_off));
        }
        return vstr(b.data ? keep(x, buf_steal(&b)) : "");
    }
    case F_NORMALIZE_SPACE: {
        const char *s = S(0);
        buf_t b;
        buf_init(&b);
        for (size_t i = skip_ws(s, 0); s[i]; i = skip_ws(s, i)) {
            if (b.len) buf_putc(&b, ' ');
            size_t j = i;
            while (s[j] && !is_ws(s[j])) j++;
            buf_append(&b, s + i, j - i);
            i = j;
        }
        return vstr(b.data ? keep(x, buf_steal(&b)) : "");
    }
    case F_REGEX: return vbool(regex_match(x, S(0), S(1)));
    case F_STRING: return vstr(n ? S(0) : to_str(x, from_api(env->self)));
    case F_NUMBER: return vnum(N(0));
    case F_INT: return vnum(trunc(N(0)));
    case F_ROUND: {
        double d = N(0);
        if (n == 1) return vnum(round_half_up(d));
        double digs = N(1);
        if (isnan(digs)) return vnum(NAN);
        double m = pow(10, trunc(digs));
        /* half toward +Infinity, as XPath's round() and javarosa */
        return vnum(round_half_up(d * m) / m);
    }
    case F_FLOOR: return vnum(floor(N(0)));
    case F_CEILING: return vnum(ceil(N(0)));
    case F_ABS: return vnum(fabs(N(0)));
    case F_POW: return vnum(pow(N(0), N(1)));
    case F_LOG: return vnum(log(N(0)));
    case F_LOG10: return vnum(log10(N(0)));
    case F_EXP: return vnum(exp(N(0)));
    case F_EXP10: return vnum(pow(10, N(0)));
    case F_SQRT: return vnum(sqrt(N(0)));
    case F_SIN: return vnum(sin(N(0)));
    case F_COS: return vnum(cos(N(0)));
    case F_TAN: return vnum(tan(N(0)));
    case F_ASIN: return vnum(asin(N(0)));
    case F_ACOS: return vnum(acos(N(0)));
    case F_ATAN: return vnum(atan(N(0)));
    case F_ATAN2: return vnum(atan2(N(0), N(1)));
    case F_PI: return vnum(M_PI);
    case F_MIN: case F_MAX: {
        double r = NAN;
        bool any = false;
        for (size_t i = 0; i < n; i++) {
            if (args[i].nodes == 0) continue;
            for (size_t k = 0; k < (args[i].set ? args[i].set->n : 1); k++) {
                double d = args[i].set ? str_to_num(node_str(x, args[i].set, k)) : N(i);
                if (isnan(d)) return vnum(NAN);
                if (!any || (id == F_MIN ? d < r : d > r)) r = d;
                any = true;
            }
        }
        return vnum(r);
    }
    case F_SUM:
        if (!need_nodes(x, e, args[0])) return vnum(NAN);
        if (args[0].set) {
            double sum = 0;
            for (size_t k = 0; k < args[0].set->n; k++) sum += str_to_num(node_str(x, args[0].set, k));
            return vnum(sum);
        }
        return vnum(args[0].nodes ? N(0) : 0);
    case F_COUNT:
        if (!need_nodes(x, e, args[0])) return vnum(NAN);
        return vnum(args[0].nodes);
    case F_COUNT_NON_EMPTY:
        if (!need_nodes(x, e, args[0])) return vnum(NAN);
        if (args[0].set) {
            size_t c = 0;
            for (size_t k = 0; k < args[0].set->n; k++) c += *node_str(x, args[0].set, k) != '\0';
            return vnum((double)c);
        }
        return vnum(args[0].nodes && *S(0) ? 1 : 0);
    case F_POSITION:
        /* position(..) of a repeat's instance is a number once the form is
         * expanded (expr_copy_map); unexpanded, the first instance */
        if (n == 1 && !need_nodes(x, e, args[0])) return vnum(NAN);   /* position(1): an error, as in Enketo */
        return vnum(x->cur_list && n == 0 ? (double)x->cur_pos : 1);
    case F_INDEXED_REPEAT: {
        /* indexed-repeat(${q}, ${repeat}, i): node i of ${q}'s instances
         * (a node-set once expanded); one level of repeats only */
        if (n > 3) {
            ev_fail(x, "indexed-repeat() over more than one level of repeats is not supported");
            return vstr("");
        }
        double i = N(2);
        if (!args[0].set) return i == 1 ? args[0] : vstr("");
        if (!(i >= 1 && i <= (double)args[0].set->n)) return vstr("");
        return node_at(x, args[0].set, (size_t)i - 1);
    }
    case F_TODAY: return (val_t){ .kind = V_DATE, .num = (double)local_day(now_days()), .nodes = -1 };
    case F_NOW: return (val_t){ .kind = V_DATETIME, .num = now_days(), .nodes = -1 };
    case F_DATE: case F_DATE_TIME: {
        val_t v = args[0];
        double t;
        bool is_date;
        if (v.kind == V_STR && !*v.str) return vstr("");
        if (v.kind == V_BOOL || !date_arg(v, &t, &is_date)) {
            ev_fail(x, "%s(): '%s' is not a date", e->fn->name, S(0));
            return vstr("");
        }
        if (id == F_DATE) {
            /* the date of a date-time string is the one written in it, whatever its zone */
            long day = v.kind == V_DATETIME ? local_day(t) : (long)floor(t);
            if (v.kind == V_STR && isnan(str_to_num(v.str))) parse_ymd(v.str + skip_ws(v.str, 0), &day);
            return (val_t){ .kind = V_DATE, .num = (double)day, .nodes = -1 };
        }
        return (val_t){ .kind = V_DATETIME, .num = t, .nodes = -1 };
    }
    case F_DECIMAL_DATE_TIME: {
        val_t v = args[0];
        double t;
        bool is_date;
        if (v.kind == V_NUM || v.kind == V_DATE || v.kind == V_DATETIME) return vnum(v.num);
        if (v.kind == V_STR && !*v.str) return vnum(NAN);
        if (v.kind != V_STR || !parse_datetime(v.str, &t, &is_date)) {
            ev_fail(x, "decimal-date-time(): '%s' is not a date", S(0));
            return vnum(NAN);
        }
        return vnum(t);
    }
    case F_DECIMAL_TIME: {
        double secs;
        bool has_tz;
        long tz = 0;
        const char *s = S(0);
        s += skip_ws(s, 0);
        long day;
        if (parse_ymd(s, &day) && (s[10] == 'T' || s[10] == ' ')) s += 11;   /* the time of a date-time */
        if (!parse_time(s, &secs, &has_tz, &tz) || secs >= 86400) return vnum(NAN);
        if (has_tz) {
            secs -= (double)tz;
            secs += (double)local_offset(time(NULL));
        }
        secs = fmod(secs, 86400);
        if (secs < 0) secs += 86400;
        return vnum(secs / 86400.0);
    }
    case F_FORMAT_DATE: case F_FORMAT_DATE_TIME: return vstr(format_date(x, args[0], S(1)));
    case F_ONCE: {
        val_t self = from_api(env->self);
        return *to_str(x, self) ? self : args[0];
    }
    case F_UUID: return vstr(uuid(x, e, args));
    case F_RANDOM: {
        uint64_t r;
        if (sodium_init() < 0) return vnum(NAN);
        randombytes_buf(&r, sizeof r);
        return vnum((double)(r >> 11) / 9007199254740992.0);
    }
    case F_CHECKLIST: case F_WEIGHTED_CHECKLIST: {
        /* checklist(min, max, v...): how many v are true lies in [min, max]
         * (-1: no bound); weighted: pairs v, w and the sum of the w whose v is true */
        double lo = N(0), hi = N(1), sum = 0;
        if (id == F_WEIGHTED_CHECKLIST && (n - 2) % 2 != 0) {
            ev_fail(x, "weighted-checklist() takes pairs of a value and a weight after min and max");
            return vbool(false);
        }
        for (size_t i = 2; i < n; i += id == F_CHECKLIST ? 1 : 2)
            if (args[i].nodes != 0 && to_bool(args[i]))
                sum += id == F_CHECKLIST ? 1 : N(i + 1);
        return vbool((lo < 0 || sum >= lo) && (hi < 0 || sum <= hi));
    }
    case F_DIGEST: return vstr(digest(x, S(0), S(1), n > 2 ? S(2) : "base64"));
    case F_BASE64_DECODE: {
        const char *s = S(0);
        size_t len = strlen(s), got = 0;
        char *out = xmalloc(len + 1);
        if (sodium_init() < 0 ||
            sodium_base642bin((unsigned char *)out, len, s, len, "\n\r ", &got, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
            !utf8_valid(out, got) || memchr(out, '\0', got)) {
            free(out);
            return vstr("");
        }
        out[got] = '\0';
        return vstr(keep(x, out));
    }
    case F_DISTANCE: case F_AREA: {
        points_t pts = { 0 };
        for (size_t i = 0; i < n; i++) add_points(&pts, S(i));
        double d = geo_measure(&pts, id == F_AREA);
        free(pts.lat);
        free(pts.lon);
        return vnum(d);
    }
    case F_IF: break;   /* handled above */
    }
#undef S
#undef N
    return vstr("");
}

/* instance('l')/root/item[p1]...[pk]/field: every item of the bound list,
 * kept by each predicate in turn (a number keeps the item at that
 * position, anything else is read as a boolean), then their field. An
 * unbound list is the empty node-set. */
static val_t ev_instance(ev_t *x, const expr_t *e)
{
    nodeset_t *ns = xcalloc(1, sizeof *ns);
    keep(x, (char *)ns);
    ns->list = e->list;
    ns->field = e->field;
    if (!e->list || e->list->nitems == 0) return set_val(x, ns);
    if (!budget(x, e->list->nitems * sizeof *ns->idx)) return set_val(x, ns);
    ns->idx = xmalloc(e->list->nitems * sizeof *ns->idx);
    keep(x, (char *)ns->idx);
    for (size_t i = 0; i < e->list->nitems; i++) ns->idx[i] = i;
    ns->n = e->list->nitems;
    const expr_list_t *sl = x->cur_list;
    size_t si = x->cur_item, sp = x->cur_pos;
    for (size_t k = 0; k < e->nkids; k++) {
        size_t kept = 0;
        for (size_t j = 0; j < ns->n && !x->failed; j++) {
            x->cur_list = e->list;
            x->cur_item = ns->idx[j];
            x->cur_pos = j + 1;
            val_t v = ev(x, e->kids[k]);
            bool hold = v.kind == V_NUM && v.nodes < 0 ? v.num == (double)(j + 1) : to_bool(v);
            if (hold) ns->idx[kept++] = ns->idx[j];
        }
        ns->n = kept;
    }
    x->cur_list = sl;
    x->cur_item = si;
    x->cur_pos = sp;
    return set_val(x, ns);
}

/* A question of a repeat named from outside it ("persona[*].edad", as
 * expr_copy_map writes it): the node-set of its instances' values, from
 * expr_env_t.nodes (none: the empty node-set). */
static const char *nodes_cell(const void *ctx, size_t i, int f, int lang)
{
    (void)f, (void)lang;
    return ((const char *const *)ctx)[i];
}

static int nodes_field(const void *ctx, const char *name)
{
    (void)ctx, (void)name;
    return 0;
}

static val_t ev_nodes(ev_t *x, const char *name)
{
    nodeset_t *ns = xcalloc(1, sizeof *ns);
    keep(x, (char *)ns);
    expr_list_t *l = xcalloc(1, sizeof *l);
    keep(x, (char *)l);
    const char **vals = NULL;
    size_t n = 0;
    if (x->env->nodes && x->env->nodes(x->env->ctx, name, &vals, &n) != 0) vals = NULL, n = 0;
    if (vals) keep(x, (char *)vals);
    *l = (expr_list_t){ .ctx = vals, .nitems = n, .nfields = 1, .field = nodes_field, .cell = nodes_cell };
    ns->list = l;
    ns->field = 0;
    if (n && budget(x, n * sizeof *ns->idx)) {
        ns->idx = xmalloc(n * sizeof *ns->idx);
        keep(x, (char *)ns->idx);
        for (size_t i = 0; i < n; i++) ns->idx[i] = i;
        ns->n = n;
    }
    return set_val(x, ns);
}

/* Count one step (and bytes more of node-sets); false, with the
 * evaluation failed and the server log told which expression, once over
 * the budget. */
static bool budget(ev_t *x, size_t bytes)
{
    if (x->failed) return false;
    x->steps++;
    x->bytes += bytes;
    if (x->steps <= EXPR_MAX_STEPS && x->bytes <= EXPR_MAX_BYTES) return true;
    ev_fail(x, "over the budget of an evaluation (%d steps, %d MB)", EXPR_MAX_STEPS, EXPR_MAX_BYTES >> 20);
    if (x->env->who)
        fprintf(stderr, "buzon: %s: evaluation stopped, over its budget of %d steps and %d MB: its value is empty\n",
                x->env->who, EXPR_MAX_STEPS, EXPR_MAX_BYTES >> 20);
    return false;
}

static val_t ev(ev_t *x, const expr_t *e)
{
    const expr_env_t *env = x->env;
    if (!budget(x, 0)) return vstr("");   /* failed: the value is thrown away */
    switch (e->kind) {
    case N_OR:
        for (size_t i = 0; i < e->nkids; i++)
            if (to_bool(ev(x, e->kids[i]))) return vbool(true);
        return vbool(false);
    case N_AND:
        for (size_t i = 0; i < e->nkids; i++)
            if (!to_bool(ev(x, e->kids[i]))) return vbool(false);
        return vbool(true);
    case N_BIN: {
        val_t acc = ev(x, e->kids[0]);
        for (size_t i = 1; i < e->nkids; i++) {
            val_t b = ev(x, e->kids[i]);
            acc = e->ops[i] <= OP_GE ? vbool(compare(x, e->ops[i], acc, b)) : arith(e->ops[i], acc, b);
        }
        return acc;
    }
    case N_NEG: return vnum(-to_num(ev(x, e->kids[0])));
    case N_CALL: return call(x, e);
    case N_REF:
        if (strstr(e->text, "[*]")) return ev_nodes(x, e->text);
        return from_env(env->lookup, env->ctx, e->text, 1);
    case N_PATH:
        if (strstr(e->text, "[*]")) return ev_nodes(x, e->text);
        return from_env(env->lookup, env->ctx, e->text, 0);
    case N_COLUMN:
        if (e->in_pred) {
            val_t v = vstr(x->cur_list && e->field >= 0 ? x->cur_list->cell(x->cur_list->ctx, x->cur_item, e->field,
                                                                       env->lang_plus1 - 1) : "");
            v.nodes = 1;
            return v;
        }
        return from_env(env->column, env->ctx, e->text, 1);
    case N_INSTANCE: return ev_instance(x, e);
    case N_SELF: return from_api(env->self);
    case N_STR: return vstr(e->text);
    default: return vnum(e->num);
    }
}

static void ev_done(ev_t *x)
{
    for (size_t i = 0; i < x->nmem; i++) free(x->mem[i]);
    free(x->mem);
}

bool expr_eval_bool(const expr_t *e, const expr_env_t *env)
{
    assert(e != NULL && env != NULL);
    ev_t x = { .env = env };
    val_t v = ev(&x, e);
    bool b = !x.failed && (v.nodes == 0 ? false : to_bool(v));
    ev_done(&x);
    return b;
}

int expr_eval(const expr_t *e, const expr_env_t *env, expr_result_t *out, char *err, size_t errlen)
{
    assert(e != NULL && env != NULL && out != NULL);
    ev_t x = { .env = env };
    val_t v = ev(&x, e);
    memset(out, 0, sizeof *out);
    if (!x.failed) {
        static const expr_type_t T[] = { EXPR_T_STRING, EXPR_T_NUMBER, EXPR_T_BOOLEAN, EXPR_T_DATE, EXPR_T_DATETIME };
        out->type = T[v.kind];
        out->num = to_num(v);
        out->b = v.nodes == 0 ? false : to_bool(v);
        out->str = xstrdup(to_str(&x, v));
    } else if (errlen) {
        snprintf(err, errlen, "%s", x.err);
    }
    ev_done(&x);
    return x.failed ? -1 : 0;
}

void expr_result_free(expr_result_t *r)
{
    if (!r) return;
    free(r->str);
    r->str = NULL;
}

const char *expr_type_name(expr_type_t t)
{
    static const char *const NAMES[] = { "string", "number", "boolean", "date", "dateTime" };
    return NAMES[t];
}

/* ---- inspection ---------------------------------------------------- */

void expr_refs(const expr_t *e, void (*cb)(void *arg, const char *name), void *arg)
{
    assert(e != NULL && cb != NULL);
    if (e->kind == N_REF) cb(arg, e->text);
    for (size_t i = 0; i < e->nkids; i++) expr_refs(e->kids[i], cb, arg);
}

void expr_names(const expr_t *e, void (*cb)(void *arg, const char *name), void *arg)
{
    assert(e != NULL && cb != NULL);
    if (e->kind == N_REF || (e->kind == N_PATH && e->text[0])) cb(arg, e->text);
    for (size_t i = 0; i < e->nkids; i++) expr_names(e->kids[i], cb, arg);
}

void expr_paths(const expr_t *e, void (*cb)(void *arg, const char *name, const char *path), void *arg)
{
    assert(e != NULL && cb != NULL);
    if (e->kind == N_PATH && e->text[0]) cb(arg, e->text, e->spell ? e->spell : e->text);
    for (size_t i = 0; i < e->nkids; i++) expr_paths(e->kids[i], cb, arg);
}

/* Resolve the fields of instance() nodes under e; list is the innermost
 * instance() whose predicate e is in (NULL outside any). */
static int bind(expr_t *e, const expr_list_t *list, const char *lname,
                int (*find)(void *, const char *, expr_list_t *), void *arg, char *err, size_t errlen)
{
    if (e->kind == N_COLUMN && e->in_pred && list) {
        e->field = list->field(list->ctx, e->text);
        if (e->field < 0) {
            snprintf(err, errlen, "choice list '%s' has no column '%s' (in a predicate of instance('%s'))", lname,
                     e->text, lname);
            return -1;
        }
    }
    if (e->kind == N_INSTANCE) {
        expr_list_t l;
        if (find(arg, e->text, &l) != 0) {
            snprintf(err, errlen, "unknown choice list '%s' in instance('%s')", e->text, e->text);
            return -1;
        }
        free(e->list);
        e->list = xmalloc(sizeof *e->list);
        *e->list = l;
        e->field = -1;
        if (e->step && (e->field = l.field(l.ctx, e->step)) < 0) {
            snprintf(err, errlen, "choice list '%s' has no column '%s' (in instance('%s')/root/item/%s)", e->text,
                     e->step, e->text, e->step);
            return -1;
        }
        list = e->list;
        lname = e->text;
    }
    for (size_t i = 0; i < e->nkids; i++)
        if (bind(e->kids[i], list, lname, find, arg, err, errlen) != 0) return -1;
    return 0;
}

int expr_bind_lists(expr_t *e, int (*find)(void *arg, const char *name, expr_list_t *out), void *arg,
                    char *err, size_t errlen)
{
    assert(e != NULL && find != NULL);
    char dummy[1];
    if (!errlen) {
        err = dummy;
        errlen = sizeof dummy;
    }
    return bind(e, NULL, NULL, find, arg, err, errlen);
}

void expr_columns(const expr_t *e, void (*cb)(void *arg, const char *name), void *arg)
{
    assert(e != NULL && cb != NULL);
    /* a bare name in an instance() predicate is a field of the list's items */
    if (e->kind == N_COLUMN && !e->in_pred) cb(arg, e->text);
    for (size_t i = 0; i < e->nkids; i++) expr_columns(e->kids[i], cb, arg);
}

/* ${q} = v, ${q} != v or selected(${q}, v) with v a literal. */
static bool as_simple_test(const expr_t *e, const char **name, const char **op, const char **value_text)
{
    bool cmp = e->kind == N_BIN && e->nkids == 2 && (e->ops[1] == OP_EQ || e->ops[1] == OP_NE);
    bool sel = e->kind == N_CALL && e->fn->id == F_SELECTED;
    if (!cmp && !sel) return false;
    const expr_t *q = e->kids[0], *v = e->kids[1];
    if (q->kind != N_REF || (v->kind != N_STR && v->kind != N_NUM)) return false;
    *name = q->text;
    *op = sel ? "selected" : OP_TEXT[e->ops[1]];
    *value_text = v->text;
    return true;
}

/* Walk the tests of a chain of kind `chain`, descending into
 * parenthesised sub-chains of the same kind. With cb NULL, only checks. */
static bool visit_tests(const expr_t *e, node_kind_t chain, expr_test_cb cb, void *arg, bool *first)
{
    if (e->kind == chain) {
        for (size_t i = 0; i < e->nkids; i++)
            if (!visit_tests(e->kids[i], chain, cb, arg, first)) return false;
        return true;
    }
    const char *name, *op, *value_text;
    if (!as_simple_test(e, &name, &op, &value_text)) return false;
    if (cb) cb(arg, name, op, value_text, *first, chain == N_OR);
    *first = false;
    return true;
}

bool expr_simple_tests(const expr_t *e, expr_test_cb cb, void *arg)
{
    assert(e != NULL && cb != NULL);
    node_kind_t chain = e->kind == N_OR ? N_OR : N_AND;
    bool first = true;
    if (!visit_tests(e, chain, NULL, NULL, &first)) return false;
    first = true;
    visit_tests(e, chain, cb, arg, &first);
    return true;
}

/* ---- copies for repeats (issue 16) ---------------------------------- */

static expr_t *copy_map(const expr_t *e, char *(*map)(void *, const char *, bool), void *arg, long pos, bool all)
{
    if (e->kind == N_CALL && e->fn->id == F_POSITION && e->nkids == 1 && pos > 0) {
        expr_t *c = node_new(N_NUM);
        c->num = (double)pos;
        char num[24];
        snprintf(num, sizeof num, "%ld", pos);
        c->text = xstrdup(num);
        return c;
    }
    expr_t *c = node_new(e->kind);
    c->num = e->num;
    c->fn = e->fn;
    c->field = e->field;
    c->in_pred = e->in_pred;
    char *m = (e->kind == N_REF || (e->kind == N_PATH && e->text[0])) ? map(arg, e->text, all) : NULL;
    c->text = m ? m : e->text ? xstrdup(e->text) : NULL;
    c->spell = e->spell ? xstrdup(e->spell) : NULL;
    c->step = e->step ? xstrdup(e->step) : NULL;
    if (e->list) {
        c->list = xmalloc(sizeof *c->list);
        *c->list = *e->list;
    }
    for (size_t i = 0; i < e->nkids; i++) {
        bool a = all || (e->kind == N_CALL && e->fn->id == F_INDEXED_REPEAT && i == 0);
        add_kid(c, copy_map(e->kids[i], map, arg, pos, a));
    }
    if (e->ops && e->nkids) {
        /* add_kid sized c->ops with its kids (N_BIN) */
        if (!c->ops) c->ops = xmalloc(e->nkids * sizeof *c->ops);
        memcpy(c->ops, e->ops, e->nkids * sizeof *c->ops);
    }
    return c;
}

expr_t *expr_copy_map(const expr_t *e, char *(*map)(void *arg, const char *name, bool all), void *arg, long pos)
{
    return e ? copy_map(e, map, arg, pos, false) : NULL;
}
