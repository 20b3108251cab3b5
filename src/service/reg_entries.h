/*
 * reg_entries.h (issue 18 follow-up): the entries of a staff register,
 * a page at a time, for /registros/<form>/entradas: each with the day and
 * short description the report for the MAP uses (plan_entry_describe),
 * who entered it and its evidence file. Calls store/store_reglist.h.
 */
#ifndef BUZON_SERVICE_REG_ENTRIES_H
#define BUZON_SERVICE_REG_ENTRIES_H

#include "base/i18n.h"
#include "model/form.h"
#include "model/reg_entry.h"
#include "store/store.h"

enum { REG_ENTRIES_PER_PAGE = 50 };

/* Page page (1-based; below 1 is 1) of register f's entries, newest
 * first, REG_ENTRIES_PER_PAGE to a page, described in lang, into *out
 * (free with reg_page_free). A page past the last is empty (out->total
 * still says how many there are). STORE_OK or STORE_ERR (*out empty). */
store_rc_t reg_entries_page(store_t *s, const form_t *f, int page, lang_t lang, reg_page_t *out);

#endif
