/*
 * test_paper_sheet.c: the paper questionnaire's fixes of issue 17 (a
 * clerk's walk-through): a skip sends the reader past every following
 * question that cannot apply after that answer (a chain of consents, a
 * group asked only after it), not just past the first run; the numbers it
 * names are the printed ones (questions paper cannot take leave no gap);
 * every sheet has a line for the date it is written ("Fecha:" and
 * DD/MM/AAAA boxes) near the top; a complaint sheet has a box for the
 * tracking code staff write on it and a tear-off stub with the same box
 * and the /seguimiento address, in Spanish and Kreyòl.
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
#include "model/paper_q.h"
#include "view/paper.h"
#include "testform.h"
#include "testsh.h"

static char *tmp_root;

static int group_setup(void **state)
{
    (void)state;
    tmp_root = xstrdup("/tmp/buzon-test-paper-sheet-XXXXXX");
    return mkdtemp(tmp_root) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    int rc = test_rmtree(tmp_root);
    free(tmp_root);
    return rc;
}

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

/* All pages' text as one string (caller frees); pages freed. */
static char *all_pages(buf_t *pages, size_t n)
{
    buf_t all;
    buf_init(&all);
    for (size_t p = 0; p < n; p++) {
        buf_puts(&all, pages[p].data);
        buf_free(&pages[p]);
    }
    free(pages);
    return buf_steal(&all);
}

static char *sheet(const form_t *f, lang_t lang, size_t *n)
{
    buf_t *pages;
    *n = paper_svg(&pages, f, NULL, lang, "http://buzon.test/q/ABC123");
    assert_true(*n >= 1);
    return all_pages(pages, *n);
}

/* The complaint form's shape: 4 asks for an answer, 5 is asked after
 * «Sí» to 4, 6 and 7 after «Sí» to 5; a photo consent (left out) before
 * 4. «No» to 4 goes to 8, past 5, 6 and 7; «No» to 5 to 8 as well. */
static const char QUEJA[] =
    "type,name,label::Español (es),label::Kreyòl (ht),relevant\n"
    "select_one tipo,comentario_tipo,¿Qué nos quiere decir?,Kisa ou vle di nou?,\n"
    "text,comentario,Cuéntenos,Rakonte nou,\n"
    "text,donde,¿Dónde?,Ki kote?,\n"
    "select_one sn,foto_consent,¿Quiere añadir una foto?,Foto?,\n"
    "begin_group,fotos,Foto,Foto,${foto_consent} = 'si'\n"
    "image,foto,Foto,Foto,\n"
    "end_group,fotos,,,\n"
    "select_one sn,quiere_respuesta,¿Quiere que le respondamos?,Èske ou vle nou reponn ou?,"
    "${comentario_tipo} = 'queja' or ${comentario_tipo} = 'sugerencia'\n"
    "select_one sn,contacto_consent,¿Acepta dar su contacto?,Èske ou dakò?,${quiere_respuesta} = 'si'\n"
    "text,contacto_nombre,Su nombre,Non ou,${contacto_consent} = 'si'\n"
    "text,contacto_telefono,Su teléfono,Telefòn ou,${contacto_consent} = 'si'\n"
    "begin_group,demo,Sobre usted,Sou ou,\n"
    "select_one sn,sexo_f,¿Es mujer?,Èske ou se fanm?,\n"
    "end_group,demo,,,\n";
static const char QUEJA_CHOICES[] =
    "list_name,name,label::Español (es),label::Kreyòl (ht)\n"
    "sn,si,Sí,Wi\nsn,no,No,Non\n"
    "tipo,queja,Una queja,Yon plent\ntipo,sugerencia,Una sugerencia,Yon sijesyon\n"
    "tipo,elogio,Una felicitación,Yon konpliman\n";
/* The complaint form in its own folder sub (one per test). */
static form_t *queja(const char *sub)
{
    buf_t settings;
    buf_init(&settings);
    buf_printf(&settings, "form_id,form_title::Español (es),form_title::Kreyòl (ht),version,default_language\n"
                          "%s,Quejas,Plent,1,Español (es)\n", sub);
    form_t *f = testform_load_ok(tmp_root, sub, QUEJA, QUEJA_CHOICES, settings.data);
    buf_free(&settings);
    return f;
}

static void test_skip_goes_past_every_dependent(void **state)
{
    (void)state;
    form_t *f = queja("quejas_a");
    size_t n;
    char *s = sheet(f, LANG_ES, &n);
    /* Numbered without a gap for the photo and its consent. */
    assert_non_null(strstr(s, ">8.</text>"));
    assert_null(strstr(s, ">9.</text>"));
    assert_null(strstr(s, "añadir una foto"));
    const char *q4 = strstr(s, "¿Quiere que le respondamos?"), *q5 = strstr(s, "¿Acepta dar su contacto?");
    assert_non_null(q4);
    assert_non_null(q5);
    const char *skip4 = strstr(q4, "→ Si respondió «No», pase a la pregunta");
    assert_non_null(skip4);
    assert_true(skip4 < q5);
    assert_non_null(strstr(skip4, "pase a la pregunta 8."));
    assert_true(strstr(skip4, "pase a la pregunta 8.") < q5);
    assert_null(strstr(s, "pase a la pregunta 6"));
    assert_non_null(strstr(q5, "Si respondió «No», pase a la pregunta 8."));
    /* 4's own condition (two answers of 1) keeps its words; 5 to 7 none. */
    assert_int_equal(count(s, "Responda solo si"), 1);
    free(s);

    s = sheet(f, LANG_HT, &n);
    assert_int_equal(count(s, "Si ou reponn «Non», ale nan kesyon 8."), 2);
    assert_null(strstr(s, "ale nan kesyon 6"));
    free(s);
    form_free(f);
}

