/*
 * form_survey.c: builds the questions of a form from survey.csv and runs the
 * checks that need the whole survey: names unique, groups balanced, every
 * select's list present, every expression parsed and every ${name} it uses
 * defined. The sheets themselves are read by form_load.c.
 *
 * Rows with an error are still added when that lets later checks run
 * (a question with a bad relevant still has a name others may reference),
 * so one run reports everything; form_load() discards the form anyway.
 */
#include "model/form_int.h"

#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct qtype_word {
    const char *word;
    qtype_t     type;
} qtype_words[] = {
    { "text", Q_TEXT },           { "integer", Q_INTEGER },
    { "decimal", Q_DECIMAL },     { "date", Q_DATE },
    { "note", Q_NOTE },           { "select_one", Q_SELECT_ONE },
    { "select_multiple", Q_SELECT_MULTIPLE },
    { "begin_group", Q_BEGIN_GROUP }, { "end_group", Q_END_GROUP },
};

static const struct appearance_word {
    const char *word;
    unsigned    flag;
} appearance_words[] = {
    { "minimal", APP_MINIMAL },       { "likert", APP_LIKERT },
    { "horizontal", APP_HORIZONTAL }, { "multiline", APP_MULTILINE },
    { "field-list", APP_FIELD_LIST }, { "point-service", APP_POINT_SERVICE },
};

bool form_is_name(const char *s)
{
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_')) return false;
    for (s++; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-' || *s == '.'))
            return false;
    return true;
}

static bool is_select(qtype_t t)
{
    return t == Q_SELECT_ONE || t == Q_SELECT_MULTIPLE;
}

/* The type of a type cell ("select_one sino", "begin group"), with the list
 * name of a select in *list (caller frees); -1 when it is not one we know. */
static int parse_type(const char *cell, char **list)
{
    char *copy = xstrdup(cell), *save = NULL, *w[3] = { 0 };
    size_t n = 0, want = 1;
    for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save))
        if (n++ < 3) w[n - 1] = t;
    int type = -1;
    /* "begin group" and "end group" are XLSForm's older spellings. */
    if (n == 2 && !strcasecmp(w[0], "begin") && !strcasecmp(w[1], "group")) {
        type = Q_BEGIN_GROUP;
        want = 2;
    } else if (n == 2 && !strcasecmp(w[0], "end") && !strcasecmp(w[1], "group")) {
        type = Q_END_GROUP;
        want = 2;
    } else if (n > 0) {
        for (size_t i = 0; i < sizeof qtype_words / sizeof qtype_words[0]; i++)
            if (!strcasecmp(w[0], qtype_words[i].word)) type = (int)qtype_words[i].type;
        if (type >= 0 && is_select((qtype_t)type)) want = 2;
    }
    if (n != want) type = -1;
    *list = type >= 0 && is_select((qtype_t)type) ? xstrdup(w[1]) : NULL;
    free(copy);
    return type;
}

static const choice_list_t *find_list(const form_t *f, const char *name)
{
    for (size_t i = 0; i < f->nlists; i++)
        if (!strcmp(f->lists[i].name, name)) return &f->lists[i];
    return NULL;
}

/* Report a type cell we cannot read, saying how selects are written since
 * that is the usual slip. */
static void bad_type(loader_t *L, int line, const char *type)
{
    const char *path = L->s[F_SURVEY].path;
    if (!strncasecmp(type, "select_one", 10) || !strncasecmp(type, "select_multiple", 15))
        diag_add(L->d, path, line, "invalid type \"%s\": write select_one or select_multiple, "
                      "a space, and the list_name of %s", type, form_sheet_word(L, F_CHOICES));
    else
        diag_add(L->d, path, line, "unknown type \"%s\"", type);
}

/* 1 for yes/true/true(), 0 for no/false/false()/empty, -1 otherwise. */
static int parse_yes_no(const char *s)
{
    static const char *const yes[] = { "yes", "true", "true()" };
    static const char *const no[] = { "", "no", "false", "false()" };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (!strcasecmp(s, yes[i])) return 1;
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (!strcasecmp(s, no[i])) return 0;
    return -1;
}

static unsigned parse_appearance(const char *cell)
{
    char *copy = xstrdup(cell), *save = NULL;
    unsigned flags = 0;
    for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save))
        for (size_t i = 0; i < sizeof appearance_words / sizeof appearance_words[0]; i++)
            if (!strcasecmp(t, appearance_words[i].word)) flags |= appearance_words[i].flag;
    free(copy);
    return flags;
}

/* Column indexes of survey.csv (-1 when absent). */
typedef struct survey_cols {
    int type, name, required, relevant, constraint, choice_filter, appearance;
} survey_cols_t;

/* Parse the expression in column col of row r, if any. The untrimmed cell is
 * parsed so that error columns match what the author sees in the cell. */
