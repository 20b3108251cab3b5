/*
 * export.c: a form's raw responses for the downloads (export.h). Calls
 * store/store_export.h only. The second part of a large download is read
 * on a thread started here (export_rows_parts).
 */
#include "service/export.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/buf.h"
#include "model/geo.h"
#include "model/form_repeat.h"
#include "store/store_export.h"

const char *export_fixed_col(int i)
{
    assert(i >= 0 && i < EXPORT_FIXED_COLS);
    return export_fixed_cols[i];
}

export_kind_t export_fixed_kind(int i)
{
    assert(i >= 0 && i < EXPORT_FIXED_COLS);
    /* respuesta_id, version_formulario, fecha_hora, punto,
     * idioma_interfaz, canal, segundos */
    static const export_kind_t kinds[EXPORT_FIXED_COLS] = {
        EXPORT_NUMBER, EXPORT_TEXT, EXPORT_DATE_HOUR, EXPORT_TEXT, EXPORT_TEXT, EXPORT_TEXT, EXPORT_NUMBER,
    };
    return kinds[i];
}

/* A choice name that is a plain whole number ("1" .. "5"). */
static bool integer_name(const char *s)
{
    if (*s == '-') s++;
    return *s && strspn(s, "0123456789") == strlen(s) && strlen(s) < 10;
}

/* What question q's answers are in a download (export.h). */
static export_kind_t kind_of(const question_t *q)
{
    switch (q->type) {
    case Q_INTEGER:
    case Q_DECIMAL: return EXPORT_NUMBER;
    case Q_DATE: return EXPORT_DATE;
    case Q_RANGE: return EXPORT_NUMBER;
    case Q_DATETIME: return EXPORT_DATE_HOUR;
    case Q_IMAGE: case Q_AUDIO: case Q_VIDEO: case Q_FILE: return EXPORT_MEDIA;
    case Q_SELECT_ONE: {
        const choice_list_t *l = q->list;
        if (!l || !l->nchoices || q->other) return EXPORT_TEXT;   /* "other" is a name */
        for (size_t i = 0; i < l->nchoices; i++)
            if (!integer_name(l->choices[i].name)) return EXPORT_TEXT;
        return EXPORT_NUMBER;
    }
    default: return EXPORT_TEXT;
    }
}

static bool has_col(const export_columns_t *k, const char *name)
{
    for (size_t i = 0; i < k->n; i++)
        if (!strcmp(k->v[i], name)) return true;
    return false;
}

/* A question name the stored answers have: a column unless the form has it. */
static void add_data_col(void *arg, const char *q)
{
    export_columns_t *k = arg;
    if (has_col(k, q) || strchr(q, '[')) return;   /* "persona[2].edad": the repeat's sheet (issue 16) */
    k->extra = xrealloc(k->extra, (k->nextra + 1) * sizeof *k->extra);
    k->extra[k->nextra++] = xstrdup(q);
    k->v = xrealloc(k->v, (k->n + 1) * sizeof *k->v);
    k->kind = xrealloc(k->kind, (k->n + 1) * sizeof *k->kind);
    k->kind[k->n] = EXPORT_TEXT;
    k->v[k->n++] = k->extra[k->nextra - 1];
}

/* The columns a geopoint adds after its own (export.h), named as
 * KoboToolbox names them. */
static const char *const geo_suffix[4] = { "latitude", "longitude", "altitude", "precision" };

