/*
 * media.c: sniffing and re-encoding of the images sent with a survey
 * (media.h). libjpeg (libjpeg-turbo) decodes and encodes JPEG, libpng's
 * simplified API decodes PNG. Every error of libjpeg comes back here by
 * longjmp, so a hostile file is a MEDIA_BROKEN, never an exit().
 */
#include "model/media.h"

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

bool media_form_has(const form_t *f)
{
    for (size_t i = 0; i < f->nq; i++)
        if (media_is_upload(f->q[i].type)) return true;
    return false;
}

media_kind_t media_sniff(const void *data, size_t len)
{
    const unsigned char *p = data;
    if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) return MEDIA_JPEG;
    if (len >= 8 && !memcmp(p, "\x89PNG\r\n\x1a\n", 8)) return MEDIA_PNG;
    if (len >= 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4)) return MEDIA_WEBP;
    return MEDIA_UNKNOWN;
}

const char *media_kind_type(media_kind_t k)
{
    switch (k) {
    case MEDIA_JPEG: return "image/jpeg";
    case MEDIA_PNG:  return "image/png";
    case MEDIA_WEBP: return "image/webp";
    default:         return "application/octet-stream";
    }
}

static unsigned rd16(const unsigned char *p, int le)
{
    return le ? (unsigned)p[0] | (unsigned)p[1] << 8 : (unsigned)p[0] << 8 | (unsigned)p[1];
}

