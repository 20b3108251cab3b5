/*
 * paper.c: the paper questionnaire's pages as SVG (see paper.h for what
 * they hold and why they look as they do).
 *
 * Layout: every question (or note, or group heading) is drawn into a block
 * at its own coordinates and measured; a block that does not fit in what
 * is left of the page starts the next one, so a question and its boxes are
 * never split. The page numbers ("Página 2 de 3") are written last, once
 * the number of pages is known. Text is wrapped by the advance widths of
 * DejaVu Sans (poster_text_width), the font named first, so lines end
 * before the margin; it is escaped before it is wrapped (an entity counts a
 * little wider than its glyph: the error is on the safe side).
 */
#include "view/paper.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/poster.h"
#include "model/qr.h"
#include "view/render.h"
#include "view/rich.h"

#define PAGE_W   210.0
#define PAGE_H   297.0
#define MARGIN   15.0
#define TEXT_W   (PAGE_W - 2 * MARGIN)
#define BOTTOM   (PAGE_H - 18.0)   /* the footer lives below */
#define ORG      6.0               /* font sizes in mm: 3.88 mm = 11 pt */
#define TITLE    5.6
#define BODY     4.2
#define SMALL    3.9
#define LEAD     1.35              /* line height / font size */
#define BOX      5.5               /* tick box side */
#define DIGIT_W  7.0               /* digit box */
#define DIGIT_H  8.5
#define STROKE   "0.5"             /* box lines, mm: survive a faint toner */
#define QR_MM    36.0

static const char *T(lang_t l, str_id_t id) { return i18n(l, id); }

static const char FONT[] = "DejaVu Sans, Liberation Sans, Arial, sans-serif";

/* ---- text ------------------------------------------------------------ */

/* Greedy wrap of esc (escaped text) at size into lines at most width mm
 * wide, each NUL-terminated in lines; returns the number of lines. */
static int wrap(buf_t *lines, const char *esc, double size, bool bold, double width)
{
    buf_reset(lines);
    int n = 0;
    buf_t line, word;
    buf_init(&line);
    buf_init(&word);
    const char *p = esc;
    while (*p) {
        while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') p++;
        if (!*p) break;
        const char *e = p;
        while (*e && *e != ' ' && *e != '\n' && *e != '\t' && *e != '\r') e++;
        buf_reset(&word);
        buf_append(&word, p, (size_t)(e - p));
        buf_putc(&word, '\0');
        if (line.len) {
            buf_t t;
            buf_init(&t);
            buf_printf(&t, "%s %s", line.data, word.data);
            if (poster_text_width(t.data, bold) * size > width) {
                buf_append(lines, line.data, line.len + 1);
                n++;
                buf_reset(&line);
                buf_puts(&line, word.data);
            } else {
                buf_reset(&line);
                buf_puts(&line, t.data);
            }
            buf_free(&t);
        } else {
            buf_puts(&line, word.data);
        }
        p = e;
    }
    if (line.len) {
        buf_append(lines, line.data, line.len + 1);
        n++;
    }
    buf_free(&line);
    buf_free(&word);
    return n;
}

/* Draw plain text wrapped at (x, y: top of the first line) into o; returns
 * the height used. */
static double text(buf_t *o, const char *plain, double x, double y, double size, bool bold, double width)
{
    buf_t esc, lines;
    buf_init(&esc);
    buf_init(&lines);
    buf_html(&esc, plain);
    int n = wrap(&lines, esc.data ? esc.data : "", size, bold, width);
    const char *l = lines.data;
    for (int k = 0; k < n; k++, l += strlen(l) + 1)
        buf_printf(o, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\"%s>%s</text>\n", x,
                   y + size * (k + 1) * LEAD - size * (LEAD - 1) - 0.3, size,
                   bold ? " font-weight=\"bold\"" : "", l);
    buf_free(&esc);
    buf_free(&lines);
    return n * size * LEAD;
}

