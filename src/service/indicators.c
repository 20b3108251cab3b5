/*
 * indicators.c: from aggregates to figures (service/indicators.h). For
 * each definition, the total and every group of each breakdown asked:
 * value, n and 95% interval as model/indicators.h states the methodology,
 * then suppression; and the one report of every interface
 * (ind_report_build), with the complaints desk's figures. Reads the store
 * through store/store_ind.h; sees base/, model/, store/ and service/.
 *
 * Each definition is first resolved against the form's slot names (which
 * counters hold its answers), so that the per-cell work is a few lookups
 * in a vector, whatever the number of responses.
 */
#include "service/indicators.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/ind_accs.h"
#include "service/cases_ind.h"
#include "store/store_ind.h"

/* Rating scales up to this many points (answers are one digit). */
#define MAX_SCALE 9

/* ---- a definition resolved against the slots ------------------------------- */

typedef struct val_slot {
    long   slot;
    double num;        /* the answer as a number, NAN if it is not one */
    bool   counted;    /* one of the definition's choices */
    bool   excluded;   /* left out of a share's base */
} val_slot_t;

typedef struct resolved {
    const ind_def_t *def;
    long      (*rate)[MAX_SCALE + 1];     /* index/top2: slot of "item=k" per item, or -1 */
    long        multi[3];                 /* "i:<id>:n|s|ss", or -1 */
    val_slot_t *vals;                     /* other kinds: every stored answer */
    size_t      nvals;
} resolved_t;

static bool in_list(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], s)) return true;
    return false;
}

static void resolve(const ind_def_t *d, const ind_accs_t *x, resolved_t *r)
{
    memset(r, 0, sizeof *r);
    r->def = d;
    buf_t name;
    buf_init(&name);
    if (d->kind == IND_INDEX || d->kind == IND_TOP2) {
        r->rate = xcalloc(d->nitems, sizeof *r->rate);
        for (size_t i = 0; i < d->nitems; i++)
            for (int k = 0; k <= MAX_SCALE; k++) {
                buf_reset(&name);
                buf_printf(&name, "%s=%d", d->items[i], k);
                r->rate[i][k] = k >= 1 && k <= d->scale ? ind_accs_slot(x, name.data) : -1;
            }
        static const char *const part[3] = { "n", "s", "ss" };
        for (int p = 0; p < 3; p++) {
            buf_reset(&name);
            buf_printf(&name, "i:%s:%s", d->id, part[p]);
            r->multi[p] = ind_accs_slot(x, name.data);
        }
    } else if (d->kind == IND_SUM || d->kind == IND_SUMSHARE) {
        /* issue 18: every answer of every item; each item once, counted
         * when it is in the numerator (all of a sum's are), left out of
         * the base unless it is in the base (a sum's base is unused). */
        for (size_t i = 0; i < d->nitems; i++) {
            bool seen = false, num = d->kind == IND_SUM, base = d->kind == IND_SUM;
            for (size_t j = 0; j < d->nitems; j++) {
                if (strcmp(d->items[i], d->items[j])) continue;
                if (j < i) seen = true;
                if (j < d->nnum) num = true;
                else base = true;
            }
            if (seen) continue;
            buf_reset(&name);
            buf_printf(&name, "%s=", d->items[i]);
            for (size_t s = 0; s < x->nslots; s++) {
                if (strncmp(x->slot[s], name.data, name.len)) continue;
                char *end;
                double v = strtod(x->slot[s] + name.len, &end);
                if (*end || !isfinite(v)) continue;
                r->vals = xrealloc(r->vals, (r->nvals + 1) * sizeof *r->vals);
                r->vals[r->nvals++] = (val_slot_t){ (long)s, v, num, !base };
            }
        }
    } else {
        buf_printf(&name, "%s=", d->items[0]);
        for (size_t s = 0; s < x->nslots; s++) {
            if (strncmp(x->slot[s], name.data, name.len)) continue;
            const char *v = x->slot[s] + name.len;
            char *end;
            double num = strtod(v, &end);
            if (!*v || *end || !isfinite(num) || (d->scale && (num < 1 || num > d->scale)))
                num = NAN;
            r->vals = xrealloc(r->vals, (r->nvals + 1) * sizeof *r->vals);
            r->vals[r->nvals++] = (val_slot_t){ (long)s, num, in_list(d->choices, d->nchoices, v),
                                                in_list(d->exclude, d->nexclude, v) };
        }
    }
    buf_free(&name);
}

