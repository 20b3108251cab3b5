/*
 * render_cases.c: what a citizen sees of their case (render_cases.h): the
 * tracking code on the thank-you page and the /seguimiento pages.
 *
 * Nothing personal is ever shown here, not even the citizen's own comment
 * (anyone holding the code can open the page): only the kind, the service,
 * the dates, the status and the Ayuntamiento's public answer.
 */
#include "view/render_cases.h"

#include <string.h>

#include "view/render.h"
#include "view/render_staff.h"   /* render_day, render_kind */

static const char *T(lang_t l, str_id_t id) { return i18n(l, id); }


/* The public status: "Recibido", "En proceso", "Respondido", "Cerrado". */
static str_id_t public_status(case_status_t st)
{
    switch (st) {
    case CASE_NEW:      return S_TRACK_ST_RECEIVED;
    case CASE_ASSIGNED: return S_TRACK_ST_IN_PROGRESS;
    case CASE_ANSWERED: return S_ST_ANSWERED;
    default:            return S_ST_CLOSED;
    }
}

static void track_link(buf_t *o, const char *base_url, lang_t l, const char *code)
{
    buf_printf(o, "<a href=\"/seguimiento/%s?lang=%s\">", code, i18n_code(l));
    buf_html(o, base_url);
    buf_printf(o, "/seguimiento/%s</a>", code);
}

void render_case_receipt(buf_t *o, const char *base_url, lang_t l, const case_rec_t *c)
{
    char pretty[CASE_CODE_LEN + 3];
    case_code_pretty(c->code, pretty);
    buf_puts(o, "<section class=cs aria-labelledby=cs-t><h2 id=cs-t>");
    render_text(o, l, S_RECEIPT_TITLE);
    buf_printf(o, "</h2><p class=cc>%s</p><p>", pretty);
    render_text(o, l, S_RECEIPT_KEEP);
    buf_puts(o, "</p><p>");
    track_link(o, base_url, l, c->code);
    buf_puts(o, "</p>");
    /* Promise a reply by a date only to someone who asked for one (a
     * compliment, or "No" to "¿Quiere que le respondamos?", gets none). */
    if (c->standard_days >= 0 && c->wants_answer) {
        buf_puts(o, "<p>");
        render_text(o, l, S_RECEIPT_PROMISE);
        buf_puts(o, " <b>");
        render_day(o, c->due);
        buf_puts(o, "</b>.</p>");
    }
    buf_puts(o, "</section>");
}

static void track_form(buf_t *o, lang_t l, const char *typed)
{
    buf_printf(o, "<form method=get action=/seguimiento class=sf><input type=hidden name=lang value=%s>",
               i18n_code(l));
    buf_puts(o, "<div class=q><label for=i-c>");
    render_text(o, l, S_TRACK_CODE);
    buf_puts(o, "</label><p class=h id=h-c>");
    render_text(o, l, S_TRACK_CODE_HINT);
    buf_puts(o, "</p><input id=i-c name=c type=text autocapitalize=characters autocomplete=off "
                "spellcheck=false aria-describedby=h-c maxlength=20");
    if (typed) {
        buf_puts(o, " value=\"");
        buf_html(o, typed);
        buf_putc(o, '"');
    }
    buf_puts(o, "></div><button type=submit>");
    render_text(o, l, S_TRACK_SUBMIT);
    buf_puts(o, "</button></form>");
}


