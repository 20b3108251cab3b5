/*
 * test_plan.c (issue 18): where each action of the Plan de Mejora stands
 * (model/plan.h) on fixed days, with and without evidence and targets, the
 * plan's own inconsistency (an end before the start), and the plan.csv
 * columns meta and indicador_id as the catalog checks them (ind_load_files,
 * `plan.csv:row: ...` messages), on a forms folder written here with a
 * register-like form whose indicator belongs to action 9.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/bizdays.h"
#include "base/buf.h"
#include "model/form.h"
#include "model/indicators.h"
#include "model/plan.h"
#include "testform.h"

static int ym(int y, int m) { return y * 12 + m - 1; }
static int64_t day(int y, int m, int d) { return bizdays_from_civil(y, m, d); }

/* An action from 2025-01 to 2025-08 (action 9's dates). */
static ind_plan_action_t action(int start, int end)
{
    return (ind_plan_action_t){ .number = 9, .start_ym = start, .end_ym = end };
}

static void test_not_started_before_and_without_evidence(void **state)
{
    (void)state;
    ind_plan_action_t a = action(ym(2025, 1), ym(2025, 8));
    plan_progress_t p = { 0 };
    assert_int_equal(plan_status(&a, day(2024, 12, 31), &p), PLAN_NOT_STARTED);
    /* the period has begun but nothing is recorded yet */
    assert_int_equal(plan_status(&a, day(2025, 3, 1), &p), PLAN_NOT_STARTED);
    assert_string_equal(plan_status_key(PLAN_NOT_STARTED), "no_iniciada");
    assert_string_equal(i18n(LANG_ES, plan_status_text(PLAN_NOT_STARTED)), "No iniciada");
}

static void test_in_progress_with_evidence_until_the_end_month_ends(void **state)
{
    (void)state;
    ind_plan_action_t a = action(ym(2025, 1), ym(2025, 8));
    plan_progress_t p = { .evidence = true, .has_value = true, .value = 3, .has_target = true, .target = 6 };
    assert_int_equal(plan_status(&a, day(2025, 3, 1), &p), PLAN_IN_PROGRESS);
    assert_int_equal(plan_status(&a, day(2025, 8, 31), &p), PLAN_IN_PROGRESS);   /* last day of the end month */
    assert_string_equal(i18n(LANG_HT, plan_status_text(PLAN_IN_PROGRESS)), "Ap fèt");
}

static void test_achieved_when_the_target_is_reached_or_done_without_target(void **state)
{
    (void)state;
    ind_plan_action_t a = action(ym(2025, 1), ym(2025, 8));
    plan_progress_t p = { .evidence = true, .has_value = true, .value = 6, .has_target = true, .target = 6 };
    assert_int_equal(plan_status(&a, day(2025, 3, 1), &p), PLAN_ACHIEVED);
    assert_int_equal(plan_status(&a, day(2026, 1, 1), &p), PLAN_ACHIEVED);
    /* no target: the recorded task counts once its period is over */
    plan_progress_t q = { .evidence = true };
    assert_int_equal(plan_status(&a, day(2025, 9, 1), &q), PLAN_ACHIEVED);
    assert_int_equal(plan_status(&a, day(2025, 8, 1), &q), PLAN_IN_PROGRESS);
    /* a hidden figure (too few answers) cannot show the target reached */
    plan_progress_t h = { .evidence = true, .has_value = false, .has_target = true, .target = 1 };
    assert_int_equal(plan_status(&a, day(2025, 3, 1), &h), PLAN_IN_PROGRESS);
}

static void test_overdue_after_the_end_without_reaching_it(void **state)
{
    (void)state;
    ind_plan_action_t a = action(ym(2025, 1), ym(2025, 8));
    plan_progress_t none = { 0 };
    assert_int_equal(plan_status(&a, day(2025, 9, 1), &none), PLAN_OVERDUE);
    plan_progress_t p = { .evidence = true, .has_value = true, .value = 2, .has_target = true, .target = 6 };
    assert_int_equal(plan_status(&a, day(2025, 9, 1), &p), PLAN_OVERDUE);
    assert_string_equal(i18n(LANG_ES, plan_status_text(PLAN_OVERDUE)), "Vencida");
}

