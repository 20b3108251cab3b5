/*
 * render.c: HTML for citizens (see render.h).
 *
 * Size matters: a survey page must arrive over 2G in one or two round
 * trips, so markup is terse (no redundant attributes, classes of one or
 * two letters defined in www/buzon.css) and each choice costs one label
 * and one input. Accessibility is not traded for it: every input has a
 * label, every group of choices is a fieldset with a legend, hints and
 * errors are tied to their fields with aria-describedby.
 *
 * Conditional questions: without JavaScript all of them show, each with a
 * sentence saying when it applies ("Responda solo si en «…» respondió
 * «…»"); questions the server can already decide (those that depend only
 * on the point's service) are left out. For simple conditions a data-if
 * attribute lets www/buzon.js hide and show them live; other conditions,
 * calculations and required expressions are marked (data-rel, data-calc,
 * data-req) for the script to ask the server (live_out.h).
 */
#include "view/render.h"
#include "view/render_cases.h"
#include "view/render_share.h"
#include "view/rich.h"
#include "base/utf8.h"
#include "model/geo.h"
#include "model/shortcode.h"
#include "model/media.h"
#include "model/paper_q.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest question label quoted whole in an "applies when" sentence, in
 * bytes; longer ones are quoted by their first words. */
#define COND_QUOTE_MAX 48

static const char *T(lang_t l, str_id_t id) { return i18n(l, id); }

void render_text(buf_t *o, lang_t l, str_id_t id)
{
    buf_html(o, T(l, id));
}

void render_dt(buf_t *o, lang_t l, str_id_t term)
{
    buf_puts(o, "<dt>");
    render_text(o, l, term);
    buf_puts(o, "</dt><dd>");
}

int render_form_lang(const form_t *f, lang_t lang)
{
    int li = form_lang(f, i18n_code(lang));
    return li >= 0 ? li : f->default_lang;
}

/* Page head and header. alt_href is this page's address without a lang
 * parameter (ending in '?' or '&'), for the language switch. */
static void page_begin_form(buf_t *o, lang_t lang, const char *title, const char *alt_href, bool script,
                            bool form);

static void page_begin(buf_t *o, lang_t lang, const char *title, const char *alt_href, bool script)
{
    page_begin_form(o, lang, title, alt_href, script, false);
}

/* form: the page holds the survey form (id f), and the switch is one of
 * its submit buttons, so the answers given so far go along and come back
 * in the other language, with or without JavaScript. */
static void page_begin_form(buf_t *o, lang_t lang, const char *title, const char *alt_href, bool script,
                            bool form)
{
    buf_printf(o, "<!doctype html><html lang=%s><head><meta charset=utf-8>"
               "<meta name=viewport content=\"width=device-width,initial-scale=1\"><title>",
               i18n_code(lang));
    buf_html(o, title);
    /* issue 17: the icon (SVG; /favicon.ico for browsers without SVG
     * icons) and, but on a survey page (14 KB at most: test_http), the
     * web manifest for "add to home screen" (staff tablets). The Open
     * Graph tags go only to link previews (http_share.c). */
    buf_puts(o, "</title><link rel=icon href=/s/icon.svg>");
    if (!form) buf_puts(o, "<link rel=manifest href=/manifest.webmanifest>");
    buf_puts(o, "<link rel=stylesheet href=/s/buzon.css>");
    if (script) buf_puts(o, "<script src=/s/buzon.js defer></script>");
    buf_printf(o, "</head><body><header><a class=org href=\"/?lang=%s\">", i18n_code(lang));
    buf_html(o, T(lang, S_ORG_NAME));
    buf_puts(o, "</a>");
    /* A page in English or French is a form written only in that
     * language: there is no other language to switch to (form_ui.h). */
    if (lang >= LANG_COUNT) {
        buf_puts(o, "</header><main>");
        return;
    }
    buf_puts(o, "<nav aria-label=\"");
    buf_html(o, T(lang, S_LANG_SWITCH_LABEL));
    buf_puts(o, "\">");
    for (int l = 0; l < LANG_COUNT; l++) {
        if (l == (int)lang) continue;
        if (form) {
            buf_puts(o, "<button form=f formaction=\"");
            buf_html(o, alt_href);
            buf_printf(o, "lang=%s\" name=_lang value=%s lang=%s>", i18n_code((lang_t)l),
                       i18n_code((lang_t)l), i18n_code((lang_t)l));
            buf_html(o, T((lang_t)l, S_LANG_NAME));
            buf_puts(o, "</button>");
            continue;
        }
        buf_puts(o, "<a href=\"");
        buf_html(o, alt_href);
        buf_printf(o, "lang=%s\" hreflang=%s lang=%s>", i18n_code((lang_t)l), i18n_code((lang_t)l),
                   i18n_code((lang_t)l));
        buf_html(o, T((lang_t)l, S_LANG_NAME));
        buf_puts(o, "</a>");
    }
    buf_puts(o, "</nav></header><main>");
}

/* Closes the page; citizen pages (lang given) carry in their footer the
 * Government's Línea 311 for complaints about other public services, as
 * NORTIC A2 asks of public portals. Staff pages pass LANG_TABLES: none. */
static void page_end(buf_t *o, lang_t lang)
{
    buf_puts(o, "</main>");
    if (lang < LANG_TABLES) {
        buf_puts(o, "<footer><p>");
        buf_html(o, T(lang, S_F311_ASK));
        buf_puts(o, " <a href=\"https://311.gob.do/\" hreflang=es>");
        buf_html(o, T(lang, S_F311_LINK));
        buf_puts(o, "</a> ");
        buf_html(o, T(lang, S_F311_CALL));
        buf_puts(o, " <a href=\"tel:311\">311</a>.</p></footer>");
    }
    buf_puts(o, "</body></html>\n");
}

void render_page_begin(buf_t *o, lang_t lang, const char *title, const char *alt_href, bool script)
{
    page_begin(o, lang, title, alt_href, script);
}

void render_page_end(buf_t *o)
{
    page_end(o, LANG_TABLES);
}

void render_citizen_page_end(buf_t *o, lang_t lang)
{
    page_end(o, lang);
}

/* <ul> of the surveys, each optionally tied to a point. */
static void survey_list(buf_t *o, const catalog_t *cat, lang_t lang)
{
    buf_puts(o, "<ul class=ls>");
    for (size_t i = 0; i < cat->nforms; i++) {
        const form_t *f = cat->forms[i];
        if (f->staff) continue;   /* issue 18: a register is never listed */
        buf_puts(o, "<li><a href=\"");
        shortcode_target(o, f, NULL);
        buf_printf(o, "?lang=%s\">", i18n_code(lang));
        buf_html(o, form_text(f, &f->title, render_form_lang(f, lang)));
        buf_puts(o, "</a></li>");
    }
    buf_puts(o, "</ul>");
}

static const char *point_name(const point_t *p, lang_t lang)
{
    return lang == LANG_HT && p->name_ht && *p->name_ht ? p->name_ht : p->name;
}

void render_index(buf_t *o, const catalog_t *cat, lang_t lang)
{
    page_begin(o, lang, T(lang, S_SITE_NAME), "/?", true);   /* issue 17: for #mine */
    buf_puts(o, "<h1>");
    buf_html(o, T(lang, S_INDEX_TITLE));
    buf_puts(o, "</h1><p>");
    buf_html(o, T(lang, S_INDEX_INTRO));
    buf_puts(o, "</p>");
    if (!catalog_public_count(cat)) {
        buf_puts(o, "<p>");
        buf_html(o, T(lang, S_INDEX_EMPTY));
        buf_puts(o, "</p>");
    } else {
        survey_list(o, cat, lang);
    }
    render_mine(o, lang);
    page_end(o, lang);
}

/* ---- survey ----------------------------------------------------------- */

typedef struct cond_ctx {
    buf_t *o;
    const form_t *f;
    int li;
    lang_t lang;
    const char *last_name, *last_op;
    bool is_or;
    bool encodable;        /* every test fits the data-if syntax */
    buf_t *tests;
} cond_ctx_t;

static const char *value_label(const form_t *f, const char *qname, const char *value, int li)
{
    const question_t *q = form_question(f, qname);
    const choice_t *c = q ? form_choice(q, value) : NULL;
    return c ? form_text(f, &c->label, li) : value;
}

/* Append text HTML-escaped, cut at a word boundary to at most max bytes
 * with "…" when longer. */
