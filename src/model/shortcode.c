/*
 * shortcode.c: stable short codes for (form, point) pairs, their lookup and
 * the collision check. The scheme and its reasons are in shortcode.h.
 */
#include "model/shortcode.h"

#include <assert.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "base/url.h"

#define ALPHABET_SIZE (sizeof SHORTCODE_ALPHABET - 1)

void shortcode_make(const char *form_id, const char *point_id,
                    char out[SHORTCODE_LEN + 1])
{
    assert(form_id && *form_id);
    assert(!point_id || *point_id);
    /* sodium_init() picks the fastest BLAKE2b; idempotent and thread-safe. */
    if (sodium_init() < 0) abort();

    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 8);
    crypto_generichash_update(&st, (const unsigned char *)form_id, strlen(form_id));
    if (point_id) {
        crypto_generichash_update(&st, (const unsigned char *)"\n", 1);
        crypto_generichash_update(&st, (const unsigned char *)point_id, strlen(point_id));
    }
    unsigned char h[8];
    crypto_generichash_final(&st, h, sizeof h);

    /* Little-endian read so the code does not depend on the host's order.
     * 2^64 / 30^6 is about 2.5e10, so the modulo bias is negligible. */
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | h[i];
    for (int i = 0; i < SHORTCODE_LEN; i++) {
        out[i] = SHORTCODE_ALPHABET[v % ALPHABET_SIZE];
        v /= ALPHABET_SIZE;
    }
    out[SHORTCODE_LEN] = '\0';
}

int shortcode_normalize(const char *s, char out[SHORTCODE_LEN + 1])
{
    assert(s);
    if (strlen(s) != SHORTCODE_LEN) return -1;
    for (int i = 0; i < SHORTCODE_LEN; i++) {
        char c = (char)toupper((unsigned char)s[i]);
        if (!c || !strchr(SHORTCODE_ALPHABET, c)) return -1;
        out[i] = c;
    }
    out[SHORTCODE_LEN] = '\0';
    return 0;
}

/* One (form, point-or-NULL) pair and its code. */
typedef struct pair {
    char code[SHORTCODE_LEN + 1];
    const form_t  *form;
    const point_t *point;
    size_t seq;            /* position in all_pairs order, for sorting */
} pair_t;

/* Every current pair with its code; caller frees. Forms-alone first, then
 * each form with each point, so diagnostics read in a natural order. */
static pair_t *all_pairs(form_t *const *forms, size_t nforms,
                         const points_t *pts, size_t *n)
{
    size_t np = pts ? pts->npoints : 0;
    pair_t *v = xcalloc(nforms * (np + 1), sizeof *v);
    size_t k = 0;
    for (size_t f = 0; f < nforms; f++) {
        for (size_t p = 0; p <= np; p++) {
            const point_t *pt = p ? &pts->points[p - 1] : NULL;
            v[k].form = forms[f];
            v[k].point = pt;
            v[k].seq = k;
            shortcode_make(forms[f]->id, pt ? pt->id : NULL, v[k].code);
            k++;
        }
    }
    *n = k;
    return v;
}

int shortcode_resolve(const char *code, form_t *const *forms, size_t nforms,
                      const points_t *pts, const form_t **form,
                      const point_t **point)
{
    char want[SHORTCODE_LEN + 1];
    if (shortcode_normalize(code, want) < 0) return -1;
    size_t n;
    pair_t *v = all_pairs(forms, nforms, pts, &n);
    int rc = -1;
    for (size_t i = 0; i < n && rc < 0; i++) {
        if (strcmp(want, v[i].code)) continue;
        *form = v[i].form;
        *point = v[i].point;
        rc = 0;
    }
    free(v);
    return rc;
}

static void describe(buf_t *b, const pair_t *p)
{
    buf_printf(b, "form %s", p->form->id);
    if (p->point) buf_printf(b, " point %s", p->point->id);
}

static int by_code(const void *a, const void *b)
{
    const pair_t *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    /* Tie-break so equal codes keep the all_pairs order in messages. */
    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

size_t shortcode_check(form_t *const *forms, size_t nforms,
                       const points_t *pts, diag_t *d)
{
    size_t n;
    pair_t *v = all_pairs(forms, nforms, pts, &n);
    qsort(v, n, sizeof *v, by_code);
    size_t found = 0;
    for (size_t i = 1; i < n; i++) {
        if (strcmp(v[i - 1].code, v[i].code)) continue;
        buf_t b;
        buf_init(&b);
        buf_printf(&b, "short code %s is shared by ", v[i].code);
        describe(&b, &v[i - 1]);
        buf_puts(&b, " and ");
        describe(&b, &v[i]);
        buf_puts(&b, ": rename one of these ids");
        d->lines = xrealloc(d->lines, (d->n + 1) * sizeof *d->lines);
        d->lines[d->n++] = buf_steal(&b);
        found++;
    }
    free(v);
    return found;
}

void shortcode_url(buf_t *out, const char *base_url, const char *code)
{
    buf_append(out, base_url, url_base_len(base_url));
    buf_puts(out, "/q/");
    buf_puts(out, code);
}

void shortcode_target(buf_t *out, const form_t *form, const point_t *point)
{
    buf_puts(out, "/e/");
    buf_urlenc(out, form->id);
    if (point) {
        buf_puts(out, "?p=");
        buf_urlenc(out, point->id);
    }
}
