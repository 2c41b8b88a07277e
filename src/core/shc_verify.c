/*
 * shc_verify.c
 *		Postgres-free verification rules: outcome names, JSON pre-check,
 *		signature shape and check over the received bytes, time rules, rid
 *		syntax and the CRL timestamp rule (SHC-NOTES 3, 4, 10, 12).
 */
#include "shc_verify.h"
#include "shc_b64url.h"
#include "shc_es256.h"
#include "shc_card.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const outcome_names[SHC_V_COUNT] = {
	"valid", "malformed", "bad_signature", "unknown_issuer", "unknown_key",
	"expired", "not_yet_valid", "revoked", "no_crl", "bad_x5c"
};

const char *
shc_outcome_name(shc_outcome o)
{
	if ((int) o < 0 || o >= SHC_V_COUNT)
		return "malformed";
	return outcome_names[o];
}

shc_status
shc_jws_signature_decode(const shc_jws_parts *p, uint8_t *sig,
						 shc_error *err)
{
	uint8_t		buf[SHC_B64URL_DECODED_MAX(96)];
	size_t		siglen;
	shc_error	e2;

	/* 86 characters are 64 bytes; anything much longer cannot be ES256 */
	if (p->signature_len > 96)
		return shc_error_set(err, SHC_ERR_JWS_FORMAT,
							 "The signature segment has %zu characters; an ES256 signature has 86.",
							 p->signature_len);
	if (shc_b64url_decode_to(p->signature, p->signature_len, buf, &siglen, &e2) != SHC_OK)
		return shc_error_set(err, SHC_ERR_JWS_FORMAT,
							 "The signature segment is not valid base64url.");
	/* SHC-NOTES 3: exactly 64 raw bytes r||s; DER is rejected */
	if (siglen != SHC_ES256_SIG_LEN)
	{
		if (siglen > SHC_ES256_SIG_LEN && buf[0] == 0x30)
			return shc_error_set(err, SHC_ERR_JWS_FORMAT,
								 "The signature is %zu bytes and looks like DER; ES256 requires the raw 64-byte r||s form.",
								 siglen);
		return shc_error_set(err, SHC_ERR_JWS_FORMAT,
							 "The signature is %zu bytes; ES256 requires exactly 64.",
							 siglen);
	}
	if (sig != NULL)
		memcpy(sig, buf, SHC_ES256_SIG_LEN);
	return SHC_OK;
}

shc_status
shc_jws_verify_signature(const char *jws, const shc_jws_parts *p,
						 const shc_ec_key *key, shc_error *err)
{
	uint8_t		sig[SHC_ES256_SIG_LEN];
	shc_status	st;

	if ((st = shc_jws_signature_decode(p, sig, err)) != SHC_OK || key == NULL)
		return st;
	/* SHC-NOTES 3: over the exact received bytes, never re-serialized */
	return shc_es256_verify(key, (const uint8_t *) jws, p->signing_input_len,
							sig, SHC_ES256_SIG_LEN, err);
}

static bool
date_ok(double v)
{
	return shc_rule_numericdate_ok(v);
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

bool
shc_rid_ok(const char *rid, size_t n)
{
	return shc_card_check_rid(rid, n, NULL) == SHC_OK;
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
