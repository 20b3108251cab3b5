/*
 * url.h: small questions about a URL as text, for the server and the
 * commands alike (percent-encoding is urlenc.h). Base layer: libc only.
 */
#ifndef BUZON_URL_H
#define BUZON_URL_H

#include <stdbool.h>
#include <stddef.h>

/* True when url's host is this machine only (localhost, 127.x, [::1]), so
 * no phone can open a link built on it. The scheme ("http://") is
 * optional; NULL counts as "" (false). */
bool url_is_loopback(const char *url);

/* True when base can be the base of buzon's public links (`serve
 * --base-url`, `poster --base-url`): "http://" or "https://", then a host
 * (not empty, not starting with '/'), then optionally :port and a path;
 * none of ? # " < > \ or white space, since a short link "/q/<code>" is
 * appended to it as it is. NULL counts as "" (false). */
bool url_base_valid(const char *base);

/* The length of base without its trailing '/'s, so "http://x/" and
 * "http://x" give the same links. NULL counts as "" (0). */
size_t url_base_len(const char *base);

#endif
