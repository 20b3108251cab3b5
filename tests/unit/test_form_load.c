/*
 * test_form_load.c: the XLSForm loader and `buzon forms check`.
 *
 * A good multi-language form and one saved by Excel in a Spanish locale
 * (tests/fixtures/forms/) must load with the right structure; each broken
 * form in the table below, written to a temporary folder, must give exactly
 * the `file:row: message` lines listed (paths relative to the form folder).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/buf.h"
#include "cli/cli.h"
#include "model/form.h"
#include "testform.h"

/* ---- helpers ------------------------------------------------------------- */

static char *fixture(const char *name)
{
    const char *root = getenv("BUZON_ROOT");
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "%s/tests/fixtures/forms%s%s", root ? root : ".", *name ? "/" : "", name);
    return buf_steal(&b);
}

/* Every test's folders live under one root made by the group setup and
 * removed by its teardown, so a failing test leaves nothing behind. */
static char *tmp_root;

static char *make_tmpdir(void)
{
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "%s/t-XXXXXX", tmp_root);
    char *dir = buf_steal(&b);
    assert_non_null(mkdtemp(dir));
    return dir;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void rm_tree(char *dir)
{
    assert_int_equal(nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
    free(dir);
}

static form_t *load_fixture(const char *name)
{
    char *dir = fixture(name);
    diag_t d = { 0 };
    form_t *f = form_load(dir, &d);
    for (size_t i = 0; i < d.n; i++) print_error("%s\n", d.lines[i]);
    assert_int_equal(d.n, 0);
    assert_non_null(f);
    diag_free(&d);
    free(dir);
    return f;
}

static const question_t *q_named(const form_t *f, const char *name)
{
    const question_t *q = form_question(f, name);
    if (!q) fail_msg("no question %s", name);
    return q;
}

static int q_index(const form_t *f, const char *name)
{
    return (int)(q_named(f, name) - f->q);
}

static int group_setup(void **state)
{
    (void)state;
    tmp_root = xstrdup("/tmp/buzon-test-form-XXXXXX");
    return mkdtemp(tmp_root) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    int rc = nftw(tmp_root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(tmp_root);
    return rc;
}

/* ---- the good form ---------------------------------------------------------- */

static void test_good_form_settings_and_languages(void **state)
{
    (void)state;
    form_t *f = load_fixture("good");
    assert_string_equal(f->id, "prueba");
    assert_string_equal(f->version, "3");
    assert_int_equal(f->nlangs, 2);
    assert_string_equal(f->lang_code[0], "es");
    assert_string_equal(f->lang_name[0], "Español");
    assert_string_equal(f->lang_code[1], "ht");
    assert_string_equal(f->lang_name[1], "Kreyòl");
    assert_int_equal(f->default_lang, 0);
    assert_int_equal(form_lang(f, "HT"), 1);
    assert_int_equal(form_lang(f, "fr"), -1);
    assert_string_equal(form_text(f, &f->title, 1), "Sondaj tès");
    form_free(f);
}

static void test_good_form_question_types_in_order(void **state)
{
    (void)state;
    form_t *f = load_fixture("good");
    static const qtype_t want[] = {
        Q_NOTE, Q_SELECT_ONE, Q_BEGIN_GROUP, Q_SELECT_ONE, Q_SELECT_MULTIPLE,
        Q_END_GROUP, Q_INTEGER, Q_DECIMAL, Q_DATE, Q_TEXT,
    };
    assert_int_equal(f->nq, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < f->nq; i++) assert_int_equal(f->q[i].type, want[i]);
    assert_string_equal(f->q[5].name, "");
    form_free(f);
}

static void test_good_form_groups_set_parents(void **state)
{
    (void)state;
    form_t *f = load_fixture("good");
    int g = q_index(f, "valoracion");
    assert_int_equal(f->q[g].parent, -1);
    assert_int_equal(q_named(f, "satisfecho")->parent, g);
    assert_int_equal(q_named(f, "problemas")->parent, g);
    assert_int_equal(f->q[5].parent, g);   /* the end_group closes it */
    assert_int_equal(q_named(f, "edad")->parent, -1);
    form_free(f);
}

static void test_good_form_columns_required_and_appearance(void **state)
{
    (void)state;
    form_t *f = load_fixture("good");
    assert_true(q_named(f, "servicio")->required);
    assert_true(q_named(f, "satisfecho")->required);   /* TRUE */
    assert_false(q_named(f, "edad")->required);
    assert_int_equal(q_named(f, "servicio")->appearance, APP_MINIMAL | APP_POINT_SERVICE);
    assert_int_equal(q_named(f, "valoracion")->appearance, APP_FIELD_LIST);
    assert_int_equal(q_named(f, "satisfecho")->appearance, APP_LIKERT);
    assert_int_equal(q_named(f, "problemas")->appearance, APP_HORIZONTAL);   /* "sparkly" ignored */
    assert_int_equal(q_named(f, "comentario")->appearance, APP_MULTILINE);
    form_free(f);
}

static void test_good_form_translations_and_fallback(void **state)
{
    (void)state;
    form_t *f = load_fixture("good");
    const question_t *q = q_named(f, "satisfecho");
    assert_string_equal(form_text(f, &q->label, 0), "Estoy satisfecho/a");
    assert_string_equal(form_text(f, &q->label, 1), "Mwen satisfè");
    assert_null(q->hint.s[1]);
    assert_string_equal(form_text(f, &q->hint, 1), "De 1 a 5; \"5\" es lo mejor");
    assert_string_equal(form_text(f, &q->constraint_msg, 1), "");
    const question_t *e = q_named(f, "edad");
    assert_string_equal(form_text(f, &e->constraint_msg, 1), "Ant 14 ak 120");
    assert_string_equal(form_text(f, &q_named(f, "servicio")->required_msg, 1), "Elija un servicio");
    assert_string_equal(form_text(f, &q_named(f, "espera")->label, 0), "Horas de espera\n(aproximadas)");
    form_free(f);
}

static void test_good_form_selects_bind_lists_and_extras(void **state)
{
    (void)state;
    form_t *f = load_fixture("good");
    const question_t *q = q_named(f, "problemas");
    assert_non_null(q->list);
    assert_string_equal(q->list->name, "problema");
    assert_int_equal(q->list->nchoices, 3);
    const choice_t *c = form_choice(q, "cerrado");
    assert_non_null(c);
    assert_string_equal(form_text(f, &c->label, 1), "Fèmen");
    assert_int_equal(c->nextra, 1);
    assert_string_equal(c->extra_keys[0], "servicio");
    assert_string_equal(c->extra_vals[0], "cementerio");
    assert_null(form_choice(q, "mercado"));   /* in another list */
    assert_int_equal(q_named(f, "satisfecho")->list->nchoices, 5);
    assert_int_equal(f->nlists, 3);
    form_free(f);
}

static void test_good_form_expressions_parsed(void **state)
{
    (void)state;
    form_t *f = load_fixture("good");
    const question_t *q = q_named(f, "problemas");
    assert_string_equal(q->relevant_src, "${satisfecho} <= 2");
    assert_non_null(q->relevant);
    assert_non_null(q->choice_filter);
    assert_null(q->constraint_src);
    assert_null(q->constraint);
    assert_non_null(q_named(f, "edad")->constraint);
    assert_non_null(q_named(f, "comentario")->relevant);
    form_free(f);
}

static void test_rows_count_lines_of_multiline_cells(void **state)
{
    (void)state;
    form_t *f = load_fixture("good");
    assert_int_equal(q_named(f, "espera")->row, 9);
    assert_int_equal(q_named(f, "fecha")->row, 11);   /* the label above spans two lines */
    form_free(f);
}

/* Copy the sheets of fixture name into dir/sub; returns the new folder. */
static char *copy_fixture(const char *name, const char *dir, const char *sub)
{
    static const char *const sheets[] = { "survey.csv", "choices.csv", "settings.csv" };
    char *src = fixture(name);
    char *dst = testform_write(dir, sub, NULL, NULL, NULL);
    for (size_t i = 0; i < sizeof sheets / sizeof sheets[0]; i++) {
        buf_t path, text;
        buf_init(&path);
        buf_init(&text);
        buf_printf(&path, "%s/%s", src, sheets[i]);
        FILE *in = fopen(path.data, "rb");
        assert_non_null(in);
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, in)) > 0) buf_append(&text, chunk, n);
        fclose(in);
        testform_write_file(dst, sheets[i], text.data);
        buf_free(&path);
        buf_free(&text);
    }
    free(src);
    return dst;
}

