/*
 * http_entry.c: answers entered by staff (issue 17 items 4 and 5), for
 * admin, atencion and captura (auth.h, AUTH_ROLES_ENTRY):
 *
 *   GET  /entrada                 the field for a paper's short code;
 *        /entrada?codigo=<code>   read it (model/paper_ref.h): 303 to the
 *                                 form, or the page again saying why not
 *                                 (unknown; a sheet of an older version is
 *                                 refused, naming both versions).
 *   GET  /entrada/<code>          the form, point and language pre-set,
 *                                 the paper's date first and focused;
 *   POST /entrada/<code>          stored with channel papel (service/entry.h),
 *                                 then 303 to a fresh form for the next
 *                                 sheet saying "stored" and, for a
 *                                 complaint, the code to write on the paper.
 *        ?lote=<batch>            double entry (service/entry.h): each sheet
 *                                 numbered and held until a second clerk
 *                                 agrees; when they differ the second
 *                                 clerk is told which questions (409,
 *                                 labels only) and types them again; a
 *                                 supervisor resolves what that leaves.
 *   GET  /entrada/<code>?lote=<batch>&hoja=<n>&revisar=1  a supervisor
 *                                 (atencion, admin; not the first clerk)
 *                                 sees both entries side by side and
 *                                 chooses; an admin may discard the sheet
 *                                 (POST _descartar=1 with _lote, _hoja).
 *   GET  /entrevista              the forms (not the staff-only
 *                                 registers), each with a point to choose;
 *   GET, POST /entrevista/<form>[?p=<point>]  an interview, channel
 *                                 entrevista, then a fresh form.
 *
 * Who entered an answer goes to the audit log, never into the response.
 * Nothing here shows a stored answer: after sending, only a fresh form and
 * the case code. Pages are no-store, so Back does not bring answers back.
 */
#include "http/http_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bizdays.h"
#include "model/cases.h"
#include "model/form_ui.h"
#include "model/paper_ref.h"
#include "service/entry.h"
#include "service/interview.h"
#include "view/paper.h"
#include "view/render.h"
#include "view/render_entry.h"
#include "view/interview_out.h"

/* One entry form as it is shown. */
typedef struct entry_view {
    const form_t  *form;
    const point_t *point;
    lang_t         lang;
    const char    *paper_code;   /* NULL: an interview */
    const char    *action;       /* the form's address, without lang */
    /* A double-entry batch's sheet (batch NULL: none): the sheet number
     * as typed, whether it was refused, whether the form is the blind
     * third look at the questions labels name (issue 17), and a notice
     * (0: none) above the form. */
    const char    *batch, *sheet;
    bool           bad_sheet, recheck;
    const char   **labels;
    size_t         nlabels;
    str_id_t       note;
    bool           note_ok;
    bool           conflict;     /* issue 17: the sheet is stored with other answers */
    /* issue 17: an interview the tablet may keep offline (render.h's
     * render_entry_t says what each is); seal NULL: online only. */
    const char    *seal, *ticket, *who;
    long long      uid;
    bool           iv_admin;
} entry_view_t;

/* issue 17: a supervisor (may see both entries of a held sheet and
 * resolve it) is atencion or admin; a captura clerk is not. */
static bool is_supervisor(const staff_req_t *s)
{
    return s->who.role == ROLE_ATENCION || s->who.role == ROLE_ADMIN;
}

/* The entry form of ev: fresh (prep NULL: a new submission id; done, when
 * not NULL, the case code of the answer just stored, "" for none) or
 * again with prep's answers (date as posted, bad: refused). */
