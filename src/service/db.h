/*
 * db.h: the database as the server and the commands open and close it.
 *
 * http/ and cli/ hold the store only as an opaque store_t pointer (and
 * read its result codes, store_rc_t) through this header and the other
 * service headers; they never include a store/ header or call a store_*
 * function themselves. Everything here is a thin, documented door to
 * store/store.h.
 */
#ifndef BUZON_SERVICE_DB_H
#define BUZON_SERVICE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* Open (creating if needed) and migrate the database at path. NULL with a
 * message in err on failure. Close with svc_db_close. */
store_t *svc_db_open(const char *path, char *err, size_t errlen);
/* Close s (NULL is fine). */
void svc_db_close(store_t *s);

/* issue 14: NULL while the database files are still the ones at the path
 * s was opened on, else why not; from then on nothing is stored or
 * acknowledged (store.h, store_lost: logged once). Cheap: a few stat
 * calls. */
const char *svc_db_lost(store_t *s);
/* The calling thread's own read connection (store_reader_own): for the
 * threads that run reports and downloads. */
store_rc_t svc_db_reader_own(store_t *s);
void svc_db_reader_release(void);
/* issue 14: whether the existing file at path is a sound database, before
 * serving from it (store.h, store_check_file: STORE_OK, STORE_INVALID
 * for damaged pages or not a database, STORE_ERR when it cannot be
 * checked; err says what). */
store_rc_t svc_db_check(const char *path, char *err, size_t errlen);

/* Record a loaded form's definition (its id, author's version, content
 * hash and CSV source); *id is the row responses are stored against.
 * STORE_OK or STORE_ERR. */
store_rc_t svc_form_version(store_t *s, const char *form_id, const char *version,
                            const char *hash, const char *source, int64_t *id);

/* Call cb once per form that has responses, in form id order, with its
 * number of responses (the public count of /api/v1/forms). cb must not
 * call into the store. STORE_OK or STORE_ERR. */
store_rc_t svc_form_counts(store_t *s, void (*cb)(void *arg, const char *form_id, int64_t n),
                           void *arg);

#endif
