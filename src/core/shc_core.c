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
	default_alloc, default_realloc, default_free, NULL
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

const char *
shc_status_name(shc_status status)
{
	switch (status)
	{
		case SHC_OK:
			return "success";
		case SHC_ERR_NOMEM:
			return "out of memory";
		case SHC_ERR_INTERNAL:
			return "internal error";
		case SHC_ERR_LIMIT:
			return "input exceeds a configured limit";
		case SHC_ERR_B64URL:
			return "invalid base64url data";
		case SHC_ERR_INFLATE:
			return "invalid raw DEFLATE data";
		case SHC_ERR_INFLATE_TOO_LARGE:
			return "decompressed payload is too large";
		case SHC_ERR_DEFLATE:
			return "compression failed";
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
			return "invalid JSON";
		case SHC_ERR_KEY:
			return "invalid key";
		case SHC_ERR_SIGNATURE:
			return "signature verification failed";
		case SHC_ERR_ISSUER:
			return "invalid issuer URL";
		case SHC_ERR_RID:
			return "invalid revocation identifier";
		case SHC_ERR_DECRYPT:
			return "sealed secret does not open";
		case SHC_ERR_IMAGE:
			return "invalid image";
		case SHC_ERR_CERT:
			return "invalid certificate";
		case SHC_ERR_JWE:
			return "invalid compact JWE";
		case SHC_ERR_JWE_DECRYPT:
			return "JWE decryption failed";
		case SHC_ERR_SHLINK:
			return "invalid SMART Health Link";
		case SHC_STATUS_COUNT:
			break;
	}
	return "unknown status";
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
shc_buf_append(shc_buf *b, const void *p, size_t n)
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
