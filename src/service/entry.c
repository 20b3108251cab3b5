/*
 * entry.c: answers entered by staff, paper and interview, and the double
 * entry of paper batches (entry.h). Calls service/submit.h (the citizen's
 * rules, unchanged), store/store_held.h, model/form_repeat.h and
 * base/bizdays.h.
 */
#include "service/entry.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bizdays.h"
#include "base/buf.h"
#include "model/form_repeat.h"
#include "store/store_held.h"

bool entry_paper_date(const char *s, time_t now, time_t *out)
{
    int32_t day;
    if (!s || !bizdays_parse(s, &day)) return false;
    /* A sheet older than 2000 is a typing error, as is tomorrow's. */
    if (day < bizdays_from_civil(2000, 1, 1) || day > bizdays_from_time((int64_t)now)) return false;
    *out = (time_t)((int64_t)day * 86400 - BIZDAYS_UTC_OFFSET);
    return true;
}

/* Set key to value in l (the first such item, else a new one). */
static void kv_set(kvlist_t *l, const char *key, const char *value)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->items[i].key, key)) {
            free(l->items[i].val);
            l->items[i].val = xstrdup(value);
            return;
        }
    /* Grown one at a time: a parsed list's cap is not to be trusted. */
    l->items = xrealloc(l->items, (l->n + 1) * sizeof *l->items);
    l->cap = l->n + 1;
    l->items[l->n++] = (kv_t){ xstrdup(key), xstrdup(value) };
}

