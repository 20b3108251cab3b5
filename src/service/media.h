/*
 * media.h (service): the photos sent with responses, for the staff who
 * may see raw answers (issue 16; the caller checks the role: http_media.c).
 * Calls store/store_media.h.
 */
#ifndef BUZON_SERVICE_MEDIA_H
#define BUZON_SERVICE_MEDIA_H

#include "service/db.h"
#include "store/store_media.h"

/* The file named name of a response to form form_id: STORE_OK with *out
 * filled (free with svc_media_free), STORE_NOTFOUND or STORE_ERR. */
store_rc_t svc_media_get(store_t *s, const char *form_id, const char *name, store_media_file_t *out);
void svc_media_free(store_media_file_t *f);
/* The photos of the response that opened case case_id (store_media_of_case). */
store_rc_t svc_media_of_case(store_t *s, int64_t case_id, char ***names, size_t *n);
void svc_media_names_free(char **names, size_t n);

#endif
