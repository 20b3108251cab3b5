/*
 * cases.h: complaints, suggestions and comments as cases that a person
 * answers, timed against the Carta de Servicios (plan actions 3, 6, 7).
 *
 * Where cases come from. Any form that has the standard questions
 * `comentario_tipo` (sugerencia / queja / elogio) and `comentario` opens a
 * case when a citizen picks one of those kinds and writes a comment or
 * asks to be contacted: the satisfaction survey's comment box and the
 * dedicated `quejas` form alike. The case is written in the same
 * transaction as the response (store_submit with open_case), so a response
 * and its case are stored together or not at all, and a duplicate
 * submission opens nothing new and gets the first case's code back.
 *
 * Personal data (Ley 172-13). Contact details (`contacto_nombre`,
 * `contacto_telefono`) are only ever answers to questions that are
 * relevant after explicit consent (`contacto_consent` = si). A case copies
 * nothing from its response: the comment and the contact details are read
 * from the response's answers, and erasing the contact (on request, or
 * automatically some days after closure) deletes those answers, the only
 * copy. Only atencion and admin ever see them.
 *
 * Tracking codes are CASE_CODE_LEN symbols of the poster alphabet
 * (SHORTCODE_ALPHABET: no 0/O, 1/I/L, U), drawn from libsodium's CSPRNG:
 * 30^9 is about 2^44, so codes cannot be guessed or enumerated. They are
 * shown grouped in threes ("K7P-4QX-9MZ") and accepted in any case, with
 * or without the dashes.
 *
 * Statuses: nuevo (nobody assigned) -> asignado -> respondido (a public
 * answer was given) -> cerrado. Closing is possible from any status; a
 * closed case takes only internal notes, contact erasure and reopening
 * (case_next_status, case_change_check: the store applies these).
 *
 * Closing without a public answer needs a reason (case_close_reason_t):
 * a duplicate, spam or abuse, or a matter outside the Ayuntamiento's
 * competence, which must say in the public answer where to go (e.g.
 * Línea 311). A compliment (elogio) needs no answer: it gets no deadline,
 * is never overdue and is not in the backlog.
 *
 * Reopening a closed case (audited) makes it open again with the same
 * deadline and the same first answer: the Carta's clock is not restarted,
 * so closing and reopening can never turn a late case into one on time.
 * Its close time and reason are cleared; the time to closure is measured
 * to its next closure.
 */
#ifndef BUZON_CASES_H
#define BUZON_CASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/answers.h"
#include "base/bizdays.h"
#include "model/points.h"

#define CASE_CODE_LEN 9

typedef enum case_status {
    CASE_NEW, CASE_ASSIGNED, CASE_ANSWERED, CASE_CLOSED, CASE_STATUS_COUNT
} case_status_t;

/* Why a case was closed without (or, out of competence, with only a
 * referral as) a public answer; stored as case_reason_name. */
typedef enum case_close_reason {
    CASE_REASON_NONE,           /* closed after a public answer (or before reasons existed) */
    CASE_REASON_DUPLICATE,      /* "duplicado": repeats another case */
    CASE_REASON_SPAM,           /* "spam": spam or abuse */
    CASE_REASON_OUT_OF_SCOPE,   /* "fuera_de_competencia": the answer says where to go */
    CASE_REASON_COUNT
} case_close_reason_t;

/* "" (none), "duplicado", "spam", "fuera_de_competencia". */
const char *case_reason_name(case_close_reason_t r);
/* Inverse of case_reason_name for the three reasons; CASE_REASON_NONE for
 * NULL or "", -1 when unknown. */
int case_reason_parse(const char *s);
/* True for a compliment (kind "elogio"): no deadline, never overdue, not
 * in the backlog or in the Carta's timings. */
bool cases_is_compliment(const char *kind);

/* "nuevo", "asignado", "respondido", "cerrado" (as stored). */
const char *case_status_name(case_status_t st);
/* Inverse of case_status_name; -1 when unknown. */
int case_status_parse(const char *s);

/* ---- tracking codes (cases.c) ---- */

/* A fresh random code. */
void case_code_new(char out[CASE_CODE_LEN + 1]);
/* Normalise a code as typed: dashes and spaces dropped, letters
 * capitalised, every symbol from the alphabet. 0 and the code in out, or
 * -1 when s cannot be a code. */
