/*
 * shc_deflate.c
 *		Raw DEFLATE compression (RFC 1951) with libdeflate (zlib's streaming
 *		deflate above 256 kB, so a cancel is seen) and bounded decompression
 *		with zlib.
 *
 * The compressors and the inflate stream kept per process hold no state
 * between calls (each call starts from a reset), so callers may raise
 * errors afterwards without leaking library state; shc_inflate_prefix's
 * stream is ended on every path.
 */
#include "shc_deflate.h"

#include <limits.h>
#include <string.h>
#include <libdeflate.h>
#include <zlib.h>

#define SHC_ZCHUNK ((size_t) 1 << 30)	/* uInt-sized steps */

/*
 * Compression is libdeflate's (whole-buffer DEFLATE, made for exactly this:
 * the payload is in memory and small).  At level 9 it is faster than
 * zlib's level 9 on cards and its output is never larger on the benchmark's
 * 500 realistic cards (docs/performance.md, "DEFLATE"); the stream is plain
 * RFC 1951, which zlib inflates (the tests and the independent Node
 * verifier of the issue tier check it).  Inflating stays with zlib: its
 * streaming interface gives the output cap without knowing the size first.
 *
 * One compressor per level is kept per process (allocating one costs more
 * than compressing a card); the core is used single-threaded (one
 * PostgreSQL backend, the test and benchmark programs).  A compressor holds
 * no state between calls.
 */
static struct libdeflate_compressor *kept[10];

/*
 * A payload above this size (never a card that fits a QR code) is
 * compressed by zlib's streaming deflate instead, in steps of this size, so
 * the allocator's interrupt hook (a cancel, statement_timeout) is looked at
 * between steps: libdeflate compresses a buffer in one uninterruptible call.
 * zlib's memory then comes from out's allocator, so that leaving through
 * the hook frees it.
 */
#define SHC_DEFLATE_STEP ((size_t) 256 * 1024)

static voidpf
z_alloc(voidpf opaque, uInt items, uInt size)
{
	const shc_allocator *a = opaque;

	if (size != 0 && items > UINT_MAX / size)
		return Z_NULL;
	return a->alloc((size_t) items * size, a->ctx);
}

static void
z_free(voidpf opaque, voidpf address)
{
	const shc_allocator *a = opaque;

	a->free(address, a->ctx);
}

