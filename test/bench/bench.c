/*
 * bench.c
 *		Throughput of the raw primitives a SMART Health Card costs, against
 *		the same work done through src/core, on one core without
 *		PostgreSQL.
 *
 *	raw:	OpenSSL P-256 ECDSA sign and verify with SHA-256 (the EVP calls
 *			the core uses, EVP_DigestSign / EVP_DigestVerify, in a few
 *			arrangements; the fastest counts as the physical limit) over a
 *			real card's signing input, header "." payload; zlib raw DEFLATE
 *			level 9 of a ~1.4 kB 3-dose payload (a fresh stream per payload, or
 *			one stream deflateReset per payload) and libdeflate level 9 (the
 *			fastest counts), libdeflate level 12, and inflate of it; the
 *			compressed sizes of libdeflate and zlib over 500 cards.
 *	speed:	what "openssl speed ecdsap256" times: EVP_PKEY_sign and
 *			EVP_PKEY_verify of a fixed digest, no hashing.
 *	core:	shc_es256_sign, shc_es256_verify, shc_deflate_raw,
 *			shc_inflate_raw; the issue pipeline shc_jws_sign; the verify
 *			pipeline shc_jws_split + shc_b64url_decode (payload and
 *			signature) + shc_es256_verify + shc_inflate_raw.
 *
 *		bench [seconds-per-measurement]      (default 1.0)
 *		bench profile-verify|profile-issue N  (N pipeline runs, no timing:
 *											   for valgrind --tool=callgrind)
 *
 * Rates are operations per second of this thread's CPU time, so other
 * load on the machine slows a run down less than wall time would.  Every
 * measured call is checked, so a fast failure cannot pass for a fast
 * success.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <zlib.h>
#ifdef HAVE_LIBDEFLATE
#include <libdeflate.h>
#endif

#include "shc_b64url.h"
#include "shc_deflate.h"
#include "shc_es256.h"
#include "shc_jws.h"
#include "sample_card.h"

static double secs_per_measure = 1.0;

static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
fail(const char *what)
{
	fprintf(stderr, "bench: %s failed\n", what);
	exit(1);
}

/* Run fn(arg) in batches until secs_per_measure of CPU time; ops/s. */
static double
measure(const char *name, int (*fn) (void *), void *arg)
{
	double		t0,
				t;
	long		ops = 0;
	int			batch = 16;

	/* warm up: caches, lazy fetches */
	for (int i = 0; i < 8; i++)
		if (!fn(arg))
			fail(name);
	t0 = cpu_now();
	do
	{
		for (int i = 0; i < batch; i++)
			if (!fn(arg))
				fail(name);
		ops += batch;
		t = cpu_now() - t0;
	} while (t < secs_per_measure);
	printf("  %-44s %10.0f ops/s  %8.2f us/op\n", name, ops / t, 1e6 * t / ops);
	return ops / t;
}

/* ---- the work ------------------------------------------------------------ */

static EVP_PKEY *pkey;			/* the raw P-256 key */
static shc_ec_key *ckey;		/* the same key through the core */
static const EVP_MD *sha256;
static char payload[4096];
static size_t payload_len;
static char header[128];
static char *card;				/* a compact JWS made by shc_jws_sign */
static size_t card_len;
static const uint8_t *msg;		/* its signing input */
static size_t msg_len;
static uint8_t raw_sig[64];		/* its signature, r||s */
static unsigned char der_sig[80];	/* the same as DER */
static size_t der_len;
static uint8_t *zpayload;		/* the payload deflated */
static size_t zpayload_len;

/* raw sign, as the core does it: a fresh EVP_MD_CTX per signature */
static int
raw_sign_fresh(void *arg)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	unsigned char sig[80];
	size_t		n = sizeof(sig);
	int			ok;

	ok = m && EVP_DigestSignInit(m, NULL, sha256, NULL, pkey) == 1 &&
		EVP_DigestSign(m, sig, &n, msg, msg_len) == 1;
	EVP_MD_CTX_free(m);
	return ok;
}

