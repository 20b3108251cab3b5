/*
 * cases_ind.c: the complaints desk's figures appended to an indicators
 * report (see cases_ind.h). The definitions are fixed here rather than in
 * forms/indicators.csv: they are not questions of a form but timings of
 * the desk, and the engine's loader only knows answer-based kinds.
 */
#include "service/cases_ind.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "model/cases.h"
#include "service/case_measures.h"
#include "base/i18n.h"

typedef enum measure {
    M_ANSWER_MEDIAN, M_ANSWER_P90, M_CLOSE_MEDIAN, M_CLOSE_P90, M_WITHIN,
    M_UNANSWERED, M_DUPLICATES, M_SPAM, M_OUT_OF_SCOPE, M_COMPLIMENTS,   /* counts */
    M_OVERDUE,
    M_BACKLOG   /* + bucket index */
} measure_t;

/* The labels live in the strings tables (S_CASEIND_*, both languages);
 * ind_def_t holds plain pointers, so they are filled in once, on first
 * use (init_labels). */
#define DEF(id_, action_, kind_, headline_) \
    { .id = id_, .action = action_, .form = CASES_IND_FORM, .kind = kind_, .headline = headline_ }

/* In the order of defs. */
static const str_id_t label_ids[] = {
    S_CASEIND_RESPUESTA_MEDIANA,
    S_CASEIND_RESPUESTA_P90,
    S_CASEIND_CIERRE_MEDIANA,
    S_CASEIND_CIERRE_P90,
    S_CASEIND_EN_PLAZO,
    S_CASEIND_SIN_RESPUESTA,
    S_CASEIND_DUPLICADOS,
    S_CASEIND_SPAM,
    S_CASEIND_FUERA_COMPETENCIA,
    S_CASEIND_ELOGIOS,
    S_CASEIND_VENCIDOS,
    S_CASEIND_PENDIENTES_0_5,
    S_CASEIND_PENDIENTES_6_10,
    S_CASEIND_PENDIENTES_11_20,
    S_CASEIND_PENDIENTES_21_MAS,
};

static ind_def_t defs[] = {
    DEF("casos_respuesta_mediana", 6, IND_MEDIAN, true),
    DEF("casos_respuesta_p90", 6, IND_MEDIAN, false),
    DEF("casos_cierre_mediana", 6, IND_MEDIAN, false),
    DEF("casos_cierre_p90", 6, IND_MEDIAN, false),
    DEF("casos_en_plazo", 7, IND_SHARE, true),
    /* How cases left the % within standard, or why they count as failures. */
    DEF("casos_cerrados_sin_respuesta", 7, IND_COUNT, false),
    DEF("casos_duplicados", 7, IND_COUNT, false),
    DEF("casos_spam", 7, IND_COUNT, false),
    DEF("casos_fuera_de_competencia", 7, IND_COUNT, false),
    DEF("casos_elogios", 7, IND_COUNT, false),
    DEF("casos_vencidos", 7, IND_COUNT, true),
    DEF("casos_pendientes_0_5", 7, IND_COUNT, false),
    DEF("casos_pendientes_6_10", 7, IND_COUNT, false),
    DEF("casos_pendientes_11_20", 7, IND_COUNT, false),
    DEF("casos_pendientes_21_mas", 7, IND_COUNT, false),
};
enum { NDEFS = sizeof defs / sizeof defs[0] };
_Static_assert(NDEFS == M_BACKLOG + CASE_BACKLOG_BUCKETS, "one definition per measure");
_Static_assert(sizeof label_ids / sizeof label_ids[0] == NDEFS, "one label per definition");

static pthread_once_t labels_once = PTHREAD_ONCE_INIT;

static void init_labels(void)
{
    for (int d = 0; d < NDEFS; d++)
        for (int l = 0; l < LANG_COUNT; l++)
            defs[d].label[l] = (char *)i18n((lang_t)l, label_ids[d]);   /* never written */
}

/* The cell of measure m from measures x, with key (copied). */
static ind_cell_t cell(measure_t m, const case_measures_t *x, const char *key)
{
    ind_cell_t c = { .key = xstrdup(key), .value = NAN, .lo = NAN, .hi = NAN };
    switch (m) {
    case M_ANSWER_MEDIAN: c.value = x->answer_median; c.n = (int64_t)x->answered; break;
    case M_ANSWER_P90:    c.value = x->answer_p90;    c.n = (int64_t)x->answered; break;
    case M_CLOSE_MEDIAN:  c.value = x->close_median;  c.n = (int64_t)x->closed; break;
    case M_CLOSE_P90:     c.value = x->close_p90;     c.n = (int64_t)x->closed; break;
    case M_WITHIN:
        c.value = x->pct_within;
        c.lo = x->pct_lo;
        c.hi = x->pct_hi;
        c.n = (int64_t)x->judged;
        break;
    case M_UNANSWERED:   c.value = (double)x->closed_unanswered; c.n = (int64_t)x->n; break;
    case M_DUPLICATES:   c.value = (double)x->duplicates; c.n = (int64_t)x->n; break;
    case M_SPAM:         c.value = (double)x->spam; c.n = (int64_t)x->n; break;
    case M_OUT_OF_SCOPE: c.value = (double)x->out_of_scope; c.n = (int64_t)x->n; break;
    case M_COMPLIMENTS:  c.value = (double)x->compliments; c.n = (int64_t)x->n; break;
    case M_OVERDUE: c.value = (double)x->overdue_open; c.n = (int64_t)x->open; break;
    default:        c.value = (double)x->backlog[m - M_BACKLOG]; c.n = (int64_t)x->open; break;
    }
    return c;
}

