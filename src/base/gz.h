/*
 * gz.h: gzip for responses. A survey page is ~12 KB of repetitive HTML and
 * ~3 KB gzipped: on 2G that is the difference between one round trip and
 * two. Uses zlib.
 */
#ifndef BUZON_GZ_H
#define BUZON_GZ_H

#include <stdbool.h>
#include <stddef.h>
#include "base/buf.h"

/* Compress [data, data+len) into out (appended) as a gzip member. Returns
 * false on a zlib failure (out is then unchanged in length). */
bool gz_compress(const void *data, size_t len, buf_t *out);

/* A gzip member for prefix + mid + suffix, where prefix and suffix are
 * fixed and mid changes on every use (a survey page and its per-visit
 * hidden fields). prefix and suffix are compressed once, as independent
 * raw deflate streams; each use copies them around mid, sent as a stored
 * block, and combines the CRC: no compression per request. The member
 * is a few hundred bytes larger than compressing the whole at once (the
 * suffix cannot refer back into the prefix). */
typedef struct gz_splice {
    buf_t         head;          /* gzip header + prefix, sync-flushed */
    buf_t         tail;          /* suffix, final block */
    unsigned long crc_prefix;    /* CRC-32 of the prefix */
    unsigned long crc_suffix;    /* CRC-32 of the suffix */
    unsigned long op_suffix;     /* crc32_combine_gen(suffix length) */
    size_t        total_fixed;   /* prefix + suffix length */
} gz_splice_t;

/* Compress prefix and suffix into g. Returns false on a zlib failure (g
 * is then empty, and gz_splice_free is still safe). */
bool gz_splice_init(gz_splice_t *g, const void *prefix, size_t prefix_len,
                    const void *suffix, size_t suffix_len);
void gz_splice_free(gz_splice_t *g);
/* Bytes gz_splice_write appends for a mid of mid_len bytes. */
size_t gz_splice_size(const gz_splice_t *g, size_t mid_len);
/* Append the gzip member of prefix + mid + suffix to out. */
void gz_splice_write(const gz_splice_t *g, const void *mid, size_t mid_len, buf_t *out);

/* True when an Accept-Encoding header value accepts gzip (q > 0). */
bool gz_accepted(const char *accept_encoding);

#endif
