/*
 * form_lookup.c: what a form's expressions may name besides ${name}
 * (issue 15), checked when the form loads so that a typing mistake is a
 * "file:row" error rather than an expression that silently reads empty:
 *  - instance('list')/root/item[...]/column lookups are bound here to the
 *    form's choice lists (expr_bind_lists). An item's fields are its
 *    "name", its "label" (in the page's language, expr_env_t.lang_plus1,
 *    falling back to the form's default) and every other column of
 *    the choices sheet, as pyxform puts them in the list's secondary
 *    instance;
 *  - paths written without ${} ("../x", "/data/g/x") must name a question
 *    by their last step, as the evaluator resolves them.
 */
#include "model/form_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Field numbers of a choice list: 0 name, 1 label, 2 + k extra column k
 * (every choice of a sheet has the same extra columns, in sheet order). */
enum { FIELD_NAME, FIELD_LABEL, FIELD_EXTRA };

static int list_field(const void *ctx, const char *name)
{
    const choice_list_t *l = ctx;
    if (!strcmp(name, "name")) return FIELD_NAME;
    if (!strcmp(name, "label")) return FIELD_LABEL;
    if (l->nchoices == 0) return -1;
    const choice_t *c = &l->choices[0];
    for (size_t k = 0; k < c->nextra; k++)
        if (!strcmp(c->extra_keys[k], name)) return FIELD_EXTRA + (int)k;
    return -1;
}

/* The label in language lang (the page's) when the choice has it, else
 * as form_text() falls back: default language, then any. */
static const char *list_cell(const void *ctx, size_t i, int f, int lang)
{
    const choice_list_t *l = ctx;
    const choice_t *c = &l->choices[i];
    if (f == FIELD_NAME) return c->name;
    if (f == FIELD_LABEL) {
        if (lang >= 0 && lang < FORM_MAX_LANGS && c->label.s[lang]) return c->label.s[lang];
        if (c->label.s[l->lang]) return c->label.s[l->lang];
        for (int k = 0; k < FORM_MAX_LANGS; k++)
            if (c->label.s[k]) return c->label.s[k];
        return "";
    }
    size_t k = (size_t)(f - FIELD_EXTRA);
    return k < c->nextra && c->extra_vals[k] ? c->extra_vals[k] : "";
}

static int find_list(void *arg, const char *name, expr_list_t *out)
{
    form_t *f = arg;
    for (size_t i = 0; i < f->nlists; i++) {
        choice_list_t *l = &f->lists[i];
        if (strcmp(l->name, name)) continue;
        l->lang = f->default_lang;
        *out = (expr_list_t){
            .ctx = l,
            .nitems = l->nchoices,
            .nfields = FIELD_EXTRA + (int)(l->nchoices ? l->choices[0].nextra : 0),
            .field = list_field,
            .cell = list_cell,
        };
        return 0;
    }
    return -1;
}

typedef struct {
    loader_t *L;
    const question_t *q;
    const char *what;
    size_t first;   /* d->n when this expression's walk began */
} pathctx_t;

static void check_path(void *arg, const char *name, const char *path)
{
    pathctx_t *c = arg;
    diag_t *d = c->L->d;
    const char *file = c->L->s[F_SURVEY].path;
    const question_t *t = form_question(c->L->f, name);
    bool shared = false, meta = false;
    for (size_t i = 0; i < c->L->nshared; i++) shared |= !strcmp(c->L->shared[i], name);
    for (size_t i = 0; i < c->L->nmeta; i++) meta |= !strcmp(c->L->meta_names[i], name);
    if (shared)
        diag_add(d, file, c->q->row, "path %s in %s is ambiguous: more than one group has a \"%s\"; "
                 "write ${group.%s}", path, c->what, name, name);
    else if (!t && meta)
        diag_add(d, file, c->q->row, "path %s in %s names a metadata field, which is not a question in buzon",
                 path, c->what);
    else if (!t)
        diag_add(d, file, c->q->row, "path %s in %s names no question (there is no \"%s\")", path, c->what, name);
    else if (t->type == Q_BEGIN_GROUP)
        diag_add(d, file, c->q->row, "path %s in %s is a group, not a question", path, c->what);
    else if (t == c->q && strcmp(c->what, "constraint"))
        /* as for ${name} (form_survey.c check_ref): a value computed from itself never settles */
        diag_add(d, file, c->q->row, "%s of \"%s\" refers to the question itself (path %s)", c->what, name, path);
    else
        return;
    /* the same path twice in one expression: report it once */
    for (size_t i = c->first; i + 1 < d->n; i++)
        if (!strcmp(d->lines[i], d->lines[d->n - 1])) {
            free(d->lines[--d->n]);
            return;
        }
}

void form_check_lookups(loader_t *L, const question_t *q, expr_t *e, const char *what)
{
    if (!e) return;
    pathctx_t c = { .L = L, .q = q, .what = what, .first = L->d->n };
    expr_paths(e, check_path, &c);
    char err[256];
    if (expr_bind_lists(e, find_list, L->f, err, sizeof err) != 0)
        diag_add(L->d, L->s[F_SURVEY].path, q->row, "%s: %s", what, err);
}
