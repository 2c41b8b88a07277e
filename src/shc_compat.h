/*
 * shc_compat.h
 *		The one place where shc bridges differences between PostgreSQL major
 *		versions.  Included by shc_glue.h, right after postgres.h, so every
 *		glue file sees the same spelling.
 *
 * Supported: PostgreSQL 15, 17, 18 and 19, each built and tested by the
 * test command (15 on the machine, 17, 18 and 19 in Debian chroots: the
 * majors tier).  16 is between two tested majors and nothing below names
 * it, but it is neither built nor tested.
 *
 * Map:
 *   - pg_noreturn: 18 replaced pg_attribute_noreturn() (placed after the
 *     declarator) by pg_noreturn (placed before the declaration); shc uses
 *     the 18 spelling and older versions get it here.
 *   - RelationGetPrimaryKeyIndex: 18 added a deferrable_ok argument;
 *     shc_primary_key_index() calls either form (deferrable keys refused).
 *   - pushJsonbValue: 19 builds into a JsonbInState and returns nothing (the
 *     finished value is left in its result field); up to 18 it took a
 *     JsonbParseState ** and returned the value built so far.
 *     shc_jsonb_builder is either, zeroed before the first push;
 *     shc_jsonb_push() pushes and yields what the push made, which after
 *     the push that closes the outermost container is the finished value.
 *   - table_beginscan: 19 added a flags argument (ScanOptions the caller
 *     may add; SO_NONE adds none); shc_table_beginscan() calls either form.
 *   - Headers: 19's funcapi.h no longer brings in access/htup_details.h
 *     (heap_form_tuple) or utils/tuplestore.h; the files that use them
 *     include them, which is right for every major.
 *   - GUC_ALLOW_IN_PARALLEL (18, and the minor releases of older branches
 *     that got it, 15.20 among them): a setting that may be set in
 *     parallel mode.  shc's settings carry SHC_GUC_ALLOW_IN_PARALLEL, so
 *     that a value from postgresql.conf still applies when the library is
 *     first loaded inside a parallel query (issue 22); 0 where it is
 *     missing.
 *   - MarkGUCPrefixReserved exists from 15 on (13 and 14 had only
 *     EmitWarningsOnPlaceholders); versions before 15 are refused here with
 *     a clear message rather than at link time.
 */
#ifndef SHC_COMPAT_H
#define SHC_COMPAT_H

#if PG_VERSION_NUM < 150000
#error "shc requires PostgreSQL 15 or later"
#endif

/* 18 removed pg_attribute_noreturn() in favour of pg_noreturn */
#ifndef pg_noreturn
#define pg_noreturn pg_attribute_noreturn()
#endif

/* settings that may be set in parallel mode (see the map above) */
#include "utils/guc.h"
#ifdef GUC_ALLOW_IN_PARALLEL
#define SHC_GUC_ALLOW_IN_PARALLEL GUC_ALLOW_IN_PARALLEL
#else
#define SHC_GUC_ALLOW_IN_PARALLEL 0
#endif

/* the primary key index of a relation; 18 asks whether a deferrable one will do */
#if PG_VERSION_NUM >= 180000
#define shc_primary_key_index(rel) RelationGetPrimaryKeyIndex((rel), false)
#else
#define shc_primary_key_index(rel) RelationGetPrimaryKeyIndex(rel)
#endif

/* building a jsonb value; see the map above */
#include "utils/jsonb.h"
#if PG_VERSION_NUM >= 190000
typedef JsonbInState shc_jsonb_builder;
#else
typedef JsonbParseState *shc_jsonb_builder;
#endif

static inline void
shc_jsonb_builder_init(shc_jsonb_builder *b)
{
	memset(b, 0, sizeof(*b));
}

static inline JsonbValue *
shc_jsonb_push(shc_jsonb_builder *b, JsonbIteratorToken tok, JsonbValue *v)
{
#if PG_VERSION_NUM >= 190000
	pushJsonbValue(b, tok, v);
	return b->result;
#else
	return pushJsonbValue(b, tok, v);
#endif
}

/* a sequential scan of rel (access/tableam.h); 19 takes ScanOptions flags */
#if PG_VERSION_NUM >= 190000
#define shc_table_beginscan(rel, snap, nkeys, keys) \
	table_beginscan((rel), (snap), (nkeys), (keys), SO_NONE)
#else
#define shc_table_beginscan(rel, snap, nkeys, keys) \
	table_beginscan((rel), (snap), (nkeys), (keys))
#endif

#endif							/* SHC_COMPAT_H */
