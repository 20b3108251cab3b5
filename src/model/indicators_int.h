/*
 * indicators_int.h: what the indicator modules share (private to
 * src/indicators*.c and src/store_ind.c).
 *
 * The aggregates (store_ind.c) hold, for each form, period, point,
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
#ifndef BUZON_INDICATORS_INT_H
#define BUZON_INDICATORS_INT_H

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

void ind_layout_build(const ind_defs_t *defs, ind_layout_t *out);
void ind_layout_free(ind_layout_t *l);
/* The demographic questions every response is broken down by, in
 * ind_dim_t order (IND_DIM_SEXO .. IND_DIM_IDIOMA). */
extern const char *const ind_answer_dims[IND_DIM_IDIOMA + 1];
/* Stored dimension names of the response fields. */
#define IND_STORED_LANG  "@lang"
#define IND_STORED_CANAL "@canal"

/* ---- accumulators (filled by store_ind.c, read by indicators.c) ---- */

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

/* Load the aggregates of form for filter f (form field ignored) into out
 * (zeroed by the caller): the total, one accumulator per group of each
 * breakdown in dims, and the month groups. STORE_OK or STORE_ERR. */
int store_ind_load(store_t *s, const char *form, const ind_filter_t *f, unsigned dims,
                   ind_accs_t *out);
/* Fold new responses into the aggregates per layout (see ind_sync). */
int store_ind_sync(store_t *s, const ind_layout_t *l, int64_t *folded);

#endif
