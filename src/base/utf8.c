/*
 * utf8.c: UTF-8 validation, decoding, counting and boundaries (utf8.h).
 * Base layer: calls only the C library.
 */
#include "base/utf8.h"

static bool is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

bool utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str, *end = s + n;
    while (s < end) {
        unsigned char c = *s;
        if (c < 0x80) { s++; continue; }
        size_t len;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF)      { len = 2; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
        else return false;
        if ((size_t)(end - s) < len) return false;
        for (size_t i = 1; i < len; i++) {
            if (!is_cont(s[i])) return false;
            cp = (cp << 6) | (s[i] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        s += len;
    }
    return true;
}

size_t utf8_decode(const char *s, uint32_t *cp)
{
    static const uint32_t min_for_len[] = { 0, 0, 0x80, 0x800, 0x10000 };
    const unsigned char *u = (const unsigned char *)s;
    size_t n = u[0] < 0x80 ? 1 : u[0] < 0xC0 ? 0 : u[0] < 0xE0 ? 2 : u[0] < 0xF0 ? 3 : u[0] < 0xF8 ? 4 : 0;
    if (n == 0 || u[0] == 0) return 0;
    uint32_t c = n == 1 ? u[0] : (uint32_t)(u[0] & (0x7F >> n));
    for (size_t i = 1; i < n; i++) {
        if (!is_cont(u[i])) return 0;
        c = c << 6 | (u[i] & 0x3F);
    }
    if (c < min_for_len[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    *cp = c;
    return n;
}

size_t utf8_seq_len(unsigned char lead)
{
    return lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

size_t utf8_count(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++) c += !is_cont((unsigned char)s[i]);
    return c;
}

size_t utf8_len(const char *s)
{
    size_t c = 0;
    for (; *s; s++) c += !is_cont((unsigned char)*s);
    return c;
}

size_t utf8_prefix(const char *s, size_t nchars)
{
    size_t n = 0;
    for (size_t k = 0; s[n] && k < nchars; k++)
        do n++; while (is_cont((unsigned char)s[n]));
    return n;
}

size_t utf8_floor(const char *s, size_t pos)
{
    while (pos > 0 && is_cont((unsigned char)s[pos])) pos--;
    return pos;
}

size_t utf8_fold(char *s, size_t n)
{
    /* U+00C0..U+00DF (and, 32 on, U+00E0..U+00FF): the plain letter, or
     * 0 for a letter kept as it is (Æ, Ð, ×, Þ, ß, ÷...). */
    static const char plain[33] = "aaaaaa\0ceeeeiiii\0nooooo\0ouuuuy\0\0";
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xC3 && i + 1 < n && is_cont((unsigned char)s[i + 1])) {
            unsigned off = ((unsigned char)s[i + 1] - 0x80) & 31;
            bool upper = (unsigned char)s[i + 1] < 0xA0;
            char p = (unsigned char)s[i + 1] == 0xBF ? 'y' : plain[off];   /* ÿ */
            if (p) {
                s[w++] = p;
            } else {
                s[w++] = (char)c;
                s[w++] = (char)(upper && off != 31 && off != 23 ? s[i + 1] + 0x20 : s[i + 1]);
            }
            i++;
        } else {
            s[w++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
    }
    return w;
}
