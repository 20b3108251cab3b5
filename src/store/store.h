/*
 * store.h: everything buzon keeps, in one SQLite database.
 *
 * WAL mode, synchronous=FULL, a busy timeout, STRICT tables, schema
 * versioned with PRAGMA user_version (migrations run in order at open, each
 * in its own transaction). Writes use BEGIN IMMEDIATE and prepared
 * statements that live as long as the handle.
 *
 * A store_t is safe to share between threads: writes are serialised by an
 * internal mutex, reads go through their own connection and mutex.
 *
 * Every store function that answers with a result code returns a
 * store_rc_t (below), and its comment lists exactly the codes it can
 * return.
 */
#ifndef BUZON_STORE_H
#define BUZON_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The store's one result-code type; every value is distinct. */
typedef enum store_rc {
    STORE_OK = 0,
    STORE_ERR = -1,       /* a message was logged to stderr; nothing was written */
    STORE_DUP = 1,        /* the key (submission id, user name) is taken; nothing new written */
    STORE_NOTFOUND = 2,   /* the thing looked up or to change does not exist */
    STORE_CLOSED = 3,     /* the case is closed: the change would do more than
                             add a note or erase the contact (nothing written) */
    STORE_NO_USER = 4,    /* the user to assign is not an enabled member of
                             staff (nothing written) */
    STORE_INVALID = 5,    /* the file is not a sound buzon database
                             (store_backup.h; the reasons are in err) */
    STORE_BUSY = 6,       /* another process holds the database open
                             (store_backup.h; nothing written) */
    STORE_EMPTY = 7,      /* the change changes nothing: blank texts only
                             (model/cases.h, case_change_normalize; nothing written) */
    STORE_LAST_ADMIN = 8, /* the change would leave no enabled admin account
                             (store_staff.h; nothing written) */
    STORE_NEEDS_REASON = 9, /* closing a case that has no public answer needs a reason,
                             and "out of competence" a public answer saying where to
                             go (model/cases.h, case_change_check; nothing written) */
} store_rc_t;

/* A count of rows under a name (a table, a form id). */
typedef struct store_count {
    char   *name;
    int64_t n;
} store_count_t;

/* What a database holds, as `buzon backup` and `buzon restore` report it
 * (store_backup.h fills it; store_counts_free frees the arrays). */
typedef struct store_counts {
    int64_t        schema_version;   /* PRAGMA user_version */
    store_count_t *tables;           /* rows of every table, by table name */
    size_t         ntables;
    store_count_t *forms;            /* responses of each form, by form id */
    size_t         nforms;
} store_counts_t;

typedef struct store store_t;

/* Open (creating if needed) and migrate. Returns NULL with a message in err. */
store_t *store_open(const char *path, char *err, size_t errlen);
/* Create the database file at path, readable by its owner only (it holds
 * complainants' names and phones, and password hashes; SQLite gives its
 * -wal and -shm files the same mode), unless it exists. Returns false
 * with a message in err, naming a missing folder as such. */
bool store_create_private(const char *path, char *err, size_t errlen);
void store_close(store_t *s);
/* Whether the existing database file at path looks sound (issue 14):
 * SQLite's quick_check, which reads every page (about 2 s per GB when the
 * file is in the page cache, more from disk). STORE_OK; STORE_INVALID
 * when pages are damaged or the file is not a database (what is wrong in
 * err); STORE_ERR when it cannot be checked (no such file, no permission,
 * locked; err says). Writes nothing; creates nothing. */
store_rc_t store_check_file(const char *path, char *err, size_t errlen);
/* The schema version this build migrates to. */
int store_schema_version(void);
/* A number that changes after every commit to the database (answers,
 * cases, staff, aggregates...), by this store or by another process:
 * equal values mean nothing was written in between (SQLite's PRAGMA
 * data_version on a connection of its own, a read of the WAL index,
 * microseconds). Any thread. */
int64_t store_data_version(store_t *s);

/* Record a form definition; returns STORE_OK with *id set to the row of
 * (form_id, hash), inserting it if new, or STORE_ERR. version is the
 * author's version string; source is the CSV text kept for reference. Old
 * versions are never changed or removed. */
store_rc_t store_form_version(store_t *s, const char *form_id, const char *version,
                       const char *hash, const char *source, int64_t *id);

typedef struct store_answer {
    const char *question;   /* question name */
    const char *value;      /* as submitted, already validated */
} store_answer_t;

/* issue 16, media: a file sent with a response (an image question's
 * photo, already re-encoded: model/media.h), written in the response's
 * transaction: both or neither are stored. */
