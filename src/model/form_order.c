/*
 * form_order.c: the order in which the server works out a response's
 * relevances and calculated values (form_t.eval_order), and the cycles
 * between them refused at load (issue 15 review). A question's value
 * depends on its relevance (a question that does not apply is empty), on
 * its enclosing groups' relevance, on its calculation and, for a value
 * the server gives (read_only, calculate), on its default; each of those
 * names questions by ${} or by a path. Evaluated in this order, a form
 * without a cycle settles in one round of answers_calculate instead of
 * one round per question. A cycle through a calculation (a relevance
 * that depends on a calculation that depends on that relevance's
 * question) may never settle: it is a `file:row` error naming the
 * questions, as ODK refuses a cycle in "relevant and calculation logic".
 * That includes a group whose relevance names a calculation inside it:
 * the calculation has no value while the group does not apply, so the
 * group would never apply (ODK, which keeps such values, would show it).
 * A cycle of relevances alone (two questions each shown when the other
 * is answered) is left to the rounds, as before: it settles, and forms
 * written for buzon have them.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/diag.h"
#include "model/form_int.h"

typedef struct graph {
    form_t *f;
    size_t **dep;      /* per question: the questions it depends on */
    size_t  *ndep, *cap;
    size_t   from;     /* question whose expressions are being walked */
    /* Tarjan's strongly connected components */
    long    *index, *low;
    bool    *on;
    size_t  *stack, nstack;
    long     next;
    size_t   nout;
    loader_t *L;
    bool      reported;
} graph_t;

static void add_dep(graph_t *g, size_t i, size_t j)
{
    if (i == j) return;   /* a reference to itself is check_ref's error */
    if (g->ndep[i] == g->cap[i]) {
        g->cap[i] = g->cap[i] ? g->cap[i] * 2 : 4;
        g->dep[i] = xrealloc(g->dep[i], g->cap[i] * sizeof *g->dep[i]);
    }
    g->dep[i][g->ndep[i]++] = j;
}

static void name_dep(void *arg, const char *name)
{
    graph_t *g = arg;
    const question_t *t = form_question(g->f, name);
    if (t) add_dep(g, g->from, (size_t)(t - g->f->q));
}

/* Whether question i's value is the server's (answers.c server_value). */
static bool computed(const question_t *q)
{
    return q->calc || q->read_only || q->type == Q_CALCULATE;
}

/* The questions of component comp[0..n) in form order, "a, b, c", at the
 * row of the first. */
static void report(graph_t *g, size_t *comp, size_t n)
{
    form_t *f = g->f;
    for (size_t a = 1; a < n; a++)
        for (size_t b = a; b > 0 && comp[b - 1] > comp[b]; b--) {
            size_t t = comp[b];
            comp[b] = comp[b - 1];
            comp[b - 1] = t;
        }
    buf_t b;
    buf_init(&b);
    for (size_t k = 0; k < n; k++) buf_printf(&b, "%s%s", k ? ", " : "", f->q[comp[k]].name);
    diag_add(g->L->d, g->L->s[F_SURVEY].path, f->q[comp[0]].row,
             "relevance and calculation cycle: the relevance or value of each of %s depends on another of them",
             b.data);
    buf_free(&b);
    g->reported = true;
}

static void strong(graph_t *g, size_t v)
{
    g->index[v] = g->low[v] = g->next++;
    g->stack[g->nstack++] = v;
    g->on[v] = true;
    for (size_t k = 0; k < g->ndep[v]; k++) {
        size_t w = g->dep[v][k];
        if (g->index[w] < 0) {
            strong(g, w);
            if (g->low[w] < g->low[v]) g->low[v] = g->low[w];
        } else if (g->on[w] && g->index[w] < g->low[v]) {
            g->low[v] = g->index[w];
        }
    }
    if (g->low[v] != g->index[v]) return;
    /* v roots a component: it and what is above it on the stack, emitted
     * after every component it depends on (Tarjan's order). */
    size_t top = g->nstack;
    do g->on[g->stack[--g->nstack]] = false;
    while (g->stack[g->nstack] != v);
    size_t n = top - g->nstack;
    bool calc = false;
    for (size_t k = g->nstack; k < top; k++) {
        calc |= computed(&g->f->q[g->stack[k]]);
        g->f->eval_order[g->nout++] = g->stack[k];
    }
    if (n > 1 && calc && !g->reported) report(g, g->stack + g->nstack, n);
}

void form_eval_order(loader_t *L)
{
    form_t *f = L->f;
    if (!f->nq) return;
    graph_t g = { .f = f, .L = L };
    g.dep = xcalloc(f->nq, sizeof *g.dep);
    g.ndep = xcalloc(f->nq, sizeof *g.ndep);
    g.cap = xcalloc(f->nq, sizeof *g.cap);
    for (size_t i = 0; i < f->nq; i++) {
        const question_t *q = &f->q[i];
        g.from = i;
        if (q->parent >= 0) add_dep(&g, i, (size_t)q->parent);
        if (q->relevant) expr_names(q->relevant, name_dep, &g);
        if (q->calc) expr_names(q->calc, name_dep, &g);
        if (q->default_expr && computed(q)) expr_names(q->default_expr, name_dep, &g);
    }
    g.index = xmalloc(f->nq * sizeof *g.index);
    g.low = xmalloc(f->nq * sizeof *g.low);
    g.on = xcalloc(f->nq, sizeof *g.on);
    g.stack = xmalloc(f->nq * sizeof *g.stack);
    for (size_t i = 0; i < f->nq; i++) g.index[i] = -1;
    f->eval_order = xcalloc(f->nq, sizeof *f->eval_order);
    for (size_t i = 0; i < f->nq; i++)
        if (g.index[i] < 0) strong(&g, i);
    for (size_t i = 0; i < f->nq; i++) free(g.dep[i]);
    free(g.dep), free(g.ndep), free(g.cap);
    free(g.index), free(g.low), free(g.on), free(g.stack);
}
