/*
 * poster.c: the poster layout and its SVG. Everything is laid out in
 * millimetres on an A4 page (the viewBox); the half-page size only changes
 * the SVG's declared width and height. See poster.h for the design.
 *
 * SVG 1.1 text does not wrap, so each text block is wrapped here, word by
 * word, with DejaVu Sans advance widths, and shrunk until it fits its
 * maximum number of lines. Numbers are written with integer arithmetic, not
 * printf("%f"), so a process locale with a decimal comma cannot break the
 * SVG.
 */
#include "model/poster.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/utf8.h"
#include "model/shortcode.h"

/* Page geometry, mm. */
#define PAGE_W      210.0
#define PAGE_H      297.0
#define HALF_W      148.0
#define HALF_H      210.0
#define MARGIN      14.0
#define TEXT_W      (PAGE_W - 2 * MARGIN)
#define LINE        1.18       /* line height, in font sizes */
#define ASCENT      0.93       /* DejaVu Sans ascender, in font sizes */
#define QR_MIN      60.0
#define QR_MAX      125.0

#define ACCENT      "#0b3d91"  /* deep blue: stays dark when faded or greyed */
#define INK         "#000"
#define INK_HT      "#333"

#define FONT_SANS   "DejaVu Sans, Liberation Sans, Arial, sans-serif"
#define FONT_MONO   "DejaVu Sans Mono, Liberation Mono, Courier New, monospace"

/* Advance widths of DejaVu Sans 2.37 (Book and Bold; Oblique equals Book)
 * in 1/1000 em, for U+0020..U+007F then U+00A0..U+00FF, read with FreeType
 * from fonts-dejavu-core. */
static const unsigned short adv_regular[192] = {
     317, 400, 459, 837, 636, 950, 779, 274, 390, 390, 500, 837, 317, 360, 317, 336,
     636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 336, 336, 837, 837, 837, 530,
    1000, 684, 686, 698, 770, 631, 575, 774, 751, 294, 294, 655, 557, 862, 748, 787,
     603, 787, 694, 634, 610, 731, 684, 988, 685, 610, 685, 390, 336, 390, 837, 500,
     500, 612, 634, 549, 634, 615, 352, 634, 633, 277, 277, 579, 277, 974, 633, 611,
     634, 634, 411, 520, 392, 633, 591, 817, 591, 591, 524, 636, 336, 636, 837,   0,
     317, 400, 636, 636, 636, 636, 336, 500, 500,1000, 471, 611, 837, 360,1000, 500,
     500, 837, 400, 400, 500, 636, 636, 317, 500, 400, 471, 611, 969, 969, 969, 530,
     684, 684, 684, 684, 684, 684, 974, 698, 631, 631, 631, 631, 294, 294, 294, 294,
     774, 748, 787, 787, 787, 787, 787, 837, 787, 731, 731, 731, 731, 610, 604, 629,
     612, 612, 612, 612, 612, 612, 981, 549, 615, 615, 615, 615, 277, 277, 277, 277,
     611, 633, 611, 611, 611, 611, 611, 837, 611, 633, 633, 633, 633, 591, 634, 591,
};
static const unsigned short adv_bold[192] = {
     348, 456, 520, 837, 695,1001, 872, 306, 457, 457, 522, 837, 379, 415, 379, 365,
     695, 695, 695, 695, 695, 695, 695, 695, 695, 695, 399, 399, 837, 837, 837, 580,
    1000, 773, 762, 733, 830, 683, 683, 820, 836, 372, 372, 774, 637, 995, 836, 850,
     732, 850, 770, 720, 682, 812, 773,1103, 770, 724, 725, 457, 365, 457, 837, 500,
     500, 674, 715, 592, 715, 678, 435, 715, 711, 342, 342, 665, 342,1041, 711, 687,
     715, 715, 493, 595, 478, 711, 651, 923, 645, 651, 582, 711, 365, 711, 837,   0,
     348, 456, 695, 695, 636, 695, 365, 500, 500,1000, 563, 645, 837, 415,1000, 500,
     500, 837, 437, 437, 500, 735, 636, 379, 500, 437, 563, 645,1035,1035,1035, 580,
     773, 773, 773, 773, 773, 773,1084, 733, 683, 683, 683, 683, 372, 372, 372, 372,
     837, 836, 850, 850, 850, 850, 850, 837, 850, 812, 812, 812, 812, 724, 737, 719,
     674, 674, 674, 674, 674, 674,1047, 592, 678, 678, 678, 678, 342, 342, 342, 342,
     687, 711, 687, 687, 687, 687, 687, 837, 687, 711, 711, 711, 711, 651, 715, 651,
};
#define ADV_MONO    602        /* DejaVu Sans Mono, every glyph */
#define ADV_OTHER   1000       /* outside Latin-1: assume a wide glyph */

