/*
 * test_measures.c: the Carta de Servicios side of cases below HTTP: the
 * measures (business days to answer and to close, median and 90th
 * percentile, % within standard counting open cases already past their
 * deadline as failures, backlog by age), the carta file's checks, tracking
 * codes, and the automatic erasure of contact details after closure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/auth.h"
#include "model/cases.h"
#include "store/store_cases.h"
#include "store/store_staff.h"
#include "service/casework.h"
#include "view/render_staff.h"
#include "model/shortcode.h"
#include "testdb.h"
#include <sqlite3.h>

static const bizcal_t weekends;   /* no holidays: easy to count by hand */

static int32_t D(const char *s)
{
    int32_t d;
    if (!bizdays_parse(s, &d)) fail_msg("bad test date %s", s);
    return d;
}

/* Noon, local time, of a date. */
static int64_t at(const char *date) { return bizdays_to_time(D(date)) + 12 * 3600; }

/* A case received on `received` with a promise of `days`, answered and
 * closed on the given dates (NULL: not yet). */
static case_rec_t rec(const char *received, int days, const char *answered, const char *closed)
{
    case_rec_t c = { .created_at = at(received), .standard_days = days, .status = CASE_NEW };
    if (days >= 0) c.due = bizdays_add(&weekends, D(received), days);
    if (answered) {
        c.first_answer_at = at(answered);
        c.status = CASE_ANSWERED;
    }
    if (closed) {
        c.closed_at = at(closed);
        c.status = CASE_CLOSED;
    }
    return c;
}

static void test_within_standard_counts_overdue_open_cases_as_failures(void **state)
{
    (void)state;
    /* Monday 2025-03-03 + 5 business days = Monday 2025-03-10. */
    case_rec_t v[] = {
        rec("2025-03-03", 5, "2025-03-04", "2025-03-05"),   /* closed in time */
        rec("2025-03-03", 5, "2025-03-10", "2025-03-10"),   /* on the last day: in time */
        rec("2025-03-03", 5, "2025-03-11", "2025-03-11"),   /* one day late */
        rec("2025-03-03", 5, NULL, NULL),                   /* open, past its deadline: a failure */
        rec("2025-03-17", 5, NULL, NULL),                   /* open, still in time: not judged */
        rec("2025-03-03", -1, NULL, "2025-03-20"),          /* no standard: not judged */
    };
    case_measures_t m;
    cases_measure_recs(v, 6, &weekends, at("2025-03-19"), &m);
    assert_int_equal(m.n, 6);
    assert_int_equal(m.closed, 4);
    assert_int_equal(m.open, 2);
    assert_int_equal(m.within, 2);
    assert_int_equal(m.overdue_open, 1);
    assert_int_equal(m.judged, 4);                   /* 3 closed with a standard + 1 overdue */
    assert_true(fabs(m.pct_within - 50.0) < 1e-9);
    assert_true(m.pct_lo < 50.0 && m.pct_hi > 50.0 && m.pct_lo >= 0 && m.pct_hi <= 100);
    /* Without the overdue open case it would have read 2/3. */
    cases_measure_recs(v, 3, &weekends, at("2025-03-19"), &m);
    assert_true(fabs(m.pct_within - 200.0 / 3) < 1e-9);
}

/* Issue 13, item 1: within the standard only by the FIRST public answer;
 * closing without one is a failure, except duplicates and spam, which
 * leave the figures and are counted. */
