/*
 * http_media.c (issue 16, media): the survey route's larger body for a
 * form with a photo question, its clear 413 page, and the photos served to
 * staff who may see raw answers (AUTH_ROLES_CASES; for a staff register,
 * AUTH_ROLES_REGISTERS, issue 18) at /api/v1/forms/<form>/media/<name>.
 *
 * A survey without a photo keeps the server's usual small body limit: only
 * a form that asks for a file lets a visitor send megabytes.
 */
#include "http/http_int.h"

#include <pthread.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/media.h"
#include "service/media.h"
#include "view/render.h"

/* Bodies larger than the usual limit held at once: bounds the memory a
 * crowd of uploads can take (each is buffered whole, http.c), and at most
 * MEDIA_SLOTS_PER_ADDR of them per address, so that one address holding
 * slow uploads open cannot make every photo form answer 503. A post that
 * fits the usual limit (an answer without a photo, the language switch, a
 * small photo) never waits for a slot. */
#define MEDIA_SLOTS 8
#define MEDIA_SLOTS_PER_ADDR 2
static struct {
    bool          used;
    unsigned char key[16];
    size_t        klen;
} media_slot[MEDIA_SLOTS];
static pthread_mutex_t media_mu = PTHREAD_MUTEX_INITIALIZER;

/* Take a slot for the client of c: its index, or -1 when none is free or
 * the client already holds its share. */
static int slot_take(struct MHD_Connection *c)
{
    unsigned char key[16];
    size_t klen = http_client_key(c, key);
    int free_at = -1, mine = 0;
    pthread_mutex_lock(&media_mu);
    for (int i = 0; i < MEDIA_SLOTS; i++) {
        if (!media_slot[i].used) {
            if (free_at < 0) free_at = i;
        } else if (media_slot[i].klen == klen && !memcmp(media_slot[i].key, key, klen)) {
            mine++;
        }
    }
    if (free_at >= 0 && mine < MEDIA_SLOTS_PER_ADDR) {
        media_slot[free_at].used = true;
        memcpy(media_slot[free_at].key, key, klen);
        media_slot[free_at].klen = klen;
    } else {
        free_at = -1;
    }
    pthread_mutex_unlock(&media_mu);
    return free_at;
}

bool http_survey_admit(struct MHD_Connection *c, req_t *r, app_t *app, enum MHD_Result *ret)
{
    if (!r->forms) r->forms = app_forms_take(app);
    /* issue 18: a register (R_REGISTER) is sent only on its staff route. */
    const form_t *f = r->route.id == R_REGISTER ? catalog_form(&r->forms->cat, r->route.arg, NULL)
                                                : catalog_public_form(&r->forms->cat, r->route.arg, NULL);
    if (!f || !media_form_has(f)) return true;
    r->media_form = true;
    /* Only a multipart body larger than the usual limit (or of unknown
     * length) needs the larger limit, and a slot. */
    const char *type = http_header_in(c, "Content-Type");
    const char *cl = http_header_in(c, "Content-Length");
    bool multipart = type && !strncasecmp(type, "multipart/form-data", 19);
    if (!multipart || (cl && strtoull(cl, NULL, 10) <= r->max_body)) return true;
    int slot = slot_take(c);
    if (slot < 0) {
        *ret = http_send_error(c, r, app, MHD_HTTP_SERVICE_UNAVAILABLE);
        return false;
    }
    r->media_slot = slot + 1;
    /* issue 16: a form with a recording or a film may send more. */
    size_t want = media_form_body_max(f);
    if (r->max_body < want) r->max_body = want;
    return true;
}

void http_survey_release(req_t *r)
{
    if (!r->media_slot) return;
    pthread_mutex_lock(&media_mu);
    media_slot[r->media_slot - 1].used = false;
    pthread_mutex_unlock(&media_mu);
    r->media_slot = 0;
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

unsigned http_form_readers(req_t *r, app_t *app, const char *form_id)
{
    if (!r->forms) r->forms = app_forms_take(app);
    /* A register's entries and evidence are the planners' work, not a
     * citizen's words: atencion, who reads complaints, has no business
     * there, and planificacion, who enters them, must read them back. */
    const form_t *f = catalog_form(&r->forms->cat, form_id, NULL);
    return f && f->staff ? AUTH_ROLES_REGISTERS : AUTH_ROLES_CASES;
}

enum MHD_Result h_media(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, http_form_readers(r, app, r->route.arg), &s, &ret)) return ret;
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