typedef enum face { FACE_SANS, FACE_BOLD, FACE_ITALIC, FACE_MONO_BOLD } face_t;

/* One centred text block: its wording, style, and after fit() its lines. */
typedef struct block {
    const char *text;          /* borrowed; NULL or "" = block omitted */
    lang_t      lang;
    face_t      face;
    const char *fill;
    double      size;          /* font size, mm; fit() may shrink it */
    int         maxlines;
    double      gap;           /* space after the block, mm; kept when the
                                  block is omitted, so a missing Kreyòl
                                  line still leaves the pair's spacing */
    buf_t       lines;         /* fit(): wrapped lines, each NUL-ended */
    int         nlines;
} block_t;

/* Width of [s, s+n) at size 1 in face, in the same unit as the size. */
static double text_width(const char *s, size_t n, face_t face)
{
    const unsigned short *adv = face == FACE_BOLD ? adv_bold : adv_regular;
    long sum = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_decode(s + i, &cp);
        if (!len) cp = 0xFFFD, len = 1;   /* not text (forms are checked): one unknown glyph */
        i += len;
        if (face == FACE_MONO_BOLD) sum += ADV_MONO;
        else if (cp >= 0x20 && cp < 0x80) sum += adv[cp - 0x20];
        else if (cp >= 0xA0 && cp <= 0xFF) sum += adv[96 + cp - 0xA0];
        else if (cp >= 0x80) sum += ADV_OTHER;
    }
    return sum / 1000.0;
}

