/*
 * testjpeg.h: photos as a phone would send them, made in the test: a JPEG
 * written with libjpeg plus an APP1 Exif segment holding an orientation,
 * the phone's model and a GPS position, so tests can check that what
 * buzon stores has none of it and is upright.
 */
#ifndef BUZON_TESTJPEG_H
#define BUZON_TESTJPEG_H

#include <stdbool.h>

#include "base/buf.h"

/* The model string and a GPS latitude byte run written into the Exif. */
#define TJ_MODEL "BuzonTestPhone X1"

/* Append to out a w x h JPEG whose left half is red and right half blue,
 * with an Exif APP1 (orientation o, 1..8; model TJ_MODEL; a GPS IFD with
 * 18.81 N, 71.70 W) when exif. */
void tj_jpeg(buf_t *out, unsigned w, unsigned h, int o, bool exif);
/* Append to out a w x h RGBA PNG, half transparent. */
void tj_png(buf_t *out, unsigned w, unsigned h);
/* Decode the JPEG in data: its size, and the RGB of pixel (x, y) in rgb.
 * Returns false when it does not decode. */
bool tj_pixel(const void *data, size_t len, unsigned x, unsigned y,
              unsigned *w, unsigned *h, unsigned char rgb[3]);
/* Whether data holds the bytes of needle (memmem). */
bool tj_has(const void *data, size_t len, const void *needle, size_t nlen);

#endif
