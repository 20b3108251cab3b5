/*
 * diag.c: the "file:row: message" lines of diag.h, and their translations.
 *
 * How a line is translated: the arguments are formatted one conversion at a
 * time from the English format (the one the compiler checked against them),
 * each "%s" piece that is itself a known English message is replaced by its
 * translation, and the pieces are put, in order, in place of the
 * conversions of the language's translated format. Only the English format
 * ever reads the arguments, so a translation with wrong conversions could
 * show a wrong line but never read a wrong argument.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/diag.h"

enum { MAX_PIECES = 8, MATCH_BUDGET = 20000, SPEC_MAX = 32 };

/* One printf conversion of a format: its text [start, end), its
 * conversion letter and length modifier, and how many '*' it takes. */
typedef struct spec {
    const char *start, *end;
    char conv;
    char len[3];
    int stars;
} spec_t;

/* Parse the conversion at f (f[0] == '%', not "%%"); false if it is not
 * one diag.c can handle (then the line stays English). */
static bool parse_spec(const char *f, spec_t *sp)
{
    memset(sp, 0, sizeof *sp);
    sp->start = f++;
    while (*f && strchr("-+ #0", *f)) f++;
    if (*f == '*') { sp->stars++; f++; }
    else while (*f >= '0' && *f <= '9') f++;
    if (*f == '.') {
        f++;
        if (*f == '*') { sp->stars++; f++; }
        else while (*f >= '0' && *f <= '9') f++;
    }
    size_t k = 0;
    while (*f && strchr("hlzjt", *f) && k < 2) sp->len[k++] = *f++;
    if (!*f || !strchr("diucsxXo", *f)) return false;
    sp->conv = *f++;
    sp->end = f;
    return sp->end - sp->start < SPEC_MAX;
}

/* Is the conversion at conv (inside fmt) where a message goes, so that its
 * piece may be translated? Only the whole format ("%s"), a conversion after
 * ": " (an error's text: "bad expression in %s: %s", "cannot read: %s")
 * or after "takes " (an expression's "if() takes 3 arguments"): never a
 * quoted or named value, so an author's choice named "missing id" is
 * never translated. */
static bool message_slot(const char *fmt, const char *conv)
{
    size_t at = (size_t)(conv - fmt);
    if (at == 0) return !strcmp(fmt, "%s");
    return (at >= 2 && !strncmp(conv - 2, ": ", 2)) || (at >= 6 && !strncmp(conv - 6, "takes ", 6));
}

/* Format the arguments of fmt, one piece per conversion, into pieces[]
 * (each malloc'd, the caller frees *np of them); false when fmt has a
 * conversion diag.c does not handle or more than MAX_PIECES. */
static bool format_pieces(const char *fmt, va_list ap, char **pieces, bool *msg, size_t *np)
{
    *np = 0;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') continue;
        if (f[1] == '%') { f++; continue; }
        spec_t sp;
        if (*np == MAX_PIECES || !parse_spec(f, &sp)) return false;
        char one[SPEC_MAX];
        memcpy(one, sp.start, (size_t)(sp.end - sp.start));
        one[sp.end - sp.start] = '\0';
        int star[2] = { 0, 0 };
        for (int s = 0; s < sp.stars; s++) star[s] = va_arg(ap, int);
        buf_t b;
        buf_init(&b);
        /* the argument as printf reads it for this conversion (C11 7.21.6.1) */
#define ONE(T) do { T v = va_arg(ap, T); \
            if (sp.stars == 2) buf_printf(&b, one, star[0], star[1], v); \
            else if (sp.stars == 1) buf_printf(&b, one, star[0], v); \
            else buf_printf(&b, one, v); } while (0)
        bool sign = strchr("dic", sp.conv) != NULL;
        if (sp.conv == 's') ONE(const char *);
        else if (!strcmp(sp.len, "z")) { if (sign) ONE(long); else ONE(size_t); }
        else if (!strcmp(sp.len, "ll")) { if (sign) ONE(long long); else ONE(unsigned long long); }
        else if (!strcmp(sp.len, "l")) { if (sign) ONE(long); else ONE(unsigned long); }
        else if (!strcmp(sp.len, "j") || !strcmp(sp.len, "t")) { buf_free(&b); return false; }
        else if (sign) ONE(int);
        else ONE(unsigned);
