/*
 * shc_jws.c
 *		Compact JWS split and sign (RFC 7515 section 7.1, SHC-NOTES 1-4).
 */
#include "shc_jws.h"
#include "shc_b64url.h"
#include "shc_deflate.h"
#include "shc_qr.h"

#include <string.h>

static bool
is_b64url_char(unsigned char c)
{
	return shc_jws_char_ok(c) && c != '.';
}

shc_status
shc_jws_split(const char *jws, size_t n, size_t max_len, shc_jws_parts *parts,
			  shc_error *err)
{
	size_t		dots[2];
	int			ndots = 0;
	size_t		i;

	memset(parts, 0, sizeof(*parts));
	if (max_len && n > max_len)
		return shc_error_set(err, SHC_ERR_LIMIT,
							 "The card has %zu characters; the maximum is %zu.",
							 n, max_len);
	if (n == 0)
		return shc_error_set(err, SHC_ERR_JWS_FORMAT, "The card is empty.");
	for (i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) jws[i];

		if (c == '.')
		{
			if (ndots == 2)
				return shc_error_set(err, SHC_ERR_JWS_FORMAT,
									 "A compact JWS has exactly three segments; this one has more.");
			dots[ndots++] = i;
		}
		else if (!is_b64url_char(c))
		{
			if (c == '=')
				return shc_error_set(err, SHC_ERR_JWS_FORMAT,
									 "Padding \"=\" at offset %zu is not allowed in a compact JWS.", i);
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
				return shc_error_set(err, SHC_ERR_JWS_FORMAT,
									 "White space at offset %zu is not allowed in a compact JWS.", i);
			if (c > 0x20 && c < 0x7f)
				return shc_error_set(err, SHC_ERR_JWS_FORMAT,
									 "Character \"%c\" at offset %zu is not base64url.", c, i);
			return shc_error_set(err, SHC_ERR_JWS_FORMAT,
								 "Byte 0x%02x at offset %zu is not base64url.", c, i);
		}
	}
	if (ndots != 2)
		return shc_error_set(err, SHC_ERR_JWS_FORMAT,
							 "A compact JWS has exactly three segments separated by \".\"; this one has %d.",
							 ndots + 1);
	if (dots[0] == 0 || dots[1] == dots[0] + 1 || dots[1] == n - 1)
		return shc_error_set(err, SHC_ERR_JWS_FORMAT,
							 "The %s segment of the compact JWS is empty.",
							 dots[0] == 0 ? "header" : dots[1] == dots[0] + 1 ? "payload" : "signature");
	parts->header = jws;
	parts->header_len = dots[0];
	parts->payload = jws + dots[0] + 1;
	parts->payload_len = dots[1] - dots[0] - 1;
	parts->signature = jws + dots[1] + 1;
	parts->signature_len = n - dots[1] - 1;
	parts->signing_input_len = dots[1];
	return SHC_OK;
}

shc_status
shc_jws_sign(const char *header_json, size_t header_len,
			 const uint8_t *payload, size_t payload_len, bool deflate,
			 const shc_ec_key *key, shc_buf *out, shc_error *err)
{
	size_t		start = out->len;
	uint8_t		sig[SHC_ES256_SIG_LEN];
	shc_status	st;

	st = shc_b64url_encode((const uint8_t *) header_json, header_len, out, err);
	if (st != SHC_OK)
		return st;
	shc_buf_append_char(out, '.');
	if (deflate)
	{
		shc_buf		z;

		/* SHC-NOTES 4.1: raw DEFLATE at the strongest level */
		shc_buf_init(&z, out->a, 0);
		st = shc_deflate_raw(payload, payload_len, 9, &z, err);
		if (st == SHC_OK)
			st = shc_b64url_encode((const uint8_t *) z.data, z.len, out, err);
		shc_buf_free(&z);
	}
	else
		st = shc_b64url_encode(payload, payload_len, out, err);
	if (st == SHC_OK)
		st = shc_buf_status(out, err);
	if (st != SHC_OK)
		return st;

	/* SHC-NOTES 3: sign the ASCII of header "." payload exactly */
	st = shc_es256_sign(key, (const uint8_t *) out->data + start,
						out->len - start, sig, err);
	if (st != SHC_OK)
		return st;
	shc_buf_append_char(out, '.');
	st = shc_b64url_encode(sig, sizeof(sig), out, err);
	if (st == SHC_OK)
		st = shc_buf_status(out, err);
	return st;
}
