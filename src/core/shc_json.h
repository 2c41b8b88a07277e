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

#endif
