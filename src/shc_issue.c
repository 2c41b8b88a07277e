/*
 * shc_issue.c
 *		shc_issue (both overloads) and shc_file: a FHIR Bundle becomes a
 *		signed compact JWS (SHC-NOTES sections 1-4 and 13), and cards become
 *		a .smart-health-card file body (section 9.1).
 *
 * The payload is written by us in the spec examples' key order (iss, nbf,
 * vc{type, credentialSubject{fhirVersion, fhirBundle}, rid}, exp) with the
 * core writer; only the bundle goes through shc_jsonb_write, or, minimized,
 * through shc_minimize_write, which minimizes and writes in one pass (jsonb
 * key order inside it either way).  nbf and exp are timestamptz arguments
 * written as integer seconds (floor).
 *
 * Ordering rule: everything that can raise (argument checks, minimizing,
 * writing the bundle) happens before the private key is obtained; between
 * obtaining it and signing nothing raises or touches the catalog, so a
 * cached key cannot be invalidated under us and an OpenSSL key we own is
 * freed before any error is raised.
 */
#include "shc_glue.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "datatype/timestamp.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "core/shc_card.h"
#include "core/shc_jws.h"
#include "core/shc_rules.h"
#include "core/shc_rid.h"
#include "shc_keys.h"
#include "shc_minimize.h"
#include "shc_revoke.h"
#include "shc_scale.h"

#define OUT_MAX ((size_t) (MaxAllocSize - VARHDRSZ - 1))

typedef struct issue_args
{
	Jsonb	   *bundle;
	int64		nbf;
	bool		has_exp;
	int64		exp;
	text	   *rid;			/* NULL when absent */
	text	   *subject;		/* shc_issue_card: derive rid from it */
	bool		minimize;
	shc_buf		body;			/* the payload after "fhirBundle": */
} issue_args;

