/*
 * indicators_defs.c: the data files behind the indicators: the definitions
 * (forms/indicators.csv), the plan (forms/plan.csv), the breakdowns, local
 * dates, and the aggregate layout the definitions imply.
 *
 * Both files are edited by planners in a spreadsheet, so the loaders read
 * every row and report every problem at once as `file:row: message`, in
 * English like the form loader's, and check each definition against the
 * form it names: an indicator over a question that does not exist would
 * otherwise silently read as "no data".
 */
#include "model/ind_accs.h"

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/bizdays.h"
#include "model/catalog.h"
#include "model/form_repeat.h"
#include "base/csvread.h"

/* ---- kinds and breakdowns ------------------------------------------------ */

static const char *const kind_names[IND_KIND_COUNT] = {
    [IND_INDEX] = "index", [IND_TOP2] = "top2", [IND_SHARE] = "share",
    [IND_MEAN] = "mean",   [IND_MEDIAN] = "median", [IND_COUNT] = "count",
    [IND_SUM] = "sum",     [IND_SUMSHARE] = "sumshare", [IND_ENTRIES] = "entries",   /* issue 18 */
};

const char *ind_kind_name(ind_kind_t k)
{
    return k >= 0 && k < IND_KIND_COUNT ? kind_names[k] : "?";
}

bool ind_kind_is_percent(ind_kind_t k)
{
    return k == IND_TOP2 || k == IND_SHARE || k == IND_SUMSHARE;
}

const char *const ind_answer_dims[IND_DIM_IDIOMA + 1] = {
    "sexo", "edad", "zona", "discapacidad", "idioma",
};

static const struct { const char *name; str_id_t title; } dims[IND_DIM_COUNT] = {
    [IND_DIM_SEXO] = { "sexo", S_IND_DIM_SEXO },
    [IND_DIM_EDAD] = { "edad", S_IND_DIM_EDAD },
    [IND_DIM_ZONA] = { "zona", S_IND_DIM_ZONA },
    [IND_DIM_DISCAPACIDAD] = { "discapacidad", S_IND_DIM_DISCAPACIDAD },
    [IND_DIM_IDIOMA] = { "idioma", S_IND_DIM_IDIOMA },
    [IND_DIM_LANG] = { "idioma_encuesta", S_IND_DIM_LANG },
    [IND_DIM_CANAL] = { "canal", S_IND_DIM_CANAL },
    [IND_DIM_PUNTO] = { "punto", S_IND_POINT },
    [IND_DIM_SERVICIO] = { "servicio", S_IND_SERVICE },
    [IND_DIM_MES] = { "mes", S_IND_DIM_MES },
};

const char *ind_dim_name(ind_dim_t d)
{
    return d >= 0 && d < IND_DIM_COUNT ? dims[d].name : "?";
}

int ind_dim_parse(const char *name)
{
    for (int d = 0; name && d < IND_DIM_COUNT; d++)
        if (!strcmp(name, dims[d].name)) return d;
    return -1;
}

const char *ind_dim_title(ind_dim_t d, lang_t lang)
{
    return i18n(lang, dims[d].title);
}

bool ind_dims_parse(const char *s, unsigned *out)
{
    if (!s || !*s) {
        *out = IND_DIMS_ALL;
        return true;
    }
    *out = 0;
    if (!strcmp(s, "none")) return true;
    while (*s) {
        size_t n = strcspn(s, ",");
        char name[32];
        if (n == 0 || n >= sizeof name) return false;
        memcpy(name, s, n);
        name[n] = '\0';
        int d = ind_dim_parse(name);
        if (d < 0) return false;
        *out |= 1u << d;
        s += n + (s[n] == ',');
    }
    return true;
}

ind_filter_t ind_filter_all(void)
{
    return (ind_filter_t){ .from_day = IND_DAY_MIN, .to_day = IND_DAY_MAX };
}

