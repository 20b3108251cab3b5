/*
 * csvwrite.c: the CSV writer and its formula guard (see csvwrite.h).
 * Base layer: calls only base/buf.h and the C library.
 */
#include "base/csvwrite.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void csvw_init(csvw_t *w, buf_t *out, char sep, char point)
{
    *w = (csvw_t){ .out = out, .sep = sep, .point = point, .col = 0 };
}

void csvw_bom(csvw_t *w)
{
    buf_puts(w->out, CSVW_BOM);
}

bool csvw_is_number(const char *s, double *v)
{
    size_t n = strlen(s);
    if (!n || n > 20 || strspn(s, "-0123456789.") != n) return false;
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return !*end && !errno;
}

bool csvw_is_formula(const char *s)
{
    double v;
    return *s && strchr("=+-@\t\r", *s) && !csvw_is_number(s, &v);
}

bool csvw_is_phone(const char *s)
{
    if (*s++ != '+') return false;
    size_t digits = 0;
    char last = '+';
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            digits++;
        } else if (strchr(" -.()", *s)) {
            if (!digits || (strchr(" -.", last) && strchr(" -.", *s))) return false;
        } else {
            return false;
        }
        last = *s;
    }
    return digits >= 7 && digits <= 15 && last >= '0' && last <= '9';
}

static void next_cell(csvw_t *w)
{
    if (w->col++) buf_putc(w->out, w->sep);
}

void csvw_text(csvw_t *w, const char *s)
{
    next_cell(w);
    if (!s) return;
    bool phone = *s == '+' && csvw_is_phone(s);
    if (phone) buf_puts(w->out, CSVW_PHONE_MARK);   /* no apostrophe to see (csvwrite.h) */
    bool formula = !phone && csvw_is_formula(s);
    char special[] = { w->sep, '"', '\r', '\n', '\0' };
    if (!formula && !strpbrk(s, special)) {
        buf_puts(w->out, s);
        return;
    }
    buf_putc(w->out, '"');
    if (formula) buf_putc(w->out, '\'');
    for (; *s; s++) {
        if (*s == '"') buf_putc(w->out, '"');
        buf_putc(w->out, *s);
    }
    buf_putc(w->out, '"');
}

void csvw_num(csvw_t *w, double v, int decimals)
{
    next_cell(w);
    if (isnan(v)) return;
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.*f", decimals < 0 ? 0 : decimals, v);
    char *dot = strchr(tmp, '.');
    if (dot) *dot = w->point;
    buf_puts(w->out, tmp);
}

void csvw_empty(csvw_t *w)
{
    next_cell(w);
}

void csvw_end_row(csvw_t *w)
{
    buf_puts(w->out, "\r\n");
    w->col = 0;
}
