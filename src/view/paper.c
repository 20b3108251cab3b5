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

#include "model/paper_q.h"
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
    bool cases;               /* the sheet opens a case: code box and stub */
    buf_t base;               /* the site's address (link's, before /q/) */
} layout_t;

static void page_open(layout_t *L);
static void place(layout_t *L, const buf_t *b, double h, double keep);

static double digits_of(buf_t *o, double x, double y, int n, const char *cls);
static double slash(buf_t *o, double x, double y, const char *c);

/* The line staff write the case's tracking code on ("Código de su caso
 * (lo escribe el personal): ____"), at (x, y) in o; returns its height. */
static double case_box(const layout_t *L, buf_t *o, double x, double y)
{
    double w = poster_text_width(T(L->lang, S_PAPER_CASE_BOX), true) * BODY;
    text(o, T(L->lang, S_PAPER_CASE_BOX), x, y + 2, BODY, true, TEXT_W);
    double bx = x + w + 3;
    if (bx > PAGE_W - MARGIN - 45) bx = PAGE_W - MARGIN - 45;
    box(o, bx, y, PAGE_W - MARGIN - bx, DIGIT_H + 1, "casecode");
    return DIGIT_H + 1;
}

/* Under the first page's head: the date the person writes the sheet
 * (the entry page asks the clerk for it: "Fecha: __/__/____"), and on a
 * sheet that opens a case, the box for its tracking code. */
static void sheet_top(layout_t *L, buf_t *o)
{
    double y = L->y, x = MARGIN;
    text(o, T(L->lang, S_PAPER_WRITTEN), x, y + 2, BODY, true, 30);
    double e = x + poster_text_width(T(L->lang, S_PAPER_WRITTEN), true) * BODY + 3;
    double x0 = e;   /* the sheet's date: not an answer's boxes */
    e = digits_of(o, e, y, 2, "written");
    e = slash(o, e, y, "/");
    e = digits_of(o, e, y, 2, "written");
    e = slash(o, e, y, "/");
    digits_of(o, e, y, 4, "written");
    buf_printf(o, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\">%s</text>\n", x0, y + DIGIT_H + SMALL + 0.5,
               SMALL, T(L->lang, S_PAPER_DATE));
    y += DIGIT_H + SMALL + 4;
    if (L->cases) y += case_box(L, o, x, y) + 3;
    buf_printf(o, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#000\" stroke-width=\"0.4\"/>\n",
               MARGIN, y, PAGE_W - MARGIN, y);
    L->y = y + 5;
}

/* The tear-off stub at the foot of the last page of a sheet that opens a
 * case: the person keeps it with the code staff write in its box and the
 * address to follow the case. Pushed to the page's foot (a new page when
 * it does not fit), under a dashed line to cut along. */
static void stub(layout_t *L)
{
    buf_t b;
    buf_init(&b);
    double y = 0;
    buf_printf(&b, "<g class=\"stub\">\n<line x1=\"%.2f\" y1=\"3\" x2=\"%.2f\" y2=\"3\" stroke=\"#000\" "
                   "stroke-width=\"0.4\" stroke-dasharray=\"2 1.5\"/>\n", MARGIN, PAGE_W - MARGIN);
    buf_printf(&b, "<rect x=\"%.2f\" y=\"0.5\" width=\"%.2f\" height=\"5\" fill=\"#fff\"/>\n",
               PAGE_W / 2 - 14, 28.0);
    buf_t t;
    buf_init(&t);
    buf_html(&t, T(L->lang, S_PAPER_CUT));
    buf_printf(&b, "<text x=\"%.2f\" y=\"4.6\" font-size=\"%.2f\" text-anchor=\"middle\">%s</text>\n",
               PAGE_W / 2, SMALL, t.data);
    y = 9;
    y += text(&b, T(L->lang, S_PAPER_STUB), MARGIN, y, BODY, true, TEXT_W) + 2;
    y += case_box(L, &b, MARGIN, y) + 2.5;
    buf_reset(&t);
    buf_printf(&t, "%s %s/seguimiento", T(L->lang, S_PAPER_FOLLOW), L->base.data ? L->base.data : "");
    y += text(&b, t.data, MARGIN, y, BODY, false, TEXT_W) + 1;
    buf_free(&t);
    buf_puts(&b, "</g>\n");
    if (L->y + y > BOTTOM) page_open(L);
    L->y = BOTTOM - y;
    place(L, &b, y, 0);
    buf_free(&b);
}

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
    L->y = y + 4;
    sheet_top(L, o);
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

