/*
 * render_reg_entries.c (issue 18 follow-up): a register's entries page
 * (render_reg_entries.h), so a planner can find a wrong entry.
 */
#include "view/render_reg_entries.h"

#include "view/render.h"

void render_reg_entries(buf_t *o, const staff_view_t *v, bool public_indicators, const form_t *f,
                        const reg_page_t *p)
{
    lang_t l = v->lang;
    const char *lc = i18n_code(l);
    render_staff_begin(o, v, public_indicators, i18n(l, S_REG_ENTRIES_TITLE));
    /* ids are form names ([A-Za-z0-9_.-]): safe in a path as they are */
    buf_puts(o, "<p><b>");
    buf_html(o, form_text(f, &f->title, render_form_lang(f, l)));
    buf_printf(o, "</b> · <a href=\"/registros?lang=%s\">%s</a> · %s: <b id=total>%lld</b> · "
                  "<a id=csv href=\"/api/v1/forms/%s/responses.csv\">%s</a></p>",
               lc, i18n(l, S_NAV_REGISTERS), i18n(l, S_REG_TOTAL), (long long)p->total, f->id,
               i18n(l, S_REG_CSV));
    if (!p->n) {
        buf_printf(o, "<p id=vacio>%s</p>", i18n(l, S_REG_ENTRIES_NONE));
    } else {
        buf_printf(o, "<table class=tb><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                   i18n(l, S_REG_COL_DAY), i18n(l, S_REG_COL_WHAT), i18n(l, S_REG_COL_WHO),
                   i18n(l, S_REG_COL_EVIDENCE));
        for (size_t i = 0; i < p->n; i++) {
            const reg_entry_t *e = &p->e[i];
            buf_printf(o, "<tr id=e%lld><td>", (long long)e->id);
            buf_html(o, e->day);
            buf_puts(o, "</td><td>");
            buf_html(o, e->text);
            buf_puts(o, "</td><td>");
            buf_html(o, *e->author ? e->author : "-");
            buf_puts(o, "</td><td>");
            if (e->file) {
                buf_t u;
                buf_init(&u);
                buf_printf(&u, "/api/v1/forms/%s/media/", f->id);
                buf_urlenc(&u, e->file);
                buf_puts(o, "<a href=\"");
                buf_html(o, u.data);
                buf_printf(o, "\">%s</a>", i18n(l, S_REG_EVIDENCE_OPEN));
                buf_free(&u);
            } else {
                buf_puts(o, "-");
            }
            buf_puts(o, "</td></tr>");
        }
        buf_puts(o, "</tbody></table>");
    }
    bool newer = p->page > 1, older = (int64_t)p->page * p->per < p->total;
    if (newer || older) {
        buf_puts(o, "<nav class=pg><p>");
        if (newer)
            buf_printf(o, "<a rel=prev href=\"/registros/%s/entradas?lang=%s&amp;p=%d\">%s</a> ", f->id, lc,
                       p->page - 1, i18n(l, S_REG_NEWER));
        if (older)
            buf_printf(o, "<a rel=next href=\"/registros/%s/entradas?lang=%s&amp;p=%d\">%s</a>", f->id, lc,
                       p->page + 1, i18n(l, S_REG_OLDER));
        buf_puts(o, "</p></nav>");
    }
    render_staff_end(o);
}
