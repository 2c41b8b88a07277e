/*
 * shc_catalog.c
 *		The library against the version of shc's objects in a database.
 *
 * A package upgrade replaces shc.so for every database of the cluster at
 * the next restart (or the next session that loads it), while each
 * database's objects stay at the version they were created or last
 * updated to until ALTER EXTENSION shc UPDATE runs there.  In that window
 * the new library serves the old catalog: verification, decoding and QR
 * codes keep working (the trust cache reads a 0.1.0 trust store too,
 * src/shc_trust.c), and whatever needs the new catalog (issuing, keys,
 * rid secrets, trust changes) fails with the one error below, which names
 * both versions and the statement to run.  The upgrade tier walks this
 * window from every released version.
 */
#include "shc_glue.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/indexing.h"
#include "catalog/pg_extension.h"
#include "commands/extension.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"

#include "shc_catalog.h"

/* versions this library can be updated from (test/upgrade/releases) */
static const char *const older_versions[] = {"0.1.0", "0.2.0"};

static bool current_in_xact = false;
static bool callback_registered = false;

static void
catalog_xact_callback(XactEvent event, void *arg)
{
	current_in_xact = false;
}

char *
shc_catalog_version(void)
{
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	char	   *v = NULL;

	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_extname, BTEqualStrategyNumber,
				F_NAMEEQ, CStringGetDatum("shc"));
	scan = systable_beginscan(rel, ExtensionNameIndexId, true, NULL, 1, &key);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
	{
		bool		isnull;
		Datum		d = heap_getattr(tup, Anum_pg_extension_extversion,
									 RelationGetDescr(rel), &isnull);

		if (!isnull)
			v = text_to_cstring(DatumGetTextPP(d));
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return v;
}

void
shc_catalog_behind_error(const char *v)
{
	bool		older = false;
	int			i;

	for (i = 0; i < (int) lengthof(older_versions); i++)
		if (strcmp(v, older_versions[i]) == 0)
			older = true;
	if (older)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("extension \"shc\" is at version %s in this database, its library at version %s",
						v, SHC_VERSION),
				 errdetail("Until the extension is updated here, shc verifies and decodes cards and makes QR codes, but does not issue, manage keys or secrets, or change the trust store."),
				 errhint("Run ALTER EXTENSION shc UPDATE; in this database (as the extension's owner or a superuser).")));
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("extension \"shc\" is at version %s in this database, its library at version %s",
					v, SHC_VERSION),
			 errdetail("The library installed is older than the extension's objects."),
			 errhint("Install the shc package or build of version %s.", v)));
}

void
shc_catalog_require_current(void)
{
	char	   *v;

	if (current_in_xact || creating_extension)
		return;
	v = shc_catalog_version();
	if (v != NULL && strcmp(v, SHC_VERSION) != 0)
		shc_catalog_behind_error(v);
	if (!callback_registered)
	{
		RegisterXactCallback(catalog_xact_callback, NULL);
		callback_registered = true;
	}
	current_in_xact = true;
}
