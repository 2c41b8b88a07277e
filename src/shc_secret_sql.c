/*
 * shc_secret_sql.c
 *		SQL functions around the root key (src/shc_secret.h):
 *		shc_root_key_id, shc_root_key_rotate, and the one-time sealing of
 *		the cleartext secrets of a 0.1.0 database by the upgrade script.
 *
 * Every sealed column of the extension is listed here, with the row
 * identity its associated data is made of:
 *   shc.shc_private_keys.sealed_d             "shc key <kid>"
 *   shc.shc_private_rid_secrets.sealed_secret "shc rid secret <version> <iss>"
 * A new sealed column is added to reseal_all() so that a root key
 * rotation covers it.
 */
#include "shc_glue.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

#include "shc_secret.h"

static void
spi_ok(int rc, int want)
{
	if (rc != want)
		elog(ERROR, "SPI failed: %s", SPI_result_code_string(rc));
}

/*
 * shc_root_key_id() returns text
 *		The id of the configured root key (16 hex digits; the id sealed
 *		values carry), or NULL when none is configured.
 */
PG_FUNCTION_INFO_V1(shc_root_key_id_sql);
Datum
shc_root_key_id_sql(PG_FUNCTION_ARGS)
{
	char	   *id = shc_root_key_id_hex();

	if (id == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(id));
}

/*
 * Reseal every sealed value that is not under the current root key.
 * Returns how many were resealed.  Must be connected to SPI.
 */
static int64
reseal_all(void)
{
	SPITupleTable *tt;
	uint64		n,
				i;
	int64		done = 0;
	bool		isnull;
	Oid			types[3] = {TEXTOID, BYTEAOID, INT4OID};
	Datum		vals[3];

	spi_ok(SPI_execute("SELECT kid, sealed_d FROM shc.shc_private_keys FOR UPDATE",
					   false, 0), SPI_OK_SELECT);
	tt = SPI_tuptable;
	n = SPI_processed;
	for (i = 0; i < n; i++)
	{
		char	   *kid = SPI_getvalue(tt->vals[i], tt->tupdesc, 1);
		bytea	   *sealed = DatumGetByteaPP(SPI_getbinval(tt->vals[i], tt->tupdesc, 2, &isnull));
		char		aad[SHC_KEY_AAD_LEN];
		bytea	   *fresh;

		shc_key_aad(kid, aad);
		fresh = shc_secret_reseal(aad, sealed);
		if (fresh == NULL)
			continue;
		vals[0] = CStringGetTextDatum(kid);
		vals[1] = PointerGetDatum(fresh);
		spi_ok(SPI_execute_with_args("UPDATE shc.shc_private_keys SET sealed_d = $2"
									 " WHERE kid OPERATOR(pg_catalog.=) $1",
									 2, types, vals, NULL, false, 0), SPI_OK_UPDATE);
		done++;
	}

	spi_ok(SPI_execute("SELECT iss, version, sealed_secret FROM shc.shc_private_rid_secrets FOR UPDATE",
					   false, 0), SPI_OK_SELECT);
	tt = SPI_tuptable;
	n = SPI_processed;
	for (i = 0; i < n; i++)
	{
		char	   *iss = SPI_getvalue(tt->vals[i], tt->tupdesc, 1);
		int32		version = DatumGetInt32(SPI_getbinval(tt->vals[i], tt->tupdesc, 2, &isnull));
		bytea	   *sealed = DatumGetByteaPP(SPI_getbinval(tt->vals[i], tt->tupdesc, 3, &isnull));
		bytea	   *fresh = shc_secret_reseal(shc_rid_secret_aad(iss, version), sealed);

		if (fresh == NULL)
			continue;
		vals[0] = CStringGetTextDatum(iss);
		vals[1] = PointerGetDatum(fresh);
		vals[2] = Int32GetDatum(version);
		spi_ok(SPI_execute_with_args("UPDATE shc.shc_private_rid_secrets SET sealed_secret = $2"
									 " WHERE iss OPERATOR(pg_catalog.=) $1"
									 "   AND version OPERATOR(pg_catalog.=) $3",
									 3, types, vals, NULL, false, 0), SPI_OK_UPDATE);
		done++;
	}
	return done;
}

/*
 * shc_root_key_rotate() returns bigint
 *		Reseal every stored secret under the current root key (opening
 *		those sealed under the previous one, shc.root_key_previous_*).
 *		Returns how many were resealed; 0 when all already were.  Waits
 *		first for every transaction that sealed a secret (issue 22), and
 *		records the previous root key as retired, so that no session still
 *		holding it seals with it afterwards.
 */
