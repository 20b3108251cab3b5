/*
 * test_security.c: what an attacker sends stays inert. Against a real
 * build/buzon:
 *  - XSS and SQL-injection payloads through every question of every form
 *    (the forms are discovered from the forms folder, so a new form is
 *    covered without editing this file): a text answer is stored byte for
 *    byte (all SQL is bound, so the payload is data), any other question
 *    refuses it, the re-rendered page shows it escaped, and the database
 *    stays whole;
 *  - the same payloads in every query parameter and in paths of every
 *    public page: never a server error, never reflected unescaped in HTML;
 *  - what citizens wrote, shown to staff (inbox, case page), and what staff
 *    write back, shown to staff and on the citizen's tracking page, is
 *    escaped there too; staff pages' query parameters are as inert, and
 *    the login's return address never leaves the site;
 *  - every kind of response carries the security headers, and no page has
 *    inline script, inline style or event-handler attributes (the CSP
 *    forbids them, so they would also be broken).
 *
 * To cover another form-posting page, add an entry to `bases` (survey
 * forms) or to `staff_fields` (staff forms).
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

#include "base/buf.h"
#include "model/form.h"
#include "model/phone.h"
#include "model/shortcode.h"
#include "staffsrv.h"
#include "testsrv.h"

static testsrv_t srv;
static form_t **forms;
static size_t nforms;
static unsigned sid_seq;

static const char *const XSS[] = {
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "'><svg/onload=alert(1)>",
    "</textarea><script>alert(document.cookie)</script>",
    "javascript:alert(1)",
};
static const char *const SQLI[] = {
    "'; DROP TABLE responses; --",
    "' OR '1'='1",
    "x'); DELETE FROM answers; --",
    "1; ATTACH DATABASE '/tmp/pwn.db' AS pwn; --",
};
#define NXSS (sizeof XSS / sizeof XSS[0])
#define NSQLI (sizeof SQLI / sizeof SQLI[0])
#define NPAYLOADS (NXSS + NSQLI)

static const char *payload(size_t i)
{
    return i < NXSS ? XSS[i] : SQLI[i - NXSS];
}

/* What makes every text question of a form relevant (and the rest of the
 * answer valid), and an extra answer that makes the page invalid so it is
 * shown again. Forms not listed use the default entry. */
static const struct base {
    const char *form, *valid, *invalid;
} bases[] = {
    { "satisfaccion", "servicio=mercado&satisfaccion=4&comentario_tipo=queja&quiere_respuesta=si"
                      "&contacto_consent=si&contacto_telefono=8095550101", "satisfaccion=9" },
    { "quejas",       "servicio=mercado&comentario_tipo=queja&comentario=x&quiere_respuesta=si"
                      "&contacto_consent=si&contacto_telefono=8095550101", "servicio=no-such-service" },
    { NULL,           "servicio=mercado", "servicio=no-such-service" },
};

static const struct base *base_of(const char *form)
{
    size_t i = 0;
    while (bases[i].form && strcmp(bases[i].form, form)) i++;
    return &bases[i];
}

static int setup(void **state)
{
    (void)state;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/forms", test_root());
    diag_t d = { 0 };
    nforms = form_load_all(dir, &forms, &d);
    if (d.n || !nforms) return -1;
    return testsrv_start(&srv, NULL, NULL);
}

static int teardown(void **state)
{
    (void)state;
    form_free_all(forms, nforms);
    return testsrv_stop(&srv) == 0 ? 0 : -1;
}

/* ---- helpers ------------------------------------------------------------- */

/* Append "&key=value" (or "key=value" at the start), percent-encoded. */
static void add_pair(buf_t *b, const char *key, const char *val)
{
    if (b->len) buf_putc(b, '&');
    buf_urlenc(b, key);
    buf_putc(b, '=');
    buf_urlenc(b, val);
}

/* True when the pair [p, p+n) has key skip (NULL: never). */
static bool has_key(const char *p, size_t n, const char *skip)
{
    size_t sl = skip ? strlen(skip) : 0;
    return skip && n > sl && !strncmp(p, skip, sl) && p[sl] == '=';
}

