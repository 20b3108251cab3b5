/*
 * interview.h: assisted interviews kept on a tablet with no connection
 * and sent later (issue 17 item 5). model/seal.h says how they are sealed
 * and what the ticket is; here the server's side of it:
 *
 *   - the keys, from the database's secret, once at start;
 *   - a ticket for the account opening an interview page;
 *   - opening a kept interview: the ticket must be ours and current, its
 *     account still enabled, still allowed to enter answers, with the same
 *     password; then the sealed bytes must open for that account and the
 *     address they were posted to. What comes out is the interview's post
 *     as the page would have sent it (without a CSRF token: the ticket and
 *     the seal stand in for the session), which http/http_entry.c stores
 *     through service/entry.h like any interview.
 */
#ifndef BUZON_SERVICE_INTERVIEW_H
#define BUZON_SERVICE_INTERVIEW_H

#include <time.h>

#include "base/buf.h"
#include "model/auth.h"
#include "model/seal.h"
#include "service/db.h"

/* The post fields of a kept interview: the ticket, the sealed answers,
 * and (inside the seal) when it was answered on the tablet (unix time). */
#define INTERVIEW_TICKET_FIELD "_ticket"
#define INTERVIEW_FIRST_FIELD  "_first"   /* the ticket it was sealed under */
#define INTERVIEW_SEALED_FIELD "_sealed"
#define INTERVIEW_AT_FIELD     "_at"

/* The server's keys (model/seal.h) from the database's secret, made on
 * first use: the caller frees them with seal_keys_free. NULL on a store
 * error. */
seal_keys_t *interview_keys(store_t *s);

/* The ticket of account user_id at now into out. false on a store error
 * or when the account is gone. */
bool interview_ticket(store_t *s, const seal_keys_t *k, int64_t user_id, time_t now,
                      char out[SEAL_TICKET_MAX + 1]);

typedef enum interview_rc {
    INTERVIEW_OK,
    INTERVIEW_BAD,       /* malformed, forged, or sealed for another account or address */
    INTERVIEW_EXPIRED,   /* the ticket ran out: the interviewer's next page renews it */
    INTERVIEW_REVOKED,   /* the account is disabled, lost the right to enter
                            answers, or has a new password */
    INTERVIEW_ERR,       /* the store failed */
} interview_rc_t;

/* Open the kept interview sealed, posted with ticket to action (the
 * interview page's path and query, as its form said) at now; first (may
 * be NULL) is the ticket the page it was answered on had, when ticket is
 * a renewed one. OK: *who is its interviewer, *issued the earliest time
 * it can have been answered (first's issue time when first is the same
 * account's and still bound to its password and logouts, however old;
 * else ticket's), and its post (urlencoded) is appended to *plain. */
interview_rc_t interview_open(store_t *s, const seal_keys_t *k, const char *ticket, const char *first,
                              const char *sealed, const char *action, time_t now, staff_t *who, time_t *issued,
                              buf_t *plain);

/* When a kept interview was answered: at (INTERVIEW_AT_FIELD, unix
 * seconds as the tablet's clock said) kept within [issued, now], the
 * only times it can truly be (the page was opened at issued); now when at
 * is missing or malformed. */
time_t interview_when(const char *at, time_t issued, time_t now);

#endif
