/*
 * diag.c: the "file:row: message" lines of diag.h.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include "base/buf.h"
#include "base/diag.h"

void diag_add(diag_t *d, const char *file, int row, const char *fmt, ...)
{
    assert(d && file && fmt);
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "%s:%d: ", file, row);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    d->lines = xrealloc(d->lines, (d->n + 1) * sizeof *d->lines);
    d->lines[d->n++] = buf_steal(&b);
}

void diag_free(diag_t *d)
{
    for (size_t i = 0; i < d->n; i++) free(d->lines[i]);
    free(d->lines);
    d->lines = NULL;
    d->n = 0;
}
