/*
 * shc_trust.c
 *		The verifier's offline trust store: shc_trust(), shc_trust_crl(),
 *		shc_untrust(), and the per-backend cache of trusted keys that
 *		shc_verify() reads (SHC-NOTES sections 5, 10 and 12 steps 7-8, 11).
 *
 * Cache: the whole trust store (issuers, keys with their coordinates and
 * crlVersion, CRL entries, the issuer's x5c policy and the verdict of the
 * key's x5c chain against the trust anchors) is read with SPI into a
 * memory context under TopMemoryContext, sorted for binary search; the
 * OpenSSL key of an entry is built on its first use.  Lookups of unknown
 * issuers and kids are answered from memory too.  An x5c chain is checked
 * once per load, without time (shc_x5c_chain_check); shc_verify applies
 * its own time to the validity periods kept.
 *
 * Snapshot: the cache belongs to one generation of the trust store
 * (shc_trust_generation, +1 by every statement that writes a trust table,
 * in the writing transaction).  Once per new snapshot shc_trust_cache_ensure
 * reads the generation that snapshot sees; when it differs from the
 * cache's, the cache is read again under that very snapshot.  So a query
 * sees the trust store of its own snapshot, whatever the isolation level,
 * and a parallel worker (which runs under its leader's snapshot) loads
 * exactly what the leader sees.
 *
 * Security: the cache is read as the owner of the trust tables, as a
 * security-restricted operation with search_path = pg_catalog, pg_temp, so
 * it is the same for every role of the backend; a key whose kid is not
 * the thumbprint of its coordinates is never loaded.  The write functions
 * run as the extension owner (SECURITY DEFINER, granted to
 * shc_trust_admin) and name every table shc.<name>.
 */
#include "shc_glue.h"

#include "access/genam.h"
#include "access/skey.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/guc.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "miscadmin.h"

#include "core/shc_card.h"
#include "core/shc_memo.h"
#include "core/shc_verify.h"
#include "shc_cache.h"
#include "shc_scale.h"
#include "shc_trust.h"
#include "shc_x509_glue.h"

typedef struct trust_cache
{
	MemoryContext cxt;
	Oid			nsp;
	int64		generation;		/* of shc_trust_generation it was loaded at */
	int			nissuers;
	char	  **issuers;		/* sorted */
	int			nkeys;
	shc_trust_key *keys;		/* sorted by kid, then iss */
	Oid			rid_table;		/* shc_trusted_rid and its primary key */
	Oid			rid_index;
} trust_cache;

static trust_cache *cache;
static bool callbacks_registered;

/*
 * The last snapshot whose generation was read: a snapshot with the same
 * horizon, command id and transaction-completion count sees the same rows,
 * so the generation is read once per new snapshot, not once per card.
 * Forgotten at the end of every (sub)transaction.
 */
typedef struct seen_snapshot
{
	bool		valid;
	Oid			nsp;
	TransactionId xmin;
	TransactionId xmax;
	TransactionId topxid;
	CommandId	curcid;
	uint64		completions;
	uint32		xcnt;
	TransactionId xip[16];		/* compared when completions is 0 */
} seen_snapshot;

static seen_snapshot seen;

/* ---------------------------------------------------------------------
 * cache reset and lookups
 * --------------------------------------------------------------------- */

static void
trust_reset(void)
{
	trust_cache *c = cache;
	int			i;

	if (c == NULL)
		return;
	cache = NULL;
	for (i = 0; i < c->nkeys; i++)
		shc_ec_key_free(c->keys[i].pkey);
	MemoryContextDelete(c->cxt);
}

static void
trust_xact_callback(XactEvent event, void *arg)
{
	seen.valid = false;
}

static void
trust_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
					   SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
		seen.valid = false;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

static int
cmp_key(const void *a, const void *b)
{
	const shc_trust_key *ka = a;
	const shc_trust_key *kb = b;
	int			r = strcmp(ka->kid, kb->kid);

	return r ? r : strcmp(ka->iss, kb->iss);
}

static int
cmp_rid(const void *a, const void *b)
{
	return strcmp(((const shc_trust_rid *) a)->rid, ((const shc_trust_rid *) b)->rid);
}

bool
shc_trust_issuer_known(const char *iss, size_t len)
{
	int			lo = 0,
				hi;

	if (cache == NULL)
		return false;
	hi = cache->nissuers - 1;
	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;
		const char *s = cache->issuers[mid];
		int			r = strncmp(s, iss, len);

		if (r == 0 && s[len] != '\0')
			r = 1;
		if (r == 0)
			return true;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return false;
}

int
shc_trust_keys_by_kid(const char *kid, size_t len, shc_trust_key **first)
{
	int			lo = 0,
				hi,
				found = -1,
				n = 0;

	*first = NULL;
	if (cache == NULL || len != SHC_KID_LEN)
		return 0;
	hi = cache->nkeys - 1;
	/* leftmost entry with this kid */
	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;
		int			r = strncmp(cache->keys[mid].kid, kid, len);

		if (r == 0)
			found = mid;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	if (found < 0)
		return 0;
	while (found + n < cache->nkeys &&
		   strncmp(cache->keys[found + n].kid, kid, len) == 0)
		n++;
	*first = &cache->keys[found];
	return n;
}