static double at(const double *v, long slot)
{
    return v && slot >= 0 ? v[slot] : 0;
}

/* ---- one cell ------------------------------------------------------------------- */

static void cell_nan(ind_cell_t *c)
{
    *c = (ind_cell_t){ .value = NAN, .lo = NAN, .hi = NAN };
}

/* Centre the interval of half-width h on the value, within [lo, hi]. */
static void around(ind_cell_t *c, double h, double lo, double hi)
{
    if (isnan(h)) return;
    c->lo = fmax(lo, c->value - h);
    c->hi = fmin(hi, c->value + h);
}

static void stat_index(const resolved_t *r, const double *v, ind_cell_t *c)
{
    const ind_def_t *d = r->def;
    double k1 = d->scale - 1, sum_idx = 0, one[3] = { 0, 0, 0 };
    int items = 0;
    for (size_t i = 0; i < d->nitems; i++) {
        double n = 0, s = 0, ss = 0;
        for (int k = 1; k <= d->scale; k++) {
            double cnt = at(v, r->rate[i][k]);
            n += cnt;
            s += k * cnt;
            ss += (double)k * k * cnt;
        }
        if (n > 0) {
            sum_idx += (s / n - 1) / k1 * 100;
            items++;
        }
        if (d->nitems == 1) {
            one[0] = n;
            one[1] = s;
            one[2] = ss;
        }
    }
    /* One item: the respondents' answers themselves; several: their means. */
    const double rn = d->nitems == 1 ? one[0] : at(v, r->multi[0]);
    const double rs = d->nitems == 1 ? one[1] : at(v, r->multi[1]);
    const double rss = d->nitems == 1 ? one[2] : at(v, r->multi[2]);
    c->n = (int64_t)llround(rn);
    if (!items || c->n == 0) return;
    c->value = sum_idx / items;
    double mean, half;
    ind_mean_ci(rn, rs, rss, &mean, &half);
    around(c, half / k1 * 100, 0, 100);
}

static void stat_top2(const resolved_t *r, const double *v, ind_cell_t *c)
{
    double n = 0, x = 0;
    int k = r->def->scale;
    for (int i = 1; i <= k; i++) {
        double cnt = at(v, r->rate[0][i]);
        n += cnt;
        if (i >= k - 1) x += cnt;
    }
    c->n = (int64_t)llround(n);
    if (n <= 0) return;
    c->value = 100 * x / n;
    ind_wilson(x, n, &c->lo, &c->hi);
    c->lo *= 100;
    c->hi *= 100;
}

static int cmp_num(const void *a, const void *b)
{
    double x = ((const double *)a)[0], y = ((const double *)b)[0];
    return x < y ? -1 : x > y;
}

/* Value at 1-based rank k of the sorted (value, count) pairs. */
static double rank_value(const double *pairs, size_t n, int64_t k)
{
    double seen = 0;
    for (size_t i = 0; i < n; i++) {
        seen += pairs[2 * i + 1];
        if (seen >= (double)k) return pairs[2 * i];
    }
    return n ? pairs[2 * (n - 1)] : NAN;
}

