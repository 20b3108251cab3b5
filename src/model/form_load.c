/*
 * form_load.c: reads an XLSForm folder (survey.csv, choices.csv,
 * settings.csv) into a form_t, the way a planner edits it in Excel.
 *
 * The loader is deliberately forgiving about spelling (column names in any
 * case, "begin group" or "begin_group", `;` or `,`) and strict about
 * meaning: anything that would make the survey behave differently from
 * what the author intended is an error naming the file and the row the
 * spreadsheet shows. It keeps going after an error so that a planner fixes
 * every problem in one round instead of one per run.
 *
 * This file reads the three sheets, works out the languages, and builds the
 * settings and choice lists; form_survey.c builds the questions and runs
 * the checks that need the whole survey (names, groups, references);
 * form_all.c loads every form of a folder.
 */
#include "model/form_int.h"
#include "model/form_repeat.h"

#include "base/buf.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const sheet_file[F_COUNT] = { "survey.csv", "choices.csv", "settings.csv",
                                                 "external_choices.csv" };
/* The same sheets in a workbook, found by name in any case. */
static const char *const sheet_name[F_COUNT] = { "survey", "choices", "settings", "external_choices" };

/* Columns that carry text in one or more languages (`label::Kreyòl (ht)`). */
static const char *const translatable[] = {
    "label", "hint", "required_message", "constraint_message", "form_title",
    "guidance_hint",
};

/* Other spellings of those columns that XLSForm tools accept (pyxform's
 * aliases), lower case: a form from Kobo or an old template loads as is. */
static const struct col_alias {
    const char *alias, *base;
    int         sheet;          /* F_COUNT: any sheet */
} col_aliases[] = {
    { "caption", "label", F_COUNT },
    { "jr:constraintmsg", "constraint_message", F_SURVEY },
    { "constraint message", "constraint_message", F_SURVEY },
    { "constraining message", "constraint_message", F_SURVEY },
    { "jr:requiredmsg", "required_message", F_SURVEY },
    { "requiredmsg", "required_message", F_SURVEY },
    { "required message", "required_message", F_SURVEY },
    { "title", "form_title", F_SETTINGS },
    { "set form title", "form_title", F_SETTINGS },
};

/* ---- small string helpers ---------------------------------------------- */

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Length of the blank at s (0 if none). A no-break space (U+00A0) counts:
 * text pasted into Excel from the web or Word brings them along. */
static size_t blank_len(const char *s)
{
    return is_blank(*s) ? 1 : !strncmp(s, "\xC2\xA0", 2) ? 2 : 0;
}

char *form_trimdup(const char *s)
{
    for (size_t k; (k = blank_len(s)) > 0;) s += k;
    size_t n = strlen(s);
    for (;;) {
        if (n >= 1 && is_blank(s[n - 1])) n -= 1;
        else if (n >= 2 && blank_len(s + n - 2) == 2) n -= 2;
        else break;
    }
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* True when cell, trimmed, equals s. */
bool form_text_empty(const text_t *t)
{
    for (int i = 0; i < FORM_MAX_LANGS; i++)
        if (t->s[i]) return false;
    return true;
}

static void text_free(text_t *t)
{
    for (int i = 0; i < FORM_MAX_LANGS; i++) free(t->s[i]);
}

void form_note(loader_t *L, const char *path, int row, const char *fmt, ...)
{
    form_t *f = L->f;
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "%s:%d: ", path, row);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    f->notes = xrealloc(f->notes, (f->nnotes + 1) * sizeof *f->notes);
    f->notes[f->nnotes++] = buf_steal(&b);
}

int form_yes_no(const char *s)
{
    /* pyxform's yes_no in any case, and 1/0 as forms write them (as an
     * XPath expression, 1 is true and 0 false). */
    static const char *const yes[] = { "yes", "true", "true()", "1" };
    static const char *const no[] = { "", "no", "false", "false()", "0" };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (!strcasecmp(s, yes[i])) return 1;
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (!strcasecmp(s, no[i])) return 0;
    return -1;
}

/* ---- languages ---------------------------------------------------------- */

/* Split "Español (es)" into name "Español" and code "es"; without
 * parentheses the whole spec is both. Returns whether a code was given. */