/* raw sign, one EVP_MD_CTX re-initialized for each signature */
static int
raw_sign_reinit(void *arg)
{
	static EVP_MD_CTX *m;
	unsigned char sig[80];
	size_t		n = sizeof(sig);

	if (m == NULL)
		m = EVP_MD_CTX_new();
	return EVP_DigestSignInit(m, NULL, sha256, NULL, pkey) == 1 &&
		EVP_DigestSign(m, sig, &n, msg, msg_len) == 1;
}

/* raw sign: SHA-256 once, then EVP_PKEY_sign on a kept EVP_PKEY_CTX */
static int
raw_sign_prehash(void *arg)
{
	static EVP_PKEY_CTX *pc;
	unsigned char md[32],
				sig[80];
	size_t		n = sizeof(sig);

	if (pc == NULL)
	{
		pc = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
		if (pc == NULL || EVP_PKEY_sign_init(pc) != 1)
			return 0;
	}
	return EVP_Digest(msg, msg_len, md, NULL, sha256, NULL) == 1 &&
		EVP_PKEY_sign(pc, sig, &n, md, 32) == 1;
}

static int
raw_verify_fresh(void *arg)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	int			ok;

	ok = m && EVP_DigestVerifyInit(m, NULL, sha256, NULL, pkey) == 1 &&
		EVP_DigestVerify(m, der_sig, der_len, msg, msg_len) == 1;
	EVP_MD_CTX_free(m);
	return ok;
}

static int
raw_verify_reinit(void *arg)
{
	static EVP_MD_CTX *m;

	if (m == NULL)
		m = EVP_MD_CTX_new();
	return EVP_DigestVerifyInit(m, NULL, sha256, NULL, pkey) == 1 &&
		EVP_DigestVerify(m, der_sig, der_len, msg, msg_len) == 1;
}

static int
raw_verify_prehash(void *arg)
{
	static EVP_PKEY_CTX *pc;
	unsigned char md[32];

	if (pc == NULL)
	{
		pc = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
		if (pc == NULL || EVP_PKEY_verify_init(pc) != 1)
			return 0;
	}
	return EVP_Digest(msg, msg_len, md, NULL, sha256, NULL) == 1 &&
		EVP_PKEY_verify(pc, der_sig, der_len, md, 32) == 1;
}

/*
 * What "openssl speed ecdsap256" times: EVP_PKEY_sign / EVP_PKEY_verify of
 * a fixed digest on a kept EVP_PKEY_CTX, no hashing of a message.
 */
static unsigned char speed_md[32] = {1, 2, 3};
static unsigned char speed_sig[80];
static size_t speed_sig_len;

static int
speed_sign(void *arg)
{
	static EVP_PKEY_CTX *pc;
	unsigned char sig[80];
	size_t		n = sizeof(sig);

	if (pc == NULL)
	{
		pc = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
		if (pc == NULL || EVP_PKEY_sign_init(pc) != 1)
			return 0;
	}
	if (EVP_PKEY_sign(pc, sig, &n, speed_md, 32) != 1)
		return 0;
	if (speed_sig_len == 0)
	{
		memcpy(speed_sig, sig, n);
		speed_sig_len = n;
	}
	return 1;
}

static int
speed_verify(void *arg)
{
	static EVP_PKEY_CTX *pc;

	if (pc == NULL)
	{
		pc = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
		if (pc == NULL || EVP_PKEY_verify_init(pc) != 1)
			return 0;
	}
	return EVP_PKEY_verify(pc, speed_sig, speed_sig_len, speed_md, 32) == 1;
}

#ifdef HAVE_LIBDEFLATE
/* libdeflate: whole-buffer raw DEFLATE at a level, and decompression */
static struct libdeflate_compressor *ld_comp[13];
static struct libdeflate_decompressor *ld_decomp;

static int
ld_deflate(void *arg)
{
	int			level = (int) (intptr_t) arg;
	unsigned char out[4096];

	if (ld_comp[level] == NULL &&
		(ld_comp[level] = libdeflate_alloc_compressor(level)) == NULL)
		return 0;
	return libdeflate_deflate_compress(ld_comp[level], payload, payload_len,
									   out, sizeof(out)) > 0;
}