static void test_hash_identifies_the_definition(void **state)
{
    (void)state;
    form_t *f = load_fixture("good");
    assert_int_equal(strlen(f->hash), 64);
    assert_int_equal(strspn(f->hash, "0123456789abcdef"), 64);

    char *tmp = make_tmpdir();
    char *copy = copy_fixture("good", tmp, "copia");
    diag_t d = { 0 };
    form_t *same = form_load(copy, &d);
    assert_non_null(same);
    assert_string_equal(same->hash, f->hash);

    testform_write_file(copy, "settings.csv",
               "form_title::Español (es),form_title::Kreyòl (ht),form_id,version,default_language\n"
               "Encuesta de prueba,Sondaj tès,prueba,4,Español (es)\n");
    form_t *changed = form_load(copy, &d);
    assert_non_null(changed);
    assert_string_not_equal(changed->hash, f->hash);

    form_free(changed);
    form_free(same);
    free(copy);
    rm_tree(tmp);
    form_free(f);
}

static void test_source_keeps_every_sheet(void **state)
{
    (void)state;
    form_t *f = load_fixture("good");
    const char *s = strstr(f->source, "==> survey.csv");
    const char *c = strstr(f->source, "==> choices.csv");
    const char *t = strstr(f->source, "==> settings.csv");
    assert_true(s && c && t && s < c && c < t);
    assert_non_null(strstr(f->source, "problema,otro,Otro,Lòt,todos"));
    assert_non_null(strstr(t, "Sondaj tès"));
    form_free(f);
}

