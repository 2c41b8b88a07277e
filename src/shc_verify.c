/*
 * shc_verify.c
 *		shc_verify(), shc_verify_file(), shc_decode() and shc_file_cards():
 *		reading and verifying SMART Health Cards against the trust store
 *		(SHC-NOTES sections 2-4, 9.1, 10 and 12).
 *
 * shc_verify never raises for a bad card: every problem of the card
 * becomes a status and a reason sentence.  To keep that promise without a
 * subtransaction per card (which parallel workers cannot start), JSON is
 * handed to jsonb_in only after the non-raising checks it could otherwise
 * raise on: the core pre-check (BOM, NUL, nesting depth, number size),
 * UTF-8 validation and pg_parse_json with null actions.
 *
 * Order of checks (SHC-NOTES 12; README "What each status means"):
 *   shc:/ decoding -> three base64url segments -> header JSON object with
 *   alg exactly ES256, zip DEF, kid string, no crit -> signature shape (64
 *   raw bytes) -> when the trust store knows the kid: ES256 over the
 *   received bytes (bad_signature; the payload is not even inflated) ->
 *   payload raw-inflated under shc.max_payload_size -> JSON object ->
 *   claims shape -> issuer trusted (unknown_issuer) -> key bound to this
 *   iss (unknown_key) -> exp / nbf (expired, not_yet_valid) -> revocation.
 */
#include "shc_glue.h"

#include "common/jsonapi.h"
#include "common/string.h"
#include "datatype/timestamp.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "catalog/pg_type.h"

#include <math.h>

#include "core/shc_b64url.h"
#include "core/shc_deflate.h"
#include "core/shc_jws.h"
#include "core/shc_qr.h"
#include "core/shc_verify.h"
#include "shc_trust.h"

#define UNIX_EPOCH_OFFSET_SECS \
	((double) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY)

/* longest part of a card quoted in a reason */
#define QUOTE_MAX 80

typedef struct verify_result
{
	shc_outcome status;
	char	   *reason;
	char	   *iss;
	char	   *kid;
	bool		has_nbf;
	double		nbf;
	bool		has_exp;
	double		exp;
	Datum		types;			/* text[] or 0 */
	char	   *rid;
	char	   *fhir_version;
	Jsonb	   *bundle;
} verify_result;

/* a short, printable quotation of untrusted text for a reason sentence */
static char *
quote_short(const char *s, size_t n)
{
	StringInfoData b;
	size_t		len = n;
	size_t		i;

	if (len > QUOTE_MAX)
		len = pg_mbcliplen(s, (int) n, QUOTE_MAX);
	initStringInfo(&b);
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c < 0x20 || c == 0x7f)
			appendStringInfoChar(&b, '?');
		else
			appendStringInfoChar(&b, (char) c);
	}
	if (len < n)
		appendStringInfoString(&b, "...");
	return b.data;
}

static TimestampTz
secs_to_timestamptz(double secs)
{
	return (TimestampTz) rint((secs - UNIX_EPOCH_OFFSET_SECS) * USECS_PER_SEC);
}

static double
timestamptz_to_secs(TimestampTz t)
{
	return (double) t / USECS_PER_SEC + UNIX_EPOCH_OFFSET_SECS;
}

/* ---------------------------------------------------------------------
 * JSON without raising
 * --------------------------------------------------------------------- */

/*
 * Semantic actions that build the jsonb while the text is parsed: the same
 * tree jsonb_in builds (utils/adt/jsonb.c), in one pass over the text
 * instead of a validating pass and then jsonb_in's own.  They cannot raise
 * for text that passed shc_json_precheck (numbers are bounded there;
 * strings are far shorter than JENTRY_OFFLENMASK under
 * shc.max_payload_size).
 */
typedef struct jsonb_build_state
{
	JsonbParseState *ps;
	JsonbValue *res;
} jsonb_build_state;

static void
jb_object_start(void *st)
{
	jsonb_build_state *b = st;

	b->res = pushJsonbValue(&b->ps, WJB_BEGIN_OBJECT, NULL);
}

static void
jb_object_end(void *st)
{
	jsonb_build_state *b = st;

	b->res = pushJsonbValue(&b->ps, WJB_END_OBJECT, NULL);
}

static void
jb_array_start(void *st)
{
	jsonb_build_state *b = st;

	b->res = pushJsonbValue(&b->ps, WJB_BEGIN_ARRAY, NULL);
}

static void
jb_array_end(void *st)
{
	jsonb_build_state *b = st;

	b->res = pushJsonbValue(&b->ps, WJB_END_ARRAY, NULL);
}

static int
jb_string_len(const char *s)
{
	size_t		len = strlen(s);

	if (len > JENTRY_OFFLENMASK)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("string too long to represent as jsonb string"),
				 errdetail("Due to an implementation restriction, jsonb strings cannot exceed %d bytes.",
						   JENTRY_OFFLENMASK)));
	return (int) len;
}

static void
jb_object_field_start(void *st, char *fname, bool isnull)
{
	jsonb_build_state *b = st;
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.len = jb_string_len(fname);
	v.val.string.val = fname;
	b->res = pushJsonbValue(&b->ps, WJB_KEY, &v);
}

