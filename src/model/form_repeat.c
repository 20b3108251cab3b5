/*
 * form_repeat.c: repeats (issue 16). At load, begin_repeat/end_repeat
 * rows become groups marked repeat (form_survey.c) and are checked here
 * (balanced, one level of nesting, repeat_count). Per request, the
 * expansion of form_repeat.h copies each repeat's block once per
 * instance and re-binds the copies' expressions (expr_copy_map), so that
 * the rest of buzon needs to know nothing about repeats but the page's
 * add and remove buttons and the exports' sheets.
 */
#include "model/form_repeat.h"
#include "model/answers.h"
#include "model/form_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

/* ---- load ----------------------------------------------------------- */

void form_repeat_read(loader_t *L, size_t r, question_t *q)
{
    if (q->type != Q_BEGIN_GROUP) return;
    int col = form_col(L, F_SURVEY, "repeat_count", "jr:count");
    if (col < 0) return;
    const char *raw = csv_cell(&L->s[F_SURVEY].t, r, col);
    char *t = form_trimdup(raw);
    if (!*t) {
        free(t);
        return;
    }
    q->repeat_count_src = t;
    char err[256];
    q->repeat_count = expr_parse(raw, err, sizeof err);
    if (!q->repeat_count)
        diag_add(L->d, L->s[F_SURVEY].path, q->row, "bad expression in repeat_count: %s (write a number "
                 "or an expression such as ${n_personas})", err);
}

void form_repeat_check(loader_t *L)
{
    form_t *f = L->f;
    const char *path = L->s[F_SURVEY].path;
    for (size_t i = 0; i < f->nq; i++) {
        const question_t *q = &f->q[i];
        if (q->type == Q_END_GROUP && q->parent >= 0 && f->q[q->parent].repeat != q->repeat)
            diag_add(L->d, path, q->row, "%s closes %s \"%s\" (row %d): write %s", q->repeat ? "end_repeat" : "end_group",
                     f->q[q->parent].repeat ? "begin_repeat" : "begin_group", f->q[q->parent].name,
                     f->q[q->parent].row, f->q[q->parent].repeat ? "end_repeat" : "end_group");
        if (q->type != Q_BEGIN_GROUP || !q->repeat) continue;
        f->has_repeats = true;
        int depth = 0;
        for (int p = q->parent; p >= 0; p = f->q[p].parent) depth += f->q[p].repeat;
        if (depth > 1)
            diag_add(L->d, path, q->row, "repeat \"%s\" is inside a repeat inside a repeat: buzon handles "
                     "one repeat inside another, no deeper", q->name);
        if (q->repeat_count && q->repeat_count_src) {
            char *end;
            double n = strtod(q->repeat_count_src, &end);
            if (!*end && (n < 0 || n > REPEAT_MAX || n != (long)n))
                diag_add(L->d, path, q->row, "repeat_count %s of \"%s\": write a whole number from 0 to %d",
                         q->repeat_count_src, q->name, REPEAT_MAX);
        }
    }
}

/* ---- expansion ------------------------------------------------------ */

enum { MAX_NEST = 8 };

typedef struct ex {
    const form_t *f;     /* the loaded form */
    form_t *x;           /* the copy being built */
    size_t cap;
    int (*count)(void *, const question_t *, const char *);
    void *arg;
    size_t ctx_ri[MAX_NEST];   /* repeats open around the row being copied */
    int ctx_k[MAX_NEST];       /* and their instances */
    int nctx;
    int *open;           /* begin rows of x open around the next row */
    int nopen;
} ex_t;

/* expr_copy_map's map: a question of a repeat by its expanded name, in
 * the instance being copied where the row is inside that repeat, else
 * "[*]" (every instance). */
