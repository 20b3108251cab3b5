/*
 * api_out.c: the API's JSON documents (api_out.h). Calls jansson and the
 * form model only.
 */
#include "view/api_out.h"

#include <stdlib.h>

#include "model/indicators.h"

json_t *api_forms_json(const catalog_t *cat, const int64_t *counts, int threshold)
{
    /* issue 17: the listed forms' counts are a breakdown of the people's
     * answers (the dashboard's channels line gives their total), so a
     * small one is hidden, and the next smallest when one alone is. */
    ind_cell_t *cells = xcalloc(cat->nforms + 1, sizeof *cells);
    size_t *at = xcalloc(cat->nforms + 1, sizeof *at), nc = 0;
    for (size_t i = 0; i < cat->nforms; i++)
        if (!cat->forms[i]->staff && counts[i] > 0) {
            at[nc] = i;
            cells[nc++] = (ind_cell_t){ .key = (char *)"", .n = counts[i], .value = (double)counts[i] };
        }
    ind_suppress(cells, nc, threshold);
    bool *hidden = xcalloc(cat->nforms + 1, sizeof *hidden);
    for (size_t k = 0; k < nc; k++) hidden[at[k]] = cells[k].suppressed;
    free(cells);
    free(at);
    json_t *arr = json_array();
    for (size_t i = 0; i < cat->nforms; i++) {
        const form_t *f = cat->forms[i];
        if (f->staff) continue;   /* issue 18: the public API lists no register */
        json_t *title = json_object();
        for (int l = 0; l < f->nlangs; l++)
            if (f->lang_code[l][0]) json_object_set_new(title, f->lang_code[l], json_string(form_text(f, &f->title, l)));
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:o,s:s,s:o}", "id", f->id,
            "title", form_text(f, &f->title, f->default_lang), "version", f->version,
            "titles", title, "hash", f->hash,
            "responses", hidden[i] ? json_null() : json_integer(counts[i])));
    }
    free(hidden);
    return json_pack("{s:o}", "forms", arr);
}
