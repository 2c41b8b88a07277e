/*
 * shc_passcode.h
 *		Slow salted hashes of SMART Health Link passcodes (SHC-NOTES 15):
 *		scrypt (RFC 7914) through OpenSSL's EVP_PBE_scrypt, a 16-byte salt
 *		from the CSPRNG, a 32-byte hash, and the parameters kept with the
 *		hash so they can be raised later without breaking stored links.
 *
 * Stored form (ASCII): "scrypt$<log2 N>$<r>$<p>$<salt b64url>$<hash b64url>".
 */
#ifndef SHC_PASSCODE_H
#define SHC_PASSCODE_H

#include "shc_core.h"

/* Defaults: N = 2^14, r = 8, p = 1 (16 MiB per check).  Attempts are
 * limited per link, so the cost guards only a stolen table. */
#define SHC_PASSCODE_LOG2N 14
#define SHC_PASSCODE_R 8
#define SHC_PASSCODE_P 1
#define SHC_PASSCODE_MAX_LEN 1024	/* bytes of a passcode */

/*
 * Hash pass[0..n) with cost log2n (10..20), r (1..16), p (1..4) and append
 * the stored form to out.  SHC_ERR_LIMIT for an empty or too long
 * passcode or parameters out of range; SHC_ERR_INTERNAL if OpenSSL fails.
 */
shc_status	shc_passcode_hash(const char *pass, size_t n, int log2n, int r,
							  int p, shc_buf *out, shc_error *err);

/*
 * Check pass[0..n) against a stored form (NUL-terminated).  *match is set
 * (constant-time comparison).  SHC_ERR_KEY when the stored form is
 * malformed or its parameters are out of range.
 */
shc_status	shc_passcode_verify(const char *pass, size_t n, const char *stored,
								bool *match, shc_error *err);

#endif