static void stat_median(const resolved_t *r, const double *v, ind_cell_t *c)
{
    double *pairs = xcalloc(2 * r->nvals + 1, sizeof *pairs);
    size_t np = 0;
    double n = 0;
    for (size_t i = 0; i < r->nvals; i++) {
        double cnt = at(v, r->vals[i].slot);
        if (isnan(r->vals[i].num) || cnt <= 0) continue;
        pairs[2 * np] = r->vals[i].num;
        pairs[2 * np + 1] = cnt;
        np++;
        n += cnt;
    }
    qsort(pairs, np, 2 * sizeof *pairs, cmp_num);
    c->n = (int64_t)llround(n);
    if (c->n > 0) {
        int64_t m = c->n;
        c->value = m % 2 ? rank_value(pairs, np, (m + 1) / 2)
                         : (rank_value(pairs, np, m / 2) + rank_value(pairs, np, m / 2 + 1)) / 2;
        /* Ranks of a distribution-free 95% interval (Conover): the
         * binomial(n, 1/2) quantiles by the normal approximation, widened
         * to whole ranks. */
        double h = 1.959963984540054 * sqrt((double)m) / 2;
        int64_t lo = (int64_t)floor((double)m / 2 - h), hi = (int64_t)ceil(1 + (double)m / 2 + h);
        c->lo = rank_value(pairs, np, lo < 1 ? 1 : lo);
        c->hi = rank_value(pairs, np, hi > m ? m : hi);
    }
    free(pairs);
}

static void stat_values(const resolved_t *r, const double *v, ind_cell_t *c)
{
    const ind_def_t *d = r->def;
    double base = 0, x = 0, n = 0, s = 0, ss = 0;
    for (size_t i = 0; i < r->nvals; i++) {
        const val_slot_t *e = &r->vals[i];
        double cnt = at(v, e->slot);
        if (!e->excluded) base += cnt;
        if (e->counted) x += cnt;
        if (!isnan(e->num)) {
            n += cnt;
            s += e->num * cnt;
            ss += e->num * e->num * cnt;
        }
    }
    double mean, half;
    switch (d->kind) {
    case IND_SHARE:
        c->n = (int64_t)llround(base);
        if (base <= 0) return;
        c->value = 100 * x / base;
        ind_wilson(x, base, &c->lo, &c->hi);
        c->lo *= 100;
        c->hi *= 100;
        break;
    case IND_COUNT:
    case IND_ENTRIES:   /* issue 18 */
        c->n = (int64_t)llround(base);
        if (base > 0) c->value = x;
        break;
    case IND_SUM:       /* issue 18: n is the people counted */
    case IND_SUMSHARE: {
        double num = 0, den = 0, answers = 0;
        for (size_t i = 0; i < r->nvals; i++) {
            double cnt = at(v, r->vals[i].slot);
            answers += cnt;
            if (r->vals[i].counted) num += r->vals[i].num * cnt;
            if (!r->vals[i].excluded) den += r->vals[i].num * cnt;
        }
        if (d->kind == IND_SUM) {
            c->n = (int64_t)llround(num);
            if (answers > 0) c->value = num;
        } else {
            c->n = (int64_t)llround(den);
            if (den > 0) c->value = 100 * num / den;
        }
        break;
    }
    default:   /* IND_MEAN */
        c->n = (int64_t)llround(n);
        if (n <= 0) return;
        ind_mean_ci(n, s, ss, &mean, &half);
        c->value = mean;
        around(c, half, -INFINITY, INFINITY);
        break;
    }
}

/* One cell's figure from its counters (the extension point for a new
 * answer-based kind: see indicators.h). */
static void stat_cell(const resolved_t *r, const double *v, ind_cell_t *c)
{
    cell_nan(c);
    switch (r->def->kind) {
    case IND_INDEX:  stat_index(r, v, c); break;
    case IND_TOP2:   stat_top2(r, v, c); break;
    case IND_MEDIAN: stat_median(r, v, c); break;
    default:         stat_values(r, v, c); break;
    }
}

/* ---- breakdowns ------------------------------------------------------------------ */

