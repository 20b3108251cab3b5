/*
 * http_api.c: the JSON API (/api/v1/...); the indicators' part is in
 * http_indicators.c.
 */
#include "http/http_int.h"

#include <stdlib.h>

#include "service/db.h"
#include "view/api_out.h"

typedef struct counts_ctx {
    const catalog_t *cat;
    int64_t         *counts;   /* one per cat->forms */
} counts_ctx_t;

static void count_cb(void *arg, const char *form_id, int64_t n)
{
    counts_ctx_t *cc = arg;
    size_t i;
    if (catalog_form(cc->cat, form_id, &i)) cc->counts[i] = n;
}

int64_t *http_form_counts(app_t *app, const catalog_t *cat)
{
    counts_ctx_t cc = { cat, xcalloc(cat->nforms ? cat->nforms : 1, sizeof *cc.counts) };
    if (svc_form_counts(app->store, count_cb, &cc) != STORE_OK) {
        free(cc.counts);
        return NULL;
    }
    return cc.counts;
}

enum MHD_Result h_api_forms(struct MHD_Connection *c, req_t *r, app_t *app)
{
    int64_t *counts = http_form_counts(app, &r->forms->cat);
    if (!counts) {
        json_t *err = json_pack("{s:s}", "error", "database error");
        return http_send_json(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, err);
    }
    json_t *doc = api_forms_json(&r->forms->cat, counts, app->min_cell);
    free(counts);
    return http_send_json(c, r, MHD_HTTP_OK, doc);
}
