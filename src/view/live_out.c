/*
 * live_out.c: the live recalculation's JSON (live_out.h). Built with
 * jansson, then made tag-free: jansson escapes quotes and control
 * characters, not '<', '>' or '&', which may appear in a raw value.
 */
#include "view/live_out.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "model/pipe.h"
#include "view/render.h"

typedef struct pipe_ctx {
    const form_t *f;
    const answers_t *a;
    lang_t lang;
    json_t *pipe;
} pipe_ctx_t;

/* s as a JSON string; "" when it is not valid UTF-8 (a calculation may
 * cut a character: substr counts bytes), never a missing key. */
static json_t *jstr(const char *s)
{
    json_t *j = json_string(s ? s : "");
    return j ? j : json_string("");
}

/* pipe_refs callback: the fragment of ${name}, once per name. */
static void add_pipe(void *arg, const char *name)
{
    pipe_ctx_t *c = arg;
    if (json_object_get(c->pipe, name)) return;
    buf_t h;
    buf_init(&h);
    if (render_pipe_html(&h, c->f, c->a, c->lang, name))
        json_object_set_new(c->pipe, name, jstr(h.data));
    buf_free(&h);
}

/* The texts of f in language li that the page renders with piping. */
static void pipes_of(pipe_ctx_t *c, int li)
{
    const form_t *f = c->f;
    for (size_t i = 0; i < f->nq; i++) {
        const question_t *q = &f->q[i];
        pipe_refs(form_text(f, &q->label, li), add_pipe, c);
        pipe_refs(form_text(f, &q->hint, li), add_pipe, c);
        if ((q->type == Q_SELECT_ONE || q->type == Q_SELECT_MULTIPLE) && q->list)
            for (size_t k = 0; k < form_nchoices(q); k++)
                pipe_refs(form_text(f, &form_choice_at(q, k)->label, li), add_pipe, c);
    }
}

/* issue 16: for each question with a choice_filter, the names of the
 * choices that fit the answers (answers_choice_fits: the same test the
 * page and the validation make). */
static json_t *opts_of(const form_t *f, const answers_t *a)
{
    json_t *opts = json_object();
    for (size_t i = 0; i < f->nq; i++) {
        const question_t *q = &f->q[i];
        if (!q->choice_filter || !q->list) continue;
        json_t *names = json_array();
        for (size_t k = 0; k < form_nchoices(q); k++)
            if (answers_choice_fits(a, i, form_choice_at(q, k)))
                json_array_append_new(names, jstr(form_choice_at(q, k)->name));
        json_object_set_new(opts, q->name, names);
    }
    return opts;
}

void live_json(buf_t *out, const form_t *f, const answers_t *a, lang_t lang)
{
    json_t *rel = json_object(), *req = json_object(), *calc = json_object(), *pipe = json_object();
    for (size_t i = 0; i < f->nq; i++) {
        const question_t *q = &f->q[i];
        if (q->type == Q_END_GROUP || !q->name[0]) continue;
        json_object_set_new(rel, q->name, json_boolean(a->relevant[i]));
        if (form_q_answerable(q) && q->type != Q_CALCULATE)
            json_object_set_new(req, q->name, json_boolean(a->relevant[i] && answers_required(a, i)));
        /* Only the values the page shows in a field: a calculate that the
         * page never shows stays the server's (its value reaches the page
         * only through the pipes that show it). */
        if (q->calc && q->type != Q_CALCULATE && q->type != Q_HIDDEN)
            json_object_set_new(calc, q->name, jstr(a->val[i]));
    }
    pipe_ctx_t c = { .f = f, .a = a, .lang = lang, .pipe = pipe };
    pipes_of(&c, render_form_lang(f, lang));
    json_t *root = json_pack("{s:o,s:o,s:o,s:o,s:o}", "rel", rel, "req", req, "calc", calc, "pipe", pipe,
                             "opts", opts_of(f, a));
    char *s = json_dumps(root, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(root);
    for (const char *p = s ? s : "{}"; *p; p++) {
        switch (*p) {   /* only ever inside a string here */
        case '<': buf_puts(out, "\\u003c"); break;
        case '>': buf_puts(out, "\\u003e"); break;
        case '&': buf_puts(out, "\\u0026"); break;
        default:  buf_putc(out, *p); break;
        }
    }
    buf_putc(out, '\n');
    free(s);
}