static enum MHD_Result show_form(struct MHD_Connection *c, req_t *r, const staff_req_t *s,
                                 const entry_view_t *ev, submit_prep_t *prep, const char *date,
                                 bool bad, const char *done, unsigned status)
{
    staff_view_t v;
    http_staff_view(c, s, ev->action, &v);
    char today[11], sid[SUBMIT_SID_FRESH + 1];
    bizdays_format(bizdays_from_time((int64_t)time(NULL)), today);
    buf_t lead, notice, live, page, out;
    buf_init(&lead);
    buf_init(&notice);
    buf_init(&live);
    render_entry_lead(&lead, &v, ev->lang, ev->paper_code, date, bad, today);
    if (ev->batch) render_entry_sheet(&lead, ev->lang, ev->batch, ev->sheet, ev->bad_sheet, ev->recheck);
    if (done) render_entry_done(&notice, ev->lang, ev->paper_code != NULL, done);
    if (ev->note) render_entry_note(&notice, ev->lang, ev->note, ev->note_ok);
    if (ev->conflict && ev->batch) render_entry_conflict(&notice, ev->lang, ev->batch, ev->sheet);
    if (ev->nlabels) render_entry_recheck(&notice, ev->lang, ev->labels, ev->nlabels);
    buf_puts(&live, "/e/");
    buf_urlenc(&live, ev->form->id);
    /* No point: its service is the clerk's to change (a p= would
     * force it back in the live state). */
    buf_printf(&live, "/vivo?lang=%s", i18n_code(ev->lang));
    if (!prep) submit_new_sid(sid);
    else prep->answers.order_key = prep->sid;
    /* A paper's other language is the same sheet printed in it. */
    buf_t alt;
    buf_init(&alt);
    if (ev->paper_code) {
        buf_puts(&alt, "/entrada/");
        paper_code(&alt, ev->form, ev->point, ev->lang == LANG_ES ? LANG_HT : LANG_ES);
        buf_putc(&alt, '?');
    }
    render_entry_t e = { .action = ev->action, .live = live.data, .lead = lead.data,
                         .notice = notice.len ? notice.data : NULL, .sid = prep ? prep->sid : sid,
                         .alt = ev->paper_code ? alt.data : NULL, .paper = ev->paper_code != NULL,
                         .seal = ev->seal, .ticket = ev->ticket, .who = ev->who, .uid = ev->uid,
                         .iv_admin = ev->iv_admin };
    size_t at;
    buf_init(&page);
    render_survey_entry(&page, &r->forms->cat, ev->form, ev->point, ev->lang, prep ? &prep->answers : NULL,
                        &e, &at);
    buf_init(&out);
    buf_append(&out, page.data, at);
    render_survey_fields(&out, prep ? prep->sid : sid, prep ? prep->started : (long)time(NULL));
    buf_append(&out, page.data + at, page.len - at);
    buf_free(&page);
    buf_free(&lead);
    buf_free(&notice);
    buf_free(&live);
    buf_free(&alt);
    return http_send_html(c, r, status, &out);
}

/* The /entrada page with msg about typed. */
static enum MHD_Result show_start(struct MHD_Connection *c, req_t *r, app_t *app, const staff_req_t *s,
                                  const char *typed, paper_ref_rc_t rc, const paper_ref_t *ref)
{
    staff_view_t v;
    http_staff_view(c, s, "/entrada?", &v);
    buf_t b;
    buf_init(&b);
    entry_msg_t msg = rc == PAPER_REF_OK ? ENTRY_MSG_NONE : rc == PAPER_REF_OLD ? ENTRY_MSG_OLD : ENTRY_MSG_UNKNOWN;
    /* issue 17: a supervisor sees the held sheets waiting for them. */
    held_sheet_t *held = NULL;
    size_t nheld = 0;
    buf_t extra;
    buf_init(&extra);
    if (!typed && entry_held_list(app->store, is_supervisor(s), &held, &nheld) && nheld) {
        entry_held_view_t *hv = xcalloc(nheld, sizeof *hv);
        for (size_t i = 0; i < nheld; i++)
            hv[i] = (entry_held_view_t){ held[i].batch, held[i].paper, held[i].clerks, (long)held[i].sheet };
        render_entry_held_list(&extra, v.lang, hv, nheld);
        free(hv);
    }
    entry_held_list_free(held, nheld);
    render_entry_start(&b, &v, app->public_indicators, typed, typed ? msg : ENTRY_MSG_NONE, ref->form,
                       ref->version, extra.len ? extra.data : NULL);
    buf_free(&extra);
    return http_send_html(c, r, !typed || rc == PAPER_REF_OK ? MHD_HTTP_OK
                                : rc == PAPER_REF_OLD ? MHD_HTTP_GONE : MHD_HTTP_NOT_FOUND, &b);
}

