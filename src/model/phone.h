/*
 * phone.h: telephone numbers as people in Bánica write them, and the one
 * form buzon keeps them in.
 *
 * Accepted: Dominican numbers (area codes 809, 829, 849, then 7 digits),
 * with or without the country
 * code (+1, 1 or 001), and Haitian numbers (+509, 509 or 00509, then 8
 * digits). Spaces, dashes, dots and parentheses may separate the parts:
 * "809-555-0101", "(829) 555.0101", "1 849 555 0101", "+509 3412-3456".
 * Kept as E.164 without separators: "+18095550101", "+50934123456".
 */
#ifndef BUZON_PHONE_H
#define BUZON_PHONE_H

#include <stdbool.h>

/* "+" and at most 15 digits (E.164), and the NUL. */
#define PHONE_E164_MAX 17

/* Whether the form question named name, of XLSForm type text, asks for a
 * phone number: buzon's convention `contacto_telefono`, or any name ending
 * in `_telefono` (forms/README.md). */
bool phone_question(const char *name);
/* Normalise s into out; false (out "") when s is not a number as above. */
bool phone_normalize(const char *s, char out[PHONE_E164_MAX]);

#endif
