/*
 * shc_memo.c
 *		The one signature check of the card readers, with its memo (issue
 *		16, docs/performance.md "Signature memo"): the per-backend table in
 *		a memory context of its own, the optional table in shared memory
 *		when shc is in shared_preload_libraries, their settings and
 *		shc_stats().
 *
 * What the memo may answer: "this signing input and signature verify under
 * this public key of this trusted issuer" (src/core/shc_memo.h).  It is
 * consulted only after the trust store has given the key for the card's
 * kid, so untrusting an issuer, removing or replacing a key, and CRLs act
 * on the next call exactly as without the memo: the caller never reaches
 * the memo with a key the store no longer holds, and everything after the
 * signature (issuer binding, time, revocation) is checked on every call.
 */
#include "shc_glue.h"

#include "funcapi.h"
#include "miscadmin.h"
#include "port/atomics.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "core/shc_memo.h"
#include "core/shc_verify.h"
#include "shc_memo.h"

int			shc_signature_memo_size = 16 * 1024;	/* kB */
int			shc_shared_signature_memo_size = 0;	/* kB; 64 MB when preloaded */

/* ---------------------------------------------------------------------
 * The table of this backend
 * --------------------------------------------------------------------- */

static shc_memo local;
static int	local_kb = -1;		/* the size local was set up for */
static MemoryContext memo_cxt;

