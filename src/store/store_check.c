/*
 * store_check.c: is a database file sound enough to serve from? (issue
 * 14 item 4; store.h, store_check_file). `buzon serve` asks before it
 * opens the database for writing, so that a file with damaged pages is
 * refused instead of taking answers it may lose or mangle.
 */
#include "store/store.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

store_rc_t store_check_file(const char *path, char *err, size_t errlen)
{
    assert(path && err && errlen > 0);
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    /* Read-write without CREATE: a hot WAL left by a crash must be
     * readable (recovery writes the -shm), and a missing file is not
     * made here. quick_check writes nothing. */
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_busy_timeout(db, 5000);
    /* quick_check reads every page and checks every b-tree's structure
     * and every record's format, without integrity_check's cross-check of
     * each index against its table, which takes ten times as long; (1):
     * stop at the first problem. */
    if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL);
    store_rc_t out = STORE_ERR;
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        const char *row = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
        if (row && !strcmp(row, "ok")) {
            out = STORE_OK;
        } else if (row) {
            snprintf(err, errlen, "%s is damaged: %s", path, row);
            out = STORE_INVALID;
        } else {
            rc = sqlite3_errcode(db);
        }
    }
    if (out == STORE_ERR) {
        int base = rc & 0xff;
        if (base == SQLITE_CORRUPT || base == SQLITE_NOTADB) {
            snprintf(err, errlen, "%s is damaged or not a database: %s", path,
                     db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
            out = STORE_INVALID;
        } else {
            snprintf(err, errlen, "%s: cannot check the database: %s", path,
                     db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}
