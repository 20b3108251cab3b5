/*
 * http_staff.c: the door of the staff area: logging in and out, the guard
 * every staff handler starts with, and the pages that are only about
 * staff (home, users, audit log).
 *
 * Sessions: a random token in a cookie (HttpOnly, SameSite=Strict, and
 * Secure when the base URL is https://, i.e. when a TLS reverse proxy
 * stands in front: buzon itself speaks plain HTTP). Every form of a
 * session carries its CSRF token, checked in constant time. The login form
 * has no session yet; it is guarded by the Origin check instead (a browser
 * always sends Origin on a POST) and by SameSite.
 *
 * Privacy: the client address is read (http_client_key, shared with the
 * submission rate limit) only to throttle password guessing per address
 * (auth.h). It is reduced to a keyed hash in memory and never stored or
 * logged; behind a local reverse proxy the last X-Forwarded-For entry
 * stands for it.
 */
#include "http/http_int.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/url.h"
#include "service/notices.h"
#include "service/staff.h"
#include "view/render_notices.h"
#include "view/render_staff.h"

/* Login fields: the contract's one text field and one password field. */
#define FIELD_USER "usuario"
#define FIELD_PASSWORD "clave"

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- small response helpers ------------------------------------------------ */

/* Queue body (taken over) with status and up to two extra headers. */
static enum MHD_Result send_with(struct MHD_Connection *c, req_t *r, unsigned status, buf_t *body,
                                 const char *type, const char *h1, const char *v1, const char *h2,
                                 const char *v2, const char *h3, const char *v3)
{
    size_t len = body->len;
    char *data = buf_steal(body);
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, data ? data : (char *)"",
                                                                data ? MHD_RESPMEM_MUST_FREE
                                                                     : MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(data);
        return MHD_NO;
    }
    if (h1) MHD_add_response_header(resp, h1, v1);
    if (h2) MHD_add_response_header(resp, h2, v2);
    if (h3) MHD_add_response_header(resp, h3, v3);
    r->bytes = len;
    return http_queue(c, r, status, resp, type, "no-store");
}

/* 303 to location, setting (or clearing, token NULL) the session cookie,
 * and, when device_name is not NULL, the device cookie device_name=device
 * (auth.h: a year, sent only to /login). */
static enum MHD_Result redirect_with_cookie(struct MHD_Connection *c, req_t *r, const app_t *app,
                                            const char *location, const char *token,
                                            const char *device_name, const char *device)
{
    buf_t cookie, dev, empty;
    buf_init(&cookie);
    buf_init(&dev);
    buf_init(&empty);
    buf_printf(&cookie, SESSION_COOKIE "=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s",
               token ? token : "", token ? AUTH_ABSOLUTE_S : 0, app->secure_cookies ? "; Secure" : "");
    if (device_name)
        buf_printf(&dev, "%s=%s; Path=/login; Max-Age=%d; HttpOnly; SameSite=Strict%s", device_name, device,
                   AUTH_DEVICE_MAX_AGE_S, app->secure_cookies ? "; Secure" : "");
    enum MHD_Result ret = send_with(c, r, MHD_HTTP_SEE_OTHER, &empty, "text/plain; charset=utf-8",
                                    "Location", location, "Set-Cookie", cookie.data,
                                    device_name ? "Set-Cookie" : NULL, dev.data);
    buf_free(&cookie);
    buf_free(&dev);
    return ret;
}

/* The name of the device cookie of account name ("buzon_d_<name>": one
 * per account, so staff sharing an office computer each keep theirs),
 * into out; false when name is not a valid account name. */
enum { DEVICE_COOKIE_NAME_MAX = 8 + AUTH_NAME_MAX + 1 };
static bool device_cookie_name(const char *name, char out[DEVICE_COOKIE_NAME_MAX])
{
    if (!auth_valid_name(name)) return false;
    snprintf(out, DEVICE_COOKIE_NAME_MAX, "buzon_d_%s", name);
    return true;
}

static enum MHD_Result send_api_error(struct MHD_Connection *c, req_t *r, unsigned status,
                                      const char *error)
{
    return http_send_json(c, r, status, json_pack("{s:s}", "error", error));
}

/* ---- who is asking ------------------------------------------------------- */

static bool is_api(const req_t *r)
{
    return !strncmp(r->url, "/api/", 5);
}

