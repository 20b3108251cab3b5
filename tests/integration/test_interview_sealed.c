/*
 * test_interview_sealed.c: an interview kept offline on a tablet and sent
 * later (issue 17 item 5; service/interview.h), over real HTTP: the page
 * carries the server's key and a ticket; the sealed post, with no session,
 * is stored once with channel entrevista, dated when it was answered, the
 * interviewer in the audit log; what the server refuses (a seal altered or
 * made for another point, another account's ticket, a disabled account, a
 * new password, a ticket run out, answers the form refuses) says why in
 * JSON and stores nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "model/seal.h"
#include "staffsrv.h"
#include "testcheck.h"
#include "testsrv.h"

static testsrv_t srv;
static char clerk[128], desk[128];   /* captura, atencion */
static unsigned seq;

#define PAGE "/entrevista/quejas?p=mercado-municipal"

static int setup(void **state)
{
    (void)state;
    if (testsrv_start(&srv, NULL, NULL) != 0) return -1;
    return staffsrv_session(&srv, "entrevistadora", "captura", clerk, sizeof clerk) ||
           staffsrv_session(&srv, "ana", "atencion", desk, sizeof desk) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    return testsrv_stop(&srv) == 0 ? 0 : -1;
}

/* The value of attribute name="..." in body into out. */
static void attr(const char *body, const char *name, char *out, size_t n)
{
    char pat[64];
    snprintf(pat, sizeof pat, " %s=\"", name);
    const char *p = strstr(body, pat);
    if (!p) fail_msg("no %s on the page", name);
    p += strlen(pat);
    const char *e = strchr(p, '"');
    assert_true((size_t)(e - p) < n);
    memcpy(out, p, (size_t)(e - p));
    out[e - p] = '\0';
}

typedef struct page {
    char pub[128], ticket[SEAL_TICKET_MAX + 1], aad[256], uid[16];
} page_t;

/* What the interview page at PAGE gives cookie's account. */
static void open_page(const char *cookie, page_t *pg)
{
    http_resp_t r;
    assert_int_equal(http_get(srv.port, PAGE "&lang=es", cookie, &r), 0);
    assert_int_equal(r.status, 200);
    attr(r.body, "data-seal", pg->pub, sizeof pg->pub);
    attr(r.body, "data-ticket", pg->ticket, sizeof pg->ticket);
    attr(r.body, "data-iv-aad", pg->aad, sizeof pg->aad);
    const char *u = strstr(r.body, " data-uid=");
    assert_non_null(u);
    snprintf(pg->uid, sizeof pg->uid, "%lld", strtoll(u + 10, NULL, 10));
    test_has(r.body, "data-iv-kept=\"Entrevista guardada en esta tableta");
    test_has(r.body, "<script src=/s/entrevista.js defer>");
    http_resp_free(&r);
}

/* Seal fields for pg (as www/buzon.js does) and post them with ticket to
 * path, no session: the status; the reply in *r. */
static int send_sealed_first(const page_t *pg, const char *ticket, const char *first, const char *path,
                             const char *fields, http_resp_t *r);
static int send_sealed(const page_t *pg, const char *ticket, const char *path, const char *fields, http_resp_t *r)
{
    return send_sealed_first(pg, ticket, NULL, path, fields, r);
}

/* send_sealed, also naming the ticket of the page it was answered on. */
static int send_sealed_first(const page_t *pg, const char *ticket, const char *first, const char *path,
                             const char *fields, http_resp_t *r)
{
    buf_t aad, sealed, body;
    buf_init(&aad);
    buf_init(&sealed);
    buf_init(&body);
    seal_aad(&aad, strtoll(pg->uid, NULL, 10), pg->aad);
    assert_true(seal_close(pg->pub, aad.data, fields, strlen(fields), &sealed));
    buf_printf(&body, "_ticket=%s&_sealed=%s", ticket, sealed.data);
    if (first) buf_printf(&body, "&_first=%s", first);
    assert_int_equal(http_post(srv.port, path, body.data, r), 0);
    buf_free(&aad);
    buf_free(&sealed);
    buf_free(&body);
    return r->status;
}

static const char COMPLAINT[] = "comentario_tipo=queja&comentario=Los+puestos+no+tienen+agua"
                                "&quiere_respuesta=no&sexo=mujer";

