/*
 * case_measures.h: how the complaints desk keeps the Carta de Servicios,
 * measured on the cases in the database: the case records read from the
 * store (cases_collect) and their measures (cases_measures). The measures
 * themselves are pure model computation (model/cases.h:
 * cases_measure_recs); the indicators service (service/cases_ind.c) turns
 * them into plan figures. Service layer: sees base/, model/, store/ and
 * service/.
 */
#ifndef BUZON_CASE_MEASURES_H
#define BUZON_CASE_MEASURES_H

#include <stddef.h>
#include <stdint.h>

#include "base/bizdays.h"
#include "model/cases.h"
#include "store/store.h"

/* Measure the cases in s matching q (status is ignored: all are measured)
 * as of now, as cases_measure_recs defines the measures. STORE_OK or
 * STORE_ERR (out then unspecified). */
store_rc_t cases_measures(store_t *s, const bizcal_t *cal, const case_query_t *q, int64_t now,
                          case_measures_t *out);
/* The cases in s matching q (whatever their status) as records holding
 * what the measures read (times, deadline, status, service): *out, *n,
 * owned by the caller; free with cases_collect_free, also after
 * STORE_ERR. STORE_OK or STORE_ERR. */
store_rc_t cases_collect(store_t *s, const case_query_t *q, case_rec_t **out, size_t *n);
void cases_collect_free(case_rec_t *v, size_t n);

#endif
