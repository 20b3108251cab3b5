/*
 * render.h: the HTML pages citizens see. Every page is small, semantic,
 * mobile-first and complete without JavaScript; every value that comes
 * from a form, a point list or a visitor is escaped. Texts come from the
 * form (its translations) or from the strings tables (i18n.h).
 *
 * All functions append to out; the caller owns out.
 */
#ifndef BUZON_RENDER_H
#define BUZON_RENDER_H

#include "model/answers.h"
#include "model/catalog.h"
#include "base/buf.h"
#include "base/i18n.h"

/* Index: the open surveys, and links per service point. */
void render_index(buf_t *out, const catalog_t *cat, lang_t lang);

/* A survey page. point may be NULL. a holds the answers to show again
 * with their errors (after a 422, or after the language switch, a button
 * of the form: a post with `_lang`), or NULL for a fresh page.
 *
 * The page's only per-visit content, the hidden submission id and start
 * time, is left out: *fields_at receives the offset in out where
 * render_survey_fields() output belongs. So a fresh page is rendered once
 * per form version, point and language and served many times
 * (page_cache.h) with fresh fields spliced in. */
void render_survey(buf_t *out, const catalog_t *cat, const form_t *f, const point_t *point,
                   lang_t lang, const answers_t *a, size_t *fields_at);
/* The survey page shown again after the rate limit refused its answers a
 * (as posted, not judged): a notice says they are still there and to
 * send them again after wait seconds (the Retry-After header's). */
void render_survey_wait(buf_t *out, const catalog_t *cat, const form_t *f, const point_t *point,
                        lang_t lang, const answers_t *a, unsigned wait, size_t *fields_at);
/* The fresh survey page of f as a staff preview (render_forms.h): the
 * same page, its form and live requests addressed to action (a path
 * without query, e.g. "/formularios/borrador/12") instead of the served
 * survey's. */
void render_survey_preview(buf_t *out, const catalog_t *cat, const form_t *f, lang_t lang, const char *action);
/* issue 18: the hidden _csrf field of a staff page's form (a register's
 * lead, render_entry_t). */
void render_survey_csrf(buf_t *out, const char *csrf);
/* The hidden fields: the submission id (sid) and the unix time the page
 * was first shown (started), to measure the time taken to answer. */
void render_survey_fields(buf_t *out, const char *sid, long started);
/* issue 16: the fresh page of one visit, for a form whose choice order
 * depends on the visit (form_orders_per_visit): randomized lists in the
 * order sid seeds. Same contract as render_survey with no answers. */
void render_survey_visit(buf_t *out, const catalog_t *cat, const form_t *f, const point_t *point,
                         lang_t lang, const char *sid, size_t *fields_at);
/* issues 17, 18: the survey page for staff entering answers (a paper
 * questionnaire, an interview, a register entry): the same questions and
 * validation display, compact (class entry), posted to e->action (a path
 * without query; urlencoded, or multipart when e->multipart and the form
 * has a file question: a register's evidence) with e->lead first inside the form (the CSRF token, the paper's
 * date), e->notice above it (what was just stored), live recalculation at
 * e->live; data-staff keeps www/buzon.js from queueing it offline (the
 * queue sends no session). Same contract as render_survey otherwise. */
typedef struct render_entry {
    const char *action, *live;
    const char *lead, *notice;   /* HTML, or NULL */
    const char *sid;             /* seeds shuffled lists on a fresh page */
    /* The other language's page, ending in '?' or '&' (the header links
     * to it: a link, not the survey's switch button, which would be the
     * form's default button and catch Enter in a field), or NULL for the
     * same address in the other language. */
    const char *alt;
    /* A paper sheet's answers: the questions paper cannot take
     * (model/paper_q.h) are left out, as the sheet leaves them out. */
    bool paper;
    bool multipart;              /* issue 18: files travel (a register's evidence) */
    /* issue 17: an interview the tablet may keep offline, sealed
     * (model/seal.h): the server's public key, the interviewer's ticket,
     * account id and name; seal NULL: sent online only. */
    const char *seal, *ticket, *who;
    long long   uid;
    bool        iv_admin;        /* may discard anyone's kept interviews */
} render_entry_t;
void render_survey_entry(buf_t *out, const catalog_t *cat, const form_t *f, const point_t *point,
                         lang_t lang, const answers_t *a, const render_entry_t *e, size_t *fields_at);
