/*
 * render_registers.h: the staff page listing the registers of the Plan de
 * Mejora (issue 18): the staff-only forms (form_t.staff) staff fill in at
 * /registros/<form>. The entry page itself is the survey page
 * (render_survey_entry in render.h), posted to the staff route.
 */
#ifndef BUZON_RENDER_REGISTERS_H
#define BUZON_RENDER_REGISTERS_H

#include <stdbool.h>

#include "base/buf.h"
#include "model/catalog.h"
#include "view/render_staff.h"

/* The list of cat's staff forms, each a link to its entry page, or a
 * note that there is none; saved_form (NULL: none) names the register an
 * entry was just stored in, said first (id=recibido). Appends to out. */
void render_registers(buf_t *out, const staff_view_t *v, bool public_indicators, const catalog_t *cat,
                      const form_t *saved_form);

#endif
