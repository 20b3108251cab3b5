/*
 * test_store.c: the SQLite store. Each test gets its own database in a
 * fresh mkdtemp() directory under /tmp and inspects the file through a
 * separate sqlite3 connection where the store's API cannot show the effect
 * (schema, pragmas, row counts, untouched bytes).
 */
#include "base/buf.h"
#include "store/store.h"
#include "store/store_backup.h"
#include "store/store_int.h"      /* store_read: a read held open, below */
#include "store/store_staff.h"

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

typedef struct fixture {
    char *dir;
    char *path;   /* dir/buzon.db */
    store_t *s;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = xcalloc(1, sizeof *f);
    f->dir = xstrdup("/tmp/buzon-test-store-XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "%s/buzon.db", f->dir);
    f->path = buf_steal(&b);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    store_close(f->s);
    static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        buf_t b;
        buf_init(&b);
        buf_printf(&b, "%s%s", f->path, suffixes[i]);
        unlink(b.data);
        buf_free(&b);
    }
    int rc = rmdir(f->dir);
    free(f->path);
    free(f->dir);
    free(f);
    return rc;
}

static store_t *open_ok(fixture_t *f)
{
    char err[512] = "";
    f->s = store_open(f->path, err, sizeof err);
    if (!f->s) fail_msg("store_open: %s", err);
    return f->s;
}

static void close_store(fixture_t *f)
{
    store_close(f->s);
    f->s = NULL;
}

/* ---- looking at the file from outside --------------------------------- */

/* flags: SQLITE_OPEN_CREATE or 0 */
static sqlite3 *peek_open(const char *path, int flags)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | flags, NULL)
        != SQLITE_OK)
        fail_msg("open %s: %s", path, sqlite3_errmsg(db));
    return db;
}

static void peek_exec(const char *path, const char *sql)
{
    sqlite3 *db = peek_open(path, SQLITE_OPEN_CREATE);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* First column of the first row of sql, as text; caller frees. */
static char *peek_text(const char *path, const char *sql)
{
    sqlite3 *db = peek_open(path, 0);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *v = xstrdup((const char *)sqlite3_column_text(st, 0));
    assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    return v;
}

static int64_t peek_int(const char *path, const char *sql)
{
    char *v = peek_text(path, sql);
    int64_t n = strtoll(v, NULL, 10);
    free(v);
    return n;
}

static void assert_peek_text(const char *path, const char *sql,
                             const char *want)
{
    char *v = peek_text(path, sql);
    assert_string_equal(v, want);
    free(v);
}

/* The whole file; caller frees. */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    buf_t b;
    buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        buf_append(&b, chunk, n);
    assert_int_equal(ferror(fp), 0);
    assert_int_equal(fclose(fp), 0);
    *len = b.len;
    return buf_steal(&b);
}

static void assert_same_file(const char *path, const char *before,
                             size_t before_len)
{
    size_t len;
    char *after = slurp(path, &len);
    assert_int_equal(len, before_len);
    assert_memory_equal(after, before, len);
    free(after);
}

/* ---- building submissions ---------------------------------------------- */

static int64_t add_form(store_t *s, const char *form_id)
{
    int64_t id = 0;
    assert_int_equal(store_form_version(s, form_id, "1", "hash-1", "src", &id),
                     STORE_OK);
    return id;
}

static const store_answer_t two_answers[] = {
    { "calidad", "4" }, { "comentario", "muy bien" },
};

static store_response_t response(const char *submission_id, int64_t fv,
                                 const char *form_id)
{
    return (store_response_t){
        .submission_id = submission_id, .form_version_id = fv,
        .form_id = form_id, .point_id = "mercado", .lang = "es",
        .channel = "web", .submitted_hour = 1717200000, .duration_s = 42,
        .answers = two_answers, .nanswers = 2,
    };
}

static void collect_answer(void *arg, const char *q, const char *v)
{
    buf_printf(arg, "%s=%s;", q, v);
}

/* The stored answers of a submission as "q=v;..." (caller frees), or NULL
 * when the store does not know the submission. */
