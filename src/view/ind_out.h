/*
 * ind_out.h: a computed indicators report (model/indicators.h) as planners
 * take it away: the API's JSON, a CSV table and an XLSX workbook
 * (indicators_out.c), and the number format people read. Writers take
 * model values only (the report and its model context ind_env_t: the
 * definitions, forms, points and threshold) and read no store. View layer:
 * sees base/ and model/.
 */
#ifndef BUZON_IND_OUT_H
#define BUZON_IND_OUT_H

#include <jansson.h>
#include <stdbool.h>

#include "base/buf.h"
#include "base/i18n.h"
#include "model/indicators.h"

/* The report as the API's JSON document (caller owns the reference). */
json_t *ind_json(const ind_env_t *env, const ind_report_t *r);

/* CSV writer options. */
typedef struct ind_csv_opts {
    lang_t lang;        /* labels; headers are always Spanish */
    bool   excel_es;    /* ';' separator and decimal comma (Spanish Excel) */
} ind_csv_opts_t;

/* The report as a CSV table (UTF-8 with a BOM): one row per indicator and
 * per group of each breakdown. Appends to out. */
void ind_csv(buf_t *out, const ind_env_t *env, const ind_report_t *r, const ind_csv_opts_t *o);

/* The same table as an XLSX workbook (sheet "Indicadores", plus "Notas":
 * filters, threshold, sample, method). Appends the file's bytes to out.
 * Returns 0, or -1 with a message on stderr. */
int ind_xlsx(buf_t *out, const ind_env_t *env, const ind_report_t *r, lang_t lang);

/* Format a figure for people with that many decimals and the language's
 * separators (es-DO "1,234.5"; ht "1 234,5"). NAN appends nothing. */
void ind_fmt_num(buf_t *out, double v, int decimals, lang_t lang);

#endif
