/*
 * fuzz_jws_split.c
 *		shc_jws_split on arbitrary bytes, then a strict base64url decode of
 *		each segment, as a verifier would do.  Properties: no crash or
 *		overread; the three segments are non-empty, in order, separated by
 *		single dots, cover the whole input and hold only base64url
 *		characters; signing_input_len ends at the second dot; a limit below
 *		the length is refused with SHC_ERR_LIMIT before anything else.
 */
#include "fuzz.h"
#include "shc_b64url.h"
#include "shc_jws.h"
#include "shc_qr.h"

static void
decode_segment(const char *s, size_t n)
{
	shc_buf		b;
	shc_error	err;
	shc_status	st;

	shc_buf_init(&b, NULL, 0);
	st = shc_b64url_decode(s, n, &b, &err);
	FUZZ_ASSERT(st == SHC_OK ? b.len == n * 3 / 4 : st == SHC_ERR_B64URL);
	shc_buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *in = fuzz_dup(data, size);
	shc_jws_parts p;
	shc_error	err;
	shc_status	st;
	size_t		i;

	st = shc_jws_split(in, size, 0, &p, &err);
	if (st == SHC_OK)
	{
		FUZZ_ASSERT(p.header == in && p.header_len > 0);
		FUZZ_ASSERT(p.payload == in + p.header_len + 1 && p.payload_len > 0);
		FUZZ_ASSERT(p.signature == p.payload + p.payload_len + 1 &&
					p.signature_len > 0);
		FUZZ_ASSERT(p.header_len + p.payload_len + p.signature_len + 2 == size);
		FUZZ_ASSERT(p.signing_input_len == p.header_len + 1 + p.payload_len);
		FUZZ_ASSERT(in[p.header_len] == '.' && in[p.signing_input_len] == '.');
		for (i = 0; i < size; i++)
			FUZZ_ASSERT(shc_jws_char_ok((unsigned char) in[i]) &&
						(in[i] != '.' || i == p.header_len ||
						 i == p.signing_input_len));
		decode_segment(p.header, p.header_len);
		decode_segment(p.payload, p.payload_len);
		decode_segment(p.signature, p.signature_len);
	}
	else
	{
		FUZZ_ASSERT(st == SHC_ERR_JWS_FORMAT);
		FUZZ_ASSERT(p.header == NULL && p.signing_input_len == 0);
	}

	/* a limit of 0 means none, so start at length 2 */
	if (size > 1)
	{
		FUZZ_ASSERT(shc_jws_split(in, size, size - 1, &p, &err) == SHC_ERR_LIMIT);
		FUZZ_ASSERT(shc_jws_split(in, size, size, &p, &err) == st);
	}
	free(in);
	return 0;
}
