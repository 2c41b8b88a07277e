/*
 * gen_corpus.c
 *		Writes the seed corpora of the fuzz harnesses, built with our own
 *		core: JWS-shaped cards signed with the public test key of fuzz.h,
 *		their shc:/ numeric texts and chunk sets, raw DEFLATE streams,
 *		base64url strings and JWK members, plus a few near misses of each.
 *
 *		gen_corpus <dir>     writes <dir>/<harness>/<seed>
 *
 * Run by `make fuzz-corpus`; the output is committed under
 * test/fuzz/corpus/.  ECDSA signatures are randomized, so a rerun changes
 * the signature bytes but not the shape of the seeds.  A new harness adds
 * a gen_<name>() here and a line in main().
 */
#include "fuzz.h"
#include "shc_b64url.h"
#include "shc_deflate.h"
#include "shc_es256.h"
#include "shc_jws.h"
#include "shc_jwe.h"
#include "shc_shlink.h"
#include "shc_qr.h"
#include "shc_qrimg.h"
#include "shc_qrscan.h"
#include "../bench/sample_card.h"

#include <errno.h>
#include <sys/stat.h>

#include <jpeglib.h>
#include <png.h>

static const char *outdir;
static char harness[64];
static int	nseeds;

static void
die(const char *what, const shc_error *err)
{
	fprintf(stderr, "gen_corpus: %s: %s\n", what, err ? err->detail : strerror(errno));
	exit(1);
}

static void
begin(const char *name)
{
	char		path[1024];

	snprintf(harness, sizeof(harness), "%s", name);
	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		die(path, NULL);
}

/* write one seed: the concatenation of up to three byte strings */
static void
seed3(const char *name, const void *a, size_t alen, const void *b,
	  size_t blen, const void *c, size_t clen)
{
	char		path[1024];
	FILE	   *f;

	snprintf(path, sizeof(path), "%s/%s/%s", outdir, harness, name);
	f = fopen(path, "wb");
	if (f == NULL ||
		(alen && fwrite(a, 1, alen, f) != alen) ||
		(blen && fwrite(b, 1, blen, f) != blen) ||
		(clen && fwrite(c, 1, clen, f) != clen) ||
		fclose(f) != 0)
		die(path, NULL);
	nseeds++;
}

static void
seed(const char *name, const void *p, size_t n)
{
	seed3(name, p, n, NULL, 0, NULL, 0);
}

static void
seed_str(const char *name, const char *s)
{
	seed(name, s, strlen(s));
}

/* ---- material shared by several harnesses ------------------------------ */

static shc_ec_key *gkey;		/* d = 1, public point G */
static char cards[3][4096];		/* compact JWS */
static size_t card_len[3];
static char payloads[3][4096];	/* minified JSON */
static size_t payload_len[3];

static void
make_cards(void)
{
	shc_error	err;
	char		kid[SHC_KID_LEN + 1];
	char		header[128];
	int			i;

	if (shc_es256_key_from_jwk(FUZZ_G_X, strlen(FUZZ_G_X), FUZZ_G_Y,
							   strlen(FUZZ_G_Y), FUZZ_G_D, strlen(FUZZ_G_D),
							   &gkey, &err) != SHC_OK)
		die("test key", &err);
	if (shc_jwk_thumbprint(FUZZ_G_X, strlen(FUZZ_G_X), FUZZ_G_Y,
						   strlen(FUZZ_G_Y), kid, &err) != SHC_OK)
		die("thumbprint", &err);
	snprintf(header, sizeof(header),
			 "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"%s\"}", kid);
	for (i = 0; i < 3; i++)
	{
		shc_buf		b;
		int			n = sample_card_payload(payloads[i], sizeof(payloads[i]), i);

		if (n < 0)
			die("payload", NULL);
		payload_len[i] = (size_t) n;
		shc_buf_init(&b, NULL, 0);
		/* card 2 is not compressed: too long for one QR, it needs chunks */
		if (shc_jws_sign(header, strlen(header), (const uint8_t *) payloads[i],
						 payload_len[i], i != 2, gkey, &b, &err) != SHC_OK)
			die("sign", &err);
		if (b.len >= sizeof(cards[i]))
			die("card too long", NULL);
		memcpy(cards[i], b.data, b.len);
		card_len[i] = b.len;
		shc_buf_free(&b);
	}
}

