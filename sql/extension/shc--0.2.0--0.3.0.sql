-- shc--0.2.0--0.3.0.sql: update a 0.2.0 database to 0.3.0.
--
-- Run by ALTER EXTENSION shc UPDATE.  Every change here is also made in the
-- one source of the current catalog, so that an updated database and a fresh
-- CREATE EXTENSION shc end with the same catalog (the upgrade tier compares
-- them).  A 0.1.0 database updates through 0.2.0.

\echo Use "ALTER EXTENSION shc UPDATE" to load this file. \quit


-- Restore by the database owner (issue #23) ---------------------------------
-- shc's keys, secrets and trust store are written only by shc's functions,
-- which run as the extension owner and check what they store; a restore
-- writes rows as they are in the dump.  So a restore of shc's tables needs a
-- superuser.  A database owner who is not one can pg_dump the database
-- (every dumped table is readable to pg_database_owner, ciphertext only for
-- secrets); restoring it, the first COPY into an shc table used to fail with
-- a bare "permission denied".  Now pg_database_owner may reach the COPY
-- (INSERT), and this statement trigger stops it with the reason and the
-- remedy (docs/operations.md).  It allows the tables' owner (shc's own
-- functions run as it) and superusers, fires for COPY and INSERT alike,
-- also in session_replication_role = replica (ENABLE ALWAYS), and costs
-- one call per statement.
CREATE FUNCTION @extschema@.shc_restore_guard()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF pg_catalog.pg_has_role(CURRENT_USER,
       (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID), 'USAGE') THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'only a superuser can restore the rows of table %.%', TG_TABLE_SCHEMA, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege',
          DETAIL = 'shc''s keys, secrets and trust store are written only by shc''s functions, which check what they store; a restore writes the dumped rows as they are, so it must run as a superuser.',
          HINT = 'Restore the dump as a superuser (pg_restore -U postgres); see docs/operations.md.';
END
$$;
COMMENT ON FUNCTION @extschema@.shc_restore_guard() IS
'internal: BEFORE INSERT statement trigger of every table shc dumps; stops an INSERT or COPY (a restore) by a role other than a superuser or the tables'' owner, saying why';
REVOKE ALL ON FUNCTION @extschema@.shc_restore_guard() FROM PUBLIC;

DO $$
DECLARE
  t pg_catalog.regclass;
BEGIN
  -- on a Citus cluster the trust tables are reference tables (shc_distribute_trust)
  IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN
    PERFORM pg_catalog.set_config('citus.enable_unsafe_triggers', 'on', true);
  END IF;
  FOR t IN SELECT c.oid::pg_catalog.regclass
             FROM pg_catalog.pg_extension e,
                  pg_catalog.unnest(e.extconfig) AS x(oid),
                  pg_catalog.pg_class c
            WHERE e.extname = 'shc' AND c.oid = x.oid AND c.relkind = 'r'
            ORDER BY c.relname LOOP
    EXECUTE pg_catalog.format('CREATE TRIGGER shc_restore_guard BEFORE INSERT ON %s'
                              ' FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.shc_restore_guard()', t);
    EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE ALWAYS TRIGGER shc_restore_guard', t);
    EXECUTE pg_catalog.format('GRANT INSERT ON %s TO pg_database_owner', t);
  END LOOP;
END
$$;