int case_code_normalize(const char *s, char out[CASE_CODE_LEN + 1]);
/* "K7P4QX9MZ" -> "K7P-4QX-9MZ". */
void case_code_pretty(const char *code, char out[CASE_CODE_LEN + 3]);

/* The audit log's object for a case is CASE_OBJECT_PREFIX and its code
 * ("caso:K7P4QX9MZ"): built by case_object() (or, in SQL, as
 * '" CASE_OBJECT_PREFIX "' || code) and read by case_object_code(). */
#define CASE_OBJECT_PREFIX "caso:"
#define CASE_OBJECT_SIZE (sizeof CASE_OBJECT_PREFIX + CASE_CODE_LEN)
/* Write the audit object of the case with this code (CASE_CODE_LEN
 * symbols) into out. */
void case_object(const char *code, char out[CASE_OBJECT_SIZE]);
/* The case code an audit object names (a pointer into object), or NULL
 * when object is not a case's. */
const char *case_object_code(const char *object);

/* ---- the Carta de Servicios (forms/carta.csv) (cases.c) ---- */

/* The promised response time per service type, in business days. */
typedef struct carta {
    char  **service;
    int    *days;
    size_t  n;
} carta_t;

/* Load dir/carta.csv (columns `service`, `business_days`; other columns
 * are notes and ignored). Every service of pts must have exactly one row
 * and every row a known service and a whole number of days from 1 to 365.
 * A missing file gives an empty carta (no standard: cases get no
 * deadline) and returns 0 with *missing set (missing may be NULL). Other
 * problems: -1 with `file:row: message` lines in d. Free with carta_free. */
int carta_load(const char *dir, const points_t *pts, carta_t *out, bool *missing, diag_t *d);
void carta_free(carta_t *c);
/* Promised business days for service, or -1 when there is none. */
int carta_days(const carta_t *c, const char *service);

/* ---- opening a case with a response ---- */

/* A case to write together with a response (store_response_t.open_case,
 * store/store.h). The strings are borrowed from the caller for the
 * store_submit call. */
typedef struct case_new {
    const char *kind;            /* "queja", "sugerencia", "elogio" */
    const char *service;         /* service id, or NULL when unknown */
    bool        wants_answer;    /* the citizen asked for a reply */
    int         standard_days;   /* from the carta, -1 when none */
    int32_t     due;             /* deadline (day number) when standard_days >= 0 */
    /* issue 17: when the case opens (cases.created_at), the hour of entry;
     * 0: the response's hour (a paper's is the date written on it, which
     * must not backdate the case's clock). */
    int64_t     created_at;
    /* Set by store_submit on STORE_OK (the new code) and on STORE_DUP
     * (the code of the case stored with the first copy, or "" if it had
     * none). */
    char        code[CASE_CODE_LEN + 1];
} case_new_t;

/* True for the questions whose answers are contact details (erased with
 * the contact, shown only to atencion and admin; store_cases.c lists the
 * same questions in its SQL). */
bool cases_is_contact(const char *question);

/* Decide from validated answers whether they open a case; if so fill *out
 * (borrowing strings from a) and return true. The service is the answer to
 * `servicio`, else pt's service; the deadline is the carta's promise
 * counted in business days from the local date of created_at. */
bool cases_from_answers(const answers_t *a, const point_t *pt, const carta_t *carta,
                        const bizcal_t *cal, int64_t created_at, case_new_t *out);

/* ---- cases as read back and changed (kept by store/store_cases.h) ---- */

/* A case as read back. Strings are owned by the record (case_rec_free);
 * optional ones are NULL, optional times 0. */
typedef struct case_rec {
    int64_t       id;
    char          code[CASE_CODE_LEN + 1];
    case_status_t status;
    char         *form_id, *kind, *lang;
    char         *service, *point_id;     /* may be NULL */
    char         *text;                   /* the citizen's comment, may be NULL */
    int64_t       created_at;
    int           standard_days;          /* -1: no standard applied */
    int32_t       due;                    /* valid when standard_days >= 0 */
    int64_t       first_answer_at, answered_at, closed_at, contact_erased_at;
    int64_t       assigned_to;            /* user id, 0 = nobody */
    char         *assigned_name;
    char         *public_answer;
    bool          wants_answer;
    char         *contact_name, *contact_phone;
    case_close_reason_t close_reason;     /* when closed */
    char          duplicate_of[CASE_CODE_LEN + 1];   /* closed as a duplicate of this
                                                        case; "" none (or before codes were kept) */
    char         *channel;                /* issue 17: how it came (web, papel,
                                             entrevista), NULL unknown */
} case_rec_t;

