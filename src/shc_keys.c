/*
 * shc_keys.c
 *		The issuer key store (SHC-NOTES section 5): shc_key_create,
 *		shc_key_import, shc_kid, JWK parsing, and the per-backend cache of
 *		parsed signing keys that shc_issue uses.
 *
 * Secrets: the private scalar d is generated in C and goes to the table as
 * an SPI parameter, never through SQL text; it never appears in a message
 * (the core's JWK errors name members, not values), and every function here
 * hides its statement and context from the server log when it raises
 * (shc_hide_statement_push), since the statement may hold a private JWK.
 * Buffers that held d are wiped.
 *
 * Cache: parsing a private key runs OpenSSL's pairwise check (a scalar
 * multiplication), so parsed keys are kept per backend, keyed by kid, in a
 * hash table under TopMemoryContext.  Both key tables carry the statement
 * trigger shc_cache_invalidate_trigger(); any change to them, committed in
 * any session (or made earlier in this transaction, or rolled back), resets
 * the whole cache (src/shc_cache.h), so a retired key stops signing at once.
 * Keys are loaded with the latest snapshot, and a load during which an
 * invalidation arrived is used once but not cached, so a stale row can
 * never be cached after its invalidation was processed.
 */
#include "shc_glue.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "core/shc_card.h"
#include "core/shc_es256.h"
#include "shc_cache.h"
#include "shc_issue.h"

/* ---------------------------------------------------------------------
 * Hiding statements of key-handling functions from the server log
 * ---------------------------------------------------------------------
 */

static void
hide_statement_callback(void *arg)
{
	/* runs inside errfinish for the error being reported */
	errhidestmt(true);
	errhidecontext(true);
}

void
shc_hide_statement_push(ErrorContextCallback *cb)
{
	cb->callback = hide_statement_callback;
	cb->arg = NULL;
	cb->previous = error_context_stack;
	error_context_stack = cb;
}

void
shc_hide_statement_pop(ErrorContextCallback *cb)
{
	error_context_stack = cb->previous;
}

/* ---------------------------------------------------------------------
 * JWK parsing
 * ---------------------------------------------------------------------
 */

pg_attribute_noreturn() static void
key_error(const char *fmt,...)
pg_attribute_printf(1, 2);

static void
key_error(const char *fmt,...)
{
	shc_error	err;
	va_list		ap;

	err.status = SHC_ERR_KEY;
	va_start(ap, fmt);
	vsnprintf(err.detail, sizeof(err.detail), fmt, ap);
	va_end(ap);
	shc_raise(&err);
}

/* a string member, or NULL when absent; raise when present but no string */
static JsonbValue *
jwk_string(Jsonb *jwk, const char *name, JsonbValue *buf, bool required)
{
	JsonbValue *v = getKeyJsonValueFromContainer(&jwk->root, name,
												 strlen(name), buf);

	if (v == NULL)
	{
		if (required)
			key_error("The JWK has no member \"%s\".", name);
		return NULL;
	}
	if (v->type != jbvString)
		key_error("JWK member \"%s\" must be a string.", name);
	return v;
}

static bool
jv_equals(JsonbValue *v, const char *lit)
{
	return v->val.string.len == (int) strlen(lit) &&
		memcmp(v->val.string.val, lit, v->val.string.len) == 0;
}

