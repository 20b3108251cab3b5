/*
 * qr.h: QR symbols for posters and documents, through libqrencode, and
 * their two renderings: an SVG path (vector, for print) and a PNG (libpng,
 * one bit per pixel, every module an exact square of pixels).
 *
 * Encoding is always case-sensitive (libqrencode's casesensitive=0 would
 * upper-case the URL, and a path is case-sensitive); libqrencode chooses
 * the smallest version that holds the text at the requested error
 * correction level and the best mask. M (about 15% of the symbol may be
 * lost) is the default for posters; Q (25%) suits places where posters get
 * dirty or torn, at the price of a larger version for the same text.
 *
 * Every rendering includes the QR_QUIET-module white margin the standard
 * requires; without it, a poster's border or a dark wall behind a cut-out
 * code stops many phone readers.
 */
#ifndef BUZON_QR_H
#define BUZON_QR_H

#include "base/buf.h"

/* Quiet zone on each side, in modules (ISO/IEC 18004: at least 4). */
#define QR_QUIET 4
/* Largest version a poster link should need: a version-3 symbol (29
 * modules) keeps modules big when printed small and reads at a glance on
 * cheap cameras. Links that need more are warned about, not refused. */
#define QR_VERSION_WARN 3

typedef enum qr_ec { QR_EC_M, QR_EC_Q } qr_ec_t;

typedef struct qr {
    int version;           /* 1..40 */
    int width;             /* modules per side, quiet zone excluded */
    unsigned char *dark;   /* width*width bytes, row-major, 1 = dark */
} qr_t;

/* Encode text (NUL-terminated, bytes as given). Returns 0 and fills *out
 * (caller frees with qr_free), or -1 with errno set (ERANGE: too long for
 * any version; EINVAL: empty text). */
int qr_encode(const char *text, qr_ec_t ec, qr_t *out);
void qr_free(qr_t *q);

/* Side of the symbol in modules, quiet zone included. */
int qr_size(const qr_t *q);

/* Append the SVG path data ("M..h..v..z" runs) of the dark modules, one
 * unit per module, the symbol's top-left module at (QR_QUIET, QR_QUIET):
 * the caller places it with a transform and paints the quiet zone. */
void qr_svg_path(buf_t *out, const qr_t *q);

/* Append a standalone SVG document of the symbol with its quiet zone, one
 * millimetre per module, black on white, crisp edges. */
void qr_svg(buf_t *out, const qr_t *q);

/* Append a 1-bit grayscale PNG of the symbol with its quiet zone, each
 * module scale x scale pixels (scale >= 1). Returns 0, or -1 if libpng
 * failed (out then holds a partial image the caller discards). */
int qr_png(buf_t *out, const qr_t *q, int scale);

#endif
