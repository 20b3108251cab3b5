/*
 * imgcheck.h: helpers for the tests that check what a phone would see in
 * an image buzon made: a scratch directory, writing bytes to a file, running
 * a command, and reading a QR code back with zbarimg (Debian zbar-tools).
 * Every helper aborts the test program (not just the test) on an
 * environment failure, since no result after that would mean anything.
 */
#ifndef BUZON_TESTS_IMGCHECK_H
#define BUZON_TESTS_IMGCHECK_H

#include <stddef.h>

/* Make a fresh directory under $TMPDIR (or /tmp); caller frees the path
 * after ic_rmdir. */
char *ic_tmpdir(void);
/* Remove dir and everything in it. */
void ic_rmdir(const char *dir);
/* Write [data, data+len) to dir/name; returns the malloc'd path. */
char *ic_write(const char *dir, const char *name, const void *data, size_t len);
/* Run a shell command built printf-style; returns its exit status (or -1
 * if it did not exit normally). */
int ic_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Decode the image at path with `zbarimg --raw -q`. Returns the text of
 * the one symbol found (malloc'd, without zbarimg's trailing newline), or
 * NULL when it finds none or more than one. */
char *ic_zbar(const char *path);

#endif
