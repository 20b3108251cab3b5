/*
 * shortcode.h: the short codes behind the links a poster's QR encodes,
 * `<base-url>/q/<code>`, which redirect to `/e/<form>?p=<point>`.
 *
 * A code is a pure function of the ids: the first 8 bytes of BLAKE2b
 * (libsodium crypto_generichash, no key) over "form_id" for a form alone or
 * "form_id\npoint_id" for a (form, point) pair, read as a little-endian
 * 64-bit number and written as SHORTCODE_LEN base-30 digits. So codes need
 * no database, are the same on every machine, and survive restarts and any
 * edit of forms/ that keeps the ids (a renamed id is a new link, which is
 * right: the old poster pointed at something else).
 *
 * Alphabet (SHORTCODE_ALPHABET, 30 symbols): digits 2-9 and the capital
 * letters without I, L, O (they read as 1, 1, 0) and U (read as V when
 * handwritten or worn). 0 and 1 are out for the same reason. Codes are
 * printed in capitals; lookup is case-insensitive (input is upper-cased).
 *
 * Collisions: 30^6 is about 7.3e8 codes, so for 5 forms x 50 points the
 * chance that any two pairs share a code is about 4e-5. It is not zero, and
 * a shared code would send people to the wrong survey, so shortcode_check()
 * finds them and `serve` / `posters` refuse to start on one; the remedy is
 * to rename one of the ids involved.
 */
#ifndef BUZON_SHORTCODE_H
#define BUZON_SHORTCODE_H

#include <stddef.h>
#include "base/buf.h"
#include "model/form.h"
#include "model/points.h"

#define SHORTCODE_LEN 6
#define SHORTCODE_ALPHABET "23456789ABCDEFGHJKMNPQRSTVWXYZ"

/* Write the code of form_id alone (point_id NULL) or of the pair into out,
 * NUL-terminated, in capitals. Both ids non-NULL / non-empty strings. */
void shortcode_make(const char *form_id, const char *point_id,
                    char out[SHORTCODE_LEN + 1]);

/* Normalise a code as typed or scanned: exactly SHORTCODE_LEN characters
 * of the alphabet in either case. Writes the capitalised code to out and
 * returns 0, or returns -1 when s cannot be a code (wrong length, a
 * character outside the alphabet such as 0/O/1/I/L). */
int shortcode_normalize(const char *s, char out[SHORTCODE_LEN + 1]);

/* Find the form (and point, NULL for a form-alone code) whose code is code
 * (case-insensitive) among all pairs of forms[0..nforms) x (pts's points +
 * none). pts may be NULL (no points). Returns 0 with *form / *point set, or
 * -1 when no current pair has that code (*form / *point untouched). The
 * returned pointers borrow from forms / pts. Cost: one hash per pair
 * (about 0.3 us each), so no index is kept. */
int shortcode_resolve(const char *code, form_t *const *forms, size_t nforms,
                      const points_t *pts, const form_t **form,
                      const point_t **point);

/* Check that no two current pairs share a code. Returns the number of
 * collisions found; for each one appends to d a line
 * "short code K is shared by form/point A and form/point B: rename one".
 * pts may be NULL. */
size_t shortcode_check(form_t *const *forms, size_t nforms,
                       const points_t *pts, diag_t *d);

/* Append the short link base_url + "/q/" + code to out. A trailing '/' on
 * base_url is ignored (base/url.h: url_base_len), so "http://x/" and
 * "http://x" give the same link. */
void shortcode_url(buf_t *out, const char *base_url, const char *code);

/* Append the address of a survey, the one builder of it (the pages'
 * links, the posters page, the path a code redirects to): "/e/<form>" or
 * "/e/<form>?p=<point>" (ids percent-encoded). point may be NULL. */
void shortcode_target(buf_t *out, const form_t *form, const point_t *point);

#endif
