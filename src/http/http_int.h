/*
 * http_int.h: what the handler files of the server share (private to
 * src/http*.c). Each handler file serves one concern (citizen pages, API,
 * posters, staff...) and registers its functions in the table in http.c.
 *
 * A handler answers by queueing exactly one response with the http_send_*
 * helpers and returns their result. Body buffers passed to them are taken
 * over (the caller's buf_t is left empty).
 */
#ifndef BUZON_HTTP_INT_H
#define BUZON_HTTP_INT_H

#include <microhttpd.h>
#include <stdbool.h>
#include <time.h>

#include "http/app.h"
#include "service/forms.h"
#include "model/auth.h"
#include "base/buf.h"
#include "http/http.h"
#include "http/http_route.h"
#include "base/i18n.h"
#include "base/urlenc.h"

#include <jansson.h>

/* The staff session cookie (http_staff.c sets and reads it; the heavy
 * routes look for it before taking a slot). */
#define SESSION_COOKIE "buzon_s"

/* Per-request state, created on the first call of the access handler and
 * freed in the completion callback (http.c). */
typedef struct req {
    char            method[16]; /* for the log; a longer one is logged as OTHER */
    bool            is_get;     /* GET or HEAD */
    struct timespec t0;
    route_t         route;
    buf_t           body;       /* request body, at most max_body bytes */
    bool            too_large;
    size_t          max_body;   /* this request's limit (http.c) */
    bool            upload_slot; /* holds one of http_forms.c's slots */
    bool            media_form;  /* issue 16: a survey with a photo question (http_media.c) */
    int             media_slot;  /* 1 + the http_media.c slot it holds, or 0 */
    bool            is_post;    /* method is POST (else GET or HEAD) */
    unsigned        status;     /* for the log; non-zero once answered */
    size_t          bytes;
    /* session 23: the Vary header of the response when it depends on more
     * than Accept-Encoding (a static string; NULL: "Accept-Encoding"). */
    const char     *vary;
    struct http_server *srv;
    struct MHD_Connection *conn;
    /* The forms this request sees from dispatch to its end (app.h); NULL
     * for a request refused before dispatch. */
    app_forms_t    *forms;
    /* Set while the request is suspended (http_suspend): called to answer
     * once it is resumed. */
    enum MHD_Result (*resume)(struct MHD_Connection *c, struct req *r, app_t *app);
    void           *job;        /* a handler's state across suspension */
    void          (*job_free)(void *job);
    /* A heavy request (http_heavy.c) runs its handler on a worker with
     * hold set: its response is kept in held (status held_status) and
     * queued once the connection is resumed. */
    struct heavy_job *heavy;
    bool            hold;
    unsigned        held_status;
    struct MHD_Response *held;
    char            url[];      /* the decoded path (libmicrohttpd strips the query) */
} req_t;

typedef enum MHD_Result (*http_handler_fn)(struct MHD_Connection *c, req_t *r, app_t *app);

/* ---- waiting without holding a thread (http.c) ----
 * http_suspend parks the connection until http_resume(r) is called (from
 * any thread, e.g. the store's writer); then resume(c, r, app) answers.
 * Returns false when the server is shutting down: do the work
 * synchronously and answer now instead. After http_resume, r must not be
 * touched by the caller. */
bool http_suspend(struct MHD_Connection *c, req_t *r, http_handler_fn resume);
void http_resume(req_t *r);

/* ---- responses (http_respond.c) ---- */
/* buf_reserve(b, n) for a response body about to be built in an empty b,
 * from this thread's spare page-sized buffer when it has one (a body that
 * libmicrohttpd has sent leaves its buffer as the spare): the survey page
 * then allocates no 16 KB block per view. b stays the caller's, as after
 * buf_reserve. */
void http_body_reserve(buf_t *b, size_t n);
enum MHD_Result http_send_buf(struct MHD_Connection *c, req_t *r, unsigned status, buf_t *body,
                              const char *type, const char *cache);
/* Add the usual headers (type, cache, Vary, security) to resp, queue it
 * and release the caller's reference. For responses built otherwise than
 * from one buffer. */
enum MHD_Result http_queue(struct MHD_Connection *c, req_t *r, unsigned status,
                           struct MHD_Response *resp, const char *type, const char *cache);
enum MHD_Result http_send_html(struct MHD_Connection *c, req_t *r, unsigned status, buf_t *body);
/* http_send_buf as a download saved under filename (plain ASCII, no
 * quotes): Content-Disposition: attachment. */
