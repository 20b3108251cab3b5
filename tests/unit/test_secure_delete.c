/*
 * test_secure_delete.c: erased contact details leave the database file
 * (issue 14 item 9). Physical erasure needs SQLite's secure_delete, which
 * Debian's library has on by default but upstream's has off; the store
 * turns it on itself. To check that without another SQLite build, this
 * test stands in front of sqlite3_open_v2 (the store in libbuzon.a links
 * to this binary's definition) and opens every connection the way a
 * library built without SQLITE_SECURE_DELETE would, with secure_delete
 * off; the store must still end up with it on. Then a complainant's phone
 * is erased through the service, the database checkpointed, and the
 * file's bytes searched for it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/casework.h"
#include "store/store.h"
#include "testdb.h"

/* Every connection opened, and whether it is still open. */
enum { MAX_CONNS = 16 };
static sqlite3 *conns[MAX_CONNS];
static size_t nconns;

int sqlite3_open_v2(const char *path, sqlite3 **db, int flags, const char *vfs)
{
    typedef int open_fn(const char *, sqlite3 **, int, const char *);
    open_fn *real = (open_fn *)dlsym(RTLD_NEXT, "sqlite3_open_v2");
    if (!real) return SQLITE_ERROR;
    int rc = real(path, db, flags, vfs);
    if (rc == SQLITE_OK) {
        sqlite3_exec(*db, "PRAGMA secure_delete=OFF", NULL, NULL, NULL);
        if (nconns < MAX_CONNS) conns[nconns++] = *db;
    }
    return rc;
}

int sqlite3_close(sqlite3 *db)
{
    typedef int close_fn(sqlite3 *);
    close_fn *real = (close_fn *)dlsym(RTLD_NEXT, "sqlite3_close");
    for (size_t i = 0; i < nconns; i++)
        if (conns[i] == db) conns[i] = NULL;
    return real ? real(db) : SQLITE_ERROR;
}

static int64_t pragma_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    int64_t v = -1;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Whether the file at path contains needle. */
static bool file_contains(const char *path, const char *needle)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return false;
    char *text = NULL;
    size_t cap = 0;
    FILE *mem = open_memstream(&text, &cap);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) fwrite(chunk, 1, n, mem);
    fclose(fp);
    fclose(mem);
    bool found = memmem(text, cap, needle, strlen(needle)) != NULL;
    free(text);
    return found;
}

static const char PHONE[] = "8095551234";
static const char NAME[] = "Zoraida Marcadora";

/* A complaint with contact details; its case code into code. */
static void submit_complaint(test_db_t *db, const char *sid, char code[CASE_CODE_LEN + 1])
{
    store_answer_t ans[] = { { "comentario", "La basura no se recoge en mi calle" },
                             { "contacto_consent", "si" }, { "contacto_nombre", NAME },
                             { "contacto_telefono", PHONE } };
    case_new_t k = { .kind = "queja", .service = "recoleccion", .standard_days = -1 };
    store_response_t r = { .submission_id = sid, .form_version_id = db->fv, .form_id = "quejas",
                           .lang = "es", .channel = "web", .submitted_hour = 1000000,
                           .duration_s = -1, .answers = ans, .nanswers = 4, .open_case = &k };
    assert_int_equal(store_submit(db->s, &r), STORE_OK);
    memcpy(code, k.code, CASE_CODE_LEN + 1);
}

static void test_every_store_connection_has_secure_delete_on(void **state)
{
    (void)state;
    nconns = 0;
    test_db_t db;
    test_db_open(&db);
    size_t open_now = 0;
    for (size_t i = 0; i < nconns; i++) {
        if (!conns[i]) continue;
        open_now++;
        assert_int_equal(pragma_int(conns[i], "PRAGMA secure_delete"), 1);
    }
    assert_true(open_now >= 3);          /* writer, reader, checkpointer */
    test_db_close(&db);
}

static void test_an_erased_phone_is_gone_from_the_file(void **state)
{
    (void)state;
    test_db_t db;
    test_db_open(&db);
    char code[CASE_CODE_LEN + 1], other[CASE_CODE_LEN + 1];
    submit_complaint(&db, "secdel-1", code);
    submit_complaint(&db, "secdel-2", other);
    bool had = false;
    assert_int_equal(casework_erase_contact(db.s, code, CASE_ERASE_ASKED, "ana", 2000000, &had), STORE_OK);
    assert_true(had);
    assert_int_equal(casework_erase_contact(db.s, other, CASE_ERASE_ASKED, "ana", 2000001, &had), STORE_OK);
    assert_true(had);
    /* closing the last connection checkpoints everything into the file and
     * removes the WAL */
    char path[sizeof db.path];
    memcpy(path, db.path, sizeof path);
    store_close(db.s);
    sqlite3 *check;
    assert_int_equal(sqlite3_open_v2(path, &check, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(pragma_int(check, "PRAGMA wal_checkpoint(TRUNCATE)"), 0);
    assert_int_equal(pragma_int(check, "SELECT count(*) FROM answers WHERE question = 'comentario'"), 2);
    assert_int_equal(pragma_int(check, "SELECT count(*) FROM answers WHERE question LIKE 'contacto_%'"), 2);
    sqlite3_close(check);
    assert_true(file_contains(path, "La basura no se recoge"));   /* the search works */
    assert_false(file_contains(path, PHONE));
    assert_false(file_contains(path, NAME));
    db.s = store_open(path, (char[256]){ 0 }, 256);
    assert_non_null(db.s);
    test_db_close(&db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_store_connection_has_secure_delete_on),
        cmocka_unit_test(test_an_erased_phone_is_gone_from_the_file),
    };
    return cmocka_run_group_tests_name("secure_delete", tests, NULL, NULL);
}
