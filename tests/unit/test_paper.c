/*
 * test_paper.c: the paper questionnaire's layout (view/paper.h, issue 17
 * item 3): questions numbered in the form's order, a question asked after
 * one answer to the question before it turned into a skip instruction on
 * that question, other conditions in the no-JavaScript page's words, one
 * tick box per choice, digit and date boxes, page breaks with page numbers
 * and the short code on every page, and no colour anywhere.
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
#include "view/paper.h"
#include "testform.h"
#include "testsh.h"

static char *tmp_root;

static int group_setup(void **state)
{
    (void)state;
    tmp_root = xstrdup("/tmp/buzon-test-paper-XXXXXX");
    return mkdtemp(tmp_root) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    int rc = test_rmtree(tmp_root);
    free(tmp_root);
    return rc;
}

static const char SURVEY[] =
    "type,name,label::Español (es),label::Kreyòl (ht),relevant\n"
    "note,aviso,Ley 172-13: sus datos están protegidos.,Lwa 172-13: done ou pwoteje.,\n"
    "select_one sn,usa,¿Usa el mercado?,Èske ou itilize mache a?,\n"
    "select_one nota,nota_mercado,¿Qué nota le da?,Ki nòt ou ba li?,${usa} = 'si'\n"
    "text,porque,¿Por qué?,Poukisa?,${usa} = 'si'\n"
    "select_multiple dias,dias,¿Qué días va?,Ki jou ou ale?,\n"
    "integer,edad,Edad,Laj,${dias} != 'lunes' and ${usa} = 'no'\n"
    "date,fecha,Fecha,Dat,\n"
    "geopoint,lugar,Lugar,Kote,\n";
static const char CHOICES[] =
    "list_name,name,label::Español (es),label::Kreyòl (ht)\n"
    "sn,si,Sí,Wi\nsn,no,No,Non\n"
    "nota,1,Mala,Move\nnota,2,Regular,Konsa konsa\nnota,3,Buena,Bon\n"
    "dias,lunes,Lunes,Lendi\ndias,martes,Martes,Madi\ndias,sabado,Sábado,Samdi\n";
static const char SETTINGS[] = "form_id,form_title::Español (es),form_title::Kreyòl (ht),version,default_language\n"
                               "mercado,Encuesta del mercado,Sondaj mache a,2024.1,Español (es)\n";

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

static void free_pages(buf_t *pages, size_t n)
{
    for (size_t p = 0; p < n; p++) buf_free(&pages[p]);
    free(pages);
}

static void test_order_skips_boxes(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "mercado", SURVEY, CHOICES, SETTINGS);
    buf_t *pages;
    size_t n = paper_svg(&pages, f, NULL, LANG_ES, "http://buzon.test/q/ABC123");
    assert_int_equal(n, 2);   /* the date and the closing line on page 2 */
    buf_t all;
    buf_init(&all);
    for (size_t p = 0; p < n; p++) buf_append(&all, pages[p].data, pages[p].len + 1);
    buf_putc(&all, '\0');
    /* Pages NUL-separated: each searched on its own, then all in order. */
    assert_non_null(strstr(pages[1].data, ">Fecha<"));
    assert_non_null(strstr(pages[1].data, "Página 2 de 2"));
    for (size_t k = 0; k < all.len; k++)
        if (!all.data[k]) all.data[k] = '\n';
    const char *s = all.data;
    /* In order, numbered; the place (paper cannot take it) left out. */
    const char *aviso = strstr(s, "Ley 172-13"), *q1 = strstr(s, "¿Usa el mercado?"),
               *q2 = strstr(s, "¿Qué nota le da?"), *q3 = strstr(s, "¿Por qué?"),
               *q4 = strstr(s, "¿Qué días va?"), *q5 = strstr(s, ">Edad<"), *q6 = strstr(s, ">Fecha<");
    assert_non_null(aviso);
    assert_true(aviso < q1 && q1 < q2 && q2 < q3 && q3 < q4 && q4 < q5 && q5 < q6);
    assert_non_null(strstr(s, ">6.</text>"));
    assert_null(strstr(s, ">7.</text>"));
    assert_null(strstr(s, ">Lugar<"));
    /* Questions 2 and 3 asked only after «Sí» to 1: one skip on 1, past both. */
    assert_non_null(strstr(s, "Si respondió «No», pase a la pregunta 4."));
    assert_true(strstr(s, "pase a la pregunta 4") < q2);
    assert_int_equal(count(s, "Responda solo si"), 1);
    /* A condition on two questions: the no-JavaScript page's words. */
    assert_non_null(strstr(s, "Responda solo si en «¿Qué días va?» no respondió «Lunes» y en"));
    assert_non_null(strstr(s, "«¿Usa el mercado?»"));
    assert_non_null(strstr(s, "respondió «No».</text>"));
    assert_non_null(strstr(s, "Marque todas las que apliquen."));
    /* One box per choice: 2 + 3 + 3; 6 digits for the age, 8 for the date. */
    assert_int_equal(count(s, "class=\"choice\""), 8);
    assert_int_equal(count(s, "class=\"digit\""), 6 + 8);
    assert_non_null(strstr(s, "DD/MM/AAAA"));
    /* The code and the page number; no colour. */
    assert_non_null(strstr(s, "mercado-2024.1-todos-es"));
    assert_non_null(strstr(s, "Página 1 de 2"));
    assert_int_equal(count(s, "fill=\"#"), count(s, "fill=\"#000\"") + count(s, "fill=\"#fff\""));
    free_pages(pages, n);
    buf_free(&all);

    /* Kreyòl. */
    n = paper_svg(&pages, f, NULL, LANG_HT, "http://buzon.test/q/ABC123");
    assert_non_null(strstr(pages[0].data, "Si ou reponn «Non», ale nan kesyon 4."));
    assert_non_null(strstr(pages[0].data, "mercado-2024.1-todos-ht"));
    free_pages(pages, n);
    form_free(f);
}

