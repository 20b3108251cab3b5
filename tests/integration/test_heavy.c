/*
 * test_heavy.c: heavy requests (the indicators, the dashboard, the
 * exports) run off the page threads, limited per address, and their
 * reports are cached until the data changes (issue 14 item 2;
 * src/http/http_heavy.c, src/http/report_cache.c).
 *
 * To keep heavy requests in flight for as long as the test needs, the
 * test holds the database's write lock (BEGIN IMMEDIATE on a connection
 * of its own) after a new answer arrived: each indicator request must
 * fold that answer into the aggregates first, so it waits for the lock
 * (the store's busy timeout, 5 s) on whichever thread runs it. Before
 * the fix it ran on a page thread, and two of them took both page threads
 * of the server: a visitor's survey page waited for the lock too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "testsrv.h"

static testsrv_t srv;

static int setup(void **state)
{
    (void)state;
    /* Two page threads, as on the municipality's two-core machine. */
    static const char *const args[] = { "--public-indicators", "--min-cell", "3", "--rate-limit", "0",
                                        "--threads", "2", NULL };
    return testsrv_start(&srv, NULL, args) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    return testsrv_stop(&srv) == 0 ? 0 : -1;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void submit(int i)
{
    char body[256];
    snprintf(body, sizeof body, "_sid=aaaaaaaa-bbbb-4ccc-8ddd-0000000001%02d&_t=1&satisfaccion=5"
             "&confianza=4&sexo=mujer", i);
    http_resp_t r;
    assert_int_equal(http_post(srv.port, "/e/satisfaccion?p=mercado-municipal&lang=es", body, &r), 0);
    assert_int_equal(r.status, 303);
    http_resp_free(&r);
}

/* A request sent from src on a connection of its own, read later. */
typedef struct pending {
    int    fd;
    char   buf[65536];
    size_t len;
    bool   done;       /* the server closed: buf holds the whole answer */
} pending_t;

static void send_from(pending_t *p, const char *src, const char *path)
{
    memset(p, 0, sizeof *p);
    p->fd = test_connect(src, srv.port);
    assert_true(p->fd >= 0);
    char req[512];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", path);
    assert_int_equal(send(p->fd, req, (size_t)n, MSG_NOSIGNAL), n);
}

/* Read what p has within wait_ms; true once its answer is complete. */
static bool read_some(pending_t *p, int wait_ms)
{
    struct pollfd pf = { .fd = p->fd, .events = POLLIN };
    while (!p->done && poll(&pf, 1, wait_ms) > 0) {
        ssize_t n = recv(p->fd, p->buf + p->len, sizeof p->buf - 1 - p->len, 0);
        if (n <= 0) {
            p->done = true;
            close(p->fd);
            p->fd = -1;
            break;
        }
        p->len += (size_t)n;
        p->buf[p->len] = '\0';
        wait_ms = 0;
    }
    return p->done;
}

static int status_of(const pending_t *p)
{
    int st = 0;
    return sscanf(p->buf, "HTTP/1.1 %d", &st) == 1 ? st : 0;
}

static void finish(pending_t *p)
{
    if (p->fd >= 0) close(p->fd);
    p->fd = -1;
}

/* Hold the database's write lock on a connection of the test's own. */
static sqlite3 *lock_db(void)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(srv.db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 2000);
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    return db;
}

