/*
 * submit.c: a citizen's answer into the store (submit.h). Calls
 * base/urlenc.h, model/answers.h, model/cases.h, libsodium (submission
 * ids) and store/store.h.
 */
#include "service/submit.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <semaphore.h>
#include <string.h>

#include "base/buf.h"
#include "model/media.h"

struct submission {
    answers_t         a;          /* the validated values (owned) */
    store_answer_t   *ans;        /* views into a, in form order */
    store_response_t  resp;
    char              sid[SUBMIT_SID_MAX + 1];
    case_new_t        kase;       /* a complaint or suggestion (model/cases.h) */
    store_rc_t        rc;         /* the store's verdict */
    void            (*done)(void *arg, store_rc_t rc);
    void             *arg;
    /* issue 16: the files, re-encoded, and their rows for the store. */
    struct submit_media *media;
    store_media_t    *rows;
    size_t            nmedia;
    char             *entered_by; /* a copy of in->entered_by, or NULL */
};

/* A photo cleaned and named, on its way to the store. */
typedef struct submit_media {
    size_t q;                /* question index */
    char   name[48];         /* 32 random hex digits and ".jpg" (".mp3"...) */
    buf_t  data;             /* the re-encoded JPEG (or cleaned file) */
    const char *type;        /* its Content-Type, from its bytes (static) */
} submit_media_t;

bool submit_is_bot(const kvlist_t *post)
{
    const char *hp = kvlist_get(post, "_web");
    return hp && *hp;
}

void submit_new_sid(char out[SUBMIT_SID_FRESH + 1])
{
    /* ChaCha20 keystream under a per-thread random key, drawn 64 ids at a
     * time: as unpredictable as asking the CSPRNG for each id, without a
     * getrandom() system call (or a hash) on every page view. The nonce
     * counts refills, so no keystream block is ever used twice. */
    enum { IDS = 64 };
    static _Thread_local unsigned char key[crypto_stream_chacha20_KEYBYTES];
    static _Thread_local unsigned char pool[IDS * 16];
    static _Thread_local uint64_t refills;
    static _Thread_local unsigned used = IDS;
    if (used == IDS) {
        if (refills == 0) randombytes_buf(key, sizeof key);
        unsigned char nonce[crypto_stream_chacha20_NONCEBYTES] = {0};
        memcpy(nonce, &refills, sizeof refills < sizeof nonce ? sizeof refills : sizeof nonce);
        refills++;
        crypto_stream_chacha20(pool, sizeof pool, nonce, key);
        used = 0;
    }
    unsigned char *u = pool + 16 * used++;
    u[6] = (u[6] & 0x0F) | 0x40;
    u[8] = (u[8] & 0x3F) | 0x80;
    static const char hex[] = "0123456789abcdef";
    char *p = out;
    for (int k = 0; k < 16; k++) {
        if (k == 4 || k == 6 || k == 8 || k == 10) *p++ = '-';
        *p++ = hex[u[k] >> 4];
        *p++ = hex[u[k] & 15];
    }
    *p = '\0';
    sodium_memzero(u, 16);                    /* handed out once */
}

bool submit_sid_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 8 || n > SUBMIT_SID_MAX) return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

/* issue 18: the hour a staff register's entry is filed under: local
 * midnight of the day its date question `fecha` tells (a meeting typed in
 * a month later belongs to the month it happened; the indicators, the plan
 * and the report count it there), else -1. A day after today's is not
 * taken (a typo must not file an entry in the future): it stays under the
 * hour it was entered. Midnight is a whole hour, as every kept time. */
static int64_t register_hour(const form_t *f, const answers_t *a, time_t now)
{
    if (!f->staff && !(f->expanded_from && f->expanded_from->staff)) return -1;   /* repeats: the loaded form's */
    for (size_t i = 0; i < f->nq; i++) {
        int32_t day;
        if (f->q[i].type != Q_DATE || strcmp(f->q[i].name, "fecha")) continue;
        if (!a->val[i] || !bizdays_parse(a->val[i], &day) || day > bizdays_from_time(now)) return -1;
        return bizdays_to_time(day);
    }
    return -1;
}

