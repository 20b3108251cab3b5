/*
 * test_form_wild.c: XLSForms as written in the wild (issue 15, items 4
 * and 5). Each test writes a small form folder, loads it with form_load()
 * and checks what loaded, the notes `buzon forms check` prints, the
 * problems still refused, and, where the loader decides how answers are
 * kept (group paths, choice names with spaces, metadata), what a posted
 * response keeps (answers.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/buf.h"
#include "cli/cli.h"
#include "model/answers.h"
#include "model/form.h"
#include "testform.h"
#include "testsh.h"

/* ---- helpers ------------------------------------------------------------- */

static char *tmp_root;

static int group_setup(void **state)
{
    (void)state;
    tmp_root = xstrdup("/tmp/buzon-test-wild-XXXXXX");
    return mkdtemp(tmp_root) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    int rc = test_rmtree(tmp_root);
    free(tmp_root);
    return rc;
}

/* ---- item 5: spellings ---------------------------------------------------- */

static void test_type_aliases_and_spellings(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "aliases",
                        "type,name,label\n"
                        "string,s,S\n"
                        "q string,qs,QS\n"
                        "int,i,I\n"
                        "q int,qi,QI\n"
                        "dateTime,dt,DT\n"
                        "select one from sino,a,A\n"
                        "select all that apply from sino,b,B\n"
                        "select_multiple sino,c,C\n"
                        "select1 sino,d,D\n"
                        "select one sino,e,E\n"
                        "select all that apply sino,g,G\n"
                        "note,,Gracias\n"
                        "Begin Group,grp,Grupo\n"
                        "text,t,T\n"
                        "End Group,,\n",
                        "list_name,name,label\nsino,si,Sí\nsino,no,No\n", NULL);
    assert_int_equal(testform_q(f, "s")->type, Q_TEXT);
    assert_int_equal(testform_q(f, "qs")->type, Q_TEXT);
    assert_int_equal(testform_q(f, "i")->type, Q_INTEGER);
    assert_int_equal(testform_q(f, "qi")->type, Q_INTEGER);
    /* issue 16: a dateTime is asked with its time now. */
    assert_int_equal(testform_q(f, "dt")->type, Q_DATETIME);
    const char *one[] = { "a", "d", "e" }, *multi[] = { "b", "c", "g" };
    for (int k = 0; k < 3; k++) {
        assert_int_equal(testform_q(f, one[k])->type, Q_SELECT_ONE);
        assert_string_equal(testform_q(f, one[k])->list->name, "sino");
        assert_int_equal(testform_q(f, multi[k])->type, Q_SELECT_MULTIPLE);
        assert_string_equal(testform_q(f, multi[k])->list->name, "sino");
    }
    /* The note without a name is named by its row; it takes no answer. */
    const question_t *n = testform_q(f, "_note_13");
    assert_int_equal(n->type, Q_NOTE);
    assert_string_equal(form_text(f, &n->label, 0), "Gracias");
    assert_int_equal(testform_q(f, "t")->parent, (int)(testform_q(f, "grp") - f->q));
    char *got = testform_notes(f);
    assert_string_equal(got, "");
    free(got);
    form_free(f);
}

static void test_unknown_spellings_still_refused(void **state)
{
    (void)state;
    char *got = testform_load_bad(tmp_root, "spell_bad",
                         "type,name,label\n"
                         "select_one_from sino,a,A\n"
                         "select_one_from_file lugares.csv,b,B\n"
                         "select one from,c,C\n"
                         "q,d,D\n",
                         "list_name,name,label\nsino,si,Sí\n", NULL);
    /* issue 16: select_one_from_file is a type now; its file is missing. */
    assert_string_equal(got,
                        "survey.csv:3: cannot read the choices file \"lugares.csv\" beside the form: "
                        "No such file or directory\n"
                        "survey.csv:2: invalid type \"select_one_from sino\": write select_one or select_multiple, "
                        "a space, and the list_name of choices.csv\n"
                        "survey.csv:4: list \"from\" is not in choices.csv\n"
                        "survey.csv:5: unknown type \"q\"");
    free(got);
}