/* v, or NULL when it is "" (no filter). */
static const char *given(const char *v)
{
    return v && *v ? v : NULL;
}

const char *ind_filter_set(ind_filter_t *f, const char *from, const char *to, const char *form,
                           const char *point, const char *service, const char **why)
{
    *f = ind_filter_all();
    from = given(from);
    to = given(to);
    f->form = given(form);
    f->point = given(point);
    f->service = given(service);
    *why = "a date YYYY-MM-DD";
    if (from && !ind_parse_date(from, &f->from_day)) return "from";
    if (to && !ind_parse_date(to, &f->to_day)) return "to";
    if (from && to && f->from_day > f->to_day) {
        *why = "a date not after 'to'";
        return "from";
    }
    return NULL;
}

const char *const ind_channels[IND_NCHANNELS] = { "web", "papel", "entrevista", "registro" };

const char *ind_channel_norm(const char *code)
{
    return code && !strcmp(code, "paper") ? "papel" : code;
}

const char *ind_filter_set_channel(ind_filter_t *f, const char *channel, const char **why)
{
    f->channel = NULL;
    if (!given(channel)) return NULL;
    for (int i = 0; i < IND_NCHANNELS; i++)
        if (!strcmp(channel, ind_channels[i])) f->channel = ind_channels[i];
    *why = "one of web, papel, entrevista, registro";
    return f->channel ? NULL : "channel";
}

const char *ind_filter_check(const struct catalog *cat, const ind_filter_t *f, const char **why)
{
    *why = "the id of a form";
    if (f->form && !catalog_form(cat, f->form, NULL)) return "form";
    *why = "the id of a service point (forms/points.csv)";
    if (f->point && !points_find(&cat->points, f->point)) return "point";
    *why = "the id of a service (forms/services.csv)";
    if (f->service && !points_service(&cat->points, f->service)) return "service";
    return NULL;
}

/* ---- dates (the calendar is base/bizdays.h) ------------------------------- */

int ind_day_to_ym(int64_t day)
{
    int y, m, d;
    bizdays_to_civil((int32_t)day, &y, &m, &d);
    return y * 12 + m - 1;
}

void ind_month_key_format(int ym, char out[IND_MONTH_KEY_SIZE])
{
    snprintf(out, IND_MONTH_KEY_SIZE, "%04d-%02d", ym / 12, ym % 12 + 1);
}

int ind_month_key_parse(const char *key)
{
    return atoi(key) * 12 + atoi(key + 5) - 1;
}

bool ind_parse_date(const char *s, int64_t *day)
{
    int32_t v;
    if (!bizdays_parse(s, &v)) return false;
    *day = v;
    return true;
}

/* ---- reading the sheets ------------------------------------------------------ */

/* Column of base::Name (code), e.g. "label::Español (es)"; -1 if none. */
static int col_lang(const csv_table_t *t, const char *base, const char *code)
{
    if (!t->nrows) return -1;
    const csv_row_t *h = &t->rows[0];
    size_t bl = strlen(base);
    char suffix[8];
    snprintf(suffix, sizeof suffix, "(%s)", code);
    size_t sl = strlen(suffix);
    for (size_t i = 0; i < h->ncells; i++) {
        const char *c = h->cells[i];
        size_t n = strlen(c);
        while (n && isspace((unsigned char)c[n - 1])) n--;
        if (n > bl + 2 + sl && !strncasecmp(c, base, bl) && c[bl] == ':' && c[bl + 1] == ':' &&
            !strncasecmp(c + n - sl, suffix, sl))
            return (int)i;
    }
    return -1;
}

/* A cell without surrounding blanks (Excel hides a trailing space); caller
 * frees. */
static char *cell_trim(const csv_table_t *t, size_t r, int c)
{
    const char *s = csv_cell(t, r, c);
    while (isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) n--;
    char *out = strndup(s, n);
    if (!out) abort();
    return out;
}