static bool lang_split(const char *spec, char **name, char **code)
{
    const char *open = strrchr(spec, '(');
    size_t n = strlen(spec);
    if (open && n && spec[n - 1] == ')') {
        char *nm = xstrdup(spec);
        nm[open - spec] = '\0';
        *name = form_trimdup(nm);
        free(nm);
        char *cd = xstrdup(open + 1);
        cd[strlen(cd) - 1] = '\0';
        *code = form_trimdup(cd);
        free(cd);
        return true;
    }
    *name = form_trimdup(spec);
    *code = form_trimdup(spec);
    return false;
}

/* Index of the language spec names (by code; by name or code when the spec
 * has no code), or -1. */
static int lang_find(const form_t *f, const char *spec)
{
    char *name, *code;
    bool coded = lang_split(spec, &name, &code);
    int found = -1;
    for (int i = 0; i < f->nlangs && found < 0; i++)
        if (!strcasecmp(code, f->lang_code[i]) ||
            (!coded && !strcasecmp(name, f->lang_name[i])))
            found = i;
    free(name);
    free(code);
    return found;
}

/* Index of the language spec names, adding it if new; -1 (reported once)
 * when the form already has FORM_MAX_LANGS languages. */
static int lang_add(loader_t *L, const char *spec, const char *path, int row)
{
    form_t *f = L->f;
    int i = lang_find(f, spec);
    if (i >= 0) return i;
    if (f->nlangs == FORM_MAX_LANGS) {
        if (!L->too_many_langs)
            diag_add(L->d, path, row, "more than %d languages (\"%s\" is one too many)",
                          FORM_MAX_LANGS, spec);
        L->too_many_langs = true;
        return -1;
    }
    lang_split(spec, &f->lang_name[f->nlangs], &f->lang_code[f->nlangs]);
    return f->nlangs++;
}

/* ---- reading the sheets ------------------------------------------------- */

/* The translatable column the lower-case header base of sheet names
 * (itself or through an alias), or NULL. */
static const char *translatable_base(const char *base, int sheet)
{
    for (size_t i = 0; i < sizeof col_aliases / sizeof col_aliases[0]; i++)
        if (!strcmp(base, col_aliases[i].alias) &&
            (col_aliases[i].sheet == F_COUNT || col_aliases[i].sheet == sheet))
            return col_aliases[i].base;
    for (size_t i = 0; i < sizeof translatable / sizeof translatable[0]; i++)
        if (!strcmp(base, translatable[i])) return translatable[i];
    return NULL;
}

/* Lower-case trimmed copy of the n first bytes of s. Caller frees. */
static char *lower_trim(const char *s, size_t n)
{
    char *cut = xmalloc(n + 1);
    memcpy(cut, s, n);
    cut[n] = '\0';
    char *t = form_trimdup(cut);
    free(cut);
    for (char *p = t; *p; p++) *p = (char)tolower((unsigned char)*p);
    return t;
}

char *form_path(const char *dir, const char *name)
{
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "%s/%s", dir, name);
    return buf_steal(&b);
}

/* Read and parse dir/<file>, appending its bytes to the form's source.
 * False when the file exists but cannot be read or parsed (reported), or
 * is survey.csv and does not exist; a missing optional sheet is simply
 * absent. */
/* The table as CSV lines (RFC 4180 quoting), for a workbook's source:
 * the definition's text, so the hash follows the cells and not how the
 * zip happened to be packed. */
static void table_source(buf_t *src, const csv_table_t *t)
{
    for (size_t r = 0; r < t->nrows; r++) {
        buf_printf(src, "%d", t->rows[r].line);
        for (size_t c = 0; c < t->rows[r].ncells; c++) {
            const char *v = t->rows[r].cells[c];
            buf_putc(src, ',');
            if (!strpbrk(v, ",\"\r\n")) {
                buf_puts(src, v);
                continue;
            }
            buf_putc(src, '"');
            for (; *v; v++) {
                if (*v == '"') buf_putc(src, '"');
                buf_putc(src, *v);
            }
            buf_putc(src, '"');
        }
        buf_putc(src, '\n');
    }
}

