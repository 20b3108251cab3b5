/*
 * cli.h: the subcommands of build/buzon. main.c parses only the command
 * word and hands the remaining arguments (argv[0] = the command word) to
 * one of these. Each returns the process exit status: 0 success, 1 failure
 * the user can act on (invalid form, unknown point), 2 usage error. Each
 * prints its own messages: results to stdout, errors to stderr.
 */
#ifndef BUZON_CLI_H
#define BUZON_CLI_H

int cli_serve(int argc, char **argv);        /* cli_serve.c  */
int cli_forms(int argc, char **argv);        /* cli_forms.c: "forms check [DIR]" */
int cli_forms_eval(int argc, char **argv);   /* cli_forms_eval.c: "forms eval EXPR [name=value...]" */
int cli_forms_published(int argc, char **argv);  /* cli_forms_pub.c: "forms published [--db PATH]" */
int cli_forms_withdraw(int argc, char **argv);   /* cli_forms_pub.c: "forms withdraw ID [--db PATH]" */
int cli_points(int argc, char **argv);       /* cli_points.c: "points [--forms DIR]" */
int cli_poster(int argc, char **argv);       /* cli_poster.c: "poster <form> ..." */
int cli_posters(int argc, char **argv);      /* cli_poster.c: "posters -o DIR" */
int cli_paper(int argc, char **argv);        /* cli_paper.c: "paper <form> ..." (issue 17) */
int cli_report(int argc, char **argv);       /* cli_report.c: "report -o FILE" (issue 18) */
int cli_user(int argc, char **argv);         /* cli_user.c: "user add|passwd|disable|list" */
int cli_case(int argc, char **argv);         /* cli_case.c: "case erase-contact <code>" */
int cli_backup(int argc, char **argv);       /* cli_backup.c: "backup <file> [--db PATH]" */
int cli_restore(int argc, char **argv);      /* cli_backup.c: "restore <file> [--db PATH] [--force]" */
int cli_indicators(int argc, char **argv);   /* cli_indicators.c: "indicators [--from D] [--format F] [-o FILE]" */

#endif
