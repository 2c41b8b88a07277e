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

-- The card's identity: base64url SHA-256 of the signed header.payload, the
-- same for both encodings (s and n - s) of one ES256 signature.
ALTER TYPE shc.shc_verification ADD ATTRIBUTE card_id text;

COMMENT ON TYPE shc.shc_verification IS
'result of shc_verify(): status is valid, malformed, bad_signature, unknown_issuer, unknown_key, expired, not_yet_valid or revoked; card_id identifies the signed card whatever its signature encoding';

CREATE FUNCTION shc.shc_card_id(card text)
RETURNS text
AS 'MODULE_PATHNAME', 'shc_card_id_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION shc.shc_card_id(text) IS
'identity of a card (compact JWS or shc:/ text): base64url SHA-256 of its signed header.payload, equal for every encoding of its signature; the key to deduplicate scans';

CREATE FUNCTION shc.shc_json_parse(json text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'shc_json_parse_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION shc.shc_json_parse(text) IS
'jsonb of a JSON text read by the card reader (strict UTF-8, depth 256, numbers of at most 100 characters and exponent 1000), as shc_verify reads cards';

-- FHIR dates: four-digit years 0001-9999, never cut (FHIR R4 date).
CREATE FUNCTION shc.shc_fhir_date(value date)
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  y int;
BEGIN
  IF isfinite(value) THEN
    y := date_part('year', value)::int;
  END IF;
  IF y IS NULL OR y < 1 OR y > 9999 THEN
    RAISE EXCEPTION USING ERRCODE = 'datetime_field_overflow',
      MESSAGE = format('date %s is outside the FHIR date range',
                       CASE WHEN isfinite(value) THEN to_char(value, 'YYYY-MM-DD BC') ELSE value::text END),
      DETAIL = 'A FHIR date has a four-digit year from 0001 to 9999.';
  END IF;
  RETURN lpad(y::text, 4, '0') || '-' || lpad(date_part('month', value)::int::text, 2, '0')
         || '-' || lpad(date_part('day', value)::int::text, 2, '0');
END
$$;

COMMENT ON FUNCTION shc.shc_fhir_date(date) IS
'a date as a FHIR date (YYYY-MM-DD); refuses years outside 0001-9999 instead of cutting them';

CREATE OR REPLACE FUNCTION shc.shc_fhir_patient(family text, given text[] DEFAULT NULL,
                                                birth_date date DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  name jsonb := '{}';
BEGIN
  IF family IS NULL AND given IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
      MESSAGE = 'patient must have a family or a given name';
  END IF;
  IF family = '' OR '' = ANY (given) OR array_position(given, NULL) IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'patient name parts must not be empty or null',
      DETAIL = 'FHIR does not allow empty strings.';
  END IF;
  IF family IS NOT NULL THEN
    name := name || jsonb_build_object('family', family);
  END IF;
  IF given IS NOT NULL AND cardinality(given) > 0 THEN
    name := name || jsonb_build_object('given', to_jsonb(given));
  END IF;
  RETURN jsonb_strip_nulls(jsonb_build_object(
    'resourceType', 'Patient',
    'name', jsonb_build_array(name),
    'birthDate', shc.shc_fhir_date(birth_date)));
END
$$;

COMMENT ON FUNCTION shc.shc_fhir_patient(text, text[], date) IS
'FHIR Patient resource with one name and an optional birth date';

-- A SMART Health Card carries completed immunizations only (the issuing
-- rulebook refuses any other status), so that is the only status offered.
CREATE OR REPLACE FUNCTION shc.shc_fhir_immunization(vaccine_system text, vaccine_code text,
                                                     occurrence date,
                                                     lot_number text DEFAULT NULL,
                                                     performer text DEFAULT NULL,
                                                     status text DEFAULT 'completed')
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF vaccine_system IS NULL OR vaccine_code IS NULL OR occurrence IS NULL OR status IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
      MESSAGE = 'immunization needs a vaccine system, a vaccine code, an occurrence date and a status';
  END IF;
  IF '' IN (vaccine_system, vaccine_code, lot_number, performer) THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'immunization values must not be empty strings',
      DETAIL = 'FHIR does not allow empty strings.';
  END IF;
  IF status <> 'completed' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = format('invalid immunization status "%s"', status),
      DETAIL = 'A SMART Health Card carries only completed immunizations.',
      HINT = 'Use "completed", or leave the immunization out of the card.';
  END IF;
  RETURN jsonb_strip_nulls(jsonb_build_object(
    'resourceType', 'Immunization',
    'status', status,
    'vaccineCode', jsonb_build_object('coding', jsonb_build_array(
        jsonb_build_object('system', vaccine_system, 'code', vaccine_code))),
    'patient', jsonb_build_object('reference', 'resource:0'),
    'occurrenceDateTime', shc.shc_fhir_date(occurrence),
    'performer', CASE WHEN performer IS NOT NULL THEN
        jsonb_build_array(jsonb_build_object('actor', jsonb_build_object('display', performer))) END,
    'lotNumber', lot_number));
END
$$;

COMMENT ON FUNCTION shc.shc_fhir_immunization(text, text, date, text, text, text) IS
'FHIR Immunization resource (vaccine code, date, lot, performer) referring to the bundle''s patient; status must be completed';

CREATE OR REPLACE FUNCTION shc.shc_fhir_observation(code text, effective date,
                                                    value_code text DEFAULT NULL,
                                                    value_system text DEFAULT 'http://snomed.info/sct',
                                                    value_quantity numeric DEFAULT NULL,
                                                    unit text DEFAULT NULL,
                                                    performer text DEFAULT NULL,
                                                    code_system text DEFAULT 'http://loinc.org',
                                                    status text DEFAULT 'final')
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF code IS NULL OR code_system IS NULL OR effective IS NULL OR status IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
      MESSAGE = 'observation needs a code, a code system, an effective date and a status';
  END IF;
  IF (value_code IS NULL) = (value_quantity IS NULL) THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'observation needs exactly one of value_code and value_quantity';
  END IF;
  IF value_code IS NOT NULL AND value_system IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
      MESSAGE = 'a coded observation value needs a value_system';
  END IF;
  IF '' IN (code, code_system, value_code, value_system, unit, performer) THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'observation values must not be empty strings',
      DETAIL = 'FHIR does not allow empty strings.';
  END IF;
  IF status NOT IN ('registered', 'preliminary', 'final', 'amended', 'corrected',
                    'cancelled', 'entered-in-error', 'unknown') THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = format('invalid observation status "%s"', status);
  END IF;
  RETURN jsonb_strip_nulls(jsonb_build_object(
    'resourceType', 'Observation',
    'status', status,
    'code', jsonb_build_object('coding', jsonb_build_array(
        jsonb_build_object('system', code_system, 'code', code))),
    'subject', jsonb_build_object('reference', 'resource:0'),
    'effectiveDateTime', shc.shc_fhir_date(effective),
    'performer', CASE WHEN performer IS NOT NULL THEN
        jsonb_build_array(jsonb_build_object('display', performer)) END,
    'valueCodeableConcept', CASE WHEN value_code IS NOT NULL THEN
        jsonb_build_object('coding', jsonb_build_array(
            jsonb_build_object('system', value_system, 'code', value_code))) END,
    'valueQuantity', CASE WHEN value_quantity IS NOT NULL THEN
        jsonb_strip_nulls(jsonb_build_object('value', value_quantity, 'unit', unit)) END));
END
$$;

COMMENT ON FUNCTION shc.shc_fhir_observation(text, date, text, text, numeric, text, text, text, text) IS
'FHIR laboratory Observation resource (LOINC code, coded or quantity value, date, performer) about the bundle''s patient';

------------------------------------------------------------------------------
-- 4. Adoption (issue 12)
------------------------------------------------------------------------------

------------------------------------------------------------------------------
-- 5. Scale-out (issue 13)
------------------------------------------------------------------------------

------------------------------------------------------------------------------
-- 6. Real-world trust (issue 14)
------------------------------------------------------------------------------

-- QR codes in images (src/shc_qrscan_sql.c, docs/scanning.md): every QR
-- code of a PNG or JPEG, read with zbar; bounded by the superuser-only
-- settings shc.qr_scan_max_image_size and shc.qr_scan_max_pixels.
CREATE FUNCTION shc.shc_qr_scan(image bytea)
RETURNS text[]
AS 'MODULE_PATHNAME', 'shc_qr_scan_sql'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 10000
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION shc.shc_qr_scan(bytea) IS
'texts of every QR code in a PNG or JPEG image (empty array when there is none); shc_verify(shc_qr_decode(shc_qr_scan(img))) verifies a photo of a card';

-- Scanner text (docs/scanning.md): shc_verify, shc_decode and shc_qr_decode
-- take a card exactly as the spec writes it; text from a scanner or a paste
-- is normalized first by this one call.
CREATE FUNCTION shc.shc_card_text(scanned text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN pg_catalog.lower(pg_catalog.left(t, 5)) = 'shc:/'
              THEN 'shc:/' OPERATOR(pg_catalog.||) pg_catalog.substr(t, 6)
              ELSE t END
    FROM (SELECT pg_catalog.btrim(scanned, E' \t\n\r\f\v') AS t) s
$$;

COMMENT ON FUNCTION shc.shc_card_text(text) IS
'a card as a scanner or a paste gives it, made exact: surrounding spaces, tabs and line breaks removed, a SHC:/ prefix in any case written shc:/; use shc_verify(shc_card_text(t))';

-- Detached signatures and certificates (src/shc_x509_sql.c, docs/trust.md)
CREATE FUNCTION shc.shc_signature_verify(data bytea, signature bytea,
                                         certificate text,
                                         at timestamptz DEFAULT now())
RETURNS boolean
AS 'MODULE_PATHNAME', 'shc_signature_verify_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1000
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION shc.shc_signature_verify(bytea, bytea, text, timestamptz) IS
'does a detached signature (DER ECDSA, or RSA) over data verify with the key of a PEM or DER certificate valid at a time, the digest taken from the certificate''s own signature algorithm? raises when the certificate is unusable';

CREATE FUNCTION shc.shc_x509_info(certificate text,
                                  OUT der bytea, OUT sha256 text,
                                  OUT subject text, OUT issuer text,
                                  OUT not_before timestamptz,
                                  OUT not_after timestamptz, OUT is_ca boolean)
RETURNS record
AS 'MODULE_PATHNAME', 'shc_x509_info_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION shc.shc_x509_info(text) IS
'what a PEM certificate says: DER bytes, SHA-256 fingerprint, subject, issuer, validity, whether it is a CA';

-- x5c (SHC-NOTES 5): the root certificates a key's chain must lead to.
-- Empty by default: nothing is trusted implicitly.
CREATE TABLE shc.shc_trust_anchor (
  sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  certificate bytea NOT NULL,
  subject     text NOT NULL,
  not_after   timestamptz NOT NULL,
  added_at    timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE shc.shc_trust_anchor IS
'root certificates (DER) that x5c chains of trusted keys must verify to; empty by default; change with shc_trust_anchor_add/remove';
REVOKE ALL ON shc.shc_trust_anchor FROM PUBLIC;
GRANT SELECT ON shc.shc_trust_anchor TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('shc.shc_trust_anchor', '');

CREATE FUNCTION shc.shc_trust_anchor_add(certificate text)
RETURNS text
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  i record;
BEGIN
  SELECT * INTO i FROM shc.shc_x509_info(certificate);
  IF NOT i.is_ca THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'certificate is not a CA certificate and cannot be a trust anchor',
      DETAIL = format('Subject %s has no basicConstraints CA:TRUE.', i.subject);
  END IF;
  INSERT INTO shc.shc_trust_anchor (sha256, certificate, subject, not_after)
  VALUES (i.sha256, i.der, i.subject, i.not_after)
  ON CONFLICT (sha256) DO NOTHING;
  RETURN i.sha256;
END
$$;
COMMENT ON FUNCTION shc.shc_trust_anchor_add(text) IS
'add a PEM root (CA) certificate to the x5c trust anchors; returns its SHA-256 fingerprint';

CREATE FUNCTION shc.shc_trust_anchor_remove(sha256 text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  DELETE FROM shc.shc_trust_anchor a WHERE a.sha256 = pg_catalog.lower(shc_trust_anchor_remove.sha256);
  RETURN FOUND;
END
$$;
COMMENT ON FUNCTION shc.shc_trust_anchor_remove(text) IS
'remove an x5c trust anchor by its SHA-256 fingerprint; false when there was none';

CREATE FUNCTION shc.shc_x5c_check(jwk jsonb, iss text, at timestamptz DEFAULT now(),
                                  OUT status text, OUT reason text)
RETURNS record
AS 'MODULE_PATHNAME', 'shc_x5c_check_sql'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 1000
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION shc.shc_x5c_check(jsonb, text, timestamptz) IS
'check the x5c chain of a public JWK: leaf key = the JWK, leaf subjectAltName URI = iss, chain to a loaded trust anchor, every certificate valid at a time; status none, valid, malformed, key_mismatch, no_san, no_uri_san, san_mismatch, no_anchor, broken_chain, expired or not_yet_valid';

-- The VCI directory (docs/trust.md): issuers imported from a directory, so
-- that the next import replaces exactly them (issuers trusted by hand with
-- shc_trust() are never touched), and the canonical_iss each one names.
CREATE TABLE shc.shc_directory_issuer (
  iss           text PRIMARY KEY REFERENCES shc.shc_trusted_issuer (iss) ON DELETE CASCADE,
  canonical_iss text,
  directory     text,
  directory_time text,
  imported_at   timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE shc.shc_directory_issuer IS
'trusted issuers that came from the last VCI directory import (shc_trust_vci_snapshot, shc_trust_vci_directory), with their canonical_iss';
REVOKE ALL ON shc.shc_directory_issuer FROM PUBLIC;
GRANT SELECT ON shc.shc_directory_issuer TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('shc.shc_directory_issuer', '');

-- The common loader: entries are {"iss","name","canonical_iss","keys","crls"}.
CREATE FUNCTION shc.shc_vci_load(entries jsonb, directory text, directory_time text,
                                 OUT iss text, OUT kid text, OUT status text, OUT reason text)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  e jsonb;
  k jsonb;
  c jsonb;
  n int := 0;
  e_iss text;
  e_name text;
  e_canon text;
  good jsonb;
  thumb text;
  why text;
  msg text;
  det text;
  seen text[] := '{}';
  loaded text[] := '{}';
  plan jsonb[] := '{}';
  groups jsonb;
  grp text;
  nk int;
  nc int;
BEGIN
  -- 1. every entry and every key checked on its own
  FOR e IN SELECT x FROM jsonb_array_elements(entries) x LOOP
    n := n + 1;
    e_iss := e->>'iss';
    e_name := e->>'name';
    e_canon := nullif(e->>'canonical_iss', e->>'iss');
    IF e_iss IS NULL OR jsonb_typeof(e->'iss') <> 'string' THEN
      iss := format('(entry %s)', n); kid := NULL; status := 'skipped';
      reason := 'the entry has no "iss" string'; RETURN NEXT; CONTINUE;
    END IF;
    IF e_iss !~ '^https://[^/]' OR e_iss ~ '/$' OR length(e_iss) > 2048 THEN
      iss := left(e_iss, 200); kid := NULL; status := 'skipped';
      reason := 'invalid issuer URL: an issuer is an https:// URL without a trailing "/"'; RETURN NEXT; CONTINUE;
    END IF;
    IF e_iss = ANY (seen) THEN
      iss := e_iss; kid := NULL; status := 'skipped';
      reason := 'the issuer is listed twice; the first entry counts'; RETURN NEXT; CONTINUE;
    END IF;
    seen := seen || e_iss;
    IF EXISTS (SELECT FROM shc.shc_trusted_issuer t WHERE t.iss = e_iss)
       AND NOT EXISTS (SELECT FROM shc.shc_directory_issuer d WHERE d.iss = e_iss) THEN
      iss := e_iss; kid := NULL; status := 'skipped';
      reason := 'trusted by hand with shc_trust(); left alone'; RETURN NEXT; CONTINUE;
    END IF;
    good := '[]';
    IF jsonb_typeof(e->'keys') = 'array' THEN
      FOR k IN SELECT x FROM jsonb_array_elements(e->'keys') x LOOP
        why := NULL;
        thumb := NULL;
        IF jsonb_typeof(k) <> 'object' THEN
          why := 'bad key: not a JSON object';
        ELSIF k ? 'd' THEN
          why := 'bad key: a private key ("d") is published';
        ELSIF (k->>'kty', k->>'crv', k->>'use', k->>'alg') IS DISTINCT FROM ('EC', 'P-256', 'sig', 'ES256') THEN
          why := 'not an ES256 signing key: only "kty":"EC", "crv":"P-256", "use":"sig", "alg":"ES256" sign cards';
        ELSIF jsonb_typeof(k->'x') IS DISTINCT FROM 'string' OR jsonb_typeof(k->'y') IS DISTINCT FROM 'string' THEN
          why := 'bad key: no "x" and "y" strings';
        ELSIF length(k->>'x') <> 43 OR length(k->>'y') <> 43 THEN
          why := format('wrong coordinate length: "x" has %s characters and "y" %s; a P-256 coordinate has 43',
                        length(k->>'x'), length(k->>'y'));
        ELSE
          BEGIN
            thumb := shc.shc_kid(k - 'kid');
          EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
            why := 'bad key: ' || msg || coalesce(' (' || nullif(det, '') || ')', '');
          END;
          IF why IS NULL AND (k->>'kid') IS DISTINCT FROM thumb THEN
            why := format('kid does not match its RFC 7638 thumbprint %s', thumb);
          END IF;
          IF why IS NULL AND k ? 'crlVersion' THEN
            IF jsonb_typeof(k->'crlVersion') = 'string' AND (k->>'crlVersion') ~ '^[0-9]{1,9}$'
               AND (k->>'crlVersion')::int >= 1 THEN
              -- seen in the published directory: a numeric string
              k := jsonb_set(k, '{crlVersion}', to_jsonb((k->>'crlVersion')::int));
            ELSIF jsonb_typeof(k->'crlVersion') <> 'number' OR (k->>'crlVersion') !~ '^[0-9]{1,9}$'
               OR (k->>'crlVersion')::int < 1 THEN
              why := 'bad key: "crlVersion" is not an integer of at least 1';
            END IF;
          END IF;
        END IF;
        IF why IS NOT NULL THEN
          iss := e_iss; kid := coalesce(left(k->>'kid', 100), thumb); status := 'skipped';
          reason := why; RETURN NEXT;
        ELSIF NOT EXISTS (SELECT FROM jsonb_array_elements(good) g WHERE g->>'kid' = thumb) THEN
          good := good || jsonb_build_array(k);
        END IF;
      END LOOP;
    END IF;
    plan := plan || jsonb_build_object(
      'iss', e_iss, 'name', e_name, 'canonical_iss', e_canon, 'keys', good,
      'listed', coalesce(jsonb_array_length(CASE WHEN jsonb_typeof(e->'keys') = 'array' THEN e->'keys' END), -1),
      'crls', coalesce(e->'crls', '[]'));
  END LOOP;
  -- canonical_iss aliases form one group whose members share their keys
  SELECT coalesce(jsonb_object_agg(s.g, s.keys), '{}') INTO groups
    FROM (SELECT coalesce(p->>'canonical_iss', p->>'iss') AS g, jsonb_agg(k) AS keys
            FROM unnest(plan) p, jsonb_array_elements(p->'keys') k
           GROUP BY 1) s;

  -- 2. load each entry with its own keys and those of its alias group
  FOREACH e IN ARRAY plan LOOP
    e_iss := e->>'iss';
    grp := coalesce(e->>'canonical_iss', e_iss);
    -- its own keys, then the group's, one per kid
    SELECT coalesce(jsonb_agg(s.g ORDER BY s.o), '[]') INTO good
      FROM (SELECT DISTINCT ON (g->>'kid') g, o
              FROM jsonb_array_elements(e->'keys' || coalesce(groups->grp, '[]')
                                        || coalesce(groups->e_iss, '[]')) WITH ORDINALITY AS t(g, o)
             ORDER BY g->>'kid', o) s;
    iss := e_iss; kid := NULL;
    IF jsonb_array_length(good) = 0 THEN
      status := 'skipped';
      reason := CASE (e->>'listed')::int
                  WHEN -1 THEN 'the directory carries no keys for it; load its JWKS separately'
                  WHEN 0 THEN 'its key list is empty'
                  ELSE 'none of its keys is usable (see the rows of its keys)' END;
      RETURN NEXT; CONTINUE;
    END IF;
    BEGIN
      PERFORM shc.shc_trust(e_iss, jsonb_build_object('keys', good), e->>'name');
      INSERT INTO shc.shc_directory_issuer AS d (iss, canonical_iss, directory, directory_time)
      VALUES (e_iss, e->>'canonical_iss', shc_vci_load.directory, shc_vci_load.directory_time)
      ON CONFLICT (iss) DO UPDATE SET canonical_iss = EXCLUDED.canonical_iss,
        directory = EXCLUDED.directory, directory_time = EXCLUDED.directory_time,
        imported_at = pg_catalog.now();
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
      status := 'skipped';
      reason := msg || coalesce(': ' || nullif(det, ''), '');
      RETURN NEXT; CONTINUE;
    END;
    nk := jsonb_array_length(good);
    nc := 0;
    IF jsonb_typeof(e->'crls') = 'array' THEN
      FOR c IN SELECT x FROM jsonb_array_elements(e->'crls') x LOOP
        BEGIN
          PERFORM shc.shc_trust_crl(e_iss, c);
          nc := nc + 1;
        EXCEPTION WHEN OTHERS THEN
          GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
          kid := left(c->>'kid', 100); status := 'skipped';
          reason := 'CRL not loaded: ' || msg || coalesce(': ' || nullif(det, ''), '');
          RETURN NEXT;
          kid := NULL;
        END;
      END LOOP;
    END IF;
    loaded := loaded || e_iss;
    status := 'loaded';
    reason := format('%s key%s, %s CRL%s%s', nk, CASE nk WHEN 1 THEN '' ELSE 's' END,
                     nc, CASE nc WHEN 1 THEN '' ELSE 's' END,
                     CASE WHEN e->>'canonical_iss' IS NOT NULL
                          THEN ', alias of ' || (e->>'canonical_iss') ELSE '' END);
    RETURN NEXT;
  END LOOP;

  -- 3. the previous import is replaced: its issuers not loaded now go
  FOR e_iss IN SELECT d.iss FROM shc.shc_directory_issuer d
                WHERE d.iss <> ALL (loaded) ORDER BY d.iss LOOP
    PERFORM shc.shc_untrust(e_iss);
    iss := e_iss; kid := NULL; status := 'removed';
    reason := 'imported from a directory before, not loaded from this one';
    RETURN NEXT;
  END LOOP;
END
$$;

COMMENT ON FUNCTION shc.shc_vci_load(jsonb, text, text) IS
'internal: load VCI directory entries, skipping each bad issuer, key and CRL with a reason, and replace the previous directory import';

CREATE FUNCTION shc.shc_trust_vci_snapshot(snapshot bytea, signature bytea, certificate text,
                                           OUT iss text, OUT kid text, OUT status text, OUT reason text)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  doc jsonb;
  msg text;
BEGIN
  -- nothing is read from the snapshot before its signature is checked
  IF NOT shc.shc_signature_verify(snapshot, signature, certificate, pg_catalog.now()) THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'directory snapshot signature does not verify with the given certificate',
      DETAIL = 'Nothing was loaded.',
      HINT = 'Pass the exact bytes of vci_snapshot.json, its vci_snapshot.sig and the certificate that signed it.';
  END IF;
  BEGIN
    doc := pg_catalog.convert_from(snapshot, 'UTF8')::jsonb;
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT;
    RAISE EXCEPTION USING ERRCODE = 'invalid_text_representation',
      MESSAGE = 'directory snapshot is not JSON: ' || msg;
  END;
  IF jsonb_typeof(doc->'issuerInfo') IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'directory snapshot has no "issuerInfo" array',
      DETAIL = 'A VCI snapshot is {"directory", "time", "issuerInfo": [{"issuer", "keys", "crls"}]}.';
  END IF;
  RETURN QUERY
    SELECT l.iss, l.kid, l.status, l.reason
      FROM shc.shc_vci_load(
             (SELECT coalesce(jsonb_agg(coalesce(i->'issuer', '{}') ||
                                        jsonb_build_object('keys', i->'keys', 'crls', coalesce(i->'crls', '[]'))
                                        ORDER BY o), '[]')
                FROM jsonb_array_elements(doc->'issuerInfo') WITH ORDINALITY AS t(i, o)),
             coalesce(doc->>'directory', ''), coalesce(doc->>'time', '')) l;
END
$$;

COMMENT ON FUNCTION shc.shc_trust_vci_snapshot(bytea, bytea, text) IS
'import the signed VCI snapshot as published (vci_snapshot.json bytes, its detached signature, the signing certificate): the signature is checked first; every good issuer, key and CRL is loaded, each bad one is a skipped row with its reason; replaces the previous directory import';

CREATE FUNCTION shc.shc_trust_vci_directory(directory jsonb, jwks jsonb DEFAULT '{}',
                                            crls jsonb DEFAULT '{}',
                                            OUT iss text, OUT kid text, OUT status text, OUT reason text)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF jsonb_typeof(directory->'participating_issuers') IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'issuer directory has no "participating_issuers" array',
      DETAIL = 'The VCI directory is {"participating_issuers": [{"iss", "name", "canonical_iss"?}]}.';
  END IF;
  IF jsonb_typeof(jwks) <> 'object' OR jsonb_typeof(crls) <> 'object' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'jwks and crls must be JSON objects keyed by issuer URL';
  END IF;
  RETURN QUERY
    SELECT l.iss, l.kid, l.status, l.reason
      FROM shc.shc_vci_load(
             (SELECT coalesce(jsonb_agg(p || jsonb_build_object(
                        'keys', jwks->(p->>'iss')->'keys',
                        'crls', coalesce(crls->(p->>'iss'), '[]')) ORDER BY o), '[]')
                FROM jsonb_array_elements(directory->'participating_issuers') WITH ORDINALITY AS t(p, o)),
             'participating_issuers', '') l;
END
$$;

COMMENT ON FUNCTION shc.shc_trust_vci_directory(jsonb, jsonb, jsonb) IS
'import the plain VCI directory (participating_issuers) with each issuer''s JWKS and CRLs fetched separately ({"<iss>": jwks}, {"<iss>": [crl, ...]}); same rows and replacement as shc_trust_vci_snapshot';

-- writing the trust store is for shc_trust_admin (section 2)
REVOKE EXECUTE ON FUNCTION shc.shc_trust_anchor_add(text), shc.shc_trust_anchor_remove(text),
  shc.shc_vci_load(jsonb, text, text), shc.shc_trust_vci_snapshot(bytea, bytea, text),
  shc.shc_trust_vci_directory(jsonb, jsonb, jsonb) FROM PUBLIC;
DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'shc_trust_admin') THEN
    GRANT EXECUTE ON FUNCTION shc.shc_trust_anchor_add(text), shc.shc_trust_anchor_remove(text),
      shc.shc_trust_vci_snapshot(bytea, bytea, text),
      shc.shc_trust_vci_directory(jsonb, jsonb, jsonb) TO shc_trust_admin;
  END IF;
END
$$;

-- Revocation (docs/trust.md): a key that announces a CRL the trust store
-- lacks makes cards with a rid no_crl (0.1.0: unknown_key); cards without a
-- rid need no CRL.
COMMENT ON TYPE shc.shc_verification IS
'result of shc_verify(): status is valid, malformed, bad_signature, unknown_issuer, unknown_key, expired, not_yet_valid, revoked or no_crl (a card with a rid whose key announces a revocation list the trust store does not hold)';

-- 0.1.0's directory loader, kept for its format; it now says so when no
-- entry carried keys, and points a snapshot to shc_trust_vci_snapshot.
CREATE OR REPLACE FUNCTION shc.shc_trust_directory(directory jsonb)
RETURNS integer
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  e jsonb;
  i int := 0;
  n int := 0;
  entry_iss text;
  entry_name text;
  entry_keys jsonb;
  c jsonb;
BEGIN
  IF jsonb_typeof(directory) = 'object' AND jsonb_typeof(directory->'issuerInfo') = 'array' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'invalid issuer directory: this is a signed VCI snapshot ("issuerInfo")',
      HINT = 'Load it with shc_trust_vci_snapshot(), which checks its signature and skips bad entries.';
  END IF;
  IF jsonb_typeof(directory) <> 'object'
     OR jsonb_typeof(directory->'participating_issuers') IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'invalid issuer directory: no "participating_issuers" array',
      DETAIL = 'A directory is an object with a "participating_issuers" array.';
  END IF;
  FOR e IN SELECT * FROM jsonb_array_elements(directory->'participating_issuers') LOOP
    i := i + 1;
    -- {"iss", "name", "keys"?, "crls"?} or a snapshot's {"issuer": {"iss", "name"}, "keys", "crls"}
    entry_iss := coalesce(e->>'iss', e->'issuer'->>'iss');
    entry_name := coalesce(e->>'name', e->'issuer'->>'name');
    entry_keys := coalesce(e->'keys', e->'jwks'->'keys');
    IF entry_iss IS NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
        MESSAGE = format('invalid issuer directory: entry %s has no "iss"', i),
        DETAIL = format('Entry %s of "participating_issuers" has no "iss".', i);
    END IF;
    IF entry_keys IS NULL THEN
      RAISE NOTICE 'issuer "%" carries no keys in the directory and was not loaded', left(entry_iss, 200)
        USING HINT = 'Load its JWKS with shc_trust().';
      CONTINUE;
    END IF;
    PERFORM shc.shc_trust(entry_iss, jsonb_build_object('keys', entry_keys), entry_name);
    IF jsonb_typeof(e->'crls') = 'array' THEN
      FOR c IN SELECT * FROM jsonb_array_elements(e->'crls') LOOP
        PERFORM shc.shc_trust_crl(entry_iss, c);
      END LOOP;
    END IF;
    n := n + 1;
  END LOOP;
  IF n = 0 THEN
    RAISE WARNING 'no issuer was loaded: none of the % entries of the directory carries keys', i
      USING HINT = 'The plain VCI directory lists issuers without keys: load it with shc_trust_vci_directory() and the JWKS of each issuer.';
  END IF;
  RETURN n;
END
$$;

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
