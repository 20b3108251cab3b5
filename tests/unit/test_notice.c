/*
 * test_notice.c: the values of staff notices (model/notice.h) without a
 * network: which staff addresses are accepted (they go into SMTP commands
 * and headers), the webhook signature against a vector computed with
 * Python's hmac (what a gateway would run), the JSON body, the message
 * (no CR/LF injection through a service name, a non-ASCII subject
 * encoded) and the back-off.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sodium.h>

#include "model/notice.h"

static void test_staff_addresses(void **state)
{
    (void)state;
    assert_true(notice_email_ok("ana@banica.gob.do"));
    assert_true(notice_email_ok("ana.perez+casos@ayuntamiento-banica.do"));
    const char *bad[] = { "", "ana", "@banica.gob.do", "ana@", "ana@banica", "ana@@banica.gob.do",
                          "ana@banica..do", "ana @banica.gob.do", "ana@banica.gob.do\r\nRCPT TO:<x@y.z>",
                          "<ana@banica.gob.do>", "ana,b@banica.gob.do", "ana@-banica.do", "ana@banica.do.",
                          ".ana@banica.do", "ana.@banica.do", "añá@banica.gob.do", NULL };
    for (int i = 0; bad[i]; i++)
        if (notice_email_ok(bad[i])) fail_msg("accepted '%s'", bad[i]);
    char longer[300];
    memset(longer, 'a', sizeof longer);
    memcpy(longer + 280, "@banica.gob.do", 15);
    assert_false(notice_email_ok(longer));
}

/* issue 18 follow-up: a stored failure's cause is read back from its tag;
 * an old row without one is "other" with its whole text as the detail. */
static void test_a_failure_cause_is_read_back(void **state)
{
    (void)state;
    const char *d;
    assert_int_equal(notice_fail_parse("conexion: Failed to connect to 127.0.0.1 port 1", &d), NOTICE_FAIL_CONNECT);
    assert_string_equal(d, "Failed to connect to 127.0.0.1 port 1");
    assert_int_equal(notice_fail_parse("http: webhook answered HTTP 500", &d), NOTICE_FAIL_HTTP);
    assert_int_equal(notice_fail_parse("rechazo: RCPT failed: 550", NULL), NOTICE_FAIL_REFUSED);
    assert_int_equal(notice_fail_parse("Failed to connect", &d), NOTICE_FAIL_OTHER);
    assert_string_equal(d, "Failed to connect");
    assert_int_equal(notice_fail_parse("tlsx: y", &d), NOTICE_FAIL_OTHER);
    for (int f = 0; f < NOTICE_FAIL_COUNT; f++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s: x", notice_fail_tag((notice_fail_t)f));
        assert_int_equal(notice_fail_parse(buf, NULL), f);
        assert_true(*i18n(LANG_HT, notice_fail_text((notice_fail_t)f)));
        assert_true(*i18n(LANG_ES, notice_fail_todo((notice_fail_t)f)));
    }
    assert_int_equal(notice_fail_text(NOTICE_FAIL_AUTH), S_NOTICE_FAIL_AUTH);
    assert_int_equal(notice_fail_todo(NOTICE_FAIL_CONNECT), S_NOTICE_DO_CONNECT);
}

static void test_signature_matches_python_hmac(void **state)
{
    (void)state;
    char sig[NOTICE_SIG_LEN + 1];
    const char body[] = "{\"a\":1}";
    notice_sign((const unsigned char *)"clave", 5, 1700000000, body, strlen(body), sig);
    /* python3 -c "import hmac,hashlib; print(hmac.new(b'clave',
     *   b'1700000000.{\"a\":1}', hashlib.sha256).hexdigest())" */
    assert_string_equal(sig, "sha256=cb2b2ad44c902f4477a88a59965059d44d06ff1664d70feded67d5bd3b193059");
}

static notice_t sample(const char *kind, const char *object, const char *service)
{
    return (notice_t){ .id = 7, .kind = (char *)kind, .object = (char *)object, .channel = (char *)"email",
                       .recipient = (char *)"ana", .address = (char *)"ana@banica.gob.do", .lang = LANG_ES,
                       .service = (char *)service, .due = (char *)"2026-12-18", .extra = (char *)"" };
}

static void test_json_and_message(void **state)
{
    (void)state;
    notice_t n = sample(NOTICE_OVERDUE, "caso:K7P4QX9MZ", "mer\"cado");
    buf_t b;
    buf_init(&b);
    notice_json(&b, &n, "https://buzon.example.do");
    assert_string_equal(b.data, "{\"id\":7,\"event\":\"caso_vencido\",\"case\":\"K7P4QX9MZ\",\"plan_action\":null,"
                                "\"service\":\"mer\\\"cado\",\"due\":\"2026-12-18\",\"unit\":null,"
                                "\"url\":\"https://buzon.example.do/casos/K7P4QX9MZ\","
                                "\"text\":\"Caso vencido K7P-4QX-9MZ\",\"case_kind\":null}");
    buf_reset(&b);
    const char *label = "Mercado\r\nBcc: x@y.z";   /* a label never reaches the headers */
    notice_email(&b, &n, 1, &label, "buzon@banica.gob.do", "https://buzon.example.do", 0);
    const char *body = strstr(b.data, "\r\n\r\n");
    assert_non_null(body);
    char *head = strndup(b.data, (size_t)(body - b.data));
    assert_null(strstr(head, "Bcc"));
    assert_non_null(strstr(head, "Subject: Caso vencido K7P-4QX-9MZ\r\n"));
    free(head);
    assert_non_null(strstr(body, "Fecha límite (Carta de Servicios): 18/12/2026\r\n"));
    assert_non_null(strstr(body, "Abrir: https://buzon.example.do/casos/K7P4QX9MZ\r\n"));
    buf_reset(&b);
    notice_t p = sample(NOTICE_PLAN_END, "plan:2", "");
    p.extra = (char *)"Informático";
    p.lang = LANG_HT;
    notice_email(&b, &p, 1, NULL, "buzon@banica.gob.do", "https://buzon.example.do", 0);
    assert_non_null(strstr(b.data, "Subject: Aksyon plan an ki pral fini 2\r\n"));
    assert_non_null(strstr(b.data, "Inite ki responsab: Informático\r\n"));
    buf_reset(&b);
    p.lang = LANG_ES;   /* "Acción ...": not ASCII, so an encoded word */
    notice_email(&b, &p, 1, NULL, "buzon@banica.gob.do", "https://buzon.example.do", 0);
    assert_non_null(strstr(b.data, "Subject: =?UTF-8?B?"));
    buf_free(&b);
}

