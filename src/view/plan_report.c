/*
 * plan_report.c (issue 18 item 3): the report for the MAP as A4 SVG pages
 * and as XLSX (see plan_report.h). The pages are laid out top to bottom
 * with a cursor; a block that does not fit goes to a new page with the
 * running head; page numbers ("Página 3 de 14") are written once the
 * number of pages is known. Text is measured with the poster's DejaVu
 * widths (model/poster.h) and wrapped greedily, as the paper
 * questionnaire does (view/paper.c).
 */
#include "view/plan_report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bizdays.h"
#include "model/poster.h"
#include "view/ind_out.h"
#include "view/xlsx_mem.h"

#define PAGE_W  210.0
#define PAGE_H  297.0
#define MARGIN  15.0
#define TEXT_W  (PAGE_W - 2 * MARGIN)
#define BOTTOM  (PAGE_H - 20.0)      /* the footer lives below */
#define H1      7.0                   /* font sizes in mm: 3.53 mm = 10 pt */
#define H2      5.0
#define BODY    3.6
#define SMALL   3.2                   /* 9 pt: table cells, footers */
#define LEAD    1.35

static const char FONT[] = "DejaVu Sans, Liberation Sans, Arial, sans-serif";

static const char *T(lang_t l, str_id_t id) { return i18n(l, id); }

/* ---- text ------------------------------------------------------------ */

/* Greedy wrap of plain text at size into lines at most width mm wide, each
 * NUL-terminated in lines; returns the number of lines (0 for no text). */
static int wrap(buf_t *lines, const char *plain, double size, bool bold, double width)
{
    buf_reset(lines);
    int n = 0;
    buf_t line, t;
    buf_init(&line);
    buf_init(&t);
    const char *p = plain ? plain : "";
    while (*p) {
        while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') p++;
        if (!*p) break;
        const char *e = p;
        while (*e && *e != ' ' && *e != '\n' && *e != '\t' && *e != '\r') e++;
        buf_reset(&t);
        if (line.len) buf_printf(&t, "%s ", line.data);
        buf_append(&t, p, (size_t)(e - p));
        buf_putc(&t, '\0');
        if (line.len && poster_text_width(t.data, bold) * size > width) {
            buf_append(lines, line.data, line.len + 1);
            n++;
            buf_reset(&line);
            buf_append(&line, p, (size_t)(e - p));
        } else {
            buf_reset(&line);
            buf_puts(&line, t.data);
        }
        p = e;
    }
    if (line.len) {
        buf_append(lines, line.data, line.len + 1);
        n++;
    }
    buf_free(&line);
    buf_free(&t);
    return n;
}

/* Draw plain text wrapped at (x, y: top of the first line) into o (NULL:
 * measure only); returns the height used. */
static double text(buf_t *o, const char *plain, double x, double y, double size, bool bold, double width)
{
    buf_t lines;
    buf_init(&lines);
    int n = wrap(&lines, plain, size, bold, width);
    const char *l = lines.data;
    for (int k = 0; o && k < n; k++, l += strlen(l) + 1) {
        buf_printf(o, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\"%s>", x,
                   y + size * (k + 1) * LEAD - size * (LEAD - 1) - 0.3, size,
                   bold ? " font-weight=\"bold\"" : "");
        buf_html(o, l);
        buf_puts(o, "</text>\n");
    }
    buf_free(&lines);
    return n * size * LEAD;
}

/* ---- figures as people read them ------------------------------------ */

static int decimals(const ind_def_t *d)
{
    /* issue 18: counts (answers, entries, sums of people) are whole */
    if (d->kind == IND_COUNT || d->kind == IND_SUM || d->kind == IND_ENTRIES) return 0;
    return d->kind == IND_MEAN ? 2 : 1;
}

static void fmt_value(buf_t *o, const ind_def_t *d, double v, lang_t lang)
{
    ind_fmt_num(o, v, decimals(d), lang);
    if (ind_kind_is_percent(d->kind)) buf_puts(o, "\xC2\xA0%");
}

/* The figure of a cell, or why there is none. */
static void value_text(buf_t *o, const ind_def_t *d, const ind_cell_t *c, lang_t lang)
{
    if (c->suppressed && c->n != 0) buf_puts(o, T(lang, S_IND_SUPPRESSED));
    else if (c->suppressed || isnan(c->value)) buf_puts(o, T(lang, S_IND_NO_DATA));
    else fmt_value(o, d, c->value, lang);
}

static void range_text(buf_t *o, const ind_def_t *d, const ind_cell_t *c, lang_t lang)
{
    if (c->suppressed || isnan(c->lo) || isnan(c->hi)) return;
    ind_fmt_num(o, c->lo, decimals(d), lang);
    buf_puts(o, "\xE2\x80\x93");
    fmt_value(o, d, c->hi, lang);
}

