/*
 * notices.c: staff notice settings and state for the pages and the
 * command line (see notices.h).
 */
#include "service/notices.h"

#include <string.h>

#include "store/store_notice.h"

store_rc_t notices_prefs(store_t *s, notice_pref_t **out, size_t *n)
{
    return store_notice_prefs(s, out, n);
}

bool notices_lang_ok(const char *lang)
{
    return lang && (!strcmp(lang, "es") || !strcmp(lang, "ht"));
}

notices_rc_t notices_set(store_t *s, const char *name, const char *email, const char *services,
                         const char *lang, const char *actor, int64_t now)
{
    if (email && *email && !notice_email_ok(email)) return NOTICES_BAD_EMAIL;
    if (lang && !notices_lang_ok(lang)) return NOTICES_BAD_LANG;
    switch (store_notice_set(s, name, email, services, lang, actor, now)) {
    case STORE_OK: return NOTICES_OK;
    case STORE_NOTFOUND: return NOTICES_NOTFOUND;
    default: return NOTICES_ERR;
    }
}

store_rc_t notices_status(store_t *s, notices_status_t *out)
{
    memset(out, 0, sizeof *out);
    return store_notice_status(s, &out->pending, &out->error, &out->error_at);
}