enum MHD_Result http_send_file(struct MHD_Connection *c, req_t *r, unsigned status, buf_t *body,
                               const char *type, const char *cache, const char *filename);
/* Large downloads (http_download.c): a new unlinked temporary file to
 * write one into (NULL after a message on stderr), and that file, taken
 * over (closed whatever happens), sent as a 200 download without reading
 * it into memory (an error page when it cannot be). */
FILE *http_download_new(void);
/* Put all of src (another http_download_new file, flushed) at the end of
 * dst, in the kernel where it can (copy_file_range). 0, or -1 after a
 * message on stderr. Both stay the caller's. */
int http_download_append(FILE *dst, FILE *src);
enum MHD_Result http_send_download(struct MHD_Connection *c, req_t *r, const app_t *app, FILE *f,
                                   const char *type, const char *filename);
/* Queue a body that is already a gzip member (taken over), marked so. Only
 * for clients for which http_gzip_ok() holds. */
enum MHD_Result http_send_gzipped(struct MHD_Connection *c, req_t *r, unsigned status,
                                  buf_t *gzipped, const char *type, const char *cache);
/* The client accepts gzip (Accept-Encoding). */
bool http_gzip_ok(struct MHD_Connection *c);
/* Takes over root (json_decref'd). */
enum MHD_Result http_send_json(struct MHD_Connection *c, req_t *r, unsigned status, json_t *root);
enum MHD_Result http_redirect(struct MHD_Connection *c, req_t *r, unsigned status, const char *location);
/* The error page for status in the visitor's language. */
enum MHD_Result http_send_error(struct MHD_Connection *c, req_t *r, const app_t *app, unsigned status);
/* Headers every response carries (CSP and friends). */
void http_common_headers(struct MHD_Response *resp);
/* ?lang=, then Accept-Language, then fallback. */
lang_t http_lang(struct MHD_Connection *c, lang_t fallback);
/* Query argument or NULL. */
const char *http_arg(struct MHD_Connection *c, const char *key);
/* Request header or NULL. */
const char *http_header_in(struct MHD_Connection *c, const char *name);
/* The bytes that identify the client for per-address limits, in out:
 * the IPv4 address (4 bytes) or the /64 of an IPv6 one (8 bytes); 0 when
 * unknown. Behind a reverse proxy on this machine every request comes from
 * a loopback address, so then the last element of the last X-Forwarded-For
 * line (the address the proxy appended; earlier lines and elements may be
 * the client's own) is used; the header is ignored from anywhere else, where
 * it could be forged. Callers keep the result only as a keyed hash in
 * memory: never log or store it (Ley 172-13). */
size_t http_client_key(struct MHD_Connection *c, unsigned char out[16]);

/* Seconds the client of c must wait before submitting a survey again, 0
 * if it may submit now (which uses up one of its submissions: ratelimit.h;
 * http.c). */
unsigned http_submit_wait(struct MHD_Connection *c, req_t *r);
/* The same for live recalculations (POST /e/<form>/vivo, http_live.c),
 * in a bucket of their own, so they never use up a submission: a page
 * asks after each pause in typing, and carrier-grade NAT puts many
 * phones behind one address, hence generous; a flood still gets 429. */
#define LIVE_PER_MIN 600
#define LIVE_BURST   120
unsigned http_live_wait(struct MHD_Connection *c, req_t *r);
/* Charge the client of c for a live answer (or re-render) that took
 * seconds of work: a costly form's answers use up the live bucket
 * faster (review: a crafted form cost 0.5 s a request at 600 a minute). */
void http_live_charge(struct MHD_Connection *c, req_t *r, double seconds);
/* A 429 page (taken over) with Retry-After: retry_after (http.c). */
enum MHD_Result http_send_retry(struct MHD_Connection *c, req_t *r, buf_t *page, unsigned retry_after);

