/*
 * store_int.h: how other modules add their own tables' queries to the
 * store without reaching into store.c (private to src/store/).
 *
 * Their tables come from entries of the migrations array in store.c
 * (append only). Their statements run on the store's connections through
 * these two functions, which take the right lock; statements are prepared
 * by the callback (sqlite3_prepare_v3 with SQLITE_PREPARE_PERSISTENT is
 * fine for anything not on a hot path) and finalized before it returns.
 */
#ifndef BUZON_STORE_INT_H
#define BUZON_STORE_INT_H

#include <sqlite3.h>
#include "store/store.h"

/* These two return int, not store_rc_t, because they pass through what
 * their callback returns: a store_rc_t, or a code of the calling file's
 * own, which must be STORE_OWN_CODE or above so that it never reads as a
 * store_rc_t (store_ind.c's FOLD_MORE). A public function returns only
 * store_rc_t values. */
enum { STORE_OWN_CODE = 100 };

/* Run fn inside BEGIN IMMEDIATE ... COMMIT on the write connection. fn
 * returns STORE_ERR (the transaction is rolled back), STORE_OK or another
 * store_rc_t or own code (committed, passed through). Returns that, or
 * STORE_ERR when BEGIN or COMMIT failed. Log SQLite errors with a
 * "store:" prefix in fn. */
int store_write_txn(store_t *s, int (*fn)(sqlite3 *db, void *arg), void *arg);

/* Run fn with the read connection (a consistent snapshot if fn opens a
 * read transaction itself with BEGIN; single statements are consistent on
 * their own): the calling thread's own (store_reader_own), else the
 * shared one under its lock. Returns what fn returns. */
int store_read(store_t *s, int (*fn)(sqlite3 *db, void *arg), void *arg);

/* A new read-only connection to the store's database, configured as the
 * shared reader, for one long read on another thread while the shared
 * reader serves others (store_export.c: the second half of a large
 * download). NULL (logged) when it cannot be opened or the database is no
 * longer the one at its path (store_lost). The caller owns it: close it
 * with sqlite3_close on the thread that used it. */
sqlite3 *store_open_reader(store_t *s);

/* ---- shared by store_staff.c, store_cases.c and store_export.c (defined in store_staff.c) ---- */

/* Prepare sql on db and bind one argument per letter of types: 't' a
 * const char * (NULL binds NULL), 'i' an int64_t (pass exactly that type),
 * 'b' a const void * followed by an int length. Returns the statement
 * ready to step (caller finalizes), or NULL after logging. */
sqlite3_stmt *store_stmt(sqlite3 *db, const char *sql, const char *types, ...);
/* store_stmt, one step, finalize: for statements without rows. Returns
 * the step's extended result code (SQLITE_DONE on success). Failures are
 * logged, except constraint violations, which callers handle. */
int store_exec_args(sqlite3 *db, const char *sql, const char *types, ...);
/* Append an entry to the audit log inside the caller's transaction.
 * detail may be NULL. STORE_OK or STORE_ERR (logged). */
store_rc_t store_audit_add(sqlite3 *db, int64_t at, const char *actor, const char *action,
                           const char *object, const char *detail);

/* ---- store_submit's cases (store_cases.c) ---- */

/* Write r->open_case for the response just inserted as response_id,
 * inside the submission's savepoint, and set its code. STORE_OK or
 * STORE_ERR. */
store_rc_t store_cases_insert(sqlite3 *db, int64_t response_id, const store_response_t *r);
/* After STORE_DUP: set r->open_case->code to the code of the case stored
 * with r's submission id ("" when it has none). STORE_OK or STORE_ERR. */
store_rc_t store_cases_code_of(sqlite3 *db, const store_response_t *r);

#endif
