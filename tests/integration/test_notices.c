/*
 * test_notices.c: staff notices (issue 18 item 4) over real loopback
 * sockets: a real build/buzon tells a local SMTP sink (Debian's
 * python3-aiosmtpd) and a local webhook receiver (which verifies the
 * HMAC signature) of new cases, near-deadline and overdue cases and plan
 * actions about to end; an admin narrows an account to some services on
 * /usuarios; a relay that is down is reported on the staff home page and
 * audited, and the notice pending at a restart is delivered once when the
 * relay comes up. The far ends are tests/integration/notice_sink.py.
 * Every wait polls for a condition with a deadline; the notifier scans
 * every 0.1 s (--notice-interval).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "model/cases.h"
#include "staffsrv.h"
#include "testcheck.h"
#include "testsh.h"
#include "testsrv.h"

enum { WAIT_MS = 15000 };

static char work[256];              /* this test's folder: sinks' files, forms */
static testsrv_t srv;
static pid_t smtp_pid = -1, hook_pid = -1;
static unsigned smtp_port, hook_port;
static char mail_dir[300], hook_dir[300], secret[300];
static unsigned seq;

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A short pause between polls (never a synchronisation by itself). */
static void tick(void)
{
    const struct timespec t = { 0, 20 * 1000000 };
    nanosleep(&t, NULL);
}

/* A free loopback port (bound, read, closed): where the relay will be. */
static unsigned free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

/* Start notice_sink.py mode with args; waits (polling) for its ready file
 * and returns the port it listens on; *pid is set. */
static unsigned start_sink(const char *mode, unsigned port, const char *dir, const char *extra, pid_t *pid)
{
    char ready[320], portarg[16], script[512];
    snprintf(ready, sizeof ready, "%s/%s.ready", work, mode);
    unlink(ready);
    snprintf(portarg, sizeof portarg, "%u", port);
    snprintf(script, sizeof script, "%s/tests/integration/notice_sink.py", test_root());
    *pid = fork();
    assert_true(*pid >= 0);
    if (*pid == 0) {
        if (extra) execl("/usr/bin/python3", "python3", script, mode, portarg, dir, extra, ready, (char *)NULL);
        else execl("/usr/bin/python3", "python3", script, mode, portarg, dir, ready, (char *)NULL);
        _exit(127);
    }
    double until = mono_ms() + WAIT_MS;
    char *t;
    while (!(t = test_slurp(ready))) {
        int st;
        if (waitpid(*pid, &st, WNOHANG) == *pid) fail_msg("notice_sink.py %s exited", mode);
        if (mono_ms() > until) fail_msg("notice_sink.py %s did not start", mode);
        tick();
    }
    unsigned p = (unsigned)atoi(t);
    free(t);
    return p;
}

static void stop_sink(pid_t *pid)
{
    if (*pid <= 0) return;
    kill(*pid, SIGTERM);
    waitpid(*pid, NULL, 0);
    *pid = -1;
}

/* The files in dir whose names start with prefix, concatenated with a
 * line "== name" before each (caller frees); *count: how many. */
static char *read_dir(const char *dir, const char *prefix, int *count)
{
    buf_t b;
    buf_init(&b);
    buf_puts(&b, "");
    *count = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strncmp(e->d_name, prefix, strlen(prefix))) continue;
        char path[600];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char *t = test_slurp(path);
        buf_printf(&b, "== %s\n%s\n", e->d_name, t ? t : "");
        free(t);
        (*count)++;
    }
    if (d) closedir(d);
    return buf_steal(&b);
}

/* How many messages in the sink went to address to and hold what. */
static int mails_to(const char *to, const char *what)
{
    int n = 0, k = 0;
    char *all = read_dir(mail_dir, "mail-", &k);
    char rcpt[128];
    snprintf(rcpt, sizeof rcpt, "X-Rcpt: %s\r\n", to);
    for (char *m = strstr(all, "== "); m;) {
        char *next = strstr(m + 3, "\n== ");
        if (next) *next = '\0';
        if (strstr(m, rcpt) && (!what || strstr(m, what))) n++;
        m = next ? next + 1 : NULL;
    }
    free(all);
    return n;
}

/* Poll until mails_to(to, what) reaches n (fails after WAIT_MS). */
static void wait_mails(const char *to, const char *what, int n)
{
    double until = mono_ms() + WAIT_MS;
    while (mails_to(to, what) < n) {
        if (mono_ms() > until) {
            int k;
            char *all = read_dir(mail_dir, "mail-", &k);
            char *log = test_slurp(srv.log);
            fail_msg("waited for %d mail(s) to %s with '%s'; the sink has:\n%s\nserver log:\n%s", n, to,
                     what ? what : "", all, log ? log : "");
        }
        tick();
    }
}

static long long db_int(const char *sql)
{
    return test_db_int(srv.db, sql);
}

static void wait_db(const char *sql, long long want)
{
    double until = mono_ms() + WAIT_MS;
    while (db_int(sql) != want) {
        if (mono_ms() > until) fail_msg("waited for %s = %lld, have %lld", sql, want, db_int(sql));
        tick();
    }
}

/* `buzon user add name --role role [--email email] [--lang lang]` on the
 * server's database, the password on stdin as an administrator would; 0
 * when created. */
