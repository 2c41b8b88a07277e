/*
 * shc_qrscan.c
 *		PNG and JPEG to 8-bit grey, and every QR code of a grey image with
 *		zbar.  See shc_qrscan.h.
 *
 * Bounds: the caller's byte limit is checked first, the pixel limit right
 * after the header is parsed and before any pixel memory exists; the JPEG
 * decoder's own memory is capped (it has no backing store in Debian's
 * build, so a larger need is an error), and a progressive JPEG may have at
 * most SHC_QRSCAN_MAX_JPEG_SCANS scans.  libpng's simplified API and our
 * libjpeg error handler both unwind with longjmp inside this file only.
 */
#include "shc_qrscan.h"

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>
#include <zbar.h>

static const uint8_t png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

shc_image_format
shc_image_sniff(const uint8_t *img, size_t n)
{
	if (n >= 8 && memcmp(img, png_sig, 8) == 0)
		return SHC_IMAGE_PNG;
	if (n >= 3 && img[0] == 0xff && img[1] == 0xd8 && img[2] == 0xff)
		return SHC_IMAGE_JPEG;
	return SHC_IMAGE_UNKNOWN;
}

void
shc_grey_image_free(shc_grey_image *g)
{
	if (g->pixels)
		g->a->free(g->pixels, g->a->ctx);
	g->pixels = NULL;
}

static shc_status
pixels_check(uint64_t w, uint64_t h, uint64_t max_pixels, const char *fmt,
			 shc_error *err)
{
	if (w == 0 || h == 0)
		return shc_error_set(err, SHC_ERR_IMAGE,
							 "The %s image is empty (%llu x %llu pixels).",
							 fmt, (unsigned long long) w, (unsigned long long) h);
	if (w * h > max_pixels)
		return shc_error_set(err, SHC_ERR_LIMIT,
							 "The %s image has %llu x %llu = %llu pixels; shc.qr_scan_max_pixels is %llu.",
							 fmt, (unsigned long long) w, (unsigned long long) h,
							 (unsigned long long) (w * h),
							 (unsigned long long) max_pixels);
	return SHC_OK;
}

/* ---- PNG: libpng's simplified API ------------------------------------- */

static shc_status
png_to_grey(const uint8_t *img, size_t n, uint64_t max_pixels,
			shc_grey_image *out, shc_error *err)
{
	png_image	pi;
	png_color	white = {255, 255, 255};
	shc_status	st;
	size_t		size;

	memset(&pi, 0, sizeof(pi));
	pi.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&pi, img, n))
	{
		st = shc_error_set(err, SHC_ERR_IMAGE, "The PNG image cannot be read: %s.",
						   pi.message[0] ? pi.message : "unknown error");
		png_image_free(&pi);
		return st;
	}
	if ((st = pixels_check(pi.width, pi.height, max_pixels, "PNG", err)) != SHC_OK)
	{
		png_image_free(&pi);
		return st;
	}
	pi.format = PNG_FORMAT_GRAY;
	size = (size_t) pi.width * pi.height;
	out->width = pi.width;
	out->height = pi.height;
	out->pixels = out->a->alloc(size, out->a->ctx);
	if (out->pixels == NULL)
	{
		png_image_free(&pi);
		return shc_error_set(err, SHC_ERR_NOMEM, NULL);
	}
	if (!png_image_finish_read(&pi, &white, out->pixels, 0, NULL))
	{
		st = shc_error_set(err, SHC_ERR_IMAGE, "The PNG image cannot be read: %s.",
						   pi.message[0] ? pi.message : "unknown error");
		png_image_free(&pi);
		shc_grey_image_free(out);
		return st;
	}
	png_image_free(&pi);
	return SHC_OK;
}

/* ---- JPEG: libjpeg-turbo with a longjmp error handler ------------------ */

typedef struct jpeg_err
{
	struct jpeg_error_mgr pub;
	jmp_buf		jb;
	char		msg[JMSG_LENGTH_MAX];
	int			scans_exceeded;
} jpeg_err;

static void
jpeg_error_exit(j_common_ptr cinfo)
{
	jpeg_err   *e = (jpeg_err *) cinfo->err;

	(*cinfo->err->format_message) (cinfo, e->msg);
	longjmp(e->jb, 1);
}