static void read_expr(loader_t *L, size_t r, int col, const char *what, char **src, expr_t **e)
{
    const char *raw = csv_cell(&L->s[F_SURVEY].t, r, col);
    char *t = form_trimdup(raw);
    if (!*t) {
        free(t);
        return;
    }
    *src = t;
    char err[256];
    *e = expr_parse(raw, err, sizeof err);
    if (!*e)
        diag_add(L->d, L->s[F_SURVEY].path, L->s[F_SURVEY].t.rows[r].line,
                      "bad expression in %s: %s", what, err);
}

/* Fill q from row r. False (q untouched) for a row that is not a question:
 * no type (a comment row) or a type we do not know (reported). */
static bool read_row(loader_t *L, const survey_cols_t *c, size_t r, question_t *q)
{
    const char *path = L->s[F_SURVEY].path;
    int line = L->s[F_SURVEY].t.rows[r].line;
    char *type = form_cell(L, F_SURVEY, r, c->type);
    char *name = form_cell(L, F_SURVEY, r, c->name);
    char *list = NULL;
    int t = *type ? parse_type(type, &list) : -1;
    if (t < 0) {
        if (*type)
            bad_type(L, line, type);
        else if (*name)
            diag_add(L->d, path, line, "missing type for \"%s\"", name);
        free(type);
        free(name);
        return false;
    }
    free(type);
    q->type = (qtype_t)t;
    q->name = name;
    q->row = line;
    q->parent = -1;
    form_read_text(L, F_SURVEY, r, "label", &q->label);
    form_read_text(L, F_SURVEY, r, "hint", &q->hint);
    form_read_text(L, F_SURVEY, r, "required_message", &q->required_msg);
    form_read_text(L, F_SURVEY, r, "constraint_message", &q->constraint_msg);

    char *req = form_cell(L, F_SURVEY, r, c->required);
    int yn = parse_yes_no(req);
    if (yn < 0) diag_add(L->d, path, line, "required must be yes or no, not \"%s\"", req);
    q->required = yn == 1;
    free(req);

    const char *app = csv_cell(&L->s[F_SURVEY].t, r, c->appearance);
    q->appearance = parse_appearance(app);
    read_expr(L, r, c->relevant, "relevant", &q->relevant_src, &q->relevant);
    read_expr(L, r, c->constraint, "constraint", &q->constraint_src, &q->constraint);
    read_expr(L, r, c->choice_filter, "choice_filter", &q->choice_filter_src, &q->choice_filter);

    if (list) {
        if (!L->choices_broken) {
            q->list = find_list(L->f, list);
            if (!q->list && !L->s[F_CHOICES].present)
                diag_add(L->d, path, line, "list \"%s\" not found: %s", list,
                         L->book ? "the workbook has no choices sheet" : "there is no choices.csv");
            else if (!q->list)
                diag_add(L->d, path, line, "list \"%s\" is not in %s", list, form_sheet_word(L, F_CHOICES));
            else if (q->list->nchoices == 0)
                diag_add(L->d, path, line, "list \"%s\" has no choices", list);
        }
        free(list);
    }
    if (q->type != Q_BEGIN_GROUP && q->type != Q_END_GROUP && form_text_empty(&q->label))
        diag_add(L->d, path, line, q->type == Q_NOTE ? "note without label" : "missing label");
    return true;
}

/* Names: present, valid, and unique among questions and groups (an
 * end_group may repeat its group's name or have none). */
static void check_name(loader_t *L, size_t i)
{
    const form_t *f = L->f;
    const question_t *q = &f->q[i];
    const char *path = L->s[F_SURVEY].path;
    if (q->type == Q_END_GROUP) return;
    if (!*q->name) {
        diag_add(L->d, path, q->row, "missing name");
        return;
    }
    if (!form_is_name(q->name)) {
        diag_add(L->d, path, q->row, "invalid name \"%s\": %s", q->name, FORM_NAME_RULE);
        return;
    }
    for (size_t j = 0; j < i; j++)
        if (f->q[j].type != Q_END_GROUP && !strcmp(f->q[j].name, q->name)) {
            diag_add(L->d, path, q->row, "duplicate name \"%s\" (first at row %d)", q->name, f->q[j].row);
            return;
        }
}

/* Set q[i].parent from the stack of open groups, and keep the stack. An
 * end_group's parent is the group it closes. */
static void nest(loader_t *L, size_t i, int *open, size_t *nopen)
{
    question_t *q = &L->f->q[i];
    q->parent = *nopen ? open[*nopen - 1] : -1;
    if (q->type == Q_BEGIN_GROUP) {
        open[(*nopen)++] = (int)i;
    } else if (q->type == Q_END_GROUP) {
        if (*nopen)
            (*nopen)--;
        else
            diag_add(L->d, L->s[F_SURVEY].path, q->row, "end_group without a begin_group");
    }
}

