/*
 * render_entry.c: the pages and pieces of answers entered by staff
 * (render_entry.h).
 */
#include "view/render_entry.h"

#include <stdio.h>
#include <string.h>

#include "view/render.h"

void render_entry_start(buf_t *o, const staff_view_t *v, bool public_indicators, const char *typed,
                        entry_msg_t msg, const form_t *f, const char *old_version, const char *extra)
{
    lang_t l = v->lang;
    render_staff_begin(o, v, public_indicators, i18n(l, S_ENTRY_TITLE));
    if (msg != ENTRY_MSG_NONE) {
        /* role=alert: said at once, and the field below keeps the focus. */
        buf_puts(o, "<div class=err role=alert id=aviso><p>");
        if (msg == ENTRY_MSG_UNKNOWN) {
            render_text(o, l, S_ENTRY_UNKNOWN);
        } else {
            render_text(o, l, S_ENTRY_OLD);
            buf_puts(o, " <b>");
            buf_html(o, old_version);
            buf_puts(o, "</b>. ");
            render_text(o, l, S_ENTRY_CURRENT);
            buf_puts(o, " <b>");
            buf_html(o, f->version && *f->version ? f->version : "sin-version");
            buf_puts(o, "</b>. ");
            render_text(o, l, S_ENTRY_OLD_HELP);
        }
        buf_puts(o, "</p></div>");
    }
    buf_printf(o, "<form method=get action=\"/entrada\" class=entry-code><input type=hidden name=lang value=%s>",
               i18n_code(l));
    buf_puts(o, "<label for=i-codigo>");
    render_text(o, l, S_ENTRY_CODE_LABEL);
    buf_puts(o, "</label><p class=h id=h-codigo>");
    render_text(o, l, S_ENTRY_CODE_HINT);
    buf_puts(o, "</p><input id=i-codigo name=codigo autofocus autocomplete=off autocapitalize=none"
                " spellcheck=false aria-describedby=h-codigo required");
    if (msg != ENTRY_MSG_NONE) buf_puts(o, " aria-invalid=true");
    if (typed) {
        buf_puts(o, " value");
        buf_attr(o, typed);
    }
    buf_puts(o, "><label for=i-lote>");
    render_text(o, l, S_ENTRY_BATCH);
    buf_puts(o, "</label><p class=h id=h-lote>");
    render_text(o, l, S_ENTRY_BATCH_HINT);
    buf_puts(o, "</p><input id=i-lote name=lote autocomplete=off autocapitalize=none spellcheck=false"
                " aria-describedby=h-lote maxlength=40>");
    buf_puts(o, "<button type=submit>");
    render_text(o, l, S_ENTRY_OPEN);
    buf_puts(o, "</button></form>");
    if (extra) buf_puts(o, extra);
    render_staff_end(o);
}

void render_entry_held_list(buf_t *o, lang_t l, const entry_held_view_t *h, size_t n)
{
    if (!n) return;
    buf_puts(o, "<h2>");
    render_text(o, l, S_ENTRY_HELD_LIST);
    buf_puts(o, "</h2><ul class=ls>");
    for (size_t i = 0; i < n; i++) {
        buf_puts(o, "<li><a href=\"/entrada/");
        buf_urlenc(o, h[i].paper);
        buf_puts(o, "?lote=");
        buf_urlenc(o, h[i].batch);
        buf_printf(o, "&amp;hoja=%ld&amp;revisar=1&amp;lang=%s\">", h[i].sheet, i18n_code(l));
        render_text(o, l, S_ENTRY_SHEET_NO);
        buf_printf(o, " %ld ", h[i].sheet);
        render_text(o, l, S_ENTRY_OF_BATCH);
        buf_puts(o, " «");
        buf_html(o, h[i].batch);
        buf_puts(o, "» · ");
        buf_html(o, h[i].paper);
        buf_puts(o, "</a> · ");
        buf_html(o, h[i].clerks);
        buf_puts(o, "</li>");
    }
    buf_puts(o, "</ul>");
}

