/*
 * test_deflate.c: raw DEFLATE round trips, the inflate cap, empty,
 * truncated, corrupt, wrapped and trailing-garbage input.
 */
#include "unit.h"
#include "shc_deflate.h"

#include <zlib.h>

static void
inflate_rejects(const uint8_t *in, size_t n, size_t cap, shc_status want,
				const char *needle, const char *name)
{
	shc_buf		b;
	shc_error	e;
	shc_status	st;

	shc_buf_init(&b, NULL, 0);
	memset(&e, 0, sizeof(e));
	st = shc_inflate_raw(in, n, cap, &b, &e);
	CHECK(st == want && strstr(e.detail, needle) != NULL && b.len == 0,
		  "inflate rejects %s (%s)", name, e.detail);
	shc_buf_free(&b);
}

static void
count_interrupt(void *ctx)
{
	(*(int *) ctx)++;
}

void
test_deflate(void)
{
	const char *text = "{\"iss\":\"https://spec.smarthealth.cards/examples/issuer\",\"nbf\":1687450764.656}";
	shc_buf		z,
				b,
				big;
	shc_error	e;
	size_t		i;
	uint8_t		zlibbed[256];
	uLongf		zlen = sizeof(zlibbed);

	/* round trip at the strongest level */
	shc_buf_init(&z, NULL, 0);
	shc_buf_init(&b, NULL, 0);
	CHECK(shc_deflate_raw((const uint8_t *) text, strlen(text), 9, &z, &e) == SHC_OK &&
		  z.len > 0, "deflate a payload");
	CHECK(shc_inflate_raw((const uint8_t *) z.data, z.len, 1 << 20, &b, &e) == SHC_OK &&
		  b.len == strlen(text) && memcmp(b.data, text, b.len) == 0,
		  "inflate gives it back");
	shc_buf_free(&b);

	/* the cap: exactly the size passes, one byte less fails */
	shc_buf_init(&b, NULL, 0);
	CHECK(shc_inflate_raw((const uint8_t *) z.data, z.len, strlen(text), &b, &e) == SHC_OK,
		  "inflate with a cap equal to the size");
	shc_buf_free(&b);
	inflate_rejects((const uint8_t *) z.data, z.len, strlen(text) - 1,
					SHC_ERR_INFLATE_TOO_LARGE, "exceeds the maximum", "output one byte over the cap");

	/* a cap of SIZE_MAX is no cap (it used to wrap to zero room) */
	shc_buf_init(&b, NULL, 0);
	CHECK(shc_inflate_raw((const uint8_t *) z.data, z.len, SIZE_MAX, &b, &e) == SHC_OK &&
		  b.len == strlen(text), "inflate with a cap of SIZE_MAX");
	shc_buf_free(&b);

	/* truncated stream */
	inflate_rejects((const uint8_t *) z.data, z.len - 3, 1 << 20,
					SHC_ERR_INFLATE, "truncated", "a truncated stream");
	/* trailing garbage after the final block */
	{
		uint8_t    *t = malloc(z.len + 2);

		memcpy(t, z.data, z.len);
		t[z.len] = 'x';
		t[z.len + 1] = 'y';
		inflate_rejects(t, z.len + 2, 1 << 20, SHC_ERR_INFLATE, "follow the end",
						"trailing bytes");
		free(t);
	}
	shc_buf_free(&z);

	/* empty input */
	inflate_rejects((const uint8_t *) "", 0, 1 << 20, SHC_ERR_INFLATE, "empty", "empty input");

	/* a zlib-wrapped stream is not raw DEFLATE */
	compress2(zlibbed, &zlen, (const Bytef *) text, strlen(text), 9);
	inflate_rejects(zlibbed, zlen, 1 << 20, SHC_ERR_INFLATE, "zlib header", "a zlib wrapper");
	/* gzip magic */
	{
		const uint8_t gz[] = {0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3, 3, 0};

		inflate_rejects(gz, sizeof(gz), 1 << 20, SHC_ERR_INFLATE, "", "a gzip wrapper");
	}
	/* a corrupt block type (BTYPE = 11) */
	{
		const uint8_t bad[] = {0x07, 0x00};

		inflate_rejects(bad, sizeof(bad), 1 << 20, SHC_ERR_INFLATE, "corrupt", "BTYPE 11");
	}
	/* uncompressed text is not DEFLATE */
	inflate_rejects((const uint8_t *) text, strlen(text), 1 << 20, SHC_ERR_INFLATE, "",
					"plain JSON");

	/*
	 * above 256 kB, zlib's streaming deflate, whose steps call the
	 * allocator's interrupt hook: a 1 MB text of varied lines
	 */
	{
		shc_allocator a = shc_default_allocator;
		int			calls = 0;
		shc_buf		t,
					back;
		unsigned	k;
		bool		ok;

		a.interrupt = count_interrupt;
		a.ctx = &calls;
		shc_buf_init(&t, NULL, 0);
		for (k = 0; t.len < (1u << 20); k++)
		{
			char		line[80];

			snprintf(line, sizeof(line), "{\"resourceType\":\"Observation\",\"id\":\"%u\"},", k * 2654435761u);
			shc_buf_append_str(&t, line);
		}
		shc_buf_init(&z, &a, 0);
		shc_buf_init(&back, NULL, 0);
		ok = shc_deflate_raw((const uint8_t *) t.data, t.len, 9, &z, &e) == SHC_OK &&
			shc_inflate_raw((const uint8_t *) z.data, z.len, t.len, &back, &e) == SHC_OK &&
			back.len == t.len && memcmp(back.data, t.data, t.len) == 0;
		CHECK(ok, "deflate of %zu bytes in steps inflates back (%zu bytes)", t.len, z.len);
		CHECK(calls >= 3, "the steps call the interrupt hook (%d calls)", calls);
		shc_buf_free(&t);
		shc_buf_free(&z);
		shc_buf_free(&back);
	}

	/* a bomb: 50 MB of zeros compresses to ~50 kB; the cap stops it */
	shc_buf_init(&big, NULL, 0);
	shc_buf_reserve(&big, 50u << 20);
	memset(big.data, 0, 50u << 20);
	big.len = 50u << 20;
	shc_buf_init(&z, NULL, 0);
	CHECK(shc_deflate_raw((const uint8_t *) big.data, big.len, 9, &z, &e) == SHC_OK &&
		  z.len < 100000, "deflate a 50 MB bomb into %zu bytes", z.len);
	shc_buf_free(&big);
	inflate_rejects((const uint8_t *) z.data, z.len, 1 << 20, SHC_ERR_INFLATE_TOO_LARGE,
					"1048576", "a 50 MB bomb under a 1 MB cap");
	shc_buf_free(&z);

	/* a buffer limit reports SHC_ERR_LIMIT, not a crash */
	shc_buf_init(&b, NULL, 10);
	for (i = 0; i < 3; i++)
		shc_buf_append_str(&b, "abcd");
	CHECK(shc_buf_status(&b, &e) == SHC_ERR_LIMIT && b.len == 8,
		  "shc_buf stops at its limit");
	shc_buf_free(&b);

	/* bad level */
	shc_buf_init(&z, NULL, 0);
	CHECK(shc_deflate_raw((const uint8_t *) text, 3, 10, &z, &e) == SHC_ERR_DEFLATE,
		  "deflate rejects level 10");
	shc_buf_free(&z);
}
