/*
 * render_reg_entries.h (issue 18 follow-up): the page listing a staff
 * register's entries, /registros/<form>/entradas: a table, newest first,
 * of each entry's date, short description (the report's), who entered it
 * and a link to its evidence file, pages of REG_ENTRIES_PER_PAGE and a
 * link to the register's CSV download. Every value escaped.
 */
#ifndef BUZON_RENDER_REG_ENTRIES_H
#define BUZON_RENDER_REG_ENTRIES_H

#include <stdbool.h>

#include "base/buf.h"
#include "model/form.h"
#include "model/reg_entry.h"
#include "view/render_staff.h"

/* The page of register f's entries p, appended to out. */
void render_reg_entries(buf_t *out, const staff_view_t *v, bool public_indicators, const form_t *f,
                        const reg_page_t *p);

#endif
