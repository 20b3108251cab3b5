/*
 * reg_entry.c (issue 18 follow-up): freeing a page of register entries
 * (reg_entry.h).
 */
#include "model/reg_entry.h"

#include <stdlib.h>

void reg_page_free(reg_page_t *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->e[i].text);
        free(p->e[i].author);
        free(p->e[i].file);
    }
    free(p->e);
    p->e = NULL;
    p->n = 0;
}
