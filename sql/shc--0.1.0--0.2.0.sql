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

-- 2g. Keys at rest (docs/security.md, "The root key").  Private scalars
-- and rid secrets are stored only sealed with AES-256-GCM under a root key
-- that is not in the database (shc.root_key_file or shc.root_key_command,
-- set by a superuser in postgresql.conf); the associated data is the row's
-- identity ("shc key <kid>", "shc rid secret <version> <iss>"), so a sealed
-- value does not open in another row.  src/shc_secret.c holds the format.

-- TEMPORARY until the roles of 2a are merged in: the roles granted below
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['shc_key_admin', 'shc_issuer', 'shc_trust_admin'] LOOP
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles a WHERE a.rolname = r) THEN
      EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
    END IF;
  END LOOP;
END
$$;
GRANT EXECUTE ON FUNCTION shc.shc_issue(jsonb, text, timestamptz, timestamptz, text, boolean)
  TO shc_issuer;
-- (end of TEMPORARY)

ALTER TABLE shc.shc_private_keys ADD COLUMN sealed_d bytea;
ALTER TABLE shc.shc_private_rid_secrets ADD COLUMN sealed_secret bytea;

-- A 0.1.0 database holds them in clear: seal them now (this needs the root
-- key when there is anything to seal, and says so when it is missing).
CREATE FUNCTION shc.shc_secrets_seal_cleartext()
RETURNS bigint
AS 'MODULE_PATHNAME', 'shc_secrets_seal_cleartext_sql'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp;
SELECT shc.shc_secrets_seal_cleartext();
DROP FUNCTION shc.shc_secrets_seal_cleartext();

ALTER TABLE shc.shc_private_keys DROP COLUMN d;
ALTER TABLE shc.shc_private_keys ALTER COLUMN sealed_d SET NOT NULL;
ALTER TABLE shc.shc_private_rid_secrets DROP COLUMN secret;
ALTER TABLE shc.shc_private_rid_secrets ALTER COLUMN sealed_secret SET NOT NULL;
-- Rewrite both tables, so the dropped cleartext columns leave their heap
-- files (a dropped column keeps its bytes until the row is rewritten).
CLUSTER shc.shc_private_keys USING shc_private_keys_pkey;
ALTER TABLE shc.shc_private_keys SET WITHOUT CLUSTER;
CLUSTER shc.shc_private_rid_secrets USING shc_private_rid_secrets_pkey;
ALTER TABLE shc.shc_private_rid_secrets SET WITHOUT CLUSTER;

COMMENT ON TABLE shc.shc_private_keys IS
'private scalar d of each active signing key, sealed (AES-256-GCM) under the root key; deleted when the key is retired';
COMMENT ON COLUMN shc.shc_private_keys.sealed_d IS
'version, root key id, nonce, ciphertext and tag of d; associated data "shc key <kid>"';
COMMENT ON TABLE shc.shc_private_rid_secrets IS
'rid HMAC secret of each version, sealed (AES-256-GCM) under the root key';
COMMENT ON COLUMN shc.shc_private_rid_secrets.sealed_secret IS
'version, root key id, nonce, ciphertext and tag of the secret text; associated data "shc rid secret <version> <iss>"';

-- Ciphertext only: the database owner may read it, so that a database
-- owner who is not a superuser can pg_dump the database.  It is of no use
-- without the root key.
GRANT SELECT ON shc.shc_private_keys, shc.shc_private_rid_secrets TO pg_database_owner;

-- Who may sign for an issuer.  An issuer without rows here: every role that
-- may execute shc_issue (shc_issuer).  An issuer with rows: only members of
-- the roles listed and superusers.
CREATE TABLE shc.shc_issuer_grants (
  iss        text NOT NULL CHECK (iss ~ '^https://[^/]' AND iss !~ '/$'),
  grantee    regrole NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  PRIMARY KEY (iss, grantee)
);
COMMENT ON TABLE shc.shc_issuer_grants IS
'roles allowed to sign for an issuer; an issuer with no row: every role allowed to execute shc_issue';
REVOKE ALL ON shc.shc_issuer_grants FROM PUBLIC;
GRANT SELECT ON shc.shc_issuer_grants TO PUBLIC;
CREATE TRIGGER shc_issuer_grants_cache_invalidate
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON shc.shc_issuer_grants
  FOR EACH STATEMENT EXECUTE FUNCTION shc.shc_cache_invalidate_trigger();
SELECT pg_catalog.pg_extension_config_dump('shc.shc_issuer_grants', '');

CREATE FUNCTION shc.shc_issuer_grant(iss text, role regrole)
RETURNS boolean
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF iss !~ '^https://[^/]' OR iss ~ '/$' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'invalid issuer URL',
      DETAIL = 'An issuer URL starts with "https://" and does not end with "/".';
  END IF;
  INSERT INTO shc.shc_issuer_grants AS g (iss, grantee)
    VALUES (shc_issuer_grant.iss, shc_issuer_grant.role)
    ON CONFLICT DO NOTHING;
  RETURN FOUND;
