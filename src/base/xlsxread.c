/*
 * xlsxread.c: the sheets of an .xlsx workbook as csv_table_t (see
 * xlsxread.h), through libzip (the archive) and expat (the XML parts).
 *
 * Each part is streamed from the zip into expat in chunks, counting the
 * uncompressed bytes, so a zip bomb stops at the cap instead of filling
 * memory; expat validates the UTF-8. Parsers are namespace-aware (names
 * arrive as "uri|local") and only local names are compared, which reads
 * both transitional and strict Office Open XML.
 */
#include "base/xlsxread.h"

#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "base/buf.h"

#define MAX_SHEETS 1000

struct xlsx_book {
    zip_t  *z;
    size_t  total;          /* uncompressed bytes read so far */
    size_t  n;              /* sheets */
    char  **names;          /* as the workbook spells them */
    char  **parts;          /* zip entry of each sheet, NULL if unknown */
    char  **ss;             /* shared strings */
    size_t  nss;
};

/* ---- streaming a part into expat ---------------------------------------- */

/* What every handler's user data starts with: the parser, so a handler can
 * stop it, and why it stopped. */
typedef struct xml_ctx {
    XML_Parser  p;
    char        why[160];
} xml_ctx_t;

static void ctx_fail(xml_ctx_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ctx_fail(xml_ctx_t *c, const char *fmt, ...)
{
    if (c->why[0]) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why, sizeof c->why, fmt, ap);
    va_end(ap);
    XML_StopParser(c->p, XML_FALSE);
}

/* A DTD could declare entities; workbooks never have one. */
static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sys, const XML_Char *pub, int internal)
{
    (void)name, (void)sys, (void)pub, (void)internal;
    ctx_fail(ud, "XML with a DTD is not accepted");
}

static const char *local(const char *name)
{
    const char *bar = strrchr(name, '|');
    return bar ? bar + 1 : name;
}

/* Value of the attribute with local name want (and, when ns is set, in
 * some namespace), or NULL. */
static const char *attr(const XML_Char **a, const char *want, bool ns)
{
    for (; a[0]; a += 2) {
        const char *bar = strrchr(a[0], '|');
        if (ns != (bar != NULL)) continue;
        if (!strcmp(bar ? bar + 1 : a[0], want)) return a[1];
    }
    return NULL;
}

/* Parse zip entry name with the given handlers; ud starts with xml_ctx_t.
 * 0 when parsed, 1 when absent and optional, -1 with err set. */
static int parse_part(xlsx_book_t *b, const char *name, bool required, xml_ctx_t *ud,
                      XML_StartElementHandler start, XML_EndElementHandler end,
                      XML_CharacterDataHandler chars, char *err, size_t errlen)
{
    zip_int64_t idx = zip_name_locate(b->z, name, 0);
    if (idx < 0) idx = zip_name_locate(b->z, name, ZIP_FL_NOCASE);
    if (idx < 0) {
        if (!required) return 1;
        snprintf(err, errlen, "not an XLSX workbook: it has no %s", name);
        return -1;
    }
    zip_file_t *zf = zip_fopen_index(b->z, (zip_uint64_t)idx, 0);
    if (!zf) {
        snprintf(err, errlen, "damaged workbook: cannot read %s (%s)", name, zip_strerror(b->z));
        return -1;
    }
    XML_Parser p = XML_ParserCreateNS("UTF-8", '|');
    if (!p) {
        zip_fclose(zf);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    ud->p = p;
    ud->why[0] = '\0';
    XML_SetUserData(p, ud);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, chars);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    int rc = 0;
    size_t part = 0;
    char chunk[65536];
    for (;;) {
        zip_int64_t n = zip_fread(zf, chunk, sizeof chunk);
        if (n < 0) {
            snprintf(err, errlen, "damaged workbook: cannot read %s (%s)", name, zip_file_strerror(zf));
            rc = -1;
            break;
        }
        part += (size_t)n;
        b->total += (size_t)n;
        if (part > XLSX_MAX_PART || b->total > XLSX_MAX_TOTAL) {
            snprintf(err, errlen, "workbook too large: %s holds more than %u MB uncompressed",
                     part > XLSX_MAX_PART ? name : "the workbook",
                     (part > XLSX_MAX_PART ? XLSX_MAX_PART : XLSX_MAX_TOTAL) >> 20);
            rc = -1;
            break;
        }
        if (XML_Parse(p, chunk, (int)n, n == 0) != XML_STATUS_OK) {
            if (ud->why[0])
                snprintf(err, errlen, "%s", ud->why);
            else
                snprintf(err, errlen, "damaged workbook: %s, line %lu: %s", name,
                         (unsigned long)XML_GetCurrentLineNumber(p), XML_ErrorString(XML_GetErrorCode(p)));
            rc = -1;
            break;
        }
        if (n == 0) break;
    }
    XML_ParserFree(p);
    zip_fclose(zf);
    return rc;
}

