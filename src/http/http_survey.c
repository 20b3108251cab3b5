/*
 * http_survey.c: the citizen pages: the list of surveys, a survey (shown
 * and answered), the thank-you page, static files and the health check.
 *
 * Privacy: no client address is read, logged or stored.
 */
#include "http/http_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/answers.h"
#include "model/form_repeat.h"
#include "model/form_ui.h"
#include "base/gz.h"
#include "http/page_cache.h"
#include "service/casework.h"
#include "service/submit.h"
#include "view/render.h"
#include "base/urlenc.h"
#include "base/utf8.h"
#include "http/http_multipart.h"
#include "model/media.h"

#define MAX_FIELDS FORM_MAX_POST_FIELDS

/* 413 for a POST with more fields than MAX_FIELDS: its own words, since
 * shortening the comments (the 413 page's advice) would not help. */
static enum MHD_Result too_many_fields(struct MHD_Connection *c, req_t *r)
{
    buf_t b;
    buf_init(&b);
    render_notice(&b, &r->forms->cat, http_lang(c, LANG_ES), S_E413_TITLE, S_E413_FIELDS);
    return http_send_html(c, r, MHD_HTTP_CONTENT_TOO_LARGE, &b);
}

/* A fresh survey page may be kept by the visitor's browser (never by a
 * shared cache) but is re-fetched on every new visit: Back after sending
 * then shows this same document, its submission id included, with the
 * answers the browser refills, so sending it again is the duplicate it is
 * (no-store made Chromium fetch a new page, with a new id, on Back). It
 * holds no answer; pages that do (the 422 page) stay no-store. */
#define SURVEY_CACHE "private, no-cache"

/* Resolve ?p= for a form page. Returns false when p is given but unknown. */
static bool lookup_point(const catalog_t *cat, const char *p, const point_t **out)
{
    *out = NULL;
    if (!p || !*p) return true;
    *out = points_find(&cat->points, p);
    return *out != NULL;
}

enum MHD_Result h_survey_get(struct MHD_Connection *c, req_t *r, app_t *app)
{
    size_t fi;
    const form_t *f = catalog_public_form(&r->forms->cat, r->route.arg, &fi);
    if (!f) return http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    const point_t *pt;
    int form_default = i18n_parse(f->lang_code[f->default_lang]);
    lang_t lang = form_ui_lang(f, http_lang(c, form_default >= 0 ? (lang_t)form_default : LANG_ES));
    if (!lookup_point(&r->forms->cat, http_arg(c, "p"), &pt))
        return http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    char sid[SUBMIT_SID_FRESH + 1];
    submit_new_sid(sid);
    time_t now = time(NULL);
    /* issue 16: lists shuffled per visit: this visit's own page. */
    if (form_orders_per_visit(f)) {
        buf_t p, b;
        buf_init(&p);
        size_t at;
        /* Its repeats expanded, as every other page (review: without it a
         * repeat's answers were posted under the loaded form's names and
         * dropped). */
        form_t *xf = form_repeat_for_post(f, NULL);
        render_survey_visit(&p, &r->forms->cat, xf ? xf : f, pt, lang, sid, &at);
        form_free(xf);
        buf_init(&b);
        buf_append(&b, p.data, at);
        render_survey_fields(&b, sid, (long)now);
        buf_append(&b, p.data + at, p.len - at);
        buf_free(&p);
        if (http_share_crawler(c)) http_share_splice(&b, f, pt, lang);   /* issue 17 */
        return http_send_buf(c, r, MHD_HTTP_OK, &b, "text/html; charset=utf-8", SURVEY_CACHE);
    }
    const page_t *page = page_cache_get(r->forms->pages, fi, pt, lang);

    /* Most visitors accept gzip: the page was compressed once, around its
     * fields, so only the fields are added, as a stored (uncompressed)
     * block (page_cache.h, gz.h). */
    bool share = http_share_crawler(c);   /* issue 17: a link preview's fetch */
    if (page->gz_ok && http_gzip_ok(c) && !share) {
        buf_t fields, z;
        buf_init(&fields);
        buf_init(&z);
        render_survey_fields(&fields, sid, (long)now);
        gz_splice_write(&page->gz, fields.data, fields.len, &z);
        buf_free(&fields);
        return http_send_gzipped(c, r, MHD_HTTP_OK, &z, "text/html; charset=utf-8", SURVEY_CACHE);
    }

