/*
 * shc_x509.c
 *		Detached signatures against a certificate, and x5c chains of JWKs,
 *		with OpenSSL 3 (X509_STORE, EVP); nothing is shelled out.  Every
 *		OpenSSL object is freed on every path before returning.
 *
 * Map: shc_x509_detached_verify (the VCI snapshot's signature);
 * shc_x5c_result_name; the x5c checks of SHC-NOTES 5 and 6 in two halves,
 * shc_x5c_chain_check (leaf key, subjectAltName URI, path to an anchor,
 * without time; keeps the chain's validity periods) and
 * shc_x5c_window_check (those periods at a time, as OpenSSL checks them),
 * and shc_x5c_check, the two in a row.
 */
#include "shc_x509.h"
#include "shc_b64url.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/* PEM when it looks like PEM, DER otherwise; NULL when neither parses */
static X509 *
cert_parse(const char *c, size_t n)
{
	X509	   *x = NULL;

	if (n > 10 && memmem(c, n, "-----BEGIN", 10) != NULL)
	{
		BIO		   *b = BIO_new_mem_buf(c, (int) n);

		if (b)
		{
			x = PEM_read_bio_X509(b, NULL, NULL, NULL);
			BIO_free(b);
		}
	}
	else
	{
		const unsigned char *p = (const unsigned char *) c;

		x = d2i_X509(NULL, &p, (long) n);
		if (x && p != (const unsigned char *) c + n)
		{
			X509_free(x);
			x = NULL;
		}
	}
	ERR_clear_error();
	return x;
}

/* -1 before the validity period, 1 after, 0 inside */
static int
validity_at(X509 *x, int64_t at)
{
	time_t		t = (time_t) at;

	if (X509_cmp_time(X509_get0_notBefore(x), &t) > 0)
		return -1;
	if (X509_cmp_time(X509_get0_notAfter(x), &t) < 0)
		return 1;
	return 0;
}

shc_status
shc_x509_detached_verify(const uint8_t *data, size_t n, const uint8_t *sig,
						 size_t siglen, const char *cert, size_t certlen,
						 int64_t at, char *alg, shc_error *err)
{
	X509	   *x;
	EVP_PKEY   *pkey = NULL;
	EVP_MD_CTX *mctx = NULL;
	const EVP_MD *md;
	int			mdnid = NID_undef,
				pknid,
				secbits;
	uint32_t	flags;
	shc_status	st;
	int			rc;

	if (alg)
		alg[0] = '\0';
	x = cert_parse(cert, certlen);
	if (x == NULL)
		return shc_error_set(err, SHC_ERR_CERT,
							 "The certificate is neither a PEM nor a DER X.509 certificate.");
	rc = validity_at(x, at);
	if (rc != 0)
	{
		X509_free(x);
		return shc_error_set(err, SHC_ERR_CERT, rc < 0
							 ? "The certificate is not yet valid at the given time."
							 : "The certificate has expired at the given time.");
	}
	if (!X509_get_signature_info(x, &mdnid, &pknid, &secbits, &flags) ||
		mdnid == NID_undef || (md = EVP_get_digestbynid(mdnid)) == NULL)
	{
		X509_free(x);
		ERR_clear_error();
		return shc_error_set(err, SHC_ERR_CERT,
							 "The certificate's signature algorithm names no usable digest.");
	}
	if (alg)
		snprintf(alg, 32, "%s", OBJ_nid2sn(mdnid));
	pkey = X509_get_pubkey(x);
	mctx = EVP_MD_CTX_new();
	if (pkey == NULL || mctx == NULL)
		st = shc_error_set(err, SHC_ERR_CERT, "The certificate's public key cannot be used.");
	else if (EVP_DigestVerifyInit(mctx, NULL, md, NULL, pkey) != 1)
		st = shc_error_set(err, SHC_ERR_CERT,
						   "The certificate's public key cannot verify with %s.", OBJ_nid2sn(mdnid));
	else if (EVP_DigestVerify(mctx, sig, siglen, data, n) == 1)
		st = SHC_OK;
	else
		st = shc_error_set(err, SHC_ERR_SIGNATURE,
						   "The signature does not verify with the certificate's key and %s.",
						   OBJ_nid2sn(mdnid));
	EVP_MD_CTX_free(mctx);
	EVP_PKEY_free(pkey);
	X509_free(x);
	ERR_clear_error();
	return st;
}

/* ---- x5c ---------------------------------------------------------------- */

