/*
 * test_card.c: the issuer's header and payload frame (exact bytes) and the
 * iss / rid checks, every rejection included.
 */
#include "unit.h"
#include "shc_card.h"
#include "shc_b64url.h"

static void
iss_case(const char *iss, shc_status want, const char *needle)
{
	shc_error	e;
	shc_status	st;

	memset(&e, 0, sizeof(e));
	st = shc_card_check_iss(iss, strlen(iss), &e);
	CHECK(st == want && (needle == NULL || strstr(e.detail, needle) != NULL),
		  "iss \"%s\" -> %s (%s)", iss, shc_status_name(want), e.detail);
}

static void
rid_case(const char *rid, shc_status want, const char *needle)
{
	shc_error	e;
	shc_status	st;

	memset(&e, 0, sizeof(e));
	st = shc_card_check_rid(rid, strlen(rid), &e);
	CHECK(st == want && (needle == NULL || strstr(e.detail, needle) != NULL),
		  "rid \"%s\" -> %s (%s)", rid, shc_status_name(want), e.detail);
}

/* the one base64url alphabet and the kid syntax built on it */
static void
test_alphabet_and_kid(void)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	int			c,
				in = 0,
				agree = 0;
	const char *kid = "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s";
	char		bad[44];

	for (c = 0; c < 256; c++)
	{
		bool		listed = c != 0 && strchr(alphabet, c) != NULL;

		in += shc_b64url_char((unsigned char) c);
		agree += shc_b64url_char((unsigned char) c) == listed;
	}
	CHECK(in == 64 && agree == 256, "shc_b64url_char: exactly the 64 symbols of RFC 4648 section 5");
	CHECK(shc_card_kid_ok(kid, 43), "kid: 43 base64url characters");
	CHECK(!shc_card_kid_ok(kid, 42) && !shc_card_kid_ok("", 0), "kid: 42 or 0 characters are refused");
	memcpy(bad, kid, 44);
	bad[10] = '+';
	CHECK(!shc_card_kid_ok(bad, 43), "kid: '+' (plain base64) is refused");
	bad[10] = '=';
	CHECK(!shc_card_kid_ok(bad, 43), "kid: '=' padding is refused");
	bad[10] = '\0';
	CHECK(!shc_card_kid_ok(bad, 43), "kid: a NUL is refused");
}

void
test_card(void)
{
	shc_buf		b;

	test_alphabet_and_kid();

	iss_case("https://spec.smarthealth.cards/examples/issuer", SHC_OK, NULL);
	iss_case("https://a", SHC_OK, NULL);
	iss_case("https://spec.smarthealth.cards/examples/issuer/", SHC_ERR_ISSUER, "end with");
	iss_case("http://spec.smarthealth.cards/examples/issuer", SHC_ERR_ISSUER, "https://");
	iss_case("HTTPS://example.org", SHC_ERR_ISSUER, "https://");
	iss_case("", SHC_ERR_ISSUER, "empty");
	iss_case("https://", SHC_ERR_ISSUER, "no host");
	iss_case("https:///x", SHC_ERR_ISSUER, "no host");
	iss_case("https://example.org/a b", SHC_ERR_ISSUER, "offset 21");
	iss_case("https://example.org/\xc3\xa9", SHC_ERR_ISSUER, "non-ASCII");
	iss_case("https://example.org/?a=1", SHC_ERR_ISSUER, "query");
	iss_case("https://example.org#x", SHC_ERR_ISSUER, "fragment");

	rid_case("MKyCxh7p6uQ", SHC_OK, NULL);
	rid_case("abcdefghijklmnopqrstuvwx", SHC_OK, NULL);
	rid_case("abcdefghijklmnopqrstuvwxy", SHC_ERR_RID, "25 characters");
	rid_case("", SHC_ERR_RID, "empty");
	rid_case("ab.c", SHC_ERR_RID, "offset 2");
	rid_case("ab=", SHC_ERR_RID, "offset 2");

	shc_buf_init(&b, NULL, 0);
	shc_card_header(&b, "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s", 43);
	CHECK(strcmp(b.data, "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s\"}") == 0,
		  "header bytes");
	shc_buf_free(&b);

	/* the spec examples' key order, with and without rid and exp */
	shc_buf_init(&b, NULL, 0);
	shc_card_payload_head(&b, "https://x.org", 13, 1687450764);
	shc_buf_append_str(&b, "{}");
	shc_card_payload_tail(&b, "vwAjHdarZuc", 11, true, 1718986764);
	CHECK(strcmp(b.data,
				 "{\"iss\":\"https://x.org\",\"nbf\":1687450764,\"vc\":{\"type\":[\"https://smarthealth.cards#health-card\"],"
				 "\"credentialSubject\":{\"fhirVersion\":\"4.0.1\",\"fhirBundle\":{}},\"rid\":\"vwAjHdarZuc\"},\"exp\":1718986764}") == 0,
		  "payload with rid and exp: %s", b.data);
	shc_buf_free(&b);
	shc_buf_init(&b, NULL, 0);
	shc_card_payload_head(&b, "https://x.org", 13, -5);
	shc_buf_append_str(&b, "{}");
	shc_card_payload_tail(&b, NULL, 0, false, 0);
	CHECK(strcmp(b.data,
				 "{\"iss\":\"https://x.org\",\"nbf\":-5,\"vc\":{\"type\":[\"https://smarthealth.cards#health-card\"],"
				 "\"credentialSubject\":{\"fhirVersion\":\"4.0.1\",\"fhirBundle\":{}}}}") == 0,
		  "payload without rid and exp: %s", b.data);
	CHECK(shc_buf_status(&b, NULL) == SHC_OK, "payload buffer ok");
	shc_buf_free(&b);
}