/* ---- Excel in a Spanish locale ------------------------------------------- */

static void test_excel_spanish_locale_form_loads(void **state)
{
    (void)state;
    /* BOM, ';', CRLF, curly quotes, "List name", a no-break space after
     * "telefono" */
    form_t *f = load_fixture("excel-es");
    assert_string_equal(f->id, "excel_es");
    assert_int_equal(f->nlangs, 1);
    assert_string_equal(f->lang_code[0], "es");
    assert_int_equal(f->nq, 6);
    assert_int_equal(f->q[0].type, Q_BEGIN_GROUP);   /* "begin group" */
    assert_int_equal(f->q[5].type, Q_END_GROUP);
    const question_t *q = q_named(f, "sexo_otro");
    assert_string_equal(form_text(f, &q->hint, 0), "Escriba, si quiere");
    assert_non_null(q->relevant);
    assert_non_null(q_named(f, "telefono")->relevant);
    assert_string_equal(form_text(f, &q_named(f, "telefono")->label, 0), "Teléfono; o WhatsApp");
    assert_int_equal(q_named(f, "sexo")->list->nchoices, 4);   /* "List name" column */
    assert_true(q_named(f, "sexo")->required);
    form_free(f);
}

/* ---- other loader behaviour ---------------------------------------------- */

/* Load a form written to tmp/sub (a new temporary folder in *tmp, which
 * the caller removes); the form must be valid. */