void render_track(buf_t *o, const catalog_t *cat, lang_t l, const case_rec_t *c, const char *typed)
{
    buf_t self;
    buf_init(&self);
    buf_puts(&self, "/seguimiento");
    if (c) buf_printf(&self, "/%s", c->code);
    buf_putc(&self, '?');
    render_page_begin(o, l, T(l, S_TRACK_TITLE), self.data, false);
    buf_free(&self);
    buf_puts(o, "<h1>");
    render_text(o, l, S_TRACK_TITLE);
    buf_puts(o, "</h1>");
    if (!c) {
        if (typed) {
            buf_puts(o, "<p class=e role=alert>");
            render_text(o, l, S_TRACK_NOT_FOUND);
            buf_puts(o, "</p>");
        } else {
            buf_puts(o, "<p>");
            render_text(o, l, S_TRACK_INTRO);
            buf_puts(o, "</p>");
        }
        track_form(o, l, typed);
        render_citizen_page_end(o, l);
        return;
    }
    char pretty[CASE_CODE_LEN + 3];
    case_code_pretty(c->code, pretty);
    buf_printf(o, "<p class=cc>%s</p><dl class=kv>", pretty);
    render_dt(o, l, S_CASE_STATUS);
    buf_printf(o, "<b class=\"st st-%s\">", case_status_name(c->status));
    render_text(o, l, public_status(c->status));
    buf_puts(o, "</b></dd>");
    render_dt(o, l, S_CASE_KIND);
    buf_html(o, render_kind(l, c->kind));
    buf_puts(o, "</dd>");
    const service_t *s = c->service ? points_service(&cat->points, c->service) : NULL;
    if (s) {
        render_dt(o, l, S_CASE_SERVICE);
        buf_html(o, l == LANG_HT && s->label_ht && *s->label_ht ? s->label_ht : s->label_es);
        buf_puts(o, "</dd>");
    }
    render_dt(o, l, S_CASE_RECEIVED);
    render_day(o, bizdays_from_time(c->created_at));
    buf_puts(o, "</dd>");
    if (c->standard_days >= 0 && c->wants_answer) {   /* as on the thank-you page */
        render_dt(o, l, S_TRACK_PROMISED);
        render_day(o, c->due);
        buf_puts(o, "</dd>");
    }
    if (c->closed_at) {
        render_dt(o, l, S_CASE_CLOSED_AT);
        render_day(o, bizdays_from_time(c->closed_at));
        buf_puts(o, "</dd>");
    }
    buf_puts(o, "</dl><h2>");
    render_text(o, l, S_CASE_ANSWER);
    buf_puts(o, "</h2>");
    bool closed = c->status == CASE_CLOSED;
    if (c->public_answer) {
        if (closed && c->close_reason == CASE_REASON_OUT_OF_SCOPE) {
            buf_puts(o, "<p>");
            render_text(o, l, S_TRACK_CLOSED_OUT);
            buf_puts(o, "</p>");
        }
        buf_puts(o, "<blockquote class=tx>");
        buf_html(o, c->public_answer);
        buf_puts(o, "</blockquote><p class=h>");
        render_text(o, l, S_CASE_ANSWERED_ON);
        buf_putc(o, ' ');
        render_day(o, bizdays_from_time(c->answered_at));
        buf_puts(o, "</p>");
    } else {
        /* Never "come back later" about a case that is closed. */
        buf_puts(o, "<p>");
        render_text(o, l, cases_is_compliment(c->kind)                   ? S_TRACK_COMPLIMENT
                          : !closed                                       ? S_TRACK_NO_ANSWER
                          : c->close_reason == CASE_REASON_DUPLICATE      ? S_TRACK_CLOSED_DUP
                          : c->close_reason == CASE_REASON_SPAM           ? S_TRACK_CLOSED_SPAM
                                                                          : S_TRACK_CLOSED_NO_ANSWER);
        buf_puts(o, "</p>");
        if (closed && c->close_reason == CASE_REASON_DUPLICATE && c->duplicate_of[0]) {
            char orig[CASE_CODE_LEN + 3];
            case_code_pretty(c->duplicate_of, orig);
            buf_puts(o, "<p>");
            render_text(o, l, S_TRACK_DUP_OF);
            buf_printf(o, " <a href=\"/seguimiento/%s?lang=%s\">%s</a></p>", c->duplicate_of, i18n_code(l),
                       orig);
        }
    }
    buf_puts(o, "<p class=h>");
    render_text(o, l, S_TRACK_PRIVACY);
    buf_printf(o, "</p><p><a href=\"/?lang=%s\">", i18n_code(l));
    render_text(o, l, S_BACK_HOME);
    buf_puts(o, "</a></p>");
    render_citizen_page_end(o, l);
}