/* The live session of this request, if any. */
static bool session_of(struct MHD_Connection *c, const app_t *app, staff_req_t *s)
{
    const char *tok = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, SESSION_COOKIE);
    if (!auth_token_ok(tok)) return false;
    if (staff_session(app->store, tok, (int64_t)time(NULL), &s->who) != STORE_OK) return false;
    snprintf(s->token, sizeof s->token, "%s", tok);
    auth_csrf(tok, s->csrf);
    return true;
}

/* Is a path safe to send someone to after login: one that stays on this
 * site as browsers read it (base/url.h). */
static bool local_path(const char *p)
{
    return url_local_path(p);
}

/* 403 as a staff page saying why (body), with the staff menu. */
static enum MHD_Result forbidden(struct MHD_Connection *c, req_t *r, const app_t *app,
                                 const staff_req_t *s, str_id_t body)
{
    staff_view_t v;
    http_staff_view(c, s, "/panel?", &v);
    buf_t b;
    buf_init(&b);
    render_staff_message(&b, &v, app->public_indicators, S_FORBIDDEN_TITLE, body);
    return http_send_html(c, r, MHD_HTTP_FORBIDDEN, &b);
}

/* One argument of a page's query onto the path in cls (a buf_t). */
static enum MHD_Result next_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    buf_t *b = cls;
    if (!strcmp(key, "lang") || b->len > 150) return MHD_YES;
    buf_putc(b, strchr(b->data, '?') ? '&' : '?');
    buf_urlenc(b, key);
    if (value) {
        buf_putc(b, '=');
        buf_urlenc(b, value);
    }
    return MHD_YES;
}

bool http_staff_guard(struct MHD_Connection *c, req_t *r, app_t *app, unsigned roles,
                      staff_req_t *s, enum MHD_Result *ret)
{
    memset(s, 0, sizeof *s);
    lang_t lang = http_lang(c, LANG_ES);
    if (!session_of(c, app, s)) {
        if (is_api(r)) {
            *ret = send_api_error(c, r, MHD_HTTP_UNAUTHORIZED, "login required");
            return false;
        }
        buf_t loc, next;
        buf_init(&loc);
        buf_init(&next);
        buf_puts(&next, r->url);
        /* issue 17: a page's own query comes back too (an interview's
         * point), but the language, which the login page carries */
        if (r->is_get) MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, next_arg, &next);
        buf_puts(&loc, "/login?next=");
        buf_urlenc(&loc, next.data);
        buf_free(&next);
        buf_printf(&loc, "&lang=%s", i18n_code(lang));
        *ret = http_redirect(c, r, MHD_HTTP_SEE_OTHER, loc.data);
        buf_free(&loc);
        return false;
    }
    if (!(ROLE_BIT(s->who.role) & roles)) {
        if (is_api(r)) {
            *ret = send_api_error(c, r, MHD_HTTP_FORBIDDEN, "your role does not allow this");
            return false;
        }
        *ret = forbidden(c, r, app, s, S_FORBIDDEN_BODY);
        return false;
    }
    return true;
}

enum MHD_Result http_staff_csrf_refused(struct MHD_Connection *c, req_t *r, const app_t *app,
                                       const staff_req_t *s)
{
    return forbidden(c, r, app, s, S_CSRF_BODY);
}

bool http_staff_post(struct MHD_Connection *c, req_t *r, app_t *app, unsigned roles,
                     staff_req_t *s, kvlist_t *form, enum MHD_Result *ret)
{
    memset(form, 0, sizeof *form);
    if (!http_staff_guard(c, r, app, roles, s, ret)) return false;
    urlenc_rc_t prc = urlenc_parse(r->body.data ? r->body.data : "", r->body.len, 16,
                                   ANSWER_MAX_BYTES, form);
    if (prc != URLENC_OK) {
        kvlist_free(form);
        *ret = http_send_error(c, r, app, MHD_HTTP_BAD_REQUEST);
        return false;
    }
    if (!auth_csrf_ok(s->token, kvlist_get(form, "_csrf"))) {
        kvlist_free(form);
        *ret = forbidden(c, r, app, s, S_CSRF_BODY);
        return false;
    }
    return true;
}

void http_staff_view(struct MHD_Connection *c, const staff_req_t *s, const char *self,
                     struct staff_view *v)
{
    *v = (staff_view_t){ .lang = http_lang(c, LANG_ES), .who = &s->who, .csrf = s->csrf,
                         .self = self };
}

/* ---- logging in and out ---------------------------------------------------- */

/* Origin of a browser's POST: absent (not a browser, or an old one) or
 * this site, as the base URL names it or as the Host header does. */
