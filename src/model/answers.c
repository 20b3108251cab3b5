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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/bizdays.h"
#include "base/buf.h"
#include "base/utf8.h"
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
    for (size_t i = 0; i < f->nq; i++) a->relevant[i] = true;
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

void answers_from_post(answers_t *a, const kvlist_t *post)
{
    const form_t *f = a->form;
    for (size_t i = 0; i < f->nq; i++) {
        const question_t *q = &f->q[i];
        /* A calculated or read-only value is the server's, whatever is posted. */
        if (!form_q_answerable(q) || a->prefilled[i] || server_value(q)) continue;
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
    /* ODK reads the label column too (in the form's default language,
     * as jr:choice-name() does: answers carry no language). */
    if (!strcmp(name, "label")) {
        out->str = form_text(c->a->form, &c->choice->label, c->a->form->default_lang);
        return 0;
    }
    for (size_t k = 0; k < c->choice->nextra; k++)
        if (!strcasecmp(c->choice->extra_keys[k], name)) {
            out->str = c->choice->extra_vals[k];
            return 0;
        }
    return -1;
}

/* jr:choice-name(): the label, in the form's default language (answers
 * carry no language), of choice value of question name; NULL when unknown. */
static const char *choice_label(void *vctx, const char *name, const char *value)
{
    const env_ctx_t *c = vctx;
    const form_t *f = c->a->form;
    for (size_t i = 0; i < f->nq; i++) {
        if (strcmp(f->q[i].name, name) || !f->q[i].list) continue;
        const choice_t *ch = form_choice(&f->q[i], value);   /* or_other's "other" too */
        if (ch) return form_text(f, &ch->label, f->default_lang);
    }
    return NULL;
}

static expr_env_t make_env(env_ctx_t *c)
{
    expr_env_t env = { .lookup = lookup, .column = column, .ctx = c, .choice_label = choice_label,
                       .self = { .kind = EXPR_STR, .str = "" } };
    return env;
}

/* Own relevance of question i AND that of its enclosing groups. */
static bool compute_relevant(const answers_t *a, size_t i, env_ctx_t *c)
{
    const form_t *f = a->form;
    expr_env_t env = make_env(c);
    for (int j = (int)i; j >= 0; j = f->q[j].parent) {
        if (f->q[j].relevant && !expr_eval_bool(f->q[j].relevant, &env))
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

static bool filter_holds(const answers_t *a, const question_t *q, const choice_t *ch)
{
    /* The "other" of or_other has no columns to filter on: always offered. */
    if (!q->choice_filter || ch == q->other) return true;
    env_ctx_t c = { .a = a, .choice = ch };
    expr_env_t env = make_env(&c);
    return expr_eval_bool(q->choice_filter, &env);
}

/* Any choice called name that fits: with allow_choice_duplicates a name
 * may come twice, with different columns (pyxform's cascading example has
 * a King county in two states). */
static bool choice_allowed(const answers_t *a, const question_t *q, const char *name)
{
    for (size_t k = 0; k < form_nchoices(q); k++) {
        const choice_t *ch = form_choice_at(q, k);
        if (!strcmp(ch->name, name) && filter_holds(a, q, ch)) return true;
    }
    return false;
}

/* splitmix64: a small, well-mixed generator; the order only has to be
 * stable and look random, not be unpredictable. */
static uint64_t mix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; s && *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

void answers_choice_order(const answers_t *a, size_t i, size_t *perm)
{
    const question_t *q = &a->form->q[i];
    size_t n = form_nchoices(q), m = q->other ? n - 1 : n;
    for (size_t k = 0; k < n; k++) perm[k] = k;
    if (!q->randomize || m < 2) return;
    uint64_t s = 0;
    bool seeded = false;
    if (q->seed) {
        env_ctx_t c = { .a = a };
        expr_env_t env = make_env(&c);
        expr_result_t r;
        char err[128];
        if (expr_eval(q->seed, &env, &r, err, sizeof err) == 0) {
            if (!isnan(r.num)) {
                s = fnv(0xcbf29ce484222325ULL, r.str);
                seeded = true;
            }
            expr_result_free(&r);
        }
    }
    if (!seeded) s = fnv(fnv(0xcbf29ce484222325ULL, a->order_key ? a->order_key : ""), q->name);
    for (size_t k = m - 1; k > 0; k--) {
        size_t j = (size_t)(mix64(&s) % (k + 1));
        size_t t = perm[k];
        perm[k] = perm[j];
        perm[j] = t;
    }
}

bool answers_choice_fits(const answers_t *a, size_t i, const choice_t *c)
{
    return filter_holds(a, &a->form->q[i], c);
}

static answer_err_t check_multiple(const answers_t *a, const question_t *q, char **v)
{
    buf_t out;
    buf_init(&out);
    char *save = NULL, *copy = xstrdup(*v);
    answer_err_t e = AERR_NONE;
    for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        if (!choice_allowed(a, q, tok)) { e = AERR_CHOICE; break; }
        /* de-duplicate: " tok " already in " out "? */
        size_t tl = strlen(tok);
        bool dup = false;
        for (const char *p = out.data; p && (p = strstr(p, tok)); p += tl)
            if ((p == out.data || p[-1] == ' ') && (p[tl] == ' ' || p[tl] == '\0')) { dup = true; break; }
        if (dup) continue;
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
static char *eval_value(const answers_t *a, const expr_t *e)
{
    env_ctx_t c = { .a = a };
    expr_env_t env = make_env(&c);
    expr_result_t r;
    char err[128];
    if (expr_eval(e, &env, &r, err, sizeof err) != 0) return NULL;
    char *v = NULL;
    if (!(r.type == EXPR_T_NUMBER && isnan(r.num)) && r.str && *r.str) v = xstrdup(r.str);
    expr_result_free(&r);
    return v;
}

/* A default's value: the dynamic one evaluated, else the static text. */
static char *default_value(const answers_t *a, const question_t *q)
{
    if (q->default_expr) return eval_value(a, q->default_expr);
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

/* One pass of the values the server computes, given the relevances. */
static bool calc_pass(answers_t *a)
{
    const form_t *f = a->form;
    bool changed = false;
    for (size_t k = 0; k < f->ncalc; k++) {
        size_t i = f->calc_order[k];
        a->computed[i] = true;
        changed |= set_changed(a, i, a->relevant[i] ? eval_value(a, f->q[i].calc) : NULL);
    }
    for (size_t i = 0; i < f->nq; i++) {
        const question_t *q = &f->q[i];
        if (!form_q_answerable(q) || q->calc || a->prefilled[i]) continue;
        if (!a->relevant[i]) {
            /* What the server put there goes when the question stops applying. */
            if (a->computed[i]) changed |= set_changed(a, i, NULL);
            continue;
        }
        if (server_value(q)) {
            a->computed[i] = true;
            changed |= set_changed(a, i, default_value(a, q));
        } else if (q->default_expr && !q->default_fresh && (!a->val[i] || a->computed[i])) {
            /* Empty at submit: the default that needed answers applies
             * (and follows them while it is the server's value). */
            a->computed[i] = true;
            changed |= set_changed(a, i, default_value(a, q));
        }
    }
    return changed;
}

void answers_calculate(answers_t *a)
{
    const form_t *f = a->form;
    env_ctx_t c = { .a = a };

    /* Relevance can depend on later questions, on other relevances and on
     * calculations, which depend on relevance in turn: iterate to a fixed
     * point (bounded: a form whose values never settle stops after as
     * many rounds as it has questions). */
    for (size_t round = 0; round <= f->nq; round++) {
        bool changed = false;
        for (size_t i = 0; i < f->nq; i++) {
            bool r = compute_relevant(a, i, &c);
            if (r != a->relevant[i]) { a->relevant[i] = r; changed = true; }
        }
        changed |= calc_pass(a);
        if (!changed) break;
    }
}

bool answers_required(const answers_t *a, size_t i)
{
    const question_t *q = &a->form->q[i];
    if (!q->required) return false;
    if (!q->required_if) return true;
    env_ctx_t c = { .a = a };
    expr_env_t env = make_env(&c);
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
        expr_refs(f->q[k].relevant, why_ref, &w);
        if (!w.any || w.found == (size_t)k) return (size_t)k;
        cur = w.found;
    }
    return cur;
}

const char *answers_shown(const answers_t *a, size_t i)
{
    return a->val[i] ? a->val[i] : a->kept[i];
}