/* The same for text already escaped (the condition sentences). */
static double text_esc(buf_t *o, const char *esc, double x, double y, double size, bool bold, double width)
{
    buf_t lines;
    buf_init(&lines);
    int n = wrap(&lines, esc, size, bold, width);
    const char *l = lines.data;
    for (int k = 0; k < n; k++, l += strlen(l) + 1)
        buf_printf(o, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\"%s>%s</text>\n", x,
                   y + size * (k + 1) * LEAD - size * (LEAD - 1) - 0.3, size,
                   bold ? " font-weight=\"bold\"" : "", l);
    buf_free(&lines);
    return n * size * LEAD;
}

static void box(buf_t *o, double x, double y, double w, double h, const char *cls)
{
    buf_printf(o, "<rect class=\"%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"none\" "
                  "stroke=\"#000\" stroke-width=\"" STROKE "\"/>\n", cls, x, y, w, h);
}

/* ---- pages ------------------------------------------------------------ */

typedef struct layout {
    buf_t *pages;
    size_t n;
    double y;                 /* next free y on the current page */
    const form_t *f;
    const point_t *pt;
    lang_t lang;
    int li;
    const char *code;
    const char *link;
    qr_t qr;
} layout_t;

static void page_open(layout_t *L)
{
    L->pages = xrealloc(L->pages, (L->n + 1) * sizeof *L->pages);
    buf_t *o = &L->pages[L->n++];
    buf_init(o);
    buf_printf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"210mm\" height=\"297mm\" "
                  "viewBox=\"0 0 210 297\" font-family=\"%s\" fill=\"#000\">\n"
                  "<rect width=\"210\" height=\"297\" fill=\"#fff\"/>\n", FONT);
    const char *title = form_text(L->f, &L->f->title, L->li);
    if (L->n > 1) {   /* a running head: which questionnaire this sheet is */
        buf_t t;
        buf_init(&t);
        buf_printf(&t, "%s · %s", T(L->lang, S_ORG_NAME), title);
        text(o, t.data, MARGIN, 10, SMALL, false, TEXT_W);
        buf_free(&t);
        buf_printf(o, "<line x1=\"%.2f\" y1=\"17\" x2=\"%.2f\" y2=\"17\" stroke=\"#000\" stroke-width=\"0.4\"/>\n",
                   MARGIN, PAGE_W - MARGIN);
        L->y = 21;
        return;
    }
    double left_w = TEXT_W - QR_MM - 4, y = 12;
    y += text(o, T(L->lang, S_ORG_NAME), MARGIN, y, ORG, true, left_w) + 1.5;
    y += text(o, title, MARGIN, y, TITLE, true, left_w) + 1.5;
    if (L->pt) {
        buf_t t;
        buf_init(&t);
        buf_printf(&t, "%s %s", T(L->lang, S_PAPER_POINT),
                   L->lang == LANG_HT && L->pt->name_ht ? L->pt->name_ht : L->pt->name);
        y += text(o, t.data, MARGIN, y, BODY, false, left_w);
        buf_free(&t);
    }
    y += 1;
    y += text(o, T(L->lang, S_PAPER_ONLINE), MARGIN, y, SMALL, false, left_w);
    buf_t t;
    buf_init(&t);
    buf_html(&t, L->link);
    y += text_esc(o, t.data, MARGIN, y, SMALL, true, left_w);
    buf_free(&t);
    /* The QR code, its quiet zone white (the page is white anyway). */
    double qx = PAGE_W - MARGIN - QR_MM, qy = 10, module = QR_MM / qr_size(&L->qr);
    buf_printf(o, "<path class=\"qr\" fill=\"#000\" shape-rendering=\"crispEdges\" "
                  "transform=\"translate(%.2f %.2f) scale(%.4f)\" d=\"", qx, qy, module);
    qr_svg_path(o, &L->qr);
    buf_puts(o, "\"/>\n");
    if (y < qy + QR_MM) y = qy + QR_MM;
    y += 2;
    buf_printf(o, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#000\" stroke-width=\"0.6\"/>\n",
               MARGIN, y, PAGE_W - MARGIN, y);
    L->y = y + 5;
}

