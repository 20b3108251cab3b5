/*
 * store_media.h: reading back the files sent with responses (issue 16,
 * media; written by store_submit with the response, store.h
 * store_media_t). Only staff who may see raw answers get them, which the
 * caller checks (http/http_media.c through service/media.h).
 */
#ifndef BUZON_STORE_MEDIA_H
#define BUZON_STORE_MEDIA_H

#include <stddef.h>

#include "store/store.h"

typedef struct store_media_file {
    char  *type;   /* Content-Type, as sniffed when stored (owned) */
    char  *question;
    void  *data;   /* owned */
    size_t len;
} store_media_file_t;

/* The file named name sent with a response to form form_id: STORE_OK and
 * *out filled (free with store_media_file_free), STORE_NOTFOUND (no such
 * file, or it belongs to another form), or STORE_ERR. */
store_rc_t store_media_get(store_t *s, const char *form_id, const char *name, store_media_file_t *out);
void store_media_file_free(store_media_file_t *f);

/* The names of the files of the response that opened case case_id, in
 * the order they were stored: STORE_OK with *names (n of them; free with
 * store_media_names_free) or STORE_ERR. */
store_rc_t store_media_of_case(store_t *s, int64_t case_id, char ***names, size_t *n);
void store_media_names_free(char **names, size_t n);

#endif
