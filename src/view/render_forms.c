/*
 * render_forms.c: the forms pages of render_forms.h. Every text comes
 * from the strings tables; every value from a workbook (ids, titles,
 * file names, the loader's messages) is escaped.
 */
#include "view/render_forms.h"

#include <stdio.h>
#include <string.h>

#include "base/bizdays.h"
#include "model/form_ui.h"
#include "view/render.h"

static void text(buf_t *o, lang_t l, const char *tagname, str_id_t id)
{
    buf_printf(o, "<%s>", tagname);
    render_text(o, l, id);
    buf_printf(o, "</%s>", tagname);
}

/* 05/12/2026, as the other staff pages write a day. */
static void day_of(buf_t *o, int64_t t)
{
    render_day(o, bizdays_from_time(t));
}

static void notice(buf_t *o, const staff_view_t *v, const forms_view_t *fv)
{
    lang_t l = v->lang;
    if (fv->flash) {
        buf_puts(o, "<p class=ok role=status>");
        render_text(o, l, fv->flash);
        buf_puts(o, " <b>");
        buf_html(o, fv->flash_form ? fv->flash_form : "");
        buf_puts(o, "</b></p>");
    }
    if (fv->error) {
        buf_puts(o, "<p class=es role=alert>");
        render_text(o, l, fv->error);
        buf_puts(o, "</p>");
    }
    if (fv->nproblems) {
        buf_puts(o, "<section class=es role=alert aria-labelledby=h-problems><h2 id=h-problems>");
        render_text(o, l, fv->problems_title ? fv->problems_title : S_FORMS_PROBLEMS_TITLE);
        buf_puts(o, "</h2>");
        if (!fv->problems_title || fv->problems_title == S_FORMS_PROBLEMS_TITLE)
            text(o, l, "p", S_FORMS_PROBLEMS_INTRO);
        buf_puts(o, "<ul class=pb>");
        for (size_t i = 0; i < fv->nproblems; i++) {
            buf_puts(o, "<li><code>");
            buf_html(o, fv->problems_diag ? diag_line(fv->problems_diag, i, l) : fv->problems[i]);
            buf_puts(o, "</code></li>");
        }
        buf_puts(o, "</ul></section>");
    }
}

static void served(buf_t *o, const staff_view_t *v, const forms_view_t *fv)
{
    lang_t l = v->lang;
    const catalog_t *cat = fv->cat;
    buf_puts(o, "<div class=tw tabindex=0 role=region aria-labelledby=h-page><table class=t><thead><tr>");
    static const str_id_t cols[] = { S_FORMS_COL_FORM, S_FORMS_COL_VERSION, S_FORMS_COL_SOURCE,
                                     S_FORMS_COL_RESPONSES };
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) text(o, l, "th scope=col", cols[i]);
    buf_puts(o, "</tr></thead><tbody>");
    for (size_t i = 0; i < cat->nforms; i++) {
        const form_t *f = cat->forms[i];
        buf_puts(o, "<tr><th scope=row><a href=\"/e/");
        buf_urlenc(o, f->id);
        buf_printf(o, "?lang=%s\">", i18n_code(l));
        buf_html(o, form_text(f, &f->title, render_form_lang(f, l)));
        buf_puts(o, "</a> <code>");
        buf_html(o, f->id);
        buf_puts(o, "</code></th><td>");
        buf_html(o, *f->version ? f->version : "—");
        buf_puts(o, "</td><td>");
        const form_pub_t *p = NULL;
        for (size_t k = 0; k < fv->nhistory && !p; k++)
            if (fv->history[k].id == f->upload_id) p = &fv->history[k];
        if (f->upload_id) {
            render_text(o, l, S_FORMS_FROM_UPLOAD);
            /* Who and when, when the listed history reaches back to it. */
            if (p) {
                buf_puts(o, ": ");
                buf_html(o, p->by);
                buf_puts(o, ", ");
                day_of(o, p->at);
            }
            buf_printf(o, "<form method=post class=il action=\"/formularios/");
            buf_urlenc(o, f->id);
            buf_printf(o, "/retirar?lang=%s\">", i18n_code(l));
            render_csrf_field(o, v);
            buf_puts(o, "<button type=submit class=lk>");
            render_text(o, l, S_FORMS_WITHDRAW);
            buf_puts(o, "</button></form>");
        } else {
            render_text(o, l, S_FORMS_FROM_FOLDER);
        }
        buf_puts(o, "</td><td class=nr>");
        if (fv->responses) buf_printf(o, "%lld", (long long)fv->responses[i]);
        else buf_puts(o, "—");
        buf_puts(o, "</td></tr>");
    }
    buf_puts(o, "</tbody></table></div>");
}

