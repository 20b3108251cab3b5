/*
 * store_backup.h: copying a whole database file, for `buzon backup` and
 * `buzon restore` (store_backup.c; the steps around these, temporary file
 * and rename, are service/backup.c's). Each function prints what it finds
 * wrong to stderr as "buzon backup: ..." or "buzon restore: ...", and the
 * counts of a verified copy to stdout as `key<TAB>...` lines.
 */
#ifndef BUZON_STORE_BACKUP_H
#define BUZON_STORE_BACKUP_H

#include <stdbool.h>

/* Copy the live database at db (which may be serving) into tmp, an
 * existing empty file: one consistent snapshot, staff sessions left out,
 * made a self-contained rollback-journal file, flushed to disk, then
 * checked (integrity and counts printed) through a fresh connection.
 * False after messages. */
bool store_backup_copy(const char *db, const char *tmp);

/* 1 when file is a sound buzon database this build can read (the
 * responses table, a known schema version, PRAGMA integrity_check ok); 0
 * when it is not, after messages saying why; -1 when it cannot be opened,
 * after a message. */
int store_restore_check(const char *file);

/* Copy the backup file into the database at db (created if missing),
 * holding db exclusively (false, "stop `buzon serve` first", while anyone
 * has it open), end every staff session the backup held, verify, and
 * print the counts. False after messages. */
bool store_restore_copy(const char *file, const char *db);

/* fsync the file (dir false) or folder (dir true) at path. */
bool store_sync_path(const char *path, bool dir);

#endif
