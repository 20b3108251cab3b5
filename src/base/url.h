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

/* True when p is a path on this site that is safe to redirect to (the
 * `next` of /login): what a browser makes of it as a Location stays on
 * this host. Browsers drop TAB, CR and LF anywhere in a URL, read '\\'
 * as '/', and take "//host" as another site, so "/\t/evil.example" and
 * "/\\evil.example" are "//evil.example". The rule, checked on p and on
 * its percent-decoded forms (decoded up to three times, so "/%2F/x" and
 * "/%252F/x" are refused too): it starts with one '/' not followed by
 * '/' or '\\'; it holds no '\\', no control character (below 0x20, or
 * 0x7F) and no "." or ".." path segment; p itself is printable ASCII
 * (0x21-0x7E, as a percent-encoded path is) and shorter than 200
 * bytes. NULL is false. */
bool url_local_path(const char *p);

#endif