static void test_end_before_start_is_flagged_and_follows_its_end(void **state)
{
    (void)state;
    ind_plan_action_t ten = action(ym(2024, 9), ym(2024, 8));   /* the plan's action 10 */
    assert_true(plan_dates_inconsistent(&ten));
    ind_plan_action_t nine = action(ym(2025, 1), ym(2025, 8));
    assert_false(plan_dates_inconsistent(&nine));
    plan_progress_t none = { 0 };
    assert_int_equal(plan_status(&ten, day(2024, 8, 15), &none), PLAN_NOT_STARTED);
    assert_int_equal(plan_status(&ten, day(2025, 3, 1), &none), PLAN_OVERDUE);
    assert_int_equal(plan_month_first_day(ym(2024, 2)), day(2024, 2, 1));
    assert_int_equal(plan_month_last_day(ym(2024, 2)), day(2024, 2, 29));
    assert_int_equal(plan_month_last_day(ym(2024, 12)), day(2024, 12, 31));
}

/* ---- plan.csv's meta and indicador_id, and the rows of a report --------------------- */

static const char PLAN_HEAD[] =
    "no,criterio,subcriterio,inicio,fin,indicador_id,meta,accion::Español (es),accion::Kreyòl (ht),"
    "objetivo::Español (es),objetivo::Kreyòl (ht),area::Español (es),area::Kreyòl (ht),"
    "indicador::Español (es),indicador::Kreyòl (ht),responsable::Español (es),responsable::Kreyòl (ht),"
    "nota::Español (es),nota::Kreyòl (ht)\n";
static const char ROW_TAIL[] = ",Acción,Aksyon,Obj,Obj,Área,Zòn,Medición,Mezi,Planificación,Planifikasyon,,\n";

typedef struct fx {
    char      root[64];
    form_t  **forms;
    size_t    nforms;
} fx_t;

static int setup(void **state)
{
    fx_t *f = xcalloc(1, sizeof *f);
    snprintf(f->root, sizeof f->root, "/tmp/buzon-test-plan-XXXXXX");
    if (!mkdtemp(f->root)) return -1;
    free(testform_write(f->root, "reuniones",
                        "type,name,label::Español (es),label::Kreyòl (ht)\n"
                        "select_one tipo,tipo,Tipo,Tip\n"
                        "text,tema,Tema,Sijè\n",
                        "list_name,name,label::Español (es),label::Kreyòl (ht)\n"
                        "tipo,reunion,Reunión,Reyinyon\ntipo,otro,Otro,Lòt\n",
                        "form_title,form_id,default_language\nReuniones,reuniones,Español (es)\n"));
    testform_write_file(f->root, "indicators.csv",
                        "id,action,form,kind,items,choices,exclude,target,headline,label::Español (es),"
                        "label::Kreyòl (ht)\n"
                        "reu_n,9,reuniones,count,tipo,reunion,,4,yes,Reuniones,Reyinyon\n"
                        "reu_otro,9,reuniones,count,tipo,otro,,,,Otras,Lòt\n");
    diag_t d = { 0 };
    f->nforms = form_load_all(f->root, &f->forms, &d);
    for (size_t i = 0; i < d.n; i++) fprintf(stderr, "%s\n", d.lines[i]);
    int bad = d.n > 0;
    diag_free(&d);
    *state = f;
    return bad ? -1 : 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;
    for (size_t i = 0; i < f->nforms; i++) form_free(f->forms[i]);
    free(f->forms);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->root);
    if (system(cmd)) return -1;
    free(f);
    return 0;
}

/* Load f's folder with plan.csv = rows; the messages ('\n'-separated,
 * paths cut to the file name) into msgs (caller frees). */
