/*
 * shc_jobj.h
 *		A strict reader for the small JSON objects of JOSE headers and SMART
 *		Health Link payloads (RFC 8259; RFC 7516 section 4; SHL payload):
 *		one top-level object whose members are read into a fixed array.
 *
 * Member values that are strings are decoded (escapes, \u surrogate pairs
 * to UTF-8) into one caller-owned buffer; numbers, true, false and null are
 * given as their token text; nested objects and arrays are checked for
 * grammar (to a bounded depth) and given as their raw text.  Duplicate
 * member names are refused (RFC 7515 section 5.2 lets a parser refuse
 * them, and a header read two ways is a classic JOSE flaw), as are a byte
 * order mark, invalid UTF-8 in strings and anything after the object.
 */
#ifndef SHC_JOBJ_H
#define SHC_JOBJ_H

#include "shc_core.h"

#define SHC_JOBJ_MAX_MEMBERS 32
#define SHC_JOBJ_MAX_DEPTH 16

typedef enum shc_jtype
{
	SHC_J_STRING,
	SHC_J_NUMBER,
	SHC_J_TRUE,
	SHC_J_FALSE,
	SHC_J_NULL,
	SHC_J_NESTED				/* an object or array, given raw */
} shc_jtype;

typedef struct shc_jmember
{
	const char *name;			/* decoded, NUL-terminated, in the buffer */
	size_t		name_len;
	shc_jtype	type;
	const char *value;			/* decoded string (NUL-terminated, in the
								 * buffer) or raw token text (in the input) */
	size_t		value_len;
} shc_jmember;

typedef struct shc_jobj
{
	int			count;
	shc_jmember m[SHC_JOBJ_MAX_MEMBERS];
	char	   *strings;		/* decoded names and strings; owned */
	const shc_allocator *a;
} shc_jobj;

/*
 * Parse s[0..n) as one JSON object.  SHC_ERR_JSON with a sentence for any
 * grammar error, a duplicate member, more than SHC_JOBJ_MAX_MEMBERS
 * members or nesting deeper than SHC_JOBJ_MAX_DEPTH.  On success free the
 * result with shc_jobj_free (also safe after a failure).
 */
shc_status	shc_jobj_parse(const char *s, size_t n, const shc_allocator *a,
						   shc_jobj *obj, shc_error *err);

void		shc_jobj_free(shc_jobj *obj);

/* The member named name, or NULL. */
const shc_jmember *shc_jobj_get(const shc_jobj *obj, const char *name);

#endif
