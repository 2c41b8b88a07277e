/*
 * shc_catalog.h
 *		The version of shc's objects in the current database, against the
 *		library's own (the window between a package upgrade and ALTER
 *		EXTENSION shc UPDATE; README "Upgrading").
 */
#ifndef SHC_CATALOG_H
#define SHC_CATALOG_H

/* extversion of shc in this database (palloc'd), or NULL when not created */
extern char *shc_catalog_version(void);

/*
 * Raise the one "update the extension" error (55000) unless the database's
 * objects are at the library's version; a no-op inside CREATE/ALTER
 * EXTENSION (the scripts run with intermediate versions) and where shc is
 * not created.  Called by everything that writes or needs the current
 * catalog: issuing, keys and rid secrets, trust changes.  The answer is
 * kept for the rest of the transaction once it is "current".
 */
extern void shc_catalog_require_current(void);

/* the same error, for a catalog known not to be current (version v) */
pg_noreturn extern void shc_catalog_behind_error(const char *v);

#endif
