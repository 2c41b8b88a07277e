/*
 * shc--0.1.0--0.2.0.sql: upgrade of shc from 0.1.0 to 0.2.0.
 *
 * There is no separate install script for 0.2.0: CREATE EXTENSION shc runs
 * shc--0.1.0.sql and then this script, so a fresh install and an upgraded
 * database are built by the same statements (the "upgrade" test tier
 * compares their catalogs).
 *
 * Map of this file (one section per concern, in this order):
 *   1. the schema: every object moves into schema shc, which no other role
 *      may create in (the control file fixes the schema, so this script and
 *      every function name it as "shc."; that is @extschema@ for 0.2.0)
 *   2. privilege model: roles, pinned search_path, keys at rest
 *   3. one rulebook: the card reader, FHIR checks, statuses
 *   4. adoption: settings, row estimates, trigger checks
 *   5. scale-out: Citus and replicas
 *   6. real-world trust: VCI directory, x5c, scanner input, QR images
 *   7. SMART Health Links
 *   8. performance: signature memo, status-only verification
 *   9. final checks
 */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION shc UPDATE TO '0.2.0'" to load this file. \quit

-- Nothing a caller defined is looked up while this script runs: every name
-- below is schema-qualified, and operators resolve in pg_catalog only.
SELECT pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);

------------------------------------------------------------------------------
-- 1. The schema
------------------------------------------------------------------------------

-- The extension's objects live in schema shc.  A schema that someone else
-- made, or that others may create objects in, would let them replace or
-- shadow what the functions call: refuse it.
DO $$
DECLARE
  ns oid := (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = 'shc');
  ext_ns oid := (SELECT e.extnamespace FROM pg_catalog.pg_extension e
                  WHERE e.extname = 'shc');
BEGIN
  IF ns IS NULL THEN
    -- an upgrade from 0.1.0: make the schema, owned by the superuser
    -- running the upgrade, and not a member of the extension (as
    -- CREATE EXTENSION makes it from the control file)
    CREATE SCHEMA shc;
    ALTER EXTENSION shc DROP SCHEMA shc;
    ns := 'shc'::pg_catalog.regnamespace;
  END IF;
  IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r, pg_catalog.pg_namespace n
           WHERE n.oid = ns AND r.oid = n.nspowner) THEN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
      MESSAGE = 'schema "shc" must be owned by a superuser',
      DETAIL = format('It is owned by role "%s".',
                      (SELECT n.nspowner::pg_catalog.regrole FROM pg_catalog.pg_namespace n WHERE n.oid = ns)),
      HINT = 'Drop or rename that schema, then create the extension again; shc creates its own schema.';
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_namespace n,
                    pg_catalog.aclexplode(n.nspacl) a
              WHERE n.oid = ns AND a.privilege_type = 'CREATE'
                AND a.grantee <> n.nspowner) THEN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
      MESSAGE = 'schema "shc" must not let other roles create objects',
      HINT = 'REVOKE CREATE ON SCHEMA shc FROM PUBLIC and every other role.';
  END IF;
  IF ext_ns <> ns THEN
    -- 0.1.0 lived in the schema it was created in (public by default).
    -- ALTER EXTENSION ... SET SCHEMA moves every member object and the
    -- extension's own dependency at once; it is allowed only for
    -- relocatable extensions, so the flag is lifted for this one statement.
    UPDATE pg_catalog.pg_extension SET extrelocatable = true WHERE extname = 'shc';
    ALTER EXTENSION shc SET SCHEMA shc;
    UPDATE pg_catalog.pg_extension SET extrelocatable = false WHERE extname = 'shc';
  END IF;
END
$$;

-- Everyone may use what is in the schema (verification is open to all);
-- what each role may execute is granted function by function below.
GRANT USAGE ON SCHEMA shc TO PUBLIC;

------------------------------------------------------------------------------
-- 2. Privilege model (issue 10)
------------------------------------------------------------------------------

