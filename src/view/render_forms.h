/*
 * render_forms.h: the staff pages of the forms (/formularios): what is
 * served, the upload of an XLSForm workbook with its problems, and the
 * preview of a checked upload before it is published (http_forms.c).
 */
#ifndef BUZON_RENDER_FORMS_H
#define BUZON_RENDER_FORMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/i18n.h"
#include "model/catalog.h"
#include "view/render_staff.h"

typedef struct forms_view {
    const catalog_t  *cat;          /* the forms served now */
    const int64_t    *responses;    /* per form of cat; NULL: unknown */
    const form_pub_t *history;      /* published workbooks, newest first */
    size_t            nhistory;
    str_id_t          flash;        /* S_FORMS_PUBLISHED, S_FORMS_WITHDRAWN or 0 */
    const char       *flash_form;   /* the form id the flash is about */
    str_id_t          error;        /* a message about the upload, or 0 */
    str_id_t          problems_title; /* heads problems (when nproblems) */
    char *const      *problems;     /* "sheet:row: message" lines */
    size_t            nproblems;
    const diag_t     *problems_diag; /* when set, problems are its lines:
                                      * shown in the page's language (issue 15) */
} forms_view_t;

/* /formularios: an optional notice (flash, error, problems), the table of
 * the forms served with their version, origin and responses, the upload
 * box, and the history of publications. */
void render_forms(buf_t *out, const staff_view_t *v, bool public_indicators, const forms_view_t *fv);

/* The preview of draft d, whose form f loads with everything else; cur
 * is the form of the same id served now (NULL: a new form). One framed
 * phone-sized page per language the survey can be shown in, the form's
 * notes, and the publish button. */
void render_form_draft(buf_t *out, const staff_view_t *v, bool public_indicators, const form_pub_t *d,
                       const form_t *f, const form_t *cur);

/* The languages (strings tables) f's survey page can be shown in, into
 * out (at most LANG_TABLES); returns how many (at least 1). */
size_t render_form_preview_langs(const form_t *f, lang_t out[LANG_TABLES]);

#endif
