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
#include "model/geo.h"
#include "model/pipe.h"

#include "base/buf.h"
#include "base/i18n.h"

#include <math.h>
#include <errno.h>
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
    /* issue 16 item 5 */
    { "time", Q_TIME },           { "datetime", Q_DATETIME },
    { "range", Q_RANGE },         { "acknowledge", Q_ACKNOWLEDGE },
    { "hidden", Q_HIDDEN },
    { "geopoint", Q_GEOPOINT },   { "geotrace", Q_GEOTRACE },
    { "geoshape", Q_GEOSHAPE },
    { "image", Q_IMAGE },
    { "audio", Q_AUDIO },         { "video", Q_VIDEO },
    { "file", Q_FILE },
};

static const struct appearance_word {
    const char *word;
    unsigned    flag;
} appearance_words[] = {
    { "minimal", APP_MINIMAL },       { "likert", APP_LIKERT },
    { "horizontal", APP_HORIZONTAL }, { "multiline", APP_MULTILINE },
    { "field-list", APP_FIELD_LIST }, { "point-service", APP_POINT_SERVICE },
    { "numbers", APP_NUMBERS },       { "month-year", APP_MONTH_YEAR },
    { "year", APP_YEAR },             { "no-calendar", APP_NO_CALENDAR },
    { "no-ticks", APP_NO_TICKS },
    { "new", APP_NEW },               { "new-front", APP_NEW_FRONT },
    { "selfie", APP_NEW_FRONT },
};

/* Appearances that change nothing a person needs on buzon's one-column
 * page (ODK Collect's layout and swipe hints): ignored without a note.
 * Any other word is ignored with a note in forms check, since the author
 * asked for something buzon does not do. */
static const char *const appearance_quiet[] = {
    "quick", "compact", "quickcompact", "vertical", "picker", "label", "list-nolabel", "list",
    "table-list", "columns", "columns-pack", "columns-1", "columns-2", "columns-3", "columns-4",
    "columns-5", "no-buttons", "hidden-answer", "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8",
    "w9", "w10", "ethiopian", "coptic", "islamic", "bikram-sambat", "myanmar", "persian",
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
    return t == Q_SELECT_ONE || t == Q_SELECT_MULTIPLE || t == Q_RANK;
}

/* Other words for the question types, as XLSForm tools accept them
 * (pyxform's aliases and question types, lower case). */
static const struct qtype_alias {
    const char *word;
    qtype_t     type;
} qtype_aliases[] = {
    { "string", Q_TEXT },     { "int", Q_INTEGER },
    /* issue 16 item 5: a barcode is typed (no camera scanning); ODK's
     * acknowledge is written as an XForms trigger. */
    { "barcode", Q_TEXT },    { "trigger", Q_ACKNOWLEDGE },
};

/* issue 15 item 5: whole type cells of older templates and pyxform's
 * question_type_dictionary, read as the type they stand for (case and
 * runs of blanks ignored). */
static const struct type_spelling {
    const char *cell, *as;
} type_spellings[] = {
    { "photo", "image" },                   { "q picture", "image" },
    { "add image prompt", "image" },        { "add photo prompt", "image" },
    { "gps", "geopoint" },                  { "location", "geopoint" },
    { "q location", "geopoint" },           { "add location prompt", "geopoint" },
    { "add text prompt", "text" },          { "add integer prompt", "integer" },
    { "add decimal prompt", "decimal" },    { "add date prompt", "date" },
    { "add date time prompt", "datetime" }, { "add datetime prompt", "datetime" },
    { "date time", "datetime" },            { "q date time", "datetime" },
    { "add note prompt", "note" },          { "add calculate prompt", "calculate" },
    { "add acknowledge prompt", "acknowledge" }, { "add barcode prompt", "barcode" },
    { "phone number", "text" },
    /* metadata, under its older names */
    { "start time", "start" },              { "get start time", "start" },
    { "end time", "end" },                  { "get end time", "end" },
    { "get today", "today" },               { "device id", "deviceid" },
    { "get device id", "deviceid" },        { "uri:deviceid", "deviceid" },
    { "sim id", "simserial" },              { "get sim id", "simserial" },
    { "uri:simserial", "simserial" },       { "subscriber id", "subscriberid" },
    { "get subscriber id", "subscriberid" }, { "uri:subscriberid", "subscriberid" },
    { "get phone number", "phonenumber" },  { "uri:phonenumber", "phonenumber" },
    { "uri:username", "username" },         { "uri:email", "email" },
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
    { "background-geopoint", 0 },
};

