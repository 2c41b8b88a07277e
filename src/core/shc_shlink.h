/*
 * shc_shlink.h
 *		SMART Health Link URIs (SHC-NOTES 15; HL7 SMART Health Cards and
 *		Links STU1, "SHLink payload"): "shlink:/" + base64url(minified JSON
 *		payload), optionally behind a viewer URL that ends in '#'.
 *
 * Payload rules checked both when encoding and when decoding (one home
 * per rule, shc_shlink_check):
 *   url    required, 1..128 characters, printable ASCII, http(s)://
 *   key    required, 43 base64url characters = 32 bytes
 *   exp    optional, a non-negative integer (seconds since the epoch)
 *   flag   optional, one or more of L, P, U in alphabetical order, each at
 *          most once; U never with P
 *   label  optional, at most 80 characters (Unicode code points)
 *   v      optional, 1
 * Unknown payload members are ignored when decoding (forward compatible).
 */
#ifndef SHC_SHLINK_H
#define SHC_SHLINK_H

#include "shc_core.h"

#define SHC_SHLINK_PREFIX "shlink:/"
#define SHC_SHLINK_PREFIX_LEN 8
#define SHC_SHL_URL_MAX 128
#define SHC_SHL_KEY_LEN 32
#define SHC_SHL_KEY_B64_LEN 43
#define SHC_SHL_LABEL_MAX 80			/* characters */
#define SHC_SHL_VIEWER_MAX 512			/* bytes of a viewer prefix */
#define SHC_SHL_MAX_LEN 4096			/* a whole shlink text */
#define SHC_SHL_EXP_MAX 9007199254740991LL	/* 2^53 - 1 */

typedef struct shc_shlink
{
	/* viewer prefix including its '#', pointing into the decoded text
	 * (decode) or given by the caller (encode); viewer_len 0 = none */
	const char *viewer;
	size_t		viewer_len;
	char		url[SHC_SHL_URL_MAX + 1];
	uint8_t		key[SHC_SHL_KEY_LEN];
	bool		has_exp;
	int64_t		exp;
	char		flag[4];		/* "" when absent */
	bool		has_label;
	char		label[SHC_SHL_LABEL_MAX * 4 + 1];	/* UTF-8 */
	int			v;				/* 0 when absent */
} shc_shlink;

/*
 * Check every payload rule above on link (url, flag, label, exp, v and the
 * viewer prefix: printable ASCII, at most SHC_SHL_VIEWER_MAX bytes, one
 * '#' and it is the last character).  SHC_ERR_SHLINK with a sentence.
 */
shc_status	shc_shlink_check(const shc_shlink *link, shc_error *err);

/* Check a flag string alone (same rules). */
shc_status	shc_shlink_flag_check(const char *flag, size_t n, shc_error *err);

/* Check a label alone: valid UTF-8 of at most 80 characters. */
shc_status	shc_shlink_label_check(const char *label, size_t n, shc_error *err);

/*
 * Append the link's text to out: viewer prefix, "shlink:/", base64url of
 * {"url":..,"key":..,"exp":..,"flag":..,"label":..,"v":..} (members
 * present in this order, compact).  Checks first.
 */
shc_status	shc_shlink_encode(const shc_shlink *link, shc_buf *out,
							  shc_error *err);

/*
 * Decode s[0..n): "shlink:/..." or "<viewer>#shlink:/...".  Fills link
 * (link->viewer points into s).  SHC_ERR_LIMIT when n > max_len (0 means
 * SHC_SHL_MAX_LEN); SHC_ERR_SHLINK for anything else wrong: no prefix,
 * payload not base64url or not a JSON object, any rule above broken.
 * a is used for temporary memory only (NULL: malloc).
 */
shc_status	shc_shlink_decode(const char *s, size_t n, size_t max_len,
							  const shc_allocator *a, shc_shlink *link,
							  shc_error *err);

/*
 * Whether the link is expired at time now (seconds since the epoch): it
 * has an exp and exp <= now.
 */
bool		shc_shlink_expired(const shc_shlink *link, int64_t now);

#endif