/* Split a space-separated list; returns the count, *out owned by caller. */
static size_t split_words(const char *s, char ***out)
{
    size_t n = 0;
    char **v = NULL;
    while (*s) {
        while (isspace((unsigned char)*s)) s++;
        const char *b = s;
        while (*s && !isspace((unsigned char)*s)) s++;
        if (s > b) {
            v = xrealloc(v, (n + 1) * sizeof *v);
            v[n++] = strndup(b, (size_t)(s - b));
            if (!v[n - 1]) abort();
        }
    }
    *out = v;
    return n;
}

static void free_words(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

static bool valid_id(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_')) return false;
    return true;
}

/* Read a whole-number cell in [lo, hi]. */
static bool parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < lo || v > hi) return false;
    *out = v;
    return true;
}

/* Read the file at path into t. Returns 1 when it does not exist, 0, or -1
 * with a diagnostic. */
static int read_sheet(const char *path, csv_table_t *t, diag_t *d)
{
    char err[256];
    size_t len;
    memset(t, 0, sizeof *t);
    char *data = csv_slurp(path, &len, err, sizeof err);
    if (!data) {
        if (errno == ENOENT) return 1;
        diag_add(d, path, 1, "cannot read: %s", err);
        return -1;
    }
    int rc = csv_parse_bytes(data, len, t, err, sizeof err);
    free(data);
    if (rc) {
        diag_add(d, path, t->err_line, "%s", err);
        return -1;
    }
    return 0;
}

/* ---- definitions ------------------------------------------------------------- */

enum { C_ID, C_ACTION, C_FORM, C_KIND, C_ITEMS, C_CHOICES, C_EXCLUDE, C_TARGET, C_HEADLINE, C_N };
static const char *const def_cols[C_N] = {
    "id", "action", "form", "kind", "items", "choices", "exclude", "target", "headline",
};
static const bool def_col_required[C_N] = { true, true, true, true, true };

static void def_free(ind_def_t *x)
{
    free(x->id);
    free(x->form);
    free_words(x->items, x->nitems);
    free_words(x->choices, x->nchoices);
    free_words(x->exclude, x->nexclude);
    for (int l = 0; l < LANG_COUNT; l++) free(x->label[l]);
}

void ind_defs_free(ind_defs_t *defs)
{
    for (size_t i = 0; i < defs->n; i++) def_free(&defs->d[i]);
    free(defs->d);
    defs->d = NULL;
    defs->n = 0;
}

/* k when q is a select_one whose list has the choices "1".."k" (k >= 2),
 * else 0. */
static int rating_scale(const question_t *q)
{
    if (q->type != Q_SELECT_ONE || !q->list) return 0;
    int k = 0;
    while (k < 9) {   /* answers are stored as one digit */
        char name[16];
        snprintf(name, sizeof name, "%d", k + 1);
        if (!form_choice(q, name)) break;
        k++;
    }
    return k >= 2 ? k : 0;
}

typedef struct defctx {
    const char *path;
    int line;
    diag_t *d;
    bool ok;
} defctx_t;

static void bad(defctx_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(defctx_t *c, const char *fmt, ...)
{
    buf_t m;
    buf_init(&m);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&m, fmt, ap);
    va_end(ap);
    diag_add(c->d, c->path, c->line, "%s", m.data);
    buf_free(&m);
    c->ok = false;
}

/* Check the words of a choices/exclude column against q's list. */
static void check_choices(defctx_t *c, const question_t *q, char **v, size_t n, const char *col)
{
    for (size_t i = 0; i < n; i++)
        if (!form_choice(q, v[i]))
            bad(c, "%s: \"%s\" is not a choice of the question", col, v[i]);
}

