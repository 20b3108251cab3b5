/*
 * test_entry_http.c: answers entered by staff over real HTTP (issue 17
 * items 4 and 5): a paper questionnaire typed in from its short code
 * (/entrada), stored with channel papel and the date on the paper, the
 * clerk in the audit log and nowhere in the response; unknown and older
 * codes; the captura role's limits; a paper complaint's case code shown to
 * write back; an assisted interview (/entrevista) stored with channel
 * entrevista, which the interviewer cannot read back.
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
#include "model/cases.h"
#include "staffsrv.h"
#include "testcheck.h"
#include "testsrv.h"

static testsrv_t srv;
static char clerk[128], desk[128], reader[128], boss[128];   /* captura, atencion, lectura, admin */
static unsigned seq;

#define CODE_ES "quejas-2024.1-mercado-municipal-es"

static int setup(void **state)
{
    (void)state;
    if (testsrv_start(&srv, NULL, NULL) != 0) return -1;
    /* The sheets below were printed in 2024: the form versions were
     * first seen on 2024-01-01, 08:00 in Bánica (a fresh database sees
     * them today). */
    if (testsrv_db_exec(&srv, "UPDATE form_versions SET created_at = 1704110400") != 0) return -1;
    return staffsrv_session(&srv, "capturista7", "captura", clerk, sizeof clerk) ||
           staffsrv_session(&srv, "ana", "atencion", desk, sizeof desk) ||
           staffsrv_session(&srv, "luis", "lectura", reader, sizeof reader) ||
           staffsrv_session(&srv, "jefa", "admin", boss, sizeof boss) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    return testsrv_stop(&srv) == 0 ? 0 : -1;
}

static int get(const char *path, const char *cookie, http_resp_t *r)
{
    assert_int_equal(http_get(srv.port, path, cookie, r), 0);
    return r->status;
}

/* POST fields (without _csrf and _sid) to path as cookie's member of
 * staff, with the CSRF token of the page at path and a fresh submission
 * id (into sid_out when not NULL). */
static int post(const char *path, const char *cookie, const char *fields, char *sid_out, http_resp_t *r)
{
    char sid[48];
    snprintf(sid, sizeof sid, "entr0000-0000-4000-8000-%012u", ++seq);
    if (sid_out) strcpy(sid_out, sid);
    buf_t body;
    buf_init(&body);
    buf_printf(&body, "_sid=%s&%s", sid, fields);
    int st = staffsrv_post_form(srv.port, path, cookie, body.data, r);
    buf_free(&body);
    assert_true(st > 0);
    return st;
}

static long long db_int(const char *sql)
{
    return test_db_int(srv.db, sql);
}

/* A complaint as written on paper at the market (the point's service is
 * pre-set by the sheet's code). */
static const char PAPER_COMPLAINT[] = "comentario_tipo=queja"
                                      "&comentario=El+techo+del+mercado+gotea+sobre+los+puestos"
                                      "&quiere_respuesta=si&contacto_consent=si&contacto_nombre=Marta+Lebr%C3%B3n"
                                      "&contacto_telefono=809-555-0199&sexo=mujer";

static void test_paper_answer_stored_with_channel_and_date(void **state)
{
    (void)state;
    http_resp_t r;
    /* The code typed (capitals and spaces allowed) leads to its form. */
    assert_int_equal(get("/entrada?codigo=+QUEJAS-2024.1-Mercado-Municipal-ES+&lang=es", clerk, &r), 303);
    char *loc = http_header(&r, "Location");
    assert_non_null(loc);
    assert_non_null(strstr(loc, "/entrada/" CODE_ES));
    free(loc);
    http_resp_free(&r);

    /* The form: the paper's date first and focused, the point pre-set. */
    assert_int_equal(get("/entrada/" CODE_ES "?lang=es", clerk, &r), 200);
    test_has(r.body, "Fecha escrita en el papel");
    test_has(r.body, "name=_fecha required autofocus");
    test_has(r.body, "name=servicio value=mercado checked>");   /* shown, changeable */
    test_has(r.body, "data-staff");
    test_has(r.body, CODE_ES);
    char *cc = http_header(&r, "Cache-Control");
    assert_string_equal(cc, "no-store");
    free(cc);
    http_resp_free(&r);

    char sid[48], fields[1024], q[512];
    snprintf(fields, sizeof fields, "_fecha=2024-03-15&%s", PAPER_COMPLAINT);
    assert_int_equal(post("/entrada/" CODE_ES "?lang=es", clerk, fields, sid, &r), 303);
    loc = http_header(&r, "Location");
    const char *c = strstr(loc, "&c=");
    assert_non_null(c);
    char code[CASE_CODE_LEN + 1];
    snprintf(code, sizeof code, "%s", c + 3);
    assert_int_equal(strlen(code), CASE_CODE_LEN);
    http_resp_free(&r);

    /* The next sheet's fresh form says what to write on this one. */
    assert_int_equal(get(loc, clerk, &r), 200);
    free(loc);
    test_has(r.body, "Escriba este código en el papel:");
    test_has(r.body, code);
    test_lacks(r.body, "gotea");
    http_resp_free(&r);

    /* Stored: channel papel, dated by the paper (local midnight, UTC-4),
     * at the sheet's point; a case opened. */
    snprintf(q, sizeof q, "SELECT count(*) FROM responses WHERE submission_id = '%s' AND channel = 'papel'"
                          " AND point_id = 'mercado-municipal' AND lang = 'es'"
                          " AND submitted_hour = %lld", sid, (long long)(1710460800 + 4 * 3600));
    assert_int_equal(db_int(q), 1);
    snprintf(q, sizeof q, "SELECT count(*) FROM cases WHERE code = '%s'", code);
    assert_int_equal(db_int(q), 1);
    /* The clerk is in the audit log, and nowhere in the response. */
    snprintf(q, sizeof q, "SELECT count(*) FROM audit WHERE actor = 'capturista7' AND action = 'respuesta_ingresada'"
                          " AND object = 'respuesta:%s' AND detail = 'papel'", sid);
    assert_int_equal(db_int(q), 1);
    snprintf(q, sizeof q, "SELECT count(*) FROM responses r LEFT JOIN answers a ON a.response_id = r.id"
                          " WHERE r.submission_id = '%s' AND (instr(coalesce(a.value, ''), 'capturista7')"
                          " OR instr(r.submission_id || r.form_id || coalesce(r.point_id, '') || r.lang"
                          " || r.channel, 'capturista7'))", sid);
    assert_int_equal(db_int(q), 0);

    /* The same sheet sent twice (a double click) is stored once. */
    char csrf[64];
    assert_int_equal(get("/entrada/" CODE_ES, clerk, &r), 200);
    assert_int_equal(staff_csrf(&r, csrf, sizeof csrf), 0);
    http_resp_free(&r);
    buf_t body;
    buf_init(&body);
    buf_printf(&body, "_csrf=%s&_sid=%s&%s", csrf, sid, fields);
    assert_int_equal(http_post_with(srv.port, "/entrada/" CODE_ES, clerk, body.data, &r), 0);
    assert_int_equal(r.status, 303);
    buf_free(&body);
    http_resp_free(&r);
    snprintf(q, sizeof q, "SELECT count(*) FROM responses WHERE submission_id = '%s'", sid);
    assert_int_equal(db_int(q), 1);
}

