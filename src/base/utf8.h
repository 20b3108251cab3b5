/*
 * utf8.h: the one set of UTF-8 helpers of buzon: validate, decode one
 * character, count characters, and find character boundaries for cutting
 * text (a cut must never split a character: half an "ñ" is not text).
 *
 * Validity is RFC 3629's: no overlong forms, no surrogates (U+D800 to
 * U+DFFF), nothing above U+10FFFF. The counting and boundary helpers only
 * look at continuation bytes (10xxxxxx), so on text that is not valid
 * they stay in bounds and give some answer, not a correct one: validate
 * text where it enters (forms, URLs, form posts).
 *
 * Base layer: calls only the C library.
 */
#ifndef BUZON_UTF8_H
#define BUZON_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when s[0..n) is valid UTF-8 (see above). */
bool utf8_valid(const char *s, size_t n);
/* Decode the character at s (NUL-terminated text). Its length in bytes
 * (1-4) with the code point in *cp, or 0 at the terminating NUL or an
 * invalid sequence; never reads past a NUL. */
size_t utf8_decode(const char *s, uint32_t *cp);
/* The length a sequence starting with byte lead claims: 1 for ASCII and
 * for a stray continuation byte, 2 for 0xC0-0xDF, 3 for 0xE0-0xEF, 4 for
 * 0xF0 and above (for cutting, not validating). */
size_t utf8_seq_len(unsigned char lead);
/* Characters in s[0..n). */
size_t utf8_count(const char *s, size_t n);
/* Characters in NUL-terminated s. */
size_t utf8_len(const char *s);
/* Bytes of the first nchars characters of NUL-terminated s (all of s when
 * it has fewer). */
size_t utf8_prefix(const char *s, size_t nchars);
/* The start of the character that byte pos of s is part of (pos itself
 * when it starts one; never below 0). */
size_t utf8_floor(const char *s, size_t pos);
/* Fold s[0..n) in place for searching as people type: ASCII letters to
 * lower case, and the accented Latin letters of Spanish, Kreyòl and
 * French (À-ÿ: á, è, ñ, ç, ü...) to their plain lower-case letter, so
 * "ATENCION" and "atención" fold alike. Other bytes stay. Returns the new
 * length (at most n); the result is not NUL-terminated. */
size_t utf8_fold(char *s, size_t n);

#endif
