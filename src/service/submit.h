/*
 * submit.h: a citizen's answer on its way to the database: the rules the
 * survey handler used to hold. A bot that fills the hidden field is told
 * "stored" and nothing is kept; the time is kept only to the hour
 * (privacy: Ley 172-13); the seconds taken only when plausible; a
 * complaint or suggestion opens a case in the same transaction
 * (model/cases.h, cases_from_answers).
 *
 * Used by http/http_survey.c (which parses the post, validates the
 * answers, calls these, and renders or redirects); calls model/answers.h,
 * model/cases.h and store/store.h.
 */
#ifndef BUZON_SERVICE_SUBMIT_H
#define BUZON_SERVICE_SUBMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "base/bizdays.h"
#include "base/urlenc.h"
#include "model/answers.h"
#include "model/cases.h"
#include "model/form.h"
#include "model/points.h"
#include "service/db.h"

/* True when the honeypot field (`_web`, hidden from people) of the post
 * is filled: a bot. The caller answers as if stored and keeps nothing. */
bool submit_is_bot(const kvlist_t *post);

/* What a submission is, besides its answers. */
typedef struct submit_in {
    const form_t  *form;
    int64_t        form_version_id;   /* svc_form_version's id of form */
    const point_t *point;             /* NULL when answered without a point */
    const char    *sid;               /* the submission id (8..64 of [A-Za-z0-9-]) */
    long           started;           /* unix time the form was rendered, 0 unknown */
    const char    *lang;              /* "es" / "ht" */
    const char    *channel;           /* "web", ... */
} submit_in_t;

/* A submission ready for the store; owned by the caller (submission_free).
 * Everything the store reads lives inside it, so it may outlive the
 * request's buffers while the store writes it. */
typedef struct submission submission_t;

/* Build the submission of the validated answers a (taken: a is left
 * empty) as of now: the hour, the seconds taken, and the case it opens,
 * if any (deadline from carta and cal). */
submission_t *submission_new(answers_t *a, const submit_in_t *in, const carta_t *carta,
                             const bizcal_t *cal, time_t now);
void submission_free(submission_t *sub);

/* Store sub now (waits for the commit). STORE_OK, STORE_DUP (already
 * stored: answered as the first copy was) or STORE_ERR; also kept in sub
 * (submission_rc). */
store_rc_t submission_store(store_t *s, submission_t *sub);
/* Store sub without waiting: done(arg, rc) is called from the store's
 * writer thread once its transaction is durable or failed (rc as
 * submission_store's, also kept in sub). sub must stay alive until then;
 * done must be quick and must not call into the store. */
void submission_store_async(store_t *s, submission_t *sub,
                            void (*done)(void *arg, store_rc_t rc), void *arg);
/* The store's verdict, once stored (STORE_ERR before). */
store_rc_t submission_rc(const submission_t *sub);
/* The tracking code of the case the submission opened (for a duplicate,
 * the first copy's), or "" when it opened none. */
const char *submission_case_code(const submission_t *sub);

#endif
