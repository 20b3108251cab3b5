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
#include "model/pipe.h"

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
    { "calculate", Q_CALCULATE },
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

/* Other words for the question types, as XLSForm tools accept them
 * (pyxform's aliases and question types, lower case). */
static const struct qtype_alias {
    const char *word;
    qtype_t     type;
} qtype_aliases[] = {
    { "string", Q_TEXT },     { "int", Q_INTEGER },
    /* buzon asks no time of day: a dateTime is asked as a date (noted). */
    { "datetime", Q_DATE },
};

/* Metadata types: rows that are not questions (see META_* in form.h). */
static const struct meta_word {
    const char *word;
    unsigned    flag;   /* META_*, or 0: never recorded */
} meta_words[] = {
    { "start", META_START },   { "end", META_END },        { "today", META_TODAY },
    { "deviceid", 0 },         { "imei", 0 },              { "username", 0 },
    { "phonenumber", 0 },      { "simserial", 0 },         { "subscriberid", 0 },
    { "email", 0 },            { "audit", 0 },             { "start-geopoint", 0 },
    { "background-audio", 0 },
};

/* The spellings of a select before its list name, longest first so that
 * "select one from" is not read as "select one" + "from". */
static const struct select_prefix {
    const char *words;
    qtype_t     type;
} select_prefixes[] = {
    { "add select multiple prompt using", Q_SELECT_MULTIPLE },
    { "add select one prompt using", Q_SELECT_ONE },
    { "select all that apply from", Q_SELECT_MULTIPLE },
    { "select all that apply", Q_SELECT_MULTIPLE },
    { "select one from", Q_SELECT_ONE },
    { "select_multiple", Q_SELECT_MULTIPLE },
    { "select_one", Q_SELECT_ONE },
    { "select one", Q_SELECT_ONE },
    { "select1", Q_SELECT_ONE },
};

/* A type cell read: a question type (with a select's list), or a metadata
 * row (meta >= 0, an index into meta_words). */
typedef struct type_cell {
    int   type;       /* qtype_t, or -1 (not a question type) */
    int   meta;       /* index into meta_words, or -1 */
    bool  datetime;   /* written dateTime: asked as a date */
    char *list;       /* a select's list name (owned), else NULL */
    bool  repeat;     /* begin_repeat / end_repeat (issue 16) */
} type_cell_t;

/* Read a type cell ("select_one sino", "begin group", "select one from
 * sino", "q string", "start"). type and meta are both -1 for a cell we do
 * not know. */
static type_cell_t parse_type(const char *cell)
{
    type_cell_t tc = { .type = -1, .meta = -1 };
    char *copy = xstrdup(cell), *save = NULL, *w[8] = { 0 };
    size_t n = 0;
    for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save))
        if (n++ < 8) w[n - 1] = t;
    size_t k = 0;
    /* "q string", "q select1": the prefix of old templates. */
    if (n >= 2 && !strcasecmp(w[0], "q")) k = 1;
    if (n > 8 || n == k) goto done;
    /* "begin group" and "end group" are XLSForm's older spellings. */
    if (n - k == 2 && (!strcasecmp(w[k + 1], "group") || !strcasecmp(w[k + 1], "repeat")) &&
        (!strcasecmp(w[k], "begin") || !strcasecmp(w[k], "end"))) {
        tc.type = !strcasecmp(w[k], "begin") ? Q_BEGIN_GROUP : Q_END_GROUP;
        tc.repeat = !strcasecmp(w[k + 1], "repeat");
        goto done;
    }
    if (n - k == 1 && (!strcasecmp(w[k], "begin_repeat") || !strcasecmp(w[k], "end_repeat"))) {
        tc.type = !strcasecmp(w[k], "begin_repeat") ? Q_BEGIN_GROUP : Q_END_GROUP;
        tc.repeat = true;
        goto done;
    }
    for (size_t i = 0; i < sizeof select_prefixes / sizeof select_prefixes[0] && tc.type < 0; i++) {
        /* Does w[k..] start with the words of this prefix? */
        char *pw = xstrdup(select_prefixes[i].words), *ps = NULL;
        size_t m = k;
        bool match = true;
        for (char *t = strtok_r(pw, " ", &ps); t && match; t = strtok_r(NULL, " ", &ps), m++)
            match = m < n && !strcasecmp(w[m], t);
        free(pw);
        if (match && m + 1 == n) {
            tc.type = (int)select_prefixes[i].type;
            tc.list = xstrdup(w[m]);
        }
    }
    if (tc.type >= 0 || n - k != 1) goto done;
    for (size_t i = 0; i < sizeof qtype_words / sizeof qtype_words[0]; i++)
        if (!strcasecmp(w[k], qtype_words[i].word) && !is_select(qtype_words[i].type))
            tc.type = (int)qtype_words[i].type;
    for (size_t i = 0; i < sizeof qtype_aliases / sizeof qtype_aliases[0]; i++)
        if (!strcasecmp(w[k], qtype_aliases[i].word)) tc.type = (int)qtype_aliases[i].type;
    tc.datetime = !strcasecmp(w[k], "datetime");
    for (size_t i = 0; i < sizeof meta_words / sizeof meta_words[0]; i++)
        if (!k && !strcasecmp(w[k], meta_words[i].word)) tc.meta = (int)i;
