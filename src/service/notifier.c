/*
 * notifier.c: the staff notifier thread (see notifier.h): scan, write the
 * outbox, send from it with libcurl, record the outcome.
 *
 * One thread and one libcurl handle per send: a few messages a day, so
 * simplicity beats connection reuse. The relay's password is handed to
 * libcurl only (in the URL or from the credentials file) and never
 * printed: logs show the URL without its user part, and libcurl's error
 * texts do not contain it.
 */
#include "service/notifier.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/bizdays.h"
#include "base/buf.h"
#include "model/notice.h"
#include "store/store_notice.h"

enum {
    SEND_BATCH = 100,          /* outbox rows taken per round */
    CONNECT_TIMEOUT_S = 10,
    SEND_TIMEOUT_S = 30,
};

struct notifier {
    notifier_config_t cfg;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stopping;             /* under mu */
    atomic_bool abort_send;    /* read by libcurl's progress callback */
};

bool notifier_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

char *notifier_redact_url(const char *url)
{
    const char *scheme = strstr(url, "://");
    const char *host = scheme ? scheme + 3 : url;
    const char *slash = strchr(host, '/'), *at = strchr(host, '@');
    buf_t b;
    buf_init(&b);
    if (at && (!slash || at < slash)) {
        buf_append(&b, url, (size_t)(host - url));
        buf_puts(&b, "***@");
        buf_puts(&b, at + 1);
    } else {
        buf_puts(&b, url);
    }
    return buf_steal(&b);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- scanning ------------------------------------------------------------------- */

/* The unix ms of the next local digest_hour:00 at or after t_ms. */
static int64_t next_digest_ms(int64_t t_ms, int hour)
{
    int64_t t = t_ms / 1000;
    int64_t day_start = bizdays_to_time(bizdays_from_time(t));
    int64_t at = day_start + (int64_t)hour * 3600;
    if (at * 1000 < t_ms) at += 86400;
    return at * 1000;
}

/* Write the notices due now into the outbox. */
static void scan(notifier_t *n)
{
    const notifier_config_t *c = &n->cfg;
    const catalog_t *cat = c->cat_take(c->cat_arg);
    int64_t ms = now_ms(), t = ms / 1000;
    int32_t today = bizdays_from_time(t);
    /* About to miss: due today or by the next business day. */
    int32_t soon = bizdays_add(&cat->holidays, today, 1);
    char today_s[11], soon_s[11];
    bizdays_format(today, today_s);
    bizdays_format(soon, soon_s);
    /* Plan actions ending within NOTICE_PLAN_DAYS days (the last day of
     * their last month), not yet over. */
    notice_plan_end_t *plans = xcalloc(cat->plan.n ? cat->plan.n : 1, sizeof *plans);
    size_t np = 0;
    for (size_t i = 0; i < cat->plan.n; i++) {
        const ind_plan_action_t *a = &cat->plan.a[i];
        if (a->end_ym <= 0) continue;
        int y = a->end_ym / 12, m = a->end_ym % 12 + 1;
        int32_t end = bizdays_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;
        if (end < today || end - today > NOTICE_PLAN_DAYS) continue;
        plans[np].number = a->number;
        bizdays_format(end, plans[np].end);
        plans[np].unit = a->responsible[LANG_ES];
        np++;
    }
    notice_derive_t d = { .now = t, .now_ms = ms,
                          .email_next_ms = c->digest_hour >= 0 ? next_digest_ms(ms, c->digest_hour) : ms,
                          .email = c->smtp_url != NULL, .webhook = c->webhook_url != NULL,
                          .today = today_s, .soon = soon_s, .plans = plans, .nplans = np };
    int added = 0;
    if (store_notice_derive(c->store, &d, &added) != STORE_OK)
        fprintf(stderr, "buzon: notices: could not scan the cases (will try again)\n");
    /* issue 18: the outbox keeps what was sent for NOTICE_KEEP_DAYS. */
    if (store_notice_prune(c->store, t - (int64_t)NOTICE_KEEP_DAYS * 86400, NULL) != STORE_OK)
        fprintf(stderr, "buzon: notices: could not forget the old sent notices (will try again)\n");
    free(plans);
    c->cat_drop(c->cat_arg, cat);
}

/* ---- sending ------------------------------------------------------------------- */

typedef struct upload {
    const char *data;
    size_t len, off;
} upload_t;

static size_t read_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
    upload_t *u = arg;
    size_t room = size * nmemb, left = u->len - u->off;
    size_t k = left < room ? left : room;
    memcpy(ptr, u->data + u->off, k);
    u->off += k;
    return k;
}