static char *map_name(void *arg, const char *name, bool all)
{
    ex_t *E = arg;
    const form_t *f = E->f;
    const question_t *t = form_question(f, name);
    /* ${persona} naming a repeat itself is the node-set of its instances
     * (count(${persona}) is ODK's idiom for how many there are): their
     * begin rows, "persona[*]" (form_repeat_values). Another group is no
     * value. */
    bool self = t && t->type == Q_BEGIN_GROUP && t->repeat;
    if (!t || (t->type == Q_BEGIN_GROUP && !self)) return NULL;
    size_t chain[MAX_NEST];
    int nc = 0;
    for (int p = t->parent; p >= 0; p = f->q[p].parent)
        if (f->q[p].repeat && nc < MAX_NEST) chain[nc++] = (size_t)p;
    if (!nc && !self) return NULL;
    buf_t b;
    buf_init(&b);
    for (int j = nc - 1; j >= 0; j--) {
        int k = 0;
        for (int c = 0; c < E->nctx; c++)
            if (E->ctx_ri[c] == chain[j]) k = E->ctx_k[c];
        if (all && j == 0) k = 0;
        if (k) buf_printf(&b, "%s[%d].", f->q[chain[j]].name, k);
        else buf_printf(&b, "%s[*].", f->q[chain[j]].name);
    }
    buf_puts(&b, t->name);
    if (self) buf_puts(&b, "[*]");
    return buf_steal(&b);
}

static void add(ex_t *E, size_t oi, char *name, int k, int n)
{
    form_t *x = E->x;
    if (x->nq == E->cap) {
        E->cap = E->cap ? 2 * E->cap : 64;
        x->q = xrealloc(x->q, E->cap * sizeof *x->q);
    }
    const question_t *s = &E->f->q[oi];
    question_t *q = &x->q[x->nq];
    *q = *s;   /* texts, sources and list borrowed from the loaded form */
    q->name = name;
    q->orig = (int)oi;
    q->rep_index = k;
    q->rep_n = n;
    long pos = E->nctx ? E->ctx_k[E->nctx - 1] : 0;
    q->relevant = expr_copy_map(s->relevant, map_name, E, pos);
    q->constraint = expr_copy_map(s->constraint, map_name, E, pos);
    q->choice_filter = expr_copy_map(s->choice_filter, map_name, E, pos);
    q->required_if = expr_copy_map(s->required_if, map_name, E, pos);
    q->calc = expr_copy_map(s->calc, map_name, E, pos);
    q->default_expr = expr_copy_map(s->default_expr, map_name, E, pos);
    q->repeat_count = expr_copy_map(s->repeat_count, map_name, E, pos);
    q->seed = expr_copy_map(s->seed, map_name, E, pos);   /* randomize's seed= (issue 16 item 4) */
    if (q->type == Q_END_GROUP) {
        q->parent = E->nopen ? E->open[--E->nopen] : -1;
    } else {
        q->parent = E->nopen ? E->open[E->nopen - 1] : -1;
        if (q->type == Q_BEGIN_GROUP) E->open[E->nopen++] = (int)x->nq;
    }
    x->nq++;
}

static char *joined(const char *prefix, const char *name)
{
    buf_t b;
    buf_init(&b);
    buf_puts(&b, prefix);
    buf_puts(&b, name);
    return b.data ? buf_steal(&b) : xstrdup("");
}

/* Index of the end row closing the begin row i (to - 1 when missing). */
static size_t match_end(const form_t *f, size_t i, size_t to)
{
    int depth = 0;
    for (size_t j = i; j < to; j++) {
        depth += f->q[j].type == Q_BEGIN_GROUP ? 1 : f->q[j].type == Q_END_GROUP ? -1 : 0;
        if (depth == 0) return j;
    }
    return to - 1;
}

static void emit(ex_t *E, size_t from, size_t to, const char *prefix)
{
    const form_t *f = E->f;
    for (size_t i = from; i < to; i++) {
        const question_t *q = &f->q[i];
        if (!(q->type == Q_BEGIN_GROUP && q->repeat) || E->nctx == MAX_NEST) {
            add(E, i, *q->name && *prefix ? joined(prefix, q->name) : xstrdup(q->name),
                E->nctx ? E->ctx_k[E->nctx - 1] : 0, 0);
            continue;
        }
        size_t end = match_end(f, i, to);
        char *path = joined(prefix, q->name);
        int n = E->count(E->arg, q, path);
        if (n < 0) n = 0;
        if (n > REPEAT_MAX) n = REPEAT_MAX;
        size_t rows = end - i + 1;
        while (n > 0 && E->x->nq + (size_t)n * rows > REPEAT_MAX_ROWS) n--;
        if (n == 0) {
            /* no instance: the rows that hold the place of the add button */
            add(E, i, xstrdup(path), 0, 0);
            add(E, end, xstrdup(f->q[end].name), 0, 0);
        }
        for (int k = 1; k <= n; k++) {
            E->ctx_ri[E->nctx] = i;
            E->ctx_k[E->nctx++] = k;
            buf_t b;
            buf_init(&b);
            buf_printf(&b, "%s[%d]", path, k);
            char *ipath = buf_steal(&b);
            add(E, i, xstrdup(ipath), k, n);
            char *pre = joined(ipath, ".");
            emit(E, i + 1, end, pre);
            free(pre);
            free(ipath);
            add(E, end, xstrdup(f->q[end].name), k, n);
            E->nctx--;
        }
        free(path);
        i = end;
    }
}

