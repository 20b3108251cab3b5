/*
 * testsh.h: run a shell command line from a test and read what it wrote.
 */
#ifndef BUZON_TESTSH_H
#define BUZON_TESTSH_H

#include "base/buf.h"

/* Run the command line made from fmt in sh, with no standard input, its
 * stdout and stderr kept in files under dir (a folder of the test's own).
 * Returns the exit status (-1 if it did not exit); out and err (either may
 * be NULL) receive what it printed, NUL-terminated (caller frees). */
int test_sh(const char *dir, buf_t *out, buf_t *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* test_sh running the program under test: "$BUZON_BIN <args>" (else
 * build/buzon) in the C locale (LC_ALL=C: English messages), stopped
 * after 30 s so a server that starts where it should refuse fails the
 * test instead of hanging it. */
int test_buzon(const char *dir, buf_t *out, buf_t *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Make a fresh folder /tmp/buzon-<name>-XXXXXX into dir (n bytes), for a
 * test's own files; 0, or -1. test_rmtree removes it again: 0 or -1. */
int test_mkdtemp(char *dir, size_t n, const char *name);
int test_rmtree(const char *dir);

/* The whole of a file as a NUL-terminated string (caller frees), or NULL. */
char *test_slurp(const char *path);

#endif
