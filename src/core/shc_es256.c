/*
 * shc_es256.c
 *		ES256 with OpenSSL 3 EVP (RFC 7518 section 3.4, SHC-NOTES 3 and 5).
 *
 * JWS carries ECDSA signatures as the raw 32-byte r followed by the raw
 * 32-byte s; OpenSSL's EVP interface speaks DER.  We convert in both
 * directions with a few lines of X.690 (the shapes are fixed and tiny, and
 * ECDSA_SIG would cost three allocations per call), and never accept a DER
 * signature on input.
 * Every OpenSSL object is freed, and every buffer that held a private
 * scalar is cleansed, on every path.
 */
#include "shc_es256.h"
#include "shc_b64url.h"

#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

/*
 * A key and, created on first use and kept until shc_ec_key_free, the
 * OpenSSL contexts its operations need.  Setting up an EVP_MD_CTX for
 * EVP_DigestVerify costs a provider look-up, a key-context duplication and
 * several allocations on every call (about 7% of a verification); keeping
 * one EVP_PKEY_CTX per operation and hashing with a kept EVP_MD_CTX does
 * the same ECDSA work without them.  Hence a key must not be used by two
 * threads at once (a PostgreSQL backend is single-threaded).
 */
struct shc_ec_key
{
	EVP_PKEY   *pkey;
	bool		has_private;
	EVP_PKEY_CTX *verify_ctx;	/* EVP_PKEY_verify_init done */
	EVP_PKEY_CTX *sign_ctx;		/* EVP_PKEY_sign_init done */
	EVP_MD_CTX *md_ctx;			/* for SHA-256 of the message */
};

/* SHA-256, fetched once per process rather than on every call */
static EVP_MD *sha256_md;

static const EVP_MD *
get_sha256(void)
{
	if (sha256_md == NULL)
		sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
	return sha256_md;
}

static shc_status
ossl_fail(shc_error *err, shc_status st, const char *what)
{
	unsigned long e = ERR_peek_last_error();

	ERR_clear_error();
	if (e != 0 && ERR_GET_REASON(e) == ERR_R_MALLOC_FAILURE)
		return shc_error_set(err, SHC_ERR_NOMEM, NULL);
	return shc_error_set(err, st, "%s", what);
}

static shc_status
decode_coord(const char *s, size_t n, const char *name, uint8_t *out,
			 shc_error *err)
{
	uint8_t		tmp[SHC_B64URL_DECODED_MAX(SHC_COORD_B64_LEN + 4)];
	size_t		len;
	shc_error	e2;

	/* 32 bytes are always 43 characters; anything longer is refused early */
	if (n != SHC_COORD_B64_LEN)
		return shc_error_set(err, SHC_ERR_KEY,
							 "JWK member \"%s\" must be %d base64url characters (32 bytes), not %zu.",
							 name, SHC_COORD_B64_LEN, n);
	if (shc_b64url_decode_to(s, n, tmp, &len, &e2) != SHC_OK)
	{
		shc_memzero(tmp, sizeof(tmp));
		/* e2 may quote a symbol of d: report only the member name */
		return shc_error_set(err, SHC_ERR_KEY,
							 "JWK member \"%s\" is not valid base64url.", name);
	}
	memcpy(out, tmp, SHC_ES256_COORD_LEN);
	shc_memzero(tmp, sizeof(tmp));
	return SHC_OK;
}