/* ---- Excel's _xHHHH_ escapes -------------------------------------------- */

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Excel writes characters XML cannot hold (a CR, control characters) as
 * _xHHHH_; decode them in place, keeping what would not be a valid
 * character. Returns s. */
static char *unescape_x(char *s)
{
    char *w = s;
    for (const char *r = s; *r;) {
        unsigned cp = 0;
        bool ok = r[0] == '_' && r[1] == 'x' && r[2] && r[3] && r[4] && r[5] && r[6] == '_';
        for (int k = 2; ok && k < 6; k++) {
            int v = hexval(r[k]);
            ok = v >= 0;
            cp = cp * 16 + (unsigned)(v < 0 ? 0 : v);
        }
        if (ok && cp && (cp < 0xD800 || cp > 0xDFFF)) {
            if (cp < 0x80) {
                *w++ = (char)cp;
            } else if (cp < 0x800) {
                *w++ = (char)(0xC0 | (cp >> 6));
                *w++ = (char)(0x80 | (cp & 0x3F));
            } else {
                *w++ = (char)(0xE0 | (cp >> 12));
                *w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
                *w++ = (char)(0x80 | (cp & 0x3F));
            }
            r += 7;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return s;
}

/* ---- workbook.xml and its relationships --------------------------------- */

typedef struct wb_ctx {
    xml_ctx_t    x;
    xlsx_book_t *b;
    char       **rids;
    char        *ss_part;   /* the shared strings' part, from the rels */
} wb_ctx_t;

static void wb_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    wb_ctx_t *c = ud;
    if (strcmp(local(name), "sheet")) return;
    const char *nm = attr(a, "name", false), *rid = attr(a, "id", true);
    if (!nm || !rid) return;
    if (c->b->n == MAX_SHEETS) {
        ctx_fail(&c->x, "not an XLSX workbook: more than %d sheets", MAX_SHEETS);
        return;
    }
    size_t n = c->b->n++;
    c->b->names = xrealloc(c->b->names, c->b->n * sizeof *c->b->names);
    c->b->parts = xrealloc(c->b->parts, c->b->n * sizeof *c->b->parts);
    c->rids = xrealloc(c->rids, c->b->n * sizeof *c->rids);
    c->b->names[n] = xstrdup(nm);
    c->b->parts[n] = NULL;
    c->rids[n] = xstrdup(rid);
}

static void no_end(void *ud, const XML_Char *name)
{
    (void)ud, (void)name;
}

static void no_chars(void *ud, const XML_Char *s, int len)
{
    (void)ud, (void)s, (void)len;
}

static void rels_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    wb_ctx_t *c = ud;
    if (strcmp(local(name), "Relationship")) return;
    const char *id = attr(a, "Id", false), *target = attr(a, "Target", false);
    const char *mode = attr(a, "TargetMode", false), *type = attr(a, "Type", false);
    if (!id || !target || (mode && !strcasecmp(mode, "External"))) return;
    size_t tl = type ? strlen(type) : 0;
    if (tl > 14 && !strcmp(type + tl - 14, "/sharedStrings") && !c->ss_part) {
        buf_t p;
        buf_init(&p);
        if (target[0] == '/') buf_puts(&p, target + 1);
        else buf_printf(&p, "xl/%s", target);
        c->ss_part = buf_steal(&p);
        return;
    }
    for (size_t i = 0; i < c->b->n; i++) {
        if (c->b->parts[i] || strcmp(c->rids[i], id)) continue;
        buf_t p;
        buf_init(&p);
        /* Targets are relative to xl/, or absolute from the package root. */
        if (target[0] == '/') buf_puts(&p, target + 1);
        else buf_printf(&p, "xl/%s", target);
        c->b->parts[i] = buf_steal(&p);
    }
}

/* ---- shared strings ----------------------------------------------------- */

/* Text of <t> elements, outside phonetic runs (<rPh>), joined per item. */
typedef struct text_ctx {
    xml_ctx_t x;
    int       rph;      /* depth inside <rPh> */
    bool      in_t;
    buf_t     text;
} text_ctx_t;

