/*
 * gz.c: see gz.h.
 */
#include "gz.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

bool gz_compress(const void *data, size_t len, buf_t *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    /* 15 + 16: a gzip header rather than zlib's; level 6 is zlib's sweet
     * spot of size against time. */
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
    uLong bound = deflateBound(&z, (uLong)len);
    size_t start = out->len;
    buf_append(out, NULL, 0);            /* make sure data exists */
    out->data = xrealloc(out->data, start + bound + 1);
    out->cap = start + bound + 1;
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out->data + start;
    z.avail_out = (uInt)bound;
    int rc = deflate(&z, Z_FINISH);
    size_t produced = bound - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) return false;
    out->len = start + produced;
    out->data[out->len] = '\0';
    return true;
}

bool gz_accepted(const char *ae)
{
    if (!ae) return false;
    for (const char *p = ae; (p = strcasestr(p, "gzip")); p += 4) {
        if (p != ae && (isalnum((unsigned char)p[-1]) || p[-1] == '-')) continue;
        const char *q = p + 4;
        while (*q == ' ') q++;
        if (*q == ';') {
            const char *qv = strstr(q, "q=");
            const char *comma = strchr(q, ',');
            if (qv && (!comma || qv < comma) && strtod(qv + 2, NULL) <= 0.0) return false;
        }
        return true;
    }
    return false;
}
