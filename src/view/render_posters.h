/*
 * render_posters.h: the staff's posters page (/carteles): for every form,
 * a table with one row per service point and one for the form alone,
 * each with its short link (the text every QR code encodes) and links to
 * the poster files (A4 and half-size SVG for print, PNG for WhatsApp, the
 * bare QR code), which http/http_posters.c serves.
 *
 * Same rules as render_staff.h (staff chrome, every value escaped, every
 * text from the strings tables). Sees base/ and model/ only.
 */
#ifndef BUZON_RENDER_POSTERS_H
#define BUZON_RENDER_POSTERS_H

#include <stdbool.h>

#include "base/buf.h"
#include "model/catalog.h"
#include "view/render_staff.h"

/* Append the posters page for v's member of staff: the forms and points
 * of cat, links on base_url (the site's public address); loopback: that
 * address is this machine's (url_is_loopback), which no phone can open,
 * so the page warns first. The caller owns out and every argument. */
void render_posters(buf_t *out, const staff_view_t *v, bool public_indicators, const catalog_t *cat,
                    const char *base_url, bool loopback);

#endif
