/*
 * store_int.h: how other modules add their own tables' queries to the
 * store without reaching into store.c (private to src/store*.c).
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
#include "store.h"

/* Run fn inside BEGIN IMMEDIATE ... COMMIT on the write connection. fn
 * returns STORE_OK, STORE_ERR (the transaction is rolled back) or another
 * non-negative code of its own (committed, passed through). Log SQLite
 * errors with a "store:" prefix in fn. */
int store_write_txn(store_t *s, int (*fn)(sqlite3 *db, void *arg), void *arg);

/* Run fn with the read connection (a consistent snapshot if fn opens a
 * read transaction itself with BEGIN; single statements are consistent on
 * their own). Returns what fn returns. */
int store_read(store_t *s, int (*fn)(sqlite3 *db, void *arg), void *arg);

#endif