static size_t discard_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
    (void)ptr;
    (void)arg;
    return size * nmemb;
}

/* Abandon a transfer when the notifier is stopping. */
static int progress_cb(void *arg, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    (void)a;
    (void)b;
    (void)c;
    (void)d;
    notifier_t *n = arg;
    return atomic_load(&n->abort_send) ? 1 : 0;
}

/* The options every transfer shares. */
static void common_opts(notifier_t *n, CURL *h, char *errbuf)
{
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)CONNECT_TIMEOUT_S);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)SEND_TIMEOUT_S);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, progress_cb);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, n);
    errbuf[0] = '\0';
}

/* The cause staff are told of for libcurl's rc (notice_fail_t). SMTP's
 * refusals of MAIL FROM and RCPT TO come back as CURLE_SEND_ERROR (the
 * relay answered 5xx to a command, "MAIL failed: 553"). */
static notice_fail_t curl_cause(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_GOT_NOTHING:
        return NOTICE_FAIL_CONNECT;
    case CURLE_SEND_ERROR:
        return NOTICE_FAIL_REFUSED;
    case CURLE_LOGIN_DENIED:
    case CURLE_AUTH_ERROR:
        return NOTICE_FAIL_AUTH;
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
        return NOTICE_FAIL_TLS;
    case CURLE_OPERATION_TIMEDOUT:
        return NOTICE_FAIL_TIMEOUT;
    default:
        return NOTICE_FAIL_OTHER;
    }
}

/* The error text of a failed transfer into out: "<cause tag>: <libcurl's
 * text>" (notice_fail_parse reads it back for the home page). */
static void curl_error(CURLcode rc, const char *errbuf, char *out, size_t len)
{
    snprintf(out, len, "%s: %s", notice_fail_tag(curl_cause(rc)), errbuf[0] ? errbuf : curl_easy_strerror(rc));
}

/* Send one message (v[0..k), all to v[0].address) through the relay.
 * true, or false with the reason in err. */
static bool send_email(notifier_t *n, const notice_t *v, size_t k, const catalog_t *cat, char *err,
                       size_t errlen)
{
    const notifier_config_t *c = &n->cfg;
    const char **labels = xcalloc(k, sizeof *labels);
    for (size_t i = 0; i < k; i++) {
        const service_t *s = v[i].service && *v[i].service ? points_service(&cat->points, v[i].service) : NULL;
        labels[i] = !s ? v[i].service
                    : v[i].lang == LANG_HT && s->label_ht && *s->label_ht ? s->label_ht : s->label_es;
    }
    buf_t msg, from, to;
    buf_init(&msg);
    buf_init(&from);
    buf_init(&to);
    notice_email(&msg, v, k, labels, c->smtp_from, c->base_url, (int64_t)time(NULL));
    free(labels);
    buf_printf(&from, "<%s>", c->smtp_from);
    buf_printf(&to, "<%s>", v[0].address);
    bool ok = false;
    CURL *h = curl_easy_init();
    if (!h) {
        snprintf(err, errlen, "libcurl: out of memory");
        goto out;
    }
    char errbuf[CURL_ERROR_SIZE];
    common_opts(n, h, errbuf);
    struct curl_slist *rcpt = curl_slist_append(NULL, to.data);
    upload_t u = { msg.data, msg.len, 0 };
    curl_easy_setopt(h, CURLOPT_URL, c->smtp_url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    /* STARTTLS when the relay offers it; required when a password would
     * otherwise cross the network in the clear. */
    bool creds = c->smtp_user || strchr(c->smtp_url + strcspn(c->smtp_url, ":") + 3, '@');
    curl_easy_setopt(h, CURLOPT_USE_SSL, creds ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
    if (c->smtp_user) curl_easy_setopt(h, CURLOPT_USERNAME, c->smtp_user);
    if (c->smtp_password) curl_easy_setopt(h, CURLOPT_PASSWORD, c->smtp_password);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.data);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, &u);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg.len);
    CURLcode rc = curl_easy_perform(h);
    ok = rc == CURLE_OK;
    if (!ok) curl_error(rc, errbuf, err, errlen);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(h);
