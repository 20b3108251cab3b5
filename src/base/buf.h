/*
 * buf.h: a growable byte buffer, and the escaping helpers every output path
 * uses (HTML text and attributes, URL components; CSV is csvwrite.h, JSON
 * strings are done by jansson, UTF-8 is utf8.h).
 *
 * A buf_t owns its memory; buf_free() releases it. Appending never fails
 * silently: on allocation failure the process aborts (a web server that
 * cannot allocate a few KB has no sane way forward), so callers need not
 * check each append.
 */
#ifndef BUZON_BUF_H
#define BUZON_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct buf {
    char  *data;   /* NULL until the first append, then always NUL-terminated */
    size_t len;
    size_t cap;
} buf_t;

void buf_init(buf_t *b);
void buf_free(buf_t *b);
void buf_reset(buf_t *b);                      /* len = 0, keeps memory */
void buf_append(buf_t *b, const void *p, size_t n);
/* Make room for n more bytes at once, so that appending them allocates
 * nothing more (for hot paths whose size is known). */
void buf_reserve(buf_t *b, size_t n);
void buf_puts(buf_t *b, const char *s);
void buf_putc(buf_t *b, char c);
void buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf_t *b, const char *fmt, va_list ap);
/* Detach the data: caller owns the returned string (free()), b is reset. */
char *buf_steal(buf_t *b);

/* Append s HTML-escaped (& < > " ' escaped): safe in text and in quoted
 * attribute values. NULL appends nothing. */
void buf_html(buf_t *b, const char *s);
/* Append an attribute value with its '=': bare (=v) when v is a plain
 * identifier ([A-Za-z0-9_.:-]+), which saves bytes on large forms,
 * else quoted and escaped (="v"). */
void buf_attr(buf_t *b, const char *v);
/* Append s percent-encoded for a URL query component (RFC 3986 unreserved
 * characters kept). */
void buf_urlenc(buf_t *b, const char *s);

/* strdup that aborts on allocation failure; NULL in, NULL out. */
char *xstrdup(const char *s);
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t sz);
void *xrealloc(void *p, size_t n);

#endif
