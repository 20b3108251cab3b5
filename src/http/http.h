/*
 * http.h: the web server (libmicrohttpd): start, port, stop. The routes
 * it serves are in http_route.h.
 */
#ifndef BUZON_HTTP_H
#define BUZON_HTTP_H

#include <stdbool.h>
#include <stddef.h>
struct app;   /* http/app.h */

typedef struct http_config {
    const char *listen;       /* IPv4 address to bind, NULL = any */
    unsigned    port;         /* 0 = pick a free port */
    unsigned    threads;      /* worker threads; 0 = number of CPUs */
    size_t      max_body;     /* bytes */
    unsigned    timeout_s;    /* idle connection timeout */
    unsigned    request_timeout_s; /* a request's headers and body must
                                      arrive within this (http_guard.h) */
    unsigned    max_conns;    /* connections at once, in total */
    unsigned    max_conns_per_ip;  /* ... from one address */
    unsigned    submit_per_min;    /* survey submissions per minute per
                                      address (also the burst); 0 = no limit */
} http_config_t;

typedef struct http_server http_server_t;

/* Start serving app. Returns NULL with a message on stderr. */
http_server_t *http_start(struct app *app, const http_config_t *cfg);
/* The port actually bound. */
unsigned http_port(const http_server_t *s);
/* Stop accepting, finish in-flight requests, free. */
void http_stop(http_server_t *s);

#endif