static int add_user_lang(const char *name, const char *role, const char *email, const char *lang)
{
    const char *bin = getenv("BUZON_BIN");
    buf_t cmd;
    buf_init(&cmd);
    buf_printf(&cmd, "'%s' user add %s --role %s%s%s%s%s --db '%s' >/dev/null", bin ? bin : "build/buzon", name,
               role, email ? " --email " : "", email ? email : "", lang ? " --lang " : "", lang ? lang : "",
               srv.db);
    FILE *p = popen(cmd.data, "w");
    buf_free(&cmd);
    if (!p) return -1;
    fprintf(p, "%s-password-1\n", name);
    int st = pclose(p);
    return st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int add_user(const char *name, const char *role, const char *email)
{
    return add_user_lang(name, role, email, NULL);
}

/* Submit a complaint about service; its code into code. */
static void complain(const char *service, char code[CASE_CODE_LEN + 1])
{
    char body[256];
    snprintf(body, sizeof body, "_sid=noti0000-0000-4000-8000-%012u&servicio=%s&comentario_tipo=queja"
                                "&comentario=Secreto+del+ciudadano&quiere_respuesta=si&contacto_consent=si"
                                "&contacto_nombre=Rosa+Privada&contacto_telefono=809-555-0199", ++seq, service);
    http_resp_t r;
    assert_int_equal(http_post(srv.port, "/e/quejas?lang=es", body, &r), 0);
    if (r.status != 303) fail_msg("complaint: %d", r.status);
    char *loc = http_header(&r, "Location");
    const char *c = strstr(loc, "&c=");
    snprintf(code, CASE_CODE_LEN + 1, "%s", c ? c + 3 : "");
    free(loc);
    http_resp_free(&r);
    assert_int_equal(strlen(code), CASE_CODE_LEN);
}

/* Start the server with the notifier's options (smtp port 0: no email;
 * webhook false: none) and extra (NULL-terminated, may be NULL). */
static void start_server(unsigned relay, bool webhook, const char *forms, bool restart)
{
    char smtp[64], hook[64];
    snprintf(smtp, sizeof smtp, "smtp://127.0.0.1:%u", relay);
    snprintf(hook, sizeof hook, "http://127.0.0.1:%u/avisos", hook_port);
    const char *args[16];
    int k = 0;
    args[k++] = "--notice-interval";
    args[k++] = "0.1";
    args[k++] = "--base-url";
    args[k++] = "https://buzon.example.do";
    if (relay) {
        args[k++] = "--smtp";
        args[k++] = smtp;
        args[k++] = "--smtp-from";
        args[k++] = "buzon@banica.gob.do";
    }
    if (webhook) {
        args[k++] = "--webhook";
        args[k++] = hook;
        args[k++] = "--webhook-secret-file";
        args[k++] = secret;
    }
    args[k] = NULL;
    assert_int_equal(restart ? testsrv_restart(&srv, forms, args) : testsrv_start(&srv, forms, args), 0);
}

static int setup(void **state)
{
    (void)state;
    if (test_mkdtemp(work, sizeof work, "notices") != 0) return -1;
    snprintf(mail_dir, sizeof mail_dir, "%s/mail", work);
    snprintf(hook_dir, sizeof hook_dir, "%s/hook", work);
    snprintf(secret, sizeof secret, "%s/secret", work);
    FILE *f = fopen(secret, "w");
    if (!f) return -1;
    fputs("un-secreto-compartido-de-prueba\n", f);
    fclose(f);
    return test_sh(work, NULL, NULL, "mkdir -p '%s' '%s'", mail_dir, hook_dir);
}

static int teardown(void **state)
{
    (void)state;
    stop_sink(&smtp_pid);
    stop_sink(&hook_pid);
    int rc = srv.pid > 0 ? testsrv_stop(&srv) : 0;
    test_rmtree(work);
    return rc == 0 ? 0 : -1;
}

/* ---- tests --------------------------------------------------------------------- */

/* A new case reaches every atencion and admin account with an address,
 * by email and once to the webhook (signature verified by the receiver);
 * lectura and accounts without an address hear nothing; no citizen data
 * travels; each send is audited. A case past its deadline and one due
 * today get their own notices. */
static void test_new_and_overdue_cases_reach_staff_and_the_webhook(void **state)
{
    (void)state;
    smtp_port = start_sink("smtp", 0, mail_dir, NULL, &smtp_pid);
    hook_port = start_sink("webhook", 0, hook_dir, secret, &hook_pid);
    start_server(smtp_port, true, NULL, false);
    assert_int_equal(add_user("ana", "atencion", "ana@banica.gob.do"), 0);
    assert_int_equal(add_user("jefa", "admin", "jefa@banica.gob.do"), 0);
    assert_int_equal(add_user("luis", "lectura", "luis@banica.gob.do"), 0);
    assert_int_equal(add_user("pedro", "atencion", NULL), 0);

    char code[CASE_CODE_LEN + 1], pretty[CASE_CODE_LEN + 3];
    complain("mercado", code);
    case_code_pretty(code, pretty);
    char subject[64];
    snprintf(subject, sizeof subject, "Subject: Caso nuevo %s", pretty);
    wait_mails("ana@banica.gob.do", subject, 1);
    wait_mails("jefa@banica.gob.do", subject, 1);
    int k;
    char *mails = read_dir(mail_dir, "mail-", &k);
    char link[128];
    snprintf(link, sizeof link, "https://buzon.example.do/casos/%s", code);
    test_has(mails, link);
    test_has(mails, "Servicio: Mercado municipal");
    test_has(mails, "Tipo: Queja\r\n");           /* issue 18 follow-up: the case's kind */
    test_has(mails, "Fecha límite (Carta de Servicios): ");
    test_lacks(mails, "Secreto");                 /* the citizen's words */
    test_lacks(mails, "Rosa");                    /* name */
    test_lacks(mails, "555-0199");                /* phone */
    test_lacks(mails, "luis@");
    free(mails);

    /* The webhook: one verified POST per notice, nothing refused. */
    double until = mono_ms() + WAIT_MS;
    char *hooks;
    while (hooks = read_dir(hook_dir, "hook-", &k), !strstr(hooks, code)) {
        free(hooks);
        if (mono_ms() > until) fail_msg("no webhook POST for %s", code);
        tick();
    }
    test_has(hooks, "\"event\":\"caso_nuevo\"");
    test_has(hooks, link);
    test_lacks(hooks, "Rosa");
    free(hooks);
    char *bad = read_dir(hook_dir, "bad-", &k);
    assert_int_equal(k, 0);
    free(bad);

    /* Audited: one entry per recipient and channel. */
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE action = 'aviso_enviado'"
                              " AND object = 'caso:%s'", code);
    wait_db(sql, 3);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE action = 'aviso_enviado'"
                              " AND object = 'caso:%s' AND detail = 'email:ana'", code);
    assert_int_equal(db_int(sql), 1);

    /* One case past its deadline, one due today. */
    char late[CASE_CODE_LEN + 1], soon[CASE_CODE_LEN + 1], pl[CASE_CODE_LEN + 3], ps[CASE_CODE_LEN + 3];
    complain("cementerio", late);
    complain("cementerio", soon);
    case_code_pretty(late, pl);
    case_code_pretty(soon, ps);
    buf_t q;
    buf_init(&q);
    buf_printf(&q, "UPDATE cases SET due_date = date('now', '-4 hours', '-3 days') WHERE code = '%s';"
                   "UPDATE cases SET due_date = date('now', '-4 hours') WHERE code = '%s';", late, soon);
    assert_int_equal(testsrv_db_exec(&srv, q.data), 0);
    buf_free(&q);
    snprintf(subject, sizeof subject, "Subject: Caso vencido %s", pl);
    wait_mails("ana@banica.gob.do", subject, 1);
    snprintf(subject, sizeof subject, "Subject: Caso a punto de vencer %s", ps);
    wait_mails("jefa@banica.gob.do", subject, 1);
    /* Scans go on; a notice is still sent once per recipient. */
    complain("oficina", code);
    case_code_pretty(code, pretty);
    snprintf(subject, sizeof subject, "Subject: Caso nuevo %s", pretty);
    wait_mails("ana@banica.gob.do", subject, 1);
    snprintf(subject, sizeof subject, "Subject: Caso vencido %s", pl);
    assert_int_equal(mails_to("ana@banica.gob.do", subject), 1);
    assert_int_equal(mails_to("pedro@banica.gob.do", NULL), 0);
}

