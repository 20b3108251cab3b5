/*
 * store.c: the SQLite database behind buzon (see store.h for the contract).
 *
 * Two connections per handle. The write connection runs the migrations at
 * open and then every write, each inside BEGIN IMMEDIATE so a writer never
 * has to upgrade a read lock (the cause of SQLITE_BUSY that no timeout can
 * fix). The read connection is opened read-only; WAL lets it read a
 * consistent snapshot while a write is being committed. Each connection has
 * its own mutex, and every statement is prepared once at open.
 *
 * Submissions use group commit: synchronous=FULL makes every COMMIT an
 * fsync, so when several requests arrive together the first one to find the
 * write connection idle commits everyone queued behind it in one
 * transaction. Each submission gets its own SAVEPOINT inside that
 * transaction, so a duplicate or a failing answer undoes only that
 * submission; a failed COMMIT fails the whole batch (nothing was written).
 */
#include "store/store.h"
#include "store/store_int.h"
#include "store/store_watch.h"

#include "base/buf.h"
#include "base/utf8.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

enum { BUSY_TIMEOUT_MS = 5000 };

/*
 * The schema, one entry per version: migrations[i] takes user_version i to
 * i + 1. Append new entries; never edit a released one (databases in the
 * field have already run it).
 *
 * v1 notes. answers repeats its response's form_id so that the per-form
 * aggregates (GROUP BY question, value) are answered from one covering
 * index without touching responses: measured 6x faster than joining through
 * responses on 1M answers. Period-, point- and service-filtered aggregates
 * go through responses_form_hour (form, then time, then point, so a point
 * filter is also answered from the index) and then the answers primary
 * key, which keeps a response's answers together. Nothing ever deletes
 * form versions, so responses.form_version_id has no index of its own.
 * No IP address or other identifier of the citizen is stored.
 */
