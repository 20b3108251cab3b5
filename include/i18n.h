/*
 * i18n.h: every text a citizen or staff member reads that does not come
 * from a form definition, in Spanish (es-DO) and Haitian Kreyòl, one table
 * per language (strings_es.c, strings_ht.c) indexed by str_id_t.
 *
 * Add a string: a new enum value here, then its text in BOTH tables; the
 * unit test test_i18n fails when any entry is missing. Texts are plain
 * (not HTML; the renderer escapes them) and are never printf formats.
 */
#ifndef BUZON_I18N_H
#define BUZON_I18N_H

typedef enum lang { LANG_ES = 0, LANG_HT = 1, LANG_COUNT } lang_t;

typedef enum str_id {
    S_LANG_NAME,            /* this language's own name: Español / Kreyòl */
    S_SITE_NAME,            /* Buzón ciudadano */
    S_ORG_NAME,             /* Ayuntamiento Municipal de Bánica */
    S_LANG_SWITCH_LABEL,    /* "Idioma" (label of the language switch) */
    /* index */
    S_INDEX_TITLE, S_INDEX_INTRO, S_INDEX_EMPTY, S_INDEX_POINTS,
    /* survey page */
    S_POINT_LABEL,          /* "Lugar" */
    S_REQUIRED,             /* "obligatoria" */
    S_REQUIRED_NOTE,        /* "Las preguntas marcadas con * son obligatorias." */
    S_SUBMIT,
    S_CHOOSE,               /* placeholder of a drop-down */
    S_COND_PREFIX,          /* "Responda solo si" */
    S_COND_ANSWERED,        /* "respondió" (… en «pregunta» respondió «opción») */
    S_COND_NOT_ANSWERED,    /* "no respondió" */
    S_COND_IN,              /* "en" */
    S_COND_AND, S_COND_OR,
    S_COND_GENERIC,         /* "Responda solo si aplica a su caso." */
    S_HONEYPOT,             /* label of the hidden anti-spam field */
    S_DATE_HINT,            /* "Formato: AAAA-MM-DD" */
    /* validation */
    S_ERR_SUMMARY,          /* "Revise estas respuestas:" */
    S_ERR_REQUIRED, S_ERR_CONSTRAINT, S_ERR_INTEGER, S_ERR_DECIMAL,
    S_ERR_DATE, S_ERR_CHOICE, S_ERR_TOO_LONG,
    /* thank-you page */
    S_THANKS_TITLE, S_THANKS_BODY, S_THANKS_ANOTHER, S_BACK_HOME,
    /* error pages */
    S_E400_TITLE, S_E400_BODY,
    S_E404_TITLE, S_E404_BODY,
    S_E405_TITLE, S_E405_BODY,
    S_E413_TITLE, S_E413_BODY,
    S_E500_TITLE, S_E500_BODY,
    S_E503_TITLE, S_E503_BODY,
    /* posters */
    S_POSTER_HEADLINE,      /* "¡Su opinión cuenta!" */
    S_POSTER_SCAN,          /* "Escanee el código con la cámara de su teléfono" */
    S_POSTER_TYPE,          /* "o escriba esta dirección:" */
    S_POSTER_ANON,          /* "Es anónima y toma un minuto." */
    S_POSTER_ALL_SERVICES,  /* point name when the poster has no point */
    /* posters page (/carteles) */
    S_POSTERS_TITLE,        /* "Carteles con código QR" */
    S_POSTERS_INTRO,
    S_POSTERS_FORM_ALONE,   /* row of a form without a point */
    S_POSTERS_LINK,         /* "Enlace corto" */
    S_POSTERS_PRINT,        /* "Imprimir (A4)" */
    S_POSTERS_HALF,         /* "Media página" */
    S_POSTERS_WHATSAPP,     /* "Imagen para WhatsApp" */
    S_POSTERS_QR,           /* "Solo el código QR" */
    /* limits: too many submissions from one address (429) */
    S_E429_TITLE, S_E429_BODY,
    S_COUNT
} str_id_t;

extern const char *const strings_es[S_COUNT];
extern const char *const strings_ht[S_COUNT];

/* The text of id in lang; never NULL for a complete table. */
const char *i18n(lang_t lang, str_id_t id);
/* "es" / "ht"; the HTML lang attribute value. */
const char *i18n_code(lang_t lang);
/* Parse "es"/"ht" (case-insensitive, region ignored: "es-DO"); -1 if unknown. */
int i18n_parse(const char *code);
/* Choose the visitor's language: ?lang= if valid, else the best match in
 * an Accept-Language header (q-values honoured), else fallback. Any
 * argument may be NULL. */
lang_t i18n_negotiate(const char *query_lang, const char *accept_language, lang_t fallback);

#endif
