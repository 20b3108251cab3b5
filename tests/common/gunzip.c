/*
 * gunzip.c: see gunzip.h.
 */
#include "gunzip.h"

#include <string.h>
#include <zlib.h>

int gunzip(const void *data, size_t len, buf_t *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 16) != Z_OK) return Z_MEM_ERROR;
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    int rc;
    do {
        unsigned char chunk[4096];
        z.next_out = chunk;
        z.avail_out = sizeof chunk;
        rc = inflate(&z, Z_NO_FLUSH);
        buf_append(out, chunk, sizeof chunk - z.avail_out);
    } while (rc == Z_OK);
    if (rc == Z_STREAM_END && z.avail_in) rc = Z_DATA_ERROR;   /* trailing bytes */
    if (rc == Z_BUF_ERROR) rc = Z_DATA_ERROR;                  /* cut short */
    inflateEnd(&z);
    return rc;
}
