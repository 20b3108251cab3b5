/*
 * store_ind.c: the indicator aggregates in the database (schema version 3,
 * with the channel in their key since issue 17's migration; see store.c).
 *
 * Why aggregates, and why these. A dashboard needs, for every indicator,
 * the total and every group of ten breakdowns, for any period, point and
 * service. Over a million responses (twenty million answers) no GROUP BY
 * over the answers is fast enough, so the counters are kept ready:
 * ind_agg holds one row per (form, grain, period, point, service,
 * channel, breakdown, group) with a vector of counters (slots, named in ind_slots;
 * see model/ind_accs.h). Grain 1 rows cover a local month, grain 0 rows a
 * local day: a period is read as its whole months plus the days of the
 * partial months at its ends, so any from/to costs at most two months of
 * daily rows and the dashboard reads a few thousand rows in all.
 *
 * How they stay right. Responses are folded in after the fact rather than
 * inside store_submit: ind_state remembers the last responses.id folded
 * and the hash of the layout it was built for, and ind_sync() folds every
 * newer response (in chunks, each its own write transaction, so a large
 * catch-up never holds up citizens' submissions for long). Every writer is
 * covered, whatever code it runs: responses ids only grow (rowid = max + 1
 * and nothing deletes), and the migration's triggers drop ind_state when a
 * response or answer is deleted or changed, or an answer is added to a
 * response already folded, which forces a rebuild on the next query.
 * Changing the definitions (a tracked question, a multi-item index) also
 * rebuilds.
 *
 * Vector encoding (a BLOB): for each non-zero slot, a varint tag
 * (slot << 1 | is_real), then a varint count, or 8 little-endian bytes of
 * an IEEE double for the sums of respondent means. Counters are small, so
 * a day's row is typically a few hundred bytes.
 */
#include "store/store_ind.h"
#include "store/store_int.h"

#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bizdays.h"

enum { GRAIN_DAY = 0, GRAIN_MONTH = 1 };
/* Responses per write transaction of a catch-up, and aggregate rows kept
 * in memory before they are written. */
enum { CHUNK = 20000, FLUSH_ROWS = 40000 };
/* store_write_txn code of a fold step: more chunks to go (an own code,
 * store_int.h: never one of store_rc_t's). */
enum { FOLD_MORE = STORE_OWN_CODE };

static void log_db(sqlite3 *db, const char *what)
{
    fprintf(stderr, "store: indicators: %s: %s\n", what, sqlite3_errmsg(db));
}

/* ---- vector codec ---------------------------------------------------------- */

static void put_varint(buf_t *b, uint64_t v)
{
    unsigned char tmp[10];
    size_t n = 0;
    do {
        tmp[n] = (unsigned char)(v & 0x7f);
        v >>= 7;
        if (v) tmp[n] |= 0x80;
        n++;
    } while (v);
    buf_append(b, tmp, n);
}

static bool get_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
    uint64_t r = 0;
    for (int shift = 0; *p < end && shift < 64; shift += 7) {
        unsigned char c = *(*p)++;
        r |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *v = r;
            return true;
        }
    }
    return false;
}

static void encode(buf_t *b, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (v[i] == 0) continue;
        bool whole = v[i] > 0 && v[i] < 9007199254740992.0 && v[i] == floor(v[i]);
        put_varint(b, (uint64_t)i << 1 | !whole);
        if (whole) {
            put_varint(b, (uint64_t)v[i]);
        } else {
            uint64_t bits;
            memcpy(&bits, &v[i], sizeof bits);
            unsigned char le[8];
            for (int k = 0; k < 8; k++) le[k] = (unsigned char)(bits >> (8 * k));
            buf_append(b, le, 8);
        }
    }
}

/* Add the vector in [p, p+len) into each of the ntargets vectors of nslots
 * counters. False when the bytes are not a valid vector. */
static bool decode_add(const void *data, size_t len, double *const *targets, size_t ntargets,
                       size_t nslots)
{
    const unsigned char *p = data, *end = p + len;
    while (p < end) {
        uint64_t tag, u;
        double v;
        if (!get_varint(&p, end, &tag)) return false;
        if (tag & 1) {
            if (end - p < 8) return false;
            uint64_t bits = 0;
            for (int k = 0; k < 8; k++) bits |= (uint64_t)p[k] << (8 * k);
            memcpy(&v, &bits, sizeof v);
            p += 8;
        } else {
            if (!get_varint(&p, end, &u)) return false;
            v = (double)u;
        }
        uint64_t slot = tag >> 1;
        if (slot >= nslots) return false;
        for (size_t t = 0; t < ntargets; t++) targets[t][slot] += v;
    }
    return true;
}

/* ---- statements ---------------------------------------------------------------- */