static const char *const migrations[] = {
    /* 1: form versions, responses and their answers. */
    "CREATE TABLE form_versions("
    " id INTEGER PRIMARY KEY,"
    " form_id TEXT NOT NULL,"
    " version TEXT NOT NULL,"
    " hash TEXT NOT NULL,"
    " source TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " UNIQUE(form_id, hash)"
    ") STRICT;"
    "CREATE TABLE responses("
    " id INTEGER PRIMARY KEY,"
    " submission_id TEXT NOT NULL UNIQUE,"
    " form_version_id INTEGER NOT NULL REFERENCES form_versions(id),"
    " form_id TEXT NOT NULL,"
    " point_id TEXT,"
    " lang TEXT NOT NULL,"
    " channel TEXT NOT NULL,"
    " submitted_hour INTEGER NOT NULL,"
    " duration_s INTEGER"
    ") STRICT;"
    "CREATE INDEX responses_form_hour"
    " ON responses(form_id, submitted_hour, point_id);"
    "CREATE TABLE answers("
    " response_id INTEGER NOT NULL REFERENCES responses(id),"
    " form_id TEXT NOT NULL,"
    " question TEXT NOT NULL,"
    " value TEXT NOT NULL,"
    " PRIMARY KEY(response_id, question)"
    ") STRICT, WITHOUT ROWID;"
    "CREATE INDEX answers_form_question_value"
    " ON answers(form_id, question, value);",
    /* 2: staff accounts, sessions, cases and the audit log (queries in
     * store_staff.c and store_cases.c). Sessions keep only a hash of
     * their token. A case points at its response and copies nothing from
     * it: the comment and the contact details stay answers of the
     * response, so erasing the contact answers erases every copy. The
     * audit log and case notes are append-only: triggers refuse UPDATE
     * and DELETE. */
    "CREATE TABLE users("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE,"
    " role TEXT NOT NULL"
    "  CHECK(role IN ('admin','planificacion','atencion','lectura')),"
    " pwhash TEXT NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0 CHECK(disabled IN (0, 1)),"
    " created_at INTEGER NOT NULL,"
    " last_login INTEGER"
    ") STRICT;"
    "CREATE TABLE sessions("
    " token_hash BLOB PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES users(id),"
    " created_at INTEGER NOT NULL,"
    " last_seen INTEGER NOT NULL"
    ") STRICT, WITHOUT ROWID;"
    "CREATE INDEX sessions_user ON sessions(user_id);"
    "CREATE TABLE cases("
    " id INTEGER PRIMARY KEY,"
    " code TEXT NOT NULL UNIQUE,"
    " response_id INTEGER NOT NULL UNIQUE REFERENCES responses(id),"
    " form_id TEXT NOT NULL,"
    " service TEXT,"
    " point_id TEXT,"
    " kind TEXT NOT NULL,"
    " lang TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " standard_days INTEGER,"
    " due_date TEXT,"
    " status TEXT NOT NULL DEFAULT 'nuevo'"
    "  CHECK(status IN ('nuevo','asignado','respondido','cerrado')),"
    " assigned_to INTEGER REFERENCES users(id),"
    " first_answer_at INTEGER,"
    " answered_at INTEGER,"
    " closed_at INTEGER,"
    " public_answer TEXT,"
    " wants_answer INTEGER NOT NULL DEFAULT 0,"
    " contact_erased_at INTEGER"
    ") STRICT;"
    "CREATE INDEX cases_created ON cases(created_at);"
    "CREATE INDEX cases_closed ON cases(closed_at) WHERE closed_at IS NOT NULL;"
    "CREATE TABLE case_notes("
    " id INTEGER PRIMARY KEY,"
    " case_id INTEGER NOT NULL REFERENCES cases(id),"
    " at INTEGER NOT NULL,"
    " actor TEXT NOT NULL,"
    " text TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX case_notes_case ON case_notes(case_id);"
    "CREATE TABLE audit("
    " id INTEGER PRIMARY KEY,"
    " at INTEGER NOT NULL,"
    " actor TEXT NOT NULL,"
    " action TEXT NOT NULL,"
    " object TEXT NOT NULL,"
    " detail TEXT NOT NULL DEFAULT ''"
    ") STRICT;"
    "CREATE INDEX audit_object ON audit(object, id);"
    "CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER case_notes_append_only_u BEFORE UPDATE ON case_notes"
    " BEGIN SELECT RAISE(ABORT, 'case notes are append-only'); END;"
    "CREATE TRIGGER case_notes_append_only_d BEFORE DELETE ON case_notes"
    " BEGIN SELECT RAISE(ABORT, 'case notes are append-only'); END;",
    /* 3: indicator aggregates (store_ind.c explains them): counters per
     * form, local day or month, point, service and breakdown group, the
     * names of their slots, and how far responses have been folded in.
     * The triggers drop that state whenever a folded response could have
     * changed, which makes the next query rebuild the aggregates. */
    "CREATE TABLE ind_state("
    " id INTEGER PRIMARY KEY CHECK(id = 1),"
    " defs_hash TEXT NOT NULL,"
    " last_response INTEGER NOT NULL"
    ") STRICT;"
    "CREATE TABLE ind_slots("
    " form_id TEXT NOT NULL,"
    " slot INTEGER NOT NULL,"
    " name TEXT NOT NULL,"
    " PRIMARY KEY(form_id, slot)"
    ") STRICT, WITHOUT ROWID;"
    "CREATE TABLE ind_agg("
    " form_id TEXT NOT NULL,"
    " grain INTEGER NOT NULL,"
    " period INTEGER NOT NULL,"
    " point_id TEXT NOT NULL,"
    " service TEXT NOT NULL,"
    " dim TEXT NOT NULL,"
    " dv TEXT NOT NULL,"
    " data BLOB NOT NULL,"
    " PRIMARY KEY(form_id, grain, period, point_id, service, dim, dv)"
    ") STRICT, WITHOUT ROWID;"
    "CREATE TRIGGER ind_stale_response_del AFTER DELETE ON responses"
    " BEGIN DELETE FROM ind_state; END;"
    "CREATE TRIGGER ind_stale_response_upd AFTER UPDATE ON responses"
    " BEGIN DELETE FROM ind_state; END;"
    "CREATE TRIGGER ind_stale_answer_del AFTER DELETE ON answers"
    " BEGIN DELETE FROM ind_state; END;"
    "CREATE TRIGGER ind_stale_answer_upd AFTER UPDATE ON answers"
    " BEGIN DELETE FROM ind_state; END;"
    "CREATE TRIGGER ind_stale_answer_late AFTER INSERT ON answers"
    " WHEN NEW.response_id <= (SELECT last_response FROM ind_state)"
    " BEGIN DELETE FROM ind_state; END;",
    /* 4 (issue 13, closing reasons): why a case was closed without a
     * public answer (model/cases.h, case_close_reason_t; NULL: closed
     * with an answer, or before reasons existed), and compliments lose
     * the deadline they were wrongly given: the Carta promises them no
     * answer. */
    "ALTER TABLE cases ADD COLUMN close_reason TEXT"
    " CHECK(close_reason IN ('duplicado','spam','fuera_de_competencia'));"
    "UPDATE cases SET standard_days = NULL, due_date = NULL WHERE kind = 'elogio';",
    /* 5 (issue 13, walk fixes): the code of the case a duplicate repeats
     * (model/cases.h, case_rec_t.duplicate_of; NULL: not a duplicate, or
     * closed as one before the code was asked). */
    "ALTER TABLE cases ADD COLUMN duplicate_of TEXT;",
    /* 6 (issue 15, upload from the browser): XLSForm workbooks uploaded by
     * staff (store_forms.c). A row is a draft until published_at is set;
     * the latest published, not withdrawn row of a form id is the form
     * served in place of the forms folder's. The workbook's own bytes are
     * kept, so a backup holds every form its answers need. */
    "CREATE TABLE form_uploads("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"   /* never reused: a preview's address names one upload */
    " form_id TEXT NOT NULL,"
    " version TEXT NOT NULL,"
    " file_name TEXT NOT NULL,"
    " workbook BLOB NOT NULL,"
    " hash TEXT NOT NULL,"
    " uploaded_at INTEGER NOT NULL,"
    " uploaded_by TEXT NOT NULL,"
    " published_at INTEGER,"
    " published_seq INTEGER UNIQUE,"   /* 1, 2...: the order of publication, which the
                                            clock (seconds, and stepped by NTP) cannot give */
    " published_by TEXT,"
    " withdrawn_at INTEGER"
    ") STRICT;"
    "CREATE INDEX form_uploads_form ON form_uploads(form_id, id);",
    /* 7 (issue 16, media): the files sent with a response (an image
     * question's photo, re-encoded without metadata: model/media.h),
     * written in the response's savepoint (store_submit). name is the
     * answer's value and the last part of the file's address; type comes
     * from the bytes. In the database, so backups hold them. */
    "CREATE TABLE media("
    " id INTEGER PRIMARY KEY,"
    " response_id INTEGER NOT NULL REFERENCES responses(id),"
    " form_id TEXT NOT NULL,"
    " question TEXT NOT NULL,"
    " name TEXT NOT NULL UNIQUE,"
    " type TEXT NOT NULL,"
    " size INTEGER NOT NULL,"
    " data BLOB NOT NULL"
    ") STRICT;"
    "CREATE INDEX media_response ON media(response_id);",
    /* 8 (issue 17, channels): the indicator aggregates are also kept per
     * channel (web, papel, entrevista, registro), so that every figure can
     * be filtered by channel. The aggregates are derived data: the table
     * is made again with the channel in its key and the fold state
     * dropped, so the next query rebuilds them from the responses. */
    "DROP TABLE ind_agg;"
    "CREATE TABLE ind_agg("
    " form_id TEXT NOT NULL,"
    " grain INTEGER NOT NULL,"
    " period INTEGER NOT NULL,"
    " point_id TEXT NOT NULL,"
    " service TEXT NOT NULL,"
    " channel TEXT NOT NULL,"
    " dim TEXT NOT NULL,"
    " dv TEXT NOT NULL,"
    " data BLOB NOT NULL,"
    " PRIMARY KEY(form_id, grain, period, point_id, service, channel, dim, dv)"
    ") STRICT, WITHOUT ROWID;"
    "DELETE FROM ind_slots;"
    "DELETE FROM ind_state;",
    /* 9 (issue 18, deadlines that speak): staff notices (store_notice.c).
     * users.email: where an account hears of cases (NULL: nowhere);
     * users.notice_services: the service ids it hears of, ','-separated
     * (NULL: every service). notice_outbox: one row per notice and
     * recipient (an account's address, or the webhook), written before
     * anything is sent and marked sent after, so a restart sends what is
     * pending and the UNIQUE key makes each notice one row per recipient.
     * notice_state: the notifier's watermark (the last case id it has
     * announced; starts at the newest case so an upgrade announces no old
     * ones) and the last send outcome for the staff home page. */
    "ALTER TABLE users ADD COLUMN email TEXT;"
    "ALTER TABLE users ADD COLUMN notice_services TEXT;"
    "CREATE TABLE notice_outbox("
    " id INTEGER PRIMARY KEY,"
    " nkey TEXT NOT NULL,"               /* 'nuevo:<code>', 'vence:<code>', 'vencido:<code>', 'plan:<n>:<yyyy-mm>' */
    " kind TEXT NOT NULL,"
    " object TEXT NOT NULL,"             /* of the audit entries: 'caso:<code>', 'plan:<n>' */
    " channel TEXT NOT NULL CHECK(channel IN ('email','webhook')),"
    " recipient TEXT NOT NULL,"          /* the account's name; '' for the webhook */
    " address TEXT NOT NULL,"            /* the email address; '' for the webhook */
    " lang TEXT NOT NULL,"
    " service TEXT NOT NULL,"
    " due TEXT NOT NULL,"                /* YYYY-MM-DD, or '' */
    " extra TEXT NOT NULL,"              /* a plan action's responsible unit, or '' */
    " created_at INTEGER NOT NULL,"
    " next_ms INTEGER NOT NULL,"         /* not before this (unix ms): back-off, digest hour */
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " sent_at INTEGER,"
    " last_error TEXT,"
    " UNIQUE(nkey, channel, recipient)"
    ") STRICT;"
    "CREATE INDEX notice_outbox_pending ON notice_outbox(next_ms) WHERE sent_at IS NULL;"
    "CREATE TABLE notice_state("
    " k TEXT PRIMARY KEY,"
    " v TEXT NOT NULL"
    ") STRICT, WITHOUT ROWID;"
    "INSERT INTO notice_state(k, v) SELECT 'cases_seen', coalesce(max(id), 0) FROM cases;",
    /* 10 (issue 17, paper entry): the role captura (data-entry clerks,
     * model/auth.h) joins the roles users.role may hold. A CHECK cannot be
     * altered in SQLite, so users is rebuilt with the same columns and
     * rows (ids kept); defer_foreign_keys (reset at this migration's
     * commit) lets sessions and cases point at it again by then. */
    "PRAGMA defer_foreign_keys = ON;"
    "CREATE TABLE users_new("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE,"
    " role TEXT NOT NULL"
    "  CHECK(role IN ('admin','planificacion','atencion','lectura','captura')),"
    " pwhash TEXT NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0 CHECK(disabled IN (0, 1)),"
    " created_at INTEGER NOT NULL,"
    " last_login INTEGER,"
    " email TEXT,"             /* migration 9 */
    " notice_services TEXT"    /* migration 9 */
    ") STRICT;"
    "INSERT INTO users_new(id, name, role, pwhash, disabled, created_at, last_login, email, notice_services)"
    " SELECT id, name, role, pwhash, disabled, created_at, last_login, email, notice_services FROM users;"
    "DROP TABLE users;"
    "ALTER TABLE users_new RENAME TO users;",
    /* 11 (issue 17, double entry of paper): a sheet of a double-entry batch
     * is held here, not stored as a response and counted nowhere, until a
     * second clerk enters it the same (then it becomes one response, under
     * the first entry's submission id, and its rows go) or until the
     * differences are resolved. answers: the validated answers as
     * urlencoded pairs in form order; written: the paper's date. Once
     * stored, entry 2 goes and entry 1 stays as a marker (stored = 1,
     * answers emptied: no copy of a citizen's words outlives the
     * response's own erasure), so entering the sheet again is the
     * duplicate it is. */
    "CREATE TABLE held_entries("
    " id INTEGER PRIMARY KEY,"
    " batch TEXT NOT NULL,"
    " paper TEXT NOT NULL,"
    " sheet INTEGER NOT NULL,"
    " entry INTEGER NOT NULL CHECK(entry IN (1, 2)),"
    " form_id TEXT NOT NULL,"
    " submission_id TEXT NOT NULL,"
    " entered_by TEXT NOT NULL,"
    " entered_at INTEGER NOT NULL,"
    " written INTEGER NOT NULL,"
    " answers TEXT NOT NULL,"
    " stored INTEGER NOT NULL DEFAULT 0 CHECK(stored IN (0, 1)),"
    " UNIQUE(batch, paper, sheet, entry)"
    ") STRICT;",
    /* 12 (issue 17, interviews offline): the server's own random secret,
     * one row, from which model/seal.h derives the key that opens the
     * interviews a tablet kept sealed and the key of their tickets. In the
     * database so a restored backup still opens what was kept before it. */
    "CREATE TABLE server_secret("
    " id INTEGER PRIMARY KEY CHECK(id = 1),"
    " secret BLOB NOT NULL"
    ") STRICT;",
    /* 13 (session 23, notices in the account's language): the language
     * an account's notices are written in, es or ht (store_notice.c);
     * every existing account keeps Spanish, as before. */
    "ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'es' CHECK(lang IN ('es', 'ht'));",
    /* 14 (issue 17, interviews offline): a count each logout raises; the
     * tickets of interviews kept offline (model/seal.h) are bound to it,
     * so logging out of a shared tablet ends them as it ends the session
     * (the interviews kept wait until their interviewer logs in again). */
    "ALTER TABLE users ADD COLUMN ticket_gen INTEGER NOT NULL DEFAULT 0;",
};