static void n_text(buf_t *o, int64_t n, lang_t lang)
{
    if (n >= 0) ind_fmt_num(o, (double)n, 0, lang);
}

static void months_text(buf_t *o, int a, int b, lang_t lang);

/* "87.5 (n = 4)", or "Sin indicador en buzon todavía". */
static void current_text(buf_t *o, const plan_row_t *w, lang_t lang)
{
    if (!w->headline) {
        buf_puts(o, T(lang, S_PLAN_NO_INDICATOR));
        return;
    }
    value_text(o, w->headline->def, &w->headline->total, lang);
    if (w->headline->total.n >= 0) {
        buf_puts(o, " (n = ");
        n_text(o, w->headline->total.n, lang);
        buf_puts(o, ")");
    }
}

/* issue 18: where a row's figure and status come from: "Del plazo de la
 * acción (septiembre 2024 – octubre 2024) · evidencia en el plazo: 3", and
 * "evidencia después del plazo: N" when there is some. */
static void window_text(buf_t *o, const plan_row_t *w, lang_t lang)
{
    buf_printf(o, "%s (", T(lang, S_PLAN_WINDOW));
    months_text(o, w->a->start_ym, w->a->end_ym, lang);
    buf_printf(o, ") \xC2\xB7 %s: ", T(lang, S_PLAN_IN_WINDOW));
    n_text(o, w->entries, lang);
    if (w->progress.late > 0) {
        buf_printf(o, " \xC2\xB7 %s: ", T(lang, S_PLAN_LATE));
        n_text(o, w->progress.late, lang);
    }
}

static void target_text(buf_t *o, const plan_row_t *w, lang_t lang)
{
    if (w->headline && w->progress.has_target) fmt_value(o, w->headline->def, w->progress.target, lang);
    else buf_puts(o, T(lang, S_PLAN_NO_TARGET));
}

static void months_text(buf_t *o, int a, int b, lang_t lang)
{
    ind_month_label(o, a, lang, false);
    buf_puts(o, " \xE2\x80\x93 ");
    ind_month_label(o, b, lang, false);
}

static void day_text(buf_t *o, int64_t day)
{
    char s[11];
    bizdays_format((int32_t)day, s);
    buf_puts(o, s);
}

/* "Período: 2025-01-01 – 2025-06-30" or "Período: todas las fechas". */
static void period_text(buf_t *o, const plan_report_in_t *in)
{
    buf_printf(o, "%s: ", T(in->lang, S_IND_PERIOD));
    if (!in->from && !in->to) {
        buf_puts(o, T(in->lang, S_IND_ALL_TIME));
        return;
    }
    buf_puts(o, in->from ? in->from : "\xE2\x80\xA6");
    buf_puts(o, " \xE2\x80\x93 ");
    buf_puts(o, in->to ? in->to : "\xE2\x80\xA6");
}

static const char *form_title(const ind_env_t *env, const char *id, lang_t lang)
{
    for (size_t k = 0; k < env->nforms; k++) {
        const form_t *f = env->forms[k];
        if (strcmp(f->id, id)) continue;
        int li = form_lang(f, i18n_code(lang));
        return form_text(f, &f->title, li >= 0 ? li : f->default_lang);
    }
    return id;
}

bool plan_report_empty(const ind_report_t *rep)
{
    for (size_t i = 0; i < rep->nforms; i++)
        if (rep->forms[i].responses > 0) return false;
    for (size_t i = 0; i < rep->n; i++)
        if (rep->r[i].total.n > 0) return false;
    return true;
}

/* ---- pages ------------------------------------------------------------ */

typedef struct layout {
    buf_t *pages;
    size_t n;
    double y;
    const plan_report_in_t *in;
    bool empty;                /* the period has no data at all */
} layout_t;

static buf_t *cur(layout_t *L) { return &L->pages[L->n - 1]; }

static void page_open(layout_t *L)
{
    L->pages = xrealloc(L->pages, (L->n + 1) * sizeof *L->pages);
    buf_t *o = &L->pages[L->n++];
    buf_init(o);
    buf_printf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"210mm\" height=\"297mm\" "
                  "viewBox=\"0 0 210 297\" font-family=\"%s\" fill=\"#000\">\n"
                  "<rect width=\"210\" height=\"297\" fill=\"#fff\"/>\n", FONT);
    L->y = 12;
    if (L->n == 1) return;   /* the cover has its own head */
    lang_t lang = L->in->lang;
    buf_t t;
    buf_init(&t);
    buf_printf(&t, "%s \xC2\xB7 %s \xC2\xB7 ", T(lang, S_ORG_NAME), T(lang, S_PLAN_TITLE));
    period_text(&t, L->in);
    L->y += text(o, t.data, MARGIN, L->y, SMALL, false, TEXT_W);
    buf_free(&t);
    buf_printf(o, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#000\" stroke-width=\"0.3\"/>\n",
               MARGIN, L->y + 1, PAGE_W - MARGIN, L->y + 1);
    L->y += 4;
    if (L->empty) {   /* on every page: no figure here is missing by mistake */
        L->y += text(o, T(lang, S_REP_NO_DATA_PERIOD), MARGIN, L->y, BODY, true, TEXT_W) + 2;
    }
}

