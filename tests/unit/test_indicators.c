/*
 * test_indicators.c: the indicators, from stored responses to the figures
 * planners download, on fixed datasets whose expected values are worked
 * out by hand in the comments (4 decimals, as the JSON gives them).
 *
 * The fixture is tests/fixtures/indicators/forms: a form "encuesta" with
 * two rating items p1, p2, a choice question tipo (a, b, x = "no sé"), a
 * number num and sexo; a form "otra"; two points; definitions of every
 * kind; a three-action plan whose action 10 ends before it starts. The
 * dataset is the twelve responses of add_dataset(), each in its own
 * database under /tmp.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "base/bizdays.h"
#include "base/buf.h"
#include "model/indicators.h"
#include "service/indicators.h"
#include "store/store_entries.h"
#include "store/store_ind.h"
#include "view/ind_out.h"
#include "view/render_dash.h"
#include "model/plan.h"
#include "service/plan.h"
#include "testsrv.h"

/* ---- fixture ------------------------------------------------------------------ */

typedef struct fx {
    char       dir[64];
    char       db[128];
    store_t   *s;
    form_t   **forms;
    size_t     nforms;
    points_t   points;
    ind_defs_t defs;
    ind_plan_t plan;
    ind_env_t  env;
    int        serial;
} fx_t;

/* The plan page as of 2025-03-15 (issue 18: render_plan takes the rows). */
static void plan_page(buf_t *b, fx_t *f, const ind_report_t *r, lang_t lang)
{
    ind_plan_view_t v = { .as_of = bizdays_from_civil(2025, 3, 15) };
    /* every action judged on r as if r were its window (the windows
     * themselves are service/plan.c's, tested over HTTP) */
    plan_row_t *rows = xcalloc(f->plan.n + 1, sizeof *rows);
    for (size_t i = 0; i < f->plan.n; i++) plan_row_fill(&rows[i], &f->plan.a[i], r, 0, v.as_of);
    render_plan(b, &f->env, &f->plan, r, rows, &v, lang);
    plan_rows_free(rows, f->plan.n);
}

static void forms_dir(buf_t *b, const char *sub)
{
    buf_printf(b, "%s/%s", test_root(), sub);
}

static int setup(void **state)
{
    fx_t *f = xcalloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/buzon-test-ind-XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    snprintf(f->db, sizeof f->db, "%s/buzon.db", f->dir);
    buf_t d;
    buf_init(&d);
    forms_dir(&d, "tests/fixtures/indicators/forms");
    diag_t diag = { 0 };
    f->nforms = form_load_all(d.data, &f->forms, &diag);
    int bad = diag.n || points_load(d.data, &f->points, &diag) < 0 ||
              ind_load_files(d.data, f->forms, f->nforms, &f->defs, &f->plan, &diag) < 0;
    for (size_t i = 0; i < diag.n; i++) fprintf(stderr, "%s\n", diag.lines[i]);
    diag_free(&diag);
    buf_free(&d);
    char err[256];
    f->s = bad ? NULL : store_open(f->db, err, sizeof err);
    if (!f->s) return -1;
    f->env = (ind_env_t){ &f->defs, f->forms, f->nforms, &f->points, 3 };
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;
    store_close(f->s);
    ind_defs_free(&f->defs);
    ind_plan_free(&f->plan);
    points_free(&f->points);
    form_free_all(f->forms, f->nforms);
    static const char *const suffixes[] = { "", "-wal", "-shm" };
    for (size_t i = 0; i < 3; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s%s", f->db, suffixes[i]);
        unlink(p);
    }
    int rc = rmdir(f->dir);
    free(f);
    return rc;
}

/* Store one response of form answered on local day "YYYY-MM-DD" at a
 * local hour; answers as "q=v q=v". */
static void add(fx_t *f, const char *form, const char *day, int hour, const char *point,
                const char *lang, const char *channel, const char *answers)
{
    int64_t d, fv = 0;
    assert_true(ind_parse_date(day, &d));
    for (size_t i = 0; i < f->nforms; i++)
        if (!strcmp(f->forms[i]->id, form))
            assert_int_equal(store_form_version(f->s, form, f->forms[i]->version, f->forms[i]->hash,
                                                f->forms[i]->source, &fv), STORE_OK);
    char *copy = xstrdup(answers), *save = NULL;
    store_answer_t a[16];
    size_t n = 0;
    for (char *t = strtok_r(copy, " ", &save); t && n < 16; t = strtok_r(NULL, " ", &save)) {
        char *eq = strchr(t, '=');
        *eq = '\0';
        a[n++] = (store_answer_t){ t, eq + 1 };
    }
    char sid[40];
    snprintf(sid, sizeof sid, "test-%08d-0000", ++f->serial);
    store_response_t r = {
        .submission_id = sid, .form_version_id = fv, .form_id = form, .point_id = point,
        .lang = lang, .channel = channel,
        /* local time is UTC-4 */
        .submitted_hour = d * 86400 + (hour + 4) * 3600, .duration_s = 60,
        .answers = a, .nanswers = n,
    };
    assert_int_equal(store_submit(f->s, &r), STORE_OK);
    free(copy);
}

/* The dataset (responses R1..R12 of the comments):
 *
 *  R  local day   point      service  lang chan   p1 p2 tipo num sexo
 *  1  2025-01-10  mercado-1  mercado  es   web    5  4  a    3   mujer
 *  2  2025-01-10  mercado-1  mercado  es   web    4  4  a    5   mujer
 *  3  2025-01-12  mercado-1  mercado  ht   web    4  5  b    2   mujer
 *  4  2025-01-15  -          mercado  es   paper  3  na x    7   hombre  (22:00, UTC Jan 16)
 *  5  2025-01-20  oficina-1  oficina  es   web    5  5  a    4   hombre
 *  6  2025-01-31  oficina-1  oficina  ht   web    2  3  b    1   hombre
 *  7  2025-02-01  oficina-1  oficina  es   web    1  2  a    6   otro
 *  8  2025-02-03  oficina-1  oficina  es   paper  4  3  -    3   nr
 *  9  2025-02-14  -          oficina  es   web    5  4  b    5   -
 * 10  2025-02-28  mercado-1  mercado  es   web    na 4  a    -   mujer
 * 11  2025-02-28  mercado-1  mercado  es   web    3  -  x    4   hombre
 * 12  2025-02-28  oficina-1  oficina  es   web    4  5  a    2   mujer
 */
static void add_dataset(fx_t *f)
{
    add(f, "encuesta", "2025-01-10", 9, "mercado-1", "es", "web", "servicio=mercado p1=5 p2=4 tipo=a num=3 sexo=mujer");
    add(f, "encuesta", "2025-01-10", 10, "mercado-1", "es", "web", "servicio=mercado p1=4 p2=4 tipo=a num=5 sexo=mujer");
    add(f, "encuesta", "2025-01-12", 9, "mercado-1", "ht", "web", "servicio=mercado p1=4 p2=5 tipo=b num=2 sexo=mujer");
    add(f, "encuesta", "2025-01-15", 22, NULL, "es", "paper", "servicio=mercado p1=3 p2=na tipo=x num=7 sexo=hombre");
    add(f, "encuesta", "2025-01-20", 11, "oficina-1", "es", "web", "servicio=oficina p1=5 p2=5 tipo=a num=4 sexo=hombre");
    add(f, "encuesta", "2025-01-31", 15, "oficina-1", "ht", "web", "servicio=oficina p1=2 p2=3 tipo=b num=1 sexo=hombre");
    add(f, "encuesta", "2025-02-01", 8, "oficina-1", "es", "web", "servicio=oficina p1=1 p2=2 tipo=a num=6 sexo=otro");
    add(f, "encuesta", "2025-02-03", 9, "oficina-1", "es", "paper", "servicio=oficina p1=4 p2=3 num=3 sexo=nr");
    add(f, "encuesta", "2025-02-14", 12, NULL, "es", "web", "servicio=oficina p1=5 p2=4 tipo=b num=5");
    add(f, "encuesta", "2025-02-28", 9, "mercado-1", "es", "web", "servicio=mercado p1=na p2=4 tipo=a sexo=mujer");
    add(f, "encuesta", "2025-02-28", 10, "mercado-1", "es", "web", "servicio=mercado p1=3 tipo=x num=4 sexo=hombre");
    add(f, "encuesta", "2025-02-28", 11, "oficina-1", "es", "web", "servicio=oficina p1=4 p2=5 tipo=a num=2 sexo=mujer");
}

static void compute(fx_t *f, const ind_filter_t *flt, unsigned dims, ind_report_t *r)
{
    assert_int_equal(ind_compute(f->s, &f->env, flt, dims, r), STORE_OK);
}

static const ind_result_t *result(const ind_report_t *r, const char *id)
{
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->r[i].def->id, id)) return &r->r[i];
    fail_msg("no result %s", id);
    return NULL;
}

