/*
 * app.c: assembling what the server holds for its life (see app.h):
 * the catalog of forms/ (catalog.h), static files and the database, with
 * every load problem reported before the first request is accepted.
 */
#include "http/app.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/auth.h"
#include "base/buf.h"
#include "base/gz.h"
#include "http/page_cache.h"
#include "http/report_cache.h"
#include "base/url.h"
#include "model/shortcode.h"
#include "service/forms.h"
#include "service/indicators.h"
#include "service/interview.h"

static const struct { const char *ext, *type; } mime[] = {
    { ".css", "text/css; charset=utf-8" },
    { ".js", "text/javascript; charset=utf-8" },
    { ".svg", "image/svg+xml" },
    { ".png", "image/png" },
    { ".ico", "image/x-icon" },
    { ".txt", "text/plain; charset=utf-8" },
};

static const char *mime_type(const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof mime / sizeof mime[0]; i++) {
        size_t el = strlen(mime[i].ext);
        if (n > el && !strcmp(name + n - el, mime[i].ext)) return mime[i].type;
    }
    return NULL;
}

static int read_file(const char *path, char **data, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return -1;
    buf_t b;
    buf_init(&b);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) buf_append(&b, chunk, n);
    int err = ferror(fp);
    fclose(fp);
    if (err) { buf_free(&b); return -1; }
    *len = b.len;
    *data = buf_steal(&b);
    return 0;
}

/* Load every file of www/ with a known type, into memory: they are few
 * and small, and served on every page view. */
static int load_www(app_t *app, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "buzon: cannot open static files folder %s: %s\n", dir, strerror(errno));
        return -1;
    }
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        const char *type = mime_type(e->d_name);
        if (!type || e->d_name[0] == '.') continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        static_file_t sf = { .name = xstrdup(e->d_name), .type = type };
        if (read_file(path, &sf.data, &sf.len) < 0) {
            fprintf(stderr, "buzon: cannot read %s: %s\n", path, strerror(errno));
            free(sf.name);
            rc = -1;
            continue;
        }
        unsigned char h[8];
        crypto_generichash(h, sizeof h, (const unsigned char *)sf.data, sf.len, NULL, 0);
        snprintf(sf.etag, sizeof sf.etag, "\"%02x%02x%02x%02x%02x%02x%02x%02x\"",
                 h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]);
        snprintf(sf.etag_gz, sizeof sf.etag_gz, "%.*s-gz\"", (int)strlen(sf.etag) - 1, sf.etag);
        buf_t z;
        buf_init(&z);
        if (gz_compress(sf.data, sf.len, &z) && z.len < sf.len) {
            sf.gz_len = z.len;
            sf.gz = buf_steal(&z);
        }
        buf_free(&z);
        app->files = xrealloc(app->files, (app->nfiles + 1) * sizeof *app->files);
        app->files[app->nfiles++] = sf;
    }
    closedir(d);
    return rc;
}

/* A new app_forms_t for cat (taken over): the versions of its forms
 * recorded, empty caches, one reference (the caller's). NULL (cat freed)
 * after a message on stderr when a version cannot be recorded. */
static app_forms_t *forms_new(app_t *app, catalog_t *cat)
{
    app_forms_t *af = xcalloc(1, sizeof *af);
    af->cat = *cat;
    memset(cat, 0, sizeof *cat);
    af->form_version_id = xcalloc(af->cat.nforms ? af->cat.nforms : 1, sizeof *af->form_version_id);
    for (size_t i = 0; i < af->cat.nforms; i++) {
        const form_t *f = af->cat.forms[i];
        if (svc_form_version(app->store, f->id, f->version, f->hash, f->source,
                             &af->form_version_id[i]) != STORE_OK) {
            fprintf(stderr, "buzon: cannot record the version of form %s\n", f->id);
            catalog_free(&af->cat);
            free(af->form_version_id);
            free(af);
            return NULL;
        }
    }
    af->pages = page_cache_new(&af->cat);
    af->reports = report_cache_new();
    af->refs = 1;
    return af;
}

static void forms_free(app_forms_t *af)
{
    if (!af) return;
    page_cache_free(af->pages);
    report_cache_free(af->reports);
    catalog_free(&af->cat);
    free(af->form_version_id);
    free(af);
}

/* The lock is not part of the app's value: taking forms from a const
 * app_t is reading it. */
static pthread_mutex_t *forms_mu(const app_t *app)
{
    return (pthread_mutex_t *)&app->forms_mu;
}