/* sheet_read for a workbook: the sheet named like sheet_name[i]. */
static bool sheet_read_book(loader_t *L, int i, buf_t *src)
{
    sheet_t *s = &L->s[i];
    int k = xlsx_sheet_find(L->book, sheet_name[i]);
    buf_t p;
    buf_init(&p);
    buf_printf(&p, "%s:%s", L->book_path, k >= 0 ? xlsx_sheet_name(L->book, (size_t)k) : sheet_name[i]);
    s->path = buf_steal(&p);
    if (k < 0) {
        if (i != F_SURVEY) return true;
        diag_add(L->d, L->book_path, 0, "the workbook has no sheet named \"survey\"");
        return false;
    }
    char err[512];
    if (xlsx_sheet_read(L->book, (size_t)k, &s->t, err, sizeof err) != 0) {
        diag_add(L->d, s->path, s->t.err_line, "%s", err);
        if (i == F_CHOICES) L->choices_broken = true;
        return false;
    }
    buf_printf(src, "==> %s (sheet \"%s\") <==\n", sheet_file[i], xlsx_sheet_name(L->book, (size_t)k));
    table_source(src, &s->t);
    s->present = s->t.nrows > 0;
    return true;
}

static bool sheet_read(loader_t *L, int i, buf_t *src)
{
    if (L->book) return sheet_read_book(L, i, src);
    sheet_t *s = &L->s[i];
    s->path = form_path(L->dir, sheet_file[i]);
    char err[512];
    size_t len;
    char *data = csv_slurp(s->path, &len, err, sizeof err);
    if (!data) {
        if (errno == ENOENT && i != F_SURVEY) return true;
        diag_add(L->d, s->path, 1, "cannot read: %s", strerror(errno));
        return false;
    }
    buf_printf(src, "==> %s (%zu bytes) <==\n", sheet_file[i], len);
    buf_append(src, data, len);
    if (len && data[len - 1] != '\n') buf_putc(src, '\n');
    bool ok = csv_parse_bytes(data, len, &s->t, err, sizeof err) == 0;
    free(data);
    if (!ok) {
        diag_add(L->d, s->path, s->t.err_line, "%s", err);
        /* Its lists are unknown, not missing: say nothing more about them. */
        if (i == F_CHOICES) L->choices_broken = true;
        return false;
    }
    s->present = s->t.nrows > 0;
    return true;
}

/* Classify the header cells of sheet i, registering the languages named in
 * its translatable columns. */
static void sheet_columns(loader_t *L, int i)
{
    sheet_t *s = &L->s[i];
    if (!s->present) return;
    const csv_row_t *h = &s->t.rows[0];
    s->cols = xcalloc(h->ncells, sizeof *s->cols);
    s->ncols = h->ncells;
    for (size_t c = 0; c < h->ncells; c++) {
        char *head = form_trimdup(h->cells[c]);
        /* `label::English (en)`, or the older `label:English` (split at
         * the colon that leaves a known column: `jr:constraintMsg:English`). */
        char *sep = strstr(head, "::");
        size_t seplen = 2;
        char *all = lower_trim(head, sep ? (size_t)(sep - head) : strlen(head));
        const char *base = translatable_base(all, i);
        free(all);
        for (char *p = head; !sep && !base && (p = strchr(p, ':')) != NULL; p++) {
            char *pre = lower_trim(head, (size_t)(p - head));
            if ((base = translatable_base(pre, i)) != NULL) {
                sep = p;
                seplen = 1;
            }
            free(pre);
        }
        if (base) {
            s->cols[c].base = xstrdup(base);
            if (!sep) {
                s->cols[c].lang = COL_PLAIN;
                L->has_plain = true;
            } else {
                char *spec = form_trimdup(sep + seplen);
                s->cols[c].lang = lang_add(L, spec, s->path, h->line);
                free(spec);
            }
        }
        free(head);
    }
}

/* A column `label` (no language) beside `label::X (x)` in the same sheet:
 * the first such pair (sheet and header row), or NULL when there is none.
 * pyxform reads the plain column as a language of its own, "default". */
static const sheet_t *plain_clash(const loader_t *L, size_t *plain_col)
{
    for (int i = 0; i < F_COUNT; i++) {
        const sheet_t *s = &L->s[i];
        for (size_t a = 0; a < s->ncols; a++) {
            if (s->cols[a].lang != COL_PLAIN) continue;
            for (size_t b = 0; b < s->ncols; b++)
                if (s->cols[b].base && s->cols[b].lang >= 0 && !strcmp(s->cols[a].base, s->cols[b].base)) {
                    *plain_col = a;
                    return s;
                }
        }
    }
    return NULL;
}

/* Pick the default language: settings' default_language, else the first
 * language named in a header, else one unnamed language. Text in columns
 * without a language belongs to it. */
