/*
 * shc_trust.h
 *		The verifier's trust store as seen from C: a per-backend cache of the
 *		trusted issuers, their public keys bound to (iss, kid) and the keys'
 *		revocation lists and x5c verdicts, loaded with SPI as the tables'
 *		owner and reloaded when the snapshot in use sees another generation
 *		of the trust store.
 */
#ifndef SHC_TRUST_H
#define SHC_TRUST_H

#include "postgres.h"

#include "core/shc_es256.h"
#include "core/shc_x509.h"

typedef struct shc_trust_rid
{
	const char *rid;
	bool		has_ts;
	double		ts;
	const char *entry;			/* the CRL entry as loaded */
} shc_trust_rid;

typedef struct shc_trust_key
{
	const char *iss;
	char		kid[SHC_KID_LEN + 1];
	char		x[SHC_COORD_B64_LEN + 1];
	char		y[SHC_COORD_B64_LEN + 1];
	int			crl_version;	/* the JWK's crlVersion, 0 when absent */
	bool		has_crl;
	int			crl_ctr;
	int			nrids;
	shc_trust_rid *rids;		/* sorted by rid */
	bool		rids_external;	/* a long list: searched in shc_trusted_rid */
	uint8_t		memo_id[32];	/* the signature memo's identity of (iss, x, y) */
	shc_ec_key *pkey;			/* parsed on first use; freed on reset */
	bool		pkey_bad;

	/*
	 * x5c (SHC-NOTES 5 and 6): the chain is checked without time against
	 * the trust anchors when the cache is loaded; shc_verify applies the
	 * policy and its own time (shc_x5c_window_check) to what is kept.
	 */
	int			x5c_policy;		/* the issuer's shc_x5c_policy row
								 * (SHC_X5C_POLICY_*), -1: the setting */
	bool		has_x5c;
	shc_x5c_result x5c_result;	/* the time-free verdict, when has_x5c */
	const char *x5c_reason;		/* its sentence, when not valid */
	shc_x5c_window *x5c_window; /* the chain's periods, when valid */
} shc_trust_key;

/*
 * Make sure the cache holds the trust tables of schema nsp as the current
 * snapshot sees them (src/shc_trust.c, "Snapshot").  Warm and on a snapshot
 * already seen: no table access at all.
 */
void		shc_trust_cache_ensure(Oid nsp);

/* Is iss a trusted issuer? */
bool		shc_trust_issuer_known(const char *iss, size_t len);

/*
 * The trusted keys with this kid (under any issuer), as a pointer to the
 * first and a count; 0 when none.  Every entry of one kid holds the same
 * key (kid is its thumbprint).  Valid until the next
 * shc_trust_cache_ensure().
 */
int			shc_trust_keys_by_kid(const char *kid, size_t len,
								  shc_trust_key **first);

/*
 * The key trusted for exactly this (iss, kid), or NULL: one lookup.  Valid
 * until the next shc_trust_cache_ensure().
 */
shc_trust_key *shc_trust_key_find(const char *iss, size_t isslen,
								  const char *kid, size_t kidlen);

/* The parsed public key of an entry, or NULL when it cannot be parsed. */
shc_ec_key *shc_trust_key_pkey(shc_trust_key *k);

/*
 * Revocation lists of at most this many entries are held in the cache; the
 * entries of longer ones are looked up in the index of shc_trusted_rid.
 */
#define SHC_CRL_CACHED 1000

/* The CRL entry of k that names rid, or NULL (palloc'd for long lists). */
shc_trust_rid *shc_trust_crl_find(shc_trust_key *k, const char *rid,
								  size_t len);

#endif
