/*
 * test_registers.c: the registers of the Plan de Mejora (issue 18) over
 * real HTTP and the real forms folder: a staff form (settings access =
 * staff) is a 404 to the public exactly like an unknown form, absent from
 * `/` and the API's list, refused by posters and paper (web and CLI);
 * staff (planificacion) enter each of the five registers on /registros,
 * stored with channel "registro" and the author in the audit log, and
 * their indicators come out of /api/v1/indicators with their action
 * number, value and n; a verified `buzon backup` records itself in the
 * action-2 register; `forms check` rejects a bad access value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "staffsrv.h"
#include "testcheck.h"
#include "testform.h"
#include "testsh.h"
#include "testsrv.h"

static testsrv_t srv;
static char plan[160];     /* a planificacion session */
static char tmp[256];

static int setup(void **state)
{
    (void)state;
    if (test_mkdtemp(tmp, sizeof tmp, "registers") != 0) return -1;
    if (testsrv_start(&srv, NULL, NULL) != 0) return -1;
    return staffsrv_session(&srv, "planifica", "planificacion", plan, sizeof plan);
}

static int teardown(void **state)
{
    (void)state;
    test_rmtree(tmp);
    return testsrv_stop(&srv) == 0 ? 0 : -1;
}

static http_resp_t get(const char *path, const char *headers, int status)
{
    http_resp_t r;
    assert_int_equal(http_get(srv.port, path, headers, &r), 0);
    if ((int)r.status != status) fprintf(stderr, "GET %s: %d\n%s\n", path, r.status, r.body);
    assert_int_equal(r.status, status);
    return r;
}

static void test_staff_form_is_unknown_to_the_public(void **state)
{
    (void)state;
    http_resp_t idx = get("/", NULL, 200);
    test_lacks(idx.body, "reg_");
    test_lacks(idx.body, "Registro:");
    test_has(idx.body, "/e/satisfaccion");
    http_resp_free(&idx);
    /* The same answer as for a form that does not exist, byte for byte. */
    static const char *const sub[] = { "", "/gracias", "/imagen?f=x.png" };
    for (size_t i = 0; i < sizeof sub / sizeof *sub; i++) {
        char a[96], b[96];
        snprintf(a, sizeof a, "/e/reg_reuniones%s", sub[i]);
        snprintf(b, sizeof b, "/e/reg_nadaaaaa%s", sub[i]);
        http_resp_t x = get(a, NULL, 404), y = get(b, NULL, 404);
        assert_string_equal(x.body, y.body);
        http_resp_free(&x);
        http_resp_free(&y);
    }
    http_resp_t p, q;
    assert_int_equal(http_post(srv.port, "/e/reg_reuniones", "tipo=otra&fecha=2025-03-01", &p), 0);
    assert_int_equal(http_post(srv.port, "/e/reg_nadaaaaa", "tipo=otra&fecha=2025-03-01", &q), 0);
    assert_int_equal(p.status, 404);
    assert_int_equal(q.status, 404);
    assert_string_equal(p.body, q.body);
    http_resp_free(&p);
    http_resp_free(&q);
    assert_int_equal(http_post(srv.port, "/e/reg_reuniones/vivo", "tipo=otra", &p), 0);
    assert_int_equal(p.status, 404);
    http_resp_free(&p);
    http_resp_t api = get("/api/v1/forms", NULL, 200);
    test_lacks(api.body, "reg_");
    http_resp_free(&api);
    /* Nothing was stored through the public route. */
    assert_int_equal(test_db_int(srv.db, "SELECT count(*) FROM responses WHERE form_id LIKE 'reg_%'"), 0);
}

