/*
 * testjpeg.c: JPEGs and PNGs with metadata for the media tests (testjpeg.h).
 */
#include "testjpeg.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

static void put16(buf_t *b, unsigned v) { unsigned char c[2] = { v & 255, v >> 8 }; buf_append(b, c, 2); }
static void put32(buf_t *b, unsigned v)
{
    unsigned char c[4] = { v & 255, (v >> 8) & 255, (v >> 16) & 255, v >> 24 };
    buf_append(b, c, 4);
}
/* One little-endian IFD entry. */
static void entry(buf_t *b, unsigned tag, unsigned type, unsigned count, unsigned value)
{
    put16(b, tag); put16(b, type); put32(b, count); put32(b, value);
}

/* "Exif\0\0" + TIFF (little endian): IFD0 {Orientation, Model, GPS IFD},
 * then the GPS IFD {LatitudeRef N, Latitude 18/1 48/1 36/1}, then data. */
static void exif_body(buf_t *b, int o)
{
    buf_append(b, "Exif\0\0", 6);
    /* Offsets count from the TIFF header. */
    unsigned ifd0 = 8, n0 = 3, gps = ifd0 + 2 + n0 * 12 + 4, ng = 2;
    unsigned data = gps + 2 + ng * 12 + 4;
    unsigned model_at = data, lat_at = model_at + (unsigned)sizeof TJ_MODEL;
    buf_append(b, "II", 2); put16(b, 42); put32(b, ifd0);
    put16(b, n0);
    entry(b, 0x0110, 2, sizeof TJ_MODEL, model_at);   /* Model */
    entry(b, 0x0112, 3, 1, (unsigned)o);              /* Orientation */
    entry(b, 0x8825, 4, 1, gps);                      /* GPS IFD */
    put32(b, 0);
    put16(b, ng);
    entry(b, 0x0001, 2, 2, 'N');                      /* GPSLatitudeRef */
    entry(b, 0x0002, 5, 3, lat_at);                   /* GPSLatitude */
    put32(b, 0);
    buf_append(b, TJ_MODEL, sizeof TJ_MODEL);
    unsigned rat[6] = { 18, 1, 48, 1, 36, 1 };
    for (int i = 0; i < 6; i++) put32(b, rat[i]);
}

void tj_jpeg(buf_t *out, unsigned w, unsigned h, int o, bool exif)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e;
    unsigned char *mem = NULL;
    unsigned long len = 0;
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &mem, &len);
    c.image_width = w;
    c.image_height = h;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 95, TRUE);
    jpeg_start_compress(&c, TRUE);
    if (exif) {
        buf_t x;
        buf_init(&x);
        exif_body(&x, o);
        jpeg_write_marker(&c, JPEG_APP0 + 1, (const JOCTET *)x.data, (unsigned)x.len);
        buf_free(&x);
    }
    unsigned char *row = malloc((size_t)w * 3);
    for (unsigned x = 0; x < w; x++) {
        bool left = x < w / 2;
        row[x * 3] = left ? 255 : 0; row[x * 3 + 1] = 0; row[x * 3 + 2] = left ? 0 : 255;
    }
    while (c.next_scanline < h) jpeg_write_scanlines(&c, &row, 1);
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    buf_append(out, mem, len);
    free(mem);
}

void tj_png(buf_t *out, unsigned w, unsigned h)
{
    png_image pi;
    memset(&pi, 0, sizeof pi);
    pi.version = PNG_IMAGE_VERSION;
    pi.width = w;
    pi.height = h;
    pi.format = PNG_FORMAT_RGBA;
    unsigned char *px = malloc((size_t)w * h * 4);
    for (size_t i = 0; i < (size_t)w * h; i++) {
        px[i * 4] = 0; px[i * 4 + 1] = 128; px[i * 4 + 2] = 0; px[i * 4 + 3] = 128;
    }
    png_alloc_size_t len = 0;
    png_image_write_to_memory(&pi, NULL, &len, 0, px, 0, NULL);
    void *mem = malloc(len);
    png_image_write_to_memory(&pi, mem, &len, 0, px, 0, NULL);
    buf_append(out, mem, len);
    free(mem);
    free(px);
}

typedef struct tj_err {
    struct jpeg_error_mgr pub;
    jmp_buf jb;
} tj_err_t;

static void tj_exit(j_common_ptr ci) { longjmp(((tj_err_t *)ci->err)->jb, 1); }

bool tj_pixel(const void *data, size_t len, unsigned x, unsigned y,
              unsigned *w, unsigned *h, unsigned char rgb[3])
{
    struct jpeg_decompress_struct d;
    tj_err_t e;
    unsigned char *volatile px = NULL;
    d.err = jpeg_std_error(&e.pub);
    e.pub.error_exit = tj_exit;
    if (setjmp(e.jb)) {
        jpeg_destroy_decompress(&d);
        free(px);
        return false;
    }
    jpeg_create_decompress(&d);
    jpeg_mem_src(&d, data, (unsigned long)len);
    jpeg_read_header(&d, TRUE);
    d.out_color_space = JCS_RGB;
    jpeg_start_decompress(&d);
    size_t stride = (size_t)d.output_width * 3;
    px = malloc(stride * d.output_height);
    while (d.output_scanline < d.output_height) {
        JSAMPROW row = px + stride * d.output_scanline;
        jpeg_read_scanlines(&d, &row, 1);
    }
    *w = d.output_width;
    *h = d.output_height;
    jpeg_finish_decompress(&d);
    jpeg_destroy_decompress(&d);
    if (x >= *w || y >= *h) { free(px); return false; }
    memcpy(rgb, px + (size_t)y * stride + (size_t)x * 3, 3);
    free(px);
    return true;
}

bool tj_has(const void *data, size_t len, const void *needle, size_t nlen)
{
    return memmem(data, len, needle, nlen) != NULL;
}
