/*
 * answers.c: checking a submission against its form with ODK's rules:
 * relevance first (a question inside an irrelevant group is irrelevant),
 * irrelevant answers dropped, required only when relevant, type checks,
 * choice membership (and choice_filter), constraints only on non-empty
 * answers. Values are normalised before storage: text trimmed with CRLF
 * folded to LF, decimals with a comma accepted as a point, select_multiple
 * de-duplicated in the order given.
 */
#include "model/answers.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/bizdays.h"
#include "base/buf.h"
#include "base/utf8.h"
#include "model/form_repeat.h"
#include "model/phone.h"

void answers_init(answers_t *a, const form_t *f)
{
    assert(f);
    a->form = f;
    a->val = xcalloc(f->nq, sizeof *a->val);
    a->relevant = xcalloc(f->nq, sizeof *a->relevant);
    a->prefilled = xcalloc(f->nq, sizeof *a->prefilled);
    a->computed = xcalloc(f->nq, sizeof *a->computed);
    a->err = xcalloc(f->nq, sizeof *a->err);
    a->kept = xcalloc(f->nq, sizeof *a->kept);
    a->nerrors = 0;
    a->lang = -1;
    for (size_t i = 0; i < f->nq; i++) a->relevant[i] = true;
}

void answers_set_lang(answers_t *a, const char *code)
{
    a->lang = form_lang(a->form, code);
}

void answers_free(answers_t *a)
{
    if (!a->form) return;
    for (size_t i = 0; i < a->form->nq; i++) free(a->val[i]), free(a->kept[i]);
    free(a->val);
    free(a->kept);
    free(a->relevant);
    free(a->prefilled);
    free(a->computed);
    free(a->err);
    memset(a, 0, sizeof *a);
}

/* The server gives q its value (issue 15): a calculation, a calculate
 * row (its default when it has no calculation), a read-only question. */
static bool server_value(const question_t *q)
{
    return q->calc || q->read_only || q->type == Q_CALCULATE;
}

static void set_val(answers_t *a, size_t i, char *v)
{
    free(a->val[i]);
    a->val[i] = v;
}

static void normalise_posted(answers_t *a, size_t i);

void answers_from_post(answers_t *a, const kvlist_t *post)
{
    const form_t *f = a->form;
    for (size_t i = 0; i < f->nq; i++) {
        const question_t *q = &f->q[i];
        /* A calculated or read-only value is the server's, whatever is
         * posted; but a calculation with once() keeps the value it had on
         * the page (the spec: once() keeps the node's value when it has
         * one), bounded and cast like any calculation's (calc_cast). */
        if (!form_q_answerable(q) || a->prefilled[i] || (server_value(q) && !q->calc_once)) continue;
        buf_t b;
        buf_init(&b);
        bool any = false;
        for (size_t k = 0; k < post->n; k++) {
            if (strcmp(post->items[k].key, q->name)) continue;
            if (q->type == Q_SELECT_MULTIPLE) {
                if (post->items[k].val[0] == '\0') continue;
                if (b.len) buf_putc(&b, ' ');
                buf_puts(&b, post->items[k].val);
                any = true;
            } else {
                buf_puts(&b, post->items[k].val);
                any = true;
                break;
            }
        }
        set_val(a, i, any ? buf_steal(&b) : NULL);
        buf_free(&b);
        normalise_posted(a, i);
    }
}

void answers_prefill_service(answers_t *a, const char *service_id)
{
    if (!service_id) return;
    const form_t *f = a->form;
    for (size_t i = 0; i < f->nq; i++)
        if (f->q[i].type == Q_SELECT_ONE && (f->q[i].appearance & APP_POINT_SERVICE)) {
            set_val(a, i, xstrdup(service_id));
            a->prefilled[i] = true;
        }
}

/* ---- expression environment over the current values ---------------- */

typedef struct env_ctx {
    const answers_t *a;
    bool prefilled_only;     /* static relevance: only server-known values */
    bool unknown_ref;        /* set when a non-prefilled value was needed */
    const choice_t *choice;  /* current choice, for choice_filter columns */
} env_ctx_t;