/* An admin narrows an account to one service on /usuarios: it then hears
 * only of that service's cases; a bad address is refused there. */
static void test_an_admin_narrows_notices_per_service(void **state)
{
    (void)state;
    smtp_port = start_sink("smtp", 0, mail_dir, NULL, &smtp_pid);
    start_server(smtp_port, false, NULL, false);
    assert_int_equal(add_user("ana", "atencion", "ana@banica.gob.do"), 0);
    char boss[128];
    assert_int_equal(staffsrv_session(&srv, "jefa", "admin", boss, sizeof boss), 0);

    http_resp_t r;
    assert_int_equal(http_get(srv.port, "/usuarios", boss, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "value=\"ana@banica.gob.do\"");   /* the address is shown */
    char csrf[64], body[512];
    assert_int_equal(staff_csrf(&r, csrf, sizeof csrf), 0);
    http_resp_free(&r);
    snprintf(body, sizeof body, "_csrf=%s&accion=avisos&usuario=ana&correo=no-es-un-correo&servicio=matadero", csrf);
    assert_int_equal(http_post_with(srv.port, "/usuarios", boss, body, &r), 0);
    assert_int_equal(r.status, 422);
    test_has(r.body, "no es válida");
    http_resp_free(&r);
    snprintf(body, sizeof body, "_csrf=%s&accion=avisos&usuario=ana&correo=ana.g%%40banica.gob.do"
                                "&servicio=matadero&servicio=inventado", csrf);
    assert_int_equal(http_post_with(srv.port, "/usuarios", boss, body, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "Avisos guardados");
    http_resp_free(&r);
    assert_int_equal(db_int("SELECT count(*) FROM users WHERE name = 'ana' AND email = 'ana.g@banica.gob.do'"
                            " AND notice_services = 'matadero'"), 1);
    assert_int_equal(db_int("SELECT count(*) FROM audit WHERE action = 'avisos_usuario'"
                            " AND object = 'usuario:ana' AND actor = 'jefa'"), 1);
    /* issue 18: the audit page names it in words, not by its code */
    assert_int_equal(http_get(srv.port, "/auditoria", boss, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "<td>Avisos de la cuenta cambiados</td>");
    test_lacks(r.body, "avisos_usuario");
    http_resp_free(&r);

    char a[CASE_CODE_LEN + 1], b[CASE_CODE_LEN + 1], pa[CASE_CODE_LEN + 3], pb[CASE_CODE_LEN + 3];
    complain("mercado", a);
    complain("matadero", b);
    case_code_pretty(a, pa);
    case_code_pretty(b, pb);
    char subject[64];
    snprintf(subject, sizeof subject, "Subject: Caso nuevo %s", pb);
    wait_mails("ana.g@banica.gob.do", subject, 1);
    /* Both cases were scanned together (b after a): a's notice for ana
     * would be in the outbox by now, and is not. */
    wait_db("SELECT count(*) FROM notice_outbox WHERE sent_at IS NULL", 0);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM notice_outbox WHERE object = 'caso:%s'", a);
    assert_int_equal(db_int(sql), 0);
    snprintf(subject, sizeof subject, "Subject: Caso nuevo %s", pa);
    assert_int_equal(mails_to("ana.g@banica.gob.do", subject), 0);
}

/* The relay is down: the failure is retried, audited and shown on the
 * staff home page, nothing blocks (the citizen still gets the thank-you
 * page); the server restarts with the notice pending; the relay comes up
 * and the notice is delivered exactly once. */
static void test_a_relay_down_is_reported_and_the_pending_notice_survives_a_restart(void **state)
{
    (void)state;
    unsigned relay = free_port();
    start_server(relay, false, NULL, false);
    char boss[128];
    assert_int_equal(staffsrv_session(&srv, "jefa", "admin", boss, sizeof boss), 0);
    assert_int_equal(testsrv_db_exec(&srv, "UPDATE users SET email = 'jefa@banica.gob.do' WHERE name = 'jefa'"), 0);

    char code[CASE_CODE_LEN + 1], pretty[CASE_CODE_LEN + 3];
    double t0 = mono_ms();
    complain("oficina", code);                       /* answered at once, relay or not */
    assert_true(mono_ms() - t0 < 2000);
    case_code_pretty(code, pretty);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) > 0 FROM audit WHERE action = 'aviso_fallido'"
                              " AND object = 'caso:%s'", code);
    wait_db(sql, 1);
    double until = mono_ms() + WAIT_MS;
    for (;;) {
        http_resp_t r;
        assert_int_equal(http_get(srv.port, "/panel", boss, &r), 0);
        assert_int_equal(r.status, 200);
        bool shown = strstr(r.body, "id=avisos-error") && strstr(r.body, "<b id=avisos-pendientes>1</b>");
        if (shown) {
            test_has(r.body, "El último envío falló");
            /* issue 18 follow-up: the cause and what to do, in Spanish;
             * libcurl's English only in the small detail line. */
            test_has(r.body, "<p id=avisos-causa><b>No se pudo conectar con el servidor de correo");
            test_has(r.body, "Avise al informático: revise --smtp");
            test_has(r.body, "<small>Detalle técnico: <code id=avisos-error>");
            const char *cause = strstr(r.body, "id=avisos-causa"), *raw = strstr(r.body, "id=avisos-error");
            assert_true(cause && raw && cause < raw);
            test_lacks(r.body, "conexion:");
            http_resp_free(&r);
            assert_int_equal(http_get(srv.port, "/panel?lang=ht", boss, &r), 0);
            test_has(r.body, "Nou pa t ka konekte ak sèvè imèl la");
            http_resp_free(&r);
            break;
        }
        if (mono_ms() > until) fail_msg("the home page does not show the failure:\n%s", r.body);
        http_resp_free(&r);
        tick();
    }

    /* Restart with the notice pending and the relay still down. */
    assert_int_equal(testsrv_kill(&srv, SIGTERM), 0);
    assert_int_equal(db_int("SELECT count(*) FROM notice_outbox WHERE sent_at IS NULL"), 1);
    start_server(relay, false, NULL, true);
    /* Now the relay comes up on its port. */
    smtp_port = start_sink("smtp", relay, mail_dir, NULL, &smtp_pid);
    char subject[64];
    snprintf(subject, sizeof subject, "Subject: Caso nuevo %s", pretty);
    wait_mails("jefa@banica.gob.do", subject, 1);
    wait_db("SELECT count(*) FROM notice_outbox WHERE sent_at IS NULL", 0);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE action = 'aviso_enviado'"
                              " AND object = 'caso:%s'", code);
    assert_int_equal(db_int(sql), 1);
    /* A later case goes through too, and the first is not sent again. */
    char next[CASE_CODE_LEN + 1], pn[CASE_CODE_LEN + 3];
    complain("oficina", next);
    case_code_pretty(next, pn);
    char s2[64];
    snprintf(s2, sizeof s2, "Subject: Caso nuevo %s", pn);
    wait_mails("jefa@banica.gob.do", s2, 1);
    assert_int_equal(mails_to("jefa@banica.gob.do", subject), 1);
    /* The home page no longer shows an error. */
    http_resp_t r;
    assert_int_equal(http_get(srv.port, "/panel", boss, &r), 0);
    test_lacks(r.body, "id=avisos-error");
    http_resp_free(&r);
    /* issue 18: the audit page names the sent and the failed notice in words */
    assert_int_equal(http_get(srv.port, "/auditoria", boss, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "<td>Aviso enviado</td>");
    test_has(r.body, "<td>Aviso no enviado (se reintentará)</td>");
    test_lacks(r.body, "aviso_enviado");
    test_lacks(r.body, "aviso_fallido");
    http_resp_free(&r);
}

/* A plan action ending this month is told to planificacion and admin
 * accounts with an address (with its responsible unit), not to atencion. */
static void test_a_plan_action_about_to_end_is_told_to_planners(void **state)
{
    (void)state;
    char forms[320];
    snprintf(forms, sizeof forms, "%s/forms", work);
    time_t now = time(NULL) - 4 * 3600;   /* Dominican local time */
    struct tm tm;
    gmtime_r(&now, &tm);
    assert_int_equal(test_sh(work, NULL, NULL,
                             "cp -r '%s/forms' '%s' && sed -i 's/^2,4,4.5,2025-01,2025-02,/2,4,4.5,2025-01,%04d-%02d,/'"
                             " '%s/plan.csv' && grep -q '^2,4,4.5,2025-01,%04d-%02d,' '%s/plan.csv'",
                             test_root(), forms, tm.tm_year + 1900, tm.tm_mon + 1, forms, tm.tm_year + 1900,
                             tm.tm_mon + 1, forms),
                     0);
    smtp_port = start_sink("smtp", 0, mail_dir, NULL, &smtp_pid);
    hook_port = start_sink("webhook", 0, hook_dir, secret, &hook_pid);
    start_server(smtp_port, true, forms, false);
    assert_int_equal(add_user("ana", "atencion", "ana@banica.gob.do"), 0);
    assert_int_equal(add_user("plani", "planificacion", "plani@banica.gob.do"), 0);
    wait_mails("plani@banica.gob.do", "Subject: =?UTF-8?B?", 1);   /* "Acción ..." is not ASCII */
    assert_int_equal(mails_to("plani@banica.gob.do", "Acción del Plan de Mejora: 2\r\n"), 1);
    assert_int_equal(mails_to("plani@banica.gob.do", "Unidad responsable: "), 1);
    assert_int_equal(mails_to("plani@banica.gob.do", "https://buzon.example.do/indicadores/plan"), 1);
    wait_db("SELECT count(*) FROM notice_outbox WHERE sent_at IS NULL", 0);
    assert_int_equal(mails_to("ana@banica.gob.do", NULL), 0);
    int k;
    char *hooks = read_dir(hook_dir, "hook-", &k);
    test_has(hooks, "\"event\":\"plan_por_terminar\"");
    test_has(hooks, "\"plan_action\":2");
    free(hooks);
}

/* serve --notice-digest HOUR: email notices wait for that local hour and
 * then go as one message per address (the webhook still gets each at
 * once). The hour's coming is simulated by moving the rows' time. */
static void test_a_daily_digest_gathers_the_notices_of_an_address(void **state)
{
    (void)state;
    smtp_port = start_sink("smtp", 0, mail_dir, NULL, &smtp_pid);
    time_t now = time(NULL) - 4 * 3600;
    struct tm tm;
    gmtime_r(&now, &tm);
    char hour[8], smtp[64];
    snprintf(hour, sizeof hour, "%d", (tm.tm_hour + 12) % 24);   /* hours away */
    snprintf(smtp, sizeof smtp, "smtp://127.0.0.1:%u", smtp_port);
    const char *args[] = { "--notice-interval", "0.1", "--notice-digest", hour, "--smtp", smtp,
                           "--smtp-from", "buzon@banica.gob.do", NULL };
    assert_int_equal(testsrv_start(&srv, NULL, args), 0);
    assert_int_equal(add_user("ana", "atencion", "ana@banica.gob.do"), 0);
    char a[CASE_CODE_LEN + 1], b[CASE_CODE_LEN + 1], pa[CASE_CODE_LEN + 3], pb[CASE_CODE_LEN + 3];
    complain("mercado", a);
    complain("matadero", b);
    case_code_pretty(a, pa);
    case_code_pretty(b, pb);
    wait_db("SELECT count(*) FROM notice_outbox WHERE recipient = 'ana' AND sent_at IS NULL", 2);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM notice_outbox WHERE next_ms > %lld",
             (long long)time(NULL) * 1000 + 3600 * 1000);
    assert_int_equal(db_int(sql), 2);
    assert_int_equal(mails_to("ana@banica.gob.do", NULL), 0);
    assert_int_equal(testsrv_db_exec(&srv, "UPDATE notice_outbox SET next_ms = 0"), 0);
    wait_mails("ana@banica.gob.do", "Subject: Resumen diario de avisos (2)", 1);
    assert_int_equal(mails_to("ana@banica.gob.do", NULL), 1);
    assert_int_equal(mails_to("ana@banica.gob.do", pa), 1);
    assert_int_equal(mails_to("ana@banica.gob.do", pb), 1);
    wait_db("SELECT count(*) FROM notice_outbox WHERE sent_at IS NULL", 0);
}

