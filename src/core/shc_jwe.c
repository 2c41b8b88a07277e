/*
 * shc_jwe.c
 *		Compact JWE with "alg":"dir" and "enc":"A256GCM" through OpenSSL EVP
 *		(RFC 7516 sections 5.1, 5.2 and 7.1; RFC 7518 sections 4.5 and 5.3),
 *		the file encryption of SMART Health Links (SHC-NOTES 15).
 *
 * Map: the CSPRNG wrapper, the AES-256-GCM calls (one EVP_CIPHER_CTX per
 * call, freed on every path), the header check, shc_jwe_encrypt and
 * shc_jwe_decrypt.  Plaintext that was decrypted lives in a temporary
 * buffer that is wiped before it is freed, and reaches the caller only
 * after the tag authenticated.
 */
#include "shc_jwe.h"
#include "shc_b64url.h"
#include "shc_deflate.h"
#include "shc_jsonr.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

shc_status
shc_random_secret_bytes(uint8_t *dst, size_t n, shc_error *err)
{
	/* RAND_priv_bytes: the private DRBG, meant for secret values */
	while (n > 0)
	{
		int			k = n > INT_MAX ? INT_MAX : (int) n;

		if (RAND_priv_bytes(dst, k) != 1)
			return shc_error_set(err, SHC_ERR_INTERNAL,
								 "The random number generator failed.");
		dst += k;
		n -= (size_t) k;
	}
	return SHC_OK;
}

/*
 * AES-256-GCM over in[0..n) with aad; encrypts into dst (n bytes) and
 * writes the tag, or decrypts and checks the tag.  Returns SHC_OK,
 * SHC_ERR_JWE_DECRYPT (tag mismatch) or SHC_ERR_INTERNAL.
 */
static shc_status
aes256gcm(bool enc, const uint8_t *key, const uint8_t *iv,
		  const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t n,
		  uint8_t *dst, uint8_t *tag, shc_error *err)
{
	EVP_CIPHER_CTX *ctx;
	shc_status	st = SHC_ERR_INTERNAL;
	int			len;
	size_t		done = 0;

	if (aadlen > INT_MAX)
		return shc_error_set(err, SHC_ERR_LIMIT, "The JWE header is too long.");
	ctx = EVP_CIPHER_CTX_new();
	if (ctx == NULL)
		return shc_error_set(err, SHC_ERR_NOMEM, NULL);
	if (EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL, enc ? 1 : 0) != 1 ||
		EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, SHC_JWE_IV_LEN, NULL) != 1 ||
		EVP_CipherInit_ex(ctx, NULL, NULL, key, iv, enc ? 1 : 0) != 1 ||
		EVP_CipherUpdate(ctx, NULL, &len, aad, (int) aadlen) != 1)
		goto done;
	while (done < n)
	{
		int			k = n - done > (size_t) (INT_MAX / 2) ? INT_MAX / 2 : (int) (n - done);

		if (EVP_CipherUpdate(ctx, dst + done, &len, in + done, k) != 1 || len != k)
			goto done;
		done += (size_t) k;
	}
	if (!enc &&
		EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, SHC_JWE_TAG_LEN, tag) != 1)
		goto done;
	if (EVP_CipherFinal_ex(ctx, dst + done, &len) != 1)
	{
		if (!enc)
			st = SHC_ERR_JWE_DECRYPT;
		goto done;
	}
	if (enc &&
		EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, SHC_JWE_TAG_LEN, tag) != 1)
		goto done;
	st = SHC_OK;
done:
	EVP_CIPHER_CTX_free(ctx);
	if (st == SHC_ERR_JWE_DECRYPT)
		return shc_error_set(err, st,
							 "The authentication tag does not match: wrong key, or the JWE was altered.");
	if (st != SHC_OK)
		return shc_error_set(err, st, "AES-256-GCM failed in OpenSSL.");
	return SHC_OK;
}

static bool
cty_ok(const char *cty)
{
	size_t		k,
				n = strlen(cty);

	if (n == 0 || n > SHC_JWE_CTY_MAX)
		return false;
	for (k = 0; k < n; k++)
		if (cty[k] < 0x20 || cty[k] > 0x7E || cty[k] == '"' || cty[k] == '\\')
			return false;
	return true;
}

shc_status
shc_jwe_encrypt(const uint8_t *key, const char *cty, const uint8_t *plain,
				size_t n, bool zip, shc_buf *out, shc_error *err)
{
	uint8_t		iv[SHC_JWE_IV_LEN];
	shc_status	st;

	/* RFC 7518 5.3: a fresh 96-bit IV for every encryption under a key */
	if ((st = shc_random_bytes(iv, sizeof(iv), err)) != SHC_OK)
		return st;
	return shc_jwe_encrypt_iv(key, iv, cty, plain, n, zip, out, err);
}

