/*
 * render_staff.h: the HTML of the staff area (login, home, cases inbox and
 * case page, users, audit log); the posters page is render_posters.h. The
 * citizen's side of a case is render_cases.h.
 *
 * Same rules as render.h: server-rendered, complete without JavaScript,
 * no inline script or style (the CSP forbids them), every value escaped,
 * every text from the strings tables in the page's language. Dates and
 * times are shown in Dominican local time as dd/mm/aaaa [hh:mm].
 *
 * All functions append to out; the caller owns out and every argument.
 * cat is the loaded forms folder (catalog.h); public_indicators (the
 * server's configuration) shows the indicators in every role's menu.
 */
#ifndef BUZON_RENDER_STAFF_H
#define BUZON_RENDER_STAFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/auth.h"
#include "base/buf.h"
#include "model/cases.h"
#include "model/catalog.h"
#include "base/i18n.h"

/* ---- shared pieces (render_staff.c) ---- */

/* "dd/mm/aaaa" of a day number; "dd/mm/aaaa hh:mm" of a unix time. */
void render_day(buf_t *out, int32_t day);
void render_datetime(buf_t *out, int64_t t);
/* The text of a case kind ("queja" -> "Queja"), of a status as staff see
 * it, and of an audit action; unknown values are shown as they are. */
const char *render_kind(lang_t lang, const char *kind);
const char *render_status(lang_t lang, case_status_t st);
const char *render_action(lang_t lang, const char *action);
/* An audit entry's actor and detail as staff read them in lang: the
 * stored codes ("ciudadano", "sistema", a kind, a role, why a contact was
 * erased) translated, anything else (names, answers) as stored. */
const char *render_actor(lang_t lang, const char *actor);
const char *render_detail(lang_t lang, const char *action, const char *detail);
/* The text id of a closing reason (case_close_reason_t as int), 0 for
 * none or unknown. */
str_id_t case_reason_text(int reason);

/* Who is looking at a staff page, and the page's own address. */
typedef struct staff_view {
    lang_t         lang;
    const staff_t *who;
    const char    *csrf;     /* the session's CSRF token */
    const char    *self;     /* path and query without lang, ending '?' or '&' */
} staff_view_t;

/* <a href="path?lang=xx">text</a> ("&lang=" when path has a query). */
void render_alink(buf_t *out, const char *path, lang_t lang, str_id_t text);
/* The hidden _csrf field every staff form posts. */
void render_csrf_field(buf_t *out, const staff_view_t *v);

/* Page chrome: the common header, then the staff menu (only what who's
 * role may open) with the logout button, then <h1>title</h1>. */
void render_staff_begin(buf_t *out, const staff_view_t *v, bool public_indicators, const char *title);
void render_staff_end(buf_t *out);
/* Only the staff menu with the logout button, for pages that draw their
 * own chrome (the indicators dashboard and plan page). */
void render_staff_nav(buf_t *out, const staff_view_t *v, bool public_indicators);
/* A page with only a title and a message (403, a CSRF failure...). */
void render_staff_message(buf_t *out, const staff_view_t *v, bool public_indicators, str_id_t title,
                          str_id_t body);

/* The login form. user: the name to show again (or NULL); next: where to
 * go after (a local path, or NULL); error: a message id, or 0. */
void render_login(buf_t *out, lang_t lang, const char *user, const char *next, str_id_t error,
                  unsigned wait);

/* The staff home: one link per page the role may open, and for atencion
 * and admin the response downloads of every form; ns (issue 18, may be
 * NULL): the staff notices' sending state (render_notices.h). */
struct notice_status_view;
void render_panel(buf_t *out, const staff_view_t *v, const catalog_t *cat, bool public_indicators,
                  const struct notice_status_view *ns);

/* ---- cases (render_staff.c) ---- */

/* The inbox's filters, as parsed from the query (http_cases.c). */
typedef struct inbox_filter {
    int         status;      /* case_status_t, CASE_OPEN or CASE_ANY_STATUS */
    const char *service;     /* NULL: any */
    int         age;         /* backlog bucket index, -1: any */
    bool        overdue;
    const char *search;      /* as typed (case_query_t.search), NULL: none */
} inbox_filter_t;

void render_inbox(buf_t *out, const staff_view_t *v, const catalog_t *cat, bool public_indicators,
                  const inbox_filter_t *f, const case_rec_t *cases, size_t n, int64_t now);

/* The rows the staff pages list are the model's values as read back. */
typedef case_note_t note_view_t;
typedef audit_entry_t audit_view_t;
typedef user_info_t user_view_t;

/* Everything the case page shows besides the case itself. */
typedef struct case_page {
    const note_view_t  *notes;    size_t nnotes;
    const audit_view_t *history;  size_t nhistory;  /* newest first */
    const user_view_t  *handlers; size_t nhandlers; /* who it can be assigned to */
    str_id_t            message;  /* a notice or error to show, or 0 */
    bool                error;    /* message is an error */
    /* The second step of erasing the contact (asking why), with the
     * reason as chosen or typed so far. */
    bool                erase_step, erase_asked;
    const char         *erase_other;
    /* A change posted but not made (or not yet: confirm_close), whose
     * texts and reason the forms show again; NULL: none. */
    const case_change_t *pending;
    bool                confirm_close;   /* ask to confirm closing with pending */
    const case_answer_t *answers; size_t nanswers;   /* issue 16: the
                                        response's answers; its places
                                        (geopoints) are shown */
    /* issue 16: the names of the photos sent with the case's response. */
    char *const        *photos;   size_t nphotos;
} case_page_t;

void render_case(buf_t *out, const staff_view_t *v, const catalog_t *cat, bool public_indicators,
                 const case_rec_t *c, const case_page_t *p, int64_t now);

/* What the users page says above the list after a change: a notice or
 * error (0: none), the account a notice is about (shown after it; NULL
 * with an error, whose sentence is complete), and the one-time
 * password just generated for it (or NULL), shown only in this answer. */
typedef struct users_page {
    str_id_t    message;
    bool        error;
    const char *name;
    const char *password;
} users_page_t;

/* The accounts with a form for each change an admin may make (disable or
 * enable, role, new password) and the form to add one; p may be NULL;
 * nv (issue 18, may be NULL): each account's notice settings. */
struct notice_users_view;
void render_users(buf_t *out, const staff_view_t *v, bool public_indicators, const user_view_t *users,
                  size_t n, const users_page_t *p, const char *program, const struct notice_users_view *nv);
/* A page of the audit log, newest first; more: older entries exist (a
 * link pages back from the last one shown). */
void render_audit(buf_t *out, const staff_view_t *v, bool public_indicators, const audit_view_t *e,
                  size_t n, bool more);

#endif
