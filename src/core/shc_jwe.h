/*
 * shc_jwe.h
 *		Compact JWE (RFC 7516 section 7.1) as SMART Health Links use it
 *		(SHC-NOTES 15): "alg":"dir" (RFC 7518 section 4.5), "enc":"A256GCM"
 *		(RFC 7518 section 5.3), a "cty" header, optional "zip":"DEF" (raw
 *		DEFLATE of the plaintext, RFC 7516 section 4.1.3).
 *
 * The five segments are BASE64URL(protected header) "." (empty: no
 * encrypted key with dir) "." BASE64URL(96-bit IV) "." BASE64URL(ciphertext)
 * "." BASE64URL(128-bit tag); the additional authenticated data is the
 * ASCII of the first segment (RFC 7516 section 5.1 step 14).
 */
#ifndef SHC_JWE_H
#define SHC_JWE_H

#include "shc_core.h"
#include "shc_es256.h"

#define SHC_JWE_KEY_LEN 32		/* A256GCM */
#define SHC_JWE_IV_LEN 12
#define SHC_JWE_TAG_LEN 16
#define SHC_JWE_CTY_MAX 255		/* longest content type we hand back */

/*
 * Encrypt plain[0..n) under key (32 bytes) and append the compact JWE to
 * out.  cty (NUL-terminated, non-empty, printable ASCII without '"' or
 * '\\', at most SHC_JWE_CTY_MAX bytes) goes into the header; when zip is
 * set the plaintext is compressed with raw DEFLATE first and the header
 * says "zip":"DEF".  The IV comes from OpenSSL's CSPRNG.  SHC_ERR_JWE for
 * a bad cty; SHC_ERR_INTERNAL if OpenSSL fails.
 */
shc_status	shc_jwe_encrypt(const uint8_t *key, const char *cty,
							const uint8_t *plain, size_t n, bool zip,
							shc_buf *out, shc_error *err);

/*
 * The same with a given IV (SHC_JWE_IV_LEN bytes): for known-answer tests
 * only.  Reusing an IV under one key breaks AES-GCM; production code
 * calls shc_jwe_encrypt.
 */
shc_status	shc_jwe_encrypt_iv(const uint8_t *key, const uint8_t *iv,
							   const char *cty, const uint8_t *plain, size_t n,
							   bool zip, shc_buf *out, shc_error *err);

/* What a decrypted JWE said about itself. */
typedef struct shc_jwe_info
{
	bool		has_cty;
	char		cty[SHC_JWE_CTY_MAX + 1];
	bool		zip;
} shc_jwe_info;

/*
 * Decrypt the compact JWE jwe[0..n) with key (keylen bytes; anything but
 * 32 is SHC_ERR_KEY) and append the plaintext (inflated when the header
 * says "zip":"DEF", to at most max_out bytes) to out.
 *
 * SHC_ERR_LIMIT when n > max_len (0 = none); SHC_ERR_JWE for a shape,
 * header or segment problem: not five segments, non-base64url segment, a
 * header that is not a JSON object, "alg" other than "dir", "enc" other
 * than "A256GCM", "zip" other than "DEF", any "crit", a non-empty
 * encrypted key, an IV other than 12 bytes or a tag other than 16 bytes
 * (a truncated JWE lands here); SHC_ERR_JWE_DECRYPT when the tag does not
 * authenticate (wrong key, altered header, IV, ciphertext or tag);
 * SHC_ERR_INFLATE / SHC_ERR_INFLATE_TOO_LARGE for a bad compressed
 * plaintext.  Nothing is appended unless the tag authenticated.
 */
shc_status	shc_jwe_decrypt(const char *jwe, size_t n, size_t max_len,
							const uint8_t *key, size_t keylen,
							size_t max_out, shc_buf *out,
							shc_jwe_info *info, shc_error *err);

/*
 * n bytes for a secret (a link key) from OpenSSL's private DRBG
 * (RAND_priv_bytes); SHC_ERR_INTERNAL if it cannot produce them.  Public
 * random values (IVs, salts, manifest ids) use shc_random_bytes.
 */
shc_status	shc_random_secret_bytes(uint8_t *dst, size_t n, shc_error *err);

#endif
