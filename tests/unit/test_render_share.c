/*
 * test_render_share.c (issue 17 items 2 and 7): the "long form" rule that
 * decides which surveys offer "continue later" (a repeat, or more than
 * RENDER_LONG_FORM questions a person answers; notes, groups,
 * calculations and hidden fields not counted; the standard surveys are
 * not long), the draft attributes only a long form carries, the list
 * page's hidden section, the Open Graph tags (none before the base
 * address is known; absolute addresses after) and the web manifest (valid
 * JSON, in the page's language, icons 192 and 512).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "base/buf.h"
#include "base/diag.h"
#include "model/form.h"
#include "view/render_share.h"
#include "testcheck.h"
#include "testform.h"
#include "testsh.h"
#include "testsrv.h"

static char *tmp_root;

static int group_setup(void **state)
{
    (void)state;
    tmp_root = xstrdup("/tmp/buzon-test-share-XXXXXX");
    return mkdtemp(tmp_root) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    render_share_base(NULL);
    int rc = test_rmtree(tmp_root);
    free(tmp_root);
    return rc;
}

/* A form of n text questions, with a note, a group and a calculation
 * that do not count. Caller frees. */
static form_t *form_of(const char *sub, int n)
{
    buf_t s;
    buf_init(&s);
    buf_puts(&s, "type,name,label,calculation\nnote,hola,Hola,\nbegin_group,g,G,\n");
    for (int i = 0; i < n; i++) buf_printf(&s, "text,q%d,Q%d,\n", i, i);
    buf_puts(&s, "end_group,,,\ncalculate,c,,1 + 1\n");
    form_t *f = testform_load_ok(tmp_root, sub, s.data, NULL, NULL);
    buf_free(&s);
    return f;
}

static void test_long_form_rule(void **state)
{
    (void)state;
    form_t *f = form_of("at", RENDER_LONG_FORM);
    assert_false(render_long_form(f));
    buf_t o;
    buf_init(&o);
    render_draft_attrs(&o, LANG_ES, f);
    assert_int_equal(o.len, 0);
    form_free(f);
    f = form_of("over", RENDER_LONG_FORM + 1);
    assert_true(render_long_form(f));
    render_draft_attrs(&o, LANG_HT, f);
    test_has(o.data, " data-draft=\"Kontinye pita\"");
    test_has(o.data, " data-draft-drop=\"Jete\"");
    test_has(o.data, " data-v=");
    form_free(f);
    buf_free(&o);
    /* one repeat is enough */
    f = testform_load_ok(tmp_root, "rep", "type,name,label\nbegin_repeat,p,P\ntext,n,N\nend_repeat,,\n", NULL, NULL);
    assert_true(render_long_form(f));
    form_free(f);
    /* the standard surveys are a minute's work: none is long */
    static const char *const std[] = { "satisfaccion", "accesibilidad", "agilidad", "quejas" };
    for (size_t i = 0; i < sizeof std / sizeof std[0]; i++) {
        char dir[512];
        snprintf(dir, sizeof dir, "%s/forms/%s", test_root(), std[i]);
        diag_t d = {0};
        form_t *g = form_load(dir, &d);
        assert_non_null(g);
        assert_false(render_long_form(g));
        form_free(g);
        diag_free(&d);
    }
}

static void test_mine_and_share(void **state)
{
    (void)state;
    buf_t o;
    buf_init(&o);
    render_mine(&o, LANG_ES);
    test_has(o.data, "<section id=mine hidden");
    test_has(o.data, "data-refused=\"No aceptada:\"");
    test_has(o.data, "<h2>En este teléfono</h2>");
    buf_free(&o);
    buf_init(&o);
    render_share_base(NULL);
    render_share_head(&o, LANG_ES, "T", "/e/x?");
    assert_int_equal(o.len, 0);
    render_share_base("https://buzon.example.gob.do");
    render_share_head(&o, LANG_HT, "A \"b\" & c", "/e/x?p=mercado&");
    test_has(o.data, "<meta property=og:title content=\"A &quot;b&quot; &amp; c\">");
    test_has(o.data, "<meta property=og:image content=\"https://buzon.example.gob.do/s/og.png\">");
    test_has(o.data, "<meta property=og:url content=\"https://buzon.example.gob.do/e/x?p=mercado\">");
    test_has(o.data, "Lameri Bánica");
    buf_free(&o);
    /* spliced after the page's title; a page without one as it is */
    form_t *f = testform_load_ok(tmp_root, "t", "type,name,label\ntext,a,A\n",
                                 NULL, "form_title,form_id\nTítulo,t\n");
    static const char page[] = "<head><title>x</title><link></head>";
    buf_init(&o);
    render_share_splice(&o, page, sizeof page - 1, f, NULL, LANG_ES);
    test_has(o.data, "<title>x</title><meta property=og:title content=\"Título\">");
    test_has(o.data, "og:url content=\"https://buzon.example.gob.do/e/t\"><link></head>");
    buf_free(&o);
    buf_init(&o);
    render_share_splice(&o, "<p>", 3, f, NULL, LANG_ES);
    assert_string_equal(o.data, "<p>");
    buf_free(&o);
    form_free(f);
}

static void test_manifest(void **state)
{
    (void)state;
    buf_t o;
    buf_init(&o);
    render_manifest(&o, LANG_HT);
    json_error_t e;
    json_t *m = json_loads(o.data, 0, &e);
    assert_non_null(m);
    assert_string_equal(json_string_value(json_object_get(m, "name")), "Bwat lèt sitwayen");
    assert_string_equal(json_string_value(json_object_get(m, "display")), "standalone");
    assert_string_equal(json_string_value(json_object_get(m, "start_url")), "/");
    json_t *icons = json_object_get(m, "icons");
    assert_int_equal(json_array_size(icons), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(icons, 0), "sizes")), "192x192");
    assert_string_equal(json_string_value(json_object_get(json_array_get(icons, 1), "sizes")), "512x512");
    json_decref(m);
    buf_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long_form_rule),
        cmocka_unit_test(test_mine_and_share),
        cmocka_unit_test(test_manifest),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