static int lookup(void *vctx, const char *name, expr_val_t *out)
{
    env_ctx_t *c = vctx;
    const form_t *f = c->a->form;
    for (size_t i = 0; i < f->nq; i++) {
        if (strcmp(f->q[i].name, name) || !form_q_answerable(&f->q[i])) continue;
        if (c->prefilled_only && !c->a->prefilled[i]) {
            c->unknown_ref = true;
            return -1;
        }
        const char *v = c->a->relevant[i] && c->a->val[i] ? c->a->val[i] : "";
        if (f->q[i].type == Q_INTEGER || f->q[i].type == Q_DECIMAL) {
            char *end;
            out->kind = EXPR_NUM;
            out->num = *v ? strtod(v, &end) : NAN;
            if (*v && *end) out->num = NAN;
        } else {
            out->kind = EXPR_STR;
            out->str = v;
        }
        return 0;
    }
    return -1;
}

static int column(void *vctx, const char *name, expr_val_t *out)
{
    env_ctx_t *c = vctx;
    if (!c->choice) return -1;
    out->kind = EXPR_STR;
    if (!strcmp(name, "name")) { out->str = c->choice->name; return 0; }
    for (size_t k = 0; k < c->choice->nextra; k++)
        if (!strcasecmp(c->choice->extra_keys[k], name)) {
            out->str = c->choice->extra_vals[k];
            return 0;
        }
    return -1;
}

/* jr:choice-name(): the label, in the page's language (answers_t.lang,
 * else the form's default), of choice value of question name; NULL when
 * unknown. */
static const char *choice_label(void *vctx, const char *name, const char *value)
{
    const env_ctx_t *c = vctx;
    const form_t *f = c->a->form;
    for (size_t i = 0; i < f->nq; i++) {
        const choice_list_t *l = f->q[i].list;
        if (strcmp(f->q[i].name, name) || !l) continue;
        for (size_t k = 0; k < l->nchoices; k++)
            if (!strcmp(l->choices[k].name, value)) return form_text(f, &l->choices[k].label, c->a->lang);
    }
    return NULL;
}

/* Every instance of a repeat's question (expr_env_t.nodes, issue 16). */
static int nodes(void *vctx, const char *name, const char ***vals, size_t *n)
{
    env_ctx_t *c = vctx;
    if (c->prefilled_only) {
        c->unknown_ref = true;
        return -1;
    }
    return form_repeat_values(c->a->form, name, c->a->val, c->a->relevant, vals, n);
}

static expr_env_t make_env(env_ctx_t *c)
{
    expr_env_t env = { .lookup = lookup, .column = column, .ctx = c, .choice_label = choice_label,
                       .self = { .kind = EXPR_STR, .str = "" }, .lang_plus1 = c->a->lang + 1,
                       .nodes = nodes };
    return env;
}

/* env->who (expr.h), in buf, for the server log when an evaluation goes
 * over its budget: the form, the column and the question. */
static void name_who(expr_env_t *env, char *buf, size_t n, const form_t *f, const char *what, const question_t *q)
{
    snprintf(buf, n, "form %s, %s of \"%s\"", f->id ? f->id : "?", what, q->name);
    env->who = buf;
}

/* Own relevance of question i AND that of its enclosing groups. */
static bool compute_relevant(const answers_t *a, size_t i, env_ctx_t *c)
{
    const form_t *f = a->form;
    expr_env_t env = make_env(c);
    char who[160];
    for (int j = (int)i; j >= 0; j = f->q[j].parent) {
        if (!f->q[j].relevant) continue;
        name_who(&env, who, sizeof who, f, "relevant", &f->q[j]);
        if (!expr_eval_bool(f->q[j].relevant, &env))
            return false;
    }
    return true;
}

int answers_static_relevance(const answers_t *a, size_t i)
{
    env_ctx_t c = { .a = a, .prefilled_only = true };
    bool r = compute_relevant(a, i, &c);
    if (c.unknown_ref) return -1;
    return r ? 1 : 0;
}

/* ---- type checks ------------------------------------------------------ */

static char *trim_text(const char *v)
{
    while (isspace((unsigned char)*v)) v++;
    buf_t b;
    buf_init(&b);
    for (const char *p = v; *p; p++)
        if (*p != '\r') buf_putc(&b, *p);
    while (b.len && isspace((unsigned char)b.data[b.len - 1])) b.data[--b.len] = '\0';
    return buf_steal(&b);
}

