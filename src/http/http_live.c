/*
 * http_live.c: POST /e/<form>/vivo, the live recalculation of a survey
 * page. www/buzon.js posts the page's answers (the same urlencoded body
 * as the survey's POST, same limits, same ?p= and lang) when the page
 * holds something its data-if fast path cannot decide (a relevance that
 * is a full expression, a calculation, a required expression, a pipe of a
 * calculated value), and gets back what the server's one expression
 * engine makes of them (view/live_out.h), as JSON.
 *
 * It stores nothing, reads no database and no cookie, and takes nothing
 * from the submission rate limit: it has a bucket of its own, more
 * generous (http_live_wait), and answers 429 with Retry-After when one
 * address floods it. Every answer, errors included, is JSON; the page
 * stays as it is on any error and the server decides on submit.
 *
 * Privacy: the answers live for the request only; nothing is logged but
 * the path.
 */
#include "http/http_int.h"

#include <time.h>
#include "model/form_repeat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/answers.h"
#include "model/form_ui.h"
#include "service/submit.h"
#include "view/live_out.h"
#include "base/urlenc.h"

/* As the survey's POST (http_survey.c). */
#define MAX_FIELDS FORM_MAX_POST_FIELDS

enum MHD_Result http_live_error(struct MHD_Connection *c, req_t *r, unsigned status)
{
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "{\"error\":%u}\n", status);
    return http_send_buf(c, r, status, &b, "application/json", "no-store");
}

static bool is_urlencoded(struct MHD_Connection *c)
{
    const char *ct = http_header_in(c, "Content-Type");
    static const char want[] = "application/x-www-form-urlencoded";
    return ct && !strncasecmp(ct, want, sizeof want - 1) &&
           (ct[sizeof want - 1] == '\0' || ct[sizeof want - 1] == ';' || ct[sizeof want - 1] == ' ');
}

enum MHD_Result h_survey_live(struct MHD_Connection *c, req_t *r, app_t *app)
{
    (void)app;
    const form_t *f = catalog_public_form(&r->forms->cat, r->route.arg, NULL);
    if (!f) return http_live_error(c, r, MHD_HTTP_NOT_FOUND);
    return http_live_serve(c, r, f);
}

enum MHD_Result http_live_serve(struct MHD_Connection *c, req_t *r, const form_t *f)
{
    unsigned wait = http_live_wait(c, r);
    if (wait) {
        buf_t b;
        buf_init(&b);
        buf_printf(&b, "{\"error\":429,\"retry_after\":%u}\n", wait);
        size_t len = b.len;
        char *data = buf_steal(&b);
        struct MHD_Response *resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
        if (!resp) { free(data); return MHD_NO; }
        char v[16];
        snprintf(v, sizeof v, "%u", wait);
        MHD_add_response_header(resp, "Retry-After", v);
        r->bytes = len;
        return http_queue(c, r, MHD_HTTP_TOO_MANY_REQUESTS, resp, "application/json", "no-store");
    }
    return http_live_answer(c, r, &r->forms->cat, f);
}

enum MHD_Result http_live_answer(struct MHD_Connection *c, req_t *r, const catalog_t *cat, const form_t *f)
{
    if (!is_urlencoded(c)) return http_live_error(c, r, MHD_HTTP_BAD_REQUEST);
    const char *p = http_arg(c, "p");
    const point_t *pt = p && *p ? points_find(&cat->points, p) : NULL;
    if (p && *p && !pt) return http_live_error(c, r, MHD_HTTP_NOT_FOUND);

    kvlist_t post;
    urlenc_rc_t prc = urlenc_parse(r->body.data ? r->body.data : "", r->body.len, MAX_FIELDS,
                                   ANSWER_MAX_BYTES, &post);
    if (prc != URLENC_OK) {
        kvlist_free(&post);
        return http_live_error(c, r, prc == URLENC_TOO_MANY || prc == URLENC_TOO_LONG
                                     ? MHD_HTTP_CONTENT_TOO_LARGE : MHD_HTTP_BAD_REQUEST);
    }
    lang_t lang = form_ui_lang(f, http_lang(c, LANG_ES));
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    form_t *xf = form_repeat_for_post(f, &post);   /* issue 16: the page's instances */
    if (xf) f = xf;
    submit_in_t in = { .form = f, .point = pt, .lang = i18n_code(lang), .channel = "web" };
    submit_prep_t sp;
    submit_keep(&post, &in, &sp);      /* the answers as posted, calculated, not judged */
    kvlist_free(&post);
    buf_t b;
    buf_init(&b);
    live_json(&b, f, &sp.answers, lang);
    answers_free(&sp.answers);
    form_free(xf);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    http_live_charge(c, r, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return http_send_buf(c, r, MHD_HTTP_OK, &b, "application/json", "no-store");
}