static bool prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) == SQLITE_OK) return true;
    log_db(db, sql);
    return false;
}

static void finalize_all(sqlite3_stmt **st, size_t n)
{
    for (size_t i = 0; i < n; i++) sqlite3_finalize(st[i]);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? s : "";
}

/* ---- folding ------------------------------------------------------------------- */

/* The slots of one form while folding. */
typedef struct fold_form {
    const ind_layout_form_t *lf;
    ind_map_t slots;     /* name -> slot */
    size_t    nslots;
} fold_form_t;

/* One aggregate row being accumulated in memory. */
typedef struct fold_row {
    size_t  form;        /* index in fold_t.forms */
    int     grain;
    int64_t period;
    char   *point, *service, *channel, *dim, *dv;
    double *v;
    size_t  nv;
} fold_row_t;

enum { S_SLOT_INS, S_AGG_GET, S_AGG_PUT, S_N };

typedef struct fold {
    const ind_layout_t *L;
    sqlite3      *db;
    sqlite3_stmt *st[S_N];
    fold_form_t  *forms;      /* parallel to L->f */
    ind_map_t     row_ix;     /* row key -> index in rows */
    fold_row_t   *rows;
    size_t        nrows, cap;
    int64_t       folded;
} fold_t;

/* One response as read, its answers in arena (pairs of strings). */
typedef struct resp {
    int64_t id, hour;
    char   *form, *point, *lang, *channel;
    char  **q, **v;
    size_t  n, cap;
} resp_t;

static long slot_of(fold_t *F, size_t fi, const char *name)
{
    fold_form_t *ff = &F->forms[fi];
    size_t s = ind_map_get(&ff->slots, name);
    if (s != (size_t)-1) return (long)s;
    sqlite3_stmt *st = F->st[S_SLOT_INS];
    s = ff->nslots;
    sqlite3_bind_text(st, 1, ff->lf->form, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (int64_t)s);
    sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        log_db(F->db, "new slot");
        return -1;
    }
    ind_map_put(&ff->slots, name, s);
    ff->nslots++;
    return (long)s;
}

static fold_row_t *row_get(fold_t *F, size_t fi, int grain, int64_t period, const char *point,
                           const char *service, const char *channel, const char *dim, const char *dv)
{
    buf_t k;
    buf_init(&k);
    buf_printf(&k, "%zu\x1f%d\x1f%" PRId64 "\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s", fi, grain, period, point,
               service, channel, dim, dv);
    size_t i = ind_map_get(&F->row_ix, k.data);
    if (i == (size_t)-1) {
        if (F->nrows == F->cap) {
            F->cap = F->cap ? F->cap * 2 : 1024;
            F->rows = xrealloc(F->rows, F->cap * sizeof *F->rows);
        }
        i = F->nrows++;
        F->rows[i] = (fold_row_t){ .form = fi, .grain = grain, .period = period,
                                   .point = xstrdup(point), .service = xstrdup(service),
                                   .channel = xstrdup(channel), .dim = xstrdup(dim), .dv = xstrdup(dv) };
        ind_map_put(&F->row_ix, k.data, i);
    }
    buf_free(&k);
    return &F->rows[i];
}

/* A sparse vector: the slots one response adds to. */
typedef struct sparse {
    long   *slot;
    double *val;
    size_t  n, cap;
} sparse_t;

static void sparse_add(sparse_t *s, long slot, double v)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->slot = xrealloc(s->slot, s->cap * sizeof *s->slot);
        s->val = xrealloc(s->val, s->cap * sizeof *s->val);
    }
    s->slot[s->n] = slot;
    s->val[s->n++] = v;
}

static void row_add(fold_row_t *r, const sparse_t *s, size_t nslots)
{
    if (r->nv < nslots) {
        r->v = xrealloc(r->v, nslots * sizeof *r->v);
        memset(r->v + r->nv, 0, (nslots - r->nv) * sizeof *r->v);
        r->nv = nslots;
    }
    for (size_t i = 0; i < s->n; i++) r->v[s->slot[i]] += s->val[i];
}

static const char *answer(const resp_t *r, const char *q)
{
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->q[i], q)) return r->v[i];
    return NULL;
}

static bool tracked(const ind_layout_form_t *lf, const char *q)
{
    size_t lo = 0, hi = lf->ntracked;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(lf->tracked[mid], q);
        if (!c) return true;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return false;
}

/* A rating answer 1..k, or 0. */
static int rating(const char *v, int k)
{
    if (!v || v[0] < '1' || v[0] > '9' || v[1]) return 0;
    int x = v[0] - '0';
    return x <= k ? x : 0;
}

