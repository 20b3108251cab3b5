/*
 * entry.h: answers entered by staff (issue 17): a paper questionnaire typed
 * in by a clerk (channel "papel", dated by the date written on the paper)
 * and an assisted interview (channel "entrevista", dated now). Both go
 * through the citizen's rules (service/submit.h: the same validation, the
 * same case for a complaint), with who entered them kept in the audit log
 * only, never in the response.
 *
 * Used by http/http_entry.c: it parses the post, calls entry_submit and
 * renders what it says.
 */
#ifndef BUZON_SERVICE_ENTRY_H
#define BUZON_SERVICE_ENTRY_H

#include <stdbool.h>
#include <time.h>

#include "base/urlenc.h"
#include "service/db.h"
#include "service/submit.h"
#include "store/store_held.h"

/* The channels of answers entered by staff (the product's channel codes:
 * web, papel, entrevista, registro). */
#define ENTRY_CHANNEL_PAPER     "papel"
#define ENTRY_CHANNEL_INTERVIEW "entrevista"

/* The post's field holding the date written on the paper. */
#define ENTRY_DATE_FIELD "_fecha"

/* Double entry of a paper batch: a post carrying ENTRY_BATCH_FIELD (a
 * label of 1..40 of [A-Za-z0-9._-]) and ENTRY_SHEET_FIELD (1..99999) is
 * held, not stored (store/store_held.h), until another clerk enters the
 * same sheet: the same answers and date are stored once (under the first
 * entry's submission id). Different ones are adjudicated blind (issue 17):
 * the second clerk learns only WHICH questions differ (RECHECK: names,
 * never entry 1's values) and types them again from the paper in a post
 * with ENTRY_RECHECK_FIELD; where that third value is entry 1's or entry
 * 2's for every difference, the sheet is stored with those values; else
 * it stays held (SUPERVISOR) until a supervisor (atencion or admin) sees
 * both entries (entry_review) and posts ENTRY_RESOLVE_FIELD choosing, for
 * each difference, entry 1 or 2 in "_v_<name>" ("_v__fecha" for the
 * date). Every value stored is taken from the held rows, never from the
 * post; the first clerk neither gives the third look at their own sheet nor resolves it. */
#define ENTRY_BATCH_FIELD   "_lote"
#define ENTRY_SHEET_FIELD   "_hoja"
#define ENTRY_RESOLVE_FIELD "_resolver"
#define ENTRY_RECHECK_FIELD "_tercera"
#define ENTRY_BATCH_MAX 40
#define ENTRY_SHEET_MAX 99999

/* The unix time of the Dominican local midnight of the date s
 * ("YYYY-MM-DD", as a date input writes it) into *out, when it is a real
 * date from 2000 on and not after the local date of now. */
bool entry_paper_date(const char *s, time_t now, time_t *out);

typedef enum entry_rc {
    ENTRY_STORED,     /* stored (or already stored: a repeat); code set */
    ENTRY_INVALID,    /* prep.answers has the errors: show the form again */
    ENTRY_BAD_DATE,   /* the paper's date is missing, malformed or future */
    ENTRY_KEEP,       /* a language switch or a repeat's button: show again */
    ENTRY_UNSAVED,    /* the database is lost (service/db.h): nothing taken */
    ENTRY_ERR,        /* the store failed */
    /* double entry */
    ENTRY_BAD_SHEET,  /* the batch label or sheet number is malformed */
    ENTRY_HELD,       /* the first entry of the sheet is held */
    ENTRY_SAME_CLERK, /* the second entry is the first clerk's: refused */
    ENTRY_DIFFERENT,  /* a supervisor's view of a held sheet: diff with
                         both values (entry_review, or a resolution the
                         form's rules refuse: refused set) */
    /* issue 17 */
    ENTRY_RECHECK,    /* the two entries differ: diff names which (its
                         values are not to be shown); prep holds the
                         second entry's answers, those questions emptied */
    ENTRY_SUPERVISOR, /* the third look did not settle it: held for a
                         supervisor */
    ENTRY_FORBIDDEN,  /* a resolution, review or discard by someone who may
                         not (not a supervisor / admin, or the first clerk) */
    ENTRY_EARLY_DATE, /* the paper's date is before the form version existed */
    ENTRY_NONE,       /* review, discard: nothing is held for the sheet */
    ENTRY_DISCARDED,  /* discard: the held entries are gone */
    /* issue 17: entry follow-ups */
    ENTRY_CONFLICT,   /* the sheet is stored already with other answers (a
                         mistyped sheet number?): nothing stored; prep
                         holds the answers as posted, batch and sheet set */
} entry_rc_t;

