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
 * never finish). The copy goes to a temporary file the caller made (beside
 * the target; service/backup.c), is turned into a self-contained
 * rollback-journal database (one file to copy off the machine), flushed to
 * disk and checked with PRAGMA integrity_check; the caller renames it over
 * the target only then.
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
 * Both count what the verified database holds (store_counts_t: the schema
 * version, the rows of every table, and the responses of each form), which
 * the commands print. Nothing here prints: what goes wrong is appended to
 * the caller's err as "path: why" lines, which the commands print after
 * "buzon backup: " or "buzon restore: ", as they have always said them.
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

/* Pages copied per backup step: small enough to report progress to SQLite
 * often, big enough that a municipal database takes a handful of steps. */
enum { PAGES_PER_STEP = 1024, BUSY_RETRIES = 200 };

/* Open path with flags; on failure append "path: why" to err and return
 * NULL. */
static sqlite3 *open_db(const char *path, int flags, buf_t *err)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        buf_printf(err, "%s: %s\n", path, db ? sqlite3_errmsg(db) : "out of memory");
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
 * table and a schema version it knows. Says why not in err. */
static bool is_buzon_db(sqlite3 *db, const char *path, buf_t *err)
{
    int64_t v = query_int(db, "PRAGMA user_version", NULL);
    int64_t t = query_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                          "responses");
    if (v < 0 || t < 0) {
        buf_printf(err, "%s: %s\n", path, sqlite3_errmsg(db));
        return false;
    }
    if (v < 1 || t != 1) {
        buf_printf(err, "%s: not a buzon database\n", path);
        return false;
    }
    if (v > store_schema_version()) {
        buf_printf(err, "%s: schema version %lld is newer than this buzon supports (%d)\n",
                   path, (long long)v, store_schema_version());
        return false;
    }
    return true;
}

/* PRAGMA integrity_check (the one integrity check of buzon); appends each
 * problem to err. */
static bool integrity_ok(sqlite3 *db, const char *path, buf_t *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) {
        buf_printf(err, "%s: %s\n", path, sqlite3_errmsg(db));
        return false;
    }
    /* "ok" is the whole answer of a sound database; anything else is one
     * row per problem found. */
    bool ok = true;
    int rows = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *line = (const char *)sqlite3_column_text(st, 0);
        rows++;
        if (!line || strcmp(line, "ok")) {
            buf_printf(err, "%s: integrity_check: %s\n", path, line ? line : "?");
            ok = false;
        }
    }
    if (rc != SQLITE_DONE) {
        buf_printf(err, "%s: integrity_check: %s\n", path, sqlite3_errmsg(db));
        ok = false;
    }
    sqlite3_finalize(st);
    return ok && rows == 1;
}

void store_counts_free(store_counts_t *c)
{
    for (size_t i = 0; i < c->ntables; i++) free(c->tables[i].name);
    for (size_t i = 0; i < c->nforms; i++) free(c->forms[i].name);
    free(c->tables);
    free(c->forms);
    *c = (store_counts_t){ 0 };
}

static void add_count(store_count_t **v, size_t *n, const char *name, int64_t count)
{
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = (store_count_t){ xstrdup(name ? name : ""), count };
}

/* Count what db holds into *c (see the file comment). */
static bool count_rows(sqlite3 *db, const char *path, store_counts_t *c, buf_t *err)
{
    c->schema_version = query_int(db, "PRAGMA user_version", NULL);
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
        add_count(&c->tables, &c->ntables, name, n);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) goto fail;
    if (sqlite3_prepare_v2(db, "SELECT form_id, count(*) FROM responses GROUP BY form_id ORDER BY form_id",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        add_count(&c->forms, &c->nforms, (const char *)sqlite3_column_text(st, 0),
                  sqlite3_column_int64(st, 1));
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) goto fail;
    return true;
fail:
    buf_printf(err, "%s: counting rows: %s\n", path, sqlite3_errmsg(db));
    return false;
}

/* Copy src's main database into dst's with the online backup API. */
static bool copy_db(sqlite3 *src, sqlite3 *dst, const char *dst_path, buf_t *err)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) {
        buf_printf(err, "%s: %s\n", dst_path, sqlite3_errmsg(dst));
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
        buf_printf(err, "copying to %s: %s\n", dst_path,
                   rc == SQLITE_DONE ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
        return false;
    }
    return true;
}

/* Delete every staff session in db (see the top of this file). A
 * database older than staff accounts has no sessions table: nothing to do. */
