/*
 * cases.c: what a case is before it reaches the database: its tracking
 * code, the promise of the Carta de Servicios that sets its deadline, and
 * the rule that turns a citizen's answers into a case (see cases.h).
 */
#include "model/cases.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/csvread.h"
#include "base/utf8.h"
#include "model/shortcode.h"

static const char *const status_names[CASE_STATUS_COUNT] = {
    [CASE_NEW] = "nuevo", [CASE_ASSIGNED] = "asignado",
    [CASE_ANSWERED] = "respondido", [CASE_CLOSED] = "cerrado",
};

static const char *const reason_names[CASE_REASON_COUNT] = {
    [CASE_REASON_NONE] = "", [CASE_REASON_DUPLICATE] = "duplicado",
    [CASE_REASON_SPAM] = "spam", [CASE_REASON_OUT_OF_SCOPE] = "fuera_de_competencia",
};

const char *case_reason_name(case_close_reason_t r)
{
    assert(r >= 0 && r < CASE_REASON_COUNT);
    return reason_names[r];
}

int case_reason_parse(const char *s)
{
    for (int i = 0; i < CASE_REASON_COUNT; i++)
        if (!strcmp(s ? s : "", reason_names[i])) return i;
    return -1;
}

bool cases_is_compliment(const char *kind)
{
    return kind && !strcmp(kind, "elogio");
}

const char *case_status_name(case_status_t st)
{
    assert(st >= 0 && st < CASE_STATUS_COUNT);
    return status_names[st];
}

int case_status_parse(const char *s)
{
    for (int i = 0; s && i < CASE_STATUS_COUNT; i++)
        if (!strcmp(s, status_names[i])) return i;
    return -1;
}

/* ---- tracking codes ---------------------------------------------------- */

void case_code_new(char out[CASE_CODE_LEN + 1])
{
    static const char alphabet[] = SHORTCODE_ALPHABET;
    for (int i = 0; i < CASE_CODE_LEN; i++)
        out[i] = alphabet[randombytes_uniform((uint32_t)(sizeof alphabet - 1))];
    out[CASE_CODE_LEN] = '\0';
}

int case_code_normalize(const char *s, char out[CASE_CODE_LEN + 1])
{
    size_t n = 0;
    for (; s && *s; s++) {
        if (*s == '-' || *s == ' ') continue;
        char c = (char)toupper((unsigned char)*s);
        if (n == CASE_CODE_LEN || !strchr(SHORTCODE_ALPHABET, c)) return -1;
        out[n++] = c;
    }
    if (n != CASE_CODE_LEN) return -1;
    out[n] = '\0';
    return 0;
}

void case_code_pretty(const char *code, char out[CASE_CODE_LEN + 3])
{
    snprintf(out, CASE_CODE_LEN + 3, "%.3s-%.3s-%.3s", code, code + 3, code + 6);
}

void case_object(const char *code, char out[CASE_OBJECT_SIZE])
{
    snprintf(out, CASE_OBJECT_SIZE, CASE_OBJECT_PREFIX "%s", code);
}

const char *case_object_code(const char *object)
{
    size_t n = strlen(CASE_OBJECT_PREFIX);
    return object && !strncmp(object, CASE_OBJECT_PREFIX, n) ? object + n : NULL;
}

/* True when s holds more than spaces, tabs and line breaks. */
static bool has_text(const char *s)
{
    return s && s[strspn(s, " \t\r\n")];
}

case_erase_rc_t case_erase_reason(bool asked, const char *other, char out[CASE_ERASE_REASON_SIZE])
{
    out[0] = '\0';
    if (asked) {
        snprintf(out, CASE_ERASE_REASON_SIZE, CASE_ERASE_ASKED);
        return CASE_ERASE_OK;
    }
    if (!has_text(other)) return CASE_ERASE_NO_REASON;
    other += strspn(other, " \t\r\n");
    size_t n = strlen(other);
    while (n && strchr(" \t\r\n", other[n - 1])) n--;
    if (utf8_count(other, n) > CASE_ERASE_TEXT_MAX) return CASE_ERASE_TOO_LONG;
    size_t w = strlen(CASE_ERASE_OTHER);
    memcpy(out, CASE_ERASE_OTHER, w);
    for (size_t i = 0; i < n && w + 1 < CASE_ERASE_REASON_SIZE; i++)
        out[w++] = strchr("\t\r\n", other[i]) ? ' ' : other[i];
    out[w] = '\0';
    return CASE_ERASE_OK;
}

