/*
 * answers.h: one citizen's answers to one form, checked against it.
 *
 * The flow on POST: answers_init, answers_from_post (raw submitted
 * values), answers_prefill_service (values the server knows, such as the service
 * type of the ?p= point, which override anything posted), answers_validate.
 * After validation every question has a relevance, a normalised value (or
 * none) and an error code; irrelevant questions have no value, as in ODK,
 * so they are never stored. Text typed into a question that does not
 * apply is the exception: it must never vanish silently, so it stays, as
 * the error AERR_NOT_APPLICABLE, and the page is shown again.
 */
#ifndef BUZON_ANSWERS_H
#define BUZON_ANSWERS_H

#include <stdbool.h>
#include <stddef.h>
#include "model/form.h"
#include "base/urlenc.h"

/* Longest text answer kept, in characters, as the browser's maxlength
 * counts them (a long complaint fits easily). The strings tables'
 * S_ERR_TOO_LONG states this number. */
#define ANSWER_MAX_TEXT 4000
/* The same in bytes at most (UTF-8 takes up to 4 bytes a character): the
 * bound for parsing a posted value before it is counted. */
#define ANSWER_MAX_BYTES (ANSWER_MAX_TEXT * 4)

/* Rounds of relevance and calculations answers_calculate does at most:
 * a form without a cycle through a calculation (refused at load) needs
 * two; a cycle of relevances alone a few more. */
#define ANSWERS_MAX_ROUNDS 8

typedef enum answer_err {
    AERR_NONE = 0,
    AERR_REQUIRED,     /* message: required_message, else S_ERR_REQUIRED */
    AERR_CONSTRAINT,   /* message: constraint_message, else S_ERR_CONSTRAINT */
    AERR_INTEGER, AERR_DECIMAL, AERR_DATE, AERR_CHOICE, AERR_TOO_LONG,
    AERR_PHONE,        /* not a Dominican or Haitian number (phone.h) */
    /* Text typed (a text, number or date question) into a question on the
     * page that does not apply: kept, neither stored nor dropped, until
     * the person changes the answer that makes it apply or clears it
     * (answers_why_not_applicable names that answer's question). */
    AERR_NOT_APPLICABLE,
    /* Nothing answered at all (only what the server filled in): set on the
     * first question the person could answer, so a tap on "send" by
     * mistake adds no empty response to the figures' n. */
    AERR_EMPTY,
    /* issue 16 item 5 */
    AERR_TIME,         /* not a time of day HH:MM */
    AERR_DATETIME,     /* not a date and a time */
    AERR_RANGE,        /* outside the range, or not on its step */
    AERR_RANK,         /* a rank with an option twice or a position empty */
    /* issue 16: places (model/geo.h) */
    AERR_GEOPOINT,     /* not a latitude and longitude we can read */
    AERR_GEO_RANGE,    /* latitude, longitude or accuracy out of range */
    AERR_GEOTRACE,     /* fewer than 2 points */
    AERR_GEOSHAPE,     /* fewer than 4 points, or not closed */
    /* issue 16, media: a file that is not a JPEG or PNG photo (its bytes
     * say so, whatever its name), or one that does not decode. */
    AERR_MEDIA_TYPE, AERR_MEDIA_BROKEN,
} answer_err_t;

typedef struct answers {
    const form_t *form;
    char        **val;       /* per question: value or NULL (owned) */
    bool         *relevant;  /* per question, after validation */
    bool         *prefilled; /* per question: set by the server */
    bool         *computed;  /* per question: the value is a calculation's
                                or a default the server applied, not the
                                person's (issue 15) */
    answer_err_t *err;       /* per question, after validation */
    char        **kept;      /* per question: a choice posted for a question that
                                does not apply (never stored; shown again, so a
                                page shown again loses nothing) or NULL (owned) */
    size_t        nerrors;
    int           lang;      /* the page's language (a form language
                                index) for labels in expressions, or -1:
                                the form's default */
    const char   *order_key; /* issue 16: the submission id, which seeds the
                                order of randomized choices; not owned; NULL:
                                none (the shared fresh page) */
} answers_t;

