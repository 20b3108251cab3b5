/*
 * store_backup.h: copying a whole database file, for `buzon backup` and
 * `buzon restore` (store_backup.c; the steps around these, temporary file
 * and rename, are service/backup.c's, and every message is printed by
 * cli/cli_backup.c). Nothing here prints: a function that finds something
 * wrong appends one line per problem to err ("path: why\n", without the
 * command's name), for its caller to print, and the counts of a verified
 * copy come back in a store_counts_t (store/store.h).
 */
#ifndef BUZON_STORE_BACKUP_H
#define BUZON_STORE_BACKUP_H

#include "base/buf.h"
#include "store/store.h"

/* Copy the live database at db (which may be serving) into tmp, an
 * existing empty file: one consistent snapshot, staff sessions left out,
 * made a self-contained rollback-journal file, flushed to disk, then
 * checked through a fresh connection (PRAGMA integrity_check, and the
 * counts into *counts). STORE_OK, or STORE_ERR with lines in err. Free
 * *counts with store_counts_free in either case. */
store_rc_t store_backup_copy(const char *db, const char *tmp, store_counts_t *counts, buf_t *err);

/* Check that file is a sound buzon database this build can read (the
 * responses table, a known schema version, PRAGMA integrity_check ok):
 * buzon's one integrity check. STORE_OK; STORE_INVALID when it is not,
 * with lines in err saying why; STORE_ERR when it cannot be opened (a
 * line in err). */
store_rc_t store_file_check(const char *file, buf_t *err);

/* Copy the backup file into the database at db (created if missing),
 * holding db exclusively, end every staff session the backup held, verify,
 * and count into *counts. STORE_OK; STORE_BUSY while anyone has db open
 * (one line in err: "<db> is in use (<why>)"); STORE_ERR with lines in
 * err. Free *counts with store_counts_free in either case. */
store_rc_t store_restore_copy(const char *file, const char *db, store_counts_t *counts,
                              buf_t *err);

/* Free the arrays of c and zero it (c may be zeroed already). */
void store_counts_free(store_counts_t *c);

/* fsync the file (dir false) or folder (dir true) at path. STORE_OK, or
 * STORE_ERR with errno saying why. */
store_rc_t store_sync_path(const char *path, bool dir);

#endif
