/*
 * submit.c: a citizen's answer into the store (submit.h). Calls
 * base/urlenc.h, model/answers.h, model/cases.h and store/store.h.
 */
#include "service/submit.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/buf.h"

struct submission {
    answers_t         a;          /* the validated values (owned) */
    store_answer_t   *ans;        /* views into a, in form order */
    store_response_t  resp;
    char              sid[65];
    case_new_t        kase;       /* a complaint or suggestion (model/cases.h) */
    store_rc_t        rc;         /* the store's verdict */
    void            (*done)(void *arg, store_rc_t rc);
    void             *arg;
};

bool submit_is_bot(const kvlist_t *post)
{
    const char *hp = kvlist_get(post, "_web");
    return hp && *hp;
}

submission_t *submission_new(answers_t *a, const submit_in_t *in, const carta_t *carta,
                             const bizcal_t *cal, time_t now)
{
    assert(a && in && in->form && in->sid && carta && cal);
    const form_t *f = in->form;
    submission_t *sub = xcalloc(1, sizeof *sub);
    sub->rc = STORE_ERR;
    sub->a = *a;                                   /* takes the answers */
    *a = (answers_t){ 0 };
    sub->ans = xcalloc(f->nq ? f->nq : 1, sizeof *sub->ans);
    size_t n = 0;
    for (size_t i = 0; i < f->nq; i++)
        if (sub->a.val[i]) sub->ans[n++] = (store_answer_t){ f->q[i].name, sub->a.val[i] };
    snprintf(sub->sid, sizeof sub->sid, "%s", in->sid);
    long took = now - in->started;
    sub->resp = (store_response_t){
        .submission_id = sub->sid, .form_version_id = in->form_version_id, .form_id = f->id,
        .point_id = in->point ? in->point->id : NULL, .lang = in->lang, .channel = in->channel,
        /* Only the hour is kept: the minute would help tell who answered. */
        .submitted_hour = (int64_t)(now - now % 3600),
        .duration_s = in->started > 0 && took >= 0 && took <= 86400 ? (int)took : -1,
        .answers = sub->ans, .nanswers = n,
    };
    if (cases_from_answers(&sub->a, in->point, carta, cal, sub->resp.submitted_hour, &sub->kase))
        sub->resp.open_case = &sub->kase;
    return sub;
}

void submission_free(submission_t *sub)
{
    if (!sub) return;
    answers_free(&sub->a);
    free(sub->ans);
    free(sub);
}

store_rc_t submission_store(store_t *s, submission_t *sub)
{
    sub->rc = store_submit(s, &sub->resp);
    return sub->rc;
}

static void stored(void *arg, store_rc_t rc)
{
    submission_t *sub = arg;
    sub->rc = rc;
    sub->done(sub->arg, rc);
}

void submission_store_async(store_t *s, submission_t *sub,
                            void (*done)(void *arg, store_rc_t rc), void *arg)
{
    assert(s && sub && done);
    sub->done = done;
    sub->arg = arg;
    store_submit_async(s, &sub->resp, stored, sub);
}

store_rc_t submission_rc(const submission_t *sub)
{
    return sub->rc;
}

const char *submission_case_code(const submission_t *sub)
{
    return sub->resp.open_case ? sub->kase.code : "";
}