/* the shc:/ texts of card i, joined by '\n' when it needs chunks */
static void
qr_texts(int i, bool reverse, shc_buf *out)
{
	int			nparts,
				c;
	size_t		part_len;
	shc_error	err;

	shc_qr_chunk_plan(card_len[i], &nparts, &part_len);
	for (c = 0; c < nparts; c++)
	{
		int			k = reverse ? nparts - 1 - c : c;
		size_t		off = (size_t) k * part_len;
		size_t		len = off + part_len <= card_len[i] ? part_len : card_len[i] - off;

		if (c > 0)
			shc_buf_append_char(out, '\n');
		if (shc_qr_numeric_encode(cards[i] + off, len, k + 1, nparts, out,
								  &err) != SHC_OK)
			die("qr encode", &err);
	}
}

/* ---- one generator per harness ----------------------------------------- */

static void
gen_b64url(void)
{
	static const uint8_t bytes[] = {0x00, 0xff, 0xfe, 0x10, 0x80, 0x7f, 0x3e, 0x3f};
	char		enc[64];
	size_t		n;
	shc_jws_parts p;
	shc_error	err;

	begin("b64url");
	for (n = 0; n <= sizeof(bytes); n++)
	{
		char		name[32];

		shc_b64url_encode_to(bytes, n, enc);
		snprintf(name, sizeof(name), "bytes-%zu", n);
		seed_str(name, enc);
	}
	if (shc_jws_split(cards[0], card_len[0], 0, &p, &err) != SHC_OK)
		die("split", &err);
	seed("jws-header", p.header, p.header_len);
	seed("jws-payload", p.payload, p.payload_len);
	seed("jws-signature", p.signature, p.signature_len);
	seed_str("coordinate", FUZZ_G_X);
	seed_str("near-padded", "YQ==");
	seed_str("near-trailing-bits", "YR");
	seed_str("near-standard", "+/+/");
	seed_str("near-5-chars", "abcde");
}

static void
gen_inflate(void)
{
	int			i;
	shc_error	err;

	begin("inflate");
	for (i = 0; i < 3; i++)
	{
		shc_buf		z;
		char		name[32];
		/* caps of 16 * (b + 1): one that fits, one that does not */
		uint8_t		fits = 254,
					small = 31;

		shc_buf_init(&z, NULL, 0);
		if (shc_deflate_raw((const uint8_t *) payloads[i], payload_len[i],
							i + 1, &z, &err) != SHC_OK)
			die("deflate", &err);
		snprintf(name, sizeof(name), "card-%d", i);
		seed3(name, &fits, 1, z.data, z.len, NULL, 0);
		snprintf(name, sizeof(name), "card-%d-over-cap", i);
		seed3(name, &small, 1, z.data, z.len, NULL, 0);
		if (i == 0)
		{
			uint8_t		nocap = 255;

			seed3("no-cap", &nocap, 1, z.data, z.len, NULL, 0);
			seed3("truncated", &fits, 1, z.data, z.len / 2, NULL, 0);
			seed3("trailing", &fits, 1, z.data, z.len, "xy", 2);
		}
		shc_buf_free(&z);
	}
	{
		/* a small bomb: 64 kB of zeros in ~70 bytes */
		static uint8_t zeros[65536];
		shc_buf		z;
		uint8_t		cap = 0;

		shc_buf_init(&z, NULL, 0);
		if (shc_deflate_raw(zeros, sizeof(zeros), 9, &z, &err) != SHC_OK)
			die("deflate", &err);
		seed3("bomb", &cap, 1, z.data, z.len, NULL, 0);
		shc_buf_free(&z);
	}
	/* a stored block "hi", and zlib- and gzip-wrapped starts */
	seed("stored", "\xff\x01\x02\x00\xfd\xff" "hi", 8);
	seed("zlib-wrapped", "\xff\x78\xda\x01\x02\x00\xfd\xff" "hi", 10);
	seed("gzip-wrapped", "\xff\x1f\x8b\x08\x00", 5);
}

