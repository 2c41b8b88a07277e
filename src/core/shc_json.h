/*
 * shc_json.h
 *		Compact JSON output (SHC-NOTES section 4.1: "minify", byte-compatible
 *		with JavaScript's JSON.stringify for the values a card carries).
 *
 * The writer knows nothing about the source of the values: the glue walks
 * a jsonb value and calls these for each token.  Separators are written by
 * the caller with shc_json_comma(); no optional white space is ever emitted.
 */
#ifndef SHC_JSON_H
#define SHC_JSON_H

#include "shc_core.h"

#include <string.h>

/*
 * Append s[0..n) as a JSON string literal.  Escapes only '"', '\\' and
 * control characters below 0x20 (\b \f \n \r \t, otherwise \u00xx);
 * '/' and all non-ASCII bytes are copied as they are.  The input must be
 * valid UTF-8 (jsonb guarantees it); no validation is done here.
 */
void		shc_json_string(shc_buf *out, const char *s, size_t n);

/* Append a string key and the colon: "key": */
void		shc_json_key(shc_buf *out, const char *s, size_t n);

/*
 * Append a JSON number given as text, after checking it has the JSON
 * number grammar (RFC 8259 section 6).  Returns SHC_ERR_JSON otherwise
 * (e.g. "NaN", "Infinity", "1.", ".5").
 */
shc_status	shc_json_number(shc_buf *out, const char *s, size_t n,
							shc_error *err);

/*
 * How many of the n bytes at s are plain string bytes: not '"', not '\\',
 * not a control character (below 0x20) and, when ascii_only, below 0x80
 * (the reader checks UTF-8 sequences itself).  Eight bytes at a time with
 * the any-byte tests of "Bit Twiddling Hacks" (they never miss a byte; a
 * word they flag is looked at byte by byte), so the long plain runs of a
 * card cost a few instructions per eight bytes.
 */
static inline size_t
shc_json_plain_len(const unsigned char *s, size_t n, bool ascii_only)
{
	const uint64_t ones = UINT64_C(0x0101010101010101);
	const uint64_t high = UINT64_C(0x8080808080808080);
	const uint64_t high_mask = ascii_only ? high : 0;
	size_t		i = 0;

	while (n - i >= 8)
	{
		uint64_t	w,
					q,
					b;

		memcpy(&w, s + i, 8);
		q = w ^ (ones * '"');
		b = w ^ (ones * '\\');
		if ((w & high_mask) |
			((w - ones * 0x20) & ~w & high) |
			((q - ones) & ~q & high) |
			((b - ones) & ~b & high))
			break;
		i += 8;
	}
	while (i < n && s[i] >= 0x20 && s[i] != '"' && s[i] != '\\' &&
		   (!ascii_only || s[i] < 0x80))
		i++;
	return i;
}

#endif
