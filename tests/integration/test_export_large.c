/*
 * test_export_large.c: the raw-responses downloads of a form with many
 * responses (20,000, interleaved with another form's) are complete and
 * correct: every row, in id order, the last one whole. The downloads are
 * written to a temporary file and sent from there (http_download.c); a
 * stream cut short (a last piece never written, a size taken too early)
 * would pass every small test and fail here.
 *
 * 20,000 responses are over EXPORT_SPLIT_MIN (service/export.h), so the
 * CSV is read in two parts at once and the second file put after the
 * first: every id once, in order, across the cut.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "staffsrv.h"
#include "testsh.h"
#include "testsrv.h"

#define N 20000

static testsrv_t srv;
static char admin[128];

static int setup(void **state)
{
    (void)state;
    if (testsrv_start(&srv, NULL, NULL) != 0) return -1;
    if (staffsrv_session(&srv, "jefa", "admin", admin, sizeof admin)) return -1;
    /* N responses of satisfaccion, each followed by one of agilidad, each
     * with two answers; the last satisfaccion one says "ultima". */
    char sql[2048];
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
             " INSERT INTO responses(id, submission_id, form_version_id, form_id, point_id, lang, channel,"
             " submitted_hour, duration_s)"
             " SELECT 1000 + i, 'big-' || i, (SELECT id FROM form_versions WHERE form_id ="
             " CASE i %% 2 WHEN 0 THEN 'satisfaccion' ELSE 'agilidad' END LIMIT 1),"
             " CASE i %% 2 WHEN 0 THEN 'satisfaccion' ELSE 'agilidad' END,"
             " 'mercado-municipal', 'es', 'web', 490000 + i / 100, i %% 600 FROM n;"
             "INSERT INTO answers(response_id, form_id, question, value)"
             " SELECT id, form_id, 'servicio', 'mercado' FROM responses WHERE submission_id LIKE 'big-%%';"
             "INSERT INTO answers(response_id, form_id, question, value)"
             " SELECT id, form_id, 'sexo', CASE id WHEN %d THEN 'ultima' ELSE 'mujer' END"
             " FROM responses WHERE submission_id LIKE 'big-%%';",
             2 * N, 1000 + 2 * N);
    return testsrv_db_exec(&srv, sql) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    return testsrv_stop(&srv) == 0 ? 0 : -1;
}

static void get(const char *path, http_resp_t *r)
{
    assert_int_equal(http_get(srv.port, path, admin, r), 0);
    assert_int_equal(r->status, 200);
    char *len = http_header(r, "Content-Length");
    assert_non_null(len);
    assert_int_equal(strtoull(len, NULL, 10), r->body_len);
    free(len);
}

static void test_csv_of_many_responses_is_complete(void **state)
{
    (void)state;
    http_resp_t r;
    get("/api/v1/forms/satisfaccion/responses.csv", &r);
    size_t lines = 0;
    for (size_t i = 0; i < r.body_len; i++) lines += r.body[i] == '\n';
    assert_int_equal(lines, N + 1);   /* the header and N rows */
    /* Rows in id order: the first and the last. */
    assert_non_null(strstr(r.body, "\r\n1002,"));
    const char *last = r.body + r.body_len - 2;
    assert_memory_equal(last, "\r\n", 2);
    while (last > r.body && last[-1] != '\n') last--;
    char want[32];
    snprintf(want, sizeof want, "%d,", 1000 + 2 * N);
    if (strncmp(last, want, strlen(want))) fail_msg("last row: %.80s", last);
    assert_non_null(strstr(last, ",ultima"));
    assert_null(strstr(r.body, "\r\n1001,"));   /* agilidad's are not in it */
    /* Every row's id, in order: 1002, 1004, ... with none missing or
     * doubled where the two parts meet, and one byte-order mark only. */
    assert_memory_equal(r.body, "\xEF\xBB\xBF", 3);
    assert_null(memmem(r.body + 3, r.body_len - 3, "\xEF\xBB\xBF", 3));
    const char *p = strchr(r.body, '\n');
    assert_non_null(p);
    long want_id = 1002;
    for (p++; p < r.body + r.body_len; want_id += 2) {
        char *end;
        long id = strtol(p, &end, 10);
        if (id != want_id || *end != ',') fail_msg("row of id %ld where %ld was due: %.40s", id, want_id, p);
        p = memchr(p, '\n', (size_t)(r.body + r.body_len - p));
        assert_non_null(p);
        p++;
    }
    assert_int_equal(want_id, 1002 + 2 * N);
    http_resp_free(&r);
}

static void test_xlsx_of_many_responses_is_complete(void **state)
{
    (void)state;
    http_resp_t r;
    get("/api/v1/forms/satisfaccion/responses.xlsx", &r);
    char dir[] = "/tmp/buzon-exp-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/r.xlsx", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(r.body, 1, r.body_len, f), r.body_len);
    fclose(f);
    http_resp_free(&r);
    buf_t out;
    assert_int_equal(test_sh(dir, &out, NULL, "unzip -p '%s' xl/worksheets/sheet1.xml | grep -o '<row ' | wc -l"
                                             " && unzip -p '%s' xl/worksheets/sheet1.xml | tail -c 3000", path, path), 0);
    char want[64];
    snprintf(want, sizeof want, "%d\n", N + 1);
    if (strncmp(out.data, want, strlen(want))) fail_msg("rows: %s", out.data);
    snprintf(want, sizeof want, "<row r=\"%d\"", N + 1);
    assert_non_null(strstr(out.data, want));
    assert_non_null(strstr(out.data, "ultima"));
    assert_non_null(strstr(out.data, "</worksheet>"));
    buf_free(&out);
    char rm[128];
    snprintf(rm, sizeof rm, "rm -r '%s'", dir);
    assert_int_equal(system(rm), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_of_many_responses_is_complete),
        cmocka_unit_test(test_xlsx_of_many_responses_is_complete),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