    /* One copy into one buffer, sized once: libmicrohttpd 0.9.75 then
     * sends headers and body in one writev, where an iovec response
     * (tried: zero-copy from the cache) went out in two writes, 27%
     * slower under load. */
    buf_t b;
    buf_init(&b);
    http_body_reserve(&b, page->len + RENDER_FIELDS_MAX);
    buf_append(&b, page->html, page->fields_at);
    render_survey_fields(&b, sid, (long)now);
    buf_append(&b, page->html + page->fields_at, page->len - page->fields_at);
    if (share) http_share_splice(&b, f, pt, lang);
    return http_send_buf(c, r, MHD_HTTP_OK, &b, "text/html; charset=utf-8", SURVEY_CACHE);
}

static bool is_urlencoded(struct MHD_Connection *c)
{
    const char *ct = http_header_in(c, "Content-Type");
    if (!ct) return false;
    static const char want[] = "application/x-www-form-urlencoded";
    return !strncasecmp(ct, want, sizeof want - 1) &&
           (ct[sizeof want - 1] == '\0' || ct[sizeof want - 1] == ';' || ct[sizeof want - 1] == ' ');
}

/* issue 16, media: a multipart post (a form with a photo) as the same
 * answers a urlencoded one gives (post: each plain part, whole UTF-8
 * without NUL, at most ANSWER_MAX_BYTES) and its file parts (files, n in
 * *nfiles, pointing into parts). 0; 400 malformed; 413 a value or a file
 * too large (SURVEY_MEDIA_FILE_MAX). post and files are the caller's to
 * free (kvlist_free, free) whatever it returns. */
static unsigned post_from_parts(const form_t *f, const http_parts_t *parts, kvlist_t *post,
                                submit_file_t **files, size_t *nfiles)
{
    *post = (kvlist_t){ 0 };
    *files = xcalloc(parts->n ? parts->n : 1, sizeof **files);
    *nfiles = 0;
    if (parts->n > MAX_FIELDS) return MHD_HTTP_CONTENT_TOO_LARGE;
    post->items = xcalloc(parts->n ? parts->n : 1, sizeof *post->items);
    post->cap = parts->n;
    for (size_t i = 0; i < parts->n; i++) {
        const http_part_t *p = &parts->v[i];
        const char *d = p->data.data ? p->data.data : "";
        if (p->filename) {
            /* issue 16: each file by its question's limit (media.h). */
            const question_t *q = form_repeat_loaded(f, p->name);
            if (p->data.len > (q ? media_max_bytes(q->type) : SURVEY_MEDIA_FILE_MAX))
                return MHD_HTTP_CONTENT_TOO_LARGE;
            (*files)[(*nfiles)++] = (submit_file_t){ p->name, d, p->data.len };
            continue;
        }
        if (p->data.len > ANSWER_MAX_BYTES) return MHD_HTTP_CONTENT_TOO_LARGE;
        if (memchr(d, '\0', p->data.len) || !utf8_valid(d, p->data.len) ||
            !utf8_valid(p->name, strlen(p->name)))
            return MHD_HTTP_BAD_REQUEST;
        char *v = xmalloc(p->data.len + 1);
        memcpy(v, d, p->data.len);
        v[p->data.len] = '\0';
        post->items[post->n++] = (kv_t){ xstrdup(p->name), v };
    }
    return 0;
}

/* A valid answer on its way to the database (see h_survey_post). */
typedef struct post_job {
    submission_t *sub;        /* the answer, for the store (service/submit.h) */
    char         *thanks;     /* where to send the citizen */
    form_t       *xf;         /* the expanded form the answer's names are
                                 from (issue 16), or NULL */
} post_job_t;

static void post_job_free(void *p)
{
    post_job_t *job = p;
    submission_free(job->sub);
    form_free(job->xf);
    free(job->thanks);
    free(job);
}

/* The store's writer thread: the batch holding this answer is durable. */
static void post_stored(void *arg, store_rc_t rc)
{
    (void)rc;   /* kept in the submission */
    http_resume(arg);
}

/* Seconds a visitor is asked to wait when the database is lost: someone
 * has to restart the server. */
#define UNSAVED_RETRY_S 300

/* The 503 page of an answer not stored because the database files are
 * no longer the ones at their path (service/db.h, svc_db_lost), with
 * Retry-After: never a "recibido" from then on. */