static const ind_cell_t *cell(const ind_result_t *r, ind_dim_t dim, const char *key)
{
    for (size_t i = 0; i < r->nby[dim]; i++)
        if (!strcmp(r->by[dim][i].key, key)) return &r->by[dim][i];
    fail_msg("no cell %s in %s of %s", key, ind_dim_name(dim), r->def->id);
    return NULL;
}

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 5e-5)

static void assert_figure(const ind_cell_t *c, double value, int64_t n, double lo, double hi)
{
    NEAR(c->value, value);
    assert_int_equal(c->n, n);
    if (isnan(lo)) {
        assert_true(isnan(c->lo) && isnan(c->hi));
    } else {
        NEAR(c->lo, lo);
        NEAR(c->hi, hi);
    }
    assert_false(c->suppressed);
}

static ind_filter_t period(const char *from, const char *to)
{
    ind_filter_t f = ind_filter_all();
    if (from) assert_true(ind_parse_date(from, &f.from_day));
    if (to) assert_true(ind_parse_date(to, &f.to_day));
    return f;
}

/* ---- statistics ------------------------------------------------------------------ */

static void test_t_quantiles_match_tables(void **state)
{
    (void)state;
    NEAR(ind_t975(1), 12.7062);
    NEAR(ind_t975(10), 2.2281);
    NEAR(ind_t975(30), 2.0423);
    /* past the table, the series: t(0.975, 40) = 2.0211, 60: 2.0003, 120: 1.9799 */
    NEAR(ind_t975(40), 2.0211);
    NEAR(ind_t975(60), 2.0003);
    NEAR(ind_t975(120), 1.9799);
}

static void test_wilson_bounds(void **state)
{
    (void)state;
    double lo, hi;
    /* 7 of 11: p = .63636, z^2 = 3.84146, centre = (p + z^2/22) / (1 + z^2/11)
     * = .81097 / 1.34922 = .60106, half = 1.95996 / 1.34922 *
     * sqrt(p(1-p)/11 + z^2/484) = 1.45266 * .17022 = .24727 */
    ind_wilson(7, 11, &lo, &hi);
    assert_true(fabs(lo - 0.3538) < 5e-5 && fabs(hi - 0.8483) < 5e-5);
    /* 0 of 10: centre = half = .13877 */
    ind_wilson(0, 10, &lo, &hi);
    assert_true(lo == 0 && fabs(hi - 0.2775) < 5e-5);
    ind_wilson(10, 10, &lo, &hi);
    assert_true(fabs(lo - 0.7225) < 5e-5 && hi == 1);
}

static void test_mean_interval(void **state)
{
    (void)state;
    double mean, half;
    /* 2, 4, 6: mean 4, s = 2, t(2) = 4.3027, half = 4.3027 * 2 / sqrt(3) */
    ind_mean_ci(3, 12, 56, &mean, &half);
    NEAR(mean, 4);
    NEAR(half, 4.302652730 * 2 / sqrt(3));
    ind_mean_ci(1, 5, 25, &mean, &half);
    assert_true(isnan(half));
}

static ind_cell_t mk(const char *key, int64_t n)
{
    return (ind_cell_t){ (char *)key, 50, 40, 60, n, false };
}

static void test_suppression_primary_and_secondary(void **state)
{
    (void)state;
    /* One small cell: the next smallest goes too, or it would be the
     * total minus the others. */
    ind_cell_t a[] = { mk("a", 2), mk("b", 15), mk("c", 20), mk("d", 30) };
    ind_suppress(a, 4, 10);
    assert_true(a[0].suppressed && a[1].suppressed);
    assert_false(a[2].suppressed || a[3].suppressed);
    assert_true(isnan(a[1].value) && a[1].n == -1 && isnan(a[1].lo));
    assert_int_equal(a[2].n, 20);
    /* Two small cells that together are still a small group (3 + 4 < 10):
     * the smallest visible one joins them. */
    ind_cell_t b[] = { mk("a", 3), mk("b", 4), mk("c", 50), mk("d", 60) };
    ind_suppress(b, 4, 10);
    assert_true(b[0].suppressed && b[1].suppressed && b[2].suppressed);
    assert_false(b[3].suppressed);
    /* Two small cells that add up to the threshold are enough. */
    ind_cell_t c[] = { mk("a", 4), mk("b", 6), mk("c", 50) };
    ind_suppress(c, 3, 10);
    assert_true(c[0].suppressed && c[1].suppressed);
    assert_false(c[2].suppressed);
    /* Nothing small: nothing hidden. */
    ind_cell_t d[] = { mk("a", 10), mk("b", 11) };
    ind_suppress(d, 2, 10);
    assert_false(d[0].suppressed || d[1].suppressed);
}

/* ---- dates ------------------------------------------------------------------------- */

static void test_dates_are_santo_domingo_days(void **state)
{
    (void)state;
    int64_t d15, d16;
    assert_true(ind_parse_date("2025-01-15", &d15));
    assert_true(ind_parse_date("2025-01-16", &d16));
    /* 2025-01-16 03:00 UTC is 23:00 on the 15th in Santo Domingo. */
    assert_int_equal(bizdays_from_time(d16 * 86400 + 3 * 3600), d15);
    assert_int_equal(bizdays_from_time(d16 * 86400 + 4 * 3600), d16);
    assert_true(ind_parse_date("2024-02-29", &d15));
    assert_false(ind_parse_date("2025-02-29", &d15));
    assert_false(ind_parse_date("2025-1-05", &d15));
    assert_false(ind_parse_date("2025-01-05x", &d15));
    assert_int_equal(ind_day_to_ym(d16), 2025 * 12 + 0);
    /* Regression (issue 12, one date parser): the filter parser refused
     * dates before 1970 while a survey's date answers took them; a date
     * before 1970 is a real date with a negative day number. */
    assert_true(ind_parse_date("1969-12-31", &d15));
    assert_int_equal(d15, -1);
    assert_int_equal(ind_day_to_ym(d15), 1969 * 12 + 11);
}

/* ---- definitions and plan ------------------------------------------------------------ */

static void test_standard_definitions_and_plan_load(void **state)
{
    (void)state;
    buf_t d;
    buf_init(&d);
    forms_dir(&d, "forms");
    diag_t diag = { 0 };
    form_t **forms;
    size_t n = form_load_all(d.data, &forms, &diag);
    ind_defs_t defs;
    ind_plan_t plan;
    assert_int_equal(ind_load_files(d.data, forms, n, &defs, &plan, &diag), 0);
    for (size_t i = 0; i < diag.n; i++) fprintf(stderr, "%s\n", diag.lines[i]);
    assert_int_equal(diag.n, 0);
    /* every action the issue names, and the plan's ten actions */
    bool action[11] = { false };
    for (size_t i = 0; i < defs.n; i++) action[defs.d[i].action] = true;
    assert_true(action[3] && action[4] && action[5] && action[6]);
    assert_int_equal(plan.n, 10);
    const ind_plan_action_t *ten = ind_plan_find(&plan, 10);
    assert_non_null(ten);
    assert_true(ten->end_ym < ten->start_ym);
    ind_defs_free(&defs);
    ind_plan_free(&plan);
    form_free_all(forms, n);
    diag_free(&diag);
    buf_free(&d);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

static bool has_line(const diag_t *d, const char *needle)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->lines[i], needle)) return true;
    return false;
}

static void test_bad_definitions_are_reported_by_row(void **state)
{
    fx_t *f = *state;
    char path[160];
    snprintf(path, sizeof path, "%s/indicators.csv", f->dir);
    write_file(path,
               "id,action,form,kind,items,choices,exclude,target,headline,label::Español (es),label::Kreyòl (ht)\n"
               "a,3,encuesta,index,p1 zz,,,,,A,A ht\n"
               "b,3,encuesta,ratio,p1,,,,,B,B ht\n"
               "c,3,encuesta,index,tipo,,,,,C,C ht\n"
               "d,3,encuesta,share,tipo,a,a,,,D,D ht\n"
               "d,3,encuesta,count,tipo,zz,,,,D2,D2 ht\n"
               "e,3,nada,index,p1,,,,,E,\n");
    diag_t diag = { 0 };
    ind_defs_t defs;
    assert_int_equal(ind_defs_load(path, f->forms, f->nforms, &defs, &diag), -1);
    assert_int_equal(defs.n, 0);
    assert_true(has_line(&diag, "indicators.csv:2: item \"zz\" is not a question of form encuesta"));
    assert_true(has_line(&diag, "indicators.csv:3: unknown kind \"ratio\""));
    assert_true(has_line(&diag, "indicators.csv:4: item \"tipo\" is not a rating question"));
    assert_true(has_line(&diag, "indicators.csv:5: \"a\" is both counted and excluded"));
    assert_true(has_line(&diag, "indicators.csv:6: choices: \"zz\" is not a choice"));
    assert_true(has_line(&diag, "indicators.csv:7: missing label::ht"));
    assert_true(has_line(&diag, "indicators.csv:7: unknown form \"nada\""));
    diag_free(&diag);
    unlink(path);
}

