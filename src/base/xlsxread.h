/*
 * xlsxread.h: read the sheets of an Excel workbook (.xlsx, Office Open
 * XML) into the same tables the CSV reader makes (csvread.h), so that an
 * XLSForm workbook downloaded from KoboToolbox or saved from Excel loads
 * without converting it to CSV first.
 *
 * A workbook is a zip (libzip) of XML parts (expat): xl/workbook.xml names
 * the sheets, xl/_rels/workbook.xml.rels says which part holds each,
 * xl/sharedStrings.xml holds the texts cells point at. A cell becomes the
 * text Excel shows when its format is General: shared and inline strings
 * (rich text runs joined), numbers in their shortest form (1, not 1.0),
 * booleans as TRUE/FALSE, a formula's cached value. Styles (date formats)
 * are not applied. Cells land in the column their reference (B3, AB12)
 * names, so skipped cells are empty cells; rows whose cells are all blank
 * are skipped, and each row's `line` is the row number Excel shows.
 *
 * Hostile input is refused, never crashed on: every part is read with a
 * cap on its uncompressed size, the cells and rows of a sheet are capped,
 * and XML with a DTD is refused (no entity expansion at all).
 */
#ifndef BUZON_XLSXREAD_H
#define BUZON_XLSXREAD_H

#include <stddef.h>

#include "base/csvread.h"

/* Limits: far beyond any form, far below what hurts the server. */
#define XLSX_MAX_PART  (32u << 20)   /* uncompressed bytes of one XML part */
#define XLSX_MAX_TOTAL (64u << 20)   /* uncompressed bytes read in all */
#define XLSX_MAX_ROWS  50000         /* rows holding text in one sheet */
#define XLSX_MAX_CELLS 1000000       /* cells of one sheet, gaps included */
#define XLSX_MAX_COLS  16384         /* Excel's own limit (column XFD) */

typedef struct xlsx_book xlsx_book_t;

/* Open the workbook at path. NULL with one message in err when the file
 * cannot be read, is not a zip, or is a zip but not an XLSX workbook
 * (no readable xl/workbook.xml and its relationships). Close with
 * xlsx_close. */
xlsx_book_t *xlsx_open(const char *path, char *err, size_t errlen);
/* The same from bytes in memory (an upload, a fuzzer's input); data must
 * outlive the book. */
xlsx_book_t *xlsx_open_bytes(const void *data, size_t len, char *err, size_t errlen);
void xlsx_close(xlsx_book_t *b);

/* Number of sheets, their names as the workbook spells them (owned by the
 * book), and the index of the sheet named name in any case (-1 if none). */
size_t xlsx_nsheets(const xlsx_book_t *b);
const char *xlsx_sheet_name(const xlsx_book_t *b, size_t i);
int xlsx_sheet_find(const xlsx_book_t *b, const char *name);

/* Read sheet i into out (free with csv_table_free; out->sep is ','). 0, or
 * -1 with a message in err and the Excel row it concerns in out->err_line
 * (0 when no row is to blame); out then holds no rows. */
int xlsx_sheet_read(xlsx_book_t *b, size_t i, csv_table_t *out, char *err, size_t errlen);

#endif
