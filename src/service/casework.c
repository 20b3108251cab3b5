/*
 * casework.c: the complaints and suggestions desk's work (casework.h).
 * Calls model/cases.h (ages, deadlines, records), base/bizdays.h and
 * store/store_cases.h, store/store_staff.h.
 */
#include "service/casework.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/buf.h"
#include "store/store_cases.h"
#include "store/store_held.h"
#include "store/store_staff.h"

store_rc_t casework_get(store_t *s, const char *code, case_rec_t *out)
{
    return store_case_get(s, code, out);
}

/* True when c passes the filters the store cannot apply (age and overdue
 * need the holiday calendar; see casework_inbox). */
static bool inbox_keeps(const case_rec_t *c, int age, bool overdue, const bizcal_t *cal,
                        int64_t now)
{
    if (overdue && !cases_overdue(c, now)) return false;
    if (age >= 0) {
        int days = c->status == CASE_CLOSED
            ? bizdays_between(cal, bizdays_from_time(c->created_at), bizdays_from_time(c->closed_at))
            : cases_age(c, cal, now);
        if (cases_backlog_bucket(days) != age) return false;
    }
    return true;
}

store_rc_t casework_inbox(store_t *s, const bizcal_t *cal, const case_query_t *q, int age,
                          bool overdue, int64_t now, size_t max, case_rec_t **out, size_t *n)
{
    assert(s && cal && q && out && n);
    *out = NULL;
    *n = 0;
    if (max == 0) return STORE_OK;
    if (age < 0 && !overdue) return store_case_list(s, q, max, out, n);
    /* The age and overdue filters apply after the query, so the query
     * cannot stop at max rows: read max at a time, each piece after the
     * last case of the one before, keeping the cases that pass, until max
     * are kept or the cases run out. At most 2 * max records in memory. */
    case_query_t page = *q;
    case_rec_t *keep = xmalloc(max * sizeof *keep);
    size_t nkeep = 0;
    store_rc_t rc = STORE_OK;
    while (nkeep < max) {
        case_rec_t *v;
        size_t nv;
        rc = store_case_list(s, &page, max, &v, &nv);
        for (size_t i = 0; i < nv; i++) {
            if (nkeep < max && inbox_keeps(&v[i], age, overdue, cal, now)) {
                keep[nkeep++] = v[i];
                v[i] = (case_rec_t){ 0 };
            }
        }
        if (nv) {
            page.after_at = v[nv - 1].created_at;
            page.after_id = v[nv - 1].id;
        }
        case_recs_free(v, nv);
        if (rc != STORE_OK || nv < max) break;
    }
    *out = keep;
    *n = nkeep;
    return rc;
}

void casework_inbox_free(case_rec_t *v, size_t n)
{
    case_recs_free(v, n);
}

store_rc_t casework_page(store_t *s, const case_rec_t *rec, size_t history_max,
                         casework_page_t *out)
{
    assert(s && rec && out);
    *out = (casework_page_t){ 0 };
    char object[CASE_OBJECT_SIZE];
    case_object(rec->code, object);
    bool ok = store_case_notes(s, rec->id, &out->notes, &out->nnotes) == STORE_OK;
    ok = store_audit_list(s, object, 0, history_max, &out->history, &out->nhistory) == STORE_OK
         && ok;
    ok = ok && store_user_list(s, &out->handlers, &out->nhandlers) == STORE_OK;
    ok = ok && store_case_answers(s, rec->id, &out->answers, &out->nanswers) == STORE_OK;
    if (!ok) return STORE_ERR;
    /* Only enabled staff who may handle cases can be assigned. */
    size_t w = 0;
    for (size_t i = 0; i < out->nhandlers; i++) {
        user_info_t u = out->handlers[i];
        if (!u.disabled && (ROLE_BIT(u.role) & AUTH_ROLES_CASES)) out->handlers[w++] = u;
        else {
            free(u.name);
            free(u.email);
        }
    }
    out->nhandlers = w;
    return STORE_OK;
}

void casework_page_free(casework_page_t *p)
{
    case_note_free(p->notes, p->nnotes);
    audit_entry_free(p->history, p->nhistory);
    user_info_free(p->handlers, p->nhandlers);
    case_answer_free(p->answers, p->nanswers);
    *p = (casework_page_t){ 0 };
}

store_rc_t casework_change(store_t *s, const char *code, const case_change_t *ch,
                           const char *actor, int64_t now)
{
    case_change_t c = *ch;
    if (!case_change_normalize(&c)) return STORE_EMPTY;
    return store_case_change(s, code, &c, actor, now);
}

store_rc_t casework_check(store_t *s, const char *code, const case_change_t *ch)
{
    case_change_t c = *ch;
    if (!case_change_normalize(&c)) return STORE_EMPTY;
    return store_case_check(s, code, &c);
}

store_rc_t casework_erase_contact(store_t *s, const char *code, const char *reason,
                                  const char *actor, int64_t now, bool *had)
{
    assert(case_erase_reason_valid(reason));
    /* A name, a phone, a photo or a place (issue 16: a complaint may
     * carry a photo and a place without any contact). */
    store_rc_t rc = store_case_holds_personal(s, code, had);
    if (*had) {
        case_change_t ch = { .erase_contact = true, .erase_reason = reason };
        rc = store_case_change(s, code, &ch, actor, now);
    }
    return rc;
}

void cases_chores(store_t *s, int retention_days, int64_t now)
{
    assert(s && retention_days > 0);
    int n = store_cases_erase_expired(s, now - (int64_t)retention_days * 86400, now);
    if (n > 0)
        fprintf(stderr, "buzon: erased the contact details, photos and places of %d case%s closed more than %d days ago\n",
                n, n == 1 ? "" : "s", retention_days);
    /* issue 17: held double-entry sheets nobody resolved go after the
     * same period (store_held.h): a citizen's words never wait for ever. */
    int h = store_held_purge(s, now - (int64_t)retention_days * 86400, now);
    if (h > 0)
        fprintf(stderr, "buzon: discarded %d held paper sheet%s not resolved within %d days\n", h,
                h == 1 ? "" : "s", retention_days);
}