static bool end_sessions(sqlite3 *db, const char *path, buf_t *err)
{
    if (query_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'sessions'",
                  NULL) <= 0)
        return true;
    if (sqlite3_exec(db, "DELETE FROM sessions", NULL, NULL, NULL) != SQLITE_OK) {
        buf_printf(err, "%s: %s\n", path, sqlite3_errmsg(db));
        return false;
    }
    return true;
}

store_rc_t store_sync_path(const char *path, bool dir)
{
    int fd = open(path, (dir ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
    if (fd < 0) return STORE_ERR;
    bool ok = fsync(fd) == 0;
    return close(fd) == 0 && ok ? STORE_OK : STORE_ERR;
}

store_rc_t store_backup_copy(const char *db, const char *tmp, store_counts_t *counts, buf_t *err)
{
    *counts = (store_counts_t){ 0 };
    sqlite3 *src = open_db(db, SQLITE_OPEN_READONLY, err);
    if (!src) return STORE_ERR;
    sqlite3_busy_timeout(src, 5000);
    bool ok = is_buzon_db(src, db, err);
    /* One read transaction for the whole copy: a consistent snapshot that
     * the server's writes neither disturb nor wait for. */
    if (ok && (sqlite3_exec(src, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
               query_int(src, "SELECT count(*) FROM sqlite_schema", NULL) < 0)) {
        buf_printf(err, "%s: %s\n", db, sqlite3_errmsg(src));
        ok = false;
    }
    sqlite3 *dst = ok ? open_db(tmp, SQLITE_OPEN_READWRITE, err) : NULL;
    ok = dst && copy_db(src, dst, tmp, err);
    sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(src);
    ok = ok && end_sessions(dst, tmp, err);
    /* A WAL source's header says WAL; make the copy one plain file. */
    if (ok && sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        buf_printf(err, "%s: %s\n", tmp, sqlite3_errmsg(dst));
        ok = false;
    }
    if (dst && sqlite3_close(dst) != SQLITE_OK) ok = false;
    if (ok && store_sync_path(tmp, false) != STORE_OK) {
        buf_printf(err, "%s: %s\n", tmp, strerror(errno));
        ok = false;
    }
    if (!ok) return STORE_ERR;
    /* Check what reached the disk, through a fresh connection. */
    sqlite3 *chk = open_db(tmp, SQLITE_OPEN_READONLY, err);
    ok = chk && integrity_ok(chk, tmp, err) && count_rows(chk, tmp, counts, err);
    sqlite3_close(chk);
    return ok ? STORE_OK : STORE_ERR;
}

store_rc_t store_file_check(const char *file, buf_t *err)
{
    sqlite3 *src = open_db(file, SQLITE_OPEN_READONLY, err);
    if (!src) return STORE_ERR;
    bool ok = is_buzon_db(src, file, err) && integrity_ok(src, file, err);
    sqlite3_close(src);
    return ok ? STORE_OK : STORE_INVALID;
}

store_rc_t store_restore_copy(const char *file, const char *db, store_counts_t *counts,
                              buf_t *err)
{
    *counts = (store_counts_t){ 0 };
    sqlite3 *src = open_db(file, SQLITE_OPEN_READONLY, err);
    if (!src) return STORE_ERR;
    sqlite3 *dst = open_db(db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, err);
    store_rc_t rc = dst ? STORE_OK : STORE_ERR;
    /* Hold the database exclusively from here on: this fails while a
     * server (or anyone) has it open, and keeps one from starting. */
    if (rc == STORE_OK &&
        (sqlite3_exec(dst, "PRAGMA locking_mode=EXCLUSIVE", NULL, NULL, NULL) != SQLITE_OK ||
         sqlite3_exec(dst, "BEGIN EXCLUSIVE; COMMIT", NULL, NULL, NULL) != SQLITE_OK)) {
        buf_printf(err, "%s is in use (%s)\n", db, sqlite3_errmsg(dst));
        rc = STORE_BUSY;
    }
    if (rc == STORE_OK &&
        !(copy_db(src, dst, db, err) && end_sessions(dst, db, err) && integrity_ok(dst, db, err) &&
          count_rows(dst, db, counts, err)))
        rc = STORE_ERR;
    sqlite3_close(src);
    if (dst && sqlite3_close(dst) != SQLITE_OK && rc == STORE_OK) rc = STORE_ERR;
    return rc;
}
