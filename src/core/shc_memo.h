/*
 * shc_memo.h
 *		The signature memo: a bounded set of signature checks that already
 *		succeeded, so that verifying the same card again with the same
 *		trusted key skips ECDSA (issue 16; docs/performance.md).
 *
 * What an entry means, and nothing more: "this exact signing input and
 * this exact signature verify under this public key, trusted for this
 * issuer".  The entry is a 32-byte key,
 *
 *   SHA-256("shc-memo-v2" || SHA-256(signing input) || len(sig) || sig ||
 *           key identity)
 *   key identity = SHA-256("shc-memo-key-v2" || len(iss) || iss ||
 *                          len(x) || x || len(y) || y)
 *
 * where x and y are the trusted key's full public coordinates (not its
 * kid); the key identity is computed once per trusted key (when the trust
 * cache is loaded), so a check hashes 148 bytes in one call.  So a card altered by one byte, another key with the same kid, or
 * the same key trusted for another issuer never finds the entry.  Nothing
 * time- or trust-dependent is stored: the caller still decides whether the
 * key is trusted, current and not revoked on every call, and looks the memo
 * up only with a key the trust store holds right now.
 *
 * The table is set-associative: buckets of SHC_MEMO_WAYS entries, the bucket
 * chosen by the key's first bytes (the key is a hash already), eviction by
 * a clock hand within the bucket (an entry found since the hand last passed
 * gets a second chance).  The bucket functions work on any array of buckets,
 * so the glue can keep one table per backend (shc_memo below) and one in
 * shared memory under its own locks.
 */
#ifndef SHC_MEMO_H
#define SHC_MEMO_H

#include "shc_core.h"

#define SHC_MEMO_KEY_LEN 32
#define SHC_MEMO_WAYS 8

/*
 * A bucket's first 48 bytes say what its ways hold: a lookup that misses,
 * which is every first-time verification, reads them and no key (one or
 * two cache lines instead of all five); a key is compared only where its
 * tag matches.
 */
typedef struct shc_memo_bucket
{
	uint8_t		flags[SHC_MEMO_WAYS];	/* SHC_MEMO_USED | SHC_MEMO_REF */
	uint32_t	tags[SHC_MEMO_WAYS];	/* bytes 8..11 of each way's key */
	uint8_t		hand;			/* next way the clock looks at */
	uint8_t		keys[SHC_MEMO_WAYS][SHC_MEMO_KEY_LEN];
} shc_memo_bucket;

#define SHC_MEMO_USED 1
#define SHC_MEMO_REF 2

/* the longest issuer + coordinates text a key identity is made of */
#define SHC_MEMO_ID_TEXT_MAX 4096

/*
 * The identity of a trusted key (see above) into id: iss the issuer the
 * trust store holds the key for, x and y its public coordinates as
 * 43-character base64url text (as the trust store holds them).
 */
shc_status	shc_memo_key_id(uint8_t id[SHC_MEMO_KEY_LEN],
							const char *iss, size_t isslen,
							const char *x, size_t xlen, const char *y,
							size_t ylen, shc_error *err);

/*
 * The memo key of a signature check (see above) into key.  digest is the
 * SHA-256 of the signing input; sig the raw signature (at most 64 bytes);
 * key_id the identity of the trusted key that checks it.
 */
shc_status	shc_memo_key(uint8_t key[SHC_MEMO_KEY_LEN],
						 const uint8_t digest[32], const uint8_t *sig,
						 size_t siglen, const uint8_t key_id[SHC_MEMO_KEY_LEN],
						 shc_error *err);

/* The bucket of key in a table of nbuckets (> 0) buckets. */
size_t		shc_memo_bucket_of(const uint8_t key[SHC_MEMO_KEY_LEN],
							   size_t nbuckets);

/* Is key in bucket b?  A hit marks the entry recently used. */
bool		shc_memo_bucket_find(shc_memo_bucket *b,
								 const uint8_t key[SHC_MEMO_KEY_LEN]);

/*
 * Put key into bucket b (a key already there is only marked used).
 * Returns true when another entry was evicted to make room.
 */
bool		shc_memo_bucket_put(shc_memo_bucket *b,
								const uint8_t key[SHC_MEMO_KEY_LEN],
								bool *added);

/* Counters of one table. */
typedef struct shc_memo_stats
{
	uint64_t	hits;
	uint64_t	misses;
	uint64_t	inserts;
	uint64_t	evictions;
	uint64_t	entries;		/* entries held now */
	uint64_t	capacity;		/* entries the table may hold at most */
} shc_memo_stats;

/*
 * A table of one process: it starts small and doubles (rehashing) while it
 * is more than three quarters full, up to max_entries rounded down to whole
 * buckets; then it evicts.  Allocations go through the allocator; a failed
 * one leaves the table as it was (a memo that cannot grow only evicts more).
 */
typedef struct shc_memo
{
	shc_memo_bucket *buckets;
	size_t		nbuckets;
	size_t		max_buckets;
	const shc_allocator *a;
	shc_memo_stats stats;
} shc_memo;

/* An empty table holding at most max_entries (0: a memo that is off). */
void		shc_memo_init(shc_memo *m, size_t max_entries,
						  const shc_allocator *a);

/* Is key in the table?  Counts a hit or a miss. */
bool		shc_memo_lookup(shc_memo *m, const uint8_t key[SHC_MEMO_KEY_LEN]);

/* Remember key (after its signature verified). */
void		shc_memo_insert(shc_memo *m, const uint8_t key[SHC_MEMO_KEY_LEN]);

/* Forget every entry and free the table (counters are kept). */
void		shc_memo_reset(shc_memo *m);

#endif