shc_trust_key *
shc_trust_key_find(const char *iss, size_t isslen, const char *kid,
				   size_t kidlen)
{
	int			lo = 0,
				hi;

	if (cache == NULL || kidlen != SHC_KID_LEN)
		return NULL;
	hi = cache->nkeys - 1;
	/* one binary search on (kid, iss), the order the entries are sorted in */
	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;
		shc_trust_key *k = &cache->keys[mid];
		int			r = strncmp(k->kid, kid, kidlen);

		if (r == 0)
		{
			r = strncmp(k->iss, iss, isslen);
			if (r == 0 && k->iss[isslen] != '\0')
				r = 1;
		}
		if (r == 0)
			return k;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

shc_ec_key *
shc_trust_key_pkey(shc_trust_key *k)
{
	shc_error	err;

	if (k->pkey == NULL && !k->pkey_bad)
	{
		/* coordinates were checked by shc_trust(); this cannot fail */
		if (shc_es256_key_from_jwk(k->x, strlen(k->x), k->y, strlen(k->y),
								   NULL, 0, &k->pkey, &err) != SHC_OK)
			k->pkey_bad = true;
	}
	return k->pkey;
}

/*
 * The entry of a long revocation list that names rid, read from the index
 * of shc_trusted_rid under the active snapshot (the one the cache was
 * checked against): a plain index scan, no SQL.
 */
static shc_trust_rid *
crl_find_external(shc_trust_key *k, const char *rid, size_t len)
{
	Relation	rel = table_open(cache->rid_table, AccessShareLock);
	Relation	idx = index_open(cache->rid_index, AccessShareLock);
	ScanKeyData keys[3];
	const char *vals[3] = {k->iss, k->kid, pnstrdup(rid, len)};
	SysScanDesc scan;
	HeapTuple	tup;
	shc_trust_rid *found = NULL;
	int			i;

	for (i = 0; i < 3; i++)
		ScanKeyEntryInitialize(&keys[i], 0, i + 1, BTEqualStrategyNumber,
							   InvalidOid, idx->rd_indcollation[i], F_TEXTEQ,
							   CStringGetTextDatum(vals[i]));
	scan = systable_beginscan(rel, cache->rid_index, true,
							  ActiveSnapshotSet() ? GetActiveSnapshot() : GetTransactionSnapshot(),
							  3, keys);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
	{
		bool		isnull;
		Datum		d = heap_getattr(tup, 4, RelationGetDescr(rel), &isnull);
		char	   *e = isnull ? NULL : TextDatumGetCString(d);
		size_t		ridlen;
		bool		has_ts;
		double		ts;
		shc_error	err;

		if (e && shc_crl_entry_parse(e, strlen(e), &ridlen, &has_ts, &ts, &err) == SHC_OK &&
			ridlen == len && memcmp(e, rid, len) == 0)
		{
			found = palloc0(sizeof(shc_trust_rid));
			found->entry = e;
			found->rid = pnstrdup(e, ridlen);
			found->has_ts = has_ts;
			found->ts = ts;
		}
	}
	systable_endscan(scan);
	index_close(idx, AccessShareLock);
	table_close(rel, AccessShareLock);
	return found;
}

shc_trust_rid *
shc_trust_crl_find(shc_trust_key *k, const char *rid, size_t len)
{
	int			lo = 0,
				hi = k->nrids - 1;

	if (k->rids_external)
		return crl_find_external(k, rid, len);

	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;
		const char *s = k->rids[mid].rid;
		int			r = strncmp(s, rid, len);

		if (r == 0 && s[len] != '\0')
			r = 1;
		if (r == 0)
			return &k->rids[mid];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/* ---------------------------------------------------------------------
 * cache load
 * --------------------------------------------------------------------- */

static Oid
trust_table(Oid nsp, const char *name)
{
	Oid			relid = get_relname_relid(name, nsp);

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("trust table \"%s\" does not exist", name),
				 errhint("Reinstall the shc extension.")));
	return relid;
}

/*
 * The trust store's generation as snap sees it: the one row of
 * shc_trust_generation, read by a plain scan (no SQL, no operator, no
 * name but the table's, looked up in the extension's schema by OID).
 */
static int64
read_generation(Oid nsp, Snapshot snap)
{
	Relation	rel = table_open(trust_table(nsp, "shc_trust_generation"),
								 AccessShareLock);
	TableScanDesc scan = table_beginscan(rel, snap, 0, NULL);
	TupleTableSlot *slot = table_slot_create(rel, NULL);
	int64		gen = 0;

	if (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		bool		isnull;
		Datum		d = slot_getattr(slot, 2, &isnull);

		if (!isnull)
			gen = DatumGetInt64(d);
	}
	ExecDropSingleTupleTableSlot(slot);
	table_endscan(scan);
	table_close(rel, AccessShareLock);
	return gen;
}

static bool
snapshot_seen(Oid nsp, Snapshot s)
{
	return seen.valid && seen.nsp == nsp &&
		seen.xmin == s->xmin && seen.xmax == s->xmax &&
		seen.curcid == s->curcid && seen.topxid == GetTopTransactionIdIfAny() &&
		seen.completions == s->snapXactCompletionCount &&
		(s->snapXactCompletionCount != 0 ||
		 (seen.xcnt == s->xcnt &&
		  memcmp(seen.xip, s->xip, sizeof(TransactionId) * s->xcnt) == 0));
}

static void
snapshot_remember(Oid nsp, Snapshot s)
{
	seen.valid = s->snapXactCompletionCount != 0 ||
		(s->xcnt <= lengthof(seen.xip) && s->subxcnt == 0 && !s->suboverflowed);
	seen.nsp = nsp;
	seen.xmin = s->xmin;
	seen.xmax = s->xmax;
	seen.curcid = s->curcid;
	seen.topxid = GetTopTransactionIdIfAny();
	seen.completions = s->snapXactCompletionCount;
	seen.xcnt = s->xcnt;
	if (s->snapXactCompletionCount == 0 && s->xcnt <= lengthof(seen.xip))
		memcpy(seen.xip, s->xip, sizeof(TransactionId) * s->xcnt);
}

static void
run_query(const char *sql, Snapshot snap)
{
	SPIPlanPtr	plan = SPI_prepare(sql, 0, NULL);
	int			rc;

	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	rc = SPI_execute_snapshot(plan, NULL, NULL, snap, InvalidSnapshot,
							  true, false, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI query on the trust store failed: %s", SPI_result_code_string(rc));
}

/* Schema-qualified name of a relation, for SPI text. */
static const char *
qualified_name(Oid relid)
{
	return quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
									  get_rel_name(relid));
}

/* a policy of shc_x5c_policy as its SHC_X5C_POLICY_* value; -1: unknown */
static int
x5c_policy_value(const char *s)
{
	if (strcmp(s, "ignore") == 0)
		return SHC_X5C_POLICY_IGNORE;
	if (strcmp(s, "when_present") == 0)
		return SHC_X5C_POLICY_WHEN_PRESENT;
	if (strcmp(s, "required") == 0)
		return SHC_X5C_POLICY_REQUIRED;
	return -1;
}

/*
 * The x5c chain of key k (x5c, the JWK's member), checked without time
 * against the anchors (SHC-NOTES 5 and 6); the verdict, its sentence and
 * the chain's validity periods are kept in cxt.  Only a failure of the
 * machinery (memory) raises.
 */
