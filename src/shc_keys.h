/*
 * shc_keys.h
 *		The issuer key store of src/shc_keys.c: JWK parsing and the
 *		per-backend cache of parsed signing keys, used by the issuing
 *		functions (src/shc_issue.c).
 */
#ifndef SHC_KEYS_H
#define SHC_KEYS_H

#include "shc_glue.h"

#include "core/shc_es256.h"

/*
 * A signing key: the stored key's kid (recomputed from x, y), its issuer and
 * the parsed private key.  Owned by the per-backend cache unless must_free,
 * in which case the caller frees key with shc_ec_key_free() (and may pfree
 * the struct).  A cached key stays valid until the next catalog access:
 * sign right after getting it.
 */
typedef struct shc_signing_key
{
	char		kid[SHC_KID_LEN + 1];
	char	   *iss;
	shc_ec_key *key;
	bool		must_free;
	Oid		   *grantees;		/* roles allowed to sign for iss; none: all */
	int			ngrantees;
} shc_signing_key;

/*
 * The stored, active key with this kid, from the cache or loaded from the
 * key tables in schema nsp (the extension's schema).  Raises for a
 * malformed kid, an unknown key and a retired key.
 */
shc_signing_key *shc_signing_key_get(const char *kid, size_t kidlen, Oid nsp);

/*
 * The key shc_issue signs with for its key argument: a kid (that key; an
 * error when it is retired), or an issuer URL starting with "https://"
 * (the issuer's newest usable key at this moment, whatever the isolation
 * level).  Raises unless caller may sign for the key's issuer (issuers
 * with grants: superusers and members of a granted role only).  The key
 * stays valid until the next catalog access.
 */
shc_signing_key *shc_signing_key_for(const char *key, size_t keylen,
									 Oid caller);

/*
 * The stored, usable key with this kid (43 characters, NUL-terminated),
 * from the cache or the tables; NULL when it does not exist or is retired.
 * No grant check.
 */
shc_signing_key *shc_signing_key_lookup(const char *kid);

/*
 * Parse a JWK (kty EC, crv P-256, x, y; d when want_private, checked to
 * match x, y; use "sig" and alg "ES256" when present; a kid member must equal
 * the thumbprint).  Writes the thumbprint into kid.  Returns the key (caller
 * frees with shc_ec_key_free), or NULL when want_private is false and only
 * the thumbprint was asked for (out_key NULL).  Raises on any problem; the
 * error never contains d.
 */
shc_ec_key *shc_jwk_parse(Jsonb *jwk, bool want_private, bool want_key,
						  char *kid);

#endif
