/*
 * shc_shl_sql.c
 *		SQL wrappers for SMART Health Links (SHC-NOTES 15): JWE encrypt and
 *		decrypt, shlink:/ encode and decode, and the internal helpers the
 *		link functions of the upgrade script (section 7) are built on:
 *		random manifest ids, passcode hashes, sealing a link's key and
 *		encrypting its files, printing its shlink:/ again.
 *
 * A link's key exists in clear only inside these C functions: it is made
 * from OpenSSL's private DRBG, used, sealed under the root key
 * (shc_secret_seal, associated data "shc link <manifest id>") and wiped.
 * The SQL layer sees only the sealed bytes, and the shlink:/ text it
 * returns to the link's creator (which carries the key by design).
 */
#include "shc_glue.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "core/shc_b64url.h"
#include "core/shc_es256.h"
#include "core/shc_jwe.h"
#include "core/shc_passcode.h"
#include "core/shc_shlink.h"
#include "shc_secret.h"

/* seconds between the Unix epoch and PostgreSQL's (2000-01-01) */
#define UNIX_PG_EPOCH_DIFF ((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY)

/* Longest JWE accepted for decryption (a file is JSON, base64url + 33%). */
static size_t
jwe_max_len(void)
{
	return (size_t) shc_max_payload_size * 2 + 1024;
}

/* The 32-byte key of a 43-character base64url text, or raise. */
static void
key_from_text(text *t, uint8_t *key)
{
	size_t		n = VARSIZE_ANY_EXHDR(t);
	size_t		got = 0;

	if (n != SHC_SHL_KEY_B64_LEN ||
		shc_b64url_decode_to(VARDATA_ANY(t), n, key, &got, NULL) != SHC_OK ||
		got != SHC_SHL_KEY_LEN)
	{
		shc_memzero(key, SHC_SHL_KEY_LEN);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid SMART Health Link key"),
				 errdetail("A key is %d base64url characters (%d bytes); this one has %zu characters.",
						   SHC_SHL_KEY_B64_LEN, SHC_SHL_KEY_LEN, n)));
	}
}

/* text from a buffer that holds a key: the buffer is wiped, then freed */
static text *
secret_buf_to_text(shc_buf *b)
{
	text	   *t = cstring_to_text_with_len(b->data ? b->data : "", (int) b->len);

	if (b->data)
		shc_memzero(b->data, b->len);
	shc_buf_free(b);
	return t;
}

static int64
timestamptz_to_unix(TimestampTz ts)
{
	if (TIMESTAMP_NOT_FINITE(ts))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a SMART Health Link cannot expire at infinity"),
				 errhint("Leave the expiry NULL for a link that does not expire.")));
	/* floor to whole seconds */
	return (ts >= 0 ? ts / USECS_PER_SEC : -((-ts + USECS_PER_SEC - 1) / USECS_PER_SEC))
		+ UNIX_PG_EPOCH_DIFF;
}

static TimestampTz
unix_to_timestamptz(int64 secs)
{
	return (TimestampTz) (secs - UNIX_PG_EPOCH_DIFF) * USECS_PER_SEC;
}

/* a text argument as a NUL-terminated string of at most max bytes */
static char *
text_arg(text *t, size_t max, const char *what)
{
	size_t		n = VARSIZE_ANY_EXHDR(t);

	if (n > max || memchr(VARDATA_ANY(t), '\0', n) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid SMART Health Link %s", what),
				 errdetail("It must have at most %zu bytes.", max)));
	return text_to_cstring(t);
}

/*
 * Fill a shc_shlink from SQL arguments (url, exp, flag, label, viewer; the
 * key is set by the caller) and check it; raises on a broken rule.
 */
