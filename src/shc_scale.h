/*
 * shc_scale.h
 *		Citus clusters and read-only replicas (src/shc_scale.c,
 *		docs/scaling-out.md).
 */
#ifndef SHC_SCALE_H
#define SHC_SCALE_H

#include "postgres.h"

/*
 * The relation holding this node's copy of relid's rows: relid, or the
 * local placement when Citus made relid a reference table.  Runs SPI.
 */
Oid			shc_node_local_relation(Oid relid);

/* The primary key index of a table returned by shc_node_local_relation. */
Oid			shc_node_local_pkey(Oid local_rel);

/* ERROR (read-only SQLSTATE) when the server is a hot standby. */
void		shc_refuse_in_recovery(const char *what);

#endif
