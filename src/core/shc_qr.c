/*
 * shc_qr.c
 *		shc:/ numeric QR text, its strict decoding, and the deprecated
 *		chunked form (SHC-NOTES section 8, 8.1 and 12 step 1).
 */
#include "shc_qr.h"
#include "shc_b64url.h"

#include <stdlib.h>
#include <string.h>

bool
shc_jws_char_ok(unsigned char c)
{
	return shc_b64url_char(c) || c == '.';
}

shc_status
shc_jws_chars_check(const char *s, size_t n, shc_error *err)
{
	size_t		i;

	if (n == 0)
		return shc_error_set(err, SHC_ERR_JWS_CHARS, "The card is empty.");
	for (i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (!shc_jws_char_ok(c))
		{
			if (c > 0x20 && c < 0x7f)
				return shc_error_set(err, SHC_ERR_JWS_CHARS,
									 "Character \"%c\" at offset %zu cannot appear in a compact JWS.",
									 c, i);
			return shc_error_set(err, SHC_ERR_JWS_CHARS,
								 "Byte 0x%02x at offset %zu cannot appear in a compact JWS.",
								 c, i);
		}
	}
	return SHC_OK;
}

shc_status
shc_qr_numeric_encode(const char *jws, size_t n, int index, int total,
					  shc_buf *out, shc_error *err)
{
	shc_status	st;
	size_t		i;
	char	   *p;

	st = shc_jws_chars_check(jws, n, err);
	if (st != SHC_OK)
		return st;
	if (total < 1 || total > SHC_QR_MAX_CHUNKS || index < 1 || index > total)
		return shc_error_set(err, SHC_ERR_QR_CHUNKS,
							 "Chunk %d of %d is out of range.", index, total);
	shc_buf_append(out, SHC_QR_PREFIX, SHC_QR_PREFIX_LEN);
	if (total > 1)
	{
		char		hdr[16];
		int			hl = 0;

		/* decimal, no leading zeros: "C/N/" */
		if (index >= 10)
			hdr[hl++] = (char) ('0' + index / 10);
		hdr[hl++] = (char) ('0' + index % 10);
		hdr[hl++] = '/';
		if (total >= 10)
			hdr[hl++] = (char) ('0' + total / 10);
		hdr[hl++] = (char) ('0' + total % 10);
		hdr[hl++] = '/';
		shc_buf_append(out, hdr, (size_t) hl);
	}
	if (!shc_buf_reserve(out, 2 * n))
		return shc_buf_status(out, err);
	p = out->data + out->len;
	for (i = 0; i < n; i++)
	{
		/* SHC-NOTES 8: two digits of ord(c) - 45 */
		int			v = (unsigned char) jws[i] - 45;

		*p++ = (char) ('0' + v / 10);
		*p++ = (char) ('0' + v % 10);
	}
	out->len += 2 * n;
	out->data[out->len] = '\0';
	return shc_buf_status(out, err);
}

void
shc_qr_chunk_plan(size_t jws_len, int *nparts, size_t *part_len)
{
	size_t		n;

	if (jws_len <= SHC_QR_MAX_SINGLE_JWS)
	{
		*nparts = 1;
		*part_len = jws_len;
		return;
	}
	n = (jws_len + SHC_QR_MAX_CHUNK_JWS - 1) / SHC_QR_MAX_CHUNK_JWS;
	*nparts = (int) n;
	*part_len = (jws_len + n - 1) / n;
}

/* Parse a decimal without sign or leading zero; returns chars consumed. */
static size_t
parse_small_int(const char *s, size_t n, int *value)
{
	size_t		i = 0;
	int			v = 0;

	if (n == 0 || s[0] < '1' || s[0] > '9')
		return 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
	{
		if (i >= 4)
			return 0;			/* far beyond any allowed N */
		v = v * 10 + (s[i] - '0');
		i++;
	}
	*value = v;
	return i;
}

