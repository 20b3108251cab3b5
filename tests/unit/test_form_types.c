/*
 * test_form_types.c: the question types and appearances of issue 16 item 5
 * ("the rest"): time, dateTime, range (its parameters), acknowledge and
 * trigger, hidden, barcode, osm, rank, and the date appearances month-year,
 * year and no-calendar. Each test writes a small form (testform.h), loads
 * it, and checks what a posted answer becomes: refused with which error,
 * or stored in which canonical form, and usable in expressions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/buf.h"
#include "model/answers.h"
#include "model/form.h"
#include "testform.h"
#include "testsh.h"

static char *tmp_root;

static int group_setup(void **state)
{
    (void)state;
    tmp_root = xstrdup("/tmp/buzon-test-types-XXXXXX");
    return mkdtemp(tmp_root) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    int rc = test_rmtree(tmp_root);
    free(tmp_root);
    return rc;
}

/* Post body to f: the error of question name (AERR_NONE when accepted)
 * and, when accepted, its stored value into *val (owned by the caller;
 * NULL when no value). */
static answer_err_t post1(const form_t *f, const char *body, const char *name, char **val)
{
    answers_t a;
    testform_post(&a, f, body);
    answer_err_t e = a.err[testform_q(f, name) - f->q];
    const char *v = testform_val(&a, name);
    if (val) *val = v ? xstrdup(v) : NULL;
    answers_free(&a);
    return e;
}

/* name accepts value, stored as want. */
static void accepts(const form_t *f, const char *name, const char *value, const char *want)
{
    char body[256], *got = NULL;
    snprintf(body, sizeof body, "%s=%s", name, value);
    answer_err_t e = post1(f, body, name, &got);
    if (e != AERR_NONE) fail_msg("%s=%s refused (%d)", name, value, (int)e);
    if (!got || strcmp(got, want)) fail_msg("%s=%s stored as %s, want %s", name, value, got ? got : "(null)", want);
    free(got);
}

static void refuses(const form_t *f, const char *name, const char *value, answer_err_t want)
{
    char body[256];
    snprintf(body, sizeof body, "%s=%s", name, value);
    answer_err_t e = post1(f, body, name, NULL);
    if (e != want) fail_msg("%s=%s: error %d, want %d", name, value, (int)e, (int)want);
}

#define TYPES "type,name,label,parameters,appearance,default,calculation,constraint\n" \
              "time,t,Hora,,,,,\n" \
              "dateTime,dt,Fecha y hora,,,,,\n" \
              "datetime,dt2,Otra,,no-calendar,,,\n" \
              "range,r,Puntos,,,,,\n" \
              "range,r2,Medio,start=0 end=2 step=0.5,,,,\n" \
              "range,r3,Bajando,start=100 end=0 step=10,no-ticks,,,\n" \
              "acknowledge,ok,Leí,,,,,\n" \
              "trigger,tr,Visto,,,,,\n" \
              "hidden,h,,,,v3,,\n" \
              "barcode,bc,Código,,,,,\n" \
              "osm,o,Edificio,,,,,\n" \
              "rank rk,rk,Orden,,,,,\n" \
              "date,m,Mes,,month-year,,,\n" \
              "date,y,Año,,year,,,\n" \
              "date,nc,Día,,no-calendar,,,\n" \
              "text,num,Número,,numbers quick,,,\n" \
              "calculate,horas,,,,,decimal-time(${t}) * 24,\n" \
              "calculate,cuando,,,,,\"format-date-time(${dt}, '%Y %H:%M')\",\n" \
              "integer,late,Tarde,,,,,. > 0 and decimal-time(${t}) > decimal-time('08:00')\n"
#define RANK_CHOICES "list_name,name,label\nrk,agua,Agua\nrk,luz,Luz\nrk,calles,Calles\n"

