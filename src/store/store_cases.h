/*
 * store_cases.h: cases in the store (store_cases.c). The values (case_rec_t,
 * case_query_t, case_change_t, case_note_t) are the model's,
 * model/cases.h; this header says how they are read and changed. A case is
 * opened with its response by store_submit (store/store.h, open_case).
 * Callers outside src/store and src/service reach these through
 * service/casework.h.
 */
#ifndef BUZON_STORE_CASES_H
#define BUZON_STORE_CASES_H

#include <stddef.h>
#include <stdint.h>

#include "model/cases.h"
#include "store/store.h"

/* Whether case code's response still holds what erasing the contact
 * erases: a name, a phone, a photo or a place (issue 16). STORE_OK,
 * STORE_NOTFOUND or STORE_ERR. */
store_rc_t store_case_holds_personal(store_t *s, const char *code, bool *out);

/* Fill *out with the case of code (already normalised; caller frees with
 * case_rec_free after STORE_OK). STORE_OK, STORE_NOTFOUND or STORE_ERR. */
store_rc_t store_case_get(store_t *s, const char *code, case_rec_t *out);
/* The cases matching q, newest first, at most limit (0: no limit), into
 * *out and *n, without contact details (NULL). Caller frees with
 * case_recs_free (model/cases.h), also after STORE_ERR, when *out is NULL
 * and *n 0. STORE_OK or STORE_ERR. */
store_rc_t store_case_list(store_t *s, const case_query_t *q, size_t limit,
                           case_rec_t **out, size_t *n);

/* Apply ch to the case of code in one transaction, writing one audit entry
 * per effect, attributed to actor (a user name, or "cli:<unix user>"); the
 * statuses are the model's (case_change_allowed, case_next_status).
 * STORE_OK; STORE_NOTFOUND (no case of that code); STORE_CLOSED (the case
 * is closed and ch would do more than add a note, erase the contact or
 * reopen it); STORE_NEEDS_REASON (case_change_check: closing unanswered
 * needs a reason, out of competence an answer saying where to go, a
 * duplicate the code of another case that exists);
 * STORE_NO_USER (ch->assign_to is not an enabled member of staff who may
 * handle cases); STORE_ERR. Nothing is written unless STORE_OK. */
store_rc_t store_case_change(store_t *s, const char *code, const case_change_t *ch,
                             const char *actor, int64_t now);
/* The answer store_case_change would give for ch now, writing nothing
 * (to confirm a change before making it). */
store_rc_t store_case_check(store_t *s, const char *code, const case_change_t *ch);

/* The internal notes of the case, oldest first, into *out (caller frees
 * with case_note_free, also after STORE_ERR, when *out is NULL and *n 0).
 * STORE_OK or STORE_ERR. */
store_rc_t store_case_notes(store_t *s, int64_t case_id, case_note_t **out, size_t *n);
/* issue 16: the stored answers of the response that opened the case, by
 * question name, into *out (caller frees with case_answer_free, also
 * after STORE_ERR, when *out is NULL and *n 0). STORE_OK or STORE_ERR. */
store_rc_t store_case_answers(store_t *s, int64_t case_id, case_answer_t **out, size_t *n);

/* Erase the contact details of every case closed at or before cutoff
 * that still has them (audited as done by "sistema"). Returns how many
 * cases were erased, or -1 on error. */
int store_cases_erase_expired(store_t *s, int64_t cutoff, int64_t now);

#endif
