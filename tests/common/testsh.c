/*
 * testsh.c: see testsh.h.
 */
#include "testsh.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

/* Run cmd (a complete command line) as test_sh does. */
static int run(const char *dir, buf_t *cmd, buf_t *out, buf_t *err)
{
    buf_printf(cmd, " ) >'%s/out' 2>'%s/err' </dev/null", dir, dir);
    int st = system(cmd->data);
    buf_free(cmd);
    buf_t *dst[2] = { out, err };
    static const char *const name[2] = { "out", "err" };
    for (int i = 0; i < 2; i++) {
        if (!dst[i]) continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, name[i]);
        char *text = test_slurp(path);
        assert_non_null(text);
        buf_init(dst[i]);
        buf_puts(dst[i], text);
        buf_putc(dst[i], '\0');
        dst[i]->len--;
        free(text);
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int test_sh(const char *dir, buf_t *out, buf_t *err, const char *fmt, ...)
{
    buf_t cmd;
    buf_init(&cmd);
    buf_puts(&cmd, "( ");
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&cmd, fmt, ap);
    va_end(ap);
    return run(dir, &cmd, out, err);
}

int test_buzon(const char *dir, buf_t *out, buf_t *err, const char *fmt, ...)
{
    const char *bin = getenv("BUZON_BIN");
    buf_t cmd;
    buf_init(&cmd);
    /* LC_ALL=C: the program's messages in English whatever the runner's
     * locale (forms check speaks es, ht or fr when it says so, issue 15) */
    buf_printf(&cmd, "( LC_ALL=C timeout 30 '%s' ", bin ? bin : "build/buzon");
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&cmd, fmt, ap);
    va_end(ap);
    return run(dir, &cmd, out, err);
}

int test_mkdtemp(char *dir, size_t n, const char *name)
{
    snprintf(dir, n, "/tmp/buzon-%s-XXXXXX", name);
    return mkdtemp(dir) ? 0 : -1;
}

int test_rmtree(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

char *test_slurp(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp) return NULL;
    buf_t b;
    buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) buf_append(&b, chunk, n);
    fclose(fp);
    buf_putc(&b, '\0');
    return buf_steal(&b);
}
