/*
 * test_es256.c: ES256 sign/verify in the raw r||s form, JWK import and its
 * rejections, RFC 7638 thumbprints, HMAC, and (when the shared vectors are
 * present) the spec's keys and example signatures and every Wycheproof
 * ECDSA P-256 / SHA-256 P1363 vector.
 */
#include "unit.h"
#include "shc_b64url.h"
#include "shc_es256.h"

/* the spec's public key K0 and its kid (SHC-NOTES section 5) */
#define K0_X "11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw"
#define K0_Y "eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8"
#define K0_KID "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s"

/* P-256 group order n, base64url: a private scalar equal to it is invalid */
#define P256_N_B64 "_____wAAAAD__________7zm-q2nF56E87nKwvxjJVE"

/*
 * Copy the string value that follows "key" at or after *pos in a JSON
 * text into out (a test helper, not a JSON parser).  Advances *pos.
 */
static int
json_str_after(const char *text, const char **pos, const char *key, char *out,
			   size_t outsz)
{
	char		pat[64];
	const char *p,
			   *q;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	p = strstr(*pos, pat);
	if (!p)
		return 0;
	p = strchr(p + strlen(pat), '"');
	if (!p)
		return 0;
	q = strchr(p + 1, '"');
	if (!q || (size_t) (q - p - 1) >= outsz)
		return 0;
	memcpy(out, p + 1, q - p - 1);
	out[q - p - 1] = '\0';
	*pos = q + 1;
	(void) text;
	return 1;
}

static shc_ec_key *
import(const char *x, const char *y, const char *d, shc_status want,
	   const char *needle, const char *name)
{
	shc_ec_key *k = NULL;
	shc_error	e;
	shc_status	st;

	memset(&e, 0, sizeof(e));
	st = shc_es256_key_from_jwk(x, strlen(x), y, strlen(y), d, d ? strlen(d) : 0,
								&k, &e);
	CHECK(st == want && (needle == NULL || strstr(e.detail, needle) != NULL) &&
		  (d == NULL || strstr(e.detail, d) == NULL),
		  "import %s (%s)", name, st == SHC_OK ? "ok" : e.detail);
	if (st != SHC_OK)
	{
		shc_ec_key_free(k);
		return NULL;
	}
	return k;
}

static void
hex2bin(const char *hex, uint8_t *out, size_t *n)
{
	size_t		i,
				len = strlen(hex) / 2;

	for (i = 0; i < len; i++)
		sscanf(hex + 2 * i, "%2hhx", &out[i]);
	*n = len;
}

static void
wycheproof(void)
{
	char	   *path = unit_vector_path("wycheproof/ecdsa_secp256r1_sha256_p1363_test.json");
	char	   *text;
	const char *pos;
	int			valid_ok = 0,
				valid_n = 0,
				invalid_ok = 0,
				invalid_n = 0,
				keys = 0,
				keys_bad = 0;
	char		keyhex[200],
				msghex[4096],
				sighex[1024],
				result[32];
	shc_ec_key *key = NULL;

	if (!path)
	{
		unit_skip_n(3, "Wycheproof vectors not present");
		return;
	}
	text = unit_read_file(path, NULL);
	pos = text;
	for (;;)
	{
		const char *nk = strstr(pos, "\"uncompressed\"");
		const char *nt = strstr(pos, "\"tcId\"");

		if (nk && (!nt || nk < nt))
		{
			uint8_t		raw[100];
			size_t		n;
			char		x[64],
						y[64];
			shc_error	e;

			json_str_after(text, &pos, "uncompressed", keyhex, sizeof(keyhex));
			hex2bin(keyhex, raw, &n);
			shc_ec_key_free(key);
			key = NULL;
			keys++;
			if (n != 65 || raw[0] != 4)
			{
				keys_bad++;
				continue;
			}
			shc_b64url_encode_to(raw + 1, 32, x);
			shc_b64url_encode_to(raw + 33, 32, y);
			if (shc_es256_key_from_jwk(x, 43, y, 43, NULL, 0, &key, &e) != SHC_OK)
				keys_bad++;
			continue;
		}
		if (!nt)
			break;
		pos = nt + 6;
		if (!json_str_after(text, &pos, "msg", msghex, sizeof(msghex)) ||
			!json_str_after(text, &pos, "sig", sighex, sizeof(sighex)) ||
			!json_str_after(text, &pos, "result", result, sizeof(result)))
			break;
		{
			uint8_t		msg[2048],
						sig[512];
			size_t		mlen,
						slen;
			shc_error	e;
			shc_status	st;

			hex2bin(msghex, msg, &mlen);
			hex2bin(sighex, sig, &slen);
			st = key ? shc_es256_verify(key, msg, mlen, sig, slen, &e) : SHC_ERR_KEY;
			if (strcmp(result, "valid") == 0)
			{
				valid_n++;
				valid_ok += (st == SHC_OK);
			}
			else if (strcmp(result, "invalid") == 0)
			{
				invalid_n++;
				invalid_ok += (st != SHC_OK);
			}
		}
	}
	shc_ec_key_free(key);
	CHECK(keys > 0 && keys_bad == 0, "Wycheproof: %d public keys imported", keys);
	CHECK(valid_n > 0 && valid_ok == valid_n,
		  "Wycheproof: %d of %d valid signatures accepted", valid_ok, valid_n);
	CHECK(invalid_n > 0 && invalid_ok == invalid_n,
		  "Wycheproof: %d of %d invalid signatures rejected", invalid_ok, invalid_n);
	free(text);
	free(path);
}