/* The path of the form for ref ("/entrada/<canonical code>"). */
static void entry_path(buf_t *o, const paper_ref_t *ref)
{
    buf_puts(o, "/entrada/");
    paper_code(o, ref->form, ref->point, ref->lang);
}

enum MHD_Result h_entry(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_ENTRY, &s, &ret)) return ret;
    const char *typed = http_arg(c, "codigo");
    if (typed && !*typed) typed = NULL;
    paper_ref_t ref;
    paper_ref_rc_t rc = paper_ref_parse(&r->forms->cat, typed, &ref);
    if (!typed || rc != PAPER_REF_OK) return show_start(c, r, app, &s, typed, rc, &ref);
    buf_t loc;
    buf_init(&loc);
    entry_path(&loc, &ref);
    buf_printf(&loc, "?lang=%s", i18n_code(http_lang(c, LANG_ES)));
    const char *batch = http_arg(c, "lote");   /* double entry (service/entry.h) */
    if (batch && *batch) {
        buf_puts(&loc, "&lote=");
        buf_urlenc(&loc, batch);
    }
    ret = http_redirect(c, r, MHD_HTTP_SEE_OTHER, loc.data);
    buf_free(&loc);
    return ret;
}

/* A stored answer's case code as the fresh form's notice shows it:
 * ?hecho=1 and ?c=<code> (normalized; "" when none or not a code). */
static const char *done_code(struct MHD_Connection *c, char code[CASE_CODE_LEN + 1])
{
    if (!http_arg(c, "hecho")) return NULL;
    const char *carg = http_arg(c, "c");
    if (!carg || case_code_normalize(carg, code) != 0) code[0] = '\0';
    return code;
}

/* Parse the urlencoded body of an entry post (as many fields as a
 * survey) and check its CSRF token. true, or false with the answer in
 * *ret. */
static bool entry_body(struct MHD_Connection *c, req_t *r, app_t *app, const staff_req_t *s,
                       kvlist_t *post, enum MHD_Result *ret)
{
    urlenc_rc_t prc = urlenc_parse(r->body.data ? r->body.data : "", r->body.len, FORM_MAX_POST_FIELDS,
                                   ANSWER_MAX_BYTES, post);
    if (prc != URLENC_OK) {
        kvlist_free(post);
        *ret = http_send_error(c, r, app, prc == URLENC_TOO_MANY || prc == URLENC_TOO_LONG
                                              ? MHD_HTTP_CONTENT_TOO_LARGE : MHD_HTTP_BAD_REQUEST);
        return false;
    }
    if (!auth_csrf_ok(s->token, kvlist_get(post, "_csrf"))) {
        kvlist_free(post);
        *ret = http_staff_csrf_refused(c, r, app, s);
        return false;
    }
    return true;
}

/* The label of the difference named name of f, plain text, into b: a
 * question's after its repeat's "Persona 2 - " (session 23), else the
 * paper's date. Returns it ("" when empty). */
static const char *diff_label(buf_t *b, const form_t *f, const char *name, int li, lang_t lang)
{
    const question_t *q = form_question(f, name);
    if (q) render_repeat_label(b, f, (size_t)(q - f->q), li);
    else buf_puts(b, i18n(lang, S_ENTRY_DATE));
    return b->data ? b->data : "";
}

