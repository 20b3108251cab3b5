/*
 * store_media.c: the files of responses, read back (store_media.h).
 */
#include "store/store_media.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "base/buf.h"
#include "store/store_int.h"

typedef struct get_args {
    const char *form_id, *name;
    store_media_file_t *out;
} get_args_t;

static int get_fn(sqlite3 *db, void *arg)
{
    get_args_t *a = arg;
    sqlite3_stmt *st = store_stmt(db, "SELECT type, question, data FROM media WHERE name = ?1 AND form_id = ?2",
                                  "tt", a->name, a->form_id);
    if (!st) return STORE_ERR;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        a->out->type = xstrdup((const char *)sqlite3_column_text(st, 0));
        a->out->question = xstrdup((const char *)sqlite3_column_text(st, 1));
        const void *b = sqlite3_column_blob(st, 2);
        a->out->len = (size_t)sqlite3_column_bytes(st, 2);
        a->out->data = xmalloc(a->out->len ? a->out->len : 1);
        if (a->out->len) memcpy(a->out->data, b, a->out->len);
    } else if (rc != SQLITE_DONE) {
        fprintf(stderr, "store: media %s: %s\n", a->name, sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERR;
}

store_rc_t store_media_get(store_t *s, const char *form_id, const char *name, store_media_file_t *out)
{
    assert(s && form_id && name && out);
    memset(out, 0, sizeof *out);
    get_args_t a = { form_id, name, out };
    return (store_rc_t)store_read(s, get_fn, &a);
}

typedef struct case_args {
    int64_t case_id;
    char  **names;
    size_t  n;
} case_args_t;

static int case_fn(sqlite3 *db, void *arg)
{
    case_args_t *a = arg;
    sqlite3_stmt *st = store_stmt(db, "SELECT name FROM media WHERE response_id ="
                                      " (SELECT response_id FROM cases WHERE id = ?1) ORDER BY id",
                                  "i", a->case_id);
    if (!st) return STORE_ERR;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        a->names = xrealloc(a->names, (a->n + 1) * sizeof *a->names);
        a->names[a->n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
    }
    if (rc != SQLITE_DONE) fprintf(stderr, "store: media of case %lld: %s\n", (long long)a->case_id, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERR;
}

store_rc_t store_media_of_case(store_t *s, int64_t case_id, char ***names, size_t *n)
{
    case_args_t a = { case_id, NULL, 0 };
    store_rc_t rc = (store_rc_t)store_read(s, case_fn, &a);
    if (rc != STORE_OK) {
        store_media_names_free(a.names, a.n);
        a.names = NULL;
        a.n = 0;
    }
    *names = a.names;
    *n = a.n;
    return rc;
}

void store_media_names_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
}

void store_media_file_free(store_media_file_t *f)
{
    if (!f) return;
    free(f->type);
    free(f->question);
    free(f->data);
    memset(f, 0, sizeof *f);
}
