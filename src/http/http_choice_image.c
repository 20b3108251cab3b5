/*
 * http_choice_image.c: GET /e/<form>/imagen?f=<file>, a choice's picture (issue
 * 16: the choices sheet's media::image). The picture was read and checked
 * (by its bytes) when the form loaded (model/form_media.c): the name only
 * selects among those, so nothing here opens a file. Public, like the
 * survey page it belongs to, and cacheable for a day: it changes only
 * with the form, and a phone on 2G should not fetch it twice.
 */
#include "http/http_int.h"

#include <string.h>

enum MHD_Result h_survey_image(struct MHD_Connection *c, req_t *r, app_t *app)
{
    const form_t *f = catalog_public_form(&r->forms->cat, r->route.arg, NULL);
    const char *name = http_arg(c, "f");
    const form_media_t *m = f && name ? form_media(f, name) : NULL;
    if (!m) return http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    buf_t b;
    buf_init(&b);
    buf_append(&b, m->data, m->len);
    return http_send_buf(c, r, MHD_HTTP_OK, &b, m->type, "public, max-age=86400");
}