shc_status
shc_es256_key_from_jwk(const char *x, size_t xlen, const char *y, size_t ylen,
					   const char *d, size_t dlen, shc_ec_key **out,
					   shc_error *err)
{
	uint8_t		pub[1 + 2 * SHC_ES256_COORD_LEN];
	uint8_t		priv[SHC_ES256_COORD_LEN];
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY_CTX *chk = NULL;
	EVP_PKEY   *pkey = NULL;
	BIGNUM	   *bn = NULL;
	shc_ec_key *key = NULL;
	shc_status	st;

	*out = NULL;
	pub[0] = 0x04;				/* SEC 1 uncompressed point */
	if ((st = decode_coord(x, xlen, "x", pub + 1, err)) != SHC_OK ||
		(st = decode_coord(y, ylen, "y", pub + 1 + SHC_ES256_COORD_LEN, err)) != SHC_OK)
		return st;
	if (d != NULL && (st = decode_coord(d, dlen, "d", priv, err)) != SHC_OK)
		return st;

	st = SHC_OK;
	bld = OSSL_PARAM_BLD_new();
	if (bld == NULL ||
		!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) ||
		!OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof(pub)))
	{
		st = shc_error_set(err, SHC_ERR_NOMEM, NULL);
		goto done;
	}
	if (d != NULL)
	{
		bn = BN_secure_new();
		if (bn == NULL || BN_bin2bn(priv, SHC_ES256_COORD_LEN, bn) == NULL ||
			!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, bn))
		{
			st = shc_error_set(err, SHC_ERR_NOMEM, NULL);
			goto done;
		}
	}
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) <= 0)
	{
		st = ossl_fail(err, SHC_ERR_INTERNAL, "Could not set up an EC key.");
		goto done;
	}
	if (EVP_PKEY_fromdata(ctx, &pkey,
						  d ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
						  params) <= 0)
	{
		st = ossl_fail(err, SHC_ERR_KEY,
					   "The point (x, y) is not on the P-256 curve.");
		goto done;
	}
	chk = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	if (chk == NULL)
	{
		st = ossl_fail(err, SHC_ERR_NOMEM, "");
		goto done;
	}
	if (EVP_PKEY_public_check(chk) != 1)
	{
		st = ossl_fail(err, SHC_ERR_KEY,
					   "The point (x, y) is not a valid P-256 public key.");
		goto done;
	}
	if (d != NULL)
	{
		if (EVP_PKEY_private_check(chk) != 1)
		{
			st = ossl_fail(err, SHC_ERR_KEY,
						   "The private scalar \"d\" is out of range for P-256.");
			goto done;
		}
		if (EVP_PKEY_pairwise_check(chk) != 1)
		{
			st = ossl_fail(err, SHC_ERR_KEY,
						   "The private scalar \"d\" does not match the public point (x, y).");
			goto done;
		}
	}
	key = OPENSSL_zalloc(sizeof(*key));
	if (key == NULL)
	{
		st = shc_error_set(err, SHC_ERR_NOMEM, NULL);
		goto done;
	}
	key->pkey = pkey;
	key->has_private = (d != NULL);
	pkey = NULL;
	*out = key;

done:
	shc_memzero(priv, sizeof(priv));
	BN_clear_free(bn);
	OSSL_PARAM_free(params);	/* OSSL_PARAM_clear_free is 3.2+; bn is cleared */
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_CTX_free(chk);
	EVP_PKEY_free(pkey);
	ERR_clear_error();
	return st;
}

shc_status
shc_es256_generate(shc_ec_key **out, shc_error *err)
{
	EVP_PKEY   *pkey;
	shc_ec_key *key;

	*out = NULL;
	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (pkey == NULL)
		return ossl_fail(err, SHC_ERR_INTERNAL, "P-256 key generation failed.");
	key = OPENSSL_zalloc(sizeof(*key));
	if (key == NULL)
	{
		EVP_PKEY_free(pkey);
		return shc_error_set(err, SHC_ERR_NOMEM, NULL);
	}
	key->pkey = pkey;
	key->has_private = true;
	*out = key;
	return SHC_OK;
}

bool
shc_es256_has_private(const shc_ec_key *key)
{
	return key != NULL && key->has_private;
}

static bool
bn_param_b64(const EVP_PKEY *pkey, const char *name, char *dst)
{
	BIGNUM	   *bn = NULL;
	uint8_t		raw[SHC_ES256_COORD_LEN];
	bool		ok;

	if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1)
		return false;
	ok = BN_bn2binpad(bn, raw, sizeof(raw)) == (int) sizeof(raw);
	if (ok)
		shc_b64url_encode_to(raw, sizeof(raw), dst);
	shc_memzero(raw, sizeof(raw));
	BN_clear_free(bn);
	return ok;
}

