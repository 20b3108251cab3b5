/*
 * ind_accs.h: the shape of the indicator aggregates, shared by the model
 * (which derives the layout from the definitions), the store (which keeps
 * and reads the aggregates, store/store_ind.h) and the service (which
 * turns them into figures, service/indicators.c). Pure data: nothing here
 * reads the store. Sees base/ and model/ only.
 *
 * The aggregates (store/store_ind.c) hold, for each form, period, point,
 * service and breakdown group, a vector of counters ("slots") named:
 *   "#"            responses
 *   "q=v"          answers v to tracked question q
 *   "i:<id>:n"     respondents with a valid item of multi-item index <id>
 *   "i:<id>:s"     sum of those respondents' means of their valid items
 *   "i:<id>:ss"    sum of squares of those means
 * Which questions are tracked and which indices have respondent sums is
 * the layout, derived from the definitions; its hash is stored with the
 * aggregates, which are rebuilt when it changes.
 */
#ifndef BUZON_IND_ACCS_H
#define BUZON_IND_ACCS_H

#include "model/indicators.h"

/* ---- a string-keyed hash map to indices (indicators_map.c) ---- */

typedef struct ind_map {
    char  **keys;    /* owned */
    size_t *vals;
    size_t  cap, n;  /* cap is a power of two, or 0 */
} ind_map_t;

/* Value of key, or (size_t)-1. */
size_t ind_map_get(const ind_map_t *m, const char *key);
/* Set key to val (copying the key). */
void ind_map_put(ind_map_t *m, const char *key, size_t val);
void ind_map_free(ind_map_t *m);

/* ---- layout (indicators_defs.c) ---- */

typedef struct ind_layout_form {
    const char       *form;
    const char      **tracked;   /* question names, sorted, unique */
    size_t            ntracked;
    const ind_def_t **multi;     /* index definitions with several items */
    size_t            nmulti;
} ind_layout_form_t;

typedef struct ind_layout {
    ind_layout_form_t *f;
    size_t             nf;
    char               hash[65];   /* hex; changes when the layout does */
} ind_layout_t;

/* The layout of defs into out (free with ind_layout_free; out borrows
 * strings from defs, which must outlive it). */
void ind_layout_build(const ind_defs_t *defs, ind_layout_t *out);
void ind_layout_free(ind_layout_t *l);
/* Stored dimension names of the response fields. */
#define IND_STORED_LANG  "@lang"
#define IND_STORED_CANAL "@canal"

/* ---- accumulators (filled by store/store_ind.c, read by
 * service/indicators.c; functions in indicators_map.c) ---- */

typedef struct ind_acc {
    int     dim;     /* ind_dim_t, or -1 for the total */
    char   *key;
    double *v;       /* nslots counters */
} ind_acc_t;

typedef struct ind_accs {
    char     **slot;     /* slot names, by number */
    size_t     nslots;
    ind_map_t  slot_ix;  /* name -> slot */
    ind_acc_t *a;
    size_t     n, cap;
    ind_map_t  acc_ix;   /* "<dim>\x1f<key>" -> index in a */
} ind_accs_t;

void ind_accs_free(ind_accs_t *x);
/* The accumulator for (dim, key), created zeroed when absent. */
ind_acc_t *ind_accs_get(ind_accs_t *x, int dim, const char *key);
/* The accumulator for (dim, key), or NULL. */
const ind_acc_t *ind_accs_find(const ind_accs_t *x, int dim, const char *key);
/* Slot number of name, or -1. */
long ind_accs_slot(const ind_accs_t *x, const char *name);

#endif
