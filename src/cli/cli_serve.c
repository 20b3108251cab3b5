/*
 * cli_serve.c: `buzon serve`, the web server's command line. Runs until
 * SIGINT or SIGTERM, then stops accepting, lets requests in flight finish,
 * closes the database and exits 0.
 *
 * --ready-fd N (for tests and supervisors): once listening, the port is
 * written to file descriptor N as a decimal line and N is closed, so a
 * caller can start the server on --port 0 and learn the port without
 * polling.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <stddef.h>
#include <stdint.h>
#include <sodium.h>

#include "http/app.h"
#include "base/buf.h"
#include "base/logtext.h"
#include "base/url.h"
#include "model/auth.h"
#include "model/indicators.h"
#include "model/notice.h"
#include "cli/cli.h"
#include "cli/cli_help.h"
#include "cli/cli_db.h"
#include "http/http.h"
#include "service/casework.h"
#include "service/notifier.h"
#include "service/staff.h"

/* The synopsis on stderr (cli_help.c); returns 2. */
static int usage(void)
{
    return cli_usage_error("serve");
}

/* Parse a whole decimal number in [lo, hi]; false otherwise. */
static bool parse_uint(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
    if (!s || !*s) return false;
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || s[0] == '-' || v < lo || v > hi) return false;
    *out = v;
    return true;
}

/* The database this run created, with SQLite's -wal and -shm beside it. */
static void remove_db(const char *path)
{
    char side[4096];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

/* ---- issue 18: staff notices (service/notifier.h) ---- */

typedef struct notice_opts {
    const char *smtp, *smtp_from, *smtp_creds_file, *webhook, *webhook_secret_file;
    double interval_s;
    int digest_hour;
    char *smtp_user, *smtp_password;      /* from smtp_creds_file */
    unsigned char *key; size_t keylen;    /* from webhook_secret_file */
    notifier_config_t nc;
} notice_opts_t;

/* Take a notice option: 1 taken, 0 not one of them, 2 bad value (said). */
static int notice_option(notice_opts_t *o, const char *opt, const char *val)
{
    if (!strcmp(opt, "--smtp")) o->smtp = val;
    else if (!strcmp(opt, "--smtp-from")) o->smtp_from = val;
    else if (!strcmp(opt, "--smtp-credentials-file")) o->smtp_creds_file = val;
    else if (!strcmp(opt, "--webhook")) o->webhook = val;
    else if (!strcmp(opt, "--webhook-secret-file")) o->webhook_secret_file = val;
    else if (!strcmp(opt, "--notice-interval")) {
        char *end;
        double v = strtod(val, &end);
        if (*end || !(v >= 0.05 && v <= 86400)) {
            fprintf(stderr, "buzon serve: --notice-interval must be a number of seconds from 0.05 to 86400\n");
            return 2;
        }
        o->interval_s = v;
    } else if (!strcmp(opt, "--notice-digest")) {
        unsigned long h;
        if (!parse_uint(val, 0, 23, &h)) {
            fprintf(stderr, "buzon serve: --notice-digest must be the local hour (0 to 23) of the daily digest\n");
            return 2;
        }
        o->digest_hour = (int)h;
    } else {
        return 0;
    }
    return 1;
}

/* A small secret file's bytes (up to 4 KiB) without a trailing newline,
 * malloc'd (the caller wipes and frees them), or NULL (said). */
static char *read_secret(const char *path, const char *what, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "buzon serve: cannot read %s %s: %s\n", what, path, strerror(errno));
        return NULL;
    }
    char *b = calloc(1, 4097);
    size_t n = b ? fread(b, 1, 4096, f) : 0;
    fclose(f);
    while (n && (b[n - 1] == '\n' || b[n - 1] == '\r')) b[--n] = '\0';
    if (!b || !n) {
        fprintf(stderr, "buzon serve: %s %s is empty\n", what, path);
        free(b);
        return NULL;
    }
    *len = n;
    return b;
}