/* The copies of the rows in order[0..n), each in the order of the copy. */
static size_t *map_order(const form_t *f, const form_t *x, const size_t *order, size_t n, size_t *out_n)
{
    size_t *first = xcalloc(f->nq + 1, sizeof *first), *next = xmalloc((x->nq + 1) * sizeof *next);
    size_t *last = xcalloc(f->nq + 1, sizeof *last);
    /* per loaded row, its copies as a list (1-based, 0 ends) */
    for (size_t j = 0; j < x->nq; j++) {
        size_t o = (size_t)x->q[j].orig;
        next[j] = 0;
        if (!first[o]) first[o] = j + 1;
        else next[last[o] - 1] = j + 1;
        last[o] = j + 1;
    }
    size_t *r = xmalloc((x->nq + 1) * sizeof *r), m = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = first[order[i]]; j; j = next[j - 1]) r[m++] = j - 1;
    free(first);
    free(next);
    free(last);
    *out_n = m;
    return r;
}

form_t *form_repeat_expand(const form_t *f, int (*count)(void *arg, const question_t *rq, const char *path),
                           void *arg)
{
    if (!f || !f->has_repeats) return NULL;
    form_t *x = xmalloc(sizeof *x);
    *x = *f;   /* id, texts, languages, lists: borrowed */
    x->q = NULL;
    x->nq = 0;
    x->expanded_from = f;
    ex_t E = { .f = f, .x = x, .count = count, .arg = arg, .open = xmalloc((f->nq + 1) * sizeof *E.open) };
    emit(&E, 0, f->nq, "");
    free(E.open);
    x->calc_order = map_order(f, x, f->calc_order, f->ncalc, &x->ncalc);
    size_t ne;
    x->eval_order = f->eval_order ? map_order(f, x, f->eval_order, f->nq, &ne) : NULL;
    return x;
}

void form_repeat_free(form_t *x)
{
    if (!x) return;
    for (size_t i = 0; i < x->nq; i++) {
        question_t *q = &x->q[i];
        free(q->name);
        expr_free(q->relevant);
        expr_free(q->constraint);
        expr_free(q->choice_filter);
        expr_free(q->required_if);
        expr_free(q->calc);
        expr_free(q->default_expr);
        expr_free(q->repeat_count);
        expr_free(q->seed);
    }
    free(x->q);
    free(x->calc_order);
    free(x->eval_order);
    free(x);
}

/* ---- a page's counts and buttons ------------------------------------ */

static const char *kv_get(const kvlist_t *l, const char *key)
{
    return l ? kvlist_get(l, key) : NULL;
}

static void kv_set(kvlist_t *l, const char *key, const char *val)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->items[i].key, key)) {
            free(l->items[i].val);
            l->items[i].val = xstrdup(val);
            return;
        }
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->n].key = xstrdup(key);
    l->items[l->n++].val = xstrdup(val);
}

/* Instances the page says repeat path has: its "_n.<path>", else 1. */
static int posted_n(const kvlist_t *post, const char *path)
{
    char *key = joined("_n.", path);
    const char *v = kv_get(post, key);
    free(key);
    if (!v) return 1;
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || end == v || n < 0) return 1;
    return n > REPEAT_MAX ? REPEAT_MAX : (int)n;
}

static void set_n(kvlist_t *post, const char *path, int n)
{
    char *key = joined("_n.", path), num[16];
    snprintf(num, sizeof num, "%d", n);
    kv_set(post, key, num);
    free(key);
}

/* If key starts with pre + "[j]." (j a number), j and where the rest
 * starts; else 0. */
static int instance_of(const char *key, const char *pre, const char **rest)
{
    size_t n = strlen(pre);
    if (strncmp(key, pre, n) || key[n] != '[' || !isdigit((unsigned char)key[n + 1])) return 0;
    char *end;
    long j = strtol(key + n + 1, &end, 10);
    if (*end != ']' || end[1] != '.' || j < 1 || j > REPEAT_MAX) return 0;
    *rest = end + 2;
    return (int)j;
}

