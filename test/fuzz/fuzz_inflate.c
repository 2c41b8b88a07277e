/*
 * fuzz_inflate.c
 *		shc_inflate_raw with a small cap on arbitrary bytes.  Input: one
 *		byte choosing the cap ((b + 1) * 16, 16..4080 bytes, or SIZE_MAX,
 *		"no cap", for 0xff), then the stream.  Properties: no crash; the output never exceeds the cap; the
 *		memory the decoder holds stays within three times the cap
 *		whatever the stream claims (a DEFLATE bomb costs at most the cap);
 *		on failure the caller's buffer is left exactly as it was; the cap
 *		changes nothing but SHC_ERR_INFLATE_TOO_LARGE (a stream accepted
 *		under a cap gives the same bytes with no cap, SIZE_MAX); on success
 *		the output deflates and inflates back to itself.
 */
#include "fuzz.h"
#include "shc_deflate.h"

#define PREFIX "keep"
#define PREFIX_LEN 4

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_counter cnt;
	shc_allocator a = fuzz_counting_allocator(&cnt);
	size_t		cap;
	uint8_t    *in;
	shc_buf		out;
	shc_error	err;
	shc_status	st;

	if (size < 1)
		return 0;
	cap = data[0] == 0xff ? SIZE_MAX : ((size_t) data[0] + 1) * 16;
	in = (uint8_t *) fuzz_dup(data + 1, size - 1);

	shc_buf_init(&out, &a, 0);
	shc_buf_append(&out, PREFIX, PREFIX_LEN);
	st = shc_inflate_raw(in, size - 1, cap, &out, &err);

	/*
	 * The decoder never asks for more than cap + 1 bytes of output (plus
	 * the NUL); the buffer grows geometrically from 256, so it holds at
	 * most twice that, and a realloc briefly holds old and new blocks.
	 */
	FUZZ_ASSERT(cap == SIZE_MAX || cnt.peak <= 3 * (PREFIX_LEN + cap + 2) + 256);
	FUZZ_ASSERT(memcmp(out.data, PREFIX, PREFIX_LEN) == 0);
	FUZZ_ASSERT(out.data[out.len] == '\0');
	if (st == SHC_OK)
	{
		shc_buf		z,
					again;

		FUZZ_ASSERT(out.len - PREFIX_LEN <= cap);
		if (cap != SIZE_MAX)
		{
			shc_buf		nocap;

			shc_buf_init(&nocap, NULL, 0);
			FUZZ_ASSERT(shc_inflate_raw(in, size - 1, SIZE_MAX, &nocap, &err) == SHC_OK);
			FUZZ_ASSERT(nocap.len == out.len - PREFIX_LEN &&
						memcmp(nocap.data, out.data + PREFIX_LEN, nocap.len) == 0);
			shc_buf_free(&nocap);
		}
		shc_buf_init(&z, NULL, 0);
		shc_buf_init(&again, NULL, 0);
		FUZZ_ASSERT(shc_deflate_raw((const uint8_t *) out.data + PREFIX_LEN,
									out.len - PREFIX_LEN, 9, &z, &err) == SHC_OK);
		FUZZ_ASSERT(shc_inflate_raw((const uint8_t *) z.data, z.len,
									out.len - PREFIX_LEN, &again, &err) == SHC_OK);
		FUZZ_ASSERT(again.len == out.len - PREFIX_LEN &&
					memcmp(again.data, out.data + PREFIX_LEN, again.len) == 0);
		shc_buf_free(&z);
		shc_buf_free(&again);
	}
	else
	{
		FUZZ_ASSERT(st == SHC_ERR_INFLATE || st == SHC_ERR_INFLATE_TOO_LARGE);
		FUZZ_ASSERT(out.len == PREFIX_LEN);
	}
	shc_buf_free(&out);
	FUZZ_ASSERT(cnt.live == 0);
	free(in);
	return 0;
}