static void test_missing_definitions_mean_no_indicators(void **state)
{
    fx_t *f = *state;
    char path[160];
    snprintf(path, sizeof path, "%s/none.csv", f->dir);
    diag_t diag = { 0 };
    ind_defs_t defs;
    assert_int_equal(ind_defs_load(path, f->forms, f->nforms, &defs, &diag), 1);
    assert_int_equal(defs.n, 0);
    assert_int_equal(diag.n, 0);
}

/* ---- computing ------------------------------------------------------------------------- */

static void test_empty_database_gives_no_figures(void **state)
{
    fx_t *f = *state;
    ind_filter_t all = ind_filter_all();
    ind_report_t r;
    compute(f, &all, IND_DIMS_ALL, &r);
    assert_int_equal(r.n, f->defs.n);
    for (size_t i = 0; i < r.n; i++) {
        assert_true(isnan(r.r[i].total.value));
        assert_int_equal(r.r[i].total.n, 0);
        assert_true(r.r[i].total.suppressed);
        for (int d = 0; d < IND_DIM_COUNT; d++) assert_int_equal(r.r[i].nby[d], 0);
    }
    for (size_t i = 0; i < r.nforms; i++) {
        assert_int_equal(r.forms[i].responses, 0);
        assert_int_equal(r.forms[i].first_ym, -1);
    }
    ind_report_free(&r);
}

static void test_index_over_items_and_respondents(void **state)
{
    fx_t *f = *state;
    add_dataset(f);
    ind_filter_t all = ind_filter_all();
    ind_report_t r;
    compute(f, &all, 0, &r);
    /* p1: 11 valid (R10 is "na"), sum 40, mean 3.63636, index 65.9091;
     * p2: 10 valid, sum 39, mean 3.9, index 72.5; the index is their mean,
     * 69.2045. Its interval is over the 12 respondents' own means (4.5 4
     * 4.5 3 5 2.5 1.5 3.5 4.5 4 3 4.5: s = 1.03078), t(11) = 2.20099:
     * half = 2.20099 * 1.03078 / sqrt(12) * 25 = 16.4023. */
    assert_figure(&result(&r, "idx")->total, 69.2045, 12, 52.8023, 85.6068);
    /* p1 alone: s = 1.27208, half = 2.22814 * 1.27208 / sqrt(11) * 25 =
     * 21.6036 around 65.9091. */
    assert_figure(&result(&r, "idx1")->total, 65.9091, 11, 44.3055, 87.5126);
    ind_report_free(&r);
}

static void test_top2_share_count(void **state)
{
    fx_t *f = *state;
    add_dataset(f);
    ind_filter_t all = ind_filter_all();
    ind_report_t r;
    compute(f, &all, 0, &r);
    /* p1 answers 4 or 5: R1 R2 R3 R5 R8 R9 R12 = 7 of 11; Wilson above */
    assert_figure(&result(&r, "t2")->total, 63.6364, 11, 35.3801, 84.8335);
    /* tipo: a six times, b three, x ("no sé", excluded) twice: 6 / 9 */
    assert_figure(&result(&r, "sh")->total, 66.6667, 9, 35.4202, 87.9416);
    /* a or b: 9, among the 11 who answered */
    assert_figure(&result(&r, "cnt")->total, 9, 11, NAN, NAN);
    ind_report_free(&r);
}

static void test_mean_and_median(void **state)
{
    fx_t *f = *state;
    add_dataset(f);
    ind_filter_t all = ind_filter_all();
    ind_report_t r;
    compute(f, &all, 0, &r);
    /* num: 3 5 2 7 4 1 6 3 5 4 2, sum 42, mean 3.81818, s = 1.83402,
     * half = 2.22814 * 1.83402 / sqrt(11) = 1.23211 */
    assert_figure(&result(&r, "mn")->total, 3.8182, 11, 2.5861, 5.0503);
    /* sorted 1 2 2 3 3 4 4 5 5 6 7: median the 6th, 4; ranks of the
     * interval 5.5 -+ 1.96 sqrt(11) / 2 = 2.25 .. 8.75 -> 2nd and 10th */
    assert_figure(&result(&r, "md")->total, 4, 11, 2, 6);
    ind_report_free(&r);
}

static void test_breakdown_has_a_no_response_cell(void **state)
{
    fx_t *f = *state;
    add_dataset(f);
    ind_filter_t all = ind_filter_all();
    ind_report_t r;
    compute(f, &all, 1u << IND_DIM_SEXO, &r);
    const ind_result_t *idx = result(&r, "idx");
    /* mujer R1 R2 R3 R10 R12 (5), hombre R4 R5 R6 R11 (4), otro R7 (1),
     * no response R8 ("nr") R9 (2): in the choice list's order. With a
     * threshold of 3 otro and no response hide, together 3: enough. */
    assert_int_equal(idx->nby[IND_DIM_SEXO], 4);
    assert_string_equal(idx->by[IND_DIM_SEXO][0].key, "mujer");
    assert_string_equal(idx->by[IND_DIM_SEXO][3].key, IND_KEY_NONE);
    /* mujer: p1 5 4 4 4 (index 81.25), p2 4 4 5 4 5 (85); means 4.5 4
     * 4.5 4 4.5, s = .27386, half = 2.77645 * .27386 / sqrt(5) * 25 */
    assert_figure(cell(idx, IND_DIM_SEXO, "mujer"), 83.125, 5, 74.6239, 91.6261);
    assert_int_equal(cell(idx, IND_DIM_SEXO, "hombre")->n, 4);
    assert_true(cell(idx, IND_DIM_SEXO, "otro")->suppressed);
    assert_true(cell(idx, IND_DIM_SEXO, IND_KEY_NONE)->suppressed);
    assert_int_equal(cell(idx, IND_DIM_SEXO, "otro")->n, -1);
    ind_report_free(&r);
}

static void test_secondary_suppression_in_a_breakdown(void **state)
{
    fx_t *f = *state;
    add_dataset(f);
    ind_filter_t all = ind_filter_all();
    ind_report_t r;
    compute(f, &all, 1u << IND_DIM_PUNTO, &r);
    const ind_result_t *idx = result(&r, "idx");
    /* By point: mercado-1 5, oficina-1 5, no point (R4 R9) 2. Only the
     * last is small, so it would be total minus the others: mercado-1
     * (first of the two smallest) is hidden with it. */
    assert_true(cell(idx, IND_DIM_PUNTO, IND_KEY_NONE)->suppressed);
    assert_true(cell(idx, IND_DIM_PUNTO, "mercado-1")->suppressed);
    /* oficina-1: R5 R6 R7 R8 R12, means 5 2.5 1.5 3.5 4.5, p1 index 55,
     * p2 65: 60 */
    assert_figure(cell(idx, IND_DIM_PUNTO, "oficina-1"), 60, 5, 15.5552, 100);
    ind_report_free(&r);
}

static void test_total_needs_the_threshold(void **state)
{
    fx_t *f = *state;
    add_dataset(f);
    f->env.threshold = 13;
    ind_filter_t all = ind_filter_all();
    ind_report_t r;
    compute(f, &all, 0, &r);
    const ind_cell_t *t = &result(&r, "idx")->total;
    assert_true(t->suppressed && isnan(t->value) && isnan(t->lo));
    assert_int_equal(t->n, -1);   /* issue 17: a suppressed total hides its n (12) too */
    ind_report_free(&r);
}

static void test_filter_by_local_day(void **state)
{
    fx_t *f = *state;
    add_dataset(f);
    ind_report_t r;
    f->env.threshold = 1;   /* counts only: nothing suppressed, n shown */
    /* R4 was answered at 22:00 on the 15th, Santo Domingo time. */
    ind_filter_t to15 = period(NULL, "2025-01-15");
    compute(f, &to15, 0, &r);
    assert_int_equal(result(&r, "idx")->total.n, 4);
    ind_report_free(&r);
    ind_filter_t rest = period("2025-01-16", "2025-01-31");
    compute(f, &rest, 0, &r);
    assert_int_equal(result(&r, "idx")->total.n, 2);
    ind_report_free(&r);
}

static void test_period_of_whole_and_partial_months(void **state)
{
    fx_t *f = *state;
    add_dataset(f);
    ind_report_t r;
    /* Jan 12-31 from daily rows, all of February from its month: R3..R12.
     * p1 4 3 5 2 1 4 5 3 4 (61.1111), p2 5 5 3 2 3 4 4 5 (70.8333).
     * It leaves out R1 and R2: a threshold of 2 lets it show. */
    f->env.threshold = 2;
    ind_filter_t p = period("2025-01-12", "2025-02-28");
    compute(f, &p, 1u << IND_DIM_MES, &r);
    const ind_result_t *idx = result(&r, "idx");
    assert_figure(&idx->total, 66.4931, 10, 46.8117, 86.1744);
    assert_int_equal(cell(idx, IND_DIM_MES, "2025-01")->n, 4);
    assert_int_equal(cell(idx, IND_DIM_MES, "2025-02")->n, 6);
    assert_int_equal(r.forms[0].responses, 10);
    assert_int_equal(r.forms[0].first_ym, 2025 * 12);
    ind_report_free(&r);
    /* The same figure with the end left open. */
    ind_filter_t open = period("2025-01-12", NULL);
    compute(f, &open, 0, &r);
    NEAR(result(&r, "idx")->total.value, 66.4931);
    ind_report_free(&r);
}