static void test_no_poster_paper_or_link(void **state)
{
    (void)state;
    char h[200];
    snprintf(h, sizeof h, "%s", plan);
    http_resp_t list = get("/carteles", h, 200);
    test_lacks(list.body, "reg_");
    http_resp_free(&list);
    static const char *const files[] = { "/carteles/reg_digital.svg", "/carteles/reg_digital.png",
                                         "/carteles/reg_digital.pdf" };
    for (size_t i = 0; i < 3; i++) {
        http_resp_t r = get(files[i], h, 404);
        test_has(r.body, "registro interno");
        http_resp_free(&r);
    }
    buf_t err;
    assert_int_not_equal(test_buzon(tmp, NULL, &err, "poster reg_digital --forms %s/forms -o %s/p.svg",
                                    test_root(), tmp), 0);
    test_has(err.data, "staff register");
    buf_free(&err);
    assert_int_not_equal(test_buzon(tmp, NULL, &err, "paper reg_digital --forms %s/forms -o %s/p.pdf",
                                    test_root(), tmp), 0);
    test_has(err.data, "staff register");
    buf_free(&err);
    /* The list a typo gets offers only the public forms. */
    assert_int_not_equal(test_buzon(tmp, NULL, &err, "paper nosuch --forms %s/forms -o %s/p.pdf",
                                    test_root(), tmp), 0);
    test_lacks(err.data, "reg_");
    test_has(err.data, "satisfaccion");
    buf_free(&err);
}

static void test_other_roles_and_no_csrf_are_refused(void **state)
{
    (void)state;
    char lect[160];
    assert_int_equal(staffsrv_session(&srv, "lector", "lectura", lect, sizeof lect), 0);
    http_resp_t r = get("/registros", lect, 403);
    http_resp_free(&r);
    r = get("/registros/reg_reuniones", lect, 403);
    http_resp_free(&r);
    r = get("/registros", NULL, 303);   /* to the login page */
    http_resp_free(&r);
    /* a post without the session's token stores nothing */
    assert_int_equal(http_post_with(srv.port, "/registros/reg_intercambio", plan,
                                    "fecha=2025-03-01&tipo=alianza", &r), 0);
    assert_int_equal(r.status, 403);
    http_resp_free(&r);
    assert_int_equal(test_db_int(srv.db, "SELECT count(*) FROM responses WHERE form_id = 'reg_intercambio'"), 0);
}

/* Enter body in register form as the planner: 303 back to /registros. */
static void enter(const char *form, const char *body)
{
    char path[96];
    snprintf(path, sizeof path, "/registros/%s", form);
    http_resp_t page = get(path, plan, 200);
    char csrf[128];
    assert_int_equal(staff_csrf(&page, csrf, sizeof csrf), 0);
    test_has(page.body, "action=\"/registros/");
    http_resp_free(&page);
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "%s&_csrf=%s", body, csrf);
    http_resp_t r;
    assert_int_equal(http_post_with(srv.port, path, plan, b.data, &r), 0);
    if (r.status != 303) fprintf(stderr, "%s: %d\n%s\n", form, r.status, r.body);
    assert_int_equal(r.status, 303);
    char *loc = http_header(&r, "Location");
    char want[96];
    snprintf(want, sizeof want, "/registros?hecho=%s&", form);
    assert_non_null(strstr(loc, want));
    free(loc);
    http_resp_free(&r);
    buf_free(&b);
}

/* The total of indicator id in the API's document: its action, value and n. */
static void figure(json_t *doc, const char *id, int action, double value, long long n)
{
    json_t *list = json_object_get(doc, "indicators");
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *x = json_array_get(list, i);
        if (strcmp(json_string_value(json_object_get(x, "id")), id)) continue;
        assert_int_equal(json_integer_value(json_object_get(x, "action")), action);
        json_t *v = json_object_get(x, "value");
        double got = json_is_null(v) ? NAN : json_number_value(v);
        json_t *jn = json_object_get(x, "n");
        long long gn = json_is_null(jn) ? -1 : json_integer_value(jn);   /* null: hidden (issue 17) */
        if ((isnan(value) != isnan(got)) || (!isnan(value) && fabs(got - value) > 1e-3) || gn != n)
            fail_msg("%s: value %g n %lld, expected %g n %lld", id, got, gn, value, n);
        return;
    }
    fail_msg("indicator %s missing", id);
}

