/*
 * test_backup.c: `buzon backup` and `buzon restore` (plan action 2).
 *
 * A backup taken while the server accepts submissions is a consistent,
 * verified, self-contained copy holding at least everything acknowledged
 * before it started; a failed backup leaves the previous backup file as it
 * was; restore refuses to overwrite without --force, refuses a database a
 * server is using, refuses a file that is not a sound backup, and a
 * restored database serves; staff sessions do not survive either.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "staffsrv.h"
#include "testsh.h"
#include "testsrv.h"

static testsrv_t srv;
static char tmp[64];          /* this test's own folder for backup files */

static int setup(void **state)
{
    (void)state;
    snprintf(tmp, sizeof tmp, "/tmp/buzon-backup-XXXXXX");
    if (!mkdtemp(tmp)) return -1;
    return testsrv_start(&srv, NULL, NULL);
}

static int teardown(void **state)
{
    (void)state;
    bool running = srv.pid > 0;
    int rc = testsrv_stop(&srv);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0) return -1;
    return !running || rc == 0 ? 0 : -1;
}

/* A single number from a database file, or -1. */
static long db_int(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long n = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

static long responses_in(const char *path)
{
    return db_int(path, "SELECT count(*) FROM responses");
}

/* The copies restore kept of db (db.before-restore-*): how many, and the
 * first one's path into first (n bytes) when there is one. */
static size_t kept_copies(const char *db, char *first, size_t n)
{
    char pattern[512];
    snprintf(pattern, sizeof pattern, "%s.before-restore-*", db);
    glob_t g;
    size_t count = 0;
    if (glob(pattern, 0, NULL, &g) == 0) {
        count = g.gl_pathc;
        if (first) snprintf(first, n, "%s", g.gl_pathv[0]);
    }
    globfree(&g);
    return count;
}

/* The number after "table<TAB>responses<TAB>" in a command's output. */
static long reported_responses(const char *out)
{
    const char *p = strstr(out, "table\tresponses\t");
    return p ? strtol(p + 16, NULL, 10) : -1;
}

static void submit(int i)
{
    char body[128];
    snprintf(body, sizeof body, "_sid=bak00000-0000-4000-8000-%012d&servicio=mercado&satisfaccion=4", i);
    http_resp_t r;
    assert_int_equal(http_post(srv.port, "/e/satisfaccion", body, &r), 0);
    assert_int_equal(r.status, 303);
    http_resp_free(&r);
}

/* ---- backup ---------------------------------------------------------------- */

static struct {
    pthread_mutex_t mu;
    long acked;
    bool stop;
    bool failed;
} load = { .mu = PTHREAD_MUTEX_INITIALIZER };

static void *poster(void *arg)
{
    (void)arg;
    for (long i = 0;; i++) {
        pthread_mutex_lock(&load.mu);
        bool stop = load.stop;
        pthread_mutex_unlock(&load.mu);
        if (stop) return NULL;
        char body[128];
        snprintf(body, sizeof body, "_sid=live0000-0000-4000-8000-%012ld&servicio=mercado&satisfaccion=4", i);
        http_resp_t r;
        bool ok = http_post(srv.port, "/e/satisfaccion", body, &r) == 0 && r.status == 303;
        http_resp_free(&r);
        pthread_mutex_lock(&load.mu);
        if (ok) load.acked++;
        else load.failed = true;
        pthread_mutex_unlock(&load.mu);
        if (!ok) return NULL;
    }
}

static long acked_now(void)
{
    pthread_mutex_lock(&load.mu);
    long n = load.acked;
    pthread_mutex_unlock(&load.mu);
    return n;
}

/* Backups here run with --forms naming a folder without the action-2
 * register, so that the responses each backup holds are only the test's
 * (a recorded backup is an entry: test_registers). */
static void test_backup_while_serving_is_consistent_and_verified(void **state)
{
    (void)state;
    for (int i = 0; i < 5; i++) submit(i);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, poster, NULL), 0);
    char file[128];
    snprintf(file, sizeof file, "%s/buzon-backup.db", tmp);
    for (int round = 0; round < 3; round++) {
        long before = acked_now() + 5;
        buf_t out, err;
        int rc = test_buzon(tmp, &out, &err, "backup %s --db %s --forms %s", file, srv.db, tmp);
        long after = acked_now() + 5;
        if (rc != 0) fail_msg("backup failed (%d): %s", rc, err.data);
        assert_non_null(strstr(out.data, "integrity\tok\n"));
        assert_non_null(strstr(out.data, "table\tform_versions\t"));
        long n = reported_responses(out.data);
        /* Everything acknowledged before the backup began is in it; at
         * most one more (the poster's request in flight) than was
         * acknowledged when it ended. */
        fprintf(stderr, "# backup %d: %ld responses (acknowledged: %ld before, %ld after)\n",
                round + 1, n, before, after);
        assert_true(n >= before && n <= after + 1);
        assert_int_equal(responses_in(file), n);
        assert_non_null(strstr(out.data, "responses\tsatisfaccion\t"));
        buf_free(&out);
        buf_free(&err);
    }
    pthread_mutex_lock(&load.mu);
    load.stop = true;
    pthread_mutex_unlock(&load.mu);
    pthread_join(th, NULL);
    assert_false(load.failed);
    /* One self-contained file: rollback journal mode, no WAL beside it,
     * no temporary file left, and sound. */
    char path[160];
    snprintf(path, sizeof path, "%s-wal", file);
    assert_int_not_equal(access(path, F_OK), 0);
    glob_t g;
    snprintf(path, sizeof path, "%s.tmp-*", file);
    assert_int_equal(glob(path, 0, NULL, &g), GLOB_NOMATCH);
    globfree(&g);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "delete");
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_backup_refuses_bad_paths_and_keeps_the_old_file(void **state)
{
    (void)state;
    char file[128], junk[128];
    snprintf(file, sizeof file, "%s/keep.db", tmp);
    snprintf(junk, sizeof junk, "%s/junk.txt", tmp);
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    fputs("previous backup", fp);
    fclose(fp);
    fp = fopen(junk, "w");
    assert_non_null(fp);
    fputs("not a database, but long enough to look like a header of one.......................", fp);
    fclose(fp);

    buf_t err;
    assert_int_equal(test_buzon(tmp, NULL, &err, "backup %s --db %s/missing.db", file, tmp), 1);
    assert_non_null(strstr(err.data, "no database at"));
    buf_free(&err);
    assert_int_equal(test_buzon(tmp, NULL, &err, "backup %s --db %s", file, junk), 1);
    assert_non_null(strstr(err.data, "junk.txt"));
    buf_free(&err);
    /* Regression: a missing folder was "cannot create
     * /nonexistent-dir/b.db.tmp-XXXXXX", a file the user never named. */
    assert_int_equal(test_buzon(tmp, NULL, &err, "backup /nonexistent-dir/b.db --db %s", srv.db), 1);
    assert_non_null(strstr(err.data, "the folder /nonexistent-dir does not exist"));
    assert_null(strstr(err.data, ".tmp-"));
    buf_free(&err);
    assert_int_equal(test_buzon(tmp, NULL, &err, "backup %s --db %s", srv.db, srv.db), 1);
    assert_non_null(strstr(err.data, "the database itself"));
    buf_free(&err);
    assert_int_equal(test_buzon(tmp, NULL, &err, "backup"), 2);
    assert_non_null(strstr(err.data, "usage: buzon backup"));
    buf_free(&err);

    /* The old backup file is untouched by the failures. */
    char text[32] = { 0 };
    fp = fopen(file, "r");
    assert_non_null(fp);
    assert_non_null(fgets(text, sizeof text, fp));
    fclose(fp);
    assert_string_equal(text, "previous backup");
}

