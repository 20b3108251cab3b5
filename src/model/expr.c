/*
 * expr.c: the XLSForm expression subset of expr.h. Form authors write
 * these in Excel (relevant, constraint, choice_filter), so the parser is
 * forgiving where Excel gets in the way (curly quotes) and precise where
 * the author made a mistake: every error names what went wrong and the
 * column, counted in characters as the author sees them in the cell.
 *
 * Parsing is a hand-written tokenizer feeding a recursive-descent parser.
 * Recursion only happens through parentheses and function calls, whose
 * nesting is capped at MAX_DEPTH, and "and"/"or" chains are n-ary nodes
 * walked by loops, so no input (however long or hostile) can exhaust the
 * stack while parsing, evaluating or freeing.
 *
 * Evaluation follows XPath 1.0 as JavaRosa implements it, so a form
 * behaves here exactly as it would in ODK Collect or KoboToolbox.
 */
#include "model/expr.h"
#include "base/buf.h"
#include "base/utf8.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Deeper nesting than this is never written by a person; the cap bounds
 * recursion in the parser, the evaluator and expr_free. */
enum { MAX_DEPTH = 64 };

typedef enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE } cmp_op_t;

static const char *const OP_TEXT[] = { "=", "!=", "<", "<=", ">", ">=" };

typedef enum {
    N_OR, N_AND,   /* n-ary over kids */
    N_NOT,         /* kids[0] */
    N_CMP,         /* kids[0] op kids[1] */
    N_SELECTED,    /* selected(kids[0], kids[1]) */
    N_BOOL,        /* true() / false(): bval */
    N_REF,         /* ${text} */
    N_COLUMN,      /* bare name text, a choices.csv column */
    N_SELF,        /* . */
    N_STR,         /* string literal, text without the quotes */
    N_NUM          /* number literal num; text is its source spelling */
} node_kind_t;