static enum MHD_Result send_unsaved(struct MHD_Connection *c, req_t *r)
{
    buf_t b;
    buf_init(&b);
    render_unsaved(&b, http_lang(c, LANG_ES));
    size_t len = b.len;
    char *data = buf_steal(&b);
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!resp) { free(data); return MHD_NO; }
    char v[16];
    snprintf(v, sizeof v, "%u", UNSAVED_RETRY_S);
    MHD_add_response_header(resp, "Retry-After", v);
    r->bytes = len;
    return http_queue(c, r, MHD_HTTP_SERVICE_UNAVAILABLE, resp, "text/html; charset=utf-8", NULL);
}

/* Back on a server thread: answer as the store decided. A duplicate
 * submission answers exactly as the first did. */
static enum MHD_Result post_answer(struct MHD_Connection *c, req_t *r, app_t *app)
{
    post_job_t *job = r->job;
    if (submission_rc(job->sub) == STORE_ERR)
        return svc_db_lost(app->store) ? send_unsaved(c, r)
                                       : http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    /* The thank-you page shows the tracking code of the case (also the
     * first copy's, for a duplicate). The fragment replaces the form's
     * #errores and takes people without JavaScript, screen readers
     * included, straight to the confirmation. */
    buf_t loc;
    buf_init(&loc);
    buf_puts(&loc, job->thanks);
    const char *code = submission_case_code(job->sub);
    if (code[0]) buf_printf(&loc, "&c=%s", code);
    buf_puts(&loc, "#recibido");
    enum MHD_Result ret = http_redirect(c, r, MHD_HTTP_SEE_OTHER, loc.data);
    buf_free(&loc);
    return ret;
}

/* The survey page again with sp's answers (and their errors, or, when wait
 * > 0, the notice to wait that long) and its submission id and start
 * time: sent with status, or as a 429 with Retry-After when wait > 0.
 * A register's page (via->staff) is http_register_page. Frees sp's
 * answers. */
static enum MHD_Result send_again(struct MHD_Connection *c, req_t *r,
                                  const form_t *f, const point_t *pt, lang_t lang, submit_prep_t *sp,
                                  unsigned wait, unsigned status, const survey_via_t *via)
{
    buf_t b;
    buf_init(&b);
    size_t at;
    sp->answers.order_key = sp->sid;   /* issue 16: the same order as before */
    if (via->staff) http_register_page(&b, r, f, lang, &sp->answers, via->staff->csrf, NULL, &at);
    else render_survey_wait(&b, &r->forms->cat, f, pt, lang, &sp->answers, wait, &at);
    buf_t page;
    buf_init(&page);
    buf_append(&page, b.data, at);
    render_survey_fields(&page, sp->sid, sp->started);
    buf_append(&page, b.data + at, b.len - at);
    buf_free(&b);
    answers_free(&sp->answers);
    return wait ? http_send_retry(c, r, &page, wait) : http_send_html(c, r, status, &page);
}

enum MHD_Result h_survey_post(struct MHD_Connection *c, req_t *r, app_t *app)
{
    size_t fi;
    const form_t *f = catalog_public_form(&r->forms->cat, r->route.arg, &fi);
    if (!f) return http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    return http_survey_answer(c, r, app, f, fi, &(survey_via_t){ .channel = "web" });
}

