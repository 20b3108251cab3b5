/*
 * testdb.h: a database of the test's own for unit tests of the store and
 * the services: a fresh folder, a migrated database in it, and one
 * version of the form "quejas" recorded (cases hang off its responses).
 */
#ifndef BUZON_TESTDB_H
#define BUZON_TESTDB_H

#include <stdint.h>

#include "store/store.h"

typedef struct test_db {
    char     dir[64];
    char     path[96];    /* <dir>/b.db */
    store_t *s;
    int64_t  fv;          /* the form version id of "quejas" */
} test_db_t;

/* Open t (fails the test on any error). */
void test_db_open(test_db_t *t);
/* Close the store and remove the folder (fails the test on an error). */
void test_db_close(test_db_t *t);

#endif