/* Bad notice options are refused before the server starts; the password
 * of the relay never appears in the log. */
static void test_notice_options_are_checked_and_the_password_never_logged(void **state)
{
    (void)state;
    buf_t err;
    assert_int_equal(test_buzon(work, NULL, &err, "serve --port 0 --db '%s/x.db' --smtp smtp://127.0.0.1:1",
                                work), 2);
    test_has(err.data, "--smtp-from");
    buf_free(&err);
    /* issue 18 follow-up: a refused sender says why */
    assert_int_equal(test_buzon(work, NULL, &err, "serve --port 0 --db '%s/x.db' --smtp smtp://127.0.0.1:1"
                                " --smtp-from 'buzon@'", work), 2);
    test_has(err.data, "--smtp-from is not a usable sender address: it has nothing after the '@'");
    buf_free(&err);
    assert_int_equal(test_buzon(work, NULL, &err, "serve --port 0 --db '%s/x.db' --smtp smtp://127.0.0.1:1"
                                " --smtp-from 'buzon@local host'", work), 2);
    test_has(err.data, "it holds a space");
    buf_free(&err);
    assert_int_equal(test_buzon(work, NULL, &err, "serve --port 0 --db '%s/x.db' --webhook http://127.0.0.1:1/",
                                work), 2);
    test_has(err.data, "--webhook-secret-file");
    buf_free(&err);
    buf_t out;
    assert_int_equal(test_buzon(work, &out, &err, "user add ana --role atencion --email 'ana@@x' --db '%s/x.db'",
                                work), 1);
    test_has(err.data, "not a valid email");
    buf_free(&err);
    buf_free(&out);

    unsigned relay = free_port();
    char smtp[96];
    snprintf(smtp, sizeof smtp, "smtp://buzon:Clave-Muy-Secreta@127.0.0.1:%u", relay);
    const char *args[] = { "--notice-interval", "0.1", "--smtp", smtp, "--smtp-from", "buzon@banica.gob.do", NULL };
    assert_int_equal(testsrv_start(&srv, NULL, args), 0);
    assert_int_equal(add_user("ana", "atencion", "ana@banica.gob.do"), 0);
    char code[CASE_CODE_LEN + 1];
    complain("mercado", code);
    wait_db("SELECT count(*) > 0 FROM audit WHERE action = 'aviso_fallido'", 1);
    char *log = test_slurp(srv.log);
    test_has(log, "smtp://***@127.0.0.1");
    test_lacks(log, "Clave-Muy-Secreta");
    free(log);
    assert_int_equal(db_int("SELECT count(*) FROM audit WHERE detail LIKE '%Clave-Muy-Secreta%'"), 0);
}