static void
jb_scalar(void *st, char *token, JsonTokenType tokentype)
{
	jsonb_build_state *b = st;
	JsonbValue	v;

	switch (tokentype)
	{
		case JSON_TOKEN_STRING:
			v.type = jbvString;
			v.val.string.len = jb_string_len(token);
			v.val.string.val = token;
			break;
		case JSON_TOKEN_NUMBER:
			v.type = jbvNumeric;
			v.val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
																CStringGetDatum(token),
																ObjectIdGetDatum(InvalidOid),
																Int32GetDatum(-1)));
			break;
		case JSON_TOKEN_TRUE:
		case JSON_TOKEN_FALSE:
			v.type = jbvBool;
			v.val.boolean = (tokentype == JSON_TOKEN_TRUE);
			break;
		case JSON_TOKEN_NULL:
			v.type = jbvNull;
			break;
		default:
			elog(ERROR, "invalid json token type");
	}
	if (b->ps == NULL)
	{
		/* a scalar document: a one-element raw-scalar array, as jsonb_in */
		JsonbValue	va;

		va.type = jbvArray;
		va.val.array.rawScalar = true;
		va.val.array.nElems = 1;
		b->res = pushJsonbValue(&b->ps, WJB_BEGIN_ARRAY, &va);
		b->res = pushJsonbValue(&b->ps, WJB_ELEM, &v);
		b->res = pushJsonbValue(&b->ps, WJB_END_ARRAY, NULL);
	}
	else if (b->ps->contVal.type == jbvArray)
		b->res = pushJsonbValue(&b->ps, WJB_ELEM, &v);
	else
		b->res = pushJsonbValue(&b->ps, WJB_VALUE, &v);
}

/*
 * The fast path: a recursive-descent parser for the JSON every issuer
 * writes (an object at the top; strings without \u escapes; numbers, true,
 * false, null), feeding the same pushJsonbValue calls as the semantic
 * actions above, so the jsonb is the one jsonb_in would build.  It accepts
 * only text it fully understands and that PostgreSQL's parser accepts with
 * the same meaning; on anything else (a \u escape, a syntax error, a
 * non-UTF8 database, a scalar document) it returns NULL and the caller
 * parses with pg_parse_json, which then decides and words any error.
 * PostgreSQL 15's lexer copies strings a byte at a time; this one points
 * strings without escapes into the text and copies the rest in runs.
 */
typedef struct fast_json
{
	const char *p;
	const char *end;
	JsonbParseState *ps;
	JsonbValue *res;
} fast_json;

#define FJ_WS(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\r')
#define FJ_DIGIT(c) ((c) >= '0' && (c) <= '9')
/* what may follow a number or literal (PostgreSQL rejects letters etc.) */
#define FJ_DELIM(f) ((f)->p == (f)->end || FJ_WS(*(f)->p) || *(f)->p == ',' || \
					 *(f)->p == ']' || *(f)->p == '}')

static inline void
fj_ws(fast_json *f)
{
	while (f->p < f->end && FJ_WS(*f->p))
		f->p++;
}

/* a string at f->p (its opening quote) into v */
static bool
fj_string(fast_json *f, JsonbValue *v)
{
	const char *start = ++f->p;
	const char *q = start;
	char	   *buf = NULL,
			   *o = NULL;

	for (;;)
	{
		unsigned char c;

		while (q < f->end && *q != '"' && *q != '\\' && (unsigned char) *q >= 0x20)
			q++;
		if (q >= f->end)
			return false;
		c = (unsigned char) *q;
		if (c == '"')
			break;
		if (c != '\\' || q + 1 >= f->end)
			return false;		/* a control character, or a lone backslash */
		if (buf == NULL)
			buf = o = palloc(f->end - start);
		memcpy(o, start, q - start);
		o += q - start;
		switch (q[1])
		{
			case '"':
			case '\\':
			case '/':
				*o++ = q[1];
				break;
			case 'b':
				*o++ = '\b';
				break;
			case 'f':
				*o++ = '\f';
				break;
			case 'n':
				*o++ = '\n';
				break;
			case 'r':
				*o++ = '\r';
				break;
			case 't':
				*o++ = '\t';
				break;
			default:
				return false;	/* \u and invalid escapes: PostgreSQL's way */
		}
		q += 2;
		start = q;
	}
	v->type = jbvString;
	if (buf == NULL)
	{
		v->val.string.val = (char *) start;
		v->val.string.len = (int) (q - start);
	}
	else
	{
		memcpy(o, start, q - start);
		o += q - start;
		v->val.string.val = buf;
		v->val.string.len = (int) (o - buf);
	}
	f->p = q + 1;
	/* longer strings: PostgreSQL's parser raises jsonb's error */
	return (size_t) v->val.string.len <= JENTRY_OFFLENMASK;
}

/* a number at f->p, exactly RFC 8259's grammar, through numeric_in */
static bool
fj_number(fast_json *f, JsonbValue *v)
{
	const char *s = f->p;
	const char *q = s;
	char		tmp[64];
	char	   *tok;

	if (*q == '-')
		q++;
	if (q < f->end && *q == '0')
		q++;
	else if (q < f->end && *q >= '1' && *q <= '9')
		while (q < f->end && FJ_DIGIT(*q))
			q++;
	else
		return false;
	if (q < f->end && *q == '.')
	{
		q++;
		if (q >= f->end || !FJ_DIGIT(*q))
			return false;
		while (q < f->end && FJ_DIGIT(*q))
			q++;
	}
	if (q < f->end && (*q == 'e' || *q == 'E'))
	{
		q++;
		if (q < f->end && (*q == '+' || *q == '-'))
			q++;
		if (q >= f->end || !FJ_DIGIT(*q))
			return false;
		while (q < f->end && FJ_DIGIT(*q))
			q++;
	}
	f->p = q;
	if (!FJ_DELIM(f))
		return false;
	if ((size_t) (q - s) < sizeof(tmp))
	{
		memcpy(tmp, s, q - s);
		tmp[q - s] = '\0';
		tok = tmp;
	}
	else
		tok = pnstrdup(s, q - s);
	v->type = jbvNumeric;
	v->val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
														CStringGetDatum(tok),
														ObjectIdGetDatum(InvalidOid),
														Int32GetDatum(-1)));
	return true;
}

