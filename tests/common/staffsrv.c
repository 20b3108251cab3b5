/*
 * staffsrv.c: see staffsrv.h.
 */
#include "staffsrv.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "base/buf.h"

int staffsrv_add(const testsrv_t *s, const char *name, const char *role, const char *password)
{
    const char *bin = getenv("BUZON_BIN");
    buf_t cmd;
    buf_init(&cmd);
    /* Names, roles and paths in tests are plain words: no quoting needed
     * beyond the paths'. */
    buf_printf(&cmd, "'%s' user add %s --role %s --db '%s' >/dev/null", bin ? bin : "build/buzon", name,
               role, s->db);
    FILE *p = popen(cmd.data, "w");
    buf_free(&cmd);
    if (!p) return -1;
    fprintf(p, "%s\n", password);
    int st = pclose(p);
    return st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int http_post_with(unsigned port, const char *path, const char *headers, const char *body,
                   http_resp_t *out)
{
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Type: application/x-www-form-urlencoded\r\n"
                   "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
               path, headers ? headers : "", strlen(body), body);
    int rc = http_raw(port, b.data, b.len, out);
    buf_free(&b);
    return rc;
}

int staffsrv_login(unsigned port, const char *name, const char *password, char *cookie, size_t n)
{
    buf_t body;
    buf_init(&body);
    buf_puts(&body, "usuario=");
    buf_urlenc(&body, name);
    buf_puts(&body, "&clave=");
    buf_urlenc(&body, password);
    http_resp_t r;
    int rc = http_post(port, "/login", body.data, &r);
    buf_free(&body);
    if (rc < 0) return -1;
    int status = r.status;
    char *set = http_header(&r, "Set-Cookie");
    if (status == 303 && set) {
        size_t tl = strcspn(set, ";");
        snprintf(cookie, n, "Cookie: %.*s\r\n", (int)tl, set);
    }
    free(set);
    http_resp_free(&r);
    return status;
}

int staffsrv_session(const testsrv_t *s, const char *name, const char *role, char *cookie, size_t n)
{
    char pw[64];
    snprintf(pw, sizeof pw, "clave-de-%s-123", name);
    if (staffsrv_add(s, name, role, pw) != 0) return -1;
    return staffsrv_login(s->port, name, pw, cookie, n) == 303 ? 0 : -1;
}

int staff_csrf(const http_resp_t *page, char *out, size_t n)
{
    static const char mark[] = "name=_csrf value=\"";
    const char *p = page->body ? strstr(page->body, mark) : NULL;
    if (!p) return -1;
    p += sizeof mark - 1;
    size_t len = strcspn(p, "\"");
    if (len + 1 > n) return -1;
    memcpy(out, p, len);
    out[len] = '\0';
    return 0;
}

/* The CSRF token of the page GET path answers cookie's account (200, or
 * the test fails) into csrf (n bytes). */
static void page_csrf(unsigned port, const char *path, const char *cookie, char *csrf, size_t n)
{
    http_resp_t page;
    assert_int_equal(http_get(port, path, cookie, &page), 0);
    assert_int_equal(page.status, 200);
    assert_int_equal(staff_csrf(&page, csrf, n), 0);
    http_resp_free(&page);
}

void staffsrv_post_register(unsigned port, const char *cookie, const char *form, const char *query,
                                 const char *const *fields, const char *fname, const char *ctype,
                            const char *data, size_t len, http_resp_t *r)
{
    char path[128];
    snprintf(path, sizeof path, "/registros/%s%s", form, query);
    char csrf[128];
    page_csrf(port, path, cookie, csrf, sizeof csrf);
    static const char bd[] = "----staffRegisterBoundary";
    buf_t body, req;
    buf_init(&body);
    buf_init(&req);
    buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n%s\r\n", bd, csrf);
    for (size_t i = 0; fields[i]; i++) {
        const char *eq = strchr(fields[i], '=');
        buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"%.*s\"\r\n\r\n%s\r\n", bd,
                   (int)(eq - fields[i]), fields[i], eq + 1);
    }
    buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"evidencia\"; filename=\"%s\"\r\n"
                      "Content-Type: %s\r\n\r\n", bd, fname, ctype);
    buf_append(&body, data, len);
    buf_printf(&body, "\r\n--%s--\r\n", bd);
    buf_printf(&req, "POST %s HTTP/1.1\r\nHost: localhost\r\n%s"
                     "Content-Type: multipart/form-data; boundary=%s\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n", path, cookie, bd, body.len);
    buf_append(&req, body.data, body.len);
    assert_int_equal(http_raw(port, req.data, req.len, r), 0);
    buf_free(&body);
    buf_free(&req);
}

unsigned staffsrv_status(unsigned port, const char *path, const char *headers)
{
    http_resp_t r;
    if (http_get(port, path, headers, &r) != 0) return 0;
    unsigned st = r.status;
    http_resp_free(&r);
    return st;
}

int staffsrv_post_form(unsigned port, const char *path, const char *cookie, const char *fields, http_resp_t *r)
{
    char csrf[128];
    page_csrf(port, path, cookie, csrf, sizeof csrf);
    buf_t body;
    buf_init(&body);
    buf_printf(&body, "_csrf=%s&%s", csrf, fields);
    int rc = http_post_with(port, path, cookie, body.data, r);
    buf_free(&body);
    return rc == 0 ? (int)r->status : -1;
}
