/*
 * cli_forms.c: `buzon forms check [DIR]`, the command a planner (or CI)
 * runs after editing a survey in Excel: it loads the whole folder (forms,
 * points, services, carta, holidays, indicators, plan) with the server's
 * own loader (catalog.h) and prints every problem as `file:row: message`,
 * exiting 1 on exactly what would stop `buzon serve`, so a broken survey is
 * caught before it reaches citizens.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/diag.h"
#include "cli/cli.h"
#include "cli/cli_help.h"
#include "model/catalog.h"
#include "model/form_ui.h"

/* Help on stdout (status 0) or the synopsis on stderr, from cli_help.c;
 * returns status. */
static int usage(FILE *out, int status)
{
    (void)out;
    return status == 0 ? cli_help("forms") : cli_usage_error("forms");
}

/* Questions that take an answer (not notes or group markers). */
static size_t answerable(const form_t *f)
{
    size_t n = 0;
    for (size_t i = 0; i < f->nq; i++)
        n += form_q_answerable(&f->q[i]);
    return n;
}

/* "ok satisfaccion v2024.1 (23 questions, es ht)" */
static void print_ok(const form_t *f)
{
    printf("ok %s", f->id);
    if (*f->version) printf(" v%s", f->version);
    printf(" (%zu question%s", answerable(f), answerable(f) == 1 ? "" : "s");
    for (int i = 0; i < f->nlangs; i++)
        printf("%s%s", i ? " " : ", ", *f->lang_code[i] ? f->lang_code[i] : "default");
    printf("%s)\n", f->staff ? ", staff" : "");   /* issue 18: a register, never public */
    /* Not a problem: the form works, but its pages cannot speak its
     * language (form_ui.h). Unnamed languages are Spanish. */
    for (int i = 0; i < f->nlangs; i++)
        if (form_lang_table(f, i) < 0)
            printf("form %s: its language %s has no interface table; the interface is Spanish\n", f->id,
                   f->lang_code[i]);
    /* issue 15 item 5: ?lang= selects es or ht only. */
    for (int i = 0; i < f->nlangs; i++)
        if (i != f->default_lang && !form_lang_offered(f, i))
            printf("form %s: its language %s is never offered: a page speaks Spanish or Kreyol, "
                   "or the form's default language when it has neither\n", f->id,
                   *f->lang_code[i] ? f->lang_code[i] : f->lang_name[i]);
}

static int check(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "buzon forms check: %s is not a folder\n", dir);
        return 1;
    }
    catalog_t cat;
    diag_t d = { 0 };
    int status = catalog_load(dir, &cat, &d) < 0;
    /* the author's language where buzon has a table for it (issue 15) */
    lang_t lang = diag_env_lang(getenv("LC_ALL"), getenv("LC_MESSAGES"), getenv("LANG"));
    for (size_t i = 0; i < d.n; i++) fprintf(stderr, "%s\n", diag_line(&d, i, lang));
    for (size_t i = 0; i < cat.nforms; i++) {
        print_ok(cat.forms[i]);
        /* What loaded but not as an XLSForm tool would take it (issue 15). */
        for (size_t k = 0; k < cat.forms[i]->nnotes; k++) printf("  note: %s\n", cat.forms[i]->notes[k]);
    }
    catalog_free(&cat);
    diag_free(&d);
    if (fflush(stdout) != 0) {
        perror("buzon forms check: stdout");
        status = 1;
    }
    return status;
}

int cli_forms(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) return usage(stdout, 0);
    if (argc >= 2 && !strcmp(argv[1], "eval")) return cli_forms_eval(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "published")) return cli_forms_published(argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "withdraw")) return cli_forms_withdraw(argc - 2, argv + 2);
    if (argc < 2 || strcmp(argv[1], "check") != 0 || argc > 3) return usage(stderr, 2);
    if (argc == 3 && argv[2][0] == '-') return usage(stderr, 2);
    return check(argc == 3 ? argv[2] : "forms");
}
