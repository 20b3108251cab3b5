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
