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

#include "store/store_cases.h"

store_rc_t cases_collect(store_t *s, const case_query_t *q, case_rec_t **out, size_t *n)
{
    assert(s && q && out && n);
    case_query_t all = *q;
    all.status = CASE_ANY_STATUS;
    return store_case_list(s, &all, 0, out, n);
}

void cases_collect_free(case_rec_t *v, size_t n)
{
    case_recs_free(v, n);
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
