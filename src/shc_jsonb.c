/*
 * shc_jsonb.c
 *		Walk a jsonb value and write it as compact JSON through the core
 *		writer (SHC-NOTES 4.1: jsonb::text is not minified).
 *
 * jsonb stores object keys sorted (shorter first, then bytewise) and without
 * duplicates, so that is the order written; JSON consumers must not depend
 * on key order.  Numbers are written as numeric_out prints them.
 */
#include "shc_glue.h"

#include "core/shc_json.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/numeric.h"


void
shc_jsonb_write_scalar(shc_buf *out, JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			shc_buf_append(out, "null", 4);
			break;
		case jbvBool:
			if (v->val.boolean)
				shc_buf_append(out, "true", 4);
			else
				shc_buf_append(out, "false", 5);
			break;
		case jbvString:
			shc_json_string(out, v->val.string.val, v->val.string.len);
			break;
		case jbvNumeric:
			{
				char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out,
																	NumericGetDatum(v->val.numeric)));
				shc_error	err;

				if (shc_json_number(out, s, strlen(s), &err) != SHC_OK)
					shc_raise(&err);	/* jsonb cannot hold NaN: can't happen */
				pfree(s);
				break;
			}
		default:
			elog(ERROR, "unexpected jsonb scalar type %d", (int) v->type);
	}
}

JsonbValue *
shc_jsonb_member(JsonbContainer *jc, const char *key, JsonbValue *buf)
{
	if (!JsonContainerIsObject(jc))
		return NULL;
	return getKeyJsonValueFromContainer(jc, key, strlen(key), buf);
}

void
shc_jsonb_write(shc_buf *out, JsonbContainer *jc)
{
	JsonbIterator *it = JsonbIteratorInit(jc);
	JsonbIteratorToken tok;
	JsonbValue	v;
	bool		need_comma = false;
	bool		raw_scalar = false;
	uint32		n = 0;

	while ((tok = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
	{
		if ((++n & 0xfff) == 0)
			CHECK_FOR_INTERRUPTS();
		switch (tok)
		{
			case WJB_BEGIN_OBJECT:
				if (need_comma)
					shc_buf_append_char(out, ',');
				shc_buf_append_char(out, '{');
				need_comma = false;
				break;
			case WJB_BEGIN_ARRAY:
				if (v.val.array.rawScalar)
				{
					raw_scalar = true;
					break;
				}
				if (need_comma)
					shc_buf_append_char(out, ',');
				shc_buf_append_char(out, '[');
				need_comma = false;
				break;
			case WJB_END_OBJECT:
				shc_buf_append_char(out, '}');
				need_comma = true;
				break;
			case WJB_END_ARRAY:
				if (!raw_scalar)
					shc_buf_append_char(out, ']');
				need_comma = true;
				break;
			case WJB_KEY:
				if (need_comma)
					shc_buf_append_char(out, ',');
				shc_json_key(out, v.val.string.val, v.val.string.len);
				need_comma = false;
				break;
			case WJB_VALUE:
			case WJB_ELEM:
				if (need_comma)
					shc_buf_append_char(out, ',');
				shc_jsonb_write_scalar(out, &v);
				need_comma = true;
				break;
			default:
				elog(ERROR, "unexpected jsonb iterator token %d", (int) tok);
		}
	}
}

/*
 * shc_json_compact(value jsonb) returns text
 *		The compact (minified) JSON text of a jsonb value.
 */
PG_FUNCTION_INFO_V1(shc_json_compact_sql);
Datum
shc_json_compact_sql(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);
	shc_buf		out;
	shc_error	err;

	shc_buf_init(&out, &shc_pg_allocator, MaxAllocSize - VARHDRSZ - 1);
	shc_jsonb_write(&out, &jb->root);
	if (shc_buf_status(&out, &err) != SHC_OK)
		shc_raise(&err);
	PG_RETURN_TEXT_P(shc_buf_to_text(&out));
}
