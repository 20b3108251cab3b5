/*
 * render_cases.h: the citizen's side of a case (render_cases.c): the box
 * with the tracking code on the thank-you page, and the /seguimiento pages.
 *
 * Nothing personal is ever shown (anyone holding the code can open the
 * page): only the kind, the service, the dates, the status and the
 * Ayuntamiento's public answer. Same rules as render.h: complete without
 * JavaScript, every value escaped, every text from the strings tables.
 * The staff's side of cases is render_staff.h.
 *
 * Both functions append to out; the caller owns out and every argument.
 */
#ifndef BUZON_RENDER_CASES_H
#define BUZON_RENDER_CASES_H

#include "base/buf.h"
#include "base/i18n.h"
#include "model/cases.h"
#include "model/catalog.h"

/* The box on the thank-you page: the code and how to follow the case, a
 * link on base_url (the site's address without a trailing '/'). */
void render_case_receipt(buf_t *out, const char *base_url, lang_t lang, const case_rec_t *c);
/* /seguimiento: the case's public status and answer (c non-NULL), or the
 * form to type a code, with a "not found" notice when typed is non-NULL. */
void render_track(buf_t *out, const catalog_t *cat, lang_t lang, const case_rec_t *c,
                  const char *typed);

#endif
