/*
 * shc_aead.h
 *		Secrets at rest: AES-256-GCM (NIST SP 800-38D) through OpenSSL EVP,
 *		under a root key that lives outside the database (the pgsodium
 *		model; the glue that finds the root key is src/shc_secret.c).
 *
 * A sealed secret is one byte string:
 *
 *   version (1 byte, SHC_AEAD_VERSION)
 *   root key id (SHC_AEAD_KEY_ID_LEN bytes: the first 8 bytes of
 *                SHA-256("shc root key id" || root key))
 *   nonce (SHC_AEAD_NONCE_LEN = 12 random bytes)
 *   ciphertext (as long as the plaintext)
 *   tag (SHC_AEAD_TAG_LEN = 16 bytes)
 *
 * The associated data is the identity of the row that holds the secret
 * (for example "shc key <kid>"), so a ciphertext copied into another row
 * does not open.  The header (version and key id) is authenticated too: it
 * is prepended to the associated data.  The key id tells which root key
 * sealed a secret, so a missing or wrong root key is reported as such
 * rather than as a failed authentication.
 */
#ifndef SHC_AEAD_H
#define SHC_AEAD_H

#include "shc_core.h"

#define SHC_AEAD_KEY_LEN 32
#define SHC_AEAD_KEY_ID_LEN 8
#define SHC_AEAD_NONCE_LEN 12
#define SHC_AEAD_TAG_LEN 16
#define SHC_AEAD_VERSION 1
#define SHC_AEAD_HEADER_LEN (1 + SHC_AEAD_KEY_ID_LEN + SHC_AEAD_NONCE_LEN)
#define SHC_AEAD_OVERHEAD (SHC_AEAD_HEADER_LEN + SHC_AEAD_TAG_LEN)
/* the longest plaintext sealed (keys and secrets are short) */
#define SHC_AEAD_MAX_PLAIN (1024 * 1024)

/* The key id of a root key into id[SHC_AEAD_KEY_ID_LEN]. */
shc_status	shc_aead_key_id(const uint8_t *key, uint8_t *id, shc_error *err);

/*
 * Parse a root key given as text: exactly 64 hexadecimal digits, optionally
 * surrounded by white space (what "openssl rand -hex 32" writes).  Writes
 * key[SHC_AEAD_KEY_LEN].  SHC_ERR_KEY otherwise; the detail never quotes
 * the text.
 */
shc_status	shc_aead_key_parse(const char *text, size_t n, uint8_t *key,
							   shc_error *err);

/*
 * Seal plain[0..n) under key (whose id is keyid) with associated data
 * aad[0..aadlen) into out (n + SHC_AEAD_OVERHEAD bytes, caller-allocated).
 * SHC_ERR_LIMIT above SHC_AEAD_MAX_PLAIN; SHC_ERR_INTERNAL when OpenSSL
 * fails.
 */
shc_status	shc_aead_seal(const uint8_t *key, const uint8_t *keyid,
						  const char *aad, size_t aadlen,
						  const uint8_t *plain, size_t n,
						  uint8_t *out, shc_error *err);

/*
 * The key id a sealed string names, into id; SHC_ERR_DECRYPT when it is
 * too short or of an unknown version.
 */
shc_status	shc_aead_sealed_key_id(const uint8_t *sealed, size_t n,
								   uint8_t *id, shc_error *err);

/*
 * Open sealed[0..n) under key with associated data aad into plain
 * (n - SHC_AEAD_OVERHEAD bytes, caller-allocated; *plainlen receives the
 * length).  SHC_ERR_DECRYPT when the string is malformed or does not
 * authenticate (wrong key, wrong row, altered bytes); plain is wiped then.
 */
shc_status	shc_aead_open(const uint8_t *key, const char *aad, size_t aadlen,
						  const uint8_t *sealed, size_t n,
						  uint8_t *plain, size_t *plainlen, shc_error *err);

#endif
