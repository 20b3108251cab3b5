/*
 * submit.h: a citizen's answer on its way to the database: the rules the
 * survey handler used to hold. A bot that fills the hidden field is told
 * "stored" and nothing is kept; the time is kept only to the hour
 * (privacy: Ley 172-13); the seconds taken only when plausible; a
 * complaint or suggestion opens a case in the same transaction
 * (model/cases.h, cases_from_answers).
 *
 * A submission id names one answer, so that a retry (a double tap, a
 * lost response, an offline client sending again) is stored once: our
 * pages carry a fresh one (submit_new_sid), offline clients make their
 * own (submit_sid_valid says which are taken as they are).
 *
 * Used by http/http_survey.c, which parses the post, calls submit_prepare
 * and then renders the answers with their errors, or stores the
 * submission (suspending the request until it is durable) and redirects.
 * Calls model/answers.h, model/cases.h, libsodium and store/store.h.
 */
#ifndef BUZON_SERVICE_SUBMIT_H
#define BUZON_SERVICE_SUBMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "base/bizdays.h"
#include "base/buf.h"
#include "base/urlenc.h"
#include "model/answers.h"
#include "model/cases.h"
#include "model/form.h"
#include "model/points.h"
#include "service/db.h"

/* Longest submission id taken (and the length of a fresh one). */
#define SUBMIT_SID_MAX 64
#define SUBMIT_SID_FRESH 36

/* True when the honeypot field (`_web`, hidden from people) of the post
 * is filled: a bot. The caller answers as if stored and keeps nothing. */
bool submit_is_bot(const kvlist_t *post);

/* A fresh submission id: a random version-4 UUID (36 characters and the
 * NUL), unpredictable (libsodium's CSPRNG) and cheap enough for every
 * page view. Thread-safe. */
void submit_new_sid(char out[SUBMIT_SID_FRESH + 1]);
/* True when s (NULL allowed: false) is a submission id a client may
 * bring: 8 to SUBMIT_SID_MAX characters of [A-Za-z0-9-]. */
bool submit_sid_valid(const char *s);

/* issue 16, media: a file part of a multipart post. */
typedef struct submit_file {
    const char *field;     /* the part's name: an image question's */
    const void *data;
    size_t      len;       /* 0: no file chosen */
} submit_file_t;

/* What a submission is, besides its answers. */
typedef struct submit_in {
    const form_t  *form;
    int64_t        form_version_id;   /* svc_form_version's id of form */
    const point_t *point;             /* NULL when answered without a point */
    const char    *sid;               /* the submission id (8..64 of [A-Za-z0-9-]) */
    long           started;           /* unix time the form was rendered, 0 unknown */
    const char    *lang;              /* "es" / "ht" */
    const char    *channel;           /* "web", "papel", "entrevista", "registro" */
    /* issue 16: the files posted with it (multipart), or NULL. An image
     * question's value comes only from its file: the photo, checked by its
     * bytes and re-encoded without metadata (model/media.h), is stored with
     * the response under a fresh random name, which is the answer. A file
     * that is not a JPEG or PNG photo is an error beside its question. */
    const submit_file_t *files;
    size_t         nfiles;
    /* issues 17, 18: an answer entered by staff (paper, interview, a
     * register entry; "sistema" for a backup recording itself): who
     * entered it (audit log only, never the response; copied), or NULL
     * for a citizen's answer, which names nobody;
     * and when it was given (the date on the paper), 0 for now. The
     * response is dated by written (to the hour, as every time); a case it
     * opens starts its clock now, when the Ayuntamiento reads it. */
    const char    *entered_by;
    time_t         written;
    /* issue 17: staff entry: the point's service is only a default the
     * post may change (answers_default_service), not the server's value. */
    bool           service_open;
} submit_in_t;

/* A submission ready for the store; owned by the caller (submission_free).
 * Everything the store reads lives inside it, so it may outlive the
 * request's buffers while the store writes it. */
typedef struct submission submission_t;

/* Build the submission of the validated answers a (taken: a is left
 * empty) as of now: the hour, the seconds taken, and the case it opens,
 * if any (deadline from carta and cal). */
submission_t *submission_new(answers_t *a, const submit_in_t *in, const carta_t *carta,
                             const bizcal_t *cal, time_t now);
void submission_free(submission_t *sub);

/* What a post is, as submit_prepare judged it. */
typedef enum submit_verdict {
    SUBMIT_READY,     /* valid: sub is ready for the store */
    SUBMIT_INVALID,   /* answers has errors: show the form again with them */
    SUBMIT_BOT,       /* the honeypot is filled: answer as if stored, keep nothing */
} submit_verdict_t;

typedef struct submit_prep {
    submit_verdict_t verdict;
    /* SUBMIT_READY: the submission (caller frees, submission_free). */
    submission_t    *sub;
    /* SUBMIT_INVALID: the answers as posted, with their errors (caller
     * frees, answers_free); zeroed otherwise. */
    answers_t        answers;
    /* READY and INVALID: the submission id (the post's `_sid` when
     * submit_sid_valid, else a fresh one) and the unix time the form was
     * first shown (the post's `_t`, 0 unknown), for the form shown again. */
    char             sid[SUBMIT_SID_MAX + 1];
    long             started;
} submit_prep_t;

/* The whole rule of a citizen's post to form in->form at in->point (the
 * parsed body post; in->sid and in->started are ignored: they come from
 * the post): the honeypot, then the answers (the point's service filled
 * in, validated), then the submission as of now (submission_new). Fills
 * *out and returns out->verdict. */
submit_verdict_t submit_prepare(const kvlist_t *post, const submit_in_t *in, const carta_t *carta,
                                const bizcal_t *cal, time_t now, submit_prep_t *out);

/* The post to in->form kept as posted, not judged, to show it again when
 * it is not taken now (the language switch; the rate limit): the answers
 * (the point's service filled in, no errors; caller frees, answers_free),
 * the submission id and start time as submit_prepare takes them. Sets
 * out->verdict to SUBMIT_INVALID, out->sub to NULL. */
void submit_keep(const kvlist_t *post, const submit_in_t *in, submit_prep_t *out);

/* Store sub now (waits for the commit). STORE_OK, STORE_DUP (already
 * stored: answered as the first copy was) or STORE_ERR; also kept in sub
 * (submission_rc). */
store_rc_t submission_store(store_t *s, submission_t *sub);
/* Store sub without waiting: done(arg, rc) is called from the store's
 * writer thread once its transaction is durable or failed (rc as
 * submission_store's, also kept in sub). sub must stay alive until then;
 * done must be quick and must not call into the store. */
void submission_store_async(store_t *s, submission_t *sub,
                            void (*done)(void *arg, store_rc_t rc), void *arg);
/* The store's verdict, once stored (STORE_ERR before). */
store_rc_t submission_rc(const submission_t *sub);
/* The tracking code of the case the submission opened (for a duplicate,
 * the first copy's), or "" when it opened none. */
const char *submission_case_code(const submission_t *sub);

/* issue 17 (double entry): sub's answers as stored, urlencoded
 * "name=value&..." in form order, appended to out: two entries of one
 * paper sheet agree when these agree. */
void submission_answers_enc(const submission_t *sub, buf_t *out);

/* Whether the post's submission id (_sid) is already stored: true, with
 * the tracking code of the case it opened in code (or ""), when it is; a
 * post with no valid id, or a read error, gives false. Lets a repeat of
 * an answer already stored be answered as the first was even where a new
 * one would wait (the rate limit). */
bool submit_seen(store_t *s, const kvlist_t *post, char code[16]);

#endif
