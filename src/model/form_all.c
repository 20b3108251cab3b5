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
#include <sys/stat.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_form_id(const void *a, const void *b)
{
    return strcmp((*(form_t *const *)a)->id, (*(form_t *const *)b)->id);
}

/* Subfolders of root holding a survey.csv, sorted so that diagnostics come
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
        if (stat(survey, &st) == 0 && S_ISREG(st.st_mode)) {
            dirs = xrealloc(dirs, (*n + 1) * sizeof *dirs);
            dirs[(*n)++] = path;
        } else {
            free(path);
        }
        free(survey);
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
            char *settings = form_path(dirs[i], "settings.csv");
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
