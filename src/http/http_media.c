/*
 * http_media.c (issue 16, media): the survey route's larger body for a
 * form with a photo question, its clear 413 page, and the photos served to
 * staff who may see raw answers (AUTH_ROLES_CASES) at
 * /api/v1/forms/<form>/media/<name>.
 *
 * A survey without a photo keeps the server's usual small body limit: only
 * a form that asks for a file lets a visitor send megabytes.
 */
#include "http/http_int.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/media.h"
#include "service/media.h"
#include "view/render.h"

/* Bodies of up to SURVEY_MEDIA_BODY_MAX held at once: bounds the memory
 * a crowd of uploads can take (each is buffered whole, http.c). */
#define MEDIA_SLOTS 8
static atomic_int media_in_flight;

bool http_survey_admit(struct MHD_Connection *c, req_t *r, app_t *app, enum MHD_Result *ret)
{
    if (!r->forms) r->forms = app_forms_take(app);
    const form_t *f = catalog_form(&r->forms->cat, r->route.arg, NULL);
    if (!f || !media_form_has(f)) return true;
    r->media_form = true;
    /* Only a multipart body carries a photo, and only one over the usual
     * limit needs the larger limit and one of the few slots: the standard
     * forms ask for an optional photo (issue 16 item 6), and their every
     * submission must neither wait for a slot nor send megabytes of text. */
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!ct || strncasecmp(ct, "multipart/form-data", 19)) return true;
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl && strtoull(cl, NULL, 10) <= r->max_body) return true;
    if (atomic_fetch_add(&media_in_flight, 1) >= MEDIA_SLOTS) {
        atomic_fetch_sub(&media_in_flight, 1);
        *ret = http_send_error(c, r, app, MHD_HTTP_SERVICE_UNAVAILABLE);
        return false;
    }
    r->media_slot = true;
    if (r->max_body < SURVEY_MEDIA_BODY_MAX) r->max_body = SURVEY_MEDIA_BODY_MAX;
    return true;
}

void http_survey_release(req_t *r)
{
    if (!r->media_slot) return;
    r->media_slot = false;
    atomic_fetch_sub(&media_in_flight, 1);
}

enum MHD_Result http_survey_too_big(struct MHD_Connection *c, req_t *r, app_t *app)
{
    if (!r->forms) r->forms = app_forms_take(app);
    buf_t b;
    buf_init(&b);
    render_notice(&b, &r->forms->cat, http_lang(c, LANG_ES), S_E413_TITLE, S_MEDIA_TOO_BIG);
    return http_send_html(c, r, MHD_HTTP_CONTENT_TOO_LARGE, &b);
}

enum MHD_Result h_media(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_CASES, &s, &ret)) return ret;
    store_media_file_t m;
    store_rc_t rc = svc_media_get(app->store, r->route.arg, r->route.arg2, &m);
    if (rc == STORE_NOTFOUND) return http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    if (rc != STORE_OK) return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    buf_t b;
    buf_init(&b);
    buf_append(&b, m.data, m.len);
    /* The type is the one sniffed when stored; nosniff (http_queue) keeps
     * browsers to it. Anything but an image is a download, never shown. */
    bool image = !strncmp(m.type, "image/", 6);
    ret = image ? http_send_buf(c, r, MHD_HTTP_OK, &b, m.type, "private, no-store")
                : http_send_file(c, r, MHD_HTTP_OK, &b, m.type, "private, no-store", r->route.arg2);
    svc_media_free(&m);
    return ret;
}
