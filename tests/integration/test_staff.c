/*
 * test_staff.c: the staff area's door over real HTTP against a real
 * build/buzon: the login form, sessions and their cookie, wrong
 * passwords, throttling per account and per address, expired sessions,
 * CSRF tokens, roles (401 / redirect without a session, 403 with the wrong
 * role), logout, the first-admin hint, and the --base-url https:// and
 * --public-indicators settings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "model/auth.h"
#include "base/buf.h"
#include "staffsrv.h"
#include "testsrv.h"

static testsrv_t srv;
static char admin[128], atencion[128], lectura[128], planif[128];   /* cookie lines */

static int setup(void **state)
{
    (void)state;
    if (testsrv_start(&srv, NULL, NULL) != 0) return -1;
    /* Read the start-up log before any account exists. */
    return staffsrv_session(&srv, "jefa", "admin", admin, sizeof admin) ||
           staffsrv_session(&srv, "ana", "atencion", atencion, sizeof atencion) ||
           staffsrv_session(&srv, "luis", "lectura", lectura, sizeof lectura) ||
           staffsrv_session(&srv, "pedro", "planificacion", planif, sizeof planif) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    return testsrv_stop(&srv) == 0 ? 0 : -1;
}

static void db_exec(const char *sql)
{
    assert_int_equal(testsrv_db_exec(&srv, sql), 0);
}

static int get_status(const char *path, const char *cookie, http_resp_t *r)
{
    assert_int_equal(http_get(srv.port, path, cookie, r), 0);
    return r->status;
}

static void expect(const char *path, const char *cookie, int status)
{
    http_resp_t r;
    if (get_status(path, cookie, &r) != status) fail_msg("GET %s: %d, not %d", path, r.status, status);
    http_resp_free(&r);
}

static void test_login_page_has_one_text_and_one_password_field(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(get_status("/login", NULL, &r), 200);
    assert_non_null(strstr(r.body, "<form method=post"));
    int text = 0, password = 0, other = 0;
    for (const char *p = r.body; (p = strstr(p, "<input")); p++) {
        const char *end = strchr(p, '>');
        char *tag = strndup(p, (size_t)(end - p));
        if (strstr(tag, "type=text")) text++;
        else if (strstr(tag, "type=password")) password++;
        else other++;
        free(tag);
    }
    assert_int_equal(text, 1);
    assert_int_equal(password, 1);
    assert_int_equal(other, 0);
    http_resp_free(&r);
}

static void test_first_start_says_how_to_create_the_admin(void **state)
{
    (void)state;
    FILE *fp = fopen(srv.log, "r");
    assert_non_null(fp);
    char line[512];
    bool hint = false;
    while (fgets(line, sizeof line, fp)) hint |= strstr(line, "user add admin --role admin") != NULL;
    fclose(fp);
    assert_true(hint);
}