static bool same_origin(struct MHD_Connection *c, const app_t *app)
{
    const char *origin = http_header_in(c, "Origin");
    if (!origin) return true;
    if (!strcmp(origin, app->base_url)) return true;
    const char *host = http_header_in(c, "Host");
    if (!host) return false;
    const char *rest = !strncmp(origin, "http://", 7) ? origin + 7
                     : !strncmp(origin, "https://", 8) ? origin + 8 : NULL;
    return rest && !strcmp(rest, host);
}

static enum MHD_Result login_page(struct MHD_Connection *c, req_t *r, unsigned status,
                                  const char *user, str_id_t error)
{
    const char *next = http_arg(c, "next");
    buf_t b;
    buf_init(&b);
    render_login(&b, http_lang(c, LANG_ES), user, local_path(next) ? next : NULL, error, 0);
    return http_send_html(c, r, status, &b);
}

enum MHD_Result h_login_get(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    if (session_of(c, app, &s)) {
        const char *next = http_arg(c, "next");
        return http_redirect(c, r, MHD_HTTP_SEE_OTHER, local_path(next) ? next : "/panel");
    }
    return login_page(c, r, MHD_HTTP_OK, NULL, 0);
}

enum MHD_Result h_login_post(struct MHD_Connection *c, req_t *r, app_t *app)
{
    if (!same_origin(c, app)) return login_page(c, r, MHD_HTTP_FORBIDDEN, NULL, S_LOGIN_CROSS_SITE);
    kvlist_t form;
    if (urlenc_parse(r->body.data ? r->body.data : "", r->body.len, 16, AUTH_PASSWORD_MAX, &form)
        != URLENC_OK) {
        kvlist_free(&form);
        return http_send_error(c, r, app, MHD_HTTP_BAD_REQUEST);
    }
    const char *name = kvlist_get(&form, FIELD_USER), *pw = kvlist_get(&form, FIELD_PASSWORD);
    if (!name) name = "";
    if (!pw) pw = "";
    unsigned char addr[16];
    size_t alen = http_client_key(c, addr);
    enum MHD_Result ret;
    staff_t who;
    char token[AUTH_TOKEN_LEN + 1];
    unsigned wait;
    /* The browser's device cookie for this account (auth.h), if any. */
    char device_cookie[DEVICE_COOKIE_NAME_MAX] = "";
    const char *device = device_cookie_name(name, device_cookie)
                         ? MHD_lookup_connection_value(c, MHD_COOKIE_KIND, device_cookie) : NULL;
    staff_login_in_t in = { .name = name, .pw = pw, .addr = alen ? addr : NULL, .addrlen = alen,
                            .device = device, .mono = mono_now(), .now = (int64_t)time(NULL) };
    char device_new[AUTH_DEVICE_LEN + 1];
    staff_login_rc_t rc = staff_login(app->store, app->throttle, &in, &who, token, device_new, &wait);
    if (rc == STAFF_LOGIN_THROTTLED) {
        buf_t b;
        buf_init(&b);
        render_login(&b, http_lang(c, LANG_ES), name, NULL, S_LOGIN_THROTTLED, wait);
        char after[16];
        snprintf(after, sizeof after, "%u", wait);
        ret = send_with(c, r, MHD_HTTP_TOO_MANY_REQUESTS, &b, "text/html; charset=utf-8",
                        "Retry-After", after, NULL, NULL, NULL, NULL);
        goto out;
    }
    if (rc == STAFF_LOGIN_FAILED) {
        ret = login_page(c, r, MHD_HTTP_UNAUTHORIZED, name, S_LOGIN_FAILED);
        goto out;
    }
    if (rc != STAFF_LOGIN_OK) {
        ret = http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
        goto out;
    }
    const char *next = http_arg(c, "next");
    buf_t loc;
    buf_init(&loc);
    if (local_path(next)) buf_puts(&loc, next);
    else buf_printf(&loc, "/panel?lang=%s", i18n_code(http_lang(c, LANG_ES)));
    ret = redirect_with_cookie(c, r, app, loc.data, token, device_new[0] ? device_cookie : NULL,
                               device_new);
    buf_free(&loc);
out:
    kvlist_free(&form);
    return ret;
}

enum MHD_Result h_logout(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    kvlist_t form;
    enum MHD_Result ret;
    if (!http_staff_post(c, r, app, ROLES_ANY, &s, &form, &ret)) return ret;
    kvlist_free(&form);
    if (staff_logout(app->store, s.token, s.who.name, (int64_t)time(NULL)) != STORE_OK)
        return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    buf_t loc;
    buf_init(&loc);
    buf_printf(&loc, "/login?lang=%s", i18n_code(http_lang(c, LANG_ES)));
    ret = redirect_with_cookie(c, r, app, loc.data, NULL, NULL, NULL);
    buf_free(&loc);
    return ret;
}