/* Check what the items, choices and exclude columns say for x's kind. */
static void check_def(defctx_t *c, ind_def_t *x, const form_t *f)
{
    bool single = x->kind != IND_INDEX && x->kind != IND_SUM && x->kind != IND_SUMSHARE;
    if (!x->nitems) bad(c, "items is empty");
    if (single && x->nitems > 1) bad(c, "kind %s takes one item, not several", ind_kind_name(x->kind));
    /* issue 18 */
    if (x->kind == IND_SUMSHARE && (x->nnum == 0 || x->nnum >= x->nitems))
        bad(c, "kind sumshare needs items as \"a b / a b c\": the numerator's questions, \" / \", the base's");
    if (x->kind == IND_ENTRIES && !f->staff)
        bad(c, "kind entries counts the entries of a register: form %s is not one (access = staff)", f->id);
    bool with_choices = x->kind == IND_SHARE || x->kind == IND_COUNT || x->kind == IND_ENTRIES;
    if (with_choices && !x->nchoices) bad(c, "kind %s needs choices", ind_kind_name(x->kind));
    if (!with_choices && x->nchoices) bad(c, "kind %s takes no choices", ind_kind_name(x->kind));
    if (x->kind != IND_SHARE && x->nexclude) bad(c, "kind %s takes no exclude", ind_kind_name(x->kind));
    for (size_t i = 0; i < x->nitems; i++) {
        const question_t *q = form_question(f, x->items[i]);
        if (!q) {
            bad(c, "item \"%s\" is not a question of form %s", x->items[i], f->id);
            continue;
        }
        if (form_repeat_of(f, (size_t)(q - f->q)) >= 0) {
            /* issue 16: an indicator counts one answer per response */
            bad(c, "item \"%s\" is inside the repeat \"%s\": indicators leave out the questions of repeats",
                q->name, f->q[form_repeat_of(f, (size_t)(q - f->q))].name);
            continue;
        }
        int k = rating_scale(q);
        switch (x->kind) {
        case IND_INDEX:
        case IND_TOP2:
            if (!k) bad(c, "item \"%s\" is not a rating question (choices 1..k)", q->name);
            else if (x->scale && k != x->scale) bad(c, "item \"%s\" has a different scale", q->name);
            else x->scale = k;
            break;
        case IND_SUM:        /* issue 18: counts of people or things */
        case IND_SUMSHARE:
            if (q->type != Q_INTEGER && q->type != Q_DECIMAL) bad(c, "item \"%s\" is not a number question", q->name);
            break;
        case IND_MEAN:
        case IND_MEDIAN:
            if (!k && q->type != Q_INTEGER && q->type != Q_DECIMAL)
                bad(c, "item \"%s\" is neither numeric nor a rating question", q->name);
            x->scale = k;
            break;
        default:
            if (q->type != Q_SELECT_ONE) {
                bad(c, "item \"%s\" is not a select_one question", q->name);
                break;
            }
            check_choices(c, q, x->choices, x->nchoices, "choices");
            check_choices(c, q, x->exclude, x->nexclude, "exclude");
            for (size_t a = 0; a < x->nchoices; a++)
                for (size_t b = 0; b < x->nexclude; b++)
                    if (!strcmp(x->choices[a], x->exclude[b]))
                        bad(c, "\"%s\" is both counted and excluded", x->choices[a]);
        }
    }
}

static const form_t *find_form(form_t *const *forms, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(forms[i]->id, id)) return forms[i];
    return NULL;
}

static bool parse_flag(const char *s, bool *out)
{
    static const char *const yes[] = { "yes", "si", "sí", "true", "1" };
    static const char *const no[] = { "", "no", "false", "0" };
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (!strcasecmp(s, yes[i])) return *out = true;
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (!strcasecmp(s, no[i])) return !(*out = false);
    return false;
}

