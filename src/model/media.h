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

/* ---- issue 16: audio, video and file questions (media_av.c) ---- */

/* Per file: a recording, a film, any other file (and a photo). */
#define MEDIA_AUDIO_MAX (10u * 1024 * 1024)
#define MEDIA_VIDEO_MAX (20u * 1024 * 1024)
#define MEDIA_FILE_MAX  (5u * 1024 * 1024)
/* A whole submission with files, unless a larger file needs more. */
#define MEDIA_BODY_MAX  (10u * 1024 * 1024)

/* Whether a question of type qtype (qtype_t) is answered with a file. */
bool media_is_upload(int qtype);
/* The largest file a question of type qtype takes, in bytes. */
size_t media_max_bytes(int qtype);
/* The largest body a submission of f may be: MEDIA_BODY_MAX, or the
 * largest file its questions take with 4 MB for the rest. */
size_t media_form_body_max(const form_t *f);
/* Whether f has an audio, video or file question. */
bool media_form_has_av(const form_t *f);
/* What data is by its bytes: a kind number (0: nothing buzon keeps), whose
 * Content-Type media_av_type gives ("application/octet-stream" for 0). */
int media_av_sniff(const void *data, size_t len);
const char *media_av_type(int kind);

/* The file of a question of type qtype (Q_AUDIO, Q_VIDEO, Q_FILE; accept:
 * a file question's body::accept list, or NULL), checked by its bytes and
 * appended to out as it is stored: an MP3 without its ID3 tags, an
 * MP4/MOV/3GP with its udta and meta boxes turned into zeroed free boxes,
 * an image re-encoded (media_image_clean), anything else as it came.
 * *type and *ext (static strings) are its Content-Type and file name
 * ending (".mp3"). MEDIA_NOT_IMAGE: not a kind this question takes;
 * MEDIA_BROKEN: a container that does not hold together. On failure out
 * is left as it was. */
media_rc_t media_file_clean(int qtype, const char *accept, const void *data, size_t len, buf_t *out,
                            const char **type, const char **ext);

#endif