const char *
shc_x5c_result_name(shc_x5c_result r)
{
	switch (r)
	{
		case SHC_X5C_VALID:
			return "valid";
		case SHC_X5C_MALFORMED:
			return "malformed";
		case SHC_X5C_KEY_MISMATCH:
			return "key_mismatch";
		case SHC_X5C_NO_SAN:
			return "no_san";
		case SHC_X5C_NO_URI:
			return "no_uri_san";
		case SHC_X5C_SAN_MISMATCH:
			return "san_mismatch";
		case SHC_X5C_NO_ANCHOR:
			return "no_anchor";
		case SHC_X5C_CHAIN:
			return "broken_chain";
		case SHC_X5C_EXPIRED:
			return "expired";
		case SHC_X5C_NOT_YET_VALID:
			return "not_yet_valid";
	}
	return "unknown";
}

/* standard base64 (with padding) of DER to an X509, or NULL */
static X509 *
x5c_entry(const char *s, size_t n)
{
	unsigned char *der;
	const unsigned char *p;
	int			len,
				pad = 0;
	X509	   *x = NULL;
	size_t		i;

	if (n == 0 || n % 4 != 0 || n > 64 * 1024)
		return NULL;
	for (i = 0; i < n; i++)
	{
		char		c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			  (c >= '0' && c <= '9') || c == '+' || c == '/' ||
			  (c == '=' && i >= n - 2)))
			return NULL;
	}
	if (s[n - 1] == '=')
		pad++;
	if (s[n - 2] == '=')
		pad++;
	der = OPENSSL_malloc(n / 4 * 3 + 1);
	if (der == NULL)
		return NULL;
	len = EVP_DecodeBlock(der, (const unsigned char *) s, (int) n);
	if (len >= pad)
	{
		len -= pad;
		p = der;
		x = d2i_X509(NULL, &p, len);
		if (x && p != der + len)
		{
			X509_free(x);
			x = NULL;
		}
	}
	OPENSSL_free(der);
	ERR_clear_error();
	return x;
}

/* does the leaf's key equal the JWK's point (P-256)? */
static bool
leaf_key_matches(X509 *leaf, const char *x, size_t xlen, const char *y,
				 size_t ylen)
{
	EVP_PKEY   *pk = X509_get0_pubkey(leaf);
	BIGNUM	   *bx = NULL,
			   *by = NULL;
	uint8_t		jx[48],
				jy[48],
				lx[32],
				ly[32];
	size_t		jxl,
				jyl;
	char		group[64];
	size_t		gl = 0;
	bool		ok = false;
	shc_error	e;

	if (pk == NULL || EVP_PKEY_get_base_id(pk) != EVP_PKEY_EC)
		goto done;
	if (!EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME, group,
										sizeof(group), &gl) ||
		strcmp(group, "prime256v1") != 0)
		goto done;
	if (xlen > 64 || ylen > 64 ||
		shc_b64url_decode_to(x, xlen, jx, &jxl, &e) != SHC_OK ||
		shc_b64url_decode_to(y, ylen, jy, &jyl, &e) != SHC_OK ||
		jxl != 32 || jyl != 32)
		goto done;
	if (!EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_EC_PUB_X, &bx) ||
		!EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_EC_PUB_Y, &by) ||
		BN_bn2binpad(bx, lx, 32) != 32 || BN_bn2binpad(by, ly, 32) != 32)
		goto done;
	ok = memcmp(lx, jx, 32) == 0 && memcmp(ly, jy, 32) == 0;
done:
	BN_free(bx);
	BN_free(by);
	ERR_clear_error();
	return ok;
}

/* the leaf's subjectAltName against iss */
static shc_x5c_result
leaf_san(X509 *leaf, const char *iss, size_t isslen, char *reason,
		 size_t reasonlen)
{
	GENERAL_NAMES *names = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
	shc_x5c_result r = SHC_X5C_NO_URI;
	int			i,
				nuri = 0;
	char		other[128] = "";

	if (names == NULL)
	{
		ERR_clear_error();
		snprintf(reason, reasonlen, "The leaf certificate has no subjectAltName.");
		return SHC_X5C_NO_SAN;
	}
	for (i = 0; i < sk_GENERAL_NAME_num(names); i++)
	{
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);

		if (g->type == GEN_URI)
		{
			const ASN1_IA5STRING *u = g->d.uniformResourceIdentifier;

			nuri++;
			if ((size_t) u->length == isslen && memcmp(u->data, iss, isslen) == 0)
			{
				r = SHC_X5C_VALID;
				break;
			}
			if (!other[0])
				snprintf(other, sizeof(other), "%.*s", u->length > 100 ? 100 : u->length,
						 (const char *) u->data);
		}
		else if (g->type == GEN_DNS && !other[0] && nuri == 0)
			snprintf(other, sizeof(other), "DNS:%.*s",
					 g->d.dNSName->length > 100 ? 100 : g->d.dNSName->length,
					 (const char *) g->d.dNSName->data);
	}
	GENERAL_NAMES_free(names);
	if (r == SHC_X5C_VALID)
		return r;
	if (nuri == 0)
	{
		snprintf(reason, reasonlen,
				 "The leaf certificate's subjectAltName has no URI%s%s%s.",
				 other[0] ? " (it names " : "", other, other[0] ? ")" : "");
		return SHC_X5C_NO_URI;
	}
	snprintf(reason, reasonlen,
			 "The leaf certificate's subjectAltName URI \"%s\" is not the issuer.", other);
	return SHC_X5C_SAN_MISMATCH;
}

