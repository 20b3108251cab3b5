/*
 * catalog.h: everything buzon reads from its forms folder (forms/), loaded
 * and checked in this one place for the server, every command and the
 * tools, so that `buzon forms check` refuses exactly what `buzon serve`
 * refuses:
 *
 *   <dir>/<form>/survey.csv, choices.csv, settings.csv   the forms (form.h)
 *   <dir>/services.csv, points.csv        service types and points (points.h)
 *   <dir>/carta.csv        promised business days per service (cases.h)
 *   <dir>/feriados.csv     the holiday calendar (bizdays.h)
 *   <dir>/indicators.csv   indicator definitions (indicators.h)
 *   <dir>/plan.csv         the improvement plan (indicators.h)
 *
 * carta.csv, feriados.csv, indicators.csv and plan.csv may be absent (then
 * empty); the rest are required. Two (form, point) pairs sharing a short
 * code (shortcode.h) and a folder without any form are refused too.
 *
 * Model layer: calls only the loaders of model/ and base/. A catalog is
 * read-only once loaded, so threads may share it without locks.
 */
#ifndef BUZON_CATALOG_H
#define BUZON_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/bizdays.h"
#include "base/diag.h"
#include "model/cases.h"
#include "model/form.h"
#include "model/indicators.h"
#include "model/points.h"

typedef struct catalog {
    form_t   **forms;            /* sorted by id (form_load_all) */
    size_t     nforms;
    points_t   points;           /* points.csv and services.csv */
    carta_t    carta;            /* carta.csv (empty when absent) */
    bizcal_t   holidays;         /* feriados.csv (weekends only when absent) */
    ind_defs_t indicators;       /* indicators.csv (none when absent) */
    ind_plan_t plan;             /* plan.csv (none when absent) */
    bool       carta_missing;    /* carta.csv does not exist */
    bool       holidays_missing; /* feriados.csv does not exist */
} catalog_t;

/* Load and check everything in dir. Returns 0, or -1 after appending every
 * problem found (not only the first) to d as `file:row: message`; problems
 * of the folder as a whole name the folder with row 0. In both cases *out
 * holds what could be loaded (on -1: only to report, e.g. the forms that
 * are fine) and the caller frees it with catalog_free. */
int catalog_load(const char *dir, catalog_t *out, diag_t *d);

/* A workbook published from the browser, held in memory. */
typedef struct catalog_book {
    const char *name;       /* the file name problems start with */
    const void *data;       /* the .xlsx bytes (only read during the call) */
    size_t      len;
    int64_t     upload_id;  /* becomes the form's upload_id (non-zero) */
} catalog_book_t;

/* catalog_load, then each book in order: its form replaces the folder's
 * form (or an earlier book's) with the same id, or joins the catalog as a
 * new one; everything is then checked together (indicators, short codes),
 * so a book that breaks the rest is refused like a folder would be. Same
 * return, diagnostics and ownership as catalog_load. */
int catalog_load_with(const char *dir, const catalog_book_t *books, size_t nbooks,
                      catalog_t *out, diag_t *d);

/* A workbook uploaded from the browser as pages list it (its bytes are
 * the store's; service/forms.h). */
typedef struct form_pub {
    int64_t id;
    char   *form_id, *version, *file_name;
    char   *by;             /* who published it (a draft: who uploaded it) */
    size_t  len;            /* bytes */
    int64_t at;             /* published (a draft: uploaded), unix time */
    int64_t withdrawn_at;   /* 0: not withdrawn */
} form_pub_t;
/* Free p's strings and zero it; the array v of n and its strings. */
void form_pub_clear(form_pub_t *p);
void form_pub_free(form_pub_t *v, size_t n);

/* Only dir/services.csv and dir/points.csv (into out->points; the rest of
 * *out empty), for `buzon points`, which lists and checks those two files.
 * Same return, diagnostics and ownership as catalog_load. */
int catalog_load_points(const char *dir, catalog_t *out, diag_t *d);

/* catalog_load for a program that cannot go on without the catalog: on
 * failure prints every problem to err, one line each, then
 * "buzon: fix the problems above in DIR (check with: buzon forms check DIR)",
 * frees *out and returns -1 (nothing to free). 0: free with catalog_free. */
int catalog_open(const char *dir, catalog_t *out, FILE *err);

/* Print to fp what is allowed but worth knowing at start: no carta.csv (no
 * deadlines), no feriados.csv, or a calendar without the current year. */
void catalog_print_notices(const catalog_t *cat, const char *dir, FILE *fp);

/* Free everything and leave *cat zeroed. Safe on a zeroed catalog. */
void catalog_free(catalog_t *cat);

/* The form with this id, or NULL; *index (when index is non-NULL) gets its
 * position in cat->forms. The form belongs to the catalog. */
const form_t *catalog_form(const catalog_t *cat, const char *id, size_t *index);
/* issue 18: catalog_form for what the public reaches (/e/<form>, its
 * pages, short links, posters, paper, the lists of surveys): NULL also for
 * a staff form (form_t.staff), so that it answers exactly as an unknown
 * one. */
const form_t *catalog_public_form(const catalog_t *cat, const char *id, size_t *index);
/* issue 18: the number of forms the public sees (not staff). */
size_t catalog_public_count(const catalog_t *cat);

#endif
