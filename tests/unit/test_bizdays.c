/*
 * test_bizdays.c: business-day arithmetic for the Carta de Servicios:
 * dates, weekends, the Dominican holidays of forms/feriados.csv (with the
 * Ley 139-97 moves), the local date of a moment, and the holiday file's
 * diagnostics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/bizdays.h"
#include "testsrv.h"

static bizcal_t cal;            /* the real calendar, forms/feriados.csv */
static const bizcal_t none;     /* weekends only */

static int32_t D(const char *s)
{
    int32_t d;
    if (!bizdays_parse(s, &d)) fail_msg("bad test date %s", s);
    return d;
}

static int setup(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/forms/feriados.csv", test_root());
    diag_t d = { 0 };
    bool missing;
    int rc = bizdays_load(path, &cal, &missing, &d);
    for (size_t i = 0; i < d.n; i++) fprintf(stderr, "%s\n", d.lines[i]);
    diag_free(&d);
    return rc == 0 && !missing ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    bizdays_free(&cal);
    return 0;
}

static void test_dates_parse_and_format_round_trip(void **state)
{
    (void)state;
    static const char *const ok[] = { "1970-01-01", "2024-02-29", "2025-12-31", "2000-02-29" };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char out[11];
        bizdays_format(D(ok[i]), out);
        assert_string_equal(out, ok[i]);
    }
    assert_int_equal(D("1970-01-02"), 1);
    assert_int_equal(D("2025-03-01") - D("2025-02-28"), 1);
    int32_t d;
    static const char *const bad[] = { "2025-02-29", "1900-02-29", "2025-13-01", "2025-1-01",
                                       "2025-01-32", "25-01-01", "2025/01/01", "", "2025-01-01x" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) assert_false(bizdays_parse(bad[i], &d));
}

/* Regression (issue 12, one date parser): bizdays and the indicators
 * refused years before 1970 while a survey's date answers took them. The
 * one parser takes every real date of years 0001-9999. */
static void test_one_parser_for_every_real_date(void **state)
{
    (void)state;
    int32_t d;
    assert_true(bizdays_parse("1969-12-31", &d));
    assert_int_equal(d, -1);
    assert_true(bizdays_parse("1900-01-01", &d));
    char out[11];
    bizdays_format(d, out);
    assert_string_equal(out, "1900-01-01");
    assert_true(bizdays_parse("0001-01-01", &d));
    assert_true(bizdays_parse("9999-12-31", &d));
    assert_false(bizdays_parse("0000-01-01", &d));
    assert_false(bizdays_parse("1969-02-29", &d));
    assert_true(bizdays_parse("1968-02-29", &d));
    int y, m, dd;
    bizdays_to_civil(bizdays_from_civil(1968, 2, 29), &y, &m, &dd);
    assert_true(y == 1968 && m == 2 && dd == 29);
}

static void test_weekdays(void **state)
{
    (void)state;
    assert_int_equal(bizdays_weekday(D("1970-01-01")), 3);   /* Thursday */
    assert_int_equal(bizdays_weekday(D("2025-03-03")), 0);   /* Monday */
    assert_int_equal(bizdays_weekday(D("2025-03-09")), 6);   /* Sunday */
}

/* The day a case arrives is day 0; the count starts the next business day. */
static void test_counting_across_a_weekend(void **state)
{
    (void)state;
    assert_int_equal(bizdays_between(&none, D("2025-03-07"), D("2025-03-07")), 0); /* same Friday */
    assert_int_equal(bizdays_between(&none, D("2025-03-07"), D("2025-03-10")), 1); /* Fri -> Mon */
    assert_int_equal(bizdays_between(&none, D("2025-03-08"), D("2025-03-10")), 1); /* Sat -> Mon */
    assert_int_equal(bizdays_between(&none, D("2025-03-08"), D("2025-03-09")), 0); /* Sat -> Sun */
    assert_int_equal(bizdays_between(&none, D("2025-03-03"), D("2025-03-17")), 10); /* two weeks */
    assert_int_equal(bizdays_between(&none, D("2025-03-10"), D("2025-03-07")), 0); /* backwards */
}

static void test_counting_skips_holidays(void **state)
{
    (void)state;
    /* Viernes Santo 2025-04-18: Thursday to Monday is one business day. */
    assert_int_equal(bizdays_between(&cal, D("2025-04-17"), D("2025-04-21")), 1);
    assert_int_equal(bizdays_between(&none, D("2025-04-17"), D("2025-04-21")), 2);
    /* Día del Trabajo 2025 was worked on Thursday 1 May and moved to
     * Monday 5 May (Ley 139-97). */
    assert_true(bizdays_is_workday(&cal, D("2025-05-01")));
    assert_false(bizdays_is_workday(&cal, D("2025-05-05")));
    assert_int_equal(bizdays_between(&cal, D("2025-05-02"), D("2025-05-06")), 1);
    /* Christmas 2024 fell on a Wednesday and did not move. */
    assert_false(bizdays_is_workday(&cal, D("2024-12-25")));
    assert_int_equal(bizdays_between(&cal, D("2024-12-23"), D("2024-12-27")), 3);
}

