/*
 * shc_core.h
 *		The PostgreSQL-free core of shc: status codes, the error record, the
 *		allocator hook and the growable buffer every codec writes into.
 *
 * Nothing in src/core includes server headers or uses the server's memory
 * or error machinery.  Every function returns an shc_status and, on
 * failure, fills a caller-supplied shc_error with a detail sentence that
 * never contains secret material.
 * The PostgreSQL glue maps each status to one SQLSTATE (src/shc_error.c).
 *
 * Memory: the core allocates only through an shc_allocator.  The default is
 * malloc/realloc/free; the glue passes one backed by the current memory
 * context that returns NULL when out of memory, so an allocation failure
 * comes back as SHC_ERR_NOMEM after the core has released its OpenSSL and
 * zlib state, never as a longjmp across it.
 */
#ifndef SHC_CORE_H
#define SHC_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>

typedef enum shc_status
{
	SHC_OK = 0,
	SHC_ERR_NOMEM,				/* an allocation failed */
	SHC_ERR_INTERNAL,			/* a library call failed unexpectedly */
	SHC_ERR_LIMIT,				/* input exceeds a caller-supplied limit */

	/* base64url, RFC 4648 section 5 */
	SHC_ERR_B64URL,

	/* raw DEFLATE */
	SHC_ERR_INFLATE,			/* not a valid raw DEFLATE stream */
	SHC_ERR_INFLATE_TOO_LARGE,	/* inflated size above the cap */
	SHC_ERR_DEFLATE,

	/* shc:/ numeric QR text, SHC-NOTES section 8 */
	SHC_ERR_QR_NUMERIC,			/* malformed shc:/ text */
	SHC_ERR_QR_CHUNKS,			/* inconsistent chunk set */
	SHC_ERR_JWS_CHARS,			/* a character a compact JWS cannot hold */
	SHC_ERR_QR_TOO_LONG,		/* does not fit one QR of version <= 22 */

	/* JWS / JSON / keys / signatures */
	SHC_ERR_JWS_FORMAT,			/* not three base64url segments */
	SHC_ERR_JSON,				/* malformed JSON */
	SHC_ERR_KEY,				/* malformed or unusable key */
	SHC_ERR_SIGNATURE,			/* signature does not verify */

	/* card claims (issuing), SHC-NOTES sections 4 and 10 */
	SHC_ERR_ISSUER,				/* iss not https, or ending in "/" */
	SHC_ERR_RID,				/* vc.rid not base64url or too long */
	SHC_ERR_TIME,				/* nbf/exp outside what a verifier accepts */
	SHC_ERR_FHIR,				/* a bundle the FHIR checks refuse */
	SHC_ERR_JWS_HEADER,			/* a JWS header a card cannot have */
	SHC_ERR_PAYLOAD,			/* a payload that is not a card's JSON */

	/* not an error: a JSON event handler found what it looked for */
	SHC_STOPPED,

	/* images of QR codes (shc_qrscan.h) */
	SHC_ERR_IMAGE,				/* not a readable PNG or JPEG image */

	/* X.509 certificates (shc_x509.h) */
	SHC_ERR_CERT,				/* unreadable, unusable or out-of-date certificate */

	/* secrets at rest (shc_aead.h) */
	SHC_ERR_DECRYPT,			/* a sealed secret does not open */

	/* SMART Health Links, SHC-NOTES section 15 */
	SHC_ERR_JWE,				/* malformed or unsupported compact JWE */
	SHC_ERR_JWE_DECRYPT,		/* JWE tag does not authenticate */
	SHC_ERR_SHLINK,				/* malformed shlink:/ or payload rule broken */

	SHC_STATUS_COUNT
} shc_status;

#define SHC_ERROR_DETAIL_LEN 256

typedef struct shc_error
{
	shc_status	status;
	char		detail[SHC_ERROR_DETAIL_LEN];	/* a sentence, may be empty */
} shc_error;

