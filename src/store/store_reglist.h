/*
 * store_reglist.h (issue 18 follow-up): one page of a register's entries,
 * newest first, with who entered each (the audit log's registro_anotado
 * entry, object "registro:<form>:<response id>", read on its index
 * audit_object), for the list /registros/<form>/entradas.
 */
#ifndef BUZON_STORE_REGLIST_H
#define BUZON_STORE_REGLIST_H

#include <stddef.h>
#include <stdint.h>

#include "store/store_entries.h"

typedef struct store_reg_page {
    store_entry_t *e;        /* n entries with their answers (store_entries_free) */
    char         **authors;  /* n account names ("" when the audit has none); owned */
    size_t         n;
    int64_t        total;    /* entries of the form in all */
} store_reg_page_t;

/* The entries of form_id after skipping offset of them, newest first (by
 * kept hour, then id), at most limit, into *out (zeroed first; free with
 * store_reg_page_free). STORE_OK or STORE_ERR (then *out empty). */
store_rc_t store_register_page(store_t *s, const char *form_id, size_t offset, size_t limit,
                               store_reg_page_t *out);

void store_reg_page_free(store_reg_page_t *p);

#endif
