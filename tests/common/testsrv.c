/*
 * testsrv.c: see testsrv.h.
 */
#include "testsrv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"

const char *test_root(void)
{
    const char *r = getenv("BUZON_ROOT");
    return r && *r ? r : ".";
}

static void print_log(const testsrv_t *s)
{
    FILE *fp = fopen(s->log, "r");
    if (!fp) return;
    char line[1024];
    fprintf(stderr, "--- server log %s\n", s->log);
    while (fgets(line, sizeof line, fp)) fputs(line, stderr);
    fclose(fp);
}

/* Fork and exec the server on s->dir's database; learn its port. */
static int spawn(testsrv_t *s, const char *forms_dir, const char *const *extra)
{
    const char *bin = getenv("BUZON_BIN");
    if (!bin) bin = "build/buzon";
    const char *vg = getenv("BUZON_VALGRIND");
    bool valgrind = vg && *vg && strcmp(vg, "0");
    char forms[1024], www[1024], supp[1100];
    snprintf(forms, sizeof forms, "%s/forms", test_root());
    snprintf(www, sizeof www, "%s/www", test_root());
    snprintf(supp, sizeof supp, "--suppressions=%s/tests/valgrind.supp", test_root());

    int pfd[2];
    if (pipe(pfd) < 0) return -1;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        int logfd = open(s->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (logfd >= 0) { dup2(logfd, 2); close(logfd); }
        close(pfd[0]);
        if (pfd[1] != 3) { dup2(pfd[1], 3); close(pfd[1]); }
        const char *const vg_argv[] = {
            "valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
            "--show-leak-kinds=definite", "--errors-for-leak-kinds=definite", supp,
        };
        const char *argv[80];
        int n = 0;
        if (valgrind)
            for (size_t i = 0; i < sizeof vg_argv / sizeof vg_argv[0]; i++) argv[n++] = vg_argv[i];
        const char *const base[] = { bin, "serve", "--port", "0", "--listen", "127.0.0.1",
                                     "--db", s->db, "--forms", forms_dir ? forms_dir : forms,
                                     "--www", www, "--ready-fd", "3",
                                     /* tests post many answers from one
                                      * address; test_limits sets its own */
                                     "--rate-limit", "0" };
        for (size_t i = 0; i < sizeof base / sizeof base[0]; i++) argv[n++] = base[i];
        for (int i = 0; extra && extra[i] && n < 78; i++) argv[n++] = extra[i];
        argv[n] = NULL;
        execvp(argv[0], (char *const *)argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(pfd[1]);
    s->pid = pid;
    char buf[32] = { 0 };
    ssize_t got = 0, r;
    while ((size_t)got < sizeof buf - 1 && (r = read(pfd[0], buf + got, sizeof buf - 1 - (size_t)got)) > 0)
        got += r;
    close(pfd[0]);
    s->port = (unsigned)strtoul(buf, NULL, 10);
    if (!s->port) {
        int st;
        waitpid(pid, &st, 0);
        s->pid = 0;
        print_log(s);
        return -1;
    }
    return 0;
}

int testsrv_start(testsrv_t *s, const char *forms_dir, const char *const *extra)
{
    memset(s, 0, sizeof *s);
    snprintf(s->dir, sizeof s->dir, "/tmp/buzon-test-XXXXXX");
    if (!mkdtemp(s->dir)) return -1;
    snprintf(s->db, sizeof s->db, "%s/buzon.db", s->dir);
    snprintf(s->log, sizeof s->log, "%s/server.log", s->dir);
    return spawn(s, forms_dir, extra);
}

int testsrv_restart(testsrv_t *s, const char *forms_dir, const char *const *extra)
{
    if (s->pid > 0 || !s->dir[0]) return -1;
    return spawn(s, forms_dir, extra);
}

int testsrv_kill(testsrv_t *s, int sig)
{
    if (s->pid <= 0) return -1;
    int st;
    kill(s->pid, sig);
    pid_t w = waitpid(s->pid, &st, 0);
    s->pid = 0;
    return w > 0 && ((WIFSIGNALED(st) && WTERMSIG(st) == sig) || WIFEXITED(st)) ? 0 : -1;
}

int testsrv_stop(testsrv_t *s)
{
    int rc = -1;
    if (s->pid > 0) {
        int st;
        kill(s->pid, SIGTERM);
        if (waitpid(s->pid, &st, 0) == s->pid && WIFEXITED(st)) rc = WEXITSTATUS(st);
        if (rc != 0) print_log(s);
    }
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
    if (s->dir[0] && system(cmd) != 0) fprintf(stderr, "could not remove %s\n", s->dir);
    s->pid = 0;
    return rc;
}

int test_connect(const char *src, unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    if (src) {
        struct sockaddr_in b = { .sin_family = AF_INET };
        if (inet_pton(AF_INET, src, &b.sin_addr) != 1 || bind(fd, (struct sockaddr *)&b, sizeof b) < 0) {
            close(fd);
            return -1;
        }
    }
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) { close(fd); return -1; }
    return fd;
}

int testsrv_db_exec(const testsrv_t *s, const char *sql)
{
    sqlite3 *db;
    char *err = NULL;
    int rc = -1;
    if (sqlite3_open(s->db, &db) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        if (sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK) rc = 0;
        else fprintf(stderr, "testsrv_db_exec: %s: %s\n", sql, err ? err : "?");
        sqlite3_free(err);
    }
    sqlite3_close(db);
    return rc;
}

int http_raw(unsigned port, const char *req, size_t len, http_resp_t *out)
{
    return http_raw_from(NULL, port, req, len, out);
}

int http_raw_from(const char *src, unsigned port, const char *req, size_t len, http_resp_t *out)
{
    memset(out, 0, sizeof *out);
    int fd = test_connect(src, port);
    if (fd < 0) return -1;
    size_t off = 0;
    while (off < len) {
        ssize_t w = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (w <= 0) break;   /* the server may answer early and close */
        off += (size_t)w;
    }
    buf_t b;
    buf_init(&b);
    char chunk[8192];
    ssize_t r;
    while ((r = recv(fd, chunk, sizeof chunk, 0)) > 0) buf_append(&b, chunk, (size_t)r);
    close(fd);
    if (!b.data) return -1;
    char *sep = strstr(b.data, "\r\n\r\n");
    if (!sep || sscanf(b.data, "HTTP/1.%*d %d", &out->status) != 1) { buf_free(&b); return -1; }
    size_t hl = (size_t)(sep - b.data);
    out->head = strndup(b.data, hl);
    out->body_len = b.len - hl - 4;
    out->body = xmalloc(out->body_len + 1);
    memcpy(out->body, sep + 4, out->body_len);
    out->body[out->body_len] = '\0';
    buf_free(&b);
    return 0;
}

int http_get(unsigned port, const char *path, const char *headers, http_resp_t *out)
{
    buf_t b;
    buf_init(&b);
    /* Like a browser, never send a #fragment (a Location may carry one). */
    buf_printf(&b, "GET %.*s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sConnection: close\r\n\r\n",
               (int)strcspn(path, "#"), path, headers ? headers : "");
    int rc = http_raw(port, b.data, b.len, out);
    buf_free(&b);
    return rc;
}

int http_post(unsigned port, const char *path, const char *body, http_resp_t *out)
{
    buf_t b;
    buf_init(&b);
    buf_printf(&b, "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
               "Content-Length: %zu\r\nConnection: close\r\n\r\n%s", path, strlen(body), body);
    int rc = http_raw(port, b.data, b.len, out);
    buf_free(&b);
    return rc;
}

char *http_header(const http_resp_t *r, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = r->head; p && *p; ) {
        const char *eol = strstr(p, "\r\n");
        if (!strncasecmp(p, name, n) && p[n] == ':') {
            const char *v = p + n + 1;
            while (*v == ' ') v++;
            return strndup(v, eol ? (size_t)(eol - v) : strlen(v));
        }
        p = eol ? eol + 2 : NULL;
    }
    return NULL;
}

void http_resp_free(http_resp_t *r)
{
    free(r->head);
    free(r->body);
    memset(r, 0, sizeof *r);
}
