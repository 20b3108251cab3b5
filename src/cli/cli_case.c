/*
 * cli_case.c: `buzon case erase-contact <code> (--asked | --reason TEXT)`,
 * for a citizen who asks (Ley 172-13, right of cancelación) that their
 * name and phone be erased from their complaint, or for another reason
 * the person running it gives; the audit log records which. The case
 * itself, its comment and its timings stay: they are not personal data
 * and the indicators need them. Staff with the atencion or admin role can
 * do the same from the case page.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model/cases.h"
#include "cli/cli.h"
#include "cli/cli_help.h"
#include "cli/cli_db.h"
#include "service/casework.h"

/* Help on stdout (status 0) or the synopsis on stderr, from cli_help.c;
 * returns status. */
static int usage(FILE *out, int status)
{
    (void)out;
    return status == 0 ? cli_help("case") : cli_usage_error("case");
}

int cli_case(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) return usage(stdout, 0);
    const char *code_arg = NULL, *db_path = CLI_DEFAULT_DB, *other = NULL;
    bool asked = false;
    if (argc < 2 || strcmp(argv[1], "erase-contact")) return usage(stderr, 2);
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc) db_path = argv[++i];
        else if (!strcmp(argv[i], "--asked")) asked = true;
        else if (!strcmp(argv[i], "--reason") && i + 1 < argc) other = argv[++i];
        else if (argv[i][0] != '-' && !code_arg) code_arg = argv[i];
        else return usage(stderr, 2);
    }
    char code[CASE_CODE_LEN + 1];
    if (!code_arg) return usage(stderr, 2);
    if (case_code_normalize(code_arg, code) < 0) {
        fprintf(stderr, "buzon case: '%s' is not a case code\n", code_arg);
        return 1;
    }
    char reason[CASE_ERASE_REASON_SIZE];
    case_erase_rc_t why = asked && other ? CASE_ERASE_NO_REASON : case_erase_reason(asked, other, reason);
    if (why == CASE_ERASE_TOO_LONG) {
        fprintf(stderr, "buzon case: the reason is too long (at most %d characters)\n", CASE_ERASE_TEXT_MAX);
        return 2;
    }
    if (why != CASE_ERASE_OK) {
        fprintf(stderr, "buzon case: say why, with either --asked (the citizen asked) or --reason TEXT\n");
        return cli_usage_error("case");
    }
    if (!cli_db_exists("case", db_path)) return 1;   /* a mistyped --db creates nothing */
    char actor[64];
    store_t *s = cli_db_open_as(db_path, actor, sizeof actor);
    if (!s) return 1;
    bool had;
    store_rc_t rc = casework_erase_contact(s, code, reason, actor, (int64_t)time(NULL), &had);
    svc_db_close(s);
    if (rc == STORE_NOTFOUND) fprintf(stderr, "buzon case: no case %s\n", code);
    if (rc != STORE_OK) return 1;
    printf(had ? "case %s: contact details erased\n" : "case %s has no contact details\n", code);
    return fflush(stdout) == 0 ? 0 : 1;
}
