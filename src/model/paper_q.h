/*
 * paper_q.h: which questions of a form a paper questionnaire can take
 * (issue 17). The printed sheet (view/paper.c) and the staff page that
 * enters a sheet's answers (view/render.c, for /entrada) must agree on
 * it: a question the sheet leaves out must not be asked of the clerk
 * either, or the clerk is asked for what nobody could write down. Pure:
 * reads the form only.
 */
#ifndef BUZON_PAPER_Q_H
#define BUZON_PAPER_Q_H

#include <stdbool.h>
#include <stddef.h>

#include "model/form.h"

/* True when q's type is one a pen can answer (tick boxes, lines, digit
 * boxes): text, numbers, dates and times, selects, range, acknowledge,
 * rank. Not notes, groups, calculations, hidden values, media, places. */
bool paper_type_ok(const question_t *q);

/* True when paper cannot take row i of f at all, so both the sheet and
 * the paper entry page leave it out: a photo, recording, video, file or
 * place; a select_one that only asks consent for such questions (every
 * question whose relevance names it, or a group's content, is one of
 * them, e.g. the complaint form's foto_lugar_consent); a group holding
 * only such questions. Calculations are not among them (the server
 * computes them, on paper or not). */
bool paper_cannot_take(const form_t *f, size_t i);

/* True when f's answers can open a case (a complaint form: model/cases.h,
 * cases_from_answers, reads its comentario_tipo): its sheet has a box for
 * the tracking code and a stub the person keeps. */
bool paper_opens_case(const form_t *f);

/* The row of the end_group (or end_repeat) of the group begun at row b;
 * f->nq when the form has none. */
size_t paper_group_end(const form_t *f, size_t b);

#endif