static void upload_box(buf_t *o, const staff_view_t *v)
{
    lang_t l = v->lang;
    buf_puts(o, "<h2 id=h-upload>");
    render_text(o, l, S_FORMS_UPLOAD_TITLE);
    buf_printf(o, "</h2><form method=post class=sf enctype=multipart/form-data action=\"/formularios?lang=%s\">",
               i18n_code(l));
    render_csrf_field(o, v);
    buf_puts(o, "<label for=f-book>");
    render_text(o, l, S_FORMS_UPLOAD_FIELD);
    buf_puts(o, "</label><input id=f-book type=file name=workbook required accept=\".xlsx,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\">"
                "<button type=submit>");
    render_text(o, l, S_FORMS_UPLOAD_BUTTON);
    buf_puts(o, "</button></form>");
}

static void history(buf_t *o, const staff_view_t *v, const forms_view_t *fv)
{
    if (!fv->nhistory) return;
    lang_t l = v->lang;
    text(o, l, "h2", S_FORMS_HISTORY);
    buf_puts(o, "<ul class=hs>");
    for (size_t i = 0; i < fv->nhistory; i++) {
        const form_pub_t *p = &fv->history[i];
        buf_puts(o, "<li>");
        day_of(o, p->at);
        buf_puts(o, " · <code>");
        buf_html(o, p->form_id);
        buf_puts(o, "</code> ");
        buf_html(o, *p->version ? p->version : "—");
        buf_puts(o, " · ");
        buf_html(o, p->file_name);
        buf_puts(o, " · ");
        buf_html(o, p->by);
        if (p->withdrawn_at) {
            buf_puts(o, " · <i>");
            render_text(o, l, S_FORMS_WITHDRAWN_MARK);
            buf_puts(o, "</i>");
        }
        buf_puts(o, "</li>");
    }
    buf_puts(o, "</ul>");
}

void render_forms(buf_t *o, const staff_view_t *v, bool public_indicators, const forms_view_t *fv)
{
    lang_t l = v->lang;
    render_staff_begin(o, v, public_indicators, i18n(l, S_NAV_FORMS));
    notice(o, v, fv);
    /* After a refused upload, the box to send it again comes first. */
    bool retry = fv->error || (fv->nproblems && fv->problems_title != S_FORMS_WITHDRAW_BROKEN);
    if (retry) upload_box(o, v);
    text(o, l, "p", S_FORMS_INTRO);
    served(o, v, fv);
    if (!retry) upload_box(o, v);
    history(o, v, fv);
    render_staff_end(o);
}

size_t render_form_preview_langs(const form_t *f, lang_t out[LANG_TABLES])
{
    size_t n = 0;
    for (int li = 0; li < f->nlangs; li++) {
        int t = form_lang_table(f, li);
        /* issue 15 item 5: no frame for a language no visitor gets. */
        if (t < 0 || !form_lang_offered(f, li)) continue;
        bool seen = false;
        for (size_t k = 0; k < n; k++) seen |= out[k] == (lang_t)t;
        if (!seen && n < LANG_TABLES) out[n++] = (lang_t)t;
    }
    /* Only languages buzon has no table for: the page the survey shows. */
    if (!n) out[n++] = form_ui_lang(f, LANG_ES);
    return n;
}

