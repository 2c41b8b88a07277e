/*
 * test_x509.c: the x5c checks of shc_x509.c in their two halves: the time
 * check of a validity window (known answers, OpenSSL's order and
 * boundaries), and, on the spec example key's 3-certificate chain when
 * ../shared/vectors is present, the time-free chain check, its window, and
 * shc_x5c_check against OpenSSL's own X509_verify_cert at the same times.
 */
#include "unit.h"
#include "shc_x509.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

/* 2021-06-01T15:50:09Z and 2022-06-01T15:50:09Z: the spec leaf's validity */
#define LEAF_NB INT64_C(1622562609)
#define LEAF_NA INT64_C(1654098609)

static void
window_known_answers(void)
{
	shc_x5c_window w;
	char		why[256];
	char		not_yet[256];
	char		expired[256];
	shc_x5c_result r;

	/*
	 * OpenSSL's own wording, which changes between its versions (3.6 adds
	 * "or the system clock is incorrect")
	 */
	snprintf(not_yet, sizeof(not_yet), "Certificate 1 of the chain: %s.",
			 X509_verify_cert_error_string(X509_V_ERR_CERT_NOT_YET_VALID));
	snprintf(expired, sizeof(expired), "Certificate 1 of the chain: %s.",
			 X509_verify_cert_error_string(X509_V_ERR_CERT_HAS_EXPIRED));

	memset(&w, 0, sizeof(w));
	w.n = 3;
	w.from = 0;
	w.not_before[0] = 1000;
	w.not_after[0] = 2000;
	w.not_before[1] = 500;
	w.not_after[1] = 3000;
	w.not_before[2] = 100;
	w.not_after[2] = 4000;

	r = shc_x5c_window_check(&w, 1500, why, sizeof(why));
	CHECK(r == SHC_X5C_VALID && why[0] == '\0', "window: inside every period is valid");
	r = shc_x5c_window_check(&w, 1000, why, sizeof(why));
	CHECK(r == SHC_X5C_VALID, "window: at notBefore is valid (X509_cmp_time)");
	r = shc_x5c_window_check(&w, 999, why, sizeof(why));
	CHECK(r == SHC_X5C_NOT_YET_VALID && strcmp(why, not_yet) == 0,
		  "window: a second before the leaf's notBefore (%s)", why);
	r = shc_x5c_window_check(&w, 1999, why, sizeof(why));
	CHECK(r == SHC_X5C_VALID, "window: a second before notAfter is valid");
	r = shc_x5c_window_check(&w, 2000, why, sizeof(why));
	CHECK(r == SHC_X5C_EXPIRED && strcmp(why, expired) == 0,
		  "window: at notAfter the leaf has expired (%s)", why);
	r = shc_x5c_window_check(&w, 3500, why, sizeof(why));
	CHECK(r == SHC_X5C_EXPIRED && strncmp(why, "Certificate 2 of", 16) == 0,
		  "window: the intermediate, above the leaf, is reported first (%s)", why);
	r = shc_x5c_window_check(&w, 50, why, sizeof(why));
	CHECK(r == SHC_X5C_NOT_YET_VALID && strncmp(why, "Certificate 3 of", 16) == 0,
		  "window: the anchor is reported first (%s)", why);
	/* the anchor expired, the leaf not yet valid: from the top down */
	w.not_after[2] = 800;
	r = shc_x5c_window_check(&w, 900, why, sizeof(why));
	CHECK(r == SHC_X5C_EXPIRED && strncmp(why, "Certificate 3 of", 16) == 0,
		  "window: an expired anchor before a leaf not yet valid (%s)", why);
	w.from = 2;
	w.not_after[2] = 4000;
	r = shc_x5c_window_check(&w, 5, why, sizeof(why));
	CHECK(r == SHC_X5C_NOT_YET_VALID && strncmp(why, "Certificate 3 of", 16) == 0,
		  "window: from 2 checks the anchor only");
	r = shc_x5c_window_check(&w, 2500, why, sizeof(why));
	CHECK(r == SHC_X5C_VALID, "window: from 2 ignores the leaf's period");
	w.n = 0;
	w.from = 0;
	r = shc_x5c_window_check(&w, 0, why, sizeof(why));
	CHECK(r == SHC_X5C_VALID, "window: an empty window is valid");
	CHECK(strcmp(shc_x5c_result_name(SHC_X5C_CHAIN), "broken_chain") == 0 &&
		  strcmp(shc_x5c_result_name(SHC_X5C_EXPIRED), "expired") == 0,
		  "result names");
}

