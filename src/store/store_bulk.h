/*
 * store_bulk.h: many synthetic responses written fast, for the benchmark
 * data generator (tools/gen_responses.c) and nothing else: the server
 * stores every answer through store_submit (store/store.h).
 *
 * A bulk writer has its own connection to a database that store_open has
 * already created or migrated, with synchronous=OFF and a large cache,
 * and writes the responses in large transactions: fast, and not durable
 * (if the generator crashes, run it again). It opens no cases.
 */
#ifndef BUZON_STORE_BULK_H
#define BUZON_STORE_BULK_H

#include <stddef.h>

#include "store/store.h"

typedef struct store_bulk store_bulk_t;

/* Open a bulk writer on the database at path and begin its first
 * transaction. NULL with a message in err on failure. End with
 * store_bulk_end. */
store_bulk_t *store_bulk_begin(const char *path, char *err, size_t errlen);

/* Insert r and its answers (r->open_case must be NULL; the submission id
 * must be new). Every STORE_BULK_BATCH responses the transaction is
 * committed and a new one begun. STORE_OK, or STORE_ERR (logged to stderr
 * with a "store:" prefix; the writer should then be ended). */
enum { STORE_BULK_BATCH = 50000 };
store_rc_t store_bulk_add(store_bulk_t *b, const store_response_t *r);

/* Commit what is pending (unless commit is false, after an error), close
 * and free b. STORE_OK or STORE_ERR (logged). */
store_rc_t store_bulk_end(store_bulk_t *b, bool commit);

#endif
