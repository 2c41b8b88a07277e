/*
 * shc_core.c
 *		Status names, the error record, the default allocator and shc_buf.
 */
#include "shc_core.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

static void *
default_alloc(size_t size, void *ctx)
{
	(void) ctx;
	return malloc(size ? size : 1);
}

static void *
default_realloc(void *ptr, size_t oldsize, size_t size, void *ctx)
{
	(void) ctx;
	(void) oldsize;
	return realloc(ptr, size ? size : 1);
}

static void
default_free(void *ptr, void *ctx)
{
	(void) ctx;
	free(ptr);
}

const shc_allocator shc_default_allocator = {
	default_alloc, default_realloc, default_free, NULL, NULL
};

shc_status
shc_error_set(shc_error *err, shc_status status, const char *fmt,...)
{
	if (err)
	{
		err->status = status;
		err->detail[0] = '\0';
		if (fmt)
		{
			va_list		ap;

			va_start(ap, fmt);
			vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
			va_end(ap);
		}
	}
	return status;
}

/*
 * One row per status; the switch has no default, so the compiler
 * (-Wswitch) names a status that has no row.
 */
static void
status_row(shc_status status, const char **msg, const char **sqlstate)
{
	switch (status)
	{
#define ROW(m, code) do { *msg = (m); *sqlstate = (code); return; } while (0)
		case SHC_OK:
			ROW("success", "00000");
		case SHC_ERR_NOMEM:
			ROW("out of memory", "53200");
		case SHC_ERR_INTERNAL:
			ROW("internal error in shc", "XX000");
		case SHC_ERR_LIMIT:
			ROW("input exceeds a limit", "54000");
		case SHC_ERR_B64URL:
			ROW("invalid base64url data", "22P02");
		case SHC_ERR_INFLATE:
			ROW("invalid compressed payload", "22P03");
		case SHC_ERR_INFLATE_TOO_LARGE:
			ROW("decompressed payload is too large", "54000");
		case SHC_ERR_DEFLATE:
			ROW("compression failed", "XX000");
		case SHC_ERR_QR_NUMERIC:
			ROW("invalid SMART Health Card QR text", "22P02");
		case SHC_ERR_QR_CHUNKS:
			ROW("invalid set of SMART Health Card QR chunks", "22023");
		case SHC_ERR_JWS_CHARS:
			ROW("invalid character in compact JWS", "22P02");
		case SHC_ERR_QR_TOO_LONG:
			ROW("card is too long for a single QR code", "54000");
		case SHC_ERR_JWS_FORMAT:
			ROW("invalid compact JWS", "22P02");
		case SHC_ERR_JSON:
			ROW("invalid input syntax for type json", "22P02");
		case SHC_ERR_KEY:
			ROW("invalid key", "22023");
		case SHC_ERR_SIGNATURE:
			ROW("signature verification failed", "22000");
		case SHC_ERR_ISSUER:
			ROW("invalid issuer URL", "22023");
		case SHC_ERR_RID:
			ROW("invalid revocation identifier", "22023");
		case SHC_ERR_TIME:
			ROW("card validity time out of range", "22008");
		case SHC_ERR_FHIR:
			ROW("invalid FHIR bundle", "22023");
		case SHC_ERR_JWS_HEADER:
			ROW("invalid JWS header", "22P02");
		case SHC_ERR_PAYLOAD:
			ROW("invalid SMART Health Card payload", "22P02");
		case SHC_ERR_DECRYPT:
			ROW("stored secret does not open under the root key", "XX001");
		case SHC_ERR_IMAGE:
			ROW("invalid image", "22P03");
		case SHC_ERR_CERT:
			ROW("invalid certificate", "22023");
		case SHC_ERR_JWE:
			ROW("invalid compact JWE", "22023");
		case SHC_ERR_JWE_DECRYPT:
			ROW("JWE decryption failed", "22000");
		case SHC_ERR_SHLINK:
			ROW("invalid SMART Health Link", "22023");
		case SHC_STOPPED:
		case SHC_STATUS_COUNT:
			ROW("internal error in shc", "XX000");
#undef ROW
	}
	*msg = "internal error in shc";
	*sqlstate = "XX000";
}

const char *
shc_status_name(shc_status status)
{
	const char *m,
			   *c;

	status_row(status, &m, &c);
	return m;
}

const char *
shc_status_sqlstate_text(shc_status status)
{
	const char *m,
			   *c;

	status_row(status, &m, &c);
	return c;
}

void
shc_buf_init(shc_buf *b, const shc_allocator *a, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->a = a ? a : &shc_default_allocator;
	b->max = max;
}

bool
shc_buf_reserve(shc_buf *b, size_t extra)
{
	size_t		need;
	size_t		ncap;
	char	   *nd;

	if (b->failed || b->overflow)
		return false;
	if (extra > SIZE_MAX / 2 - b->len - 1)
	{
		b->overflow = true;
		return false;
	}
	need = b->len + extra + 1;
	if (b->max && b->len + extra > b->max)
	{
		b->overflow = true;
		return false;
	}
	if (need <= b->cap)
		return true;
	ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap *= 2;
	if (b->max && ncap > b->max + 1)
		ncap = b->max + 1;
	if (ncap < need)
		ncap = need;
	nd = b->data ? b->a->realloc(b->data, b->cap, ncap, b->a->ctx)
		: b->a->alloc(ncap, b->a->ctx);
	if (nd == NULL)
	{
		b->failed = true;
		return false;
	}
	b->data = nd;
	b->cap = ncap;
	return true;
}

void
shc_buf_append_slow(shc_buf *b, const void *p, size_t n)
{
	if (!shc_buf_reserve(b, n))
		return;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
shc_buf_append_str(shc_buf *b, const char *s)
{
	shc_buf_append(b, s, strlen(s));
}

shc_status
shc_buf_status(const shc_buf *b, shc_error *err)
{
	if (b->failed)
		return shc_error_set(err, SHC_ERR_NOMEM, NULL);
	if (b->overflow)
		return shc_error_set(err, SHC_ERR_LIMIT,
							 "Output would exceed the limit of %zu bytes.",
							 b->max);
	return SHC_OK;
}

char *
shc_buf_release(shc_buf *b, size_t *len)
{
	char	   *d;

	/* an empty buffer still yields a valid empty string */
	if (b->data == NULL && !shc_buf_reserve(b, 0))
		return NULL;
	d = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return d;
}

void
shc_buf_free(shc_buf *b)
{
	if (b->data)
		b->a->free(b->data, b->a->ctx);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
shc_memzero(void *p, size_t n)
{
	if (p && n)
		OPENSSL_cleanse(p, n);
}