/* The slots response r adds to; false on a database error. */
static bool response_vector(fold_t *F, size_t fi, const resp_t *r, sparse_t *s)
{
    const ind_layout_form_t *lf = F->forms[fi].lf;
    long sl = slot_of(F, fi, "#");
    if (sl < 0) return false;
    sparse_add(s, sl, 1);
    buf_t name;
    buf_init(&name);
    bool ok = true;
    for (size_t i = 0; ok && i < r->n; i++) {
        if (!tracked(lf, r->q[i])) continue;
        buf_reset(&name);
        buf_printf(&name, "%s=%s", r->q[i], r->v[i]);
        ok = (sl = slot_of(F, fi, name.data)) >= 0;
        if (ok) sparse_add(s, sl, 1);
    }
    for (size_t m = 0; ok && m < lf->nmulti; m++) {
        const ind_def_t *d = lf->multi[m];
        int sum = 0, k = 0;
        for (size_t i = 0; i < d->nitems; i++) {
            int x = rating(answer(r, d->items[i]), d->scale);
            if (x) {
                sum += x;
                k++;
            }
        }
        if (!k) continue;
        double mean = (double)sum / k;
        static const char *const part[3] = { "n", "s", "ss" };
        const double val[3] = { 1, mean, mean * mean };
        for (int p = 0; ok && p < 3; p++) {
            buf_reset(&name);
            buf_printf(&name, "i:%s:%s", d->id, part[p]);
            ok = (sl = slot_of(F, fi, name.data)) >= 0;
            if (ok) sparse_add(s, sl, val[p]);
        }
    }
    buf_free(&name);
    return ok;
}

static bool fold_response(fold_t *F, const resp_t *r, sparse_t *s)
{
    size_t fi = F->L->nf;
    for (size_t i = 0; i < F->L->nf; i++)
        if (!strcmp(F->L->f[i].form, r->form)) fi = i;
    if (fi == F->L->nf) return true;     /* a form without indicators */
    s->n = 0;
    if (!response_vector(F, fi, r, s)) return false;
    const char *service = answer(r, "servicio");
    if (!service) service = "";
    /* The groups this response belongs to: the total, each demographic
     * answer that is not "prefer not to say", language and channel. */
    const char *dim[IND_DIM_IDIOMA + 4], *dv[IND_DIM_IDIOMA + 4];
    size_t nd = 0;
    dim[nd] = "";
    dv[nd++] = "";
    for (int d = 0; d <= IND_DIM_IDIOMA; d++) {
        const char *v = answer(r, ind_answer_dims[d]);
        if (v && *v && strcmp(v, "nr")) {
            dim[nd] = ind_answer_dims[d];
            dv[nd++] = v;
        }
    }
    dim[nd] = IND_STORED_LANG;
    dv[nd++] = r->lang;
    /* Older generators wrote "paper": it is the channel papel. */
    const char *channel = ind_channel_norm(r->channel);
    dim[nd] = IND_STORED_CANAL;
    dv[nd++] = channel;
    int64_t day = bizdays_from_time(r->hour);
    size_t nslots = F->forms[fi].nslots;
    for (int g = GRAIN_DAY; g <= GRAIN_MONTH; g++) {
        int64_t period = g == GRAIN_DAY ? day : ind_day_to_ym(day);
        for (size_t k = 0; k < nd; k++)
            row_add(row_get(F, fi, g, period, r->point, service, channel, dim[k], dv[k]), s, nslots);
    }
    F->folded++;
    return true;
}