static void test_right_password_sets_a_strict_httponly_cookie_and_303(void **state)
{
    (void)state;
    assert_int_equal(staffsrv_add(&srv, "marta", "atencion", "una-clave-larga"), 0);
    http_resp_t r;
    assert_int_equal(http_post(srv.port, "/login?next=%2Fcasos", "usuario=marta&clave=una-clave-larga", &r), 0);
    assert_int_equal(r.status, 303);
    char *loc = http_header(&r, "Location"), *cookie = http_header(&r, "Set-Cookie");
    assert_string_equal(loc, "/casos");
    assert_non_null(cookie);
    assert_non_null(strstr(cookie, "buzon_s="));
    assert_non_null(strstr(cookie, "HttpOnly"));
    assert_non_null(strstr(cookie, "SameSite=Strict"));
    assert_null(strstr(cookie, "Secure"));        /* plain http base URL */
    free(loc);
    free(cookie);
    http_resp_free(&r);
    /* The database keeps only a hash of the token. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(srv.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT length(token_hash), typeof(token_hash) FROM sessions", -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        assert_int_equal(sqlite3_column_int(st, 0), AUTH_HASH_BYTES);
        assert_string_equal((const char *)sqlite3_column_text(st, 1), "blob");
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_wrong_password_or_unknown_user_is_refused_alike(void **state)
{
    (void)state;
    static const char *const bodies[] = { "usuario=jefa&clave=no-es-esta-clave", "usuario=nadie&clave=no-es-esta-clave",
                                          "usuario=jefa&clave=", "usuario=&clave=x" };
    for (size_t i = 0; i < 4; i++) {
        http_resp_t r;
        assert_int_equal(http_post(srv.port, "/login", bodies[i], &r), 0);
        assert_int_equal(r.status, 401);
        char *cookie = http_header(&r, "Set-Cookie");
        assert_null(cookie);
        assert_non_null(strstr(r.body, "Usuario o contraseña incorrectos."));
        http_resp_free(&r);
    }
}

static void test_next_after_login_stays_on_this_site(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(http_post(srv.port, "/login?next=%2F%2Fevil.example%2F", "usuario=ana&clave=clave-de-ana-123", &r), 0);
    assert_int_equal(r.status, 303);
    char *loc = http_header(&r, "Location");
    assert_string_equal(loc, "/panel?lang=es");
    free(loc);
    http_resp_free(&r);
    /* Issue 13 item 16: what browsers normalise to "//evil.example" (a TAB,
     * a backslash, an encoded slash) is no local path either. */
    static const char *const tricks[] = { "/%09/evil.example", "/%5Cevil.example", "/%0D%0A/evil.example",
                                          "/%252F/evil.example" };
    for (size_t i = 0; i < sizeof tricks / sizeof tricks[0]; i++) {
        char path[96];
        snprintf(path, sizeof path, "/login?next=%s", tricks[i]);
        assert_int_equal(http_post(srv.port, path, "usuario=ana&clave=clave-de-ana-123", &r), 0);
        assert_int_equal(r.status, 303);
        loc = http_header(&r, "Location");
        if (strcmp(loc, "/panel?lang=es")) fail_msg("next=%s: Location %s", tricks[i], loc);
        free(loc);
        http_resp_free(&r);
        assert_int_equal(http_get(srv.port, path, NULL, &r), 0);
        assert_null(strstr(r.body, "evil.example"));
        http_resp_free(&r);
    }
}

static void test_login_from_another_site_is_refused(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(http_post_with(srv.port, "/login", "Origin: http://evil.example\r\n",
                                    "usuario=ana&clave=clave-de-ana-123", &r), 0);
    assert_int_equal(r.status, 403);
    assert_null(http_header(&r, "Set-Cookie"));
    http_resp_free(&r);
    /* the same from this site's own page is fine */
    char origin[64];
    snprintf(origin, sizeof origin, "Origin: http://127.0.0.1\r\n");
    assert_int_equal(http_post_with(srv.port, "/login", origin, "usuario=ana&clave=clave-de-ana-123", &r), 0);
    assert_int_equal(r.status, 303);
    http_resp_free(&r);
}

static void test_repeated_failures_throttle_the_account(void **state)
{
    (void)state;
    assert_int_equal(staffsrv_add(&srv, "olvidadiza", "lectura", "la-clave-buena"), 0);
    for (int i = 0; i < AUTH_THROTTLE_PAIR; i++) {
        http_resp_t r;
        assert_int_equal(http_post(srv.port, "/login", "usuario=olvidadiza&clave=la-clave-mala", &r), 0);
        assert_int_equal(r.status, 401);
        http_resp_free(&r);
    }
    /* Now even the right password waits from this address, and says for
     * how long. */
    http_resp_t r;
    assert_int_equal(http_post(srv.port, "/login", "usuario=olvidadiza&clave=la-clave-buena", &r), 0);
    assert_int_equal(r.status, 429);
    char *after = http_header(&r, "Retry-After");
    assert_non_null(after);
    assert_true(atoi(after) > 0);
    free(after);
    assert_null(http_header(&r, "Set-Cookie"));
    assert_non_null(strstr(r.body, "Demasiados intentos"));
    http_resp_free(&r);
    /* Other accounts are not affected. */
    char cookie[128];
    assert_int_equal(staffsrv_login(srv.port, "luis", "clave-de-luis-123", cookie, sizeof cookie), 303);
}