static void test_within_standard_means_first_answer_on_time(void **state)
{
    (void)state;
    /* Monday 2025-03-03 + 5 business days = Monday 2025-03-10. */
    case_rec_t v[] = {
        rec("2025-03-03", 5, NULL, "2025-03-04"),           /* closed on time, never answered: failure */
        rec("2025-03-03", 5, NULL, "2025-03-04"),           /* closed as duplicate: counted apart */
        rec("2025-03-03", 5, NULL, "2025-03-04"),           /* closed as spam: counted apart */
        rec("2025-03-03", 5, "2025-03-04", "2025-03-20"),   /* answered on time, closed late: within */
        rec("2025-03-03", 5, "2025-03-12", NULL),           /* answered late, still open: failure */
        rec("2025-03-03", 5, "2025-03-05", NULL),           /* answered on time, open: within, not overdue */
        rec("2025-03-03", 5, "2025-03-05", "2025-03-06"),   /* out of competence, referral on time */
    };
    v[1].close_reason = CASE_REASON_DUPLICATE;
    v[2].close_reason = CASE_REASON_SPAM;
    v[6].close_reason = CASE_REASON_OUT_OF_SCOPE;
    case_measures_t m;
    cases_measure_recs(v, 7, &weekends, at("2025-03-20"), &m);
    assert_int_equal(m.n, 7);
    assert_int_equal(m.duplicates, 1);
    assert_int_equal(m.spam, 1);
    assert_int_equal(m.out_of_scope, 1);
    assert_int_equal(m.closed_unanswered, 1);
    assert_int_equal(m.judged, 5);
    assert_int_equal(m.within, 3);
    assert_true(fabs(m.pct_within - 60.0) < 1e-9);
    assert_int_equal(m.answered, 4);          /* first-answer times only of answered cases */
    assert_int_equal(m.closed, 3);            /* duplicates and spam leave the closure times */
    assert_int_equal(m.overdue_open, 0);
    assert_false(cases_overdue(&v[5], at("2025-03-20")));
    assert_false(cases_overdue(&v[4], at("2025-03-20")));   /* answered (late): no longer pending */
    /* Ten cases closed with no answer and one answered: 1 of 11 on time,
     * not 100 %. */
    case_rec_t w[11];
    for (int i = 0; i < 10; i++) w[i] = rec("2025-03-03", 5, NULL, "2025-03-03");
    w[10] = rec("2025-03-03", 5, "2025-03-04", "2025-03-04");
    cases_measure_recs(w, 11, &weekends, at("2025-03-04"), &m);
    assert_int_equal(m.judged, 11);
    assert_int_equal(m.within, 1);
    assert_int_equal(m.answered, 1);
}

/* Issue 13, item 4: a compliment needs no answer: not overdue, not in the
 * backlog, not in any timing; only counted. */
static void test_compliments_are_never_overdue_nor_in_the_backlog(void **state)
{
    (void)state;
    case_rec_t v[] = { rec("2025-02-03", 5, NULL, NULL), rec("2025-02-03", 5, NULL, NULL) };
    v[0].kind = "elogio";
    v[1].kind = "queja";
    assert_false(cases_overdue(&v[0], at("2025-03-31")));
    assert_true(cases_overdue(&v[1], at("2025-03-31")));
    case_measures_t m;
    cases_measure_recs(v, 2, &weekends, at("2025-03-31"), &m);
    assert_int_equal(m.compliments, 1);
    assert_int_equal(m.open, 1);
    assert_int_equal(m.overdue_open, 1);
    assert_int_equal(m.judged, 1);
    size_t backlog = 0;
    for (int b = 0; b < CASE_BACKLOG_BUCKETS; b++) backlog += m.backlog[b];
    assert_int_equal(backlog, 1);
}