enum { SCHEMA_VERSION = (int)(sizeof migrations / sizeof migrations[0]) };

/* Statements of the write connection. */
enum {
    W_BEGIN, W_COMMIT, W_ROLLBACK, W_SAVEPOINT, W_RELEASE, W_ROLLBACK_TO,
    W_FV_INSERT, W_FV_SELECT, W_RESPONSE, W_ANSWER, W_MEDIA, W_N
};
static const char *const write_sql[W_N] = {
    [W_BEGIN] = "BEGIN IMMEDIATE",
    [W_COMMIT] = "COMMIT",
    [W_ROLLBACK] = "ROLLBACK",
    [W_SAVEPOINT] = "SAVEPOINT submission",
    [W_RELEASE] = "RELEASE submission",
    [W_ROLLBACK_TO] = "ROLLBACK TO submission",
    /* DO NOTHING on conflict: an existing version is never changed. */
    [W_FV_INSERT] = "INSERT INTO form_versions"
                    "(form_id, version, hash, source, created_at)"
                    " VALUES(?1, ?2, ?3, ?4, ?5)"
                    " ON CONFLICT(form_id, hash) DO NOTHING",
    [W_FV_SELECT] = "SELECT id FROM form_versions"
                    " WHERE form_id = ?1 AND hash = ?2",
    [W_RESPONSE] = "INSERT INTO responses(submission_id, form_version_id,"
                   " form_id, point_id, lang, channel, submitted_hour,"
                   " duration_s) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [W_ANSWER] = "INSERT INTO answers(response_id, form_id, question, value)"
                 " VALUES(?1, ?2, ?3, ?4)",
    [W_MEDIA] = "INSERT INTO media(response_id, form_id, question, name, type, size, data)"
                " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
};

/* Statements of the read connection. */
enum { R_COUNT, R_FORM_COUNTS, R_ANSWERS, R_N };
static const char *const read_sql[R_N] = {
    [R_COUNT] = "SELECT count(*) FROM responses WHERE form_id = ?1",
    [R_FORM_COUNTS] = "SELECT form_id, count(*) FROM responses"
                      " GROUP BY form_id ORDER BY form_id",
    /* LEFT JOIN: a stored response without answers still yields one row
     * (with a NULL question), which tells it apart from "not stored". */
    [R_ANSWERS] = "SELECT a.question, a.value FROM responses r"
                  " LEFT JOIN answers a ON a.response_id = r.id"
                  " WHERE r.submission_id = ?1 ORDER BY a.question",
};

/* One submission waiting for, or taking part in, a group commit. A
 * synchronous store_submit() keeps it on its stack and waits for done; an
 * asynchronous one allocates it and the writer thread calls cb and frees
 * it. */
typedef struct pending {
    const store_response_t *r;
    int rc;
    bool done;
    void (*cb)(void *arg, store_rc_t rc);   /* NULL for a synchronous caller */
    void *arg;
    struct pending *next;
} pending_t;

/* Most submissions one transaction takes: bounds how long the write lock
 * is held and how much one failed COMMIT undoes. */
enum { BATCH_MAX = 512 };

/* WAL size (in pages) that wakes the checkpointer: SQLite's own default
 * for its automatic checkpoints. */
