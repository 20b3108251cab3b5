/*
 * test_choice_lists_http.c: lists of choices over HTTP (issue 16, item 4),
 * without JavaScript. choice_filter: a three-level cascade (provincia ->
 * municipio -> distrito) as in KoboToolbox's examples. The fresh page
 * offers no municipio nor distrito (nothing chosen yet); the "Actualizar
 * opciones" button (the language switch's path, same language) sends the
 * answers back and the page shows only the options that fit them; a
 * fitting answer is stored (303), one that does not is refused (422) with
 * the message beside the field, in Spanish and in Kreyòl; the live
 * endpoint lists the fitting choices per filtered question.
 * or_other: the select offers "Otro" / "Lòt" after its list's choices and
 * a "specify" text question <name>_other asked when it is chosen; the
 * text is stored and exported (CSV), and refused (422) when typed while
 * "other" is not chosen, as any text that does not apply.
 * randomize: each visit's page has its own order, and the page shown
 * again (re-render, 422) keeps it: the submission id seeds it.
 * media::image: a real PNG beside the form is shown beside its label and
 * served (by its bytes' type); a missing picture or a text file named
 * .png is a note of `forms check` and its choice shows the label alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "testsh.h"
#include "testsrv.h"
#include "testform.h"
#include "staffsrv.h"
#include "testcheck.h"
#include "cli/cli.h"

typedef struct fx {
    char dir[256];
    char forms[300];
    testsrv_t srv;
} fx_t;

#define SURVEY \
    "type,name,label::Español (es),label::Kreyòl (ht),choice_filter\n" \
    "select_one prov,provincia,Provincia,Pwovens,\n" \
    "select_one mun,municipio,Municipio,Minisipalite,${provincia} = provincia\n" \
    "select_one dist,distrito,Distrito municipal,Distri minisipal,municipio=${municipio}\n"
#define CHOICES \
    "list_name,name,label::Español (es),label::Kreyòl (ht),provincia,municipio\n" \
    "prov,ep,Elías Piña,Elías Piña,,\n" \
    "prov,sj,San Juan,San Juan,,\n" \
    "mun,banica,Bánica,Bánica,ep,\n" \
    "mun,comendador,Comendador,Komandadò,ep,\n" \
    "mun,sjm,San Juan de la Maguana,San Juan de la Maguana,sj,\n" \
    "dist,sabana,Sabana Cruz,Sabana Kwaz,,banica\n" \
    "dist,higuero,Sabana Higüero,Sabana Igwero,,banica\n" \
    "dist,guayabo,Guayabo,Gwayabo,,comendador\n" \
    "dist,pedro,Pedro Corto,Pedro Corto,,sjm\n"

/* The newer spelling and the older one (pyxform's specify_other.xlsx). */
#define OTHER_SURVEY \
    "type,name,label::Español (es),label::Kreyòl (ht)\n" \
    "select_one col or_other,color,Color favorito,Koulè ou pi renmen\n" \
    "select all that apply from col or specify other,colores,Colores,Koulè yo\n"
#define OTHER_CHOICES \
    "list_name,name,label::Español (es),label::Kreyòl (ht)\n" \
    "col,1,Rojo,Wouj\n" \
    "col,2,Azul,Ble\n"

