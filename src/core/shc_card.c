/*
 * shc_card.c
 *		Header, payload frame and claim checks of an issued card
 *		(SHC-NOTES sections 2, 4, 10 and 13).
 */
#include "shc_card.h"
#include "shc_es256.h"
#include "shc_json.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define HTTPS_PREFIX "https://"

shc_status
shc_card_check_iss(const char *iss, size_t n, shc_error *err)
{
	size_t		plen = strlen(HTTPS_PREFIX);
	size_t		i;

	if (n == 0)
		return shc_error_set(err, SHC_ERR_ISSUER, "The issuer URL is empty.");
	/* SHC-NOTES 4: iss MUST use https */
	if (n < plen || memcmp(iss, HTTPS_PREFIX, plen) != 0)
		return shc_error_set(err, SHC_ERR_ISSUER,
							 "The issuer URL must start with \"https://\".");
	if (n > SHC_ISS_MAX_LEN)
		return shc_error_set(err, SHC_ERR_ISSUER,
							 "The issuer URL has %zu characters; the maximum is %d.",
							 n, SHC_ISS_MAX_LEN);
	for (i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) iss[i];

		if (c <= 0x20 || c >= 0x7f)
			return shc_error_set(err, SHC_ERR_ISSUER,
								 "The issuer URL contains white space, a control character or non-ASCII byte at offset %zu.",
								 i);
		if (c == '?' || c == '#')
			return shc_error_set(err, SHC_ERR_ISSUER,
								 "The issuer URL must not contain a query or fragment (\"%c\" at offset %zu).",
								 c, i);
	}
	if (n == plen || iss[plen] == '/')
		return shc_error_set(err, SHC_ERR_ISSUER, "The issuer URL has no host.");
	/* SHC-NOTES 4: MUST NOT end with "/" (keys are at iss + "/.well-known/") */
	if (iss[n - 1] == '/')
		return shc_error_set(err, SHC_ERR_ISSUER,
							 "The issuer URL must not end with \"/\".");
	return SHC_OK;
}

shc_status
shc_card_check_rid(const char *rid, size_t n, shc_error *err)
{
	size_t		i;

	if (n == 0)
		return shc_error_set(err, SHC_ERR_RID, "The revocation identifier is empty.");
	/* SHC-NOTES 10: base64url alphabet, at most 24 characters */
	if (n > SHC_RID_MAX_LEN)
		return shc_error_set(err, SHC_ERR_RID,
							 "The revocation identifier has %zu characters; the maximum is %d.",
							 n, SHC_RID_MAX_LEN);
	for (i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) rid[i];

		if (!shc_b64url_char(c))
			return shc_error_set(err, SHC_ERR_RID,
								 "The revocation identifier may hold only base64url characters; offset %zu is not one.",
								 i);
	}
	return SHC_OK;
}

bool
shc_card_kid_ok(const char *kid, size_t n)
{
	size_t		i;

	/* SHC-NOTES 5: the base64url RFC 7638 thumbprint, a SHA-256 digest */
	if (n != SHC_KID_LEN)
		return false;
	for (i = 0; i < n; i++)
		if (!shc_b64url_char((unsigned char) kid[i]))
			return false;
	return true;
}

void
shc_card_header(shc_buf *out, const char *kid, size_t kidlen)
{
	/* SHC-NOTES 2: exactly these members, in the examples' order */
	shc_buf_append_str(out, "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":");
	shc_json_string(out, kid, kidlen);
	shc_buf_append_char(out, '}');
}

static void
append_int64(shc_buf *out, int64_t v)
{
	char		num[32];
	int			len = snprintf(num, sizeof(num), "%" PRId64, v);

	shc_buf_append(out, num, (size_t) len);
}

void
shc_card_payload_head(shc_buf *out, const char *iss, size_t isslen,
					  int64_t nbf)
{
	shc_buf_append_str(out, "{\"iss\":");
	shc_json_string(out, iss, isslen);
	shc_buf_append_str(out, ",\"nbf\":");
	append_int64(out, nbf);
	shc_buf_append_str(out, ",\"vc\":{\"type\":[\"" SHC_HEALTH_CARD_TYPE "\"],"
					   "\"credentialSubject\":{\"fhirVersion\":\""
					   SHC_FHIR_VERSION "\",\"fhirBundle\":");
}

void
shc_card_payload_tail(shc_buf *out, const char *rid, size_t ridlen,
					  bool has_exp, int64_t exp)
{
	shc_buf_append_char(out, '}');	/* credentialSubject */
	if (rid != NULL)
	{
		shc_buf_append_str(out, ",\"rid\":");
		shc_json_string(out, rid, ridlen);
	}
	shc_buf_append_char(out, '}');	/* vc */
	if (has_exp)
	{
		shc_buf_append_str(out, ",\"exp\":");
		append_int64(out, exp);
	}
	shc_buf_append_char(out, '}');
}
