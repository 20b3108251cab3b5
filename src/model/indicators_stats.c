/*
 * indicators_stats.c: the statistics behind every figure: Student's t
 * quantile, Wilson's interval for shares, the t-interval for means, and
 * cell suppression (of small groups, and of figures that differencing
 * against the unfiltered ones would single out). Pure functions, tested
 * against hand-computed values.
 */
#include "model/indicators.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* z(0.975). */
#define Z975 1.959963984540054

double ind_t975(int64_t df)
{
    /* Exact values for small samples, where the series below is poor. */
    static const double table[31] = {
        NAN, 12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836,
        2.446911851, 2.364624252, 2.306004135, 2.262157163, 2.228138852,
        2.200985160, 2.178812830, 2.160368656, 2.144786688, 2.131449546,
        2.119905299, 2.109815578, 2.100922040, 2.093024054, 2.085963447,
        2.079613845, 2.073873068, 2.068657610, 2.063898562, 2.059538553,
        2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456,
    };
    assert(df >= 1);
    if (df <= 30) return table[df];
    /* Cornish-Fisher expansion of t around z (Abramowitz & Stegun 26.7.5):
     * within 1e-6 of the exact quantile from 30 degrees of freedom up. */
    double z = Z975, n = (double)df;
    double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z;
    return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n) +
           (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n) +
           (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * n * n * n * n);
}

void ind_wilson(double x, double n, double *lo, double *hi)
{
    if (n <= 0) {
        *lo = *hi = NAN;
        return;
    }
    double p = x / n, z2 = Z975 * Z975;
    double den = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / den;
    double half = Z975 / den * sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    /* At p = 0 or 1 the bound is exactly 0 or 1; rounding would leave
     * 1e-17 or 0.99999999999999989. */
    *lo = x <= 0 ? 0 : fmax(0, centre - half);
    *hi = x >= n ? 1 : fmin(1, centre + half);
}

void ind_mean_ci(double n, double sum, double sumsq, double *mean, double *half)
{
    *mean = n > 0 ? sum / n : NAN;
    *half = NAN;
    if (n < 2) return;
    /* Counts are whole numbers held in doubles; sums of squares of means
     * may carry rounding, so a variance that should be 0 can come out as
     * -1e-15. */
    double var = fmax(0, (sumsq - sum * sum / n) / (n - 1));
    *half = ind_t975((int64_t)n - 1) * sqrt(var / n);
}

/* Index of the visible cell with the smallest n, or -1; with gap, only
 * among the cells whose gap is positive. */
static long smallest_visible(const ind_cell_t *c, size_t n, const int64_t *gap)
{
    long best = -1;
    for (size_t i = 0; i < n; i++)
        if (!c[i].suppressed && (!gap || gap[i] > 0) && (best < 0 || c[i].n < c[best].n)) best = (long)i;
    return best;
}

/* A group of 1..threshold-1 respondents: few enough to be singled out. */
static bool small_group(int64_t n, int threshold)
{
    return n > 0 && n < threshold;
}

/* Primary, secondary and complementary suppression of one breakdown.
 * gap[p][i] (np vectors, none when np is 0) is how many respondents of
 * cell i the ancestor query p (the same figure with some narrowing filters
 * dropped) has and this one does not; absent[p] is the respondents of p's
 * cells that have no cell here at all. Every ancestor is held to the
 * rule, so two nested queries never differ by a small group. */
static void suppress(ind_cell_t *cells, size_t n, int64_t *const *gap, const int64_t *absent,
                     size_t np, int threshold)
{
    size_t hidden = 0;
    int64_t hidden_n = 0;
    int64_t *hidden_gap = xcalloc(np + 1, sizeof *hidden_gap);
    for (size_t p = 0; p < np; p++) hidden_gap[p] = absent[p];
    for (size_t i = 0; i < n; i++) {
        bool hide = cells[i].n < threshold;
        for (size_t p = 0; p < np && !hide; p++) hide = small_group(gap[p][i], threshold);
        if (!hide) continue;
        cells[i].suppressed = true;
        hidden++;
        hidden_n += cells[i].n;
        for (size_t p = 0; p < np; p++) hidden_gap[p] += gap[p][i];
    }
    for (;;) {
        /* One hidden cell is the total minus the visible ones; several
         * hidden cells together must still be a group of at least
         * threshold. */
        bool small = hidden && (hidden == 1 || hidden_n < threshold);
        /* The hidden cells (with the absent ones) are what the filtered
         * total minus the visible cells gives; compared with the same
         * cells of an ancestor, they must not differ by a small group.
         * When no visible cell differs, hiding one keeps the filtered
         * total from being rebuilt at all (it is then hidden itself). */
        long i = -1;
        for (size_t p = 0; p < np && i < 0; p++) {
            if (!small_group(hidden_gap[p], threshold)) continue;
            i = smallest_visible(cells, n, gap[p]);
            if (i < 0 && !hidden) i = smallest_visible(cells, n, NULL);
        }
        if (i < 0 && small) i = smallest_visible(cells, n, NULL);
        if (i < 0) break;
        cells[i].suppressed = true;
        hidden++;
        hidden_n += cells[i].n;
        for (size_t p = 0; p < np; p++) hidden_gap[p] += gap[p][i];
    }
    free(hidden_gap);
    for (size_t i = 0; i < n; i++)
        if (cells[i].suppressed) {
            cells[i].value = cells[i].lo = cells[i].hi = NAN;
            cells[i].n = -1;
        }
}

