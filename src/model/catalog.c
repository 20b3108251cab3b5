/*
 * catalog.c: the one loader of the forms folder (see catalog.h). It calls
 * the loaders of each file (form_all.c, points.c, cases.c, bizdays.c,
 * indicators_defs.c) and the short-code check, in the order their
 * dependencies need: the carta is checked against the services, the
 * indicators against the forms. Model layer: base/ and model/ only.
 */
#include "model/catalog.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "model/shortcode.h"

/* dir + "/" + name into path (no doubled '/'). */
static void join(buf_t *path, const char *dir, const char *name)
{
    size_t dl = strlen(dir);
    buf_reset(path);
    buf_printf(path, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", name);
}

/* carta.csv and feriados.csv; each may be absent. */
static void load_cases_config(const char *dir, catalog_t *out, diag_t *d)
{
    buf_t path;
    buf_init(&path);
    carta_load(dir, &out->points, &out->carta, &out->carta_missing, d);
    join(&path, dir, "feriados.csv");
    bizdays_load(path.data, &out->holidays, &out->holidays_missing, d);
    buf_free(&path);
}

static int cmp_form_id(const void *a, const void *b)
{
    return strcmp((*(form_t *const *)a)->id, (*(form_t *const *)b)->id);
}

/* Put each book's form in place of the one with its id, or add it. */
static void add_books(catalog_t *out, const catalog_book_t *books, size_t nbooks, diag_t *d)
{
    for (size_t i = 0; i < nbooks; i++) {
        form_t *f = form_load_bytes(books[i].name, books[i].data, books[i].len, d);
        if (!f) continue;
        f->upload_id = books[i].upload_id;
        size_t k;
        if (catalog_form(out, f->id, &k)) {
            form_free(out->forms[k]);
            out->forms[k] = f;
            continue;
        }
        out->forms = xrealloc(out->forms, (out->nforms + 1) * sizeof *out->forms);
        out->forms[out->nforms++] = f;
    }
    if (out->nforms) qsort(out->forms, out->nforms, sizeof *out->forms, cmp_form_id);
}

int catalog_load(const char *dir, catalog_t *out, diag_t *d)
{
    return catalog_load_with(dir, NULL, 0, out, d);
}

int catalog_load_with(const char *dir, const catalog_book_t *books, size_t nbooks,
                      catalog_t *out, diag_t *d)
{
    memset(out, 0, sizeof *out);
    size_t before = d->n;
    out->nforms = form_load_all(dir, &out->forms, d);
    add_books(out, books, nbooks, d);
    bool forms_ok = d->n == before;
    bool points_ok = points_load(dir, &out->points, d) == 0;
    /* Without the services every carta row would be "unknown". */
    if (points_ok) load_cases_config(dir, out, d);
    ind_load_files(dir, out->forms, out->nforms, &out->indicators, &out->plan, d);
    if (forms_ok && !out->nforms)
        diag_add(d, dir, 0, "no forms in this folder (no subfolder has a survey.csv or an .xlsx "
                            "workbook, and no <id>.xlsx)");
    /* Two posters sharing a short code would send people to the wrong
     * survey (the remedy is renaming an id). */
    shortcode_check(out->forms, out->nforms, points_ok ? &out->points : NULL, d);
    return d->n > before ? -1 : 0;
}

int catalog_load_points(const char *dir, catalog_t *out, diag_t *d)
{
    memset(out, 0, sizeof *out);
    return points_load(dir, &out->points, d) == 0 ? 0 : -1;
}

int catalog_open(const char *dir, catalog_t *out, FILE *err)
{
    diag_t d = { 0 };
    int rc = catalog_load(dir, out, &d);
    for (size_t i = 0; i < d.n; i++) fprintf(err, "%s\n", d.lines[i]);
    diag_free(&d);
    if (rc < 0) {
        fprintf(err, "buzon: fix the problems above in %s (check with: buzon forms check %s)\n",
                dir, dir);
        catalog_free(out);
    }
    return rc;
}

void catalog_print_notices(const catalog_t *cat, const char *dir, FILE *fp)
{
    buf_t path;
    buf_init(&path);
    join(&path, dir, "feriados.csv");
    if (cat->carta_missing)
        fprintf(fp, "buzon: no carta.csv in %s: cases get no deadline and the %% within "
                    "standard is not measured\n", dir);
    if (cat->holidays_missing)
        fprintf(fp, "buzon: no %s: only weekends count as days off\n", path.data);
    else if (!bizdays_covers(&cat->holidays, bizdays_from_time((int64_t)time(NULL))))
        fprintf(fp, "buzon: %s lists no holidays for this year: add them (only weekends "
                    "count as days off until then)\n", path.data);
    buf_free(&path);
}

void catalog_free(catalog_t *cat)
{
    if (!cat) return;
    form_free_all(cat->forms, cat->nforms);
    points_free(&cat->points);
    carta_free(&cat->carta);
    bizdays_free(&cat->holidays);
    ind_defs_free(&cat->indicators);
    ind_plan_free(&cat->plan);
    memset(cat, 0, sizeof *cat);
}

const form_t *catalog_form(const catalog_t *cat, const char *id, size_t *index)
{
    for (size_t i = 0; i < cat->nforms; i++)
        if (!strcmp(cat->forms[i]->id, id)) {
            if (index) *index = i;
            return cat->forms[i];
        }
    return NULL;
}

const form_t *catalog_public_form(const catalog_t *cat, const char *id, size_t *index)
{
    const form_t *f = catalog_form(cat, id, index);
    return f && !f->staff ? f : NULL;
}

size_t catalog_public_count(const catalog_t *cat)
{
    size_t n = 0;
    for (size_t i = 0; i < cat->nforms; i++) n += !cat->forms[i]->staff;
    return n;
}

void form_pub_clear(form_pub_t *p)
{
    if (!p) return;
    free(p->form_id);
    free(p->version);
    free(p->file_name);
    free(p->by);
    memset(p, 0, sizeof *p);
}

void form_pub_free(form_pub_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++) form_pub_clear(&v[i]);
    free(v);
}
