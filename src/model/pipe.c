/*
 * pipe.c: finding `${name}` references in label texts (pipe.h).
 */
#include "model/pipe.h"

#include <string.h>

size_t pipe_ref(const char *p, const char **name, size_t *nlen)
{
    if (p[0] != '$' || p[1] != '{') return 0;
    size_t n = 0;
    const unsigned char *s = (const unsigned char *)p + 2;
    while (s[n] && s[n] != '}' && n <= PIPE_NAME_MAX) {
        if (s[n] <= ' ' || s[n] == 0x7f || s[n] == '$' || s[n] == '{') return 0;
        n++;
    }
    if (s[n] != '}' || n == 0 || n > PIPE_NAME_MAX) return 0;
    *name = p + 2;
    *nlen = n;
    return n + 3;
}

void pipe_refs(const char *text, void (*cb)(void *arg, const char *name), void *arg)
{
    if (!text) return;
    for (const char *p = strchr(text, '$'); p; p = strchr(p, '$')) {
        const char *name;
        size_t n, len = pipe_ref(p, &name, &n);
        if (!len) {
            p++;
            continue;
        }
        char tmp[PIPE_NAME_MAX + 1];
        memcpy(tmp, name, n);
        tmp[n] = '\0';
        cb(arg, tmp);
        p += len;
    }
}