/* The spellings of a select before its list name, longest first so that
 * "select one from" is not read as "select one" + "from". */
static const struct select_prefix {
    const char *words;
    qtype_t     type;
} select_prefixes[] = {
    /* issue 16: lists from a CSV beside the form, and from the
     * external_choices sheet (asked here as a plain select_one). */
    { "select_multiple_from_file", Q_SELECT_MULTIPLE },
    { "select_one_from_file", Q_SELECT_ONE },
    { "select_one_external", Q_SELECT_ONE },
    { "add select multiple prompt using", Q_SELECT_MULTIPLE },
    { "add select one prompt using", Q_SELECT_ONE },
    { "select all that apply from", Q_SELECT_MULTIPLE },
    { "select all that apply", Q_SELECT_MULTIPLE },
    { "select one from", Q_SELECT_ONE },
    /* issue 15 item 5: pyxform's other spellings */
    { "select multiple from file", Q_SELECT_MULTIPLE },
    { "select one from file", Q_SELECT_ONE },
    { "select multiple from", Q_SELECT_MULTIPLE },
    { "select multiple using", Q_SELECT_MULTIPLE },
    { "select one using", Q_SELECT_ONE },
    { "select_multiple", Q_SELECT_MULTIPLE },
    { "select_one", Q_SELECT_ONE },
    { "select one", Q_SELECT_ONE },
    { "select1", Q_SELECT_ONE },
    { "rank", Q_RANK },
};

/* A type cell read: a question type (with a select's list), or a metadata
 * row (meta >= 0, an index into meta_words). */
typedef struct type_cell {
    int   type;       /* qtype_t, or -1 (not a question type) */
    int   meta;       /* index into meta_words, or -1 */
    bool  osm;        /* written osm: answered as text (noted) */
    bool  datetime;   /* written dateTime: asked as a date */
    bool  or_other;   /* "... or_other", "... or specify other" (issue 16) */
    bool  from_file;  /* select_*_from_file: list is a file name (issue 16) */
    bool  external;   /* select_one_external: list is in external_choices */
    bool  phone;      /* written "phone number": digits only (pyxform) */
    char *list;       /* a select's list name (owned), else NULL */
    bool  repeat;     /* begin_repeat / end_repeat (issue 16) */
} type_cell_t;

/* Read a type cell ("select_one sino", "begin group", "select one from
 * sino", "q string", "start"). type and meta are both -1 for a cell we do
 * not know. */
static type_cell_t parse_type(const char *cell)
{
    type_cell_t tc = { .type = -1, .meta = -1 };
    /* The cell with single spaces, to look it up among type_spellings. */
    buf_t norm;
    buf_init(&norm);
    for (const char *p = cell; *p; p++)
        if (*p != ' ' && *p != '\t') buf_putc(&norm, *p);
        else if (norm.len && p[1] && p[1] != ' ' && p[1] != '\t') buf_putc(&norm, ' ');
    char *flat = buf_steal(&norm);
    for (size_t i = 0; flat && i < sizeof type_spellings / sizeof type_spellings[0]; i++)
        if (!strcasecmp(flat, type_spellings[i].cell)) {
            tc.phone = !strcmp(type_spellings[i].cell, "phone number");
            cell = type_spellings[i].as;
            break;
        }
    free(flat);
    /* The longest: "select all that apply from L or specify other". */
    char *copy = xstrdup(cell), *save = NULL, *w[12] = { 0 };
    size_t n = 0;
    for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save))
        if (n++ < 12) w[n - 1] = t;
    size_t k = 0;
    /* "q string", "q select1": the prefix of old templates. */
    if (n >= 2 && !strcasecmp(w[0], "q")) k = 1;
    if (n > 12 || n == k) goto done;
    /* issue 16: a select's "or_other" (and the older "or specify other"). */
    if (n - k >= 3 && !strcasecmp(w[n - 1], "or_other")) {
        tc.or_other = true;
        n--;
    } else if (n - k >= 5 && !strcasecmp(w[n - 3], "or") && !strcasecmp(w[n - 2], "specify") &&
               !strcasecmp(w[n - 1], "other")) {
        tc.or_other = true;
        n -= 3;
    }
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
            tc.from_file = strstr(select_prefixes[i].words, "from_file") != NULL ||
                           strstr(select_prefixes[i].words, "from file") != NULL;
            tc.external = !strcmp(select_prefixes[i].words, "select_one_external");
        }
    }
    /* "osm" or "osm <tags list>": OpenStreetMap's editor is an app of
     * its own; here the feature is described in words. */
    if (tc.type < 0 && (n - k == 1 || n - k == 2) && !strcasecmp(w[k], "osm")) {
        tc.type = Q_TEXT;
        tc.osm = true;
        goto done;
    }
    if (tc.or_other && tc.type < 0) goto done;   /* "x or_other" of no select: unknown */
    if (tc.type >= 0 || n - k != 1) goto done;
    for (size_t i = 0; i < sizeof qtype_words / sizeof qtype_words[0]; i++)
        if (!strcasecmp(w[k], qtype_words[i].word) && !is_select(qtype_words[i].type))
            tc.type = (int)qtype_words[i].type;
    for (size_t i = 0; i < sizeof qtype_aliases / sizeof qtype_aliases[0]; i++)
        if (!strcasecmp(w[k], qtype_aliases[i].word)) tc.type = (int)qtype_aliases[i].type;
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

