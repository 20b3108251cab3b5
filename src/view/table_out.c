/*
 * table_out.c: see table_out.h.
 */
#include "view/table_out.h"

#include <stdbool.h>
#include <stdlib.h>
#include <xlsxwriter.h>

#include "base/csvwrite.h"
#include "view/xlsx_mem.h"

struct table {
    table_fmt_t    fmt;
    buf_t         *out;
    csvw_t         w;       /* CSV */
    xlsx_mem_t     x;       /* XLSX */
    lxw_worksheet *ws;
    lxw_row_t      row;
    lxw_col_t      col;
    bool           failed;
};

table_t *table_new(table_fmt_t fmt, const char *sheet, buf_t *out)
{
    table_t *t = xcalloc(1, sizeof *t);
    t->fmt = fmt;
    t->out = out;
    if (fmt == TABLE_CSV) {
        csvw_init(&t->w, out, ',', '.');
        csvw_bom(&t->w);
        return t;
    }
    lxw_workbook *wb = xlsx_mem_open(&t->x);
    t->ws = wb ? workbook_add_worksheet(wb, sheet) : NULL;
    if (t->ws) worksheet_freeze_panes(t->ws, 1, 0);
    else t->failed = true;
    return t;
}

void table_cell(table_t *t, const char *s)
{
    if (t->fmt == TABLE_CSV) {
        csvw_text(&t->w, s);
        return;
    }
    lxw_col_t col = t->col++;
    double v;
    if (!t->ws || !s || !*s) return;
    /* The header row is names, never numbers. */
    lxw_error e = t->row > 0 && csvw_is_number(s, &v)
                      ? worksheet_write_number(t->ws, t->row, col, v, NULL)
                      : worksheet_write_string(t->ws, t->row, col, s, NULL);
    if (e != LXW_NO_ERROR) t->failed = true;
}

void table_end_row(table_t *t)
{
    if (t->fmt == TABLE_CSV) {
        csvw_end_row(&t->w);
        return;
    }
    t->row++;
    t->col = 0;
}

int table_finish(table_t *t)
{
    int rc = t->fmt == TABLE_CSV ? 0 : xlsx_mem_close(&t->x, !t->failed, t->out);
    free(t);
    return rc;
}
