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

-- SMART Health Links (SHC-NOTES 15): a holder shares cards, FHIR resources
-- and smart-api-access documents through one shlink:/ (one QR code at EC
-- level M).  Map of this section:
--   7a. roles: shc_issuer creates links; shc_link_server is the role of the
--       HTTP layer that answers manifest and file requests
--   7b. tables: links (sealed key, passcode hash, attempts), their files
--       (JWE only), short-lived location tokens, the access log
--   7c. codecs open to everyone: JWE encrypt/decrypt, shlink:/ encode/decode,
--       decrypt-and-verify of a card file
--   7d. internal C helpers (no EXECUTE for anyone but the owner)
--   7e. creating and managing links (shc_issuer)
--   7f. answering requests (shc_link_server): manifest, location, direct

-- 7a. Roles (reused when they exist: roles belong to the cluster).
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['shc_issuer', 'shc_link_server'] LOOP
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles a WHERE a.rolname = r) THEN
      EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
      EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', r, CASE r
        WHEN 'shc_issuer' THEN 'shc: may sign SMART Health Cards (shc_issue, the issue trigger) and compute rids'
        ELSE 'shc: the HTTP layer of SMART Health Links: answers manifest, location and direct file requests' END);
    END IF;
  END LOOP;
END
$$;

-- 7b. Tables.  Nothing here is readable by PUBLIC; shc_issuer may read the
-- columns of shc_links that hold no secret, and the access log.
CREATE TABLE shc.shc_links (
  link_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  manifest_id text NOT NULL UNIQUE CHECK (manifest_id ~ '^[A-Za-z0-9_-]{43}$'),
  url text NOT NULL CHECK (pg_catalog.length(url) <= 128),
  base_url text NOT NULL,
  flag text NOT NULL DEFAULT '' CHECK (flag IN ('', 'L', 'P', 'U', 'LP', 'LU')),
  label text,
  exp timestamptz,
  viewer text,
  passcode_hash text,
  attempts_left integer CHECK (attempts_left >= 0),
  key_sealed bytea,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  created_by name NOT NULL DEFAULT SESSION_USER,
  CHECK ((passcode_hash IS NULL) = (attempts_left IS NULL)),
  CHECK ((pg_catalog.strpos(flag, 'P') > 0) = (passcode_hash IS NOT NULL)),
  CHECK (active OR key_sealed IS NULL)
);
COMMENT ON TABLE shc.shc_links IS
'SMART Health Links: one row per link; the key is sealed under the root key, the passcode kept as an scrypt hash';

CREATE TABLE shc.shc_link_files (
  link_id bigint NOT NULL REFERENCES shc.shc_links (link_id) ON DELETE CASCADE,
  file_no integer NOT NULL CHECK (file_no >= 1),
  content_type text NOT NULL CHECK (content_type IN
    ('application/smart-health-card', 'application/fhir+json', 'application/smart-api-access')),
  jwe text NOT NULL,
  added_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  PRIMARY KEY (link_id, file_no)
);
COMMENT ON TABLE shc.shc_link_files IS
'files of SMART Health Links, stored only as compact JWE encrypted under the link''s key';

CREATE TABLE shc.shc_link_locations (
  token text PRIMARY KEY CHECK (token ~ '^[A-Za-z0-9_-]{43}$'),
  link_id bigint NOT NULL,
  file_no integer NOT NULL,
  recipient text,
  expires_at timestamptz NOT NULL,
  FOREIGN KEY (link_id, file_no) REFERENCES shc.shc_link_files ON DELETE CASCADE
);
COMMENT ON TABLE shc.shc_link_locations IS
'location URLs handed out in manifests: a random token per file and request, valid one hour';