static char *stored_answers(store_t *s, const char *submission_id)
{
    buf_t b;
    buf_init(&b);
    int rc = store_get_response_answers(s, submission_id, collect_answer, &b);
    if (rc == STORE_NOTFOUND) {
        buf_free(&b);
        return NULL;
    }
    assert_int_equal(rc, STORE_OK);
    return buf_steal(&b);   /* "" for a response without answers */
}

static void assert_answers(store_t *s, const char *submission_id,
                           const char *want)
{
    char *got = stored_answers(s, submission_id);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* ---- opening ------------------------------------------------------------ */

static void test_open_creates_wal_strict_schema(void **state)
{
    fixture_t *f = *state;
    open_ok(f);
    assert_true(store_schema_version() >= 1);
    assert_int_equal(peek_int(f->path, "PRAGMA user_version"),
                     store_schema_version());
    assert_peek_text(f->path, "PRAGMA journal_mode", "wal");
    assert_int_equal(peek_int(f->path,
                              "SELECT count(*) FROM pragma_table_list"
                              " WHERE name IN ('form_versions', 'responses',"
                              " 'answers') AND strict"), 3);
}

static void test_reopen_changes_nothing(void **state)
{
    fixture_t *f = *state;
    int64_t fv = add_form(open_ok(f), "satisfaccion");
    close_store(f);
    size_t len;
    char *before = slurp(f->path, &len);

    int64_t again = add_form(open_ok(f), "satisfaccion");
    close_store(f);
    assert_int_equal(again, fv);
    assert_same_file(f->path, before, len);
    free(before);
}

static void test_newer_schema_is_refused_untouched(void **state)
{
    fixture_t *f = *state;
    char sql[128];
    snprintf(sql, sizeof sql,
             "CREATE TABLE future(x); PRAGMA user_version = %d",
             store_schema_version() + 1);
    peek_exec(f->path, sql);
    size_t len;
    char *before = slurp(f->path, &len);

    char err[512] = "";
    assert_null(store_open(f->path, err, sizeof err));
    assert_non_null(strstr(err, "newer"));
    assert_non_null(strstr(err, f->path));
    assert_same_file(f->path, before, len);
    assert_peek_text(f->path, "PRAGMA journal_mode", "delete");
    free(before);
}

/* Issue 13 (closing reasons): the migration that adds cases.close_reason
 * also takes away the deadline compliments were wrongly given. */
static void test_migration_takes_compliments_off_the_deadline(void **state)
{
    fixture_t *f = *state;
    int64_t fv = add_form(open_ok(f), "quejas");
    close_store(f);
    int v = store_schema_version();
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO responses(id, submission_id, form_version_id, form_id, lang, channel,"
             " submitted_hour) VALUES(1, 's1', %lld, 'quejas', 'es', 'web', 0), (2, 's2', %lld,"
             " 'quejas', 'es', 'web', 0);"
             "INSERT INTO cases(code, response_id, form_id, kind, lang, created_at, standard_days,"
             " due_date) VALUES('AAAAAAAAA', 1, 'quejas', 'elogio', 'es', 0, 5, '2020-01-08'),"
             " ('BBBBBBBBB', 2, 'quejas', 'queja', 'es', 0, 5, '2020-01-08');"
             /* back to the schema before migration 4 (and 5's column, 6's, 7's and 11's tables) */
             "DROP TABLE held_entries;"
             "DROP TABLE server_secret;"   /* migration 12 */
             "DROP TABLE media;"
             "DROP TABLE form_uploads;"
             /* issue 18, staff notices: migration 9's tables and columns */
             "DROP TABLE notice_outbox; DROP TABLE notice_state;"
             "ALTER TABLE users DROP COLUMN email; ALTER TABLE users DROP COLUMN notice_services;"
             "ALTER TABLE cases DROP COLUMN duplicate_of;"
             "ALTER TABLE cases DROP COLUMN close_reason; PRAGMA user_version = %d",
             (long long)fv, (long long)fv, 3);
    peek_exec(f->path, sql);
    open_ok(f);
    close_store(f);
    assert_int_equal(peek_int(f->path, "PRAGMA user_version"), v);
    assert_int_equal(peek_int(f->path, "SELECT count(*) FROM cases WHERE kind = 'elogio'"
                                       " AND standard_days IS NULL AND due_date IS NULL"), 1);
    assert_int_equal(peek_int(f->path, "SELECT count(*) FROM cases WHERE kind = 'queja'"
                                       " AND standard_days = 5 AND close_reason IS NULL"), 1);
}

static void test_non_database_is_refused(void **state)
{
    fixture_t *f = *state;
    FILE *fp = fopen(f->path, "wb");
    assert_non_null(fp);
    for (int i = 0; i < 200; i++) fputs("not a database ", fp);
    assert_int_equal(fclose(fp), 0);

    char err[512] = "";
    assert_null(store_open(f->path, err, sizeof err));
    assert_non_null(strstr(err, f->path));
}

/* ---- result codes --------------------------------------------------------- */

/* One result-code type for the whole store: a caller that tells "already
 * stored" from "not found" or "case closed" must never see two of them
 * share a value (STORE_DUP and STORE_NOTFOUND both used to be 1). */
static void test_result_codes_are_distinct(void **state)
{
    (void)state;
    const store_rc_t all[] = { STORE_OK, STORE_ERR, STORE_DUP, STORE_NOTFOUND, STORE_CLOSED,
                               STORE_NO_USER, STORE_INVALID, STORE_BUSY, STORE_EMPTY,
                               STORE_NEEDS_REASON };
    size_t n = sizeof all / sizeof all[0];
    assert_int_equal(STORE_OK, 0);
    assert_true(STORE_ERR < 0);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) assert_int_not_equal(all[i], all[j]);
}

