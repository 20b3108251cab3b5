/*
 * url.c: the URL questions of url.h. Base layer: libc only.
 */
#include "base/url.h"

#include <string.h>

bool url_is_loopback(const char *url)
{
    const char *u = url ? url : "";
    const char *h = strstr(u, "://");
    h = h ? h + 3 : u;
    return !strncmp(h, "localhost", 9) || !strncmp(h, "127.", 4) || !strncmp(h, "[::1]", 5);
}

bool url_base_valid(const char *base)
{
    const char *u = base ? base : "";
    const char *host = !strncmp(u, "https://", 8) ? u + 8 : !strncmp(u, "http://", 7) ? u + 7 : NULL;
    return host && *host && *host != '/' && !strpbrk(u, "?# \t\r\n\"<>\\");
}

size_t url_base_len(const char *base)
{
    size_t n = base ? strlen(base) : 0;
    while (n && base[n - 1] == '/') n--;
    return n;
}

/* The rule of url_local_path on one form of the path (see url.h). */
static bool local_form_ok(const char *p)
{
    if (p[0] != '/' || p[1] == '/' || p[1] == '\\') return false;
    for (const unsigned char *c = (const unsigned char *)p; *c; c++)
        if (*c < 0x20 || *c == 0x7F || *c == '\\') return false;
    /* Dot segments: "/./", "/../", and "/." or "/.." at the end or before
     * '?' or '#'. */
    for (const char *s = p; (s = strchr(s, '/')); s++) {
        size_t dots = strspn(s + 1, ".");
        char after = s[1 + dots];
        if ((dots == 1 || dots == 2) && (!after || after == '/' || after == '?' || after == '#'))
            return false;
    }
    return true;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Percent-decode src into dst (at least strlen(src) + 1 bytes); true
 * when anything was decoded. */
static bool pct_decode(const char *src, char *dst)
{
    bool any = false;
    for (; *src; src++) {
        int hi, lo;
        if (*src == '%' && (hi = hexval(src[1])) >= 0 && (lo = hexval(src[2])) >= 0) {
            int c = hi * 16 + lo;
            *dst++ = (char)(c ? c : 0x01);   /* %00: a control character, refused */
            src += 2;
            any = true;
        } else {
            *dst++ = *src;
        }
    }
    *dst = '\0';
    return any;
}

bool url_local_path(const char *p)
{
    if (!p) return false;
    size_t n = strlen(p);
    if (n >= 200) return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] < 0x21 || (unsigned char)p[i] > 0x7E) return false;
    char a[200], b[200];
    memcpy(a, p, n + 1);
    for (int round = 0;; round++) {
        if (!local_form_ok(a)) return false;
        if (round == 3 || !pct_decode(a, b)) return true;
        memcpy(a, b, strlen(b) + 1);
    }
}