done:
    free(copy);
    return tc;
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
    else if (!strncasecmp(type, "begin loop", 10) || !strcasecmp(type, "end loop"))
        /* issue 16: pyxform's loop is a group per choice, not a repeat */
        diag_add(L->d, path, line, "%s: pyxform's loop over a list is not supported; write a group per "
                 "choice, or a begin_repeat", type);
    else
        diag_add(L->d, path, line, "unknown type \"%s\"", type);
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
    int calculation, deflt, read_only, trigger;
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

/* A metadata row (meta_words[m]): not a question. start, end and today
 * are what buzon keeps of every response anyway; the identifiers of a
 * device or a person are never recorded, whatever the form asks. Either
 * way forms check says what became of it. */
static void read_meta(loader_t *L, int line, int m, char *name)
{
    const char *path = L->s[F_SURVEY].path;
    const char *w = meta_words[m].word;
    L->f->meta |= meta_words[m].flag;
    if (*name) {
        L->meta_names = xrealloc(L->meta_names, (L->nmeta + 1) * sizeof *L->meta_names);
        L->meta_names[L->nmeta++] = name;
    } else {
        free(name);
    }
    switch (meta_words[m].flag) {
    case META_START:
        form_note(L, path, line, "start: not a question; buzon keeps the hour each response was sent "
                  "and how long it took (its start is that hour less the duration)");
        break;
    case META_END:
        form_note(L, path, line, "end: not a question; buzon keeps the hour each response was sent");
        break;
    case META_TODAY:
        form_note(L, path, line, "today: not a question; the day is that of the hour each response was sent");
        break;
    default:
        form_note(L, path, line, "%s is never recorded: buzon keeps no device, person, place or "
                  "recording of whoever answers (privacy)", w);
        break;
    }
}

/* A select_multiple's answer is its choices' names separated by spaces,
 * so its list may not have a name with a space (XLSForm's rule too; a
 * select_one may). */
static void check_no_spaces(loader_t *L, int line, const choice_list_t *l)
{
    for (size_t k = 0; k < l->nchoices; k++)
        if (strpbrk(l->choices[k].name, " \t")) {
            diag_add(L->d, L->s[F_SURVEY].path, line,
                     "invalid choice name \"%s\" in list \"%s\" of a select_multiple: no spaces "
                     "(select_multiple answers are space-separated)", l->choices[k].name, l->name);
            return;
        }
}

/* True when the expression text calls a function whose value changes
 * from one visitor or moment to the next (today(), now(), uuid(),
 * random(), once()): such a default cannot go on the fresh page, which is
 * cached and the same for everyone. */
static bool calls_any(const char *src, const char *const *fns, size_t nfns);

static bool volatile_src(const char *src)
{
    static const char *const fns[] = { "today", "now", "uuid", "random", "once" };
    return calls_any(src, fns, sizeof fns / sizeof fns[0]);
}

/* Whether the expression text calls one of fns[0..nfns). */
static bool calls_any(const char *src, const char *const *fns, size_t nfns)
{
    for (const char *p = src; *p; p++) {
        if (*p != '(') continue;
        const char *e = p;
        while (e > src && (e[-1] == ' ' || e[-1] == '\t')) e--;
        const char *b = e;
        while (b > src && ((b[-1] >= 'a' && b[-1] <= 'z') || b[-1] == '-' || b[-1] == ':')) b--;
        for (size_t k = 0; k < nfns; k++)
            if ((size_t)(e - b) == strlen(fns[k]) && !strncmp(b, fns[k], (size_t)(e - b))) return true;
    }
    return false;
}