static form_t *load_written(char **tmp, const char *sub, const char *survey, const char *settings)
{
    *tmp = make_tmpdir();
    char *dir = testform_write(*tmp, sub, survey, NULL, settings);
    diag_t d = { 0 };
    form_t *f = form_load(dir, &d);
    for (size_t i = 0; i < d.n; i++) print_error("%s\n", d.lines[i]);
    assert_int_equal(d.n, 0);
    assert_non_null(f);
    free(dir);
    return f;
}

static void test_form_id_defaults_to_folder_name(void **state)
{
    (void)state;
    char *tmp;
    form_t *f = load_written(&tmp, "buzon_rapido", "type,name,label\ntext,a,A\n", NULL);
    assert_string_equal(f->id, "buzon_rapido");
    assert_string_equal(f->version, "");
    assert_int_equal(f->nlangs, 1);
    assert_string_equal(form_text(f, &f->title, 0), "buzon_rapido");
    assert_string_equal(form_text(f, &f->q[0].label, 0), "A");
    form_free(f);
    rm_tree(tmp);
}

static void test_translation_wins_over_column_without_language(void **state)
{
    (void)state;
    char *tmp;
    form_t *f = load_written(&tmp, "f",
                             "type,name,label::Español (es),label\n"
                             "text,a,Explícito,Sin idioma\n"
                             "text,b,,Solo sin idioma\n",
                             "default_language\nEspañol (es)\n");
    assert_int_equal(f->nlangs, 1);
    assert_string_equal(form_text(f, &f->q[0].label, 0), "Explícito");
    assert_string_equal(form_text(f, &f->q[1].label, 0), "Solo sin idioma");
    form_free(f);
    rm_tree(tmp);
}

static void test_default_language_names_the_columns_without_language(void **state)
{
    (void)state;
    char *tmp;
    form_t *f = load_written(&tmp, "f", "type,name,label,label::Kreyòl (ht)\ntext,a,Hola,Bonjou\n",
                             "default_language\nEspañol (es)\n");
    assert_int_equal(f->nlangs, 2);
    int es = form_lang(f, "es");
    assert_int_equal(f->default_lang, es);
    assert_string_equal(f->lang_name[es], "Español");
    assert_string_equal(form_text(f, &f->q[0].label, es), "Hola");
    assert_string_equal(form_text(f, &f->q[0].label, form_lang(f, "ht")), "Bonjou");
    form_free(f);
    rm_tree(tmp);
}

static void test_constraint_may_name_its_own_question(void **state)
{
    (void)state;
    char *tmp;
    form_t *f = load_written(&tmp, "f", "type,name,label,constraint\ninteger,a,A,${a} > 1 and . < 9\n", NULL);
    assert_non_null(f->q[0].constraint);
    form_free(f);
    rm_tree(tmp);
}

static void test_bad_expression_passes_the_parser_message(void **state)
{
    (void)state;
    const char *bad = "${a} = = 1";
    char err[256];
    expr_t *e = expr_parse(bad, err, sizeof err);
    assert_null(e);
    char *tmp = make_tmpdir();
    char *dir = testform_write(tmp, "f", "type,name,label,relevant\ntext,a,A,\ntext,b,B,${a} = = 1\n", NULL, NULL);
    diag_t d = { 0 };
    assert_null(form_load(dir, &d));
    assert_int_equal(d.n, 1);
    buf_t want;
    buf_init(&want);
    buf_printf(&want, "%s/survey.csv:3: bad expression in relevant: %s", dir, err);
    assert_string_equal(d.lines[0], want.data);
    buf_free(&want);
    diag_free(&d);
    free(dir);
    rm_tree(tmp);
}