/* The APP_* flags of an appearance cell; a word buzon cannot honour is
 * ignored with a note at line (issue 16 item 5). */
static unsigned parse_appearance(loader_t *L, int line, const char *cell)
{
    char *copy = xstrdup(cell), *save = NULL;
    unsigned flags = 0;
    for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
        bool known = false;
        for (size_t i = 0; i < sizeof appearance_words / sizeof appearance_words[0]; i++)
            if (!strcasecmp(t, appearance_words[i].word)) flags |= appearance_words[i].flag, known = true;
        for (size_t i = 0; i < sizeof appearance_quiet / sizeof appearance_quiet[0]; i++)
            known |= !strcasecmp(t, appearance_quiet[i]);
        if (!known)
            form_note(L, L->s[F_SURVEY].path, line, "appearance \"%s\" is ignored: buzon cannot honour it", t);
    }
    free(copy);
    return flags;
}

/* A number written in a parameters value ("1", "-2.5"); false if not. */
static bool param_num(const char *s, double *out)
{
    char *end;
    if (!*s) return false;
    *out = strtod(s, &end);
    return !*end && isfinite(*out);
}

/* A range's parameters cell, "start=1 end=10 step=1" (spaces, commas or
 * semicolons between; each optional, XLSForm's defaults 1, 10, 1). Bad
 * ones are errors at line: an unknown key, a value not a number, a step
 * not above zero, start equal to end, or more than 10,000 steps. */
static void read_range(loader_t *L, int line, const char *cell, question_t *q)
{
    const char *path = L->s[F_SURVEY].path;
    q->range_start = 1, q->range_end = 10, q->range_step = 1;
    char *copy = xstrdup(cell), *save = NULL;
    for (char *t = strtok_r(copy, " \t,;", &save); t; t = strtok_r(NULL, " \t,;", &save)) {
        char *eq = strchr(t, '=');
        double v = 0;
        if (!eq) {
            diag_add(L->d, path, line, "bad range parameter \"%s\": write start=1 end=10 step=1", t);
            continue;
        }
        *eq = '\0';
        double *slot = !strcasecmp(t, "start") ? &q->range_start : !strcasecmp(t, "end") ? &q->range_end
                     : !strcasecmp(t, "step") ? &q->range_step : NULL;
        if (!slot)
            diag_add(L->d, path, line, "unknown range parameter \"%s\" (start, end, step)", t);
        else if (!param_num(eq + 1, &v))
            diag_add(L->d, path, line, "range parameter %s must be a number, not \"%s\"", t, eq + 1);
        else
            *slot = v;
    }
    free(copy);
    if (!(q->range_step > 0))
        diag_add(L->d, path, line, "range step must be above 0");
    else if (q->range_start == q->range_end)
        diag_add(L->d, path, line, "range start and end must differ");
    else if (fabs(q->range_end - q->range_start) / q->range_step > 10000)
        diag_add(L->d, path, line, "range has more than 10000 steps");
}