static bool fj_container(fast_json *f);

/* a value at f->p (after white space); scalars are pushed as tok */
static bool
fj_value(fast_json *f, JsonbIteratorToken tok)
{
	JsonbValue	v;

	if (f->p >= f->end)
		return false;
	switch (*f->p)
	{
		case '{':
		case '[':
			return fj_container(f);
		case '"':
			if (!fj_string(f, &v))
				return false;
			break;
		case 't':
			if (f->end - f->p < 4 || memcmp(f->p, "true", 4) != 0)
				return false;
			f->p += 4;
			v.type = jbvBool;
			v.val.boolean = true;
			break;
		case 'f':
			if (f->end - f->p < 5 || memcmp(f->p, "false", 5) != 0)
				return false;
			f->p += 5;
			v.type = jbvBool;
			v.val.boolean = false;
			break;
		case 'n':
			if (f->end - f->p < 4 || memcmp(f->p, "null", 4) != 0)
				return false;
			f->p += 4;
			v.type = jbvNull;
			break;
		default:
			if ((*f->p != '-' && !FJ_DIGIT(*f->p)) || !fj_number(f, &v))
				return false;
			break;
	}
	if (v.type != jbvString && !FJ_DELIM(f))
		return false;
	f->res = pushJsonbValue(&f->ps, tok, &v);
	return true;
}

/* an object or array at f->p */
static bool
fj_container(fast_json *f)
{
	bool		object = (*f->p == '{');
	char		close = object ? '}' : ']';

	check_stack_depth();
	f->res = pushJsonbValue(&f->ps, object ? WJB_BEGIN_OBJECT : WJB_BEGIN_ARRAY, NULL);
	f->p++;
	fj_ws(f);
	if (f->p < f->end && *f->p == close)
	{
		f->p++;
		f->res = pushJsonbValue(&f->ps, object ? WJB_END_OBJECT : WJB_END_ARRAY, NULL);
		return true;
	}
	for (;;)
	{
		if (object)
		{
			JsonbValue	k;

			if (f->p >= f->end || *f->p != '"' || !fj_string(f, &k))
				return false;
			f->res = pushJsonbValue(&f->ps, WJB_KEY, &k);
			fj_ws(f);
			if (f->p >= f->end || *f->p != ':')
				return false;
			f->p++;
			fj_ws(f);
		}
		if (!fj_value(f, object ? WJB_VALUE : WJB_ELEM))
			return false;
		fj_ws(f);
		if (f->p >= f->end)
			return false;
		if (*f->p == close)
			break;
		if (*f->p != ',')
			return false;
		f->p++;
		fj_ws(f);
	}
	f->p++;
	f->res = pushJsonbValue(&f->ps, object ? WJB_END_OBJECT : WJB_END_ARRAY, NULL);
	return true;
}

/* the jsonb of s[0..n) (an object), or NULL: parse it the slow way */
static Jsonb *
fast_parse(const char *s, size_t n)
{
	fast_json	f;

	if (GetDatabaseEncoding() != PG_UTF8)
		return NULL;
	f.p = s;
	f.end = s + n;
	f.ps = NULL;
	f.res = NULL;
	fj_ws(&f);
	if (f.p >= f.end || *f.p != '{' || !fj_container(&f))
		return NULL;
	fj_ws(&f);
	if (f.p != f.end)
		return NULL;
	return JsonbValueToJsonb(f.res);
}

/*
 * Parse s[0..n) into jsonb.  On a problem: when raise, ereport; otherwise
 * set *why to a sentence and return NULL.  what names the part ("header").
 */
static Jsonb *
parse_json(const char *s, size_t n, const char *what, bool raise, char **why)
{
	shc_error	err;
	JsonLexContext *lex;
	JsonSemAction sem;
	jsonb_build_state b;
	char	   *copy;
	Jsonb	   *result;

	if (shc_json_precheck(s, n, SHC_JSON_MAX_DEPTH, &err) != SHC_OK)
	{
		*why = psprintf("The %s is not acceptable JSON. %s", what, err.detail);
		goto fail;
	}
	if (!pg_verify_mbstr(PG_UTF8, s, (int) n, true))
	{
		*why = psprintf("The %s is not valid UTF-8.", what);
		goto fail;
	}
	copy = pnstrdup(s, n);
	if (GetDatabaseEncoding() != PG_UTF8 && !pg_is_ascii(copy))
	{
		*why = psprintf("The %s holds non-ASCII text, which needs a UTF8 database.", what);
		goto fail;
	}
	if ((result = fast_parse(copy, n)) != NULL)
		return result;
	memset(&b, 0, sizeof(b));
	memset(&sem, 0, sizeof(sem));
	sem.semstate = &b;
	sem.object_start = jb_object_start;
	sem.object_end = jb_object_end;
	sem.array_start = jb_array_start;
	sem.array_end = jb_array_end;
	sem.object_field_start = jb_object_field_start;
	sem.scalar = jb_scalar;
	lex = makeJsonLexContextCstringLen(copy, (int) n, GetDatabaseEncoding(), true);
	if (pg_parse_json(lex, &sem) != JSON_SUCCESS)
	{
		*why = psprintf("The %s is not valid JSON.", what);
		goto fail;
	}
	return JsonbValueToJsonb(b.res);

fail:
	if (raise)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type json"),
				 errdetail_internal("%s", *why)));
	return NULL;
}


