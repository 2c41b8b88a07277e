/*
 * shc_cache.h
 *		Invalidation of per-backend caches (parsed signing keys, trusted
 *		public keys) when the tables they were loaded from change, in this
 *		session or any other.
 *
 * Mechanism: each watched table carries the statement-level trigger
 * shc_cache_invalidate_trigger(), which queues a relcache invalidation for
 * the table.  PostgreSQL delivers it to every backend after the commit
 * (transactional: a rolled-back change invalidates nothing), and our relcache
 * callback then runs every registered reset function.  A cache loader calls
 * shc_cache_watch() with the OIDs it read, so unrelated relcache traffic
 * does not flush the caches.  A reset function must only drop state (no
 * catalog access, no errors): the next use reloads.
 */
#ifndef SHC_CACHE_H
#define SHC_CACHE_H

#include "postgres.h"

typedef void (*shc_cache_reset_fn) (void);

/* Called from _PG_init. */
void		shc_cache_init(void);

/* Run fn whenever a watched table is invalidated (at most 8 functions). */
void		shc_cache_on_reset(shc_cache_reset_fn fn);

/* Watch a table's relcache invalidations (idempotent). */
void		shc_cache_watch(Oid relid);

#endif