/* POST /login as if from addr (through a proxy on this machine). */
static int login_from(const char *addr, const char *body)
{
    char xff[96];
    snprintf(xff, sizeof xff, "X-Forwarded-For: 10.9.9.9, %s\r\n", addr);
    http_resp_t r;
    assert_int_equal(http_post_with(srv.port, "/login", xff, body, &r), 0);
    int st = r.status;
    http_resp_free(&r);
    return st;
}

static void test_repeated_failures_throttle_the_address(void **state)
{
    (void)state;
    for (int i = 0; i < AUTH_THROTTLE_ADDR; i++) {
        char body[64];
        snprintf(body, sizeof body, "usuario=prueba%d&clave=cualquier-cosa", i);
        assert_int_equal(login_from("203.0.113.7", body), 401);
    }
    assert_int_equal(login_from("203.0.113.7", "usuario=pedro&clave=clave-de-pedro-123"), 429);
    assert_int_equal(login_from("203.0.113.8", "usuario=pedro&clave=clave-de-pedro-123"), 303);
}

/* Regression (issue 13): a stranger's failed guesses from one address
 * locked the owner out everywhere. They slow the stranger only. */
static void test_a_strangers_failures_do_not_lock_out_the_owner(void **state)
{
    (void)state;
    assert_int_equal(staffsrv_add(&srv, "duena", "lectura", "la-clave-de-duena"), 0);
    for (int i = 0; i < AUTH_THROTTLE_PAIR; i++)
        assert_int_equal(login_from("203.0.113.30", "usuario=duena&clave=adivinando"), 401);
    assert_int_equal(login_from("203.0.113.30", "usuario=duena&clave=adivinando"), 429);
    assert_int_equal(login_from("203.0.113.31", "usuario=duena&clave=la-clave-de-duena"), 303);
    /* the stranger is still slowed, even with the right password */
    assert_int_equal(login_from("203.0.113.30", "usuario=duena&clave=la-clave-de-duena"), 429);
}

/* POST /login as if from addr, with extra header lines (a Cookie); the
 * response is left in r. */
static void login_with(const char *addr, const char *more, const char *body, http_resp_t *r)
{
    char head[512];
    snprintf(head, sizeof head, "X-Forwarded-For: %s\r\n%s", addr, more ? more : "");
    assert_int_equal(http_post_with(srv.port, "/login", head, body, r), 0);
}

/* Regression (issue 13 item 7, the walk-through): strangers guessing from
 * many addresses tripped the account's brake, and then the owner's right
 * password from a new address (a phone that moved from Wi-Fi to mobile
 * data) was refused too. A browser that logged in to the account before
 * carries its device cookie and gets in; a new browser still waits (the
 * brake keeps distributed guessing slow), and a forged cookie is no
 * device. */
static void test_the_owners_browser_gets_in_while_strangers_guess(void **state)
{
    (void)state;
    assert_int_equal(staffsrv_add(&srv, "tomas", "lectura", "la-clave-de-tomas"), 0);
    http_resp_t r;
    login_with("198.51.100.1", NULL, "usuario=tomas&clave=la-clave-de-tomas", &r);
    assert_int_equal(r.status, 303);
    const char *sc = strstr(r.head, "Set-Cookie: buzon_d_tomas=");
    assert_non_null(sc);
    char device[128];
    snprintf(device, sizeof device, "%.*s", (int)strcspn(sc + 12, ";\r"), sc + 12);
    assert_non_null(strstr(sc, "Path=/login; Max-Age="));
    assert_non_null(strstr(sc, "HttpOnly; SameSite=Strict"));
    http_resp_free(&r);

    for (int i = 0; i < AUTH_THROTTLE_USER; i++) {     /* one guess from each of many addresses */
        char addr[32];
        snprintf(addr, sizeof addr, "192.0.2.%d", i + 1);
        assert_int_equal(login_from(addr, "usuario=tomas&clave=adivinando"), 401);
    }
    /* A new browser at a new address waits, and is told for how long. */
    login_with("198.51.100.2", NULL, "usuario=tomas&clave=la-clave-de-tomas", &r);
    assert_int_equal(r.status, 429);
    char *after = http_header(&r, "Retry-After");
    char want[64];
    snprintf(want, sizeof want, "dentro de %s segundo", after);
    assert_non_null(strstr(r.body, want));
    free(after);
    http_resp_free(&r);
    /* A forged device cookie is no device. */
    char forged[160];
    snprintf(forged, sizeof forged, "Cookie: buzon_d_tomas=%.33s%s\r\n", strchr(device, '=') + 1,
             "00000000000000000000000000000000");
    login_with("198.51.100.2", forged, "usuario=tomas&clave=la-clave-de-tomas", &r);
    assert_int_equal(r.status, 429);
    http_resp_free(&r);
    /* The owner's browser, at yet another address, gets in; it needs no
     * new device cookie. */
    char cookie[192];
    snprintf(cookie, sizeof cookie, "Cookie: %s\r\n", device);
    login_with("198.51.100.3", cookie, "usuario=tomas&clave=la-clave-de-tomas", &r);
    assert_int_equal(r.status, 303);
    assert_null(strstr(r.head, "buzon_d_"));
    http_resp_free(&r);
    /* Even the right device guessing wrong is slowed on its own bucket. */
    for (int i = 0; i < AUTH_THROTTLE_PAIR; i++) {
        login_with("198.51.100.3", cookie, "usuario=tomas&clave=otra-mala", &r);
        assert_int_equal(r.status, 401);
        http_resp_free(&r);
    }
    login_with("198.51.100.3", cookie, "usuario=tomas&clave=la-clave-de-tomas", &r);
    assert_int_equal(r.status, 429);
    http_resp_free(&r);
}

