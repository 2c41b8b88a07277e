/*
 * shc_jsonr.h
 *		The one JSON reader of shc (RFC 8259): a single pass over the text,
 *		strict UTF-8, every limit an argument, results delivered as events;
 *		and its object-members consumer for small JSON objects.
 *
 * The reader builds nothing.  It calls a handler for each event (start and
 * end of an object or array, a key, a string, a number, true, false,
 * null).  Its consumers: the glue writes jsonb from the events
 * (src/shc_jsonb.c: cards, shc_json_parse, JWK files), the issuing
 * rulebook checks a payload with them, the claims reader picks a card's
 * claims, the verifier's bounded scan for "iss" stops at the first
 * top-level key it needs, and shc_json_members_read (below) gives the
 * members of one small object: JOSE headers (RFC 7516 section 4) and SMART
 * Health Link payloads.  It also owns the number grammar
 * (shc_json_number_ok) and the UTF-8 check (shc_utf8_seq) the rest of the
 * core uses: there is no second one.
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

#include <string.h>

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

/*
 * The plain-byte scanner of the reader's strings, which the compact writer
 * (shc_json.c) uses to find what needs no escape.
 */
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

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
size_t		shc_utf8_seq(const unsigned char *s, size_t n);

/* Whether s[0..n) is exactly one JSON number (RFC 8259 section 6). */
bool		shc_json_number_ok(const char *s, size_t n);

/*
 * The object-members consumer: one JSON object read with shc_json_read,
 * its top-level members kept in a fixed array.  Strings are given decoded
 * (NUL-terminated), numbers as their token text, true/false/null by type;
 * nested objects and arrays are checked by the reader (to
 * SHC_JSON_MEMBERS_MAX_DEPTH) and given by type only.  A text that is not
 * one object, a duplicate member name (RFC 7515 section 5.2 lets a parser
 * refuse them, and a header read two ways is a classic JOSE flaw), more
 * than SHC_JSON_MEMBERS_MAX members or a string longer than
 * SHC_JSON_MEMBERS_MAX_STRING bytes is refused.
 */
#define SHC_JSON_MEMBERS_MAX 32
#define SHC_JSON_MEMBERS_MAX_DEPTH 16
#define SHC_JSON_MEMBERS_MAX_STRING 65536

typedef struct shc_json_member
{
	const char *name;			/* decoded, NUL-terminated, in strings */
	size_t		name_len;
	shc_json_event type;		/* SHC_JSON_STRING, _NUMBER, _TRUE, _FALSE,
								 * _NULL, _OBJECT_START or _ARRAY_START */
	const char *value;			/* string (decoded) or number token,
								 * NUL-terminated, in strings; else NULL */
	size_t		value_len;
} shc_json_member;

typedef struct shc_json_members
{
	int			count;
	shc_json_member m[SHC_JSON_MEMBERS_MAX];
	char	   *strings;		/* names and values; owned */
	size_t		used;
	size_t		cap;
	const shc_allocator *a;
	shc_error  *err;
} shc_json_members;

/*
 * Read s[0..n) as one JSON object into *obj.  Returns SHC_OK,
 * SHC_ERR_JSON (any refusal above or of the reader; the detail says which),
 * SHC_ERR_LIMIT or SHC_ERR_NOMEM.  Free with shc_json_members_free, also
 * after a failure.
 */
shc_status	shc_json_members_read(const char *s, size_t n, const shc_allocator *a,
								  shc_json_members *obj, shc_error *err);

void		shc_json_members_free(shc_json_members *obj);

/* The member named name, or NULL. */
const shc_json_member *shc_json_members_get(const shc_json_members *obj,
											 const char *name);

#endif