static void no_ref(void *arg, const char *name)
{
    (void)name;
    *(bool *)arg = true;
}

static void any_path(void *arg, const char *name, const char *path)
{
    (void)name, (void)path;
    *(bool *)arg = true;
}

/* Whether a default names a question by a path ("../y", "/data/y"), an
 * expression as much as "${y}" is; a text that merely starts with "/" or
 * "." and does not parse as one stays a static value. */
static bool names_by_path(const char *def)
{
    const char *p = def;
    while (*p == ' ') p++;
    if (*p != '/' && *p != '.') return false;
    char err[64];
    expr_t *e = expr_parse(def, err, sizeof err);
    bool path = false;
    if (e) expr_paths(e, any_path, &path);
    expr_free(e);
    return path;
}

/* The calculation, default, read_only and trigger columns of row r (issue
 * 15): a default is dynamic, an expression, when it names a question (by
 * ${} or by a path) or calls a function (as pyxform decides), else a value
 * pre-filled as is. */
static void read_calc_cols(loader_t *L, const survey_cols_t *c, size_t r, question_t *q)
{
    const char *path = L->s[F_SURVEY].path;
    int line = L->s[F_SURVEY].t.rows[r].line;
    read_expr(L, r, c->calculation, "calculation", &q->calc_src, &q->calc);
    q->calc_volatile = q->calc_src && volatile_src(q->calc_src);
    static const char *const once[] = { "once" };
    q->calc_once = q->calc_src && calls_any(q->calc_src, once, 1);
    char *def = form_cell(L, F_SURVEY, r, c->deflt);
    if (*def) {
        q->default_src = def;
        /* A call: a '(' after a letter, blanks between allowed. */
        bool call = false;
        for (const char *p = strchr(def, '('); p && !call; p = strchr(p + 1, '(')) {
            const char *b = p;
            while (b > def && b[-1] == ' ') b--;
            call = b > def && ((b[-1] >= 'a' && b[-1] <= 'z') || (b[-1] >= 'A' && b[-1] <= 'Z'));
        }
        if (strstr(def, "${") || call || names_by_path(def)) {
            char *src = NULL;
            read_expr(L, r, c->deflt, "default", &src, &q->default_expr);
            free(src);
            bool refs = false;
            if (q->default_expr) expr_names(q->default_expr, no_ref, &refs);
            q->default_fresh = q->default_expr && !refs && !volatile_src(def);
        }
    } else {
        free(def);
    }
    char *ro = form_cell(L, F_SURVEY, r, c->read_only);
    int yn = form_yes_no(ro);
    if (yn < 0) diag_add(L->d, path, line, "read_only must be yes or no, not \"%s\"", ro);
    q->read_only = yn == 1;
    free(ro);
    char *trig = form_cell(L, F_SURVEY, r, c->trigger);
    if (*trig) q->trigger_src = trig;
    else free(trig);
    if (q->type == Q_CALCULATE && !q->calc_src && !q->default_src)
        diag_add(L->d, path, line, "calculate \"%s\" has no calculation", q->name);
}

/* Fill q from row r. False (q untouched) for a row that is not a question:
 * no type (a comment row) or a type we do not know (reported). */
