/*
 * form_columns.c: the column headers of a form's sheets as old XLSForm
 * templates and tools write them (issue 15 item 5). pyxform reads a header
 * `bind:relevant`, `bind:jr:constraintMsg`, `control:appearance` or
 * `media:image` (or with `::`) as the XForm attribute it names, so a form
 * written that way has relevance and constraints; buzon renames such a
 * header to the column it reads (relevant, constraint_message, ...) before
 * anything looks at the sheet. A header that is an XLSForm column buzon
 * does not read is a note in forms check, never a silent no-op.
 */
#include "model/form_int.h"

#include "base/buf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* `prefix:attribute` headers and the column buzon reads for each
 * (pyxform's aliases.survey_header, read backwards). */
static const struct prefixed {
    const char *prefix, *attr, *column;
} prefixed[] = {
    { "bind", "relevant", "relevant" },
    { "bind", "constraint", "constraint" },
    { "bind", "required", "required" },
    { "bind", "calculate", "calculation" },
    { "bind", "readonly", "read_only" },
    { "bind", "jr:constraintMsg", "constraint_message" },
    { "bind", "jr:requiredMsg", "required_message" },
    { "control", "appearance", "appearance" },
    { "media", "image", "image" },
};

/* The prefixes pyxform passes through to the XForm: a header with one of
 * them that is not in prefixed[] asks for something buzon does not do. */
static const char *const xform_prefixes[] = { "bind", "control", "media", "body", "instance" };

/* Survey columns of XLSForm that buzon does not read (media beside a
 * question, ODK Collect's display details, SMS). */
static const char *const unread_survey[] = {
    "image", "big-image", "audio", "video", "autoplay", "rows", "body", "noapperrorstring",
    "no_app_error_string", "sms_field", "sms_option", "sms_separator", "sms_allow_media",
    "sms_date_format", "sms_datetime_format", "sms_response", "compact_tag",
};

/* Split head at its colons ("::" as pyxform writes groups, or the older
 * ':'), keeping "jr:x" whole, into at most 8 trimmed tokens (pointers into
 * head, which is modified). pyxform splits at ':' only in a sheet with no
 * "::"; buzon splits a header either way, so `bind:relevant` beside
 * `label::English` works rather than being ignored. */
static size_t split_head(char *head, char **tok)
{
    /* "::" -> ":" in place */
    char *w = head;
    for (char *r = head; *r; r++) {
        *w++ = *r;
        if (r[0] == ':' && r[1] == ':') r++;
    }
    *w = '\0';
    size_t n = 0;
    char *p = head;
    while (p && n < 8) {
        char *sep = strchr(p, ':');
        /* "jr:constraintMsg": the colon is part of the attribute's name. */
        while (sep && sep - p == 2 && !strncasecmp(p, "jr", 2)) sep = strchr(sep + 1, ':');
        if (sep) *sep = '\0';
        tok[n++] = p;
        p = sep ? sep + 1 : NULL;
    }
    for (size_t i = 0; i < n; i++) {
        char *t = tok[i];
        while (*t == ' ') t++;
        size_t len = strlen(t);
        while (len && t[len - 1] == ' ') t[--len] = '\0';
        tok[i] = t;
    }
    return n;
}

void form_dealias_columns(loader_t *L, int sheet)
{
    sheet_t *s = &L->s[sheet];
    if (!s->present) return;
    csv_row_t *h = &s->t.rows[0];
    for (size_t c = 0; c < h->ncells; c++) {
        char *head = form_trimdup(h->cells[c]), *tok[8];
        size_t n = split_head(head, tok);
        bool xform = false;
        for (size_t i = 0; i < sizeof xform_prefixes / sizeof xform_prefixes[0]; i++)
            xform |= n >= 2 && !strcasecmp(tok[0], xform_prefixes[i]);
        const char *to = NULL;
        for (size_t i = 0; xform && i < sizeof prefixed / sizeof prefixed[0] && !to; i++)
            if (!strcasecmp(tok[0], prefixed[i].prefix) && !strcasecmp(tok[1], prefixed[i].attr))
                to = prefixed[i].column;
        /* A picture of a choice is read by form_load.c; the survey's
         * pictures beside questions are not shown. */
        if (to && sheet == F_SURVEY && !strcmp(to, "image")) to = NULL;
        if (to) {
            buf_t b;
            buf_init(&b);
            buf_puts(&b, to);
            for (size_t i = 2; i < n; i++) buf_printf(&b, "::%s", tok[i]);
            free(h->cells[c]);
            h->cells[c] = buf_steal(&b);
        } else if (sheet == F_SURVEY) {
            /* issue 16/18: body::accept is read (a file question's kinds,
             * form_survey.c), so it is no note. */
            bool unread = xform && !(n == 2 && !strcasecmp(tok[0], "body") && !strcasecmp(tok[1], "accept"));
            for (size_t i = 0; !unread && i < sizeof unread_survey / sizeof unread_survey[0]; i++)
                unread = !strcasecmp(tok[0], unread_survey[i]) && (n == 1 || !xform);
            if (unread)
                form_note(L, s->path, h->line, "column \"%s\" is ignored: buzon does not read it", h->cells[c]);
        }
        free(head);
    }
}

/* issue 15 item 5: a bound on the fields a fully answered page posts:
 * one per question, one per box of a select_multiple or place of a
 * rank, a geopoint's latitude, longitude and accuracy, an or_other's
 * text, and the page's own fields. Over FORM_MAX_POST_FIELDS the POST
 * would be refused (413): forms check says so. */
void form_note_post_fields(loader_t *L)
{
    const form_t *f = L->f;
    size_t n = 16;
    for (size_t i = 0; i < f->nq; i++) {
        const question_t *q = &f->q[i];
        if (!form_q_answerable(q)) continue;
        if (q->type == Q_SELECT_MULTIPLE || q->type == Q_RANK) n += form_nchoices(q);
        else if (q->type == Q_GEOPOINT) n += 3;
        else n++;
        if (q->or_other) n++;
    }
    if (n > FORM_MAX_POST_FIELDS)
        form_note(L, L->s[F_SURVEY].path, 1, "a page answered in full could send %zu fields, more than the %d "
                  "buzon takes in one sending: split the form or shorten its lists", n, FORM_MAX_POST_FIELDS);
}
