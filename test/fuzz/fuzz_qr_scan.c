/*
 * fuzz_qr_scan.c
 *		shc_qr_scan_image over arbitrary bytes: the image path of
 *		shc_qr_scan() (PNG with libpng, JPEG with libjpeg-turbo, QR codes
 *		with zbar).  Input: the image.  Limits as the SQL function passes
 *		them, but small (64 kB, 512 x 512 pixels) so one run stays fast.
 *		Properties: no crash, no leak of the core's allocations; a failure
 *		is SHC_ERR_IMAGE or SHC_ERR_LIMIT (never INTERNAL); a success gives
 *		at most SHC_QRSCAN_MAX_SYMBOLS texts, each inside the result buffer
 *		and NUL-terminated; decoding alone gives the same verdict and a
 *		grey image within the pixel limit.
 */
#include "fuzz.h"
#include "shc_qrscan.h"

#define MAX_BYTES (64 * 1024)
#define MAX_PIXELS (512 * 512)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_counter cnt;
	shc_allocator a = fuzz_counting_allocator(&cnt);
	uint8_t    *in = (uint8_t *) fuzz_dup(data, size);
	shc_qrscan_result res;
	shc_grey_image g;
	shc_error	err;
	shc_status	st,
				st2;
	int			i;

	st = shc_qr_scan_image(in, size, MAX_BYTES, MAX_PIXELS, &a, &res, &err);
	if (st == SHC_OK)
	{
		FUZZ_ASSERT(res.count >= 0 && res.count <= SHC_QRSCAN_MAX_SYMBOLS);
		for (i = 0; i < res.count; i++)
		{
			FUZZ_ASSERT(res.off[i] + res.len[i] < res.buf.len + 1);
			FUZZ_ASSERT(res.buf.data[res.off[i] + res.len[i]] == '\0');
		}
		shc_qrscan_result_free(&res);
	}
	else
		FUZZ_ASSERT(st == SHC_ERR_IMAGE || st == SHC_ERR_LIMIT || st == SHC_ERR_NOMEM);
	FUZZ_ASSERT(cnt.live == 0);

	st2 = shc_image_decode_grey(in, size, MAX_BYTES, MAX_PIXELS, &a, &g, &err);
	if (st2 == SHC_OK)
	{
		FUZZ_ASSERT((uint64_t) g.width * g.height <= MAX_PIXELS);
		FUZZ_ASSERT(g.pixels != NULL);
		shc_grey_image_free(&g);
	}
	else
	{
		FUZZ_ASSERT(st2 == st);
		FUZZ_ASSERT(g.pixels == NULL);
	}
	FUZZ_ASSERT(cnt.live == 0);
	free(in);
	return 0;
}
