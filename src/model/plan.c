/*
 * plan.c (issue 18): the status of each action of the Plan de Mejora from
 * its dates and evidence (rules in plan.h). Pure computation over the plan
 * and a computed report; the clock is the caller's.
 */
#include "model/plan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/bizdays.h"
#include "base/buf.h"

int64_t plan_month_first_day(int ym)
{
    return bizdays_from_civil(ym / 12, ym % 12 + 1, 1);
}

int64_t plan_month_last_day(int ym)
{
    return plan_month_first_day(ym + 1) - 1;
}

bool plan_window(const ind_plan_action_t *a, int64_t today, int64_t *from, int64_t *to)
{
    *from = plan_month_first_day(a->start_ym);
    *to = plan_month_last_day(a->end_ym);
    if (today < *to) *to = today;
    return *to >= *from;
}

bool plan_dates_inconsistent(const ind_plan_action_t *a)
{
    return a->end_ym < a->start_ym;
}

plan_status_t plan_status(const ind_plan_action_t *a, int64_t today, const plan_progress_t *p)
{
    if (p->has_target && p->has_value && p->value >= p->target) return PLAN_ACHIEVED;
    if (today > plan_month_last_day(a->end_ym))
        return !p->has_target && p->evidence ? PLAN_ACHIEVED : PLAN_OVERDUE;
    return p->evidence ? PLAN_IN_PROGRESS : PLAN_NOT_STARTED;
}

const char *plan_status_key(plan_status_t s)
{
    static const char *const k[PLAN_STATUS_COUNT] = { "no_iniciada", "en_curso", "lograda", "vencida" };
    return s < PLAN_STATUS_COUNT ? k[s] : "";
}

str_id_t plan_status_text(plan_status_t s)
{
    static const str_id_t t[PLAN_STATUS_COUNT] = { S_PLAN_ST_NOT_STARTED, S_PLAN_ST_IN_PROGRESS,
                                                   S_PLAN_ST_ACHIEVED, S_PLAN_ST_OVERDUE };
    return s < PLAN_STATUS_COUNT ? t[s] : S_PLAN_ST_NOT_STARTED;
}

/* The answers to form in rep's period (0 when it has none). */
static int64_t form_entries(const ind_report_t *rep, const char *form)
{
    for (size_t i = 0; i < rep->nforms; i++)
        if (!strcmp(rep->forms[i].form, form)) return rep->forms[i].responses;
    return 0;
}

void plan_row_fill(plan_row_t *w, const ind_plan_action_t *a, const ind_report_t *rep, int64_t late,
                   int64_t today)
{
    w->a = a;
    w->headline = NULL;
    w->nind = 0;
    w->entries = 0;
    w->progress = (plan_progress_t){ .late = late };
    plan_window(a, today, &w->win_from, &w->win_to);
    const ind_result_t *first = NULL, *head = NULL, *named = NULL;
    /* forms counted once each, whatever the number of indicators */
    const char **seen = xcalloc(rep ? rep->n + 1 : 1, sizeof *seen);
    size_t nseen = 0;
    for (size_t k = 0; rep && k < rep->n; k++) {
        const ind_result_t *r = &rep->r[k];
        if (r->def->action != a->number) continue;
        w->nind++;
        if (!first) first = r;
        if (!head && r->def->headline) head = r;
        if (a->indicator_id && !strcmp(r->def->id, a->indicator_id)) named = r;
        if (r->total.n > 0) w->progress.evidence = true;
        bool dup = false;
        for (size_t s = 0; s < nseen; s++) dup |= !strcmp(seen[s], r->def->form);
        if (!dup) {
            seen[nseen++] = r->def->form;
            w->entries += form_entries(rep, r->def->form);
        }
    }
    free(seen);
    if (w->entries > 0) w->progress.evidence = true;
    w->headline = named ? named : head ? head : first;
    if (a->has_target) {
        w->progress.has_target = true;
        w->progress.target = a->target;
    } else if (w->headline && w->headline->def->has_target) {
        w->progress.has_target = true;
        w->progress.target = w->headline->def->target;
    }
    if (w->headline && !w->headline->total.suppressed && !isnan(w->headline->total.value)) {
        w->progress.has_value = true;
        w->progress.value = w->headline->total.value;
    }
    w->status = plan_status(a, today, &w->progress);
    w->inconsistent = plan_dates_inconsistent(a);
}

void plan_rows_free(plan_row_t *rows, size_t n)
{
    for (size_t i = 0; rows && i < n; i++) {
        if (!rows[i].win) continue;
        bool freed = false;   /* rows with the same window share its report */
        for (size_t j = 0; j < i; j++) freed |= rows[j].win == rows[i].win;
        if (freed) continue;
        ind_report_free(rows[i].win);
        free(rows[i].win);
    }
    free(rows);
}

/* The value of question name among the answers, or NULL. */
static const char *answer_of(const char *const *q, const char *const *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(q[i], name)) return v[i];
    return NULL;
}

void plan_entry_describe(const form_t *f, const char *const *q, const char *const *v, size_t nanswers,
                         int64_t submitted_hour, lang_t lang, plan_entry_t *out)
{
    const question_t *fq = form_question(f, "fecha");
    const char *fecha = fq && (fq->type == Q_DATE || fq->type == Q_DATETIME)
                        ? answer_of(q, v, nanswers, "fecha") : NULL;
    if (fecha && strlen(fecha) >= 10) {
        memcpy(out->day, fecha, 10);
        out->day[10] = '\0';
    } else {
        bizdays_format(bizdays_from_time(submitted_hour), out->day);
    }
    int li = form_lang(f, i18n_code(lang));
    buf_t t;
    buf_init(&t);
    int parts = 0;
    for (size_t i = 0; i < f->nq && parts < 2; i++) {
        const question_t *x = &f->q[i];
        if (x->type != Q_SELECT_ONE && x->type != Q_TEXT) continue;
        const char *a = answer_of(q, v, nanswers, x->name);
        if (!a || !*a) continue;
        const choice_t *c = x->type == Q_SELECT_ONE ? form_choice(x, a) : NULL;
        const char *shown = c ? form_text(f, &c->label, li) : a;
        if (!*shown) shown = a;
        if (parts++) buf_puts(&t, " \xC2\xB7 ");
        buf_puts(&t, shown);
    }
    out->text = strdup(t.data ? t.data : "");
    buf_free(&t);
}

void plan_registers_free(plan_register_t *regs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < regs[i].n; k++) free(regs[i].e[k].text);
        free(regs[i].e);
    }
    free(regs);
}
