/*
 * form.h: a survey as loaded from an XLSForm folder
 * (forms/<id>/survey.csv, choices.csv, settings.csv), validated and ready to
 * render and to check answers against.
 *
 * Loading never half-succeeds: form_load() either returns a complete form
 * or collects every problem it found as `file:row: message` diagnostics.
 *
 * Languages: every translatable column comes as `label` (no language) or
 * `label::Name (code)`, e.g. `label::Español (es)`, `label::Kreyòl (ht)`.
 * A form has up to FORM_MAX_LANGS languages; text_t holds one string per
 * language index (NULL when that translation is missing) and form_text()
 * falls back to the default language, then to any language.
 *
 * XLSForm as written in the wild (issue 15) loads too: type aliases, metadata
 * rows, `label:English` headers, the same name in different groups (stored
 * by group path, e.g. "hogar.edad"); what buzon accepts but treats
 * differently from an XLSForm tool is a note in form_t.notes.
 */
#ifndef BUZON_FORM_H
#define BUZON_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/diag.h"
#include "model/expr.h"

/* Real forms use up to a dozen languages; the cap only bounds text_t. */
#define FORM_MAX_LANGS 32
/* issue 15 item 5: the most fields one survey POST may carry (answers,
 * each box of a select_multiple, the page's own fields). The largest real
 * form measured (263 questions) needs about 400; 2000 empty fields still
 * fit the 64 KB body limit. forms check notes a form that could exceed it. */
#define FORM_MAX_POST_FIELDS 2000

typedef struct text {
    char *s[FORM_MAX_LANGS];
} text_t;

typedef enum qtype {
    Q_TEXT, Q_INTEGER, Q_DECIMAL, Q_DATE, Q_NOTE,
    Q_SELECT_ONE, Q_SELECT_MULTIPLE, Q_BEGIN_GROUP, Q_END_GROUP,
    Q_CALCULATE,       /* not shown; its calculation's value is stored */
    /* issue 16 item 5 (values as stored: answers.c) */
    Q_TIME,            /* "HH:MM" */
    Q_DATETIME,        /* "YYYY-MM-DDTHH:MM", local time */
    Q_RANGE,           /* a number in range_start..range_end on range_step */
    Q_ACKNOWLEDGE,     /* one checkbox; "OK" or nothing (also type trigger) */
    Q_HIDDEN,          /* not shown; its default (or calculation) is stored */
    Q_RANK,            /* every choice of its list once, in order: the
                          names space-separated */
    /* issue 16: places (model/geo.h): stored as ODK stores them */
    Q_GEOPOINT, Q_GEOTRACE, Q_GEOSHAPE,
    Q_IMAGE,           /* a photo sent with the answers (issue 16, media.h);
                          its value is the stored file's name */
    Q_AUDIO, Q_VIDEO, Q_FILE   /* issue 16: other files, the same way */
} qtype_t;

/* Appearance flags; unknown appearances are ignored. */
enum {
    APP_MINIMAL       = 1 << 0,   /* select_one as a drop-down */
    APP_LIKERT        = 1 << 1,   /* choices in one row, scale style */
    APP_HORIZONTAL    = 1 << 2,   /* choices side by side */
    APP_MULTILINE     = 1 << 3,   /* text as a textarea */
    APP_FIELD_LIST    = 1 << 4,   /* group shown as one page (always, here) */
    APP_POINT_SERVICE = 1 << 5,   /* buzon: select_one prefilled with the
                                     service type of the ?p= point */
    /* issue 16 item 5 */
    APP_NUMBERS       = 1 << 6,   /* text with a number keypad */
    APP_MONTH_YEAR    = 1 << 7,   /* date asked as a month: YYYY-MM-01 */
    APP_YEAR          = 1 << 8,   /* date asked as a year: YYYY-01-01 */
    APP_NO_CALENDAR   = 1 << 9,   /* date typed in a plain text field */
    APP_NO_TICKS      = 1 << 10,  /* range: a number field, never a list */
    APP_NEW           = 1 << 11,  /* image: straight to the camera (rear) */
    APP_NEW_FRONT     = 1 << 12,  /* image: the front camera (new-front, selfie) */
    /* issue 15 item 5 */
    APP_TEL           = 1 << 13,  /* text typed "phone number": a phone keypad */
};

typedef struct choice {
    char   *name;
    text_t  label;
    char  **extra_keys;    /* other columns of choices.csv (for choice_filter) */
    char  **extra_vals;
    size_t  nextra;
    char   *image;         /* issue 16: its media::image, a file name in
                              form_t.media; NULL when none (or not found) */
    int     image_row;     /* its row, for notes */
} choice_t;

