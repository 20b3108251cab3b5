/*
 * table_out.c: see table_out.h.
 */
#include "view/table_out.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "base/buf.h"
#include "base/csvwrite.h"
#include "view/xlsx_mem.h"

/* CSV bytes are gathered in buf and written to out in pieces this big:
 * memory stays at one piece whatever the number of rows. */
#define TABLE_CHUNK 65536

struct table {
    table_fmt_t    fmt;
    FILE          *out;
    buf_t          buf;     /* CSV: the bytes not yet written to out */
    csvw_t         w;       /* CSV */
    xlsx_mem_t     x;       /* XLSX */
    lxw_workbook  *wb;      /* XLSX: for table_sheet */
    lxw_worksheet *ws;
    lxw_format    *date, *date_hour;   /* number formats of the date kinds */
    lxw_row_t      row;
    lxw_col_t      col;
    bool           failed;
};

table_t *table_new(table_fmt_t fmt, const char *sheet, FILE *out)
{
    table_t *t = xcalloc(1, sizeof *t);
    t->fmt = fmt == TABLE_CSV_SEMI ? TABLE_CSV : fmt;
    t->out = out;
    buf_init(&t->buf);
    if (t->fmt == TABLE_CSV) {
        csvw_init(&t->w, &t->buf, fmt == TABLE_CSV_SEMI ? ';' : ',', fmt == TABLE_CSV_SEMI ? ',' : '.');
        csvw_bom(&t->w);
        return t;
    }
    /* Constant memory: each row goes to libxlsxwriter's temporary file as
     * it is ended (rows strictly in order, as here), and text cells are
     * written inline rather than into a shared-string table held in
     * memory until the end (1.5 GB for a million responses). */
    lxw_workbook *wb = xlsx_mem_open_streaming(&t->x);
    t->wb = wb;
    t->ws = wb ? workbook_add_worksheet(wb, sheet) : NULL;
    if (t->ws) {
        worksheet_freeze_panes(t->ws, 1, 0);
        t->date = workbook_add_format(wb);
        t->date_hour = workbook_add_format(wb);
        format_set_num_format(t->date, "yyyy-mm-dd");
        format_set_num_format(t->date_hour, "yyyy-mm-dd hh:mm");
    } else {
        t->failed = true;
    }
    return t;
}

table_t *table_new_part(table_fmt_t fmt, FILE *out)
{
    assert(fmt == TABLE_CSV || fmt == TABLE_CSV_SEMI);
    table_t *t = xcalloc(1, sizeof *t);
    t->fmt = TABLE_CSV;
    t->out = out;
    buf_init(&t->buf);
    csvw_init(&t->w, &t->buf, fmt == TABLE_CSV_SEMI ? ';' : ',', fmt == TABLE_CSV_SEMI ? ',' : '.');
    return t;
}

/* "YYYY-MM-DD" (hour: then " HH:MM", or "THH:MM" as a dateTime answer is kept) into *d; false when s is not one. */
static bool parse_date(const char *s, bool hour, lxw_datetime *d)
{
    int y, mo, da, h = 0, mi = 0, n = 0;
    bool ok = hour ? sscanf(s, "%4d-%2d-%2d%*1[ T]%2d:%2d%n", &y, &mo, &da, &h, &mi, &n) == 5
                   : sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &da, &n) == 3;
    if (!ok || s[n] || strlen(s) != (hour ? 16u : 10u)) return false;
    if (y < 1900 || mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59) return false;
    *d = (lxw_datetime){ .year = y, .month = mo, .day = da, .hour = h, .min = mi, .sec = 0 };
    return true;
}

void table_cell_as(table_t *t, const char *s, export_kind_t kind)
{
    double v;
    if (t->fmt == TABLE_CSV) {
        if (kind == EXPORT_NUMBER && t->w.point != '.' && s && strchr(s, '.') && csvw_is_number(s, &v)) {
            char *c = xstrdup(s);
            *strchr(c, '.') = t->w.point;
            csvw_text(&t->w, c);
            free(c);
        } else {
            csvw_text(&t->w, s);
        }
        return;
    }
    lxw_col_t col = t->col++;
    if (!t->ws || !s || !*s) return;
    lxw_datetime d;
    lxw_error e;
    if (kind == EXPORT_NUMBER && csvw_is_number(s, &v))
        e = worksheet_write_number(t->ws, t->row, col, v, NULL);
    else if ((kind == EXPORT_DATE || kind == EXPORT_DATE_HOUR) && parse_date(s, kind == EXPORT_DATE_HOUR, &d))
        e = worksheet_write_datetime(t->ws, t->row, col, &d, kind == EXPORT_DATE ? t->date : t->date_hour);
    else
        e = worksheet_write_string(t->ws, t->row, col, s, NULL);
    if (e != LXW_NO_ERROR) t->failed = true;
}

void table_cell(table_t *t, const char *s)
{
    table_cell_as(t, s, EXPORT_TEXT);
}

/* Write the gathered CSV bytes to out. */
static void csv_drain(table_t *t)
{
    if (t->buf.len && fwrite(t->buf.data, 1, t->buf.len, t->out) != t->buf.len) t->failed = true;
    buf_reset(&t->buf);
}

void table_sheet(table_t *t, const char *name)
{
    assert(t->fmt == TABLE_XLSX);
    if (t->failed || !t->wb) return;
    /* a sheet's name: at most 31 characters, none of []:*?/\\ */
    char n[32];
    size_t k = 0;
    for (const char *p = name; *p && k < 31; p++) n[k++] = strchr("[]:*?/\\", *p) ? '_' : *p;
    n[k] = '\0';
    t->ws = workbook_add_worksheet(t->wb, n);
    if (!t->ws) {
        t->failed = true;
        return;
    }
    worksheet_freeze_panes(t->ws, 1, 0);
    t->row = 0;
    t->col = 0;
}

void table_end_row(table_t *t)
{
    if (t->fmt == TABLE_CSV) {
        csvw_end_row(&t->w);
        if (t->buf.len >= TABLE_CHUNK) csv_drain(t);
        return;
    }
    t->row++;
    t->col = 0;
}

int table_finish(table_t *t)
{
    int rc;
    if (t->fmt == TABLE_CSV) {
        csv_drain(t);
        rc = t->failed ? -1 : 0;
    } else {
        rc = xlsx_mem_close_to(&t->x, !t->failed, t->out);
    }
    if (rc == 0 && (fflush(t->out) || ferror(t->out))) rc = -1;
    if (rc && t->fmt == TABLE_CSV) perror("buzon: table: write");
    buf_free(&t->buf);
    free(t);
    return rc;
}