static void test_required_spellings_and_expression(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "required",
                        "type,name,label,required\n"
                        "text,a,A,yes\ntext,b,B,TRUE\ntext,c,C,1\ntext,d,D,true()\n"
                        "text,e,E,0\ntext,g,G,FALSE\ntext,h,H,\n"
                        "text,x,X,${a} = 'si'\n",
                        NULL, NULL);
    const char *yes[] = { "a", "b", "c", "d" }, *no[] = { "e", "g", "h" };
    for (int k = 0; k < 4; k++) assert_true(testform_q(f, yes[k])->required);
    for (int k = 0; k < 3; k++) assert_false(testform_q(f, no[k])->required);
    const question_t *x = testform_q(f, "x");
    assert_true(x->required);
    assert_non_null(x->required_if);
    assert_string_equal(x->required_src, "${a} = 'si'");
    char *got = testform_notes(f);
    assert_string_equal(got, "");   /* evaluated now (issue 15 item 2): no note */
    free(got);
    form_free(f);
    got = testform_load_bad(tmp_root, "required_bad", "type,name,label,required\ntext,a,A,${zz} = 1\ntext,b,B,maybe\n", NULL, NULL);
    assert_string_equal(got, "survey.csv:3: required must be yes or no, not \"maybe\"\n"
                             "survey.csv:2: unknown question ${zz} in required");
    free(got);
}

static void test_same_name_in_different_groups_kept_by_path(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "paths",
                        "type,name,label,relevant\n"
                        "integer,edad,Edad,\n"
                        "begin_group,jefe,Jefe,\n"
                        "integer,edad,Edad del jefe,\n"
                        "text,nombre,Nombre,\n"
                        "end_group,,,\n"
                        "begin_group,conyuge,Cónyuge,\n"
                        "integer,edad,Edad del cónyuge,\n"
                        "text,nota,Nota,${conyuge.edad} > 17\n"
                        "end_group,,,\n",
                        NULL, NULL);
    assert_int_equal(testform_q(f, "edad")->row, 2);
    assert_int_equal(testform_q(f, "jefe.edad")->row, 4);
    assert_int_equal(testform_q(f, "conyuge.edad")->row, 8);
    assert_int_equal(testform_q(f, "nombre")->row, 5);   /* not shared: unchanged */
    char *got = testform_notes(f);
    assert_string_equal(got, "survey.csv:4: \"edad\" is also the name of another question: its answers are kept as \"jefe.edad\"\n"
                             "survey.csv:8: \"edad\" is also the name of another question: its answers are kept as \"conyuge.edad\"");
    free(got);
    /* Each is answered and kept by its path. */
    answers_t a;
    assert_int_equal(testform_post(&a, f, "edad=30&jefe.edad=41&nombre=Ana&conyuge.edad=39&nota=x"), 0);
    assert_string_equal(testform_val(&a, "edad"), "30");
    assert_string_equal(testform_val(&a, "jefe.edad"), "41");
    assert_string_equal(testform_val(&a, "conyuge.edad"), "39");
    assert_string_equal(testform_val(&a, "nota"), "x");
    answers_free(&a);
    assert_int_equal(testform_post(&a, f, "edad=30&conyuge.edad=12"), 0);
    assert_false(a.relevant[testform_q(f, "nota") - f->q]);   /* ${conyuge.edad} > 17 is false */
    answers_free(&a);
    form_free(f);

    /* ${edad} would be any of them: refused as XLSForm tools refuse it; the
     * same name twice in one group is still a duplicate. */
    got = testform_load_bad(tmp_root, "paths_bad",
                   "type,name,label,relevant\n"
                   "begin_group,g,G,\ninteger,n,N,\nend_group,,,\n"
                   "begin_group,h,H,\ninteger,n,N,\ntext,t,T,${n} > 1\ntext,t,T2,\nend_group,,,\n",
                   NULL, NULL);
    assert_string_equal(got, "survey.csv:8: duplicate name \"t\" (first at row 7)\n"
                             "survey.csv:7: ${n} in relevant is ambiguous: more than one group has a \"n\"; "
                             "write its group path, e.g. ${group.n}");
    free(got);
}