/* The supervisor's page of out's held sheet (both values side by side). */
static enum MHD_Result show_diff(struct MHD_Connection *c, req_t *r, app_t *app, const staff_req_t *s,
                                 const entry_view_t *ev, const entry_out_t *out, unsigned status)
{
    /* The language switch reopens this sheet's review. */
    buf_t self;
    buf_init(&self);
    buf_puts(&self, ev->action);
    buf_puts(&self, "?lote=");
    buf_urlenc(&self, out->batch);
    buf_printf(&self, "&hoja=%ld&revisar=1&", out->sheet);
    staff_view_t v;
    /* issue 17: the page, its values' labels included, is in the
     * language asked for (its switch), the sheet's when none is. */
    http_staff_view(c, s, self.data, &v);
    v.lang = http_lang(c, ev->lang);
    entry_diff_view_t *d = xcalloc(out->ndiff + 1, sizeof *d);
    int li = render_form_lang(out->form, v.lang);
    /* issue 17: the values as the page's language says them (labels,
     * DD/MM/AAAA), not as stored. */
    buf_t *shown = xcalloc(3 * out->ndiff + 1, sizeof *shown);
    for (size_t i = 0; i < out->ndiff; i++) {
        const question_t *q = form_question(out->form, out->diff[i].name);
        buf_init(&shown[2 * i]);
        buf_init(&shown[2 * i + 1]);
        buf_init(&shown[2 * out->ndiff + i]);
        render_entry_value(&shown[2 * i], out->form, q, li, out->diff[i].v1);
        render_entry_value(&shown[2 * i + 1], out->form, q, li, out->diff[i].v2);
        d[i] = (entry_diff_view_t){ diff_label(&shown[2 * out->ndiff + i], out->form, out->diff[i].name, li, v.lang),
                                    out->diff[i].name, shown[2 * i].data ? shown[2 * i].data : "",
                                    shown[2 * i + 1].data ? shown[2 * i + 1].data : "" };
    }
    buf_t b;
    buf_init(&b);
    render_entry_diff(&b, &v, app->public_indicators, ev->action, out->batch, out->sheet, out->by1, out->by2, d,
                      out->ndiff, out->refused ? &out->prep.answers : NULL, s->who.role == ROLE_ADMIN);
    free(d);
    for (size_t i = 0; i < 3 * out->ndiff; i++) buf_free(&shown[i]);
    free(shown);
    buf_free(&self);
    return http_send_html(c, r, status, &b);
}