double poster_text_width(const char *s, bool bold)
{
    return text_width(s, strlen(s), bold ? FACE_BOLD : FACE_SANS);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Greedy word wrap of b->text at b->size into lines of at most width mm,
 * in b->lines; returns the number of lines. A word wider than the line
 * gets a line of its own. */
static int wrap(block_t *b, double width)
{
    buf_reset(&b->lines);
    int n = 0;
    double line_w = 0, space_w = text_width(" ", 1, b->face) * b->size;
    for (const char *s = b->text; *s;) {
        while (is_space(*s)) s++;
        if (!*s) break;
        const char *w = s;
        while (*s && !is_space(*s)) s++;
        double ww = text_width(w, (size_t)(s - w), b->face) * b->size;
        if (n == 0 || line_w + space_w + ww > width) {
            if (n++) buf_putc(&b->lines, '\0');
            line_w = ww;
        } else {
            buf_putc(&b->lines, ' ');
            line_w += space_w + ww;
        }
        buf_append(&b->lines, w, (size_t)(s - w));
    }
    return n;   /* the last line ends with the buffer's own NUL */
}

/* Wrap b, shrinking its font until it fits maxlines lines of TEXT_W, then
 * balance the lines: the narrowest width that needs no more lines, so a
 * title breaks as "Encuesta de satisfacción / con los servicios" rather
 * than leaving one word alone on the last line. */
static void fit(block_t *b)
{
    buf_init(&b->lines);
    if (!b->text || !*b->text) {
        b->nlines = 0;
        return;
    }
    for (;;) {
        b->nlines = wrap(b, TEXT_W);
        bool too_wide = false;
        const char *l = b->lines.data;
        for (int i = 0; i < b->nlines; i++, l += strlen(l) + 1)
            too_wide |= text_width(l, strlen(l), b->face) * b->size > TEXT_W;
        /* The 1 mm floor only guarantees termination, for a word longer
         * than the page; real texts stop long before. */
        if ((b->nlines <= b->maxlines && !too_wide) || b->size < 1.0) break;
        b->size *= 0.92;
    }
    if (b->nlines < 2) return;
    double lo = 0, hi = TEXT_W;
    for (int i = 0; i < 16; i++) {
        double mid = (lo + hi) / 2;
        if (wrap(b, mid) > b->nlines) lo = mid;
        else hi = mid;
    }
    wrap(b, hi);
}

static double block_height(const block_t *b)
{
    return b->nlines * b->size * LINE + b->gap;
}

/* v with the given number of decimals (1..6), locale-independent. */
static void put_fixed(buf_t *out, double v, int decimals)
{
    long scale = 1;
    for (int i = 0; i < decimals; i++) scale *= 10;
    long h = lround(v * (double)scale);
    if (h < 0) {
        buf_putc(out, '-');
        h = -h;
    }
    buf_printf(out, "%ld.%0*ld", h / scale, decimals, h % scale);
}

static void put_mm(buf_t *out, double v)
{
    put_fixed(out, v, 2);
}

/* Emit b's lines centred, the first line's top at *y; advance *y. */
static void emit(buf_t *out, const block_t *b, double *y)
{
    static const char *const attrs[] = {
        [FACE_SANS]      = "",
        [FACE_BOLD]      = " font-weight=\"bold\"",
        [FACE_ITALIC]    = " font-style=\"italic\"",
        [FACE_MONO_BOLD] = " font-weight=\"bold\" font-family=\"" FONT_MONO "\"",
    };
    const char *l = b->lines.data;
    for (int i = 0; i < b->nlines; i++, l += strlen(l) + 1) {
        buf_puts(out, "<text x=\"");
        put_mm(out, PAGE_W / 2);
        buf_puts(out, "\" y=\"");
        put_mm(out, *y + b->size * ASCENT);
        buf_puts(out, "\" font-size=\"");
        put_mm(out, b->size);
        buf_printf(out, "\" fill=\"%s\"%s", b->fill, attrs[b->face]);
        if (b->lang != LANG_ES) buf_printf(out, " xml:lang=\"%s\"", i18n_code(b->lang));
        buf_puts(out, ">");
        buf_html(out, l);
        buf_puts(out, "</text>\n");
        *y += b->size * LINE;
    }
    *y += b->gap;
}

/* The QR code, qr_mm square (quiet zone included), centred, top at y. Its
 * square is painted white explicitly so the quiet zone survives when the
 * SVG is placed over something else (a coloured page in a document, a
 * viewer's dark background). */
static void emit_qr(buf_t *out, const qr_t *q, double y, double qr_mm)
{
    double module = qr_mm / qr_size(q), x = (PAGE_W - qr_mm) / 2;
    buf_puts(out, "<rect x=\"");
    put_mm(out, x);
    buf_puts(out, "\" y=\"");
    put_mm(out, y);
    buf_puts(out, "\" width=\"");
    put_mm(out, qr_mm);
    buf_puts(out, "\" height=\"");
    put_mm(out, qr_mm);
    buf_puts(out, "\" fill=\"#fff\"/>\n<path fill=\"#000\" shape-rendering=\"crispEdges\" "
                  "transform=\"translate(");
    put_mm(out, x);
    buf_putc(out, ' ');
    put_mm(out, y);
    buf_puts(out, ") scale(");
    put_fixed(out, module, 4);
    buf_puts(out, ")\" d=\"");
    qr_svg_path(out, q);
    buf_puts(out, "\"/>\n");
}

/* text unless it is empty or repeats same (a translation left equal to
 * the Spanish), in which case NULL so the block is omitted. */
static const char *distinct(const char *text, const char *same)
{
    return text && *text && strcmp(text, same) ? text : NULL;
}

void poster_link(buf_t *out, const char *base_url, const form_t *f, const point_t *pt)
{
    char code[SHORTCODE_LEN + 1];
    shortcode_make(f->id, pt ? pt->id : NULL, code);
    shortcode_url(out, base_url, code);
}

/* The form's title in language code, or NULL when it has none. */
static const char *title_in(const form_t *f, const char *code)
{
    int li = form_lang(f, code);
    return li >= 0 && f->title.s[li] && *f->title.s[li] ? f->title.s[li] : NULL;
}

int poster_svg(buf_t *out, const form_t *f, const point_t *pt, const poster_opts_t *o)
{
    assert(out && f && o && o->base_url);
    buf_t link;
    buf_init(&link);
    poster_link(&link, o->base_url, f, pt);
    qr_t q;
    if (qr_encode(link.data, o->ec, &q) != 0) {
        buf_free(&link);
        return -1;
    }
    /* People type the link without the scheme; browsers add it. */
    const char *shown = link.data;
    if (!strncmp(shown, "https://", 8)) shown += 8;
    else if (!strncmp(shown, "http://", 7)) shown += 7;

    const char *title_es = title_in(f, "es");
    if (!title_es) title_es = form_text(f, &f->title, f->default_lang);
    if (!*title_es) title_es = f->id;
    const char *place_es = pt ? pt->name : i18n(LANG_ES, S_POSTER_ALL_SERVICES);
    const char *place_ht = pt ? pt->name_ht : i18n(LANG_HT, S_POSTER_ALL_SERVICES);
    buf_t type_line;
    buf_init(&type_line);
    buf_printf(&type_line, "%s / %s", i18n(LANG_ES, S_POSTER_TYPE), i18n(LANG_HT, S_POSTER_TYPE));

    /* Top to bottom; the QR code goes between top[] and bottom[]. */
#define BLOCK(t, l, fc, ink, sz, lines, after) \
    { .text = (t), .lang = (l), .face = (fc), .fill = (ink), .size = (sz), .maxlines = (lines), .gap = (after) }
    block_t top[] = {
        BLOCK(i18n(LANG_ES, S_ORG_NAME), LANG_ES, FACE_BOLD, ACCENT, 6.0, 1, 4.0),
        BLOCK(i18n(LANG_ES, S_POSTER_HEADLINE), LANG_ES, FACE_BOLD, ACCENT, 16.0, 1, 1.0),
        BLOCK(distinct(i18n(LANG_HT, S_POSTER_HEADLINE), i18n(LANG_ES, S_POSTER_HEADLINE)),
              LANG_HT, FACE_ITALIC, INK_HT, 7.5, 1, 6.0),
        BLOCK(title_es, LANG_ES, FACE_BOLD, INK, 8.5, 2, 1.0),
        BLOCK(distinct(title_in(f, "ht"), title_es), LANG_HT, FACE_ITALIC, INK_HT, 6.0, 2, 5.0),
        BLOCK(place_es, LANG_ES, FACE_BOLD, INK, 10.0, 2, 1.0),
        BLOCK(distinct(place_ht, place_es), LANG_HT, FACE_ITALIC, INK_HT, 6.0, 2, 5.0),
        BLOCK(i18n(LANG_ES, S_POSTER_SCAN), LANG_ES, FACE_SANS, INK, 5.5, 2, 0.5),
        BLOCK(i18n(LANG_HT, S_POSTER_SCAN), LANG_HT, FACE_ITALIC, INK_HT, 4.5, 2, 2.0),
    };
    block_t bottom[] = {
        BLOCK(type_line.data, LANG_ES, FACE_SANS, INK, 4.8, 1, 1.0),
        BLOCK(shown, LANG_ES, FACE_MONO_BOLD, INK, 9.0, 1, 6.0),
        BLOCK(i18n(LANG_ES, S_POSTER_ANON), LANG_ES, FACE_BOLD, INK, 6.0, 2, 1.0),
        BLOCK(i18n(LANG_HT, S_POSTER_ANON), LANG_HT, FACE_ITALIC, INK_HT, 5.0, 2, 0.0),
    };
#undef BLOCK
    size_t ntop = sizeof top / sizeof top[0], nbottom = sizeof bottom / sizeof bottom[0];
    double text_h = 0;
    for (size_t i = 0; i < ntop; i++) fit(&top[i]), text_h += block_height(&top[i]);
    for (size_t i = 0; i < nbottom; i++) fit(&bottom[i]), text_h += block_height(&bottom[i]);
    /* Texts start 2 mm below the margin; 4 mm separate the code from the
     * link. Space the code does not need goes evenly above and below it. */
    double avail = PAGE_H - 2 * MARGIN - 2.0 - 4.0 - text_h;
    double qr_mm = fmin(QR_MAX, fmax(QR_MIN, avail));
    double slack = fmax(0, avail - qr_mm) / 2;

    bool half = o->size == POSTER_HALF;
    buf_printf(out,
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
               "width=\"%dmm\" height=\"%dmm\" viewBox=\"0 0 %d %d\" xml:lang=\"es\" "
               "font-family=\"" FONT_SANS "\" text-anchor=\"middle\">\n<title>",
               (int)(half ? HALF_W : PAGE_W), (int)(half ? HALF_H : PAGE_H),
               (int)PAGE_W, (int)PAGE_H);
    buf_html(out, title_es);
    buf_puts(out, " — ");
    buf_html(out, place_es);
    buf_printf(out, "</title>\n<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n"
               "<rect x=\"6\" y=\"6\" width=\"%d\" height=\"%d\" rx=\"4\" fill=\"none\" "
               "stroke=\"" ACCENT "\" stroke-width=\"1.2\"/>\n",
               (int)PAGE_W, (int)PAGE_H, (int)PAGE_W - 12, (int)PAGE_H - 12);

    double y = MARGIN + 2.0;
    for (size_t i = 0; i < ntop; i++) emit(out, &top[i], &y);
    y += slack;

    emit_qr(out, &q, y, qr_mm);
    y += qr_mm + 4.0 + slack;

    for (size_t i = 0; i < nbottom; i++) emit(out, &bottom[i], &y);
    buf_puts(out, "</svg>\n");

    for (size_t i = 0; i < ntop; i++) buf_free(&top[i].lines);
    for (size_t i = 0; i < nbottom; i++) buf_free(&bottom[i].lines);
    buf_free(&type_line);
    buf_free(&link);
    int version = q.version;
    qr_free(&q);
    return version;
}

int poster_qr(buf_t *out, const form_t *f, const point_t *pt, const poster_opts_t *o, bool png)
{
    buf_t link;
    buf_init(&link);
    poster_link(&link, o->base_url, f, pt);
    qr_t q;
    int rc = qr_encode(link.data, o->ec, &q);
    buf_free(&link);
    if (rc != 0) return -1;
    int version = q.version;
    if (!png) {
        qr_svg(out, &q);
    } else if (qr_png(out, &q, (o->png_width ? o->png_width : POSTER_PNG_WIDTH) / qr_size(&q)) != 0) {
        /* ^ the largest whole module scale within the width */
        errno = EIO;
        version = -1;
    }
    qr_free(&q);
    return version;
}

void poster_file_name(buf_t *out, const form_t *f, const point_t *pt, bool qr_only, poster_size_t size,
                      bool png)
{
    buf_printf(out, "cartel-%s%s%s%s.%s", f->id, pt ? "-" : "", pt ? pt->id : "",
               qr_only ? "-qr" : size == POSTER_HALF ? "-media" : "", png ? "png" : "svg");
}
