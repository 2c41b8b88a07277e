/*
 * shc_qrimg.c
 *		QR symbols of SMART Health Cards (SHC-NOTES section 8) with
 *		libqrencode, and their PNG and SVG images.
 *
 * The symbol holds exactly two segments, as the spec and the official
 * validator require: byte mode "shc:/" (plus "C/N/" for a chunk of the
 * deprecated split) and numeric mode for the digits; error-correction
 * level L; version 0 asks libqrencode for the smallest version that fits,
 * and anything above version 22 is refused (SHC-NOTES 8 and 11).
 *
 * The PNG (ISO/IEC 15948) is written here: signature, IHDR, one IDAT of
 * zlib-compressed scanlines (zlib's deflate, filter type 0) and IEND, each
 * chunk with zlib's crc32.  No DEFLATE or QR encoder is hand-written.
 */
#include "shc_qrimg.h"
#include "shc_qr.h"
#include "shc_shlink.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <qrencode.h>
#include <zlib.h>

static const char *
qr_alloc_fail_detail(void)
{
	return "The QR encoder could not allocate memory.";
}

/* Whether card[0..n) is a SMART Health Link ("shlink:/" or "...#shlink:/"). */
static bool
is_shlink(const char *card, size_t n)
{
	const char *h;

	if (n >= SHC_SHLINK_PREFIX_LEN && memcmp(card, SHC_SHLINK_PREFIX, SHC_SHLINK_PREFIX_LEN) == 0)
		return true;
	/* a JWS or shc:/ text never holds '#' */
	h = memchr(card, '#', n);
	return h != NULL && (size_t) (card + n - (h + 1)) >= SHC_SHLINK_PREFIX_LEN &&
		memcmp(h + 1, SHC_SHLINK_PREFIX, SHC_SHLINK_PREFIX_LEN) == 0;
}

/*
 * The symbol of a SMART Health Link (SHC-NOTES 15): the whole text, checked
 * by the shlink:/ decoder first, in one byte-mode segment at
 * error-correction level M, smallest version, at most version 22.
 */
static shc_status
shlink_symbol(const char *link, size_t n, const shc_allocator *a,
			  shc_qr_symbol *sym, shc_error *err)
{
	shc_shlink	l;
	shc_status	st;
	QRinput    *input;
	QRcode	   *code;
	size_t		i;
	int			rc;

	sym->text_len = n;
	st = shc_shlink_decode(link, n, 0, a, &l, err);
	shc_memzero(l.key, sizeof(l.key));
	if (st != SHC_OK)
		return st;
	input = QRinput_new2(0, QR_ECLEVEL_M);
	if (input == NULL)
		return shc_error_set(err, SHC_ERR_NOMEM, "%s", qr_alloc_fail_detail());
	if (QRinput_append(input, QR_MODE_8, (int) n, (const unsigned char *) link) != 0)
	{
		rc = errno;
		QRinput_free(input);
		return rc == ENOMEM ? shc_error_set(err, SHC_ERR_NOMEM, "%s", qr_alloc_fail_detail())
			: shc_error_set(err, SHC_ERR_INTERNAL, "The QR encoder refused a segment.");
	}
	errno = 0;
	code = QRcode_encodeInput(input);
	rc = errno;
	QRinput_free(input);
	if (code == NULL)
	{
		if (rc == ERANGE)
			return shc_error_set(err, SHC_ERR_QR_TOO_LONG,
								 "The link of %zu characters does not fit any QR code version.", n);
		if (rc == ENOMEM)
			return shc_error_set(err, SHC_ERR_NOMEM, "%s", qr_alloc_fail_detail());
		return shc_error_set(err, SHC_ERR_INTERNAL, "The QR encoder failed.");
	}
	if (code->version > SHC_QRIMG_MAX_VERSION)
	{
		st = shc_error_set(err, SHC_ERR_QR_TOO_LONG,
						   "The link needs QR version %d; shc prints at most version %d (a shorter viewer prefix or label helps).",
						   code->version, SHC_QRIMG_MAX_VERSION);
		QRcode_free(code);
		return st;
	}
	sym->modules = a->alloc((size_t) code->width * (size_t) code->width, a->ctx);
	if (sym->modules == NULL)
	{
		QRcode_free(code);
		return shc_error_set(err, SHC_ERR_NOMEM, NULL);
	}
	for (i = 0; i < (size_t) code->width * (size_t) code->width; i++)
		sym->modules[i] = code->data[i] & 1;
	sym->version = code->version;
	sym->width = code->width;
	sym->shlink = true;
	QRcode_free(code);
	return SHC_OK;
}

