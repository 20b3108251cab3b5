/*
 * test_casework.c: a change by a member of staff, below HTTP: the model's
 * rule (case_change_normalize: blank texts change nothing) holds for every
 * caller of the service, not only for the web form.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/cases.h"
#include "service/casework.h"
#include "store/store.h"
#include "store/store_cases.h"
#include "store/store_held.h"
#include "testdb.h"

static void test_normalize_drops_blank_texts(void **state)
{
    (void)state;
    case_change_t ch = { .public_answer = " \t\r\n", .note = "" };
    assert_false(case_change_normalize(&ch));
    assert_null(ch.public_answer);
    assert_null(ch.note);
    ch = (case_change_t){ .public_answer = "  ", .note = " visto " };
    assert_true(case_change_normalize(&ch));
    assert_null(ch.public_answer);
    assert_string_equal(ch.note, " visto ");
    ch = (case_change_t){ .public_answer = " ", .close = true };
    assert_true(case_change_normalize(&ch));            /* closing alone is a change */
    assert_null(ch.public_answer);
    ch = (case_change_t){ .assign_to = 3 };
    assert_true(case_change_normalize(&ch));
    ch = (case_change_t){ .erase_contact = true, .erase_reason = CASE_ERASE_ASKED };
    assert_true(case_change_normalize(&ch));
    ch = (case_change_t){ .erase_contact = true, .erase_reason = "otro:duplicado por teléfono" };
    assert_true(case_change_normalize(&ch));
    ch = (case_change_t){ 0 };
    assert_false(case_change_normalize(&ch));
}

/* The contact is never erased without saying why (issue 13): an erasure
 * without a reason, or with one the model never writes, is no change. */
static void test_erase_needs_a_reason(void **state)
{
    (void)state;
    static const char *const bad[] = { NULL, "", "otro:", "otro:   ", "porque sí" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        case_change_t ch = { .erase_contact = true, .erase_reason = bad[i] };
        assert_false(case_change_normalize(&ch));
        assert_false(ch.erase_contact);
    }
    char r[CASE_ERASE_REASON_SIZE];
    assert_int_equal(case_erase_reason(true, "ignored", r), CASE_ERASE_OK);
    assert_string_equal(r, "a_pedido");
    assert_int_equal(case_erase_reason(false, "  número\r\nequivocado\t ", r), CASE_ERASE_OK);
    assert_string_equal(r, "otro:número  equivocado");
    assert_true(case_erase_reason_valid(r));
    assert_int_equal(case_erase_reason(false, " \n", r), CASE_ERASE_NO_REASON);
    assert_int_equal(case_erase_reason(false, NULL, r), CASE_ERASE_NO_REASON);
    char lon[4 * CASE_ERASE_TEXT_MAX];
    memset(lon, 0, sizeof lon);
    for (int i = 0; i < CASE_ERASE_TEXT_MAX; i++) strcat(lon, "ñ");      /* just fits */
    assert_int_equal(case_erase_reason(false, lon, r), CASE_ERASE_OK);
    assert_true(case_erase_reason_valid(r));
    strcat(lon, "a");
    assert_int_equal(case_erase_reason(false, lon, r), CASE_ERASE_TOO_LONG);
}

/* The inbox search, below HTTP (issue 13): a code however typed, or every
 * word in the comment or the public answer, whatever the case and accents;
 * LIKE's wildcards typed are plain characters; other filters still apply. */