/* Forty questions do not fit on a page: a question is never split, every
 * page says "Página i de n" and carries the code. */
static void test_page_breaks(void **state)
{
    (void)state;
    buf_t survey;
    buf_init(&survey);
    buf_puts(&survey, "type,name,label\n");
    for (int i = 1; i <= 40; i++) buf_printf(&survey, "select_one sn,p%d,Pregunta número %d\n", i, i);
    form_t *f = testform_load_ok(tmp_root, "larga", survey.data, "list_name,name,label\nsn,si,Sí\nsn,no,No\n",
                                 "form_id,version\nlarga,3\n");
    buf_t *pages;
    size_t n = paper_svg(&pages, f, NULL, LANG_ES, "http://buzon.test/q/ABC123");
    assert_true(n >= 4);
    int seen = 0;
    for (size_t p = 0; p < n; p++) {
        char want[64];
        snprintf(want, sizeof want, "Página %zu de %zu", p + 1, n);
        assert_non_null(strstr(pages[p].data, want));
        assert_non_null(strstr(pages[p].data, "larga-3-todos-es"));
        assert_non_null(strstr(pages[p].data, "</svg>"));
        /* Each question with both its boxes on the same page, in order. */
        for (int i = seen + 1; i <= 40; i++) {
            char num[32];
            snprintf(num, sizeof num, ">%d.</text>", i);
            const char *at = strstr(pages[p].data, num);
            if (!at) break;
            assert_true(count(at, "class=\"choice\"") >= 2);
            seen = i;
        }
        assert_int_equal(p == 0 ? 1 : 0, count(pages[p].data, "class=\"qr\""));
    }
    assert_int_equal(seen, 40);
    free_pages(pages, n);
    form_free(f);
    buf_free(&survey);
}

/* issue 17 (paper leftovers): a select that only asks consent for a photo
 * and a place (here a recording and a place, to be sure it is read
 * generically, not by name) is not printed, nor its group; a consent
 * question with a printed dependent stays. */