static void
gen_deflate_roundtrip(void)
{
	uint8_t		level = 8;		/* % 9 + 1 = level 9 */

	begin("deflate_roundtrip");
	seed3("card", &level, 1, payloads[0], payload_len[0], NULL, 0);
	seed3("jws", &level, 1, cards[1], card_len[1], NULL, 0);
	seed("empty", &level, 1);
	seed("level-1", "\x00" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 45);
}

static void
gen_qr_decode(void)
{
	shc_buf		b;
	int			i;

	begin("qr_decode");
	for (i = 0; i < 3; i++)
	{
		char		name[32];

		shc_buf_init(&b, NULL, 0);
		qr_texts(i, false, &b);
		snprintf(name, sizeof(name), "card-%d", i);
		seed(name, b.data, b.len);
		shc_buf_free(&b);
	}
	shc_buf_init(&b, NULL, 0);
	qr_texts(2, true, &b);
	seed("chunks-reversed", b.data, b.len);
	shc_buf_free(&b);
	seed_str("near-1-of-1", "shc:/1/1/5676");
	seed_str("near-pair-78", "shc:/5678");
	seed_str("near-odd", "shc:/567");
	seed_str("near-missing-chunk", "shc:/1/3/5676\nshc:/3/3/5676");
	seed_str("near-duplicate-chunk", "shc:/1/2/5676\nshc:/1/2/5676");
	seed_str("near-leading-zero", "shc:/01/2/5676\nshc:/2/2/5676");
}

static void
gen_qr_roundtrip(void)
{
	begin("qr_roundtrip");
	/* first byte: chunk order; the rest is mapped onto JWS characters */
	seed3("card-0", "\x00", 1, cards[0], card_len[0], NULL, 0);
	seed3("card-2", "\x01", 1, cards[2], card_len[2], NULL, 0);
	seed3("short", "\x00", 1, "a.b.c", 5, NULL, 0);
}

static void
gen_jws_split(void)
{
	int			i;

	begin("jws_split");
	for (i = 0; i < 3; i++)
	{
		char		name[32];

		snprintf(name, sizeof(name), "card-%d", i);
		seed(name, cards[i], card_len[i]);
	}
	seed_str("near-four-segments", "a.b.c.d");
	seed_str("near-empty-payload", "a..c");
	seed_str("near-padding", "YQ==.YQ.YQ");
	seed_str("near-space", "a.b .c");
}