static void test_filter_by_point_service_and_form(void **state)
{
    fx_t *f = *state;
    add_dataset(f);
    add(f, "otra", "2025-01-10", 9, NULL, "es", "web", "servicio=mercado q=5");
    ind_report_t r;
    f->env.threshold = 1;   /* oq's single answer keeps its n (a suppressed one hides it) */
    ind_filter_t p = ind_filter_all();
    p.point = "oficina-1";
    compute(f, &p, 0, &r);
    assert_figure(&result(&r, "idx")->total, 60, 5, 15.5552, 100);
    ind_report_free(&r);
    /* mercado: R1 R2 R3 R4 R10 R11; p1 5 4 4 3 3 (70), p2 4 4 5 4 (81.25) */
    ind_filter_t s = ind_filter_all();
    s.service = "mercado";
    compute(f, &s, 0, &r);
    assert_figure(&result(&r, "idx")->total, 75.625, 6, 57.7025, 93.5475);
    assert_int_equal(result(&r, "oq")->total.n, 1);
    ind_report_free(&r);
    ind_filter_t o = ind_filter_all();
    o.form = "otra";
    compute(f, &o, 0, &r);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.r[0].def->id, "oq");
    ind_report_free(&r);
}

/* The tester's case: fifteen respondents at the market, one at the
 * office, threshold 10. The figure without filters and the one filtered by
 * point differ by one respondent: subtracting them would give away that
 * person's rating and sex, so the filtered figures are hidden. */
static void add_fifteen_and_one(fx_t *f)
{
    f->env.threshold = 10;
    for (int i = 0; i < 15; i++)
        add(f, "encuesta", "2025-01-10", 9, "mercado-1", "es", "web",
            i % 2 ? "servicio=mercado p1=5 p2=4 sexo=mujer" : "servicio=mercado p1=3 p2=4 sexo=mujer");
    add(f, "encuesta", "2025-01-20", 9, "oficina-1", "es", "web", "servicio=mercado p1=4 p2=2 sexo=hombre");
}

static void test_filter_that_leaves_out_a_few_hides_the_figure(void **state)
{
    fx_t *f = *state;
    add_fifteen_and_one(f);
    unsigned dims = 1u << IND_DIM_SEXO | 1u << IND_DIM_PUNTO;
    ind_filter_t all = ind_filter_all();
    ind_report_t r;
    compute(f, &all, dims, &r);
    const ind_result_t *idx = result(&r, "idx");
    assert_false(idx->total.suppressed);
    assert_int_equal(idx->total.n, 16);
    ind_report_free(&r);
    ind_filter_t p = ind_filter_all();
    p.point = "mercado-1";
    compute(f, &p, dims, &r);
    idx = result(&r, "idx");
    assert_true(idx->total.suppressed && isnan(idx->total.value) && isnan(idx->total.lo));
    assert_int_equal(idx->total.n, -1);               /* 16 - 15 would give the count away */
    /* mujer is the same 15 as without the filter; hombre lost its only
     * member (no cell), so mujer alone would be the total: hidden too */
    assert_true(cell(idx, IND_DIM_SEXO, "mujer")->suppressed);
    assert_true(cell(idx, IND_DIM_PUNTO, "mercado-1")->suppressed);
    ind_report_free(&r);
    /* the same with dates: everyone but the last respondent */
    ind_filter_t d = period(NULL, "2025-01-19");
    compute(f, &d, dims, &r);
    assert_true(result(&r, "idx")->total.suppressed);
    assert_int_equal(result(&r, "idx")->total.n, -1);
    ind_report_free(&r);
}

static void test_filter_that_leaves_out_nobody_or_many_shows_the_figure(void **state)
{
    fx_t *f = *state;
    add_fifteen_and_one(f);
    ind_report_t r;
    /* everyone answered about the market, and before 2030 */
    ind_filter_t s = period(NULL, "2030-01-01");
    s.service = "mercado";
    compute(f, &s, 0, &r);
    assert_false(result(&r, "idx")->total.suppressed);
    assert_int_equal(result(&r, "idx")->total.n, 16);
    ind_report_free(&r);
    /* ten more at the office: the market's figure leaves out eleven, and
     * its only sex cell (hombre has none) eleven too */
    for (int i = 0; i < 10; i++)
        add(f, "encuesta", "2025-01-21", 9, "oficina-1", "es", "web", "servicio=oficina p1=2 p2=2 sexo=hombre");
    ind_filter_t p = ind_filter_all();
    p.point = "mercado-1";
    compute(f, &p, 1u << IND_DIM_SEXO, &r);
    assert_false(result(&r, "idx")->total.suppressed);
    assert_int_equal(result(&r, "idx")->total.n, 15);
    assert_false(cell(result(&r, "idx"), IND_DIM_SEXO, "mujer")->suppressed);
    ind_report_free(&r);
}

static void test_breakdown_cells_are_compared_with_the_unfiltered_ones(void **state)
{
    (void)state;
    /* gaps: a lost 2 (hidden), b lost 0, c lost 12; the hidden cells must
     * not differ from the unfiltered ones by a small group, so c (the
     * visible cell that lost people) joins a: 2 + 12 >= 10 */
    ind_cell_t fl[] = { mk("a", 20), mk("b", 30), mk("c", 40) };
    ind_cell_t wh[] = { mk("a", 22), mk("b", 30), mk("c", 52) };
    ind_result_t r = { .total = mk("", 90), .by[IND_DIM_SEXO] = fl, .nby[IND_DIM_SEXO] = 3 };
    ind_result_t w = { .total = mk("", 104), .by[IND_DIM_SEXO] = wh, .nby[IND_DIM_SEXO] = 3 };
    ind_protect(&r, &w, 1u << IND_DIM_SEXO, 10);
    assert_false(r.total.suppressed);                 /* 14 left out: enough */
    assert_true(fl[0].suppressed && fl[2].suppressed);
    assert_false(fl[1].suppressed);
    assert_int_equal(fl[1].n, 30);
}

static void test_new_responses_are_folded_in(void **state)
{
    fx_t *f = *state;
    add_dataset(f);
    ind_filter_t all = ind_filter_all();
    ind_report_t r;
    compute(f, &all, 0, &r);
    ind_report_free(&r);
    add(f, "encuesta", "2025-03-01", 9, NULL, "es", "web", "servicio=mercado p1=5 p2=5");
    int64_t folded = -1;
    assert_int_equal(ind_sync(f->s, &f->defs, &folded), STORE_OK);
    assert_int_equal(folded, 1);
    compute(f, &all, 0, &r);
    assert_int_equal(result(&r, "idx")->total.n, 13);
    ind_report_free(&r);
    assert_int_equal(ind_sync(f->s, &f->defs, &folded), STORE_OK);
    assert_int_equal(folded, 0);
}