/* Position of a group key in the order people expect to read it: the
 * choice list for demographic questions, points.csv and services.csv for
 * points and services, the language order, else alphabetical (months sort
 * by "YYYY-MM"). The "no response" group comes last. */
static long group_rank(const ind_env_t *env, const ind_def_t *d, ind_dim_t dim, const char *key)
{
    enum { UNLISTED = 1000000 };
    if (!strcmp(key, IND_KEY_NONE)) return 2 * UNLISTED;
    if (dim <= IND_DIM_IDIOMA) {
        for (size_t i = 0; i < env->nforms; i++) {
            if (strcmp(env->forms[i]->id, d->form)) continue;
            const question_t *q = form_question(env->forms[i], ind_answer_dims[dim]);
            for (size_t k = 0; q && q->list && k < q->list->nchoices; k++)
                if (!strcmp(q->list->choices[k].name, key)) return (long)k;
        }
    } else if (dim == IND_DIM_LANG) {
        int l = i18n_parse(key);
        if (l >= 0) return l;
    } else if (dim == IND_DIM_PUNTO && env->points) {
        for (size_t i = 0; i < env->points->npoints; i++)
            if (!strcmp(env->points->points[i].id, key)) return (long)i;
    } else if (dim == IND_DIM_SERVICIO && env->points) {
        for (size_t i = 0; i < env->points->nservices; i++)
            if (!strcmp(env->points->services[i].id, key)) return (long)i;
    }
    return UNLISTED;
}

typedef struct ranked {
    long          rank;
    const char   *key;
    const double *v;
} ranked_t;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked_t *x = a, *y = b;
    if (x->rank != y->rank) return x->rank < y->rank ? -1 : 1;
    return strcmp(x->key, y->key);
}

static void breakdown(const ind_env_t *env, const resolved_t *r, const ind_accs_t *x,
                      const double *total, ind_dim_t dim, ind_result_t *out)
{
    ranked_t *g = xcalloc(x->n + 1, sizeof *g);
    size_t ng = 0;
    for (size_t i = 0; i < x->n; i++) {
        if (x->a[i].dim != (int)dim) continue;
        /* An empty point or service is its "none" group. */
        const char *key = *x->a[i].key ? x->a[i].key : IND_KEY_NONE;
        g[ng++] = (ranked_t){ group_rank(env, r->def, dim, key), key, x->a[i].v };
    }
    /* Demographic groups leave out who did not answer: their cell is the
     * total minus the groups, so the cells add up to the total. */
    double *rest = NULL;
    if (dim <= IND_DIM_IDIOMA) {
        rest = xcalloc(x->nslots + 1, sizeof *rest);
        for (size_t s = 0; s < x->nslots; s++) rest[s] = at(total, (long)s);
        for (size_t i = 0; i < ng; i++)
            for (size_t s = 0; s < x->nslots; s++) rest[s] -= g[i].v[s];
        g[ng++] = (ranked_t){ group_rank(env, r->def, dim, IND_KEY_NONE), IND_KEY_NONE, rest };
    }
    qsort(g, ng, sizeof *g, cmp_ranked);
    ind_cell_t *cells = xcalloc(ng + 1, sizeof *cells);
    size_t nc = 0;
    for (size_t i = 0; i < ng; i++) {
        ind_cell_t c;
        stat_cell(r, g[i].v, &c);
        if (c.n <= 0) continue;      /* nobody in this group answered it */
        c.key = xstrdup(g[i].key);
        cells[nc++] = c;
    }
    out->by[dim] = cells;
    out->nby[dim] = nc;
    free(rest);
    free(g);
}

/* The figure of d and its breakdowns from x, before any suppression. */
static void compute_raw(const ind_env_t *env, const ind_def_t *d, const ind_accs_t *x,
                        unsigned dims, ind_result_t *out)
{
    resolved_t r;
    resolve(d, x, &r);
    const ind_acc_t *t = ind_accs_find(x, -1, "");
    const double *total = t ? t->v : NULL;
    memset(out, 0, sizeof *out);
    out->def = d;
    stat_cell(&r, total, &out->total);
    out->total.key = xstrdup("");
    for (int dim = 0; dim < IND_DIM_COUNT; dim++)
        if (dims & 1u << dim) breakdown(env, &r, x, total, (ind_dim_t)dim, out);
    free(r.vals);
    free(r.rate);
}