static void test_search_finds_code_and_words(void **state)
{
    (void)state;
    test_db_t db;
    test_db_open(&db);
    store_t *s = db.s;
    static const char *const texts[] = { "La atención en la OFICINA fue lenta", "Basura 100% en la calle",
                                         "Todo bien_hecho" };
    char codes[3][CASE_CODE_LEN + 1];
    for (int i = 0; i < 3; i++) {
        store_answer_t ans[] = { { "comentario", texts[i] } };
        case_new_t k = { .kind = "queja", .service = i == 2 ? "mercado" : "oficina", .standard_days = -1 };
        char sid[32];
        snprintf(sid, sizeof sid, "search-%d", i);
        store_response_t r = { .submission_id = sid, .form_version_id = db.fv, .form_id = "quejas",
                               .lang = "es", .channel = "web", .submitted_hour = 1000000 + i,
                               .duration_s = -1, .answers = ans, .nanswers = 1, .open_case = &k };
        assert_int_equal(store_submit(s, &r), STORE_OK);
        memcpy(codes[i], k.code, sizeof codes[i]);
    }
    case_change_t ch = { .public_answer = "Enviamos el camión recolector" };
    assert_int_equal(casework_change(s, codes[1], &ch, "ana", 2000000), STORE_OK);
    struct { const char *search, *service; int hits; int first; } cases[] = {
        { "ATENCION oficina", NULL, 1, 0 },   /* any case, no accents, every word */
        { "atención lenta calle", NULL, 0, -1 },
        { "camion", NULL, 1, 1 },             /* the public answer */
        { "%", NULL, 1, 1 },                  /* a literal %, not "anything" */
        { "o_i", NULL, 0, -1 },               /* a literal _, not "any one character" (ofi) */
        { "bien_hecho", NULL, 1, 2 },
        { "la", "mercado", 0, -1 },           /* with the other filters */
        { "la", "oficina", 2, 1 },
        { "  ", NULL, 3, 2 },                 /* blank: no search */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        case_query_t q = { .status = CASE_ANY_STATUS, .search = cases[i].search, .service = cases[i].service };
        case_rec_t *v;
        size_t n;
        assert_int_equal(store_case_list(s, &q, 0, &v, &n), STORE_OK);
        if ((int)n != cases[i].hits) fail_msg("'%s': %zu cases, not %d", cases[i].search, n, cases[i].hits);
        if (n) assert_string_equal(v[0].code, codes[cases[i].first]);
        case_recs_free(v, n);
    }
    /* The code, in lower case with dashes, or in groups with spaces. */
    char pretty[CASE_CODE_LEN + 3], typed[2][32];
    case_code_pretty(codes[2], pretty);
    for (char *p = pretty; *p; p++) *p = (char)tolower((unsigned char)*p);
    snprintf(typed[0], sizeof typed[0], " %s ", pretty);
    snprintf(typed[1], sizeof typed[1], "%.3s %.3s %.3s", codes[2], codes[2] + 3, codes[2] + 6);
    for (int i = 0; i < 2; i++) {
        case_query_t q = { .status = CASE_OPEN, .search = typed[i] };
        case_rec_t *v;
        size_t n;
        assert_int_equal(store_case_list(s, &q, 0, &v, &n), STORE_OK);
        assert_int_equal(n, 1);
        assert_string_equal(v[0].code, codes[2]);
        case_recs_free(v, n);
    }
    test_db_close(&db);
}

/* A whitespace-only public answer sent with a note is not published: the
 * note is saved, the case is not answered. An all-blank change writes
 * nothing. */