static void test_consent_for_unprintable_is_left_out(void **state)
{
    (void)state;
    static const char survey[] =
        "type,name,label,relevant\n"
        "text,queja,Cuéntenos,\n"
        "select_one sn,permiso_audio,¿Quiere grabar un audio o marcar el sitio?,\n"
        "begin_group,grabar,Audio y sitio,${permiso_audio} = 'si'\n"
        "audio,voz,Su voz,\n"
        "geopoint,sitio,El sitio,\n"
        "end_group,grabar,,\n"
        "select_one sn,permiso_foto,¿Quiere añadir una foto?,\n"
        "image,foto,La foto,${permiso_foto} = 'si'\n"
        "select_one sn,contacto_ok,¿Podemos llamarle?,\n"
        "text,telefono,Su teléfono,${contacto_ok} = 'si'\n"
        "image,foto2,Otra foto,${contacto_ok} = 'si'\n";
    form_t *f = testform_load_ok(tmp_root, "consent", survey, "list_name,name,label\nsn,si,Sí\nsn,no,No\n",
                                 "form_id,version\nconsent,1\n");
    buf_t *pages;
    size_t n = paper_svg(&pages, f, NULL, LANG_ES, "http://buzon.test/q/ABC123");
    assert_int_equal(n, 1);
    const char *p = pages[0].data;
    assert_null(strstr(p, "grabar un audio"));
    assert_null(strstr(p, "Audio y sitio"));
    assert_null(strstr(p, "añadir una foto"));
    assert_non_null(strstr(p, "Cuéntenos"));
    assert_non_null(strstr(p, "¿Podemos llamarle?"));   /* the phone is printed */
    assert_non_null(strstr(p, "Su teléfono"));
    /* numbered 1 to 3 with no gaps */
    assert_non_null(strstr(p, ">3.</text>"));
    assert_null(strstr(p, ">4.</text>"));
    free_pages(pages, n);
    form_free(f);
}

/* All pages' text as one string (caller frees). */
static char *all_pages(buf_t *pages, size_t n)
{
    buf_t all;
    buf_init(&all);
    for (size_t p = 0; p < n; p++) buf_puts(&all, pages[p].data);
    return buf_steal(&all);
}

/* issue 17 (paper leftovers): a repeat is printed once per instance: its
 * repeat_count when it is a number, else three blocks and where the others
 * go. */
static void test_repeat_blocks(void **state)
{
    (void)state;
    static const char survey[] =
        "type,name,label::Español (es),label::Kreyòl (ht),repeat_count\n"
        "integer,n,¿Cuántas personas viven en la casa?,Konbyen moun ki rete lakay la?,\n"
        "begin_repeat,persona,Persona,Moun,${n}\n"
        "text,nombre_p,Nombre,Non,\n"
        "integer,edad_p,Edad,Laj,\n"
        "end_repeat,persona,,,\n"
        "begin_repeat,visita,Visita,Vizit,2\n"
        "date,dia,Día,Jou,\n"
        "end_repeat,visita,,,\n";
    static const char settings[] =
        "form_id,version,default_language\nhogar,1,Español (es)\n";
    form_t *f = testform_load_ok(tmp_root, "hogar", survey, NULL, settings);
    buf_t *pages;
    size_t n = paper_svg(&pages, f, NULL, LANG_ES, "http://buzon.test/q/ABC123");
    char *all = all_pages(pages, n);
    assert_non_null(strstr(all, ">Persona 1<"));
    assert_non_null(strstr(all, ">Persona 2<"));
    assert_non_null(strstr(all, ">Persona 3<"));
    assert_null(strstr(all, ">Persona 4<"));
    assert_int_equal(count(all, ">Nombre<"), 3);
    assert_int_equal(count(all, "Si hay más, use otra hoja."), 1);
    assert_true(strstr(all, "Si hay más") > strstr(all, ">Persona 3<"));
    assert_true(strstr(all, "Si hay más") < strstr(all, ">Visita 1<"));
    assert_non_null(strstr(all, ">Visita 2<"));
    assert_null(strstr(all, ">Visita 3<"));
    assert_int_equal(count(all, ">Día<"), 2);
    free(all);
    free_pages(pages, n);
    n = paper_svg(&pages, f, NULL, LANG_HT, "http://buzon.test/q/ABC123");
    all = all_pages(pages, n);
    assert_non_null(strstr(all, ">Moun 2<"));
    assert_non_null(strstr(all, "Si gen plis, sèvi ak yon lòt fèy."));
    free(all);
    free_pages(pages, n);
    form_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_skips_boxes),
        cmocka_unit_test(test_page_breaks),
        cmocka_unit_test(test_consent_for_unprintable_is_left_out),
        cmocka_unit_test(test_repeat_blocks),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