/* What check_ref needs to know about the expression being walked. */
typedef struct refctx {
    loader_t         *L;
    const question_t *q;
    const char       *what;   /* "relevant", "constraint", "choice_filter" */
    size_t            first;  /* d->n when this expression's walk began */
} refctx_t;

/* ${name} must be a question; only a constraint may name its own question
 * (like "."), since a relevant or choice_filter on itself never settles. */
static void check_ref(void *arg, const char *name)
{
    refctx_t *c = arg;
    const question_t *t = form_question(c->L->f, name);
    const char *path = c->L->s[F_SURVEY].path;
    diag_t *d = c->L->d;
    if (!t)
        diag_add(d, path, c->q->row, "unknown question ${%s} in %s", name, c->what);
    else if (t->type == Q_BEGIN_GROUP)
        diag_add(d, path, c->q->row, "${%s} in %s is a group, not a question", name, c->what);
    else if (t == c->q && strcmp(c->what, "constraint"))
        diag_add(d, path, c->q->row, "%s of \"%s\" refers to the question itself", c->what, name);
    else
        return;
    /* An expression may name the same question twice: report it once. */
    for (size_t i = c->first; i + 1 < d->n; i++)
        if (!strcmp(d->lines[i], d->lines[d->n - 1])) {
            free(d->lines[--d->n]);
            return;
        }
}

/* A bare name is a choices.csv column: in a choice_filter it must be one
 * of the list's columns; anywhere else it is a forgotten ${...} (which
 * would silently read as empty and hide or show a question for ever). */
static void check_column(void *arg, const char *name)
{
    refctx_t *c = arg;
    const char *path = c->L->s[F_SURVEY].path;
    if (strcmp(c->what, "choice_filter")) {
        if (form_question(c->L->f, name))
            diag_add(c->L->d, path, c->q->row, "%s uses %s without ${}: write ${%s}",
                          c->what, name, name);
        else
            diag_add(c->L->d, path, c->q->row, "unknown name %s in %s (questions are written ${name})",
                          name, c->what);
        return;
    }
    const choice_list_t *l = c->q->list;
    if (!l || !strcmp(name, "name") || !strcmp(name, "label")) return;
    for (size_t k = 0; k < l->nchoices; k++)
        for (size_t x = 0; x < l->choices[k].nextra; x++)
            if (!strcasecmp(l->choices[k].extra_keys[x], name)) return;
    diag_add(c->L->d, path, c->q->row, "choice_filter uses %s, which is not a column of %s",
                  name, form_sheet_word(c->L, F_CHOICES));
}

static void check_refs(loader_t *L, const question_t *q, const expr_t *e, const char *what)
{
    if (!e) return;
    refctx_t c = { .L = L, .q = q, .what = what, .first = L->d->n };
    expr_refs(e, check_ref, &c);
    expr_columns(e, check_column, &c);
}

void form_load_survey(loader_t *L)
{
    const sheet_t *s = &L->s[F_SURVEY];
    form_t *f = L->f;
    survey_cols_t c = {
        .type = form_col(L, F_SURVEY, "type", NULL),
        .name = form_col(L, F_SURVEY, "name", NULL),
        .required = form_col(L, F_SURVEY, "required", NULL),
        .relevant = form_col(L, F_SURVEY, "relevant", NULL),
        .constraint = form_col(L, F_SURVEY, "constraint", NULL),
        .choice_filter = form_col(L, F_SURVEY, "choice_filter", NULL),
        .appearance = form_col(L, F_SURVEY, "appearance", NULL),
    };
    if (c.type < 0) diag_add(L->d, s->path, s->t.rows[0].line, "missing column \"type\"");
    if (c.name < 0) diag_add(L->d, s->path, s->t.rows[0].line, "missing column \"name\"");
    if (c.type < 0 || c.name < 0) return;

    f->q = xcalloc(s->t.nrows, sizeof *f->q);
    int *open = xmalloc(s->t.nrows * sizeof *open);
    size_t nopen = 0;
    for (size_t r = 1; r < s->t.nrows; r++) {
        if (!read_row(L, &c, r, &f->q[f->nq])) continue;
        nest(L, f->nq, open, &nopen);
        check_name(L, f->nq);
        f->nq++;
    }
    for (size_t k = 0; k < nopen; k++)
        diag_add(L->d, s->path, f->q[open[k]].row, "begin_group \"%s\" has no end_group", f->q[open[k]].name);
    free(open);

    for (size_t i = 0; i < f->nq; i++) {
        check_refs(L, &f->q[i], f->q[i].relevant, "relevant");
        check_refs(L, &f->q[i], f->q[i].constraint, "constraint");
        check_refs(L, &f->q[i], f->q[i].choice_filter, "choice_filter");
    }
}