static void quote_start(buf_t *o, const char *text, size_t max)
{
    size_t n = strlen(text);
    if (n <= max) {
        buf_html(o, text);
        return;
    }
    /* The end of a sentence if there is one, else a word boundary. */
    size_t cut = 0;
    for (size_t k = max; k > max / 3 && !cut; k--)
        if (text[k] == ' ' && strchr(".?:", text[k - 1])) cut = k - 1;
    for (size_t k = max; k > max / 2 && !cut; k--)
        if (text[k] == ' ') cut = k;
    if (!cut) cut = max;
    if (text[cut] != ' ' && !strchr(".?:", text[cut]))
        cut = utf8_floor(text, cut);   /* a character's */
    while (cut > 0 && strchr(" ,;:", text[cut - 1])) cut--;
    char *head = xmalloc(cut + 1);
    memcpy(head, text, cut);
    head[cut] = '\0';
    buf_html(o, head);
    free(head);
    buf_puts(o, "…");
}

/* One test of a simple condition, e.g. "en «Tipo» respondió «Queja»";
 * consecutive tests on the same question collapse into "«A» o «B»". */
static void cond_test(void *arg, const char *name, const char *op, const char *value, bool first, bool is_or)
{
    cond_ctx_t *c = arg;
    const question_t *q = form_question(c->f, name);
    bool same = !first && c->last_name && !strcmp(c->last_name, name) && !strcmp(c->last_op, op);
    if (!first) {
        buf_putc(c->o, ' ');
        buf_html(c->o, T(c->lang, is_or ? S_COND_OR : S_COND_AND));
        buf_putc(c->o, ' ');
    }
    if (!same) {
        /* Name the question: whole when short, else its first words (a
         * long consent text quoted whole would cost more than it
         * explains, and two questions may share the answer "Sí, acepto"). */
        buf_t ql;   /* quoted as text: no markup, references as written */
        buf_init(&ql);
        rich_plain(&ql, q ? form_text(c->f, &q->label, c->li) : name, NULL, NULL);
        buf_html(c->o, T(c->lang, S_COND_IN));
        buf_puts(c->o, " «");
        quote_start(c->o, ql.data ? ql.data : "", COND_QUOTE_MAX);
        buf_free(&ql);
        buf_puts(c->o, "» ");
        buf_html(c->o, T(c->lang, strcmp(op, "!=") ? S_COND_ANSWERED : S_COND_NOT_ANSWERED));
        buf_putc(c->o, ' ');
    }
    buf_puts(c->o, "«");
    buf_html(c->o, value_label(c->f, name, value, c->li));
    buf_puts(c->o, "»");
    c->last_name = name;
    c->last_op = op;
    c->is_or = is_or;
    /* data-if: "name=value name!=value name~value" (~ is selected()),
     * space-separated; names and choice names never contain spaces. */
    if (strpbrk(value, " =!~\"'<>&") || !*value) c->encodable = false;
    /* A calculated value is the server's: the script cannot see it. */
    if (q && (q->calc || q->type == Q_CALCULATE || q->type == Q_HIDDEN)) c->encodable = false;
    if (c->tests->len) buf_putc(c->tests, ' ');
    buf_puts(c->tests, name);
    buf_puts(c->tests, !strcmp(op, "selected") ? "~" : op);
    buf_puts(c->tests, value);
}

/* The "applies when" sentence, and the data-if attribute for the script.
 * Returns the attribute text (caller frees; starts with "or " for a
 * disjunction) or NULL when the script cannot evaluate the condition. */
static char *condition(buf_t *o, const form_t *f, const question_t *q, int li, lang_t lang, const char *id)
{
    buf_t sentence;
    buf_init(&sentence);
    buf_t tests;
    buf_init(&tests);
    cond_ctx_t c = { .o = &sentence, .f = f, .li = li, .lang = lang, .tests = &tests, .encodable = true };
    char *attr = NULL;
    if (expr_simple_tests(q->relevant, cond_test, &c)) {
        if (c.encodable) {
            buf_t a;
            buf_init(&a);
            buf_puts(&a, c.is_or ? "or " : "");
            buf_append(&a, tests.data, tests.len);
            attr = buf_steal(&a);
        }
        buf_printf(o, "<p class=c id=c-%s>", id);
        buf_html(o, T(lang, S_COND_PREFIX));
        buf_putc(o, ' ');
        buf_append(o, sentence.data, sentence.len);
        buf_puts(o, ".</p>");
    } else {
        buf_printf(o, "<p class=c id=c-%s>", id);
        buf_html(o, T(lang, S_COND_GENERIC));
        buf_puts(o, "</p>");
    }
    buf_free(&tests);
    buf_free(&sentence);
    return attr;
}

bool render_condition_words(buf_t *o, const form_t *f, const question_t *q, int li, lang_t lang)
{
    buf_t sentence, tests;
    buf_init(&sentence);
    buf_init(&tests);
    cond_ctx_t c = { .o = &sentence, .f = f, .li = li, .lang = lang, .tests = &tests, .encodable = true };
    bool ok = q->relevant && expr_simple_tests(q->relevant, cond_test, &c);
    if (ok) buf_append(o, sentence.data, sentence.len);
    buf_free(&tests);
    buf_free(&sentence);
    return ok;
}

static const char *err_text(const form_t *f, const question_t *q, answer_err_t e, int li, lang_t lang)
{
    const char *custom = NULL;
    if (e == AERR_REQUIRED) custom = form_text(f, &q->required_msg, li);
    if (e == AERR_CONSTRAINT) custom = form_text(f, &q->constraint_msg, li);
    if (custom && *custom) return custom;
    static const str_id_t ids[] = {
        [AERR_REQUIRED] = S_ERR_REQUIRED, [AERR_CONSTRAINT] = S_ERR_CONSTRAINT,
        [AERR_INTEGER] = S_ERR_INTEGER,   [AERR_DECIMAL] = S_ERR_DECIMAL,
        [AERR_DATE] = S_ERR_DATE,         [AERR_CHOICE] = S_ERR_CHOICE,
        [AERR_TOO_LONG] = S_ERR_TOO_LONG,
        [AERR_PHONE] = S_PHONE_INVALID,   [AERR_EMPTY] = S_ERR_EMPTY,
        [AERR_TIME] = S_ERR_TIME,         [AERR_DATETIME] = S_ERR_DATETIME,
        [AERR_RANGE] = S_ERR_RANGE,       [AERR_RANK] = S_ERR_RANK,
        [AERR_GEOPOINT] = S_ERR_GEOPOINT, [AERR_GEO_RANGE] = S_ERR_GEO_RANGE,
        [AERR_GEOTRACE] = S_ERR_GEOTRACE, [AERR_GEOSHAPE] = S_ERR_GEOSHAPE,
        [AERR_MEDIA_TYPE] = S_MEDIA_ERR_TYPE, [AERR_MEDIA_BROKEN] = S_MEDIA_ERR_BROKEN,
    };
    /* issue 16: a recording, a film or a file is refused in its own words. */
    if (e == AERR_MEDIA_TYPE && q->type != Q_IMAGE)
        return T(lang, q->type == Q_AUDIO ? S_MEDIA_AV_ERR_AUDIO : q->type == Q_VIDEO ? S_MEDIA_AV_ERR_VIDEO
                                                                                     : S_MEDIA_AV_ERR_FILE);
    if (e == AERR_MEDIA_BROKEN && q->type != Q_IMAGE) return T(lang, S_MEDIA_AV_ERR_BROKEN);
    return T(lang, ids[e]);
}

static void cond_test(void *arg, const char *name, const char *op, const char *value, bool first, bool is_or);

/* The message for text typed into question i, which does not apply: it
 * names the answer that would make it apply (answers.h,
 * answers_why_not_applicable), HTML-escaped into o. */
static void not_applicable_text(buf_t *o, const form_t *f, const answers_t *a, size_t i, int li, lang_t lang)
{
    const question_t *k = &f->q[answers_why_not_applicable(a, i)];
    buf_t sentence, tests;
    buf_init(&sentence);
    buf_init(&tests);
    cond_ctx_t c = { .o = &sentence, .f = f, .li = li, .lang = lang, .tests = &tests, .encodable = true };
    if (k->relevant && expr_simple_tests(k->relevant, cond_test, &c)) {
        buf_html(o, T(lang, S_NA_LEAD));
        buf_putc(o, ' ');
        buf_append(o, sentence.data, sentence.len);
        buf_puts(o, ". ");
        buf_html(o, T(lang, S_NA_FIX));
    } else {
        buf_html(o, T(lang, S_NA_GENERIC));
    }
    buf_free(&tests);
    buf_free(&sentence);
}

