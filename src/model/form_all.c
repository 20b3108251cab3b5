/*
 * form_all.c: every form of a forms folder, for the catalog (catalog.h),
 * which the server, `buzon forms check` and the other commands load. The
 * folder also holds files that are not forms (points.csv, services.csv...);
 * a form is a subfolder with a survey.csv.
 */
#include "model/form_int.h"

#include "base/buf.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_form_id(const void *a, const void *b)
{
    return strcmp((*(form_t *const *)a)->id, (*(form_t *const *)b)->id);
}

static bool is_xlsx(const char *name)
{
    size_t n = strlen(name);
    /* "~$form.xlsx" is the lock file Excel leaves beside an open workbook. */
    return n > 5 && !strcasecmp(name + n - 5, ".xlsx") && strncmp(name, "~$", 2) && name[0] != '.';
}

char *form_workbook(const char *path, bool *many)
{
    *many = false;
    struct stat st;
    if (stat(path, &st) != 0) return NULL;
    if (S_ISREG(st.st_mode)) {
        const char *base = strrchr(path, '/');
        return is_xlsx(base ? base + 1 : path) ? xstrdup(path) : NULL;
    }
    if (!S_ISDIR(st.st_mode)) return NULL;
    char *survey = form_path(path, "survey.csv");
    bool csv = stat(survey, &st) == 0;
    free(survey);
    if (csv) return NULL;
    DIR *dp = opendir(path);
    if (!dp) return NULL;
    char *found = NULL;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL && !*many) {
        if (!is_xlsx(e->d_name)) continue;
        char *p = form_path(path, e->d_name);
        if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(p);
        } else if (found) {
            free(p);
            free(found);
            found = NULL;
            *many = true;
        } else {
            found = p;
        }
    }
    closedir(dp);
    return found;
}

/* Subfolders of root holding a survey.csv or a workbook, and workbooks,
 * sorted so that diagnostics come
 * out in the same order on every machine. */
static char **form_dirs(const char *root, size_t *n, diag_t *d)
{
    *n = 0;
    DIR *dp = opendir(root);
    if (!dp) {
        diag_add(d, root, 0, "cannot open folder: %s", strerror(errno));
        return NULL;
    }
    char **dirs = NULL;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char *path = form_path(root, e->d_name);
        char *survey = form_path(path, "survey.csv");
        struct stat st;
        bool many = false;
        char *book = form_workbook(path, &many);
        if ((stat(survey, &st) == 0 && S_ISREG(st.st_mode)) || book || many) {
            dirs = xrealloc(dirs, (*n + 1) * sizeof *dirs);
            dirs[(*n)++] = path;
        } else {
            free(path);
        }
        free(survey);
        free(book);
    }
    closedir(dp);
    if (*n) qsort(dirs, *n, sizeof *dirs, cmp_str);
    return dirs;
}

size_t form_load_all(const char *root, form_t ***out, diag_t *d)
{
    assert(root && out && d);
    size_t ndirs, n = 0;
    char **dirs = form_dirs(root, &ndirs, d);
    form_t **forms = xcalloc(ndirs, sizeof *forms);
    const char **from = xcalloc(ndirs, sizeof *from);   /* folder of forms[k] */
    for (size_t i = 0; i < ndirs; i++) {
        form_t *f = form_load(dirs[i], d);
        if (!f) continue;
        size_t k = 0;
        while (k < n && strcmp(forms[k]->id, f->id)) k++;
        if (k < n) {
            /* Folder names are unique, so a clash comes from a form_id in
             * settings.csv. */
            bool many;
            char *book = form_workbook(dirs[i], &many);
            buf_t sp;
            buf_init(&sp);
            if (book) buf_printf(&sp, "%s:settings", book);
            else buf_printf(&sp, "%s/settings.csv", dirs[i]);
            char *settings = buf_steal(&sp);
            free(book);
            diag_add(d, settings, 2, "form_id \"%s\" is already the id of %s", f->id, from[k]);
            free(settings);
            form_free(f);
            continue;
        }
        from[n] = dirs[i];
        forms[n++] = f;
    }
    qsort(forms, n, sizeof *forms, cmp_form_id);
    for (size_t i = 0; i < ndirs; i++) free(dirs[i]);
    free(dirs);
    free(from);
    *out = forms;
    return n;
}

void form_free_all(form_t **forms, size_t n)
{
    for (size_t i = 0; i < n; i++) form_free(forms[i]);
    free(forms);
}
