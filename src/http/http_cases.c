/*
 * http_cases.c: the complaints and suggestions desk over HTTP: the staff
 * inbox and case page (atencion and admin), and the citizen's tracking
 * pages (/seguimiento, public: they show nothing personal).
 *
 * A case page's form posts back to the case with an `accion`: asignar
 * (asignado = user id), guardar (a public answer and/or an internal
 * note), cerrar (the same, then close, with `motivo` when there is no
 * public answer), reabrir, borrar_contacto (with motivo = a_pedido, or
 * otro and motivo_texto; the page with ?borrar=1 shows that second step).
 * Closing takes two steps that need no JavaScript: cerrar alone answers
 * the case page asking to confirm, whose own form posts cerrar again with
 * confirmado=1. Each success answers 303 back to the case page
 * (post/redirect/get), so a reload never repeats an action.
 */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "service/casework.h"
#include "service/media.h"
#include "view/render_cases.h"
#include "view/render_staff.h"

enum { INBOX_MAX = 500, HISTORY_MAX = 200 };

/* ---- the inbox ------------------------------------------------------------ */

/* Parse the inbox query; unknown values fall back to the defaults (open
 * cases, any service, any age). */
static void parse_filter(struct MHD_Connection *c, const catalog_t *cat, inbox_filter_t *f)
{
    const char *st = http_arg(c, "estado"), *svc = http_arg(c, "servicio"),
               *age = http_arg(c, "antiguedad"), *od = http_arg(c, "vencidos");
    f->status = CASE_OPEN;
    if (st && !strcmp(st, "todos")) f->status = CASE_ANY_STATUS;
    else if (st && case_status_parse(st) >= 0) f->status = case_status_parse(st);
    const service_t *s = svc && *svc ? points_service(&cat->points, svc) : NULL;
    f->service = s ? s->id : NULL;
    f->age = age && age[0] >= '0' && age[0] < '0' + CASE_BACKLOG_BUCKETS && !age[1] ? age[0] - '0' : -1;
    f->overdue = od && !strcmp(od, "1");
    f->search = http_arg(c, "buscar");
}

enum MHD_Result h_cases(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_CASES, &s, &ret)) return ret;
    inbox_filter_t f;
    parse_filter(c, &r->forms->cat, &f);
    int64_t now = (int64_t)time(NULL);
    case_query_t q = { .status = f.status, .service = f.service, .search = f.search };
    case_rec_t *cases;
    size_t ncases;
    store_rc_t rc = casework_inbox(app->store, &r->forms->cat.holidays, &q, f.age, f.overdue, now, INBOX_MAX,
                                   &cases, &ncases);
    if (rc == STORE_OK) {
        buf_t self;
        buf_init(&self);
        buf_puts(&self, "/casos?");
        static const char *const keys[] = { "estado", "servicio", "antiguedad", "vencidos", "buscar" };
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
            const char *val = http_arg(c, keys[i]);
            if (!val || !*val) continue;
            buf_printf(&self, "%s=", keys[i]);
            buf_urlenc(&self, val);
            buf_putc(&self, '&');
        }
        staff_view_t v;
        http_staff_view(c, &s, self.data, &v);
        buf_t b;
        buf_init(&b);
        render_inbox(&b, &v, &r->forms->cat, app->public_indicators, &f, cases, ncases, now);
        ret = http_send_html(c, r, MHD_HTTP_OK, &b);
        buf_free(&self);
    } else {
        ret = http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    }
    casework_inbox_free(cases, ncases);
    return ret;
}

/* ---- one case ----------------------------------------------------------------- */

/* The second step of erasing the contact, shown on the case page: the
 * reason as chosen (asked) or typed (other) so far. */
typedef struct erase_step {
    bool        asked;
    const char *other;
} erase_step_t;

/* The case page for the case of r's code, with status, an optional
 * message, when erase is not NULL the erase step open, and a change
 * posted but not made (pending, its texts shown again; confirm: ask to
 * confirm closing with it). */