/* The error of question i (s->a->err[i] set), HTML-escaped into o. */
static void put_err(buf_t *o, const form_t *f, const answers_t *a, size_t i, int li, lang_t lang)
{
    const question_t *q = &f->q[i];
    if (a->err[i] == AERR_NOT_APPLICABLE) {
        not_applicable_text(o, f, a, i, li, lang);
    } else if (a->err[i] == AERR_MEDIA_TYPE && q->type == Q_FILE && q->accept && *q->accept) {
        /* issue 18: a file question that names its kinds (body::accept)
         * says them: ".pdf, .docx, .png." */
        buf_html(o, T(lang, S_MEDIA_ERR_ACCEPT));
        bool first = true;
        for (const char *s = q->accept; *s;) {
            while (*s == ' ' || *s == ',' || *s == ';') s++;
            size_t n = strcspn(s, " ,;");
            if (!n) break;
            char w[64];
            snprintf(w, sizeof w, "%s%.*s", first ? "" : ", ", (int)(n < 48 ? n : 48), s);
            buf_html(o, w);
            first = false;
            s += n;
        }
        buf_puts(o, ".");
    } else {
        buf_html(o, err_text(f, q, a->err[i], li, lang));
    }
}

void render_answer_err(buf_t *o, const form_t *f, const answers_t *a, size_t i, int li, lang_t lang)
{
    put_err(o, f, a, i, li, lang);
}

static bool selected(const char *list, const char *name)
{
    if (!list) return false;
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return true;
    return false;
}

typedef struct sctx {
    buf_t *o;
    const catalog_t *cat;
    const form_t *f;
    const answers_t *a;   /* NULL on a fresh page */
    answers_t fresh;      /* prefilled values only, for static relevance */
    int li;
    lang_t lang;
    const char *self;     /* the page's address up to "lang=" (the re-render button's) */
} sctx_t;

static const answers_t *cur(const sctx_t *s) { return s->a ? s->a : &s->fresh; }

/* rich_pipe_fn of the survey page: what question name's field shows (the
 * answer, or a select's choice labels in the page's language, joined by
 * ", "); nothing on a fresh page, so the cached page stays the same for
 * every visitor. arg is the sctx_t. */
static bool pipe_value(void *arg, const char *name, buf_t *out)
{
    const sctx_t *s = arg;
    const question_t *q = form_question(s->f, name);
    /* issue 15 item 5: a loaded form names no unknown question, so this
     * is a metadata row (${start}, ${deviceid}): shown as nothing. */
    if (!q) return true;
    if (!form_q_answerable(q)) return false;
    const char *v = answers_shown(cur(s), (size_t)(q - s->f->q));
    if (!v) return true;
    if (q->type != Q_SELECT_ONE && q->type != Q_SELECT_MULTIPLE && q->type != Q_RANK) {
        buf_puts(out, v);
        return true;
    }
    /* A select_one's choice names may hold spaces: the whole value first. */
    const choice_t *c = form_choice(q, v);
    if (c || q->type == Q_SELECT_ONE) {
        rich_plain(out, c ? form_text(s->f, &c->label, s->li) : v, NULL, NULL);
        return true;
    }
    char *names = xstrdup(v), *save = NULL;
    bool first = true;
    for (char *w = strtok_r(names, " ", &save); w; w = strtok_r(NULL, " ", &save), first = false) {
        if (!first) buf_puts(out, ", ");
        c = form_choice(q, w);
        rich_plain(out, c ? form_text(s->f, &c->label, s->li) : w, NULL, NULL);
    }
    free(names);
    return true;
}

bool render_pipe_html(buf_t *o, const form_t *f, const answers_t *a, lang_t lang, const char *name)
{
    sctx_t s = { .f = f, .a = a, .li = render_form_lang(f, lang), .lang = lang };
    buf_t v;
    buf_init(&v);
    bool ok = pipe_value(&s, name, &v);
    if (ok) buf_html(o, v.data);     /* as rich.c writes it into the span */
    buf_free(&v);
    return ok;
}

/* An author's text (label, hint, note) as HTML with markdown and piping. */
static void rich(sctx_t *s, buf_t *o, const char *text)
{
    rich_html(o, text, pipe_value, s);
}

/* An author's text where no markup may go (an <option>, a link), escaped. */
static void plain(sctx_t *s, buf_t *o, const char *text)
{
    buf_t t;
    buf_init(&t);
    rich_plain(&t, text, pipe_value, s);
    buf_html(o, t.data);
    buf_free(&t);
}

/* Whether q is asked as required with the answers shown (a required
 * expression is evaluated with them; on a fresh page, with none). */
static bool is_required(const sctx_t *s, const question_t *q)
{
    return answers_required(cur(s), (size_t)(q - s->f->q));
}

/* Label / legend text with the required mark. */
static void label_text(sctx_t *s, const question_t *q)
{
    rich(s, s->o, form_text(s->f, &q->label, s->li));
    /* A required expression's mark is there, hidden while it is false, so
     * the script can show it when a live answer makes it true. */
    bool req = is_required(s, q);
    if (req || q->required_if) {
        buf_puts(s->o, req ? " <abbr class=r title=\"" : " <abbr class=r hidden title=\"");
        buf_html(s->o, T(s->lang, S_REQUIRED));
        buf_puts(s->o, "\">*</abbr>");
    }
}

/* Issue 16 item 5: the values of range q listed as radio buttons (at most
 * 11, and not appearance no-ticks: one tap, no keyboard, every value
 * visible on a phone), else 0: a number field. */
static size_t range_count(const question_t *q)
{
    if (q->type != Q_RANGE || (q->appearance & APP_NO_TICKS)) return 0;
    double n = floor(fabs(q->range_end - q->range_start) / q->range_step + 1e-9) + 1;
    return n <= 11 ? (size_t)n : 0;
}

/* The hint a question of type q gets when its author wrote none: the
 * format of a date or time field, a range's bounds (written into b). */
static const char *type_hint(sctx_t *s, const question_t *q, buf_t *b)
{
    switch (q->type) {
    case Q_DATE:
        return T(s->lang, q->appearance & APP_YEAR ? S_YEAR_HINT
                          : q->appearance & APP_MONTH_YEAR ? S_MONTH_HINT : S_DATE_HINT);
    case Q_TIME: return T(s->lang, S_TIME_HINT);
    case Q_DATETIME: return T(s->lang, S_DATETIME_HINT);
    case Q_RANGE:
        if (range_count(q)) return "";
        buf_printf(b, "%s %.15g %s %.15g", T(s->lang, S_RANGE_BETWEEN), fmin(q->range_start, q->range_end),
                   T(s->lang, S_RANGE_AND), fmax(q->range_start, q->range_end));
        if (q->range_step != 1) buf_printf(b, ", %s %.15g", T(s->lang, S_RANGE_STEP), q->range_step);
        return b->data;
    default: return "";
    }
}

/* Hint, condition and error paragraphs; returns the aria-describedby ids. */
static void describe(sctx_t *s, const question_t *q, size_t i, buf_t *ids, char **data_if)
{
    const char *hint = form_text(s->f, &q->hint, s->li);
    const char *n = q->name;
    buf_t range;   /* a range's own hint, when it is a number field */
    buf_init(&range);
    if (!*hint) hint = type_hint(s, q, &range);
    if ((q->type == Q_GEOTRACE || q->type == Q_GEOSHAPE) && !*hint) hint = T(s->lang, S_GEO_LIST_HINT);
    if (q->type == Q_IMAGE && !*hint) hint = T(s->lang, S_MEDIA_HINT);
    if (media_is_upload(q->type) && q->type != Q_IMAGE && !*hint)
        hint = T(s->lang, q->type == Q_AUDIO ? S_MEDIA_AV_HINT_AUDIO : q->type == Q_VIDEO ? S_MEDIA_AV_HINT_VIDEO
                                                                                         : S_MEDIA_AV_HINT_FILE);
    if (*hint) {
        buf_printf(s->o, "<p class=h id=h-%s>", n);
        rich(s, s->o, hint);
        buf_puts(s->o, "</p>");
        buf_printf(ids, "h-%s ", n);
    }
    /* XLSForm's guidance_hint: a second, quieter hint. */
    const char *guide = form_text(s->f, &q->guidance_hint, s->li);
    if (*guide) {
        buf_printf(s->o, "<p class=\"h gh\" id=gh-%s>", n);
        buf_html(s->o, guide);
        buf_puts(s->o, "</p>");
        buf_printf(ids, "gh-%s ", n);
    }
    /* A condition the server already knows holds (it depends only on the
     * service the poster fixed) needs no sentence: it would name a
     * question that is not on the page. */
    if (q->relevant && answers_static_relevance(cur(s), i) != 1) {
        *data_if = condition(s->o, s->f, q, s->li, s->lang, n);
        buf_printf(ids, "c-%s ", n);
    }
    if (s->a && s->a->err[i] != AERR_NONE) {
        buf_printf(s->o, "<p class=e id=e-%s>", n);
        put_err(s->o, s->f, s->a, i, s->li, s->lang);
        buf_puts(s->o, "</p>");
        buf_printf(ids, "e-%s ", n);
    }
    if (ids->len) ids->data[--ids->len] = '\0';
    buf_free(&range);
}

