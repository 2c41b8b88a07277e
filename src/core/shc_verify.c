/*
 * shc_verify.c
 *		Postgres-free verification rules: outcome names, JSON pre-check,
 *		signature shape and check over the received bytes, time rules, rid
 *		syntax and the CRL timestamp rule (SHC-NOTES 3, 4, 10, 12).
 */
#include "shc_verify.h"
#include "shc_b64url.h"
#include "shc_es256.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const outcome_names[SHC_V_COUNT] = {
	"valid", "malformed", "bad_signature", "unknown_issuer", "unknown_key",
	"expired", "not_yet_valid", "revoked", "no_crl"
};

const char *
shc_outcome_name(shc_outcome o)
{
	if ((int) o < 0 || o >= SHC_V_COUNT)
		return "malformed";
	return outcome_names[o];
}

shc_status
shc_json_precheck(const char *s, size_t n, int max_depth, shc_error *err)
{
	size_t		i = 0;
	int			depth = 0;

	/* SHC-NOTES 4.1: no BOM in front of the payload */
	if (n >= 3 && (unsigned char) s[0] == 0xEF && (unsigned char) s[1] == 0xBB &&
		(unsigned char) s[2] == 0xBF)
		return shc_error_set(err, SHC_ERR_JSON,
							 "The JSON text starts with a UTF-8 byte order mark.");
	while (i < n)
	{
		unsigned char c = (unsigned char) s[i];

		if (c == '\0')
			return shc_error_set(err, SHC_ERR_JSON,
								 "The JSON text contains a NUL byte at offset %zu.", i);
		if (c == '"')
		{
			/* skip the string; escapes are validated by the parser */
			i++;
			while (i < n && s[i] != '"')
			{
				if (s[i] == '\0')
					return shc_error_set(err, SHC_ERR_JSON,
										 "The JSON text contains a NUL byte at offset %zu.", i);
				if (s[i] == '\\' && i + 1 < n)
					i++;
				i++;
			}
			i++;
			continue;
		}
		if (c == '[' || c == '{')
		{
			if (++depth > max_depth)
				return shc_error_set(err, SHC_ERR_JSON,
									 "The JSON text nests deeper than %d levels.", max_depth);
		}
		else if (c == ']' || c == '}')
			depth--;
		else if (c == '-' || (c >= '0' && c <= '9'))
		{
			size_t		start = i;
			long		expo = 0;
			bool		in_exp = false;

			while (i < n && (s[i] == '-' || s[i] == '+' || s[i] == '.' ||
							 s[i] == 'e' || s[i] == 'E' ||
							 (s[i] >= '0' && s[i] <= '9')))
			{
				if (s[i] == 'e' || s[i] == 'E')
					in_exp = true;
				else if (in_exp && s[i] >= '0' && s[i] <= '9' && expo <= SHC_JSON_MAX_EXPONENT)
					expo = expo * 10 + (s[i] - '0');
				i++;
			}
			if (i - start > SHC_JSON_MAX_NUMBER_LEN)
				return shc_error_set(err, SHC_ERR_JSON,
									 "The number at offset %zu has more than %d characters.",
									 start, SHC_JSON_MAX_NUMBER_LEN);
			if (expo > SHC_JSON_MAX_EXPONENT)
				return shc_error_set(err, SHC_ERR_JSON,
									 "The number at offset %zu has an exponent beyond %d.",
									 start, SHC_JSON_MAX_EXPONENT);
			continue;
		}
		i++;
	}
	return SHC_OK;
}

shc_status
shc_jws_verify_signature(const char *jws, const shc_jws_parts *p,
						 const shc_ec_key *key, shc_error *err)
{
	uint8_t		sig[SHC_B64URL_DECODED_MAX(96)];
	size_t		siglen;
	shc_error	e2;

	/* 86 characters are 64 bytes; anything much longer cannot be ES256 */
	if (p->signature_len > 96)
		return shc_error_set(err, SHC_ERR_JWS_FORMAT,
							 "The signature segment has %zu characters; an ES256 signature has 86.",
							 p->signature_len);
	if (shc_b64url_decode_to(p->signature, p->signature_len, sig, &siglen, &e2) != SHC_OK)
		return shc_error_set(err, SHC_ERR_JWS_FORMAT,
							 "The signature segment is not valid base64url.");
	/* SHC-NOTES 3: exactly 64 raw bytes r||s; DER is rejected */
	if (siglen != SHC_ES256_SIG_LEN)
	{
		if (siglen > SHC_ES256_SIG_LEN && sig[0] == 0x30)
			return shc_error_set(err, SHC_ERR_JWS_FORMAT,
								 "The signature is %zu bytes and looks like DER; ES256 requires the raw 64-byte r||s form.",
								 siglen);
		return shc_error_set(err, SHC_ERR_JWS_FORMAT,
							 "The signature is %zu bytes; ES256 requires exactly 64.",
							 siglen);
	}
	if (key == NULL)
		return SHC_OK;
	/* SHC-NOTES 3: over the exact received bytes, never re-serialized */
	return shc_es256_verify(key, (const uint8_t *) jws, p->signing_input_len,
							sig, siglen, err);
}