static long long db_int(const char *sql)
{
    return test_db_int(srv.db, sql);
}

/* A ticket of account uid issued at issued, made with the server's own
 * keys (from its database), for times a test cannot wait for. */
static void ticket_at(const char *uid, time_t issued, char out[SEAL_TICKET_MAX + 1])
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(srv.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT s.secret, u.pwhash || '#' || u.ticket_gen FROM server_secret s, users u"
                                        " WHERE u.id = ?1",
                                        -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, strtoll(uid, NULL, 10));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_bytes(st, 0), SEAL_SECRET_BYTES);
    seal_keys_t *k = seal_keys_new(sqlite3_column_blob(st, 0));
    seal_ticket(k, strtoll(uid, NULL, 10), issued, (const char *)sqlite3_column_text(st, 1), out);
    seal_keys_free(k);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_kept_interview_stored_once_when_sent(void **state)
{
    (void)state;
    page_t pg;
    open_page(clerk, &pg);
    assert_string_equal(pg.aad, PAGE);
    char fields[512], sid[48], q[512];
    snprintf(sid, sizeof sid, "kept0000-0000-4000-8000-%012u", ++seq);
    time_t now = time(NULL);
    /* answered an hour ago, on a ticket from two hours ago */
    char ticket[SEAL_TICKET_MAX + 1];
    ticket_at(pg.uid, now - 7200, ticket);
    snprintf(fields, sizeof fields, "_sid=%s&_t=%lld&_at=%lld&%s", sid, (long long)now - 3700,
             (long long)now - 3600, COMPLAINT);
    http_resp_t r;
    assert_int_equal(send_sealed(&pg, ticket, PAGE, fields, &r), 200);
    test_has(r.body, "\"ok\":true");
    test_has(r.body, "\"code\":\"");   /* a complaint: its case's code */
    char *ct = http_header(&r, "Content-Type");
    assert_non_null(strstr(ct, "application/json"));
    free(ct);
    http_resp_free(&r);
    snprintf(q, sizeof q, "SELECT count(*) FROM responses WHERE submission_id = '%s' AND channel = 'entrevista'"
                          " AND point_id = 'mercado-municipal'", sid);
    assert_int_equal(db_int(q), 1);
    /* dated when it was answered (to the hour), not when it arrived */
    snprintf(q, sizeof q, "SELECT submitted_hour FROM responses WHERE submission_id = '%s'", sid);
    long long hour = db_int(q);
    long long at = (long long)now - 3600;
    assert_int_equal(hour, at - at % 3600);
    snprintf(q, sizeof q, "SELECT count(*) FROM audit WHERE actor = 'entrevistadora' AND object = 'respuesta:%s'"
                          " AND detail = 'entrevista'", sid);
    assert_int_equal(db_int(q), 1);
    /* sent again (the tablet never heard the answer): the same, stored once */
    assert_int_equal(send_sealed(&pg, ticket, PAGE, fields, &r), 200);
    test_has(r.body, "\"ok\":true");
    http_resp_free(&r);
    snprintf(q, sizeof q, "SELECT count(*) FROM responses WHERE submission_id = '%s'", sid);
    assert_int_equal(db_int(q), 1);
}