static answer_err_t check_integer(const char *v)
{
    const char *p = v + (*v == '-' || *v == '+');
    if (!*p || strlen(p) > 15) return AERR_INTEGER;
    for (; *p; p++)
        if (!isdigit((unsigned char)*p)) return AERR_INTEGER;
    return AERR_NONE;
}

/* Accepts "12", "12.5", "12,5" (decimal comma, as written in the DR). */
static answer_err_t check_decimal(char *v)
{
    for (char *p = v; *p; p++)
        if (*p == ',') *p = '.';
    const char *p = v + (*v == '-' || *v == '+');
    int digits = 0, dots = 0;
    for (; *p; p++) {
        if (isdigit((unsigned char)*p)) digits++;
        else if (*p == '.') dots++;
        else return AERR_DECIMAL;
    }
    return digits && dots <= 1 && digits <= 15 ? AERR_NONE : AERR_DECIMAL;
}

/* A real date (base/bizdays.h's parser) in the years an answer can
 * plausibly mean, 1900-2200. */
static answer_err_t check_date(const char *v)
{
    int32_t day;
    if (!bizdays_parse(v, &day)) return AERR_DATE;
    int y = bizdays_year(day);
    return y < 1900 || y > 2200 ? AERR_DATE : AERR_NONE;
}

static bool choice_allowed(const answers_t *a, const question_t *q, const char *name)
{
    const choice_t *ch = form_choice(q, name);
    if (!ch) return false;
    if (!q->choice_filter) return true;
    env_ctx_t c = { .a = a, .choice = ch };
    expr_env_t env = make_env(&c);
    return expr_eval_bool(q->choice_filter, &env);
}

/* Whether the space-separated list out already holds tok. */
static bool has_token(const buf_t *out, const char *tok)
{
    size_t tl = strlen(tok);
    for (const char *p = out->data; p && (p = strstr(p, tok)); p += tl)
        if ((p == out->data || p[-1] == ' ') && (p[tl] == ' ' || p[tl] == '\0')) return true;
    return false;
}

static answer_err_t check_multiple(const answers_t *a, const question_t *q, char **v)
{
    buf_t out;
    buf_init(&out);
    char *save = NULL, *copy = xstrdup(*v);
    answer_err_t e = AERR_NONE;
    for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        if (!choice_allowed(a, q, tok)) { e = AERR_CHOICE; break; }
        if (has_token(&out, tok)) continue;   /* de-duplicate */
        if (out.len) buf_putc(&out, ' ');
        buf_puts(&out, tok);
    }
    free(copy);
    if (e == AERR_NONE) {
        free(*v);
        *v = out.len ? buf_steal(&out) : NULL;
    }
    buf_free(&out);
    return e;
}

/* A phone number (phone.h) is kept in its one normal form. */
static answer_err_t check_phone(answers_t *a, size_t i)
{
    char e164[PHONE_E164_MAX];
    if (!phone_normalize(a->val[i], e164)) return AERR_PHONE;
    set_val(a, i, xstrdup(e164));
    return AERR_NONE;
}

/* Normalise a->val[i] in place and return its type error, if any. */
static answer_err_t check_value(answers_t *a, size_t i)
{
    const question_t *q = &a->form->q[i];
    char *t = trim_text(a->val[i]);
    set_val(a, i, t);
    if (utf8_len(t) > ANSWER_MAX_TEXT) return AERR_TOO_LONG;   /* characters: "ñ" is one */
    if (!*t) { set_val(a, i, NULL); return AERR_NONE; }
    switch (q->type) {
    case Q_INTEGER:         return check_integer(t);
    case Q_DECIMAL:         return check_decimal(t);
    case Q_DATE:            return check_date(t);
    case Q_SELECT_ONE:      return choice_allowed(a, q, t) ? AERR_NONE : AERR_CHOICE;
    case Q_SELECT_MULTIPLE: return check_multiple(a, q, &a->val[i]);
    case Q_TEXT:            return phone_question(q->name) ? check_phone(a, i) : AERR_NONE;
    default:                return AERR_NONE;
    }
}

/* The value question i will be stored as, in place, without judging it:
 * trimmed (CRLF folded), a decimal comma made a point, a select_multiple
 * without repeats. Calculations, relevance, constraints and piping read
 * a->val, so they must see the value that is stored, not what was typed
 * ("2,5" is 2.5, not NaN). A value that does not pass its type check
 * stays as typed, trimmed, for answers_validate to refuse and the page to
 * show again; blank is none. A phone number keeps the digits as typed
 * until answers_validate: a phone typed into a question that does not
 * apply is shown again exactly as the person wrote it (issue 13). */
