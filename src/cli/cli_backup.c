/*
 * cli_backup.c: `buzon backup <file> [--db PATH]` and
 * `buzon restore <file> [--db PATH] [--force]`: the institution's
 * information preserved (plan action 2).
 *
 * Backup copies a live database while the server keeps serving, verifies
 * the copy and only then renames it over the target; restore copies a
 * verified backup into the database path, refusing to replace an existing
 * database without --force or while the server has it open. Neither
 * carries staff sessions across. Both print what the database holds as
 * `key<TAB>...` lines. This file parses the arguments; the steps are
 * service/backup.c's and the copies store/store_backup.c's, whose header
 * comment tells the whole story.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_db.h"
#include "cli/cli_help.h"
#include "service/backup.h"

typedef struct args {
    const char *file, *db;
    bool force;
} args_t;

/* The synopsis of cmd on stderr (cli_help.c); returns 2. */
static int usage(const char *cmd)
{
    return cli_usage_error(cmd);
}

/* Parse `<file> [--db PATH]` (and --force for restore). */
static bool parse_args(int argc, char **argv, bool allow_force, args_t *a)
{
    *a = (args_t){ .db = CLI_DEFAULT_DB };
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            a->db = argv[++i];
        } else if (allow_force && !strcmp(argv[i], "--force")) {
            a->force = true;
        } else if (argv[i][0] == '-' || a->file) {
            fprintf(stderr, "buzon %s: unexpected argument '%s'\n", argv[0], argv[i]);
            return false;
        } else {
            a->file = argv[i];
        }
    }
    if (!a->file || !*a->file) {
        fprintf(stderr, "buzon %s: which file?\n", argv[0]);
        return false;
    }
    return true;
}

int cli_backup(int argc, char **argv)
{
    args_t a;
    if (!parse_args(argc, argv, false, &a)) return usage("backup");
    return backup_run(a.db, a.file);
}

int cli_restore(int argc, char **argv)
{
    args_t a;
    if (!parse_args(argc, argv, true, &a)) return usage("restore");
    return restore_run(a.file, a.db, a.force);
}
