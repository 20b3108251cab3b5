/*
 * fuzz_route.c: libFuzzer harness for what the server reads from a request
 * line and its headers before any handler runs: the route parser (path to
 * route and argument) and the language choice from ?lang= and
 * Accept-Language.
 *
 * Input: the path, then optionally a NUL byte, the ?lang= value, another
 * NUL byte and the Accept-Language header.
 *
 * Oracle beyond the sanitizers: a matched route's argument is a plain
 * identifier ([A-Za-z0-9_.-], not "." or "..", at most ROUTE_ARG_MAX
 * bytes) that occurs in the path, and an unmatched one has no argument;
 * the language chosen is a real one.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_route.h"
#include "base/i18n.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *next_part(const char *p, const char *end)
{
    size_t n = strlen(p);
    return p + n < end ? p + n + 1 : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = malloc(size + 1);
    if (!in) return 0;
    memcpy(in, data, size);
    in[size] = '\0';
    const char *end = in + size;

    route_t r;
    route_parse(in, &r);
    size_t n = strlen(r.arg);
    assert(n <= ROUTE_ARG_MAX);
    if (r.id == R_NOT_FOUND) {
        assert(n == 0);
    } else if (n > 0) {
        assert(strspn(r.arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n);
        assert(strcmp(r.arg, ".") && strcmp(r.arg, ".."));
        assert(strstr(in, r.arg));
    }

    const char *lang = next_part(in, end);
    const char *accept = lang ? next_part(lang, end) : NULL;
    lang_t l = i18n_negotiate(lang, accept, LANG_ES);
    assert(l == LANG_ES || l == LANG_HT);
    int p = i18n_parse(lang ? lang : in);
    assert(p >= -1 && p < LANG_COUNT);
    free(in);
    return 0;
}
