/*
 * test_kreyol.c: a citizen who reads Kreyòl never meets the Spanish
 * interface. Every citizen page the real server renders with lang=ht (the
 * list of surveys, each survey alone and at each service point, the page
 * of an invalid answer, the thank-you page, the 400/404/405/413 pages, and
 * the 429/500/503 pages rendered directly) is reduced to what a visitor
 * reads or hears (text, and the title / aria-label / alt / placeholder
 * attributes, minus elements marked as another language, such as the
 * switch to "Español"), and none of strings_es[]'s texts may appear in it.
 * Texts that are the same in both languages are skipped (test_i18n allows
 * none today). tests/e2e/kreyol.test.mjs checks the same in a browser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/answers.h"
#include "base/buf.h"
#include "base/i18n.h"
#include "model/points.h"
#include "view/render.h"
#include "testsrv.h"

/* Longest survey id read off the index page, with its NUL. */
#define ID_MAX 65

static testsrv_t srv;

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

/* ---- what a page says ------------------------------------------------------ */

/* Append s[0..n) with the entities buf_html writes decoded. */
static void put_decoded(buf_t *out, const char *s, size_t n)
{
    static const struct { const char *ent; char c; } ents[] = {
        { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&#39;", '\'' },
    };
    for (size_t i = 0; i < n; i++) {
        bool done = false;
        for (size_t k = 0; s[i] == '&' && k < sizeof ents / sizeof ents[0] && !done; k++) {
            size_t el = strlen(ents[k].ent);
            if (i + el <= n && !memcmp(s + i, ents[k].ent, el)) {
                buf_putc(out, ents[k].c);
                i += el - 1;
                done = true;
            }
        }
        if (!done) buf_putc(out, s[i]);
    }
}

static bool name_is(const char *s, size_t n, const char *name)
{
    return strlen(name) == n && !strncasecmp(s, name, n);
}

/* Parse the start tag at p ('<' + name); append the values of the
 * attributes people read or hear to out, set *other_lang when it carries a
 * lang other than ht. Returns the position after '>'. */
static const char *start_tag(const char *p, buf_t *out, bool *other_lang)
{
    *other_lang = false;
    p += 1 + strcspn(p + 1, " \t\n/>");
    while (*p && *p != '>') {
        p += strspn(p, " \t\n/");
        const char *an = p;
        size_t anl = strcspn(p, " \t\n=>/");
        p += anl;
        if (*p != '=') continue;
        p++;
        const char *v;
        size_t vl;
        if (*p == '"' || *p == '\'') {
            char q = *p++;
            v = p;
            vl = strcspn(p, q == '"' ? "\"" : "'");
            p += vl + (p[vl] != '\0');
        } else {
            v = p;
            vl = strcspn(p, " \t\n>");
            p += vl;
        }
        if (name_is(an, anl, "lang") && !(vl >= 2 && !strncasecmp(v, "ht", 2)))
            *other_lang = true;
        if (name_is(an, anl, "title") || name_is(an, anl, "aria-label") ||
            name_is(an, anl, "alt") || name_is(an, anl, "placeholder")) {
            put_decoded(out, v, vl);
            buf_putc(out, '\n');
        }
    }
    return *p ? p + 1 : p;
}

/* The text of html a visitor reads or hears, one piece per line; elements
 * marked with another language are left out whole. Caller frees. */
static char *page_text(const char *html)
{
    buf_t out;
    buf_init(&out);
    const char *p = html;
    while (*p) {
        if (*p != '<') {
            size_t n = strcspn(p, "<");
            put_decoded(&out, p, n);
            p += n;
            continue;
        }
        if (p[1] == '/' || p[1] == '!') {
            p += strcspn(p, ">");
            p += *p == '>';
            buf_putc(&out, '\n');
            continue;
        }
        const char *name = p + 1;
        size_t nl = strcspn(name, " \t\n/>");
        bool other;
        p = start_tag(p, &out, &other);
        buf_putc(&out, '\n');
        if (other) {
            /* Skip to the matching end tag (same-name nesting counted). */
            int depth = 1;
            while (*p && depth) {
                const char *lt = strchr(p, '<');
                if (!lt) { p += strlen(p); break; }
                bool close = lt[1] == '/';
                const char *tn = lt + 1 + close;
                if (!strncasecmp(tn, name, nl) && strchr(" \t\n/>", tn[nl])) depth += close ? -1 : 1;
                p = lt + 1;
            }
            p += strcspn(p, ">");
            p += *p == '>';
        }
    }
    buf_putc(&out, '\0');
    return buf_steal(&out);
}

static bool is_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Whether the Spanish text es occurs in text; a text of one word only as a
 * whole word ("en", "y" and "o" are parts of many Kreyòl words). */
static bool contains(const char *text, const char *es)
{
    size_t n = strlen(es);
    bool one_word = !strpbrk(es, " \t\n");
    for (const char *p = text; (p = strstr(p, es)); p++) {
        if (!one_word) return true;
        if ((p == text || !is_letter((unsigned char)p[-1])) && !is_letter((unsigned char)p[n])) return true;
    }
    return false;
}

/* Every Spanish interface text in html, as "id \"text\"" lines appended to
 * found (empty when none). */
static void spanish_in(const char *html, buf_t *found)
{
    char *text = page_text(html);
    for (int i = 0; i < S_COUNT; i++) {
        if (!strcmp(strings_es[i], strings_ht[i])) continue;
        if (contains(text, strings_es[i])) buf_printf(found, "  strings_es[%d] \"%s\"\n", i, strings_es[i]);
    }
    free(text);
}

/* Fail with every Spanish text found in the page, naming it. */
static void assert_kreyol(const char *what, const char *html)
{
    assert_non_null(strstr(html, "<html lang=ht>"));
    buf_t found;
    buf_init(&found);
    spanish_in(html, &found);
    if (found.len) fail_msg("%s shows Spanish interface texts:\n%s", what, found.data);
    buf_free(&found);
}

/* GET path and check the page in Kreyòl with the expected status. */
static void get_kreyol(const char *path, const char *headers, int status)
{
    http_resp_t r;
    assert_int_equal(http_get(srv.port, path, headers, &r), 0);
    assert_int_equal(r.status, status);
    assert_kreyol(path, r.body);
    http_resp_free(&r);
}

static void request_kreyol(const char *what, const char *req, size_t len, int status)
{
    http_resp_t r;
    assert_int_equal(http_raw(srv.port, req, len, &r), 0);
    assert_int_equal(r.status, status);
    assert_kreyol(what, r.body);
    http_resp_free(&r);
}

/* The ids of the open surveys, from the links on the index page. */
static size_t survey_ids(char ids[][ID_MAX], size_t max)
{
    http_resp_t r;
    assert_int_equal(http_get(srv.port, "/?lang=ht", NULL, &r), 0);
    size_t n = 0;
    for (const char *p = r.body; n < max && (p = strstr(p, "href=\"/e/")); n++) {
        p += strlen("href=\"/e/");
        size_t l = strcspn(p, "?\"/");
        assert_true(l < ID_MAX);
        memcpy(ids[n], p, l);
        ids[n][l] = '\0';
    }
    http_resp_free(&r);
    return n;
}

/* ---- the check itself can fail ------------------------------------------ */

static void test_spanish_text_is_found(void **state)
{
    (void)state;
    buf_t found;
    buf_init(&found);
    spanish_in("<html lang=ht><p>Klike <b>Enviar respuestas</b></p>", &found);
    assert_non_null(strstr(found.data, "Enviar respuestas"));
    buf_free(&found);

    /* in an attribute a screen reader reads, too */
    buf_init(&found);
    spanish_in("<html lang=ht><abbr title=\"obligatoria\">*</abbr>", &found);
    assert_non_null(strstr(found.data, "obligatoria"));
    buf_free(&found);
}

static void test_other_language_parts_and_word_parts_are_not_spanish(void **state)
{
    (void)state;
    buf_t found;
    buf_init(&found);
    /* "Español" marked as Spanish; "en", "y", "o" inside Kreyòl words. */
    spanish_in("<html lang=ht><nav><a href=/ lang=es>Español</a></nav><p>Tanpri, yon lòt moun</p>", &found);
    assert_int_equal(found.len, 0);
    buf_free(&found);
}

/* ---- pages ---------------------------------------------------------------- */

static void test_index_in_kreyol(void **state)
{
    (void)state;
    get_kreyol("/?lang=ht", NULL, 200);
    /* Accept-Language alone also picks Kreyòl. */
    get_kreyol("/", "Accept-Language: ht-HT,ht;q=0.9\r\n", 200);
}

/* issue 13 item 11: a phone set to French (many Haitian phones are) gets
 * Kreyòl, on the survey, its thank-you page and the error pages. */
static void test_french_phone_gets_kreyol(void **state)
{
    (void)state;
    static const char *const accept[] = {
        "Accept-Language: fr\r\n", "Accept-Language: fr-FR,fr;q=0.9,en;q=0.8\r\n",
        "Accept-Language: fr-HT\r\n", "Accept-Language: ht\r\n",
    };
    for (size_t i = 0; i < sizeof accept / sizeof *accept; i++) {
        http_resp_t r;
        assert_int_equal(http_get(srv.port, "/e/satisfaccion", accept[i], &r), 0);
        assert_int_equal(r.status, 200);
        if (!strstr(r.body, "<html lang=ht>"))
            fail_msg("%s: not a Kreyòl page", accept[i]);
        assert_kreyol(accept[i], r.body);
        http_resp_free(&r);
        get_kreyol("/", accept[i], 200);
        get_kreyol("/e/no-such-form", accept[i], 404);
    }
}

static void test_every_survey_at_every_point_in_kreyol(void **state)
{
    (void)state;
    char ids[16][ID_MAX];
    size_t nforms = survey_ids(ids, 16);
    assert_true(nforms >= 3);
    points_t pts;
    diag_t d = { 0 };
    buf_t dir;
    buf_init(&dir);
    buf_printf(&dir, "%s/forms", test_root());
    assert_int_equal(points_load(dir.data, &pts, &d), 0);
    for (size_t i = 0; i < nforms; i++) {
        buf_t path;
        buf_init(&path);
        buf_printf(&path, "/e/%s?lang=ht", ids[i]);
        get_kreyol(path.data, NULL, 200);
        for (size_t k = 0; k < pts.npoints; k++) {
            path.len = 0;
            buf_printf(&path, "/e/%s?p=%s&lang=ht", ids[i], pts.points[k].id);
            get_kreyol(path.data, NULL, 200);
        }
        path.len = 0;
        buf_printf(&path, "/e/%s/gracias?lang=ht", ids[i]);
        get_kreyol(path.data, NULL, 200);
        buf_free(&path);
    }
    points_free(&pts);
    buf_free(&dir);
}

/* The page of an invalid answer: the summary and the messages beside the
 * fields (required, not a choice, too long), in Kreyòl. */
static void test_invalid_answer_page_in_kreyol(void **state)
{
    (void)state;
    buf_t body;
    buf_init(&body);
    buf_puts(&body, "_sid=kreyol00-0000-4000-8000-000000000001&satisfaccion=9&comentario_tipo=queja&comentario=");
    for (int i = 0; i < ANSWER_MAX_TEXT + 500; i++) buf_putc(&body, 'a');
    http_resp_t r;
    assert_int_equal(http_post(srv.port, "/e/satisfaccion?lang=ht", body.data, &r), 0);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.body, "id=e-servicio"));
    assert_non_null(strstr(r.body, "id=e-satisfaccion"));
    assert_non_null(strstr(r.body, "id=e-comentario"));
    assert_kreyol("422 /e/satisfaccion", r.body);
    http_resp_free(&r);
    buf_free(&body);
}