static void test_choice_names_with_spaces_in_select_one(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "spaces", "type,name,label\nselect_one v,a,A\n",
                        "list_name,name,label\nv,muy bien,Muy bien\nv,mal,Mal\n", NULL);
    assert_non_null(form_choice(testform_q(f, "a"), "muy bien"));
    answers_t a;
    assert_int_equal(testform_post(&a, f, "a=muy+bien"), 0);
    assert_string_equal(testform_val(&a, "a"), "muy bien");
    answers_free(&a);
    form_free(f);
}

static void test_label_headers_of_every_spelling(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "headers",
                        "type,name,label:English,Label::Français (fr),hint:English,hint::Français (fr),"
                        "required,jr:constraintMsg:English,constraint_message::Français (fr),"
                        "required_message:English,requiredMsg::Français (fr),constraint,caption::Kreyòl (ht)\n"
                        "integer,n,Number,Nombre,Digits,Chiffres,yes,Too big,Trop grand,Needed,Requis,. < 9,Nimewo\n",
                        "list_name,name,label:English,label::Français (fr)\n", "default_language\nEnglish\n");
    assert_int_equal(f->nlangs, 3);
    int en = form_lang(f, "English"), fr = form_lang(f, "fr"), ht = form_lang(f, "ht");
    assert_true(en >= 0 && fr >= 0 && ht >= 0);
    assert_int_equal(f->default_lang, en);
    const question_t *q = testform_q(f, "n");
    assert_string_equal(form_text(f, &q->label, en), "Number");
    assert_string_equal(form_text(f, &q->label, fr), "Nombre");
    assert_string_equal(form_text(f, &q->label, ht), "Nimewo");
    assert_string_equal(form_text(f, &q->hint, fr), "Chiffres");
    assert_string_equal(form_text(f, &q->constraint_msg, en), "Too big");
    assert_string_equal(form_text(f, &q->constraint_msg, fr), "Trop grand");
    assert_string_equal(form_text(f, &q->required_msg, en), "Needed");
    assert_string_equal(form_text(f, &q->required_msg, fr), "Requis");
    assert_int_equal(f->nnotes, 0);
    form_free(f);
}

/* pyxform's reading of `label` beside `label::chinese`: the plain column
 * is one more language, "default", and the form's default (five of
 * pyxform's own example workbooks are written so; buzon refused them). */
static void test_plain_columns_beside_translations_are_the_default_language(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "plaindefault", "type,name,label,label::chinese,hint\ntext,a,Name,名字,Your name\n",
                        NULL, NULL);
    assert_int_equal(f->nlangs, 2);
    int zh = form_lang(f, "chinese");
    assert_true(zh >= 0);
    assert_int_not_equal(f->default_lang, zh);
    assert_string_equal(f->lang_name[f->default_lang], "default");
    const question_t *q = testform_q(f, "a");
    assert_string_equal(form_text(f, &q->label, f->default_lang), "Name");
    assert_string_equal(form_text(f, &q->label, zh), "名字");
    assert_string_equal(form_text(f, &q->hint, f->default_lang), "Your name");
    assert_int_equal(f->nnotes, 1);
    assert_non_null(strstr(f->notes[0], "read as the language \"default\""));
    form_free(f);
}

/* A form_id that cannot be part of an address ("Spec test" in pyxform's
 * examples): the file's name is the id, with a note. */
static void test_an_unusable_form_id_gives_way_to_the_file_name(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "nombre_del_archivo", "type,name,label\ntext,a,A\n", NULL, "form_id,form_title\nmi encuesta,Mi encuesta\n");
    assert_string_equal(f->id, "nombre_del_archivo");
    assert_int_equal(f->nnotes, 1);
    assert_non_null(strstr(f->notes[0], "form_id \"mi encuesta\" cannot be part of an address"));
    form_free(f);
}

