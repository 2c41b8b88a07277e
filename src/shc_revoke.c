/*
 * shc_revoke.c
 *		The issuer's side of revocation (SHC-NOTES section 10): per-issuer
 *		rid secrets (shc_rid_secret_create, shc_rid_secret_import), the rid
 *		HMAC recipe over them (shc_rid), and the per-key revocation list
 *		that shc_crl() publishes (shc_revoke).
 *
 * Secrets: a secret is generated in C (src/core/shc_rid.c), sealed under
 * the root key (src/shc_secret.h) and only the sealed value goes to
 * shc_private_rid_secrets, as an SPI parameter, never through SQL text.  It
 * never appears in a message: the core's checks do not quote it, that
 * table has no constraint that could print a row, and every function that
 * touches a secret hides its statement and context from the server log
 * when it raises (shc_hide_statement_push).  Buffers that held a secret
 * are wiped.  Secrets are never deleted: rotating (creating or importing a
 * new one) retires the current one, which stays usable by version number
 * to recompute the rids of earlier cards (SHC-NOTES 10).
 *
 * No per-backend cache: a rid costs one indexed lookup and one HMAC.
 */
#include "shc_glue.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "datatype/timestamp.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "core/shc_card.h"
#include "core/shc_es256.h"
#include "core/shc_rid.h"
#include "shc_revoke.h"
#include "shc_secret.h"

/* ---------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------
 */

static void
spi_check(int rc, int want)
{
	if (rc != want)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
}

/*
 * The issuer of a stored key, read with the transaction's snapshot, or
 * with the latest one (latest: the key that signs was chosen with it).
 */
static char *
key_issuer_snap(text *kid, bool latest)
{
	Oid			types[1] = {TEXTOID};
	Datum		vals[1];
	SPIPlanPtr	plan;

	vals[0] = PointerGetDatum(kid);
	plan = SPI_prepare("SELECT iss FROM shc.shc_keys WHERE kid OPERATOR(pg_catalog.=) $1",
					   1, types);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	spi_check(SPI_execute_snapshot(plan, vals, NULL,
								   latest ? GetLatestSnapshot() : InvalidSnapshot,
								   InvalidSnapshot, true, false, 1),
			  SPI_OK_SELECT);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("signing key \"%s\" does not exist", text_to_cstring(kid)),
				 errhint("Create one with shc_key_create() or shc_key_import().")));
	return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
}

/* The issuer of a stored key (palloc'd in the SPI context); raises if none. */
static char *
key_issuer(text *kid)
{
	return key_issuer_snap(kid, false);
}

/* ---------------------------------------------------------------------
 * Storing secrets
 * ---------------------------------------------------------------------
 */

/*
 * Store secret (secretlen bytes) as the issuer's new current secret:
 * retire the current one, insert the next version with the secret sealed
 * under the root key (associated data "shc rid secret <version> <iss>").
 * Runs as the extension owner.  A secret the issuer already has is an
 * error naming its version.
 *
 * Concurrency: creators are serialized by a SHARE ROW EXCLUSIVE lock on
 * shc_rid_secrets (readers are not blocked).  A READ COMMITTED caller then
 * sees the versions committed before it got the lock; a REPEATABLE READ
 * transaction whose snapshot predates another creator's commit gets a
 * serialization failure (40001, retry), never a unique violation.
 */
typedef struct secret_args
{
	text	   *iss;
	const char *secret;
	size_t		secretlen;
	int32		version;
} secret_args;

static int32
max_version(SPIPlanPtr plan, Datum *vals, Snapshot snap)
{
	bool		isnull;
	int			rc;

	rc = SPI_execute_snapshot(plan, vals, NULL, snap, InvalidSnapshot,
							  true, false, 1);
	spi_check(rc, SPI_OK_SELECT);
	return DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0],
									   SPI_tuptable->tupdesc, 1, &isnull));
}

