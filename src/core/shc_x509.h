/*
 * shc_x509.h
 *		X.509 in process with OpenSSL: a detached signature checked against
 *		a certificate (the VCI directory snapshot), and the x5c chain of a
 *		JWK checked against trust anchors (SHC-NOTES 5 and 6: leaf key
 *		equals the JWK, leaf subjectAltName URI equals the issuer, chain to
 *		an anchor, every certificate valid at the verification time).  The
 *		chain check and the time check are separate calls, so the verifier
 *		checks a chain once and applies each verification's time to it.
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
 * The validity periods of the certificates of a chain, as seconds since
 * 1970: index i is depth i (0 the leaf, n - 1 the trust anchor).  Times of
 * depths below "from" are not looked at (see shc_x5c_chain_check).
 */
#define SHC_X5C_WINDOW_MAX (SHC_X5C_MAX_CERTS + 2)

typedef struct shc_x5c_window
{
	int			n;				/* certificates of the chain; 0: none */
	int			from;			/* the lowest depth whose times count */
	int64_t		not_before[SHC_X5C_WINDOW_MAX];
	int64_t		not_after[SHC_X5C_WINDOW_MAX];
} shc_x5c_window;

/*
 * Check an x5c chain except for time: certs[i] is the i-th x5c string
 * (standard base64 of DER, leaf first), x and y the JWK's base64url
 * coordinates, iss the issuer URL, anchors[i] DER root certificates.  The
 * leaf's key and subjectAltName are checked, then the path to an anchor
 * (RFC 5280, OpenSSL's X509_verify_cert with X509_V_FLAG_NO_CHECK_TIME, at
 * most SHC_X5C_MAX_CERTS intermediates).  The verdict does not depend on
 * the time, so it can be kept and the time applied later with
 * shc_x5c_window_check.
 *
 * *window receives the validity periods of every certificate of the
 * verified chain, anchor included (from = 0) when the verdict is
 * SHC_X5C_VALID.  When the chain fails on a signature, which OpenSSL finds
 * walking down from the anchor and checking each certificate's time on the
 * way, it holds the chain with "from" just above the failing certificate,
 * so that a time check finds what OpenSSL would have reported first;
 * otherwise n = 0.  reason (reasonlen bytes) receives a sentence saying why
 * when the verdict is not SHC_X5C_VALID.  Returns SHC_ERR_NOMEM /
 * SHC_ERR_INTERNAL only for failures of the machinery; *result holds the
 * verdict (never SHC_X5C_EXPIRED or SHC_X5C_NOT_YET_VALID) when SHC_OK.
 */
shc_status	shc_x5c_chain_check(const char *const *certs, const size_t *certlens,
								int ncerts,
								const char *x, size_t xlen,
								const char *y, size_t ylen,
								const char *iss, size_t isslen,
								const uint8_t *const *anchors,
								const size_t *anchorlens, int nanchors,
								shc_x5c_result *result, shc_x5c_window *window,
								char *reason, size_t reasonlen,
								shc_error *err);

/*
 * The time check of OpenSSL's chain verification, on a window: from the
 * anchor (depth n - 1) down to depth "from", the first certificate with at
 * before its notBefore is SHC_X5C_NOT_YET_VALID, the first with at at or
 * after its notAfter SHC_X5C_EXPIRED (X509_cmp_time), with OpenSSL's
 * sentence: "Certificate <depth + 1> of the chain: certificate has
 * expired."  SHC_X5C_VALID (reason empty) when every certificate is valid
 * at at (seconds since 1970).
 */
shc_x5c_result shc_x5c_window_check(const shc_x5c_window *window, int64_t at,
									char *reason, size_t reasonlen);

/*
 * The whole check at the time at: shc_x5c_chain_check, then
 * shc_x5c_window_check on its window.  The same verdicts and sentences as
 * X509_verify_cert with the time set to at, for a chain with one path to
 * its anchor.  Arguments and statuses as for shc_x5c_chain_check.
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