/* the string value after "key": in s, copied into out; false when absent */
static bool
json_string(const char *s, const char *key, char *out, size_t outlen)
{
	char		pat[64];
	const char *p,
			   *q;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	p = strstr(s, pat);
	if (p == NULL || (p = strchr(p + strlen(pat), '"')) == NULL ||
		(q = strchr(p + 1, '"')) == NULL || (size_t) (q - p) > outlen)
		return false;
	memcpy(out, p + 1, q - p - 1);
	out[q - p - 1] = '\0';
	return true;
}

/* OpenSSL's own verdict at at: "ok" or "<depth + 1>: <error string>" */
static void
openssl_verdict(char **certs, int ncerts, const uint8_t *anchor,
				size_t anchorlen, int64_t at, char *out, size_t outlen)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	X509	   *x[SHC_X5C_MAX_CERTS];
	const unsigned char *p = anchor;
	X509	   *a = d2i_X509(NULL, &p, (long) anchorlen);
	int			i;

	X509_STORE_add_cert(store, a);
	X509_free(a);
	for (i = 0; i < ncerts; i++)
	{
		unsigned char der[4096];
		int			len = EVP_DecodeBlock(der, (const unsigned char *) certs[i],
										  (int) strlen(certs[i]));
		const unsigned char *d = der;

		len -= (certs[i][strlen(certs[i]) - 1] == '=') +
			(certs[i][strlen(certs[i]) - 2] == '=');
		x[i] = d2i_X509(NULL, &d, len);
		if (i > 0)
			sk_X509_push(untrusted, x[i]);
	}
	X509_STORE_CTX_init(ctx, store, x[0], untrusted);
	X509_STORE_CTX_set_time(ctx, 0, (time_t) at);
	if (X509_verify_cert(ctx) == 1)
		snprintf(out, outlen, "ok");
	else
		snprintf(out, outlen, "%d: %s", X509_STORE_CTX_get_error_depth(ctx) + 1,
				 X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
	sk_X509_free(untrusted);
	for (i = 0; i < ncerts; i++)
		X509_free(x[i]);
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	ERR_clear_error();
}

/* shc_x5c_check's verdict in the same form */
static void
shc_verdict(char **certs, int ncerts, const char *x, const char *y,
			const uint8_t *anchor, size_t anchorlen, int64_t at, char *out,
			size_t outlen)
{
	const char *cp[SHC_X5C_MAX_CERTS];
	size_t		cl[SHC_X5C_MAX_CERTS];
	const uint8_t *an[1] = {anchor};
	size_t		al[1] = {anchorlen};
	const char *iss = "https://spec.smarthealth.cards/examples/issuer";
	shc_x5c_result r;
	char		why[256];
	shc_error	e;
	int			i;

	for (i = 0; i < ncerts; i++)
	{
		cp[i] = certs[i];
		cl[i] = strlen(certs[i]);
	}
	if (shc_x5c_check(cp, cl, ncerts, x, strlen(x), y, strlen(y), iss, strlen(iss),
					  an, al, 1, at, &r, why, sizeof(why), &e) != SHC_OK)
		snprintf(out, outlen, "error");
	else if (r == SHC_X5C_VALID)
		snprintf(out, outlen, "ok");
	else
	{
		/* "Certificate 2 of the chain: x." -> "2: x" */
		int			depth = atoi(why + strlen("Certificate "));
		const char *msg = strstr(why, ": ");

		snprintf(out, outlen, "%d: %.*s", depth, msg ? (int) strlen(msg) - 3 : 0,
				 msg ? msg + 2 : "");
	}
}