static void
load_x5c(shc_trust_key *k, Jsonb *x5c, const uint8_t *const *anchors,
		 const size_t *anchorlens, int nanchors, MemoryContext cxt)
{
	JsonbValue	v;
	const char *certs[SHC_X5C_MAX_CERTS];
	size_t		certlens[SHC_X5C_MAX_CERTS];
	int			ncerts;
	char	   *why;
	char		reason[256];
	shc_x5c_window w;
	shc_error	err;

	k->has_x5c = true;
	if (JB_ROOT_IS_SCALAR(x5c))
		JsonbExtractScalar(&x5c->root, &v);
	else
	{
		v.type = jbvBinary;
		v.val.binary.data = &x5c->root;
		v.val.binary.len = VARSIZE(x5c) - VARHDRSZ;
	}
	if (!shc_x5c_jsonb_certs(&v, certs, certlens, &ncerts, &why))
	{
		k->x5c_result = SHC_X5C_MALFORMED;
		k->x5c_reason = MemoryContextStrdup(cxt, why);
		return;
	}
	if (shc_x5c_chain_check(certs, certlens, ncerts, k->x, strlen(k->x),
							k->y, strlen(k->y), k->iss, strlen(k->iss),
							anchors, anchorlens, nanchors, &k->x5c_result, &w,
							reason, sizeof(reason), &err) != SHC_OK)
		shc_raise(&err);
	if (k->x5c_result == SHC_X5C_VALID)
	{
		k->x5c_window = MemoryContextAlloc(cxt, sizeof(shc_x5c_window));
		memcpy(k->x5c_window, &w, sizeof(w));
	}
	else
		k->x5c_reason = MemoryContextStrdup(cxt, reason);
}

/* the trusted issuers, sorted (step 7's lookup is a binary search) */
static void
load_issuers(trust_cache *c, Oid issuer_rel, Snapshot snap)
{
	MemoryContext old;
	int			n,
				i;

	run_query(psprintf("SELECT iss FROM %s", qualified_name(issuer_rel)), snap);
	n = (int) SPI_processed;
	old = MemoryContextSwitchTo(c->cxt);
	c->nissuers = n;
	c->issuers = palloc(sizeof(char *) * Max(n, 1));
	for (i = 0; i < n; i++)
		c->issuers[i] = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
	MemoryContextSwitchTo(old);
	qsort(c->issuers, n, sizeof(char *), cmp_str);
}

/* the x5c trust anchors (DER), for the chain checks of load_key; a count */
static int
load_anchors(Oid anchor_rel, Snapshot snap, const uint8_t ***anchors,
			 size_t **anchorlens)
{
	int			n,
				i,
				nanchors = 0;

	run_query(psprintf("SELECT certificate FROM %s", qualified_name(anchor_rel)), snap);
	n = (int) SPI_processed;
	*anchors = palloc(sizeof(uint8_t *) * Max(n, 1));
	*anchorlens = palloc(sizeof(size_t) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);
		bytea	   *b;

		if (isnull)
			continue;
		b = DatumGetByteaPCopy(d);
		(*anchors)[nanchors] = (const uint8_t *) VARDATA(b);
		(*anchorlens)[nanchors++] = VARSIZE(b) - VARHDRSZ;
	}
	return nanchors;
}

/*
 * The entries of k's revocation list (a text[] of at most SHC_CRL_CACHED
 * + 1 entries), parsed and sorted by rid; a longer list is left in
 * shc_trusted_rid (k->rids_external).
 */
static void
load_crl_entries(shc_trust_key *k, Datum arr, MemoryContext cxt)
{
	Datum	   *elems;
	bool	   *nulls;
	int			nelems,
				j,
				nr = 0;
	shc_error	err;

	deconstruct_array(DatumGetArrayTypeP(arr), TEXTOID, -1, false,
					  TYPALIGN_INT, &elems, &nulls, &nelems);
	if (nelems > SHC_CRL_CACHED)
	{
		k->rids_external = true;
		nelems = 0;
	}
	k->rids = MemoryContextAllocZero(cxt, sizeof(shc_trust_rid) * Max(nelems, 1));
	for (j = 0; j < nelems; j++)
	{
		char	   *e;
		size_t		ridlen;
		bool		has_ts;
		double		ts;

		if (nulls[j])
			continue;
		e = MemoryContextStrdup(cxt, TextDatumGetCString(elems[j]));
		/* checked by shc_trust_crl(); skip what does not parse */
		if (shc_crl_entry_parse(e, strlen(e), &ridlen, &has_ts, &ts, &err) != SHC_OK)
			continue;
		k->rids[nr].entry = e;
		k->rids[nr].rid = MemoryContextStrdup(cxt, e);
		((char *) k->rids[nr].rid)[ridlen] = '\0';
		k->rids[nr].has_ts = has_ts;
		k->rids[nr].ts = ts;
		nr++;
	}
	k->nrids = nr;
	qsort(k->rids, nr, sizeof(shc_trust_rid), cmp_rid);
}

/*
 * One row of load_cache's key query into k: iss, kid, x, y, crl_version,
 * the list's ctr and entries, x5c, the issuer's x5c policy.  False, with
 * k untouched, for a row whose kid is not the RFC 7638 thumbprint of its
 * (x, y) (SHC-NOTES 5): the table's constraint enforces it, and a row that
 * breaks it anyway (written around the constraint) is never used.
 */
static bool
load_key(shc_trust_key *k, HeapTuple tup, TupleDesc td, const uint8_t **anchors,
		 size_t *anchorlens, int nanchors, MemoryContext cxt)
{
	char	   *kid = SPI_getvalue(tup, td, 2);
	char	   *x = SPI_getvalue(tup, td, 3);
	char	   *y = SPI_getvalue(tup, td, 4);
	char		thumb[SHC_KID_LEN + 1];
	shc_error	err;
	bool		isnull;
	Datum		d;

	if (kid == NULL || x == NULL || y == NULL ||
		strlen(x) != SHC_COORD_B64_LEN || strlen(y) != SHC_COORD_B64_LEN ||
		shc_jwk_thumbprint(x, strlen(x), y, strlen(y), thumb, &err) != SHC_OK ||
		strcmp(thumb, kid) != 0)
		return false;
	k->iss = MemoryContextStrdup(cxt, SPI_getvalue(tup, td, 1));
	strlcpy(k->kid, kid, sizeof(k->kid));
	strlcpy(k->x, x, sizeof(k->x));
	strlcpy(k->y, y, sizeof(k->y));
	if (shc_memo_key_id(k->memo_id, k->iss, strlen(k->iss), k->x, strlen(k->x),
						k->y, strlen(k->y), &err) != SHC_OK)
		shc_raise(&err);
	d = SPI_getbinval(tup, td, 5, &isnull);
	k->crl_version = isnull ? 0 : DatumGetInt32(d);
	d = SPI_getbinval(tup, td, 9, &isnull);
	k->x5c_policy = isnull ? -1 : x5c_policy_value(TextDatumGetCString(d));
	d = SPI_getbinval(tup, td, 8, &isnull);
	if (!isnull)
		load_x5c(k, DatumGetJsonbP(d), anchors, anchorlens, nanchors, cxt);
	d = SPI_getbinval(tup, td, 6, &isnull);
	if (!isnull)
	{
		k->has_crl = true;
		k->crl_ctr = DatumGetInt32(d);
		d = SPI_getbinval(tup, td, 7, &isnull);
		if (!isnull)
			load_crl_entries(k, d, cxt);
	}
	return true;
}

