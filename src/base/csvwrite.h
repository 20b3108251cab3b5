/*
 * csvwrite.h: the one CSV writer of buzon, for every CSV a person
 * downloads (a form's raw responses, the indicators table): RFC 4180
 * quoting, `,` or `;` as separator (Excel in a Spanish locale expects `;`
 * and a decimal comma), CRLF line ends, a UTF-8 byte-order mark (without
 * it Excel reads UTF-8 as Latin-1), and one guard against spreadsheet
 * formula injection.
 *
 * The guard (OWASP's rule): a text cell starting with = + - @ TAB or CR
 * would be run as a formula by Excel or LibreOffice, so it is written
 * quoted with a leading apostrophe ('=1+1 shows as text). A plain decimal
 * number ("-12", "-0.5") is not a formula and is left alone, so negative
 * numbers stay numbers. Numbers the program computes go through
 * csvw_num(), which never applies the guard.
 *
 * Phone numbers (issue 13): "+18095550101" or "+1 809-555-0101" starts
 * with '+', so Excel would read it as a formula or a number (18095550101,
 * or 1809 - 555 - 101 = 1153), and the apostrophe would show. A text cell
 * that is only a phone number (csvw_is_phone) is written instead after an
 * invisible ZERO WIDTH SPACE (U+200B): the cell no longer starts with a
 * formula character and is no number, so every spreadsheet keeps it as the
 * text it is, and nothing shows but the number. Any other cell starting
 * with = + - @ TAB or CR keeps the apostrophe: no cell can run a formula.
 *
 * Base layer: calls only base/buf.h and the C library.
 */
#ifndef BUZON_CSVWRITE_H
#define BUZON_CSVWRITE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

/* The UTF-8 byte-order mark that starts every CSV file. */
#define CSVW_BOM "\xEF\xBB\xBF"

/* A writer appending to a buffer it does not own. */
typedef struct csvw {
    buf_t *out;
    char   sep;     /* ',' or ';' */
    char   point;   /* decimal mark of csvw_num: '.' or ',' */
    size_t col;     /* cells written on the current row */
} csvw_t;

/* A writer on out with separator sep and decimal mark point; writes
 * nothing (see csvw_bom). */
void csvw_init(csvw_t *w, buf_t *out, char sep, char point);
/* Append the byte-order mark; call once, before the first row. */
void csvw_bom(csvw_t *w);
/* Append a text cell: quoted when it holds the separator, a quote, CR or
 * LF; with the formula guard above. NULL or "" is an empty cell. */
void csvw_text(csvw_t *w, const char *s);
/* Append v with exactly decimals digits after the mark (printf's %.*f,
 * the mark replaced by w->point). NaN is an empty cell. */
void csvw_num(csvw_t *w, double v, int decimals);
/* Append an empty cell. */
void csvw_empty(csvw_t *w);
/* End the row (CRLF). */
void csvw_end_row(csvw_t *w);

/* True when s is a plain decimal number as a spreadsheet reads one: at
 * most 20 characters of digits, '-' and '.', that strtod reads whole
 * ("-12", "3.5"; not "1e5", "+1", "1-2"). *v gets its value. */
bool csvw_is_number(const char *s, double *v);
/* True when the guard applies to text cell s (see above). */
bool csvw_is_formula(const char *s);
/* True when s is only a phone number in international form: '+', then 7
 * to 15 digits, with single spaces, '-', '.' or parentheses between
 * them ("+18095550101", "+1 809-555-0101", "+509 3712 3456"). */
bool csvw_is_phone(const char *s);
/* The invisible mark written before such a cell: U+200B in UTF-8. */
#define CSVW_PHONE_MARK "\xE2\x80\x8B"

#endif