/* A 40x30 red PNG. */
static const char RED_PNG[] =
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x28\x00\x00\x00\x1e"
    "\x08\x02\x00\x00\x00\xd1\xbf\xcb\x8a\x00\x00\x00\x2c\x49\x44\x41\x54\x78\xda\xed\xcd\x31\x0d\x00"
    "\x00\x08\x03\xb0\xc9\x41\x04\xfe\x83\x2c\x64\xc0\xd1\xa4\x7f\x33\x5d\x27\x22\x16\x8b\xc5\x62\xb1"
    "\x58\x2c\x16\x8b\xc5\xe2\xbf\xf1\x02\x5c\x67\x7e\x8c\x34\x67\xbc\xe9\x00\x00\x00\x00\x49\x45\x4e"
    "\x44\xae\x42\x60\x82";

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    if (test_mkdtemp(fx->dir, sizeof fx->dir, "cascade") != 0) return -1;
    snprintf(fx->forms, sizeof fx->forms, "%s/forms", fx->dir);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/cascada", fx->forms);
    if (mkdir(fx->forms, 0700) != 0 || mkdir(dir, 0700) != 0) return -1;
    testform_write_file(dir, "survey.csv", SURVEY);
    testform_write_file(dir, "choices.csv", CHOICES);
    testform_write_file(dir, "settings.csv", "form_title,form_id,default_language\nCascada,cascada,Español (es)\n");
    snprintf(dir, sizeof dir, "%s/azar", fx->forms);
    if (mkdir(dir, 0700) != 0) return -1;
    testform_write_file(dir, "survey.csv", "type,name,label,parameters,required\n"
                        "select_one n,uno,Uno,randomize=true,\ntext,t,T,,yes\n");
    testform_write_file(dir, "choices.csv", "list_name,name,label\nn,a,A\nn,b,B\nn,c,C\nn,d,D\nn,e,E\n"
                        "n,f,F\nn,g,G\nn,h,H\n");
    testform_write_file(dir, "settings.csv", "form_id\nazar\n");
    snprintf(dir, sizeof dir, "%s/fotos", fx->forms);
    if (mkdir(dir, 0700) != 0) return -1;
    testform_write_file(dir, "survey.csv", "type,name,label\nselect_one col,color,Color\n");
    testform_write_file(dir, "choices.csv", "list_name,name,label,media::image\ncol,rojo,Rojo,rojo.png\n"
                        "col,azul,Azul,azul.png\ncol,falso,Falso,falso.png\n");
    testform_write_file(dir, "settings.csv", "form_id\nfotos\n");
    testform_write_file(dir, "falso.png", "<svg onload=alert(1)>");
    char png[600];
    snprintf(png, sizeof png, "%s/rojo.png", dir);
    FILE *fp = fopen(png, "wb");
    if (!fp || fwrite(RED_PNG, 1, sizeof RED_PNG - 1, fp) != sizeof RED_PNG - 1 || fclose(fp) != 0) return -1;
    snprintf(dir, sizeof dir, "%s/otro", fx->forms);
    if (mkdir(dir, 0700) != 0) return -1;
    testform_write_file(dir, "survey.csv", OTHER_SURVEY);
    testform_write_file(dir, "choices.csv", OTHER_CHOICES);
    testform_write_file(dir, "settings.csv", "form_title,form_id,default_language\nOtro,otro,Español (es)\n");
    if (test_catalog_csvs(fx->forms) != 0) return -1;
    *state = fx;
    return testsrv_start(&fx->srv, fx->forms, NULL);
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    int rc = testsrv_stop(&fx->srv);
    test_rmtree(fx->dir);
    free(fx);
    return rc == 0 ? 0 : -1;
}

/* Whether the page offers choice value of question q: its radio is there,
 * enabled and not hidden. Fails when the radio is absent altogether. */
static bool offered(const char *page, const char *q, const char *value)
{
    char want[160];
    snprintf(want, sizeof want, "<input type=radio name=%s value=%s", q, value);
    const char *p = strstr(page, want);
    if (!p) fail_msg("no radio %s=%s in:\n%s", q, value, page);
    const char *end = strchr(p, '>');
    bool disabled = strstr(p, " disabled") && strstr(p, " disabled") < end;
    /* its label: the last "<label" before it */
    const char *l = p;
    while (l > page && strncmp(l, "<label", 6)) l--;
    bool hidden = !strncmp(l, "<label hidden>", 14);
    if (disabled != hidden) fail_msg("%s=%s: hidden %d but disabled %d", q, value, hidden, disabled);
    return !hidden;
}

static void expect_offers(const char *page, const char *q, const char *const *on, const char *const *off)
{
    for (; on && *on; on++)
        if (!offered(page, q, *on)) fail_msg("%s=%s not offered:\n%s", q, *on, page);
    for (; off && *off; off++)
        if (offered(page, q, *off)) fail_msg("%s=%s offered:\n%s", q, *off, page);
}

#define SID "_sid=cascadecascadecascade%02d&_t=0"

