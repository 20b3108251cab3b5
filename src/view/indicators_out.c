/*
 * indicators_out.c: a computed report as planners take it away: the API's
 * JSON, a CSV table for Excel (UTF-8 with a BOM so accents show; `;` and a
 * decimal comma for Spanish Excel), and an XLSX workbook through
 * libxlsxwriter. CSV and XLSX share one table (rows of typed cells), so
 * they can never disagree; its column headers are Spanish whatever the
 * language of the labels. Model values in, bytes out: no store (view
 * layer: base/ and model/).
 */
#include "view/ind_out.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "base/bizdays.h"
#include "base/csvwrite.h"
#include "base/utf8.h"
#include "view/xlsx_mem.h"

/* ---- formatting ------------------------------------------------------------- */

void ind_fmt_num(buf_t *out, double v, int decimals, lang_t lang)
{
    if (isnan(v)) return;
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.*f", decimals < 0 ? 0 : decimals, v);
    /* es-DO writes 1,234.5; Kreyòl, like French, 1 234,5. */
    const char *group = lang == LANG_HT ? " " : ",", *point = lang == LANG_HT ? "," : ".";
    const char *p = tmp;
    if (*p == '-') buf_putc(out, *p++);
    size_t intlen = strcspn(p, ".");
    for (size_t i = 0; i < intlen; i++) {
        if (i && (intlen - i) % 3 == 0) buf_puts(out, group);
        buf_putc(out, p[i]);
    }
    if (p[intlen] == '.') {
        buf_puts(out, point);
        buf_puts(out, p + intlen + 1);
    }
}

/* "index", "percent", "scale" (a 1..k rating), "number", "count". */
static const char *unit_name(const ind_def_t *d)
{
    switch (d->kind) {
    case IND_INDEX:  return "index";
    case IND_COUNT:
    case IND_SUM:
    case IND_ENTRIES: return "count";   /* issue 18: whole numbers */
    case IND_MEAN:
    case IND_MEDIAN: return d->scale ? "scale" : "number";
    default:         return "percent";
    }
}

static void date_text(char out[11], int64_t day)
{
    bizdays_format((int32_t)day, out);
}

