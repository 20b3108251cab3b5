/*
 * test_share_http.c (issue 17 items 2 and 7), over HTTP on the real
 * server: /favicon.ico is an icon (it was a 404), /manifest.webmanifest
 * is valid JSON of type application/manifest+json in the browser's
 * language, every page links the icon and all but survey pages the
 * manifest, a survey page fetched for a link preview (WhatsApp's or
 * Facebook's User-Agent) carries Open Graph tags under --base-url and
 * the one a phone gets does not, the survey list carries the
 * hidden "on this phone" section and the script, a long form (a repeat)
 * carries the draft attributes and a standard survey and the staff
 * preview do not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testcheck.h"
#include "testform.h"
#include "testsh.h"
#include "testsrv.h"

typedef struct fx {
    testsrv_t srv;
    char dir[256];
    char forms[300];
} fx_t;

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    if (test_mkdtemp(fx->dir, sizeof fx->dir, "share") != 0) return -1;
    snprintf(fx->forms, sizeof fx->forms, "%s/forms", fx->dir);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/hogar", fx->forms);
    if (mkdir(fx->forms, 0700) != 0 || mkdir(dir, 0700) != 0) return -1;
    testform_write_file(dir, "survey.csv", "type,name,label\ntext,sector,Sector\nbegin_repeat,persona,Persona\n"
                                           "text,nombre,Nombre\nend_repeat,,\n");
    testform_write_file(dir, "settings.csv", "form_title,form_id\nHogar,hogar\n");
    snprintf(dir, sizeof dir, "%s/corta", fx->forms);
    if (mkdir(dir, 0700) != 0) return -1;
    testform_write_file(dir, "survey.csv", "type,name,label\ntext,a,A\ntext,b,B\n");
    testform_write_file(dir, "settings.csv", "form_title,form_id\nCorta,corta\n");
    if (test_catalog_csvs(fx->forms) != 0) return -1;
    *state = fx;
    static const char *const args[] = { "--base-url", "https://buzon.example.gob.do", NULL };
    return testsrv_start(&fx->srv, fx->forms, args);
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    int rc = testsrv_stop(&fx->srv);
    test_rmtree(fx->dir);
    free(fx);
    return rc == 0 ? 0 : -1;
}

static void type_is(const http_resp_t *r, const char *want)
{
    char *v = http_header(r, "Content-Type");
    assert_non_null(v);
    assert_string_equal(v, want);
    free(v);
}

static void test_favicon_and_manifest(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    assert_int_equal(http_get(fx->srv.port, "/favicon.ico", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    type_is(&r, "image/x-icon");
    assert_true(r.body_len > 22 && !memcmp(r.body, "\0\0\1\0", 4));
    http_resp_free(&r);
    assert_int_equal(http_get(fx->srv.port, "/manifest.webmanifest", "Accept-Language: ht\r\n", &r), 0);
    assert_int_equal(r.status, 200);
    type_is(&r, "application/manifest+json");
    /* session 23: chosen by Accept-Language (no cookie is read), so a
     * cache must not give one browser's language to another */
    char *vary = http_header(&r, "Vary");
    assert_non_null(vary);
    assert_string_equal(vary, "Accept-Encoding, Accept-Language");
    free(vary);
    json_error_t e;
    json_t *m = json_loads(r.body, 0, &e);
    assert_non_null(m);
    assert_string_equal(json_string_value(json_object_get(m, "name")), "Bwat lèt sitwayen");
    json_t *icons = json_object_get(m, "icons");
    for (size_t i = 0; i < json_array_size(icons); i++) {
        http_resp_t ic;
        const char *src = json_string_value(json_object_get(json_array_get(icons, i), "src"));
        assert_int_equal(http_get(fx->srv.port, src, NULL, &ic), 0);
        assert_int_equal(ic.status, 200);
        type_is(&ic, json_string_value(json_object_get(json_array_get(icons, i), "type")));
        http_resp_free(&ic);
    }
    json_decref(m);
    http_resp_free(&r);
}

static void test_pages(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    /* a phone: the icon, no manifest (the page's 14 KB), no Open Graph tags */
    assert_int_equal(http_get(fx->srv.port, "/e/hogar", "User-Agent: Mozilla/5.0 (Linux; Android 10)\r\n", &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "</title><link rel=icon href=/s/icon.svg><link rel=stylesheet");
    test_lacks(r.body, "og:");
    test_has(r.body, " data-draft=\"Continuar después\"");
    http_resp_free(&r);
    /* WhatsApp's preview: the tags, with the public address */
    assert_int_equal(http_get(fx->srv.port, "/e/hogar", "User-Agent: WhatsApp/2.23.20.0 A\r\n", &r), 0);
    assert_int_equal(r.status, 200);
    test_has(r.body, "<title>Hogar</title><meta property=og:title content=\"Hogar\">");
    test_has(r.body, "<meta property=og:url content=\"https://buzon.example.gob.do/e/hogar\">");
    test_has(r.body, "<meta property=og:image content=\"https://buzon.example.gob.do/s/og.png\">");
    test_has(r.body, " data-draft=\"Continuar después\"");
    http_resp_free(&r);
    assert_int_equal(http_get(fx->srv.port, "/e/corta?lang=ht", "User-Agent: facebookexternalhit/1.1\r\n", &r), 0);
    test_has(r.body, "<meta property=og:url content=\"https://buzon.example.gob.do/e/corta\">");
    test_has(r.body, "<meta property=og:description content=\"Reponn nan yon minit");
    test_lacks(r.body, "data-draft");
    http_resp_free(&r);
    /* session 23 (one pass over the User-Agent): a name anywhere in it,
     * in any case, and the page a phone gets when no name is whole */
    assert_int_equal(http_get(fx->srv.port, "/e/hogar",
                              "User-Agent: Mozilla/5.0 (compatible; BINGbot/2.0; +http://www.bing.com)\r\n", &r), 0);
    test_has(r.body, "<meta property=og:title content=\"Hogar\">");
    http_resp_free(&r);
    assert_int_equal(http_get(fx->srv.port, "/e/hogar",
                              "User-Agent: Mozilla/5.0 (Linux; Android 14) Whatsap Viby Facebo Slack bot\r\n", &r), 0);
    test_lacks(r.body, "og:");
    test_has(r.body, " data-draft=\"Continuar después\"");
    http_resp_free(&r);
    assert_int_equal(http_get(fx->srv.port, "/", NULL, &r), 0);
    test_has(r.body, "<section id=mine hidden");
    test_has(r.body, "<script src=/s/buzon.js defer>");
    test_has(r.body, "<link rel=manifest href=/manifest.webmanifest>");
    test_lacks(r.body, "og:title");
    http_resp_free(&r);
    assert_int_equal(http_get(fx->srv.port, "/login", NULL, &r), 0);
    test_has(r.body, "<link rel=manifest href=/manifest.webmanifest>");
    test_lacks(r.body, "og:title");
    test_lacks(r.body, "id=mine");
    http_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_favicon_and_manifest),
        cmocka_unit_test(test_pages),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