static bool
is_object(JsonbValue *v)
{
	return v && v->type == jbvBinary && JsonContainerIsObject(v->val.binary.data);
}

static bool
is_array(JsonbValue *v)
{
	return v && v->type == jbvBinary && JsonContainerIsArray(v->val.binary.data);
}

static bool
string_is(JsonbValue *v, const char *want)
{
	return v && v->type == jbvString && v->val.string.len == strlen(want) &&
		memcmp(v->val.string.val, want, v->val.string.len) == 0;
}

static double
numeric_secs(JsonbValue *v)
{
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow,
											  NumericGetDatum(v->val.numeric)));
}

/* ---------------------------------------------------------------------
 * shc:/ text or JWS -> JWS
 * --------------------------------------------------------------------- */

/*
 * If s is shc:/ text, decode it into out and point *s, *n at it.  Returns
 * false with err set when the text is malformed.
 */
static bool
unwrap_qr(const char **s, size_t *n, shc_buf *out, shc_error *err)
{
	const char *texts[1];
	size_t		lens[1];

	if (*n < SHC_QR_PREFIX_LEN || memcmp(*s, SHC_QR_PREFIX, SHC_QR_PREFIX_LEN) != 0)
		return true;
	texts[0] = *s;
	lens[0] = *n;
	shc_buf_init(out, &shc_pg_allocator, 0);
	if (shc_qr_decode_parts(texts, lens, 1, out, err) != SHC_OK)
		return false;
	*s = out->data;
	*n = out->len;
	return true;
}

/* ---------------------------------------------------------------------
 * the verifier
 * --------------------------------------------------------------------- */

#define FAIL(st, ...) \
	do { r->status = (st); r->reason = psprintf(__VA_ARGS__); return; } while (0)

/* internal failures (memory, OpenSSL) raise: they are not the card's fault */
static void
raise_internal(const shc_error *err)
{
	if (err->status == SHC_ERR_NOMEM || err->status == SHC_ERR_INTERNAL)
		shc_raise(err);
}