static void test_each_register_entered_and_counted(void **state)
{
    (void)state;
    http_resp_t list = get("/registros", plan, 200);
    test_has(list.body, "/registros/reg_benchmarking");
    test_has(list.body, "/registros/reg_desempeno");
    test_lacks(list.body, "/registros/satisfaccion");
    http_resp_free(&list);
    /* A bad entry comes back with its errors, nothing stored. */
    http_resp_t page = get("/registros/reg_reuniones", plan, 200);
    char csrf[128];
    assert_int_equal(staff_csrf(&page, csrf, sizeof csrf), 0);
    http_resp_free(&page);
    char body[256];
    snprintf(body, sizeof body, "fecha=2025-03-01&tipo=otra&asistentes_mujeres=-3&_csrf=%s", csrf);
    http_resp_t bad;
    assert_int_equal(http_post_with(srv.port, "/registros/reg_reuniones", plan, body, &bad), 0);
    assert_int_equal(bad.status, 422);
    test_has(bad.body, "action=\"/registros/reg_reuniones");
    test_has(bad.body, "name=_csrf");
    http_resp_free(&bad);

    enter("reg_benchmarking", "fecha=2025-02-10&tipo=benchmarking&organizacion=Ayuntamiento+de+Dajab%C3%B3n"
                              "&participantes_mujeres=3&participantes_hombres=1");
    enter("reg_benchmarking", "fecha=2025-03-10&tipo=autoevaluacion_caf&participantes_mujeres=5"
                              "&participantes_hombres=5&evidencia_ref=Carpeta+CAF+2025");
    enter("reg_digital", "fecha=2025-01-20&tipo=digitalizacion&que=Actas+del+Concejo+2020-2024&donde=nube");
    enter("reg_desempeno", "fecha=2025-03-31&unidad=rrhh&sexo=mujer&eval_excelente=4&eval_muy_bueno=6"
                           "&eval_bueno=2&eval_regular=0&eval_deficiente=0");
    enter("reg_desempeno", "fecha=2025-03-31&unidad=rrhh&sexo=hombre&eval_excelente=1&eval_muy_bueno=3"
                           "&eval_bueno=2&eval_regular=3&eval_deficiente=1");
    enter("reg_reuniones", "fecha=2025-02-15&tipo=consejo_desarrollo&asistentes_mujeres=9"
                           "&asistentes_hombres=11&criterios_inclusion=si");
    enter("reg_reuniones", "fecha=2025-03-15&tipo=comunitaria&asistentes_mujeres=6"
                           "&asistentes_hombres=4&criterios_inclusion=no");
    enter("reg_intercambio", "fecha=2025-04-02&tipo=alianza&con_quien=Universidad");
    enter("reg_intercambio", "fecha=2025-05-02&tipo=coloquio_nacional&tema=Buz%C3%B3n+ciudadano");

    assert_int_equal(test_db_int(srv.db, "SELECT count(*) FROM responses WHERE form_id LIKE 'reg_%' "
                                         "AND channel = 'registro'"), 9);
    assert_int_equal(test_db_int(srv.db, "SELECT count(*) FROM audit WHERE action = 'registro_anotado' "
                                         "AND actor = 'planifica' AND object LIKE 'registro:reg_%'"), 9);
    list = get("/registros?hecho=reg_intercambio&lang=ht", plan, 200);
    test_has(list.body, "Antre a anrejistre nan rejis la.");
    http_resp_free(&list);
    /* issue 18: the audit page names the entries in words, not by code */
    char admin[160];
    assert_int_equal(staffsrv_session(&srv, "jefa", "admin", admin, sizeof admin), 0);
    http_resp_t audit = get("/auditoria", admin, 200);
    test_has(audit.body, "<td>Entrada de registro anotada</td>");
    test_lacks(audit.body, "registro_anotado");
    http_resp_free(&audit);

    http_resp_t api = get("/api/v1/indicators?by=sexo", plan, 200);
    json_error_t e;
    json_t *doc = json_loads(api.body, 0, &e);
    assert_non_null(doc);
    figure(doc, "reg_a1_actividades", 1, 1, 2);   /* entries: never suppressed */
    figure(doc, "reg_a1_caf", 1, 1, 2);
    figure(doc, "reg_a1_mujeres", 1, 100.0 * 8 / 14, 14);
    figure(doc, "reg_a2_registros", 2, 1, 1);
    figure(doc, "reg_a8_evaluados", 8, 22, 22);
    figure(doc, "reg_a8_bueno_o_mas", 8, 100.0 * 18 / 22, 22);
    figure(doc, "reg_a8_excelente", 8, NAN, -1);   /* 5 people: below the threshold, n hidden too */
    figure(doc, "reg_a9_reuniones", 9, 2, 2);
    figure(doc, "reg_a9_cdm", 9, 1, 2);
    figure(doc, "reg_a9_mujeres", 9, 50, 30);
    figure(doc, "reg_a4_inclusion", 4, 1, 2);
    figure(doc, "reg_a10_intercambios", 10, 2, 2);
    figure(doc, "reg_a10_coloquios", 10, 1, 2);
    json_decref(doc);
    http_resp_free(&api);
}

