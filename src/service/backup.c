/*
 * backup.c: the steps of `buzon backup` and `buzon restore` around the
 * database copy (backup.h): checking the paths, the temporary file, the
 * rename and its flush. The copies themselves are store/store_backup.c's;
 * the messages cli/cli_backup.c's.
 */
#include "service/backup.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

void backup_result_free(backup_result_t *r)
{
    store_counts_free(&r->counts);
    buf_free(&r->err);
    free(r->tmp);
    r->tmp = NULL;
}

backup_rc_t backup_run(const char *db, const char *file, backup_result_t *r)
{
    result_init(r);
    if (access(db, F_OK) != 0) {
        r->errnum = errno;
        return BACKUP_NO_DB;
    }
    if (same_file(file, db)) return BACKUP_SAME_FILE;
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
    char *dir = xstrdup(file);
    if (store_sync_path(dirname(dir), true) != STORE_OK) {
        r->flush_failed = true;
        r->errnum = errno;
    }
    free(dir);
    struct stat st;
    r->size = stat(file, &st) == 0 ? (long long)st.st_size : -1LL;
    return BACKUP_OK;
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
    store_rc_t rc = store_restore_copy(file, db, &r->counts, &r->err);
    if (rc != STORE_OK) {
        if (created) unlink(db);    /* leave no empty database behind */
        return rc == STORE_BUSY ? BACKUP_BUSY : BACKUP_FAILED;
    }
    return BACKUP_OK;
}
