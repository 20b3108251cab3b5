/*
 * entry.c: answers entered by staff, paper and interview (entry.h). Calls
 * service/submit.h (the citizen's rules, unchanged), model/form_repeat.h
 * and base/bizdays.h.
 */
#include "service/entry.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "base/bizdays.h"
#include "model/form_repeat.h"

bool entry_paper_date(const char *s, time_t now, time_t *out)
{
    int32_t day;
    if (!s || !bizdays_parse(s, &day)) return false;
    /* A sheet older than 2000 is a typing error, as is tomorrow's. */
    if (day < bizdays_from_civil(2000, 1, 1) || day > bizdays_from_time((int64_t)now)) return false;
    *out = (time_t)((int64_t)day * 86400 - BIZDAYS_UTC_OFFSET);
    return true;
}

entry_rc_t entry_submit(store_t *s, kvlist_t *post, const submit_in_t *in, bool paper,
                        const carta_t *carta, const bizcal_t *cal, time_t now, entry_out_t *out)
{
    assert(s && post && in && in->form && in->entered_by && out);
    memset(out, 0, sizeof *out);
    /* Repeats (issue 16): as many instances as the page had. */
    out->xf = form_repeat_for_post(in->form, post);
    out->form = out->xf ? out->xf : in->form;
    submit_in_t with = *in;
    with.form = out->form;
    if (kvlist_get(post, "_lang") || form_repeat_button(post)) {
        submit_keep(post, &with, &out->prep);
        return ENTRY_KEEP;
    }
    if (paper && !entry_paper_date(kvlist_get(post, ENTRY_DATE_FIELD), now, &with.written)) {
        submit_keep(post, &with, &out->prep);
        return ENTRY_BAD_DATE;
    }
    switch (submit_prepare(post, &with, carta, cal, now, &out->prep)) {
    case SUBMIT_BOT:
        /* Staff never fill the hidden field; show the answers again. */
        submit_keep(post, &with, &out->prep);
        return ENTRY_KEEP;
    case SUBMIT_INVALID:
        return ENTRY_INVALID;
    case SUBMIT_READY:
        break;
    }
    submission_t *sub = out->prep.sub;
    out->prep.sub = NULL;
    entry_rc_t rc;
    if (svc_db_lost(s)) {
        rc = ENTRY_UNSAVED;
    } else {
        store_rc_t src = submission_store(s, sub);
        rc = src == STORE_OK || src == STORE_DUP ? ENTRY_STORED : svc_db_lost(s) ? ENTRY_UNSAVED : ENTRY_ERR;
        if (rc == ENTRY_STORED) snprintf(out->code, sizeof out->code, "%s", submission_case_code(sub));
    }
    submission_free(sub);
    return rc;
}

void entry_out_free(entry_out_t *out)
{
    if (!out) return;
    answers_free(&out->prep.answers);
    submission_free(out->prep.sub);
    form_free(out->xf);
    memset(out, 0, sizeof *out);
}
