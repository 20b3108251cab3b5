/*
 * form_ui.h: which strings table a form's pages speak. The citizens'
 * languages are Spanish and Kreyòl (the switch, Accept-Language); a form
 * written only in English or French gets the whole interface in its own
 * language, and a form only in a language buzon has no table for gets
 * the Spanish interface around its own texts (`buzon forms check` says
 * so). Forms in Spanish or Kreyòl keep the visitor's choice, as always.
 */
#ifndef BUZON_FORM_UI_H
#define BUZON_FORM_UI_H

#include <stdbool.h>

#include "base/i18n.h"
#include "model/form.h"

/* The strings table of form language li (by its code, else its name), or
 * -1 when buzon has none; an unnamed language ("label" alone) is Spanish,
 * as buzon's own forms are. */
int form_lang_table(const form_t *f, int li);

/* The interface language of f's pages for a visitor whose language
 * (?lang=, Accept-Language) is visitor (< LANG_COUNT): visitor when the
 * form has a Spanish, Kreyòl or unnamed language; else the table of the
 * form's default language (LANG_EN, LANG_FR), else LANG_ES. */
lang_t form_ui_lang(const form_t *f, lang_t visitor);

/* issue 15 item 5: whether a page of f can ever speak form language li:
 * its table is the interface form_ui_lang gives a Spanish or a Kreyòl
 * visitor (the only languages ?lang= selects). A form's other languages
 * are never offered (forms check says so). */
bool form_lang_offered(const form_t *f, int li);

#endif