#undef ONE
        msg[*np] = sp.conv == 's' && message_slot(fmt, sp.start);
        pieces[(*np)++] = buf_steal(&b);
        f = sp.end - 1;
    }
    return true;
}

/* Put pieces, in order, in place of the conversions of tmpl into out. */
static void substitute(buf_t *out, const char *tmpl, char *const *pieces, size_t np)
{
    size_t k = 0;
    for (const char *f = tmpl; *f; f++) {
        spec_t sp;
        if (*f != '%') buf_putc(out, *f);
        else if (f[1] == '%') buf_putc(out, *++f);
        else if (parse_spec(f, &sp)) {
            if (k < np) buf_puts(out, pieces[k]);
            k++;
            f = sp.end - 1;
        } else buf_putc(out, *f);
    }
}

/* Does s read as the English format f? Then its pieces go to at[]/len[]
 * (*np of them). Backtracking, bounded by *budget steps. */
static bool match(const char *s, const char *f, const char **at, size_t *len, const char **conv, size_t *np,
                  int *budget)
{
    if (--*budget < 0) return false;
    while (*f && *f != '%') {
        if (*s != *f) return false;
        s++, f++;
    }
    if (!*f) return !*s;
    if (f[1] == '%') return *s == '%' && match(s + 1, f + 2, at, len, conv, np, budget);
    spec_t sp;
    if (*np == MAX_PIECES || !parse_spec(f, &sp)) return false;
    size_t k = (*np)++, n = strlen(s);
    at[k] = s;
    conv[k] = f;
    if (sp.conv == 's') {
        for (size_t l = 0; l <= n; l++) {
            len[k] = l;
            if (match(s + l, sp.end, at, len, conv, np, budget)) return true;
        }
    } else if (sp.conv == 'c') {
        len[k] = 1;
        if (n && match(s + 1, sp.end, at, len, conv, np, budget)) return true;
    } else {
        const char *digits = strchr("xX", sp.conv) ? "0123456789abcdefABCDEF" : "0123456789";
        size_t l = (strchr("di", sp.conv) && *s == '-') ? 1 : 0, first = l;
        while (s[l] && strchr(digits, s[l])) l++;
        for (; l > first; l--) {
            len[k] = l;
            if (match(s + l, sp.end, at, len, conv, np, budget)) return true;
        }
    }
    (*np)--;
    return false;
}

/* How many characters of en are not conversions: a format of conversions
 * and punctuation only ("%s", "%s: %s") matches anything, so it is never
 * used to recognise a message. */
static size_t literal_len(const char *en)
{
    size_t n = 0;
    for (const char *f = en; *f; f++) {
        spec_t sp;
        if (*f == '%' && f[1] != '%' && parse_spec(f, &sp)) f = sp.end - 1;
        else if (*f != ':' && *f != ' ') n++;
    }
    return n;
}

/* s (an argument passed through "%s") in lang, when it reads as one of
 * lang's English formats, into out; false (out untouched) otherwise. */
static bool translate_piece(lang_t lang, const char *s, buf_t *out, int depth)
{
    size_t n;
    const diag_tr_t *t = diag_tr_table(lang, &n);
    for (size_t i = 0; i < n && depth < 2; i++) {
        if (literal_len(t[i].en) < 4) continue;
        const char *at[MAX_PIECES], *conv[MAX_PIECES];
        size_t len[MAX_PIECES], np = 0;
        int budget = MATCH_BUDGET;
        if (!match(s, t[i].en, at, len, conv, &np, &budget)) continue;
        char *sub[MAX_PIECES];
        for (size_t k = 0; k < np; k++) {
            char *raw = xmalloc(len[k] + 1);
            memcpy(raw, at[k], len[k]);
            raw[len[k]] = '\0';
            buf_t b;
            buf_init(&b);
            spec_t sp;
            if (parse_spec(conv[k], &sp) && sp.conv == 's' && message_slot(t[i].en, conv[k]) &&
                translate_piece(lang, raw, &b, depth + 1)) {
                free(raw);
                sub[k] = buf_steal(&b);
            } else {
                buf_free(&b);
                sub[k] = raw;
            }
        }
        substitute(out, t[i].tr, sub, np);
        for (size_t k = 0; k < np; k++) free(sub[k]);
        return true;
    }
    return false;
}

/* The message of fmt in lang from its English pieces, or NULL when
 * nothing of it has a translation (the English line stands). */
