/*
 * render_dash.h: the indicators pages (render_dash.c): the dashboard
 * /indicadores and the plan page /indicadores/plan, from a computed report
 * (model/indicators.h) and its model context; they read no store. View
 * layer: sees base/ and model/.
 */
#ifndef BUZON_RENDER_DASH_H
#define BUZON_RENDER_DASH_H

#include "base/buf.h"
#include "base/i18n.h"
#include "model/indicators.h"

/* What the dashboard's filter form shows: the filters as typed (NULL when
 * absent), the breakdown chosen for action 4's charts, and the name of a
 * filter that was refused (NULL if none). */
/* ind_dash_view_t.by for by=none: no breakdown under action 4. */
#define IND_DASH_BY_NONE IND_DIM_COUNT

typedef struct ind_dash_view {
    const char *from, *to, *form, *point, *service;
    ind_dim_t   by;           /* or IND_DASH_BY_NONE */
    const char *error_param;
    const char *nav;          /* the staff menu's HTML, or NULL (public) */
    const char *channel;      /* the canal filter as given, or NULL (issue 17) */
    /* issue 17: every breakdown asked, as the API takes by= (several,
     * comma-separated, and mes): 1 << ind_dim_t, each shown under action
     * 4 in ind_dim_t order; 0 means by alone. by_list is by= as given
     * (NULL: the default), kept in the page's own address. */
    unsigned    by_dims;
    const char *by_list;
} ind_dash_view_t;

/* /indicadores: the filter form, downloads, one section per plan action
 * with its cards, charts and table, and the method notes. rep may be NULL
 * (a refused filter: only the form and the message). plan may be empty. */
void render_dashboard(buf_t *out, const ind_env_t *env, const ind_plan_t *plan,
                      const ind_report_t *rep, const ind_dash_view_t *v, lang_t lang);
/* What the plan page shows besides the figures (issue 18): the period as
 * typed (NULL when open), the day the statuses are computed for (a day
 * number, base/bizdays.h), the staff menu (NULL: none) and a refused
 * filter's name (NULL if none). */
typedef struct ind_plan_view {
    const char *from, *to;
    int64_t     as_of;
    const char *nav;
    const char *error_param;
} ind_plan_view_t;

/* /indicadores/plan: a summary table of the actions with their status,
 * then every action with its dates, unit, indicator, target, current
 * figure with n and status (rows: model/plan.h, one per action of plan,
 * computed from rep), the evidence in rep or "sin datos todavía", the
 * plan's own inconsistencies, and the buttons of the report for the MAP
 * for the same period and language. rep and rows may be NULL (a refused
 * period: the form and the message only). */
struct plan_row;
void render_plan(buf_t *out, const ind_env_t *env, const ind_plan_t *plan,
                 const ind_report_t *rep, const struct plan_row *rows,
                 const ind_plan_view_t *v, lang_t lang);

#endif
