/*
 * geo.h: places as answers (issue 16, item 3): the geopoint, geotrace and
 * geoshape values of a form, read from what a person types or pastes and
 * kept as ODK keeps them, "lat lon alt acc" (decimal degrees, metres;
 * altitude and accuracy 0 when unknown) and, for a trace or shape, such
 * points joined by "; ". Also how staff see a point: "lat, lon (± acc m)"
 * and an OpenStreetMap link (no tile server, no map library).
 * Pure functions over strings: no I/O, no locale (a '.' is the decimal
 * point whatever the process locale says).
 */
#ifndef BUZON_GEO_H
#define BUZON_GEO_H

#include <stdbool.h>
#include "base/buf.h"

typedef struct geo_point {
    double lat, lon, alt, acc;
} geo_point_t;

typedef enum geo_err {
    GEO_OK = 0,
    GEO_SYNTAX,    /* not numbers in a form we read */
    GEO_RANGE,     /* latitude outside -90..90, longitude outside
                      -180..180, or a negative accuracy */
    GEO_FEW,       /* a trace with fewer than 2 points */
    GEO_OPEN,      /* a shape with fewer than 4 points or whose last
                      point is not its first */
} geo_err_t;

/* Read one point: "lat lon [alt [acc]]" (blanks), "lat, lon" or
 * "lat,lon" (a pasted pair), or a geo: URI ("geo:18.85,-71.7[,alt][;u=acc]",
 * RFC 5870). Leading and trailing blanks are ignored. On GEO_OK *p holds
 * it (alt and acc 0 when not given). */
geo_err_t geo_point_parse(const char *s, geo_point_t *p);
/* The ODK value of p, "lat lon alt acc", appended to o; numbers as
 * short as they round-trip ("18.85 -71.7 0 0"). */
void geo_point_format(buf_t *o, const geo_point_t *p);
/* Read a trace (shape false) or a shape (shape true): points as
 * geo_point_parse reads them, separated by ';' or line breaks (empty
 * items, as after a trailing ';', are skipped). A trace needs 2 points,
 * a shape 4 with the last equal to the first. On GEO_OK, *norm (caller
 * frees) is the ODK value, points joined by "; "; else *norm is NULL. */
geo_err_t geo_list_parse(const char *s, bool shape, char **norm);
/* For staff: "18.85, -71.7 (± 12 m)" (the accuracy part only when it is
 * above 0), plain text appended to o (the caller escapes it). False (o
 * untouched) when v is not a point. */
bool geo_point_text(buf_t *o, const char *v);
/* The OpenStreetMap address of point v, appended to o:
 * https://www.openstreetmap.org/?mlat=LAT&mlon=LON#map=17/LAT/LON.
 * False (o untouched) when v is not a point. */
bool geo_osm_url(buf_t *o, const char *v);

#endif
