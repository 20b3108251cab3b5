/*
 * http_multipart.c: see http_multipart.h. libmicrohttpd calls the
 * iterator once per chunk of a part's data, with the offset of the chunk
 * in the part; offset 0 starts a part (an empty part may come as one call
 * with no data, or none at all).
 */
#include "http/http_multipart.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct ctx {
    http_parts_t *out;
    bool overflow;
} ctx_t;

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
                               const char *content_type, const char *transfer_encoding,
                               const char *data, uint64_t off, size_t size)
{
    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    ctx_t *cx = cls;
    http_parts_t *p = cx->out;
    http_part_t *last = p->n ? &p->v[p->n - 1] : NULL;
    bool same = last && off > 0 && !strcmp(last->name, key ? key : "");
    /* A first call without data, then the data from offset 0. */
    if (!same && last && off == 0 && !last->data.len && !strcmp(last->name, key ? key : "")) same = true;
    if (!same) {
        if (p->n == HTTP_PARTS_MAX) {
            cx->overflow = true;
            return MHD_NO;
        }
        p->v = xrealloc(p->v, (p->n + 1) * sizeof *p->v);
        last = &p->v[p->n++];
        last->name = xstrdup(key ? key : "");
        last->filename = filename ? xstrdup(filename) : NULL;
        buf_init(&last->data);
    }
    if (size) buf_append(&last->data, data, size);
    return MHD_YES;
}

int http_multipart_parse(struct MHD_Connection *c, const buf_t *body, http_parts_t *out)
{
    memset(out, 0, sizeof *out);
    const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!type || strncasecmp(type, "multipart/form-data", 19)) return -1;
    ctx_t cx = { out, false };
    struct MHD_PostProcessor *pp = MHD_create_post_processor(c, 16 * 1024, on_part, &cx);
    if (!pp) return -1;
    bool ok = MHD_post_process(pp, body->data ? body->data : "", body->len) == MHD_YES;
    ok = MHD_destroy_post_processor(pp) == MHD_YES && ok && !cx.overflow;
    if (!ok) {
        http_parts_free(out);
        return -1;
    }
    return 0;
}

void http_parts_free(http_parts_t *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].name);
        free(p->v[i].filename);
        buf_free(&p->v[i].data);
    }
    free(p->v);
    memset(p, 0, sizeof *p);
}

const http_part_t *http_part_get(const http_parts_t *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->v[i].name, name)) return &p->v[i];
    return NULL;
}