/*
 * The trusted keys with their lists, x5c verdicts and policies, sorted.
 * Rows whose kid is not their thumbprint are skipped: returns how many,
 * the first one's kid in *first_forged.
 */
static int
load_keys(trust_cache *c, Oid key_rel, Oid crl_rel, Oid policy_rel,
		  const uint8_t **anchors, size_t *anchorlens, int nanchors,
		  Snapshot snap, const char **first_forged)
{
	int			n,
				i,
				m = 0,
				forged = 0;

	/*
	 * The entries of a revocation list are copied only when there are at
	 * most SHC_CRL_CACHED entries (at most that many + 1 rows are read);
	 * a longer list is searched in shc_trusted_rid when a card has a rid.
	 */
	run_query(psprintf("SELECT k.iss, k.kid, k.jwk->>'x', k.jwk->>'y', k.crl_version, c.ctr,"
					   "       ARRAY(SELECT r.entry FROM %s r"
					   "              WHERE r.iss = k.iss AND r.kid = k.kid"
					   "              LIMIT " CppAsString2(SHC_CRL_CACHED) " + 1),"
					   "       k.jwk->'x5c', p.policy"
					   "  FROM %s k LEFT JOIN %s c USING (iss, kid)"
					   "       LEFT JOIN %s p ON p.iss = k.iss",
					   qualified_name(c->rid_table), qualified_name(key_rel),
					   qualified_name(crl_rel), qualified_name(policy_rel)),
			  snap);
	n = (int) SPI_processed;
	c->keys = MemoryContextAllocZero(c->cxt, sizeof(shc_trust_key) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		if (load_key(&c->keys[m], SPI_tuptable->vals[i], SPI_tuptable->tupdesc,
					 anchors, anchorlens, nanchors, c->cxt))
			m++;
		else if (forged++ == 0)
		{
			char	   *kid = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);

			*first_forged = MemoryContextStrdup(c->cxt, kid ? kid : "");
		}
	}
	c->nkeys = m;
	qsort(c->keys, m, sizeof(shc_trust_key), cmp_key);
	return forged;
}


/*
 * Read the trust store under snap into a new cache.  The reads run as the
 * owner of the trust tables (the extension's owner), as a security-
 * restricted operation, with search_path = pg_catalog, pg_temp: nothing the
 * calling role defined (an operator, a function, a temporary table, a
 * setting) can change what is read, so a cache filled under one role
 * holds exactly what it would hold under any other.
 */
static trust_cache *
load_cache(Oid nsp, Snapshot snap, int64 gen)
{
	MemoryContext cxt;
	trust_cache *c;
	Oid			owner,
				save_userid,
				issuer_rel,
				key_rel,
				crl_rel,
				anchor_rel,
				policy_rel;
	int			nanchors,
				forged;
	const char *first_forged = NULL;
	const uint8_t **anchors;
	size_t	   *anchorlens;
	int			save_sec_context,
				save_nestlevel;
	HeapTuple	reltup;

	reltup = SearchSysCache1(RELOID,
							 ObjectIdGetDatum(trust_table(nsp, "shc_trusted_key")));
	if (!HeapTupleIsValid(reltup))
		elog(ERROR, "cache lookup failed for the trusted key table");
	owner = ((Form_pg_class) GETSTRUCT(reltup))->relowner;
	ReleaseSysCache(reltup);

	cxt = AllocSetContextCreate(CurrentMemoryContext, "shc trust cache",
								ALLOCSET_SMALL_SIZES);
	c = MemoryContextAllocZero(cxt, sizeof(trust_cache));
	c->cxt = cxt;
	c->nsp = nsp;
	c->generation = gen;
	/*
	 * This node's copies of the tables: on a Citus node, the placements of
	 * the reference tables (src/shc_scale.c), read directly.
	 */
	issuer_rel = shc_node_local_relation(trust_table(nsp, "shc_trusted_issuer"));
	key_rel = shc_node_local_relation(trust_table(nsp, "shc_trusted_key"));
	crl_rel = shc_node_local_relation(trust_table(nsp, "shc_trusted_crl"));
	anchor_rel = shc_node_local_relation(trust_table(nsp, "shc_trust_anchor"));
	policy_rel = shc_node_local_relation(trust_table(nsp, "shc_x5c_policy"));
	c->rid_table = shc_node_local_relation(trust_table(nsp, "shc_trusted_rid"));
	c->rid_index = c->rid_table == trust_table(nsp, "shc_trusted_rid")
		? trust_table(nsp, "shc_trusted_rid_pkey")
		: shc_node_local_pkey(c->rid_table);

	/* an error restores both with the (sub)transaction's abort */
	GetUserIdAndSecContext(&save_userid, &save_sec_context);
	SetUserIdAndSecContext(owner, save_sec_context | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION);
	save_nestlevel = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp",
							 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
							 true, 0, false);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	load_issuers(c, issuer_rel, snap);
	nanchors = load_anchors(anchor_rel, snap, &anchors, &anchorlens);
	forged = load_keys(c, key_rel, crl_rel, policy_rel, anchors, anchorlens,
					   nanchors, snap, &first_forged);
	SPI_finish();

	AtEOXact_GUC(false, save_nestlevel);
	SetUserIdAndSecContext(save_userid, save_sec_context);

	if (forged > 0)
		ereport(WARNING,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("ignoring %d trusted key%s whose kid is not the RFC 7638 thumbprint of its public key",
						forged, forged == 1 ? "" : "s"),
				 errdetail("The first is \"%s\"; shc_verify() never uses such a key.",
						   first_forged),
				 errhint("Load the issuer's published JWKS again with shc_trust().")));
	return c;
}

