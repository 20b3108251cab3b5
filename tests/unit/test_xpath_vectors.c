/*
 * test_xpath_vectors.c: buzon's expression language (expr.h) measured
 * against the value vectors of two public ODK evaluators, Enketo's
 * openrosa-xpath-evaluator and javarosa's XPathEvalTest, kept as plain data
 * in tests/fixtures/xpath-vectors/ (see its README for the format).
 *
 * Vectors that need an XML document (ctx "dom") are skipped: a buzon form
 * has no instance to walk. The others are evaluated with "none" (nothing
 * defined) or "simple" (Enketo's one-node document, read as two questions:
 * ${node} holding the text and ${empty} empty; /simple/xpath/to/node names
 * the first by its last step). The pass rate of each file is printed, and
 * the test fails when it falls below FLOOR, set at what buzon reaches, so
 * that a change that breaks vectors is noticed. DELIBERATE lists the
 * vectors buzon fails on purpose, with the reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/buf.h"
#include "model/expr.h"

#include <jansson.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Vectors failed on purpose: expression and why. */
#define WHY_DOC "needs an XML document ('//', predicates): a buzon form has none"
#define WHY_LOAD "an unknown function or a wrong number of arguments is a file:row error when the form " \
                 "loads (the issue asks it); Enketo only fails if the call is evaluated"
#define WHY_ROUND "XPath's round() rounds half toward +Infinity (javarosa: round('-0.5') is -0); " \
                  "Enketo rounds half away from zero"
#define WHY_COMMA "javarosa reads a decimal comma in some locales; XPath numbers use '.'"
#define WHY_EXP "a string with an exponent is NaN in XPath and javarosa (number('1.1e6')); Enketo accepts it here"
#define WHY_DATESTR "Enketo converts date-like strings and dates to fractional days in its own zone for " \
                    "arithmetic and comparison; javarosa and the ODK spec do not (a date is a whole day number)"
#define WHY_DATENUM "Enketo's date() of a number keeps the time of day; in javarosa and the ODK spec a date " \
                    "is a calendar day (javarosa: date(6.5) is 1970-01-07)"
#define WHY_BADDATE "Enketo returns an Invalid Date value or keeps the string; javarosa raises an error " \
                    "(date('not a date')), which buzon follows, and dates are YYYY-MM-DD"