static void add_geo_cols(const form_t *f, export_columns_t *k)
{
    size_t ngeo = 0;
    for (size_t i = 0; i < k->n; i++) {
        const question_t *q = form_question(f, k->v[i]);
        ngeo += q && q->type == Q_GEOPOINT;
    }
    if (!ngeo) return;
    size_t n = k->n + 4 * ngeo;
    const char **v = xcalloc(n, sizeof *v);
    export_kind_t *kind = xcalloc(n, sizeof *kind);
    k->from = xcalloc(n, sizeof *k->from);
    k->part = xcalloc(n, sizeof *k->part);
    size_t o = 0;
    for (size_t i = 0; i < k->n; i++) {
        v[o] = k->v[i], kind[o] = k->kind[i], k->from[o] = (int)i, k->part[o++] = -1;
        const question_t *q = form_question(f, k->v[i]);
        if (!q || q->type != Q_GEOPOINT) continue;
        for (int p = 0; p < 4; p++) {
            buf_t b;
            buf_init(&b);
            buf_printf(&b, "_%s_%s", k->v[i], geo_suffix[p]);
            k->extra = xrealloc(k->extra, (k->nextra + 1) * sizeof *k->extra);
            k->extra[k->nextra++] = buf_steal(&b);
            v[o] = k->extra[k->nextra - 1], kind[o] = EXPORT_NUMBER, k->from[o] = (int)i, k->part[o++] = (signed char)p;
        }
    }
    free(k->kind);
    k->kind = kind;
    k->v = v;
    k->n = n;
}

/* A row of the store's columns handed on with the geopoints' numbers
 * added (export.h); the callback and its argument, per part. */
typedef struct geo_wrap {
    void (*cb)(void *arg, const export_row_t *row);
    void *arg;
    const export_columns_t *k;
} geo_wrap_t;

static void geo_row(void *arg, const export_row_t *row)
{
    const geo_wrap_t *w = arg;
    const export_columns_t *k = w->k;
    const char **vals = xcalloc(k->n, sizeof *vals);
    char (*num)[32] = xcalloc(k->n, sizeof *num);
    for (size_t i = 0; i < k->n; i++) {
        const char *raw = row->vals[k->from[i]];
        geo_point_t p;
        if (k->part[i] < 0) vals[i] = raw;
        else if (raw && geo_point_parse(raw, &p) == GEO_OK) {
            double d[4] = { p.lat, p.lon, p.alt, p.acc };
            snprintf(num[i], sizeof num[i], "%.15g", d[k->part[i]]);
            vals[i] = num[i];
        }
    }
    export_row_t out = *row;
    out.vals = vals;
    w->cb(w->arg, &out);
    free(num);
    free(vals);
}

store_rc_t export_columns(store_t *s, const form_t *f, export_columns_t *k)
{
    assert(s && f && k);
    memset(k, 0, sizeof *k);
    k->v = xcalloc(f->nq + 1, sizeof *k->v);
    k->kind = xcalloc(f->nq + 1, sizeof *k->kind);
    for (size_t i = 0; i < f->nq; i++)
        if (form_q_answerable(&f->q[i]) && form_repeat_of(f, i) < 0) {   /* issue 16: repeats apart */
            k->kind[k->n] = kind_of(&f->q[i]);
            k->v[k->n++] = f->q[i].name;
        }
    store_rc_t rc = store_export_questions(s, f->id, add_data_col, k);
    k->sv = k->v;
    k->sn = k->n;
    add_geo_cols(f, k);
    return rc;
}

void export_columns_free(export_columns_t *k)
{
    if (k->sv != k->v) {
        free(k->sv);
        free(k->from);
        free(k->part);
    }
    for (size_t i = 0; i < k->nextra; i++) free(k->extra[i]);
    free(k->extra);
    free(k->v);
    free(k->kind);
    memset(k, 0, sizeof *k);
}

store_rc_t export_rows(store_t *s, const char *form_id, const export_columns_t *k,
                       void (*cb)(void *arg, const export_row_t *row), void *arg)
{
    if (k->sv != k->v) {
        geo_wrap_t w = { cb, arg, k };
        return store_export_rows(s, form_id, k->sv, k->sn, geo_row, &w);
    }
    return store_export_rows(s, form_id, k->v, k->n, cb, arg);
}