/* Remove instance k of repeat path from the posted answers: its keys go,
 * the later instances' keys move down by one. */
static void remove_instance(kvlist_t *post, const char *path, int k)
{
    char *npre = joined("_n.", path);
    size_t w = 0;
    for (size_t i = 0; i < post->n; i++) {
        kv_t *it = &post->items[i];
        const char *rest;
        bool n_key = false;
        int j = instance_of(it->key, path, &rest);
        if (!j && (j = instance_of(it->key, npre, &rest))) n_key = true;
        if (j == k) {
            free(it->key);
            free(it->val);
            continue;
        }
        if (j > k) {
            buf_t b;
            buf_init(&b);
            buf_printf(&b, "%s%s[%d].%s", n_key ? "_n." : "", path, j - 1, rest);
            free(it->key);
            it->key = buf_steal(&b);
        }
        post->items[w++] = *it;
    }
    post->n = w;
    free(npre);
}

/* The buttons: "_add=<path>", "_del=<path>[k]". */
static void apply_buttons(kvlist_t *post)
{
    const char *add = kv_get(post, "_add");
    if (add && *add) set_n(post, add, posted_n(post, add) + 1 > REPEAT_MAX ? REPEAT_MAX : posted_n(post, add) + 1);
    const char *del = kv_get(post, "_del");
    size_t dl = del ? strlen(del) : 0;
    if (dl > 3 && del[dl - 1] == ']') {
        const char *ob = strrchr(del, '[');
        char *end;
        long k = ob ? strtol(ob + 1, &end, 10) : 0;
        if (ob && ob > del && end == del + dl - 1 && k >= 1) {
            char *path = xmalloc((size_t)(ob - del) + 1);
            memcpy(path, del, (size_t)(ob - del));
            path[ob - del] = '\0';
            int n = posted_n(post, path);
            if (k <= n) {
                remove_instance(post, path, (int)k);
                set_n(post, path, n - 1);
            }
            free(path);
        }
    }
}

bool form_repeat_button(const kvlist_t *post)
{
    return kvlist_get(post, "_add") || kvlist_get(post, "_del");
}

/* Counts worked out so far: a repeat_count's value per path. */
typedef struct counts {
    const kvlist_t *post;
    char **path;
    int *n;
    size_t len;
    bool fresh;
} counts_t;

static int count_of(void *arg, const question_t *rq, const char *path)
{
    counts_t *c = arg;
    for (size_t i = 0; i < c->len; i++)
        if (!strcmp(c->path[i], path)) return c->n[i];
    if (rq->repeat_count) return c->fresh ? 0 : posted_n(c->post, path);
    return c->fresh ? 1 : posted_n(c->post, path);
}

form_t *form_repeat_for_post(const form_t *f, kvlist_t *post)
{
    if (!f || !f->has_repeats) return NULL;
    if (post) apply_buttons(post);
    counts_t c = { .post = post, .fresh = post == NULL };
    form_t *x = form_repeat_expand(f, count_of, &c);
    bool any = false;
    for (size_t i = 0; i < f->nq; i++) any |= f->q[i].repeat_count != NULL;
    /* repeat_count: evaluated on the answers, in the form they give;
     * nested counts may need a round more */
    for (int round = 0; any && round < 3; round++) {
        answers_t a;
        answers_init(&a, x);
        if (post) answers_from_post(&a, post);
        answers_prefill_defaults(&a);
        answers_calculate(&a);
        bool changed = false;
        for (size_t i = 0; i < x->nq; i++) {
            const question_t *q = &x->q[i];
            if (q->type != Q_BEGIN_GROUP || !q->repeat_count || (q->rep_index > 1)) continue;
            char *v = answers_eval(&a, q->repeat_count, q, "repeat_count");
            char *end;
            double d = v ? strtod(v, &end) : 0;
            int n = v && !*end && d > 0 ? (d > REPEAT_MAX ? REPEAT_MAX : (int)d) : 0;
            free(v);
            char *path = form_repeat_path(q);
            size_t k = 0;
            while (k < c.len && strcmp(c.path[k], path)) k++;
            if (k == c.len) {
                c.path = xrealloc(c.path, (c.len + 1) * sizeof *c.path);
                c.n = xrealloc(c.n, (c.len + 1) * sizeof *c.n);
                c.path[c.len] = path;
                c.n[c.len++] = -1;
            } else {
                free(path);
            }
            if (c.n[k] != n) changed = true;
            c.n[k] = n;
        }
        answers_free(&a);
        if (!changed) break;
        form_repeat_free(x);
        x = form_repeat_expand(f, count_of, &c);
    }
    for (size_t i = 0; i < c.len; i++) free(c.path[i]);
    free(c.path);
    free(c.n);
    return x;
}

