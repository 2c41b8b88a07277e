/*
 * shc_keys.c
 *		The issuer key store (SHC-NOTES section 5): shc_key_create,
 *		shc_key_import, shc_kid, JWK parsing, and the per-backend cache of
 *		parsed signing keys that shc_issue uses.
 *
 * Secrets: the private scalar d is generated in C, sealed under the root
 * key (src/shc_secret.h, associated data "shc key <kid>") and only the
 * sealed value goes to the table, as an SPI parameter; d never appears in
 * SQL text, a plan or a message
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
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "core/shc_card.h"
#include "core/shc_es256.h"
#include "shc_cache.h"
#include "shc_keys.h"
#include "shc_secret.h"

/* ---------------------------------------------------------------------
 * JWK parsing
 * ---------------------------------------------------------------------
 */

pg_noreturn static void
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

/*
 * Insert (kid, iss, x, y) and (kid, sealed d) through SPI parameters, as
 * the extension owner.  A kid that is already stored is an error naming its
 * issuer.
 */
typedef struct store_args
{
	const char *kid;
	text	   *iss;
	const char *x;
	const char *y;
	const char *d;
} store_args;

static void
store_key_owner(void *arg)
{
	store_args *a = (store_args *) arg;
	Oid			types[4] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID};
	Datum		vals[4];
	char		aad[64];
	int			rc;

	SPI_connect();
	vals[0] = CStringGetTextDatum(a->kid);
	rc = SPI_execute_with_args("SELECT iss FROM shc.shc_keys WHERE kid = $1",
							   1, types, vals, NULL, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	if (SPI_processed > 0)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("signing key \"%s\" already exists", a->kid),
				 errdetail("It belongs to issuer \"%s\".",
						   SPI_getvalue(SPI_tuptable->vals[0],
										SPI_tuptable->tupdesc, 1))));
	vals[1] = PointerGetDatum(a->iss);
	vals[2] = CStringGetTextDatum(a->x);
	vals[3] = CStringGetTextDatum(a->y);
	rc = SPI_execute_with_args("INSERT INTO shc.shc_keys (kid, iss, x, y) VALUES ($1, $2, $3, $4)",
							   4, types, vals, NULL, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	shc_key_aad(a->kid, aad);
	types[1] = BYTEAOID;
	vals[1] = PointerGetDatum(shc_secret_seal(aad, (const unsigned char *) a->d,
											  strlen(a->d)));
	rc = SPI_execute_with_args("INSERT INTO shc.shc_private_keys (kid, sealed_d) VALUES ($1, $2)",
							   2, types, vals, NULL, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	SPI_finish();
}

static void
store_key(const char *kid, text *iss, const char *x, const char *y,
		  const char *d)
{
	store_args	a = {kid, iss, x, y, d};

	shc_as_owner(shc_rel_oid("shc_private_keys"), store_key_owner, &a);
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
	shc_check_iss(VARDATA_ANY(iss), VARSIZE_ANY_EXHDR(iss), NULL);
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
	shc_check_iss(VARDATA_ANY(iss), VARSIZE_ANY_EXHDR(iss), NULL);
	key = shc_jwk_parse(jwk, true, true, kid);
	/* kid is rewritten with the same thumbprint, of the exported x, y */
	store_ec_key(key, iss, kid);
	shc_hide_statement_pop(&cb);
	PG_RETURN_TEXT_P(cstring_to_text(kid));
}

/*
 * shc_key_import_file(iss text, path text) returns text
 *		Store the private JWK held by a server-side file (absolute path) as
 *		a signing key of the issuer; return its kid.  The way to import a
 *		key without putting it in a statement, so no log line, plan or
 *		statement text holds it.  Runs as its caller, who must be allowed to
 *		read server files (superuser or pg_read_server_files); the key is
 *		stored as the extension owner.  A parse error of the file says
 *		nothing of its contents.
 */
#define KEY_FILE_MAX 65536

PG_FUNCTION_INFO_V1(shc_key_import_file_sql);
Datum
shc_key_import_file_sql(PG_FUNCTION_ARGS)
{
	text	   *iss = PG_GETARG_TEXT_PP(0);
	text	   *path = PG_GETARG_TEXT_PP(1);
	Oid			caller = GetUserId();
	unsigned char *buf;
	size_t		n;
	Jsonb	   *jwk = NULL;
	shc_ec_key *key;
	char		kid[SHC_KID_LEN + 1];
	shc_error	err;
	ErrorContextCallback cb;

	shc_hide_statement_push(&cb);
	shc_check_iss(VARDATA_ANY(iss), VARSIZE_ANY_EXHDR(iss), NULL);
	buf = shc_secret_read_file(caller, path, KEY_FILE_MAX, &n);
	PG_TRY();
	{
		/*
		 * The core JSON reader, as for cards (shc_jsonr.h); its detail may
		 * quote the file, so it is not shown.
		 */
		jwk = shc_jsonb_parse((const char *) buf, n, &shc_json_card_limits, &err);
	}
	PG_FINALLY();
	{
		shc_secret_free(buf, n);
	}
	PG_END_TRY();
	if (jwk == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("file \"%s\" does not hold a JSON Web Key", text_to_cstring(path)),
				 errdetail("It is not valid JSON.")));
	PG_TRY();
	{
		key = shc_jwk_parse(jwk, true, true, kid);
		/* kid is rewritten with the same thumbprint, of the exported x, y */
		store_ec_key(key, iss, kid);
	}
	PG_FINALLY();
	{
		shc_memzero(VARDATA(jwk), VARSIZE(jwk) - VARHDRSZ);
	}
	PG_END_TRY();
	shc_hide_statement_pop(&cb);
	PG_RETURN_TEXT_P(cstring_to_text(kid));
}