/* Read row r into x; false (with diagnostics) when it is not valid. */
static bool read_def(defctx_t *c, const csv_table_t *t, size_t r, const int *col,
                     const int *lcol, form_t *const *forms, size_t nforms, ind_def_t *x)
{
    char *cell[C_N];
    for (int i = 0; i < C_N; i++) cell[i] = cell_trim(t, r, col[i]);
    x->id = xstrdup(cell[C_ID]);
    x->form = xstrdup(cell[C_FORM]);
    x->nitems = split_words(cell[C_ITEMS], &x->items);
    /* issue 18: "a / a b" (sumshare): the words before "/" are the numerator. */
    bool slash = false;
    for (size_t i = 0; i < x->nitems; i++)
        if (!strcmp(x->items[i], "/")) {
            slash = true;
            free(x->items[i]);
            memmove(&x->items[i], &x->items[i + 1], (x->nitems - i - 1) * sizeof *x->items);
            x->nnum = i;
            x->nitems--;
            break;
        }
    x->nchoices = split_words(cell[C_CHOICES], &x->choices);
    x->nexclude = split_words(cell[C_EXCLUDE], &x->exclude);
    for (int l = 0; l < LANG_COUNT; l++) {
        x->label[l] = cell_trim(t, r, lcol[l]);
        if (!*x->label[l]) bad(c, "missing label::%s", i18n_code((lang_t)l));
    }
    if (!valid_id(x->id)) bad(c, "invalid id \"%s\" (lowercase letters, digits, _)", x->id);
    long action;
    if (!parse_int(cell[C_ACTION], 1, 99, &action)) bad(c, "invalid action \"%s\"", cell[C_ACTION]);
    else x->action = (int)action;
    int kind = -1;
    for (int k = 0; k < IND_KIND_COUNT; k++)
        if (!strcmp(cell[C_KIND], kind_names[k])) kind = k;
    if (kind < 0) bad(c, "unknown kind \"%s\" (index, top2, share, mean, median, count, sum, sumshare, entries)", cell[C_KIND]);
    else x->kind = (ind_kind_t)kind;
    if (slash && kind != IND_SUMSHARE) bad(c, "only kind sumshare takes \" / \" in items");
    if (*cell[C_TARGET]) {
        char *end;
        x->target = strtod(cell[C_TARGET], &end);
        x->has_target = !*end && isfinite(x->target);
        if (!x->has_target) bad(c, "invalid target \"%s\"", cell[C_TARGET]);
    }
    if (!parse_flag(cell[C_HEADLINE], &x->headline)) bad(c, "headline must be yes or no, not \"%s\"", cell[C_HEADLINE]);
    const form_t *f = find_form(forms, nforms, x->form);
    if (!f) bad(c, "unknown form \"%s\"", x->form);
    else if (kind >= 0) check_def(c, x, f);
    for (int i = 0; i < C_N; i++) free(cell[i]);
    return c->ok;
}

int ind_defs_load(const char *path, form_t *const *forms, size_t nforms,
                  ind_defs_t *out, diag_t *d)
{
    memset(out, 0, sizeof *out);
    csv_table_t t;
    int rc = read_sheet(path, &t, d);
    if (rc) return rc;
    int col[C_N], lcol[LANG_COUNT];
    bool ok = t.nrows > 0;
    if (!ok) diag_add(d, path, 1, "empty file: a header row is needed");
    for (int i = 0; i < C_N; i++) {
        col[i] = csv_col(&t, def_cols[i]);
        if (col[i] < 0 && def_col_required[i]) {
            diag_add(d, path, 1, "missing column \"%s\"", def_cols[i]);
            ok = false;
        }
    }
    for (int l = 0; l < LANG_COUNT; l++) {
        lcol[l] = col_lang(&t, "label", i18n_code((lang_t)l));
        if (lcol[l] < 0) {
            diag_add(d, path, 1, "missing column \"label::... (%s)\"", i18n_code((lang_t)l));
            ok = false;
        }
    }
    for (size_t r = 1; ok && r < t.nrows; r++) {
        defctx_t c = { path, t.rows[r].line, d, true };
        ind_def_t x = { 0 };
        if (read_def(&c, &t, r, col, lcol, forms, nforms, &x)) {
            for (size_t j = 0; j < out->n; j++)
                if (!strcmp(out->d[j].id, x.id)) bad(&c, "duplicate id \"%s\"", x.id);
        }
        if (!c.ok) {
            def_free(&x);
            rc = -1;
            continue;
        }
        out->d = xrealloc(out->d, (out->n + 1) * sizeof *out->d);
        out->d[out->n++] = x;
    }
    csv_table_free(&t);
    if (!ok || rc) {
        ind_defs_free(out);
        return -1;
    }
    return 0;
}