static void
verify_card(const char *s, size_t n, double at, Oid nsp, verify_result *r)
{
	shc_buf		qr,
				hb,
				pb,
				inflated;
	shc_error	err;
	shc_status	st;
	shc_jws_parts p;
	Jsonb	   *header,
			   *payload;
	JsonbValue	b1,
				b2,
				b3,
				b4,
				b5,
				b6,
				b7;
	JsonbValue *v,
			   *vc,
			   *cs,
			   *bundle,
			   *ridv;
	shc_trust_key *keys;
	shc_trust_key *k = NULL;
	shc_ec_key *signed_with = NULL,
			   *pk;
	int			nkeys,
				i;
	char	   *why;
	char		timebuf[256];
	shc_outcome time_outcome;
	bool		signed_ok = false;

	memset(r, 0, sizeof(*r));
	r->status = SHC_V_MALFORMED;

	if (n > (size_t) shc_max_payload_size)
		FAIL(SHC_V_MALFORMED, "The card has %zu characters; shc.max_payload_size allows %d.",
			 n, shc_max_payload_size);

	/* SHC-NOTES 12 step 1: a shc:/ numeric text holds the JWS */
	if (!unwrap_qr(&s, &n, &qr, &err))
	{
		raise_internal(&err);
		FAIL(SHC_V_MALFORMED, "The shc:/ text is malformed. %s", err.detail);
	}

	/* step 2: three base64url segments */
	if (shc_jws_split(s, n, 0, &p, &err) != SHC_OK)
		FAIL(SHC_V_MALFORMED, "%s", err.detail);

	/* step 3: the header */
	shc_buf_init(&hb, &shc_pg_allocator, 0);
	if ((st = shc_b64url_decode(p.header, p.header_len, &hb, &err)) != SHC_OK)
	{
		raise_internal(&err);
		FAIL(SHC_V_MALFORMED, "The header segment is not valid base64url.");
	}
	header = parse_json(hb.data, hb.len, "header", false, &why);
	if (header == NULL)
		FAIL(SHC_V_MALFORMED, "%s", why);
	if (!JsonContainerIsObject(&header->root) || JsonContainerIsScalar(&header->root))
		FAIL(SHC_V_MALFORMED, "The header is not a JSON object.");
	/* alg exactly ES256, before anything else is looked at (SHC-NOTES 2) */
	v = shc_jsonb_member(&header->root, "alg", &b1);
	if (v == NULL)
		FAIL(SHC_V_MALFORMED, "The header has no alg; SMART Health Cards are signed with ES256.");
	if (!string_is(v, "ES256"))
	{
		if (v->type == jbvString)
			FAIL(SHC_V_MALFORMED, "The header alg is \"%s\"; only ES256 is accepted.",
				 quote_short(v->val.string.val, v->val.string.len));
		FAIL(SHC_V_MALFORMED, "The header alg is not a string; only ES256 is accepted.");
	}
	v = shc_jsonb_member(&header->root, "zip", &b1);
	if (!string_is(v, "DEF"))
		FAIL(SHC_V_MALFORMED, "The header has %s; the payload of a SMART Health Card is raw DEFLATE (\"zip\":\"DEF\").",
			 v == NULL ? "no zip" : "a zip other than \"DEF\"");
	v = shc_jsonb_member(&header->root, "kid", &b1);
	if (v == NULL || v->type != jbvString || v->val.string.len == 0)
		FAIL(SHC_V_MALFORMED, "The header has no kid string naming the signing key.");
	r->kid = pnstrdup(v->val.string.val, v->val.string.len);
	if (shc_jsonb_member(&header->root, "crit", &b2) != NULL)
		FAIL(SHC_V_MALFORMED, "The header has a crit member; no critical JWS extension is supported.");

	/* step 4: signature shape, before any key */
	if (shc_jws_verify_signature(s, &p, NULL, &err) != SHC_OK)
		FAIL(SHC_V_MALFORMED, "%s", err.detail);

	/*
	 * Steps 8-9, as far as they need no payload: every trusted entry with
	 * this kid holds the same key (kid is its thumbprint), so one check of
	 * the signature over the received bytes settles it.  A signature that
	 * fails means the payload is never inflated.
	 */
	shc_trust_cache_ensure(nsp);
	nkeys = shc_trust_keys_by_kid(r->kid, strlen(r->kid), &keys);
	if (nkeys > 0)
	{
		for (i = 0; i < nkeys && signed_with == NULL; i++)
			signed_with = shc_trust_key_pkey(&keys[i]);
		pk = signed_with;
		if (pk != NULL)
		{
			st = shc_jws_verify_signature(s, &p, pk, &err);
			if (st != SHC_OK)
			{
				raise_internal(&err);
				FAIL(SHC_V_BAD_SIGNATURE, "The signature does not verify with the trusted key \"%s\".",
					 r->kid);
			}
			signed_ok = true;
		}
	}

	/* step 5: payload, raw-inflated under the cap */
	shc_buf_init(&pb, &shc_pg_allocator, 0);
	if ((st = shc_b64url_decode(p.payload, p.payload_len, &pb, &err)) != SHC_OK)
	{
		raise_internal(&err);
		FAIL(SHC_V_MALFORMED, "The payload segment is not valid base64url.");
	}
	shc_buf_init(&inflated, &shc_pg_allocator, 0);
	st = shc_inflate_raw((const uint8_t *) pb.data, pb.len, (size_t) shc_max_payload_size,
						 &inflated, &err);
	shc_buf_free(&pb);
	if (st == SHC_ERR_INFLATE_TOO_LARGE)
		FAIL(SHC_V_MALFORMED, "The payload inflates to more than %d bytes (shc.max_payload_size).",
			 shc_max_payload_size);
	if (st != SHC_OK)
	{
		raise_internal(&err);
		FAIL(SHC_V_MALFORMED, "The payload cannot be inflated. %s", err.detail);
	}
	payload = parse_json(inflated.data, inflated.len, "payload", false, &why);
	shc_buf_free(&inflated);
	if (payload == NULL)
		FAIL(SHC_V_MALFORMED, "%s", why);
	if (!JsonContainerIsObject(&payload->root) || JsonContainerIsScalar(&payload->root))
		FAIL(SHC_V_MALFORMED, "The payload is not a JSON object.");

	/* step 6: claims shape (SHC-NOTES 4) */
	v = shc_jsonb_member(&payload->root, "iss", &b1);
	if (v == NULL || v->type != jbvString)
		FAIL(SHC_V_MALFORMED, "The payload has no iss string.");
	r->iss = pnstrdup(v->val.string.val, v->val.string.len);
	if (v->val.string.len <= 8 || strncmp(r->iss, "https://", 8) != 0)
		FAIL(SHC_V_MALFORMED, "The iss \"%s\" is not an https URL.",
			 quote_short(r->iss, strlen(r->iss)));
	if (r->iss[v->val.string.len - 1] == '/')
		FAIL(SHC_V_MALFORMED, "The iss \"%s\" ends with \"/\".",
			 quote_short(r->iss, strlen(r->iss)));
	v = shc_jsonb_member(&payload->root, "nbf", &b2);
	if (v == NULL || v->type != jbvNumeric)
		FAIL(SHC_V_MALFORMED, "The payload has no numeric nbf.");
	r->nbf = numeric_secs(v);
	v = shc_jsonb_member(&payload->root, "exp", &b3);
	if (v != NULL)
	{
		if (v->type != jbvNumeric)
			FAIL(SHC_V_MALFORMED, "The exp claim is not a number.");
		r->exp = numeric_secs(v);
		r->has_exp = true;
	}
	time_outcome = shc_check_times(r->nbf, r->has_exp, r->exp, at, shc_clock_skew,
								   timebuf, sizeof(timebuf));
	if (time_outcome == SHC_V_MALFORMED)
	{
		r->has_exp = false;
		FAIL(SHC_V_MALFORMED, "%s", timebuf);
	}
	r->has_nbf = true;

	vc = shc_jsonb_member(&payload->root, "vc", &b4);
	if (!is_object(vc))
		FAIL(SHC_V_MALFORMED, "The payload has no vc object.");
	v = shc_jsonb_member(vc->val.binary.data, "type", &b5);
	if (!is_array(v))
		FAIL(SHC_V_MALFORMED, "The vc has no type array.");
	{
		JsonbContainer *tc = v->val.binary.data;
		int			nt = JsonContainerSize(tc);
		Datum	   *elems = palloc(sizeof(Datum) * Max(nt, 1));
		bool		health_card = false;

		for (i = 0; i < nt; i++)
		{
			JsonbValue *t = getIthJsonbValueFromContainer(tc, i);

			if (t == NULL || t->type != jbvString)
				FAIL(SHC_V_MALFORMED, "Element %d of vc.type is not a string.", i + 1);
			if (string_is(t, SHC_HEALTH_CARD_TYPE))
				health_card = true;
			elems[i] = PointerGetDatum(cstring_to_text_with_len(t->val.string.val, t->val.string.len));
		}
		r->types = PointerGetDatum(construct_array(elems, nt, TEXTOID, -1, false, TYPALIGN_INT));
		if (!health_card)
			FAIL(SHC_V_MALFORMED, "The vc.type does not contain \"%s\".", SHC_HEALTH_CARD_TYPE);
	}
	cs = shc_jsonb_member(vc->val.binary.data, "credentialSubject", &b5);
	if (!is_object(cs))
		FAIL(SHC_V_MALFORMED, "The vc has no credentialSubject object.");
	v = shc_jsonb_member(cs->val.binary.data, "fhirVersion", &b6);
	if (v == NULL || v->type != jbvString)
		FAIL(SHC_V_MALFORMED, "The credentialSubject has no fhirVersion string.");
	r->fhir_version = pnstrdup(v->val.string.val, v->val.string.len);
	bundle = shc_jsonb_member(cs->val.binary.data, "fhirBundle", &b6);
	if (!is_object(bundle))
		FAIL(SHC_V_MALFORMED, "The credentialSubject has no fhirBundle object.");
	if (!string_is(shc_jsonb_member(bundle->val.binary.data, "resourceType", &b7), "Bundle"))
		FAIL(SHC_V_MALFORMED, "The fhirBundle is not a FHIR Bundle (resourceType \"Bundle\").");
	ridv = shc_jsonb_member(vc->val.binary.data, "rid", &b7);
	if (ridv != NULL)
	{
		if (ridv->type != jbvString || !shc_rid_ok(ridv->val.string.val, ridv->val.string.len))
			FAIL(SHC_V_MALFORMED, "The vc.rid is not 1 to %d base64url characters.", SHC_RID_MAX_LEN);
		r->rid = pnstrdup(ridv->val.string.val, ridv->val.string.len);
	}

	/* step 7: the issuer */
	if (!shc_trust_issuer_known(r->iss, strlen(r->iss)))
		FAIL(SHC_V_UNKNOWN_ISSUER, "The issuer \"%s\" is not in the trust store.",
			 quote_short(r->iss, strlen(r->iss)));

	/*
	 * step 8: the key trusted for this iss and this kid, in one lookup
	 * (SHC-NOTES 12); the signature must verify under exactly that entry's
	 * key.  It is the key checked above (one kid, one thumbprint, one key):
	 * should it ever be another object, the signature is checked again.
	 */
	k = shc_trust_key_find(r->iss, strlen(r->iss), r->kid, strlen(r->kid));
	if (k == NULL)
	{
		if (nkeys > 0)
			FAIL(SHC_V_UNKNOWN_KEY, "The key \"%s\" is trusted for another issuer, not for \"%s\".",
				 quote_short(r->kid, strlen(r->kid)), quote_short(r->iss, strlen(r->iss)));
		FAIL(SHC_V_UNKNOWN_KEY, "The issuer \"%s\" has no trusted key \"%s\".",
			 quote_short(r->iss, strlen(r->iss)), quote_short(r->kid, strlen(r->kid)));
	}
	if (signed_ok && shc_trust_key_pkey(k) != signed_with)
	{
		pk = shc_trust_key_pkey(k);
		signed_ok = pk != NULL && shc_jws_verify_signature(s, &p, pk, &err) == SHC_OK;
		if (!signed_ok && pk != NULL)
			FAIL(SHC_V_BAD_SIGNATURE, "The signature does not verify with the trusted key \"%s\".",
				 r->kid);
	}
	if (!signed_ok)				/* the entry's key did not parse: can't happen */
		FAIL(SHC_V_UNKNOWN_KEY, "The trusted key \"%s\" cannot be used.", r->kid);

	/* step 10: time */
	if (time_outcome != SHC_V_VALID)
		FAIL(time_outcome, "%s", timebuf);

	/*
	 * step 11: revocation (SHC-NOTES 10).  A card without a rid cannot be
	 * revoked, so it needs no list; a card with one, from a key that
	 * announces a list the trust store lacks (or holds only an older
	 * version of), cannot be checked: no_crl.
	 */
	if (r->rid != NULL && k->crl_version > 0 &&
		(!k->has_crl || k->crl_ctr < k->crl_version))
	{
		if (!k->has_crl)
			FAIL(SHC_V_NO_CRL, "The key \"%s\" has revocation list version %d, and the trust store holds no revocation list for it; the card's rid cannot be checked.",
				 r->kid, k->crl_version);
		FAIL(SHC_V_NO_CRL, "The key \"%s\" has revocation list version %d, and the trust store holds only version %d; the card's rid cannot be checked.",
			 r->kid, k->crl_version, k->crl_ctr);
	}
	if (k->has_crl && r->rid != NULL)
	{
		shc_trust_rid *e = shc_trust_crl_find(k, r->rid, strlen(r->rid));

		if (e != NULL && shc_crl_revokes(e->has_ts, e->ts, r->nbf))
		{
			if (e->has_ts)
				FAIL(SHC_V_REVOKED, "The rid \"%s\" is revoked for cards issued before %s by revocation list %d of key \"%s\".",
					 r->rid, timestamptz_to_str(secs_to_timestamptz(e->ts)), k->crl_ctr, r->kid);
			FAIL(SHC_V_REVOKED, "The rid \"%s\" is revoked by revocation list %d of key \"%s\".",
				 r->rid, k->crl_ctr, r->kid);
		}
	}

	r->status = SHC_V_VALID;
	r->reason = psprintf("The card is signed by trusted key \"%s\" of its issuer, current and not revoked.",
						 r->kid);
	r->bundle = JsonbValueToJsonb(bundle);
}

