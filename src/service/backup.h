/*
 * backup.h: what `buzon backup` and `buzon restore` do, once their
 * arguments are parsed (cli/cli_backup.c, which prints every message).
 * Calls store/store_backup.h (every SQL statement) and store/store.h
 * (creating a private database file).
 *
 * Backup writes a temporary file beside the target and renames it over
 * the target only once the copy is verified, so a backup file is either
 * the previous complete one or the new verified one. Restore refuses to
 * replace an existing database without force, and with it keeps a copy of
 * what it replaces. Neither prints: each
 * returns a backup_rc_t and fills a backup_result_t with what the command
 * needs to say.
 */
#ifndef BUZON_SERVICE_BACKUP_H
#define BUZON_SERVICE_BACKUP_H

#include <stdbool.h>

#include "base/buf.h"
#include "store/store.h"

/* The outcome of backup_run and restore_run; the fields of
 * backup_result_t each names are set. */
typedef enum backup_rc {
    BACKUP_OK = 0,        /* counts; for a backup also size and flush_failed */
    BACKUP_FAILED,        /* err: the store's lines ("path: why") */
    BACKUP_NO_DB,         /* backup: no database at db (errnum) */
    BACKUP_SAME_FILE,     /* the file named is the database itself */
    BACKUP_NO_TMP,        /* backup: the temporary file tmp could not be created (errnum) */
    BACKUP_NO_RENAME,     /* backup: tmp could not be renamed to the file (errnum) */
    BACKUP_NOT_SOUND,     /* restore: the file is not a sound buzon backup (err says why) */
    BACKUP_EXISTS,        /* restore: the database exists and force was not given */
    BACKUP_BUSY,          /* restore: another process has the database open
                             (err: one line, "<db> is in use (<why>)") */
    BACKUP_NO_DIR,        /* backup: the folder of the file (dir) does not exist */
    BACKUP_NO_KEEP,       /* restore with force: no copy of the database it would
                             replace could be made (kept, errnum; nothing changed) */
} backup_rc_t;

/* What a backup or restore has to say; free with backup_result_free. */
typedef struct backup_result {
    store_counts_t counts;   /* what the verified copy holds (BACKUP_OK) */
    buf_t   err;             /* lines "path: why\n" (BACKUP_FAILED, _NOT_SOUND, _BUSY) */
    char   *tmp;             /* the temporary file (BACKUP_NO_TMP, BACKUP_NO_RENAME) */
    int     errnum;          /* errno of BACKUP_NO_DB, _NO_TMP, _NO_RENAME, flush_failed */
    bool    flush_failed;    /* BACKUP_OK of a backup: the file's folder could not
                                be flushed (a warning; errno in errnum) */
    long long size;          /* BACKUP_OK of a backup: bytes written, -1 unknown */
    char   *dir;             /* BACKUP_NO_DIR: the missing folder */
    char   *kept;            /* BACKUP_OK of a restore that replaced a database: the
                                copy of what it replaced, <db>.before-restore-<date>;
                                BACKUP_NO_KEEP: the copy that could not be made */
} backup_result_t;

/* Back the database at db up into file. Fills *r (caller frees with
 * backup_result_free, whatever the code): BACKUP_OK, BACKUP_NO_DB,
 * BACKUP_SAME_FILE, BACKUP_NO_DIR, BACKUP_NO_TMP, BACKUP_FAILED or
 * BACKUP_NO_RENAME. */
backup_rc_t backup_run(const char *db, const char *file, backup_result_t *r);

/* Restore the backup file into the database at db (replacing an existing
 * one only when force, after keeping a copy of it beside it as
 * <db>.before-restore-<Dominican date and time>, named in r->kept: a
 * verified copy, or the file's bytes when it is too damaged for one).
 * Fills *r as backup_run: BACKUP_OK, BACKUP_SAME_FILE, BACKUP_FAILED,
 * BACKUP_NOT_SOUND, BACKUP_EXISTS, BACKUP_NO_KEEP or BACKUP_BUSY. Nothing
 * is changed unless BACKUP_OK (the copy is removed again). */
backup_rc_t restore_run(const char *file, const char *db, bool force, backup_result_t *r);

void backup_result_free(backup_result_t *r);

#endif