static void
spec_keys(void)
{
	char	   *path = unit_vector_path("keys/issuer.jwks.private.json");
	char	   *text;
	const char *pos;
	char		kid[64],
				x[64],
				y[64],
				d[64];
	int			i;

	if (!path)
	{
		unit_skip_n(12, "spec keys not present");
		return;
	}
	text = unit_read_file(path, NULL);
	pos = text;
	for (i = 0; i < 3; i++)
	{
		shc_ec_key *k;
		char		tp[SHC_KID_LEN + 1],
					ex[64],
					ey[64],
					ed[64];
		uint8_t		sig[64];
		shc_error	e;

		if (!json_str_after(text, &pos, "kid", kid, sizeof(kid)) ||
			!json_str_after(text, &pos, "x", x, sizeof(x)) ||
			!json_str_after(text, &pos, "y", y, sizeof(y)) ||
			!json_str_after(text, &pos, "d", d, sizeof(d)))
			break;
		shc_jwk_thumbprint(x, strlen(x), y, strlen(y), tp, &e);
		CHECK(strcmp(tp, kid) == 0, "spec key %d: kid %s is its RFC 7638 thumbprint", i, kid);
		k = import(x, y, d, SHC_OK, NULL, "a spec private key");
		shc_es256_export(k, ex, ey, ed, &e);
		CHECK(k && strcmp(ex, x) == 0 && strcmp(ey, y) == 0 && strcmp(ed, d) == 0,
			  "spec key %d: export gives back x, y and d", i);
		CHECK(k && shc_es256_sign(k, (const uint8_t *) "hello", 5, sig, &e) == SHC_OK &&
			  shc_es256_verify(k, (const uint8_t *) "hello", 5, sig, 64, &e) == SHC_OK,
			  "spec key %d: sign and verify", i);
		shc_memzero(d, sizeof(d));
		shc_memzero(ed, sizeof(ed));
		shc_ec_key_free(k);
	}
	free(text);
	free(path);
}

static void
spec_signatures(const char *set, const char *ex, const char *x, const char *y)
{
	char		rel[128];
	char	   *path,
			   *jws,
			   *dot;
	shc_ec_key *k = NULL;
	uint8_t		sig[100];
	size_t		slen;
	shc_error	e;
	size_t		signed_len;

	snprintf(rel, sizeof(rel), "%s/example-%s-d-jws.txt", set, ex);
	path = unit_vector_path(rel);
	if (!path)
	{
		unit_skip_n(2, "spec examples not present");
		return;
	}
	jws = unit_read_file(path, NULL);
	dot = strrchr(jws, '.');
	signed_len = dot - jws;
	shc_b64url_decode_to(dot + 1, strlen(dot + 1), sig, &slen, &e);
	shc_es256_key_from_jwk(x, strlen(x), y, strlen(y), NULL, 0, &k, &e);
	CHECK(k && shc_es256_verify(k, (uint8_t *) jws, signed_len, sig, slen, &e) == SHC_OK,
		  "%s example-%s: the spec's signature verifies", set, ex);
	jws[10] ^= 1;
	CHECK(k && shc_es256_verify(k, (uint8_t *) jws, signed_len, sig, slen, &e) == SHC_ERR_SIGNATURE,
		  "%s example-%s: one flipped bit fails", set, ex);
	shc_ec_key_free(k);
	free(jws);
	free(path);
}