shc_status
shc_qr_symbol_make(const char *card, size_t n, const shc_allocator *a,
				   shc_qr_symbol *sym, shc_error *err)
{
	shc_buf		text;
	shc_buf		jws;
	shc_qr_part part;
	shc_status	st;
	QRinput    *input;
	QRcode	   *code;
	size_t		hdr_len;
	size_t		i;
	int			rc;
	const char *tdata;			/* the shc:/ text: the input itself, or text */
	size_t		tlen;

	if (a == NULL)
		a = &shc_default_allocator;
	memset(sym, 0, sizeof(*sym));
	sym->a = a;
	shc_buf_init(&text, a, 0);
	shc_buf_init(&jws, a, 0);

	if (is_shlink(card, n))
		return shlink_symbol(card, n, a, sym, err);

	if (n >= SHC_QR_PREFIX_LEN && memcmp(card, SHC_QR_PREFIX, SHC_QR_PREFIX_LEN) == 0)
	{
		/* a shc:/ text, as it is: parsed in place, never copied */
		tdata = card;
		tlen = n;
	}
	else
	{
		/* a JWS cannot hold ':' or '/', so anything else is a JWS */
		sym->jws_len = n;
		sym->text_len = SHC_QR_PREFIX_LEN + 2 * n;
		if (n > SHC_QR_MAX_SINGLE_JWS)
		{
			st = shc_error_set(err, SHC_ERR_QR_TOO_LONG,
							   "The JWS has %zu characters; one QR code holds at most %d.",
							   n, SHC_QR_MAX_SINGLE_JWS);
			goto done;
		}
		st = shc_qr_numeric_encode(card, n, 1, 1, &text, err);
		if (st != SHC_OK)
			goto done;
		st = shc_buf_status(&text, err);
		if (st != SHC_OK)
			goto done;
		tdata = text.data;
		tlen = text.len;
	}

	st = shc_qr_parse(tdata, tlen, &part, err);
	if (st != SHC_OK)
		goto done;
	sym->jws_len = part.ndigits / 2;
	sym->text_len = tlen;
	sym->chunk_index = part.index;
	sym->chunk_total = part.total;
	if (part.total == 0 && part.ndigits > 2 * SHC_QR_MAX_SINGLE_JWS)
	{
		st = shc_error_set(err, SHC_ERR_QR_TOO_LONG,
						   "The text holds %zu JWS characters; one QR code holds at most %d.",
						   part.ndigits / 2, SHC_QR_MAX_SINGLE_JWS);
		goto done;
	}
	if (part.total > 0 && part.ndigits > 2 * SHC_QR_MAX_CHUNK_JWS)
	{
		/* SHC-NOTES 8.1: a chunk holds at most 1191 JWS characters */
		st = shc_error_set(err, SHC_ERR_QR_CHUNKS,
						   "Chunk %d/%d holds %zu characters, above the maximum of %d.",
						   part.index, part.total, part.ndigits / 2,
						   SHC_QR_MAX_CHUNK_JWS);
		goto done;
	}
	/* the same strict check the decoder makes: even, pairs <= 77, JWS chars */
	st = shc_qr_digits_decode(part.digits, part.ndigits, &jws, err);
	if (st != SHC_OK)
		goto done;

	hdr_len = (size_t) (part.digits - tdata);
	input = QRinput_new2(0, QR_ECLEVEL_L);
	if (input == NULL)
	{
		st = shc_error_set(err, SHC_ERR_NOMEM, "%s", qr_alloc_fail_detail());
		goto done;
	}
	/* SHC-NOTES 8: segment 1 byte mode "shc:/[C/N/]", segment 2 numeric */
	rc = QRinput_append(input, QR_MODE_8, (int) hdr_len,
						(const unsigned char *) tdata);
	if (rc == 0)
		rc = QRinput_append(input, QR_MODE_NUM, (int) part.ndigits,
							(const unsigned char *) part.digits);
	if (rc != 0)
	{
		int			e = errno;

		QRinput_free(input);
		st = e == ENOMEM ? shc_error_set(err, SHC_ERR_NOMEM, "%s", qr_alloc_fail_detail())
			: shc_error_set(err, SHC_ERR_INTERNAL, "The QR encoder refused a segment.");
		goto done;
	}
	errno = 0;
	code = QRcode_encodeInput(input);
	rc = errno;
	QRinput_free(input);
	if (code == NULL)
	{
		if (rc == ERANGE)
			st = shc_error_set(err, SHC_ERR_QR_TOO_LONG,
							   "The text of %zu characters does not fit any QR code version.",
							   tlen);
		else if (rc == ENOMEM)
			st = shc_error_set(err, SHC_ERR_NOMEM, "%s", qr_alloc_fail_detail());
		else
			st = shc_error_set(err, SHC_ERR_INTERNAL, "The QR encoder failed.");
		goto done;
	}
	if (code->version > SHC_QRIMG_MAX_VERSION)
	{
		/* SHC-NOTES 11: never above version 22 (105 x 105 modules) */
		st = shc_error_set(err, SHC_ERR_QR_TOO_LONG,
						   "The text needs QR version %d; a SMART Health Card QR code is at most version %d.",
						   code->version, SHC_QRIMG_MAX_VERSION);
		QRcode_free(code);
		goto done;
	}
	sym->modules = a->alloc((size_t) code->width * (size_t) code->width, a->ctx);
	if (sym->modules == NULL)
	{
		QRcode_free(code);
		st = shc_error_set(err, SHC_ERR_NOMEM, NULL);
		goto done;
	}
	for (i = 0; i < (size_t) code->width * (size_t) code->width; i++)
		sym->modules[i] = code->data[i] & 1;	/* bit 0: dark module */
	sym->version = code->version;
	sym->width = code->width;
	QRcode_free(code);
	st = SHC_OK;

done:
	shc_buf_free(&text);
	shc_buf_free(&jws);
	return st;
}

