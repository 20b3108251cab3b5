/*
 * bench_sqlite_plain.c: the reference for buzon's durable submissions: the
 * same rows a survey answer produces (one response, its answers) inserted
 * straight into SQLite, one transaction per response, with the settings
 * buzon uses (WAL, synchronous=FULL) on a database with buzon's schema.
 *
 *   bench_sqlite_plain DB SECONDS     prints "responses N" and "per_second R"
 *
 * The schema comes from store_open() so both write the same tables and
 * indexes; everything after that is plain sqlite3 calls on one connection.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "store/store.h"

static const char *const questions[][2] = {
    { "servicio", "mercado" }, { "satisfaccion", "4" }, { "confianza", "5" }, { "necesidad", "4" },
    { "facilidad", "3" }, { "tiempo", "4" }, { "trato", "5" }, { "personal", "4" },
    { "esp_mercado", "2" }, { "comentario_tipo", "ninguno" }, { "sexo", "mujer" },
    { "edad", "30_44" }, { "zona", "rural" }, { "idioma", "es" },
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void check(int rc, sqlite3 *db, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE) {
        fprintf(stderr, "bench_sqlite_plain: %s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bench_sqlite_plain DB SECONDS\n");
        return 2;
    }
    char err[256];
    store_t *s = store_open(argv[1], err, sizeof err);
    if (!s) { fprintf(stderr, "bench_sqlite_plain: %s\n", err); return 1; }
    int64_t fv;
    if (store_form_version(s, "satisfaccion", "bench", "bench", "", &fv) != STORE_OK) return 1;
    store_close(s);

    sqlite3 *db;
    check(sqlite3_open(argv[1], &db), db, "open");
    check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON",
                       NULL, NULL, NULL), db, "pragmas");
    sqlite3_stmt *begin, *commit, *resp, *ans;
    check(sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL), db, "prepare");
    check(sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL), db, "prepare");
    check(sqlite3_prepare_v2(db, "INSERT INTO responses(submission_id, form_version_id, form_id, point_id,"
                             " lang, channel, submitted_hour, duration_s) VALUES(?1, ?2, 'satisfaccion',"
                             " 'mercado-municipal', 'es', 'web', ?3, 40)", -1, &resp, NULL), db, "prepare");
    check(sqlite3_prepare_v2(db, "INSERT INTO answers(response_id, form_id, question, value)"
                             " VALUES(?1, 'satisfaccion', ?2, ?3)", -1, &ans, NULL), db, "prepare");

    double limit = atof(argv[2]), t0 = now();
    long n = 0;
    char sid[40];
    while (now() - t0 < limit) {
        snprintf(sid, sizeof sid, "plain-%012ld", n);
        check(sqlite3_step(begin), db, "begin"); sqlite3_reset(begin);
        sqlite3_bind_text(resp, 1, sid, -1, SQLITE_STATIC);
        sqlite3_bind_int64(resp, 2, fv);
        sqlite3_bind_int64(resp, 3, (sqlite3_int64)(time(NULL) / 3600 * 3600));
        check(sqlite3_step(resp), db, "insert response"); sqlite3_reset(resp);
        sqlite3_int64 id = sqlite3_last_insert_rowid(db);
        for (size_t i = 0; i < sizeof questions / sizeof questions[0]; i++) {
            sqlite3_bind_int64(ans, 1, id);
            sqlite3_bind_text(ans, 2, questions[i][0], -1, SQLITE_STATIC);
            sqlite3_bind_text(ans, 3, questions[i][1], -1, SQLITE_STATIC);
            check(sqlite3_step(ans), db, "insert answer"); sqlite3_reset(ans);
        }
        check(sqlite3_step(commit), db, "commit"); sqlite3_reset(commit);
        n++;
    }
    double dt = now() - t0;
    printf("responses %ld\nper_second %.0f\n", n, (double)n / dt);
    sqlite3_finalize(begin); sqlite3_finalize(commit); sqlite3_finalize(resp); sqlite3_finalize(ans);
    sqlite3_close(db);
    return 0;
}
