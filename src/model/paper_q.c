/*
 * paper_q.c: what a paper questionnaire cannot take (see paper_q.h). One
 * decision for the sheet and for the page that enters it, so they never
 * disagree about which questions exist on paper.
 */
#include "model/paper_q.h"

#include <string.h>

#include "base/buf.h"

bool paper_type_ok(const question_t *q)
{
    switch (q->type) {
    case Q_TEXT: case Q_INTEGER: case Q_DECIMAL: case Q_DATE: case Q_SELECT_ONE:
    case Q_SELECT_MULTIPLE: case Q_TIME: case Q_DATETIME: case Q_RANGE: case Q_ACKNOWLEDGE:
    case Q_RANK:
        return true;
    default:
        return false;
    }
}

/* A question paper cannot take at all (not one it can leave out, such as
 * a calculation): a photo, a recording, a file, a place. */
static bool media_or_place(const question_t *q)
{
    switch (q->type) {
    case Q_IMAGE: case Q_AUDIO: case Q_VIDEO: case Q_FILE: case Q_GEOPOINT: case Q_GEOTRACE: case Q_GEOSHAPE:
        return true;
    default:
        return false;
    }
}

size_t paper_group_end(const form_t *f, size_t b)
{
    int depth = 0;
    for (size_t k = b; k < f->nq; k++) {
        if (f->q[k].type == Q_BEGIN_GROUP) depth++;
        else if (f->q[k].type == Q_END_GROUP && --depth == 0) return k;
    }
    return f->nq;
}

/* Over rows [b, e]: whether one is printable (a question paper takes, or
 * a note) and whether one is a photo, file or place. */
static void scan(const form_t *f, size_t b, size_t e, bool *printed, bool *media)
{
    for (size_t m = b; m <= e && m < f->nq; m++) {
        const question_t *x = &f->q[m];
        if (paper_type_ok(x) || x->type == Q_NOTE) *printed = true;
        *media |= media_or_place(x);
    }
}

/* True when row i is a select_one whose only purpose on paper would be to
 * ask consent for what paper cannot take: the questions whose relevance
 * names it (${name}; a group by what it holds) are none printable, and
 * one at least is a photo, file or place. Read generically, so a form's
 * own consent question for a recording is left out too; a select with no
 * dependents is kept. */
static bool consent_for_unprintable(const form_t *f, size_t i)
{
    const question_t *q = &f->q[i];
    if (q->type != Q_SELECT_ONE || !q->name) return false;
    buf_t ref;
    buf_init(&ref);
    buf_printf(&ref, "${%s}", q->name);
    bool media = false, printed = false;
    for (size_t k = 0; k < f->nq && !printed; k++) {
        const question_t *d = &f->q[k];
        if (k == i || d->type == Q_END_GROUP || !d->relevant_src || !strstr(d->relevant_src, ref.data)) continue;
        scan(f, k, d->type == Q_BEGIN_GROUP ? paper_group_end(f, k) : k, &printed, &media);
    }
    buf_free(&ref);
    return media && !printed;
}

bool paper_cannot_take(const form_t *f, size_t i)
{
    const question_t *q = &f->q[i];
    if (media_or_place(q)) return true;
    if (q->type == Q_BEGIN_GROUP) {
        bool printed = false, media = false;
        scan(f, i + 1, paper_group_end(f, i), &printed, &media);
        return media && !printed;
    }
    return consent_for_unprintable(f, i);
}

bool paper_opens_case(const form_t *f)
{
    /* The name cases_from_answers reads (model/cases.c). */
    return form_question(f, "comentario_tipo") != NULL;
}