static void test_session_opens_staff_pages(void **state)
{
    (void)state;
    expect("/panel", admin, 200);
    expect("/casos", atencion, 200);
    expect("/usuarios", admin, 200);
    expect("/auditoria", admin, 200);
    expect("/carteles", lectura, 200);
    expect("/indicadores", planif, 200);
}

static void test_without_a_session_pages_redirect_and_api_gets_401(void **state)
{
    (void)state;
    static const char *const pages[] = { "/panel", "/casos", "/casos/ABCDEFGHJ", "/usuarios",
                                         "/auditoria", "/carteles", "/indicadores" };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        http_resp_t r;
        assert_int_equal(get_status(pages[i], NULL, &r), 303);
        char *loc = http_header(&r, "Location");
        assert_non_null(loc);
        assert_memory_equal(loc, "/login?next=", 12);
        free(loc);
        http_resp_free(&r);
    }
    http_resp_t r;
    assert_int_equal(get_status("/api/v1/forms/satisfaccion/responses.csv", NULL, &r), 401);
    char *ct = http_header(&r, "Content-Type");
    assert_string_equal(ct, "application/json");
    free(ct);
    http_resp_free(&r);
    expect("/api/v1/forms/satisfaccion/responses.xlsx", NULL, 401);
    /* A forged cookie is no session. */
    expect("/panel", "Cookie: buzon_s=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n", 303);
}

static void test_wrong_role_is_403(void **state)
{
    (void)state;
    static const struct { const char *path; const char *who; } cases[] = {
        { "/casos", "lectura" }, { "/casos", "planificacion" }, { "/usuarios", "atencion" },
        { "/auditoria", "lectura" }, { "/indicadores", "atencion" },
        { "/api/v1/forms/satisfaccion/responses.csv", "lectura" },
        { "/api/v1/forms/satisfaccion/responses.xlsx", "planificacion" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *cookie = !strcmp(cases[i].who, "lectura") ? lectura
                           : !strcmp(cases[i].who, "atencion") ? atencion : planif;
        expect(cases[i].path, cookie, 403);
    }
    http_resp_t r;
    assert_int_equal(get_status("/usuarios", atencion, &r), 403);
    assert_non_null(strstr(r.body, "Sin permiso"));
    http_resp_free(&r);
}

static void test_menu_shows_only_what_the_role_may_open(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(get_status("/panel", lectura, &r), 200);
    assert_null(strstr(r.body, "href=\"/casos"));
    assert_null(strstr(r.body, "href=\"/usuarios"));
    assert_non_null(strstr(r.body, "href=\"/carteles"));
    assert_non_null(strstr(r.body, "href=\"/indicadores"));
    http_resp_free(&r);
    assert_int_equal(get_status("/panel", atencion, &r), 200);
    assert_non_null(strstr(r.body, "href=\"/casos"));
    assert_non_null(strstr(r.body, "/responses.csv"));
    assert_null(strstr(r.body, "href=\"/indicadores"));
    http_resp_free(&r);
}

/* Every page staff reach from the menu has the menu and the logout
 * button, so nobody is stranded on the dashboard or the posters page. */
static void test_every_staff_page_has_the_menu_and_logout(void **state)
{
    (void)state;
    static const char *const pages[] = { "/panel", "/carteles", "/indicadores", "/indicadores/plan" };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        http_resp_t r;
        assert_int_equal(get_status(pages[i], lectura, &r), 200);
        if (!strstr(r.body, "action=\"/logout") || !strstr(r.body, "href=\"/panel"))
            fail_msg("%s lacks the staff menu", pages[i]);
        http_resp_free(&r);
    }
}

