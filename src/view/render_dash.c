/*
 * render_dash.c: the planners' pages: the indicators dashboard
 * (/indicadores) and the plan page (/indicadores/plan), with their charts
 * drawn here as inline SVG (no script, no image requests, nothing for the
 * CSP to refuse: colours come from classes in www/buzon.css).
 *
 * Readable on a 360 px phone and printable on A4: one column of cards that
 * becomes a grid on wide screens; charts are horizontal bars (labels above
 * their bar, so long names never squeeze the bars) and a monthly trend,
 * drawn in a 320-unit-wide viewBox that scales with the card. Every chart
 * repeats figures that are also in a table or in the downloads, so nothing
 * depends on seeing the picture.
 *
 * One section per plan action that has indicators. Action 4 (inclusion:
 * every indicator disaggregated by sex, age, zone, disability and
 * language) is shown as the breakdown
 * chosen in the form of every other action's main figures.
 */
#include "view/render_dash.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "view/ind_out.h"
#include "view/render.h"
#include "base/bizdays.h"
#include "base/utf8.h"
#include "model/plan.h"

/* The plan action whose evidence is the breakdowns of the others. */
#define DISAGG_ACTION 4
/* Chart geometry, in viewBox units. */
#define W 320
#define ROW_H 38
#define LABEL_MAX 36     /* characters of a bar's label */
#define LINE_CHARS 44    /* characters of 12px text across the 320-unit width */

static const char *T(lang_t l, str_id_t id) { return i18n(l, id); }


/* ---- figures as people read them ------------------------------------------------ */

static int decimals(const ind_def_t *d)
{
    if (d->kind == IND_COUNT || d->kind == IND_SUM || d->kind == IND_ENTRIES) return 0;
    if (d->kind == IND_MEAN) return 2;
    return 1;
}

/* A value with its unit: "72.4", "35.2 %", "3.85", "12". */
static void fmt_value(buf_t *o, const ind_def_t *d, double v, lang_t lang)
{
    ind_fmt_num(o, v, decimals(d), lang);
    if (ind_kind_is_percent(d->kind)) buf_puts(o, "\xC2\xA0%");
}

/* An interval with its unit once: "43.8–47.4 %". */
static void fmt_range(buf_t *o, const ind_def_t *d, const ind_cell_t *c, lang_t lang)
{
    ind_fmt_num(o, c->lo, decimals(d), lang);
    buf_puts(o, "\xE2\x80\x93");
    fmt_value(o, d, c->hi, lang);
}

static void fmt_n(buf_t *o, int64_t n, lang_t lang)
{
    ind_fmt_num(o, (double)n, 0, lang);
}

/* A round number at or above v (1, 2 or 5 times a power of ten). */
static double nice_ceil(double v)
{
    double p = pow(10, floor(log10(v)));
    return v <= p ? p : v <= 2 * p ? 2 * p : v <= 5 * p ? 5 * p : 10 * p;
}

/* The axis of a chart of these cells of a definition: 0-100 for indices
 * and percentages, the rating scale for its mean or median, else from 0
 * to a round number above the largest figure drawn. */
static void axis(const ind_def_t *d, const ind_cell_t *cells, size_t n, double *lo, double *hi)
{
    if (d->kind == IND_INDEX || ind_kind_is_percent(d->kind)) {
        *lo = 0;
        *hi = 100;
    } else if (d->scale) {
        *lo = 1;
        *hi = d->scale;
    } else {
        *lo = 0;
        *hi = 0;
        for (size_t k = 0; k < n; k++) {
            double top = isnan(cells[k].hi) ? cells[k].value : cells[k].hi;
            if (!isnan(top) && top > *hi) *hi = top;
        }
        *hi = *hi > 0 ? nice_ceil(*hi) : 1;
    }
}

/* Copy at most max characters of s (UTF-8), with "…" when cut. */
static void clip(buf_t *o, const char *s, int max)
{
    size_t n = utf8_prefix(s, max < 0 ? 0 : (size_t)max);
    buf_t t;
    buf_init(&t);
    buf_append(&t, s, n);
    if (s[n]) buf_puts(&t, "\xE2\x80\xA6");
    buf_html(o, t.data);
    buf_free(&t);
}

/* A cell hidden for privacy (too few answers, or a figure that would
 * single out a few people by difference; n is then -1). A suppressed
 * cell with no answers at all has nothing to hide: it shows as "no data",
 * in the charts as in the tables. */
static bool cell_hidden(const ind_cell_t *c)
{
    return c->suppressed && c->n != 0;
}

/* A cell with a value to draw and print. */
static bool cell_shown(const ind_cell_t *c)
{
    return !c->suppressed && !isnan(c->value);
}

/* ---- SVG charts ---------------------------------------------------------------- */

typedef struct bar {
    const char      *label;
    const ind_def_t *def;      /* for the value's unit */
    const ind_cell_t *c;
} bar_t;

static double xpos(double v, double lo, double hi)
{
    double t = (v - lo) / (hi - lo);
    return 2 + (W - 4) * (t < 0 ? 0 : t > 1 ? 1 : t);
}

/* Horizontal bars with their 95% interval as whiskers; a dashed line at
 * the target when there is one. */
static void svg_bars(buf_t *o, const bar_t *b, size_t n, double lo, double hi,
                     const ind_def_t *target_of, const char *title, lang_t lang)
{
    int h = (int)n * ROW_H + 6;
    buf_printf(o, "<svg class=d-ch viewBox=\"0 0 %d %d\" role=img aria-label=\"", W, h);
    buf_html(o, title);
    buf_puts(o, "\">");
    buf_t v;
    buf_init(&v);
    for (size_t i = 0; i < n; i++) {
        const ind_cell_t *c = b[i].c;
        int y = (int)i * ROW_H;
        buf_reset(&v);
        if (cell_hidden(c)) render_text(&v, lang, S_IND_SUPPRESSED);
        else if (!cell_shown(c)) render_text(&v, lang, S_IND_NO_DATA);
        else fmt_value(&v, b[i].def, c->value, lang);
        buf_puts(o, "<g><title>");
        buf_html(o, b[i].label);
        buf_puts(o, ": ");
        buf_html(o, v.data);
        if (!c->suppressed && c->n > 0) buf_printf(o, " (n = %lld)", (long long)c->n);
        buf_printf(o, "</title><text class=d-tx x=2 y=%d>", y + 13);
        if (cell_shown(c)) {
            /* A value shares the label's line, at its right end: the label
             * gives way to it (a line holds about LINE_CHARS). */
            int room = LINE_CHARS - 2 - (int)utf8_len(v.data);
            clip(o, b[i].label, room < LABEL_MAX ? room : LABEL_MAX);
            buf_printf(o, "</text><text class=\"d-tx d-v\" x=%d y=%d text-anchor=end>", W - 2, y + 13);
            buf_html(o, v.data);
        } else {
            clip(o, b[i].label, LABEL_MAX);
        }
        buf_puts(o, "</text>");
        if (cell_shown(c)) {
            double x1 = xpos(c->value, lo, hi);
            buf_printf(o, "<rect class=d-bar x=2 y=%d width=\"%.1f\" height=14 rx=2></rect>", y + 18,
                       x1 - 2 < 1 ? 1 : x1 - 2);
            if (!isnan(c->lo) && !isnan(c->hi)) {
                double a = xpos(c->lo, lo, hi), z = xpos(c->hi, lo, hi);
                buf_printf(o, "<path class=d-wh d=\"M%.1f %dH%.1fM%.1f %dv12M%.1f %dv12\"></path>", a,
                           y + 25, z, a, y + 19, z, y + 19);
            }
        } else {
            /* No value: the label has its line to itself, and the reason
             * (no data, hidden) is written in the empty bar. */
            buf_printf(o, "<rect class=d-no x=2 y=%d width=%d height=14 rx=2></rect>", y + 18, W - 4);
            buf_printf(o, "<text class=\"d-tx d-st\" x=8 y=%d>", y + 29);
            buf_html(o, v.data);
            buf_puts(o, "</text>");
        }
        buf_puts(o, "</g>");
    }
    if (target_of && target_of->has_target) {
        double x = xpos(target_of->target, lo, hi);
        buf_printf(o, "<path class=d-tg d=\"M%.1f 14V%d\"></path>", x, h);
    }
    buf_free(&v);
    buf_puts(o, "</svg>");
}