static void
link_from_args(shc_shlink *l, text *url, bool has_exp, TimestampTz exp,
			   text *flag, text *label, text *viewer)
{
	shc_error	err;
	char	   *s;

	memset(l, 0, sizeof(*l));
	s = text_arg(url, SHC_SHL_URL_MAX, "manifest URL");
	strlcpy(l->url, s, sizeof(l->url));
	if (has_exp)
	{
		l->has_exp = true;
		l->exp = timestamptz_to_unix(exp);
	}
	if (flag && VARSIZE_ANY_EXHDR(flag) > 0)
	{
		s = text_arg(flag, 3, "flag");
		strlcpy(l->flag, s, sizeof(l->flag));
	}
	if (label)
	{
		s = text_arg(label, SHC_SHL_LABEL_MAX * 4, "label");
		strlcpy(l->label, s, sizeof(l->label));
		l->has_label = true;
	}
	if (viewer)
	{
		l->viewer = text_arg(viewer, SHC_SHL_VIEWER_MAX, "viewer prefix");
		l->viewer_len = strlen(l->viewer);
	}
	l->v = 1;
	if (shc_shlink_check(l, &err) != SHC_OK)
		shc_raise(&err);
}

/*
 * shc_jwe_encrypt(plaintext text, key text, content_type text,
 *				   zip boolean) returns text
 */
PG_FUNCTION_INFO_V1(shc_jwe_encrypt_sql);
Datum
shc_jwe_encrypt_sql(PG_FUNCTION_ARGS)
{
	text	   *plain = PG_GETARG_TEXT_PP(0);
	text	   *keyt = PG_GETARG_TEXT_PP(1);
	char	   *cty = text_to_cstring(PG_GETARG_TEXT_PP(2));
	bool		zip = PG_GETARG_BOOL(3);
	uint8_t		key[SHC_SHL_KEY_LEN];
	shc_buf		out;
	shc_error	err;
	shc_status	st;

	key_from_text(keyt, key);
	shc_buf_init(&out, &shc_pg_allocator, 0);
	st = shc_jwe_encrypt(key, cty, (const uint8_t *) VARDATA_ANY(plain),
						 VARSIZE_ANY_EXHDR(plain), zip, &out, &err);
	shc_memzero(key, sizeof(key));
	if (st != SHC_OK)
		shc_raise(&err);
	PG_RETURN_TEXT_P(shc_buf_to_text(&out));
}

/*
 * shc_jwe_decrypt(jwe text, key text, OUT content_type text,
 *				   OUT plaintext text) returns record
 */
PG_FUNCTION_INFO_V1(shc_jwe_decrypt_sql);
Datum
shc_jwe_decrypt_sql(PG_FUNCTION_ARGS)
{
	text	   *jwe = PG_GETARG_TEXT_PP(0);
	text	   *keyt = PG_GETARG_TEXT_PP(1);
	uint8_t		key[SHC_SHL_KEY_LEN];
	shc_buf		out;
	shc_jwe_info info;
	shc_error	err;
	shc_status	st;
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	key_from_text(keyt, key);
	shc_buf_init(&out, &shc_pg_allocator, 0);
	st = shc_jwe_decrypt(VARDATA_ANY(jwe), VARSIZE_ANY_EXHDR(jwe), jwe_max_len(),
						 key, sizeof(key), (size_t) shc_max_payload_size,
						 &out, &info, &err);
	shc_memzero(key, sizeof(key));
	if (st != SHC_OK)
	{
		if (out.data)
			shc_memzero(out.data, out.len);
		shc_buf_free(&out);
		if (st == SHC_ERR_JWE_DECRYPT)
			shc_raise_hint(&err, "Check that the key is the one of the SMART Health Link the file came from.");
		shc_raise(&err);
	}
	if (!pg_verify_mbstr(PG_UTF8, out.data ? out.data : "", (int) out.len, true))
	{
		shc_memzero(out.data, out.len);
		shc_buf_free(&out);
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("decrypted JWE plaintext is not valid UTF-8")));
	}
	if (info.has_cty)
		values[0] = CStringGetTextDatum(info.cty);
	else
		nulls[0] = true;
	values[1] = PointerGetDatum(shc_buf_to_text(&out));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * shc_shlink_decode(link text, OUT url text, OUT key text, OUT exp
 *		timestamptz, OUT flag text, OUT label text, OUT v integer,
 *		OUT viewer text) returns record
 */
