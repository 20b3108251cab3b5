/*
 * paper.h: the paper questionnaire (issue 17 item 3): a form laid out on A4
 * pages as SVG, for people who answer with a pen. Each page is one SVG
 * document (210 x 297 mm); `buzon paper` joins them into one PDF
 * (model/pdf.h).
 *
 * What a page holds: the Ayuntamiento's name, the form's title, the point,
 * a short code naming form, version, point and language (paper_code), and
 * on the first page a QR code of the point's short link to answer online
 * instead; then the form's notes (its privacy notice, Ley 172-13) and
 * questions in the form's order, numbered, with tick boxes (one per choice),
 * lines to write on, boxes for digits and DD/MM/AAAA boxes for dates. A
 * question that applies only after one answer to one earlier question
 * turns into a skip instruction on that earlier question ("Si respondió
 * «No», pase a la pregunta 7"); other conditions are written under the
 * question in the words the no-JavaScript page uses. Questions paper
 * cannot take (photos, recordings, places, files, calculations) are left
 * out, and so is a select_one that only asks consent for them (every
 * question whose relevance names it is one of those). A repeat is printed
 * once per instance, each headed by its label and number ("Persona 2"):
 * its repeat_count when that is a whole number, else three blocks and
 * "Si hay más, use otra hoja".
 *
 * Black and white only, text at 11 pt or more, boxes drawn with 0.5 mm
 * lines: a cheap printer's copy of a copy stays readable.
 */
#ifndef BUZON_PAPER_H
#define BUZON_PAPER_H

#include <stddef.h>

#include "base/buf.h"
#include "base/i18n.h"
#include "model/form.h"
#include "model/points.h"

/* Append the short code of f's paper at pt (NULL: no point) in lang,
 * "<form>-<version>-<point>-<lang>", e.g.
 * "satisfaccion-2024.1-mercado-municipal-ht" ("sin-version", "todos" when
 * those are missing): what a clerk types to enter the answers. */
void paper_code(buf_t *out, const form_t *f, const point_t *pt, lang_t lang);

/* Lay out f at pt (NULL allowed) in lang, the QR code pointing to link
 * (the point's short link). Returns the number of pages (>= 1) and sets
 * *pages to a malloc'd array of that many buffers, each a complete SVG
 * document; the caller frees each with buf_free and the array with free.
 * Returns 0 (and *pages NULL) when link does not fit in a QR code. */
size_t paper_svg(buf_t **pages, const form_t *f, const point_t *pt, lang_t lang, const char *link);

#endif