static void
store_secret_owner(void *arg)
{
	secret_args *sa = (secret_args *) arg;
	char	   *iss = text_to_cstring(sa->iss);
	Oid			types[3] = {TEXTOID, INT4OID, BYTEAOID};
	Datum		vals[3];
	SPIPlanPtr	plan;
	int32		version;
	int32		latest;
	bool		isnull;
	uint64		i;
	int			rc;

	SPI_connect();
	spi_check(SPI_execute("LOCK TABLE shc.shc_rid_secrets IN SHARE ROW EXCLUSIVE MODE",
						  false, 0), SPI_OK_UTILITY);
	vals[0] = PointerGetDatum(sa->iss);
	plan = SPI_prepare("SELECT coalesce(pg_catalog.max(version), 0)"
					   "  FROM shc.shc_rid_secrets WHERE iss OPERATOR(pg_catalog.=) $1",
					   1, types);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	/*
	 * The transaction's snapshot (fresh in READ COMMITTED; in REPEATABLE
	 * READ the one taken at its start, seeing this transaction's own
	 * changes) against the latest: they differ only when another
	 * transaction stored a version after our snapshot was taken.
	 */
	version = max_version(plan, vals, GetTransactionSnapshot());
	latest = max_version(plan, vals, GetLatestSnapshot());
	if (latest != version)
		ereport(ERROR,
				(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
				 errmsg("could not store a revocation secret for issuer \"%s\"", iss),
				 errdetail("Another transaction stored one after this transaction's snapshot was taken."),
				 errhint("Retry the transaction.")));
	version++;

	/* the same secret stored already? (sealed values differ: open each) */
	rc = SPI_execute_with_args("SELECT version, sealed_secret FROM shc.shc_private_rid_secrets"
							   " WHERE iss OPERATOR(pg_catalog.=) $1",
							   1, types, vals, NULL, false, 0);
	spi_check(rc, SPI_OK_SELECT);
	for (i = 0; i < SPI_processed; i++)
	{
		int32		v = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[i],
													SPI_tuptable->tupdesc, 1, &isnull));
		bytea	   *sealed = DatumGetByteaPP(SPI_getbinval(SPI_tuptable->vals[i],
														   SPI_tuptable->tupdesc, 2, &isnull));
		size_t		n;
		unsigned char *old = shc_secret_open_for(shc_rid_secret_aad(iss, v), sealed, &n,
												 "compare with a stored revocation secret");
		bool		same = n == sa->secretlen && memcmp(old, sa->secret, n) == 0;

		shc_secret_free(old, n);
		if (same)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_OBJECT),
					 errmsg("issuer \"%s\" already has this revocation secret", iss),
					 errdetail("It is version %d.", v)));
	}

	rc = SPI_execute_with_args("UPDATE shc.shc_rid_secrets SET retired_at = pg_catalog.now()"
							   " WHERE iss OPERATOR(pg_catalog.=) $1 AND retired_at IS NULL",
							   1, types, vals, NULL, false, 0);
	spi_check(rc, SPI_OK_UPDATE);
	vals[1] = Int32GetDatum(version);
	rc = SPI_execute_with_args("INSERT INTO shc.shc_rid_secrets (iss, version)"
							   " VALUES ($1, $2)",
							   2, types, vals, NULL, false, 0);
	spi_check(rc, SPI_OK_INSERT);
	vals[2] = PointerGetDatum(shc_secret_seal(shc_rid_secret_aad(iss, version),
											  (const unsigned char *) sa->secret,
											  sa->secretlen));
	rc = SPI_execute_with_args("INSERT INTO shc.shc_private_rid_secrets (iss, version, sealed_secret)"
							   " VALUES ($1, $2, $3)",
							   3, types, vals, NULL, false, 0);
	spi_check(rc, SPI_OK_INSERT);
	SPI_finish();
	sa->version = version;
}

static int32
store_secret(text *iss, const char *secret, size_t secretlen)
{
	secret_args sa = {iss, secret, secretlen, 0};

	shc_as_owner(shc_rel_oid("shc_private_rid_secrets"), store_secret_owner, &sa);
	return sa.version;
}

/*
 * shc_rid_secret_create(iss text) returns integer
 *		Generate a 256-bit rid secret in C and make it the issuer's current
 *		one; the previous one is retired but kept.  Returns its version.
 */