static void test_error_pages_in_kreyol(void **state)
{
    (void)state;
    get_kreyol("/e/no-such-survey?lang=ht", NULL, 404);
    get_kreyol("/no/such/page?lang=ht", NULL, 404);

    static const char bad[] = "POST /e/satisfaccion?lang=ht HTTP/1.1\r\nHost: x\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 14\r\n"
        "Connection: close\r\n\r\nsatisfaccion=%";
    request_kreyol("400", bad, sizeof bad - 1, 400);

    static const char put[] = "PUT /e/satisfaccion?lang=ht HTTP/1.1\r\nHost: x\r\n"
        "Content-Length: 0\r\nConnection: close\r\n\r\n";
    request_kreyol("405", put, sizeof put - 1, 405);

    /* Over the body limit (64 KiB). */
    size_t n = 200 * 1024;
    char *big = xmalloc(n + 1);
    memcpy(big, "comentario=", 11);
    memset(big + 11, 'a', n - 11);
    big[n] = '\0';
    http_resp_t r;
    assert_int_equal(http_post(srv.port, "/e/satisfaccion?lang=ht", big, &r), 0);
    assert_int_equal(r.status, 413);
    assert_kreyol("413", r.body);
    http_resp_free(&r);
    free(big);
}

/* A complaint's thank-you page with its tracking code, the case's public
 * status page it links to, the tracking form and an unknown code. */