END
$$;
COMMENT ON FUNCTION shc.shc_issuer_grant(text, regrole) IS
'allow a role (and its members) to sign for an issuer; from the first grant on, only grantees and superusers sign for it; false when already granted';

CREATE FUNCTION shc.shc_issuer_revoke(iss text, role regrole)
RETURNS boolean
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  DELETE FROM shc.shc_issuer_grants g
   WHERE g.iss = shc_issuer_revoke.iss AND g.grantee = shc_issuer_revoke.role;
  RETURN FOUND;
END
$$;
COMMENT ON FUNCTION shc.shc_issuer_revoke(text, regrole) IS
'withdraw a role''s grant to sign for an issuer (with no grant left, every shc_issuer member signs for it again); false when there was none';

-- shc_issue runs as its caller, so that the caller's right to sign for the
-- key's issuer can be checked; the C code reads the key tables as the
-- extension owner.  A key argument starting with https:// names an issuer:
-- its newest usable key at signing time.
ALTER FUNCTION shc.shc_issue(jsonb, text, timestamptz, timestamptz, text, boolean) SECURITY INVOKER;
COMMENT ON FUNCTION shc.shc_issue(jsonb, text, timestamptz, timestamptz, text, boolean) IS
'SMART Health Card (compact JWS) of a FHIR Bundle, signed with the stored key whose kid is given, or with the newest usable key of the issuer URL given';

-- The issue trigger's one call: card, signing kid and rid (derived under
-- that kid) that agree even while a key rotation commits.
CREATE FUNCTION shc.shc_issue_card(bundle jsonb, key text,
                                   nbf timestamptz DEFAULT pg_catalog.now(),
                                   exp timestamptz DEFAULT NULL,
                                   subject text DEFAULT NULL,
                                   minimize boolean DEFAULT true,
                                   OUT card text, OUT kid text, OUT rid text)
RETURNS record
AS 'MODULE_PATHNAME', 'shc_issue_card_sql'
LANGUAGE C VOLATILE PARALLEL RESTRICTED COST 1000
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION shc.shc_issue_card(jsonb, text, timestamptz, timestamptz, text, boolean) IS
'SMART Health Card of a FHIR Bundle like shc_issue (kid, or issuer URL for its newest usable key), with the kid that signed it and, given a subject, the rid of that subject under that kid (in the card too)';
REVOKE EXECUTE ON FUNCTION shc.shc_issue_card(jsonb, text, timestamptz, timestamptz, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION shc.shc_issue_card(jsonb, text, timestamptz, timestamptz, text, boolean) TO shc_issuer;

-- Importing without the key in the statement: from a server-side file.
CREATE FUNCTION shc.shc_key_import_file(iss text, path text)
RETURNS text
AS 'MODULE_PATHNAME', 'shc_key_import_file_sql'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE COST 1000
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION shc.shc_key_import_file(text, text) IS
'store the private JWK held by a server-side file (absolute path) as a signing key of an issuer, return its kid; the caller must be allowed to read server files';

CREATE FUNCTION shc.shc_rid_secret_import_file(iss text, path text)
RETURNS integer
AS 'MODULE_PATHNAME', 'shc_rid_secret_import_file_sql'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION shc.shc_rid_secret_import_file(text, text) IS
'store the rid secret held by a server-side file (absolute path) as an issuer''s current one, return its version; the caller must be allowed to read server files';

CREATE FUNCTION shc.shc_root_key_id()
RETURNS text
AS 'MODULE_PATHNAME', 'shc_root_key_id_sql'
LANGUAGE C STABLE PARALLEL RESTRICTED COST 100
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION shc.shc_root_key_id() IS
'id (16 hex digits, a hash) of the configured root key that seals private keys and secrets; NULL when none is configured';

CREATE FUNCTION shc.shc_root_key_rotate()
RETURNS bigint
AS 'MODULE_PATHNAME', 'shc_root_key_rotate_sql'
LANGUAGE C VOLATILE PARALLEL UNSAFE COST 1000
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION shc.shc_root_key_rotate() IS
'reseal every stored private key and secret under the current root key (opening those sealed under shc.root_key_previous_*); returns how many were resealed';

REVOKE EXECUTE ON FUNCTION shc.shc_issuer_grant(text, regrole), shc.shc_issuer_revoke(text, regrole),
  shc.shc_key_import_file(text, text), shc.shc_rid_secret_import_file(text, text),
  shc.shc_root_key_id(), shc.shc_root_key_rotate() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION shc.shc_issuer_grant(text, regrole), shc.shc_issuer_revoke(text, regrole),
  shc.shc_key_import_file(text, text), shc.shc_rid_secret_import_file(text, text),
  shc.shc_root_key_id(), shc.shc_root_key_rotate() TO shc_key_admin;

------------------------------------------------------------------------------
-- 3. One rulebook (issue 11)
------------------------------------------------------------------------------

------------------------------------------------------------------------------
-- 4. Adoption (issue 12)
------------------------------------------------------------------------------

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
