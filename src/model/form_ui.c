/*
 * form_ui.c: the interface language of a form's pages (form_ui.h). Kept
 * apart from the loader: a form only records the languages its headers
 * name; which of them buzon can speak is a question of the strings tables.
 */
#include "model/form_ui.h"

int form_lang_table(const form_t *f, int li)
{
    if (li < 0 || li >= f->nlangs) return -1;
    if (!*f->lang_code[li]) return LANG_ES;
    int t = i18n_table(f->lang_code[li]);
    return t >= 0 ? t : i18n_table(f->lang_name[li]);
}

lang_t form_ui_lang(const form_t *f, lang_t visitor)
{
    for (int i = 0; i < f->nlangs; i++) {
        int t = form_lang_table(f, i);
        if (t >= 0 && t < LANG_COUNT) return visitor;
    }
    int t = form_lang_table(f, f->default_lang);
    return t >= 0 ? (lang_t)t : LANG_ES;
}

bool form_lang_offered(const form_t *f, int li)
{
    int t = form_lang_table(f, li);
    return t >= 0 && (t == (int)form_ui_lang(f, LANG_ES) || t == (int)form_ui_lang(f, LANG_HT));
}
