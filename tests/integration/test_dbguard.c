/*
 * test_dbguard.c: the server never says "recibido" into a database that is
 * no longer there, and does not start on one that is damaged or empty
 * (issue 14, items 3 and 4).
 *
 * Item 3, against the real build/buzon: answers are acknowledged, then the
 * database files are deleted (all three; only the -wal) or the database is
 * replaced by another file at the same path; the next submission gets 503
 * in the visitor's language, never a 303, /healthz is not 200 and says
 * why, and the log says why. When only the -wal went, the answers
 * acknowledged before it went are still there after a kill -9.
 *
 * Item 4: a database with a damaged page in the middle of a few thousand
 * rows, and a zero-length file, are refused at start with a message
 * saying what to do (buzon restore; delete the empty file).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "testsh.h"
#include "testsrv.h"

static testsrv_t srv;

static int teardown(void **state)
{
    (void)state;
    if (srv.pid > 0) testsrv_kill(&srv, SIGKILL);
    if (srv.dir[0]) test_rmtree(srv.dir);
    memset(&srv, 0, sizeof srv);
    return 0;
}

/* Post a valid answer with submission id n; the status, or -1. */
static int submit(int n, const char *lang)
{
    char body[160], path[64];
    snprintf(body, sizeof body, "_sid=guard-%06d-0000-0000-000000000000&servicio=mercado&satisfaccion=4", n);
    snprintf(path, sizeof path, "/e/satisfaccion?lang=%s", lang);
    http_resp_t r;
    if (http_post(srv.port, path, body, &r) < 0) return -1;
    int status = r.status;
    if (status == 503) {
        /* The page in the visitor's language, and when to come back. */
        char *ra = http_header(&r, "Retry-After");
        assert_non_null(ra);
        free(ra);
        assert_non_null(strstr(r.body, !strcmp(lang, "ht") ? "pa t anrejistre" : "no se guardó"));
    }
    http_resp_free(&r);
    return status;
}

/* Wait (at most 5 s: the server flushes its log every second) until the
 * server's log holds want; true when it does. */
static bool log_has(const char *want)
{
    struct timespec t0, t, nap = { 0, 20 * 1000 * 1000 };
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do {
        char *log = test_slurp(srv.log);
        bool found = log && strstr(log, want);
        free(log);
        if (found) return true;
        nanosleep(&nap, NULL);
        clock_gettime(CLOCK_MONOTONIC, &t);
    } while (t.tv_sec - t0.tv_sec < 5);
    return false;
}