/* issue 18 follow-up: a case notice's message says the case's kind, in
 * the recipient's language; the webhook's "unit" stays a plan's. */
static void test_the_message_says_the_kind_of_case(void **state)
{
    (void)state;
    notice_t n = sample(NOTICE_NEW, "caso:K7P4QX9MZ", "mercado");
    n.extra = (char *)"sugerencia";
    buf_t b;
    buf_init(&b);
    notice_email(&b, &n, 1, NULL, "buzon@banica.gob.do", "https://buzon.example.do", 0);
    assert_non_null(strstr(b.data, "\r\nTipo: Sugerencia\r\n"));
    buf_reset(&b);
    n.lang = LANG_HT;
    n.extra = (char *)"queja";
    notice_email(&b, &n, 1, NULL, "buzon@banica.gob.do", "https://buzon.example.do", 0);
    assert_non_null(strstr(b.data, "\r\nKalite: Plent\r\n"));
    buf_reset(&b);
    n.extra = (char *)"x\r\nBcc: a@b.c";   /* never a line of its own */
    notice_email(&b, &n, 1, NULL, "buzon@banica.gob.do", "https://buzon.example.do", 0);
    assert_null(strstr(b.data, "Bcc"));
    buf_reset(&b);
    n.extra = (char *)"elogio";
    notice_json(&b, &n, "https://buzon.example.do");
    assert_non_null(strstr(b.data, "\"unit\":null"));
    buf_reset(&b);
    /* session 23: the webhook says the kind as a machine value, in any
     * language; a plan notice has none */
    n.extra = (char *)"queja";
    notice_json(&b, &n, "https://buzon.example.do");
    assert_non_null(strstr(b.data, ",\"case_kind\":\"queja\"}"));
    buf_reset(&b);
    notice_t pl = sample(NOTICE_PLAN_END, "plan:2", "");
    pl.extra = (char *)"Informático";
    notice_json(&b, &pl, "https://buzon.example.do");
    assert_non_null(strstr(b.data, ",\"case_kind\":null}"));
    buf_reset(&b);
    n.extra = (char *)"";                    /* a row from before: no line */
    notice_email(&b, &n, 1, NULL, "buzon@banica.gob.do", "https://buzon.example.do", 0);
    assert_null(strstr(b.data, "Kalite"));
    buf_free(&b);
}

/* issue 18 follow-up: why an address is refused, and a one-label domain
 * (buzon@localhost) accepted for the sender only. */
static void test_why_an_address_is_refused(void **state)
{
    (void)state;
    assert_null(notice_email_why("ana@banica.gob.do", false));
    assert_string_equal(notice_email_why("buzon@localhost", false),
                        "the domain after '@' needs a dot (e.g. banica.gob.do)");
    assert_false(notice_email_ok("buzon@localhost"));
    assert_null(notice_email_why("buzon@localhost", true));
    assert_null(notice_email_why("b@x", true));
    assert_string_equal(notice_email_why("buzon", true), "it has no '@'");
    assert_string_equal(notice_email_why("buzon@", true), "it has nothing after the '@'");
    assert_string_equal(notice_email_why("@localhost", true), "it has nothing before the '@'");
    assert_string_equal(notice_email_why("a@b@localhost", true), "it has more than one '@'");
    const char *unsafe[] = { "buzon@localhost\r\nRCPT TO:<x@y>", "buzon @localhost", "<buzon@localhost>",
                             "buzon,x@localhost", "buzon@local host", "buzon@-localhost", "buzon@localhost.", NULL };
    for (int i = 0; unsafe[i]; i++)
        if (!notice_email_why(unsafe[i], true)) fail_msg("accepted '%s'", unsafe[i]);
}

static void test_backoff_doubles_up_to_an_hour(void **state)
{
    (void)state;
    assert_int_equal(notice_backoff_ms(60000, 1), 60000);
    assert_int_equal(notice_backoff_ms(60000, 2), 120000);
    assert_int_equal(notice_backoff_ms(60000, 4), 480000);
    assert_int_equal(notice_backoff_ms(60000, 60), NOTICE_BACKOFF_MAX_MS);
    assert_int_equal(notice_backoff_ms(100, 3), 400);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_staff_addresses),
        cmocka_unit_test(test_a_failure_cause_is_read_back),
        cmocka_unit_test(test_the_message_says_the_kind_of_case),
        cmocka_unit_test(test_why_an_address_is_refused),
        cmocka_unit_test(test_signature_matches_python_hmac),
        cmocka_unit_test(test_json_and_message),
        cmocka_unit_test(test_backoff_doubles_up_to_an_hour),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
