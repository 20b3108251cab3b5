/*
 * notices.h: what the staff pages and `buzon user` do with staff notices
 * (issue 18): read and change an account's email and services, and the
 * sending state for the staff home page. Delivery itself is the
 * notifier's (service/notifier.h). Values are model/notice.h's.
 */
#ifndef BUZON_SERVICE_NOTICES_H
#define BUZON_SERVICE_NOTICES_H

#include <stddef.h>
#include <stdint.h>

#include "model/notice.h"
#include "service/db.h"

typedef enum notices_rc {
    NOTICES_OK,
    NOTICES_BAD_EMAIL,     /* not an address notice_email_ok accepts */
    NOTICES_NOTFOUND,      /* no account of that name */
    NOTICES_ERR,           /* the store failed (logged) */
    NOTICES_BAD_LANG,      /* session 23: a language other than es or ht */
} notices_rc_t;

/* Every account's settings, by name (caller frees with notice_pref_free,
 * also after STORE_ERR). STORE_OK or STORE_ERR. */
store_rc_t notices_prefs(store_t *s, notice_pref_t **out, size_t *n);
/* Set account name's email (NULL or "": none) and services (NULL or "":
 * all; ids separated by ','), and the language its notices are written
 * in ("es" or "ht"; NULL keeps it; session 23), audited as actor. */
notices_rc_t notices_set(store_t *s, const char *name, const char *email, const char *services,
                         const char *lang, const char *actor, int64_t now);
/* session 23: true for a language an account's notices may be in: "es"
 * or "ht", exactly. */
bool notices_lang_ok(const char *lang);

/* The sending state for the home page. error: malloc'd (caller frees) or
 * NULL when the last attempt of every channel succeeded. */
typedef struct notices_status {
    int64_t pending;
    char   *error;
    int64_t error_at;
} notices_status_t;
store_rc_t notices_status(store_t *s, notices_status_t *out);

#endif