static void test_blank_public_answer_is_not_stored(void **state)
{
    (void)state;
    test_db_t db;
    test_db_open(&db);
    store_t *s = db.s;
    int64_t fv = db.fv;
    store_answer_t ans[] = { { "comentario", "la calle" } };
    case_new_t k = { .kind = "queja", .standard_days = -1 };
    store_response_t r = { .submission_id = "casework-0001", .form_version_id = fv, .form_id = "quejas",
                           .lang = "es", .channel = "web", .submitted_hour = 1000000,
                           .duration_s = -1, .answers = ans, .nanswers = 1, .open_case = &k };
    assert_int_equal(store_submit(s, &r), STORE_OK);

    case_change_t ch = { .public_answer = "   \r\n", .note = "llamé al vecino" };
    assert_int_equal(casework_change(s, k.code, &ch, "ana", 2000000), STORE_OK);
    case_rec_t c;
    assert_int_equal(casework_get(s, k.code, &c), STORE_OK);
    assert_true(c.public_answer == NULL || c.public_answer[0] == '\0');
    assert_int_equal(c.answered_at, 0);
    assert_int_equal(c.status, CASE_NEW);
    case_rec_free(&c);
    casework_page_t p;
    assert_int_equal(casework_get(s, k.code, &c), STORE_OK);
    assert_int_equal(casework_page(s, &c, 10, &p), STORE_OK);
    assert_int_equal(p.nnotes, 1);
    assert_string_equal(p.notes[0].text, "llamé al vecino");
    casework_page_free(&p);
    case_rec_free(&c);

    case_change_t blank = { .public_answer = "  \n\t ", .note = " " };
    assert_int_equal(casework_change(s, k.code, &blank, "ana", 2000000), STORE_EMPTY);
    assert_non_null(blank.public_answer);               /* the caller's change is left as it is */

    test_db_close(&db);
}

/* issue 17: the retention chore discards double-entry sheets held
 * unresolved past the period (never the markers of stored ones), and an
 * administrator can discard one; both audited. */
static void test_held_sheets_purged_and_discarded(void **state)
{
    (void)state;
    test_db_t db;
    test_db_open(&db);
    store_t *s = db.s;
    int64_t day = 86400, now = 1800000000;
    held_key_t old = { "lote-viejo", "quejas-2024.1-todos-es", 1 }, fresh = { "lote-nuevo", "quejas-2024.1-todos-es", 1 },
               done = { "lote-hecho", "quejas-2024.1-todos-es", 1 };
    held_entry_t e1 = { .entry = 1, .submission_id = "held0000-0000-4000-8000-000000000001", .entered_by = "ana",
                        .written = 1710460800, .answers = "contacto_nombre=Marta" };
    held_entry_t e2 = e1;
    e2.entry = 2;
    e2.entered_by = "luis";
    assert_int_equal(store_held_put(s, &old, "quejas", &e1, now - 40 * day), STORE_OK);
    assert_int_equal(store_held_put(s, &old, "quejas", &e2, now - 31 * day), STORE_OK);
    assert_int_equal(store_held_put(s, &fresh, "quejas", &e1, now - 2 * day), STORE_OK);
    assert_int_equal(store_held_put(s, &done, "quejas", &e1, now - 90 * day), STORE_OK);
    assert_int_equal(store_held_drop(s, &done, "luis", e1.submission_id, "doble_entrada", NULL, now - 89 * day),
                     STORE_OK);
    cases_chores(s, 30, now);
    held_entry_t got[2];
    int n;
    assert_int_equal(store_held_get(s, &old, got, &n), STORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_held_get(s, &fresh, got, &n), STORE_OK);
    assert_int_equal(n, 1);
    held_entry_free(got, n);
    assert_int_equal(store_held_get(s, &done, got, &n), STORE_OK);   /* the marker stays */
    assert_int_equal(n, 1);
    assert_int_equal(got[0].stored, 1);
    held_entry_free(got, n);
    /* An administrator discards the fresh one; then there is nothing. */
    assert_int_equal(store_held_discard(s, &fresh, "jefa", now), STORE_OK);
    assert_int_equal(store_held_get(s, &fresh, got, &n), STORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_held_discard(s, &fresh, "jefa", now), STORE_NOTFOUND);
    assert_int_equal(store_held_discard(s, &done, "jefa", now), STORE_NOTFOUND);   /* a marker is no held sheet */
    test_db_close(&db);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize_drops_blank_texts),
        cmocka_unit_test(test_blank_public_answer_is_not_stored),
        cmocka_unit_test(test_erase_needs_a_reason),
        cmocka_unit_test(test_search_finds_code_and_words),
        cmocka_unit_test(test_held_sheets_purged_and_discarded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