/* Write the rows accumulated in memory, adding to what is stored. */
static bool flush(fold_t *F)
{
    sqlite3_stmt *get = F->st[S_AGG_GET], *put = F->st[S_AGG_PUT];
    double *tmp = NULL;
    size_t tmpn = 0;
    buf_t b;
    buf_init(&b);
    bool ok = true;
    for (size_t i = 0; ok && i < F->nrows; i++) {
        fold_row_t *r = &F->rows[i];
        const char *form = F->L->f[r->form].form;
        size_t n = F->forms[r->form].nslots;
        if (tmpn < n) tmp = xrealloc(tmp, (tmpn = n) * sizeof *tmp);
        memset(tmp, 0, n * sizeof *tmp);
        for (size_t k = 0; k < r->nv; k++) tmp[k] = r->v[k];
        sqlite3_stmt *both[2] = { get, put };
        for (int s = 0; s < 2; s++) {
            sqlite3_bind_text(both[s], 1, form, -1, SQLITE_STATIC);
            sqlite3_bind_int(both[s], 2, r->grain);
            sqlite3_bind_int64(both[s], 3, r->period);
            sqlite3_bind_text(both[s], 4, r->point, -1, SQLITE_STATIC);
            sqlite3_bind_text(both[s], 5, r->service, -1, SQLITE_STATIC);
            sqlite3_bind_text(both[s], 6, r->dim, -1, SQLITE_STATIC);
            sqlite3_bind_text(both[s], 7, r->dv, -1, SQLITE_STATIC);
            sqlite3_bind_text(both[s], 8, r->channel, -1, SQLITE_STATIC);
        }
        int rc = sqlite3_step(get);
        if (rc == SQLITE_ROW) {
            double *t = tmp;
            if (!decode_add(sqlite3_column_blob(get, 0), (size_t)sqlite3_column_bytes(get, 0), &t, 1, n)) {
                fprintf(stderr, "store: indicators: a stored aggregate is damaged\n");
                ok = false;
            }
        } else if (rc != SQLITE_DONE) {
            log_db(F->db, "read aggregate");
            ok = false;
        }
        sqlite3_reset(get);
        buf_reset(&b);
        encode(&b, tmp, n);
        sqlite3_bind_blob(put, 9, b.data ? b.data : "", (int)b.len, SQLITE_STATIC);
        if (ok && sqlite3_step(put) != SQLITE_DONE) {
            log_db(F->db, "write aggregate");
            ok = false;
        }
        sqlite3_reset(put);
    }
    for (size_t i = 0; i < F->nrows; i++) {
        fold_row_t *r = &F->rows[i];
        free(r->point);
        free(r->service);
        free(r->channel);
        free(r->dim);
        free(r->dv);
        free(r->v);
    }
    F->nrows = 0;
    ind_map_free(&F->row_ix);
    free(tmp);
    buf_free(&b);
    return ok;
}

static void resp_clear(resp_t *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->q[i]);
        free(r->v[i]);
    }
    free(r->form);
    free(r->point);
    free(r->lang);
    free(r->channel);
    r->form = r->point = r->lang = r->channel = NULL;
    r->n = 0;
}

/* Read responses (lo, hi] with their answers and fold each one. */
static bool fold_range(fold_t *F, int64_t lo, int64_t hi)
{
    sqlite3_stmt *st;
    if (!prepare(F->db,
                 "SELECT r.id, r.form_id, coalesce(r.point_id, ''), r.lang, r.channel,"
                 " r.submitted_hour, a.question, a.value FROM responses r"
                 " LEFT JOIN answers a ON a.response_id = r.id"
                 " WHERE r.id > ?1 AND r.id <= ?2 ORDER BY r.id",
                 &st))
        return false;
    sqlite3_bind_int64(st, 1, lo);
    sqlite3_bind_int64(st, 2, hi);
    resp_t r = { .id = -1 };
    sparse_t s = { 0 };
    bool ok = true;
    int rc = SQLITE_DONE;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (id != r.id) {
            if (r.id >= 0) ok = fold_response(F, &r, &s);
            if (ok && F->nrows >= FLUSH_ROWS) ok = flush(F);
            resp_clear(&r);
            r.id = id;
            r.form = xstrdup(col_text(st, 1));
            r.point = xstrdup(col_text(st, 2));
            r.lang = xstrdup(col_text(st, 3));
            r.channel = xstrdup(col_text(st, 4));
            r.hour = sqlite3_column_int64(st, 5);
        }
        if (sqlite3_column_type(st, 6) == SQLITE_NULL) continue;
        if (r.n == r.cap) {
            r.cap = r.cap ? r.cap * 2 : 32;
            r.q = xrealloc(r.q, r.cap * sizeof *r.q);
            r.v = xrealloc(r.v, r.cap * sizeof *r.v);
        }
        r.q[r.n] = xstrdup(col_text(st, 6));
        r.v[r.n++] = xstrdup(col_text(st, 7));
    }
    if (ok && rc != SQLITE_DONE) {
        log_db(F->db, "read responses");
        ok = false;
    }
    if (ok && r.id >= 0) ok = fold_response(F, &r, &s);
    resp_clear(&r);
    free(r.q);
    free(r.v);
    free(s.slot);
    free(s.val);
    sqlite3_finalize(st);
    return flush(F) && ok;
}

static bool exec(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK) return true;
    log_db(db, sql);
    return false;
}

/* Single-value query of an integer (0 when NULL); false on error. */
static bool query_int(sqlite3 *db, const char *sql, int64_t *out)
{
    sqlite3_stmt *st;
    if (!prepare(db, sql, &st)) return false;
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE) return true;
    log_db(db, sql);
    return false;
}

/* The state: *last folded id, or -1 when the aggregates do not match hash
 * (or were invalidated). */
