/*
 * http_route.h: the route table. Routes are parsed from the decoded path
 * into a typed route_t before any handler runs, so handlers only ever see
 * well-formed identifiers. Pure (no allocation, no other project header),
 * so the parser is fuzzed and tested alone.
 */
#ifndef BUZON_HTTP_ROUTE_H
#define BUZON_HTTP_ROUTE_H

typedef enum route_id {
    R_NOT_FOUND = 0,
    R_INDEX,           /* /                         */
    R_HEALTH,          /* /healthz                  */
    R_STATIC,          /* /s/<file>                 */
    R_SURVEY,          /* /e/<form>                 GET, POST */
    R_THANKS,          /* /e/<form>/gracias         */
    R_SHORT,           /* /q/<code>                 */
    R_API_FORMS,       /* /api/v1/forms             */
    R_API_INDICATORS,  /* /api/v1/indicators        */
    R_API_IND_CSV,     /* /api/v1/indicators.csv    */
    R_API_IND_XLSX,    /* /api/v1/indicators.xlsx   */
    R_DASHBOARD,       /* /indicadores              */
    R_PLAN,            /* /indicadores/plan         */
    R_POSTERS,         /* /carteles                 */
    R_POSTER_FILE,     /* /carteles/<form>.svg|png  */
    /* staff area and cases (http_staff.c, http_cases.c, http_export.c) */
    R_LOGIN,           /* /login                    GET, POST */
    R_LOGOUT,          /* /logout                   POST */
    R_PANEL,           /* /panel                    */
    R_USERS,           /* /usuarios                 */
    R_AUDIT,           /* /auditoria                */
    R_CASES,           /* /casos                    */
    R_CASE,            /* /casos/<code>             GET, POST */
    R_TRACK_FORM,      /* /seguimiento              */
    R_TRACK,           /* /seguimiento/<code>       */
    R_API_RESP_CSV,    /* /api/v1/forms/<form>/responses.csv  */
    R_API_RESP_XLSX,   /* /api/v1/forms/<form>/responses.xlsx */
    /* forms published from the browser (http_forms.c) */
    R_FORMS,           /* /formularios              GET, POST (upload) */
    R_FORM_DRAFT,      /* /formularios/borrador/<n> GET, POST (publish) */
    R_FORM_PREVIEW,    /* /formularios/borrador/<n>/vista */
    R_FORM_WITHDRAW,   /* /formularios/<form>/retirar POST */
    R_FORM_DRAFT_LIVE, /* /formularios/borrador/<n>/vivo POST: the preview's live state */
    R_SURVEY_LIVE,     /* /e/<form>/vivo            POST: live recalculation (http_live.c) */
    R_API_MEDIA,       /* /api/v1/forms/<form>/media/<name> GET, a response's photo (http_media.c) */
    R_SURVEY_IMAGE,    /* /e/<form>/imagen?f=<file> a choice's picture (http_media.c, issue 16) */
    R_REGISTERS,       /* /registros                the staff registers (http_registers.c, issue 18) */
    R_REGISTER,        /* /registros/<form>         GET, POST: a register entry */
    R_REGISTER_LIVE,   /* /registros/<form>/vivo    POST: its live state (issue 18) */
    /* issue 18: the report for the MAP (http_indicators.c) */
    R_PLAN_PDF,        /* /indicadores/plan/informe.pdf  */
    R_PLAN_XLSX,       /* /indicadores/plan/informe.xlsx */
    /* issue 17: answers entered by staff (http_entry.c) */
    R_ENTRY,           /* /entrada                  ?codigo=<code>: a paper's short code */
    R_ENTRY_FORM,      /* /entrada/<code>           GET, POST: a paper's answers */
    R_INTERVIEWS,      /* /entrevista               the forms to interview with */
    R_INTERVIEW,       /* /entrevista/<form>        GET, POST: an interview (?p=<point>) */
    /* issue 17: sharing (http_share.c) */
    R_FAVICON,         /* /favicon.ico             (www/favicon.ico) */
    R_MANIFEST,        /* /manifest.webmanifest    the web manifest */
    R_REGISTER_ENTRIES, /* /registros/<form>/entradas GET: its entries (issue 18 follow-up) */
    R_COUNT
} route_id_t;

#define ROUTE_ARG_MAX 64

typedef struct route {
    route_id_t id;
    char arg[ROUTE_ARG_MAX + 1];    /* form id, file name or code; "" if none */
    char arg2[ROUTE_ARG_MAX + 1];   /* R_API_MEDIA: the file's name; else "" */
} route_t;

/* Parse a decoded URL path (no query string). Segments that are not plain
 * identifiers ([A-Za-z0-9_.-], not "." or "..", at most ROUTE_ARG_MAX
 * bytes) never match, so r->id is R_NOT_FOUND for them. */
void route_parse(const char *path, route_t *r);

#endif