/* Month-by-month values with whiskers, joined by a line where months are
 * consecutive; months hidden for privacy or without answers are gaps. */
static void svg_trend(buf_t *o, const ind_result_t *r, double lo, double hi, const char *title,
                      lang_t lang)
{
    const ind_cell_t *m = r->by[IND_DIM_MES];
    size_t n = r->nby[IND_DIM_MES];
    if (!n) return;
    int first = ind_month_key_parse(m[0].key);
    int last = ind_month_key_parse(m[n - 1].key);
    int span = last - first + 1;
    /* X1 leaves half a month label of room: the last one is centred on it. */
    const double X0 = 34, X1 = W - 16, Y0 = 8, Y1 = 112;
    double step = span > 1 ? (X1 - X0) / (span - 1) : 0;
#define TX(ym) (span > 1 ? X0 + ((ym) - first) * step : (X0 + X1) / 2)
#define TY(v) (Y1 - (Y1 - Y0) * (((v) - lo) / (hi - lo)))
    buf_printf(o, "<svg class=\"d-ch d-tr\" viewBox=\"0 0 %d 150\" role=img aria-label=\"", W);
    buf_html(o, title);
    buf_puts(o, "\">");
    buf_t t;
    buf_init(&t);
    for (int g = 0; g <= 2; g++) {
        double v = lo + (hi - lo) * g / 2;
        buf_printf(o, "<path class=d-gr d=\"M%.1f %.1fH%.1f\"></path><text class=\"d-tx d-mu\" x=%.0f y=%.1f "
                   "text-anchor=end>", X0, TY(v), X1, X0 - 4, TY(v) + 4);
        buf_reset(&t);
        ind_fmt_num(&t, v, hi - lo < 10 ? 1 : 0, lang);
        buf_html(o, t.data);
        buf_puts(o, "</text>");
    }
    /* Label at most eight months, starting with the first. */
    int every = span > 8 ? (span + 7) / 8 : 1;
    for (int ym = first; ym <= last; ym += every) {
        buf_reset(&t);
        ind_month_label(&t, ym, lang, true);
        char *sp = strchr(t.data, ' ');
        if (sp) *sp = '\0';
        buf_printf(o, "<text class=\"d-tx d-mu\" x=%.1f y=128 text-anchor=middle>", TX(ym));
        buf_html(o, t.data);
        buf_puts(o, "</text>");
        if (ym == first || ym % 12 < every) {
            buf_printf(o, "<text class=\"d-tx d-mu\" x=%.1f y=142 text-anchor=middle>%d</text>", TX(ym), ym / 12);
        }
    }
    buf_puts(o, "<path class=d-ln d=\"");
    int prev = -2;
    for (size_t i = 0; i < n; i++) {
        int ym = ind_month_key_parse(m[i].key);
        if (m[i].suppressed || isnan(m[i].value)) continue;
        buf_printf(o, "%s%.1f %.1f", ym == prev + 1 ? "L" : "M", TX(ym), TY(m[i].value));
        prev = ym;
    }
    buf_puts(o, "\"></path>");
    for (size_t i = 0; i < n; i++) {
        int ym = ind_month_key_parse(m[i].key);
        if (m[i].suppressed || isnan(m[i].value)) continue;
        buf_reset(&t);
        ind_month_label(&t, ym, lang, false);
        buf_puts(&t, ": ");
        fmt_value(&t, r->def, m[i].value, lang);
        buf_printf(&t, " (n = %lld)", (long long)m[i].n);
        buf_puts(o, "<g><title>");
        buf_html(o, t.data);
        buf_puts(o, "</title>");
        if (!isnan(m[i].lo))
            buf_printf(o, "<path class=d-wh d=\"M%.1f %.1fV%.1f\"></path>", TX(ym), TY(m[i].lo), TY(m[i].hi));
        buf_printf(o, "<circle class=d-pt cx=%.1f cy=%.1f r=3.5></circle></g>", TX(ym), TY(m[i].value));
    }
    if (r->def->has_target)
        buf_printf(o, "<path class=d-tg d=\"M%.1f %.1fH%.1f\"></path>", X0, TY(r->def->target), X1);
#undef TX
#undef TY
    buf_free(&t);
    buf_puts(o, "</svg>");
}

/* Bars of one breakdown of one indicator. */
static void breakdown_chart(buf_t *o, const ind_env_t *env, const ind_result_t *r, ind_dim_t dim,
                            lang_t lang)
{
    size_t n = r->nby[dim];
    buf_puts(o, "<h4>");
    buf_html(o, ind_dim_title(dim, lang));
    buf_puts(o, "</h4>");
    if (!n) {
        buf_puts(o, "<p class=d-mu>");
        render_text(o, lang, r->by[dim] ? S_IND_NO_DATA : S_IND_NOT_APPLICABLE);
        buf_puts(o, "</p>");
        return;
    }
    bar_t *b = xcalloc(n, sizeof *b);
    buf_t *labels = xcalloc(n, sizeof *labels);
    for (size_t k = 0; k < n; k++) {
        /* Labels may live in the scratch buffer: one buffer per bar. */
        buf_init(&labels[k]);
        const char *l = ind_group_label(env, r->def, dim, r->by[dim][k].key, lang, &labels[k]);
        b[k] = (bar_t){ l, r->def, &r->by[dim][k] };
    }
    double lo, hi;
    axis(r->def, r->by[dim], n, &lo, &hi);
    buf_t title;
    buf_init(&title);
    buf_printf(&title, "%s — %s", r->def->label[lang], ind_dim_title(dim, lang));
    svg_bars(o, b, n, lo, hi, r->def, title.data, lang);
    buf_free(&title);
    for (size_t k = 0; k < n; k++) buf_free(&labels[k]);
    free(labels);
    free(b);
}