/* ---- the plan ---------------------------------------------------------------- */

enum { P_NO, P_CRIT, P_SUB, P_START, P_END, P_N };
static const char *const plan_cols[P_N] = { "no", "criterio", "subcriterio", "inicio", "fin" };
enum { PT_ACTION, PT_OBJECTIVE, PT_AREA, PT_INDICATOR, PT_RESPONSIBLE, PT_NOTE, PT_N };
static const char *const plan_text_cols[PT_N] = {
    "accion", "objetivo", "area", "indicador", "responsable", "nota",
};

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i])) return false;
    return true;
}

/* "2024-09", or the plan's own "sep-24". */
static bool parse_month(const char *s, int *ym)
{
    static const char *const abbr[12] = { "ene", "feb", "mar", "abr", "may", "jun",
                                          "jul", "ago", "sep", "oct", "nov", "dic" };
    long y, m;
    if (strlen(s) == 7 && s[4] == '-' && digits(s, 4) && digits(s + 5, 2)) {
        y = atol(s);
        m = atol(s + 5);
    } else if (strlen(s) == 6 && s[3] == '-' && digits(s + 4, 2)) {
        y = 2000 + atol(s + 4);
        m = 0;
        for (int i = 0; i < 12; i++)
            if (!strncasecmp(s, abbr[i], 3)) m = i + 1;
    } else {
        return false;
    }
    if (m < 1 || m > 12 || y < 1970 || y > 9999) return false;
    *ym = (int)(y * 12 + m - 1);
    return true;
}

static void plan_action_free(ind_plan_action_t *a)
{
    free(a->criterion);
    free(a->subcriterion);
    for (int l = 0; l < LANG_COUNT; l++) {
        free(a->action[l]);
        free(a->objective[l]);
        free(a->area[l]);
        free(a->indicator[l]);
        free(a->responsible[l]);
        free(a->note[l]);
    }
    free(a->indicator_id);
}

void ind_plan_free(ind_plan_t *plan)
{
    for (size_t i = 0; i < plan->n; i++) plan_action_free(&plan->a[i]);
    free(plan->a);
    plan->a = NULL;
    plan->n = 0;
}

const ind_plan_action_t *ind_plan_find(const ind_plan_t *plan, int number)
{
    for (size_t i = 0; i < plan->n; i++)
        if (plan->a[i].number == number) return &plan->a[i];
    return NULL;
}