typedef struct ss_ctx {
    text_ctx_t   t;
    xlsx_book_t *b;
    size_t       cap;
} ss_ctx_t;

static void text_chars(void *ud, const XML_Char *s, int len)
{
    text_ctx_t *t = ud;
    if (t->in_t && !t->rph) buf_append(&t->text, s, (size_t)len);
}

/* The <t>/<rPh> bookkeeping shared by shared and inline strings. */
static void text_start(text_ctx_t *t, const char *l)
{
    if (!strcmp(l, "rPh")) t->rph++;
    else if (!strcmp(l, "t")) t->in_t = true;
}

static void text_end(text_ctx_t *t, const char *l)
{
    if (!strcmp(l, "rPh")) t->rph--;
    else if (!strcmp(l, "t")) t->in_t = false;
}

static char *text_take(text_ctx_t *t)
{
    buf_putc(&t->text, '\0');
    char *s = unescape_x(xstrdup(t->text.data));
    buf_reset(&t->text);
    return s;
}

static void ss_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    (void)a;
    ss_ctx_t *c = ud;
    const char *l = local(name);
    if (!strcmp(l, "si")) buf_reset(&c->t.text);
    else text_start(&c->t, l);
}

static void ss_end(void *ud, const XML_Char *name)
{
    ss_ctx_t *c = ud;
    const char *l = local(name);
    if (strcmp(l, "si")) {
        text_end(&c->t, l);
        return;
    }
    xlsx_book_t *b = c->b;
    if (b->nss == XLSX_MAX_CELLS) {
        ctx_fail(&c->t.x, "workbook too large: more than %d shared strings", XLSX_MAX_CELLS);
        return;
    }
    if (b->nss == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 256;
        b->ss = xrealloc(b->ss, c->cap * sizeof *b->ss);
    }
    b->ss[b->nss++] = text_take(&c->t);
}

/* ---- opening ------------------------------------------------------------- */

static xlsx_book_t *book_load(zip_t *z, char *err, size_t errlen)
{
    xlsx_book_t *b = xcalloc(1, sizeof *b);
    b->z = z;
    wb_ctx_t wb = { .b = b };
    int rc = parse_part(b, "xl/workbook.xml", true, &wb.x, wb_start, no_end, no_chars, err, errlen);
    if (rc == 0)
        rc = parse_part(b, "xl/_rels/workbook.xml.rels", true, &wb.x, rels_start, no_end, no_chars, err, errlen);
    for (size_t i = 0; i < b->n; i++) free(wb.rids[i]);
    free(wb.rids);
    if (rc == 0 && b->n == 0) {
        snprintf(err, errlen, "not an XLSX workbook: it has no sheets");
        rc = -1;
    }
    if (rc == 0) {
        ss_ctx_t ss = { .b = b };
        buf_init(&ss.t.text);
        rc = parse_part(b, wb.ss_part ? wb.ss_part : "xl/sharedStrings.xml", false, &ss.t.x, ss_start, ss_end,
                        text_chars, err, errlen);
        buf_free(&ss.t.text);
    }
    free(wb.ss_part);
    if (rc < 0) {
        xlsx_close(b);
        return NULL;
    }
    return b;
}

static void zip_fail(int code, char *err, size_t errlen)
{
    zip_error_t ze;
    zip_error_init_with_code(&ze, code);
    if (code == ZIP_ER_NOZIP)
        snprintf(err, errlen, "not an XLSX workbook (not a zip archive): save it from Excel or LibreOffice as .xlsx");
    else
        snprintf(err, errlen, "not a valid XLSX workbook (damaged zip archive: %s)", zip_error_strerror(&ze));
    zip_error_fini(&ze);
}

xlsx_book_t *xlsx_open(const char *path, char *err, size_t errlen)
{
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    fclose(probe);
    int code = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &code);
    if (!z) {
        zip_fail(code, err, errlen);
        return NULL;
    }
    return book_load(z, err, errlen);
}

xlsx_book_t *xlsx_open_bytes(const void *data, size_t len, char *err, size_t errlen)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!z) {
        if (src) zip_source_free(src);
        zip_fail(zip_error_code_zip(&ze), err, errlen);
        zip_error_fini(&ze);
        return NULL;
    }
    zip_error_fini(&ze);
    return book_load(z, err, errlen);
}

void xlsx_close(xlsx_book_t *b)
{
    if (!b) return;
    if (b->z) zip_discard(b->z);
    for (size_t i = 0; i < b->n; i++) {
        free(b->names[i]);
        free(b->parts[i]);
    }
    free(b->names);
    free(b->parts);
    for (size_t i = 0; i < b->nss; i++) free(b->ss[i]);
    free(b->ss);
    free(b);
}

