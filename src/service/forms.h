/*
 * forms.h: the forms as the server serves them: the forms folder plus the
 * workbooks staff published from the browser (store_forms.h), and what a
 * planner does with an upload: check it against everything else, keep it
 * as a draft to preview, publish it, or withdraw a published form.
 *
 * A published workbook wins over the folder's form of the same id (it is
 * the newer version the planner chose); withdrawing it serves the folder's
 * again. Every change is checked as a whole catalog first (catalog.h:
 * indicators, short codes), so nothing half-published is ever served: the
 * store is written only once the new catalog has loaded, and the caller
 * swaps in that catalog only once the store has committed.
 */
#ifndef BUZON_SERVICE_FORMS_H
#define BUZON_SERVICE_FORMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/diag.h"
#include "model/catalog.h"
#include "store/store.h"

/* The largest workbook taken from the browser. Real XLSForms weigh 10 to
 * 300 KB; pictures pasted into a sheet can make one a few MB. */
#define FORMS_UPLOAD_MAX (5u << 20)

/* catalog_open for the server and the commands that open the database:
 * the folder dir with the forms published from the browser in s (the
 * database at db_path). On failure prints every problem to err, then how
 * to fix them: in the folder (buzon forms check), or, when the folder
 * alone loads, that the published forms are to blame, each with the
 * command that withdraws it; frees *out and returns -1 (also when the
 * published forms cannot be read). 0: free *out with catalog_free. */
int svc_catalog_open(const char *dir, store_t *s, const char *db_path, catalog_t *out, FILE *err);

/* Build into *out the catalog the server would serve with draft draft_id
 * published (0: none) and without the published workbooks of form id
 * without (NULL: none). 0, or -1 with the problems in d (as
 * catalog_load_with). STORE_ERR or STORE_NOTFOUND (no such draft) in *rc,
 * else STORE_OK. Always free *out with catalog_free. */
int svc_forms_build(const char *dir, store_t *s, int64_t draft_id, const char *without,
                    catalog_t *out, diag_t *d, store_rc_t *rc);

/* Check an uploaded workbook (name as the author named it) against the
 * forms folder and the published forms. When its form loads with the rest
 * (d untouched), keep it as a draft of by and set *draft_id. Returns
 * STORE_OK (check d: problems mean nothing was kept), STORE_ERR. */
store_rc_t svc_forms_upload(const char *dir, store_t *s, const char *name, const void *data,
                            size_t len, const char *by, int64_t now, diag_t *d, int64_t *draft_id);

/* The draft draft_id as a listed item (catalog.h), if it is one (not
 * published): STORE_OK, STORE_NOTFOUND, STORE_ERR. Free its fields with
 * form_pub_clear. */
store_rc_t svc_forms_draft(store_t *s, int64_t draft_id, form_pub_t *out);

/* Mark draft draft_id published by by (audited). STORE_OK,
 * STORE_NOTFOUND (not a draft any more), STORE_ERR. */
store_rc_t svc_forms_publish(store_t *s, int64_t draft_id, const char *by, int64_t now);

/* Withdraw the published workbooks of form_id (audited). STORE_OK,
 * STORE_NOTFOUND (none), STORE_ERR. */
store_rc_t svc_forms_withdraw(store_t *s, const char *form_id, const char *by, int64_t now);

/* The published workbooks, newest first (at most limit). *out malloc'd;
 * free with form_pub_free. STORE_OK or STORE_ERR (*out NULL). */
store_rc_t svc_forms_history(store_t *s, size_t limit, form_pub_t **out, size_t *n);

#endif
