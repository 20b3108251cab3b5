/*
 * render_repeat.c: what a repeat adds to the survey page (issue 16):
 * after each instance of an expanded form (model/form_repeat.h) its
 * "Quitar / Retire" button, and after the last one the count of
 * instances (hidden "_n.<path>") and the "Añadir otro / Ajoute yon lòt"
 * button, or the word that no more fit. The buttons are submit buttons
 * of the form: without JavaScript the page comes back with the answers
 * kept and one instance more or less, as the language switch does.
 */
#include "view/render.h"

#include <stdio.h>
#include <stdlib.h>

#include "model/form_repeat.h"

void render_repeat_end(buf_t *o, const form_t *f, size_t i, lang_t lang, int li)
{
    const question_t *q = &f->q[i];
    const question_t *b = q->parent >= 0 ? &f->q[q->parent] : q;
    /* a repeat_count decides how many: no buttons */
    bool counted = b->repeat_count != NULL;
    const char *label = form_text(f, &b->label, li);
    if (!counted && b->rep_index > 0) {
        buf_puts(o, "<button type=submit class=rep name=_del value=\"");
        buf_html(o, b->name);
        buf_puts(o, "\" aria-label=\"");
        buf_html(o, i18n(lang, S_REPEAT_REMOVE));
        buf_putc(o, ' ');
        buf_html(o, label);
        buf_printf(o, " %d\">", b->rep_index);
        buf_html(o, i18n(lang, S_REPEAT_REMOVE));
        buf_puts(o, "</button>");
    }
    buf_puts(o, "</fieldset>");
    if (counted || b->rep_index != b->rep_n) return;
    char *path = form_repeat_path(b);
    buf_puts(o, "<input type=hidden name=\"_n.");
    buf_html(o, path);
    buf_printf(o, "\" value=%d>", b->rep_n);
    if (b->rep_n < REPEAT_MAX) {
        buf_puts(o, "<p class=rep><button type=submit class=rep name=_add value=\"");
        buf_html(o, path);
        buf_puts(o, "\" aria-label=\"");
        buf_html(o, i18n(lang, S_REPEAT_ADD));
        buf_puts(o, ": ");
        buf_html(o, label);
        buf_puts(o, "\">");
        buf_html(o, i18n(lang, S_REPEAT_ADD));
        buf_puts(o, "</button></p>");
    } else {
        buf_puts(o, "<p class=h>");
        buf_html(o, i18n(lang, S_REPEAT_FULL));
        buf_printf(o, " %d.</p>", REPEAT_MAX);
    }
    free(path);
}

/* "Persona 2 - " of render_repeat_where, in plain text (html false) or
 * escaped. */
static void where(buf_t *o, const form_t *f, size_t i, int li, bool html)
{
    int p = f->q[i].parent;
    while (p >= 0 && !(f->q[p].repeat && f->q[p].rep_index > 0)) p = f->q[p].parent;
    if (p < 0) return;
    if (html) buf_html(o, form_text(f, &f->q[p].label, li));
    else buf_puts(o, form_text(f, &f->q[p].label, li));
    buf_printf(o, " %d - ", f->q[p].rep_index);
}

void render_repeat_where(buf_t *o, const form_t *f, size_t i, int li)
{
    where(o, f, i, li, true);
}

void render_repeat_label(buf_t *o, const form_t *f, size_t i, int li)
{
    where(o, f, i, li, false);
    buf_puts(o, form_text(f, &f->q[i].label, li));
}