enum MHD_Result http_survey_answer(struct MHD_Connection *c, req_t *r, app_t *app, const form_t *f,
                                   size_t fi, const survey_via_t *via)
{
    lang_t lang = form_ui_lang(f, http_lang(c, LANG_ES));
    /* A form with a photo is sent as multipart (issue 16); every form
     * may come urlencoded (a photo question then simply has no file). */
    kvlist_t post;
    http_parts_t parts = { 0 };
    submit_file_t *files = NULL;
    size_t nfiles = 0;
    if (!is_urlencoded(c)) {
        if (!r->media_form) return http_send_error(c, r, app, MHD_HTTP_BAD_REQUEST);
        if (http_multipart_parse(c, &r->body, &parts) < 0) {
            http_parts_free(&parts);
            return http_send_error(c, r, app, MHD_HTTP_BAD_REQUEST);
        }
        unsigned bad = post_from_parts(f, &parts, &post, &files, &nfiles);
        if (bad) {
            kvlist_free(&post);
            free(files);
            bool many = parts.n > MAX_FIELDS;
            http_parts_free(&parts);
            if (many) return too_many_fields(c, r);
            return bad == MHD_HTTP_CONTENT_TOO_LARGE ? http_survey_too_big(c, r, app)
                                                     : http_send_error(c, r, app, bad);
        }
    } else {
        urlenc_rc_t prc = urlenc_parse(r->body.data ? r->body.data : "", r->body.len, MAX_FIELDS,
                                       ANSWER_MAX_BYTES, &post);
        if (prc == URLENC_TOO_MANY) {
            kvlist_free(&post);
            return too_many_fields(c, r);
        }
        if (prc != URLENC_OK) {
            kvlist_free(&post);
            return http_send_error(c, r, app, prc == URLENC_TOO_MANY || prc == URLENC_TOO_LONG
                                             ? MHD_HTTP_CONTENT_TOO_LARGE : MHD_HTTP_BAD_REQUEST);
        }
    }

    /* issue 18: a register's post carries the session's CSRF token. */
    if (via->staff && !auth_csrf_ok(via->staff->token, kvlist_get(&post, "_csrf"))) {
        kvlist_free(&post);
        free(files);
        http_parts_free(&parts);
        return http_staff_csrf_refused(c, r, app, via->staff);
    }
    const point_t *pt;
    if (!lookup_point(&r->forms->cat, http_arg(c, "p"), &pt)) {
        kvlist_free(&post);
        free(files);
        http_parts_free(&parts);
        return http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    }

    buf_t thanks;
    buf_init(&thanks);
    if (via->done) {
        buf_printf(&thanks, "%s&lang=%s", via->done, i18n_code(lang));   /* issue 18 */
    } else {
        buf_puts(&thanks, "/e/");
        buf_urlenc(&thanks, f->id);
        buf_printf(&thanks, "/gracias?lang=%s", i18n_code(lang));
    }
    enum MHD_Result ret;

    /* Repeats (issue 16): the form with as many instances as the page
     * had, or asks for with its add and remove buttons; those buttons
     * show the page again, as the language switch does. */
    form_t *xf = form_repeat_for_post(f, &post);
    if (xf) f = xf;
    submit_in_t in = { .form = f, .form_version_id = r->forms->form_version_id[fi], .point = pt,
                       .lang = i18n_code(lang), .channel = via->channel, .files = files, .nfiles = nfiles,
                       .entered_by = via->staff ? via->staff->who.name : NULL };
    submit_prep_t sp;
    /* The language switch is a button of the form (`_lang`): the answers
     * given so far come back in the other language, nothing is judged or
     * stored. The rate limit keeps the answers too, and says how long to
     * wait, as Retry-After does. */
    unsigned wait = 0;
    char seen_code[16];
    /* issue 18: staff entering a register are known and never wait. */
    bool citizen = !via->staff;
    if (citizen && !kvlist_get(&post, "_lang") && !form_repeat_button(&post) && (wait = http_submit_wait(c, r)) &&
        !svc_db_lost(app->store) && submit_seen(app->store, &post, seen_code)) {
        /* Back and "send" again while the address waits: the answer is
         * already stored, so the same thank-you, not the wait (never once
         * the database is lost: what it holds may not survive). */
        if (seen_code[0]) buf_printf(&thanks, "&c=%s", seen_code);
        buf_puts(&thanks, "#recibido");
        ret = http_redirect(c, r, MHD_HTTP_SEE_OTHER, thanks.data);
        goto out;
    }
    /* A re-render (language switch, "Actualizar opciones") renders a
     * whole page uncached: it draws on the live bucket, so a flood of them
     * from one address is told to wait like a flood of answers. */
    if (citizen && (kvlist_get(&post, "_lang") || form_repeat_button(&post)) && !wait) wait = http_live_wait(c, r);
    if (kvlist_get(&post, "_lang") || form_repeat_button(&post) || wait) {
        submit_keep(&post, &in, &sp);
        ret = send_again(c, r, f, pt, lang, &sp, wait, MHD_HTTP_OK, via);
        goto out;
    }
    switch (submit_prepare(&post, &in, &r->forms->cat.carta, &r->forms->cat.holidays, time(NULL), &sp)) {
    case SUBMIT_BOT:
        /* A bot filled the field people cannot see: answer as if stored. */
        buf_puts(&thanks, "#recibido");
        ret = http_redirect(c, r, MHD_HTTP_SEE_OTHER, thanks.data);
        goto out;
    case SUBMIT_INVALID: {
        ret = send_again(c, r, f, pt, lang, &sp, 0, MHD_HTTP_UNPROCESSABLE_CONTENT, via);
        goto out;
    }
    case SUBMIT_READY:
        break;
    }

    /* Nothing is taken once the database is lost (issue 14). */
    if (svc_db_lost(app->store)) {
        submission_free(sp.sub);
        ret = send_unsaved(c, r);
        goto out;
    }
    /* Everything the store needs moves into a job owned by the request:
     * the connection is suspended until the answer's batch is durable. */
    post_job_t *job = xcalloc(1, sizeof *job);
    job->sub = sp.sub;
    job->thanks = buf_steal(&thanks);
    job->xf = xf;
    xf = NULL;
    r->job = job;
    r->job_free = post_job_free;
    kvlist_free(&post);
    free(files);                 /* the photos were re-encoded into job->sub */
    http_parts_free(&parts);
    if (http_suspend(c, r, post_answer)) {
        submission_store_async(app->store, job->sub, post_stored, r);
        return MHD_YES;
    }
    submission_store(app->store, job->sub);   /* shutting down */
    return post_answer(c, r, app);
out:
    buf_free(&thanks);
    kvlist_free(&post);
    free(files);
    http_parts_free(&parts);
    form_free(xf);
    return ret;
}

