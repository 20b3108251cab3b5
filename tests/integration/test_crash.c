/*
 * test_crash.c: a citizen who was told "recibido" never loses that answer.
 *
 * Several rounds against a real build/buzon: client threads post valid
 * answers with distinct submission ids (and re-post some already
 * acknowledged ones, as a phone retrying would), the server is killed
 * with SIGKILL after a random number of acknowledgements, i.e. at a random
 * moment in the middle of group commits, then started again on the same
 * database. After every round: PRAGMA integrity_check says ok, every
 * submission that received its 303 is stored exactly once with all its
 * answers, and nothing is stored that was never sent.
 *
 * The random seed is printed; set BUZON_CRASH_SEED to replay a run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "testsrv.h"

enum { ROUNDS = 8, THREADS = 8, MIN_ACKS = 50, MAX_ACKS = 400, SID_LEN = 36 };

typedef struct idlist {
    char (*id)[SID_LEN + 1];
    size_t n, cap;
} idlist_t;

static void idlist_add(idlist_t *l, const char *id)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->id = xrealloc(l->id, l->cap * sizeof *l->id);
    }
    memcpy(l->id[l->n++], id, SID_LEN + 1);
}

/* Shared by the client threads of a round, guarded by mu. */
static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    idlist_t sent;          /* every id ever posted */
    idlist_t acked;         /* every id that got its 303 */
    size_t prev_acked;      /* acked before this round (re-post sources) */
    size_t round_acks;
    size_t reposts;         /* acknowledged re-posts of an acked id */
    size_t unexpected;      /* answers other than 303 */
    bool stop;
} g = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

static testsrv_t srv;

static void new_uuid(char out[SID_LEN + 1])
{
    unsigned char u[16];
    randombytes_buf(u, sizeof u);
    u[6] = (u[6] & 0x0F) | 0x40;
    u[8] = (u[8] & 0x3F) | 0x80;
    snprintf(out, SID_LEN + 1, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
             u[13], u[14], u[15]);
}

/* Post one submission; 1 acknowledged, 0 answered otherwise, -1 no
 * server (connection refused or cut). */
static int submit(unsigned port, const char *sid)
{
    char body[128];
    snprintf(body, sizeof body, "_sid=%s&servicio=mercado&satisfaccion=4", sid);
    http_resp_t r;
    if (http_post(port, "/e/satisfaccion?p=mercado-municipal", body, &r) < 0) return -1;
    int ok = r.status == 303;
    http_resp_free(&r);
    return ok;
}

static void *client(void *arg)
{
    unsigned port = *(const unsigned *)arg;
    /* First, as a phone retrying after the crash: one id acknowledged in
     * an earlier round, again. */
    pthread_mutex_lock(&g.mu);
    char again[SID_LEN + 1] = "";
    if (g.prev_acked) memcpy(again, g.acked.id[randombytes_uniform((uint32_t)g.prev_acked)], sizeof again);
    pthread_mutex_unlock(&g.mu);
    if (*again) {
        int rc = submit(port, again);
        pthread_mutex_lock(&g.mu);
        if (rc == 1) g.reposts++;
        else if (rc == 0) g.unexpected++;
        pthread_mutex_unlock(&g.mu);
        if (rc < 0) return NULL;
    }
    for (;;) {
        char sid[SID_LEN + 1];
        new_uuid(sid);
        pthread_mutex_lock(&g.mu);
        bool stop = g.stop;
        if (!stop) idlist_add(&g.sent, sid);
        pthread_mutex_unlock(&g.mu);
        if (stop) return NULL;
        int rc = submit(port, sid);
        if (rc < 0) return NULL;     /* killed */
        pthread_mutex_lock(&g.mu);
        if (rc == 1) {
            idlist_add(&g.acked, sid);
            g.round_acks++;
            pthread_cond_signal(&g.cv);
        } else {
            g.unexpected++;          /* a bug: end the round */
            pthread_cond_signal(&g.cv);
        }
        pthread_mutex_unlock(&g.mu);
        if (rc != 1) return NULL;
    }
}

static int cmp_id(const void *a, const void *b)
{
    return strcmp(a, b);
}

static bool in_sorted(const idlist_t *l, const char *id)
{
    return bsearch(id, l->id, l->n, sizeof *l->id, cmp_id) != NULL;
}

/* Check the database of a killed server: integrity, every acknowledged id
 * stored exactly once with both its answers, nothing stored unsent.
 * Returns the number of responses stored. */