/* A form in n languages: label::L<k> (l<k>) columns. Caller frees. */
static char *survey_in_langs(int n)
{
    buf_t b;
    buf_init(&b);
    buf_puts(&b, "type,name");
    for (int k = 0; k < n; k++) buf_printf(&b, ",label::L%d (l%d)", k, k);
    buf_puts(&b, "\ntext,a");
    for (int k = 0; k < n; k++) buf_printf(&b, ",A%d", k);
    buf_puts(&b, "\n");
    return buf_steal(&b);
}

static void test_many_languages(void **state)
{
    (void)state;
    char *s12 = survey_in_langs(12), *s33 = survey_in_langs(FORM_MAX_LANGS + 1);
    form_t *f = testform_load_ok(tmp_root, "langs12", s12, NULL, NULL);
    assert_int_equal(f->nlangs, 12);
    assert_string_equal(form_text(f, &testform_q(f, "a")->label, form_lang(f, "l11")), "A11");
    form_free(f);
    char *got = testform_load_bad(tmp_root, "langs33", s33, NULL, NULL);
    assert_string_equal(got, "survey.csv:1: more than 32 languages (\"L32 (l32)\" is one too many)");
    free(got);
    free(s12);
    free(s33);
}

static void test_settings_as_xlsform_tools_write_them(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "settings_wild", "type,name,label,bind::foo,media::image\nselect_one v,a,A,1,x.png\n",
                        "list_name,name,label\nv,1,Uno\nv,1,Uno otra vez\nv,2,Dos\n",
                        "title,id_string,version,default_language,instance_name,allow_choice_duplicates,style,public_key\n"
                        "Mi encuesta,mi_encuesta,7,Español (es),concat(${a}),yes,pages,\n");
    assert_string_equal(f->id, "mi_encuesta");
    assert_string_equal(f->version, "7");
    assert_string_equal(form_text(f, &f->title, 0), "Mi encuesta");
    assert_string_equal(f->lang_code[f->default_lang], "es");
    assert_int_equal(testform_q(f, "a")->list->nchoices, 3);
    form_free(f);
    /* form_title and form_id still win; duplicates without the setting are
     * refused as before. */
    f = testform_load_ok(tmp_root, "settings_plain", "type,name,label\ntext,a,A\n", NULL,
                "form_title,form_id,title,id_string\nUno,uno,Dos,dos\n");
    assert_string_equal(f->id, "uno");
    form_free(f);
    char *got = testform_load_bad(tmp_root, "dups", "type,name,label\nselect_one v,a,A\n",
                         "list_name,name,label\nv,1,Uno\nv,1,Otra\n", "allow_choice_duplicates\nmaybe\n");
    assert_string_equal(got, "settings.csv:2: allow_choice_duplicates must be yes or no, not \"maybe\"\n"
                             "choices.csv:3: duplicate choice \"1\" in list \"v\" (first at row 2)");
    free(got);
}

/* ---- item 4: metadata ------------------------------------------------------ */

#define META_SURVEY                                                                              \
    "type,name,label\n"                                                                          \
    "start,start,\nend,end,\ntoday,today,\ndeviceid,deviceid,\nusername,username,\n"             \
    "phonenumber,phonenumber,\nsimserial,simserial,\nsubscriberid,subscriberid,\nemail,email,\n" \
    "audit,audit,\nstart-geopoint,sgp,\nbackground-audio,ba,\nimei,imei,\n"                      \
    "text,a,A\n"

#define NEVER "is never recorded: buzon keeps no device, person, place or recording of whoever answers (privacy)"

