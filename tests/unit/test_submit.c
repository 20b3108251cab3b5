/*
 * test_submit.c: a citizen's post judged below HTTP (service/submit.h):
 * the honeypot, the answers with their errors, a submission ready for the
 * store, and the submission-id rules offline clients rely on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "model/catalog.h"
#include "service/submit.h"

static void test_sid_rules(void **state)
{
    (void)state;
    assert_true(submit_sid_valid("abcd-123"));
    assert_true(submit_sid_valid("0123456789abcdef0123456789abcdef0123456789abcdef0123456789ABCDEF"));
    assert_false(submit_sid_valid(NULL));
    assert_false(submit_sid_valid("abc-123"));                 /* 7: too short */
    assert_false(submit_sid_valid("0123456789abcdef0123456789abcdef0123456789abcdef0123456789ABCDEFx"));
    assert_false(submit_sid_valid("abcd_1234"));
    assert_false(submit_sid_valid("abcd 1234"));
    char a[SUBMIT_SID_FRESH + 1], b[SUBMIT_SID_FRESH + 1];
    submit_new_sid(a);
    submit_new_sid(b);
    assert_int_equal(strlen(a), SUBMIT_SID_FRESH);
    assert_true(submit_sid_valid(a));
    assert_string_not_equal(a, b);
    assert_int_equal(a[14], '4');                               /* a version-4 UUID */
}

/* Judge body as a post to form form_id at the catalog's first point. */
static submit_verdict_t judge_form(const catalog_t *cat, const char *form_id, const char *body,
                                   submit_prep_t *sp)
{
    kvlist_t post;
    assert_int_equal(urlenc_parse(body, strlen(body), 200, 16000, &post), URLENC_OK);
    const form_t *f = catalog_form(cat, form_id, NULL);
    assert_non_null(f);
    submit_in_t in = { .form = f, .point = &cat->points.points[0], .lang = "es", .channel = "web" };
    submit_verdict_t v = submit_prepare(&post, &in, &cat->carta, &cat->holidays, 1700000000, sp);
    kvlist_free(&post);   /* the result does not lean on the post */
    assert_int_equal(v, sp->verdict);
    return v;
}

static submit_verdict_t judge(const catalog_t *cat, const char *body, submit_prep_t *sp)
{
    return judge_form(cat, "quejas", body, sp);
}

static void test_prepare_bot_invalid_ready(void **state)
{
    (void)state;
    catalog_t cat;
    assert_int_equal(catalog_open("forms", &cat, stderr), 0);
    submit_prep_t sp;

    assert_int_equal(judge(&cat, "_web=x&comentario_tipo=queja&comentario=hola", &sp), SUBMIT_BOT);
    assert_null(sp.sub);

    /* No comment: shown again with its error, the post's id and start kept. */
    assert_int_equal(judge(&cat, "_sid=offline-0001&_t=1699999000&comentario_tipo=queja", &sp),
                     SUBMIT_INVALID);
    assert_true(sp.answers.nerrors > 0);
    assert_string_equal(sp.sid, "offline-0001");
    assert_int_equal(sp.started, 1699999000);
    assert_null(sp.sub);
    answers_free(&sp.answers);

    /* A complaint: ready, opening a case; an id no client may bring is
     * replaced by a fresh one. */
    assert_int_equal(judge(&cat, "_sid=no<good>&comentario_tipo=queja&comentario=la+calle", &sp),
                     SUBMIT_READY);
    assert_non_null(sp.sub);
    assert_int_equal(strlen(sp.sid), SUBMIT_SID_FRESH);
    assert_int_equal(sp.started, 0);
    assert_int_equal(sp.answers.nerrors, 0);
    assert_int_equal(submission_rc(sp.sub), STORE_ERR);         /* not stored yet */
    submission_free(sp.sub);
    catalog_free(&cat);
}

/* A tap on "send" with nothing answered (only the poster's service, which
 * the server fills in) is not a response: it would add to the figures' n.
 * Every standard form, also those with no required question. */
static void test_prepare_refuses_empty(void **state)
{
    (void)state;
    catalog_t cat;
    assert_int_equal(catalog_open("forms", &cat, stderr), 0);
    const char *forms[] = { "satisfaccion", "accesibilidad", "agilidad", "quejas" };
    for (size_t k = 0; k < sizeof forms / sizeof *forms; k++) {
        submit_prep_t sp;
        assert_int_equal(judge_form(&cat, forms[k], "_sid=offline-0002&_t=1699999000", &sp), SUBMIT_INVALID);
        assert_null(sp.sub);
        size_t empty = 0;
        for (size_t i = 0; i < sp.answers.form->nq; i++)
            if (sp.answers.err[i] == AERR_EMPTY || sp.answers.err[i] == AERR_REQUIRED) empty++;
        assert_true(empty >= 1);
        answers_free(&sp.answers);
    }
    /* accesibilidad has no required question: the one error says to answer one. */
    submit_prep_t sp;
    assert_int_equal(judge_form(&cat, "accesibilidad", "_sid=offline-0003", &sp), SUBMIT_INVALID);
    assert_int_equal(sp.answers.nerrors, 1);
    answers_free(&sp.answers);
    /* One answer is enough. */
    assert_int_equal(judge_form(&cat, "accesibilidad", "_sid=offline-0004&acc_horario=4", &sp), SUBMIT_READY);
    assert_int_equal(sp.answers.nerrors, 0);
    submission_free(sp.sub);
    catalog_free(&cat);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sid_rules),
        cmocka_unit_test(test_prepare_bot_invalid_ready),
        cmocka_unit_test(test_prepare_refuses_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