enum { CKPT_FRAMES = 1000 };

struct store {
    char *path;                   /* the database file, for thread-owned readers */
    pthread_mutex_t wmu;          /* guards w and ws */
    sqlite3 *w;
    sqlite3_stmt *ws[W_N];

    pthread_mutex_t qmu;          /* guards the fields up to wcv */
    pending_t *qhead, **qtail;    /* submissions the writer has not taken */
    bool committing;              /* the writer is running a batch */
    bool stopping;                /* store_close: drain, then exit */
    pthread_cond_t qcv;           /* signalled when a batch is done */
    pthread_cond_t wcv;           /* signalled when work is queued */
    pthread_t writer;             /* the one thread that commits batches */
    bool writer_running;

    /* Checkpoints run on their own connection and thread, so a commit
     * never waits for the WAL to be copied into the database (that wait
     * was the tail of the submission latency). The writer's WAL hook
     * wakes the checkpointer once the WAL holds CKPT_FRAMES frames. */
    pthread_mutex_t cmu;          /* guards the fields up to ckpt */
    pthread_cond_t ccv;
    bool ckpt_due, ckpt_stopping, ckpt_running;
    pthread_t ckpt;
    sqlite3 *c;

    pthread_mutex_t rmu;          /* guards r and rs */
    sqlite3 *r;
    sqlite3_stmt *rs[R_N];

    /* Whether the files written are still the ones at the path (issue
     * 14): checked after every commit and by store_lost. */
    store_watch_t watch;
    bool watching;
    /* store_data_version: PRAGMA data_version on a connection that never
     * writes changes whenever any other connection commits, this
     * process's writer or another process (the command line, sqlite3). */
    pthread_mutex_t vmu;          /* guards v and vs */
    sqlite3 *v;
    sqlite3_stmt *vs;
};

int store_schema_version(void)
{
    return SCHEMA_VERSION;
}


/* ---- small helpers ---------------------------------------------------- */

/* pthread calls that can only fail on misuse or exhaustion: like xmalloc,
 * give up loudly rather than run without the lock. */
static void check_pthread(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "store: %s failed (%d)\n", what, rc);
        abort();
    }
}

static void lock(pthread_mutex_t *m)
{
    check_pthread(pthread_mutex_lock(m), "pthread_mutex_lock");
}

static void unlock(pthread_mutex_t *m)
{
    check_pthread(pthread_mutex_unlock(m), "pthread_mutex_unlock");
}

static void log_db(sqlite3 *db, const char *what)
{
    fprintf(stderr, "store: %s: %s\n", what, sqlite3_errmsg(db));
}

/* Make a statement ready for reuse. sqlite3_errmsg() still describes a
 * failed step afterwards: reset hands the statement's error to the
 * connection. */
static void reset(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

/* Step a statement that returns no rows and reset it; returns the step's
 * (extended) result code. */
static int step_reset(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    reset(st);
    return rc;
}

/* Bind without copying: every statement runs to completion while the
 * caller's strings are alive. NULL binds SQL NULL. */
static bool bind_text(sqlite3_stmt *st, int i, const char *v)
{
    return sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC) == SQLITE_OK;
}

static bool bind_int(sqlite3_stmt *st, int i, int64_t v)
{
    return sqlite3_bind_int64(st, i, v) == SQLITE_OK;
}

/* Run a transaction-control statement of the write connection; logs. */
static bool wexec(store_t *s, int stmt)
{
    if (step_reset(s->ws[stmt]) == SQLITE_DONE) return true;
    log_db(s->w, write_sql[stmt]);
    return false;
}

/* Undo the open write transaction, if SQLite has not already done so. */
static void rollback(store_t *s)
{
    if (!sqlite3_get_autocommit(s->w)) (void)wexec(s, W_ROLLBACK);
}

/* COMMIT, or roll back when that fails. */
static bool commit(store_t *s)
{
    if (wexec(s, W_COMMIT)) return true;
    rollback(s);
    return false;
}

/* ---- opening and migrating -------------------------------------------- */

static bool db_fail(sqlite3 *db, const char *path, const char *what,
                    char *err, size_t errlen)
{
    snprintf(err, errlen, "%s: %s: %s", path, what,
             db ? sqlite3_errmsg(db) : "out of memory");
    return false;
}

static bool user_version(sqlite3 *db, int *v)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL)
        != SQLITE_OK)
        return false;
    bool ok = sqlite3_step(st) == SQLITE_ROW;
    if (ok) *v = sqlite3_column_int(st, 0);
    return sqlite3_finalize(st) == SQLITE_OK && ok;
}

static bool refuse_newer(int v, const char *path, char *err, size_t errlen)
{
    snprintf(err, errlen,
             "%s: database schema version %d is newer than this build of "
             "buzon supports (%d); refusing to open it, use a newer buzon",
             path, v, SCHEMA_VERSION);
    return false;
}

/* SQL buzon_fold(text): the text folded for searching (utf8_fold), NULL
 * for NULL; the inbox search compares folded text (store_cases.c). */
static void sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *t = (const char *)sqlite3_value_text(argv[0]);
    if (!t) return;   /* NULL */
    int n = sqlite3_value_bytes(argv[0]);
    char *f = sqlite3_malloc(n + 1);
    if (!f) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    memcpy(f, t, (size_t)n);
    sqlite3_result_text(ctx, f, (int)utf8_fold(f, (size_t)n), sqlite3_free);
}

/* Open one connection with the settings the store's three share. The
 * caller closes *db even on failure (sqlite3_open_v2 may hand back a
 * handle then). */
static bool open_conn(const char *path, int flags, sqlite3 **db,
                      char *err, size_t errlen)
{
    /* NOMUTEX: each connection is only used under its store mutex. */
    if (sqlite3_open_v2(path, db, flags | SQLITE_OPEN_NOMUTEX, NULL)
        != SQLITE_OK)
        return db_fail(*db, path, "open", err, errlen);
    if (sqlite3_extended_result_codes(*db, 1) != SQLITE_OK ||
        sqlite3_busy_timeout(*db, BUSY_TIMEOUT_MS) != SQLITE_OK ||
        sqlite3_create_function(*db, "buzon_fold", 1,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                sql_fold, NULL, NULL) != SQLITE_OK)
        return db_fail(*db, path, "configure", err, errlen);
    /* Erased contact details (Ley 172-13) must not stay in the file's
     * free space: overwrite what is deleted, whatever default the SQLite
     * library was built with (Debian's is on; upstream's is off). Writes
     * nothing, so it is safe before check_not_newer. */
    if (sqlite3_exec(*db, "PRAGMA secure_delete=ON", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(*db, path, "secure_delete", err, errlen);
    return true;
}

/* Refuse a database a newer buzon has migrated, before anything (even the
 * journal mode) is written to it. */
static bool check_not_newer(sqlite3 *db, const char *path,
                            char *err, size_t errlen)
{
    int v;
    if (!user_version(db, &v))
        return db_fail(db, path, "read schema version", err, errlen);
    return v <= SCHEMA_VERSION || refuse_newer(v, path, err, errlen);
}

static bool configure_writer(sqlite3 *db, const char *path,
                             char *err, size_t errlen)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &st, NULL)
        != SQLITE_OK)
        return db_fail(db, path, "journal_mode", err, errlen);
    /* The pragma answers with the mode in force, which stays the old one
     * when WAL is impossible (e.g. some network file systems). */
    bool wal = sqlite3_step(st) == SQLITE_ROW &&
               sqlite3_stricmp((const char *)sqlite3_column_text(st, 0),
                               "wal") == 0;
    if (sqlite3_finalize(st) != SQLITE_OK || !wal) {
        snprintf(err, errlen, "%s: cannot switch the database to WAL mode",
                 path);
        return false;
    }
    if (sqlite3_exec(db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON",
                     NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, path, "pragmas", err, errlen);
    return true;
}