static void test_paper_date_and_answers_validated(void **state)
{
    (void)state;
    http_resp_t r;
    long long before = db_int("SELECT count(*) FROM responses");
    /* No date, a date in the future, not a date: refused, answers kept. */
    static const char *const bad[] = { "", "_fecha=2999-01-01&", "_fecha=15%2F03%2F2024&", "_fecha=1999-12-31&" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char fields[1024];
        snprintf(fields, sizeof fields, "%s%s", bad[i], PAPER_COMPLAINT);
        assert_int_equal(post("/entrada/" CODE_ES, clerk, fields, NULL, &r), 422);
        test_has(r.body, "Escriba la fecha del papel");
        test_has(r.body, "gotea");   /* the answers typed so far stay */
        http_resp_free(&r);
    }
    /* The citizen's rules, unchanged: a complaint without its text. */
    assert_int_equal(post("/entrada/" CODE_ES, clerk, "_fecha=2024-03-15&comentario_tipo=queja", NULL, &r), 422);
    test_has(r.body, "id=errores");
    http_resp_free(&r);
    /* Without the session's CSRF token: refused. */
    assert_int_equal(http_post_with(srv.port, "/entrada/" CODE_ES, clerk, "_fecha=2024-03-15&comentario_tipo=queja", &r), 0);
    assert_int_equal(r.status, 403);
    http_resp_free(&r);
    assert_int_equal(db_int("SELECT count(*) FROM responses"), before);
}

static void test_unknown_and_old_codes(void **state)
{
    (void)state;
    http_resp_t r;
    static const char *const unknown[] = {
        "/entrada?codigo=quejas", "/entrada?codigo=nada-2024.1-mercado-municipal-es",
        "/entrada?codigo=quejas-2024.1-mercado-lejano-es", "/entrada?codigo=quejas-2024.1-mercado-municipal-xx",
        "/entrada?codigo=quejas--mercado-municipal-es", "/entrada/quejas-2024.1-mercado-municipal",
    };
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        assert_int_equal(get(unknown[i], clerk, &r), 404);
        test_has(r.body, "No hay ningún formulario con ese código");
        test_has(r.body, "name=codigo");
        http_resp_free(&r);
    }
    /* A sheet of an older version is refused, naming both versions. */
    assert_int_equal(get("/entrada?codigo=quejas-2023.9-mercado-municipal-es", clerk, &r), 410);
    test_has(r.body, "versión anterior");
    test_has(r.body, "2023.9");
    test_has(r.body, "2024.1");
    http_resp_free(&r);
    assert_int_equal(post("/entrada/" CODE_ES, clerk, "_fecha=2024-03-15", NULL, &r), 422);
    http_resp_free(&r);
    /* In Kreyòl too. */
    assert_int_equal(get("/entrada?codigo=nada&lang=ht", clerk, &r), 404);
    test_has(r.body, "Pa gen okenn fòmilè ak kòd sa a");
    http_resp_free(&r);
    /* A sheet without a point. */
    assert_int_equal(get("/entrada?codigo=quejas-2024.1-todos-ht", clerk, &r), 303);
    http_resp_free(&r);
}

static void test_captura_role_limits(void **state)
{
    (void)state;
    http_resp_t r;
    static const char *const refused[] = {
        "/casos", "/api/v1/forms/quejas/responses.csv", "/api/v1/forms/quejas/responses.xlsx",
        "/indicadores", "/usuarios", "/auditoria", "/formularios",
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        if (get(refused[i], clerk, &r) != 403) fail_msg("%s as captura: %d", refused[i], r.status);
        http_resp_free(&r);
    }
    assert_int_equal(get("/entrada", clerk, &r), 200);
    http_resp_free(&r);
    assert_int_equal(get("/entrevista", clerk, &r), 200);
    http_resp_free(&r);
    /* The panel offers only what the role may open. */
    assert_int_equal(get("/panel?lang=es", clerk, &r), 200);
    test_has(r.body, "href=\"/entrada?lang=es\"");
    test_lacks(r.body, "href=\"/casos?lang=es\"");
    test_lacks(r.body, "href=\"/indicadores?lang=es\"");
    http_resp_free(&r);
    /* Reading roles may not enter answers. */
    assert_int_equal(get("/entrada", reader, &r), 403);
    http_resp_free(&r);
    assert_int_equal(get("/entrevista/quejas", reader, &r), 403);
    http_resp_free(&r);
    /* Without a session: to the login. */
    assert_int_equal(get("/entrada", NULL, &r), 303);
    http_resp_free(&r);
    /* The role is listed on /usuarios. */
    assert_int_equal(get("/usuarios?lang=es", boss, &r), 200);
    test_has(r.body, "Captura de datos");
    http_resp_free(&r);
}

