/*
 * auth_throttle.c: failed-login buckets per account and address pair, per
 * account and per client address, and the addresses an account has logged
 * in from (see auth.h).
 *
 * Not ratelimit.c's token bucket: that one charges every request, this one
 * only failures, and it must forget an account's failures on success.
 *
 * The table is a fixed array of SETS x WAYS buckets, each holding a 64-bit
 * keyed hash (crypto_shorthash, SipHash) of "u:<name>", "a:<address>",
 * "p:<name>\0<address>" (a pair's failures) or "t:<name>\0<address>" (the
 * account logged in from there) and a level that leaks away over time at
 * the bucket's own rate. A key lives in one set; when the
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
    double   leak_s;   /* seconds for one unit of level to leak away */
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

/* Keyed hash of a tag byte followed by data (and, when user is not NULL,
 * by user and a NUL before data); never 0 (0 marks free). */
static uint64_t key_of(const auth_throttle_t *t, char tag, const char *user, const void *data,
                       size_t n)
{
    buf_t m;
    buf_init(&m);
    buf_putc(&m, tag);
    buf_putc(&m, ':');
    if (user) buf_append(&m, user, strlen(user) + 1);
    if (n) buf_append(&m, data, n);
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

static double leaked(const bucket_t *b, double now)
{
    if (!b->key) return 0;
    double l = b->level - (now - b->t) / b->leak_s;
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
        if (!victim || !set[i].key || leaked(&set[i], now) < leaked(victim, now))
            victim = &set[i];
    }
    if (!create) return NULL;
    *victim = (bucket_t){ .key = key, .level = 0, .t = now, .leak_s = leak_s };
    return victim;
}

/* Seconds until the bucket of key is below limit again; 0 when it is. */
static unsigned wait_for(auth_throttle_t *t, uint64_t key, int limit, double now)
{
    bucket_t *b = find(t, key, false, 0, now);
    if (!b) return 0;
    double over = leaked(b, now) - (limit - 1);
    return over > 0 ? (unsigned)ceil(over * b->leak_s) : 0;
}

static void add_failure(auth_throttle_t *t, uint64_t key, double leak_s, double now)
{
    bucket_t *b = find(t, key, true, leak_s, now);
    b->level = leaked(b, now) + 1;
    b->t = now;
}

/* The keys of one attempt: the pair, the account, the address (0 when
 * unknown) and the pair's "logged in from here" mark (0 when unknown). */
typedef struct keys {
    uint64_t pair, user, addr, trust;
} keys_t;

static keys_t keys_of(const auth_throttle_t *t, const char *user, const void *addr, size_t addrlen)
{
    return (keys_t){
        .pair = key_of(t, 'p', user, addr, addr ? addrlen : 0),
        .user = key_of(t, 'u', NULL, user, strlen(user)),
        .addr = addr ? key_of(t, 'a', NULL, addr, addrlen) : 0,
        .trust = addr ? key_of(t, 't', user, addr, addrlen) : 0,
    };
}

/* A mark of trust starts this high, so that while it lasts it outweighs
 * any bucket of failures when a full set must give one up. */
enum { TRUST_LEVEL = 1000 };

unsigned auth_throttle_wait(auth_throttle_t *t, const char *user, const void *addr,
                            size_t addrlen, double now)
{
    assert(t && user);
    keys_t k = keys_of(t, user, addr, addrlen);
    lock(&t->mu);
    unsigned w = wait_for(t, k.pair, AUTH_THROTTLE_PAIR, now);
    if (k.addr) {
        unsigned wa = wait_for(t, k.addr, AUTH_THROTTLE_ADDR, now);
        if (wa > w) w = wa;
    }
    /* The account's brake holds for every address but those the account
     * logged in from lately: the owner is not locked out by strangers. */
    bucket_t *trusted = k.trust ? find(t, k.trust, false, 0, now) : NULL;
    if (!trusted || leaked(trusted, now) <= 0) {
        unsigned wu = wait_for(t, k.user, AUTH_THROTTLE_USER, now);
        if (wu > w) w = wu;
    }
    unlock(&t->mu);
    return w;
}

void auth_throttle_failed(auth_throttle_t *t, const char *user, const void *addr,
                          size_t addrlen, double now)
{
    assert(t && user);
    keys_t k = keys_of(t, user, addr, addrlen);
    lock(&t->mu);
    add_failure(t, k.pair, AUTH_THROTTLE_PAIR_LEAK_S, now);
    add_failure(t, k.user, AUTH_THROTTLE_USER_LEAK_S, now);
    if (k.addr) add_failure(t, k.addr, AUTH_THROTTLE_ADDR_LEAK_S, now);
    unlock(&t->mu);
}

void auth_throttle_succeeded(auth_throttle_t *t, const char *user, const void *addr,
                             size_t addrlen, double now)
{
    assert(t && user);
    keys_t k = keys_of(t, user, addr, addrlen);
    lock(&t->mu);
    bucket_t *b = find(t, k.pair, false, 0, now);
    if (b) *b = (bucket_t){ 0 };
    if (k.trust) {
        b = find(t, k.trust, true, (double)AUTH_THROTTLE_TRUST_S / TRUST_LEVEL, now);
        b->level = TRUST_LEVEL;
        b->t = now;
    }
    unlock(&t->mu);
}

/* ---- a device with a valid cookie (auth.h) ---- */

static uint64_t device_key(const auth_throttle_t *t, const char *user,
                           const unsigned char id[AUTH_DEVICE_ID_BYTES])
{
    return key_of(t, 'd', user, id, AUTH_DEVICE_ID_BYTES);
}

unsigned auth_throttle_device_wait(auth_throttle_t *t, const char *user,
                                   const unsigned char id[AUTH_DEVICE_ID_BYTES], double now)
{
    assert(t && user && id);
    uint64_t k = device_key(t, user, id);
    lock(&t->mu);
    unsigned w = wait_for(t, k, AUTH_THROTTLE_PAIR, now);
    unlock(&t->mu);
    return w;
}

void auth_throttle_device_failed(auth_throttle_t *t, const char *user,
                                 const unsigned char id[AUTH_DEVICE_ID_BYTES], double now)
{
    assert(t && user && id);
    uint64_t k = device_key(t, user, id);
    lock(&t->mu);
    add_failure(t, k, AUTH_THROTTLE_PAIR_LEAK_S, now);
    unlock(&t->mu);
}

void auth_throttle_device_succeeded(auth_throttle_t *t, const char *user,
                                    const unsigned char id[AUTH_DEVICE_ID_BYTES], double now)
{
    assert(t && user && id);
    uint64_t k = device_key(t, user, id);
    lock(&t->mu);
    bucket_t *b = find(t, k, false, 0, now);
    if (b) *b = (bucket_t){ 0 };
    unlock(&t->mu);
}
