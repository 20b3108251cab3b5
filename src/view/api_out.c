/*
 * api_out.c: the API's JSON documents (api_out.h). Calls jansson and the
 * form model only.
 */
#include "view/api_out.h"

json_t *api_forms_json(const catalog_t *cat, const int64_t *counts)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < cat->nforms; i++) {
        const form_t *f = cat->forms[i];
        if (f->staff) continue;   /* issue 18: the public API lists no register */
        json_t *title = json_object();
        for (int l = 0; l < f->nlangs; l++)
            if (f->lang_code[l][0]) json_object_set_new(title, f->lang_code[l], json_string(form_text(f, &f->title, l)));
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:o,s:s,s:I}", "id", f->id,
            "title", form_text(f, &f->title, f->default_lang), "version", f->version,
            "titles", title, "hash", f->hash, "responses", (json_int_t)counts[i]));
    }
    return json_pack("{s:o}", "forms", arr);
}
