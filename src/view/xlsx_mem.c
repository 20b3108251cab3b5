/*
 * xlsx_mem.c: see xlsx_mem.h.
 */
#include "view/xlsx_mem.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STALE_PREFIX "buzon-xlsx-"

/* The folder workbooks are made in: $TMPDIR, else /tmp. */
static const char *tmp_dir(void)
{
    const char *dir = getenv("TMPDIR");
    return dir && *dir ? dir : "/tmp";
}

void xlsx_mem_sweep(time_t now)
{
    const char *dir = tmp_dir();
    DIR *d = opendir(dir);
    if (!d) return;
    for (struct dirent *e; (e = readdir(d)); ) {
        if (strncmp(e->d_name, STALE_PREFIX, sizeof STALE_PREFIX - 1)) continue;
        char p[512];
        struct stat st;
        if ((size_t)snprintf(p, sizeof p, "%s/%s", dir, e->d_name) >= sizeof p) continue;
        /* An hour: no workbook takes that long, and a file of another
         * server still at work is never that old. */
        if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) && st.st_mtime < now - 3600) unlink(p);
    }
    closedir(d);
}

static void sweep_now(void)
{
    xlsx_mem_sweep(time(NULL));
}

/* Start a workbook at a new temporary path, in constant-memory mode or
 * not (xlsx_mem.h). */
static lxw_workbook *open_with(xlsx_mem_t *x, bool constant_memory)
{
    static pthread_once_t swept = PTHREAD_ONCE_INIT;
    pthread_once(&swept, sweep_now);
    const char *dir = tmp_dir();
    snprintf(x->path, sizeof x->path, "%s/" STALE_PREFIX "XXXXXX", dir);
    x->wb = NULL;
    int fd = mkstemp(x->path);
    if (fd < 0) {
        perror("buzon: xlsx temp file");
        x->path[0] = '\0';
        return NULL;
    }
    close(fd);
    /* libxlsxwriter's own temporary files (one per sheet in
     * constant-memory mode) go where ours does. */
    lxw_workbook_options o = { .constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE, .tmpdir = (char *)dir };
    x->wb = workbook_new_opt(x->path, &o);
    if (!x->wb) fprintf(stderr, "buzon: xlsx: cannot start a workbook in %s\n", x->path);
    return x->wb;
}

lxw_workbook *xlsx_mem_open(xlsx_mem_t *x)
{
    return open_with(x, false);
}

lxw_workbook *xlsx_mem_open_streaming(xlsx_mem_t *x)
{
    return open_with(x, true);
}

/* Close the workbook and copy its bytes to out (a buffer when fp is
 * NULL, else the stream fp); see xlsx_mem.h. */
static int close_into(xlsx_mem_t *x, bool ok, buf_t *out, FILE *fp_out)
{
    int rc = -1;
    if (x->wb) {
        lxw_error e = workbook_close(x->wb);
        x->wb = NULL;
        if (e != LXW_NO_ERROR) fprintf(stderr, "buzon: xlsx: %s\n", lxw_strerror(e));
        else if (ok) rc = 0;
    }
    if (rc == 0) {
        FILE *fp = fopen(x->path, "rb");
        char chunk[8192];
        size_t n;
        rc = fp ? 0 : -1;
        while (fp && !rc && (n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
            if (!fp_out) buf_append(out, chunk, n);
            else if (fwrite(chunk, 1, n, fp_out) != n) rc = -1;
        }
        if (fp && ferror(fp)) rc = -1;
        if (fp) fclose(fp);
        if (rc) perror("buzon: xlsx read back");
    }
    if (x->path[0]) unlink(x->path);
    x->path[0] = '\0';
    return rc;
}

int xlsx_mem_close(xlsx_mem_t *x, bool ok, buf_t *out)
{
    return close_into(x, ok, out, NULL);
}

int xlsx_mem_close_to(xlsx_mem_t *x, bool ok, FILE *out)
{
    return close_into(x, ok, NULL, out);
}