void
shc_qr_symbol_free(shc_qr_symbol *sym)
{
	if (sym->modules != NULL && sym->a != NULL)
		sym->a->free(sym->modules, sym->a->ctx);
	sym->modules = NULL;
}

shc_status
shc_qr_image_options_check(int module_px, int quiet, shc_error *err)
{
	if (module_px < 1 || module_px > SHC_QRIMG_MAX_MODULE_PX)
		return shc_error_set(err, SHC_ERR_LIMIT,
							 "The module size must be between 1 and %d pixels, not %d.",
							 SHC_QRIMG_MAX_MODULE_PX, module_px);
	if (quiet < 0 || quiet > SHC_QRIMG_MAX_QUIET)
		return shc_error_set(err, SHC_ERR_LIMIT,
							 "The quiet zone must be between 0 and %d modules, not %d.",
							 SHC_QRIMG_MAX_QUIET, quiet);
	return SHC_OK;
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) (v >> 24);
	p[1] = (uint8_t) (v >> 16);
	p[2] = (uint8_t) (v >> 8);
	p[3] = (uint8_t) v;
}

/* Append one PNG chunk: length, type, data, CRC-32 of type and data. */
static void
png_chunk(shc_buf *out, const char *type, const uint8_t *data, size_t len)
{
	uint8_t		b[4];
	uLong		crc;

	put_be32(b, (uint32_t) len);
	shc_buf_append(out, b, 4);
	shc_buf_append(out, type, 4);
	if (len > 0)
		shc_buf_append(out, data, len);
	crc = crc32(0L, Z_NULL, 0);
	crc = crc32(crc, (const Bytef *) type, 4);
	if (len > 0)
		crc = crc32(crc, (const Bytef *) data, (uInt) len);
	put_be32(b, (uint32_t) crc);
	shc_buf_append(out, b, 4);
}

