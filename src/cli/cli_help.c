/*
 * cli_help.c: build/buzon's command table and the usage conventions of a
 * Debian server tool (see cli_help.h). Every command's synopsis and option
 * help live here and nowhere else: main.c dispatches through the table,
 * each command's usage error prints from it, `--help` prints it in full,
 * and the man page (man/buzon.1) is kept in step by tests/integration/
 * test_cli.c, which checks that every option named here appears there.
 *
 * BUZON_VERSION comes from the Makefile (git describe of a v* tag, else the
 * VERSION file at the repository root), so the version is written once.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_help.h"

#ifndef BUZON_VERSION
#error "BUZON_VERSION is set by the Makefile from the VERSION file"
#endif

const cli_command_t cli_commands[] = {
    { "serve", cli_serve,
      "serve [--port N] [--db PATH] [--forms DIR] [--base-url URL]\n"
      "      [--www DIR] [--listen ADDR] [--threads N] [--rate-limit N]\n"
      "      [--timeout S] [--request-timeout S] [--max-connections N]\n"
      "      [--max-connections-per-ip N] [--min-cell N]\n"
      "      [--public-indicators] [--contact-retention-days N]\n"
      "      [--smtp URL --smtp-from ADDR [--smtp-credentials-file PATH]]\n"
      "      [--webhook URL --webhook-secret-file PATH]\n"
      "      [--notice-interval S] [--notice-digest HOUR] [--ready-fd N]",
      "Serve the surveys, the staff pages and the API over plain HTTP until SIGINT\n"
      "or SIGTERM; one log line per request on stderr.\n"
      "  --port N          TCP port (default 8080; 0 picks a free one); when it is\n"
      "                    in use, choose another (make run PORT=N)\n"
      "  --db PATH         SQLite database, created if missing (default var/buzon.db);\n"
      "                    an empty (0-byte) or damaged file is refused\n"
      "  --forms DIR       forms, points, services, carta, holidays (default forms)\n"
      "  --base-url URL    address printed on posters and in QR codes, http:// or\n"
      "                    https:// (default http://localhost:<port>); https also\n"
      "                    makes the session cookie Secure\n"
      "  --www DIR         the stylesheet and script (default www)\n"
      "  --listen ADDR     listen on this IPv4 or IPv6 address only (default all)\n"
      "  --threads N       worker threads, 1 to 256 (default one per CPU)\n"
      "  --rate-limit N    survey submissions per minute per address (default 30,\n"
      "                    0 for no limit)\n"
      "  --timeout S       close a connection idle for S seconds (default 15)\n"
      "  --request-timeout S         close a connection whose request (headers and\n"
      "                    body) has not arrived whole within S seconds (default 10)\n"
      "  --max-connections N         connections in total (default 4000)\n"
      "  --max-connections-per-ip N  connections per address (default 200)\n"
      "  --min-cell N      hide indicator cells with fewer than N answers (default 10)\n"
      "  --public-indicators         the indicators dashboard without logging in\n"
      "  --contact-retention-days N  erase complainants' contact details, photos\n"
      "                    and places N days after their case closes (default 30)\n"
      "  --smtp URL        tell staff of new, near-deadline and overdue cases and of\n"
      "                    plan actions about to end by email through this relay:\n"
      "                    smtp://host:587 (STARTTLS when offered, required with a\n"
      "                    password) or smtps://host:465; user:password@ may be in\n"
      "                    the URL, but anyone on the machine sees it in ps: prefer\n"
      "                    --smtp-credentials-file. Needs --smtp-from ADDR (the\n"
      "                    sender address)\n"
      "  --smtp-credentials-file PATH  one line user:password for the relay (kept\n"
      "                    out of ps, unlike a password in the URL)\n"
      "  --webhook URL     also POST each notice as JSON signed with HMAC-SHA256\n"
      "                    (X-Buzon-Signature), key from --webhook-secret-file PATH\n"
      "  --notice-interval S  seconds between scans for notices, and the first\n"
      "                    retry after a failed send (default 60; doubles per failure)\n"
      "  --notice-digest HOUR  email one daily digest at this local hour (0-23)\n"
      "                    instead of one message per notice\n"
      "  --ready-fd N      once listening, write the port to descriptor N and close\n"
      "                    it (for tests and supervisors)\n" },
    { "forms", cli_forms,
      "forms check [DIR]\n"
      "forms eval EXPR [name=value...]\n"
      "forms published [--db PATH]\n"
      "forms withdraw ID [--db PATH]",
      "check: load every form under DIR (default forms) as the server would and print\n"
      "each problem as file:row: message; exit 1 if there is any. The messages are in\n"
      "English, or in Spanish, Kreyol or French when LC_ALL, LC_MESSAGES or LANG (the\n"
      "first one set) starts with es, ht or fr, e.g. LANG=es_DO.UTF-8.\n"
      "eval: print the type and value of the form expression EXPR (a relevance, a\n"
      "constraint, a calculation), each ${name} taking the value given as name=value\n"
      "and \".\" the one given as .=value, e.g.\n"
      "  buzon forms eval 'if(${edad} >= 18, \"adulto\", \"menor\")' edad=20\n"
      "prints \"string adulto\"; a parse error exits 2.\n"
      "published: list the workbooks staff published from the browser (/formularios):\n"
      "date, form, version, file, who, and \"withdrawn\" for those no longer served.\n"
      "withdraw: stop serving what was published for form ID: the server serves the\n"
      "forms folder's version again (or no longer has the form) once restarted. For\n"
      "a published workbook that stops the server from starting.\n" },
    { "points", cli_points,
      "points [--forms DIR]",
      "List the service points of DIR/points.csv, one id<TAB>name line each.\n"
      "  --forms DIR       the forms folder (default forms)\n" },
    { "poster", cli_poster,
      "poster <form_id> [--point ID] [--format svg|png|qr-svg|qr-png]\n"
      "       [--size a4|half] [--ec M|Q] [-o FILE] [--base-url URL]\n"
      "       [--forms DIR]",
      "Write one printable poster for a form and print its short link.\n"
      "  --point ID        the service point the answers are tied to (see buzon points)\n"
      "  --format F        svg (default), png, or the bare QR code: qr-svg, qr-png\n"
      "  --size S          a4 (default) or half (A5)\n"
      "  --ec M|Q          QR error correction level (default M)\n"
      "  -o FILE           output file (default\n"
      "                    cartel-<form>[-<point>][-qr|-media].<ext> in the current\n"
      "                    folder, named on stderr; - for stdout)\n"
      "  --base-url URL    the server's public address (default http://localhost:8080)\n"
      "  --forms DIR       the forms folder (default forms)\n" },
    { "paper", cli_paper,
      "paper <form_id> [--point ID] [--lang es|ht] [-o FILE.pdf|FILE.svg]\n"
      "      [--format pdf|svg] [--base-url URL] [--forms DIR]",
      "Write a printable A4 questionnaire of a form (tick boxes, lines, skip\n"
      "instructions, the point, a short code and a QR code to answer online) and\n"
      "print FILE, the short code and the link.\n"
      "  --point ID        the service point the answers are tied to (see buzon points)\n"
      "  --lang L          es (default) or ht\n"
      "  -o FILE           output file (default cuestionario-<form>[-<point>]-<lang>.pdf);\n"
      "                    an SVG is one file per page: FILE.svg, FILE-2.svg...\n"
      "  --format F        pdf (default, or svg when FILE ends in .svg) or svg\n"
      "  --base-url URL    the server's public address (default http://localhost:8080)\n"
      "  --forms DIR       the forms folder (default forms)\n" },
    { "report", cli_report,
      "report [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--lang es|ht] [--db PATH]\n"
      "       [--forms DIR] -o FILE.pdf|FILE.xlsx",
      "Write the evaluation report of the Plan de Mejora for the MAP: an A4 PDF\n"
      "(cover, summary of the actions with their status, one section per action\n"
      "with its figures, chart and evidence, the method note) or the same as XLSX\n"
      "for SISMAP Municipal (a summary sheet and one sheet per action).\n"
      "  --from, --to      the period (local days; default: all dates); the status\n"
      "                    of each action is as of --to, or today when earlier\n"
      "  --lang L          es (default) or ht\n"
      "  --db PATH         the database (default var/buzon.db; never created)\n"
      "  --forms DIR       the forms folder (default forms)\n"
      "  -o FILE           FILE.pdf or FILE.xlsx (required)\n" },
    { "posters", cli_posters,
      "posters -o DIR [--format svg|png|qr-svg|qr-png] [--size a4|half]\n"
      "        [--ec M|Q] [--base-url URL] [--forms DIR]",
      "Write every form's poster, alone and at every point, into DIR, with\n"
      "DIR/links.tsv listing every short link.\n"
      "  -o DIR            output folder (required)\n"
      "  --format F        only svg, png, qr-svg or qr-png (default: both svg, to\n"
      "                    print, and png, to share; links.tsv names both)\n"
      "  --size S          a4 (default) or half\n"
      "  --ec M|Q          QR error correction level (default M)\n"
      "  --base-url URL    the server's public address (default http://localhost:8080)\n"
      "  --forms DIR       the forms folder (default forms)\n" },
    { "user", cli_user,
      "user add <name> --role ROLE [--email ADDR] [--lang L] [--db PATH]\n"
      "user passwd <name> [--db PATH]\n"
      "user disable <name> [--db PATH]\n"
      "user enable <name> [--db PATH]\n"
      "user role <name> --role ROLE [--db PATH]\n"
      "user list [--db PATH]",
      "Manage staff accounts. add creates one, passwd sets a new password, disable\n"
      "locks it (both end its sessions), enable unlocks it, role changes its role,\n"
      "list prints name, role, state, email and the notices' language. The last\n"
      "enabled admin can be neither disabled nor given another role.\n"
      "  --role ROLE       admin, planificacion, atencion, lectura or captura\n"
      "                    (add and role)\n"
      "  --email ADDR      where the account hears of cases and plan deadlines (add;\n"
      "                    change it on /usuarios)\n"
      "  --lang L          es or ht: the language its notices are written in (add;\n"
      "                    default es; change it on /usuarios)\n"
      "  --db PATH         the database (default var/buzon.db)\n"
      "The password is read from stdin when it is not a terminal; otherwise one is\n"
      "generated and printed once. Only add creates a missing database (and says\n"
      "where); the others refuse a --db with no database.\n" },
    { "case", cli_case,
      "case erase-contact <code> (--asked | --reason TEXT) [--db PATH]",
      "Erase a case's contact details (name, phone); the complaint and its timings\n"
      "stay. Say why: the audit log records it.\n"
      "  --asked           the citizen asked for it (Ley 172-13)\n"
      "  --reason TEXT     another reason, in a few words\n"
      "  --db PATH         the database (default var/buzon.db)\n" },
    { "backup", cli_backup,
      "backup <file> [--db PATH] [--forms DIR]",
      "Write a verified copy of the database to <file>, also while the server runs,\n"
      "and print what it holds; exit 0 only for a verified backup. The database\n"
      "and the folder of <file> must exist. A verified backup is recorded in the\n"
      "register reg_digital (plan action 2) of the forms folder, when it has it.\n"
      "  --db PATH         the database (default var/buzon.db)\n"
      "  --forms DIR       the forms folder (default forms)\n" },
    { "restore", cli_restore,
      "restore <file> [--db PATH] [--force]",
      "Put a backup back, with the server stopped. Staff sign in again afterwards.\n"
      "  --db PATH         the database to replace (default var/buzon.db)\n"
      "  --force           replace an existing database, keeping a copy of it as\n"
      "                    <db>.before-restore-<date>\n" },
    { "indicators", cli_indicators,
      "indicators [--db PATH] [--forms DIR] [--from YYYY-MM-DD]\n"
      "           [--to YYYY-MM-DD] [--form ID] [--point ID]\n"
      "           [--service ID] [--channel C] [--by LIST|none]\n"
      "           [--format json|csv|csv-es|xlsx] [--lang es|ht]\n"
      "           [--min-cell N] [-o FILE]",
      "Print the plan's indicators, with the API's filters and suppression.\n"
      "  --db PATH         the database (default var/buzon.db; never created)\n"
      "  --forms DIR       the forms folder (default forms)\n"
      "  --from, --to D    only answers from / to this day, YYYY-MM-DD\n"
      "  --form ID         only this form\n"
      "  --point ID        only this service point\n"
      "  --service ID      only this service type\n"
      "  --channel C       only answers by this channel: web, papel,\n"
      "                    entrevista, registro\n"
      "  --by LIST         breakdowns, comma-separated: sexo, edad, zona,\n"
      "                    discapacidad, idioma, idioma_encuesta, canal, punto,\n"
      "                    servicio, mes; none for totals only (default all)\n"
      "  --format F        json (default), csv, csv-es (for Excel set to a\n"
      "                    decimal-comma locale: ; and decimal comma), xlsx\n"
      "  --lang es|ht      language of labels (default es)\n"
      "  --min-cell N      hide cells with fewer than N answers (default 10)\n"
      "  -o FILE           output file (default stdout)\n" },
};
const size_t cli_ncommands = sizeof cli_commands / sizeof cli_commands[0];

const cli_command_t *cli_command_find(const char *name)
{
    for (size_t i = 0; name && i < cli_ncommands; i++)
        if (!strcmp(name, cli_commands[i].name)) return &cli_commands[i];
    return NULL;
}

const char *cli_version(void)
{
    return BUZON_VERSION;
}

bool cli_asks_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return true;
    return false;
}

/* The synopsis lines of c, each after first_prefix (the first line) or
 * prefix; continuation lines (starting with a space) get no "buzon ". */
