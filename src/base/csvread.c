/*
 * csvread.c: turns the bytes of a CSV file, as Excel, LibreOffice or
 * xlsx2csv wrote it, into a table of rows for the form and point loaders.
 *
 * libcsv does the quoting; this file adds what libcsv leaves to its caller:
 * the BOM, the separator guess (Excel in a Spanish locale writes `;`), UTF-8
 * validation, skipping blank rows, and the physical line each row starts on.
 * libcsv does not report positions, so the bytes are fed to it one at a time
 * while the line count is kept here; form files are a few kilobytes, so the
 * per-byte call costs nothing that matters.
 */
#include "base/csvread.h"

#include <csv.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/utf8.h"

/* State shared with libcsv's callbacks while one table is built. */
typedef struct builder {
    csv_table_t *t;
    size_t       cap_rows;
    char       **cells;      /* cells of the row being read */
    size_t       ncells, cap_cells;
    bool         in_row;     /* a record has begun and not yet ended */
    int          row_line;   /* line the current record began on */
} builder_t;

static void on_cell(void *s, size_t n, void *arg)
{
    builder_t *b = arg;
    if (b->ncells == b->cap_cells) {
        b->cap_cells = b->cap_cells ? 2 * b->cap_cells : 16;
        b->cells = xrealloc(b->cells, b->cap_cells * sizeof *b->cells);
    }
    char *c = xmalloc(n + 1);
    if (n) memcpy(c, s, n);
    c[n] = '\0';
    b->cells[b->ncells++] = c;
}

static bool blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') return false;
    return true;
}

static void free_cells(char **cells, size_t n)
{
    for (size_t i = 0; i < n; i++) free(cells[i]);
    free(cells);
}

static void on_row(int term, void *arg)
{
    (void)term;
    builder_t *b = arg;
    b->in_row = false;
    bool all_blank = true;
    for (size_t i = 0; i < b->ncells && all_blank; i++) all_blank = blank(b->cells[i]);
    if (all_blank) {
        /* Spreadsheets leave rows of empty cells (",,,") where a line was
         * cleared; they are not records. */
        for (size_t i = 0; i < b->ncells; i++) free(b->cells[i]);
        b->ncells = 0;
        return;
    }
    csv_table_t *t = b->t;
    if (t->nrows == b->cap_rows) {
        b->cap_rows = b->cap_rows ? 2 * b->cap_rows : 32;
        t->rows = xrealloc(t->rows, b->cap_rows * sizeof *t->rows);
    }
    csv_row_t *r = &t->rows[t->nrows++];
    r->cells = xrealloc(b->cells, b->ncells * sizeof *r->cells);
    r->ncells = b->ncells;
    r->line = b->row_line;
    b->cells = NULL;
    b->ncells = b->cap_cells = 0;
}

/* The separator of the header line: whichever of ',' and ';' occurs more
 * often outside quotes; ',' on a tie (a one-column file). */
static char detect_sep(const char *s, const char *end)
{
    size_t commas = 0, semis = 0;
    bool quoted = false;
    for (; s < end; s++) {
        if (*s == '"') quoted = !quoted;
        else if (quoted) continue;
        else if (*s == '\n' || *s == '\r') break;
        else if (*s == ',') commas++;
        else if (*s == ';') semis++;
    }
    return semis > commas ? ';' : ',';
}

/* The line of the first invalid UTF-8 sequence, or 0 when all is valid.
 * No multi-byte sequence contains '\n', so lines can be checked apart. */
static int invalid_utf8_line(const char *s, const char *end)
{
    for (int line = 1; s < end; line++) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *eol = nl ? nl : end;
        if (!utf8_valid(s, (size_t)(eol - s))) return line;
        s = nl ? nl + 1 : end;
    }
    return 0;
}

static int fail(csv_table_t *t, int line, char *err, size_t errlen, const char *msg)
{
    csv_table_free(t);
    t->err_line = line;
    snprintf(err, errlen, "%s", msg);
    return -1;
}