/* ---- restore ---------------------------------------------------------------- */

static void test_restore_needs_force_and_a_sound_backup(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++) submit(i);
    char b1[128], b2[128], target[128], junk[128];
    snprintf(b1, sizeof b1, "%s/b1.db", tmp);
    snprintf(b2, sizeof b2, "%s/b2.db", tmp);
    snprintf(target, sizeof target, "%s/restored.db", tmp);
    snprintf(junk, sizeof junk, "%s/junk.db", tmp);
    assert_int_equal(test_buzon(tmp, NULL, NULL, "backup %s --db %s --forms %s", b1, srv.db, tmp), 0);
    for (int i = 3; i < 5; i++) submit(i);
    assert_int_equal(test_buzon(tmp, NULL, NULL, "backup %s --db %s --forms %s", b2, srv.db, tmp), 0);

    buf_t out, err;
    assert_int_equal(test_buzon(tmp, &out, NULL, "restore %s --db %s", b1, target), 0);
    assert_int_equal(reported_responses(out.data), 3);
    buf_free(&out);
    assert_int_equal(responses_in(target), 3);

    assert_int_equal(test_buzon(tmp, NULL, &err, "restore %s --db %s", b2, target), 1);
    assert_non_null(strstr(err.data, "--force"));
    buf_free(&err);
    assert_int_equal(responses_in(target), 3);

    /* Regression: --force kept no copy of what it replaced. */
    assert_int_equal(kept_copies(target, NULL, 0), 0);
    assert_int_equal(test_buzon(tmp, &out, &err, "restore %s --db %s --force", b2, target), 0);
    assert_int_equal(reported_responses(out.data), 5);
    buf_free(&out);
    assert_int_equal(responses_in(target), 5);
    char kept[512];
    assert_int_equal(kept_copies(target, kept, sizeof kept), 1);
    assert_int_equal(responses_in(kept), 3);            /* what was replaced */
    if (!strstr(err.data, kept)) fail_msg("restore does not name %s:\n%s", kept, err.data);
    buf_free(&err);
    struct stat st;
    assert_int_equal(stat(kept, &st), 0);
    assert_int_equal(st.st_mode & 077, 0);              /* private, as the database */
    assert_int_equal(db_int(target, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), 1);

    /* Not a backup: refused, target untouched. */
    FILE *fp = fopen(junk, "w");
    assert_non_null(fp);
    fputs("SQLite format 3\nnot really", fp);
    fclose(fp);
    assert_int_equal(test_buzon(tmp, NULL, &err, "restore %s --db %s --force", junk, target), 1);
    assert_non_null(strstr(err.data, "junk.db"));
    buf_free(&err);
    assert_int_equal(test_buzon(tmp, NULL, &err, "restore %s/none.db --db %s --force", tmp, target), 1);
    buf_free(&err);
    assert_int_equal(responses_in(target), 5);
    assert_int_equal(kept_copies(target, NULL, 0), 1);   /* the refused ones kept nothing */
    assert_int_equal(test_buzon(tmp, NULL, &err, "restore"), 2);
    buf_free(&err);
}