/* The published figure of d from x; anc[0..nanc) hold the aggregates of
 * the query's ancestors (ind_filter_ancestors; none when the filter does
 * not narrow), for the differencing rule. */
static void compute_def(const ind_env_t *env, const ind_def_t *d, const ind_accs_t *x,
                        const ind_accs_t *anc, size_t nanc, unsigned dims, ind_result_t *out)
{
    compute_raw(env, d, x, dims, out);
    /* issue 18: a register's entries are the institution's own acts, not
     * people: nothing to protect (indicators.h, IND_ENTRIES). */
    if (d->kind == IND_ENTRIES) return;
    ind_result_t *w = xcalloc(nanc + 1, sizeof *w);
    const ind_result_t **wp = xcalloc(nanc + 1, sizeof *wp);
    for (size_t p = 0; p < nanc; p++) {
        compute_raw(env, d, &anc[p], dims, &w[p]);
        wp[p] = &w[p];
    }
    ind_protect_nested(out, wp, nanc, dims, env->threshold);
    for (size_t p = 0; p < nanc; p++) ind_result_free(&w[p]);
    free(wp);
    free(w);
}

/* Responses of the form and the first and last months that have some. */
static void form_count(const ind_accs_t *x, ind_form_count_t *fc)
{
    long resp = ind_accs_slot(x, "#");
    const ind_acc_t *t = ind_accs_find(x, -1, "");
    fc->responses = (int64_t)llround(at(t ? t->v : NULL, resp));
    fc->first_ym = fc->last_ym = -1;
    for (size_t i = 0; i < x->n; i++) {
        const ind_acc_t *a = &x->a[i];
        if (a->dim != IND_DIM_MES || at(a->v, resp) <= 0) continue;
        int ym = ind_month_key_parse(a->key);
        if (fc->first_ym < 0 || ym < fc->first_ym) fc->first_ym = ym;
        if (ym > fc->last_ym) fc->last_ym = ym;
    }
}

/* Add the responses of each channel in x to n (ind_channels order). */
static void channel_add(const ind_accs_t *x, int64_t n[IND_NCHANNELS])
{
    long resp = ind_accs_slot(x, "#");
    for (int i = 0; i < IND_NCHANNELS; i++) {
        const ind_acc_t *a = ind_accs_find(x, IND_DIM_CANAL, ind_channels[i]);
        n[i] += (int64_t)llround(at(a ? a->v : NULL, resp));
    }
}

/* The channel an entry of a staff register comes by: the institution's
 * own acts, not people, so its count is never hidden (issue 17). */
static bool channel_of_people(const char *code)
{
    return strcmp(code, "registro") != 0;
}

/* The cells of the people's channels with responses in n (owned by the
 * caller, keys too), in ind_channels order; *nc their number. */
static ind_cell_t *channel_cells(const int64_t n[IND_NCHANNELS], size_t *nc)
{
    ind_cell_t *c = xcalloc(IND_NCHANNELS, sizeof *c);
    *nc = 0;
    for (int i = 0; i < IND_NCHANNELS; i++)
        if (n[i] > 0 && channel_of_people(ind_channels[i]))
            c[(*nc)++] = (ind_cell_t){ .key = xstrdup(ind_channels[i]), .value = (double)n[i],
                                       .lo = NAN, .hi = NAN, .n = n[i] };
    return c;
}

/* issue 17: hide counts cells[0..n) (each a group of people, key set, n
 * the count) as the cells of any breakdown: below the threshold, the
 * complementary ones, and, against each ancestor's cells anc[p][0..
 * nac[p]) (not changed), the differencing rule (ind_protect_nested). The
 * cells together are taken as a known total, so hiding never relies on
 * a cell left out (a register's). */
