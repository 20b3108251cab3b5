/*
 * test_cli.c: the conventions of a Debian server tool, on the real binary
 * ($BUZON_BIN): `buzon --version` and `-V`; `--help` and `-h` for every
 * command, wherever they stand, on stdout with exit 0, before any other
 * argument is looked at; usage errors still on stderr with exit 2; every
 * option a command's help names also in the man page, which groff renders
 * without warnings; and `make install` / `make uninstall` into a
 * temporary DESTDIR, with a unit whose paths follow PREFIX.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/bizdays.h"
#include "base/buf.h"
#include "testcheck.h"
#include "testsh.h"
#include "testsrv.h"

static const char *const commands[] = {
    "serve", "forms", "points", "poster", "posters", "user", "case", "backup", "restore",
    "indicators",
};
enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

static char tmp[64];

static int setup(void **state)
{
    (void)state;
    return test_mkdtemp(tmp, sizeof tmp, "cli");
}

static int teardown(void **state)
{
    (void)state;
    return test_rmtree(tmp);
}

static const char *bin(void)
{
    const char *b = getenv("BUZON_BIN");
    return b ? b : "build/buzon";
}

static bool starts_with(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

/* No line of s is wider than 80 columns (counting UTF-8 characters). */
static void assert_fits_80_columns(const char *s)
{
    int col = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\n') col = 0;
        else if ((*p & 0xC0) != 0x80 && ++col > 80) fail_msg("a line over 80 columns in:\n%s", s);
    }
}

static void test_version_prints_buzon_and_the_version(void **state)
{
    (void)state;
    static const char *const flags[] = { "--version", "-V" };
    for (int i = 0; i < 2; i++) {
        buf_t out, err;
        assert_int_equal(test_sh(tmp, &out, &err, "%s %s", bin(), flags[i]), 0);
        /* "buzon 0.11.0\n": one line, a version starting with a digit. */
        assert_true(starts_with(out.data, "buzon "));
        assert_true(isdigit((unsigned char)out.data[6]));
        assert_non_null(strchr(out.data, '\n'));
        assert_string_equal(strchr(out.data, '\n'), "\n");
        assert_string_equal(err.data, "");
        buf_free(&out);
        buf_free(&err);
    }
    /* An unknown option as the last word is unknown, not "needs a value";
     * a known one is said to need its value (the commands' one table). */
    static const char *const last[][2] = {
        { "serve --no-such-option", "unknown option --no-such-option" },
        { "indicators --no-such-option", "unknown option --no-such-option" },
        { "serve --port", "--port needs a value" },
        { "indicators --from", "--from needs a value" },
    };
    for (size_t i = 0; i < sizeof last / sizeof last[0]; i++) {
        buf_t err;
        assert_int_equal(test_sh(tmp, NULL, &err, "%s %s", bin(), last[i][0]), 2);
        if (!strstr(err.data, last[i][1])) fail_msg("buzon %s: %s", last[i][0], err.data);
        buf_free(&err);
    }
}

static void test_every_command_answers_help_on_stdout(void **state)
{
    (void)state;
    for (int i = 0; i < NCOMMANDS; i++) {
        char usage[64];
        snprintf(usage, sizeof usage, "usage: buzon %s ", commands[i]);
        /* Alone, short, after other arguments and before their values:
         * --help is seen before anything else is parsed. */
        static const char *const forms[] = { "--help", "-h", "--db /nonexistent/x.db --help",
                                             "--help --no-such-option", "-o --help" };
        for (size_t f = 0; f < sizeof forms / sizeof *forms; f++) {
            buf_t out, err;
            int rc = test_sh(tmp, &out, &err, "%s %s %s", bin(), commands[i], forms[f]);
            if (rc != 0 || !starts_with(out.data, usage) || *err.data)
                fail_msg("buzon %s %s: exit %d, stdout:\n%s\nstderr:\n%s", commands[i], forms[f],
                         rc, out.data, err.data);
            /* The synopsis, a blank line, then what the options do. */
            assert_non_null(strstr(out.data, "\n\n"));
            assert_fits_80_columns(out.data);
            buf_free(&out);
            buf_free(&err);
        }
        /* `buzon help <command>` says the same. */
        buf_t a, b;
        assert_int_equal(test_sh(tmp, &a, NULL, "%s help %s", bin(), commands[i]), 0);
        assert_int_equal(test_sh(tmp, &b, NULL, "%s %s --help", bin(), commands[i]), 0);
        assert_string_equal(a.data, b.data);
        buf_free(&a);
        buf_free(&b);
    }
}