/* ---- form versions ------------------------------------------------------ */

static void test_form_version_same_hash_keeps_row(void **state)
{
    fixture_t *f = *state;
    store_t *s = open_ok(f);
    int64_t a, b;
    assert_int_equal(store_form_version(s, "agilidad", "1", "h1", "first", &a),
                     STORE_OK);
    assert_int_equal(store_form_version(s, "agilidad", "1b", "h1", "other", &b),
                     STORE_OK);
    assert_int_equal(a, b);
    assert_peek_text(f->path, "SELECT version || '/' || source"
                     " FROM form_versions", "1/first");
    assert_int_equal(peek_int(f->path, "SELECT count(*) FROM form_versions"),
                     1);
}

static void test_form_version_new_hash_adds_row(void **state)
{
    fixture_t *f = *state;
    store_t *s = open_ok(f);
    int64_t a, b, c;
    assert_int_equal(store_form_version(s, "agilidad", "1", "h1", "first", &a),
                     STORE_OK);
    assert_int_equal(store_form_version(s, "agilidad", "2", "h2", "second", &b),
                     STORE_OK);
    /* The same hash under another form is another form's version. */
    assert_int_equal(store_form_version(s, "quejas", "1", "h1", "third", &c),
                     STORE_OK);
    assert_int_not_equal(a, b);
    assert_int_not_equal(a, c);
    assert_int_not_equal(b, c);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT version || '/' || source"
             " FROM form_versions WHERE id = %lld", (long long)a);
    assert_peek_text(f->path, sql, "1/first");
    assert_int_equal(peek_int(f->path, "SELECT count(*) FROM form_versions"),
                     3);
}

/* ---- submissions -------------------------------------------------------- */

static void test_submit_stores_response_and_answers(void **state)
{
    fixture_t *f = *state;
    store_t *s = open_ok(f);
    int64_t fv = add_form(s, "satisfaccion");
    store_response_t r = response("sub-1", fv, "satisfaccion");
    r.point_id = NULL;
    r.lang = "ht";
    r.duration_s = -1;
    assert_int_equal(store_submit(s, &r), STORE_OK);

    assert_answers(s, "sub-1", "calidad=4;comentario=muy bien;");
    assert_int_equal(store_count_responses(s, "satisfaccion"), 1);
    assert_int_equal(peek_int(f->path,
        "SELECT count(*) FROM responses WHERE submission_id = 'sub-1'"
        " AND form_id = 'satisfaccion' AND point_id IS NULL AND lang = 'ht'"
        " AND channel = 'web' AND submitted_hour = 1717200000"
        " AND duration_s IS NULL"), 1);
    assert_int_equal(peek_int(f->path, "SELECT count(*) FROM answers"
                              " WHERE form_id = 'satisfaccion'"), 2);
}

