/*
 * test_forms_upload.c: issue 15 item 7, publishing an XLSForm workbook from
 * the browser, over HTTP against the real server (the standard forms
 * folder): who may, what a bad workbook gets (one clear message, or its
 * problems as sheet:row, nothing kept), the preview (one phone-sized frame
 * per language; the framed page posts nowhere), publication (audited,
 * served at once, old answers keeping their version), a restart and a
 * backup keeping what was published, and withdrawal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "staffsrv.h"
#include "testform.h"
#include "testsh.h"
#include "testsrv.h"
#include "testcheck.h"

typedef struct fx {
    char dir[256];          /* scratch: workbooks */
    testsrv_t srv;
    char cookie[256];       /* planificacion */
    char csrf[128];
} fx_t;

#define MERCADO_SURVEY \
    "type,name,label::Español (es),label::Kreyòl (ht)\n" \
    "integer,puestos,¿Cuántos puestos atiende?,Konbyen kòmès ou okipe?\n"
#define MERCADO_V2_SURVEY MERCADO_SURVEY \
    "text,producto,¿Qué vende?,Kisa ou vann?\n"
#define MERCADO_SETTINGS(v) "form_id,version,form_title\nmercado," v ",Mercado de Bánica\n"

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    if (!fx || test_mkdtemp(fx->dir, sizeof fx->dir, "upload") != 0) return -1;
    *state = fx;
    if (testsrv_start(&fx->srv, NULL, NULL) != 0) return -1;
    if (staffsrv_session(&fx->srv, "plani", "planificacion", fx->cookie, sizeof fx->cookie) != 0) return -1;
    http_resp_t r;
    if (http_get(fx->srv.port, "/formularios", fx->cookie, &r) != 0 || r.status != 200) return -1;
    int rc = staff_csrf(&r, fx->csrf, sizeof fx->csrf);
    http_resp_free(&r);
    return rc;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    int rc = testsrv_stop(&fx->srv);
    test_rmtree(fx->dir);
    free(fx);
    return rc == 0 ? 0 : -1;
}

/* POST /formularios?lang=<lang> as a browser sends a file field:
 * multipart/form-data with the _csrf field (csrf, or none when NULL) and
 * the file. */
static void upload_in(const fx_t *fx, const char *lang, const char *csrf, const char *filename, const char *data,
                      size_t len, http_resp_t *out)
{
    static const char bd[] = "----buzonTestBoundary7MA4YWxk";
    buf_t body, req;
    buf_init(&body);
    buf_init(&req);
    if (csrf)
        buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n%s\r\n", bd, csrf);
    buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"workbook\"; filename=\"%s\"\r\n"
                      "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n",
               bd, filename);
    buf_append(&body, data, len);
    buf_printf(&body, "\r\n--%s--\r\n", bd);
    buf_printf(&req, "POST /formularios?lang=%s HTTP/1.1\r\nHost: localhost\r\n%s"
                     "Content-Type: multipart/form-data; boundary=%s\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n",
               lang, fx->cookie, bd, body.len);
    buf_append(&req, body.data, body.len);
    assert_int_equal(http_raw(fx->srv.port, req.data, req.len, out), 0);
    buf_free(&body);
    buf_free(&req);
}

/* upload_in the Spanish page. */
static void upload(const fx_t *fx, const char *csrf, const char *filename, const char *data, size_t len,
                   http_resp_t *out)
{
    upload_in(fx, "es", csrf, filename, data, len, out);
}

/* Upload the workbook made of these sheets as name. */
static void upload_book(const fx_t *fx, const char *name, const char *survey, const char *choices,
                        const char *settings, http_resp_t *out)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", fx->dir, name);
    testform_write_xlsx(path, survey, choices, settings);
    size_t len;
    char *data = testform_slurp(path, &len);
    upload(fx, fx->csrf, name, data, len, out);
    free(data);
}

/* Upload a good workbook; returns the preview's path (caller frees). */
static char *draft_of(const fx_t *fx, const char *name, const char *survey, const char *settings)
{
    http_resp_t r;
    upload_book(fx, name, survey, NULL, settings, &r);
    if (r.status != 303) fail_msg("upload %s: %d\n%s", name, r.status, r.body);
    char *loc = http_header(&r, "Location");
    assert_non_null(loc);
    assert_non_null(strstr(loc, "/formularios/borrador/"));
    http_resp_free(&r);
    return loc;
}

