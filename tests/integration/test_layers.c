/*
 * test_layers.c: `make layers` (tools/layers.sh) fails on each kind of
 * breach of the layers and passes a tree that keeps to them. Each test
 * writes a small tree of its own (LAYERS_ROOT) with one breach in it, so a
 * rule the script stopped checking fails here; the calls rule is tested
 * on objects compiled from that tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "testsh.h"
#include "testsrv.h"

static char tmp[64];

static int setup(void **state)
{
    (void)state;
    return test_mkdtemp(tmp, sizeof tmp, "layers");
}

static int teardown(void **state)
{
    (void)state;
    return test_rmtree(tmp);
}

/* Write text to <tmp>/tree/<path>, making its folders. */
static void put(const char *path, const char *text)
{
    assert_int_equal(test_sh(tmp, NULL, NULL, "mkdir -p \"$(dirname '%s/tree/%s')\"", tmp, path), 0);
    char full[256];
    snprintf(full, sizeof full, "%s/tree/%s", tmp, path);
    FILE *fp = fopen(full, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* A small tree that keeps every rule (8 files): a store header a
 * service uses, sqlite3.h in the store, microhttpd.h in http. */
static void clean_tree(void)
{
    assert_int_equal(test_sh(tmp, NULL, NULL, "rm -rf '%s/tree'", tmp), 0);
    put("src/base/buf.h", "int buf_len(void);\n");
    put("src/model/form.h", "#include \"base/buf.h\"\n");
    put("src/base/buf.c", "#include \"base/buf.h\"\nint buf_len(void) { return 1; }\n");
    put("src/store/store.h", "#include \"base/buf.h\"\nint store_get(void);\n");
    put("src/store/store_int.h", "int store_private(void);\n");
    put("src/store/store.c", "#include <sqlite3.h>\n#include \"store/store.h\"\n"
                             "#include \"store/store_int.h\"\n"
                             "int store_get(void) { return buf_len(); }\n");
    put("src/service/svc.c", "#include \"store/store.h\"\nint svc(void) { return store_get(); }\n");
    put("src/http/http.c", "#include <microhttpd.h>\nint http(void) { return 0; }\n");
}

/* Run the script on the tree (with the objects of build/ when objs):
 * its exit status; its output in out (caller frees). */
static int layers(buf_t *out, bool objs)
{
    return test_sh(tmp, out, NULL, "LAYERS_ROOT='%s/tree' '%s/tools/layers.sh' %s 2>&1", tmp,
                   test_root(), objs ? "build" : "");
}

static void assert_breach(const char *path, const char *text, const char *message)
{
    clean_tree();
    put(path, text);
    buf_t out;
    int rc = layers(&out, false);
    if (rc != 1 || !strstr(out.data, message))
        fail_msg("%s: expected exit 1 and \"%s\", got %d:\n%s", path, message, rc, out.data);
    buf_free(&out);
}

static void test_a_tree_that_keeps_the_rules_passes(void **state)
{
    (void)state;
    clean_tree();
    buf_t out;
    assert_int_equal(layers(&out, false), 0);
    assert_non_null(strstr(out.data, "layers: ok (8 files)"));
    buf_free(&out);
}

static void test_an_include_of_a_higher_layer_fails(void **state)
{
    (void)state;
    assert_breach("src/model/form.c", "#include \"store/store.h\"\n",
                  "src/model/form.c:1: model/ may not include store/");
    assert_breach("src/view/page.c", "\n#include \"store/store.h\"\n",
                  "src/view/page.c:2: view/ may not include store/");
    assert_breach("src/http/h.c", "#include \"store/store.h\"\n",
                  "src/http/h.c:1: http/ may not include store/");
    assert_breach("src/base/x.h", "#include \"model/form.h\"\n", "base/ may not include model/");
}

static void test_sqlite_outside_the_store_fails(void **state)
{
    (void)state;
    assert_breach("src/cli/backup.c", "#include <sqlite3.h>\n",
                  "src/cli/backup.c:1: <sqlite3.h> outside src/store/");
}

static void test_microhttpd_outside_http_fails(void **state)
{
    (void)state;
    assert_breach("src/service/s.c", "#  include <microhttpd.h>\n",
                  "src/service/s.c:1: <microhttpd.h> outside src/http/");
}

static void test_a_workbook_outside_the_views_fails(void **state)
{
    (void)state;
    assert_breach("src/http/export.c", "#include <xlsxwriter.h>\n",
                  "src/http/export.c:1: <xlsxwriter.h> outside src/view/");
}

static void test_a_private_header_of_another_folder_fails(void **state)
{
    (void)state;
    assert_breach("src/service/t.c", "#include \"store/store_int.h\"\n",
                  "\"store/store_int.h\" is private to src/store/");
}

static void test_an_include_without_its_layer_or_outside_a_layer_fails(void **state)
{
    (void)state;
    assert_breach("src/store/q.c", "#include \"store.h\"\n", "name the header's layer");
    assert_breach("src/misc.c", "int x;\n", "not in a layer folder");
    assert_breach("src/model/a.c", "#include \"model/nothing.h\"\n", "does not exist");
}

/* A call written against a hand-made declaration is caught on the
 * objects, where the includes say nothing. */
static void test_a_call_up_the_layers_fails_on_the_objects(void **state)
{
    (void)state;
    clean_tree();
    put("src/model/m.c", "int store_get(void);\nint model_uses_store(void) { return store_get(); }\n");
    buf_t out;
    assert_int_equal(layers(&out, false), 0);   /* the includes are clean */
    buf_free(&out);
    assert_int_equal(test_sh(tmp, NULL, NULL,
                             "cd '%s/tree' && for f in src/model/m.c src/store/store.c; do "
                             "mkdir -p build/$(dirname $f) && "
                             "sed '/#include/d' $f | cc -x c -c - -o build/${f%%.c}.o || exit 1; done",
                             tmp), 0);
    assert_int_equal(layers(&out, true), 1);
    assert_non_null(strstr(out.data, "src/model/m.c:0: calls store_get of store/"));
    buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_tree_that_keeps_the_rules_passes),
        cmocka_unit_test(test_an_include_of_a_higher_layer_fails),
        cmocka_unit_test(test_sqlite_outside_the_store_fails),
        cmocka_unit_test(test_microhttpd_outside_http_fails),
        cmocka_unit_test(test_a_workbook_outside_the_views_fails),
        cmocka_unit_test(test_a_private_header_of_another_folder_fails),
        cmocka_unit_test(test_an_include_without_its_layer_or_outside_a_layer_fails),
        cmocka_unit_test(test_a_call_up_the_layers_fails_on_the_objects),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
