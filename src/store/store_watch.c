/*
 * store_watch.c: notices that the database files were deleted or
 * replaced under a running store (see store_watch.h).
 */
#include "store/store_watch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"

static const char *const gone[WATCH_N] = {
    "the database file was deleted",
    "its -wal file was deleted",
    "its -shm file was deleted",
};
static const char *const swapped[WATCH_N] = {
    "the database file was replaced by another file",
    "its -wal file was replaced by another file",
    "its -shm file was replaced by another file",
};
static const char *const unreadable[WATCH_N] = {
    "the database file can no longer be looked at (stat failed)",
    "its -wal file can no longer be looked at (stat failed)",
    "its -shm file can no longer be looked at (stat failed)",
};

void store_watch_init(store_watch_t *w, sqlite3 *db)
{
    memset(w, 0, sizeof *w);
    if (pthread_mutex_init(&w->mu, NULL) != 0) abort();
    const char *main = sqlite3_db_filename(db, "main");
    if (!main || !*main) return;                 /* in memory, or temporary */
    const char *wal = sqlite3_filename_wal(main);
    w->path[WATCH_DB] = xstrdup(main);
    w->path[WATCH_WAL] = xstrdup(wal ? wal : "");
    size_t n = strlen(main);
    w->path[WATCH_SHM] = xmalloc(n + 5);
    memcpy(w->path[WATCH_SHM], main, n);
    memcpy(w->path[WATCH_SHM] + n, "-shm", 5);   /* the unix VFS's name for it */
    for (int i = 0; i < WATCH_N; i++) {
        struct stat st;
        if (w->path[i][0] && stat(w->path[i], &st) == 0) {
            w->on[i] = true;
            w->dev[i] = st.st_dev;
            w->ino[i] = st.st_ino;
        }
    }
}

void store_watch_free(store_watch_t *w)
{
    for (int i = 0; i < WATCH_N; i++) free(w->path[i]);
    pthread_mutex_destroy(&w->mu);
}

const char *store_watch_check(store_watch_t *w, bool *newly)
{
    if (newly) *newly = false;
    const char *why = NULL;
    int file = 0;
    /* The main file first: when everything was deleted, that is the news. */
    for (int i = 0; i < WATCH_N && !why; i++) {
        if (!w->on[i]) continue;
        struct stat st;
        if (stat(w->path[i], &st) != 0)
            why = errno == ENOENT || errno == ENOTDIR ? gone[i] : unreadable[i];
        else if (st.st_dev != w->dev[i] || st.st_ino != w->ino[i])
            why = swapped[i];
        file = i;
    }
    pthread_mutex_lock(&w->mu);
    if (why && !w->lost) {
        w->lost = why;
        w->lost_file = file;
        if (newly) *newly = true;
    }
    const char *lost = w->lost;
    pthread_mutex_unlock(&w->mu);
    return lost;
}

const char *store_watch_lost(store_watch_t *w)
{
    pthread_mutex_lock(&w->mu);
    const char *lost = w->lost;
    pthread_mutex_unlock(&w->mu);
    return lost;
}

bool store_watch_main_intact(store_watch_t *w)
{
    pthread_mutex_lock(&w->mu);
    bool intact = w->lost && w->lost_file != WATCH_DB;
    pthread_mutex_unlock(&w->mu);
    return intact;
}