/* A run stops at a question the skipping answer leads to (asked after
 * «No»), a group asked after «Sí» is passed whole, and a question that
 * needs «Sí» and something else keeps its own words. */
static void test_skip_stops_and_groups(void **state)
{
    (void)state;
    static const char survey[] =
        "type,name,label,relevant\n"
        "select_one sn,usa,¿Usa el mercado?,\n"
        "begin_group,uso,El uso,${usa} = 'si'\n"
        "text,que_compra,¿Qué compra?,\n"
        "text,cuanto,¿Cuánto gasta?,\n"
        "end_group,uso,,\n"
        "text,nota,¿Qué le falta?,${usa} = 'si' and ${que_compra} = 'x'\n"
        "text,por_que_no,¿Por qué no lo usa?,${usa} = 'no'\n"
        "text,fin,Comentario,\n";
    form_t *f = testform_load_ok(tmp_root, "uso", survey, "list_name,name,label\nsn,si,Sí\nsn,no,No\n",
                                 "form_id,version\nuso,1\n");
    size_t n;
    char *s = sheet(f, LANG_ES, &n);
    /* 1 usa, 2-3 in the group, 4 nota, 5 por_que_no: «No» goes to 5. */
    assert_non_null(strstr(s, "Si respondió «No», pase a la pregunta 5."));
    assert_int_equal(count(s, "pase a la pregunta"), 1);
    /* nota's condition names que_compra too: still written under it. */
    assert_non_null(strstr(strstr(s, "¿Qué le falta?"), "Responda solo si"));
    /* por_que_no (asked after «No») keeps its words: not explained. */
    assert_non_null(strstr(strstr(s, "¿Por qué no lo usa?"), "Responda solo si"));
    free(s);
    form_free(f);
}

/* The date line near the top of every sheet; a complaint sheet's code
 * box at the top and its stub at the foot, with the follow-up address. */
static void test_date_line_code_box_and_stub(void **state)
{
    (void)state;
    form_t *f = queja("quejas_b");
    assert_true(paper_opens_case(f));
    buf_t *pages;
    size_t n = paper_svg(&pages, f, NULL, LANG_ES, "https://buzon.banica.gob.do/q/ABC123");
    const char *p1 = pages[0].data, *last = pages[n - 1].data;
    const char *date = strstr(p1, ">Fecha:<");
    assert_non_null(date);
    assert_true(date < strstr(p1, "¿Qué nos quiere decir?"));
    assert_int_equal(count(p1, "class=\"written\""), 8);   /* DD MM AAAA */
    assert_non_null(strstr(date, "DD/MM/AAAA"));
    const char *box1 = strstr(p1, "Código de su caso (lo escribe el personal):");
    assert_non_null(box1);
    assert_true(box1 < strstr(p1, "¿Qué nos quiere decir?"));
    /* The stub: after the closing line, at the foot of the last page. */
    const char *stub = strstr(last, "class=\"stub\"");
    assert_non_null(stub);
    assert_true(strstr(last, "entregue esta hoja") < stub);
    assert_non_null(strstr(stub, "Corte aquí"));
    assert_non_null(strstr(stub, "Código de su caso (lo escribe el personal):"));
    assert_non_null(strstr(stub, "https://buzon.banica.gob.do/seguimiento"));
    assert_int_equal(count(stub, "class=\"casecode\""), 1);
    char *s = all_pages(pages, n);
    assert_int_equal(count(s, "class=\"casecode\""), 2);
    free(s);

    n = paper_svg(&pages, f, NULL, LANG_HT, "https://buzon.banica.gob.do/q/ABC123");
    s = all_pages(pages, n);
    assert_non_null(strstr(s, ">Dat:<"));
    assert_non_null(strstr(s, "Kòd ka ou (se anplwaye a ki ekri l):"));
    assert_non_null(strstr(s, "Swiv ka ou ak kòd sa a sou https://buzon.banica.gob.do/seguimiento"));
    assert_non_null(strstr(s, "Koupe isit la"));
    free(s);
    form_free(f);

    /* A survey that opens no case: the date line, no code box, no stub. */
    f = testform_load_ok(tmp_root, "encuesta", "type,name,label\ntext,a,¿Algo?\n", NULL,
                         "form_id,version\nencuesta,1\n");
    assert_false(paper_opens_case(f));
    n = paper_svg(&pages, f, NULL, LANG_ES, "http://buzon.test/q/ABC123");
    s = all_pages(pages, n);
    assert_non_null(strstr(s, ">Fecha:<"));
    assert_null(strstr(s, "Código de su caso"));
    assert_null(strstr(s, "class=\"stub\""));
    free(s);
    form_free(f);
}

/* The one decision both the sheet and the paper entry page use. */
static void test_paper_cannot_take(void **state)
{
    (void)state;
    form_t *f = queja("quejas_c");
    for (size_t i = 0; i < f->nq; i++) {
        const char *nm = f->q[i].name ? f->q[i].name : "";
        bool out = !strcmp(nm, "foto_consent") || !strcmp(nm, "foto") ||
                   (!strcmp(nm, "fotos") && f->q[i].type == Q_BEGIN_GROUP);
        assert_int_equal(paper_cannot_take(f, i), out);
    }
    form_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_skip_goes_past_every_dependent),
        cmocka_unit_test(test_skip_stops_and_groups),
        cmocka_unit_test(test_date_line_code_box_and_stub),
        cmocka_unit_test(test_paper_cannot_take),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
