/*
 * shc_issue.h
 *		Declarations shared by the issuing glue: the bundle minimizer
 *		(src/shc_minimize.c) and the key store and its per-backend cache of
 *		parsed signing keys (src/shc_keys.c), used by src/shc_issue.c.
 */
#ifndef SHC_ISSUE_H
#define SHC_ISSUE_H

#include "shc_glue.h"

#include "core/shc_es256.h"
#include "core/shc_rules.h"

/*
 * Raise unless jb is a JSON object with "resourceType": "Bundle".
 */
void		shc_bundle_check(Jsonb *jb);

/* The SHC-NOTES section 7 minimization of a checked bundle. */
Jsonb	   *shc_minimize_bundle(Jsonb *jb);

/*
 * The same minimization written straight to out as compact JSON, in one
 * pass: exactly the bytes shc_jsonb_write(out, &shc_minimize_bundle(jb)->root)
 * appends, and the same errors, raised in the same order.  Size and
 * allocation failures are left in out (check shc_buf_status).
 */
/*
 * Minimize jb and write it as compact JSON text into out; when rules is not
 * NULL, feed the rulebook's walk each event of that text
 * (shc_rule_fhir_event), so the caller need not read it again.
 */
void		shc_minimize_write(shc_buf *out, Jsonb *jb, shc_rule_walk *rules);

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
 * The rid of subject for cards signed with kid (src/shc_revoke.c): under
 * the current rid secret of the key's issuer, or the given version.
 * Writes SHC_RID_HMAC_LEN + 1 bytes into rid.  Reads the secret as the
 * extension owner; with latest, the key and the secret are read with the
 * latest snapshot, as the key that signs is chosen (issuing), else with the
 * transaction's.
 */
void		shc_rid_compute(text *kid, text *subject, bool latest, bool has_version,
							int32 version, char *rid);

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

/*
 * Push an error context callback that hides the statement and the context
 * of any error raised while it is active from the server log (errhidestmt,
 * errhidecontext): for functions whose arguments hold key material or
 * clinical data.  Pop it with shc_hide_statement_pop().
 */
void		shc_hide_statement_push(ErrorContextCallback *cb);
void		shc_hide_statement_pop(ErrorContextCallback *cb);

#endif