static void unlock_db(sqlite3 *db)
{
    assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void test_per_address_limit_and_pages_meanwhile(void **state)
{
    (void)state;
    submit(1);                          /* something to fold: requests wait for the lock */
    sqlite3 *db = lock_db();
    /* Three heavy requests of one address: two are taken, one is refused
     * at once, whichever libmicrohttpd reads last. */
    pending_t a[3];
    send_from(&a[0], "127.0.0.2", "/api/v1/indicators");
    send_from(&a[1], "127.0.0.2", "/api/v1/indicators.csv");
    send_from(&a[2], "127.0.0.2", "/api/v1/indicators?by=none");
    int refused = -1;
    for (double end = now_ms() + 3000; refused < 0 && now_ms() < end; )
        for (int i = 0; i < 3; i++)
            if (read_some(&a[i], 20)) refused = i;
    assert_true(refused >= 0);
    assert_int_equal(status_of(&a[refused]), 429);
    assert_non_null(strcasestr(a[refused].buf, "\r\nRetry-After: 5\r\n"));
    assert_non_null(strcasestr(a[refused].buf, "Content-Type: application/json"));
    assert_non_null(strstr(a[refused].buf, "\"retry_after\":5"));
    for (int i = 0; i < 3; i++)
        if (i != refused) assert_false(a[i].done);
    /* The dashboard from the same address, in Kreyòl: a page. */
    pending_t d;
    send_from(&d, "127.0.0.2", "/indicadores?lang=ht");
    for (double end = now_ms() + 3000; !read_some(&d, 20) && now_ms() < end; ) {}
    assert_true(d.done);
    assert_int_equal(status_of(&d), 429);
    assert_non_null(strcasestr(d.buf, "\r\nRetry-After: 5\r\n"));
    assert_non_null(strstr(d.buf, "Twòp demann an menm tan"));
    assert_non_null(strstr(d.buf, "Content-Security-Policy"));
    /* A staff-only download with no session at all is answered at once at
     * the door (401), from the same address, and takes no slot (found in
     * review: unauthenticated requests held slots staff need). */
    pending_t u;
    send_from(&u, "127.0.0.2", "/api/v1/forms/satisfaccion/responses.csv");
    for (double end = now_ms() + 3000; !read_some(&u, 20) && now_ms() < end; ) {}
    assert_true(u.done);
    assert_int_equal(status_of(&u), 401);
    finish(&u);
    /* Meanwhile a visitor on another address gets the survey, at once. */
    for (int k = 0; k < 5; k++) {
        double t0 = now_ms();
        http_resp_t r;
        static const char page[] = "GET /e/satisfaccion?p=mercado-municipal HTTP/1.1\r\nHost: t\r\n"
                                   "Connection: close\r\n\r\n";
        assert_int_equal(http_raw_from("127.0.0.3", srv.port, page, sizeof page - 1, &r), 0);
        assert_int_equal(r.status, 200);
        http_resp_free(&r);
        double ms = now_ms() - t0;
        if (ms > 500) fail_msg("survey page took %.0f ms while heavy requests waited", ms);
    }
    for (int i = 0; i < 3; i++)
        if (i != refused) assert_false(read_some(&a[i], 0));   /* still waiting */
    /* Once the lock is gone the two held requests are answered. */
    unlock_db(db);
    for (int i = 0; i < 3; i++) {
        if (i == refused) continue;
        for (double end = now_ms() + 4000; !read_some(&a[i], 50) && now_ms() < end; ) {}
        assert_true(a[i].done);
        assert_int_equal(status_of(&a[i]), 200);
        finish(&a[i]);
    }
    finish(&d);
    /* and the address may ask again */
    http_resp_t r;
    static const char again[] = "GET /api/v1/indicators HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    assert_int_equal(http_raw_from("127.0.0.2", srv.port, again, sizeof again - 1, &r), 0);
    assert_int_equal(r.status, 200);
    http_resp_free(&r);
}

static json_t *api(const char *path)
{
    http_resp_t r;
    assert_int_equal(http_get(srv.port, path, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    json_error_t e;
    json_t *j = json_loads(r.body, 0, &e);
    http_resp_free(&r);
    assert_non_null(j);
    return j;
}

static json_int_t sat_n(json_t *doc)
{
    json_t *list = json_object_get(doc, "indicators"), *it;
    size_t i;
    json_array_foreach(list, i, it)
        if (!strcmp(json_string_value(json_object_get(it, "id")), "sat_indice"))
            return json_integer_value(json_object_get(it, "n"));
    fail_msg("no sat_indice");
    return -1;
}

static void test_cache_same_figures_until_a_submission(void **state)
{
    (void)state;
    for (int i = 2; i < 5; i++) submit(i);       /* three: over the threshold */
    json_t *first = api("/api/v1/indicators?form=satisfaccion");
    json_int_t n = sat_n(first);
    const char *gen = json_string_value(json_object_get(first, "generated_at"));
    assert_non_null(gen);
    /* Asked again once the clock has moved on by a second: the same
     * report, built when it was first asked for. */
    time_t t0 = time(NULL);
    for (double end = now_ms() + 2500; time(NULL) == t0 && now_ms() < end; ) {
        struct pollfd none;
        poll(&none, 0, 20);
    }
    assert_true(time(NULL) != t0);
    json_t *again = api("/api/v1/indicators?form=satisfaccion");
    assert_true(json_equal(first, again));
    json_decref(again);
    /* The CSV of the same filter shows the same report too (no rebuild
     * needed for another format) */
    http_resp_t r;
    assert_int_equal(http_get(srv.port, "/api/v1/indicators.csv?form=satisfaccion", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    http_resp_free(&r);
    /* A new answer: the next report counts it, built anew. */
    submit(5);
    json_t *after = api("/api/v1/indicators?form=satisfaccion");
    assert_int_equal(sat_n(after), n + 1);
    assert_string_not_equal(json_string_value(json_object_get(after, "generated_at")), gen);
    json_decref(after);
    json_decref(first);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_per_address_limit_and_pages_meanwhile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_same_figures_until_a_submission, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