/* Check the notice options together and read their files. */
/* issue 18: whether url has a byte below 0x20 or DEL (a CR/LF would
 * break the start-up log line and has no place in a URL). */
static bool has_control(const char *url)
{
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p < 0x20 || *p == 0x7f) return true;
    return false;
}

/* issue 18: whether url (scheme://user:password@host...) carries a
 * password in its authority. */
static bool url_has_password(const char *url)
{
    const char *h = strstr(url, "://");
    if (!h) return false;
    h += 3;
    size_t end = strcspn(h, "/?#"), at = strcspn(h, "@");
    return at < end && memchr(h, ':', at) != NULL;
}

/* issue 18: the start-up line's URL: redacted (no credentials), then
 * escaped as the request log is (base/logtext.h). Caller frees. */
static char *url_for_log(const char *url)
{
    char *r = notifier_redact_url(url);
    size_t max = strlen(r) * 3 + 8;
    char *out = malloc(max + 1);
    if (out) *logtext_put(out, r, max) = '\0';
    free(r);
    return out;
}

static bool notice_opts_check(notice_opts_t *o)
{
    if ((o->smtp && has_control(o->smtp)) || (o->webhook && has_control(o->webhook))) {
        fprintf(stderr, "buzon serve: the %s URL holds a control character (a line break?): write it on one line\n",
                o->smtp && has_control(o->smtp) ? "--smtp" : "--webhook");
        return false;
    }
    if (o->smtp && (strncmp(o->smtp, "smtp://", 7) && strncmp(o->smtp, "smtps://", 8))) {
        fputs("buzon serve: --smtp must be an smtp:// or smtps:// URL\n", stderr);
        return false;
    }
    if (!o->smtp != !o->smtp_from) {
        fputs(o->smtp ? "buzon serve: --smtp needs --smtp-from (the sender's address, e.g. buzon@banica.gob.do)\n"
                      : "buzon serve: --smtp-from needs --smtp (the relay's smtp:// or smtps:// URL)\n", stderr);
        return false;
    }
    /* issue 18 follow-up: say why; a relay on this machine may be
     * addressed as buzon@localhost (a domain without a dot). */
    const char *why = o->smtp_from ? notice_email_why(o->smtp_from, true) : NULL;
    if (why) {
        fprintf(stderr, "buzon serve: --smtp-from is not a usable sender address: %s\n", why);
        return false;
    }
    if (o->smtp_creds_file && !o->smtp) {
        fputs("buzon serve: --smtp-credentials-file needs --smtp\n", stderr);
        return false;
    }
    if (o->webhook && strncmp(o->webhook, "http://", 7) && strncmp(o->webhook, "https://", 8)) {
        fputs("buzon serve: --webhook must be an http:// or https:// URL\n", stderr);
        return false;
    }
    if (!o->webhook != !o->webhook_secret_file) {
        fputs("buzon serve: --webhook and --webhook-secret-file (the shared secret that signs each POST) go together\n",
              stderr);
        return false;
    }
    if (o->smtp_creds_file) {
        size_t n;
        char *c = read_secret(o->smtp_creds_file, "the SMTP credentials file", &n);
        char *colon = c ? strchr(c, ':') : NULL;
        if (!colon) {
            if (c) fprintf(stderr, "buzon serve: %s must hold one line user:password\n", o->smtp_creds_file);
            free(c);
            return false;
        }
        *colon = '\0';
        o->smtp_user = strdup(c);
        o->smtp_password = strdup(colon + 1);
        sodium_memzero(c, n);
        free(c);
    }
    if (o->webhook_secret_file) {
        char *k = read_secret(o->webhook_secret_file, "the webhook secret file", &o->keylen);
        if (!k) return false;
        o->key = (unsigned char *)k;
        /* A guessable secret would let anyone forge notices to the gateway. */
        if (o->keylen < 16) {
            fprintf(stderr, "buzon serve: the webhook secret in %s is too short: use at least 16 random"
                            " characters (e.g. openssl rand -hex 32)\n", o->webhook_secret_file);
            return false;
        }
    }
    if ((o->smtp || o->webhook) && !notifier_global_init()) {
        fputs("buzon serve: libcurl could not start\n", stderr);
        return false;
    }
    return true;
}