/* session 23: each account hears in its own language (es or ht): given
 * by `user add --lang` (a bad one refused), listed by `user list`,
 * changed on /usuarios; each email of one new case is in its
 * recipient's language. */
static void test_each_account_hears_in_its_language(void **state)
{
    (void)state;
    buf_t out, err;
    assert_int_equal(test_buzon(work, &out, &err, "user add ana --role atencion --lang fr --db '%s/x.db'", work), 2);
    test_has(err.data, "'fr' is not a language for notices: give --lang es (Spanish) or --lang ht");
    buf_free(&out);
    buf_free(&err);

    smtp_port = start_sink("smtp", 0, mail_dir, NULL, &smtp_pid);
    start_server(smtp_port, false, NULL, false);
    assert_int_equal(add_user("ana", "atencion", "ana@banica.gob.do"), 0);                   /* es by default */
    assert_int_equal(add_user_lang("mari", "atencion", "mari@banica.gob.do", "ht"), 0);
    assert_int_equal(add_user_lang("rene", "atencion", "rene@banica.gob.do", "es"), 0);
    assert_int_equal(test_buzon(work, &out, &err, "user list --db '%s'", srv.db), 0);
    test_has(out.data, "\tana@banica.gob.do\tes\n");
    test_has(out.data, "\tmari@banica.gob.do\tht\n");
    buf_free(&out);
    buf_free(&err);

    /* An admin switches rene to Kreyòl on /usuarios; a bad value is refused. */
    char boss[128], csrf[64], body[512];
    assert_int_equal(staffsrv_session(&srv, "jefa", "admin", boss, sizeof boss), 0);
    http_resp_t r;
    assert_int_equal(http_get(srv.port, "/usuarios?lang=es", boss, &r), 0);
    test_has(r.body, "<label for=\"idioma-mari\">Idioma de los avisos</label>");
    test_has(r.body, "<option value=ht selected>Kreyòl</option>");
    assert_int_equal(staff_csrf(&r, csrf, sizeof csrf), 0);
    http_resp_free(&r);
    snprintf(body, sizeof body, "_csrf=%s&accion=avisos&usuario=rene&correo=rene%%40banica.gob.do&idioma=fr", csrf);
    assert_int_equal(http_post_with(srv.port, "/usuarios?lang=es", boss, body, &r), 0);
    assert_int_equal(r.status, 422);
    test_has(r.body, "Elija español o kreyòl como idioma de los avisos para");
    http_resp_free(&r);
    snprintf(body, sizeof body, "_csrf=%s&accion=avisos&usuario=rene&correo=rene%%40banica.gob.do&idioma=ht", csrf);
    assert_int_equal(http_post_with(srv.port, "/usuarios", boss, body, &r), 0);
    assert_int_equal(r.status, 200);
    http_resp_free(&r);
    assert_int_equal(db_int("SELECT count(*) FROM users WHERE name = 'rene' AND lang = 'ht'"), 1);

    char code[CASE_CODE_LEN + 1], pretty[CASE_CODE_LEN + 3], es[64], ht[64];
    complain("mercado", code);
    case_code_pretty(code, pretty);
    snprintf(es, sizeof es, "Subject: Caso nuevo %s", pretty);
    snprintf(ht, sizeof ht, "Subject: Nouvo ka %s", pretty);
    wait_mails("ana@banica.gob.do", es, 1);
    wait_mails("mari@banica.gob.do", ht, 1);
    wait_mails("rene@banica.gob.do", ht, 1);
    assert_int_equal(mails_to("mari@banica.gob.do", es), 0);
    int k;
    char *mails = read_dir(mail_dir, "mail-", &k);
    test_has(mails, "Kalite: Plent\r\n");
    test_has(mails, "Tipo: Queja\r\n");
    free(mails);
}