static void print_synopsis(const cli_command_t *c, FILE *out, const char *first_prefix,
                           const char *prefix)
{
    const char *line = c->synopsis;
    for (bool first = true; *line; first = false) {
        size_t len = strcspn(line, "\n");
        bool cont = line[0] == ' ';
        fprintf(out, "%s%s%.*s\n", first ? first_prefix : prefix, cont ? "      " : "buzon ",
                (int)len, line);
        line += len + (line[len] == '\n');
    }
}

int cli_help(const char *name)
{
    const cli_command_t *c = cli_command_find(name);
    print_synopsis(c, stdout, "usage: ", "       ");
    fputc('\n', stdout);
    fputs(c->help, stdout);
    /* A help text lost to a full disk or closed pipe is a failure. */
    return fflush(stdout) != 0 || ferror(stdout) ? 1 : 0;
}

int cli_usage_error(const char *name)
{
    print_synopsis(cli_command_find(name), stderr, "usage: ", "       ");
    fprintf(stderr, "Try 'buzon %s --help' for every option.\n", name);
    return 2;
}

/* True when the synopsis of c names opt as an option ("[--port N]",
 * "(--asked | --reason TEXT)"): the table is the one list of options. */
static bool names_option(const cli_command_t *c, const char *opt)
{
    size_t n = strlen(opt);
    for (const char *p = c->synopsis; n && (p = strstr(p, opt)); p += n) {
        char before = p == c->synopsis ? ' ' : p[-1], after = p[n];
        if (strchr("[ (|", before) && (after == '\0' || strchr(" ]|)\n", after))) return true;
    }
    return false;
}

int cli_missing_value(const char *name, const char *opt)
{
    const cli_command_t *c = cli_command_find(name);
    assert(c);
    if (names_option(c, opt)) fprintf(stderr, "buzon %s: %s needs a value\n", name, opt);
    else fprintf(stderr, "buzon %s: unknown option %s\n", name, opt);
    return cli_usage_error(name);
}

void cli_overview(FILE *out)
{
    fprintf(out, "usage: buzon <command> [options]\n");
    for (size_t i = 0; i < cli_ncommands; i++)
        print_synopsis(&cli_commands[i], out, "  ", "  ");
    fprintf(out, "\n'buzon <command> --help' explains a command's options;\n"
                 "'buzon --version' prints the version.\n");
}