static void test_the_overview_names_every_command(void **state)
{
    (void)state;
    buf_t out, err;
    assert_int_equal(test_sh(tmp, &out, &err, "%s --help", bin()), 0);
    assert_true(starts_with(out.data, "usage: buzon <command>"));
    for (int i = 0; i < NCOMMANDS; i++) {
        char line[64];
        snprintf(line, sizeof line, "\n  buzon %s ", commands[i]);
        assert_non_null(strstr(out.data, line));
    }
    assert_non_null(strstr(out.data, "--version"));
    assert_fits_80_columns(out.data);
    buf_free(&out);
    buf_free(&err);

    /* No command, or an unknown one: the overview on stderr, exit 2. */
    assert_int_equal(test_sh(tmp, &out, &err, "%s", bin()), 2);
    assert_string_equal(out.data, "");
    assert_true(starts_with(err.data, "usage: buzon <command>"));
    buf_free(&out);
    buf_free(&err);
    assert_int_equal(test_sh(tmp, &out, &err, "%s no-such-command", bin()), 2);
    assert_string_equal(out.data, "");
    assert_non_null(strstr(err.data, "unknown command 'no-such-command'"));
    buf_free(&out);
    buf_free(&err);
}

static void test_a_bad_option_is_still_a_usage_error_on_stderr(void **state)
{
    (void)state;
    for (int i = 0; i < NCOMMANDS; i++) {
        char usage[64];
        snprintf(usage, sizeof usage, "usage: buzon %s ", commands[i]);
        buf_t out, err;
        int rc = test_sh(tmp, &out, &err, "%s %s --no-such-option 1", bin(), commands[i]);
        if (rc != 2 || *out.data || !strstr(err.data, usage) ||
            !strstr(err.data, "--help' for every option"))
            fail_msg("buzon %s --no-such-option 1: exit %d, stdout:\n%s\nstderr:\n%s",
                     commands[i], rc, out.data, err.data);
        buf_free(&out);
        buf_free(&err);
    }
}

/* Every option token ("--x-y", "-o") in the help text of every command
 * appears in the man page, in roff ("\-\-x\-y"), so the two cannot drift. */
static void test_the_man_page_names_every_option(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/man/buzon.1", test_root());
    char *man = test_slurp(path);
    assert_non_null(man);
    for (int i = 0; i < NCOMMANDS; i++) {
        buf_t out;
        assert_int_equal(test_sh(tmp, &out, NULL, "%s %s --help", bin(), commands[i]), 0);
        for (const char *p = out.data; (p = strchr(p, '-')); ) {
            bool at_word = p == out.data || p[-1] == ' ' || p[-1] == '[' || p[-1] == ',';
            size_t n = strspn(p, "-abcdefghijklmnopqrstuvwxyz");
            if (!at_word || n < 2 || (p[1] != '-' && n != 2)) {
                p += n ? n : 1;
                continue;
            }
            char roff[128];
            size_t len = 0;
            for (size_t k = 0; k < n && len + 3 < sizeof roff; k++) {
                if (p[k] == '-') roff[len++] = '\\';
                roff[len++] = p[k];
            }
            roff[len] = '\0';
            if (!strstr(man, roff))
                fail_msg("buzon %s: option %.*s is not in man/buzon.1", commands[i], (int)n, p);
            p += n;
        }
        buf_free(&out);
    }
    free(man);

    /* groff renders it without a single warning (when it is installed). */
    if (test_sh(tmp, NULL, NULL, "command -v groff") == 0) {
        buf_t out, err;
        assert_int_equal(test_sh(tmp, &out, &err, "groff -man -Tutf8 -ww -z '%s'", path), 0);
        assert_string_equal(err.data, "");
        buf_free(&out);
        buf_free(&err);
    }
}

/* make install into a temporary DESTDIR puts everything where the unit
 * looks for it, and make uninstall takes it all away again. */