static void test_idle_or_old_session_has_expired(void **state)
{
    (void)state;
    char idle[128], old[128];
    assert_int_equal(staffsrv_session(&srv, "dormida", "admin", idle, sizeof idle), 0);
    assert_int_equal(staffsrv_session(&srv, "antigua", "admin", old, sizeof old), 0);
    expect("/panel", idle, 200);
    buf_t sql;
    buf_init(&sql);
    buf_printf(&sql, "UPDATE sessions SET last_seen = last_seen - %d WHERE user_id ="
                     " (SELECT id FROM users WHERE name = 'dormida')", AUTH_IDLE_S + 1);
    db_exec(sql.data);
    buf_reset(&sql);
    buf_printf(&sql, "UPDATE sessions SET created_at = created_at - %d WHERE user_id ="
                     " (SELECT id FROM users WHERE name = 'antigua')", AUTH_ABSOLUTE_S + 1);
    db_exec(sql.data);
    buf_free(&sql);
    expect("/panel", idle, 303);
    expect("/panel", old, 303);
    expect("/api/v1/forms/satisfaccion/responses.csv", old, 401);
}

static void test_logout_needs_the_csrf_token_and_ends_the_session(void **state)
{
    (void)state;
    char cookie[128], csrf[64];
    assert_int_equal(staffsrv_session(&srv, "saliente", "lectura", cookie, sizeof cookie), 0);
    http_resp_t page;
    assert_int_equal(get_status("/panel", cookie, &page), 200);
    assert_int_equal(staff_csrf(&page, csrf, sizeof csrf), 0);
    http_resp_free(&page);

    static const char *const bad[] = { "", "_csrf=", "_csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" };
    for (size_t i = 0; i < 3; i++) {
        http_resp_t r;
        assert_int_equal(http_post_with(srv.port, "/logout", cookie, bad[i], &r), 0);
        assert_int_equal(r.status, 403);
        http_resp_free(&r);
        expect("/panel", cookie, 200);          /* still logged in */
    }
    /* Another session's token does not do either. */
    http_resp_t other;
    char other_csrf[64];
    assert_int_equal(get_status("/panel", admin, &other), 200);
    assert_int_equal(staff_csrf(&other, other_csrf, sizeof other_csrf), 0);
    http_resp_free(&other);
    buf_t body;
    buf_init(&body);
    buf_printf(&body, "_csrf=%s", other_csrf);
    http_resp_t r;
    assert_int_equal(http_post_with(srv.port, "/logout", cookie, body.data, &r), 0);
    assert_int_equal(r.status, 403);
    http_resp_free(&r);

    buf_reset(&body);
    buf_printf(&body, "_csrf=%s", csrf);
    assert_int_equal(http_post_with(srv.port, "/logout", cookie, body.data, &r), 0);
    assert_int_equal(r.status, 303);
    char *set = http_header(&r, "Set-Cookie");
    assert_non_null(strstr(set, "Max-Age=0"));
    free(set);
    http_resp_free(&r);
    buf_free(&body);
    expect("/panel", cookie, 303);
}

