/*
 * store_bulk.c: the benchmark generator's fast writer (store_bulk.h):
 * plain prepared INSERTs into responses and answers, in transactions of
 * STORE_BULK_BATCH responses, on a connection of its own with
 * synchronous=OFF. Store layer: speaks SQL; sees base/, model/ and store/.
 */
#include "store/store_bulk.h"

#include <assert.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/buf.h"

struct store_bulk {
    sqlite3      *db;
    sqlite3_stmt *ins_resp, *ins_ans;
    size_t        pending;   /* responses in the open transaction */
};

store_bulk_t *store_bulk_begin(const char *path, char *err, size_t errlen)
{
    store_bulk_t *b = xcalloc(1, sizeof *b);
    if (sqlite3_open_v2(path, &b->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_exec(b->db, "PRAGMA synchronous=OFF; PRAGMA cache_size=-262144", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(b->db, "INSERT INTO responses(submission_id, form_version_id, form_id, point_id,"
                           " lang, channel, submitted_hour, duration_s) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
                           -1, &b->ins_resp, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(b->db, "INSERT INTO answers(response_id, form_id, question, value)"
                           " VALUES(?1,?2,?3,?4)", -1, &b->ins_ans, NULL) != SQLITE_OK ||
        sqlite3_exec(b->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, b->db ? sqlite3_errmsg(b->db) : "out of memory");
        sqlite3_finalize(b->ins_resp);
        sqlite3_finalize(b->ins_ans);
        sqlite3_close(b->db);
        free(b);
        return NULL;
    }
    return b;
}

store_rc_t store_bulk_add(store_bulk_t *b, const store_response_t *r)
{
    assert(b && r && !r->open_case);
    sqlite3_stmt *rs = b->ins_resp, *as = b->ins_ans;
    sqlite3_bind_text(rs, 1, r->submission_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(rs, 2, r->form_version_id);
    sqlite3_bind_text(rs, 3, r->form_id, -1, SQLITE_STATIC);
    if (r->point_id) sqlite3_bind_text(rs, 4, r->point_id, -1, SQLITE_STATIC);
    else sqlite3_bind_null(rs, 4);
    sqlite3_bind_text(rs, 5, r->lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(rs, 6, r->channel, -1, SQLITE_STATIC);
    sqlite3_bind_int64(rs, 7, r->submitted_hour);
    sqlite3_bind_int(rs, 8, r->duration_s);
    bool ok = sqlite3_step(rs) == SQLITE_DONE;
    sqlite3_reset(rs);
    int64_t id = sqlite3_last_insert_rowid(b->db);
    for (size_t i = 0; ok && i < r->nanswers; i++) {
        sqlite3_bind_int64(as, 1, id);
        sqlite3_bind_text(as, 2, r->form_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(as, 3, r->answers[i].question, -1, SQLITE_STATIC);
        sqlite3_bind_text(as, 4, r->answers[i].value, -1, SQLITE_STATIC);
        ok = sqlite3_step(as) == SQLITE_DONE;
        sqlite3_reset(as);
    }
    if (ok && ++b->pending == STORE_BULK_BATCH) {
        ok = sqlite3_exec(b->db, "COMMIT; BEGIN", NULL, NULL, NULL) == SQLITE_OK;
        b->pending = 0;
    }
    if (!ok) fprintf(stderr, "store: bulk: %s\n", sqlite3_errmsg(b->db));
    return ok ? STORE_OK : STORE_ERR;
}

store_rc_t store_bulk_end(store_bulk_t *b, bool commit)
{
    assert(b);
    bool ok = !commit || sqlite3_exec(b->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
    if (!ok) fprintf(stderr, "store: bulk: %s\n", sqlite3_errmsg(b->db));
    sqlite3_finalize(b->ins_resp);
    sqlite3_finalize(b->ins_ans);
    sqlite3_close(b->db);
    free(b);
    return ok ? STORE_OK : STORE_ERR;
}