static void test_deadline_lands_after_weekends_and_holidays(void **state)
{
    (void)state;
    assert_int_equal(bizdays_add(&none, D("2025-03-07"), 1), D("2025-03-10"));  /* Fri + 1 */
    assert_int_equal(bizdays_add(&none, D("2025-03-08"), 1), D("2025-03-10"));  /* Sat + 1 */
    assert_int_equal(bizdays_add(&none, D("2025-03-05"), 0), D("2025-03-05"));
    /* Wednesday 16 April 2025 + 2: Thursday, then (Good Friday, weekend)
     * Monday 21. */
    assert_int_equal(bizdays_add(&cal, D("2025-04-16"), 2), D("2025-04-21"));
    /* 10 business days from Friday 20 Dec 2024 cross Christmas and New Year. */
    assert_int_equal(bizdays_add(&cal, D("2024-12-20"), 10), D("2025-01-08"));
    /* add and between agree */
    for (int n = 0; n < 30; n++)
        assert_int_equal(bizdays_between(&cal, D("2025-12-19"), bizdays_add(&cal, D("2025-12-19"), n)), n);
}

static void test_local_date_is_utc_minus_4(void **state)
{
    (void)state;
    /* 2025-01-01T03:59:59Z is still New Year's Eve in Bánica. */
    assert_int_equal(bizdays_from_time(1735703999), D("2024-12-31"));
    assert_int_equal(bizdays_from_time(1735704000), D("2025-01-01"));
    assert_int_equal(bizdays_from_time(bizdays_to_time(D("2025-06-15"))), D("2025-06-15"));
    /* the local time of day, the same clock */
    assert_int_equal(bizdays_day_seconds(1735703999), 86399);
    assert_int_equal(bizdays_day_seconds(1735704000), 0);
    assert_int_equal(bizdays_day_seconds(1735704000 + 13 * 3600 + 61) / 3600, 13);
    assert_int_equal(bizdays_day_seconds(0), 20 * 3600);
}

static void test_calendar_covers_2024_to_2026(void **state)
{
    (void)state;
    assert_int_equal(cal.first_year, 2024);
    assert_int_equal(cal.last_year, 2026);
    assert_true(bizdays_covers(&cal, D("2026-12-31")));
    assert_false(bizdays_covers(&cal, D("2027-01-04")));
    assert_false(bizdays_covers(&none, D("2025-01-01")));
}

/* Write text to a temp file; returns its path (static buffer). */
static const char *temp_csv(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/test-bizdays-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void test_bad_holiday_rows_are_reported_with_their_row(void **state)
{
    (void)state;
    const char *p = temp_csv("date,name\n2025-01-01,Año Nuevo\n2025-02-30,Mal\n01/05/2025,Mal\n");
    bizcal_t c;
    diag_t d = { 0 };
    assert_int_equal(bizdays_load(p, &c, NULL, &d), -1);
    assert_int_equal(d.n, 2);
    assert_non_null(strstr(d.lines[0], ":3: date \"2025-02-30\""));
    assert_non_null(strstr(d.lines[1], ":4: date \"01/05/2025\""));
    diag_free(&d);
    unlink(p);
}

static void test_missing_holiday_file_means_weekends_only(void **state)
{
    (void)state;
    bizcal_t c;
    diag_t d = { 0 };
    bool missing = false;
    assert_int_equal(bizdays_load("/nonexistent/feriados.csv", &c, &missing, &d), 0);
    assert_true(missing);
    assert_int_equal(c.n, 0);
    assert_int_equal(d.n, 0);
    bizdays_free(&c);
}

/* The kept hour of a response, as the export and the audit pages show it. */
static void test_hour_format(void **state)
{
    (void)state;
    char h[BIZDAYS_HOUR_SIZE];
    bizdays_format_hour(1735704000 + 13 * 3600 + 61, h);   /* 2025-01-01 13:01:01 local */
    assert_string_equal(h, "2025-01-01 13:00");
    bizdays_format_hour(1735703999, h);
    assert_string_equal(h, "2024-12-31 23:00");
    assert_int_equal(bizdays_hour(1735704000 + 13 * 3600 + 61), 13);
    assert_int_equal(bizdays_hour(1735703999), 23);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates_parse_and_format_round_trip),
        cmocka_unit_test(test_one_parser_for_every_real_date),
        cmocka_unit_test(test_hour_format),
        cmocka_unit_test(test_weekdays),
        cmocka_unit_test(test_counting_across_a_weekend),
        cmocka_unit_test(test_counting_skips_holidays),
        cmocka_unit_test(test_deadline_lands_after_weekends_and_holidays),
        cmocka_unit_test(test_local_date_is_utc_minus_4),
        cmocka_unit_test(test_calendar_covers_2024_to_2026),
        cmocka_unit_test(test_bad_holiday_rows_are_reported_with_their_row),
        cmocka_unit_test(test_missing_holiday_file_means_weekends_only),
    };
    return cmocka_run_group_tests_name("bizdays", tests, setup, teardown);
}
