/*
 * shc_jws.c
 *		Compact JWS split and sign (RFC 7515 section 7.1, SHC-NOTES 1-4).
 */
#include "shc_jws.h"
#include "shc_b64url.h"
#include "shc_deflate.h"

#include <string.h>

/*
 * Character classes of a compact JWS, one table look-up per character (the
 * split runs over every byte of every card a verifier sees): 1 for the
 * base64url alphabet, 3 for '.', 0 for everything else (bit 0: allowed).
 */
static const uint8_t jws_class[256] = {
	['-'] = 1, ['_'] = 1, ['.'] = 3,
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
	['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
	['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
	['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
};

static shc_status
bad_char(shc_error *err, unsigned char c, size_t i)
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

	/*
	 * The common case first, without a branch per character: every byte
	 * in the alphabet or a dot (an AND of table classes, eight bytes a
	 * step), and exactly two dots (memchr).  Anything else takes the loop
	 * below, which says exactly what is wrong and where.
	 */
	{
		const unsigned char *u = (const unsigned char *) jws;
		uint8_t		ok = 1;
		const char *d0,
				   *d1;

		for (i = 0; i + 8 <= n; i += 8)
			ok &= jws_class[u[i]] & jws_class[u[i + 1]] & jws_class[u[i + 2]] &
				jws_class[u[i + 3]] & jws_class[u[i + 4]] & jws_class[u[i + 5]] &
				jws_class[u[i + 6]] & jws_class[u[i + 7]];
		for (; i < n; i++)
			ok &= jws_class[u[i]];
		if (ok &&
			(d0 = memchr(jws, '.', n)) != NULL &&
			(d1 = memchr(d0 + 1, '.', n - (size_t) (d0 + 1 - jws))) != NULL &&
			memchr(d1 + 1, '.', n - (size_t) (d1 + 1 - jws)) == NULL)
		{
			dots[0] = (size_t) (d0 - jws);
			dots[1] = (size_t) (d1 - jws);
			ndots = 2;
			goto split;
		}
	}
	for (i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) jws[i];
		uint8_t		cls = jws_class[c];

		if (cls == 1)
			continue;
		if (cls == 0)
			return bad_char(err, c, i);
		if (ndots == 2)
			return shc_error_set(err, SHC_ERR_JWS_FORMAT,
								 "A compact JWS has exactly three segments; this one has more.");
		dots[ndots++] = i;
	}
	if (ndots != 2)
		return shc_error_set(err, SHC_ERR_JWS_FORMAT,
							 "A compact JWS has exactly three segments separated by \".\"; this one has %d.",
							 ndots + 1);
split:
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