static void test_deleting_a_response_rebuilds(void **state)
{
    fx_t *f = *state;
    add_dataset(f);
    ind_filter_t all = ind_filter_all();
    ind_report_t r;
    compute(f, &all, 0, &r);
    ind_report_free(&r);
    /* Another program (the data-protection erasure, a repair) deletes R7. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DELETE FROM answers WHERE response_id = 7;"
                                      "DELETE FROM responses WHERE id = 7", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    int64_t folded;
    assert_int_equal(ind_sync(f->s, &f->defs, &folded), STORE_OK);
    assert_int_equal(folded, 11);
    compute(f, &all, 0, &r);
    assert_int_equal(result(&r, "idx")->total.n, 11);
    ind_report_free(&r);
}

/* ---- outputs ----------------------------------------------------------------------- */

/* The report the interfaces show is as of the now they pass, also its
 * generated_at (it used to read the clock itself). */
static void test_report_is_as_of_the_callers_now(void **state)
{
    fx_t *f = *state;
    add_dataset(f);
    bizcal_t hol = { 0 };
    ind_filter_t all = ind_filter_all();
    ind_report_t r;
    assert_int_equal(ind_report_build(f->s, &f->env, &hol, &all, 0, 1700000000, &r), STORE_OK);
    assert_int_equal(r.generated_at, 1700000000);
    ind_report_free(&r);
}

static void test_json_shape(void **state)
{
    fx_t *f = *state;
    add_dataset(f);
    ind_filter_t p = period("2025-01-01", NULL);
    ind_report_t r;
    compute(f, &p, 1u << IND_DIM_SEXO | 1u << IND_DIM_PUNTO, &r);
    json_t *j = ind_json(&f->env, &r);
    assert_string_equal(json_string_value(json_object_get(j, "sample")), "non-probability");
    assert_int_equal(json_integer_value(json_object_get(j, "threshold")), 3);
    assert_non_null(json_string_value(json_object_get(j, "generated_at")));
    json_t *fl = json_object_get(j, "filters");
    assert_string_equal(json_string_value(json_object_get(fl, "from")), "2025-01-01");
    assert_true(json_is_null(json_object_get(fl, "to")));
    json_t *list = json_object_get(j, "indicators");
    assert_int_equal(json_array_size(list), f->defs.n);
    json_t *idx = json_array_get(list, 0);
    assert_string_equal(json_string_value(json_object_get(idx, "id")), "idx");
    assert_int_equal(json_integer_value(json_object_get(idx, "action")), 3);
    assert_string_equal(json_string_value(json_object_get(idx, "label")), "Índice de prueba");
    assert_string_equal(json_string_value(json_object_get(idx, "label_ht")), "Endis tès");
    assert_string_equal(json_string_value(json_object_get(idx, "kind")), "index");
    assert_true(fabs(json_real_value(json_object_get(idx, "value")) - 69.2045) < 1e-9);
    assert_int_equal(json_integer_value(json_object_get(idx, "n")), 12);
    assert_true(fabs(json_real_value(json_array_get(json_object_get(idx, "ci95"), 0)) - 52.8023) < 1e-9);
    assert_true(fabs(json_real_value(json_object_get(idx, "target")) - 75) < 1e-9);
    json_t *by = json_object_get(idx, "by");
    assert_int_equal(json_object_size(by), 2);
    json_t *otro = json_array_get(json_object_get(by, "sexo"), 2);
    assert_string_equal(json_string_value(json_object_get(otro, "key")), "otro");
    assert_string_equal(json_string_value(json_object_get(otro, "label")), "Otro");
    assert_true(json_is_null(json_object_get(otro, "value")) && json_is_null(json_object_get(otro, "n")));
    assert_true(json_is_true(json_object_get(otro, "suppressed")));
    json_t *resp = json_object_get(json_object_get(j, "responses"), "encuesta");
    assert_int_equal(json_integer_value(json_object_get(resp, "n")), 12);
    assert_string_equal(json_string_value(json_object_get(resp, "first_month")), "2025-01");
    json_decref(j);
    ind_report_free(&r);
}

/* Line k (0-based) of a CSV text. */
static char *csv_line(const char *text, int k)
{
    const char *p = text;
    for (int i = 0; i < k && p; i++) {
        p = strchr(p, '\n');
        if (p) p++;
    }
    assert_non_null(p);
    size_t n = strcspn(p, "\r\n");
    char *out = xcalloc(n + 1, 1);
    memcpy(out, p, n);
    return out;
}

static void test_csv_for_excel(void **state)
{
    fx_t *f = *state;
    add_dataset(f);
    ind_filter_t all = ind_filter_all();
    ind_report_t r;
    compute(f, &all, 1u << IND_DIM_SEXO, &r);
    buf_t b;
    buf_init(&b);
    ind_csv_opts_t o = { LANG_ES, false };
    ind_csv(&b, &f->env, &r, &o);
    assert_memory_equal(b.data, "\xEF\xBB\xBF", 3);
    char *l = csv_line(b.data + 3, 0);
    assert_string_equal(l, "accion,indicador_id,indicador,tipo,formulario,desagregacion,grupo_clave,grupo,valor,n,"
                           "ic95_inferior,ic95_superior,suprimido,meta,desde,hasta,punto,servicio,muestra");
    free(l);
    l = csv_line(b.data + 3, 1);
    assert_string_equal(l, "3,idx,Índice de prueba,Índice 0–100,encuesta,total,,Todas las respuestas,69.20,12,"
                           "52.80,85.61,no,75.00,,,,,no probabilística");
    free(l);
    l = csv_line(b.data + 3, 4);   /* total, mujer, hombre, otro */
    assert_string_equal(l, "3,idx,Índice de prueba,Índice 0–100,encuesta,sexo,otro,Otro,,,,,sí,75.00,,,,,"
                           "no probabilística");
    free(l);
    buf_reset(&b);
    o.excel_es = true;
    ind_csv(&b, &f->env, &r, &o);
    l = csv_line(b.data + 3, 1);
    assert_string_equal(l, "3;idx;Índice de prueba;Índice 0–100;encuesta;total;;Todas las respuestas;69,20;12;"
                           "52,80;85,61;no;75,00;;;;;no probabilística");
    free(l);
    buf_free(&b);
    ind_report_free(&r);
}

/* Regression (issue 12, one CSV writer): the indicators CSV had its own
 * formula guard, which missed a cell starting with TAB or CR (Excel still
 * runs "\t=..." as a formula) and quoted a plain negative number as text.
 * It now uses base/csvwrite.h's guard, the same as the responses export. */
static void test_csv_formula_guard_is_the_export_one(void **state)
{
    fx_t *f = *state;
    add_dataset(f);
    ind_filter_t all = ind_filter_all();
    ind_report_t r;
    compute(f, &all, 0, &r);
    r.filter.point = "\t=HYPERLINK(\"http://x\")";
    r.filter.service = "-5";
    buf_t b;
    buf_init(&b);
    ind_csv_opts_t o = { LANG_ES, false };
    ind_csv(&b, &f->env, &r, &o);
    char *l = csv_line(b.data + 3, 1);
    assert_non_null(strstr(l, ",\"'\t=HYPERLINK(\"\"http://x\"\")\",-5,"));
    free(l);
    r.filter.point = "\r=1+1";
    r.filter.service = "@SUM(A1)";
    buf_reset(&b);
    ind_csv(&b, &f->env, &r, &o);
    assert_non_null(strstr(b.data, ",\"'\r=1+1\",\"'@SUM(A1)\","));
    r.filter.point = r.filter.service = NULL;
    buf_free(&b);
    ind_report_free(&r);
}

/* The member name of a ZIP archive, inflated; caller frees; NULL if absent.
 * Reads the central directory (libxlsxwriter's local headers may defer
 * sizes to data descriptors). */
static char *unzip(const buf_t *z, const char *name)
{
    const unsigned char *p = (const unsigned char *)z->data;
    size_t n = z->len;
#define U16(o) ((unsigned)p[o] | (unsigned)p[(o) + 1] << 8)
#define U32(o) ((uint32_t)U16(o) | (uint32_t)U16((o) + 2) << 16)
    size_t eocd = n - 22;
    while (eocd > 0 && U32(eocd) != 0x06054b50) eocd--;
    size_t cd = U32(eocd + 16), entries = U16(eocd + 10);
    for (size_t e = 0; e < entries; e++) {
        if (U32(cd) != 0x02014b50) return NULL;
        unsigned method = U16(cd + 10), nlen = U16(cd + 28), xlen = U16(cd + 30), clen = U16(cd + 32);
        uint32_t csize = U32(cd + 20), usize = U32(cd + 24), local = U32(cd + 42);
        if (nlen == strlen(name) && !memcmp(p + cd + 46, name, nlen)) {
            const unsigned char *data = p + local + 30 + U16(local + 26) + U16(local + 28);
            char *out = xcalloc(usize + 1, 1);
            if (method == 0) {
                memcpy(out, data, usize);
                return out;
            }
            z_stream s = { 0 };
            assert_int_equal(inflateInit2(&s, -15), Z_OK);
            s.next_in = (unsigned char *)data;
            s.avail_in = csize;
            s.next_out = (unsigned char *)out;
            s.avail_out = usize;
            assert_int_equal(inflate(&s, Z_FINISH), Z_STREAM_END);
            inflateEnd(&s);
            return out;
        }
        cd += 46 + nlen + xlen + clen;
    }
    return NULL;
#undef U16
#undef U32
}

static void test_xlsx_reads_back(void **state)
{
    fx_t *f = *state;
    add_dataset(f);
    ind_filter_t all = ind_filter_all();
    ind_report_t r;
    compute(f, &all, 1u << IND_DIM_SEXO, &r);
    buf_t b;
    buf_init(&b);
    assert_int_equal(ind_xlsx(&b, &f->env, &r, LANG_ES), 0);
    assert_memory_equal(b.data, "PK", 2);
    char *book = unzip(&b, "xl/workbook.xml");
    char *strings = unzip(&b, "xl/sharedStrings.xml");
    char *sheet = unzip(&b, "xl/worksheets/sheet1.xml");
    assert_non_null(book);
    assert_non_null(strings);
    assert_non_null(sheet);
    assert_non_null(strstr(book, "name=\"Indicadores\""));
    assert_non_null(strstr(book, "name=\"Notas\""));
    assert_non_null(strstr(strings, ">indicador_id<"));
    assert_non_null(strstr(strings, ">Índice de prueba<"));
    assert_non_null(strstr(strings, ">no probabilística<"));
    /* idx's total: value, n and interval as numbers in row 2 */
    const char *i2 = strstr(sheet, "<c r=\"I2\"");
    assert_non_null(i2);
    assert_ptr_equal(strstr(i2, "<v>"), strstr(i2, "<v>69.20454545454"));
    assert_ptr_equal(strstr(i2, "<c r=\"J2\""), strstr(i2, "<c r=\"J"));
    assert_non_null(strstr(strstr(i2, "<c r=\"J2\""), "<v>12</v>"));
    assert_non_null(strstr(strstr(i2, "<c r=\"K2\""), "<v>52.80228"));
    free(book);
    free(strings);
    free(sheet);
    buf_free(&b);
    ind_report_free(&r);
}

static void test_dashboard_page(void **state)
{
    fx_t *f = *state;
    add_dataset(f);
    ind_filter_t all = ind_filter_all();
    ind_report_t r;
    compute(f, &all, 1u << IND_DIM_SERVICIO | 1u << IND_DIM_MES | 1u << IND_DIM_SEXO, &r);
    ind_dash_view_t v = { .by = IND_DIM_SEXO };
    buf_t b;
    buf_init(&b);
    render_dashboard(&b, &f->env, &f->plan, &r, &v, LANG_ES);
    /* a section per action, the plan's title for it, charts, the sample */
    assert_non_null(strstr(b.data, "<section id=accion-3><h2 id=h-accion-3>Acción 3 · Escuchar a la gente</h2>"));
    assert_non_null(strstr(b.data, "<section id=accion-5>"));
    assert_non_null(strstr(b.data, "<svg class=d-ch"));
    assert_non_null(strstr(b.data, "<svg class=\"d-ch d-tr\""));
    assert_non_null(strstr(b.data, "Muestra no probabilística"));
    assert_non_null(strstr(b.data, "<p class=d-big>69.2<small> / 100</small>"));
    assert_non_null(strstr(b.data, "href=\"/api/v1/indicators.csv?lang=es&amp;sep=%3B\""));
    buf_reset(&b);
    render_dashboard(&b, &f->env, &f->plan, &r, &v, LANG_HT);
    assert_non_null(strstr(b.data, "Echantiyon ki pa pwobabilis"));
    assert_non_null(strstr(b.data, "<p class=d-big>69,2<small>"));
    buf_free(&b);
    ind_report_free(&r);
}

/* What a printed page must say (issue 13, item 19): the filters in force
 * (or that there are none), the report's date in Santo Domingo time, the
 * sample note on both pages; and the trend chart keeps its last month's
 * label inside the drawing. */
static void test_dashboard_says_what_it_shows(void **state)
{
    fx_t *f = *state;
    add_dataset(f);
    ind_filter_t all = ind_filter_all();
    ind_report_t r;
    compute(f, &all, 1u << IND_DIM_SERVICIO | 1u << IND_DIM_MES | 1u << IND_DIM_SEXO, &r);
    r.generated_at = 1735776000;   /* 2025-01-02 00:00 UTC */
    ind_dash_view_t v = { .by = IND_DIM_SEXO };
    buf_t b;
    buf_init(&b);
    render_dashboard(&b, &f->env, &f->plan, &r, &v, LANG_ES);
    assert_non_null(strstr(b.data, "<p class=d-meta>Filtros: ninguno: todas las encuestas, puntos y servicios.</p>"));
    assert_non_null(strstr(b.data, "<p class=d-meta>Fecha del informe: 2025-01-01 20:00 (UTC\xE2\x88\x92" "4)</p>"));
    /* every month label of a trend is centred at most W - 14 units in */
    const char *tr = strstr(b.data, "<svg class=\"d-ch d-tr\"");
    assert_non_null(tr);
    const char *end = strstr(tr, "</svg>");
    int labels = 0;
    for (const char *t = tr; (t = strstr(t, "<text class=\"d-tx d-mu\" x=")) && t < end; t++) {
        double x = strtod(t + strlen("<text class=\"d-tx d-mu\" x="), NULL);
        if (!strstr(t, "y=128") || strstr(t, "y=128") > strchr(t, '>')) continue;
        assert_true(x <= 320 - 14);
        labels++;
    }
    assert_true(labels >= 2);
    buf_reset(&b);
    v.service = "mercado";
    v.form = "nope";
    render_dashboard(&b, &f->env, &f->plan, &r, &v, LANG_HT);
    assert_non_null(strstr(b.data, "<p class=d-meta>Filtè: Sondaj: nope \xC2\xB7 Sèvis: "));
    assert_non_null(strstr(b.data, "Dat rapò a: 2025-01-01 20:00"));
    buf_reset(&b);
    plan_page(&b, f, &r, LANG_ES);
    assert_non_null(strstr(b.data, "Muestra no probabilística"));
    assert_non_null(strstr(b.data, "Fecha del informe: 2025-01-01 20:00"));
    buf_free(&b);
    ind_report_free(&r);
}

static void test_refused_filter_shows_the_form_only(void **state)
{
    fx_t *f = *state;
    ind_dash_view_t v = { .from = "2025-13-01", .by = IND_DIM_SEXO, .error_param = "from" };
    buf_t b;
    buf_init(&b);
    render_dashboard(&b, &f->env, &f->plan, NULL, &v, LANG_ES);
    assert_non_null(strstr(b.data, "role=alert>Revise este filtro, su valor no es válido: from</p>"));
    assert_non_null(strstr(b.data, "value=\"2025-13-01\""));
    assert_null(strstr(b.data, "<section"));
    buf_free(&b);
}

static void test_plan_page_shows_evidence_and_inconsistencies(void **state)
{
    fx_t *f = *state;
    add_dataset(f);
    ind_filter_t all = ind_filter_all();
    ind_report_t r;
    compute(f, &all, 0, &r);
    buf_t b;
    buf_init(&b);
    plan_page(&b, f, &r, LANG_ES);
    /* action 3 has the survey's answers, 7 none yet, 10 ends before it starts */
    assert_non_null(strstr(b.data, "12 respuestas a «Encuesta de prueba» (enero 2025 – febrero 2025)."));
    const char *seven = strstr(b.data, "id=accion-7");
    assert_non_null(seven);
    assert_non_null(strstr(seven, "Sin datos todavía"));
    const char *ten = strstr(b.data, "id=accion-10");
    assert_non_null(ten);
    assert_non_null(strstr(ten, "Inconsistencia en el plan:</b> la fecha de fin es anterior a la de inicio "
                                "(septiembre 2024 – agosto 2024)"));
    assert_true(strstr(seven, "Inconsistencia") > ten);   /* only action 10's */
    buf_reset(&b);
    plan_page(&b, f, &r, LANG_HT);
    assert_non_null(strstr(b.data, "Plan an pa koyeran:"));
    buf_free(&b);
    ind_report_free(&r);
}

/* The breakdowns list, the filters' values and the month keys, as the API
 * and `buzon indicators` both take them (model/indicators.h). */
static void test_dims_filters_and_month_keys(void **state)
{
    (void)state;
    unsigned d;
    assert_true(ind_dims_parse(NULL, &d));
    assert_int_equal(d, IND_DIMS_ALL);
    assert_true(ind_dims_parse("", &d));
    assert_int_equal(d, IND_DIMS_ALL);
    assert_true(ind_dims_parse("none", &d));
    assert_int_equal(d, 0);
    assert_true(ind_dims_parse("sexo,mes", &d));
    assert_int_equal(d, 1u << IND_DIM_SEXO | 1u << IND_DIM_MES);
    assert_true(ind_dims_parse("sexo,", &d));
    assert_int_equal(d, 1u << IND_DIM_SEXO);
    assert_false(ind_dims_parse("sexo,,edad", &d));
    assert_false(ind_dims_parse(",sexo", &d));
    assert_false(ind_dims_parse("sexo,color", &d));
    assert_false(ind_dims_parse("none,sexo", &d));

    ind_filter_t f;
    const char *why;
    assert_null(ind_filter_set(&f, "", NULL, "", NULL, "", &why));
    assert_true(f.from_day == IND_DAY_MIN && f.to_day == IND_DAY_MAX);
    assert_true(!f.form && !f.point && !f.service);
    assert_null(ind_filter_set(&f, "2026-01-01", "2026-01-01", "satisfaccion", "p", "s", &why));
    assert_string_equal(f.form, "satisfaccion");
    assert_string_equal(ind_filter_set(&f, "2026-1-01", NULL, NULL, NULL, NULL, &why), "from");
    assert_string_equal(why, "a date YYYY-MM-DD");
    assert_string_equal(ind_filter_set(&f, NULL, "2026-02-30", NULL, NULL, NULL, &why), "to");
    assert_string_equal(ind_filter_set(&f, "2026-02-02", "2026-02-01", NULL, NULL, NULL, &why), "from");
    assert_string_equal(why, "a date not after 'to'");

    char k[IND_MONTH_KEY_SIZE];
    ind_month_key_format(2026 * 12 + 0, k);
    assert_string_equal(k, "2026-01");
    ind_month_key_format(2025 * 12 + 11, k);
    assert_string_equal(k, "2025-12");
    assert_int_equal(ind_month_key_parse("2025-12"), 2025 * 12 + 11);
    assert_int_equal(ind_month_key_parse("2026-01"), 2026 * 12);
}

/* ---- issue 17: every ancestor from one scan ------------------------------------------- */

/* 320 responses spread (a fixed pseudo-random sequence) over four
 * months, both points and the general link, both services, three
 * channels and every answer, so that a query narrowed by several
 * filters has cells that differ from some ancestors by a few people. */
static void add_spread(fx_t *f)
{
    static const char *const points[] = { "mercado-1", "oficina-1", NULL };
    static const char *const services[] = { "mercado", "oficina" };
    static const char *const channels[] = { "web", "web", "papel", "entrevista" };
    static const char *const p1[] = { "1", "2", "3", "4", "5", "5", "4", "na" };
    static const char *const tipo[] = { "a", "b", "x", "a" };
    static const char *const sexo[] = { "mujer", "hombre", "otro", "nr" };
    uint32_t x = 17;
    for (int i = 0; i < 320; i++) {
        uint32_t r[8];
        for (int k = 0; k < 8; k++) r[k] = (x = x * 1103515245u + 12345u) >> 16;
        char day[16], ans[160];
        snprintf(day, sizeof day, "2025-%02u-%02u", 1 + r[0] % 4, 1 + r[1] % 28);
        snprintf(ans, sizeof ans, "servicio=%s p1=%s p2=%u tipo=%s num=%u sexo=%s", services[r[2] % 2],
                 p1[r[3] % 8], 1 + r[4] % 5, tipo[r[5] % 4], r[6] % 9, sexo[r[7] % 4]);
        add(f, "encuesta", day, 9, points[r[1] % 3], "es", channels[r[0] / 7 % 4], ans);
    }
    add(f, "otra", "2025-02-10", 9, "mercado-1", "es", "web", "q=4");
}

/* The narrowed queries of the test: all five filters (31 ancestors),
 * the tester's point and channel, a month, a service and an end. */
static ind_filter_t spread_filter(int i)
{
    ind_filter_t q = ind_filter_all();
    switch (i) {
    case 0:
        q = period("2025-01-15", "2025-03-10");
        q.point = "mercado-1";
        q.service = "mercado";
        q.channel = "web";
        break;
    case 1:
        q.point = "mercado-1";
        q.channel = "web";
        break;
    case 2:
        q = period("2025-02-01", "2025-02-28");
        break;
    default:
        q = period(NULL, "2025-02-20");
        q.service = "oficina";
        break;
    }
    return q;
}

static void assert_same_number(double a, double b)
{
    if (isnan(a) || isnan(b)) assert_true(isnan(a) && isnan(b));
    else assert_true(fabs(a - b) <= 1e-9 * fmax(1, fabs(a)));
}

/* The accumulators of one filter read alone (store_ind_load) are those
 * the one-scan load gave it: every group, every counter. */
static void assert_same_accs(const ind_accs_t *alone, const ind_accs_t *many)
{
    assert_int_equal(alone->nslots, many->nslots);
    assert_int_equal(alone->n, many->n);
    for (size_t i = 0; i < alone->n; i++) {
        const ind_acc_t *a = &alone->a[i], *b = ind_accs_find(many, a->dim, a->key);
        if (!b) fail_msg("group %d/%s missing", a->dim, a->key);
        for (size_t k = 0; k < alone->nslots; k++) assert_same_number(a->v[k], b->v[k]);
    }
}

static void assert_same_cell(const ind_cell_t *a, const ind_cell_t *b)
{
    assert_string_equal(a->key, b->key);
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->suppressed, b->suppressed);
    assert_same_number(a->value, b->value);
    assert_same_number(a->lo, b->lo);
    assert_same_number(a->hi, b->hi);
}

