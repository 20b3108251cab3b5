/*
 * testcheck.c: see testcheck.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "testcheck.h"
#include "testsh.h"
#include "testsrv.h"
#include "testsrv.h"

void test_has(const char *body, const char *what)
{
    if (!body || !strstr(body, what)) fail_msg("missing \"%s\" in:\n%s", what, body ? body : "(nothing)");
}

void test_lacks(const char *body, const char *what)
{
    if (body && strstr(body, what)) fail_msg("unexpected \"%s\" in:\n%s", what, body);
}

long long test_db_int(const char *db, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    long long v = 0;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) fail_msg("cannot open %s", db);
    sqlite3_busy_timeout(h, 5000);
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) fail_msg("%s: %s", sql, sqlite3_errmsg(h));
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_DONE) fail_msg("%s: %s", sql, sqlite3_errmsg(h));
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

int test_catalog_csvs(const char *forms_dir)
{
    const char *root = test_root();
    return test_sh(forms_dir, NULL, NULL, "cp '%s/forms/points.csv' '%s/forms/services.csv' '%s/'", root, root,
                   forms_dir);
}

json_t *test_get_json(unsigned port, const char *path, const char *headers, int status)
{
    http_resp_t r;
    if (http_get(port, path, headers, &r) != 0) fail_msg("GET %s: no answer", path);
    if ((int)r.status != status) fail_msg("GET %s: %d, not %d\n%s", path, (int)r.status, status, r.body);
    json_error_t e;
    json_t *j = json_loads(r.body ? r.body : "", 0, &e);
    if (!j) fail_msg("GET %s: not JSON: %s", path, e.text);
    http_resp_free(&r);
    return j;
}

json_t *test_indicator(json_t *doc, const char *id)
{
    json_t *list = json_object_get(doc, "indicators"), *it;
    size_t i;
    json_array_foreach(list, i, it)
        if (!strcmp(json_string_value(json_object_get(it, "id")), id)) return it;
    fail_msg("no indicator %s", id);
    return NULL;
}
