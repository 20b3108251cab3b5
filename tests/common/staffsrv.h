/*
 * staffsrv.h: integration-test support for the staff area: create an
 * account on a running test server's database (through `buzon user add`,
 * the password piped to stdin, as an administrator would), log in, and
 * speak to staff pages with the session cookie and CSRF token.
 */
#ifndef BUZON_STAFFSRV_H
#define BUZON_STAFFSRV_H

#include <stddef.h>
#include "testsrv.h"

/* `buzon user add name --role role --db <s's database>` with password on
 * stdin. Returns the command's exit status (0 created), or -1. */
int staffsrv_add(const testsrv_t *s, const char *name, const char *role, const char *password);
/* POST /login. On 303, writes "Cookie: buzon_s=<token>\r\n" into cookie
 * (a header line for http_get / http_post_with). Returns the HTTP status
 * (or -1). */
int staffsrv_login(unsigned port, const char *name, const char *password, char *cookie, size_t n);
/* staffsrv_add then staffsrv_login (password derived from name): 0 with the
 * cookie line, or -1. */
int staffsrv_session(const testsrv_t *s, const char *name, const char *role, char *cookie, size_t n);
/* POST an urlencoded body with extra header lines (each ending in \r\n). */
int http_post_with(unsigned port, const char *path, const char *headers, const char *body,
                   http_resp_t *out);
/* The value of the first `_csrf` hidden field of a page into out: 0, or -1
 * when the page has none. */
int staff_csrf(const http_resp_t *page, char *out, size_t n);
/* issue 18: post as cookie's account a register entry (fields "name=value" pairs,
 * NULL-terminated) with the file data (len bytes) as its evidence, as the
 * page sends it, with the CSRF token of its page; the answer into *r. */
void staffsrv_post_register(unsigned port, const char *cookie, const char *form, const char *query,
                            const char *const *fields, const char *fname, const char *ctype,
                            const char *data, size_t len, http_resp_t *r);
/* session 23: POST fields (urlencoded, without _csrf) to path as cookie's
 * account, with the CSRF token of the page GET path answers (200, or the
 * test fails); the answer into *r. Returns its status, -1 for none. */
int staffsrv_post_form(unsigned port, const char *path, const char *cookie, const char *fields, http_resp_t *r);
/* The status GET path answers on port with headers (a cookie line, or
 * NULL); 0 when no answer came. */
unsigned staffsrv_status(unsigned port, const char *path, const char *headers);

#endif