size_t xlsx_nsheets(const xlsx_book_t *b)
{
    return b->n;
}

const char *xlsx_sheet_name(const xlsx_book_t *b, size_t i)
{
    return i < b->n ? b->names[i] : NULL;
}

int xlsx_sheet_find(const xlsx_book_t *b, const char *name)
{
    for (size_t i = 0; i < b->n; i++) {
        /* Sheet names in the wild carry stray spaces ("survey "). */
        const char *s = b->names[i];
        while (*s == ' ') s++;
        size_t k = strlen(s);
        while (k && s[k - 1] == ' ') k--;
        if (k == strlen(name) && !strncasecmp(s, name, k)) return (int)i;
    }
    return -1;
}

/* ---- a sheet ------------------------------------------------------------- */

typedef struct sheet_ctx {
    text_ctx_t    t;          /* <is> text, and <v> text in t.text too */
    xlsx_book_t  *b;
    csv_table_t  *out;
    size_t        cap_rows;
    size_t        ncells_all; /* cells of the table, gaps included */
    size_t text_bytes;    /* bytes of the cells' texts so far: shared strings are copied */
    bool          in_row, in_c, in_v, in_is;
    long          row, prev_row;
    long          col, next_col;
    char          type[12];
    char        **cells;      /* the row being read; NULL = empty */
    size_t        ncells;
} sheet_ctx_t;

/* Parse a reference such as "AB12": its 0-based column, -1 if malformed. */
static long ref_col(const char *r)
{
    long col = 0;
    int letters = 0;
    for (; *r >= 'A' && *r <= 'Z'; r++, letters++) {
        col = col * 26 + (*r - 'A' + 1);
        if (col > XLSX_MAX_COLS) return -1;
    }
    return letters ? col - 1 : -1;
}

static void sh_row_flush(sheet_ctx_t *c)
{
    bool blank = true;
    for (size_t i = 0; i < c->ncells && blank; i++)
        for (const char *s = c->cells[i] ? c->cells[i] : ""; *s && blank; s++)
            blank = *s == ' ' || *s == '\t' || *s == '\r' || *s == '\n';
    if (blank) {
        for (size_t i = 0; i < c->ncells; i++) free(c->cells[i]);
        free(c->cells);
    } else if (c->out->nrows >= XLSX_MAX_ROWS) {
        for (size_t i = 0; i < c->ncells; i++) free(c->cells[i]);
        free(c->cells);
        ctx_fail(&c->t.x, "sheet too large: more than %d rows", XLSX_MAX_ROWS);
    } else {
        csv_table_t *t = c->out;
        if (t->nrows == c->cap_rows) {
            c->cap_rows = c->cap_rows ? 2 * c->cap_rows : 32;
            t->rows = xrealloc(t->rows, c->cap_rows * sizeof *t->rows);
        }
        for (size_t i = 0; i < c->ncells; i++)
            if (!c->cells[i]) c->cells[i] = xstrdup("");
        csv_row_t *r = &t->rows[t->nrows++];
        r->cells = c->cells;
        r->ncells = c->ncells;
        r->line = (int)c->row;
    }
    c->cells = NULL;
    c->ncells = 0;
}

/* The text Excel shows for a number in General format. */
static char *number_text(const char *v)
{
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (end == v || *end || errno || !isfinite(d)) return xstrdup(v);
    char out[40];
    if (d == floor(d) && fabs(d) < 1e15) snprintf(out, sizeof out, "%.0f", d);
    else snprintf(out, sizeof out, "%.15g", d);
    if (!strcmp(out, "-0")) strcpy(out, "0");
    return xstrdup(out);
}

/* The text of the cell just closed, from its type and value. */
static char *cell_text(sheet_ctx_t *c, char *v)
{
    const char *t = c->type;
    if (!strcmp(t, "inlineStr")) return unescape_x(v);
    if (!strcmp(t, "s")) {
        char *end;
        unsigned long k = strtoul(v, &end, 10);
        if (end == v || *end || k >= c->b->nss) {
            ctx_fail(&c->t.x, "cell %s refers to a shared string that does not exist", v);
            free(v);
            return NULL;
        }
        free(v);
        return xstrdup(c->b->ss[k]);
    }
    if (!strcmp(t, "b")) {
        bool yes = !strcmp(v, "1");
        free(v);
        return xstrdup(yes ? "TRUE" : "FALSE");
    }
    if (!*t || !strcmp(t, "n")) {
        if (!*v) return v;
        char *s = number_text(v);
        free(v);
        return s;
    }
    return unescape_x(v);   /* "str" (a formula's text), "e" (#N/A), "d" (ISO date) */
}