static void test_restore_refuses_a_database_in_use_then_serves_restored_data(void **state)
{
    (void)state;
    /* 10 and more: /api/v1/forms hides a count under the threshold (10;
     * issue 17 channel count fixes) */
    for (int i = 0; i < 10; i++) submit(i);
    char b[128];
    snprintf(b, sizeof b, "%s/two.db", tmp);
    assert_int_equal(test_buzon(tmp, NULL, NULL, "backup %s --db %s --forms %s", b, srv.db, tmp), 0);
    for (int i = 10; i < 14; i++) submit(i);

    buf_t err;
    assert_int_equal(test_buzon(tmp, NULL, &err, "restore %s --db %s --force", b, srv.db), 1);
    assert_non_null(strstr(err.data, "in use"));
    buf_free(&err);
    assert_int_equal(kept_copies(srv.db, NULL, 0), 0);   /* nothing changed, nothing kept */
    http_resp_t r;
    assert_int_equal(http_get(srv.port, "/api/v1/forms", NULL, &r), 0);
    assert_non_null(strstr(r.body, "\"responses\":14"));
    http_resp_free(&r);

    /* Stopped (here: killed, leaving its WAL behind), it can be restored,
     * and the server starts on the restored data. */
    assert_int_equal(testsrv_kill(&srv, SIGKILL), 0);
    assert_int_equal(test_buzon(tmp, NULL, NULL, "restore %s --db %s --force", b, srv.db), 0);
    char kept[512];
    assert_int_equal(kept_copies(srv.db, kept, sizeof kept), 1);
    assert_int_equal(responses_in(kept), 14);   /* with what only its WAL held */
    assert_int_equal(testsrv_restart(&srv, NULL, NULL), 0);
    assert_int_equal(http_get(srv.port, "/api/v1/forms", NULL, &r), 0);
    assert_non_null(strstr(r.body, "\"responses\":10"));
    http_resp_free(&r);
    submit(14);
    assert_int_equal(http_get(srv.port, "/api/v1/forms", NULL, &r), 0);
    assert_non_null(strstr(r.body, "\"responses\":11"));
    http_resp_free(&r);
}