static void resolve_default_lang(loader_t *L, const char *dl, int row)
{
    form_t *f = L->f;
    const sheet_t *st = &L->s[F_SETTINGS];
    if (*dl) {
        int i = lang_find(f, dl);
        if (i < 0 && L->has_plain) i = lang_add(L, dl, st->path, row);
        if (i < 0 && !L->too_many_langs) {
            buf_t list;
            buf_init(&list);
            for (int k = 0; k < f->nlangs; k++)
                buf_printf(&list, "%s%s", k ? ", " : "", f->lang_code[k]);
            diag_add(L->d, st->path, row,
                          "default_language \"%s\" is not one of the form's languages (%s)",
                          dl, list.data ? list.data : "none");
            buf_free(&list);
        }
        f->default_lang = i < 0 ? 0 : i;
    } else if (f->nlangs > 0) {
        size_t col;
        const sheet_t *cs = plain_clash(L, &col);
        f->default_lang = 0;
        if (cs) {
            /* As pyxform: the columns without a language are one more
             * language, "default", and the form's default. */
            int i = lang_add(L, "default", cs->path, cs->t.rows[0].line);
            if (i >= 0) f->default_lang = i;
            form_note(L, cs->path, cs->t.rows[0].line,
                      "the columns without a language (\"%s\" and others) are read as the language "
                      "\"default\", as pyxform reads them; give it a name with default_language in %s",
                      cs->cols[col].base, form_sheet_word(L, F_SETTINGS));
        }
    }
    if (f->nlangs == 0) {
        f->lang_code[0] = xstrdup("");
        f->lang_name[0] = xstrdup("");
        f->nlangs = 1;
        f->default_lang = 0;
    }
}

void form_read_text(const loader_t *L, int sheet, size_t r, const char *base, text_t *out)
{
    const sheet_t *s = &L->s[sheet];
    for (size_t c = 0; c < s->ncols; c++) {
        const column_t *col = &s->cols[c];
        if (!col->base || strcmp(col->base, base)) continue;
        int li = col->lang == COL_PLAIN ? L->f->default_lang : col->lang;
        if (li < 0) continue;
        /* An explicit translation wins over a column without language. */
        if (col->lang == COL_PLAIN && out->s[li]) continue;
        char *v = form_trimdup(csv_cell(&s->t, r, (int)c));
        if (!*v) {
            free(v);
            continue;
        }
        free(out->s[li]);
        out->s[li] = v;
    }
}

const char *form_sheet_word(const loader_t *L, int sheet)
{
    static const char *const book_word[F_COUNT] = { "the survey sheet", "the choices sheet", "the settings sheet",
                                                    "the external_choices sheet" };
    return L->book ? book_word[sheet] : sheet_file[sheet];
}

/* Column index of the first of the given names present in sheet i, or -1. */
int form_col(const loader_t *L, int sheet, const char *name, const char *alias)
{
    int c = csv_col(&L->s[sheet].t, name);
    return c >= 0 || !alias ? c : csv_col(&L->s[sheet].t, alias);
}

/* Trimmed copy of a cell; "" for an absent column. Caller frees. */
char *form_cell(const loader_t *L, int sheet, size_t r, int col)
{
    return form_trimdup(csv_cell(&L->s[sheet].t, r, col));
}

/* The folder's own name: the form id when settings.csv gives none. */
static char *folder_name(const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') n--;
    size_t b = n;
    while (b > 0 && dir[b - 1] != '/') b--;
    /* forms/<id>.xlsx: the file's name without its extension. */
    if (n - b > 5 && !strncasecmp(dir + n - 5, ".xlsx", 5)) n -= 5;
    char *s = xmalloc(n - b + 1);
    memcpy(s, dir + b, n - b);
    s[n - b] = '\0';
    return s;
}

/* settings.csv: form_id (or id_string), version, form_title (or title),
 * the default language and allow_choice_duplicates. instance_name, style
 * and the other settings of XLSForm tools are accepted and not used. */
