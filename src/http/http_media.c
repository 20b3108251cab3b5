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
    if (atomic_fetch_add(&media_in_flight, 1) >= MEDIA_SLOTS) {
        atomic_fetch_sub(&media_in_flight, 1);
        *ret = http_send_error(c, r, app, MHD_HTTP_SERVICE_UNAVAILABLE);
        return false;
    }
    r->media_slot = true;
    /* issue 16: a form with a recording or a film may send more. */
    size_t want = media_form_body_max(f);
    if (r->max_body < want) r->max_body = want;
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
    /* A form with other files than photos says every limit. */
    const form_t *f = catalog_form(&r->forms->cat, r->route.arg, NULL);
    render_notice(&b, &r->forms->cat, http_lang(c, LANG_ES), S_E413_TITLE,
                  f && media_form_has_av(f) ? S_MEDIA_AV_TOO_BIG : S_MEDIA_TOO_BIG);
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
     * browsers to it. An image, a recording or a film is shown inline (no
     * Content-Disposition: a browser plays these types in its own player
     * and runs nothing of them, and the case page's <audio>/<video> need
     * the bytes anyway); anything else (a PDF, whose viewer may run
     * scripts; a text, a document) is a download, never shown. */
    bool image = !strncmp(m.type, "image/", 6) || !strncmp(m.type, "audio/", 6) || !strncmp(m.type, "video/", 6);
    ret = image ? http_send_buf(c, r, MHD_HTTP_OK, &b, m.type, "private, no-store")
                : http_send_file(c, r, MHD_HTTP_OK, &b, m.type, "private, no-store", r->route.arg2);
    svc_media_free(&m);
    return ret;
}
