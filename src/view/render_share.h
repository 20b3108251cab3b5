/*
 * render_share.h: what a page carries so that it is shared and kept well
 * (issue 17 items 2 and 7): the Open Graph tags a link preview reads
 * (WhatsApp), and the attributes and section www/buzon.js uses to keep a
 * long survey's draft on the phone ("continue later") and to list what the
 * phone keeps on the survey list page. Without JavaScript they do nothing.
 */
#ifndef BUZON_VIEW_RENDER_SHARE_H
#define BUZON_VIEW_RENDER_SHARE_H

#include <stdbool.h>

#include "base/buf.h"
#include "base/i18n.h"
#include "model/form.h"
#include "model/points.h"

/* The public address the Open Graph tags name (a preview needs absolute
 * addresses), set once when the server knows it; copied. NULL or never
 * set: no tags. */
void render_share_base(const char *base_url);

/* The Open Graph tags of a survey page (inside <head>): title, a short
 * description, the poster-design picture /s/og.png and the page's address
 * self ("/e/<form>?" or "/e/<form>?p=<point>&": the last character,
 * '?' or '&', is dropped). */
void render_share_head(buf_t *o, lang_t lang, const char *title, const char *self);

/* html (len bytes: a survey page of f at point pt, or NULL, in lang) with
 * the Open Graph tags after its </title>, appended to out; html as it is
 * when it has no </title>. */
void render_share_splice(buf_t *out, const char *html, size_t len, const form_t *f, const point_t *pt,
                         lang_t lang);

/* Whether f is long enough to offer "continue later": it has a repeat, or
 * more than RENDER_LONG_FORM questions a person can answer (notes,
 * groups, calculations and hidden fields not counted): the standard
 * surveys (16 to 28 questions, most shown only when they apply, answered
 * in a minute) do not offer it; a household survey or an interview does. */
#define RENDER_LONG_FORM 30
bool render_long_form(const form_t *f);

/* For a long form, the survey <form>'s attributes that buzon.js reads to
 * keep drafts (texts of the button, the notices, the form's version);
 * nothing for a short one. */
void render_draft_attrs(buf_t *o, lang_t lang, const form_t *f);

/* The survey list page's section of what this phone keeps (drafts and
 * answers waiting to be sent or refused): hidden and empty, filled and
 * shown by buzon.js when there is something. */
void render_mine(buf_t *o, lang_t lang);

/* The web manifest (issue 17 item 7) in lang: what "add to home screen"
 * installs (name, icons 192 and 512, theme colour of the page header,
 * start at the survey list). Appends compact JSON to o. */
void render_manifest(buf_t *o, lang_t lang);

#endif
