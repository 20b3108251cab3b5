/*
 * main.c: the entry point of build/buzon. It dispatches on the first word
 * to the subcommands declared in cli.h; everything else lives there.
 */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;
} commands[] = {
    { "serve",   cli_serve,   "serve [--port N] [--db PATH] [--forms DIR] [--base-url URL]" },
    { "forms",   cli_forms,   "forms check [DIR]" },
    { "points",  cli_points,  "points [--forms DIR]" },
    { "poster",  cli_poster,  "poster <form_id> [--point ID] [--format svg|png|qr-svg|qr-png] [--size a4|half] [-o FILE] [--base-url URL] [--ec M|Q]" },
    { "posters", cli_posters, "posters -o DIR [--base-url URL]" },
    { "user",    cli_user,    "user add <name> --role admin|planificacion|atencion|lectura | passwd <name> | disable <name> | list  [--db PATH]" },
    { "case",    cli_case,    "case erase-contact <code> [--db PATH]" },
    { "backup",  cli_backup,  "backup <file> [--db PATH]" },
    { "restore", cli_restore, "restore <file> [--db PATH] [--force]" },
    { "indicators", cli_indicators, "indicators [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--form ID] [--point ID] [--service ID] [--by LIST] [--format json|csv|csv-es|xlsx] [-o FILE] [--db PATH]" },
};

static void usage(FILE *out)
{
    fprintf(out, "usage: buzon <command> [options]\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  buzon %s\n", commands[i].usage);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "buzon: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