submission_t *submission_new(answers_t *a, const submit_in_t *in, const carta_t *carta,
                             const bizcal_t *cal, time_t now)
{
    assert(a && in && in->form && in->sid && carta && cal);
    const form_t *f = in->form;
    submission_t *sub = xcalloc(1, sizeof *sub);
    sub->rc = STORE_ERR;
    sub->a = *a;                                   /* takes the answers */
    *a = (answers_t){ 0 };
    sub->ans = xcalloc(f->nq ? f->nq : 1, sizeof *sub->ans);
    size_t n = 0;
    for (size_t i = 0; i < f->nq; i++)
        if (sub->a.val[i]) sub->ans[n++] = (store_answer_t){ f->q[i].name, sub->a.val[i] };
    snprintf(sub->sid, sizeof sub->sid, "%s", in->sid);
    long took = now - in->started;
    time_t at = in->written ? in->written : now;   /* issue 17: the paper's date */
    sub->resp = (store_response_t){
        .submission_id = sub->sid, .form_version_id = in->form_version_id, .form_id = f->id,
        .point_id = in->point ? in->point->id : NULL, .lang = in->lang, .channel = in->channel,
        /* Only the hour is kept: the minute would help tell who answered. */
        .submitted_hour = (int64_t)(at - at % 3600),
        .duration_s = in->started > 0 && took >= 0 && took <= 86400 ? (int)took : -1,
        .answers = sub->ans, .nanswers = n,
    };
    int64_t told = register_hour(f, &sub->a, now);
    if (told >= 0) sub->resp.submitted_hour = told;
    /* A copy: the submission outlives the request that made it. */
    if (in->entered_by) sub->resp.entered_by = sub->entered_by = xstrdup(in->entered_by);
    /* issue 18: a register's entry never opens a case, whatever its
     * questions are called: the case page is for atencion, who may not
     * read a register (http_form_readers). */
    if (!f->staff && cases_from_answers(&sub->a, in->point, carta, cal, (int64_t)(now - now % 3600), &sub->kase))
        sub->resp.open_case = &sub->kase;
    return sub;
}

/* The submission id and start time of post, and its answers unjudged. */
static void take_post(const kvlist_t *post, const submit_in_t *in, submit_prep_t *out)
{
    const char *sid = kvlist_get(post, "_sid");
    if (submit_sid_valid(sid)) memcpy(out->sid, sid, strlen(sid) + 1);
    else submit_new_sid(out->sid);
    const char *ts = kvlist_get(post, "_t");
    out->started = ts ? strtol(ts, NULL, 10) : 0;

    answers_init(&out->answers, in->form);
    answers_set_lang(&out->answers, in->lang);   /* labels in expressions: the page's */
    if (!in->service_open) answers_prefill_service(&out->answers, in->point ? in->point->service->id : NULL);
    answers_from_post(&out->answers, post);
    /* issue 17: staff entry: the service posted, else the point's. */
    if (in->service_open) answers_default_service(&out->answers, in->point ? in->point->service->id : NULL);
    /* issue 16: an image's value is never the client's word (a name typed
     * into the post): only a file taken by take_files gives one. */
    for (size_t i = 0; i < in->form->nq; i++)
        if (media_is_upload(in->form->q[i].type)) {
            free(out->answers.val[i]);
            out->answers.val[i] = NULL;
        }
}

static void media_free(submit_media_t *m, size_t n)
{
    for (size_t k = 0; k < n; k++) buf_free(&m[k].data);
    free(m);
}

/* Files (photos re-encoded, recordings and documents checked and
 * cleaned) are handled at most two at a time, whatever the number of page
 * threads: a decode may take a second of CPU and, for a large progressive
 * JPEG, up to MEDIA_JPEG_MEM_MAX of memory, so a crowd of uploads waits
 * its turn instead of taking every core and gigabytes. */
static sem_t decode_slots;
static pthread_once_t decode_once = PTHREAD_ONCE_INIT;
static void decode_init(void) { sem_init(&decode_slots, 0, 2); }

static media_rc_t clean_one(const question_t *q, const void *data, size_t len, buf_t *out,
                            const char **type, const char **ext)
{
    pthread_once(&decode_once, decode_init);
    while (sem_wait(&decode_slots) != 0) { /* EINTR: wait again */ }
    media_rc_t rc = q->type == Q_IMAGE ? media_image_clean(data, len, out, NULL, NULL)
                  : media_file_clean(q->type, q->accept, data, len, out, type, ext);
    sem_post(&decode_slots);
    return rc;
}

/* issue 16: each image question's file, cleaned (media.h) and named; its
 * name becomes the answer. The error of a file that is refused goes in
 * ferr (per question). Returns the photos taken (caller frees, media_free),
 * their count in *n. */
static submit_media_t *take_files(const submit_in_t *in, answers_t *a, answer_err_t *ferr, size_t *n)
{
    const form_t *f = in->form;
    submit_media_t *m = NULL;
    *n = 0;
    for (size_t i = 0; i < f->nq; i++) {
        if (!media_is_upload(f->q[i].type)) continue;
        const submit_file_t *file = NULL;
        for (size_t k = 0; k < in->nfiles && !file; k++)
            if (!strcmp(in->files[k].field, f->q[i].name) && in->files[k].len) file = &in->files[k];
        if (!file) continue;
        buf_t out;
        buf_init(&out);
        const char *type = "image/jpeg", *ext = ".jpg";
        media_rc_t rc = clean_one(&f->q[i], file->data, file->len, &out, &type, &ext);
        if (rc != MEDIA_OK) {
            ferr[i] = rc == MEDIA_NOT_IMAGE ? AERR_MEDIA_TYPE : AERR_MEDIA_BROKEN;
            buf_free(&out);
            continue;
        }
        m = xrealloc(m, (*n + 1) * sizeof *m);
        submit_media_t *p = &m[(*n)++];
        p->q = i;
        p->data = out;
        unsigned char rnd[16];
        randombytes_buf(rnd, sizeof rnd);
        sodium_bin2hex(p->name, sizeof p->name, rnd, sizeof rnd);
        strcat(p->name, ext);
        p->type = type;
        a->val[i] = xstrdup(p->name);
    }
    return m;
}

