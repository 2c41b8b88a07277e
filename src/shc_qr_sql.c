/*
 * shc_qr_sql.c
 *		SQL wrappers for the shc:/ numeric QR text (SHC-NOTES section 8).
 */
#include "shc_glue.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "core/shc_qr.h"

#define QR_TOO_LONG_HINT \
	"Use shc_qr_chunks() for the deprecated multi-QR form, or make the card smaller."

/*
 * shc_qr_numeric(jws text) returns text
 *		"shc:/" followed by two digits per JWS character.
 */
PG_FUNCTION_INFO_V1(shc_qr_numeric_sql);
Datum
shc_qr_numeric_sql(PG_FUNCTION_ARGS)
{
	text	   *jws = PG_GETARG_TEXT_PP(0);
	const char *s = VARDATA_ANY(jws);
	size_t		n = VARSIZE_ANY_EXHDR(jws);
	shc_buf		out;
	shc_error	err;

	if (n > SHC_QR_MAX_SINGLE_JWS)
	{
		shc_error_set(&err, SHC_ERR_QR_TOO_LONG,
					  "The JWS has %zu characters; one QR code holds at most %d.",
					  n, SHC_QR_MAX_SINGLE_JWS);
		shc_raise_hint(&err, QR_TOO_LONG_HINT);
	}
	shc_buf_init(&out, &shc_pg_allocator, 0);
	if (shc_qr_numeric_encode(s, n, 1, 1, &out, &err) != SHC_OK)
		shc_raise(&err);
	PG_FREE_IF_COPY(jws, 0);
	PG_RETURN_TEXT_P(shc_buf_to_text(&out));
}

/*
 * shc_qr_chunks(jws text) returns text[]
 *		One shc:/ text when the JWS fits a single QR code, otherwise the
 *		deprecated balanced chunks shc:/C/N/... (SHC-NOTES 8.1).
 */
PG_FUNCTION_INFO_V1(shc_qr_chunks_sql);
Datum
shc_qr_chunks_sql(PG_FUNCTION_ARGS)
{
	text	   *jws = PG_GETARG_TEXT_PP(0);
	const char *s = VARDATA_ANY(jws);
	size_t		n = VARSIZE_ANY_EXHDR(jws);
	int			nparts;
	size_t		part_len;
	Datum	   *elems;
	shc_error	err;
	int			i;

	if (shc_jws_chars_check(s, n, &err) != SHC_OK)
		shc_raise(&err);
	shc_qr_chunk_plan(n, &nparts, &part_len);
	if (nparts > SHC_QR_MAX_CHUNKS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("card is too long to split into QR codes"),
				 errdetail("The JWS has %zu characters and would need %d QR codes; the maximum is %d.",
						   n, nparts, SHC_QR_MAX_CHUNKS)));
	elems = palloc(sizeof(Datum) * nparts);
	for (i = 0; i < nparts; i++)
	{
		size_t		off = (size_t) i * part_len;
		size_t		len = Min(part_len, n - off);
		shc_buf		out;

		shc_buf_init(&out, &shc_pg_allocator, 0);
		if (shc_qr_numeric_encode(s + off, len, i + 1, nparts, &out, &err) != SHC_OK)
			shc_raise(&err);
		elems[i] = PointerGetDatum(shc_buf_to_text(&out));
	}
	PG_FREE_IF_COPY(jws, 0);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, nparts, TEXTOID, -1, false,
										  TYPALIGN_INT));
}

/*
 * shc_qr_decode(qr text[]) returns text
 *		The compact JWS held by one shc:/ text, or by a complete set of
 *		shc:/C/N/ chunks in any order.
 */
PG_FUNCTION_INFO_V1(shc_qr_decode_sql);
Datum
shc_qr_decode_sql(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	const char **texts;
	size_t	   *lens;
	shc_buf		out;
	shc_error	err;
	int			i;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("QR text array must be one-dimensional")));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &nulls, &nelems);
	if (nelems == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("QR text array must not be empty")));
	if (nelems > SHC_QR_MAX_CHUNKS)
	{
		shc_error_set(&err, SHC_ERR_QR_CHUNKS,
					  "%d texts exceed the maximum of %d chunks.",
					  nelems, SHC_QR_MAX_CHUNKS);
		shc_raise(&err);
	}
	texts = palloc(sizeof(char *) * nelems);
	lens = palloc(sizeof(size_t) * nelems);
	for (i = 0; i < nelems; i++)
	{
		text	   *t;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("QR text array must not contain nulls")));
		t = DatumGetTextPP(elems[i]);
		texts[i] = VARDATA_ANY(t);
		lens[i] = VARSIZE_ANY_EXHDR(t);
	}
	shc_buf_init(&out, &shc_pg_allocator, 0);
	if (shc_qr_decode_parts(texts, lens, nelems, &out, &err) != SHC_OK)
		shc_raise(&err);
	PG_RETURN_TEXT_P(shc_buf_to_text(&out));
}
