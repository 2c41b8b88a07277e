/*
 * shc_passcode.c
 *		scrypt passcode hashes for SMART Health Links (RFC 7914 through
 *		OpenSSL EVP_PBE_scrypt); see shc_passcode.h for the stored form.
 */
#include "shc_passcode.h"
#include "shc_b64url.h"
#include "shc_jwe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#define SALT_LEN 16
#define HASH_LEN 32

static bool
params_ok(int log2n, int r, int p)
{
	return log2n >= 10 && log2n <= 20 && r >= 1 && r <= 16 && p >= 1 && p <= 4;
}

static shc_status
derive(const char *pass, size_t n, const uint8_t *salt, int log2n, int r,
	   int p, uint8_t *hash, shc_error *err)
{
	uint64_t	N = (uint64_t) 1 << log2n;
	/* scrypt needs 128 * r * N bytes (plus a little): allow twice that */
	uint64_t	maxmem = 2 * 128 * (uint64_t) r * N * (uint64_t) p + (1 << 20);

	if (EVP_PBE_scrypt(pass, n, salt, SALT_LEN, N, (uint64_t) r, (uint64_t) p,
					   maxmem, hash, HASH_LEN) != 1)
		return shc_error_set(err, SHC_ERR_INTERNAL,
							 "scrypt failed in OpenSSL (out of memory?).");
	return SHC_OK;
}

shc_status
shc_passcode_hash(const char *pass, size_t n, int log2n, int r, int p,
				  shc_buf *out, shc_error *err)
{
	uint8_t		salt[SALT_LEN];
	uint8_t		hash[HASH_LEN];
	char		head[64];
	shc_status	st;

	if (n == 0 || n > SHC_PASSCODE_MAX_LEN)
		return shc_error_set(err, SHC_ERR_LIMIT,
							 "A passcode has 1 to %d bytes.", SHC_PASSCODE_MAX_LEN);
	if (!params_ok(log2n, r, p))
		return shc_error_set(err, SHC_ERR_LIMIT,
							 "scrypt parameters out of range (log2 N 10..20, r 1..16, p 1..4).");
	if ((st = shc_random_bytes(salt, sizeof(salt), err)) != SHC_OK)
		return st;
	if ((st = derive(pass, n, salt, log2n, r, p, hash, err)) != SHC_OK)
		return st;
	snprintf(head, sizeof(head), "scrypt$%d$%d$%d$", log2n, r, p);
	shc_buf_append_str(out, head);
	shc_b64url_encode(salt, sizeof(salt), out, err);
	shc_buf_append_char(out, '$');
	shc_b64url_encode(hash, sizeof(hash), out, err);
	shc_memzero(hash, sizeof(hash));
	return shc_buf_status(out, err);
}

shc_status
shc_passcode_verify(const char *pass, size_t n, const char *stored,
					bool *match, shc_error *err)
{
	int			log2n,
				r,
				p,
				used = 0;
	const char *salt_b64,
			   *hash_b64;
	uint8_t		salt[SALT_LEN + 2];
	uint8_t		want[HASH_LEN + 2];
	uint8_t		got[HASH_LEN];
	size_t		len;
	shc_status	st;

	*match = false;
	if (sscanf(stored, "scrypt$%d$%d$%d$%n", &log2n, &r, &p, &used) != 3 ||
		used == 0 || !params_ok(log2n, r, p))
		return shc_error_set(err, SHC_ERR_KEY, "The stored passcode hash is malformed.");
	salt_b64 = stored + used;
	hash_b64 = strchr(salt_b64, '$');
	if (hash_b64 == NULL ||
		shc_b64url_decode_to(salt_b64, (size_t) (hash_b64 - salt_b64), salt, &len, NULL) != SHC_OK ||
		len != SALT_LEN ||
		strlen(hash_b64 + 1) != SHC_B64URL_ENCODED_LEN(HASH_LEN) ||
		shc_b64url_decode_to(hash_b64 + 1, strlen(hash_b64 + 1), want, &len, NULL) != SHC_OK ||
		len != HASH_LEN)
		return shc_error_set(err, SHC_ERR_KEY, "The stored passcode hash is malformed.");
	if (n > SHC_PASSCODE_MAX_LEN)
		return SHC_OK;			/* never matches; no work for a flood */
	if ((st = derive(pass, n, salt, log2n, r, p, got, err)) != SHC_OK)
		return st;
	*match = n > 0 && CRYPTO_memcmp(got, want, HASH_LEN) == 0;
	shc_memzero(got, sizeof(got));
	return SHC_OK;
}