PG_FUNCTION_INFO_V1(shc_rid_secret_create_sql);
Datum
shc_rid_secret_create_sql(PG_FUNCTION_ARGS)
{
	text	   *iss = PG_GETARG_TEXT_PP(0);
	char		secret[SHC_RID_SECRET_LEN + 1];
	int32		version = 0;
	shc_error	err;
	ErrorContextCallback cb;

	shc_hide_statement_push(&cb);
	shc_check_iss(VARDATA_ANY(iss), VARSIZE_ANY_EXHDR(iss), NULL);
	if (shc_rid_secret_generate(secret, &err) != SHC_OK)
		shc_raise(&err);
	PG_TRY();
	{
		version = store_secret(iss, secret, SHC_RID_SECRET_LEN);
	}
	PG_FINALLY();
	{
		shc_memzero(secret, sizeof(secret));
	}
	PG_END_TRY();
	shc_hide_statement_pop(&cb);
	PG_RETURN_INT32(version);
}

/*
 * shc_rid_secret_import(iss text, secret text) returns integer
 *		Store a rid secret made elsewhere (43 to 256 base64url characters,
 *		used as text) as the issuer's current one.  Returns its version.
 */
PG_FUNCTION_INFO_V1(shc_rid_secret_import_sql);
Datum
shc_rid_secret_import_sql(PG_FUNCTION_ARGS)
{
	text	   *iss = PG_GETARG_TEXT_PP(0);
	text	   *secret = PG_GETARG_TEXT_PP(1);
	int32		version;
	shc_error	err;
	ErrorContextCallback cb;

	shc_hide_statement_push(&cb);
	shc_check_iss(VARDATA_ANY(iss), VARSIZE_ANY_EXHDR(iss), NULL);
	if (shc_rid_secret_check(VARDATA_ANY(secret), VARSIZE_ANY_EXHDR(secret),
							 &err) != SHC_OK)
		ereport(ERROR,
				(errcode(shc_status_sqlstate(err.status)),
				 errmsg("invalid revocation secret"),
				 errdetail("%s", err.detail)));
	version = store_secret(iss, VARDATA_ANY(secret), VARSIZE_ANY_EXHDR(secret));
	shc_hide_statement_pop(&cb);
	PG_RETURN_INT32(version);
}

/*
 * shc_rid_secret_import_file(iss text, path text) returns integer
 *		Store the rid secret held by a server-side file (absolute path; its
 *		text, white space around it ignored) as the issuer's current one,
 *		without putting it in a statement.  Runs as its caller, who must be
 *		allowed to read server files; stored as the extension owner.
 */
PG_FUNCTION_INFO_V1(shc_rid_secret_import_file_sql);
Datum
shc_rid_secret_import_file_sql(PG_FUNCTION_ARGS)
{
	text	   *iss = PG_GETARG_TEXT_PP(0);
	text	   *path = PG_GETARG_TEXT_PP(1);
	Oid			caller = GetUserId();
	unsigned char *buf;
	char	   *p;
	size_t		n,
				len;
	int32		version = 0;
	shc_error	err;
	ErrorContextCallback cb;

	shc_hide_statement_push(&cb);
	shc_check_iss(VARDATA_ANY(iss), VARSIZE_ANY_EXHDR(iss), NULL);
	buf = shc_secret_read_file(caller, path, 4096, &n);
	p = (char *) buf;
	len = n;
	while (len > 0 && (p[0] == ' ' || p[0] == '\t' || p[0] == '\n' || p[0] == '\r'))
		p++, len--;
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t' ||
					   p[len - 1] == '\n' || p[len - 1] == '\r'))
		len--;
	PG_TRY();
	{
		if (shc_rid_secret_check(p, len, &err) != SHC_OK)
			ereport(ERROR,
					(errcode(shc_status_sqlstate(err.status)),
					 errmsg("invalid revocation secret"),
					 errdetail("%s", err.detail)));
		version = store_secret(iss, p, len);
	}
	PG_FINALLY();
	{
		shc_secret_free(buf, n);
	}
	PG_END_TRY();
	shc_hide_statement_pop(&cb);
	PG_RETURN_INT32(version);
}

/* ---------------------------------------------------------------------
 * Computing rids
 * ---------------------------------------------------------------------
 */

/* the sealed secret of one version (or the current one), as the owner */
typedef struct rid_secret_row
{
	text	   *kid;
	bool		latest;			/* read with the latest snapshot */
	bool		has_version;
	int32		version;
	MemoryContext cxt;
	char	   *iss;			/* out, in cxt */
	unsigned char *secret;		/* out, a wiping allocation in cxt */
	size_t		secretlen;
} rid_secret_row;