/* What www/buzon.js needs on question i's block: data-if, the condition
 * it tests alone (instant, offline), else data-rel when the relevance is
 * one only the server's engine can decide live (POST /e/<form>/vivo);
 * data-calc on a question with a calculation and data-req on one whose
 * required is an expression: their value and mark come from the server. */
static void put_data_if(sctx_t *s, const question_t *q, size_t i, const char *data_if)
{
    buf_t *o = s->o;
    if (data_if) {
        buf_puts(o, " data-if=\"");
        buf_html(o, data_if);
        buf_putc(o, '"');
    } else if (q->relevant && answers_static_relevance(cur(s), i) != 1) {
        buf_puts(o, " data-rel=1");
    }
    if (q->calc) buf_puts(o, " data-calc=1");
    if (q->required_if) buf_puts(o, " data-req=1");
    if (q->choice_filter) buf_puts(o, " data-cf=1");
}

static void open_block(sctx_t *s, const char *tag, const question_t *q, size_t i, const char *data_if)
{
    bool err = s->a && s->a->err[i];
    bool row = q->appearance & (APP_LIKERT | APP_HORIZONTAL);
    if (err || row)
        buf_printf(s->o, "<%s class=\"q%s%s\" id=q-%s", tag, err ? " x" : "", row ? " k" : "", q->name);
    else
        buf_printf(s->o, "<%s class=q id=q-%s", tag, q->name);
    put_data_if(s, q, i, data_if);
}

/* Choice c of question i fits its choice_filter with the answers the page
 * is rendered with (issue 16). A choice that does not is still in the page,
 * hidden and disabled, so buzon.js can bring it back live; without the
 * script it can be neither seen nor sent. */
static bool fits(const sctx_t *s, const question_t *q, size_t i, const choice_t *c)
{
    return !q->choice_filter || answers_choice_fits(cur(s), i, c);
}

/* After a filtered question: a button of the form that sends the answers
 * back to be shown again, with the options that fit them (the language
 * switch's path: `_lang`, the same language, nothing judged or stored);
 * the fragment brings the person back to the question. buzon.js hides it
 * (the options follow the answers live). */
static void refresh_button(sctx_t *s, const question_t *q)
{
    if (!q->choice_filter || q->read_only || q->calc || !s->self) return;
    const char *code = i18n_code(s->lang);
    buf_puts(s->o, "<button class=up formaction=\"");
    buf_html(s->o, s->self);
    buf_printf(s->o, "lang=%s#q-%s\" name=_lang value=%s>", code, q->name, code);
    buf_html(s->o, T(s->lang, S_CHOICES_REFRESH));
    buf_puts(s->o, "</button>");
}

static void render_choices(sctx_t *s, const question_t *q, size_t i)
{
    buf_t ids, inner;
    buf_init(&ids);
    buf_init(&inner);
    char *data_if = NULL;
    const char *val = answers_shown(cur(s), i);
    bool multi = q->type == Q_SELECT_MULTIPLE;
    size_t nc = form_nchoices(q);
    size_t *order = xcalloc(nc ? nc : 1, sizeof *order);
    answers_choice_order(cur(s), i, order);   /* issue 16: randomize */

    /* Describe first into a separate buffer: it decides data-if. */
    buf_t *o = s->o;
    s->o = &inner;
    describe(s, q, i, &ids, &data_if);
    s->o = o;

    if (q->appearance & APP_MINIMAL && !multi) {
        open_block(s, "div", q, i, data_if);
        buf_printf(o, "><label for=i-%s>", q->name);
        label_text(s, q);
        buf_puts(o, "</label>");
        buf_append(o, inner.data, inner.len);
        buf_printf(o, "<select id=i-%s name=%s", q->name, q->name);
        if (ids.len) buf_printf(o, " aria-describedby=\"%s\"", ids.data);
        if (is_required(s, q)) buf_puts(o, " aria-required=true");
        if (s->a && s->a->err[i]) buf_puts(o, " aria-invalid=true");
        if (q->read_only || q->calc) buf_puts(o, " disabled");
        buf_puts(o, "><option value=\"\">");
        buf_html(o, T(s->lang, S_CHOOSE));
        buf_puts(o, "</option>");
        for (size_t k = 0; k < nc; k++) {
            const choice_t *c = form_choice_at(q, order[k]);
            bool ok = fits(s, q, i, c);
            buf_puts(o, "<option value");
            buf_attr(o, c->name);
            if (!ok) buf_puts(o, " hidden disabled");
            buf_puts(o, ok && val && !strcmp(val, c->name) ? " selected>" : ">");
            plain(s, o, form_text(s->f, &c->label, s->li));
            buf_puts(o, "</option>");
        }
        buf_puts(o, "</select>");
        refresh_button(s, q);
        buf_puts(o, "</div>");
    } else {
        open_block(s, "fieldset", q, i, data_if);
        if (ids.len) buf_printf(o, " aria-describedby=\"%s\"", ids.data);
        /* Screen readers announce a required radio group as such; the
         * radios carry no "required" (Chromium would announce each one
         * invalid before anything was done), and the group is invalid
         * only after a failed submit. */
        if (is_required(s, q) && !multi) buf_puts(o, " role=radiogroup aria-required=true");
        /* Read-only: shown, not editable (the server ignores what is posted). */
        if (q->read_only || q->calc) buf_puts(o, " disabled");
        if (s->a && s->a->err[i]) buf_puts(o, " aria-invalid=true");
        buf_puts(o, "><legend>");
        label_text(s, q);
        buf_puts(o, "</legend>");
        buf_append(o, inner.data, inner.len);
        buf_puts(o, "<div class=o>");
        for (size_t k = 0; k < nc; k++) {
            const choice_t *c = form_choice_at(q, order[k]);
            bool ok = fits(s, q, i, c);
            bool on = ok && (multi ? selected(val, c->name) : (val && !strcmp(val, c->name)));
            buf_printf(o, "<label%s><input type=%s name=%s value", ok ? "" : " hidden",
                       multi ? "checkbox" : "radio", q->name);
            buf_attr(o, c->name);
            if (!ok) buf_puts(o, " disabled");
            buf_puts(o, on ? " checked>" : ">");
            if (c->image) {
                /* issue 16: its picture; alt="" since the label says it. */
                buf_puts(o, "<img alt=\"\" loading=lazy src=\"/e/");
                buf_urlenc(o, s->f->id);
                buf_puts(o, "/imagen?f=");
                buf_t u;
                buf_init(&u);
                buf_urlenc(&u, c->image);
                buf_html(o, u.data);
                buf_free(&u);
                buf_puts(o, "\">");
            }
            rich(s, o, form_text(s->f, &c->label, s->li));
            buf_puts(o, "</label>");
        }
        buf_puts(o, "</div>");
        refresh_button(s, q);
        buf_puts(o, "</fieldset>");
    }
    free(order);
    free(data_if);
    buf_free(&ids);
    buf_free(&inner);
}

/* The standard contact questions (cases.h) ask for the citizen's own name
 * and phone: saying so lets the browser fill them in and show a phone
 * keypad (WCAG 1.3.5, identify input purpose). "" for other questions. */