/* One difference between the two entries of a sheet. */
typedef struct entry_diff {
    const char *name;     /* the question's (the form's), or ENTRY_DATE_FIELD */
    char       *v1, *v2;  /* each entry's value, "" when none (owned) */
} entry_diff_t;

typedef struct entry_out {
    /* INVALID, BAD_DATE, KEEP: the answers as posted (and, INVALID, their
     * errors), sid and start time, to show again (caller frees with
     * entry_out_free). */
    submit_prep_t prep;
    /* The form the answers' names are of (repeats expanded), or the
     * form given; owned by out when it is not the given one. */
    const form_t *form;
    form_t       *xf;
    /* Repeats (session 23): the form of both held entries' instances
     * (diff, a review, a third look's page; out->form then) and the one a
     * resolution was checked with (prep's); owned, NULL when unused. */
    form_t       *xheld, *xres;
    /* STORED: the tracking code of the case it opened, or "". */
    char          code[16];
    /* Double entry: the sheet; DIFFERENT: the differences and who made
     * each entry (owned); INVALID after a resolution: final is set. */
    const char   *batch;         /* the post's */
    long          sheet;
    entry_diff_t *diff;
    size_t        ndiff;
    char         *by1, *by2;
    bool          final;         /* the sheet is stored already (a duplicate) */
    bool          refused;       /* DIFFERENT: the resolution broke the form's rules */
    char          date[11];      /* a resolution's date ("" otherwise) */
} entry_out_t;

/* Take the post of an answer entered by in->entered_by (required) for
 * in->form at in->point with channel in->channel (in->written is set here
 * from the post's ENTRY_DATE_FIELD for a paper, paper: its short code,
 * NULL for an interview; in->sid and in->started come from the post).
 * Validates as a citizen's answer (submit_prepare) and stores it now
 * (waiting for the commit), or holds it (a double-entry batch, above).
 * Fills *out; free it with entry_out_free whatever is returned. */
entry_rc_t entry_submit(store_t *s, kvlist_t *post, const submit_in_t *in, const char *paper,
                        bool supervisor, const carta_t *carta, const bizcal_t *cal, time_t now,
                        entry_out_t *out);
/* issue 17: what a supervisor (supervisor true: atencion or admin) sees of
 * the held sheet (batch, sheet) of paper for form: DIFFERENT with both
 * values, NONE when no two entries are held, FORBIDDEN for anyone else or
 * for the sheet's first clerk (who). Fills *out (entry_out_free). */
entry_rc_t entry_review(store_t *s, const form_t *form, const char *paper, const char *batch, long sheet,
                        const char *who, bool supervisor, entry_out_t *out);
/* issue 17: the held sheets a supervisor has to look at (two entries
 * that differ), at most ENTRY_HELD_LIST_MAX, into *out (entry_held_list_free)
 * and *n; nothing for anyone else (supervisor false). false on a store
 * error. */
#define ENTRY_HELD_LIST_MAX 200
bool entry_held_list(store_t *s, bool supervisor, held_sheet_t **out, size_t *n);
void entry_held_list_free(held_sheet_t *v, size_t n);
/* issue 17: an administrator (admin true) discards the held entries of
 * the sheet: DISCARDED, NONE, FORBIDDEN or ERR. */
entry_rc_t entry_discard(store_t *s, const char *paper, const char *batch, long sheet, const char *who,
                         bool admin, time_t now);
void entry_out_free(entry_out_t *out);

#endif