/*
 * An ASN1_TIME as seconds since 1970 (days from the civil date, so that no
 * time zone or timegm is involved); false when it does not parse.
 */
static bool
asn1_secs(const ASN1_TIME *t, int64_t *secs)
{
	struct tm	tm;
	int64_t		y,
				m,
				era,
				yoe,
				doy,
				doe;

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
	{
		ERR_clear_error();
		return false;
	}
	y = (int64_t) tm.tm_year + 1900;
	m = tm.tm_mon + 1;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + tm.tm_mday - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*secs = (era * 146097 + doe - 719468) * 86400 +
		tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
	return true;
}

/*
 * The validity periods of the chain OpenSSL built in ctx into w; false
 * (with the OpenSSL error and depth in *e and *depth) when a time field
 * does not parse, which X509_verify_cert would have reported, or when the
 * chain does not fit a window.
 */
static bool
chain_window(X509_STORE_CTX *ctx, int from, shc_x5c_window *w, int *e,
			 int *depth)
{
	STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
	int			n = chain ? sk_X509_num(chain) : 0,
				i;

	w->n = 0;
	w->from = from;
	if (n > SHC_X5C_WINDOW_MAX)	/* the depth limit keeps it shorter */
	{
		*e = X509_V_ERR_CERT_CHAIN_TOO_LONG;
		*depth = n - 1;
		return false;
	}
	for (i = n - 1; i >= 0; i--)
	{
		X509	   *c = sk_X509_value(chain, i);

		if (!asn1_secs(X509_get0_notBefore(c), &w->not_before[i]))
		{
			*e = X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD;
			*depth = i;
			return false;
		}
		if (!asn1_secs(X509_get0_notAfter(c), &w->not_after[i]))
		{
			*e = X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD;
			*depth = i;
			return false;
		}
	}
	w->n = n;
	return true;
}