/*
 * The r||s <-> DER conversion written in shc_es256.c: signatures whose r or
 * s has the top bit set (DER needs a 0x00 prefix) or a leading zero byte
 * (DER drops it) sign and verify; the key's kept contexts keep working
 * after a failed verification and alternate between sign and verify.
 */
static void
der_shapes(void)
{
	shc_ec_key *k;
	shc_error	e;
	uint8_t		msg[8];
	uint8_t		sig[64];
	int			seen_high = 0,
				seen_zero = 0,
				bad = 0,
				i;

	CHECK(shc_es256_generate(&k, &e) == SHC_OK, "generate a key for DER shapes");
	for (i = 0; i < 4000 && !(seen_high && seen_zero >= 1 && i >= 200); i++)
	{
		memcpy(msg, &i, sizeof(i));
		memset(msg + sizeof(i), 0, sizeof(msg) - sizeof(i));
		if (shc_es256_sign(k, msg, sizeof(msg), sig, &e) != SHC_OK ||
			shc_es256_verify(k, msg, sizeof(msg), sig, 64, &e) != SHC_OK)
			bad++;
		if ((sig[0] & 0x80) || (sig[32] & 0x80))
			seen_high = 1;
		if (sig[0] == 0 || sig[32] == 0)
			seen_zero++;
		/* a failed verification leaves the key usable */
		sig[63] ^= 1;
		if (shc_es256_verify(k, msg, sizeof(msg), sig, 64, &e) != SHC_ERR_SIGNATURE)
			bad++;
	}
	CHECK(bad == 0 && seen_high && seen_zero,
		  "%d signatures, incl. r/s with the top bit set and with a leading zero byte, sign and verify (%d bad)",
		  i, bad);
	memset(sig, 0, sizeof(sig));
	CHECK_STATUS(shc_es256_verify(k, msg, sizeof(msg), sig, 64, &e),
				 SHC_ERR_SIGNATURE, "r = s = 0 is refused");
	memset(sig, 0xff, sizeof(sig));
	CHECK_STATUS(shc_es256_verify(k, msg, sizeof(msg), sig, 64, &e),
				 SHC_ERR_SIGNATURE, "r, s above the group order are refused");
	shc_ec_key_free(k);
}

