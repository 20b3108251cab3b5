/*
 * testform.h: small form folders written by a test, loaded, posted to, and
 * `buzon forms` run on them with its output captured. One copy of what
 * the loader and calculation tests (test_form_wild, test_form_calc,
 * test_form_load, test_xlsx) each had.
 */
#ifndef BUZON_TESTFORM_H
#define BUZON_TESTFORM_H

#include <stddef.h>

#include "base/buf.h"
#include "model/answers.h"
#include "model/form.h"

/* Write content to dir/name; fails the test on error. */
void testform_write_file(const char *dir, const char *name, const char *content);
/* A new folder root/sub holding survey.csv, choices.csv and settings.csv
 * (NULL: that file absent). Caller frees the path. */
char *testform_write(const char *root, const char *sub, const char *survey, const char *choices,
                     const char *settings);
/* A workbook at path (written with libxlsxwriter, as Excel would save it)
 * with the sheets survey, choices and settings holding the given CSV text
 * (NULL: that sheet absent); cells are strings. Fails the test on error. */
void testform_write_xlsx(const char *path, const char *survey, const char *choices, const char *settings);
/* The bytes of the file at path (caller frees); *len gets their number. */
char *testform_slurp(const char *path, size_t *len);

/* Write and load a form that must load (its problems are printed when it
 * does not). Caller frees with form_free. */
form_t *testform_load_ok(const char *root, const char *sub, const char *survey, const char *choices,
                         const char *settings);
/* Write and load a form that must fail: its problems, paths cut to the
 * form folder, '\n'-separated. Caller frees. */
char *testform_load_bad(const char *root, const char *sub, const char *survey, const char *choices,
                        const char *settings);
/* The notes of f, paths cut to the file name, '\n'-separated. Caller frees. */
char *testform_notes(const form_t *f);
/* f's question name; fails the test when there is none. */
const question_t *testform_q(const form_t *f, const char *name);
/* a filled from the urlencoded body and validated; the number of errors.
 * Caller frees a with answers_free. */
size_t testform_post(answers_t *a, const form_t *f, const char *body);
/* The value a holds for question name (NULL when none). */
const char *testform_val(const answers_t *a, const char *name);
/* Run cmd(argc, argv) with stdout and stderr captured into out and err
 * (initialised here; caller frees); returns its status. */
int testform_run(int (*cmd)(int argc, char **argv), char **argv, int argc, buf_t *out, buf_t *err);

#endif
