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
#include "model/geo.h"
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
    return q->calc || q->read_only || q->type == Q_CALCULATE || q->type == Q_HIDDEN;
}

static void set_val(answers_t *a, size_t i, char *v)
{
    free(a->val[i]);
    a->val[i] = v;
}

static void normalise_posted(answers_t *a, size_t i);
/* The value of posted key "NAME:part", or NULL. */
static const char *geo_part(const kvlist_t *post, const char *name, const char *part)
{
    size_t n = strlen(name);
    for (size_t k = 0; k < post->n; k++) {
        const char *key = post->items[k].key;
        if (!strncmp(key, name, n) && key[n] == ':' && !strcmp(key + n + 1, part)) return post->items[k].val;
    }
    return NULL;
}

/* A geopoint's page fields (answers.h) as one value: a known place's
 * geometry, else "lat lon [alt acc]" as typed (checked later, shown again
 * as typed when wrong); NULL when nothing was posted. Caller frees. */
static char *geo_from_fields(const question_t *q, const kvlist_t *post)
{
    const char *place = geo_part(post, q->name, "place");
    if (place && *place && q->places) {
        for (size_t c = 0; c < q->places->nchoices; c++) {
            const choice_t *ch = &q->places->choices[c];
            if (strcmp(ch->name, place)) continue;
            for (size_t x = 0; x < ch->nextra; x++)
                if (!strcasecmp(ch->extra_keys[x], "geometry")) return xstrdup(ch->extra_vals[x]);
        }
        return xstrdup(place);   /* not a place: an error, shown again */
    }
    const char *lat = geo_part(post, q->name, "lat"), *lon = geo_part(post, q->name, "lon");
    const char *alt = geo_part(post, q->name, "alt"), *acc = geo_part(post, q->name, "acc");
    if (!lat && !lon) return NULL;
    buf_t b;
    buf_init(&b);
    buf_puts(&b, lat ? lat : "");
    if (lon && *lon) {
        buf_putc(&b, ' ');
        buf_puts(&b, lon);
        /* the browser's altitude and accuracy go with its own fix only */
        if (acc && *acc) {
            buf_printf(&b, " %s %s", alt && *alt ? alt : "0", acc);
        }
    }
    return buf_steal(&b);
}

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
        if (q->type == Q_GEOPOINT && !kvlist_get(post, q->name)) {
            set_val(a, i, geo_from_fields(q, post));
            continue;
        }
        buf_t b;
        buf_init(&b);
        bool any = false;
        for (size_t k = 0; k < post->n; k++) {
            if (strcmp(post->items[k].key, q->name)) continue;
            if (q->type == Q_RANK) {
                /* One select per position, in page order: an empty
                 * position stays an empty word (check_rank refuses it). */
                if (any) buf_putc(&b, ' ');
                buf_puts(&b, post->items[k].val);
                any = true;
            } else if (q->type == Q_SELECT_MULTIPLE) {
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

void answers_default_service(answers_t *a, const char *service_id)
{
    if (!service_id) return;
    const form_t *f = a->form;
    for (size_t i = 0; i < f->nq; i++)
        if (f->q[i].type == Q_SELECT_ONE && (f->q[i].appearance & APP_POINT_SERVICE) && !a->val[i])
            set_val(a, i, xstrdup(service_id));
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
        if (f->q[i].type == Q_INTEGER || f->q[i].type == Q_DECIMAL || f->q[i].type == Q_RANGE) {
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

/* jr:choice-name(): the label, in the page's language (answers_t.lang,
 * else the form's default), of choice value of question name; NULL when
 * unknown. */
static const char *choice_label(void *vctx, const char *name, const char *value)
{
    const env_ctx_t *c = vctx;
    const form_t *f = c->a->form;
    for (size_t i = 0; i < f->nq; i++) {
        if (strcmp(f->q[i].name, name) || !f->q[i].list) continue;
        const choice_t *ch = form_choice(&f->q[i], value);   /* or_other's "other" too */
        if (ch) return form_text(f, &ch->label, c->a->lang);
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

/* Two digits at s, as a number; -1 if not two digits. */
static int two(const char *s)
{
    return isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) ? (s[0] - '0') * 10 + s[1] - '0' : -1;
}

/* A time of day at s, "H:MM" or "HH:MM", seconds ":SS" allowed and
 * dropped (buzon keeps coarse times), then end of string: out gets
 * "HH:MM". False when it is none. */
static bool parse_hhmm(const char *s, char out[6])
{
    int h = isdigit((unsigned char)s[0]) && s[1] == ':' ? s[0] - '0' : two(s);
    if (h < 0) return false;
    s += h < 10 && s[1] == ':' ? 1 : 2;
    if (*s++ != ':') return false;
    int m = two(s);
    if (h > 23 || m < 0 || m > 59) return false;
    s += 2;
    if (*s == ':') {
        int sec = two(s + 1);
        if (sec < 0 || sec > 59) return false;
        s += 3;
    }
    if (*s) return false;
    snprintf(out, 6, "%02d:%02d", h, m);
    return true;
}

/* time: stored "HH:MM", the form expr.c reads as a time of day. */
static answer_err_t check_time(answers_t *a, size_t i)
{
    char t[6];
    if (!parse_hhmm(a->val[i], t)) return AERR_TIME;
    set_val(a, i, xstrdup(t));
    return AERR_NONE;
}

/* dateTime: "YYYY-MM-DDTHH:MM" as <input type=datetime-local> sends it, or
 * "YYYY-MM-DD HH:MM" typed; stored "YYYY-MM-DDTHH:MM" (local time, as
 * expr.c reads a date-time without a zone). */
static answer_err_t check_datetime(answers_t *a, size_t i)
{
    const char *v = a->val[i];
    char d[11], t[6];
    if (strlen(v) < 15 || (v[10] != 'T' && v[10] != ' ')) return AERR_DATETIME;
    memcpy(d, v, 10);
    d[10] = '\0';
    if (check_date(d) != AERR_NONE || !parse_hhmm(v + 11, t)) return AERR_DATETIME;
    char out[17];
    snprintf(out, sizeof out, "%sT%s", d, t);
    set_val(a, i, xstrdup(out));
    return AERR_NONE;
}

/* A date asked as a month ("YYYY-MM", <input type=month>) or a year
 * ("YYYY") is stored as ODK Collect stores it: its first day. A whole
 * date is taken too (a browser without type=month), cut to that day. */
static answer_err_t check_date_app(answers_t *a, size_t i, unsigned app)
{
    const char *v = a->val[i];
    char d[11];
    size_t n = strlen(v);
    if (app & APP_YEAR) {
        if (n != 4 && n != 10) return AERR_DATE;
        snprintf(d, sizeof d, "%.4s-01-01", v);
    } else {
        if (n != 7 && n != 10) return AERR_DATE;
        snprintf(d, sizeof d, "%.7s-01", v);
    }
    if (n == 10 && check_date(v) != AERR_NONE) return AERR_DATE;
    if (check_date(d) != AERR_NONE) return AERR_DATE;
    set_val(a, i, xstrdup(d));
    return AERR_NONE;
}

/* range: a number between start and end (either way round) that is a
 * whole number of steps from start; stored as the shortest decimal. */
static answer_err_t check_range(answers_t *a, size_t i)
{
    const question_t *q = &a->form->q[i];
    if (check_decimal(a->val[i]) != AERR_NONE) return AERR_RANGE;
    double v = strtod(a->val[i], NULL);
    double lo = fmin(q->range_start, q->range_end), hi = fmax(q->range_start, q->range_end);
    double k = (v - q->range_start) / q->range_step;
    if (v < lo - 1e-9 || v > hi + 1e-9 || fabs(k - round(k)) > 1e-6) return AERR_RANGE;
    char out[32];
    snprintf(out, sizeof out, "%.15g", v);
    set_val(a, i, xstrdup(out));
    return AERR_NONE;
}

static bool filter_holds(const answers_t *a, const question_t *q, const choice_t *ch)
{
    /* The "other" of or_other has no columns to filter on: always offered. */
    if (!q->choice_filter || ch == q->other) return true;
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

/* rank: the posted positions, space-separated (an empty word an empty
 * position): every choice of the list exactly once, as ODK requires;
 * stored as the names in order. All positions empty is no answer. */
static answer_err_t check_rank(answers_t *a, size_t i)
{
    const question_t *q = &a->form->q[i];
    size_t n = q->list->nchoices, got = 0;
    bool *seen = xcalloc(n, sizeof *seen);
    answer_err_t e = AERR_NONE;
    buf_t out;
    buf_init(&out);
    const char *p = a->val[i];
    for (;;) {
        const char *sp = strchr(p, ' ');
        size_t len = sp ? (size_t)(sp - p) : strlen(p);
        size_t k = 0;
        while (k < n && (strlen(q->list->choices[k].name) != len || strncmp(q->list->choices[k].name, p, len)))
            k++;
        if (!len || (k < n && seen[k])) e = AERR_RANK;
        else if (k == n) e = AERR_CHOICE;
        else {
            seen[k] = true;
            if (out.len) buf_putc(&out, ' ');
            buf_append(&out, p, len);
        }
        got++;
        if (e != AERR_NONE || !sp) break;
        p = sp + 1;
    }
    if (e == AERR_NONE && got != n) e = AERR_RANK;
    if (e == AERR_NONE) set_val(a, i, buf_steal(&out));
    buf_free(&out);
    free(seen);
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

/* A place is kept as ODK keeps it, "lat lon alt acc" (model/geo.h). */
static answer_err_t check_geopoint(answers_t *a, size_t i)
{
    geo_point_t p;
    geo_err_t e = geo_point_parse(a->val[i], &p);
    if (e != GEO_OK) return e == GEO_RANGE ? AERR_GEO_RANGE : AERR_GEOPOINT;
    buf_t b;
    buf_init(&b);
    geo_point_format(&b, &p);
    set_val(a, i, buf_steal(&b));
    return AERR_NONE;
}

static answer_err_t check_geolist(answers_t *a, size_t i)
{
    bool shape = a->form->q[i].type == Q_GEOSHAPE;
    char *norm;
    geo_err_t e = geo_list_parse(a->val[i], shape, &norm);
    if (e == GEO_OK) {
        set_val(a, i, norm);
        return AERR_NONE;
    }
    if (e == GEO_RANGE) return AERR_GEO_RANGE;
    return shape ? AERR_GEOSHAPE : AERR_GEOTRACE;
}

/* Normalise a->val[i] in place and return its type error, if any. */
static answer_err_t check_value(answers_t *a, size_t i)
{
    const question_t *q = &a->form->q[i];
    if (q->type == Q_RANK) {
        /* Positions are words: no trimming, which would shift them. */
        if (strspn(a->val[i], " ") == strlen(a->val[i])) { set_val(a, i, NULL); return AERR_NONE; }
        return strlen(a->val[i]) > ANSWER_MAX_BYTES ? AERR_TOO_LONG : check_rank(a, i);
    }
    char *t = trim_text(a->val[i]);
    set_val(a, i, t);
    if (utf8_len(t) > ANSWER_MAX_TEXT) return AERR_TOO_LONG;   /* characters: "ñ" is one */
    if (!*t) { set_val(a, i, NULL); return AERR_NONE; }
    switch (q->type) {
    case Q_INTEGER:         return check_integer(t);
    case Q_DECIMAL:         return check_decimal(t);
    case Q_DATE:            return q->appearance & (APP_MONTH_YEAR | APP_YEAR)
                                   ? check_date_app(a, i, q->appearance) : check_date(t);
    case Q_TIME:            return check_time(a, i);
    case Q_DATETIME:        return check_datetime(a, i);
    case Q_RANGE:           return check_range(a, i);
    /* acknowledge: its one checkbox posts OK, ODK's value. */
    case Q_ACKNOWLEDGE:     return strcmp(t, "OK") ? AERR_CHOICE : AERR_NONE;
    case Q_SELECT_ONE:      return choice_allowed(a, q, t) ? AERR_NONE : AERR_CHOICE;
    case Q_SELECT_MULTIPLE: return check_multiple(a, q, &a->val[i]);
    case Q_TEXT:            return phone_question(q->name) ? check_phone(a, i) : AERR_NONE;
    case Q_GEOPOINT:        return check_geopoint(a, i);
    case Q_GEOTRACE:
    case Q_GEOSHAPE:        return check_geolist(a, i);
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
    return q->type != Q_SELECT_ONE && q->type != Q_SELECT_MULTIPLE && q->type != Q_RANK &&
           q->type != Q_ACKNOWLEDGE && q->type != Q_RANGE;
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
            if (q->type == Q_INTEGER || q->type == Q_DECIMAL || q->type == Q_RANGE)
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
