/*
 * points.h: the service points where posters hang (forms/points.csv) and
 * the service types they belong to (forms/services.csv).
 *
 * points.csv columns:   id, name, service   (+ optional name::Kreyòl (ht))
 * services.csv columns: id, label::Español (es), label::Kreyòl (ht)
 * Ids are lowercase ASCII letters, digits, '-' and '_'. Every point's
 * service must be a known service id. Same CSV tolerances as the forms.
 */
#ifndef BUZON_POINTS_H
#define BUZON_POINTS_H

#include <stddef.h>
#include "model/form.h"

typedef struct service {
    char *id;          /* "mercado", "matadero", ... */
    char *label_es, *label_ht;
} service_t;

typedef struct point {
    char *id;          /* "mercado-municipal" */
    char *name;        /* Spanish name, shown on posters and pages */
    char *name_ht;     /* Kreyòl name, or NULL to use name */
    const service_t *service;
} point_t;

typedef struct points {
    service_t *services; size_t nservices;
    point_t   *points;   size_t npoints;
} points_t;

/* Load dir/services.csv and dir/points.csv. Returns 0, or -1 with every
 * problem appended to d as `file:row: message`. On success the caller frees
 * with points_free. Missing files are an error. */
int points_load(const char *dir, points_t *out, diag_t *d);
void points_free(points_t *p);
const point_t   *points_find(const points_t *p, const char *id);
const service_t *points_service(const points_t *p, const char *id);

#endif
