/*
 * shc_aead.c
 *		AES-256-GCM sealing of secrets at rest (NIST SP 800-38D, 96-bit
 *		random nonces, 128-bit tags) through OpenSSL EVP.  The format and
 *		the rules are in shc_aead.h.
 *
 * Map: key id and root key text; seal; open.
 *
 * Nonces are random: a root key seals few secrets (one per signing key and
 * per revocation secret), far below the 2^32 messages SP 800-38D 8.3
 * allows per key with random 96-bit nonces.
 */
#include "shc_aead.h"

#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "shc_es256.h"

#define KEY_ID_LABEL "shc root key id"

shc_status
shc_aead_key_id(const uint8_t *key, uint8_t *id, shc_error *err)
{
	uint8_t		buf[sizeof(KEY_ID_LABEL) - 1 + SHC_AEAD_KEY_LEN];
	uint8_t		digest[32];
	shc_status	st;

	memcpy(buf, KEY_ID_LABEL, sizeof(KEY_ID_LABEL) - 1);
	memcpy(buf + sizeof(KEY_ID_LABEL) - 1, key, SHC_AEAD_KEY_LEN);
	st = shc_sha256(buf, sizeof(buf), digest, err);
	shc_memzero(buf, sizeof(buf));
	if (st == SHC_OK)
		memcpy(id, digest, SHC_AEAD_KEY_ID_LEN);
	return st;
}

static bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

shc_status
shc_aead_key_parse(const char *text, size_t n, uint8_t *key, shc_error *err)
{
	size_t		i;

	while (n > 0 && is_space((unsigned char) text[0]))
	{
		text++;
		n--;
	}
	while (n > 0 && is_space((unsigned char) text[n - 1]))
		n--;
	if (n != 2 * SHC_AEAD_KEY_LEN)
		return shc_error_set(err, SHC_ERR_KEY,
							 "A root key is 64 hexadecimal digits (32 bytes); this one has %zu characters.",
							 n);
	for (i = 0; i < SHC_AEAD_KEY_LEN; i++)
	{
		int			hi = shc_hex_value((unsigned char) text[2 * i]);
		int			lo = shc_hex_value((unsigned char) text[2 * i + 1]);

		if (hi < 0 || lo < 0)
		{
			shc_memzero(key, SHC_AEAD_KEY_LEN);
			return shc_error_set(err, SHC_ERR_KEY,
								 "A root key is 64 hexadecimal digits; this one has another character.");
		}
		key[i] = (uint8_t) (hi << 4 | lo);
	}
	return SHC_OK;
}

/*
 * Run AES-256-GCM over in[0..n) into out, in one direction; aad is the
 * header followed by the caller's associated data.  For decryption tag is
 * checked, for encryption it is written.
 */
static bool
gcm(bool enc, const uint8_t *key, const uint8_t *header, const char *aad,
	size_t aadlen, const uint8_t *in, size_t n, uint8_t *out, uint8_t *tag)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int			len;
	bool		ok;

	if (ctx == NULL)
		return false;
	ok = EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL, enc ? 1 : 0) == 1 &&
		EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, SHC_AEAD_NONCE_LEN, NULL) == 1 &&
		EVP_CipherInit_ex(ctx, NULL, NULL, key, header + 1 + SHC_AEAD_KEY_ID_LEN,
						  enc ? 1 : 0) == 1 &&
		EVP_CipherUpdate(ctx, NULL, &len, header, SHC_AEAD_HEADER_LEN) == 1 &&
		(aadlen == 0 ||
		 EVP_CipherUpdate(ctx, NULL, &len, (const unsigned char *) aad, (int) aadlen) == 1) &&
		(n == 0 || EVP_CipherUpdate(ctx, out, &len, in, (int) n) == 1);
	if (ok && !enc)
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, SHC_AEAD_TAG_LEN, tag) == 1;
	if (ok)
		ok = EVP_CipherFinal_ex(ctx, out + n, &len) == 1;
	if (ok && enc)
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, SHC_AEAD_TAG_LEN, tag) == 1;
	EVP_CIPHER_CTX_free(ctx);	/* cleanses the key schedule */
	return ok;
}

shc_status
shc_aead_seal(const uint8_t *key, const uint8_t *keyid,
			  const char *aad, size_t aadlen,
			  const uint8_t *plain, size_t n, uint8_t *out, shc_error *err)
{
	if (n > SHC_AEAD_MAX_PLAIN || aadlen > SHC_AEAD_MAX_PLAIN)
		return shc_error_set(err, SHC_ERR_LIMIT,
							 "A sealed secret holds at most %d bytes.",
							 SHC_AEAD_MAX_PLAIN);
	out[0] = SHC_AEAD_VERSION;
	memcpy(out + 1, keyid, SHC_AEAD_KEY_ID_LEN);
	if (RAND_bytes(out + 1 + SHC_AEAD_KEY_ID_LEN, SHC_AEAD_NONCE_LEN) != 1)
		return shc_error_set(err, SHC_ERR_INTERNAL,
							 "The random number generator failed.");
	if (!gcm(true, key, out, aad, aadlen, plain, n, out + SHC_AEAD_HEADER_LEN,
			 out + SHC_AEAD_HEADER_LEN + n))
	{
		shc_memzero(out, n + SHC_AEAD_OVERHEAD);
		return shc_error_set(err, SHC_ERR_INTERNAL, "AES-256-GCM encryption failed.");
	}
	return SHC_OK;
}

shc_status
shc_aead_sealed_key_id(const uint8_t *sealed, size_t n, uint8_t *id,
					   shc_error *err)
{
	if (n < SHC_AEAD_OVERHEAD || sealed[0] != SHC_AEAD_VERSION)
		return shc_error_set(err, SHC_ERR_DECRYPT,
							 "The sealed secret is truncated or of an unknown format.");
	memcpy(id, sealed + 1, SHC_AEAD_KEY_ID_LEN);
	return SHC_OK;
}

shc_status
shc_aead_open(const uint8_t *key, const char *aad, size_t aadlen,
			  const uint8_t *sealed, size_t n,
			  uint8_t *plain, size_t *plainlen, shc_error *err)
{
	uint8_t		id[SHC_AEAD_KEY_ID_LEN];
	uint8_t		tag[SHC_AEAD_TAG_LEN];
	size_t		m;
	shc_status	st;

	st = shc_aead_sealed_key_id(sealed, n, id, err);
	if (st != SHC_OK)
		return st;
	if (aadlen > SHC_AEAD_MAX_PLAIN)
		return shc_error_set(err, SHC_ERR_LIMIT, "The associated data is too long.");
	m = n - SHC_AEAD_OVERHEAD;
	memcpy(tag, sealed + n - SHC_AEAD_TAG_LEN, SHC_AEAD_TAG_LEN);
	if (!gcm(false, key, sealed, aad, aadlen, sealed + SHC_AEAD_HEADER_LEN, m,
			 plain, tag))
	{
		shc_memzero(plain, m);
		return shc_error_set(err, SHC_ERR_DECRYPT,
							 "The sealed secret does not authenticate under the root key and the row it is stored in.");
	}
	*plainlen = m;
	return SHC_OK;
}