------------------------------------------------------------------------------
-- 3. One rulebook (issue 11)
------------------------------------------------------------------------------

------------------------------------------------------------------------------
-- 4. Adoption (issue 12)
------------------------------------------------------------------------------

------------------------------------------------------------------------------
-- 5. Scale-out (issue 13)
------------------------------------------------------------------------------

-- Logical replication (docs/scaling-out.md): a subscriber's apply worker
-- runs with session_replication_role = replica, where ordinary triggers do
-- not fire, and it fires row triggers only (statement triggers for
-- TRUNCATE alone).  So the statement cache triggers of the trust tables
-- fire ALWAYS, and row twins fire in the apply worker only (ENABLE
-- REPLICA: ordinary sessions do not pay per row): a replicated trust
-- change resets the caches of the subscriber's running sessions as a
-- local one does.  (A hot standby needs nothing: it replays the primary's
-- invalidations with its WAL.)
ALTER TABLE shc.shc_trusted_issuer ENABLE ALWAYS TRIGGER shc_trusted_issuer_cache;
ALTER TABLE shc.shc_trusted_key ENABLE ALWAYS TRIGGER shc_trusted_key_cache;
ALTER TABLE shc.shc_trusted_crl ENABLE ALWAYS TRIGGER shc_trusted_crl_cache;
CREATE TRIGGER shc_trusted_issuer_cache_replica
	AFTER INSERT OR UPDATE OR DELETE ON shc.shc_trusted_issuer
	FOR EACH ROW EXECUTE FUNCTION shc.shc_cache_invalidate_trigger();
CREATE TRIGGER shc_trusted_key_cache_replica
	AFTER INSERT OR UPDATE OR DELETE ON shc.shc_trusted_key
	FOR EACH ROW EXECUTE FUNCTION shc.shc_cache_invalidate_trigger();
CREATE TRIGGER shc_trusted_crl_cache_replica
	AFTER INSERT OR UPDATE OR DELETE ON shc.shc_trusted_crl
	FOR EACH ROW EXECUTE FUNCTION shc.shc_cache_invalidate_trigger();
ALTER TABLE shc.shc_trusted_issuer ENABLE REPLICA TRIGGER shc_trusted_issuer_cache_replica;
ALTER TABLE shc.shc_trusted_key ENABLE REPLICA TRIGGER shc_trusted_key_cache_replica;
ALTER TABLE shc.shc_trusted_crl ENABLE REPLICA TRIGGER shc_trusted_crl_cache_replica;