void render_interview_list(buf_t *o, const staff_view_t *v, bool public_indicators, const catalog_t *cat)
{
    lang_t l = v->lang;
    render_staff_begin(o, v, public_indicators, i18n(l, S_INTERVIEW_TITLE));
    buf_puts(o, "<p>");
    render_text(o, l, S_INTERVIEW_INTRO);
    buf_puts(o, "</p><p class=h>");   /* issue 17: what opens offline */
    render_text(o, l, S_IV_PREPARE);
    /* interviews kept on this tablet are sent from here too */
    buf_puts(o, "</p><script src=/s/buzon.js defer></script><script src=/s/entrevista.js defer></script>"
                "<ul class=\"ls iv\">");
    for (size_t i = 0; i < cat->nforms; i++) {
        const form_t *f = cat->forms[i];
        if (f->staff) continue;   /* a register is entered on /registros only */
        buf_puts(o, "<li><form method=get action=\"/entrevista/");
        buf_html(o, f->id);
        buf_printf(o, "\"><input type=hidden name=lang value=%s><h2>", i18n_code(l));
        buf_html(o, form_text(f, &f->title, render_form_lang(f, l)));
        buf_printf(o, "</h2><label for=\"p-%zu\">", i);
        render_text(o, l, S_POINT_LABEL);
        buf_printf(o, "</label> <select id=\"p-%zu\" name=p><option value=\"\">", i);
        render_text(o, l, S_INTERVIEW_NO_POINT);
        buf_puts(o, "</option>");
        for (size_t k = 0; k < cat->points.npoints; k++) {
            const point_t *p = &cat->points.points[k];
            buf_puts(o, "<option value");
            buf_attr(o, p->id);
            buf_putc(o, '>');
            buf_html(o, l == LANG_HT && p->name_ht ? p->name_ht : p->name);
            buf_puts(o, "</option>");
        }
        buf_puts(o, "</select> <button type=submit>");
        render_text(o, l, S_INTERVIEW_START);
        buf_puts(o, "</button></form></li>");
    }
    buf_puts(o, "</ul>");
    render_staff_end(o);
}

void render_entry_lead(buf_t *o, const staff_view_t *v, lang_t l, const char *paper_code,
                       const char *date, bool bad, const char *today)
{
    render_csrf_field(o, v);
    buf_puts(o, "<p class=sheet>");
    if (paper_code) {
        render_text(o, l, S_ENTRY_PAPER);
        buf_puts(o, ": <code>");
        buf_html(o, paper_code);
        buf_puts(o, "</code> · ");
        render_alink(o, "/entrada", l, S_ENTRY_OTHER);
    } else {
        render_alink(o, "/entrevista", l, S_INTERVIEW_TITLE);
    }
    buf_puts(o, "</p>");
    if (!paper_code) return;
    /* The paper's date first, focused: the clerk types it before the
     * answers, as it is written at the top of the sheet. */
    buf_puts(o, "<div class=\"q qd\" id=q-_fecha><label for=i-_fecha>");
    render_text(o, l, S_ENTRY_DATE);
    buf_puts(o, " <span aria-hidden=true>*</span></label>");
    if (bad) {
        buf_puts(o, "<p class=err id=e-_fecha>");
        render_text(o, l, S_ENTRY_DATE_BAD);
        buf_puts(o, "</p>");
    }
    buf_puts(o, "<input type=date id=i-_fecha name=_fecha required autofocus min=2000-01-01 max");
    buf_attr(o, today);
    if (bad) buf_puts(o, " aria-invalid=true aria-describedby=e-_fecha");
    if (date) {
        buf_puts(o, " value");
        buf_attr(o, date);
    }
    buf_puts(o, "></div>");
}

void render_entry_done(buf_t *o, lang_t l, bool paper, const char *case_code)
{
    buf_puts(o, "<div class=\"ok done\" role=status><p>");
    render_text(o, l, paper ? S_ENTRY_STORED : S_INTERVIEW_STORED);
    buf_puts(o, "</p>");
    if (case_code && *case_code) {
        buf_puts(o, "<p class=wc>");
        render_text(o, l, paper ? S_ENTRY_WRITE_CODE : S_INTERVIEW_CODE);
        buf_puts(o, " <strong class=cc>");
        buf_html(o, case_code);
        buf_puts(o, "</strong></p>");
    }
    buf_puts(o, "</div>");
}

