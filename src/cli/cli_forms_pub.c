/*
 * cli_forms_pub.c: `buzon forms published` and `buzon forms withdraw ID`,
 * the command-line side of the forms staff publish from the browser
 * (service/forms.h): what is published, and the way back to the forms
 * folder's version when a published workbook stops the server from
 * starting (the server names this command then).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/bizdays.h"
#include "cli/cli.h"
#include "cli/cli_db.h"
#include "cli/cli_help.h"
#include "service/db.h"
#include "service/forms.h"

/* argv after the subcommand: [ID] [--db PATH]. false on a bad option. */
static bool parse(int argc, char **argv, const char **id, const char **db)
{
    *id = NULL;
    *db = CLI_DEFAULT_DB;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc) *db = argv[++i];
        else if (argv[i][0] == '-' || *id) return false;
        else *id = argv[i];
    }
    return true;
}

static void print_day(int64_t t)
{
    char iso[11];
    bizdays_format(bizdays_from_time(t), iso);
    fputs(iso, stdout);
}

int cli_forms_published(int argc, char **argv)
{
    const char *id, *db;
    if (!parse(argc, argv, &id, &db) || id) return cli_usage_error("forms");
    if (!cli_db_exists("forms published", db)) return 1;
    store_t *s = cli_db_open(db);
    if (!s) return 1;
    form_pub_t *v = NULL;
    size_t n = 0;
    store_rc_t rc = svc_forms_history(s, SIZE_MAX, &v, &n);
    svc_db_close(s);
    if (rc != STORE_OK) {
        fputs("buzon forms published: cannot read the database\n", stderr);
        return 1;
    }
    if (!n) printf("no form has been published from the browser\n");
    for (size_t i = 0; i < n; i++) {
        print_day(v[i].at);
        printf("\t%s\t%s\t%s\t%s%s\n", v[i].form_id, *v[i].version ? v[i].version : "-", v[i].file_name,
               v[i].by, v[i].withdrawn_at ? "\twithdrawn" : "");
    }
    form_pub_free(v, n);
    return fflush(stdout) == 0 ? 0 : 1;
}

int cli_forms_withdraw(int argc, char **argv)
{
    const char *id, *db;
    if (!parse(argc, argv, &id, &db) || !id) return cli_usage_error("forms");
    if (!cli_db_exists("forms withdraw", db)) return 1;
    char actor[64];
    store_t *s = cli_db_open_as(db, actor, sizeof actor);
    if (!s) return 1;
    store_rc_t rc = svc_forms_withdraw(s, id, actor, (int64_t)time(NULL));
    svc_db_close(s);
    if (rc == STORE_NOTFOUND) {
        fprintf(stderr, "buzon forms withdraw: form %s has nothing published from the browser\n", id);
        return 1;
    }
    if (rc != STORE_OK) {
        fputs("buzon forms withdraw: cannot write the database\n", stderr);
        return 1;
    }
    printf("form %s: withdrawn; a running server goes on serving it until it is restarted\n", id);
    return fflush(stdout) == 0 ? 0 : 1;
}
