/*
 * store_backup.c: the SQLite side of `buzon backup` and `buzon restore`
 * (store_backup.h; the commands are cli/cli_backup.c, their steps
 * service/backup.c): the institution's information preserved (plan
 * action 2). Like the rest of src/store, the only code that speaks SQL.
 *
 * Backup copies a live database with SQLite's online backup API while the
 * server keeps serving: the copy is taken inside one read transaction on
 * the source, which in WAL mode never blocks the server's writers and
 * gives a consistent snapshot (without it, the backup API restarts from the
 * first page whenever another process writes, and on a busy server might
 * never finish). The copy goes to a temporary file beside the target, is
 * turned into a self-contained rollback-journal database (one file to copy
 * off the machine), flushed to disk, checked with PRAGMA integrity_check,
 * and only then renamed over the target, so a backup file is either the
 * previous complete one or the new verified one, never half written.
 *
 * Restore copies a verified backup into the database path, again through
 * the backup API (which writes through SQLite's own journal, so a failure
 * leaves the old database). It refuses to replace an existing database
 * without --force, and refuses even then while another process has it
 * open: it takes SQLite's exclusive lock first, which a running server
 * holds a shared claim on.
 *
 * Neither carries staff sessions across: a backup holds none, and restore
 * ends any an older backup held, so nobody is logged in again by a
 * restore (a session ended by logout or by disabling an account since the
 * backup must stay ended). Everyone signs in afresh after a restore.
 *
 * Both print what the database holds as `key<TAB>...` lines: the integrity
 * result, the schema version, the rows of every table, and the responses
 * of each form. Messages go to stderr as "buzon backup: ..." or "buzon
 * restore: ...", as the commands have always said them.
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store_backup.h"
#include "store/store.h"

/* Pages copied per backup step: small enough to report progress to SQLite
 * often, big enough that a municipal database takes a handful of steps. */
enum { PAGES_PER_STEP = 1024, BUSY_RETRIES = 200 };

/* Open path with flags; on failure print "buzon <cmd>: path: why" and
 * return NULL. */
static sqlite3 *open_db(const char *cmd, const char *path, int flags)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        fprintf(stderr, "buzon %s: %s: %s\n", cmd, path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_extended_result_codes(db, 1);
    return db;
}

/* The single integer a query answers, or -1. */
static int64_t query_int(sqlite3 *db, const char *sql, const char *param)
{
    sqlite3_stmt *st;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    if ((!param || sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC) == SQLITE_OK) &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* A database buzon wrote (and this build can read): it has the responses
 * table and a schema version it knows. Prints why not. */
static bool is_buzon_db(const char *cmd, sqlite3 *db, const char *path)
{
    int64_t v = query_int(db, "PRAGMA user_version", NULL);
    int64_t t = query_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                          "responses");
    if (v < 0 || t < 0) {
        fprintf(stderr, "buzon %s: %s: %s\n", cmd, path, sqlite3_errmsg(db));
        return false;
    }
    if (v < 1 || t != 1) {
        fprintf(stderr, "buzon %s: %s: not a buzon database\n", cmd, path);
        return false;
    }
    if (v > store_schema_version()) {
        fprintf(stderr, "buzon %s: %s: schema version %lld is newer than this buzon supports (%d)\n",
                cmd, path, (long long)v, store_schema_version());
        return false;
    }
    return true;
}

/* PRAGMA integrity_check; prints each problem. */
static bool integrity_ok(const char *cmd, sqlite3 *db, const char *path)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "buzon %s: %s: %s\n", cmd, path, sqlite3_errmsg(db));
        return false;
    }
    bool ok = true;
    int rows = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *line = (const char *)sqlite3_column_text(st, 0);
        rows++;
        if (!line || strcmp(line, "ok")) {
            fprintf(stderr, "buzon %s: %s: integrity_check: %s\n", cmd, path, line ? line : "?");
            ok = false;
        }
    }
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "buzon %s: %s: integrity_check: %s\n", cmd, path, sqlite3_errmsg(db));
        ok = false;
    }
    sqlite3_finalize(st);
    return ok && rows == 1;
}

/* Print the counts db holds (see the file comment). */
static bool print_counts(const char *cmd, sqlite3 *db, const char *path)
{
    printf("integrity\tok\nschema_version\t%lld\n",
           (long long)query_int(db, "PRAGMA user_version", NULL));
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema WHERE type = 'table'"
                               " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        /* A table name cannot be a bound parameter; it comes from the
         * database's own schema and is quoted as an identifier (%w). */
        char *sql = sqlite3_mprintf("SELECT count(*) FROM \"%w\"", name);
        int64_t n = sql ? query_int(db, sql, NULL) : -1;
        sqlite3_free(sql);
        if (n < 0) break;
        printf("table\t%s\t%lld\n", name, (long long)n);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) goto fail;
    if (sqlite3_prepare_v2(db, "SELECT form_id, count(*) FROM responses GROUP BY form_id ORDER BY form_id",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        printf("responses\t%s\t%lld\n", (const char *)sqlite3_column_text(st, 0),
               (long long)sqlite3_column_int64(st, 1));
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) goto fail;
    return fflush(stdout) == 0;
fail:
    fprintf(stderr, "buzon %s: %s: counting rows: %s\n", cmd, path, sqlite3_errmsg(db));
    return false;
}