PG_FUNCTION_INFO_V1(shc_shlink_decode_sql);
Datum
shc_shlink_decode_sql(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	shc_shlink	l;
	shc_error	err;
	TupleDesc	tupdesc;
	Datum		values[7];
	bool		nulls[7] = {false, false, false, false, false, false, false};
	char		key[SHC_SHL_KEY_B64_LEN + 1];

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	if (shc_shlink_decode(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), 0,
						  &shc_pg_allocator, &l, &err) != SHC_OK)
		shc_raise(&err);
	values[0] = CStringGetTextDatum(l.url);
	shc_b64url_encode_to(l.key, SHC_SHL_KEY_LEN, key);
	values[1] = CStringGetTextDatum(key);
	shc_memzero(key, sizeof(key));
	shc_memzero(l.key, sizeof(l.key));
	if (l.has_exp)
		values[2] = TimestampTzGetDatum(unix_to_timestamptz(l.exp));
	else
		nulls[2] = true;
	if (l.flag[0])
		values[3] = CStringGetTextDatum(l.flag);
	else
		nulls[3] = true;
	if (l.has_label)
	{
		if (!pg_verify_mbstr(GetDatabaseEncoding(), l.label, (int) strlen(l.label), true))
			ereport(ERROR,
					(errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
					 errmsg("SMART Health Link label cannot be represented in the database encoding")));
		values[4] = CStringGetTextDatum(l.label);
	}
	else
		nulls[4] = true;
	if (l.v)
		values[5] = Int32GetDatum(l.v);
	else
		nulls[5] = true;
	if (l.viewer_len)
		values[6] = PointerGetDatum(cstring_to_text_with_len(l.viewer, (int) l.viewer_len));
	else
		nulls[6] = true;
	PG_FREE_IF_COPY(t, 0);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * shc_shlink_encode(url text, key text, exp timestamptz, flag text,
 *					 label text, viewer text) returns text
 * Not strict: url and key are required, the rest may be NULL.
 */
PG_FUNCTION_INFO_V1(shc_shlink_encode_sql);
Datum
shc_shlink_encode_sql(PG_FUNCTION_ARGS)
{
	shc_shlink	l;
	shc_buf		out;
	shc_error	err;
	shc_status	st;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a SMART Health Link needs a manifest URL and a key")));
	link_from_args(&l, PG_GETARG_TEXT_PP(0), !PG_ARGISNULL(2),
				   PG_ARGISNULL(2) ? 0 : PG_GETARG_TIMESTAMPTZ(2),
				   PG_ARGISNULL(3) ? NULL : PG_GETARG_TEXT_PP(3),
				   PG_ARGISNULL(4) ? NULL : PG_GETARG_TEXT_PP(4),
				   PG_ARGISNULL(5) ? NULL : PG_GETARG_TEXT_PP(5));
	key_from_text(PG_GETARG_TEXT_PP(1), l.key);
	shc_buf_init(&out, &shc_pg_allocator, 0);
	st = shc_shlink_encode(&l, &out, &err);
	shc_memzero(l.key, sizeof(l.key));
	if (st != SHC_OK)
		shc_raise(&err);
	PG_RETURN_TEXT_P(secret_buf_to_text(&out));
}

/*
 * shc_link_random_id() returns text: 43 base64url characters of 32 bytes
 * from OpenSSL's CSPRNG (256 bits: a manifest path or a location token).
 */
PG_FUNCTION_INFO_V1(shc_link_random_id_sql);
Datum
shc_link_random_id_sql(PG_FUNCTION_ARGS)
{
	uint8_t		r[32];
	char		s[SHC_B64URL_ENCODED_LEN(32) + 1];
	shc_error	err;

	if (shc_random_bytes(r, sizeof(r), &err) != SHC_OK)
		shc_raise(&err);
	shc_b64url_encode_to(r, sizeof(r), s);
	s[SHC_B64URL_ENCODED_LEN(32)] = '\0';
	PG_RETURN_TEXT_P(cstring_to_text(s));
}

