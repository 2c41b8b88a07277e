/*
 * shc_rid.h
 *		Revocation identifiers (SHC-NOTES section 10): the spec's HMAC
 *		recipe and the per-issuer secret it is keyed with.
 *
 * Recipe, with the exact byte semantics of the spec's example generator:
 *   rid = base64url( HMAC-SHA-256( key = UTF-8(secret || kid),
 *                                  msg = UTF-8(subject) )[0..8] )
 * The secret is used as the text it is stored as (43 base64url characters
 * for a generated one), never decoded; the result has 11 characters.
 */
#ifndef SHC_RID_H
#define SHC_RID_H

#include "shc_core.h"

#define SHC_RID_SECRET_BYTES 32	/* 256-bit random, SHC-NOTES 10 */
#define SHC_RID_SECRET_LEN 43	/* base64url of SHC_RID_SECRET_BYTES */
#define SHC_RID_SECRET_MAX_LEN 256	/* longest secret text accepted */
#define SHC_RID_KID_MAX_LEN 64	/* longest kid the recipe accepts */
#define SHC_RID_HMAC_LEN 11		/* base64url of the first 8 digest bytes */

/*
 * Generate a secret: SHC_RID_SECRET_BYTES from OpenSSL's CSPRNG, written
 * as base64url text into out (SHC_RID_SECRET_LEN + 1 bytes, NUL-terminated).
 * The raw bytes are wiped.  SHC_ERR_INTERNAL when the generator fails.
 */
shc_status	shc_rid_secret_generate(char *out, shc_error *err);

/*
 * A secret made elsewhere: SHC_RID_SECRET_LEN to SHC_RID_SECRET_MAX_LEN
 * characters of the base64url alphabet (at least 256 bits of text).
 * SHC_ERR_KEY otherwise; the detail never quotes the secret.
 */
shc_status	shc_rid_secret_check(const char *secret, size_t n, shc_error *err);

/*
 * The rid of subject under (secret, kid), written into out
 * (SHC_RID_HMAC_LEN + 1 bytes, NUL-terminated).  The secret is not checked
 * here (check it when storing it); secret and kid together may not exceed
 * SHC_RID_SECRET_MAX_LEN + SHC_RID_KID_MAX_LEN bytes (SHC_ERR_LIMIT).  The
 * HMAC key buffer and the digest are wiped.  SHC_ERR_INTERNAL when
 * OpenSSL fails.
 */
shc_status	shc_rid_hmac(const char *secret, size_t secretlen,
						 const char *kid, size_t kidlen,
						 const char *subject, size_t subjectlen,
						 char *out, shc_error *err);

#endif