static void
gen_jwk(void)
{
	char		x[SHC_COORD_B64_LEN + 1],
				y[SHC_COORD_B64_LEN + 1],
				d[SHC_COORD_B64_LEN + 1];
	shc_ec_key *k;
	shc_error	err;
	char		off[SHC_COORD_B64_LEN + 1];

	begin("jwk");
	seed3("g-public", FUZZ_G_X "\n", strlen(FUZZ_G_X) + 1, FUZZ_G_Y,
		  strlen(FUZZ_G_Y), NULL, 0);
	seed3("g-private", FUZZ_G_X "\n", strlen(FUZZ_G_X) + 1, FUZZ_G_Y "\n",
		  strlen(FUZZ_G_Y) + 1, FUZZ_G_D, strlen(FUZZ_G_D));
	if (shc_es256_generate(&k, &err) != SHC_OK ||
		shc_es256_export(k, x, y, d, &err) != SHC_OK)
		die("generate", &err);
	shc_ec_key_free(k);
	x[SHC_COORD_B64_LEN] = '\n';
	y[SHC_COORD_B64_LEN] = '\n';
	seed3("fresh-public", x, sizeof(x), y, SHC_COORD_B64_LEN, NULL, 0);
	seed3("fresh-private", x, sizeof(x), y, sizeof(y), d, SHC_COORD_B64_LEN);
	/* the near misses: y of another point, d of another key, d = n */
	memcpy(off, FUZZ_G_Y, SHC_COORD_B64_LEN);
	off[SHC_COORD_B64_LEN] = '\n';
	seed3("near-off-curve", x, sizeof(x), off, SHC_COORD_B64_LEN, NULL, 0);
	seed3("near-wrong-d", x, sizeof(x), y, sizeof(y), FUZZ_G_D,
		  strlen(FUZZ_G_D));
	seed3("near-d-is-n", FUZZ_G_X "\n", strlen(FUZZ_G_X) + 1, FUZZ_G_Y "\n",
		  strlen(FUZZ_G_Y) + 1, "_____wAAAAD__________7zm-q2nF56E87nKwvxjJVE", 43);
	shc_memzero(d, sizeof(d));
}

static void
gen_es256_verify(void)
{
	int			i;
	shc_error	err;

	begin("es256_verify");
	for (i = 0; i < 3; i++)
	{
		shc_jws_parts p;
		shc_buf		sig;
		char		name[32];

		if (shc_jws_split(cards[i], card_len[i], 0, &p, &err) != SHC_OK)
			die("split", &err);
		shc_buf_init(&sig, NULL, 0);
		if (shc_b64url_decode(p.signature, p.signature_len, &sig, &err) != SHC_OK)
			die("decode", &err);
		/* 0x00: a 64-byte signature follows, then the signing input */
		snprintf(name, sizeof(name), "card-%d", i);
		seed3(name, "\x00", 1, sig.data, sig.len, cards[i], p.signing_input_len);
		if (i == 0)
		{
			/* the same signature as a DER-sized blob (0x80 + 72) */
			seed3("near-der-length", "\xc8", 1, sig.data, sig.len,
				  "\x30\x46\x02\x21\x00\x01\x02\x21", 8);
			seed3("near-message", "\x00", 1, sig.data, sig.len, cards[i],
				  p.signing_input_len - 1);
		}
		shc_buf_free(&sig);
	}
	{
		uint8_t		zero[64] = {0};

		seed3("near-zero", "\x00", 1, zero, 64, "m", 1);
	}
}

/* the JSON reader and the FHIR walk: card payloads, bundles, edge cases */
static void
gen_json_read(void)
{
	int			i;

	begin("json_read");
	for (i = 0; i < 3; i++)
	{
		char		name[32];

		snprintf(name, sizeof(name), "payload-%d", i);
		seed(name, payloads[i], payload_len[i]);
	}
	seed_str("bundle-immunization",
			 "{\"resourceType\":\"Bundle\",\"entry\":[{\"fullUrl\":\"resource:0\",\"resource\":"
			 "{\"resourceType\":\"Patient\",\"id\":\"p\",\"birthDate\":\"1951-01-20\"}},"
			 "{\"fullUrl\":\"resource:1\",\"resource\":{\"resourceType\":\"Immunization\","
			 "\"status\":\"completed\",\"meta\":{\"security\":[{\"code\":\"IAL1.2\"}]},"
			 "\"vaccineCode\":{\"coding\":[{\"code\":\"207\"}]},\"patient\":{\"reference\":\"Patient/p\"},"
			 "\"occurrenceDateTime\":\"2021-01-01T10:00:00+01:00\"}}]}");
	seed_str("escapes", "[\"\\u00e9\\ud83d\\ude00\\n\\/\\\"\",\"\xc3\xa9\xf0\x9f\x98\x80\"]");
	seed_str("numbers", "[0,-0,1.5e+10,-2E-3,123456789012345678901234567890,1e1000]");
	seed_str("literals", " {\"a\" : true , \"b\":false,\"c\":null} ");
	seed_str("deep", "[[[[[[[[[[[[[[[[[[[[{\"a\":[[[[[[]]]]]]}]]]]]]]]]]]]]]]]]]]]");
	seed_str("scalar", "\"x\"");
	seed_str("bad-surrogate", "\"\\ud800\\u0041\"");
	seed_str("bom", "\xef\xbb\xbf{}");
}

