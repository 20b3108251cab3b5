/*
 * bizdays.c: civil dates as day numbers and business-day counting against
 * the holiday calendar of forms/feriados.csv (see bizdays.h).
 *
 * The civil-date conversions are Howard Hinnant's days_from_civil /
 * civil_from_days algorithms: exact for every Gregorian date, no tables,
 * no time zone database. Counting walks the days one by one: spans are
 * days to months, and a loop is easier to trust than week arithmetic with
 * holidays on top.
 */
#include "base/bizdays.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/csvread.h"

int32_t bizdays_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void bizdays_to_civil(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = (int)(z - era * 146097);
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + (int)era * 400 + (*m <= 2);
}

bool bizdays_parse(const char *s, int32_t *day)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (y < 1 || m < 1 || m > 12 || d < 1) return false;
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] + (m == 2 && leap)) return false;
    *day = bizdays_from_civil(y, m, d);
    return true;
}

void bizdays_format(int32_t day, char out[11])
{
    int y, m, d;
    bizdays_to_civil(day, &y, &m, &d);
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

int32_t bizdays_from_time(int64_t t)
{
    int64_t local = t + BIZDAYS_UTC_OFFSET;
    /* floor division: times before 1970 are not expected, but be exact */
    return (int32_t)(local >= 0 ? local / 86400 : (local - 86399) / 86400);
}

int bizdays_day_seconds(int64_t t)
{
    int64_t s = (t + BIZDAYS_UTC_OFFSET) % 86400;
    return (int)(s < 0 ? s + 86400 : s);
}

int bizdays_hour(int64_t t)
{
    return bizdays_day_seconds(t) / 3600;
}

void bizdays_format_hour(int64_t t, char out[BIZDAYS_HOUR_SIZE])
{
    char day[11];
    bizdays_format(bizdays_from_time(t), day);
    snprintf(out, BIZDAYS_HOUR_SIZE, "%s %02d:00", day, bizdays_hour(t));
}

int64_t bizdays_to_time(int32_t day)
{
    return (int64_t)day * 86400 - BIZDAYS_UTC_OFFSET;
}

int bizdays_weekday(int32_t day)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0). */
    int w = (int)((day + 3) % 7);
    return w < 0 ? w + 7 : w;
}

int bizdays_year(int32_t day)
{
    int y, m, d;
    bizdays_to_civil(day, &y, &m, &d);
    return y;
}

static bool is_holiday(const bizcal_t *cal, int32_t day)
{
    size_t lo = 0, hi = cal->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cal->holidays[mid] < day) lo = mid + 1;
        else hi = mid;
    }
    return lo < cal->n && cal->holidays[lo] == day;
}

bool bizdays_is_workday(const bizcal_t *cal, int32_t day)
{
    assert(cal);
    return bizdays_weekday(day) < 5 && !is_holiday(cal, day);
}

int bizdays_between(const bizcal_t *cal, int32_t from, int32_t to)
{
    int n = 0;
    for (int32_t d = from + 1; d <= to; d++) n += bizdays_is_workday(cal, d);
    return n;
}

int32_t bizdays_add(const bizcal_t *cal, int32_t from, int n)
{
    int32_t d = from;
    while (n > 0)
        if (bizdays_is_workday(cal, ++d)) n--;
    return d;
}

bool bizdays_covers(const bizcal_t *cal, int32_t day)
{
    int y = bizdays_year(day);
    return cal->n && y >= cal->first_year && y <= cal->last_year;
}

static int cmp_day(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

int bizdays_load(const char *path, bizcal_t *cal, bool *missing, diag_t *d)
{
    assert(path && cal && d);
    memset(cal, 0, sizeof *cal);
    if (missing) *missing = false;
    char err[256];
    size_t len;
    char *data = csv_slurp(path, &len, err, sizeof err);
    if (!data) {
        if (errno == ENOENT) {
            if (missing) *missing = true;
            return 0;
        }
        diag_add(d, path, 1, "%s", err);
        return -1;
    }
    csv_table_t t;
    int rc = csv_parse_bytes(data, len, &t, err, sizeof err);
    free(data);
    if (rc != 0) {
        diag_add(d, path, t.err_line, "%s", err);
        return -1;
    }
    size_t before = d->n;
    int col = csv_col(&t, "date");
    if (col < 0) diag_add(d, path, 1, "missing column \"date\"");
    for (size_t r = 1; col >= 0 && r < t.nrows; r++) {
        const char *s = csv_cell(&t, r, col);
        int32_t day;
        if (!bizdays_parse(s, &day)) {
            diag_add(d, path, t.rows[r].line, "date \"%s\" is not a date as YYYY-MM-DD", s);
            continue;
        }
        cal->holidays = xrealloc(cal->holidays, (cal->n + 1) * sizeof *cal->holidays);
        cal->holidays[cal->n++] = day;
    }
    csv_table_free(&t);
    if (d->n > before) {
        bizdays_free(cal);
        return -1;
    }
    if (cal->n) {
        qsort(cal->holidays, cal->n, sizeof *cal->holidays, cmp_day);
        size_t w = 1;
        for (size_t i = 1; i < cal->n; i++)
            if (cal->holidays[i] != cal->holidays[w - 1]) cal->holidays[w++] = cal->holidays[i];
        cal->n = w;
        cal->first_year = bizdays_year(cal->holidays[0]);
        cal->last_year = bizdays_year(cal->holidays[cal->n - 1]);
    }
    return 0;
}

void bizdays_free(bizcal_t *cal)
{
    if (!cal) return;
    free(cal->holidays);
    memset(cal, 0, sizeof *cal);
}