/* Place block b (drawn from y = 0, h high) on the current page, or on a
 * new one when it does not fit with keep mm more below it (a group's
 * heading keeps room for its first question: never alone at a page's foot). */
static void place(layout_t *L, const buf_t *b, double h, double keep)
{
    if (L->y + h + keep > BOTTOM && L->y > 30) page_open(L);
    buf_printf(&L->pages[L->n - 1], "<g transform=\"translate(0 %.2f)\">\n", L->y);
    buf_append(&L->pages[L->n - 1], b->data, b->len);
    buf_puts(&L->pages[L->n - 1], "</g>\n");
    L->y += h;
}

/* ---- questions -------------------------------------------------------- */

/* True when paper can take an answer to q (and so it is numbered). */
static bool on_paper(const question_t *q)
{
    switch (q->type) {
    case Q_TEXT: case Q_INTEGER: case Q_DECIMAL: case Q_DATE: case Q_SELECT_ONE:
    case Q_SELECT_MULTIPLE: case Q_TIME: case Q_DATETIME: case Q_RANGE: case Q_ACKNOWLEDGE:
    case Q_RANK:
        return true;
    default:
        return false;
    }
}

/* True when begin_group i holds something printed. */
static bool group_printed(const form_t *f, size_t i)
{
    int depth = 0;
    for (size_t k = i; k < f->nq; k++) {
        const question_t *q = &f->q[k];
        if (q->type == Q_BEGIN_GROUP) depth++;
        else if (q->type == Q_END_GROUP && --depth == 0) return false;
        else if (on_paper(q) || q->type == Q_NOTE) return true;
    }
    return false;
}

/* A question paper cannot take at all (not one it can leave out, such as a
 * calculation): a photo, a recording, a file, a place. */
static bool media_or_place(const question_t *q)
{
    switch (q->type) {
    case Q_IMAGE: case Q_AUDIO: case Q_VIDEO: case Q_FILE: case Q_GEOPOINT: case Q_GEOTRACE: case Q_GEOSHAPE:
        return true;
    default:
        return false;
    }
}

/* The row of the end_group (or end_repeat) of the group begun at row b;
 * f->nq when the form has none (a loaded form always has one). */
static size_t group_end(const form_t *f, size_t b)
{
    int depth = 0;
    for (size_t k = b; k < f->nq; k++) {
        if (f->q[k].type == Q_BEGIN_GROUP) depth++;
        else if (f->q[k].type == Q_END_GROUP && --depth == 0) return k;
    }
    return f->nq;
}

/* True when row i is a select_one whose only purpose on paper would be to
 * ask consent for what paper cannot take (the standard complaint form's
 * foto_lugar_consent): the questions whose relevance names it (${name};
 * a group by what it holds) are none printed, and one at least is a photo,
 * file or place. Read generically, so a form's own consent question for
 * a recording is left out too; a select with no dependents is kept. */
static bool consent_for_unprintable(const form_t *f, size_t i)
{
    const question_t *q = &f->q[i];
    if (q->type != Q_SELECT_ONE || !q->name) return false;
    buf_t ref;
    buf_init(&ref);
    buf_printf(&ref, "${%s}", q->name);
    bool media = false, printed = false;
    for (size_t k = 0; k < f->nq && !printed; k++) {
        const question_t *d = &f->q[k];
        if (k == i || d->type == Q_END_GROUP || !d->relevant_src || !strstr(d->relevant_src, ref.data)) continue;
        size_t e = d->type == Q_BEGIN_GROUP ? group_end(f, k) : k;
        for (size_t m = k; m <= e && m < f->nq; m++) {
            const question_t *x = &f->q[m];
            if (on_paper(x) || x->type == Q_NOTE) printed = true;
            media |= media_or_place(x);
        }
    }
    buf_free(&ref);
    return media && !printed;
}

/* ---- repeats: the order of the blocks on paper ---------------------------- */

