/*
 * gunzip.h: inflate a gzip member as a browser does, for tests of what
 * buzon sends gzipped.
 */
#ifndef BUZON_TEST_GUNZIP_H
#define BUZON_TEST_GUNZIP_H

#include <stddef.h>
#include "base/buf.h"

/* Inflate one gzip member (zlib checks its header, CRC-32 and length)
 * and append the bytes to out. Returns zlib's final code: Z_STREAM_END
 * when the member was whole and nothing followed it. */
int gunzip(const void *data, size_t len, buf_t *out);

#endif
