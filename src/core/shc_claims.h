/*
 * shc_claims.h
 *		The claims of a card's payload that the verifier decides on, read
 *		with the one JSON reader (shc_jsonr.h) without building anything:
 *		the status-only path of verification (shc_verify_status, issue 16).
 *
 * What is read (SHC-NOTES 4 and 12 step 6): iss, nbf, exp, vc.type (each
 * element's kind and whether the health-card type is among them),
 * vc.credentialSubject.fhirVersion, vc.credentialSubject.fhirBundle and its
 * resourceType, vc.rid.  Each is recorded with the kind of JSON value found
 * (or absent) and, for strings and numbers, its text.  When an object has
 * the same key twice the last one counts, as in jsonb; a repeated
 * container forgets what its earlier occurrence held.
 */
#ifndef SHC_CLAIMS_H
#define SHC_CLAIMS_H

#include "shc_core.h"
#include "shc_jsonr.h"

typedef enum shc_claim_kind
{
	SHC_CLAIM_ABSENT = 0,
	SHC_CLAIM_STRING,
	SHC_CLAIM_NUMBER,
	SHC_CLAIM_OBJECT,
	SHC_CLAIM_ARRAY,
	SHC_CLAIM_OTHER				/* true, false, null */
} shc_claim_kind;

typedef struct shc_claim
{
	shc_claim_kind kind;
	char	   *s;				/* string (unescaped) or number token; NUL-ended */
	size_t		n;
} shc_claim;

typedef struct shc_card_claims
{
	shc_claim_kind top;			/* the payload itself */
	shc_claim	iss;
	shc_claim	nbf;
	shc_claim	exp;
	shc_claim	vc;
	shc_claim	type;			/* vc.type */
	size_t		ntypes;			/* elements of vc.type */
	size_t		first_bad_type; /* 1-based index of its first non-string, 0: none */
	bool		health_card;	/* SHC_HEALTH_CARD_TYPE is among them */
	shc_claim	cs;				/* vc.credentialSubject */
	shc_claim	fhir_version;
	shc_claim	bundle;			/* vc.credentialSubject.fhirBundle */
	shc_claim	resource_type;	/* fhirBundle.resourceType */
	shc_claim	rid;			/* vc.rid */
} shc_card_claims;

/*
 * Read the payload text s[0..n) with the card JSON limits into c (strings
 * allocated with a; the caller frees them with its allocator, or with
 * shc_card_claims_free).  The statuses of shc_json_read: SHC_OK,
 * SHC_ERR_JSON, SHC_ERR_LIMIT, SHC_ERR_NOMEM.
 */
shc_status	shc_card_claims_read(const char *s, size_t n,
								 const shc_allocator *a, shc_card_claims *c,
								 shc_error *err);

void		shc_card_claims_free(shc_card_claims *c, const shc_allocator *a);

#endif
