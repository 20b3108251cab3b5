/*
 * cli_db.c: opening the database for the commands that change it, and
 * naming their user in the audit log (see cli_db.h).
 */
#include "cli/cli_db.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

bool cli_db_exists(const char *cmd, const char *path)
{
    if (access(path, F_OK) == 0) return true;
    int e = errno;
    if (e == ENOENT)
        fprintf(stderr, "buzon %s: no database at %s (check --db); nothing was created\n", cmd, path);
    else
        fprintf(stderr, "buzon %s: database %s: %s\n", cmd, path, strerror(e));
    return false;
}

static const char *program = "buzon";

void cli_set_program(const char *argv0)
{
    if (argv0 && *argv0) program = argv0;
}

const char *cli_program(void)
{
    return program;
}

void cli_db_say_created(const char *path)
{
    char *abs = realpath(path, NULL);
    fprintf(stderr, "buzon: created a new, empty database at %s (if you meant another one, "
                    "check --db)\n", abs ? abs : path);
    free(abs);
}

bool cli_db_not_empty(const char *cmd, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > 0) return true;
    fprintf(stderr, "buzon%s%s: %s is an empty file (0 bytes), not a buzon database; refusing to use it.\n"
                    "  If it held answers, put the latest backup back: buzon restore BACKUP --db %s --force\n"
                    "  To start a new, empty database instead, delete it first: rm %s\n",
            cmd ? " " : "", cmd ? cmd : "", path, path, path);
    return false;
}

bool cli_db_sound(const char *cmd, const char *path)
{
    char err[512];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    store_rc_t rc = svc_db_check(path, err, sizeof err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    /* A large database takes seconds: say where the start-up time went. */
    if (rc == STORE_OK && secs >= 0.5)
        fprintf(stderr, "buzon %s: checked the database in %.1f s\n", cmd, secs);
    if (rc == STORE_OK) return true;
    fprintf(stderr, "buzon %s: %s\n", cmd, err);
    if (rc == STORE_INVALID)
        fprintf(stderr, "  Refusing to serve from it: answers stored now could be lost or mangled.\n"
                        "  Put the latest verified backup back: buzon restore BACKUP --db %s --force\n"
                        "  (--force keeps the damaged file as %s.before-restore-<date>)\n",
                path, path);
    return false;
}

store_t *cli_db_open(const char *path)
{
    if (!cli_db_not_empty(NULL, path)) return NULL;
    bool fresh = access(path, F_OK) != 0;
    const char *slash = strrchr(path, '/');
    if (slash && slash != path) {
        char *dir = strndup(path, (size_t)(slash - path));
        if (!dir) abort();
        if (mkdir(dir, 0750) != 0 && errno != EEXIST)
            fprintf(stderr, "buzon: cannot create %s: %s\n", dir, strerror(errno));
        free(dir);
    }
    char err[512];
    store_t *s = svc_db_open(path, err, sizeof err);
    if (!s) fprintf(stderr, "buzon: database %s: %s\n", path, err);
    else if (fresh) cli_db_say_created(path);
    return s;
}

void cli_db_actor(char *out, size_t n)
{
    struct passwd pw, *res = NULL;
    char buf[1024];
    if (getpwuid_r(geteuid(), &pw, buf, sizeof buf, &res) == 0 && res)
        snprintf(out, n, "cli:%s", res->pw_name);
    else
        snprintf(out, n, "cli:uid %u", (unsigned)geteuid());
}

store_t *cli_db_open_as(const char *path, char *actor, size_t n)
{
    store_t *s = cli_db_open(path);
    if (s) cli_db_actor(actor, n);
    return s;
}