void ind_suppress(ind_cell_t *cells, size_t n, int threshold)
{
    suppress(cells, n, NULL, NULL, 0, threshold);
}

bool ind_filter_narrows(const ind_filter_t *f)
{
    return f->point || f->service || f->channel || f->from_day != IND_DAY_MIN || f->to_day != IND_DAY_MAX;
}

/* The n of whole's cell with this key, or 0. */
static int64_t whole_n(const ind_cell_t *w, size_t nw, const char *key)
{
    for (size_t i = 0; i < nw; i++)
        if (!strcmp(w[i].key, key)) return w[i].n;
    return 0;
}

/* Bit of each narrowing filter of f that is set (ind_filter_ancestors). */
enum { NF_POINT = 1, NF_SERVICE = 2, NF_CHANNEL = 4, NF_FROM = 8, NF_TO = 16, NF_ALL = 31 };

static unsigned narrowing(const ind_filter_t *f)
{
    return (f->point ? NF_POINT : 0) | (f->service ? NF_SERVICE : 0) | (f->channel ? NF_CHANNEL : 0) |
           (f->from_day != IND_DAY_MIN ? NF_FROM : 0) | (f->to_day != IND_DAY_MAX ? NF_TO : 0);
}

size_t ind_filter_ancestors(const ind_filter_t *f, ind_filter_t out[IND_MAX_ANCESTORS])
{
    unsigned set = narrowing(f);
    size_t n = 0;
    /* Every proper subset of the set filters, kept; the whole (none kept)
     * first, as the one ancestor of a query with a single filter. */
    for (unsigned keep = 0; keep < NF_ALL; keep++) {
        if ((keep & set) != keep || keep == set) continue;
        ind_filter_t a = *f;
        if (!(keep & NF_POINT)) a.point = NULL;
        if (!(keep & NF_SERVICE)) a.service = NULL;
        if (!(keep & NF_CHANNEL)) a.channel = NULL;
        if (!(keep & NF_FROM)) a.from_day = IND_DAY_MIN;
        if (!(keep & NF_TO)) a.to_day = IND_DAY_MAX;
        out[n++] = a;
    }
    return n;
}

void ind_protect(ind_result_t *r, const ind_result_t *whole, unsigned dims, int threshold)
{
    ind_protect_nested(r, whole ? &whole : NULL, whole ? 1 : 0, dims, threshold);
}

void ind_protect_nested(ind_result_t *r, const ind_result_t *const *anc, size_t nanc, unsigned dims,
                        int threshold)
{
    assert(r && threshold >= 1);
    ind_cell_t *t = &r->total;
    bool gap = false;
    for (size_t p = 0; p < nanc && t->n > 0; p++) gap |= small_group(anc[p]->total.n - t->n, threshold);
    if (t->n < threshold || gap) {
        t->suppressed = true;
        t->value = t->lo = t->hi = NAN;
    }
    /* A suppressed figure's n would tell how many were left out, or
     * that fewer than threshold answered (issue 17): hidden too; a figure
     * nobody answered keeps its 0 ("no data"). */
    if (t->suppressed && t->n != 0) t->n = -1;
    for (int d = 0; d < IND_DIM_COUNT; d++) {
        if (!(dims & 1u << d) || !r->by[d]) continue;
        ind_cell_t *c = r->by[d];
        size_t n = r->nby[d];
        int64_t **gaps = xcalloc(nanc + 1, sizeof *gaps);
        int64_t *absent = xcalloc(nanc + 1, sizeof *absent);
        size_t np = 0;
        for (size_t p = 0; p < nanc; p++) {
            if (!anc[p]->by[d]) continue;
            const ind_cell_t *w = anc[p]->by[d];
            size_t nw = anc[p]->nby[d];
            int64_t *g = gaps[np] = xcalloc(n + 1, sizeof *g);
            for (size_t i = 0; i < n; i++) {
                int64_t k = whole_n(w, nw, c[i].key) - c[i].n;
                g[i] = k > 0 ? k : 0;
            }
            for (size_t k = 0; k < nw; k++) {
                bool here = false;
                for (size_t i = 0; i < n && !here; i++) here = !strcmp(c[i].key, w[k].key);
                if (!here) absent[np] += w[k].n;
            }
            np++;
        }
        suppress(c, n, gaps, absent, np, threshold);
        for (size_t p = 0; p < np; p++) free(gaps[p]);
        free(gaps);
        free(absent);
    }
}