static int load(fx_t *f, const char *rows, ind_defs_t *defs, ind_plan_t *plan, buf_t *msgs)
{
    buf_t p;
    buf_init(&p);
    buf_puts(&p, PLAN_HEAD);
    buf_puts(&p, rows);
    testform_write_file(f->root, "plan.csv", p.data);
    buf_free(&p);
    diag_t d = { 0 };
    int rc = ind_load_files(f->root, f->forms, f->nforms, defs, plan, &d);
    buf_init(msgs);
    for (size_t i = 0; i < d.n; i++) {
        const char *s = strrchr(d.lines[i], '/');
        buf_printf(msgs, "%s\n", s ? s + 1 : d.lines[i]);
    }
    diag_free(&d);
    return rc;
}

static void test_plan_meta_and_indicator_are_checked(void **state)
{
    fx_t *f = *state;
    ind_defs_t defs;
    ind_plan_t plan;
    buf_t m, rows;
    buf_init(&rows);
    buf_printf(&rows, "9,8,8.2,2025-01,2025-08,reu_n,6%s", ROW_TAIL);
    buf_printf(&rows, "10,8,8.2,2024-09,2024-08,,%s", ROW_TAIL);
    assert_int_equal(load(f, rows.data, &defs, &plan, &m), 0);
    assert_int_equal(plan.n, 2);
    const ind_plan_action_t *nine = ind_plan_find(&plan, 9);
    assert_string_equal(nine->indicator_id, "reu_n");
    assert_true(nine->has_target);
    assert_true(nine->target == 6);
    assert_null(ind_plan_find(&plan, 10)->indicator_id);
    assert_false(ind_plan_find(&plan, 10)->has_target);
    ind_defs_free(&defs);
    ind_plan_free(&plan);
    buf_free(&m);

    buf_reset(&rows);
    buf_printf(&rows, "9,8,8.2,2025-01,2025-08,reu_n,seis%s", ROW_TAIL);
    assert_int_equal(load(f, rows.data, &defs, &plan, &m), -1);
    assert_non_null(strstr(m.data, "plan.csv:2: meta must be a number, not \"seis\""));
    assert_int_equal(plan.n, 0);
    buf_free(&m);

    buf_reset(&rows);
    buf_printf(&rows, "9,8,8.2,2025-01,2025-08,nada,%s", ROW_TAIL);
    buf_printf(&rows, "10,8,8.2,2024-09,2024-08,reu_otro,%s", ROW_TAIL);
    assert_int_equal(load(f, rows.data, &defs, &plan, &m), -1);
    assert_non_null(strstr(m.data, "plan.csv:2: indicador_id \"nada\" is not an id of indicators.csv"));
    assert_non_null(strstr(m.data, "plan.csv:3: indicador_id \"reu_otro\" is an indicator of action 9, "
                                   "not of action 10"));
    /* and the planner reads them in Spanish */
    diag_t d = { 0 };
    diag_add(&d, "plan.csv", 2, "meta must be a number, not \"%s\"", "seis");
    assert_non_null(strstr(diag_line(&d, 0, LANG_ES), "meta debe ser un número, no \"seis\""));
    assert_non_null(strstr(diag_line(&d, 0, LANG_HT), "meta dwe yon nimewo"));
    diag_free(&d);
    buf_free(&m);
    buf_free(&rows);
}

/* issue 18: an action's window is the first day of its start month to the
 * last day of its end month, cut at the status day; empty before it
 * starts and for an end before the start (action 10). */
static void test_window_of_an_action(void **state)
{
    (void)state;
    ind_plan_action_t a = action(ym(2024, 9), ym(2025, 8));
    int64_t from, to;
    assert_true(plan_window(&a, day(2026, 12, 5), &from, &to));
    assert_int_equal(from, day(2024, 9, 1));
    assert_int_equal(to, day(2025, 8, 31));
    assert_true(plan_window(&a, day(2025, 3, 15), &from, &to));
    assert_int_equal(to, day(2025, 3, 15));   /* never after the status day */
    assert_false(plan_window(&a, day(2024, 8, 31), &from, &to));   /* not begun */
    ind_plan_action_t ten = action(ym(2024, 9), ym(2024, 8));
    assert_false(plan_window(&ten, day(2026, 12, 5), &from, &to));
    assert_true(to < from);
    ind_plan_action_t feb = action(ym(2024, 2), ym(2024, 2));   /* a leap February */
    assert_true(plan_window(&feb, day(2026, 1, 1), &from, &to));
    assert_int_equal(to, day(2024, 2, 29));
}