/* issue 16, media: an image drawn on the page (signature, draw, annotate)
 * needs a canvas buzon does not have: it is asked as a plain upload, and
 * forms check says so rather than show a page the author did not mean. */
static void image_appearance_note(loader_t *L, const char *path, int line, const char *cell)
{
    static const char *const drawn[] = { "signature", "draw", "annotate" };
    char *copy = xstrdup(cell), *save = NULL;
    for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save))
        for (size_t i = 0; i < sizeof drawn / sizeof drawn[0]; i++)
            if (!strcasecmp(t, drawn[i]))
                form_note(L, path, line, "appearance %s: asked as a plain photo upload "
                          "(buzon draws nothing on the page)", drawn[i]);
    free(copy);
}

/* Column indexes of survey.csv (-1 when absent). */
typedef struct survey_cols {
    int type, name, required, relevant, constraint, choice_filter, appearance;
    int calculation, deflt, read_only, trigger;
    int accept;       /* issue 16: body::accept of a file question */
    int parameters;   /* issue 16: range start/end/step, a geopoint's places=<list>,
                         value=/label= of a _from_file list, randomize and seed */
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
    /* issue 15 item 5: pyxform's BINDING_CONVERSIONS: a cell that Excel
     * stored as a boolean (TRUE), or yes/no, is true()/false(). */
    if (strcmp(what, "choice_filter") && strcmp(what, "default") && form_yes_no(t) >= 0 &&
        strcmp(t, "1") && strcmp(t, "0") && strchr(t, '(') == NULL) {
        raw = form_yes_no(t) ? "true()" : "false()";
        free(t);
        t = xstrdup(raw);
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

/* A geopoint's known places (issue 16): "places=<list>" among the
 * parameters (blank-separated key=value) names a list whose every choice
 * has a geometry column that is a point. */
static void read_places(loader_t *L, const survey_cols_t *c, size_t r, question_t *q)
{
    const char *path = L->s[F_SURVEY].path;
    int line = L->s[F_SURVEY].t.rows[r].line;
    char *cell = form_cell(L, F_SURVEY, r, c->parameters), *save = NULL;
    for (char *t = strtok_r(cell, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
        if (strncasecmp(t, "places=", 7) || L->choices_broken) continue;
        q->places = find_list(L->f, t + 7);
        if (!q->places) {
            diag_add(L->d, path, line, "places list \"%s\" is not in %s", t + 7, form_sheet_word(L, F_CHOICES));
            continue;
        }
        for (size_t k = 0; k < q->places->nchoices; k++) {
            const choice_t *ch = &q->places->choices[k];
            const char *g = NULL;
            for (size_t x = 0; x < ch->nextra; x++)
                if (!strcasecmp(ch->extra_keys[x], "geometry")) g = ch->extra_vals[x];
            geo_point_t p;
            if (!g || geo_point_parse(g, &p) != GEO_OK) {
                diag_add(L->d, path, line, "place \"%s\" of list \"%s\" needs a geometry column "
                         "\"lat lon\" in decimal degrees", ch->name, q->places->name);
                break;
            }
        }
    }
    free(cell);
}

/* ---- lists from files (issue 16) ----------------------------------------- */

/* The list a select_*_from_file row reads: its file, and the value and
 * label columns its parameters name ("value=codigo label=nombre"; the
 * XLSForm defaults name and label). The key names the list: the file
 * name alone with the default columns. Caller frees the key and, when
 * asked for, *value and *label. */
static char *file_key(const char *file, const char *params, char **value, char **label)
{
    char *v = xstrdup("name"), *l = xstrdup("label");
    char *copy = xstrdup(params ? params : ""), *save = NULL;
    for (char *t = strtok_r(copy, " \t,;", &save); t; t = strtok_r(NULL, " \t,;", &save)) {
        char *eq = strchr(t, '=');
        if (!eq || !eq[1]) continue;
        *eq = '\0';
        if (!strcasecmp(t, "value")) free(v), v = xstrdup(eq + 1);
        else if (!strcasecmp(t, "label")) free(l), l = xstrdup(eq + 1);
    }
    free(copy);
    buf_t b;
    buf_init(&b);
    buf_puts(&b, file);
    if (strcmp(v, "name") || strcmp(l, "label")) buf_printf(&b, "|%s|%s", v, l);
    if (value) *value = v; else free(v);
    if (label) *label = l; else free(l);
    return buf_steal(&b);
}

char *form_folder(const loader_t *L)
{
    size_t n = strlen(L->dir);
    if (n > 5 && !strcasecmp(L->dir + n - 5, ".xlsx")) {
        const char *slash = strrchr(L->dir, '/');
        if (!slash) return xstrdup(".");
        return strndup(L->dir, (size_t)(slash - L->dir));
    }
    return xstrdup(L->dir);
}

/* Read file fl->file of row line into fl (path, table), or report why not. */
static void read_file_list(loader_t *L, file_list_t *fl, int line, buf_t *src)
{
    const char *spath = L->s[F_SURVEY].path;
    const char *file = fl->file;
    size_t n = strlen(file);
    if (L->no_folder) {
        diag_add(L->d, spath, line, "the choices of \"%s\" are in a file beside the form, and a workbook "
                 "sent from the browser brings no other file: put the form in the forms folder", file);
        return;
    }
    /* A plain name in the form's own folder: never a path elsewhere. */
    if (strchr(file, '/') || strchr(file, '\\') || file[0] == '.') {
        diag_add(L->d, spath, line, "invalid file name \"%s\": name a file in the form's folder", file);
        return;
    }
    if (n < 5 || strcasecmp(file + n - 4, ".csv")) {
        diag_add(L->d, spath, line, "\"%s\": buzon reads the choices of a _from_file question only from a "
                 ".csv file (name,label columns)", file);
        return;
    }
    char *dir = form_folder(L);
    fl->path = form_path(dir, file);
    free(dir);
    char err[512];
    size_t len;
    char *data = csv_slurp(fl->path, &len, err, sizeof err);
    if (!data) {
        /* errno, not err: err repeats the whole path, the message names the file. */
        diag_add(L->d, spath, line, "cannot read the choices file \"%s\" beside the form: %s", file,
                 strerror(errno));
        return;
    }
    buf_printf(src, "==> %s (%zu bytes) <==\n", file, len);
    buf_append(src, data, len);
    if (len && data[len - 1] != '\n') buf_putc(src, '\n');
    bool ok = csv_parse_bytes(data, len, &fl->t, err, sizeof err) == 0;
    free(data);
    if (!ok) {
        diag_add(L->d, fl->path, fl->t.err_line, "%s", err);
        return;
    }
    if (fl->t.nrows < 2) {
        diag_add(L->d, fl->path, 1, "no choices");
        return;
    }
    bool cols = true;
    const char *need[2] = { fl->value_col, fl->label_col };
    for (int k = 0; k < 2; k++)
        if (csv_col(&fl->t, need[k]) < 0) {
            diag_add(L->d, fl->path, fl->t.rows[0].line, "missing column \"%s\"%s", need[k],
                     k == 0 ? " (the choices' names; parameters value= names another)"
                            : " (the choices' labels; parameters label= names another)");
            cols = false;
        }
    fl->ok = cols;
}

void form_read_files(loader_t *L, buf_t *src)
{
    const sheet_t *s = &L->s[F_SURVEY];
    int ct = csv_col(&s->t, "type"), cp = csv_col(&s->t, "parameters");
    if (ct < 0) return;
    for (size_t r = 1; r < s->t.nrows; r++) {
        type_cell_t tc = parse_type(csv_cell(&s->t, r, ct));
        if (tc.from_file && tc.list) {
            char *v, *l;
            char *key = file_key(tc.list, csv_cell(&s->t, r, cp), &v, &l);
            bool seen = false;
            for (size_t i = 0; i < L->nfiles && !seen; i++) seen = !strcmp(L->files[i].key, key);
            if (seen) {
                free(key), free(v), free(l);
            } else {
                L->files = xrealloc(L->files, (L->nfiles + 1) * sizeof *L->files);
                file_list_t *fl = &L->files[L->nfiles++];
                memset(fl, 0, sizeof *fl);
                fl->key = key, fl->value_col = v, fl->label_col = l, fl->file = xstrdup(tc.list);
                fl->row = s->t.rows[r].line;
                read_file_list(L, fl, fl->row, src);
            }
        }
        free(tc.list);
    }
}

void form_load_files(loader_t *L)
{
    form_t *f = L->f;
    for (size_t i = 0; i < L->nfiles; i++) {
        file_list_t *fl = &L->files[i];
        if (!fl->ok) continue;
        const csv_table_t *t = &fl->t;
        int cv = csv_col(t, fl->value_col), cl = csv_col(t, fl->label_col);
        f->lists = xrealloc(f->lists, (f->nlists + 1) * sizeof *f->lists);
        choice_list_t *lst = &f->lists[f->nlists++];
        memset(lst, 0, sizeof *lst);
        lst->name = xstrdup(fl->key);
        lst->choices = xcalloc(t->nrows, sizeof *lst->choices);
        const csv_row_t *h = &t->rows[0];
        for (size_t r = 1; r < t->nrows; r++) {
            int line = t->rows[r].line;
            char *name = form_trimdup(csv_cell(t, r, cv));
            char *label = form_trimdup(csv_cell(t, r, cl));
            int first = 0;
            for (size_t k = 0; k < lst->nchoices && !first; k++)
                if (!strcmp(lst->choices[k].name, name)) first = 1;
            if (!*name) diag_add(L->d, fl->path, line, "missing %s", fl->value_col);
            else if (!*label) diag_add(L->d, fl->path, line, "missing %s for choice \"%s\"", fl->label_col, name);
            else if (first && !L->choice_dups) diag_add(L->d, fl->path, line, "duplicate choice \"%s\"", name);
            if (!*name || !*label || (first && !L->choice_dups)) {
                free(name), free(label);
                continue;
            }
            choice_t *ch = &lst->choices[lst->nchoices++];
            ch->name = name;
            ch->label.s[f->default_lang] = label;
            /* The other columns, for a choice_filter over the file. */
            ch->extra_keys = xcalloc(h->ncells, sizeof *ch->extra_keys);
            ch->extra_vals = xcalloc(h->ncells, sizeof *ch->extra_vals);
            for (size_t c = 0; c < h->ncells; c++) {
                if ((int)c == cv || (int)c == cl || !*h->cells[c]) continue;
                ch->extra_keys[ch->nextra] = form_trimdup(h->cells[c]);
                ch->extra_vals[ch->nextra++] = form_trimdup(csv_cell(t, r, (int)c));
            }
        }
    }
}

/* A select's parameters (issue 16): randomize=true|false and seed= (a
 * number or an expression), which needs randomize, as in pyxform;
 * value= and label= belong to the _from_file lists (file_key). */
static void read_select_params(loader_t *L, const survey_cols_t *c, size_t r, question_t *q)
{
    const char *path = L->s[F_SURVEY].path;
    int line = L->s[F_SURVEY].t.rows[r].line;
    char *copy = xstrdup(csv_cell(&L->s[F_SURVEY].t, r, c->parameters)), *save = NULL;
    for (char *t = strtok_r(copy, " \t,;", &save); t; t = strtok_r(NULL, " \t,;", &save)) {
        char *eq = strchr(t, '=');
        if (!eq) continue;
        *eq = '\0';
        const char *v = eq + 1;
        if (!strcasecmp(t, "randomize")) {
            int yn = form_yes_no(v);
            if (yn < 0) diag_add(L->d, path, line, "randomize must be true or false, not \"%s\"", v);
            q->randomize = yn == 1;
        } else if (!strcasecmp(t, "seed")) {
            char err[128];
            free(q->seed_src);
            expr_free(q->seed);
            q->seed_src = xstrdup(v);
            q->seed = *v ? expr_parse(v, err, sizeof err) : NULL;
            if (!q->seed) diag_add(L->d, path, line, "bad seed \"%s\": a number or an expression", v);
        }
    }
    free(copy);
    if (q->seed_src && !q->randomize)
        diag_add(L->d, path, line, "seed needs randomize=true in parameters");
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
    if (tc.osm)
        form_note(L, path, line, "%s \"%s\" is answered as text: buzon has no map editor", type, name);
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
    q->appearance = parse_appearance(L, line, app);
    if (q->type == Q_RANGE) read_range(L, line, csv_cell(&L->s[F_SURVEY].t, r, c->parameters), q);
    if (q->type == Q_IMAGE) image_appearance_note(L, path, line, app);
    if (q->type == Q_FILE) {
        char *acc = form_cell(L, F_SURVEY, r, c->accept);
        if (*acc) q->accept = acc;
        else free(acc);
    }
    read_expr(L, r, c->relevant, "relevant", &q->relevant_src, &q->relevant);
    read_expr(L, r, c->constraint, "constraint", &q->constraint_src, &q->constraint);
    if (tc.phone) {
        /* pyxform's "phone number": text of digits only, unless the
         * author wrote a constraint of their own. */
        q->appearance |= APP_TEL;
        if (!q->constraint) {
            char err[64];
            q->constraint_src = xstrdup("regex(., '^\\d*$')");
            q->constraint = expr_parse(q->constraint_src, err, sizeof err);
        }
    }
    read_expr(L, r, c->choice_filter, "choice_filter", &q->choice_filter_src, &q->choice_filter);
    read_calc_cols(L, c, r, q);
    if (q->type == Q_GEOPOINT) read_places(L, c, r, q);
    if (q->repeat) form_repeat_read(L, r, q);

    if (list && tc.from_file) {
        /* Its file's problems are already reported (form_read_files). */
        char *key = file_key(list, csv_cell(&L->s[F_SURVEY].t, r, c->parameters), NULL, NULL);
        q->list = find_list(L->f, key);
        free(key);
        free(list);
        if (q->list && q->type == Q_SELECT_MULTIPLE) check_no_spaces(L, line, q->list);
        list = NULL;
    }
    if (list) read_select_params(L, c, r, q);
    if (list) {
        if (!L->choices_broken) {
            q->list = find_list(L->f, list);
            if (!q->list && tc.external)
                diag_add(L->d, path, line, "list \"%s\" is not in %s", list, form_sheet_word(L, F_EXTERNAL));
            else if (!q->list && !L->s[F_CHOICES].present)
                diag_add(L->d, path, line, "list \"%s\" not found: %s", list,
                         L->book ? "the workbook has no choices sheet" : "there is no choices.csv");
            else if (!q->list)
                diag_add(L->d, path, line, "list \"%s\" is not in %s", list, form_sheet_word(L, F_CHOICES));
            else if (q->list->nchoices == 0)
                diag_add(L->d, path, line, "list \"%s\" has no choices", list);
            else if (q->type == Q_SELECT_MULTIPLE || q->type == Q_RANK)
                check_no_spaces(L, line, q->list);
        }
        free(list);
        q->or_other = tc.or_other;
    }
    if (q->type != Q_BEGIN_GROUP && q->type != Q_END_GROUP && q->type != Q_CALCULATE &&
        q->type != Q_HIDDEN && form_text_empty(&q->label)) {
        /* issue 15 item 5: pyxform takes a note without a label; with no
         * hint either it shows nothing. */
        if (q->type == Q_NOTE)
            form_note(L, path, line, "note \"%s\" has no label%s", q->name,
                      form_text_empty(&q->hint) ? " nor hint: it is not shown" : ": its hint is shown");
        else
            diag_add(L->d, path, line, "missing label");
    }
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
    else if (!t && meta && (!strcmp(c->what, "label") || !strcmp(c->what, "hint")))
        /* issue 15 item 5: shown as nothing (render.c's pipe_value): a
         * page is the same for every visitor and buzon keeps no device
         * or person; the hour and day are kept with the response. */
        form_note(c->L, path, c->q->row, "${%s} in %s shows nothing: buzon keeps it with the response, "
                  "not on the page", name, c->what);
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

/* ---- or_other (issue 16) ---------------------------------------------- */

/* The interface language a form language stands for: by its code
 * ("es"), else by its name ("English", "Español", "Kreyòl"); a form
 * without named languages is taken as Spanish (buzon's default). */
static lang_t other_lang(const form_t *f, int li)
{
    int l = i18n_parse(f->lang_code[li]);
    if (l >= 0) return (lang_t)l;
    if (!strcasecmp(f->lang_code[li], "en")) return LANG_EN;
    if (!strcasecmp(f->lang_code[li], "fr")) return LANG_FR;
    const char *n = f->lang_name[li] ? f->lang_name[li] : "";
    static const struct { const char *prefix; lang_t lang; } names[] = {
        { "english", LANG_EN }, { "espa", LANG_ES }, { "spanish", LANG_ES }, { "krey", LANG_HT },
        { "haitian", LANG_HT }, { "creole", LANG_HT }, { "fran", LANG_FR }, { "french", LANG_FR },
    };
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (!strncasecmp(n, names[k].prefix, strlen(names[k].prefix))) return names[k].lang;
    return *n ? LANG_EN : LANG_ES;
}

/* After select i with or_other: its "other" choice (unless its list has
 * one) and, at f->q[f->nq], the text question <name>_other relevant when
 * "other" is selected. False when nothing was added (no list: the select
 * is already reported). Labels come later (or_other_texts), once every
 * language of the form is known. */
static bool add_specify(loader_t *L, size_t i)
{
    form_t *f = L->f;
    question_t *q = &f->q[i];
    if (!q->list) return false;
    if (!form_choice(q, "other")) {
        q->other = xcalloc(1, sizeof *q->other);
        q->other->name = xstrdup("other");
    }
    question_t *s = &f->q[f->nq];
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "%s_other", q->name);
    s->name = buf_steal(&b);
    s->type = Q_TEXT;
    s->row = q->row;
    s->parent = -1;
    buf_init(&b);
    buf_printf(&b, "selected(${%s}, 'other')", q->name);
    s->relevant_src = buf_steal(&b);
    char err[128];
    s->relevant = expr_parse(s->relevant_src, err, sizeof err);
    return true;
}

/* The texts of what or_other added, in each language of the form: "Otro"
 * / "Lòt" / "Other" for the choice, "Especifique:" ... for the question. */
static void or_other_texts(loader_t *L)
{
    form_t *f = L->f;
    for (size_t i = 0; i + 1 < f->nq; i++) {
        question_t *q = &f->q[i];
        if (!q->or_other || !q->list) continue;
        question_t *s = &f->q[i + 1];
        for (int li = 0; li < f->nlangs; li++) {
            lang_t l = other_lang(f, li);
            if (q->other && !q->other->label.s[li]) q->other->label.s[li] = xstrdup(i18n(l, S_CHOICE_OTHER));
            if (!s->label.s[li]) s->label.s[li] = xstrdup(i18n(l, S_CHOICE_OTHER_SPECIFY));
        }
    }
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
        .parameters = form_col(L, F_SURVEY, "parameters", NULL),
        .accept = form_col(L, F_SURVEY, "body::accept", NULL),
    };
    if (c.type < 0) diag_add(L->d, s->path, s->t.rows[0].line, "missing column \"type\"");
    if (c.name < 0) diag_add(L->d, s->path, s->t.rows[0].line, "missing column \"name\"");
    if (c.type < 0 || c.name < 0) return;

    /* Room for one added "specify" question per row (or_other). */
    f->q = xcalloc(2 * s->t.nrows, sizeof *f->q);
    int *open = xmalloc(2 * s->t.nrows * sizeof *open);
    size_t nopen = 0;
    for (size_t r = 1; r < s->t.nrows; r++) {
        if (!read_row(L, &c, r, &f->q[f->nq])) continue;
        nest(L, f->nq, open, &nopen);
        check_name(L, f->nq);
        f->nq++;
        if (f->q[f->nq - 1].or_other && add_specify(L, f->nq - 1)) {
            nest(L, f->nq, open, &nopen);
            check_name(L, f->nq);
            f->nq++;
        }
    }
    or_other_texts(L);
    for (size_t k = 0; k < nopen; k++)
        diag_add(L->d, s->path, f->q[open[k]].row, "begin_group \"%s\" has no end_group", f->q[open[k]].name);
    free(open);
    share_names(L);

    for (size_t i = 0; i < f->nq; i++) {
        check_refs(L, &f->q[i], f->q[i].required_if, "required");
        check_refs(L, &f->q[i], f->q[i].relevant, "relevant");
        check_refs(L, &f->q[i], f->q[i].constraint, "constraint");
        check_refs(L, &f->q[i], f->q[i].choice_filter, "choice_filter");
        check_refs(L, &f->q[i], f->q[i].seed, "seed");
        check_pipes(L, &f->q[i], &f->q[i].label, "label");
        check_pipes(L, &f->q[i], &f->q[i].hint, "hint");
        check_refs(L, &f->q[i], f->q[i].calc, "calculation");
        check_refs(L, &f->q[i], f->q[i].default_expr, "default");
        check_refs(L, &f->q[i], f->q[i].repeat_count, "repeat_count");
        check_trigger(L, &f->q[i]);
    }
    form_repeat_check(L);
    if (calc_order(L)) form_eval_order(L);
    form_note_post_fields(L);
}
