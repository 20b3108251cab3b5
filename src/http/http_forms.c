/*
 * http_forms.c: publishing forms from the browser (/formularios), for the
 * roles that may (auth.h, AUTH_ROLES_FORMS: admin, planificacion).
 *
 *   GET  /formularios                      the forms served, the upload box
 *   POST /formularios                      an XLSForm workbook (multipart):
 *                                          422 with its problems, or 303 to
 *                                          its preview
 *   GET  /formularios/borrador/<n>         the preview: one phone-sized
 *                                          frame per language, "Publicar"
 *   GET  /formularios/borrador/<n>/vista   the survey page a frame shows
 *   POST /formularios/borrador/<n>         publish: 303 /formularios?publicado=
 *   POST /formularios/<form>/retirar       withdraw: 303 /formularios?retirado=
 *
 * A publication checks the whole catalog again with the draft in it
 * (service/forms.h), commits, and only then replaces the forms the server
 * serves (app.h): requests already running finish with the old ones.
 * Publications are serialised (app_t.publish_mu) so that two planners
 * never build on the same old catalog.
 */
#include "http/http_int.h"
#include "model/form_repeat.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/utf8.h"
#include "http/http_multipart.h"
#include "service/forms.h"
#include "model/form_ui.h"
#include "view/render.h"
#include "view/render_forms.h"

/* Uploads being read or checked at once: each holds up to
 * FORMS_BODY_MAX bytes and loads a whole catalog. */
enum { UPLOAD_SLOTS = 2, HISTORY_MAX = 50, FILE_NAME_MAX = 120 };
static atomic_int uploads_in_flight;

/* ---- the forms page, with or without a notice -------------------------- */

static enum MHD_Result send_forms(struct MHD_Connection *c, req_t *r, app_t *app, const staff_req_t *s,
                                  unsigned status, forms_view_t *fv)
{
    staff_view_t v;
    http_staff_view(c, s, "/formularios?", &v);
    fv->cat = &r->forms->cat;
    int64_t *counts = http_form_counts(app, fv->cat);
    form_pub_t *hist = NULL;
    size_t nhist = 0;
    if (svc_forms_history(app->store, HISTORY_MAX, &hist, &nhist) != STORE_OK) {
        free(counts);
        return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    }
    fv->responses = counts;
    fv->history = hist;
    fv->nhistory = nhist;
    buf_t b;
    buf_init(&b);
    render_forms(&b, &v, app->public_indicators, fv);
    free(counts);
    form_pub_free(hist, nhist);
    return http_send_html(c, r, status, &b);
}

/* The forms page with one message about the upload. */
static enum MHD_Result send_error(struct MHD_Connection *c, req_t *r, app_t *app, const staff_req_t *s,
                                  unsigned status, str_id_t error)
{
    forms_view_t fv = { .error = error };
    return send_forms(c, r, app, s, status, &fv);
}

/* The forms page with the problems of d under title. */
static enum MHD_Result send_problems(struct MHD_Connection *c, req_t *r, app_t *app, const staff_req_t *s,
                                     str_id_t title, const diag_t *d)
{
    forms_view_t fv = { .problems_title = title, .problems = d->lines, .nproblems = d->n,
                         .problems_diag = d };
    return send_forms(c, r, app, s, MHD_HTTP_UNPROCESSABLE_CONTENT, &fv);
}

enum MHD_Result h_forms(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_FORMS, &s, &ret)) return ret;
    forms_view_t fv = { 0 };
    /* After a publication or withdrawal (303): name the form, if it is one. */
    const char *pub = http_arg(c, "publicado"), *wd = http_arg(c, "retirado");
    const char *id = pub ? pub : wd;
    if (id) {
        bool plain = strlen(id) <= ROUTE_ARG_MAX;
        for (const char *p = id; *p && plain; p++)
            plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                    *p == '_' || *p == '-' || *p == '.';
        if (plain) {
            fv.flash = pub ? S_FORMS_PUBLISHED : S_FORMS_WITHDRAWN;
            fv.flash_form = id;
        }
    }
    return send_forms(c, r, app, &s, MHD_HTTP_OK, &fv);
}

/* ---- the upload ----------------------------------------------------------- */