static void test_interview_stored_and_not_readable_back(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(get("/entrevista?lang=es", clerk, &r), 200);
    test_has(r.body, "action=\"/entrevista/quejas\"");
    test_has(r.body, "<option value=mercado-municipal>");
    http_resp_free(&r);
    char sid[48], q[512];
    assert_int_equal(post("/entrevista/quejas?p=mercado-municipal&lang=es", clerk, PAPER_COMPLAINT, sid, &r), 303);
    char *loc = http_header(&r, "Location");
    assert_non_null(strstr(loc, "/entrevista/quejas?p=mercado-municipal&hecho=1&c="));
    char code[CASE_CODE_LEN + 1];
    snprintf(code, sizeof code, "%s", strstr(loc, "&c=") + 3);
    http_resp_free(&r);
    /* A fresh form: the code for the person, none of the answers. */
    assert_int_equal(get(loc, clerk, &r), 200);
    free(loc);
    test_has(r.body, "Dé este código a la persona:");
    test_has(r.body, code);
    test_lacks(r.body, "gotea");
    test_lacks(r.body, "Lebr");
    test_lacks(r.body, "809-555-0199");
    http_resp_free(&r);
    snprintf(q, sizeof q, "SELECT count(*) FROM responses WHERE submission_id = '%s' AND channel = 'entrevista'"
                          " AND point_id = 'mercado-municipal'", sid);
    assert_int_equal(db_int(q), 1);
    snprintf(q, sizeof q, "SELECT count(*) FROM audit WHERE actor = 'capturista7' AND object = 'respuesta:%s'"
                          " AND detail = 'entrevista'", sid);
    assert_int_equal(db_int(q), 1);
    /* The interviewer cannot read it back: not the case, not the raw answers. */
    char path[64];
    snprintf(path, sizeof path, "/casos/%s", code);
    assert_int_equal(get(path, clerk, &r), 403);
    http_resp_free(&r);
    assert_int_equal(get("/api/v1/forms/quejas/responses.csv", clerk, &r), 403);
    http_resp_free(&r);
    /* An unknown form or point. */
    assert_int_equal(get("/entrevista/nada", clerk, &r), 404);
    http_resp_free(&r);
    assert_int_equal(get("/entrevista/quejas?p=lejos", clerk, &r), 404);
    http_resp_free(&r);
}

/* Double entry of a batch: a sheet is held (no response, counted
 * nowhere) until another clerk enters it; the same entry is stored once. */
static void test_double_entry_equal_is_stored_once(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(get("/entrada?codigo=" CODE_ES "&lote=mercado-marzo", clerk, &r), 303);
    char *loc = http_header(&r, "Location");
    assert_non_null(strstr(loc, "&lote=mercado-marzo"));
    http_resp_free(&r);
    assert_int_equal(get(loc, clerk, &r), 200);
    free(loc);
    test_has(r.body, "name=_hoja required");
    test_has(r.body, "name=_lote value=mercado-marzo");
    http_resp_free(&r);

    long long responses = db_int("SELECT count(*) FROM responses");
    char fields[1024], q[256];
    snprintf(fields, sizeof fields, "_lote=mercado-marzo&_hoja=1&_fecha=2024-03-16&%s", PAPER_COMPLAINT);
    assert_int_equal(post("/entrada/" CODE_ES, clerk, fields, NULL, &r), 303);
    loc = http_header(&r, "Location");
    assert_non_null(strstr(loc, "retenida=1"));
    assert_non_null(strstr(loc, "&hoja=2"));
    http_resp_free(&r);
    assert_int_equal(get(loc, clerk, &r), 200);
    free(loc);
    test_has(r.body, "Hoja retenida para la segunda entrada");
    test_has(r.body, "name=_hoja required min=1 max=99999 inputmode=numeric value=2");
    http_resp_free(&r);
    assert_int_equal(db_int("SELECT count(*) FROM responses"), responses);
    assert_int_equal(db_int("SELECT count(*) FROM held_entries WHERE batch = 'mercado-marzo' AND sheet = 1"), 1);
    assert_int_equal(db_int("SELECT count(*) FROM cases WHERE response_id NOT IN (SELECT id FROM responses)"), 0);

    /* The same clerk cannot be the second look. */
    assert_int_equal(post("/entrada/" CODE_ES, clerk, fields, NULL, &r), 409);
    test_has(r.body, "La segunda entrada la debe hacer otra persona");
    http_resp_free(&r);
    assert_int_equal(db_int("SELECT count(*) FROM responses"), responses);

    /* Another clerk, the same sheet the same: one response, its case. */
    assert_int_equal(post("/entrada/" CODE_ES, desk, fields, NULL, &r), 303);
    loc = http_header(&r, "Location");
    assert_non_null(strstr(loc, "hecho=1&c="));
    char code[CASE_CODE_LEN + 1];
    snprintf(code, sizeof code, "%s", strstr(loc, "&c=") + 3);
    free(loc);
    http_resp_free(&r);
    assert_int_equal(db_int("SELECT count(*) FROM responses"), responses + 1);
    assert_int_equal(db_int("SELECT count(*) FROM held_entries WHERE stored = 0 OR answers <> ''"), 0);
    snprintf(q, sizeof q, "SELECT count(*) FROM responses WHERE channel = 'papel' AND submitted_hour = %lld",
             (long long)(1710547200 + 4 * 3600));
    assert_int_equal(db_int(q), 1);
    assert_int_equal(db_int("SELECT count(*) FROM audit WHERE action = 'doble_entrada' AND actor = 'ana'"
                            " AND detail = 'capturista7, ana'"), 1);
    /* The sheet entered again: the duplicate it is, the same case code. */
    assert_int_equal(post("/entrada/" CODE_ES, clerk, fields, NULL, &r), 303);
    loc = http_header(&r, "Location");
    assert_non_null(strstr(loc, "hecho=1&c="));
    assert_non_null(strstr(loc, code));
    free(loc);
    http_resp_free(&r);
    assert_int_equal(db_int("SELECT count(*) FROM responses"), responses + 1);
    assert_int_equal(db_int("SELECT count(*) FROM held_entries WHERE stored = 0"), 0);
}

