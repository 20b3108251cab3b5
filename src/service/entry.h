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

/* The channels of answers entered by staff (the product's channel codes:
 * web, papel, entrevista, registro). */
#define ENTRY_CHANNEL_PAPER     "papel"
#define ENTRY_CHANNEL_INTERVIEW "entrevista"

/* The post's field holding the date written on the paper. */
#define ENTRY_DATE_FIELD "_fecha"

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
} entry_rc_t;

typedef struct entry_out {
    /* INVALID, BAD_DATE, KEEP: the answers as posted (and, INVALID, their
     * errors), sid and start time, to show again (caller frees with
     * entry_out_free). */
    submit_prep_t prep;
    /* The form the answers' names are of (repeats expanded), or the
     * form given; owned by out when it is not the given one. */
    const form_t *form;
    form_t       *xf;
    /* STORED: the tracking code of the case it opened, or "". */
    char          code[16];
} entry_out_t;

/* Take the post of an answer entered by in->entered_by (required) for
 * in->form at in->point with channel in->channel (in->written is set here
 * from the post's ENTRY_DATE_FIELD when paper is true; in->sid and
 * in->started come from the post). Validates as a citizen's answer
 * (submit_prepare) and stores it now (waiting for the commit). Fills
 * *out; free it with entry_out_free whatever is returned. */
entry_rc_t entry_submit(store_t *s, kvlist_t *post, const submit_in_t *in, bool paper,
                        const carta_t *carta, const bizcal_t *cal, time_t now, entry_out_t *out);
void entry_out_free(entry_out_t *out);

#endif