/* Issue 13, items 1 and 2: the model's rule for closing and reopening. */
static void test_closing_needs_an_answer_or_a_reason(void **state)
{
    (void)state;
    case_change_t ch = { .close = true };
    assert_int_equal(case_change_check(CASE_ASSIGNED, false, "queja", &ch), CASE_CHECK_NEEDS_REASON);
    assert_int_equal(case_change_check(CASE_ANSWERED, true, "queja", &ch), CASE_CHECK_OK);
    assert_int_equal(case_change_check(CASE_NEW, false, "elogio", &ch), CASE_CHECK_OK);
    ch.public_answer = "Ya lo arreglamos";
    assert_int_equal(case_change_check(CASE_NEW, false, "queja", &ch), CASE_CHECK_OK);
    ch = (case_change_t){ .close = true, .close_reason = CASE_REASON_DUPLICATE };
    /* a duplicate names its original (issue 13) */
    assert_int_equal(case_change_check(CASE_NEW, false, "queja", &ch), CASE_CHECK_NEEDS_ORIGINAL);
    ch.duplicate_of = "K7P4QX9MZ";
    assert_int_equal(case_change_check(CASE_NEW, false, "queja", &ch), CASE_CHECK_OK);
    ch.close_reason = CASE_REASON_SPAM;
    assert_int_equal(case_change_check(CASE_NEW, false, "queja", &ch), CASE_CHECK_OK);
    ch.close_reason = CASE_REASON_OUT_OF_SCOPE;
    assert_int_equal(case_change_check(CASE_NEW, false, "queja", &ch), CASE_CHECK_NEEDS_REFERRAL);
    assert_int_equal(case_change_check(CASE_ANSWERED, true, "queja", &ch), CASE_CHECK_NEEDS_REFERRAL);
    ch.public_answer = "Acuda a la Línea 311";
    assert_int_equal(case_change_check(CASE_NEW, false, "queja", &ch), CASE_CHECK_OK);
    assert_int_equal(case_change_check(CASE_CLOSED, true, "queja", &ch), CASE_CHECK_CLOSED);
    ch = (case_change_t){ .reopen = true };
    assert_int_equal(case_change_check(CASE_CLOSED, false, "queja", &ch), CASE_CHECK_OK);
    assert_int_equal(case_reopen_status(true, true), CASE_ANSWERED);
    assert_int_equal(case_reopen_status(false, true), CASE_ASSIGNED);
    assert_int_equal(case_reopen_status(false, false), CASE_NEW);
    assert_int_equal(case_reason_parse("duplicado"), CASE_REASON_DUPLICATE);
    assert_int_equal(case_reason_parse(""), CASE_REASON_NONE);
    assert_int_equal(case_reason_parse(NULL), CASE_REASON_NONE);
    assert_int_equal(case_reason_parse("otro"), -1);
}

static void test_answer_and_closure_times_median_and_p90(void **state)
{
    (void)state;
    /* Received Monday 2025-03-03; answered after 0, 1, 2, 4, 10 business days. */
    case_rec_t v[] = {
        rec("2025-03-03", 10, "2025-03-03", "2025-03-03"),
        rec("2025-03-03", 10, "2025-03-04", "2025-03-05"),
        rec("2025-03-03", 10, "2025-03-05", NULL),
        rec("2025-03-03", 10, "2025-03-07", "2025-03-10"),     /* Friday, closed Monday: 5 */
        rec("2025-03-03", 10, "2025-03-17", "2025-03-17"),     /* 10 */
    };
    case_measures_t m;
    cases_measure_recs(v, 5, &weekends, at("2025-03-18"), &m);
    assert_int_equal(m.answered, 5);
    assert_true(fabs(m.answer_median - 2) < 1e-9);
    /* type 7: (5-1) * 0.9 = 3.6 -> 4 + 0.6 * (10 - 4) = 7.6 */
    assert_true(fabs(m.answer_p90 - 7.6) < 1e-9);
    assert_int_equal(m.closed, 4);
    /* closures 0, 2, 5, 10 -> median 3.5, p90: 2.7 -> 5 + 0.7 * 5 = 8.5 */
    assert_true(fabs(m.close_median - 3.5) < 1e-9);
    assert_true(fabs(m.close_p90 - 8.5) < 1e-9);
}

static void test_no_cases_measure_as_not_available(void **state)
{
    (void)state;
    case_measures_t m;
    cases_measure_recs(NULL, 0, &weekends, at("2025-03-18"), &m);
    assert_int_equal(m.n, 0);
    assert_true(isnan(m.answer_median) && isnan(m.close_p90) && isnan(m.pct_within));
}

