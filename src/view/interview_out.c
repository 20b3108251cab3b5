/*
 * interview_out.c: the JSON answers to kept interviews (interview_out.h).
 */
#include "view/interview_out.h"

#include <jansson.h>
#include <stdlib.h>

/* Append root's compact text to out and release root. */
static void put(buf_t *out, json_t *root)
{
    char *t = json_dumps(root, JSON_COMPACT);
    if (t) buf_puts(out, t);
    free(t);
    json_decref(root);
}

void interview_json_stored(buf_t *out, const char *code)
{
    put(out, json_pack("{s:b,s:o}", "ok", 1, "code", code && *code ? json_string(code) : json_null()));
}

void interview_json_refused(buf_t *out, lang_t lang, str_id_t why, const char *const *labels, size_t n,
                            bool renew)
{
    buf_t w;
    buf_init(&w);
    buf_puts(&w, i18n(lang, why));
    for (size_t i = 0; i < n; i++) {
        buf_puts(&w, i ? "; " : " ");
        buf_puts(&w, labels[i]);
    }
    json_t *root = json_pack("{s:b,s:s}", "ok", 0, "why", w.data);
    if (renew) json_object_set_new(root, "renew", json_true());
    buf_free(&w);
    put(out, root);
}