static void publish(const fx_t *fx, const char *draft, int want)
{
    char body[200];
    snprintf(body, sizeof body, "_csrf=%s", fx->csrf);
    http_resp_t r;
    assert_int_equal(http_post_with(fx->srv.port, draft, fx->cookie, body, &r), 0);
    if (r.status != want) fail_msg("publish %s: %d, not %d\n%s", draft, r.status, want, r.body);
    http_resp_free(&r);
}

static int get_status(const fx_t *fx, const char *path, const char *cookie)
{
    http_resp_t r;
    assert_int_equal(http_get(fx->srv.port, path, cookie, &r), 0);
    int s = r.status;
    http_resp_free(&r);
    return s;
}

static void test_only_planners_and_admins(void **state)
{
    fx_t *fx = *state;
    assert_int_equal(get_status(fx, "/formularios", NULL), 303);          /* to /login */
    char clerk[256];
    assert_int_equal(staffsrv_session(&fx->srv, "clerk", "atencion", clerk, sizeof clerk), 0);
    assert_int_equal(get_status(fx, "/formularios", clerk), 403);
    /* An upload without a session is answered before its body is read. */
    http_resp_t r;
    fx_t anon = *fx;
    anon.cookie[0] = '\0';
    upload(&anon, fx->csrf, "x.xlsx", "PK\3\4", 4, &r);
    assert_int_equal(r.status, 303);
    http_resp_free(&r);
    /* The menu offers the page to a planner only. */
    assert_int_equal(http_get(fx->srv.port, "/panel", fx->cookie, &r), 0);
    test_has(r.body, "href=\"/formularios?lang=es\"");
    http_resp_free(&r);
}

static void test_bad_workbooks_get_one_clear_answer(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    /* Not a workbook at all (an old .xls, a CSV...). */
    upload(fx, fx->csrf, "encuesta.xls", "\xd0\xcf\x11\xe0 old excel", 15, &r);
    assert_int_equal(r.status, 422);
    test_has(r.body, "guárdelo como libro de Excel (.xlsx)");
    http_resp_free(&r);
    /* No file chosen. */
    upload(fx, fx->csrf, "", "", 0, &r);
    assert_int_equal(r.status, 422);
    test_has(r.body, "Elija un archivo .xlsx");
    http_resp_free(&r);
    /* A workbook with problems: each as file:sheet:row, nothing kept. */
    upload_book(fx, "roto.xlsx", "type,name,label\ninteger,1mal,Uno\nfoo,dos,Dos\n", NULL,
                MERCADO_SETTINGS("1"), &r);
    assert_int_equal(r.status, 422);
    test_has(r.body, "roto.xlsx:survey:2: ");
    /* in the page's language (issue 15: the problems in the author's language) */
    test_has(r.body, "roto.xlsx:survey:3: tipo (type) desconocido &quot;foo&quot;");
    test_has(r.body, "No se publicó nada");
    http_resp_free(&r);
    char path[512];
    snprintf(path, sizeof path, "%s/roto.xlsx", fx->dir);
    size_t blen;
    char *book = testform_slurp(path, &blen);
    upload_in(fx, "ht", fx->csrf, "roto.xlsx", book, blen, &r);
    free(book);
    assert_int_equal(r.status, 422);
    test_has(r.body, "roto.xlsx:survey:3: tip (type) &quot;foo&quot; pa konnen");
    test_has(r.body, "roto.xlsx:survey:2: non (name) &quot;1mal&quot; pa bon: sèvi sèlman ak lèt san aksan");
    http_resp_free(&r);
    /* A new version that drops what an indicator counts is refused by the
     * same whole-catalog check as the forms folder. */
    upload_book(fx, "satisfaccion.xlsx", "type,name,label\ntext,nada,Nada\n", NULL,
                "form_id,version\nsatisfaccion,9\n", &r);
    assert_int_equal(r.status, 422);
    test_has(r.body, "indicators.csv:");
    http_resp_free(&r);
    /* Without the session's CSRF token: refused. */
    upload(fx, "wrong", "a.xlsx", "PK\3\4", 4, &r);
    assert_int_equal(r.status, 403);
    http_resp_free(&r);
    /* Larger than the limit: refused before it is read. */
    buf_t req;
    buf_init(&req);
    buf_printf(&req, "POST /formularios HTTP/1.1\r\nHost: localhost\r\n%sContent-Type: multipart/form-data; "
                     "boundary=x\r\nContent-Length: 9000000\r\nConnection: close\r\n\r\n", fx->cookie);
    assert_int_equal(http_raw(fx->srv.port, req.data, req.len, &r), 0);
    assert_int_equal(r.status, 413);
    test_has(r.body, "pasa de 5 MB");
    http_resp_free(&r);
    buf_free(&req);
    assert_int_equal(test_db_int(fx->srv.db, "SELECT count(*) FROM form_uploads"), 0);
    /* A malformed multipart body. */
    buf_init(&req);
    buf_printf(&req, "POST /formularios HTTP/1.1\r\nHost: localhost\r\n%sContent-Type: multipart/form-data; "
                     "boundary=x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello", fx->cookie);
    assert_int_equal(http_raw(fx->srv.port, req.data, req.len, &r), 0);
    assert_true(r.status == 400 || r.status == 422);
    http_resp_free(&r);
    buf_free(&req);
}