static int
ld_inflate(void *arg)
{
	unsigned char out[4096];
	size_t		got;

	if (ld_decomp == NULL && (ld_decomp = libdeflate_alloc_decompressor()) == NULL)
		return 0;
	return libdeflate_deflate_decompress(ld_decomp, zpayload, zpayload_len, out,
										 sizeof(out), &got) == LIBDEFLATE_SUCCESS &&
		got == payload_len;
}

/*
 * Compressed sizes over many realistic cards (variants of the sample):
 * zlib level 9 against libdeflate at level, and that every libdeflate
 * stream inflates with zlib to the same bytes.
 */
static void
ld_sizes(int level)
{
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
	long		zsum = 0,
				lsum = 0;
	int			larger = 0,
				bad = 0,
				n = 500;

	for (int v = 1; v <= n; v++)
	{
		char		p[4096],
					back[4096];
		unsigned char zo[4096],
					lo[4096];
		int			len = sample_card_payload(p, sizeof(p), v);
		z_stream	zs;
		size_t		zl,
					ll;

		memset(&zs, 0, sizeof(zs));
		deflateInit2(&zs, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
		zs.next_in = (Bytef *) p;
		zs.avail_in = (uInt) len;
		zs.next_out = zo;
		zs.avail_out = sizeof(zo);
		deflate(&zs, Z_FINISH);
		zl = zs.total_out;
		deflateEnd(&zs);
		ll = libdeflate_deflate_compress(c, p, len, lo, sizeof(lo));
		zsum += zl;
		lsum += ll;
		larger += ll > zl;
		memset(&zs, 0, sizeof(zs));
		inflateInit2(&zs, -15);
		zs.next_in = lo;
		zs.avail_in = (uInt) ll;
		zs.next_out = (Bytef *) back;
		zs.avail_out = sizeof(back);
		if (inflate(&zs, Z_FINISH) != Z_STREAM_END || zs.total_out != (uLong) len ||
			memcmp(back, p, len) != 0)
			bad++;
		inflateEnd(&zs);
	}
	printf("  sizes over %d cards: zlib 9 %.1f bytes, libdeflate %d %.1f bytes (%+.2f%%); "
		   "larger than zlib in %d; zlib inflates all back: %s\n",
		   n, (double) zsum / n, level, (double) lsum / n,
		   100.0 * (lsum - zsum) / zsum, larger, bad ? "NO" : "yes");
	libdeflate_free_compressor(c);
}
#endif

static int
raw_deflate(void *arg)
{
	z_stream	zs;
	unsigned char out[4096];
	int			rc;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return 0;
	zs.next_in = (Bytef *) payload;
	zs.avail_in = (uInt) payload_len;
	zs.next_out = out;
	zs.avail_out = sizeof(out);
	rc = deflate(&zs, Z_FINISH);
	deflateEnd(&zs);
	return rc == Z_STREAM_END;
}

/* raw DEFLATE on one kept stream, deflateReset for each payload */
static int
raw_deflate_reset(void *arg)
{
	static z_stream zs;
	static bool ready;
	unsigned char out[4096];
	int			rc;

	if (!ready)
	{
		if (deflateInit2(&zs, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			return 0;
		ready = true;
	}
	else if (deflateReset(&zs) != Z_OK)
		return 0;
	zs.next_in = (Bytef *) payload;
	zs.avail_in = (uInt) payload_len;
	zs.next_out = out;
	zs.avail_out = sizeof(out);
	rc = deflate(&zs, Z_FINISH);
	return rc == Z_STREAM_END;
}

static int
raw_inflate(void *arg)
{
	z_stream	zs;
	unsigned char out[4096];
	int			rc;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, -15) != Z_OK)
		return 0;
	zs.next_in = zpayload;
	zs.avail_in = (uInt) zpayload_len;
	zs.next_out = out;
	zs.avail_out = sizeof(out);
	rc = inflate(&zs, Z_FINISH);
	inflateEnd(&zs);
	return rc == Z_STREAM_END && zs.total_out == payload_len;
}

static int
core_sign(void *arg)
{
	uint8_t		sig[64];

	return shc_es256_sign(ckey, msg, msg_len, sig, NULL) == SHC_OK;
}

static int
core_verify(void *arg)
{
	return shc_es256_verify(ckey, msg, msg_len, raw_sig, 64, NULL) == SHC_OK;
}

static int
core_deflate(void *arg)
{
	shc_buf		b;
	shc_status	st;

	shc_buf_init(&b, NULL, 0);
	st = shc_deflate_raw((const uint8_t *) payload, payload_len, 9, &b, NULL);
	shc_buf_free(&b);
	return st == SHC_OK;
}

static int
core_inflate(void *arg)
{
	shc_buf		b;
	shc_status	st;

	size_t		len;

	shc_buf_init(&b, NULL, 0);
	st = shc_inflate_raw(zpayload, zpayload_len, 1 << 20, &b, NULL);
	len = b.len;
	shc_buf_free(&b);
	return st == SHC_OK && len == payload_len;
}

/* the issue pipeline: minified header and payload in, compact JWS out */
static int
core_issue(void *arg)
{
	shc_buf		b;
	shc_status	st;

	shc_buf_init(&b, NULL, 0);
	st = shc_jws_sign(header, strlen(header), (const uint8_t *) payload,
					  payload_len, true, ckey, &b, NULL);
	shc_buf_free(&b);
	return st == SHC_OK;
}

/* the verify pipeline: compact JWS in, verified payload JSON out */
static int
core_verify_card(void *arg)
{
	shc_jws_parts p;
	uint8_t		sig[SHC_B64URL_DECODED_MAX(88)];
	size_t		siglen;
	shc_buf		z,
				json;
	shc_status	st;

	if (shc_jws_split(card, card_len, 0, &p, NULL) != SHC_OK ||
		p.signature_len > 88 ||
		shc_b64url_decode_to(p.signature, p.signature_len, sig, &siglen,
							 NULL) != SHC_OK ||
		shc_es256_verify(ckey, (const uint8_t *) card, p.signing_input_len,
						 sig, siglen, NULL) != SHC_OK)
		return 0;
	shc_buf_init(&z, NULL, 0);
	shc_buf_init(&json, NULL, 0);
	st = shc_b64url_decode(p.payload, p.payload_len, &z, NULL);
	if (st == SHC_OK)
		st = shc_inflate_raw((const uint8_t *) z.data, z.len, 1 << 20, &json,
							 NULL);
	if (st == SHC_OK && json.len != payload_len)
		st = SHC_ERR_INTERNAL;
	shc_buf_free(&z);
	shc_buf_free(&json);
	return st == SHC_OK;
}

static double
best(double a, double b, double c)
{
	double		m = a > b ? a : b;

	return m > c ? m : c;
}

/* combined rate of doing one a-op and one b-op per item */
static double
serial(double a, double b)
{
	return 1.0 / (1.0 / a + 1.0 / b);
}

int
main(int argc, char **argv)
{
	char		x[SHC_COORD_B64_LEN + 1],
				y[SHC_COORD_B64_LEN + 1],
				d[SHC_COORD_B64_LEN + 1],
				kid[SHC_KID_LEN + 1];
	shc_error	err;
	shc_buf		b;
	shc_jws_parts p;
	size_t		n;
	double		rs,
				rv,
				rd,
				ri,
				cs,
				cv,
				cd,
				ci,
				issue,
				verify,
				ss,
				sv;
#ifdef HAVE_LIBDEFLATE
	double		ld9,
				ld12,
				ldi;
#endif

	const char *profile = NULL;
	long		profile_n = 0;
	bool		raw_only = false;

	if (argc > 2 && strncmp(argv[1], "profile-", 8) == 0)
	{
		profile = argv[1] + 8;
		profile_n = atol(argv[2]);
	}
	else if (argc > 1 && strcmp(argv[1], "raw") == 0)
	{
		/* "raw [secs]": the raw rates only, one line, for interleaving */
		raw_only = true;
		if (argc > 2)
			secs_per_measure = atof(argv[2]);
	}
	else if (argc > 1)
		secs_per_measure = atof(argv[1]);
	if (secs_per_measure <= 0)
		secs_per_measure = 1.0;

	/* one P-256 key, as a bare EVP_PKEY and imported into the core */
	sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (sha256 == NULL || pkey == NULL)
		fail("OpenSSL set-up");
	{
		BIGNUM	   *bx = NULL,
				   *by = NULL,
				   *bd = NULL;
		uint8_t		raw[32];

		if (!EVP_PKEY_get_bn_param(pkey, "qx", &bx) ||
			!EVP_PKEY_get_bn_param(pkey, "qy", &by) ||
			!EVP_PKEY_get_bn_param(pkey, "priv", &bd))
			fail("key export");
		BN_bn2binpad(bx, raw, 32);
		shc_b64url_encode_to(raw, 32, x);
		BN_bn2binpad(by, raw, 32);
		shc_b64url_encode_to(raw, 32, y);
		BN_bn2binpad(bd, raw, 32);
		shc_b64url_encode_to(raw, 32, d);
		BN_free(bx);
		BN_free(by);
		BN_clear_free(bd);
		if (shc_es256_key_from_jwk(x, 43, y, 43, d, 43, &ckey, &err) != SHC_OK ||
			shc_jwk_thumbprint(x, 43, y, 43, kid, &err) != SHC_OK)
			fail(err.detail);
	}

	/* a realistic card */
	n = (size_t) sample_card_payload(payload, sizeof(payload), 1);
	payload_len = n;
	snprintf(header, sizeof(header),
			 "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"%s\"}", kid);
	shc_buf_init(&b, NULL, 0);
	if (shc_jws_sign(header, strlen(header), (const uint8_t *) payload,
					 payload_len, true, ckey, &b, &err) != SHC_OK)
		fail(err.detail);
	card = shc_buf_release(&b, &card_len);
	if (shc_jws_split(card, card_len, 0, &p, &err) != SHC_OK)
		fail(err.detail);
	msg = (const uint8_t *) card;
	msg_len = p.signing_input_len;
	if (shc_b64url_decode_to(p.signature, p.signature_len, raw_sig, &n,
							 &err) != SHC_OK || n != 64)
		fail("signature decode");
	{
		/* the DER form OpenSSL's verify takes */
		ECDSA_SIG  *es = ECDSA_SIG_new();
		unsigned char *dp = der_sig;

		ECDSA_SIG_set0(es, BN_bin2bn(raw_sig, 32, NULL),
					   BN_bin2bn(raw_sig + 32, 32, NULL));
		der_len = (size_t) i2d_ECDSA_SIG(es, &dp);
		ECDSA_SIG_free(es);
	}
	shc_buf_init(&b, NULL, 0);
	if (shc_deflate_raw((const uint8_t *) payload, payload_len, 9, &b, &err) != SHC_OK)
		fail(err.detail);
	zpayload = (uint8_t *) shc_buf_release(&b, &zpayload_len);

	if (profile)
	{
		int			(*fn) (void *) = strcmp(profile, "issue") == 0 ? core_issue : core_verify_card;

		for (long i = 0; i < profile_n; i++)
			if (!fn(NULL))
				fail(profile);
		shc_ec_key_free(ckey);
		EVP_PKEY_free(pkey);
		EVP_MD_free((EVP_MD *) sha256);
		free(card);
		free(zpayload);
		return 0;
	}

	if (raw_only)
	{
		FILE	   *saved = stdout;

		/* the same primitives as below, their lines not printed */
		stdout = fopen("/dev/null", "w");
		rv = raw_verify_prehash(NULL) ? measure("rv", raw_verify_prehash, NULL) : 0;
		rs = measure("rs", raw_sign_prehash, NULL);
		ss = measure("ss", speed_sign, NULL);
#ifdef HAVE_LIBDEFLATE
		rd = measure("rd", ld_deflate, (void *) 9);
#else
		rd = measure("rd", raw_deflate_reset, NULL);
#endif
		fclose(stdout);
		stdout = saved;
		printf("RAW_SIGN=%.0f RAW_VERIFY=%.0f RAW_DEFLATE=%.0f SPEED_SIGN=%.0f\n",
			   rs, rv, rd, ss);
		return 0;
	}

	printf("card: payload %zu bytes, deflated %zu, signing input %zu, JWS %zu\n",
		   payload_len, zpayload_len, msg_len, card_len);
	printf("%s, zlib %s, %.1f s of CPU per measurement\n\n",
		   OpenSSL_version(OPENSSL_VERSION), zlibVersion(), secs_per_measure);

	printf("raw primitives (one core)\n");
	rs = best(measure("ECDSA P-256 sign, fresh EVP_MD_CTX", raw_sign_fresh, NULL),
			  measure("ECDSA P-256 sign, EVP_MD_CTX re-init", raw_sign_reinit, NULL),
			  measure("ECDSA P-256 sign, SHA-256 + EVP_PKEY_sign", raw_sign_prehash, NULL));
	rv = best(measure("ECDSA P-256 verify, fresh EVP_MD_CTX", raw_verify_fresh, NULL),
			  measure("ECDSA P-256 verify, EVP_MD_CTX re-init", raw_verify_reinit, NULL),
			  measure("ECDSA P-256 verify, SHA-256 + EVP_PKEY_verify", raw_verify_prehash, NULL));
	rd = measure("raw DEFLATE level 9 of the payload, fresh stream", raw_deflate, NULL);
	{
		double		r2 = measure("raw DEFLATE level 9, deflateReset stream", raw_deflate_reset, NULL);

		if (r2 > rd)
			rd = r2;
	}
	ri = measure("raw inflate of it", raw_inflate, NULL);
	printf("\nwhat \"openssl speed ecdsap256\" times (a fixed digest, no hashing)\n");
	ss = measure("ECDSA P-256 sign (EVP_PKEY_sign of a digest)", speed_sign, NULL);
	sv = measure("ECDSA P-256 verify (EVP_PKEY_verify of a digest)", speed_verify, NULL);
#ifdef HAVE_LIBDEFLATE
	printf("\nlibdeflate %s against zlib (raw DEFLATE of the same payload)\n", LIBDEFLATE_VERSION_STRING);
	ld9 = measure("libdeflate level 9", ld_deflate, (void *) 9);
	ld12 = measure("libdeflate level 12", ld_deflate, (void *) 12);
	ldi = measure("libdeflate inflate", ld_inflate, NULL);
	printf("  libdeflate 9 / zlib 9 %.2f, libdeflate 12 / zlib 9 %.2f, inflate libdeflate / zlib %.2f\n",
		   ld9 / rd, ld12 / rd, ldi / ri);
	ld_sizes(9);
	ld_sizes(12);
	/* the core compresses with libdeflate: the raw DEFLATE figure is the faster */
	if (ld9 > rd)
		rd = ld9;
#endif

	printf("\ncore (src/core, no PostgreSQL)\n");
	cs = measure("shc_es256_sign", core_sign, NULL);
	cv = measure("shc_es256_verify", core_verify, NULL);
	cd = measure("shc_deflate_raw level 9", core_deflate, NULL);
	ci = measure("shc_inflate_raw", core_inflate, NULL);
	issue = measure("issue: shc_jws_sign (deflate + sign)", core_issue, NULL);
	verify = measure("verify: split + b64url + verify + inflate", core_verify_card, NULL);

	printf("\nratios (1.00 = the speed of the raw primitive)\n");
	printf("  core sign / raw sign                         %6.2f\n", cs / rs);
	printf("  core verify / raw verify                     %6.2f\n", cv / rv);
	printf("  core deflate / raw deflate                   %6.2f\n", cd / rd);
	printf("  core inflate / raw inflate                   %6.2f\n", ci / ri);
	printf("  core issue / (raw sign + raw deflate)        %6.2f\n", issue / serial(rs, rd));
	printf("  core verify pipeline / raw verify            %6.2f\n", verify / rv);
	printf("  core verify pipeline / (raw verify + inflate)%6.2f\n", verify / serial(rv, ri));
	printf("\nRAW_SIGN=%.0f RAW_VERIFY=%.0f RAW_DEFLATE=%.0f RAW_INFLATE=%.0f "
		   "CORE_ISSUE=%.0f CORE_VERIFY=%.0f SPEED_SIGN=%.0f SPEED_VERIFY=%.0f\n",
		   rs, rv, rd, ri, issue, verify, ss, sv);

	shc_ec_key_free(ckey);
	EVP_PKEY_free(pkey);
	EVP_MD_free((EVP_MD *) sha256);
	free(card);
	free(zpayload);
	return 0;
}
