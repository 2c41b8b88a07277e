/*
 * fuzz_b64url.c
 *		shc_b64url_decode on arbitrary bytes.  Properties: no crash or
 *		overread; the decoded length is exactly 3n/4 rounded down; strict
 *		decoding is canonical, so encode(decode(x)) == x whenever decode
 *		succeeds; and decode(encode(x)) == x for any bytes x.
 */
#include "fuzz.h"
#include "shc_b64url.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *in = fuzz_dup(data, size);
	shc_buf		dec,
				enc,
				back;
	shc_error	err;
	shc_status	st;

	shc_buf_init(&dec, NULL, 0);
	st = shc_b64url_decode(in, size, &dec, &err);
	if (st == SHC_OK)
	{
		FUZZ_ASSERT(dec.len == size * 3 / 4);
		shc_buf_init(&enc, NULL, 0);
		FUZZ_ASSERT(shc_b64url_encode((const uint8_t *) dec.data, dec.len,
									  &enc, &err) == SHC_OK);
		FUZZ_ASSERT(enc.len == size && memcmp(enc.data, in, size) == 0);
		shc_buf_free(&enc);
	}
	else
		FUZZ_ASSERT(st == SHC_ERR_B64URL && err.detail[0] != '\0');
	shc_buf_free(&dec);

	/* the other direction: any bytes survive encode then decode */
	shc_buf_init(&enc, NULL, 0);
	shc_buf_init(&back, NULL, 0);
	FUZZ_ASSERT(shc_b64url_encode(data, size, &enc, &err) == SHC_OK);
	FUZZ_ASSERT(enc.len == SHC_B64URL_ENCODED_LEN(size));
	FUZZ_ASSERT(shc_b64url_decode(enc.data, enc.len, &back, &err) == SHC_OK);
	FUZZ_ASSERT(back.len == size && (size == 0 || memcmp(back.data, data, size) == 0));
	shc_buf_free(&enc);
	shc_buf_free(&back);
	free(in);
	return 0;
}
