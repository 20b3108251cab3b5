/*
 * testsrv.h: integration-test support. Starts the real build/buzon
 * ($BUZON_BIN) on a free loopback port with a fresh database in a temp
 * folder, learns the port through --ready-fd (no sleeping, no polling),
 * and speaks raw HTTP/1.1 to it over a socket so tests can send exactly
 * the bytes they mean, malformed ones included.
 *
 * With BUZON_VALGRIND=1 in the environment the server runs under valgrind
 * (memcheck, definite leaks count as errors, exit status 99 on any error,
 * suppressions in tests/valgrind.supp), so testsrv_stop() returning
 * non-zero fails the test that started it.
 */
#ifndef BUZON_TESTSRV_H
#define BUZON_TESTSRV_H

#include <stddef.h>
#include <sys/types.h>

typedef struct testsrv {
    pid_t    pid;
    unsigned port;
    char     dir[256];     /* temp folder: buzon.db, server.log */
    char     db[300];
    char     log[300];
} testsrv_t;

/* Start a server on forms_dir (NULL: $BUZON_ROOT/forms). extra_args is a
 * NULL-terminated list appended to the command line, or NULL. Returns 0,
 * or -1 (the server's log is printed). */
int testsrv_start(testsrv_t *s, const char *forms_dir, const char *const *extra_args);
/* SIGTERM, wait; returns the exit status (0 expected) or -1. Removes the
 * temp folder. */
int testsrv_stop(testsrv_t *s);
/* Send sig (e.g. SIGKILL) and wait for the server to end, keeping the temp
 * folder and its database. Returns 0 when the server ended by that signal
 * (or exited), -1 if there was no server. */
int testsrv_kill(testsrv_t *s, int sig);
/* Start a server again on the same temp folder and database, after
 * testsrv_kill(). Arguments as for testsrv_start. Returns 0 or -1. */
int testsrv_restart(testsrv_t *s, const char *forms_dir, const char *const *extra_args);

/* Run SQL statements on the server's database, as an administrator with
 * sqlite3 would (e.g. to move times into the past). Returns 0, or -1 after
 * printing the error; callers assert on it. */
int testsrv_db_exec(const testsrv_t *s, const char *sql);

typedef struct http_resp {
    int    status;
    char  *head;      /* status line and headers, NUL-terminated */
    char  *body;      /* NUL-terminated (may also contain NULs) */
    size_t body_len;
} http_resp_t;

/* Send raw bytes (a whole request; add "Connection: close"), read the
 * response to EOF and parse it. Returns 0 or -1. */
int http_raw(unsigned port, const char *req, size_t len, http_resp_t *out);
/* The same from source address src ("127.0.0.2": any 127.x.y.z reaches a
 * server on 127.0.0.1), so tests can act as different visitors; NULL is
 * the default 127.0.0.1. */
int http_raw_from(const char *src, unsigned port, const char *req, size_t len, http_resp_t *out);
/* A TCP connection to 127.0.0.1:port from src (NULL: default), blocking;
 * the descriptor, or -1. */
int test_connect(const char *src, unsigned port);
/* GET path with optional extra header lines (each ending in \r\n). */
int http_get(unsigned port, const char *path, const char *headers, http_resp_t *out);
/* POST an urlencoded body. */
int http_post(unsigned port, const char *path, const char *body, http_resp_t *out);
/* Value of header name (case-insensitive) copied into a static-free
 * malloc'd string the caller frees, or NULL. */
char *http_header(const http_resp_t *r, const char *name);
void http_resp_free(http_resp_t *r);

/* Root of the repository ($BUZON_ROOT, else "."). */
const char *test_root(void);

#endif