/*
 * Make the cache hold the trust store as the current snapshot sees it.
 * Once per new snapshot the generation that snapshot sees is read; a cache
 * loaded at another generation is replaced by one read under this
 * snapshot.  A parallel worker runs under its leader's snapshot, so it
 * sees the leader's generation and loads the same data.
 */
void
shc_trust_cache_ensure(Oid nsp)
{
	Snapshot	snap = ActiveSnapshotSet() ? GetActiveSnapshot() : GetTransactionSnapshot();
	int64		gen;

	if (cache != NULL && snapshot_seen(nsp, snap))
		return;
	if (!callbacks_registered)
	{
		RegisterXactCallback(trust_xact_callback, NULL);
		RegisterSubXactCallback(trust_subxact_callback, NULL);
		callbacks_registered = true;
	}
	gen = read_generation(nsp, snap);
	if (cache == NULL || cache->nsp != nsp || cache->generation != gen)
	{
		trust_cache *c;

		trust_reset();
		c = load_cache(nsp, snap, gen);
		MemoryContextSetParent(c->cxt, TopMemoryContext);
		cache = c;
	}
	snapshot_remember(nsp, snap);
}

/* ---------------------------------------------------------------------
 * jsonb helpers
 * --------------------------------------------------------------------- */


static bool
member_is_string(JsonbContainer *jc, const char *key, const char *want)
{
	JsonbValue	buf;
	JsonbValue *v = shc_jsonb_member(jc, key, &buf);

	return v && v->type == jbvString && v->val.string.len == strlen(want) &&
		memcmp(v->val.string.val, want, v->val.string.len) == 0;
}

/*
 * a JSON integer in 1..INT_MAX, or -1; a string of 1 to 10 digits is taken
 * as its number (the published VCI directory has "crlVersion":"1" and
 * "ctr":"1")
 */
static int
json_positive_int(JsonbValue *v)
{
	char	   *s;
	char	   *end;
	long		l;

	if (v != NULL && v->type == jbvString && v->val.string.len >= 1 &&
		v->val.string.len <= 10)
	{
		s = pnstrdup(v->val.string.val, v->val.string.len);
		if (strspn(s, "0123456789") != strlen(s))
			return -1;
	}
	else if (v == NULL || v->type != jbvNumeric)
		return -1;
	else
		s = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v->val.numeric)));
	errno = 0;
	l = strtol(s, &end, 10);
	if (*end != '\0' || errno != 0 || l < 1 || l > PG_INT32_MAX)
		return -1;
	return (int) l;
}

/* the hint of the issuer URL rule (shc_check_iss) when trusting an issuer */
#define ISS_HINT "Use the iss claim exactly as the issuer's cards carry it."

/* ---------------------------------------------------------------------
 * shc_trust(iss text, jwks jsonb, name text DEFAULT NULL) returns integer
 * --------------------------------------------------------------------- */


/* the keys shc_trust keeps: thumbprint, JWK and crlVersion of each */
typedef struct kept_keys
{
	int			n;
	Datum	   *kids;
	Datum	   *jwks;
	Datum	   *versions;
	bool	   *version_nulls;
} kept_keys;

/*
 * The "keys" array of a JWKS (RFC 7517 section 5), within
 * shc.max_issuer_keys, refused whole when any key has a private "d"
 * (SHC-NOTES 5), before anything else is looked at.
 */
static JsonbContainer *
jwks_keys(Jsonb *jwks)
{
	JsonbValue	buf;
	JsonbValue *keys;
	JsonbContainer *kc;
	int			nkeys,
				i;

	keys = shc_jsonb_member(&jwks->root, "keys", &buf);
	if (keys == NULL || keys->type != jbvBinary || !JsonContainerIsArray(keys->val.binary.data))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid JWKS: no \"keys\" array"),
				 errdetail("A JWKS is an object with a \"keys\" array (RFC 7517 section 5).")));
	kc = keys->val.binary.data;
	nkeys = JsonContainerSize(kc);
	if (nkeys > shc_max_issuer_keys)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("JWKS has too many keys"),
				 errdetail("It has %d keys; shc.max_issuer_keys allows %d per issuer.",
						   nkeys, shc_max_issuer_keys),
				 errhint("A superuser can raise shc.max_issuer_keys.")));
	for (i = 0; i < nkeys; i++)
	{
		JsonbValue *k = getIthJsonbValueFromContainer(kc, i);
		JsonbValue	d;

		if (k && k->type == jbvBinary && shc_jsonb_member(k->val.binary.data, "d", &d))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("JWKS contains a private key"),
					 errdetail("Key %d of the set has a \"d\" member.", i + 1),
					 errhint("Trust only the public JWKS the issuer publishes; never load its private keys.")));
	}
	return kc;
}

/*
 * Key i of the JWKS of iss (0-based), k, into kept unless it is skipped:
 * not an object or not an ES256 P-256 signing key (NOTICE), a kid that is
 * not its thumbprint (WARNING), the same key again.  Raises for a key that
 * claims to be one but is not valid (SHC-NOTES 5).
 */