static char *translate(lang_t lang, const char *fmt, char *const *pieces, const bool *msg, size_t np)
{
    const char *tmpl = diag_tr(lang, fmt);
    char *mine[MAX_PIECES];
    bool any = tmpl != NULL;
    for (size_t k = 0; k < np; k++) {
        buf_t b;
        buf_init(&b);
        if (msg[k] && translate_piece(lang, pieces[k], &b, 0)) {
            mine[k] = buf_steal(&b);
            any = true;
        } else {
            buf_free(&b);
            mine[k] = xstrdup(pieces[k]);
        }
    }
    char *out = NULL;
    if (any) {
        buf_t b;
        buf_init(&b);
        substitute(&b, tmpl ? tmpl : fmt, mine, np);
        out = buf_steal(&b);
    }
    for (size_t k = 0; k < np; k++) free(mine[k]);
    return out;
}

static void slot_free(diag_tr_line_t *t)
{
    free(t->en);
    for (int l = 0; l < LANG_TABLES; l++) free(t->text[l]);
    memset(t, 0, sizeof *t);
}

void diag_add(diag_t *d, const char *file, int row, const char *fmt, ...)
{
    assert(d && file && fmt);
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "%s:%d: ", file, row);
    size_t prefix = b.len;
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *pieces[MAX_PIECES];
    bool msg[MAX_PIECES];
    size_t np = 0;
    bool ok = format_pieces(fmt, ap2, pieces, msg, &np);
    va_end(ap2);

    if (d->ntr < d->n + 1) {
        size_t want = d->ntr ? 2 * d->ntr : 8;
        if (want < d->n + 1) want = d->n + 1;
        d->tr = xrealloc(d->tr, want * sizeof *d->tr);
        memset(d->tr + d->ntr, 0, (want - d->ntr) * sizeof *d->tr);
        d->ntr = want;
    }
    diag_tr_line_t *t = &d->tr[d->n];
    slot_free(t);   /* a line a caller dropped (form_lookup.c's duplicates) */
    for (int l = 0; ok && l < LANG_TABLES; l++) {
        if (l == LANG_EN) continue;
        char *text = translate((lang_t)l, fmt, pieces, msg, np);
        if (!text) continue;
        buf_t line;
        buf_init(&line);
        buf_append(&line, b.data, prefix);
        buf_puts(&line, text);
        free(text);
        t->text[l] = buf_steal(&line);
    }
    for (size_t k = 0; k < np; k++) free(pieces[k]);
    d->lines = xrealloc(d->lines, (d->n + 1) * sizeof *d->lines);
    d->lines[d->n++] = buf_steal(&b);
    t->en = xstrdup(d->lines[d->n - 1]);
}

const char *diag_line(const diag_t *d, size_t i, lang_t lang)
{
    assert(d && i < d->n);
    if (i < d->ntr && lang < LANG_TABLES && d->tr[i].en && d->tr[i].text[lang] &&
        !strcmp(d->tr[i].en, d->lines[i]))
        return d->tr[i].text[lang];
    return d->lines[i];
}

void diag_free(diag_t *d)
{
    for (size_t i = 0; i < d->n; i++) free(d->lines[i]);
    free(d->lines);
    for (size_t i = 0; i < d->ntr; i++) slot_free(&d->tr[i]);
    free(d->tr);
    memset(d, 0, sizeof *d);
}

const diag_tr_t *diag_tr_table(lang_t lang, size_t *n)
{
    switch (lang) {
    case LANG_ES: *n = diag_tr_es_n; return diag_tr_es;
    case LANG_HT: *n = diag_tr_ht_n; return diag_tr_ht;
    case LANG_FR: *n = diag_tr_fr_n; return diag_tr_fr;
    default: *n = 0; return NULL;
    }
}

const char *diag_tr(lang_t lang, const char *en)
{
    size_t n;
    const diag_tr_t *t = diag_tr_table(lang, &n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(t[i].en, en)) return t[i].tr;
    return NULL;
}

lang_t diag_env_lang(const char *lc_all, const char *lc_messages, const char *lang)
{
    const char *v = lc_all && *lc_all ? lc_all : lc_messages && *lc_messages ? lc_messages : lang;
    if (!v) return LANG_EN;
    if (!strncmp(v, "es", 2)) return LANG_ES;
    if (!strncmp(v, "ht", 2)) return LANG_HT;
    if (!strncmp(v, "fr", 2)) return LANG_FR;
    return LANG_EN;
}