/* Post the two entries of sheet of batch: entry 1 by clerk, entry 2 by
 * desk (extra1, extra2: the answers), the second answered 409. */
static void two_entries(const char *batch, int sheet, const char *e1, const char *e2, http_resp_t *r)
{
    char f[1024];
    snprintf(f, sizeof f, "_lote=%s&_hoja=%d&%s", batch, sheet, e1);
    assert_int_equal(post("/entrada/" CODE_ES, clerk, f, NULL, r), 303);
    http_resp_free(r);
    snprintf(f, sizeof f, "_lote=%s&_hoja=%d&%s", batch, sheet, e2);
    assert_int_equal(post("/entrada/" CODE_ES, desk, f, NULL, r), 409);
}

#define ABRIL_1 "_fecha=2024-04-02&comentario_tipo=sugerencia&comentario=Pintar+los+puestos&quiere_respuesta=no"
#define ABRIL_2 "_fecha=2024-04-03&comentario_tipo=sugerencia&comentario=Pintar+los+puertos&quiere_respuesta=no"

/* Different entries: nothing stored; a supervisor sees the differences
 * side by side and resolves them, from the held rows only (issue 17). */
static void test_double_entry_different_then_resolved(void **state)
{
    (void)state;
    http_resp_t r;
    long long responses = db_int("SELECT count(*) FROM responses");
    two_entries("mercado-abril", 7, ABRIL_1, ABRIL_2, &r);
    test_has(r.body, "no coinciden");
    http_resp_free(&r);
    assert_int_equal(db_int("SELECT count(*) FROM responses"), responses);
    assert_int_equal(db_int("SELECT count(*) FROM held_entries WHERE batch = 'mercado-abril'"), 2);

    /* The supervisor's page: both values, only what differs. */
    assert_int_equal(get("/entrada/" CODE_ES "?lote=mercado-abril&hoja=7&revisar=1&lang=es", boss, &r), 200);
    test_has(r.body, "Las dos entradas no coinciden");
    test_has(r.body, "Pintar los puestos");
    test_has(r.body, "Pintar los puertos");
    test_has(r.body, "02/04/2024");
    test_has(r.body, "03/04/2024");
    test_has(r.body, "name=\"_v_comentario\" value=2");
    test_lacks(r.body, "name=\"_v_comentario_tipo\"");   /* only what differs */
    test_has(r.body, "name=_descartar");                 /* an admin may discard it */
    http_resp_free(&r);

    /* Resolved by a supervisor: the first entry's comment, the second
     * entry's date; an answer slipped into the post is not taken. */
    assert_int_equal(post("/entrada/" CODE_ES, boss,
                          "_lote=mercado-abril&_hoja=7&_resolver=1&_v_comentario=1&_v__fecha=2"
                          "&comentario=Inventado&quiere_respuesta=si", NULL, &r), 303);
    http_resp_free(&r);
    assert_int_equal(db_int("SELECT count(*) FROM responses"), responses + 1);
    assert_int_equal(db_int("SELECT count(*) FROM held_entries WHERE stored = 0"), 0);
    assert_int_equal(db_int("SELECT count(*) FROM answers a JOIN responses r ON r.id = a.response_id"
                            " WHERE a.question = 'comentario' AND a.value = 'Pintar los puestos'"
                            " AND r.submitted_hour = 1712102400 + 14400"), 1);
    assert_int_equal(db_int("SELECT count(*) FROM answers WHERE value = 'Inventado'"), 0);
    /* The audit says who decided, not that both clerks agreed. */
    assert_int_equal(db_int("SELECT count(*) FROM audit WHERE action = 'doble_entrada_resuelta' AND actor = 'jefa'"
                            " AND detail = 'capturista7, ana; jefa'"), 1);
    assert_int_equal(db_int("SELECT count(*) FROM audit WHERE action = 'doble_entrada' AND actor = 'jefa'"), 0);
}

/* issue 17 item 2: after a mismatch one clerk alone stores nothing: not
 * the first clerk's _final post, not their resolution, not a resolution
 * by a clerk who is no supervisor. */