shc_status
shc_es256_export(const shc_ec_key *key, char *x, char *y, char *d,
				 shc_error *err)
{
	if (!bn_param_b64(key->pkey, OSSL_PKEY_PARAM_EC_PUB_X, x) ||
		!bn_param_b64(key->pkey, OSSL_PKEY_PARAM_EC_PUB_Y, y))
		return ossl_fail(err, SHC_ERR_INTERNAL, "Could not export the public key.");
	if (d != NULL)
	{
		d[0] = '\0';
		if (key->has_private &&
			!bn_param_b64(key->pkey, OSSL_PKEY_PARAM_PRIV_KEY, d))
			return ossl_fail(err, SHC_ERR_INTERNAL, "Could not export the private key.");
	}
	ERR_clear_error();
	return SHC_OK;
}

shc_status
shc_jwk_thumbprint(const char *x, size_t xlen, const char *y, size_t ylen,
				   char *kid, shc_error *err)
{
	shc_buf		b;
	uint8_t		digest[32];
	shc_status	st;

	/* RFC 7638 section 3.2: required members, lexicographic order, compact */
	shc_buf_init(&b, NULL, 0);
	shc_buf_append_str(&b, "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"");
	shc_buf_append(&b, x, xlen);
	shc_buf_append_str(&b, "\",\"y\":\"");
	shc_buf_append(&b, y, ylen);
	shc_buf_append_str(&b, "\"}");
	st = shc_buf_status(&b, err);
	if (st == SHC_OK)
		st = shc_sha256(b.data, b.len, digest, err);
	shc_buf_free(&b);
	if (st != SHC_OK)
		return st;
	shc_b64url_encode_to(digest, sizeof(digest), kid);
	return SHC_OK;
}

/*
 * SHA-256 of msg into md[32] with the key's kept EVP_MD_CTX (allocated on
 * first use).  The digest is what EVP_DigestSign/EVP_DigestVerify would
 * compute internally before the ECDSA step.
 */
static bool
key_digest(shc_ec_key *key, const uint8_t *msg, size_t n, uint8_t *md)
{
	unsigned int len = 0;

	if (key->md_ctx == NULL && (key->md_ctx = EVP_MD_CTX_new()) == NULL)
		return false;
	return EVP_DigestInit_ex2(key->md_ctx, get_sha256(), NULL) == 1 &&
		EVP_DigestUpdate(key->md_ctx, msg, n) == 1 &&
		EVP_DigestFinal_ex(key->md_ctx, md, &len) == 1 && len == 32;
}

/*
 * The key's EVP_PKEY_CTX for signing or verifying with SHA-256 digests,
 * created and initialized on first use.
 */
static EVP_PKEY_CTX *
key_op_ctx(shc_ec_key *key, bool sign)
{
	EVP_PKEY_CTX **slot = sign ? &key->sign_ctx : &key->verify_ctx;
	EVP_PKEY_CTX *pc;

	if (*slot != NULL)
		return *slot;
	pc = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL);
	if (pc == NULL ||
		(sign ? EVP_PKEY_sign_init(pc) : EVP_PKEY_verify_init(pc)) != 1 ||
		EVP_PKEY_CTX_set_signature_md(pc, get_sha256()) != 1)
	{
		EVP_PKEY_CTX_free(pc);
		return NULL;
	}
	*slot = pc;
	return pc;
}

/*
 * DER INTEGER (X.690 8.3) of a 32-byte unsigned big-endian value at p:
 * minimal length, a 0x00 prefix when the top bit is set.  Returns bytes
 * written to out (at most 35).
 */