CREATE TABLE shc.shc_link_access (
  access_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  link_id bigint,
  request text NOT NULL CHECK (request IN ('manifest', 'file', 'direct')),
  at timestamptz NOT NULL,
  recipient text,
  db_role name NOT NULL DEFAULT SESSION_USER,
  outcome text NOT NULL,
  logged_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
CREATE INDEX ON shc.shc_link_access (link_id, at);
COMMENT ON TABLE shc.shc_link_access IS
'every request to a SMART Health Link: which link (NULL when unknown), when, the recipient it named, the database role that asked, the outcome';

REVOKE ALL ON shc.shc_links, shc.shc_link_files, shc.shc_link_locations,
  shc.shc_link_access FROM PUBLIC;
GRANT SELECT (link_id, manifest_id, url, flag, label, exp, attempts_left,
  active, created_at, created_by) ON shc.shc_links TO shc_issuer;
GRANT SELECT ON shc.shc_link_access TO shc_issuer;

SELECT pg_catalog.pg_extension_config_dump('shc.shc_links', '');
SELECT pg_catalog.pg_extension_config_dump('shc.shc_link_files', '');
SELECT pg_catalog.pg_extension_config_dump('shc.shc_link_access', '');
SELECT pg_catalog.pg_extension_config_dump(
  pg_catalog.pg_get_serial_sequence('shc.shc_links', 'link_id'), '');
SELECT pg_catalog.pg_extension_config_dump(
  pg_catalog.pg_get_serial_sequence('shc.shc_link_access', 'access_id'), '');

-- What an HTTP layer needs to answer: outcome is ok, bad_request,
-- unauthorized (wrong or missing passcode), locked (no attempts left),
-- expired or not_found; http_status is the status code to send (200, 400,
-- 401, 404); body is the text to send with content_type.
CREATE TYPE shc.shc_link_response AS (
  outcome text,
  http_status integer,
  content_type text,
  body text
);
COMMENT ON TYPE shc.shc_link_response IS
'answer to a SMART Health Link request: outcome (ok, bad_request, unauthorized, locked, expired, not_found), HTTP status, content type and body';

-- 7c. Codecs, open to everyone.
CREATE FUNCTION shc.shc_jwe_encrypt(plaintext text, key text,
  content_type text, zip boolean DEFAULT false)
RETURNS text
AS 'MODULE_PATHNAME', 'shc_jwe_encrypt_sql'
LANGUAGE C VOLATILE STRICT PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION shc.shc_jwe_encrypt(text, text, text, boolean) IS
'compact JWE (alg dir, enc A256GCM, cty content_type, zip DEF when asked) of plaintext under a 43-character base64url key; a fresh random IV each call';

CREATE FUNCTION shc.shc_jwe_decrypt(jwe text, key text,
  OUT content_type text, OUT plaintext text)
RETURNS record
AS 'MODULE_PATHNAME', 'shc_jwe_decrypt_sql'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION shc.shc_jwe_decrypt(text, text) IS
'decrypt a compact JWE (alg dir, enc A256GCM, optional zip DEF) with a 43-character base64url key: its cty and plaintext';

CREATE FUNCTION shc.shc_shlink_decode(link text,
  OUT url text, OUT key text, OUT exp timestamptz, OUT flag text,
  OUT label text, OUT v integer, OUT viewer text)
RETURNS record
AS 'MODULE_PATHNAME', 'shc_shlink_decode_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION shc.shc_shlink_decode(text) IS
'the fields of a shlink:/ text (with or without a viewer prefix), every payload rule checked';

CREATE FUNCTION shc.shc_shlink_encode(url text, key text,
  exp timestamptz DEFAULT NULL, flag text DEFAULT NULL,
  label text DEFAULT NULL, viewer text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'shc_shlink_encode_sql'
LANGUAGE C IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION shc.shc_shlink_encode(text, text, timestamptz, text, text, text) IS
'shlink:/ text (v 1) of a manifest URL and key with optional expiry, flags, label and viewer prefix, every payload rule checked';

CREATE FUNCTION shc.shc_link_verify_file(jwe text, key text,
  at timestamptz DEFAULT pg_catalog.now())
RETURNS SETOF shc.shc_verification
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE COST 2000 ROWS 1
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d record;
BEGIN
  d := shc.shc_jwe_decrypt(jwe, key);
  IF d.content_type IS DISTINCT FROM 'application/smart-health-card' THEN
    RAISE EXCEPTION USING ERRCODE = 'wrong_object_type',
      MESSAGE = 'file is not a SMART Health Card file',
      DETAIL = pg_catalog.format('Its content type is %s.',
                                 coalesce(pg_catalog.quote_literal(d.content_type), 'missing')),
      HINT = 'Decrypt it with shc_jwe_decrypt() instead.';
  END IF;
  RETURN QUERY SELECT * FROM shc.shc_verify_file(d.plaintext::jsonb, at);
END
$$;
COMMENT ON FUNCTION shc.shc_link_verify_file(text, text, timestamptz) IS
'decrypt an application/smart-health-card file of a SMART Health Link and verify each of its cards (shc_verify_file)';

-- 7d. Internal helpers: the key exists in clear only inside them.
CREATE FUNCTION shc.shc_link_random_id()
RETURNS text
AS 'MODULE_PATHNAME', 'shc_link_random_id_sql'
LANGUAGE C VOLATILE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION shc.shc_link_random_id() IS
'internal: 43 base64url characters of 256 random bits from OpenSSL (manifest ids, location tokens)';

CREATE FUNCTION shc.shc_link_passcode_hash(passcode text)
RETURNS text
AS 'MODULE_PATHNAME', 'shc_link_passcode_hash_sql'
LANGUAGE C VOLATILE STRICT PARALLEL SAFE COST 10000
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION shc.shc_link_passcode_hash(text) IS
'internal: scrypt hash (N 2^14, r 8, p 1, random salt) of a link passcode';

CREATE FUNCTION shc.shc_link_passcode_check(passcode text, stored text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'shc_link_passcode_check_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10000
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION shc.shc_link_passcode_check(text, text) IS
'internal: whether a passcode matches its stored scrypt hash (constant-time comparison)';

CREATE FUNCTION shc.shc_link_encrypt_files(manifest_id text, key_sealed bytea,
  content_types text[], contents text[], OUT key_sealed bytea, OUT jwes text[])
RETURNS record
AS 'MODULE_PATHNAME', 'shc_link_encrypt_sql'
LANGUAGE C VOLATILE PARALLEL UNSAFE COST 1000
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION shc.shc_link_encrypt_files(text, bytea, text[], text[]) IS
'internal: encrypt files under a link''s key (a new key sealed under the root key when key_sealed is NULL)';

CREATE FUNCTION shc.shc_link_encode_sealed(manifest_id text, key_sealed bytea,
  url text, exp timestamptz, flag text, label text, viewer text)
RETURNS text
AS 'MODULE_PATHNAME', 'shc_link_uri_sql'
LANGUAGE C STABLE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION shc.shc_link_encode_sealed(text, bytea, text, timestamptz, text, text, text) IS
'internal: the shlink:/ text of a stored link, its sealed key opened for the encoding only';

-- A link's file from what the caller gave: a compact JWS (a card), or an
-- object {"contentType": ..., "content": ...}.  Content is stored as
-- compact JSON.
CREATE FUNCTION shc.shc_link_file_content(file jsonb,
  OUT content_type text, OUT content text)
RETURNS record
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  c jsonb;
BEGIN
  IF pg_catalog.jsonb_typeof(file) = 'string' THEN
    content_type := 'application/smart-health-card';
    c := pg_catalog.jsonb_build_object('verifiableCredential', pg_catalog.jsonb_build_array(file));
  ELSIF pg_catalog.jsonb_typeof(file) = 'object'
        AND pg_catalog.jsonb_typeof(file -> 'contentType') = 'string'
        AND file ? 'content' THEN
    content_type := file ->> 'contentType';
    c := file -> 'content';
    IF content_type = 'application/smart-health-card' AND pg_catalog.jsonb_typeof(c) = 'string' THEN
      c := pg_catalog.jsonb_build_object('verifiableCredential', pg_catalog.jsonb_build_array(c));
    END IF;
    IF content_type NOT IN ('application/smart-health-card', 'application/fhir+json',
                            'application/smart-api-access') THEN
      RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
        MESSAGE = 'invalid SMART Health Link file',
        DETAIL = pg_catalog.format('Content type %s is not one a SMART Health Link carries.',
                                   pg_catalog.quote_literal(pg_catalog.left(content_type, 60))),
        HINT = 'Use application/smart-health-card, application/fhir+json or application/smart-api-access.';
    END IF;
    IF pg_catalog.jsonb_typeof(c) <> 'object' THEN
      RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
        MESSAGE = 'invalid SMART Health Link file',
        DETAIL = 'Its content must be a JSON object.';
    END IF;
  ELSE
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'invalid SMART Health Link file',
      DETAIL = 'A file is a compact JWS card, or an object with "contentType" and "content".';
  END IF;
  IF content_type = 'application/smart-health-card'
     AND (pg_catalog.jsonb_typeof(c -> 'verifiableCredential') IS DISTINCT FROM 'array'
          OR pg_catalog.jsonb_array_length(c -> 'verifiableCredential') = 0
          OR EXISTS (SELECT FROM pg_catalog.jsonb_array_elements(c -> 'verifiableCredential') e
                      WHERE pg_catalog.jsonb_typeof(e) <> 'string'
                         OR NOT (e #>> '{}') ~ '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$')) THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'invalid SMART Health Link file',
      DETAIL = 'A SMART Health Card file holds "verifiableCredential": an array of compact JWS.';
  END IF;
  IF content_type = 'application/fhir+json'
     AND pg_catalog.jsonb_typeof(c -> 'resourceType') IS DISTINCT FROM 'string' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'invalid SMART Health Link file',
      DETAIL = 'A FHIR file is a resource with a "resourceType".';
  END IF;
  content := shc.shc_json_compact(c);
END
$$;
COMMENT ON FUNCTION shc.shc_link_file_content(jsonb) IS
'internal: content type and compact JSON of a SMART Health Link file given as a compact JWS or {"contentType","content"}';

CREATE FUNCTION shc.shc_link_log(link_id bigint, request text, at timestamptz,
  recipient text, outcome text)
RETURNS void
LANGUAGE sql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
  INSERT INTO shc.shc_link_access (link_id, request, at, recipient, outcome)
  VALUES ($1, $2, $3, pg_catalog.left($4, 200), $5)
$$;
COMMENT ON FUNCTION shc.shc_link_log(bigint, text, timestamptz, text, text) IS
'internal: one row of the SMART Health Link access log';

CREATE FUNCTION shc.shc_link_answer(outcome text, http_status integer, body jsonb)
RETURNS shc.shc_link_response
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT ROW($1, $2, 'application/json', $3::text)::shc.shc_link_response
$$;
COMMENT ON FUNCTION shc.shc_link_answer(text, integer, jsonb) IS
'internal: a JSON shc_link_response';

-- 7e. Creating and managing links (shc_issuer).
CREATE FUNCTION shc.shc_link_create(files jsonb, base_url text,
  passcode text DEFAULT NULL, exp timestamptz DEFAULT NULL,
  label text DEFAULT NULL, flag text DEFAULT NULL, viewer text DEFAULT NULL,
  max_attempts integer DEFAULT 10)
RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10000
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  cts text[];
  contents text[];
  f record;
  flags text := '';
  mid text;
  murl text;
  enc record;
  lid bigint;
BEGIN
  IF files IS NULL OR pg_catalog.jsonb_typeof(files) <> 'array'
     OR pg_catalog.jsonb_array_length(files) = 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'a SMART Health Link needs at least one file',
      HINT = 'Pass a JSON array of compact JWS cards or {"contentType","content"} objects.';
  END IF;
  IF base_url IS NULL OR base_url !~ '^https?://[^/?#[:space:]]+(/[^?#[:space:]]*)?$'
     OR base_url ~ '/$' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'invalid SMART Health Link base URL',
      DETAIL = 'It must be an http or https URL without a query, a fragment or a trailing "/".';
  END IF;
  -- the manifest URL is base_url/<43 characters> and at most 128 long
  IF pg_catalog.length(base_url) > 128 - 44 THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'invalid SMART Health Link base URL',
      DETAIL = pg_catalog.format('It has %s characters; the manifest URL it makes must fit in 128, so at most 84.',
                                 pg_catalog.length(base_url));
  END IF;
  IF flag IS NOT NULL AND flag !~ '^L?P?U?$' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'invalid SMART Health Link flag',
      DETAIL = 'Flags are L, P and U, each at most once, in alphabetical order.';
  END IF;
  IF pg_catalog.strpos(coalesce(flag, ''), 'P') > 0 AND passcode IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'invalid SMART Health Link flag',
      DETAIL = 'Flag P needs a passcode.';
  END IF;
  IF pg_catalog.strpos(coalesce(flag, ''), 'U') > 0 THEN
    IF passcode IS NOT NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
        MESSAGE = 'invalid SMART Health Link flag',
        DETAIL = 'Flag U (direct file access) cannot be combined with a passcode (flag P).';
    END IF;
    IF pg_catalog.jsonb_array_length(files) <> 1 THEN
      RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
        MESSAGE = 'invalid SMART Health Link flag',
        DETAIL = pg_catalog.format('Flag U serves a single file; %s were given.',
                                   pg_catalog.jsonb_array_length(files));
    END IF;
  END IF;
  IF passcode IS NOT NULL AND (max_attempts IS NULL OR max_attempts < 1 OR max_attempts > 1000) THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'invalid number of passcode attempts',
      DETAIL = 'It must be between 1 and 1000.';
  END IF;
  IF exp IS NOT NULL AND exp <= pg_catalog.now() THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'SMART Health Link expiry is in the past';
  END IF;
  IF pg_catalog.strpos(coalesce(flag, ''), 'L') > 0 THEN flags := flags || 'L'; END IF;
  IF passcode IS NOT NULL THEN flags := flags || 'P'; END IF;
  IF pg_catalog.strpos(coalesce(flag, ''), 'U') > 0 THEN flags := flags || 'U'; END IF;

  FOR f IN SELECT (shc.shc_link_file_content(e)).* FROM pg_catalog.jsonb_array_elements(files) e LOOP
    cts := cts || f.content_type;
    contents := contents || f.content;
  END LOOP;

  mid := shc.shc_link_random_id();
  murl := base_url || '/' || mid;
  enc := shc.shc_link_encrypt_files(mid, NULL, cts, contents);
  INSERT INTO shc.shc_links (manifest_id, url, base_url, flag, label, exp, viewer,
                             passcode_hash, attempts_left, key_sealed)
  VALUES (mid, murl, base_url, flags, label, exp, viewer,
          CASE WHEN passcode IS NOT NULL THEN shc.shc_link_passcode_hash(passcode) END,
          CASE WHEN passcode IS NOT NULL THEN max_attempts END, enc.key_sealed)
  RETURNING link_id INTO lid;
  INSERT INTO shc.shc_link_files (link_id, file_no, content_type, jwe)
  SELECT lid, x.n, x.ct, x.jwe
    FROM ROWS FROM (pg_catalog.unnest(cts), pg_catalog.unnest(enc.jwes)) WITH ORDINALITY AS x(ct, jwe, n);
  RETURN shc.shc_link_encode_sealed(mid, enc.key_sealed, murl, exp,
                                    NULLIF(flags, ''), label, viewer);
END
$$;
COMMENT ON FUNCTION shc.shc_link_create(jsonb, text, text, timestamptz, text, text, text, integer) IS
'store a new SMART Health Link for files (compact JWS cards or {"contentType","content"}) served under base_url; returns its shlink:/ text';

CREATE FUNCTION shc.shc_link_uri(manifest_id text)
RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL UNSAFE COST 100
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  l shc.shc_links;
BEGIN
  SELECT * INTO l FROM shc.shc_links k WHERE k.manifest_id = shc_link_uri.manifest_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_object',
      MESSAGE = 'SMART Health Link does not exist';
  END IF;
  RETURN shc.shc_link_encode_sealed(l.manifest_id, l.key_sealed, l.url, l.exp,
                                    NULLIF(l.flag, ''), l.label, l.viewer);
END
$$;
COMMENT ON FUNCTION shc.shc_link_uri(text) IS
'the shlink:/ text of a stored, active SMART Health Link (to print its QR code again)';

CREATE FUNCTION shc.shc_link_add_file(manifest_id text, file jsonb)
RETURNS integer
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE COST 1000
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  l shc.shc_links;
  f record;
  enc record;
  n integer;
BEGIN
  SELECT * INTO l FROM shc.shc_links k WHERE k.manifest_id = shc_link_add_file.manifest_id
     FOR UPDATE;
  IF NOT FOUND OR NOT l.active THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_object',
      MESSAGE = 'SMART Health Link does not exist or is not active';
  END IF;
  IF pg_catalog.strpos(l.flag, 'U') > 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'a SMART Health Link with flag U serves a single file';
  END IF;
  f := shc.shc_link_file_content(file);
  enc := shc.shc_link_encrypt_files(l.manifest_id, l.key_sealed,
                                    ARRAY[f.content_type], ARRAY[f.content]);
  SELECT coalesce(pg_catalog.max(x.file_no), 0) + 1 INTO n
    FROM shc.shc_link_files x WHERE x.link_id = l.link_id;
  INSERT INTO shc.shc_link_files (link_id, file_no, content_type, jwe)
  VALUES (l.link_id, n, f.content_type, enc.jwes[1]);
  RETURN n;
END
$$;
COMMENT ON FUNCTION shc.shc_link_add_file(text, jsonb) IS
'add a file to an active SMART Health Link (an update the receiver sees on its next manifest request); returns its number';

CREATE FUNCTION shc.shc_link_deactivate(manifest_id text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  lid bigint;
BEGIN
  UPDATE shc.shc_links k SET active = false, key_sealed = NULL
   WHERE k.manifest_id = shc_link_deactivate.manifest_id
  RETURNING k.link_id INTO lid;
  IF lid IS NULL THEN
    RETURN false;
  END IF;
  DELETE FROM shc.shc_link_files x WHERE x.link_id = lid;
  RETURN true;
END
$$;
COMMENT ON FUNCTION shc.shc_link_deactivate(text) IS
'end a SMART Health Link: its key and files are deleted, every later request answers not_found';

-- 7f. Answering requests (shc_link_server).  Each returns a
-- shc_link_response and never raises for a bad request, so the attempt
-- counter and the access log are committed with the answer.
CREATE FUNCTION shc.shc_link_manifest(manifest_id text, request jsonb,
  at timestamptz DEFAULT pg_catalog.now())
RETURNS shc.shc_link_response
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10000
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  l shc.shc_links;
  recipient text;
  pass text;
  elm numeric;
  files jsonb := '[]';
  fr record;
  tok text;
BEGIN
  IF at IS NULL THEN
    at := pg_catalog.now();
  END IF;
  SELECT * INTO l FROM shc.shc_links k WHERE k.manifest_id = shc_link_manifest.manifest_id
     FOR UPDATE;
  IF pg_catalog.jsonb_typeof(request) IS DISTINCT FROM 'object'
     OR pg_catalog.jsonb_typeof(request -> 'recipient') IS DISTINCT FROM 'string'
     OR request ->> 'recipient' = ''
     OR (request ? 'passcode' AND pg_catalog.jsonb_typeof(request -> 'passcode') <> 'string')
     OR (request ? 'embeddedLengthMax'
         AND (pg_catalog.jsonb_typeof(request -> 'embeddedLengthMax') <> 'number'
              OR (request ->> 'embeddedLengthMax')::numeric < 0)) THEN
    PERFORM shc.shc_link_log(l.link_id, 'manifest', at, request ->> 'recipient', 'bad_request');
    RETURN shc.shc_link_answer('bad_request', 400, '{"error":"a manifest request is {\"recipient\": string, \"passcode\"?: string, \"embeddedLengthMax\"?: number}"}');
  END IF;
  recipient := request ->> 'recipient';
  IF l.link_id IS NULL OR NOT l.active THEN
    PERFORM shc.shc_link_log(l.link_id, 'manifest', at, recipient, 'not_found');
    RETURN shc.shc_link_answer('not_found', 404, '{"error":"no such SMART Health Link"}');
  END IF;
  IF l.exp IS NOT NULL AND l.exp <= at THEN
    PERFORM shc.shc_link_log(l.link_id, 'manifest', at, recipient, 'expired');
    RETURN shc.shc_link_answer('expired', 404, '{"error":"this SMART Health Link has expired"}');
  END IF;
  IF l.passcode_hash IS NOT NULL THEN
    IF l.attempts_left <= 0 THEN
      PERFORM shc.shc_link_log(l.link_id, 'manifest', at, recipient, 'locked');
      RETURN shc.shc_link_answer('locked', 404, '{"error":"this SMART Health Link is locked after too many wrong passcodes","remainingAttempts":0}');
    END IF;
    pass := request ->> 'passcode';
    IF pass IS NULL THEN
      PERFORM shc.shc_link_log(l.link_id, 'manifest', at, recipient, 'unauthorized');
      RETURN shc.shc_link_answer('unauthorized', 401,
        pg_catalog.jsonb_build_object('error', 'a passcode is required', 'remainingAttempts', l.attempts_left));
    END IF;
    IF NOT shc.shc_link_passcode_check(pass, l.passcode_hash) THEN
      UPDATE shc.shc_links k SET attempts_left = k.attempts_left - 1
       WHERE k.link_id = l.link_id;
      PERFORM shc.shc_link_log(l.link_id, 'manifest', at, recipient, 'unauthorized');
      RETURN shc.shc_link_answer('unauthorized', 401,
        pg_catalog.jsonb_build_object('error', 'wrong passcode', 'remainingAttempts', l.attempts_left - 1));
    END IF;
  END IF;
  elm := (request ->> 'embeddedLengthMax')::numeric;
  DELETE FROM shc.shc_link_locations x WHERE x.expires_at <= at;
  FOR fr IN SELECT x.file_no, x.content_type, x.jwe FROM shc.shc_link_files x
             WHERE x.link_id = l.link_id ORDER BY x.file_no LOOP
    IF elm IS NOT NULL AND pg_catalog.length(fr.jwe) <= elm THEN
      files := files || pg_catalog.jsonb_build_object('contentType', fr.content_type,
                                                      'embedded', fr.jwe);
    ELSE
      tok := shc.shc_link_random_id();
      INSERT INTO shc.shc_link_locations (token, link_id, file_no, recipient, expires_at)
      VALUES (tok, l.link_id, fr.file_no, recipient, at + interval '1 hour');
      files := files || pg_catalog.jsonb_build_object('contentType', fr.content_type,
                                                      'location', l.base_url || '/file/' || tok);
    END IF;
  END LOOP;
  PERFORM shc.shc_link_log(l.link_id, 'manifest', at, recipient, 'ok');
  RETURN shc.shc_link_answer('ok', 200, pg_catalog.jsonb_build_object('files', files));
END
$$;
COMMENT ON FUNCTION shc.shc_link_manifest(text, jsonb, timestamptz) IS
'answer a SMART Health Link manifest request (POST body: recipient, passcode, embeddedLengthMax) at a time; counts passcode attempts and logs the access';

CREATE FUNCTION shc.shc_link_file(token text, at timestamptz DEFAULT pg_catalog.now())
RETURNS shc.shc_link_response
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r record;
BEGIN
  IF at IS NULL THEN
    at := pg_catalog.now();
  END IF;
  SELECT x.link_id, x.expires_at, x.recipient, f.jwe, k.active, k.exp INTO r
    FROM shc.shc_link_locations x
    JOIN shc.shc_link_files f USING (link_id, file_no)
    JOIN shc.shc_links k ON k.link_id = x.link_id
   WHERE x.token = shc_link_file.token;
  IF NOT FOUND OR NOT r.active THEN
    PERFORM shc.shc_link_log(r.link_id, 'file', at, r.recipient, 'not_found');
    RETURN shc.shc_link_answer('not_found', 404, '{"error":"no such file"}');
  END IF;
  IF r.expires_at <= at OR (r.exp IS NOT NULL AND r.exp <= at) THEN
    PERFORM shc.shc_link_log(r.link_id, 'file', at, r.recipient, 'expired');
    RETURN shc.shc_link_answer('expired', 404, '{"error":"this location has expired"}');
  END IF;
  PERFORM shc.shc_link_log(r.link_id, 'file', at, r.recipient, 'ok');
  RETURN ROW('ok', 200, 'application/jose', r.jwe)::shc.shc_link_response;
END
$$;
COMMENT ON FUNCTION shc.shc_link_file(text, timestamptz) IS
'answer a GET of a location URL handed out in a manifest (valid one hour): the file''s JWE, or not_found / expired';

CREATE FUNCTION shc.shc_link_direct(manifest_id text, recipient text,
  at timestamptz DEFAULT pg_catalog.now())
RETURNS shc.shc_link_response
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  l shc.shc_links;
  j text;
BEGIN
  IF at IS NULL THEN
    at := pg_catalog.now();
  END IF;
  SELECT * INTO l FROM shc.shc_links k WHERE k.manifest_id = shc_link_direct.manifest_id;
  IF recipient IS NULL OR recipient = '' THEN
    PERFORM shc.shc_link_log(l.link_id, 'direct', at, recipient, 'bad_request');
    RETURN shc.shc_link_answer('bad_request', 400, '{"error":"a direct request names its recipient"}');
  END IF;
  IF l.link_id IS NULL OR NOT l.active OR pg_catalog.strpos(l.flag, 'U') = 0 THEN
    PERFORM shc.shc_link_log(l.link_id, 'direct', at, recipient, 'not_found');
    RETURN shc.shc_link_answer('not_found', 404, '{"error":"no such SMART Health Link"}');
  END IF;
  IF l.exp IS NOT NULL AND l.exp <= at THEN
    PERFORM shc.shc_link_log(l.link_id, 'direct', at, recipient, 'expired');
    RETURN shc.shc_link_answer('expired', 404, '{"error":"this SMART Health Link has expired"}');
  END IF;
  SELECT f.jwe INTO j FROM shc.shc_link_files f WHERE f.link_id = l.link_id AND f.file_no = 1;
  PERFORM shc.shc_link_log(l.link_id, 'direct', at, recipient, 'ok');
  RETURN ROW('ok', 200, 'application/jose', j)::shc.shc_link_response;
END
$$;
COMMENT ON FUNCTION shc.shc_link_direct(text, text, timestamptz) IS
'answer a GET of the manifest URL of a link with flag U (?recipient=...): its single file''s JWE';

REVOKE EXECUTE ON FUNCTION shc.shc_link_random_id(), shc.shc_link_passcode_hash(text),
  shc.shc_link_passcode_check(text, text),
  shc.shc_link_encrypt_files(text, bytea, text[], text[]),
  shc.shc_link_encode_sealed(text, bytea, text, timestamptz, text, text, text),
  shc.shc_link_file_content(jsonb),
  shc.shc_link_log(bigint, text, timestamptz, text, text),
  shc.shc_link_answer(text, integer, jsonb),
  shc.shc_link_create(jsonb, text, text, timestamptz, text, text, text, integer),
  shc.shc_link_uri(text), shc.shc_link_add_file(text, jsonb),
  shc.shc_link_deactivate(text),
  shc.shc_link_manifest(text, jsonb, timestamptz),
  shc.shc_link_file(text, timestamptz),
  shc.shc_link_direct(text, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  shc.shc_link_create(jsonb, text, text, timestamptz, text, text, text, integer),
  shc.shc_link_uri(text), shc.shc_link_add_file(text, jsonb),
  shc.shc_link_deactivate(text) TO shc_issuer;
GRANT EXECUTE ON FUNCTION shc.shc_link_manifest(text, jsonb, timestamptz),
  shc.shc_link_file(text, timestamptz),
  shc.shc_link_direct(text, text, timestamptz) TO shc_link_server;

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
