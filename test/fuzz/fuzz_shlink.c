/*
 * fuzz_shlink.c
 *		shc_shlink_decode on arbitrary bytes (a shlink:/ text, with or
 *		without a viewer prefix).  Properties: no crash or overread; a
 *		decoded link satisfies every rule (shc_shlink_check); encoding it
 *		and decoding again gives the same fields; a limit below the length
 *		is refused with SHC_ERR_LIMIT.  The first input byte, when it is
 *		0x01, makes the rest a raw payload JSON (prefixed and base64url
 *		encoded here), so the JSON reader is reached without the fuzzer
 *		having to find base64url.
 */
#include "fuzz.h"
#include "shc_b64url.h"
#include "shc_shlink.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *in;
	size_t		n;
	shc_shlink	l,
				l2;
	shc_error	err;
	shc_status	st;
	shc_buf		b;

	shc_buf_init(&b, NULL, 0);
	if (size > 0 && data[0] == 0x01)
	{
		shc_buf_append_str(&b, "shlink:/");
		shc_b64url_encode(data + 1, size - 1, &b, &err);
		in = fuzz_dup((const uint8_t *) b.data, b.len);
		n = b.len;
		shc_buf_free(&b);
	}
	else
	{
		in = fuzz_dup(data, size);
		n = size;
	}

	st = shc_shlink_decode(in, n, SHC_SHL_MAX_LEN * 4, NULL, &l, &err);
	if (st == SHC_OK)
	{
		FUZZ_ASSERT(shc_shlink_check(&l, &err) == SHC_OK);
		FUZZ_ASSERT(strlen(l.url) >= 1 && strlen(l.url) <= SHC_SHL_URL_MAX);
		FUZZ_ASSERT(!(strchr(l.flag, 'U') && strchr(l.flag, 'P')));
		FUZZ_ASSERT(l.viewer_len == 0 || (l.viewer == in && in[l.viewer_len - 1] == '#'));
		shc_buf_init(&b, NULL, 0);
		FUZZ_ASSERT(shc_shlink_encode(&l, &b, &err) == SHC_OK);
		FUZZ_ASSERT(shc_shlink_decode(b.data, b.len, SHC_SHL_MAX_LEN * 4, NULL,
									  &l2, &err) == SHC_OK);
		FUZZ_ASSERT(strcmp(l.url, l2.url) == 0 &&
					memcmp(l.key, l2.key, sizeof(l.key)) == 0 &&
					l.has_exp == l2.has_exp && l.exp == l2.exp &&
					strcmp(l.flag, l2.flag) == 0 &&
					l.has_label == l2.has_label &&
					strcmp(l.label, l2.label) == 0 && l.v == l2.v &&
					l.viewer_len == l2.viewer_len);
		shc_buf_free(&b);
	}
	else
		FUZZ_ASSERT(st == SHC_ERR_SHLINK || st == SHC_ERR_LIMIT);
	if (n > 1)
		FUZZ_ASSERT(shc_shlink_decode(in, n, n - 1, NULL, &l, &err) == SHC_ERR_LIMIT);
	free(in);
	return 0;
}