/* The post of ev's form: stored (303 to a fresh form), or shown again. */
static enum MHD_Result entry_answer(struct MHD_Connection *c, req_t *r, app_t *app, const staff_req_t *s,
                                    entry_view_t *ev, size_t fi)
{
    kvlist_t post;
    enum MHD_Result ret;
    if (!entry_body(c, r, app, s, &post, &ret)) return ret;
    bool paper = ev->paper_code != NULL;
    submit_in_t in = { .form = ev->form, .form_version_id = r->forms->form_version_id[fi],
                       .point = ev->point, .lang = i18n_code(ev->lang),
                       .channel = paper ? ENTRY_CHANNEL_PAPER : ENTRY_CHANNEL_INTERVIEW,
                       .entered_by = s->who.name, .service_open = true };
    entry_out_t out;
    entry_rc_t rc;
    const char *pb = kvlist_get(&post, ENTRY_BATCH_FIELD), *ph = kvlist_get(&post, ENTRY_SHEET_FIELD);
    if (paper && kvlist_get(&post, "_descartar") && pb && ph) {
        /* issue 17: an administrator discards a held sheet. */
        memset(&out, 0, sizeof out);
        rc = entry_discard(app->store, ev->paper_code, pb, strtol(ph, NULL, 10), s->who.name,
                           s->who.role == ROLE_ADMIN, time(NULL));
    } else {
        rc = entry_submit(app->store, &post, &in, ev->paper_code, is_supervisor(s), &r->forms->cat.carta,
                          &r->forms->cat.holidays, time(NULL), &out);
    }
    switch (rc) {
    case ENTRY_STORED:
    case ENTRY_HELD: {
        /* A fresh form for the next sheet (of the batch: numbered on). */
        buf_t loc;
        buf_init(&loc);
        buf_puts(&loc, ev->action);
        buf_printf(&loc, "%s%s=1", strchr(ev->action, '?') ? "&" : "?", rc == ENTRY_HELD ? "retenida" : "hecho");
        if (out.code[0]) buf_printf(&loc, "&c=%s", out.code);
        if (out.batch) {
            buf_puts(&loc, "&lote=");
            buf_urlenc(&loc, out.batch);
            buf_printf(&loc, "&hoja=%ld", out.sheet < ENTRY_SHEET_MAX ? out.sheet + 1 : out.sheet);
        }
        buf_printf(&loc, "&lang=%s#f", i18n_code(ev->lang));
        ret = http_redirect(c, r, MHD_HTTP_SEE_OTHER, loc.data);
        buf_free(&loc);
        break;
    }
    case ENTRY_DIFFERENT:
        ret = show_diff(c, r, app, s, ev, &out, MHD_HTTP_UNPROCESSABLE_CONTENT);
        break;
    case ENTRY_DISCARDED: {
        entry_view_t again = *ev;
        again.note = S_ENTRY_DISCARDED;
        again.note_ok = true;
        ret = show_form(c, r, s, &again, NULL, NULL, false, NULL, MHD_HTTP_OK);
        break;
    }
    case ENTRY_SUPERVISOR: {
        /* Held for a supervisor: a fresh form for the sheet, no values. */
        entry_view_t again = *ev;
        again.batch = out.batch;
        again.sheet = kvlist_get(&post, ENTRY_SHEET_FIELD);
        again.note = S_ENTRY_SUPERVISOR;
        ret = show_form(c, r, s, &again, NULL, NULL, false, NULL, MHD_HTTP_CONFLICT);
        break;
    }
    case ENTRY_FORBIDDEN:
        ret = http_send_error(c, r, app, MHD_HTTP_FORBIDDEN);
        break;
    case ENTRY_NONE:
        ret = http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
        break;
    case ENTRY_INVALID:
    case ENTRY_BAD_DATE:
    case ENTRY_EARLY_DATE:
    case ENTRY_BAD_SHEET:
    case ENTRY_SAME_CLERK:
    case ENTRY_RECHECK:
    case ENTRY_CONFLICT:
    case ENTRY_KEEP: {
        entry_view_t again = *ev;
        again.form = out.form;
        const char *b = kvlist_get(&post, ENTRY_BATCH_FIELD);
        /* issue 17: the blind third look names the questions, never a
         * value of entry 1 (the date field is emptied when it differs). */
        const char **labels = NULL;
        buf_t *lb = NULL;
        bool date_differs = false;
        if (rc == ENTRY_RECHECK || (kvlist_get(&post, ENTRY_RECHECK_FIELD) && rc != ENTRY_SAME_CLERK)) {
            again.recheck = true;
            if (rc == ENTRY_RECHECK) {
                labels = xcalloc(out.ndiff + 1, sizeof *labels);
                lb = xcalloc(out.ndiff + 1, sizeof *lb);
                int li = render_form_lang(out.form, ev->lang);
                for (size_t i = 0; i < out.ndiff; i++) {
                    if (!form_question(out.form, out.diff[i].name)) date_differs = true;
                    labels[i] = diff_label(&lb[i], out.form, out.diff[i].name, li, ev->lang);
                }
                again.labels = labels;
                again.nlabels = out.ndiff;
            }
        }
        if (ev->paper_code && b && *b) {
            again.batch = b;
            again.sheet = kvlist_get(&post, ENTRY_SHEET_FIELD);
            again.bad_sheet = rc == ENTRY_BAD_SHEET;
        }
        again.conflict = rc == ENTRY_CONFLICT;
        if (rc == ENTRY_SAME_CLERK) again.note = S_ENTRY_SAME_CLERK;
        if (rc == ENTRY_EARLY_DATE) again.note = S_ENTRY_DATE_EARLY;
        const char *date = date_differs ? NULL : kvlist_get(&post, ENTRY_DATE_FIELD);
        ret = show_form(c, r, s, &again, &out.prep, date, rc == ENTRY_BAD_DATE || rc == ENTRY_EARLY_DATE, NULL,
                        rc == ENTRY_KEEP ? MHD_HTTP_OK
                        : rc == ENTRY_SAME_CLERK || rc == ENTRY_RECHECK || rc == ENTRY_CONFLICT ? MHD_HTTP_CONFLICT
                                                                       : MHD_HTTP_UNPROCESSABLE_CONTENT);
        free(labels);
        for (size_t i = 0; lb && i < out.ndiff; i++) buf_free(&lb[i]);
        free(lb);
        break;
    }
    case ENTRY_UNSAVED:
        ret = http_send_error(c, r, app, MHD_HTTP_SERVICE_UNAVAILABLE);
        break;
    default:
        ret = http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
        break;
    }
    entry_out_free(&out);
    kvlist_free(&post);
    return ret;
}