static void *
memo_alloc(size_t size, void *ctx)
{
	return MemoryContextAllocExtended((MemoryContext) ctx, size,
									  MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
}

static void
memo_free(void *ptr, void *ctx)
{
	pfree(ptr);
}

static shc_allocator memo_allocator = {memo_alloc, NULL, memo_free, NULL, NULL};

/* the local table, set up (again) for the current setting; NULL when off */
static shc_memo *
local_memo(void)
{
	if (local_kb != shc_signature_memo_size)
	{
		shc_memo_stats keep = local.stats;

		if (memo_cxt == NULL)
		{
			memo_cxt = AllocSetContextCreate(TopMemoryContext, "shc signature memo",
											 ALLOCSET_SMALL_SIZES);
			memo_allocator.ctx = memo_cxt;
		}
		shc_memo_reset(&local);
		shc_memo_init(&local, (size_t) shc_signature_memo_size * 1024 /
					  sizeof(shc_memo_bucket) * SHC_MEMO_WAYS, &memo_allocator);
		/* the counters run on across a resize */
		local.stats.hits = keep.hits;
		local.stats.misses = keep.misses;
		local.stats.inserts = keep.inserts;
		local.stats.evictions = keep.evictions;
		local_kb = shc_signature_memo_size;
	}
	return local.max_buckets > 0 ? &local : NULL;
}

/* ---------------------------------------------------------------------
 * The table in shared memory (only when preloaded)
 * --------------------------------------------------------------------- */

/* buckets are spread over this many locks */
#define SHARED_PARTITIONS 128
#define SHARED_TRANCHE "shc signature memo"

typedef struct shared_memo
{
	uint64		nbuckets;
	pg_atomic_uint64 hits;
	pg_atomic_uint64 misses;
	pg_atomic_uint64 inserts;
	pg_atomic_uint64 evictions;
	pg_atomic_uint64 entries;
	LWLockPadded *locks;
	shc_memo_bucket buckets[FLEXIBLE_ARRAY_MEMBER];
} shared_memo;

static shared_memo *shared;
static shmem_request_hook_type prev_shmem_request_hook;
static shmem_startup_hook_type prev_shmem_startup_hook;

static Size
shared_bytes(void)
{
	Size		nb = (Size) shc_shared_signature_memo_size * 1024 / sizeof(shc_memo_bucket);

	return offsetof(shared_memo, buckets) + nb * sizeof(shc_memo_bucket);
}

static void
shared_request(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	if (shc_shared_signature_memo_size > 0)
	{
		RequestAddinShmemSpace(shared_bytes());
		RequestNamedLWLockTranche(SHARED_TRANCHE, SHARED_PARTITIONS);
	}
}

static void
shared_startup(void)
{
	bool		found;
	Size		bytes;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();
	if (shc_shared_signature_memo_size <= 0)
		return;
	bytes = shared_bytes();
	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	shared = ShmemInitStruct(SHARED_TRANCHE, bytes, &found);
	if (!found)
	{
		memset(shared, 0, bytes);
		shared->nbuckets = (bytes - offsetof(shared_memo, buckets)) / sizeof(shc_memo_bucket);
		pg_atomic_init_u64(&shared->hits, 0);
		pg_atomic_init_u64(&shared->misses, 0);
		pg_atomic_init_u64(&shared->inserts, 0);
		pg_atomic_init_u64(&shared->evictions, 0);
		pg_atomic_init_u64(&shared->entries, 0);
		shared->locks = GetNamedLWLockTranche(SHARED_TRANCHE);
	}
	LWLockRelease(AddinShmemInitLock);
	if (shared->nbuckets == 0)
		shared = NULL;
}

static LWLock *
shared_lock(size_t bucket)
{
	return &shared->locks[bucket % SHARED_PARTITIONS].lock;
}

static bool
shared_lookup(const uint8_t *key)
{
	size_t		b = shc_memo_bucket_of(key, shared->nbuckets);
	bool		hit;

	/* exclusive: a hit sets the entry's recently-used mark */
	LWLockAcquire(shared_lock(b), LW_EXCLUSIVE);
	hit = shc_memo_bucket_find(&shared->buckets[b], key);
	LWLockRelease(shared_lock(b));
	pg_atomic_fetch_add_u64(hit ? &shared->hits : &shared->misses, 1);
	return hit;
}

static void
shared_insert(const uint8_t *key)
{
	size_t		b = shc_memo_bucket_of(key, shared->nbuckets);
	bool		evicted,
				added;

	LWLockAcquire(shared_lock(b), LW_EXCLUSIVE);
	evicted = shc_memo_bucket_put(&shared->buckets[b], key, &added);
	LWLockRelease(shared_lock(b));
	if (added)
		pg_atomic_fetch_add_u64(&shared->inserts, 1);
	if (evicted)
		pg_atomic_fetch_add_u64(&shared->evictions, 1);
	else if (added)
		pg_atomic_fetch_add_u64(&shared->entries, 1);
}

void
shc_memo_init_module(void)
{
	DefineCustomIntVariable("shc.signature_memo_size",
							"Memory for each session's memo of signatures already verified, in kB; 0 turns it off.",
							"Each entry takes about 33 bytes; the memo grows with use up to this size, then evicts.",
							&shc_signature_memo_size,
							16 * 1024, 0, 1024 * 1024,
							PGC_SUSET, GUC_UNIT_KB,
							NULL, NULL, NULL);
	/*
	 * The shared memo exists only when shc is preloaded (its setting can
	 * be defined only then: it sizes shared memory at server start).
	 */
	if (process_shared_preload_libraries_in_progress)
	{
		DefineCustomIntVariable("shc.shared_signature_memo_size",
								"Shared memory for the memo of signatures already verified, shared by all sessions, in kB; 0 turns it off.",
								"Defined only when shc is in shared_preload_libraries.",
								&shc_shared_signature_memo_size,
								64 * 1024, 0, 64 * 1024 * 1024,
								PGC_POSTMASTER, GUC_UNIT_KB,
								NULL, NULL, NULL);
		prev_shmem_request_hook = shmem_request_hook;
		shmem_request_hook = shared_request;
		prev_shmem_startup_hook = shmem_startup_hook;
		shmem_startup_hook = shared_startup;
	}
}

/* ---------------------------------------------------------------------
 * The check
 * --------------------------------------------------------------------- */

/*
 * The shared table's key of a check: the memo key with the database's OID
 * folded into the bytes that choose the bucket and the tag (issue 22).  A
 * check made in one database is never found from another, so neither
 * shc_stats() nor the time a verification takes tells a role of one
 * database which cards were verified in another.
 */
static void
shared_key(const uint8_t *key, uint8_t *skey)
{
	uint32		db = (uint32) MyDatabaseId;
	int			i;

	memcpy(skey, key, SHC_MEMO_KEY_LEN);
	for (i = 0; i < 4; i++)
	{
		skey[i] ^= (uint8_t) (db >> (8 * i));
		skey[8 + i] ^= (uint8_t) (db >> (8 * i));
	}
}

shc_status
shc_signature_check(const shc_jws_parts *p, const uint8_t *digest,
					const uint8_t *key_id, const shc_ec_key *pk,
					shc_error *err)
{
	uint8_t		sig[SHC_ES256_SIG_LEN];
	uint8_t		key[SHC_MEMO_KEY_LEN];
	uint8_t		skey[SHC_MEMO_KEY_LEN];
	shc_memo   *m;
	shc_status	st;

	if ((st = shc_jws_signature_decode(p, sig, err)) != SHC_OK)
		return st;
	m = local_memo();
	if (m == NULL && shared == NULL)
		return shc_es256_verify_digest(pk, digest, sig, sizeof(sig), err);

	if ((st = shc_memo_key(key, digest, sig, sizeof(sig), key_id, err)) != SHC_OK)
		return st;
	if (m != NULL && shc_memo_lookup(m, key))
		return SHC_OK;
	if (shared != NULL)
		shared_key(key, skey);
	if (shared != NULL && shared_lookup(skey))
	{
		if (m != NULL)
			shc_memo_insert(m, key);
		return SHC_OK;
	}
	/* SHC-NOTES 3: the digest is of the exact received bytes */
	st = shc_es256_verify_digest(pk, digest, sig, sizeof(sig), err);
	if (st == SHC_OK)
	{
		if (m != NULL)
			shc_memo_insert(m, key);
		if (shared != NULL)
			shared_insert(skey);
	}
	return st;
}

/* ---------------------------------------------------------------------
 * shc_stats() returns table (memo text, capacity bigint, entries bigint,
 *   hits bigint, misses bigint, inserts bigint, evictions bigint)
 * --------------------------------------------------------------------- */

static void
stats_row(ReturnSetInfo *rsinfo, const char *name, uint64 capacity,
		  uint64 entries, uint64 hits, uint64 misses, uint64 inserts,
		  uint64 evictions)
{
	Datum		values[7];
	bool		nulls[7] = {0};

	values[0] = CStringGetTextDatum(name);
	values[1] = Int64GetDatum((int64) capacity);
	values[2] = Int64GetDatum((int64) entries);
	values[3] = Int64GetDatum((int64) hits);
	values[4] = Int64GetDatum((int64) misses);
	values[5] = Int64GetDatum((int64) inserts);
	values[6] = Int64GetDatum((int64) evictions);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

PG_FUNCTION_INFO_V1(shc_stats_sql);
Datum
shc_stats_sql(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	(void) local_memo();
	stats_row(rsinfo, "backend", local.stats.capacity, local.stats.entries,
			  local.stats.hits, local.stats.misses, local.stats.inserts,
			  local.stats.evictions);
	if (shared != NULL)
		stats_row(rsinfo, "shared", shared->nbuckets * SHC_MEMO_WAYS,
				  pg_atomic_read_u64(&shared->entries),
				  pg_atomic_read_u64(&shared->hits),
				  pg_atomic_read_u64(&shared->misses),
				  pg_atomic_read_u64(&shared->inserts),
				  pg_atomic_read_u64(&shared->evictions));
	return (Datum) 0;
}

/*
 * shc_memo_clear() returns void: forget every entry of this session's memo
 * and of the shared one (the counters run on).  Nothing depends on it for
 * correctness; it is for measuring first-time verification and for an
 * administrator who wants the memo empty.
 */
PG_FUNCTION_INFO_V1(shc_memo_clear_sql);
Datum
shc_memo_clear_sql(PG_FUNCTION_ARGS)
{
	shc_memo_reset(&local);
	local_kb = -1;
	if (shared != NULL)
	{
		uint64		i;

		for (i = 0; i < shared->nbuckets; i++)
		{
			LWLock	   *lock = shared_lock(i);
			int			w,
						n = 0;

			LWLockAcquire(lock, LW_EXCLUSIVE);
			for (w = 0; w < SHC_MEMO_WAYS; w++)
				n += (shared->buckets[i].flags[w] & SHC_MEMO_USED) != 0;
			memset(&shared->buckets[i], 0, sizeof(shc_memo_bucket));
			LWLockRelease(lock);
			if (n > 0)
				pg_atomic_fetch_sub_u64(&shared->entries, n);
		}
	}
	PG_RETURN_VOID();
}
