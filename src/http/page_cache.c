/*
 * page_cache.c: see page_cache.h.
 */
#include "http/page_cache.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "model/form_repeat.h"
#include "view/render.h"

struct page_cache {
    const catalog_t *cat;
    size_t npoints1;                 /* points + 1 (the "no point" slot) */
    size_t n;
    _Atomic(page_t *) *slots;
};

page_cache_t *page_cache_new(const catalog_t *cat)
{
    page_cache_t *pc = xcalloc(1, sizeof *pc);
    pc->cat = cat;
    pc->npoints1 = cat->points.npoints + 1;
    pc->n = cat->nforms * pc->npoints1 * LANG_TABLES;
    pc->slots = xcalloc(pc->n, sizeof *pc->slots);
    for (size_t i = 0; i < pc->n; i++) atomic_init(&pc->slots[i], NULL);
    return pc;
}

static void page_free(page_t *p)
{
    if (!p) return;
    free(p->html);
    gz_splice_free(&p->gz);
    free(p);
}

void page_cache_free(page_cache_t *pc)
{
    if (!pc) return;
    for (size_t i = 0; i < pc->n; i++) page_free(atomic_load(&pc->slots[i]));
    free(pc->slots);
    free(pc);
}

const page_t *page_cache_get(page_cache_t *pc, size_t fi, const point_t *pt, lang_t lang)
{
    const catalog_t *cat = pc->cat;
    assert(fi < cat->nforms && lang < LANG_TABLES);
    size_t pi = pt ? (size_t)(pt - cat->points.points) + 1 : 0;
    assert(pi < pc->npoints1);
    _Atomic(page_t *) *slot = &pc->slots[(fi * pc->npoints1 + pi) * LANG_TABLES + lang];

    page_t *p = atomic_load_explicit(slot, memory_order_acquire);
    if (p) return p;

    buf_t b;
    buf_init(&b);
    p = xcalloc(1, sizeof *p);
    form_t *xf = form_repeat_for_post(cat->forms[fi], NULL);   /* issue 16: one instance of each repeat */
    render_survey(&b, cat, xf ? xf : cat->forms[fi], pt, lang, NULL, &p->fields_at);
    form_free(xf);
    p->len = b.len;
    p->html = buf_steal(&b);
    p->gz_ok = gz_splice_init(&p->gz, p->html, p->fields_at, p->html + p->fields_at,
                              p->len - p->fields_at);
    page_t *expected = NULL;
    if (!atomic_compare_exchange_strong_explicit(slot, &expected, p, memory_order_acq_rel,
                                                 memory_order_acquire)) {
        page_free(p);          /* another thread published first */
        return expected;
    }
    return p;
}