/* ---------------------------------------------------------------------
 * The per-backend cache of parsed signing keys
 * ---------------------------------------------------------------------
 */

#define ISS_KEY_LEN 256			/* longer issuer URLs are not cached */

typedef struct key_entry
{
	char		kid[SHC_KID_LEN + 1];	/* hash key */
	shc_signing_key sk;
} key_entry;

typedef struct iss_entry
{
	char		iss[ISS_KEY_LEN];	/* hash key */
	char		kid[SHC_KID_LEN + 1];	/* its newest usable key */
} iss_entry;

static MemoryContext key_cxt;
static HTAB *key_cache;
static HTAB *iss_cache;
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
	iss_cache = NULL;
	if (key_cxt != NULL)
		MemoryContextReset(key_cxt);
}

static void
key_cache_setup(void)
{
	if (!key_watching)
	{
		shc_cache_watch(shc_rel_oid("shc_keys"));
		shc_cache_watch(shc_rel_oid("shc_private_keys"));
		shc_cache_watch(shc_rel_oid("shc_issuer_grants"));
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
	if (iss_cache == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = ISS_KEY_LEN;
		ctl.entrysize = sizeof(iss_entry);
		ctl.hcxt = key_cxt;
		iss_cache = hash_create("shc newest signing keys", 16, &ctl,
								HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	}
}

/*
 * What the key tables hold for one kid, read as the extension owner with
 * the latest snapshot (not the transaction's, so that a REPEATABLE READ
 * transaction never signs with a key retired after it began, and always
 * sees a key created after it began).
 */
typedef struct key_row
{
	const char *kid;			/* in */
	bool		found;
	bool		usable;			/* not retired and has its private part */
	char	   *iss;			/* in the caller's context */
	char		x[SHC_COORD_B64_LEN + 1];
	char		y[SHC_COORD_B64_LEN + 1];
	bool		malformed;
	bytea	   *sealed;			/* in the caller's context */
	Oid		   *grantees;
	int			ngrantees;
	MemoryContext cxt;
} key_row;

static void
read_key_row(void *arg)
{
	key_row    *r = (key_row *) arg;
	SPIPlanPtr	plan;
	Oid			types[1] = {TEXTOID};
	Datum		vals[1];
	bool		isnull;
	int			rc;
	uint64		i;

	SPI_connect();
	plan = SPI_prepare("SELECT k.iss, k.x, k.y, k.retired_at IS NULL, p.sealed_d"
					   "  FROM shc.shc_keys k"
					   "  LEFT JOIN shc.shc_private_keys p ON p.kid OPERATOR(pg_catalog.=) k.kid"
					   " WHERE k.kid OPERATOR(pg_catalog.=) $1", 1, types);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	vals[0] = CStringGetTextDatum(r->kid);
	rc = SPI_execute_snapshot(plan, vals, NULL, GetLatestSnapshot(),
							  InvalidSnapshot, true, false, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_snapshot failed: %s", SPI_result_code_string(rc));
	r->found = SPI_processed > 0;
	if (!r->found)
	{
		SPI_finish();
		return;
	}
	{
		HeapTuple	tup = SPI_tuptable->vals[0];
		TupleDesc	td = SPI_tuptable->tupdesc;
		char	   *sx = SPI_getvalue(tup, td, 2);
		char	   *sy = SPI_getvalue(tup, td, 3);
		Datum		sd;

		r->usable = DatumGetBool(SPI_getbinval(tup, td, 4, &isnull));
		sd = SPI_getbinval(tup, td, 5, &isnull);
		if (isnull)
			r->usable = false;
		r->iss = MemoryContextStrdup(r->cxt, SPI_getvalue(tup, td, 1));
		r->malformed = strlen(sx) != SHC_COORD_B64_LEN ||
			strlen(sy) != SHC_COORD_B64_LEN;
		if (!r->malformed)
		{
			memcpy(r->x, sx, sizeof(r->x));
			memcpy(r->y, sy, sizeof(r->y));
		}
		if (r->usable)
		{
			bytea	   *b = DatumGetByteaPP(sd);
			size_t		n = VARSIZE_ANY(b);

			r->sealed = MemoryContextAlloc(r->cxt, n);
			memcpy(r->sealed, b, n);
		}
	}

	/* who may sign for the issuer (none listed: every shc_issue caller) */
	plan = SPI_prepare("SELECT g.grantee::pg_catalog.oid FROM shc.shc_issuer_grants g"
					   " WHERE g.iss OPERATOR(pg_catalog.=) $1", 1, types);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	vals[0] = CStringGetTextDatum(r->iss);
	rc = SPI_execute_snapshot(plan, vals, NULL, GetLatestSnapshot(),
							  InvalidSnapshot, true, false, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_snapshot failed: %s", SPI_result_code_string(rc));
	r->ngrantees = (int) SPI_processed;
	r->grantees = MemoryContextAlloc(r->cxt, sizeof(Oid) * (r->ngrantees + 1));
	for (i = 0; i < SPI_processed; i++)
		r->grantees[i] = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i],
														SPI_tuptable->tupdesc,
														1, &isnull));
	SPI_finish();
}

/*
 * Load a key from the tables: NULL when missing_ok and it does not exist or
 * is retired; otherwise raise for those.  The private scalar is opened
 * with the root key and parsed; every copy of it is wiped.
 */
static shc_signing_key *
load_signing_key(const char *kid, bool missing_ok)
{
	char		thumb[SHC_KID_LEN + 1];
	char		aad[SHC_KEY_AAD_LEN];
	char		action[SHC_KID_LEN + 32];
	unsigned char *d;
	size_t		dlen;
	uint64		gen;
	key_row		r;
	key_entry  *e;
	shc_signing_key *sk;
	shc_ec_key *key;
	shc_error	err;
	int			rc;

	/* remember the generation to detect an invalidation during the read */
	gen = key_cache_gen;
	memset(&r, 0, sizeof(r));
	r.kid = kid;
	r.cxt = CurrentMemoryContext;
	shc_as_owner(shc_rel_oid("shc_private_keys"), read_key_row, &r);
	if (!r.found)
	{
		if (missing_ok)
			return NULL;
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("signing key \"%s\" does not exist", kid),
				 errhint("Create one with shc_key_create() or shc_key_import_file().")));
	}
	if (!r.usable)
	{
		if (missing_ok)
			return NULL;
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("signing key \"%s\" is retired", kid),
				 errdetail("A retired key stays published but cannot sign."),
				 errhint("Sign with an active key of the issuer, or name the issuer URL to sign with its newest key.")));
	}
	if (r.malformed)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored signing key \"%s\" is malformed", kid)));

	/* SHC-NOTES 13: recompute the kid from x, y rather than trusting it */
	if (shc_jwk_thumbprint(r.x, SHC_COORD_B64_LEN, r.y, SHC_COORD_B64_LEN,
						   thumb, &err) != SHC_OK)
		shc_raise(&err);
	if (strcmp(thumb, kid) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored signing key \"%s\" does not match its kid", kid),
				 errdetail("The thumbprint of its x and y is \"%s\".", thumb)));

	shc_key_aad(kid, aad);
	snprintf(action, sizeof(action), "sign with key \"%s\"", kid);
	d = shc_secret_open_for(aad, r.sealed, &dlen, action);
	if (dlen != SHC_COORD_B64_LEN)
	{
		shc_secret_free(d, dlen);
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored signing key \"%s\" is malformed", kid)));
	}
	rc = shc_es256_key_from_jwk(r.x, SHC_COORD_B64_LEN, r.y, SHC_COORD_B64_LEN,
								(const char *) d, dlen, &key, &err);
	shc_secret_free(d, dlen);
	if (rc != SHC_OK)
		shc_raise(&err);

	/*
	 * Cache it, unless an invalidation arrived while loading (then use it
	 * once).  No allocation here may longjmp while the key is live.
	 */
	if (gen == key_cache_gen && key_cache != NULL)
	{
		size_t		isslen = strlen(r.iss) + 1;
		char	   *isscopy = MemoryContextAllocExtended(key_cxt, isslen,
														 MCXT_ALLOC_NO_OOM);
		Oid		   *gcopy = MemoryContextAllocExtended(key_cxt,
													   sizeof(Oid) * (r.ngrantees + 1),
													   MCXT_ALLOC_NO_OOM);

		if (isscopy != NULL && gcopy != NULL)
		{
			memcpy(isscopy, r.iss, isslen);
			memcpy(gcopy, r.grantees, sizeof(Oid) * r.ngrantees);
			e = hash_search(key_cache, kid, HASH_ENTER_NULL, NULL);
			if (e != NULL)
			{
				memcpy(e->sk.kid, kid, SHC_KID_LEN + 1);
				e->sk.iss = isscopy;
				e->sk.key = key;
				e->sk.must_free = false;
				e->sk.grantees = gcopy;
				e->sk.ngrantees = r.ngrantees;
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
	memcpy(sk->kid, kid, SHC_KID_LEN + 1);
	sk->iss = r.iss;
	sk->key = key;
	sk->must_free = true;
	sk->grantees = r.grantees;
	sk->ngrantees = r.ngrantees;
	return sk;
}

static shc_signing_key *
signing_key_by_kid(const char *kid, bool missing_ok)
{
	key_entry  *e;

	key_cache_setup();
	e = hash_search(key_cache, kid, HASH_FIND, NULL);
	if (e != NULL)
		return &e->sk;
	return load_signing_key(kid, missing_ok);
}

shc_signing_key *
shc_signing_key_lookup(const char *kid)
{
	return signing_key_by_kid(kid, true);
}

shc_signing_key *
shc_signing_key_get(const char *kidarg, size_t kidlen, Oid nsp)
{
	char		kid[SHC_KID_LEN + 1];

	shc_check_kid(kidarg, kidlen);
	memcpy(kid, kidarg, SHC_KID_LEN);
	kid[SHC_KID_LEN] = '\0';
	return signing_key_by_kid(kid, false);
}

/* the newest usable key of an issuer, read as the owner, latest snapshot */
typedef struct newest_args
{
	const char *iss;
	char		kid[SHC_KID_LEN + 1];
	bool		found;
} newest_args;

static void
read_newest(void *arg)
{
	newest_args *a = (newest_args *) arg;
	SPIPlanPtr	plan;
	Oid			types[1] = {TEXTOID};
	Datum		vals[1];
	int			rc;

	SPI_connect();
	plan = SPI_prepare("SELECT k.kid FROM shc.shc_keys k"
					   "  JOIN shc.shc_private_keys p ON p.kid OPERATOR(pg_catalog.=) k.kid"
					   " WHERE k.iss OPERATOR(pg_catalog.=) $1 AND k.retired_at IS NULL"
					   " ORDER BY k.created_at DESC, k.kid LIMIT 1", 1, types);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	vals[0] = CStringGetTextDatum(a->iss);
	rc = SPI_execute_snapshot(plan, vals, NULL, GetLatestSnapshot(),
							  InvalidSnapshot, true, false, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_snapshot failed: %s", SPI_result_code_string(rc));
	a->found = SPI_processed > 0;
	if (a->found)
		strlcpy(a->kid, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1),
				sizeof(a->kid));
	SPI_finish();
}

/* the newest usable key of an issuer URL */
static shc_signing_key *
signing_key_by_issuer(const char *iss)
{
	int			attempt;

	for (attempt = 0; attempt < 10; attempt++)
	{
		iss_entry  *ie = NULL;
		newest_args a;
		shc_signing_key *sk;
		uint64		gen;

		key_cache_setup();
		if (strlen(iss) < ISS_KEY_LEN)
			ie = hash_search(iss_cache, iss, HASH_FIND, NULL);
		if (ie != NULL)
		{
			sk = signing_key_by_kid(ie->kid, true);
			if (sk != NULL)
				return sk;
			continue;			/* the cache was reset: look again */
		}
		gen = key_cache_gen;
		memset(&a, 0, sizeof(a));
		a.iss = iss;
		shc_as_owner(shc_rel_oid("shc_private_keys"), read_newest, &a);
		if (!a.found)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("issuer \"%s\" has no signing key", iss),
					 errhint("Create one with shc_key_create() or shc_key_import_file().")));
		if (gen == key_cache_gen && iss_cache != NULL && strlen(iss) < ISS_KEY_LEN)
		{
			ie = hash_search(iss_cache, iss, HASH_ENTER, NULL);
			memcpy(ie->kid, a.kid, sizeof(a.kid));
		}
		/* retired between the two reads: choose again */
		sk = signing_key_by_kid(a.kid, true);
		if (sk != NULL)
			return sk;
	}
	ereport(ERROR,
			(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
			 errmsg("could not choose a signing key of issuer \"%s\"", iss),
			 errdetail("Its keys kept changing while one was chosen."),
			 errhint("Retry the transaction.")));
	return NULL;
}

