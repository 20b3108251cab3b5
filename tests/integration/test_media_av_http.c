/*
 * test_media_av_http.c: issue 16 item 2, audio, video and file questions
 * over HTTP against the real server: the page asks for a recording, a film
 * and a document (accept="audio/..." with capture when the appearance says so,
 * the author's body::accept); an MP3 with ID3 tags, an MP4 with a ©xyz place
 * and a PDF are stored (303) cleaned, typed by their bytes, and served only
 * to staff who may see raw answers (recordings and films inline, a PDF as
 * an attachment), linked from the export and played on the case page; a
 * file of the wrong kind is a 422 beside its field in es and ht; a file
 * over its type's limit a 413 page in the visitor's language; a video over
 * the photo forms' 10 MB body passes; nothing refused is stored.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "staffsrv.h"
#include "testav.h"
#include "testform.h"
#include "testjpeg.h"
#include "testsh.h"
#include "testsrv.h"
#include "testcheck.h"

typedef struct fx {
    char dir[256];
    testsrv_t srv;
} fx_t;

#define AV_SURVEY \
    "type,name,label::Español (es),label::Kreyòl (ht),appearance,body::accept\n" \
    "text,comentario,Comentario,Kòmantè,,\n" \
    "audio,audio,Grabe su queja,Anrejistre plent ou,new,\n" \
    "video,video,Video del problema,Videyo pwoblèm nan,,\n" \
    "file,doc,Documento,Dokiman,,\".pdf,.docx\"\n"

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    if (!fx || test_mkdtemp(fx->dir, sizeof fx->dir, "mediaav") != 0) return -1;
    *state = fx;
    free(testform_write(fx->dir, "archivos", AV_SURVEY, NULL, "form_id,form_title\narchivos,Archivos\n"));
    const char *root = test_root();
    /* The standard complaint form, with a recording: the case page plays it. */
    if (test_sh(fx->dir, NULL, NULL, "cp '%s'/forms/points.csv '%s'/forms/services.csv '%s'/forms/carta.csv '%s'/forms/feriados.csv '%s/' && cp -r '%s/forms/quejas' '%s/' && "
                "echo 'audio,audio,Audio,Odyo,,,,,,,,,,' >> '%s/quejas/survey.csv'",
                root, root, root, root, fx->dir, root, fx->dir, fx->dir) != 0)
        return -1;
    return testsrv_start(&fx->srv, fx->dir, NULL);
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    int rc = testsrv_stop(&fx->srv);
    test_rmtree(fx->dir);
    free(fx);
    return rc == 0 ? 0 : -1;
}

static char *text(const fx_t *fx, const char *sql)
{
    buf_t out;
    assert_int_equal(test_sh(fx->dir, &out, NULL, "sqlite3 '%s' \"%s\"", fx->srv.db, sql), 0);
    char *s = xstrdup(out.data ? out.data : "");
    buf_free(&out);
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r')) s[--n] = '\0';
    return s;
}

#define BD "----buzonAvBoundary7u"

typedef struct part { const char *field; const void *data; size_t len; } part_t;

/* POST path as a browser sends a multipart form: the plain fields "k=v&k=v"
 * and the files (each named "x.bin", sent as application/octet-stream:
 * the browser's word counts for nothing). */
static void post(const fx_t *fx, const char *path, const char *fields, const part_t *files, size_t nfiles,
                 http_resp_t *out)
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
    for (size_t i = 0; i < nfiles; i++) {
        buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"x.bin\"\r\n"
                          "Content-Type: application/octet-stream\r\n\r\n", BD, files[i].field);
        buf_append(&body, files[i].data, files[i].len);
        buf_puts(&body, "\r\n");
    }
    buf_printf(&body, "--%s--\r\n", BD);
    buf_printf(&req, "POST %s HTTP/1.1\r\nHost: localhost\r\n"
                     "Content-Type: multipart/form-data; boundary=%s\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n", path, BD, body.len);
    buf_append(&req, body.data, body.len);
    assert_int_equal(http_raw(fx->srv.port, req.data, req.len, out), 0);
    buf_free(&body);
    buf_free(&req);
}

static int get_status(const fx_t *fx, const char *path, const char *cookie)
{
    http_resp_t r;
    assert_int_equal(http_get(fx->srv.port, path, cookie, &r), 0);
    int s = r.status;
    http_resp_free(&r);
    return s;
}

