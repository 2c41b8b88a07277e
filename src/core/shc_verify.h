/*
 * shc_verify.h
 *		The Postgres-free rules of card verification that need no JSON
 *		library: the outcome names, the time rules
 *		(nbf, exp, clock skew, milliseconds), the rid syntax and the CRL
 *		timestamp rule (SHC-NOTES sections 3, 4, 10, 12).
 */
#ifndef SHC_VERIFY_H
#define SHC_VERIFY_H

#include "shc_core.h"
#include "shc_jws.h"
#include "shc_rules.h"

/* The outcome of verifying one card; names are the SQL status values. */
typedef enum shc_outcome
{
	SHC_V_VALID = 0,
	SHC_V_MALFORMED,
	SHC_V_BAD_SIGNATURE,
	SHC_V_UNKNOWN_ISSUER,
	SHC_V_UNKNOWN_KEY,
	SHC_V_EXPIRED,
	SHC_V_NOT_YET_VALID,
	SHC_V_REVOKED,
	SHC_V_NO_CRL,				/* the key needs a CRL the trust store lacks */
	SHC_V_BAD_X5C,				/* the key fails the x5c policy (SHC-NOTES 6) */
	SHC_V_COUNT
} shc_outcome;

/* "valid", "malformed", "bad_signature", ... */
const char *shc_outcome_name(shc_outcome o);

/*
 * Decode the signature segment and verify it over the exact received
 * signing input (header "." payload) with key.  A segment that is not
 * base64url or not 64 bytes gives SHC_ERR_JWS_FORMAT (a shape problem,
 * checked before any key is used: pass key = NULL to check the shape
 * only); a signature that does not verify gives SHC_ERR_SIGNATURE.
 */
shc_status	shc_jws_verify_signature(const char *jws, const shc_jws_parts *p,
									 const shc_ec_key *key, shc_error *err);

/*
 * The shape half of shc_jws_verify_signature: decode the signature segment
 * into sig[SHC_ES256_SIG_LEN] (when not NULL), SHC_ERR_JWS_FORMAT with the
 * same sentences when it is not 64 bytes of base64url.
 */
shc_status	shc_jws_signature_decode(const shc_jws_parts *p, uint8_t *sig,
									 shc_error *err);

/*
 * The time rules of SHC-NOTES 12 step 10, all values in seconds since the
 * Unix epoch:
 *   - nbf must be finite, >= 0 and below SHC_NUMERICDATE_MS_THRESHOLD
 *     (else SHC_V_MALFORMED: plainly milliseconds);
 *   - exp, when has_exp, likewise, and after nbf (else SHC_V_MALFORMED);
 *   - nbf > at + skew: SHC_V_NOT_YET_VALID;
 *   - exp <= at: SHC_V_EXPIRED (RFC 7519 4.1.4: "at or after" expires).
 * Returns SHC_V_VALID when none applies; reason receives a sentence.
 */
shc_outcome shc_check_times(double nbf, bool has_exp, double exp, double at,
							int skew, char *reason, size_t reasonlen);

/* rid syntax: 1..24 characters of the base64url alphabet (SHC-NOTES 10). */
bool		shc_rid_ok(const char *rid, size_t n);

/*
 * Parse one CRL "rids" entry: "<rid>" or "<rid>.<NumericDate>".  Sets
 * *ridlen to the length of the rid part, *has_ts and *ts.  The rid must
 * pass shc_rid_ok; the timestamp must be a plain non-negative decimal
 * number (digits, optionally one '.' and more digits) below
 * SHC_NUMERICDATE_MS_THRESHOLD.  SHC_ERR_JSON (with a sentence) otherwise.
 */
shc_status	shc_crl_entry_parse(const char *entry, size_t n, size_t *ridlen,
								bool *has_ts, double *ts, shc_error *err);

/*
 * The CRL rule of SHC-NOTES 10: an entry without a timestamp revokes every
 * card with its rid; an entry with one revokes the cards whose nbf is
 * strictly before it ([impl] nbf equal to the timestamp is not revoked).
 */
bool		shc_crl_revokes(bool has_ts, double ts, double nbf);

#endif
