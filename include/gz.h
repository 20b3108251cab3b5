/*
 * gz.h: gzip for responses. A survey page is ~12 KB of repetitive HTML and
 * ~3 KB gzipped: on 2G that is the difference between one round trip and
 * two. Uses zlib.
 */
#ifndef BUZON_GZ_H
#define BUZON_GZ_H

#include <stdbool.h>
#include <stddef.h>
#include "buf.h"

/* Compress [data, data+len) into out (appended) as a gzip member. Returns
 * false on a zlib failure (out is then unchanged in length). */
bool gz_compress(const void *data, size_t len, buf_t *out);
/* True when an Accept-Encoding header value accepts gzip (q > 0). */
bool gz_accepted(const char *accept_encoding);

#endif