static void iso_time(char out[32], int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- JSON ---------------------------------------------------------------------- */

static json_t *num4(double v)
{
    return isnan(v) ? json_null() : json_real(round(v * 1e4) / 1e4);
}

static void cell_json(json_t *o, const ind_cell_t *c)
{
    json_object_set_new(o, "value", num4(c->value));
    json_object_set_new(o, "n", c->n >= 0 ? json_integer(c->n) : json_null());
    json_object_set_new(o, "ci95", isnan(c->lo) || isnan(c->hi) ? json_null()
                                       : json_pack("[o,o]", num4(c->lo), num4(c->hi)));
    json_object_set_new(o, "suppressed", json_boolean(c->suppressed));
}

static json_t *strings_json(char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(a, json_string(v[i]));
    return a;
}

static json_t *result_json(const ind_env_t *env, const ind_report_t *rep, const ind_result_t *r)
{
    const ind_def_t *d = r->def;
    json_t *o = json_pack("{s:s,s:i,s:s,s:s,s:s,s:o,s:s,s:s,s:{s:s,s:s}}",
                          "id", d->id, "action", d->action, "form", d->form,
                          "kind", ind_kind_name(d->kind), "unit", unit_name(d),
                          "items", strings_json(d->items, d->nitems),
                          "label", d->label[LANG_ES], "label_ht", d->label[LANG_HT],
                          "labels", "es", d->label[LANG_ES], "ht", d->label[LANG_HT]);
    if (d->nchoices) json_object_set_new(o, "choices", strings_json(d->choices, d->nchoices));
    if (d->nexclude) json_object_set_new(o, "exclude", strings_json(d->exclude, d->nexclude));
    json_object_set_new(o, "target", d->has_target ? json_real(d->target) : json_null());
    json_object_set_new(o, "headline", json_boolean(d->headline));
    cell_json(o, &r->total);
    json_t *by = json_object();
    buf_t scratch;
    buf_init(&scratch);
    for (int dim = 0; dim < IND_DIM_COUNT; dim++) {
        /* a breakdown that does not apply is left out, not an empty list */
        if (!(rep->dims & 1u << dim) || !r->by[dim]) continue;
        json_t *cells = json_array();
        for (size_t k = 0; k < r->nby[dim]; k++) {
            const ind_cell_t *c = &r->by[dim][k];
            json_t *e = json_pack("{s:s}", "key", c->key);
            json_object_set_new(e, "label", json_string(ind_group_label(env, d, (ind_dim_t)dim, c->key, LANG_ES, &scratch)));
            json_object_set_new(e, "label_ht", json_string(ind_group_label(env, d, (ind_dim_t)dim, c->key, LANG_HT, &scratch)));
            cell_json(e, c);
            json_array_append_new(cells, e);
        }
        json_object_set_new(by, ind_dim_name((ind_dim_t)dim), cells);
    }
    buf_free(&scratch);
    json_object_set_new(o, "by", by);
    return o;
}

static json_t *opt_string(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *opt_day(int64_t day, int64_t open)
{
    if (day == open) return json_null();
    char t[11];
    date_text(t, day);
    return json_string(t);
}

static json_t *opt_month(int ym)
{
    if (ym < 0) return json_null();
    char t[IND_MONTH_KEY_SIZE];
    ind_month_key_format(ym, t);
    return json_string(t);
}

json_t *ind_json(const ind_env_t *env, const ind_report_t *r)
{
    json_t *list = json_array();
    for (size_t i = 0; i < r->n; i++) json_array_append_new(list, result_json(env, r, &r->r[i]));
    json_t *dims = json_array(), *resp = json_object();
    for (int d = 0; d < IND_DIM_COUNT; d++)
        if (r->dims & 1u << d) json_array_append_new(dims, json_string(ind_dim_name((ind_dim_t)d)));
    /* issue 17: a hidden count shows neither its n nor its months */
    for (size_t i = 0; i < r->nforms; i++) {
        const ind_form_count_t *fc = &r->forms[i];
        json_object_set_new(resp, fc->form,
                            json_pack("{s:o,s:o,s:o,s:b}", "n",
                                      fc->suppressed ? json_null() : json_integer(fc->responses),
                                      "first_month", opt_month(fc->suppressed ? -1 : fc->first_ym),
                                      "last_month", opt_month(fc->suppressed ? -1 : fc->last_ym),
                                      "suppressed", fc->suppressed));
    }
    char ts[32];
    iso_time(ts, r->generated_at);
    const ind_filter_t *f = &r->filter;
    /* issue 17: responses per channel, suppressed like a breakdown. */
    json_t *channels = json_array();
    for (size_t i = 0; i < r->nchannels; i++) {
        const ind_cell_t *c = &r->channels[i];
        json_array_append_new(channels, json_pack("{s:s,s:o,s:b}", "channel", c->key, "n",
                                                  c->n >= 0 && !c->suppressed ? json_integer(c->n) : json_null(),
                                                  "suppressed", c->suppressed));
    }
    return json_pack("{s:o,s:s,s:f,s:i,s:s,s:s,s:{s:o,s:o,s:o,s:o,s:o,s:o},s:o,s:o,s:o}",
                     "indicators", list, "sample", "non-probability", "confidence", 0.95,
                     "threshold", r->threshold, "timezone", "America/Santo_Domingo",
                     "generated_at", ts,
                     "filters", "from", opt_day(f->from_day, IND_DAY_MIN),
                     "to", opt_day(f->to_day, IND_DAY_MAX), "form", opt_string(f->form),
                     "point", opt_string(f->point), "service", opt_string(f->service),
                     "channel", opt_string(f->channel),
                     "breakdowns", dims, "responses", resp, "channels", channels);
}

/* ---- the table behind CSV and XLSX ---------------------------------------------- */

typedef enum { T_TEXT, T_NUM, T_EMPTY } tcell_kind_t;

typedef struct tcell {
    tcell_kind_t kind;
    const char  *text;
    double       num;
    int          decimals;
} tcell_t;

enum {
    COL_ACTION, COL_ID, COL_LABEL, COL_KIND, COL_FORM, COL_DIM, COL_KEY, COL_GROUP, COL_VALUE,
    COL_N, COL_LO, COL_HI, COL_SUPPRESSED, COL_TARGET, COL_FROM, COL_TO, COL_POINT, COL_SERVICE,
    COL_SAMPLE, NCOLS
};
static const char *const headers[NCOLS] = {
    "accion", "indicador_id", "indicador", "tipo", "formulario", "desagregacion", "grupo_clave",
    "grupo", "valor", "n", "ic95_inferior", "ic95_superior", "suprimido", "meta", "desde",
    "hasta", "punto", "servicio", "muestra",
};

typedef void (*row_fn)(void *ctx, const tcell_t *cells);

static tcell_t text(const char *s)
{
    return (tcell_t){ T_TEXT, s ? s : "", 0, 0 };
}

static tcell_t number(double v, int decimals)
{
    return isnan(v) ? (tcell_t){ T_EMPTY, "", 0, 0 } : (tcell_t){ T_NUM, "", v, decimals };
}

static const str_id_t kind_titles[IND_KIND_COUNT] = {
    [IND_INDEX] = S_IND_KIND_INDEX, [IND_TOP2] = S_IND_KIND_TOP2, [IND_SHARE] = S_IND_KIND_SHARE,
    [IND_MEAN] = S_IND_KIND_MEAN,   [IND_MEDIAN] = S_IND_KIND_MEDIAN, [IND_COUNT] = S_IND_KIND_COUNT,
    [IND_SUM] = S_IND_KIND_SUM, [IND_SUMSHARE] = S_IND_KIND_SUMSHARE, [IND_ENTRIES] = S_IND_KIND_ENTRIES,
};

static void table_rows(const ind_env_t *env, const ind_report_t *r, lang_t lang, row_fn fn, void *ctx)
{
    tcell_t row[NCOLS];
    for (int c = 0; c < NCOLS; c++) row[c] = text(headers[c]);
    fn(ctx, row);
    char from[11] = "", to[11] = "";
    if (r->filter.from_day != IND_DAY_MIN) date_text(from, r->filter.from_day);
    if (r->filter.to_day != IND_DAY_MAX) date_text(to, r->filter.to_day);
    buf_t scratch;
    buf_init(&scratch);
    for (size_t i = 0; i < r->n; i++) {
        const ind_result_t *res = &r->r[i];
        const ind_def_t *d = res->def;
        int dec = d->kind == IND_COUNT || d->kind == IND_SUM || d->kind == IND_ENTRIES ? 0 : 2;
        row[COL_ACTION] = number(d->action, 0);
        row[COL_ID] = text(d->id);
        row[COL_LABEL] = text(d->label[lang]);
        row[COL_KIND] = text(i18n(lang, kind_titles[d->kind]));
        row[COL_FORM] = text(d->form);
        row[COL_TARGET] = number(d->has_target ? d->target : NAN, dec);
        row[COL_FROM] = text(from);
        row[COL_TO] = text(to);
        row[COL_POINT] = text(r->filter.point);
        row[COL_SERVICE] = text(r->filter.service);
        row[COL_SAMPLE] = text(i18n(lang, S_IND_SAMPLE_KIND));
        /* The total first (dim -1), then each group of each breakdown. */
        for (int dim = -1; dim < IND_DIM_COUNT; dim++) {
            if (dim >= 0 && !(r->dims & 1u << dim)) continue;
            size_t n = dim < 0 ? 1 : res->nby[dim];
            for (size_t k = 0; k < n; k++) {
                const ind_cell_t *c = dim < 0 ? &res->total : &res->by[dim][k];
                row[COL_DIM] = text(dim < 0 ? "total" : ind_dim_name((ind_dim_t)dim));
                row[COL_KEY] = text(c->key);
                row[COL_GROUP] = text(dim < 0 ? i18n(lang, S_IND_TOTAL_GROUP)
                                              : ind_group_label(env, d, (ind_dim_t)dim, c->key, lang, &scratch));
                row[COL_VALUE] = number(c->value, dec);
                row[COL_N] = number(c->n >= 0 ? (double)c->n : NAN, 0);
                row[COL_LO] = number(c->lo, dec);
                row[COL_HI] = number(c->hi, dec);
                row[COL_SUPPRESSED] = text(i18n(lang, c->suppressed ? S_IND_YES : S_IND_NO));
                fn(ctx, row);
            }
        }
    }
    buf_free(&scratch);
}

/* ---- CSV ------------------------------------------------------------------------- */

static void csv_row(void *arg, const tcell_t *cells)
{
    csvw_t *w = arg;
    for (int i = 0; i < NCOLS; i++) {
        if (cells[i].kind == T_TEXT) csvw_text(w, cells[i].text);
        else if (cells[i].kind == T_NUM) csvw_num(w, cells[i].num, cells[i].decimals);
        else csvw_empty(w);
    }
    csvw_end_row(w);
}

void ind_csv(buf_t *out, const ind_env_t *env, const ind_report_t *r, const ind_csv_opts_t *o)
{
    csvw_t w;
    csvw_init(&w, out, o->excel_es ? ';' : ',', o->excel_es ? ',' : '.');
    csvw_bom(&w);
    table_rows(env, r, o->lang, csv_row, &w);
}

/* ---- XLSX ------------------------------------------------------------------------ */

typedef struct xlsx_ctx {
    lxw_worksheet *ws;
    lxw_format    *head, *num[3];
    lxw_row_t      row;
} xlsx_ctx_t;

static void xlsx_row(void *arg, const tcell_t *cells)
{
    xlsx_ctx_t *x = arg;
    for (int i = 0; i < NCOLS; i++) {
        const tcell_t *c = &cells[i];
        if (c->kind == T_TEXT && *c->text)
            worksheet_write_string(x->ws, x->row, (lxw_col_t)i, c->text, x->row ? NULL : x->head);
        else if (c->kind == T_NUM)
            worksheet_write_number(x->ws, x->row, (lxw_col_t)i, c->num, x->num[c->decimals > 2 ? 2 : c->decimals]);
    }
    x->row++;
}

/* The "Notas" sheet: what a reader of the numbers must know. */
static void xlsx_notes(lxw_workbook *wb, lxw_format *bold, const ind_report_t *r, lang_t lang)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Notas");
    worksheet_set_column(ws, 0, 0, 34, bold);
    worksheet_set_column(ws, 1, 1, 100, NULL);
    char from[11] = "", to[11] = "", ts[32], thr[16];
    if (r->filter.from_day != IND_DAY_MIN) date_text(from, r->filter.from_day);
    if (r->filter.to_day != IND_DAY_MAX) date_text(to, r->filter.to_day);
    iso_time(ts, r->generated_at);
    snprintf(thr, sizeof thr, "%d", r->threshold);
    const char *all = i18n(lang, S_IND_ALL);
    buf_t privacy;   /* the note reads on into "(n < 10)." on the dashboard */
    buf_init(&privacy);
    buf_printf(&privacy, "%s (n < %d).", i18n(lang, S_IND_PRIVACY_NOTE), r->threshold);
    const struct { str_id_t key; const char *val; } rows[] = {
        { S_IND_SAMPLE_TITLE, i18n(lang, S_IND_SAMPLE_NOTE) },
        { S_IND_THRESHOLD, thr },
        { S_IND_PRIVACY_TITLE, privacy.data },
        { S_IND_FROM, *from ? from : all },
        { S_IND_TO, *to ? to : all },
        { S_IND_FORM, r->filter.form ? r->filter.form : all },
        { S_IND_POINT, r->filter.point ? r->filter.point : all },
        { S_IND_SERVICE, r->filter.service ? r->filter.service : all },
        { S_IND_DIM_CANAL, r->filter.channel ? r->filter.channel : all },
        { S_IND_TIMEZONE, "America/Santo_Domingo (UTC-4)" },
        { S_IND_GENERATED, ts },
        { S_IND_METHOD_TITLE, i18n(lang, S_IND_METHOD_BODY) },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        worksheet_write_string(ws, (lxw_row_t)i, 0, i18n(lang, rows[i].key), NULL);
        worksheet_write_string(ws, (lxw_row_t)i, 1, rows[i].val, NULL);
    }
    buf_free(&privacy);
}

int ind_xlsx(buf_t *out, const ind_env_t *env, const ind_report_t *r, lang_t lang)
{
    xlsx_mem_t xm;
    lxw_workbook *wb = xlsx_mem_open(&xm);
    if (wb) {
        lxw_worksheet *ws = workbook_add_worksheet(wb, "Indicadores");
        xlsx_ctx_t x = { .ws = ws };
        x.head = workbook_add_format(wb);
        format_set_bold(x.head);
        format_set_bg_color(x.head, 0xE3EEF8);
        static const char *const fmts[3] = { "0", "0.0", "0.00" };
        for (int i = 0; i < 3; i++) {
            x.num[i] = workbook_add_format(wb);
            format_set_num_format(x.num[i], fmts[i]);
        }
        worksheet_set_column(ws, COL_LABEL, COL_LABEL, 44, NULL);
        worksheet_set_column(ws, COL_GROUP, COL_GROUP, 30, NULL);
        table_rows(env, r, lang, xlsx_row, &x);
        worksheet_freeze_panes(ws, 1, 0);
        worksheet_autofilter(ws, 0, 0, x.row ? x.row - 1 : 0, NCOLS - 1);
        xlsx_notes(wb, x.head, r, lang);
    }
    return xlsx_mem_close(&xm, wb != NULL, out);
}