static void load_settings(loader_t *L)
{
    form_t *f = L->f;
    const sheet_t *s = &L->s[F_SETTINGS];
    bool has_row = s->present && s->t.nrows > 1;
    int row = has_row ? s->t.rows[1].line : 1;
    char *id = has_row ? form_cell(L, F_SETTINGS, 1, form_col(L, F_SETTINGS, "form_id", "id_string")) : xstrdup("");
    if (has_row) {
        char *dup = form_cell(L, F_SETTINGS, 1, form_col(L, F_SETTINGS, "allow_choice_duplicates", NULL));
        int yn = form_yes_no(dup);
        if (yn < 0)
            diag_add(L->d, s->path, row, "allow_choice_duplicates must be yes or no, not \"%s\"", dup);
        L->choice_dups = yn == 1;
        free(dup);
    }
    if (has_row) {
        /* issue 18: who the form is for; a typo must not publish a
         * register, so anything but the two words is an error. */
        char *acc = form_cell(L, F_SETTINGS, 1, form_col(L, F_SETTINGS, "access", NULL));
        if (!strcasecmp(acc, "staff")) f->staff = true;
        else if (*acc && strcasecmp(acc, "public"))
            diag_add(L->d, s->path, row, "access must be public or staff, not \"%s\"", acc);
        free(acc);
    }
    char *dl = has_row ? form_cell(L, F_SETTINGS, 1, form_col(L, F_SETTINGS, "default_language", NULL)) : xstrdup("");
    f->version = has_row ? form_cell(L, F_SETTINGS, 1, form_col(L, F_SETTINGS, "version", NULL)) : xstrdup("");

    resolve_default_lang(L, dl, row);
    free(dl);

    char *folder = *id && !form_is_name(id) ? folder_name(L->dir) : NULL;
    if (folder && form_is_name(folder)) {
        /* An id_string buzon cannot use in an address ("Spec test", as in
         * pyxform's own examples): the file's name is the form's id. */
        form_note(L, s->path, row, "form_id \"%s\" cannot be part of an address (%s); the form's id is "
                  "\"%s\", its file name", id, FORM_NAME_RULE, folder);
        free(id);
        f->id = folder;
    } else if (*id) {
        free(folder);
        f->id = id;
        if (!form_is_name(id))
            diag_add(L->d, s->path, row, "invalid form_id \"%s\": %s", id, FORM_NAME_RULE);
    } else {
        free(id);
        f->id = folder_name(L->dir);
        if (!form_is_name(f->id))
            diag_add(L->d, s->path, 1, "no form_id, and the folder name \"%s\" is not a valid one: %s",
                          f->id, FORM_NAME_RULE);
    }
    if (has_row) form_read_text(L, F_SETTINGS, 1, "form_title", &f->title);
    if (form_text_empty(&f->title)) f->title.s[f->default_lang] = xstrdup(f->id);
}

/* ---- choices.csv ----------------------------------------------------------- */

static choice_list_t *list_get(form_t *f, const char *name)
{
    for (size_t i = 0; i < f->nlists; i++)
        if (!strcmp(f->lists[i].name, name)) return &f->lists[i];
    f->lists = xrealloc(f->lists, (f->nlists + 1) * sizeof *f->lists);
    choice_list_t *l = &f->lists[f->nlists++];
    memset(l, 0, sizeof *l);
    l->name = xstrdup(name);
    return l;
}

typedef struct { char *list, *name; size_t r; } pair_t;

static int pair_cmp(const void *a, const void *b)
{
    const pair_t *x = a, *y = b;
    int c = strcmp(x->list, y->list);
    if (!c) c = strcmp(x->name, y->name);
    return c ? c : (x->r > y->r) - (x->r < y->r);
}

/* Per row of choices.csv: the line where the same (list, name) pair first
 * appears before it, else 0. Sorted once, not each row against all those
 * before it: a list of 20,000 choices took 10 s to load. Caller frees. */
static int *first_choice_rows(const loader_t *L, int sh, int cl, int cn)
{
    const csv_table_t *t = &L->s[sh].t;
    int *first = xcalloc(t->nrows ? t->nrows : 1, sizeof *first);
    pair_t *p = xcalloc(t->nrows ? t->nrows : 1, sizeof *p);
    size_t n = 0;
    for (size_t r = 1; r < t->nrows; r++)
        p[n++] = (pair_t){ form_trimdup(csv_cell(t, r, cl)), form_trimdup(csv_cell(t, r, cn)), r };
    qsort(p, n, sizeof *p, pair_cmp);
    for (size_t k = 1; k < n; k++)
        if (!strcmp(p[k].list, p[k - 1].list) && !strcmp(p[k].name, p[k - 1].name))
            first[p[k].r] = first[p[k - 1].r] ? first[p[k - 1].r] : t->rows[p[k - 1].r].line;
    for (size_t k = 0; k < n; k++) free(p[k].list), free(p[k].name);
    free(p);
    return first;
}

