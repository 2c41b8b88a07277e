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
#include "core/shc_jsonr.h"
#include "mb/pg_wchar.h"
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

/* ---------------------------------------------------------------------
 * jsonb from the core reader's events
 * --------------------------------------------------------------------- */

typedef struct jsonb_events
{
	const char *text;			/* the input: strings in it are kept in place */
	size_t		len;
	JsonbParseState *ps;
	JsonbValue *res;
	bool		ascii_only;		/* a database encoding other than UTF8 */
	uint32		n;
	shc_error  *err;
} jsonb_events;

static bool
all_ascii(const char *s, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
		if ((unsigned char) s[i] >= 0x80)
			return false;
	return true;
}

static shc_status
jsonb_event(void *ctx, shc_json_event ev, const char *s, size_t n, int depth)
{
	jsonb_events *je = ctx;
	JsonbValue	v;

	if ((++je->n & 0xff) == 0)
		CHECK_FOR_INTERRUPTS();
	switch (ev)
	{
		case SHC_JSON_OBJECT_START:
			je->res = pushJsonbValue(&je->ps, WJB_BEGIN_OBJECT, NULL);
			return SHC_OK;
		case SHC_JSON_OBJECT_END:
			je->res = pushJsonbValue(&je->ps, WJB_END_OBJECT, NULL);
			return SHC_OK;
		case SHC_JSON_ARRAY_START:
			je->res = pushJsonbValue(&je->ps, WJB_BEGIN_ARRAY, NULL);
			return SHC_OK;
		case SHC_JSON_ARRAY_END:
			je->res = pushJsonbValue(&je->ps, WJB_END_ARRAY, NULL);
			return SHC_OK;
		case SHC_JSON_KEY:
		case SHC_JSON_STRING:
			if (je->ascii_only && !all_ascii(s, n))
				return shc_error_set(je->err, SHC_ERR_JSON,
									 "The JSON text holds non-ASCII text, which needs a UTF8 database.");
			v.type = jbvString;
			v.val.string.len = (int) n;
			/* pushJsonbValue keeps the pointer: copy what the reader reuses */
			if (s >= je->text && s + n <= je->text + je->len)
				v.val.string.val = (char *) s;
			else
				v.val.string.val = pnstrdup(s, n);
			if (ev == SHC_JSON_KEY)
			{
				je->res = pushJsonbValue(&je->ps, WJB_KEY, &v);
				return SHC_OK;
			}
			break;
		case SHC_JSON_NUMBER:
			{
				char		tmp[128];
				char	   *tok = n < sizeof(tmp) ? tmp : palloc(n + 1);

				memcpy(tok, s, n);
				tok[n] = '\0';
				v.type = jbvNumeric;
				v.val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
																	CStringGetDatum(tok),
																	ObjectIdGetDatum(InvalidOid),
																	Int32GetDatum(-1)));
				break;
			}
		case SHC_JSON_TRUE:
		case SHC_JSON_FALSE:
			v.type = jbvBool;
			v.val.boolean = (ev == SHC_JSON_TRUE);
			break;
		case SHC_JSON_NULL:
			v.type = jbvNull;
			break;
	}
	if (je->ps == NULL)
	{
		/* a scalar document: a one-element raw-scalar array, as jsonb_in */
		JsonbValue	va;

		va.type = jbvArray;
		va.val.array.rawScalar = true;
		va.val.array.nElems = 1;
		je->res = pushJsonbValue(&je->ps, WJB_BEGIN_ARRAY, &va);
		je->res = pushJsonbValue(&je->ps, WJB_ELEM, &v);
		je->res = pushJsonbValue(&je->ps, WJB_END_ARRAY, NULL);
	}
	else if (je->ps->contVal.type == jbvArray)
		je->res = pushJsonbValue(&je->ps, WJB_ELEM, &v);
	else
		je->res = pushJsonbValue(&je->ps, WJB_VALUE, &v);
	return SHC_OK;
}

Jsonb *
shc_jsonb_parse(const char *s, size_t n, const shc_json_limits *lim,
				shc_error *err)
{
	jsonb_events je;
	shc_json_limits l = *lim;

	/* jsonb's own limit on one string (utils/jsonb.h) */
	if (l.max_string_len == 0 || l.max_string_len > JENTRY_OFFLENMASK)
		l.max_string_len = JENTRY_OFFLENMASK;
	memset(&je, 0, sizeof(je));
	je.text = s;
	je.len = n;
	je.ascii_only = GetDatabaseEncoding() != PG_UTF8;
	je.err = err;
	if (shc_json_read(s, n, &l, jsonb_event, &je, &shc_pg_allocator, NULL,
					  err) != SHC_OK)
		return NULL;
	return JsonbValueToJsonb(je.res);
}

/*
 * shc_json_parse(json text) returns jsonb
 *		The card reader's jsonb of a JSON text, with the card limits.
 */
PG_FUNCTION_INFO_V1(shc_json_parse_sql);
Datum
shc_json_parse_sql(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	shc_error	err;
	Jsonb	   *jb;

	jb = shc_jsonb_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t),
						 &shc_json_card_limits, &err);
	if (jb == NULL)
		shc_raise(&err);
	PG_FREE_IF_COPY(t, 0);
	PG_RETURN_JSONB_P(jb);
}
