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

-- 4a. What moving the objects left behind.  0.1.0's script wrote the schema
-- it was created in (@extschema@) into three kinds of places that
-- ALTER EXTENSION ... SET SCHEMA does not rewrite: the pinned search_path
-- of its functions ("<schema>, pg_catalog, pg_temp") and schema-qualified
-- names in function bodies ("<schema>.shc_keys").  A fresh install runs
-- the 0.1.0 script with @extschema@ = shc; make an upgraded database say
-- the same, so both are one catalog (the upgrade test tier compares them).
-- Functions that an earlier section of this script already replaced or
-- re-pinned no longer mention another schema and are left alone.
DO $$
DECLARE
  f record;
  q text;
  src text;
  def text;
BEGIN
  FOR f IN
    SELECT p.oid, p.prosrc, p.proconfig
      FROM pg_catalog.pg_proc p
      JOIN pg_catalog.pg_depend d
        ON d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid
       AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.deptype = 'e'
      JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'shc'
  LOOP
    -- bodies: "<another schema>.shc_..." becomes "shc.shc_..."
    src := f.prosrc;
    FOR q IN
      SELECT DISTINCT m[1]
        FROM pg_catalog.regexp_matches(f.prosrc, '([A-Za-z_][A-Za-z0-9_$]*)\.shc_', 'g') AS m
       WHERE m[1] <> 'shc'
         AND EXISTS (SELECT FROM pg_catalog.pg_namespace n WHERE n.nspname = m[1])
    LOOP
      src := pg_catalog.replace(src, q || '.shc_', 'shc.shc_');
    END LOOP;
    IF src <> f.prosrc THEN
      def := pg_catalog.pg_get_functiondef(f.oid);
      EXECUTE pg_catalog.replace(def, f.prosrc, src);
    END IF;
    -- pinned paths: "<another schema>, pg_catalog, pg_temp" becomes
    -- "shc, pg_catalog, pg_temp", as 0.1.0 pins it in a fresh install
    IF EXISTS (SELECT FROM pg_catalog.unnest(f.proconfig) c
                WHERE c ~ '^search_path=[^,]+, pg_catalog, pg_temp$'
                  AND c NOT IN ('search_path=shc, pg_catalog, pg_temp',
                                'search_path=pg_catalog, pg_catalog, pg_temp')) THEN
      EXECUTE pg_catalog.format('ALTER FUNCTION %s SET search_path = shc, pg_catalog, pg_temp',
                                f.oid::pg_catalog.regprocedure);
    END IF;
  END LOOP;
END
$$;

-- 4b. Row estimates of the set-returning functions: a card holds a few
-- immunizations or results, a .smart-health-card file one card or a few.
-- (The default, 1,000 rows per call, made a 5,000-card query plan for
-- 5,000,000 rows and turned JIT on.)  Set here, after the sections that may
-- replace these functions; the regression test "adoption" checks every
-- set-returning function of the extension has an estimate of its own.
ALTER FUNCTION shc.shc_immunizations(jsonb) ROWS 4;
ALTER FUNCTION shc.shc_observations(jsonb) ROWS 4;
ALTER FUNCTION shc.shc_verify_file(jsonb, timestamptz) ROWS 2;
ALTER FUNCTION shc.shc_file_cards(jsonb) ROWS 2;

-- 4c. The library and the setup, as a DBA checks them.  The shc.* settings
-- exist in a session once the library is loaded there: any shc function
-- loads it, and shared_preload_libraries or session_preload_libraries load
-- it at the start of every session (README "Configuration").
CREATE FUNCTION shc.shc_library_version()
RETURNS text
AS 'MODULE_PATHNAME', 'shc_library_version_sql'
LANGUAGE C STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION shc.shc_library_version() IS
'version of the loaded shc library; differs from the extension''s version until ALTER EXTENSION shc UPDATE runs after a package upgrade';

-- The caller's search path is an argument whose default is evaluated where
-- the function is called: inside, the pinned search_path hides it.
CREATE FUNCTION shc.shc_check_setup(search_path name[] DEFAULT pg_catalog.current_schemas(false),
                                    OUT item text, OUT ok boolean, OUT detail text)
RETURNS SETOF record
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE ROWS 8
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  lib text := shc.shc_library_version();   -- loads the library: shc.* exist from here on
  ext text := (SELECT e.extversion FROM pg_catalog.pg_extension e WHERE e.extname = 'shc');
  preload text;
  s record;
BEGIN
  item := 'library version';
  ok := lib = ext;
  detail := CASE WHEN ok THEN pg_catalog.format('The library and the extension are version %s.', ext)
                 ELSE pg_catalog.format('The library is version %s, the extension''s objects %s: run ALTER EXTENSION shc UPDATE in every database that has shc.', lib, ext) END;
  RETURN NEXT;

  SELECT pg_catalog.string_agg(x.setting_name, ', ') INTO preload
    FROM (VALUES ('shared_preload_libraries'), ('session_preload_libraries')) AS x(setting_name)
   WHERE EXISTS (SELECT FROM pg_catalog.regexp_split_to_table(pg_catalog.current_setting(x.setting_name), '\s*,\s*') l
                  WHERE pg_catalog.btrim(l, ' "') IN ('shc', '$libdir/shc'));
  item := 'library preloaded';
  ok := preload IS NOT NULL;
  detail := CASE WHEN ok THEN pg_catalog.format('shc is in %s: SHOW shc.* works in every session.', preload)
                 ELSE 'SHOW shc.* works in a session only after an shc function ran there. Add shc to shared_preload_libraries (at the next restart) or session_preload_libraries (in new sessions).' END;
  RETURN NEXT;

  item := 'schema on search_path';
  ok := 'shc' = ANY (search_path);
  detail := CASE WHEN ok THEN 'Schema shc is on the search path.'
                 ELSE pg_catalog.format('Schema shc is not on the search path: run ALTER DATABASE %I SET search_path = "$user", public, shc, or write shc.<name>.', pg_catalog.current_database()) END;
  RETURN NEXT;

  FOR s IN SELECT g.name, g.setting, g.unit, g.source, g.context
             FROM pg_catalog.pg_settings g WHERE g.name LIKE 'shc.%' ORDER BY g.name
  LOOP
    item := s.name;
    ok := true;
    detail := pg_catalog.format('%s%s (%s; changed by %s)', s.setting, coalesce(' ' || s.unit, ''), s.source,
                                CASE s.context WHEN 'superuser' THEN 'superusers' WHEN 'user' THEN 'any user'
                                     WHEN 'sighup' THEN 'the configuration file' ELSE s.context END);
    RETURN NEXT;
  END LOOP;
END
$$;

COMMENT ON FUNCTION shc.shc_check_setup(name[]) IS
'what a DBA checks after installing or upgrading: library and extension versions agree, the library is preloaded, schema shc is on the search path (the caller''s, by default), and each shc.* setting with its value and source';

------------------------------------------------------------------------------
-- 5. Scale-out (issue 13)
------------------------------------------------------------------------------

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