static const catalog_t *notice_cat_take(void *arg)
{
    app_forms_t *f = app_forms_take(arg);
    return &f->cat;
}

static void notice_cat_drop(void *arg, const catalog_t *cat)
{
    app_forms_drop(arg, (app_forms_t *)((uintptr_t)cat - offsetof(app_forms_t, cat)));
}

/* Start the notifier when a channel is configured; says so (without
 * credentials). NULL otherwise. */
static notifier_t *notice_start(notice_opts_t *o, app_t *app)
{
    if (!o->smtp && !o->webhook) return NULL;
    o->nc = (notifier_config_t){ .store = app->store, .base_url = app->base_url, .smtp_url = o->smtp,
                                 .smtp_from = o->smtp_from, .smtp_user = o->smtp_user,
                                 .smtp_password = o->smtp_password, .webhook_url = o->webhook,
                                 .webhook_key = o->key, .webhook_keylen = o->keylen,
                                 .interval_s = o->interval_s, .digest_hour = o->digest_hour,
                                 .cat_take = notice_cat_take, .cat_drop = notice_cat_drop, .cat_arg = app };
    notifier_t *n = notifier_start(&o->nc);
    if (n && o->smtp) {
        char *r = url_for_log(o->smtp);
        fprintf(stderr, "buzon: staff notices by email through %s from %s%s\n", r ? r : "?", o->smtp_from,
                o->digest_hour >= 0 ? " (one daily digest)" : "");
        free(r);
        /* issue 18: the command line is readable by every user (ps). */
        if (url_has_password(o->smtp))
            fputs("buzon: warning: the --smtp URL holds a password, which anyone on this machine can read"
                  " in ps; put user:password in --smtp-credentials-file instead\n", stderr);
    }
    if (n && o->webhook) {
        char *r = url_for_log(o->webhook);
        fprintf(stderr, "buzon: staff notices to the webhook %s (signed)\n", r ? r : "?");
        free(r);
    }
    return n;
}

static void notice_opts_free(notice_opts_t *o)
{
    if (o->smtp_password) sodium_memzero(o->smtp_password, strlen(o->smtp_password));
    free(o->smtp_user);
    free(o->smtp_password);
    if (o->key) sodium_memzero(o->key, o->keylen);
    free(o->key);
}

