/*
 * case_measures.c: the Carta de Servicios measures of the cases in the
 * store (see case_measures.h): the case rows are read through the store
 * (store_case_list) and measured by the model (cases_measure_recs in
 * model/cases_measures.c). Service layer: sees base/, model/, store/ and
 * service/.
 */
#include "service/case_measures.h"

#include <assert.h>
#include <stdlib.h>

#include "base/buf.h"
#include "store/store_cases.h"

/* Case records collected from the store (copies: the callback's record
 * is only valid during the call). */
typedef struct collect {
    case_rec_t *v;
    size_t n, cap;
} collect_t;

static void collect_cb(void *arg, const case_rec_t *c)
{
    collect_t *k = arg;
    if (k->n == k->cap) {
        k->cap = k->cap ? 2 * k->cap : 64;
        k->v = xrealloc(k->v, k->cap * sizeof *k->v);
    }
    /* Only the fields the measures and their breakdowns read. */
    k->v[k->n++] = (case_rec_t){
        .status = c->status, .created_at = c->created_at, .standard_days = c->standard_days,
        .due = c->due, .first_answer_at = c->first_answer_at, .closed_at = c->closed_at,
        .service = c->service ? xstrdup(c->service) : NULL,
    };
}

store_rc_t cases_collect(store_t *s, const case_query_t *q, case_rec_t **out, size_t *n)
{
    assert(s && q && out && n);
    case_query_t all = *q;
    all.status = CASE_ANY_STATUS;
    collect_t k = { 0 };
    int rc = store_case_list(s, &all, 0, collect_cb, &k);
    *out = k.v;
    *n = k.n;
    return rc;
}

void cases_collect_free(case_rec_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++) case_rec_free(&v[i]);
    free(v);
}

store_rc_t cases_measures(store_t *s, const bizcal_t *cal, const case_query_t *q, int64_t now,
                          case_measures_t *out)
{
    assert(s && cal && q && out);
    case_rec_t *v;
    size_t n;
    int rc = cases_collect(s, q, &v, &n);
    if (rc == STORE_OK) cases_measure_recs(v, n, cal, now, out);
    cases_collect_free(v, n);
    return rc;
}
