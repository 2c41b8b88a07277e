/*
 * shc_jws.h
 *		Compact JWS serialization (RFC 7515 section 7.1) as SMART Health
 *		Cards use it: splitting a received card into its three segments, and
 *		assembling and signing a new one (SHC-NOTES sections 1-4).
 */
#ifndef SHC_JWS_H
#define SHC_JWS_H

#include "shc_core.h"
#include "shc_es256.h"

/* The three segments of a compact JWS; pointers into the caller's text. */
typedef struct shc_jws_parts
{
	const char *header;			/* base64url of the protected header */
	size_t		header_len;
	const char *payload;		/* base64url of the (compressed) payload */
	size_t		payload_len;
	const char *signature;		/* base64url of the signature */
	size_t		signature_len;
	size_t		signing_input_len;	/* header "." payload, from jws[0] */
} shc_jws_parts;

/*
 * Split jws[0..n) into three non-empty segments separated by exactly two
 * dots, every character in the base64url alphabet (no padding, no white
 * space).  SHC_ERR_JWS_FORMAT otherwise; SHC_ERR_LIMIT when n > max_len
 * (0 = no limit).  Decodes nothing.
 */
shc_status	shc_jws_split(const char *jws, size_t n, size_t max_len,
						  shc_jws_parts *parts, shc_error *err);

/*
 * Assemble and sign a compact JWS, appending it to out:
 * base64url(header_json) "." base64url(deflate_raw(payload, level 9)) "."
 * base64url(ES256 r||s over the first two segments).  header_json and
 * payload are taken as given (the caller minifies).  When deflate is false
 * the payload is not compressed (only for tests of the verifier).
 */
shc_status	shc_jws_sign(const char *header_json, size_t header_len,
						 const uint8_t *payload, size_t payload_len,
						 bool deflate, const shc_ec_key *key, shc_buf *out,
						 shc_error *err);

#endif
