/*
 * pdf.c: SVG pages to one PDF (see pdf.h): one cairo PDF surface, one
 * librsvg handle per page, a page shown after each.
 */
#include "model/pdf.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <librsvg/rsvg.h>

/* A4 in PostScript points (1/72 inch). */
#define A4_W_PT 595.2756
#define A4_H_PT 841.8898

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    buf_append(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

int pdf_from_svgs(buf_t *out, const buf_t *pages, size_t n)
{
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, out, A4_W_PT, A4_H_PT);
    cairo_t *cr = cairo_create(s);
    bool ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
    for (size_t p = 0; p < n && ok; p++) {
        GError *err = NULL;
        RsvgHandle *h = rsvg_handle_new_from_data((const guint8 *)pages[p].data, pages[p].len, &err);
        if (!h) {
            g_error_free(err);
            ok = false;
            break;
        }
        RsvgRectangle viewport = { 0, 0, A4_W_PT, A4_H_PT };
        if (!rsvg_handle_render_document(h, cr, &viewport, &err)) {
            g_error_free(err);
            ok = false;
        }
        g_object_unref(h);
        cairo_show_page(cr);
        ok = ok && cairo_status(cr) == CAIRO_STATUS_SUCCESS;
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);   /* writes the trailer to out */
    ok = ok && cairo_surface_status(s) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(s);
    return ok ? 0 : -1;
}