static size_t
der_uint32(const uint8_t *p, uint8_t *out)
{
	size_t		skip = 0;
	size_t		len;
	size_t		o = 0;

	while (skip < 31 && p[skip] == 0)
		skip++;
	len = 32 - skip;
	out[o++] = 0x02;
	out[o++] = (uint8_t) (len + (p[skip] & 0x80 ? 1 : 0));
	if (p[skip] & 0x80)
		out[o++] = 0x00;
	memcpy(out + o, p + skip, len);
	return o + len;
}

/*
 * Read one DER INTEGER of at most 32 significant bytes at der[*pos..n)
 * into out[32], left-padded.  false when malformed or too large.
 */
static bool
der_read_uint32(const uint8_t *der, size_t n, size_t *pos, uint8_t *out)
{
	size_t		i = *pos;
	size_t		len;

	if (i + 2 > n || der[i] != 0x02)
		return false;
	len = der[i + 1];
	i += 2;
	if (len == 0 || len > 33 || i + len > n)
		return false;
	if (len == 33)
	{
		/* only a sign byte may make it 33 long */
		if (der[i] != 0x00)
			return false;
		i++;
		len--;
	}
	memset(out, 0, 32 - len);
	memcpy(out + 32 - len, der + i, len);
	*pos = i + len;
	return true;
}

/* the order n of P-256 and n / 2, big-endian (SEC 2, section 2.4.2) */
static const uint8_t p256_n[32] = {0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};
static const uint8_t p256_half_n[32] = {0x7f, 0xff, 0xff, 0xff, 0x80, 0x00, 0x00, 0x00, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xde, 0x73, 0x7d, 0x56, 0xd3, 0x8b, 0xcf, 0x42, 0x79, 0xdc, 0xe5, 0x61, 0x7e, 0x31, 0x92, 0xa8};

/*
 * s := n - s when s > n / 2, so that every signature shc_issue writes has
 * the low-S form: (r, s) and (r, n - s) are both valid ECDSA signatures of
 * the same message; writing one of them only is harmless, and verifiers
 * keep accepting both (real issuers write both).
 */
static void
low_s(uint8_t *s)
{
	int			i,
				borrow = 0;

	if (memcmp(s, p256_half_n, 32) <= 0)
		return;
	for (i = 31; i >= 0; i--)
	{
		int			d = (int) p256_n[i] - (int) s[i] - borrow;

		borrow = d < 0;
		s[i] = (uint8_t) (d + (borrow ? 256 : 0));
	}
}

shc_status
shc_es256_sign(const shc_ec_key *ckey, const uint8_t *msg, size_t n,
			   uint8_t *sig, shc_error *err)
{
	shc_ec_key *key = (shc_ec_key *) ckey;	/* only its kept contexts change */
	EVP_PKEY_CTX *pc;
	uint8_t		md[32];
	uint8_t		der[80];
	size_t		derlen = sizeof(der);
	size_t		pos = 2;
	shc_status	st = SHC_OK;

	if (!key->has_private)
		return shc_error_set(err, SHC_ERR_KEY, "The key has no private part.");
	if (!key_digest(key, msg, n, md) || (pc = key_op_ctx(key, true)) == NULL)
	{
		st = ossl_fail(err, SHC_ERR_INTERNAL, "ECDSA signing failed.");
		goto done;
	}
	if (EVP_PKEY_sign(pc, der, &derlen, md, sizeof(md)) != 1)
	{
		st = ossl_fail(err, SHC_ERR_INTERNAL, "ECDSA signing failed.");
		goto done;
	}

	/*
	 * SHC-NOTES 3: r and s, 32 bytes each, big-endian, left-padded, from
	 * OpenSSL's SEQUENCE { INTEGER r, INTEGER s } (short-form lengths, as
	 * it is at most 72 bytes).
	 */
	if (derlen < 8 || der[0] != 0x30 || der[1] != derlen - 2 ||
		!der_read_uint32(der, derlen, &pos, sig) ||
		!der_read_uint32(der, derlen, &pos, sig + 32) || pos != derlen)
		st = shc_error_set(err, SHC_ERR_INTERNAL,
						   "OpenSSL returned a malformed signature.");
	else
		low_s(sig + 32);

done:
	shc_memzero(md, sizeof(md));
	ERR_clear_error();
	return st;
}