static void normalise_posted(answers_t *a, size_t i)
{
    if (!a->val[i]) return;
    const question_t *q = &a->form->q[i];
    char *t = trim_text(a->val[i]);
    set_val(a, i, t);
    if (!*t) { set_val(a, i, NULL); return; }
    if (utf8_len(t) > ANSWER_MAX_TEXT) return;
    if (q->type == Q_DECIMAL) {
        char *d = xstrdup(t);
        if (check_decimal(d) == AERR_NONE) set_val(a, i, d);
        else free(d);
    } else if (q->type == Q_SELECT_MULTIPLE) {
        buf_t out;
        buf_init(&out);
        char *save = NULL, *copy = xstrdup(t);
        for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
            if (has_token(&out, tok)) continue;
            if (out.len) buf_putc(&out, ' ');
            buf_puts(&out, tok);
        }
        free(copy);
        set_val(a, i, out.len ? buf_steal(&out) : NULL);
        buf_free(&out);
    }
}

/* Typed into a text, number or date field (not a choice). */
static bool typed(const question_t *q)
{
    return q->type != Q_SELECT_ONE && q->type != Q_SELECT_MULTIPLE;
}

static char *default_value(const answers_t *a, const question_t *q);

/* The value of question i is the default its fresh page showed (the
 * person did not type it): it goes silently when the question does not
 * apply. */
static bool is_fresh_default(const answers_t *a, size_t i)
{
    const question_t *q = &a->form->q[i];
    if (!q->default_src || (q->default_expr && !q->default_fresh)) return false;
    char *d = default_value(a, q);
    bool same = d && !strcmp(d, a->val[i]);
    free(d);
    return same;
}

/* Question i does not apply: a choice is dropped (kept aside to be shown
 * again), text typed into a question shown on the page is an error. A
 * question the page leaves out (the server knows it does not apply) was
 * not typed by a person there: dropped. */
static void not_applicable(answers_t *a, size_t i)
{
    const question_t *q = &a->form->q[i];
    free(a->kept[i]);
    a->kept[i] = NULL;
    if (!a->val[i]) return;
    if (typed(q) && !a->prefilled[i] && !is_fresh_default(a, i) && answers_static_relevance(a, i) != 0) {
        char *t = trim_text(a->val[i]);
        bool blank = !*t;
        free(t);
        if (!blank) { a->err[i] = AERR_NOT_APPLICABLE; return; }
    }
    if (!typed(q)) a->kept[i] = a->val[i], a->val[i] = NULL;
    else set_val(a, i, NULL);
}

/* A response with nothing the person gave (every value absent or filled
 * in by the server, like the poster's service) is not a response: the
 * first question that applies and the person can answer gets AERR_EMPTY.
 * A form with no such question is left alone. */
static void refuse_empty(answers_t *a)
{
    const form_t *f = a->form;
    size_t first = f->nq;
    for (size_t i = 0; i < f->nq; i++) {
        if (!form_q_answerable(&f->q[i]) || !a->relevant[i] || a->prefilled[i] || a->computed[i]) continue;
        if (a->val[i]) return;
        if (first == f->nq) first = i;
    }
    if (first == f->nq) return;
    a->err[first] = AERR_EMPTY;
    a->nerrors++;
}

/* ---- calculations and defaults (issue 15) ----------------------------- */

/* The value of e with the current answers, malloc'd, or NULL when it is
 * empty or fails (an evaluation error stores nothing rather than a
 * message). A number that is NaN (a sum of empty answers) is no value. */
static char *eval_value(const answers_t *a, const expr_t *e, const question_t *q, const char *what)
{
    env_ctx_t c = { .a = a };
    expr_env_t env = make_env(&c);
    char who[160];
    name_who(&env, who, sizeof who, a->form, what, q);
    /* what once() keeps: the question's value so far (posted from the page) */
    const char *self = a->val[q - a->form->q];
    if (q->calc_once && self) env.self = (expr_val_t){ .kind = EXPR_STR, .str = self };
    expr_result_t r;
    char err[128];
    if (expr_eval(e, &env, &r, err, sizeof err) != 0) return NULL;
    char *v = NULL;
    if (!(r.type == EXPR_T_NUMBER && isnan(r.num)) && r.str && *r.str) v = xstrdup(r.str);
    expr_result_free(&r);
    return v;
}