static void test_make_install_and_uninstall(void **state)
{
    (void)state;
    /* The binary under test is installed as it is (-o: never rebuilt, so
     * the sanitizer build is not mixed with a plain one). */
    char build[512];
    snprintf(build, sizeof build, "%s", bin());
    char *build_dir = dirname(build);
    const char *prefix = "/opt/buzon";
    char make[1024];
    snprintf(make, sizeof make, "make -s -C '%s' BUILD='%s' -o '%s' DESTDIR='%s/dest' PREFIX=%s",
             test_root(), build_dir, bin(), tmp, prefix);
    buf_t out, err;
    int rc = test_sh(tmp, &out, &err, "%s install", make);
    if (rc != 0) fail_msg("make install: exit %d\n%s%s", rc, out.data, err.data);
    buf_free(&out);
    buf_free(&err);

    static const char *const files[] = {
        "bin/buzon", "share/buzon/www/buzon.css", "share/buzon/www/buzon.js",
        "share/buzon/forms/points.csv", "share/buzon/forms/satisfaccion/survey.csv",
        "share/buzon/forms/quejas/settings.csv", "share/man/man1/buzon.1",
        "lib/systemd/system/buzon.service",
    };
    char path[1024];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/dest%s/%s", tmp, prefix, files[i]);
        struct stat st;
        if (stat(path, &st) != 0) fail_msg("make install did not write %s", path);
        assert_int_equal(st.st_mode & 0777, i == 0 ? 0755 : 0644);
    }

    /* The installed program runs, and the installed forms are complete. */
    assert_int_equal(test_sh(tmp, &out, NULL, "'%s/dest%s/bin/buzon' --version", tmp, prefix), 0);
    assert_true(starts_with(out.data, "buzon "));
    buf_free(&out);
    rc = test_sh(tmp, &out, &err, "'%s/dest%s/bin/buzon' forms check '%s/dest%s/share/buzon/forms'",
            tmp, prefix, tmp, prefix);
    if (rc != 0) fail_msg("installed forms: exit %d\n%s%s", rc, out.data, err.data);
    buf_free(&out);
    buf_free(&err);

    /* The unit runs the installed binary on the installed files, as its
     * own user, sandboxed, writing only its data folder. */
    snprintf(path, sizeof path, "%s/dest%s/lib/systemd/system/buzon.service", tmp, prefix);
    char *unit = test_slurp(path);
    assert_non_null(unit);
    static const char *const lines[] = {
        "\nExecStart=/opt/buzon/bin/buzon serve ", " --forms /opt/buzon/share/buzon/forms ",
        " --www /opt/buzon/share/buzon/www ", " --db /var/lib/buzon/buzon.db ",
        "\nUser=buzon\n", "\nStateDirectory=buzon\n", "\nProtectSystem=strict\n",
        "\nReadWritePaths=/var/lib/buzon\n", "\nNoNewPrivileges=yes\n", "\nPrivateTmp=yes\n",
        "\nProtectHome=yes\n", "\nEnvironmentFile=-/etc/default/buzon\n",
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        if (!strstr(unit, lines[i])) fail_msg("the unit lacks '%s':\n%s", lines[i], unit);
    assert_null(strstr(unit, "@BINDIR@"));   /* every placeholder replaced */
    assert_null(strstr(unit, "@DATADIR@"));
    free(unit);

    rc = test_sh(tmp, &out, &err, "%s uninstall", make);
    if (rc != 0) fail_msg("make uninstall: exit %d\n%s%s", rc, out.data, err.data);
    buf_free(&out);
    buf_free(&err);
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/dest%s/%s", tmp, prefix, files[i]);
        if (access(path, F_OK) == 0) fail_msg("make uninstall left %s", path);
    }
    snprintf(path, sizeof path, "%s/dest%s/share/buzon", tmp, prefix);
    assert_int_not_equal(access(path, F_OK), 0);
}

/* systemd itself accepts the unit (when systemd-analyze is installed): it
 * is installed under a real PREFIX so the binary it names exists. */
