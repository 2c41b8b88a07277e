/*
 * shc_qrimg_sql.c
 *		SQL wrappers for QR symbols and their images (SHC-NOTES section 8):
 *		shc_qr_png, shc_qr_svg and shc_qr_info.
 */
#include "shc_glue.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "core/shc_qr.h"
#include "core/shc_qrimg.h"
#include "shc_qrimg_glue.h"

/*
 * Build the symbol of a JWS or shc:/ text, or raise.  The core has freed
 * the libqrencode objects when it returns, so raising is safe.
 */
void
shc_qrimg_symbol_or_raise(text *card, shc_qr_symbol *sym)
{
	shc_error	err;

	if (shc_qr_symbol_make(VARDATA_ANY(card), VARSIZE_ANY_EXHDR(card),
						   &shc_pg_allocator, sym, &err) != SHC_OK)
	{
		if (err.status == SHC_ERR_QR_TOO_LONG)
			shc_raise_hint(&err, SHC_QRIMG_TOO_LONG_HINT);
		shc_raise(&err);
	}
}

void
shc_qrimg_options_or_raise(int module_px, int quiet)
{
	shc_error	err;

	if (shc_qr_image_options_check(module_px, quiet, &err) != SHC_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid QR image option"),
				 errdetail_internal("%s", err.detail)));
}

/*
 * shc_qr_png(card text, module_px int, quiet_zone int) returns bytea
 */
PG_FUNCTION_INFO_V1(shc_qr_png_sql);
Datum
shc_qr_png_sql(PG_FUNCTION_ARGS)
{
	text	   *card = PG_GETARG_TEXT_PP(0);
	int			module_px = PG_GETARG_INT32(1);
	int			quiet = PG_GETARG_INT32(2);
	shc_qr_symbol sym;
	shc_buf		out;
	shc_error	err;
	bytea	   *res;

	shc_qrimg_options_or_raise(module_px, quiet);
	shc_qrimg_symbol_or_raise(card, &sym);
	shc_buf_init(&out, &shc_pg_allocator, 0);
	if (shc_qr_png(&sym, module_px, quiet, &out, &err) != SHC_OK)
		shc_raise(&err);
	shc_qr_symbol_free(&sym);
	res = palloc(VARHDRSZ + out.len);
	SET_VARSIZE(res, VARHDRSZ + out.len);
	memcpy(VARDATA(res), out.data, out.len);
	shc_buf_free(&out);
	PG_FREE_IF_COPY(card, 0);
	PG_RETURN_BYTEA_P(res);
}

/*
 * shc_qr_svg(card text, module_px int, quiet_zone int) returns text
 */
PG_FUNCTION_INFO_V1(shc_qr_svg_sql);
Datum
shc_qr_svg_sql(PG_FUNCTION_ARGS)
{
	text	   *card = PG_GETARG_TEXT_PP(0);
	int			module_px = PG_GETARG_INT32(1);
	int			quiet = PG_GETARG_INT32(2);
	shc_qr_symbol sym;
	shc_buf		out;
	shc_error	err;

	shc_qrimg_options_or_raise(module_px, quiet);
	shc_qrimg_symbol_or_raise(card, &sym);
	shc_buf_init(&out, &shc_pg_allocator, 0);
	if (shc_qr_svg(&sym, module_px, quiet, &out, &err) != SHC_OK)
		shc_raise(&err);
	shc_qr_symbol_free(&sym);
	PG_FREE_IF_COPY(card, 0);
	PG_RETURN_TEXT_P(shc_buf_to_text(&out));
}

/*
 * shc_qr_info(card text, OUT jws_length int, OUT numeric_length int,
 *			   OUT version int, OUT modules int, OUT fits_single_qr bool,
 *			   OUT qr_codes int) returns record
 *
 * A card too long for one symbol is not an error here: fits_single_qr is
 * false, version and modules are NULL, and qr_codes says how many chunks
 * shc_qr_chunks would make.
 */
PG_FUNCTION_INFO_V1(shc_qr_info_sql);
Datum
shc_qr_info_sql(PG_FUNCTION_ARGS)
{
	text	   *card = PG_GETARG_TEXT_PP(0);
	const char *s = VARDATA_ANY(card);
	size_t		n = VARSIZE_ANY_EXHDR(card);
	TupleDesc	tupdesc;
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};
	shc_qr_symbol sym;
	shc_error	err;
	shc_status	st;
	bool		is_text;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	is_text = n >= SHC_QR_PREFIX_LEN &&
		memcmp(s, SHC_QR_PREFIX, SHC_QR_PREFIX_LEN) == 0;
	/* a long JWS must still be made of JWS characters */
	if (!is_text && shc_jws_chars_check(s, n, &err) != SHC_OK)
		shc_raise(&err);

	st = shc_qr_symbol_make(s, n, &shc_pg_allocator, &sym, &err);
	if (st != SHC_OK && st != SHC_ERR_QR_TOO_LONG)
		shc_raise(&err);

	values[0] = Int32GetDatum((int32) Min(sym.jws_len, PG_INT32_MAX));
	values[1] = Int32GetDatum((int32) Min(sym.text_len, PG_INT32_MAX));
	if (st == SHC_OK)
	{
		values[2] = Int32GetDatum(sym.version);
		values[3] = Int32GetDatum(sym.width);
	}
	else
		nulls[2] = nulls[3] = true;
	values[4] = BoolGetDatum(st == SHC_OK);
	if (sym.chunk_total > 0)
		values[5] = Int32GetDatum(sym.chunk_total);
	else
	{
		int			nparts;
		size_t		part_len;

		shc_qr_chunk_plan(sym.jws_len, &nparts, &part_len);
		values[5] = Int32GetDatum(nparts);
	}
	shc_qr_symbol_free(&sym);
	PG_FREE_IF_COPY(card, 0);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
