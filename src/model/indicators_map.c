/*
 * indicators_map.c: the string-to-index hash map the indicator modules use
 * for slot names, aggregate keys and accumulators, and the accumulators
 * themselves (see ind_accs.h). Open addressing with linear probing,
 * FNV-1a, grown at half full; keys are never removed, which keeps probing
 * trivial. Pure data: base/ and model/ only.
 */
#include "model/ind_accs.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Slot where key is, or the empty slot where it would go. */
static size_t probe(const ind_map_t *m, const char *key)
{
    size_t i = (size_t)hash(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key)) i = (i + 1) & (m->cap - 1);
    return i;
}

size_t ind_map_get(const ind_map_t *m, const char *key)
{
    if (!m->cap) return (size_t)-1;
    size_t i = probe(m, key);
    return m->keys[i] ? m->vals[i] : (size_t)-1;
}

static void grow(ind_map_t *m)
{
    ind_map_t g = { .cap = m->cap ? m->cap * 2 : 64 };
    g.keys = xcalloc(g.cap, sizeof *g.keys);
    g.vals = xcalloc(g.cap, sizeof *g.vals);
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i]) continue;
        size_t j = probe(&g, m->keys[i]);
        g.keys[j] = m->keys[i];
        g.vals[j] = m->vals[i];
    }
    g.n = m->n;
    free(m->keys);
    free(m->vals);
    *m = g;
}

void ind_map_put(ind_map_t *m, const char *key, size_t val)
{
    if (2 * (m->n + 1) > m->cap) grow(m);
    size_t i = probe(m, key);
    if (!m->keys[i]) {
        m->keys[i] = xstrdup(key);
        m->n++;
    }
    m->vals[i] = val;
}

void ind_map_free(ind_map_t *m)
{
    for (size_t i = 0; i < m->cap; i++) free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* ---- accumulators ---------------------------------------------------------- */

void ind_accs_free(ind_accs_t *x)
{
    for (size_t i = 0; i < x->nslots; i++) free(x->slot[i]);
    free(x->slot);
    for (size_t i = 0; i < x->n; i++) {
        free(x->a[i].key);
        free(x->a[i].v);
    }
    free(x->a);
    ind_map_free(&x->slot_ix);
    ind_map_free(&x->acc_ix);
    memset(x, 0, sizeof *x);
}

/* "<dim>\x1f<key>", written by hand: it is made for every aggregate row
 * read, and printf was a fifth of a filtered query's time. */
static void acc_key(buf_t *k, int dim, const char *key)
{
    char d[16];
    size_t n = sizeof d;
    unsigned u = dim < 0 ? 0u - (unsigned)dim : (unsigned)dim;
    do d[--n] = (char)('0' + u % 10); while (u /= 10);
    if (dim < 0) d[--n] = '-';
    buf_reset(k);
    buf_append(k, d + n, sizeof d - n);
    buf_putc(k, '\x1f');
    buf_puts(k, key);
}

const ind_acc_t *ind_accs_find(const ind_accs_t *x, int dim, const char *key)
{
    buf_t k;
    buf_init(&k);
    acc_key(&k, dim, key);
    size_t i = ind_map_get(&x->acc_ix, k.data);
    buf_free(&k);
    return i == (size_t)-1 ? NULL : &x->a[i];
}

ind_acc_t *ind_accs_get(ind_accs_t *x, int dim, const char *key)
{
    const ind_acc_t *found = ind_accs_find(x, dim, key);
    if (found) return (ind_acc_t *)found;
    if (x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 32;
        x->a = xrealloc(x->a, x->cap * sizeof *x->a);
    }
    ind_acc_t *a = &x->a[x->n];
    a->dim = dim;
    a->key = xstrdup(key);
    a->v = xcalloc(x->nslots + 1, sizeof *a->v);
    buf_t k;
    buf_init(&k);
    acc_key(&k, dim, key);
    ind_map_put(&x->acc_ix, k.data, x->n++);
    buf_free(&k);
    return a;
}

long ind_accs_slot(const ind_accs_t *x, const char *name)
{
    size_t i = ind_map_get(&x->slot_ix, name);
    return i == (size_t)-1 ? -1 : (long)i;
}