static void test_response_without_answers_is_found(void **state)
{
    fixture_t *f = *state;
    store_t *s = open_ok(f);
    store_response_t r = response("sub-empty", add_form(s, "agilidad"),
                                  "agilidad");
    r.nanswers = 0;
    assert_int_equal(store_submit(s, &r), STORE_OK);
    assert_answers(s, "sub-empty", "");
    assert_null(stored_answers(s, "sub-unknown"));
}

static void test_duplicate_submission_writes_nothing(void **state)
{
    fixture_t *f = *state;
    store_t *s = open_ok(f);
    int64_t fv = add_form(s, "satisfaccion");
    store_response_t r = response("sub-1", fv, "satisfaccion");
    assert_int_equal(store_submit(s, &r), STORE_OK);

    static const store_answer_t other[] = {
        { "calidad", "1" }, { "comentario", "mal" }, { "extra", "x" },
    };
    r.answers = other;
    r.nanswers = 3;
    r.lang = "ht";
    assert_int_equal(store_submit(s, &r), STORE_DUP);

    assert_int_equal(peek_int(f->path, "SELECT count(*) FROM responses"), 1);
    assert_int_equal(peek_int(f->path, "SELECT count(*) FROM answers"), 2);
    assert_peek_text(f->path, "SELECT lang FROM responses", "es");
    assert_answers(s, "sub-1", "calidad=4;comentario=muy bien;");
}

static void test_failing_answer_rolls_back_response(void **state)
{
    fixture_t *f = *state;
    store_t *s = open_ok(f);
    int64_t fv = add_form(s, "satisfaccion");
    static const store_answer_t twice[] = {
        { "calidad", "4" }, { "comentario", "a" }, { "calidad", "5" },
    };
    store_response_t r = response("sub-1", fv, "satisfaccion");
    r.answers = twice;
    r.nanswers = 3;
    assert_int_equal(store_submit(s, &r), STORE_ERR);

    assert_int_equal(peek_int(f->path, "SELECT count(*) FROM responses"), 0);
    assert_int_equal(peek_int(f->path, "SELECT count(*) FROM answers"), 0);
    assert_null(stored_answers(s, "sub-1"));
    /* Nothing was left behind that would make a correct retry a "dup". */
    r.nanswers = 2;
    assert_int_equal(store_submit(s, &r), STORE_OK);
}

static void test_unknown_form_version_is_refused(void **state)
{
    fixture_t *f = *state;
    store_t *s = open_ok(f);
    int64_t fv = add_form(s, "satisfaccion");
    store_response_t r = response("sub-1", fv + 1000, "satisfaccion");
    assert_int_equal(store_submit(s, &r), STORE_ERR);
    assert_int_equal(peek_int(f->path, "SELECT count(*) FROM responses"), 0);
}

/* ---- concurrency -------------------------------------------------------- */

enum { THREADS = 4, PER_THREAD = 200 };

typedef struct submitter {
    store_t *s;
    int64_t fv;
    int first;              /* submission ids first .. first + PER_THREAD - 1 */
    int ok, dup, err;       /* outcomes, checked by the main thread */
} submitter_t;

static void *submit_range(void *arg)
{
    submitter_t *t = arg;
    for (int i = t->first; i < t->first + PER_THREAD; i++) {
        char id[32];
        snprintf(id, sizeof id, "sub-%04d", i);
        store_response_t r = response(id, t->fv, "satisfaccion");
        int rc = store_submit(t->s, &r);
        t->ok += rc == STORE_OK;
        t->dup += rc == STORE_DUP;
        t->err += rc == STORE_ERR;
    }
    return NULL;
}

