/*
 * seal.c: the sealed interviews and their tickets (seal.h says why).
 *
 * The construction, the same on both sides (www/buzon.js: seal()):
 *   e, E = a fresh ECDH P-256 key pair (the browser's, forgotten at once)
 *   z    = x coordinate of e * S (S: the server's public key), 32 bytes
 *   key  = SHA-256("buzon interview v1" | z | E | S)   (E, S uncompressed)
 *   out  = E | iv (12 random bytes) | AES-256-GCM(key, iv, aad, plain) | tag
 * The server computes z as s * E. Hashing both public keys in binds the
 * key to this exchange; GCM's tag over aad binds the bytes to the
 * account and the address they were sealed for.
 */
#include "model/seal.h"

#include <assert.h>
#include <errno.h>
#include <gmp.h>
#include <inttypes.h>
#include <nettle/bignum.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/gcm.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct seal_keys {
    struct ecc_scalar priv;
    unsigned char     pub[SEAL_PUB_BYTES];
    unsigned char     mac_key[32];
};

static const char LABEL[] = "buzon interview v1";

/* SHA-256 of label | what, for keys derived from the one secret. */
static void derive(const unsigned char secret[SEAL_SECRET_BYTES], const char *what, unsigned counter,
                   unsigned char out[32])
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)what, strlen(what));
    const unsigned char c[4] = { (unsigned char)(counter >> 24), (unsigned char)(counter >> 16),
                                 (unsigned char)(counter >> 8), (unsigned char)counter };   /* any machine alike */
    crypto_hash_sha256_update(&st, c, sizeof c);
    crypto_hash_sha256_update(&st, secret, SEAL_SECRET_BYTES);
    crypto_hash_sha256_final(&st, out);
}

/* The uncompressed encoding of p. */
static void point_bytes(const struct ecc_point *p, unsigned char out[SEAL_PUB_BYTES])
{
    mpz_t x, y;
    mpz_inits(x, y, NULL);
    ecc_point_get(p, x, y);
    out[0] = 0x04;
    nettle_mpz_get_str_256(32, out + 1, x);
    nettle_mpz_get_str_256(32, out + 33, y);
    mpz_clears(x, y, NULL);
}

/* p from its uncompressed encoding; false when it is not a point of the
 * curve (a forged key must not reach the multiplication). */
static bool point_from(struct ecc_point *p, const unsigned char in[SEAL_PUB_BYTES])
{
    if (in[0] != 0x04) return false;
    mpz_t x, y;
    mpz_inits(x, y, NULL);
    nettle_mpz_set_str_256_u(x, 32, in + 1);
    nettle_mpz_set_str_256_u(y, 32, in + 33);
    int ok = ecc_point_set(p, x, y);
    mpz_clears(x, y, NULL);
    return ok != 0;
}

/* The AES key of an exchange: z = x(scalar * other). */
static void exchange_key(const struct ecc_scalar *scalar, const struct ecc_point *other,
                         const unsigned char epub[SEAL_PUB_BYTES], const unsigned char spub[SEAL_PUB_BYTES],
                         unsigned char key[32])
{
    struct ecc_point z;
    ecc_point_init(&z, nettle_get_secp_256r1());
    ecc_point_mul(&z, scalar, other);
    unsigned char zb[SEAL_PUB_BYTES];
    point_bytes(&z, zb);
    ecc_point_clear(&z);
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)LABEL, sizeof LABEL - 1);
    crypto_hash_sha256_update(&st, zb + 1, 32);
    crypto_hash_sha256_update(&st, epub, SEAL_PUB_BYTES);
    crypto_hash_sha256_update(&st, spub, SEAL_PUB_BYTES);
    crypto_hash_sha256_final(&st, key);
    sodium_memzero(zb, sizeof zb);
}

/* A scalar in [1, n-1] from hashing secret (and a counter until one
 * fits: the order of P-256 is so close to 2^256 that a second try is
 * all but never needed). */
static void scalar_of(struct ecc_scalar *s, const unsigned char secret[SEAL_SECRET_BYTES])
{
    mpz_t z;
    mpz_init(z);
    unsigned char h[32];
    for (unsigned i = 0;; i++) {
        derive(secret, "buzon seal key v1", i, h);
        nettle_mpz_set_str_256_u(z, 32, h);
        if (mpz_sgn(z) != 0 && ecc_scalar_set(s, z)) break;
    }
    sodium_memzero(h, sizeof h);
    mpz_clear(z);
}