shc_ec_key *
shc_jwk_parse(Jsonb *jwk, bool want_private, bool want_key, char *kid)
{
	JsonbValue	bkty,
				bcrv,
				bx,
				by,
				bd,
				buse,
				balg,
				bkid;
	JsonbValue *kty,
			   *crv,
			   *x,
			   *y,
			   *d = NULL,
			   *use,
			   *alg,
			   *jkid;
	shc_ec_key *key = NULL;
	shc_error	err;

	if (!JB_ROOT_IS_OBJECT(jwk))
		key_error("A JWK must be a JSON object.");
	kty = jwk_string(jwk, "kty", &bkty, true);
	if (!jv_equals(kty, "EC"))
		key_error("JWK member \"kty\" must be \"EC\".");
	crv = jwk_string(jwk, "crv", &bcrv, true);
	if (!jv_equals(crv, "P-256"))
		key_error("JWK member \"crv\" must be \"P-256\".");
	/* SHC-NOTES 5: signing keys are use "sig", alg "ES256" */
	use = jwk_string(jwk, "use", &buse, false);
	if (use && !jv_equals(use, "sig"))
		key_error("JWK member \"use\" must be \"sig\" when present.");
	alg = jwk_string(jwk, "alg", &balg, false);
	if (alg && !jv_equals(alg, "ES256"))
		key_error("JWK member \"alg\" must be \"ES256\" when present.");
	x = jwk_string(jwk, "x", &bx, true);
	y = jwk_string(jwk, "y", &by, true);
	if (want_private)
		d = jwk_string(jwk, "d", &bd, true);
	jkid = jwk_string(jwk, "kid", &bkid, false);

	/* the point is checked to be on the curve, d to match it */
	if (shc_es256_key_from_jwk(x->val.string.val, x->val.string.len,
							   y->val.string.val, y->val.string.len,
							   d ? d->val.string.val : NULL,
							   d ? d->val.string.len : 0,
							   &key, &err) != SHC_OK)
		shc_raise(&err);
	if (shc_jwk_thumbprint(x->val.string.val, x->val.string.len,
						   y->val.string.val, y->val.string.len,
						   kid, &err) != SHC_OK)
	{
		shc_ec_key_free(key);
		shc_raise(&err);
	}
	/* SHC-NOTES 5: kid MUST be the thumbprint */
	if (jkid && !jv_equals(jkid, kid))
	{
		shc_ec_key_free(key);
		key_error("JWK member \"kid\" is not the RFC 7638 thumbprint of the key, \"%s\".",
				  kid);
	}
	if (!want_key)
	{
		shc_ec_key_free(key);
		return NULL;
	}
	return key;
}

/*
 * shc_kid(jwk jsonb) returns text
 *		The RFC 7638 thumbprint of a P-256 JWK.  d, when present, is
 *		ignored (not parsed); the statement is hidden from the log on error
 *		in case it carries one.
 */
PG_FUNCTION_INFO_V1(shc_kid_sql);
Datum
shc_kid_sql(PG_FUNCTION_ARGS)
{
	Jsonb	   *jwk = PG_GETARG_JSONB_P(0);
	char		kid[SHC_KID_LEN + 1];
	ErrorContextCallback cb;

	shc_hide_statement_push(&cb);
	shc_jwk_parse(jwk, false, false, kid);
	shc_hide_statement_pop(&cb);
	PG_RETURN_TEXT_P(cstring_to_text(kid));
}

/* ---------------------------------------------------------------------
 * Storing keys
 * ---------------------------------------------------------------------
 */

static void
check_iss(text *iss)
{
	shc_error	err;

	if (shc_card_check_iss(VARDATA_ANY(iss), VARSIZE_ANY_EXHDR(iss), &err) != SHC_OK)
		shc_raise(&err);
}

/*
 * Insert (kid, iss, x, y) and (kid, d) through SPI parameters.  A kid that
 * is already stored is an error naming its issuer.
 */