/* ---- pieces of the dashboard ------------------------------------------------------ */

/* "IC 95 %: 70.1–74.6 · n = 1,234 · Meta: 75" */
static void figure_line(buf_t *o, const ind_def_t *d, const ind_cell_t *c, lang_t lang)
{
    buf_t t;
    buf_init(&t);
    if (!isnan(c->lo) && !isnan(c->hi)) {
        buf_puts(&t, T(lang, S_IND_CI_SHORT));
        buf_puts(&t, ": ");
        fmt_range(&t, d, c, lang);
        buf_puts(&t, " \xC2\xB7 ");
    }
    buf_puts(&t, "n = ");
    fmt_n(&t, c->n < 0 ? 0 : c->n, lang);
    if (d->has_target) {
        buf_puts(&t, " \xC2\xB7 ");
        buf_puts(&t, T(lang, S_IND_TARGET));
        buf_puts(&t, ": ");
        fmt_value(&t, d, d->target, lang);
    }
    buf_html(o, t.data);
    buf_free(&t);
}

/* The value cell's text: the figure, or why there is none. */
static void value_text(buf_t *o, const ind_def_t *d, const ind_cell_t *c, int threshold, lang_t lang)
{
    buf_t t;
    buf_init(&t);
    if (cell_hidden(c)) {
        buf_puts(&t, T(lang, S_IND_SUPPRESSED));
        if (c->n > 0) buf_printf(&t, " (n < %d)", threshold);
    } else if (!cell_shown(c)) {
        buf_puts(&t, T(lang, S_IND_NO_DATA));
    } else {
        fmt_value(&t, d, c->value, lang);
    }
    buf_html(o, t.data);
    buf_free(&t);
}

static void card(buf_t *o, const ind_env_t *env, const ind_report_t *rep, const ind_result_t *r,
                 lang_t lang)
{
    const ind_def_t *d = r->def;
    bool none = isnan(r->total.value);
    buf_printf(o, "<article class=d-card id=i-%s><h3>", d->id);
    buf_html(o, d->label[lang]);
    buf_puts(o, none ? "</h3><p class=\"d-big d-nd\">" : "</h3><p class=d-big>");
    value_text(o, d, &r->total, rep->threshold, lang);
    if (d->kind == IND_INDEX && !none) buf_puts(o, "<small> / 100</small>");
    buf_puts(o, "</p>");
    if (r->total.n > 0) {
        buf_puts(o, "<p class=d-ci>");
        figure_line(o, d, &r->total, lang);
        buf_puts(o, "</p>");
    }
    if (none) {
        buf_puts(o, "</article>");
        return;
    }
    if (rep->dims & 1u << IND_DIM_SERVICIO && !rep->filter.service && !rep->filter.point)
        breakdown_chart(o, env, r, IND_DIM_SERVICIO, lang);
    if (rep->dims & 1u << IND_DIM_MES && r->nby[IND_DIM_MES]) {
        double lo, hi;
        axis(d, r->by[IND_DIM_MES], r->nby[IND_DIM_MES], &lo, &hi);
        buf_puts(o, "<h4>");
        render_text(o, lang, S_IND_TREND);
        buf_puts(o, "</h4>");
        buf_t title;
        buf_init(&title);
        buf_printf(&title, "%s — %s", d->label[lang], T(lang, S_IND_TREND));
        svg_trend(o, r, lo, hi, title.data, lang);
        buf_free(&title);
    }
    buf_puts(o, "</article>");
}

/* The table of every indicator of an action. */
static void table(buf_t *o, const ind_report_t *rep, int action, lang_t lang)
{
    /* A region keyboard users can scroll, named by the action's heading. */
    buf_printf(o, "<div class=d-tw tabindex=0 role=region aria-labelledby=h-accion-%d>"
               "<table class=d-t><thead><tr><th scope=col>", action);
    render_text(o, lang, S_IND_INDICATOR);
    buf_puts(o, "</th><th scope=col>");
    render_text(o, lang, S_IND_VALUE);
    buf_puts(o, "</th><th scope=col>");
    render_text(o, lang, S_IND_CI_SHORT);
    buf_puts(o, "</th><th scope=col>n</th></tr></thead><tbody>");
    for (size_t i = 0; i < rep->n; i++) {
        const ind_result_t *r = &rep->r[i];
        const ind_def_t *d = r->def;
        if (d->action != action) continue;
        buf_puts(o, "<tr><th scope=row>");
        buf_html(o, d->label[lang]);
        if (d->has_target) {
            buf_puts(o, "<br><small>");
            render_text(o, lang, S_IND_TARGET);
            buf_puts(o, ": ");
            buf_t t;
            buf_init(&t);
            fmt_value(&t, d, d->target, lang);
            buf_html(o, t.data);
            buf_free(&t);
            buf_puts(o, "</small>");
        }
        buf_puts(o, "</th><td>");
        value_text(o, d, &r->total, rep->threshold, lang);
        buf_puts(o, "</td><td>");
        if (!isnan(r->total.lo) && !isnan(r->total.hi)) {
            buf_t t;
            buf_init(&t);
            fmt_range(&t, d, &r->total, lang);
            buf_html(o, t.data);
            buf_free(&t);
        }
        buf_puts(o, "</td><td>");
        buf_t t;
        buf_init(&t);
        if (r->total.n >= 0) fmt_n(&t, r->total.n, lang);
        buf_html(o, t.data);
        buf_free(&t);
        buf_puts(o, "</td></tr>");
    }
    buf_puts(o, "</tbody></table></div>");
}

/* One chart of the action's other figures on a 0-100 axis: indices, or
 * percentages. */
static void components(buf_t *o, const ind_report_t *rep, int action, bool percent, lang_t lang)
{
    bar_t *b = xcalloc(rep->n + 1, sizeof *b);
    size_t n = 0;
    for (size_t i = 0; i < rep->n; i++) {
        const ind_result_t *r = &rep->r[i];
        const ind_def_t *d = r->def;
        bool want = percent ? ind_kind_is_percent(d->kind) : d->kind == IND_INDEX;
        if (d->action == action && !d->headline && want)
            b[n++] = (bar_t){ d->label[lang], d, &r->total };
    }
    if (n) {
        buf_puts(o, "<article class=\"d-card d-wide\"><h3>");
        render_text(o, lang, percent ? S_IND_PERCENTAGES : S_IND_COMPONENTS);
        buf_puts(o, "</h3>");
        svg_bars(o, b, n, 0, 100, NULL, T(lang, percent ? S_IND_PERCENTAGES : S_IND_COMPONENTS), lang);
        buf_puts(o, "</article>");
    }
    free(b);
}

/* ---- the query string of the page's links -------------------------------------------- */

static void add_arg(buf_t *q, const char *key, const char *val)
{
    if (!val || !*val) return;
    buf_puts(q, key);
    buf_putc(q, '=');
    buf_urlenc(q, val);
    buf_putc(q, '&');
}

/* "from=...&to=...&" with the filters in force (ends in '&' or is empty);
 * the channel as channel_key (the dashboard's "canal", the API's
 * "channel"). */