shc_status
shc_qr_parse(const char *s, size_t n, shc_qr_part *part, shc_error *err)
{
	size_t		pos = SHC_QR_PREFIX_LEN;
	const char *slash;

	memset(part, 0, sizeof(*part));
	if (n < SHC_QR_PREFIX_LEN || memcmp(s, SHC_QR_PREFIX, SHC_QR_PREFIX_LEN) != 0)
		return shc_error_set(err, SHC_ERR_QR_NUMERIC,
							 "The text does not start with \"shc:/\".");

	slash = memchr(s + pos, '/', n - pos);
	if (slash != NULL)
	{
		int			c = 0,
					t = 0;
		size_t		k;

		/* SHC-NOTES 8.1: "C/N/" with decimal C and N, no leading zeros */
		k = parse_small_int(s + pos, n - pos, &c);
		if (k == 0 || pos + k >= n || s[pos + k] != '/')
			return shc_error_set(err, SHC_ERR_QR_NUMERIC,
								 "The chunk header after \"shc:/\" must be \"C/N/\" with decimal numbers.");
		pos += k + 1;
		k = parse_small_int(s + pos, n - pos, &t);
		if (k == 0 || pos + k >= n || s[pos + k] != '/')
			return shc_error_set(err, SHC_ERR_QR_NUMERIC,
								 "The chunk header after \"shc:/\" must be \"C/N/\" with decimal numbers.");
		pos += k + 1;
		if (t > SHC_QR_MAX_CHUNKS)
			return shc_error_set(err, SHC_ERR_QR_CHUNKS,
								 "A card split into %d chunks exceeds the maximum of %d.",
								 t, SHC_QR_MAX_CHUNKS);
		if (c > t)
			return shc_error_set(err, SHC_ERR_QR_CHUNKS,
								 "Chunk index %d is outside 1..%d.", c, t);
		if (t == 1)
			return shc_error_set(err, SHC_ERR_QR_CHUNKS,
								 "A card that fits one QR code must not carry the chunk header \"1/1/\".");
		part->index = c;
		part->total = t;
	}
	part->digits = s + pos;
	part->ndigits = n - pos;
	return SHC_OK;
}

shc_status
shc_qr_digits_decode(const char *digits, size_t n, shc_buf *out,
					 shc_error *err)
{
	size_t		i;
	char	   *p;

	if (n == 0)
		return shc_error_set(err, SHC_ERR_QR_NUMERIC,
							 "No digits follow the \"shc:/\" prefix.");
	for (i = 0; i < n; i++)
		if (digits[i] < '0' || digits[i] > '9')
		{
			unsigned char c = (unsigned char) digits[i];

			if (c > 0x20 && c < 0x7f)
				return shc_error_set(err, SHC_ERR_QR_NUMERIC,
									 "Character \"%c\" at digit %zu is not a decimal digit.",
									 c, i);
			return shc_error_set(err, SHC_ERR_QR_NUMERIC,
								 "Byte 0x%02x at digit %zu is not a decimal digit.",
								 c, i);
		}
	if (n % 2 != 0)
		return shc_error_set(err, SHC_ERR_QR_NUMERIC,
							 "The number of digits (%zu) is odd.", n);
	if (!shc_buf_reserve(out, n / 2))
		return shc_buf_status(out, err);
	p = out->data + out->len;
	for (i = 0; i < n; i += 2)
	{
		int			v = (digits[i] - '0') * 10 + (digits[i + 1] - '0');

		/* SHC-NOTES 8: pairs above 77 are invalid */
		if (v > 77)
			return shc_error_set(err, SHC_ERR_QR_NUMERIC,
								 "Digit pair \"%02d\" at digit %zu is above 77.", v, i);
		/* [impl] and so are pairs that give no compact-JWS character */
		if (!shc_jws_char_ok((unsigned char) (v + 45)))
			return shc_error_set(err, SHC_ERR_QR_NUMERIC,
								 "Digit pair \"%02d\" at digit %zu decodes to \"%c\", which cannot appear in a compact JWS.",
								 v, i, v + 45);
		*p++ = (char) (v + 45);
	}
	out->len += n / 2;
	out->data[out->len] = '\0';
	return SHC_OK;
}

