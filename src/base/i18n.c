/*
 * i18n.c: picking the visitor's language and looking up interface texts.
 * The texts themselves live in strings_es.c and strings_ht.c.
 */
#include "base/i18n.h"

#include <assert.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const *const tables[LANG_COUNT] = { strings_es, strings_ht };
static const char *const codes[LANG_COUNT] = { "es", "ht" };

const char *i18n(lang_t lang, str_id_t id)
{
    assert(lang >= 0 && lang < LANG_COUNT && id >= 0 && id < S_COUNT);
    const char *s = tables[lang][id];
    return s ? s : strings_es[id];
}

const char *i18n_code(lang_t lang)
{
    assert(lang >= 0 && lang < LANG_COUNT);
    return codes[lang];
}

/* Match the primary subtag of [s, s+n) ("es", "es-DO", "ht", "ht-HT"). */
static int parse_n(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) s++, n--;
    while (n && isspace((unsigned char)s[n - 1])) n--;
    size_t primary = 0;
    while (primary < n && s[primary] != '-' && s[primary] != '_') primary++;
    for (int i = 0; i < LANG_COUNT; i++)
        if (primary == 2 && !strncasecmp(s, codes[i], 2))
            return i;
    return -1;
}

/* A French tag ("fr", "fr-FR", "fr-HT"): many Haitian phones are set to
 * French, and buzon has no French, so their owners read Kreyòl best. Only
 * for Accept-Language: ?lang= and form languages stay es/ht. */
static bool is_french(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) s++, n--;
    return n >= 2 && !strncasecmp(s, "fr", 2) && (n == 2 || s[2] == '-' || s[2] == '_' ||
                                                  isspace((unsigned char)s[2]));
}

int i18n_parse(const char *code)
{
    return code ? parse_n(code, strlen(code)) : -1;
}

lang_t i18n_negotiate(const char *query_lang, const char *accept_language, lang_t fallback)
{
    int l = i18n_parse(query_lang);
    if (l >= 0) return (lang_t)l;
    if (!accept_language) return fallback;

    /* Accept-Language: "ht-HT,ht;q=0.9,es;q=0.8,fr;q=0.5". Highest q wins;
     * on a tie the first listed wins. */
    int best = -1;
    double best_q = 0.0;
    const char *p = accept_language;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *semi = memchr(p, ';', len);
        size_t tag_len = semi ? (size_t)(semi - p) : len;
        double q = 1.0;
        if (semi) {
            const char *qs = strstr(semi, "q=");
            if (qs && qs < p + len) q = strtod(qs + 2, NULL);
        }
        int cand = parse_n(p, tag_len);
        if (cand < 0 && is_french(p, tag_len)) cand = LANG_HT;
        if (cand >= 0 && q > best_q) {
            best = cand;
            best_q = q;
        }
        if (!end) break;
        p = end + 1;
    }
    return best >= 0 ? (lang_t)best : fallback;
}