/* The database holds complainants' names and phones: the server creates
 * it readable by its owner only, restore too, and a restore into a folder
 * that does not exist says so. */
static void test_databases_are_private_and_a_missing_folder_is_named(void **state)
{
    (void)state;
    struct stat st;
    assert_int_equal(stat(srv.db, &st), 0);
    assert_int_equal(st.st_mode & 077, 0);
    char b[128], r[160];
    snprintf(b, sizeof b, "%s/p.db", tmp);
    assert_int_equal(test_buzon(tmp, NULL, NULL, "backup %s --db %s --forms %s", b, srv.db, tmp), 0);
    assert_int_equal(stat(b, &st), 0);
    assert_int_equal(st.st_mode & 077, 0);
    snprintf(r, sizeof r, "%s/restored.db", tmp);
    assert_int_equal(test_buzon(tmp, NULL, NULL, "restore %s --db %s", b, r), 0);
    assert_int_equal(stat(r, &st), 0);
    assert_int_equal(st.st_mode & 077, 0);
    buf_t err;
    snprintf(r, sizeof r, "%s/no-such-folder/restored.db", tmp);
    assert_int_equal(test_buzon(tmp, NULL, &err, "restore %s --db %s", b, r), 1);
    assert_non_null(strstr(err.data, "folder does not exist"));
    buf_free(&err);
}

/* Staff sessions do not travel: a backup holds none, and restoring an
 * older backup that held one does not log anybody back in. */
static void test_sessions_end_with_backup_and_restore(void **state)
{
    (void)state;
    char cookie[256];
    assert_int_equal(staffsrv_session(&srv, "ana", "admin", cookie, sizeof cookie), 0);
    http_resp_t r;
    assert_int_equal(http_get(srv.port, "/panel", cookie, &r), 0);
    assert_int_equal(r.status, 200);
    http_resp_free(&r);
    assert_int_equal(db_int(srv.db, "SELECT count(*) FROM sessions"), 1);

    char b[128];
    snprintf(b, sizeof b, "%s/staff.db", tmp);
    assert_int_equal(test_buzon(tmp, NULL, NULL, "backup %s --db %s --forms %s", b, srv.db, tmp), 0);
    assert_int_equal(db_int(b, "SELECT count(*) FROM sessions"), 0);
    assert_int_equal(db_int(b, "SELECT count(*) FROM users WHERE name = 'ana'"), 1);

    /* A backup made before sessions were left out: put the live one in. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(b, &db), SQLITE_OK);
    char *sql = sqlite3_mprintf("ATTACH %Q AS live; INSERT INTO sessions SELECT * FROM live.sessions;", srv.db);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_free(sql);
    sqlite3_close(db);
    assert_int_equal(db_int(b, "SELECT count(*) FROM sessions"), 1);

    assert_int_equal(testsrv_kill(&srv, SIGTERM), 0);
    assert_int_equal(test_buzon(tmp, NULL, NULL, "restore %s --db %s --force", b, srv.db), 0);
    assert_int_equal(db_int(srv.db, "SELECT count(*) FROM sessions"), 0);
    assert_int_equal(testsrv_restart(&srv, NULL, NULL), 0);
    assert_int_equal(http_get(srv.port, "/panel", cookie, &r), 0);
    assert_int_not_equal(r.status, 200);          /* sent to log in */
    http_resp_free(&r);
    /* The account itself came back: ana signs in again. */
    char again[256];
    assert_int_equal(staffsrv_login(srv.port, "ana", "clave-de-ana-123", again, sizeof again), 303);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_backup_while_serving_is_consistent_and_verified, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup_refuses_bad_paths_and_keeps_the_old_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_needs_force_and_a_sound_backup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_refuses_a_database_in_use_then_serves_restored_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sessions_end_with_backup_and_restore, setup, teardown),
        cmocka_unit_test_setup_teardown(test_databases_are_private_and_a_missing_folder_is_named, setup, teardown),
    };
    return cmocka_run_group_tests_name("backup", tests, NULL, NULL);
}