static void counts_protect(ind_cell_t *cells, size_t n, ind_cell_t *const *anc, const size_t *nac,
                           size_t nanc, int threshold)
{
    ind_result_t r = { 0 };
    ind_result_t *w = xcalloc(nanc + 1, sizeof *w);
    const ind_result_t **wp = xcalloc(nanc + 1, sizeof *wp);
    r.by[IND_DIM_CANAL] = cells;    /* any breakdown's slot carries them */
    r.nby[IND_DIM_CANAL] = n;
    for (size_t p = 0; p < nanc; p++) {
        w[p].by[IND_DIM_CANAL] = anc[p];
        w[p].nby[IND_DIM_CANAL] = nac[p];
        wp[p] = &w[p];
    }
    ind_protect_nested(&r, wp, nanc, 1u << IND_DIM_CANAL, threshold);
    free(wp);
    free(w);
}

static void cells_free(ind_cell_t *c, size_t n)
{
    for (size_t i = 0; i < n; i++) free(c[i].key);
    free(c);
}

/* out->channels from the counts of the filtered (n) and of each of its
 * ancestors' (anc[p], nanc of them) responses: the people's channels a
 * breakdown like any other, so the same suppression and differencing
 * rules (counts_protect); then registro, never hidden, in its place. */
static void channel_publish(ind_report_t *out, const int64_t n[IND_NCHANNELS],
                            int64_t (*anc)[IND_NCHANNELS], size_t nanc, int threshold)
{
    size_t nc;
    ind_cell_t *c = channel_cells(n, &nc);
    ind_cell_t **a = xcalloc(nanc + 1, sizeof *a);
    size_t *na = xcalloc(nanc + 1, sizeof *na);
    for (size_t p = 0; p < nanc; p++) a[p] = channel_cells(anc[p], &na[p]);
    counts_protect(c, nc, a, na, nanc, threshold);
    for (size_t p = 0; p < nanc; p++) cells_free(a[p], na[p]);
    free(a);
    free(na);
    out->channels = xcalloc(IND_NCHANNELS, sizeof *out->channels);
    out->nchannels = 0;
    size_t k = 0;
    for (int i = 0; i < IND_NCHANNELS; i++) {
        if (n[i] <= 0) continue;
        if (channel_of_people(ind_channels[i]))
            out->channels[out->nchannels++] = c[k++];
        else
            out->channels[out->nchannels++] = (ind_cell_t){ .key = xstrdup(ind_channels[i]),
                                                             .value = (double)n[i], .lo = NAN,
                                                             .hi = NAN, .n = n[i] };
    }
    free(c);
}

/* Whether form answers people (a survey, a complaint), not a staff
 * register; a form no longer in the folder counts as people's. */
static bool form_of_people(const ind_env_t *env, const char *form)
{
    for (size_t i = 0; i < env->nforms; i++)
        if (!strcmp(env->forms[i]->id, form)) return !env->forms[i]->staff;
    return true;
}

/* The cells of the people's forms of out with responses, counts
 * resp[0..out->nforms) (owned by the caller, keys too); *nc their
 * number. */
static ind_cell_t *form_cells(const ind_env_t *env, const ind_report_t *out, const int64_t *resp, size_t *nc)
{
    ind_cell_t *c = xcalloc(out->nforms + 1, sizeof *c);
    *nc = 0;
    for (size_t i = 0; i < out->nforms; i++)
        if (resp[i] > 0 && form_of_people(env, out->forms[i].form))
            c[(*nc)++] = (ind_cell_t){ .key = xstrdup(out->forms[i].form), .value = (double)resp[i],
                                       .lo = NAN, .hi = NAN, .n = resp[i] };
    return c;
}

