/*
 * cli_backup.c: `buzon backup <file> [--db PATH]` and
 * `buzon restore <file> [--db PATH] [--force]`: the institution's
 * information preserved (plan action 2).
 *
 * Backup copies a live database while the server keeps serving, verifies
 * the copy and only then renames it over the target; restore copies a
 * verified backup into the database path, refusing to replace an existing
 * database without --force or while the server has it open, and keeping a
 * copy of the one it replaces (<db>.before-restore-<date>). Neither
 * carries staff sessions across. Both print what the database holds as
 * `key<TAB>...` lines. This file parses the arguments and prints every
 * message; the steps are service/backup.c's and the copies
 * store/store_backup.c's, whose header comment tells the whole story.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_db.h"
#include "cli/cli_help.h"
#include "service/backup.h"
#include "service/registers.h"

#include <limits.h>
#include <stdlib.h>
#include <time.h>

typedef struct args {
    const char *file, *db;
    const char *forms;   /* backup: the forms folder holding the register (issue 18) */
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
    *a = (args_t){ .db = CLI_DEFAULT_DB, .forms = "forms" };
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            a->db = argv[++i];
        } else if (!allow_force && !strcmp(argv[i], "--forms") && i + 1 < argc) {
            a->forms = argv[++i];
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

/* Print each line of text on stderr as "buzon <cmd>: <line><suffix>". */
static void print_lines(const char *cmd, const buf_t *text, const char *suffix)
{
    const char *p = text->len ? text->data : "";
    while (*p) {
        const char *nl = strchr(p, '\n');
        int len = nl ? (int)(nl - p) : (int)strlen(p);
        fprintf(stderr, "buzon %s: %.*s%s\n", cmd, len, p, suffix);
        p += len + (nl != NULL);
    }
}

/* What the verified database holds, on stdout as `key<TAB>...` lines: the
 * integrity result, the schema version, the rows of every table, and the
 * responses of each form. False when stdout fails. */
static bool print_counts(const backup_result_t *r)
{
    const store_counts_t *c = &r->counts;
    printf("integrity\tok\nschema_version\t%lld\n", (long long)c->schema_version);
    for (size_t i = 0; i < c->ntables; i++)
        printf("table\t%s\t%lld\n", c->tables[i].name, (long long)c->tables[i].n);
    for (size_t i = 0; i < c->nforms; i++)
        printf("responses\t%s\t%lld\n", c->forms[i].name, (long long)c->forms[i].n);
    return fflush(stdout) == 0;
}

/* issue 18: the verified backup a made, as an entry of the action-2
 * register (service/registers.h), by whoever ran the command. A backup is
 * no less done when this fails: say so, and why, on stderr, and go on. */
static void record_backup(const args_t *a, long long size)
{
    catalog_t cat;
    diag_t d = { 0 };
    int loaded = catalog_load(a->forms, &cat, &d);
    diag_free(&d);
    char actor[128], path[PATH_MAX];
    const char *why = "the database could not be opened";
    store_rc_t rc = STORE_ERR;
    /* Where the copy is, for whoever looks for it later. */
    const char *file = realpath(a->file, path) ? path : a->file;
    if (loaded < 0 && !catalog_form(&cat, REGISTER_BACKUP_FORM, NULL)) {
        why = "the forms folder could not be read";
    } else {
        store_t *s = cli_db_open_as(a->db, actor, sizeof actor);
        if (s) {
            rc = registers_record_backup(s, &cat, actor, file, size, time(NULL), &why);
            svc_db_close(s);
        }
    }
    if (rc == STORE_OK)
        fprintf(stderr, "buzon backup: recorded in the register %s (plan action 2)\n", REGISTER_BACKUP_FORM);
    else
        fprintf(stderr, "buzon backup: the backup is done, but it was not recorded in the register %s: %s\n",
                REGISTER_BACKUP_FORM, why);
    catalog_free(&cat);
}

int cli_backup(int argc, char **argv)
{
    args_t a;
    if (!parse_args(argc, argv, false, &a)) return usage("backup");
    backup_result_t r;
    backup_rc_t rc = backup_run(a.db, a.file, &r);
    int status = 1;
    switch (rc) {
    case BACKUP_OK:
        if (!print_counts(&r)) break;
        if (r.flush_failed)
            fprintf(stderr, "buzon backup: warning: could not flush the folder of %s: %s\n", a.file,
                    strerror(r.errnum));
        fprintf(stderr, "buzon backup: wrote %s (%lld bytes), verified\n", a.file, r.size);
        status = 0;
        record_backup(&a, r.size);
        break;
    case BACKUP_NO_DB:
        fprintf(stderr, "buzon backup: no database at %s: %s\n", a.db, strerror(r.errnum));
        break;
    case BACKUP_SAME_FILE:
        fprintf(stderr, "buzon backup: %s is the database itself; choose another file\n", a.file);
        break;
    case BACKUP_NO_DIR:
        fprintf(stderr, "buzon backup: the folder %s does not exist; create it first "
                "(mkdir -p %s) or choose another\n", r.dir, r.dir);
        break;
    case BACKUP_NO_TMP:
        fprintf(stderr, "buzon backup: cannot create %s: %s\n", r.tmp, strerror(r.errnum));
        break;
    case BACKUP_NO_RENAME:
        fprintf(stderr, "buzon backup: cannot rename %s to %s: %s\n", r.tmp, a.file,
                strerror(r.errnum));
        break;
    default:
        print_lines("backup", &r.err, "");
        break;
    }
    backup_result_free(&r);
    return status;
}

int cli_restore(int argc, char **argv)
{
    args_t a;
    if (!parse_args(argc, argv, true, &a)) return usage("restore");
    backup_result_t r;
    backup_rc_t rc = restore_run(a.file, a.db, a.force, &r);
    int status = 1;
    switch (rc) {
    case BACKUP_OK:
        if (!print_counts(&r)) break;
        if (r.kept)
            fprintf(stderr, "buzon restore: the database it replaced is kept as %s\n", r.kept);
        fprintf(stderr, "buzon restore: %s now holds the contents of %s, verified\n", a.db, a.file);
        status = 0;
        break;
    case BACKUP_SAME_FILE:
        fprintf(stderr, "buzon restore: %s is the database itself\n", a.file);
        break;
    case BACKUP_NOT_SOUND:
        print_lines("restore", &r.err, "");
        fprintf(stderr, "buzon restore: %s is not a sound buzon backup; nothing was changed\n", a.file);
        break;
    case BACKUP_EXISTS:
        fprintf(stderr, "buzon restore: %s already exists; stop the server, then run again with --force "
                "to replace it with %s\n", a.db, a.file);
        break;
    case BACKUP_BUSY:
        print_lines("restore", &r.err, "; stop `buzon serve` first");
        break;
    case BACKUP_NO_KEEP:
        fprintf(stderr, "buzon restore: cannot keep a copy of %s as %s before replacing it: %s; "
                "nothing was changed\n", a.db, r.kept, strerror(r.errnum));
        break;
    default:
        print_lines("restore", &r.err, "");
        break;
    }
    backup_result_free(&r);
    return status;
}