out:
    buf_free(&msg);
    buf_free(&from);
    buf_free(&to);
    return ok;
}

/* POST notice v to the webhook, signed. true, or false with err. */
static bool send_webhook(notifier_t *n, const notice_t *v, char *err, size_t errlen)
{
    const notifier_config_t *c = &n->cfg;
    buf_t body, h1, h2, h3;
    buf_init(&body);
    buf_init(&h1);
    buf_init(&h2);
    buf_init(&h3);
    notice_json(&body, v, c->base_url);
    int64_t ts = (int64_t)time(NULL);
    char sig[NOTICE_SIG_LEN + 1];
    notice_sign(c->webhook_key, c->webhook_keylen, ts, body.data, body.len, sig);
    buf_printf(&h1, "X-Buzon-Timestamp: %lld", (long long)ts);
    buf_printf(&h2, "X-Buzon-Signature: %s", sig);
    buf_printf(&h3, "X-Buzon-Delivery: %lld", (long long)v->id);
    bool ok = false;
    CURL *h = curl_easy_init();
    if (!h) {
        snprintf(err, errlen, "libcurl: out of memory");
        goto out;
    }
    char errbuf[CURL_ERROR_SIZE];
    common_opts(n, h, errbuf);
    struct curl_slist *hd = curl_slist_append(NULL, "Content-Type: application/json");
    hd = curl_slist_append(hd, h1.data);
    hd = curl_slist_append(hd, h2.data);
    hd = curl_slist_append(hd, h3.data);
    hd = curl_slist_append(hd, "Expect:");
    curl_easy_setopt(h, CURLOPT_URL, c->webhook_url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body.len);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_cb);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "buzon-notifier");
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK) curl_error(rc, errbuf, err, errlen);
    else if (status < 200 || status > 299) snprintf(err, errlen, "%s: webhook answered HTTP %ld",
                                                          notice_fail_tag(NOTICE_FAIL_HTTP), status);
    else ok = true;
    curl_slist_free_all(hd);
    curl_easy_cleanup(h);
out:
    buf_free(&body);
    buf_free(&h1);
    buf_free(&h2);
    buf_free(&h3);
    return ok;
}

/* Record the outcome for rows v[idx[0..k)). */
static void record(notifier_t *n, const char *channel, const notice_t *v, const size_t *idx, size_t k,
                   bool ok, const char *err)
{
    int64_t *ids = xcalloc(k, sizeof *ids);
    int attempts = 0;
    for (size_t i = 0; i < k; i++) {
        ids[i] = v[idx[i]].id;
        if (v[idx[i]].attempts > attempts) attempts = v[idx[i]].attempts;
    }
    int64_t base = (int64_t)(n->cfg.interval_s * 1000);
    int64_t retry = now_ms() + notice_backoff_ms(base, attempts + 1);
    if (!ok)
        fprintf(stderr, "buzon: notice %s to %s%s%s failed (attempt %d, retry in %.1f s): %s\n",
                v[idx[0]].kind, channel, *v[idx[0]].recipient ? ":" : "", v[idx[0]].recipient,
                attempts + 1, (double)notice_backoff_ms(base, attempts + 1) / 1000, err);
    if (store_notice_done(n->cfg.store, channel, ids, k, ok ? NULL : err, (int64_t)time(NULL), retry)
        != STORE_OK)
        fprintf(stderr, "buzon: notices: could not record a send (it will be sent again)\n");
    free(ids);
}