static shc_status
deflate_stream(const uint8_t *in, size_t n, int level, shc_buf *out,
			   shc_error *err)
{
	z_stream	zs;
	int			rc;
	size_t		done = 0;
	shc_status	st = SHC_OK;

	memset(&zs, 0, sizeof(zs));
	zs.zalloc = z_alloc;
	zs.zfree = z_free;
	zs.opaque = (voidpf) out->a;
	rc = deflateInit2(&zs, level, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
	if (rc == Z_MEM_ERROR)
		return shc_error_set(err, SHC_ERR_NOMEM, NULL);
	if (rc != Z_OK)
		return shc_error_set(err, SHC_ERR_INTERNAL, "deflateInit2 failed (%d).", rc);
	for (;;)
	{
		size_t		step = n - done < SHC_DEFLATE_STEP ? n - done : SHC_DEFLATE_STEP;
		int			flush = done + step == n ? Z_FINISH : Z_NO_FLUSH;

		zs.next_in = (Bytef *) in + done;
		zs.avail_in = (uInt) step;
		done += step;
		do
		{
			size_t		room = deflateBound(&zs, zs.avail_in) + 64;

			if (!shc_buf_reserve(out, room))
			{
				st = shc_buf_status(out, err);
				goto end;
			}
			zs.next_out = (Bytef *) out->data + out->len;
			zs.avail_out = (uInt) room;
			rc = deflate(&zs, flush);
			out->len += room - zs.avail_out;
			out->data[out->len] = '\0';
			if (rc == Z_STREAM_ERROR)
			{
				st = shc_error_set(err, SHC_ERR_INTERNAL, "deflate failed (%d).", rc);
				goto end;
			}
		} while (zs.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
		if (flush == Z_FINISH)
			break;
		SHC_INTERRUPT_POINT(out->a);
	}
end:
	deflateEnd(&zs);
	return st;
}

shc_status
shc_deflate_raw(const uint8_t *in, size_t n, int level, shc_buf *out,
				shc_error *err)
{
	size_t		bound,
				got;

	if (level < 1 || level > 9)
		return shc_error_set(err, SHC_ERR_DEFLATE,
							 "Compression level %d is outside 1..9.", level);
	if (n > UINT_MAX / 2)
		return shc_error_set(err, SHC_ERR_LIMIT,
							 "Input of %zu bytes is too large to compress.", n);
	if (n > SHC_DEFLATE_STEP)
		return deflate_stream(in, n, level, out, err);
	if (kept[level] == NULL &&
		(kept[level] = libdeflate_alloc_compressor(level)) == NULL)
		return shc_error_set(err, SHC_ERR_NOMEM, NULL);

	bound = libdeflate_deflate_compress_bound(kept[level], n);
	if (!shc_buf_reserve(out, bound))
		return shc_buf_status(out, err);
	got = libdeflate_deflate_compress(kept[level], in, n,
									  out->data + out->len, bound);
	if (got == 0)				/* cannot happen with the bound's room */
		return shc_error_set(err, SHC_ERR_DEFLATE, "DEFLATE produced no output.");
	out->len += got;
	out->data[out->len] = '\0';
	return SHC_OK;
}

static shc_status
inflate_failure(shc_error *err, const uint8_t *in, size_t n, const char *why)
{
	/* Name the common mistake of a wrapped stream (SHC-NOTES 4.1). */
	if (n >= 2 && (in[0] & 0x0f) == 8 && ((in[0] << 8) | in[1]) % 31 == 0)
		return shc_error_set(err, SHC_ERR_INFLATE,
							 "The data starts with a zlib header; SMART Health Cards use raw DEFLATE (RFC 1951) without a wrapper.");
	if (n >= 2 && in[0] == 0x1f && in[1] == 0x8b)
		return shc_error_set(err, SHC_ERR_INFLATE,
							 "The data starts with a gzip header; SMART Health Cards use raw DEFLATE (RFC 1951) without a wrapper.");
	return shc_error_set(err, SHC_ERR_INFLATE, "%s", why);
}

/*
 * One inflate stream per process too, reset per call: inflateInit2 and
 * inflateEnd allocated and freed its 7 kB state for every card.  A call
 * that ends early (an error, or a cancel between calls) leaves nothing
 * that the next inflateReset does not reset; a window zlib allocated for a
 * payload inflated in several steps stays for the next one.
 */
static z_stream kept_inflate;
static bool kept_inflate_ready;

shc_status
shc_inflate_raw(const uint8_t *in, size_t n, size_t max_out, shc_buf *out,
				shc_error *err)
{
	z_stream   *zs = &kept_inflate;
	int			rc;
	size_t		start = out->len;
	shc_status	st = SHC_OK;

	if (n == 0)
		return shc_error_set(err, SHC_ERR_INFLATE, "The compressed data is empty.");
	if (n > UINT_MAX)
		return shc_error_set(err, SHC_ERR_LIMIT,
							 "Compressed input of %zu bytes is too large.", n);
	/*
	 * The loop below offers max_out + 1 bytes, which must not wrap: a cap of
	 * SIZE_MAX ("no cap") used to leave 0 bytes of room and report a
	 * complete stream as truncated.  No buffer gets past SIZE_MAX / 2.
	 */
	if (max_out > SIZE_MAX / 2)
		max_out = SIZE_MAX / 2;

	if (!kept_inflate_ready)
	{
		memset(zs, 0, sizeof(*zs));
		rc = inflateInit2(zs, -15);
		if (rc == Z_MEM_ERROR)
			return shc_error_set(err, SHC_ERR_NOMEM, NULL);
		if (rc != Z_OK)
			return shc_error_set(err, SHC_ERR_INTERNAL, "inflateInit2 failed (%d).", rc);
		kept_inflate_ready = true;
	}
	else if ((rc = inflateReset(zs)) != Z_OK)
		return shc_error_set(err, SHC_ERR_INTERNAL, "inflateReset failed (%d).", rc);

	zs->next_in = (Bytef *) in;
	zs->avail_in = (uInt) n;
	for (;;)
	{
		size_t		produced = out->len - start;
		size_t		remaining = (max_out + 1) - produced;
		size_t		room = 4 * n + 1024;	/* grow gradually, not to the cap */
		uInt		in_before = zs->avail_in;
		uLong		out_before = zs->total_out;

		/*
		 * Offer at most max_out + 1 bytes in total: producing the extra byte
		 * proves the limit is exceeded without inflating the rest.
		 */
		if (room > remaining)
			room = remaining;
		if (room > SHC_ZCHUNK)
			room = SHC_ZCHUNK;
		if (!shc_buf_reserve(out, room))
		{
			st = shc_buf_status(out, err);
			break;
		}
		zs->next_out = (Bytef *) out->data + out->len;
		zs->avail_out = (uInt) room;
		/*
		 * Z_FINISH: all the input is here.  A stream that completes in this
		 * call then needs no 32 kB sliding window, which Z_NO_FLUSH makes
		 * zlib allocate and fill on every call; one that does not complete
		 * gets its window and goes on as with Z_NO_FLUSH (zlib's manual),
		 * and reports a full output buffer as Z_BUF_ERROR.
		 */
		rc = inflate(zs, Z_FINISH);
		out->len += room - zs->avail_out;
		out->data[out->len] = '\0';

		if (out->len - start > max_out)
		{
			st = shc_error_set(err, SHC_ERR_INFLATE_TOO_LARGE,
							   "The decompressed data exceeds the maximum of %zu bytes.",
							   max_out);
			break;
		}
		if (rc == Z_STREAM_END)
		{
			if (zs->avail_in != 0)
				st = shc_error_set(err, SHC_ERR_INFLATE,
								   "%u bytes follow the end of the DEFLATE stream.",
								   zs->avail_in);
			break;
		}
		if (rc == Z_MEM_ERROR)
		{
			st = shc_error_set(err, SHC_ERR_NOMEM, NULL);
			break;
		}
		if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT || rc == Z_STREAM_ERROR)
		{
			st = inflate_failure(err, in, n, "The DEFLATE stream is corrupt.");
			break;
		}
		if (zs->avail_out != 0 || (zs->avail_in == in_before && zs->total_out == out_before))
		{
			/*
			 * Output space is left, or nothing moved: the input ended before
			 * the final block.
			 */
			st = inflate_failure(err, in, n, "The DEFLATE stream is truncated.");
			break;
		}
	}
	if (st != SHC_OK)
	{
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
	}
	return st;
}

shc_status
shc_inflate_prefix(const uint8_t *in, size_t n, size_t max_out, shc_buf *out,
				   shc_error *err)
{
	z_stream	zs;
	int			rc;

	if (n > UINT_MAX || max_out > UINT_MAX)
		return shc_error_set(err, SHC_ERR_LIMIT,
							 "Compressed input of %zu bytes is too large.", n);
	if (!shc_buf_reserve(out, max_out))
		return shc_buf_status(out, err);
	memset(&zs, 0, sizeof(zs));
	rc = inflateInit2(&zs, -15);
	if (rc == Z_MEM_ERROR)
		return shc_error_set(err, SHC_ERR_NOMEM, NULL);
	if (rc != Z_OK)
		return shc_error_set(err, SHC_ERR_INTERNAL, "inflateInit2 failed (%d).", rc);
	zs.next_in = (Bytef *) in;
	zs.avail_in = (uInt) n;
	zs.next_out = (Bytef *) out->data + out->len;
	zs.avail_out = (uInt) max_out;
	/* one call: as much as the input and the room allow, no more */
	rc = inflate(&zs, Z_SYNC_FLUSH);
	out->len += max_out - zs.avail_out;
	out->data[out->len] = '\0';
	inflateEnd(&zs);
	if (rc == Z_MEM_ERROR)
		return shc_error_set(err, SHC_ERR_NOMEM, NULL);
	if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT || rc == Z_STREAM_ERROR)
		return inflate_failure(err, in, n, "The DEFLATE stream is corrupt.");
	return SHC_OK;
}