/* A picture beside the form, read when it loads (form_media.c). */
#define FORM_MEDIA_MAX   (1024 * 1024)
#define FORM_MEDIA_TOTAL (10 * 1024 * 1024)
typedef struct form_media {
    char          *name;   /* the file name, as the choices sheet gives it */
    const char    *type;   /* from its bytes: "image/png", ... (static) */
    unsigned char *data;
    size_t         len;
} form_media_t;

typedef struct choice_list {
    char     *name;
    choice_t *choices;
    size_t    nchoices;
    int       lang;        /* language of "label" in instance() lookups
                              when the page's is missing: the form's
                              default (form_lookup.c) */
} choice_list_t;

typedef struct question {
    qtype_t  type;
    char    *name;             /* "" for end_group rows without a name */
    int      row;              /* 1-based row in survey.csv */
    int      parent;           /* index of the enclosing begin_group, or -1 */
    text_t   label, hint, required_msg, constraint_msg;
    text_t   guidance_hint;    /* shown as a secondary hint */
    bool     required;
    unsigned appearance;       /* APP_* flags */
    char    *relevant_src, *constraint_src, *choice_filter_src; /* NULL if none */
    expr_t  *relevant, *constraint, *choice_filter;             /* parsed */
    char    *required_src;     /* required as an expression, or NULL; */
    expr_t  *required_if;      /* parsed; required is then true, and
                                  answers_validate asks it when this holds */
    char    *calc_src;         /* calculation column, or NULL */
    expr_t  *calc;             /* parsed: the value, recomputed server-side
                                  on submit and every re-render */
    bool     calc_volatile;    /* calc calls today(), now(), uuid(),
                                  random() or once(): evaluated once per
                                  answers_calculate, not every round */
    bool     calc_once;        /* calc calls once(): its earlier value (the
                                  page carries it, hidden) is kept, as the
                                  ODK spec says of once() */
    char    *default_src;      /* default column, or NULL */
    expr_t  *default_expr;     /* a dynamic default (an expression), parsed;
                                  NULL when default_src is a static value */
    bool     default_fresh;    /* the dynamic default needs no answer and
                                  gives the same value to every visitor:
                                  it is evaluated on the fresh page */
    bool     read_only;        /* shown, not editable: the value is the
                                  default's or the calculation's */
    char    *trigger_src;      /* trigger column (accepted: server-side
                                  every calculation is redone on submit) */
    const choice_list_t *list; /* select_one / select_multiple / rank */
    double   range_start, range_end, range_step;   /* Q_RANGE: parameters
                                  start, end, step (1, 10, 1 by default) */
    const choice_list_t *places; /* issue 16: a geopoint's known places
                                  (parameters "places=<list>"; each
                                  choice's geometry column holds its
                                  "lat lon alt acc"), or NULL */
    /* issue 16, or_other ("select_one L or_other", "select one from L or
     * specify other"): or_other is set on the select, other is the
     * "other" choice added after its list's (owned; NULL when the list
     * has its own "other"). The loader adds after the select a text
     * question named <name>_other, as pyxform does, relevant when
     * "other" is selected: the "specify" text. */
    choice_t *other;
    bool      or_other;
    /* issue 16, parameters randomize=true and seed=: the choices are shown
     * in an order of their own (answers_choice_order), seeded by seed's
     * value (a number or an expression, owned) or else by the submission
     * id, so a page shown again keeps its order. */
    bool      randomize;
    char     *seed_src;
    expr_t   *seed;
    /* issue 16, media: a file question's body::accept (".pdf,.docx",
     * "application/pdf", "image/ *" without the space), or NULL: what it takes (owned). */
    char     *accept;
    /* issue 16: repeats (form_repeat.c). A begin_repeat is a
     * Q_BEGIN_GROUP and an end_repeat a Q_END_GROUP with repeat set. */
    bool     repeat;
    char    *repeat_count_src;  /* repeat_count column, or NULL */
    expr_t  *repeat_count;      /* parsed (owned) */
    int      rep_index;         /* expanded form: the instance (1-based) of
                                   the innermost repeat q is in; on a
                                   repeat's begin and end rows, that
                                   repeat's (0: a repeat without
                                   instances); 0 outside repeats */
    int      rep_n;             /* expanded form, a repeat's begin row:
                                   how many instances it has */
    int      orig;              /* expanded form: index of the question in
                                   the loaded form it is a copy of */
} question_t;

/* Metadata rows (start, end, today...) are not questions: form_t.meta
 * says which ones a form asked for. start, end and today are what buzon
 * already keeps of every response (the hour it was sent, coarsened, and
 * how long it took); the rest are never recorded (privacy). */
enum {
    META_START = 1 << 0,   /* = submitted_hour less duration_s */
    META_END   = 1 << 1,   /* = submitted_hour */
    META_TODAY = 1 << 2,   /* = the day of submitted_hour */
};

