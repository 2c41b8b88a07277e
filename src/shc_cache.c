/*
 * shc_cache.c
 *		Relcache-driven invalidation of the per-backend caches; see
 *		shc_cache.h for the mechanism.
 */
#include "shc_glue.h"

#include "commands/trigger.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "shc_cache.h"

#define MAX_RESET_FNS 8

static shc_cache_reset_fn reset_fns[MAX_RESET_FNS];
static int	n_reset_fns;
static Oid *watched;			/* in TopMemoryContext, grows as needed */
static int	n_watched;
static int	max_watched;

static void
relcache_callback(Datum arg, Oid relid)
{
	int			i;
	bool		hit = (relid == InvalidOid);	/* InvalidOid: "everything" */

	for (i = 0; !hit && i < n_watched; i++)
		hit = (watched[i] == relid);
	if (!hit)
		return;
	for (i = 0; i < n_reset_fns; i++)
		reset_fns[i] ();
}

void
shc_cache_init(void)
{
	CacheRegisterRelcacheCallback(relcache_callback, (Datum) 0);
}

void
shc_cache_on_reset(shc_cache_reset_fn fn)
{
	int			i;

	for (i = 0; i < n_reset_fns; i++)
		if (reset_fns[i] == fn)
			return;
	if (n_reset_fns >= MAX_RESET_FNS)
		elog(ERROR, "too many shc cache reset functions");
	reset_fns[n_reset_fns++] = fn;
}

void
shc_cache_watch(Oid relid)
{
	int			i;

	for (i = 0; i < n_watched; i++)
		if (watched[i] == relid)
			return;
	/*
	 * The list only grows (a dropped and re-created extension brings new
	 * OIDs); a stale OID costs one comparison per invalidation.
	 */
	if (n_watched >= max_watched)
	{
		int			n = max_watched ? max_watched * 2 : 16;

		watched = watched
			? repalloc(watched, n * sizeof(Oid))
			: MemoryContextAlloc(TopMemoryContext, n * sizeof(Oid));
		max_watched = n;
	}
	watched[n_watched++] = relid;
}

/*
 * shc_cache_invalidate_trigger() returns trigger
 *		Statement-level AFTER trigger on the extension's key and trust
 *		tables: queue a relcache invalidation of the table, so every backend
 *		drops what it cached from it once this transaction commits.
 */
PG_FUNCTION_INFO_V1(shc_cache_invalidate_trigger);
Datum
shc_cache_invalidate_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("shc_cache_invalidate_trigger() must be called as a trigger")));
	CacheInvalidateRelcacheByRelid(RelationGetRelid(trigdata->tg_relation));
	return PointerGetDatum(NULL);
}