/* How many figures and cells of r, and of its channels, are hidden. */
static size_t hidden_cells(const ind_report_t *r)
{
    size_t n = 0;
    for (size_t j = 0; j < r->n; j++) {
        n += r->r[j].total.suppressed;
        for (int d = 0; d < IND_DIM_COUNT; d++)
            for (size_t i = 0; i < r->r[j].nby[d]; i++) n += r->r[j].by[d][i].suppressed;
    }
    for (size_t i = 0; i < r->nchannels; i++) n += r->channels[i].suppressed;
    return n;
}

/* The slow path the one scan replaces, from public pieces: each of the
 * first nanc ancestors of q computed on its own with nothing hidden
 * (threshold 1), and the query's raw figures held to ind_protect_nested
 * against them at threshold 10 (channels like a breakdown, as
 * counts_protect does). out: the published report it gives. */
static void slow_report(fx_t *f, const ind_filter_t *q, size_t nanc, ind_report_t *out)
{
    ind_filter_t anc[IND_MAX_ANCESTORS];
    assert_true(nanc <= ind_filter_ancestors(q, anc));
    ind_report_t *raw = xcalloc(nanc + 1, sizeof *raw);
    f->env.threshold = 1;
    compute(f, q, IND_DIMS_ALL, out);
    for (size_t p = 0; p < nanc; p++) compute(f, &anc[p], IND_DIMS_ALL, &raw[p]);
    f->env.threshold = 10;
    const ind_result_t **w = xcalloc(nanc + 1, sizeof *w);
    for (size_t j = 0; j < out->n; j++) {
        for (size_t p = 0; p < nanc; p++) {
            assert_ptr_equal(raw[p].r[j].def, out->r[j].def);
            w[p] = &raw[p].r[j];
        }
        ind_protect_nested(&out->r[j], w, nanc, IND_DIMS_ALL, 10);
    }
    ind_result_t ch = { .by[IND_DIM_CANAL] = out->channels, .nby[IND_DIM_CANAL] = out->nchannels };
    ind_result_t *wch = xcalloc(nanc + 1, sizeof *wch);
    for (size_t p = 0; p < nanc; p++) {
        wch[p] = (ind_result_t){ .by[IND_DIM_CANAL] = raw[p].channels, .nby[IND_DIM_CANAL] = raw[p].nchannels };
        w[p] = &wch[p];
    }
    ind_protect_nested(&ch, w, nanc, 1u << IND_DIM_CANAL, 10);
    free(wch);
    free(w);
    for (size_t p = 0; p < nanc; p++) ind_report_free(&raw[p]);
    free(raw);
}

