/*
 * cli_help.h: the one table of build/buzon's commands, with each command's
 * usage text, and the conventions every command follows for it: `--help`
 * or `-h` anywhere after the command word prints that command's usage with
 * every option explained, on stdout, exit 0; a usage error prints the
 * short synopsis on stderr, exit 2; `buzon --version` (`-V`) prints
 * `buzon <version>`. main.c dispatches through the table; each command's
 * own usage() prints from it, so the text exists in one place only.
 */
#ifndef BUZON_CLI_HELP_H
#define BUZON_CLI_HELP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct cli_command {
    const char *name;                    /* the command word */
    int (*run)(int argc, char **argv);   /* cli.h: argv[0] is the command word */
    /* Synopsis lines without "buzon ", separated by '\n'. A line starting
     * with the command word is a form of the command; a line starting
     * with a space continues the previous one. */
    const char *synopsis;
    /* What --help adds after the synopsis: the options, one "  --opt  what"
     * line each (continuations indented further), then any notes. */
    const char *help;
} cli_command_t;

extern const cli_command_t cli_commands[];
extern const size_t cli_ncommands;

/* The command named name, or NULL. */
const cli_command_t *cli_command_find(const char *name);

/* The program's version ("0.11.0"), as the build set it (BUZON_VERSION). */
const char *cli_version(void);

/* True when any of argv[1..argc-1] is "--help" or "-h": the command's
 * arguments ask for its help, wherever the flag stands. */
bool cli_asks_help(int argc, char **argv);

/* Print the command's synopsis and help on stdout; returns 0 (or 1 when
 * stdout could not be written, e.g. a full disk). name must be in the
 * table. */
int cli_help(const char *name);

/* Print the command's synopsis and a pointer to --help on stderr; returns
 * 2, the exit status of a usage error. name must be in the table. */
int cli_usage_error(const char *name);

/* For a last word opt that stands where a value was expected: say on
 * stderr that opt needs a value when the command's synopsis names it, or
 * that it is unknown, then the synopsis (cli_usage_error); returns 2. */
int cli_missing_value(const char *name, const char *opt);

/* Print "usage: buzon <command> [options]", every command's synopsis and
 * the global options to out. */
void cli_overview(FILE *out);

#endif