/* The paper form of /entrada/<code>: false with the answer in *ret when
 * the code is not the current version's. */
static bool paper_form(struct MHD_Connection *c, req_t *r, app_t *app, const staff_req_t *s,
                       paper_ref_t *ref, buf_t *action, enum MHD_Result *ret)
{
    paper_ref_rc_t rc = paper_ref_parse(&r->forms->cat, r->route.arg, ref);
    if (rc != PAPER_REF_OK) {
        *ret = show_start(c, r, app, s, r->route.arg, rc, ref);
        return false;
    }
    entry_path(action, ref);
    return true;
}

enum MHD_Result h_entry_form(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_ENTRY, &s, &ret)) return ret;
    paper_ref_t ref;
    buf_t action;
    buf_init(&action);
    if (paper_form(c, r, app, &s, &ref, &action, &ret)) {
        char code[CASE_CODE_LEN + 1];
        entry_view_t ev = { .form = ref.form, .point = ref.point, .lang = ref.lang,
                            .paper_code = action.data + strlen("/entrada/"), .action = action.data };
        /* A double-entry batch: ?lote=<label>&hoja=<next sheet>. */
        const char *batch = http_arg(c, "lote");
        if (batch && *batch) {
            ev.batch = batch;
            ev.sheet = http_arg(c, "hoja");
        }
        if (http_arg(c, "retenida")) {
            ev.note = S_ENTRY_HELD;
            ev.note_ok = true;
        }
        const char *hoja = http_arg(c, "hoja");
        if (http_arg(c, "revisar") && ev.batch && hoja) {
            /* issue 17: a supervisor opens a held sheet's two entries. */
            entry_out_t out;
            switch (entry_review(app->store, ref.form, ev.paper_code, ev.batch, strtol(hoja, NULL, 10), s.who.name,
                                 is_supervisor(&s), &out)) {
            case ENTRY_DIFFERENT: ret = show_diff(c, r, app, &s, &ev, &out, MHD_HTTP_OK); break;
            case ENTRY_FORBIDDEN: ret = http_send_error(c, r, app, MHD_HTTP_FORBIDDEN); break;
            case ENTRY_NONE: ret = http_send_error(c, r, app, MHD_HTTP_NOT_FOUND); break;
            default: ret = http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR); break;
            }
            entry_out_free(&out);
        } else {
            ret = show_form(c, r, &s, &ev, NULL, NULL, false, done_code(c, code), MHD_HTTP_OK);
        }
    }
    buf_free(&action);
    return ret;
}

enum MHD_Result h_entry_post(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_ENTRY, &s, &ret)) return ret;
    paper_ref_t ref;
    buf_t action;
    buf_init(&action);
    if (paper_form(c, r, app, &s, &ref, &action, &ret)) {
        entry_view_t ev = { .form = ref.form, .point = ref.point, .lang = ref.lang,
                            .paper_code = action.data + strlen("/entrada/"), .action = action.data };
        ret = entry_answer(c, r, app, &s, &ev, ref.form_index);
    }
    buf_free(&action);
    return ret;
}

enum MHD_Result h_interviews(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_ENTRY, &s, &ret)) return ret;
    staff_view_t v;
    http_staff_view(c, &s, "/entrevista?", &v);
    buf_t b;
    buf_init(&b);
    render_interview_list(&b, &v, app->public_indicators, &r->forms->cat);
    return http_send_html(c, r, MHD_HTTP_OK, &b);
}

/* issue 17: what the interview page needs to keep an interview offline
 * (service/interview.h): the server's public key and a fresh ticket of
 * s's account, into ev (pub and ticket hold them). Nothing when the keys
 * are off or the ticket cannot be made: the page then sends online only. */