static size_t verify_db(void)
{
    sqlite3 *db;
    /* Read-write: opening recovers the WAL the killed server left. */
    assert_int_equal(sqlite3_open_v2(srv.db, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);

    /* Every stored response, with how many of its two answers are there. */
    assert_int_equal(sqlite3_prepare_v2(db,
        "SELECT r.submission_id, count(a.question) FROM responses r"
        " LEFT JOIN answers a ON a.response_id = r.id"
        "  AND ((a.question = 'servicio' AND a.value = 'mercado')"
        "    OR (a.question = 'satisfaccion' AND a.value = '4'))"
        " GROUP BY r.id ORDER BY r.submission_id", -1, &st, NULL), SQLITE_OK);
    idlist_t stored = { 0 };
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *sid = (const char *)sqlite3_column_text(st, 0);
        assert_int_equal(strlen(sid), SID_LEN);
        if (sqlite3_column_int(st, 1) != 2) fail_msg("%s stored without all its answers", sid);
        idlist_add(&stored, sid);
    }
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);

    for (size_t i = 1; i < stored.n; i++)
        if (!strcmp(stored.id[i - 1], stored.id[i])) fail_msg("%s stored twice", stored.id[i]);
    qsort(g.sent.id, g.sent.n, sizeof *g.sent.id, cmp_id);
    for (size_t i = 0; i < stored.n; i++)
        if (!in_sorted(&g.sent, stored.id[i])) fail_msg("%s stored but never sent", stored.id[i]);
    for (size_t i = 0; i < g.acked.n; i++)
        if (!in_sorted(&stored, g.acked.id[i])) fail_msg("%s acknowledged but lost", g.acked.id[i]);
    size_t n = stored.n;
    free(stored.id);
    return n;
}

static void test_acknowledged_submissions_survive_sigkill(void **state)
{
    (void)state;
    assert_true(sodium_init() >= 0);
    const char *env = getenv("BUZON_CRASH_SEED");
    unsigned seed = env ? (unsigned)strtoul(env, NULL, 10) : randombytes_random();
    srand(seed);
    fprintf(stderr, "# crash test seed %u (BUZON_CRASH_SEED replays it)\n", seed);

    size_t stored = 0;
    for (int round = 0; round < ROUNDS; round++) {
        if (round == 0) assert_int_equal(testsrv_start(&srv, NULL, NULL), 0);
        else assert_int_equal(testsrv_restart(&srv, NULL, NULL), 0);
        size_t target = MIN_ACKS + (size_t)rand() % (MAX_ACKS - MIN_ACKS + 1);
        g.round_acks = 0;
        g.prev_acked = g.acked.n;
        g.stop = false;

        pthread_t th[THREADS];
        for (int i = 0; i < THREADS; i++)
            assert_int_equal(pthread_create(&th[i], NULL, client, &srv.port), 0);
        struct timespec deadline;
        clock_gettime(CLOCK_REALTIME, &deadline);
        deadline.tv_sec += 60;       /* a hung server fails, not blocks */
        pthread_mutex_lock(&g.mu);
        int w = 0;
        while (g.round_acks < target && !g.unexpected && w == 0) w = pthread_cond_timedwait(&g.cv, &g.mu, &deadline);
        pthread_mutex_unlock(&g.mu);
        /* Kill first, while requests are in flight; then stop the clients. */
        assert_int_equal(testsrv_kill(&srv, SIGKILL), 0);
        pthread_mutex_lock(&g.mu);
        g.stop = true;
        pthread_mutex_unlock(&g.mu);
        for (int i = 0; i < THREADS; i++) pthread_join(th[i], NULL);
        assert_int_equal(w, 0);
        assert_int_equal(g.unexpected, 0);

        stored = verify_db();
        fprintf(stderr, "# round %d: killed after %zu acknowledgements; %zu acknowledged, %zu stored so far\n",
                round + 1, g.round_acks, g.acked.n, stored);
    }
    fprintf(stderr, "# crash test: %d rounds, %zu submissions sent, %zu acknowledged, %zu stored "
            "(%zu stored but killed before their 303), %zu acknowledged re-posts, all exactly once\n",
            ROUNDS, g.sent.n, g.acked.n, stored, stored - g.acked.n, g.reposts);
    assert_true(g.reposts > 0);
    /* The database the crashes left serves and shuts down cleanly. */
    assert_int_equal(testsrv_restart(&srv, NULL, NULL), 0);
    http_resp_t r;
    assert_int_equal(http_get(srv.port, "/api/v1/forms", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    http_resp_free(&r);
    assert_int_equal(testsrv_stop(&srv), 0);
    free(g.sent.id);
    free(g.acked.id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_acknowledged_submissions_survive_sigkill),
    };
    return cmocka_run_group_tests_name("crash", tests, NULL, NULL);
}