shc_status
shc_qr_decode_parts(const char *const *texts, const size_t *lens, int nparts,
					shc_buf *out, shc_error *err)
{
	shc_qr_part parts[SHC_QR_MAX_CHUNKS];
	int			order[SHC_QR_MAX_CHUNKS];
	int			total;
	int			i;
	shc_status	st;

	if (nparts <= 0)
		return shc_error_set(err, SHC_ERR_QR_CHUNKS, "No QR text was given.");
	if (nparts > SHC_QR_MAX_CHUNKS)
		return shc_error_set(err, SHC_ERR_QR_CHUNKS,
							 "%d QR texts exceed the maximum of %d chunks.",
							 nparts, SHC_QR_MAX_CHUNKS);

	for (i = 0; i < nparts; i++)
	{
		st = shc_qr_parse(texts[i], lens[i], &parts[i], err);
		if (st != SHC_OK)
		{
			if (nparts > 1 && err)
			{
				char		tmp[SHC_ERROR_DETAIL_LEN];

				memcpy(tmp, err->detail, sizeof(tmp));
				shc_error_set(err, st, "Element %d: %s", i + 1, tmp);
			}
			return st;
		}
	}

	if (nparts == 1 && parts[0].total == 0)
	{
		/* SHC-NOTES 8: one version-22 symbol holds at most 1195 characters */
		if (parts[0].ndigits > 2 * SHC_QR_MAX_SINGLE_JWS)
			return shc_error_set(err, SHC_ERR_QR_NUMERIC,
								 "The text holds %zu digits; a single QR code holds at most %d.",
								 parts[0].ndigits, 2 * SHC_QR_MAX_SINGLE_JWS);
		return shc_qr_digits_decode(parts[0].digits, parts[0].ndigits, out, err);
	}

	total = parts[0].total;
	for (i = 0; i < SHC_QR_MAX_CHUNKS; i++)
		order[i] = -1;
	for (i = 0; i < nparts; i++)
	{
		if (parts[i].total == 0)
			return shc_error_set(err, SHC_ERR_QR_CHUNKS,
								 "Element %d has no \"C/N/\" chunk header, but %d texts were given.",
								 i + 1, nparts);
		if (parts[i].total != total)
			return shc_error_set(err, SHC_ERR_QR_CHUNKS,
								 "Element %d belongs to a set of %d chunks, element 1 to a set of %d.",
								 i + 1, parts[i].total, total);
		if (order[parts[i].index - 1] >= 0)
			return shc_error_set(err, SHC_ERR_QR_CHUNKS,
								 "Chunk %d/%d appears more than once.",
								 parts[i].index, total);
		order[parts[i].index - 1] = i;
	}
	for (i = 0; i < total; i++)
		if (order[i] < 0)
			return shc_error_set(err, SHC_ERR_QR_CHUNKS,
								 "Chunk %d/%d is missing.", i + 1, total);
	if (nparts != total)		/* cannot happen after the checks above */
		return shc_error_set(err, SHC_ERR_QR_CHUNKS,
							 "Expected %d chunks, got %d.", total, nparts);

	for (i = 0; i < total; i++)
	{
		const shc_qr_part *p = &parts[order[i]];

		/* SHC-NOTES 8.1: a chunk holds at most 1191 JWS characters */
		if (p->ndigits > 2 * SHC_QR_MAX_CHUNK_JWS)
			return shc_error_set(err, SHC_ERR_QR_CHUNKS,
								 "Chunk %d/%d holds %zu characters, above the maximum of %d.",
								 p->index, total, p->ndigits / 2,
								 SHC_QR_MAX_CHUNK_JWS);
		st = shc_qr_digits_decode(p->digits, p->ndigits, out, err);
		if (st != SHC_OK)
		{
			if (err)
			{
				char		tmp[SHC_ERROR_DETAIL_LEN];

				memcpy(tmp, err->detail, sizeof(tmp));
				shc_error_set(err, st, "Chunk %d/%d: %s", p->index, total, tmp);
			}
			return st;
		}
	}
	return SHC_OK;
}
