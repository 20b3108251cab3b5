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

/* Judge body as a post to form quejas at its first point. */
static submit_verdict_t judge(const catalog_t *cat, const char *body, submit_prep_t *sp)
{
    kvlist_t post;
    assert_int_equal(urlenc_parse(body, strlen(body), 200, 16000, &post), URLENC_OK);
    const form_t *f = catalog_form(cat, "quejas", NULL);
    assert_non_null(f);
    submit_in_t in = { .form = f, .point = &cat->points.points[0], .lang = "es", .channel = "web" };
    submit_verdict_t v = submit_prepare(&post, &in, &cat->carta, &cat->holidays, 1700000000, sp);
    kvlist_free(&post);   /* the result does not lean on the post */
    assert_int_equal(v, sp->verdict);
    return v;
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

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sid_rules),
        cmocka_unit_test(test_prepare_bot_invalid_ready),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