/* Feed in[0..n) to deflate, growing idat as needed. */
static int
png_deflate(z_stream *zs, const uint8_t *in, size_t n, int flush,
			shc_buf *idat)
{
	int			rc;

	zs->next_in = (Bytef *) in;
	zs->avail_in = (uInt) n;
	do
	{
		if (!shc_buf_reserve(idat, 4096))
			return Z_MEM_ERROR;
		zs->next_out = (Bytef *) idat->data + idat->len;
		zs->avail_out = (uInt) (idat->cap - idat->len - 1);
		rc = deflate(zs, flush);
		idat->len = (size_t) ((char *) zs->next_out - idat->data);
		if (rc == Z_STREAM_END)
			return Z_OK;
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			return rc;
	} while (zs->avail_out == 0 || zs->avail_in > 0 ||
			 (flush == Z_FINISH && rc != Z_STREAM_END));
	return Z_OK;
}

shc_status
shc_qr_png(const shc_qr_symbol *sym, int module_px, int quiet, shc_buf *out,
		   shc_error *err)
{
	static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	uint8_t		ihdr[13];
	size_t		side;
	size_t		rowbytes;
	uint8_t    *row = NULL;
	shc_buf		idat;
	z_stream	zs;
	shc_status	st;
	int			rc;
	int			y;

	st = shc_qr_image_options_check(module_px, quiet, err);
	if (st != SHC_OK)
		return st;
	side = (size_t) (sym->width + 2 * quiet) * (size_t) module_px;
	rowbytes = (side + 7) / 8;

	row = sym->a->alloc(rowbytes + 1, sym->a->ctx);
	if (row == NULL)
		return shc_error_set(err, SHC_ERR_NOMEM, NULL);
	shc_buf_init(&idat, sym->a, 0);
	memset(&zs, 0, sizeof(zs));
	rc = deflateInit(&zs, 9);
	if (rc != Z_OK)
	{
		sym->a->free(row, sym->a->ctx);
		return rc == Z_MEM_ERROR ? shc_error_set(err, SHC_ERR_NOMEM, NULL)
			: shc_error_set(err, SHC_ERR_INTERNAL, "deflateInit failed (%d).", rc);
	}

	rc = Z_OK;
	for (y = -quiet; y < sym->width + quiet && rc == Z_OK; y++)
	{
		size_t		px;
		int			k;

		/* filter type 0, then 1 bit per pixel, 1 = white, MSB first */
		row[0] = 0;
		memset(row + 1, 0xff, rowbytes);
		if (y >= 0 && y < sym->width)
		{
			const uint8_t *m = sym->modules + (size_t) y * sym->width;
			int			x;

			for (x = 0; x < sym->width; x++)
			{
				if (!m[x])
					continue;
				for (px = (size_t) (x + quiet) * module_px;
					 px < (size_t) (x + quiet + 1) * module_px; px++)
					row[1 + px / 8] &= (uint8_t) ~(0x80 >> (px % 8));
			}
		}
		for (k = 0; k < module_px && rc == Z_OK; k++)
			rc = png_deflate(&zs, row, rowbytes + 1, Z_NO_FLUSH, &idat);
	}
	if (rc == Z_OK)
		rc = png_deflate(&zs, NULL, 0, Z_FINISH, &idat);
	deflateEnd(&zs);
	sym->a->free(row, sym->a->ctx);
	if (rc != Z_OK)
	{
		bool		nomem = rc == Z_MEM_ERROR || idat.failed;

		shc_buf_free(&idat);
		if (nomem)
			return shc_error_set(err, SHC_ERR_NOMEM, NULL);
		return shc_error_set(err, SHC_ERR_INTERNAL, "deflate failed (%d).", rc);
	}

	put_be32(ihdr, (uint32_t) side);
	put_be32(ihdr + 4, (uint32_t) side);
	ihdr[8] = 1;				/* bit depth */
	ihdr[9] = 0;				/* colour type: greyscale */
	ihdr[10] = 0;				/* compression: deflate */
	ihdr[11] = 0;				/* filter method 0 */
	ihdr[12] = 0;				/* no interlace */
	shc_buf_append(out, sig, sizeof(sig));
	png_chunk(out, "IHDR", ihdr, sizeof(ihdr));
	png_chunk(out, "IDAT", (const uint8_t *) idat.data, idat.len);
	png_chunk(out, "IEND", NULL, 0);
	shc_buf_free(&idat);
	return shc_buf_status(out, err);
}

