/*
 * test_b64url.c: strict base64url (RFC 4648 section 5), known answers and
 * every rejection path.
 */
#include "unit.h"
#include "shc_b64url.h"

static void
enc_is(const char *in, size_t n, const char *want)
{
	shc_buf		b;
	shc_error	e;

	shc_buf_init(&b, NULL, 0);
	CHECK(shc_b64url_encode((const uint8_t *) in, n, &b, &e) == SHC_OK &&
		  b.len == strlen(want) && memcmp(b.data, want, b.len) == 0 &&
		  b.len == SHC_B64URL_ENCODED_LEN(n),
		  "encode %zu bytes -> \"%s\"", n, want);
	shc_buf_free(&b);
}

static void
dec_is(const char *in, const char *want, size_t wantlen)
{
	shc_buf		b;
	shc_error	e;
	shc_status	st;

	shc_buf_init(&b, NULL, 0);
	st = shc_b64url_decode(in, strlen(in), &b, &e);
	CHECK(st == SHC_OK && b.len == wantlen && memcmp(b.data, want, wantlen) == 0,
		  "decode \"%s\"", in);
	shc_buf_free(&b);
}

static void
dec_rejects(const char *in, size_t n, const char *needle)
{
	shc_buf		b;
	shc_error	e;
	shc_status	st;

	shc_buf_init(&b, NULL, 0);
	memset(&e, 0, sizeof(e));
	st = shc_b64url_decode(in, n, &b, &e);
	CHECK(st == SHC_ERR_B64URL && strstr(e.detail, needle) != NULL,
		  "reject \"%.*s\" (%s)", (int) n, in, e.detail);
	shc_buf_free(&b);
}

void
test_b64url(void)
{
	uint8_t		all[256];
	shc_buf		b,
				d;
	shc_error	e;
	int			i;

	/* RFC 4648 section 10 vectors, without padding */
	enc_is("", 0, "");
	enc_is("f", 1, "Zg");
	enc_is("fo", 2, "Zm8");
	enc_is("foo", 3, "Zm9v");
	enc_is("foob", 4, "Zm9vYg");
	enc_is("fooba", 5, "Zm9vYmE");
	enc_is("foobar", 6, "Zm9vYmFy");
	/* the URL-safe symbols */
	enc_is("\xfb\xff\xbf", 3, "-_-_");
	enc_is("\x03\xe0", 2, "A-A");

	dec_is("", "", 0);
	dec_is("Zg", "f", 1);
	dec_is("Zm8", "fo", 2);
	dec_is("Zm9vYmFy", "foobar", 6);
	dec_is("-_-_", "\xfb\xff\xbf", 3);

	/* round trip of every byte value at every alignment */
	for (i = 0; i < 256; i++)
		all[i] = (uint8_t) i;
	for (i = 0; i < 3; i++)
	{
		shc_buf_init(&b, NULL, 0);
		shc_buf_init(&d, NULL, 0);
		shc_b64url_encode(all + i, 256 - i, &b, &e);
		CHECK(shc_b64url_decode(b.data, b.len, &d, &e) == SHC_OK &&
			  d.len == (size_t) (256 - i) && memcmp(d.data, all + i, d.len) == 0,
			  "round trip of %d bytes", 256 - i);
		shc_buf_free(&b);
		shc_buf_free(&d);
	}

	/* rejections */
	dec_rejects("Zg==", 4, "Padding");
	dec_rejects("Zm8=", 4, "Padding");
	dec_rejects("Zm 9v", 5, "White space");
	dec_rejects("Zm9v\n", 5, "White space");
	dec_rejects("Zm+v", 4, "standard base64");
	dec_rejects("Zm/v", 4, "standard base64");
	dec_rejects("Zm*v", 4, "Invalid symbol");
	dec_rejects("Zm\x01v", 4, "Invalid byte 0x01");
	dec_rejects("Zm\xc3\xa9", 4, "Invalid byte 0xc3");
	dec_rejects("Zm9vY", 5, "cannot be base64url");
	dec_rejects("Z", 1, "cannot be base64url");
	dec_rejects("Zh", 2, "trailing bits");	/* 'h' leaves low bits set */
	dec_rejects("Zm9", 3, "trailing bits");
	dec_rejects("Zm9vYm\x00y", 8, "Invalid byte 0x00");
	dec_rejects("Zm9vY=", 6, "Padding");
}