/* ---- qr_scan: PNG and JPEG images of small QR codes --------------------- */

/* the symbol drawn in grey, px pixels per module, quiet zone of 2 modules */
static uint8_t *
grey_of(const shc_qr_symbol *sym, int px, int *side)
{
	int			n = (sym->width + 4) * px;
	uint8_t    *g = malloc((size_t) n * n);
	int			x,
				y;

	for (y = 0; y < n; y++)
		for (x = 0; x < n; x++)
		{
			int			mx = x / px - 2,
						my = y / px - 2;
			int			dark = mx >= 0 && my >= 0 && mx < sym->width && my < sym->width &&
				sym->modules[my * sym->width + mx];

			g[y * n + x] = dark ? 0 : 255;
		}
	*side = n;
	return g;
}

static void
seed_jpeg(const char *name, const uint8_t *g, int side, int quality,
		  int progressive, int colour)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	unsigned char *out = NULL;
	unsigned long outlen = 0;
	uint8_t    *row = malloc((size_t) side * 3);
	int			y,
				x;

	c.err = jpeg_std_error(&e);
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &out, &outlen);
	c.image_width = side;
	c.image_height = side;
	c.input_components = colour ? 3 : 1;
	c.in_color_space = colour ? JCS_RGB : JCS_GRAYSCALE;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, quality, TRUE);
	if (progressive)
		jpeg_simple_progression(&c);
	jpeg_start_compress(&c, TRUE);
	for (y = 0; y < side; y++)
	{
		JSAMPROW	r = row;

		for (x = 0; x < side; x++)
		{
			if (colour)
				row[3 * x] = row[3 * x + 1] = row[3 * x + 2] = g[y * side + x];
			else
				row[x] = g[y * side + x];
		}
		jpeg_write_scanlines(&c, &r, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	seed(name, out, outlen);
	{
		char		tname[64];

		snprintf(tname, sizeof(tname), "truncated-%s", name);
		seed3(tname, out, outlen / 2, NULL, 0, NULL, 0);
	}
	free(out);
	free(row);
}

static void
gen_qr_scan(void)
{
	shc_qr_symbol sym;
	shc_buf		png;
	shc_error	err;
	uint8_t    *g;
	int			side;

	begin("qr_scan");
	if (shc_qr_symbol_make("a.b.c", 5, NULL, &sym, &err) != SHC_OK)
		die("qr symbol", &err);
	shc_buf_init(&png, NULL, 0);
	if (shc_qr_png(&sym, 2, 4, &png, &err) != SHC_OK)
		die("qr png", &err);
	seed("png-1bit", png.data, png.len);
	seed3("truncated-png", png.data, png.len - 20, NULL, 0, NULL, 0);
	shc_buf_free(&png);
	g = grey_of(&sym, 2, &side);
	{
		/* an RGBA PNG with a transparent background */
		png_image	pi;
		size_t		len = 0;
		uint8_t    *rgba = malloc((size_t) side * side * 4);
		void	   *mem;
		int			i;

		for (i = 0; i < side * side; i++)
		{
			rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = 0;
			rgba[4 * i + 3] = g[i] ? 0 : 255;
		}
		memset(&pi, 0, sizeof(pi));
		pi.version = PNG_IMAGE_VERSION;
		pi.width = side;
		pi.height = side;
		pi.format = PNG_FORMAT_RGBA;
		png_image_write_get_memory_size(pi, len, 0, rgba, 0, NULL);
		mem = malloc(len);
		if (!png_image_write_to_memory(&pi, mem, &len, 0, rgba, 0, NULL))
			die("rgba png", NULL);
		seed("png-rgba", mem, len);
		free(mem);
		free(rgba);
	}
	seed_jpeg("jpeg-grey", g, side, 75, 0, 0);
	seed_jpeg("jpeg-progressive", g, side, 60, 1, 0);
	seed_jpeg("jpeg-colour", g, side, 30, 0, 1);
	free(g);
	shc_qr_symbol_free(&sym);
	seed_str("near-png-signature", "\x89PNG\r\n\x1a\n");
	seed_str("near-jpeg-soi", "\xff\xd8\xff\xdb");
}

static void
gen_shlink(void)
{
	shc_shlink	l;
	shc_buf		b;
	shc_error	err;
	int			i;

	begin("shlink");
	memset(&l, 0, sizeof(l));
	strcpy(l.url, "https://shl.example.org/m/Y9xwkUdtmN9wwoJoN3ffJIhX2UGvCL1JnlPVNL3kDWM");
	for (i = 0; i < 32; i++)
		l.key[i] = (uint8_t) (i * 7);
	shc_buf_init(&b, NULL, 0);
	if (shc_shlink_encode(&l, &b, &err) != SHC_OK)
		die("shlink", &err);
	seed("minimal", b.data, b.len);
	shc_buf_free(&b);
	l.has_exp = true;
	l.exp = 1700000000;
	strcpy(l.flag, "LP");
	l.has_label = true;
	strcpy(l.label, "Caf\xc3\xa9 \"card\" \\ label");
	l.v = 1;
	shc_buf_init(&b, NULL, 0);
	if (shc_shlink_encode(&l, &b, &err) != SHC_OK)
		die("shlink", &err);
	seed("full", b.data, b.len);
	shc_buf_free(&b);
	l.viewer = "https://viewer.example/#";
	l.viewer_len = strlen(l.viewer);
	strcpy(l.flag, "LU");
	shc_buf_init(&b, NULL, 0);
	if (shc_shlink_encode(&l, &b, &err) != SHC_OK)
		die("shlink", &err);
	seed("viewer", b.data, b.len);
	shc_buf_free(&b);
	seed_str("json-full", "\x01{\"url\":\"https://x.example/m\",\"key\":"
			 "\"rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7Q\",\"exp\":1,"
			 "\"flag\":\"P\",\"label\":\"\\u00e9\\ud83d\\ude00\",\"v\":1,"
			 "\"x\":[{\"a\":null},true,false,-1.5e3]}");
	seed_str("near-u-with-p", "\x01{\"url\":\"https://x.example/m\",\"key\":"
			 "\"rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7Q\",\"flag\":\"PU\"}");
	seed_str("near-key-42", "\x01{\"url\":\"https://x.example/m\",\"key\":"
			 "\"rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7\"}");
}

static void
gen_jwe(void)
{
	uint8_t		key[32];
	static const uint8_t iv[12] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6,
	0xa7, 0xa8, 0xa9, 0xaa, 0xab};
	shc_buf		b;
	shc_error	err;
	int			i;

	begin("jwe");
	for (i = 0; i < 32; i++)
		key[i] = (uint8_t) i;
	shc_buf_init(&b, NULL, 0);
	if (shc_jwe_encrypt_iv(key, iv, "text/plain", (const uint8_t *) "SMART Health Links",
						   18, false, &b, &err) != SHC_OK)
		die("jwe", &err);
	seed3("plain", "\x00", 1, b.data, b.len, NULL, 0);
	shc_buf_free(&b);
	shc_buf_init(&b, NULL, 0);
	if (shc_jwe_encrypt_iv(key, iv, "application/fhir+json", (const uint8_t *) payloads[0],
						   payload_len[0], true, &b, &err) != SHC_OK)
		die("jwe", &err);
	seed3("zip", "\x00", 1, b.data, b.len, NULL, 0);
	shc_buf_free(&b);
	seed_str("header", "\x01{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"cty\":\"text/plain\"}");
	seed_str("header-zip", "\x01{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"zip\":\"DEF\",\"crit\":[\"b64\"]}");
	seed3("roundtrip", "\x02", 1, payloads[1], payload_len[1], NULL, 0);
	seed_str("near-truncated", "\x00eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..oKGio6Slpqeoqaqr.tVU9");
}

