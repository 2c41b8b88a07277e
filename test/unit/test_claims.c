/*
 * test_claims.c: the status-only path's claims reader (shc_claims.c): what
 * it records, and that repeated keys resolve as jsonb does (the last one
 * counts; a repeated container forgets the earlier one's members).
 */
#include "unit.h"
#include "shc_claims.h"
#include "shc_rules.h"

static shc_status
rd(const char *s, shc_card_claims *c)
{
	shc_error	e;

	return shc_card_claims_read(s, strlen(s), NULL, c, &e);
}

void
test_claims(void)
{
	shc_card_claims c;

	CHECK(rd("{\"iss\":\"https://a.example\",\"nbf\":1.5e9,\"exp\":2000000000,"
			 "\"vc\":{\"type\":[\"x\",\"" SHC_HEALTH_CARD_TYPE "\"],\"rid\":\"abc\","
			 "\"credentialSubject\":{\"fhirVersion\":\"4.0.1\",\"fhirBundle\":{\"resourceType\":\"Bundle\",\"entry\":[]}}}}", &c) == SHC_OK &&
		  c.top == SHC_CLAIM_OBJECT && c.iss.kind == SHC_CLAIM_STRING &&
		  strcmp(c.iss.s, "https://a.example") == 0 &&
		  c.nbf.kind == SHC_CLAIM_NUMBER && strcmp(c.nbf.s, "1.5e9") == 0 &&
		  c.exp.kind == SHC_CLAIM_NUMBER && c.vc.kind == SHC_CLAIM_OBJECT &&
		  c.type.kind == SHC_CLAIM_ARRAY && c.ntypes == 2 && c.health_card &&
		  c.first_bad_type == 0 && c.rid.kind == SHC_CLAIM_STRING &&
		  c.cs.kind == SHC_CLAIM_OBJECT && strcmp(c.fhir_version.s, "4.0.1") == 0 &&
		  c.bundle.kind == SHC_CLAIM_OBJECT && strcmp(c.resource_type.s, "Bundle") == 0,
		  "claims: a card's payload");
	shc_card_claims_free(&c, NULL);

	CHECK(rd("{\"iss\":1,\"iss\":\"https://b.example\"}", &c) == SHC_OK &&
		  c.iss.kind == SHC_CLAIM_STRING && strcmp(c.iss.s, "https://b.example") == 0,
		  "claims: a repeated key, the last one counts");
	shc_card_claims_free(&c, NULL);
	CHECK(rd("{\"iss\":\"https://b.example\",\"iss\":null}", &c) == SHC_OK &&
		  c.iss.kind == SHC_CLAIM_OTHER, "claims: a repeated key, the last one counts (null)");
	shc_card_claims_free(&c, NULL);
	CHECK(rd("{\"vc\":{\"rid\":\"a\",\"type\":[\"" SHC_HEALTH_CARD_TYPE "\"]},\"vc\":{\"type\":[1]}}", &c) == SHC_OK &&
		  c.rid.kind == SHC_CLAIM_ABSENT && !c.health_card && c.first_bad_type == 1 && c.ntypes == 1,
		  "claims: a repeated vc forgets the first one's members");
	shc_card_claims_free(&c, NULL);
	CHECK(rd("{\"x\":{\"iss\":\"https://deep.example\"},\"vc\":[{\"type\":[]}]}", &c) == SHC_OK &&
		  c.iss.kind == SHC_CLAIM_ABSENT && c.vc.kind == SHC_CLAIM_ARRAY && c.type.kind == SHC_CLAIM_ABSENT,
		  "claims: only the claims' own paths count");
	shc_card_claims_free(&c, NULL);
	CHECK(rd("[1,2]", &c) == SHC_OK && c.top == SHC_CLAIM_ARRAY, "claims: a payload that is an array");
	shc_card_claims_free(&c, NULL);
	CHECK(rd("\"{}\"", &c) == SHC_OK && c.top == SHC_CLAIM_STRING, "claims: a payload that is a string");
	shc_card_claims_free(&c, NULL);
	CHECK(rd("{\"iss\":\"a\\u0041\"}", &c) == SHC_OK && strcmp(c.iss.s, "aA") == 0,
		  "claims: escaped strings are unescaped");
	shc_card_claims_free(&c, NULL);
	CHECK(rd("{\"iss\":\"a\",}", &c) == SHC_ERR_JSON, "claims: invalid JSON is refused");
	shc_card_claims_free(&c, NULL);
}
