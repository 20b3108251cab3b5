/*
 * interview_out.h: the JSON answer to a kept interview sent by
 * www/buzon.js (issue 17; service/interview.h). The page that kept it
 * reads it, never a person:
 *   {"ok": true, "code": "K7P4QX9MZ" | null}        stored (or already was)
 *   {"ok": false, "renew": true, "why": "..."}      its ticket no longer
 *        serves: kept until its interviewer opens an interview page again
 *   {"ok": false, "why": "..."}                     refused: kept, with
 *        why (in the interview's language), until someone discards it
 */
#ifndef BUZON_VIEW_INTERVIEW_OUT_H
#define BUZON_VIEW_INTERVIEW_OUT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/i18n.h"

/* Stored: code is the case it opened, "" or NULL for none. */
void interview_json_stored(buf_t *out, const char *code);
/* Not stored: why (a strings-table text) in lang, then labels (the
 * questions the server refused, n of them, may be 0) joined by "; ";
 * renew as above. */
void interview_json_refused(buf_t *out, lang_t lang, str_id_t why, const char *const *labels, size_t n,
                            bool renew);

#endif