/* NumericDate seconds of a timestamptz, rounded down */
static int64
unix_seconds(TimestampTz ts, const char *name)
{
	int64		s;

	if (TIMESTAMP_NOT_FINITE(ts))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be a finite timestamp", name)));
	s = ts / USECS_PER_SEC;
	if (ts % USECS_PER_SEC < 0)
		s--;
	return s + (int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY;
}

/*
 * Read the optional arguments starting at argument number first (nbf, exp,
 * rid, minimize), and write the bundle (minimized when asked) into a->body.
 * Returns false when a required one is NULL (the result is then NULL, as
 * for a STRICT function).
 */
static bool
get_args(FunctionCallInfo fcinfo, int first, issue_args *a, bool subject)
{
	shc_error	err;
	shc_rule_walk *rules = NULL;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(first) || PG_ARGISNULL(first + 3))
		return false;
	a->bundle = PG_GETARG_JSONB_P(0);
	a->nbf = unix_seconds(PG_GETARG_TIMESTAMPTZ(first), "nbf");
	a->has_exp = !PG_ARGISNULL(first + 1);
	a->exp = 0;
	if (a->has_exp)
		a->exp = unix_seconds(PG_GETARG_TIMESTAMPTZ(first + 1), "exp");
	/* the rulebook: what a verifier takes for a NumericDate in seconds */
	if (shc_rule_times((double) a->nbf, a->has_exp, (double) a->exp, &err) != SHC_OK)
		shc_raise_hint(&err, strstr(err.detail, "milliseconds") ?
					   "to_timestamp() takes seconds, not milliseconds." : NULL);
	a->rid = PG_ARGISNULL(first + 2) ? NULL : PG_GETARG_TEXT_PP(first + 2);
	a->subject = NULL;
	if (subject)
	{
		a->subject = a->rid;
		a->rid = NULL;
	}
	if (a->rid &&
		shc_card_check_rid(VARDATA_ANY(a->rid), VARSIZE_ANY_EXHDR(a->rid),
						   &err) != SHC_OK)
		shc_raise(&err);
	a->minimize = PG_GETARG_BOOL(first + 3);

	shc_bundle_check(a->bundle);
	/* raises here for what the minimization refuses; size errors wait */
	/*
	 * The payload is capped like the verifier caps it: a card whose payload
	 * is above shc.max_payload_size would not verify, and the cap bounds the
	 * memory a huge bundle costs here (the writer stops at the limit).
	 */
	shc_buf_init(&a->body, &shc_pg_allocator,
				 Min((size_t) shc_max_payload_size, OUT_MAX));
	/*
	 * The rulebook's FHIR checks and the verifier's JSON limits, over the
	 * bundle exactly as it will be signed (a payload beyond the size cap
	 * is reported by write_body).  The minimizer feeds the rulebook the
	 * events of the text it writes, so the text is read again only when
	 * an event needs the reader's own verdict (shc_rule_fhir_end).
	 */
	if (a->minimize)
	{
		rules = shc_rule_fhir_begin(&shc_pg_allocator);
		if (rules == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory")));
		shc_minimize_write(&a->body, a->bundle, rules);
	}
	else
		shc_jsonb_write(&a->body, &a->bundle->root);
	if (a->body.overflow || a->body.failed)
		shc_rule_fhir_free(rules);
	else
	{
		shc_status	st = rules
			? shc_rule_fhir_end(rules, a->body.data, a->body.len, &err)
			: shc_rule_fhir_bundle(a->body.data, a->body.len,
								   &shc_pg_allocator, &err);

		if (st == SHC_ERR_JSON || st == SHC_ERR_LIMIT)
		{
			char		detail[SHC_ERROR_DETAIL_LEN];

			strlcpy(detail, err.detail, sizeof(detail));
			shc_error_set(&err, st, "The bundle as it would be signed is beyond what a verifier reads. %s",
						  detail);
		}
		if (st != SHC_OK)
			shc_raise(&err);
	}
	return true;
}

/*
 * The payload after "fhirBundle": the bundle written by get_args and the
 * closing members; raises if the buffer failed.
 */
static void
write_body(issue_args *a, shc_buf *body)
{
	shc_error	err;

	*body = a->body;
	if (a->rid)
		shc_card_payload_tail(body, VARDATA_ANY(a->rid),
							  VARSIZE_ANY_EXHDR(a->rid), a->has_exp, a->exp);
	else
		shc_card_payload_tail(body, NULL, 0, a->has_exp, a->exp);
	if (body->overflow)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("card payload exceeds the maximum of %d bytes",
						shc_max_payload_size),
				 errdetail("Verifiers refuse a payload above shc.max_payload_size once inflated."),
				 errhint("Issue a smaller bundle (minimized, without attachments or narrative), or have a superuser raise shc.max_payload_size.")));
	if (shc_buf_status(body, &err) != SHC_OK)
		shc_raise(&err);
}

/*
 * Sign: header and payload head are written here (buffer writes only,
 * status checked once), then the JWS.  Never raises; the caller frees its
 * key, then raises if the status is not SHC_OK.
 */
static shc_status
sign_card(issue_args *a, shc_buf *body, const char *iss, size_t isslen,
		  const char *kid, const shc_ec_key *key, shc_buf *out,
		  shc_error *err)
{
	shc_buf		header,
				payload;
	shc_status	st;

	shc_buf_init(&header, &shc_pg_allocator, 0);
	shc_buf_init(&payload, &shc_pg_allocator, OUT_MAX);
	shc_buf_init(out, &shc_pg_allocator, OUT_MAX);
	shc_card_header(&header, kid, strlen(kid));
	shc_card_payload_head(&payload, iss, isslen, a->nbf);
	shc_buf_append(&payload, body->data, body->len);
	st = shc_buf_status(&header, err);
	if (st == SHC_OK)
		st = shc_buf_status(&payload, err);
	if (st == SHC_OK)
		st = shc_jws_sign(header.data, header.len,
						  (const uint8_t *) payload.data, payload.len,
						  true, key, out, err);
	shc_buf_free(&header);
	shc_buf_free(&payload);
	return st;
}

/*
 * shc_issue(bundle jsonb, key text, nbf timestamptz, exp timestamptz,
 *			 rid text, minimize boolean) returns text
 *		A card signed with a stored key, named by its kid or by its
 *		issuer URL (the issuer's newest usable key).  Runs as its caller,
 *		whose right to sign for the issuer is checked; the key tables are
 *		read as the extension owner (shc_signing_key_for).
 */