/* The columns of choices.csv that are neither list, name nor a translation,
 * kept with each choice for choice_filter. */
static void choice_extras(const loader_t *L, int sh, size_t r, int cl, int cn, choice_t *ch)
{
    const sheet_t *s = &L->s[sh];
    const csv_row_t *h = &s->t.rows[0];
    ch->extra_keys = xcalloc(h->ncells, sizeof *ch->extra_keys);
    ch->extra_vals = xcalloc(h->ncells, sizeof *ch->extra_vals);
    for (size_t c = 0; c < h->ncells; c++) {
        if ((int)c == cl || (int)c == cn || s->cols[c].base) continue;
        char *key = form_trimdup(h->cells[c]);
        if (!*key) {
            free(key);
            continue;
        }
        ch->extra_keys[ch->nextra] = key;
        ch->extra_vals[ch->nextra++] = form_cell(L, sh, r, (int)c);
    }
}

/* The lists of the choices sheet, or of the external_choices sheet (sh:
 * F_CHOICES or F_EXTERNAL, issue 16), into L->f. */
/* issue 16: the picture of row r, from its `media::image` or `image`
 * column (the first of them; a translated `media::image::X (x)` too). */
static void choice_image(const loader_t *L, int sh, size_t r, choice_t *ch)
{
    const csv_row_t *h = &L->s[sh].t.rows[0];
    for (size_t c = 0; c < h->ncells; c++) {
        char *head = form_trimdup(h->cells[c]);
        bool is = !strcasecmp(head, "image") || !strncasecmp(head, "media::image", 12);
        free(head);
        if (!is) continue;
        char *v = form_cell(L, sh, r, (int)c);
        if (*v) {
            ch->image = v;
            ch->image_row = L->s[sh].t.rows[r].line;
            return;
        }
        free(v);
    }
}

static void load_choices(loader_t *L, int sh)
{
    const sheet_t *s = &L->s[sh];
    if (!s->present) return;
    int cl = form_col(L, sh, "list_name", "list name");
    int cn = form_col(L, sh, "name", "value");
    if (cl < 0) diag_add(L->d, s->path, s->t.rows[0].line, "missing column \"list_name\"");
    if (cn < 0) diag_add(L->d, s->path, s->t.rows[0].line, "missing column \"name\"");
    if (cl < 0 || cn < 0) {
        if (sh == F_CHOICES) L->choices_broken = true;
        return;
    }
    int *dup_of = L->choice_dups ? NULL : first_choice_rows(L, sh, cl, cn);
    for (size_t r = 1; r < s->t.nrows; r++) {
        int line = s->t.rows[r].line;
        char *list = form_cell(L, sh, r, cl);
        char *name = form_cell(L, sh, r, cn);
        int first;
        if (!*list) {
            diag_add(L->d, s->path, line, "missing list_name");
        } else if (!*name) {
            list_get(L->f, list);   /* so a select names "the list is empty" */
            diag_add(L->d, s->path, line, "missing name");
        } else if (dup_of && (first = dup_of[r]) > 0) {
            diag_add(L->d, s->path, line, "duplicate choice \"%s\" in list \"%s\" (first at row %d)",
                          name, list, first);
        } else {
            choice_list_t *l = list_get(L->f, list);
            /* Doubling (at 1, 2, 4...: this is the only place a list
             * grows): one copy per choice made a 20,000-choice list
             * quadratic, a minute to start under ASan. */
            if (!(l->nchoices & (l->nchoices - 1)))
                l->choices = xrealloc(l->choices, (l->nchoices ? 2 * l->nchoices : 1) * sizeof *l->choices);
            choice_t *ch = &l->choices[l->nchoices++];
            memset(ch, 0, sizeof *ch);
            ch->name = name;
            name = NULL;
            form_read_text(L, sh, r, "label", &ch->label);
            if (form_text_empty(&ch->label)) {
                /* issue 15 item 5: pyxform warns (LABEL_001) and goes on;
                 * the choice shows its name. */
                form_note(L, s->path, line, "choice \"%s\" of list \"%s\" has no label: its name is shown",
                          ch->name, list);
                ch->label.s[L->f->default_lang >= 0 ? L->f->default_lang : 0] = xstrdup(ch->name);
            }
            choice_extras(L, sh, r, cl, cn, ch);
            choice_image(L, sh, r, ch);
        }
        free(list);
        free(name);
    }
    free(dup_of);
}

