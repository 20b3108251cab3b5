/*
 * test_paper_pdf.c: the printed questionnaire as a person reads it
 * (issue 17, the paper leftovers of item 3): `buzon paper` writes the PDF
 * and pdftotext reads it back. The standard complaint form prints no
 * question about a photo or a place, nor the question asking consent for
 * them; a household form's repeat is printed once per person ("Persona
 * 2"), with three blocks and "si hay más, use otra hoja" when its count is
 * not a number, in Spanish and Kreyòl.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testcheck.h"
#include "testform.h"
#include "testsh.h"
#include "testsrv.h"

static char tmp[256];

static int setup(void **state)
{
    (void)state;
    return test_mkdtemp(tmp, sizeof tmp, "paper-pdf");
}

static int teardown(void **state)
{
    (void)state;
    return test_rmtree(tmp);
}

/* The text of the PDF `buzon paper <args>` writes to tmp/<name>.pdf
 * (caller frees). */
static char *paper_text(const char *name, const char *args)
{
    buf_t out, err;
    int rc = test_buzon(tmp, &out, &err, "paper %s -o '%s/%s.pdf'", args, tmp, name);
    if (rc != 0) fail_msg("buzon paper %s: %d\n%s", args, rc, err.data);
    buf_free(&out);
    buf_free(&err);
    rc = test_sh(tmp, &out, &err, "pdftotext -layout '%s/%s.pdf' -", tmp, name);
    if (rc != 0) fail_msg("pdftotext: %d\n%s", rc, err.data);
    buf_free(&err);
    return buf_steal(&out);
}

static void test_quejas_prints_no_photo_consent(void **state)
{
    (void)state;
    char args[600];
    snprintf(args, sizeof args, "quejas --forms '%s/forms' --lang es", test_root());
    char *t = paper_text("quejas", args);
    test_has(t, "¿Sobre qué servicio?");
    test_has(t, "¿Quiere que le respondamos personalmente?");
    test_lacks(t, "añadir una foto");
    test_lacks(t, "Foto del problema");
    test_lacks(t, "Lugar del problema");
    free(t);
}

static void test_repeat_prints_each_person(void **state)
{
    (void)state;
    char forms[400];
    snprintf(forms, sizeof forms, "%s/forms", tmp);
    char mk[500];
    snprintf(mk, sizeof mk, "mkdir -p '%s'", forms);
    assert_int_equal(test_sh(tmp, NULL, NULL, "%s", mk), 0);
    assert_int_equal(test_catalog_csvs(forms), 0);
    free(testform_write(forms, "hogar",
                        "type,name,label::Español (es),label::Kreyòl (ht),repeat_count\n"
                        "integer,n,¿Cuántas personas viven en la casa?,Konbyen moun ki rete lakay la?,\n"
                        "begin_repeat,persona,Persona,Moun,${n}\n"
                        "text,nombre_p,Nombre,Non,\n"
                        "end_repeat,persona,,,\n",
                        NULL, "form_id,version,default_language\nhogar,1,Español (es)\n"));
    char args[600];
    snprintf(args, sizeof args, "hogar --forms '%s' --lang es", forms);
    char *t = paper_text("hogar", args);
    test_has(t, "Persona 1");
    test_has(t, "Persona 2");
    test_has(t, "Persona 3");
    test_lacks(t, "Persona 4");
    test_has(t, "Si hay más, use otra hoja.");
    free(t);
    snprintf(args, sizeof args, "hogar --forms '%s' --lang ht", forms);
    t = paper_text("hogar-ht", args);
    test_has(t, "Moun 2");
    test_has(t, "Si gen plis, sèvi ak yon lòt fèy.");
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quejas_prints_no_photo_consent),
        cmocka_unit_test(test_repeat_prints_each_person),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
