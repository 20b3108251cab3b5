/*
 * interview.c: the server's side of interviews kept offline (interview.h).
 */
#include "service/interview.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "store/store_staff.h"

seal_keys_t *interview_keys(store_t *s)
{
    unsigned char secret[SEAL_SECRET_BYTES];
    if (store_secret(s, secret, sizeof secret) != STORE_OK) return NULL;
    seal_keys_t *k = seal_keys_new(secret);
    memset(secret, 0, sizeof secret);
    return k;
}

bool interview_ticket(store_t *s, const seal_keys_t *k, int64_t user_id, time_t now,
                      char out[SEAL_TICKET_MAX + 1])
{
    staff_t who;
    bool disabled;
    char *bind = NULL;
    bool ok = store_user_by_id(s, user_id, &who, &disabled, &bind) == STORE_OK;
    if (ok) seal_ticket(k, user_id, now, bind, out);
    free(bind);
    return ok;
}

interview_rc_t interview_open(store_t *s, const seal_keys_t *k, const char *ticket, const char *first,
                              const char *sealed, const char *action, time_t now, staff_t *who, time_t *issued,
                              buf_t *plain)
{
    int64_t id;
    if (!sealed || !seal_ticket_parse(ticket, &id, issued)) return INTERVIEW_BAD;
    bool disabled;
    char *bind = NULL;
    store_rc_t src = store_user_by_id(s, id, who, &disabled, &bind);
    if (src == STORE_NOTFOUND) return INTERVIEW_REVOKED;
    if (src != STORE_OK) return INTERVIEW_ERR;
    seal_ticket_rc_t trc = seal_ticket_check(k, ticket, bind, now);
    /* The page it was answered on: its ticket, if still this account's
     * (any age), says since when. */
    int64_t fid;
    time_t fissued;
    if (first && seal_ticket_parse(first, &fid, &fissued) && fid == id && fissued < *issued &&
        seal_ticket_check(k, first, bind, now) != SEAL_TICKET_BAD)
        *issued = fissued;
    free(bind);
    /* The seal is tried first: one that does not open for this account
     * and address is refused for good (400); one that opens but whose
     * ticket no longer serves (a new password, a logout, a disabled
     * account, run out: or forged, which stores nothing either) is kept by
     * the tablet until its interviewer renews the ticket (403). Anyone may
     * seal (the key is public): the ticket alone says who sends. */
    buf_t aad;
    buf_init(&aad);
    seal_aad(&aad, id, action);
    bool opened = seal_open(k, sealed, strlen(sealed), aad.data, plain);
    buf_free(&aad);
    if (!opened) return INTERVIEW_BAD;
    if (trc != SEAL_TICKET_OK || disabled || !(AUTH_ROLES_ENTRY & ROLE_BIT(who->role))) {
        buf_reset(plain);
        return trc == SEAL_TICKET_EXPIRED && !disabled ? INTERVIEW_EXPIRED : INTERVIEW_REVOKED;
    }
    return INTERVIEW_OK;
}

time_t interview_when(const char *at, time_t issued, time_t now)
{
    if (!at || !*at) return now;
    char *end;
    errno = 0;
    long long v = strtoll(at, &end, 10);
    if (errno || *end || v <= 0) return now;
    if (v < (long long)issued) return issued;
    if (v > (long long)now) return now;
    return (time_t)v;
}
