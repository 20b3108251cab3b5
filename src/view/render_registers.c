/*
 * render_registers.c: the /registros page (render_registers.h): which
 * registers of the Plan de Mejora staff can fill in. Views see only base
 * and model: the forms come from the catalog the handler passes.
 */
#include "view/render_registers.h"

#include "view/render.h"

void render_registers(buf_t *o, const staff_view_t *v, bool public_indicators, const catalog_t *cat,
                      const form_t *saved_form)
{
    lang_t l = v->lang;
    render_staff_begin(o, v, public_indicators, i18n(l, S_NAV_REGISTERS));
    if (saved_form) {
        buf_puts(o, "<p class=ok id=recibido tabindex=-1 role=status>");
        buf_html(o, i18n(l, S_REG_SAVED));
        buf_puts(o, " <b>");
        buf_html(o, form_text(saved_form, &saved_form->title, render_form_lang(saved_form, l)));
        buf_puts(o, "</b></p>");
    }
    buf_puts(o, "<p>");
    buf_html(o, i18n(l, S_REG_INTRO));
    buf_puts(o, "</p>");
    size_t n = 0;
    for (size_t i = 0; i < cat->nforms; i++) n += cat->forms[i]->staff;
    if (!n) {
        buf_puts(o, "<p>");
        buf_html(o, i18n(l, S_REG_EMPTY));
        buf_puts(o, "</p>");
    } else {
        buf_puts(o, "<ul class=ls>");
        for (size_t i = 0; i < cat->nforms; i++) {
            const form_t *f = cat->forms[i];
            if (!f->staff) continue;
            /* ids are form names ([A-Za-z0-9_.-]): safe in a path as they are */
            buf_printf(o, "<li><a href=\"/registros/%s?lang=%s\">", f->id, i18n_code(l));
            buf_html(o, form_text(f, &f->title, render_form_lang(f, l)));
            /* issue 18 follow-up: the entries already made, to find a wrong one */
            buf_printf(o, "</a> (<a href=\"/registros/%s/entradas?lang=%s\">%s</a>)</li>", f->id, i18n_code(l),
                       i18n(l, S_REG_ENTRIES_LINK));
        }
        buf_puts(o, "</ul>");
    }
    render_staff_end(o);
}