int ind_plan_load(const char *path, ind_plan_t *out, diag_t *d)
{
    memset(out, 0, sizeof *out);
    csv_table_t t;
    int rc = read_sheet(path, &t, d);
    if (rc) return rc;
    int col[P_N], tcol[PT_N][LANG_COUNT];
    bool ok = t.nrows > 0;
    if (!ok) diag_add(d, path, 1, "empty file: a header row is needed");
    for (int i = 0; i < P_N; i++)
        if ((col[i] = csv_col(&t, plan_cols[i])) < 0) {
            diag_add(d, path, 1, "missing column \"%s\"", plan_cols[i]);
            ok = false;
        }
    for (int i = 0; i < PT_N; i++)
        for (int l = 0; l < LANG_COUNT; l++)
            if ((tcol[i][l] = col_lang(&t, plan_text_cols[i], i18n_code((lang_t)l))) < 0) {
                diag_add(d, path, 1, "missing column \"%s::... (%s)\"", plan_text_cols[i],
                              i18n_code((lang_t)l));
                ok = false;
            }
    /* issue 18: optional, so plans written before them still load */
    int icol = csv_col(&t, "indicador_id"), mcol = csv_col(&t, "meta");
    for (size_t r = 1; ok && r < t.nrows; r++) {
        int line = t.rows[r].line;
        ind_plan_action_t a = { 0 };
        char *no = cell_trim(&t, r, col[P_NO]), *st = cell_trim(&t, r, col[P_START]),
             *en = cell_trim(&t, r, col[P_END]);
        long number;
        bool row_ok = true;
        if (!parse_int(no, 1, 99, &number) || ind_plan_find(out, (int)number)) {
            diag_add(d, path, line, "invalid or repeated action number \"%s\"", no);
            row_ok = false;
        }
        a.number = (int)number;
        if (!parse_month(st, &a.start_ym) || !parse_month(en, &a.end_ym)) {
            diag_add(d, path, line, "dates must be YYYY-MM (or mmm-YY), not \"%s\" / \"%s\"", st, en);
            row_ok = false;
        }
        if (icol >= 0) {   /* issue 18: the headline indicator */
            a.indicator_id = cell_trim(&t, r, icol);
            if (!*a.indicator_id) {
                free(a.indicator_id);
                a.indicator_id = NULL;
            }
        }
        if (mcol >= 0) {   /* issue 18: the target */
            char *m = cell_trim(&t, r, mcol), *end;
            if (*m) {
                a.target = strtod(m, &end);
                a.has_target = !*end && isfinite(a.target);
                if (!a.has_target) {
                    diag_add(d, path, line, "meta must be a number, not \"%s\"", m);
                    row_ok = false;
                }
            }
            free(m);
        }
        a.line = line;
        a.criterion = cell_trim(&t, r, col[P_CRIT]);
        a.subcriterion = cell_trim(&t, r, col[P_SUB]);
        char **fields[PT_N] = { a.action, a.objective, a.area, a.indicator, a.responsible, a.note };
        for (int i = 0; i < PT_N; i++)
            for (int l = 0; l < LANG_COUNT; l++) fields[i][l] = cell_trim(&t, r, tcol[i][l]);
        for (int l = 0; l < LANG_COUNT; l++)
            if (!*a.action[l] || !*a.indicator[l] || !*a.responsible[l]) {
                diag_add(d, path, line, "action, indicator and responsible are required in %s",
                              i18n_code((lang_t)l));
                row_ok = false;
            }
        free(no);
        free(st);
        free(en);
        if (!row_ok) {
            plan_action_free(&a);
            rc = -1;
            continue;
        }
        out->a = xrealloc(out->a, (out->n + 1) * sizeof *out->a);
        out->a[out->n++] = a;
    }
    csv_table_free(&t);
    if (!ok || rc) {
        ind_plan_free(out);
        return -1;
    }
    return 0;
}

