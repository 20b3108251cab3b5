/*
 * auth_throttle.c: failed-login buckets per account and per client address
 * (see auth.h).
 *
 * Not ratelimit.c's token bucket: that one charges every request, this one
 * only failures, and it must forget an account's failures on success.
 *
 * The table is a fixed array of SETS x WAYS buckets, each holding a 64-bit
 * keyed hash (crypto_shorthash, SipHash) of "u:<name>" or "a:<address>"
 * and a level that leaks away over time. A key lives in one set; when the
 * set is full, the bucket whose level has leaked lowest is reused: the one
 * it is least costly to forget. The key of the hash is random per process,
 * so nobody can aim collisions at an account, and the table says nothing
 * once the process is gone. One mutex guards the table: logins are rare.
 */
#include "model/auth.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

enum { SETS = 256, WAYS = 8 };

typedef struct bucket {
    uint64_t key;      /* 0: free */
    double   level;    /* failures not yet leaked, as of t */
    double   t;
} bucket_t;

struct auth_throttle {
    pthread_mutex_t mu;
    unsigned char   hkey[crypto_shorthash_KEYBYTES];
    bucket_t        b[SETS][WAYS];
};

auth_throttle_t *auth_throttle_new(void)
{
    auth_throttle_t *t = xcalloc(1, sizeof *t);
    if (pthread_mutex_init(&t->mu, NULL) != 0) abort();
    randombytes_buf(t->hkey, sizeof t->hkey);
    return t;
}

void auth_throttle_free(auth_throttle_t *t)
{
    if (!t) return;
    pthread_mutex_destroy(&t->mu);
    sodium_memzero(t, sizeof *t);
    free(t);
}

/* Keyed hash of a tag byte followed by data; never 0 (0 marks free). */
static uint64_t key_of(const auth_throttle_t *t, char tag, const void *data, size_t n)
{
    buf_t m;
    buf_init(&m);
    buf_putc(&m, tag);
    buf_putc(&m, ':');
    buf_append(&m, data, n);
    unsigned char h[crypto_shorthash_BYTES];
    crypto_shorthash(h, (const unsigned char *)m.data, m.len, t->hkey);
    buf_free(&m);
    uint64_t k;
    memcpy(&k, h, sizeof k);
    return k ? k : 1;
}

/* The mutex can only fail on misuse: give up loudly, like xmalloc. */
static void lock(pthread_mutex_t *m)
{
    if (pthread_mutex_lock(m) != 0) abort();
}

static void unlock(pthread_mutex_t *m)
{
    if (pthread_mutex_unlock(m) != 0) abort();
}

static double leaked(const bucket_t *b, double leak_s, double now)
{
    double l = b->level - (now - b->t) / leak_s;
    return l > 0 ? l : 0;
}

/* The bucket for key, or NULL when absent (create false). With create, a
 * free or least-loaded bucket of the set is taken over. Called under mu. */
static bucket_t *find(auth_throttle_t *t, uint64_t key, bool create, double leak_s, double now)
{
    bucket_t *set = t->b[key % SETS], *victim = NULL;
    for (int i = 0; i < WAYS; i++) {
        if (set[i].key == key) return &set[i];
        if (victim && !victim->key) continue;     /* a free one is the best */
        if (!victim || !set[i].key || leaked(&set[i], leak_s, now) < leaked(victim, leak_s, now))
            victim = &set[i];
    }
    if (!create) return NULL;
    *victim = (bucket_t){ .key = key, .level = 0, .t = now };
    return victim;
}

/* Seconds until the bucket of key is below limit again; 0 when it is. */
static unsigned wait_for(auth_throttle_t *t, uint64_t key, int limit, double leak_s, double now)
{
    bucket_t *b = find(t, key, false, leak_s, now);
    if (!b) return 0;
    double over = leaked(b, leak_s, now) - (limit - 1);
    return over > 0 ? (unsigned)ceil(over * leak_s) : 0;
}

static void add_failure(auth_throttle_t *t, uint64_t key, double leak_s, double now)
{
    bucket_t *b = find(t, key, true, leak_s, now);
    b->level = leaked(b, leak_s, now) + 1;
    b->t = now;
}

unsigned auth_throttle_wait(auth_throttle_t *t, const char *user, const void *addr,
                            size_t addrlen, double now)
{
    assert(t && user);
    uint64_t ku = key_of(t, 'u', user, strlen(user));
    uint64_t ka = addr ? key_of(t, 'a', addr, addrlen) : 0;
    lock(&t->mu);
    unsigned w = wait_for(t, ku, AUTH_THROTTLE_USER, AUTH_THROTTLE_USER_LEAK_S, now);
    if (addr) {
        unsigned wa = wait_for(t, ka, AUTH_THROTTLE_ADDR, AUTH_THROTTLE_ADDR_LEAK_S, now);
        if (wa > w) w = wa;
    }
    unlock(&t->mu);
    return w;
}

void auth_throttle_failed(auth_throttle_t *t, const char *user, const void *addr,
                          size_t addrlen, double now)
{
    assert(t && user);
    uint64_t ku = key_of(t, 'u', user, strlen(user));
    uint64_t ka = addr ? key_of(t, 'a', addr, addrlen) : 0;
    lock(&t->mu);
    add_failure(t, ku, AUTH_THROTTLE_USER_LEAK_S, now);
    if (addr) add_failure(t, ka, AUTH_THROTTLE_ADDR_LEAK_S, now);
    unlock(&t->mu);
}

void auth_throttle_succeeded(auth_throttle_t *t, const char *user)
{
    assert(t && user);
    uint64_t ku = key_of(t, 'u', user, strlen(user));
    lock(&t->mu);
    bucket_t *b = find(t, ku, false, AUTH_THROTTLE_USER_LEAK_S, 0);
    if (b) *b = (bucket_t){ 0 };
    unlock(&t->mu);
}
