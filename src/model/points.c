/*
 * points.c: loads the service types (forms/services.csv) and the service
 * points where posters hang (forms/points.csv), which tie a survey answer
 * to a place (?p=<point id>) and, through the point's service, prefill the
 * `servicio` question of the standard surveys.
 *
 * Both files are small and edited by hand in a spreadsheet, so the loader
 * reads every row and reports every problem at once, in the same
 * `file:row: message` form as the form loader, rather than stopping at the
 * first. Cells are trimmed of surrounding blanks: a trailing space typed in
 * Excel is invisible there and must not make "mercado " a different id.
 */
#include "model/points.h"

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/csvread.h"

/* One CSV file being checked: its path (as diagnostics name it) and rows. */
typedef struct sheet {
    char        *path;
    csv_table_t  t;
} sheet_t;

/* Read dir/name into s. Returns false (with a diagnostic) when the file is
 * missing, unreadable or not valid CSV. */
static bool sheet_read(sheet_t *s, const char *dir, const char *name, diag_t *d)
{
    size_t dl = strlen(dir);
    buf_t p;
    buf_init(&p);
    buf_printf(&p, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", name);
    s->path = buf_steal(&p);
    memset(&s->t, 0, sizeof s->t);

    char err[256];
    size_t len;
    char *data = csv_slurp(s->path, &len, err, sizeof err);
    if (!data) {
        diag_add(d, s->path, 1, "cannot read: %s", strerror(errno));
        return false;
    }
    int rc = csv_parse_bytes(data, len, &s->t, err, sizeof err);
    free(data);
    if (rc != 0) {
        diag_add(d, s->path, s->t.err_line, "%s", err);
        return false;
    }
    return true;
}

static void sheet_free(sheet_t *s)
{
    free(s->path);
    csv_table_free(&s->t);
}

/* Find each of the n column names of s into col[]. Every required column
 * that is missing gets a diagnostic on the header row; optional ones
 * (required[i] false) are left at -1. Returns false if a required one is
 * missing. */
static bool sheet_cols(const sheet_t *s, const char *const *names, const bool *required,
                       int *col, size_t n, diag_t *d)
{
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        col[i] = csv_col(&s->t, names[i]);
        if (col[i] < 0 && required[i]) {
            diag_add(d, s->path, 1, "missing column \"%s\"", names[i]);
            ok = false;
        }
    }
    return ok;
}

static int sheet_line(const sheet_t *s, size_t r)
{
    return s->t.rows[r].line;
}

/* Cell (r, c) with surrounding blanks removed, as a new string (caller
 * frees); "" for an absent column. */
static char *cell_dup(const sheet_t *s, size_t r, int c)
{
    const char *v = csv_cell(&s->t, r, c);
    while (*v == ' ' || *v == '\t') v++;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t')) n--;
    char *out = xmalloc(n + 1);
    memcpy(out, v, n);
    out[n] = '\0';
    return out;
}