shc_status
shc_es256_verify_digest(const shc_ec_key *ckey, const uint8_t *md,
						const uint8_t *sig, size_t siglen, shc_error *err)
{
	shc_ec_key *key = (shc_ec_key *) ckey;	/* only its kept contexts change */
	EVP_PKEY_CTX *pc;
	uint8_t		der[2 + 2 * 35];
	size_t		derlen;
	shc_status	st = SHC_OK;

	/* SHC-NOTES 3: exactly 64 raw bytes; DER is rejected */
	if (siglen != SHC_ES256_SIG_LEN)
	{
		if (siglen > 64 && sig[0] == 0x30)
			return shc_error_set(err, SHC_ERR_SIGNATURE,
								 "The signature is %zu bytes and looks like DER; ES256 requires the raw 64-byte r||s form.",
								 siglen);
		return shc_error_set(err, SHC_ERR_SIGNATURE,
							 "The signature is %zu bytes; ES256 requires exactly 64.",
							 siglen);
	}

	/* the DER form OpenSSL verifies: SEQUENCE { INTEGER r, INTEGER s } */
	derlen = 2;
	derlen += der_uint32(sig, der + derlen);
	derlen += der_uint32(sig + 32, der + derlen);
	der[0] = 0x30;
	der[1] = (uint8_t) (derlen - 2);

	if ((pc = key_op_ctx(key, false)) == NULL)
	{
		st = ossl_fail(err, SHC_ERR_NOMEM, "");
		goto done;
	}
	if (EVP_PKEY_verify(pc, der, derlen, md, 32) != 1)
		st = shc_error_set(err, SHC_ERR_SIGNATURE,
						   "The ES256 signature does not match the key.");

done:
	ERR_clear_error();
	return st;
}

shc_status
shc_es256_verify(const shc_ec_key *ckey, const uint8_t *msg, size_t n,
				 const uint8_t *sig, size_t siglen, shc_error *err)
{
	shc_ec_key *key = (shc_ec_key *) ckey;
	uint8_t		md[32];

	if (siglen == SHC_ES256_SIG_LEN && !key_digest(key, msg, n, md))
	{
		shc_status	st = ossl_fail(err, SHC_ERR_NOMEM, "");

		ERR_clear_error();
		return st;
	}
	return shc_es256_verify_digest(ckey, md, sig, siglen, err);
}

void
shc_ec_key_free(shc_ec_key *key)
{
	if (key == NULL)
		return;
	EVP_PKEY_CTX_free(key->verify_ctx);
	EVP_PKEY_CTX_free(key->sign_ctx);
	EVP_MD_CTX_free(key->md_ctx);
	EVP_PKEY_free(key->pkey);
	OPENSSL_clear_free(key, sizeof(*key));
}

shc_status
shc_sha256(const void *msg, size_t n, uint8_t *out, shc_error *err)
{
	unsigned int len = 0;

	if (EVP_Digest(msg, n, out, &len, get_sha256(), NULL) != 1 || len != 32)
		return ossl_fail(err, SHC_ERR_INTERNAL, "SHA-256 failed.");
	return SHC_OK;
}

shc_status
shc_hmac_sha256(const void *key, size_t keylen, const void *msg, size_t n,
				uint8_t *out, shc_error *err)
{
	size_t		len = 0;

	if (EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, keylen,
				  msg, n, out, 32, &len) == NULL || len != 32)
		return ossl_fail(err, SHC_ERR_INTERNAL, "HMAC-SHA-256 failed.");
	return SHC_OK;
}

shc_status
shc_random_bytes(uint8_t *buf, size_t n, shc_error *err)
{
	if (RAND_bytes(buf, (int) n) != 1)
		return ossl_fail(err, SHC_ERR_INTERNAL, "The random generator failed.");
	return SHC_OK;
}
