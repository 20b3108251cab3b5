/*
 * backup.h: what `buzon backup` and `buzon restore` do, once their
 * arguments are parsed (cli/cli_backup.c). Calls store/store_backup.h
 * (every SQL statement) and store/store.h (creating a private database
 * file).
 *
 * Backup writes a temporary file beside the target and renames it over
 * the target only once the copy is verified, so a backup file is either
 * the previous complete one or the new verified one. Restore refuses to
 * replace an existing database without force. Messages and the counts are
 * printed as the commands always printed them.
 */
#ifndef BUZON_SERVICE_BACKUP_H
#define BUZON_SERVICE_BACKUP_H

#include <stdbool.h>

/* Back the database at db up into file. The exit status: 0, or 1 after
 * messages on stderr. */
int backup_run(const char *db, const char *file);

/* Restore the backup file into the database at db (replacing an existing
 * one only when force). The exit status: 0, or 1 after messages. */
int restore_run(const char *file, const char *db, bool force);

#endif
