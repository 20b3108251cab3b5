/*
 * notice.h: staff notices (issue 18, "deadlines that speak"): what a notice
 * is, the email message and the webhook's signed JSON made from it, the
 * rule for a staff email address, and the retry back-off. Pure: no I/O;
 * the notifier (service/notifier.h) derives notices from the cases and
 * the plan, the store (store/store_notice.h) keeps them in a durable
 * outbox, and service/notify_send.c delivers them.
 *
 * Privacy: a notice carries only the case code, the service, the
 * Carta de Servicios deadline and a link to the staff case page (which
 * asks for a login); never a citizen's name, contact or words. Citizens
 * are never sent anything by buzon.
 *
 * Webhook format (for a WhatsApp/SMS gateway): POST with
 *   Content-Type: application/json
 *   X-Buzon-Timestamp: <unix seconds>
 *   X-Buzon-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>
 *   X-Buzon-Delivery: <outbox id> (the same on a retry: deduplicate on it)
 * and a body {"id":N,"event":"caso_nuevo"|"caso_por_vencer"|"caso_vencido"|
 * "plan_por_terminar","case":"CODE"|null,"plan_action":N|null,
 * "service":"..","due":"YYYY-MM-DD"|null,"unit":".."|null,"url":"..",
 * "text":"<one line in Spanish>","case_kind":"queja"|"sugerencia"|"elogio"|null}
 * (case_kind: the case's kind as stored, not localized; session 23). A receiver recomputes the HMAC over the
 * timestamp, a '.', and the raw body bytes, compares in constant time,
 * and refuses a timestamp more than 5 minutes from its clock (replays).
 */
#ifndef BUZON_NOTICE_H
#define BUZON_NOTICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/i18n.h"
#include "model/auth.h"

/* Kinds, as stored in notice_outbox.kind. */
#define NOTICE_NEW      "caso_nuevo"
#define NOTICE_DUE_SOON "caso_por_vencer"
#define NOTICE_OVERDUE  "caso_vencido"
#define NOTICE_PLAN_END "plan_por_terminar"

enum {
    NOTICE_EMAIL_MAX = 254,          /* RFC 5321's path limit */
    NOTICE_BACKOFF_MAX_MS = 3600 * 1000,
    NOTICE_PLAN_DAYS = 30,           /* a plan action is announced this many days before its end (its
                                        last month: plan.csv gives months) */
    NOTICE_KEEP_DAYS = 90,           /* issue 18: sent rows of the outbox are forgotten after this */
};

/* One notice to one recipient, as the outbox holds it. Strings are owned
 * by the value (notice_free). */
typedef struct notice {
    int64_t id;                      /* outbox row */
    char *kind, *object;             /* NOTICE_*; "caso:<code>" or "plan:<n>" */
    char *channel;                   /* "email" or "webhook" */
    char *recipient, *address;       /* account name and address ("" for the webhook) */
    lang_t lang;
    char *service, *due, *extra;     /* service id, "YYYY-MM-DD" or "", plan unit or "" (a plan
                                        notice) or the case's kind "queja"/"sugerencia"/"elogio" (a
                                        case notice; "" in rows written before issue 18's follow-up) */
    int attempts;
} notice_t;

/* An account's notice settings, as listed. Strings owned by the element
 * (notice_pref_free); email and services may be NULL (none; every service). */
typedef struct notice_pref {
    char   *name;
    role_t  role;
    bool    disabled;
    char   *email;
    char   *services;      /* service ids, ','-separated */
    lang_t  lang;          /* session 23: the language its notices are written in */
} notice_pref_t;

void notice_pref_free(notice_pref_t *v, size_t n);

/* Free the strings of n notices and the array (v may be NULL). */
void notice_free(notice_t *v, size_t n);

/* True for an address buzon accepts for an account: 3..NOTICE_EMAIL_MAX
 * bytes of printable ASCII without spaces, quotes, angle brackets,
 * commas or semicolons, one '@' with a non-empty local part and a domain
 * with a dot, neither starting nor ending with '.' or '-'. Strict on
 * purpose: it goes into SMTP commands and headers, so no CR, LF or
 * anything that could start a new command or header. */