enum MHD_Result h_static(struct MHD_Connection *c, req_t *r, app_t *app)
{
    const static_file_t *sf = app_file(app, r->route.arg);
    if (!sf) return http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    bool gz = sf->gz && gz_accepted(http_header_in(c, "Accept-Encoding"));
    const char *etag = gz ? sf->etag_gz : sf->etag;
    const char *inm = http_header_in(c, "If-None-Match");
    bool fresh = inm && !strcmp(inm, etag);
    unsigned status = fresh ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK;
    r->bytes = fresh ? 0 : gz ? sf->gz_len : sf->len;
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        r->bytes, fresh ? (void *)"" : gz ? sf->gz : sf->data, MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    if (gz && !fresh) MHD_add_response_header(resp, "Content-Encoding", "gzip");
    MHD_add_response_header(resp, "ETag", etag);
    /* issue 17: the service worker lives under /s/ with the other files,
     * but answers for the whole site (its scope "/" covers /e/). Its own
     * copy is checked on every visit (no-cache), so a new one takes over. */
    if (!strcmp(sf->name, "sw.js")) {
        MHD_add_response_header(resp, "Service-Worker-Allowed", "/");
        return http_queue(c, r, status, resp, sf->type, "no-cache");
    }
    return http_queue(c, r, status, resp, sf->type, "public, max-age=86400");
}

enum MHD_Result h_index(struct MHD_Connection *c, req_t *r, app_t *app)
{
    (void)app;
    buf_t b;
    buf_init(&b);
    render_index(&b, &r->forms->cat, http_lang(c, LANG_ES));
    return http_send_html(c, r, MHD_HTTP_OK, &b);
}

/* 200 "ok", or 503 and why once the database files are no longer the
 * ones at their path (issue 14): a supervisor's cue to restart. */
enum MHD_Result h_health(struct MHD_Connection *c, req_t *r, app_t *app)
{
    buf_t b;
    buf_init(&b);
    const char *lost = svc_db_lost(app->store);
    if (lost) buf_printf(&b, "database lost: %s; restart buzon\n", lost);
    else buf_puts(&b, "ok\n");
    return http_send_buf(c, r, lost ? MHD_HTTP_SERVICE_UNAVAILABLE : MHD_HTTP_OK, &b,
                         "text/plain; charset=utf-8", "no-store");
}

enum MHD_Result h_thanks(struct MHD_Connection *c, req_t *r, app_t *app)
{
    const form_t *f = catalog_public_form(&r->forms->cat, r->route.arg, NULL);
    if (!f) return http_send_error(c, r, app, MHD_HTTP_NOT_FOUND);
    const point_t *pt;
    lookup_point(&r->forms->cat, http_arg(c, "p"), &pt);
    /* ?c= names the case the answer opened; shown only if it exists. */
    char code[CASE_CODE_LEN + 1];
    case_rec_t kase;
    const char *carg = http_arg(c, "c");
    bool has_case = carg && case_code_normalize(carg, code) == 0 &&
                    casework_get(app->store, code, &kase) == STORE_OK;
    buf_t b;
    buf_init(&b);
    render_thanks(&b, &r->forms->cat, app->base_url, f, pt, form_ui_lang(f, http_lang(c, LANG_ES)),
                  has_case ? &kase : NULL);
    if (has_case) case_rec_free(&kase);
    return http_send_html(c, r, MHD_HTTP_OK, &b);
}
