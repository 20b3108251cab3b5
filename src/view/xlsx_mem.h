/*
 * xlsx_mem.h: XLSX workbooks built in memory. libxlsxwriter 1.1.4 (Debian
 * 12) writes only to a file, so a workbook is written to a private
 * temporary file ($TMPDIR, else /tmp) and read back into a buffer, or
 * copied into a stream (xlsx_mem_close_to, for the large downloads); the
 * file is removed whatever happens, except when the process is killed
 * while it writes one: the first workbook of the next run removes such
 * leftovers (xlsx_mem_sweep).
 */
#ifndef BUZON_XLSX_MEM_H
#define BUZON_XLSX_MEM_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include <xlsxwriter.h>

#include "base/buf.h"

typedef struct xlsx_mem {
    lxw_workbook *wb;     /* the workbook to fill */
    char          path[256];
} xlsx_mem_t;

/* Start a workbook: x->wb, or NULL after a message on stderr (then
 * xlsx_mem_close is still called, and fails). */
lxw_workbook *xlsx_mem_open(xlsx_mem_t *x);
/* The same in libxlsxwriter's constant-memory mode: each row is written
 * to a temporary file when the next begins (rows strictly in order), and
 * text cells are inline strings instead of a shared-string table kept in
 * memory: memory stays constant whatever the number of rows. For the
 * responses downloads (view/table_out.h). */
lxw_workbook *xlsx_mem_open_streaming(xlsx_mem_t *x);
/* Close the workbook and, when ok (nothing failed while filling it),
 * append its bytes to out. Returns 0, or -1 after a message on stderr
 * (out may then hold part of the file). Removes the temporary file. */
int xlsx_mem_close(xlsx_mem_t *x, bool ok, buf_t *out);
/* The same, the bytes written to out (not flushed, not closed) in pieces
 * of 8 KB rather than gathered in memory. */
int xlsx_mem_close_to(xlsx_mem_t *x, bool ok, FILE *out);

/* Remove the workbooks' temporary files ($TMPDIR, else /tmp, named
 * buzon-xlsx-*) last changed more than an hour before now: what a killed
 * process left behind. Called once per process by the first workbook. */
void xlsx_mem_sweep(time_t now);

#endif