static HeapTuple
result_tuple(TupleDesc td, verify_result *r)
{
	Datum		values[11];
	bool		nulls[11];

	memset(nulls, 0, sizeof(nulls));
	values[0] = CStringGetTextDatum(shc_outcome_name(r->status));
	values[1] = BoolGetDatum(r->status == SHC_V_VALID);
	values[2] = CStringGetTextDatum(r->reason ? r->reason : "");
#define OPT_TEXT(i, s) do { if (s) values[i] = CStringGetTextDatum(s); else nulls[i] = true; } while (0)
	OPT_TEXT(3, r->iss);
	OPT_TEXT(4, r->kid);
	if (r->has_nbf)
		values[5] = TimestampTzGetDatum(secs_to_timestamptz(r->nbf));
	else
		nulls[5] = true;
	if (r->has_nbf && r->has_exp)
		values[6] = TimestampTzGetDatum(secs_to_timestamptz(r->exp));
	else
		nulls[6] = true;
	if (r->types)
		values[7] = r->types;
	else
		nulls[7] = true;
	OPT_TEXT(8, r->rid);
	OPT_TEXT(9, r->fhir_version);
	if (r->bundle)
		values[10] = JsonbPGetDatum(r->bundle);
	else
		nulls[10] = true;
	return heap_form_tuple(td, values, nulls);
}