/* issue 18, the tester's rows: an action is judged on its window's report
 * only. An ended action without a target whose window has no answers is
 * overdue, even with evidence after its end (kept in progress.late, never
 * counted); with an answer in its window it is achieved; with a target,
 * the window's figure must reach it (evidence alone does not do). */
static void test_status_from_the_window_only(void **state)
{
    (void)state;
    ind_def_t def = { .id = "reu_n", .action = 9, .form = "reuniones", .kind = IND_ENTRIES, .headline = true };
    ind_result_t r = { .def = &def, .total = { .key = "", .value = NAN, .lo = NAN, .hi = NAN, .n = 0 } };
    ind_form_count_t fc = { .form = "reuniones", .responses = 0, .first_ym = -1, .last_ym = -1 };
    ind_report_t win = { .r = &r, .n = 1, .forms = &fc, .nforms = 1, .threshold = 3 };
    ind_plan_action_t a = action(ym(2025, 1), ym(2025, 8));
    plan_row_t w = { 0 };
    /* December 2026: nothing in 2025-01..08, four entries since */
    plan_row_fill(&w, &a, &win, 4, day(2026, 12, 5));
    assert_false(w.progress.evidence);
    assert_int_equal(w.progress.late, 4);
    assert_int_equal(w.entries, 0);
    assert_int_equal(w.status, PLAN_OVERDUE);
    assert_int_equal(w.win_from, day(2025, 1, 1));
    assert_int_equal(w.win_to, day(2025, 8, 31));
    /* one entry in the window: achieved, its figure the window's */
    fc.responses = 1;
    r.total = (ind_cell_t){ .key = "", .value = 1, .lo = NAN, .hi = NAN, .n = 1 };
    plan_row_fill(&w, &a, &win, 4, day(2026, 12, 5));
    assert_true(w.progress.evidence && w.progress.has_value && w.progress.value == 1);
    assert_ptr_equal(w.headline, &r);
    assert_int_equal(w.entries, 1);
    assert_int_equal(w.status, PLAN_ACHIEVED);
    /* the same during the window: in progress */
    plan_row_fill(&w, &a, &win, 0, day(2025, 3, 15));
    assert_int_equal(w.status, PLAN_IN_PROGRESS);
    /* a target of 3: one in the window does not reach it, ended: overdue
     * (however many came later) */
    a.has_target = true;
    a.target = 3;
    plan_row_fill(&w, &a, &win, 9, day(2026, 12, 5));
    assert_int_equal(w.status, PLAN_OVERDUE);
    /* three in the window reach it, even before the end */
    fc.responses = 3;
    r.total.value = 3;
    r.total.n = 3;
    plan_row_fill(&w, &a, &win, 0, day(2025, 3, 15));
    assert_int_equal(w.status, PLAN_ACHIEVED);
    /* no evidence in the window yet, before the end: not started */
    fc.responses = 0;
    r.total = (ind_cell_t){ .key = "", .value = NAN, .lo = NAN, .hi = NAN, .n = 0 };
    plan_row_fill(&w, &a, &win, 0, day(2025, 3, 15));
    assert_int_equal(w.status, PLAN_NOT_STARTED);
}

/* The rows of a report: the headline figure (indicador_id, else the
 * action's headline), its target (meta, else the indicator's), evidence
 * from the entries, and no indicator at all. */