static void
trust_key_keep(JsonbValue *k, int i, const char *iss, kept_keys *kept)
{
	JsonbContainer *jc;
	JsonbValue	x_v,
				y_v,
				kid_v,
				version_v;
	JsonbValue *x,
			   *y,
			   *kid,
			   *ver;
	char		thumb[SHC_KID_LEN + 1];
	shc_ec_key *pk = NULL;
	shc_error	err;
	shc_status	st;
	int			j;

	if (k == NULL || k->type != jbvBinary || !JsonContainerIsObject(k->val.binary.data))
	{
		ereport(NOTICE,
				(errmsg("ignoring key %d of the JWKS of \"%s\"", i + 1, iss),
				 errdetail("It is not a JSON object.")));
		return;
	}
	jc = k->val.binary.data;
	/* SHC-NOTES 5: filter on kty EC, crv P-256, use sig, alg ES256 */
	if (!member_is_string(jc, "kty", "EC") || !member_is_string(jc, "crv", "P-256") ||
		!member_is_string(jc, "use", "sig") || !member_is_string(jc, "alg", "ES256"))
	{
		ereport(NOTICE,
				(errmsg("ignoring key %d of the JWKS of \"%s\"", i + 1, iss),
				 errdetail("Only keys with \"kty\":\"EC\", \"crv\":\"P-256\", \"use\":\"sig\" and \"alg\":\"ES256\" sign SMART Health Cards.")));
		return;
	}
	x = shc_jsonb_member(jc, "x", &x_v);
	y = shc_jsonb_member(jc, "y", &y_v);
	if (x == NULL || y == NULL || x->type != jbvString || y->type != jbvString)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid key %d of the JWKS: no \"x\" and \"y\" strings", i + 1),
				 errdetail("A P-256 key has its point as base64url \"x\" and \"y\".")));
	st = shc_es256_key_from_jwk(x->val.string.val, x->val.string.len,
								y->val.string.val, y->val.string.len,
								NULL, 0, &pk, &err);
	shc_ec_key_free(pk);
	if (st == SHC_OK)
		st = shc_jwk_thumbprint(x->val.string.val, x->val.string.len,
								y->val.string.val, y->val.string.len,
								thumb, &err);
	if (st != SHC_OK)
		ereport(ERROR,
				(errcode(shc_status_sqlstate(err.status)),
				 errmsg("invalid key %d of the JWKS: not a valid P-256 public key", i + 1),
				 errdetail_internal("%s", err.detail),
				 errhint("Each ES256 key of the JWKS must be a valid P-256 public key.")));

	/*
	 * SHC-NOTES 5: kid MUST be the RFC 7638 thumbprint.  A key that breaks
	 * this is skipped with a warning: cards name their key by thumbprint, so
	 * it could only ever match a card that breaks the rule as well.
	 */
	kid = shc_jsonb_member(jc, "kid", &kid_v);
	if (kid == NULL || kid->type != jbvString ||
		kid->val.string.len != SHC_KID_LEN ||
		memcmp(kid->val.string.val, thumb, SHC_KID_LEN) != 0)
	{
		ereport(WARNING,
				(errmsg("ignoring key %d of the JWKS of \"%s\"", i + 1, iss),
				 errdetail("Its \"kid\" is not its RFC 7638 thumbprint \"%s\".", thumb)));
		return;
	}
	/* the same key repeated, e.g. once per x5c certificate: keep one */
	for (j = 0; j < kept->n; j++)
		if (strcmp(TextDatumGetCString(kept->kids[j]), thumb) == 0)
			return;

	ver = shc_jsonb_member(jc, "crlVersion", &version_v);
	if (ver != NULL && json_positive_int(ver) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid key %d of the JWKS: \"crlVersion\" is not an integer of at least 1", i + 1),
				 errdetail("The \"crlVersion\" of a key is the \"ctr\" of its current revocation list, counted from 1.")));
	kept->kids[kept->n] = CStringGetTextDatum(thumb);
	kept->jwks[kept->n] = JsonbPGetDatum(JsonbValueToJsonb(k));
	kept->version_nulls[kept->n] = (ver == NULL);
	kept->versions[kept->n] = Int32GetDatum(ver ? json_positive_int(ver) : 0);
	kept->n++;
}

/*
 * Write the issuer (its name kept when name is NULL) and exactly the kept
 * keys: the others of iss go, changed ones are updated, unchanged rows are
 * not written again.
 */