static const char *input_purpose(const char *name)
{
    static const struct { const char *name, *attrs; } purposes[] = {
        { "contacto_nombre", " autocomplete=name" },
        { "contacto_telefono", " autocomplete=tel inputmode=tel" },
    };
    for (size_t k = 0; k < sizeof purposes / sizeof purposes[0]; k++)
        if (!strcmp(name, purposes[k].name)) return purposes[k].attrs;
    return "";
}

/* The type of q's <input>: a browser without a picker shows a text
 * field, whose typed value the server parses (answers.c). */
static const char *input_type(const question_t *q)
{
    bool plain = q->appearance & APP_NO_CALENDAR;
    switch (q->type) {
    case Q_DATE:
        return plain || (q->appearance & APP_YEAR) ? "text" : q->appearance & APP_MONTH_YEAR ? "month" : "date";
    case Q_TIME: return "time";
    case Q_DATETIME: return plain ? "text" : "datetime-local";
    case Q_RANGE: return "number";
    case Q_IMAGE: case Q_AUDIO: case Q_VIDEO: case Q_FILE: return "file";
    default: return "text";
    }
}
static void geo_button(sctx_t *s, const question_t *q, str_id_t label);

static void render_input(sctx_t *s, const question_t *q, size_t i)
{
    buf_t ids, inner;
    buf_init(&ids);
    buf_init(&inner);
    char *data_if = NULL;
    buf_t *o = s->o;
    s->o = &inner;
    describe(s, q, i, &ids, &data_if);
    s->o = o;

    const char *val = answers_shown(cur(s), i);   /* a fresh page: its defaults */
    /* Keep what the visitor typed even when it was rejected. */
    open_block(s, "div", q, i, data_if);
    buf_printf(o, "><label for=i-%s>", q->name);
    label_text(s, q);
    buf_puts(o, "</label>");
    buf_append(o, inner.data, inner.len);
    bool geo = q->type == Q_GEOTRACE || q->type == Q_GEOSHAPE;
    bool area = (q->type == Q_TEXT && (q->appearance & APP_MULTILINE)) || geo;
    if (area) {
        buf_printf(o, "<textarea id=i-%s name=%s rows=4 maxlength=%d", q->name, q->name, ANSWER_MAX_TEXT);
    } else {
        /* A photo: the phone offers its camera and gallery; the camera
         * alone when the form's appearance asks for it (new, new-front). */
        const char *extra = q->type == Q_INTEGER ? " inputmode=numeric"
                          : q->type == Q_DECIMAL ? " inputmode=decimal"
                          : q->type != Q_IMAGE ? ""
                          : (q->appearance & APP_NEW_FRONT) ? " accept=\"image/*\" capture=user"
                          : (q->appearance & APP_NEW) ? " accept=\"image/*\" capture=environment"
                          : " accept=\"image/*\"";
        if (q->type == Q_TEXT && (q->appearance & APP_NUMBERS)) extra = " inputmode=numeric";
        if (q->type == Q_TEXT && (q->appearance & APP_TEL)) extra = " inputmode=tel autocomplete=off";
        if (q->type == Q_DATE && (q->appearance & APP_YEAR)) extra = " inputmode=numeric maxlength=4";
        buf_printf(o, "<input id=i-%s name=%s type=%s%s", q->name, q->name, input_type(q), extra);
        if (q->type == Q_AUDIO || q->type == Q_VIDEO) {
            /* issue 16: the phone offers its recorder and files; the
             * recorder alone when the appearance asks (new, new-front). */
            buf_printf(o, " accept=\"%s/*\"%s", q->type == Q_AUDIO ? "audio" : "video",
                       (q->appearance & APP_NEW_FRONT) ? " capture=user"
                       : (q->appearance & APP_NEW) ? " capture=environment" : "");
        } else if (q->type == Q_FILE && q->accept) {
            buf_puts(o, " accept=\"");   /* the author's body::accept */
            buf_html(o, q->accept);
            buf_puts(o, "\"");
        }
        if (q->type == Q_RANGE)
            buf_printf(o, " data-range inputmode=decimal min=%.15g max=%.15g step=%.15g", fmin(q->range_start, q->range_end),
                       fmax(q->range_start, q->range_end), q->range_step);
        if (q->type == Q_TEXT) {
            buf_printf(o, " maxlength=%d", ANSWER_MAX_TEXT);
            buf_puts(o, input_purpose(q->name));
        }
    }
    if (ids.len) buf_printf(o, " aria-describedby=\"%s\"", ids.data);
    if (is_required(s, q)) buf_puts(o, " aria-required=true");
    if (s->a && s->a->err[i]) buf_puts(o, " aria-invalid=true");
    if (q->read_only || q->calc) buf_puts(o, " readonly");
    if (area) {
        buf_putc(o, '>');
        buf_html(o, val);
        buf_puts(o, "</textarea>");
        if (geo) geo_button(s, q, S_GEO_ADD_MINE);
        buf_puts(o, "</div>");
    } else {
        if (val && !media_is_upload(q->type)) {   /* a file is chosen again */
            buf_puts(o, " value=\"");
            /* A month or year is kept as its first day: shown as typed. */
            size_t cut = q->type != Q_DATE || strlen(val) != 10 ? 0
                       : q->appearance & APP_YEAR ? 4 : q->appearance & APP_MONTH_YEAR ? 7 : 0;
            if (cut) {
                char part[8];
                snprintf(part, sizeof part, "%.*s", (int)cut, val);
                buf_html(o, part);
            } else {
                buf_html(o, val);
            }
            buf_putc(o, '"');
        }
        buf_puts(o, "></div>");
    }
    free(data_if);
    buf_free(&ids);
    buf_free(&inner);
}

/* ---- issue 16 item 5: range as a list, acknowledge, rank ---------------- */

/* Open the fieldset of q (range list, acknowledge, rank) and write its
 * legend, hint, condition and error, as render_choices does. */
static void open_fieldset(sctx_t *s, const question_t *q, size_t i, bool row)
{
    buf_t ids, inner;
    buf_init(&ids);
    buf_init(&inner);
    char *data_if = NULL;
    buf_t *o = s->o;
    s->o = &inner;
    describe(s, q, i, &ids, &data_if);
    s->o = o;
    bool err = s->a && s->a->err[i];
    buf_printf(o, "<fieldset class=\"q%s%s\" id=q-%s", err ? " x" : "", row ? " k" : "", q->name);
    put_data_if(s, q, i, data_if);
    if (ids.len) buf_printf(o, " aria-describedby=\"%s\"", ids.data);
    if (is_required(s, q) && q->type == Q_RANGE) buf_puts(o, " role=radiogroup aria-required=true");
    if (q->read_only || q->calc) buf_puts(o, " disabled");
    if (err) buf_puts(o, " aria-invalid=true");
    buf_puts(o, "><legend>");
    label_text(s, q);
    buf_puts(o, "</legend>");
    buf_append(o, inner.data, inner.len);
    free(data_if);
    buf_free(&ids);
    buf_free(&inner);
}


/* The "use my location" button of a place question (issue 16), hidden
 * until www/buzon.js finds navigator.geolocation, with its messages; and
 * the line where it says what happened. */
static void geo_button(sctx_t *s, const question_t *q, str_id_t label)
{
    buf_t *o = s->o;
    static const struct { const char *attr; str_id_t id; } msgs[] = {
        { "wait", S_GEO_LOCATING }, { "ok", S_GEO_ACCURACY },
        { "denied", S_GEO_DENIED }, { "nofix", S_GEO_NOFIX },
    };
    buf_printf(o, "<p class=gb><button type=button class=geo hidden data-geo=%s", q->name);
    for (size_t k = 0; k < sizeof msgs / sizeof msgs[0]; k++) {
        buf_printf(o, " data-%s=\"", msgs[k].attr);
        buf_html(o, T(s->lang, msgs[k].id));
        buf_putc(o, '"');
    }
    buf_puts(o, ">");
    buf_html(o, T(s->lang, label));
    buf_printf(o, "</button> <span class=gs id=gs-%s role=status></span></p>", q->name);
}