seal_keys_t *seal_keys_new(const unsigned char secret[SEAL_SECRET_BYTES])
{
    seal_keys_t *k = calloc(1, sizeof *k);
    if (!k) return NULL;
    ecc_scalar_init(&k->priv, nettle_get_secp_256r1());
    scalar_of(&k->priv, secret);
    struct ecc_point pub;
    ecc_point_init(&pub, nettle_get_secp_256r1());
    ecc_point_mul_g(&pub, &k->priv);
    point_bytes(&pub, k->pub);
    ecc_point_clear(&pub);
    derive(secret, "buzon ticket key v1", 0, k->mac_key);
    return k;
}

void seal_keys_free(seal_keys_t *k)
{
    if (!k) return;
    ecc_scalar_clear(&k->priv);
    sodium_memzero(k->mac_key, sizeof k->mac_key);
    free(k);
}

void seal_keys_public(const seal_keys_t *k, char out[SEAL_PUB_B64 + 1])
{
    sodium_bin2base64(out, SEAL_PUB_B64 + 1, k->pub, SEAL_PUB_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* ---- tickets ----------------------------------------------------------- */

/* The MAC of "<id>.<issued>" and bind, base64url (43 characters and a
 * NUL). */
static void ticket_mac(const seal_keys_t *k, const char *body, size_t len, const char *bind, char out[44])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, k->mac_key, sizeof k->mac_key);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)"\n", 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)bind, strlen(bind));
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2base64(out, 44, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void seal_ticket(const seal_keys_t *k, int64_t user_id, time_t issued, const char *bind,
                 char out[SEAL_TICKET_MAX + 1])
{
    assert(user_id > 0 && bind);
    char body[48], mac[44];
    int n = snprintf(body, sizeof body, "%" PRId64 ".%lld", user_id, (long long)issued);
    assert(n > 0 && (size_t)n < sizeof body);
    ticket_mac(k, body, (size_t)n, bind, mac);
    snprintf(out, SEAL_TICKET_MAX + 1, "%s.%s", body, mac);
}

/* The last dot of a well-formed ticket ("<digits>.<digits>.<43 of
 * base64url>"), or NULL. */
static const char *ticket_mac_at(const char *ticket)
{
    if (!ticket || strlen(ticket) > SEAL_TICKET_MAX) return NULL;
    const char *dot = strchr(ticket, '.'), *last = strrchr(ticket, '.');
    if (!dot || dot == last || strlen(last + 1) != 43) return NULL;
    if (dot == ticket || dot + 1 == last || last - ticket > 47) return NULL;
    for (const char *p = ticket; p < last; p++)
        if (p != dot && (*p < '0' || *p > '9')) return NULL;
    return last;
}

bool seal_ticket_parse(const char *ticket, int64_t *user_id, time_t *issued)
{
    const char *last = ticket_mac_at(ticket);
    if (!last) return false;
    errno = 0;
    *user_id = strtoll(ticket, NULL, 10);
    *issued = (time_t)strtoll(strchr(ticket, '.') + 1, NULL, 10);
    return errno == 0 && *user_id > 0;
}

seal_ticket_rc_t seal_ticket_check(const seal_keys_t *k, const char *ticket, const char *bind, time_t now)
{
    int64_t id;
    time_t issued;
    const char *last = ticket_mac_at(ticket);
    if (!last || !bind || !seal_ticket_parse(ticket, &id, &issued)) return SEAL_TICKET_BAD;
    char mac[44];
    ticket_mac(k, ticket, (size_t)(last - ticket), bind, mac);
    if (sodium_memcmp(mac, last + 1, 43) != 0) return SEAL_TICKET_BAD;
    /* a minute's grace for a clock stepped back */
    if (issued > now + 60 || now - issued > SEAL_TICKET_S) return SEAL_TICKET_EXPIRED;
    return SEAL_TICKET_OK;
}

/* ---- sealing ----------------------------------------------------------- */

void seal_aad(buf_t *out, int64_t user_id, const char *action)
{
    buf_printf(out, "%" PRId64 "\n%s", user_id, action);
}

bool seal_open(const seal_keys_t *k, const char *sealed, size_t len, const char *aad, buf_t *plain)
{
    if (len > SEAL_MAX_BYTES) return false;
    size_t cap = len / 4 * 3 + 3, n = 0;
    unsigned char *raw = malloc(cap ? cap : 1);
    if (!raw) return false;
    bool ok = false;
    if (sodium_base642bin(raw, cap, sealed, len, NULL, &n, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        n < SEAL_PUB_BYTES + SEAL_IV_BYTES + SEAL_TAG_BYTES)
        goto out;
    struct ecc_point e;
    ecc_point_init(&e, nettle_get_secp_256r1());
    if (point_from(&e, raw)) {
        unsigned char key[32], tag[SEAL_TAG_BYTES];
        exchange_key(&k->priv, &e, raw, k->pub, key);
        struct gcm_aes256_ctx g;
        gcm_aes256_set_key(&g, key);
        gcm_aes256_set_iv(&g, SEAL_IV_BYTES, raw + SEAL_PUB_BYTES);
        gcm_aes256_update(&g, strlen(aad), (const uint8_t *)aad);
        size_t clen = n - SEAL_PUB_BYTES - SEAL_IV_BYTES - SEAL_TAG_BYTES;
        unsigned char *ct = raw + SEAL_PUB_BYTES + SEAL_IV_BYTES;
        unsigned char *pt = malloc(clen ? clen : 1);
        if (pt) {
            gcm_aes256_decrypt(&g, clen, pt, ct);
            gcm_aes256_digest(&g, sizeof tag, tag);
            /* nothing of an altered text is given out */
            if (sodium_memcmp(tag, ct + clen, SEAL_TAG_BYTES) == 0) {
                buf_append(plain, (const char *)pt, clen);
                ok = true;
            }
            sodium_memzero(pt, clen);
            free(pt);
        }
        sodium_memzero(key, sizeof key);
        sodium_memzero(&g, sizeof g);
    }
    ecc_point_clear(&e);
out:
    free(raw);
    return ok;
}

/* nettle's random function, from libsodium's CSPRNG. */
static void random_bytes(void *ctx, size_t n, uint8_t *dst)
{
    (void)ctx;
    randombytes_buf(dst, n);
}

bool seal_close(const char *pub, const char *aad, const char *plain, size_t len, buf_t *out)
{
    unsigned char spub[SEAL_PUB_BYTES];
    size_t n = 0;
    if (sodium_base642bin(spub, sizeof spub, pub, strlen(pub), NULL, &n, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || n != SEAL_PUB_BYTES)
        return false;
    const struct ecc_curve *curve = nettle_get_secp_256r1();
    struct ecc_point s, e;
    struct ecc_scalar eph;
    ecc_point_init(&s, curve);
    ecc_point_init(&e, curve);
    ecc_scalar_init(&eph, curve);
    bool ok = point_from(&s, spub);
    if (ok) {
        ecc_scalar_random(&eph, NULL, random_bytes);
        ecc_point_mul_g(&e, &eph);
        size_t total = SEAL_PUB_BYTES + SEAL_IV_BYTES + len + SEAL_TAG_BYTES;
        unsigned char *raw = malloc(total), key[32];
        ok = raw != NULL;
        if (ok) {
            point_bytes(&e, raw);
            randombytes_buf(raw + SEAL_PUB_BYTES, SEAL_IV_BYTES);
            exchange_key(&eph, &s, raw, spub, key);
            struct gcm_aes256_ctx g;
            gcm_aes256_set_key(&g, key);
            gcm_aes256_set_iv(&g, SEAL_IV_BYTES, raw + SEAL_PUB_BYTES);
            gcm_aes256_update(&g, strlen(aad), (const uint8_t *)aad);
            gcm_aes256_encrypt(&g, len, raw + SEAL_PUB_BYTES + SEAL_IV_BYTES, (const uint8_t *)plain);
            gcm_aes256_digest(&g, SEAL_TAG_BYTES, raw + SEAL_PUB_BYTES + SEAL_IV_BYTES + len);
            size_t blen = sodium_base64_ENCODED_LEN(total, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
            char *b64 = malloc(blen);
            ok = b64 != NULL;
            if (ok) {
                sodium_bin2base64(b64, blen, raw, total, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
                buf_puts(out, b64);
                free(b64);
            }
            sodium_memzero(key, sizeof key);
            free(raw);
        }
    }
    ecc_scalar_clear(&eph);
    ecc_point_clear(&e);
    ecc_point_clear(&s);
    return ok;
}