static bool read_state(sqlite3 *db, const char *hash, int64_t *last)
{
    sqlite3_stmt *st;
    if (!prepare(db, "SELECT defs_hash, last_response FROM ind_state WHERE id = 1", &st))
        return false;
    int rc = sqlite3_step(st);
    *last = rc == SQLITE_ROW && !strcmp(col_text(st, 0), hash) ? sqlite3_column_int64(st, 1) : -1;
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE) return true;
    log_db(db, "read state");
    return false;
}

static bool load_fold_slots(fold_t *F)
{
    sqlite3_stmt *st;
    if (!prepare(F->db, "SELECT form_id, slot, name FROM ind_slots", &st)) return false;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (size_t i = 0; i < F->L->nf; i++) {
            if (strcmp(F->L->f[i].form, col_text(st, 0))) continue;
            size_t slot = (size_t)sqlite3_column_int64(st, 1);
            ind_map_put(&F->forms[i].slots, col_text(st, 2), slot);
            if (slot + 1 > F->forms[i].nslots) F->forms[i].nslots = slot + 1;
        }
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE) return true;
    log_db(F->db, "read slots");
    return false;
}

typedef struct sync_ctx {
    const ind_layout_t *L;
    int64_t folded;
} sync_ctx_t;

/* One step of a catch-up, inside a write transaction. */
static int fold_step(sqlite3 *db, void *arg)
{
    sync_ctx_t *c = arg;
    int64_t last, max;
    if (!read_state(db, c->L->hash, &last)) return STORE_ERR;
    if (last < 0) {
        /* DELETE without WHERE truncates: fast even for big tables. */
        sqlite3_stmt *st;
        if (!exec(db, "DELETE FROM ind_agg; DELETE FROM ind_slots; DELETE FROM ind_state") ||
            !prepare(db, "INSERT INTO ind_state(id, defs_hash, last_response) VALUES(1, ?1, 0)", &st))
            return STORE_ERR;
        sqlite3_bind_text(st, 1, c->L->hash, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            log_db(db, "reset state");
            return STORE_ERR;
        }
        last = 0;
    }
    if (!query_int(db, "SELECT max(id) FROM responses", &max)) return STORE_ERR;
    if (last >= max) return STORE_OK;
    int64_t hi = max - last > CHUNK ? last + CHUNK : max;

    fold_t F = { .L = c->L, .db = db };
    F.forms = xcalloc(c->L->nf + 1, sizeof *F.forms);
    for (size_t i = 0; i < c->L->nf; i++) F.forms[i].lf = &c->L->f[i];
    bool ok = prepare(db, "INSERT INTO ind_slots(form_id, slot, name) VALUES(?1, ?2, ?3)", &F.st[S_SLOT_INS])
           && prepare(db, "SELECT data FROM ind_agg WHERE form_id = ?1 AND grain = ?2 AND period = ?3"
                          " AND point_id = ?4 AND service = ?5 AND dim = ?6 AND dv = ?7 AND channel = ?8",
                          &F.st[S_AGG_GET])
           && prepare(db, "INSERT OR REPLACE INTO ind_agg(form_id, grain, period, point_id, service, dim,"
                          " dv, channel, data) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", &F.st[S_AGG_PUT])
           && load_fold_slots(&F) && fold_range(&F, last, hi);
    if (ok) {
        sqlite3_stmt *st;
        ok = prepare(db, "UPDATE ind_state SET last_response = ?1 WHERE id = 1", &st);
        if (ok) {
            sqlite3_bind_int64(st, 1, hi);
            ok = sqlite3_step(st) == SQLITE_DONE;
            if (!ok) log_db(db, "update state");
            sqlite3_finalize(st);
        }
    }
    finalize_all(F.st, S_N);
    for (size_t i = 0; i < c->L->nf; i++) ind_map_free(&F.forms[i].slots);
    free(F.forms);
    free(F.rows);
    ind_map_free(&F.row_ix);
    if (!ok) return STORE_ERR;
    c->folded += F.folded;
    return hi < max ? FOLD_MORE : STORE_OK;
}

typedef struct uptodate_ctx {
    const char *hash;
    bool yes;
} uptodate_ctx_t;

static int check_uptodate(sqlite3 *db, void *arg)
{
    uptodate_ctx_t *c = arg;
    int64_t last, max;
    if (!read_state(db, c->hash, &last) || !query_int(db, "SELECT max(id) FROM responses", &max))
        return STORE_ERR;
    c->yes = last >= 0 && last >= max;
    return STORE_OK;
}