static void
store_key(const char *kid, text *iss, const char *x, const char *y,
		  const char *d)
{
	Oid			types[4] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID};
	Datum		vals[4];
	text	   *dtext;
	int			rc;

	SPI_connect();
	vals[0] = CStringGetTextDatum(kid);
	rc = SPI_execute_with_args("SELECT iss FROM shc.shc_keys WHERE kid = $1",
							   1, types, vals, NULL, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	if (SPI_processed > 0)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("signing key \"%s\" already exists", kid),
				 errdetail("It belongs to issuer \"%s\".",
						   SPI_getvalue(SPI_tuptable->vals[0],
										SPI_tuptable->tupdesc, 1))));
	vals[1] = PointerGetDatum(iss);
	vals[2] = CStringGetTextDatum(x);
	vals[3] = CStringGetTextDatum(y);
	rc = SPI_execute_with_args("INSERT INTO shc.shc_keys (kid, iss, x, y) VALUES ($1, $2, $3, $4)",
							   4, types, vals, NULL, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	dtext = cstring_to_text(d);
	vals[1] = PointerGetDatum(dtext);
	rc = SPI_execute_with_args("INSERT INTO shc.shc_private_keys (kid, d) VALUES ($1, $2)",
							   2, types, vals, NULL, false, 0);
	shc_memzero(VARDATA(dtext), VARSIZE(dtext) - VARHDRSZ);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	SPI_finish();
}

/*
 * Store key (which must hold its private part) for the issuer and free it.
 * Writes its kid, the RFC 7638 thumbprint of the exported x, y, into kid
 * (SHC_KID_LEN + 1 bytes).  The exported private scalar is wiped on every
 * path, errors included.
 */
static void
store_ec_key(shc_ec_key *key, text *iss, char *kid)
{
	char		x[SHC_COORD_B64_LEN + 1];
	char		y[SHC_COORD_B64_LEN + 1];
	char		d[SHC_COORD_B64_LEN + 1];
	shc_error	err;
	shc_status	st;

	/* the canonical form the key round-trips to */
	st = shc_es256_export(key, x, y, d, &err);
	shc_ec_key_free(key);
	if (st == SHC_OK)
		st = shc_jwk_thumbprint(x, strlen(x), y, strlen(y), kid, &err);
	if (st != SHC_OK)
	{
		shc_memzero(d, sizeof(d));
		shc_raise(&err);
	}
	PG_TRY();
	{
		store_key(kid, iss, x, y, d);
	}
	PG_FINALLY();
	{
		shc_memzero(d, sizeof(d));
	}
	PG_END_TRY();
}

/*
 * shc_key_create(iss text) returns text
 *		Generate a P-256 key in C, store it for the issuer, return its kid.
 */
PG_FUNCTION_INFO_V1(shc_key_create_sql);
Datum
shc_key_create_sql(PG_FUNCTION_ARGS)
{
	text	   *iss = PG_GETARG_TEXT_PP(0);
	shc_ec_key *key;
	char		kid[SHC_KID_LEN + 1];
	shc_error	err;
	ErrorContextCallback cb;

	shc_hide_statement_push(&cb);
	check_iss(iss);
	if (shc_es256_generate(&key, &err) != SHC_OK)
		shc_raise(&err);
	store_ec_key(key, iss, kid);
	shc_hide_statement_pop(&cb);
	PG_RETURN_TEXT_P(cstring_to_text(kid));
}

/*
 * shc_key_import(iss text, private_jwk jsonb) returns text
 *		Store a private JWK made elsewhere; return its kid.
 */
PG_FUNCTION_INFO_V1(shc_key_import_sql);
Datum
shc_key_import_sql(PG_FUNCTION_ARGS)
{
	text	   *iss = PG_GETARG_TEXT_PP(0);
	Jsonb	   *jwk = PG_GETARG_JSONB_P(1);
	shc_ec_key *key;
	char		kid[SHC_KID_LEN + 1];
	ErrorContextCallback cb;

	shc_hide_statement_push(&cb);
	check_iss(iss);
	key = shc_jwk_parse(jwk, true, true, kid);
	/* kid is rewritten with the same thumbprint, of the exported x, y */
	store_ec_key(key, iss, kid);
	shc_hide_statement_pop(&cb);
	PG_RETURN_TEXT_P(cstring_to_text(kid));
}

/* ---------------------------------------------------------------------
 * The per-backend cache of parsed signing keys
 * ---------------------------------------------------------------------
 */

