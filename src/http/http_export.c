/*
 * http_export.c: a form's raw responses as CSV or XLSX, for atencion and
 * admin only: raw answers include free-text comments that may say more
 * than they should, and the contact details citizens gave with their
 * consent (until they are erased, model/cases.h). A staff register's
 * (issue 18) are for admin and planificacion instead (http_form_readers).
 *
 * The columns and rows come from the export service (service/export.h),
 * the file from view/table_out.h, which takes the rows as the store reads
 * them and writes them to a temporary file sent from there
 * (http_download.c): memory stays constant whatever the number of
 * responses. Self-contained (its own files, no shared state), so it can
 * run on any thread.
 */
#include "http/http_int.h"

#include <stdio.h>
#include <string.h>

#include "service/export.h"
#include "view/table_out.h"

/* Where the store's rows go: the table and the number of question
 * columns each row has. */
typedef struct rows_out {
    table_t                *t;
    const export_columns_t *k;
    const char             *form_id;    /* issue 16: for a photo's address */
    const char             *base_url;
} rows_out_t;

/* One response, each cell typed by its column (service/export.h). */
static void table_row(void *arg, const export_row_t *row)
{
    rows_out_t *o = arg;
    for (int i = 0; i < EXPORT_FIXED_COLS; i++) table_cell_as(o->t, row->fixed[i], export_fixed_kind(i));
    for (size_t i = 0; i < o->k->n; i++) {
        if (o->k->kind[i] == EXPORT_MEDIA && row->vals[i]) {
            /* A photo: its address for staff (http_media.c), as ODK
             * exports name the attachment. */
            buf_t u;
            buf_init(&u);
            buf_printf(&u, "%s/api/v1/forms/%s/media/%s", o->base_url, o->form_id, row->vals[i]);
            table_cell_as(o->t, u.data, EXPORT_TEXT);
            buf_free(&u);
            continue;
        }
        table_cell_as(o->t, row->vals[i], o->k->kind[i]);
    }
    table_end_row(o->t);
}

/* Repeats (issue 16, service/export.h): a repeat's rows. */
typedef struct rep_out {
    table_t *t;
    const export_repeat_t *r;
} rep_out_t;

static void rep_row(void *arg, const char *const *cells)
{
    rep_out_t *o = arg;
    table_cell_as(o->t, cells[0], EXPORT_NUMBER);
    table_cell(o->t, cells[1]);
    table_cell_as(o->t, cells[2], EXPORT_NUMBER);
    for (size_t i = 0; i < o->r->n; i++) table_cell_as(o->t, cells[EXPORT_REPEAT_FIXED + i], o->r->kind[i]);
    table_end_row(o->t);
}

/* The header and rows of repeat rp into t. */
static store_rc_t repeat_table(store_t *s, const form_t *f, const export_repeat_t *rp, table_t *t)
{
    for (int i = 0; i < EXPORT_REPEAT_FIXED; i++) table_cell(t, export_repeat_fixed_cols[i]);
    for (size_t i = 0; i < rp->n; i++) table_cell(t, rp->cols[i]);
    table_end_row(t);
    rep_out_t o = { t, rp };
    return export_repeat_rows(s, f->id, rp, rep_row, &o);
}

/* The workbook's sheet per repeat, after the responses'. */
static store_rc_t repeat_sheets(store_t *s, const form_t *f, table_t *t)
{
    export_repeat_t *rp;
    size_t n = export_repeats(f, &rp);
    store_rc_t rc = STORE_OK;
    for (size_t i = 0; i < n && rc == STORE_OK; i++) {
        table_sheet(t, rp[i].sheet);
        rc = repeat_table(s, f, &rp[i], t);
    }
    export_repeats_free(rp, n);
    return rc;
}

/* ?repeat=<name>: the CSV of one repeat of the form (issue 16). */
static enum MHD_Result export_repeat_csv(struct MHD_Connection *c, req_t *r, app_t *app, const form_t *f,
                                         const char *name, table_fmt_t fmt)
{
    export_repeat_t *rp;
    size_t n = export_repeats(f, &rp), i = 0;
    while (i < n && strcmp(rp[i].sheet, name)) i++;
    if (i == n) {
        export_repeats_free(rp, n);
        return http_send_json(c, r, MHD_HTTP_NOT_FOUND, json_pack("{s:s,s:s}", "error", "no such repeat in the form",
                                                                  "parameter", "repeat"));
    }
    FILE *out = http_download_new();
    store_rc_t rc = STORE_ERR;
    if (out) {
        table_t *t = table_new(fmt, rp[i].sheet, out);
        rc = repeat_table(app->store, f, &rp[i], t);
        if (table_finish(t) < 0) rc = STORE_ERR;
    }
    char fname[160];
    snprintf(fname, sizeof fname, "%s-%s%s.csv", f->id, rp[i].sheet, fmt == TABLE_CSV_SEMI ? "-excel-es" : "");
    export_repeats_free(rp, n);
    if (rc != STORE_OK) {
        fprintf(stderr, "buzon: export: cannot write the repeat %s of %s\n", name, f->id);
        if (out) fclose(out);
        return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    }
    return http_send_download(c, r, app, out, "text/csv; charset=utf-8", fname);
}