static bool stopping(notifier_t *n)
{
    pthread_mutex_lock(&n->mu);
    bool s = n->stopping;
    pthread_mutex_unlock(&n->mu);
    return s;
}

/* Send what is due from the outbox, a batch at a time. */
static void send_due(notifier_t *n)
{
    const notifier_config_t *c = &n->cfg;
    const catalog_t *cat = c->cat_take(c->cat_arg);
    for (int round = 0; round < 10 && !stopping(n); round++) {
        notice_t *v;
        size_t nv;
        if (store_notice_due(c->store, c->smtp_url != NULL, c->webhook_url != NULL, now_ms(), SEND_BATCH, &v,
                             &nv) != STORE_OK || nv == 0) {
            notice_free(v, nv);
            break;
        }
        bool *done = xcalloc(nv, sizeof *done);
        size_t *idx = xcalloc(nv, sizeof *idx);
        char err[CURL_ERROR_SIZE + 64];
        for (size_t i = 0; i < nv && !stopping(n); i++) {
            if (done[i]) continue;
            size_t k = 0;
            idx[k++] = i;
            done[i] = true;
            bool ok;
            if (!strcmp(v[i].channel, "webhook")) {
                ok = send_webhook(n, &v[i], err, sizeof err);
            } else {
                /* A digest gathers every due row of the same address. */
                if (c->digest_hour >= 0)
                    for (size_t j = i + 1; j < nv; j++)
                        if (!done[j] && !strcmp(v[j].channel, "email") && !strcmp(v[j].address, v[i].address)) {
                            idx[k++] = j;
                            done[j] = true;
                        }
                notice_t *group = xcalloc(k, sizeof *group);
                for (size_t j = 0; j < k; j++) group[j] = v[idx[j]];   /* shallow: v owns the strings */
                ok = send_email(n, group, k, cat, err, sizeof err);
                free(group);
            }
            if (!ok && atomic_load(&n->abort_send)) break;   /* stopped mid-send: leave it pending */
            record(n, v[i].channel, v, idx, k, ok, err);
        }
        free(done);
        free(idx);
        notice_free(v, nv);
        if (nv < SEND_BATCH) break;
    }
    c->cat_drop(c->cat_arg, cat);
}

static void *run(void *arg)
{
    notifier_t *n = arg;
    for (;;) {
        scan(n);
        send_due(n);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        int64_t ns = (int64_t)until.tv_nsec + (int64_t)(n->cfg.interval_s * 1e9);
        until.tv_sec += (time_t)(ns / 1000000000);
        until.tv_nsec = (long)(ns % 1000000000);
        pthread_mutex_lock(&n->mu);
        while (!n->stopping && pthread_cond_timedwait(&n->cv, &n->mu, &until) != ETIMEDOUT) {
        }
        bool stop = n->stopping;
        pthread_mutex_unlock(&n->mu);
        if (stop) break;
    }
    return NULL;
}

notifier_t *notifier_start(const notifier_config_t *cfg)
{
    if (!cfg->smtp_url && !cfg->webhook_url) return NULL;
    notifier_t *n = xcalloc(1, sizeof *n);
    n->cfg = *cfg;
    atomic_init(&n->abort_send, false);
    pthread_mutex_init(&n->mu, NULL);
    pthread_cond_init(&n->cv, NULL);
    if (pthread_create(&n->thread, NULL, run, n) != 0) {
        fprintf(stderr, "buzon: cannot start the notifier thread\n");
        pthread_mutex_destroy(&n->mu);
        pthread_cond_destroy(&n->cv);
        free(n);
        return NULL;
    }
    return n;
}

void notifier_stop(notifier_t *n)
{
    if (!n) return;
    pthread_mutex_lock(&n->mu);
    n->stopping = true;
    atomic_store(&n->abort_send, true);
    pthread_cond_signal(&n->cv);
    pthread_mutex_unlock(&n->mu);
    pthread_join(n->thread, NULL);
    pthread_mutex_destroy(&n->mu);
    pthread_cond_destroy(&n->cv);
    free(n);
}
