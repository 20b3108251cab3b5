/*
 * notice.c: staff notices as values and texts (see notice.h): the email
 * message, the webhook's JSON and its HMAC signature, the address rule
 * and the back-off. Every word a staff member reads comes from the
 * strings tables, in the recipient's language.
 */
#include "model/notice.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/bizdays.h"
#include "model/cases.h"

void notice_free(notice_t *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].kind);
        free(v[i].object);
        free(v[i].channel);
        free(v[i].recipient);
        free(v[i].address);
        free(v[i].service);
        free(v[i].due);
        free(v[i].extra);
    }
    free(v);
}

void notice_pref_free(notice_pref_t *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].name);
        free(v[i].email);
        free(v[i].services);
    }
    free(v);
}

const char *notice_email_why(const char *s, bool dotless_ok)
{
    size_t len = s ? strlen(s) : 0;
    if (len < 3) return "it is too short";
    if (len > NOTICE_EMAIL_MAX) return "it is longer than 254 bytes";
    const char *at = strchr(s, '@');
    if (!at) return "it has no '@'";
    if (strchr(at + 1, '@')) return "it has more than one '@'";
    if (at == s) return "it has nothing before the '@'";
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= ' ' || c >= 0x7f) return "it holds a space, a control character or a non-ASCII letter";
        if (strchr("\"'<>(),;:[]\\", c)) return "it holds one of \" ' < > ( ) , ; : [ ] \\";
    }
    const char *dom = at + 1;
    size_t dl = strlen(dom);
    if (!dl) return "it has nothing after the '@'";
    if (strstr(dom, "..")) return "the domain after '@' has two dots in a row";
    if (strchr(".-", dom[0]) || strchr(".-", dom[dl - 1])) return "the domain after '@' starts or ends with '.' or '-'";
    if (at[-1] == '.' || s[0] == '.') return "the part before '@' starts or ends with '.'";
    if (!dotless_ok && !strchr(dom, '.')) return "the domain after '@' needs a dot (e.g. banica.gob.do)";
    if (!dotless_ok && dl < 3) return "the domain after '@' is too short";
    return NULL;
}

bool notice_email_ok(const char *s)
{
    return notice_email_why(s, false) == NULL;
}

const char *notice_case_code(const char *object)
{
    return object && !strncmp(object, "caso:", 5) && object[5] ? object + 5 : NULL;
}

int notice_plan_number(const char *object)
{
    return object && !strncmp(object, "plan:", 5) ? atoi(object + 5) : 0;
}

static str_id_t kind_text(const char *kind)
{
    if (!strcmp(kind, NOTICE_NEW)) return S_NOTICE_NEW;
    if (!strcmp(kind, NOTICE_DUE_SOON)) return S_NOTICE_DUE_SOON;
    if (!strcmp(kind, NOTICE_OVERDUE)) return S_NOTICE_OVERDUE;
    return S_NOTICE_PLAN_END;
}

/* The case kind's name in l, or a kind buzon does not know as it is. */
static const char *kind_label(lang_t l, const char *kind)
{
    if (!strcmp(kind, "queja")) return i18n(l, S_KIND_QUEJA);
    if (!strcmp(kind, "sugerencia")) return i18n(l, S_KIND_SUGERENCIA);
    if (!strcmp(kind, "elogio")) return i18n(l, S_KIND_ELOGIO);
    for (const char *p = kind; *p; p++)   /* it goes into a mail body: a plain word or nothing */
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-')) return "-";
    return kind;
}

/* "dd/mm/aaaa" of "YYYY-MM-DD" (as staff read dates), or the text as is. */
static void put_date(buf_t *out, const char *ymd)
{
    int32_t day;
    if (ymd && bizdays_parse(ymd, &day)) {
        int y, m, d;
        bizdays_to_civil(day, &y, &m, &d);
        buf_printf(out, "%02d/%02d/%04d", d, m, y);
    } else {
        buf_puts(out, ymd ? ymd : "");
    }
}

void notice_subject(buf_t *out, const notice_t *n)
{
    buf_puts(out, i18n(n->lang, kind_text(n->kind)));
    const char *code = notice_case_code(n->object);
    if (code) {
        char pretty[CASE_CODE_LEN + 3];
        case_code_pretty(code, pretty);
        buf_printf(out, " %s", pretty);
    } else {
        buf_printf(out, " %d", notice_plan_number(n->object));
    }
}