static void
trust_store(const char *iss, text *name, kept_keys *kept)
{
	const char *schema = "shc";
	StringInfoData q;
	int			i;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	initStringInfo(&q);
	{
		Oid			types[2] = {TEXTOID, TEXTOID};
		Datum		vals[2] = {CStringGetTextDatum(iss), name ? PointerGetDatum(name) : (Datum) 0};
		char		nulls[2] = {' ', name ? ' ' : 'n'};

		appendStringInfo(&q,
						 "INSERT INTO %s.shc_trusted_issuer (iss, name) VALUES ($1, $2)"
						 " ON CONFLICT (iss) DO UPDATE SET name = COALESCE(EXCLUDED.name, shc_trusted_issuer.name)"
						 " WHERE shc_trusted_issuer.name IS DISTINCT FROM COALESCE(EXCLUDED.name, shc_trusted_issuer.name)",
						 schema);
		if (SPI_execute_with_args(q.data, 2, types, vals, nulls, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not store the trusted issuer");
	}
	{
		Oid			types[2] = {TEXTOID, TEXTARRAYOID};
		Datum		vals[2] = {CStringGetTextDatum(iss),
		PointerGetDatum(construct_array(kept->kids, kept->n, TEXTOID, -1, false, TYPALIGN_INT))};

		resetStringInfo(&q);
		appendStringInfo(&q, "DELETE FROM %s.shc_trusted_key WHERE iss = $1 AND kid <> ALL ($2)",
						 schema);
		if (SPI_execute_with_args(q.data, 2, types, vals, NULL, false, 0) != SPI_OK_DELETE)
			elog(ERROR, "could not remove keys no longer in the JWKS");
	}
	resetStringInfo(&q);
	appendStringInfo(&q,
					 "INSERT INTO %s.shc_trusted_key (iss, kid, jwk, crl_version) VALUES ($1, $2, $3, $4)"
					 " ON CONFLICT (iss, kid) DO UPDATE SET jwk = EXCLUDED.jwk, crl_version = EXCLUDED.crl_version"
					 " WHERE (shc_trusted_key.jwk, shc_trusted_key.crl_version) IS DISTINCT FROM (EXCLUDED.jwk, EXCLUDED.crl_version)",
					 schema);
	for (i = 0; i < kept->n; i++)
	{
		Oid			types[4] = {TEXTOID, TEXTOID, JSONBOID, INT4OID};
		Datum		vals[4] = {CStringGetTextDatum(iss), kept->kids[i], kept->jwks[i], kept->versions[i]};
		char		nulls[4] = {' ', ' ', ' ', kept->version_nulls[i] ? 'n' : ' '};

		if (SPI_execute_with_args(q.data, 4, types, vals, nulls, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not store a trusted key");
	}
	SPI_finish();
}

PG_FUNCTION_INFO_V1(shc_trust_sql);
Datum
shc_trust_sql(PG_FUNCTION_ARGS)
{
	char	   *iss;
	text	   *name = PG_ARGISNULL(2) ? NULL : PG_GETARG_TEXT_PP(2);
	JsonbContainer *kc;
	int			nkeys,
				i;
	kept_keys	kept;

	shc_refuse_in_recovery("change the trust store");
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", PG_ARGISNULL(0) ? "iss" : "jwks")));
	iss = text_to_cstring(PG_GETARG_TEXT_PP(0));
	shc_check_iss(iss, strlen(iss), ISS_HINT);
	kc = jwks_keys(PG_GETARG_JSONB_P(1));
	nkeys = JsonContainerSize(kc);

	kept.n = 0;
	kept.kids = palloc(sizeof(Datum) * Max(nkeys, 1));
	kept.jwks = palloc(sizeof(Datum) * Max(nkeys, 1));
	kept.versions = palloc(sizeof(Datum) * Max(nkeys, 1));
	kept.version_nulls = palloc(sizeof(bool) * Max(nkeys, 1));
	for (i = 0; i < nkeys; i++)
		trust_key_keep(getIthJsonbValueFromContainer(kc, i), i, iss, &kept);
	if (kept.n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("JWKS holds no usable key"),
				 errdetail("None of its %d keys is a P-256 ES256 signing key named by its thumbprint.", nkeys),
				 errhint("To stop trusting an issuer, use shc_untrust().")));
	trust_store(iss, name, &kept);
	PG_RETURN_INT32(kept.n);
}

/* ---------------------------------------------------------------------
 * shc_trust_crl(iss text, crl jsonb) returns integer
 * --------------------------------------------------------------------- */

static void
bad_crl(const char *what, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid revocation list: %s", what),
			 errdetail_internal("%s", detail)));
}

/* CRL entries of one rid, merged: the one that revokes the most wins */
typedef struct crl_entry
{
	char	   *rid;
	char	   *entry;
	bool		has_ts;
	double		ts;
} crl_entry;

static int
cmp_crl_entry(const void *a, const void *b)
{
	return strcmp(((const crl_entry *) a)->rid, ((const crl_entry *) b)->rid);
}

/*
 * The members of a CRL object other than its entries: "kid" (returned),
 * "method":"rid" and "ctr" (SHC-NOTES 10: a JSON integer in practice; a
 * quoted one is accepted) into *ctr.
 */
static char *
crl_members(Jsonb *crl, int *ctr)
{
	JsonbValue	kid_v,
				ctr_v,
				method_v;
	JsonbValue *kidv,
			   *ctrv;

	if (!JsonContainerIsObject(&crl->root))
		bad_crl("not a JSON object", "A CRL is a JSON object with \"kid\", \"method\", \"ctr\" and \"rids\".");
	kidv = shc_jsonb_member(&crl->root, "kid", &kid_v);
	if (kidv == NULL || kidv->type != jbvString)
		bad_crl("no \"kid\" string", "The CRL names its key with a \"kid\" string.");
	if (!member_is_string(&crl->root, "method", "rid"))
	{
		if (shc_jsonb_member(&crl->root, "method", &method_v) == NULL)
			bad_crl("no \"method\"", "A CRL of SMART Health Cards has \"method\":\"rid\".");
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("unsupported revocation method"),
				 errdetail("Only the \"rid\" method of SMART Health Cards 1.2.0 and later is supported.")));
	}
	ctrv = shc_jsonb_member(&crl->root, "ctr", &ctr_v);
	*ctr = json_positive_int(ctrv);
	if (*ctr < 0 && ctrv && ctrv->type == jbvString && ctrv->val.string.len > 0 &&
		ctrv->val.string.len < 11 &&
		strspn(pnstrdup(ctrv->val.string.val, ctrv->val.string.len), "0123456789") == ctrv->val.string.len)
	{
		long		l = strtol(pnstrdup(ctrv->val.string.val, ctrv->val.string.len), NULL, 10);

		*ctr = (l >= 1 && l <= PG_INT32_MAX) ? (int) l : -1;
	}
	if (*ctr < 0)
		bad_crl("\"ctr\" is not an integer of at least 1", "The CRL's \"ctr\" counts its versions from 1.");
	return pnstrdup(kidv->val.string.val, kidv->val.string.len);
}

/*
 * The "rids" array of a CRL, within shc.max_crl_rids, each entry
 * "<rid>" or "<rid>.<seconds>" parsed into *parsed; returns the count.
 */
static int
crl_entries(Jsonb *crl, crl_entry **parsed)
{
	JsonbValue	rids_v;
	JsonbValue *ridsv;
	int			nrids,
				i;

	ridsv = shc_jsonb_member(&crl->root, "rids", &rids_v);
	if (ridsv == NULL || ridsv->type != jbvBinary || !JsonContainerIsArray(ridsv->val.binary.data))
		bad_crl("no \"rids\" array", "A CRL lists its revoked rids in a \"rids\" array.");
	nrids = JsonContainerSize(ridsv->val.binary.data);
	if (nrids > shc_max_crl_rids)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("revocation list has too many rids"),
				 errdetail("It has %d rids; shc.max_crl_rids allows %d per key.",
						   nrids, shc_max_crl_rids),
				 errhint("A superuser can raise shc.max_crl_rids.")));
	*parsed = palloc(sizeof(crl_entry) * Max(nrids, 1));
	for (i = 0; i < nrids; i++)
	{
		JsonbValue *e = getIthJsonbValueFromContainer(ridsv->val.binary.data, i);
		size_t		ridlen;
		bool		has_ts;
		double		ts;
		shc_error	err;
		char	   *s;

		if (e == NULL || e->type != jbvString)
			bad_crl(psprintf("entry %d of \"rids\" is not a string", i + 1),
					"Each entry is \"<rid>\" or \"<rid>.<seconds>\".");
		s = pnstrdup(e->val.string.val, e->val.string.len);
		if (shc_crl_entry_parse(s, strlen(s), &ridlen, &has_ts, &ts, &err) != SHC_OK)
			bad_crl(psprintf("entry %d of \"rids\" is invalid", i + 1), err.detail);
		(*parsed)[i].rid = pnstrdup(s, ridlen);
		(*parsed)[i].entry = s;
		(*parsed)[i].has_ts = has_ts;
		(*parsed)[i].ts = ts;
	}
	return nrids;
}

/*
 * SHC-NOTES 10 says a rid appears once; real lists repeat some.  The
 * entries of one rid are merged into the one that revokes the most: no
 * timestamp (every card) over any timestamp, else the latest timestamp.
 * Sorts parsed by rid; returns the count left.
 */
