/*
 * store_forms.h: XLSForm workbooks uploaded from the browser
 * (store_forms.c; table form_uploads, migration 6). An upload is a draft
 * until it is published; the latest published upload of a form id that
 * has not been withdrawn is served in place of the forms folder's form of
 * that id (or as a new form). Workbooks are kept as uploaded, so that a
 * backup of the database holds every form its answers were given in.
 *
 * Publishing and withdrawing write their audit entry in the same
 * transaction (store_staff.h's rule for actors).
 */
#ifndef BUZON_STORE_FORMS_H
#define BUZON_STORE_FORMS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

typedef struct store_upload {
    int64_t id;
    char   *form_id;
    char   *version;
    char   *file_name;      /* as the author named it: "encuesta.xlsx" */
    void   *workbook;       /* the bytes; NULL in lists (store_uploads_list) */
    size_t  len;            /* bytes of the workbook, in lists too */
    char   *hash;           /* the form's hash (form_t.hash) */
    int64_t uploaded_at;
    char   *uploaded_by;
    int64_t published_at;   /* 0: a draft */
    char   *published_by;   /* "" for a draft */
    int64_t withdrawn_at;   /* 0: not withdrawn */
} store_upload_t;

/* Keep a new draft. Drafts more than a day old, and the other drafts of
 * the same uploader, are deleted first (an uploader previews one at a
 * time). *id gets the draft's id. STORE_OK or STORE_ERR. */
store_rc_t store_upload_add(store_t *s, const char *form_id, const char *version,
                            const char *file_name, const void *data, size_t len,
                            const char *hash, const char *by, int64_t now, int64_t *id);

/* Upload id, with its workbook, into *out (free with store_upload_free).
 * STORE_OK, STORE_NOTFOUND or STORE_ERR. */
store_rc_t store_upload_get(store_t *s, int64_t id, store_upload_t *out);

/* Publish draft id: set its publication time and actor, and write the
 * audit entry "formulario_publicado" (object "formulario:<form id>").
 * STORE_OK, STORE_NOTFOUND (no such draft: unknown, or already published)
 * or STORE_ERR. */
store_rc_t store_upload_publish(store_t *s, int64_t id, const char *by, int64_t now);

/* Withdraw every published upload of form_id (the forms folder's version,
 * if any, is served again) and write the audit entry
 * "formulario_retirado". STORE_OK, STORE_NOTFOUND (nothing published under
 * that id) or STORE_ERR. */
store_rc_t store_upload_withdraw(store_t *s, const char *form_id, const char *by, int64_t now);

/* The uploads served now: for each form id, its latest published upload
 * not withdrawn, with its workbook, in order of publication. *out is a
 * malloc'd array (free with store_uploads_free). STORE_OK or STORE_ERR
 * (then *out NULL, *n 0). */
store_rc_t store_uploads_current(store_t *s, store_upload_t **out, size_t *n);

/* Every published upload (withdrawn ones too), newest first, at most
 * limit, without workbooks: the history a staff page lists. Same
 * ownership and codes as store_uploads_current. */
store_rc_t store_uploads_list(store_t *s, size_t limit, store_upload_t **out, size_t *n);

void store_upload_free(store_upload_t *u);
void store_uploads_free(store_upload_t *v, size_t n);

#endif