PG_FUNCTION_INFO_V1(shc_issue_kid_sql);
Datum
shc_issue_kid_sql(PG_FUNCTION_ARGS)
{
	issue_args	a;
	text	   *kidarg;
	shc_buf		body,
				out;
	shc_signing_key *sk;
	shc_error	err;
	shc_status	st;
	ErrorContextCallback cb;
	/* the real caller: shc_issue runs as its caller (SECURITY INVOKER) */
	Oid			caller = GetUserId();

	shc_refuse_in_recovery("issue a card");
	if (PG_ARGISNULL(1))
		PG_RETURN_NULL();
	shc_hide_statement_push(&cb);
	if (!get_args(fcinfo, 2, &a, false))
	{
		shc_hide_statement_pop(&cb);
		PG_RETURN_NULL();
	}
	kidarg = PG_GETARG_TEXT_PP(1);
	write_body(&a, &body);

	sk = shc_signing_key_for(VARDATA_ANY(kidarg), VARSIZE_ANY_EXHDR(kidarg),
							 caller);
	/* nothing between here and the sign may raise or read the catalog */
	st = shc_card_check_iss(sk->iss, strlen(sk->iss), &err);
	if (st == SHC_OK)
		st = sign_card(&a, &body, sk->iss, strlen(sk->iss), sk->kid, sk->key,
					   &out, &err);
	if (sk->must_free)
		shc_ec_key_free(sk->key);
	if (st != SHC_OK)
		shc_raise(&err);
	shc_buf_free(&body);
	shc_hide_statement_pop(&cb);
	PG_RETURN_TEXT_P(shc_buf_to_text(&out));
}

/*
 * shc_issue_card(bundle jsonb, key text, nbf timestamptz, exp timestamptz,
 *				  subject text, minimize boolean,
 *				  OUT card text, OUT kid text, OUT rid text)
 *		What the issue trigger needs in one call: the card signed like
 *		shc_issue (a kid, or an issuer URL for its newest usable key), the
 *		kid that signed it, and, when subject is given, the rid of subject
 *		under that kid, in the card.  The key, the rid and the signature
 *		agree even when a key rotation commits meanwhile: if the chosen key
 *		is retired while the rid is computed, the newest key is chosen
 *		again.
 */
PG_FUNCTION_INFO_V1(shc_issue_card_sql);
Datum
shc_issue_card_sql(PG_FUNCTION_ARGS)
{
	issue_args	a;
	text	   *keyarg;
	shc_buf		body,
				out;
	shc_signing_key *sk;
	char		kid[SHC_KID_LEN + 1];
	char		rid[SHC_RID_HMAC_LEN + 1];
	size_t		base;
	shc_error	err;
	shc_status	st;
	int			attempt;
	ErrorContextCallback cb;
	Oid			caller = GetUserId();
	TupleDesc	td;
	Datum		vals[3];
	bool		nulls[3] = {false, false, true};

	if (PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "shc_issue_card must return a record");
	shc_hide_statement_push(&cb);
	if (!get_args(fcinfo, 2, &a, true))
	{
		shc_hide_statement_pop(&cb);
		PG_RETURN_NULL();
	}
	keyarg = PG_GETARG_TEXT_PP(1);
	base = a.body.len;

	for (attempt = 0;; attempt++)
	{
		/* choose the key (grant checked), then derive the rid under it */
		sk = shc_signing_key_for(VARDATA_ANY(keyarg), VARSIZE_ANY_EXHDR(keyarg),
								 caller);
		memcpy(kid, sk->kid, sizeof(kid));
		if (sk->must_free)
			shc_ec_key_free(sk->key);
		a.rid = NULL;
		if (a.subject != NULL)
		{
			shc_rid_compute(cstring_to_text(kid), a.subject, true, false, 0, rid);
			a.rid = cstring_to_text(rid);
		}
		a.body.len = base;
		a.body.data[base] = '\0';
		write_body(&a, &body);
		a.body = body;			/* the tail may have moved the buffer */
		/* the same key again, unless it was retired meanwhile */
		sk = shc_signing_key_lookup(kid);
		if (sk != NULL)
			break;
		if (attempt >= 10 || strncmp(VARDATA_ANY(keyarg), "https://", 8) != 0)
			(void) shc_signing_key_get(kid, strlen(kid), InvalidOid);	/* raises */
	}
	/* nothing between here and the sign may raise or read the catalog */
	st = shc_card_check_iss(sk->iss, strlen(sk->iss), &err);
	if (st == SHC_OK)
		st = sign_card(&a, &body, sk->iss, strlen(sk->iss), sk->kid, sk->key,
					   &out, &err);
	if (sk->must_free)
		shc_ec_key_free(sk->key);
	if (st != SHC_OK)
		shc_raise(&err);
	shc_hide_statement_pop(&cb);
	vals[0] = PointerGetDatum(shc_buf_to_text(&out));
	vals[1] = CStringGetTextDatum(kid);
	if (a.rid != NULL)
	{
		vals[2] = PointerGetDatum(a.rid);
		nulls[2] = false;
	}
	td = BlessTupleDesc(td);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, vals, nulls)));
}

