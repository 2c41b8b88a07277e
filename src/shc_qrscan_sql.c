/*
 * shc_qrscan_sql.c
 *		shc_qr_scan(image bytea) returns text[]: the texts of every QR code
 *		in a PNG or JPEG image (src/core/shc_qrscan.c), bounded by the
 *		settings shc.qr_scan_max_image_size and shc.qr_scan_max_pixels.
 */
#include "shc_glue.h"

#include "catalog/pg_type.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "core/shc_qrscan.h"

PG_FUNCTION_INFO_V1(shc_qr_scan_sql);
Datum
shc_qr_scan_sql(PG_FUNCTION_ARGS)
{
	bytea	   *img = PG_GETARG_BYTEA_PP(0);
	size_t		n = VARSIZE_ANY_EXHDR(img);
	shc_qrscan_result res;
	shc_error	err;
	Datum	   *elems;
	int			i;

	/* the byte limit before the value is even looked at */
	if (n > (size_t) shc_qr_scan_max_image_size)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("image is too large to scan"),
				 errdetail("The image has %zu bytes; shc.qr_scan_max_image_size is %d.",
						   n, shc_qr_scan_max_image_size)));
	if (shc_qr_scan_image((const uint8_t *) VARDATA_ANY(img), n,
						  (size_t) shc_qr_scan_max_image_size,
						  (uint64_t) shc_qr_scan_max_pixels,
						  &shc_pg_allocator, &res, &err) != SHC_OK)
	{
		if (err.status == SHC_ERR_LIMIT)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("image is too large to scan"),
					 errdetail_internal("%s", err.detail)));
		if (err.status == SHC_ERR_IMAGE)
			shc_raise_hint(&err, "shc_qr_scan() reads PNG and JPEG images.");
		shc_raise(&err);
	}
	elems = palloc(sizeof(Datum) * Max(res.count, 1));
	for (i = 0; i < res.count; i++)
	{
		const char *s = res.buf.data + res.off[i];

		/* a QR code may hold any bytes: they must be text of this database */
		(void) pg_verifymbstr(s, (int) res.len[i], false);
		elems[i] = PointerGetDatum(cstring_to_text_with_len(s, (int) res.len[i]));
	}
	shc_qrscan_result_free(&res);
	PG_FREE_IF_COPY(img, 0);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, i, TEXTOID, -1, false,
										  TYPALIGN_INT));
}
