/*
 * urlenc.h: strict parsing of application/x-www-form-urlencoded bodies into
 * an ordered list of key/value pairs. Strict because the server must answer
 * malformed input with 400 rather than guess: a '%' not followed by two hex
 * digits, a NUL byte, or text that is not valid UTF-8 after decoding is an
 * error. '+' decodes to a space. Empty pairs ("a=1&&b=2") are skipped; a
 * key without '=' has an empty value.
 */
#ifndef BUZON_URLENC_H
#define BUZON_URLENC_H

#include <stddef.h>

typedef struct kv {
    char *key, *val;   /* decoded, NUL-terminated, owned by the list */
} kv_t;

typedef struct kvlist {
    kv_t  *items;
    size_t n, cap;
} kvlist_t;

typedef enum urlenc_rc {
    URLENC_OK = 0,
    URLENC_MALFORMED,      /* bad percent escape or NUL byte */
    URLENC_BAD_UTF8,
    URLENC_TOO_MANY,       /* more than max_fields pairs */
    URLENC_TOO_LONG,       /* a key or value longer than max_len bytes */
} urlenc_rc_t;

/* Parse body[0..len). On URLENC_OK, out holds the pairs (caller frees with
 * kvlist_free, also on error: out is always left freeable). */
urlenc_rc_t urlenc_parse(const char *body, size_t len, size_t max_fields,
                         size_t max_len, kvlist_t *out);
void kvlist_free(kvlist_t *l);
/* First value for key, or NULL. */
const char *kvlist_get(const kvlist_t *l, const char *key);

#endif