static uint32_t rd32(const unsigned char *p, int le)
{
    return le ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
              : (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

int media_exif_orientation(const unsigned char *exif, size_t len)
{
    /* "Exif\0\0", then a TIFF header (byte order, 42, offset of IFD0),
     * then IFD0: a count and 12-byte entries; tag 0x0112 is a SHORT. */
    if (len < 14 || memcmp(exif, "Exif\0\0", 6)) return 1;
    const unsigned char *t = exif + 6;
    size_t tl = len - 6;
    int le;
    if (!memcmp(t, "II", 2)) le = 1;
    else if (!memcmp(t, "MM", 2)) le = 0;
    else return 1;
    if (rd16(t + 2, le) != 42) return 1;
    uint32_t ifd = rd32(t + 4, le);
    if (ifd > tl || tl - ifd < 2) return 1;
    unsigned n = rd16(t + ifd, le);
    for (unsigned i = 0; i < n; i++) {
        size_t at = ifd + 2 + (size_t)i * 12;
        if (at + 12 > tl) return 1;
        if (rd16(t + at, le) == 0x0112 && rd16(t + at + 2, le) == 3) {
            unsigned o = rd16(t + at + 8, le);
            return o >= 1 && o <= 8 ? (int)o : 1;
        }
    }
    return 1;
}

/* An RGB picture being cleaned (3 bytes a pixel, rows packed). */
typedef struct rgb {
    unsigned char *px;
    unsigned w, h;
} rgb_t;

/* libjpeg's errors jump back to the caller instead of exit(). */
typedef struct jerr {
    struct jpeg_error_mgr pub;
    jmp_buf jb;
} jerr_t;

static void jerr_exit(j_common_ptr ci)
{
    longjmp(((jerr_t *)ci->err)->jb, 1);
}

static void jerr_quiet(j_common_ptr ci, int level)
{
    (void)ci; (void)level;   /* warnings of damaged files are not logged */
}

/* Stops a progressive JPEG of endless scans (libjpeg-turbo has no limit),
 * and one whose scans together would walk the image too many times. */
static void jprogress(j_common_ptr ci)
{
    j_decompress_ptr d = (j_decompress_ptr)ci;
    uint64_t samples = (uint64_t)d->image_width * d->image_height * (unsigned)d->num_components;
    if (d->input_scan_number > MEDIA_JPEG_SCANS_MAX ||
        (uint64_t)d->input_scan_number * samples > MEDIA_JPEG_WORK_MAX)
        jerr_exit(ci);
}

/* Decode a JPEG into *img at 1/1..1/8 of its size (the least scaling
 * that keeps the long side at least MEDIA_IMAGE_SIDE) and read its
 * orientation. */
static media_rc_t jpeg_decode(const void *data, size_t len, rgb_t *img, int *orient)
{
    struct jpeg_decompress_struct d;
    jerr_t je;
    struct jpeg_progress_mgr prog = { .progress_monitor = jprogress };
    /* volatile: changed after setjmp, read after longjmp. */
    unsigned char *volatile px = NULL;
    volatile media_rc_t rc = MEDIA_BROKEN;
    d.err = jpeg_std_error(&je.pub);
    je.pub.error_exit = jerr_exit;
    je.pub.emit_message = jerr_quiet;
    if (setjmp(je.jb)) {
        jpeg_destroy_decompress(&d);
        free(px);
        return rc;
    }
    jpeg_create_decompress(&d);
    d.progress = &prog;
    jpeg_mem_src(&d, data, (unsigned long)len);
    jpeg_save_markers(&d, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(&d, TRUE);
    uint64_t samples = (uint64_t)d.image_width * d.image_height * (unsigned)d.num_components;
    if ((uint64_t)d.image_width * d.image_height > MEDIA_JPEG_PIXELS_MAX ||
        (d.progressive_mode && samples * 2 > MEDIA_JPEG_MEM_MAX)) {
        rc = MEDIA_TOO_BIG;
        jerr_exit((j_common_ptr)&d);
    }
    d.mem->max_memory_to_use = (long)MEDIA_JPEG_MEM_MAX;
    *orient = 1;
    for (jpeg_saved_marker_ptr m = d.marker_list; m; m = m->next)
        if (m->marker == JPEG_APP0 + 1 && m->data_length >= 6 && !memcmp(m->data, "Exif\0\0", 6)) {
            *orient = media_exif_orientation(m->data, m->data_length);
            break;
        }
    unsigned long_side = d.image_width > d.image_height ? d.image_width : d.image_height;
    unsigned denom = 1;
    while (denom < 8 && long_side / (denom * 2) >= MEDIA_IMAGE_SIDE) denom *= 2;
    d.scale_num = 1;
    d.scale_denom = denom;
    d.out_color_space = JCS_RGB;
    jpeg_start_decompress(&d);
    if (d.output_components != 3) jerr_exit((j_common_ptr)&d);
    size_t stride = (size_t)d.output_width * 3;
    px = malloc(stride * d.output_height);
    if (!px) jerr_exit((j_common_ptr)&d);
    while (d.output_scanline < d.output_height) {
        JSAMPROW row = px + stride * d.output_scanline;
        jpeg_read_scanlines(&d, &row, 1);
    }
    jpeg_finish_decompress(&d);
    /* A file that needed patching (truncated, corrupt data) is not a
     * photo anyone meant to send: grey blocks, and the cheapest bomb. */
    if (je.pub.num_warnings) jerr_exit((j_common_ptr)&d);
    img->px = px;
    img->w = d.output_width;
    img->h = d.output_height;
    jpeg_destroy_decompress(&d);
    return MEDIA_OK;
}

static media_rc_t png_decode(const void *data, size_t len, rgb_t *img)
{
    png_image pi;
    memset(&pi, 0, sizeof pi);
    pi.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&pi, data, len)) return MEDIA_BROKEN;
    if ((uint64_t)pi.width * pi.height > MEDIA_PNG_PIXELS_MAX || !pi.width || !pi.height) {
        png_image_free(&pi);
        return MEDIA_TOO_BIG;
    }
    pi.format = PNG_FORMAT_RGB;
    unsigned char *px = malloc(PNG_IMAGE_SIZE(pi));
    if (!px) {
        png_image_free(&pi);
        return MEDIA_BROKEN;
    }
    png_color white = { 255, 255, 255 };
    if (!png_image_finish_read(&pi, &white, px, 0, NULL)) {
        png_image_free(&pi);
        free(px);
        return MEDIA_BROKEN;
    }
    img->px = px;
    img->w = pi.width;
    img->h = pi.height;
    return MEDIA_OK;
}

/* The picture scaled down (box filter: each new pixel the mean of the
 * ones it covers) to at most MEDIA_IMAGE_SIDE on its long side. */
static void scale_down(rgb_t *img)
{
    unsigned w = img->w, h = img->h, ls = w > h ? w : h;
    if (ls <= MEDIA_IMAGE_SIDE) return;
    unsigned tw = (unsigned)((uint64_t)w * MEDIA_IMAGE_SIDE / ls);
    unsigned th = (unsigned)((uint64_t)h * MEDIA_IMAGE_SIDE / ls);
    if (!tw) tw = 1;
    if (!th) th = 1;
    unsigned char *o = xmalloc((size_t)tw * th * 3);
    for (unsigned y = 0; y < th; y++) {
        unsigned y0 = (unsigned)((uint64_t)y * h / th), y1 = (unsigned)((uint64_t)(y + 1) * h / th);
        if (y1 <= y0) y1 = y0 + 1;
        for (unsigned x = 0; x < tw; x++) {
            unsigned x0 = (unsigned)((uint64_t)x * w / tw), x1 = (unsigned)((uint64_t)(x + 1) * w / tw);
            if (x1 <= x0) x1 = x0 + 1;
            uint64_t sum[3] = { 0, 0, 0 };
            for (unsigned sy = y0; sy < y1; sy++) {
                const unsigned char *p = img->px + ((size_t)sy * w + x0) * 3;
                for (unsigned sx = x0; sx < x1; sx++, p += 3) {
                    sum[0] += p[0]; sum[1] += p[1]; sum[2] += p[2];
                }
            }
            uint64_t n = (uint64_t)(y1 - y0) * (x1 - x0);
            unsigned char *q = o + ((size_t)y * tw + x) * 3;
            for (int c = 0; c < 3; c++) q[c] = (unsigned char)((sum[c] + n / 2) / n);
        }
    }
    free(img->px);
    img->px = o;
    img->w = tw;
    img->h = th;
}

/* The picture turned as EXIF orientation o (2..8) asks, so that it is
 * upright once the orientation tag is gone. */
static void orient(rgb_t *img, int o)
{
    if (o < 2 || o > 8) return;
    unsigned w = img->w, h = img->h;
    bool swap = o >= 5;
    unsigned W = swap ? h : w, H = swap ? w : h;
    unsigned char *out = xmalloc((size_t)W * H * 3);
    for (unsigned y = 0; y < H; y++)
        for (unsigned x = 0; x < W; x++) {
            unsigned sx, sy;
            switch (o) {
            case 2:  sx = w - 1 - x; sy = y; break;
            case 3:  sx = w - 1 - x; sy = h - 1 - y; break;
            case 4:  sx = x; sy = h - 1 - y; break;
            case 5:  sx = y; sy = x; break;
            case 6:  sx = y; sy = h - 1 - x; break;
            case 7:  sx = w - 1 - y; sy = h - 1 - x; break;
            default: sx = w - 1 - y; sy = x; break;   /* 8 */
            }
            memcpy(out + ((size_t)y * W + x) * 3, img->px + ((size_t)sy * w + sx) * 3, 3);
        }
    free(img->px);
    img->px = out;
    img->w = W;
    img->h = H;
}

/* A baseline JPEG of img (quality 85), appended to out; only the JFIF
 * header libjpeg always writes, no other marker. */
static bool jpeg_encode(const rgb_t *img, buf_t *out)
{
    struct jpeg_compress_struct c;
    jerr_t je;
    unsigned char *volatile mem = NULL;
    unsigned long memlen = 0;
    c.err = jpeg_std_error(&je.pub);
    je.pub.error_exit = jerr_exit;
    je.pub.emit_message = jerr_quiet;
    if (setjmp(je.jb)) {
        jpeg_destroy_compress(&c);
        free(mem);
        return false;
    }
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, (unsigned char **)&mem, &memlen);
    c.image_width = img->w;
    c.image_height = img->h;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 85, TRUE);
    jpeg_start_compress(&c, TRUE);
    size_t stride = (size_t)img->w * 3;
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = img->px + stride * c.next_scanline;
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    buf_append(out, mem, memlen);
    jpeg_destroy_compress(&c);
    free(mem);
    return true;
}

media_rc_t media_image_clean(const void *data, size_t len, buf_t *out, unsigned *w, unsigned *h)
{
    rgb_t img = { 0 };
    int o = 1;
    media_rc_t rc;
    switch (media_sniff(data, len)) {
    case MEDIA_JPEG: rc = jpeg_decode(data, len, &img, &o); break;
    case MEDIA_PNG:  rc = png_decode(data, len, &img); break;
    default:         return MEDIA_NOT_IMAGE;
    }
    if (rc != MEDIA_OK) return rc;
    scale_down(&img);
    orient(&img, o);
    bool ok = jpeg_encode(&img, out);
    free(img.px);
    if (!ok) return MEDIA_BROKEN;
    if (w) *w = img.w;
    if (h) *h = img.h;
    return MEDIA_OK;
}