/* may role sign with a key of this issuer (grantees as loaded)? */
static bool
may_sign(Oid role, const Oid *grantees, int n)
{
	int			i;

	if (n == 0 || superuser_arg(role))
		return true;
	for (i = 0; i < n; i++)
		if (has_privs_of_role(role, grantees[i]))
			return true;
	return false;
}

shc_signing_key *
shc_signing_key_for(const char *key, size_t keylen, Oid caller)
{
	char	   *arg = pnstrdup(key, keylen);
	shc_signing_key *sk;

	for (;;)
	{
		Oid		   *grantees;
		int			n;
		char	   *iss;
		uint64		gen;

		if (keylen >= 8 && strncmp(arg, "https://", 8) == 0)
			sk = signing_key_by_issuer(arg);
		else
			sk = shc_signing_key_get(arg, keylen, InvalidOid);
		if (sk->ngrantees == 0)
			return sk;

		/* the check reads the catalog, which may reset the cache */
		gen = key_cache_gen;
		n = sk->ngrantees;
		grantees = palloc(sizeof(Oid) * n);
		memcpy(grantees, sk->grantees, sizeof(Oid) * n);
		iss = pstrdup(sk->iss);
		if (!may_sign(caller, grantees, n))
		{
			if (sk->must_free)
				shc_ec_key_free(sk->key);
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied to sign for issuer \"%s\"", iss),
					 errdetail("Signing for this issuer is granted to chosen roles only."),
					 errhint("A key administrator grants it with shc_issuer_grant().")));
		}
		if (sk->must_free || gen == key_cache_gen)
			return sk;
	}
}
