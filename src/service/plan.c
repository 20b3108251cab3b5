/*
 * plan.c (service, issue 18): the plan page's and the MAP report's data:
 * a period's indicators report and each action's status (see plan.h).
 */
#include "service/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

#include "service/indicators.h"
#include "store/store_entries.h"

int64_t plan_as_of(const ind_filter_t *f, int64_t now)
{
    int64_t today = bizdays_from_time(now);
    return f->to_day != IND_DAY_MAX && f->to_day < today ? f->to_day : today;
}

/* The answers/entries to the forms of w's indicators (in win) stored
 * from day from to day to (inclusive), each form counted once, from the
 * aggregates win was built from (counting the responses themselves was
 * half the page's time at 1M); -1 on error. */
static int64_t late_count(store_t *s, const ind_report_t *win, int action, int64_t from, int64_t to)
{
    if (to < from) return 0;
    int64_t n = 0;
    for (size_t k = 0; k < win->n; k++) {
        const ind_def_t *d = win->r[k].def;
        if (d->action != action) continue;
        bool dup = false;
        for (size_t j = 0; j < k; j++)
            dup |= win->r[j].def->action == action && !strcmp(win->r[j].def->form, d->form);
        if (dup) continue;
        int64_t c;
        if (ind_form_responses(s, d->form, from, to, &c) != STORE_OK) return -1;
        n += c;
    }
    return n;
}

store_rc_t plan_gather(store_t *s, const ind_env_t *env, const bizcal_t *holidays, const ind_plan_t *plan,
                       const ind_filter_t *f, int64_t now, plan_row_t **rows, int64_t *as_of)
{
    *as_of = plan_as_of(f, now);
    *rows = NULL;
    if (!plan->n) return STORE_OK;
    plan_row_t *v = xcalloc(plan->n, sizeof *v);
    for (size_t i = 0; i < plan->n; i++) {
        const ind_plan_action_t *a = &plan->a[i];
        int64_t from, to;
        plan_window(a, *as_of, &from, &to);
        ind_filter_t wf = ind_filter_all();
        wf.from_day = from;
        wf.to_day = to;   /* before from when empty: a report of no day */
        /* Actions with the same window (3, 5 and 6 of the plan) share
         * one report: the same filter and now give the same report, and
         * plan_rows_free frees a shared one once. */
        size_t j = 0;
        while (j < i && (v[j].win->filter.from_day != from || v[j].win->filter.to_day != to)) j++;
        if (j < i) {
            v[i].win = v[j].win;
        } else {
            v[i].win = xcalloc(1, sizeof *v[i].win);
            if (ind_report_build(s, env, holidays, &wf, 0, now, v[i].win) != STORE_OK) {
                free(v[i].win);
                v[i].win = NULL;
                plan_rows_free(v, plan->n);
                return STORE_ERR;
            }
        }
        int64_t late = late_count(s, v[i].win, a->number, plan_month_last_day(a->end_ym) + 1, *as_of);
        if (late < 0) {
            plan_rows_free(v, plan->n);
            return STORE_ERR;
        }
        plan_row_fill(&v[i], a, v[i].win, late, *as_of);
    }
    *rows = v;
    return STORE_OK;
}

int plan_gather_db(const char *db_path, const ind_env_t *env, const bizcal_t *holidays,
                   const ind_plan_t *plan, const ind_filter_t *f, int64_t now, ind_report_t *rep,
                   plan_row_t **rows, int64_t *as_of, char *err, size_t errlen)
{
    if (ind_report_build_db(db_path, env, holidays, f, 1u << IND_DIM_MES, now, rep, err, errlen) != 0)
        return -1;
    char why[512];
    store_t *s = store_open(db_path, why, sizeof why);
    if (!s) {
        snprintf(err, errlen, "database %s: %s", db_path, why);
        ind_report_free(rep);
        return -1;
    }
    store_rc_t rc = plan_gather(s, env, holidays, plan, f, now, rows, as_of);
    store_close(s);
    if (rc == STORE_OK) return 0;
    snprintf(err, errlen, "cannot read the database");
    ind_report_free(rep);
    return -1;
}

store_rc_t plan_registers_gather(store_t *s, const ind_env_t *env, const ind_filter_t *f, lang_t lang,
                                 size_t limit, plan_register_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    /* the period's days as unix times: [first midnight, midnight after
     * the last day) */
    int64_t from = f->from_day == IND_DAY_MIN ? INT64_MIN : bizdays_to_time((int32_t)f->from_day);
    int64_t to = f->to_day == IND_DAY_MAX ? INT64_MAX : bizdays_to_time((int32_t)(f->to_day + 1));
    plan_register_t *v = NULL;
    size_t nv = 0;
    for (size_t i = 0; i < env->nforms; i++) {
        const form_t *form = env->forms[i];
        if (!form->staff) continue;
        plan_register_t *grown = realloc(v, (nv + 1) * sizeof *v);
        if (!grown) goto fail;
        v = grown;
        v[nv++] = (plan_register_t){ .form = form->id };
        store_entry_t *e;
        size_t ne;
        if (store_latest_entries(s, form->id, from, to, limit, &e, &ne) != STORE_OK) goto fail;
        v[nv - 1].e = ne ? calloc(ne, sizeof *v[nv - 1].e) : NULL;
        if (ne && !v[nv - 1].e) {
            store_entries_free(e, ne);
            goto fail;
        }
        for (size_t k = 0; k < ne; k++)
            plan_entry_describe(form, (const char *const *)e[k].questions, (const char *const *)e[k].values,
                                e[k].nanswers, e[k].submitted_hour, lang, &v[nv - 1].e[k]);
        v[nv - 1].n = ne;
        store_entries_free(e, ne);
    }
    *out = v;
    *n = nv;
    return STORE_OK;
fail:
    plan_registers_free(v, nv);
    return STORE_ERR;
}

int plan_registers_gather_db(const char *db_path, const ind_env_t *env, const ind_filter_t *f, lang_t lang,
                             size_t limit, plan_register_t **out, size_t *n, char *err, size_t errlen)
{
    char why[512];
    store_t *s = store_open(db_path, why, sizeof why);
    if (!s) {
        *out = NULL;
        *n = 0;
        snprintf(err, errlen, "database %s: %s", db_path, why);
        return -1;
    }
    store_rc_t rc = plan_registers_gather(s, env, f, lang, limit, out, n);
    store_close(s);
    if (rc == STORE_OK) return 0;
    snprintf(err, errlen, "cannot read the database");
    return -1;
}
