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
                        entry_msg_t msg, const form_t *f, const char *old_version);

/* The /entrevista page: each form of cat with a point to choose. */
void render_interview_list(buf_t *out, const staff_view_t *v, bool public_indicators, const catalog_t *cat);

/* The lead of an entry form in lang: the CSRF field of v, the sheet's
 * code (paper_code; NULL for an interview) with a link to enter another,
 * and for paper the date field (value date as posted or NULL, bad: the
 * date was refused), focused. */
void render_entry_lead(buf_t *out, const staff_view_t *v, lang_t lang, const char *paper_code,
                       const char *date, bool bad, const char *today);

/* The notice above a fresh entry form after a stored answer: stored, and
 * when case_code is not empty the code to write on the paper (paper) or
 * give to the person (an interview). */
void render_entry_done(buf_t *out, lang_t lang, bool paper, const char *case_code);

#endif
