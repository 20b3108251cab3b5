/*
 * casework.h: working the complaints and suggestions desk: the inbox, a
 * case with everything its page shows, a change by a member of staff (or
 * `buzon case erase-contact`), the citizen's tracking lookup, and the
 * server's retention chore.
 *
 * Used by http/http_cases.c, http/http_survey.c (the thank-you page),
 * cli/cli_case.c and cli/cli_serve.c; calls model/cases.h and
 * store/store_cases.h, store/store_staff.h. The values (case_rec_t,
 * case_query_t, case_change_t, case_note_t) are model/cases.h's.
 */
#ifndef BUZON_SERVICE_CASEWORK_H
#define BUZON_SERVICE_CASEWORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/bizdays.h"
#include "model/auth.h"
#include "model/cases.h"
#include "service/db.h"

/* The case of code (already normalised), contact details included; caller
 * frees with case_rec_free after STORE_OK. STORE_OK, STORE_NOTFOUND or
 * STORE_ERR. */
store_rc_t casework_get(store_t *s, const char *code, case_rec_t *out);

/* The inbox: the cases matching q, newest first, at most max, that also
 * pass the filters only the calendar can judge: age (a backlog bucket,
 * 0..CASE_BACKLOG_BUCKETS-1, of the case's business-day age, closed cases
 * measured to their closure; -1: any) and overdue (only open cases past
 * their deadline). Records into *out without contact details; caller
 * frees with casework_inbox_free, also after
 * STORE_ERR. STORE_OK or STORE_ERR. */
store_rc_t casework_inbox(store_t *s, const bizcal_t *cal, const case_query_t *q, int age,
                          bool overdue, int64_t now, size_t max, case_rec_t **out, size_t *n);
void casework_inbox_free(case_rec_t *v, size_t n);

/* Everything the case page shows besides the case: its internal notes
 * (oldest first), its history in the audit log (newest first, at most
 * history_max), and who it can be assigned to (enabled staff whose role
 * may handle cases). Owned by the value: casework_page_free. */
typedef struct casework_page {
    case_note_t   *notes;    size_t nnotes;
    audit_entry_t *history;  size_t nhistory;
    user_info_t   *handlers; size_t nhandlers;
    case_answer_t *answers;  size_t nanswers;   /* issue 16: the response's
                                                   stored answers (the page
                                                   shows its places) */
} casework_page_t;

/* Fill *out for the case rec (as read by casework_get). Free with
 * casework_page_free, also after STORE_ERR. STORE_OK or STORE_ERR. */
store_rc_t casework_page(store_t *s, const case_rec_t *rec, size_t history_max,
                         casework_page_t *out);
void casework_page_free(casework_page_t *p);

/* Apply ch to the case of code as actor (store/store_cases.h,
 * store_case_change), after the model's rule (case_change_normalize:
 * blank texts change nothing; ch itself is left as it is): STORE_OK,
 * STORE_EMPTY (nothing left to do; nothing read or written),
 * STORE_NOTFOUND, STORE_CLOSED, STORE_NEEDS_REASON, STORE_NO_USER or
 * STORE_ERR. */
store_rc_t casework_change(store_t *s, const char *code, const case_change_t *ch,
                           const char *actor, int64_t now);
/* What casework_change would answer for ch, writing nothing: the page
 * that asks to confirm a closure shows only a closure that would work. */
store_rc_t casework_check(store_t *s, const char *code, const case_change_t *ch);

/* `buzon case erase-contact`: erase the contact details of the case of
 * code, if it has any (*had says whether it did), for reason (a detail
 * case_erase_reason wrote: the audit records it). STORE_OK,
 * STORE_NOTFOUND or STORE_ERR. */
store_rc_t casework_erase_contact(store_t *s, const char *code, const char *reason,
                                  const char *actor, int64_t now, bool *had);

/* The server's periodic chore: erase the contact details of cases closed
 * more than retention_days ago, and (issue 17) discard the double-entry
 * sheets held unresolved for as long, saying so on stderr when there were
 * any. */
void cases_chores(store_t *s, int retention_days, int64_t now);

#endif
