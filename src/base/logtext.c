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
 * not a line or paragraph separator. */
static bool plain(uint32_t cp)
{
    if (cp < 0x80) return cp > 0x20 && cp != 0x7F && cp != '%';
    return cp > 0x9F && cp != 0x2028 && cp != 0x2029;
}

char *logtext_put(char *p, const char *s, size_t max)
{
    static const char hex[] = "0123456789ABCDEF";
    char *const limit = p + max;
    for (const char *u = s; *u; ) {
        uint32_t cp = 0;
        size_t len = utf8_decode(u, &cp);
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
