/*
 * poster.h: the printable poster of a survey at a service point: the
 * Ayuntamiento's name, a headline, what the survey is about (the form's
 * title), the point's name, a large QR code of the point's short link, the
 * link in letters for people who type it, and "anonymous, about a minute";
 * in Spanish with a Kreyòl line under each Spanish one.
 *
 * The SVG is the master: vector, print-ready, text in fonts every stock
 * machine has ("DejaVu Sans" first: it is on every Debian, and the text is
 * measured with its advance widths so it wraps before the margin; Liberation
 * Sans and Arial, the fallbacks, are narrower). The PNG is that same SVG
 * rasterised with librsvg and cairo (the libraries behind rsvg-convert), so
 * the two never drift apart and text gets real shaping and hinting, which a
 * home-made FreeType renderer would have to reimplement.
 *
 * Sizes: A4 portrait (210 x 297 mm), or "half" = A5 portrait (148 x 210 mm),
 * half an A4 sheet: the same design scaled by 148/210 (A4 and A5 have the
 * same proportions), so the QR code (quiet zone included) stays 60-125 mm
 * on A4, 42-88 mm on A5.
 * The QR code takes whatever height the texts leave, so long titles shrink
 * it a little rather than overflow the page.
 *
 * Thread safety: the functions keep no state of their own (one librsvg
 * handle per call); fontconfig and pango, underneath, lock their caches.
 */
#ifndef BUZON_POSTER_H
#define BUZON_POSTER_H

#include <stdbool.h>

#include "base/buf.h"
#include "model/form.h"
#include "model/points.h"
#include "model/qr.h"

/* Width of the PNG poster: WhatsApp's largest image width, sharp on any
 * phone and still a small file. */
#define POSTER_PNG_WIDTH 1080

typedef enum poster_size { POSTER_A4, POSTER_HALF } poster_size_t;

typedef struct poster_opts {
    const char   *base_url;   /* "http://localhost:8080"; links are
                                 base_url + "/q/" + code */
    poster_size_t size;
    qr_ec_t       ec;
    int           png_width;  /* pixels; 0 means POSTER_PNG_WIDTH */
} poster_opts_t;

/* Append the short link of form f at point pt (NULL: the form alone). */
void poster_link(buf_t *out, const char *base_url, const form_t *f, const point_t *pt);

/* Append the poster of form f at point pt (NULL: a poster for the form
 * alone, "all services") as an SVG document. Returns the QR version used
 * (1..40: callers warn above QR_VERSION_WARN), or -1 with errno ERANGE when
 * the link is too long for any QR code (out is then unchanged). */
int poster_svg(buf_t *out, const form_t *f, const point_t *pt, const poster_opts_t *o);

/* The same poster as a PNG o->png_width pixels wide (RGB, white
 * background). Returns the QR version as poster_svg does, or -1 (errno
 * ERANGE: link too long; EIO: rendering failed; out then holds nothing
 * new worth keeping). */
int poster_png(buf_t *out, const form_t *f, const point_t *pt, const poster_opts_t *o);

/* Append the bare QR code of the short link of f at pt (poster_link on
 * o->base_url), at error correction o->ec, for other documents: an SVG
 * (qr_svg: one millimetre per module), or with png a PNG with the largest
 * whole number of pixels per module that keeps it within o->png_width
 * (0: POSTER_PNG_WIDTH) pixels. o->size is not used. Returns the QR
 * version as poster_svg does, or -1 (errno ERANGE: link too long; EIO:
 * the PNG failed; out then holds nothing worth keeping). The web
 * (/carteles/<form>.svg?qr=1) and `buzon poster --format qr-svg|qr-png`
 * both draw it here. */
int poster_qr(buf_t *out, const form_t *f, const point_t *pt, const poster_opts_t *o, bool png);

/* Append the file name of a poster or bare code (qr_only), one per
 * variant so that saving twenty of them gives twenty files:
 * cartel-<form>[-<point>][-qr|-media].<svg|png> ("-media": size is
 * POSTER_HALF). Form and point ids are plain identifiers (checked when
 * the forms folder is loaded), safe in a file name and in a
 * Content-Disposition header.
 * Used for the web's downloads and `buzon poster`'s default output. */
void poster_file_name(buf_t *out, const form_t *f, const point_t *pt, bool qr_only, poster_size_t size,
                      bool png);

/* issue 17: width of s in DejaVu Sans (bold: Bold) at size 1, in the
 * unit of the size, as the poster measures its lines; for other printed
 * documents (the paper questionnaire) that wrap text the same way. */
double poster_text_width(const char *s, bool bold);

#endif