static const struct {
    const char *expr, *why;
} DELIBERATE[] = {
    { "\"2018-06-25\" < \"2018-06-25T00:00:00.001-07:00\"", WHY_DATESTR },
    { "\"2018-06-25\" = \"2018-06-25T00:00:00.000-07:00\"", WHY_DATESTR },
    { "\"2021-11-30\" + 1", WHY_DATESTR },
    { "\"2021-11-30\" - \"2021-11-29\"", WHY_DATESTR },
    { "-5 + date(\"2001-12-26\")", WHY_DATESTR },
    { "0 and /explode[/explode]", WHY_DOC },
    { "0 and 1 + explode()", WHY_LOAD },
    { "0 and 1 + explode(/explode)", WHY_LOAD },
    { "0 and explode() + 1", WHY_LOAD },
    { "0 and explode() + explode()", WHY_LOAD },
    { "0 and explode(/explode) + explode(explode(explode(1, 2, 3, explode(), /explode)))", WHY_LOAD },
    { "0 and explode(explode()) + explode(explode(explode(1, 2, 3, explode(), explode())))", WHY_LOAD },
    { "0 and fn(/explode)", WHY_LOAD },
    { "3 + date(\"2001-12-26\") + 5", WHY_DATESTR },
    { "3 + date(\"2001-12-26\") - 5", WHY_DATESTR },
    { "5 + date(\"2001-12-26\")", WHY_DATESTR },
    { "date(\"1970-1-2\")", WHY_BADDATE },
    { "date(\"2001-12-26\") + 5", WHY_DATESTR },
    { "date(\"2001-12-26\") - 5", WHY_DATESTR },
    { "date(\"2018-01-01\" + 1)", WHY_BADDATE },
    { "date(\"not a date\")", WHY_BADDATE },
    { "date(\"opv3\")", WHY_BADDATE },
    { "date('nonsense')", WHY_BADDATE },
    { "date(-1)", WHY_DATENUM },
    { "date(0)", WHY_DATENUM },
    { "date(1)", WHY_DATENUM },
    { "date(1.5)", WHY_DATENUM },
    { "date(decimal-date-time(\"2003-10-20T08:00:00.000-07:00\"))", WHY_DATENUM },
    { "date(number('invalid'))", WHY_BADDATE },
    { "date(true())", WHY_BADDATE },
    { "date-time(\"not a date\")", WHY_BADDATE },
    { "date-time(\"opv3\")", WHY_BADDATE },
    { "date-time('1970-01-01')", WHY_BADDATE },
    { "date-time('nonsense')", WHY_BADDATE },
    { "date-time(true())", WHY_BADDATE },
    { "false() and substring()", WHY_LOAD },
    { "false() and substring() and true()", WHY_LOAD },
    { "false() or true() or substring()", WHY_LOAD },
    { "if( false() and explode-a(), \"A\", if(false() and explode-b(), \"B\", \"C\") )", WHY_LOAD },
    { "if( false() and explode-a(), \"A\", if(false() and explode-b(), \"B\", false() and false()) )", WHY_LOAD },
    { "if( false() and explode-a(), \"A\", if(false() and explode-b(), \"B\", false() and true()) )", WHY_LOAD },
    { "if( false() and explode-a(), \"A\", if(false() and explode-b(), \"B\", false() or true()) )", WHY_LOAD },
    { "if( false() and explode-a(), \"A\", if(false() and explode-b(), \"B\", true() and false()) )", WHY_LOAD },
    { "if( false() and explode-a(), \"A\", if(false() and explode-b(), \"B\", true() and true()) )", WHY_LOAD },
    { "if( false() and explode-a(), \"A\", if(false() and explode-b(), \"B\", true() or false()) )", WHY_LOAD },
    { "if( false() and explode-a(), \"A\", if(true() or explode-b(), false() and explode-c(), true() or explode-d()) )", WHY_LOAD },
    { "if( true() or true() and explode-a(), \"A\", if(true() or true() and explode-b(), true() or true() and explode-c(), true() or true() and explode-d()) )", WHY_LOAD },
    { "if( true() or true() and false(), \"A\", if(true() or true() and explode-b(), true() or true() and explode-c(), true() or true() and explode-d()) )", WHY_LOAD },
    { "if( true() or true() and false(), \"A\", if(true() or true() and false(), true() or true() and explode-c(), true() or true() and explode-d()) )", WHY_LOAD },
    { "if( true() or true() and false(), \"A\", if(true() or true() and false(), true() or true() and false(), true() or true() and explode-d()) )", WHY_LOAD },
    { "int(\"7.922021953507237e-12\")", WHY_EXP },
    { "max(//nonexisting)", WHY_DOC },
    { "min(//nonexisting)", WHY_DOC },
    { "round(\"-1.475\", \"2\")", WHY_ROUND },
    { "round('14,6')", WHY_COMMA },
    { "round('4,6')", WHY_COMMA },
    { "round(-1.5)", WHY_ROUND },
    { "round(-1.5, 0)", WHY_ROUND },
    { "string(date(\"2018-01-01\" + 1))", WHY_BADDATE },
    { "true() and false() and substring()", WHY_LOAD },
    { "true() or substring()", WHY_LOAD },
    { "true() or substring() and true()", WHY_LOAD },
};

static bool deliberate(const char *expr, const char **why)
{
    for (size_t i = 0; i < sizeof DELIBERATE / sizeof DELIBERATE[0]; i++)
        if (!strcmp(DELIBERATE[i].expr, expr)) {
            *why = DELIBERATE[i].why;
            return true;
        }
    return false;
}

typedef struct {
    const char *node;   /* NULL: ctx none */
} ctx_t;