static void test_double_entry_one_clerk_alone_stores_nothing(void **state)
{
    (void)state;
    http_resp_t r;
    long long responses = db_int("SELECT count(*) FROM responses");
    two_entries("mercado-mayo", 3, ABRIL_1, ABRIL_2, &r);
    http_resp_free(&r);
    /* The old way round: the corrected form "as final", anything typed. */
    assert_int_equal(post("/entrada/" CODE_ES, clerk,
                          "_lote=mercado-mayo&_hoja=3&_final=1&_fecha=2024-04-02&comentario_tipo=queja"
                          "&comentario=Nadie+escribi%C3%B3+esto&quiere_respuesta=no", NULL, &r), 409);
    http_resp_free(&r);
    assert_int_equal(post("/entrada/" CODE_ES, clerk, "_lote=mercado-mayo&_hoja=3&_resolver=1&_v_comentario=1",
                          NULL, &r), 403);
    http_resp_free(&r);
    assert_int_equal(get("/entrada/" CODE_ES "?lote=mercado-mayo&hoja=3&revisar=1", clerk, &r), 403);
    http_resp_free(&r);
    /* Even a supervisor resolves nothing it typed as entry 1. */
    assert_int_equal(post("/entrada/" CODE_ES, desk, "_lote=mercado-mayo-b&_hoja=3&" ABRIL_1, NULL, &r), 303);
    http_resp_free(&r);
    assert_int_equal(post("/entrada/" CODE_ES, clerk, "_lote=mercado-mayo-b&_hoja=3&" ABRIL_2, NULL, &r), 409);
    http_resp_free(&r);
    assert_int_equal(post("/entrada/" CODE_ES, desk, "_lote=mercado-mayo-b&_hoja=3&_resolver=1&_v_comentario=1",
                          NULL, &r), 403);
    http_resp_free(&r);
    assert_int_equal(get("/entrada/" CODE_ES "?lote=mercado-mayo-b&hoja=3&revisar=1", desk, &r), 403);
    http_resp_free(&r);
    assert_int_equal(db_int("SELECT count(*) FROM responses"), responses);
    assert_int_equal(db_int("SELECT count(*) FROM answers WHERE value = 'Nadie escribió esto'"), 0);
    assert_int_equal(db_int("SELECT count(*) FROM held_entries WHERE batch = 'mercado-mayo' AND stored = 0"), 2);
}

/* issue 17 item 3: blind adjudication. The second clerk learns which
 * questions differ, never entry 1's values, and types them again; a
 * third value equal to an entry's settles it; else a supervisor does. */
static void test_double_entry_blind_recheck(void **state)
{
    (void)state;
    http_resp_t r;
    long long responses = db_int("SELECT count(*) FROM responses");
    char e1[1024], e2[1024];
    snprintf(e1, sizeof e1, "_fecha=2024-03-16&%s", PAPER_COMPLAINT);
    /* A minimal different entry 2, to fish for entry 1's contact. */
    snprintf(e2, sizeof e2, "_fecha=2024-03-16&comentario_tipo=queja&comentario=x&quiere_respuesta=no");
    two_entries("ciego", 1, e1, e2, &r);
    test_has(r.body, "Mire el papel otra vez");
    test_has(r.body, "name=_tercera value=1");
    test_lacks(r.body, "Lebr");
    test_lacks(r.body, "809-555-0199");
    test_lacks(r.body, "gotea");
    http_resp_free(&r);
    /* The third look types the paper's values: stored as entry 1's. */
    long long martas = db_int("SELECT count(*) FROM answers WHERE question = 'contacto_nombre' AND value = 'Marta Lebrón'");
    char f[1200];
    snprintf(f, sizeof f, "_lote=ciego&_hoja=1&_tercera=1&%s", e1);
    assert_int_equal(post("/entrada/" CODE_ES, desk, f, NULL, &r), 303);
    http_resp_free(&r);
    assert_int_equal(db_int("SELECT count(*) FROM responses"), responses + 1);
    assert_int_equal(db_int("SELECT count(*) FROM answers WHERE question = 'contacto_nombre' AND value = 'Marta Lebrón'"),
                     martas + 1);
    assert_int_equal(db_int("SELECT count(*) FROM audit WHERE action = 'doble_entrada_tercera' AND actor = 'ana'"
                            " AND detail = 'capturista7, ana; tercera entrada de ana'"), 1);

    /* A third value that is neither: held for a supervisor, no values. */
    two_entries("ciego", 2, e1, e2, &r);
    http_resp_free(&r);
    snprintf(f, sizeof f, "_lote=ciego&_hoja=2&_tercera=1&_fecha=2024-03-16&comentario_tipo=queja"
                          "&comentario=otra+cosa&quiere_respuesta=no");
    assert_int_equal(post("/entrada/" CODE_ES, desk, f, NULL, &r), 409);
    test_has(r.body, "una persona de atención o de administración la revisará");
    test_lacks(r.body, "Lebr");
    http_resp_free(&r);
    assert_int_equal(db_int("SELECT count(*) FROM responses"), responses + 1);
    /* A captura account never sees the two entries; an admin does, and
     * may discard the sheet. */
    assert_int_equal(get("/entrada/" CODE_ES "?lote=ciego&hoja=2&revisar=1", clerk, &r), 403);
    http_resp_free(&r);
    /* The supervisor finds it listed on /entrada; a clerk does not. */
    assert_int_equal(get("/entrada?lang=es", boss, &r), 200);
    test_has(r.body, "Hojas retenidas que esperan su revisión");
    test_has(r.body, "href=\"/entrada/" CODE_ES "?lote=ciego&amp;hoja=2&amp;revisar=1&amp;lang=es\"");
    http_resp_free(&r);
    assert_int_equal(get("/entrada?lang=es", clerk, &r), 200);
    test_lacks(r.body, "Hojas retenidas");
    http_resp_free(&r);
    assert_int_equal(get("/entrada/" CODE_ES "?lote=ciego&hoja=2&revisar=1&lang=es", boss, &r), 200);
    test_has(r.body, "Marta Lebr");
    test_has(r.body, "href=\"/entrada/" CODE_ES "?lote=ciego&amp;hoja=2&amp;revisar=1&amp;lang=ht\"");
    http_resp_free(&r);
    assert_int_equal(post("/entrada/" CODE_ES, clerk, "_lote=ciego&_hoja=2&_descartar=1", NULL, &r), 403);
    http_resp_free(&r);
    assert_int_equal(post("/entrada/" CODE_ES "?lang=es", boss, "_lote=ciego&_hoja=2&_descartar=1", NULL, &r), 200);
    test_has(r.body, "Hoja descartada");
    http_resp_free(&r);
    assert_int_equal(db_int("SELECT count(*) FROM held_entries WHERE batch = 'ciego' AND sheet = 2"), 0);
    assert_int_equal(db_int("SELECT count(*) FROM audit WHERE action = 'hoja_descartada' AND actor = 'jefa'"), 1);
}

