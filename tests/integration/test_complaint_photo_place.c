/*
 * test_complaint_photo_place.c: issue 16 item 6, complaints with a photo
 * and a place, over HTTP against the real server on the standard forms
 * (forms/quejas and the comment block of forms/satisfaccion). A complaint
 * posted as a phone sends it (multipart, a JPEG with EXIF, a geopoint
 * with accuracy) after the consent question: the case page shows the
 * photo and the place to atencion; the citizen's tracking page shows
 * neither; without consent neither is stored even if posted; and once the
 * case has been closed longer than the retention period, the server's
 * chores erase the photo and the place with the contact details, leaving
 * the complaint itself. The forms being multipart now, a complaint
 * without a photo needs none of the few slots kept for large uploads, and
 * an urlencoded body keeps the usual 64 KiB limit.
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
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "staffsrv.h"
#include "testjpeg.h"
#include "testsh.h"
#include "testsrv.h"
#include "testcheck.h"

static testsrv_t srv;
static char cookie[256];   /* atencion's session, made once */

static const char *atencion(void)
{
    if (!*cookie) assert_int_equal(staffsrv_session(&srv, "ana", "atencion", cookie, sizeof cookie), 0);
    return cookie;
}

static int setup(void **state)
{
    (void)state;
    return testsrv_start(&srv, NULL, NULL);
}

static int teardown(void **state)
{
    (void)state;
    return testsrv_stop(&srv) == 0 ? 0 : -1;
}

/* The first line of what sqlite3 prints for sql, malloc'd (caller frees). */
static char *text(const char *sql)
{
    buf_t out;
    assert_int_equal(test_sh(srv.dir, &out, NULL, "sqlite3 '%s' \"%s\"", srv.db, sql), 0);
    char *s = xstrdup(out.data ? out.data : "");
    buf_free(&out);
    s[strcspn(s, "\r\n")] = '\0';
    return s;
}

#define BD "----buzonQuejaFotoLugar7"

/* POST path as a phone's browser does: a multipart body of the plain
 * fields "k=v&k=v" (no escapes) and, when photo is not NULL, the file
 * foto. */
static void post(const char *path, const char *fields, const buf_t *photo, http_resp_t *out)
{
    buf_t body, req;
    buf_init(&body);
    buf_init(&req);
    char *copy = xstrdup(fields), *save = NULL;
    for (char *kv = strtok_r(copy, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(kv, '=');
        *eq = '\0';
        buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n", BD, kv, eq + 1);
    }
    free(copy);
    if (photo) {
        buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"foto\"; filename=\"IMG_0042.jpg\"\r\n"
                          "Content-Type: image/jpeg\r\n\r\n", BD);
        buf_append(&body, photo->data, photo->len);
        buf_printf(&body, "\r\n");
    }
    buf_printf(&body, "--%s--\r\n", BD);
    buf_printf(&req, "POST %s HTTP/1.1\r\nHost: localhost\r\n"
                     "Content-Type: multipart/form-data; boundary=%s\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n", path, BD, body.len);
    buf_append(&req, body.data, body.len);
    assert_int_equal(http_raw(srv.port, req.data, req.len, out), 0);
    buf_free(&body);
    buf_free(&req);
}

/* Post and expect 303: the case code of the Location into code. */
static void post_case(const char *path, const char *fields, const buf_t *photo, char *code, size_t n)
{
    http_resp_t r;
    post(path, fields, photo, &r);
    if (r.status != 303) fail_msg("post %s: %d\n%s", path, r.status, r.body);
    char *loc = http_header(&r, "Location");
    http_resp_free(&r);
    assert_non_null(loc);
    char *c = strstr(loc, "c=");
    assert_non_null(c);
    snprintf(code, n, "%.*s", (int)strcspn(c + 2, "&#"), c + 2);
    free(loc);
}

static void photo(buf_t *b)
{
    buf_init(b);
    tj_jpeg(b, 48, 32, 1, true);   /* with EXIF (GPS and a phone model) */
    assert_true(tj_has(b->data, b->len, "Exif", 4));
}

#define PLACE "lugar:lat=18.8512&lugar:lon=-71.7034&lugar:alt=&lugar:acc=12"

/* The case page shows the photo and the place to atencion; the photo
 * served has no EXIF; the tracking page shows neither. */
