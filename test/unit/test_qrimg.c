/*
 * test_qrimg.c: QR symbols (libqrencode, two segments, level L, at most
 * version 22), the PNG writer (decoded back here with zlib and compared
 * with the modules), the SVG path and XML escaping.
 */
#include "unit.h"
#include "shc_qr.h"
#include "shc_qrimg.h"

#include <zlib.h>

static uint32_t
be32(const uint8_t *p)
{
	return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) |
		((uint32_t) p[2] << 8) | p[3];
}

static char *
repeat(char c, size_t n)
{
	char	   *s = malloc(n + 1);

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* Decode our PNG: check every CRC, inflate IDAT, compare with sym. */
static int
png_matches(const uint8_t *p, size_t n, const shc_qr_symbol *sym, int px, int quiet)
{
	static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	size_t		off = 8;
	uint32_t	w = 0,
				h = 0;
	uint8_t    *raw = NULL;
	uLongf		rawlen = 0;
	int			ok = 1,
				seen_end = 0;

	if (n < 8 || memcmp(p, sig, 8) != 0)
		return 0;
	while (off + 12 <= n && !seen_end)
	{
		uint32_t	len = be32(p + off);
		const uint8_t *type = p + off + 4;
		uLong		crc;

		if (off + 12 + len > n)
			return 0;
		crc = crc32(crc32(0L, Z_NULL, 0), type, 4 + len);
		if (crc != be32(p + off + 8 + len))
			ok = 0;
		if (memcmp(type, "IHDR", 4) == 0)
		{
			w = be32(type + 4);
			h = be32(type + 8);
			if (type[12] != 1 || type[13] != 0 || type[16] != 0)
				ok = 0;
			rawlen = (uLongf) h * ((w + 7) / 8 + 1);
			raw = malloc(rawlen ? rawlen : 1);
		}
		else if (memcmp(type, "IDAT", 4) == 0)
		{
			uLongf		got = rawlen;

			if (raw == NULL || uncompress(raw, &got, type + 4, len) != Z_OK ||
				got != rawlen)
				ok = 0;
		}
		else if (memcmp(type, "IEND", 4) == 0)
			seen_end = 1;
		off += 12 + len;
	}
	if (!seen_end || off != n || w != h ||
		w != (uint32_t) ((sym->width + 2 * quiet) * px))
		ok = 0;
	if (ok)
	{
		size_t		rb = (w + 7) / 8 + 1;
		uint32_t	x,
					y;

		for (y = 0; y < h && ok; y++)
		{
			if (raw[y * rb] != 0)
				ok = 0;
			for (x = 0; x < w && ok; x++)
			{
				int			white = (raw[y * rb + 1 + x / 8] >> (7 - x % 8)) & 1;
				int			mx = (int) (x / px) - quiet,
							my = (int) (y / px) - quiet;
				int			dark = mx >= 0 && my >= 0 && mx < sym->width &&
					my < sym->width && sym->modules[my * sym->width + mx];

				if (white == dark)
					ok = 0;
			}
		}
	}
	free(raw);
	return ok;
}

static void
symbol_case(const char *card, int want_version, const char *label)
{
	shc_qr_symbol sym;
	shc_error	e;
	shc_status	st = shc_qr_symbol_make(card, strlen(card), NULL, &sym, &e);

	CHECK(st == SHC_OK && sym.version == want_version &&
		  sym.width == 17 + 4 * want_version,
		  "%s: version %d (got %d, %s)", label, want_version, sym.version, e.detail);
	shc_qr_symbol_free(&sym);
}

static void
symbol_rejects(const char *card, shc_status want, const char *needle,
			   const char *label)
{
	shc_qr_symbol sym;
	shc_error	e;
	shc_status	st;

	memset(&e, 0, sizeof(e));
	st = shc_qr_symbol_make(card, strlen(card), NULL, &sym, &e);
	CHECK(st == want && strstr(e.detail, needle) != NULL && sym.modules == NULL,
		  "%s rejected (%s)", label, e.detail);
	shc_qr_symbol_free(&sym);
}

void
test_qrimg(void)
{
	shc_qr_symbol a,
				b;
	shc_error	e;
	shc_buf		out;
	char	   *s;
	char	   *t;
	int			px,
				q;

	symbol_case("abc", 1, "3 characters");
	s = repeat('a', 804);
	symbol_case(s, 18, "804 characters (as example-00)");
	free(s);
	s = repeat('a', 1195);
	symbol_case(s, 22, "1195 characters");
	free(s);
	s = repeat('a', 1196);
	symbol_rejects(s, SHC_ERR_QR_TOO_LONG, "at most 1195", "1196 characters");
	free(s);
	symbol_rejects("", SHC_ERR_JWS_CHARS, "empty", "empty card");
	symbol_rejects("a b", SHC_ERR_JWS_CHARS, "offset 1", "a space");
	symbol_rejects("shc:/0078", SHC_ERR_QR_NUMERIC, "above 77", "pair 78");
	symbol_rejects("shc:/1/1/0001", SHC_ERR_QR_CHUNKS, "1/1/", "1/1/ header");
	t = repeat('5', 2 * 1191);
	s = malloc(strlen(t) + 16);
	sprintf(s, "shc:/10/10/%s", t);
	symbol_rejects(s, SHC_ERR_QR_TOO_LONG, "version 23", "chunk needing version 23");
	sprintf(s, "shc:/9/9/%s", t);
	symbol_case(s, 22, "chunk 9/9 of 1191 characters");
	free(s);
	free(t);

	/* the JWS and its shc:/ text give the same modules */
	shc_buf_init(&out, NULL, 0);
	shc_qr_numeric_encode("eyJ.abc_-.x", 11, 1, 1, &out, &e);
	if (shc_qr_symbol_make("eyJ.abc_-.x", 11, NULL, &a, &e) == SHC_OK &&
		shc_qr_symbol_make(out.data, out.len, NULL, &b, &e) == SHC_OK)
	{
		CHECK(a.width == b.width &&
			  memcmp(a.modules, b.modules, (size_t) a.width * a.width) == 0 &&
			  a.jws_len == 11 && b.text_len == out.len,
			  "JWS and shc:/ text give the same symbol");
		shc_qr_symbol_free(&b);
	}
	else
		CHECK(0, "JWS and shc:/ text give the same symbol (%s)", e.detail);
	shc_buf_free(&out);

	/* PNG round trip through zlib, several sizes */
	for (px = 1; px <= 9; px += 4)
		for (q = 0; q <= 4; q += 4)
		{
			shc_buf_init(&out, NULL, 0);
			CHECK(shc_qr_png(&a, px, q, &out, &e) == SHC_OK &&
				  png_matches((const uint8_t *) out.data, out.len, &a, px, q),
				  "PNG %d px/module, quiet %d: CRCs, IHDR, pixels", px, q);
			shc_buf_free(&out);
		}
	shc_buf_init(&out, NULL, 0);
	CHECK(shc_qr_png(&a, 0, 4, &out, &e) == SHC_ERR_LIMIT && out.len == 0,
		  "PNG module size 0 rejected (%s)", e.detail);
	CHECK(shc_qr_png(&a, 8, 17, &out, &e) == SHC_ERR_LIMIT,
		  "PNG quiet zone 17 rejected (%s)", e.detail);
	CHECK(shc_qr_svg(&a, 65, 4, &out, &e) == SHC_ERR_LIMIT,
		  "SVG module size 65 rejected (%s)", e.detail);

	/* SVG: one path, viewBox in modules */
	CHECK(shc_qr_svg(&a, 10, 4, &out, &e) == SHC_OK &&
		  strstr(out.data, "viewBox=\"0 0 29 29\"") != NULL &&
		  strstr(out.data, "width=\"290\"") != NULL &&
		  strstr(strstr(out.data, "<path") + 1, "<path") == NULL &&
		  strstr(out.data, "d=\"M4 4h7v1h-7z") != NULL,
		  "SVG: viewBox, size, one path starting at the finder pattern");
	shc_buf_free(&out);
	shc_qr_symbol_free(&a);

	shc_buf_init(&out, NULL, 0);
	shc_xml_escape(&out, "a<b>&\"c'\x01\t\xc3\xa9", 12);
	CHECK(strcmp(out.data, "a&lt;b&gt;&amp;&quot;c&apos;\xef\xbf\xbd\t\xc3\xa9") == 0,
		  "XML escape: entities, control byte replaced, UTF-8 kept (%s)", out.data);
	shc_buf_free(&out);

	/* the spec's example-00: version 18, 89 modules, as its SVG */
	{
		char	   *path = unit_vector_path("examples/example-00-d-jws.txt");
		size_t		len;

		if (path == NULL)
			unit_skip_n(1, "example-00 JWS not present (SHC_VECTORS)");
		else
		{
			s = unit_read_file(path, &len);
			CHECK(s != NULL && shc_qr_symbol_make(s, len, NULL, &a, &e) == SHC_OK &&
				  a.version == 18 && a.width == 89,
				  "example-00: version 18, 89 modules");
			shc_qr_symbol_free(&a);
			free(s);
			free(path);
		}
	}
}