/* A single number from the database, or -1. */
static long db_int(const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long n = -1;
    if (sqlite3_open_v2(srv.db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

enum { BEFORE = 40 };

/* Start a server, have BEFORE answers acknowledged, run what, then check
 * that nothing more is acknowledged and that /healthz and the log say why. */
static void lose_the_database(void (*what)(void), const char *why)
{
    assert_int_equal(testsrv_start(&srv, NULL, NULL), 0);
    for (int i = 0; i < BEFORE; i++) assert_int_equal(submit(i, "es"), 303);
    what();
    for (int i = 0; i < 5; i++) {
        int st = submit(1000 + i, i % 2 ? "ht" : "es");
        if (st != 503) fail_msg("submission %d after the database was lost: %d, not 503", i, st);
    }
    /* A re-post of an acknowledged answer is no "recibido" either. */
    assert_int_equal(submit(0, "es"), 503);
    http_resp_t r;
    assert_int_equal(http_get(srv.port, "/healthz", NULL, &r), 0);
    assert_int_not_equal(r.status, 200);
    assert_non_null(strstr(r.body, why));
    http_resp_free(&r);
    if (!log_has(why)) fail_msg("no \"%s\" in the log:\n%s", why, test_slurp(srv.log));
}

static void delete_all(void)
{
    char p[320];
    assert_int_equal(unlink(srv.db), 0);
    snprintf(p, sizeof p, "%s-wal", srv.db);
    assert_int_equal(unlink(p), 0);
    snprintf(p, sizeof p, "%s-shm", srv.db);
    assert_int_equal(unlink(p), 0);
}

static void delete_wal(void)
{
    char p[320];
    snprintf(p, sizeof p, "%s-wal", srv.db);
    assert_int_equal(unlink(p), 0);
}

/* Another file (a copy of the database, as a careless restore might put
 * there) takes the path. */
static void replace_db(void)
{
    char other[320];
    snprintf(other, sizeof other, "%s.other", srv.db);
    buf_t err;
    assert_int_equal(test_sh(srv.dir, NULL, &err, "cp '%s' '%s' && mv '%s' '%s'", srv.db, other, other,
                             srv.db), 0);
    buf_free(&err);
}

static void test_deleted_database_is_noticed(void **state)
{
    (void)state;
    lose_the_database(delete_all, "the database file was deleted");
}

/* Back and send again while the address waits (the rate limit): an answer
 * still found in a lost database is no "recibido" either, since the file
 * it is in will not be opened again (found in review). */
static void test_a_repeat_in_a_lost_database_is_not_acknowledged(void **state)
{
    (void)state;
    static const char *const args[] = { "--rate-limit", "1", NULL };
    assert_int_equal(testsrv_start(&srv, NULL, args), 0);
    assert_int_equal(submit(7, "es"), 303);
    delete_all();
    int st = submit(7, "es");
    if (st == 303) fail_msg("a repeat was acknowledged from a deleted database");
    assert_true(st == 429 || st == 503);
}

static void test_replaced_database_is_noticed(void **state)
{
    (void)state;
    lose_the_database(replace_db, "the database file was replaced");
}

/* The -wal alone: detected, and what was acknowledged before is copied
 * into the database file, so a kill -9 then loses none of it. */
static void test_deleted_wal_is_noticed_and_nothing_acknowledged_is_lost(void **state)
{
    (void)state;
    lose_the_database(delete_wal, "its -wal file was deleted");
    assert_true(log_has("was copied from the lost -wal"));
    assert_int_equal(testsrv_kill(&srv, SIGKILL), 0);
    assert_int_equal(db_int("SELECT count(*) FROM responses"), BEFORE);
    assert_int_equal(db_int("SELECT count(*) FROM responses WHERE submission_id LIKE 'guard-001%'"), 0);
}

/* A server started and stopped on srv.db, so that it holds buzon's
 * schema, then filled with n responses as an administrator with sqlite3
 * could. */
static void make_database(int n)
{
    assert_int_equal(testsrv_start(&srv, NULL, NULL), 0);
    assert_int_equal(submit(0, "es"), 303);
    assert_int_equal(testsrv_kill(&srv, SIGTERM), 0);
    char sql[512];
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < %d) "
             "INSERT INTO responses(submission_id, form_version_id, form_id, lang, channel, submitted_hour) "
             "SELECT printf('bulk-%%08d', i), form_version_id, form_id, 'es', 'web', submitted_hour "
             "FROM k, (SELECT * FROM responses LIMIT 1);"
             "INSERT INTO answers SELECT r.id, r.form_id, 'comentario', printf('texto %%d de prueba', r.id) "
             "FROM responses r WHERE r.submission_id LIKE 'bulk-%%'", n);
    assert_int_equal(testsrv_db_exec(&srv, sql), 0);
}

/* Overwrite the start of the page in the middle of the file, as the
 * attacker did; integrity_check then fails. */
static void damage_middle_page(void)
{
    long pages = db_int("PRAGMA page_count"), size = db_int("PRAGMA page_size");
    assert_true(pages > 20 && size > 0);
    int fd = open(srv.db, O_WRONLY);
    assert_true(fd >= 0);
    char junk[64];
    memset(junk, 0x5a, sizeof junk);
    assert_int_equal(pwrite(fd, junk, sizeof junk, (pages / 2) * size), (ssize_t)sizeof junk);
    close(fd);
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(srv.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check(1)", -1, &st, NULL), SQLITE_OK);
    int rc = sqlite3_step(st);
    assert_false(rc == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(st, 0), "ok"));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_a_damaged_database_is_refused_at_start(void **state)
{
    (void)state;
    make_database(3000);
    damage_middle_page();
    assert_int_equal(testsrv_restart(&srv, NULL, NULL), -1);   /* no port: it did not start */
    char *log = test_slurp(srv.log);
    assert_non_null(log);
    if (!strstr(log, "is damaged") || !strstr(log, "buzon restore"))
        fail_msg("expected the damage and `buzon restore` in:\n%s", log);
    free(log);
}

static void test_an_empty_file_is_refused(void **state)
{
    (void)state;
    assert_int_equal(testsrv_start(&srv, NULL, NULL), 0);
    assert_int_equal(testsrv_kill(&srv, SIGTERM), 0);
    assert_int_equal(truncate(srv.db, 0), 0);
    assert_int_equal(testsrv_restart(&srv, NULL, NULL), -1);
    char *log = test_slurp(srv.log);
    assert_non_null(log);
    if (!strstr(log, "is an empty file (0 bytes)") || !strstr(log, "rm ") || !strstr(log, "buzon restore"))
        fail_msg("expected the empty file refused, with what to do, in:\n%s", log);
    free(log);
    struct stat st;
    assert_int_equal(stat(srv.db, &st), 0);
    assert_int_equal(st.st_size, 0);                 /* left as it was */
    /* The commands that write refuse it too (user add would make it a new
     * database, which serve would then take); once deleted, serve starts. */
    buf_t err;
    const char *bin = getenv("BUZON_BIN") ? getenv("BUZON_BIN") : "build/buzon";
    assert_int_equal(test_sh(srv.dir, NULL, &err, "printf 'abcdefghij1\\n' | '%s' user add ana --role admin "
                             "--db '%s'", bin, srv.db), 1);
    assert_non_null(strstr(err.data, "is an empty file"));
    buf_free(&err);
    assert_int_equal(unlink(srv.db), 0);
    assert_int_equal(testsrv_restart(&srv, NULL, NULL), 0);
    assert_int_equal(submit(1, "es"), 303);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_deleted_database_is_noticed, teardown),
        cmocka_unit_test_teardown(test_replaced_database_is_noticed, teardown),
        cmocka_unit_test_teardown(test_a_repeat_in_a_lost_database_is_not_acknowledged, teardown),
        cmocka_unit_test_teardown(test_deleted_wal_is_noticed_and_nothing_acknowledged_is_lost, teardown),
        cmocka_unit_test_teardown(test_a_damaged_database_is_refused_at_start, teardown),
        cmocka_unit_test_teardown(test_an_empty_file_is_refused, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