app_forms_t *app_forms_take(const app_t *app)
{
    pthread_mutex_lock(forms_mu(app));
    app_forms_t *af = app->forms;
    af->refs++;
    pthread_mutex_unlock(forms_mu(app));
    return af;
}

void app_forms_drop(const app_t *app, app_forms_t *af)
{
    if (!af) return;
    pthread_mutex_lock(forms_mu(app));
    bool last = --af->refs == 0;
    pthread_mutex_unlock(forms_mu(app));
    if (last) forms_free(af);
}

app_forms_t *app_forms_prepare(app_t *app, catalog_t *cat)
{
    return forms_new(app, cat);
}

void app_forms_install(app_t *app, app_forms_t *af)
{
    pthread_mutex_lock(&app->forms_mu);
    app_forms_t *old = app->forms;
    app->forms = af;
    pthread_mutex_unlock(&app->forms_mu);
    app_forms_drop(app, old);         /* the app's own reference */
}

void app_forms_discard(app_forms_t *af)
{
    assert(!af || af->refs == 1);
    forms_free(af);
}

int app_open(app_t *app, const app_config_t *cfg)
{
    memset(app, 0, sizeof *app);
    pthread_mutex_init(&app->forms_mu, NULL);
    pthread_mutex_init(&app->publish_mu, NULL);
    if (sodium_init() < 0) {
        fputs("buzon: libsodium failed to initialise\n", stderr);
        app_close(app);
        return -1;
    }
    app->forms_dir = xstrdup(cfg->forms_dir);
    if (load_www(app, cfg->www_dir) < 0) {
        app_close(app);
        return -1;
    }
    char err[512];
    app->store = svc_db_open(cfg->db_path, err, sizeof err);
    if (!app->store) {
        fprintf(stderr, "buzon: database %s: %s\n", cfg->db_path, err);
        app_close(app);
        return -1;
    }
    /* The folder's forms with those published from the browser, which
     * live in the database. */
    catalog_t cat;
    if (svc_catalog_open(cfg->forms_dir, app->store, cfg->db_path, &cat, stderr) < 0) {
        app_close(app);
        return -1;
    }
    catalog_print_notices(&cat, cfg->forms_dir, stderr);
    app->forms = forms_new(app, &cat);
    if (!app->forms) {
        app_close(app);
        return -1;
    }
    /* Responses stored since the last run are folded into the indicator
     * aggregates now rather than on the first dashboard view. A failure
     * does not stop the surveys: each view retries. */
    app->min_cell = cfg->min_cell > 0 ? cfg->min_cell : IND_THRESHOLD_DEFAULT;
    int64_t folded;
    if (ind_sync(app->store, &app->forms->cat.indicators, &folded) != STORE_OK)
        fprintf(stderr, "buzon: indicators: cannot update the aggregates now\n");
    else if (folded)
        fprintf(stderr, "buzon: indicators: %lld responses folded in\n", (long long)folded);
    app->throttle = auth_throttle_new();
    /* issue 17: the keys of interviews kept offline; without them an
     * interview is sent online only (the page offers nothing more). */
    app->seal = interview_keys(app->store);
    if (!app->seal) fprintf(stderr, "buzon: interviews: cannot read the server's secret: kept interviews are off\n");
    app->secure_cookies = cfg->base_url && !strncmp(cfg->base_url, "https://", 8);
    app->public_indicators = cfg->public_indicators;
    app->contact_retention_days = cfg->contact_retention_days;
    app->program = cfg->program ? cfg->program : "buzon";
    if (cfg->base_url) {              /* else http_start sets it */
        app->base_url = strndup(cfg->base_url, url_base_len(cfg->base_url));
    }
    return 0;
}

void app_close(app_t *app)
{
    /* Every request has ended: only the app's reference is left. */
    assert(!app->forms || app->forms->refs == 1);
    forms_free(app->forms);
    auth_throttle_free(app->throttle);
    seal_keys_free(app->seal);
    svc_db_close(app->store);
    for (size_t i = 0; i < app->nfiles; i++) {
        free(app->files[i].name);
        free(app->files[i].data);
        free(app->files[i].gz);
    }
    free(app->files);
    free(app->forms_dir);
    free(app->base_url);
    pthread_mutex_destroy(&app->forms_mu);
    pthread_mutex_destroy(&app->publish_mu);
    memset(app, 0, sizeof *app);
}

bool app_base_url_is_loopback(const app_t *app)
{
    return url_is_loopback(app->base_url);
}

const static_file_t *app_file(const app_t *app, const char *name)
{
    for (size_t i = 0; i < app->nfiles; i++)
        if (!strcmp(app->files[i].name, name)) return &app->files[i];
    return NULL;
}
