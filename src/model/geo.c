/*
 * geo.c: geopoint, geotrace and geoshape values (geo.h): reading what a
 * person typed or pasted, writing ODK's form of it, and the staff's text
 * and OpenStreetMap link. Numbers are read by hand (digits, one '.', a
 * sign) rather than by strtod alone, which would also take "inf", "nan"
 * and hexadecimal: a place is plain decimal degrees or nothing.
 */
#include "model/geo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"

static const char *skip_blank(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
    return s;
}

/* A plain decimal number at s ("-71.70", "+18", "0.5"): its value in *d
 * and the first character after it; NULL when s does not start with one. */
static const char *read_num(const char *s, double *d)
{
    const char *p = s;
    if (*p == '-' || *p == '+') p++;
    int digits = 0;
    while (*p >= '0' && *p <= '9') p++, digits++;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') p++, digits++;
    }
    if (!digits || p - s > 40) return NULL;
    char tmp[48];
    memcpy(tmp, s, (size_t)(p - s));
    tmp[p - s] = '\0';
    *d = strtod(tmp, NULL);
    return p;
}

static geo_err_t check_range(const geo_point_t *p)
{
    if (!(p->lat >= -90 && p->lat <= 90) || !(p->lon >= -180 && p->lon <= 180) || !(p->acc >= 0) ||
        !isfinite(p->alt))
        return GEO_RANGE;
    return GEO_OK;
}

/* "geo:lat,lon[,alt][;u=acc][;other=...]" (RFC 5870; crs other than
 * wgs84 is refused). */
static geo_err_t parse_uri(const char *s, geo_point_t *p)
{
    double v[3] = { 0, 0, 0 };
    int n = 0;
    s += 4;
    for (;;) {
        s = read_num(s, &v[n]);
        if (!s) return GEO_SYNTAX;
        n++;
        if (*s != ',' || n == 3) break;
        s++;
    }
    if (n < 2) return GEO_SYNTAX;
    p->lat = v[0], p->lon = v[1], p->alt = v[2], p->acc = 0;
    while (*s == ';') {
        s++;
        if (!strncasecmp(s, "u=", 2)) {
            s = read_num(s + 2, &p->acc);
            if (!s) return GEO_SYNTAX;
        } else if (!strncasecmp(s, "crs=", 4)) {
            if (strncasecmp(s + 4, "wgs84", 5)) return GEO_SYNTAX;
            s += 9;
        } else {
            while (*s && *s != ';' && *s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') s++;
        }
    }
    if (*skip_blank(s)) return GEO_SYNTAX;
    return check_range(p);
}

geo_err_t geo_point_parse(const char *s, geo_point_t *p)
{
    geo_point_t q = { 0, 0, 0, 0 };
    s = skip_blank(s);
    if (!strncasecmp(s, "geo:", 4)) {
        geo_err_t e = parse_uri(s, &q);
        if (e == GEO_OK) *p = q;
        return e;
    }
    double v[4] = { 0, 0, 0, 0 };
    int n = 0;
    bool comma = false;
    while (*s && n < 4) {
        const char *e = read_num(s, &v[n]);
        if (!e) return GEO_SYNTAX;
        n++;
        s = skip_blank(e);
        /* "18.85, -71.70": one comma, between latitude and longitude */
        if (*s == ',' && n == 1 && !comma) {
            comma = true;
            s = skip_blank(s + 1);
        } else if (*s && s == e) {
            return GEO_SYNTAX;   /* "18.85x" */
        }
    }
    if (*s || n < 2 || (comma && n > 2)) return GEO_SYNTAX;
    q.lat = v[0], q.lon = v[1], q.alt = v[2], q.acc = v[3];
    geo_err_t e = check_range(&q);
    if (e == GEO_OK) *p = q;
    return e;
}

/* The shortest "%.*g" that reads back as d, without "-0". */
static void put_num(buf_t *o, double d)
{
    if (d == 0) d = 0;   /* -0 */
    char tmp[40];
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, d);
        if (strtod(tmp, NULL) == d) break;
    }
    buf_puts(o, tmp);
}

void geo_point_format(buf_t *o, const geo_point_t *p)
{
    put_num(o, p->lat);
    buf_putc(o, ' ');
    put_num(o, p->lon);
    buf_putc(o, ' ');
    put_num(o, p->alt);
    buf_putc(o, ' ');
    put_num(o, p->acc);
}

geo_err_t geo_list_parse(const char *s, bool shape, char **norm)
{
    *norm = NULL;
    buf_t b;
    buf_init(&b);
    geo_point_t first = { 0 }, last = { 0 };
    size_t n = 0;
    geo_err_t e = GEO_OK;
    const char *p = s;
    while (*p && e == GEO_OK) {
        size_t len = strcspn(p, ";\n");
        char *item = strndup(p, len);
        p += len;
        if (*p) p++;
        if (!*skip_blank(item)) {
            free(item);
            continue;
        }
        geo_point_t pt;
        e = geo_point_parse(item, &pt);
        free(item);
        if (e != GEO_OK) break;
        if (n++) buf_puts(&b, "; ");
        else first = pt;
        last = pt;
        geo_point_format(&b, &pt);
    }
    if (e == GEO_OK && !shape && n < 2) e = GEO_FEW;
    if (e == GEO_OK && shape && (n < 4 || first.lat != last.lat || first.lon != last.lon)) e = GEO_OPEN;
    if (e == GEO_OK) *norm = buf_steal(&b);
    buf_free(&b);
    return e;
}

bool geo_point_text(buf_t *o, const char *v)
{
    geo_point_t p;
    if (!v || geo_point_parse(v, &p) != GEO_OK) return false;
    put_num(o, p.lat);
    buf_puts(o, ", ");
    put_num(o, p.lon);
    if (p.acc > 0) {
        buf_puts(o, " (\xC2\xB1 ");
        put_num(o, round(p.acc * 10) / 10);
        buf_puts(o, " m)");
    }
    return true;
}

bool geo_osm_url(buf_t *o, const char *v)
{
    geo_point_t p;
    if (!v || geo_point_parse(v, &p) != GEO_OK) return false;
    buf_puts(o, "https://www.openstreetmap.org/?mlat=");
    put_num(o, p.lat);
    buf_puts(o, "&mlon=");
    put_num(o, p.lon);
    buf_puts(o, "#map=17/");
    put_num(o, p.lat);
    buf_putc(o, '/');
    put_num(o, p.lon);
    return true;
}