/* Blocks printed for a repeat whose count paper cannot know. */
#define REPEAT_BLOCKS 3
/* More blocks than this are never printed, whatever repeat_count says. */
#define REPEAT_MAX 30

/* One block to draw: row i of the form, in instance inst (1-based) of the
 * repeat it begins, or (more) the "use another sheet" line after the last
 * block of a repeat without a fixed count. */
typedef struct step {
    size_t i;
    int    inst;
    bool   more;
} step_t;

typedef struct steps {
    step_t *v;
    size_t  n, cap;
} steps_t;

static void step_push(steps_t *s, size_t i, int inst, bool more)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = (step_t){ i, inst, more };
}

/* The instances printed of the repeat begun by q: its repeat_count when it
 * is a whole number (*fixed), else REPEAT_BLOCKS. */
static int repeat_blocks(const question_t *q, bool *fixed)
{
    const char *c = q->repeat_count_src;
    *fixed = false;
    if (c) {
        while (isspace((unsigned char)*c)) c++;
        char *end;
        long n = strtol(c, &end, 10);
        while (end != c && isspace((unsigned char)*end)) end++;
        if (end != c && !*end && n >= 0) {
            *fixed = true;
            return n > REPEAT_MAX ? REPEAT_MAX : (int)n;
        }
    }
    return REPEAT_BLOCKS;
}

/* Rows [lo, hi) in print order into s: a repeat's rows once per instance,
 * each instance starting with its begin row (the "Persona 2" heading). */
static void steps_add(steps_t *s, const form_t *f, size_t lo, size_t hi, int inst)
{
    for (size_t i = lo; i < hi; i++) {
        const question_t *q = &f->q[i];
        if (!(q->type == Q_BEGIN_GROUP && q->repeat)) {
            step_push(s, i, inst, false);
            continue;
        }
        size_t e = group_end(f, i);
        bool fixed;
        int nb = repeat_blocks(q, &fixed);
        for (int k = 1; k <= nb; k++) {
            step_push(s, i, k, false);
            steps_add(s, f, i + 1, e < f->nq ? e : f->nq, k);
        }
        if (nb && !fixed) step_push(s, e < f->nq ? e : i, 0, true);
        i = e;
    }
}

typedef struct tests {
    int n;
    const char *name, *op, *value;
} tests_t;

static void count_test(void *arg, const char *name, const char *op, const char *value, bool first, bool is_or)
{
    (void)first;
    (void)is_or;
    tests_t *t = arg;
    if (!t->n++) {
        t->name = name;
        t->op = op;
        t->value = value;
    }
}

/* Digit boxes in a row at (x, y); returns the x after them. */
static double digits(buf_t *o, double x, double y, int n)
{
    for (int k = 0; k < n; k++) box(o, x + k * DIGIT_W, y, DIGIT_W, DIGIT_H, "digit");
    return x + n * DIGIT_W;
}

static double slash(buf_t *o, double x, double y, const char *c)
{
    buf_printf(o, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\">%s</text>\n", x + 0.8, y + DIGIT_H - 2, BODY, c);
    return x + 3.5;
}

