/*
 * pipe.h: `${name}` references inside labels, hints and notes (XLSForm
 * "piping"): the text a form author writes shows the answer given to
 * another question. The loader checks every reference names a question;
 * the view (view/rich.h) shows the answer in its place. One scanner for
 * both, so what is checked is exactly what is shown.
 */
#ifndef BUZON_PIPE_H
#define BUZON_PIPE_H

#include <stddef.h>

/* Longest name inside ${...}, in bytes: longer is text, not a reference. */
#define PIPE_NAME_MAX 128

/* When p starts a reference "${name}" (name 1..PIPE_NAME_MAX bytes, no
 * space, control character, '$', '{' or '}'), set *name to its first byte
 * and *nlen to its length and return the length of the whole reference;
 * else return 0. p is NUL-terminated. */
size_t pipe_ref(const char *p, const char **name, size_t *nlen);

/* Call cb once for each reference in text (in order, duplicates
 * included) with the name as a NUL-terminated string valid during the
 * call. text may be NULL. */
void pipe_refs(const char *text, void (*cb)(void *arg, const char *name), void *arg);

#endif
