/*
 * gz.c: see gz.h.
 */
#include "base/gz.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

/* Append the deflate of [data, data+len) to out, ended with flush:
 * Z_FINISH closes the stream, Z_SYNC_FLUSH leaves it open at a byte
 * boundary. window_bits as zlib takes them: 15 + 16 for a gzip member,
 * -15 for raw deflate. On failure out keeps its old length. */
static bool deflate_to(const void *data, size_t len, int level, int window_bits, int flush,
                       buf_t *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, level, Z_DEFLATED, window_bits, 9, Z_DEFAULT_STRATEGY) != Z_OK) return false;
    size_t start = out->len;
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    int rc;
    do {
        unsigned char chunk[4096];
        z.next_out = chunk;
        z.avail_out = sizeof chunk;
        rc = deflate(&z, flush);
        buf_append(out, chunk, sizeof chunk - z.avail_out);
    } while (rc == Z_OK && (z.avail_in || z.avail_out == 0));
    deflateEnd(&z);
    bool ok = flush == Z_FINISH ? rc == Z_STREAM_END : rc == Z_OK;
    if (!ok) {
        out->len = start;
        if (out->data) out->data[start] = '\0';
    }
    return ok;
}

bool gz_compress(const void *data, size_t len, buf_t *out)
{
    /* Level 6 is zlib's sweet spot of size against time (per response). */
    return deflate_to(data, len, 6, 15 + 16, Z_FINISH, out);
}

/* The raw deflate of [data, data+len), at level 9: this runs once per
 * cached page. */
static bool deflate_raw(const void *data, size_t len, int flush, buf_t *out)
{
    return deflate_to(data, len, 9, -15, flush, out);
}

static void put_le32(unsigned char *p, unsigned long v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

bool gz_splice_init(gz_splice_t *g, const void *prefix, size_t prefix_len,
                    const void *suffix, size_t suffix_len)
{
    memset(g, 0, sizeof *g);
    buf_init(&g->head);
    buf_init(&g->tail);
    /* gzip header: magic, deflate, no flags, no time, no extra flags, Unix. */
    static const unsigned char hdr[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
    buf_append(&g->head, hdr, sizeof hdr);
    if (!deflate_raw(prefix, prefix_len, Z_SYNC_FLUSH, &g->head) ||
        !deflate_raw(suffix, suffix_len, Z_FINISH, &g->tail)) {
        gz_splice_free(g);
        return false;
    }
    g->crc_prefix = crc32(0L, prefix, (uInt)prefix_len);
    g->crc_suffix = crc32(0L, suffix, (uInt)suffix_len);
    g->op_suffix = crc32_combine_gen((z_off_t)suffix_len);
    g->total_fixed = prefix_len + suffix_len;
    return true;
}

void gz_splice_free(gz_splice_t *g)
{
    buf_free(&g->head);
    buf_free(&g->tail);
    memset(g, 0, sizeof *g);
}

/* A stored block holds at most 65535 bytes, behind a 5-byte header. */
#define STORED_MAX 65535u

size_t gz_splice_size(const gz_splice_t *g, size_t mid_len)
{
    size_t blocks = (mid_len + STORED_MAX - 1) / STORED_MAX;
    return g->head.len + blocks * 5 + mid_len + g->tail.len + 8;
}

void gz_splice_write(const gz_splice_t *g, const void *mid, size_t mid_len, buf_t *out)
{
    assert(g->head.len && g->tail.len);
    buf_reserve(out, gz_splice_size(g, mid_len));
    buf_append(out, g->head.data, g->head.len);
    /* The head ends at a byte boundary (sync flush), so mid goes in as
     * stored, non-final blocks: BFINAL=0 BTYPE=00, LEN, NLEN. */
    const unsigned char *m = mid;
    for (size_t left = mid_len; left; ) {
        unsigned n = left > STORED_MAX ? STORED_MAX : (unsigned)left;
        unsigned char bh[5] = { 0, (unsigned char)n, (unsigned char)(n >> 8),
                                (unsigned char)~n, (unsigned char)(~n >> 8) };
        buf_append(out, bh, sizeof bh);
        buf_append(out, m, n);
        m += n;
        left -= n;
    }
    buf_append(out, g->tail.data, g->tail.len);
    /* (zlib's crc32 of a NULL buffer is its initial value, not crc.) */
    unsigned long crc = mid_len ? crc32(g->crc_prefix, mid, (uInt)mid_len) : g->crc_prefix;
    crc = crc32_combine_op(crc, g->crc_suffix, g->op_suffix);
    unsigned char trailer[8];
    put_le32(trailer, crc);
    put_le32(trailer + 4, (unsigned long)(g->total_fixed + mid_len));
    buf_append(out, trailer, sizeof trailer);
}

bool gz_accepted(const char *ae)
{
    /* Accept-Encoding: "gzip, deflate, br", "deflate, gzip;q=0.5",
     * "gzip;Q=0" (refused), "x-gzip", "*". Codings and parameter names are
     * case-insensitive (RFC 9110 12.5.3). */
    if (!ae) return false;
    int gzip = -1, star = -1;         /* -1 not listed, else accepted (q > 0) */
    const char *p = ae;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',') p++;
        if (!*p) break;
        const char *tok = p;
        while (*p && *p != ',' && *p != ';' && *p != ' ' && *p != '\t') p++;
        size_t n = (size_t)(p - tok);
        const char *end = strchr(p, ',');
        if (!end) end = p + strlen(p);
        double q = 1.0;
        for (const char *s = p; s < end; s++) {
            if (*s != ';') continue;
            const char *k = s + 1;
            while (*k == ' ' || *k == '\t') k++;
            if ((*k == 'q' || *k == 'Q') && k[1] == '=') q = strtod(k + 2, NULL);
        }
        if ((n == 4 && !strncasecmp(tok, "gzip", 4)) || (n == 6 && !strncasecmp(tok, "x-gzip", 6)))
            gzip = q > 0.0;
        else if (n == 1 && *tok == '*')
            star = q > 0.0;
        p = end;
    }
    return gzip >= 0 ? gzip == 1 : star == 1;
}
