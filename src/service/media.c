/*
 * media.c (service): the photos of responses, read for staff (media.h).
 */
#include "service/media.h"

store_rc_t svc_media_get(store_t *s, const char *form_id, const char *name, store_media_file_t *out)
{
    return store_media_get(s, form_id, name, out);
}

store_rc_t svc_media_of_case(store_t *s, int64_t case_id, char ***names, size_t *n)
{
    return store_media_of_case(s, case_id, names, n);
}

void svc_media_names_free(char **names, size_t n)
{
    store_media_names_free(names, n);
}

void svc_media_free(store_media_file_t *f)
{
    store_media_file_free(f);
}
