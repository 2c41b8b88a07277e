/*
 * shc_scale.c
 *		Running beyond one server: Citus clusters and read-only replicas
 *		(docs/scaling-out.md).
 *
 * Map:
 *	shc_node_local_relation()	which relation holds this node's copy of a
 *								trust table (the table itself, or the local
 *								placement of a Citus reference table)
 *	shc_node_local_pkey()		its primary key index
 *	shc_refuse_in_recovery()	the one error for writes on a hot standby
 *
 * Citus: shc_distribute_trust() (sql/shc--0.1.0--0.2.0.sql, section 5)
 * makes the trust tables reference tables.  A trust change on any node is
 * then written by Citus to every node's placement in the same distributed
 * transaction (two-phase commit), so every node holds the same trust store
 * at every statement.  shc_verify() pushed down to a worker runs inside a
 * query on a shard, where Citus forbids nested distributed queries; the
 * trust cache therefore reads the node-local placement directly (a plain
 * table to the planner).  Citus copies the tables' statement triggers onto
 * every placement, and each node keeps its own shc_trust_generation, a
 * plain table that the triggers of its placements bump in the same
 * (prepared, then committed) transaction.
 */
#include "shc_glue.h"

#include "access/table.h"
#include "access/xlog.h"
#include "catalog/namespace.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"

#include "shc_scale.h"

/*
 * The relation that holds this node's rows of relid: relid itself unless
 * Citus is installed and relid is a reference table (partmethod 'n') with
 * a placement on this node, in which case that placement, a table named
 * "<relname>_<shardid>" in the same schema.  A reference table without a
 * local placement (a coordinator not added to the metadata) is returned as
 * itself: Citus routes queries on it, where nesting is allowed.
 *
 * Runs SPI; the caller must not be inside an SPI connection of its own
 * that it still needs SPI_tuptable from.
 */
Oid
shc_node_local_relation(Oid relid)
{
	Oid			result = relid;
	Oid			argtypes[1] = {REGCLASSOID};
	Datum		args[1];
	int			rc;

	/* Citus's catalogs exist only where the citus extension was created */
	if (!OidIsValid(get_relname_relid("pg_dist_partition", PG_CATALOG_NAMESPACE)) ||
		!OidIsValid(get_relname_relid("pg_dist_shard", PG_CATALOG_NAMESPACE)))
		return relid;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	args[0] = ObjectIdGetDatum(relid);
	rc = SPI_execute_with_args(
		"SELECT s.shardid FROM pg_catalog.pg_dist_partition p"
		"  JOIN pg_catalog.pg_dist_shard s"
		"    ON s.logicalrelid OPERATOR(pg_catalog.=) p.logicalrelid"
		" WHERE p.logicalrelid OPERATOR(pg_catalog.=) $1"
		"   AND p.partmethod OPERATOR(pg_catalog.=) 'n'"
		" ORDER BY s.shardid LIMIT 1",
		1, argtypes, args, NULL, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI query on the Citus metadata failed: %s",
			 SPI_result_code_string(rc));
	if (SPI_processed == 1)
	{
		bool		isnull;
		int64		shardid = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
														  SPI_tuptable->tupdesc,
														  1, &isnull));
		char	   *relname = get_rel_name(relid);
		Oid			shard;

		if (!isnull && relname != NULL)
		{
			shard = get_relname_relid(psprintf("%s_" INT64_FORMAT, relname, shardid),
									  get_rel_namespace(relid));
			if (OidIsValid(shard))
				result = shard;
		}
	}
	SPI_finish();
	return result;
}

/*
 * The primary key index of a node-local placement (Citus copies the
 * table's indexes onto each placement).
 */
Oid
shc_node_local_pkey(Oid local_rel)
{
	Relation	rel = table_open(local_rel, AccessShareLock);
	Oid			idx = shc_primary_key_index(rel);

	table_close(rel, AccessShareLock);
	if (!OidIsValid(idx))
		elog(ERROR, "placement \"%s\" has no primary key", get_rel_name(local_rel));
	return idx;
}

/*
 * Raise the error for a change that a hot standby cannot make: issuing a
 * card, changing keys or the trust store.  what is the action, as in
 * "cannot <what> on a hot standby".
 */
void
shc_refuse_in_recovery(const char *what)
{
	if (!RecoveryInProgress())
		return;
	ereport(ERROR,
			(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
			 errmsg("cannot %s on a hot standby", what),
			 errdetail("This server is a read-only replica in recovery."),
			 errhint("Issue cards and change the trust store on the primary server; its changes reach this standby.")));
}