shc_status
shc_x5c_chain_check(const char *const *certs, const size_t *certlens,
					int ncerts, const char *x, size_t xlen,
					const char *y, size_t ylen, const char *iss,
					size_t isslen, const uint8_t *const *anchors,
					const size_t *anchorlens, int nanchors,
					shc_x5c_result *result, shc_x5c_window *window,
					char *reason, size_t reasonlen, shc_error *err)
{
	X509	   *chain[SHC_X5C_MAX_CERTS];
	X509_STORE *store = NULL;
	X509_STORE_CTX *ctx = NULL;
	STACK_OF(X509) *untrusted = NULL;
	shc_status	st = SHC_OK;
	int			i,
				nparsed = 0;

	reason[0] = '\0';
	window->n = 0;
	window->from = 0;
	*result = SHC_X5C_MALFORMED;
	if (ncerts < 1 || ncerts > SHC_X5C_MAX_CERTS)
	{
		snprintf(reason, reasonlen, "The x5c array has %d certificates; 1 to %d are accepted.",
				 ncerts, SHC_X5C_MAX_CERTS);
		return SHC_OK;
	}
	for (i = 0; i < ncerts; i++)
	{
		chain[i] = x5c_entry(certs[i], certlens[i]);
		if (chain[i] == NULL)
		{
			snprintf(reason, reasonlen,
					 "Entry %d of x5c is not a base64 DER X.509 certificate.", i + 1);
			goto done;
		}
		nparsed++;
	}
	if (!leaf_key_matches(chain[0], x, xlen, y, ylen))
	{
		*result = SHC_X5C_KEY_MISMATCH;
		snprintf(reason, reasonlen,
				 "The leaf certificate's public key is not the key's P-256 point.");
		goto done;
	}
	*result = leaf_san(chain[0], iss, isslen, reason, reasonlen);
	if (*result != SHC_X5C_VALID)
		goto done;
	if (nanchors == 0)
	{
		*result = SHC_X5C_NO_ANCHOR;
		snprintf(reason, reasonlen,
				 "No trust anchor is loaded; the chain cannot be checked.");
		goto done;
	}

	store = X509_STORE_new();
	ctx = X509_STORE_CTX_new();
	untrusted = sk_X509_new_null();
	if (store == NULL || ctx == NULL || untrusted == NULL)
	{
		st = shc_error_set(err, SHC_ERR_NOMEM, NULL);
		goto done;
	}
	for (i = 0; i < nanchors; i++)
	{
		const unsigned char *p = anchors[i];
		X509	   *a = d2i_X509(NULL, &p, (long) anchorlens[i]);

		if (a == NULL)
			continue;			/* the table's CHECK keeps these out */
		X509_STORE_add_cert(store, a);
		X509_free(a);
	}
	for (i = 1; i < ncerts; i++)
		sk_X509_push(untrusted, chain[i]);
	if (!X509_STORE_CTX_init(ctx, store, chain[0], untrusted))
	{
		st = shc_error_set(err, SHC_ERR_INTERNAL, "The certificate store could not be set up.");
		goto done;
	}
	/* time is applied by shc_x5c_window_check; the chain fits a window */
	X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx), X509_V_FLAG_NO_CHECK_TIME);
	X509_STORE_CTX_set_depth(ctx, SHC_X5C_MAX_CERTS);
	if (X509_verify_cert(ctx) == 1)
	{
		int			e,
					depth;

		*result = SHC_X5C_VALID;
		if (!chain_window(ctx, 0, window, &e, &depth))
		{
			*result = SHC_X5C_CHAIN;
			snprintf(reason, reasonlen, "Certificate %d of the chain: %s.", depth + 1,
					 X509_verify_cert_error_string(e));
		}
	}
	else
	{
		int			e = X509_STORE_CTX_get_error(ctx);
		int			depth = X509_STORE_CTX_get_error_depth(ctx);

		*result = SHC_X5C_CHAIN;
		snprintf(reason, reasonlen, "Certificate %d of the chain: %s.", depth + 1,
				 X509_verify_cert_error_string(e));

		/*
		 * OpenSSL checks signatures from the anchor down, each certificate's
		 * time right after its signature: the certificates above a bad
		 * signature have had their time checked before it.
		 */
		if (e == X509_V_ERR_CERT_SIGNATURE_FAILURE ||
			e == X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY)
		{
			int			e2,
						d2;

			if (!chain_window(ctx, depth + 1, window, &e2, &d2))
				window->n = 0;
		}
	}
done:
	if (untrusted)
		sk_X509_free(untrusted);
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	for (i = 0; i < nparsed; i++)
		X509_free(chain[i]);
	ERR_clear_error();
	return st;
}

shc_x5c_result
shc_x5c_window_check(const shc_x5c_window *window, int64_t at, char *reason,
					 size_t reasonlen)
{
	int			i;

	reason[0] = '\0';
	/* x509_vfy.c, check_cert_time: notBefore, then notAfter, per certificate */
	for (i = window->n - 1; i >= window->from && i >= 0; i--)
	{
		if (at < window->not_before[i])
		{
			snprintf(reason, reasonlen, "Certificate %d of the chain: %s.", i + 1,
					 X509_verify_cert_error_string(X509_V_ERR_CERT_NOT_YET_VALID));
			return SHC_X5C_NOT_YET_VALID;
		}
		if (at >= window->not_after[i])
		{
			snprintf(reason, reasonlen, "Certificate %d of the chain: %s.", i + 1,
					 X509_verify_cert_error_string(X509_V_ERR_CERT_HAS_EXPIRED));
			return SHC_X5C_EXPIRED;
		}
	}
	return SHC_X5C_VALID;
}

shc_status
shc_x5c_check(const char *const *certs, const size_t *certlens, int ncerts,
			  const char *x, size_t xlen, const char *y, size_t ylen,
			  const char *iss, size_t isslen,
			  const uint8_t *const *anchors, const size_t *anchorlens,
			  int nanchors, int64_t at, shc_x5c_result *result, char *reason,
			  size_t reasonlen, shc_error *err)
{
	shc_x5c_window w;
	shc_x5c_result timed;
	char		why[128];
	shc_status	st;

	st = shc_x5c_chain_check(certs, certlens, ncerts, x, xlen, y, ylen,
							 iss, isslen, anchors, anchorlens, nanchors,
							 result, &w, reason, reasonlen, err);
	if (st != SHC_OK || w.n == 0)
		return st;
	timed = shc_x5c_window_check(&w, at, why, sizeof(why));
	if (timed != SHC_X5C_VALID)
	{
		*result = timed;
		snprintf(reason, reasonlen, "%s", why);
	}
	return SHC_OK;
}
