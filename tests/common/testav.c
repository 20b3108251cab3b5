/*
 * testav.c: the files of testav.h, built byte by byte (zips through libzip)
 * so that every test knows where the metadata is.
 */
#include "testav.h"

#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

static void be32(buf_t *b, uint32_t v)
{
    unsigned char p[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                           (unsigned char)v };
    buf_append(b, p, 4);
}

void tav_mp3(buf_t *out, size_t frames)
{
    /* ID3v2.3: header, TIT2 frame, TXXX frame with the secret. */
    buf_t t;
    buf_init(&t);
    const char title[] = "\0Grabacion";
    buf_append(&t, "TIT2", 4);
    be32(&t, sizeof title - 1);
    buf_append(&t, "\0\0", 2);
    buf_append(&t, title, sizeof title - 1);
    char txxx[64];
    size_t n = (size_t)snprintf(txxx, sizeof txxx, "%cGPS%c%s", 0, 0, TAV_SECRET);
    buf_append(&t, "TXXX", 4);
    be32(&t, (uint32_t)n);
    buf_append(&t, "\0\0", 2);
    buf_append(&t, txxx, n);
    unsigned char h[10] = { 'I', 'D', '3', 3, 0, 0, (unsigned char)(t.len >> 21 & 0x7f),
                            (unsigned char)(t.len >> 14 & 0x7f), (unsigned char)(t.len >> 7 & 0x7f),
                            (unsigned char)(t.len & 0x7f) };
    buf_append(out, h, 10);
    buf_append(out, t.data, t.len);
    buf_free(&t);
    /* 128 kbit/s, 44.1 kHz, no padding: 417 bytes a frame. */
    for (size_t i = 0; i < frames; i++) {
        unsigned char f[417] = { 0xFF, 0xFB, 0x90, 0x64 };
        buf_append(out, f, sizeof f);
    }
    /* ID3v1: "TAG", title, artist (the model), album, year, comment, genre. */
    unsigned char v1[128] = { 'T', 'A', 'G' };
    memcpy(v1 + 33, TAV_MODEL, strlen(TAV_MODEL));
    buf_append(out, v1, sizeof v1);
}

/* Append a box of type t with body. */
static void box(buf_t *b, const char *t, const void *body, size_t len)
{
    be32(b, (uint32_t)(8 + len));
    buf_append(b, t, 4);
    if (len) buf_append(b, body, len);
}

void tav_mp4(buf_t *out, bool video, bool three_gp, size_t pad)
{
    buf_t ftyp, hdlr, mdia, trak, xyz, udta, meta, moov, mdat;
    buf_init(&ftyp); buf_init(&hdlr); buf_init(&mdia); buf_init(&trak);
    buf_init(&xyz); buf_init(&udta); buf_init(&meta); buf_init(&moov); buf_init(&mdat);
    buf_append(&ftyp, three_gp ? "3gp4" : "isom", 4);
    be32(&ftyp, 0x200);
    buf_append(&ftyp, three_gp ? "isom3gp4" : "isomavc1", 8);
    box(out, "ftyp", ftyp.data, ftyp.len);

    unsigned char mvhd[100] = { 0 };
    unsigned char h[25] = { 0 };
    memcpy(h + 8, video ? "vide" : "soun", 4);
    box(&mdia, "hdlr", h, sizeof h);
    box(&trak, "mdia", mdia.data, mdia.len);
    /* ©xyz as phones write it: a 16-bit length, a language, the text. */
    unsigned char l[4] = { 0, (unsigned char)strlen(TAV_SECRET), 0x15, 0xc7 };
    buf_append(&xyz, l, 4);
    buf_append(&xyz, TAV_SECRET, strlen(TAV_SECRET));
    box(&udta, "\xa9xyz", xyz.data, xyz.len);
    /* meta: version/flags, a hdlr "mdta", the model as a plain item. */
    unsigned char mh[25] = { 0 };
    memcpy(mh + 8, "mdta", 4);
    buf_append(&meta, "\0\0\0\0", 4);
    box(&meta, "hdlr", mh, sizeof mh);
    box(&meta, "keys", TAV_MODEL, strlen(TAV_MODEL));
    box(&moov, "mvhd", mvhd, sizeof mvhd);
    box(&moov, "trak", trak.data, trak.len);
    box(&moov, "udta", udta.data, udta.len);
    box(&moov, "meta", meta.data, meta.len);
    box(out, "moov", moov.data, moov.len);
    for (size_t i = 0; i < pad; i++) buf_append(&mdat, "\x5a", 1);
    box(out, "mdat", mdat.data, mdat.len);
    buf_free(&ftyp); buf_free(&hdlr); buf_free(&mdia); buf_free(&trak);
    buf_free(&xyz); buf_free(&udta); buf_free(&meta); buf_free(&moov); buf_free(&mdat);
}

void tav_pdf(buf_t *out)
{
    buf_puts(out, "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                  "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                  "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
                  "trailer<</Root 1 0 R>>\n%%EOF\n");
}

void tav_docx(buf_t *out)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_source_keep(src);
    zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    static const char ct[] = "<?xml version=\"1.0\"?><Types/>";
    static const char doc[] = "<?xml version=\"1.0\"?><w:document/>";
    zip_file_add(z, "[Content_Types].xml", zip_source_buffer(z, ct, sizeof ct - 1, 0), 0);
    zip_file_add(z, "word/document.xml", zip_source_buffer(z, doc, sizeof doc - 1, 0), 0);
    zip_close(z);
    zip_source_open(src);
    zip_source_seek(src, 0, SEEK_END);
    zip_int64_t n = zip_source_tell(src);
    zip_source_seek(src, 0, SEEK_SET);
    char *d = malloc((size_t)n);
    zip_source_read(src, d, (zip_uint64_t)n);
    zip_source_close(src);
    buf_append(out, d, (size_t)n);
    free(d);
    zip_source_free(src);
    zip_error_fini(&ze);
}

void tav_exe(buf_t *out)
{
    unsigned char h[128] = { 'M', 'Z', 0x90, 0 };
    h[0x3c] = 0x40;
    memcpy(h + 0x40, "PE\0\0", 4);
    buf_append(out, h, sizeof h);
}
