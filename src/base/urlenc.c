/*
 * urlenc.c: the form-body parser (see urlenc.h). It is on the path of
 * every untrusted byte a citizen's phone sends, so it decodes in one pass
 * with explicit limits and no assumptions about termination of the input.
 */
#include "base/urlenc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/utf8.h"

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decode [s, s+n) into a new string in *out. */
static urlenc_rc_t decode(const char *s, size_t n, size_t max_len, char **out)
{
    char *d = xmalloc(n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            if (n - i < 3) { free(d); return URLENC_MALFORMED; }
            int h = hexval((unsigned char)s[i + 1]), l = hexval((unsigned char)s[i + 2]);
            if (h < 0 || l < 0) { free(d); return URLENC_MALFORMED; }
            c = (unsigned char)(h * 16 + l);
            i += 2;
        }
        if (c == '\0') { free(d); return URLENC_MALFORMED; }
        d[j++] = (char)c;
    }
    d[j] = '\0';
    if (j > max_len) { free(d); return URLENC_TOO_LONG; }
    if (!utf8_valid(d, j)) { free(d); return URLENC_BAD_UTF8; }
    *out = d;
    return URLENC_OK;
}

urlenc_rc_t urlenc_parse(const char *body, size_t len, size_t max_fields,
                         size_t max_len, kvlist_t *out)
{
    memset(out, 0, sizeof *out);
    size_t pos = 0;
    while (pos < len) {
        const char *start = body + pos;
        const char *amp = memchr(start, '&', len - pos);
        size_t plen = amp ? (size_t)(amp - start) : len - pos;
        pos += plen + 1;
        if (plen == 0) continue;
        if (out->n == max_fields) return URLENC_TOO_MANY;

        const char *eq = memchr(start, '=', plen);
        size_t klen = eq ? (size_t)(eq - start) : plen;
        char *k = NULL, *v = NULL;
        urlenc_rc_t rc = decode(start, klen, max_len, &k);
        if (rc != URLENC_OK) return rc;
        rc = eq ? decode(eq + 1, plen - klen - 1, max_len, &v) : (v = xstrdup(""), URLENC_OK);
        if (rc != URLENC_OK) { free(k); return rc; }

        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 16;
            out->items = xrealloc(out->items, out->cap * sizeof *out->items);
        }
        out->items[out->n].key = k;
        out->items[out->n].val = v;
        out->n++;
    }
    return URLENC_OK;
}

void kvlist_free(kvlist_t *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].key);
        free(l->items[i].val);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

const char *kvlist_get(const kvlist_t *l, const char *key)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->items[i].key, key))
            return l->items[i].val;
    return NULL;
}
