/*
 * indicators.h (service): computing the plan's indicators from the
 * database. The one way to a report: ind_report_build() folds new
 * responses into the aggregates, computes every definition of
 * forms/indicators.csv and appends the complaints desk's figures
 * (service/cases_ind.h), so that the API (/api/v1/indicators and its CSV /
 * XLSX), the dashboard (/indicadores, /indicadores/plan) and
 * `buzon indicators` show the same set. The methodology, the privacy rules
 * and the report's types are the model's (model/indicators.h); the
 * aggregates are the store's (store/store_ind.h); writing a report is the
 * views' (view/ind_out.h, view/render_dash.h).
 *
 * Service layer: sees base/, model/, store/ and service/. Return codes are
 * the store's: STORE_OK or STORE_ERR (a message was logged to stderr).
 */
#ifndef BUZON_SERVICE_INDICATORS_H
#define BUZON_SERVICE_INDICATORS_H

#include <stddef.h>
#include <stdint.h>

#include "base/bizdays.h"
#include "model/indicators.h"
#include "store/store.h"

/* Fold responses not yet counted into the aggregates (rebuilding them when
 * the definitions changed or a response was deleted or edited). Safe to
 * call from any thread, any time; cheap when nothing is new. *folded (may
 * be NULL) gets the number of responses folded. STORE_OK or STORE_ERR. */
store_rc_t ind_sync(store_t *s, const ind_defs_t *defs, int64_t *folded);

/* Bring the aggregates of s up to date, then compute every definition of
 * env (of f->form, when set) with the breakdowns in dims: the survey's
 * figures only (no case figures: see ind_report_build). STORE_OK with out
 * filled (the caller owns it: ind_report_free), or STORE_ERR (out
 * empty). */
store_rc_t ind_compute(store_t *s, const ind_env_t *env, const ind_filter_t *f, unsigned dims,
                       ind_report_t *out);

/* The report every interface shows: ind_compute, then the complaints
 * desk's figures of actions 6 and 7 (cases_ind_append) counted in business
 * days of holidays as of now (unix time), also the report's generated_at.
 * f's strings are borrowed by out and must outlive it. STORE_OK with out filled (the caller owns it:
 * ind_report_free), or STORE_ERR (out empty). */
store_rc_t ind_report_build(store_t *s, const ind_env_t *env, const bizcal_t *holidays,
                            const ind_filter_t *f, unsigned dims, int64_t now, ind_report_t *out);

/* issue 17 (plan page speed): the responses of form stored on local
 * days from..to (inclusive; none when to < from) into *n, summed from the
 * aggregates (a few hundred rows) rather than counted over the responses
 * (hundreds of thousands at 1M): the same count, as a response's local
 * day is that of its stored hour. The aggregates must be up to date
 * (ind_sync, which ind_compute does) and form must have definitions in
 * them. STORE_OK or STORE_ERR. */
store_rc_t ind_form_responses(store_t *s, const char *form, int64_t from, int64_t to, int64_t *n);

/* A number that changes whenever anything is committed to the database,
 * by s or another process (store_data_version): a report built while it
 * read v is still the report of now while it reads v, apart from the
 * clock. */
int64_t ind_data_version(store_t *s);

/* ind_report_build on the database at db_path, opened (created and
 * migrated when needed) for the call and closed after: for a command
 * that has no open store. 0 with out filled (the caller owns it:
 * ind_report_free), or -1 with a message for people in err (out empty). */
int ind_report_build_db(const char *db_path, const ind_env_t *env, const bizcal_t *holidays,
                        const ind_filter_t *f, unsigned dims, int64_t now, ind_report_t *out,
                        char *err, size_t errlen);

#endif
