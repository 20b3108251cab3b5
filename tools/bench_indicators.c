/*
 * bench_indicators.c: how long the indicator figures take on a database
 * (make bench runs it on a million generated responses; see
 * tools/bench_indicators.sh). A benchmark, not a test: it prints times.
 *
 *   bench_indicators --db PATH [--forms DIR] [--runs N]
 *
 * First the one-off catch-up (folding every response not yet in the
 * aggregates: the whole database the first time), then each query RUNS
 * times, reporting the median and the slowest:
 *  - dashboard: every figure /indicadores shows (all forms, no filter,
 *    breakdown by service, month and sex), as the server computes it;
 *  - api-all: GET /api/v1/indicators, every indicator with all ten
 *    breakdowns;
 *  - filtered: a period starting and ending mid-month, one service, all
 *    breakdowns (reads daily rows for the partial months);
 *  - plan: what /indicadores/plan and `buzon report` compute, the
 *    period's report and one report per distinct window of the plan's
 *    actions (service/plan.h: plan_gather), as of now.
 * Each query is ind_report_build (service/indicators.h), the path the API
 * and the dashboard serve: times include the up-to-date check, reading the
 * aggregates from SQLite and the complaints desk's figures, i.e.
 * everything but HTTP and rendering.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/catalog.h"
#include "model/indicators.h"
#include "service/indicators.h"
#include "service/plan.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* One query: a report of f (plan: the plan page's reports), freed; the
 * figures it gave in *cells. STORE_OK or STORE_ERR. */
static store_rc_t one(store_t *s, const ind_env_t *env, const bizcal_t *holidays, const ind_plan_t *plan,
                      const ind_filter_t *f, unsigned dims, size_t *cells)
{
    ind_report_t rep;
    int64_t now = (int64_t)time(NULL);
    if (ind_report_build(s, env, holidays, f, dims, now, &rep) != STORE_OK) return STORE_ERR;
    *cells = 0;
    for (size_t k = 0; k < rep.n; k++) {
        (*cells)++;
        for (int d = 0; d < IND_DIM_COUNT; d++) *cells += rep.r[k].nby[d];
    }
    ind_report_free(&rep);
    if (!plan) return STORE_OK;
    plan_row_t *rows;
    int64_t as_of;
    if (plan_gather(s, env, holidays, plan, f, now, &rows, &as_of) != STORE_OK) return STORE_ERR;
    for (size_t i = 0; i < plan->n; i++) *cells += rows[i].headline != NULL;
    plan_rows_free(rows, plan->n);
    return STORE_OK;
}

/* Run one query runs times; print "name median max". */
static int measure(const char *name, store_t *s, const ind_env_t *env, const bizcal_t *holidays,
                   const ind_plan_t *plan, const ind_filter_t *f, unsigned dims, int runs)
{
    double *t = calloc((size_t)runs, sizeof *t);
    if (!t) return 1;
    size_t cells = 0;
    for (int i = 0; i < runs; i++) {
        double t0 = now_ms();
        if (one(s, env, holidays, plan, f, dims, &cells) != STORE_OK) {
            fprintf(stderr, "bench_indicators: %s failed\n", name);
            free(t);
            return 1;
        }
        t[i] = now_ms() - t0;
    }
    qsort(t, (size_t)runs, sizeof *t, cmp_double);
    printf("%-10s %8.2f ms median %8.2f ms max  (%zu figures)\n", name, t[runs / 2], t[runs - 1], cells);
    free(t);
    return 0;
}

int main(int argc, char **argv)
{
    const char *db = NULL, *forms_dir = "forms";
    int runs = 20;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--db")) db = argv[i + 1];
        else if (!strcmp(argv[i], "--forms")) forms_dir = argv[i + 1];
        else if (!strcmp(argv[i], "--runs")) runs = atoi(argv[i + 1]);
    }
    if (!db || runs < 1) {
        fputs("usage: bench_indicators --db PATH [--forms DIR] [--runs N]\n", stderr);
        return 2;
    }
    catalog_t cat;
    if (catalog_open(forms_dir, &cat, stderr) < 0) return 1;
    form_t **forms = cat.forms;
    size_t nforms = cat.nforms;
    char err[512];
    store_t *s = store_open(db, err, sizeof err);
    if (!s) {
        fprintf(stderr, "bench_indicators: %s\n", err);
        return 1;
    }
    int64_t n = 0;
    for (size_t i = 0; i < nforms; i++) n += store_count_responses(s, forms[i]->id);
    printf("bench_indicators: %s, %lld responses, %zu indicators\n", db, (long long)n, cat.indicators.n);

    int64_t folded;
    double t0 = now_ms();
    if (ind_sync(s, &cat.indicators, &folded) != STORE_OK) return 1;
    printf("%-10s %8.0f ms once    (%lld responses folded into the aggregates)\n", "catch-up",
           now_ms() - t0, (long long)folded);

    ind_env_t env = { &cat.indicators, forms, nforms, &cat.points, IND_THRESHOLD_DEFAULT };
    ind_filter_t all = ind_filter_all(), filtered = ind_filter_all();
    ind_parse_date("2025-01-15", &filtered.from_day);
    ind_parse_date("2025-04-10", &filtered.to_day);
    filtered.service = "mercado";
    unsigned dash = 1u << IND_DIM_SERVICIO | 1u << IND_DIM_MES | 1u << IND_DIM_SEXO;
    const bizcal_t *hol = &cat.holidays;
    int rc = measure("dashboard", s, &env, hol, NULL, &all, dash, runs) ||
             measure("api-all", s, &env, hol, NULL, &all, IND_DIMS_ALL, runs) ||
             measure("filtered", s, &env, hol, NULL, &filtered, IND_DIMS_ALL, runs) ||
             measure("plan", s, &env, hol, &cat.plan, &all, 0, runs);

    store_close(s);
    catalog_free(&cat);
    return rc;
}