static void filter_args(buf_t *q, const ind_dash_view_t *v, const char *channel_key)
{
    add_arg(q, "from", v->from);
    add_arg(q, "to", v->to);
    add_arg(q, "form", v->form);
    add_arg(q, "point", v->point);
    add_arg(q, "service", v->service);
    add_arg(q, channel_key, v->channel);
}

/* ---- the filter form ------------------------------------------------------------------- */

static void option(buf_t *o, const char *value, const char *label, const char *current)
{
    buf_puts(o, "<option value=\"");
    buf_html(o, value);
    buf_puts(o, current && !strcmp(current, value) ? "\" selected>" : "\">");
    buf_html(o, label);
    buf_puts(o, "</option>");
}

static void select_open(buf_t *o, const char *name, str_id_t label, lang_t lang)
{
    buf_printf(o, "<div><label for=f-%s>", name);
    render_text(o, lang, label);
    buf_printf(o, "</label><select id=f-%s name=%s>", name, name);
}

static void filter_form(buf_t *o, const ind_env_t *env, const ind_dash_view_t *v, lang_t lang)
{
    /* Folded away unless in use, so that on a phone the figures come
     * first. */
    bool active = v->from || v->to || v->form || v->point || v->service || v->error_param ||
                  v->by != IND_DIM_SEXO || v->channel;
    buf_printf(o, "<details class=d-fd%s><summary>", active ? " open" : "");
    render_text(o, lang, S_IND_FILTERS);
    buf_printf(o, "</summary><form class=d-f method=get action=/indicadores>"
               "<input type=hidden name=lang value=%s><div class=d-fr>", i18n_code(lang));
    static const struct { const char *name; str_id_t label; } dates[] = {
        { "from", S_IND_FROM }, { "to", S_IND_TO },
    };
    for (int i = 0; i < 2; i++) {
        const char *val = i ? v->to : v->from;
        buf_printf(o, "<div><label for=f-%s>", dates[i].name);
        render_text(o, lang, dates[i].label);
        buf_printf(o, "</label><input type=date id=f-%s name=%s", dates[i].name, dates[i].name);
        if (val) {
            buf_puts(o, " value=\"");
            buf_html(o, val);
            buf_putc(o, '"');
        }
        buf_puts(o, "></div>");
    }
    select_open(o, "form", S_IND_FORM, lang);
    option(o, "", T(lang, S_IND_ALL), v->form);
    for (size_t i = 0; i < env->nforms; i++) {
        const form_t *f = env->forms[i];
        bool has = false;
        for (size_t k = 0; k < env->defs->n; k++) has |= !strcmp(env->defs->d[k].form, f->id);
        if (!has) continue;
        int li = form_lang(f, i18n_code(lang));
        option(o, f->id, form_text(f, &f->title, li >= 0 ? li : f->default_lang), v->form);
    }
    buf_puts(o, "</select></div>");
    select_open(o, "point", S_IND_POINT, lang);
    option(o, "", T(lang, S_IND_ALL), v->point);
    for (size_t i = 0; env->points && i < env->points->npoints; i++) {
        const point_t *p = &env->points->points[i];
        option(o, p->id, lang == LANG_HT && p->name_ht && *p->name_ht ? p->name_ht : p->name, v->point);
    }
    buf_puts(o, "</select></div>");
    select_open(o, "service", S_IND_SERVICE, lang);
    option(o, "", T(lang, S_IND_ALL), v->service);
    for (size_t i = 0; env->points && i < env->points->nservices; i++) {
        const service_t *s = &env->points->services[i];
        option(o, s->id, lang == LANG_HT && s->label_ht && *s->label_ht ? s->label_ht : s->label_es,
               v->service);
    }
    buf_puts(o, "</select></div>");
    select_open(o, "canal", S_IND_DIM_CANAL, lang);
    option(o, "", T(lang, S_IND_ALL), v->channel);
    for (int i = 0; i < IND_NCHANNELS; i++)
        option(o, ind_channels[i], ind_channel_label(ind_channels[i], lang), v->channel);
    buf_puts(o, "</select></div>");
    select_open(o, "by", S_IND_BY, lang);
    const char *by = v->by == IND_DASH_BY_NONE ? "none" : ind_dim_name(v->by);
    /* issue 17: mes too, as the API takes it (the cards chart the months
     * of each figure; this breaks every headline figure down by month). */
    for (int d = 0; d < IND_DIM_COUNT; d++)
        option(o, ind_dim_name((ind_dim_t)d), ind_dim_title((ind_dim_t)d, lang), by);
    option(o, "none", T(lang, S_IND_BY_NONE), by);
    buf_puts(o, "</select></div></div><button type=submit>");
    render_text(o, lang, S_IND_APPLY);
    buf_puts(o, "</button></form></details>");
}

static void downloads(buf_t *o, const ind_dash_view_t *v, lang_t lang)
{
    buf_t q;
    buf_init(&q);
    filter_args(&q, v, "channel");
    buf_printf(&q, "lang=%s", i18n_code(lang));
    static const struct { const char *path, *extra; str_id_t label; } links[] = {
        { "/api/v1/indicators.xlsx", "", S_IND_DL_XLSX },
        { "/api/v1/indicators.csv", "", S_IND_DL_CSV },
        { "/api/v1/indicators.csv", "&sep=%3B", S_IND_DL_CSV_ES },
        { "/api/v1/indicators", "", S_IND_DL_JSON },
    };
    buf_puts(o, "<p class=d-dl>");
    render_text(o, lang, S_IND_DOWNLOAD);
    buf_puts(o, ": ");
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        if (i) buf_puts(o, " \xC2\xB7 ");
        buf_printf(o, "<a href=\"%s?", links[i].path);
        buf_html(o, q.data);
        buf_html(o, links[i].extra);
        buf_puts(o, "\">");
        render_text(o, lang, links[i].label);
        buf_puts(o, "</a>");
    }
    buf_printf(o, " \xC2\xB7 <a href=\"/indicadores/plan?lang=%s\">", i18n_code(lang));
    render_text(o, lang, S_IND_PLAN_LINK);
    buf_puts(o, "</a></p>");
    buf_free(&q);
}

/* The names the filter form shows for a form, point and service id (the
 * id itself when unknown). */
static const char *form_name(const ind_env_t *env, const char *id, lang_t lang)
{
    for (size_t i = 0; i < env->nforms; i++) {
        const form_t *f = env->forms[i];
        if (strcmp(f->id, id)) continue;
        int li = form_lang(f, i18n_code(lang));
        return form_text(f, &f->title, li >= 0 ? li : f->default_lang);
    }
    return id;
}

static const char *point_name(const ind_env_t *env, const char *id, lang_t lang)
{
    for (size_t i = 0; env->points && i < env->points->npoints; i++) {
        const point_t *p = &env->points->points[i];
        if (!strcmp(p->id, id)) return lang == LANG_HT && p->name_ht && *p->name_ht ? p->name_ht : p->name;
    }
    return id;
}