static void test_metadata_accepted_recorded_or_ignored(void **state)
{
    (void)state;
    form_t *f = testform_load_ok(tmp_root, "meta", META_SURVEY, NULL, NULL);
    assert_int_equal(f->meta, META_START | META_END | META_TODAY);
    assert_int_equal(f->nq, 1);   /* only the question */
    assert_string_equal(f->q[0].name, "a");
    char *got = testform_notes(f);
    assert_string_equal(got,
        "survey.csv:2: start: not a question; buzon keeps the hour each response was sent and how long "
        "it took (its start is that hour less the duration)\n"
        "survey.csv:3: end: not a question; buzon keeps the hour each response was sent\n"
        "survey.csv:4: today: not a question; the day is that of the hour each response was sent\n"
        "survey.csv:5: deviceid " NEVER "\n"
        "survey.csv:6: username " NEVER "\n"
        "survey.csv:7: phonenumber " NEVER "\n"
        "survey.csv:8: simserial " NEVER "\n"
        "survey.csv:9: subscriberid " NEVER "\n"
        "survey.csv:10: email " NEVER "\n"
        "survey.csv:11: audit " NEVER "\n"
        "survey.csv:12: start-geopoint " NEVER "\n"
        "survey.csv:13: background-audio " NEVER "\n"
        "survey.csv:14: imei " NEVER);
    free(got);
    /* A response posting them keeps none of them. */
    answers_t a;
    assert_int_equal(testform_post(&a, f, "deviceid=abc&username=ana&phonenumber=8095551234&a=hola"), 0);
    assert_string_equal(testform_val(&a, "a"), "hola");
    assert_null(form_question(f, "deviceid"));
    answers_free(&a);
    form_free(f);
    got = testform_load_bad(tmp_root, "meta_ref", "type,name,label,relevant\ntoday,hoy,,\ntext,a,A,${hoy} != ''\n", NULL, NULL);
    assert_string_equal(got, "survey.csv:3: ${hoy} in relevant is a metadata field, which is not a question in buzon");
    free(got);
}

static void test_forms_check_prints_the_notes(void **state)
{
    (void)state;
    buf_t root;
    buf_init(&root);
    buf_printf(&root, "%s/cli", tmp_root);
    assert_int_equal(mkdir(root.data, 0700), 0);
    testform_write_file(root.data, "points.csv", "id,name,service\n");
    testform_write_file(root.data, "services.csv", "id,label::Español (es),label::Kreyòl (ht)\n");
    char *dir = testform_write(tmp_root, "cli/wild", "type,name,label\nstart,start,\ndeviceid,deviceid,\nstring,a,A\n", NULL, NULL);
    char *argv[] = { "forms", "check", root.data, NULL };
    buf_t out, err, want;
    assert_int_equal(testform_run(cli_forms, argv, 3, &out, &err), 0);
    buf_init(&want);
    buf_printf(&want, "ok wild (1 question, default)\n"
                      "  note: %s/survey.csv:2: start: not a question; buzon keeps the hour each response was "
                      "sent and how long it took (its start is that hour less the duration)\n"
                      "  note: %s/survey.csv:3: deviceid " NEVER "\n", dir, dir);
    assert_string_equal(out.data, want.data);
    assert_string_equal(err.data, "");
    buf_free(&want);
    buf_free(&out);
    buf_free(&err);
    buf_free(&root);
    free(dir);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_aliases_and_spellings),
        cmocka_unit_test(test_unknown_spellings_still_refused),
        cmocka_unit_test(test_required_spellings_and_expression),
        cmocka_unit_test(test_same_name_in_different_groups_kept_by_path),
        cmocka_unit_test(test_choice_names_with_spaces_in_select_one),
        cmocka_unit_test(test_label_headers_of_every_spelling),
        cmocka_unit_test(test_plain_columns_beside_translations_are_the_default_language),
        cmocka_unit_test(test_an_unusable_form_id_gives_way_to_the_file_name),
        cmocka_unit_test(test_many_languages),
        cmocka_unit_test(test_settings_as_xlsform_tools_write_them),
        cmocka_unit_test(test_metadata_accepted_recorded_or_ignored),
        cmocka_unit_test(test_forms_check_prints_the_notes),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