/* issue 17: out->forms[].suppressed: the people's forms' counts are a
 * breakdown of the people's answers by form, hidden like the channels'
 * (the same total: the channels line gives it); anc_resp[i * nanc + p]
 * the responses of form i under ancestor p. A register's are never
 * hidden. */
static void forms_publish(const ind_env_t *env, ind_report_t *out, const int64_t *anc_resp, size_t nanc)
{
    int64_t *resp = xcalloc(out->nforms + 1, sizeof *resp);
    for (size_t i = 0; i < out->nforms; i++) resp[i] = out->forms[i].responses;
    size_t nc;
    ind_cell_t *c = form_cells(env, out, resp, &nc);
    ind_cell_t **a = xcalloc(nanc + 1, sizeof *a);
    size_t *na = xcalloc(nanc + 1, sizeof *na);
    for (size_t p = 0; p < nanc; p++) {
        for (size_t i = 0; i < out->nforms; i++) resp[i] = anc_resp[i * nanc + p];
        a[p] = form_cells(env, out, resp, &na[p]);
    }
    counts_protect(c, nc, a, na, nanc, out->threshold);
    for (size_t k = 0; k < nc; k++)
        for (size_t i = 0; i < out->nforms; i++)
            if (!strcmp(out->forms[i].form, c[k].key)) out->forms[i].suppressed = c[k].suppressed;
    for (size_t p = 0; p < nanc; p++) cells_free(a[p], na[p]);
    free(a);
    free(na);
    cells_free(c, nc);
    free(resp);
}

store_rc_t ind_sync(store_t *s, const ind_defs_t *defs, int64_t *folded)
{
    ind_layout_t l;
    ind_layout_build(defs, &l);
    int rc = store_ind_sync(s, &l, folded);
    ind_layout_free(&l);
    return rc;
}

store_rc_t ind_compute(store_t *s, const ind_env_t *env, const ind_filter_t *f, unsigned dims,
                       ind_report_t *out)
{
    memset(out, 0, sizeof *out);
    out->filter = *f;
    out->dims = dims & IND_DIMS_ALL;
    out->threshold = env->threshold;
    out->generated_at = (int64_t)time(NULL);
    if (ind_sync(s, env->defs, NULL) != STORE_OK) return STORE_ERR;
    const ind_defs_t *defs = env->defs;
    out->r = xcalloc(defs->n + 1, sizeof *out->r);
    out->forms = xcalloc(defs->n + 1, sizeof *out->forms);
    /* Each form's aggregates are loaded once, for all its definitions; a
     * narrowing filter needs those of each of its ancestors too (the
     * query with some of its filters dropped: at most 31), for the
     * differencing rule. All of them come from one scan of the form's
     * rows (store_ind_load_many): one read per ancestor made a filtered
     * query six times slower than the whole dashboard. */
    ind_filter_t anc[IND_MAX_ANCESTORS];
    const size_t nanc = ind_filter_ancestors(f, anc);
    /* The responses per channel are always loaded: the dashboard says
     * how many came from each. */
    const unsigned canal = 1u << IND_DIM_CANAL;
    int64_t nch[IND_NCHANNELS] = { 0 }, wch[IND_MAX_ANCESTORS][IND_NCHANNELS] = { { 0 } };
    /* the filters loaded per form: the query, then its ancestors */
    ind_filter_t qf[IND_MAX_ANCESTORS + 1];
    unsigned qdims[IND_MAX_ANCESTORS + 1];
    qf[0] = *f;
    qdims[0] = out->dims | 1u << IND_DIM_MES | canal;
    for (size_t p = 0; p < nanc; p++) {
        qf[p + 1] = anc[p];
        qdims[p + 1] = out->dims | canal;
    }
    ind_accs_t *q = xcalloc(nanc + 1, sizeof *q);
    /* each form's responses under each ancestor, for forms_publish */
    int64_t *anc_resp = xcalloc((defs->n + 1) * (nanc + 1), sizeof *anc_resp);
    for (size_t i = 0; i < defs->n; i++) {
        const char *form = defs->d[i].form;
        if (f->form && strcmp(f->form, form)) continue;
        bool seen = false;
        for (size_t k = 0; k < out->nforms; k++) seen |= !strcmp(out->forms[k].form, form);
        if (seen) continue;
        /* The query (q[0]) and its ancestors from one scan of the rows
         * (store_ind_load_many): each stored row is read once, not once
         * per ancestor. */
        memset(q, 0, (nanc + 1) * sizeof *q);
        bool ok = store_ind_load_many(s, form, qf, qdims, nanc + 1, q) == STORE_OK;
        ind_accs_t *w = q + 1, x = q[0];
        if (!ok) {
            for (size_t p = 0; p <= nanc; p++) ind_accs_free(&q[p]);
            free(q);
            free(anc_resp);
            out->n = defs->n;     /* free every slot, filled or not */
            ind_report_free(out);
            return STORE_ERR;
        }
        ind_form_count_t *fc = &out->forms[out->nforms++];
        fc->form = form;
        form_count(&x, fc);
        channel_add(&x, nch);
        for (size_t p = 0; p < nanc; p++) {
            channel_add(&w[p], wch[p]);
            ind_form_count_t a;
            form_count(&w[p], &a);
            anc_resp[(out->nforms - 1) * nanc + p] = a.responses;
        }
        for (size_t j = i; j < defs->n; j++)
            if (!strcmp(defs->d[j].form, form))
                compute_def(env, &defs->d[j], &x, w, nanc, out->dims, &out->r[j]);
        for (size_t p = 0; p <= nanc; p++) ind_accs_free(&q[p]);
    }
    free(q);
    forms_publish(env, out, anc_resp, nanc);
    free(anc_resp);
    /* Keep the definitions' order, without the forms filtered out. */
    size_t n = 0;
    for (size_t j = 0; j < defs->n; j++)
        if (out->r[j].def) out->r[n++] = out->r[j];
    out->n = n;
    channel_publish(out, nch, wch, nanc, env->threshold);
    return STORE_OK;
}