/* One number field of a geopoint: id, name NAME:part, its label. */
static void geo_field(sctx_t *s, const question_t *q, size_t i, const char *idsuf, const char *part,
                      str_id_t label, const char *val, const char *ids)
{
    buf_t *o = s->o;
    buf_printf(o, "<label for=i-%s%s>", q->name, idsuf);
    buf_html(o, T(s->lang, label));
    buf_printf(o, "</label><input id=i-%s%s name=%s:%s type=text inputmode=decimal autocomplete=off maxlength=80",
               q->name, idsuf, q->name, part);
    if (*ids) buf_printf(o, " aria-describedby=\"%s\"", ids);
    if (is_required(s, q)) buf_puts(o, " aria-required=true");
    if (s->a && s->a->err[i]) buf_puts(o, " aria-invalid=true");
    if (val && *val) {
        buf_puts(o, " value=\"");
        buf_html(o, val);
        buf_putc(o, '"');
    }
    buf_putc(o, '>');
}

/* A geopoint (issue 16): latitude and longitude fields that work without
 * JavaScript (a pasted pair or geo: URI in the first is read whole),
 * the browser's altitude and accuracy in hidden fields the script fills,
 * the form's known places when it names a list of them, and the
 * "use my location" button. The value shown again is split back into
 * its fields when it is a point, else left whole in the first. */
static void render_geopoint(sctx_t *s, const question_t *q, size_t i)
{
    buf_t ids, inner;
    buf_init(&ids);
    buf_init(&inner);
    char *data_if = NULL;
    buf_t *o = s->o;
    s->o = &inner;
    describe(s, q, i, &ids, &data_if);
    s->o = o;
    const char *val = answers_shown(cur(s), i);
    char num[4][48] = { "", "", "", "" };
    geo_point_t p;
    if (val && geo_point_parse(val, &p) == GEO_OK) {
        double d[4] = { p.lat, p.lon, p.alt, p.acc };
        for (int k = 0; k < 4; k++) snprintf(num[k], sizeof num[k], "%.10g", d[k]);
    } else if (val) {
        /* as typed: "lat lon" back into their fields (answers.c joined
         * them with a blank) */
        size_t cut = strcspn(val, " ");
        snprintf(num[0], sizeof num[0], "%.*s", (int)(cut < 47 ? cut : 47), val);
        if (val[cut]) snprintf(num[1], sizeof num[1], "%.47s", val + cut + 1);
    }
    open_block(s, "fieldset", q, i, data_if);
    buf_puts(o, "><legend>");
    label_text(s, q);
    buf_puts(o, "</legend>");
    buf_append(o, inner.data, inner.len);
    buf_puts(o, "<div class=gp>");
    geo_field(s, q, i, "", "lat", S_GEO_LAT, num[0], ids.data ? ids.data : "");
    geo_field(s, q, i, "-lon", "lon", S_GEO_LON, num[1], ids.data ? ids.data : "");
    buf_puts(o, "</div>");
    buf_printf(o, "<input type=hidden name=%s:alt value=\"%s\">", q->name, num[2]);
    buf_printf(o, "<input type=hidden name=%s:acc value=\"%s\">", q->name, num[3]);
    if (q->places) {
        buf_printf(o, "<label for=i-%s-place>", q->name);
        buf_html(o, T(s->lang, S_GEO_PLACE));
        buf_printf(o, "</label><select id=i-%s-place name=%s:place><option value=\"\">", q->name, q->name);
        buf_html(o, T(s->lang, S_GEO_PLACE_NONE));
        for (size_t k = 0; k < q->places->nchoices; k++) {
            const choice_t *ch = &q->places->choices[k];
            buf_puts(o, "<option value=\"");
            buf_html(o, ch->name);
            buf_puts(o, "\">");
            buf_html(o, form_text(s->f, &ch->label, s->li));
        }
        buf_puts(o, "</select>");
    }
    geo_button(s, q, S_GEO_USE_MINE);
    buf_puts(o, "</fieldset>");
    free(data_if);
    buf_free(&ids);
    buf_free(&inner);
}


/* A range of at most 11 values: one radio button each, in a row. */
static void render_range_list(sctx_t *s, const question_t *q, size_t i, size_t n)
{
    const char *val = answers_shown(cur(s), i);
    double dir = q->range_end >= q->range_start ? 1 : -1;
    open_fieldset(s, q, i, true);
    buf_puts(s->o, "<div class=\"o rg\">");
    for (size_t k = 0; k < n; k++) {
        char v[32];
        snprintf(v, sizeof v, "%.15g", q->range_start + dir * (double)k * q->range_step);
        buf_printf(s->o, "<label><input type=radio name=%s value=\"%s\"%s>%s</label>", q->name, v,
                   val && !strcmp(val, v) ? " checked" : "", v);
    }
    buf_puts(s->o, "</div></fieldset>");
}

/* acknowledge (and trigger): one checkbox whose value is OK. */
static void render_ack(sctx_t *s, const question_t *q, size_t i)
{
    const char *val = answers_shown(cur(s), i);
    open_fieldset(s, q, i, false);
    buf_printf(s->o, "<div class=o><label><input type=checkbox name=%s value=OK%s>", q->name,
               val && !strcmp(val, "OK") ? " checked" : "");
    buf_html(s->o, T(s->lang, S_ACK_OK));
    buf_puts(s->o, "</label></div></fieldset>");
}

/* rank: one drop-down per place (1st, 2nd, ...), each listing every
 * choice; the server refuses a choice twice or a place left empty. */
static void render_rank(sctx_t *s, const question_t *q, size_t i)
{
    const char *val = answers_shown(cur(s), i);
    const choice_list_t *l = q->list;
    open_fieldset(s, q, i, false);
    const char *w = val;   /* the current place's word in val */
    for (size_t p = 0; p < l->nchoices; p++) {
        size_t wl = 0;
        if (w) wl = strchr(w, ' ') ? (size_t)(strchr(w, ' ') - w) : strlen(w);
        buf_printf(s->o, "<div class=rk><label for=i-%s-%zu>", q->name, p + 1);
        buf_html(s->o, T(s->lang, S_RANK_POS));
        buf_printf(s->o, " %zu</label> <select id=i-%s-%zu name=%s><option value=\"\">", p + 1, q->name, p + 1,
                   q->name);
        buf_html(s->o, T(s->lang, S_CHOOSE));
        buf_puts(s->o, "</option>");
        for (size_t k = 0; k < l->nchoices; k++) {
            const choice_t *c = &l->choices[k];
            bool on = w && strlen(c->name) == wl && !strncmp(w, c->name, wl);
            buf_puts(s->o, "<option value");
            buf_attr(s->o, c->name);
            buf_puts(s->o, on ? " selected>" : ">");
            plain(s, s->o, form_text(s->f, &c->label, s->li));
            buf_puts(s->o, "</option>");
        }
        buf_puts(s->o, "</select></div>");
        if (w) w = strchr(w, ' ') ? strchr(w, ' ') + 1 : NULL;
    }
    buf_puts(s->o, "</fieldset>");
}

static void render_note(sctx_t *s, const question_t *q)
{
    const char *label = form_text(s->f, &q->label, s->li), *hint = form_text(s->f, &q->hint, s->li);
    /* issue 15 item 5: a note without label or hint (forms check says
     * so) shows nothing. */
    if (!*label && !*hint) return;
    buf_printf(s->o, "<div class=n id=q-%s>", q->name);
    if (*label) {
        buf_puts(s->o, "<p>");
        rich(s, s->o, label);
        buf_puts(s->o, "</p>");
    }
    if (*hint) {
        buf_puts(s->o, "<p class=h>");
        rich(s, s->o, hint);
        buf_puts(s->o, "</p>");
    }
    buf_puts(s->o, "</div>");
}

static void error_summary(sctx_t *s)
{
    buf_t *o = s->o;
    buf_puts(o, "<div class=es id=errores role=alert tabindex=-1><h2>");
    buf_html(o, T(s->lang, S_ERR_SUMMARY));
    buf_puts(o, "</h2><ul>");
    for (size_t i = 0; i < s->f->nq; i++) {
        const question_t *q = &s->f->q[i];
        if (!s->a->err[i]) continue;
        buf_printf(o, "<li><a href=\"#q-%s\">", q->name);
        render_repeat_where(o, s->f, i, s->li);   /* issue 16: "Persona 2 - " */
        /* "Label: message", unless the label ends a sentence already. */
        buf_t label;   /* inside a link: text only */
        buf_init(&label);
        rich_plain(&label, form_text(s->f, &q->label, s->li), pipe_value, s);
        size_t n = label.len;
        buf_html(o, label.data);
        buf_puts(o, n && strchr(".?!:", label.data[n - 1]) ? " " : ": ");
        buf_free(&label);
        put_err(o, s->f, s->a, i, s->li, s->lang);
        buf_puts(o, "</a></li>");
    }
    buf_puts(o, "</ul></div>");
}