void case_rec_free(case_rec_t *c);
/* Free n records and the array (v may be NULL). */
void case_recs_free(case_rec_t *v, size_t n);

/* Which cases to list. status: a case_status_t, CASE_ANY_STATUS or
 * CASE_OPEN (every status but cerrado). service, form, point NULL: any.
 * Times bound created_at (from inclusive, to exclusive; 0 = unbounded).
 * after_id > 0: only the cases listed after the case (after_at, after_id)
 * in the newest-first order (created_at, then id, descending), to read a
 * long list in pieces. search (NULL or blank: any): the case whose code
 * it is (case_code_normalize: dashes, spaces and letter case do not
 * matter), or the cases whose comment or public answer hold every one of
 * its first CASE_SEARCH_WORDS words (any letter case, accents or not:
 * "atencion" finds "Atención"). */
enum { CASE_ANY_STATUS = -1, CASE_OPEN = -2 };
enum { CASE_SEARCH_WORDS = 6, CASE_SEARCH_MAX = 200 /* bytes looked at */ };
typedef struct case_query {
    int         status;
    const char *service, *form, *point;
    int64_t     from, to;
    int64_t     after_at, after_id;
    const char *search;
    const char *channel;   /* NULL: any; else the channel of the case's response
                              (model/indicators.h ind_channels; "paper" is papel) */
} case_query_t;

/* A change made by a member of staff. Fields left zero change nothing. */
typedef struct case_change {
    int64_t     assign_to;       /* > 0: assign to this (enabled) user */
    const char *public_answer;   /* non-empty: publish this answer */
    const char *note;            /* non-empty: add an internal note */
    bool        close;
    case_close_reason_t close_reason;   /* with close: why, if not answered */
    const char *duplicate_of;    /* with CASE_REASON_DUPLICATE: the code (normalised)
                                    of the original case, which must exist and be another */
    bool        erase_contact;
    const char *erase_reason;    /* with erase_contact: why (case_erase_reason) */
    bool        reopen;          /* a closed case: open it again */
} case_change_t;

/* Why staff erase a case's contact details, kept as the detail of its
 * "contacto_borrado" audit entry (the staff pages translate it):
 * CASE_ERASE_ASKED, the citizen asked (Ley 172-13, cancelación), or
 * CASE_ERASE_OTHER followed by the clerk's short text. (The retention
 * chore records "plazo_vencido".) */
#define CASE_ERASE_ASKED "a_pedido"
#define CASE_ERASE_OTHER "otro:"
enum { CASE_ERASE_TEXT_MAX = 150 };   /* characters of the other reason */
#define CASE_ERASE_REASON_SIZE (sizeof CASE_ERASE_OTHER + 4 * CASE_ERASE_TEXT_MAX)
typedef enum case_erase_rc {
    CASE_ERASE_OK, CASE_ERASE_NO_REASON, CASE_ERASE_TOO_LONG
} case_erase_rc_t;
/* The audit detail for "the citizen asked" (asked), else for the other
 * reason other (blanks around it trimmed, line breaks and tabs made
 * spaces), into out: CASE_ERASE_OK; CASE_ERASE_NO_REASON when neither is
 * given (other NULL or blank); CASE_ERASE_TOO_LONG when other has more
 * than CASE_ERASE_TEXT_MAX characters. */
case_erase_rc_t case_erase_reason(bool asked, const char *other, char out[CASE_ERASE_REASON_SIZE]);
/* True when reason is a detail case_erase_reason writes. */
bool case_erase_reason_valid(const char *reason);

/* True when ch may be applied to a case in status st: a closed case
 * takes only an internal note, the erasure of the contact and reopening. */
bool case_change_allowed(case_status_t st, const case_change_t *ch);

/* The whole rule for a change (normalised) to a case in status st that
 * has (answered) or has not had a public answer, of kind kind. */
typedef enum case_check {
    CASE_CHECK_OK,
    CASE_CHECK_CLOSED,          /* case_change_allowed says no */
    CASE_CHECK_NEEDS_REASON,    /* closing with no public answer, ever, and no reason */
    CASE_CHECK_NEEDS_REFERRAL,  /* out of competence without a public answer in ch
                                   saying where to go */
    CASE_CHECK_NEEDS_ORIGINAL,  /* a duplicate without the code of the original */
} case_check_t;
case_check_t case_change_check(case_status_t st, bool answered, const char *kind,
                               const case_change_t *ch);

