/*
 * media_av.c (issue 16, media): the files of `audio`, `video` and `file`
 * questions (media.h). What a file is comes from its bytes, never from its
 * name or the browser's Content-Type: a short list of formats phones and
 * offices make is recognised, anything else is refused. What can go without
 * a transcoder goes: an MP3's ID3 tags are cut off; in MP4/MOV/3GP the
 * `udta` and `meta` boxes (where phones write the place, ©xyz, and the
 * model) become `free` boxes of the same size with their bytes zeroed, so
 * every offset in the file stays valid and players skip them. Ogg (Vorbis
 * comments) and WebM (tags) are stored as they come; README says so.
 * An image sent to a file question goes through media_image_clean.
 */
#include "model/media.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zip.h>

#include "base/utf8.h"

typedef struct av_kind {
    const char *type, *ext;   /* stored type and file name ending */
    const char *also;         /* more accept= words that name it, space-separated */
} av_kind_t;

enum {
    K_NONE, K_MP3, K_AAC, K_OGG, K_M4A, K_WEBA, K_WAV, K_AMR,
    K_MP4, K_MOV, K_3GP, K_WEBM,
    K_PDF, K_TEXT, K_CSV, K_XLSX, K_DOCX, K_ODT, K_ODS, K_JPEG, K_PNG,
};
static const av_kind_t kinds[] = {
    [K_MP3] = { "audio/mpeg", ".mp3", "audio/mp3" },
    [K_AAC] = { "audio/aac", ".aac", "" },
    [K_OGG] = { "audio/ogg", ".ogg", ".opus .oga audio/opus" },
    [K_M4A] = { "audio/mp4", ".m4a", ".mp4 .3gp .aac audio/aac audio/3gpp audio/x-m4a" },
    [K_WEBA] = { "audio/webm", ".weba", ".webm" },
    [K_WAV] = { "audio/wav", ".wav", "audio/x-wav audio/wave" },
    [K_AMR] = { "audio/amr", ".amr", "" },
    [K_MP4] = { "video/mp4", ".mp4", ".m4v" },
    [K_MOV] = { "video/quicktime", ".mov", "" },
    [K_3GP] = { "video/3gpp", ".3gp", ".3g2" },
    [K_WEBM] = { "video/webm", ".webm", "" },
    [K_PDF] = { "application/pdf", ".pdf", "" },
    [K_TEXT] = { "text/plain", ".txt", "text/*" },
    [K_CSV] = { "text/csv", ".csv", ".txt text/plain" },
    [K_XLSX] = { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "" },
    [K_DOCX] = { "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "" },
    [K_ODT] = { "application/vnd.oasis.opendocument.text", ".odt", "" },
    [K_ODS] = { "application/vnd.oasis.opendocument.spreadsheet", ".ods", "" },
    [K_JPEG] = { "image/jpeg", ".jpg", ".jpeg" },
    [K_PNG] = { "image/png", ".png", "" },
};

bool media_is_upload(int qtype)
{
    return qtype == Q_IMAGE || qtype == Q_AUDIO || qtype == Q_VIDEO || qtype == Q_FILE;
}

size_t media_max_bytes(int qtype)
{
    return qtype == Q_AUDIO ? MEDIA_AUDIO_MAX : qtype == Q_VIDEO ? MEDIA_VIDEO_MAX : MEDIA_FILE_MAX;
}

size_t media_form_body_max(const form_t *f)
{
    size_t m = MEDIA_BODY_MAX;
    for (size_t i = 0; i < f->nq; i++) {
        /* The largest file the form takes, and room for the others. */
        size_t want = f->q[i].type == Q_VIDEO ? MEDIA_VIDEO_MAX + 4u * 1024 * 1024
                    : f->q[i].type == Q_AUDIO ? MEDIA_AUDIO_MAX + 4u * 1024 * 1024 : 0;
        if (want > m) m = want;
    }
    return m;
}

bool media_form_has_av(const form_t *f)
{
    for (size_t i = 0; i < f->nq; i++)
        if (f->q[i].type == Q_AUDIO || f->q[i].type == Q_VIDEO || f->q[i].type == Q_FILE) return true;
    return false;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static bool has_bytes(const unsigned char *p, size_t len, const char *what)
{
    size_t n = strlen(what);
    for (size_t i = 0; i + n <= len; i++)
        if (p[i] == (unsigned char)what[0] && !memcmp(p + i, what, n)) return true;
    return false;
}

/* ---- MP4 / MOV / 3GP ---- */

static bool is_container(const unsigned char *t)
{
    static const char *const c[] = { "moov", "trak", "mdia", "minf", "stbl", "edts", "dinf",
                                     "mvex", "moof", "traf" };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        if (!memcmp(t, c[i], 4)) return true;
    return false;
}

/* Walk the boxes of p[0..len): every udta and meta box becomes a free box
 * of the same size, its body zeroed; *video is set when a track's handler
 * is "vide". false: a box that does not fit (a broken file). */
static bool mp4_walk(unsigned char *p, size_t len, int depth, bool in_mdia, bool *video)
{
    if (depth > 12) return false;
    size_t off = 0;
    while (off < len) {
        if (len - off < 8) return false;
        uint64_t size = be32(p + off);
        size_t head = 8;
        if (size == 1) {
            if (len - off < 16) return false;
            size = (uint64_t)be32(p + off + 8) << 32 | be32(p + off + 12);
            head = 16;
        } else if (size == 0) {
            size = len - off;   /* to the end */
        }
        if (size < head || size > len - off) return false;
        unsigned char *t = p + off + 4, *body = p + off + head;
        size_t blen = (size_t)size - head;
        if (!memcmp(t, "udta", 4) || !memcmp(t, "meta", 4)) {
            memcpy(t, "free", 4);
            memset(body, 0, blen);
        } else if (in_mdia && !memcmp(t, "hdlr", 4)) {
            if (blen >= 12 && !memcmp(body + 8, "vide", 4)) *video = true;
        } else if (is_container(t)) {
            if (!mp4_walk(body, blen, depth + 1, !memcmp(t, "mdia", 4), video)) return false;
        }
        off += (size_t)size;
    }
    return true;
}

/* ---- MP3 ---- */

/* The length of the ID3v2 tag at p, 0 if none. */
static size_t id3v2_len(const unsigned char *p, size_t len)
{
    if (len < 10 || memcmp(p, "ID3", 3) || (p[6] | p[7] | p[8] | p[9]) & 0x80) return 0;
    size_t n = 10 + ((size_t)p[6] << 21 | (size_t)p[7] << 14 | (size_t)p[8] << 7 | p[9]);
    if (p[5] & 0x10) n += 10;   /* footer */
    return n;
}

/* An MPEG audio frame header at p: 1 MP3 (layer I-III), 2 ADTS AAC, 0 none. */
static int mpeg_sync(const unsigned char *p, size_t len)
{
    if (len < 4 || p[0] != 0xFF || (p[1] & 0xE0) != 0xE0) return 0;
    if (((p[1] >> 1) & 3) == 0) return (p[1] & 0xF6) == 0xF0 ? 2 : 0;
    if (((p[1] >> 3) & 3) == 1 || (p[2] >> 4) == 0xF || ((p[2] >> 2) & 3) == 3) return 0;
    return 1;
}

/* ---- WebM ---- */

static int webm_kind(const unsigned char *p, size_t len)
{
    if (len < 4 || memcmp(p, "\x1a\x45\xdf\xa3", 4)) return K_NONE;
    if (!has_bytes(p, len < 64 ? len : 64, "webm")) return K_NONE;
    /* A video track's codec id is near the start (Tracks precede Clusters). */
    size_t look = len < 1024 * 1024 ? len : 1024 * 1024;
    if (has_bytes(p, look, "V_VP8") || has_bytes(p, look, "V_VP9") || has_bytes(p, look, "V_AV1"))
        return K_WEBM;
    return K_WEBA;
}

/* ---- ZIP documents ---- */

static int zip_kind(const void *data, size_t len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (!src) return K_NONE;
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!z) {
        zip_source_free(src);
        zip_error_fini(&ze);
        return K_NONE;
    }
    int k = K_NONE;
    /* OpenDocument: a stored "mimetype" entry names the kind. */
    zip_stat_t st;
    if (zip_stat(z, "mimetype", 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) && st.size < 128) {
        char m[128] = { 0 };
        zip_file_t *zf = zip_fopen(z, "mimetype", 0);
        if (zf) {
            zip_int64_t got = zip_fread(zf, m, sizeof m - 1);
            zip_fclose(zf);
            if (got > 0) {
                m[got] = '\0';
                if (!strcmp(m, kinds[K_ODT].type)) k = K_ODT;
                else if (!strcmp(m, kinds[K_ODS].type)) k = K_ODS;
            }
        }
    } else if (zip_name_locate(z, "[Content_Types].xml", 0) >= 0) {
        if (zip_name_locate(z, "word/document.xml", 0) >= 0) k = K_DOCX;
        else if (zip_name_locate(z, "xl/workbook.xml", 0) >= 0) k = K_XLSX;
    }
    zip_discard(z);
    zip_error_fini(&ze);
    return k;
}

/* ---- text ---- */

static int text_kind(const unsigned char *p, size_t len)
{
    if (!len || !utf8_valid((const char *)p, len)) return K_NONE;
    for (size_t i = 0; i < len; i++)
        if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r' && p[i] != '\f') return K_NONE;
    /* CSV: the first lines (at least two) hold the same number of one
     * separator. */
    static const char seps[] = ",;\t";
    for (const char *s = seps; *s; s++) {
        int lines = 0, want = -1, cnt = 0;
        bool same = true;
        for (size_t i = 0; i <= len && lines < 5; i++) {
            if (i == len || p[i] == '\n') {
                if (cnt || (i > 0 && p[i - 1] != '\n' && p[i - 1] != '\r')) {
                    if (want < 0) want = cnt;
                    else if (cnt != want) same = false;
                    lines++;
                }
                cnt = 0;
            } else if (p[i] == (unsigned char)*s) {
                cnt++;
            }
        }
        if (same && lines >= 2 && want > 0) return K_CSV;
    }
    return K_TEXT;
}

/* ---- accept ---- */

static bool word_names(const char *w, size_t n, const char *words)
{
    for (const char *s = words; *s;) {
        while (*s == ' ') s++;
        size_t m = strcspn(s, " ");
        if (m && m == n && !strncasecmp(s, w, n)) return true;
        s += m;
    }
    return false;
}

/* Whether the XLSForm accept list (body::accept: ".pdf,.docx",
 * "application/pdf", "image/" "*") takes kind k; no list takes all. */
static bool accepts(const char *accept, int k)
{
    if (!accept || !*accept) return true;
    const av_kind_t *a = &kinds[k];
    for (const char *s = accept; *s;) {
        while (*s == ' ' || *s == ',' || *s == ';') s++;
        size_t n = strcspn(s, " ,;");
        if (!n) break;
        if (n >= 2 && s[n - 1] == '*' && s[n - 2] == '/') {
            if (!strncasecmp(a->type, s, n - 1)) return true;
        } else if ((strlen(a->type) == n && !strncasecmp(a->type, s, n)) ||
                   (strlen(a->ext) == n && !strncasecmp(a->ext, s, n)) || word_names(s, n, a->also)) {
            return true;
        }
        s += n;
    }
    return false;
}

int media_av_sniff(const void *data, size_t len)
{
    const unsigned char *p = data;
    if (len >= 12 && !memcmp(p + 4, "ftyp", 4)) {
        if (!memcmp(p + 8, "M4A ", 4) || !memcmp(p + 8, "M4B ", 4)) return K_M4A;
        if (!memcmp(p + 8, "qt  ", 4)) return K_MOV;
        if (!memcmp(p + 8, "3g", 2)) return K_3GP;
        return K_MP4;
    }
    size_t id3 = 0, n;
    while ((n = id3v2_len(p + id3, len - id3)) && n <= len - id3) id3 += n;
    if (n > len - id3) return K_NONE;
    int m = mpeg_sync(p + id3, len - id3);
    if (m) return m == 1 ? K_MP3 : K_AAC;
    if (id3) return K_NONE;
    if (len >= 4 && !memcmp(p, "OggS", 4)) return K_OGG;
    if (len >= 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WAVE", 4)) return K_WAV;
    if ((len >= 6 && !memcmp(p, "#!AMR\n", 6)) || (len >= 9 && !memcmp(p, "#!AMR-WB\n", 9))) return K_AMR;
    int w = webm_kind(p, len);
    if (w) return w;
    if (len >= 5 && !memcmp(p, "%PDF-", 5)) return K_PDF;
    if (media_sniff(p, len) == MEDIA_JPEG) return K_JPEG;
    if (media_sniff(p, len) == MEDIA_PNG) return K_PNG;
    if (len >= 4 && !memcmp(p, "PK\x03\x04", 4)) return zip_kind(data, len);
    return text_kind(p, len);
}

const char *media_av_type(int kind)
{
    return kind > K_NONE && kind < (int)(sizeof kinds / sizeof kinds[0]) ? kinds[kind].type
                                                                         : "application/octet-stream";
}

media_rc_t media_file_clean(int qtype, const char *accept, const void *data, size_t len, buf_t *out,
                            const char **type, const char **ext)
{
    int k = media_av_sniff(data, len);
    bool audio = k >= K_MP3 && k <= K_AMR, mp4 = k == K_M4A || k == K_MP4 || k == K_MOV || k == K_3GP;
    bool video = k >= K_MP4 && k <= K_WEBM;
    bool doc = k >= K_PDF && k <= K_PNG;
    if (k == K_NONE || (qtype == Q_AUDIO && !audio && !mp4) || (qtype == Q_VIDEO && !video && k != K_M4A) ||
        (qtype == Q_FILE && !doc) || (qtype == Q_FILE && !accepts(accept, k)))
        return MEDIA_NOT_IMAGE;
    if (k == K_JPEG || k == K_PNG) {
        media_rc_t rc = media_image_clean(data, len, out, NULL, NULL);
        *type = kinds[K_JPEG].type;
        *ext = kinds[K_JPEG].ext;
        return rc;
    }
    const unsigned char *p = data;
    size_t start = out->len;
    if (k == K_MP3) {
        /* Cut the ID3v2 tags before the first frame and an ID3v1 tag (the
         * last 128 bytes, "TAG") after the last. */
        size_t id3 = 0, n;
        while ((n = id3v2_len(p + id3, len - id3)) && n <= len - id3) id3 += n;
        size_t end = len;
        if (end - id3 >= 128 + 4 && !memcmp(p + end - 128, "TAG", 3)) end -= 128;
        buf_append(out, p + id3, end - id3);
    } else {
        buf_append(out, p, len);
    }
    if (mp4) {
        bool has_video = false;
        if (!mp4_walk((unsigned char *)out->data + start, len, 0, false, &has_video)) {
            out->len = start;
            return MEDIA_BROKEN;
        }
        /* The same container holds a recording or a film: its tracks say. */
        if (qtype == Q_AUDIO && has_video) {
            out->len = start;
            return MEDIA_NOT_IMAGE;
        }
        if (qtype == Q_AUDIO || !has_video) k = K_M4A;
        else if (k == K_M4A) k = K_MP4;
    }
    *type = kinds[k].type;
    *ext = kinds[k].ext;
    return MEDIA_OK;
}
