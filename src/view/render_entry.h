/*
 * render_entry.h: the staff pages of answers entered by staff (issue 17):
 * /entrada, where a clerk types the short code printed on a paper
 * questionnaire, and /entrevista, where an interviewer picks the form and
 * point; and the pieces the survey page takes for them (render.h,
 * render_survey_entry): the lead inside the form (CSRF token, which sheet,
 * the paper's date, focused first) and the notice of what was just
 * stored, with the case's tracking code large ("Escriba este código en el
 * papel: …"). Never shows a stored answer.
 *
 * Same rules as render_staff.h. Sees base/ and model/ only.
 */
#ifndef BUZON_RENDER_ENTRY_H
#define BUZON_RENDER_ENTRY_H

#include <stdbool.h>

#include "base/buf.h"
#include "model/catalog.h"
#include "view/render_staff.h"

/* What /entrada says about the code typed. */
typedef enum entry_msg { ENTRY_MSG_NONE, ENTRY_MSG_UNKNOWN, ENTRY_MSG_OLD } entry_msg_t;

/* The /entrada page: the code field (focused; typed refills it), and
 * msg: unknown code, or a sheet of version old_version of form f (its
 * current version named too). */
void render_entry_start(buf_t *out, const staff_view_t *v, bool public_indicators, const char *typed,
                        entry_msg_t msg, const form_t *f, const char *old_version, const char *extra);
/* (extra, when not NULL: HTML put at the end of the page, issue 17's list
 * of held sheets for a supervisor.) */

/* issue 17: a held sheet whose two entries differ, as listed for a
 * supervisor (no answers). */
typedef struct entry_held_view {
    const char *batch, *paper, *clerks;
    long        sheet;
} entry_held_view_t;
/* The supervisor's list of held sheets (n of them; nothing when n is 0),
 * each with a link to review it. */
void render_entry_held_list(buf_t *out, lang_t lang, const entry_held_view_t *h, size_t n);
/* (The start page's form also offers a batch label for double entry,
 * sent as lote.) */

/* The /entrevista page: each form of cat with a point to choose. */
void render_interview_list(buf_t *out, const staff_view_t *v, bool public_indicators, const catalog_t *cat);

/* The lead of an entry form in lang: the CSRF field of v, the sheet's
 * code (paper_code; NULL for an interview) with a link to enter another,
 * and for paper the date field (value date as posted or NULL, bad: the
 * date was refused), focused. */
void render_entry_lead(buf_t *out, const staff_view_t *v, lang_t lang, const char *paper_code,
                       const char *date, bool bad, const char *today);
/* The double-entry fields of a batch's sheet, put after the lead: the
 * batch (hidden), the sheet number (sheet as typed, or NULL; bad: refused)
 * and, when the two entries differed (recheck), the mark that this post
 * is the third, blind look at the questions that differ. */
void render_entry_sheet(buf_t *out, lang_t lang, const char *batch, const char *sheet, bool bad, bool recheck);
/* issue 17: the notice of a blind recheck: which questions differ (their
 * labels only, never a value), to be typed again from the paper. */
void render_entry_recheck(buf_t *out, lang_t lang, const char *const *labels, size_t n);
/* A notice above the form: msg, as good news (ok) or as a problem. */
void render_entry_note(buf_t *out, lang_t lang, str_id_t msg, bool ok);
/* issue 17: the alert that sheet (as typed) of batch is stored already
 * with other answers: "La hoja N del lote «X» ya está guardada con otras
 * respuestas: revise el número de la hoja." */
void render_entry_conflict(buf_t *out, lang_t lang, const char *batch, const char *sheet);

/* One difference between two entries of a sheet (service/entry.h's
 * entry_diff_t, seen from here). */
typedef struct entry_diff_view {
    const char *label;        /* the question's label, or the date's */
    const char *name;         /* the field the choice is posted for */
    const char *v1, *v2;
} entry_diff_view_t;
/* issue 17: the value v of question q of f (NULL: the paper's date) as
 * a supervisor reads it, appended to out (plain text): a choice's label
 * in the form's language li (each one, ", " between, for a
 * select_multiple or rank; the name itself when no such choice), a date
 * as DD/MM/AAAA (a date and time: DD/MM/AAAA HH:MM), anything else as
 * stored. "" stays "". */
void render_entry_value(buf_t *out, const form_t *f, const question_t *q, int li, const char *v);
/* The page of a sheet whose two entries differ, for a supervisor only
 * (it shows both entries' values): each difference side by side (entry 1
 * by by1, entry 2 by by2) with a choice of the right one, posted to
 * action with the batch and sheet; refused: the last choice broke the
 * form's rules, and why (session 23: each question refused, by its label,
 * with the form's message; NULL: not refused); discard: an
 * administrator's button to discard the sheet. */
void render_entry_diff(buf_t *out, const staff_view_t *v, bool public_indicators, const char *action,
                       const char *batch, long sheet, const char *by1, const char *by2,
                       const entry_diff_view_t *d, size_t n, const answers_t *refused, bool discard);

/* The notice above a fresh entry form after a stored answer: stored, and
 * when case_code is not empty the code to write on the paper (paper) or
 * give to the person (an interview). */
void render_entry_done(buf_t *out, lang_t lang, bool paper, const char *case_code);

#endif