/* Room for h mm more on this page, else a new page. */
static void need(layout_t *L, double h)
{
    if (L->y + h > BOTTOM && L->y > 40) page_open(L);
}

/* A paragraph at the cursor (kept whole on one page). */
static void para(layout_t *L, const char *plain, double size, bool bold, double after)
{
    need(L, text(NULL, plain, MARGIN, 0, size, bold, TEXT_W));
    L->y += text(cur(L), plain, MARGIN, L->y, size, bold, TEXT_W) + after;
}

/* "Label: value" with the label bold. */
static void pair(layout_t *L, str_id_t label, const char *value)
{
    buf_t t;
    buf_init(&t);
    buf_printf(&t, "%s: %s", T(L->in->lang, label), value);
    para(L, t.data, BODY, false, 1);
    buf_free(&t);
}

/* A table row of cells (plain texts) at widths w[0..n); header rows are
 * bold on grey. Cells wrap; the row is kept whole. */
static void table_row(layout_t *L, const char *const *cells, const double *w, int n, bool header)
{
    double h = 0;
    for (int k = 0; k < n; k++) {
        double hk = text(NULL, cells[k], 0, 0, SMALL, header, w[k] - 2);
        if (hk > h) h = hk;
    }
    h += 2;
    need(L, h);
    buf_t *o = cur(L);
    if (header)
        buf_printf(o, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#ddd\"/>\n", MARGIN,
                   L->y, TEXT_W, h);
    double x = MARGIN;
    for (int k = 0; k < n; k++) {
        text(o, cells[k], x + 1, L->y + 1, SMALL, header, w[k] - 2);
        x += w[k];
    }
    buf_printf(o, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#000\" stroke-width=\"0.2\"/>\n",
               MARGIN, L->y + h, PAGE_W - MARGIN, L->y + h);
    L->y += h;
}

/* ---- the cover and the summary ---------------------------------------- */

static void cover(layout_t *L)
{
    const plan_report_in_t *in = L->in;
    lang_t lang = in->lang;
    buf_t *o = cur(L);
    double y = 60;
    y += text(o, T(lang, S_ORG_NAME), MARGIN, y, H1, true, TEXT_W) + 4;
    y += text(o, T(lang, S_PLAN_TITLE), MARGIN, y, H1, true, TEXT_W) + 8;
    buf_printf(o, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"1.2\" fill=\"#000\"/>\n", MARGIN, y,
               TEXT_W);
    y += 8;
    y += text(o, T(lang, S_REP_TITLE), MARGIN, y, H2, true, TEXT_W) + 3;
    y += text(o, T(lang, S_REP_FOR), MARGIN, y, BODY, false, TEXT_W) + 10;
    buf_t t;
    buf_init(&t);
    period_text(&t, in);
    y += text(o, t.data, MARGIN, y, BODY + 0.6, true, TEXT_W) + 3;
    buf_reset(&t);
    buf_printf(&t, "%s: ", T(lang, S_REP_MADE));
    day_text(&t, in->made_day);
    y += text(o, t.data, MARGIN, y, BODY, false, TEXT_W) + 2;
    buf_reset(&t);
    buf_printf(&t, "%s ", T(lang, S_PLAN_STATUS_ON));
    day_text(&t, in->as_of);
    y += text(o, t.data, MARGIN, y, BODY, false, TEXT_W) + 2;
    buf_reset(&t);
    buf_printf(&t, "%s: %s", T(lang, S_IND_SAMPLE_TITLE), T(lang, S_IND_SAMPLE_NOTE));
    y += 6 + text(o, t.data, MARGIN, y + 6, SMALL, false, TEXT_W);
    if (L->empty) {
        y += 8;
        double h = text(NULL, T(lang, S_REP_NO_DATA_PERIOD), 0, 0, H2, true, TEXT_W - 8);
        buf_printf(o, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"none\" stroke=\"#000\" "
                      "stroke-width=\"0.6\"/>\n", MARGIN, y, TEXT_W, h + 8);
        text(o, T(lang, S_REP_NO_DATA_PERIOD), MARGIN + 4, y + 4, H2, true, TEXT_W - 8);
    }
    buf_free(&t);
}