typedef struct store_media {
    const char *question;   /* question name */
    const char *name;       /* unique file name: the answer's value */
    const char *type;       /* Content-Type, from the bytes ("image/jpeg") */
    const void *data;
    size_t      len;
} store_media_t;

typedef struct store_response {
    const char *submission_id;   /* UUID text; UNIQUE in the database */
    int64_t     form_version_id; /* from store_form_version */
    const char *form_id;
    const char *point_id;        /* NULL when answered without a point */
    const char *lang;            /* "es" / "ht" */
    const char *channel;         /* "web", "paper", ... */
    int64_t     submitted_hour;  /* unix time truncated to the hour */
    int         duration_s;      /* seconds from render to submit, -1 unknown */
    const store_answer_t *answers;
    size_t      nanswers;
    /* A complaint or suggestion to open as a case with this response
     * (model/cases.h), or NULL. Written in the same transaction; its code is set
     * on STORE_OK, and on STORE_DUP to the first copy's case. */
    struct case_new *open_case;
    const store_media_t *media;  /* issue 16: files, or NULL */
    size_t      nmedia;
    /* issues 17, 18: the member of staff who entered it (a paper answer,
     * an interview, a register entry; "sistema" for a backup), or NULL.
     * Never a column of the response: an audit entry by that actor,
     * written in the response's savepoint, only when it is new: for a
     * register (channel "registro") "registro_anotado", object
     * "registro:<form id>:<response id>"; else "respuesta_ingresada",
     * object "respuesta:<submission id>", detail the channel. */
    const char *entered_by;
} store_response_t;

/* Store a response and its answers in one transaction. Concurrent calls
 * may share one COMMIT (group commit); each call's outcome is its own:
 * STORE_OK, STORE_DUP (the submission id was already stored; nothing new
 * was written) or STORE_ERR. */
store_rc_t store_submit(store_t *s, const store_response_t *r);

/* Like store_submit, but returns at once: done(arg, rc) is called later
 * (rc as store_submit's), from the store's writer thread, once the
 * transaction holding r is durable (or has failed). r and all it points to must stay valid until
 * done is called. done must be quick and must not call into the store.
 * This lets a server answer each request only once its answer is on disk
 * without holding a thread per request meanwhile. */
void store_submit_async(store_t *s, const store_response_t *r,
                        void (*done)(void *arg, store_rc_t rc), void *arg);


/* Whether submission sid is already stored: STORE_OK, with the tracking
 * code of the case it opened in code (or "" when it opened none; code has
 * room for the code and its NUL: 16 bytes), STORE_NOTFOUND, or STORE_ERR. */
store_rc_t store_submission_seen(store_t *s, const char *sid, char code[16]);
/* Whether the database files are still the ones at the path given to
 * store_open: NULL while they are, else why not (a static string, e.g.
 * "its -wal file was deleted"). Looks at the files now (a few stat
 * calls; cheap enough for every health check). The first call, or
 * commit, that finds them gone or replaced logs why to stderr once; from
 * then on every write fails with STORE_ERR (a submission is never
 * acknowledged into a file nobody will open again), and when only the
 * -wal or -shm went, the WAL is first copied into the database file so
 * that what was acknowledged before is kept. Thread-safe. */
const char *store_lost(store_t *s);

/* Give the calling thread a read connection of its own to s: from now on
 * the store's long reads on this thread (reports, exports) use it instead
 * of the shared reader, so they never hold up other threads' reads.
 * STORE_OK or STORE_ERR (logged; reads then share the reader as before).
 * The thread calls store_reader_release before it ends, and before s is
 * closed. Calling it again for the same s does nothing. */
store_rc_t store_reader_own(store_t *s);
/* Close the calling thread's own read connection, if any. */
void store_reader_release(void);

/* Number of responses stored for form_id (any version), or -1 on error. */
int64_t store_count_responses(store_t *s, const char *form_id);

/* The callbacks below run while the store's read lock is held: they must
 * not call back into the store's read functions. Their string arguments are
 * valid only during the call. */

/* Call cb once per form_id that has responses, in form_id order, with its
 * number of responses (any version). STORE_OK, or STORE_ERR. */
store_rc_t store_form_counts(store_t *s,
                             void (*cb)(void *arg, const char *form_id, int64_t n),
                             void *arg);

/* Call cb for each answer of the response with this submission id, in
 * question-name order. STORE_OK (also for a response without answers),
 * STORE_NOTFOUND when no such response is stored, or STORE_ERR. */
store_rc_t store_get_response_answers(store_t *s, const char *submission_id,
                                      void (*cb)(void *arg, const char *q,
                                                 const char *v),
                                      void *arg);

#endif
