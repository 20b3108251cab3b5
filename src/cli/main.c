/*
 * main.c: the entry point of build/buzon. It dispatches on the first word
 * to the subcommands of the command table (cli_help.c); everything else
 * lives there. `--help` anywhere after the command word is answered here,
 * before the command parses anything, so every command honours it alike.
 */
#include <stdio.h>
#include <string.h>
#include "cli/cli_db.h"
#include "cli/cli_help.h"

int main(int argc, char **argv)
{
    cli_set_program(argv[0]);
    if (argc < 2) {
        cli_overview(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
        printf("buzon %s\n", cli_version());
        return fflush(stdout) != 0 ? 1 : 0;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        /* `buzon help <command>` is that command's --help. */
        if (argc > 2 && cli_command_find(argv[2])) return cli_help(argv[2]);
        cli_overview(stdout);
        return 0;
    }
    const cli_command_t *c = cli_command_find(argv[1]);
    if (c) {
        if (cli_asks_help(argc - 1, argv + 1)) return cli_help(c->name);
        return c->run(argc - 1, argv + 1);
    }
    fprintf(stderr, "buzon: unknown command '%s'\n", argv[1]);
    cli_overview(stderr);
    return 2;
}
