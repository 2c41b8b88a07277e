/*
 * fuzz_qr_decode.c
 *		shc:/ numeric QR texts, single and chunked: the input is split on
 *		'\n' into up to SHC_QR_MAX_CHUNKS + 2 texts (each its own heap copy
 *		of exactly its bytes) and handed to shc_qr_parse one by one and to
 *		shc_qr_decode_parts as a set.  Properties: no crash or overread; a
 *		parsed header is in range and the digits lie inside the text; a
 *		decoded card holds only compact-JWS characters, one per digit pair;
 *		and decoding is canonical: re-encoding a decoded text (with its
 *		C/N/ header) gives back exactly the text.
 */
#include "fuzz.h"
#include "shc_qr.h"

#define MAXT (SHC_QR_MAX_CHUNKS + 2)

/* encode(decode(text)) == text for one text that parsed and decoded */
static void
check_canonical(const char *text, size_t n, const shc_qr_part *p)
{
	shc_buf		jws,
				enc;
	shc_error	err;

	shc_buf_init(&jws, NULL, 0);
	if (shc_qr_digits_decode(p->digits, p->ndigits, &jws, &err) == SHC_OK)
	{
		FUZZ_ASSERT(jws.len * 2 == p->ndigits);
		FUZZ_ASSERT(shc_jws_chars_check(jws.data, jws.len, &err) == SHC_OK);
		shc_buf_init(&enc, NULL, 0);
		FUZZ_ASSERT(shc_qr_numeric_encode(jws.data, jws.len,
										  p->total ? p->index : 1,
										  p->total ? p->total : 1,
										  &enc, &err) == SHC_OK);
		FUZZ_ASSERT(enc.len == n && memcmp(enc.data, text, n) == 0);
		shc_buf_free(&enc);
	}
	else
		FUZZ_ASSERT(jws.len == 0);
	shc_buf_free(&jws);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *texts[MAXT];
	size_t		lens[MAXT];
	size_t		sum = 0;
	int			k,
				i;
	shc_buf		out;
	shc_error	err;
	shc_status	st;

	k = fuzz_split(data, size, MAXT, texts, lens);
	for (i = 0; i < k; i++)
	{
		shc_qr_part p;

		st = shc_qr_parse(texts[i], lens[i], &p, &err);
		if (st != SHC_OK)
		{
			FUZZ_ASSERT(st == SHC_ERR_QR_NUMERIC || st == SHC_ERR_QR_CHUNKS);
			continue;
		}
		FUZZ_ASSERT(p.digits >= texts[i] && p.digits + p.ndigits == texts[i] + lens[i]);
		FUZZ_ASSERT(p.total == 0 ? p.index == 0 :
					(p.total >= 2 && p.total <= SHC_QR_MAX_CHUNKS &&
					 p.index >= 1 && p.index <= p.total));
		sum += p.ndigits;
		check_canonical(texts[i], lens[i], &p);
	}

	shc_buf_init(&out, NULL, 0);
	st = shc_qr_decode_parts((const char *const *) texts, lens, k, &out, &err);
	if (st == SHC_OK)
	{
		FUZZ_ASSERT(out.len * 2 == sum);
		FUZZ_ASSERT(shc_jws_chars_check(out.data, out.len, &err) == SHC_OK);
		FUZZ_ASSERT(k == 1 ? out.len <= SHC_QR_MAX_SINGLE_JWS
					: out.len <= (size_t) k * SHC_QR_MAX_CHUNK_JWS);
	}
	else
		FUZZ_ASSERT(st == SHC_ERR_QR_NUMERIC || st == SHC_ERR_QR_CHUNKS);
	shc_buf_free(&out);
	fuzz_free_fields(texts, k);
	return 0;
}
