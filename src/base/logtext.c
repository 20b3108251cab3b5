/*
 * logtext.c: escaping visitor text for the request log (logtext.h). The
 * log is one line per request; a byte copied raw after a UTF-8 lead byte
 * once let "%C2%0A" forge a second line and "%C2%1B" write terminal escape
 * sequences (issue 14), so a character is copied only once it has been
 * decoded as a whole valid one.
 */
#include "base/logtext.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "base/utf8.h"

/* True when code point cp may appear raw in a log line: printable ASCII
 * other than space and '%', or a character beyond the C1 controls that is
 * not a line or paragraph separator, not a bidirectional control (which
 * would reorder what a terminal shows of the line: U+202A-U+202E,
 * U+2066-U+2069, U+200E/U+200F, U+061C) and not an invisible character
 * (U+200B-U+200D, U+2060, U+FEFF). */
static bool plain(uint32_t cp)
{
    if (cp < 0x80) return cp > 0x20 && cp != 0x7F && cp != '%';
    if (cp <= 0x9F || cp == 0x2028 || cp == 0x2029 || cp == 0x061C || cp == 0x2060 || cp == 0xFEFF)
        return false;
    if ((cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
        return false;
    return true;
}

char *logtext_put(char *p, const char *s, size_t max)
{
    static const char hex[] = "0123456789ABCDEF";
    char *const limit = p + max;
    for (const char *u = s; *u; ) {
        uint32_t cp = 0;
        /* ASCII, most of every line, as utf8_decode would give it */
        size_t len = (unsigned char)*u < 0x80 ? (cp = (unsigned char)*u, 1) : utf8_decode(u, &cp);
        bool esc = len == 0 || !plain(cp);
        size_t need = esc ? 3 : len;
        if ((size_t)(limit - p) < need + 3) {          /* keep room for "..." */
            memcpy(p, "...", 3);
            return p + 3;
        }
        if (esc) {
            /* one byte at a time: the next byte is looked at afresh, so a
             * bad lead byte never takes a newline or ESC along with it */
            unsigned char b = (unsigned char)*u++;
            *p++ = '%', *p++ = hex[b >> 4], *p++ = hex[b & 15];
            continue;
        }
        memcpy(p, u, len);
        p += len, u += len;
    }
    return p;
}
