/*
 * shc.c
 *		Module entry point: PG_MODULE_MAGIC and the shc.* settings.
 */
#include "shc_glue.h"

#include "utils/guc.h"
#include "utils/memutils.h"

#include "shc_cache.h"
#include "shc_secret.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

int			shc_max_payload_size = 4 * 1024 * 1024;
int			shc_clock_skew = 300;
int			shc_qr_scan_max_image_size = 16 * 1024 * 1024;
int			shc_qr_scan_max_pixels = 20 * 1000 * 1000;

void
_PG_init(void)
{
	DefineCustomIntVariable("shc.max_payload_size",
							"Largest decompressed card payload accepted, in bytes.",
							"Protects the server against DEFLATE bombs. The largest "
							"published example inflates to about 30 kB.",
							&shc_max_payload_size,
							4 * 1024 * 1024, 1024, MaxAllocSize / 2,
							PGC_SUSET, GUC_UNIT_BYTE,
							NULL, NULL, NULL);
	DefineCustomIntVariable("shc.clock_skew",
							"Seconds a card's nbf may lie in the future and still be valid.",
							NULL,
							&shc_clock_skew,
							300, 0, 86400,
							PGC_USERSET, GUC_UNIT_S,
							NULL, NULL, NULL);
	DefineCustomIntVariable("shc.qr_scan_max_image_size",
							"Largest image shc_qr_scan() accepts, in bytes.",
							"Checked before the image is decoded.",
							&shc_qr_scan_max_image_size,
							16 * 1024 * 1024, 1024, MaxAllocSize / 2,
							PGC_SUSET, GUC_UNIT_BYTE,
							NULL, NULL, NULL);
	DefineCustomIntVariable("shc.qr_scan_max_pixels",
							"Largest image shc_qr_scan() decodes, in pixels (width times height).",
							"Checked from the image header before any pixel memory "
							"is allocated; decoding takes about two bytes per pixel.",
							&shc_qr_scan_max_pixels,
							20 * 1000 * 1000, 1, 200 * 1000 * 1000,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
	shc_secret_init();
	MarkGUCPrefixReserved("shc");

	shc_cache_init();
}
