/*
 * form_repeat.h: repeats (issue 16), by expansion. A loaded form keeps a
 * begin_repeat ... end_repeat block once (a group with question_t.repeat
 * set); for one page or one submission an EXPANDED form is built, a
 * per-request copy in which the block is copied once per instance, its
 * rows named by path and 1-based index ("persona[2].edad", ODK's
 * /data/persona[2]/edad) and its expressions re-bound: ${edad} or
 * ../edad inside instance k means instance k's, position(..) is k, and a
 * question of a repeat named from outside it is the node-set of all its
 * instances (sum(), count(), join(), indexed-repeat()). Everything after
 * (answers, validation, rendering, storage by name, the live endpoint)
 * works on the expanded form as on any other.
 */
#ifndef BUZON_FORM_REPEAT_H
#define BUZON_FORM_REPEAT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/urlenc.h"
#include "model/form.h"

/* Instances of one repeat at most (more asked: this many), and rows of an
 * expanded form at most (instances that would pass it are left out). */
#define REPEAT_MAX 50
#define REPEAT_MAX_ROWS 4000

/* The expanded form of f, the number of instances of each repeat given
 * by count(arg, the begin_repeat row of f, its path such as "persona" or
 * "hogar[2].persona"), capped at REPEAT_MAX. NULL when f has no repeats.
 * The copy borrows f's texts, lists and sources (f must outlive it); free
 * it with form_free (or form_repeat_free). */
form_t *form_repeat_expand(const form_t *f, int (*count)(void *arg, const question_t *rq, const char *path),
                           void *arg);
void form_repeat_free(form_t *x);

/* The expanded form for a page or a submission: each repeat with a
 * repeat_count has as many instances as it gives with the answers in
 * post (evaluated on them); any other as many as the page's hidden
 * "_n.<path>" field says (1 when absent), after the page's buttons:
 * "_add=<path>" adds an instance, "_del=<path>[k]" removes instance k and
 * renames the posted answers of the later ones (post is changed). post
 * NULL: the fresh page (one instance, or repeat_count without answers).
 * NULL when f has no repeats. Caller frees with form_free. */
form_t *form_repeat_for_post(const form_t *f, kvlist_t *post);

/* The question of the loaded form f that name, as an expanded form names
 * it ("persona[2].foto"), is a copy of; a name outside repeats is looked
 * up as it is. NULL when none. For checks made before the post is read
 * and the form expanded (a file's size limit by its question's type). */
const question_t *form_repeat_loaded(const form_t *f, const char *name);

/* True when post holds a repeat's add or remove button: the page is shown
 * again with its answers, nothing judged or stored. */
bool form_repeat_button(const kvlist_t *post);

/* The values of every instance of a question named with "[*]" (expr.h,
 * expr_env_t.nodes): the answerable questions of the expanded form f
 * whose names match, in form order; val[i] when relevant[i], else "".
 * 0 with *vals malloc'd (the strings are val's), -1 when none match. */
int form_repeat_values(const form_t *f, const char *pattern, char *const *val, const bool *relevant,
                       const char ***vals, size_t *n);

/* The repeat path of an expanded begin_repeat row ("persona" of
 * "persona[2]"), malloc'd. */
char *form_repeat_path(const question_t *q);

/* For the exports: the innermost begin_repeat row around row i of a
 * loaded form, or -1; the pattern of repeat row ri's instances
 * ("casa[*].cuarto[*]", malloc'd); and whether a stored question name is
 * a question of an instance of pattern, itself not in a deeper repeat
 * ("casa[1].cuarto[2].camas"): then *plen is the length of the
 * instance's path ("casa[1].cuarto[2]"). */
int form_repeat_of(const form_t *f, size_t i);
char *form_repeat_pattern(const form_t *f, size_t ri);
bool form_repeat_instance(const char *pattern, const char *name, size_t *plen);

#endif