static const char *service_name(const ind_env_t *env, const char *id, lang_t lang)
{
    for (size_t i = 0; env->points && i < env->points->nservices; i++) {
        const service_t *s = &env->points->services[i];
        if (!strcmp(s->id, id))
            return lang == LANG_HT && s->label_ht && *s->label_ht ? s->label_ht : s->label_es;
    }
    return id;
}

/* "Filtros: Servicio: Mercado · Punto de servicio: ...": what a printed
 * page covers, since the folded filter form does not print. */
static void filters_line(buf_t *o, const ind_env_t *env, const ind_dash_view_t *v, lang_t lang)
{
    buf_t t;
    buf_init(&t);
    buf_puts(&t, T(lang, S_IND_FILTERS));
    buf_puts(&t, ": ");
    const struct { str_id_t label; const char *id, *name; } f[] = {
        { S_IND_FORM, v->form, v->form ? form_name(env, v->form, lang) : NULL },
        { S_IND_POINT, v->point, v->point ? point_name(env, v->point, lang) : NULL },
        { S_IND_SERVICE, v->service, v->service ? service_name(env, v->service, lang) : NULL },
        { S_IND_DIM_CANAL, v->channel, v->channel ? ind_channel_label(v->channel, lang) : NULL },
    };
    bool any = false;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (!f[i].id || !*f[i].id) continue;
        if (any) buf_puts(&t, " \xC2\xB7 ");
        buf_puts(&t, T(lang, f[i].label));
        buf_puts(&t, ": ");
        buf_puts(&t, f[i].name);
        any = true;
    }
    if (!any) buf_puts(&t, T(lang, S_IND_FILTERS_NONE));
    buf_puts(&t, ".");
    buf_puts(o, "<p class=d-meta>");
    buf_html(o, t.data);
    buf_puts(o, "</p>");
    buf_free(&t);
}

/* "Fecha del informe: 2025-06-30 14:05 (UTC−4)": when the figures were
 * computed, in Santo Domingo time as every date of the page. */
static void report_date(buf_t *o, const ind_report_t *rep, lang_t lang)
{
    time_t t = (time_t)(rep->generated_at + BIZDAYS_UTC_OFFSET);
    struct tm tm;
    char when[32] = "";
    if (gmtime_r(&t, &tm)) strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
    buf_puts(o, "<p class=d-meta>");
    render_text(o, lang, S_IND_REPORT_DATE);
    buf_printf(o, ": %s (UTC\xE2\x88\x92" "4)</p>", when);
}

/* "Período: ... · Respuestas: Encuesta 123 · ..." */
/* "Respuestas por canal: Web 812 · Papel 41 · Entrevista oculto: pocas
 * respuestas", suppressed like any breakdown (issue 17), and what a
 * hidden count means when one is hidden. Nothing without responses. */
static void channels_line(buf_t *o, const ind_env_t *env, const ind_report_t *rep, lang_t lang)
{
    if (!rep->nchannels) return;
    bool hidden = false;
    buf_puts(o, "<p class=d-meta id=d-canales>");
    render_text(o, lang, S_IND_BY_CHANNEL);
    buf_puts(o, ": ");
    for (size_t i = 0; i < rep->nchannels; i++) {
        const ind_cell_t *c = &rep->channels[i];
        if (i) buf_puts(o, " \xC2\xB7 ");
        buf_html(o, ind_channel_label(c->key, lang));
        buf_puts(o, " ");
        if (c->suppressed || c->n < 0) {
            hidden = true;
            buf_puts(o, "<i>");
            render_text(o, lang, S_IND_SUPPRESSED);
            buf_puts(o, "</i>");
        } else {
            buf_t t;
            buf_init(&t);
            fmt_n(&t, c->n, lang);
            buf_html(o, t.data);
            buf_free(&t);
        }
    }
    buf_puts(o, ".");
    if (hidden) {
        buf_puts(o, " ");
        render_text(o, lang, S_IND_BY_CHANNEL_NOTE);
        buf_printf(o, " (n < %d).", env->threshold);
    }
    buf_puts(o, "</p>");
}

static void summary(buf_t *o, const ind_env_t *env, const ind_report_t *rep, const ind_dash_view_t *v,
                    lang_t lang)
{
    buf_t t;
    buf_init(&t);
    buf_puts(&t, T(lang, S_IND_PERIOD));
    buf_puts(&t, ": ");
    if (!v->from && !v->to) {
        buf_puts(&t, T(lang, S_IND_ALL_TIME));
    } else {
        buf_puts(&t, v->from ? v->from : "\xE2\x80\xA6");
        buf_puts(&t, " \xE2\x80\x93 ");
        buf_puts(&t, v->to ? v->to : "\xE2\x80\xA6");
    }
    buf_puts(&t, " \xC2\xB7 ");
    buf_puts(&t, T(lang, S_IND_RESPONSES));
    buf_puts(&t, ": ");
    bool hidden = false;
    for (size_t i = 0; i < rep->nforms; i++) {
        const form_t *f = NULL;
        for (size_t k = 0; k < env->nforms; k++)
            if (!strcmp(env->forms[k]->id, rep->forms[i].form)) f = env->forms[k];
        if (i) buf_puts(&t, " \xC2\xB7 ");
        if (f) {
            int li = form_lang(f, i18n_code(lang));
            buf_puts(&t, form_text(f, &f->title, li >= 0 ? li : f->default_lang));
        } else {
            buf_puts(&t, rep->forms[i].form);
        }
        buf_puts(&t, " ");
        /* issue 17: hidden like the channels' counts below */
        if (rep->forms[i].suppressed) {
            buf_puts(&t, T(lang, S_IND_SUPPRESSED));
            hidden = true;
        } else {
            fmt_n(&t, rep->forms[i].responses, lang);
        }
    }
    if (hidden) buf_printf(&t, " (n < %d)", env->threshold);
    buf_puts(&t, ".");
    buf_puts(o, "<p class=d-meta>");
    buf_html(o, t.data);
    buf_puts(o, "</p>");
    buf_free(&t);
    channels_line(o, env, rep, lang);
    filters_line(o, env, v, lang);
    report_date(o, rep, lang);
}

static void action_heading(buf_t *o, const ind_plan_t *plan, int action, lang_t lang)
{
    const ind_plan_action_t *a = plan ? ind_plan_find(plan, action) : NULL;
    buf_printf(o, "<h2 id=h-accion-%d>", action);
    render_text(o, lang, S_IND_ACTION);
    buf_printf(o, " %d", action);
    if (a) {
        buf_puts(o, " \xC2\xB7 ");
        buf_html(o, a->action[lang]);
    }
    buf_puts(o, "</h2>");
    if (a) {
        buf_puts(o, "<p class=d-sub>CAF ");
        buf_html(o, a->subcriterion);
        buf_puts(o, " \xC2\xB7 ");
        render_text(o, lang, S_PLAN_RESPONSIBLE);
        buf_puts(o, ": ");
        buf_html(o, a->responsible[lang]);
        buf_puts(o, "</p>");
    }
}