static void test_load_all_sorts_by_id_and_skips_non_forms(void **state)
{
    (void)state;
    char *tmp = make_tmpdir();
    free(testform_write(tmp, "zeta", "type,name,label\ntext,a,A\n", NULL, "form_id\naaa\n"));
    free(testform_write(tmp, "beta", "type,name,label\ntext,a,A\n", NULL, NULL));
    free(testform_write(tmp, "assets", NULL, NULL, NULL));
    testform_write_file(tmp, "points.csv", "id,name,service\n");
    form_t **forms;
    diag_t d = { 0 };
    size_t n = form_load_all(tmp, &forms, &d);
    assert_int_equal(d.n, 0);
    assert_int_equal(n, 2);
    assert_string_equal(forms[0]->id, "aaa");
    assert_string_equal(forms[1]->id, "beta");
    form_free_all(forms, n);
    rm_tree(tmp);
}

static void test_load_all_reports_duplicate_form_ids(void **state)
{
    (void)state;
    char *tmp = make_tmpdir();
    free(testform_write(tmp, "a", "type,name,label\ntext,a,A\n", NULL, "form_id\nuno\n"));
    free(testform_write(tmp, "b", "type,name,label\ntext,a,A\n", NULL, "form_id\nuno\n"));
    form_t **forms;
    diag_t d = { 0 };
    size_t n = form_load_all(tmp, &forms, &d);
    assert_int_equal(n, 1);
    assert_int_equal(d.n, 1);
    buf_t want;
    buf_init(&want);
    buf_printf(&want, "%s/b/settings.csv:2: form_id \"uno\" is already the id of %s/a", tmp, tmp);
    assert_string_equal(d.lines[0], want.data);
    buf_free(&want);
    diag_free(&d);
    form_free_all(forms, n);
    rm_tree(tmp);
}

/* ---- broken forms: exact diagnostics ------------------------------------- */

#define RULE "use only letters without accents, digits, '_', '-' or '.', starting with a letter or '_'"

typedef struct broken {
    const char *name;
    const char *survey, *choices, *settings;   /* NULL: no such file */
    const char *expect;                        /* lines, '\n'-separated */
} broken_t;

