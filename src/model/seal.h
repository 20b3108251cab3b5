/*
 * seal.h: interviews kept on a tablet with no connection (issue 17 item
 * 5), sealed so that only the server can read them, and the ticket that
 * lets them in later without a session.
 *
 * An interviewer at the market has no data. The interview page
 * (http/http_entry.c) carries the server's public key and a ticket; when
 * the tablet cannot send, www/buzon.js seals the answers in the browser
 * (WebCrypto: an ephemeral ECDH P-256 key pair, the shared secret's x
 * coordinate hashed with both public keys into an AES-256-GCM key, the
 * interviewer and the form's address as associated data) and keeps only
 * the sealed bytes in IndexedDB; the ephemeral private key is forgotten
 * at once. Nobody holding the tablet afterwards, the interviewer
 * included, can read a kept interview: only the server's private key
 * opens it (seal_open). That is what "the interviewer never sees other
 * people's answers after sending" means on a shared tablet.
 *
 * The ticket stands in for the session, which ends long before a market
 * day does: "<user id>.<issued unix time>.<MAC>" (HMAC-SHA-256 under a
 * key only the server has), valid SEAL_TICKET_S. It authorises one thing,
 * storing a sealed interview as that account (service/interview.h checks
 * the account is still active and still enters answers), and carries no
 * ambient authority: it travels in the body, never in a cookie, so a
 * forged cross-site post cannot use it.
 *
 * Both keys come from one 32-byte secret the database keeps
 * (store_secret_get), so a restored backup still opens the interviews
 * kept before it. Nettle (hogweed) does the curve and the cipher:
 * libsodium has neither P-256 nor portable AES-GCM, and P-256 is the
 * curve every browser's WebCrypto has had for a decade.
 */
#ifndef BUZON_SEAL_H
#define BUZON_SEAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/buf.h"

#define SEAL_SECRET_BYTES 32
#define SEAL_PUB_BYTES    65     /* an uncompressed P-256 point: 04 | x | y */
#define SEAL_IV_BYTES     12
#define SEAL_TAG_BYTES    16
/* The public key as the page carries it (base64url, no padding). */
#define SEAL_PUB_B64      87
/* A ticket lives a market day and the morning after: time to walk back
 * into coverage. A kept interview whose ticket ran out waits until its
 * interviewer opens an interview page again (a fresh ticket). */
#define SEAL_TICKET_S     (36 * 3600)
#define SEAL_TICKET_MAX   96
/* The largest sealed interview taken (base64url of the sealed bytes):
 * room for any post the interview page may send online (the server's
 * 64 KB body limit), sealed (+93 bytes) and in base64 (4/3); http.c lets
 * an interview's post be this large. */
#define SEAL_MAX_BYTES    (128 * 1024)

/* The server's keys, derived from the stored secret. Opaque. */
typedef struct seal_keys seal_keys_t;

/* The keys of secret (SEAL_SECRET_BYTES). NULL only when memory runs out.
 * Free with seal_keys_free. */
seal_keys_t *seal_keys_new(const unsigned char secret[SEAL_SECRET_BYTES]);
void seal_keys_free(seal_keys_t *k);
/* The public key, base64url (SEAL_PUB_B64 characters and a NUL). */
void seal_keys_public(const seal_keys_t *k, char out[SEAL_PUB_B64 + 1]);

/* The ticket of user_id issued at issued, bound to bind (the account's
 * password hash: a new password ends the tickets, as it ends sessions),
 * into out. */
void seal_ticket(const seal_keys_t *k, int64_t user_id, time_t issued, const char *bind,
                 char out[SEAL_TICKET_MAX + 1]);
/* The account and issue time a ticket names (its form only: nothing is
 * trusted before seal_ticket_check). false when malformed. */
bool seal_ticket_parse(const char *ticket, int64_t *user_id, time_t *issued);
typedef enum seal_ticket_rc {
    SEAL_TICKET_OK,
    SEAL_TICKET_BAD,       /* malformed, not ours (a forged MAC) or bound
                              to another password */
    SEAL_TICKET_EXPIRED,   /* ours, but older than SEAL_TICKET_S (or from the future) */
} seal_ticket_rc_t;
/* Check ticket, bound to bind, at now. Constant time in the MAC. */
seal_ticket_rc_t seal_ticket_check(const seal_keys_t *k, const char *ticket, const char *bind, time_t now);

/* Open sealed (base64url of epub | iv | ciphertext | tag) made for aad:
 * true with the plain bytes appended to *plain (NUL-terminated by buf);
 * false when it is malformed, was sealed for other associated data or
 * another key, or was altered. */
bool seal_open(const seal_keys_t *k, const char *sealed, size_t len, const char *aad, buf_t *plain);
/* What the browser does (www/buzon.js), in C: seal plain for the public
 * key pub (base64url) and aad, base64url into *out. For tests and tools;
 * false on a malformed key. */
bool seal_close(const char *pub, const char *aad, const char *plain, size_t len, buf_t *out);

/* The associated data of an interview: the account and the address the
 * page sends it to ("<user id>\n<path and query>"), so a kept interview
 * can be neither handed to another account nor replayed into another
 * form or point. */
void seal_aad(buf_t *out, int64_t user_id, const char *action);

#endif