/* Apply the missing migrations, each in its own transaction together with
 * its user_version bump, so a crash leaves the database at the last
 * version that completed. The version is re-read inside each transaction:
 * another process may be migrating the same file. */
static bool migrate(sqlite3 *db, const char *path, char *err, size_t errlen)
{
    for (;;) {
        int v;
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL)
            != SQLITE_OK)
            return db_fail(db, path, "begin migration", err, errlen);
        if (!user_version(db, &v)) {
            db_fail(db, path, "read schema version", err, errlen);
            break;
        }
        if (v > SCHEMA_VERSION) {
            refuse_newer(v, path, err, errlen);
            break;
        }
        if (v == SCHEMA_VERSION) {
            if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
                return true;
            db_fail(db, path, "commit", err, errlen);
            break;
        }
        char bump[48];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
        if (sqlite3_exec(db, migrations[v], NULL, NULL, NULL) != SQLITE_OK
            || sqlite3_exec(db, bump, NULL, NULL, NULL) != SQLITE_OK
            || sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            char what[48];
            snprintf(what, sizeof what, "migration to version %d", v + 1);
            db_fail(db, path, what, err, errlen);
            break;
        }
    }
    if (!sqlite3_get_autocommit(db))
        (void)sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return false;
}

static bool prepare_all(sqlite3 *db, const char *const *sql,
                        sqlite3_stmt **st, int n, const char *path,
                        char *err, size_t errlen)
{
    for (int i = 0; i < n; i++)
        if (sqlite3_prepare_v3(db, sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                               &st[i], NULL) != SQLITE_OK)
            return db_fail(db, path, sql[i], err, errlen);
    return true;
}

static void *writer_main(void *arg);

/* SQLite calls this on the writer's connection after each commit (it
 * replaces the automatic checkpoint, which would run inside the commit). */
static int wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
    (void)db; (void)name;
    store_t *s = arg;
    if (frames >= CKPT_FRAMES) {
        lock(&s->cmu);
        s->ckpt_due = true;
        check_pthread(pthread_cond_signal(&s->ccv), "pthread_cond_signal");
        unlock(&s->cmu);
    }
    return SQLITE_OK;
}

/* PASSIVE: copy what no reader still needs, never block the writer. The
 * writer restarts the WAL from the top once a checkpoint has completed. */
static void *ckpt_main(void *arg)
{
    store_t *s = arg;
    lock(&s->cmu);
    for (;;) {
        while (!s->ckpt_due && !s->ckpt_stopping)
            check_pthread(pthread_cond_wait(&s->ccv, &s->cmu), "pthread_cond_wait");
        if (s->ckpt_stopping) break;
        s->ckpt_due = false;
        unlock(&s->cmu);
        int rc = sqlite3_wal_checkpoint_v2(s->c, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY) log_db(s->c, "checkpoint");
        lock(&s->cmu);
    }
    unlock(&s->cmu);
    return NULL;
}

bool store_create_private(const char *path, char *err, size_t errlen)
{
    if (!strcmp(path, ":memory:") || !strncmp(path, "file:", 5)) return true;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        close(fd);
        return true;
    }
    if (errno == EEXIST) return true;
    if (errno == ENOENT)
        snprintf(err, errlen, "%s: its folder does not exist; create it first", path);
    else
        snprintf(err, errlen, "%s: cannot create the database: %s", path, strerror(errno));
    return false;
}

store_t *store_open(const char *path, char *err, size_t errlen)
{
    assert(path && err && errlen > 0);
    store_t *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    check_pthread(pthread_mutex_init(&s->wmu, NULL), "pthread_mutex_init");
    check_pthread(pthread_mutex_init(&s->qmu, NULL), "pthread_mutex_init");
    check_pthread(pthread_mutex_init(&s->rmu, NULL), "pthread_mutex_init");
    check_pthread(pthread_mutex_init(&s->vmu, NULL), "pthread_mutex_init");
    check_pthread(pthread_cond_init(&s->qcv, NULL), "pthread_cond_init");
    check_pthread(pthread_cond_init(&s->wcv, NULL), "pthread_cond_init");
    check_pthread(pthread_mutex_init(&s->cmu, NULL), "pthread_mutex_init");
    check_pthread(pthread_cond_init(&s->ccv, NULL), "pthread_cond_init");
    s->qtail = &s->qhead;

    /* The reader opens after the migrations, so its statements see the
     * final schema. */
    if (store_create_private(path, err, errlen)
        && open_conn(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &s->w,
                  err, errlen)
        && check_not_newer(s->w, path, err, errlen)
        && configure_writer(s->w, path, err, errlen)
        && migrate(s->w, path, err, errlen)
        && prepare_all(s->w, write_sql, s->ws, W_N, path, err, errlen)
        && open_conn(path, SQLITE_OPEN_READONLY, &s->r, err, errlen)
        && prepare_all(s->r, read_sql, s->rs, R_N, path, err, errlen)
        && open_conn(path, SQLITE_OPEN_READWRITE, &s->c, err, errlen)
        && (sqlite3_exec(s->c, "PRAGMA synchronous=FULL", NULL, NULL, NULL) == SQLITE_OK
            || db_fail(s->c, path, "pragmas", err, errlen))
        && open_conn(path, SQLITE_OPEN_READONLY, &s->v, err, errlen)
        && (sqlite3_prepare_v2(s->v, "PRAGMA data_version", -1, &s->vs, NULL) == SQLITE_OK
            || db_fail(s->v, path, "prepare", err, errlen))) {
        sqlite3_wal_hook(s->w, wal_hook, s);
        store_watch_init(&s->watch, s->w);
        s->watching = true;
        check_pthread(pthread_create(&s->ckpt, NULL, ckpt_main, s), "pthread_create");
        s->ckpt_running = true;
        check_pthread(pthread_create(&s->writer, NULL, writer_main, s), "pthread_create");
        s->writer_running = true;
        return s;
    }
    store_close(s);
    return NULL;
}

static void close_conn(sqlite3 *db, sqlite3_stmt **st, int n)
{
    for (int i = 0; i < n; i++) sqlite3_finalize(st[i]);
    if (sqlite3_close(db) != SQLITE_OK) log_db(db, "close");
}