/* The batch label and sheet number of post; false when malformed. */
static bool take_sheet(const kvlist_t *post, const char **batch, long *sheet)
{
    const char *b = kvlist_get(post, ENTRY_BATCH_FIELD), *h = kvlist_get(post, ENTRY_SHEET_FIELD);
    size_t n = b ? strlen(b) : 0;
    if (n == 0 || n > ENTRY_BATCH_MAX || strspn(b, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != n)
        return false;
    char *end;
    long v = h ? strtol(h, &end, 10) : 0;
    if (!h || !*h || *end || v < 1 || v > ENTRY_SHEET_MAX) return false;
    *batch = b;
    *sheet = v;
    return true;
}

/* The date of written as a date input writes it. */
static void date_text(time_t written, char out[11])
{
    bizdays_format(bizdays_from_time((int64_t)written), out);
}

/* The last instance of repeat path that l's names hold ("persona[3].edad":
 * 3 for "persona"), 0 when none. */
static int max_instance(const kvlist_t *l, const char *path)
{
    size_t n = strlen(path);
    int m = 0;
    for (size_t i = 0; i < l->n; i++) {
        const char *k = l->items[i].key;
        if (strncmp(k, path, n) || k[n] != '[') continue;
        char *end;
        long j = strtol(k + n + 1, &end, 10);
        if (j > m && j <= REPEAT_MAX && *end == ']' && end[1] == '.') m = (int)j;
    }
    return m;
}

/* form_repeat_expand's count over two answer lists: the larger last
 * instance (a repeat without repeat_count has one at least, as a fresh
 * page). */
static int held_count(void *arg, const question_t *rq, const char *path)
{
    const kvlist_t *l = arg;
    int a = max_instance(&l[0], path), b = max_instance(&l[1], path);
    return a > b ? a : b ? b : !rq->repeat_count;
}

/* Repeats (session 23): out->form for two entries of f (the loaded form)
 * whose answers are e1, e2 (urlencoded as submission_answers_enc writes
 * them: "persona[2].edad"): f expanded with as many instances of each
 * repeat as the entry with more has (out->xheld), so that every instance
 * is compared, shown, typed again and resolved; f when it has none. */
static void use_held_form(entry_out_t *out, const form_t *f, const char *e1, const char *e2)
{
    form_free(out->xheld);
    out->xheld = NULL;
    if (f->has_repeats) {
        kvlist_t l[2];
        urlenc_parse(e1, strlen(e1), FORM_MAX_POST_FIELDS, ANSWER_MAX_BYTES, &l[0]);
        urlenc_parse(e2, strlen(e2), FORM_MAX_POST_FIELDS, ANSWER_MAX_BYTES, &l[1]);
        out->xheld = form_repeat_expand(f, held_count, l);
        kvlist_free(&l[0]);
        kvlist_free(&l[1]);
    }
    out->form = out->xheld ? out->xheld : f;
}

/* Repeats: the "_n.<path>" count a page posts for each repeat instance
 * named in l ("_n.persona" 3 for "persona[3].edad"), added to l, so that
 * form_repeat_for_post gives a resolution each instance it took. */
static void post_counts(kvlist_t *l)
{
    size_t n = l->n;
    for (size_t i = 0; i < n; i++) {
        const char *k = l->items[i].key;   /* kept: kv_set frees values only */
        for (const char *o = strchr(k, '['); o; o = strchr(o + 1, '[')) {
            char *end, key[160], num[16];
            long j = strtol(o + 1, &end, 10);
            if (end == o + 1 || *end != ']' || j < 1 || j > REPEAT_MAX) continue;
            snprintf(key, sizeof key, "_n.%.*s", (int)(o - k), k);
            const char *had = kvlist_get(l, key);
            snprintf(num, sizeof num, "%ld", j);
            if (!had || atol(had) < j) kv_set(l, key, num);
        }
    }
}

/* The differences of two held entries into out (names of the form's, or
 * ENTRY_DATE_FIELD), in form order. */
static void diff_entries(const form_t *f, const held_entry_t *e1, const held_entry_t *e2, entry_out_t *out)
{
    kvlist_t a, b;
    urlenc_parse(e1->answers, strlen(e1->answers), FORM_MAX_POST_FIELDS, ANSWER_MAX_BYTES, &a);
    urlenc_parse(e2->answers, strlen(e2->answers), FORM_MAX_POST_FIELDS, ANSWER_MAX_BYTES, &b);
    out->diff = xcalloc(f->nq + 1, sizeof *out->diff);
    if (e1->written != e2->written) {
        char d1[11], d2[11];
        date_text(e1->written, d1);
        date_text(e2->written, d2);
        out->diff[out->ndiff++] = (entry_diff_t){ ENTRY_DATE_FIELD, xstrdup(d1), xstrdup(d2) };
    }
    for (size_t i = 0; i < f->nq; i++) {
        const char *v1 = kvlist_get(&a, f->q[i].name), *v2 = kvlist_get(&b, f->q[i].name);
        if (!strcmp(v1 ? v1 : "", v2 ? v2 : "")) continue;
        out->diff[out->ndiff++] = (entry_diff_t){ f->q[i].name, xstrdup(v1 ? v1 : ""), xstrdup(v2 ? v2 : "") };
    }
    kvlist_free(&a);
    kvlist_free(&b);
}

/* The post a resolution makes, from the held rows only (never the
 * post's answers): entry 1's answers, with entry 2's where picks'
 * "_v_<name>" says 2; the date likewise; entry 1's id. */
static void resolved_post(const kvlist_t *picks, const form_t *f, const held_entry_t *e1,
                          const held_entry_t *e2, kvlist_t *out)
{
    kvlist_t a, b;
    urlenc_parse(e1->answers, strlen(e1->answers), FORM_MAX_POST_FIELDS, ANSWER_MAX_BYTES, &a);
    urlenc_parse(e2->answers, strlen(e2->answers), FORM_MAX_POST_FIELDS, ANSWER_MAX_BYTES, &b);
    *out = (kvlist_t){ 0 };
    char key[128];
    for (size_t i = 0; i < f->nq; i++) {
        snprintf(key, sizeof key, "_v_%s", f->q[i].name);
        const char *pick = kvlist_get(picks, key);
        const char *v = kvlist_get(pick && !strcmp(pick, "2") ? &b : &a, f->q[i].name);
        if (v) kv_set(out, f->q[i].name, v);
    }
    const char *pick = kvlist_get(picks, "_v_" ENTRY_DATE_FIELD);
    char d[11];
    date_text(pick && !strcmp(pick, "2") ? e2->written : e1->written, d);
    kv_set(out, ENTRY_DATE_FIELD, d);
    kv_set(out, "_sid", e1->submission_id);
    kvlist_free(&a);
    kvlist_free(&b);
}

/* One stored answer (q, v) looked up in the entry's answers. */
typedef struct same_args {
    const kvlist_t *mine;
    size_t          n;      /* stored answers seen */
    bool            same;   /* each so far is the entry's */
} same_args_t;

static void same_cb(void *arg, const char *q, const char *v)
{
    same_args_t *a = arg;
    const char *m = kvlist_get(a->mine, q);
    a->n++;
    if (!m || strcmp(m, v ? v : "")) a->same = false;
}

/* Whether sub's answers are those stored under submission id sid (the
 * same questions, the same values; issue 17: a stored sheet entered again
 * is a duplicate only when it says the same) and the paper's date written
 * is the stored one (session 23: the same answers dated otherwise were
 * taken for the duplicate and the date typed lost unseen). The stored
 * response is the one place its answers are kept: the sheet's marker
 * keeps none, and its date is entry 1's even when a resolution chose
 * entry 2's. A store error counts as different, so nothing is taken for
 * a duplicate unread. */
static bool same_as_stored(store_t *s, const char *sid, const submission_t *sub, time_t written)
{
    int64_t hour;
    if (store_held_response_hour(s, sid, &hour) == STORE_OK && hour != (int64_t)(written - written % 3600))
        return false;
    buf_t enc;
    buf_init(&enc);
    submission_answers_enc(sub, &enc);
    kvlist_t mine;
    urlenc_parse(enc.data ? enc.data : "", enc.len, FORM_MAX_POST_FIELDS, ANSWER_MAX_BYTES, &mine);
    same_args_t a = { &mine, 0, true };
    store_rc_t rc = store_get_response_answers(s, sid, same_cb, &a);
    bool same = (rc == STORE_OK || rc == STORE_NOTFOUND) && a.same && a.n == mine.n;
    kvlist_free(&mine);
    buf_free(&enc);
    return same;
}

/* Store the validated sub now; rc and out->code as entry_submit says. */
static entry_rc_t store_now(store_t *s, submission_t *sub, entry_out_t *out)
{
    if (svc_db_lost(s)) return ENTRY_UNSAVED;
    store_rc_t src = submission_store(s, sub);
    if (src != STORE_OK && src != STORE_DUP) return svc_db_lost(s) ? ENTRY_UNSAVED : ENTRY_ERR;
    snprintf(out->code, sizeof out->code, "%s", submission_case_code(sub));
    return ENTRY_STORED;
}

/* Whether the paper date written (a local midnight) is on or after the
 * local day the form version in->form_version_id was first seen: a sheet
 * cannot have been filled in before it was printed. A version not found
 * (or a read error) does not refuse. */
static bool date_after_version(store_t *s, const submit_in_t *in, time_t written)
{
    int64_t since;
    if (store_form_version_since(s, in->form_version_id, &since) != STORE_OK) return true;
    return bizdays_from_time((int64_t)written) >= bizdays_from_time(since);
}

/* The paper's date of post into with->written: OK, BAD_DATE or EARLY_DATE. */
static entry_rc_t take_date(store_t *s, const kvlist_t *post, submit_in_t *with, time_t now)
{
    if (!entry_paper_date(kvlist_get(post, ENTRY_DATE_FIELD), now, &with->written)) return ENTRY_BAD_DATE;
    return date_after_version(s, with, with->written) ? ENTRY_STORED : ENTRY_EARLY_DATE;
}

/* Store the held sheet key as picks choose between held[0] and held[1]
 * (resolved_post), audited by actor as action with how: STORED, or
 * INVALID when the form's rules refuse the combination (nothing stored). */
static entry_rc_t store_resolved(store_t *s, const kvlist_t *picks, submit_in_t *with, const held_key_t *key,
                                 const held_entry_t held[2], const char *action, const char *how,
                                 const carta_t *carta, const bizcal_t *cal, time_t now, entry_out_t *out)
{
    kvlist_t merged;
    resolved_post(picks, out->form, &held[0], &held[1], &merged);
    snprintf(out->date, sizeof out->date, "%s", kvlist_get(&merged, ENTRY_DATE_FIELD));
    entry_rc_t rc;
    answers_free(&out->prep.answers);
    submission_free(out->prep.sub);
    memset(&out->prep, 0, sizeof out->prep);
    /* Repeats: checked and stored with every instance the choice took. */
    const form_t *loaded = out->form->expanded_from ? out->form->expanded_from : out->form;
    post_counts(&merged);
    form_free(out->xres);
    out->xres = form_repeat_for_post(loaded, &merged);
    with->form = out->xres ? out->xres : loaded;
    /* Both dates were taken when entered: the chosen one is sound. */
    if (!entry_paper_date(out->date, now, &with->written)) with->written = (time_t)held[0].written;
    if (submit_prepare(&merged, with, carta, cal, now, &out->prep) != SUBMIT_READY) {
        rc = ENTRY_INVALID;
    } else {
        submission_t *sub = out->prep.sub;
        out->prep.sub = NULL;
        rc = store_now(s, sub, out);
        if (rc == ENTRY_STORED &&
            store_held_drop(s, key, with->entered_by, held[0].submission_id, action, how, (int64_t)now) != STORE_OK)
            rc = ENTRY_ERR;
        submission_free(sub);
    }
    kvlist_free(&merged);
    return rc;
}

/* The differences of the held entries for a supervisor: by1, by2, diff. */
static void review_of(const form_t *f, const held_entry_t held[2], entry_out_t *out)
{
    diff_entries(f, &held[0], &held[1], out);
    out->by1 = xstrdup(held[0].entered_by);
    out->by2 = xstrdup(held[1].entered_by);
}

entry_rc_t entry_submit(store_t *s, kvlist_t *post, const submit_in_t *in, const char *paper,
                        bool supervisor, const carta_t *carta, const bizcal_t *cal, time_t now,
                        entry_out_t *out)
{
    assert(s && post && in && in->form && in->entered_by && out);
    memset(out, 0, sizeof *out);
    /* Repeats (issue 16): as many instances as the page had. */
    out->xf = form_repeat_for_post(in->form, post);
    out->form = out->xf ? out->xf : in->form;
    submit_in_t with = *in;
    with.form = out->form;
    if (kvlist_get(post, "_lang") || form_repeat_button(post)) {
        submit_keep(post, &with, &out->prep);
        return ENTRY_KEEP;
    }

    /* Double entry: what is held for the sheet decides. */
    const char *b = kvlist_get(post, ENTRY_BATCH_FIELD);
    bool twice = paper && b && *b, third = false;
    held_key_t key = { 0 };
    held_entry_t held[2] = { { 0 }, { 0 } };
    int nheld = 0;
    entry_rc_t rc;
    if (twice) {
        if (!take_sheet(post, &out->batch, &out->sheet)) {
            submit_keep(post, &with, &out->prep);
            return ENTRY_BAD_SHEET;
        }
        key = (held_key_t){ out->batch, paper, out->sheet };
        if (store_held_get(s, &key, held, &nheld) != STORE_OK) return ENTRY_ERR;
        /* Every entry of the sheet is its first entry's answer. */
        if (nheld) kv_set(post, "_sid", held[0].submission_id);
        if (nheld && held[0].stored) {
            out->final = true;   /* stored already: entering it again is a duplicate */
        } else if (nheld && !strcmp(held[0].entered_by, in->entered_by)) {
            /* The second look, the third and the decision must be another
             * person's: whoever typed entry 1 decides nothing about it. */
            submit_keep(post, &with, &out->prep);
            rc = kvlist_get(post, ENTRY_RESOLVE_FIELD) ? ENTRY_FORBIDDEN : ENTRY_SAME_CLERK;
            goto done;
        } else if (kvlist_get(post, ENTRY_RESOLVE_FIELD)) {
            if (!supervisor || nheld != 2) {
                rc = nheld != 2 ? ENTRY_NONE : ENTRY_FORBIDDEN;
                goto done;
            }
            use_held_form(out, in->form, held[0].answers, held[1].answers);
            rc = store_resolved(s, post, &with, &key, held, "doble_entrada_resuelta", in->entered_by, carta, cal,
                                now, out);
            if (rc == ENTRY_INVALID) {
                review_of(out->form, held, out);
                out->refused = true;
                rc = ENTRY_DIFFERENT;
            }
            goto done;
        } else if (kvlist_get(post, ENTRY_RECHECK_FIELD) && nheld == 2) {
            third = true;
        }
    }

    if (paper && (rc = take_date(s, post, &with, now)) != ENTRY_STORED) {
        submit_keep(post, &with, &out->prep);
        goto done;
    }
    switch (submit_prepare(post, &with, carta, cal, now, &out->prep)) {
    case SUBMIT_BOT:
        /* Staff never fill the hidden field; show the answers again. */
        submit_keep(post, &with, &out->prep);
        rc = ENTRY_KEEP;
        goto done;
    case SUBMIT_INVALID:
        rc = ENTRY_INVALID;
        goto done;
    case SUBMIT_READY:
        break;
    }
    submission_t *sub = out->prep.sub;
    out->prep.sub = NULL;
    if (out->final && !same_as_stored(s, held[0].submission_id, sub, with.written)) {
        /* issue 17: another sheet's number (a typing slip): its answers
         * must not vanish as a duplicate nor take that sheet's code. */
        submission_free(sub);
        answers_free(&out->prep.answers);
        submit_keep(post, &with, &out->prep);
        /* The post carried the stored sheet's id: the corrected sheet is
         * a new answer, so the form shown again gets a fresh one. */
        char fresh[SUBMIT_SID_FRESH + 1];
        submit_new_sid(fresh);
        snprintf(out->prep.sid, sizeof out->prep.sid, "%s", fresh);
        rc = ENTRY_CONFLICT;
        goto done;
    }
    if (!twice || out->final) {
        rc = store_now(s, sub, out);
        submission_free(sub);
        goto done;
    }
    held_entry_t mine = { .entry = nheld ? 2 : 1, .submission_id = nheld ? held[0].submission_id : out->prep.sid,
                          .entered_by = (char *)in->entered_by, .written = with.written };
    buf_t enc;
    buf_init(&enc);
    submission_answers_enc(sub, &enc);
    mine.answers = enc.data ? enc.data : "";
    if (third) {
        /* The third look (blind): for each difference, the value typed
         * again picks the entry it equals; any other value settles
         * nothing. The values stored are the held rows'. */
        use_held_form(out, in->form, held[0].answers, held[1].answers);
        diff_entries(out->form, &held[0], &held[1], out);
        kvlist_t got, picks = { 0 };
        urlenc_parse(mine.answers, strlen(mine.answers), FORM_MAX_POST_FIELDS, ANSWER_MAX_BYTES, &got);
        bool settled = true;
        char k[128], d[11];
        date_text(with.written, d);
        for (size_t i = 0; i < out->ndiff && settled; i++) {
            const char *v = !strcmp(out->diff[i].name, ENTRY_DATE_FIELD) ? d : kvlist_get(&got, out->diff[i].name);
            if (!v) v = "";
            snprintf(k, sizeof k, "_v_%s", out->diff[i].name);
            if (!strcmp(v, out->diff[i].v1)) kv_set(&picks, k, "1");
            else if (!strcmp(v, out->diff[i].v2)) kv_set(&picks, k, "2");
            else settled = false;
        }
        kvlist_free(&got);
        if (settled) {
            buf_t how;
            buf_init(&how);
            buf_printf(&how, "tercera entrada de %s", in->entered_by);
            rc = store_resolved(s, &picks, &with, &key, held, "doble_entrada_tercera", how.data, carta, cal, now,
                                out);
            buf_free(&how);
            if (rc == ENTRY_INVALID) rc = ENTRY_SUPERVISOR;
        } else {
            rc = ENTRY_SUPERVISOR;
        }
        kvlist_free(&picks);
    } else if (!nheld) {
        store_rc_t hrc = store_held_put(s, &key, in->form->id, &mine, (int64_t)now);
        rc = hrc == STORE_OK || hrc == STORE_DUP ? ENTRY_HELD : ENTRY_ERR;
    } else if (held[0].written == with.written && !strcmp(held[0].answers, mine.answers)) {
        /* Held too for a moment, so the audit names both clerks. */
        rc = store_held_put(s, &key, in->form->id, &mine, (int64_t)now) == STORE_OK ? store_now(s, sub, out)
                                                                                  : ENTRY_ERR;
        if (rc == ENTRY_STORED && store_held_drop(s, &key, in->entered_by, held[0].submission_id, "doble_entrada",
                                                  NULL, (int64_t)now) != STORE_OK)
            rc = ENTRY_ERR;
    } else if (store_held_put(s, &key, in->form->id, &mine, (int64_t)now) != STORE_OK) {
        rc = ENTRY_ERR;
    } else {
        /* Blind: which questions differ, never entry 1's values. The form
         * comes back with the second entry's answers but those emptied,
         * to be typed again from the paper; every instance either has. */
        use_held_form(out, in->form, held[0].answers, mine.answers);
        with.form = out->form;
        diff_entries(out->form, &held[0], &mine, out);
        submit_keep(post, &with, &out->prep);
        for (size_t i = 0; i < out->ndiff; i++) {
            if (!strcmp(out->diff[i].name, ENTRY_DATE_FIELD)) continue;
            for (size_t q = 0; q < out->form->nq; q++)
                if (!strcmp(out->form->q[q].name, out->diff[i].name)) {
                    free(out->prep.answers.val[q]);
                    out->prep.answers.val[q] = NULL;
                }
        }
        rc = ENTRY_RECHECK;
    }
    buf_free(&enc);
    submission_free(sub);
done:
    held_entry_free(held, nheld);
    return rc;
}

entry_rc_t entry_review(store_t *s, const form_t *form, const char *paper, const char *batch, long sheet,
                        const char *who, bool supervisor, entry_out_t *out)
{
    assert(s && form && paper && batch && who && out);
    memset(out, 0, sizeof *out);
    out->form = form;
    out->batch = batch;
    out->sheet = sheet;
    if (!supervisor) return ENTRY_FORBIDDEN;
    held_key_t key = { batch, paper, sheet };
    held_entry_t held[2];
    int n = 0;
    if (store_held_get(s, &key, held, &n) != STORE_OK) return ENTRY_ERR;
    entry_rc_t rc = ENTRY_NONE;
    if (n == 2 && !held[0].stored) {
        if (!strcmp(held[0].entered_by, who)) {
            rc = ENTRY_FORBIDDEN;
        } else {
            use_held_form(out, form, held[0].answers, held[1].answers);
            review_of(out->form, held, out);
            rc = ENTRY_DIFFERENT;
        }
    }
    held_entry_free(held, n);
    return rc;
}

bool entry_held_list(store_t *s, bool supervisor, held_sheet_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!supervisor) return true;
    return store_held_list(s, ENTRY_HELD_LIST_MAX, out, n) == STORE_OK;
}

void entry_held_list_free(held_sheet_t *v, size_t n)
{
    held_sheet_free(v, n);
}

entry_rc_t entry_discard(store_t *s, const char *paper, const char *batch, long sheet, const char *who,
                         bool admin, time_t now)
{
    if (!admin) return ENTRY_FORBIDDEN;
    held_key_t key = { batch, paper, sheet };
    switch (store_held_discard(s, &key, who, (int64_t)now)) {
    case STORE_OK: return ENTRY_DISCARDED;
    case STORE_NOTFOUND: return ENTRY_NONE;
    default: return ENTRY_ERR;
    }
}

void entry_out_free(entry_out_t *out)
{
    if (!out) return;
    answers_free(&out->prep.answers);
    submission_free(out->prep.sub);
    form_free(out->xf);
    form_free(out->xheld);
    form_free(out->xres);
    for (size_t i = 0; i < out->ndiff; i++) {
        free(out->diff[i].v1);
        free(out->diff[i].v2);
    }
    free(out->diff);
    free(out->by1);
    free(out->by2);
    memset(out, 0, sizeof *out);
}
