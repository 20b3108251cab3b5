/*
 * http_route.c: from a URL path to a typed route (see http_route.h). A pure
 * function with no allocation, so it can be fuzzed and tested alone.
 */
#include "http/http_route.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Copy one identifier segment [s, s+n) into out; false if it is not one. */
static bool take_ident(const char *s, size_t n, char out[ROUTE_ARG_MAX + 1])
{
    if (n == 0 || n > ROUTE_ARG_MAX) return false;
    if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.')) return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.'))
            return false;
    }
    memcpy(out, s, n);
    out[n] = '\0';
    return true;
}

/* If path starts with prefix, the rest must be one identifier (optionally
 * followed by exactly suffix). */
static bool match_arg(const char *path, const char *prefix, const char *suffix, route_t *r)
{
    size_t pl = strlen(prefix);
    if (strncmp(path, prefix, pl)) return false;
    const char *rest = path + pl;
    size_t n = strlen(rest), sl = suffix ? strlen(suffix) : 0;
    if (suffix) {
        if (n < sl || strcmp(rest + n - sl, suffix)) return false;
        n -= sl;
    }
    if (memchr(rest, '/', n)) return false;
    return take_ident(rest, n, r->arg);
}

void route_parse(const char *path, route_t *r)
{
    static const struct { const char *path; route_id_t id; } exact[] = {
        { "/", R_INDEX }, { "/healthz", R_HEALTH },
        { "/api/v1/forms", R_API_FORMS }, { "/carteles", R_POSTERS }, { "/api/v1/indicators", R_API_INDICATORS },
        { "/api/v1/indicators.csv", R_API_IND_CSV }, { "/api/v1/indicators.xlsx", R_API_IND_XLSX },
        { "/indicadores", R_DASHBOARD }, { "/indicadores/plan", R_PLAN },
        { "/login", R_LOGIN }, { "/logout", R_LOGOUT }, { "/panel", R_PANEL },
        { "/usuarios", R_USERS }, { "/auditoria", R_AUDIT }, { "/casos", R_CASES },
        { "/seguimiento", R_TRACK_FORM }, { "/formularios", R_FORMS },
        { "/registros", R_REGISTERS },
        { "/indicadores/plan/informe.pdf", R_PLAN_PDF }, { "/indicadores/plan/informe.xlsx", R_PLAN_XLSX },
        { "/entrada", R_ENTRY }, { "/entrevista", R_INTERVIEWS },   /* issue 17 */
        { "/favicon.ico", R_FAVICON }, { "/manifest.webmanifest", R_MANIFEST },
    };
    static const struct { const char *prefix, *suffix; route_id_t id; } with_arg[] = {
        { "/e/", "/gracias", R_THANKS }, { "/e/", "/vivo", R_SURVEY_LIVE },
        { "/e/", "/imagen", R_SURVEY_IMAGE },
        { "/e/", NULL, R_SURVEY },
        { "/s/", NULL, R_STATIC },       { "/q/", NULL, R_SHORT },
        { "/carteles/", NULL, R_POSTER_FILE },
        { "/casos/", NULL, R_CASE },     { "/seguimiento/", NULL, R_TRACK },
        { "/api/v1/forms/", "/responses.csv", R_API_RESP_CSV },
        { "/api/v1/forms/", "/responses.xlsx", R_API_RESP_XLSX },
        { "/formularios/borrador/", "/vista", R_FORM_PREVIEW },
        { "/formularios/borrador/", "/vivo", R_FORM_DRAFT_LIVE },
        { "/formularios/borrador/", NULL, R_FORM_DRAFT },
        { "/formularios/", "/retirar", R_FORM_WITHDRAW },
        { "/registros/", "/vivo", R_REGISTER_LIVE },
        { "/registros/", "/entradas", R_REGISTER_ENTRIES },
        { "/registros/", NULL, R_REGISTER },
        { "/entrada/", NULL, R_ENTRY_FORM }, { "/entrevista/", NULL, R_INTERVIEW },   /* issue 17 */
    };
    r->id = R_NOT_FOUND;
    r->arg[0] = '\0';
    r->arg2[0] = '\0';
    if (!path) return;
    /* issue 16: /api/v1/forms/<form>/media/<name>, two identifiers. */
    static const char media_pre[] = "/api/v1/forms/", media_mid[] = "/media/";
    if (!strncmp(path, media_pre, sizeof media_pre - 1)) {
        const char *form = path + sizeof media_pre - 1, *mid = strstr(form, media_mid);
        if (mid && take_ident(form, (size_t)(mid - form), r->arg)) {
            const char *name = mid + sizeof media_mid - 1;
            if (!strchr(name, '/') && take_ident(name, strlen(name), r->arg2)) {
                r->id = R_API_MEDIA;
                return;
            }
        }
        r->arg[0] = '\0';
    }
    /* Every exact path starts with '/': its second byte rules out most
     * of them without a call (a survey page's "/e/..." all of them). */
    bool slash = path[0] == '/';
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
        if ((!slash || path[1] == exact[i].path[1]) && !strcmp(path, exact[i].path)) {
            r->id = exact[i].id;
            return;
        }
    for (size_t i = 0; i < sizeof with_arg / sizeof with_arg[0]; i++)
        if (match_arg(path, with_arg[i].prefix, with_arg[i].suffix, r)) { r->id = with_arg[i].id; return; }
    r->arg[0] = '\0';
}
