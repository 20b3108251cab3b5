/*
 * plan.h (service, issue 18): gathering what the plan page and the report
 * for the MAP show: the indicators report of a period (service/
 * indicators.h) and, from it, each action's row with its status
 * (model/plan.h) as of the day the period ends or today, whichever is
 * earlier (a report of last year's first half tells where the plan stood
 * then, not now).
 */
#ifndef BUZON_SERVICE_PLAN_H
#define BUZON_SERVICE_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "base/bizdays.h"
#include "model/indicators.h"
#include "model/plan.h"
#include "store/store.h"

/* The day (base/bizdays.h) the statuses of a period f are computed for:
 * the local day of unix time now, or f's last day if earlier. */
int64_t plan_as_of(const ind_filter_t *f, int64_t now);

/* The rows of plan (plan->n of them, in its order) for period f into
 * *rows (free with plan_rows_free; NULL when the plan is empty), and the
 * day they are computed for in *as_of. issue 18: each action is judged on
 * its own window (model/plan.h: plan_window) as of that day: the
 * indicators report of the window (computed once per distinct window,
 * owned by the rows: actions with the same window share it)
 * and one count per form of the action after its end (late evidence).
 * STORE_OK or STORE_ERR (then *rows NULL). */
store_rc_t plan_gather(store_t *s, const ind_env_t *env, const bizcal_t *holidays, const ind_plan_t *plan,
                       const ind_filter_t *f, int64_t now, plan_row_t **rows, int64_t *as_of);

/* For commands: the report of period f from the database at db_path
 * (every breakdown by month, for the charts) into *rep (free with
 * ind_report_free) and the rows into *rows (plan_rows_free). 0, or -1
 * with a message in err. */
int plan_gather_db(const char *db_path, const ind_env_t *env, const bizcal_t *holidays,
                   const ind_plan_t *plan, const ind_filter_t *f, int64_t now, ind_report_t *rep,
                   plan_row_t **rows, int64_t *as_of, char *err, size_t errlen);

/* issue 18: how many of a register's latest entries the report lists. */
#define PLAN_REPORT_ENTRIES 10

/* The latest limit entries of period f (stored in it: see README,
 * "Registers") of every staff form of env (form_t.staff), described in
 * lang (model/plan.h: plan_entry_describe), one plan_register_t per staff
 * form in env's order, with or without entries. *out (free with
 * plan_registers_free) and *n; STORE_OK, or STORE_ERR (then NULL, 0). */
store_rc_t plan_registers_gather(store_t *s, const ind_env_t *env, const ind_filter_t *f, lang_t lang,
                                 size_t limit, plan_register_t **out, size_t *n);

/* plan_registers_gather for a command, on the database at db_path opened
 * for the call. 0, or -1 with a message in err. */
int plan_registers_gather_db(const char *db_path, const ind_env_t *env, const ind_filter_t *f, lang_t lang,
                             size_t limit, plan_register_t **out, size_t *n, char *err, size_t errlen);

#endif
