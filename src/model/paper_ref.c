/*
 * paper_ref.c: reading a paper questionnaire's short code (paper_ref.h).
 */
#include "model/paper_ref.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

/* The version paper_code prints for f. */
static const char *printed_version(const form_t *f)
{
    return f->version && *f->version ? f->version : "sin-version";
}

/* Read rest ("<version>-<point>-<lang>") for form fi of cat. */
static paper_ref_rc_t read_rest(const catalog_t *cat, size_t fi, const char *rest, paper_ref_t *out)
{
    const char *dash = strrchr(rest, '-');
    if (!dash) return PAPER_REF_UNKNOWN;
    int lang = i18n_parse(dash + 1);
    if (lang < 0 || strlen(dash + 1) != 2) return PAPER_REF_UNKNOWN;
    size_t n = (size_t)(dash - rest);        /* "<version>-<point>" */
    /* The longest point id that ends it after a '-', with a version left. */
    const point_t *best = NULL;
    size_t best_len = 0;
    static const char todos[] = "todos";
    if (n > sizeof todos && !strncasecmp(rest + n - (sizeof todos - 1), todos, sizeof todos - 1) &&
        rest[n - sizeof todos] == '-')
        best_len = sizeof todos - 1;
    for (size_t i = 0; i < cat->points.npoints; i++) {
        const point_t *p = &cat->points.points[i];
        size_t pl = strlen(p->id);
        if (pl > best_len && n > pl + 1 && rest[n - pl - 1] == '-' && !strncasecmp(rest + n - pl, p->id, pl)) {
            best = p;
            best_len = pl;
        }
    }
    if (!best_len) return PAPER_REF_UNKNOWN;
    size_t vl = n - best_len - 1;
    if (vl == 0 || vl > PAPER_REF_MAX) return PAPER_REF_UNKNOWN;
    out->form = cat->forms[fi];
    out->form_index = fi;
    out->point = best;
    out->lang = (lang_t)lang;
    memcpy(out->version, rest, vl);
    out->version[vl] = '\0';
    return strcasecmp(out->version, printed_version(out->form)) ? PAPER_REF_OLD : PAPER_REF_OK;
}

/* Read code (trimmed, spaces already read) against cat, as
 * paper_ref_parse says. */
static paper_ref_rc_t parse_exact(const catalog_t *cat, const char *code, paper_ref_t *out)
{
    paper_ref_rc_t found = PAPER_REF_UNKNOWN;
    paper_ref_t old;
    for (size_t i = 0; i < cat->nforms; i++) {
        /* A staff-only register has no paper sheet: it is entered on
         * /registros only (issue 17), so its id reads as unknown. */
        if (cat->forms[i]->staff) continue;
        const char *id = cat->forms[i]->id;
        size_t il = strlen(id);
        if (strncasecmp(code, id, il) || code[il] != '-') continue;
        paper_ref_t t;
        memset(&t, 0, sizeof t);
        paper_ref_rc_t rc = read_rest(cat, i, code + il + 1, &t);
        if (rc == PAPER_REF_OK) {
            *out = t;
            return rc;
        }
        if (rc == PAPER_REF_OLD && found == PAPER_REF_UNKNOWN) {
            old = t;
            found = rc;
        }
    }
    if (found == PAPER_REF_OLD) *out = old;
    return found;
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

paper_ref_rc_t paper_ref_parse(const catalog_t *cat, const char *code, paper_ref_t *out)
{
    memset(out, 0, sizeof *out);
    if (!code) return PAPER_REF_UNKNOWN;
    while (is_space(*code)) code++;
    size_t len = strlen(code);
    while (len && is_space(code[len - 1])) len--;
    if (len == 0 || len > PAPER_REF_MAX) return PAPER_REF_UNKNOWN;
    /* A clerk typing from paper types spaces (issue 17): first read each
     * run of spaces, with any '-' beside it, as the one '-' printed there
     * ("quejas 2024.1 mercado municipal es", "quejas - 2024.1 ..."); then,
     * if that names nothing, with the spaces dropped ("merca do"). */
    char dashed[PAPER_REF_MAX + 1], joined[PAPER_REF_MAX + 1];
    size_t nd = 0, nj = 0;
    for (size_t i = 0; i < len;) {
        if (is_space(code[i])) {
            size_t j = i;
            while (nd && dashed[nd - 1] == '-') nd--;   /* "x -" */
            while (j < len && (is_space(code[j]) || code[j] == '-')) j++;
            dashed[nd++] = '-';
            i = j;
            continue;
        }
        dashed[nd++] = code[i];
        i++;
    }
    dashed[nd] = '\0';
    for (size_t i = 0; i < len; i++)
        if (!is_space(code[i])) joined[nj++] = code[i];
    joined[nj] = '\0';
    paper_ref_rc_t rc = parse_exact(cat, dashed, out);
    if (rc == PAPER_REF_UNKNOWN && strcmp(dashed, joined)) {
        memset(out, 0, sizeof *out);
        rc = parse_exact(cat, joined, out);
    }
    return rc;
}
