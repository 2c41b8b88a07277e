/*
 * shc_b64url.h
 *		Strict base64url without padding (RFC 4648 section 5, RFC 7515 section 2).
 */
#ifndef SHC_B64URL_H
#define SHC_B64URL_H

#include "shc_core.h"

/* Exact encoded length of n bytes (no padding). */
#define SHC_B64URL_ENCODED_LEN(n) (((n) / 3) * 4 + ((n) % 3 ? (n) % 3 + 1 : 0))
/* Upper bound on the decoded length of n characters. */
#define SHC_B64URL_DECODED_MAX(n) (((n) / 4) * 3 + 2)

/* The decoding table: a symbol's 6-bit value, -1 outside the alphabet. */
extern const int8_t shc_b64url_dec_table[256];

/*
 * true when c is in the base64url alphabet (RFC 4648 section 5): the one
 * test of the alphabet in shc (rids, kids, rid secrets, JWS characters).
 */
static inline bool
shc_b64url_char(unsigned char c)
{
	return shc_b64url_dec_table[c] >= 0;
}

/* Append the encoding of in[0..n) to out. */
shc_status	shc_b64url_encode(const uint8_t *in, size_t n, shc_buf *out,
							  shc_error *err);

/* Encode into dst, which has room for SHC_B64URL_ENCODED_LEN(n) + 1 bytes. */
size_t		shc_b64url_encode_to(const uint8_t *in, size_t n, char *dst);

/*
 * Decode in[0..n) into dst (room for SHC_B64URL_DECODED_MAX(n) bytes),
 * setting *dstlen.  Rejects symbols outside [A-Za-z0-9_-], '=' padding,
 * white space, a length of 4k+1 and non-zero trailing bits, so that every
 * byte string has exactly one accepted encoding.  Empty input decodes to
 * zero bytes.
 */
shc_status	shc_b64url_decode_to(const char *in, size_t n, uint8_t *dst,
								 size_t *dstlen, shc_error *err);

/* Decode in[0..n), appending to out. */
shc_status	shc_b64url_decode(const char *in, size_t n, shc_buf *out,
							  shc_error *err);

#endif