/* The rate limit's notice (render_survey_wait): the answers are still
 * here, and how long to wait, as the Retry-After header says. */
static void wait_notice(buf_t *o, lang_t lang, unsigned wait)
{
    buf_puts(o, "<div class=es id=errores role=alert tabindex=-1><h2>");
    buf_html(o, T(lang, S_E429_TITLE));
    buf_puts(o, "</h2><p>");
    buf_html(o, T(lang, S_WAIT_BODY));
    buf_printf(o, " %u ", wait);
    buf_html(o, T(lang, wait == 1 ? S_WAIT_SECOND : S_WAIT_SECONDS));
    buf_putc(o, ' ');
    buf_html(o, T(lang, S_WAIT_AGAIN));
    buf_puts(o, "</p></div>");
}

static void render_interview_attrs(buf_t *o, lang_t lang, const render_entry_t *e);
static void survey_page(buf_t *o, const catalog_t *cat, const form_t *f, const point_t *point,
                        lang_t lang, const answers_t *a, unsigned wait, size_t *fields_at,
                        const char *action, const char *sid, const render_entry_t *e);

void render_survey(buf_t *o, const catalog_t *cat, const form_t *f, const point_t *point,
                   lang_t lang, const answers_t *a, size_t *fields_at)
{
    survey_page(o, cat, f, point, lang, a, 0, fields_at, NULL, NULL, NULL);
}

void render_survey_preview(buf_t *o, const catalog_t *cat, const form_t *f, lang_t lang, const char *action)
{
    size_t at;
    survey_page(o, cat, f, NULL, lang, NULL, 0, &at, action, NULL, NULL);
}

void render_survey_visit(buf_t *o, const catalog_t *cat, const form_t *f, const point_t *point,
                         lang_t lang, const char *sid, size_t *fields_at)
{
    survey_page(o, cat, f, point, lang, NULL, 0, fields_at, NULL, sid, NULL);
}

void render_survey_csrf(buf_t *o, const char *csrf)
{
    buf_puts(o, "<input type=hidden name=_csrf value=\"");
    buf_html(o, csrf);
    buf_puts(o, "\">");
}

void render_survey_wait(buf_t *o, const catalog_t *cat, const form_t *f, const point_t *point,
                        lang_t lang, const answers_t *a, unsigned wait, size_t *fields_at)
{
    survey_page(o, cat, f, point, lang, a, wait, fields_at, NULL, NULL, NULL);
}

void render_survey_entry(buf_t *o, const catalog_t *cat, const form_t *f, const point_t *point,
                         lang_t lang, const answers_t *a, const render_entry_t *e, size_t *fields_at)
{
    survey_page(o, cat, f, point, lang, a, 0, fields_at, e->action, e->sid, e);
}

static void survey_page(buf_t *o, const catalog_t *cat, const form_t *f, const point_t *point,
                        lang_t lang, const answers_t *a, unsigned wait, size_t *fields_at,
                        const char *action, const char *sid, const render_entry_t *e)
{
    sctx_t s = { .o = o, .cat = cat, .f = f, .a = a, .li = render_form_lang(f, lang), .lang = lang };
    answers_init(&s.fresh, f);
    s.fresh.order_key = sid;
    /* Staff entry (issue 17): the point's service pre-selected but
     * shown, so a sheet about another service is recorded as written. */
    if (e) answers_default_service(&s.fresh, point ? point->service->id : NULL);
    else answers_prefill_service(&s.fresh, point ? point->service->id : NULL);
    answers_prefill_defaults(&s.fresh);
    const answers_t *known = a ? a : &s.fresh;

    buf_t self;
    buf_init(&self);
    if (action) {
        buf_puts(&self, action);           /* a preview's own address */
    } else {
        shortcode_target(&self, f, point);   /* then more query: "?" or "?p=<point>&" */
    }
    buf_putc(&self, strchr(self.data, '?') ? '&' : '?');   /* "?p=<point>" or not */
    s.self = self.data;
    const char *title = form_text(f, &f->title, s.li);
    /* "Error: <title>" is the first thing a screen reader says on the
     * 422 page, with or without JavaScript. */
    buf_t head;
    buf_init(&head);
    if ((a && a->nerrors) || wait) buf_printf(&head, "%s: ", T(lang, S_ERR_TITLE));
    buf_puts(&head, title);
    page_begin_form(o, lang, head.data, e && e->alt ? e->alt : self.data, true, !e);
    buf_free(&head);

    buf_puts(o, "<h1>");
    buf_html(o, title);
    buf_puts(o, "</h1>");
    if (point) {
        buf_puts(o, "<p class=pt>");
        buf_html(o, T(lang, S_POINT_LABEL));
        buf_puts(o, ": <b>");
        buf_html(o, point_name(point, lang));
        buf_puts(o, "</b></p>");
    }
    if (e && e->notice) buf_puts(o, e->notice);   /* issue 17 */
    if (a && a->nerrors) error_summary(&s);
    else if (wait) wait_notice(o, lang, wait);

    /* The #errores fragment stays on the address of the answer to the
     * POST, so after a 422 the browser scrolls to the error summary and
     * focuses it (it has tabindex=-1) even without JavaScript. After a
     * 303 the thank-you address inherits it, harmlessly. */
    buf_puts(o, "<form method=post action=\"");
    buf_html(o, self.data);
    /* Only a form with a photo is sent as multipart (media.h). */
    buf_printf(o, "lang=%s#errores\" id=f novalidate%s", i18n_code(lang),
               media_form_has(f) && (!e || e->multipart) ? " enctype=multipart/form-data" : "");
    if (e) {   /* issue 17: staff entry (render.h) */
        buf_puts(o, " class=entry autocomplete=off data-staff data-live=\"");
        buf_html(o, e->live);
        buf_putc(o, '"');
        if (e->seal) render_interview_attrs(o, lang, e);
    }
    /* issue 17: what www/buzon.js says when it keeps an answer offline,
     * and (on a refused answer's page, the one a kept answer gets back)
     * when the server refused it; "sent" is on the thank-you page. */
    buf_puts(o, " data-off=\"");
    buf_html(o, T(lang, S_OFF_SAVED));
    if (a && a->nerrors) {
        buf_puts(o, "\" data-off-refused=\"");
        buf_html(o, T(lang, S_OFF_REFUSED));
    }
    buf_putc(o, '"');
    if (!action) render_draft_attrs(o, lang, f);   /* issue 17: continue later */
    buf_puts(o, ">");
    /* issue 17: an interview's offline part, never on a citizen's page */
    if (e && e->seal) buf_puts(o, "<script src=/s/entrevista.js defer></script>");
    buf_puts(o, "<div class=hp aria-hidden=true><label for=i-web>");
    buf_html(o, T(lang, S_HONEYPOT));
    buf_puts(o, "</label><input id=i-web name=_web tabindex=-1 autocomplete=off></div>");
    if (e && e->lead) buf_puts(o, e->lead);   /* issue 17 */
    buf_puts(o, "<p class=h>");
    buf_html(o, T(lang, S_REQUIRED_NOTE));
    buf_puts(o, "</p>");

    /* Questions in order. A group the server knows is irrelevant is left
     * out whole: skip to its matching end_group. */
    for (size_t i = 0; i < f->nq; i++) {
        const question_t *q = &f->q[i];
        if (q->type == Q_END_GROUP) {
            if (q->repeat) render_repeat_end(o, f, i, lang, s.li);   /* issue 16: its buttons */
            else buf_puts(o, "</fieldset>");
            continue;
        }
        /* A calculation with once() keeps the value it has on the page
         * (answers.c): carried hidden to the next post. */
        if (q->calc_once && known->val[i]) {
            buf_printf(o, "<input type=hidden name=%s value=\"", q->name);
            buf_html(o, known->val[i]);
            buf_puts(o, "\">");
        }
        /* A calculate is not shown: the server computes it on submit. */
        if (q->type == Q_CALCULATE || q->type == Q_HIDDEN) continue;
        /* issue 17: what the paper sheet leaves out is not asked of the
         * clerk entering it (a group whole). */
        if (e && e->paper && paper_cannot_take(f, i)) {
            if (q->type == Q_BEGIN_GROUP) i = paper_group_end(f, i);
            continue;
        }
        if (known->prefilled[i]) {
            buf_printf(o, "<input type=hidden name=%s value=\"", q->name);
            buf_html(o, known->val[i]);
            buf_puts(o, "\">");
            continue;
        }
        if (answers_static_relevance(known, i) == 0) {
            if (q->type == Q_BEGIN_GROUP) {
                int depth = 1;
                while (depth && ++i < f->nq)
                    depth += f->q[i].type == Q_BEGIN_GROUP ? 1 : f->q[i].type == Q_END_GROUP ? -1 : 0;
            }
            continue;
        }
        switch (q->type) {
        case Q_BEGIN_GROUP: {
            buf_t ids;
            buf_init(&ids);
            char *data_if = NULL;
            buf_printf(o, "<fieldset class=g id=q-%s", q->name);
            buf_t inner;
            buf_init(&inner);
            buf_t *save = s.o;
            s.o = &inner;
            describe(&s, q, i, &ids, &data_if);
            s.o = save;
            put_data_if(&s, q, i, data_if);
            buf_puts(o, "><legend>");
            rich(&s, o, form_text(f, &q->label, s.li));
            if (q->repeat && q->rep_index) buf_printf(o, " %d", q->rep_index);   /* issue 16 */
            buf_puts(o, "</legend>");
            buf_append(o, inner.data, inner.len);
            free(data_if);
            buf_free(&ids);
            buf_free(&inner);
            break;
        }
        case Q_NOTE:            render_note(&s, q); break;
        case Q_SELECT_ONE:
        case Q_SELECT_MULTIPLE: render_choices(&s, q, i); break;
        case Q_ACKNOWLEDGE:     render_ack(&s, q, i); break;
        case Q_RANK:            render_rank(&s, q, i); break;
        case Q_RANGE:
            if (range_count(q)) render_range_list(&s, q, i, range_count(q));
            else render_input(&s, q, i);
            break;
        case Q_GEOPOINT:        render_geopoint(&s, q, i); break;
        default:                render_input(&s, q, i); break;
        }
    }
    /* The per-visit hidden fields go here, last, so everything before
     * and after them is the same for every visitor (see render.h). */
    *fields_at = o->len;
    buf_puts(o, "<button type=submit>");
    buf_html(o, T(lang, S_SUBMIT));
    buf_puts(o, "</button></form>");
    page_end(o, lang);
    buf_free(&self);
    answers_free(&s.fresh);
}