static void summary(layout_t *L)
{
    const plan_report_in_t *in = L->in;
    lang_t lang = in->lang;
    page_open(L);
    para(L, T(lang, S_REP_SUMMARY), H2, true, 3);
    static const double w[6] = { 8, 62, 36, 20, 30, 24 };
    const char *head[6] = { "#", T(lang, S_IND_ACTION), T(lang, S_PLAN_DATES), T(lang, S_IND_TARGET),
                            T(lang, S_PLAN_CURRENT), T(lang, S_PLAN_STATUS) };
    table_row(L, head, w, 6, true);
    buf_t c[6];
    for (int k = 0; k < 6; k++) buf_init(&c[k]);
    for (size_t i = 0; i < in->plan->n; i++) {
        const plan_row_t *r = &in->rows[i];
        for (int k = 0; k < 6; k++) buf_reset(&c[k]);
        buf_printf(&c[0], "%d", r->a->number);
        buf_puts(&c[1], r->a->action[lang]);
        months_text(&c[2], r->a->start_ym, r->a->end_ym, lang);
        if (r->inconsistent) buf_puts(&c[2], " (!)");
        target_text(&c[3], r, lang);
        current_text(&c[4], r, lang);
        if (r->headline) {   /* issue 18: what the status is judged on */
            buf_printf(&c[4], " \xC2\xB7 %s: ", T(lang, S_PLAN_IN_WINDOW));
            n_text(&c[4], r->entries, lang);
        }
        buf_puts(&c[5], T(lang, plan_status_text(r->status)));
        if (r->progress.late > 0) {   /* issue 18: seen, not counted */
            buf_printf(&c[5], " (%s: ", T(lang, S_PLAN_LATE));
            n_text(&c[5], r->progress.late, lang);
            buf_puts(&c[5], ")");
        }
        const char *cells[6];
        for (int k = 0; k < 6; k++) cells[k] = c[k].data ? c[k].data : "";
        table_row(L, cells, w, 6, false);
    }
    for (int k = 0; k < 6; k++) buf_free(&c[k]);
    bool any_bad = false;
    for (size_t i = 0; i < in->plan->n; i++) any_bad |= in->rows[i].inconsistent;
    if (any_bad) {
        buf_t t;
        buf_init(&t);
        buf_printf(&t, "(!) %s %s.", T(lang, S_PLAN_INCONSISTENT), T(lang, S_PLAN_END_BEFORE_START));
        L->y += 2;
        para(L, t.data, SMALL, false, 1);
        buf_free(&t);
    }
    /* issue 18: the status rules */
    L->y += 2;
    buf_t g;
    buf_init(&g);
    buf_printf(&g, "%s: %s", T(lang, S_PLAN_LEGEND_TITLE), T(lang, S_PLAN_LEGEND));
    para(L, g.data, SMALL, false, 1);
    buf_free(&g);
}

/* ---- one action ------------------------------------------------------- */

/* The chart of the action's main figures: one bar each, on 0-100 for
 * indices and percentages, on the rating scale for means and medians, from
 * 0 to the largest count for counts. */
static void chart(layout_t *L, const ind_report_t *rep, int action)
{
    lang_t lang = L->in->lang;
    double maxcount = 0;
    size_t n = 0;
    for (size_t i = 0; i < rep->n; i++) {
        const ind_result_t *r = &rep->r[i];
        if (r->def->action != action || !r->def->headline) continue;
        if (r->total.suppressed || isnan(r->total.value)) continue;
        n++;
        if (r->def->kind == IND_COUNT && r->total.value > maxcount) maxcount = r->total.value;
    }
    if (!n) return;
    const double row = SMALL * LEAD + 6.5, bar_x = MARGIN, bar_w = TEXT_W - 30;
    need(L, H2 * LEAD + 4 + row * (double)n);
    L->y += text(cur(L), T(lang, S_REP_CHART), MARGIN, L->y, BODY, true, TEXT_W) + 2;
    for (size_t i = 0; i < rep->n; i++) {
        const ind_result_t *r = &rep->r[i];
        const ind_def_t *d = r->def;
        if (d->action != action || !d->headline || r->total.suppressed || isnan(r->total.value)) continue;
        double lo = 0, hi = 100;
        if (d->kind == IND_COUNT) hi = maxcount > 0 ? maxcount : 1;
        else if (!(d->kind == IND_INDEX || ind_kind_is_percent(d->kind)) && d->scale) lo = 1, hi = d->scale;
        double t = (r->total.value - lo) / (hi - lo);
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        buf_t *o = cur(L);
        text(o, d->label[lang], MARGIN, L->y, SMALL, false, TEXT_W);
        double by = L->y + SMALL * LEAD + 0.5;
        buf_printf(o, "<rect class=\"bar-bg\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"4\" fill=\"#eee\" "
                      "stroke=\"#000\" stroke-width=\"0.2\"/>\n", bar_x, by, bar_w);
        buf_printf(o, "<rect class=\"bar\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"4\" fill=\"#555\"/>\n",
                   bar_x, by, bar_w * t);
        buf_t v;
        buf_init(&v);
        fmt_value(&v, d, r->total.value, lang);
        if (d->kind == IND_INDEX) buf_puts(&v, " / 100");
        buf_printf(o, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\" font-weight=\"bold\">", bar_x + bar_w + 2,
                   by + 3.4, SMALL);
        buf_html(o, v.data);
        buf_puts(o, "</text>\n");
        buf_free(&v);
        L->y += row;
    }
    L->y += 2;
}

