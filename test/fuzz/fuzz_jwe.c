/*
 * fuzz_jwe.c
 *		The compact JWE reader (shc_jwe_decrypt) with a fixed key, on
 *		arbitrary bytes.  The first byte picks the mode:
 *		  0x00  the rest is a compact JWE: decrypt it;
 *		  0x01  the rest is a protected header JSON: it is put in front of
 *		        the segments of a real JWE and decrypted (reaches the header
 *		        checks without base64url);
 *		  0x02  the rest is a plaintext: encrypt (with and without zip),
 *		        decrypt, compare;
 *		  else  the whole input is a compact JWE.
 *		Properties: no crash or overread; every failure is one of the
 *		documented statuses; nothing is output unless the tag authenticated;
 *		a round trip gives the plaintext back.
 */
#include "fuzz.h"
#include "shc_b64url.h"
#include "shc_jwe.h"

static const uint8_t key[32] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31};

/* the segments after the header of a JWE under key ("SMART Health Links") */
static const char tail[] =
"..oKGio6Slpqeoqaqr.tVU9fxHrStoDCfO7JzapsBvf.f-FSi8dqXU8UiHwXRzaqRQ";

static void
try_decrypt(const char *in, size_t n)
{
	shc_buf		out;
	shc_jwe_info info;
	shc_error	err;
	shc_status	st;

	shc_buf_init(&out, NULL, 0);
	st = shc_jwe_decrypt(in, n, 0, key, sizeof(key), 1 << 16, &out, &info, &err);
	FUZZ_ASSERT(st == SHC_OK || st == SHC_ERR_JWE || st == SHC_ERR_JWE_DECRYPT ||
				st == SHC_ERR_LIMIT || st == SHC_ERR_INFLATE ||
				st == SHC_ERR_INFLATE_TOO_LARGE);
	if (st == SHC_ERR_JWE || st == SHC_ERR_JWE_DECRYPT || st == SHC_ERR_LIMIT)
		FUZZ_ASSERT(out.len == 0);
	shc_buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *in;
	shc_buf		b;
	shc_error	err;
	int			zip;

	if (size == 0)
		return 0;
	switch (data[0])
	{
		case 0x00:
			in = fuzz_dup(data + 1, size - 1);
			try_decrypt(in, size - 1);
			free(in);
			break;
		case 0x01:
			shc_buf_init(&b, NULL, 0);
			shc_b64url_encode(data + 1, size - 1, &b, &err);
			shc_buf_append_str(&b, tail);
			in = fuzz_dup((const uint8_t *) b.data, b.len);
			try_decrypt(in, b.len);
			free(in);
			shc_buf_free(&b);
			break;
		case 0x02:
			for (zip = 0; zip < 2; zip++)
			{
				shc_buf		out;
				shc_jwe_info info;

				shc_buf_init(&b, NULL, 0);
				FUZZ_ASSERT(shc_jwe_encrypt(key, "application/fhir+json",
											data + 1, size - 1, zip, &b,
											&err) == SHC_OK);
				in = fuzz_dup((const uint8_t *) b.data, b.len);
				shc_buf_init(&out, NULL, 0);
				FUZZ_ASSERT(shc_jwe_decrypt(in, b.len, 0, key, sizeof(key),
											size, &out, &info, &err) == SHC_OK);
				FUZZ_ASSERT(out.len == size - 1 &&
							(size == 1 || memcmp(out.data, data + 1, size - 1) == 0));
				FUZZ_ASSERT(info.zip == zip && info.has_cty);
				shc_buf_free(&out);
				free(in);
				shc_buf_free(&b);
			}
			break;
		default:
			in = fuzz_dup(data, size);
			try_decrypt(in, size);
			free(in);
			break;
	}
	return 0;
}
