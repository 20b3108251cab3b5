/*
 * page_cache.h: fresh survey pages, rendered once per (form version,
 * point, language) and reused for every visitor. A page is ~12 KB of HTML
 * built from the form definition; rendering it per request cost more than
 * serving it, and gzipping it per request (every phone asks for gzip)
 * cost ten times more again, so each entry is compressed once too. A
 * cache belongs to one catalog (app.h, app_forms_t), which never changes:
 * a form published from the browser comes with a new catalog and a new
 * cache, so entries never go stale.
 *
 * Entries are built on first use and published with an atomic pointer, so
 * readers take no lock; two threads racing to build the same entry both
 * build it and the loser frees its copy.
 */
#ifndef BUZON_PAGE_CACHE_H
#define BUZON_PAGE_CACHE_H

#include <stddef.h>
#include <stdbool.h>
#include "http/app.h"
#include "base/gz.h"
#include "base/i18n.h"

typedef struct page {
    char  *html;        /* the page without its per-visit fields */
    size_t len;
    size_t fields_at;   /* where render_survey_fields() output goes */
    /* The same page gzipped once, around the fields (gz.h); gz_ok false
     * if zlib failed, and the page is then sent uncompressed. */
    gz_splice_t gz;
    bool   gz_ok;
} page_t;

typedef struct page_cache page_cache_t;

/* A cache for cat's forms and points (cat must outlive it). */
page_cache_t *page_cache_new(const catalog_t *cat);
void page_cache_free(page_cache_t *pc);
/* The fresh page of form number fi at point pt (NULL: none) in lang.
 * Never NULL; owned by the cache. */
const page_t *page_cache_get(page_cache_t *pc, size_t fi, const point_t *pt, lang_t lang);

#endif