struct expr {
    node_kind_t kind;
    cmp_op_t op;
    bool bval;
    double num;
    char *text;
    struct expr **kids;
    size_t nkids, capkids;
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

/* Length of the XPath Number at s ("-"? (Digits ("." Digits?)? | "." Digits)),
 * 0 when none starts there. No exponents, no "inf"/"nan", no hex: what
 * XPath (and so ODK) accepts, which is narrower than strtod. */
static size_t number_len(const char *s)
{
    size_t i = s[0] == '-', digits = 0;
    for (; s[i] >= '0' && s[i] <= '9'; i++) digits++;
    if (s[i] == '.')
        for (i++; s[i] >= '0' && s[i] <= '9'; i++) digits++;
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

static expr_t *node_text(node_kind_t kind, const char *s, size_t n)
{
    expr_t *e = node_new(kind);
    e->text = xmalloc(n + 1);
    memcpy(e->text, s, n);
    e->text[n] = '\0';
    return e;
}

static void add_kid(expr_t *e, expr_t *kid)
{
    if (e->nkids == e->capkids) {
        e->capkids = e->capkids ? 2 * e->capkids : 2;
        e->kids = xrealloc(e->kids, e->capkids * sizeof *e->kids);
    }
    e->kids[e->nkids++] = kid;
}

void expr_free(expr_t *e)
{
    if (!e) return;
    for (size_t i = 0; i < e->nkids; i++) expr_free(e->kids[i]);
    free(e->kids);
    free(e->text);
    free(e);
}

/* ---- tokenizer ----------------------------------------------------- */

typedef enum {
    T_END, T_REF, T_NAME, T_STR, T_NUM, T_CMP, T_LPAREN, T_RPAREN, T_COMMA, T_DOT
} tok_kind_t;

typedef struct {
    tok_kind_t kind;
    size_t pos, len;    /* source bytes of the whole token */
    size_t vpos, vlen;  /* T_REF: the name; T_STR: the text inside the quotes */
    cmp_op_t op;        /* T_CMP */
} tok_t;

typedef struct {
    const char *src;
    tok_t tok;          /* the current token */
    int depth;
    char *err;
    size_t errlen;
} parser_t;

static const struct {
    const char *text;
    tok_kind_t kind;
    cmp_op_t op;
} PUNCT[] = {
    /* two-character operators first, so "<=" is not read as "<" "=" */
    { "!=", T_CMP, OP_NE }, { "<=", T_CMP, OP_LE }, { ">=", T_CMP, OP_GE },
    { "=", T_CMP, OP_EQ }, { "<", T_CMP, OP_LT }, { ">", T_CMP, OP_GT },
    { "(", T_LPAREN, OP_EQ }, { ")", T_RPAREN, OP_EQ }, { ",", T_COMMA, OP_EQ },
    { ".", T_DOT, OP_EQ },
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
    static const char *const words[] = { "and", "or", "not", "selected", "true", "false" };
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

/* Read the token after the current one into p->tok. False (with the
 * message set) when the source there is not a token. */
static bool lex_next(parser_t *p)
{
    const char *s = p->src;
    size_t i = skip_ws(s, p->tok.pos + p->tok.len), n = 0, m = 0;
    char q;
    tok_t t = { .kind = T_END, .pos = i };

    if (s[i] == '\0') {
        /* t is already T_END */
    } else if ((q = quote_at(s + i, &n)) != 0) {
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
    }
    p->tok = t;
    return true;
}

static bool tok_is_word(const parser_t *p, const char *w)
{
    return p->tok.kind == T_NAME && p->tok.len == strlen(w) && memcmp(p->src + p->tok.pos, w, p->tok.len) == 0;
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

static const struct func {
    const char *name;
    node_kind_t kind;
    bool bval;
    size_t arity;
    const char *takes;
} FUNCS[] = {
    { "not", N_NOT, false, 1, "1 argument" },
    { "selected", N_SELECTED, false, 2, "2 arguments" },
    { "true", N_BOOL, true, 0, "no arguments" },
    { "false", N_BOOL, false, 0, "no arguments" },
};

/* name "(" args ")" with the current token on the name. Arguments are
 * full expressions (a superset of the grammar's primaries, as in XPath);
 * the arity is checked once they are read, for a clearer message. */
static expr_t *parse_call(parser_t *p)
{
    const tok_t name = p->tok;
    const char *s = p->src + name.pos;
    const struct func *f = NULL;
    for (size_t i = 0; i < sizeof FUNCS / sizeof FUNCS[0] && !f; i++)
        if (strlen(FUNCS[i].name) == name.len && memcmp(FUNCS[i].name, s, name.len) == 0) f = &FUNCS[i];
    if (!f) {
        fail(p, "unknown function %.*s() at column %zu", (int)name.len, s, col(p, name.pos));
        add_case_hint(p, s, name.len);
        return NULL;
    }
    if (!lex_next(p)) return NULL;   /* onto the "(" */
    size_t open = p->tok.pos;
    if (!enter(p) || !lex_next(p)) return NULL;

    expr_t *e = node_new(f->kind);
    e->bval = f->bval;
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
    if (e->nkids != f->arity) {
        fail(p, "%s() takes %s at column %zu", f->name, f->takes, col(p, name.pos));
        goto fail;
    }
    return e;
fail:
    expr_free(e);
    return NULL;
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
    case T_DOT:
        e = node_new(N_SELF);
        break;
    case T_LPAREN:
        return parse_group(p);
    case T_NAME:
        if (p->src[skip_ws(p->src, t.pos + t.len)] == '(') return parse_call(p);
        if (tok_is_word(p, "and") || tok_is_word(p, "or")) {
            fail_unexpected(p);
            return NULL;
        }
        e = node_text(N_COLUMN, p->src + t.pos, t.len);
        break;
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

static expr_t *parse_cmp(parser_t *p)
{
    expr_t *a = parse_primary(p);
    if (!a || p->tok.kind != T_CMP) return a;
    expr_t *e = node_new(N_CMP);
    e->op = p->tok.op;
    add_kid(e, a);
    expr_t *b = lex_next(p) ? parse_primary(p) : NULL;
    if (!b) {
        expr_free(e);
        return NULL;
    }
    add_kid(e, b);
    return e;
}

/* sub ( word sub )*, as one n-ary node when there is more than one sub. */
static expr_t *parse_chain(parser_t *p, node_kind_t kind, const char *word, expr_t *(*sub)(parser_t *))
{
    expr_t *first = sub(p);
    if (!first || !tok_is_word(p, word)) return first;
    expr_t *e = node_new(kind);
    add_kid(e, first);
    while (tok_is_word(p, word)) {
        expr_t *next = lex_next(p) ? sub(p) : NULL;
        if (!next) {
            expr_free(e);
            return NULL;
        }
        add_kid(e, next);
    }
    return e;
}

static expr_t *parse_and(parser_t *p)
{
    return parse_chain(p, N_AND, "and", parse_cmp);
}

static expr_t *parse_or(parser_t *p)
{
    return parse_chain(p, N_OR, "or", parse_and);
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

/* ---- evaluation ---------------------------------------------------- */

/* XPath's three value types; booleans only arise inside an expression. */
typedef struct {
    enum { V_STR, V_NUM, V_BOOL } kind;
    const char *str;
    double num;
    bool b;
} val_t;

static double str_to_num(const char *s)
{
    size_t i = skip_ws(s, 0), n = number_len(s + i);
    if (n == 0 || s[skip_ws(s, i + n)] != '\0') return NAN;
    return strtod(s + i, NULL);
}

static double to_num(val_t v)
{
    switch (v.kind) {
    case V_NUM: return v.num;
    case V_BOOL: return v.b ? 1 : 0;
    default: return str_to_num(v.str);
    }
}

static bool to_bool(val_t v)
{
    switch (v.kind) {
    case V_NUM: return v.num != 0 && !isnan(v.num);
    case V_BOOL: return v.b;
    default: return v.str[0] != '\0';
    }
}

/* XPath string(): integers without a decimal point, the shortest
 * spelling that reads back as the same double otherwise. buf is only
 * used for numbers; 32 bytes hold any "%.17g". */
static const char *to_str(val_t v, char *buf, size_t n)
{
    if (v.kind == V_STR) return v.str;
    if (v.kind == V_BOOL) return v.b ? "true" : "false";
    if (isnan(v.num)) return "NaN";
    if (isinf(v.num)) return v.num > 0 ? "Infinity" : "-Infinity";
    if (v.num == 0) return "0";   /* also -0 */
    snprintf(buf, n, "%.15g", v.num);
    if (strtod(buf, NULL) != v.num) snprintf(buf, n, "%.17g", v.num);
    return buf;
}

static val_t from_api(expr_val_t v)
{
    if (v.kind == EXPR_NUM) return (val_t){ .kind = V_NUM, .num = v.num };
    return (val_t){ .kind = V_STR, .str = v.str ? v.str : "" };
}

/* ${name} or a choice column; unknown (or no callback) is the empty string. */
static val_t from_env(int (*get)(void *, const char *, expr_val_t *), void *ctx, const char *name)
{
    expr_val_t out = { EXPR_STR, "", 0 };
    if (!get || get(ctx, name, &out) != 0) return from_api((expr_val_t){ EXPR_STR, "", 0 });
    return from_api(out);
}

static bool compare(cmp_op_t op, val_t a, val_t b)
{
    if (op == OP_EQ || op == OP_NE) {
        bool eq;
        if (a.kind == V_BOOL || b.kind == V_BOOL)
            eq = to_bool(a) == to_bool(b);
        else if (a.kind == V_NUM || b.kind == V_NUM)
            eq = to_num(a) == to_num(b);   /* NaN is unequal to everything */
        else
            eq = strcmp(a.str, b.str) == 0;
        return op == OP_EQ ? eq : !eq;
    }
    double x = to_num(a), y = to_num(b);   /* any comparison with NaN is false */
    switch (op) {
    case OP_LT: return x < y;
    case OP_LE: return x <= y;
    case OP_GT: return x > y;
    default: return x >= y;
    }
}

/* True when item (trimmed) is one of the whitespace-separated tokens of
 * list: how select_multiple answers are stored. */
static bool selected(val_t list, val_t item)
{
    char lbuf[32], ibuf[32];
    const char *l = to_str(list, lbuf, sizeof lbuf), *it = to_str(item, ibuf, sizeof ibuf);
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

static bool truth(const expr_t *e, const expr_env_t *env);

static val_t value(const expr_t *e, const expr_env_t *env)
{
    switch (e->kind) {
    case N_REF: return from_env(env->lookup, env->ctx, e->text);
    case N_COLUMN: return from_env(env->column, env->ctx, e->text);
    case N_SELF: return from_api(env->self);
    case N_STR: return (val_t){ .kind = V_STR, .str = e->text };
    case N_NUM: return (val_t){ .kind = V_NUM, .num = e->num };
    default: return (val_t){ .kind = V_BOOL, .b = truth(e, env) };
    }
}

static bool truth(const expr_t *e, const expr_env_t *env)
{
    switch (e->kind) {
    case N_OR:
        for (size_t i = 0; i < e->nkids; i++)
            if (truth(e->kids[i], env)) return true;
        return false;
    case N_AND:
        for (size_t i = 0; i < e->nkids; i++)
            if (!truth(e->kids[i], env)) return false;
        return true;
    case N_NOT: return !truth(e->kids[0], env);
    case N_CMP: return compare(e->op, value(e->kids[0], env), value(e->kids[1], env));
    case N_SELECTED: return selected(value(e->kids[0], env), value(e->kids[1], env));
    case N_BOOL: return e->bval;
    default: return to_bool(value(e, env));
    }
}

bool expr_eval_bool(const expr_t *e, const expr_env_t *env)
{
    assert(e != NULL && env != NULL);
    return truth(e, env);
}

/* ---- inspection ---------------------------------------------------- */

void expr_refs(const expr_t *e, void (*cb)(void *arg, const char *name), void *arg)
{
    assert(e != NULL && cb != NULL);
    if (e->kind == N_REF) cb(arg, e->text);
    for (size_t i = 0; i < e->nkids; i++) expr_refs(e->kids[i], cb, arg);
}

void expr_columns(const expr_t *e, void (*cb)(void *arg, const char *name), void *arg)
{
    assert(e != NULL && cb != NULL);
    if (e->kind == N_COLUMN) cb(arg, e->text);
    for (size_t i = 0; i < e->nkids; i++) expr_columns(e->kids[i], cb, arg);
}

/* ${q} = v, ${q} != v or selected(${q}, v) with v a literal. */
static bool as_simple_test(const expr_t *e, const char **name, const char **op, const char **value_text)
{
    if (e->kind == N_CMP && e->op != OP_EQ && e->op != OP_NE) return false;
    if (e->kind != N_CMP && e->kind != N_SELECTED) return false;
    const expr_t *q = e->kids[0], *v = e->kids[1];
    if (q->kind != N_REF || (v->kind != N_STR && v->kind != N_NUM)) return false;
    *name = q->text;
    *op = e->kind == N_SELECTED ? "selected" : OP_TEXT[e->op];
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
