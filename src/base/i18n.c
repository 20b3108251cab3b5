/*
 * i18n.c: picking the visitor's language and looking up interface texts.
 * The texts themselves live in strings_es.c, strings_ht.c, strings_en.c and
 * strings_fr.c.
 */
#include "base/i18n.h"

#include <assert.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const *const tables[LANG_TABLES] = { strings_es, strings_ht, strings_en, strings_fr };
static const char *const codes[LANG_TABLES] = { "es", "ht", "en", "fr" };

const char *i18n(lang_t lang, str_id_t id)
{
    assert(lang >= 0 && lang < LANG_TABLES && id >= 0 && id < S_COUNT);
    const char *s = tables[lang][id];
    return s ? s : strings_es[id];
}

const char *i18n_code(lang_t lang)
{
    assert(lang >= 0 && lang < LANG_TABLES);
    return codes[lang];
}

/* Match the primary subtag of [s, s+n) ("es", "es-DO", "ht", "ht-HT")
 * against the first nlangs codes. */
static int parse_among(const char *s, size_t n, int nlangs)
{
    while (n && isspace((unsigned char)*s)) s++, n--;
    while (n && isspace((unsigned char)s[n - 1])) n--;
    size_t primary = 0;
    while (primary < n && s[primary] != '-' && s[primary] != '_') primary++;
    for (int i = 0; i < nlangs; i++)
        if (primary == 2 && !strncasecmp(s, codes[i], 2))
            return i;
    return -1;
}

/* The citizens' languages only (see i18n.h). */
static int parse_n(const char *s, size_t n)
{
    return parse_among(s, n, LANG_COUNT);
}

/* A French tag ("fr", "fr-FR", "fr-HT"): many Haitian phones are set to
 * French, and their owners read Kreyòl best: the standard forms are in
 * Spanish and Kreyòl, so such a phone gets Kreyòl, on purpose, though a
 * French table exists (it serves forms written in French). Only for
 * Accept-Language: ?lang= stays es/ht. */
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

/* Names a form author writes instead of a code (`label::English`, the
 * spelling KoboToolbox exports), in English and in the language itself. */
static const struct { const char *name; lang_t lang; } table_names[] = {
    { "english", LANG_EN },  { "french", LANG_FR },     { "français", LANG_FR },
    { "francais", LANG_FR }, { "spanish", LANG_ES },    { "español", LANG_ES },
    { "espanol", LANG_ES },  { "castellano", LANG_ES }, { "kreyòl", LANG_HT },
    { "kreyol", LANG_HT },   { "haitian", LANG_HT },    { "haitian creole", LANG_HT },
    { "kreyòl ayisyen", LANG_HT },
};

int i18n_table(const char *code_or_name)
{
    if (!code_or_name) return -1;
    size_t n = strlen(code_or_name);
    int l = parse_among(code_or_name, n, LANG_TABLES);
    if (l >= 0) return l;
    while (*code_or_name && isspace((unsigned char)*code_or_name)) code_or_name++, n--;
    while (n && isspace((unsigned char)code_or_name[n - 1])) n--;
    /* strncasecmp folds ASCII only: the accented names are listed lowercase
     * and a form's "Español" matches as written, "ESPAÑOL" does not. */
    for (size_t i = 0; i < sizeof table_names / sizeof table_names[0]; i++)
        if (strlen(table_names[i].name) == n && !strncasecmp(code_or_name, table_names[i].name, n))
            return table_names[i].lang;
    return -1;
}