typedef struct form {
    char   *id;                /* settings form_id, else the folder name */
    char   *version;           /* settings version ("" if none) */
    text_t  title;
    int     nlangs;
    char   *lang_code[FORM_MAX_LANGS];   /* "es", "ht"; "" for unnamed */
    char   *lang_name[FORM_MAX_LANGS];   /* "Español", "Kreyòl" */
    int     default_lang;      /* index into lang_code */
    question_t    *q;
    size_t         nq;
    choice_list_t *lists;
    size_t         nlists;
    char   *hash;              /* hex SHA-256 of the three CSV files' bytes:
                                  identifies this exact definition */
    char   *source;            /* the three files concatenated, for the
                                  database's copy of each version */
    unsigned meta;             /* META_* flags */
    size_t *calc_order;        /* indexes of the questions with a
                                  calculation, dependencies first; owned */
    size_t  ncalc;
    size_t *eval_order;        /* every question, each after those its
                                  relevance, groups and calculation name
                                  (form_order.c); owned, NULL for a form
                                  not from form_load (form order then) */
    char  **notes;             /* "file:row: message": accepted, but not as
                                  an XLSForm tool would (forms check prints
                                  them); owned */
    size_t  nnotes;
    form_media_t *media;       /* issue 16: the choices' pictures (owned) */
    size_t  nmedia;
    int64_t upload_id;         /* the upload from the browser it was
                                  published from (catalog_load_with); 0:
                                  from the forms folder */
    /* issue 16: repeats (form_repeat.h) */
    bool    has_repeats;       /* the form has a begin_repeat */
    const struct form *expanded_from;   /* an expanded form: the loaded
                                  form its texts and lists belong to; NULL
                                  for a loaded form */
    /* issue 18: settings `access` = staff: a register staff fill in on
     * /registros, never listed, served or printed for the public
     * (catalog_public_form); false for `public` or no setting. */
    bool    staff;
} form_t;

/* Load the form in folder dir (its CSV sheets, or the one .xlsx workbook
 * of a folder without survey.csv), or in the workbook dir names when it is
 * an .xlsx file; a workbook's problems are "book.xlsx:survey:12: ...".
 * On success returns the form (caller frees
 * with form_free) and leaves d untouched; on failure returns NULL and
 * appends every problem found to d. Checks: required files and columns,
 * unknown types, names (missing, invalid XML name, duplicate), lists that
 * do not exist or are empty, duplicate choice names in a list, unbalanced
 * groups, bad expressions, references to unknown questions, bad settings,
 * more than FORM_MAX_LANGS languages. */
form_t *form_load(const char *dir, diag_t *d);
/* form_load for a workbook held in memory (an upload from the browser):
 * name is the file name the author gave it ("encuesta.xlsx"), which
 * problems start with ("encuesta.xlsx:survey:12: ...") and which gives
 * the form its id when the settings sheet has none. data need only live
 * for the call. Same result, diagnostics and ownership as form_load. */
form_t *form_load_bytes(const char *name, const void *data, size_t len, diag_t *d);
void form_free(form_t *f);

/* All forms in the subfolders of root that contain a survey.csv (or one
 * .xlsx workbook), and the workbooks <id>.xlsx of root, sorted by
 * id. Returns the number loaded; problems of the ones that failed are in d.
 * *out is a malloc'd array the caller frees with form_free_all. */
size_t form_load_all(const char *root, form_t ***out, diag_t *d);
void form_free_all(form_t **forms, size_t n);

/* Language index for code ("es", "ht"), or -1. */
int form_lang(const form_t *f, const char *code);
/* Text in language li, falling back to the default language, then to any
 * language; "" if the text is absent. Never NULL. */
const char *form_text(const form_t *f, const text_t *t, int li);
/* Question by name, or NULL. */
const question_t *form_question(const form_t *f, const char *name);
/* True when q takes an answer: every question but notes and group
 * markers (begin_group, end_group). Only these have a value in answers,
 * a column in the export, a place in a count of questions. */
bool form_q_answerable(const question_t *q);
/* Choice of q by name (its list's, or its or_other "other"), or NULL. */
const choice_t *form_choice(const question_t *q, const char *name);
/* True when some question's choice order depends on the visit (randomize
 * without a seed, or with one that names an answer): the fresh page is
 * then rendered per visit, not shared (issue 16). */
bool form_orders_per_visit(const form_t *f);
/* The picture called name of f, or NULL (form_media.c). */
const form_media_t *form_media(const form_t *f, const char *name);
/* Number of choices q offers: its list's, plus its added "other"; and
 * the k-th of them, in the order the page shows them (issue 16). */
size_t form_nchoices(const question_t *q);
const choice_t *form_choice_at(const question_t *q, size_t k);

#endif
