/*
 * fuzz_urlenc.c: libFuzzer harness for the path every byte of a citizen's
 * POST takes: the urlencoded body parser (with the server's limits), then
 * the answers of the satisfaccion form taken from the pairs and validated.
 *
 * Oracle beyond the sanitizers: every pair the parser accepts is valid
 * UTF-8 without NUL bytes and within the length limit, and the field limit
 * holds.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/answers.h"
#include "base/buf.h"
#include "model/form.h"
#include "base/urlenc.h"
#include "base/utf8.h"

enum { MAX_FIELDS = 200, MAX_LEN = ANSWER_MAX_TEXT * 2 };   /* as http_survey.c */

static form_t *form;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    const char *root = getenv("BUZON_ROOT");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/forms/satisfaccion", root && *root ? root : ".");
    diag_t d = { 0 };
    form = form_load(dir, &d);
    if (!form) {
        fprintf(stderr, "fuzz_urlenc: cannot load %s (run from the repository or set BUZON_ROOT)\n", dir);
        for (size_t i = 0; i < d.n; i++) fprintf(stderr, "%s\n", d.lines[i]);
        abort();
    }
    diag_free(&d);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kvlist_t kv;
    urlenc_rc_t rc = urlenc_parse((const char *)data, size, MAX_FIELDS, MAX_LEN, &kv);
    if (rc == URLENC_OK) {
        assert(kv.n <= MAX_FIELDS);
        for (size_t i = 0; i < kv.n; i++) {
            size_t kl = strlen(kv.items[i].key), vl = strlen(kv.items[i].val);
            assert(kl <= MAX_LEN && vl <= MAX_LEN);
            assert(utf8_valid(kv.items[i].key, kl) && utf8_valid(kv.items[i].val, vl));
        }
        answers_t a;
        answers_init(&a, form);
        answers_prefill_service(&a, (size & 1) ? "mercado" : NULL);
        answers_from_post(&a, &kv);
        answers_validate(&a);
        for (size_t i = 0; i < form->nq; i++)
            if (a.val[i]) assert(utf8_valid(a.val[i], strlen(a.val[i])));
        answers_free(&a);
    }
    kvlist_free(&kv);
    return 0;
}