static void test_types_load(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "types", TYPES, "list_name,name,label\n"
                                 "rk,agua,Agua\nrk,luz,Luz\nrk,calles,Calles\n", NULL);
    assert_int_equal(testform_q(f, "t")->type, Q_TIME);
    assert_int_equal(testform_q(f, "dt")->type, Q_DATETIME);
    assert_int_equal(testform_q(f, "dt2")->type, Q_DATETIME);
    assert_int_equal(testform_q(f, "r")->type, Q_RANGE);
    assert_int_equal(testform_q(f, "ok")->type, Q_ACKNOWLEDGE);
    assert_int_equal(testform_q(f, "tr")->type, Q_ACKNOWLEDGE);
    assert_int_equal(testform_q(f, "h")->type, Q_HIDDEN);
    assert_int_equal(testform_q(f, "bc")->type, Q_TEXT);
    assert_int_equal(testform_q(f, "o")->type, Q_TEXT);
    assert_int_equal(testform_q(f, "rk")->type, Q_RANK);
    assert_string_equal(testform_q(f, "rk")->list->name, "rk");
    /* XLSForm's defaults, and the parameters as written. */
    const question_t *r = testform_q(f, "r"), *r2 = testform_q(f, "r2");
    assert_true(r->range_start == 1 && r->range_end == 10 && r->range_step == 1);
    assert_true(r2->range_start == 0 && r2->range_end == 2 && r2->range_step == 0.5);
    assert_true(testform_q(f, "m")->appearance & APP_MONTH_YEAR);
    assert_true(testform_q(f, "y")->appearance & APP_YEAR);
    assert_true(testform_q(f, "nc")->appearance & APP_NO_CALENDAR);
    assert_true(testform_q(f, "num")->appearance & APP_NUMBERS);
    /* osm is answered as text; quick is quiet; nothing else to say. */
    char *notes = testform_notes(f);
    assert_string_equal(notes, "survey.csv:12: osm \"o\" is answered as text: buzon has no map editor");
    free(notes);
    form_free(f);
}

static void test_bad_parameters_and_appearances(void **state)
{
    (void)state;
    char *got = testform_load_bad(tmp_root, "badrange",
                                  "type,name,label,parameters\n"
                                  "range,a,A,start=1 end=x\n"
                                  "range,b,B,step=0\n"
                                  "range,c,C,start=5 end=5\n"
                                  "range,d,D,begin=1\n"
                                  "range,e,E,10\n"
                                  "rank,f,F,\n", NULL, NULL);
    assert_string_equal(got,
                        "survey.csv:2: range parameter end must be a number, not \"x\"\n"
                        "survey.csv:3: range step must be above 0\n"
                        "survey.csv:4: range start and end must differ\n"
                        "survey.csv:5: unknown range parameter \"begin\" (start, end, step)\n"
                        "survey.csv:6: bad range parameter \"10\": write start=1 end=10 step=1\n"
                        "survey.csv:7: unknown type \"rank\"");
    free(got);
    /* An appearance buzon cannot honour is a note, never a silent page. */
    form_t *f = testform_load_ok(tmp_root, "apps", "type,name,label,appearance\n"
                                 "text,a,A,signature\ninteger,b,B,thousands-sep\n", NULL, NULL);
    char *notes = testform_notes(f);
    assert_string_equal(notes, "survey.csv:2: appearance \"signature\" is ignored: buzon cannot honour it\n"
                               "survey.csv:3: appearance \"thousands-sep\" is ignored: buzon cannot honour it");
    free(notes);
    form_free(f);
}

