/*
 * reg_entries.c (issue 18 follow-up): a page of a register's entries
 * (reg_entries.h): the store's rows, described as the report does.
 */
#include "service/reg_entries.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "model/media.h"
#include "model/plan.h"
#include "store/store_reglist.h"

/* The stored name of the first upload question's answer in e, or NULL
 * (a malloc'd copy). */
static char *evidence_of(const form_t *f, const store_entry_t *e)
{
    for (size_t k = 0; k < e->nanswers; k++) {
        const question_t *q = form_question(f, e->questions[k]);
        if (q && media_is_upload(q->type) && e->values[k][0]) return xstrdup(e->values[k]);
    }
    return NULL;
}

store_rc_t reg_entries_page(store_t *s, const form_t *f, int page, lang_t lang, reg_page_t *out)
{
    if (page < 1) page = 1;
    *out = (reg_page_t){ .page = page, .per = REG_ENTRIES_PER_PAGE };
    store_reg_page_t p;
    /* a page number beyond any real count stays an empty page, not an overflow */
    size_t offset = page > 1000000 ? (size_t)1000000 * REG_ENTRIES_PER_PAGE
                                   : (size_t)(page - 1) * REG_ENTRIES_PER_PAGE;
    if (store_register_page(s, f->id, offset, REG_ENTRIES_PER_PAGE, &p) != STORE_OK) return STORE_ERR;
    out->total = p.total;
    out->e = p.n ? xcalloc(p.n, sizeof *out->e) : NULL;
    for (size_t i = 0; i < p.n; i++) {
        const store_entry_t *e = &p.e[i];
        plan_entry_t d = { 0 };
        plan_entry_describe(f, (const char *const *)e->questions, (const char *const *)e->values, e->nanswers,
                            e->submitted_hour, lang, &d);
        reg_entry_t *r = &out->e[out->n++];
        r->id = e->id;
        memcpy(r->day, d.day, sizeof r->day);
        r->text = d.text ? d.text : xstrdup("");
        r->author = xstrdup(p.authors[i]);
        r->file = evidence_of(f, e);
    }
    store_reg_page_free(&p);
    return STORE_OK;
}