static void test_rows_of_a_report(void **state)
{
    fx_t *f = *state;
    ind_defs_t defs;
    ind_plan_t plan;
    buf_t m, rows;
    buf_init(&rows);
    buf_printf(&rows, "9,8,8.2,2025-01,2025-08,,%s", ROW_TAIL);
    buf_printf(&rows, "1,2,2.4,2024-09,2025-08,,%s", ROW_TAIL);
    assert_int_equal(load(f, rows.data, &defs, &plan, &m), 0);
    /* a report with six meetings out of seven entries, 0 of the other */
    ind_result_t r[2] = {
        { .def = &defs.d[0], .total = { .key = "", .value = 6, .lo = NAN, .hi = NAN, .n = 7 } },
        { .def = &defs.d[1], .total = { .key = "", .value = 1, .lo = NAN, .hi = NAN, .n = 7 } },
    };
    ind_form_count_t fc = { .form = "reuniones", .responses = 7, .first_ym = ym(2025, 2), .last_ym = ym(2025, 3) };
    ind_report_t rep = { .r = r, .n = 2, .forms = &fc, .nforms = 1, .threshold = 3 };
    plan_row_t *w = xcalloc(2, sizeof *w);
    for (size_t i = 0; i < 2; i++) plan_row_fill(&w[i], &plan.a[i], &rep, 0, day(2025, 3, 15));
    assert_ptr_equal(w[0].headline, &r[0]);   /* reu_n is the headline */
    assert_int_equal(w[0].nind, 2);
    assert_int_equal(w[0].entries, 7);
    assert_true(w[0].progress.has_target && w[0].progress.target == 4);   /* the indicator's target */
    assert_int_equal(w[0].status, PLAN_ACHIEVED);
    assert_null(w[1].headline);   /* action 1: no indicator in buzon */
    assert_int_equal(w[1].status, PLAN_NOT_STARTED);
    free(w);
    /* the same without a single entry: nothing recorded, not started */
    fc.responses = 0;
    r[0].total = (ind_cell_t){ .key = "", .value = NAN, .lo = NAN, .hi = NAN, .n = 0 };
    r[1].total = r[0].total;
    w = xcalloc(2, sizeof *w);
    for (size_t i = 0; i < 2; i++) plan_row_fill(&w[i], &plan.a[i], &rep, 0, day(2025, 3, 15));
    assert_int_equal(w[0].status, PLAN_NOT_STARTED);
    assert_false(w[0].progress.evidence);
    free(w);
    ind_defs_free(&defs);
    ind_plan_free(&plan);
    buf_free(&m);
    buf_free(&rows);
}

/* issue 18: an entry's line in the report's evidence (plan_entry_describe):
 * without a fecha question, the local day it was stored; the choice's
 * label in the language, not its code; a code no longer in the list as it
 * is; the first two answers only. */
static void test_entry_described(void **state)
{
    fx_t *f = *state;
    const form_t *reu = f->forms[0];
    const char *q[] = { "tipo", "tema" }, *v[] = { "reunion", "Consejo <b> & co" };
    plan_entry_t e;
    int32_t day;
    assert_true(bizdays_parse("2025-03-01", &day));
    plan_entry_describe(reu, q, v, 2, bizdays_to_time(day) + 3 * 3600, LANG_HT, &e);
    assert_string_equal(e.day, "2025-03-01");
    assert_string_equal(e.text, "Reyinyon \xC2\xB7 Consejo <b> & co");   /* escaped by the views */
    free(e.text);
    const char *v2[] = { "gone", "" };
    plan_entry_describe(reu, q, v2, 2, bizdays_to_time(day) - 3600, LANG_ES, &e);
    assert_string_equal(e.day, "2025-02-28");   /* 23:00 the day before, in Bánica */
    assert_string_equal(e.text, "gone");
    free(e.text);
    plan_entry_describe(reu, NULL, NULL, 0, bizdays_to_time(day), LANG_ES, &e);
    assert_string_equal(e.text, "");
    free(e.text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_started_before_and_without_evidence),
        cmocka_unit_test(test_in_progress_with_evidence_until_the_end_month_ends),
        cmocka_unit_test(test_achieved_when_the_target_is_reached_or_done_without_target),
        cmocka_unit_test(test_overdue_after_the_end_without_reaching_it),
        cmocka_unit_test(test_end_before_start_is_flagged_and_follows_its_end),
        cmocka_unit_test_setup_teardown(test_plan_meta_and_indicator_are_checked, setup, teardown),
        cmocka_unit_test(test_window_of_an_action),
        cmocka_unit_test(test_status_from_the_window_only),
        cmocka_unit_test_setup_teardown(test_rows_of_a_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_entry_described, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
