/*
 * shc_qr.h
 *		The shc:/ numeric QR text and its deprecated chunked form
 *		(SHC-NOTES section 8 and 8.1).
 */
#ifndef SHC_QR_H
#define SHC_QR_H

#include "shc_core.h"

#define SHC_QR_PREFIX "shc:/"
#define SHC_QR_PREFIX_LEN 5
/* SHC-NOTES 8: the longest JWS that fits one version-22 symbol at level L */
#define SHC_QR_MAX_SINGLE_JWS 1195
/* SHC-NOTES 8.1: the longest chunk of the deprecated split */
#define SHC_QR_MAX_CHUNK_JWS 1191
/* our own bound on N, far above any card a file can reasonably hold */
#define SHC_QR_MAX_CHUNKS 99

/* true when c can appear in a compact JWS: [A-Za-z0-9_.-] */
bool		shc_jws_char_ok(unsigned char c);

/*
 * Check that s[0..n) is non-empty and made only of compact-JWS characters;
 * SHC_ERR_JWS_CHARS with the offset of the first offender otherwise.
 */
shc_status	shc_jws_chars_check(const char *s, size_t n, shc_error *err);

/*
 * Append "shc:/" (or "shc:/C/N/" when total > 1) and two digits per JWS
 * character, ord(c) - 45, to out.  The JWS characters are checked.
 */
shc_status	shc_qr_numeric_encode(const char *jws, size_t n, int index,
								  int total, shc_buf *out, shc_error *err);

/*
 * The deprecated balanced split (SHC-NOTES 8.1): a JWS of at most 1195
 * characters is one part; otherwise N = ceil(len / 1191) parts of
 * ceil(len / N) characters, the last one shorter.  Sets *nparts and
 * *part_len.
 */
void		shc_qr_chunk_plan(size_t jws_len, int *nparts, size_t *part_len);

/*
 * One parsed shc:/ text.  digits/ndigits point into the caller's string.
 */
typedef struct shc_qr_part
{
	int			index;			/* 1-based; 0 when there is no C/N/ header */
	int			total;			/* N, 0 when there is no header */
	const char *digits;
	size_t		ndigits;
} shc_qr_part;

/*
 * Parse the prefix and optional "C/N/" header of s[0..n), without decoding
 * the digits.  Rejects a missing prefix, a malformed header, C outside
 * 1..N, N above SHC_QR_MAX_CHUNKS, and "1/1/" (a single card is never
 * chunked).
 */
shc_status	shc_qr_parse(const char *s, size_t n, shc_qr_part *part,
						 shc_error *err);

/*
 * Decode digit pairs into JWS characters, appending to out: the digit count
 * must be even and positive, every pair at most 77 and the resulting
 * character one a compact JWS can hold.
 */
shc_status	shc_qr_digits_decode(const char *digits, size_t n, shc_buf *out,
								 shc_error *err);

/*
 * Reassemble a JWS from nparts shc:/ texts given in any order: one text
 * without a header, or exactly N chunks "C/N/" with every C in 1..N once
 * and the same N everywhere.  Appends the JWS to out.
 */
shc_status	shc_qr_decode_parts(const char *const *texts, const size_t *lens,
								int nparts, shc_buf *out, shc_error *err);

#endif
