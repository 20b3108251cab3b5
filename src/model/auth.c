/*
 * auth.c: roles, user names, password hashing and session tokens (see
 * auth.h). Everything random comes from libsodium's CSPRNG and every
 * comparison of secrets is constant-time.
 */
#include "model/auth.h"

#include <assert.h>
#include <stdlib.h>
#include <sodium.h>
#include <string.h>

#include "base/utf8.h"

static const char *const role_names[ROLE_COUNT] = {
    [ROLE_ADMIN] = "admin", [ROLE_PLANIFICACION] = "planificacion",
    [ROLE_ATENCION] = "atencion", [ROLE_LECTURA] = "lectura",
    [ROLE_CAPTURA] = "captura",
};

const char *auth_role_name(role_t r)
{
    assert(r >= 0 && r < ROLE_COUNT);
    return role_names[r];
}

int auth_role_parse(const char *s)
{
    for (int i = 0; s && i < ROLE_COUNT; i++)
        if (!strcmp(s, role_names[i])) return i;
    return -1;
}

bool auth_valid_name(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > AUTH_NAME_MAX) return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
    }
    return true;
}

/* ---- passwords ---------------------------------------------------------- */

_Static_assert(AUTH_PWHASH_BYTES == crypto_pwhash_STRBYTES, "AUTH_PWHASH_BYTES is libsodium's");

auth_pw_problem_t auth_password_ok(const char *pw)
{
    size_t n = strlen(pw);
    return n < AUTH_PASSWORD_MIN ? AUTH_PW_TOO_SHORT
         : n > AUTH_PASSWORD_MAX ? AUTH_PW_TOO_LONG
         : !utf8_valid(pw, n) ? AUTH_PW_NOT_UTF8 : AUTH_PW_OK;
}

void auth_password_free(char *pw)
{
    if (!pw) return;
    sodium_memzero(pw, strlen(pw));
    free(pw);
}

int auth_hash_password(const char *pw, char *out, size_t outlen)
{
    assert(pw && out && outlen >= crypto_pwhash_STRBYTES);
    (void)outlen;
    return crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0 ? 0 : -1;
}

bool auth_verify_password(const char *hash, const char *pw)
{
    assert(hash && pw);
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

void auth_verify_dummy(const char *pw)
{
    /* The same Argon2id work a verification does, with a fixed salt: no
     * stored dummy hash, no state. The result is thrown away. */
    unsigned char out[32], salt[crypto_pwhash_SALTBYTES] = { 0 };
    if (crypto_pwhash(out, sizeof out, pw, strlen(pw), salt, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                      crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        sodium_memzero(out, sizeof out);
}

void auth_generate_password(char out[AUTH_GENERATED_LEN + 1])
{
    /* 30 symbols without 0/o, 1/l/i, u: read aloud or copied by hand. */
    static const char alphabet[] = "23456789abcdefghjkmnpqrstvwxyz";
    int k = 0;
    for (int g = 0; g < 4; g++) {
        if (g) out[k++] = '-';
        for (int i = 0; i < 4; i++)
            out[k++] = alphabet[randombytes_uniform((uint32_t)(sizeof alphabet - 1))];
    }
    out[k] = '\0';
}

/* ---- tokens ------------------------------------------------------------- */

static void b64url(const unsigned char *bin, size_t n, char out[AUTH_TOKEN_LEN + 1])
{
    sodium_bin2base64(out, AUTH_TOKEN_LEN + 1, bin, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void auth_new_token(char out[AUTH_TOKEN_LEN + 1])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    b64url(raw, sizeof raw, out);
    sodium_memzero(raw, sizeof raw);
}

bool auth_token_ok(const char *s)
{
    if (!s || strlen(s) != AUTH_TOKEN_LEN) return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return false;
    return true;
}

void auth_token_hash(const char *token, unsigned char out[AUTH_HASH_BYTES])
{
    crypto_generichash(out, AUTH_HASH_BYTES, (const unsigned char *)token, strlen(token), NULL, 0);
}

void auth_csrf(const char *token, char out[AUTH_TOKEN_LEN + 1])
{
    /* Keyed by the session token: only its holder can compute it, and it
     * changes with every session. */
    static const char label[] = "buzon csrf v1";
    unsigned char mac[32];
    size_t klen = strlen(token);
    assert(klen >= crypto_generichash_KEYBYTES_MIN && klen <= crypto_generichash_KEYBYTES_MAX);
    crypto_generichash(mac, sizeof mac, (const unsigned char *)label, sizeof label - 1,
                       (const unsigned char *)token, klen);
    b64url(mac, sizeof mac, out);
}

bool auth_csrf_ok(const char *token, const char *csrf)
{
    if (!auth_token_ok(token) || !csrf || strlen(csrf) != AUTH_TOKEN_LEN) return false;
    char want[AUTH_TOKEN_LEN + 1];
    auth_csrf(token, want);
    return sodium_memcmp(want, csrf, AUTH_TOKEN_LEN) == 0;
}

void user_info_free(user_info_t *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].name);
        free(v[i].email);
    }
    free(v);
}

void audit_entry_free(audit_entry_t *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].actor);
        free(v[i].action);
        free(v[i].object);
        free(v[i].detail);
    }
    free(v);
}

