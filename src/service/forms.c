/*
 * forms.c: the served forms and their uploads (forms.h): the catalog of
 * the forms folder with the published workbooks of store_forms.h laid
 * over it.
 */
#include "service/forms.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "store/store_forms.h"

/* The books of the uploads u (all but those of form id without, and the
 * draft appended when given). The books point into u and draft. */
static catalog_book_t *books_of(const store_upload_t *u, size_t n, const store_upload_t *draft,
                                const char *without, size_t *nbooks)
{
    catalog_book_t *b = xcalloc(n + 1, sizeof *b);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (without && !strcmp(u[i].form_id, without)) continue;
        b[k++] = (catalog_book_t){ u[i].file_name, u[i].workbook, u[i].len, u[i].id };
    }
    if (draft) b[k++] = (catalog_book_t){ draft->file_name, draft->workbook, draft->len, draft->id };
    *nbooks = k;
    return b;
}

int svc_forms_build(const char *dir, store_t *s, int64_t draft_id, const char *without,
                    catalog_t *out, diag_t *d, store_rc_t *rc)
{
    assert(dir && s && out && d && rc);
    memset(out, 0, sizeof *out);
    store_upload_t *u = NULL, draft = { 0 };
    size_t n = 0;
    *rc = store_uploads_current(s, &u, &n);
    if (*rc == STORE_OK && draft_id) {
        *rc = store_upload_get(s, draft_id, &draft);
        if (*rc == STORE_OK && draft.published_at) *rc = STORE_NOTFOUND;
    }
    int ret = -1;
    if (*rc == STORE_OK) {
        size_t nb;
        catalog_book_t *b = books_of(u, n, draft_id ? &draft : NULL, without, &nb);
        ret = catalog_load_with(dir, b, nb, out, d);
        free(b);
    }
    store_uploads_free(u, n);
    store_upload_free(&draft);
    return ret;
}

int svc_catalog_open(const char *dir, store_t *s, const char *db_path, catalog_t *out, FILE *err)
{
    assert(dir && s && db_path && out && err);
    memset(out, 0, sizeof *out);
    store_upload_t *u = NULL;
    size_t n = 0;
    if (store_uploads_current(s, &u, &n) != STORE_OK) {
        fputs("buzon: cannot read the forms published from the browser\n", err);
        return -1;
    }
    diag_t d = { 0 };
    size_t nb;
    catalog_book_t *b = books_of(u, n, NULL, NULL, &nb);
    int rc = catalog_load_with(dir, b, nb, out, &d);
    free(b);
    if (rc < 0) {
        for (size_t i = 0; i < d.n; i++) fprintf(err, "%s\n", d.lines[i]);
        /* Is it the folder, or what was published from the browser (which
         * `forms check` does not see)? The folder alone tells. */
        catalog_t alone = { 0 };   /* freed below even when not loaded (n == 0) */
        diag_t d2 = { 0 };
        bool folder_ok = n && catalog_load(dir, &alone, &d2) == 0;
        catalog_free(&alone);
        diag_free(&d2);
        if (folder_ok) {
            fprintf(err, "buzon: the problems above come from forms published from the browser, kept in "
                         "the database %s (the folder %s is fine). To stop serving one:\n", db_path, dir);
            for (size_t i = 0; i < n; i++)
                fprintf(err, "  buzon forms withdraw %s --db %s    (%s, published by %s)\n", u[i].form_id,
                        db_path, u[i].file_name, u[i].published_by);
        } else {
            fprintf(err, "buzon: fix the problems above in %s (check with: buzon forms check %s)\n", dir, dir);
        }
        catalog_free(out);
    }
    diag_free(&d);
    store_uploads_free(u, n);
    return rc;
}

store_rc_t svc_forms_upload(const char *dir, store_t *s, const char *name, const void *data,
                            size_t len, const char *by, int64_t now, diag_t *d, int64_t *draft_id)
{
    assert(dir && s && name && by && d && draft_id);
    *draft_id = 0;
    store_upload_t *u = NULL;
    size_t n = 0;
    store_rc_t rc = store_uploads_current(s, &u, &n);
    if (rc != STORE_OK) return rc;
    /* The upload goes last, so it replaces a published form of its id. */
    store_upload_t self = { .file_name = (char *)name, .workbook = (void *)data, .len = len, .id = -1 };
    size_t nb;
    catalog_book_t *b = books_of(u, n, &self, NULL, &nb);
    catalog_t cat;
    size_t before = d->n;
    catalog_load_with(dir, b, nb, &cat, d);
    free(b);
    const form_t *f = NULL;
    for (size_t i = 0; i < cat.nforms && !f; i++)
        if (cat.forms[i]->upload_id == -1) f = cat.forms[i];
    if (d->n == before && f)
        rc = store_upload_add(s, f->id, f->version, name, data, len, f->hash, by, now, draft_id);
    catalog_free(&cat);
    store_uploads_free(u, n);
    return rc;
}

static void to_pub(const store_upload_t *u, form_pub_t *p)
{
    p->id = u->id;
    p->form_id = xstrdup(u->form_id);
    p->version = xstrdup(u->version);
    p->file_name = xstrdup(u->file_name);
    p->by = xstrdup(u->published_at ? u->published_by : u->uploaded_by);
    p->len = u->len;
    p->at = u->published_at ? u->published_at : u->uploaded_at;
    p->withdrawn_at = u->withdrawn_at;
}

store_rc_t svc_forms_draft(store_t *s, int64_t draft_id, form_pub_t *out)
{
    assert(s && out);
    memset(out, 0, sizeof *out);
    store_upload_t u;
    store_rc_t rc = store_upload_get(s, draft_id, &u);
    if (rc == STORE_OK && u.published_at) rc = STORE_NOTFOUND;
    if (rc == STORE_OK) to_pub(&u, out);
    store_upload_free(&u);
    return rc;
}

store_rc_t svc_forms_publish(store_t *s, int64_t draft_id, const char *by, int64_t now)
{
    return store_upload_publish(s, draft_id, by, now);
}

store_rc_t svc_forms_withdraw(store_t *s, const char *form_id, const char *by, int64_t now)
{
    return store_upload_withdraw(s, form_id, by, now);
}

store_rc_t svc_forms_history(store_t *s, size_t limit, form_pub_t **out, size_t *n)
{
    assert(s && out && n);
    store_upload_t *u = NULL;
    size_t nu = 0;
    store_rc_t rc = store_uploads_list(s, limit, &u, &nu);
    *out = NULL;
    *n = 0;
    if (rc != STORE_OK) return rc;
    *out = xcalloc(nu ? nu : 1, sizeof **out);
    for (size_t i = 0; i < nu; i++) to_pub(&u[i], &(*out)[i]);
    *n = nu;
    store_uploads_free(u, nu);
    return STORE_OK;
}
