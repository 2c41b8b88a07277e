/*
 * shc_qrscan.h
 *		Reading QR codes from images: a PNG (libpng) or JPEG (libjpeg-turbo)
 *		is decoded to 8-bit grey and every QR code in it is read with zbar.
 *		The image's byte size and pixel count are checked against the
 *		caller's limits before any pixel memory is allocated.
 */
#ifndef SHC_QRSCAN_H
#define SHC_QRSCAN_H

#include "shc_core.h"

/* at most this many QR codes are returned from one image */
#define SHC_QRSCAN_MAX_SYMBOLS 64

/* a progressive JPEG with more scans than this is refused (decoding cost) */
#define SHC_QRSCAN_MAX_JPEG_SCANS 200

typedef enum shc_image_format
{
	SHC_IMAGE_UNKNOWN = 0,
	SHC_IMAGE_PNG,
	SHC_IMAGE_JPEG
} shc_image_format;

/* The format from the first bytes: PNG signature or JPEG SOI + marker. */
shc_image_format shc_image_sniff(const uint8_t *img, size_t n);

/* An 8-bit grey image, width * height bytes row by row, allocated with a. */
typedef struct shc_grey_image
{
	uint32_t	width;
	uint32_t	height;
	uint8_t    *pixels;
	const shc_allocator *a;
} shc_grey_image;

/*
 * Decode img[0..n) (PNG or JPEG) to grey.  SHC_ERR_LIMIT when n exceeds
 * max_bytes (0 = no limit) or width * height exceeds max_pixels;
 * SHC_ERR_IMAGE for anything that is not a readable PNG or JPEG (the
 * detail names the format and the decoder's reason).  Transparent pixels
 * are put on white.  On failure nothing stays allocated.
 */
shc_status	shc_image_decode_grey(const uint8_t *img, size_t n,
								  size_t max_bytes, uint64_t max_pixels,
								  const shc_allocator *a,
								  shc_grey_image *out, shc_error *err);

void		shc_grey_image_free(shc_grey_image *g);

/*
 * The texts of the QR codes found: count of them, text i is
 * buf.data + off[i], len[i] bytes (also NUL-terminated; a text may contain
 * NUL bytes of its own, which len counts).
 */
typedef struct shc_qrscan_result
{
	int			count;
	size_t		off[SHC_QRSCAN_MAX_SYMBOLS];
	size_t		len[SHC_QRSCAN_MAX_SYMBOLS];
	shc_buf		buf;
} shc_qrscan_result;

/*
 * Every QR code in a grey image, in zbar's order (no other symbology is
 * looked for; the bytes are returned as the symbol holds them).
 * SHC_ERR_LIMIT when there are more than SHC_QRSCAN_MAX_SYMBOLS.
 */
shc_status	shc_qr_scan_grey(const shc_grey_image *g, const shc_allocator *a,
							 shc_qrscan_result *res, shc_error *err);

/* Decode the image, then scan it (the two above). */
shc_status	shc_qr_scan_image(const uint8_t *img, size_t n,
							  size_t max_bytes, uint64_t max_pixels,
							  const shc_allocator *a,
							  shc_qrscan_result *res, shc_error *err);

void		shc_qrscan_result_free(shc_qrscan_result *res);

#endif