/* shc_link_passcode_hash(passcode text) returns text */
PG_FUNCTION_INFO_V1(shc_link_passcode_hash_sql);
Datum
shc_link_passcode_hash_sql(PG_FUNCTION_ARGS)
{
	text	   *p = PG_GETARG_TEXT_PP(0);
	shc_buf		out;
	shc_error	err;

	shc_buf_init(&out, &shc_pg_allocator, 0);
	if (shc_passcode_hash(VARDATA_ANY(p), VARSIZE_ANY_EXHDR(p),
						  SHC_PASSCODE_LOG2N, SHC_PASSCODE_R, SHC_PASSCODE_P,
						  &out, &err) != SHC_OK)
	{
		if (err.status == SHC_ERR_LIMIT)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid SMART Health Link passcode"),
					 errdetail("%s", err.detail)));
		shc_raise(&err);
	}
	PG_RETURN_TEXT_P(shc_buf_to_text(&out));
}

/* shc_link_passcode_check(passcode text, stored text) returns boolean */
PG_FUNCTION_INFO_V1(shc_link_passcode_check_sql);
Datum
shc_link_passcode_check_sql(PG_FUNCTION_ARGS)
{
	text	   *p = PG_GETARG_TEXT_PP(0);
	char	   *stored = text_to_cstring(PG_GETARG_TEXT_PP(1));
	bool		match = false;
	shc_error	err;

	if (shc_passcode_verify(VARDATA_ANY(p), VARSIZE_ANY_EXHDR(p), stored,
							&match, &err) != SHC_OK)
		shc_raise(&err);
	PG_RETURN_BOOL(match);
}

/* associated data of a link's sealed key */
static char *
link_aad(text *manifest_id)
{
	char	   *mid = text_arg(manifest_id, 64, "manifest id");

	return psprintf("shc link %s", mid);
}

/*
 * shc_link_encrypt(manifest_id text, key_sealed bytea, content_types
 *		text[], contents text[], OUT key_sealed bytea, OUT jwes text[])
 *		returns record
 *
 * With key_sealed NULL a new key is made and sealed; otherwise the sealed
 * key is opened.  Each content is encrypted as a JWE with its content type
 * as cty.  Not strict (key_sealed may be NULL).
 */