static const broken_t broken[] = {
    { "missing survey.csv", NULL, NULL, "form_id\nx\n",
      "survey.csv:1: cannot read: No such file or directory" },
    { "survey without questions", "type,name,label\n", NULL, NULL,
      "survey.csv:1: the survey has no questions" },
    { "missing type and name columns", "label\nHola\n", NULL, NULL,
      "survey.csv:1: missing column \"type\"\nsurvey.csv:1: missing column \"name\"" },
    { "unknown type", "type,name,label\ntext,a,A\nxyz,b,B\n", NULL, NULL,
      "survey.csv:3: unknown type \"xyz\"" },
    { "select without a list", "type,name,label\nselect_one,a,A\n", NULL, NULL,
      "survey.csv:2: invalid type \"select_one\": write select_one or select_multiple, a space, "
      "and the list_name of choices.csv" },
    { "name without type", "type,name,label\n,a,A\n", NULL, NULL,
      "survey.csv:2: missing type for \"a\"" },
    { "missing name", "type,name,label\ntext,,A\n", NULL, NULL,
      "survey.csv:2: missing name" },
    { "invalid names", "type,name,label\ntext,año,A\ntext, 2x ,B\n", NULL, NULL,
      "survey.csv:2: invalid name \"año\": " RULE "\nsurvey.csv:3: invalid name \"2x\": " RULE },
    { "duplicate name", "type,name,label\ntext,a,A\ninteger,b,B\ntext,a,C\n", NULL, NULL,
      "survey.csv:4: duplicate name \"a\" (first at row 2)" },
    { "list not in choices.csv", "type,name,label\nselect_one colores,a,A\n",
      "list_name,name,label\nsino,si,Sí\n", NULL,
      "survey.csv:2: list \"colores\" is not in choices.csv" },
    { "select without choices.csv", "type,name,label\nselect_multiple sino,a,A\n", NULL, NULL,
      "survey.csv:2: list \"sino\" not found: there is no choices.csv" },
    { "empty list", "type,name,label\nselect_one vacia,a,A\n", "list_name,name,label\nvacia,,Nada\n", NULL,
      "choices.csv:2: missing name\nsurvey.csv:2: list \"vacia\" has no choices" },
    { "duplicate choice", "type,name,label\nselect_one sino,a,A\n",
      "list_name,name,label\nsino,si,Sí\nsino,no,No\nsino,si,Sí otra vez\n", NULL,
      "choices.csv:4: duplicate choice \"si\" in list \"sino\" (first at row 2)" },
    { "choice name with a space in a select_multiple", "type,name,label\nselect_multiple v,a,A\n",
      "list_name,name,label\nv,muy bien,Muy bien\nv,mal,Mal\n", NULL,
      "survey.csv:2: invalid choice name \"muy bien\" in list \"v\" of a select_multiple: no spaces "
      "(select_multiple answers are space-separated)" },
    { "choices.csv without list_name", "type,name,label\nselect_one sino,a,A\n",
      "list,name,label\nsino,si,Sí\n", NULL,
      "choices.csv:1: missing column \"list_name\"" },
    { "begin_group never closed", "type,name,label\nbegin_group,g,G\ntext,a,A\n", NULL, NULL,
      "survey.csv:2: begin_group \"g\" has no end_group" },
    { "end_group without begin_group", "type,name,label\ntext,a,A\nend group,,\n", NULL, NULL,
      "survey.csv:3: end_group without a begin_group" },
    { "unknown question in relevant",
      "type,name,label,relevant\ninteger,edad,Edad,\ntext,b,B,${edad2} > 3 and ${edad2} < 9\n", NULL, NULL,
      "survey.csv:3: unknown question ${edad2} in relevant" },
    { "unknown question in choice_filter", "type,name,label,choice_filter\nselect_one v,a,A,x = ${zona}\n",
      "list_name,name,label,x\nv,1,Uno,a\n", NULL,
      "survey.csv:2: unknown question ${zona} in choice_filter" },
    { "relevant on its own question", "type,name,label,relevant\ntext,a,A,${a} != ''\n", NULL, NULL,
      "survey.csv:2: relevant of \"a\" refers to the question itself" },
    { "question without ${} in relevant",
      "type,name,label,relevant\ninteger,edad,Edad,\ntext,b,B,edad > 17\n", NULL, NULL,
      "survey.csv:3: relevant uses edad without ${}: write ${edad}" },
    { "unknown bare name in constraint", "type,name,label,constraint\ninteger,edad,Edad,. < maximo\n",
      NULL, NULL, "survey.csv:2: unknown name maximo in constraint (questions are written ${name})" },
    { "choice_filter on a column choices.csv lacks",
      "type,name,label,choice_filter\ntext,z,Z,\nselect_one v,a,A,region = ${z}\n",
      "list_name,name,label,zona\nv,x,X,norte\n", NULL,
      "survey.csv:3: choice_filter uses region, which is not a column of choices.csv" },
    { "group used as a value", "type,name,label,relevant\nbegin_group,g,G,\ntext,a,A,${g} = 1\nend_group,,,\n",
      NULL, NULL,
      "survey.csv:3: ${g} in relevant is a group, not a question" },
    { "default_language not among the languages", "type,name,label::Español (es)\ntext,a,A\n", NULL,
      "default_language\nFrançais (fr)\n",
      "settings.csv:2: default_language \"Français (fr)\" is not one of the form's languages (es)" },
    { "question without label", "type,name,label\ntext,a,\n", NULL, NULL,
      "survey.csv:2: missing label" },
    { "required neither yes nor no", "type,name,label,required\ntext,a,A,maybe\n", NULL, NULL,
      "survey.csv:2: required must be yes or no, not \"maybe\"" },
    { "invalid UTF-8", "type,name,label\ntext,a,A\ntext,b,\xC3(\n", NULL, NULL,
      "survey.csv:3: invalid UTF-8; in Excel, save as \"CSV UTF-8 (delimitado por comas)\"" },
    { "unterminated quote", "type,name,label\ntext,a,\"A\ntext,b,B\n", NULL, NULL,
      "survey.csv:2: unterminated quoted cell" },
    { "invalid UTF-8 in choices.csv", "type,name,label\nselect_one v,a,A\n", "list_name,name,label\nv,1,\xFF\n", NULL,
      "choices.csv:2: invalid UTF-8; in Excel, save as \"CSV UTF-8 (delimitado por comas)\"" },
    { "every problem is reported", "type,name,label\nxyz,a,A\ntext,,B\ntext,c,\ntext,c,C\n", NULL, NULL,
      "survey.csv:2: unknown type \"xyz\"\nsurvey.csv:3: missing name\nsurvey.csv:4: missing label\n"
      "survey.csv:5: duplicate name \"c\" (first at row 4)" },
};