char *answers_eval(const answers_t *a, const expr_t *e, const question_t *q, const char *what)
{
    return eval_value(a, e, q, what);
}

/* A number written for storage as a decimal answer: rounded to 15
 * digits in all, no exponent, no trailing zeros; NULL when its integer
 * part alone has more digits than a decimal answer may (check_decimal).
 * Caller frees. */
static char *decimal_text(double d)
{
    char tmp[64];
    int whole = snprintf(tmp, sizeof tmp, "%.0f", fabs(d));
    snprintf(tmp, sizeof tmp, "%.*f", whole < 15 ? 15 - whole : 0, d);
    char *dot = strchr(tmp, '.');
    if (dot) {
        char *e = tmp + strlen(tmp);
        while (e > dot + 1 && e[-1] == '0') *--e = '\0';
        if (e == dot + 1) *dot = '\0';
    }
    if (!strcmp(tmp, "-0")) strcpy(tmp, "0");
    return check_decimal(tmp) == AERR_NONE ? xstrdup(tmp) : NULL;
}

/* The value the server computed for question i (v, owned, may be NULL)
 * as it is stored, or NULL when
 * it cannot be (*whyp then says why, for answers_calculate to log once
 * the values settle). A person cannot fix a calculation, so it is never their
 * error; the value is cast to the question's type as ODK does:
 *  - longer than a typed text answer may be (ANSWER_MAX_TEXT): nothing;
 *  - integer: a number is cut to its integer part (JavaRosa's (int) cast,
 *    which ODK Collect stores; Enketo rounds instead), so 2.5 is 2;
 *  - decimal: the number, written as a decimal answer is;
 *  - date: a date, the date part of a date-time, or a number as days since
 *    1970-01-01 (what date arithmetic such as today() + 1 gives; Enketo's
 *    cast), in the years a date answer allows;
 *  - select_one/select_multiple: a choice name of its list (each of them,
 *    without repeats), as javarosa keeps a selection;
 * and anything else of those types ("abc" for an integer, NaN, Infinity,
 * a name that is not a choice) is nothing, as Enketo's casts give "", where
 * JavaRosa would store a value its own type check then refuses. */
static char *calc_cast(const answers_t *a, size_t i, char *v, const char **whyp)
{
    const question_t *q = &a->form->q[i];
    if (!v) return NULL;
    const char *why = NULL;
    char *out = NULL;
    char *end;
    double d = strtod(v, &end);
    bool number = end != v && !*end && isfinite(d) && !isspace((unsigned char)*v) && !strpbrk(v, "xX");
    if (utf8_len(v) > ANSWER_MAX_TEXT) {
        why = "is longer than an answer may be";
    } else {
        switch (q->type) {
        case Q_INTEGER:
            if (number && fabs(d) < 1e15) {
                char tmp[32];
                snprintf(tmp, sizeof tmp, "%.0f", trunc(d) == 0 ? 0.0 : trunc(d));
                out = xstrdup(tmp);
            } else why = "is not an integer";
            break;
        case Q_DECIMAL:
            if (!number) {
                why = "is not a number";
            } else {
                out = xstrdup(v);   /* as the expression wrote it, when it is a decimal answer */
                if (check_decimal(out) != AERR_NONE) {
                    free(out);
                    if (!(out = decimal_text(d))) why = "has more digits than a decimal answer";
                }
            }
            break;
        case Q_DATE: {
            int32_t day;
            char tmp[11];
            if (strlen(v) > 10 && v[10] == 'T') {
                memcpy(tmp, v, 10);
                tmp[10] = '\0';
            } else if (number && fabs(d) < 1e7) {
                bizdays_format(bizdays_from_civil(1970, 1, 1) + (int32_t)floor(d), tmp);
            } else snprintf(tmp, sizeof tmp, "%s", strlen(v) == 10 ? v : "");
            if (bizdays_parse(tmp, &day) && check_date(tmp) == AERR_NONE) out = xstrdup(tmp);
            else why = "is not a date";
            break;
        }
        case Q_SELECT_ONE:
            if (form_choice(q, v)) out = xstrdup(v);
            else why = "is not a choice of its list";
            break;
        case Q_SELECT_MULTIPLE: {
            buf_t b;
            buf_init(&b);
            char *save = NULL, *copy = xstrdup(v);
            for (char *tok = strtok_r(copy, " ", &save); tok && !why; tok = strtok_r(NULL, " ", &save)) {
                if (!form_choice(q, tok)) why = "is not a choice of its list";
                else if (!has_token(&b, tok)) {
                    if (b.len) buf_putc(&b, ' ');
                    buf_puts(&b, tok);
                }
            }
            free(copy);
            if (!why && b.len) out = buf_steal(&b);
            buf_free(&b);
            break;
        }
        default:
            out = v, v = NULL;
            break;
        }
    }
    free(v);
    if (why && whyp) *whyp = why;
    return out;
}

