/*
 * shc_x509.h
 *		X.509 in process with OpenSSL: a detached signature checked against
 *		a certificate (the VCI directory snapshot), and the x5c chain of a
 *		JWK checked against trust anchors (SHC-NOTES 5: leaf key equals the
 *		JWK, leaf subjectAltName URI equals the issuer, chain to an anchor,
 *		every certificate valid at the verification time).
 */
#ifndef SHC_X509_H
#define SHC_X509_H

#include "shc_core.h"

/* at most this many certificates in one x5c chain */
#define SHC_X5C_MAX_CERTS 10

/*
 * Check sig (DER ECDSA or raw RSA signature bytes) over data[0..n) with the
 * public key of cert (PEM or DER), the digest taken from the certificate's
 * own signature algorithm (ecdsa-with-SHA512 gives SHA-512).  alg (at
 * least 32 bytes, may be NULL) receives the digest's name.
 * SHC_OK when it verifies; SHC_ERR_SIGNATURE when it does not;
 * SHC_ERR_CERT when the certificate cannot be read or used, or is not
 * valid at the time at (seconds since 1970).
 */
shc_status	shc_x509_detached_verify(const uint8_t *data, size_t n,
									 const uint8_t *sig, size_t siglen,
									 const char *cert, size_t certlen,
									 int64_t at, char *alg,
									 shc_error *err);

typedef enum shc_x5c_result
{
	SHC_X5C_VALID = 0,
	SHC_X5C_MALFORMED,			/* an entry is not base64 DER X.509 */
	SHC_X5C_KEY_MISMATCH,		/* leaf public key is not the JWK's */
	SHC_X5C_NO_SAN,				/* leaf has no subjectAltName */
	SHC_X5C_NO_URI,				/* subjectAltName has no URI (DNS only) */
	SHC_X5C_SAN_MISMATCH,		/* no URI equals the issuer */
	SHC_X5C_NO_ANCHOR,			/* no trust anchor was loaded */
	SHC_X5C_CHAIN,				/* the chain does not verify to an anchor */
	SHC_X5C_EXPIRED,			/* a certificate expired before at */
	SHC_X5C_NOT_YET_VALID		/* a certificate is not valid until after at */
} shc_x5c_result;

/* a short stable name ("key_mismatch") of a result */
const char *shc_x5c_result_name(shc_x5c_result r);

/*
 * Check an x5c chain: certs[i] is the i-th x5c string (standard base64 of
 * DER, leaf first), x and y the JWK's base64url coordinates, iss the
 * issuer URL, anchors[i] DER root certificates.  reason (reasonlen bytes)
 * receives a sentence saying why when the result is not SHC_X5C_VALID.
 * Returns SHC_ERR_NOMEM / SHC_ERR_INTERNAL only for failures of the
 * machinery; *result holds the verdict when SHC_OK.
 */
shc_status	shc_x5c_check(const char *const *certs, const size_t *certlens,
						  int ncerts,
						  const char *x, size_t xlen, const char *y, size_t ylen,
						  const char *iss, size_t isslen,
						  const uint8_t *const *anchors, const size_t *anchorlens,
						  int nanchors, int64_t at,
						  shc_x5c_result *result, char *reason,
						  size_t reasonlen, shc_error *err);

#endif