store_rc_t export_plan(store_t *s, const char *form_id, export_plan_t *p)
{
    assert(s && form_id && p);
    store_rc_t rc = store_export_split(s, form_id, EXPORT_SPLIT_MIN, &p->mid, &p->max);
    p->split = rc == STORE_OK && p->mid < p->max;
    return rc;
}

/* The second part, run by part2_main. */
typedef struct part2 {
    store_t                *s;
    const char             *form_id;
    const export_columns_t *k;
    int64_t                 lo, hi;
    void                  (*cb)(void *arg, const export_row_t *row);
    void                   *arg;
    store_rc_t              rc;
} part2_t;

static void *part2_main(void *arg)
{
    part2_t *p = arg;
    /* Per thread on Linux: at least the heavy workers' nice +10, so the
     * page threads still get the processor first (http_heavy.c). */
    id_t tid = (id_t)syscall(SYS_gettid);
    errno = 0;
    int nice = getpriority(PRIO_PROCESS, tid);
    if (errno || nice < 10) (void)setpriority(PRIO_PROCESS, tid, 10);
    p->rc = store_export_rows_own(p->s, p->form_id, p->k->sv, p->k->sn, p->lo, p->hi, p->cb, p->arg);
    return NULL;
}

store_rc_t export_rows_parts(store_t *s, const char *form_id, const export_columns_t *k,
                             const export_plan_t *p, void (*cb)(void *arg, const export_row_t *row),
                             void *arg1, void *arg2)
{
    assert(s && form_id && k && p && cb);
    geo_wrap_t w1 = { cb, arg1, k }, w2 = { cb, arg2, k };
    if (k->sv != k->v) cb = geo_row, arg1 = &w1, arg2 = &w2;
    part2_t two = { s, form_id, k, p->mid, p->max, cb, arg2, STORE_ERR };
    pthread_t t;
    /* Without the thread, part 2 is read here after part 1: slower, the
     * same rows. */
    bool threaded = p->split && pthread_create(&t, NULL, part2_main, &two) == 0;
    store_rc_t rc = store_export_rows_range(s, form_id, k->sv, k->sn, INT64_MIN, p->mid, cb, arg1);
    if (threaded) pthread_join(t, NULL);
    else if (p->split) two.rc = store_export_rows_own(s, form_id, k->sv, k->sn, p->mid, p->max, cb, arg2);
    return rc == STORE_OK && (!p->split || two.rc == STORE_OK) ? STORE_OK : STORE_ERR;
}

/* ---- repeats (issue 16) ---------------------------------------------- */

const char *const export_repeat_fixed_cols[EXPORT_REPEAT_FIXED] = { "respuesta_id", "repeticion", "indice" };

size_t export_repeats(const form_t *f, export_repeat_t **out)
{
    *out = NULL;
    size_t n = 0;
    for (size_t i = 0; i < f->nq; i++) {
        if (f->q[i].type != Q_BEGIN_GROUP || !f->q[i].repeat) continue;
        *out = xrealloc(*out, (n + 1) * sizeof **out);
        export_repeat_t *r = &(*out)[n++];
        memset(r, 0, sizeof *r);
        r->sheet = f->q[i].name;
        r->pattern = form_repeat_pattern(f, i);
        size_t pl = strcspn(r->pattern, "[");
        r->prefix = xmalloc(pl + 2);
        memcpy(r->prefix, r->pattern, pl + 1);
        r->prefix[pl + 1] = '\0';
        r->cols = xcalloc(f->nq, sizeof *r->cols);
        r->kind = xcalloc(f->nq, sizeof *r->kind);
        for (size_t j = i + 1; j < f->nq; j++)
            if (form_q_answerable(&f->q[j]) && form_repeat_of(f, j) == (int)i) {
                r->kind[r->n] = kind_of(&f->q[j]);
                r->cols[r->n++] = f->q[j].name;
            }
    }
    return n;
}

void export_repeats_free(export_repeat_t *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(r[i].pattern);
        free(r[i].prefix);
        free(r[i].cols);
        free(r[i].kind);
    }
    free(r);
}