/* Room render_survey_fields() needs for a sid of up to 64 plain
 * characters: a size hint for the buffer, not a limit. */
#define RENDER_FIELDS_MAX 192

/* The "recibido" page after a stored submission; kase, when the answer
 * opened a case, adds its tracking code and how to follow it (a link on
 * base_url, the site's address without a trailing '/'). */
void render_thanks(buf_t *out, const catalog_t *cat, const char *base_url, const form_t *f,
                   const point_t *point, lang_t lang, const case_rec_t *kase);

/* An error page for status (400, 404, 405, 413, 429, 500, 503): title, a short
 * explanation and, for 404, the list of surveys of cat (none when cat is
 * NULL). */
void render_error(buf_t *out, const catalog_t *cat, lang_t lang, int status);
/* The 503 page of a submission that was not stored because the database
 * is no longer usable (issue 14): says the answer was not saved, how to
 * keep it (go back) and to try later; a link home. */
void render_unsaved(buf_t *out, lang_t lang);
/* The same page with the given title and explanation, for refusals that
 * need their own words (a busy report queue, http_heavy.c). */
void render_notice(buf_t *out, const catalog_t *cat, lang_t lang, str_id_t title, str_id_t body);

/* The shared page chrome, for pages rendered elsewhere (staff pages,
 * dashboard, posters list): doctype, head with the stylesheet, the header
 * with the organisation's name and the language switch, and <main>.
 * alt_href is this page's address without its lang parameter, ending in
 * '?' or '&' (the switch appends "lang=xx"). script adds /s/buzon.js. */
void render_page_begin(buf_t *out, lang_t lang, const char *title, const char *alt_href, bool script);
/* Closes what render_page_begin opened. */
void render_page_end(buf_t *out);
/* The same for a citizen page: adds the footer with the Línea 311 for
 * complaints about other public services (NORTIC A2). */
void render_citizen_page_end(buf_t *out, lang_t lang);

/* Append the text of id in lang from the strings tables, HTML-escaped. */
void render_text(buf_t *out, lang_t lang, str_id_t id);
/* "<dt>term</dt><dd>": a term of a description list; the caller appends
 * the value and "</dd>". */
void render_dt(buf_t *out, lang_t lang, str_id_t term);

/* The HTML inside a piped reference's <span data-pipe=name> (rich.h) on
 * the survey page in lang with the answers a: the answer, or a select's
 * choice labels, HTML-escaped, exactly as the page shows it. Appends to o
 * and returns true; false (nothing appended) when name is no question
 * that can be piped. For the live recalculation (live_out.h). */
bool render_pipe_html(buf_t *out, const form_t *f, const answers_t *a, lang_t lang, const char *name);

/* Language index in f for the interface language (the form's default when
 * the form lacks that language). */
int render_form_lang(const form_t *f, lang_t lang);
/* session 23: the error of question i of f (a->err[i] set) as the survey
 * page says it beside the field, HTML-escaped into out; li: the form's
 * language (render_form_lang). */
void render_answer_err(buf_t *out, const form_t *f, const answers_t *a, size_t i, int li, lang_t lang);

/* issue 16 (render_repeat.c): the end row i of an instance of a repeat
 * of the expanded form f: its remove button and the fieldset's end, and
 * after the last instance the hidden count and the add button. li is the
 * form's language index for labels. */
void render_repeat_end(buf_t *o, const form_t *f, size_t i, lang_t lang, int li);
/* "Persona 2 - " before question i's label in the error summary when it
 * is inside an instance of a repeat (nothing otherwise). */
void render_repeat_where(buf_t *o, const form_t *f, size_t i, int li);
/* session 23: question i's label after its "Persona 2 - ", plain text
 * (for a view that escapes it: the double entry's differences). */
void render_repeat_label(buf_t *o, const form_t *f, size_t i, int li);

/* issue 17: the words the no-JavaScript page uses for when question q
 * applies ("en «X» respondió «Y» o «Z»"), HTML-escaped (safe in XML too),
 * appended to o; returns false, appending nothing, when q's relevance is
 * not a set of simple tests (or q has none). For the paper questionnaire. */
bool render_condition_words(buf_t *o, const form_t *f, const question_t *q, int li, lang_t lang);

#endif