/* Actions with indicators, ascending. */
static size_t actions_of(const ind_report_t *rep, int *out)
{
    size_t n = 0;
    for (size_t i = 0; i < rep->n; i++) {
        int a = rep->r[i].def->action;
        size_t k = 0;
        while (k < n && out[k] < a) k++;
        if (k < n && out[k] == a) continue;
        memmove(out + k + 1, out + k, (n - k) * sizeof *out);
        out[k] = a;
        n++;
    }
    return n;
}

static void disaggregation(buf_t *o, const ind_env_t *env, const ind_report_t *rep, ind_dim_t by,
                           lang_t lang)
{
    buf_puts(o, "<p>");
    render_text(o, lang, S_IND_DISAGG_INTRO);
    buf_puts(o, " <b>");
    buf_html(o, ind_dim_title(by, lang));
    buf_puts(o, "</b>.</p><div class=d-grid>");
    for (size_t i = 0; i < rep->n; i++) {
        const ind_result_t *r = &rep->r[i];
        /* figures without answers have nothing to break down */
        if (!r->def->headline || r->def->action == DISAGG_ACTION || r->total.n == 0) continue;
        buf_printf(o, "<article class=d-card><h3>");
        buf_html(o, r->def->label[lang]);
        buf_puts(o, "</h3>");
        breakdown_chart(o, env, r, by, lang);
        buf_puts(o, "</article>");
    }
    buf_puts(o, "</div>");
}

/* What a reader of the figures must know first: the sample, the privacy
 * threshold, the time zone (both pages, on screen and printed). */
static void sample_note(buf_t *o, const ind_env_t *env, lang_t lang)
{
    buf_puts(o, "<p class=d-note><b>");
    render_text(o, lang, S_IND_SAMPLE_TITLE);
    buf_puts(o, ":</b> ");
    render_text(o, lang, S_IND_SAMPLE_NOTE);
    buf_puts(o, " ");
    render_text(o, lang, S_IND_PRIVACY_NOTE);
    buf_printf(o, " (n < %d). ", env->threshold);
    render_text(o, lang, S_IND_TZ_NOTE);
    buf_puts(o, "</p>");
}

void render_dashboard(buf_t *o, const ind_env_t *env, const ind_plan_t *plan, const ind_report_t *rep,
                      const ind_dash_view_t *v, lang_t lang)
{
    buf_t self;
    buf_init(&self);
    buf_puts(&self, "/indicadores?");
    filter_args(&self, v, "canal");
    add_arg(&self, "by", v->by_list ? v->by_list /* issue 17 */
                         : v->by == IND_DIM_SEXO ? NULL : v->by == IND_DASH_BY_NONE ? "none" : ind_dim_name(v->by));
    render_page_begin(o, lang, T(lang, S_IND_TITLE), self.data, false);
    if (v->nav) buf_puts(o, v->nav);
    buf_puts(o, "<div class=dash><h1>");
    render_text(o, lang, S_IND_TITLE);
    buf_puts(o, "</h1><p>");
    render_text(o, lang, S_IND_INTRO);
    buf_puts(o, "</p>");
    sample_note(o, env, lang);
    filter_form(o, env, v, lang);
    if (v->error_param) {
        buf_puts(o, "<p class=es role=alert>");
        render_text(o, lang, S_IND_ERR_FILTER);
        buf_puts(o, " ");
        buf_html(o, v->error_param);
        buf_puts(o, "</p>");
    }
    if (rep) {
        downloads(o, v, lang);
        summary(o, env, rep, v, lang);
        int *actions = xcalloc(rep->n + 1, sizeof *actions);
        size_t na = actions_of(rep, actions);
        buf_puts(o, "<nav class=d-toc aria-label=\"");
        render_text(o, lang, S_IND_CONTENTS);
        buf_puts(o, "\">");
        for (size_t i = 0; i < na; i++) {
            buf_printf(o, "<a href=#accion-%d>", actions[i]);
            render_text(o, lang, S_IND_ACTION);
            buf_printf(o, " %d</a>", actions[i]);
        }
        buf_puts(o, "</nav>");
        for (size_t i = 0; i < na; i++) {
            int a = actions[i];
            buf_printf(o, "<section id=accion-%d>", a);
            action_heading(o, plan, a, lang);
            if (a == DISAGG_ACTION && v->by_dims) {
                /* issue 17: each breakdown asked, in order */
                for (int d = 0; d < IND_DIM_COUNT; d++)
                    if (v->by_dims & 1u << d) disaggregation(o, env, rep, (ind_dim_t)d, lang);
            } else if (a == DISAGG_ACTION && v->by != IND_DASH_BY_NONE) {
                disaggregation(o, env, rep, v->by, lang);
            }
            buf_puts(o, "<div class=d-grid>");
            for (size_t k = 0; k < rep->n; k++)
                if (rep->r[k].def->action == a && rep->r[k].def->headline) card(o, env, rep, &rep->r[k], lang);
            components(o, rep, a, false, lang);
            components(o, rep, a, true, lang);
            buf_puts(o, "</div>");
            table(o, rep, a, lang);
            buf_puts(o, "</section>");
        }
        free(actions);
        buf_puts(o, "<section class=d-m><h2>");
        render_text(o, lang, S_IND_METHOD_TITLE);
        buf_puts(o, "</h2><p>");
        render_text(o, lang, S_IND_METHOD_BODY);
        buf_puts(o, "</p></section>");
    }
    buf_puts(o, "</div>");
    render_page_end(o);
    buf_free(&self);
}

/* ---- the plan page ---------------------------------------------------------------------- */

static void month_range(buf_t *o, int a, int b, lang_t lang)
{
    buf_t t;
    buf_init(&t);
    ind_month_label(&t, a, lang, false);
    buf_puts(&t, " \xE2\x80\x93 ");
    ind_month_label(&t, b, lang, false);
    buf_html(o, t.data);
    buf_free(&t);
}

/* What buzon holds for an action: responses per form and period, and the
 * main figures. */