static enum MHD_Result case_page_with(struct MHD_Connection *c, req_t *r, app_t *app,
                                      const staff_req_t *s, const char *code, unsigned status,
                                      str_id_t message, bool error, const erase_step_t *erase,
                                      const case_change_t *pending, bool confirm)
{
    case_rec_t rec;
    store_rc_t rc = casework_get(app->store, code, &rec);
    if (rc == STORE_NOTFOUND) return http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    if (rc != STORE_OK) return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    casework_page_t cp;
    enum MHD_Result ret;
    if (casework_page(app->store, &rec, HISTORY_MAX, &cp) == STORE_OK) {
        case_page_t p = { .notes = cp.notes, .nnotes = cp.nnotes, .history = cp.history,
                          .nhistory = cp.nhistory, .handlers = cp.handlers,
                          .nhandlers = cp.nhandlers, .message = message, .error = error,
                          .erase_step = erase != NULL, .erase_asked = erase && erase->asked,
                          .erase_other = erase ? erase->other : NULL,
                          .pending = pending, .confirm_close = confirm,
                          .answers = cp.answers, .nanswers = cp.nanswers };
        char **photos = NULL;
        size_t nphotos = 0;
        svc_media_of_case(app->store, rec.id, &photos, &nphotos);   /* none on error: the page still */
        p.photos = photos;
        p.nphotos = nphotos;
        char self[CASE_CODE_LEN + 16];
        snprintf(self, sizeof self, "/casos/%s?", code);
        staff_view_t v;
        http_staff_view(c, s, self, &v);
        buf_t b;
        buf_init(&b);
        render_case(&b, &v, &r->forms->cat, app->public_indicators, &rec, &p, (int64_t)time(NULL));
        svc_media_names_free(photos, nphotos);
        ret = http_send_html(c, r, status, &b);
    } else {
        ret = http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    }
    casework_page_free(&cp);
    case_rec_free(&rec);
    return ret;
}

static enum MHD_Result case_page(struct MHD_Connection *c, req_t *r, app_t *app, const staff_req_t *s,
                                 const char *code, unsigned status, str_id_t message, bool error)
{
    return case_page_with(c, r, app, s, code, status, message, error, NULL, NULL, false);
}

enum MHD_Result h_case_get(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_CASES, &s, &ret)) return ret;
    char code[CASE_CODE_LEN + 1];
    if (case_code_normalize(r->route.arg, code) < 0) return http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    const char *ok = http_arg(c, "ok"), *erase = http_arg(c, "borrar");
    erase_step_t step = { 0 };
    return case_page_with(c, r, app, &s, code, MHD_HTTP_OK, ok ? S_CASE_SAVED : 0, false,
                          erase && !strcmp(erase, "1") ? &step : NULL, NULL, false);
}

/* Turn the posted form into a change; 0 when it names one, else the id
 * of the message saying what is missing. (Blank texts are the service's
 * rule: casework_change answers STORE_EMPTY.) An erasure's reason is
 * written into reason; *confirmed says a closing was confirmed; a
 * duplicate's original case (field "original", as typed) into original. */
static str_id_t parse_change(const kvlist_t *form, case_change_t *ch,
                             char reason[CASE_ERASE_REASON_SIZE], bool *confirmed,
                             char original[CASE_CODE_LEN + 1])
{
    memset(ch, 0, sizeof *ch);
    *confirmed = false;
    const char *accion = kvlist_get(form, "accion");
    if (!accion) return S_CASE_EMPTY_CHANGE;
    if (!strcmp(accion, "asignar")) {
        const char *who = kvlist_get(form, "asignado");
        ch->assign_to = who ? strtoll(who, NULL, 10) : 0;
        return ch->assign_to > 0 ? 0 : S_CASE_NO_SUCH_USER;
    }
    if (!strcmp(accion, "reabrir")) {
        ch->reopen = true;
        return 0;
    }
    if (!strcmp(accion, "borrar_contacto")) {
        /* Typed words count as another reason even if its button was not
         * pressed; asked wins over words typed and then changed. */
        const char *m = kvlist_get(form, "motivo");
        bool asked = m && !strcmp(m, "a_pedido");
        const char *other = !m || !strcmp(m, "otro") ? kvlist_get(form, "motivo_texto") : NULL;
        ch->erase_contact = true;
        ch->erase_reason = reason;
        switch (case_erase_reason(asked, other, reason)) {
        case CASE_ERASE_OK: return 0;
        case CASE_ERASE_TOO_LONG: return S_ERASE_TOO_LONG;
        case CASE_ERASE_NO_REASON: break;
        }
        return S_ERASE_NO_REASON;
    }
    ch->public_answer = kvlist_get(form, "respuesta");
    ch->note = kvlist_get(form, "nota");
    ch->close = !strcmp(accion, "cerrar");
    if (ch->close) {
        int why = case_reason_parse(kvlist_get(form, "motivo"));
        if (why < 0) return S_CASE_NEEDS_REASON;
        ch->close_reason = (case_close_reason_t)why;
        if (why == CASE_REASON_DUPLICATE) {
            const char *typed = kvlist_get(form, "original");
            if (!typed || case_code_normalize(typed, original) < 0) return S_CASE_NEEDS_ORIGINAL;
            ch->duplicate_of = original;
        }
        const char *yes = kvlist_get(form, "confirmado");
        *confirmed = yes && !strcmp(yes, "1");
    }
    return strcmp(accion, "guardar") && !ch->close ? S_CASE_EMPTY_CHANGE : 0;
}

