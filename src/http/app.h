/*
 * app.h: what the server holds for its whole life: the store, the static
 * files of www/ and the configuration, built once at start by app_open()
 * and read-only afterwards, so request threads share them without locks
 * (the store locks itself); and the forms being served (app_forms_t),
 * which a publication from the browser replaces while the server runs.
 *
 * The forms: each request takes the current app_forms_t when it starts
 * and lets it go when it ends (http.c), so it sees one consistent catalog
 * however long it runs, and a replaced one is freed when its last request
 * ends. Everything derived from a catalog (the database ids of its forms'
 * definitions, the cached survey pages and indicator reports) lives in
 * the same app_forms_t, so nothing outlives the catalog it points into.
 */
#ifndef BUZON_APP_H
#define BUZON_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <pthread.h>
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

/* One catalog being served and what is derived from it (see above). */
typedef struct app_forms {
    catalog_t      cat;               /* forms/ and the published workbooks:
                                         forms, points, services, carta,
                                         holidays, indicators, plan */
    int64_t       *form_version_id;   /* per form of cat, from svc_form_version */
    struct page_cache *pages;         /* fresh survey pages (page_cache.h) */
    struct report_cache *reports;     /* indicator reports (report_cache.h) */
    unsigned       refs;              /* the app's, and one per request
                                         holding it; under app_t.forms_mu */
} app_forms_t;

typedef struct app {
    app_forms_t   *forms;             /* the current one; read it only
                                         through app_forms_take */
    pthread_mutex_t forms_mu;         /* guards forms and every refs */
    pthread_mutex_t publish_mu;       /* one publication at a time */
    char          *forms_dir;         /* cfg->forms_dir, to build the next */
    store_t       *store;
    char          *base_url;          /* without trailing '/' */
    static_file_t *files;
    size_t         nfiles;
    /* staff and cases (auth.h, cases.h) */
    struct auth_throttle *throttle;   /* failed logins (locks itself) */
    bool           secure_cookies;    /* base URL is https:// */
    bool           public_indicators;
    int            contact_retention_days;
    /* indicators (indicators.h): definitions and plan are in cat */
    int            min_cell;          /* smallest n of a published figure */
    const char    *program;           /* app_config_t's, never NULL */
    struct seal_keys *seal;           /* issue 17: interviews kept offline
                                         (service/interview.h); NULL: off */
} app_t;

/* Load the catalog of cfg->forms_dir (catalog.h) and www/, open the
 * database and record the form versions. Returns 0, or -1 after printing
 * every problem to stderr (catalog problems as `file:row: message`). On
 * failure nothing needs freeing. */
int app_open(app_t *app, const app_config_t *cfg);
void app_close(app_t *app);

/* The forms being served now, held until app_forms_drop (never NULL
 * between app_open and app_close). Any thread. */
app_forms_t *app_forms_take(const app_t *app);
/* Let go of forms taken with app_forms_take (NULL is fine); frees them
 * when they were replaced and this was their last holder. */
void app_forms_drop(const app_t *app, app_forms_t *forms);
/* The next forms to serve, from cat (taken over, whatever happens): its
 * forms' versions recorded in the database, empty caches. Not served until
 * app_forms_install; app_forms_discard if the change it belongs to is not
 * committed. NULL (cat freed) when a version cannot be recorded. Making it
 * before committing a publication means a committed publication is always
 * served (no write is left to fail after the commit). */
app_forms_t *app_forms_prepare(app_t *app, catalog_t *cat);
/* Serve next from now on; requests already running keep theirs. Callers
 * serialise with publish_mu. */
void app_forms_install(app_t *app, app_forms_t *next);
void app_forms_discard(app_forms_t *next);

/* True when the base URL names this machine only (localhost, 127.x,
 * [::1]): posters made with it cannot be opened by any phone. */
bool app_base_url_is_loopback(const app_t *app);
/* Static file by name, or NULL. */
const static_file_t *app_file(const app_t *app, const char *name);

#endif