PG_FUNCTION_INFO_V1(shc_link_encrypt_sql);
Datum
shc_link_encrypt_sql(PG_FUNCTION_ARGS)
{
	char	   *aad;
	unsigned char *key;
	size_t		keylen = SHC_SHL_KEY_LEN;
	bytea	   *sealed;
	ArrayType  *ctarr,
			   *carr;
	Datum	   *cts,
			   *cs;
	bool	   *ctnulls,
			   *cnulls;
	int			nct,
				nc,
				i;
	Datum	   *jwes;
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	shc_error	err;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a link's files need a manifest id, content types and contents")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	aad = link_aad(PG_GETARG_TEXT_PP(0));
	ctarr = PG_GETARG_ARRAYTYPE_P(2);
	carr = PG_GETARG_ARRAYTYPE_P(3);
	deconstruct_array(ctarr, TEXTOID, -1, false, TYPALIGN_INT, &cts, &ctnulls, &nct);
	deconstruct_array(carr, TEXTOID, -1, false, TYPALIGN_INT, &cs, &cnulls, &nc);
	if (nct != nc)
		elog(ERROR, "content types and contents differ in number");
	for (i = 0; i < nc; i++)
		if (ctnulls[i] || cnulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("a link's file cannot be NULL")));

	if (PG_ARGISNULL(1))
	{
		key = shc_secret_alloc(SHC_SHL_KEY_LEN);
		if (shc_random_secret_bytes(key, SHC_SHL_KEY_LEN, &err) != SHC_OK)
		{
			shc_secret_free(key, SHC_SHL_KEY_LEN);
			shc_raise(&err);
		}
		sealed = shc_secret_seal(aad, key, SHC_SHL_KEY_LEN);
	}
	else
	{
		sealed = PG_GETARG_BYTEA_PP(1);
		key = shc_secret_open_for(aad, sealed, &keylen, "open the key of this SMART Health Link");
		if (keylen != SHC_SHL_KEY_LEN)
		{
			shc_secret_free(key, keylen);
			elog(ERROR, "a SMART Health Link key is not %d bytes", SHC_SHL_KEY_LEN);
		}
	}

	jwes = palloc(sizeof(Datum) * Max(nc, 1));
	for (i = 0; i < nc; i++)
	{
		char	   *cty = TextDatumGetCString(cts[i]);
		text	   *c = DatumGetTextPP(cs[i]);
		shc_buf		out;

		shc_buf_init(&out, &shc_pg_allocator, 0);
		/* SHL files are JSON: compressed with raw DEFLATE ("zip":"DEF") */
		if (shc_jwe_encrypt(key, cty, (const uint8_t *) VARDATA_ANY(c),
							VARSIZE_ANY_EXHDR(c), true, &out, &err) != SHC_OK)
		{
			shc_secret_free(key, SHC_SHL_KEY_LEN);
			shc_raise(&err);
		}
		jwes[i] = PointerGetDatum(shc_buf_to_text(&out));
	}
	shc_secret_free(key, SHC_SHL_KEY_LEN);
	values[0] = PointerGetDatum(sealed);
	values[1] = PointerGetDatum(construct_array(jwes, nc, TEXTOID, -1, false, TYPALIGN_INT));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * shc_link_uri(manifest_id text, key_sealed bytea, url text, exp
 *		timestamptz, flag text, label text, viewer text) returns text
 *
 * The shlink:/ text of a stored link: its sealed key is opened, encoded
 * into the payload and wiped.  Not strict (exp, flag, label, viewer may
 * be NULL).
 */
PG_FUNCTION_INFO_V1(shc_link_uri_sql);
Datum
shc_link_uri_sql(PG_FUNCTION_ARGS)
{
	shc_shlink	l;
	unsigned char *key;
	size_t		keylen;
	char	   *aad;
	shc_buf		out;
	shc_error	err;
	shc_status	st;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("this SMART Health Link has no key any more"),
				 errdetail("Its key was wiped when it was deactivated.")));
	link_from_args(&l, PG_GETARG_TEXT_PP(2), !PG_ARGISNULL(3),
				   PG_ARGISNULL(3) ? 0 : PG_GETARG_TIMESTAMPTZ(3),
				   PG_ARGISNULL(4) ? NULL : PG_GETARG_TEXT_PP(4),
				   PG_ARGISNULL(5) ? NULL : PG_GETARG_TEXT_PP(5),
				   PG_ARGISNULL(6) ? NULL : PG_GETARG_TEXT_PP(6));
	aad = link_aad(PG_GETARG_TEXT_PP(0));
	key = shc_secret_open_for(aad, PG_GETARG_BYTEA_PP(1), &keylen,
							  "open the key of this SMART Health Link");
	if (keylen != SHC_SHL_KEY_LEN)
	{
		shc_secret_free(key, keylen);
		elog(ERROR, "a SMART Health Link key is not %d bytes", SHC_SHL_KEY_LEN);
	}
	memcpy(l.key, key, SHC_SHL_KEY_LEN);
	shc_secret_free(key, keylen);
	shc_buf_init(&out, &shc_pg_allocator, 0);
	st = shc_shlink_encode(&l, &out, &err);
	shc_memzero(l.key, sizeof(l.key));
	if (st != SHC_OK)
		shc_raise(&err);
	PG_RETURN_TEXT_P(secret_buf_to_text(&out));
}
