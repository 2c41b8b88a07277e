/*
 * shc_x509_sql.c
 *		SQL wrappers of src/core/shc_x509.c: shc_signature_verify (a
 *		detached signature against a certificate, for the VCI directory
 *		snapshot), shc_x509_info (what a certificate says, for the trust
 *		anchor table) and shc_x5c_check (a JWK's x5c chain against the
 *		trust anchors loaded in shc.shc_trust_anchor).
 */
#include "shc_glue.h"

#include <time.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "shc_x509_glue.h"

#define UNIX_EPOCH_OFFSET_SECS \
	((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY)

static int64
at_secs(TimestampTz at)
{
	if (TIMESTAMP_NOT_FINITE(at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("verification time must be finite")));
	return (int64) (at / USECS_PER_SEC) + UNIX_EPOCH_OFFSET_SECS;
}

static TimestampTz
asn1_to_timestamptz(const ASN1_TIME *t)
{
	struct tm	tm;

	if (ASN1_TIME_to_tm(t, &tm) != 1)
		return DT_NOBEGIN;
	return (TimestampTz) ((int64) timegm(&tm) - UNIX_EPOCH_OFFSET_SECS) * USECS_PER_SEC;
}

/*
 * shc_signature_verify(data bytea, signature bytea, certificate text,
 *						at timestamptz) returns boolean
 */
PG_FUNCTION_INFO_V1(shc_signature_verify_sql);
Datum
shc_signature_verify_sql(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	bytea	   *sig = PG_GETARG_BYTEA_PP(1);
	text	   *cert = PG_GETARG_TEXT_PP(2);
	int64		at = at_secs(PG_GETARG_TIMESTAMPTZ(3));
	shc_error	err;
	shc_status	st;

	st = shc_x509_detached_verify((const uint8_t *) VARDATA_ANY(data), VARSIZE_ANY_EXHDR(data),
								  (const uint8_t *) VARDATA_ANY(sig), VARSIZE_ANY_EXHDR(sig),
								  VARDATA_ANY(cert), VARSIZE_ANY_EXHDR(cert),
								  at, NULL, &err);
	if (st == SHC_ERR_SIGNATURE)
		PG_RETURN_BOOL(false);
	if (st != SHC_OK)
		shc_raise(&err);
	PG_RETURN_BOOL(true);
}

/*
 * shc_x509_info(certificate text, OUT der bytea, OUT sha256 text,
 *				 OUT subject text, OUT issuer text, OUT not_before timestamptz,
 *				 OUT not_after timestamptz, OUT is_ca boolean) returns record
 */
PG_FUNCTION_INFO_V1(shc_x509_info_sql);
Datum
shc_x509_info_sql(PG_FUNCTION_ARGS)
{
	text	   *cert = PG_GETARG_TEXT_PP(0);
	const char *c = VARDATA_ANY(cert);
	size_t		n = VARSIZE_ANY_EXHDR(cert);
	X509	   *x = NULL;
	TupleDesc	tupdesc;
	Datum		values[7];
	bool		nulls[7] = {0};
	unsigned char *der = NULL;
	int			derlen;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen;
	char		hex[2 * EVP_MAX_MD_SIZE + 1];
	char	   *subj,
			   *issr;
	bytea	   *b;
	unsigned int i;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	if (n > 10 && memmem(c, n, "-----BEGIN", 10) != NULL)
	{
		BIO		   *bio = BIO_new_mem_buf(c, (int) n);

		if (bio)
		{
			x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
			BIO_free(bio);
		}
	}
	ERR_clear_error();
	if (x == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid certificate: not a PEM X.509 certificate"),
				 errdetail("A certificate is given as PEM text (-----BEGIN CERTIFICATE-----).")));
	derlen = i2d_X509(x, &der);
	if (derlen <= 0 || X509_digest(x, EVP_sha256(), md, &mdlen) != 1)
	{
		X509_free(x);
		OPENSSL_free(der);
		ERR_clear_error();
		elog(ERROR, "could not encode the certificate");
	}
	b = palloc(VARHDRSZ + derlen);
	SET_VARSIZE(b, VARHDRSZ + derlen);
	memcpy(VARDATA(b), der, derlen);
	OPENSSL_free(der);
	for (i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	subj = X509_NAME_oneline(X509_get_subject_name(x), NULL, 0);
	issr = X509_NAME_oneline(X509_get_issuer_name(x), NULL, 0);
	values[0] = PointerGetDatum(b);
	values[1] = CStringGetTextDatum(hex);
	values[2] = CStringGetTextDatum(subj ? subj : "");
	values[3] = CStringGetTextDatum(issr ? issr : "");
	OPENSSL_free(subj);
	OPENSSL_free(issr);
	values[4] = TimestampTzGetDatum(asn1_to_timestamptz(X509_get0_notBefore(x)));
	values[5] = TimestampTzGetDatum(asn1_to_timestamptz(X509_get0_notAfter(x)));
	values[6] = BoolGetDatum(X509_check_ca(x) >= 1);
	X509_free(x);
	ERR_clear_error();
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

bool
shc_x5c_jsonb_certs(JsonbValue *x5c, const char **certs, size_t *certlens,
					int *ncerts, char **why)
{
	int			i,
				n;

	*ncerts = 0;
	if (x5c->type != jbvBinary || !JsonContainerIsArray(x5c->val.binary.data) ||
		JsonContainerIsScalar(x5c->val.binary.data))
	{
		*why = pstrdup("The key's \"x5c\" is not an array.");
		return false;
	}
	n = JsonContainerSize(x5c->val.binary.data);
	if (n < 1 || n > SHC_X5C_MAX_CERTS)
	{
		*why = psprintf("The x5c array has %d certificates; 1 to %d are accepted.",
						n, SHC_X5C_MAX_CERTS);
		return false;
	}
	for (i = 0; i < n; i++)
	{
		JsonbValue *e = getIthJsonbValueFromContainer(x5c->val.binary.data, i);

		if (e == NULL || e->type != jbvString)
		{
			*why = psprintf("Entry %d of x5c is not a string.", i + 1);
			return false;
		}
		certs[i] = e->val.string.val;
		certlens[i] = e->val.string.len;
	}
	*ncerts = n;
	return true;
}

/*
 * shc_x5c_check(jwk jsonb, iss text, at timestamptz, OUT status text,
 *				 OUT reason text) returns record
 *		status: none (no x5c), valid, malformed, key_mismatch, no_san,
 *		no_uri_san, san_mismatch, no_anchor, broken_chain, expired,
 *		not_yet_valid.
 */
PG_FUNCTION_INFO_V1(shc_x5c_check_sql);
Datum
shc_x5c_check_sql(PG_FUNCTION_ARGS)
{
	Jsonb	   *jwk = PG_GETARG_JSONB_P(0);
	text	   *isst = PG_GETARG_TEXT_PP(1);
	int64		at = at_secs(PG_GETARG_TIMESTAMPTZ(2));
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	JsonbValue	b1,
				b2,
				b3;
	JsonbValue *x5c,
			   *x,
			   *y;
	const char *certs[SHC_X5C_MAX_CERTS];
	size_t		certlens[SHC_X5C_MAX_CERTS];
	int			ncerts,
				i,
				nanchors = 0;
	char	   *why;
	const uint8_t **anchors = NULL;
	size_t	   *anchorlens = NULL;
	shc_x5c_result res;
	char		reason[256];
	shc_error	err;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	x5c = JsonContainerIsObject(&jwk->root) ? shc_jsonb_member(&jwk->root, "x5c", &b1) : NULL;
	if (x5c == NULL)
	{
		values[0] = CStringGetTextDatum("none");
		nulls[1] = true;
		PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
	}
	x = shc_jsonb_member(&jwk->root, "x", &b2);
	y = shc_jsonb_member(&jwk->root, "y", &b3);
	if (x == NULL || y == NULL || x->type != jbvString || y->type != jbvString)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid key: no \"x\" and \"y\" strings"),
				 errdetail("An x5c chain is checked against the key's P-256 point.")));
	if (!shc_x5c_jsonb_certs(x5c, certs, certlens, &ncerts, &why))
	{
		values[0] = CStringGetTextDatum("malformed");
		values[1] = CStringGetTextDatum(why);
		PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
	}

	/* the trust anchors */
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute("SELECT certificate FROM shc.shc_trust_anchor", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the trust anchors");
	nanchors = (int) SPI_processed;
	if (nanchors > 0)
	{
		anchors = SPI_palloc(sizeof(uint8_t *) * nanchors);
		anchorlens = SPI_palloc(sizeof(size_t) * nanchors);
		for (i = 0; i < nanchors; i++)
		{
			bool		isnull;
			Datum		d = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);
			bytea	   *bb = DatumGetByteaPP(d);

			anchors[i] = (const uint8_t *) VARDATA_ANY(bb);
			anchorlens[i] = VARSIZE_ANY_EXHDR(bb);
		}
	}
	if (shc_x5c_check(certs, certlens, ncerts,
					  x->val.string.val, x->val.string.len,
					  y->val.string.val, y->val.string.len,
					  VARDATA_ANY(isst), VARSIZE_ANY_EXHDR(isst),
					  anchors, anchorlens, nanchors, at,
					  &res, reason, sizeof(reason), &err) != SHC_OK)
	{
		SPI_finish();
		shc_raise(&err);
	}
	SPI_finish();
	values[0] = CStringGetTextDatum(shc_x5c_result_name(res));
	if (res == SHC_X5C_VALID)
		nulls[1] = true;
	else
		values[1] = CStringGetTextDatum(reason);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
