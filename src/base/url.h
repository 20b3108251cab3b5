/*
 * url.h: small questions about a URL as text, for the server and the
 * commands alike (percent-encoding is urlenc.h). Base layer: libc only.
 */
#ifndef BUZON_URL_H
#define BUZON_URL_H

#include <stdbool.h>

/* True when url's host is this machine only (localhost, 127.x, [::1]), so
 * no phone can open a link built on it. The scheme ("http://") is
 * optional; NULL counts as "" (false). */
bool url_is_loopback(const char *url);

#endif