typedef struct key_entry
{
	char		kid[SHC_KID_LEN + 1];	/* hash key */
	shc_signing_key sk;
} key_entry;

static MemoryContext key_cxt;
static HTAB *key_cache;
static uint64 key_cache_gen;	/* bumped by every reset */
static bool key_watching;

/* shc_cache reset function: drop every parsed key; never errors */
static void
key_cache_reset(void)
{
	key_cache_gen++;
	if (key_cache != NULL)
	{
		HASH_SEQ_STATUS seq;
		key_entry  *e;

		hash_seq_init(&seq, key_cache);
		while ((e = hash_seq_search(&seq)) != NULL)
			shc_ec_key_free(e->sk.key);
		key_cache = NULL;
	}
	if (key_cxt != NULL)
		MemoryContextReset(key_cxt);
}

static void
key_cache_setup(Oid nsp)
{
	if (!key_watching)
	{
		Oid			pub = get_relname_relid("shc_keys", nsp);
		Oid			priv = get_relname_relid("shc_private_keys", nsp);

		if (!OidIsValid(pub) || !OidIsValid(priv))
			elog(ERROR, "shc key tables not found");
		shc_cache_watch(pub);
		shc_cache_watch(priv);
		shc_cache_on_reset(key_cache_reset);
		key_watching = true;
	}
	if (key_cxt == NULL)
		key_cxt = AllocSetContextCreate(TopMemoryContext, "shc signing keys",
										ALLOCSET_SMALL_SIZES);
	if (key_cache == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = SHC_KID_LEN + 1;
		ctl.entrysize = sizeof(key_entry);
		ctl.hcxt = key_cxt;
		key_cache = hash_create("shc signing keys", 16, &ctl,
								HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	}
}

static bool
kid_syntax_ok(const char *kid, size_t n)
{
	size_t		i;

	if (n != SHC_KID_LEN)
		return false;
	for (i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) kid[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			  (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* A text column of the current SPI row as a C string (palloc'd) or NULL. */
static char *
spi_text(int col)
{
	return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, col);
}

shc_signing_key *
shc_signing_key_get(const char *kidarg, size_t kidlen, Oid nsp)
{
	char		kid[SHC_KID_LEN + 1];
	char		x[SHC_COORD_B64_LEN + 1];
	char		y[SHC_COORD_B64_LEN + 1];
	char		d[SHC_COORD_B64_LEN + 1];
	char		thumb[SHC_KID_LEN + 1];
	char	   *iss;
	bool		retired,
				isnull,
				has_d;
	uint64		gen;
	key_entry  *e;
	shc_signing_key *sk;
	shc_ec_key *key;
	shc_error	err;
	SPIPlanPtr	plan;
	Oid			types[1] = {TEXTOID};
	Datum		vals[1];
	int			rc;
	MemoryContext caller = CurrentMemoryContext;

	if (!kid_syntax_ok(kidarg, kidlen))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid kid"),
				 errdetail("A kid is the 43-character base64url RFC 7638 thumbprint of the key.")));
	memcpy(kid, kidarg, SHC_KID_LEN);
	kid[SHC_KID_LEN] = '\0';

	key_cache_setup(nsp);
	e = hash_search(key_cache, kid, HASH_FIND, NULL);
	if (e != NULL)
		return &e->sk;

	/*
	 * Load with the latest snapshot, not the transaction's, so that a
	 * REPEATABLE READ transaction cannot cache a key retired after it
	 * began; remember the generation to detect an invalidation that arrives
	 * while we read.
	 */
	gen = key_cache_gen;
	SPI_connect();
	plan = SPI_prepare("SELECT k.iss, k.x, k.y, k.retired_at IS NOT NULL, p.d"
					   "  FROM shc.shc_keys k LEFT JOIN shc.shc_private_keys p ON p.kid = k.kid"
					   " WHERE k.kid = $1", 1, types);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	vals[0] = CStringGetTextDatum(kid);
	rc = SPI_execute_snapshot(plan, vals, NULL, GetLatestSnapshot(),
							  InvalidSnapshot, true, false, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_snapshot failed: %s", SPI_result_code_string(rc));
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("signing key \"%s\" does not exist", kid),
				 errhint("Create one with shc_key_create() or shc_key_import().")));
	retired = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
										 SPI_tuptable->tupdesc, 4, &isnull));
	(void) SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 5,
						 &isnull);
	has_d = !isnull;
	if (retired || !has_d)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("signing key \"%s\" is retired", kid),
				 errdetail("A retired key stays published but cannot sign."),
				 errhint("Sign with an active key of the issuer.")));
	{
		char	   *sx = spi_text(2);
		char	   *sy = spi_text(3);
		Datum		dd = SPI_getbinval(SPI_tuptable->vals[0],
									   SPI_tuptable->tupdesc, 5, &isnull);
		text	   *dt = DatumGetTextPP(dd);
		size_t		dlen = VARSIZE_ANY_EXHDR(dt);

		if (strlen(sx) != SHC_COORD_B64_LEN || strlen(sy) != SHC_COORD_B64_LEN ||
			dlen != SHC_COORD_B64_LEN)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("stored signing key \"%s\" is malformed", kid)));
		memcpy(x, sx, sizeof(x));
		memcpy(y, sy, sizeof(y));
		memcpy(d, VARDATA_ANY(dt), SHC_COORD_B64_LEN);
		d[SHC_COORD_B64_LEN] = '\0';
		/* wipe the copies SPI made (the tuple's own bytes included) */
		shc_memzero(VARDATA_ANY(dt), dlen);
		iss = MemoryContextStrdup(caller, spi_text(1));
	}
	SPI_finish();

	/* SHC-NOTES 13: recompute the kid from x, y rather than trusting it */
	if (shc_jwk_thumbprint(x, SHC_COORD_B64_LEN, y, SHC_COORD_B64_LEN,
						   thumb, &err) != SHC_OK)
	{
		shc_memzero(d, sizeof(d));
		shc_raise(&err);
	}
	if (strcmp(thumb, kid) != 0)
	{
		shc_memzero(d, sizeof(d));
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored signing key \"%s\" does not match its kid", kid),
				 errdetail("The thumbprint of its x and y is \"%s\".", thumb)));
	}
	rc = shc_es256_key_from_jwk(x, SHC_COORD_B64_LEN, y, SHC_COORD_B64_LEN,
								d, SHC_COORD_B64_LEN, &key, &err);
	shc_memzero(d, sizeof(d));
	if (rc != SHC_OK)
		shc_raise(&err);

	/*
	 * Cache it, unless an invalidation arrived while loading (then use it
	 * once).  No allocation here may longjmp while the key is live.
	 */
	e = NULL;
	if (gen == key_cache_gen && key_cache != NULL)
	{
		size_t		isslen = strlen(iss) + 1;
		char	   *isscopy = MemoryContextAllocExtended(key_cxt, isslen,
														 MCXT_ALLOC_NO_OOM);

		if (isscopy != NULL)
		{
			memcpy(isscopy, iss, isslen);
			e = hash_search(key_cache, kid, HASH_ENTER_NULL, NULL);
			if (e != NULL)
			{
				memcpy(e->sk.kid, kid, sizeof(kid));
				e->sk.iss = isscopy;
				e->sk.key = key;
				e->sk.must_free = false;
				return &e->sk;
			}
		}
	}
	sk = palloc_extended(sizeof(*sk), MCXT_ALLOC_NO_OOM | MCXT_ALLOC_ZERO);
	if (sk == NULL)
	{
		shc_ec_key_free(key);
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	}
	memcpy(sk->kid, kid, sizeof(kid));
	sk->iss = iss;
	sk->key = key;
	sk->must_free = true;
	return sk;
}