void
shc_qr_svg_path_data(const shc_qr_symbol *sym, int offset, shc_buf *out)
{
	char		tmp[64];
	int			y;

	for (y = 0; y < sym->width; y++)
	{
		const uint8_t *m = sym->modules + (size_t) y * sym->width;
		int			x = 0;

		while (x < sym->width)
		{
			int			start;
			int			len;

			if (!m[x])
			{
				x++;
				continue;
			}
			start = x;
			while (x < sym->width && m[x])
				x++;
			len = x - start;
			/* one rectangle per horizontal run of dark modules */
			snprintf(tmp, sizeof(tmp), "M%d %dh%dv1h-%dz",
					 start + offset, y + offset, len, len);
			shc_buf_append_str(out, tmp);
		}
	}
}

shc_status
shc_qr_svg(const shc_qr_symbol *sym, int module_px, int quiet, shc_buf *out,
		   shc_error *err)
{
	char		tmp[320];
	int			side;
	shc_status	st;

	st = shc_qr_image_options_check(module_px, quiet, err);
	if (st != SHC_OK)
		return st;
	side = sym->width + 2 * quiet;
	snprintf(tmp, sizeof(tmp),
			 "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
			 "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
			 "shape-rendering=\"crispEdges\">"
			 "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
			 "<path fill=\"#000\" d=\"",
			 side * module_px, side * module_px, side, side, side, side);
	shc_buf_append_str(out, tmp);
	shc_qr_svg_path_data(sym, quiet, out);
	shc_buf_append_str(out, "\"/></svg>\n");
	return shc_buf_status(out, err);
}

void
shc_xml_escape(shc_buf *out, const char *s, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) s[i];

		switch (c)
		{
			case '&':
				shc_buf_append(out, "&amp;", 5);
				break;
			case '<':
				shc_buf_append(out, "&lt;", 4);
				break;
			case '>':
				shc_buf_append(out, "&gt;", 4);
				break;
			case '"':
				shc_buf_append(out, "&quot;", 6);
				break;
			case '\'':
				shc_buf_append(out, "&apos;", 6);
				break;
			default:
				/* XML 1.0 allows no control characters but tab, LF, CR */
				if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
					shc_buf_append(out, "\xef\xbf\xbd", 3);
				/* nor U+FFFE and U+FFFF (XML 1.0 section 2.2, Char) */
				else if (c == 0xef && i + 2 < n && (unsigned char) s[i + 1] == 0xbf &&
						 ((unsigned char) s[i + 2] == 0xbe || (unsigned char) s[i + 2] == 0xbf))
				{
					shc_buf_append(out, "\xef\xbf\xbd", 3);
					i += 2;
				}
				else
					shc_buf_append_char(out, (char) c);
		}
	}
}