static bool read_row(loader_t *L, const survey_cols_t *c, size_t r, question_t *q)
{
    const char *path = L->s[F_SURVEY].path;
    int line = L->s[F_SURVEY].t.rows[r].line;
    char *type = form_cell(L, F_SURVEY, r, c->type);
    char *name = form_cell(L, F_SURVEY, r, c->name);
    type_cell_t tc = { .type = -1, .meta = -1 };
    if (*type) tc = parse_type(type);
    if (tc.meta >= 0) {
        read_meta(L, line, tc.meta, name);
        free(type);
        return false;
    }
    char *list = tc.list;
    int t = tc.type;
    if (t < 0) {
        if (*type)
            bad_type(L, line, type);
        else if (*name)
            diag_add(L->d, path, line, "missing type for \"%s\"", name);
        free(type);
        free(name);
        return false;
    }
    if (tc.datetime)
        form_note(L, path, line, "%s \"%s\" is asked as a date: buzon asks no time of day", type, name);
    free(type);
    if (t == Q_NOTE && !*name) {
        /* XLSForm tools name a note without one; it takes no answer, so
         * its name is only a key. */
        free(name);
        buf_t b;
        buf_init(&b);
        buf_printf(&b, "_note_%d", line);
        name = buf_steal(&b);
    }
    q->type = (qtype_t)t;
    q->repeat = tc.repeat;
    q->name = name;
    q->row = line;
    q->parent = -1;
    form_read_text(L, F_SURVEY, r, "label", &q->label);
    form_read_text(L, F_SURVEY, r, "hint", &q->hint);
    form_read_text(L, F_SURVEY, r, "required_message", &q->required_msg);
    form_read_text(L, F_SURVEY, r, "constraint_message", &q->constraint_msg);
    form_read_text(L, F_SURVEY, r, "guidance_hint", &q->guidance_hint);

    char *req = form_cell(L, F_SURVEY, r, c->required);
    int yn = form_yes_no(req);
    if (yn < 0 && (strstr(req, "${") || strchr(req, '('))) {
        /* An expression: checked like the others, asked as required. */
        /* An expression: checked like the others, and asked with the
         * answers (answers_validate). */
        read_expr(L, r, c->required, "required", &q->required_src, &q->required_if);
        yn = 1;
    }
    if (yn < 0) diag_add(L->d, path, line, "required must be yes or no, not \"%s\"", req);
    q->required = yn == 1;
    free(req);

    const char *app = csv_cell(&L->s[F_SURVEY].t, r, c->appearance);
    q->appearance = parse_appearance(app);
    read_expr(L, r, c->relevant, "relevant", &q->relevant_src, &q->relevant);
    read_expr(L, r, c->constraint, "constraint", &q->constraint_src, &q->constraint);
    read_expr(L, r, c->choice_filter, "choice_filter", &q->choice_filter_src, &q->choice_filter);
    read_calc_cols(L, c, r, q);
    if (q->repeat) form_repeat_read(L, r, q);

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
            else if (q->type == Q_SELECT_MULTIPLE)
                check_no_spaces(L, line, q->list);
        }
        free(list);
    }
    if (q->type != Q_BEGIN_GROUP && q->type != Q_END_GROUP && q->type != Q_CALCULATE &&
        form_text_empty(&q->label))
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
    /* The same name in different groups is XLSForm's; share_names()
     * stores each by its group path. */
    for (size_t j = 0; j < i; j++)
        if (f->q[j].type != Q_END_GROUP && f->q[j].parent == q->parent && !strcmp(f->q[j].name, q->name)) {
            diag_add(L->d, path, q->row, "duplicate name \"%s\" (first at row %d)", q->name, f->q[j].row);
            return;
        }
}

/* Path of q: its groups' names and its own, joined by '.' ("hogar.edad").
 * Caller frees. */
static char *group_path(const form_t *f, size_t i)
{
    const question_t *q = &f->q[i];
    if (q->parent < 0) return xstrdup(q->name);
    char *up = group_path(f, (size_t)q->parent);
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "%s.%s", up, q->name);
    free(up);
    return buf_steal(&b);
}

static bool is_shared(const loader_t *L, const char *name)
{
    for (size_t i = 0; i < L->nshared; i++)
        if (!strcmp(L->shared[i], name)) return true;
    return false;
}

/* A name given in more than one group (XLSForm allows it; a response's
 * answers are kept by name) becomes each one's group path, "a.x" and
 * "b.x" (a "x" outside any group stays "x"). A path that clashes with
 * another name is a duplicate. */