/* A default's value: the dynamic one evaluated, else the static text. */
static char *default_value(const answers_t *a, const question_t *q)
{
    if (q->default_expr) return eval_value(a, q->default_expr, q, "default");
    return q->default_src ? xstrdup(q->default_src) : NULL;
}

void answers_prefill_defaults(answers_t *a)
{
    const form_t *f = a->form;
    for (size_t i = 0; i < f->nq; i++) {
        const question_t *q = &f->q[i];
        if (!form_q_answerable(q) || a->prefilled[i] || q->calc || !q->default_src) continue;
        if (q->default_expr && !q->default_fresh) continue;
        set_val(a, i, default_value(a, q));
    }
}

/* Set a->val[i] to v (owned), saying whether it changed. */
static bool set_changed(answers_t *a, size_t i, char *v)
{
    bool same = (!v && !a->val[i]) || (v && a->val[i] && !strcmp(v, a->val[i]));
    if (same) { free(v); return false; }
    set_val(a, i, v);
    return true;
}

/* The value the server computes for question i, given its relevance and
 * the values before it in form_t.eval_order: a calculation's, or a
 * server value's (a default). why[i] is set when the value could not be
 * stored (calc_cast) and cleared when it could. Whether it changed. */
static bool server_value_of(answers_t *a, size_t i, const char **why)
{
    const question_t *q = &a->form->q[i];
    if (q->calc) {
        why[i] = NULL;
        a->computed[i] = true;
        return set_changed(a, i, a->relevant[i] ? calc_cast(a, i, eval_value(a, q->calc, q, "calculation"), &why[i]) : NULL);
    }
    if (!form_q_answerable(q) || a->prefilled[i]) return false;
    if (!a->relevant[i]) {
        why[i] = NULL;
        /* What the server put there goes when the question stops applying. */
        return a->computed[i] ? set_changed(a, i, NULL) : false;
    }
    if (server_value(q)) {
        why[i] = NULL;
        a->computed[i] = true;
        return set_changed(a, i, calc_cast(a, i, default_value(a, q), &why[i]));
    }
    if (q->default_expr && !q->default_fresh && (!a->val[i] || a->computed[i])) {
        /* Empty at submit: the default that needed answers applies
         * (and follows them while it is the server's value). */
        a->computed[i] = true;
        return set_changed(a, i, default_value(a, q));
    }
    return false;
}

void answers_calculate(answers_t *a)
{
    const form_t *f = a->form;
    env_ctx_t c = { .a = a };
    const char **why = xcalloc(f->nq ? f->nq : 1, sizeof *why);
    bool *once = xcalloc(f->nq ? f->nq : 1, sizeof *once);   /* volatile calculation done */

    /* Relevance and values in form_t.eval_order, dependencies first: a
     * form loaded without a cycle through a calculation settles in the
     * first round and the second finds nothing changed. Rounds beyond
     * that are for cycles of relevances alone (and forms not from
     * form_load); they are capped, so a form whose values never settle
     * costs ANSWERS_MAX_ROUNDS passes per post, not one per question. A
     * volatile calculation (uuid(), random()...) is evaluated once while
     * it applies: it would change every round. */
    size_t round = 0;
    bool changed = true;
    for (; round < ANSWERS_MAX_ROUNDS && changed; round++) {
        changed = false;
        for (size_t k = 0; k < f->nq; k++) {
            size_t i = f->eval_order ? f->eval_order[k] : k;
            bool r = compute_relevant(a, i, &c);
            if (r != a->relevant[i]) { a->relevant[i] = r; changed = true; }
            if (f->q[i].calc && f->q[i].calc_volatile && r) {
                if (once[i]) continue;
                once[i] = true;
            }
            changed |= server_value_of(a, i, why);
        }
    }
    if (changed)
        fprintf(stderr, "buzon: form %s: relevance and calculations did not settle in %d rounds\n",
                f->id ? f->id : "?", ANSWERS_MAX_ROUNDS);
    /* Once per question and post, the form and the question, never the
     * value (it may hold what a person typed): the form's author fixes it. */
    for (size_t i = 0; i < f->nq; i++)
        if (why[i])
            fprintf(stderr, "buzon: form %s: the calculated value of \"%s\" %s: nothing stored\n",
                    f->id ? f->id : "?", f->q[i].name, why[i]);
    free(why);
    free(once);
}