/* Append the pairs of an already-encoded body, leaving out the keys skip1
 * and skip2 (either may be NULL). */
static void add_body_except(buf_t *b, const char *body, const char *skip1, const char *skip2)
{
    for (const char *p = body; *p; ) {
        const char *amp = strchr(p, '&');
        size_t n = amp ? (size_t)(amp - p) : strlen(p);
        if (!has_key(p, n, skip1) && !has_key(p, n, skip2)) {
            if (b->len) buf_putc(b, '&');
            buf_append(b, p, n);
        }
        p += n + (amp ? 1 : 0);
    }
}

static void next_sid(char out[40])
{
    snprintf(out, 40, "sec00000-0000-4000-8000-%012u", ++sid_seq);
}

/* The stored value of question q in the response sid: 1 with *out set
 * (caller frees), 0 when the response has no such answer, -1 when the
 * response is not stored. */
static int stored_value(const char *sid, const char *q, char **out)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int rc = -1;
    *out = NULL;
    assert_int_equal(sqlite3_open_v2(srv.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
        "SELECT a.value FROM responses r LEFT JOIN answers a ON a.response_id = r.id AND a.question = ?2"
        " WHERE r.submission_id = ?1", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, sid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, q, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        rc = v ? 1 : 0;
        if (v) *out = xstrdup(v);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

/* The security headers every response carries. */
static void assert_security_headers(const http_resp_t *r)
{
    char *csp = http_header(r, "Content-Security-Policy");
    if (!csp) fail_msg("no Content-Security-Policy on a %d response", r->status);
    assert_non_null(strstr(csp, "default-src 'self'"));
    assert_non_null(strstr(csp, "frame-ancestors 'none'"));
    assert_null(strstr(csp, "unsafe-inline"));
    assert_null(strstr(csp, "unsafe-eval"));
    free(csp);
    char *nosniff = http_header(r, "X-Content-Type-Options");
    assert_non_null(nosniff);
    assert_string_equal(nosniff, "nosniff");
    free(nosniff);
    char *ref = http_header(r, "Referrer-Policy");
    assert_non_null(ref);
    free(ref);
}

static bool is_html(const http_resp_t *r)
{
    char *ct = http_header(r, "Content-Type");
    bool html = ct && !strncmp(ct, "text/html", 9);
    free(ct);
    return html;
}

/* Check one start tag [s, end) (from '<' to before '>'): no inline style
 * or event handler attribute, no <style>, no <script> without src. Text in
 * quoted attribute values is skipped. */
static void check_tag(const char *s, const char *end)
{
    char *tag = strndup(s, (size_t)(end - s));
    if (!strncmp(tag, "<style", 6)) fail_msg("inline style element");
    if (!strncmp(tag, "<script", 7) && !strstr(tag, " src=")) fail_msg("inline script: %s", tag);
    char quote = 0;
    for (const char *c = tag; *c; c++) {
        if (quote) {
            if (*c == quote) quote = 0;
        } else if (*c == '"' || *c == '\'') {
            quote = *c;
        } else if (*c == ' ') {
            size_t n = strspn(c + 1, "abcdefghijklmnopqrstuvwxyz");
            if (c[1 + n] == '=' && ((n == 5 && !strncmp(c + 1, "style", 5)) ||
                                    (n > 2 && !strncmp(c + 1, "on", 2))))
                fail_msg("inline attribute in %s", tag);
        }
    }
    free(tag);
}

/* An HTML body has no inline script, inline style or event handler, and
 * does not contain the raw payload p (NULL: no payload to look for). */
static void assert_inert_html(const http_resp_t *r, const char *p)
{
    if (!is_html(r)) return;
    const char *b = r->body;
    if (p && strpbrk(p, "<>\"'") && strstr(b, p))
        fail_msg("payload reflected unescaped (status %d): %s", r->status, p);
    for (const char *s = b; (s = strchr(s, '<')); s++) {
        const char *end = strchr(s, '>');
        assert_non_null(end);
        check_tag(s, end);
    }
}

static int post(const char *path, const char *body, http_resp_t *r)
{
    assert_int_equal(http_post(srv.port, path, body, r), 0);
    assert_security_headers(r);
    return r->status;
}

/* ---- answers ------------------------------------------------------------ */

/* A text field of a form-posting page: the payload is stored exactly as
 * sent; with the page made invalid, it is shown again escaped. valid and
 * invalid are encoded bodies (without the field). */
static void check_text_field(const char *path, const char *valid, const char *invalid,
                             const char *field, const char *p)
{
    char sid[40];
    next_sid(sid);
    buf_t b;
    buf_init(&b);
    add_pair(&b, "_sid", sid);
    add_body_except(&b, valid, field, NULL);
    add_pair(&b, field, p);
    http_resp_t r;
    if (post(path, b.data, &r) != 303) fail_msg("%s %s=%s: status %d, not stored", path, field, p, r.status);
    http_resp_free(&r);
    char *v;
    assert_int_equal(stored_value(sid, field, &v), 1);
    assert_string_equal(v, p);
    free(v);

    next_sid(sid);
    buf_reset(&b);
    add_pair(&b, "_sid", sid);
    /* The invalid answer replaces the valid one to the same question. */
    char *bad_key = strndup(invalid, strcspn(invalid, "="));
    add_body_except(&b, valid, field, bad_key);
    free(bad_key);
    add_pair(&b, field, p);
    add_body_except(&b, invalid, NULL, NULL);
    assert_int_equal(post(path, b.data, &r), 422);
    assert_inert_html(&r, p);
    buf_t esc;
    buf_init(&esc);
    buf_html(&esc, p);
    if (!strstr(r.body, esc.data)) fail_msg("%s: %s not shown again (escaped)", path, field);
    buf_free(&esc);
    http_resp_free(&r);
    assert_int_equal(stored_value(sid, field, &v), -1);
    buf_free(&b);
}

/* Any other question: the payload is refused (or dropped as irrelevant),
 * never stored, never reflected raw. */
static void check_other_field(const char *path, const char *valid, const char *field, const char *p)
{
    char sid[40];
    next_sid(sid);
    buf_t b;
    buf_init(&b);
    add_pair(&b, "_sid", sid);
    add_body_except(&b, valid, field, NULL);
    add_pair(&b, field, p);
    http_resp_t r;
    int st = post(path, b.data, &r);
    if (st != 303 && st != 422) fail_msg("%s %s=%s: status %d", path, field, p, st);
    assert_inert_html(&r, p);
    http_resp_free(&r);
    char *v;
    int rc = stored_value(sid, field, &v);
    free(v);
    assert_int_equal(rc, st == 303 ? 0 : -1);
    buf_free(&b);
}

/* A phone question (model/phone.h): a payload is no phone number, so it is
 * refused, shown again escaped, never stored, never reflected raw. */
static void check_phone_field(const char *path, const char *valid, const char *field, const char *p)
{
    char sid[40];
    next_sid(sid);
    buf_t b;
    buf_init(&b);
    add_pair(&b, "_sid", sid);
    add_body_except(&b, valid, field, NULL);
    add_pair(&b, field, p);
    http_resp_t r;
    if (post(path, b.data, &r) != 422) fail_msg("%s %s=%s: status %d, not 422", path, field, p, r.status);
    assert_inert_html(&r, p);
    buf_t esc;
    buf_init(&esc);
    buf_html(&esc, p);
    if (!strstr(r.body, esc.data)) fail_msg("%s: %s not shown again (escaped)", path, field);
    buf_free(&esc);
    http_resp_free(&r);
    char *v;
    assert_int_equal(stored_value(sid, field, &v), -1);
    buf_free(&b);
}

static void test_payloads_in_every_question_stay_inert(void **state)
{
    (void)state;
    size_t text_fields = 0;
    for (size_t fi = 0; fi < nforms; fi++) {
        const form_t *f = forms[fi];
        if (f->staff) continue;   /* issue 18: a register is 404 here (test_registers) */
        const struct base *base = base_of(f->id);
        char path[128];
        snprintf(path, sizeof path, "/e/%s", f->id);
        for (size_t qi = 0; qi < f->nq; qi++) {
            const question_t *q = &f->q[qi];
            if (q->type == Q_NOTE || q->type == Q_BEGIN_GROUP || q->type == Q_END_GROUP) continue;
            if (q->type == Q_TEXT && phone_question(q->name)) {
                text_fields++;
                for (size_t i = 0; i < NPAYLOADS; i++)
                    check_phone_field(path, base->valid, q->name, payload(i));
            } else if (q->type == Q_TEXT) {
                text_fields++;
                for (size_t i = 0; i < NPAYLOADS; i++)
                    check_text_field(path, base->valid, base->invalid, q->name, payload(i));
            } else {
                check_other_field(path, base->valid, q->name, XSS[1]);
                check_other_field(path, base->valid, q->name, SQLI[0]);
            }
        }
    }
    fprintf(stderr, "# %zu forms, %zu text fields, %zu payloads each\n", nforms, text_fields, NPAYLOADS);
    assert_true(text_fields >= 3);

    /* The database is whole: every table still there, integrity ok. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(srv.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM responses), "
                                            "(SELECT count(*) FROM answers), "
                                            "(SELECT integrity_check FROM pragma_integrity_check)",
                                        -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_true(sqlite3_column_int(st, 0) >= (int)(text_fields * NPAYLOADS));
    assert_true(sqlite3_column_int(st, 1) > 0);
    assert_string_equal((const char *)sqlite3_column_text(st, 2), "ok");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* ---- query parameters and paths ------------------------------------------- */

static void get_inert(const char *target, const char *p)
{
    http_resp_t r;
    assert_int_equal(http_get(srv.port, target, NULL, &r), 0);
    if (r.status >= 500) fail_msg("GET %s: %d", target, r.status);
    assert_security_headers(&r);
    assert_inert_html(&r, p);
    http_resp_free(&r);
}

static void test_payloads_in_query_and_path_stay_inert(void **state)
{
    (void)state;
    static const char *const pages[] = {
        "/", "/e/satisfaccion", "/e/satisfaccion/gracias", "/carteles", "/healthz",
        "/api/v1/forms", "/api/v1/indicators",
    };
    static const char *const params[] = { "lang", "p", "form", "point", "from", "to", "x" };
    for (size_t i = 0; i < NPAYLOADS; i++) {
        const char *p = payload(i);
        buf_t q, t;
        buf_init(&q);
        buf_init(&t);
        for (size_t k = 0; k < sizeof params / sizeof params[0]; k++) add_pair(&q, params[k], p);
        for (size_t pg = 0; pg < sizeof pages / sizeof pages[0]; pg++) {
            buf_reset(&t);
            buf_printf(&t, "%s?%s", pages[pg], q.data);
            get_inert(t.data, p);
        }
        buf_free(&q);
        /* As a path segment of every route that takes one. */
        static const char *const prefixes[] = { "/e/", "/s/", "/q/", "/carteles/" };
        for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++) {
            buf_reset(&t);
            buf_puts(&t, prefixes[k]);
            buf_urlenc(&t, p);
            get_inert(t.data, p);
        }
        buf_free(&t);
    }
}

/* ---- staff pages -------------------------------------------------------------- */

/* GET path as staff; the body must be inert and, when want is given,
 * show it escaped. */
static void staff_get_inert(const char *path, const char *cookie, const char *p, const char *want)
{
    http_resp_t r;
    assert_int_equal(http_get(srv.port, path, cookie, &r), 0);
    if (r.status >= 500) fail_msg("GET %s: %d", path, r.status);
    assert_security_headers(&r);
    assert_inert_html(&r, p);
    if (want) {
        buf_t esc;
        buf_init(&esc);
        buf_html(&esc, want);
        if (!strstr(r.body, esc.data)) fail_msg("GET %s: %s not shown (escaped)", path, want);
        buf_free(&esc);
    }
    http_resp_free(&r);
}

/* The text fields of the case page's "save" action. */
static const char *const staff_fields[] = { "respuesta", "nota" };

static void test_staff_and_tracking_pages_show_payloads_inert(void **state)
{
    (void)state;
    char cookie[256];
    assert_int_equal(staffsrv_session(&srv, "seguridad", "admin", cookie, sizeof cookie), 0);
    for (size_t i = 0; i < NXSS; i++) {
        const char *p = XSS[i];
        /* A complaint with the payload in every text field. */
        char sid[40];
        next_sid(sid);
        buf_t b;
        buf_init(&b);
        add_pair(&b, "_sid", sid);
        add_body_except(&b, base_of("quejas")->valid, "comentario", "contacto_nombre");
        add_pair(&b, "comentario", p);
        add_pair(&b, "contacto_nombre", p);
        http_resp_t r;
        assert_int_equal(post("/e/quejas", b.data, &r), 303);
        char *loc = http_header(&r, "Location");
        http_resp_free(&r);
        const char *c = loc ? strstr(loc, "&c=") : NULL;
        assert_non_null(c);
        char code[32], path[64];
        snprintf(code, sizeof code, "%.*s", (int)strcspn(c + 3, "#&"), c + 3);
        free(loc);

        staff_get_inert("/casos", cookie, p, p);
        snprintf(path, sizeof path, "/casos/%s", code);
        staff_get_inert(path, cookie, p, p);

        /* Staff answer with the payload; shown escaped to staff and on
         * the public tracking page. */
        assert_int_equal(http_get(srv.port, path, cookie, &r), 0);
        char csrf[128];
        assert_int_equal(staff_csrf(&r, csrf, sizeof csrf), 0);
        http_resp_free(&r);
        buf_reset(&b);
        add_pair(&b, "_csrf", csrf);
        add_pair(&b, "accion", "guardar");
        for (size_t k = 0; k < sizeof staff_fields / sizeof staff_fields[0]; k++)
            add_pair(&b, staff_fields[k], p);
        assert_int_equal(http_post_with(srv.port, path, cookie, b.data, &r), 0);
        assert_int_equal(r.status, 303);
        assert_security_headers(&r);
        http_resp_free(&r);
        staff_get_inert(path, cookie, p, p);
        snprintf(path, sizeof path, "/seguimiento/%s", code);
        staff_get_inert(path, NULL, p, p);

        /* Query parameters of staff pages. */
        static const char *const pages[] = { "/panel", "/casos", "/usuarios", "/auditoria", "/indicadores",
                                             "/seguimiento", "/login" };
        static const char *const params[] = { "estado", "servicio", "antiguedad", "vencidos", "antes",
                                              "c", "next", "ok", "lang", "form", "from", "to" };
        buf_t q, t;
        buf_init(&q);
        buf_init(&t);
        for (size_t k = 0; k < sizeof params / sizeof params[0]; k++) add_pair(&q, params[k], p);
        for (size_t pg = 0; pg < sizeof pages / sizeof pages[0]; pg++) {
            buf_reset(&t);
            buf_printf(&t, "%s?%s", pages[pg], q.data);
            staff_get_inert(t.data, cookie, p, NULL);
        }
        buf_free(&q);
        buf_free(&t);
        buf_free(&b);
    }
}

/* After logging in, the return address is a path on this site, whatever
 * ?next= says. */
static void test_login_never_redirects_off_site(void **state)
{
    (void)state;
    char cookie[256];
    assert_int_equal(staffsrv_session(&srv, "redir", "lectura", cookie, sizeof cookie), 0);
    static const char *const nexts[] = { "//evil.example/", "https://evil.example/", "/\\evil.example",
                                         "javascript:alert(1)", "/%0d%0aSet-Cookie:x=1" };
    for (size_t i = 0; i < sizeof nexts / sizeof nexts[0]; i++) {
        buf_t path, body;
        buf_init(&path);
        buf_init(&body);
        buf_puts(&path, "/login?next=");
        buf_urlenc(&path, nexts[i]);
        http_resp_t r;
        assert_int_equal(http_get(srv.port, path.data, NULL, &r), 0);
        assert_inert_html(&r, nexts[i]);
        http_resp_free(&r);
        add_pair(&body, "usuario", "redir");
        add_pair(&body, "clave", "clave-de-redir-123");     /* staff_session's password */
        assert_int_equal(http_post(srv.port, path.data, body.data, &r), 0);
        assert_int_equal(r.status, 303);
        assert_security_headers(&r);
        char *loc = http_header(&r, "Location");
        assert_non_null(loc);
        if (loc[0] != '/' || loc[1] == '/' || loc[1] == '\\' || strpbrk(loc, "\r\n"))
            fail_msg("next=%s redirected to %s", nexts[i], loc);
        free(loc);
        http_resp_free(&r);
        buf_free(&path);
        buf_free(&body);
    }
}

/* ---- headers on every kind of response -------------------------------------- */

static void test_every_kind_of_response_carries_security_headers(void **state)
{
    (void)state;
    http_resp_t r;
    static const char *const gets[] = { "/", "/healthz", "/e/satisfaccion", "/e/nope", "/s/buzon.css",
                                        "/api/v1/forms", "/carteles", "/e/satisfaccion/gracias" };
    for (size_t i = 0; i < sizeof gets / sizeof gets[0]; i++) get_inert(gets[i], NULL);

    char code[SHORTCODE_LEN + 1], path[32];
    shortcode_make("satisfaccion", NULL, code);
    snprintf(path, sizeof path, "/q/%s", code);
    assert_int_equal(http_get(srv.port, path, NULL, &r), 0);
    assert_int_equal(r.status / 100, 3);
    assert_security_headers(&r);
    http_resp_free(&r);

    /* 304 */
    assert_int_equal(http_get(srv.port, "/s/buzon.css", NULL, &r), 0);
    char *etag = http_header(&r, "ETag");
    http_resp_free(&r);
    char hdr[128];
    snprintf(hdr, sizeof hdr, "If-None-Match: %s\r\n", etag);
    free(etag);
    assert_int_equal(http_get(srv.port, "/s/buzon.css", hdr, &r), 0);
    assert_int_equal(r.status, 304);
    assert_security_headers(&r);
    http_resp_free(&r);

    /* 303, 422, 400, 413, 405 */
    assert_int_equal(post("/e/satisfaccion", "servicio=mercado&satisfaccion=4", &r), 303);
    http_resp_free(&r);
    assert_int_equal(post("/e/satisfaccion", "satisfaccion=9", &r), 422);
    assert_inert_html(&r, NULL);
    http_resp_free(&r);
    assert_int_equal(post("/e/satisfaccion", "satisfaccion=%G1", &r), 400);
    http_resp_free(&r);
    char *big = xmalloc(70 * 1024 + 1);
    memset(big, 'a', 70 * 1024);
    big[70 * 1024] = '\0';
    assert_int_equal(post("/e/satisfaccion", big, &r), 413);
    http_resp_free(&r);
    free(big);
    static const char put[] = "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    assert_int_equal(http_raw(srv.port, put, sizeof put - 1, &r), 0);
    assert_int_equal(r.status, 405);
    assert_security_headers(&r);
    http_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_payloads_in_every_question_stay_inert),
        cmocka_unit_test(test_payloads_in_query_and_path_stay_inert),
        cmocka_unit_test(test_staff_and_tracking_pages_show_payloads_inert),
        cmocka_unit_test(test_login_never_redirects_off_site),
        cmocka_unit_test(test_every_kind_of_response_carries_security_headers),
    };
    return cmocka_run_group_tests_name("security", tests, setup, teardown);
}