-- Citus (docs/scaling-out.md): the trust tables become reference tables, a
-- full copy on every node.  Citus writes a trust change made on any node
-- to every copy in the same transaction (two-phase commit), and copies the
-- cache triggers onto each node's placement; shc_verify() pushed down to a
-- worker reads that node's placement (src/shc_scale.c).  Keys and rid
-- secrets stay local tables: they exist only where they were created.
CREATE FUNCTION shc.shc_distribute_trust()
RETURNS integer
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- the trust store: its tables, and the generation counter when there is one
  tables regclass[] := ARRAY(
    SELECT pg_catalog.to_regclass('shc.' || t)
      FROM pg_catalog.unnest(ARRAY['shc_trusted_issuer', 'shc_trusted_key',
                                   'shc_trusted_crl', 'trust_generation']) t
     WHERE pg_catalog.to_regclass('shc.' || t) IS NOT NULL);
  fk record;
  fks text[] := '{}';
  t regclass;
  n integer := 0;
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN
    RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
      MESSAGE = 'extension "citus" is not installed in this database',
      HINT = 'Create extension citus on every node and add the workers first.';
  END IF;
  IF (SELECT g.groupid FROM pg_catalog.pg_dist_local_group g) <> 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
      MESSAGE = 'shc_distribute_trust() must run on the Citus coordinator';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.unnest(tables) u(t)
                  WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_dist_partition p
                                     WHERE p.logicalrelid = u.t)) THEN
    RETURN 0;
  END IF;
  -- Citus would turn a plain table that references a new reference table
  -- into a "Citus local" table, whose shell it cannot create where the
  -- extension already made the table.  So the foreign keys between the
  -- trust tables go first (on every node: the workers' tables are the
  -- extension's own), and come back between the reference tables, where
  -- Citus creates them on every placement (ON DELETE CASCADE included).
  FOR fk IN SELECT c.conname, c.conrelid::regclass AS rel,
                   pg_catalog.pg_get_constraintdef(c.oid) AS def
              FROM pg_catalog.pg_constraint c
             WHERE c.contype = 'f' AND c.conrelid = ANY (tables)
             ORDER BY c.conrelid DESC LOOP
    fks := fks || pg_catalog.format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk.rel, fk.conname, fk.def);
    PERFORM pg_catalog.run_command_on_workers(
      pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT IF EXISTS %I', fk.rel, fk.conname));
    EXECUTE pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I', fk.rel, fk.conname);
  END LOOP;
  -- the cache triggers go onto every placement with the tables
  PERFORM pg_catalog.set_config('citus.enable_unsafe_triggers', 'on', true);
  FOREACH t IN ARRAY tables LOOP
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid = t) THEN
      PERFORM pg_catalog.create_reference_table(t);
      n := n + 1;
    END IF;
  END LOOP;
  FOR i IN 1 .. coalesce(pg_catalog.array_length(fks, 1), 0) LOOP
    EXECUTE fks[i];
  END LOOP;
  RETURN n;
END
$$;

REVOKE EXECUTE ON FUNCTION shc.shc_distribute_trust() FROM PUBLIC;

COMMENT ON FUNCTION shc.shc_distribute_trust() IS
'on a Citus coordinator: make the trust tables reference tables, so every node verifies against the same trust store; returns the number of tables distributed now';

------------------------------------------------------------------------------
-- 6. Real-world trust (issue 14)
------------------------------------------------------------------------------

------------------------------------------------------------------------------
-- 7. SMART Health Links (issue 15)
------------------------------------------------------------------------------

------------------------------------------------------------------------------
-- 8. Performance (issue 16)
------------------------------------------------------------------------------

------------------------------------------------------------------------------
-- 9. Final checks
------------------------------------------------------------------------------

-- Everything in schema shc belongs to the extension: nothing planted there
-- before the install (or by a role that once could create there) is used.
DO $$
DECLARE
  stray text;
BEGIN
  SELECT string_agg(x.what, ', ') INTO stray FROM (
    SELECT pg_catalog.format('function %s', p.oid::pg_catalog.regprocedure) AS what
      FROM pg_catalog.pg_proc p
     WHERE p.pronamespace = 'shc'::pg_catalog.regnamespace
       AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                        WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                          AND d.objid = p.oid AND d.deptype = 'e')
    UNION ALL
    SELECT pg_catalog.format('relation %s', c.oid::pg_catalog.regclass)
      FROM pg_catalog.pg_class c
     WHERE c.relnamespace = 'shc'::pg_catalog.regnamespace
       AND c.relkind IN ('r', 'v', 'm', 'f', 'p', 'S')
       AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                        WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                          AND d.objid = c.oid AND d.deptype = 'e')
    UNION ALL
    SELECT pg_catalog.format('operator %s', o.oid::pg_catalog.regoperator)
      FROM pg_catalog.pg_operator o
     WHERE o.oprnamespace = 'shc'::pg_catalog.regnamespace
       AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                        WHERE d.classid = 'pg_catalog.pg_operator'::pg_catalog.regclass
                          AND d.objid = o.oid AND d.deptype = 'e')) x;
  IF stray IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
      MESSAGE = 'schema "shc" holds objects that do not belong to the extension',
      DETAIL = pg_catalog.left(stray, 500),
      HINT = 'Drop them (or the schema) before installing or upgrading shc.';
  END IF;
END
$$;