bool answers_required(const answers_t *a, size_t i)
{
    const question_t *q = &a->form->q[i];
    if (!q->required) return false;
    if (!q->required_if) return true;
    env_ctx_t c = { .a = a };
    expr_env_t env = make_env(&c);
    char who[160];
    name_who(&env, who, sizeof who, a->form, "required", q);
    return expr_eval_bool(q->required_if, &env);
}

size_t answers_validate(answers_t *a)
{
    const form_t *f = a->form;
    env_ctx_t c = { .a = a };

    answers_calculate(a);

    a->nerrors = 0;
    for (size_t i = 0; i < f->nq; i++) {
        const question_t *q = &f->q[i];
        a->err[i] = AERR_NONE;
        if (!form_q_answerable(q)) continue;
        if (!a->relevant[i]) {
            not_applicable(a, i);
            if (a->err[i] != AERR_NONE) a->nerrors++;
            continue;
        }
        /* A calculated or read-only value is the form's, not the person's:
         * it is stored as computed, never an error they could not fix. */
        if (server_value(q)) continue;
        if (a->val[i]) a->err[i] = check_value(a, i);
        if (a->err[i] == AERR_NONE && !a->val[i] && answers_required(a, i))
            a->err[i] = AERR_REQUIRED;
        if (a->err[i] == AERR_NONE && a->val[i] && q->constraint) {
            expr_env_t env = make_env(&c);
            char who[160];
            name_who(&env, who, sizeof who, f, "constraint", q);
            if (q->type == Q_INTEGER || q->type == Q_DECIMAL)
                env.self = (expr_val_t){ .kind = EXPR_NUM, .num = strtod(a->val[i], NULL) };
            else
                env.self = (expr_val_t){ .kind = EXPR_STR, .str = a->val[i] };
            if (!expr_eval_bool(q->constraint, &env)) a->err[i] = AERR_CONSTRAINT;
        }
        if (a->err[i] != AERR_NONE) a->nerrors++;
    }
    if (a->nerrors == 0) refuse_empty(a);
    return a->nerrors;
}

/* ---- why a question does not apply ------------------------------------ */

typedef struct why_ctx {
    const answers_t *a;
    size_t found;
    bool any;
} why_ctx_t;

static void why_ref(void *arg, const char *name)
{
    why_ctx_t *w = arg;
    if (w->any) return;
    const form_t *f = w->a->form;
    for (size_t j = 0; j < f->nq; j++)
        if (!strcmp(f->q[j].name, name) && form_q_answerable(&f->q[j]) && !w->a->relevant[j] &&
            answers_static_relevance(w->a, j) != 0) {
            w->found = j;
            w->any = true;
            return;
        }
}

size_t answers_why_not_applicable(const answers_t *a, size_t i)
{
    const form_t *f = a->form;
    env_ctx_t c = { .a = a };
    expr_env_t env = make_env(&c);
    size_t cur = i;
    for (size_t step = 0; step <= f->nq; step++) {
        /* The innermost of cur and its groups whose condition is false. */
        int k = -1;
        for (int j = (int)cur; j >= 0; j = f->q[j].parent)
            if (f->q[j].relevant && !expr_eval_bool(f->q[j].relevant, &env)) { k = j; break; }
        if (k < 0) return cur;
        why_ctx_t w = { .a = a };
        expr_names(f->q[k].relevant, why_ref, &w);
        if (!w.any || w.found == (size_t)k) return (size_t)k;
        cur = w.found;
    }
    return cur;
}

const char *answers_shown(const answers_t *a, size_t i)
{
    return a->val[i] ? a->val[i] : a->kept[i];
}