/* The latest entries of register form in the report's input, or NULL. */
static const plan_register_t *find_register(const plan_report_in_t *in, const char *form)
{
    for (size_t i = 0; i < in->nregs; i++)
        if (!strcmp(in->regs[i].form, form)) return &in->regs[i];
    return NULL;
}

static void action_section(layout_t *L, const plan_row_t *w)
{
    const plan_report_in_t *in = L->in;
    const ind_report_t *rep = in->rep;
    const ind_plan_action_t *a = w->a;
    lang_t lang = in->lang;
    page_open(L);
    buf_t t;
    buf_init(&t);
    buf_printf(&t, "%s %d. %s", T(lang, S_IND_ACTION), a->number, a->action[lang]);
    para(L, t.data, H2, true, 3);
    buf_reset(&t);
    buf_printf(&t, "%s \xC2\xB7 %s", a->criterion, a->subcriterion);
    pair(L, S_PLAN_CRITERION, t.data);
    buf_reset(&t);
    months_text(&t, a->start_ym, a->end_ym, lang);
    if (w->inconsistent) buf_printf(&t, " \xE2\x80\x94 %s %s", T(lang, S_PLAN_INCONSISTENT), T(lang, S_PLAN_END_BEFORE_START));
    pair(L, S_PLAN_DATES, t.data);
    pair(L, S_PLAN_RESPONSIBLE, a->responsible[lang]);
    pair(L, S_PLAN_INDICATOR, a->indicator[lang]);
    buf_reset(&t);
    target_text(&t, w, lang);
    pair(L, S_IND_TARGET, t.data);
    buf_reset(&t);
    current_text(&t, w, lang);
    buf_puts(&t, " \xE2\x80\x94 ");
    window_text(&t, w, lang);
    pair(L, S_PLAN_CURRENT, t.data);
    buf_reset(&t);
    buf_printf(&t, "%s (", T(lang, plan_status_text(w->status)));
    buf_printf(&t, "%s ", T(lang, S_PLAN_STATUS_ON));
    day_text(&t, in->as_of);
    buf_puts(&t, ")");
    pair(L, S_PLAN_STATUS, t.data);
    L->y += 2;
    if (!w->nind) {
        para(L, T(lang, S_PLAN_NO_INDICATOR), BODY, true, 2);
    } else {
        static const double cw[4] = { 96, 30, 36, 18 };
        const char *head[4] = { T(lang, S_IND_INDICATOR), T(lang, S_IND_VALUE), T(lang, S_IND_CI_SHORT), "n" };
        table_row(L, head, cw, 4, true);
        buf_t c[4];
        for (int k = 0; k < 4; k++) buf_init(&c[k]);
        for (size_t i = 0; i < rep->n; i++) {
            const ind_result_t *r = &rep->r[i];
            if (r->def->action != a->number) continue;
            for (int k = 0; k < 4; k++) buf_reset(&c[k]);
            buf_puts(&c[0], r->def->label[lang]);
            value_text(&c[1], r->def, &r->total, lang);
            range_text(&c[2], r->def, &r->total, lang);
            n_text(&c[3], r->total.n, lang);
            const char *cells[4];
            for (int k = 0; k < 4; k++) cells[k] = c[k].data ? c[k].data : "";
            table_row(L, cells, cw, 4, false);
        }
        for (int k = 0; k < 4; k++) buf_free(&c[k]);
        L->y += 4;
        chart(L, rep, a->number);
    }
    /* the evidence: answers or entries per form of the action's figures,
     * its heading kept with its first line */
    need(L, 16);
    para(L, T(lang, S_PLAN_EVIDENCE), BODY, true, 1);
    bool any = false;
    for (size_t i = 0; i < rep->nforms; i++) {
        const ind_form_count_t *fc = &rep->forms[i];
        bool mine = false;
        for (size_t k = 0; k < rep->n; k++)
            mine |= rep->r[k].def->action == a->number && !strcmp(rep->r[k].def->form, fc->form);
        if (!mine) continue;
        buf_reset(&t);
        buf_puts(&t, "\xE2\x80\xA2 ");
        if (fc->suppressed) {
            /* issue 17: a small count of people's answers is hidden here as
             * on the dashboard (ind_form_count_t), and so are its months */
            buf_printf(&t, "\xC2\xAB%s\xC2\xBB: %s", form_title(in->env, fc->form, lang), T(lang, S_IND_SUPPRESSED));
        } else {
            ind_fmt_num(&t, (double)fc->responses, 0, lang);
            buf_printf(&t, " %s \xC2\xAB%s\xC2\xBB", T(lang, fc->responses == 1 ? S_REP_ENTRY : S_REP_ENTRIES),
                       form_title(in->env, fc->form, lang));
        }
        if (!fc->suppressed && fc->responses > 0 && fc->first_ym >= 0) {
            buf_puts(&t, " (");
            months_text(&t, fc->first_ym, fc->last_ym, lang);
            buf_puts(&t, ")");
        }
        para(L, t.data, BODY, false, 1);
        any |= fc->responses > 0;   /* the period's, not the window's: this list is the period's */
        /* issue 18: a register's latest entries, each its day and what */
        const plan_register_t *g = find_register(in, fc->form);
        if (g && g->n) {
            need(L, 12);
            para(L, T(lang, S_REP_LATEST_ENTRIES), SMALL, true, 0.5);
            for (size_t k = 0; k < g->n; k++) {
                buf_reset(&t);
                buf_printf(&t, "\xE2\x80\x93 %s", g->e[k].day);
                if (g->e[k].text && *g->e[k].text) buf_printf(&t, " \xC2\xB7 %s", g->e[k].text);
                para(L, t.data, SMALL, false, 0.5);
            }
            L->y += 1;
        }
    }
    if (!any) para(L, T(lang, S_IND_NO_DATA), BODY, false, 1);
    if (*a->note[lang]) {
        L->y += 2;
        buf_reset(&t);
        buf_printf(&t, "%s: %s", T(lang, S_PLAN_NOTE), a->note[lang]);
        para(L, t.data, SMALL, false, 1);
    }
    buf_free(&t);
}