static void
read_rid_secret(void *arg)
{
	rid_secret_row *r = (rid_secret_row *) arg;
	Oid			types[2] = {TEXTOID, INT4OID};
	Datum		vals[2];
	char		nulls[2] = {' ', ' '};
	int			rc;
	char	   *iss;

	SPIPlanPtr	plan;

	SPI_connect();
	iss = key_issuer_snap(r->kid, r->latest);
	r->iss = MemoryContextStrdup(r->cxt, iss);
	vals[0] = CStringGetTextDatum(iss);
	vals[1] = Int32GetDatum(r->version);
	if (!r->has_version)
		nulls[1] = 'n';
	plan = SPI_prepare("SELECT m.version, p.sealed_secret FROM shc.shc_rid_secrets m"
					   "  JOIN shc.shc_private_rid_secrets p USING (iss, version)"
					   " WHERE m.iss OPERATOR(pg_catalog.=) $1 AND CASE WHEN $2 IS NULL"
					   "   THEN m.retired_at IS NULL ELSE m.version OPERATOR(pg_catalog.=) $2 END",
					   2, types);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	rc = SPI_execute_snapshot(plan, vals, nulls,
							  r->latest ? GetLatestSnapshot() : InvalidSnapshot,
							  InvalidSnapshot, true, false, 1);
	spi_check(rc, SPI_OK_SELECT);
	if (SPI_processed == 0)
	{
		if (r->has_version)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("revocation secret version %d of issuer \"%s\" does not exist",
							r->version, iss)));
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("issuer \"%s\" has no revocation secret", iss),
				 errhint("Create one with shc_rid_secret_create() or shc_rid_secret_import_file().")));
	}
	{
		bool		isnull;
		int32		v = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0],
													SPI_tuptable->tupdesc, 1, &isnull));
		bytea	   *sealed = DatumGetByteaPP(SPI_getbinval(SPI_tuptable->vals[0],
														   SPI_tuptable->tupdesc,
														   2, &isnull));

		/* opened in the caller's context: SPI_finish would free it */
		MemoryContext spi = MemoryContextSwitchTo(r->cxt);

		r->secret = shc_secret_open_for(shc_rid_secret_aad(iss, v), sealed,
										&r->secretlen, "compute a rid");
		MemoryContextSwitchTo(spi);
	}
	SPI_finish();
}

void
shc_rid_compute(text *kid, text *subject, bool latest, bool has_version, int32 version,
				char *rid)
{
	rid_secret_row r;
	shc_error	err;
	shc_status	st;

	shc_check_kid(VARDATA_ANY(kid), VARSIZE_ANY_EXHDR(kid));
	if (VARSIZE_ANY_EXHDR(subject) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("subject must not be empty"),
				 errdetail("A rid is derived from a user identifier; an empty one would give every such card the same rid.")));
	memset(&r, 0, sizeof(r));
	r.kid = kid;
	r.latest = latest;
	r.has_version = has_version;
	r.version = version;
	r.cxt = CurrentMemoryContext;
	shc_as_owner(shc_rel_oid("shc_private_rid_secrets"), read_rid_secret, &r);
	st = shc_rid_hmac((const char *) r.secret, r.secretlen, VARDATA_ANY(kid),
					  VARSIZE_ANY_EXHDR(kid), VARDATA_ANY(subject),
					  VARSIZE_ANY_EXHDR(subject), rid, &err);
	shc_secret_free(r.secret, r.secretlen);
	if (st != SHC_OK)
		shc_raise(&err);
}

/*
 * shc_rid(kid text, subject text, secret_version integer DEFAULT NULL)
 *		returns text
 *		The rid of subject for cards signed with kid, under the current rid
 *		secret of the key's issuer, or under the given version of it.
 *		NULL when kid or subject is NULL.
 */
PG_FUNCTION_INFO_V1(shc_rid_sql);
Datum
shc_rid_sql(PG_FUNCTION_ARGS)
{
	char		rid[SHC_RID_HMAC_LEN + 1];
	ErrorContextCallback cb;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	shc_hide_statement_push(&cb);
	shc_rid_compute(PG_GETARG_TEXT_PP(0), PG_GETARG_TEXT_PP(1), false,
					!PG_ARGISNULL(2), PG_ARGISNULL(2) ? 0 : PG_GETARG_INT32(2),
					rid);
	shc_hide_statement_pop(&cb);
	PG_RETURN_TEXT_P(cstring_to_text(rid));
}