static void test_page_asks_for_files(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    assert_int_equal(http_get(fx->srv.port, "/e/archivos?lang=es", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "enctype=multipart/form-data");
    test_has(r.body, "name=audio type=file accept=\"audio/*\" capture=environment");
    test_has(r.body, "name=video type=file accept=\"video/*\"");
    test_has(r.body, "name=doc type=file accept=\".pdf,.docx\"");
    test_has(r.body, "Grabación de audio, hasta 10 MB");
    test_has(r.body, "Video, hasta 20 MB");
    http_resp_free(&r);
}

/* The stored file of question q: served to the atencion session cookie
 * with want_type, as an attachment or not, without the test files'
 * metadata; refused to planificacion (plan) and the public; linked from
 * the export. */
static void served(const fx_t *fx, const char *q, const char *cookie, const char *plan, const char *want_type,
                   bool attach)
{
    char sql[128], path[256];
    snprintf(sql, sizeof sql, "SELECT name FROM media WHERE question = '%s'", q);
    char *name = text(fx, sql);
    snprintf(path, sizeof path, "/api/v1/forms/archivos/media/%s", name);
    http_resp_t r;
    assert_int_equal(http_get(fx->srv.port, path, cookie, &r), 0);
    assert_int_equal(r.status, 200);
    char *ct = http_header(&r, "Content-Type"), *cd = http_header(&r, "Content-Disposition");
    assert_string_equal(ct, want_type);
    if (attach) {
        assert_non_null(cd);
        test_has(cd, "attachment");
    } else {
        assert_true(!cd || !strstr(cd, "attachment"));
    }
    assert_false(tj_has(r.body, r.body_len, TAV_SECRET, strlen(TAV_SECRET)));
    assert_false(tj_has(r.body, r.body_len, TAV_MODEL, strlen(TAV_MODEL)));
    free(ct);
    free(cd);
    http_resp_free(&r);
    assert_int_equal(get_status(fx, path, plan), 403);
    assert_int_equal(get_status(fx, path, NULL), 401);
    /* The export links it. */
    assert_int_equal(http_get(fx->srv.port, "/api/v1/forms/archivos/responses.csv", cookie, &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, path);
    http_resp_free(&r);
    free(name);
}

static void test_each_type_stored_and_served_to_staff_only(void **state)
{
    fx_t *fx = *state;
    buf_t mp3, mp4, pdf;
    buf_init(&mp3);
    buf_init(&mp4);
    buf_init(&pdf);
    tav_mp3(&mp3, 20);
    tav_mp4(&mp4, true, false, 4096);
    tav_pdf(&pdf);
    part_t files[] = { { "audio", mp3.data, mp3.len }, { "video", mp4.data, mp4.len },
                       { "doc", pdf.data, pdf.len } };
    http_resp_t r;
    post(fx, "/e/archivos?lang=es", "comentario=Ruido", files, 3, &r);
    if (r.status != 303) fail_msg("post: %d\n%.3000s", r.status, r.body);
    http_resp_free(&r);
    assert_int_equal(test_db_int(fx->srv.db, "SELECT count(*) FROM media"), 3);
    assert_int_equal(test_db_int(fx->srv.db, "SELECT count(*) FROM media m JOIN answers a ON a.response_id = m.response_id"
                                " AND a.question = m.question AND a.value = m.name"), 3);
    assert_int_equal(test_db_int(fx->srv.db, "SELECT count(*) FROM media WHERE question = 'audio' AND type = 'audio/mpeg'"
                                " AND name LIKE '%.mp3'"), 1);
    assert_int_equal(test_db_int(fx->srv.db, "SELECT count(*) FROM media WHERE question = 'video' AND type = 'video/mp4'"
                                " AND size = " "(SELECT size FROM media WHERE question = 'video')"), 1);
    assert_int_equal(test_db_int(fx->srv.db, "SELECT count(*) FROM media WHERE question = 'doc' AND type = 'application/pdf'"), 1);
    char cookie[256];
    char plan[256];
    assert_int_equal(staffsrv_session(&fx->srv, "ana", "atencion", cookie, sizeof cookie), 0);
    assert_int_equal(staffsrv_session(&fx->srv, "pl", "planificacion", plan, sizeof plan), 0);
    served(fx, "audio", cookie, plan, "audio/mpeg", false);
    served(fx, "video", cookie, plan, "video/mp4", false);
    served(fx, "doc", cookie, plan, "application/pdf", true);
    buf_free(&mp3);
    buf_free(&mp4);
    buf_free(&pdf);
}

static void test_wrong_type_is_422_beside_the_field(void **state)
{
    fx_t *fx = *state;
    buf_t exe, pdf, mp4;
    buf_init(&exe);
    buf_init(&pdf);
    buf_init(&mp4);
    tav_exe(&exe);
    tav_pdf(&pdf);
    tav_mp4(&mp4, true, false, 64);
    http_resp_t r;
    part_t a[] = { { "doc", exe.data, exe.len } };
    post(fx, "/e/archivos?lang=es", "comentario=x", a, 1, &r);
    assert_int_equal(r.status, 422);
    test_has(r.body, "id=e-doc>Aquí no se acepta este tipo de archivo");
    http_resp_free(&r);
    part_t b[] = { { "audio", pdf.data, pdf.len } };
    post(fx, "/e/archivos?lang=ht", "comentario=x", b, 1, &r);
    assert_int_equal(r.status, 422);
    test_has(r.body, "id=e-audio>Fichye sa a se pa yon anrejistreman odyo");
    http_resp_free(&r);
    /* A film is no recording; a CSV is not what body::accept takes. */
    part_t c[] = { { "audio", mp4.data, mp4.len }, { "doc", "a,b\n1,2\n", 8 } };
    post(fx, "/e/archivos?lang=es", "comentario=x", c, 2, &r);
    assert_int_equal(r.status, 422);
    test_has(r.body, "id=e-audio>Este archivo no es una grabación de audio");
    test_has(r.body, "id=e-doc>Aquí no se acepta");
    http_resp_free(&r);
    part_t d[] = { { "video", exe.data, exe.len } };
    post(fx, "/e/archivos?lang=ht", "comentario=x", d, 1, &r);
    assert_int_equal(r.status, 422);
    test_has(r.body, "id=e-video>Fichye sa a se pa yon videyo");
    http_resp_free(&r);
    assert_int_equal(test_db_int(fx->srv.db, "SELECT count(*) FROM responses"), 0);
    assert_int_equal(test_db_int(fx->srv.db, "SELECT count(*) FROM media"), 0);
    buf_free(&exe);
    buf_free(&pdf);
    buf_free(&mp4);
}

static void test_limits_per_type(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    /* A 12 MB film: over the 10 MB of a form with photos only, under a
     * video's 20 MB: stored. */
    buf_t v;
    buf_init(&v);
    tav_mp4(&v, true, false, 12u * 1024 * 1024);
    part_t ok[] = { { "video", v.data, v.len } };
    post(fx, "/e/archivos?lang=es", "comentario=grande", ok, 1, &r);
    if (r.status != 303) fail_msg("12 MB video: %d\n%.2000s", r.status, r.body);
    http_resp_free(&r);
    assert_int_equal(test_db_int(fx->srv.db, "SELECT count(*) FROM media WHERE question = 'video'"), 1);
    /* The same 12 MB as a recording (10 MB at most): 413, in Kreyòl. */
    part_t au[] = { { "audio", v.data, v.len } };
    post(fx, "/e/archivos?lang=ht", "comentario=x", au, 1, &r);
    assert_int_equal(r.status, 413);
    test_has(r.body, "Fichye a twò gwo");
    http_resp_free(&r);
    buf_free(&v);
    /* A 6 MB document (5 MB at most): 413, in Spanish. */
    buf_t d;
    buf_init(&d);
    tav_pdf(&d);
    while (d.len < 6u * 1024 * 1024) buf_puts(&d, "% relleno relleno relleno relleno relleno\n");
    part_t doc[] = { { "doc", d.data, d.len } };
    post(fx, "/e/archivos?lang=es", "comentario=x", doc, 1, &r);
    assert_int_equal(r.status, 413);
    test_has(r.body, "El archivo es demasiado grande");
    http_resp_free(&r);
    buf_free(&d);
    /* A body declared over the form's 24 MB: refused before it is read. */
    static const char huge[] = "POST /e/archivos?lang=es HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                               "multipart/form-data; boundary=x\r\nContent-Length: 26000000\r\n"
                               "Connection: close\r\n\r\n";
    assert_int_equal(http_raw(fx->srv.port, huge, sizeof huge - 1, &r), 0);
    assert_int_equal(r.status, 413);
    test_has(r.body, "El archivo es demasiado grande");
    http_resp_free(&r);
    assert_int_equal(test_db_int(fx->srv.db, "SELECT count(*) FROM responses"), 1);
    assert_int_equal(test_db_int(fx->srv.db, "SELECT count(*) FROM media"), 1);
}

static void test_case_page_plays_the_recording(void **state)
{
    fx_t *fx = *state;
    buf_t mp3;
    buf_init(&mp3);
    tav_mp3(&mp3, 8);
    part_t f[] = { { "audio", mp3.data, mp3.len } };
    http_resp_t r;
    post(fx, "/e/quejas?lang=es", "servicio=mercado&comentario_tipo=queja&comentario=Ruido", f, 1, &r);
    buf_free(&mp3);
    if (r.status != 303) fail_msg("post: %d\n%.3000s", r.status, r.body);
    char *loc = http_header(&r, "Location");
    http_resp_free(&r);
    char *c = strstr(loc, "c=");
    assert_non_null(c);
    char code[32];
    snprintf(code, sizeof code, "%.*s", (int)strcspn(c + 2, "&#"), c + 2);
    free(loc);
    char *name = text(fx, "SELECT name FROM media");
    char cookie[256], path[128], want[256];
    assert_int_equal(staffsrv_session(&fx->srv, "ana", "atencion", cookie, sizeof cookie), 0);
    snprintf(path, sizeof path, "/casos/%s", code);
    assert_int_equal(http_get(fx->srv.port, path, cookie, &r), 0);
    assert_int_equal(r.status, 200);
    snprintf(want, sizeof want, "<audio controls preload=metadata src=\"/api/v1/forms/quejas/media/%s\">", name);
    test_has(r.body, want);
    test_has(r.body, "Descargar archivo (mp3)");
    http_resp_free(&r);
    snprintf(path, sizeof path, "/seguimiento/%s", code);
    assert_int_equal(http_get(fx->srv.port, path, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, "/media/"));
    http_resp_free(&r);
    free(name);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_page_asks_for_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_type_stored_and_served_to_staff_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_type_is_422_beside_the_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits_per_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_page_plays_the_recording, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