static void test_kept_complaint_gives_its_case_code(void **state)
{
    (void)state;
    page_t pg;
    open_page(clerk, &pg);
    char fields[512], sid[48];
    snprintf(sid, sizeof sid, "kept0000-0000-4000-8000-%012u", ++seq);
    snprintf(fields, sizeof fields,
             "_sid=%s&comentario_tipo=queja&comentario=No+hay+luz&quiere_respuesta=si&contacto_consent=si"
             "&contacto_nombre=Rosa&contacto_telefono=809-555-0142&sexo=mujer", sid);
    http_resp_t r;
    assert_int_equal(send_sealed(&pg, pg.ticket, PAGE, fields, &r), 200);
    const char *c = strstr(r.body, "\"code\":\"");
    assert_non_null(c);
    char q[256];
    snprintf(q, sizeof q, "SELECT count(*) FROM cases WHERE code = '%.9s'", c + 8);
    assert_int_equal(db_int(q), 1);
    /* the desk sees it came from an interview */
    char path[64];
    snprintf(path, sizeof path, "/casos/%.9s?lang=es", c + 8);
    http_resp_free(&r);
    assert_int_equal(http_get(srv.port, path, desk, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "Canal</dt><dd>Entrevista</dd>");
    http_resp_free(&r);
}

static void test_kept_interview_refusals_store_nothing(void **state)
{
    (void)state;
    page_t pg;
    open_page(clerk, &pg);
    char fields[512], sid[48], q[256];
    snprintf(sid, sizeof sid, "kept0000-0000-4000-8000-%012u", ++seq);
    snprintf(fields, sizeof fields, "_sid=%s&%s", sid, COMPLAINT);
    http_resp_t r;
    /* sealed for the market, posted to another point */
    assert_int_equal(send_sealed(&pg, pg.ticket, "/entrevista/quejas", fields, &r), 400);
    test_has(r.body, "\"ok\":false");
    http_resp_free(&r);
    /* another account's ticket on this interviewer's seal */
    page_t other;
    open_page(desk, &other);
    assert_int_equal(send_sealed(&pg, other.ticket, PAGE, fields, &r), 400);
    http_resp_free(&r);
    /* a forged ticket */
    char forged[SEAL_TICKET_MAX + 1];
    snprintf(forged, sizeof forged, "%s", pg.ticket);
    forged[strlen(forged) - 2] = forged[strlen(forged) - 2] == 'A' ? 'B' : 'A';
    assert_int_equal(send_sealed(&pg, forged, PAGE, fields, &r), 403);   /* renew: not a seal's fault */
    http_resp_free(&r);
    /* a ticket run out: kept until the interviewer opens a page again */
    char old[SEAL_TICKET_MAX + 1];
    ticket_at(pg.uid, time(NULL) - SEAL_TICKET_S - 60, old);
    assert_int_equal(send_sealed(&pg, old, PAGE, fields, &r), 403);
    test_has(r.body, "\"renew\":true");
    http_resp_free(&r);
    /* answers the form refuses: which questions, never their values */
    char bad[256];
    snprintf(bad, sizeof bad, "_sid=%s&comentario_tipo=queja&quiere_respuesta=no", sid);
    assert_int_equal(send_sealed(&pg, pg.ticket, PAGE, bad, &r), 422);
    test_has(r.body, "El servidor no aceptó una entrevista guardada");
    http_resp_free(&r);
    snprintf(q, sizeof q, "SELECT count(*) FROM responses WHERE submission_id = '%s'", sid);
    assert_int_equal(db_int(q), 0);
    /* a disabled account, then a new password: refused until renewed */
    assert_int_equal(testsrv_db_exec(&srv, "UPDATE users SET disabled = 1 WHERE name = 'entrevistadora'"), 0);
    assert_int_equal(send_sealed(&pg, pg.ticket, PAGE, fields, &r), 403);
    test_has(r.body, "\"renew\":true");
    http_resp_free(&r);
    assert_int_equal(testsrv_db_exec(&srv, "UPDATE users SET disabled = 0, pwhash = pwhash || 'x'"
                                           " WHERE name = 'entrevistadora'"), 0);
    assert_int_equal(send_sealed(&pg, pg.ticket, PAGE, fields, &r), 403);
    http_resp_free(&r);
    assert_int_equal(db_int(q), 0);
    /* a ticket made now (the interviewer back on a page) sends it */
    char fresh[SEAL_TICKET_MAX + 1];
    ticket_at(pg.uid, time(NULL), fresh);
    assert_int_equal(send_sealed(&pg, fresh, PAGE, fields, &r), 200);
    http_resp_free(&r);
    assert_int_equal(db_int(q), 1);
}

/* A citizen's survey and the staff's session posts are untouched: a post
 * with a session and no seal is the interview as before. */
static void test_sealed_fields_do_not_open_other_pages(void **state)
{
    (void)state;
    page_t pg;
    open_page(clerk, &pg);
    http_resp_t r;
    /* a citizen's page never carries the interviews' script (2G) */
    assert_int_equal(http_get(srv.port, "/e/quejas?p=mercado-municipal", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    test_lacks(r.body, "entrevista.js");
    http_resp_free(&r);
    assert_int_equal(http_get(srv.port, "/s/entrevista.js", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "buzonIv");
    http_resp_free(&r);
    /* a sealed post to the paper entry or a register is not taken */
    char body[512];
    snprintf(body, sizeof body, "_ticket=%s&_sealed=AAAA", pg.ticket);
    assert_int_equal(http_post(srv.port, "/entrada/quejas-2024.1-mercado-municipal-es", body, &r), 0);
    assert_int_equal(r.status, 303);   /* to the login */
    http_resp_free(&r);
    assert_int_equal(http_post(srv.port, "/registros/reg_reuniones", body, &r), 0);
    assert_int_equal(r.status, 303);
    http_resp_free(&r);
}

/* Sent with a fresh ticket (the interviewer back on a page) it is still
 * dated when it was answered, by the ticket of the page it was answered
 * on; a logout ends the tickets; a post without a submission id is
 * refused (a resend must be the same answer). */
static void test_renewed_ticket_keeps_the_date_logout_ends_tickets(void **state)
{
    (void)state;
    page_t pg;
    open_page(clerk, &pg);
    time_t now = time(NULL);
    char first[SEAL_TICKET_MAX + 1], fields[512], sid[48], q[256];
    ticket_at(pg.uid, now - 20 * 3600, first);
    snprintf(sid, sizeof sid, "kept0000-0000-4000-8000-%012u", ++seq);
    snprintf(fields, sizeof fields, "_sid=%s&_at=%lld&%s", sid, (long long)now - 19 * 3600, COMPLAINT);
    http_resp_t r;
    assert_int_equal(send_sealed_first(&pg, pg.ticket, first, PAGE, fields, &r), 200);
    http_resp_free(&r);
    snprintf(q, sizeof q, "SELECT submitted_hour FROM responses WHERE submission_id = '%s'", sid);
    long long at = (long long)now - 19 * 3600;
    assert_int_equal(db_int(q), at - at % 3600);
    /* another account's ticket as "first" says nothing: dated from the fresh one */
    page_t other;
    open_page(desk, &other);
    snprintf(sid, sizeof sid, "kept0000-0000-4000-8000-%012u", ++seq);
    snprintf(fields, sizeof fields, "_sid=%s&_at=%lld&%s", sid, (long long)now - 19 * 3600, COMPLAINT);
    assert_int_equal(send_sealed_first(&pg, pg.ticket, other.ticket, PAGE, fields, &r), 200);
    http_resp_free(&r);
    snprintf(q, sizeof q, "SELECT submitted_hour >= %lld FROM responses WHERE submission_id = '%s'",
             (long long)now - 3600, sid);
    assert_int_equal(db_int(q), 1);
    /* no submission id: refused, nothing stored */
    assert_int_equal(send_sealed(&pg, pg.ticket, PAGE, COMPLAINT, &r), 400);
    http_resp_free(&r);
    /* a logout ends the tickets the account had */
    char cookie[128], csrf[64], body[128];
    assert_int_equal(staffsrv_session(&srv, "salida", "captura", cookie, sizeof cookie), 0);
    page_t mine;
    open_page(cookie, &mine);
    assert_int_equal(http_get(srv.port, "/panel", cookie, &r), 0);
    assert_int_equal(staff_csrf(&r, csrf, sizeof csrf), 0);
    http_resp_free(&r);
    snprintf(body, sizeof body, "_csrf=%s", csrf);
    assert_int_equal(http_post_with(srv.port, "/logout", cookie, body, &r), 0);
    assert_int_equal(r.status, 303);
    http_resp_free(&r);
    snprintf(sid, sizeof sid, "kept0000-0000-4000-8000-%012u", ++seq);
    snprintf(fields, sizeof fields, "_sid=%s&%s", sid, COMPLAINT);
    assert_int_equal(send_sealed(&mine, mine.ticket, PAGE, fields, &r), 403);
    test_has(r.body, "\"renew\":true");
    http_resp_free(&r);
    snprintf(q, sizeof q, "SELECT count(*) FROM responses WHERE submission_id = '%s'", sid);
    assert_int_equal(db_int(q), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kept_interview_stored_once_when_sent),
        cmocka_unit_test(test_kept_complaint_gives_its_case_code),
        cmocka_unit_test(test_kept_interview_refusals_store_nothing),
        cmocka_unit_test(test_sealed_fields_do_not_open_other_pages),
        cmocka_unit_test(test_renewed_ticket_keeps_the_date_logout_ends_tickets),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
