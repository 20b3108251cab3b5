/*
 * paper_ref.h: from the short code printed on a paper questionnaire
 * (view/paper.h, paper_code: "<form>-<version>-<point>-<lang>") back to
 * the form, point and language it names, for the clerk who types it to
 * enter the answers (issue 17 item 4). Pure: reads the catalog only.
 *
 * Form and point ids may hold '-', so the code is not split on it: each
 * form whose id starts the code is tried, the language is the last
 * segment, the point the longest point id (or "todos") ending what is
 * left, and the version what remains between them. Letter case does not
 * matter (a clerk may type capitals), nor spaces around it; a space
 * inside reads as the '-' printed there (or, when that names nothing, as
 * nothing). A staff-only register (form_t.staff) has no sheet: unknown.
 */
#ifndef BUZON_PAPER_REF_H
#define BUZON_PAPER_REF_H

#include "base/i18n.h"
#include "model/catalog.h"

/* Longest code looked at. */
#define PAPER_REF_MAX 200

typedef enum paper_ref_rc {
    PAPER_REF_OK,        /* the code of the current version of a form */
    PAPER_REF_UNKNOWN,   /* malformed, or no such form, point or language */
    PAPER_REF_OLD,       /* a form and point that exist, another version */
} paper_ref_rc_t;

typedef struct paper_ref {
    const form_t  *form;        /* OK, OLD: the catalog's form */
    size_t         form_index;  /* its index in cat->forms */
    const point_t *point;       /* NULL: "todos" (no point) */
    lang_t         lang;
    char           version[PAPER_REF_MAX + 1];   /* OLD: the version printed */
} paper_ref_t;

/* Read code (NULL allowed: UNKNOWN) against cat into *out. A code of the
 * current version wins over one that reads as an older version of
 * another form. */
paper_ref_rc_t paper_ref_parse(const catalog_t *cat, const char *code, paper_ref_t *out);

#endif
