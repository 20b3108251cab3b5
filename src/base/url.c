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