void notice_body(buf_t *out, const notice_t *n, const char *service_label, const char *base_url)
{
    lang_t l = n->lang;
    const char *code = notice_case_code(n->object);
    notice_subject(out, n);
    buf_puts(out, "\r\n\r\n");
    if (code) {
        buf_printf(out, "%s: %s\r\n", i18n(l, S_NOTICE_SERVICE),
                   service_label && *service_label ? service_label : "-");
        /* issue 18 follow-up: whether it is a complaint, a suggestion or
         * a compliment (the case's kind; nothing else of the citizen's). */
        if (n->extra && *n->extra) buf_printf(out, "%s: %s\r\n", i18n(l, S_CASE_KIND), kind_label(l, n->extra));
        if (n->due && *n->due) {
            buf_printf(out, "%s: ", i18n(l, S_NOTICE_DUE));
            put_date(out, n->due);
            buf_puts(out, "\r\n");
        }
        buf_printf(out, "%s: %s/casos/%s\r\n", i18n(l, S_NOTICE_OPEN), base_url, code);
        /* A reply channel to the citizen (an email or a WhatsApp message
         * to the complainant, only when they asked for an answer and gave
         * that channel) would be sent from here, with its own template;
         * buzon never writes to citizens today. */
    } else {
        buf_printf(out, "%s: %d\r\n", i18n(l, S_NOTICE_PLAN_ACTION), notice_plan_number(n->object));
        if (n->extra && *n->extra) buf_printf(out, "%s: %s\r\n", i18n(l, S_NOTICE_PLAN_UNIT), n->extra);
        if (n->due && *n->due) buf_printf(out, "%s: %.7s\r\n", i18n(l, S_NOTICE_PLAN_ENDS), n->due);
        buf_printf(out, "%s: %s/indicadores/plan\r\n", i18n(l, S_NOTICE_OPEN), base_url);
    }
}

/* A header value in UTF-8 as an RFC 2047 encoded word when it is not
 * plain ASCII (Spanish and Kreyòl subjects often are not). */
static void header_text(buf_t *out, const char *s)
{
    bool ascii = true;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p >= 0x80) ascii = false;
    if (ascii) {
        buf_puts(out, s);
        return;
    }
    size_t len = strlen(s), cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = xmalloc(cap);
    sodium_bin2base64(b64, cap, (const unsigned char *)s, len, sodium_base64_VARIANT_ORIGINAL);
    buf_printf(out, "=?UTF-8?B?%s?=", b64);
    free(b64);
}

void notice_email(buf_t *out, const notice_t *v, size_t n, const char *const *labels, const char *from,
                  const char *base_url, int64_t date)
{
    lang_t l = n ? v[0].lang : LANG_ES;
    buf_t subj;
    buf_init(&subj);
    if (n == 1) notice_subject(&subj, &v[0]);
    else buf_printf(&subj, "%s (%zu)", i18n(l, S_NOTICE_DIGEST), n);
    char when[64];
    time_t t = (time_t)date;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    unsigned char rnd[12];
    randombytes_buf(rnd, sizeof rnd);
    char hex[2 * sizeof rnd + 1];
    sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
    const char *host = strchr(from, '@');
    buf_printf(out, "Date: %s\r\nFrom: buzon <%s>\r\nTo: <%s>\r\nSubject: ", when, from, n ? v[0].address : "");
    header_text(out, subj.data ? subj.data : "");
    buf_printf(out, "\r\nMessage-ID: <%s@%s>\r\nMIME-Version: 1.0\r\n"
                    "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n"
                    "Auto-Submitted: auto-generated\r\n\r\n",
               hex, host ? host + 1 : "buzon.invalid");
    for (size_t i = 0; i < n; i++) {
        if (i) buf_puts(out, "\r\n-- \r\n\r\n");
        notice_body(out, &v[i], labels ? labels[i] : v[i].service, base_url);
    }
    buf_printf(out, "\r\n%s\r\n", i18n(l, S_NOTICE_FOOTER));
    buf_free(&subj);
}

/* s as a JSON string (quotes included). */
static void json_str(buf_t *out, const char *s)
{
    buf_putc(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') buf_printf(out, "\\%c", *p);
        else if (*p < 0x20) buf_printf(out, "\\u%04x", *p);
        else buf_putc(out, (char)*p);
    }
    buf_putc(out, '"');
}