static void test_systemd_accepts_the_unit(void **state)
{
    (void)state;
    if (test_sh(tmp, NULL, NULL, "command -v systemd-analyze") != 0) skip();
    char build[512];
    snprintf(build, sizeof build, "%s", bin());
    char make[1024];
    snprintf(make, sizeof make, "make -s -C '%s' BUILD='%s' -o '%s' PREFIX='%s/prefix'",
             test_root(), dirname(build), bin(), tmp);
    assert_int_equal(test_sh(tmp, NULL, NULL, "%s install", make), 0);
    buf_t out, err;
    int rc = test_sh(tmp, &out, &err, "systemd-analyze verify --man=no '%s/prefix/lib/systemd/system/buzon.service'",
                tmp);
    if (rc != 0 || *err.data) fail_msg("systemd-analyze verify: exit %d\n%s%s", rc, out.data, err.data);
    buf_free(&out);
    buf_free(&err);
    assert_int_equal(test_sh(tmp, NULL, NULL, "%s uninstall", make), 0);
}

/* Regression: `user list` printed dates in the server's time zone, every
 * other date of buzon is Dominican. A machine at UTC+20 is a day ahead. */
static void test_user_list_dates_are_dominican(void **state)
{
    (void)state;
    buf_t out;
    assert_int_equal(test_sh(tmp, NULL, NULL,
                             "printf 'abcdefghij1\\n' | '%s' user add ana --role lectura --db '%s/u.db'",
                             bin(), tmp), 0);
    assert_int_equal(test_sh(tmp, &out, NULL, "TZ=AHEAD-20 '%s' user list --db '%s/u.db'", bin(), tmp), 0);
    char want[64], day[11];
    bizdays_format(bizdays_from_time((int64_t)time(NULL)), day);
    snprintf(want, sizeof want, "\tcreated %s\t", day);
    if (!strstr(out.data, want)) fail_msg("expected \"%s\" in: %s", want, out.data);
    buf_free(&out);
    /* issue 18: each account's email, or "-", at the end of its line */
    assert_int_equal(test_sh(tmp, NULL, NULL,
                             "printf 'abcdefghij1\\n' | '%s' user add bea --role atencion --email bea@banica.gob.do"
                             " --db '%s/u.db'", bin(), tmp), 0);
    assert_int_equal(test_sh(tmp, &out, NULL, "'%s' user list --db '%s/u.db'", bin(), tmp), 0);
    /* session 23: the notices' language follows the address */
    test_has(out.data, "login never\t-\tes\n");                /* ana: no address */
    test_has(out.data, "login never\tbea@banica.gob.do\tes\n");
    buf_free(&out);
}

/* ---- issue 13, item 21: what a user of the command line is told ---------- */

/* Regression: README's "Web addresses" left out /indicadores/plan, the
 * indicator downloads and their sep=; option. Every route of
 * src/http/http_route.h is in the table (an address with alternatives,
 * a|b, by its first; a download "x.xlsx" also as "`x.csv` (`.xlsx`)"). */
static void test_readme_names_every_address(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/README.md", test_root());
    char *readme = test_slurp(path);
    assert_non_null(readme);
    char *sec = strstr(readme, "\n## Web addresses\n");
    assert_non_null(sec);
    char *end = strstr(sec + 1, "\n## ");
    if (end) *end = '\0';
    snprintf(path, sizeof path, "%s/src/http/http_route.h", test_root());
    char *routes = test_slurp(path);
    assert_non_null(routes);
    int n = 0;
    for (char *p = routes; (p = strstr(p, "/* /")); p += 3) {
        char addr[128];
        size_t len = strcspn(p + 3, " |\n*");
        snprintf(addr, sizeof addr, "`%.*s", (int)len, p + 3);
        n++;
        if (strstr(sec, addr)) continue;
        /* "`/x/<form>/responses.xlsx" as "`/x/<form>/responses.csv` (`.xlsx`)" */
        char *dot = strrchr(addr, '.'), alt[160] = "";
        if (dot) {
            char *line = NULL;
            *dot = '\0';
            for (char *q = sec; !line && (q = strstr(q, addr)); q++)
                if (q[strlen(addr)] == '.') line = q;
            *dot = '.';
            snprintf(alt, sizeof alt, "`%s`", dot);
            char *eol = line ? strchr(line, '\n') : NULL;
            if (line && eol) {
                *eol = '\0';
                bool found = strstr(line, alt) != NULL;
                *eol = '\n';
                if (found) continue;
            }
        }
        fail_msg("README \"Web addresses\" does not name %s", addr + 1);
    }
    assert_true(n >= 24);
    assert_non_null(strstr(sec, "`/indicadores/plan`"));
    assert_non_null(strstr(sec, "`/api/v1/indicators.csv`"));
    assert_non_null(strstr(sec, "`/api/v1/indicators.xlsx`"));
    assert_non_null(strstr(sec, "`sep=;`"));
    free(routes);
    free(readme);
}