void store_close(store_t *s)
{
    if (!s) return;
    if (s->writer_running) {
        /* The writer commits whatever is still queued before it exits, so
         * nothing acknowledged-to-be is dropped. */
        lock(&s->qmu);
        s->stopping = true;
        check_pthread(pthread_cond_signal(&s->wcv), "pthread_cond_signal");
        unlock(&s->qmu);
        check_pthread(pthread_join(s->writer, NULL), "pthread_join");
    }
    assert(!s->committing && !s->qhead);
    if (s->ckpt_running) {
        lock(&s->cmu);
        s->ckpt_stopping = true;
        check_pthread(pthread_cond_signal(&s->ccv), "pthread_cond_signal");
        unlock(&s->cmu);
        check_pthread(pthread_join(s->ckpt, NULL), "pthread_join");
    }
    if (s->c && sqlite3_close(s->c) != SQLITE_OK) log_db(s->c, "close");
    /* Reader first: the writer's close then checkpoints and removes the
     * WAL, which it can only do as the last connection. */
    close_conn(s->r, s->rs, R_N);
    close_conn(s->v, &s->vs, 1);
    close_conn(s->w, s->ws, W_N);
    if (s->watching) store_watch_free(&s->watch);
    check_pthread(pthread_mutex_destroy(&s->wmu), "pthread_mutex_destroy");
    check_pthread(pthread_mutex_destroy(&s->qmu), "pthread_mutex_destroy");
    check_pthread(pthread_mutex_destroy(&s->rmu), "pthread_mutex_destroy");
    check_pthread(pthread_mutex_destroy(&s->vmu), "pthread_mutex_destroy");
    check_pthread(pthread_cond_destroy(&s->qcv), "pthread_cond_destroy");
    check_pthread(pthread_cond_destroy(&s->wcv), "pthread_cond_destroy");
    check_pthread(pthread_mutex_destroy(&s->cmu), "pthread_mutex_destroy");
    check_pthread(pthread_cond_destroy(&s->ccv), "pthread_cond_destroy");
    free(s->path);
    free(s);
}

/* ---- the files under the store (store_watch.h) ------------------------- */

/* Called with wmu held, on the call that found the files gone or
 * replaced: say so once, and when only the -wal or -shm went, copy the
 * WAL (still open here, though no longer reachable by name) into the
 * database file, which is still the one at the path. That saves every
 * answer acknowledged before: they were in the WAL, and a kill -9 or a
 * restart would have dropped them with it. A FULL checkpoint waits for
 * readers on older snapshots (busy timeout); the checkpointer thread may
 * hold the checkpoint lock for a moment, hence the few tries. */
static void watch_report(store_t *s, const char *why)
{
    const char *db = s->watch.path[WATCH_DB];
    fprintf(stderr, "store: %s: %s while buzon was serving. From now on no answer is acknowledged "
                    "(submissions get 503) and /healthz fails. Stop buzon, find out what removed the "
                    "file, and if answers are missing restore the latest backup (buzon restore).\n",
            db, why);
    if (!store_watch_main_intact(&s->watch)) return;
    int rc = SQLITE_BUSY, log = -1, done = -1;
    /* Each try may wait the busy timeout for a reader on an older
     * snapshot (an export): a few tries bound this one-time stall of the
     * thread that noticed the loss to about 15 s. */
    for (int i = 0; i < 3 && rc == SQLITE_BUSY; i++) {
        rc = sqlite3_wal_checkpoint_v2(s->w, NULL, SQLITE_CHECKPOINT_FULL, &log, &done);
        if (rc == SQLITE_BUSY) nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
    }
    if (rc == SQLITE_OK && log == done)
        fprintf(stderr, "store: %s: every answer acknowledged until now was copied from the lost -wal "
                        "into the database file (%d pages), which is intact: restart buzon.\n", db, done);
    else
        fprintf(stderr, "store: %s: the lost -wal could not be copied into the database file "
                        "(%s, %d of %d pages): answers acknowledged since the last checkpoint may be "
                        "missing after a restart.\n", db, sqlite3_errstr(rc), done, log);
}

/* Check the files now, with wmu held; the reason they are lost, or NULL. */
static const char *watch_locked(store_t *s)
{
    bool newly;
    const char *why = store_watch_check(&s->watch, &newly);
    if (newly) watch_report(s, why);
    return why;
}

const char *store_lost(store_t *s)
{
    assert(s);
    /* Quick answer once known; otherwise the stat calls happen without
     * the write lock, which is taken only to report and rescue. */
    const char *why = store_watch_lost(&s->watch);
    if (why) return why;
    bool newly;
    why = store_watch_check(&s->watch, &newly);
    if (newly) {
        lock(&s->wmu);
        watch_report(s, why);
        unlock(&s->wmu);
    }
    return why;
}

int64_t store_data_version(store_t *s)
{
    /* On an error, a value never seen before: callers then assume a
     * change, which is only slower. */
    static atomic_llong unseen = -1;
    int64_t v;
    lock(&s->vmu);
    if (sqlite3_step(s->vs) == SQLITE_ROW) v = sqlite3_column_int64(s->vs, 0);
    else v = atomic_fetch_sub(&unseen, 1);
    sqlite3_reset(s->vs);
    unlock(&s->vmu);
    return v;
}

/* ---- writes ----------------------------------------------------------- */

store_rc_t store_form_version(store_t *s, const char *form_id, const char *version,
                       const char *hash, const char *source, int64_t *id)
{
    assert(s && form_id && version && hash && source && id);
    sqlite3_stmt *ins = s->ws[W_FV_INSERT], *sel = s->ws[W_FV_SELECT];
    lock(&s->wmu);
    bool ok = wexec(s, W_BEGIN);
    if (ok) {
        ok = bind_text(ins, 1, form_id) && bind_text(ins, 2, version)
          && bind_text(ins, 3, hash) && bind_text(ins, 4, source)
          && bind_int(ins, 5, (int64_t)time(NULL))
          && step_reset(ins) == SQLITE_DONE
          && bind_text(sel, 1, form_id) && bind_text(sel, 2, hash)
          && sqlite3_step(sel) == SQLITE_ROW;
        if (ok) *id = sqlite3_column_int64(sel, 0);
        else log_db(s->w, "form version");
        reset(ins);
        reset(sel);
        if (ok) ok = commit(s);
        else rollback(s);
    }
    unlock(&s->wmu);
    return ok ? STORE_OK : STORE_ERR;
}

/* Internal outcome of one submission inside a batch: the savepoint could
 * not be undone, so the whole transaction must go. */
enum { SUBMIT_ABORT = -2 };

static bool insert_response(store_t *s, const store_response_t *r, int *rc)
{
    sqlite3_stmt *st = s->ws[W_RESPONSE];
    bool bound = bind_text(st, 1, r->submission_id)
              && bind_int(st, 2, r->form_version_id)
              && bind_text(st, 3, r->form_id) && bind_text(st, 4, r->point_id)
              && bind_text(st, 5, r->lang) && bind_text(st, 6, r->channel)
              && bind_int(st, 7, r->submitted_hour)
              && (r->duration_s < 0 ? sqlite3_bind_null(st, 8) == SQLITE_OK
                                    : bind_int(st, 8, r->duration_s));
    int step = bound ? sqlite3_step(st) : SQLITE_ERROR;
    reset(st);
    if (step == SQLITE_DONE) return true;
    /* submission_id is the only UNIQUE column of responses (id is
     * assigned by SQLite), so this code means "already stored". A later
     * migration adding another UNIQUE column must tell them apart here. */
    if (step == SQLITE_CONSTRAINT_UNIQUE) {
        *rc = STORE_DUP;
    } else {
        log_db(s->w, "insert response");
        *rc = STORE_ERR;
    }
    return false;
}

