/*
 * fuzz_form.c: libFuzzer harness for the XLSForm loader: a whole form
 * folder (survey.csv, choices.csv, settings.csv) from one input, loaded and
 * checked as `buzon forms check` and the server do.
 *
 * Input: the three sheets separated by NUL bytes, in that order; a sheet
 * left out is a missing file. They are written to a private temporary
 * folder (form_load reads a folder) under /dev/shm when it exists, so the
 * disk is not worn.
 *
 * Oracle beyond the sanitizers: a load either returns a form and no
 * diagnostics, or no form and at least one `file:row: message` line.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "model/form.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];
static const char *const sheet[3] = { "survey.csv", "choices.csv", "settings.csv" };

static void cleanup(void)
{
    char path[128];
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, sheet[i]);
        unlink(path);
    }
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    snprintf(dir, sizeof dir, "%s/buzon-fuzz-form-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (!mkdtemp(dir)) abort();
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    char path[128];
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, sheet[i]);
        if (!p) {
            unlink(path);
            continue;
        }
        const char *nul = memchr(p, '\0', (size_t)(end - p));
        size_t n = nul ? (size_t)(nul - p) : (size_t)(end - p);
        FILE *fp = fopen(path, "wb");
        if (!fp || fwrite(p, 1, n, fp) != n || fclose(fp) != 0) abort();
        p = nul ? nul + 1 : NULL;
    }
    diag_t d = { 0 };
    form_t *f = form_load(dir, &d);
    if (f) {
        assert(d.n == 0);
        for (size_t i = 0; i < f->nq; i++) (void)form_question(f, f->q[i].name);
        form_free(f);
    } else {
        assert(d.n > 0);
    }
    diag_free(&d);
    return 0;
}
