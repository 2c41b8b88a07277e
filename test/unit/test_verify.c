/*
 * test_verify.c: the Postgres-free verification rules of shc_verify.c:
 * signature shape, time rules, rid syntax, CRL entries.
 */
#include "unit.h"
#include "shc_b64url.h"
#include "shc_jws.h"
#include "shc_verify.h"

#include <math.h>

void
test_verify(void)
{
	char		reason[256];
	shc_error	e;
	size_t		rl;
	bool		has_ts;
	double		ts;
	shc_jws_parts p;

	CHECK(strcmp(shc_outcome_name(SHC_V_VALID), "valid") == 0 &&
		  strcmp(shc_outcome_name(SHC_V_NOT_YET_VALID), "not_yet_valid") == 0 &&
		  strcmp(shc_outcome_name(SHC_V_REVOKED), "revoked") == 0 &&
		  strcmp(shc_outcome_name(SHC_V_NO_CRL), "no_crl") == 0 &&
		  strcmp(shc_outcome_name(SHC_V_BAD_X5C), "bad_x5c") == 0 &&
		  strcmp(shc_outcome_name(SHC_V_COUNT), "malformed") == 0, "outcome names");

	/* signature shape */
	CHECK(shc_jws_split("e30.e30.AAAA", 12, 0, &p, &e) == SHC_OK &&
		  shc_jws_verify_signature("e30.e30.AAAA", &p, NULL, &e) == SHC_ERR_JWS_FORMAT &&
		  strstr(e.detail, "3 bytes") != NULL, "signature: 3 bytes refused (%s)", e.detail);
	{
		char		jws[200] = "e30.e30.";
		uint8_t		der[70];

		memset(der, 0x11, sizeof(der));
		der[0] = 0x30;
		shc_b64url_encode_to(der, sizeof(der), jws + 8);
		CHECK(shc_jws_split(jws, strlen(jws), 0, &p, &e) == SHC_OK &&
			  shc_jws_verify_signature(jws, &p, NULL, &e) == SHC_ERR_JWS_FORMAT &&
			  strstr(e.detail, "DER") != NULL, "signature: DER named (%s)", e.detail);
		memset(der, 0, 64);
		jws[8] = '\0';
		shc_b64url_encode_to(der, 64, jws + 8);
		CHECK(shc_jws_split(jws, strlen(jws), 0, &p, &e) == SHC_OK &&
			  shc_jws_verify_signature(jws, &p, NULL, &e) == SHC_OK, "signature: 64 bytes pass the shape check");
	}

	/* time rules */
	CHECK(shc_check_times(1000, false, 0, 1000, 0, reason, sizeof(reason)) == SHC_V_VALID, "times: nbf == at");
	CHECK(shc_check_times(1000.5, false, 0, 1000, 0, reason, sizeof(reason)) == SHC_V_NOT_YET_VALID, "times: nbf after at");
	CHECK(shc_check_times(1300, false, 0, 1000, 300, reason, sizeof(reason)) == SHC_V_VALID, "times: within skew");
	CHECK(shc_check_times(1301, false, 0, 1000, 300, reason, sizeof(reason)) == SHC_V_NOT_YET_VALID, "times: beyond skew");
	CHECK(shc_check_times(1000, true, 2000, 1999.9, 0, reason, sizeof(reason)) == SHC_V_VALID, "times: before exp");
	CHECK(shc_check_times(1000, true, 2000, 2000, 0, reason, sizeof(reason)) == SHC_V_EXPIRED, "times: at exp expired");
	CHECK(shc_check_times(1000, true, 1000, 2000, 0, reason, sizeof(reason)) == SHC_V_MALFORMED, "times: exp == nbf malformed");
	CHECK(shc_check_times(1.7e12, false, 0, 2000, 0, reason, sizeof(reason)) == SHC_V_MALFORMED &&
		  strstr(reason, "milliseconds") != NULL, "times: nbf in milliseconds (%s)", reason);
	CHECK(shc_check_times(99999999999.0, false, 0, 2000, 0, reason, sizeof(reason)) == SHC_V_NOT_YET_VALID,
		  "times: just below the milliseconds threshold is seconds");
	CHECK(shc_check_times(-1, false, 0, 2000, 0, reason, sizeof(reason)) == SHC_V_MALFORMED, "times: negative nbf");
	CHECK(shc_check_times(NAN, false, 0, 2000, 0, reason, sizeof(reason)) == SHC_V_MALFORMED, "times: NaN nbf");
	CHECK(shc_check_times(1000, true, INFINITY, 2000, 0, reason, sizeof(reason)) == SHC_V_MALFORMED, "times: infinite exp");

	/* rid */
	CHECK(shc_rid_ok("MKyCxh7p6uQ", 11) && shc_rid_ok("abcdefghijklmnopqrstuvwx", 24), "rid: 11 and 24 characters");
	CHECK(!shc_rid_ok("abcdefghijklmnopqrstuvwxy", 25) && !shc_rid_ok("", 0) && !shc_rid_ok("a.b", 3) &&
		  !shc_rid_ok("a=", 2), "rid: 25, empty, dot, padding refused");

	/* CRL entries and the timestamp rule (SHC-NOTES 10) */
	CHECK(shc_crl_entry_parse("vwAjHdarZuc.1687450765", 22, &rl, &has_ts, &ts, &e) == SHC_OK &&
		  rl == 11 && has_ts && ts == 1687450765.0, "crl: rid with timestamp");
	CHECK(shc_crl_entry_parse("FKDIxsTCGlU", 11, &rl, &has_ts, &ts, &e) == SHC_OK && rl == 11 && !has_ts,
		  "crl: rid without timestamp");
	CHECK(shc_crl_entry_parse("abc.1.5", 7, &rl, &has_ts, &ts, &e) == SHC_OK && ts == 1.5, "crl: fractional timestamp");
	CHECK(shc_crl_entry_parse("abc.", 4, &rl, &has_ts, &ts, &e) == SHC_ERR_JSON, "crl: empty timestamp");
	CHECK(shc_crl_entry_parse("abc.1e5", 7, &rl, &has_ts, &ts, &e) == SHC_ERR_JSON, "crl: exponent refused");
	CHECK(shc_crl_entry_parse("abc.-5", 6, &rl, &has_ts, &ts, &e) == SHC_ERR_JSON, "crl: sign refused");
	CHECK(shc_crl_entry_parse("abc.1.", 6, &rl, &has_ts, &ts, &e) == SHC_ERR_JSON, "crl: trailing dot refused");
	CHECK(shc_crl_entry_parse("abc.1700000000000", 17, &rl, &has_ts, &ts, &e) == SHC_ERR_JSON, "crl: milliseconds refused");
	CHECK(shc_crl_entry_parse(".5", 2, &rl, &has_ts, &ts, &e) == SHC_ERR_JSON, "crl: empty rid refused");
	CHECK(shc_crl_revokes(false, 0, 1e9), "crl: no timestamp revokes all");
	CHECK(shc_crl_revokes(true, 1687450765, 1687450764.657), "crl: nbf before timestamp revoked (example-03)");
	CHECK(!shc_crl_revokes(true, 1687450765, 1715107763.678), "crl: nbf after timestamp not revoked (HL7 example-03)");
	CHECK(!shc_crl_revokes(true, 1687450765, 1687450765), "crl: nbf equal to timestamp not revoked");
}
