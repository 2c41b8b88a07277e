-- shc--0.2.0--0.3.0.sql: update a 0.2.0 database to 0.3.0.
--
-- Run by ALTER EXTENSION shc UPDATE.  Every change here is also made in the
-- one source of the current catalog, so that an updated database and a fresh
-- CREATE EXTENSION shc end with the same catalog (the upgrade tier compares
-- them).  A 0.1.0 database updates through 0.2.0.

\echo Use "ALTER EXTENSION shc UPDATE" to load this file. \quit

-- Nothing a caller defined is looked up while this script runs: every name
-- below is schema-qualified, and operators resolve in pg_catalog only.
SELECT pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);


------------------------------------------------------------------------------
-- API review (issue #21): docs/api.md
------------------------------------------------------------------------------

-- Names that follow the naming rule of docs/api.md.  Each function keeps
-- its OID, grants and comment under the new name; the old name stays for
-- 0.3.0 as a wrapper that raises a deprecation WARNING naming the new one.
ALTER FUNCTION @extschema@.shc_jwe_encrypt(text, text, text, boolean) RENAME TO shc_link_encrypt;
-- Deprecated name (0.3.0; removed in 0.4.0): shc_link_encrypt.
CREATE FUNCTION @extschema@.shc_jwe_encrypt(plaintext text,
                                            key text,
                                            content_type text,
                                            zip boolean DEFAULT false)
RETURNS text
LANGUAGE plpgsql VOLATILE STRICT PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE WARNING 'shc_jwe_encrypt() is deprecated: it is now shc_link_encrypt()' USING ERRCODE = '01P01',
    HINT = 'Call shc_link_encrypt() instead, with the same arguments; the old name goes in 0.4.0.';
  RETURN @extschema@.shc_link_encrypt(plaintext, key, content_type, zip);
END
$$;
COMMENT ON FUNCTION @extschema@.shc_jwe_encrypt(text, text, text, boolean) IS
  'deprecated name of shc_link_encrypt (removed in 0.4.0)';

ALTER FUNCTION @extschema@.shc_jwe_decrypt(text, text) RENAME TO shc_link_decrypt;
-- Deprecated name (0.3.0; removed in 0.4.0): shc_link_decrypt.
CREATE FUNCTION @extschema@.shc_jwe_decrypt(jwe text,
                                            key text,
                                            OUT content_type text,
                                            OUT plaintext text)
RETURNS record
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE WARNING 'shc_jwe_decrypt() is deprecated: it is now shc_link_decrypt()' USING ERRCODE = '01P01',
    HINT = 'Call shc_link_decrypt() instead, with the same arguments; the old name goes in 0.4.0.';
  SELECT d.content_type, d.plaintext INTO content_type, plaintext
    FROM @extschema@.shc_link_decrypt(jwe, key) d;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_jwe_decrypt(text, text) IS
  'deprecated name of shc_link_decrypt (removed in 0.4.0)';

ALTER FUNCTION @extschema@.shc_shlink_encode(text, text, timestamptz, text, text, text) RENAME TO shc_link_encode;
-- Deprecated name (0.3.0; removed in 0.4.0): shc_link_encode.
CREATE FUNCTION @extschema@.shc_shlink_encode(url text,
                                              key text,
                                              exp timestamptz DEFAULT NULL::timestamptz,
                                              flag text DEFAULT NULL::text,
                                              label text DEFAULT NULL::text,
                                              viewer text DEFAULT NULL::text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE WARNING 'shc_shlink_encode() is deprecated: it is now shc_link_encode()' USING ERRCODE = '01P01',
    HINT = 'Call shc_link_encode() instead, with the same arguments; the old name goes in 0.4.0.';
  RETURN @extschema@.shc_link_encode(url, key, exp, flag, label, viewer);
END
$$;
COMMENT ON FUNCTION @extschema@.shc_shlink_encode(text, text, timestamptz, text, text, text) IS
  'deprecated name of shc_link_encode (removed in 0.4.0)';

ALTER FUNCTION @extschema@.shc_shlink_decode(text) RENAME TO shc_link_decode;
-- Deprecated name (0.3.0; removed in 0.4.0): shc_link_decode.
CREATE FUNCTION @extschema@.shc_shlink_decode(link text,
                                              OUT url text,
                                              OUT key text,
                                              OUT exp timestamptz,
                                              OUT flag text,
                                              OUT label text,
                                              OUT v integer,
                                              OUT viewer text)
RETURNS record
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE WARNING 'shc_shlink_decode() is deprecated: it is now shc_link_decode()' USING ERRCODE = '01P01',
    HINT = 'Call shc_link_decode() instead, with the same arguments; the old name goes in 0.4.0.';
  SELECT d.url, d.key, d.exp, d.flag, d.label, d.v, d.viewer
    INTO url, key, exp, flag, label, v, viewer
    FROM @extschema@.shc_link_decode(link) d;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_shlink_decode(text) IS
  'deprecated name of shc_link_decode (removed in 0.4.0)';

ALTER FUNCTION @extschema@.shc_trust_directory(jsonb) RENAME TO shc_trust_issuers;
-- Deprecated name (0.3.0; removed in 0.4.0): shc_trust_issuers.  It runs
-- as its caller: shc_trust_issuers checks the caller's right.
CREATE FUNCTION @extschema@.shc_trust_directory(directory jsonb)
RETURNS integer
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE WARNING 'shc_trust_directory() is deprecated: it is now shc_trust_issuers()' USING ERRCODE = '01P01',
    HINT = 'Call shc_trust_issuers() instead, with the same arguments; the old name goes in 0.4.0.';
  RETURN @extschema@.shc_trust_issuers(directory);
END
$$;
COMMENT ON FUNCTION @extschema@.shc_trust_directory(jsonb) IS
  'deprecated name of shc_trust_issuers (removed in 0.4.0)';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_trust_directory(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_trust_directory(jsonb) TO shc_trust_admin;

ALTER FUNCTION @extschema@.shc_check_setup(name[]) RENAME TO shc_setup_check;
-- Deprecated name (0.3.0; removed in 0.4.0): shc_setup_check.
CREATE FUNCTION @extschema@.shc_check_setup(search_path name[] DEFAULT current_schemas(false),
                                            OUT item text,
                                            OUT ok boolean,
                                            OUT detail text)
RETURNS SETOF record
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE ROWS 8
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE WARNING 'shc_check_setup() is deprecated: it is now shc_setup_check()' USING ERRCODE = '01P01',
    HINT = 'Call shc_setup_check() instead, with the same arguments; the old name goes in 0.4.0.';
  RETURN QUERY SELECT c.item, c.ok, c.detail FROM @extschema@.shc_setup_check(search_path) c;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_check_setup(name[]) IS
  'deprecated name of shc_setup_check (removed in 0.4.0)';

ALTER FUNCTION @extschema@.shc_distribute_trust() RENAME TO shc_trust_distribute;
-- its message names the new function
CREATE OR REPLACE FUNCTION @extschema@.shc_trust_distribute()
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- the trust store's tables, x5c anchors and policies included (and the
  -- record of directory imports, whose foreign key to the issuers Citus
  -- allows only between reference tables);
  -- the generation counter stays a plain table on each node, bumped by the
  -- triggers of that node's placements
  tables regclass[] := ARRAY(
    SELECT pg_catalog.to_regclass('shc.' || t)
      FROM pg_catalog.unnest(ARRAY['shc_trusted_issuer', 'shc_trusted_key',
                                   'shc_trusted_crl', 'shc_trusted_rid',
                                   'shc_directory_issuer', 'shc_trust_anchor',
                                   'shc_x5c_policy']) t
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
      MESSAGE = 'shc_trust_distribute() must run on the Citus coordinator';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_dist_node n WHERE n.groupid = 0) THEN
    RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
      MESSAGE = 'the Citus coordinator is not in the cluster''s metadata',
      DETAIL = 'The coordinator needs its own copy of the trust store.',
      HINT = 'Run SELECT citus_set_coordinator_host(''<host>'', <port>) first.';
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
-- Deprecated name (0.3.0; removed in 0.4.0): shc_trust_distribute.
CREATE FUNCTION @extschema@.shc_distribute_trust()
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE WARNING 'shc_distribute_trust() is deprecated: it is now shc_trust_distribute()' USING ERRCODE = '01P01',
    HINT = 'Call shc_trust_distribute() instead, with the same arguments; the old name goes in 0.4.0.';
  RETURN @extschema@.shc_trust_distribute();
END
$$;
COMMENT ON FUNCTION @extschema@.shc_distribute_trust() IS
  'deprecated name of shc_trust_distribute (removed in 0.4.0)';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_distribute_trust() FROM PUBLIC;

-- shc_link_verify_file calls shc_link_decrypt and names it in its hint.
CREATE OR REPLACE FUNCTION @extschema@.shc_link_verify_file(jwe text, key text, at timestamptz DEFAULT now())
RETURNS SETOF @extschema@.shc_verification
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE COST 2000 ROWS 1
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d record;
BEGIN
  d := @extschema@.shc_link_decrypt(jwe, key);
  IF d.content_type IS DISTINCT FROM 'application/smart-health-card' THEN
    RAISE EXCEPTION USING ERRCODE = 'wrong_object_type',
      MESSAGE = 'file is not a SMART Health Card file',
      DETAIL = pg_catalog.format('Its content type is %s.',
                                 coalesce(pg_catalog.quote_literal(d.content_type), 'missing')),
      HINT = 'Decrypt it with shc_link_decrypt() instead.';
  END IF;
  RETURN QUERY SELECT * FROM @extschema@.shc_verify_file(d.plaintext::jsonb, at);
END
$$;

-- Internal trigger functions: not for PUBLIC (a trigger or an event trigger
-- runs its function without checking EXECUTE).
REVOKE EXECUTE ON FUNCTION @extschema@.shc_cache_invalidate_trigger() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.shc_issue_trigger_check() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.shc_issue_trigger_forget() FROM PUBLIC;

-- The comment of role shc_trust_admin, when it is still the one shc wrote
-- (roles belong to the cluster: one an administrator made is left alone).
DO $$
BEGIN
  IF pg_catalog.shobj_description('shc_trust_admin'::pg_catalog.regrole, 'pg_authid')
     = 'shc: may change the verifier''s trust store through shc_trust, shc_trust_crl, shc_untrust and shc_trust_directory' THEN
    COMMENT ON ROLE shc_trust_admin IS 'shc: may change the verifier''s trust store: shc_trust, shc_trust_crl, shc_untrust, the directory loaders, x5c anchors and policies';
  END IF;
END
$$;