static bool id_valid(const char *id)
{
    if (!*id) return false;
    for (const char *c = id; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
            return false;
    return true;
}

/* The first data row above r whose column c holds id, or 0. */
static size_t row_above_with(const sheet_t *s, size_t r, int c, const char *id)
{
    for (size_t r2 = 1; r2 < r; r2++) {
        char *other = cell_dup(s, r2, c);
        bool same = !strcmp(other, id);
        free(other);
        if (same) return r2;
    }
    return 0;
}

/* The id of row r (column c), checked for shape and for uniqueness among
 * the rows above it. Returns it (caller frees) or NULL after a diagnostic. */
static char *row_id(const sheet_t *s, size_t r, int c, diag_t *d)
{
    char *id = cell_dup(s, r, c);
    size_t first;
    if (!*id) {
        diag_add(d, s->path, sheet_line(s, r), "missing id");
    } else if (!id_valid(id)) {
        diag_add(d, s->path, sheet_line(s, r),
                      "invalid id \"%s\": use lowercase letters a-z, digits, '-' or '_'", id);
    } else if ((first = row_above_with(s, r, c, id)) != 0) {
        diag_add(d, s->path, sheet_line(s, r), "duplicate id \"%s\" (first at row %d)",
                      id, sheet_line(s, first));
    } else {
        return id;
    }
    free(id);
    return NULL;
}

/* Cell (r, c) that must not be empty: returns it (caller frees) or NULL
 * after a diagnostic naming what is missing. */
static char *row_text(const sheet_t *s, size_t r, int c, const char *what, diag_t *d)
{
    char *v = cell_dup(s, r, c);
    if (*v) return v;
    diag_add(d, s->path, sheet_line(s, r), "missing %s", what);
    free(v);
    return NULL;
}

enum { SV_ID, SV_ES, SV_HT, SV_NCOLS };

/* Fill p->services from s. Returns false if any row was rejected. The
 * Kreyòl label falls back to the Spanish one when its cell is empty, so
 * label_ht is never NULL. */
static bool load_services(const sheet_t *s, points_t *p, diag_t *d)
{
    static const char *const names[SV_NCOLS] = { "id", "label::Español (es)", "label::Kreyòl (ht)" };
    static const bool required[SV_NCOLS] = { true, true, true };
    int col[SV_NCOLS];
    if (!sheet_cols(s, names, required, col, SV_NCOLS, d)) return false;

    bool ok = true;
    p->services = xcalloc(s->t.nrows, sizeof *p->services);
    for (size_t r = 1; r < s->t.nrows; r++) {
        char *id = row_id(s, r, col[SV_ID], d);
        char *es = row_text(s, r, col[SV_ES], "label::Español (es)", d);
        char *ht = cell_dup(s, r, col[SV_HT]);
        if (!id || !es) {
            free(id); free(es); free(ht);
            ok = false;
            continue;
        }
        if (!*ht) {
            free(ht);
            ht = xstrdup(es);
        }
        p->services[p->nservices++] = (service_t){ .id = id, .label_es = es, .label_ht = ht };
    }
    return ok;
}

enum { PT_ID, PT_NAME, PT_NAME_HT, PT_SERVICE, PT_NCOLS };

/* Fill p->points from s, resolving each point's service among
 * p->services (which must not grow afterwards: points keep pointers into
 * it). check_service is false when services.csv could not be read, so
 * that every point is not also reported as having an unknown service. */
static bool load_points(const sheet_t *s, points_t *p, bool check_service, diag_t *d)
{
    static const char *const names[PT_NCOLS] = { "id", "name", "name::Kreyòl (ht)", "service" };
    static const bool required[PT_NCOLS] = { true, true, false, true };
    int col[PT_NCOLS];
    if (!sheet_cols(s, names, required, col, PT_NCOLS, d)) return false;

    bool ok = true;
    p->points = xcalloc(s->t.nrows, sizeof *p->points);
    for (size_t r = 1; r < s->t.nrows; r++) {
        char *id = row_id(s, r, col[PT_ID], d);
        char *name = row_text(s, r, col[PT_NAME], "name", d);
        char *svc = row_text(s, r, col[PT_SERVICE], "service", d);
        const service_t *sv = svc ? points_service(p, svc) : NULL;
        if (svc && !sv && check_service)
            diag_add(d, s->path, sheet_line(s, r), "unknown service \"%s\"", svc);
        free(svc);
        if (!id || !name || !sv) {
            free(id); free(name);
            ok = false;
            continue;
        }
        char *ht = cell_dup(s, r, col[PT_NAME_HT]);
        if (!*ht) {
            free(ht);
            ht = NULL;
        }
        p->points[p->npoints++] = (point_t){ .id = id, .name = name, .name_ht = ht, .service = sv };
    }
    return ok;
}

int points_load(const char *dir, points_t *out, diag_t *d)
{
    assert(dir && out && d);
    memset(out, 0, sizeof *out);
    sheet_t sv, pt;
    bool sv_read = sheet_read(&sv, dir, "services.csv", d);
    bool sv_ok = sv_read && load_services(&sv, out, d);
    /* Points are checked even when services failed, so one run shows the
     * problems of both files. */
    bool pt_ok = sheet_read(&pt, dir, "points.csv", d)
              && load_points(&pt, out, sv_read && out->services, d);
    sheet_free(&sv);
    sheet_free(&pt);
    if (sv_ok && pt_ok) return 0;
    points_free(out);
    return -1;
}

void points_free(points_t *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->nservices; i++) {
        free(p->services[i].id);
        free(p->services[i].label_es);
        free(p->services[i].label_ht);
    }
    for (size_t i = 0; i < p->npoints; i++) {
        free(p->points[i].id);
        free(p->points[i].name);
        free(p->points[i].name_ht);
    }
    free(p->services);
    free(p->points);
    memset(p, 0, sizeof *p);
}

const point_t *points_find(const points_t *p, const char *id)
{
    assert(p && id);
    for (size_t i = 0; i < p->npoints; i++)
        if (!strcmp(p->points[i].id, id)) return &p->points[i];
    return NULL;
}

const service_t *points_service(const points_t *p, const char *id)
{
    assert(p && id);
    for (size_t i = 0; i < p->nservices; i++)
        if (!strcmp(p->services[i].id, id)) return &p->services[i];
    return NULL;
}
