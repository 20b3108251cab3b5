/*
 * store_watch.h: is the database this handle writes still the one at its
 * path? (private to src/store/; issue 14 item 3)
 *
 * SQLite keeps writing to the files it opened: when someone deletes or
 * replaces buzon.db, its -wal or its -shm while the server runs, every
 * later COMMIT succeeds into a file nobody will ever open again, and a
 * restart loses it all. The watch remembers the device and inode of the
 * three files once they are open and compares them with what the path
 * names now (three stat calls: cheap next to the fsync of a commit).
 *
 * Thread-safe: the writer thread, health checks and the server's main
 * loop may check at the same time. Once lost, a watch stays lost.
 */
#ifndef BUZON_STORE_WATCH_H
#define BUZON_STORE_WATCH_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

#include <sqlite3.h>

enum { WATCH_DB, WATCH_WAL, WATCH_SHM, WATCH_N };

typedef struct store_watch {
    pthread_mutex_t mu;             /* guards lost */
    bool   on[WATCH_N];             /* the file existed at init: watched */
    char  *path[WATCH_N];           /* owned */
    dev_t  dev[WATCH_N];
    ino_t  ino[WATCH_N];
    const char *lost;               /* static reason, NULL while sound */
    int    lost_file;               /* WATCH_DB... of the reason */
} store_watch_t;

/* Remember the files of db's main database (its -wal and -shm too, when
 * they exist now). An in-memory or temporary database is not watched.
 * Call store_watch_free even when nothing is watched. */
void store_watch_init(store_watch_t *w, sqlite3 *db);
void store_watch_free(store_watch_t *w);

/* Compare the files with what their paths name now. Returns NULL while
 * they are the same, else the reason (a static string, e.g. "its -wal
 * file was deleted"); *newly (may be NULL) is set true only on the call
 * that first found it, so the caller logs it once. */
const char *store_watch_check(store_watch_t *w, bool *newly);
/* The reason already found, without looking at the files (NULL: none). */
const char *store_watch_lost(store_watch_t *w);
/* True when the reason found concerns only the -wal or -shm: the main
 * database file is still the one at the path, so a checkpoint can still
 * copy the WAL's content into it. */
bool store_watch_main_intact(store_watch_t *w);

#endif