static bool insert_answers(store_t *s, const store_response_t *r,
                           int64_t response_id)
{
    sqlite3_stmt *st = s->ws[W_ANSWER];
    for (size_t i = 0; i < r->nanswers; i++) {
        const store_answer_t *a = &r->answers[i];
        assert(a->question && a->value);
        bool ok = bind_int(st, 1, response_id) && bind_text(st, 2, r->form_id)
               && bind_text(st, 3, a->question) && bind_text(st, 4, a->value)
               && sqlite3_step(st) == SQLITE_DONE;
        reset(st);
        if (!ok) {
            fprintf(stderr, "store: answer %s of %s: %s\n", a->question,
                    r->submission_id, sqlite3_errmsg(s->w));
            return false;
        }
    }
    return true;
}

/* issue 16: the response's files, in its savepoint. */
static bool insert_media(store_t *s, const store_response_t *r, int64_t response_id)
{
    sqlite3_stmt *st = s->ws[W_MEDIA];
    for (size_t i = 0; i < r->nmedia; i++) {
        const store_media_t *m = &r->media[i];
        bool ok = m->len <= INT_MAX && bind_int(st, 1, response_id) && bind_text(st, 2, r->form_id)
               && bind_text(st, 3, m->question) && bind_text(st, 4, m->name)
               && bind_text(st, 5, m->type) && bind_int(st, 6, (int64_t)m->len)
               && sqlite3_bind_blob(st, 7, m->len ? m->data : "", (int)m->len, SQLITE_STATIC) == SQLITE_OK
               && sqlite3_step(st) == SQLITE_DONE;
        reset(st);
        if (!ok) {
            fprintf(stderr, "store: media %s of %s: %s\n", m->question, r->submission_id, sqlite3_errmsg(s->w));
            return false;
        }
    }
    return true;
}

/* issues 17, 18: who entered r (a paper answer, an interview, a register
 * entry, stored as response id), in the audit log only: the response
 * itself says nothing of who typed it. In r's savepoint (both or neither
 * are stored), at the time of writing, as every audit entry. */
static bool audit_entered(store_t *s, const store_response_t *r, int64_t id)
{
    char object[160];
    int64_t now = (int64_t)time(NULL);
    if (!strcmp(r->channel, "registro")) {
        snprintf(object, sizeof object, "registro:%s:%lld", r->form_id, (long long)id);
        return store_audit_add(s->w, now, r->entered_by, "registro_anotado", object, NULL) == STORE_OK;
    }
    snprintf(object, sizeof object, "respuesta:%s", r->submission_id);
    return store_audit_add(s->w, now, r->entered_by, "respuesta_ingresada", object, r->channel) == STORE_OK;
}

/* Write one submission inside the batch's transaction, under its own
 * savepoint. Returns STORE_OK, STORE_DUP, STORE_ERR (this submission
 * undone) or SUBMIT_ABORT. */
static int submit_one(store_t *s, const store_response_t *r)
{
    if (!wexec(s, W_SAVEPOINT)) return SUBMIT_ABORT;
    int rc = STORE_OK;
    if (insert_response(s, r, &rc)) {
        int64_t id = sqlite3_last_insert_rowid(s->w);
        /* A case (cases.h) shares the response's savepoint: both or
         * neither are stored. */
        if (!insert_answers(s, r, id) || !insert_media(s, r, id) ||
            (r->open_case && store_cases_insert(s->w, id, r) != STORE_OK) ||
            (r->entered_by && !audit_entered(s, r, id)))
            rc = STORE_ERR;
    }
    /* An I/O error or the like may have ended the whole transaction. */
    if (sqlite3_get_autocommit(s->w)) return SUBMIT_ABORT;
    if (rc != STORE_OK && !wexec(s, W_ROLLBACK_TO)) return SUBMIT_ABORT;
    /* A duplicate answers with the case its first copy opened. */
    if (rc == STORE_DUP && r->open_case && store_cases_code_of(s->w, r) != STORE_OK)
        rc = STORE_ERR;
    return wexec(s, W_RELEASE) ? rc : SUBMIT_ABORT;
}

/* Write a batch of submissions in one transaction and set each one's rc.
 * Called with wmu held. */
static void commit_batch(store_t *s, pending_t *batch)
{
    /* Once the files are no longer the ones at the path, nothing is
     * written, and a commit is acknowledged only if they still are once
     * it is durable: a COMMIT into a deleted file succeeds and is lost at
     * the next start. */
    bool ok = !store_watch_lost(&s->watch) && wexec(s, W_BEGIN);
    for (pending_t *p = batch; ok && p; p = p->next) {
        p->rc = submit_one(s, p->r);
        ok = p->rc != SUBMIT_ABORT;
    }
    if (ok && commit(s) && !watch_locked(s)) return;
    rollback(s);
    /* Nothing of the batch was written: every member failed, including
     * a "duplicate" of a submission earlier in this same batch. */
    for (pending_t *p = batch; p; p = p->next) p->rc = STORE_ERR;
}

/* The writer thread: take up to BATCH_MAX queued submissions, commit them
 * in one transaction, tell each submitter, repeat. While it commits, new
 * submissions queue up for the next batch, so under load batches grow on
 * their own and one fsync serves many answers. */
static void *writer_main(void *arg)
{
    store_t *s = arg;
    lock(&s->qmu);
    for (;;) {
        while (!s->qhead && !s->stopping)
            check_pthread(pthread_cond_wait(&s->wcv, &s->qmu), "pthread_cond_wait");
        if (!s->qhead) break;                /* stopping, and drained */
        pending_t *batch = s->qhead, **cut = &s->qhead;
        for (int n = 0; *cut && n < BATCH_MAX; n++) cut = &(*cut)->next;
        s->qhead = *cut;
        *cut = NULL;
        if (!s->qhead) s->qtail = &s->qhead;
        s->committing = true;
        unlock(&s->qmu);

        lock(&s->wmu);
        commit_batch(s, batch);
        unlock(&s->wmu);

        /* Asynchronous submitters are told now and their entries freed;
         * synchronous ones are collected and woken under qmu (their
         * entries live on their stacks until they see done). */
        pending_t *sync = NULL, *next;
        for (pending_t *p = batch; p; p = next) {
            next = p->next;
            if (p->cb) {
                p->cb(p->arg, (store_rc_t)p->rc);
                free(p);
            } else {
                p->next = sync;
                sync = p;
            }
        }
        lock(&s->qmu);
        for (pending_t *p = sync; p; p = p->next) p->done = true;
        s->committing = false;
        check_pthread(pthread_cond_broadcast(&s->qcv), "pthread_cond_broadcast");
    }
    unlock(&s->qmu);
    return NULL;
}