static void test_ancestors_from_one_scan_are_each_ancestors_own(void **state)
{
    fx_t *f = *state;
    add_spread(f);
    assert_int_equal(ind_sync(f->s, &f->defs, NULL), STORE_OK);
    for (int i = 0; i < 4; i++) {
        ind_filter_t fs[IND_MAX_ANCESTORS + 1];
        unsigned dims[IND_MAX_ANCESTORS + 1];
        fs[0] = spread_filter(i);
        size_t nf = 1 + ind_filter_ancestors(&fs[0], fs + 1);
        if (i == 0) assert_int_equal(nf, 32);
        for (size_t k = 0; k < nf; k++) dims[k] = k ? IND_DIMS_ALL & ~(1u << IND_DIM_MES) : IND_DIMS_ALL;
        static const char *const forms[] = { "encuesta", "otra" };
        for (int fm = 0; fm < 2; fm++) {
            ind_accs_t many[IND_MAX_ANCESTORS + 1];
            memset(many, 0, sizeof many);
            assert_int_equal(store_ind_load_many(f->s, forms[fm], fs, dims, nf, many), STORE_OK);
            for (size_t k = 0; k < nf; k++) {
                ind_accs_t alone = { 0 };
                assert_int_equal(store_ind_load(f->s, forms[fm], &fs[k], dims[k], &alone), STORE_OK);
                assert_same_accs(&alone, &many[k]);
                ind_accs_free(&alone);
                ind_accs_free(&many[k]);
            }
        }
    }
}

static void test_one_scan_publishes_what_every_ancestor_apart_did(void **state)
{
    fx_t *f = *state;
    add_spread(f);
    for (int i = 0; i < 4; i++) {
        ind_filter_t q = spread_filter(i), anc[IND_MAX_ANCESTORS];
        size_t nanc = ind_filter_ancestors(&q, anc);
        ind_report_t fast, slow, whole_only;
        f->env.threshold = 10;
        compute(f, &q, IND_DIMS_ALL, &fast);
        slow_report(f, &q, nanc, &slow);
        assert_int_equal(fast.n, slow.n);
        for (size_t j = 0; j < fast.n; j++) {
            assert_same_cell(&fast.r[j].total, &slow.r[j].total);
            for (int d = 0; d < IND_DIM_COUNT; d++) {
                assert_int_equal(fast.r[j].nby[d], slow.r[j].nby[d]);
                for (size_t c = 0; c < fast.r[j].nby[d]; c++)
                    assert_same_cell(&fast.r[j].by[d][c], &slow.r[j].by[d][c]);
            }
        }
        assert_int_equal(fast.nchannels, slow.nchannels);
        for (size_t c = 0; c < fast.nchannels; c++) assert_same_cell(&fast.channels[c], &slow.channels[c]);
        /* The data set is one where the ancestors between the query and
         * the whole form hide cells the whole alone would not: skipping
         * one of them shows up above. */
        if (i < 2) {
            slow_report(f, &q, 1, &whole_only);
            assert_true(hidden_cells(&slow) > hidden_cells(&whole_only));
            ind_report_free(&whole_only);
        }
        ind_report_free(&fast);
        ind_report_free(&slow);
    }
}

