/*
 * media.h: files a citizen sends with a survey (an `image` question).
 * What a file is comes from its bytes, never from the name or the
 * Content-Type the browser sent; an image is decoded and written again as
 * a new JPEG of at most MEDIA_IMAGE_SIDE pixels on its long side, turned
 * upright as its EXIF orientation says, so that nothing of the original
 * file survives: no EXIF (a phone photo's holds where it was taken and the
 * phone's model), no comments, no trailing bytes.
 *
 * Used by service/submit.c; the tests build JPEGs with EXIF to check it.
 */
#ifndef BUZON_MODEL_MEDIA_H
#define BUZON_MODEL_MEDIA_H

#include <stddef.h>

#include "base/buf.h"
#include "model/form.h"

/* Whether form f has a question answered with a file (image). */
bool media_form_has(const form_t *f);

/* The long side of a stored image, in pixels. */
#define MEDIA_IMAGE_SIDE 1600
/* Declared dimensions beyond these are refused before any pixel memory is
 * taken (a small file can claim 65535 x 65535 pixels). A JPEG is decoded
 * already scaled down by libjpeg (1/2 to 1/8), so it may be larger than a
 * PNG, which is decoded whole. */
#define MEDIA_JPEG_PIXELS_MAX (50u * 1000 * 1000)
#define MEDIA_PNG_PIXELS_MAX  (24u * 1000 * 1000)
/* More progressive scans than any camera or web encoder writes (about 10):
 * a CPU bomb. Every scan walks the whole image, so the work is bounded too:
 * scans times the image's samples (a 12 MP phone photo of 10 scans is
 * 0.36e9; 200 scans of 49 MP took 7.9 s). */
#define MEDIA_JPEG_SCANS_MAX 40
#define MEDIA_JPEG_WORK_MAX  1200000000ull
/* A progressive JPEG keeps the coefficients of the whole full-size image
 * whatever the scaling (2 bytes a sample): a 706-byte file claiming
 * 7000 x 7000 took 300 MB. Beyond this it is refused, and libjpeg is
 * never given more memory than this. */
#define MEDIA_JPEG_MEM_MAX   (160ull << 20)

typedef enum media_kind {
    MEDIA_UNKNOWN,
    MEDIA_JPEG,
    MEDIA_PNG,
    MEDIA_WEBP,
} media_kind_t;

/* What the first bytes of data say it is. */
media_kind_t media_sniff(const void *data, size_t len);
/* The Content-Type of a kind ("image/jpeg"), or "application/octet-stream". */
const char *media_kind_type(media_kind_t k);

typedef enum media_rc {
    MEDIA_OK,
    MEDIA_NOT_IMAGE,   /* neither JPEG nor PNG (WebP included: not decoded here) */
    MEDIA_TOO_BIG,     /* declared dimensions over the limits (a bomb) */
    MEDIA_BROKEN,      /* a JPEG or PNG that does not decode */
} media_rc_t;

/* The EXIF orientation (1..8) of a JPEG's APP1 segment body exif (from
 * "Exif\0\0" on), or 1 when absent or unreadable. */
int media_exif_orientation(const unsigned char *exif, size_t len);

/* Decode the JPEG or PNG in data and append to out a new baseline JPEG of
 * it, upright, scaled down to at most MEDIA_IMAGE_SIDE on its long side
 * (never up), without any metadata; transparency is laid on white. On
 * success *w and *h (may be NULL) are the new size. On failure out is left
 * as it was. Thread-safe; takes at most ~3 bytes per declared pixel. */
media_rc_t media_image_clean(const void *data, size_t len, buf_t *out, unsigned *w, unsigned *h);

#endif
