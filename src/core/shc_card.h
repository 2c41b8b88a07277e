/*
 * shc_card.h
 *		The JWS header and JWT payload of a SMART Health Card as an issuer
 *		writes them (SHC-NOTES sections 2, 4 and 13), and the checks on the
 *		claims an issuer supplies (iss, vc.rid).
 *
 * The payload is written in the spec examples' key order:
 *   {"iss":..,"nbf":..,"vc":{"type":[..],"credentialSubject":
 *    {"fhirVersion":"4.0.1","fhirBundle":<bundle>},"rid":..},"exp":..}
 * The caller writes the bundle itself between shc_card_payload_head() and
 * shc_card_payload_tail(), so the core never needs to know its source.
 */
#ifndef SHC_CARD_H
#define SHC_CARD_H

#include "shc_core.h"
#include "shc_rules.h"

#define SHC_FHIR_VERSION "4.0.1"

/*
 * iss must be an https URL with a host, no trailing "/" (keys live at
 * iss + "/.well-known/jwks.json"), no query or fragment, and only
 * printable ASCII.  SHC_ERR_ISSUER otherwise, the detail saying which rule.
 */
shc_status	shc_card_check_iss(const char *iss, size_t n, shc_error *err);

/* rid: 1..24 characters of the base64url alphabet; SHC_ERR_RID otherwise. */
shc_status	shc_card_check_rid(const char *rid, size_t n, shc_error *err);

/* kid: SHC_KID_LEN characters of the base64url alphabet (a thumbprint). */
bool		shc_card_kid_ok(const char *kid, size_t n);

/* {"zip":"DEF","alg":"ES256","kid":"<kid>"}, exactly (SHC-NOTES 2). */
void		shc_card_header(shc_buf *out, const char *kid, size_t kidlen);

/*
 * The payload up to and including "fhirBundle":; iss is written as given
 * (check it first), nbf as integer seconds.
 */
void		shc_card_payload_head(shc_buf *out, const char *iss, size_t isslen,
								  int64_t nbf);

/*
 * Close the payload after the bundle: credentialSubject, then "rid" when
 * rid is not NULL, vc, then "exp" when has_exp.
 */
void		shc_card_payload_tail(shc_buf *out, const char *rid, size_t ridlen,
								  bool has_exp, int64_t exp);

#endif