/* What a change does to the status, in the order it is applied. */
typedef enum case_effect {
    CASE_EFFECT_ASSIGN,   /* nuevo -> asignado; any other status stays */
    CASE_EFFECT_ANSWER,   /* a public answer: -> respondido */
    CASE_EFFECT_CLOSE,    /* -> cerrado */
} case_effect_t;
/* The status a closed case goes back to when reopened: respondido if it
 * had a public answer, else asignado if someone has it, else nuevo. */
case_status_t case_reopen_status(bool answered, bool assigned);
/* The status of a case in status st after effect e. */
case_status_t case_next_status(case_status_t st, case_effect_t e);

/* The rule every change goes through (service/casework.c applies it):
 * blank texts (only spaces, tabs and line breaks) change nothing, so a
 * blank public_answer or note is dropped (set to NULL), and the contact
 * is never erased without a reason (erase_contact without a valid
 * erase_reason is dropped: the audit must say why). Returns true when
 * what is left does something (assign, close, erase the contact, or a
 * non-blank answer or note), false for an empty change, which must not
 * be saved: saving needs an answer or a note. */
bool case_change_normalize(case_change_t *ch);

/* An internal note on a case, as read back. The strings are owned by the
 * element (case_note_free). */
typedef struct case_note {
    int64_t at;
    char   *actor, *text;
} case_note_t;

/* Free n notes and the array (v may be NULL). */
void case_note_free(case_note_t *v, size_t n);

/* issue 16: an answer of the response that opened a case, as stored (the
 * case page shows its places). Owns both strings. */
typedef struct case_answer {
    char *question, *value;
} case_answer_t;
/* Free n answers and the array (v may be NULL). */
void case_answer_free(case_answer_t *v, size_t n);

/* ---- Carta de Servicios measures (cases_measures.c) ---- */

/* (cases_measures and cases_collect read the store; they take it as an
 * opaque struct store, store/store.h.) */
struct store;

enum { CASE_BACKLOG_BUCKETS = 4 };
/* Upper bounds (business days, inclusive) of the backlog buckets; the
 * last bucket is open-ended: 0-5, 6-10, 11-20, 21 and more. */
extern const int case_backlog_upper[CASE_BACKLOG_BUCKETS - 1];
/* The backlog bucket (0 .. CASE_BACKLOG_BUCKETS - 1) of a case age days
 * old (business days): the first whose upper bound age does not pass. */
int cases_backlog_bucket(int age);

typedef struct case_measures {
    size_t n;                           /* cases received in the period */
    /* Out of every timing below: compliments, and cases closed as
     * duplicates or spam. */
    size_t compliments, duplicates, spam;
    size_t out_of_scope;                /* closed with a referral (timed as answered) */
    size_t closed_unanswered;           /* closed with no public answer: failures */
    size_t answered, closed, open;
    double answer_median, answer_p90;   /* business days to first answer (NAN: none) */
    double close_median, close_p90;     /* business days to closure (NAN: none) */
    size_t within;                      /* first public answer on or before the deadline */
    size_t judged;                      /* with a standard: answered, closed, or open past it */
    size_t overdue_open;                /* open and past the deadline */
    double pct_within;                  /* 100 * within / judged (NAN when judged = 0) */
    double pct_lo, pct_hi;              /* Wilson 95% interval, in % */
    size_t backlog[CASE_BACKLOG_BUCKETS]; /* open cases by business-day age */
} case_measures_t;

/* Measure n records as of now (the store-reading side, cases_collect and
 * cases_measures, is service/case_measures.h). Percentiles interpolate
 * linearly between order statistics (Excel's MEDIAN / PERCENTILE.INC), so
 * planners can reproduce them. Compliments and cases closed as duplicates
 * or spam are only counted. Of the other cases with a deadline, a case is
 * within the standard only if its FIRST public answer came on or before
 * the deadline; % within standard = those / (cases answered + cases
 * closed without an answer + open cases without an answer already past
 * their deadline). */
void cases_measure_recs(const case_rec_t *recs, size_t n, const bizcal_t *cal, int64_t now,
                        case_measures_t *out);

/* Open cases' business-day age as of now. */
int cases_age(const case_rec_t *c, const bizcal_t *cal, int64_t now);
/* True when c is open, not a compliment, has had no public answer and
 * today (as of now) is after its deadline. */
bool cases_overdue(const case_rec_t *c, int64_t now);

#endif