void render_entry_sheet(buf_t *o, lang_t l, const char *batch, const char *sheet, bool bad, bool recheck)
{
    buf_puts(o, "<input type=hidden name=_lote value");
    buf_attr(o, batch);
    buf_putc(o, '>');
    if (recheck) buf_puts(o, "<input type=hidden name=_tercera value=1>");
    /* issue 17: "Hoja n.º [ 7 ] del lote «lote-b»": the number is the
     * sheet's, the batch is named after it (the label says both). */
    buf_puts(o, "<div class=\"q qd sh\" id=q-_hoja><label for=i-_hoja>");
    render_text(o, l, S_ENTRY_SHEET_NO);
    buf_puts(o, " <span aria-hidden=true>*</span> <span class=vh>");
    render_text(o, l, S_ENTRY_OF_BATCH);
    buf_puts(o, " «");
    buf_html(o, batch);
    buf_puts(o, "»</span></label>");
    if (bad) {
        buf_puts(o, "<p class=err id=e-_hoja>");
        render_text(o, l, S_ENTRY_SHEET_BAD);
        buf_puts(o, "</p>");
    }
    buf_puts(o, "<input type=number id=i-_hoja name=_hoja required min=1 max=99999 inputmode=numeric");
    if (bad) buf_puts(o, " aria-invalid=true aria-describedby=e-_hoja");
    if (sheet) {
        buf_puts(o, " value");
        buf_attr(o, sheet);
    }
    buf_puts(o, "> <span class=lb aria-hidden=true>");
    render_text(o, l, S_ENTRY_OF_BATCH);
    buf_puts(o, " «");
    buf_html(o, batch);
    buf_puts(o, "»</span></div>");
}

void render_entry_note(buf_t *o, lang_t l, str_id_t msg, bool ok)
{
    buf_printf(o, "<div class=\"%s\" role=%s><p>", ok ? "ok done" : "err", ok ? "status" : "alert");
    render_text(o, l, msg);
    buf_puts(o, "</p></div>");
}

void render_entry_conflict(buf_t *o, lang_t l, const char *batch, const char *sheet)
{
    buf_puts(o, "<div class=err role=alert><p>");
    render_text(o, l, S_ENTRY_CONFLICT_SHEET);
    buf_putc(o, ' ');
    buf_html(o, sheet ? sheet : "");
    buf_putc(o, ' ');
    render_text(o, l, S_ENTRY_OF_BATCH);
    buf_puts(o, " «");
    buf_html(o, batch);
    buf_puts(o, "» ");
    render_text(o, l, S_ENTRY_CONFLICT);
    buf_puts(o, "</p></div>");
}

/* "YYYY-MM-DD..." as "DD/MM/AAAA" (then the rest after a 'T', as a
 * space and the time); false, nothing written, when v is not a date. */
static bool date_dmy(buf_t *o, const char *v)
{
    size_t n = strlen(v);
    if (n < 10 || v[4] != '-' || v[7] != '-' || strspn(v, "0123456789") != 4) return false;
    buf_printf(o, "%.2s/%.2s/%.4s", v + 8, v + 5, v);
    if (n > 11 && v[10] == 'T') buf_printf(o, " %s", v + 11);
    return true;
}

void render_entry_value(buf_t *o, const form_t *f, const question_t *q, int li, const char *v)
{
    if (!v || !*v) return;
    if (!q || q->type == Q_DATE || q->type == Q_DATETIME) {
        if (!date_dmy(o, v)) buf_puts(o, v);
        return;
    }
    if (q->type == Q_SELECT_ONE) {
        const choice_t *c = form_choice(q, v);
        buf_puts(o, c ? form_text(f, &c->label, li) : v);
        return;
    }
    if (q->type != Q_SELECT_MULTIPLE && q->type != Q_RANK) {
        buf_puts(o, v);
        return;
    }
    /* Space-separated choice names, each by its label. */
    bool first = true;
    for (const char *p = v; *p;) {
        size_t k = strcspn(p, " ");
        if (k) {
            char name[256];
            snprintf(name, sizeof name, "%.*s", (int)k, p);
            const choice_t *c = form_choice(q, name);
            if (!first) buf_puts(o, ", ");
            buf_puts(o, c ? form_text(f, &c->label, li) : name);
            first = false;
        }
        p += k;
        while (*p == ' ') p++;
    }
}

void render_entry_recheck(buf_t *o, lang_t l, const char *const *labels, size_t n)
{
    buf_puts(o, "<div class=err role=alert><p>");
    render_text(o, l, S_ENTRY_RECHECK);
    buf_puts(o, "</p><ul>");
    for (size_t i = 0; i < n; i++) {
        buf_puts(o, "<li>");
        buf_html(o, labels[i]);
        buf_puts(o, "</li>");
    }
    buf_puts(o, "</ul></div>");
}