/* The program under test as an absolute path (tests cd elsewhere). */
static char *abs_bin(void)
{
    char *b = realpath(bin(), NULL);
    assert_non_null(b);
    return b;
}

/* Regression: `poster` without -o wrote into the current folder without
 * saying so; `posters -o` wrote only SVG unless given --format png. */
static void test_poster_says_where_and_posters_write_svg_and_png(void **state)
{
    (void)state;
    char *b = abs_bin(), *fix = NULL;
    buf_t out, err;
    if (asprintf(&fix, "%s/tests/fixtures/posters", test_root()) < 0) fail();
    char *forms = realpath(fix, NULL);
    assert_non_null(forms);
    assert_int_equal(test_sh(tmp, &out, &err, "cd '%s' && '%s' poster encuesta-b --forms '%s' "
                             "--base-url https://buzon.test", tmp, b, forms), 0);
    char want[256];
    snprintf(want, sizeof want, "buzon poster: wrote cartel-encuesta-b.svg in the current folder, %s",
             tmp);
    if (!strstr(err.data, want)) fail_msg("expected \"%s\" in: %s", want, err.data);
    assert_non_null(strstr(out.data, "cartel-encuesta-b.svg\thttps://buzon.test/q/"));
    buf_free(&out);
    buf_free(&err);
    /* With -o, the file named, without the folder remark. */
    assert_int_equal(test_sh(tmp, NULL, &err, "'%s' poster encuesta-b --forms '%s' -o '%s/p.png' "
                             "--format png --base-url https://buzon.test", b, forms, tmp), 0);
    snprintf(want, sizeof want, "buzon poster: wrote %s/p.png\n", tmp);
    if (!strstr(err.data, want)) fail_msg("expected \"%s\" in: %s", want, err.data);
    buf_free(&err);

    /* posters: both formats by default, links.tsv naming both. */
    assert_int_equal(test_sh(tmp, &out, NULL, "'%s' posters -o '%s/all' --forms '%s' "
                             "--base-url https://buzon.test", b, tmp, forms), 0);
    assert_non_null(strstr(out.data, "each as SVG to print and PNG to share"));
    buf_free(&out);
    snprintf(want, sizeof want, "%s/all/links.tsv", tmp);
    char *tsv = test_slurp(want);
    assert_non_null(tsv);
    assert_true(starts_with(tsv, "form\tpoint\tcode\tlink\tfile\tpng\n"));
    assert_non_null(strstr(tsv, "\tencuesta-b.svg\tencuesta-b.png\n"));
    free(tsv);
    static const char *const files[] = { "encuesta-b.svg", "encuesta-b.png", "encuesta-a/camion-1.svg",
                                         "encuesta-a/camion-1.png" };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(want, sizeof want, "%s/all/%s", tmp, files[i]);
        if (access(want, F_OK) != 0) fail_msg("posters wrote no %s", want);
    }
    /* --format names one: only that, and links.tsv as before. */
    assert_int_equal(test_sh(tmp, NULL, NULL, "'%s' posters -o '%s/svg' --format svg --forms '%s' "
                             "--base-url https://buzon.test", b, tmp, forms), 0);
    snprintf(want, sizeof want, "%s/svg/links.tsv", tmp);
    tsv = test_slurp(want);
    assert_non_null(tsv);
    assert_true(starts_with(tsv, "form\tpoint\tcode\tlink\tfile\n"));
    free(tsv);
    snprintf(want, sizeof want, "%s/svg/encuesta-b.png", tmp);
    assert_int_equal(access(want, F_OK), -1);
    free(forms);
    free(fix);
    free(b);
}

/* Regression: `user add` with nothing on stdin said the password was "too
 * short"; and a mistyped --db silently created an empty database. */
static void test_user_add_without_a_password_says_how_to_give_one(void **state)
{
    (void)state;
    buf_t err;
    assert_int_equal(test_sh(tmp, NULL, &err, "'%s' user add ana --role admin --db '%s/u.db'", bin(),
                             tmp), 1);
    assert_non_null(strstr(err.data, "no password was given"));
    assert_non_null(strstr(err.data, "| buzon user"));
    assert_null(strstr(err.data, "too short"));
    buf_free(&err);
    char path[128];
    snprintf(path, sizeof path, "%s/u.db", tmp);
    assert_int_equal(access(path, F_OK), -1);   /* and no database made for nothing */
}

