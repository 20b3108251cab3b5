/*
 * backup.c: the steps of `buzon backup` and `buzon restore` around the
 * database copy (backup.h): checking the paths, the temporary file, the
 * rename and its flush. The copies themselves are store/store_backup.c's.
 */
#include "service/backup.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "store/store.h"
#include "store/store_backup.h"

/* True when a and b name the same existing file. */
static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int backup_run(const char *db, const char *file)
{
    if (access(db, F_OK) != 0) {
        fprintf(stderr, "buzon backup: no database at %s: %s\n", db, strerror(errno));
        return 1;
    }
    if (same_file(file, db)) {
        fprintf(stderr, "buzon backup: %s is the database itself; choose another file\n", file);
        return 1;
    }
    buf_t tmp;
    buf_init(&tmp);
    buf_printf(&tmp, "%s.tmp-XXXXXX", file);
    int fd = mkstemp(tmp.data);
    if (fd < 0) {
        fprintf(stderr, "buzon backup: cannot create %s: %s\n", tmp.data, strerror(errno));
        buf_free(&tmp);
        return 1;
    }
    close(fd);
    bool ok = store_backup_copy(db, tmp.data);
    if (ok && rename(tmp.data, file) != 0) {
        fprintf(stderr, "buzon backup: cannot rename %s to %s: %s\n", tmp.data, file, strerror(errno));
        ok = false;
    }
    if (!ok) {
        unlink(tmp.data);
        buf_free(&tmp);
        return 1;
    }
    /* Make the rename itself durable. */
    char *dir = xstrdup(file);
    if (!store_sync_path(dirname(dir), true))
        fprintf(stderr, "buzon backup: warning: could not flush the folder of %s: %s\n", file, strerror(errno));
    free(dir);
    buf_free(&tmp);
    struct stat st;
    fprintf(stderr, "buzon backup: wrote %s (%lld bytes), verified\n", file,
            stat(file, &st) == 0 ? (long long)st.st_size : -1LL);
    return 0;
}

int restore_run(const char *file, const char *db, bool force)
{
    if (same_file(file, db)) {
        fprintf(stderr, "buzon restore: %s is the database itself\n", file);
        return 1;
    }
    int sound = store_restore_check(file);
    if (sound < 0) return 1;
    if (!sound) {
        fprintf(stderr, "buzon restore: %s is not a sound buzon backup; nothing was changed\n", file);
        return 1;
    }
    if (access(db, F_OK) == 0 && !force) {
        fprintf(stderr, "buzon restore: %s already exists; stop the server, then run again with --force "
                "to replace it with %s\n", db, file);
        return 1;
    }
    bool created = access(db, F_OK) != 0;
    char err[512];
    if (created && !store_create_private(db, err, sizeof err)) {
        fprintf(stderr, "buzon restore: %s\n", err);
        return 1;
    }
    if (!store_restore_copy(file, db)) {
        if (created) unlink(db);    /* leave no empty database behind */
        return 1;
    }
    fprintf(stderr, "buzon restore: %s now holds the contents of %s, verified\n", db, file);
    return 0;
}