static void test_users_and_audit_pages_show_accounts_and_logins(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(get_status("/usuarios", admin, &r), 200);
    assert_non_null(strstr(r.body, "<th scope=row>ana</th>"));
    assert_non_null(strstr(r.body, "Atención al ciudadano"));
    /* the commands name the program as the server was started (issue 13) */
    const char *bin = getenv("BUZON_BIN");
    char cmd[600];
    snprintf(cmd, sizeof cmd, "\n%s user enable &lt;nombre&gt;\n", bin ? bin : "build/buzon");
    if (!strstr(r.body, cmd)) fail_msg("expected \"%s\" in the page", cmd);
    http_resp_free(&r);
    assert_int_equal(get_status("/auditoria", admin, &r), 200);
    assert_non_null(strstr(r.body, "<td>Usuario ana</td>"));
    assert_non_null(strstr(r.body, "Cuenta creada"));
    assert_non_null(strstr(r.body, "Entrada"));
    http_resp_free(&r);
}

/* POST an account change on /usuarios as the admin, with the CSRF token of
 * the page; the answer in r (caller frees). */
static int users_post(const char *cookie, const char *body, const char *lang, http_resp_t *r)
{
    http_resp_t page;
    char csrf[64], path[32], full[256];
    assert_int_equal(get_status("/usuarios", cookie, &page), 200);
    assert_int_equal(staff_csrf(&page, csrf, sizeof csrf), 0);
    http_resp_free(&page);
    snprintf(path, sizeof path, "/usuarios?lang=%s", lang);
    snprintf(full, sizeof full, "_csrf=%s&%s", csrf, body);
    assert_int_equal(http_post_with(srv.port, path, cookie, full, r), 0);
    return r->status;
}