/* An entry with its evidence: a multipart post, as the page sends it. */
static void test_entry_with_evidence_file(void **state)
{
    (void)state;
    http_resp_t page = get("/registros/reg_intercambio", plan, 200);
    test_has(page.body, "enctype=multipart/form-data");
    char csrf[128];
    assert_int_equal(staff_csrf(&page, csrf, sizeof csrf), 0);
    http_resp_free(&page);
    static const char pdf[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
    static const char bd[] = "----regBoundary";
    buf_t body, req;
    buf_init(&body);
    buf_init(&req);
    const char *fields[][2] = { { "fecha", "2025-06-01" }, { "tipo", "conferencia" }, { "_csrf", csrf } };
    for (size_t i = 0; i < 3; i++)
        buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n", bd, fields[i][0],
                   fields[i][1]);
    buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"evidencia\"; filename=\"acta.pdf\"\r\n"
                      "Content-Type: application/pdf\r\n\r\n%s\r\n--%s--\r\n", bd, pdf, bd);
    buf_printf(&req, "POST /registros/reg_intercambio HTTP/1.1\r\nHost: localhost\r\n%s"
                     "Content-Type: multipart/form-data; boundary=%s\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n", plan, bd, body.len);
    buf_append(&req, body.data, body.len);
    http_resp_t r;
    assert_int_equal(http_raw(srv.port, req.data, req.len, &r), 0);
    if (r.status != 303) fprintf(stderr, "%d\n%s\n", r.status, r.body);
    assert_int_equal(r.status, 303);
    http_resp_free(&r);
    buf_free(&body);
    buf_free(&req);
    assert_int_equal(test_db_int(srv.db, "SELECT count(*) FROM media m JOIN responses r ON r.id = m.response_id "
                                         "WHERE m.form_id = 'reg_intercambio' AND m.question = 'evidencia' "
                                         "AND m.type = 'application/pdf' AND r.channel = 'registro'"), 1);
}

static void test_backup_records_itself(void **state)
{
    (void)state;
    long long before = test_db_int(srv.db, "SELECT count(*) FROM responses WHERE form_id = 'reg_digital'");
    buf_t err;
    assert_int_equal(test_buzon(tmp, NULL, &err, "backup %s/b1.db --db %s --forms %s/forms", tmp, srv.db,
                                test_root()), 0);
    test_has(err.data, "verified");
    test_has(err.data, "recorded in the register reg_digital");
    buf_free(&err);
    assert_int_equal(test_db_int(srv.db, "SELECT count(*) FROM responses r JOIN answers a ON a.response_id = r.id "
                                         "WHERE r.form_id = 'reg_digital' AND r.channel = 'registro' "
                                         "AND a.question = 'tipo' AND a.value = 'copia_seguridad'"), 1);
    assert_int_equal(test_db_int(srv.db, "SELECT count(*) FROM responses WHERE form_id = 'reg_digital'"),
                     before + 1);
    assert_int_equal(test_db_int(srv.db, "SELECT count(*) FROM audit WHERE action = 'registro_anotado' "
                                         "AND actor LIKE 'cli:%' AND object LIKE 'registro:reg_digital:%'"), 1);
    /* A forms folder without the register: the backup still succeeds, and says so. */
    assert_int_equal(test_buzon(tmp, NULL, &err, "backup %s/b2.db --db %s --forms %s/no-such-forms", tmp, srv.db,
                                tmp), 0);
    test_has(err.data, "verified");
    test_has(err.data, "the backup is done, but it was not recorded");
    buf_free(&err);
    assert_int_equal(test_db_int(srv.db, "SELECT count(*) FROM responses WHERE form_id = 'reg_digital'"),
                     before + 1);
}

/* POST body to path (a live endpoint) with headers; the response. */
static http_resp_t live(const char *path, const char *headers, const char *body, int status)
{
    http_resp_t r;
    assert_int_equal(http_post_with(srv.port, path, headers, body, &r), 0);
    if ((int)r.status != status) fprintf(stderr, "POST %s: %d\n%s\n", path, r.status, r.body);
    assert_int_equal(r.status, status);
    return r;
}