/* Set err (may be NULL) to status with a printf-style detail; returns status. */
shc_status	shc_error_set(shc_error *err, shc_status status, const char *fmt,...)
#if defined(__GNUC__)
			__attribute__((format(printf, 3, 4)))
#endif
			;
/*
 * The one status table: the primary error message of a status (PostgreSQL
 * message style, "invalid base64url data") and the SQLSTATE it raises
 * with, as its five characters ("22P02").  src/shc_error.c raises with
 * exactly these; nothing else words a status.
 */
const char *shc_status_name(shc_status status);
const char *shc_status_sqlstate_text(shc_status status);

/*
 * Allocator hook; every function returns NULL on failure, never aborts.
 * interrupt (may be NULL) is called now and then by the core's loops that
 * can run long over large input (the JSON reader every few thousand
 * tokens, deflate of a large payload between chunks), at points where all
 * they hold was allocated here: so it may leave by longjmp, as the glue's
 * CHECK_FOR_INTERRUPTS does, when this allocator's memory is released by
 * the same longjmp (a PostgreSQL memory context).
 */
typedef struct shc_allocator
{
	void	   *(*alloc) (size_t size, void *ctx);
	void	   *(*realloc) (void *ptr, size_t oldsize, size_t size, void *ctx);
	void		(*free) (void *ptr, void *ctx);
	void	   *ctx;
	void		(*interrupt) (void *ctx);
} shc_allocator;

/* the value of one hexadecimal digit (either case), or -1 */
static inline int
shc_hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#define SHC_INTERRUPT_POINT(a) \
	do { if ((a)->interrupt) (a)->interrupt((a)->ctx); } while (0)

/* malloc/realloc/free */
extern const shc_allocator shc_default_allocator;

/*
 * Growable byte buffer.  data is always NUL-terminated (the NUL is not
 * counted in len) so text outputs can be used as C strings.  A buffer whose
 * allocation failed stays failed: later appends are no-ops and
 * shc_buf_status() reports SHC_ERR_NOMEM, so writers can append freely and
 * check once at the end.
 */
typedef struct shc_buf
{
	char	   *data;
	size_t		len;
	size_t		cap;
	size_t		max;			/* hard limit on len, 0 = none */
	bool		failed;			/* allocation failed */
	bool		overflow;		/* max exceeded */
	const shc_allocator *a;
} shc_buf;

void		shc_buf_init(shc_buf *b, const shc_allocator *a, size_t max);
bool		shc_buf_reserve(shc_buf *b, size_t extra);
void		shc_buf_append_slow(shc_buf *b, const void *p, size_t n);
void		shc_buf_append_str(shc_buf *b, const char *s);

/*
 * Append n bytes.  Inline for the same reason as shc_buf_append_char
 * below: the common case (room, not failed, no limit in the way) is a
 * memcpy; anything else goes through shc_buf_append_slow.
 */
static inline void
shc_buf_append(shc_buf *b, const void *p, size_t n)
{
	if (n < b->cap && b->len + n + 1 <= b->cap && !b->failed && !b->overflow &&
		(b->max == 0 || b->len + n <= b->max))
	{
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return;
	}
	shc_buf_append_slow(b, p, n);
}
shc_status	shc_buf_status(const shc_buf *b, shc_error *err);

/*
 * Append one byte.  Inline: JSON writers call it for every separator.  The
 * common case (room for c and the NUL, buffer not failed, no limit in the
 * way) writes in place; anything else goes through shc_buf_append_slow.
 */
static inline void
shc_buf_append_char(shc_buf *b, char c)
{
	if (b->len + 2 <= b->cap && !b->failed && !b->overflow &&
		(b->max == 0 || b->len + 1 <= b->max))
	{
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return;
	}
	shc_buf_append_slow(b, &c, 1);
}

/* Give up ownership of the data (caller frees with b->a). */
char	   *shc_buf_release(shc_buf *b, size_t *len);
void		shc_buf_free(shc_buf *b);

/* Overwrite memory that held secrets; not optimized away. */
void		shc_memzero(void *p, size_t n);

#endif							/* SHC_CORE_H */