void answers_init(answers_t *a, const form_t *f);
void answers_free(answers_t *a);
/* Take each question's value from the posted pairs; select_multiple
 * values arrive as repeated keys and are joined with single spaces.
 * A geopoint comes as its own key (the API, the live page) or as the
 * fields of its page (issue 16): NAME:lat and NAME:lon (typed; a pasted
 * "18.85, -71.70" or geo: URI in NAME:lat alone is read whole), NAME:alt
 * and NAME:acc (the browser's fix), or NAME:place (a known place: the
 * geometry of that choice of the question's places list).
 * Keys that are not questions are ignored. */
void answers_from_post(answers_t *a, const kvlist_t *post);
/* The page's language, by code ("ht"): jr:choice-name() and instance()
 * labels read it where the form has it, else the form's default. */
void answers_set_lang(answers_t *a, const char *code);
/* Set every APP_POINT_SERVICE question to service_id (NULL: nothing). */
void answers_prefill_service(answers_t *a, const char *service_id);
/* issue 17: the same value as a default the person may change, for staff
 * entering a sheet or an interview (a complaint about the cemetery written
 * on the market's sheet is recorded as the cemetery's): set only where the
 * question has no value yet (none posted), and not marked prefilled, so
 * the page shows the question with it selected. */
void answers_default_service(answers_t *a, const char *service_id);
/* The fresh page's values (issue 15): each static default, and each
 * dynamic default that needs no answer and is the same for every visitor
 * (question_t.default_fresh). Calculations are not run here. */
void answers_prefill_defaults(answers_t *a);
/* Relevance and calculations together, to a fixed point: every question
 * with a calculation (form_t.calc_order, dependencies first) gets its
 * value, none when it does not apply; a read_only question gets its
 * default; an empty question with a dynamic default that needs answers
 * gets it. Posted values of calculated and read_only questions are
 * replaced. answers_validate calls it; call it alone before showing
 * unchecked answers again (language switch, 429). */
void answers_calculate(answers_t *a);
/* Whether question i must be answered with the current values: its
 * required, and its required expression when it has one. */
bool answers_required(const answers_t *a, size_t i);
/* Whether choice c of question i fits i's choice_filter with the current
 * values (issue 16: evaluated per choice, its columns readable by name as
 * in ODK: name, label, any other column of the choices sheet); true when
 * i has no filter. What the page shows, what the live reply allows and
 * what validation accepts are all this one test. */
bool answers_choice_fits(const answers_t *a, size_t i, const choice_t *c);
/* The order question i's choices are shown in: perm (form_nchoices(q)
 * entries, the caller's) gets indexes for form_choice_at. The list's order
 * unless q is randomized; then a shuffle seeded by q's seed (its value
 * with these answers, when it is a number) or else by a->order_key and
 * q's name: the same seed and answers always give the same order. An
 * or_other "other" stays last. */
void answers_choice_order(const answers_t *a, size_t i, size_t *perm);
/* Compute relevance and calculations (answers_calculate), drop irrelevant
 * values, normalise and check the rest.
 * Returns the number of errors (also in a->nerrors). */
size_t answers_validate(answers_t *a);
/* Relevance of question i given only the prefilled values: 1 relevant,
 * 0 irrelevant, -1 depends on what the citizen answers. Used when
 * rendering to leave out questions the server already knows don't apply. */
int answers_static_relevance(const answers_t *a, size_t i);
/* After answers_validate, for a question i that does not apply: the
 * question (or group) whose own condition is false while every question
 * that condition names applies, following chains (a phone needs a
 * consent, which needs a "yes" to a reply): the answer to change. i
 * itself when its own condition is the reason. */
size_t answers_why_not_applicable(const answers_t *a, size_t i);
/* The value of expression e (of question q of a->form, "what" naming
 * the column for the server log) with the current values, or NULL when
 * empty or failed. Caller frees. (issue 16: a repeat_count) */
char *answers_eval(const answers_t *a, const expr_t *e, const question_t *q, const char *what);
/* What to show again in question i's field: its value, else a kept
 * choice, else NULL. */
const char *answers_shown(const answers_t *a, size_t i);

#endif
