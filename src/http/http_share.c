/*
 * http_share.c (issue 17 item 7): the two addresses browsers ask for on
 * their own, so pages can be shared and installed: /favicon.ico (the file
 * www/favicon.ico, as /s/ serves it: an old browser, or one without SVG
 * icons, asks for it whatever the page says; before this it got a 404)
 * and /manifest.webmanifest (in the page's language, from the strings
 * tables: render_manifest).
 */
#include "http/http_int.h"

#include <stdio.h>
#include <microhttpd.h>

#include "view/render_share.h"

enum MHD_Result h_favicon(struct MHD_Connection *c, req_t *r, app_t *app)
{
    snprintf(r->route.arg, sizeof r->route.arg, "%s", "favicon.ico");
    return h_static(c, r, app);
}

enum MHD_Result h_manifest(struct MHD_Connection *c, req_t *r, app_t *app)
{
    (void)app;
    buf_t b;
    buf_init(&b);
    render_manifest(&b, http_lang(c, LANG_ES));
    /* the language comes from Accept-Language: one copy a day per browser */
    return http_send_buf(c, r, MHD_HTTP_OK, &b, "application/manifest+json", "public, max-age=86400");
}