/* ---- staff pages -------------------------------------------------------------- */

enum MHD_Result h_panel(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, ROLES_ANY, &s, &ret)) return ret;
    staff_view_t v;
    http_staff_view(c, &s, "/panel?", &v);
    notices_status_t ns;   /* issue 18: staff notices' sending state */
    if (notices_status(app->store, &ns) != STORE_OK)
        return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    notice_status_view_t nsv = { ns.pending, ns.error, ns.error_at };
    buf_t b;
    buf_init(&b);
    render_panel(&b, &v, &r->forms->cat, app->public_indicators, &nsv);
    free(ns.error);
    return http_send_html(c, r, MHD_HTTP_OK, &b);
}

/* The users page with p's message (NULL: none), answered with status. */
static enum MHD_Result users_page(struct MHD_Connection *c, req_t *r, app_t *app,
                                  const staff_req_t *s, unsigned status, const users_page_t *p)
{
    user_info_t *u;
    size_t n;
    if (staff_users(app->store, &u, &n) != STORE_OK)
        return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    notice_pref_t *np;   /* issue 18: each account's email and services */
    size_t nn;
    if (notices_prefs(app->store, &np, &nn) != STORE_OK) {
        user_info_free(u, n);
        notice_pref_free(np, nn);
        return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    }
    notice_users_view_t nv = { np, nn, &r->forms->cat.points };
    staff_view_t v;
    http_staff_view(c, s, "/usuarios?", &v);
    buf_t b;
    buf_init(&b);
    render_users(&b, &v, app->public_indicators, u, n, p, app->program, &nv);
    user_info_free(u, n);
    notice_pref_free(np, nn);
    return http_send_html(c, r, status, &b);
}

enum MHD_Result h_users(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_ADMIN, &s, &ret)) return ret;
    return users_page(c, r, app, &s, MHD_HTTP_OK, NULL);
}

/* issue 18: POST /usuarios accion=avisos: set account usuario's email
 * (correo, "" for none) and the services it hears of (every servicio
 * box ticked that names a service of the catalog; none: all). */
static enum MHD_Result notices_post(struct MHD_Connection *c, req_t *r, app_t *app, const staff_req_t *s,
                                    const kvlist_t *form)
{
    const char *name = kvlist_get(form, "usuario"), *email = kvlist_get(form, "correo");
    const char *lang = kvlist_get(form, "idioma");   /* session 23: absent keeps it */
    buf_t services;
    buf_init(&services);
    for (size_t i = 0; i < form->n; i++)
        if (!strcmp(form->items[i].key, "servicio") &&
            points_service(&r->forms->cat.points, form->items[i].val)) {
            if (services.len) buf_putc(&services, ',');
            buf_puts(&services, form->items[i].val);
        }
    notices_rc_t rc = name && auth_valid_name(name)
                          ? notices_set(app->store, name, email, services.data, lang, s->who.name, (int64_t)time(NULL))
                          : NOTICES_NOTFOUND;
    buf_free(&services);
    if (rc == NOTICES_ERR) return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    users_page_t p = { .message = rc == NOTICES_OK ? S_NOTICE_SAVED
                                  : rc == NOTICES_BAD_EMAIL ? S_NOTICE_BAD_EMAIL
                                  : rc == NOTICES_BAD_LANG ? S_NOTICE_BAD_LANG : S_USERS_NO_SUCH,
                       .error = rc != NOTICES_OK, .name = name };
    return users_page(c, r, app, s, rc == NOTICES_OK ? MHD_HTTP_OK
                                    : rc == NOTICES_BAD_EMAIL || rc == NOTICES_BAD_LANG
                                        ? MHD_HTTP_UNPROCESSABLE_CONTENT
                                        : MHD_HTTP_NOT_FOUND, &p);
}

/* The account changes of the users page, by the form's "accion". */
typedef enum user_op { OP_ADD, OP_DISABLE, OP_ENABLE, OP_ROLE, OP_RESET, OP_COUNT } user_op_t;

