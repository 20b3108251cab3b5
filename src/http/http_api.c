/*
 * http_api.c: the JSON API (/api/v1/...); the indicators' part is in
 * http_indicators.c.
 */
#include "http/http_int.h"

#include <stdlib.h>

#include "service/db.h"

typedef struct counts_ctx { json_t *counts; } counts_ctx_t;

static void count_cb(void *arg, const char *form_id, int64_t n)
{
    counts_ctx_t *cc = arg;
    json_object_set_new(cc->counts, form_id, json_integer(n));
}

enum MHD_Result h_api_forms(struct MHD_Connection *c, req_t *r, app_t *app)
{
    counts_ctx_t cc = { json_object() };
    if (svc_form_counts(app->store, count_cb, &cc) != STORE_OK) {
        json_decref(cc.counts);
        json_t *err = json_pack("{s:s}", "error", "database error");
        return http_send_json(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, err);
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < app->cat.nforms; i++) {
        const form_t *f = app->cat.forms[i];
        json_t *title = json_object();
        for (int l = 0; l < f->nlangs; l++)
            if (f->lang_code[l][0]) json_object_set_new(title, f->lang_code[l], json_string(form_text(f, &f->title, l)));
        json_t *n = json_object_get(cc.counts, f->id);
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:o,s:s,s:I}", "id", f->id,
            "title", form_text(f, &f->title, f->default_lang), "version", f->version,
            "titles", title, "hash", f->hash, "responses", (json_int_t)(n ? json_integer_value(n) : 0)));
    }
    json_decref(cc.counts);
    return http_send_json(c, r, MHD_HTTP_OK, json_pack("{s:o}", "forms", arr));
}