/* ---- issue 18: register and notice fixes ---------------------------------------------- */

/* The outbox forgets what it sent more than NOTICE_KEEP_DAYS (90) days
 * ago, in the notifier's scan (rows aged by SQL), but keeps a pending row
 * however old and the overdue notice of a case still open, which the next
 * scan would otherwise write and send again. */
static void test_the_outbox_forgets_old_sent_notices(void **state)
{
    (void)state;
    hook_port = start_sink("webhook", 0, hook_dir, secret, &hook_pid);
    start_server(0, true, NULL, false);
    char late[CASE_CODE_LEN + 1], q[512];
    complain("cementerio", late);
    snprintf(q, sizeof q, "UPDATE cases SET due_date = date('now', '-4 hours', '-3 days') WHERE code = '%s'", late);
    assert_int_equal(testsrv_db_exec(&srv, q), 0);
    wait_db("SELECT count(*) FROM notice_outbox WHERE sent_at IS NOT NULL", 2);   /* nuevo, vencido */
    /* 100 days ago: what was sent then, a row still pending since then (its
     * time far ahead), and one sent 10 days ago. */
    assert_int_equal(testsrv_db_exec(&srv,
        "UPDATE notice_outbox SET created_at = created_at - 100 * 86400, sent_at = sent_at - 100 * 86400;"
        "INSERT INTO notice_outbox(nkey, kind, object, channel, recipient, address, lang, service, due, extra,"
        " created_at, next_ms, attempts, sent_at) VALUES"
        " ('nuevo:OLDSENT', 'caso_nuevo', 'caso:OLDSENT', 'webhook', '', '', 'es', '', '', '',"
        "  unixepoch() - 100 * 86400, 0, 1, unixepoch() - 100 * 86400),"
        " ('nuevo:RECENT', 'caso_nuevo', 'caso:RECENT', 'webhook', '', '', 'es', '', '', '',"
        "  unixepoch() - 10 * 86400, 0, 1, unixepoch() - 10 * 86400),"
        " ('nuevo:PENDING', 'caso_nuevo', 'caso:PENDING', 'webhook', '', '', 'es', '', '', '',"
        "  unixepoch() - 100 * 86400, 9000000000000000, 7, NULL)"), 0);
    wait_db("SELECT count(*) FROM notice_outbox WHERE nkey = 'nuevo:OLDSENT'", 0);
    snprintf(q, sizeof q, "SELECT count(*) FROM notice_outbox WHERE nkey = 'nuevo:%s'", late);
    assert_int_equal(db_int(q), 0);
    assert_int_equal(db_int("SELECT count(*) FROM notice_outbox WHERE nkey = 'nuevo:RECENT'"), 1);
    assert_int_equal(db_int("SELECT count(*) FROM notice_outbox WHERE nkey = 'nuevo:PENDING'"), 1);
    snprintf(q, sizeof q, "SELECT count(*) FROM notice_outbox WHERE nkey = 'vencido:%s' AND sent_at IS NOT NULL",
             late);
    assert_int_equal(db_int(q), 1);
    /* Another old row goes at a later scan; the overdue case is still told once. */
    assert_int_equal(testsrv_db_exec(&srv,
        "INSERT INTO notice_outbox(nkey, kind, object, channel, recipient, address, lang, service, due, extra,"
        " created_at, next_ms, attempts, sent_at) VALUES ('nuevo:OLDER', 'caso_nuevo', 'caso:OLDER', 'webhook',"
        " '', '', 'es', '', '', '', unixepoch() - 200 * 86400, 0, 1, unixepoch() - 200 * 86400)"), 0);
    wait_db("SELECT count(*) FROM notice_outbox WHERE nkey = 'nuevo:OLDER'", 0);
    int k;
    char *hooks = read_dir(hook_dir, "hook-", &k), *p = hooks;
    int overdue = 0;
    while ((p = strstr(p, "\"event\":\"caso_vencido\""))) overdue++, p++;
    free(hooks);
    assert_int_equal(overdue, 1);
    /* Once the case has its answer, its overdue row goes too. */
    snprintf(q, sizeof q, "UPDATE cases SET first_answer_at = unixepoch() WHERE code = '%s'", late);
    assert_int_equal(testsrv_db_exec(&srv, q), 0);
    wait_db("SELECT count(*) FROM notice_outbox WHERE sent_at < unixepoch() - 90 * 86400", 0);
}

