/*
 * http_staff_int.h: what the staff handler files share beyond http_int.h
 * (private to http_staff.c, http_cases.c, http_export.c): collecting the
 * store's users and audit entries into the render_staff.h views.
 */
#ifndef BUZON_HTTP_STAFF_INT_H
#define BUZON_HTTP_STAFF_INT_H

#include "http/http_int.h"
#include "view/render_staff.h"

/* Every account, by name (caller frees with http_staff_users_free).
 * STORE_OK or STORE_ERR. */
int http_staff_users(const app_t *app, user_view_t **out, size_t *n);
void http_staff_users_free(user_view_t *v, size_t n);

typedef struct http_audit {
    audit_view_t *v;
    size_t n;
} http_audit_t;

/* Audit entries as store_audit_list selects them, copied into out (free
 * with http_audit_free, also after an error). STORE_OK or STORE_ERR. */
int http_audit_collect(const app_t *app, const char *object, int64_t before, size_t limit,
                       http_audit_t *out);
void http_audit_free(http_audit_t *a);

#endif