/* ---- device cookies ------------------------------------------------------ */

/* The MAC of a device id's hex text, keyed by a hash of pwhash. */
static void device_mac(const char *pwhash, const char *id_hex, unsigned char mac[16])
{
    unsigned char key[crypto_generichash_KEYBYTES];
    crypto_generichash(key, sizeof key, (const unsigned char *)pwhash, strlen(pwhash), NULL, 0);
    static const char domain[] = "buzon device cookie:";
    crypto_generichash_state st;
    crypto_generichash_init(&st, key, sizeof key, 16);
    crypto_generichash_update(&st, (const unsigned char *)domain, sizeof domain - 1);
    crypto_generichash_update(&st, (const unsigned char *)id_hex, 2 * AUTH_DEVICE_ID_BYTES);
    crypto_generichash_final(&st, mac, 16);
    sodium_memzero(key, sizeof key);
}

void auth_device_new(const char *pwhash, char out[AUTH_DEVICE_LEN + 1])
{
    assert(pwhash && out);
    unsigned char id[AUTH_DEVICE_ID_BYTES], mac[16];
    randombytes_buf(id, sizeof id);
    sodium_bin2hex(out, 2 * AUTH_DEVICE_ID_BYTES + 1, id, sizeof id);
    device_mac(pwhash, out, mac);
    out[2 * AUTH_DEVICE_ID_BYTES] = '.';
    sodium_bin2hex(out + 2 * AUTH_DEVICE_ID_BYTES + 1, 2 * 16 + 1, mac, sizeof mac);
}

bool auth_device_ok(const char *pwhash, const char *cookie, unsigned char id[AUTH_DEVICE_ID_BYTES])
{
    assert(pwhash && id);
    if (!cookie || strlen(cookie) != AUTH_DEVICE_LEN || cookie[2 * AUTH_DEVICE_ID_BYTES] != '.')
        return false;
    unsigned char mac[16], want[16];
    size_t n = 0;
    if (sodium_hex2bin(id, AUTH_DEVICE_ID_BYTES, cookie, 2 * AUTH_DEVICE_ID_BYTES, NULL, &n, NULL) != 0 ||
        n != AUTH_DEVICE_ID_BYTES ||
        sodium_hex2bin(mac, sizeof mac, cookie + 2 * AUTH_DEVICE_ID_BYTES + 1, 2 * 16, NULL, &n, NULL) != 0 ||
        n != sizeof mac)
        return false;
    device_mac(pwhash, cookie, want);
    return sodium_memcmp(mac, want, sizeof mac) == 0;
}