store_rc_t store_ind_sync(store_t *s, const ind_layout_t *l, int64_t *folded)
{
    sync_ctx_t c = { .L = l };
    if (folded) *folded = 0;
    /* Most calls find nothing new: check on the read connection first so
     * that a dashboard view never waits for the write lock. */
    uptodate_ctx_t u = { l->hash, false };
    if (store_read(s, check_uptodate, &u) != STORE_OK) return STORE_ERR;
    int rc = u.yes ? STORE_OK : FOLD_MORE;
    while (rc == FOLD_MORE) rc = store_write_txn(s, fold_step, &c);
    if (folded) *folded = c.folded;
    return rc == STORE_OK ? STORE_OK : STORE_ERR;
}

/* ---- loading for a query ----------------------------------------------------------- */

/* A period range of one grain: rows with lo <= period <= hi. */
typedef struct range {
    int     grain;
    int64_t lo, hi;
} range_t;

/* One filter of a load: its rows' ranges, and where its rows go. */
typedef struct load_one {
    const ind_filter_t *f;
    unsigned            dims;
    ind_accs_t         *out;
    range_t             r[3];
    size_t              nr;
} load_one_t;

typedef struct load_ctx {
    const char *form;
    load_one_t *q;
    size_t      nq;
} load_ctx_t;

/* Stored dimension name -> ind_dim_t, or -1 for the total, -2 unknown. */
static int stored_dim(const char *s)
{
    if (!*s) return -1;
    for (int d = 0; d <= IND_DIM_IDIOMA; d++)
        if (!strcmp(s, ind_answer_dims[d])) return d;
    if (!strcmp(s, IND_STORED_LANG)) return IND_DIM_LANG;
    if (!strcmp(s, IND_STORED_CANAL)) return IND_DIM_CANAL;
    return -2;
}

static bool load_slots(sqlite3 *db, const char *form, ind_accs_t *x)
{
    sqlite3_stmt *st;
    if (!prepare(db, "SELECT slot, name FROM ind_slots WHERE form_id = ?1 ORDER BY slot", &st))
        return false;
    sqlite3_bind_text(st, 1, form, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        /* Slots are numbered 0, 1, 2... in the order they appeared. */
        if (sqlite3_column_int64(st, 0) != (int64_t)x->nslots) {
            rc = SQLITE_CORRUPT;
            break;
        }
        x->slot = xrealloc(x->slot, (x->nslots + 1) * sizeof *x->slot);
        x->slot[x->nslots] = xstrdup(col_text(st, 1));
        ind_map_put(&x->slot_ix, x->slot[x->nslots], x->nslots);
        x->nslots++;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE) return true;
    fprintf(stderr, "store: indicators: cannot read the slots of %s\n", form);
    return false;
}

/* Give to the slot names of from (the same snapshot's). */
static void copy_slots(const ind_accs_t *from, ind_accs_t *to)
{
    to->slot = xcalloc(from->nslots + 1, sizeof *to->slot);
    for (size_t i = 0; i < from->nslots; i++) {
        to->slot[i] = xstrdup(from->slot[i]);
        ind_map_put(&to->slot_ix, to->slot[i], i);
    }
    to->nslots = from->nslots;
}

static int64_t month_first_day(int ym)
{
    return bizdays_from_civil(ym / 12, ym % 12 + 1, 1);
}

/* The rows a filter's period [from, to] reads into r (at most three;
 * returns how many): its whole months from grain 1 rows, the days of the
 * partial months at its ends from grain 0 rows. */
static size_t period_ranges(const ind_filter_t *f, range_t r[3])
{
    int64_t from = f->from_day, to = f->to_day;
    int64_t mlo = INT64_MIN, mhi = INT64_MAX;   /* whole months */
    size_t n = 0;
    if (from != IND_DAY_MIN) {
        int ym = ind_day_to_ym(from);
        mlo = month_first_day(ym) == from ? ym : ym + 1;
    }
    if (to != IND_DAY_MAX) {
        int ym = ind_day_to_ym(to);
        mhi = month_first_day(ym + 1) - 1 == to ? ym : ym - 1;
    }
    if (mlo > mhi) {
        if (from <= to) r[n++] = (range_t){ GRAIN_DAY, from, to };
        return n;
    }
    r[n++] = (range_t){ GRAIN_MONTH, mlo, mhi };
    if (from != IND_DAY_MIN && from < month_first_day((int)mlo))
        r[n++] = (range_t){ GRAIN_DAY, from, month_first_day((int)mlo) - 1 };
    if (to != IND_DAY_MAX && to >= month_first_day((int)mhi + 1))
        r[n++] = (range_t){ GRAIN_DAY, month_first_day((int)mhi + 1), to };
    return n;
}