/* One instance of one response being gathered. */
typedef struct inst {
    char *path;     /* "persona[2]" */
    char **vals;    /* per column, owned, NULL when not answered */
} inst_t;

typedef struct rep_rows {
    const export_repeat_t *r;
    void (*cb)(void *arg, const char *const *cells);
    void *arg;
    int64_t rid;
    inst_t *inst;
    size_t ninst;
} rep_rows_t;

/* Instances in order of their indexes ("persona[2]" before "persona[10]"). */
static int inst_cmp(const void *a, const void *b)
{
    const char *p = ((const inst_t *)a)->path, *q = ((const inst_t *)b)->path;
    while (*p && *q) {
        if (*p == '[' && *q == '[') {
            long x = strtol(p + 1, (char **)&p, 10), y = strtol(q + 1, (char **)&q, 10);
            if (x != y) return x < y ? -1 : 1;
            continue;
        }
        if (*p != *q) return (unsigned char)*p < (unsigned char)*q ? -1 : 1;
        p++, q++;
    }
    return *p ? 1 : *q ? -1 : 0;
}

static void rep_flush(rep_rows_t *g)
{
    if (!g->ninst) return;
    qsort(g->inst, g->ninst, sizeof *g->inst, inst_cmp);
    const char **cells = xcalloc(EXPORT_REPEAT_FIXED + g->r->n, sizeof *cells);
    char id[24], idx[24];
    snprintf(id, sizeof id, "%lld", (long long)g->rid);
    for (size_t i = 0; i < g->ninst; i++) {
        inst_t *in = &g->inst[i];
        const char *ob = strrchr(in->path, '[');
        snprintf(idx, sizeof idx, "%ld", ob ? strtol(ob + 1, NULL, 10) : 0L);
        cells[0] = id;
        cells[1] = in->path;
        cells[2] = idx;
        for (size_t c = 0; c < g->r->n; c++) cells[EXPORT_REPEAT_FIXED + c] = in->vals[c];
        g->cb(g->arg, cells);
        for (size_t c = 0; c < g->r->n; c++) free(in->vals[c]);
        free(in->vals);
        free(in->path);
    }
    free(cells);
    g->ninst = 0;
}

static void rep_answer(void *arg, int64_t rid, const char *q, const char *v)
{
    rep_rows_t *g = arg;
    size_t plen;
    if (!form_repeat_instance(g->r->pattern, q, &plen)) return;
    size_t c = 0;
    while (c < g->r->n && strcmp(g->r->cols[c], q + plen + 1)) c++;
    if (c == g->r->n) return;   /* a question the form no longer has */
    if (rid != g->rid) {
        rep_flush(g);
        g->rid = rid;
    }
    size_t i = 0;
    while (i < g->ninst && (strlen(g->inst[i].path) != plen || strncmp(g->inst[i].path, q, plen))) i++;
    if (i == g->ninst) {
        g->inst = xrealloc(g->inst, (g->ninst + 1) * sizeof *g->inst);
        g->inst[i].path = xmalloc(plen + 1);
        memcpy(g->inst[i].path, q, plen);
        g->inst[i].path[plen] = '\0';
        g->inst[i].vals = xcalloc(g->r->n ? g->r->n : 1, sizeof *g->inst[i].vals);
        g->ninst++;
    }
    free(g->inst[i].vals[c]);
    g->inst[i].vals[c] = xstrdup(v);
}

store_rc_t export_repeat_rows(store_t *s, const char *form_id, const export_repeat_t *r,
                              void (*cb)(void *arg, const char *const *cells), void *arg)
{
    rep_rows_t g = { .r = r, .cb = cb, .arg = arg, .rid = -1 };
    store_rc_t rc = store_export_prefixed(s, form_id, r->prefix, rep_answer, &g);
    rep_flush(&g);
    free(g.inst);
    return rc;
}
