/*
 * http_posters.c: the poster side of the web: short links (/q/<code>, what
 * every QR encodes) and the posters page (/carteles) with each poster as
 * SVG for printing, PNG for WhatsApp and a bare QR code.
 *
 * Posters are drawn on request from the loaded forms and points: they are
 * cheap (SVG well under a millisecond, PNG ~50 ms) and always current.
 */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>

#include "model/poster.h"
#include "model/qr.h"
#include "view/render.h"
#include "view/render_staff.h"
#include "model/shortcode.h"

enum MHD_Result h_short(struct MHD_Connection *c, req_t *r, app_t *app)
{
    const form_t *f;
    const point_t *pt;
    if (shortcode_resolve(r->route.arg, app->cat.forms, app->cat.nforms, &app->cat.points, &f, &pt) < 0)
        return http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    buf_t loc;
    buf_init(&loc);
    shortcode_target(&loc, f, pt);
    /* 302, not 301: a phone must not cache where a poster leads for ever. */
    enum MHD_Result ret = http_redirect(c, r, MHD_HTTP_FOUND, loc.data);
    buf_free(&loc);
    return ret;
}

/* One row of the posters table: name, short link, the poster files. */
static void poster_row(buf_t *o, const app_t *app, const form_t *f, const point_t *pt, lang_t lang)
{
    buf_t link, q;
    buf_init(&link);
    buf_init(&q);
    poster_link(&link, app->base_url, f, pt);
    buf_puts(&q, "/carteles/");
    buf_urlenc(&q, f->id);
    buf_puts(&q, ".svg?");
    if (pt) {
        buf_puts(&q, "p=");
        buf_urlenc(&q, pt->id);
        buf_putc(&q, '&');
    }
    buf_puts(o, "<tr><th scope=row>");
    buf_html(o, pt ? (lang == LANG_HT && pt->name_ht ? pt->name_ht : pt->name)
                   : i18n(lang, S_POSTERS_FORM_ALONE));
    buf_puts(o, "</th><td><a href=\"");
    buf_html(o, link.data);
    buf_puts(o, "\">");
    buf_html(o, link.data);
    buf_puts(o, "</a></td><td class=pl>");
    /* q ends in '?' or '&'; the PNG and QR variants swap the extension. */
    size_t ext = strlen("/carteles/") + strlen(f->id);   /* position of ".svg" */
    static const struct { const char *ext, *extra; str_id_t label; } files[] = {
        { ".svg", "", S_POSTERS_PRINT }, { ".svg", "tam=media", S_POSTERS_HALF },
        { ".png", "", S_POSTERS_WHATSAPP }, { ".svg", "qr=1", S_POSTERS_QR },
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        buf_puts(o, "<a href=\"");
        buf_t u;
        buf_init(&u);
        buf_append(&u, q.data, ext);
        buf_puts(&u, files[i].ext);
        buf_puts(&u, q.data + ext + 4);
        buf_puts(&u, files[i].extra);
        if (u.len && (u.data[u.len - 1] == '?' || u.data[u.len - 1] == '&')) u.data[--u.len] = '\0';
        buf_html(o, u.data);
        buf_free(&u);
        buf_puts(o, "\">");
        buf_html(o, i18n(lang, files[i].label));
        buf_puts(o, "</a> ");
    }
    buf_puts(o, "</td></tr>");
    buf_free(&link);
    buf_free(&q);
}