/* warnings (corrupt data that libjpeg recovers from) are not printed */
static void
jpeg_emit_message(j_common_ptr cinfo, int level)
{
	if (level < 0)
		cinfo->err->num_warnings++;
}

static void
jpeg_progress(j_common_ptr cinfo)
{
	j_decompress_ptr d = (j_decompress_ptr) cinfo;
	jpeg_err   *e = (jpeg_err *) cinfo->err;

	if (d->input_scan_number > SHC_QRSCAN_MAX_JPEG_SCANS)
	{
		e->scans_exceeded = 1;
		snprintf(e->msg, sizeof(e->msg), "more than %d scans",
				 SHC_QRSCAN_MAX_JPEG_SCANS);
		longjmp(e->jb, 1);
	}
}

static shc_status
jpeg_to_grey(const uint8_t *img, size_t n, uint64_t max_pixels,
			 shc_grey_image *out, shc_error *err)
{
	struct jpeg_decompress_struct cinfo;
	struct jpeg_progress_mgr prog;
	jpeg_err	je;
	volatile shc_status st = SHC_OK;

	memset(&cinfo, 0, sizeof(cinfo));
	memset(&je, 0, sizeof(je));
	cinfo.err = jpeg_std_error(&je.pub);
	je.pub.error_exit = jpeg_error_exit;
	je.pub.emit_message = jpeg_emit_message;
	if (setjmp(je.jb))
	{
		/* out->pixels is only ever set before any call that can longjmp */
		jpeg_destroy_decompress(&cinfo);
		shc_grey_image_free(out);
		if (st != SHC_OK)
			return st;
		return shc_error_set(err, SHC_ERR_IMAGE, "The JPEG image cannot be read: %s.",
							 je.msg[0] ? je.msg : "unknown error");
	}
	jpeg_create_decompress(&cinfo);
	prog.progress_monitor = jpeg_progress;
	cinfo.progress = &prog;
	jpeg_mem_src(&cinfo, img, (unsigned long) n);
	jpeg_read_header(&cinfo, TRUE);
	{
		shc_status	pst = pixels_check(cinfo.image_width, cinfo.image_height,
									   max_pixels, "JPEG", err);

		if (pst != SHC_OK)
		{
			jpeg_destroy_decompress(&cinfo);
			return pst;
		}
	}

	/*
	 * Whole-image coefficient buffers (progressive JPEG) take about 2 bytes
	 * per sample of each component; allow for 4 components with padding.
	 */
	cinfo.mem->max_memory_to_use = (long) (max_pixels * 10 + 16 * 1024 * 1024);
	cinfo.out_color_space = JCS_GRAYSCALE;
	cinfo.dct_method = JDCT_ISLOW;
	jpeg_start_decompress(&cinfo);
	if (cinfo.output_components != 1 ||
		cinfo.output_width != cinfo.image_width ||
		cinfo.output_height != cinfo.image_height)
	{
		snprintf(je.msg, sizeof(je.msg), "unexpected output geometry");
		longjmp(je.jb, 1);
	}
	out->width = cinfo.output_width;
	out->height = cinfo.output_height;
	out->pixels = out->a->alloc((size_t) out->width * out->height, out->a->ctx);
	if (out->pixels == NULL)
	{
		st = shc_error_set(err, SHC_ERR_NOMEM, NULL);
		longjmp(je.jb, 1);
	}
	while (cinfo.output_scanline < cinfo.output_height)
	{
		JSAMPROW	row = out->pixels + (size_t) cinfo.output_scanline * out->width;

		if (jpeg_read_scanlines(&cinfo, &row, 1) != 1)
		{
			snprintf(je.msg, sizeof(je.msg), "no scanline decoded");
			longjmp(je.jb, 1);
		}
	}
	jpeg_finish_decompress(&cinfo);
	jpeg_destroy_decompress(&cinfo);
	return SHC_OK;
}