/* issue 17 item 1: a staff-only register is not reachable from the
 * interview or paper pages. */
static void test_registers_not_entered_here(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(get("/entrevista?lang=es", clerk, &r), 200);
    test_lacks(r.body, "reg_benchmarking");
    test_has(r.body, "/entrevista/quejas");
    http_resp_free(&r);
    assert_int_equal(get("/entrevista/reg_benchmarking", clerk, &r), 404);
    http_resp_free(&r);
    assert_int_equal(get("/entrevista/reg_benchmarking", desk, &r), 404);
    http_resp_free(&r);
    long long before = db_int("SELECT count(*) FROM responses WHERE form_id = 'reg_benchmarking'");
    assert_int_equal(get("/entrada?codigo=reg_benchmarking-2025.1-todos-es", clerk, &r), 404);
    test_has(r.body, "No hay ningún formulario con ese código");
    http_resp_free(&r);
    assert_int_equal(get("/entrada/reg_benchmarking-2025.1-todos-es", clerk, &r), 404);
    http_resp_free(&r);
    assert_int_equal(db_int("SELECT count(*) FROM responses WHERE form_id = 'reg_benchmarking'"), before);
}

/* issue 17 item 5: a paper complaint's case clock starts at entry; the
 * paper's date dates the response only; a date before the form version
 * existed is refused. */
static void test_paper_date_does_not_backdate_case(void **state)
{
    (void)state;
    http_resp_t r;
    char fields[1024], q[512], sid[48];
    long long t0 = (long long)time(NULL);
    snprintf(fields, sizeof fields, "_fecha=2024-01-05&%s", PAPER_COMPLAINT);
    assert_int_equal(post("/entrada/" CODE_ES, clerk, fields, sid, &r), 303);
    http_resp_free(&r);
    snprintf(q, sizeof q, "SELECT count(*) FROM responses r JOIN cases c ON c.response_id = r.id"
                          " WHERE r.submission_id = '%s' AND r.submitted_hour = %lld AND c.created_at >= %lld",
             sid, 1704412800LL + 4 * 3600, t0 - t0 % 3600);
    assert_int_equal(db_int(q), 1);
    /* Before the version was first seen (2024-01-01): refused, kept. */
    snprintf(fields, sizeof fields, "_fecha=2023-12-31&%s", PAPER_COMPLAINT);
    assert_int_equal(post("/entrada/" CODE_ES "?lang=es", clerk, fields, sid, &r), 422);
    test_has(r.body, "anterior a esta versión del formulario");
    test_has(r.body, "gotea");
    http_resp_free(&r);
    snprintf(q, sizeof q, "SELECT count(*) FROM responses WHERE submission_id = '%s'", sid);
    assert_int_equal(db_int(q), 0);
}

/* issue 17 item 6: spaces typed where the sheet printed '-'. */
static void test_code_with_inner_spaces(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(get("/entrada?codigo=quejas+2024.1+mercado-municipal-es", clerk, &r), 303);
    char *loc = http_header(&r, "Location");
    assert_non_null(strstr(loc, "/entrada/" CODE_ES));
    free(loc);
    http_resp_free(&r);
    assert_int_equal(get("/entrada?codigo=quejas+-+2024.1+-+mercado+municipal+-+es", clerk, &r), 303);
    http_resp_free(&r);
}

/* Store the double-entry sheet fields (batch and sheet in them) as the
 * clerk enters it and the desk enters it the same: the code of the case
 * it opened into code. */
static void store_twice(const char *fields, char code[CASE_CODE_LEN + 1])
{
    http_resp_t r;
    assert_int_equal(post("/entrada/" CODE_ES, clerk, fields, NULL, &r), 303);
    http_resp_free(&r);
    assert_int_equal(post("/entrada/" CODE_ES, desk, fields, NULL, &r), 303);
    char *loc = http_header(&r, "Location");
    snprintf(code, CASE_CODE_LEN + 1, "%s", strstr(loc, "&c=") + 3);
    free(loc);
    http_resp_free(&r);
}

/* issue 17 follow-up: a stored sheet entered again with OTHER answers (a
 * mistyped sheet number) is a conflict: nothing stored, never "guardada"
 * nor the stored sheet's code; the same answers are still the duplicate. */
static void test_stored_sheet_other_answers_is_a_conflict(void **state)
{
    (void)state;
    http_resp_t r;
    char f[1024], code[CASE_CODE_LEN + 1];
    snprintf(f, sizeof f, "_lote=lote-a&_hoja=1&_fecha=2024-03-16&%s", PAPER_COMPLAINT);
    store_twice(f, code);
    long long responses = db_int("SELECT count(*) FROM responses");
    char *loc;

    const char other[] = "_lote=lote-a&_hoja=1&_fecha=2024-03-16&comentario_tipo=sugerencia"
                         "&comentario=Otra+cosa+distinta&quiere_respuesta=no";
    assert_int_equal(post("/entrada/" CODE_ES "?lang=es", boss, other, NULL, &r), 409);
    test_has(r.body, "La hoja 1 del lote «lote-a» ya está guardada con otras respuestas: revise el número de la hoja.");
    test_lacks(r.body, "Respuesta guardada");
    test_lacks(r.body, code);
    test_has(r.body, "Otra cosa distinta");   /* kept, to send with the right number */
    http_resp_free(&r);
    assert_int_equal(db_int("SELECT count(*) FROM responses"), responses);
    assert_int_equal(db_int("SELECT count(*) FROM held_entries WHERE batch = 'lote-a'"), 1);

    /* The same answers: the duplicate, with the same code. */
    assert_int_equal(post("/entrada/" CODE_ES, boss, f, NULL, &r), 303);
    loc = http_header(&r, "Location");
    assert_non_null(strstr(loc, "hecho=1&c="));
    assert_non_null(strstr(loc, code));
    free(loc);
    http_resp_free(&r);
    assert_int_equal(db_int("SELECT count(*) FROM responses"), responses);
}

