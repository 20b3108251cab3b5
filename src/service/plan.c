/*
 * plan.c (service, issue 18): the plan page's and the MAP report's data:
 * a period's indicators report and each action's status (see plan.h).
 */
#include "service/plan.h"

#include "service/indicators.h"

int64_t plan_as_of(const ind_filter_t *f, int64_t now)
{
    int64_t today = bizdays_from_time(now);
    return f->to_day != IND_DAY_MAX && f->to_day < today ? f->to_day : today;
}

plan_row_t *plan_gather(const ind_plan_t *plan, const ind_report_t *rep, const ind_filter_t *f,
                        int64_t now, int64_t *as_of)
{
    *as_of = plan_as_of(f, now);
    return plan_rows(plan, rep, *as_of);
}

int plan_gather_db(const char *db_path, const ind_env_t *env, const bizcal_t *holidays,
                   const ind_plan_t *plan, const ind_filter_t *f, int64_t now, ind_report_t *rep,
                   plan_row_t **rows, int64_t *as_of, char *err, size_t errlen)
{
    if (ind_report_build_db(db_path, env, holidays, f, 1u << IND_DIM_MES, now, rep, err, errlen) != 0)
        return -1;
    *rows = plan_gather(plan, rep, f, now, as_of);
    return 0;
}