/* do OpenSSL and shc_x5c_check agree on the 3-certificate chain at every time? */
static bool
same_verdicts(char **certs, const char *x, const char *y, const uint8_t *root,
			  size_t rootlen, const int64_t *times, int ntimes)
{
	char		a[256],
				b[256];
	bool		same = true;
	int			i;

	for (i = 0; i < ntimes; i++)
	{
		openssl_verdict(certs, 3, root, rootlen, times[i], a, sizeof(a));
		shc_verdict(certs, 3, x, y, root, rootlen, times[i], b, sizeof(b));
		if (strcmp(a, b) != 0)
		{
			printf("#   at %lld: OpenSSL \"%s\", shc \"%s\"\n", (long long) times[i], a, b);
			same = false;
		}
	}
	return same;
}

static void
spec_chain(void)
{
	char	   *path = unit_vector_path("issuer/.well-known/jwks.json");
	char	   *jwks,
			   *k,
			   *p;
	char	   *certs[SHC_X5C_MAX_CERTS];
	int			ncerts = 0,
				i;
	char		x[64],
				y[64];
	const char *cp[SHC_X5C_MAX_CERTS];
	size_t		cl[SHC_X5C_MAX_CERTS];
	uint8_t		root[4096];
	size_t		rootlen;
	const uint8_t *an[1];
	size_t		al[1];
	const char *iss = "https://spec.smarthealth.cards/examples/issuer";
	shc_x5c_result r;
	shc_x5c_window w;
	char		why[256];
	shc_error	e;
	int64_t		times[] = {INT64_C(1609459200), LEAF_NB - 1, LEAF_NB, INT64_C(1640995200),
		LEAF_NA - 1, LEAF_NA, INT64_C(1687392000), INT64_C(1798761600), INT64_C(1956528000)};
	int			ntimes = (int) (sizeof(times) / sizeof(times[0]));

	if (path == NULL || (jwks = unit_read_file(path, NULL)) == NULL)
	{
		unit_skip_n(12, "SHC_VECTORS not set: the spec example x5c chain is not checked");
		free(path);
		return;
	}
	k = strstr(jwks, "EBKOr72QQDcTBUuVzAzkfBTGew0ZA16GuWty64nS-sw");
	p = k ? strstr(k, "\"x5c\"") : NULL;
	if (p == NULL || !json_string(k, "x", x, sizeof(x)) || !json_string(k, "y", y, sizeof(y)))
	{
		CHECK(false, "spec jwks.json has the x5c key");
		free(jwks);
		free(path);
		return;
	}
	p = strchr(p, '[');
	while (p && ncerts < SHC_X5C_MAX_CERTS)
	{
		char	   *s = strchr(p, '"'),
				   *end = strchr(p, ']');

		if (s == NULL || (end && end < s))
			break;
		p = strchr(s + 1, '"');
		certs[ncerts] = strndup(s + 1, p - s - 1);
		cp[ncerts] = certs[ncerts];
		cl[ncerts] = strlen(certs[ncerts]);
		ncerts++;
		p++;
	}
	CHECK(ncerts == 3, "spec x5c: 3 certificates");
	if (ncerts != 3)
		goto out;
	rootlen = (size_t) EVP_DecodeBlock(root, (const unsigned char *) certs[2], (int) cl[2]);
	rootlen -= (certs[2][cl[2] - 1] == '=') + (certs[2][cl[2] - 2] == '=');
	an[0] = root;
	al[0] = rootlen;

	CHECK(shc_x5c_chain_check(cp, cl, 3, x, strlen(x), y, strlen(y), iss, strlen(iss),
							  an, al, 0, &r, &w, why, sizeof(why), &e) == SHC_OK &&
		  r == SHC_X5C_NO_ANCHOR && w.n == 0, "spec x5c: no anchor (%s)", why);
	CHECK(shc_x5c_chain_check(cp, cl, 3, x, strlen(x), y, strlen(y), iss, strlen(iss),
							  an, al, 1, &r, &w, why, sizeof(why), &e) == SHC_OK &&
		  r == SHC_X5C_VALID && w.n == 3 && w.from == 0,
		  "spec x5c: the chain verifies to its root, whatever the time (%s)", why);
	CHECK(w.not_before[0] == LEAF_NB && w.not_after[0] == LEAF_NA,
		  "spec x5c: the leaf's period, 2021-06-01T15:50:09Z to 2022-06-01T15:50:09Z");
	CHECK(w.not_after[1] == INT64_C(1780242609) && w.not_before[2] == LEAF_NB - 1,
		  "spec x5c: the intermediate's notAfter and the root's notBefore");
	CHECK(shc_x5c_window_check(&w, LEAF_NA, why, sizeof(why)) == SHC_X5C_EXPIRED,
		  "spec x5c: expired at the leaf's notAfter (%s)", why);
	CHECK(shc_x5c_chain_check(cp, cl, 3, x, strlen(x), y, strlen(y), iss, strlen(iss) - 1,
							  an, al, 1, &r, &w, why, sizeof(why), &e) == SHC_OK &&
		  r == SHC_X5C_SAN_MISMATCH, "spec x5c: another issuer URL (%s)", why);
	CHECK(shc_x5c_chain_check(cp, cl, 3, y, strlen(y), x, strlen(x), iss, strlen(iss),
							  an, al, 1, &r, &w, why, sizeof(why), &e) == SHC_OK &&
		  r == SHC_X5C_KEY_MISMATCH, "spec x5c: another key (%s)", why);
	/* the leaf and the root, without the intermediate */
	cp[1] = certs[2];
	cl[1] = cl[2];
	CHECK(shc_x5c_chain_check(cp, cl, 2, x, strlen(x), y, strlen(y), iss, strlen(iss),
							  an, al, 1, &r, &w, why, sizeof(why), &e) == SHC_OK &&
		  r == SHC_X5C_CHAIN && w.n == 0 &&
		  strcmp(why, "Certificate 1 of the chain: unable to get local issuer certificate.") == 0,
		  "spec x5c: intermediate missing (%s)", why);
	cp[1] = certs[1];
	cl[1] = strlen(certs[1]);

	/* shc_x5c_check gives OpenSSL's own verdict at each time */
	CHECK(same_verdicts(certs, x, y, root, rootlen, times, ntimes),
		  "spec x5c: shc_x5c_check says what X509_verify_cert says at 9 times");

	/* a leaf whose signature is broken: the certificates above it first */
	{
		char	   *bad = strdup(certs[0]);
		size_t		n = strlen(bad);

		bad[n - 6] = bad[n - 6] == 'A' ? 'B' : 'A';
		free(certs[0]);
		certs[0] = bad;
		cp[0] = bad;
		CHECK(shc_x5c_chain_check(cp, cl, 3, x, strlen(x), y, strlen(y), iss, strlen(iss),
								  an, al, 1, &r, &w, why, sizeof(why), &e) == SHC_OK &&
			  r == SHC_X5C_CHAIN && w.n == 3 && w.from == 1,
			  "spec x5c, leaf signature broken: broken_chain, times above it kept (%s)", why);
		CHECK(same_verdicts(certs, x, y, root, rootlen, times, ntimes),
			  "spec x5c, leaf signature broken: what X509_verify_cert says at 9 times");
	}
out:
	for (i = 0; i < ncerts; i++)
		free(certs[i]);
	free(jwks);
	free(path);
}

void
test_x509(void)
{
	window_known_answers();
	spec_chain();
}