/* session 23: a stored sheet entered again with the same answers but
 * another paper date is a conflict too (it was taken for the duplicate
 * and the date typed dropped unseen); the same date is still the
 * duplicate. */
static void test_stored_sheet_other_date_is_a_conflict(void **state)
{
    (void)state;
    http_resp_t r;
    char f[1024], code[CASE_CODE_LEN + 1];
    snprintf(f, sizeof f, "_lote=lote-fecha&_hoja=2&_fecha=2024-03-16&%s", PAPER_COMPLAINT);
    store_twice(f, code);
    long long responses = db_int("SELECT count(*) FROM responses");

    snprintf(f, sizeof f, "_lote=lote-fecha&_hoja=2&_fecha=2024-03-17&%s", PAPER_COMPLAINT);
    assert_int_equal(post("/entrada/" CODE_ES "?lang=es", boss, f, NULL, &r), 409);
    test_has(r.body, "La hoja 2 del lote «lote-fecha» ya está guardada con otras respuestas");
    test_lacks(r.body, code);
    http_resp_free(&r);
    assert_int_equal(db_int("SELECT count(*) FROM responses"), responses);

    snprintf(f, sizeof f, "_lote=lote-fecha&_hoja=2&_fecha=2024-03-16&%s", PAPER_COMPLAINT);
    assert_int_equal(post("/entrada/" CODE_ES, boss, f, NULL, &r), 303);
    char *loc = http_header(&r, "Location");
    assert_non_null(strstr(loc, code));
    free(loc);
    http_resp_free(&r);
    assert_int_equal(db_int("SELECT count(*) FROM responses"), responses);
}

/* session 23: a supervisor's choice that breaks the form's rules (the
 * consent of entry 2, the phone it then requires from entry 1, which
 * had none) is refused with the reason, and nothing is stored; a sound
 * choice then stores the sheet. */
static void test_resolution_breaking_rules_refused(void **state)
{
    (void)state;
    http_resp_t r;
    long long responses = db_int("SELECT count(*) FROM responses");
    two_entries("reglas", 1,
                "_fecha=2024-04-02&comentario_tipo=queja&comentario=Basura+en+la+calle&quiere_respuesta=si"
                "&contacto_consent=no",
                "_fecha=2024-04-02&comentario_tipo=queja&comentario=Basura+en+la+calle&quiere_respuesta=si"
                "&contacto_consent=si&contacto_telefono=809-555-0101", &r);
    http_resp_free(&r);
    assert_int_equal(post("/entrada/" CODE_ES "?lang=es", boss,
                          "_lote=reglas&_hoja=1&_resolver=1&_v_contacto_consent=2&_v_contacto_telefono=1",
                          NULL, &r), 422);
    test_has(r.body, "Esos valores no cumplen las reglas del formulario.");
    /* which rule, in the form's words */
    test_has(r.body, "<li><b>Su teléfono o WhatsApp</b>: Escriba un número para poder responderle.</li>");
    test_has(r.body, "name=\"_v_contacto_telefono\"");   /* chosen again, on the same page */
    http_resp_free(&r);
    assert_int_equal(db_int("SELECT count(*) FROM responses"), responses);
    assert_int_equal(db_int("SELECT count(*) FROM held_entries WHERE batch = 'reglas' AND stored = 0"), 2);
    assert_int_equal(db_int("SELECT count(*) FROM audit WHERE action = 'doble_entrada_resuelta'"
                            " AND detail LIKE '%jefa' AND object IN (SELECT 'respuesta:' || submission_id"
                            " FROM held_entries WHERE batch = 'reglas')"), 0);
    assert_int_equal(post("/entrada/" CODE_ES "?lang=es", boss,
                          "_lote=reglas&_hoja=1&_resolver=1&_v_contacto_consent=2&_v_contacto_telefono=2",
                          NULL, &r), 303);
    http_resp_free(&r);
    assert_int_equal(db_int("SELECT count(*) FROM responses"), responses + 1);
}

/* issue 17 follow-up: /auditoria names the entry actions in words, not
 * their codes (the rows as the entry code writes them). */
static void test_audit_names_entry_actions(void **state)
{
    (void)state;
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO audit(at, actor, action, object, detail) VALUES"
             " (%lld, 'capturista7', 'respuesta_ingresada', 'respuesta:x', 'papel'),"
             " (%lld, 'ana', 'doble_entrada', 'respuesta:x', 'capturista7, ana'),"
             " (%lld, 'jefa', 'doble_entrada_resuelta', 'respuesta:x', 'capturista7, ana; jefa'),"
             " (%lld, 'ana', 'doble_entrada_tercera', 'respuesta:x', 'capturista7, ana'),"
             " (%lld, 'jefa', 'hoja_descartada', 'hoja:l/p/1', 'capturista7, ana'),"
             " (%lld, 'sistema', 'hojas_retenidas_purgadas', 'held_entries', '2')",
             (long long)time(NULL), (long long)time(NULL), (long long)time(NULL), (long long)time(NULL),
             (long long)time(NULL), (long long)time(NULL));
    assert_int_equal(testsrv_db_exec(&srv, sql), 0);
    http_resp_t r;
    assert_int_equal(get("/auditoria?lang=es", boss, &r), 200);
    test_has(r.body, "respuesta en papel o entrevista ingresada");
    test_has(r.body, "doble entrada: las dos coincidieron");
    test_has(r.body, "doble entrada resuelta por un supervisor");
    test_has(r.body, "doble entrada resuelta por una tercera lectura");
    test_has(r.body, "hoja retenida descartada");
    test_has(r.body, "hojas retenidas sin resolver borradas");
    test_lacks(r.body, "hojas_retenidas_purgadas");
    test_lacks(r.body, "doble_entrada_tercera");
    http_resp_free(&r);
}