static void test_values_checked_and_canonical(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "vals", TYPES, RANK_CHOICES, NULL);
    /* time: HH:MM, typed or from the picker; seconds dropped */
    accepts(f, "t", "14:30", "14:30");
    accepts(f, "t", "7:05", "07:05");
    accepts(f, "t", "23:59:59", "23:59");
    refuses(f, "t", "24:00", AERR_TIME);
    refuses(f, "t", "2pm", AERR_TIME);
    refuses(f, "t", "14:3", AERR_TIME);
    /* dateTime: datetime-local's T or a space */
    accepts(f, "dt", "2025-03-15T14:30", "2025-03-15T14:30");
    accepts(f, "dt", "2025-03-15+9:05", "2025-03-15T09:05");
    accepts(f, "dt2", "2025-03-15+14:30:10", "2025-03-15T14:30");
    refuses(f, "dt", "2025-02-30T10:00", AERR_DATETIME);
    refuses(f, "dt", "2025-03-15", AERR_DATETIME);
    refuses(f, "dt", "2025-03-15T25:00", AERR_DATETIME);
    /* range: within, on the step, either way round */
    accepts(f, "r", "10", "10");
    accepts(f, "r2", "1,5", "1.5");
    accepts(f, "r2", "0.50", "0.5");
    accepts(f, "r3", "30", "30");
    refuses(f, "r", "11", AERR_RANGE);
    refuses(f, "r", "0", AERR_RANGE);
    refuses(f, "r", "2.5", AERR_RANGE);
    refuses(f, "r2", "0.7", AERR_RANGE);
    refuses(f, "r3", "35", AERR_RANGE);
    refuses(f, "r", "x", AERR_RANGE);
    /* acknowledge and trigger: OK, ODK's value */
    accepts(f, "ok", "OK", "OK");
    accepts(f, "tr", "OK", "OK");
    refuses(f, "ok", "yes", AERR_CHOICE);
    /* barcode and osm: text */
    accepts(f, "bc", "0012345", "0012345");
    /* rank: every choice once, in order */
    char *v = NULL;
    assert_int_equal(post1(f, "rk=luz&rk=agua&rk=calles", "rk", &v), AERR_NONE);
    assert_string_equal(v, "luz agua calles");
    free(v);
    assert_int_equal(post1(f, "rk=luz&rk=luz&rk=calles", "rk", NULL), AERR_RANK);
    assert_int_equal(post1(f, "rk=luz&rk=&rk=calles", "rk", NULL), AERR_RANK);
    assert_int_equal(post1(f, "rk=&rk=luz&rk=calles", "rk", NULL), AERR_RANK);
    assert_int_equal(post1(f, "rk=luz&rk=agua", "rk", NULL), AERR_RANK);
    assert_int_equal(post1(f, "rk=luz&rk=agua&rk=gas", "rk", NULL), AERR_CHOICE);
    assert_int_equal(post1(f, "t=10:00&rk=&rk=&rk=", "rk", &v), AERR_NONE);   /* not answered */
    assert_null(v);
    /* month-year and year: the first day, as ODK Collect stores them */
    accepts(f, "m", "2025-03", "2025-03-01");
    accepts(f, "m", "2025-03-17", "2025-03-01");
    accepts(f, "y", "2025", "2025-01-01");
    refuses(f, "m", "2025-13", AERR_DATE);
    refuses(f, "y", "25", AERR_DATE);
    accepts(f, "nc", "2025-03-17", "2025-03-17");
    form_free(f);
}

static void test_hidden_and_expressions(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "expr", TYPES, RANK_CHOICES, NULL);
    answers_t a;
    /* hidden: its default stored, whatever is posted */
    assert_int_equal(testform_post(&a, f, "t=14:30&dt=2025-03-15T09:05&h=forged&late=1"), 0);
    assert_string_equal(testform_val(&a, "h"), "v3");
    /* time and dateTime as stored are what the expression engine reads */
    assert_string_equal(testform_val(&a, "horas"), "14.5");
    assert_string_equal(testform_val(&a, "cuando"), "2025 09:05");
    answers_free(&a);
    /* a constraint comparing the time */
    assert_int_equal(testform_post(&a, f, "t=07:30&late=1"), 1);
    assert_int_equal(a.err[testform_q(f, "late") - f->q], AERR_CONSTRAINT);
    answers_free(&a);
    form_free(f);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types_load),
        cmocka_unit_test(test_bad_parameters_and_appearances),
        cmocka_unit_test(test_values_checked_and_canonical),
        cmocka_unit_test(test_hidden_and_expressions),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