#define NBROKEN (sizeof broken / sizeof broken[0])

static void run_broken(void **state)
{
    const broken_t *c = *state;
    char *tmp = make_tmpdir();
    char *dir = testform_write(tmp, "f", c->survey, c->choices, c->settings);
    diag_t d = { 0 };
    form_t *f = form_load(dir, &d);
    buf_t got;
    buf_init(&got);
    size_t skip = strlen(dir) + 1;
    for (size_t i = 0; i < d.n; i++) {
        assert_true(!strncmp(d.lines[i], dir, skip - 1) && d.lines[i][skip - 1] == '/');
        buf_printf(&got, "%s%s", i ? "\n" : "", d.lines[i] + skip);
    }
    assert_null(f);
    assert_string_equal(got.data ? got.data : "", c->expect);
    buf_free(&got);
    diag_free(&d);
    free(dir);
    rm_tree(tmp);
}

/* ---- the command ------------------------------------------------------------ */

static void test_cli_check_valid_forms_exits_0(void **state)
{
    (void)state;
    char *dir = fixture("");
    char *argv[] = { "forms", "check", dir, NULL };
    buf_t out, err;
    assert_int_equal(testform_run(cli_forms, argv, 3, &out, &err), 0);
    /* issue 16: an appearance buzon cannot honour is a note */
    char want[1024];
    snprintf(want, sizeof want, "ok excel_es v2024-05 (4 questions, es)\n"
             "ok prueba v3 (7 questions, es ht)\n"
             "  note: %s/good/survey.csv:6: appearance \"sparkly\" is ignored: buzon cannot honour it\n", dir);
    assert_string_equal(out.data, want);
    assert_string_equal(err.data, "");
    buf_free(&out);
    buf_free(&err);
    free(dir);
}

static void test_cli_check_invalid_form_exits_1_with_diagnostics(void **state)
{
    (void)state;
    char *tmp = make_tmpdir();
    free(testform_write(tmp, "mala", "type,name,label\ntext,a,A\nxyz,b,B\n", NULL, NULL));
    free(testform_write(tmp, "buena", "type,name,label\ntext,a,A\n", NULL, NULL));
    testform_write_file(tmp, "points.csv", "id,name,service\n");
    testform_write_file(tmp, "services.csv", "id,label::Español (es),label::Kreyòl (ht)\n");
    char *argv[] = { "forms", "check", tmp, NULL };
    buf_t out, err, want;
    assert_int_equal(testform_run(cli_forms, argv, 3, &out, &err), 1);
    buf_init(&want);
    buf_printf(&want, "%s/mala/survey.csv:3: unknown type \"xyz\"\n", tmp);
    assert_string_equal(err.data, want.data);
    assert_string_equal(out.data, "ok buena (1 question, default)\n");
    buf_free(&want);
    buf_free(&out);
    buf_free(&err);
    rm_tree(tmp);
}