shc_status
shc_jwe_encrypt_iv(const uint8_t *key, const uint8_t *iv, const char *cty,
				   const uint8_t *plain, size_t n, bool zip, shc_buf *out,
				   shc_error *err)
{
	shc_buf		hdr;
	shc_buf		z;
	uint8_t		tag[SHC_JWE_TAG_LEN];
	uint8_t    *ct = NULL;
	shc_status	st;
	size_t		hstart;

	if (!cty_ok(cty))
		return shc_error_set(err, SHC_ERR_JWE,
							 "The content type must be 1 to %d printable ASCII characters without quotes or backslashes.",
							 SHC_JWE_CTY_MAX);
	shc_buf_init(&hdr, out->a, 0);
	shc_buf_init(&z, out->a, 0);
	shc_buf_append_str(&hdr, "{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"cty\":\"");
	shc_buf_append_str(&hdr, cty);
	shc_buf_append_str(&hdr, zip ? "\",\"zip\":\"DEF\"}" : "\"}");
	if ((st = shc_buf_status(&hdr, err)) != SHC_OK)
		goto done;
	if (zip)
	{
		if ((st = shc_deflate_raw(plain, n, 9, &z, err)) != SHC_OK)
			goto done;
		plain = (const uint8_t *) z.data;
		n = z.len;
	}
	ct = out->a->alloc(n ? n : 1, out->a->ctx);
	if (ct == NULL)
	{
		st = shc_error_set(err, SHC_ERR_NOMEM, NULL);
		goto done;
	}

	/* segment 1: the protected header; its ASCII is the AAD */
	hstart = out->len;
	if ((st = shc_b64url_encode((const uint8_t *) hdr.data, hdr.len, out, err)) != SHC_OK)
		goto done;
	if ((st = shc_buf_status(out, err)) != SHC_OK)
		goto done;
	st = aes256gcm(true, key, iv, (const uint8_t *) out->data + hstart,
				   out->len - hstart, plain, n, ct, tag, err);
	if (st != SHC_OK)
		goto done;
	/* segment 2 is empty: "dir" has no encrypted key */
	shc_buf_append_str(out, "..");
	shc_b64url_encode(iv, SHC_JWE_IV_LEN, out, err);
	shc_buf_append_char(out, '.');
	shc_b64url_encode(ct, n, out, err);
	shc_buf_append_char(out, '.');
	shc_b64url_encode(tag, sizeof(tag), out, err);
	st = shc_buf_status(out, err);
done:
	if (ct)
		out->a->free(ct, out->a->ctx);
	if (z.data)
		shc_memzero(z.data, z.len);
	shc_buf_free(&z);
	shc_buf_free(&hdr);
	return st;
}

/* Check the protected header (RFC 7516 4.1, SHC-NOTES 15) and fill info. */
static shc_status
check_header(const char *json, size_t n, const shc_allocator *a,
			 shc_jwe_info *info, shc_error *err)
{
	shc_json_members h;
	const shc_json_member *m;
	shc_status	st;

	st = shc_json_members_read(json, n, a, &h, err);
	if (st != SHC_OK)
	{
		char		why[SHC_ERROR_DETAIL_LEN];

		shc_json_members_free(&h);
		snprintf(why, sizeof(why), "%s", err ? err->detail : "");
		return shc_error_set(err, st == SHC_ERR_NOMEM ? st : SHC_ERR_JWE,
							 "The protected header is not a JSON object. %s", why);
	}
	m = shc_json_members_get(&h, "alg");
	if (m == NULL || m->type != SHC_JSON_STRING || strcmp(m->value, "dir") != 0)
	{
		st = shc_error_set(err, SHC_ERR_JWE,
						   "The header's \"alg\" must be \"dir\"; SMART Health Links use a shared key.");
		goto done;
	}
	m = shc_json_members_get(&h, "enc");
	if (m == NULL || m->type != SHC_JSON_STRING || strcmp(m->value, "A256GCM") != 0)
	{
		st = shc_error_set(err, SHC_ERR_JWE,
						   "The header's \"enc\" must be \"A256GCM\".");
		goto done;
	}
	m = shc_json_members_get(&h, "zip");
	if (m != NULL && (m->type != SHC_JSON_STRING || strcmp(m->value, "DEF") != 0))
	{
		st = shc_error_set(err, SHC_ERR_JWE,
						   "The header's \"zip\" must be \"DEF\" when present.");
		goto done;
	}
	info->zip = m != NULL;
	/* RFC 7516 4.1.13: an extension we do not understand must fail */
	if (shc_json_members_get(&h, "crit") != NULL)
	{
		st = shc_error_set(err, SHC_ERR_JWE,
						   "The header has \"crit\" extensions, which are not supported.");
		goto done;
	}
	m = shc_json_members_get(&h, "cty");
	if (m != NULL)
	{
		if (m->type != SHC_JSON_STRING || !cty_ok(m->value))
		{
			st = shc_error_set(err, SHC_ERR_JWE,
							   "The header's \"cty\" must be a short printable string.");
			goto done;
		}
		info->has_cty = true;
		memcpy(info->cty, m->value, m->value_len + 1);
	}
	st = SHC_OK;
done:
	shc_json_members_free(&h);
	return st;
}

