/*
 * loadgen.c: constant-rate ("open loop", wrk2-style) load of survey
 * submissions, for `make bench`. Requests are scheduled at fixed times
 * (start + i / rate) whether or not earlier ones have been answered, and
 * each latency is measured from its scheduled time, so time spent queued
 * behind a slow answer counts (no coordinated omission).
 *
 *   loadgen PORT RATE SECONDS CONNECTIONS [IDS_FILE]
 *   loadgen PORT --get COUNT CONNECTIONS
 *
 * The second form is closed-loop: exactly COUNT GETs of survey pages
 * (every form, point and language in turn), each connection sending its
 * next request as soon as the last is answered; for reading the server's
 * memory after a known number of requests.
 *
 * Posts valid satisfaccion answers with distinct submission ids to
 * 127.0.0.1:PORT over keep-alive connections. Prints sent, acknowledged
 * (303), other, p50, p99 and max latency in ms. With IDS_FILE, writes the
 * id of every acknowledged submission, one per line, for the caller to
 * check against the database.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct conn {
    int fd;
    long req;          /* request in flight, or -1 when idle */
    char in[65536];     /* a whole survey page fits */
    size_t got;
} conn_t;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int dial(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        perror("loadgen: connect");
        exit(1);
    }
    return fd;
}

static bool get_mode;

static void send_get(conn_t *c, long i)
{
    static const char *const forms[] = { "satisfaccion", "accesibilidad", "agilidad" };
    static const char *const points[] = { "", "&p=mercado-municipal", "&p=matadero-municipal",
                                          "&p=cementerio-municipal", "&p=oficina-recepcion" };
    char req[256];
    int rl = snprintf(req, sizeof req, "GET /e/%s?lang=%s%s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                      forms[i % 3], i % 2 ? "ht" : "es", points[i % 5]);
    if (write(c->fd, req, (size_t)rl) != rl) {
        perror("loadgen: write");
        exit(1);
    }
    c->req = i;
    c->got = 0;
}

static void send_req(conn_t *c, long i, unsigned run)
{
    if (get_mode) {
        send_get(c, i);
        return;
    }
    char body[512], req[1024];
    int bl = snprintf(body, sizeof body,
        "_sid=load%04u-%010ld&_t=0&servicio=mercado&satisfaccion=4&confianza=5&necesidad=4"
        "&facilidad=3&tiempo=4&trato=5&personal=4&esp_mercado=2&comentario_tipo=ninguno"
        "&sexo=mujer&edad=30_44&zona=rural&idioma=es", run, i);
    int rl = snprintf(req, sizeof req,
        "POST /e/satisfaccion?p=mercado-municipal&lang=es HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", bl, body);
    if (write(c->fd, req, (size_t)rl) != rl) {
        perror("loadgen: write");
        exit(1);
    }
    c->req = i;
    c->got = 0;
}

/* A complete response in c->in? Returns its status, 0 if incomplete. */
static int complete(conn_t *c)
{
    c->in[c->got] = '\0';
    char *end = strstr(c->in, "\r\n\r\n");
    if (!end) return 0;
    const char *cl = strcasestr(c->in, "\r\nContent-Length:");
    size_t body = cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0;
    if (c->got < (size_t)(end + 4 - c->in) + body) return 0;
    int status = 0;
    sscanf(c->in, "HTTP/1.%*d %d", &status);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: loadgen PORT RATE SECONDS CONNECTIONS [IDS_FILE]\n");
        return 2;
    }
    unsigned port = (unsigned)atoi(argv[1]);
    get_mode = !strcmp(argv[2], "--get");
    double rate = get_mode ? 1e9 : atof(argv[2]), secs = atof(argv[3]);
    int nconn = atoi(argv[4]);
    FILE *ids = argc > 5 ? fopen(argv[5], "w") : NULL;
    long total = get_mode ? atol(argv[3]) : (long)(rate * secs);
    if (port == 0 || rate <= 0 || total <= 0 || nconn <= 0) return 2;
    unsigned run = (unsigned)(time(NULL) % 10000);

    conn_t *cs = calloc((size_t)nconn, sizeof *cs);
    double *sched = calloc((size_t)total, sizeof *sched), *lat = calloc((size_t)total, sizeof *lat);
    int ep = epoll_create1(0);
    for (int k = 0; k < nconn; k++) {
        cs[k].fd = dial(port);
        cs[k].req = -1;
        struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)k };
        epoll_ctl(ep, EPOLL_CTL_ADD, cs[k].fd, &ev);
    }

    double t0 = now_s();
    for (long i = 0; i < total; i++) sched[i] = t0 + (double)i / rate;
    long next = 0, done = 0, acked = 0, other = 0;
    int rr = 0;   /* round robin: every connection stays in use */
    while (done < total) {
        double t = now_s();
        /* Send what is due, on idle connections; the rest waits and its
         * wait counts in its latency. */
        for (int tries = 0; tries < nconn && next < total && sched[next] <= t; tries++, rr = (rr + 1) % nconn)
            if (cs[rr].req < 0) send_req(&cs[rr], next++, run);
        int timeout = next < total ? (int)((sched[next] - now_s()) * 1000) : 1000;
        if (timeout < 0) timeout = 0;
        struct epoll_event evs[64];
        int n = epoll_wait(ep, evs, 64, timeout);
        for (int e = 0; e < n; e++) {
            conn_t *c = &cs[evs[e].data.u32];
            ssize_t r = read(c->fd, c->in + c->got, sizeof c->in - 1 - c->got);
            if (r <= 0) {
                if (c->req >= 0) {
                    fprintf(stderr, "loadgen: the server closed a connection with a request in flight\n");
                    return 1;
                }
                /* An idle keep-alive connection timed out: dial again, as
                 * a browser would. */
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                c->fd = dial(port);
                struct epoll_event ev = { .events = EPOLLIN, .data.u32 = evs[e].data.u32 };
                epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
                continue;
            }
            c->got += (size_t)r;
            int status = complete(c);
            if (!status || c->req < 0) continue;
            lat[done++] = (now_s() - sched[c->req]) * 1000.0;
            if (status == (get_mode ? 200 : 303)) {
                acked++;
                if (ids) fprintf(ids, "load%04u-%010ld\n", run, c->req);
            } else {
                other++;
            }
            c->req = -1;
        }
    }
    double elapsed = now_s() - t0;
    qsort(lat, (size_t)total, sizeof *lat, cmp_double);
    printf("sent %ld\nacked %ld\nother %ld\nrate %.0f\np50_ms %.2f\np99_ms %.2f\nmax_ms %.2f\n",
           total, acked, other, (double)total / elapsed, lat[total / 2], lat[(long)(total * 0.99)],
           lat[total - 1]);
    if (ids) fclose(ids);
    return other ? 1 : 0;
}