/* ---- citizen pages (http_survey.c) ---- */
enum MHD_Result h_index(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_health(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_static(struct MHD_Connection *c, req_t *r, app_t *app);
/* issue 17: sharing (http_share.c) */
enum MHD_Result h_favicon(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_manifest(struct MHD_Connection *c, req_t *r, app_t *app);
/* Whether the request comes from a link-preview fetcher (its User-Agent). */
bool http_share_crawler(struct MHD_Connection *c);
/* page (a survey page of f at pt in lang) with its Open Graph tags. */
void http_share_splice(buf_t *page, const form_t *f, const point_t *pt, lang_t lang);
enum MHD_Result h_survey_get(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_survey_post(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_thanks(struct MHD_Connection *c, req_t *r, app_t *app);

/* ---- issue 18: the answer path of a survey, shared with the registers
 * (http_registers.c): parse the post (urlencoded or multipart), judge it
 * with the submit service, show the page again with its errors or store
 * it (suspending until durable) and redirect. via says what differs. */
typedef struct survey_via {
    const char *channel;            /* responses.channel: "web", "registro" */
    const struct staff_req *staff;  /* the member of staff entering a register
                                       entry (its author in the audit log; the
                                       post must carry the session's CSRF token;
                                       never rate limited); NULL: a citizen */
    const char *done;               /* where a stored entry goes, with a query
                                       ("/registros?hecho=<form>"); NULL: the
                                       thank-you page */
} survey_via_t;
enum MHD_Result http_survey_answer(struct MHD_Connection *c, req_t *r, app_t *app, const form_t *f,
                                   size_t fi, const survey_via_t *via);
/* The staff registers (http_registers.c, issue 18). */
enum MHD_Result h_registers(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_register_get(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_register_post(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_register_live(struct MHD_Connection *c, req_t *r, app_t *app);
/* A register's page (f, with the answers a or NULL: fresh, its lists
 * ordered by sid) for staff: the survey page as staff enter it
 * (render_survey_entry: compact, the language switch a link, never queued
 * offline), posted as multipart (its evidence) to /registros/<form> with
 * the session's CSRF token csrf, live state at /registros/<form>/vivo.
 * *fields_at as render_survey's. */
void http_register_page(buf_t *out, const req_t *r, const form_t *f, lang_t lang, const answers_t *a,
                        const char *csrf, const char *sid, size_t *fields_at);
enum MHD_Result h_register_entries(struct MHD_Connection *c, req_t *r, app_t *app);   /* issue 18 follow-up */

/* ---- API (http_api.c) ---- */
enum MHD_Result h_api_forms(struct MHD_Connection *c, req_t *r, app_t *app);

/* ---- indicators (http_indicators.c) ---- */
enum MHD_Result h_api_indicators(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_api_indicators_csv(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_api_indicators_xlsx(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_dashboard(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_plan(struct MHD_Connection *c, req_t *r, app_t *app);
/* issue 18: /indicadores/plan/informe.pdf|.xlsx?from&to&lang */
enum MHD_Result h_plan_pdf(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_plan_xlsx(struct MHD_Connection *c, req_t *r, app_t *app);

/* ---- posters and short links (http_posters.c) ---- */
enum MHD_Result h_short(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_posters(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_poster_file(struct MHD_Connection *c, req_t *r, app_t *app);

/* ---- staff area (http_staff.c) ----
 * Every staff handler starts with the guard (one line), e.g.
 *     staff_req_t s; enum MHD_Result ret;
 *     if (!http_staff_guard(c, r, app, ROLES_ANY, &s, &ret)) return ret;
 * Role sets are in auth.h (ROLES_ANY, AUTH_ROLES_CASES, ...). */
typedef struct staff_req {
    staff_t who;
    char    token[AUTH_TOKEN_LEN + 1];   /* the session cookie */
    char    csrf[AUTH_TOKEN_LEN + 1];    /* the session's CSRF token */
} staff_req_t;
/* true: a live session whose role is in roles asked; *s says who. false:
 * the answer is queued and in *ret: without a session a page redirects
 * (303) to /login?next=<path> and an /api/ call gets 401; with a role not
 * in roles, 403. */
bool http_staff_guard(struct MHD_Connection *c, req_t *r, app_t *app, unsigned roles,
                      staff_req_t *s, enum MHD_Result *ret);
/* The guard for a staff form's POST: also parses the urlencoded body into
 * *form (caller frees on true) and checks its _csrf field (403 when
 * missing or wrong). */
bool http_staff_post(struct MHD_Connection *c, req_t *r, app_t *app, unsigned roles,
                     staff_req_t *s, kvlist_t *form, enum MHD_Result *ret);
/* The 403 page of a staff form posted without its session's CSRF token
 * (for handlers that parse their body themselves). */
enum MHD_Result http_staff_csrf_refused(struct MHD_Connection *c, req_t *r, const app_t *app,
                                       const staff_req_t *s);
/* Fill a render_staff.h view for s; self is the page's path and query
 * without lang, ending in '?' or '&'. */
struct staff_view;
void http_staff_view(struct MHD_Connection *c, const staff_req_t *s, const char *self,
                     struct staff_view *v);
enum MHD_Result h_login_get(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_login_post(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_logout(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_panel(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_users(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_users_post(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_audit(struct MHD_Connection *c, req_t *r, app_t *app);

/* ---- forms published from the browser (http_forms.c) ----
 * The upload's body may be far larger than any other (FORMS_BODY_MAX), so
 * it is admitted before it is read: http_forms_admit, on the request's
 * first call, answers (and returns false) unless a member of staff who may
 * publish sends it, it fits, and an upload slot is free; the slot is given
 * back by http_forms_release when the request ends. */
#define FORMS_BODY_MAX (FORMS_UPLOAD_MAX + 64 * 1024)
bool http_forms_admit(struct MHD_Connection *c, req_t *r, app_t *app, enum MHD_Result *ret);
void http_forms_release(req_t *r);
enum MHD_Result h_forms(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_forms_post(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_form_draft(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_form_publish(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_form_preview(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_form_withdraw(struct MHD_Connection *c, req_t *r, app_t *app);
/* The survey form f's page as a preview: framed by this site only, its
 * forms posting nowhere (http_respond.c). */
enum MHD_Result http_send_preview(struct MHD_Connection *c, req_t *r, buf_t *body);
/* The live JSON (http_live.c) for form f of cat from the request's
 * urlencoded answers: POST /e/<form>/vivo, and a draft's preview. */
enum MHD_Result http_live_answer(struct MHD_Connection *c, req_t *r, const catalog_t *cat,
                                 const form_t *f);
/* issue 18: http_live_answer for form f of the request's catalog, after
 * the live bucket of the address (http_live_wait: a JSON 429 with
 * Retry-After when it floods): /e/<form>/vivo and /registros/<form>/vivo. */
enum MHD_Result http_live_serve(struct MHD_Connection *c, req_t *r, const form_t *f);
enum MHD_Result h_form_preview_live(struct MHD_Connection *c, req_t *r, app_t *app);
/* Responses per form of cat (malloc'd, one per form), or NULL on a
 * database error (http_api.c). */
int64_t *http_form_counts(app_t *app, const catalog_t *cat);

/* ---- cases (http_cases.c) and response downloads (http_export.c) ---- */
enum MHD_Result h_cases(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_case_get(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_case_post(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_track_form(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_track(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_responses_csv(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_responses_xlsx(struct MHD_Connection *c, req_t *r, app_t *app);

/* ---- live recalculation of a survey page (http_live.c) ---- */
enum MHD_Result h_survey_live(struct MHD_Connection *c, req_t *r, app_t *app);
/* issue 16, media (http_media.c): a survey whose form has a photo question
 * may send SURVEY_MEDIA_BODY_MAX bytes when the body is multipart and over
 * the usual limit (sets r->media_form; the first call
 * of a POST to /e/<form>, before the body is read); its 413 page says what
 * was too large; a response's photo, for AUTH_ROLES_CASES. */
#define SURVEY_MEDIA_BODY_MAX (10u * 1024 * 1024)
#define SURVEY_MEDIA_FILE_MAX (5u * 1024 * 1024)
/* false: refused (503, at most a few such bodies at once), *ret queued. */
bool http_survey_admit(struct MHD_Connection *c, req_t *r, app_t *app, enum MHD_Result *ret);
void http_survey_release(req_t *r);
enum MHD_Result http_survey_too_big(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_media(struct MHD_Connection *c, req_t *r, app_t *app);
/* issue 18: who may read the answers and files of form form_id (its media,
 * its CSV and XLSX exports): the register roles (AUTH_ROLES_REGISTERS) for
 * a staff register, the case roles (AUTH_ROLES_CASES) for a public form or
 * one the catalog does not hold. Takes r->forms when not yet taken. */
unsigned http_form_readers(req_t *r, app_t *app, const char *form_id);
/* GET /e/<form>/imagen?f=<file>: a choice's picture (http_media.c, issue 16). */
enum MHD_Result h_survey_image(struct MHD_Connection *c, req_t *r, app_t *app);
/* ---- answers entered by staff (http_entry.c, issue 17) ---- */
enum MHD_Result h_entry(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_entry_form(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_entry_post(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_interviews(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_interview(struct MHD_Connection *c, req_t *r, app_t *app);
enum MHD_Result h_interview_post(struct MHD_Connection *c, req_t *r, app_t *app);

/* A JSON error {"error":status} for the live route (http_send_error
 * answers with it there). Takes nothing over. */
enum MHD_Result http_live_error(struct MHD_Connection *c, req_t *r, unsigned status);

#endif