static void test_a_mistyped_db_is_refused_or_announced(void **state)
{
    (void)state;
    static const char *const reads[] = {
        "user list", "user passwd ana", "user disable ana", "case erase-contact K7P4QX9MZ --asked",
        "indicators", "backup %s/b.db",
    };
    char path[128];
    snprintf(path, sizeof path, "%s/typo.db", tmp);
    for (size_t i = 0; i < sizeof reads / sizeof *reads; i++) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, reads[i], tmp);
        buf_t err;
        int rc = test_sh(tmp, NULL, &err, "printf 'abcdefghij1\\n' | '%s' %s --db '%s'", bin(), cmd, path);
        if (rc != 1 || !strstr(err.data, "no database at") || access(path, F_OK) == 0)
            fail_msg("buzon %s --db %s: exit %d, database %s, stderr:\n%s", cmd, path, rc,
                     access(path, F_OK) == 0 ? "created" : "not created", err.data);
        buf_free(&err);
    }
    /* user add makes the first admin's database, and says where. */
    buf_t err;
    assert_int_equal(test_sh(tmp, NULL, &err, "printf 'abcdefghij1\\n' | '%s' user add ana --role admin "
                             "--db '%s'", bin(), path), 0);
    char *abs = realpath(path, NULL);
    assert_non_null(abs);
    char want[256];
    snprintf(want, sizeof want, "created a new, empty database at %s", abs);
    if (!strstr(err.data, want)) fail_msg("expected \"%s\" in: %s", want, err.data);
    buf_free(&err);
    /* Once it exists, nothing more is said. */
    assert_int_equal(test_sh(tmp, NULL, &err, "'%s' user list --db '%s'", bin(), path), 0);
    assert_string_equal(err.data, "");
    buf_free(&err);
    free(abs);
}

/* Regression: on a busy port serve said only "Address already in use";
 * it says how to choose another, and `make run PORT=N` does. */
static void test_a_busy_port_says_how_to_choose_another(void **state)
{
    (void)state;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_ANY) };
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 1), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    unsigned port = ntohs(a.sin_port);
    buf_t err;
    assert_int_equal(test_sh(tmp, NULL, &err, "'%s' serve --port %u --db '%s/s.db' --forms '%s/forms' "
                             "--www '%s/www'", bin(), port, tmp, test_root(), test_root()), 1);
    char want[160];
    snprintf(want, sizeof want, "the port %u is in use; choose another with --port N (make run PORT=N)",
             port);
    if (!strstr(err.data, want)) fail_msg("expected \"%s\" in: %s", want, err.data);
    buf_free(&err);
    close(fd);
    buf_t out;
    assert_int_equal(test_sh(tmp, &out, NULL, "make -n -s -C '%s' run PORT=8081 | grep -e '--port'",
                             test_root()), 0);
    assert_non_null(strstr(out.data, "serve --port 8081 "));
    buf_free(&out);
}

/* Regression (issue 13): on a busy port serve said it created a new
 * database, failed, and left the empty file behind. */
static void test_a_busy_port_leaves_no_new_database(void **state)
{
    (void)state;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_ANY) };
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 1), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    unsigned port = ntohs(a.sin_port);
    buf_t err;
    assert_int_equal(test_sh(tmp, NULL, &err, "'%s' serve --port %u --db '%s/new.db' --forms '%s/forms' "
                             "--www '%s/www'", bin(), port, tmp, test_root(), test_root()), 1);
    if (strstr(err.data, "created a new")) fail_msg("claims a database was created: %s", err.data);
    buf_free(&err);
    close(fd);
    char path[512];
    const char *side[] = { "", "-wal", "-shm" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/new.db%s", tmp, side[i]);
        if (access(path, F_OK) == 0) fail_msg("%s was left behind", path);
    }
}

/* Regression (issue 13): the start-up hints said `build/buzon ...` and
 * `make run BASE_URL=...` whatever the program was started as; an
 * installed `buzon` (from PATH, or the systemd unit) is told `buzon ...`
 * and --base-url. */