/*
 * The small JSON objects read by the members consumer (and, as JWK files,
 * by the reader into jsonb): JOSE headers, SMART Health Link payloads,
 * JWKs, and near misses.  Written for json_members and json_read alike.
 */
static const char *const objects[][2] = {
	{"jose-jws", "{\"zip\":\"DEF\",\"alg\":\"ES256\",\"kid\":\"3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s\"}"},
	{"jose-jwe", "{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"cty\":\"application/smart-health-card\",\"zip\":\"DEF\"}"},
	{"jose-crit", " {\"alg\" : \"dir\",\n\t\"enc\":\"A256GCM\",\"crit\":[\"b64\"],\"b64\":false}\r\n"},
	{"link-full", "{\"url\":\"https://shl.example.org/m/Y9xwkUdtmN9wwoJoN3ffJIhX2UGvCL1JnlPVNL3kDWM\","
	 "\"key\":\"rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7Q\",\"exp\":1700000000,"
	 "\"flag\":\"LP\",\"label\":\"Caf\\u00e9 \\\"card\\\" \\ud83d\\ude00\",\"v\":1}"},
	{"link-minimal", "{\"url\":\"https://x.example/m\",\"key\":\"rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7Q\"}"},
	{"jwk-public", "{\"kty\":\"EC\",\"kid\":\"3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s\",\"use\":\"sig\","
	 "\"alg\":\"ES256\",\"crv\":\"P-256\",\"x\":\"" FUZZ_G_X "\",\"y\":\"" FUZZ_G_Y "\"}"},
	{"jwk-private", "{\n  \"kty\": \"EC\",\n  \"crv\": \"P-256\",\n  \"x\": \"" FUZZ_G_X "\",\n"
	 "  \"y\": \"" FUZZ_G_Y "\",\n  \"d\": \"" FUZZ_G_D "\",\n  \"key_ops\": [\"sign\"],\n  \"ext\": true\n}\n"},
	{"jwks", "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" FUZZ_G_X "\",\"y\":\"" FUZZ_G_Y "\"}]}"},
	{"near-duplicate", "{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"\\u0061lg\":\"none\"}"},
	{"near-array", "[{\"alg\":\"dir\"}]"},
	{"near-trailing", "{\"alg\":\"dir\"},"},
	{"near-deep", "{\"x\":[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]}"},
	{"near-bom", "\xef\xbb\xbf{\"alg\":\"dir\"}"},
};

static void
gen_objects(const char *harness_name)
{
	size_t		i;

	begin(harness_name);
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		seed_str(objects[i][0], objects[i][1]);
}

int
main(int argc, char **argv)
{
	if (argc != 2)
	{
		fprintf(stderr, "usage: gen_corpus <dir>\n");
		return 2;
	}
	outdir = argv[1];
	if (mkdir(outdir, 0777) != 0 && errno != EEXIST)
		die(outdir, NULL);
	make_cards();
	gen_b64url();
	gen_inflate();
	gen_deflate_roundtrip();
	gen_qr_decode();
	gen_qr_roundtrip();
	gen_jws_split();
	gen_jwk();
	gen_es256_verify();
	gen_json_read();
	gen_qr_scan();
	gen_shlink();
	gen_jwe();
	gen_objects("json_members");
	gen_objects("json_read");
	shc_ec_key_free(gkey);
	printf("gen_corpus: %d seeds under %s\n", nseeds, outdir);
	return 0;
}
