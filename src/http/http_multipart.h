/*
 * http_multipart.h: a request body in multipart/form-data (a form with a
 * file field: enctype=multipart/form-data), split into its parts by
 * libmicrohttpd's own post processor. The body has already been read into
 * memory within the route's limit (http.c), so every part is bounded by it.
 */
#ifndef BUZON_HTTP_MULTIPART_H
#define BUZON_HTTP_MULTIPART_H

#include <microhttpd.h>
#include <stddef.h>

#include "base/buf.h"

/* More parts than any of buzon's forms sends means a hostile body (a
 * survey with a photo sends one part per answer: issue 16). */
#define HTTP_PARTS_MAX 256

typedef struct http_part {
    char  *name;        /* the field's name */
    char  *filename;    /* as the browser sent it, or NULL for a plain field */
    buf_t  data;        /* the bytes (data.data NULL when empty) */
} http_part_t;

typedef struct http_parts {
    http_part_t *v;     /* n of them, grown as parts come (owned) */
    size_t      n;
} http_parts_t;

/* Split body (of c's request, whose Content-Type names the boundary) into
 * out. 0, or -1 when the request is not multipart/form-data, the body is
 * malformed, or it has more than HTTP_PARTS_MAX parts; out is then empty.
 * Free with http_parts_free either way. */
int http_multipart_parse(struct MHD_Connection *c, const buf_t *body, http_parts_t *out);
void http_parts_free(http_parts_t *p);
/* The first part named name, or NULL. */
const http_part_t *http_part_get(const http_parts_t *p, const char *name);

#endif