/* The group key of a case in breakdown dim. */
static void group_key(const case_rec_t *c, ind_dim_t dim, char key[32])
{
    if (dim == IND_DIM_SERVICIO) {
        snprintf(key, 32, "%s", c->service ? c->service : IND_KEY_NONE);
    } else {
        ind_month_key_format(ind_day_to_ym(bizdays_from_time(c->created_at)), key);
    }
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The breakdown dim of every definition: one cell per group, groups in
 * key order (service ids, months). */
static void breakdown(ind_result_t *res, const case_rec_t *v, size_t n, const bizcal_t *cal,
                      int64_t now, ind_dim_t dim)
{
    char **keys = xcalloc(n ? n : 1, sizeof *keys);
    size_t nk = 0;
    for (size_t i = 0; i < n; i++) {
        char k[32];
        group_key(&v[i], dim, k);
        bool seen = false;
        for (size_t j = 0; j < nk && !seen; j++) seen = !strcmp(keys[j], k);
        if (!seen) keys[nk++] = xstrdup(k);
    }
    qsort(keys, nk, sizeof *keys, cmp_key);
    case_rec_t *sub = xcalloc(n ? n : 1, sizeof *sub);
    for (int d = 0; d < NDEFS; d++) {
        res[d].by[dim] = xcalloc(nk ? nk : 1, sizeof *res[d].by[dim]);
        res[d].nby[dim] = nk;
    }
    for (size_t j = 0; j < nk; j++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            char k[32];
            group_key(&v[i], dim, k);
            if (!strcmp(k, keys[j])) sub[m++] = v[i];   /* shallow: measures read no strings */
        }
        case_measures_t x;
        cases_measure_recs(sub, m, cal, now, &x);
        for (int d = 0; d < NDEFS; d++) res[d].by[dim][j] = cell((measure_t)d, &x, keys[j]);
        free(keys[j]);
    }
    free(sub);
    free(keys);
}

/* Every definition's figure over cases v, with the breakdowns of dims
 * that apply (service, month), before any suppression. res: NDEFS
 * results, zeroed. */
static void measure_all(ind_result_t *res, const case_rec_t *v, size_t n, const bizcal_t *cal,
                        int64_t now, unsigned dims)
{
    pthread_once(&labels_once, init_labels);
    case_measures_t total;
    cases_measure_recs(v, n, cal, now, &total);
    for (int d = 0; d < NDEFS; d++) {
        res[d].def = &defs[d];
        res[d].total = cell((measure_t)d, &total, "");
    }
    static const ind_dim_t applies[] = { IND_DIM_SERVICIO, IND_DIM_MES };
    for (size_t k = 0; k < sizeof applies / sizeof applies[0]; k++)
        if (dims & 1u << applies[k]) breakdown(res, v, n, cal, now, applies[k]);
}

static void results_free(ind_result_t *res)
{
    for (int d = 0; d < NDEFS; d++) ind_result_free(&res[d]);
}

/* The cases query of an indicators filter (its strings borrowed). */
static case_query_t query_of(const ind_filter_t *f)
{
    return (case_query_t){
        .service = f->service, .point = f->point, .channel = f->channel,
        .from = f->from_day == IND_DAY_MIN ? 0 : bizdays_to_time((int32_t)f->from_day),
        .to = f->to_day == IND_DAY_MAX ? 0 : bizdays_to_time((int32_t)(f->to_day + 1)),
    };
}

store_rc_t cases_ind_append(ind_report_t *rep, store_t *s, const ind_env_t *env, const bizcal_t *cal,
                            int64_t now)
{
    assert(rep && s && env && cal);
    const ind_filter_t *f = &rep->filter;
    if (f->form && strcmp(f->form, CASES_IND_FORM)) return STORE_OK;
    case_query_t q = query_of(f);
    /* A narrowing filter needs the cases of each of its ancestors too
     * (the filter with some of its narrowing filters dropped, the whole
     * desk first), for the differencing rule (issue 17). */
    ind_filter_t anc[IND_MAX_ANCESTORS];
    const size_t nanc = ind_filter_ancestors(f, anc);
    case_rec_t *v = NULL;
    size_t n = 0;
    bool ok = cases_collect(s, &q, &v, &n) == STORE_OK;
    ind_result_t (*whole)[NDEFS] = xcalloc(nanc + 1, sizeof *whole);
    for (size_t p = 0; p < nanc && ok; p++) {
        case_query_t qa = query_of(&anc[p]);
        case_rec_t *w = NULL;
        size_t nw = 0;
        ok = cases_collect(s, &qa, &w, &nw) == STORE_OK;
        if (ok) measure_all(whole[p], w, nw, cal, now, rep->dims);
        cases_collect_free(w, nw);
    }
    if (!ok) {
        for (size_t p = 0; p < nanc; p++) results_free(whole[p]);
        free(whole);
        cases_collect_free(v, n);
        return STORE_ERR;
    }
    rep->r = xrealloc(rep->r, (rep->n + NDEFS) * sizeof *rep->r);
    ind_result_t *res = &rep->r[rep->n];
    memset(res, 0, NDEFS * sizeof *res);
    measure_all(res, v, n, cal, now, rep->dims);
    /* The cells are about few people at small desks: the same thresholds
     * as the survey's figures. */
    const ind_result_t **wp = xcalloc(nanc + 1, sizeof *wp);
    for (int d = 0; d < NDEFS; d++) {
        for (size_t p = 0; p < nanc; p++) wp[p] = &whole[p][d];
        ind_protect_nested(&res[d], wp, nanc, rep->dims, env->threshold);
    }
    free(wp);
    for (size_t p = 0; p < nanc; p++) results_free(whole[p]);
    free(whole);
    rep->n += NDEFS;
    cases_collect_free(v, n);
    return STORE_OK;
}
