/*
 * xlsx_mem.c: see xlsx_mem.h.
 */
#include "view/xlsx_mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

lxw_workbook *xlsx_mem_open(xlsx_mem_t *x)
{
    const char *dir = getenv("TMPDIR");
    snprintf(x->path, sizeof x->path, "%s/buzon-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
    x->wb = NULL;
    int fd = mkstemp(x->path);
    if (fd < 0) {
        perror("buzon: xlsx temp file");
        x->path[0] = '\0';
        return NULL;
    }
    close(fd);
    x->wb = workbook_new(x->path);
    if (!x->wb) fprintf(stderr, "buzon: xlsx: cannot start a workbook in %s\n", x->path);
    return x->wb;
}

int xlsx_mem_close(xlsx_mem_t *x, bool ok, buf_t *out)
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
        while (fp && (n = fread(chunk, 1, sizeof chunk, fp)) > 0) buf_append(out, chunk, n);
        if (fp && ferror(fp)) rc = -1;
        if (fp) fclose(fp);
        if (rc) perror("buzon: xlsx read back");
    }
    if (x->path[0]) unlink(x->path);
    x->path[0] = '\0';
    return rc;
}