static void enqueue(store_t *s, pending_t *p)
{
    lock(&s->qmu);
    *s->qtail = p;
    s->qtail = &p->next;
    check_pthread(pthread_cond_signal(&s->wcv), "pthread_cond_signal");
}

static void check_response(const store_response_t *r)
{
    assert(r && r->submission_id && r->form_id && r->lang &&
           r->channel && (r->answers || r->nanswers == 0));
    (void)r;
}

store_rc_t store_submit(store_t *s, const store_response_t *r)
{
    assert(s);
    check_response(r);
    pending_t me = { .r = r, .rc = STORE_ERR };
    enqueue(s, &me);                     /* returns holding qmu */
    while (!me.done)
        check_pthread(pthread_cond_wait(&s->qcv, &s->qmu), "pthread_cond_wait");
    unlock(&s->qmu);
    return (store_rc_t)me.rc;
}

void store_submit_async(store_t *s, const store_response_t *r,
                        void (*done)(void *arg, store_rc_t rc), void *arg)
{
    assert(s && done);
    check_response(r);
    pending_t *p = xcalloc(1, sizeof *p);
    p->r = r;
    p->rc = STORE_ERR;
    p->cb = done;
    p->arg = arg;
    enqueue(s, p);
    unlock(&s->qmu);
}

/* ---- reads ------------------------------------------------------------ */

store_rc_t store_submission_seen(store_t *s, const char *sid, char code[16])
{
    assert(s && sid && code);
    code[0] = '\0';
    lock(&s->rmu);
    sqlite3_stmt *st = store_stmt(s->r, "SELECT coalesce((SELECT c.code FROM cases c WHERE c.response_id = r.id), '')"
                                        " FROM responses r WHERE r.submission_id = ?1", "t", sid);
    int step = st ? sqlite3_step(st) : SQLITE_ERROR;
    store_rc_t rc = step == SQLITE_ROW ? STORE_OK : step == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERR;
    if (step == SQLITE_ROW) snprintf(code, 16, "%s", (const char *)sqlite3_column_text(st, 0));
    if (rc == STORE_ERR) log_db(s->r, "submission seen");
    sqlite3_finalize(st);
    unlock(&s->rmu);
    return rc;
}

int64_t store_count_responses(store_t *s, const char *form_id)
{
    assert(s && form_id);
    int64_t n = -1;
    lock(&s->rmu);
    sqlite3_stmt *st = s->rs[R_COUNT];
    if (bind_text(st, 1, form_id) && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    else
        log_db(s->r, "count responses");
    reset(st);
    unlock(&s->rmu);
    return n;
}

/* Finish a row loop over a read statement: SQLITE_DONE means it ran to the
 * end. Resets the statement. */
static int end_rows(store_t *s, sqlite3_stmt *st, int step, const char *what)
{
    int rc = STORE_OK;
    if (step != SQLITE_DONE) {
        log_db(s->r, what);
        rc = STORE_ERR;
    }
    reset(st);
    return rc;
}

store_rc_t store_form_counts(store_t *s,
                             void (*cb)(void *arg, const char *form_id, int64_t n),
                             void *arg)
{
    assert(s && cb);
    lock(&s->rmu);
    sqlite3_stmt *st = s->rs[R_FORM_COUNTS];
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        cb(arg, (const char *)sqlite3_column_text(st, 0),
           sqlite3_column_int64(st, 1));
    int rc = end_rows(s, st, step, "form counts");
    unlock(&s->rmu);
    return rc;
}

store_rc_t store_get_response_answers(store_t *s, const char *submission_id,
                                      void (*cb)(void *arg, const char *q,
                                                 const char *v),
                                      void *arg)
{
    assert(s && submission_id && cb);
    lock(&s->rmu);
    sqlite3_stmt *st = s->rs[R_ANSWERS];
    bool found = false;
    int step = SQLITE_ERROR;
    if (bind_text(st, 1, submission_id)) {
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            found = true;
            const char *q = (const char *)sqlite3_column_text(st, 0);
            if (q) cb(arg, q, (const char *)sqlite3_column_text(st, 1));
        }
    }
    int rc = end_rows(s, st, step, "response answers");
    unlock(&s->rmu);
    return rc == STORE_OK && !found ? STORE_NOTFOUND : rc;
}

/* ---- extension points for other store_*.c modules (store_int.h) -------- */

int store_write_txn(store_t *s, int (*fn)(sqlite3 *db, void *arg), void *arg)
{
    assert(s && fn);
    lock(&s->wmu);
    int rc = STORE_ERR;
    if (!store_watch_lost(&s->watch) && wexec(s, W_BEGIN)) {
        rc = fn(s->w, arg);
        if (rc == STORE_ERR) rollback(s);
        else if (!commit(s) || watch_locked(s)) rc = STORE_ERR;
    }
    unlock(&s->wmu);
    return rc;
}

/* A thread that runs long reads (a report or download worker) owns a
 * read connection of its own, so that an export holding a snapshot for
 * seconds never makes the page threads' short reads (a thank-you page, a
 * tracking page, a login) queue behind the shared reader's lock. */
typedef struct own_reader {
    const store_t *s;
    sqlite3 *db;
} own_reader_t;
static _Thread_local own_reader_t own_reader;

store_rc_t store_reader_own(store_t *s)
{
    assert(s);
    if (own_reader.db && own_reader.s == s) return STORE_OK;
    store_reader_release();
    char err[256];
    sqlite3 *db = NULL;
    if (!open_conn(s->path, SQLITE_OPEN_READONLY, &db, err, sizeof err)) {
        fprintf(stderr, "store: %s\n", err);
        sqlite3_close(db);
        return STORE_ERR;
    }
    own_reader = (own_reader_t){ .s = s, .db = db };
    return STORE_OK;
}

void store_reader_release(void)
{
    if (own_reader.db && sqlite3_close(own_reader.db) != SQLITE_OK) log_db(own_reader.db, "close");
    own_reader = (own_reader_t){ 0 };
}

int store_read(store_t *s, int (*fn)(sqlite3 *db, void *arg), void *arg)
{
    assert(s && fn);
    if (own_reader.db && own_reader.s == s) return fn(own_reader.db, arg);
    lock(&s->rmu);
    int rc = fn(s->r, arg);
    unlock(&s->rmu);
    return rc;
}

sqlite3 *store_open_reader(store_t *s)
{
    assert(s);
    /* The path as the shared reader resolved it (absolute); opened only
     * while the files are still the ones the store opened, so the new
     * connection reads the same database. */
    const char *path = sqlite3_db_filename(s->r, "main");
    char err[256];
    sqlite3 *db = NULL;
    if (store_lost(s) || !path || !*path) {
        fprintf(stderr, "store: a second reader: the database is gone\n");
        return NULL;
    }
    if (!open_conn(path, SQLITE_OPEN_READONLY, &db, err, sizeof err)) {
        fprintf(stderr, "store: a second reader: %s\n", err);
        sqlite3_close(db);
        return NULL;
    }
    return db;
}
