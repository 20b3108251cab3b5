/*
 * imgcheck.c: see imgcheck.h. Shell commands are built only from paths
 * this file created (mkdtemp under a fixed prefix) and test-chosen names,
 * single-quoted, so no quoting of arbitrary input is needed.
 */
#include "imgcheck.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "base/buf.h"

static void die(const char *what)
{
    perror(what);
    abort();
}

char *ic_tmpdir(void)
{
    const char *t = getenv("TMPDIR");
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "%s/buzon-test-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(b.data)) die("mkdtemp");
    return buf_steal(&b);
}

void ic_rmdir(const char *dir)
{
    if (ic_run("rm -rf '%s'", dir) != 0) die("rm -rf");
}

char *ic_write(const char *dir, const char *name, const void *data, size_t len)
{
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "%s/%s", dir, name);
    FILE *f = fopen(b.data, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) die(b.data);
    return buf_steal(&b);
}

int ic_run(const char *fmt, ...)
{
    buf_t cmd;
    buf_init(&cmd);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd.data);
    buf_free(&cmd);
    if (st == -1) die("system");
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

char *ic_zbar(const char *path)
{
    buf_t cmd, out;
    buf_init(&cmd);
    buf_init(&out);
    buf_printf(&cmd, "zbarimg --raw -q '%s' 2>/dev/null", path);
    FILE *p = popen(cmd.data, "r");
    if (!p) die("popen zbarimg");
    char chunk[512];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) buf_append(&out, chunk, n);
    int st = pclose(p);
    buf_free(&cmd);
    /* zbarimg exits 4 when it found no symbol; anything else but 0 means
     * it could not run at all, which must not pass as "no code found". */
    if (st == -1 || !WIFEXITED(st) || (WEXITSTATUS(st) != 0 && WEXITSTATUS(st) != 4)) {
        fprintf(stderr, "zbarimg failed on %s (is zbar-tools installed?)\n", path);
        abort();
    }
    if (out.len == 0 || out.data[out.len - 1] != '\n' ||
        memchr(out.data, '\n', out.len - 1)) {   /* none, or several symbols */
        buf_free(&out);
        return NULL;
    }
    out.data[--out.len] = '\0';
    return buf_steal(&out);
}
