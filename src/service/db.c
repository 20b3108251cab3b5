/*
 * db.c: opening, closing and the form bookkeeping of the database for the
 * server and the commands (db.h). Calls store/store.h only.
 */
#include "service/db.h"

store_t *svc_db_open(const char *path, char *err, size_t errlen)
{
    return store_open(path, err, errlen);
}

void svc_db_close(store_t *s)
{
    store_close(s);
}

const char *svc_db_lost(store_t *s)
{
    return store_lost(s);
}

store_rc_t svc_db_reader_own(store_t *s)
{
    return store_reader_own(s);
}

void svc_db_reader_release(void)
{
    store_reader_release();
}

store_rc_t svc_db_check(const char *path, char *err, size_t errlen)
{
    return store_check_file(path, err, errlen);
}

store_rc_t svc_form_version(store_t *s, const char *form_id, const char *version,
                            const char *hash, const char *source, int64_t *id)
{
    return store_form_version(s, form_id, version, hash, source, id);
}

store_rc_t svc_form_counts(store_t *s, void (*cb)(void *arg, const char *form_id, int64_t n),
                           void *arg)
{
    return store_form_counts(s, cb, arg);
}