/* Run THREADS submitters, thread k starting at first(k); returns the sums
 * of their outcomes. */
static void run_submitters(store_t *s, int64_t fv, int spread, int *ok,
                           int *dup, int *err)
{
    submitter_t t[THREADS];
    pthread_t th[THREADS];
    for (int k = 0; k < THREADS; k++) {
        t[k] = (submitter_t){ .s = s, .fv = fv, .first = k * spread };
        assert_int_equal(pthread_create(&th[k], NULL, submit_range, &t[k]), 0);
    }
    *ok = *dup = *err = 0;
    for (int k = 0; k < THREADS; k++) {
        assert_int_equal(pthread_join(th[k], NULL), 0);
        *ok += t[k].ok;
        *dup += t[k].dup;
        *err += t[k].err;
    }
}

static void test_concurrent_submissions_land_once(void **state)
{
    fixture_t *f = *state;
    store_t *s = open_ok(f);
    int ok, dup, err;
    run_submitters(s, add_form(s, "satisfaccion"), PER_THREAD, &ok, &dup,
                   &err);
    assert_int_equal(ok, THREADS * PER_THREAD);
    assert_int_equal(dup + err, 0);
    assert_int_equal(store_count_responses(s, "satisfaccion"),
                     THREADS * PER_THREAD);
    assert_int_equal(peek_int(f->path, "SELECT count(*) FROM answers"),
                     2 * THREADS * PER_THREAD);
    for (int i = 0; i < THREADS * PER_THREAD; i++) {
        char id[32];
        snprintf(id, sizeof id, "sub-%04d", i);
        assert_answers(s, id, "calidad=4;comentario=muy bien;");
    }
}

static void test_concurrent_duplicates_stored_once(void **state)
{
    fixture_t *f = *state;
    store_t *s = open_ok(f);
    int ok, dup, err;
    /* Every thread submits the same PER_THREAD ids. */
    run_submitters(s, add_form(s, "satisfaccion"), 0, &ok, &dup, &err);
    assert_int_equal(ok, PER_THREAD);
    assert_int_equal(dup, (THREADS - 1) * PER_THREAD);
    assert_int_equal(err, 0);
    assert_int_equal(store_count_responses(s, "satisfaccion"), PER_THREAD);
    assert_int_equal(peek_int(f->path, "SELECT count(*) FROM answers"),
                     2 * PER_THREAD);
}

/* ---- reads and checks --------------------------------------------------- */

static void collect_count(void *arg, const char *form_id, int64_t n)
{
    buf_printf(arg, "%s=%lld;", form_id, (long long)n);
}

static void test_form_counts_per_form(void **state)
{
    fixture_t *f = *state;
    store_t *s = open_ok(f);
    int64_t sat = add_form(s, "satisfaccion"), agi = add_form(s, "agilidad");
    static const char *const ids[] = { "s1", "s2", "s3", "a1" };
    for (int i = 0; i < 4; i++) {
        store_response_t r = i < 3 ? response(ids[i], sat, "satisfaccion")
                                   : response(ids[i], agi, "agilidad");
        assert_int_equal(store_submit(s, &r), STORE_OK);
    }
    buf_t b;
    buf_init(&b);
    assert_int_equal(store_form_counts(s, collect_count, &b), STORE_OK);
    assert_string_equal(b.data, "agilidad=1;satisfaccion=3;");
    buf_free(&b);
    assert_int_equal(store_count_responses(s, "satisfaccion"), 3);
    assert_int_equal(store_count_responses(s, "accesibilidad"), 0);
}

static void test_integrity_ok_on_sound_database(void **state)
{
    fixture_t *f = *state;
    store_t *s = open_ok(f);
    store_response_t r = response("sub-1", add_form(s, "agilidad"), "agilidad");
    assert_int_equal(store_submit(s, &r), STORE_OK);
    buf_t err;
    buf_init(&err);
    assert_int_equal(store_file_check(f->path, &err), STORE_OK);
    assert_int_equal(err.len, 0);
    buf_free(&err);
}

