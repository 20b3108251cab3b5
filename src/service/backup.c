/*
 * backup.c: the steps of `buzon backup` and `buzon restore` around the
 * database copy (backup.h): checking the paths, the temporary file, the
 * rename and its flush. The copies themselves are store/store_backup.c's;
 * the messages cli/cli_backup.c's.
 */
#include "service/backup.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/bizdays.h"
#include "store/store_backup.h"

/* True when a and b name the same existing file. */
static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static void result_init(backup_result_t *r)
{
    *r = (backup_result_t){ .size = -1 };
    buf_init(&r->err);
}

/* The folder part of path (malloc'd): "." when it has none. */
static char *folder_of(const char *path)
{
    char *copy = xstrdup(path), *dir = xstrdup(dirname(copy));
    free(copy);
    return dir;
}

void backup_result_free(backup_result_t *r)
{
    store_counts_free(&r->counts);
    buf_free(&r->err);
    free(r->tmp);
    r->tmp = NULL;
    free(r->dir);
    r->dir = NULL;
    free(r->kept);
    r->kept = NULL;
}

backup_rc_t backup_run(const char *db, const char *file, backup_result_t *r)
{
    result_init(r);
    if (access(db, F_OK) != 0) {
        r->errnum = errno;
        return BACKUP_NO_DB;
    }
    if (same_file(file, db)) return BACKUP_SAME_FILE;
    /* Say that the folder is missing rather than that a temporary file
     * the user never asked for cannot be created. */
    char *dir = folder_of(file);
    struct stat ds;
    if (stat(dir, &ds) != 0 || !S_ISDIR(ds.st_mode)) {
        r->errnum = errno;
        r->dir = dir;
        return BACKUP_NO_DIR;
    }
    free(dir);
    buf_t tmp;
    buf_init(&tmp);
    buf_printf(&tmp, "%s.tmp-XXXXXX", file);
    int fd = mkstemp(tmp.data);
    r->tmp = buf_steal(&tmp);
    if (fd < 0) {
        r->errnum = errno;
        return BACKUP_NO_TMP;
    }
    close(fd);
    backup_rc_t rc = store_backup_copy(db, r->tmp, &r->counts, &r->err) == STORE_OK
                     ? BACKUP_OK : BACKUP_FAILED;
    if (rc == BACKUP_OK && rename(r->tmp, file) != 0) {
        r->errnum = errno;
        rc = BACKUP_NO_RENAME;
    }
    if (rc != BACKUP_OK) {
        unlink(r->tmp);
        return rc;
    }
    /* Make the rename itself durable. */
    dir = folder_of(file);
    if (store_sync_path(dir, true) != STORE_OK) {
        r->flush_failed = true;
        r->errnum = errno;
    }
    free(dir);
    struct stat st;
    r->size = stat(file, &st) == 0 ? (long long)st.st_size : -1LL;
    return BACKUP_OK;
}

/* Copy the bytes of the file from into the new file to (open, 0600). */
static bool copy_bytes(const char *from, int to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0) return false;
    char block[65536];
    ssize_t n;
    bool ok = true;
    while (ok && (n = read(in, block, sizeof block)) != 0) {
        if (n < 0) {
            ok = errno == EINTR;
            continue;
        }
        for (ssize_t off = 0, w; ok && off < n; off += w > 0 ? w : 0)
            ok = (w = write(to, block + off, (size_t)(n - off))) >= 0 || errno == EINTR;
    }
    int e = errno;
    close(in);
    errno = e;
    return ok && fsync(to) == 0;
}

/* Keep a copy of the database db, which a restore is about to replace,
 * beside it as <db>.before-restore-<YYYY-MM-DD-HHMMSS> (Dominican time;
 * -2, -3... when that exists): a verified copy through SQLite, or else
 * (a database too damaged for one) its bytes. r->kept names it; false
 * (errnum set) when no copy could be made. */
static bool keep_copy(const char *db, backup_result_t *r)
{
    int64_t now = (int64_t)time(NULL);
    char day[11];
    bizdays_format(bizdays_from_time(now), day);
    int secs = bizdays_day_seconds(now), fd = -1;
    buf_t name;
    buf_init(&name);
    for (int k = 1; fd < 0 && k < 100; k++) {
        buf_reset(&name);
        buf_printf(&name, "%s.before-restore-%s-%02d%02d%02d", db, day, secs / 3600, secs / 60 % 60,
                   secs % 60);
        if (k > 1) buf_printf(&name, "-%d", k);
        fd = open(name.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST) break;
    }
    r->kept = buf_steal(&name);
    if (fd < 0) {
        r->errnum = errno;
        return false;
    }
    store_counts_t counts;
    buf_t why;
    buf_init(&why);
    bool ok = store_backup_copy(db, r->kept, &counts, &why) == STORE_OK;
    store_counts_free(&counts);
    buf_free(&why);
    if (!ok) ok = ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0 && copy_bytes(db, fd);
    if (!ok) r->errnum = errno;
    if (close(fd) != 0 && ok) {
        r->errnum = errno;
        ok = false;
    }
    if (!ok) unlink(r->kept);
    return ok;
}

backup_rc_t restore_run(const char *file, const char *db, bool force, backup_result_t *r)
{
    result_init(r);
    if (same_file(file, db)) return BACKUP_SAME_FILE;
    store_rc_t sound = store_file_check(file, &r->err);
    if (sound == STORE_ERR) return BACKUP_FAILED;
    if (sound != STORE_OK) return BACKUP_NOT_SOUND;
    if (access(db, F_OK) == 0 && !force) return BACKUP_EXISTS;
    bool created = access(db, F_OK) != 0;
    char err[512];
    if (created && !store_create_private(db, err, sizeof err)) {
        buf_printf(&r->err, "%s\n", err);
        return BACKUP_FAILED;
    }
    if (!created && !keep_copy(db, r)) return BACKUP_NO_KEEP;
    store_rc_t rc = store_restore_copy(file, db, &r->counts, &r->err);
    if (rc != STORE_OK) {
        if (created) unlink(db);    /* leave no empty database behind */
        if (r->kept) unlink(r->kept);   /* nor a copy of one left as it was */
        return rc == STORE_BUSY ? BACKUP_BUSY : BACKUP_FAILED;
    }
    return BACKUP_OK;
}
