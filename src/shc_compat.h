/*
 * shc_compat.h
 *		The one place where shc bridges differences between PostgreSQL major
 *		versions.  Included by shc_glue.h, right after postgres.h, so every
 *		glue file sees the same spelling.
 *
 * Supported: PostgreSQL 15 to 18.  15 and 18 are built and tested by the
 * test command (its pg18 tier builds 18.3 from source); 16 and 17
 * are covered by the guards below, written from their release headers
 * (REL_16_STABLE, REL_17_STABLE), and only compiled for, not tested.
 *
 * Map:
 *   - pg_noreturn: 18 replaced pg_attribute_noreturn() (placed after the
 *     declarator) by pg_noreturn (placed before the declaration); shc uses
 *     the 18 spelling and older versions get it here.
 *   - JSON semantic actions: void up to 15; JsonParseErrorType from 16
 *     (common/jsonapi.h).  SHC_JSON_ACTION is the return type, and
 *     SHC_JSON_ACTION_DONE the statement that ends an action.
 *   - makeJsonLexContextCstringLen: 17 added a leading JsonLexContext *
 *     argument (NULL: allocate one); shc_json_lex() calls either form.
 *   - RelationGetPrimaryKeyIndex: 18 added a deferrable_ok argument;
 *     shc_primary_key_index() calls either form (deferrable keys refused).
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

/* JSON semantic actions return an error code from 16 on */
#if PG_VERSION_NUM >= 160000
#define SHC_JSON_ACTION JsonParseErrorType
#define SHC_JSON_ACTION_DONE return JSON_SUCCESS
#else
#define SHC_JSON_ACTION void
#define SHC_JSON_ACTION_DONE return
#endif

/* a lexer over json[0..len); 17 takes the context to fill (NULL: palloc'd) */
#if PG_VERSION_NUM >= 170000
#define shc_json_lex(json, len, encoding, need_escapes) \
	makeJsonLexContextCstringLen(NULL, (json), (len), (encoding), (need_escapes))
#else
#define shc_json_lex(json, len, encoding, need_escapes) \
	makeJsonLexContextCstringLen((json), (int) (len), (encoding), (need_escapes))
#endif

/* the primary key index of a relation; 18 asks whether a deferrable one will do */
#if PG_VERSION_NUM >= 180000
#define shc_primary_key_index(rel) RelationGetPrimaryKeyIndex((rel), false)
#else
#define shc_primary_key_index(rel) RelationGetPrimaryKeyIndex(rel)
#endif

#endif							/* SHC_COMPAT_H */
