/*
 * shc_qrimg.h
 *		QR symbols of SMART Health Cards and their images (SHC-NOTES
 *		section 8): the symbol is built with libqrencode from exactly two
 *		segments, byte mode "shc:/" (or "shc:/C/N/") and numeric mode for the
 *		digits, at error-correction level L in the smallest version that fits,
 *		never above version 22; it is drawn as a PNG (1-bit grey, zlib) or an
 *		SVG (one path).
 */
#ifndef SHC_QRIMG_H
#define SHC_QRIMG_H

#include "shc_core.h"

/* SHC-NOTES 8 and 11: a card's QR code is at most version 22 */
#define SHC_QRIMG_MAX_VERSION 22

/* Image options: module size in pixels and quiet-zone width in modules */
#define SHC_QRIMG_DEFAULT_MODULE_PX 8
#define SHC_QRIMG_MAX_MODULE_PX 64
#define SHC_QRIMG_DEFAULT_QUIET 4	/* ISO/IEC 18004 requires 4 */
#define SHC_QRIMG_MAX_QUIET 16

/*
 * A QR symbol: width x width modules, row by row, 1 = dark.  The modules
 * are allocated with a; free with shc_qr_symbol_free().
 */
typedef struct shc_qr_symbol
{
	int			version;		/* 1..22 */
	int			width;			/* modules per side, 17 + 4 * version */
	uint8_t    *modules;
	const shc_allocator *a;
	/* what the symbol holds; also set when SHC_ERR_QR_TOO_LONG is returned */
	size_t		jws_len;		/* JWS characters carried (of a chunk, its own) */
	size_t		text_len;		/* length of the shc:/ text */
	int			chunk_index;	/* C of "shc:/C/N/", 0 for a single card */
	int			chunk_total;	/* N, 0 for a single card */
	bool		shlink;			/* a SMART Health Link: byte mode, EC level M */
} shc_qr_symbol;

/*
 * Build the symbol for card[0..n): a compact JWS (numerically encoded
 * first; at most 1195 characters) or a shc:/ text taken as it is (one
 * card, or one chunk "shc:/C/N/" of the deprecated split), checked as
 * strictly as shc_qr_decode checks it.  a may be NULL (malloc).
 * A SMART Health Link ("shlink:/...", optionally behind a viewer prefix
 * ending in '#') is checked by shc_shlink_decode and encoded whole in one
 * byte-mode segment at error-correction level M (SHC-NOTES 15), also at
 * most version 22.
 * SHC_ERR_QR_TOO_LONG when the text does not fit version 22 at level L;
 * SHC_ERR_JWS_CHARS, SHC_ERR_QR_NUMERIC, SHC_ERR_QR_CHUNKS for bad input.
 * The libqrencode objects are freed on every path.
 */
shc_status	shc_qr_symbol_make(const char *card, size_t n,
							   const shc_allocator *a, shc_qr_symbol *sym,
							   shc_error *err);

void		shc_qr_symbol_free(shc_qr_symbol *sym);

/*
 * Check image options: module_px in 1..SHC_QRIMG_MAX_MODULE_PX, quiet in
 * 0..SHC_QRIMG_MAX_QUIET.  SHC_ERR_LIMIT otherwise.
 */
shc_status	shc_qr_image_options_check(int module_px, int quiet,
									   shc_error *err);

/*
 * Append a PNG of the symbol to out: 1-bit greyscale, module_px pixels per
 * module, a white quiet zone of quiet modules on every side.  The image
 * rows are compressed one by one, so memory stays bounded by the
 * compressed size plus one row.
 */
shc_status	shc_qr_png(const shc_qr_symbol *sym, int module_px, int quiet,
					   shc_buf *out, shc_error *err);

/*
 * Append a standalone SVG document of the symbol to out: a viewBox in
 * module units (so it scales), a white background, and the dark modules
 * as one path; width and height are the size at module_px pixels per
 * module.
 */
shc_status	shc_qr_svg(const shc_qr_symbol *sym, int module_px, int quiet,
					   shc_buf *out, shc_error *err);

/*
 * Append only the path data ("M..h..v1h-..z...") of the dark modules, in
 * module units, shifted by (offset, offset).
 */
void		shc_qr_svg_path_data(const shc_qr_symbol *sym, int offset,
								 shc_buf *out);

/*
 * Append s[0..n) escaped for XML text and attribute values: & < > " '
 * become entities, control characters other than tab and newline (not
 * allowed in XML 1.0) and the non-characters U+FFFE and U+FFFF become
 * U+FFFD.  Other UTF-8 bytes are copied as they are.
 */
void		shc_xml_escape(shc_buf *out, const char *s, size_t n);

#endif