/* A line break in --smtp (or --webhook) is refused with a message and
 * status 2 instead of being echoed into the log; other unusual bytes of
 * the URL are logged escaped, as the request log writes paths. */
static void test_a_control_character_in_the_relay_url_is_refused(void **state)
{
    (void)state;
    const char *bad[] = { "--smtp", "smtp://127.0.0.1:1/\r\nbuzon: forged line", "--smtp-from",
                          "buzon@banica.gob.do", NULL };
    assert_int_equal(testsrv_start(&srv, NULL, bad), -1);
    char *log = test_slurp(srv.log);
    test_has(log, "--smtp URL holds a control character");
    test_lacks(log, "\nbuzon: forged line");
    free(log);
    test_rmtree(srv.dir);
    buf_t err;
    assert_int_equal(test_buzon(work, NULL, &err, "serve --port 0 --db '%s/x.db' --smtp-from buzon@banica.gob.do"
                                " --smtp \"$(printf 'smtp://127.0.0.1:1/\\nbuzon: forged')\"", work), 2);
    test_has(err.data, "control character");
    buf_free(&err);
    assert_int_equal(test_buzon(work, NULL, &err, "serve --port 0 --db '%s/x.db' --webhook-secret-file '%s'"
                                " --webhook \"$(printf 'http://127.0.0.1:1/\\r')\"", work, secret), 2);
    test_has(err.data, "--webhook URL holds a control character");
    buf_free(&err);
    /* A C1 control (U+0085, NEL) and a '%' are written as %XX. */
    const char *odd[] = { "--notice-interval", "0.1", "--smtp", "smtp://127.0.0.1:1/a\xc2\x85z%", "--smtp-from",
                          "buzon@banica.gob.do", NULL };
    assert_int_equal(testsrv_start(&srv, NULL, odd), 0);
    log = test_slurp(srv.log);
    test_has(log, "through smtp://127.0.0.1:1/a%C2%85z%25 from");
    test_lacks(log, "\xc2\x85");
    free(log);
}

