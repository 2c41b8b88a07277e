/*
 * test_qrscan.c
 *		Images to QR texts (shc_qrscan.h): our own PNG reads back, the
 *		format is sniffed, limits refuse before decoding, broken images
 *		are SHC_ERR_IMAGE.
 */
#include "unit.h"
#include "shc_qr.h"
#include "shc_qrimg.h"
#include "shc_qrscan.h"

void
test_qrscan(void)
{
	shc_qr_symbol sym;
	shc_buf		png,
				num;
	shc_error	err;
	shc_qrscan_result res;
	shc_grey_image g;
	const char *jws = "eyJhbGciOiJFUzI1NiJ9.abc-_DEF.xyz012";

	CHECK_STATUS(shc_qr_symbol_make(jws, strlen(jws), NULL, &sym, &err), SHC_OK,
				 "qrscan: symbol");
	shc_buf_init(&png, NULL, 0);
	CHECK_STATUS(shc_qr_png(&sym, 3, 4, &png, &err), SHC_OK, "qrscan: png");
	shc_buf_init(&num, NULL, 0);
	shc_qr_numeric_encode(jws, strlen(jws), 1, 1, &num, &err);

	CHECK(shc_image_sniff((const uint8_t *) png.data, png.len) == SHC_IMAGE_PNG,
		  "qrscan: PNG sniffed");
	CHECK(shc_image_sniff((const uint8_t *) "\xff\xd8\xff\xe0", 4) == SHC_IMAGE_JPEG,
		  "qrscan: JPEG sniffed");
	CHECK(shc_image_sniff((const uint8_t *) "GIF89a", 6) == SHC_IMAGE_UNKNOWN,
		  "qrscan: GIF is not sniffed as PNG or JPEG");

	CHECK_STATUS(shc_qr_scan_image((const uint8_t *) png.data, png.len, 0, 1000000,
								   NULL, &res, &err), SHC_OK, "qrscan: own PNG scans");
	CHECK(res.count == 1 && res.len[0] == num.len &&
		  memcmp(res.buf.data + res.off[0], num.data, num.len) == 0,
		  "qrscan: own PNG gives the shc:/ text");
	shc_qrscan_result_free(&res);

	/* side = (width + 8) * 3 pixels */
	CHECK_STATUS(shc_image_decode_grey((const uint8_t *) png.data, png.len, 0,
									   (uint64_t) (sym.width + 8) * 3 * (sym.width + 8) * 3 - 1,
									   NULL, &g, &err),
				 SHC_ERR_LIMIT, "qrscan: one pixel over the limit");
	CHECK(strstr(err.detail, "shc.qr_scan_max_pixels") != NULL, "qrscan: the limit is named");
	CHECK(g.pixels == NULL, "qrscan: nothing allocated on the limit");
	CHECK_STATUS(shc_image_decode_grey((const uint8_t *) png.data, png.len, png.len - 1,
									   1000000, NULL, &g, &err),
				 SHC_ERR_LIMIT, "qrscan: one byte over the byte limit");
	CHECK_STATUS(shc_image_decode_grey((const uint8_t *) png.data, png.len / 2, 0,
									   1000000, NULL, &g, &err),
				 SHC_ERR_IMAGE, "qrscan: truncated PNG");
	CHECK_STATUS(shc_image_decode_grey((const uint8_t *) "GIF89a", 6, 0, 1000000,
									   NULL, &g, &err),
				 SHC_ERR_IMAGE, "qrscan: GIF refused");
	CHECK_STATUS(shc_image_decode_grey((const uint8_t *) "\xff\xd8\xff\xd9", 4, 0,
									   1000000, NULL, &g, &err),
				 SHC_ERR_IMAGE, "qrscan: JPEG with no image");
	CHECK_STATUS(shc_image_decode_grey((const uint8_t *) "", 0, 0, 1000000,
									   NULL, &g, &err),
				 SHC_ERR_IMAGE, "qrscan: empty input");

	/* a blank image holds no QR code: an empty result, not an error */
	{
		uint8_t		blank[64 * 64];
		shc_grey_image b = {64, 64, blank, &shc_default_allocator};

		memset(blank, 255, sizeof(blank));
		CHECK_STATUS(shc_qr_scan_grey(&b, NULL, &res, &err), SHC_OK, "qrscan: blank image");
		CHECK(res.count == 0, "qrscan: blank image has no QR code");
		shc_qrscan_result_free(&res);
	}
	shc_buf_free(&png);
	shc_buf_free(&num);
	shc_qr_symbol_free(&sym);
}