/* Decode a segment that must be exactly want bytes long. */
static shc_status
fixed_segment(const char *s, size_t n, uint8_t *dst, size_t want,
			  const char *what, shc_error *err)
{
	size_t		got;

	if (n != SHC_B64URL_ENCODED_LEN(want))
		return shc_error_set(err, SHC_ERR_JWE,
							 "The %s must be %zu bytes (%zu base64url characters), not %zu characters.",
							 what, want, (size_t) SHC_B64URL_ENCODED_LEN(want), n);
	if (shc_b64url_decode_to(s, n, dst, &got, err) != SHC_OK || got != want)
		return shc_error_set(err, SHC_ERR_JWE, "The %s is not base64url.", what);
	return SHC_OK;
}

shc_status
shc_jwe_decrypt(const char *jwe, size_t n, size_t max_len,
				const uint8_t *key, size_t keylen, size_t max_out,
				shc_buf *out, shc_jwe_info *info, shc_error *err)
{
	const char *seg[5];
	size_t		len[5];
	size_t		i,
				k = 0,
				start = 0;
	uint8_t		iv[SHC_JWE_IV_LEN];
	uint8_t		tag[SHC_JWE_TAG_LEN];
	shc_buf		hdr;
	shc_buf		ct;
	uint8_t    *pt = NULL;
	shc_status	st;

	memset(info, 0, sizeof(*info));
	if (max_len && n > max_len)
		return shc_error_set(err, SHC_ERR_LIMIT,
							 "The JWE has %zu characters, above the limit of %zu.",
							 n, max_len);
	if (keylen != SHC_JWE_KEY_LEN)
		return shc_error_set(err, SHC_ERR_KEY,
							 "An A256GCM key is %d bytes, not %zu.",
							 SHC_JWE_KEY_LEN, keylen);
	/* RFC 7516 7.1: exactly five segments, four dots */
	for (i = 0; i <= n; i++)
	{
		if (i == n || jwe[i] == '.')
		{
			if (k == 5)
				return shc_error_set(err, SHC_ERR_JWE,
									 "A compact JWE has five segments; this one has more.");
			seg[k] = jwe + start;
			len[k] = i - start;
			k++;
			start = i + 1;
		}
	}
	if (k != 5)
		return shc_error_set(err, SHC_ERR_JWE,
							 "A compact JWE has five segments; this one has %zu (truncated?).",
							 k);
	if (len[0] == 0)
		return shc_error_set(err, SHC_ERR_JWE, "The protected header is empty.");

	/* the header first: a JWE of another alg or enc is named as such */
	shc_buf_init(&hdr, out->a, 0);
	shc_buf_init(&ct, out->a, 0);
	if (shc_b64url_decode(seg[0], len[0], &hdr, err) != SHC_OK)
	{
		st = shc_error_set(err, SHC_ERR_JWE, "The protected header is not base64url.");
		goto done;
	}
	if ((st = shc_buf_status(&hdr, err)) != SHC_OK)
		goto done;
	if ((st = check_header(hdr.data, hdr.len, out->a, info, err)) != SHC_OK)
		goto done;
	if (len[1] != 0)
	{
		st = shc_error_set(err, SHC_ERR_JWE,
						   "The encrypted key segment must be empty with \"alg\":\"dir\".");
		goto done;
	}
	if ((st = fixed_segment(seg[2], len[2], iv, sizeof(iv),
							"initialization vector", err)) != SHC_OK)
		goto done;
	if ((st = fixed_segment(seg[4], len[4], tag, sizeof(tag),
							"authentication tag", err)) != SHC_OK)
		goto done;
	if (shc_b64url_decode(seg[3], len[3], &ct, err) != SHC_OK)
	{
		st = shc_error_set(err, SHC_ERR_JWE, "The ciphertext is not base64url.");
		goto done;
	}
	if ((st = shc_buf_status(&ct, err)) != SHC_OK)
		goto done;
	if (!info->zip && ct.len > max_out)
	{
		st = shc_error_set(err, SHC_ERR_LIMIT,
						   "The plaintext would have %zu bytes, above the limit of %zu.",
						   ct.len, max_out);
		goto done;
	}
	pt = out->a->alloc(ct.len ? ct.len : 1, out->a->ctx);
	if (pt == NULL)
	{
		st = shc_error_set(err, SHC_ERR_NOMEM, NULL);
		goto done;
	}
	/* RFC 7516 5.2 step 14: the AAD is the first segment as received */
	st = aes256gcm(false, key, iv, (const uint8_t *) seg[0], len[0],
				   (const uint8_t *) ct.data, ct.len, pt, tag, err);
	if (st != SHC_OK)
		goto done;
	if (info->zip)
		st = shc_inflate_raw(pt, ct.len, max_out, out, err);
	else
	{
		shc_buf_append(out, pt, ct.len);
		st = shc_buf_status(out, err);
	}
done:
	if (pt)
	{
		shc_memzero(pt, ct.len);
		out->a->free(pt, out->a->ctx);
	}
	shc_buf_free(&ct);
	shc_buf_free(&hdr);
	return st;
}
