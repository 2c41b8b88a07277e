/*
 * shc_es256.h
 *		ES256 (ECDSA P-256 with SHA-256, RFC 7518 section 3.4) through
 *		OpenSSL 3 EVP: JWK import and export, key generation, the RFC 7638
 *		thumbprint, signing to and verifying from the raw 64-byte r||s form,
 *		and the SHA-256 / HMAC-SHA-256 helpers (SHC-NOTES sections 3, 5, 10).
 */
#ifndef SHC_ES256_H
#define SHC_ES256_H

#include "shc_core.h"

#define SHC_ES256_SIG_LEN 64
#define SHC_ES256_COORD_LEN 32
#define SHC_KID_LEN 43			/* base64url of a SHA-256 digest */
#define SHC_COORD_B64_LEN 43	/* base64url of 32 bytes */

/*
 * An imported or generated key.  It keeps the OpenSSL contexts its
 * sign/verify operations need from the first use to shc_ec_key_free, so
 * one key must not be used by two threads at the same time.
 */
typedef struct shc_ec_key shc_ec_key;

/*
 * Build a key from JWK members given as base64url text: x and y must each
 * decode to exactly 32 bytes and name a point on P-256; d, when not NULL,
 * must decode to 32 bytes, lie in 1..n-1 and match (x, y).  The decoded
 * private scalar is wiped before returning.  *out is freed with
 * shc_ec_key_free.  SHC_ERR_KEY with a detail that never includes d.
 */
shc_status	shc_es256_key_from_jwk(const char *x, size_t xlen,
								   const char *y, size_t ylen,
								   const char *d, size_t dlen,
								   shc_ec_key **out, shc_error *err);

/* Generate a fresh P-256 key pair from OpenSSL's CSPRNG. */
shc_status	shc_es256_generate(shc_ec_key **out, shc_error *err);

/* true when the key holds a private scalar */
bool		shc_es256_has_private(const shc_ec_key *key);

/*
 * Write the JWK coordinates as NUL-terminated base64url text into x and y
 * (SHC_COORD_B64_LEN + 1 bytes each) and, when d is not NULL and the key is
 * private, the scalar into d.  The caller must wipe d after use.
 */
shc_status	shc_es256_export(const shc_ec_key *key, char *x, char *y, char *d,
							 shc_error *err);

/*
 * RFC 7638 thumbprint of an EC public key: base64url(SHA-256(
 * {"crv":"P-256","kty":"EC","x":"<x>","y":"<y>"})), written NUL-terminated
 * into kid (SHC_KID_LEN + 1 bytes).  x and y are taken as given.
 */
shc_status	shc_jwk_thumbprint(const char *x, size_t xlen, const char *y,
							   size_t ylen, char *kid, shc_error *err);

/*
 * Sign msg; sig receives the raw 64-byte r||s form (SHC-NOTES 3), always
 * low-S (s <= n / 2).  Verification accepts both forms.
 */
shc_status	shc_es256_sign(const shc_ec_key *key, const uint8_t *msg, size_t n,
						   uint8_t *sig, shc_error *err);

/*
 * Verify a raw r||s signature over exactly msg[0..n).  A signature that is
 * not 64 bytes is rejected without calling OpenSSL.  SHC_ERR_SIGNATURE when
 * it does not verify.
 */
/*
 * The same with the SHA-256 digest of the message already computed (md, 32
 * bytes): a caller that needs the digest anyway (the card identity) hashes
 * once.
 */
shc_status	shc_es256_verify_digest(const shc_ec_key *key, const uint8_t *md,
									const uint8_t *sig, size_t siglen,
									shc_error *err);

shc_status	shc_es256_verify(const shc_ec_key *key, const uint8_t *msg,
							 size_t n, const uint8_t *sig, size_t siglen,
							 shc_error *err);

void		shc_ec_key_free(shc_ec_key *key);

/* SHA-256 of msg into out[32]. */
shc_status	shc_sha256(const void *msg, size_t n, uint8_t *out, shc_error *err);

/* HMAC-SHA-256 into out[32]. */
shc_status	shc_hmac_sha256(const void *key, size_t keylen, const void *msg,
							size_t n, uint8_t *out, shc_error *err);

/* Fill buf with n bytes from OpenSSL's CSPRNG. */
shc_status	shc_random_bytes(uint8_t *buf, size_t n, shc_error *err);

#endif