static void method(layout_t *L)
{
    lang_t lang = L->in->lang;
    L->y += 6;
    need(L, 40);
    para(L, T(lang, S_IND_METHOD_TITLE), H2, true, 2);
    para(L, T(lang, S_REP_METHOD_NOTE), BODY, false, 2);
    buf_t t;
    buf_init(&t);
    buf_printf(&t, "%s: %d. %s", T(lang, S_IND_THRESHOLD), L->in->rep->threshold, T(lang, S_IND_TZ_NOTE));
    para(L, t.data, BODY, false, 2);
    buf_free(&t);
    para(L, T(lang, S_IND_METHOD_BODY), SMALL, false, 2);
}

size_t plan_report_svg(buf_t **pages, const plan_report_in_t *in)
{
    layout_t L = { .in = in, .empty = plan_report_empty(in->rep) };
    page_open(&L);
    cover(&L);
    summary(&L);
    for (size_t i = 0; i < in->plan->n; i++) action_section(&L, &in->rows[i]);
    method(&L);
    /* the foot of every page, now that their number is known */
    for (size_t p = 0; p < L.n; p++) {
        buf_t t;
        buf_init(&t);
        buf_printf(&t, "%s \xC2\xB7 %s", T(in->lang, S_ORG_NAME), T(in->lang, S_PLAN_TITLE));
        text(&L.pages[p], t.data, MARGIN, PAGE_H - 14, SMALL, false, TEXT_W - 30);
        buf_reset(&t);
        buf_printf(&t, "%s %zu / %zu", T(in->lang, S_REP_PAGE), p + 1, L.n);
        buf_printf(&L.pages[p], "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\" text-anchor=\"end\">%s</text>\n",
                   PAGE_W - MARGIN, PAGE_H - 14 + SMALL, SMALL, t.data);
        buf_free(&t);
        buf_puts(&L.pages[p], "</svg>\n");
    }
    *pages = L.pages;
    return L.n;
}

/* ---- XLSX --------------------------------------------------------------- */

typedef struct xctx {
    lxw_format *head, *bold, *num[3];
} xctx_t;

static void xs(lxw_worksheet *ws, int r, int c, const char *s, lxw_format *f)
{
    worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, s ? s : "", f);
}

/* A figure as a number cell, or the reason it is missing as text. */
static void xv(lxw_worksheet *ws, int r, int c, const xctx_t *x, const ind_def_t *d, double v, lang_t lang)
{
    if (isnan(v)) xs(ws, r, c, T(lang, S_IND_NO_DATA), NULL);
    else worksheet_write_number(ws, (lxw_row_t)r, (lxw_col_t)c, v, x->num[decimals(d)]);
}

static void xheader(lxw_worksheet *ws, int r, const xctx_t *x, const char *const *h, int n)
{
    for (int k = 0; k < n; k++) xs(ws, r, k, h[k], x->head);
}