/* The answer area of q (boxes, lines) at y; returns its height. */
static double answer_area(layout_t *L, buf_t *o, const question_t *q, double x, double y)
{
    double w = PAGE_W - MARGIN - x, y0 = y;
    switch (q->type) {
    case Q_SELECT_ONE: case Q_SELECT_MULTIPLE: case Q_RANK: {
        size_t nc = form_nchoices(q);
        bool flow = q->appearance & (APP_LIKERT | APP_HORIZONTAL);
        double cx = x;
        for (size_t k = 0; k < nc; k++) {
            const choice_t *c = form_choice_at(q, k);
            buf_t lab;
            buf_init(&lab);
            rich_plain(&lab, form_text(L->f, &c->label, L->li), NULL, NULL);
            if (!lab.data || !*lab.data) buf_puts(&lab, c->name);
            double bw = q->type == Q_RANK ? DIGIT_W : BOX;
            if (flow) {
                double lw = poster_text_width(lab.data, false) * BODY;
                if (lw > w - bw - 3) lw = w - bw - 3;
                if (cx > x && cx + bw + 2 + lw > x + w) {
                    cx = x;
                    y += BODY * LEAD + 3;
                }
                box(o, cx, y, bw, q->type == Q_RANK ? DIGIT_H : BOX, "choice");
                double h = text(o, lab.data, cx + bw + 2, y, BODY, false, lw + 1);
                (void)h;
                cx += bw + 2 + lw + 7;
                if (k + 1 == nc) y += BODY * LEAD + 3;
            } else {
                box(o, x, y, bw, q->type == Q_RANK ? DIGIT_H : BOX, "choice");
                double h = text(o, lab.data, x + bw + 2.5, y, BODY, false, w - bw - 2.5);
                double rh = q->type == Q_RANK ? DIGIT_H : BOX;
                y += (h > rh ? h : rh) + 2.2;
            }
            buf_free(&lab);
        }
        break;
    }
    case Q_ACKNOWLEDGE:
        box(o, x, y, BOX, BOX, "choice");
        y += BOX + 2;
        break;
    case Q_INTEGER:
        digits(o, x, y, 6);
        y += DIGIT_H + 2;
        break;
    case Q_DECIMAL: {
        double e = digits(o, x, y, 6);
        e = slash(o, e, y, ",");
        digits(o, e, y, 2);
        y += DIGIT_H + 2;
        break;
    }
    case Q_RANGE:
        digits(o, x, y, q->range_end >= 100 || q->range_start <= -10 ? 4 : 2);
        buf_printf(o, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\">(%g – %g)</text>\n",
                   x + 32, y + DIGIT_H - 2, SMALL, q->range_start, q->range_end);
        y += DIGIT_H + 2;
        break;
    case Q_DATE: case Q_TIME: case Q_DATETIME: {
        double e = x;
        if (q->type != Q_TIME) {
            e = digits(o, e, y, 2);
            e = slash(o, e, y, "/");
            e = digits(o, e, y, 2);
            e = slash(o, e, y, "/");
            e = digits(o, e, y, 4);
            buf_printf(o, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\">%s</text>\n", x, y + DIGIT_H + SMALL + 0.5,
                       SMALL, T(L->lang, S_PAPER_DATE));
            e += 6;
        }
        if (q->type != Q_DATE) {
            e = digits(o, e, y, 2);
            e = slash(o, e, y, ":");
            digits(o, e, y, 2);
        }
        y += DIGIT_H + (q->type != Q_TIME ? SMALL + 2 : 0) + 2;
        break;
    }
    default: {   /* text: lines to write on */
        int n = q->appearance & APP_MULTILINE ? 4 : (q->appearance & (APP_NUMBERS | APP_TEL)) ? 1 : 2;
        for (int k = 0; k < n; k++) {
            y += 9;
            buf_printf(o, "<line class=\"write\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#000\" "
                          "stroke-width=\"0.3\"/>\n", x, y, PAGE_W - MARGIN, y);
        }
        y += 2;
        break;
    }
    }
    return y - y0;
}

void paper_code(buf_t *out, const form_t *f, const point_t *pt, lang_t lang)
{
    buf_printf(out, "%s-%s-%s-%s", f->id, f->version && *f->version ? f->version : "sin-version",
               pt ? pt->id : "todos", i18n_code(lang));
}