store_rc_t ind_form_responses(store_t *s, const char *form, int64_t from, int64_t to, int64_t *n)
{
    *n = 0;
    if (to < from) return STORE_OK;
    ind_filter_t f = ind_filter_all();
    f.from_day = from;
    f.to_day = to;
    ind_accs_t x = { 0 };
    store_rc_t rc = store_ind_load(s, form, &f, 0, &x);
    if (rc == STORE_OK) {
        ind_form_count_t fc;
        form_count(&x, &fc);
        *n = fc.responses;
    }
    ind_accs_free(&x);
    return rc;
}

int64_t ind_data_version(store_t *s)
{
    return store_data_version(s);
}

store_rc_t ind_report_build(store_t *s, const ind_env_t *env, const bizcal_t *holidays,
                            const ind_filter_t *f, unsigned dims, int64_t now, ind_report_t *out)
{
    if (ind_compute(s, env, f, dims, out) != STORE_OK) return STORE_ERR;
    out->generated_at = now;   /* the report is as of the caller's now */
    if (cases_ind_append(out, s, env, holidays, now) == STORE_OK) return STORE_OK;
    ind_report_free(out);
    return STORE_ERR;
}

int ind_report_build_db(const char *db_path, const ind_env_t *env, const bizcal_t *holidays,
                        const ind_filter_t *f, unsigned dims, int64_t now, ind_report_t *out,
                        char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    char why[512];
    store_t *s = store_open(db_path, why, sizeof why);
    if (!s) {
        snprintf(err, errlen, "database %s: %s", db_path, why);
        return -1;
    }
    int rc = ind_report_build(s, env, holidays, f, dims, now, out);
    store_close(s);
    if (rc == STORE_OK) return 0;
    snprintf(err, errlen, "cannot read the database");
    return -1;
}