/* `build/buzon user ...` on the test server's database; its exit status. */
static int user_cmd(const char *args)
{
    const char *bin = getenv("BUZON_BIN");
    char cmd[700];
    snprintf(cmd, sizeof cmd, "'%s' user %s --db '%s' >/dev/null 2>&1", bin ? bin : "build/buzon", args, srv.db);
    int st = system(cmd);
    return st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Regression (issue 13): accounts could only be managed from the shell, a
 * disabled account never enabled again, a role never changed. */
static void test_admin_manages_the_whole_account_lifecycle_on_the_web(void **state)
{
    (void)state;
    http_resp_t r;
    /* add: the generated password is shown once, and works */
    assert_int_equal(users_post(admin, "accion=crear&usuario=nuevo&rol=lectura", "es", &r), 200);
    assert_non_null(strstr(r.body, "Cuenta creada"));
    const char *code = strstr(r.body, "<code class=pw>");
    assert_non_null(code);
    char pw[AUTH_GENERATED_LEN + 1];
    snprintf(pw, sizeof pw, "%s", code + strlen("<code class=pw>"));
    http_resp_free(&r);
    char cookie[128];
    assert_int_equal(staffsrv_login(srv.port, "nuevo", pw, cookie, sizeof cookie), 303);
    assert_int_equal(get_status("/usuarios", admin, &r), 200);
    assert_null(strstr(r.body, pw));   /* shown only once */
    http_resp_free(&r);
    assert_int_equal(users_post(admin, "accion=crear&usuario=nuevo&rol=lectura", "es", &r), 409);
    /* Regression (issue 13): an error message ended with a stray name. */
    assert_non_null(strstr(r.body, "Ya existe una cuenta con ese nombre.</p>"));
    http_resp_free(&r);
    /* role: lectura -> atencion opens the cases at once */
    expect("/casos", cookie, 403);
    assert_int_equal(users_post(admin, "accion=rol&usuario=nuevo&rol=atencion", "es", &r), 200);
    http_resp_free(&r);
    expect("/casos", cookie, 200);
    /* disable ends the session and refuses the login; enable lets them in again */
    assert_int_equal(users_post(admin, "accion=desactivar&usuario=nuevo", "es", &r), 200);
    http_resp_free(&r);
    expect("/panel", cookie, 303);
    assert_int_equal(staffsrv_login(srv.port, "nuevo", pw, cookie, sizeof cookie), 401);
    assert_int_equal(users_post(admin, "accion=activar&usuario=nuevo", "ht", &r), 200);
    assert_non_null(strstr(r.body, "Kont lan aktive ankò"));
    http_resp_free(&r);
    assert_int_equal(staffsrv_login(srv.port, "nuevo", pw, cookie, sizeof cookie), 303);
    /* reset: a new one-time password; the old one no longer works */
    assert_int_equal(users_post(admin, "accion=clave&usuario=nuevo", "es", &r), 200);
    code = strstr(r.body, "<code class=pw>");
    assert_non_null(code);
    char pw2[AUTH_GENERATED_LEN + 1];
    snprintf(pw2, sizeof pw2, "%s", code + strlen("<code class=pw>"));
    http_resp_free(&r);
    expect("/panel", cookie, 303);
    assert_int_equal(staffsrv_login(srv.port, "nuevo", pw, cookie, sizeof cookie), 401);
    assert_int_equal(staffsrv_login(srv.port, "nuevo", pw2, cookie, sizeof cookie), 303);
    /* without the CSRF token nothing changes */
    assert_int_equal(http_post_with(srv.port, "/usuarios", admin, "accion=desactivar&usuario=nuevo", &r), 0);
    assert_int_equal(r.status, 403);
    http_resp_free(&r);
    expect("/panel", cookie, 200);
    /* only admins */
    assert_int_equal(http_post_with(srv.port, "/usuarios", atencion, "accion=desactivar&usuario=nuevo", &r), 0);
    assert_int_equal(r.status, 403);
    http_resp_free(&r);
    /* all audited */
    assert_int_equal(get_status("/auditoria", admin, &r), 200);
    assert_non_null(strstr(r.body, "Cuenta activada"));
    assert_non_null(strstr(r.body, "Rol cambiado"));
    assert_non_null(strstr(r.body, "Cuenta desactivada"));
    http_resp_free(&r);
}

/* The last enabled admin can be neither disabled nor demoted, on the web or
 * from the command line, and the page says why. */
static void test_the_last_admin_cannot_be_disabled_or_demoted(void **state)
{
    (void)state;
    http_resp_t r;
    /* the other admins of earlier tests go: jefa is left the only one */
    assert_int_equal(user_cmd("disable dormida"), 0);
    assert_int_equal(user_cmd("disable antigua"), 0);
    assert_int_equal(users_post(admin, "accion=desactivar&usuario=jefa", "es", &r), 409);
    assert_non_null(strstr(r.body, "es la última cuenta de administración activa"));
    assert_non_null(strstr(r.body, "primero cree o active otra cuenta de administración.</p>"));
    http_resp_free(&r);
    assert_int_equal(users_post(admin, "accion=rol&usuario=jefa&rol=lectura", "ht", &r), 409);
    assert_non_null(strstr(r.body, "dènye kont administrasyon ki aktif"));
    http_resp_free(&r);
    assert_int_equal(user_cmd("disable jefa"), 1);
    assert_int_equal(user_cmd("role jefa --role lectura"), 1);
    expect("/usuarios", admin, 200);
    /* With a second admin (made from the command line) it can. */
    assert_int_equal(user_cmd("role pedro --role admin"), 0);
    assert_int_equal(users_post(admin, "accion=rol&usuario=pedro&rol=planificacion", "es", &r), 200);
    http_resp_free(&r);
    assert_int_equal(staffsrv_add(&srv, "segunda", "admin", "clave-de-segunda"), 0);
    assert_int_equal(user_cmd("disable segunda"), 0);
    assert_int_equal(users_post(admin, "accion=desactivar&usuario=jefa", "es", &r), 409);
    http_resp_free(&r);
    assert_int_equal(user_cmd("enable segunda"), 0);
    char cookie[128];
    assert_int_equal(staffsrv_login(srv.port, "segunda", "clave-de-segunda", cookie, sizeof cookie), 303);
    assert_int_equal(user_cmd("disable segunda"), 0);
    assert_int_equal(user_cmd("enable nadie"), 1);
}

/* Issue 13 item 15: the figures have one access rule whatever the format:
 * the API's JSON, CSV and XLSX are guarded as the dashboard is (401 without
 * a session, 403 for a role the dashboard refuses), and public only with
 * --public-indicators (the last test). */
static void test_indicators_api_has_the_dashboards_rule(void **state)
{
    (void)state;
    static const char *const api[] = { "/api/v1/indicators", "/api/v1/indicators.csv",
                                       "/api/v1/indicators.xlsx", "/api/v1/indicators?by=none" };
    for (size_t i = 0; i < sizeof api / sizeof api[0]; i++) {
        http_resp_t r;
        if (get_status(api[i], NULL, &r) != 401) fail_msg("GET %s without a session: %d", api[i], r.status);
        char *ct = http_header(&r, "Content-Type");
        assert_string_equal(ct, "application/json");
        free(ct);
        assert_non_null(strstr(r.body, "\"error\""));
        http_resp_free(&r);
        expect(api[i], atencion, 403);
        expect(api[i], planif, 200);
        expect(api[i], lectura, 200);
        expect(api[i], admin, 200);
    }
    expect("/indicadores", atencion, 403);
    expect("/indicadores/plan", atencion, 403);
}

static void test_https_base_url_makes_the_cookie_secure_and_indicators_can_be_public(void **state)
{
    (void)state;
    testsrv_t s2;
    static const char *const extra[] = { "--base-url", "https://buzon.example.org",
                                         "--public-indicators", NULL };
    assert_int_equal(testsrv_start(&s2, NULL, extra), 0);
    assert_int_equal(staffsrv_add(&s2, "segura", "lectura", "clave-segura-1"), 0);
    http_resp_t r;
    assert_int_equal(http_post(s2.port, "/login", "usuario=segura&clave=clave-segura-1", &r), 0);
    assert_int_equal(r.status, 303);
    char *cookie = http_header(&r, "Set-Cookie");
    assert_non_null(strstr(cookie, "; Secure"));
    free(cookie);
    http_resp_free(&r);
    assert_int_equal(http_get(s2.port, "/indicadores", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    http_resp_free(&r);
    /* the figures in every format, as the dashboard */
    static const char *const api[] = { "/api/v1/indicators", "/api/v1/indicators.csv", "/api/v1/indicators.xlsx" };
    for (size_t i = 0; i < sizeof api / sizeof api[0]; i++) {
        assert_int_equal(http_get(s2.port, api[i], NULL, &r), 0);
        if (r.status != 200) fail_msg("GET %s with --public-indicators: %d", api[i], r.status);
        http_resp_free(&r);
    }
    /* the rest stays behind the login */
    assert_int_equal(http_get(s2.port, "/casos", NULL, &r), 0);
    assert_int_equal(r.status, 303);
    http_resp_free(&r);
    assert_int_equal(testsrv_stop(&s2), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_start_says_how_to_create_the_admin),
        cmocka_unit_test(test_login_page_has_one_text_and_one_password_field),
        cmocka_unit_test(test_right_password_sets_a_strict_httponly_cookie_and_303),
        cmocka_unit_test(test_wrong_password_or_unknown_user_is_refused_alike),
        cmocka_unit_test(test_next_after_login_stays_on_this_site),
        cmocka_unit_test(test_login_from_another_site_is_refused),
        cmocka_unit_test(test_repeated_failures_throttle_the_account),
        cmocka_unit_test(test_repeated_failures_throttle_the_address),
        cmocka_unit_test(test_a_strangers_failures_do_not_lock_out_the_owner),
        cmocka_unit_test(test_the_owners_browser_gets_in_while_strangers_guess),
        cmocka_unit_test(test_session_opens_staff_pages),
        cmocka_unit_test(test_without_a_session_pages_redirect_and_api_gets_401),
        cmocka_unit_test(test_wrong_role_is_403),
        cmocka_unit_test(test_menu_shows_only_what_the_role_may_open),
        cmocka_unit_test(test_every_staff_page_has_the_menu_and_logout),
        cmocka_unit_test(test_idle_or_old_session_has_expired),
        cmocka_unit_test(test_logout_needs_the_csrf_token_and_ends_the_session),
        cmocka_unit_test(test_users_and_audit_pages_show_accounts_and_logins),
        cmocka_unit_test(test_indicators_api_has_the_dashboards_rule),
        cmocka_unit_test(test_admin_manages_the_whole_account_lifecycle_on_the_web),
        cmocka_unit_test(test_the_last_admin_cannot_be_disabled_or_demoted),
        cmocka_unit_test(test_https_base_url_makes_the_cookie_secure_and_indicators_can_be_public),
    };
    return cmocka_run_group_tests_name("staff", tests, setup, teardown);
}
