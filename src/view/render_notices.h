/*
 * render_notices.h: the HTML of staff notices (issue 18): each account's
 * email and services on /usuarios, and the sending state on the staff
 * home page. Same rules as render_staff.h (escaped values, texts from the
 * strings tables, complete without JavaScript).
 */
#ifndef BUZON_RENDER_NOTICES_H
#define BUZON_RENDER_NOTICES_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "model/notice.h"
#include "model/points.h"
#include "view/render_staff.h"

/* What the users page shows of notices: every account's settings and the
 * services an admin may narrow them to. */
typedef struct notice_users_view {
    const notice_pref_t *prefs;  size_t n;
    const points_t      *points;
} notice_users_view_t;

/* The sending state for the home page. */
typedef struct notice_status_view {
    int64_t     pending;
    const char *error;      /* the newest failure, or NULL */
    int64_t     error_at;
} notice_status_view_t;

/* A section with one form per enabled account (email, service boxes, save:
 * POST /usuarios accion=avisos usuario correo servicio...). nv NULL: none. */
void render_notice_prefs(buf_t *out, const staff_view_t *v, const notice_users_view_t *nv);
/* The pending count and the last failure, when there is anything to
 * say (nothing pending and no failure: nothing). ns NULL: nothing. */
void render_notice_status(buf_t *out, const staff_view_t *v, const notice_status_view_t *ns);

#endif
