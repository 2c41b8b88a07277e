/*
 * shc_rid.c
 *		Revocation identifiers by the spec's HMAC recipe and the secret
 *		behind them (SHC-NOTES section 10).
 */
#include "shc_rid.h"
#include "shc_b64url.h"
#include "shc_es256.h"

#include <string.h>

#define RID_DIGEST_PREFIX 8		/* SHC-NOTES 10: the first 64 bits */

shc_status
shc_rid_secret_generate(char *out, shc_error *err)
{
	uint8_t		raw[SHC_RID_SECRET_BYTES];
	shc_status	st;

	st = shc_random_bytes(raw, sizeof(raw), err);
	if (st == SHC_OK)
		(void) shc_b64url_encode_to(raw, sizeof(raw), out);
	shc_memzero(raw, sizeof(raw));
	return st;
}

shc_status
shc_rid_secret_check(const char *secret, size_t n, shc_error *err)
{
	size_t		i;
	bool		bad = false;

	/* never quote the secret, nor say where the bad character is */
	if (n < SHC_RID_SECRET_LEN || n > SHC_RID_SECRET_MAX_LEN)
		return shc_error_set(err, SHC_ERR_KEY,
							 "A revocation secret has %d to %d characters; this one has %zu.",
							 SHC_RID_SECRET_LEN, SHC_RID_SECRET_MAX_LEN, n);
	for (i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) secret[i];

		if (!shc_b64url_char(c))
			bad = true;
	}
	if (bad)
		return shc_error_set(err, SHC_ERR_KEY,
							 "A revocation secret may hold only base64url characters (A-Z, a-z, 0-9, \"-\", \"_\").");
	return SHC_OK;
}

shc_status
shc_rid_hmac(const char *secret, size_t secretlen, const char *kid,
			 size_t kidlen, const char *subject, size_t subjectlen,
			 char *out, shc_error *err)
{
	uint8_t		key[SHC_RID_SECRET_MAX_LEN + SHC_RID_KID_MAX_LEN];
	uint8_t		mac[32];
	shc_status	st;

	if (secretlen > SHC_RID_SECRET_MAX_LEN || kidlen > SHC_RID_KID_MAX_LEN)
		return shc_error_set(err, SHC_ERR_LIMIT,
							 "The revocation secret or the kid is too long for the rid recipe.");
	/* SHC-NOTES 10: the HMAC key is the text secret || kid, not decoded */
	memcpy(key, secret, secretlen);
	memcpy(key + secretlen, kid, kidlen);
	st = shc_hmac_sha256(key, secretlen + kidlen, subject, subjectlen, mac, err);
	shc_memzero(key, sizeof(key));
	if (st == SHC_OK)
		(void) shc_b64url_encode_to(mac, RID_DIGEST_PREFIX, out);
	shc_memzero(mac, sizeof(mac));
	return st;
}
