/*
 * rich.h: the texts a form author writes (labels, hints, notes, choice
 * labels) as HTML: the markdown subset XLSForm allows and `${name}`
 * piping (model/pipe.h).
 *
 * Markdown: *emphasis* or _emphasis_, **strong** or __strong__,
 * [text](url) links (only http:, https:, mailto: and tel: addresses;
 * rel=noopener), a line starting "# " (up to six #) as a bold line, and
 * line breaks. A backslash before one of \ * _ [ ] ( ) # $ makes it plain
 * text. Everything is HTML-escaped first: no markup written by the author
 * ever reaches the page, only the tags this renderer makes. Markers that
 * do not pair up stay as they were written; constructs nest at most
 * RICH_MAX_DEPTH deep (deeper markers stay as text), and the work on one
 * text is bounded (each opening marker looks for its closing one at most
 * RICH_MAX_SEARCHES times in all), whatever the text.
 *
 * Piping: ${name} becomes <span data-pipe=name>value</span>, the value
 * given by the caller (the answer, or a choice's label in the page's
 * language), so www/buzon.js can update it live; empty when unanswered.
 *
 * A text with none of * _ [ # \ $ or a line break renders exactly as
 * buf_html() would (the standard forms' pages are unchanged).
 */
#ifndef BUZON_RICH_H
#define BUZON_RICH_H

#include <stdbool.h>
#include "base/buf.h"

#define RICH_MAX_DEPTH 4
#define RICH_MAX_SEARCHES 256

/* Append to out the raw (unescaped) value shown for ${name}, nothing when
 * unanswered, and return true; return false when name is no question
 * (the reference is then shown as written). */
typedef bool (*rich_pipe_fn)(void *arg, const char *name, buf_t *out);

/* text (NULL: nothing) as HTML into o. pipe may be NULL (references stay
 * as written). */
void rich_html(buf_t *o, const char *text, rich_pipe_fn pipe, void *arg);

/* text as plain text, NOT escaped (the caller escapes it): markers,
 * heading marks and link addresses removed, line breaks as spaces,
 * references replaced by their values. For places that take no markup:
 * an <option>, the error summary's links, a quoted label. */
void rich_plain(buf_t *o, const char *text, rich_pipe_fn pipe, void *arg);

#endif