int plan_report_xlsx(buf_t *out, const plan_report_in_t *in)
{
    lang_t lang = in->lang;
    const ind_report_t *rep = in->rep;
    xlsx_mem_t xm;
    lxw_workbook *wb = xlsx_mem_open(&xm);
    bool ok = wb != NULL;
    if (wb) {
        xctx_t x = { .head = workbook_add_format(wb), .bold = workbook_add_format(wb) };
        format_set_bold(x.head);
        format_set_bg_color(x.head, 0xE3EEF8);
        format_set_bold(x.bold);
        static const char *const fmts[3] = { "0", "0.0", "0.00" };
        for (int i = 0; i < 3; i++) {
            x.num[i] = workbook_add_format(wb);
            format_set_num_format(x.num[i], fmts[i]);
        }
        bool empty = plan_report_empty(rep);
        buf_t t;
        buf_init(&t);
        /* the summary */
        lxw_worksheet *ws = workbook_add_worksheet(wb, "Resumen");
        xs(ws, 0, 0, T(lang, S_ORG_NAME), x.bold);
        xs(ws, 1, 0, T(lang, S_REP_TITLE), x.bold);
        period_text(&t, in);
        xs(ws, 2, 0, t.data, NULL);
        buf_reset(&t);
        buf_printf(&t, "%s: ", T(lang, S_REP_MADE));
        day_text(&t, in->made_day);
        buf_printf(&t, " \xC2\xB7 %s ", T(lang, S_PLAN_STATUS_ON));
        day_text(&t, in->as_of);
        xs(ws, 3, 0, t.data, NULL);
        if (empty) xs(ws, 4, 0, T(lang, S_REP_NO_DATA_PERIOD), x.bold);
        const char *h[] = { "No.", T(lang, S_IND_ACTION), T(lang, S_PLAN_CRITERION), T(lang, S_PLAN_DATES),
                            T(lang, S_PLAN_RESPONSIBLE), T(lang, S_PLAN_INDICATOR), T(lang, S_IND_INDICATOR),
                            T(lang, S_IND_TARGET), T(lang, S_PLAN_CURRENT), "n", T(lang, S_PLAN_STATUS),
                            T(lang, S_PLAN_NOTE) };
        const int nh = (int)(sizeof h / sizeof *h), top = 6;
        xheader(ws, top, &x, h, nh);
        worksheet_set_column(ws, 1, 1, 48, NULL);
        worksheet_set_column(ws, 3, 6, 24, NULL);
        worksheet_set_column(ws, 10, 10, 14, NULL);
        worksheet_set_column(ws, 11, 11, 60, NULL);
        for (size_t i = 0; i < in->plan->n; i++) {
            const plan_row_t *w = &in->rows[i];
            const ind_plan_action_t *a = w->a;
            int r = top + 1 + (int)i;
            worksheet_write_number(ws, (lxw_row_t)r, 0, a->number, NULL);
            xs(ws, r, 1, a->action[lang], NULL);
            buf_reset(&t);
            buf_printf(&t, "%s \xC2\xB7 %s", a->criterion, a->subcriterion);
            xs(ws, r, 2, t.data, NULL);
            buf_reset(&t);
            months_text(&t, a->start_ym, a->end_ym, lang);
            if (w->inconsistent) buf_printf(&t, " (%s)", T(lang, S_PLAN_END_BEFORE_START));
            xs(ws, r, 3, t.data, NULL);
            xs(ws, r, 4, a->responsible[lang], NULL);
            xs(ws, r, 5, a->indicator[lang], NULL);
            if (w->headline) {
                const ind_def_t *d = w->headline->def;
                xs(ws, r, 6, d->label[lang], NULL);
                if (w->progress.has_target) xv(ws, r, 7, &x, d, w->progress.target, lang);
                if (w->headline->total.suppressed && w->headline->total.n != 0)
                    xs(ws, r, 8, T(lang, S_IND_SUPPRESSED), NULL);
                else xv(ws, r, 8, &x, d, w->headline->total.value, lang);
                if (w->headline->total.n >= 0)
                    worksheet_write_number(ws, (lxw_row_t)r, 9, (double)w->headline->total.n, NULL);
            } else {
                xs(ws, r, 6, T(lang, S_PLAN_NO_INDICATOR), NULL);
            }
            buf_reset(&t);
            buf_puts(&t, T(lang, plan_status_text(w->status)));
            if (w->progress.late > 0) {   /* issue 18: seen, not counted */
                buf_printf(&t, " (%s: ", T(lang, S_PLAN_LATE));
                n_text(&t, w->progress.late, lang);
                buf_puts(&t, ")");
            }
            xs(ws, r, 10, t.data, NULL);
            xs(ws, r, 11, a->note[lang], NULL);
        }
        worksheet_freeze_panes(ws, top + 1, 0);
        /* one sheet per action */
        for (size_t i = 0; i < in->plan->n; i++) {
            const plan_row_t *w = &in->rows[i];
            const ind_plan_action_t *a = w->a;
            char name[32];
            snprintf(name, sizeof name, "Accion %d", a->number);
            lxw_worksheet *s = workbook_add_worksheet(wb, name);
            if (!s) {
                ok = false;
                break;
            }
            worksheet_set_column(s, 0, 0, 48, NULL);
            worksheet_set_column(s, 1, 7, 14, NULL);
            buf_reset(&t);
            buf_printf(&t, "%s %d. %s", T(lang, S_IND_ACTION), a->number, a->action[lang]);
            xs(s, 0, 0, t.data, x.bold);
            buf_reset(&t);
            period_text(&t, in);
            xs(s, 1, 0, t.data, NULL);
            xs(s, 2, 0, T(lang, S_PLAN_STATUS), x.bold);
            xs(s, 2, 1, T(lang, plan_status_text(w->status)), NULL);
            buf_reset(&t);   /* issue 18: what the status is judged on */
            window_text(&t, w, lang);
            xs(s, 2, 2, t.data, NULL);
            xs(s, 3, 0, T(lang, S_PLAN_RESPONSIBLE), x.bold);
            xs(s, 3, 1, a->responsible[lang], NULL);
            int r = 5;
            if (empty) xs(s, 4, 0, T(lang, S_REP_NO_DATA_PERIOD), x.bold);
            if (!w->nind) {
                xs(s, r++, 0, T(lang, S_PLAN_NO_INDICATOR), NULL);
            } else {
                const char *ih[] = { T(lang, S_IND_INDICATOR), "id", T(lang, S_IND_VALUE), "IC95 -", "IC95 +",
                                     "n", T(lang, S_IND_TARGET), T(lang, S_IND_SUPPRESSED) };
                xheader(s, r++, &x, ih, 8);
                for (size_t k = 0; k < rep->n; k++) {
                    const ind_result_t *res = &rep->r[k];
                    const ind_def_t *d = res->def;
                    if (d->action != a->number) continue;
                    xs(s, r, 0, d->label[lang], NULL);
                    xs(s, r, 1, d->id, NULL);
                    if (!res->total.suppressed) {
                        xv(s, r, 2, &x, d, res->total.value, lang);
                        if (!isnan(res->total.lo)) xv(s, r, 3, &x, d, res->total.lo, lang);
                        if (!isnan(res->total.hi)) xv(s, r, 4, &x, d, res->total.hi, lang);
                    }
                    if (res->total.n >= 0) worksheet_write_number(s, (lxw_row_t)r, 5, (double)res->total.n, NULL);
                    if (d->has_target) xv(s, r, 6, &x, d, d->target, lang);
                    if (res->total.suppressed && res->total.n != 0) xs(s, r, 7, T(lang, S_IND_YES), NULL);
                    r++;
                }
            }
            r++;
            xs(s, r++, 0, T(lang, S_PLAN_EVIDENCE), x.head);
            for (size_t k = 0; k < rep->nforms; k++) {
                const ind_form_count_t *fc = &rep->forms[k];
                bool mine = false;
                for (size_t j = 0; j < rep->n; j++)
                    mine |= rep->r[j].def->action == a->number && !strcmp(rep->r[j].def->form, fc->form);
                if (!mine) continue;
                xs(s, r, 0, form_title(in->env, fc->form, lang), NULL);
                if (fc->suppressed) xs(s, r, 1, T(lang, S_IND_SUPPRESSED), NULL);   /* issue 17 */
                else worksheet_write_number(s, (lxw_row_t)r, 1, (double)fc->responses, NULL);
                if (!fc->suppressed && fc->responses > 0 && fc->first_ym >= 0) {
                    char k1[IND_MONTH_KEY_SIZE], k2[IND_MONTH_KEY_SIZE];
                    ind_month_key_format(fc->first_ym, k1);
                    ind_month_key_format(fc->last_ym, k2);
                    xs(s, r, 2, k1, NULL);
                    xs(s, r, 3, k2, NULL);
                }
                r++;
                /* issue 18: the register's latest entries: what, and its day */
                const plan_register_t *g = find_register(in, fc->form);
                if (g && g->n) {
                    xs(s, r, 0, T(lang, S_REP_LATEST_ENTRIES), x.bold);
                    r++;
                    for (size_t j = 0; j < g->n; j++, r++) {
                        xs(s, r, 0, g->e[j].text, NULL);
                        xs(s, r, 1, g->e[j].day, NULL);
                    }
                }
            }
            if (*a->note[lang]) {
                r++;
                xs(s, r, 0, T(lang, S_PLAN_NOTE), x.bold);
                xs(s, r + 1, 0, a->note[lang], NULL);
            }
        }
        buf_free(&t);
    }
    return xlsx_mem_close(&xm, ok, out);
}
