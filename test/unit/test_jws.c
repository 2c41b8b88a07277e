/*
 * test_jws.c: compact JWS split (every rejection) and sign -> split ->
 * verify -> inflate round trip.
 */
#include "unit.h"
#include "shc_b64url.h"
#include "shc_deflate.h"
#include "shc_jws.h"

static void
split_rejects(const char *jws, shc_status want, const char *needle)
{
	shc_jws_parts p;
	shc_error	e;
	shc_status	st;

	memset(&e, 0, sizeof(e));
	st = shc_jws_split(jws, strlen(jws), 100, &p, &e);
	CHECK(st == want && strstr(e.detail, needle) != NULL,
		  "split rejects \"%s\" (%s)", jws, e.detail);
}

void
test_jws(void)
{
	shc_jws_parts p;
	shc_error	e;
	shc_ec_key *k;
	shc_buf		out,
				sig,
				inflated;
	const char *hdr = "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"k\"}";
	const char *payload = "{\"iss\":\"https://example.org\",\"nbf\":1}";

	CHECK(shc_jws_split("a.b.c", 5, 0, &p, &e) == SHC_OK && p.header_len == 1 &&
		  p.payload_len == 1 && p.signature_len == 1 && p.signing_input_len == 3 &&
		  p.signature[0] == 'c', "split a.b.c");
	split_rejects("", SHC_ERR_JWS_FORMAT, "empty");
	split_rejects("a.b", SHC_ERR_JWS_FORMAT, "this one has 2");
	split_rejects("abc", SHC_ERR_JWS_FORMAT, "this one has 1");
	split_rejects("a.b.c.d", SHC_ERR_JWS_FORMAT, "more");
	split_rejects(".b.c", SHC_ERR_JWS_FORMAT, "header segment");
	split_rejects("a..c", SHC_ERR_JWS_FORMAT, "payload segment");
	split_rejects("a.b.", SHC_ERR_JWS_FORMAT, "signature segment");
	split_rejects("a.b=.c", SHC_ERR_JWS_FORMAT, "Padding");
	split_rejects("a.b.c\n", SHC_ERR_JWS_FORMAT, "White space");
	split_rejects(" a.b.c", SHC_ERR_JWS_FORMAT, "White space");
	split_rejects("a.b+.c", SHC_ERR_JWS_FORMAT, "\"+\"");
	split_rejects("a.b\x80.c", SHC_ERR_JWS_FORMAT, "0x80");
	{
		char		big[102];

		memset(big, 'a', 101);
		big[101] = '\0';
		split_rejects(big, SHC_ERR_LIMIT, "maximum is 100");
	}

	/* sign, then take it apart again */
	shc_es256_generate(&k, &e);
	shc_buf_init(&out, NULL, 0);
	CHECK(shc_jws_sign(hdr, strlen(hdr), (const uint8_t *) payload, strlen(payload), true,
					   k, &out, &e) == SHC_OK, "sign a JWS");
	CHECK(shc_jws_split(out.data, out.len, 0, &p, &e) == SHC_OK, "the signed JWS splits");
	shc_buf_init(&sig, NULL, 0);
	shc_b64url_decode(p.signature, p.signature_len, &sig, &e);
	CHECK(sig.len == 64 && shc_es256_verify(k, (const uint8_t *) out.data, p.signing_input_len,
											(const uint8_t *) sig.data, sig.len, &e) == SHC_OK,
		  "its 64-byte signature verifies over header.payload");
	{
		shc_buf		pz;

		shc_buf_init(&pz, NULL, 0);
		shc_buf_init(&inflated, NULL, 0);
		shc_b64url_decode(p.payload, p.payload_len, &pz, &e);
		CHECK(shc_inflate_raw((const uint8_t *) pz.data, pz.len, 1000, &inflated, &e) == SHC_OK &&
			  strcmp(inflated.data, payload) == 0, "its payload inflates to the input");
		shc_buf_free(&pz);
		shc_buf_free(&inflated);
	}
	shc_buf_free(&sig);
	shc_buf_free(&out);
	shc_ec_key_free(k);
}
