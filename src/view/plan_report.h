/*
 * plan_report.h (issue 18 item 3): the evaluation report of the Plan de
 * Mejora for the MAP, as A4 pages of SVG (joined into a PDF by
 * model/pdf.h, as the paper questionnaire is) and as an XLSX workbook for
 * SISMAP Municipal (a summary sheet and one sheet per action). Both from
 * the same gathered data (service/plan.h): the plan, a period's
 * indicators report and each action's row with its status.
 *
 * The PDF: a cover (the Ayuntamiento, the plan, the period, the day it was
 * made and the day the statuses are for), a summary table of the actions
 * with their status, one section per action (its dates, unit, plan
 * indicator, target, status; every buzon indicator of the action with
 * value, 95% interval and n; a bar chart of its main figures; the evidence:
 * answers or entries per form in the period; the plan's note) and the
 * method note (non-probability sample, small-cell suppression, business
 * days). A period without any data says so on every page. Black on white
 * with one grey, text 9 pt or more: it is printed and photocopied.
 */
#ifndef BUZON_PLAN_REPORT_H
#define BUZON_PLAN_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/i18n.h"
#include "model/indicators.h"
#include "model/plan.h"

typedef struct plan_report_in {
    const ind_env_t    *env;
    const ind_plan_t   *plan;
    const ind_report_t *rep;      /* the period's figures */
    const plan_row_t   *rows;     /* plan->n rows from rep */
    const char         *from, *to;   /* the period as given, NULL when open */
    int64_t             as_of;    /* day the statuses are for (bizdays) */
    int64_t             made_day; /* day the report is made (bizdays) */
    lang_t              lang;
    /* issue 18: the staff registers' latest entries of the period
     * (service/plan.h: plan_registers_gather), listed under the evidence
     * of each action whose figures come from that register; NULL, 0: none */
    const plan_register_t *regs;
    size_t              nregs;
} plan_report_in_t;

/* Lay the report out. Returns the number of pages (>= 2) and sets *pages
 * to a malloc'd array of that many buffers, each a complete A4 SVG
 * document; the caller frees each with buf_free and the array with free. */
size_t plan_report_svg(buf_t **pages, const plan_report_in_t *in);

/* Append the XLSX workbook to out: sheet "Resumen" (one row per action)
 * and "Accion N" per action. 0, or -1 (a message on stderr). */
int plan_report_xlsx(buf_t *out, const plan_report_in_t *in);

/* True when the period holds no answer, entry or case figure at all. */
bool plan_report_empty(const ind_report_t *rep);

#endif