/* ---------------------------------------------------------------------
 * Revoking
 * ---------------------------------------------------------------------
 */

/*
 * shc_revoke(kid text, rid text, before timestamptz DEFAULT NULL)
 *		returns integer
 *		Record that cards of kid with this rid are revoked: all of them
 *		(before NULL), or those whose nbf is before the given time, rounded
 *		up to a whole second (the CRL entry "rid.<seconds>").  A rid listed
 *		already is updated: the last call wins.  Every change increments the
 *		key's CRL counter; a call that changes nothing leaves it.  Returns
 *		the counter.
 */
PG_FUNCTION_INFO_V1(shc_revoke_sql);
Datum
shc_revoke_sql(PG_FUNCTION_ARGS)
{
	text	   *kid;
	text	   *rid;
	Oid			types[3] = {TEXTOID, TEXTOID, TIMESTAMPTZOID};
	Datum		vals[3];
	char		nulls[3] = {' ', ' ', ' '};
	int32		ctr;
	bool		isnull;
	shc_error	err;
	int			rc;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("kid must not be null")));
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("rid must not be null")));
	kid = PG_GETARG_TEXT_PP(0);
	rid = PG_GETARG_TEXT_PP(1);
	shc_check_kid(VARDATA_ANY(kid), VARSIZE_ANY_EXHDR(kid));
	if (shc_card_check_rid(VARDATA_ANY(rid), VARSIZE_ANY_EXHDR(rid), &err) != SHC_OK)
		shc_raise(&err);
	vals[0] = PointerGetDatum(kid);
	vals[1] = PointerGetDatum(rid);
	if (PG_ARGISNULL(2))
	{
		nulls[2] = 'n';
		vals[2] = (Datum) 0;
	}
	else
	{
		TimestampTz before = PG_GETARG_TIMESTAMPTZ(2);
		TimestampTz epoch = (TimestampTz) (UNIX_EPOCH_JDATE - POSTGRES_EPOCH_JDATE) *
			USECS_PER_DAY;

		/* SHC-NOTES 10: the timestamp is a NumericDate, integer seconds */
		if (TIMESTAMP_NOT_FINITE(before) || before <= epoch)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("before must be a finite time after 1970-01-01 00:00:00+00"),
					 errhint("Pass NULL to revoke every card with this rid.")));

		/*
		 * Round up, so that a card whose (whole-second) nbf is before the
		 * given time is before the CRL timestamp too.
		 */
		if ((before - epoch) % USECS_PER_SEC != 0)
			before += USECS_PER_SEC - (before - epoch) % USECS_PER_SEC;
		vals[2] = TimestampTzGetDatum(before);
	}

	SPI_connect();
	(void) key_issuer(kid);
	rc = SPI_execute_with_args("INSERT INTO shc.shc_revocations AS r (kid, rid, before)"
							   " VALUES ($1, $2, $3)"
							   " ON CONFLICT (kid, rid) DO UPDATE"
							   "   SET before = excluded.before, revoked_at = now()"
							   " WHERE r.before IS DISTINCT FROM excluded.before",
							   3, types, vals, nulls, false, 0);
	spi_check(rc, SPI_OK_INSERT);
	if (SPI_processed > 0)
		rc = SPI_execute_with_args("INSERT INTO shc.shc_crls AS c (kid, ctr) VALUES ($1, 1)"
								   " ON CONFLICT (kid) DO UPDATE"
								   "   SET ctr = c.ctr + 1, updated_at = now()"
								   " RETURNING ctr",
								   1, types, vals, NULL, false, 0);
	else
		rc = SPI_execute_with_args("SELECT ctr FROM shc.shc_crls WHERE kid = $1",
								   1, types, vals, NULL, false, 0);
	if (rc != SPI_OK_INSERT_RETURNING && rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	if (SPI_processed != 1)
		elog(ERROR, "CRL counter of key \"%s\" not found", text_to_cstring(kid));
	ctr = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0],
									  SPI_tuptable->tupdesc, 1, &isnull));
	SPI_finish();
	PG_RETURN_INT32(ctr);
}
