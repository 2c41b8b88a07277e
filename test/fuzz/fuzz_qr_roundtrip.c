/*
 * fuzz_qr_roundtrip.c
 *		Property harness: any string x of compact-JWS characters survives
 *		shc_qr_chunk_plan + shc_qr_numeric_encode (one text, or the
 *		deprecated balanced chunks) + shc_qr_decode_parts with the chunks
 *		given in a scrambled order: decode(encode(x)) == x.  The input bytes
 *		are mapped onto the 65 JWS characters; the first byte picks the
 *		order of the chunks.
 */
#include "fuzz.h"
#include "shc_qr.h"

static const char jws_alphabet[] =
"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *x;
	size_t		n,
				i,
				part_len;
	int			nparts,
				c,
				rot;
	shc_buf		texts[SHC_QR_MAX_CHUNKS];
	char	   *ptrs[SHC_QR_MAX_CHUNKS];
	size_t		lens[SHC_QR_MAX_CHUNKS];
	shc_buf		out;
	shc_error	err;

	if (size < 2)
		return 0;
	rot = data[0];
	n = size - 1;
	x = malloc(n);
	for (i = 0; i < n; i++)
		x[i] = jws_alphabet[data[i + 1] % (sizeof(jws_alphabet) - 1)];

	shc_qr_chunk_plan(n, &nparts, &part_len);
	if (nparts > SHC_QR_MAX_CHUNKS)
	{
		free(x);
		return 0;
	}
	FUZZ_ASSERT(nparts >= 1 && part_len >= 1 &&
				(nparts == 1 ? n <= SHC_QR_MAX_SINGLE_JWS
				 : part_len <= SHC_QR_MAX_CHUNK_JWS));
	for (c = 0; c < nparts; c++)
	{
		size_t		off = (size_t) c * part_len;
		size_t		len = off + part_len <= n ? part_len : n - off;
		int			slot = (c + rot) % nparts;

		FUZZ_ASSERT(off < n);
		shc_buf_init(&texts[slot], NULL, 0);
		FUZZ_ASSERT(shc_qr_numeric_encode(x + off, len, c + 1, nparts,
										  &texts[slot], &err) == SHC_OK);
		/* exact-size copies so ASan sees reads past the end */
		ptrs[slot] = fuzz_dup((const uint8_t *) texts[slot].data, texts[slot].len);
		lens[slot] = texts[slot].len;
	}
	FUZZ_ASSERT((size_t) (nparts - 1) * part_len < n);

	shc_buf_init(&out, NULL, 0);
	FUZZ_ASSERT(shc_qr_decode_parts((const char *const *) ptrs, lens, nparts,
									&out, &err) == SHC_OK);
	FUZZ_ASSERT(out.len == n && memcmp(out.data, x, n) == 0);
	shc_buf_free(&out);
	for (c = 0; c < nparts; c++)
	{
		shc_buf_free(&texts[c]);
		free(ptrs[c]);
	}
	free(x);
	return 0;
}