/* ---- the whole form --------------------------------------------------------- */

static void loader_free(loader_t *L)
{
    for (int i = 0; i < F_COUNT; i++) {
        sheet_t *s = &L->s[i];
        for (size_t c = 0; c < s->ncols; c++) free(s->cols[c].base);
        free(s->cols);
        csv_table_free(&s->t);
        free(s->path);
    }
    xlsx_close(L->book);
    free(L->book_path);
    for (size_t i = 0; i < L->nmeta; i++) free(L->meta_names[i]);
    free(L->meta_names);
    for (size_t i = 0; i < L->nshared; i++) free(L->shared[i]);
    free(L->shared);
    for (size_t i = 0; i < L->nfiles; i++) {
        file_list_t *fl = &L->files[i];
        free(fl->key);
        free(fl->file);
        free(fl->path);
        free(fl->value_col);
        free(fl->label_col);
        csv_table_free(&fl->t);
    }
    free(L->files);
}

/* Hex SHA-256 of the source: identifies this exact definition. */
static char *hash_hex(const char *data, size_t len)
{
    if (sodium_init() < 0) {
        fputs("buzon: libsodium failed to initialise\n", stderr);
        abort();
    }
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)data, len);
    char *hex = xmalloc(2 * sizeof h + 1);
    sodium_bin2hex(hex, 2 * sizeof h + 1, h, sizeof h);
    return hex;
}

/* The rest of a load once L's folder or workbook is open (opened: false
 * when it could not be, already reported): read the sheets, parse, check.
 * n0: how many problems d held before the load began. */
static form_t *load_opened(loader_t *L, bool opened, size_t n0)
{
    diag_t *d = L->d;
    buf_t src;
    buf_init(&src);
    bool survey_ok = opened && sheet_read(L, F_SURVEY, &src);
    for (int i = F_SURVEY + 1; i < F_COUNT && opened; i++) sheet_read(L, i, &src);
    if (survey_ok) form_read_files(L, &src);
    L->f->hash = hash_hex(src.data ? src.data : "", src.len);
    L->f->source = buf_steal(&src);

    if (survey_ok && L->s[F_SURVEY].t.nrows < 2) {
        diag_add(d, L->s[F_SURVEY].path, 1, "the survey has no questions");
    } else if (survey_ok) {
        for (int i = 0; i < F_COUNT; i++) form_dealias_columns(L, i), sheet_columns(L, i);
        load_settings(L);
        load_choices(L, F_CHOICES);
        load_choices(L, F_EXTERNAL);
        form_load_files(L);
        form_load_media(L);
        form_load_survey(L);
    }
    form_t *f = L->f;
    loader_free(L);
    if (d->n > n0) {
        form_free(f);
        return NULL;
    }
    return f;
}

form_t *form_load(const char *dir, diag_t *d)
{
    assert(dir && d);
    size_t n0 = d->n;
    loader_t L = { .dir = dir, .d = d, .f = xcalloc(1, sizeof(form_t)) };
    bool many = false, opened = true;
    L.book_path = form_workbook(dir, &many);
    if (many) {
        diag_add(d, dir, 0, "the folder holds more than one .xlsx workbook: keep only the form's");
        opened = false;
    } else if (L.book_path) {
        char err[512];
        L.book = xlsx_open(L.book_path, err, sizeof err);
        if (!L.book) {
            diag_add(d, L.book_path, 0, "%s", err);
            opened = false;
        }
    }
    return load_opened(&L, opened, n0);
}

form_t *form_load_bytes(const char *name, const void *data, size_t len, diag_t *d)
{
    assert(name && (data || !len) && d);
    size_t n0 = d->n;
    loader_t L = { .dir = name, .d = d, .f = xcalloc(1, sizeof(form_t)), .no_folder = true };
    L.book_path = xstrdup(name);
    char err[512];
    L.book = xlsx_open_bytes(data, len, err, sizeof err);
    if (!L.book) diag_add(d, name, 0, "%s", err);
    return load_opened(&L, L.book != NULL, n0);
}