/* what shc_verify keeps in fn_extra */
typedef struct verify_fn_cache
{
	TupleDesc	td;
	Oid			nsp;
} verify_fn_cache;

static double
check_at(TimestampTz at)
{
	if (TIMESTAMP_NOT_FINITE(at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("verification time must be finite")));
	return timestamptz_to_secs(at);
}

/*
 * shc_verify(card text, at timestamptz DEFAULT now()) returns shc_verification
 */
PG_FUNCTION_INFO_V1(shc_verify_sql);
Datum
shc_verify_sql(PG_FUNCTION_ARGS)
{
	text	   *card = PG_GETARG_TEXT_PP(0);
	double		at = check_at(PG_GETARG_TIMESTAMPTZ(1));
	verify_fn_cache *fc = (verify_fn_cache *) fcinfo->flinfo->fn_extra;
	verify_result r;

	/* the result descriptor and the extension's schema, once per call site */
	if (fc == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		TupleDesc	td;

		if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "shc_verify must return a composite type");
		fc = palloc(sizeof(verify_fn_cache));
		fc->td = BlessTupleDesc(CreateTupleDescCopy(td));
		fc->nsp = get_func_namespace(fcinfo->flinfo->fn_oid);
		fcinfo->flinfo->fn_extra = fc;
		MemoryContextSwitchTo(old);
	}
	verify_card(VARDATA_ANY(card), VARSIZE_ANY_EXHDR(card), at, fc->nsp, &r);
	PG_RETURN_DATUM(HeapTupleGetDatum(result_tuple(fc->td, &r)));
}

/* ---------------------------------------------------------------------
 * .smart-health-card files (SHC-NOTES 9.1)
 * --------------------------------------------------------------------- */

/* the verifiableCredential array container, or NULL with *why set */
static JsonbContainer *
file_cards(Jsonb *file, char **why)
{
	JsonbValue	b;
	JsonbValue *v;

	if (JsonContainerIsScalar(&file->root) || !JsonContainerIsObject(&file->root))
	{
		*why = "A .smart-health-card file is a JSON object.";
		return NULL;
	}
	v = shc_jsonb_member(&file->root, "verifiableCredential", &b);
	if (!is_array(v))
	{
		*why = "The file has no verifiableCredential array.";
		return NULL;
	}
	if (JsonContainerSize(v->val.binary.data) == 0)
	{
		*why = "The file's verifiableCredential array is empty.";
		return NULL;
	}
	return v->val.binary.data;
}

/*
 * shc_verify_file(file jsonb, at timestamptz DEFAULT now())
 *		returns setof shc_verification
 */
PG_FUNCTION_INFO_V1(shc_verify_file_sql);
Datum
shc_verify_file_sql(PG_FUNCTION_ARGS)
{
	Jsonb	   *file = PG_GETARG_JSONB_P(0);
	double		at = check_at(PG_GETARG_TIMESTAMPTZ(1));
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			nsp = get_func_namespace(fcinfo->flinfo->fn_oid);
	JsonbContainer *jc;
	char	   *why;
	MemoryContext item_cxt,
				old;
	int			n,
				i;

	InitMaterializedSRF(fcinfo, 0);
	item_cxt = AllocSetContextCreate(CurrentMemoryContext, "shc_verify_file item",
									 ALLOCSET_DEFAULT_SIZES);
	jc = file_cards(file, &why);
	if (jc == NULL)
	{
		verify_result r;

		memset(&r, 0, sizeof(r));
		r.status = SHC_V_MALFORMED;
		r.reason = why;
		tuplestore_puttuple(rsinfo->setResult, result_tuple(rsinfo->setDesc, &r));
		return (Datum) 0;
	}
	n = JsonContainerSize(jc);
	for (i = 0; i < n; i++)
	{
		JsonbValue *v = getIthJsonbValueFromContainer(jc, i);
		verify_result r;

		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(item_cxt);
		if (v == NULL || v->type != jbvString)
		{
			memset(&r, 0, sizeof(r));
			r.status = SHC_V_MALFORMED;
			r.reason = psprintf("Entry %d of verifiableCredential is not a string.", i + 1);
		}
		else
			verify_card(v->val.string.val, v->val.string.len, at, nsp, &r);
		tuplestore_puttuple(rsinfo->setResult, result_tuple(rsinfo->setDesc, &r));
		MemoryContextSwitchTo(old);
		MemoryContextReset(item_cxt);
	}
	MemoryContextDelete(item_cxt);
	return (Datum) 0;
}

