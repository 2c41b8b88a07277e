/*
 * shc_qrimg_glue.h
 *		Shared by the QR image and printable card SQL wrappers.
 */
#ifndef SHC_QRIMG_GLUE_H
#define SHC_QRIMG_GLUE_H

#include "shc_glue.h"
#include "core/shc_qrimg.h"

#define SHC_QRIMG_TOO_LONG_HINT \
	"Use shc_qr_chunks() for the deprecated multi-QR form, or make the card smaller."

/* Build the symbol of a JWS or shc:/ text, or raise (with the hint above). */
void		shc_qrimg_symbol_or_raise(text *card, shc_qr_symbol *sym);

/* Raise 22023 when module_px or quiet is out of range. */
void		shc_qrimg_options_or_raise(int module_px, int quiet);

#endif
