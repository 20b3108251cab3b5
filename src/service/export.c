/*
 * export.c: a form's raw responses for the downloads (export.h). Calls
 * store/store_export.h only.
 */
#include "service/export.h"

#include <assert.h>

const char *export_fixed_col(int i)
{
    assert(i >= 0 && i < EXPORT_FIXED_COLS);
    return export_fixed_cols[i];
}

store_rc_t export_questions(store_t *s, const char *form_id,
                            void (*cb)(void *arg, const char *question), void *arg)
{
    return store_export_questions(s, form_id, cb, arg);
}

store_rc_t export_rows(store_t *s, const char *form_id, const char *const *questions, size_t n,
                       void (*cb)(void *arg, const export_row_t *row), void *arg)
{
    return store_export_rows(s, form_id, questions, n, cb, arg);
}