char *form_repeat_path(const question_t *q)
{
    size_t n = strlen(q->name);
    if (q->rep_index > 0 && n && q->name[n - 1] == ']') {
        const char *ob = strrchr(q->name, '[');
        if (ob) n = (size_t)(ob - q->name);
    }
    char *p = xmalloc(n + 1);
    memcpy(p, q->name, n);
    p[n] = '\0';
    return p;
}

/* ---- node-sets ------------------------------------------------------ */

/* Where name goes on after matching all of pat ("[*]" standing for
 * "[<digits>]"), or NULL when it does not match. */
static const char *match_prefix(const char *pat, const char *name)
{
    while (*pat) {
        if (pat[0] == '[' && pat[1] == '*' && pat[2] == ']') {
            if (*name++ != '[' || !isdigit((unsigned char)*name)) return NULL;
            while (isdigit((unsigned char)*name)) name++;
            if (*name++ != ']') return NULL;
            pat += 3;
            continue;
        }
        if (*pat++ != *name++) return NULL;
    }
    return name;
}

static bool matches(const char *pat, const char *name)
{
    const char *rest = match_prefix(pat, name);
    return rest && *rest == '\0';
}

bool form_repeat_instance(const char *pattern, const char *name, size_t *plen)
{
    const char *rest = match_prefix(pattern, name);
    if (!rest || *rest != '.' || strchr(rest + 1, '[')) return false;
    *plen = (size_t)(rest - name);
    return true;
}

int form_repeat_of(const form_t *f, size_t i)
{
    int p = f->q[i].parent;
    while (p >= 0 && !f->q[p].repeat) p = f->q[p].parent;
    return p;
}

char *form_repeat_pattern(const form_t *f, size_t ri)
{
    buf_t b;
    buf_init(&b);
    for (int p = (int)ri; p >= 0; p = form_repeat_of(f, (size_t)p)) {
        /* outer repeats first: prepend */
        buf_t t;
        buf_init(&t);
        buf_printf(&t, "%s[*]%s%s", f->q[p].name, b.len ? "." : "", b.data ? b.data : "");
        buf_free(&b);
        b = t;
    }
    return buf_steal(&b);
}

int form_repeat_values(const form_t *f, const char *pattern, char *const *val, const bool *relevant,
                       const char ***vals, size_t *n)
{
    *vals = NULL;
    *n = 0;
    size_t cap = 0;
    for (size_t i = 0; i < f->nq; i++) {
        /* A repeat's instances are their begin rows ("persona[2]"). */
        bool instance = f->q[i].type == Q_BEGIN_GROUP && f->q[i].repeat;
        if (!(form_q_answerable(&f->q[i]) || instance) || !matches(pattern, f->q[i].name)) continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 8;
            *vals = xrealloc(*vals, cap * sizeof **vals);
        }
        (*vals)[(*n)++] = relevant[i] && val[i] ? val[i] : "";
    }
    return *vals ? 0 : -1;
}

const question_t *form_repeat_loaded(const form_t *f, const char *name)
{
    const question_t *q = form_question(f, name);
    if (q || !strchr(name, '[')) return q;
    /* Without the instance numbers: the path of the loaded question. */
    buf_t plain;
    buf_init(&plain);
    for (const char *c = name; *c; c++) {
        if (*c == '[') {
            while (*c && *c != ']') c++;
            if (!*c) break;
            continue;
        }
        buf_putc(&plain, *c);
    }
    q = plain.data ? form_question(f, plain.data) : NULL;
    /* Loaded under its own name when it is unique in the form. */
    const char *dot = plain.data ? strrchr(plain.data, '.') : NULL;
    if (!q && dot) q = form_question(f, dot + 1);
    buf_free(&plain);
    return q;
}