static void test_preview_publish_version_restart_withdraw(void **state)
{
    fx_t *fx = *state;
    assert_int_equal(get_status(fx, "/e/mercado", NULL), 404);
    char *draft = draft_of(fx, "mercado.xlsx", MERCADO_SURVEY, MERCADO_SETTINGS("1"));
    /* The preview: not served yet; one frame per language; the framed
     * page is the survey, framable here only, posting nowhere. */
    assert_int_equal(get_status(fx, "/e/mercado", NULL), 404);
    http_resp_t r;
    assert_int_equal(http_get(fx->srv.port, draft, fx->cookie, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "Formulario nuevo");
    test_has(r.body, "vista?lang=es\"");
    test_has(r.body, "vista?lang=ht\"");
    test_has(r.body, "Preguntas: 1");
    http_resp_free(&r);
    char vista[160];
    snprintf(vista, sizeof vista, "%.*s/vista?lang=ht", (int)(strchr(draft, '?') - draft), draft);
    assert_int_equal(http_get(fx->srv.port, vista, fx->cookie, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "Konbyen kòmès ou okipe?");
    char *csp = http_header(&r, "Content-Security-Policy");
    assert_non_null(csp);
    assert_non_null(strstr(csp, "form-action 'none'"));
    assert_non_null(strstr(csp, "frame-ancestors 'self'"));
    free(csp);
    http_resp_free(&r);
    assert_int_equal(get_status(fx, vista, NULL), 303);       /* staff only */

    /* Published: served at once, audited; the draft is gone. */
    publish(fx, draft, 303);
    assert_int_equal(get_status(fx, "/e/mercado", NULL), 200);
    assert_int_equal(test_db_int(fx->srv.db, "SELECT count(*) FROM audit WHERE action = 'formulario_publicado'"
                                " AND object = 'formulario:mercado' AND actor = 'plani'"), 1);
    publish(fx, draft, 404);
    free(draft);
    assert_int_equal(http_post(fx->srv.port, "/e/mercado", "puestos=3", &r), 0);
    assert_int_equal(r.status, 303);
    http_resp_free(&r);

    /* A new version: the preview says so; answers given before keep theirs. */
    draft = draft_of(fx, "mercado-v2.xlsx", MERCADO_V2_SURVEY, MERCADO_SETTINGS("2"));
    assert_int_equal(http_get(fx->srv.port, draft, fx->cookie, &r), 0);
    test_has(r.body, "Versión nueva");
    test_has(r.body, "1 → 2");
    http_resp_free(&r);
    publish(fx, draft, 303);
    free(draft);
    assert_int_equal(http_get(fx->srv.port, "/e/mercado", NULL, &r), 0);
    test_has(r.body, "¿Qué vende?");
    http_resp_free(&r);
    assert_int_equal(http_post(fx->srv.port, "/e/mercado", "puestos=4&producto=pan", &r), 0);
    assert_int_equal(r.status, 303);
    http_resp_free(&r);
    assert_int_equal(test_db_int(fx->srv.db, "SELECT count(*) FROM responses r JOIN form_versions v ON v.id = "
                                "r.form_version_id WHERE r.form_id = 'mercado' AND v.version = '1'"), 1);
    assert_int_equal(test_db_int(fx->srv.db, "SELECT count(*) FROM responses r JOIN form_versions v ON v.id = "
                                "r.form_version_id WHERE r.form_id = 'mercado' AND v.version = '2'"), 1);
    assert_int_equal(http_get(fx->srv.port, "/formularios", fx->cookie, &r), 0);
    test_has(r.body, "Publicado desde el navegador: plani");
    test_has(r.body, "mercado-v2.xlsx");
    http_resp_free(&r);

    /* A restart serves what was published (it lives in the database)... */
    assert_int_equal(testsrv_kill(&fx->srv, SIGTERM), 0);
    assert_int_equal(testsrv_restart(&fx->srv, NULL, NULL), 0);
    assert_int_equal(http_get(fx->srv.port, "/e/mercado", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "¿Qué vende?");
    http_resp_free(&r);
    /* ...and so does a backup of that database. */
    char copy[600];
    snprintf(copy, sizeof copy, "%s/copia.db", fx->dir);
    assert_int_equal(test_buzon(fx->dir, NULL, NULL, "backup '%s' --db '%s'", copy, fx->srv.db), 0);
    buf_t out;
    assert_int_equal(test_sh(fx->dir, &out, NULL, "sqlite3 '%s' \"SELECT version FROM form_uploads WHERE "
                                                  "form_id = 'mercado' AND withdrawn_at IS NULL ORDER BY id\"",
                             copy), 0);
    test_has(out.data, "1\n2");
    buf_free(&out);

    /* Withdrawn (audited): the form had no folder version, so it is no
     * longer served; the page says so. */
    char body[200];
    snprintf(body, sizeof body, "_csrf=%s", fx->csrf);
    assert_int_equal(http_post_with(fx->srv.port, "/formularios/mercado/retirar?lang=es", fx->cookie, body, &r), 0);
    assert_int_equal(r.status, 303);
    char *loc = http_header(&r, "Location");
    assert_non_null(loc);
    test_has(loc, "/formularios?retirado=mercado");
    http_resp_free(&r);
    assert_int_equal(get_status(fx, "/e/mercado", NULL), 404);
    assert_int_equal(http_get(fx->srv.port, loc, fx->cookie, &r), 0);
    test_has(r.body, "Retirado.");
    test_has(r.body, "retirado</i>");
    http_resp_free(&r);
    free(loc);
    assert_int_equal(test_db_int(fx->srv.db, "SELECT count(*) FROM audit WHERE action = 'formulario_retirado'"
                                " AND object = 'formulario:mercado'"), 1);
    /* Nothing left to withdraw. */
    assert_int_equal(http_post_with(fx->srv.port, "/formularios/mercado/retirar", fx->cookie, body, &r), 0);
    assert_int_equal(r.status, 404);
    http_resp_free(&r);
}


/* Review fixes: a draft is its uploader's (or an admin's) to see and
 * publish; the preview's live requests answer from the draft, not from the
 * survey served under that id; of two publications in one second, the last
 * is what a restart serves; a published workbook that stops the server
 * from starting is named, with the command that withdraws it. */
static void test_drafts_order_live_and_startup(void **state)
{
    fx_t *fx = *state;
    char *draft = draft_of(fx, "ferias.xlsx",
                           "type,name,label,relevant\ninteger,edad,Edad,\ntext,motivo,Motivo,${edad} > 100\n",
                           "form_id,version,form_title\nferias,1,Ferias\n");
    /* Another planner may neither see nor publish it. */
    char other[256], other_csrf[128];
    assert_int_equal(staffsrv_session(&fx->srv, "plano", "planificacion", other, sizeof other), 0);
    http_resp_t r;
    assert_int_equal(http_get(fx->srv.port, "/formularios", other, &r), 0);
    assert_int_equal(staff_csrf(&r, other_csrf, sizeof other_csrf), 0);
    http_resp_free(&r);
    assert_int_equal(get_status(fx, draft, other), 403);
    char body[200];
    snprintf(body, sizeof body, "_csrf=%s", other_csrf);
    assert_int_equal(http_post_with(fx->srv.port, draft, other, body, &r), 0);
    assert_int_equal(r.status, 403);
    test_has(r.body, "solo quien subió el libro");
    http_resp_free(&r);
    assert_int_equal(get_status(fx, "/e/ferias", NULL), 404);

    /* The preview's live state comes from the draft. */
    char live[160];
    snprintf(live, sizeof live, "%.*s/vivo", (int)(strchr(draft, '?') - draft), draft);
    assert_int_equal(http_post_with(fx->srv.port, live, fx->cookie, "edad=120", &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "\"motivo\":true");
    http_resp_free(&r);
    publish(fx, draft, 303);
    free(draft);

    /* Two versions published in the same second: the last one wins, now
     * and after a restart. */
    char *v2 = draft_of(fx, "ferias2.xlsx", "type,name,label\ninteger,edad,Edad dos\n",
                        "form_id,version,form_title\nferias,2,Ferias\n");
    char *v3 = NULL;
    {
        /* v3 by the other planner, published by them after v2. */
        char path[512];
        snprintf(path, sizeof path, "%s/ferias3.xlsx", fx->dir);
        testform_write_xlsx(path, "type,name,label\ninteger,edad,Edad tres\n", NULL,
                            "form_id,version,form_title\nferias,3,Ferias\n");
        size_t len;
        char *data = testform_slurp(path, &len);
        fx_t as_other = *fx;
        snprintf(as_other.cookie, sizeof as_other.cookie, "%s", other);
        upload(&as_other, other_csrf, "ferias3.xlsx", data, len, &r);
        free(data);
        assert_int_equal(r.status, 303);
        v3 = http_header(&r, "Location");
        http_resp_free(&r);
    }
    /* v3 was uploaded after v2 but is published first. */
    assert_int_equal(http_post_with(fx->srv.port, v3, other, body, &r), 0);
    assert_int_equal(r.status, 303);
    http_resp_free(&r);
    publish(fx, v2, 303);
    free(v2);
    free(v3);
    assert_int_equal(http_get(fx->srv.port, "/e/ferias", NULL, &r), 0);
    test_has(r.body, "Edad dos");
    http_resp_free(&r);
    assert_int_equal(testsrv_kill(&fx->srv, SIGTERM), 0);
    assert_int_equal(testsrv_restart(&fx->srv, NULL, NULL), 0);
    assert_int_equal(http_get(fx->srv.port, "/e/ferias", NULL, &r), 0);
    test_has(r.body, "Edad dos");
    http_resp_free(&r);

    /* A published workbook damaged in the database: serve refuses to start
     * and names it, with the withdraw command for this database. */
    assert_int_equal(testsrv_kill(&fx->srv, SIGTERM), 0);
    assert_int_equal(testsrv_db_exec(&fx->srv, "UPDATE form_uploads SET workbook = X'504B0304DEADBEEF'"
                                               " WHERE version = '2' AND form_id = 'ferias'"), 0);
    buf_t err;
    assert_int_not_equal(test_buzon(fx->dir, NULL, &err, "serve --port 0 --db '%s' --forms '%s/forms'",
                                    fx->srv.db, test_root()), 0);
    test_has(err.data, "ferias2.xlsx");
    test_has(err.data, "come from forms published from the browser");
    test_has(err.data, "buzon forms withdraw ferias --db");
    buf_free(&err);
    assert_int_equal(test_buzon(fx->dir, NULL, NULL, "forms withdraw ferias --db '%s'", fx->srv.db), 0);
    assert_int_equal(testsrv_restart(&fx->srv, NULL, NULL), 0);
    assert_int_equal(get_status(fx, "/e/ferias", NULL), 404);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_only_planners_and_admins),
        cmocka_unit_test(test_bad_workbooks_get_one_clear_answer),
        cmocka_unit_test(test_preview_publish_version_restart_withdraw),
        cmocka_unit_test(test_drafts_order_live_and_startup),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