static void check_case(const char *code, const char *form)
{
    char q[256], path[128], want[256];
    snprintf(q, sizeof q, "SELECT m.name FROM media m JOIN cases c ON c.response_id = m.response_id"
                          " WHERE c.code = '%s'", code);
    char *name = text(q);
    assert_true(strlen(name) > 8);
    http_resp_t r;
    snprintf(path, sizeof path, "/casos/%s", code);
    assert_int_equal(http_get(srv.port, path, atencion(), &r), 0);
    assert_int_equal(r.status, 200);
    snprintf(want, sizeof want, "<img src=\"/api/v1/forms/%s/media/%s\"", form, name);
    test_has(r.body, want);
    test_has(r.body, "Lugar del problema: 18.8512, -71.7034 (\xC2\xB1 12 m)");
    test_has(r.body, "https://www.openstreetmap.org/?mlat=18.8512&amp;mlon=-71.7034");
    http_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/forms/%s/media/%s", form, name);
    assert_int_equal(http_get(srv.port, path, atencion(), &r), 0);
    assert_int_equal(r.status, 200);
    assert_false(tj_has(r.body, r.body_len, "Exif", 4));
    http_resp_free(&r);
    /* The citizen's page, in both languages: not the photo, not the place. */
    const char *langs[] = { "es", "ht" };
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "/seguimiento/%s?lang=%s", code, langs[i]);
        assert_int_equal(http_get(srv.port, path, NULL, &r), 0);
        assert_int_equal(r.status, 200);
        test_has(r.body, code);
        test_lacks(r.body, name);
        test_lacks(r.body, "/media/");
        test_lacks(r.body, "<img");
        test_lacks(r.body, "18.85");
        test_lacks(r.body, "71.70");
        test_lacks(r.body, "openstreetmap");
        http_resp_free(&r);
    }
    free(name);
}

static void test_quejas_photo_and_place(void **state)
{
    (void)state;
    buf_t jpg;
    photo(&jpg);
    char code[32];
    post_case("/e/quejas?lang=es", "servicio=recoleccion&comentario_tipo=queja&comentario=La basura lleva una semana"
              "&foto_lugar_consent=si&" PLACE, &jpg, code, sizeof code);
    buf_free(&jpg);
    check_case(code, "quejas");
}

static void test_satisfaccion_comment_photo_and_place(void **state)
{
    (void)state;
    buf_t jpg;
    photo(&jpg);
    char code[32];
    post_case("/e/satisfaccion?lang=ht", "servicio=mercado&satisfaccion=2&comentario_tipo=queja"
              "&comentario=Mache a sal&foto_lugar_consent=si&" PLACE, &jpg, code, sizeof code);
    buf_free(&jpg);
    check_case(code, "satisfaccion");
}

/* Without consent (no, or not answered) a posted photo is dropped and a
 * typed place sends the page back: neither is ever stored. */
static void test_without_consent_nothing_stored(void **state)
{
    (void)state;
    long long media = test_db_int(srv.db, "SELECT count(*) FROM media");
    long long responses = test_db_int(srv.db, "SELECT count(*) FROM responses");
    buf_t jpg;
    photo(&jpg);
    char code[32];
    post_case("/e/quejas?lang=es", "servicio=mercado&comentario_tipo=queja&comentario=Sin permiso&foto_lugar_consent=no",
              &jpg, code, sizeof code);
    post_case("/e/quejas?lang=ht", "servicio=mercado&comentario_tipo=queja&comentario=San pèmisyon", &jpg, code,
              sizeof code);
    assert_int_equal(test_db_int(srv.db, "SELECT count(*) FROM responses"), responses + 2);
    assert_int_equal(test_db_int(srv.db, "SELECT count(*) FROM media"), media);
    http_resp_t r;
    post("/e/quejas?lang=es", "servicio=mercado&comentario_tipo=queja&comentario=Sin permiso&foto_lugar_consent=no&"
         PLACE, &jpg, &r);
    assert_int_equal(r.status, 422);
    test_has(r.body, "Sí, acepto");
    http_resp_free(&r);
    buf_free(&jpg);
    assert_int_equal(test_db_int(srv.db, "SELECT count(*) FROM responses"), responses + 2);
    assert_int_equal(test_db_int(srv.db, "SELECT count(*) FROM media"), media);
    assert_int_equal(test_db_int(srv.db, "SELECT count(*) FROM answers a JOIN responses r ON r.id = a.response_id"
                            " WHERE a.question IN ('foto', 'lugar') AND r.id > (SELECT max(id) - 2 FROM responses)"), 0);
}