static void test_integrity_detects_corrupt_index(void **state)
{
    fixture_t *f = *state;
    store_t *s = open_ok(f);
    store_response_t r = response("sub-1", add_form(s, "agilidad"), "agilidad");
    assert_int_equal(store_submit(s, &r), STORE_OK);
    close_store(f);
    /* Redefine an index behind SQLite's back: its entries no longer match
     * the table, which only integrity_check notices. */
    peek_exec(f->path,
              "PRAGMA writable_schema = ON;"
              "UPDATE sqlite_schema SET sql = 'CREATE INDEX"
              " answers_form_question_value"
              " ON answers(form_id, value, question)'"
              " WHERE name = 'answers_form_question_value';");
    buf_t err;
    buf_init(&err);
    assert_int_equal(store_file_check(f->path, &err), STORE_INVALID);
    assert_non_null(strstr(err.data, "integrity_check: "));
    buf_free(&err);
}

/* A read held open on a thread that owns a read connection (a report
 * worker running an export) must not make other threads' reads wait
 * (found in review: an 18 s export held the one shared reader, and the
 * thank-you and tracking pages queued behind it). */
static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static bool in_read, released, counted;

static int held_read(sqlite3 *db, void *arg)
{
    (void)db;
    (void)arg;
    pthread_mutex_lock(&gate_mu);
    in_read = true;
    pthread_cond_broadcast(&gate_cv);
    while (!released) pthread_cond_wait(&gate_cv, &gate_mu);
    pthread_mutex_unlock(&gate_mu);
    return STORE_OK;
}

static void *long_reader(void *arg)
{
    store_t *s = arg;
    assert_int_equal(store_reader_own(s), STORE_OK);
    store_read(s, held_read, NULL);
    store_reader_release();
    return NULL;
}

static void *short_reader(void *arg)
{
    int64_t n = store_user_count(arg, -1);
    pthread_mutex_lock(&gate_mu);
    counted = n == 0;
    pthread_cond_broadcast(&gate_cv);
    pthread_mutex_unlock(&gate_mu);
    return NULL;
}

static void test_a_thread_owned_read_holds_up_no_other_read(void **state)
{
    fixture_t *f = *state;
    open_ok(f);
    pthread_t lr, sr;
    assert_int_equal(pthread_create(&lr, NULL, long_reader, f->s), 0);
    pthread_mutex_lock(&gate_mu);
    while (!in_read) pthread_cond_wait(&gate_cv, &gate_mu);
    pthread_mutex_unlock(&gate_mu);
    assert_int_equal(pthread_create(&sr, NULL, short_reader, f->s), 0);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 5;
    pthread_mutex_lock(&gate_mu);
    int rc = 0;
    while (!counted && rc == 0) rc = pthread_cond_timedwait(&gate_cv, &gate_mu, &until);
    bool answered = counted;
    released = true;                       /* let the long read end either way */
    pthread_cond_broadcast(&gate_cv);
    pthread_mutex_unlock(&gate_mu);
    pthread_join(lr, NULL);
    pthread_join(sr, NULL);
    assert_true(answered);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_result_codes_are_distinct),
        T(test_open_creates_wal_strict_schema),
        T(test_reopen_changes_nothing),
        T(test_newer_schema_is_refused_untouched),
        T(test_migration_takes_compliments_off_the_deadline),
        T(test_non_database_is_refused),
        T(test_form_version_same_hash_keeps_row),
        T(test_form_version_new_hash_adds_row),
        T(test_submit_stores_response_and_answers),
        T(test_response_without_answers_is_found),
        T(test_duplicate_submission_writes_nothing),
        T(test_failing_answer_rolls_back_response),
        T(test_unknown_form_version_is_refused),
        T(test_concurrent_submissions_land_once),
        T(test_concurrent_duplicates_stored_once),
        T(test_form_counts_per_form),
        T(test_integrity_ok_on_sound_database),
        T(test_integrity_detects_corrupt_index),
        T(test_a_thread_owned_read_holds_up_no_other_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