static void test_serve_hints_name_the_program_as_started(void **state)
{
    (void)state;
    char *abs = realpath(bin(), NULL);
    assert_non_null(abs);
    buf_t err;
    assert_int_equal(test_sh(tmp, NULL, NULL, "mkdir -p '%s/bin' && ln -s '%s' '%s/bin/buzon'", tmp, abs, tmp), 0);
    free(abs);
    assert_int_equal(test_sh(tmp, NULL, &err,
                             "PATH='%s/bin':\"$PATH\"; buzon serve --port 0 --listen 127.0.0.1 --db '%s/h.db' "
                             "--forms '%s/forms' --www '%s/www' --ready-fd 3 3>'%s/ready' & p=$!; i=0; "
                             "while [ ! -s '%s/ready' ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done; "
                             "kill $p; wait $p; [ -s '%s/ready' ]",
                             tmp, tmp, test_root(), test_root(), tmp, tmp, tmp), 0);
    char want[600];
    snprintf(want, sizeof want, "\n  buzon user add admin --role admin --db %s/h.db\n", tmp);
    if (!strstr(err.data, want)) fail_msg("expected \"%s\" in: %s", want, err.data);
    if (strstr(err.data, "build/buzon")) fail_msg("names build/buzon: %s", err.data);
    if (strstr(err.data, "make run BASE_URL") && !strstr(err.data, "--base-url URL"))
        fail_msg("the base-URL warning does not say --base-url: %s", err.data);
    if (!strstr(err.data, "restart with the public address: --base-url URL"))
        fail_msg("the base-URL warning does not say --base-url URL: %s", err.data);
    buf_free(&err);
}

/* Regression (issue 13): the README listed `user passwd|disable|list` but
 * not `user enable` and `user role`, and the man page called csv-es "for
 * Spanish Excel" (Dominican Excel uses a decimal point). */
static void test_docs_name_every_user_command_and_csv_es_locale(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/README.md", test_root());
    char *readme = test_slurp(path);
    assert_non_null(readme);
    const char *cmds[] = { "user passwd <name>", "user disable <name>", "user enable <name>",
                           "user role <name> --role", "user list" };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        const char *row = strstr(readme, "| `buzon user passwd");
        assert_non_null(row);
        const char *eol = strchr(row, '\n');
        char *hit = strstr(row, cmds[i]);
        if (!hit || hit > eol) fail_msg("the README's command table lacks `%s`", cmds[i]);
    }
    char *sec = strstr(readme, "\n## Staff accounts and cases\n");
    assert_non_null(sec);
    char *end = strstr(sec + 1, "\n## ");
    if (end) *end = '\0';
    if (!strstr(sec, "user passwd|disable|enable|role|list"))
        fail_msg("\"Staff accounts and cases\" does not name user enable and user role");
    free(readme);
    snprintf(path, sizeof path, "%s/man/buzon.1", test_root());
    char *man = test_slurp(path);
    assert_non_null(man);
    assert_null(strstr(man, "Spanish Excel"));
    assert_non_null(strstr(man, "for Excel set to a decimal-comma locale"));
    free(man);
    buf_t out;
    assert_int_equal(test_sh(tmp, &out, NULL, "'%s' indicators --help", bin()), 0);
    assert_null(strstr(out.data, "Spanish Excel"));
    assert_non_null(strstr(out.data, "decimal-comma locale"));
    buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_version_prints_buzon_and_the_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_command_answers_help_on_stdout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_overview_names_every_command, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_bad_option_is_still_a_usage_error_on_stderr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_man_page_names_every_option, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_list_dates_are_dominican, setup, teardown),
        cmocka_unit_test_setup_teardown(test_make_install_and_uninstall, setup, teardown),
        cmocka_unit_test_setup_teardown(test_systemd_accepts_the_unit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readme_names_every_address, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poster_says_where_and_posters_write_svg_and_png, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_add_without_a_password_says_how_to_give_one, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_mistyped_db_is_refused_or_announced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_busy_port_says_how_to_choose_another, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_busy_port_leaves_no_new_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_serve_hints_name_the_program_as_started, setup, teardown),
        cmocka_unit_test_setup_teardown(test_docs_name_every_user_command_and_csv_es_locale, setup, teardown),
    };
    return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