static void sh_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    sheet_ctx_t *c = ud;
    const char *l = local(name);
    if (!strcmp(l, "row")) {
        const char *r = attr(a, "r", false);
        long row = r ? strtol(r, NULL, 10) : c->prev_row + 1;
        if (row <= c->prev_row || row < 1) {
            ctx_fail(&c->t.x, "rows out of order after row %ld", c->prev_row);
            return;
        }
        /* Row numbers may run far (Excel writes formatted empty rows down
         * to 1,048,576); only rows with text count against the cap
         * (sh_row_flush). */
        c->in_row = true;
        c->row = row;
        c->next_col = 0;
    } else if (!strcmp(l, "c") && c->in_row) {
        const char *r = attr(a, "r", false), *t = attr(a, "t", false);
        c->col = r ? ref_col(r) : c->next_col;
        if (c->col < 0 || c->col >= XLSX_MAX_COLS) {
            ctx_fail(&c->t.x, "invalid cell reference \"%s\"", r ? r : "");
            return;
        }
        snprintf(c->type, sizeof c->type, "%s", t ? t : "");
        c->in_c = true;
        buf_reset(&c->t.text);
    } else if (c->in_c && !strcmp(l, "v")) {
        c->in_v = true;
        c->t.in_t = true;   /* collect its text */
    } else if (c->in_c && !strcmp(l, "is")) {
        c->in_is = true;
    } else if (c->in_is) {
        text_start(&c->t, l);
    }
}

static void sh_end(void *ud, const XML_Char *name)
{
    sheet_ctx_t *c = ud;
    const char *l = local(name);
    if (!strcmp(l, "row") && c->in_row) {
        c->in_row = false;
        sh_row_flush(c);
        c->prev_row = c->row;
    } else if (!strcmp(l, "c") && c->in_c) {
        c->in_c = false;
        c->next_col = c->col + 1;
        char *v = cell_text(c, text_take(&c->t));
        if (!v) return;
        if (!*v) {
            free(v);
            return;
        }
        size_t col = (size_t)c->col;
        if (col >= c->ncells) {
            size_t grow = col + 1 - c->ncells;
            if (c->ncells_all + grow > XLSX_MAX_CELLS) {
                free(v);
                ctx_fail(&c->t.x, "sheet too large: more than %d cells", XLSX_MAX_CELLS);
                return;
            }
            c->ncells_all += grow;
            c->cells = xrealloc(c->cells, (col + 1) * sizeof *c->cells);
            memset(c->cells + c->ncells, 0, grow * sizeof *c->cells);
            c->ncells = col + 1;
        }
        /* One shared string may be referred to by every cell: count the
         * copies, so a small workbook cannot expand into gigabytes. */
        c->text_bytes += strlen(v);
        if (c->text_bytes > XLSX_MAX_TOTAL) {
            free(v);
            ctx_fail(&c->t.x, "sheet too large: more than %u MB of text", XLSX_MAX_TOTAL >> 20);
            return;
        }
        free(c->cells[col]);
        c->cells[col] = v;
    } else if (!strcmp(l, "v") && c->in_v) {
        c->in_v = false;
        c->t.in_t = false;
    } else if (!strcmp(l, "is") && c->in_is) {
        c->in_is = false;
    } else if (c->in_is) {
        text_end(&c->t, l);
    }
}

int xlsx_sheet_read(xlsx_book_t *b, size_t i, csv_table_t *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->sep = ',';
    if (i >= b->n || !b->parts[i]) {
        snprintf(err, errlen, "damaged workbook: the sheet \"%s\" has no part",
                 i < b->n ? b->names[i] : "?");
        return -1;
    }
    sheet_ctx_t c = { .b = b, .out = out };
    buf_init(&c.t.text);
    int rc = parse_part(b, b->parts[i], true, &c.t.x, sh_start, sh_end, text_chars, err, errlen);
    for (size_t k = 0; k < c.ncells; k++) free(c.cells[k]);
    free(c.cells);
    buf_free(&c.t.text);
    if (rc != 0) {
        long row = c.in_row ? c.row : c.prev_row;
        csv_table_free(out);
        out->sep = ',';
        out->err_line = (int)row;
        return -1;
    }
    return 0;
}