/* True when begin_group i holds something printed. */
static bool group_printed(const form_t *f, size_t i)
{
    int depth = 0;
    for (size_t k = i; k < f->nq; k++) {
        const question_t *q = &f->q[k];
        if (q->type == Q_BEGIN_GROUP) depth++;
        else if (q->type == Q_END_GROUP && --depth == 0) return false;
        else if (paper_type_ok(q) || q->type == Q_NOTE) return true;
    }
    return false;
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
        size_t e = paper_group_end(f, i);
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

/* Digit boxes of class cls in a row at (x, y); returns the x after them. */
static double digits_of(buf_t *o, double x, double y, int n, const char *cls)
{
    for (int k = 0; k < n; k++) box(o, x + k * DIGIT_W, y, DIGIT_W, DIGIT_H, cls);
    return x + n * DIGIT_W;
}

/* An answer's digit boxes. */
static double digits(buf_t *o, double x, double y, int n)
{
    return digits_of(o, x, y, n, "digit");
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

/* ---- skips ------------------------------------------------------------ */

/* Whether choice value v of the skipping question is one the skip is for
 * ("=" w: every answer but w; "!=" u: u alone). */
static bool in_skip(const char *v, const char *val, bool neg)
{
    return !strcmp(v, val) == neg;
}

/* Whether the test (op, value) on p is false for every answer of p the
 * skip (val, neg) is for. */
static bool false_on_skip(const question_t *p, const char *op, const char *value, const char *val, bool neg)
{
    bool any = false;
    for (size_t k = 0; k < form_nchoices(p); k++) {
        const char *v = form_choice_at(p, k)->name;
        if (!in_skip(v, val, neg)) continue;
        any = true;
        bool holds = !strcmp(op, "!=") ? strcmp(v, value) != 0 : strcmp(v, value) == 0;
        if (holds) return false;
    }
    return any;
}

typedef struct implied {
    const form_t *f;
    size_t p;                 /* the question that skips */
    const char *val;
    bool neg;
    const bool *gone;         /* rows already known not to apply */
    bool is_or, any_false, all_false, seen;
} implied_t;

/* One test of a relevance: false for sure when it is on p and false for
 * every skipping answer, or an "=" / selected() of a question that does
 * not apply (its value is then empty). */
static void implied_test(void *arg, const char *name, const char *op, const char *value, bool first, bool is_or)
{
    (void)first;
    implied_t *c = arg;
    c->is_or = is_or;
    c->seen = true;
    const question_t *q = form_question(c->f, name);
    bool no = false;
    if (q == &c->f->q[c->p]) {
        no = strcmp(op, "selected") ? false_on_skip(q, op, value, c->val, c->neg)
                                    : false_on_skip(q, "=", value, c->val, c->neg);
    } else if (q && c->gone[q - c->f->q]) {
        no = strcmp(op, "!=") && value && *value;
    }
    if (no) c->any_false = true;
    else c->all_false = false;
}

/* Whether row k's own relevance is false for sure once p has a skipping
 * answer and the rows in gone do not apply. */
static bool implied_off(const form_t *f, size_t k, size_t p, const char *val, bool neg, const bool *gone)
{
    const question_t *q = &f->q[k];
    if (!q->relevant) return false;
    implied_t c = { .f = f, .p = p, .val = val, .neg = neg, .gone = gone, .all_false = true };
    if (!expr_simple_tests(q->relevant, implied_test, &c) || !c.seen) return false;
    return c.is_or ? c.all_false : c.any_false;
}

/* The skip on numbered select_one p, if it has one: the first question
 * printed after p (or the group it begins) is asked only after one answer
 * to p ("=" or "!=": *val, *neg), so the answers that make it not apply
 * send the reader past it and past every following question that then
 * cannot apply either: asked only after it (a chain of consents), or in
 * a group that does not apply. Returns the row of the first numbered
 * question that may still apply (f->nq: none, the end) with gone[m] set
 * for the rows passed; *val stays NULL (and nothing is set) when p has no
 * skip, or when it would pass no numbered question. */
static size_t skip_run(const form_t *f, const int *num, size_t p, bool *gone, const char **val, bool *neg)
{
    *val = NULL;
    const question_t *pq = &f->q[p];
    if (!num[p] || pq->type != Q_SELECT_ONE) return f->nq;
    /* The trigger: the first numbered row after p, or a group with a
     * condition met on the way to it. */
    size_t t = p + 1;
    for (; t < f->nq; t++) {
        const question_t *q = &f->q[t];
        if (num[t] || (q->type == Q_BEGIN_GROUP && q->relevant)) break;
    }
    if (t == f->nq || !f->q[t].relevant) return f->nq;
    tests_t ts = { 0 };
    if (!expr_simple_tests(f->q[t].relevant, count_test, &ts) || ts.n != 1 ||
        (strcmp(ts.op, "=") && strcmp(ts.op, "!=")) || form_question(f, ts.name) != pq)
        return f->nq;
    const char *v = ts.value;
    bool ng = !strcmp(ts.op, "!=");
    memset(gone, 0, f->nq * sizeof *gone);
    size_t k = p + 1, passed = 0;
    while (k < f->nq) {
        const question_t *q = &f->q[k];
        if (q->type == Q_END_GROUP) { k++; continue; }
        if (implied_off(f, k, p, v, ng, gone)) {
            size_t e = q->type == Q_BEGIN_GROUP ? paper_group_end(f, k) : k;
            for (size_t m = k; m <= e && m < f->nq; m++) {
                gone[m] = true;
                passed += num[m] > 0;
            }
            k = e + 1;
            continue;
        }
        if (num[k]) break;
        k++;
    }
    if (!passed) return f->nq;
    *val = v;
    *neg = ng;
    return k;
}

/* Whether row m's relevance is one test, on row p. */
static bool only_on(const form_t *f, size_t m, size_t p)
{
    tests_t ts = { 0 };
    return f->q[m].relevant && expr_simple_tests(f->q[m].relevant, count_test, &ts) && ts.n == 1 &&
           form_question(f, ts.name) == &f->q[p];
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
    L.cases = paper_opens_case(f);
    buf_init(&L.base);
    const char *slash_q = strstr(link, "/q/");
    buf_append(&L.base, link, slash_q ? (size_t)(slash_q - link) : strlen(link));
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
        if (paper_type_ok(&f->q[i]) && !paper_cannot_take(f, i)) num[i] = ++nn;
    bool *gone = xcalloc(f->nq, sizeof *gone);                /* scratch: skip_run */
    for (size_t p = 0; p < f->nq; p++) {
        size_t to = skip_run(f, num, p, gone, &skip_val[p], &skip_neg[p]);
        if (!skip_val[p]) continue;
        skip_to[p] = to < f->nq ? num[to] : -1;
        /* A question passed whose one condition is on p is explained by
         * the skip; any other keeps its own "Responda solo si" line. */
        for (size_t m = p + 1; m < to; m++) skipped[m] |= gone[m] && only_on(f, m, p);
    }
    free(gone);

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
    if (L.cases) stub(&L);

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
    buf_free(&L.base);
    *pages = L.pages;
    return L.n;
}
