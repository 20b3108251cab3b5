/*
 * cli_db.h: what the commands that change the database directly (`user`,
 * `case`) share: opening it, and naming who ran them in the audit log.
 */
#ifndef BUZON_CLI_DB_H
#define BUZON_CLI_DB_H

#include <stdbool.h>
#include <stddef.h>
#include "service/db.h"

/* Where `serve` keeps the database by default. */
#define CLI_DEFAULT_DB "var/buzon.db"

/* True when there is a file at path; else false after saying on stderr,
 * as "buzon <cmd>: ...", that there is no database there (for the
 * commands that only use an existing database, so that a mistyped --db
 * never creates an empty one). */
bool cli_db_exists(const char *cmd, const char *path);
/* Say on stderr that a new, empty database was created at path (made
 * absolute), so that a mistyped --db does not pass unnoticed. */
void cli_db_say_created(const char *path);
/* issue 14: false, after saying on stderr ("buzon <cmd>: ...") that it is
 * no database (cmd NULL: "buzon: ...") and how to go on (restore a backup, or delete the file to
 * start afresh), when the file at path exists and is empty (0 bytes):
 * SQLite would silently make it a new, empty database. True otherwise,
 * also when there is no file. */
bool cli_db_not_empty(const char *cmd, const char *path);
/* issue 14: true when the existing database at path is sound (svc_db_check);
 * else false after saying on stderr what is wrong and how to put a backup
 * back (buzon restore). For `serve`, before it opens the file. A check
 * that took half a second or more is reported on stderr with its time. */
bool cli_db_sound(const char *cmd, const char *path);

/* The name the program was started with (main's argv[0]: "build/buzon"
 * under make run, "buzon" from PATH, "/usr/bin/buzon" from the systemd
 * unit), for the commands a message tells the user to type; "buzon" until
 * main sets it. */
void cli_set_program(const char *argv0);
const char *cli_program(void);

/* Open (creating and migrating if needed) the database at path, creating
 * its folder when it is missing, as on a fresh checkout before the first
 * `make run`, saying so when it creates it (cli_db_say_created). NULL
 * after a message on stderr. */
store_t *cli_db_open(const char *path);
/* "cli:<unix user name>" (or "cli:uid <n>"), for the audit log. */
void cli_db_actor(char *out, size_t n);
/* cli_db_open(path), and on success who runs the command into actor
 * (cli_db_actor, n bytes): what every command that changes the database
 * does first. NULL after a message on stderr (actor then untouched). The
 * caller closes the store with svc_db_close. */
store_t *cli_db_open_as(const char *path, char *actor, size_t n);

#endif
