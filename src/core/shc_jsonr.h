/*
 * shc_jsonr.h
 *		The one JSON reader of shc (RFC 8259): a single pass over the text,
 *		strict UTF-8, every limit an argument, results delivered as events.
 *
 * The reader builds nothing.  It calls a handler for each event (start and
 * end of an object or array, a key, a string, a number, true, false,
 * null); the glue turns the events into jsonb (pushJsonbValue), the
 * issuing rulebook checks a payload with them, and the verifier's
 * bounded scan for "iss" stops at the first top-level key it needs.
 *
 * What it accepts is what PostgreSQL's jsonb input accepts in a UTF8
 * database, minus what a card never needs: a UTF-8 byte order mark,
 * \u0000 (jsonb cannot hold it) and anything beyond the limits.  Strings
 * must be valid UTF-8 (no overlong forms, no surrogates, nothing above
 * U+10FFFF); \u escapes must pair surrogates; control characters below
 * U+0020 must be escaped; white space is space, tab, LF and CR only.
 */
#ifndef SHC_JSONR_H
#define SHC_JSONR_H

#include "shc_core.h"

typedef enum shc_json_event
{
	SHC_JSON_OBJECT_START,
	SHC_JSON_OBJECT_END,
	SHC_JSON_ARRAY_START,
	SHC_JSON_ARRAY_END,
	SHC_JSON_KEY,				/* s[0..n): the key, unescaped */
	SHC_JSON_STRING,			/* s[0..n): the value, unescaped */
	SHC_JSON_NUMBER,			/* s[0..n): the number token as written */
	SHC_JSON_TRUE,
	SHC_JSON_FALSE,
	SHC_JSON_NULL
} shc_json_event;

/*
 * Limits; 0 means "none" for every field.  A text beyond one gives
 * SHC_ERR_LIMIT with a sentence naming the limit and the offset.
 */
typedef struct shc_json_limits
{
	int			max_depth;		/* deepest nesting of objects and arrays */
	size_t		max_tokens;		/* most keys plus values */
	size_t		max_number_len; /* longest number token, in characters */
	int			max_exponent;	/* largest |e| written after e/E */
	size_t		max_string_len; /* longest key or string, bytes unescaped */
} shc_json_limits;

/* The limits a SMART Health Card's header and payload are read with. */
#define SHC_JSON_CARD_MAX_DEPTH 256
#define SHC_JSON_CARD_MAX_NUMBER_LEN 100
#define SHC_JSON_CARD_MAX_EXPONENT 1000
extern const shc_json_limits shc_json_card_limits;

/*
 * Called for each event.  s points into the input when the string had no
 * escape, otherwise into a scratch buffer that the next string reuses:
 * copy it to keep it.  depth is the nesting level of the container the
 * event belongs to (0 for a top-level value; the keys of the top object
 * are at depth 1; an *_END event has the depth of its *_START).
 * Return SHC_OK to go on; any other status stops the read, and
 * shc_json_read returns it as it is (err untouched: the handler sets it).
 * SHC_STOPPED is the status for "found what I was looking for".
 */
typedef shc_status (*shc_json_handler) (void *ctx, shc_json_event ev,
										const char *s, size_t n, int depth);

/*
 * Read one JSON text s[0..n) (white space around it allowed), calling
 * handler (may be NULL: validate only) for each event.  a allocates the
 * scratch buffer for escaped strings and the nesting stack (NULL: malloc);
 * everything is released before returning.
 * Returns SHC_OK, SHC_ERR_JSON (syntax, UTF-8, escapes; the detail names
 * the problem and its byte offset), SHC_ERR_LIMIT, SHC_ERR_NOMEM, or what
 * the handler returned.  *consumed (may be NULL) receives the offset the
 * reader reached.
 */
shc_status	shc_json_read(const char *s, size_t n, const shc_json_limits *lim,
						  shc_json_handler handler, void *ctx,
						  const shc_allocator *a, size_t *consumed,
						  shc_error *err);

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
size_t		shc_utf8_seq(const unsigned char *s, size_t n);

#endif