bool notice_email_ok(const char *s);
/* issue 18 follow-up: why s is refused (a static English phrase for a
 * command-line message, e.g. "the domain after '@' needs a dot"), or NULL
 * when it is accepted. notice_email_ok(s) is notice_email_why(s, false) ==
 * NULL. dotless_ok: a one-label domain ("localhost", a relay on the same
 * machine) is accepted, for --smtp-from only: the characters allowed are
 * the same, so nothing more reaches the SMTP commands. */
const char *notice_email_why(const char *s, bool dotless_ok);

/* The case code of object "caso:<code>" (a pointer into object), or NULL. */
const char *notice_case_code(const char *object);
/* The plan action number of object "plan:<n>", or 0. */
int notice_plan_number(const char *object);

/* The subject line of n in its language (no CR/LF), appended to out.
 * service_label: the service's name in that language (or its id). */
void notice_subject(buf_t *out, const notice_t *n);
/* The plain-text body lines of n (CRLF endings): what happened, the case
 * code, service, kind (queja, sugerencia, felicitación, when known), deadline, and the link base_url + "/casos/<code>" (or
 * "/indicadores/plan" for a plan action). */
void notice_body(buf_t *out, const notice_t *n, const char *service_label, const char *base_url);
/* A whole RFC 5322 message (headers and CRLF body, UTF-8, base64 not
 * needed: 8bit) to address from from, with the bodies of the n notices
 * v (one, or a day's digest). date: unix time for the Date header;
 * msgid_host: the domain of the Message-ID. labels[i]: the service name
 * of v[i]. */
void notice_email(buf_t *out, const notice_t *v, size_t n, const char *const *labels, const char *from,
                  const char *base_url, int64_t date);
/* The webhook's JSON body for n (see above). */
void notice_json(buf_t *out, const notice_t *n, const char *base_url);
/* "sha256=<64 hex>": HMAC-SHA256 with key over "<ts>.<body>", into out. */
enum { NOTICE_SIG_LEN = 7 + 64 };
void notice_sign(const unsigned char *key, size_t keylen, int64_t ts, const char *body, size_t len,
                 char out[NOTICE_SIG_LEN + 1]);

/* Milliseconds to wait before attempt number attempts + 1, after
 * attempts (>= 1) failures: base_ms doubled per failure, at most
 * NOTICE_BACKOFF_MAX_MS. */
int64_t notice_backoff_ms(int64_t base_ms, int attempts);

/* issue 18 follow-up: why a send failed, as staff are told it. The
 * notifier stores a failure as "<tag>: <libcurl's detail>" (the tag from
 * notice_fail_tag), so the outbox and the audit log keep the raw text and
 * the home page can say the cause in the reader's language. */
typedef enum notice_fail {
    NOTICE_FAIL_OTHER,      /* "otro" (and any text without a known tag) */
    NOTICE_FAIL_CONNECT,    /* "conexion": cannot reach the relay or webhook */
    NOTICE_FAIL_REFUSED,    /* "rechazo": the relay refused MAIL FROM or RCPT TO */
    NOTICE_FAIL_AUTH,       /* "autenticacion" */
    NOTICE_FAIL_TLS,        /* "tls" */
    NOTICE_FAIL_HTTP,       /* "http": the webhook answered a non-2xx status */
    NOTICE_FAIL_TIMEOUT,    /* "tiempo" */
    NOTICE_FAIL_COUNT
} notice_fail_t;

/* The stored tag of f (static). */
const char *notice_fail_tag(notice_fail_t f);
/* The cause of a stored failure text err; *detail (may be NULL) is set to
 * the raw text after the tag (a pointer into err; err itself when it has
 * no known tag, as rows written before the tags had). */
notice_fail_t notice_fail_parse(const char *err, const char **detail);
/* The strings of the cause (what happened) and of what to do. */
str_id_t notice_fail_text(notice_fail_t f);
str_id_t notice_fail_todo(notice_fail_t f);

#endif
