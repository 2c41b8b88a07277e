/*
 * shc_card_read.h
 *		The one card reader of the glue: every function that opens a card
 *		(shc_verify, shc_verify_file, shc_decode, shc_card_id, the printable
 *		card) reads it through these stages, in this order:
 *
 *   1. shc_card_open: shc:/ text -> JWS, three segments, the header
 *      decoded and read (card JSON limits) into jsonb, "zip":"DEF";
 *   2. shc_card_check_signature: ES256 over the received signing input,
 *      when the caller has the key -- before anything of the payload;
 *   3. shc_card_read_payload: base64url, raw inflate capped by
 *      shc.max_payload_size, JSON (card limits) into jsonb;
 *   or, when nobody vouches for the card (unknown kid):
 *   3'. shc_card_scan_iss: a bounded look for the claimed iss; at most
 *      SHC_CARD_SCAN_B64 payload characters are decoded and at most
 *      SHC_CARD_SCAN_MAX bytes inflated and scanned; nothing is built.
 *
 * A stage that fails returns false and leaves c->err (the core status and
 * its detail, for callers that raise: shc_card_raise) and c->why (a
 * sentence for shc_verify's reason).  Every long loop checks for
 * interrupts.
 */
#ifndef SHC_CARD_READ_H
#define SHC_CARD_READ_H

#include "shc_glue.h"

#include "core/shc_es256.h"
#include "core/shc_jws.h"

/* the bounded scan for iss of a card nobody vouches for */
#define SHC_CARD_SCAN_MAX 4096	/* inflated bytes scanned */
#define SHC_CARD_SCAN_B64 8192	/* payload characters decoded */

typedef struct shc_card
{
	const char *jws;			/* the compact JWS (the input, or decoded shc:/) */
	size_t		len;
	shc_jws_parts parts;
	uint8_t		digest[32];		/* SHA-256 of header "." payload */
	Jsonb	   *header;
	Jsonb	   *payload;		/* after shc_card_read_payload */
	shc_error	err;			/* the failure, for raising */
	char	   *why;			/* the failure, as a reason sentence */
	const char *hint;			/* a hint for raising, or NULL */
} shc_card;

/* stage 1; raises only for internal errors (memory) */
bool		shc_card_open(shc_card *c, const char *s, size_t n);

/*
 * Stage 2: the one call site of the ES256 check of a card.  SHC_OK,
 * SHC_ERR_JWS_FORMAT (no 64-byte signature), SHC_ERR_SIGNATURE.
 */
shc_status	shc_card_check_signature(const shc_card *c, const shc_ec_key *key,
									 shc_error *err);

/* "zip":"DEF" in the header (SHC-NOTES 2); stage 3 checks it too */
bool		shc_card_check_zip(shc_card *c);

/* stage 3 */
bool		shc_card_read_payload(shc_card *c);

/*
 * Stage 3': the claimed iss (palloc'd, NUL-free) when a top-level "iss"
 * string shows up within the bounded scan; NULL otherwise.
 */
char	   *shc_card_scan_iss(const shc_card *c);

/* Raise the failure a stage left (shc_decode, the printable card). */
pg_attribute_noreturn() void shc_card_raise(const shc_card *c);

/*
 * The card's identity: base64url(SHA-256(header "." payload)), the signed
 * bytes; the same for both encodings of an ES256 signature (s and n - s).
 * out must hold 44 bytes.
 */
void		shc_card_identity(const shc_card *c, char *out);

#endif