/*
 * shc_file_cards(file jsonb) returns setof text
 */
PG_FUNCTION_INFO_V1(shc_file_cards_sql);
Datum
shc_file_cards_sql(PG_FUNCTION_ARGS)
{
	Jsonb	   *file = PG_GETARG_JSONB_P(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	JsonbContainer *jc;
	char	   *why;
	int			n,
				i;

	jc = file_cards(file, &why);
	if (jc == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid SMART Health Card file"),
				 errdetail_internal("%s", why),
				 errhint("The file is {\"verifiableCredential\": [\"<JWS>\", ...]}.")));
	n = JsonContainerSize(jc);
	for (i = 0; i < n; i++)
	{
		JsonbValue *v = getIthJsonbValueFromContainer(jc, i);

		if (v == NULL || v->type != jbvString)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid SMART Health Card file"),
					 errdetail("Entry %d of verifiableCredential is not a string.", i + 1)));
	}
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	for (i = 0; i < n; i++)
	{
		JsonbValue *v = getIthJsonbValueFromContainer(jc, i);
		Datum		d = PointerGetDatum(cstring_to_text_with_len(v->val.string.val, v->val.string.len));
		bool		isnull = false;

		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &d, &isnull);
	}
	return (Datum) 0;
}

/* ---------------------------------------------------------------------
 * shc_decode(card text) returns jsonb
 * --------------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(shc_decode_sql);
Datum
shc_decode_sql(PG_FUNCTION_ARGS)
{
	text	   *card = PG_GETARG_TEXT_PP(0);
	const char *s = VARDATA_ANY(card);
	size_t		n = VARSIZE_ANY_EXHDR(card);
	shc_buf		qr,
				hb,
				pb,
				inflated;
	shc_error	err;
	shc_jws_parts p;
	Jsonb	   *header,
			   *payload;
	JsonbValue	b;
	JsonbValue *v;
	JsonbParseState *state = NULL;
	JsonbValue	key,
				val,
			   *res;
	char	   *why;
	shc_status	st;

	if (n > (size_t) shc_max_payload_size)
	{
		shc_error_set(&err, SHC_ERR_LIMIT, "The card has %zu characters; shc.max_payload_size allows %d.",
					  n, shc_max_payload_size);
		shc_raise(&err);
	}
	if (!unwrap_qr(&s, &n, &qr, &err))
		shc_raise_hint(&err, err.status == SHC_ERR_QR_CHUNKS ?
					   "For the deprecated chunked form, join the chunks with shc_qr_decode() first." : NULL);
	if (shc_jws_split(s, n, 0, &p, &err) != SHC_OK)
		shc_raise(&err);
	shc_buf_init(&hb, &shc_pg_allocator, 0);
	if (shc_b64url_decode(p.header, p.header_len, &hb, &err) != SHC_OK)
		shc_raise(&err);
	header = parse_json(hb.data, hb.len, "header", true, &why);
	if (!JsonContainerIsObject(&header->root) || JsonContainerIsScalar(&header->root))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid JWS header"),
				 errdetail("The header is not a JSON object.")));
	v = shc_jsonb_member(&header->root, "zip", &b);
	if (!string_is(v, "DEF"))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid JWS header"),
				 errdetail("The header has %s; a SMART Health Card payload is raw DEFLATE (\"zip\":\"DEF\").",
						   v == NULL ? "no zip" : "a zip other than \"DEF\"")));
	shc_buf_init(&pb, &shc_pg_allocator, 0);
	if (shc_b64url_decode(p.payload, p.payload_len, &pb, &err) != SHC_OK)
		shc_raise(&err);
	shc_buf_init(&inflated, &shc_pg_allocator, 0);
	st = shc_inflate_raw((const uint8_t *) pb.data, pb.len, (size_t) shc_max_payload_size,
						 &inflated, &err);
	if (st == SHC_ERR_INFLATE_TOO_LARGE)
		shc_raise_hint(&err, "A superuser can raise shc.max_payload_size.");
	if (st != SHC_OK)
		shc_raise(&err);
	payload = parse_json(inflated.data, inflated.len, "payload", true, &why);

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	key.type = jbvString;
	key.val.string.val = "header";
	key.val.string.len = 6;
	pushJsonbValue(&state, WJB_KEY, &key);
	val.type = jbvBinary;
	val.val.binary.data = &header->root;
	val.val.binary.len = VARSIZE(header) - VARHDRSZ;
	pushJsonbValue(&state, WJB_VALUE, &val);
	key.val.string.val = "payload";
	key.val.string.len = 7;
	pushJsonbValue(&state, WJB_KEY, &key);
	if (JsonContainerIsScalar(&payload->root))
	{
		JsonbValue	sv;

		JsonbExtractScalar(&payload->root, &sv);
		pushJsonbValue(&state, WJB_VALUE, &sv);
	}
	else
	{
		val.val.binary.data = &payload->root;
		val.val.binary.len = VARSIZE(payload) - VARHDRSZ;
		pushJsonbValue(&state, WJB_VALUE, &val);
	}
	res = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	PG_RETURN_JSONB_P(JsonbValueToJsonb(res));
}