static void share_names(loader_t *L)
{
    form_t *f = L->f;
    for (size_t i = 0; i < f->nq; i++)
        for (size_t j = i + 1; j < f->nq; j++)
            if (f->q[i].type != Q_END_GROUP && f->q[j].type != Q_END_GROUP && *f->q[i].name &&
                !strcmp(f->q[i].name, f->q[j].name) && !is_shared(L, f->q[i].name)) {
                L->shared = xrealloc(L->shared, (L->nshared + 1) * sizeof *L->shared);
                L->shared[L->nshared++] = xstrdup(f->q[i].name);
            }
    if (!L->nshared) return;
    /* Paths from the names as written, then renamed all at once. */
    char **paths = xcalloc(f->nq, sizeof *paths);
    for (size_t i = 0; i < f->nq; i++)
        if (f->q[i].type != Q_END_GROUP && is_shared(L, f->q[i].name)) paths[i] = group_path(f, i);
    for (size_t i = 0; i < f->nq; i++) {
        if (!paths[i]) continue;
        if (strcmp(paths[i], f->q[i].name))
            form_note(L, L->s[F_SURVEY].path, f->q[i].row, "\"%s\" is also the name of another question: "
                      "its answers are kept as \"%s\"", f->q[i].name, paths[i]);
        free(f->q[i].name);
        f->q[i].name = paths[i];
    }
    free(paths);
    for (size_t i = 0; i < f->nq; i++)
        for (size_t j = 0; j < i; j++)
            if (f->q[i].type != Q_END_GROUP && f->q[j].type != Q_END_GROUP &&
                f->q[i].parent != f->q[j].parent && !strcmp(f->q[i].name, f->q[j].name)) {
                diag_add(L->d, L->s[F_SURVEY].path, f->q[i].row, "duplicate name \"%s\" (first at row %d)",
                         f->q[i].name, f->q[j].row);
                break;
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
    bool meta = false;
    for (size_t i = 0; i < c->L->nmeta; i++) meta |= !strcmp(c->L->meta_names[i], name);
    if (is_shared(c->L, name))
        diag_add(d, path, c->q->row, "${%s} in %s is ambiguous: more than one group has a \"%s\"; "
                 "write its group path, e.g. ${group.%s}", name, c->what, name, name);
    else if (!t && meta)
        diag_add(d, path, c->q->row, "${%s} in %s is a metadata field, which is not a question in buzon",
                 name, c->what);
    else if (!t)
        diag_add(d, path, c->q->row, "unknown question ${%s} in %s", name, c->what);
    else if (t->type == Q_BEGIN_GROUP && !t->repeat)   /* a repeat: indexed-repeat()'s 2nd argument */
        diag_add(d, path, c->q->row, "${%s} in %s is a group, not a question", name, c->what);
    else if (t == c->q && strcmp(c->what, "constraint") && strcmp(c->what, "label") && strcmp(c->what, "hint"))
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

/* ${name} in every language of a label or hint (model/pipe.h) names a
 * question, as in an expression; a label may show its own answer. */
static void check_pipes(loader_t *L, const question_t *q, const text_t *t, const char *what)
{
    refctx_t c = { .L = L, .q = q, .what = what, .first = L->d->n };
    for (int li = 0; li < FORM_MAX_LANGS; li++) pipe_refs(t->s[li], check_ref, &c);
}

static void check_refs(loader_t *L, const question_t *q, expr_t *e, const char *what)
{
    if (!e) return;
    refctx_t c = { .L = L, .q = q, .what = what, .first = L->d->n };
    expr_refs(e, check_ref, &c);
    expr_columns(e, check_column, &c);
    form_check_lookups(L, q, e, what);
}

/* A trigger names the question(s) whose change redoes this calculation:
 * "${a}" or "${a} ${b}". Server-side every calculation is redone on
 * submit, so it changes nothing here; only the names are checked. */
static void check_trigger(loader_t *L, const question_t *q)
{
    if (!q->trigger_src) return;
    for (const char *p = strstr(q->trigger_src, "${"); p; p = strstr(p + 2, "${")) {
        const char *e = strchr(p, '}');
        if (!e) break;
        char *name = xmalloc((size_t)(e - p - 1));
        memcpy(name, p + 2, (size_t)(e - p - 2));
        name[e - p - 2] = '\0';
        if (!form_question(L->f, name))
            diag_add(L->d, L->s[F_SURVEY].path, q->row, "unknown question ${%s} in trigger", name);
        free(name);
    }
}

/* Depth-first walk of the calculations for calc_order(). */
typedef struct calc_walk {
    loader_t *L;
    int      *state;    /* per question: 0 new, 1 on the stack, 2 done */
    size_t   *stack;    /* the path being walked */
    size_t    depth;
    size_t    cur;      /* question whose references are being followed */
    bool      cycle;    /* one cycle reported: stop */
} calc_walk_t;

static void calc_visit(calc_walk_t *w, size_t i);

static void calc_ref(void *arg, const char *name)
{
    calc_walk_t *w = arg;
    const form_t *f = w->L->f;
    const question_t *t = form_question(f, name);
    if (w->cycle || !t || !t->calc) return;
    size_t j = (size_t)(t - f->q), from = w->cur;
    if (j == from) return;   /* check_ref reports a calculation on itself */
    if (w->state[j] == 1) {
        /* The cycle is the stack from j's place up to here, back to j. */
        buf_t b;
        buf_init(&b);
        size_t k = 0;
        while (w->stack[k] != j) k++;
        for (; k < w->depth; k++) buf_printf(&b, "%s -> ", f->q[w->stack[k]].name);
        buf_puts(&b, f->q[j].name);
        diag_add(w->L->d, w->L->s[F_SURVEY].path, f->q[j].row, "calculation cycle: %s", b.data);
        buf_free(&b);
        w->cycle = true;
        return;
    }
    if (w->state[j] == 0) calc_visit(w, j);
    w->cur = from;
}

static void calc_visit(calc_walk_t *w, size_t i)
{
    form_t *f = w->L->f;
    w->state[i] = 1;
    w->stack[w->depth++] = i;
    w->cur = i;
    expr_names(f->q[i].calc, calc_ref, w);   /* ${y}, ../y and /data/y alike */
    w->depth--;
    w->state[i] = 2;
    if (!w->cycle) f->calc_order[f->ncalc++] = i;
}

/* form_t.calc_order: the questions with a calculation, each after the
 * calculations its own names (a topological order of the references,
 * ${} and paths);
 * a cycle is an error naming it, "calculation cycle: a -> b -> a" (and
 * false). */
static bool calc_order(loader_t *L)
{
    form_t *f = L->f;
    if (!f->nq) return true;
    calc_walk_t w = { .L = L, .state = xcalloc(f->nq, sizeof *w.state),
                      .stack = xcalloc(f->nq, sizeof *w.stack) };
    f->calc_order = xcalloc(f->nq, sizeof *f->calc_order);
    for (size_t i = 0; i < f->nq && !w.cycle; i++)
        if (f->q[i].calc && !w.state[i]) calc_visit(&w, i);
    free(w.state);
    free(w.stack);
    return !w.cycle;
}

void form_load_survey(loader_t *L)
{
    const sheet_t *s = &L->s[F_SURVEY];
    form_t *f = L->f;
    survey_cols_t c = {
        .type = form_col(L, F_SURVEY, "type", NULL),
        .name = form_col(L, F_SURVEY, "name", NULL),
        .required = form_col(L, F_SURVEY, "required", NULL),
        .relevant = form_col(L, F_SURVEY, "relevant", "relevance"),
        .constraint = form_col(L, F_SURVEY, "constraint", NULL),
        .choice_filter = form_col(L, F_SURVEY, "choice_filter", NULL),
        .appearance = form_col(L, F_SURVEY, "appearance", NULL),
        .calculation = form_col(L, F_SURVEY, "calculation", "calculate"),
        .deflt = form_col(L, F_SURVEY, "default", NULL),
        .read_only = form_col(L, F_SURVEY, "read_only", "readonly"),
        .trigger = form_col(L, F_SURVEY, "trigger", NULL),
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
    share_names(L);

    for (size_t i = 0; i < f->nq; i++) {
        check_refs(L, &f->q[i], f->q[i].required_if, "required");
        check_refs(L, &f->q[i], f->q[i].relevant, "relevant");
        check_refs(L, &f->q[i], f->q[i].constraint, "constraint");
        check_refs(L, &f->q[i], f->q[i].choice_filter, "choice_filter");
        check_pipes(L, &f->q[i], &f->q[i].label, "label");
        check_pipes(L, &f->q[i], &f->q[i].hint, "hint");
        check_refs(L, &f->q[i], f->q[i].calc, "calculation");
        check_refs(L, &f->q[i], f->q[i].default_expr, "default");
        check_refs(L, &f->q[i], f->q[i].repeat_count, "repeat_count");
        check_trigger(L, &f->q[i]);
    }
    form_repeat_check(L);
    if (calc_order(L)) form_eval_order(L);
}
