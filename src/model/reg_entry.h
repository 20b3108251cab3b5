/*
 * reg_entry.h (issue 18 follow-up): one entry of a staff register as the
 * list /registros/<form>/entradas shows it, and a page of them. Built by
 * service/reg_entries.h, shown by view/render_reg_entries.h.
 */
#ifndef BUZON_REG_ENTRY_H
#define BUZON_REG_ENTRY_H

#include <stddef.h>
#include <stdint.h>

typedef struct reg_entry {
    int64_t id;          /* response id */
    char    day[11];     /* its `fecha` answer, else the day stored (plan_entry_describe) */
    char   *text;        /* the report's short description; owned, never NULL */
    char   *author;      /* who entered it (audit log), "" when unknown; owned */
    char   *file;        /* its evidence file's stored name, or NULL; owned */
} reg_entry_t;

typedef struct reg_page {
    reg_entry_t *e;      /* owned */
    size_t       n;
    int64_t      total;  /* entries in all */
    int          page;   /* 1-based */
    int          per;    /* entries per page */
} reg_page_t;

/* Free p's entries (p itself is the caller's); p is left empty. */
void reg_page_free(reg_page_t *p);

#endif