size_t paper_svg(buf_t **pages, const form_t *f, const point_t *pt, lang_t lang, const char *link)
{
    layout_t L = { .f = f, .pt = pt, .lang = lang, .link = link };
    *pages = NULL;
    if (qr_encode(link, QR_EC_M, &L.qr) != 0) return 0;
    L.li = form_lang(f, i18n_code(lang));
    if (L.li < 0) L.li = f->default_lang;
    buf_t code;
    buf_init(&code);
    paper_code(&code, f, pt, lang);
    L.code = code.data;

    /* Numbers, then skips: the questions right after a select_one p that
     * are asked only when p has one answer (or any but one) become "if
     * you answered anything else (that one), go to question N" on p. Other questions naming p
     * keep their own "Responda solo si" line. */
    int *num = xcalloc(f->nq + 1, sizeof *num);
    int *skip_to = xcalloc(f->nq, sizeof *skip_to);           /* on p: N, or -1: the end */
    const char **skip_val = xcalloc(f->nq, sizeof *skip_val); /* on p: the value that goes on */
    bool *skipped = xcalloc(f->nq, sizeof *skipped);          /* i: explained on p */
    bool *skip_neg = xcalloc(f->nq, sizeof *skip_neg);        /* on p: "!=": the value skips */
    int nn = 0;
    for (size_t i = 0; i < f->nq; i++)
        if (on_paper(&f->q[i]) && !consent_for_unprintable(f, i)) num[i] = ++nn;
    size_t prev = f->nq;   /* the numbered question before i */
    for (size_t i = 0; i < f->nq; i++) {
        const question_t *q = &f->q[i];
        if (!num[i]) continue;
        size_t before = prev;
        prev = i;
        if (!q->relevant || before == f->nq || skip_val[before]) continue;
        tests_t t = { 0 };
        if (!expr_simple_tests(q->relevant, count_test, &t) || t.n != 1 || (strcmp(t.op, "=") && strcmp(t.op, "!="))) continue;
        const question_t *pq = form_question(f, t.name);
        if (pq != &f->q[before] || pq->type != Q_SELECT_ONE) continue;
        /* The run: i and the questions after it with the same condition. */
        size_t j = i, k;
        for (k = i + 1; k < f->nq; k++) {
            if (!num[k]) continue;
            if (!f->q[k].relevant_src || strcmp(f->q[k].relevant_src, q->relevant_src)) break;
            j = k;
        }
        skip_to[before] = k < f->nq ? num[k] : -1;
        skip_val[before] = t.value;
        skip_neg[before] = !strcmp(t.op, "!=");
        for (size_t m = i; m <= j; m++) skipped[m] = num[m] > 0;
    }

    page_open(&L);
    buf_t b;
    buf_init(&b);
    steps_t steps = { 0 };
    steps_add(&steps, f, 0, f->nq, 0);
    for (size_t st = 0; st < steps.n; st++) {
        size_t i = steps.v[st].i;
        const question_t *q = &f->q[i];
        if (steps.v[st].more) {
            /* A repeat's count is not known on paper: room for a few,
             * and where the others go. */
            buf_reset(&b);
            double y = text(&b, T(lang, S_PAPER_MORE_SHEET), MARGIN, 0, BODY, true, TEXT_W);
            place(&L, &b, y + 5, 0);
            continue;
        }
        bool heading = q->type == Q_BEGIN_GROUP && group_printed(f, i);
        if (!num[i] && q->type != Q_NOTE && !heading) continue;
        buf_reset(&b);
        double x = MARGIN, y = 0;
        buf_t lab;
        buf_init(&lab);
        rich_plain(&lab, form_text(f, &q->label, L.li), NULL, NULL);
        if (heading && q->repeat) {   /* "Persona 2" */
            if (!lab.data || !*lab.data) buf_puts(&lab, q->name ? q->name : "");
            buf_printf(&lab, " %d", steps.v[st].inst);
        }
        if (num[i]) {
            buf_printf(&b, "<text class=\"qnum\" x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\" font-weight=\"bold\">%d.</text>\n",
                       x, BODY * LEAD - BODY * (LEAD - 1) - 0.3, BODY, num[i]);
            x += 9;
        }
        double w = PAGE_W - MARGIN - x;
        if (heading) {
            y += 2;
            y += text(&b, lab.data ? lab.data : "", x, y, TITLE, true, w) + 1;
        } else if (lab.data && *lab.data) {
            y += text(&b, lab.data, x, y, BODY, num[i] > 0, w) + 0.8;
        }
        buf_free(&lab);
        buf_t h;
        buf_init(&h);
        rich_plain(&h, form_text(f, &q->hint, L.li), NULL, NULL);
        if (h.data && *h.data) y += text(&b, h.data, x, y, SMALL, false, w) + 0.5;
        buf_free(&h);
        if (q->relevant && !skipped[i]) {
            buf_t c;
            buf_init(&c);
            buf_html(&c, T(lang, S_COND_PREFIX));
            buf_putc(&c, ' ');
            buf_t words;
            buf_init(&words);
            if (render_condition_words(&words, f, q, L.li, lang)) {
                buf_append(&c, words.data, words.len);
                buf_putc(&c, '.');
            } else {
                buf_reset(&c);
                buf_html(&c, T(lang, S_COND_GENERIC));
            }
            buf_free(&words);
            y += text_esc(&b, c.data, x, y, SMALL, false, w) + 0.8;
            buf_free(&c);
        }
        if (q->type == Q_SELECT_ONE && !(q->appearance & (APP_LIKERT | APP_HORIZONTAL)))
            y += text(&b, T(lang, S_PAPER_ONE), x, y, SMALL, false, w) + 0.8;
        if (q->type == Q_SELECT_MULTIPLE) y += text(&b, T(lang, S_PAPER_MANY), x, y, SMALL, false, w) + 0.8;
        if (num[i]) y += 1 + answer_area(&L, &b, q, x, y + 1);
        if (skip_val[i]) {
            /* "Si respondió «A» o «B», pase a la pregunta N." */
            buf_t s;
            buf_init(&s);
            buf_printf(&s, "→ %s ", T(lang, S_PAPER_SKIP_IF));
            int shown = 0;
            for (size_t k = 0; k < form_nchoices(q); k++) {
                const choice_t *c = form_choice_at(q, k);
                if (!strcmp(c->name, skip_val[i]) != skip_neg[i]) continue;
                if (shown++) buf_printf(&s, " %s ", T(lang, S_COND_OR));
                buf_t cl;
                buf_init(&cl);
                rich_plain(&cl, form_text(f, &c->label, L.li), NULL, NULL);
                buf_printf(&s, "«%s»", cl.data ? cl.data : c->name);
                buf_free(&cl);
            }
            if (skip_to[i] > 0) buf_printf(&s, ", %s %d.", T(lang, S_PAPER_SKIP_GO), skip_to[i]);
            else buf_printf(&s, ", %s.", T(lang, S_PAPER_SKIP_END));
            buf_puts(&b, "<g class=\"skip\">\n");
            y += text(&b, s.data, x, y, BODY, true, w);
            buf_puts(&b, "</g>\n");
            buf_free(&s);
        }
        place(&L, &b, y + 5, heading ? 45 : 0);
    }
    buf_reset(&b);
    double y = 2 + text(&b, T(lang, S_PAPER_RETURN), MARGIN, 2, BODY, true, TEXT_W);
    place(&L, &b, y, 0);
    buf_free(&b);
    free(steps.v);

    /* Footers, now that the number of pages is known. */
    for (size_t p = 0; p < L.n; p++) {
        buf_t *o = &L.pages[p];
        buf_printf(o, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#000\" stroke-width=\"0.4\"/>\n",
                   MARGIN, PAGE_H - 14, PAGE_W - MARGIN, PAGE_H - 14);
        buf_printf(o, "<text class=\"code\" x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\" font-weight=\"bold\">%s ",
                   MARGIN, PAGE_H - 8, SMALL, T(lang, S_PAPER_CODE));
        buf_html(o, L.code);
        buf_printf(o, "</text>\n<text class=\"pageno\" x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\" text-anchor=\"end\">"
                      "%s %zu %s %zu</text>\n</svg>\n",
                   PAGE_W - MARGIN, PAGE_H - 8, SMALL, T(lang, S_PAPER_PAGE), p + 1, T(lang, S_PAPER_OF), L.n);
    }
    free(num);
    free(skip_to);
    free(skip_val);
    free(skipped);
    free(skip_neg);
    buf_free(&code);
    qr_free(&L.qr);
    *pages = L.pages;
    return L.n;
}