/* A password in the --smtp URL (visible in ps) gets a warning at start-up
 * naming --smtp-credentials-file, which --help and a URL without one do
 * not need; the password itself is never logged. */
static void test_a_password_in_the_relay_url_is_warned_of(void **state)
{
    (void)state;
    buf_t out, err;
    assert_int_equal(test_buzon(work, &out, &err, "serve --help"), 0);
    test_has(out.data, "sees it in ps: prefer\n                    --smtp-credentials-file");
    buf_free(&out);
    buf_free(&err);
    const char *pw[] = { "--smtp", "smtp://buzon:Clave-Muy-Secreta@127.0.0.1:1", "--smtp-from",
                         "buzon@banica.gob.do", NULL };
    assert_int_equal(testsrv_start(&srv, NULL, pw), 0);
    char *log = test_slurp(srv.log);
    test_has(log, "buzon: warning: the --smtp URL holds a password, which anyone on this machine can read in ps;"
                  " put user:password in --smtp-credentials-file instead\n");
    test_lacks(log, "Clave-Muy-Secreta");
    free(log);
    assert_int_equal(testsrv_stop(&srv), 0);
    test_rmtree(srv.dir);
    char creds[320];
    snprintf(creds, sizeof creds, "%s/creds", work);
    FILE *f = fopen(creds, "w");
    assert_non_null(f);
    fputs("buzon:Clave-Muy-Secreta\n", f);
    fclose(f);
    const char *file[] = { "--smtp", "smtp://buzon@127.0.0.1:1", "--smtp-from", "buzon@banica.gob.do",
                           "--smtp-credentials-file", creds, NULL };
    assert_int_equal(testsrv_start(&srv, NULL, file), 0);
    log = test_slurp(srv.log);
    test_has(log, "staff notices by email through smtp://***@127.0.0.1:1");
    test_lacks(log, "holds a password");
    free(log);
}

/* issue 18 follow-up: a relay on the same machine takes buzon@localhost
 * as the sender; the notice goes through with it. */
static void test_a_localhost_sender_is_accepted(void **state)
{
    (void)state;
    smtp_port = start_sink("smtp", 0, mail_dir, NULL, &smtp_pid);
    char smtp[64];
    snprintf(smtp, sizeof smtp, "smtp://127.0.0.1:%u", smtp_port);
    const char *args[] = { "--notice-interval", "0.1", "--smtp", smtp, "--smtp-from", "buzon@localhost", NULL };
    assert_int_equal(testsrv_start(&srv, NULL, args), 0);
    assert_int_equal(add_user("ana", "atencion", "ana@banica.gob.do"), 0);
    char code[CASE_CODE_LEN + 1], pretty[CASE_CODE_LEN + 3], subject[64];
    complain("mercado", code);
    case_code_pretty(code, pretty);
    snprintf(subject, sizeof subject, "Subject: Caso nuevo %s", pretty);
    wait_mails("ana@banica.gob.do", subject, 1);
    assert_int_equal(mails_to("ana@banica.gob.do", "From: buzon <buzon@localhost>"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_and_overdue_cases_reach_staff_and_the_webhook, setup, teardown),
        cmocka_unit_test_setup_teardown(test_an_admin_narrows_notices_per_service, setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_account_hears_in_its_language, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_relay_down_is_reported_and_the_pending_notice_survives_a_restart,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_plan_action_about_to_end_is_told_to_planners, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_daily_digest_gathers_the_notices_of_an_address, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notice_options_are_checked_and_the_password_never_logged, setup,
                                        teardown),
        /* issue 18: register and notice fixes */
        cmocka_unit_test_setup_teardown(test_the_outbox_forgets_old_sent_notices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_control_character_in_the_relay_url_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_password_in_the_relay_url_is_warned_of, setup, teardown),
        /* issue 18: notice and register follow-ups */
        cmocka_unit_test_setup_teardown(test_a_localhost_sender_is_accepted, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
