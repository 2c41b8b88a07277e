/*
 * test_rid.c: the rid HMAC recipe (SHC-NOTES 10) on known answers computed
 * independently (Node's crypto), the spec's example rids from the example
 * secret when $SHC_VECTORS is set, secret generation and every rejection
 * of the secret check.
 */
#include "unit.h"
#include "shc_rid.h"

#define SPEC_KID "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s"
/* a made-up, non-random 43-character secret for the known answers */
#define TEST_SECRET "shc-unit-test-secret-not-random-0123456789A"

static void
rid_kat(const char *secret, const char *kid, const char *subject,
		const char *want)
{
	char		out[SHC_RID_HMAC_LEN + 1];
	shc_error	e;
	shc_status	st;

	memset(out, 0, sizeof(out));
	st = shc_rid_hmac(secret, strlen(secret), kid, strlen(kid),
					  subject, strlen(subject), out, &e);
	CHECK(st == SHC_OK && strcmp(out, want) == 0,
		  "rid of \"%s\" under kid \"%.8s...\" = %s (got %s)", subject, kid,
		  want, out);
}

static void
secret_case(const char *secret, size_t n, shc_status want, const char *needle)
{
	shc_error	e;
	shc_status	st;

	memset(&e, 0, sizeof(e));
	st = shc_rid_secret_check(secret, n, &e);
	CHECK(st == want && (needle == NULL || strstr(e.detail, needle) != NULL) &&
		  (n < 8 || memmem(e.detail, strlen(e.detail), secret, 8) == NULL),
		  "secret check (%zu chars) -> %s (%s)", n, shc_status_name(want),
		  e.detail);
}

/* the "secret" member of keys/issuer.hmac.private.json, or NULL */
static char *
spec_secret(void)
{
	char	   *path = unit_vector_path("keys/issuer.hmac.private.json");
	char	   *json,
			   *p,
			   *q,
			   *s = NULL;

	if (path == NULL)
		return NULL;
	json = unit_read_file(path, NULL);
	free(path);
	if (json == NULL)
		return NULL;
	p = strstr(json, "\"secret\"");
	if (p && (p = strchr(p + 8, '"')) != NULL && (q = strchr(p + 1, '"')) != NULL)
	{
		s = malloc((size_t) (q - p));
		memcpy(s, p + 1, (size_t) (q - p - 1));
		s[q - p - 1] = '\0';
	}
	free(json);
	return s;
}

void
test_rid(void)
{
	static const char *const spec[][2] = {
		{"userid-00", "MKyCxh7p6uQ"}, {"userid-02", "YjKhdFoxL_g"},
		{"userid-03", "vwAjHdarZuc"}, {"fake-userid-1", "FKDIxsTCGlU"},
		{"fake-userid-2", "XkNHp2Iyk0Y"}, {"fake-userid-3", "TqB_qu_6OtM"},
	};
	char	   *secret;
	char		a[SHC_RID_SECRET_LEN + 1],
				b[SHC_RID_SECRET_LEN + 1],
				out[SHC_RID_HMAC_LEN + 1];
	char		longs[SHC_RID_SECRET_MAX_LEN + 2];
	shc_error	e;
	size_t		i;

	/* known answers (Node: createHmac("sha256", secret + kid)) */
	rid_kat(TEST_SECRET, SPEC_KID, "alice", "O_jIuoUhFuU");
	rid_kat(TEST_SECRET, SPEC_KID, "", "Hh0ZFokP_R8");
	rid_kat(TEST_SECRET, "kid2", "alice", "vS-4prIBQGs");
	rid_kat(TEST_SECRET, SPEC_KID, "Zo\xc3\xab", "kUDFbecJliA");
	rid_kat(TEST_SECRET "x", SPEC_KID, "alice", "gVIwCRURnY8");

	/* the spec's example rids from its example secret */
	secret = spec_secret();
	if (secret == NULL)
		unit_skip_n(6, "keys/issuer.hmac.private.json not found (SHC_VECTORS)");
	else
	{
		for (i = 0; i < sizeof(spec) / sizeof(spec[0]); i++)
			rid_kat(secret, SPEC_KID, spec[i][0], spec[i][1]);
		free(secret);
	}

	/* limits */
	memset(longs, 'A', sizeof(longs) - 1);
	longs[sizeof(longs) - 1] = '\0';
	CHECK_STATUS(shc_rid_hmac(longs, SHC_RID_SECRET_MAX_LEN + 1, SPEC_KID, 43,
							  "a", 1, out, &e), SHC_ERR_LIMIT,
				 "a secret above the maximum length is refused by the recipe");
	CHECK_STATUS(shc_rid_hmac(longs, SHC_RID_SECRET_MAX_LEN, longs,
							  SHC_RID_KID_MAX_LEN + 1, "a", 1, out, &e),
				 SHC_ERR_LIMIT, "a kid above the maximum length is refused");
	CHECK_STATUS(shc_rid_hmac(longs, SHC_RID_SECRET_MAX_LEN, longs,
							  SHC_RID_KID_MAX_LEN, "a", 1, out, &e),
				 SHC_OK, "the longest secret and kid are accepted");

	/* generation: 43 base64url characters, passes the check, differs */
	CHECK_STATUS(shc_rid_secret_generate(a, &e), SHC_OK, "generate a secret");
	CHECK_STATUS(shc_rid_secret_generate(b, &e), SHC_OK, "generate another");
	CHECK(strlen(a) == SHC_RID_SECRET_LEN, "a generated secret has 43 characters");
	CHECK(strcmp(a, b) != 0, "two generated secrets differ");
	CHECK_STATUS(shc_rid_secret_check(a, strlen(a), &e), SHC_OK,
				 "a generated secret passes the check");

	/* the secret check */
	secret_case(TEST_SECRET, 43, SHC_OK, NULL);
	secret_case(longs, SHC_RID_SECRET_MAX_LEN, SHC_OK, NULL);
	secret_case(longs, SHC_RID_SECRET_MAX_LEN + 1, SHC_ERR_KEY, "this one has 257");
	secret_case(TEST_SECRET, 42, SHC_ERR_KEY, "this one has 42");
	secret_case("", 0, SHC_ERR_KEY, "this one has 0");
	secret_case("shc-unit-test-secret-not-random-0123456789=", 43, SHC_ERR_KEY,
				"only base64url");
	secret_case("shc-unit-test secret-not-random-0123456789A", 43, SHC_ERR_KEY,
				"only base64url");
	secret_case("shc-unit-test-secret-not-random-01234567\xc3\xa9", 42 + 1, SHC_ERR_KEY,
				"only base64url");
}