PG_FUNCTION_INFO_V1(shc_root_key_rotate_sql);
Datum
shc_root_key_rotate_sql(PG_FUNCTION_ARGS)
{
	int64		n;
	char	   *cur = shc_root_key_id_hex();
	char	   *prev;
	Oid			types[1] = {TEXTOID};
	Datum		vals[1];

	if (cur == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot rotate the root key: no root key is configured"),
				 errhint("Set shc.root_key_file (the new key) and shc.root_key_previous_file (the old one), reload, and call shc_root_key_rotate() again.")));
	/* issue 22: wait for every transaction that sealed a secret */
	shc_secret_rotation_lock();
	prev = shc_root_key_previous_id_hex();
	SPI_connect();
	vals[0] = CStringGetTextDatum(cur);
	spi_ok(SPI_execute_with_args("DELETE FROM shc.shc_root_key_retired WHERE key_id OPERATOR(pg_catalog.=) $1",
								 1, types, vals, NULL, false, 0), SPI_OK_DELETE);
	n = reseal_all();
	/* a session still holding the previous key can no longer seal with it */
	if (prev != NULL && strcmp(prev, cur) != 0)
	{
		vals[0] = CStringGetTextDatum(prev);
		spi_ok(SPI_execute_with_args("INSERT INTO shc.shc_root_key_retired (key_id) VALUES ($1)"
									 " ON CONFLICT (key_id) DO NOTHING",
									 1, types, vals, NULL, false, 0), SPI_OK_INSERT);
	}
	SPI_finish();
	PG_RETURN_INT64(n);
}

/*
 * shc_secrets_seal_cleartext() returns bigint
 *		Used once by the upgrade from 0.1.0 (and dropped right after): seal
 *		every private scalar (shc_private_keys.d) and rid secret
 *		(shc_private_rid_secrets.secret) still stored in clear into the new
 *		sealed columns.  Needs a root key only when there is something to
 *		seal.
 */
PG_FUNCTION_INFO_V1(shc_secrets_seal_cleartext_sql);
Datum
shc_secrets_seal_cleartext_sql(PG_FUNCTION_ARGS)
{
	SPITupleTable *tt;
	uint64		n,
				i,
				nkeys,
				nsecrets;
	int64		done = 0;
	bool		isnull;
	Oid			types[3] = {TEXTOID, BYTEAOID, INT4OID};
	Datum		vals[3];

	SPI_connect();
	spi_ok(SPI_execute("SELECT (SELECT pg_catalog.count(*) FROM shc.shc_private_keys),"
					   " (SELECT pg_catalog.count(*) FROM shc.shc_private_rid_secrets)",
					   true, 1), SPI_OK_SELECT);
	nkeys = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	nsecrets = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	if (nkeys + nsecrets > 0 && shc_root_key_id_hex() == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot upgrade shc: no root key is configured"),
				 errdetail("This database holds %llu private keys and %llu revocation secrets in clear; shc 0.2.0 stores them only encrypted under a root key kept outside the database.",
						   (unsigned long long) nkeys, (unsigned long long) nsecrets),
				 errhint("Create a root key file outside the data directory (openssl rand -hex 32 > FILE; chmod 600 FILE; chown it to the server's OS user), set shc.root_key_file = 'FILE' in postgresql.conf, reload, and run ALTER EXTENSION shc UPDATE again.")));

	spi_ok(SPI_execute("SELECT kid, d FROM shc.shc_private_keys", false, 0), SPI_OK_SELECT);
	tt = SPI_tuptable;
	n = SPI_processed;
	for (i = 0; i < n; i++)
	{
		char	   *kid = SPI_getvalue(tt->vals[i], tt->tupdesc, 1);
		text	   *d = DatumGetTextPP(SPI_getbinval(tt->vals[i], tt->tupdesc, 2, &isnull));
		char		aad[SHC_KEY_AAD_LEN];

		shc_key_aad(kid, aad);
		vals[0] = CStringGetTextDatum(kid);
		vals[1] = PointerGetDatum(shc_secret_seal(aad, (unsigned char *) VARDATA_ANY(d),
												  VARSIZE_ANY_EXHDR(d)));
		shc_memzero(VARDATA_ANY(d), VARSIZE_ANY_EXHDR(d));
		spi_ok(SPI_execute_with_args("UPDATE shc.shc_private_keys SET sealed_d = $2"
									 " WHERE kid OPERATOR(pg_catalog.=) $1",
									 2, types, vals, NULL, false, 0), SPI_OK_UPDATE);
		done++;
	}
	spi_ok(SPI_execute("SELECT iss, version, secret FROM shc.shc_private_rid_secrets", false, 0),
		   SPI_OK_SELECT);
	tt = SPI_tuptable;
	n = SPI_processed;
	for (i = 0; i < n; i++)
	{
		char	   *iss = SPI_getvalue(tt->vals[i], tt->tupdesc, 1);
		int32		version = DatumGetInt32(SPI_getbinval(tt->vals[i], tt->tupdesc, 2, &isnull));
		text	   *secret = DatumGetTextPP(SPI_getbinval(tt->vals[i], tt->tupdesc, 3, &isnull));

		vals[0] = CStringGetTextDatum(iss);
		vals[1] = PointerGetDatum(shc_secret_seal(shc_rid_secret_aad(iss, version),
												  (unsigned char *) VARDATA_ANY(secret),
												  VARSIZE_ANY_EXHDR(secret)));
		vals[2] = Int32GetDatum(version);
		shc_memzero(VARDATA_ANY(secret), VARSIZE_ANY_EXHDR(secret));
		spi_ok(SPI_execute_with_args("UPDATE shc.shc_private_rid_secrets SET sealed_secret = $2"
									 " WHERE iss OPERATOR(pg_catalog.=) $1"
									 "   AND version OPERATOR(pg_catalog.=) $3",
									 3, types, vals, NULL, false, 0), SPI_OK_UPDATE);
		done++;
	}
	SPI_finish();
	PG_RETURN_INT64(done);
}
