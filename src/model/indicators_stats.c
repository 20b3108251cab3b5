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
 * gap[i] (NULL: none) is how many respondents of cell i the unfiltered
 * figure has and this one does not; absent is the respondents of the
 * unfiltered cells that have no cell here at all. */
static void suppress(ind_cell_t *cells, size_t n, const int64_t *gap, int64_t absent, int threshold)
{
    size_t hidden = 0;
    int64_t hidden_n = 0, hidden_gap = absent;
    for (size_t i = 0; i < n; i++)
        if (cells[i].n < threshold || (gap && small_group(gap[i], threshold))) {
            cells[i].suppressed = true;
            hidden++;
            hidden_n += cells[i].n;
            hidden_gap += gap ? gap[i] : 0;
        }
    for (;;) {
        /* One hidden cell is the total minus the visible ones; several
         * hidden cells together must still be a group of at least
         * threshold. */
        bool small = hidden && (hidden == 1 || hidden_n < threshold);
        /* The hidden cells (with the absent ones) are what the filtered
         * total minus the visible cells gives; compared with the same
         * cells unfiltered, they must not differ by a small group. When no
         * visible cell differs, hiding one keeps the filtered total from
         * being rebuilt at all (it is then hidden itself). */
        bool exposed = small_group(hidden_gap, threshold);
        long i = exposed ? smallest_visible(cells, n, gap) : -1;
        if (i < 0 && exposed && !hidden) i = smallest_visible(cells, n, NULL);
        if (i < 0 && small) i = smallest_visible(cells, n, NULL);
        if (i < 0) break;
        cells[i].suppressed = true;
        hidden++;
        hidden_n += cells[i].n;
        hidden_gap += gap ? gap[i] : 0;
    }
    for (size_t i = 0; i < n; i++)
        if (cells[i].suppressed) {
            cells[i].value = cells[i].lo = cells[i].hi = NAN;
            cells[i].n = -1;
        }
}

void ind_suppress(ind_cell_t *cells, size_t n, int threshold)
{
    suppress(cells, n, NULL, 0, threshold);
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

void ind_protect(ind_result_t *r, const ind_result_t *whole, unsigned dims, int threshold)
{
    assert(r && threshold >= 1);
    ind_cell_t *t = &r->total;
    bool gap = whole && t->n > 0 && small_group(whole->total.n - t->n, threshold);
    if (t->n < threshold || gap) {
        t->suppressed = true;
        t->value = t->lo = t->hi = NAN;
    }
    if (gap) t->n = -1;   /* it would tell how many were left out */
    for (int d = 0; d < IND_DIM_COUNT; d++) {
        if (!(dims & 1u << d) || !r->by[d]) continue;
        ind_cell_t *c = r->by[d];
        size_t n = r->nby[d];
        if (!whole || !whole->by[d]) {
            suppress(c, n, NULL, 0, threshold);
            continue;
        }
        const ind_cell_t *w = whole->by[d];
        size_t nw = whole->nby[d];
        int64_t *gaps = xcalloc(n + 1, sizeof *gaps), absent = 0;
        for (size_t i = 0; i < n; i++) {
            int64_t g = whole_n(w, nw, c[i].key) - c[i].n;
            gaps[i] = g > 0 ? g : 0;
        }
        for (size_t k = 0; k < nw; k++) {
            bool here = false;
            for (size_t i = 0; i < n && !here; i++) here = !strcmp(c[i].key, w[k].key);
            if (!here) absent += w[k].n;
        }
        suppress(c, n, gaps, absent, threshold);
        free(gaps);
    }
}