static enum MHD_Result export(struct MHD_Connection *c, req_t *r, app_t *app, table_fmt_t fmt)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, http_form_readers(r, app, r->route.arg), &s, &ret)) return ret;   /* issue 18 */
    const form_t *f = catalog_form(&r->forms->cat, r->route.arg, NULL);
    if (!f) return http_send_json(c, r, MHD_HTTP_NOT_FOUND, json_pack("{s:s}", "error", "no such form"));
    const char *repeat = http_arg(c, "repeat");
    if (repeat && *repeat && fmt != TABLE_XLSX) return export_repeat_csv(c, r, app, f, repeat, fmt);
    export_columns_t k;
    /* Into an unlinked temporary file, sent from there (http_download.c):
     * memory stays constant whatever the number of responses. */
    FILE *out = http_download_new(), *out2 = NULL;
    store_rc_t rc = out ? export_columns(app->store, f, &k) : STORE_ERR;
    export_plan_t plan = { 0 };
    /* A large CSV is read in two parts at once (service/export.h), the
     * second written into a file of its own and put after the first: the
     * same bytes in about half the time on two cores. The XLSX has one
     * writer, which takes the rows in order. */
    if (rc == STORE_OK && fmt != TABLE_XLSX) rc = export_plan(app->store, f->id, &plan);
    if (rc == STORE_OK && plan.split && !(out2 = http_download_new())) rc = STORE_ERR;
    if (rc == STORE_OK) {
        rows_out_t o = { table_new(fmt, "respuestas", out), &k, f->id, app->base_url };
        rows_out_t o2 = { out2 ? table_new_part(fmt, out2) : NULL, &k, f->id, app->base_url };
        for (int i = 0; i < EXPORT_FIXED_COLS; i++) table_cell(o.t, export_fixed_col(i));
        for (size_t i = 0; i < k.n; i++) table_cell(o.t, k.v[i]);
        table_end_row(o.t);
        if (fmt == TABLE_XLSX) rc = export_rows(app->store, f->id, &k, table_row, &o);
        else rc = export_rows_parts(app->store, f->id, &k, &plan, table_row, &o, &o2);
        if (rc == STORE_OK && fmt == TABLE_XLSX) rc = repeat_sheets(app->store, f, o.t);
        if (table_finish(o.t) < 0) rc = STORE_ERR;
        if (o2.t && table_finish(o2.t) < 0) rc = STORE_ERR;
        if (rc == STORE_OK && out2 && http_download_append(out, out2) < 0) rc = STORE_ERR;
    }
    if (out2) fclose(out2);
    if (out) export_columns_free(&k);
    if (rc != STORE_OK) {
        fprintf(stderr, "buzon: export: cannot write the responses of %s\n", f->id);
        if (out) fclose(out);
        return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    }
    char name[128];
    snprintf(name, sizeof name, "%s-respuestas%s.%s", f->id, fmt == TABLE_CSV_SEMI ? "-excel-es" : "",
             fmt == TABLE_XLSX ? "xlsx" : "csv");
    return http_send_download(c, r, app, out,
                              fmt == TABLE_XLSX
                                  ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                                  : "text/csv; charset=utf-8",
                              name);
}

/* ?sep=; (or "semicolon") is the CSV for decimal-comma Excel, as the
 * indicators' (http_indicators.c); the plain CSV is the one Dominican
 * Excel reads. */
enum MHD_Result h_responses_csv(struct MHD_Connection *c, req_t *r, app_t *app)
{
    const char *sep = http_arg(c, "sep");
    bool semi = sep && (!strcmp(sep, ";") || !strcmp(sep, "semicolon"));
    if (sep && *sep && !semi && strcmp(sep, ","))
        return http_send_json(c, r, MHD_HTTP_BAD_REQUEST,
                              json_pack("{s:s,s:s}", "error", "invalid value for 'sep': expected ',' or ';'",
                                        "parameter", "sep"));
    return export(c, r, app, semi ? TABLE_CSV_SEMI : TABLE_CSV);
}

enum MHD_Result h_responses_xlsx(struct MHD_Connection *c, req_t *r, app_t *app)
{
    return export(c, r, app, TABLE_XLSX);
}