void render_entry_diff(buf_t *o, const staff_view_t *v, bool public_indicators, const char *action,
                       const char *batch, long sheet, const char *by1, const char *by2,
                       const entry_diff_view_t *d, size_t n, const answers_t *refused, bool discard)
{
    lang_t l = v->lang;
    render_staff_begin(o, v, public_indicators, i18n(l, S_ENTRY_DIFF_TITLE));
    if (refused) {
        render_entry_note(o, l, S_ENTRY_RESOLVE_REFUSED, false);
        /* session 23: which rule the choice broke, in the form's words,
         * so the supervisor knows which pick to change. */
        const form_t *f = refused->form;
        int li = f ? render_form_lang(f, l) : 0;
        buf_puts(o, "<ul class=err id=reglas>");
        for (size_t i = 0; f && refused->err && i < f->nq; i++) {
            if (refused->err[i] == AERR_NONE) continue;
            buf_puts(o, "<li><b>");
            render_repeat_where(o, f, i, li);   /* "Persona 2 - " */
            buf_html(o, form_text(f, &f->q[i].label, li));
            buf_puts(o, "</b>: ");
            render_answer_err(o, f, refused, i, li, l);
            buf_puts(o, "</li>");
        }
        buf_puts(o, "</ul>");
    }
    buf_puts(o, "<p>");
    render_text(o, l, S_ENTRY_DIFF_INTRO);
    buf_puts(o, "</p><form method=post action=\"");
    buf_html(o, action);
    buf_printf(o, "?lang=%s\" class=diff>", i18n_code(l));
    render_csrf_field(o, v);
    buf_puts(o, "<input type=hidden name=_lote value");
    buf_attr(o, batch);
    buf_printf(o, "><input type=hidden name=_hoja value=%ld><input type=hidden name=_resolver value=1>", sheet);
    buf_puts(o, "<table><caption>");
    render_text(o, l, S_ENTRY_SHEET_NO);
    buf_printf(o, " %ld ", sheet);
    render_text(o, l, S_ENTRY_OF_BATCH);
    buf_puts(o, " «");
    buf_html(o, batch);
    buf_puts(o, "»</caption><thead><tr><th scope=col>");
    render_text(o, l, S_ENTRY_QUESTION);
    buf_puts(o, "</th><th scope=col>");
    render_text(o, l, S_ENTRY_FIRST);
    buf_puts(o, " (");
    buf_html(o, by1);
    buf_puts(o, ")</th><th scope=col>");
    render_text(o, l, S_ENTRY_SECOND);
    buf_puts(o, " (");
    buf_html(o, by2);
    buf_puts(o, ")</th></tr></thead><tbody>");
    for (size_t i = 0; i < n; i++) {
        buf_puts(o, "<tr><th scope=row>");
        buf_html(o, d[i].label);
        buf_puts(o, "</th>");
        for (int k = 1; k <= 2; k++) {
            const char *val = k == 1 ? d[i].v1 : d[i].v2;
            buf_printf(o, "<td><label><input type=radio required name=\"_v_");
            buf_html(o, d[i].name);
            buf_printf(o, "\" value=%d> ", k);
            if (*val) buf_html(o, val);
            else render_text(o, l, S_ENTRY_EMPTY);
            buf_puts(o, "</label></td>");
        }
        buf_puts(o, "</tr>");
    }
    buf_puts(o, "</tbody></table><button type=submit>");
    render_text(o, l, S_ENTRY_RESOLVE);
    buf_puts(o, "</button></form>");
    if (discard) {
        /* issue 17: an administrator may throw the held sheet away. */
        buf_puts(o, "<form method=post action=\"");
        buf_html(o, action);
        buf_printf(o, "?lang=%s\">", i18n_code(l));
        render_csrf_field(o, v);
        buf_puts(o, "<input type=hidden name=_lote value");
        buf_attr(o, batch);
        buf_printf(o, "><input type=hidden name=_hoja value=%ld><input type=hidden name=_descartar value=1>"
                      "<button type=submit>", sheet);
        render_text(o, l, S_ENTRY_DISCARD);
        buf_puts(o, "</button></form>");
    }
    render_staff_end(o);
}