enum MHD_Result h_case_post(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    kvlist_t form;
    enum MHD_Result ret;
    if (!http_staff_post(c, r, app, AUTH_ROLES_CASES, &s, &form, &ret)) return ret;
    char code[CASE_CODE_LEN + 1];
    case_change_t ch;
    char reason[CASE_ERASE_REASON_SIZE], original[CASE_CODE_LEN + 1];
    str_id_t problem;
    bool confirmed;
    if (case_code_normalize(r->route.arg, code) < 0) {
        ret = http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    } else if ((problem = parse_change(&form, &ch, reason, &confirmed, original))) {
        /* A reason missing or too long: the erase step again, as typed;
         * any other change's texts are shown again as posted. */
        const char *m = kvlist_get(&form, "motivo");
        erase_step_t step = { .asked = m && !strcmp(m, "a_pedido"),
                              .other = kvlist_get(&form, "motivo_texto") };
        ret = case_page_with(c, r, app, &s, code, MHD_HTTP_UNPROCESSABLE_CONTENT, problem, true,
                             ch.erase_contact ? &step : NULL, ch.erase_contact ? NULL : &ch, false);
    } else {
        /* Closing unconfirmed: the same rules, nothing written, and the
         * page asks to confirm a closure that would work. */
        bool ask = ch.close && !confirmed;
        store_rc_t rc = ask ? casework_check(app->store, code, &ch)
                            : casework_change(app->store, code, &ch, s.who.name, (int64_t)time(NULL));
        if (rc == STORE_OK && ask) {
            case_change_normalize(&ch);   /* show only what will be saved */
            ret = case_page_with(c, r, app, &s, code, MHD_HTTP_OK, 0, false, NULL, &ch, true);
        } else if (rc == STORE_OK) {
            char loc[CASE_CODE_LEN + 32];
            snprintf(loc, sizeof loc, "/casos/%s?ok=1&lang=%s", code, i18n_code(http_lang(c, LANG_ES)));
            ret = http_redirect(c, r, MHD_HTTP_SEE_OTHER, loc);
        } else if (rc == STORE_NOTFOUND) {
            ret = http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
        } else if (rc == STORE_EMPTY) {
            ret = case_page(c, r, app, &s, code, MHD_HTTP_UNPROCESSABLE_CONTENT, S_CASE_EMPTY_CHANGE, true);
        } else if (rc == STORE_CLOSED) {
            ret = case_page(c, r, app, &s, code, MHD_HTTP_CONFLICT, S_CASE_IS_CLOSED, true);
        } else if (rc == STORE_NEEDS_REASON) {
            ret = case_page_with(c, r, app, &s, code, MHD_HTTP_UNPROCESSABLE_CONTENT,
                                 ch.close_reason == CASE_REASON_OUT_OF_SCOPE ? S_CASE_NEEDS_REFERRAL
                                 : ch.close_reason == CASE_REASON_DUPLICATE  ? S_CASE_NEEDS_ORIGINAL
                                                                             : S_CASE_NEEDS_REASON,
                                 true, NULL, &ch, false);
        } else if (rc == STORE_NO_USER) {
            ret = case_page(c, r, app, &s, code, MHD_HTTP_UNPROCESSABLE_CONTENT, S_CASE_NO_SUCH_USER, true);
        } else {
            ret = http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
        }
    }
    kvlist_free(&form);
    return ret;
}

/* ---- the citizen's tracking pages ------------------------------------------------ */

enum MHD_Result h_track_form(struct MHD_Connection *c, req_t *r, app_t *app)
{
    (void)app;
    lang_t lang = http_lang(c, LANG_ES);
    const char *typed = http_arg(c, "c");
    char code[CASE_CODE_LEN + 1];
    if (typed && case_code_normalize(typed, code) == 0) {
        char loc[CASE_CODE_LEN + 32];
        snprintf(loc, sizeof loc, "/seguimiento/%s?lang=%s", code, i18n_code(lang));
        return http_redirect(c, r, MHD_HTTP_SEE_OTHER, loc);
    }
    buf_t b;
    buf_init(&b);
    /* A typed code that cannot be one gets the form again, with why. */
    render_track(&b, &r->forms->cat, lang, NULL, typed && *typed ? typed : NULL);
    return http_send_html(c, r, typed && *typed ? MHD_HTTP_NOT_FOUND : MHD_HTTP_OK, &b);
}

enum MHD_Result h_track(struct MHD_Connection *c, req_t *r, app_t *app)
{
    lang_t lang = http_lang(c, LANG_ES);
    char code[CASE_CODE_LEN + 1];
    case_rec_t rec;
    store_rc_t rc = case_code_normalize(r->route.arg, code) == 0 ? casework_get(app->store, code, &rec)
                                                                : STORE_NOTFOUND;
    if (rc == STORE_ERR) return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    buf_t b;
    buf_init(&b);
    render_track(&b, &r->forms->cat, lang, rc == STORE_OK ? &rec : NULL, rc == STORE_OK ? NULL : r->route.arg);
    if (rc == STORE_OK) case_rec_free(&rec);
    return http_send_html(c, r, rc == STORE_OK ? MHD_HTTP_OK : MHD_HTTP_NOT_FOUND, &b);
}
