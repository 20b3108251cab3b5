/*
 * http_guard.h: defences of the connection layer that libmicrohttpd 0.9.75
 * lacks (private to src/http; issue 14 items 1 and 5).
 *
 * Request deadline: libmicrohttpd only closes a connection that has been
 * fully idle for --timeout seconds, so a client sending one header byte
 * every few seconds, or one that sent half a request and went away (its
 * FIN can arrive with the data and go unseen), held a connection slot
 * indefinitely. The guard tracks every connection (NOTIFY_CONNECTION) and
 * a reaper thread shuts down the socket of any connection whose current
 * request has not been received whole within the deadline.
 *
 * Framing: requests whose length is ambiguous (two Content-Length
 * headers, Content-Length with Transfer-Encoding, a coding other than
 * chunked, a header name with a space before the colon) are what request smuggling is made of behind a
 * proxy; libmicrohttpd accepts them, the guard tells http.c to refuse
 * them with 400 and close the connection.
 */
#ifndef BUZON_HTTP_GUARD_H
#define BUZON_HTTP_GUARD_H

#include <microhttpd.h>
#include <stdbool.h>

#include "http/http_int.h"

typedef struct http_guard http_guard_t;

/* Start the reaper: a request must arrive whole (headers and body) within
 * deadline_s seconds of its connection opening; on a kept-alive
 * connection, within idle_s + deadline_s of the previous answer (the idle
 * time libmicrohttpd allows between requests, plus the deadline); 0: no
 * deadline (connections are only tracked). NULL
 * when the thread cannot be created. Free with http_guard_free, after
 * MHD_stop_daemon (which sends every CLOSED notification). */
http_guard_t *http_guard_new(unsigned deadline_s, unsigned idle_s);
void http_guard_free(http_guard_t *g);

/* The MHD_OPTION_NOTIFY_CONNECTION callback; cls is the guard. Keeps the
 * connection's entry in *socket_context (owned by the guard). */
void http_guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                       enum MHD_ConnectionNotificationCode code);

/* The current request on c has been received whole: no deadline until it
 * is answered (answering a slow reader or waiting for the database is not
 * the client's delay). */
void http_guard_received(struct MHD_Connection *c);
/* The request on c has been answered: the clock of the next one starts. */
void http_guard_answered(struct MHD_Connection *c);

/* True when c's headers frame the body unambiguously: at most one
 * Content-Length, or one Transfer-Encoding that is exactly "chunked", not
 * both, and no header name containing a space or tab. */
bool http_guard_framing_ok(struct MHD_Connection *c);
/* issue 17: true unless a query argument's name or value holds a NUL
 * byte (%00). libmicrohttpd decodes them in place and hands C strings
 * on, so "channel=papel%00x" would read as "papel" and "channel=%00" as
 * no filter; such a request is refused (400) before dispatch. One pass
 * over the few arguments already parsed: nothing on the hot path. */
bool http_guard_query_ok(struct MHD_Connection *c);
/* Answer 400 with the error page in the visitor's language and
 * "Connection: close", so that no byte after the headers is read as
 * another request. */
enum MHD_Result http_guard_refuse(struct MHD_Connection *c, req_t *r, const app_t *app);

#endif