static void test_backlog_by_business_day_age(void **state)
{
    (void)state;
    /* As of Monday 2025-03-31: ages 0, 5 (Mon 24), 6 (Fri 21), 20 (Mon 3), 21 (Fri Feb 28). */
    case_rec_t v[] = {
        rec("2025-03-31", 5, NULL, NULL), rec("2025-03-24", 5, NULL, NULL),
        rec("2025-03-21", 5, NULL, NULL), rec("2025-03-03", 5, NULL, NULL),
        rec("2025-02-28", 5, NULL, NULL), rec("2025-02-03", 5, NULL, "2025-02-04"),
    };
    case_measures_t m;
    cases_measure_recs(v, 6, &weekends, at("2025-03-31"), &m);
    assert_int_equal(m.backlog[0], 2);
    assert_int_equal(m.backlog[1], 1);
    assert_int_equal(m.backlog[2], 1);
    assert_int_equal(m.backlog[3], 1);
    assert_int_equal(cases_age(&v[3], &weekends, at("2025-03-31")), 20);
    assert_true(cases_overdue(&v[3], at("2025-03-31")));
    assert_false(cases_overdue(&v[0], at("2025-03-31")));
    assert_false(cases_overdue(&v[5], at("2025-03-31")));    /* closed */
}

static void test_codes_are_random_unambiguous_and_forgiving(void **state)
{
    (void)state;
    char a[CASE_CODE_LEN + 1], b[CASE_CODE_LEN + 1], n[CASE_CODE_LEN + 1], p[CASE_CODE_LEN + 3];
    case_code_new(a);
    case_code_new(b);
    assert_string_not_equal(a, b);
    assert_int_equal(strspn(a, SHORTCODE_ALPHABET), CASE_CODE_LEN);
    case_code_pretty(a, p);
    assert_int_equal(strlen(p), CASE_CODE_LEN + 2);
    assert_int_equal(p[3], '-');
    for (char *c = p; *c; c++) *c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
    assert_int_equal(case_code_normalize(p, n), 0);
    assert_string_equal(n, a);
    assert_int_equal(case_code_normalize("K7P 4QX 9MZ", n), 0);
    assert_string_equal(n, "K7P4QX9MZ");
    assert_int_equal(case_code_normalize("K7P4QX9M0", n), -1);    /* 0 is not in the alphabet */
    assert_int_equal(case_code_normalize("K7P4QX9M", n), -1);
    assert_int_equal(case_code_normalize("K7P4QX9MZZ", n), -1);
    assert_int_equal(case_code_normalize(NULL, n), -1);
}