static void post(const fx_t *fx, const char *path, const char *body, http_resp_t *r)
{
    assert_int_equal(http_post(fx->srv.port, path, body, r), 0);
}

static void test_fresh_page_offers_no_dependent_choice(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    assert_int_equal(http_get(fx->srv.port, "/e/cascada?lang=es", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    expect_offers(r.body, "provincia", (const char *[]){ "ep", "sj", NULL }, NULL);
    expect_offers(r.body, "municipio", NULL, (const char *[]){ "banica", "comendador", "sjm", NULL });
    expect_offers(r.body, "distrito", NULL, (const char *[]){ "sabana", "higuero", "guayabo", "pedro", NULL });
    /* The re-render button beside each filtered question, in the page's language. */
    if (!strstr(r.body, "<button class=up formaction=\"/e/cascada?lang=es#q-municipio\" name=_lang value=es>"
                        "Actualizar opciones</button></fieldset>"))
        fail_msg("no refresh button:\n%s", r.body);
    if (!strstr(r.body, "id=q-municipio data-cf=1>")) fail_msg("no data-cf:\n%s", r.body);
    http_resp_free(&r);
    assert_int_equal(http_get(fx->srv.port, "/e/cascada?lang=ht", NULL, &r), 0);
    if (!strstr(r.body, "name=_lang value=ht>Mete opsyon yo ajou</button>")) fail_msg("ht button:\n%s", r.body);
    http_resp_free(&r);
}

static void test_rerender_narrows(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    char body[256];
    snprintf(body, sizeof body, "provincia=ep&_lang=es&" SID, 1);
    post(fx, "/e/cascada?lang=es", body, &r);
    assert_int_equal(r.status, 200);
    expect_offers(r.body, "municipio", (const char *[]){ "banica", "comendador", NULL }, (const char *[]){ "sjm", NULL });
    expect_offers(r.body, "distrito", NULL, (const char *[]){ "sabana", "higuero", "guayabo", "pedro", NULL });
    if (!strstr(r.body, "value=ep checked>")) fail_msg("provincia not kept:\n%s", r.body);
    http_resp_free(&r);

    snprintf(body, sizeof body, "provincia=ep&municipio=banica&_lang=es&" SID, 1);
    post(fx, "/e/cascada?lang=es", body, &r);
    assert_int_equal(r.status, 200);
    expect_offers(r.body, "distrito", (const char *[]){ "sabana", "higuero", NULL },
                  (const char *[]){ "guayabo", "pedro", NULL });
    http_resp_free(&r);

    /* Another provincia: the municipio chosen before no longer fits and is not shown checked. */
    snprintf(body, sizeof body, "provincia=sj&municipio=banica&_lang=ht&" SID, 1);
    post(fx, "/e/cascada?lang=ht", body, &r);
    assert_int_equal(r.status, 200);
    expect_offers(r.body, "municipio", (const char *[]){ "sjm", NULL }, (const char *[]){ "banica", "comendador", NULL });
    if (strstr(r.body, "value=banica disabled checked")) fail_msg("banica checked:\n%s", r.body);
    http_resp_free(&r);
}

static void test_valid_303_invalid_422(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    char body[256];
    snprintf(body, sizeof body, "provincia=ep&municipio=comendador&distrito=guayabo&" SID, 2);
    post(fx, "/e/cascada?lang=es", body, &r);
    assert_int_equal(r.status, 303);
    http_resp_free(&r);

    static const struct { const char *lang, *msg; } langs[] = {
        { "es", "<p class=e id=e-distrito>Elija una de las opciones de la lista.</p>" },
        { "ht", "<p class=e id=e-distrito>Chwazi youn nan opsyon ki nan lis la.</p>" },
    };
    for (size_t k = 0; k < 2; k++) {
        char path[64];
        snprintf(path, sizeof path, "/e/cascada?lang=%s", langs[k].lang);
        snprintf(body, sizeof body, "provincia=ep&municipio=comendador&distrito=sabana&" SID, 3 + (int)k);
        post(fx, path, body, &r);
        assert_int_equal(r.status, 422);
        if (!strstr(r.body, langs[k].msg)) fail_msg("no message beside distrito (%s):\n%s", langs[k].lang, r.body);
        /* The page again offers what fits the answers. */
        expect_offers(r.body, "distrito", (const char *[]){ "guayabo", NULL },
                      (const char *[]){ "sabana", "higuero", "pedro", NULL });
        http_resp_free(&r);
    }
}

static void test_live_lists_fitting_choices(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    post(fx, "/e/cascada/vivo?lang=es", "provincia=ep&municipio=banica", &r);
    assert_int_equal(r.status, 200);
    json_error_t e;
    json_t *j = json_loads(r.body, 0, &e);
    assert_non_null(j);
    json_t *opts = json_object_get(j, "opts");
    char *mun = json_dumps(json_object_get(opts, "municipio"), JSON_COMPACT);
    char *dist = json_dumps(json_object_get(opts, "distrito"), JSON_COMPACT);
    assert_non_null(mun);
    assert_non_null(dist);
    assert_string_equal(mun, "[\"banica\",\"comendador\"]");
    assert_string_equal(dist, "[\"sabana\",\"higuero\"]");
    assert_null(json_object_get(opts, "provincia"));
    free(mun);
    free(dist);
    json_decref(j);
    http_resp_free(&r);
}

static void test_or_other_page(void **state)
{
    fx_t *fx = *state;
    static const struct { const char *lang, *other, *specify; } langs[] = {
        { "es", "<input type=radio name=color value=other>Otro</label></div></fieldset>",
          "<div class=q id=q-color_other data-if=\"color~other\"><label for=i-color_other>Especifique:</label>" },
        { "ht", "<input type=radio name=color value=other>Lòt</label></div></fieldset>",
          "<div class=q id=q-color_other data-if=\"color~other\"><label for=i-color_other>Presize:</label>" },
    };
    for (size_t k = 0; k < 2; k++) {
        char path[64];
        snprintf(path, sizeof path, "/e/otro?lang=%s", langs[k].lang);
        http_resp_t r;
        assert_int_equal(http_get(fx->srv.port, path, NULL, &r), 0);
        assert_int_equal(r.status, 200);
        if (!strstr(r.body, langs[k].other)) fail_msg("no other (%s):\n%s", langs[k].lang, r.body);
        if (!strstr(r.body, langs[k].specify)) fail_msg("no specify (%s):\n%s", langs[k].lang, r.body);
        if (!strstr(r.body, "<input type=checkbox name=colores value=other>")) fail_msg("multiple:\n%s", r.body);
        if (!strstr(r.body, "id=q-colores_other data-if=\"colores~other\"")) fail_msg("multiple:\n%s", r.body);
        http_resp_free(&r);
    }
}

static void test_or_other_stored_and_exported(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    char body[256];
    snprintf(body, sizeof body, "color=other&color_other=Verde+lim%%C3%%B3n&colores=1+other&colores_other=Morado&" SID, 10);
    post(fx, "/e/otro?lang=es", body, &r);
    assert_int_equal(r.status, 303);
    http_resp_free(&r);
    /* Text typed while "other" is not chosen is not dropped silently. */
    snprintf(body, sizeof body, "color=2&color_other=Verde&" SID, 11);
    post(fx, "/e/otro?lang=es", body, &r);
    assert_int_equal(r.status, 422);
    http_resp_free(&r);

    char cookie[256];
    assert_int_equal(staffsrv_session(&fx->srv, "jefa", "admin", cookie, sizeof cookie), 0);
    assert_int_equal(http_get(fx->srv.port, "/api/v1/forms/otro/responses.csv", cookie, &r), 0);
    assert_int_equal(r.status, 200);
    const char *want[] = { "color", "color_other", "colores_other", "Verde limón", "Morado", "1 other" };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(r.body, want[i])) fail_msg("no %s in the export:\n%s", want[i], r.body);
    http_resp_free(&r);
}

/* The values of question q's radios in page order, "a b c ...", and the
 * page's submission id into sid. Caller frees. */
static char *radio_order(const char *page, const char *q, char sid[80])
{
    buf_t b;
    buf_init(&b);
    char want[64];
    snprintf(want, sizeof want, "name=%s value=", q);
    for (const char *p = page; (p = strstr(p, want)); p += strlen(want)) {
        if (b.len) buf_putc(&b, ' ');
        buf_putc(&b, p[strlen(want)]);
    }
    const char *s = strstr(page, "name=_sid value=\"");
    if (sid && s) sscanf(s + 17, "%79[^\"]", sid);
    return buf_steal(&b);
}

static void test_randomize_per_visit_and_kept(void **state)
{
    fx_t *fx = *state;
    char *first = NULL;
    size_t differ = 0;
    for (int k = 0; k < 6; k++) {
        http_resp_t r;
        assert_int_equal(http_get(fx->srv.port, "/e/azar?lang=es", NULL, &r), 0);
        assert_int_equal(r.status, 200);
        char sid[80] = "";
        char *o = radio_order(r.body, "uno", sid);
        http_resp_free(&r);
        assert_int_equal(strlen(o), strlen("a b c d e f g h"));
        if (!first) first = xstrdup(o);
        else differ += strcmp(o, first) != 0;
        /* Shown again (a required answer missing: 422), the same order. */
        char body[160];
        snprintf(body, sizeof body, "uno=c&_sid=%s&_t=0", sid);
        post(fx, "/e/azar?lang=es", body, &r);
        assert_int_equal(r.status, 422);
        char *again = radio_order(r.body, "uno", NULL);
        assert_string_equal(again, o);
        http_resp_free(&r);
        free(again);
        free(o);
    }
    assert_true(differ >= 3);
    free(first);
}

static void test_choice_images(void **state)
{
    fx_t *fx = *state;
    http_resp_t r;
    assert_int_equal(http_get(fx->srv.port, "/e/fotos?lang=es", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    if (!strstr(r.body, "value=rojo><img alt=\"\" loading=lazy src=\"/e/fotos/imagen?f=rojo.png\">Rojo</label>"))
        fail_msg("no picture:\n%s", r.body);
    if (!strstr(r.body, "value=azul>Azul</label>") || !strstr(r.body, "value=falso>Falso</label>"))
        fail_msg("label alone expected:\n%s", r.body);
    http_resp_free(&r);

    assert_int_equal(http_get(fx->srv.port, "/e/fotos/imagen?f=rojo.png", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    char *ct = http_header(&r, "Content-Type");
    assert_string_equal(ct, "image/png");
    free(ct);
    assert_int_equal(r.body_len, sizeof RED_PNG - 1);
    assert_memory_equal(r.body, RED_PNG, sizeof RED_PNG - 1);
    http_resp_free(&r);
    const char *gone[] = { "/e/fotos/imagen?f=falso.png", "/e/fotos/imagen?f=azul.png", "/e/fotos/imagen?f=../fotos/survey.csv",
                           "/e/fotos/imagen?f=survey.csv", "/e/fotos/imagen", "/e/nada/imagen?f=rojo.png" };
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++) {
        assert_int_equal(http_get(fx->srv.port, gone[i], NULL, &r), 0);
        if (r.status != 404) fail_msg("%s: %d", gone[i], r.status);
        http_resp_free(&r);
    }

    /* forms check: the form loads, with a note per picture it cannot show. */
    buf_t out, err;
    char *argv[] = { "forms", "check", fx->forms, NULL };
    int rc = testform_run(cli_forms, argv, 3, &out, &err);
    if (rc != 0 || !strstr(out.data, "fotos/choices.csv:3: image \"azul.png\" is not beside the form") ||
        !strstr(out.data, "fotos/choices.csv:4: image \"falso.png\" is not a PNG, JPEG, GIF or WebP picture"))
        fail_msg("rc %d:\n%s\n%s", rc, out.data ? out.data : "", err.data ? err.data : "");
    buf_free(&out);
    buf_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fresh_page_offers_no_dependent_choice),
        cmocka_unit_test(test_rerender_narrows),
        cmocka_unit_test(test_valid_303_invalid_422),
        cmocka_unit_test(test_live_lists_fitting_choices),
        cmocka_unit_test(test_or_other_page),
        cmocka_unit_test(test_or_other_stored_and_exported),
        cmocka_unit_test(test_randomize_per_visit_and_kept),
        cmocka_unit_test(test_choice_images),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
