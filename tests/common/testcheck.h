/*
 * testcheck.h: the checks integration tests make of what the server
 * answered and stored, in one place instead of a copy per test file: a
 * page holds (or does not hold) a text, one number out of the database,
 * and the catalog files a test's own forms folder needs beside its forms.
 */
#ifndef BUZON_TESTCHECK_H
#define BUZON_TESTCHECK_H

#include <jansson.h>

/* Fail the test, showing body, unless body holds what (test_has) / holds
 * it not (test_lacks). */
void test_has(const char *body, const char *what);
void test_lacks(const char *body, const char *what);
/* The first column of the first row sql gives on the database at db (0
 * when none); fails the test on an SQL error. */
long long test_db_int(const char *db, const char *sql);
/* Copy the repository's forms/points.csv and forms/services.csv into
 * forms_dir, as every forms folder needs them; 0 or -1. */
int test_catalog_csvs(const char *forms_dir);
/* The JSON document GET path answers on port (headers: a cookie line, or
 * NULL), failing the test unless it answers status with JSON; the caller
 * owns it (json_decref). */
json_t *test_get_json(unsigned port, const char *path, const char *headers, int status);
/* The indicator id of an /api/v1/indicators document (borrowed from
 * doc), failing the test when it is not there. */
json_t *test_indicator(json_t *doc, const char *id);

#endif