/* ---- layout ---------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (h ^ '\n') * 1099511628211ULL;
}

void ind_layout_build(const ind_defs_t *defs, ind_layout_t *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < defs->n; i++) {
        const ind_def_t *x = &defs->d[i];
        ind_layout_form_t *lf = NULL;
        for (size_t j = 0; j < out->nf; j++)
            if (!strcmp(out->f[j].form, x->form)) lf = &out->f[j];
        if (!lf) {
            out->f = xrealloc(out->f, (out->nf + 1) * sizeof *out->f);
            lf = &out->f[out->nf++];
            memset(lf, 0, sizeof *lf);
            lf->form = x->form;
        }
        for (size_t k = 0; k < x->nitems; k++) {
            bool have = false;
            for (size_t j = 0; j < lf->ntracked; j++) have |= !strcmp(lf->tracked[j], x->items[k]);
            if (have) continue;
            lf->tracked = xrealloc(lf->tracked, (lf->ntracked + 1) * sizeof *lf->tracked);
            lf->tracked[lf->ntracked++] = x->items[k];
        }
        if (x->kind == IND_INDEX && x->nitems > 1) {
            lf->multi = xrealloc(lf->multi, (lf->nmulti + 1) * sizeof *lf->multi);
            lf->multi[lf->nmulti++] = x;
        }
    }
    /* The hash covers what the aggregates contain, in a canonical order,
     * so relabelling or reordering definitions does not force a rebuild. */
    uint64_t h = fnv(1469598103934665603ULL, "buzon-ind-agg-1");
    for (int d = 0; d <= IND_DIM_IDIOMA; d++) h = fnv(h, ind_answer_dims[d]);
    const char **forms = xcalloc(out->nf + 1, sizeof *forms);
    for (size_t j = 0; j < out->nf; j++) {
        ind_layout_form_t *lf = &out->f[j];
        qsort(lf->tracked, lf->ntracked, sizeof *lf->tracked, cmp_str);
        forms[j] = lf->form;
    }
    qsort(forms, out->nf, sizeof *forms, cmp_str);
    for (size_t j = 0; j < out->nf; j++) {
        const ind_layout_form_t *lf = NULL;
        for (size_t k = 0; k < out->nf; k++)
            if (out->f[k].form == forms[j]) lf = &out->f[k];
        h = fnv(h, lf->form);
        for (size_t k = 0; k < lf->ntracked; k++) h = fnv(h, lf->tracked[k]);
        const char **ids = xcalloc(lf->nmulti + 1, sizeof *ids);
        for (size_t k = 0; k < lf->nmulti; k++) ids[k] = lf->multi[k]->id;
        qsort(ids, lf->nmulti, sizeof *ids, cmp_str);
        for (size_t k = 0; k < lf->nmulti; k++) {
            const ind_def_t *x = NULL;
            for (size_t m = 0; m < lf->nmulti; m++)
                if (lf->multi[m]->id == ids[k]) x = lf->multi[m];
            h = fnv(h, x->id);
            for (size_t m = 0; m < x->nitems; m++) h = fnv(h, x->items[m]);
        }
        free(ids);
    }
    free(forms);
    snprintf(out->hash, sizeof out->hash, "%016llx", (unsigned long long)h);
}

void ind_layout_free(ind_layout_t *l)
{
    for (size_t j = 0; j < l->nf; j++) {
        free(l->f[j].tracked);
        free(l->f[j].multi);
    }
    free(l->f);
    memset(l, 0, sizeof *l);
}

/* ---- both files of a forms folder -------------------------------------------------- */

int ind_load_files(const char *forms_dir, form_t *const *forms, size_t nforms, ind_defs_t *defs,
                   ind_plan_t *plan, diag_t *d)
{
    buf_t p;
    buf_init(&p);
    buf_printf(&p, "%s/indicators.csv", forms_dir);
    int a = ind_defs_load(p.data, forms, nforms, defs, d);
    buf_reset(&p);
    buf_printf(&p, "%s/plan.csv", forms_dir);
    int b = ind_plan_load(p.data, plan, d);
    /* issue 18: a plan row's headline indicator is one of its action's */
    bool checked = a >= 0 && b == 0;
    for (size_t i = 0; checked && i < plan->n; i++) {
        const ind_plan_action_t *x = &plan->a[i];
        if (!x->indicator_id) continue;
        const ind_def_t *def = NULL;
        for (size_t k = 0; k < defs->n; k++)
            if (!strcmp(defs->d[k].id, x->indicator_id)) def = &defs->d[k];
        if (!def) {
            diag_add(d, p.data, x->line, "indicador_id \"%s\" is not an id of indicators.csv", x->indicator_id);
            b = -1;
        } else if (def->action != x->number) {
            diag_add(d, p.data, x->line, "indicador_id \"%s\" is an indicator of action %d, not of action %d",
                     x->indicator_id, def->action, x->number);
            b = -1;
        }
    }
    buf_free(&p);
    if (a < 0 || b < 0) {
        ind_defs_free(defs);
        ind_plan_free(plan);
        return -1;
    }
    return 0;
}