void
test_es256(void)
{
	shc_ec_key *k,
			   *k2;
	shc_error	e;
	char		kid[SHC_KID_LEN + 1],
				x[64],
				y[64],
				d[64],
				bad[64];
	uint8_t		sig[64],
				der[72],
				digest[32];
	const uint8_t msg[] = "header.payload";

	/* thumbprint known answer (SHC-NOTES 5) */
	CHECK(shc_jwk_thumbprint(K0_X, 43, K0_Y, 43, kid, &e) == SHC_OK &&
		  strcmp(kid, K0_KID) == 0, "RFC 7638 thumbprint of the spec key");

	/* SHA-256 and HMAC-SHA-256 known answers (FIPS 180-2, RFC 4231 case 2) */
	shc_sha256("abc", 3, digest, &e);
	CHECK(digest[0] == 0xba && digest[1] == 0x78 && digest[31] == 0xad, "SHA-256(\"abc\")");
	shc_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, digest, &e);
	CHECK(digest[0] == 0x5b && digest[1] == 0xdc && digest[31] == 0x43,
		  "HMAC-SHA-256 RFC 4231 test case 2");

	/* generate, export, re-import, sign, verify */
	CHECK(shc_es256_generate(&k, &e) == SHC_OK && shc_es256_has_private(k), "generate a key");
	CHECK(shc_es256_export(k, x, y, d, &e) == SHC_OK && strlen(x) == 43 &&
		  strlen(y) == 43 && strlen(d) == 43, "export x, y, d as 43 characters");
	CHECK(shc_es256_sign(k, msg, sizeof(msg) - 1, sig, &e) == SHC_OK, "sign");
	CHECK(shc_es256_verify(k, msg, sizeof(msg) - 1, sig, 64, &e) == SHC_OK, "verify");
	k2 = import(x, y, NULL, SHC_OK, NULL, "its public part");
	CHECK(k2 && !shc_es256_has_private(k2) &&
		  shc_es256_verify(k2, msg, sizeof(msg) - 1, sig, 64, &e) == SHC_OK,
		  "the public key alone verifies");
	CHECK(k2 && shc_es256_sign(k2, msg, 3, sig, &e) == SHC_ERR_KEY, "a public key cannot sign");
	shc_es256_sign(k, msg, sizeof(msg) - 1, sig, &e);
	sig[5] ^= 0x10;
	CHECK(shc_es256_verify(k2, msg, sizeof(msg) - 1, sig, 64, &e) == SHC_ERR_SIGNATURE,
		  "a flipped signature bit fails");
	sig[5] ^= 0x10;
	CHECK(shc_es256_verify(k2, msg, sizeof(msg) - 2, sig, 64, &e) == SHC_ERR_SIGNATURE,
		  "a shorter message fails");
	CHECK(shc_es256_verify(k2, msg, sizeof(msg) - 1, sig, 63, &e) == SHC_ERR_SIGNATURE &&
		  strstr(e.detail, "exactly 64"), "a 63-byte signature is rejected");
	memset(der, 0, sizeof(der));
	der[0] = 0x30;
	der[1] = 0x44;
	CHECK(shc_es256_verify(k2, msg, sizeof(msg) - 1, der, 70, &e) == SHC_ERR_SIGNATURE &&
		  strstr(e.detail, "DER"), "a DER signature is rejected as DER");
	memset(sig, 0, 64);
	CHECK(shc_es256_verify(k2, msg, sizeof(msg) - 1, sig, 64, &e) == SHC_ERR_SIGNATURE,
		  "r = s = 0 is rejected");
	shc_ec_key_free(k2);

	k2 = import(x, y, d, SHC_OK, NULL, "the private JWK");
	shc_ec_key_free(k2);

	/* import rejections */
	import("AAAA", y, NULL, SHC_ERR_KEY, "43 base64url", "a short x");
	memcpy(bad, x, 44);
	bad[3] = '+';
	import(bad, y, NULL, SHC_ERR_KEY, "not valid base64url", "x with a '+'");
	memcpy(bad, y, 44);
	bad[10] = bad[10] == 'A' ? 'B' : 'A';
	import(x, bad, NULL, SHC_ERR_KEY, "P-256", "a point off the curve");
	import("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		   "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, SHC_ERR_KEY, "P-256",
		   "the point (0, 0)");
	import(x, y, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", SHC_ERR_KEY, NULL,
		   "d = 0");
	import(x, y, P256_N_B64, SHC_ERR_KEY, NULL, "d = n");
	{
		shc_ec_key *other;
		char		ox[64],
					oy[64],
					od[64];

		shc_es256_generate(&other, &e);
		shc_es256_export(other, ox, oy, od, &e);
		import(x, y, od, SHC_ERR_KEY, "does not match", "another key's d");
		shc_memzero(od, sizeof(od));
		shc_ec_key_free(other);
	}
	import(x, y, "short", SHC_ERR_KEY, "\"d\"", "a short d");
	shc_memzero(d, sizeof(d));
	shc_ec_key_free(k);

	der_shapes();
	spec_keys();
	spec_signatures("examples", "00", K0_X, K0_Y);
	spec_signatures("examples", "03", K0_X, K0_Y);
	spec_signatures("examples-hl7-stu1", "00", K0_X, K0_Y);
	wycheproof();
}
