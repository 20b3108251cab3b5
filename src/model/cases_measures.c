/*
 * cases_measures.c: how the complaints desk keeps the Carta de Servicios
 * (plan actions 6 and 7): business days to first answer and to closure
 * (median and 90th percentile), % of cases within the promised time, and
 * the open backlog by age (see cases.h for the definitions).
 *
 * Everything is computed from the case rows in C, because business days
 * need the holiday calendar; a municipality's cases number in the
 * thousands a year, which this does in well under a millisecond per
 * hundred. Pure computation on records (base/ and model/ only); reading
 * the records from the store is service/case_measures.c.
 */
#include "model/cases.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

const int case_backlog_upper[CASE_BACKLOG_BUCKETS - 1] = { 5, 10, 20 };

int cases_backlog_bucket(int age)
{
    int b = 0;
    while (b < CASE_BACKLOG_BUCKETS - 1 && age > case_backlog_upper[b]) b++;
    return b;
}

int cases_age(const case_rec_t *c, const bizcal_t *cal, int64_t now)
{
    return bizdays_between(cal, bizdays_from_time(c->created_at), bizdays_from_time(now));
}

bool cases_overdue(const case_rec_t *c, int64_t now)
{
    return c->status != CASE_CLOSED && !cases_is_compliment(c->kind) && c->standard_days >= 0 &&
           !c->first_answer_at && bizdays_from_time(now) > c->due;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Percentile p (0..1) of sorted v[0..n) by linear interpolation between
 * order statistics (Excel PERCENTILE.INC, R type 7); NAN when n = 0. */
static double percentile(const int *v, size_t n, double p)
{
    if (!n) return NAN;
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    size_t hi = lo + 1 < n ? lo + 1 : lo;
    return v[lo] + (h - (double)lo) * (v[hi] - v[lo]);
}

/* Wilson score interval at 95% for k of n, in %. */
static void wilson(size_t k, size_t n, double *lo, double *hi)
{
    if (!n) {
        *lo = *hi = NAN;
        return;
    }
    const double z = 1.959963984540054;
    double p = (double)k / (double)n, z2n = z * z / (double)n;
    double centre = (p + z2n / 2) / (1 + z2n);
    double half = z * sqrt(p * (1 - p) / (double)n + z2n / (4 * (double)n)) / (1 + z2n);
    *lo = 100 * fmax(0, centre - half);
    *hi = 100 * fmin(1, centre + half);
}

void cases_measure_recs(const case_rec_t *recs, size_t n, const bizcal_t *cal, int64_t now,
                        case_measures_t *out)
{
    assert((recs || !n) && cal && out);
    memset(out, 0, sizeof *out);
    int *to_answer = xcalloc(n ? n : 1, sizeof *to_answer);
    int *to_close = xcalloc(n ? n : 1, sizeof *to_close);
    for (size_t i = 0; i < n; i++) {
        const case_rec_t *c = &recs[i];
        int32_t received = bizdays_from_time(c->created_at);
        bool closed_ = c->status == CASE_CLOSED;
        out->n++;
        /* Only counted: a compliment needs no answer; a duplicate or spam
         * is not a request the desk could answer on time or late. */
        if (cases_is_compliment(c->kind)) {
            out->compliments++;
            continue;
        }
        if (closed_ && c->close_reason == CASE_REASON_DUPLICATE) {
            out->duplicates++;
            continue;
        }
        if (closed_ && c->close_reason == CASE_REASON_SPAM) {
            out->spam++;
            continue;
        }
        if (closed_ && c->close_reason == CASE_REASON_OUT_OF_SCOPE) out->out_of_scope++;
        if (c->first_answer_at) {
            int32_t answered = bizdays_from_time(c->first_answer_at);
            to_answer[out->answered++] = bizdays_between(cal, received, answered);
            /* Within the standard only by the first public answer. */
            if (c->standard_days >= 0) {
                out->judged++;
                out->within += answered <= c->due;
            }
        }
        if (closed_) {
            to_close[out->closed++] = bizdays_between(cal, received, bizdays_from_time(c->closed_at));
            if (!c->first_answer_at) {
                out->closed_unanswered++;   /* a failure, whenever it was closed */
                if (c->standard_days >= 0) out->judged++;
            }
            continue;
        }
        out->open++;
        if (cases_overdue(c, now)) {
            out->overdue_open++;
            out->judged++;
        }
        out->backlog[cases_backlog_bucket(cases_age(c, cal, now))]++;
    }
    qsort(to_answer, out->answered, sizeof *to_answer, cmp_int);
    qsort(to_close, out->closed, sizeof *to_close, cmp_int);
    out->answer_median = percentile(to_answer, out->answered, 0.5);
    out->answer_p90 = percentile(to_answer, out->answered, 0.9);
    out->close_median = percentile(to_close, out->closed, 0.5);
    out->close_p90 = percentile(to_close, out->closed, 0.9);
    out->pct_within = out->judged ? 100.0 * (double)out->within / (double)out->judged : NAN;
    wilson(out->within, out->judged, &out->pct_lo, &out->pct_hi);
    free(to_answer);
    free(to_close);
}