static void test_cli_check_folder_without_forms_exits_1(void **state)
{
    (void)state;
    char *tmp = make_tmpdir();
    testform_write_file(tmp, "points.csv", "id,name,service\n");
    char *argv[] = { "forms", "check", tmp, NULL };
    buf_t out, err;
    assert_int_equal(testform_run(cli_forms, argv, 3, &out, &err), 1);
    assert_non_null(strstr(err.data, "no forms in"));
    buf_free(&out);
    buf_free(&err);
    rm_tree(tmp);
}

static void test_cli_check_missing_folder_exits_1(void **state)
{
    (void)state;
    char *argv[] = { "forms", "check", "/nonexistent/forms", NULL };
    buf_t out, err;
    assert_int_equal(testform_run(cli_forms, argv, 3, &out, &err), 1);
    assert_non_null(strstr(err.data, "/nonexistent/forms is not a folder"));
    buf_free(&out);
    buf_free(&err);
}

static void test_cli_usage_errors_exit_2(void **state)
{
    (void)state;
    char *none[] = { "forms", NULL };
    char *other[] = { "forms", "lint", NULL };
    char *extra[] = { "forms", "check", "a", "b", NULL };
    char *option[] = { "forms", "check", "--frobnicate", NULL };
    buf_t out, err;
    struct { char **argv; int argc; } cases[] = { { none, 1 }, { other, 2 }, { extra, 4 }, { option, 3 } };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(testform_run(cli_forms, cases[i].argv, cases[i].argc, &out, &err), 2);
        assert_non_null(strstr(err.data, "usage: buzon forms check"));
        buf_free(&out);
        buf_free(&err);
    }
}

int main(void)
{
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_good_form_settings_and_languages),
        cmocka_unit_test(test_good_form_question_types_in_order),
        cmocka_unit_test(test_good_form_groups_set_parents),
        cmocka_unit_test(test_good_form_columns_required_and_appearance),
        cmocka_unit_test(test_good_form_translations_and_fallback),
        cmocka_unit_test(test_good_form_selects_bind_lists_and_extras),
        cmocka_unit_test(test_good_form_expressions_parsed),
        cmocka_unit_test(test_rows_count_lines_of_multiline_cells),
        cmocka_unit_test(test_hash_identifies_the_definition),
        cmocka_unit_test(test_source_keeps_every_sheet),
        cmocka_unit_test(test_excel_spanish_locale_form_loads),
        cmocka_unit_test(test_form_id_defaults_to_folder_name),
        cmocka_unit_test(test_translation_wins_over_column_without_language),
        cmocka_unit_test(test_default_language_names_the_columns_without_language),
        cmocka_unit_test(test_constraint_may_name_its_own_question),
        cmocka_unit_test(test_bad_expression_passes_the_parser_message),
        cmocka_unit_test(test_load_all_sorts_by_id_and_skips_non_forms),
        cmocka_unit_test(test_load_all_reports_duplicate_form_ids),
        cmocka_unit_test(test_cli_check_valid_forms_exits_0),
        cmocka_unit_test(test_cli_check_invalid_form_exits_1_with_diagnostics),
        cmocka_unit_test(test_cli_check_folder_without_forms_exits_1),
        cmocka_unit_test(test_cli_check_missing_folder_exits_1),
        cmocka_unit_test(test_cli_usage_errors_exit_2),
    };
    enum { NFIXED = sizeof fixed / sizeof fixed[0] };
    static struct CMUnitTest tests[NFIXED + NBROKEN];
    memcpy(tests, fixed, sizeof fixed);
    /* One named test per broken form, so a failure says which. */
    for (size_t i = 0; i < NBROKEN; i++)
        tests[NFIXED + i] = (struct CMUnitTest){
            .name = broken[i].name, .test_func = run_broken, .initial_state = (void *)&broken[i],
        };
    return _cmocka_run_group_tests("form_load", tests, NFIXED + NBROKEN, group_setup, group_teardown);
}