static int lookup(void *vctx, const char *name, expr_val_t *out)
{
    const ctx_t *c = vctx;
    if (!c->node) return -1;
    if (!strcmp(name, "node")) {
        *out = (expr_val_t){ .kind = EXPR_STR, .str = c->node };
        return 0;
    }
    if (!strcmp(name, "empty")) {
        *out = (expr_val_t){ .kind = EXPR_STR, .str = "" };
        return 0;
    }
    return -1;
}

static bool num_equal(double got, json_t *want)
{
    double w;
    if (json_is_string(want)) {
        const char *s = json_string_value(want);
        if (!strcmp(s, "NaN")) return isnan(got);
        w = !strcmp(s, "Infinity") ? INFINITY : !strcmp(s, "-Infinity") ? -INFINITY : strtod(s, NULL);
    } else {
        w = json_number_value(want);
    }
    if (isinf(w) || isinf(got)) return got == w;
    return fabs(got - w) <= 1e-9 * fmax(1, fabs(w));
}

/* A JavaScript /regex/flags, for the few "match" vectors (they use [\s]). */
static bool js_match(const char *re, const char *s)
{
    const char *end = strrchr(re, '/');
    if (re[0] != '/' || end == re) return false;
    buf_t b;
    buf_init(&b);
    for (const char *p = re + 1; p < end; p++) {
        if (!strncmp(p, "\\s", 2)) { buf_puts(&b, "[:space:]"); p++; }
        else buf_putc(&b, *p);
    }
    regex_t r;
    bool ok = regcomp(&r, b.data, REG_EXTENDED | REG_NOSUB | (strchr(end, 'i') ? REG_ICASE : 0)) == 0;
    buf_free(&b);
    if (!ok) return false;
    ok = regexec(&r, s, 0, NULL, 0) == 0;
    regfree(&r);
    return ok;
}

/* javarosa's own notation for a few expected values. */
static bool other_equal(const expr_result_t *r, const char *want)
{
    int y, m, d;
    char iso[40];
    if (sscanf(want, "date DateUtils.getDate(%d, %d, %d)", &y, &m, &d) == 3) {
        char s[16];
        snprintf(s, sizeof s, "%04d-%02d-%02d", y, m, d);
        return r->type == EXPR_T_DATE && !strcmp(r->str, s);
    }
    if (sscanf(want, "date DateUtils.getDateTimeFromString(\"%39[^\"]", iso) == 1)
        return r->type == EXPR_T_DATETIME && !strncmp(r->str, iso, strlen(iso));
    if (!strcmp(want, "Math.PI / 2")) return fabs(r->num - M_PI / 2) < 1e-12;
    if (!strcmp(want, "Math.PI")) return fabs(r->num - M_PI) < 1e-12;
    if (!strcmp(want, "Math.E")) return fabs(r->num - M_E) < 1e-12;
    return false;
}