/* For each of the five narrowing filters X of a query on all five: 20
 * respondents in the query, 3 left out by X alone and 12 by each other
 * filter alone. Only the ancestor that drops X alone differs from the
 * query by a small group (3; those dropping X and more by 15 or more), so
 * the figure is hidden only if that one ancestor is compared: a path that
 * skips any of the five single-drop ancestors publishes it. */
static void test_each_ancestor_alone_can_hide_the_figure(void **state)
{
    (void)state;
    static const char *const what[5] = { "point", "service", "channel", "from", "to" };
    for (int x = 0; x < 5; x++) {
        void *st = NULL;
        assert_int_equal(setup(&st), 0);
        fx_t *f = st;
        f->env.threshold = 10;
        for (int y = -1; y < 5; y++) {
            int n = y < 0 ? 20 : y == x ? 3 : 12;
            for (int i = 0; i < n; i++) {
                char ans[96];
                snprintf(ans, sizeof ans, "servicio=%s p1=%d p2=4 sexo=mujer", y == 1 ? "oficina" : "mercado",
                         1 + i % 5);
                add(f, "encuesta", y == 3 ? "2025-01-05" : y == 4 ? "2025-03-20" : "2025-02-10", 9,
                    y == 0 ? "oficina-1" : "mercado-1", "es", y == 2 ? "papel" : "web", ans);
            }
        }
        ind_filter_t q = spread_filter(0);
        ind_report_t r;
        compute(f, &q, 0, &r);
        const ind_result_t *idx = result(&r, "idx");
        if (!idx->total.suppressed) fail_msg("dropping %s alone leaves out 3: not hidden", what[x]);
        assert_int_equal(idx->total.n, -1);
        ind_report_free(&r);
        /* and with the three taken in, nothing singles anyone out */
        if (x == 0) {
            q.point = NULL;
            compute(f, &q, 0, &r);
            assert_false(result(&r, "idx")->total.suppressed);
            assert_int_equal(result(&r, "idx")->total.n, 23);
            ind_report_free(&r);
        }
        assert_int_equal(teardown(&st), 0);
    }
}

/* The plan page of rows (the period's report rep) as of as_of. */
static char *plan_html(fx_t *f, const ind_report_t *rep, const plan_row_t *rows, int64_t as_of)
{
    buf_t b;
    buf_init(&b);
    ind_plan_view_t v = { .as_of = as_of };
    render_plan(&b, &f->env, &f->plan, rep, rows, &v, LANG_ES);
    return buf_steal(&b);
}

/* Actions with the same window (3 and 7 here, as 3, 5 and 6 of the real
 * plan) are judged on one report built once, and the page is the one
 * each action's own report gave (each gathered as a plan of its own). */
static void test_actions_of_one_window_share_its_report(void **state)
{
    fx_t *f = *state;
    add_dataset(f);
    assert_int_equal(f->plan.n, 3);
    for (size_t i = 0; i < 2; i++) {
        f->plan.a[i].start_ym = 2025 * 12;
        f->plan.a[i].end_ym = 2025 * 12 + 1;
    }
    bizcal_t hol = { 0 };
    int64_t now = bizdays_to_time((int32_t)bizdays_from_civil(2025, 3, 15)) + 12 * 3600, as_of, one_as_of;
    ind_filter_t all = ind_filter_all();
    ind_report_t rep;
    assert_int_equal(ind_report_build(f->s, &f->env, &hol, &all, 0, now, &rep), STORE_OK);
    plan_row_t *rows, *alone = xcalloc(f->plan.n, sizeof *alone);
    assert_int_equal(plan_gather(f->s, &f->env, &hol, &f->plan, &all, now, &rows, &as_of), STORE_OK);
    assert_ptr_equal(rows[0].win, rows[1].win);
    assert_ptr_not_equal(rows[0].win, rows[2].win);
    assert_non_null(rows[0].headline);
    assert_int_equal(rows[0].headline->total.n, 12);   /* R1..R12 */
    for (size_t i = 0; i < f->plan.n; i++) {
        ind_plan_t one = { &f->plan.a[i], 1 };
        plan_row_t *r1;
        assert_int_equal(plan_gather(f->s, &f->env, &hol, &one, &all, now, &r1, &one_as_of), STORE_OK);
        assert_int_equal(one_as_of, as_of);
        alone[i] = r1[0];
        free(r1);
    }
    char *shared = plan_html(f, &rep, rows, as_of), *apart = plan_html(f, &rep, alone, as_of);
    assert_string_equal(shared, apart);
    free(shared);
    free(apart);
    plan_rows_free(alone, f->plan.n);
    plan_rows_free(rows, f->plan.n);
    ind_report_free(&rep);
}

/* The plan's late evidence is counted from the aggregates: the same count
 * as over the responses, by local day (R4 is 2025-01-15 at 22:00 local,
 * the 16th in UTC). */
static void test_form_responses_from_the_aggregates(void **state)
{
    fx_t *f = *state;
    add_dataset(f);
    assert_int_equal(ind_sync(f->s, &f->defs, NULL), STORE_OK);
    static const char *const ranges[][2] = {
        { "2025-01-01", "2025-12-31" }, { "2025-01-15", "2025-01-15" }, { "2025-01-16", "2025-02-03" },
        { "2025-01-11", "2025-02-28" }, { "2025-02-01", "2025-02-28" }, { "2025-03-01", "2026-01-01" },
    };
    for (size_t i = 0; i < sizeof ranges / sizeof *ranges; i++) {
        int64_t from, to, n;
        assert_true(ind_parse_date(ranges[i][0], &from));
        assert_true(ind_parse_date(ranges[i][1], &to));
        assert_int_equal(ind_form_responses(f->s, "encuesta", from, to, &n), STORE_OK);
        assert_int_equal(n, store_count_between(f->s, "encuesta", bizdays_to_time((int32_t)from),
                                                bizdays_to_time((int32_t)(to + 1))));
        if (i == 1) assert_int_equal(n, 1);
    }
    int64_t n;
    assert_int_equal(ind_form_responses(f->s, "encuesta", 20100, 20000, &n), STORE_OK);
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_t_quantiles_match_tables),
        cmocka_unit_test(test_wilson_bounds),
        cmocka_unit_test(test_mean_interval),
        cmocka_unit_test(test_suppression_primary_and_secondary),
        cmocka_unit_test(test_dates_are_santo_domingo_days),
        cmocka_unit_test(test_standard_definitions_and_plan_load),
        cmocka_unit_test_setup_teardown(test_bad_definitions_are_reported_by_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_definitions_mean_no_indicators, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_database_gives_no_figures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_over_items_and_respondents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_top2_share_count, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mean_and_median, setup, teardown),
        cmocka_unit_test_setup_teardown(test_breakdown_has_a_no_response_cell, setup, teardown),
        cmocka_unit_test_setup_teardown(test_secondary_suppression_in_a_breakdown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_total_needs_the_threshold, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_by_local_day, setup, teardown),
        cmocka_unit_test_setup_teardown(test_period_of_whole_and_partial_months, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_by_point_service_and_form, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_that_leaves_out_a_few_hides_the_figure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_that_leaves_out_nobody_or_many_shows_the_figure, setup, teardown),
        cmocka_unit_test(test_breakdown_cells_are_compared_with_the_unfiltered_ones),
        cmocka_unit_test(test_dims_filters_and_month_keys),
        cmocka_unit_test_setup_teardown(test_new_responses_are_folded_in, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleting_a_response_rebuilds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_is_as_of_the_callers_now, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_shape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_for_excel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_formula_guard_is_the_export_one, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_reads_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ancestors_from_one_scan_are_each_ancestors_own, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_scan_publishes_what_every_ancestor_apart_did, setup, teardown),
        cmocka_unit_test(test_each_ancestor_alone_can_hide_the_figure),
        cmocka_unit_test_setup_teardown(test_actions_of_one_window_share_its_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_form_responses_from_the_aggregates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dashboard_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dashboard_says_what_it_shows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_filter_shows_the_form_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_page_shows_evidence_and_inconsistencies, setup, teardown),
    };
    return cmocka_run_group_tests_name("indicators", tests, NULL, NULL);
}