enum MHD_Result h_users_post(struct MHD_Connection *c, req_t *r, app_t *app)
{
    static const char *const ops[OP_COUNT] = { "crear", "desactivar", "activar", "rol", "clave" };
    static const str_id_t done[OP_COUNT] = { S_USERS_CREATED, S_USERS_DISABLED_DONE,
                                             S_USERS_ENABLED_DONE, S_USERS_ROLE_DONE,
                                             S_USERS_RESET_DONE };
    staff_req_t s;
    kvlist_t form;
    enum MHD_Result ret;
    if (!http_staff_post(c, r, app, AUTH_ROLES_ADMIN, &s, &form, &ret)) return ret;
    const char *action = kvlist_get(&form, "accion"), *name = kvlist_get(&form, "usuario");
    if (action && !strcmp(action, "avisos")) {   /* issue 18: an account's notice settings */
        ret = notices_post(c, r, app, &s, &form);
        kvlist_free(&form);
        return ret;
    }
    const char *rolename = kvlist_get(&form, "rol");
    int op = 0, role = rolename ? auth_role_parse(rolename) : -1;
    while (op < OP_COUNT && !(action && !strcmp(action, ops[op]))) op++;
    users_page_t p = { .error = true };
    unsigned status = MHD_HTTP_UNPROCESSABLE_CONTENT;
    if (op == OP_COUNT || ((op == OP_ADD || op == OP_ROLE) && role < 0)) {
        p.message = S_USERS_BAD_REQUEST;
    } else if (!name || !auth_valid_name(name)) {
        p.message = op == OP_ADD ? S_USERS_BAD_NAME : S_USERS_NO_SUCH;
    } else {
        char pw[AUTH_GENERATED_LEN + 1] = "";
        int64_t now = (int64_t)time(NULL);
        staff_user_rc_t rc;
        switch ((user_op_t)op) {
        case OP_ADD: rc = staff_user_add_generated(app->store, name, (role_t)role, s.who.name, now, pw); break;
        case OP_DISABLE: rc = staff_user_disable(app->store, name, s.who.name, now); break;
        case OP_ENABLE: rc = staff_user_enable(app->store, name, s.who.name, now); break;
        case OP_ROLE: rc = staff_user_role(app->store, name, (role_t)role, s.who.name, now); break;
        default: rc = staff_user_reset(app->store, name, s.who.name, now, pw); break;
        }
        if (rc == STAFF_USER_OK) {
            p = (users_page_t){ .message = done[op], .name = name, .password = pw[0] ? pw : NULL };
            status = MHD_HTTP_OK;
        } else if (rc == STAFF_USER_DUP) {
            p.message = S_USERS_DUP;
            status = MHD_HTTP_CONFLICT;
        } else if (rc == STAFF_USER_NOTFOUND) {
            p.message = S_USERS_NO_SUCH;
            status = MHD_HTTP_NOT_FOUND;
        } else if (rc == STAFF_USER_LAST_ADMIN) {
            p.message = S_USERS_LAST_ADMIN;
            status = MHD_HTTP_CONFLICT;
        } else {
            sodium_memzero(pw, sizeof pw);
            kvlist_free(&form);
            return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
        }
        /* Disabling oneself ended one's own session: off to the login page. */
        if (rc == STAFF_USER_OK && op == OP_DISABLE && !strcmp(name, s.who.name)) {
            char loc[32];
            snprintf(loc, sizeof loc, "/login?lang=%s", i18n_code(http_lang(c, LANG_ES)));
            kvlist_free(&form);
            return redirect_with_cookie(c, r, app, loc, NULL, NULL, NULL);
        }
        ret = users_page(c, r, app, &s, status, &p);
        sodium_memzero(pw, sizeof pw);
        kvlist_free(&form);
        return ret;
    }
    ret = users_page(c, r, app, &s, status, &p);
    kvlist_free(&form);
    return ret;
}

enum { AUDIT_PAGE = 100 };

enum MHD_Result h_audit(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_ADMIN, &s, &ret)) return ret;
    const char *before = http_arg(c, "antes");
    audit_entry_t *e;
    size_t n;
    /* One more than a page tells whether there are older entries. */
    if (staff_audit(app->store, NULL, before ? strtoll(before, NULL, 10) : 0, AUDIT_PAGE + 1, &e,
                    &n) != STORE_OK) {
        audit_entry_free(e, n);
        return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    }
    bool more = n > AUDIT_PAGE;
    staff_view_t v;
    http_staff_view(c, &s, "/auditoria?", &v);
    buf_t b;
    buf_init(&b);
    render_audit(&b, &v, app->public_indicators, e, more ? AUDIT_PAGE : n, more);
    audit_entry_free(e, n);
    return http_send_html(c, r, MHD_HTTP_OK, &b);
}
