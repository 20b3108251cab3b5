/*
 * indicators_stats.c: the statistics behind every figure: Student's t
 * quantile, Wilson's interval for shares, the t-interval for means, and
 * cell suppression. Pure functions, tested against hand-computed values.
 */
#include "indicators.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

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

/* Index of the visible cell with the smallest n, or -1. */
static long smallest_visible(const ind_cell_t *c, size_t n)
{
    long best = -1;
    for (size_t i = 0; i < n; i++)
        if (!c[i].suppressed && (best < 0 || c[i].n < c[best].n)) best = (long)i;
    return best;
}

void ind_suppress(ind_cell_t *cells, size_t n, int threshold)
{
    size_t hidden = 0;
    int64_t hidden_n = 0;
    for (size_t i = 0; i < n; i++)
        if (cells[i].n < threshold) {
            cells[i].suppressed = true;
            hidden++;
            hidden_n += cells[i].n;
        }
    /* One hidden cell is the total minus the visible ones; several hidden
     * cells together must still be a group of at least threshold. */
    while (hidden && (hidden == 1 || hidden_n < threshold)) {
        long i = smallest_visible(cells, n);
        if (i < 0) break;
        cells[i].suppressed = true;
        hidden++;
        hidden_n += cells[i].n;
    }
    for (size_t i = 0; i < n; i++)
        if (cells[i].suppressed) {
            cells[i].value = cells[i].lo = cells[i].hi = NAN;
            cells[i].n = -1;
        }
}
