/*
 * ratelimit.c: per-address token buckets in a fixed open-addressing table
 * of keyed hashes (see ratelimit.h for the contract and the privacy
 * reasoning).
 */
#include "http/ratelimit.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

/* 8192 slots of 24 bytes: far more distinct addresses than a municipal
 * survey sees in the minutes a bucket takes to refill. */
enum { SLOTS = 8192, PROBE = 8 };

typedef struct slot {
    uint64_t h;        /* keyed hash of the address; 0 = free */
    double   tokens;
    double   last;     /* when tokens was last brought up to date */
} slot_t;

struct ratelimit {
    pthread_mutex_t mu;
    double rate;       /* tokens per second */
    double burst;
    unsigned char key[crypto_shorthash_KEYBYTES];
    slot_t slot[SLOTS];
};

ratelimit_t *ratelimit_new(unsigned per_minute, unsigned burst)
{
    assert(per_minute > 0 && burst > 0);
    if (sodium_init() < 0) return NULL;
    ratelimit_t *rl = xcalloc(1, sizeof *rl);
    if (pthread_mutex_init(&rl->mu, NULL) != 0) {
        free(rl);
        return NULL;
    }
    rl->rate = per_minute / 60.0;
    rl->burst = burst;
    randombytes_buf(rl->key, sizeof rl->key);
    return rl;
}

void ratelimit_free(ratelimit_t *rl)
{
    if (!rl) return;
    pthread_mutex_destroy(&rl->mu);
    sodium_memzero(rl, sizeof *rl);
    free(rl);
}

/* The keyed hash of a client key, never 0 (0 marks a free slot). The
 * length goes in first, so a 4-byte key never equals an 8-byte one. */
static uint64_t key_hash(const ratelimit_t *rl, const void *key, size_t len)
{
    unsigned char in[17];
    in[0] = (unsigned char)len;
    memcpy(in + 1, key, len);
    unsigned char out[crypto_shorthash_BYTES];
    crypto_shorthash(out, in, len + 1, rl->key);
    sodium_memzero(in, sizeof in);
    uint64_t h;
    memcpy(&h, out, sizeof h);
    return h ? h : 1;
}

/* The slot for h: its own, else a free one, else the one idle longest
 * among the PROBE slots h may live in (reset to a full bucket). */
static slot_t *find_slot(ratelimit_t *rl, uint64_t h, double now)
{
    slot_t *victim = NULL;
    for (size_t i = 0; i < PROBE; i++) {
        slot_t *s = &rl->slot[(h + i) & (SLOTS - 1)];
        if (s->h == h) return s;
        if (!victim || (victim->h && (!s->h || s->last < victim->last))) victim = s;
    }
    victim->h = h;
    victim->tokens = rl->burst;
    victim->last = now;
    return victim;
}

unsigned ratelimit_take(ratelimit_t *rl, const void *key, size_t len, double now)
{
    assert(rl && (key || !len) && len <= 16);
    if (!len) return 0;
    uint64_t h = key_hash(rl, key, len);
    if (pthread_mutex_lock(&rl->mu) != 0) abort();
    slot_t *s = find_slot(rl, h, now);
    if (now > s->last) {
        s->tokens = fmin(rl->burst, s->tokens + (now - s->last) * rl->rate);
        s->last = now;
    }
    unsigned wait = 0;
    if (s->tokens >= 1.0) {
        s->tokens -= 1.0;
    } else {
        double secs = ceil((1.0 - s->tokens) / rl->rate);
        wait = secs < 1.0 ? 1u : (unsigned)secs;
    }
    if (pthread_mutex_unlock(&rl->mu) != 0) abort();
    return wait;
}
