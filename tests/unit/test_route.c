/*
 * test_route.c: from a URL path to a route (http/http_route.h), pinned
 * for every exact path and the near misses of each: session 23 made the
 * exact-path search skip paths by their second byte, which must never
 * change which route a path is.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "http/http_route.h"

static void is(const char *path, route_id_t id, const char *arg)
{
    route_t r;
    route_parse(path, &r);
    if (r.id != id || strcmp(r.arg, arg))
        fail_msg("\"%s\": got route %d \"%s\", want %d \"%s\"", path, (int)r.id, r.arg, (int)id, arg);
}

static void test_exact_paths_and_their_near_misses(void **state)
{
    (void)state;
    static const struct { const char *path; route_id_t id; } exact[] = {
        { "/", R_INDEX }, { "/healthz", R_HEALTH }, { "/api/v1/forms", R_API_FORMS },
        { "/carteles", R_POSTERS }, { "/api/v1/indicators", R_API_INDICATORS },
        { "/api/v1/indicators.csv", R_API_IND_CSV }, { "/api/v1/indicators.xlsx", R_API_IND_XLSX },
        { "/indicadores", R_DASHBOARD }, { "/indicadores/plan", R_PLAN }, { "/login", R_LOGIN },
        { "/logout", R_LOGOUT }, { "/panel", R_PANEL }, { "/usuarios", R_USERS },
        { "/auditoria", R_AUDIT }, { "/casos", R_CASES }, { "/seguimiento", R_TRACK_FORM },
        { "/formularios", R_FORMS }, { "/registros", R_REGISTERS },
        { "/indicadores/plan/informe.pdf", R_PLAN_PDF }, { "/indicadores/plan/informe.xlsx", R_PLAN_XLSX },
        { "/entrada", R_ENTRY }, { "/entrevista", R_INTERVIEWS }, { "/favicon.ico", R_FAVICON },
        { "/manifest.webmanifest", R_MANIFEST },
    };
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++) {
        char near[64];
        is(exact[i].path, exact[i].id, "");
        snprintf(near, sizeof near, "%sx", exact[i].path);          /* longer */
        if (exact[i].id != R_INDEX) is(near, R_NOT_FOUND, "");
        snprintf(near, sizeof near, "%s", exact[i].path + 1);       /* no slash */
        is(near, R_NOT_FOUND, "");
        snprintf(near, sizeof near, "%s", exact[i].path);           /* one byte short */
        near[strlen(near) - 1] = '\0';
        if (near[0] && strcmp(near, "/") && strcmp(near, "/indicadores/plan/informe.xls"))
            is(near, R_NOT_FOUND, "");
    }
    is("", R_NOT_FOUND, "");
    is("/LOGIN", R_NOT_FOUND, "");
    is(NULL, R_NOT_FOUND, "");
}

static void test_paths_with_an_identifier(void **state)
{
    (void)state;
    is("/e/satisfaccion", R_SURVEY, "satisfaccion");
    is("/e/satisfaccion/gracias", R_THANKS, "satisfaccion");
    is("/e/satisfaccion/vivo", R_SURVEY_LIVE, "satisfaccion");
    is("/e/", R_NOT_FOUND, "");
    is("/e", R_NOT_FOUND, "");
    is("/e/a/b", R_NOT_FOUND, "");
    is("/e/..", R_NOT_FOUND, "");
    is("/s/buzon.css", R_STATIC, "buzon.css");
    is("/carteles/x.pdf", R_POSTER_FILE, "x.pdf");
    is("/registros/r1/entradas", R_REGISTER_ENTRIES, "r1");
    is("/formularios/borrador/f/vista", R_FORM_PREVIEW, "f");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_paths_and_their_near_misses),
        cmocka_unit_test(test_paths_with_an_identifier),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
