/*
 * qr.c: QR encoding through libqrencode and rendering to SVG and PNG.
 * See qr.h for the choices (case-sensitive, quiet zone, error correction).
 */
#include "model/qr.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>
#include <qrencode.h>

int qr_encode(const char *text, qr_ec_t ec, qr_t *out)
{
    assert(text && out);
    if (!*text) {
        errno = EINVAL;
        return -1;
    }
    QRcode *c = QRcode_encodeString(text, 0, ec == QR_EC_Q ? QR_ECLEVEL_Q : QR_ECLEVEL_M,
                                    QR_MODE_8, 1 /* case-sensitive, always */);
    if (!c) return -1;   /* errno set by libqrencode */
    size_t n = (size_t)c->width * (size_t)c->width;
    out->version = c->version;
    out->width = c->width;
    out->dark = xmalloc(n);
    /* libqrencode packs flags into each byte; bit 0 is the module colour. */
    for (size_t i = 0; i < n; i++) out->dark[i] = c->data[i] & 1;
    QRcode_free(c);
    return 0;
}

void qr_free(qr_t *q)
{
    free(q->dark);
    q->dark = NULL;
}

int qr_size(const qr_t *q)
{
    return q->width + 2 * QR_QUIET;
}

void qr_svg_path(buf_t *out, const qr_t *q)
{
    /* One closed rectangle per horizontal run of dark modules: about a
     * third of the bytes of one square per module, and no hairline seams
     * between neighbours when a renderer anti-aliases. */
    for (int y = 0; y < q->width; y++) {
        const unsigned char *row = q->dark + (size_t)y * (size_t)q->width;
        for (int x = 0; x < q->width;) {
            if (!row[x]) { x++; continue; }
            int x0 = x;
            while (x < q->width && row[x]) x++;
            buf_printf(out, "M%d %dh%dv1h-%dz", x0 + QR_QUIET, y + QR_QUIET, x - x0, x - x0);
        }
    }
}

void qr_svg(buf_t *out, const qr_t *q)
{
    int n = qr_size(q);
    buf_printf(out,
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
               "width=\"%dmm\" height=\"%dmm\" viewBox=\"0 0 %d %d\" "
               "shape-rendering=\"crispEdges\">\n"
               "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"",
               n, n, n, n, n, n);
    qr_svg_path(out, q);
    buf_puts(out, "\"/>\n</svg>\n");
}

static void png_to_buf(png_structp png, png_bytep data, png_size_t len)
{
    buf_append(png_get_io_ptr(png), data, len);
}

int qr_png(buf_t *out, const qr_t *q, int scale)
{
    assert(scale >= 1);
    int side = qr_size(q) * scale;
    size_t rowbytes = ((size_t)side + 7) / 8;
    png_bytep row = xmalloc(rowbytes);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        free(row);
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(row);
        return -1;
    }
    png_set_write_fn(png, out, png_to_buf, NULL);
    png_set_IHDR(png, info, (png_uint_32)side, (png_uint_32)side, 1, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int py = 0; py < side; py++) {
        int my = py / scale - QR_QUIET;
        memset(row, 0xff, rowbytes);   /* 1 bits are white */
        for (int px = 0; px < side; px++) {
            int mx = px / scale - QR_QUIET;
            if (my >= 0 && my < q->width && mx >= 0 && mx < q->width &&
                q->dark[(size_t)my * (size_t)q->width + (size_t)mx])
                row[px / 8] &= (png_byte)~(0x80u >> (px % 8));
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    return 0;
}