shc_status
shc_image_decode_grey(const uint8_t *img, size_t n, size_t max_bytes,
					  uint64_t max_pixels, const shc_allocator *a,
					  shc_grey_image *out, shc_error *err)
{
	shc_image_format fmt;

	out->width = out->height = 0;
	out->pixels = NULL;
	out->a = a ? a : &shc_default_allocator;
	if (max_bytes > 0 && n > max_bytes)
		return shc_error_set(err, SHC_ERR_LIMIT,
							 "The image has %zu bytes; shc.qr_scan_max_image_size is %zu.",
							 n, max_bytes);
	fmt = shc_image_sniff(img, n);
	switch (fmt)
	{
		case SHC_IMAGE_PNG:
			return png_to_grey(img, n, max_pixels, out, err);
		case SHC_IMAGE_JPEG:
			return jpeg_to_grey(img, n, max_pixels, out, err);
		default:
			break;
	}
	if (n == 0)
		return shc_error_set(err, SHC_ERR_IMAGE, "The data is empty.");
	return shc_error_set(err, SHC_ERR_IMAGE,
						 "The data (%zu bytes) starts with neither the PNG signature nor a JPEG marker.",
						 n);
}

/* ---- QR codes with zbar ------------------------------------------------ */

void
shc_qrscan_result_free(shc_qrscan_result *res)
{
	shc_buf_free(&res->buf);
	res->count = 0;
}

shc_status
shc_qr_scan_grey(const shc_grey_image *g, const shc_allocator *a,
				 shc_qrscan_result *res, shc_error *err)
{
	zbar_image_scanner_t *sc;
	zbar_image_t *zi;
	const zbar_symbol_t *sym;
	shc_status	st = SHC_OK;
	int			n;

	res->count = 0;
	shc_buf_init(&res->buf, a, 0);
	sc = zbar_image_scanner_create();
	zi = zbar_image_create();
	if (sc == NULL || zi == NULL)
	{
		if (zi)
			zbar_image_destroy(zi);
		if (sc)
			zbar_image_scanner_destroy(sc);
		return shc_error_set(err, SHC_ERR_NOMEM, NULL);
	}
	zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
	zbar_image_set_format(zi, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(zi, g->width, g->height);
	/* no cleanup handler: zbar never frees the caller's pixels */
	zbar_image_set_data(zi, g->pixels, (unsigned long) g->width * g->height, NULL);
	n = zbar_scan_image(sc, zi);
	if (n < 0)
		st = shc_error_set(err, SHC_ERR_INTERNAL, "The QR reader failed on the image.");
	for (sym = zbar_image_first_symbol(zi); st == SHC_OK && sym;
		 sym = zbar_symbol_next(sym))
	{
		const char *d;
		size_t		len;

		if (zbar_symbol_get_type(sym) != ZBAR_QRCODE)
			continue;
		if (res->count >= SHC_QRSCAN_MAX_SYMBOLS)
		{
			st = shc_error_set(err, SHC_ERR_LIMIT,
							   "The image holds more than %d QR codes.",
							   SHC_QRSCAN_MAX_SYMBOLS);
			break;
		}
		d = zbar_symbol_get_data(sym);
		len = zbar_symbol_get_data_length(sym);
		res->off[res->count] = res->buf.len;
		res->len[res->count] = len;
		shc_buf_append(&res->buf, d, len);
		shc_buf_append_char(&res->buf, '\0');
		res->count++;
	}
	zbar_image_destroy(zi);
	zbar_image_scanner_destroy(sc);
	if (st == SHC_OK)
		st = shc_buf_status(&res->buf, err);
	if (st != SHC_OK)
		shc_qrscan_result_free(res);
	return st;
}

shc_status
shc_qr_scan_image(const uint8_t *img, size_t n, size_t max_bytes,
				  uint64_t max_pixels, const shc_allocator *a,
				  shc_qrscan_result *res, shc_error *err)
{
	shc_grey_image g;
	shc_status	st;

	res->count = 0;
	shc_buf_init(&res->buf, a, 0);
	st = shc_image_decode_grey(img, n, max_bytes, max_pixels, a, &g, err);
	if (st != SHC_OK)
		return st;
	st = shc_qr_scan_grey(&g, a, res, err);
	shc_grey_image_free(&g);
	return st;
}
