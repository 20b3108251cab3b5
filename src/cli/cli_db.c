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
#include <unistd.h>

store_t *cli_db_open(const char *path)
{
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
