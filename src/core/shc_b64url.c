/*
 * shc_b64url.c
 *		Strict base64url without padding: RFC 4648 section 5 alphabet, the
 *		"no padding" rule of RFC 7515 section 2 and the canonical-encoding
 *		rule of RFC 4648 section 3.5 (trailing bits must be zero).
 */
#include "shc_b64url.h"

#include <string.h>

static const char enc_table[64] =
"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* -1: not in the alphabet (shc_b64url_char) */
const int8_t shc_b64url_dec_table[256] = {
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1,
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
	-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, 63,
	-1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};

size_t
shc_b64url_encode_to(const uint8_t *in, size_t n, char *dst)
{
	char	   *p = dst;
	size_t		i = 0;

	for (; i + 3 <= n; i += 3)
	{
		uint32_t	v = ((uint32_t) in[i] << 16) | ((uint32_t) in[i + 1] << 8) | in[i + 2];

		*p++ = enc_table[(v >> 18) & 63];
		*p++ = enc_table[(v >> 12) & 63];
		*p++ = enc_table[(v >> 6) & 63];
		*p++ = enc_table[v & 63];
	}
	if (n - i == 1)
	{
		uint32_t	v = (uint32_t) in[i] << 16;

		*p++ = enc_table[(v >> 18) & 63];
		*p++ = enc_table[(v >> 12) & 63];
	}
	else if (n - i == 2)
	{
		uint32_t	v = ((uint32_t) in[i] << 16) | ((uint32_t) in[i + 1] << 8);

		*p++ = enc_table[(v >> 18) & 63];
		*p++ = enc_table[(v >> 12) & 63];
		*p++ = enc_table[(v >> 6) & 63];
	}
	*p = '\0';
	return (size_t) (p - dst);
}

shc_status
shc_b64url_encode(const uint8_t *in, size_t n, shc_buf *out, shc_error *err)
{
	size_t		elen = SHC_B64URL_ENCODED_LEN(n);

	if (!shc_buf_reserve(out, elen))
		return shc_buf_status(out, err);
	out->len += shc_b64url_encode_to(in, n, out->data + out->len);
	return SHC_OK;
}

static shc_status
bad_symbol(shc_error *err, const char *in, size_t pos)
{
	unsigned char c = (unsigned char) in[pos];

	if (c == '=')
		return shc_error_set(err, SHC_ERR_B64URL,
							 "Padding \"=\" at offset %zu is not allowed in base64url.", pos);
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
		return shc_error_set(err, SHC_ERR_B64URL,
							 "White space at offset %zu is not allowed in base64url.", pos);
	if (c == '+' || c == '/')
		return shc_error_set(err, SHC_ERR_B64URL,
							 "Symbol \"%c\" at offset %zu belongs to standard base64, not base64url.",
							 c, pos);
	if (c >= 0x21 && c < 0x7f)
		return shc_error_set(err, SHC_ERR_B64URL,
							 "Invalid symbol \"%c\" at offset %zu.", c, pos);
	return shc_error_set(err, SHC_ERR_B64URL,
						 "Invalid byte 0x%02x at offset %zu.", c, pos);
}

shc_status
shc_b64url_decode_to(const char *in, size_t n, uint8_t *dst, size_t *dstlen,
					 shc_error *err)
{
	const unsigned char *s = (const unsigned char *) in;
	uint8_t    *p = dst;
	size_t		i = 0;
	size_t		rem = n % 4;

	*dstlen = 0;
	for (; i + 4 <= n; i += 4)
	{
		int			a = shc_b64url_dec_table[s[i]],
					b = shc_b64url_dec_table[s[i + 1]],
					c = shc_b64url_dec_table[s[i + 2]],
					d = shc_b64url_dec_table[s[i + 3]];

		if ((a | b | c | d) < 0)
		{
			size_t		k = i;

			while (shc_b64url_dec_table[s[k]] >= 0)
				k++;
			return bad_symbol(err, in, k);
		}
		*p++ = (uint8_t) ((a << 2) | (b >> 4));
		*p++ = (uint8_t) ((b << 4) | (c >> 2));
		*p++ = (uint8_t) ((c << 6) | d);
	}
	if (rem == 1)
	{
		if (shc_b64url_dec_table[s[i]] < 0)
			return bad_symbol(err, in, i);
		return shc_error_set(err, SHC_ERR_B64URL,
							 "A length of %zu characters cannot be base64url.", n);
	}
	if (rem >= 2)
	{
		int			a = shc_b64url_dec_table[s[i]],
					b = shc_b64url_dec_table[s[i + 1]],
					c = rem == 3 ? shc_b64url_dec_table[s[i + 2]] : 0;

		if (a < 0)
			return bad_symbol(err, in, i);
		if (b < 0)
			return bad_symbol(err, in, i + 1);
		if (c < 0)
			return bad_symbol(err, in, i + 2);
		/* RFC 4648 section 3.5: the unused low bits must be zero */
		if ((rem == 2 && (b & 0x0f)) || (rem == 3 && (c & 0x03)))
			return shc_error_set(err, SHC_ERR_B64URL,
								 "The last symbol has non-zero trailing bits.");
		*p++ = (uint8_t) ((a << 2) | (b >> 4));
		if (rem == 3)
			*p++ = (uint8_t) ((b << 4) | (c >> 2));
	}
	*dstlen = (size_t) (p - dst);
	return SHC_OK;
}

shc_status
shc_b64url_decode(const char *in, size_t n, shc_buf *out, shc_error *err)
{
	size_t		dlen;
	shc_status	st;

	if (!shc_buf_reserve(out, SHC_B64URL_DECODED_MAX(n)))
		return shc_buf_status(out, err);
	st = shc_b64url_decode_to(in, n, (uint8_t *) out->data + out->len,
							  &dlen, err);
	if (st != SHC_OK)
		return st;
	out->len += dlen;
	out->data[out->len] = '\0';
	return SHC_OK;
}
