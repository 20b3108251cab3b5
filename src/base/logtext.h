/*
 * logtext.h: text a visitor sent (a request's path and method), made safe
 * for a log line that is read in a terminal and by scripts: one request,
 * one line, no escape sequences. Base layer: libc and base/utf8 only.
 */
#ifndef BUZON_LOGTEXT_H
#define BUZON_LOGTEXT_H

#include <stddef.h>

/* Append NUL-terminated s at p, writing at most max bytes (max >= 3), and
 * return the end (p is not NUL-terminated). Only whole valid UTF-8
 * characters (base/utf8.h: no overlong forms, no surrogates, nothing past
 * U+10FFFF) are copied as they are; every other byte is written as %XX:
 * controls (C0, DEL and the C1 controls U+0080-U+009F, which terminals
 * also obey), space, '%' itself (so the output reads back unambiguously),
 * the line and paragraph separators U+2028/U+2029, and each byte of an
 * invalid or truncated sequence one by one. A cut, never inside a
 * character or an escape, ends in "...". */
char *logtext_put(char *p, const char *s, size_t max);

#endif
