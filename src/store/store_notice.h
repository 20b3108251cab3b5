/*
 * store_notice.h: staff notices in the store (store_notice.c, issue 18):
 * each account's email and the services it hears of, and the durable
 * outbox the notifier (service/notifier.h) fills and sends from.
 *
 * The outbox is the only memory of what was sent: a notice is written
 * once per recipient (UNIQUE(key, channel, recipient)) before any attempt,
 * and marked sent only after the relay or the webhook accepted it, so a
 * restart sends whatever is pending and nothing twice, except a message
 * accepted in the instant between the relay's answer and the mark (then
 * the relay gets it again: at least once). Every send and every failure
 * is written to the audit log in the same transaction as its mark.
 */
#ifndef BUZON_STORE_NOTICE_H
#define BUZON_STORE_NOTICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/notice.h"
#include "store/store.h"


/* Every account's settings, by name, into *out (caller frees with
 * notice_pref_free, also after STORE_ERR). STORE_OK or STORE_ERR. */
store_rc_t store_notice_prefs(store_t *s, notice_pref_t **out, size_t *n);
/* Set the email (NULL or "": none; checked by the caller with
 * notice_email_ok), the services (NULL or "": all) and, unless NULL, the
 * notices' language ("es" or "ht", checked by the caller; session 23) of
 * account name, audited as actor ("avisos_usuario"). STORE_OK,
 * STORE_NOTFOUND or STORE_ERR. */
store_rc_t store_notice_set(store_t *s, const char *name, const char *email, const char *services,
                            const char *lang, const char *actor, int64_t now);

/* A plan action whose end is near, for store_notice_derive. */
typedef struct notice_plan_end {
    int number;
    char end[11];          /* YYYY-MM-DD: the last day of its last month */
    const char *unit;      /* responsible unit (Spanish), or NULL */
} notice_plan_end_t;

/* What one scan writes into the outbox (store_notice_derive). */
typedef struct notice_derive {
    int64_t now;              /* unix seconds */
    int64_t email_next_ms;    /* when email rows may first be sent (now, or the digest hour) */
    int64_t now_ms;
    bool email, webhook;      /* channels configured */
    const char *today;        /* YYYY-MM-DD, local */
    const char *soon;         /* YYYY-MM-DD: a due date on or before it (and not
                                 before today) has about one business day left */
    const notice_plan_end_t *plans; size_t nplans;
} notice_derive_t;

/* One scan, in one transaction: a "caso_nuevo" notice for every case
 * created since the last scan (a watermark on the case id), a
 * "caso_por_vencer" / "caso_vencido" one for every open case without a
 * public answer whose due date is near / past, and "plan_por_terminar"
 * for the plan actions given; each to every enabled account with an
 * address whose role hears of it (cases: atencion and admin, narrowed by
 * their services; plan: planificacion and admin) and once to the webhook.
 * Rows that exist already are left alone. Sets *added to the rows written.
 * STORE_OK or STORE_ERR. */
store_rc_t store_notice_derive(store_t *s, const notice_derive_t *d, int *added);

/* Up to limit pending rows whose time has come (next_ms <= now_ms) of
 * the channels asked for (email, webhook: a channel no longer configured
 * keeps its rows pending, counted on the home page), the oldest first, into *out (caller frees with notice_free, also after
 * STORE_ERR). STORE_OK or STORE_ERR. */
store_rc_t store_notice_due(store_t *s, bool email, bool webhook, int64_t now_ms, size_t limit,
                            notice_t **out, size_t *n);

/* Record the outcome of sending rows ids (all of channel): sent (error NULL: sent_at set,
 * audit "aviso_enviado"), or failed (attempts + 1, next_ms = retry_ms,
 * last_error, audit "aviso_fallido" with the error). The audit detail
 * names the channel and the account, never the address's password or
 * the relay's credentials. STORE_OK or STORE_ERR. */
store_rc_t store_notice_done(store_t *s, const char *channel, const int64_t *ids, size_t n,
                             const char *error, int64_t now, int64_t retry_ms);

/* issue 18: forget the rows sent before `before` (unix seconds), so the
 * outbox does not grow for ever; their sending stays in the audit log. A
 * row the next scan would write again is kept: a near-deadline or
 * overdue notice of a case still open without a public answer (its
 * UNIQUE key is what stops it being sent every scan). Pending rows are
 * never given up on (they are retried for ever, shown on the home page),
 * so none is deleted. Sets *deleted (may be NULL). STORE_OK or STORE_ERR. */
store_rc_t store_notice_prune(store_t *s, int64_t before, int *deleted);

/* For the staff home page: rows not yet sent, and the last failure
 * (*error malloc'd, caller frees; NULL when the last attempt succeeded or
 * none failed) with its time. STORE_OK or STORE_ERR. */
store_rc_t store_notice_status(store_t *s, int64_t *pending, char **error, int64_t *error_at);

#endif