void notice_json(buf_t *out, const notice_t *n, const char *base_url)
{
    const char *code = notice_case_code(n->object);
    buf_printf(out, "{\"id\":%lld,\"event\":", (long long)n->id);
    json_str(out, n->kind);
    buf_puts(out, ",\"case\":");
    if (code) json_str(out, code);
    else buf_puts(out, "null");
    if (code) buf_puts(out, ",\"plan_action\":null");
    else buf_printf(out, ",\"plan_action\":%d", notice_plan_number(n->object));
    buf_puts(out, ",\"service\":");
    json_str(out, n->service ? n->service : "");
    buf_puts(out, ",\"due\":");
    if (n->due && *n->due) json_str(out, n->due);
    else buf_puts(out, "null");
    buf_puts(out, ",\"unit\":");
    if (!code && n->extra && *n->extra) json_str(out, n->extra);   /* a case's extra is its kind */
    else buf_puts(out, "null");
    buf_t url, text;
    buf_init(&url);
    buf_init(&text);
    if (code) buf_printf(&url, "%s/casos/%s", base_url, code);
    else buf_printf(&url, "%s/indicadores/plan", base_url);
    notice_subject(&text, n);
    buf_puts(out, ",\"url\":");
    json_str(out, url.data);
    buf_puts(out, ",\"text\":");
    json_str(out, text.data ? text.data : "");
    /* session 23: the case's kind as the machine value the cases table
     * keeps ("queja", "sugerencia", "elogio"; never localized), so a
     * gateway can route on it; null for a plan notice and for rows
     * written before issue 18's follow-up. Last, so the body only grew. */
    buf_puts(out, ",\"case_kind\":");
    if (code && n->extra && *n->extra) json_str(out, n->extra);
    else buf_puts(out, "null");
    buf_puts(out, "}");
    buf_free(&url);
    buf_free(&text);
}

void notice_sign(const unsigned char *key, size_t keylen, int64_t ts, const char *body, size_t len,
                 char out[NOTICE_SIG_LEN + 1])
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char pre[32];
    int pl = snprintf(pre, sizeof pre, "%lld.", (long long)ts);
    crypto_auth_hmacsha256_init(&st, key, keylen);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)pre, (unsigned long long)pl);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, (unsigned long long)len);
    crypto_auth_hmacsha256_final(&st, mac);
    memcpy(out, "sha256=", 7);
    sodium_bin2hex(out + 7, 65, mac, sizeof mac);
    sodium_memzero(&st, sizeof st);
}

int64_t notice_backoff_ms(int64_t base_ms, int attempts)
{
    if (base_ms < 1) base_ms = 1;
    int64_t d = base_ms;
    for (int i = 1; i < attempts && d < NOTICE_BACKOFF_MAX_MS; i++) d *= 2;
    return d < NOTICE_BACKOFF_MAX_MS ? d : NOTICE_BACKOFF_MAX_MS;
}

static const char *const fail_tags[NOTICE_FAIL_COUNT] = {
    [NOTICE_FAIL_OTHER] = "otro",          [NOTICE_FAIL_CONNECT] = "conexion",
    [NOTICE_FAIL_REFUSED] = "rechazo",     [NOTICE_FAIL_AUTH] = "autenticacion",
    [NOTICE_FAIL_TLS] = "tls",             [NOTICE_FAIL_HTTP] = "http",
    [NOTICE_FAIL_TIMEOUT] = "tiempo",
};

const char *notice_fail_tag(notice_fail_t f)
{
    return f >= 0 && f < NOTICE_FAIL_COUNT ? fail_tags[f] : fail_tags[NOTICE_FAIL_OTHER];
}

notice_fail_t notice_fail_parse(const char *err, const char **detail)
{
    if (detail) *detail = err ? err : "";
    for (int f = 0; err && f < NOTICE_FAIL_COUNT; f++) {
        size_t n = strlen(fail_tags[f]);
        if (!strncmp(err, fail_tags[f], n) && err[n] == ':' && err[n + 1] == ' ') {
            if (detail) *detail = err + n + 2;
            return (notice_fail_t)f;
        }
    }
    return NOTICE_FAIL_OTHER;
}

str_id_t notice_fail_text(notice_fail_t f)
{
    static const str_id_t t[NOTICE_FAIL_COUNT] = {
        S_NOTICE_FAIL_OTHER, S_NOTICE_FAIL_CONNECT, S_NOTICE_FAIL_REFUSED, S_NOTICE_FAIL_AUTH,
        S_NOTICE_FAIL_TLS,   S_NOTICE_FAIL_HTTP,    S_NOTICE_FAIL_TIMEOUT,
    };
    return f >= 0 && f < NOTICE_FAIL_COUNT ? t[f] : S_NOTICE_FAIL_OTHER;
}

str_id_t notice_fail_todo(notice_fail_t f)
{
    static const str_id_t t[NOTICE_FAIL_COUNT] = {
        S_NOTICE_DO_OTHER, S_NOTICE_DO_CONNECT, S_NOTICE_DO_REFUSED, S_NOTICE_DO_AUTH,
        S_NOTICE_DO_TLS,   S_NOTICE_DO_HTTP,    S_NOTICE_DO_TIMEOUT,
    };
    return f >= 0 && f < NOTICE_FAIL_COUNT ? t[f] : S_NOTICE_DO_OTHER;
}
