/*
 * http_export.c: a form's raw responses as CSV or XLSX (service/export.h), for
 * atencion and admin only: raw answers include free-text comments that
 * may say more than they should, and the contact details citizens gave
 * with their consent (until they are erased, cases.h).
 *
 * Columns: the fixed ones, then the current form's questions in form
 * order, then questions only older versions had, by name.
 *
 * CSV goes through base/csvwrite.h: RFC 4180 with a UTF-8 byte-order mark,
 * and its formula guard, so a comment cannot run code on a planner's PC. XLSX cells are typed: numbers as
 * numbers, everything else as text (never formulas). libxlsxwriter 1.1.4
 * only writes files, so the workbook goes through a temporary file.
 */
#include "http/http_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "base/csvwrite.h"
#include "service/export.h"

/* The question columns of form f: its answerable questions, then names
 * only the data has. */
typedef struct columns {
    const char **v;
    size_t n;
    char **extra;
    size_t nextra;
} columns_t;

static bool has_col(const columns_t *k, const char *name)
{
    for (size_t i = 0; i < k->n; i++)
        if (!strcmp(k->v[i], name)) return true;
    return false;
}

static void add_data_col(void *arg, const char *q)
{
    columns_t *k = arg;
    if (has_col(k, q)) return;
    k->extra = xrealloc(k->extra, (k->nextra + 1) * sizeof *k->extra);
    k->extra[k->nextra++] = xstrdup(q);
    k->v = xrealloc(k->v, (k->n + 1) * sizeof *k->v);
    k->v[k->n++] = k->extra[k->nextra - 1];
}

static int columns_of(const app_t *app, const form_t *f, columns_t *k)
{
    memset(k, 0, sizeof *k);
    k->v = xcalloc(f->nq + 1, sizeof *k->v);
    for (size_t i = 0; i < f->nq; i++) {
        qtype_t t = f->q[i].type;
        if (t != Q_NOTE && t != Q_BEGIN_GROUP && t != Q_END_GROUP)
            k->v[k->n++] = f->q[i].name;
    }
    return export_questions(app->store, f->id, add_data_col, k);
}

static void columns_free(columns_t *k)
{
    for (size_t i = 0; i < k->nextra; i++) free(k->extra[i]);
    free(k->extra);
    free(k->v);
}

/* ---- CSV (base/csvwrite.h) ------------------------------------------------------ */

typedef struct csv_out {
    csvw_t w;
    const columns_t *k;
} csv_out_t;

static void csv_row(void *arg, const export_row_t *row)
{
    csv_out_t *w = arg;
    for (int i = 0; i < EXPORT_FIXED_COLS; i++) csvw_text(&w->w, row->fixed[i]);
    for (size_t i = 0; i < w->k->n; i++) csvw_text(&w->w, row->vals[i]);
    csvw_end_row(&w->w);
}

/* ---- XLSX ------------------------------------------------------------------------ */

typedef struct xlsx {
    lxw_worksheet *ws;
    const columns_t *k;
    lxw_row_t row;
    bool failed;
} xlsx_t;

static void xlsx_cell(xlsx_t *x, lxw_col_t col, const char *s)
{
    double v;
    if (!s || !*s) return;
    lxw_error e = csvw_is_number(s, &v) ? worksheet_write_number(x->ws, x->row, col, v, NULL)
                                 : worksheet_write_string(x->ws, x->row, col, s, NULL);
    if (e != LXW_NO_ERROR) x->failed = true;
}

static void xlsx_row(void *arg, const export_row_t *row)
{
    xlsx_t *x = arg;
    x->row++;
    for (int i = 0; i < EXPORT_FIXED_COLS; i++) xlsx_cell(x, (lxw_col_t)i, row->fixed[i]);
    for (size_t i = 0; i < x->k->n; i++) xlsx_cell(x, (lxw_col_t)(EXPORT_FIXED_COLS + i), row->vals[i]);
}

/* Build the workbook into out. 0, or -1 after logging. */
static int xlsx_build(const app_t *app, const form_t *f, const columns_t *k, buf_t *out)
{
    char path[] = "/tmp/buzon-export-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        fprintf(stderr, "buzon: export: temporary file: %s\n", strerror(errno));
        return -1;
    }
    close(fd);
    int rc = -1;
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "respuestas") : NULL;
    xlsx_t x = { .ws = ws, .k = k };
    if (ws) {
        for (int i = 0; i < EXPORT_FIXED_COLS; i++)
            worksheet_write_string(ws, 0, (lxw_col_t)i, export_fixed_col(i), NULL);
        for (size_t i = 0; i < k->n; i++)
            worksheet_write_string(ws, 0, (lxw_col_t)(EXPORT_FIXED_COLS + i), k->v[i], NULL);
        worksheet_freeze_panes(ws, 1, 0);
        if (export_rows(app->store, f->id, k->v, k->n, xlsx_row, &x) != STORE_OK) x.failed = true;
    }
    if (wb && workbook_close(wb) == LXW_NO_ERROR && ws && !x.failed) {
        FILE *fp = fopen(path, "rb");
        char chunk[8192];
        size_t n;
        while (fp && (n = fread(chunk, 1, sizeof chunk, fp)) > 0) buf_append(out, chunk, n);
        if (fp && !ferror(fp)) rc = 0;
        if (fp) fclose(fp);
    }
    if (rc < 0) fprintf(stderr, "buzon: export: cannot write the XLSX workbook of %s\n", f->id);
    unlink(path);
    return rc;
}

/* ---- handlers ------------------------------------------------------------------------- */

static enum MHD_Result export(struct MHD_Connection *c, req_t *r, app_t *app, bool xlsx)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_CASES, &s, &ret)) return ret;
    const form_t *f = catalog_form(&app->cat, r->route.arg, NULL);
    if (!f) return http_send_json(c, r, MHD_HTTP_NOT_FOUND, json_pack("{s:s}", "error", "no such form"));
    columns_t k;
    buf_t b;
    buf_init(&b);
    int rc = columns_of(app, f, &k);
    if (rc == STORE_OK && xlsx) {
        rc = xlsx_build(app, f, &k, &b) == 0 ? STORE_OK : STORE_ERR;
    } else if (rc == STORE_OK) {
        csv_out_t w = { .k = &k };
        csvw_init(&w.w, &b, ',', '.');
        csvw_bom(&w.w);
        for (int i = 0; i < EXPORT_FIXED_COLS; i++) csvw_text(&w.w, export_fixed_col(i));
        for (size_t i = 0; i < k.n; i++) csvw_text(&w.w, k.v[i]);
        csvw_end_row(&w.w);
        rc = export_rows(app->store, f->id, k.v, k.n, csv_row, &w);
    }
    columns_free(&k);
    if (rc != STORE_OK) {
        buf_free(&b);
        return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    }
    char name[128];
    snprintf(name, sizeof name, "%s-respuestas.%s", f->id, xlsx ? "xlsx" : "csv");
    return http_send_file(c, r, MHD_HTTP_OK, &b,
                          xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                               : "text/csv; charset=utf-8", "no-store", name);
}

enum MHD_Result h_responses_csv(struct MHD_Connection *c, req_t *r, app_t *app)
{
    return export(c, r, app, false);
}

enum MHD_Result h_responses_xlsx(struct MHD_Connection *c, req_t *r, app_t *app)
{
    return export(c, r, app, true);
}
