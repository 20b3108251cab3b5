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

#include "model/pdf.h"
#include "model/poster.h"
#include "view/paper.h"
#include "view/render_posters.h"
#include "view/render_staff.h"
#include "model/shortcode.h"

enum MHD_Result h_short(struct MHD_Connection *c, req_t *r, app_t *app)
{
    const form_t *f;
    const point_t *pt;
    if (shortcode_resolve(r->route.arg, r->forms->cat.forms, r->forms->cat.nforms, &r->forms->cat.points, &f, &pt) < 0 ||
        f->staff)   /* issue 18: a register has no short link */
        return http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    buf_t loc;
    buf_init(&loc);
    shortcode_target(&loc, f, pt);
    /* 302, not 301: a phone must not cache where a poster leads for ever. */
    enum MHD_Result ret = http_redirect(c, r, MHD_HTTP_FOUND, loc.data);
    buf_free(&loc);
    return ret;
}

enum MHD_Result h_posters(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;   /* any member of staff may print posters (auth.h) */
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, ROLES_ANY, &s, &ret)) return ret;
    staff_view_t v;
    http_staff_view(c, &s, "/carteles?", &v);
    buf_t o;
    buf_init(&o);
    render_posters(&o, &v, app->public_indicators, &r->forms->cat, app->base_url, app_base_url_is_loopback(app));
    return http_send_html(c, r, MHD_HTTP_OK, &o);
}

/* issue 17: /carteles/<form>.pdf?p=<point>&lang=es|ht, the paper
 * questionnaire of f at pt (view/paper.h), as `buzon paper` prints it. */
static enum MHD_Result paper_file(struct MHD_Connection *c, req_t *r, app_t *app, const form_t *f,
                                  const point_t *pt)
{
    const char *lc = http_arg(c, "lang");
    int lang = lc ? i18n_parse(lc) : LANG_ES;
    if (lang < 0) lang = LANG_ES;
    buf_t link, b;
    buf_init(&link);
    buf_init(&b);
    poster_link(&link, app->base_url, f, pt);
    buf_t *pages = NULL;
    size_t n = paper_svg(&pages, f, pt, (lang_t)lang, link.data);
    int rc = n ? pdf_from_svgs(&b, pages, n) : -1;
    for (size_t p = 0; p < n; p++) buf_free(&pages[p]);
    free(pages);
    buf_reset(&link);
    buf_printf(&link, "inline; filename=\"cuestionario-%s%s%s-%s.pdf\"", f->id, pt ? "-" : "",
               pt ? pt->id : "", i18n_code((lang_t)lang));
    struct MHD_Response *resp = NULL;
    if (rc == 0) {
        size_t len = b.len;
        char *data = buf_steal(&b);
        resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
        if (!resp) free(data);
        r->bytes = len;
    }
    buf_free(&b);
    if (!resp) {
        buf_free(&link);
        return rc ? http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR) : MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Disposition", link.data);
    buf_free(&link);
    return http_queue(c, r, MHD_HTTP_OK, resp, "application/pdf", "no-cache");
}

/* /carteles/<form>.svg|png?p=<point>&tam=media&qr=1 (and .pdf: paper_file) */
enum MHD_Result h_poster_file(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, ROLES_ANY, &s, &ret)) return ret;
    char *id = r->route.arg;          /* "satisfaccion.svg" */
    char *dot = strrchr(id, '.');
    if (!dot || (strcmp(dot, ".svg") && strcmp(dot, ".png") && strcmp(dot, ".pdf")))
        return http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    bool png = !strcmp(dot, ".png");
    *dot = '\0';
    const form_t *f = catalog_form(&r->forms->cat, id, NULL);
    *dot = '.';
    const char *pid = http_arg(c, "p");
    const point_t *pt = pid && *pid ? points_find(&r->forms->cat.points, pid) : NULL;
    if (!f || (pid && *pid && !pt)) return http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    if (f->staff) {   /* issue 18: a register is never printed for the public */
        staff_view_t v;
        http_staff_view(c, &s, "/carteles?", &v);
        buf_t b;
        buf_init(&b);
        render_staff_message(&b, &v, app->public_indicators, S_E404_TITLE, S_REG_NO_POSTER);
        return http_send_html(c, r, MHD_HTTP_NOT_FOUND, &b);
    }
    if (!strcmp(dot, ".pdf")) return paper_file(c, r, app, f, pt);

    const char *tam = http_arg(c, "tam"), *qr = http_arg(c, "qr");
    bool qr_only = qr && !strcmp(qr, "1");
    poster_opts_t po = { .base_url = app->base_url, .ec = QR_EC_M,
                         .size = tam && !strcmp(tam, "media") ? POSTER_HALF : POSTER_A4 };
    buf_t b;
    buf_init(&b);
    int rc = qr_only ? poster_qr(&b, f, pt, &po, png)
           : png     ? poster_png(&b, f, pt, &po)
                     : poster_svg(&b, f, pt, &po);
    if (rc < 0) {
        buf_free(&b);
        return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    }
    /* A file name per poster (poster_file_name), so a clerk saving twenty
     * of them gets twenty files. */
    buf_t name;
    buf_init(&name);
    buf_puts(&name, "inline; filename=\"");
    poster_file_name(&name, f, pt, qr_only, po.size, png);
    buf_putc(&name, '"');
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