enum MHD_Result h_posters(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;   /* any member of staff may print posters (auth.h) */
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, ROLES_ANY, &s, &ret)) return ret;
    staff_view_t v;
    http_staff_view(c, &s, "/carteles?", &v);
    lang_t lang = v.lang;
    buf_t o;
    buf_init(&o);
    render_staff_begin(&o, &v, app->public_indicators, i18n(lang, S_POSTERS_TITLE));
    if (app_base_url_is_loopback(app)) {
        buf_puts(&o, "<p class=es role=alert>");
        buf_html(&o, i18n(lang, S_POSTERS_LOCALHOST));
        buf_puts(&o, " <b>");
        buf_html(&o, app->base_url);
        buf_puts(&o, "</b></p>");
    }
    buf_puts(&o, "<p>");
    buf_html(&o, i18n(lang, S_POSTERS_INTRO));
    buf_puts(&o, "</p>");
    for (size_t i = 0; i < app->cat.nforms; i++) {
        const form_t *f = app->cat.forms[i];
        buf_puts(&o, "<section><h2>");
        buf_html(&o, form_text(f, &f->title, render_form_lang(f, lang)));
        buf_puts(&o, "</h2><div class=tw><table class=t><thead><tr><th scope=col>");
        buf_html(&o, i18n(lang, S_POINT_LABEL));
        buf_puts(&o, "</th><th scope=col>");
        buf_html(&o, i18n(lang, S_POSTERS_LINK));
        buf_puts(&o, "</th><th scope=col></th></tr></thead><tbody>");
        for (size_t k = 0; k < app->cat.points.npoints; k++)
            poster_row(&o, app, f, &app->cat.points.points[k], lang);
        poster_row(&o, app, f, NULL, lang);
        buf_puts(&o, "</tbody></table></div></section>");
    }
    render_staff_end(&o);
    return http_send_html(c, r, MHD_HTTP_OK, &o);
}

/* /carteles/<form>.svg|png?p=<point>&tam=media&qr=1 */
enum MHD_Result h_poster_file(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, ROLES_ANY, &s, &ret)) return ret;
    char *id = r->route.arg;          /* "satisfaccion.svg" */
    char *dot = strrchr(id, '.');
    if (!dot || (strcmp(dot, ".svg") && strcmp(dot, ".png")))
        return http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    bool png = !strcmp(dot, ".png");
    *dot = '\0';
    const form_t *f = catalog_form(&app->cat, id, NULL);
    *dot = '.';
    const char *pid = http_arg(c, "p");
    const point_t *pt = pid && *pid ? points_find(&app->cat.points, pid) : NULL;
    if (!f || (pid && *pid && !pt)) return http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);

    const char *tam = http_arg(c, "tam"), *qr_only = http_arg(c, "qr");
    poster_opts_t po = { .base_url = app->base_url, .ec = QR_EC_M,
                         .size = tam && !strcmp(tam, "media") ? POSTER_HALF : POSTER_A4 };
    buf_t b;
    buf_init(&b);
    int rc;
    if (qr_only && !strcmp(qr_only, "1")) {
        buf_t link;
        buf_init(&link);
        poster_link(&link, app->base_url, f, pt);
        qr_t q;
        rc = qr_encode(link.data, QR_EC_M, &q);
        if (rc >= 0) {
            if (png) rc = qr_png(&b, &q, 10);
            else qr_svg(&b, &q);
            qr_free(&q);
        }
        buf_free(&link);
    } else {
        rc = png ? poster_png(&b, f, pt, &po) : poster_svg(&b, f, pt, &po);
    }
    if (rc < 0) {
        buf_free(&b);
        return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    }
    /* A file name per poster, so a clerk saving twenty of them gets twenty
     * files: cartel-<form>[-<point>][-qr|-media].<ext>. Ids are plain
     * identifiers (http_route.c), safe in a header. */
    buf_t name;
    buf_init(&name);
    buf_printf(&name, "inline; filename=\"cartel-%.*s%s%s%s.%s\"", (int)(dot - id), id, pt ? "-" : "",
               pt ? pt->id : "", qr_only && !strcmp(qr_only, "1") ? "-qr" : po.size == POSTER_HALF ? "-media" : "",
               png ? "png" : "svg");
    size_t len = b.len;
    char *data = buf_steal(&b);
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(data);
        buf_free(&name);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Disposition", name.data);
    buf_free(&name);
    r->bytes = len;
    return http_queue(c, r, MHD_HTTP_OK, resp, png ? "image/png" : "image/svg+xml", "no-cache");
}