bool http_forms_admit(struct MHD_Connection *c, req_t *r, app_t *app, enum MHD_Result *ret)
{
    staff_req_t s;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_FORMS, &s, ret)) return false;
    if (!r->forms) r->forms = app_forms_take(app);
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl && strtoull(cl, NULL, 10) > FORMS_BODY_MAX) {
        r->too_large = true;
        *ret = send_error(c, r, app, &s, MHD_HTTP_CONTENT_TOO_LARGE, S_FORMS_ERR_TOO_BIG);
        return false;
    }
    if (atomic_fetch_add(&uploads_in_flight, 1) >= UPLOAD_SLOTS) {
        atomic_fetch_sub(&uploads_in_flight, 1);
        *ret = send_error(c, r, app, &s, MHD_HTTP_SERVICE_UNAVAILABLE, S_FORMS_BUSY);
        return false;
    }
    r->upload_slot = true;
    r->max_body = FORMS_BODY_MAX;
    return true;
}

void http_forms_release(req_t *r)
{
    if (!r->upload_slot) return;
    r->upload_slot = false;
    atomic_fetch_sub(&uploads_in_flight, 1);
}

/* The file name the author gave, as problems will name it: the last part
 * of what the browser sent (old browsers send C:\\fakepath\\...), without
 * control characters (C0, C1) or the bidirectional controls that would
 * reorder the text around it on the page and in the audit log, at most
 * FILE_NAME_MAX bytes of whole characters. */
static char *clean_name(const char *sent)
{
    const char *b = sent && utf8_valid(sent, strlen(sent)) ? sent : "";
    for (const char *p = b; *p; p++)
        if (*p == '/' || *p == '\\') b = p + 1;
    buf_t o;
    buf_init(&o);
    for (const char *p = b; *p;) {
        uint32_t cp;
        size_t n = utf8_decode(p, &cp);
        if (!n || o.len + n > FILE_NAME_MAX) break;
        bool control = cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == ':' ||
                       (cp >= 0x200e && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) ||
                       (cp >= 0x2066 && cp <= 0x2069);
        if (!control) buf_append(&o, p, n);
        p += n;
    }
    char *name = buf_steal(&o);
    if (!name || !*name) {
        free(name);
        name = xstrdup("formulario.xlsx");
    }
    return name;
}

enum MHD_Result h_forms_post(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_FORMS, &s, &ret)) return ret;
    if (r->too_large) return send_error(c, r, app, &s, MHD_HTTP_CONTENT_TOO_LARGE, S_FORMS_ERR_TOO_BIG);
    http_parts_t parts;
    if (http_multipart_parse(c, &r->body, &parts) < 0) {
        http_parts_free(&parts);
        return http_send_error(c, r, app, MHD_HTTP_BAD_REQUEST);
    }
    const http_part_t *csrf = http_part_get(&parts, "_csrf");
    char token[AUTH_TOKEN_LEN + 1] = "";
    if (csrf && csrf->data.len < sizeof token) memcpy(token, csrf->data.data ? csrf->data.data : "", csrf->data.len);
    if (!auth_csrf_ok(s.token, token)) {
        http_parts_free(&parts);
        return http_staff_csrf_refused(c, r, app, &s);
    }
    const http_part_t *book = http_part_get(&parts, "workbook");
    if (!book || !book->data.len) {
        http_parts_free(&parts);
        return send_error(c, r, app, &s, MHD_HTTP_UNPROCESSABLE_CONTENT, S_FORMS_ERR_NOFILE);
    }
    if (book->data.len > FORMS_UPLOAD_MAX) {
        http_parts_free(&parts);
        return send_error(c, r, app, &s, MHD_HTTP_CONTENT_TOO_LARGE, S_FORMS_ERR_TOO_BIG);
    }
    /* An .xlsx is a zip: anything else (.xls, .ods, .csv, a photo) is
     * told so plainly rather than in the zip reader's words. */
    if (book->data.len < 4 || memcmp(book->data.data, "PK\3\4", 4)) {
        http_parts_free(&parts);
        return send_error(c, r, app, &s, MHD_HTTP_UNPROCESSABLE_CONTENT, S_FORMS_ERR_NOT_XLSX);
    }
    char *name = clean_name(book->filename);
    diag_t d = { 0 };
    int64_t draft = 0;
    store_rc_t rc = svc_forms_upload(app->forms_dir, app->store, name, book->data.data, book->data.len,
                                     s.who.name, (int64_t)time(NULL), &d, &draft);
    free(name);
    http_parts_free(&parts);
    if (rc != STORE_OK) ret = http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    else if (d.n) ret = send_problems(c, r, app, &s, S_FORMS_PROBLEMS_TITLE, &d);
    else {
        char loc[96];
        snprintf(loc, sizeof loc, "/formularios/borrador/%lld?lang=%s", (long long)draft,
                 i18n_code(http_lang(c, LANG_ES)));
        ret = http_redirect(c, r, MHD_HTTP_SEE_OTHER, loc);
    }
    diag_free(&d);
    return ret;
}

