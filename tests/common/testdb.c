/*
 * testdb.c: see testdb.h.
 */
#include "testdb.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "testsh.h"

void test_db_open(test_db_t *t)
{
    char err[256];
    assert_int_equal(test_mkdtemp(t->dir, sizeof t->dir, "db"), 0);
    snprintf(t->path, sizeof t->path, "%s/b.db", t->dir);
    t->s = store_open(t->path, err, sizeof err);
    if (!t->s) fail_msg("store_open: %s", err);
    assert_int_equal(store_form_version(t->s, "quejas", "1", "h", "src", &t->fv), STORE_OK);
}

void test_db_close(test_db_t *t)
{
    store_close(t->s);
    t->s = NULL;
    assert_int_equal(test_rmtree(t->dir), 0);
}