/* True when vector v passes; *why explains a failure. */
static bool run_vector(json_t *v, char *why, size_t whylen)
{
    const char *src = json_string_value(json_object_get(v, "expr"));
    const char *how = json_string_value(json_object_get(v, "how"));
    json_t *ctxj = json_object_get(v, "ctx"), *exp = json_object_get(v, "expected");
    json_t *simple = json_object_get(ctxj, "simple");
    /* Enketo's geo specs compare metres rounded to the centimetre */
    bool rounded = strstr(json_string_value(json_object_get(v, "test")), "distance() and area()") != NULL;
    ctx_t c = { .node = simple ? json_string_value(simple) : NULL };
    expr_env_t env = { .lookup = lookup, .ctx = &c, .self = { .kind = EXPR_STR, .str = "" } };
    char err[256] = "";
    expr_t *e = expr_parse(src, err, sizeof err);
    if (!e) {
        snprintf(why, whylen, "parse error: %s", err);
        return !strcmp(how, "throws");
    }
    expr_result_t r;
    int rc = expr_eval(e, &env, &r, err, sizeof err);
    expr_free(e);
    if (rc != 0) {
        snprintf(why, whylen, "evaluation error: %s", err);
        return !strcmp(how, "throws");
    }
    snprintf(why, whylen, "got %s %s", expr_type_name(r.type), r.str);
    bool ok = false;
    json_t *w;
    if (!strcmp(how, "throws")) ok = false;
    else if (!strcmp(how, "match")) ok = js_match(json_string_value(json_object_get(exp, "str")), r.str);
    else if ((w = json_object_get(exp, "bool")) != NULL) ok = r.b == json_is_true(w);
    else if ((w = json_object_get(exp, "num")) != NULL) ok = num_equal(rounded ? floor(r.num * 100 + 0.5) / 100 : r.num, w);
    else if (!strcmp(src, "today()") && (w = json_object_get(exp, "str")) != NULL) {
        /* The vector holds the day the suite was exported (the spec's
         * `new Date()` written out): what it means is today's date, in
         * the file's time zone. */
        char today[16];
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(today, sizeof today, "%Y-%m-%d", &tm);
        ok = !strcmp(r.str, today);
    }
    else if ((w = json_object_get(exp, "str")) != NULL) ok = !strcmp(r.str, json_string_value(w));
    else if ((w = json_object_get(exp, "other")) != NULL) ok = other_equal(&r, json_string_value(w));
    expr_result_free(&r);
    return ok;
}

/* Run one file in time zone tz (Enketo's date vectors are written for
 * America/Phoenix, UTC-7 all year; javarosa's for UTC); returns the pass rate over the vectors that need no XML document. */
static double run_file(const char *name, const char *tz, size_t *unexpected)
{
    setenv("TZ", tz, 1);
    tzset();
    const char *root = getenv("BUZON_ROOT");
    buf_t path;
    buf_init(&path);
    buf_printf(&path, "%s/tests/fixtures/xpath-vectors/%s", root ? root : ".", name);
    json_error_t jerr;
    json_t *all = json_load_file(path.data, 0, &jerr);
    if (!all) fail_msg("%s: %s", path.data, jerr.text);
    size_t total = 0, pass = 0, planned = 0;
    *unexpected = 0;
    bool verbose = getenv("XPATH_VECTORS_VERBOSE") != NULL;
    for (size_t i = 0; i < json_array_size(all); i++) {
        json_t *v = json_array_get(all, i);
        if (json_object_get(json_object_get(v, "ctx"), "dom")) continue;
        total++;
        char why[400];
        const char *reason;
        const char *src = json_string_value(json_object_get(v, "expr"));
        if (run_vector(v, why, sizeof why)) {
            pass++;
        } else if (deliberate(src, &reason)) {
            planned++;
            if (verbose) printf("  deliberate %s: %s (%s)\n", src, reason, why);
        } else {
            ++*unexpected;
            char *want = json_dumps(json_object_get(v, "expected"), JSON_COMPACT);
            printf("  FAIL %s: %s; expected %s\n", src, why, want);
            free(want);
        }
    }
    double rate = total ? 100.0 * (double)pass / (double)total : 0;
    printf("%s: %zu of %zu vectors without an XML document pass (%.1f%%); %zu failed deliberately\n", name, pass,
           total, rate, planned);
    json_decref(all);
    buf_free(&path);
    return rate;
}

/* The floors are the rates reached when this test was written (issue 15:
 * the aim is 95% over both files); every failure must also be listed in
 * DELIBERATE, so that a newly broken vector is named, not just counted. */
static void test_enketo_vectors(void **state)
{
    (void)state;
    size_t unexpected;
    double rate = run_file("vectors_enketo.json", "MST7", &unexpected);
    assert_true(rate >= 94.5);
    assert_int_equal(unexpected, 0);
}

static void test_javarosa_vectors(void **state)
{
    (void)state;
    size_t unexpected;
    double rate = run_file("vectors_javarosa.json", "UTC", &unexpected);
    assert_true(rate >= 99.4);
    assert_int_equal(unexpected, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enketo_vectors),
        cmocka_unit_test(test_javarosa_vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