bool case_erase_reason_valid(const char *reason)
{
    if (!reason) return false;
    if (!strcmp(reason, CASE_ERASE_ASKED)) return true;
    size_t p = strlen(CASE_ERASE_OTHER);
    return !strncmp(reason, CASE_ERASE_OTHER, p) && has_text(reason + p) &&
           utf8_count(reason + p, strlen(reason + p)) <= CASE_ERASE_TEXT_MAX;
}

bool case_change_normalize(case_change_t *ch)
{
    if (!has_text(ch->public_answer)) ch->public_answer = NULL;
    if (!has_text(ch->note)) ch->note = NULL;
    if (ch->erase_contact && !case_erase_reason_valid(ch->erase_reason)) ch->erase_contact = false;
    if (!ch->close) ch->close_reason = CASE_REASON_NONE;
    return ch->assign_to > 0 || ch->close || ch->erase_contact || ch->reopen || ch->public_answer ||
           ch->note;
}

/* ---- the Carta de Servicios ------------------------------------------- */

/* A trimmed copy of a cell (caller frees): a space typed after a number
 * in Excel is invisible there. */
static char *trimmed(const char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    return strndup(s, n);
}

int carta_load(const char *dir, const points_t *pts, carta_t *out, bool *missing, diag_t *d)
{
    assert(dir && pts && out && d);
    memset(out, 0, sizeof *out);
    if (missing) *missing = false;
    buf_t path;
    buf_init(&path);
    size_t dl = strlen(dir);
    buf_printf(&path, "%s%scarta.csv", dir, dl && dir[dl - 1] == '/' ? "" : "/");
    char err[256];
    size_t len;
    char *data = csv_slurp(path.data, &len, err, sizeof err);
    if (!data) {
        int e = errno;
        if (e == ENOENT && missing) *missing = true;
        else diag_add(d, path.data, 1, "%s", err);
        buf_free(&path);
        return e == ENOENT && missing ? 0 : -1;
    }
    csv_table_t t;
    int rc = csv_parse_bytes(data, len, &t, err, sizeof err);
    free(data);
    if (rc != 0) {
        diag_add(d, path.data, t.err_line, "%s", err);
        buf_free(&path);
        return -1;
    }
    size_t before = d->n;
    int cs = csv_col(&t, "service"), cd = csv_col(&t, "business_days");
    if (cs < 0) diag_add(d, path.data, 1, "missing column \"service\"");
    if (cd < 0) diag_add(d, path.data, 1, "missing column \"business_days\"");
    for (size_t r = 1; cs >= 0 && cd >= 0 && r < t.nrows; r++) {
        int line = t.rows[r].line;
        char *svc = trimmed(csv_cell(&t, r, cs)), *days = trimmed(csv_cell(&t, r, cd));
        char *end;
        errno = 0;
        long n = strtol(days, &end, 10);
        if (!points_service(pts, svc)) {
            diag_add(d, path.data, line, "unknown service \"%s\" (not in services.csv)", svc);
        } else if (carta_days(out, svc) >= 0) {
            diag_add(d, path.data, line, "service \"%s\" is listed twice", svc);
        } else if (!*days || *end || errno || n < 1 || n > 365) {
            diag_add(d, path.data, line,
                          "business_days \"%s\" must be a whole number of days from 1 to 365", days);
        } else {
            out->service = xrealloc(out->service, (out->n + 1) * sizeof *out->service);
            out->days = xrealloc(out->days, (out->n + 1) * sizeof *out->days);
            out->service[out->n] = svc;
            out->days[out->n++] = (int)n;
            svc = NULL;
        }
        free(svc);
        free(days);
    }
    /* Every service needs a promise, or its cases would silently drop out
     * of the "% within standard" indicator. */
    for (size_t i = 0; cs >= 0 && cd >= 0 && i < pts->nservices; i++)
        if (carta_days(out, pts->services[i].id) < 0)
            diag_add(d, path.data, 1, "service \"%s\" has no row: add its promised response time",
                          pts->services[i].id);
    csv_table_free(&t);
    buf_free(&path);
    if (d->n > before) {
        carta_free(out);
        return -1;
    }
    return 0;
}

void carta_free(carta_t *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n; i++) free(c->service[i]);
    free(c->service);
    free(c->days);
    memset(c, 0, sizeof *c);
}

int carta_days(const carta_t *c, const char *service)
{
    for (size_t i = 0; service && i < c->n; i++)
        if (!strcmp(c->service[i], service)) return c->days[i];
    return -1;
}

