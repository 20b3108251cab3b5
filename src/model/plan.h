/*
 * plan.h (issue 18): where each action of the Plan de Mejora stands, from
 * its dates (forms/plan.csv) and the evidence buzon holds for it (a
 * computed indicators report). Pure: no store, no clock; the caller gives
 * "today", so the rules are unit-tested with fixed dates
 * (tests/unit/test_plan.c). The plan page (view/render_dash.c), the report
 * for the MAP (view/plan_report.c) and its XLSX read the same rows.
 *
 * The status of an action on a day (plan_status), issue 18's honest rules:
 * evidence for an action counts only when dated inside the action's own
 * window, the first day of its start month to the last day of its end
 * month (plan_window; never after the day of the status), and the figure
 * a target is judged on is the headline figure of that window:
 *  - lograda (achieved): it has a target and its figure in its window
 *    reaches it (value >= target); or it has no target, its end has passed
 *    and it has evidence in its window (the plan's indicator is "tasks
 *    done": the task was done and recorded in time);
 *  - vencida (overdue): its end month has passed and it is not achieved
 *    (evidence dated only after the end is shown beside it, "evidencia
 *    después del plazo: N", but does not achieve it);
 *  - en curso (in progress): evidence in its window, the end has not
 *    passed;
 *  - no iniciada (not started): no evidence in its window yet, the end has
 *    not passed.
 * An action whose end is before its start (the plan's action 10) is
 * flagged (plan_dates_inconsistent); its window is empty, so whatever is
 * recorded counts as after its end, and it reads "vencida" once that
 * month is past.
 */
#ifndef BUZON_PLAN_H
#define BUZON_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "base/i18n.h"
#include "model/form.h"
#include "model/indicators.h"

typedef enum plan_status {
    PLAN_NOT_STARTED, PLAN_IN_PROGRESS, PLAN_ACHIEVED, PLAN_OVERDUE, PLAN_STATUS_COUNT
} plan_status_t;

/* What buzon knows of an action's progress. */
typedef struct plan_progress {
    bool   evidence;          /* answers or entries in the action's window */
    int64_t late;             /* answers or entries after its end (to the status day) */
    bool   has_value;         /* the window's headline figure is shown (not hidden) */
    double value;
    bool   has_target;
    double target;            /* in the headline figure's unit */
} plan_progress_t;

/* The first and last day (base/bizdays.h day numbers) of month ym
 * (year * 12 + month - 1). */
int64_t plan_month_first_day(int ym);
int64_t plan_month_last_day(int ym);

/* issue 18: the action's window as of day today: *from the first day of
 * its start month, *to the last day of its end month or today if earlier.
 * False when it is empty (*to < *from: not begun by today, or the plan's
 * end before its start). */
bool plan_window(const ind_plan_action_t *a, int64_t today, int64_t *from, int64_t *to);

/* True when the plan says the action ends before it starts. */
bool plan_dates_inconsistent(const ind_plan_action_t *a);

/* The status of a on day today (see the top of this file). */
plan_status_t plan_status(const ind_plan_action_t *a, int64_t today, const plan_progress_t *p);

/* The status's name in the API's words: "no_iniciada", "en_curso",
 * "lograda", "vencida". */
const char *plan_status_key(plan_status_t s);
/* The status's words for people (strings tables): "En curso", "Ap fèt". */
str_id_t plan_status_text(plan_status_t s);

/* One action of the plan as the page and the report show it. */
typedef struct plan_row {
    const ind_plan_action_t *a;
    const ind_result_t *headline;  /* in the window's report; NULL: no indicator in buzon */
    size_t   nind;                 /* indicators of the action */
    int64_t  entries;              /* answers/entries to its forms in its window */
    int64_t  win_from, win_to;     /* its window (plan_window; to < from: empty) */
    plan_progress_t progress;
    plan_status_t status;
    bool     inconsistent;
    ind_report_t *win;             /* the window's report (owned by plan_rows_free; rows with
                                      the same window may share one), or NULL */
} plan_row_t;

/* Fill w for action a on day today from win, the indicators report of a's
 * window (plan_window; a report of no day when it is empty; borrowed, it
 * must outlive w) and late, the answers/entries to its forms after its
 * end up to today. The headline figure is the row's indicador_id, else
 * the action's first indicator marked headline, else its first
 * indicator; its target is the row's meta, else the indicator's own.
 * w->win is left as it was. */
void plan_row_fill(plan_row_t *w, const ind_plan_action_t *a, const ind_report_t *win, int64_t late,
                   int64_t today);

/* Free n rows and the window reports they own (a report shared by
 * several rows once). */
void plan_rows_free(plan_row_t *rows, size_t n);

/* ---- issue 18: the registers' latest entries (the report's evidence) ---- */

/* One entry of a staff register as the report's evidence list shows it. */
typedef struct plan_entry {
    char  day[11];   /* its `fecha` answer (YYYY-MM-DD), else the day stored */
    char *text;      /* what it was, in the report's language; owned */
} plan_entry_t;

/* A register's latest entries of a period, newest first. */
typedef struct plan_register {
    const char   *form;   /* form id, borrowed from the catalog */
    plan_entry_t *e;      /* owned */
    size_t        n;
} plan_register_t;

/* Describe an entry of form f (nanswers answers q[i] = v[i], stored at
 * unix hour submitted_hour) in language lang into *out: the day is the
 * answer to the date question `fecha` when f has one and it was given,
 * else the local day it was stored; the text is its first two answers, in
 * form order, to a select_one (the choice's label, not its code) or a
 * text question, joined by " · " ("" when none). out->text is malloc'd
 * (the caller frees it; NULL only when out of memory). */
void plan_entry_describe(const form_t *f, const char *const *q, const char *const *v, size_t nanswers,
                         int64_t submitted_hour, lang_t lang, plan_entry_t *out);

/* Free regs[0..n) and their entries, and the array. */
void plan_registers_free(plan_register_t *regs, size_t n);

#endif