int cli_serve(int argc, char **argv)
{
    /* Block-buffer stderr, where the request log goes (one line per
     * request), so logging costs no system call per request; the main
     * loop below flushes it every second. It must be set before any
     * output on the stream. */
    static char logbuf[1 << 16];
    setvbuf(stderr, logbuf, _IOFBF, sizeof logbuf);

    app_config_t cfg = { .forms_dir = "forms", .www_dir = "www", .db_path = CLI_DEFAULT_DB,
                         .contact_retention_days = 30 };
    /* Per-address limits are generous: carrier-grade NAT puts many phones
     * behind one address. The total is well above ten addresses at their
     * limit, so that a handful of attacking addresses cannot fill it
     * (issue 14). */
    http_config_t hc = { .port = 8080, .max_body = 64 * 1024, .timeout_s = 15,
                         .request_timeout_s = 10, .max_conns = 4000, .max_conns_per_ip = 200,
                         .submit_per_min = 30 };
    const char *base_url = NULL;
    long ready_fd = -1;
    notice_opts_t no = { .interval_s = 60, .digest_hour = -1 };   /* issue 18: staff notices */

    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long n;
        if (!strcmp(opt, "--public-indicators")) {   /* a flag, without a value */
            cfg.public_indicators = true;
            continue;
        }
        if (!val) return cli_missing_value("serve", opt);
        i++;
        int nrc = notice_option(&no, opt, val);
        if (nrc == 2) return 2;
        if (nrc == 1) continue;
        if (!strcmp(opt, "--port")) {
            if (!parse_uint(val, 0, 65535, &n)) {
                fprintf(stderr, "buzon serve: --port must be a number from 0 to 65535, not '%s'\n", val);
                return 2;
            }
            hc.port = (unsigned)n;
        } else if (!strcmp(opt, "--threads")) {
            if (!parse_uint(val, 1, 256, &n)) {
                fprintf(stderr, "buzon serve: --threads must be a number from 1 to 256\n");
                return 2;
            }
            hc.threads = (unsigned)n;
        } else if (!strcmp(opt, "--rate-limit")) {
            if (!parse_uint(val, 0, 100000, &n)) {
                fprintf(stderr, "buzon serve: --rate-limit must be a number of submissions per minute (0: no limit)\n");
                return 2;
            }
            hc.submit_per_min = (unsigned)n;
        } else if (!strcmp(opt, "--timeout")) {
            if (!parse_uint(val, 1, 3600, &n)) {
                fprintf(stderr, "buzon serve: --timeout must be a number of seconds from 1 to 3600\n");
                return 2;
            }
            hc.timeout_s = (unsigned)n;
        } else if (!strcmp(opt, "--request-timeout")) {
            if (!parse_uint(val, 1, 3600, &n)) {
                fprintf(stderr, "buzon serve: --request-timeout must be a number of seconds from 1 to 3600\n");
                return 2;
            }
            hc.request_timeout_s = (unsigned)n;
        } else if (!strcmp(opt, "--max-connections")) {
            if (!parse_uint(val, 1, 100000, &n)) {
                fprintf(stderr, "buzon serve: --max-connections must be a number from 1 to 100000\n");
                return 2;
            }
            hc.max_conns = (unsigned)n;
        } else if (!strcmp(opt, "--max-connections-per-ip")) {
            if (!parse_uint(val, 1, 100000, &n)) {
                fprintf(stderr, "buzon serve: --max-connections-per-ip must be a number from 1 to 100000\n");
                return 2;
            }
            hc.max_conns_per_ip = (unsigned)n;
        } else if (!strcmp(opt, "--min-cell")) {
            if (!parse_uint(val, IND_THRESHOLD_MIN, IND_THRESHOLD_MAX, &n)) {
                fprintf(stderr, "buzon serve: --min-cell must be a number of answers from %d to %d\n",
                        IND_THRESHOLD_MIN, IND_THRESHOLD_MAX);
                return 2;
            }
            cfg.min_cell = (int)n;
        } else if (!strcmp(opt, "--contact-retention-days")) {
            if (!parse_uint(val, 1, 3650, &n)) {
                fprintf(stderr, "buzon serve: --contact-retention-days must be a number of days from 1 to 3650\n");
                return 2;
            }
            cfg.contact_retention_days = (int)n;
        } else if (!strcmp(opt, "--ready-fd")) {
            if (!parse_uint(val, 3, 1024, &n)) {
                fprintf(stderr, "buzon serve: --ready-fd must be a descriptor number from 3\n");
                return 2;
            }
            ready_fd = (long)n;
        } else if (!strcmp(opt, "--db")) cfg.db_path = val;
        else if (!strcmp(opt, "--forms")) cfg.forms_dir = val;
        else if (!strcmp(opt, "--www")) cfg.www_dir = val;
        else if (!strcmp(opt, "--base-url")) base_url = val;
        else if (!strcmp(opt, "--listen")) hc.listen = val;
        else {
            fprintf(stderr, "buzon serve: unknown option %s\n", opt);
            return usage();
        }
    }
    /* Without --base-url, http_start sets http://localhost:<bound port>. */
    if (base_url && !url_base_valid(base_url)) {
        fprintf(stderr, "buzon serve: --base-url must look like http://host[:port][/path], not '%s'\n",
                base_url);
        return 2;
    }
    cfg.base_url = base_url;
    cfg.program = cli_program();
    if (!notice_opts_check(&no)) return 2;

    /* Signals are taken synchronously by this thread only: block them
     * before any server thread exists so every thread inherits the mask. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    app_t app;
    bool fresh_db = access(cfg.db_path, F_OK) != 0;
    /* An empty or damaged file is refused before anything writes to it
     * (issue 14): SQLite would make the one a new database and take
     * answers into the other. */
    if (!fresh_db && (!cli_db_not_empty("serve", cfg.db_path) || !cli_db_sound("serve", cfg.db_path)))
        return 1;
    if (app_open(&app, &cfg) < 0) {
        if (fresh_db) remove_db(cfg.db_path);
        return 1;
    }
    http_server_t *srv = http_start(&app, &hc);
    if (!srv) {
        app_close(&app);
        if (fresh_db) remove_db(cfg.db_path);   /* a failed start leaves nothing behind */
        return 1;
    }
    if (fresh_db) cli_db_say_created(cfg.db_path);
    unsigned port = http_port(srv);
    fprintf(stderr, "buzon: serving %zu surveys and %zu service points on http://%s:%u/ (database %s)\n",
            app.forms->cat.nforms, app.forms->cat.points.npoints, hc.listen ? hc.listen : "localhost", port, cfg.db_path);
    if (app_base_url_is_loopback(&app))
        fprintf(stderr, "buzon: posters and short links will point to %s, which no phone can open.\n"
                        "       Before printing posters, restart with the public address: --base-url URL\n"
                        "       (make run BASE_URL=URL; as a service, BUZON_OPTS=--base-url URL in /etc/default/buzon)\n",
                app.base_url);
    struct stat st;
    if (stat(cfg.db_path, &st) == 0 && (st.st_mode & 077))
        fprintf(stderr, "buzon: %s can be read by other users of this machine (mode %03o), and it holds\n"
                        "       complainants' names and phones: chmod 600 %s\n",
                cfg.db_path, (unsigned)(st.st_mode & 0777), cfg.db_path);
    if (staff_user_count(app.store, ROLE_ADMIN) == 0)
        fprintf(stderr, "buzon: no staff account yet. Create the first admin (it prints a password) with:\n"
                        "  %s user add admin --role admin%s%s\n", cli_program(),
                strcmp(cfg.db_path, CLI_DEFAULT_DB) ? " --db " : "",
                strcmp(cfg.db_path, CLI_DEFAULT_DB) ? cfg.db_path : "");
    notifier_t *notifier = notice_start(&no, &app);
    fflush(stderr);                   /* the start-up messages, now */
    if (ready_fd >= 0) {
        dprintf((int)ready_fd, "%u\n", port);
        close((int)ready_fd);
    }

    /* The request log (one line per request on stderr) is block-buffered
     * so that logging costs no system call per request; this loop flushes
     * it every second, so a line is at most a second late. It also runs
     * the hourly chores (contact details past their retention, cases.h)
     * until a signal says stop. */
    int sig;
    const struct timespec second = { 1, 0 };
    time_t next_chores = 0;
    do {
        /* Once a second: are the database files still the ones at the
         * path? (issue 14; the store logs it once and refuses writes.) */
        (void)svc_db_lost(app.store);
        fflush(stderr);
        if (time(NULL) >= next_chores) {
            cases_chores(app.store, app.contact_retention_days, (int64_t)time(NULL));
            next_chores = time(NULL) + 3600;
        }
    } while ((sig = sigtimedwait(&stop, NULL, &second)) < 0);
    fprintf(stderr, "buzon: %s received, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    notifier_stop(notifier);
    notice_opts_free(&no);
    http_stop(srv);
    app_close(&app);
    fflush(stderr);
    return 0;
}