/* ---- a draft: preview and publication ----------------------------------- */

/* The draft number of the route, or 0. */
static int64_t draft_id(const req_t *r)
{
    const char *a = r->route.arg;
    if (!*a || strlen(a) > 15) return 0;
    for (const char *p = a; *p; p++)
        if (*p < '0' || *p > '9') return 0;
    return strtoll(a, NULL, 10);
}

/* The catalog with draft id published, and its form, for the handlers
 * below. Returns 0 with *cat and *f set (free *cat), else an answer
 * was queued in *ret (gone: the forms page saying so; problems: 422). */
static int draft_catalog(struct MHD_Connection *c, req_t *r, app_t *app, const staff_req_t *s,
                         int64_t id, catalog_t *cat, const form_t **f, enum MHD_Result *ret)
{
    diag_t d = { 0 };
    store_rc_t rc = STORE_NOTFOUND;
    int built = id ? svc_forms_build(app->forms_dir, app->store, id, NULL, cat, &d, &rc) : -1;
    *f = NULL;
    if (rc == STORE_OK && built == 0)
        for (size_t i = 0; i < cat->nforms && !*f; i++)
            if (cat->forms[i]->upload_id == id) *f = cat->forms[i];
    if (rc == STORE_ERR) *ret = http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    else if (rc == STORE_NOTFOUND) *ret = send_error(c, r, app, s, MHD_HTTP_NOT_FOUND, S_FORMS_DRAFT_GONE);
    /* The forms folder changed since the upload was checked. */
    else if (d.n || !*f) *ret = send_problems(c, r, app, s, S_FORMS_PROBLEMS_TITLE, &d);
    diag_free(&d);
    if (*f) return 0;
    catalog_free(cat);
    return -1;
}

/* The draft of the route into *d (free with form_pub_clear) when s may
 * see and publish it: its uploader, or an admin (another planner's draft
 * is theirs to publish: the audit log names who published, and that
 * should be who checked it). false: the answer is queued in *ret. */
static bool draft_owned(struct MHD_Connection *c, req_t *r, app_t *app, const staff_req_t *s,
                        form_pub_t *d, enum MHD_Result *ret)
{
    int64_t id = draft_id(r);
    store_rc_t rc = id ? svc_forms_draft(app->store, id, d) : STORE_NOTFOUND;
    if (rc == STORE_ERR) *ret = http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    else if (rc == STORE_NOTFOUND) *ret = send_error(c, r, app, s, MHD_HTTP_NOT_FOUND, S_FORMS_DRAFT_GONE);
    else if (strcmp(d->by, s->who.name) && s->who.role != ROLE_ADMIN) {
        form_pub_clear(d);
        *ret = send_error(c, r, app, s, MHD_HTTP_FORBIDDEN, S_FORMS_DRAFT_NOT_YOURS);
        return false;
    }
    return rc == STORE_OK;
}

enum MHD_Result h_form_draft(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_FORMS, &s, &ret)) return ret;
    int64_t id = draft_id(r);
    form_pub_t d;
    if (!draft_owned(c, r, app, &s, &d, &ret)) return ret;
    catalog_t cat;
    const form_t *f;
    if (draft_catalog(c, r, app, &s, id, &cat, &f, &ret) == 0) {
        staff_view_t v;
        char self[64];
        snprintf(self, sizeof self, "/formularios/borrador/%lld?", (long long)id);
        http_staff_view(c, &s, self, &v);
        buf_t b;
        buf_init(&b);
        render_form_draft(&b, &v, app->public_indicators, &d, f, catalog_form(&r->forms->cat, f->id, NULL));
        catalog_free(&cat);
        ret = http_send_html(c, r, MHD_HTTP_OK, &b);
    }
    form_pub_clear(&d);
    return ret;
}

enum MHD_Result h_form_preview(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_FORMS, &s, &ret)) return ret;
    form_pub_t d;
    if (!draft_owned(c, r, app, &s, &d, &ret)) return ret;
    form_pub_clear(&d);
    catalog_t cat;
    const form_t *f;
    if (draft_catalog(c, r, app, &s, draft_id(r), &cat, &f, &ret) < 0) return ret;
    char action[64];
    snprintf(action, sizeof action, "/formularios/borrador/%lld", (long long)draft_id(r));
    buf_t b;
    buf_init(&b);
    form_t *xf = form_repeat_for_post(f, NULL);   /* issue 16: one instance of each repeat */
    render_survey_preview(&b, &cat, xf ? xf : f, form_ui_lang(f, http_lang(c, LANG_ES)), action);
    form_free(xf);
    catalog_free(&cat);
    return http_send_preview(c, r, &b);
}