/* Whether question name applies in a live answer's JSON. */
static bool live_rel(const http_resp_t *r, const char *name)
{
    json_error_t e;
    json_t *doc = json_loads(r->body, 0, &e);
    assert_non_null(doc);
    json_t *v = json_object_get(json_object_get(doc, "rel"), name);
    assert_non_null(v);
    bool on = json_is_true(v);
    json_decref(doc);
    return on;
}

/* issue 18: a register page asks /registros/<form>/vivo for its live state
 * (reg_benchmarking's partner applies unless it was a CAF
 * self-assessment), as staff with the page's roles; others are refused and
 * nothing is stored. */
static void test_register_live_state(void **state)
{
    (void)state;
    int64_t before = test_db_int(srv.db, "SELECT count(*) FROM responses");
    http_resp_t r = live("/registros/reg_benchmarking/vivo", plan, "fecha=2025-03-01&tipo=autoevaluacion_caf", 200);
    char *type = http_header(&r, "Content-Type");
    assert_string_equal(type, "application/json");
    free(type);
    assert_false(live_rel(&r, "organizacion"));
    http_resp_free(&r);
    r = live("/registros/reg_benchmarking/vivo", plan, "fecha=2025-03-01&tipo=benchmarking", 200);
    assert_true(live_rel(&r, "organizacion"));
    http_resp_free(&r);
    /* a public survey is not a register; an unknown form neither */
    r = live("/registros/satisfaccion/vivo", plan, "", 404);
    test_has(r.body, "{\"error\":404}");
    http_resp_free(&r);
    r = live("/registros/reg_nadaaaaa/vivo", plan, "", 404);
    http_resp_free(&r);
    /* other roles, no session */
    char lect[160];
    assert_int_equal(staffsrv_session(&srv, "lector2", "lectura", lect, sizeof lect), 0);
    r = live("/registros/reg_benchmarking/vivo", lect, "tipo=benchmarking", 403);
    http_resp_free(&r);
    r = live("/registros/reg_benchmarking/vivo", "", "tipo=benchmarking", 303);
    http_resp_free(&r);
    assert_int_equal(test_db_int(srv.db, "SELECT count(*) FROM responses"), before);
}

/* The register's page is a staff page like /entrada's (one render path):
 * its live state at the register's own address, never queued offline,
 * evidence sent as multipart, and the language switch a link, not the
 * form's first button, which Enter in a field would press. */
static void test_register_page_is_a_staff_entry_page(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(http_get(srv.port, "/registros/reg_digital?lang=es", plan, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "data-live=\"/registros/reg_digital/vivo?lang=es\"");
    test_has(r.body, " data-staff ");
    test_has(r.body, "enctype=multipart/form-data");
    test_has(r.body, "name=_csrf value=");
    test_lacks(r.body, "<button form=f formaction=");
    http_resp_free(&r);
}

static void test_forms_check_bad_access(void **state)
{
    (void)state;
    char dir[300];
    snprintf(dir, sizeof dir, "%s/f", tmp);
    assert_int_equal(mkdir(dir, 0700), 0);
    char *path = testform_write(dir, "interno", "type,name,label\ntext,t,T\n", NULL,
                                "form_id,access\ninterno,secreto\n");
    buf_t out, err;
    assert_int_equal(test_buzon(tmp, &out, &err, "forms check %s", dir), 1);
    test_has(err.data, "settings.csv:2: access must be public or staff, not \"secreto\"");
    buf_free(&out);
    buf_free(&err);
    assert_int_equal(test_sh(tmp, &out, &err, "LANG=es_DO.UTF-8 LC_ALL= LC_MESSAGES= \"${BUZON_BIN:-%s/build/buzon}\" forms check %s",
                             test_root(), dir), 1);
    test_has(err.data, "access debe ser public o staff, no \"secreto\"");
    buf_free(&out);
    buf_free(&err);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_staff_form_is_unknown_to_the_public),
        cmocka_unit_test(test_no_poster_paper_or_link),
        cmocka_unit_test(test_other_roles_and_no_csrf_are_refused),
        cmocka_unit_test(test_each_register_entered_and_counted),
        cmocka_unit_test(test_entry_with_evidence_file),
        cmocka_unit_test(test_backup_records_itself),
        cmocka_unit_test(test_register_live_state),
        cmocka_unit_test(test_register_page_is_a_staff_entry_page),
        cmocka_unit_test(test_forms_check_bad_access),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
