/*
 * fuzz_deflate_roundtrip.c
 *		Property harness: for any bytes x and any level,
 *		inflate(deflate(x)) == x with a cap of exactly |x|, and a cap one
 *		byte smaller is refused with SHC_ERR_INFLATE_TOO_LARGE.  Input: one
 *		byte choosing the level (1..9), then x.
 */
#include "fuzz.h"
#include "shc_deflate.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int			level;
	uint8_t    *x;
	size_t		n;
	shc_buf		z,
				back;
	shc_error	err;

	if (size < 1)
		return 0;
	level = data[0] % 9 + 1;
	n = size - 1;
	x = (uint8_t *) fuzz_dup(data + 1, n);

	shc_buf_init(&z, NULL, 0);
	FUZZ_ASSERT(shc_deflate_raw(x, n, level, &z, &err) == SHC_OK);
	FUZZ_ASSERT(z.len > 0);

	shc_buf_init(&back, NULL, 0);
	FUZZ_ASSERT(shc_inflate_raw((const uint8_t *) z.data, z.len, n, &back,
								&err) == SHC_OK);
	FUZZ_ASSERT(back.len == n && (n == 0 || memcmp(back.data, x, n) == 0));
	shc_buf_free(&back);

	if (n > 0)
	{
		shc_buf_init(&back, NULL, 0);
		FUZZ_ASSERT(shc_inflate_raw((const uint8_t *) z.data, z.len, n - 1,
									&back, &err) == SHC_ERR_INFLATE_TOO_LARGE);
		FUZZ_ASSERT(back.len == 0);
		shc_buf_free(&back);
	}
	shc_buf_free(&z);
	free(x);
	return 0;
}