/* The preview's live state (the script of the framed page asks it as it
 * would the served survey's /vivo), from the draft's own catalog. */
enum MHD_Result h_form_preview_live(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!http_staff_guard(c, r, app, AUTH_ROLES_FORMS, &s, &ret)) return ret;
    form_pub_t d;
    if (!draft_owned(c, r, app, &s, &d, &ret)) return ret;
    form_pub_clear(&d);
    catalog_t cat;
    const form_t *f;
    if (draft_catalog(c, r, app, &s, draft_id(r), &cat, &f, &ret) < 0) return ret;
    ret = http_live_answer(c, r, &cat, f);
    catalog_free(&cat);
    return ret;
}

enum MHD_Result h_form_publish(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    kvlist_t form;
    enum MHD_Result ret;
    if (!http_staff_post(c, r, app, AUTH_ROLES_FORMS, &s, &form, &ret)) return ret;
    kvlist_free(&form);
    int64_t id = draft_id(r);
    form_pub_t d;
    if (!draft_owned(c, r, app, &s, &d, &ret)) return ret;
    form_pub_clear(&d);
    pthread_mutex_lock(&app->publish_mu);
    catalog_t cat;
    const form_t *f;
    if (draft_catalog(c, r, app, &s, id, &cat, &f, &ret) < 0) {
        pthread_mutex_unlock(&app->publish_mu);
        return ret;
    }
    char loc[ROUTE_ARG_MAX * 3 + 64];
    buf_t q;
    buf_init(&q);
    buf_urlenc(&q, f->id);
    snprintf(loc, sizeof loc, "/formularios?publicado=%s&lang=%s", q.data, i18n_code(http_lang(c, LANG_ES)));
    buf_free(&q);
    /* Everything that can fail is done before the commit. */
    app_forms_t *next = app_forms_prepare(app, &cat);   /* takes cat over */
    store_rc_t rc = next ? svc_forms_publish(app->store, id, s.who.name, (int64_t)time(NULL)) : STORE_ERR;
    if (rc == STORE_OK) app_forms_install(app, next);
    else app_forms_discard(next);
    pthread_mutex_unlock(&app->publish_mu);
    if (rc == STORE_NOTFOUND) return send_error(c, r, app, &s, MHD_HTTP_NOT_FOUND, S_FORMS_DRAFT_GONE);
    if (rc != STORE_OK) return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    return http_redirect(c, r, MHD_HTTP_SEE_OTHER, loc);
}

enum MHD_Result h_form_withdraw(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;
    kvlist_t form;
    enum MHD_Result ret;
    if (!http_staff_post(c, r, app, AUTH_ROLES_FORMS, &s, &form, &ret)) return ret;
    kvlist_free(&form);
    const char *fid = r->route.arg;
    pthread_mutex_lock(&app->publish_mu);
    catalog_t cat;
    diag_t d = { 0 };
    store_rc_t rc;
    int built = svc_forms_build(app->forms_dir, app->store, 0, fid, &cat, &d, &rc);
    if (rc == STORE_OK && built == 0) {
        app_forms_t *next = app_forms_prepare(app, &cat);   /* takes cat over */
        rc = next ? svc_forms_withdraw(app->store, fid, s.who.name, (int64_t)time(NULL)) : STORE_ERR;
        if (rc == STORE_OK) app_forms_install(app, next);
        else app_forms_discard(next);
    }
    catalog_free(&cat);
    pthread_mutex_unlock(&app->publish_mu);
    if (rc == STORE_ERR) ret = http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    else if (rc == STORE_OK && built < 0) ret = send_problems(c, r, app, &s, S_FORMS_WITHDRAW_BROKEN, &d);
    else if (rc == STORE_NOTFOUND) ret = http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    else {
        char loc[ROUTE_ARG_MAX * 3 + 64];
        buf_t q;
        buf_init(&q);
        buf_urlenc(&q, fid);
        snprintf(loc, sizeof loc, "/formularios?retirado=%s&lang=%s", q.data, i18n_code(http_lang(c, LANG_ES)));
        buf_free(&q);
        ret = http_redirect(c, r, MHD_HTTP_SEE_OTHER, loc);
    }
    diag_free(&d);
    return ret;
}
