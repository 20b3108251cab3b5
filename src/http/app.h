/*
 * app.h: what the server holds for its whole life: the catalog of the
 * forms folder (catalog.h; each form with the database id of its exact
 * definition), the store, the static files of www/ and the configuration. Built once at
 * start by app_open() and read-only afterwards, so request threads share
 * it without locks (the store locks itself).
 */
#ifndef BUZON_APP_H
#define BUZON_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "model/catalog.h"
#include "service/db.h"

typedef struct static_file {
    char       *name;          /* "buzon.css" (served as /s/buzon.css) */
    char       *data;
    size_t      len;
    char       *gz;            /* gzipped copy, or NULL when not smaller */
    size_t      gz_len;
    const char *type;          /* Content-Type */
    char        etag[24];      /* quoted strong validator */
    char        etag_gz[28];   /* the gzipped copy's: another representation,
                                  so another strong validator */
} static_file_t;

typedef struct app_config {
    const char *forms_dir;     /* "forms" */
    const char *www_dir;       /* "www" */
    const char *db_path;       /* "var/buzon.db" */
    const char *base_url;      /* "https://buzon.banica.gob.do"; NULL:
                                  http://localhost:<port>, set by
                                  http_start once the port is bound */
    bool public_indicators;    /* /indicadores without logging in */
    int  contact_retention_days; /* contact details kept after a case closes */
    int  min_cell;             /* indicators' privacy threshold; 0: default */
    const char *program;       /* how the program was started ("build/buzon",
                                  "buzon"), for the commands pages show; NULL: "buzon" */
} app_config_t;

typedef struct app {
    catalog_t      cat;               /* forms/: forms, points, services,
                                         carta, holidays, indicators, plan */
    int64_t       *form_version_id;   /* per form of cat, from svc_form_version */
    store_t       *store;
    char          *base_url;          /* without trailing '/' */
    static_file_t *files;
    size_t         nfiles;
    struct page_cache *pages;         /* fresh survey pages (page_cache.h) */
    struct report_cache *reports;     /* indicator reports (report_cache.h) */
    /* staff and cases (auth.h, cases.h) */
    struct auth_throttle *throttle;   /* failed logins (locks itself) */
    bool           secure_cookies;    /* base URL is https:// */
    bool           public_indicators;
    int            contact_retention_days;
    /* indicators (indicators.h): definitions and plan are in cat */
    int            min_cell;          /* smallest n of a published figure */
    const char    *program;           /* app_config_t's, never NULL */
} app_t;

/* Load the catalog of cfg->forms_dir (catalog.h) and www/, open the
 * database and record the form versions. Returns 0, or -1 after printing
 * every problem to stderr (catalog problems as `file:row: message`). On
 * failure nothing needs freeing. */
int app_open(app_t *app, const app_config_t *cfg);
void app_close(app_t *app);

/* True when the base URL names this machine only (localhost, 127.x,
 * [::1]): posters made with it cannot be opened by any phone. */
bool app_base_url_is_loopback(const app_t *app);
/* Static file by name, or NULL. */
const static_file_t *app_file(const app_t *app, const char *name);

#endif