/* ---- answers to case ---------------------------------------------------- */

bool cases_is_contact(const char *question)
{
    return !strcmp(question, "contacto_nombre") || !strcmp(question, "contacto_telefono");
}

/* The validated value of question name, or NULL (absent, irrelevant,
 * unanswered, or no such question in this form). */
static const char *value_of(const answers_t *a, const char *name)
{
    for (size_t i = 0; i < a->form->nq; i++)
        if (!strcmp(a->form->q[i].name, name)) return a->val[i] && *a->val[i] ? a->val[i] : NULL;
    return NULL;
}

bool cases_from_answers(const answers_t *a, const point_t *pt, const carta_t *carta,
                        const bizcal_t *cal, int64_t created_at, case_new_t *out)
{
    assert(a && carta && cal && out);
    const char *kind = value_of(a, "comentario_tipo");
    if (!kind || (strcmp(kind, "queja") && strcmp(kind, "sugerencia") && strcmp(kind, "elogio")))
        return false;
    bool consent = (value_of(a, "contacto_consent") && !strcmp(value_of(a, "contacto_consent"), "si"));
    const char *name = consent ? value_of(a, "contacto_nombre") : NULL;
    const char *phone = consent ? value_of(a, "contacto_telefono") : NULL;
    const char *wants = value_of(a, "quiere_respuesta");
    /* Nothing to act on: no words and nobody to call back. */
    if (!value_of(a, "comentario") && !name && !phone) return false;

    memset(out, 0, sizeof *out);
    out->kind = kind;
    out->service = value_of(a, "servicio");
    if (!out->service && pt) out->service = pt->service->id;
    out->wants_answer = wants && !strcmp(wants, "si");
    out->created_at = created_at;
    /* A compliment needs no answer: the Carta promises it none. */
    out->standard_days = cases_is_compliment(kind) ? -1 : carta_days(carta, out->service);
    if (out->standard_days >= 0)
        out->due = bizdays_add(cal, bizdays_from_time(created_at), out->standard_days);
    return true;
}

void case_note_free(case_note_t *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].actor);
        free(v[i].text);
    }
    free(v);
}

void case_recs_free(case_rec_t *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) case_rec_free(&v[i]);
    free(v);
}

bool case_change_allowed(case_status_t st, const case_change_t *ch)
{
    return st != CASE_CLOSED ||
           !(ch->assign_to > 0 || (ch->public_answer && *ch->public_answer) || ch->close);
}

case_check_t case_change_check(case_status_t st, bool answered, const char *kind,
                               const case_change_t *ch)
{
    if (!case_change_allowed(st, ch)) return CASE_CHECK_CLOSED;
    if (!ch->close) return CASE_CHECK_OK;
    bool answers_now = has_text(ch->public_answer);
    switch (ch->close_reason) {
    case CASE_REASON_DUPLICATE:
        return has_text(ch->duplicate_of) ? CASE_CHECK_OK : CASE_CHECK_NEEDS_ORIGINAL;
    case CASE_REASON_SPAM:
        return CASE_CHECK_OK;
    case CASE_REASON_OUT_OF_SCOPE:
        /* The referral is the answer the person reads: where to go. */
        return answers_now ? CASE_CHECK_OK : CASE_CHECK_NEEDS_REFERRAL;
    default:
        return answered || answers_now || cases_is_compliment(kind) ? CASE_CHECK_OK
                                                                     : CASE_CHECK_NEEDS_REASON;
    }
}

case_status_t case_reopen_status(bool answered, bool assigned)
{
    return answered ? CASE_ANSWERED : assigned ? CASE_ASSIGNED : CASE_NEW;
}

case_status_t case_next_status(case_status_t st, case_effect_t e)
{
    switch (e) {
    case CASE_EFFECT_ASSIGN: return st == CASE_NEW ? CASE_ASSIGNED : st;
    case CASE_EFFECT_ANSWER: return CASE_ANSWERED;
    case CASE_EFFECT_CLOSE:  return CASE_CLOSED;
    }
    return st;
}

void case_answer_free(case_answer_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i].question), free(v[i].value);
    free(v);
}

void case_rec_free(case_rec_t *c)
{
    if (!c) return;
    free(c->form_id);
    free(c->kind);
    free(c->lang);
    free(c->service);
    free(c->point_id);
    free(c->text);
    free(c->assigned_name);
    free(c->public_answer);
    free(c->contact_name);
    free(c->contact_phone);
    free(c->channel);
    memset(c, 0, sizeof *c);
}
