/*
 * poster_png.c: the PNG poster, rasterised from the SVG poster with
 * librsvg and cairo, so it is the same poster pixel for pixel that
 * rsvg-convert would make (see poster.h for why not a separate renderer).
 */
#include "model/poster.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <cairo.h>
#include <librsvg/rsvg.h>

static cairo_status_t png_to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    buf_append(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* Rasterise svg to a PNG width pixels wide, the height following the
 * page size the SVG declares, appended to out. */
static int rasterise(buf_t *out, const buf_t *svg, int width)
{
    GError *err = NULL;
    RsvgHandle *h = rsvg_handle_new_from_data((const guint8 *)svg->data, svg->len, &err);
    if (!h) {
        g_error_free(err);
        return -1;
    }
    gdouble page_w, page_h;
    if (!rsvg_handle_get_intrinsic_size_in_pixels(h, &page_w, &page_h) || page_w <= 0) {
        g_object_unref(h);
        return -1;
    }
    int height = (int)lround(width * page_h / page_w);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);   /* RGB24 starts black */
    cairo_paint(cr);
    RsvgRectangle viewport = { 0, 0, width, height };
    gboolean ok = rsvg_handle_render_document(h, cr, &viewport, &err);
    if (!ok) g_error_free(err);
    ok = ok && cairo_status(cr) == CAIRO_STATUS_SUCCESS &&
         cairo_surface_write_to_png_stream(s, png_to_buf, out) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    g_object_unref(h);
    return ok ? 0 : -1;
}

/* make check's sanitizer pass runs with LeakSanitizer, which reports
 * fontconfig's font caches (kept until exit by design, reached through
 * offsets LSan cannot follow) as leaks once pango has used them. This is
 * LSan's documented hook for suppressions; it overrides the runtime's weak
 * default and is never called in a normal build. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

int poster_png(buf_t *out, const form_t *f, const point_t *pt, const poster_opts_t *o)
{
    assert(o->png_width >= 0);
    buf_t svg;
    buf_init(&svg);
    int version = poster_svg(&svg, f, pt, o);
    if (version > 0 && rasterise(out, &svg, o->png_width ? o->png_width : POSTER_PNG_WIDTH) != 0) {
        errno = EIO;
        version = -1;
    }
    buf_free(&svg);
    return version;
}
