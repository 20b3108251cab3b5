/*
 * notifier.h: the thread that tells staff of new cases, of cases about to
 * miss or past their Carta de Servicios deadline, and of plan actions
 * about to end (issue 18, "deadlines that speak").
 *
 * Nothing in a citizen's submission waits for it: every interval it scans
 * the database (new cases past a watermark, open cases by due date, the
 * plan's end months), writes the notices into the durable outbox
 * (store/store_notice.h), then sends what is due from the outbox by SMTP
 * (libcurl: smtp:// upgraded with STARTTLS when the relay offers it, and
 * required when credentials are given; smtps://) and to the webhook (a
 * JSON POST signed with HMAC-SHA256, format in model/notice.h). A failed
 * send is retried after interval x 2^(attempts-1), at most an hour; each
 * send and failure goes to the audit log; a relay that is down never
 * blocks anything but this thread. Pending notices survive a restart.
 *
 * Rules (say why): new and overdue cases go to every enabled atencion and
 * admin account with an address, narrowed to the services an admin
 * ticked for it on /usuarios; a case with about one business day left
 * (its due date is today or the next business day) gets its own notice.
 * A plan action's end (the last day of plan.csv's `fin` month) is told
 * NOTICE_PLAN_DAYS days ahead to every planificacion and admin account
 * with an address: the plan's `responsable` names units (Planificación,
 * RRHH, Informático), not accounts, so the unit is written in the message
 * and those who keep the plan hear of it. The webhook gets every notice
 * once.
 */
#ifndef BUZON_NOTIFIER_H
#define BUZON_NOTIFIER_H

#include <stdbool.h>
#include <stddef.h>

#include "model/catalog.h"
#include "service/db.h"

typedef struct notifier_config {
    store_t    *store;
    const char *base_url;            /* links in messages, without trailing '/' */
    const char *smtp_url;            /* "smtp://relay:587", "smtps://user:pw@relay"; NULL: no email */
    const char *smtp_from;           /* envelope and From: address */
    const char *smtp_user, *smtp_password;   /* from a credentials file, or NULL */
    const char *webhook_url;         /* NULL: no webhook */
    const unsigned char *webhook_key;  size_t webhook_keylen;
    double      interval_s;          /* scan and retry base, > 0 */
    int         digest_hour;         /* 0..23: email as one daily digest at that local hour; -1: one per notice */
    /* The catalog being served (holidays, plan, service names): taken for
     * one scan and let go after, since a publication may replace it. */
    const catalog_t *(*cat_take)(void *arg);
    void (*cat_drop)(void *arg, const catalog_t *cat);
    void *cat_arg;
} notifier_config_t;

typedef struct notifier notifier_t;

/* libcurl's global set-up: once, before any thread is started. False
 * when libcurl cannot start. */
bool notifier_global_init(void);
/* The URL without its user and password, for logs (caller frees). */
char *notifier_redact_url(const char *url);

/* Start the thread (cfg and its strings must outlive it). NULL when
 * neither channel is configured or the thread cannot start (logged). */
notifier_t *notifier_start(const notifier_config_t *cfg);
/* Stop it: a send in progress is abandoned (its rows stay pending for
 * the next start) and the thread joined. NULL is fine. */
void notifier_stop(notifier_t *n);

#endif