static void test_tracking_pages_in_kreyol(void **state)
{
    (void)state;
    http_resp_t r;
    assert_int_equal(http_post(srv.port, "/e/quejas?p=mercado-municipal&lang=ht",
                               "_sid=kreyol00-0000-4000-8000-000000000002&comentario_tipo=queja"
                               "&comentario=Pa+gen+dlo&quiere_respuesta=no", &r), 0);
    assert_int_equal(r.status, 303);
    char *thanks = http_header(&r, "Location");
    http_resp_free(&r);
    assert_non_null(thanks);
    assert_non_null(strstr(thanks, "&c="));
    assert_int_equal(http_get(srv.port, thanks, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_kreyol(thanks, r.body);
    const char *link = strstr(r.body, "href=\"/seguimiento/");
    assert_non_null(link);
    link += strlen("href=\"");
    char *track = strndup(link, strcspn(link, "\""));
    http_resp_free(&r);
    for (char *p = track; (p = strstr(p, "&amp;")); ) memmove(p + 1, p + 5, strlen(p + 5) + 1);
    get_kreyol(track, NULL, 200);
    get_kreyol("/seguimiento?lang=ht", NULL, 200);
    get_kreyol("/seguimiento/ZZZZZZZZZ?lang=ht", NULL, 404);
    free(track);
    free(thanks);
}

/* Pages a test cannot easily provoke over HTTP, rendered directly. */
static void test_rare_error_pages_in_kreyol(void **state)
{
    (void)state;
    static const int statuses[] = { 429, 500, 503 };
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        buf_t b;
        buf_init(&b);
        render_error(&b, NULL, LANG_HT, statuses[i]);
        char what[16];
        snprintf(what, sizeof what, "%d page", statuses[i]);
        assert_kreyol(what, b.data);
        buf_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spanish_text_is_found),
        cmocka_unit_test(test_other_language_parts_and_word_parts_are_not_spanish),
        cmocka_unit_test(test_index_in_kreyol),
        cmocka_unit_test(test_french_phone_gets_kreyol),
        cmocka_unit_test(test_every_survey_at_every_point_in_kreyol),
        cmocka_unit_test(test_invalid_answer_page_in_kreyol),
        cmocka_unit_test(test_error_pages_in_kreyol),
        cmocka_unit_test(test_tracking_pages_in_kreyol),
        cmocka_unit_test(test_rare_error_pages_in_kreyol),
    };
    return cmocka_run_group_tests_name("kreyol", tests, setup, teardown);
}
