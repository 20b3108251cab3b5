/*
 * table_out.h: a plain table (a header row, then rows of text cells) as a
 * CSV file or an XLSX workbook, written cell by cell as the rows arrive,
 * for the responses downloads.
 *
 * CSV: RFC 4180 with a UTF-8 byte-order mark and base/csvwrite.h's formula
 * guard, so a comment cannot run code on a planner's PC. XLSX: one sheet,
 * the header row frozen, each cell typed by what its column holds
 * (model/export_row.h's export_kind_t: text stays text, so "08095550101",
 * "00123" and "2024.1" keep their digits; numbers as numbers; dates as
 * dates shown YYYY-MM-DD), never formulas, empty cells left empty.
 */
#ifndef BUZON_TABLE_OUT_H
#define BUZON_TABLE_OUT_H

#include <stdio.h>

#include "model/export_row.h"

/* TABLE_CSV: ',' and a decimal point, as Excel in the Dominican Republic
 * (and in every decimal-point locale) reads it; TABLE_CSV_SEMI: ';' and a
 * decimal comma in the number columns, for Excel in decimal-comma locales
 * (Spain, much of Europe and South America). */
typedef enum table_fmt { TABLE_CSV, TABLE_XLSX, TABLE_CSV_SEMI } table_fmt_t;

typedef struct table table_t;

/* A new table written to out (CSV in pieces of 64 KB as the rows come;
 * XLSX copied in when finished, built meanwhile in libxlsxwriter's
 * constant-memory mode in a temporary file): memory stays constant
 * whatever the number of rows. sheet names the XLSX sheet. Never NULL (a
 * failure to start the workbook is reported by table_finish). out stays
 * the caller's and must outlive t. */
table_t *table_new(table_fmt_t fmt, const char *sheet, FILE *out);
/* A CSV table (fmt TABLE_CSV or TABLE_CSV_SEMI) that continues another
 * one: its bytes, without the byte-order mark, are to be put after the
 * other's file (a part of a download written on another thread). */
table_t *table_new_part(table_fmt_t fmt, FILE *out);
/* The next cell of the current row (NULL: empty), as text. */
void table_cell(table_t *t, const char *text);
/* The same, typed in a workbook as kind says (a text that is not what
 * kind expects stays text); in a CSV as table_cell, but a plain number in
 * an EXPORT_NUMBER column gets the CSV's decimal mark. */
void table_cell_as(table_t *t, const char *text, export_kind_t kind);
/* End the current row. */
void table_end_row(table_t *t);
/* XLSX only (issue 16: a sheet per repeat): the rows from here on go to
 * a new sheet called name (cut to Excel's 31 characters). */
void table_sheet(table_t *t, const char *name);
/* Complete the file in out (flushed, not closed) and free t. 0, or -1
 * after a message on stderr (out then holds no usable file). */
int table_finish(table_t *t);

#endif
