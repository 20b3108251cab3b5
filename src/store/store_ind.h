/*
 * store_ind.h: the indicator aggregates in the database (store_ind.c):
 * folding new responses into them and reading them back for a filter.
 * The shapes (layout, accumulators) are model/ind_accs.h; turning the
 * counters into figures is service/indicators.c. Store layer: sees base/,
 * model/ and store/.
 */
#ifndef BUZON_STORE_IND_H
#define BUZON_STORE_IND_H

#include <stdint.h>

#include "model/ind_accs.h"
#include "model/indicators.h"
#include "store/store.h"

/* Load the aggregates of form for filter f (form field ignored) into out
 * (zeroed by the caller; the caller owns it afterwards and frees it with
 * ind_accs_free, also after STORE_ERR): the total, one accumulator per
 * group of each breakdown in dims, and the month groups. STORE_OK or
 * STORE_ERR. */
store_rc_t store_ind_load(store_t *s, const char *form, const ind_filter_t *f, unsigned dims,
                          ind_accs_t *out);
/* issue 17: store_ind_load for each filter fs[k] and breakdowns dims[k]
 * into outs[k] (k < nf; each zeroed by the caller, owned and freed by it
 * as store_ind_load's, also after STORE_ERR): the same accumulators, from
 * one read transaction that reads each stored row once whatever the
 * number of filters (a query and its ancestors share most of theirs).
 * STORE_OK or STORE_ERR (also when nf > STORE_IND_LOAD_MAX). */
#define STORE_IND_LOAD_MAX 64
store_rc_t store_ind_load_many(store_t *s, const char *form, const ind_filter_t *fs, const unsigned *dims,
                               size_t nf, ind_accs_t *outs);
/* Fold the responses not yet counted into the aggregates per layout l,
 * rebuilding them when l's hash changed or a response was deleted or
 * edited; *folded (may be NULL) gets the number folded. STORE_OK or
 * STORE_ERR. */
store_rc_t store_ind_sync(store_t *s, const ind_layout_t *l, int64_t *folded);

#endif