static int cmp_range(const void *a, const void *b)
{
    const range_t *x = a, *y = b;
    if (x->grain != y->grain) return x->grain < y->grain ? -1 : 1;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* The value every filter of c has in one of its text fields (offset of a
 * const char * in ind_filter_t), or NULL (no SQL restriction) when one
 * has none or they differ: the rows are then told apart in C. */
static const char *common(const load_ctx_t *c, size_t field)
{
    const char *v = *(const char *const *)((const char *)c->q[0].f + field);
    for (size_t k = 1; k < c->nq && v; k++) {
        const char *w = *(const char *const *)((const char *)c->q[k].f + field);
        if (!w || strcmp(v, w)) v = NULL;
    }
    return v;
}

static bool text_matches(const char *want, const char *have)
{
    return !want || !strcmp(want, have);
}

/* Whether a row (its grain, period, point, service, channel) is one q
 * reads. */
static bool row_in(const load_one_t *q, int grain, int64_t period, const char *point, const char *service,
                   const char *channel)
{
    bool in = false;
    for (size_t i = 0; i < q->nr && !in; i++)
        in = q->r[i].grain == grain && period >= q->r[i].lo && period <= q->r[i].hi;
    return in && text_matches(q->f->point, point) && text_matches(q->f->service, service) &&
           text_matches(q->f->channel, channel);
}

/* The rows read by the same set of filters (mask: bit k for c->q[k]),
 * summed once into acc for the breakdowns any of them asks (dims); each
 * filter of the set gets the sums afterwards (fan_out). */
typedef struct group {
    uint64_t   mask;
    unsigned   dims;
    ind_accs_t acc;
} group_t;

/* Append to t the accumulators of g that a row of breakdown dim, group
 * dv (and, for the total, point, service and month) adds to. */
static void row_targets(group_t *g, int grain, int64_t period, const char *point, const char *service,
                        int dim, const char *dv, double **t, size_t *nt)
{
    ind_accs_t *x = &g->acc;
    if (dim == -1) {
        t[(*nt)++] = ind_accs_get(x, -1, "")->v;
        if (g->dims & 1u << IND_DIM_PUNTO) t[(*nt)++] = ind_accs_get(x, IND_DIM_PUNTO, point)->v;
        if (g->dims & 1u << IND_DIM_SERVICIO) t[(*nt)++] = ind_accs_get(x, IND_DIM_SERVICIO, service)->v;
        if (g->dims & 1u << IND_DIM_MES) {
            int ym = grain == GRAIN_MONTH ? (int)period : ind_day_to_ym(period);
            char month[IND_MONTH_KEY_SIZE];
            ind_month_key_format(ym, month);
            t[(*nt)++] = ind_accs_get(x, IND_DIM_MES, month)->v;
        }
    } else if (dim >= 0 && (g->dims & 1u << dim)) {
        t[(*nt)++] = ind_accs_get(x, dim, dv)->v;
    }
}

/* The group of the filters in mask, made when new. */
static group_t *group_of(group_t **gs, size_t *ng, const load_ctx_t *c, uint64_t mask)
{
    for (size_t i = 0; i < *ng; i++)
        if ((*gs)[i].mask == mask) return &(*gs)[i];
    *gs = xrealloc(*gs, (*ng + 1) * sizeof **gs);
    group_t *g = &(*gs)[(*ng)++];
    memset(g, 0, sizeof *g);
    g->mask = mask;
    g->acc.nslots = c->q[0].out->nslots;
    for (size_t k = 0; k < c->nq; k++)
        if (mask >> k & 1) g->dims |= c->q[k].dims;
    return g;
}

/* Add each group's sums to the accumulators of each of its filters (the
 * breakdowns each asked), and free the groups. */
static void fan_out(const load_ctx_t *c, group_t *gs, size_t ng)
{
    for (size_t i = 0; i < ng; i++) {
        const ind_accs_t *x = &gs[i].acc;
        for (size_t k = 0; k < c->nq; k++) {
            if (!(gs[i].mask >> k & 1)) continue;
            for (size_t j = 0; j < x->n; j++) {
                const ind_acc_t *a = &x->a[j];
                if (a->dim >= 0 && !(c->q[k].dims & 1u << a->dim)) continue;
                double *v = ind_accs_get(c->q[k].out, a->dim, a->key)->v;
                for (size_t sl = 0; sl < x->nslots; sl++) v[sl] += a->v[sl];
            }
        }
        gs[i].acc.nslots = 0;   /* it has no slot names of its own */
        ind_accs_free(&gs[i].acc);
    }
    free(gs);
}

/* Add the rows of one grain and period range to the accumulators of
 * every filter of c that reads them. Each row is decoded once, into the
 * group of the filters that read it (a query and its ancestors: a few
 * groups), whatever the number of filters; the groups' sums are then
 * added to each filter's. */
static bool load_range(sqlite3 *db, const load_ctx_t *c, int grain, int64_t lo, int64_t hi)
{
    sqlite3_stmt *st;
    if (!prepare(db, "SELECT period, point_id, service, channel, dim, dv, data FROM ind_agg"
                     " WHERE form_id = ?1 AND grain = ?2 AND period BETWEEN ?3 AND ?4"
                     " AND (?5 IS NULL OR point_id = ?5) AND (?6 IS NULL OR service = ?6)"
                     " AND (?7 IS NULL OR channel = ?7)", &st))
        return false;
    sqlite3_bind_text(st, 1, c->form, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, grain);
    sqlite3_bind_int64(st, 3, lo);
    sqlite3_bind_int64(st, 4, hi);
    sqlite3_bind_text(st, 5, common(c, offsetof(ind_filter_t, point)), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, common(c, offsetof(ind_filter_t, service)), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, common(c, offsetof(ind_filter_t, channel)), -1, SQLITE_STATIC);
    group_t *gs = NULL, *last = NULL;
    size_t ng = 0;
    int rc = SQLITE_DONE;
    bool ok = true;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t period = sqlite3_column_int64(st, 0);
        const char *point = col_text(st, 1), *service = col_text(st, 2), *channel = col_text(st, 3);
        uint64_t mask = 0;
        for (size_t k = 0; k < c->nq; k++)
            if (row_in(&c->q[k], grain, period, point, service, channel)) mask |= (uint64_t)1 << k;
        if (!mask) continue;
        if (!last || last->mask != mask) last = group_of(&gs, &ng, c, mask);
        double *t[4];
        size_t nt = 0;
        row_targets(last, grain, period, point, service, stored_dim(col_text(st, 4)), col_text(st, 5), t,
                    &nt);
        if (nt && !decode_add(sqlite3_column_blob(st, 6), (size_t)sqlite3_column_bytes(st, 6), t, nt,
                              c->q[0].out->nslots)) {
            fprintf(stderr, "store: indicators: a stored aggregate of %s is damaged\n", c->form);
            ok = false;
        }
    }
    if (ok && rc != SQLITE_DONE) {
        log_db(db, "read aggregates");
        ok = false;
    }
    fan_out(c, gs, ng);
    sqlite3_finalize(st);
    return ok;
}