/* issue 17 follow-up: the interview page's language link keeps the point
 * (one '?', then '&') and switches the language; without a point too. */
static void test_interview_language_link_keeps_point(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(get("/entrevista/quejas?p=mercado-municipal&lang=es", clerk, &r), 200);
    test_has(r.body, "href=\"/entrevista/quejas?p=mercado-municipal&amp;lang=ht\" hreflang=ht");
    http_resp_free(&r);
    assert_int_equal(get("/entrevista/quejas?p=mercado-municipal&lang=ht", clerk, &r), 200);
    test_has(r.body, "<html lang=ht>");
    test_has(r.body, "href=\"/entrevista/quejas?p=mercado-municipal&amp;lang=es\" hreflang=es");
    test_has(r.body, "action=\"/entrevista/quejas?p=mercado-municipal&amp;lang=ht");
    http_resp_free(&r);
    assert_int_equal(get("/entrevista/quejas?lang=es", clerk, &r), 200);
    test_has(r.body, "href=\"/entrevista/quejas?lang=ht\" hreflang=ht");
    http_resp_free(&r);
    /* After an answer (?hecho=1&c=...), the link is the fresh form's. */
    assert_int_equal(get("/entrevista/quejas?p=mercado-municipal&hecho=1&lang=es", clerk, &r), 200);
    test_has(r.body, "href=\"/entrevista/quejas?p=mercado-municipal&amp;lang=ht\" hreflang=ht");
    test_lacks(r.body, "?&amp;");
    test_lacks(r.body, "&amp;&amp;");
    http_resp_free(&r);
}

/* issue 17 follow-up: the supervisor's page says each value as the page's
 * language does (a choice's label, a date as DD/MM/AAAA), not as stored. */
static void test_review_shows_labels_and_dates(void **state)
{
    (void)state;
    http_resp_t r;
    two_entries("kreyol", 4,
                "_fecha=2024-04-02&comentario_tipo=queja&comentario=Hay+basura&quiere_respuesta=no",
                "_fecha=2024-04-03&comentario_tipo=sugerencia&comentario=Hay+basura&quiere_respuesta=no", &r);
    http_resp_free(&r);
    assert_int_equal(get("/entrada/" CODE_ES "?lote=kreyol&hoja=4&revisar=1&lang=ht", boss, &r), 200);
    test_has(r.body, "value=1> Yon plent</label>");
    test_has(r.body, "value=2> Yon sijesyon</label>");
    test_has(r.body, "value=1> 02/04/2024</label>");
    test_has(r.body, "value=2> 03/04/2024</label>");
    test_lacks(r.body, "> queja<");
    test_lacks(r.body, "> sugerencia<");
    test_lacks(r.body, "2024-04-02");
    http_resp_free(&r);
    assert_int_equal(get("/entrada/" CODE_ES "?lote=kreyol&hoja=4&revisar=1&lang=es", boss, &r), 200);
    test_has(r.body, "value=1> Una queja</label>");
    http_resp_free(&r);
}

/* issue 17 follow-up: the sheet-number field says the number is the
 * sheet's ("Hoja n.º [ ] del lote «lote-b»"), in Spanish and Kreyòl. */
static void test_sheet_field_names_the_sheet(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(get("/entrada/" CODE_ES "?lote=lote-b&hoja=1&lang=es", clerk, &r), 200);
    test_has(r.body, "<label for=i-_hoja>Hoja n.º <span aria-hidden=true>*</span>"
                     " <span class=vh>del lote «lote-b»</span></label>");
    test_has(r.body, "value=1> <span class=lb aria-hidden=true>del lote «lote-b»</span>");
    test_lacks(r.body, "en el lote");
    http_resp_free(&r);
    assert_int_equal(get("/entrada/quejas-2024.1-mercado-municipal-ht?lote=lote-b&hoja=1", clerk, &r), 200);
    test_has(r.body, "<label for=i-_hoja>Fèy nimewo <span aria-hidden=true>*</span>"
                     " <span class=vh>nan lo «lote-b»</span></label>");
    http_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paper_answer_stored_with_channel_and_date),
        cmocka_unit_test(test_paper_date_and_answers_validated),
        cmocka_unit_test(test_unknown_and_old_codes),
        cmocka_unit_test(test_captura_role_limits),
        cmocka_unit_test(test_interview_stored_and_not_readable_back),
        cmocka_unit_test(test_double_entry_equal_is_stored_once),
        cmocka_unit_test(test_double_entry_different_then_resolved),
        cmocka_unit_test(test_double_entry_one_clerk_alone_stores_nothing),
        cmocka_unit_test(test_double_entry_blind_recheck),
        cmocka_unit_test(test_registers_not_entered_here),
        cmocka_unit_test(test_paper_date_does_not_backdate_case),
        cmocka_unit_test(test_code_with_inner_spaces),
        cmocka_unit_test(test_stored_sheet_other_answers_is_a_conflict),
        cmocka_unit_test(test_stored_sheet_other_date_is_a_conflict),
        cmocka_unit_test(test_resolution_breaking_rules_refused),
        cmocka_unit_test(test_audit_names_entry_actions),
        cmocka_unit_test(test_interview_language_link_keeps_point),
        cmocka_unit_test(test_review_shows_labels_and_dates),
        cmocka_unit_test(test_sheet_field_names_the_sheet),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
