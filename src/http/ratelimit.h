/*
 * ratelimit.h: how many submissions one client address may send, as a
 * token bucket per address: up to `burst` at once, refilled at
 * `per_minute` per minute.
 *
 * Clients are told apart by the bytes the caller gives (the server gives
 * http_client_key(): an IPv4 address, or the /64 of an IPv6 one, what one
 * phone or home is given).
 *
 * Privacy (Ley 172-13: buzon stores no raw IP address): those bytes
 * are reduced on arrival to a 64-bit keyed hash (SipHash through
 * libsodium's crypto_shorthash) under a random key made when the limiter is
 * created and never written anywhere, so the table cannot be reversed or
 * joined with another run's. Nothing here logs or stores anything.
 *
 * Memory is fixed: the table has a bounded number of slots, and when the
 * slots an address hashes to are all taken, the one idle longest is
 * reused. An address evicted that way starts again with a full bucket,
 * which errs on the side of serving people.
 *
 * A ratelimit_t is safe to share between threads.
 */
#ifndef BUZON_RATELIMIT_H
#define BUZON_RATELIMIT_H

#include <stddef.h>

typedef struct ratelimit ratelimit_t;

/* A limiter allowing per_minute submissions per minute per address with
 * bursts of up to burst (both > 0). Caller frees with ratelimit_free. */
ratelimit_t *ratelimit_new(unsigned per_minute, unsigned burst);
void ratelimit_free(ratelimit_t *rl);

/* Take one submission for the client identified by key[0..len) (at most
 * 16 bytes) at time now (seconds on a monotonic clock). Returns 0 when
 * allowed; otherwise nothing is taken and the result is the whole number
 * of seconds (at least 1) until the next one would be allowed, for a
 * Retry-After header. An unknown client (len 0) is always allowed. */
unsigned ratelimit_take(ratelimit_t *rl, const void *key, size_t len, double now);

#endif