/*
 * shc_issue(bundle jsonb, private_jwk jsonb, iss text, nbf timestamptz,
 *			 exp timestamptz, rid text, minimize boolean) returns text
 *		A card signed with a private JWK given by the caller (no table).
 */
PG_FUNCTION_INFO_V1(shc_issue_jwk_sql);
Datum
shc_issue_jwk_sql(PG_FUNCTION_ARGS)
{
	issue_args	a;
	Jsonb	   *jwk;
	text	   *iss;
	shc_buf		body,
				out;
	shc_ec_key *key;
	char		kid[SHC_KID_LEN + 1];
	shc_error	err;
	shc_status	st;
	ErrorContextCallback cb;

	shc_refuse_in_recovery("issue a card");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	shc_hide_statement_push(&cb);
	if (!get_args(fcinfo, 3, &a, false))
	{
		shc_hide_statement_pop(&cb);
		PG_RETURN_NULL();
	}
	jwk = PG_GETARG_JSONB_P(1);
	iss = PG_GETARG_TEXT_PP(2);
	shc_check_iss(VARDATA_ANY(iss), VARSIZE_ANY_EXHDR(iss), NULL);
	write_body(&a, &body);

	key = shc_jwk_parse(jwk, true, true, kid);
	st = sign_card(&a, &body, VARDATA_ANY(iss), VARSIZE_ANY_EXHDR(iss), kid,
				   key, &out, &err);
	shc_ec_key_free(key);
	if (st != SHC_OK)
		shc_raise(&err);
	shc_buf_free(&body);
	shc_hide_statement_pop(&cb);
	PG_RETURN_TEXT_P(shc_buf_to_text(&out));
}

/*
 * shc_file(cards text[]) returns jsonb
 *		{"verifiableCredential":[<jws>,...]}, the body of a
 *		.smart-health-card file (SHC-NOTES 9.1; HL7 STU1: one or more).
 */
PG_FUNCTION_INFO_V1(shc_file_sql);
Datum
shc_file_sql(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;
	JsonbParseState *ps = NULL;
	JsonbValue	v;
	JsonbValue *res;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("card array must be one-dimensional")));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &nulls, &n);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("card array must not be empty"),
				 errdetail("A .smart-health-card file holds one or more cards.")));

	pushJsonbValue(&ps, WJB_BEGIN_OBJECT, NULL);
	v.type = jbvString;
	v.val.string.val = "verifiableCredential";
	v.val.string.len = strlen(v.val.string.val);
	pushJsonbValue(&ps, WJB_KEY, &v);
	pushJsonbValue(&ps, WJB_BEGIN_ARRAY, NULL);
	for (i = 0; i < n; i++)
	{
		text	   *t;
		shc_jws_parts parts;
		shc_error	err;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("card array must not contain nulls")));
		t = DatumGetTextPP(elems[i]);
		if (shc_jws_split(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), 0, &parts,
						  &err) != SHC_OK)
			ereport(ERROR,
					(errcode(shc_status_sqlstate(err.status)),
					 errmsg("card %d is not a compact JWS", i + 1),
					 errdetail_internal("%s", err.detail)));
		v.type = jbvString;
		v.val.string.val = VARDATA_ANY(t);
		v.val.string.len = VARSIZE_ANY_EXHDR(t);
		pushJsonbValue(&ps, WJB_ELEM, &v);
	}
	pushJsonbValue(&ps, WJB_END_ARRAY, NULL);
	res = pushJsonbValue(&ps, WJB_END_OBJECT, NULL);
	PG_RETURN_JSONB_P(JsonbValueToJsonb(res));
}