/* Closed longer ago than the retention period (30 days): the server's
 * chores (at start, then hourly) erase the photo and the place with the
 * contact, and keep the complaint. A recent closure keeps them. */
static void test_retention_erases_photo_and_place(void **state)
{
    (void)state;
    buf_t jpg;
    photo(&jpg);
    char old[32], recent[32];
    post_case("/e/quejas?lang=es", "servicio=oficina&comentario_tipo=queja&comentario=Viejo&quiere_respuesta=si"
              "&contacto_consent=si&contacto_nombre=Rosa&contacto_telefono=809 555 0101&foto_lugar_consent=si&" PLACE,
              &jpg, old, sizeof old);
    /* Only a photo and a place, no contact: erased all the same. */
    post_case("/e/quejas?lang=es", "servicio=oficina&comentario_tipo=sugerencia&comentario=Reciente"
              "&foto_lugar_consent=si&" PLACE, &jpg, recent, sizeof recent);
    char photo_only[32];
    post_case("/e/quejas?lang=es", "servicio=oficina&comentario_tipo=queja&comentario=Solo foto"
              "&foto_lugar_consent=si&" PLACE, &jpg, photo_only, sizeof photo_only);
    buf_free(&jpg);
    char sql[512];
    snprintf(sql, sizeof sql, "UPDATE cases SET status = 'cerrado', close_reason = 'spam',"
                              " closed_at = strftime('%%s', 'now') - 40 * 86400 WHERE code IN ('%s', '%s');"
                              "UPDATE cases SET status = 'cerrado', close_reason = 'spam',"
                              " closed_at = strftime('%%s', 'now') - 86400 WHERE code = '%s'",
             old, photo_only, recent);
    assert_int_equal(testsrv_db_exec(&srv, sql), 0);
#define OF(code) " JOIN cases c ON c.response_id = x.response_id WHERE c.code = '" code "'"
    char q[512];
    snprintf(q, sizeof q, "SELECT (SELECT count(*) FROM media x" OF("%s") ") + (SELECT count(*) FROM media x" OF("%s")
                          ") + (SELECT count(*) FROM answers x" OF("%s") " AND x.question IN ('foto', 'lugar',"
                          " 'contacto_nombre', 'contacto_telefono'))", old, photo_only, old);
    assert_int_equal(test_db_int(srv.db, q), 6);   /* 2 photos, old's foto, lugar, name, phone */
    assert_int_equal(testsrv_kill(&srv, SIGTERM), 0);
    assert_int_equal(testsrv_restart(&srv, NULL, NULL), 0);
    /* The chores run once the server is up: wait for them, bounded. */
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long long left;
    do {
        left = test_db_int(srv.db, q);
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while (left && now.tv_sec - t0.tv_sec < 10);
    assert_int_equal(left, 0);
    /* The complaint stays; the case page says the contact is erased and
     * shows no photo and no place. */
    snprintf(q, sizeof q, "SELECT x.value FROM answers x" OF("%s") " AND x.question = 'comentario'", old);
    char *v = text(q);
    assert_string_equal(v, "Viejo");
    free(v);
    snprintf(q, sizeof q, "SELECT count(*) FROM cases WHERE contact_erased_at IS NOT NULL AND code IN ('%s', '%s')",
             old, photo_only);
    assert_int_equal(test_db_int(srv.db, q), 2);
    char path[64];
    http_resp_t r;
    snprintf(path, sizeof path, "/casos/%s", old);
    assert_int_equal(http_get(srv.port, path, atencion(), &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "Viejo");
    test_lacks(r.body, "/media/");
    test_lacks(r.body, "openstreetmap");
    test_lacks(r.body, "Rosa");
    http_resp_free(&r);
    /* Closed yesterday: everything still there. */
    snprintf(q, sizeof q, "SELECT (SELECT count(*) FROM media x" OF("%s") ") + (SELECT count(*) FROM answers x" OF("%s")
                          " AND x.question IN ('foto', 'lugar'))", recent, recent);
    assert_int_equal(test_db_int(srv.db, q), 3);
#undef OF
}

/* Eight large uploads in flight take every slot for photos (http_media.c);
 * a complaint without a photo, multipart like every post of the form,
 * still goes through, and an urlencoded body over 64 KiB is still 413. */
static void test_small_posts_need_no_upload_slot(void **state)
{
    (void)state;
    int slow[8];
    for (int i = 0; i < 8; i++) {
        slow[i] = test_connect(NULL, srv.port);
        assert_true(slow[i] >= 0);
        char head[256];
        int n = snprintf(head, sizeof head, "POST /e/quejas?lang=es HTTP/1.1\r\nHost: x\r\n"
                                            "Content-Type: multipart/form-data; boundary=%s\r\n"
                                            "Content-Length: 4000000\r\n\r\n--%s\r\n", BD, BD);
        assert_int_equal(write(slow[i], head, (size_t)n), n);
    }
    /* Wait (bounded) until the server has taken them all: a ninth large
     * upload is then refused with 503. */
    buf_t big;
    buf_init(&big);
    for (int i = 0; i < 100 * 1024; i++) buf_putc(&big, 'x');
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int st;
    do {
        http_resp_t r;
        post("/e/quejas?lang=es", "servicio=mercado&comentario_tipo=queja&comentario=Grande", &big, &r);
        st = r.status;
        http_resp_free(&r);
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while (st != 503 && now.tv_sec - t0.tv_sec < 5);
    buf_free(&big);
    assert_int_equal(st, 503);
    char code[32];
    post_case("/e/quejas?lang=es", "servicio=mercado&comentario_tipo=queja&comentario=Sin foto", NULL, code,
              sizeof code);
    for (int i = 0; i < 8; i++) close(slow[i]);
    /* urlencoded: the usual limit, whatever the form asks. */
    buf_t b;
    buf_init(&b);
    buf_puts(&b, "servicio=mercado&comentario_tipo=queja&comentario=x&z=");
    while (b.len < 65 * 1024) buf_putc(&b, 'x');
    http_resp_t r;
    assert_int_equal(http_post(srv.port, "/e/quejas?lang=es", b.data, &r), 0);
    assert_int_equal(r.status, 413);
    http_resp_free(&r);
    buf_free(&b);
}


/* Review: a photo and a place without any contact can be erased on
 * request (Ley 172-13), from the command line and from the case page,
 * which offers the erase button for them; and satisfaccion asks for them
 * only with a comment, so they always belong to a case that can erase
 * them. */
static void test_erase_on_request_without_contact(void **state)
{
    (void)state;
    buf_t jpg;
    photo(&jpg);
    char code[32];
    post_case("/e/quejas?lang=es", "servicio=oficina&comentario_tipo=queja&comentario=Sin contacto"
              "&foto_lugar_consent=si&" PLACE, &jpg, code, sizeof code);
    http_resp_t r;
    char path[64];
    snprintf(path, sizeof path, "/casos/%s?lang=es", code);
    assert_int_equal(http_get(srv.port, path, atencion(), &r), 0);
    test_has(r.body, "Borrar contacto, foto y lugar");
    http_resp_free(&r);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM media m JOIN cases c ON c.response_id = m.response_id"
                              " WHERE c.code = '%s'", code);
    assert_int_equal(test_db_int(srv.db, sql), 1);
    buf_t out;
    assert_int_equal(test_buzon(srv.dir, &out, NULL, "case erase-contact %s --asked --db '%s'", code, srv.db), 0);
    test_has(out.data, "erased");
    buf_free(&out);
    assert_int_equal(test_db_int(srv.db, sql), 0);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM answers a JOIN cases c ON c.response_id = a.response_id"
                              " WHERE c.code = '%s' AND a.question = 'lugar'", code);
    assert_int_equal(test_db_int(srv.db, sql), 0);

    /* satisfaccion: no comment, no photo or place (nothing would erase them). */
    long long before = test_db_int(srv.db, "SELECT count(*) FROM media");
    post("/e/satisfaccion?lang=es", "servicio=mercado&satisfaccion=5&comentario_tipo=queja"
         "&foto_lugar_consent=si&" PLACE, &jpg, &r);
    assert_true(r.status == 303 || r.status == 422);
    http_resp_free(&r);
    assert_int_equal(test_db_int(srv.db, "SELECT count(*) FROM media"), before);
    buf_free(&jpg);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quejas_photo_and_place),
        cmocka_unit_test(test_satisfaccion_comment_photo_and_place),
        cmocka_unit_test(test_without_consent_nothing_stored),
        cmocka_unit_test(test_retention_erases_photo_and_place),
        cmocka_unit_test(test_small_posts_need_no_upload_slot),
        cmocka_unit_test(test_erase_on_request_without_contact),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
