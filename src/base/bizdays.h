/*
 * bizdays.h: dates and business days in the Dominican Republic, for the
 * response times the Carta de Servicios promises ("10 días hábiles").
 *
 * A date is a day number: days since 1970-01-01 in the proleptic Gregorian
 * calendar (int32_t), so date arithmetic is integer arithmetic and needs
 * no time zone once a moment has been turned into a local date with
 * bizdays_from_time() (the Dominican Republic keeps UTC-4 all year).
 *
 * A business day is Monday to Friday and not a holiday of the calendar
 * (forms/feriados.csv: the days off as the Ministerio de Trabajo publishes
 * them each year, i.e. after the moves of Ley 139-97).
 *
 * Counting follows administrative practice: the day a case arrives is day
 * 0 and the count starts with the next business day. A complaint received
 * on a Friday and answered the next Monday took 1 business day; one
 * received on a Saturday and answered on Monday also took 1; answered the
 * day it arrived, 0. A promise of N business days is kept when the answer
 * comes on or before bizdays_add(received, N).
 */
#ifndef BUZON_BIZDAYS_H
#define BUZON_BIZDAYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"

/* Offset of Dominican local time from UTC, in seconds (AST, no DST). */
#define BIZDAYS_UTC_OFFSET (-4 * 3600)

typedef struct bizcal {
    int32_t *holidays;     /* sorted, no duplicates */
    size_t   n;
    int      first_year;   /* years the file lists holidays for; */
    int      last_year;    /* 0 / 0 when empty */
} bizcal_t;

/* Load the holiday calendar from path (CSV, columns `date` as YYYY-MM-DD
 * and `name`). A missing file gives an empty calendar (weekends only) and
 * returns 0 with *missing set; any other problem returns -1 with
 * `file:row: message` lines appended to d. On success the caller frees
 * with bizdays_free(). missing may be NULL. */
int bizdays_load(const char *path, bizcal_t *cal, bool *missing, diag_t *d);
void bizdays_free(bizcal_t *cal);

/* ---- the calendar: the one civil-date calendar and date parser of buzon ---- */

/* The day number of the Gregorian date y-m-d (m 1..12, d 1..31; no check). */
int32_t bizdays_from_civil(int y, int m, int d);
/* The Gregorian date of day. */
void bizdays_to_civil(int32_t day, int *y, int *m, int *d);
/* Parse exactly "YYYY-MM-DD", a real Gregorian date with a year from 0001
 * to 9999 (as HTML's date input writes it); callers with a narrower
 * plausible range (a survey answer) check the year themselves. */
bool bizdays_parse(const char *s, int32_t *day);
/* Write day as "YYYY-MM-DD". */
void bizdays_format(int32_t day, char out[11]);
/* The Dominican local date of unix time t. */
int32_t bizdays_from_time(int64_t t);
/* Seconds since Dominican local midnight of unix time t (0..86399); the
 * local hour of day is bizdays_day_seconds(t) / 3600. */
int bizdays_day_seconds(int64_t t);
/* The Dominican local hour of day (0..23) of unix time t. */
int bizdays_hour(int64_t t);
/* Room for bizdays_format_hour's text with its NUL. */
#define BIZDAYS_HOUR_SIZE 17
/* Write the local hour t falls in as "YYYY-MM-DD HH:00" (how a response's
 * kept hour is shown: the minutes are not kept). */
void bizdays_format_hour(int64_t t, char out[BIZDAYS_HOUR_SIZE]);
/* The unix time of local midnight starting day. */
int64_t bizdays_to_time(int32_t day);
/* 0 = Monday ... 6 = Sunday. */
int bizdays_weekday(int32_t day);
/* The year of day. */
int bizdays_year(int32_t day);

/* ---- business days -------------------------------------------------------- */

/* True for Monday-Friday days that are not in cal. */
bool bizdays_is_workday(const bizcal_t *cal, int32_t day);
/* Business days d with from < d <= to; 0 when to <= from. */
int bizdays_between(const bizcal_t *cal, int32_t from, int32_t to);
/* The n-th business day after from (from itself for n <= 0). */
int32_t bizdays_add(const bizcal_t *cal, int32_t from, int n);
/* True when cal lists holidays for day's year (outside, only weekends
 * are known to be days off). */
bool bizdays_covers(const bizcal_t *cal, int32_t day);

#endif
