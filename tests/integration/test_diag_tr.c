/*
 * test_diag_tr.c: every message format the loaders give diag_add has its
 * Spanish, Kreyòl and French line (tools/check-diag-tr.py reads the
 * sources and the three tables), so a new check never shows a planner an
 * English line on /formularios. The translations' conversions are checked
 * against the English ones in test_diag_i18n.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "testsh.h"
#include "testsrv.h"

static void test_every_format_is_translated(void **state)
{
    (void)state;
    char dir[256];
    assert_int_equal(test_mkdtemp(dir, sizeof dir, "diagtr"), 0);
    buf_t out;
    int rc = test_sh(dir, &out, NULL, "python3 '%s/tools/check-diag-tr.py' '%s'", test_root(), test_root());
    if (rc != 0) fail_msg("untranslated diag_add formats (add them to diag_tr_es/ht/fr):\n%s", out.data);
    buf_free(&out);
    test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_format_is_translated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