static int
crl_merge(crl_entry *parsed, int nrids, const char *kid)
{
	int			n = 0,
				ndup = 0,
				i;
	const char *first_dup = NULL;

	qsort(parsed, nrids, sizeof(crl_entry), cmp_crl_entry);
	for (i = 0; i < nrids; i++)
	{
		if (n > 0 && strcmp(parsed[n - 1].rid, parsed[i].rid) == 0)
		{
			crl_entry  *m = &parsed[n - 1];

			ndup++;
			if (first_dup == NULL)
				first_dup = m->rid;
			if (m->has_ts && (!parsed[i].has_ts || parsed[i].ts > m->ts))
				*m = parsed[i];
			continue;
		}
		parsed[n++] = parsed[i];
	}
	if (ndup > 0)
		ereport(WARNING,
				(errmsg("revocation list of key \"%s\" repeats %d rid entr%s; merged",
						kid, ndup, ndup == 1 ? "y" : "ies"),
				 errdetail("The first repeated rid is \"%s\"; of its entries the one that revokes the most cards is kept.",
						   first_dup)));
	return n;
}

/*
 * Store the list of (iss, kid): the key must be trusted (locked while the
 * list is written) and the list no older than the one loaded; a list
 * behind the key's crlVersion is stored with a NOTICE.  The entries go to
 * shc_trusted_crl as one array and to shc_trusted_rid one row each.
 */
static void
crl_store(const char *iss, const char *kid, int ctr, Datum *entries, int nrids)
{
	const char *schema = "shc";
	StringInfoData q;
	int			key_version = 0;
	bool		key_found = false;
	int			old_ctr = 0;
	bool		had_crl = false;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	initStringInfo(&q);
	{
		Oid			types[2] = {TEXTOID, TEXTOID};
		Datum		vals[2] = {CStringGetTextDatum(iss), CStringGetTextDatum(kid)};
		bool		isnull;

		appendStringInfo(&q,
						 "SELECT k.crl_version, c.ctr FROM %s.shc_trusted_key k"
						 " LEFT JOIN %s.shc_trusted_crl c USING (iss, kid)"
						 " WHERE k.iss = $1 AND k.kid = $2 FOR UPDATE OF k",
						 schema, schema);
		if (SPI_execute_with_args(q.data, 2, types, vals, NULL, false, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not read the trusted key");
		if (SPI_processed == 1)
		{
			Datum		d;

			key_found = true;
			d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
			key_version = isnull ? 0 : DatumGetInt32(d);
			d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
			had_crl = !isnull;
			old_ctr = isnull ? 0 : DatumGetInt32(d);
		}
	}
	if (!key_found)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("key \"%s\" is not trusted for issuer \"%s\"", kid, iss),
				 errhint("Load the issuer's JWKS with shc_trust() first.")));
	if (had_crl && ctr < old_ctr)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("revocation list is older than the one loaded"),
				 errdetail("Its ctr is %d; the trust store holds ctr %d for key \"%s\".", ctr, old_ctr, kid)));
	if (key_version > 0 && ctr < key_version)
		ereport(NOTICE,
				(errmsg("revocation list ctr %d is behind the key's crlVersion %d", ctr, key_version),
				 errdetail("Cards with a rid signed with key \"%s\" verify as no_crl until a list with ctr %d or more is loaded.",
						   kid, key_version)));
	{
		Oid			types[5] = {TEXTOID, TEXTOID, TEXTOID, INT4OID, TEXTARRAYOID};
		Datum		vals[5] = {CStringGetTextDatum(iss), CStringGetTextDatum(kid),
			CStringGetTextDatum("rid"), Int32GetDatum(ctr),
		PointerGetDatum(construct_array(entries, nrids, TEXTOID, -1, false, TYPALIGN_INT))};

		resetStringInfo(&q);
		appendStringInfo(&q,
						 "INSERT INTO %s.shc_trusted_crl (iss, kid, method, ctr, rids) VALUES ($1, $2, $3, $4, $5)"
						 " ON CONFLICT (iss, kid) DO UPDATE SET method = EXCLUDED.method, ctr = EXCLUDED.ctr,"
						 " rids = EXCLUDED.rids, loaded_at = EXCLUDED.loaded_at",
						 schema);
		if (SPI_execute_with_args(q.data, 5, types, vals, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not store the revocation list");
		/* the entries again, one row each, for the verifier's lookups */
		resetStringInfo(&q);
		appendStringInfo(&q, "DELETE FROM %s.shc_trusted_rid WHERE iss = $1 AND kid = $2", schema);
		if (SPI_execute_with_args(q.data, 2, types, vals, NULL, false, 0) != SPI_OK_DELETE)
			elog(ERROR, "could not replace the revocation list");
		resetStringInfo(&q);
		appendStringInfo(&q,
						 "INSERT INTO %s.shc_trusted_rid (iss, kid, rid, entry)"
						 " SELECT $1, $2, split_part(e, '.', 1), e FROM unnest($5) AS e",
						 schema);
		if (SPI_execute_with_args(q.data, 5, types, vals, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not store the revocation list");
	}
	SPI_finish();
}

PG_FUNCTION_INFO_V1(shc_trust_crl_sql);
Datum
shc_trust_crl_sql(PG_FUNCTION_ARGS)
{
	char	   *iss = text_to_cstring(PG_GETARG_TEXT_PP(0));
	Jsonb	   *crl = PG_GETARG_JSONB_P(1);
	char	   *kid;
	int			ctr,
				nrids,
				i;
	crl_entry  *parsed;
	Datum	   *entries;

	shc_refuse_in_recovery("change the trust store");
	shc_check_iss(iss, strlen(iss), ISS_HINT);
	kid = crl_members(crl, &ctr);
	nrids = crl_entries(crl, &parsed);
	nrids = crl_merge(parsed, nrids, kid);
	entries = palloc(sizeof(Datum) * Max(nrids, 1));
	for (i = 0; i < nrids; i++)
		entries[i] = CStringGetTextDatum(parsed[i].entry);
	crl_store(iss, kid, ctr, entries, nrids);
	PG_RETURN_INT32(nrids);
}

/* ---------------------------------------------------------------------
 * shc_untrust(iss text) returns boolean
 * --------------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(shc_untrust_sql);
Datum
shc_untrust_sql(PG_FUNCTION_ARGS)
{
	text	   *iss = PG_GETARG_TEXT_PP(0);
	const char *schema = "shc";
	Oid			types[1] = {TEXTOID};
	Datum		vals[1] = {PointerGetDatum(iss)};
	StringInfoData q;
	bool		found;

	shc_refuse_in_recovery("change the trust store");
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	initStringInfo(&q);
	appendStringInfo(&q, "DELETE FROM %s.shc_trusted_issuer WHERE iss = $1", schema);
	if (SPI_execute_with_args(q.data, 1, types, vals, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not remove the trusted issuer");
	found = (SPI_processed > 0);
	SPI_finish();
	PG_RETURN_BOOL(found);
}