/* Write text as dir/carta.csv. */
static void write_carta(const char *dir, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/carta.csv", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* The audit object of a case, built and read in one place (cases.h). */
static void test_case_audit_object(void **state)
{
    (void)state;
    char obj[CASE_OBJECT_SIZE];
    case_object("K7P4QX9MZ", obj);
    assert_string_equal(obj, "caso:K7P4QX9MZ");
    assert_string_equal(case_object_code(obj), "K7P4QX9MZ");
    assert_null(case_object_code("usuario:ana"));
    assert_null(case_object_code(NULL));
}

static void test_carta_needs_every_service_once_with_whole_days(void **state)
{
    (void)state;
    char dir[] = "/tmp/test-carta-XXXXXX";
    assert_non_null(mkdtemp(dir));
    service_t svc[] = { { .id = "mercado" }, { .id = "oficina" } };
    points_t pts = { .services = svc, .nservices = 2 };
    carta_t c;
    diag_t d = { 0 };
    write_carta(dir, "service,business_days,note\nmercado,10,x\noficina, 15 ,y\n");
    assert_int_equal(carta_load(dir, &pts, &c, NULL, &d), 0);
    assert_int_equal(carta_days(&c, "mercado"), 10);
    assert_int_equal(carta_days(&c, "oficina"), 15);
    assert_int_equal(carta_days(&c, "cementerio"), -1);
    carta_free(&c);

    write_carta(dir, "service,business_days\nmercado,diez\nmercado,10\nmatadero,5\n");
    assert_int_equal(carta_load(dir, &pts, &c, NULL, &d), -1);
    assert_int_equal(d.n, 3);
    assert_non_null(strstr(d.lines[0], "carta.csv:2: business_days \"diez\""));
    assert_non_null(strstr(d.lines[1], "carta.csv:4: unknown service \"matadero\""));
    assert_non_null(strstr(d.lines[2], "service \"oficina\" has no row"));
    diag_free(&d);

    char path[128];
    snprintf(path, sizeof path, "%s/carta.csv", dir);
    unlink(path);
    bool missing = false;
    assert_int_equal(carta_load(dir, &pts, &c, &missing, &d), 0);
    assert_true(missing);
    assert_int_equal(carta_days(&c, "mercado"), -1);
    rmdir(dir);
}

/* ---- automatic erasure, in a real store ---------------------------------- */

/* Run sql on the database file directly, as someone with sqlite3 would. */
static int run_sql(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

typedef struct seen {
    char actor[32], action[32];
    int n;
    char detail[64];
} seen_t;

static void last_entry(seen_t *k, const audit_entry_t *e)
{
    if (k->n++) return;
    snprintf(k->actor, sizeof k->actor, "%s", e->actor);
    snprintf(k->action, sizeof k->action, "%s", e->action);
    snprintf(k->detail, sizeof k->detail, "%s", e->detail ? e->detail : "");
}

static void test_contact_details_are_erased_a_while_after_closure(void **state)
{
    (void)state;
    test_db_t db;
    test_db_open(&db);
    store_t *s = db.s;
    int64_t fv = db.fv;
    /* Three complaints with contact details: one closed long ago, one
     * closed yesterday, one open. */
    const char *sids[] = { "erase-old-0001", "erase-new-0002", "erase-open-003" };
    char codes[3][CASE_CODE_LEN + 1];
    for (int i = 0; i < 3; i++) {
        store_answer_t ans[] = { { "comentario", "x" }, { "contacto_nombre", "Rosa" },
                                 { "contacto_telefono", "809" } };
        case_new_t k = { .kind = "queja", .standard_days = -1 };
        store_response_t r = { .submission_id = sids[i], .form_version_id = fv, .form_id = "quejas",
                               .lang = "es", .channel = "web", .submitted_hour = 1000000,
                               .duration_s = -1, .answers = ans, .nanswers = 3, .open_case = &k };
        assert_int_equal(store_submit(s, &r), STORE_OK);
        strcpy(codes[i], k.code);
    }
    int64_t now = 100 * 86400;
    case_change_t close = { .close = true, .close_reason = CASE_REASON_DUPLICATE, .duplicate_of = codes[2] };
    assert_int_equal(store_case_change(s, codes[0], &close, "ana", now - 40 * 86400), STORE_OK);
    assert_int_equal(store_case_change(s, codes[1], &close, "ana", now - 86400), STORE_OK);
    assert_int_equal(store_cases_erase_expired(s, now - 30 * 86400, now), 1);
    case_rec_t c;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(store_case_get(s, codes[i], &c), STORE_OK);
        if (i == 0) {
            assert_null(c.contact_name);
            assert_null(c.contact_phone);
            assert_int_equal(c.contact_erased_at, now);
            assert_string_equal(c.text, "x");          /* the complaint stays */
        } else {
            assert_string_equal(c.contact_name, "Rosa");
            assert_int_equal(c.contact_erased_at, 0);
        }
        case_rec_free(&c);
    }
    /* Nothing left to erase: a second run does nothing. */
    assert_int_equal(store_cases_erase_expired(s, now - 30 * 86400, now + 1), 0);
    /* The audit log says the system did it, and cannot be rewritten. */
    char object[32];
    snprintf(object, sizeof object, "caso:%s", codes[0]);
    seen_t k = { 0 };
    audit_entry_t *e;
    size_t ne;
    assert_int_equal(store_audit_list(s, object, 0, 10, &e, &ne), STORE_OK);
    for (size_t j = 0; j < ne; j++) last_entry(&k, &e[j]);
    audit_entry_free(e, ne);
    assert_string_equal(k.actor, "sistema");
    assert_string_equal(k.action, "contacto_borrado");
    /* Why, as a code the staff pages translate (not Spanish text). */
    assert_string_equal(render_detail(LANG_ES, k.action, k.detail), "plazo de conservación vencido");
    assert_string_equal(render_detail(LANG_HT, k.action, k.detail), "tan pou kenbe l la fini");
    assert_int_equal(run_sql(db.path, "UPDATE audit SET actor = 'nadie'"), SQLITE_CONSTRAINT);
    assert_int_equal(run_sql(db.path, "DELETE FROM audit"), SQLITE_CONSTRAINT);
    test_db_close(&db);
}

/* The one backlog bucket rule of the inbox filter and the measures. */
static void test_backlog_buckets(void **state)
{
    (void)state;
    static const int age[] = { -1, 0, 5, 6, 10, 11, 20, 21, 1000 }, want[] = { 0, 0, 0, 1, 1, 2, 2, 3, 3 };
    for (size_t i = 0; i < sizeof age / sizeof *age; i++) assert_int_equal(cases_backlog_bucket(age[i]), want[i]);
}

/* store_case_list read in pieces (the after_at/after_id cursor) gives the
 * same cases as one read, ties on created_at included; the inbox's age
 * filter, which reads in pieces of its max, keeps the newest max. */
static void test_case_list_in_pieces(void **state)
{
    (void)state;
    test_db_t db;
    test_db_open(&db);
    store_t *s = db.s;
    int64_t fv = db.fv;
    enum { N = 7 };
    for (int i = 0; i < N; i++) {
        char sid[32];
        snprintf(sid, sizeof sid, "pieces-%04d", i);
        store_answer_t ans[] = { { "comentario", "x" } };
        case_new_t k = { .kind = "queja", .standard_days = -1 };
        store_response_t r = { .submission_id = sid, .form_version_id = fv, .form_id = "quejas",
                               .lang = "es", .channel = "web",
                               .submitted_hour = i < 4 ? 1000000 : 1003600,
                               .duration_s = -1, .answers = ans, .nanswers = 1, .open_case = &k };
        assert_int_equal(store_submit(s, &r), STORE_OK);
    }
    case_query_t q = { .status = CASE_ANY_STATUS };
    case_rec_t *all;
    size_t nall;
    assert_int_equal(store_case_list(s, &q, 0, &all, &nall), STORE_OK);
    assert_int_equal(nall, N);
    size_t seen = 0;
    for (;;) {
        case_rec_t *v;
        size_t n;
        assert_int_equal(store_case_list(s, &q, 2, &v, &n), STORE_OK);
        for (size_t i = 0; i < n; i++, seen++) {
            assert_true(seen < nall);
            assert_string_equal(v[i].code, all[seen].code);
        }
        if (n) {
            q.after_at = v[n - 1].created_at;
            q.after_id = v[n - 1].id;
        }
        case_recs_free(v, n);
        if (n < 2) break;
    }
    assert_int_equal(seen, N);
    q = (case_query_t){ .status = CASE_ANY_STATUS };
    bizcal_t cal = { 0 };
    for (size_t max = 1; max <= N + 1; max++) {
        case_rec_t *v;
        size_t n;
        assert_int_equal(casework_inbox(s, &cal, &q, 0, false, 1003600, max, &v, &n), STORE_OK);
        assert_int_equal(n, max < N ? max : N);
        for (size_t i = 0; i < n; i++) assert_string_equal(v[i].code, all[i].code);
        casework_inbox_free(v, n);
    }
    case_recs_free(all, nall);
    test_db_close(&db);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_within_standard_counts_overdue_open_cases_as_failures),
        cmocka_unit_test(test_within_standard_means_first_answer_on_time),
        cmocka_unit_test(test_compliments_are_never_overdue_nor_in_the_backlog),
        cmocka_unit_test(test_closing_needs_an_answer_or_a_reason),
        cmocka_unit_test(test_case_list_in_pieces),
        cmocka_unit_test(test_answer_and_closure_times_median_and_p90),
        cmocka_unit_test(test_no_cases_measure_as_not_available),
        cmocka_unit_test(test_backlog_buckets),
        cmocka_unit_test(test_backlog_by_business_day_age),
        cmocka_unit_test(test_codes_are_random_unambiguous_and_forgiving),
        cmocka_unit_test(test_case_audit_object),
        cmocka_unit_test(test_carta_needs_every_service_once_with_whole_days),
        cmocka_unit_test(test_contact_details_are_erased_a_while_after_closure),
    };
    return cmocka_run_group_tests_name("measures", tests, NULL, NULL);
}
