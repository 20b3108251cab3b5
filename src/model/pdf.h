/*
 * pdf.h: SVG pages into one PDF document (issue 17: the paper
 * questionnaire), drawn with librsvg on a cairo PDF surface, as the poster's
 * PNG is (poster_png.c): the PDF is the SVG itself, vector text and all,
 * so the two never differ.
 */
#ifndef BUZON_PDF_H
#define BUZON_PDF_H

#include <stddef.h>

#include "base/buf.h"

/* Append to out a PDF with one A4 page per SVG of pages[0..n) (each a
 * complete document whose size is A4). Returns 0, or -1 when an SVG could
 * not be read or cairo failed (out then holds nothing worth keeping). */
int pdf_from_svgs(buf_t *out, const buf_t *pages, size_t n);

#endif
