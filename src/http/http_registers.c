/*
 * http_registers.c: the registers of the Plan de Mejora (issue 18): staff
 * (AUTH_ROLES_REGISTERS: admin and planificacion) list them on /registros
 * and enter one on /registros/<form>, GET and POST. A register is a form
 * whose settings say access = staff: the public never reaches it (its
 * /e/<form> is the 404 of an unknown form), so it is entered only here.
 * The page and the post are the survey's own (render_survey_entry,
 * http_survey_answer), stored through the same submit service with channel
 * "registro" and the member of staff as the author in the audit log; its
 * live state on POST /registros/<form>/vivo (h_register_live). The
 * clerks' /entrada (issue 17) is another route, not this one.
 */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/form_repeat.h"
#include "model/form_ui.h"
#include "service/reg_entries.h"
#include "service/submit.h"
#include "view/render.h"
#include "view/render_reg_entries.h"
#include "view/render_registers.h"
#include "view/render_staff.h"

/* The register r names, or NULL when there is no staff form of that id. */
static const form_t *register_of(req_t *r, size_t *fi)
{
    const form_t *f = catalog_form(&r->forms->cat, r->route.arg, fi);
    return f && f->staff ? f : NULL;
}

enum MHD_Result h_registers(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_REGISTERS, &s, &ret)) return ret;
    staff_view_t v;
    http_staff_view(c, &s, "/registros?", &v);
    const char *done = http_arg(c, "hecho");
    const form_t *saved = done ? catalog_form(&r->forms->cat, done, NULL) : NULL;
    buf_t b;
    buf_init(&b);
    render_registers(&b, &v, app->public_indicators, &r->forms->cat, saved && saved->staff ? saved : NULL);
    return http_send_buf(c, r, MHD_HTTP_OK, &b, "text/html; charset=utf-8", "no-store");
}

void http_register_page(buf_t *out, const req_t *r, const form_t *f, lang_t lang, const answers_t *a,
                        const char *csrf, const char *sid, size_t *fields_at)
{
    buf_t action, live, lead;
    buf_init(&action);
    buf_init(&live);
    buf_init(&lead);
    buf_puts(&action, "/registros/");
    buf_urlenc(&action, f->id);
    buf_printf(&live, "%s/vivo?lang=%s", action.data, i18n_code(lang));
    render_survey_csrf(&lead, csrf);
    render_entry_t e = { .action = action.data, .live = live.data, .lead = lead.data, .sid = sid,
                         .multipart = true };
    render_survey_entry(out, &r->forms->cat, f, NULL, lang, a, &e, fields_at);
    buf_free(&action);
    buf_free(&live);
    buf_free(&lead);
}

enum MHD_Result h_register_get(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_REGISTERS, &s, &ret)) return ret;
    const form_t *f = register_of(r, NULL);
    if (!f) return http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    lang_t lang = form_ui_lang(f, http_lang(c, LANG_ES));
    char sid[SUBMIT_SID_FRESH + 1];
    submit_new_sid(sid);
    buf_t p, b;
    buf_init(&p);
    size_t at;
    form_t *xf = form_repeat_for_post(f, NULL);   /* one instance of each repeat */
    http_register_page(&p, r, xf ? xf : f, lang, NULL, s.csrf, sid, &at);
    form_free(xf);
    buf_init(&b);
    buf_append(&b, p.data, at);
    render_survey_fields(&b, sid, (long)time(NULL));
    buf_append(&b, p.data + at, p.len - at);
    buf_free(&p);
    /* It carries the session's CSRF token: never kept by any cache. */
    return http_send_buf(c, r, MHD_HTTP_OK, &b, "text/html; charset=utf-8", "no-store");
}

enum MHD_Result h_register_post(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_REGISTERS, &s, &ret)) return ret;
    size_t fi;
    const form_t *f = register_of(r, &fi);
    if (!f) return http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    buf_t done;
    buf_init(&done);
    buf_printf(&done, "/registros?hecho=%s", f->id);
    survey_via_t via = { .channel = "registro", .staff = &s, .done = done.data };
    ret = http_survey_answer(c, r, app, f, fi, &via);
    buf_free(&done);
    return ret;
}

/* issue 18: the register page's live state (www/buzon.js posts its
 * answers to <action>/vivo, as on a survey: relevance, required now,
 * calculated values, pipes), from the one expression engine
 * (http_live_serve: the same JSON, the same live bucket per address).
 * Same roles as the page; an unknown or public form is the JSON 404.
 * No CSRF token is asked: it stores and changes nothing, and another
 * site cannot read the answer. */
enum MHD_Result h_register_live(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_REGISTERS, &s, &ret)) return ret;
    const form_t *f = register_of(r, NULL);
    if (!f) return http_live_error(c, r, MHD_HTTP_NOT_FOUND);
    return http_live_serve(c, r, f);
}

/* issue 18 follow-up: GET /registros/<form>/entradas?p=N, the register's
 * entries newest first (reg_entries_page), so a planner can find a wrong
 * one. Same roles as the register; an unknown or public form is a 404; a
 * p that is not a number from 1 is page 1. */
enum MHD_Result h_register_entries(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_REGISTERS, &s, &ret)) return ret;
    const form_t *f = register_of(r, NULL);
    if (!f) return http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    const char *ps = http_arg(c, "p");
    char *end = NULL;
    long page = ps ? strtol(ps, &end, 10) : 1;
    if (!ps || end == ps || *end || page < 1 || page > 1000000) page = 1;
    staff_view_t v;
    buf_t self;
    buf_init(&self);
    buf_printf(&self, "/registros/%s/entradas?", f->id);
    http_staff_view(c, &s, self.data, &v);
    reg_page_t pg;
    if (reg_entries_page(app->store, f, (int)page, v.lang, &pg) != STORE_OK) {
        buf_free(&self);
        return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    }
    buf_t b;
    buf_init(&b);
    render_reg_entries(&b, &v, app->public_indicators, f, &pg);
    reg_page_free(&pg);
    ret = http_send_buf(c, r, MHD_HTTP_OK, &b, "text/html; charset=utf-8", "no-store");
    buf_free(&self);
    return ret;
}