/* "Preguntas: 12 · Idiomas: Español, Kreyòl" */
static void summary(buf_t *o, lang_t l, const form_t *f)
{
    size_t nq = 0;
    for (size_t i = 0; i < f->nq; i++) nq += form_q_answerable(&f->q[i]) && f->q[i].type != Q_CALCULATE;
    buf_puts(o, "<p>");
    render_text(o, l, S_FORMS_DRAFT_QUESTIONS);
    buf_printf(o, ": %zu · ", nq);
    render_text(o, l, S_FORMS_DRAFT_LANGS);
    buf_puts(o, ": ");
    for (int li = 0; li < f->nlangs; li++) {
        if (li) buf_puts(o, ", ");
        buf_html(o, *f->lang_name[li] ? f->lang_name[li] : *f->lang_code[li] ? f->lang_code[li] : "—");
    }
    buf_puts(o, "</p>");
}

void render_form_draft(buf_t *o, const staff_view_t *v, bool public_indicators, const form_pub_t *d,
                       const form_t *f, const form_t *cur)
{
    lang_t l = v->lang;
    render_staff_begin(o, v, public_indicators, i18n(l, S_FORMS_DRAFT_TITLE));
    buf_puts(o, "<p><b>");
    render_text(o, l, cur ? S_FORMS_DRAFT_VERSION : S_FORMS_DRAFT_NEW);
    buf_puts(o, ":</b> ");
    buf_html(o, form_text(f, &f->title, render_form_lang(f, l)));
    buf_puts(o, " <code>");
    buf_html(o, f->id);
    buf_puts(o, "</code> · ");
    if (cur) {
        buf_html(o, *cur->version ? cur->version : "—");
        buf_puts(o, " → ");
    }
    buf_html(o, *f->version ? f->version : "—");
    buf_puts(o, " · ");
    buf_html(o, d->file_name);
    buf_puts(o, " · ");
    render_text(o, l, S_FORMS_UPLOADED_BY);
    buf_putc(o, ' ');
    buf_html(o, d->by);
    buf_puts(o, "</p>");
    summary(o, l, f);
    if (cur) text(o, l, "p", S_FORMS_DRAFT_KEEP);
    if (f->nnotes) {
        text(o, l, "p", S_FORMS_NOTES);
        buf_puts(o, "<ul class=pb>");
        for (size_t i = 0; i < f->nnotes; i++) {
            buf_puts(o, "<li><code>");
            buf_html(o, f->notes[i]);
            buf_puts(o, "</code></li>");
        }
        buf_puts(o, "</ul>");
    }
    buf_printf(o, "<form method=post class=sf action=\"/formularios/borrador/%lld?lang=%s\">",
               (long long)d->id, i18n_code(l));
    render_csrf_field(o, v);
    buf_puts(o, "<button type=submit>");
    render_text(o, l, S_FORMS_PUBLISH);
    buf_puts(o, "</button> ");
    render_alink(o, "/formularios", l, S_FORMS_UPLOAD_OTHER);
    buf_puts(o, "</form>");
    text(o, l, "p", S_FORMS_DRAFT_INTRO);
    lang_t langs[LANG_TABLES];
    size_t n = render_form_preview_langs(f, langs);
    buf_puts(o, "<div class=pv>");
    for (size_t i = 0; i < n; i++) {
        buf_puts(o, "<figure><figcaption>");
        buf_html(o, i18n(langs[i], S_LANG_NAME));
        buf_printf(o, "</figcaption><iframe src=\"/formularios/borrador/%lld/vista?lang=%s\" width=360 "
                      "height=640 loading=lazy title=\"",
                   (long long)d->id, i18n_code(langs[i]));
        render_text(o, l, S_FORMS_DRAFT_TITLE);
        buf_puts(o, ": ");
        buf_html(o, i18n(langs[i], S_LANG_NAME));
        buf_puts(o, "\"></iframe></figure>");
    }
    buf_puts(o, "</div>");
    render_staff_end(o);
}