static void evidence(buf_t *o, const ind_env_t *env, const ind_report_t *rep, int action, lang_t lang)
{
    bool any = false;
    for (size_t i = 0; i < rep->nforms; i++) {
        const ind_form_count_t *fc = &rep->forms[i];
        bool mine = false;
        for (size_t k = 0; k < rep->n; k++)
            mine |= rep->r[k].def->action == action && !strcmp(rep->r[k].def->form, fc->form);
        if (!mine || fc->responses <= 0) continue;
        const form_t *f = NULL;
        for (size_t k = 0; k < env->nforms; k++)
            if (!strcmp(env->forms[k]->id, fc->form)) f = env->forms[k];
        int li = f ? form_lang(f, i18n_code(lang)) : -1;
        const char *title = f ? form_text(f, &f->title, li >= 0 ? li : f->default_lang) : fc->form;
        buf_t t;
        buf_init(&t);
        any = true;
        if (fc->suppressed) {
            /* issue 17: a small count of people's answers is hidden here as
             * in the dashboard's forms line (ind_form_count_t), months too */
            buf_printf(&t, "\xC2\xAB%s\xC2\xBB: %s", title, T(lang, S_IND_SUPPRESSED));
            buf_puts(o, "<p>");
            buf_html(o, t.data);
            buf_puts(o, ".</p>");
            buf_free(&t);
            continue;
        }
        fmt_n(&t, fc->responses, lang);
        buf_puts(&t, " ");
        buf_puts(&t, T(lang, fc->responses == 1 ? S_PLAN_RESPONSE_TO : S_PLAN_RESPONSES_TO));
        buf_puts(&t, " \xC2\xAB");
        buf_puts(&t, title);
        buf_puts(&t, "\xC2\xBB (");
        buf_puts(o, "<p>");
        buf_html(o, t.data);
        month_range(o, fc->first_ym, fc->last_ym, lang);
        buf_puts(o, ").</p>");
        buf_free(&t);
        any = true;
    }
    if (!any) {
        buf_puts(o, "<p class=d-mu>");
        render_text(o, lang, S_IND_NO_DATA);
        buf_puts(o, "</p>");
        return;
    }
    buf_puts(o, "<ul>");
    for (size_t k = 0; k < rep->n; k++) {
        const ind_result_t *r = &rep->r[k];
        if (r->def->action != action) continue;   /* issue 18: every indicator of the action */
        buf_puts(o, "<li>");
        buf_html(o, r->def->label[lang]);
        buf_puts(o, ": <b>");
        value_text(o, r->def, &r->total, rep->threshold, lang);
        buf_puts(o, "</b> (");
        figure_line(o, r->def, &r->total, lang);
        buf_puts(o, ")</li>");
    }
    buf_puts(o, "</ul>");
    if (action == DISAGG_ACTION) {
        buf_puts(o, "<p>");
        render_text(o, lang, S_PLAN_DISAGG_EVIDENCE);
        buf_puts(o, "</p>");
    }
    buf_printf(o, "<p><a href=\"/indicadores?lang=%s#accion-%d\">", i18n_code(lang), action);
    render_text(o, lang, S_PLAN_SEE_DASHBOARD);
    buf_puts(o, "</a></p>");
}


/* issue 18: "72.4 / 100 (n = 34)", "3 (n = 3)", or why there is no figure. */
static void current_figure(buf_t *o, const ind_report_t *rep, const plan_row_t *w, lang_t lang)
{
    if (!w->headline) {
        render_text(o, lang, S_PLAN_NO_INDICATOR);
        return;
    }
    const ind_cell_t *c = &w->headline->total;
    value_text(o, w->headline->def, c, rep->threshold, lang);
    buf_t t;
    buf_init(&t);
    if (c->n >= 0) {
        buf_puts(&t, " (n = ");
        fmt_n(&t, c->n, lang);
        buf_puts(&t, ")");
        buf_html(o, t.data);
    }
    /* issue 18: the figure and the status are those of the action's own
     * window; evidence after its end is shown, never counted */
    buf_reset(&t);
    buf_puts(&t, T(lang, S_PLAN_WINDOW));
    buf_puts(&t, " (");
    ind_month_label(&t, w->a->start_ym, lang, false);
    buf_puts(&t, " \xE2\x80\x93 ");
    ind_month_label(&t, w->a->end_ym, lang, false);
    buf_printf(&t, ") \xC2\xB7 %s: ", T(lang, S_PLAN_IN_WINDOW));
    fmt_n(&t, w->entries, lang);
    buf_puts(o, "<br><small class=d-win>");
    buf_html(o, t.data);
    buf_puts(o, "</small>");
    if (w->progress.late > 0) {
        buf_reset(&t);
        buf_printf(&t, "%s: ", T(lang, S_PLAN_LATE));
        fmt_n(&t, w->progress.late, lang);
        buf_puts(o, "<br><small class=d-late>");
        buf_html(o, t.data);
        buf_puts(o, "</small>");
    }
    buf_free(&t);
}

/* issue 18: the status rules, under the summary (model/plan.h). */
static void plan_legend(buf_t *o, lang_t lang)
{
    buf_puts(o, "<p class=\"d-note d-legend\"><b>");
    render_text(o, lang, S_PLAN_LEGEND_TITLE);
    buf_puts(o, ":</b> ");
    render_text(o, lang, S_PLAN_LEGEND);
    buf_puts(o, "</p>");
}

/* issue 18: the target of a row in its figure's unit, or "sin meta". */
static void target_text(buf_t *o, const plan_row_t *w, lang_t lang)
{
    if (!w->progress.has_target || !w->headline) {
        render_text(o, lang, S_PLAN_NO_TARGET);
        return;
    }
    buf_t t;
    buf_init(&t);
    fmt_value(&t, w->headline->def, w->progress.target, lang);
    buf_html(o, t.data);
    buf_free(&t);
}

static void status_badge(buf_t *o, const plan_row_t *w, lang_t lang)
{
    buf_printf(o, "<span class=\"d-status d-status-%s\">", plan_status_key(w->status));
    render_text(o, lang, plan_status_text(w->status));
    buf_puts(o, "</span>");
}

/* issue 18: the period form and the buttons of the report for the MAP. */
static void plan_period(buf_t *o, const ind_plan_view_t *v, lang_t lang)
{
    buf_printf(o, "<form class=\"d-f d-pf\" method=get action=/indicadores/plan>"
               "<input type=hidden name=lang value=%s><div class=d-fr>", i18n_code(lang));
    for (int i = 0; i < 2; i++) {
        const char *name = i ? "to" : "from", *val = i ? v->to : v->from;
        buf_printf(o, "<div><label for=p-%s>", name);
        render_text(o, lang, i ? S_IND_TO : S_IND_FROM);
        buf_printf(o, "</label><input type=date id=p-%s name=%s", name, name);
        if (val) {
            buf_puts(o, " value=\"");
            buf_html(o, val);
            buf_putc(o, '"');
        }
        buf_puts(o, "></div>");
    }
    buf_puts(o, "</div><button type=submit>");
    render_text(o, lang, S_IND_APPLY);
    buf_puts(o, "</button></form>");
    if (v->error_param) {
        buf_puts(o, "<p class=d-warn role=alert>");
        render_text(o, lang, S_IND_ERR_FILTER);
        buf_puts(o, " ");
        buf_html(o, v->error_param);
        buf_puts(o, "</p>");
        return;
    }
    buf_t q;
    buf_init(&q);
    add_arg(&q, "from", v->from);
    add_arg(&q, "to", v->to);
    buf_printf(&q, "lang=%s", i18n_code(lang));
    buf_puts(o, "<p class=d-dl>");
    render_text(o, lang, S_PLAN_REPORT);
    buf_puts(o, ": <a href=\"/indicadores/plan/informe.pdf?");
    buf_html(o, q.data);
    buf_puts(o, "\">");
    render_text(o, lang, S_PLAN_REPORT_PDF);
    buf_puts(o, "</a> <a href=\"/indicadores/plan/informe.xlsx?");
    buf_html(o, q.data);
    buf_puts(o, "\">");
    render_text(o, lang, S_PLAN_REPORT_XLSX);
    buf_puts(o, "</a></p>");
    buf_free(&q);
}

