/*
 * test_render_entry.c (issue 17 follow-up): how the supervisor's
 * differences page says a value: a choice by its label in the page's
 * language (each label of a select_multiple), a date as DD/MM/AAAA, the
 * paper's date likewise, other values as stored.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/buf.h"
#include "model/form.h"
#include "view/render.h"
#include "view/render_entry.h"
#include "testcheck.h"
#include "testform.h"
#include "testsh.h"

static char *tmp_root;

static int group_setup(void **state)
{
    (void)state;
    tmp_root = xstrdup("/tmp/buzon-test-render-entry-XXXXXX");
    return mkdtemp(tmp_root) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    int rc = test_rmtree(tmp_root);
    free(tmp_root);
    return rc;
}

/* The value v of question name of f as shown in lang. Caller frees. */
static char *shown(const form_t *f, const char *name, lang_t lang, const char *v)
{
    buf_t b;
    buf_init(&b);
    render_entry_value(&b, f, name ? testform_q(f, name) : NULL, render_form_lang(f, lang), v);
    return b.data ? buf_steal(&b) : xstrdup("");
}

static void check(const form_t *f, const char *name, lang_t lang, const char *v, const char *want)
{
    char *got = shown(f, name, lang, v);
    assert_string_equal(got, want);
    free(got);
}

static void test_values_as_the_page_says_them(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "f",
                                 "type,name,label::Español (es),label::Kreyòl (ht)\n"
                                 "select_one tipo,tipo,Tipo,Kalite\n"
                                 "select_multiple lugar,lugar,Lugar,Kote\n"
                                 "date,dia,Día,Jou\n"
                                 "text,texto,Texto,Tèks\n",
                                 "list_name,name,label::Español (es),label::Kreyòl (ht)\n"
                                 "tipo,queja,Una queja,Yon plent\n"
                                 "tipo,sugerencia,Una sugerencia,Yon sijesyon\n"
                                 "lugar,cementerio,El cementerio,Simityè a\n"
                                 "lugar,mercado,El mercado,Mache a\n",
                                 "form_title,form_id,version,default_language\nF,f,1,Español (es)\n");
    check(f, "tipo", LANG_ES, "queja", "Una queja");
    check(f, "tipo", LANG_HT, "sugerencia", "Yon sijesyon");
    check(f, "lugar", LANG_HT, "cementerio mercado", "Simityè a, Mache a");
    check(f, "lugar", LANG_ES, "mercado", "El mercado");
    check(f, "tipo", LANG_ES, "otra", "otra");          /* no such choice: as stored */
    check(f, "dia", LANG_ES, "2024-03-16", "16/03/2024");
    check(f, NULL, LANG_HT, "2024-04-02", "02/04/2024"); /* the paper's date */
    check(f, "texto", LANG_ES, "queja", "queja");        /* text stays text */
    check(f, "tipo", LANG_ES, "", "");
    form_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_as_the_page_says_them),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