/* Copy src's main database into dst's with the online backup API. */
static bool copy_db(const char *cmd, sqlite3 *src, sqlite3 *dst, const char *dst_path)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) {
        fprintf(stderr, "buzon %s: %s: %s\n", cmd, dst_path, sqlite3_errmsg(dst));
        return false;
    }
    int rc, busy = 0;
    do {
        rc = sqlite3_backup_step(b, PAGES_PER_STEP);
        /* The destination is ours alone, but be patient with a lock a
         * checkpoint may hold for a moment. */
        if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && busy++ < BUSY_RETRIES) {
            sqlite3_sleep(25);
            rc = SQLITE_OK;
        }
    } while (rc == SQLITE_OK);
    if (sqlite3_backup_finish(b) != SQLITE_OK || rc != SQLITE_DONE) {
        fprintf(stderr, "buzon %s: copying to %s: %s\n", cmd, dst_path,
                rc == SQLITE_DONE ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
        return false;
    }
    return true;
}

/* Delete every staff session in db (see the top of this file). A
 * database older than staff accounts has no sessions table: nothing to do. */
static bool end_sessions(const char *cmd, sqlite3 *db, const char *path)
{
    if (query_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'sessions'",
                  NULL) <= 0)
        return true;
    if (sqlite3_exec(db, "DELETE FROM sessions", NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "buzon %s: %s: %s\n", cmd, path, sqlite3_errmsg(db));
        return false;
    }
    return true;
}

bool store_sync_path(const char *path, bool dir)
{
    int fd = open(path, (dir ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = fsync(fd) == 0;
    return close(fd) == 0 && ok;
}

bool store_backup_copy(const char *db, const char *tmp)
{
    sqlite3 *src = open_db("backup", db, SQLITE_OPEN_READONLY);
    if (!src) return false;
    sqlite3_busy_timeout(src, 5000);
    bool ok = is_buzon_db("backup", src, db);
    /* One read transaction for the whole copy: a consistent snapshot that
     * the server's writes neither disturb nor wait for. */
    if (ok && (sqlite3_exec(src, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
               query_int(src, "SELECT count(*) FROM sqlite_schema", NULL) < 0)) {
        fprintf(stderr, "buzon backup: %s: %s\n", db, sqlite3_errmsg(src));
        ok = false;
    }
    sqlite3 *dst = ok ? open_db("backup", tmp, SQLITE_OPEN_READWRITE) : NULL;
    ok = dst && copy_db("backup", src, dst, tmp);
    sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(src);
    ok = ok && end_sessions("backup", dst, tmp);
    /* A WAL source's header says WAL; make the copy one plain file. */
    if (ok && sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "buzon backup: %s: %s\n", tmp, sqlite3_errmsg(dst));
        ok = false;
    }
    if (dst && sqlite3_close(dst) != SQLITE_OK) ok = false;
    if (ok && !store_sync_path(tmp, false)) {
        fprintf(stderr, "buzon backup: %s: %s\n", tmp, strerror(errno));
        ok = false;
    }
    if (!ok) return false;
    /* Check what reached the disk, through a fresh connection. */
    sqlite3 *chk = open_db("backup", tmp, SQLITE_OPEN_READONLY);
    ok = chk && integrity_ok("backup", chk, tmp) && print_counts("backup", chk, tmp);
    sqlite3_close(chk);
    return ok;
}

int store_restore_check(const char *file)
{
    sqlite3 *src = open_db("restore", file, SQLITE_OPEN_READONLY);
    if (!src) return -1;
    bool ok = is_buzon_db("restore", src, file) && integrity_ok("restore", src, file);
    sqlite3_close(src);
    return ok ? 1 : 0;
}

bool store_restore_copy(const char *file, const char *db)
{
    sqlite3 *src = open_db("restore", file, SQLITE_OPEN_READONLY);
    if (!src) return false;
    sqlite3 *dst = open_db("restore", db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    bool ok = dst != NULL;
    /* Hold the database exclusively from here on: this fails while a
     * server (or anyone) has it open, and keeps one from starting. */
    if (ok && (sqlite3_exec(dst, "PRAGMA locking_mode=EXCLUSIVE", NULL, NULL, NULL) != SQLITE_OK ||
               sqlite3_exec(dst, "BEGIN EXCLUSIVE; COMMIT", NULL, NULL, NULL) != SQLITE_OK)) {
        fprintf(stderr, "buzon restore: %s is in use (%s); stop `buzon serve` first\n", db,
                sqlite3_errmsg(dst));
        ok = false;
    }
    ok = ok && copy_db("restore", src, dst, db) && end_sessions("restore", dst, db) &&
         integrity_ok("restore", dst, db) && print_counts("restore", dst, db);
    sqlite3_close(src);
    if (dst && sqlite3_close(dst) != SQLITE_OK) ok = false;
    return ok;
}
