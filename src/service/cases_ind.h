/*
 * cases_ind.h: the complaints desk's figures as plan indicators (actions
 * 6 and 7), added to a report of the indicators engine (indicators.h) so
 * that the API, its CSV / XLSX, the dashboard and the plan page show them
 * like any other indicator.
 *
 * The indicators (ids as in the API):
 *   action 6  casos_respuesta_mediana, casos_respuesta_p90: business days
 *             from receipt to the first public answer (median, 90th
 *             percentile; n = cases answered);
 *             casos_cierre_mediana, casos_cierre_p90: the same to closure
 *             (n = cases closed);
 *             (compliments and cases closed as duplicates or spam are
 *             left out of every timing);
 *   action 7  casos_en_plazo: % of cases within the Carta de Servicios'
 *             promise = first public answer on or before the deadline /
 *             (answered + closed without an answer + open, unanswered and
 *             past it; all with a deadline), Wilson 95% interval;
 *             casos_cerrados_sin_respuesta (failures), casos_duplicados,
 *             casos_spam, casos_fuera_de_competencia (closed with a
 *             referral), casos_elogios: counts (n = cases received);
 *             casos_vencidos: open unanswered cases past their deadline
 *             (n = open, compliments excluded);
 *             casos_pendientes_0_5, _6_10, _11_20, _21_mas: open cases by
 *             business-day age (n = open).
 * Percentiles are reported with the engine's "median" kind (unit
 * "number"): their id and label say which one. Cases are counted by the
 * local day they arrived, with the report's filters (from, to, form,
 * point, service); the breakdowns are by service and by month only (the
 * other breakdowns are left NULL: they do not apply). A case stands for
 * the person who wrote it, so every figure and cell is held to the
 * engine's privacy rules (ind_protect: threshold, secondary suppression,
 * differencing against the unfiltered figures), its n being the cases
 * the figure counts.
 */
#ifndef BUZON_CASES_IND_H
#define BUZON_CASES_IND_H

#include <stdint.h>

#include "base/bizdays.h"
#include "model/indicators.h"
#include "store/store.h"

/* The form the desk's indicators are listed under. */
#define CASES_IND_FORM "quejas"

/* Compute the case indicators of the cases in s for rep's filter and
 * breakdowns as of now, with env's threshold, and append them to rep
 * (owned by it afterwards: ind_report_free frees them). Nothing is added
 * when rep's filter names another form than CASES_IND_FORM. STORE_OK or
 * STORE_ERR (rep unchanged). Called by ind_report_build
 * (service/indicators.h), the one way to a report. */
store_rc_t cases_ind_append(ind_report_t *rep, store_t *s, const ind_env_t *env, const bizcal_t *cal,
                            int64_t now);

#endif