/* issue 18: one line per action: number, action, dates, unit, target,
 * current figure with n, status. */
static void plan_summary(buf_t *o, const ind_plan_t *plan, const ind_report_t *rep, const plan_row_t *rows,
                         lang_t lang)
{
    /* issue 18: the heading outside the scrolling box, so a narrow screen
     * never clips it; the table names it */
    buf_puts(o, "<h2 id=h-plan-sum class=d-pst>");
    render_text(o, lang, S_REP_SUMMARY);
    buf_puts(o, "</h2><div class=d-tw tabindex=0 role=region aria-labelledby=h-plan-sum>"
                "<table class=\"d-t d-ps\" aria-labelledby=h-plan-sum><thead><tr><th scope=col>#</th><th scope=col>");
    static const str_id_t cols[] = { S_IND_ACTION, S_PLAN_DATES, S_PLAN_RESPONSIBLE, S_IND_TARGET,
                                     S_PLAN_CURRENT, S_PLAN_STATUS };
    for (size_t k = 0; k < sizeof cols / sizeof *cols; k++) {
        if (k) buf_puts(o, "<th scope=col>");
        render_text(o, lang, cols[k]);
        buf_puts(o, "</th>");
    }
    buf_puts(o, "</tr></thead><tbody>");
    for (size_t i = 0; i < plan->n; i++) {
        const plan_row_t *w = &rows[i];
        /* issue 18: data-label names each cell on a phone, where the rows
         * become stacked cards (www/buzon.css, .d-ps) */
        buf_printf(o, "<tr id=fila-%d><td>%d</td><th scope=row><a href=#accion-%d>", w->a->number,
                   w->a->number, w->a->number);
        buf_html(o, w->a->action[lang]);
        buf_puts(o, "</a></th>");
        for (size_t k = 1; k < sizeof cols / sizeof *cols; k++) {
            buf_puts(o, "<td data-label=\"");
            buf_html(o, T(lang, cols[k]));
            buf_puts(o, "\"><span>");   /* one grid item beside the label */
            if (k == 1) {
                month_range(o, w->a->start_ym, w->a->end_ym, lang);
                if (w->inconsistent) buf_puts(o, " \xE2\x9A\xA0");
            } else if (k == 2) {
                buf_html(o, w->a->responsible[lang]);
            } else if (k == 3) {
                target_text(o, w, lang);
            } else if (k == 4) {
                current_figure(o, w->win ? w->win : rep, w, lang);
            } else {
                status_badge(o, w, lang);
            }
            buf_puts(o, "</span></td>");
        }
        buf_puts(o, "</tr>");
    }
    buf_puts(o, "</tbody></table></div>");
}

void render_plan(buf_t *o, const ind_env_t *env, const ind_plan_t *plan, const ind_report_t *rep,
                 const plan_row_t *rows, const ind_plan_view_t *v, lang_t lang)
{
    render_page_begin(o, lang, T(lang, S_PLAN_TITLE), "/indicadores/plan?", false);
    if (v->nav) buf_puts(o, v->nav);
    buf_puts(o, "<div class=dash><h1>");
    render_text(o, lang, S_PLAN_TITLE);
    buf_puts(o, "</h1><p>");
    render_text(o, lang, S_PLAN_INTRO);
    buf_printf(o, "</p><p class=d-dl><a href=\"/indicadores?lang=%s\">", i18n_code(lang));
    render_text(o, lang, S_IND_BACK);
    buf_puts(o, "</a></p>");
    plan_period(o, v, lang);
    if (!rep) {
        buf_puts(o, "</div>");
        render_page_end(o);
        return;
    }
    sample_note(o, env, lang);
    report_date(o, rep, lang);
    {
        char day[11];
        bizdays_format((int32_t)v->as_of, day);
        buf_puts(o, "<p class=d-meta>");
        render_text(o, lang, S_PLAN_STATUS_ON);
        buf_printf(o, " %s</p>", day);
    }
    if (!plan->n) {
        buf_puts(o, "<p>");
        render_text(o, lang, S_IND_NO_DATA);
        buf_puts(o, "</p>");
    } else {
        plan_summary(o, plan, rep, rows, lang);
        plan_legend(o, lang);
    }
    for (size_t i = 0; i < plan->n; i++) {
        const ind_plan_action_t *a = &plan->a[i];
        const plan_row_t *w = &rows[i];
        buf_printf(o, "<article class=\"d-card d-plan\" id=accion-%d><h2>%d. ", a->number, a->number);
        buf_html(o, a->action[lang]);
        buf_puts(o, "</h2><p>");
        status_badge(o, w, lang);
        buf_puts(o, "</p>");
        if (a->end_ym < a->start_ym) {
            buf_puts(o, "<p class=d-warn><b>");
            render_text(o, lang, S_PLAN_INCONSISTENT);
            buf_puts(o, "</b> ");
            render_text(o, lang, S_PLAN_END_BEFORE_START);
            buf_puts(o, " (");
            month_range(o, a->start_ym, a->end_ym, lang);
            buf_puts(o, ")</p>");
        }
        buf_puts(o, "<dl class=d-kv>");
        render_dt(o, lang, S_PLAN_CRITERION);
        buf_html(o, a->criterion);
        buf_puts(o, " \xC2\xB7 ");
        buf_html(o, a->subcriterion);
        buf_puts(o, "</dd>");
        render_dt(o, lang, S_PLAN_DATES);
        month_range(o, a->start_ym, a->end_ym, lang);
        buf_puts(o, "</dd>");
        render_dt(o, lang, S_PLAN_RESPONSIBLE);
        buf_html(o, a->responsible[lang]);
        buf_puts(o, "</dd>");
        render_dt(o, lang, S_PLAN_INDICATOR);
        buf_html(o, a->indicator[lang]);
        buf_puts(o, "</dd>");
        render_dt(o, lang, S_IND_TARGET);
        target_text(o, w, lang);
        buf_puts(o, "</dd>");
        render_dt(o, lang, S_PLAN_CURRENT);
        current_figure(o, w->win ? w->win : rep, w, lang);
        buf_puts(o, "</dd>");
        render_dt(o, lang, S_PLAN_OBJECTIVE);
        buf_html(o, a->objective[lang]);
        buf_puts(o, "</dd>");
        render_dt(o, lang, S_PLAN_EVIDENCE);
        evidence(o, env, rep, a->number, lang);
        buf_puts(o, "</dd></dl>");
        if (*a->note[lang]) {
            buf_puts(o, "<p class=d-note><b>");
            render_text(o, lang, S_PLAN_NOTE);
            buf_puts(o, ":</b> ");
            buf_html(o, a->note[lang]);
            buf_puts(o, "</p>");
        }
        buf_puts(o, "<details><summary>");
        render_text(o, lang, S_PLAN_AREA);
        buf_puts(o, "</summary><p>");
        buf_html(o, a->area[lang]);
        buf_puts(o, "</p></details></article>");
    }
    buf_puts(o, "</div>");
    render_page_end(o);
}