int csv_parse_bytes(const char *data, size_t len, csv_table_t *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *s = data, *end = data + len;
    if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) s += 3;

    int bad = invalid_utf8_line(s, end);
    /* Excel's plain "CSV" is Windows-1252 (an "á" is one byte 0xE1):
     * name the format that works, in the words of Excel's menu. */
    if (bad)
        return fail(out, bad, err, errlen,
                    "invalid UTF-8; in Excel, save as \"CSV UTF-8 (delimitado por comas)\"");

    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL) != 0) {
        snprintf(err, errlen, "cannot initialise the CSV parser");
        return -1;
    }
    out->sep = detect_sep(s, end);
    csv_set_delim(&p, (unsigned char)out->sep);

    builder_t b = { .t = out };
    int line = 1;
    bool ok = true;
    for (; s < end && ok; s++) {
        char c = *s;
        /* libcsv skips line ends and blanks before a record, so a record
         * begins at the first other byte. */
        if (!b.in_row && c != '\n' && c != '\r' && c != ' ' && c != '\t') {
            b.in_row = true;
            b.row_line = line;
        }
        ok = csv_parse(&p, s, 1, on_cell, on_row, &b) == 1;
        if (c == '\n' || (c == '\r' && (s + 1 == end || s[1] != '\n'))) line++;
    }
    /* A line end outside quotes closes the last record; if the record is
     * still open after one, a quoted cell never ended. */
    if (ok) ok = csv_parse(&p, "\n", 1, on_cell, on_row, &b) == 1;
    bool unterminated = ok && b.in_row;
    if (ok) ok = csv_fini(&p, on_cell, on_row, &b) == 0;
    const char *why = ok ? NULL : csv_strerror(csv_error(&p));
    csv_free(&p);
    free_cells(b.cells, b.ncells);

    if (!ok) return fail(out, line, err, errlen, why);
    if (unterminated) return fail(out, b.row_line, err, errlen, "unterminated quoted cell");
    return 0;
}

char *csv_slurp(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(e));
        errno = e;
        return NULL;
    }
    buf_t b;
    buf_init(&b);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, n);
    int e = ferror(f) ? errno : 0;
    if (fclose(f) != 0 && !e) e = errno;
    if (e) {
        buf_free(&b);
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(e));
        errno = e;
        return NULL;
    }
    *len = b.len;
    return buf_steal(&b);
}

int csv_read_file(const char *path, csv_table_t *out, char *err, size_t errlen)
{
    size_t len;
    char *data = csv_slurp(path, &len, err, errlen);
    if (!data) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    int rc = csv_parse_bytes(data, len, out, err, errlen);
    free(data);
    return rc;
}

void csv_table_free(csv_table_t *t)
{
    for (size_t r = 0; r < t->nrows; r++) free_cells(t->rows[r].cells, t->rows[r].ncells);
    free(t->rows);
    memset(t, 0, sizeof *t);
}

/* s without its surrounding spaces and tabs: sets *n to the trimmed length. */
static const char *trim_span(const char *s, size_t *n)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t k = strlen(s);
    while (k && (s[k - 1] == ' ' || s[k - 1] == '\t')) k--;
    *n = k;
    return s;
}

int csv_col(const csv_table_t *t, const char *name)
{
    if (t->nrows == 0) return -1;
    const csv_row_t *h = &t->rows[0];
    size_t want = strlen(name);
    for (size_t i = 0; i < h->ncells; i++) {
        size_t n;
        const char *c = trim_span(h->cells[i], &n);
        if (n == want && !strncasecmp(c, name, n)) return (int)i;
    }
    return -1;
}

const char *csv_cell(const csv_table_t *t, size_t r, int c)
{
    if (r >= t->nrows || c < 0 || (size_t)c >= t->rows[r].ncells) return "";
    return t->rows[r].cells[c];
}
