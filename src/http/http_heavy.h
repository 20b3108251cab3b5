/*
 * http_heavy.h: heavy requests (the indicators in every format, the
 * dashboard and plan pages, the response exports) run on a small pool of
 * worker threads instead of the threads that serve survey pages, with a
 * limit per address and in total. See http_heavy.c.
 */
#ifndef BUZON_HTTP_HEAVY_H
#define BUZON_HTTP_HEAVY_H

#include "http/http_int.h"

/* Defaults: workers, heavy requests one address may have in flight, and
 * in flight in total (running or waiting for a worker). */
enum { HEAVY_WORKERS = 2, HEAVY_PER_ADDR = 2, HEAVY_MAX = 16 };
/* Retry-After of a refusal, seconds. */
enum { HEAVY_RETRY_ADDR_S = 5, HEAVY_RETRY_BUSY_S = 10 };

typedef struct heavy heavy_t;
struct heavy_job;

/* A pool of `workers` threads (started now) with the limits per_addr and
 * max. NULL when a thread cannot be started. */
heavy_t *heavy_new(unsigned workers, unsigned per_addr, unsigned max);
/* Stop the workers after the requests they hold are answered; call after
 * every suspended request was resumed (http_stop). NULL is ignored. */
void heavy_free(heavy_t *hv);

/* True for the routes whose GET is heavy. */
bool heavy_route(route_id_t id);

/* Answer r with handler h on a worker: the connection is suspended here
 * and resumed with h's response once it is ready. Over the limit of the
 * client's address, 429 with Retry-After; over the total, 503 with
 * Retry-After; both as JSON under /api/, else a page in the visitor's
 * language. When the server is stopping, h runs here and now. */
enum MHD_Result heavy_run(heavy_t *hv, struct MHD_Connection *c, req_t *r, app_t *app,
                          http_handler_fn h);

/* Free a request's job (its response, if not queued): the completion
 * callback's. NULL is ignored. */
void heavy_job_free(struct heavy_job *job);

#endif