static bool
date_ok(double v)
{
	return isfinite(v) && v >= 0 && v < SHC_NUMERICDATE_MS_THRESHOLD;
}

shc_outcome
shc_check_times(double nbf, bool has_exp, double exp, double at, int skew,
				char *reason, size_t reasonlen)
{
	if (!date_ok(nbf))
	{
		if (isfinite(nbf) && nbf >= SHC_NUMERICDATE_MS_THRESHOLD)
			snprintf(reason, reasonlen,
					 "The nbf claim %.0f is not in seconds (it looks like milliseconds).", nbf);
		else
			snprintf(reason, reasonlen,
					 "The nbf claim is not a NumericDate in seconds since 1970.");
		return SHC_V_MALFORMED;
	}
	if (has_exp)
	{
		if (!date_ok(exp))
		{
			if (isfinite(exp) && exp >= SHC_NUMERICDATE_MS_THRESHOLD)
				snprintf(reason, reasonlen,
						 "The exp claim %.0f is not in seconds (it looks like milliseconds).", exp);
			else
				snprintf(reason, reasonlen,
						 "The exp claim is not a NumericDate in seconds since 1970.");
			return SHC_V_MALFORMED;
		}
		if (exp <= nbf)
		{
			snprintf(reason, reasonlen, "The exp claim is not after the nbf claim.");
			return SHC_V_MALFORMED;
		}
	}
	if (nbf > at + (double) skew)
	{
		snprintf(reason, reasonlen,
				 "The card is not valid before its nbf, %.0f seconds after the verification time.",
				 ceil(nbf - at));
		return SHC_V_NOT_YET_VALID;
	}
	if (has_exp && exp <= at)
	{
		snprintf(reason, reasonlen, "The card expired (exp) before the verification time.");
		return SHC_V_EXPIRED;
	}
	reason[0] = '\0';
	return SHC_V_VALID;
}

static bool
b64url_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		(c >= '0' && c <= '9') || c == '-' || c == '_';
}

bool
shc_rid_ok(const char *rid, size_t n)
{
	size_t		i;

	if (n == 0 || n > SHC_RID_MAX_LEN)
		return false;
	for (i = 0; i < n; i++)
		if (!b64url_char((unsigned char) rid[i]))
			return false;
	return true;
}

shc_status
shc_crl_entry_parse(const char *entry, size_t n, size_t *ridlen, bool *has_ts,
					double *ts, shc_error *err)
{
	const char *dot = memchr(entry, '.', n);
	size_t		rl = dot ? (size_t) (dot - entry) : n;
	char		buf[64];
	size_t		tl,
				i;
	int			ndots = 0;
	char	   *end;

	*has_ts = false;
	*ts = 0;
	*ridlen = rl;
	if (!shc_rid_ok(entry, rl))
		return shc_error_set(err, SHC_ERR_JSON,
							 "A revoked rid must be 1 to %d base64url characters.",
							 SHC_RID_MAX_LEN);
	if (dot == NULL)
		return SHC_OK;
	tl = n - rl - 1;
	if (tl == 0 || tl >= sizeof(buf))
		return shc_error_set(err, SHC_ERR_JSON,
							 "The timestamp after a revoked rid must be a NumericDate in seconds.");
	for (i = 0; i < tl; i++)
	{
		char		c = dot[1 + i];

		if (c == '.' && i > 0 && i + 1 < tl && ndots++ == 0)
			continue;
		if (c < '0' || c > '9')
			return shc_error_set(err, SHC_ERR_JSON,
								 "The timestamp after a revoked rid must be a NumericDate in seconds.");
	}
	memcpy(buf, dot + 1, tl);
	buf[tl] = '\0';
	*ts = strtod(buf, &end);
	if (*end != '\0' || !date_ok(*ts))
		return shc_error_set(err, SHC_ERR_JSON,
							 "The timestamp after a revoked rid must be a NumericDate in seconds.");
	*has_ts = true;
	return SHC_OK;
}

bool
shc_crl_revokes(bool has_ts, double ts, double nbf)
{
	/* SHC-NOTES 10: no timestamp revokes all; else nbf strictly before */
	return !has_ts || nbf < ts;
}
