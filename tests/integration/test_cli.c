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
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/bizdays.h"
#include "base/buf.h"
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
    /* An unknown option as the last word is unknown, not "needs a value". */
    buf_t err;
    assert_int_equal(test_sh(tmp, NULL, &err, "%s serve --no-such-option", bin()), 2);
    assert_non_null(strstr(err.data, "unknown option --no-such-option"));
    buf_free(&err);
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
    };
    return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
