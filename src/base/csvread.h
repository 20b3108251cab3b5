/*
 * csvread.h: read a whole CSV file the way Excel writes it, into rows of
 * cells, through libcsv.
 *
 * Tolerated: a UTF-8 byte-order mark, `,` or `;` as separator (detected
 * from the header line: whichever occurs more often outside quotes), CRLF
 * or LF line ends, quoted cells with embedded separators, quotes and line
 * breaks. Quoted cells are returned exactly; libcsv drops the spaces and
 * tabs around an unquoted cell (so `a, "b"` is read as Excel means it).
 * Rows whose cells are all blank are skipped. Each row remembers
 * the 1-based physical line it starts on, so diagnostics can say
 * `file:row: message` in the numbering a spreadsheet shows (header = row 1).
 */
#ifndef BUZON_CSVREAD_H
#define BUZON_CSVREAD_H

#include <stddef.h>

typedef struct csv_row {
    char  **cells;   /* ncells NUL-terminated strings, owned by the table */
    size_t  ncells;
    int     line;    /* 1-based line number where this record starts */
} csv_row_t;

typedef struct csv_table {
    csv_row_t *rows;   /* rows[0] is the header row */
    size_t     nrows;
    char       sep;    /* the separator detected: ',' or ';' */
    int        err_line; /* after a failed parse: the 1-based line the
                            problem is on (0 for I/O errors), so callers
                            can say `file:row: message` */
} csv_table_t;

/* Parse bytes [data, data+len). Returns 0 and fills *out (caller frees with
 * csv_table_free), or -1 with a message in err (e.g. "invalid UTF-8",
 * "unterminated quoted cell"; the line is in out->err_line, out holds no
 * rows and needs no freeing). */
/* (Not named csv_parse: libcsv's <csv.h> already defines that symbol.) */
int csv_parse_bytes(const char *data, size_t len, csv_table_t *out, char *err, size_t errlen);
/* Read and parse a file. Returns 0, or -1 with a message in err (which
 * includes strerror for I/O failures). */
int csv_read_file(const char *path, csv_table_t *out, char *err, size_t errlen);
void csv_table_free(csv_table_t *t);
/* The whole file at path, NUL-terminated (caller frees), its size in *len.
 * NULL on failure, with a message including strerror in err and errno set
 * (ENOENT when the file does not exist). For callers that need the bytes
 * as well as the table (the form loader hashes them). */
char *csv_slurp(const char *path, size_t *len, char *err, size_t errlen);

/* Index of the header cell equal to name (case-insensitive, surrounding
 * spaces ignored), or -1. */
int csv_col(const csv_table_t *t, const char *name);
/* Cell text of row r, column c, or "" when the row is shorter. Never NULL. */
const char *csv_cell(const csv_table_t *t, size_t r, int c);

#endif