/* Every row any filter of c reads, each once: the union of their ranges
 * (ancestors share most: the whole months nest, the partial months' days
 * are the query's), one scan per run of overlapping ranges. */
static bool load_periods(sqlite3 *db, const load_ctx_t *c)
{
    range_t *all = xcalloc(3 * c->nq + 1, sizeof *all);
    size_t n = 0;
    for (size_t k = 0; k < c->nq; k++)
        for (size_t i = 0; i < c->q[k].nr; i++) all[n++] = c->q[k].r[i];
    qsort(all, n, sizeof *all, cmp_range);
    bool ok = true;
    for (size_t i = 0; i < n && ok;) {
        range_t u = all[i++];
        while (i < n && all[i].grain == u.grain && (u.hi == INT64_MAX || all[i].lo <= u.hi + 1)) {
            if (all[i].hi > u.hi) u.hi = all[i].hi;
            i++;
        }
        ok = load_range(db, c, u.grain, u.lo, u.hi);
    }
    free(all);
    return ok;
}

static int load_fn(sqlite3 *db, void *arg)
{
    load_ctx_t *c = arg;
    /* One read transaction: slots and rows from the same snapshot. */
    if (!exec(db, "BEGIN")) return STORE_ERR;
    bool ok = load_slots(db, c->form, c->q[0].out);
    for (size_t k = 1; k < c->nq && ok; k++) copy_slots(c->q[0].out, c->q[k].out);
    ok = ok && load_periods(db, c);
    if (!exec(db, "COMMIT")) ok = false;
    return ok ? STORE_OK : STORE_ERR;
}

store_rc_t store_ind_load_many(store_t *s, const char *form, const ind_filter_t *fs, const unsigned *dims,
                               size_t nf, ind_accs_t *outs)
{
    if (!nf) return STORE_OK;
    if (nf > STORE_IND_LOAD_MAX) return STORE_ERR;
    load_one_t *q = xcalloc(nf, sizeof *q);
    for (size_t k = 0; k < nf; k++) {
        q[k] = (load_one_t){ .f = &fs[k], .dims = dims[k], .out = &outs[k] };
        q[k].nr = period_ranges(&fs[k], q[k].r);
    }
    load_ctx_t c = { form, q, nf };
    store_rc_t rc = store_read(s, load_fn, &c);
    free(q);
    return rc;
}

store_rc_t store_ind_load(store_t *s, const char *form, const ind_filter_t *f, unsigned dims,
                          ind_accs_t *out)
{
    return store_ind_load_many(s, form, f, &dims, 1, out);
}
