/*
 * render_posters.c: the staff's posters page, /carteles (render_posters.h).
 * Calls the staff chrome (render_staff.h), render_form_lang (render.h) and
 * poster_link (model/poster.h); nothing else.
 */
#include "view/render_posters.h"

#include <string.h>

#include "model/poster.h"
#include "view/render.h"

/* One row of the posters table: name, short link, the poster files. */
static void poster_row(buf_t *o, const char *base_url, const form_t *f, const point_t *pt, lang_t lang)
{
    buf_t link, q;
    buf_init(&link);
    buf_init(&q);
    poster_link(&link, base_url, f, pt);
    buf_puts(&q, "/carteles/");
    buf_urlenc(&q, f->id);
    buf_puts(&q, ".svg?");
    if (pt) {
        buf_puts(&q, "p=");
        buf_urlenc(&q, pt->id);
        buf_putc(&q, '&');
    }
    buf_puts(o, "<tr><th scope=row>");
    buf_html(o, pt ? (lang == LANG_HT && pt->name_ht ? pt->name_ht : pt->name)
                   : i18n(lang, S_POSTERS_FORM_ALONE));
    buf_puts(o, "</th><td><a href=\"");
    buf_html(o, link.data);
    buf_puts(o, "\">");
    buf_html(o, link.data);
    buf_puts(o, "</a></td><td class=pl>");
    /* q ends in '?' or '&'; the PNG and QR variants swap the extension. */
    size_t ext = strlen("/carteles/") + strlen(f->id);   /* position of ".svg" */
    static const struct { const char *ext, *extra; str_id_t label; } files[] = {
        { ".svg", "", S_POSTERS_PRINT }, { ".svg", "tam=media", S_POSTERS_HALF },
        { ".png", "", S_POSTERS_WHATSAPP }, { ".svg", "qr=1", S_POSTERS_QR },
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        buf_puts(o, "<a href=\"");
        buf_t u;
        buf_init(&u);
        buf_append(&u, q.data, ext);
        buf_puts(&u, files[i].ext);
        buf_puts(&u, q.data + ext + 4);
        buf_puts(&u, files[i].extra);
        if (u.len && (u.data[u.len - 1] == '?' || u.data[u.len - 1] == '&')) u.data[--u.len] = '\0';
        buf_html(o, u.data);
        buf_free(&u);
        buf_puts(o, "\">");
        buf_html(o, i18n(lang, files[i].label));
        buf_puts(o, "</a> ");
    }
    /* issue 17: the paper questionnaire, in each citizen language. */
    for (int l = 0; l < LANG_COUNT; l++) {
        buf_puts(o, "<a href=\"");
        buf_t u;
        buf_init(&u);
        buf_append(&u, q.data, ext);
        buf_puts(&u, ".pdf");
        buf_puts(&u, q.data + ext + 4);
        buf_printf(&u, "lang=%s", i18n_code((lang_t)l));
        buf_html(o, u.data);
        buf_free(&u);
        buf_puts(o, "\">");
        buf_html(o, i18n(lang, S_PAPER_LINK));
        buf_printf(o, " (%s)</a> ", i18n_code((lang_t)l));
    }
    buf_puts(o, "</td></tr>");
    buf_free(&link);
    buf_free(&q);
}

void render_posters(buf_t *o, const staff_view_t *v, bool public_indicators, const catalog_t *cat,
                    const char *base_url, bool loopback)
{
    lang_t lang = v->lang;
    render_staff_begin(o, v, public_indicators, i18n(lang, S_POSTERS_TITLE));
    if (loopback) {
        buf_puts(o, "<p class=es role=alert>");
        buf_html(o, i18n(lang, S_POSTERS_LOCALHOST));
        buf_puts(o, " <b>");
        buf_html(o, base_url);
        buf_puts(o, "</b></p>");
    }
    buf_puts(o, "<p>");
    buf_html(o, i18n(lang, S_POSTERS_INTRO));
    buf_puts(o, "</p>");
    for (size_t i = 0; i < cat->nforms; i++) {
        const form_t *f = cat->forms[i];
        if (f->staff) continue;   /* issue 18: a register has no poster */
        /* The table scrolls on a phone: a named region the keyboard reaches. */
        buf_printf(o, "<section><h2 id=h-%s>", f->id);
        buf_html(o, form_text(f, &f->title, render_form_lang(f, lang)));
        buf_printf(o, "</h2><div class=tw tabindex=0 role=region aria-labelledby=h-%s><table class=t><thead><tr>"
                   "<th scope=col>", f->id);
        buf_html(o, i18n(lang, S_POINT_LABEL));
        buf_puts(o, "</th><th scope=col>");
        buf_html(o, i18n(lang, S_POSTERS_LINK));
        buf_puts(o, "</th><th scope=col></th></tr></thead><tbody>");
        for (size_t k = 0; k < cat->points.npoints; k++)
            poster_row(o, base_url, f, &cat->points.points[k], lang);
        poster_row(o, base_url, f, NULL, lang);
        buf_puts(o, "</tbody></table></div></section>");
    }
    render_staff_end(o);
}

