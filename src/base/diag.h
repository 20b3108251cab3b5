/*
 * diag.h: diagnostics for people who write buzon's configuration files
 * (forms, points, services, indicators, the plan, the carta, holidays):
 * every problem found, as one "file:row: message" line each, e.g.
 * "forms/satisfaccion/survey.csv:12: unknown question ${edad2} in relevant".
 *
 * Loaders append to a diag_t instead of stopping at the first problem, so
 * an author sees everything to fix in one run of `buzon forms check`.
 *
 * Languages, gettext-style (issue 15): the loaders write their messages in
 * English, and diag_add also formats each one in every strings table
 * language (es, ht, fr) from that language's translation of the English
 * format (diag_tr_es[]... in strings_es.c...), so no call site changes and
 * a message nobody translated yet still shows, in English. An argument
 * passed through "%s" that is itself a known English message (an
 * expression's parse error, a workbook's error) is translated too, by
 * matching it against the tables' formats. lines[] stay English (the
 * command line, the logs, the tests); diag_line() gives a line in a
 * language.
 */
#ifndef BUZON_DIAG_H
#define BUZON_DIAG_H

#include <stddef.h>
#include "base/i18n.h"

/* One line's translations, made by diag_add beside lines[i]; en is a copy
 * of the English line they were made for, so a line a caller replaced or
 * appended by hand (shortcode.c) is never shown with another's text. */
typedef struct diag_tr_line {
    char *en;
    char *text[LANG_TABLES];    /* NULL where the English line stands */
} diag_tr_line_t;

typedef struct diag {
    char  **lines;
    size_t  n;
    diag_tr_line_t *tr;         /* diag.c's: translations, ntr slots */
    size_t  ntr;
} diag_t;

/* Append the line "file:row: message" (message formatted from fmt) to d,
 * and its translations (see above). d must start zeroed ({0}); it owns
 * the lines it collects. */
void diag_add(diag_t *d, const char *file, int row, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Line i of d (i < d->n) in lang: its translation when diag_add made one,
 * else the English line. Owned by d; valid until d changes. */
const char *diag_line(const diag_t *d, size_t i, lang_t lang);
/* Free the lines and leave d empty (zeroed), ready for reuse. */
void diag_free(diag_t *d);

/* One entry of a language's table of translated formats: the English
 * format exactly as a loader writes it, and its translation, with the same
 * printf conversions in the same order (test_diag_i18n checks it). */
typedef struct diag_tr {
    const char *en, *tr;
} diag_tr_t;

extern const diag_tr_t diag_tr_es[], diag_tr_ht[], diag_tr_fr[];
extern const size_t diag_tr_es_n, diag_tr_ht_n, diag_tr_fr_n;

/* lang's table (n entries) into *n; NULL (and 0) for English. */
const diag_tr_t *diag_tr_table(lang_t lang, size_t *n);
/* The translation of the English format en in lang, or NULL. */
const char *diag_tr(lang_t lang, const char *en);
/* The language of the command line's messages from the environment's
 * LC_ALL, LC_MESSAGES and LANG (the first set and non-empty wins, as
 * POSIX says): es, ht or fr when it starts with that code, else English.
 * Any argument may be NULL. */
lang_t diag_env_lang(const char *lc_all, const char *lc_messages, const char *lang);

#endif