/* issue 17: what www/buzon.js needs to keep an interview offline, sealed
 * (model/seal.h), and the texts it says about kept interviews. */
static void render_interview_attrs(buf_t *o, lang_t lang, const render_entry_t *e)
{
    static const struct { const char *attr; str_id_t id; } texts[] = {
        { "data-iv-kept", S_IV_KEPT },       { "data-iv-wait", S_IV_WAITING },
        { "data-iv-refused", S_IV_REFUSED }, { "data-iv-renew", S_IV_RENEW },
        { "data-iv-drop", S_DRAFT_DISCARD }, { "data-iv-nocrypto", S_IV_NOCRYPTO },
        { "data-iv-gone", S_IV_GONE },       { "data-iv-sure", S_IV_DROP_SURE },
        { "data-iv-sentn", S_IV_SENT_N },    { "data-iv-missing", S_IV_MISSING },
    };
    buf_puts(o, " data-seal=\"");
    buf_html(o, e->seal);
    buf_puts(o, "\" data-ticket=\"");
    buf_html(o, e->ticket);
    buf_printf(o, "\"%s data-uid=%lld data-who=\"", e->iv_admin ? " data-iv-admin" : "", e->uid);
    buf_html(o, e->who);
    /* the address the seal is made for, exactly as the server reads it */
    buf_puts(o, "\" data-iv-aad=\"");
    buf_html(o, e->action);
    buf_putc(o, '"');
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        buf_printf(o, " %s=\"", texts[i].attr);
        buf_html(o, T(lang, texts[i].id));
        buf_putc(o, '"');
    }
}

void render_survey_fields(buf_t *o, const char *sid, long started)
{
    /* Built without printf: this runs on every survey page view. */
    char num[24], *p = num + sizeof num;
    unsigned long v = started < 0 ? 0UL - (unsigned long)started : (unsigned long)started;
    *--p = '\0';
    do *--p = (char)('0' + v % 10); while (v /= 10);
    if (started < 0) *--p = '-';
    buf_puts(o, "<input type=hidden name=_sid value=\"");
    buf_html(o, sid);
    buf_puts(o, "\"><input type=hidden name=_t value=");
    buf_puts(o, p);
    buf_putc(o, '>');
}

void render_thanks(buf_t *o, const catalog_t *cat, const char *base_url, const form_t *f,
                   const point_t *point, lang_t lang, const case_rec_t *kase)
{
    (void)point;
    buf_t self;
    buf_init(&self);
    buf_puts(&self, "/e/");
    buf_urlenc(&self, f->id);
    buf_puts(&self, "/gracias?");
    if (kase) buf_printf(&self, "c=%s&", kase->code);
    page_begin(o, lang, T(lang, S_THANKS_TITLE), self.data, false);
    buf_puts(o, "<div class=ok id=recibido tabindex=-1><h1>");
    buf_html(o, T(lang, S_THANKS_TITLE));
    buf_puts(o, "</h1><p>");
    buf_html(o, T(lang, S_THANKS_BODY));
    buf_puts(o, "</p></div>");
    /* issue 17: for an answer kept offline, sent by www/buzon.js */
    buf_puts(o, "<span hidden id=off data-off-sent=\"");
    buf_html(o, T(lang, S_OFF_SENT));
    buf_puts(o, "\" data-off-code=\"");
    buf_html(o, T(lang, S_OFF_CODE));
    buf_puts(o, "\"></span>");
    if (kase) render_case_receipt(o, base_url, lang, kase);
    buf_puts(o, "<h2>");
    buf_html(o, T(lang, S_THANKS_ANOTHER));
    buf_puts(o, "</h2>");
    survey_list(o, cat, lang);
    page_end(o, lang);
    buf_free(&self);
}

/* An error page: title, body and the list of cat's surveys, or (cat NULL
 * or without surveys) a link home. */
static void error_page(buf_t *o, const catalog_t *cat, lang_t lang, str_id_t title, str_id_t body)
{
    page_begin(o, lang, T(lang, title), "/?", false);
    buf_puts(o, "<h1>");
    buf_html(o, T(lang, title));
    buf_puts(o, "</h1><p>");
    buf_html(o, T(lang, body));
    buf_puts(o, "</p>");
    if (cat && catalog_public_count(cat)) survey_list(o, cat, lang);
    else {
        buf_printf(o, "<p><a href=\"/?lang=%s\">", i18n_code(lang));
        buf_html(o, T(lang, S_BACK_HOME));
        buf_puts(o, "</a></p>");
    }
    page_end(o, lang);
}

void render_error(buf_t *o, const catalog_t *cat, lang_t lang, int status)
{
    str_id_t title, body;
    switch (status) {
    case 400: title = S_E400_TITLE; body = S_E400_BODY; break;
    case 404: title = S_E404_TITLE; body = S_E404_BODY; break;
    case 405: title = S_E405_TITLE; body = S_E405_BODY; break;
    case 413: title = S_E413_TITLE; body = S_E413_BODY; break;
    case 429: title = S_E429_TITLE; body = S_E429_BODY; break;
    case 503: title = S_E503_TITLE; body = S_E503_BODY; break;
    default:  title = S_E500_TITLE; body = S_E500_BODY; break;
    }
    error_page(o, cat && status != 500 ? cat : NULL, lang, title, body);
}

void render_unsaved(buf_t *o, lang_t lang)
{
    error_page(o, NULL, lang, S_UNSAVED_TITLE, S_UNSAVED_BODY);
}

void render_notice(buf_t *o, const catalog_t *cat, lang_t lang, str_id_t title, str_id_t body)
{
    page_begin(o, lang, T(lang, title), "/?", false);
    buf_puts(o, "<h1>");
    buf_html(o, T(lang, title));
    buf_puts(o, "</h1><p>");
    buf_html(o, T(lang, body));
    buf_puts(o, "</p>");
    if (cat && catalog_public_count(cat)) survey_list(o, cat, lang);
    else {
        buf_printf(o, "<p><a href=\"/?lang=%s\">", i18n_code(lang));
        buf_html(o, T(lang, S_BACK_HOME));
        buf_puts(o, "</a></p>");
    }
    page_end(o, lang);
}