static void interview_seal(app_t *app, const staff_req_t *s, entry_view_t *ev, char pub[SEAL_PUB_B64 + 1],
                           char ticket[SEAL_TICKET_MAX + 1])
{
    if (!app->seal || !interview_ticket(app->store, app->seal, s->who.id, time(NULL), ticket)) return;
    seal_keys_public(app->seal, pub);
    ev->seal = pub;
    ev->ticket = ticket;
    ev->who = s->who.name;
    ev->uid = (long long)s->who.id;
    ev->iv_admin = s->who.role == ROLE_ADMIN;
}

/* The interview of /entrevista/<form>?p=: false (a 404 in *ret) for an
 * unknown form or point; else ev and its action, and, for s's page (s
 * NULL: a kept interview arriving, no page), what keeps it offline
 * (interview_seal, into pub and ticket). */
static bool interview_form(struct MHD_Connection *c, req_t *r, app_t *app, const staff_req_t *s, entry_view_t *ev,
                           size_t *fi, buf_t *action, char pub[SEAL_PUB_B64 + 1], char ticket[SEAL_TICKET_MAX + 1],
                           enum MHD_Result *ret)
{
    /* A staff-only register is entered on /registros only (issue 17). */
    const form_t *f = catalog_public_form(&r->forms->cat, r->route.arg, fi);
    const char *p = http_arg(c, "p");
    const point_t *pt = p && *p ? points_find(&r->forms->cat.points, p) : NULL;
    if (!f || (p && *p && !pt)) {
        *ret = http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
        return false;
    }
    buf_puts(action, "/entrevista/");
    buf_urlenc(action, f->id);
    if (pt) {
        buf_puts(action, "?p=");
        buf_urlenc(action, pt->id);
    }
    int def = i18n_parse(f->lang_code[f->default_lang]);
    *ev = (entry_view_t){ .form = f, .point = pt,
                          .lang = form_ui_lang(f, http_lang(c, def >= 0 ? (lang_t)def : LANG_ES)),
                          .action = action->data };
    if (s) interview_seal(app, s, ev, pub, ticket);
    return true;
}

enum MHD_Result h_interview(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_ENTRY, &s, &ret)) return ret;
    entry_view_t ev;
    size_t fi;
    buf_t action;
    buf_init(&action);
    char pub[SEAL_PUB_B64 + 1], ticket[SEAL_TICKET_MAX + 1];
    if (interview_form(c, r, app, &s, &ev, &fi, &action, pub, ticket, &ret)) {
        char code[CASE_CODE_LEN + 1];
        ret = show_form(c, r, &s, &ev, NULL, NULL, false, done_code(c, code), MHD_HTTP_OK);
    }
    buf_free(&action);
    return ret;
}

/* issue 17: the JSON answer to a kept interview (view/interview_out.h). */
static enum MHD_Result sealed_reply(struct MHD_Connection *c, req_t *r, unsigned status, buf_t *b)
{
    return http_send_buf(c, r, status, b, "application/json", "no-store");
}

/* issue 17: a kept interview, sent by the tablet that kept it
 * (service/interview.h): a post of INTERVIEW_TICKET_FIELD and
 * INTERVIEW_SEALED_FIELD only, no session, no CSRF token (the ticket and
 * the seal stand in for them). false when the post is not one (the
 * session's way then); true with the JSON answer in *ret. */
