/*
 * test_logline.c: one request, one line in the request log, whatever bytes
 * its path carries (issue 14 item 7). Against a real build/buzon: a path
 * with %C2%0A (a UTF-8 lead byte, then a newline) used to forge a second
 * log line, and %C2%1B to write a terminal escape sequence into the log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testsrv.h"

static testsrv_t srv;

static int setup(void **state)
{
    (void)state;
    return testsrv_start(&srv, NULL, NULL);
}

static int teardown(void **state)
{
    (void)state;
    return testsrv_stop(&srv) == 0 ? 0 : -1;
}

/* The server's log as text (malloc'd, the caller frees), with its length
 * in *len. */
static char *read_log(size_t *len)
{
    FILE *fp = fopen(srv.log, "rb");
    assert_non_null(fp);
    char *text = NULL;
    size_t cap = 0;
    FILE *mem = open_memstream(&text, &cap);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) fwrite(chunk, 1, n, mem);
    fclose(fp);
    fclose(mem);
    *len = cap;
    return text;
}

/* GET path (raw, as sent) and wait, with a deadline, until the log holds a
 * line containing mark: the request is logged after its answer is sent. */
static char *get_and_read_log(const char *path, const char *mark, size_t *len)
{
    char req[512];
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", path);
    http_resp_t r;
    assert_int_equal(http_raw(srv.port, req, strlen(req), &r), 0);
    assert_int_equal(r.status, 404);
    http_resp_free(&r);
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        char *log = read_log(len);
        if (memmem(log, *len, mark, strlen(mark))) return log;
        free(log);
        clock_gettime(CLOCK_MONOTONIC, &t);
        if (t.tv_sec - t0.tv_sec > 5) fail_msg("no log line with %s", mark);
        nanosleep(&(struct timespec){ 0, 2000000 }, NULL);
    }
}

/* Lines of log[0..len) that contain needle. */
static int lines_with(const char *log, size_t len, const char *needle)
{
    int count = 0;
    for (const char *p = log, *end = log + len; p < end; ) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        if (memmem(p, (size_t)(stop - p), needle, strlen(needle))) count++;
        p = stop + 1;
    }
    return count;
}

static void test_a_lead_byte_and_a_newline_leave_one_log_line(void **state)
{
    (void)state;
    size_t len;
    char *log = get_and_read_log("/nada%C2%0A2024-01-01T00:00:00Z%20GET%20/forjada%20200", "/nada", &len);
    assert_int_equal(lines_with(log, len, "/nada"), 1);
    assert_int_equal(lines_with(log, len, "forjada"), 1);
    assert_int_equal(lines_with(log, len, "/nada%C2%0A2024-01-01T00:00:00Z%20GET%20/forjada%20200 404 "), 1);
    free(log);
}

static void test_a_lead_byte_and_esc_write_no_escape_sequence(void **state)
{
    (void)state;
    size_t len;
    char *log = get_and_read_log("/nada%C2%1B%5B2J%E2%82%1B%5D0;titulo%07", "/nada", &len);
    assert_null(memchr(log, 0x1B, len));
    assert_null(memchr(log, 0x07, len));
    assert_int_equal(lines_with(log, len, "/nada%C2%1B[2J%E2%82%1B]0;titulo%07 404 "), 1);
    free(log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_lead_byte_and_a_newline_leave_one_log_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_lead_byte_and_esc_write_no_escape_sequence, setup, teardown),
    };
    return cmocka_run_group_tests_name("logline", tests, NULL, NULL);
}
