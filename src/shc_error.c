/*
 * shc_error.c
 *		The palloc allocator for the core and the single mapping from core
 *		status to SQLSTATE and primary message (STYLE.md, "Errors").
 */
#include "shc_glue.h"

#include "utils/builtins.h"
#include "utils/memutils.h"

static void *
pg_alloc(size_t size, void *ctx)
{
	return palloc_extended(size, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
}

static void *
pg_realloc(void *ptr, size_t oldsize, size_t size, void *ctx)
{
	/* repalloc_extended is PostgreSQL 16+; copy by hand */
	void	   *n = palloc_extended(size, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);

	if (n == NULL)
		return NULL;
	memcpy(n, ptr, Min(oldsize, size));
	pfree(ptr);
	return n;
}

static void
pg_free(void *ptr, void *ctx)
{
	pfree(ptr);
}

const shc_allocator shc_pg_allocator = {pg_alloc, pg_realloc, pg_free, NULL};

int
shc_status_sqlstate(shc_status st)
{
	switch (st)
	{
		case SHC_OK:
			return ERRCODE_SUCCESSFUL_COMPLETION;
		case SHC_ERR_NOMEM:
			return ERRCODE_OUT_OF_MEMORY;
		case SHC_ERR_LIMIT:
		case SHC_ERR_INFLATE_TOO_LARGE:
		case SHC_ERR_QR_TOO_LONG:
			return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
		case SHC_ERR_B64URL:
		case SHC_ERR_QR_NUMERIC:
		case SHC_ERR_JWS_CHARS:
		case SHC_ERR_JWS_FORMAT:
		case SHC_ERR_JSON:
			return ERRCODE_INVALID_TEXT_REPRESENTATION;
		case SHC_ERR_INFLATE:
		case SHC_ERR_IMAGE:
			return ERRCODE_INVALID_BINARY_REPRESENTATION;
		case SHC_ERR_JWE:
		case SHC_ERR_SHLINK:
			return ERRCODE_INVALID_PARAMETER_VALUE;
		case SHC_ERR_JWE_DECRYPT:
			return ERRCODE_DATA_EXCEPTION;
		case SHC_ERR_QR_CHUNKS:
		case SHC_ERR_KEY:
		case SHC_ERR_ISSUER:
		case SHC_ERR_RID:
		case SHC_ERR_CERT:
			return ERRCODE_INVALID_PARAMETER_VALUE;
		case SHC_ERR_SIGNATURE:
			return ERRCODE_DATA_EXCEPTION;
		case SHC_ERR_DECRYPT:
			return ERRCODE_DATA_CORRUPTED;
		case SHC_ERR_INTERNAL:
		case SHC_ERR_DEFLATE:
		case SHC_STATUS_COUNT:
			break;
	}
	return ERRCODE_INTERNAL_ERROR;
}

static const char *
primary_message(shc_status st)
{
	switch (st)
	{
		case SHC_ERR_B64URL:
			return "invalid base64url data";
		case SHC_ERR_INFLATE:
			return "invalid compressed payload";
		case SHC_ERR_INFLATE_TOO_LARGE:
			return "decompressed payload is too large";
		case SHC_ERR_QR_NUMERIC:
			return "invalid SMART Health Card QR text";
		case SHC_ERR_QR_CHUNKS:
			return "invalid set of SMART Health Card QR chunks";
		case SHC_ERR_JWS_CHARS:
			return "invalid character in compact JWS";
		case SHC_ERR_QR_TOO_LONG:
			return "card is too long for a single QR code";
		case SHC_ERR_JWS_FORMAT:
			return "invalid compact JWS";
		case SHC_ERR_JSON:
			return "invalid input syntax for type json";
		case SHC_ERR_KEY:
			return "invalid key";
		case SHC_ERR_SIGNATURE:
			return "signature verification failed";
		case SHC_ERR_ISSUER:
			return "invalid issuer URL";
		case SHC_ERR_RID:
			return "invalid revocation identifier";
		case SHC_ERR_DECRYPT:
			return "stored secret does not open under the root key";
		case SHC_ERR_JWE:
			return "invalid compact JWE";
		case SHC_ERR_JWE_DECRYPT:
			return "JWE decryption failed";
		case SHC_ERR_SHLINK:
			return "invalid SMART Health Link";
		case SHC_ERR_LIMIT:
			return "input exceeds a limit";
		case SHC_ERR_IMAGE:
			return "invalid image";
		case SHC_ERR_CERT:
			return "invalid certificate";
		case SHC_ERR_DEFLATE:
			return "compression failed";
		case SHC_ERR_NOMEM:
			return "out of memory";
		default:
			return "internal error in shc";
	}
}

void
shc_raise_hint(const shc_error *err, const char *hint)
{
	ereport(ERROR,
			(errcode(shc_status_sqlstate(err->status)),
			 errmsg_internal("%s", primary_message(err->status)),
			 err->detail[0] ? errdetail_internal("%s", err->detail) : 0,
			 hint ? errhint("%s", hint) : 0));
	pg_unreachable();
}

void
shc_raise(const shc_error *err)
{
	shc_raise_hint(err, NULL);
}

text *
shc_buf_to_text(shc_buf *b)
{
	text	   *t = cstring_to_text_with_len(b->data ? b->data : "", (int) b->len);

	shc_buf_free(b);
	return t;
}