static bool interview_sealed(struct MHD_Connection *c, req_t *r, app_t *app, enum MHD_Result *ret)
{
    kvlist_t outer;
    if (urlenc_parse(r->body.data ? r->body.data : "", r->body.len, 4, r->max_body, &outer) != URLENC_OK ||
        !kvlist_get(&outer, INTERVIEW_SEALED_FIELD)) {
        kvlist_free(&outer);
        return false;
    }
    entry_view_t ev;
    size_t fi;
    buf_t action, plain, out;
    buf_init(&action);
    buf_init(&plain);
    buf_init(&out);
    lang_t lang = http_lang(c, LANG_ES);
    if (!interview_form(c, r, app, NULL, &ev, &fi, &action, NULL, NULL, ret)) goto done;   /* a 404: the form is gone */
    lang = ev.lang;
    time_t now = time(NULL), issued = 0;
    staff_t who;
    interview_rc_t irc = app->seal ? interview_open(app->store, app->seal, kvlist_get(&outer, INTERVIEW_TICKET_FIELD),
                                                    kvlist_get(&outer, INTERVIEW_FIRST_FIELD),
                                                    kvlist_get(&outer, INTERVIEW_SEALED_FIELD), action.data, now,
                                                    &who, &issued, &plain)
                                   : INTERVIEW_BAD;
    if (irc != INTERVIEW_OK) {
        if (irc == INTERVIEW_ERR) {
            *ret = http_send_error(c, r, app, MHD_HTTP_SERVICE_UNAVAILABLE);
            goto done;
        }
        interview_json_refused(&out, lang, irc == INTERVIEW_BAD ? S_IV_GONE : S_IV_RENEW, NULL, 0,
                               irc != INTERVIEW_BAD);
        *ret = sealed_reply(c, r, irc == INTERVIEW_BAD ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_FORBIDDEN, &out);
        goto done;
    }
    kvlist_t post;
    /* its submission id makes a resend the same answer: required */
    if (urlenc_parse(plain.data ? plain.data : "", plain.len, FORM_MAX_POST_FIELDS, ANSWER_MAX_BYTES, &post) !=
            URLENC_OK || !submit_sid_valid(kvlist_get(&post, "_sid"))) {
        kvlist_free(&post);
        interview_json_refused(&out, lang, S_IV_GONE, NULL, 0, false);
        *ret = sealed_reply(c, r, MHD_HTTP_BAD_REQUEST, &out);
        goto done;
    }
    submit_in_t in = { .form = ev.form, .form_version_id = r->forms->form_version_id[fi], .point = ev.point,
                       .lang = i18n_code(ev.lang), .channel = ENTRY_CHANNEL_INTERVIEW, .entered_by = who.name,
                       .written = interview_when(kvlist_get(&post, INTERVIEW_AT_FIELD), issued, now),
                       .service_open = true };
    entry_out_t eo;
    entry_rc_t rc = entry_submit(app->store, &post, &in, NULL, false, &r->forms->cat.carta,
                                 &r->forms->cat.holidays, now, &eo);
    if (rc == ENTRY_STORED) {
        interview_json_stored(&out, eo.code);
        *ret = sealed_reply(c, r, MHD_HTTP_OK, &out);
    } else if (rc == ENTRY_UNSAVED || rc == ENTRY_ERR) {
        *ret = http_send_error(c, r, app, MHD_HTTP_SERVICE_UNAVAILABLE);   /* kept: tried again */
    } else {
        /* The questions refused, by label: never a value. */
        const form_t *f = eo.form ? eo.form : ev.form;
        int li = render_form_lang(f, lang);
        const char **labels = xcalloc(f->nq + 1, sizeof *labels);
        size_t n = 0;
        for (size_t i = 0; rc == ENTRY_INVALID && eo.prep.answers.err && i < f->nq; i++)
            if (eo.prep.answers.err[i]) labels[n++] = form_text(f, &f->q[i].label, li);
        interview_json_refused(&out, lang, S_IV_REFUSED, labels, n, false);
        free(labels);
        *ret = sealed_reply(c, r, MHD_HTTP_UNPROCESSABLE_CONTENT, &out);
    }
    entry_out_free(&eo);
    kvlist_free(&post);
done:
    kvlist_free(&outer);
    buf_free(&action);
    buf_free(&plain);
    buf_free(&out);
    return true;
}

enum MHD_Result h_interview_post(struct MHD_Connection *c, req_t *r, app_t *app)
{
    enum MHD_Result ret;
    if (interview_sealed(c, r, app, &ret)) return ret;
    staff_req_t s;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_ENTRY, &s, &ret)) return ret;
    entry_view_t ev;
    size_t fi;
    buf_t action;
    buf_init(&action);
    char pub[SEAL_PUB_B64 + 1], ticket[SEAL_TICKET_MAX + 1];
    if (interview_form(c, r, app, &s, &ev, &fi, &action, pub, ticket, &ret)) ret = entry_answer(c, r, app, &s, &ev, fi);
    buf_free(&action);
    return ret;
}