void form_free(form_t *f)
{
    if (!f) return;
    if (f->expanded_from) {
        form_repeat_free(f);   /* issue 16: a per-request copy */
        return;
    }
    for (size_t i = 0; i < f->nq; i++) {
        question_t *q = &f->q[i];
        free(q->name);
        text_free(&q->label);
        text_free(&q->hint);
        text_free(&q->required_msg);
        text_free(&q->constraint_msg);
        text_free(&q->guidance_hint);
        free(q->calc_src);
        free(q->default_src);
        free(q->trigger_src);
        free(q->repeat_count_src);
        expr_free(q->repeat_count);
        expr_free(q->calc);
        expr_free(q->default_expr);
        free(q->relevant_src);
        free(q->constraint_src);
        free(q->choice_filter_src);
        free(q->required_src);
        expr_free(q->required_if);
        expr_free(q->relevant);
        expr_free(q->constraint);
        expr_free(q->choice_filter);
        free(q->seed_src);
        free(q->accept);
        expr_free(q->seed);
        if (q->other) {
            free(q->other->name);
            text_free(&q->other->label);
            free(q->other);
        }
    }
    free(f->q);
    free(f->calc_order);
    free(f->eval_order);
    for (size_t i = 0; i < f->nlists; i++) {
        choice_list_t *l = &f->lists[i];
        for (size_t k = 0; k < l->nchoices; k++) {
            choice_t *c = &l->choices[k];
            free(c->name);
            text_free(&c->label);
            for (size_t e = 0; e < c->nextra; e++) {
                free(c->extra_keys[e]);
                free(c->extra_vals[e]);
            }
            free(c->extra_keys);
            free(c->extra_vals);
            free(c->image);
        }
        free(l->choices);
        free(l->name);
    }
    free(f->lists);
    for (size_t i = 0; i < f->nmedia; i++) {
        free(f->media[i].name);
        free(f->media[i].data);
    }
    free(f->media);
    for (size_t i = 0; i < f->nnotes; i++) free(f->notes[i]);
    free(f->notes);
    for (int i = 0; i < f->nlangs; i++) {
        free(f->lang_code[i]);
        free(f->lang_name[i]);
    }
    text_free(&f->title);
    free(f->id);
    free(f->version);
    free(f->hash);
    free(f->source);
    free(f);
}

/* ---- lookups -------------------------------------------------------------- */

int form_lang(const form_t *f, const char *code)
{
    if (!code) return -1;
    for (int i = 0; i < f->nlangs; i++)
        if (!strcasecmp(f->lang_code[i], code)) return i;
    return -1;
}

const char *form_text(const form_t *f, const text_t *t, int li)
{
    if (li >= 0 && li < FORM_MAX_LANGS && t->s[li]) return t->s[li];
    if (t->s[f->default_lang]) return t->s[f->default_lang];
    for (int i = 0; i < FORM_MAX_LANGS; i++)
        if (t->s[i]) return t->s[i];
    return "";
}

bool form_q_answerable(const question_t *q)
{
    return q->type != Q_NOTE && q->type != Q_BEGIN_GROUP && q->type != Q_END_GROUP;
}

const question_t *form_question(const form_t *f, const char *name)
{
    for (size_t i = 0; i < f->nq; i++)
        if (f->q[i].type != Q_END_GROUP && !strcmp(f->q[i].name, name)) return &f->q[i];
    return NULL;
}

const choice_t *form_choice(const question_t *q, const char *name)
{
    if (q->other && !strcmp(q->other->name, name)) return q->other;
    if (!q->list) return NULL;
    for (size_t i = 0; i < q->list->nchoices; i++)
        if (!strcmp(q->list->choices[i].name, name)) return &q->list->choices[i];
    return NULL;
}

static void seed_ref(void *arg, const char *name)
{
    (void)name;
    *(bool *)arg = true;
}

bool form_orders_per_visit(const form_t *f)
{
    for (size_t i = 0; i < f->nq; i++) {
        if (!f->q[i].randomize) continue;
        if (!f->q[i].seed) return true;
        bool refs = false;
        expr_refs(f->q[i].seed, seed_ref, &refs);
        if (refs) return true;
    }
    return false;
}

size_t form_nchoices(const question_t *q)
{
    return (q->list ? q->list->nchoices : 0) + (q->other ? 1 : 0);
}

const choice_t *form_choice_at(const question_t *q, size_t k)
{
    size_t n = q->list ? q->list->nchoices : 0;
    return k < n ? &q->list->choices[k] : q->other;
}