void submit_keep(const kvlist_t *post, const submit_in_t *in, submit_prep_t *out)
{
    assert(post && in && in->form && out);
    out->sub = NULL;
    out->verdict = SUBMIT_INVALID;
    take_post(post, in, out);
    answers_calculate(&out->answers);   /* shown again with its calculations */
}

submit_verdict_t submit_prepare(const kvlist_t *post, const submit_in_t *in, const carta_t *carta,
                                const bizcal_t *cal, time_t now, submit_prep_t *out)
{
    assert(post && in && in->form && out);
    out->sub = NULL;
    out->answers = (answers_t){ 0 };
    out->sid[0] = '\0';
    out->started = 0;
    if (submit_is_bot(post)) return out->verdict = SUBMIT_BOT;

    take_post(post, in, out);
    const form_t *f = in->form;
    answer_err_t *ferr = xcalloc(f->nq ? f->nq : 1, sizeof *ferr);
    size_t nmedia;
    submit_media_t *media = take_files(in, &out->answers, ferr, &nmedia);
    answers_validate(&out->answers);
    for (size_t i = 0; i < f->nq; i++)
        if (media_is_upload(f->q[i].type) && out->answers.err[i] == AERR_NOT_APPLICABLE) {
            /* A photo for a question that does not apply (chosen before
             * an answer hid it) is dropped, not an error the person
             * could not see to clear: the page cannot show a file. */
            out->answers.err[i] = AERR_NONE;
            out->answers.nerrors--;
            free(out->answers.val[i]);
            out->answers.val[i] = NULL;
            ferr[i] = AERR_NONE;
        }
    /* A photo is stored only with its answer. */
    for (size_t k = 0; k < nmedia;)
        if (!out->answers.val[media[k].q]) {
            buf_free(&media[k].data);
            media[k] = media[--nmedia];
        } else {
            k++;
        }
    /* A refused file is the error beside its question (before "required"). */
    for (size_t i = 0; i < f->nq; i++)
        if (ferr[i]) {
            if (out->answers.err[i] == AERR_NONE) out->answers.nerrors++;
            out->answers.err[i] = ferr[i];
        }
    free(ferr);
    if (out->answers.nerrors) {
        media_free(media, nmedia);
        return out->verdict = SUBMIT_INVALID;
    }

    submit_in_t with = *in;
    with.sid = out->sid;
    with.started = out->started;
    out->sub = submission_new(&out->answers, &with, carta, cal, now);   /* takes the answers */
    submission_t *sub = out->sub;
    sub->media = media;
    sub->nmedia = nmedia;
    sub->rows = xcalloc(nmedia ? nmedia : 1, sizeof *sub->rows);
    for (size_t k = 0; k < nmedia; k++)
        sub->rows[k] = (store_media_t){ f->q[media[k].q].name, media[k].name, media[k].type,
                                        media[k].data.data, media[k].data.len };
    sub->resp.media = sub->rows;
    sub->resp.nmedia = nmedia;
    return out->verdict = SUBMIT_READY;
}

void submission_free(submission_t *sub)
{
    if (!sub) return;
    answers_free(&sub->a);
    free(sub->ans);
    media_free(sub->media, sub->nmedia);
    free(sub->rows);
    free(sub->entered_by);
    free(sub);
}

store_rc_t submission_store(store_t *s, submission_t *sub)
{
    sub->rc = store_submit(s, &sub->resp);
    return sub->rc;
}

static void stored(void *arg, store_rc_t rc)
{
    submission_t *sub = arg;
    sub->rc = rc;
    sub->done(sub->arg, rc);
}

void submission_store_async(store_t *s, submission_t *sub,
                            void (*done)(void *arg, store_rc_t rc), void *arg)
{
    assert(s && sub && done);
    sub->done = done;
    sub->arg = arg;
    store_submit_async(s, &sub->resp, stored, sub);
}

store_rc_t submission_rc(const submission_t *sub)
{
    return sub->rc;
}

const char *submission_case_code(const submission_t *sub)
{
    return sub->resp.open_case ? sub->kase.code : "";
}

void submission_answers_enc(const submission_t *sub, buf_t *out)
{
    for (size_t i = 0; i < sub->resp.nanswers; i++) {
        if (i) buf_putc(out, '&');
        buf_urlenc(out, sub->ans[i].question);
        buf_putc(out, '=');
        buf_urlenc(out, sub->ans[i].value);
    }
}

bool submit_seen(store_t *s, const kvlist_t *post, char code[16])
{
    assert(s && post && code);
    code[0] = '\0';
    const char *sid = kvlist_get(post, "_sid");
    return sid && submit_sid_valid(sid) && store_submission_seen(s, sid, code) == STORE_OK;
}
