/*
 * shc.sql: the one source of the shc catalog, the whole of what
 * CREATE EXTENSION shc creates in the current version.
 *
 * The build copies this file to shc--<version>.sql (Makefile, DATA_built);
 * the released scripts beside it (shc--0.1.0.sql, shc--0.1.0--0.2.0.sql)
 * are frozen and serve upgrades only, and every change to the catalog is
 * made twice: here, and in the upgrade script of the version under
 * development (shc--0.2.0--0.3.0.sql).  The "upgrade" test tier checks
 * that an updated database and a fresh install have the same catalog.
 * docs/contributing.md says more.
 *
 * Each object is whole in one place: its markings, search_path, COST and
 * ROWS, comment and grants follow its CREATE.  Every function runs with
 * search_path = pg_catalog, pg_temp and names the extension's objects as
 * @extschema@.<name> (the one exception, shc_issue_trigger_check, pins the
 * path itself).  Objects are in the README's order:
 *
 *   0. the schema and the roles
 *   1. codecs and QR codes: JSON, shc:/ text, QR images, scanned text,
 *      the printable card, .smart-health-card files
 *   2. FHIR builders and readers
 *   3. keys and issuing: the key cache, signing keys, the root key,
 *      signing grants, shc_issue, the issue trigger
 *   4. trust, verification and revocation: the trust generation, the
 *      trust store, x5c and the VCI directory, shc_verify, issuer-side
 *      revocation
 *   5. SMART Health Links
 *   6. scale-out (Citus)
 *   7. setup and operations: library version, setup check, memo
 *   8. final check: nothing planted in the schema
 *
 * A deprecated name (docs/api.md) sits right after the function that
 * replaced it: a wrapper that warns and calls it, dropped a release later.
 *
 * Function bodies are not checked when they are created (as pg_dump
 * does), so that a function may sit with its topic before the objects its
 * SQL body names; the tests run every one of them.
 */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION shc" to load this file. \quit

-- Nothing a caller defined is looked up while this script runs: every name
-- below is schema-qualified, and operators resolve in pg_catalog only.
SELECT pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
SELECT pg_catalog.set_config('check_function_bodies', 'false', true);

------------------------------------------------------------------------------
-- 0. The schema and the roles
------------------------------------------------------------------------------

-- The extension's objects live in schema shc (the control file names it,
-- so @extschema@ is shc).  A schema that someone else made, or that others
-- may create objects in, would let them replace or shadow what the
-- functions call: refuse it.
DO $$
DECLARE
  ns oid := '@extschema@'::pg_catalog.regnamespace;
BEGIN
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
END
$$;

-- Everyone may use what is in the schema (verification is open to all);
-- what each role may execute is granted function by function below.
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;

-- The roles (docs/security.md).  Roles belong to the cluster, not to a
-- database: a role that already exists (made by shc in another database,
-- or by an administrator) is reused as it is.  A role with CREATEROLE can
-- grant itself these roles, so it is trusted like an administrator.
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['shc_key_admin', 'shc_issuer', 'shc_trust_admin', 'shc_link_server'] LOOP
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles a WHERE a.rolname = r) THEN
      EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
      EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', r, CASE r
        WHEN 'shc_key_admin' THEN 'shc: may create, import and retire signing keys and rid secrets, compute rids and revoke cards'
        WHEN 'shc_issuer' THEN 'shc: may sign SMART Health Cards (shc_issue, the issue trigger) and compute rids'
        WHEN 'shc_trust_admin' THEN 'shc: may change the verifier''s trust store: shc_trust, shc_trust_crl, shc_untrust, the directory loaders, x5c anchors and policies'
        ELSE 'shc: the HTTP layer of SMART Health Links: answers manifest, location and direct file requests' END);
    END IF;
  END LOOP;
END
$$;

------------------------------------------------------------------------------
-- 1. Codecs and QR codes
------------------------------------------------------------------------------

-- JSON as the card reader reads and writes it, the shc:/ numeric text of
-- QR codes (SHC-NOTES section 8), QR images and scanned text, the printable
-- card, the .smart-health-card file.  Open to everyone.

CREATE FUNCTION @extschema@.shc_json_compact(value jsonb)
RETURNS text
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_json_compact_sql';
COMMENT ON FUNCTION @extschema@.shc_json_compact(jsonb) IS
  'compact JSON text of a jsonb value: no optional white space, "/" and non-ASCII unescaped';

CREATE FUNCTION @extschema@.shc_json_parse(document text)
RETURNS jsonb
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_json_parse_sql';
COMMENT ON FUNCTION @extschema@.shc_json_parse(text) IS
  'jsonb of a JSON text read by the card reader (strict UTF-8, depth 256, numbers of at most 100 characters and exponent 1000), as shc_verify reads cards';

CREATE FUNCTION @extschema@.shc_qr_numeric(jws text)
RETURNS text
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_qr_numeric_sql';
COMMENT ON FUNCTION @extschema@.shc_qr_numeric(text) IS
  'shc:/ numeric QR text of a compact JWS that fits one QR code';

CREATE FUNCTION @extschema@.shc_qr_chunks(jws text)
RETURNS text[]
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_qr_chunks_sql';
COMMENT ON FUNCTION @extschema@.shc_qr_chunks(text) IS
  'shc:/ QR texts of a compact JWS: one when it fits, else the deprecated balanced shc:/C/N/ chunks';

CREATE FUNCTION @extschema@.shc_qr_decode(qr text[])
RETURNS text
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_qr_decode_sql';
COMMENT ON FUNCTION @extschema@.shc_qr_decode(text[]) IS
  'compact JWS held by one shc:/ QR text or by a complete set of shc:/C/N/ chunks in any order';

CREATE FUNCTION @extschema@.shc_qr_png(card text,
                                       module_px integer DEFAULT 8,
                                       quiet_zone integer DEFAULT 4)
RETURNS bytea
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_qr_png_sql';
COMMENT ON FUNCTION @extschema@.shc_qr_png(text, integer, integer) IS
  'PNG (1-bit grey) of the QR code of a compact JWS or shc:/ text: byte segment shc:/ + numeric segment, EC level L, smallest version, at most 22';

CREATE FUNCTION @extschema@.shc_qr_svg(card text,
                                       module_px integer DEFAULT 8,
                                       quiet_zone integer DEFAULT 4)
RETURNS text
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_qr_svg_sql';
COMMENT ON FUNCTION @extschema@.shc_qr_svg(text, integer, integer) IS
  'SVG (one path, scalable viewBox) of the QR code of a compact JWS or shc:/ text';

CREATE FUNCTION @extschema@.shc_qr_info(card text,
                                        OUT jws_length integer,
                                        OUT numeric_length integer,
                                        OUT version integer,
                                        OUT modules integer,
                                        OUT fits_single_qr boolean,
                                        OUT qr_codes integer)
RETURNS record
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_qr_info_sql';
COMMENT ON FUNCTION @extschema@.shc_qr_info(text) IS
  'size of the QR code of a compact JWS or shc:/ text: lengths, version and modules per side (NULL when it does not fit version 22), and the number of QR codes needed';

-- QR codes in images (src/shc_qrscan_sql.c, docs/scanning.md): every QR
-- code of a PNG or JPEG, read with zbar; bounded by the superuser-only
-- settings shc.qr_scan_max_image_size and shc.qr_scan_max_pixels.
CREATE FUNCTION @extschema@.shc_qr_scan(image bytea)
RETURNS text[]
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 10000
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_qr_scan_sql';
COMMENT ON FUNCTION @extschema@.shc_qr_scan(bytea) IS
  'texts of every QR code in a PNG or JPEG image (empty array when there is none); shc_verify(shc_qr_decode(shc_qr_scan(img))) verifies a photo of a card';

-- Scanner text (docs/scanning.md): shc_verify, shc_decode and shc_qr_decode
-- take a card exactly as the spec writes it; text from a scanner or a paste
-- is normalized first by this one call.
CREATE FUNCTION @extschema@.shc_card_text(scanned text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN pg_catalog.lower(pg_catalog.left(t, 5)) = 'shc:/'
              THEN 'shc:/' OPERATOR(pg_catalog.||) pg_catalog.substr(t, 6)
              ELSE t END
    FROM (SELECT pg_catalog.btrim(scanned, E' \t\n\r\f\v') AS t) s
$$;
COMMENT ON FUNCTION @extschema@.shc_card_text(text) IS
  'a card as a scanner or a paste gives it, made exact: surrounding spaces, tabs and line breaks removed, a SHC:/ prefix in any case written shc:/; use shc_verify(shc_card_text(t))';

CREATE FUNCTION @extschema@.shc_card_svg(card text, title text DEFAULT 'SMART Health Card'::text)
RETURNS text
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 200
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_card_svg_sql';
COMMENT ON FUNCTION @extschema@.shc_card_svg(text, text) IS
  'printable one-page SVG (fits A4 and Letter) of what a card contains: holder, immunizations or results, issuer, issue date, QR code; not a verification';

CREATE FUNCTION @extschema@.shc_card_id(card text)
RETURNS text
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_card_id_sql';
COMMENT ON FUNCTION @extschema@.shc_card_id(text) IS
  'identity of a card (compact JWS or shc:/ text): base64url SHA-256 of its signed header.payload, equal for every encoding of its signature; the key to deduplicate scans';

CREATE FUNCTION @extschema@.shc_file(cards text[])
RETURNS jsonb
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_file_sql';
COMMENT ON FUNCTION @extschema@.shc_file(text[]) IS
  '.smart-health-card file body {"verifiableCredential":[...]} of one or more compact JWS';

CREATE FUNCTION @extschema@.shc_file_cards(file jsonb)
RETURNS SETOF text
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 2
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_file_cards_sql';
COMMENT ON FUNCTION @extschema@.shc_file_cards(jsonb) IS
  'the compact JWS strings of a .smart-health-card file, in order; raises when the file is malformed';

------------------------------------------------------------------------------
-- 2. FHIR builders and readers
------------------------------------------------------------------------------

-- Building spec-shaped resources from plain values, and reading them back
-- as rows (SHC-NOTES section 7; SMART Health Cards Vaccination & Testing IG
-- shapes).  Builders leave out what is NULL and refuse empty strings, which
-- are invalid FHIR.  Open to everyone.

-- FHIR dates: four-digit years 0001-9999, never cut (FHIR R4 date).
CREATE FUNCTION @extschema@.shc_fhir_date(value date)
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
COMMENT ON FUNCTION @extschema@.shc_fhir_date(date) IS
  'a date as a FHIR date (YYYY-MM-DD); refuses years outside 0001-9999 instead of cutting them';

CREATE FUNCTION @extschema@.shc_fhir_patient(family text,
                                             given text[] DEFAULT NULL::text[],
                                             birth_date date DEFAULT NULL::date)
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
    'birthDate', @extschema@.shc_fhir_date(birth_date)));
END
$$;
COMMENT ON FUNCTION @extschema@.shc_fhir_patient(text, text[], date) IS
  'FHIR Patient resource with one name and an optional birth date';

-- A SMART Health Card carries completed immunizations only (the issuing
-- rulebook refuses any other status), so that is the only status offered.
CREATE FUNCTION @extschema@.shc_fhir_immunization(vaccine_system text,
                                                  vaccine_code text,
                                                  occurrence date,
                                                  lot_number text DEFAULT NULL::text,
                                                  performer text DEFAULT NULL::text,
                                                  status text DEFAULT 'completed'::text)
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
    'occurrenceDateTime', @extschema@.shc_fhir_date(occurrence),
    'performer', CASE WHEN performer IS NOT NULL THEN
        jsonb_build_array(jsonb_build_object('actor', jsonb_build_object('display', performer))) END,
    'lotNumber', lot_number));
END
$$;
COMMENT ON FUNCTION @extschema@.shc_fhir_immunization(text, text, date, text, text, text) IS
  'FHIR Immunization resource (vaccine code, date, lot, performer) referring to the bundle''s patient; status must be completed';

CREATE FUNCTION @extschema@.shc_fhir_observation(code text,
                                                 effective date,
                                                 value_code text DEFAULT NULL::text,
                                                 value_system text DEFAULT 'http://snomed.info/sct'::text,
                                                 value_quantity numeric DEFAULT NULL::numeric,
                                                 unit text DEFAULT NULL::text,
                                                 performer text DEFAULT NULL::text,
                                                 code_system text DEFAULT 'http://loinc.org'::text,
                                                 status text DEFAULT 'final'::text)
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
    'effectiveDateTime', @extschema@.shc_fhir_date(effective),
    'performer', CASE WHEN performer IS NOT NULL THEN
        jsonb_build_array(jsonb_build_object('display', performer)) END,
    'valueCodeableConcept', CASE WHEN value_code IS NOT NULL THEN
        jsonb_build_object('coding', jsonb_build_array(
            jsonb_build_object('system', value_system, 'code', value_code))) END,
    'valueQuantity', CASE WHEN value_quantity IS NOT NULL THEN
        jsonb_strip_nulls(jsonb_build_object('value', value_quantity, 'unit', unit)) END));
END
$$;
COMMENT ON FUNCTION @extschema@.shc_fhir_observation(text, date, text, text, numeric, text, text, text, text) IS
  'FHIR laboratory Observation resource (LOINC code, coded or quantity value, date, performer) about the bundle''s patient';

CREATE FUNCTION @extschema@.shc_bundle(patient jsonb, resources jsonb[])
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  entries jsonb;
  bad int;
BEGIN
  IF patient IS NULL OR jsonb_typeof(patient) <> 'object'
     OR patient->>'resourceType' IS DISTINCT FROM 'Patient' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'patient must be a FHIR Patient resource';
  END IF;
  SELECT min(i) INTO bad
    FROM unnest(coalesce(resources, '{}')) WITH ORDINALITY AS r(res, i)
   WHERE res IS NULL OR jsonb_typeof(res) <> 'object' OR NOT res ? 'resourceType'
      OR res->>'resourceType' = 'Patient';
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = format('resources[%s] is not a FHIR resource other than Patient', bad);
  END IF;
  -- the patient is entry 0; every resource refers to it as resource:0
  SELECT jsonb_agg(jsonb_build_object('fullUrl', 'resource:' || (i - 1), 'resource', res)
                   ORDER BY i)
    INTO entries
    FROM unnest(ARRAY[patient] || coalesce(resources, '{}')) WITH ORDINALITY AS r(res, i);
  RETURN jsonb_build_object('resourceType', 'Bundle', 'type', 'collection', 'entry', entries);
END
$$;
COMMENT ON FUNCTION @extschema@.shc_bundle(jsonb, jsonb[]) IS
  'FHIR collection Bundle of a patient (resource:0) and resources referring to it, ready for shc_issue';

CREATE FUNCTION @extschema@.shc_minimize(bundle jsonb)
RETURNS jsonb
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_minimize_sql';
COMMENT ON FUNCTION @extschema@.shc_minimize(jsonb) IS
  'FHIR Bundle minimized for a QR code: no ids, meta (but meta.security), narrative, CodeableConcept.text, Coding.display; resource:N references';

CREATE FUNCTION @extschema@.shc_patient(bundle jsonb,
                                        OUT name text,
                                        OUT family text,
                                        OUT given text[],
                                        OUT birth_date date)
RETURNS record
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT concat_ws(' ', nullif(array_to_string(
                   ARRAY(SELECT jsonb_array_elements_text(coalesce(n->'given', '[]'))), ' '), ''),
                   n->>'family'),
         n->>'family',
         CASE WHEN jsonb_typeof(n->'given') = 'array'
              THEN ARRAY(SELECT jsonb_array_elements_text(n->'given')) END,
         CASE WHEN p->>'birthDate' ~ '^\d{4}-\d{2}-\d{2}$' THEN make_date(substr(p->>'birthDate', 1, 4)::int, substr(p->>'birthDate', 6, 2)::int, substr(p->>'birthDate', 9, 2)::int) END
    FROM (SELECT e->'resource' AS p
            FROM jsonb_array_elements(CASE WHEN jsonb_typeof(bundle->'entry') = 'array'
                                           THEN bundle->'entry' ELSE '[]' END) AS e
           WHERE e->'resource'->>'resourceType' = 'Patient'
           LIMIT 1) s,
         LATERAL (SELECT CASE WHEN jsonb_typeof(p->'name') = 'array' THEN p->'name'->0 END AS n) nm
$$;
COMMENT ON FUNCTION @extschema@.shc_patient(jsonb) IS
  'the first Patient of a FHIR Bundle: full name, family, given names, birth date';

-- Code names (issue #25; docs/code-names.md): the names of vaccine, test
-- and result codes for the pages and rows a person reads.

-- One row per (system, code) and origin: the rows shipped with the
-- extension (shipped = true, loaded here) and the rows a trust
-- administrator loaded from a newer list (shipped = false), which win.
-- pg_dump keeps only the loaded rows; CREATE EXTENSION brings the shipped
-- ones back, so a restore never collides with them.
CREATE TABLE @extschema@.shc_code_name (
  system      text NOT NULL CHECK (system IN ('http://hl7.org/fhir/sid/cvx', 'http://hl7.org/fhir/sid/mvx',
                                              'http://loinc.org', 'http://snomed.info/sct')),
  code        text NOT NULL CHECK (code <> ''),
  display     text NOT NULL CHECK (display <> ''),
  status      text,
  source      text NOT NULL,
  source_date date,
  shipped     boolean NOT NULL DEFAULT false,
  PRIMARY KEY (system, code, shipped)
);
COMMENT ON TABLE @extschema@.shc_code_name IS
'names of CVX, MVX, LOINC and SNOMED CT codes shown on the printable card and in the analyst rows: the shipped lists (shipped) and the lists a trust administrator loaded with shc_code_names_load, which win';
REVOKE ALL ON @extschema@.shc_code_name FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_code_name TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.shc_code_name', 'WHERE NOT shipped');

-- The shipped lists; where each comes from: docs/code-names.md.
INSERT INTO @extschema@.shc_code_name (system, code, display, status, source, source_date) VALUES
  ('http://hl7.org/fhir/sid/cvx', '54', 'adenovirus, type 4', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '55', 'adenovirus, type 7', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '82', 'adenovirus, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '24', 'Anthrax, pre-exposure prophylaxis, post-exposure prophylaxis', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '19', 'BCG', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '27', 'botulinum antitoxin', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '26', 'cholera, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '29', 'CMVIG', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '56', 'dengue fever tetravalent', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '12', 'diphtheria antitoxin', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '28', 'DT (pediatric)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '20', 'DTaP', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '106', 'DTaP, 5 pertussis antigens', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '107', 'DTaP, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '110', 'DTaP-Hep B-IPV', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '50', 'DTaP-Hib', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '120', 'DTaP-Hib-IPV', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '130', 'DTaP-IPV', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '22', 'DTP-Hib', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '102', 'DTP-Hib-Hep B', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '57', 'hantavirus', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '52', 'Hep A, adult', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '83', 'Hep A, ped/adol, 2 dose', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '84', 'Hep A, ped/adol, 3 dose', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '31', 'Hep A, pediatric, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '85', 'Hep A, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '104', 'Hep A-Hep B', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '30', 'HBIG', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '42', 'Hep B, adolescent/high risk infant', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '43', 'Hep B, adult', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '44', 'Hep B, high-dosage, dialysis or IC', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '45', 'Hep B, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '58', 'Hep C', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '59', 'Hep E', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '60', 'herpes simplex 2', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '46', 'Hib (PRP-D)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '47', 'Hib (HbOC)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '48', 'Hib (PRP-T)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '49', 'Hib (PRP-OMP)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '17', 'Hib, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '51', 'Hib-Hep B', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '61', 'HIV', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '118', 'HPV, bivalent', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '62', 'HPV, quadrivalent', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '86', 'IG', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '87', 'IGIV', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '14', 'IG, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '111', 'Influenza, live, trivalent, intranasal, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '15', 'influenza, split (incl. purified surface antigen)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '16', 'influenza, whole', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '88', 'influenza, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '123', 'influenza, H5N1-1203', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '10', 'IPV', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '89', 'polio, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '39', 'Japanese encephalitis SC', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '63', 'Junin virus', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '64', 'leishmaniasis', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '65', 'leprosy', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '66', 'Lyme disease', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '94', 'MMRV', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '67', 'malaria', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '68', 'melanoma', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '32', 'meningococcal MPSV4', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '103', 'meningococcal C conjugate', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '114', 'meningococcal MCV4P', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '108', 'meningococcal ACWY, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '69', 'parainfluenza-3', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '11', 'pertussis', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '23', 'plague', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '33', 'pneumococcal polysaccharide PPV23', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '100', 'pneumococcal conjugate PCV 7', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '109', 'pneumococcal, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '70', 'Q fever', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '18', 'rabies, intramuscular injection', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '40', 'rabies, intradermal injection', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '90', 'rabies, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '72', 'rheumatic fever', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '73', 'Rift Valley fever', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '34', 'RIG', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '119', 'rotavirus, monovalent', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '122', 'rotavirus, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '116', 'rotavirus, pentavalent', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '74', 'rotavirus, tetravalent', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '71', 'RSV-IGIV', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '93', 'RSV-MAb', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '38', 'rubella/mumps', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '76', 'Staphylococcus bacterio lysate', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '113', 'Td (adult), 5 Lf tetanus toxoid, preservative free, adsorbed', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '115', 'Tdap', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '35', 'tetanus toxoid, adsorbed', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '112', 'tetanus toxoid, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '77', 'Tick-borne encephalitis vaccine (non-US)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '13', 'TIG', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '95', 'TST-OT tine test', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '96', 'TST-PPD intradermal', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '97', 'TST-PPD tine test', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '98', 'TST, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '78', 'tularemia vaccine', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '91', 'typhoid, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '25', 'typhoid, oral', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '41', 'typhoid, parenteral', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '53', 'typhoid, parenteral, AKD (U.S. military)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '101', 'typhoid, ViCPs', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '75', 'Vaccinia (smallpox, mpox), live', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '105', 'vaccinia (smallpox) diluted', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '79', 'vaccinia immune globulin', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '21', 'varicella', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '81', 'VEE, inactivated', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '80', 'VEE, live', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '92', 'VEE, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '36', 'VZIG', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '117', 'VZIG (IND)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '37', 'yellow fever live', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '121', 'zoster live', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '998', 'no vaccine administered', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '999', 'unknown', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '99', 'RESERVED - do not use', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '133', 'Pneumococcal conjugate PCV 13', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '134', 'Japanese Encephalitis IM', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '137', 'HPV, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '136', 'Meningococcal MCV4O', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '135', 'Influenza, high-dose, trivalent, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '131', 'typhus, historical', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '132', 'DTaP-IPV-HIB-HEP B, historical', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '128', 'Novel Influenza-H1N1-09, all formulations', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '125', 'Novel Influenza-H1N1-09, nasal', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '126', 'Novel influenza-H1N1-09, preservative-free', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '127', 'Novel influenza-H1N1-09', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '138', 'Td (adult)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '139', 'Td(adult) unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '140', 'Influenza, split virus, trivalent, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '129', 'Japanese Encephalitis, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '141', 'Influenza, split virus, trivalent, preservative', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '142', 'tetanus toxoid, not adsorbed', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '143', 'Adenovirus types 4 and 7', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '144', 'influenza, seasonal, intradermal, preservative free', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '145', 'RSV-MAb (new)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '146', 'DTaP,IPV,Hib,HepB', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '147', 'meningococcal MCV4, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '148', 'Meningococcal C/Y-HIB PRP', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '149', 'Influenza, live, quadrivalent, intranasal', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '150', 'Influenza, split virus, quadrivalent, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '151', 'influenza nasal, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '152', 'Pneumococcal Conjugate, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '153', 'Influenza, MDCK, trivalent, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '154', 'Hep A, IG', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '155', 'Influenza, recombinant, trivalent, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '156', 'Rho(D)-IG', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '157', 'Rho(D) -IG IM', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '158', 'Influenza, split virus, quadrivalent, preservative', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '159', 'Rho(D) - Unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '160', 'Influenza A monovalent (H5N1), ADJUVANTED-2013', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '801', 'AS03 Adjuvant', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '161', 'Influenza, injectable,quadrivalent, preservative free, pediatric', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '162', 'meningococcal B, recombinant', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '163', 'meningococcal B, OMV', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '164', 'meningococcal B, unspecified', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '165', 'HPV9', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '166', 'influenza, intradermal, quadrivalent, preservative free', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '167', 'meningococcal, unknown serogroups', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '168', 'Influenza, adjuvanted, trivalent, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '169', 'Hep A, live attenuated', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '170', 'DTAP/IPV/HIB - non-US', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '171', 'Influenza, MDCK, quadrivalent, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '172', 'cholera, WC-rBS', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '173', 'cholera, BivWC', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '174', 'cholera, live attenuated', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '175', 'Rabies - IM Diploid cell culture', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '176', 'Rabies - IM fibroblast culture', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '177', 'PCV10', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '178', 'OPV bivalent', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '179', 'OPV ,monovalent, unspecified', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '180', 'tetanus immune globulin', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '181', 'anthrax immune globulin', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '182', 'OPV, Unspecified', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '183', 'Yellow fever vaccine live - alt', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '184', 'Yellow fever, unspecified', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '185', 'Influenza, recombinant, quadrivalent, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '186', 'Influenza, MDCK, quadrivalent, preservative', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '187', 'zoster recombinant', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '188', 'zoster, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '189', 'HepB-CpG', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '190', 'Typhoid conjugate vaccine (TCV)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '191', 'meningococcal A polysaccharide (non-US)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '192', 'meningococcal AC polysaccharide (non-US)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '193', 'Hep A-Hep B, pediatric/adolescent', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '194', 'Influenza, Southern Hemisphere', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '195', 'DT, IPV adsorbed', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '196', 'Td, adsorbed, preservative free, adult use, Lf unspecified', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '197', 'Influenza, high-dose, quadrivalent, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '200', 'influenza, Southern Hemisphere, pediatric, preservative free', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '201', 'Influenza, Southern Hemisphere, quadrivalent, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '202', 'influenza, Southern Hemisphere, quadrivalent, with preservative', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '198', 'DTP-hepB-Hib Pentavalent Non-US', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '203', 'meningococcal conjugate quadrivalent, MenACWY-TT (MCV4)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '205', 'Influenza, adjuvanted, quadrivalent, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '206', 'Vaccinia, smallpox Mpox vaccine live, PF, SQ or ID injection', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '207', 'COVID-19, mRNA, LNP-S, PF, 100 mcg/0.5mL dose or 50 mcg/0.25mL dose', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '208', 'COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '213', 'SARS-COV-2 (COVID-19) vaccine, UNSPECIFIED', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '210', 'COVID-19 vaccine, vector-nr, rS-ChAdOx1, PF, 0.5 mL', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '212', 'COVID-19 vaccine, vector-nr, rS-Ad26, PF, 0.5 mL', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '204', 'Ebola Zaire vaccine, live, recombinant, 1mL dose', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '214', 'Ebola, unspecified', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '211', 'COVID-19, subunit, rS-nanoparticle+Matrix-M1 Adjuvant, PF, 0.5 mL', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '500', 'COVID-19 Non-US Vaccine, Product Unknown', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '501', 'COVID-19 IV Non-US Vaccine (QAZCOVID-IN)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '502', 'COVID-19 IV Non-US Vaccine (COVAXIN)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '503', 'COVID-19 LAV Non-US Vaccine (COVIVAC)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '504', 'COVID-19 VVnr Non-US Vaccine (Sputnik Light)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '505', 'COVID-19 VVnr Non-US Vaccine (Sputnik V)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '506', 'COVID-19 VVnr Non-US Vaccine (CanSino Biological Inc./Beijing Institute of Biotechnology', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '507', 'COVID-19 PS Non-US Vaccine (Anhui Zhifei Longcom Biopharm + Inst of Micro, Chinese Acad of Sciences)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '508', 'COVID-19 PS Non-US Vaccine (Jiangsu Province Centers for Disease Control and Prevention)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '509', 'COVID-19 PS Non-US Vaccine (EpiVacCorona)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '510', 'COVID-19 IV Non-US Vaccine (BIBP, Sinopharm)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '511', 'COVID-19 IV Non-US Vaccine (CoronaVac, Sinovac)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '215', 'Pneumococcal conjugate PCV15, polysaccharide CRM197 conjugate, adjuvant, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '216', 'Pneumococcal conjugate PCV20, polysaccharide CRM197 conjugate, adjuvant, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '219', 'COVID-19, mRNA, LNP-S, PF, 3 mcg/0.2 mL dose, tris-sucrose', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '217', 'COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose, tris-sucrose', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '218', 'COVID-19, mRNA, LNP-S, PF, 10 mcg/0.2 mL dose, tris-sucrose', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '220', 'HepB recombinant, 3-antigen, Al(OH)3', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '221', 'COVID-19, mRNA, LNP-S, PF, 50 mcg/0.5 mL dose', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '222', 'Tick-borne encephalitis, unspecified', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '223', 'Tick-borne encephalitis, inactivated, PF, 0.25mL', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '224', 'Tick-borne encephalitis, inactivated, PF, 0.5mL', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '225', 'COVID-19, D614, recomb, preS dTM, AS03 adjuvant add, PF, 5mcg/0.5mL', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '226', 'COVID-19, D614, recomb, preS dTM, AS03 adjuvant add, PF, 10mcg/0.5mL', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '512', 'SARS-COV-2 COVID-19 VLP Non-US Vaccine (Medicago, Covifenz)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '513', 'SARS-COV-2 COVID-19 PS Non-US Vaccine (Anhui Zhifei Longcom, Zifivax)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '514', 'SARS-COV-2 COVID-19 DNA Non-US Vaccine (Zydus Cadila, ZyCoV-D)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '515', 'SARS-COV-2 COVID-19 PS Non-US Vaccine (Medigen, MVC-COV1901)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '516', 'COV-2 COVID-19 Inactivated Non-US Vaccine Product (Minhai Biotechnology Co, KCONVAC)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '517', 'SARS-COV-2 COVID-19 PS Non-US Vaccine (Biological E Limited, Corbevax)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '227', 'COVID-19, mRNA, LNP-S, PF, pediatric 50 mcg/0.5 mL dose', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '228', 'COVID-19, mRNA, LNP-S, PF, pediatric 25 mcg/0.25 mL dose', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '229', 'COVID-19, mRNA, LNP-S, bivalent, PF, 50 mcg/0.5 mL or 25mcg/0.25 mL dose', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '301', 'COVID-19, mRNA, LNP-S, bivalent, PF, 10 mcg/0.2 mL dose', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '300', 'COVID-19, mRNA, LNP-S, bivalent, PF, 30 mcg/0.3 mL dose', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '230', 'COVID-19, mRNA, LNP-S, bivalent, PF, 10 mcg/0.2 mL', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '518', 'COVID-19 Inactivated, Non-US Vaccine (VLA2001, Valneva)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '519', 'COVID-19 mRNA, bivalent, original/Omicron BA.1, Non-US Vaccine (Spikevax Bivalent), Moderna', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '520', 'COVID-19 mRNA, bivalent, original/Omicron BA.1, Non-US Vaccine Product, Pfizer-BioNTech', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '521', 'COVID-19 SP, protein-based, adjuvanted (VidPrevtyn Beta), Sanofi-GSK', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '231', 'influenza, Southern Hemisphere, high-dose, quadrivalent', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '303', 'RSV, recombinant, protein subunit RSVpreF, adjuvant reconstituted, 0.5 mL, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '304', 'Respiratory syncytial virus (RSV), unspecified', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '305', 'RSV, bivalent, protein subunit RSVpreF, diluent reconstituted, 0.5 mL, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '306', 'RSV, mAb, nirsevimab-alip, 0.5 mL, neonate to 24 months', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '307', 'RSV, mAb, nirsevimab-alip, 1 mL, neonate to 24 months', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '313', 'COVID-19, subunit, rS-nanoparticle, adjuvanted, PF, 5 mcg/0.5 mL', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '308', 'COVID-19, mRNA, LNP-S, PF, tris-sucrose, 3 mcg/0.3 mL', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '309', 'COVID-19, mRNA, LNP-S, PF, tris-sucrose, 30 mcg/0.3 mL', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '310', 'COVID-19, mRNA, LNP-S, PF, tris-sucrose, 10 mcg/0.3 mL', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '312', 'COVID-19, mRNA, LNP-S, PF, 50 mcg/0.5 mL', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '311', 'COVID-19, mRNA, LNP-S, PF, 25 mcg/0.25 mL', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '315', 'Respiratory syncytial virus (RSV) MAB, unspecified', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '314', 'Respiratory syncytial virus (RSV) vaccine, unspecified', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '316', 'Meningococcal polysaccharide (MenACWY-TT conjugate), (MenB), PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '317', 'Chikungunya live attenuated vaccine, 0.5 mL, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '318', 'Anthrax, post-exposure prophylaxis', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '319', 'Anthrax vaccine, unspecified', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '320', 'Influenza, MDCK, trivalent, preservative', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '321', 'Influenza-avian, H5N8, monovalent, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '322', 'Influenza-avian, H5N8, monovalent, preservative', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '324', 'Poliovirus, inactivated, fractional-dose (fIPV)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '323', 'Influenza-avian, H5, unspecified formulation', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '326', 'RSV, mRNA, injectable, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '327', 'Pneumococcal conjugate PCV21, polysaccharide CRM197 conjugate, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '328', 'Meningococcal oligosaccharide (MenACWY), (MenB), PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '329', 'Chikungunya, VLP, recombinant, 0.8 mL, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '330', 'Dengue fever, unspecified', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '331', 'Influenza, Southern Hemisphere, trivalent, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '325', 'Vaccinia (smallpox, mpox), unspecified', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '332', 'RSV, mAb, clesrovimab-cfor, 0.7 mL, neonate and infant, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '333', 'Influenza, live, trivalent, intranasal, self/caregiver admin, PF', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://hl7.org/fhir/sid/cvx', '302', 'COVID-19, mRNA, LNP-S, bivalent, PF, 3 mcg/0.2 mL dose', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet immunization-all-cvx 20250903', '2025-09-03'),
  ('http://snomed.info/sct', '10828004', 'Positive (qualifier value)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-result 2023.1', '2026-02-18'),
  ('http://snomed.info/sct', '11214006', 'Reactive (qualifier value)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-result 2023.1', '2026-02-18'),
  ('http://snomed.info/sct', '125154007', 'Specimen unsatisfactory for evaluation (finding)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-result 2023.1', '2026-02-18'),
  ('http://snomed.info/sct', '131194007', 'Non-reactive (qualifier value)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-result 2023.1', '2026-02-18'),
  ('http://snomed.info/sct', '260373001', 'Detected (qualifier value)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-result 2023.1', '2026-02-18'),
  ('http://snomed.info/sct', '260385009', 'Negative (qualifier value)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-result 2023.1', '2026-02-18'),
  ('http://snomed.info/sct', '260415000', 'Not detected (qualifier value)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-result 2023.1', '2026-02-18'),
  ('http://snomed.info/sct', '407479009', 'Influenza A virus (organism)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-result 2023.1', '2026-02-18'),
  ('http://snomed.info/sct', '407480007', 'Influenza B virus (organism)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-result 2023.1', '2026-02-18'),
  ('http://snomed.info/sct', '415684004', 'Suspected (qualifier value)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-result 2023.1', '2026-02-18'),
  ('http://snomed.info/sct', '419984006', 'Inconclusive (qualifier value)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-result 2023.1', '2026-02-18'),
  ('http://snomed.info/sct', '42425007', 'Equivocal (qualifier value)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-result 2023.1', '2026-02-18'),
  ('http://snomed.info/sct', '455371000124106', 'Invalid result (qualifier value)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-result 2023.1', '2026-02-18'),
  ('http://snomed.info/sct', '720735008', 'Presumptive positive (qualifier value)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-result 2023.1', '2026-02-18'),
  ('http://snomed.info/sct', '82334004', 'Indeterminate (qualifier value)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-result 2023.1', '2026-02-18'),
  ('http://snomed.info/sct', '840533007', 'Severe acute respiratory syndrome coronavirus 2 (organism)', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-result 2023.1', '2026-02-18'),
  ('http://loinc.org', '94307-6', 'SARS-CoV-2 N gene Spec Ql NAA N1', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94308-4', 'SARS-CoV-2 N gene Spec Ql NAA N2', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94309-2', 'SARS-CoV-2 RNA Spec Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94310-0', 'SARS-related CoV N Spec Ql NAA N3', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94314-2', 'SARS-CoV-2 RdRp Spec Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94315-9', 'SARS-rel CoV E gene Spec Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94316-7', 'SARS-CoV-2 N gene Spec Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94500-6', 'SARS-CoV-2 RNA Resp Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94502-2', 'SARS-rel CoV RNA Resp Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94507-1', 'SARS-CoV-2 IgG SerPlBld Ql IA.rapid', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94508-9', 'SARS-CoV-2 IgM SerPlBld Ql IA.rapid', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94532-9', 'SARS-rel CoV+MERS RNA Resp Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94533-7', 'SARS-CoV-2 N gene Resp Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94534-5', 'SARS-CoV-2 RdRp Resp Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94547-7', 'SARS-CoV-2 IgG+IgM SerPl Ql IA', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94558-4', 'SARS-CoV-2 Ag Resp Ql IA.rapid', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94559-2', 'SARS-CoV-2 ORF1ab Resp Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94562-6', 'SARS-CoV-2 IgA SerPl Ql IA', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94563-4', 'SARS-CoV-2 IgG SerPl Ql IA', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94564-2', 'SARS-CoV-2 IgM SerPl Ql IA', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94565-9', 'SARS-CoV-2 RNA Nph Ql NAA+non-probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94639-2', 'SARS-CoV-2 ORF1ab Spec Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94640-0', 'SARS-CoV-2 S gene Resp Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94641-8', 'SARS-CoV-2 S gene Spec Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94647-5', 'SARSr-CoV RNA Spec Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94660-8', 'SARS-CoV-2 RNA SerPl Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94756-4', 'SARS-CoV-2 N gene Resp Ql NAA N1', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94757-2', 'SARS-CoV-2 N gene Resp Ql NAA N2', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94758-0', 'SARS-rel CoV E gene Resp Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94759-8', 'SARS-CoV-2 RNA Nph Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94760-6', 'SARS-CoV-2 N gene Nph Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94761-4', 'SARS-CoV-2 IgG DBS Ql IA', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94762-2', 'SARS-CoV-2 Ab SerPl Ql IA', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94763-0', 'SARS-CoV-2 Spec Ql Cult', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94765-5', 'SARS-rel CoV E gene SerPl Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94766-3', 'SARS-CoV-2 N gene SerPl Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94767-1', 'SARS-CoV-2 S gene SerPl Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94768-9', 'SARS-CoV-2 IgA SerPlBld Ql IA.rapid', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94822-4', 'SARS-CoV-2 RNA Sal Ql Seq', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '94845-5', 'SARS-CoV-2 RNA Sal Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '95125-1', 'SARS-CoV-2 IgA+IgM SerPl Ql IA', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '95209-3', 'SARS-CoV+SARS-CoV-2 Ag Resp Ql IA.rapid', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '95406-5', 'SARS-CoV-2 RNA Nose Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '95409-9', 'SARS-CoV-2 N gene Nose Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '95411-5', 'SARS-CoV-2 NAb Ser Ql pVNT', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '95416-4', 'SARS-CoV-2 IgM DBS Ql IA', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '95423-0', 'FLUABV + SARS-CoV-2 Resp NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '95424-8', 'SARS-CoV-2 RNA Resp Ql Seq', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '95425-5', 'SARS-CoV-2 N gene Sal Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '95542-7', 'SARS-CoV-2 Ab SerPlBld Ql IA.rapid', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '95608-6', 'SARS-CoV-2 RNA Resp Ql NAA+non-probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '95609-4', 'SARS-CoV-2 S gene Resp Ql Seq', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '95823-1', 'SARS-rel CoV E gene Sal Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '95824-9', 'SARS-CoV-2 ORF1ab Sal Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '95825-6', 'SARS-CoV-2 Ab DBS Ql IA', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '95970-0', 'SARS-CoV-2 TCRB Bld Ql Seq', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '95971-8', 'SARS-CoV-2 IFN-g Bld Ql', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '96091-4', 'SARS-CoV-2 RdRp Sal Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '96119-3', 'SARS-CoV-2 Ag Upper resp Ql IA', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '96120-1', 'SARS-CoV-2 RdRp Lower resp Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '96121-9', 'SARS-rel CoV E gene Low resp Ql NAA+prb', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '96122-7', 'SARS-rel CoV E gene Upper resp Ql NAA+prb', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '96123-5', 'SARS-CoV-2 RdRp Upper resp Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '96448-6', 'SARS-CoV-2 N gene Sal Ql NAA N1', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '96603-6', 'SARS-CoV-2 S RBD NAb SerPl Ql sVNT', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '96752-1', 'SARS-CoV-2 S gene mut Spec Ql', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '96763-8', 'SARS-CoV-2 E gene Resp Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '96765-3', 'SARS-CoV-2 S gene Sal Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '96797-6', 'SARS-CoV-2 RNA OPA wash Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '96829-7', 'SARS-CoV-2 RNA Spec Donr Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '96957-6', 'SARS-CoV-2 M gene Upper resp Ql NAA+prb', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '96958-4', 'SARS-CoV-2 N gene Sal Ql NAA N2', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '96986-5', 'SARS-CoV-2 N gene Nose Ql NAA+non-probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '97097-0', 'SARS-CoV-2 Ag Upper resp Ql IA.rapid', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '97098-8', 'SARS-CoV-2 Nsp2 Upper resp Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '98069-8', 'SARS-CoV-2 Ab Sal Ql IA.rapid', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '98131-6', 'SARS-CoV-2 ORF1b Resp Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '98132-4', 'SARS-CoV-2 ORF1a Resp Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '98493-0', 'SARS-CoV-2 ORF1b Sal Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '98494-8', 'SARS-CoV-2 ORF1a Sal Ql NAA+probe', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '99596-9', 'SARS-CoV-2 N IgG SerPl Ql IA', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '99597-7', 'SARS-CoV-2 S IgG SerPl Ql IA', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '99772-6', 'SARS-CoV-2 IFN-g Bld-Imp', NULL, 'HL7/fhir-shc-vaccination-ig@2327dce675c7:input/fsh/value_sets.fsh ValueSet lab-qualitative-test-covid 2023.1', '2026-02-18'),
  ('http://loinc.org', '58410-2', 'Complete blood count (hemogram) panel - Blood by Automated count', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '718-7', 'Hemoglobin [Mass/volume] in Blood', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '789-8', 'Erythrocytes [#/volume] in Blood by Automated count', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '4544-3', 'Hematocrit [Volume Fraction] of Blood by Automated count', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '787-2', 'Erythrocyte mean corpuscular volume [Entitic volume] by Automated count', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '785-6', 'Erythrocyte mean corpuscular hemoglobin [Entitic mass] by Automated count', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '777-3', 'Platelets [#/volume] in Blood by Automated count', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '6690-2', 'Leukocytes [#/volume] in Blood by Automated count', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '770-8', 'Neutrophils/100 leukocytes in Blood by Automated count', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '751-8', 'Neutrophils [#/volume] in Blood by Automated count', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '736-9', 'Lymphocytes/100 leukocytes in Blood by Automated count', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '731-0', 'Lymphocytes [#/volume] in Blood by Automated count', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '5905-5', 'Monocytes/100 leukocytes in Blood by Automated count', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '742-7', 'Monocytes [#/volume] in Blood by Automated count', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '713-8', 'Eosinophils/100 leukocytes in Blood by Automated count', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '711-2', 'Eosinophils [#/volume] in Blood by Automated count', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '706-2', 'Basophils/100 leukocytes in Blood by Automated count', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '704-7', 'Basophils [#/volume] in Blood by Automated count', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '24323-8', 'Comprehensive metabolic 2000 panel - Serum or Plasma', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '2951-2', 'Sodium [Moles/volume] in Serum or Plasma', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '2823-3', 'Potassium [Moles/volume] in Serum or Plasma', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '2075-0', 'Chloride [Moles/volume] in Serum or Plasma', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '1963-8', 'Bicarbonate [Moles/volume] in Serum', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '1863-0', 'Anion gap 4 in Serum or Plasma', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '14749-6', 'Glucose [Moles/volume] in Serum or Plasma', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '14937-7', 'Urea nitrogen [Moles/volume] in Serum or Plasma', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '14682-9', 'Creatinine [Moles/volume] in Serum or Plasma', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '14933-6', 'Urate [Moles/volume] in Serum or Plasma', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '14631-6', 'Bilirubin.total [Moles/volume] in Serum or Plasma', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '14629-0', 'Bilirubin.direct [Moles/volume] in Serum or Plasma', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '6768-6', 'Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '2324-2', 'Gamma glutamyl transferase [Enzymatic activity/volume] in Serum or Plasma', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '1742-6', 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '1920-8', 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '2532-0', 'Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '2000-8', 'Calcium [Moles/volume] in Serum or Plasma', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '13959-2', 'Calcium.ionized [Moles/volume] in Serum or Plasma by calculation', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '14879-1', 'Phosphate [Moles/volume] in Serum or Plasma', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '2885-2', 'Protein [Mass/volume] in Serum or Plasma', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '1751-7', 'Albumin [Mass/volume] in Serum or Plasma', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '10834-0', 'Globulin [Mass/volume] in Serum by calculation', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '24357-6', 'Urinalysis macro (dipstick) panel - Urine', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '2756-5', 'pH of Urine', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '2887-8', 'Protein [Presence] in Urine', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '2965-2', 'Specific gravity of Urine', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '33051-4', 'Erythrocytes [Presence] in Urine', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '2349-9', 'Glucose [Presence] in Urine', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '33052-2', 'Leukocytes [Presence] in Urine', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '30405-5', 'Leukocytes [#/volume] in Urine', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '30391-7', 'Erythocytes [#/volume] in Urine', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://loinc.org', '13654-9', 'Epithelial cells.squamous [#/volume] in Urine sediment', NULL, 'smart-on-fhir/health-cards@5eb9aa8:generate-examples/src/fixtures/dr-bundle.json', '2023-06-22'),
  ('http://hl7.org/fhir/sid/mvx', 'AB', 'Abbott Laboratories', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'AD', 'Adams Laboratories, Inc.', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'ALP', 'Alpha Therapeutic Corporation', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'AR', 'Armour', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'AVB', 'Aventis Behring L.L.C.', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'AVI', 'Aviron', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'BA', 'Baxter Healthcare Corporation', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'BAH', 'Baxter Healthcare Corporation', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'BAY', 'Bayer Corporation', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'BP', 'Berna Products', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'BPC', 'Berna Products Corporation', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'CEN', 'Centeon L.L.C.', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'CHI', 'Chiron Corporation', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'CMP', 'Celltech Medeva Pharmaceuticals', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'CNJ', 'Cangene Corporation', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'CON', 'Connaught', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'DVC', 'DynPort Vaccine Company, LLC', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'EVN', 'Evans Medical Limited', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'GEO', 'GeoVax Labs, Inc.', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'GRE', 'Greer Laboratories, Inc.', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'IAG', 'Immuno International AG', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'IM', 'Merieux', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'IUS', 'Immuno-U.S., Inc.', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'JPN', 'The Research Foundation for Microbial Diseases of Osaka University', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'KGC', 'Korea Green Cross Corporation', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'LED', 'Lederle', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'MA', 'Massachusetts Public Health Biologic Laboratories', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'MBL', 'Massachusetts Biologic Laboratories', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'MED', 'MedImmune, Inc.', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'MIL', 'Miles', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'MIP', 'Bioport Corporation', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'MSD', 'Merck & Co., Inc.', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'NAB', 'NABI', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'NAV', 'North American Vaccine, Inc.', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'NOV', 'Novartis Pharmaceutical Corporation', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'NVX', 'Novavax, Inc.', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'NYB', 'New York Blood Center', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'ORT', 'Ortho-Clinical Diagnostics', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'OTC', 'Organon Teknika Corporation', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'OTH', 'Other manufacturer', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'PD', 'Parkedale Pharmaceuticals', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'PMC', 'sanofi pasteur', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'PRX', 'Praxis Biologics', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'PWJ', 'PowderJect Pharmaceuticals', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'SCL', 'Sclavo, Inc.', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'SI', 'Swiss Serum and Vaccine Inst.', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'SKB', 'GlaxoSmithKline', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'SOL', 'Solvay Pharmaceuticals', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'TAL', 'Talecris Biotherapeutics', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'UNK', 'Unknown manufacturer', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'USA', 'United States Army Medical Research and Material Command', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'VXG', 'VaxGen', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'WA', 'Wyeth-Ayerst', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'WAL', 'Wyeth-Ayerst', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04'),
  ('http://hl7.org/fhir/sid/mvx', 'ZLB', 'ZLB Behring', NULL, 'GinoCanessa/fhir-cross-version-source@1c3e3379d678:docs/R3/ValueSets/V2ManufacturersOfVaccinesCodeEqualsMVX.md (hl7.fhir.r3.core 3.0.2, v2 table 0227 2.8.2)', '2025-04-04');
UPDATE @extschema@.shc_code_name SET shipped = true;

CREATE FUNCTION @extschema@.shc_code_display(system text, code text)
RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT n.display FROM @extschema@.shc_code_name n
   WHERE n.system = shc_code_display.system AND n.code = shc_code_display.code
   ORDER BY n.shipped
   LIMIT 1
$$;
COMMENT ON FUNCTION @extschema@.shc_code_display(text, text) IS
'the name of a CVX, MVX, LOINC or SNOMED CT code from shc_code_name (a loaded list before the shipped one); NULL for an unknown code';

-- Loads the CDC's published pipe-delimited files: cvx.txt (code, short
-- description, full name, notes, status, nonvaccine, last updated
-- yyyy/mm/dd) and mvx.txt (code, manufacturer, notes, status, last
-- updated).  The loaded list replaces the previously loaded one of that
-- system; the shipped list stays underneath.
CREATE FUNCTION @extschema@.shc_code_names_load(list text, code_system text DEFAULT 'cvx',
                                        source text DEFAULT NULL, published date DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  kind   text := lower(code_system);
  sys    text;
  nf     int;
  line   text;
  lineno int := 0;
  f      text[];
  d      date;
  newest date;
  n      int := 0;
  codes  text[] := '{}';
  names  text[] := '{}';
  stats  text[] := '{}';
  dates  date[] := '{}';
BEGIN
  IF list IS NULL OR code_system IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
      MESSAGE = 'list and code_system must not be null';
  END IF;
  IF kind = 'cvx' THEN
    sys := 'http://hl7.org/fhir/sid/cvx'; nf := 7;
  ELSIF kind = 'mvx' THEN
    sys := 'http://hl7.org/fhir/sid/mvx'; nf := 5;
  ELSE
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = format('unknown code list "%s"', code_system),
      HINT = 'code_system is cvx (the CDC''s cvx.txt) or mvx (the CDC''s mvx.txt).';
  END IF;
  FOREACH line IN ARRAY regexp_split_to_array(replace(list, E'\uFEFF', ''), E'\r?\n') LOOP
    lineno := lineno + 1;
    CONTINUE WHEN btrim(line) = '';
    f := string_to_array(line, '|');
    -- a trailing | is tolerated
    IF cardinality(f) = nf + 1 AND btrim(f[nf + 1]) = '' THEN
      f := f[1:nf];
    END IF;
    IF cardinality(f) <> nf THEN
      RAISE EXCEPTION USING ERRCODE = 'invalid_text_representation',
        MESSAGE = format('line %s of the %s list has %s fields, expected %s', lineno, upper(kind), cardinality(f), nf);
    END IF;
    f := ARRAY(SELECT btrim(x) FROM unnest(f) x);
    IF (kind = 'cvx' AND f[1] !~ '^[0-9]{1,4}$') OR (kind = 'mvx' AND f[1] !~ '^[A-Z0-9]{1,10}$') THEN
      RAISE EXCEPTION USING ERRCODE = 'invalid_text_representation',
        MESSAGE = format('line %s of the %s list has an invalid code "%s"', lineno, upper(kind), left(f[1], 20));
    END IF;
    IF f[2] = '' THEN
      RAISE EXCEPTION USING ERRCODE = 'invalid_text_representation',
        MESSAGE = format('line %s of the %s list has no name for code %s', lineno, upper(kind), f[1]);
    END IF;
    BEGIN
      d := CASE WHEN f[nf] = '' THEN NULL ELSE to_date(f[nf], 'YYYY/MM/DD') END;
      IF d IS NOT NULL AND to_char(d, 'YYYY/MM/DD') <> f[nf] THEN RAISE EXCEPTION 'bad date'; END IF;
    EXCEPTION WHEN others THEN
      RAISE EXCEPTION USING ERRCODE = 'invalid_datetime_format',
        MESSAGE = format('line %s of the %s list has an invalid date "%s"', lineno, upper(kind), left(f[nf], 20)),
        HINT = 'The CDC''s files write dates as yyyy/mm/dd.';
    END;
    IF f[1] = ANY (codes) THEN
      RAISE EXCEPTION USING ERRCODE = 'invalid_text_representation',
        MESSAGE = format('line %s of the %s list repeats code %s', lineno, upper(kind), f[1]);
    END IF;
    codes := codes || f[1];
    names := names || f[2];
    stats := stats || nullif(f[nf - CASE WHEN kind = 'cvx' THEN 2 ELSE 1 END], '');
    dates := dates || d;
    n := n + 1;
  END LOOP;
  IF n = 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = format('the %s list is empty', upper(kind));
  END IF;
  SELECT max(x) INTO newest FROM unnest(dates) x;
  DELETE FROM @extschema@.shc_code_name c WHERE c.system = sys AND NOT c.shipped;
  INSERT INTO @extschema@.shc_code_name (system, code, display, status, source, source_date, shipped)
  SELECT sys, t.code, t.display, t.status,
         coalesce(shc_code_names_load.source, 'CDC ' || kind || '.txt'),
         coalesce(shc_code_names_load.published, newest), false
    FROM unnest(codes, names, stats) AS t(code, display, status);
  RETURN n;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_code_names_load(text, text, text, date) IS
'replace the loaded CVX or MVX names with a list in the CDC''s published pipe-delimited format (cvx.txt or mvx.txt); returns the number of codes; for shc_trust_admin';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_code_names_load(text, text, text, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_code_names_load(text, text, text, date) TO shc_trust_admin;

CREATE FUNCTION @extschema@.shc_immunizations(bundle jsonb)
RETURNS TABLE (entry int, vaccine_system text, vaccine_code text, vaccine_name text, occurrence date,
               occurrence_text text, lot_number text, performer text, status text)
LANGUAGE sql STABLE STRICT PARALLEL SAFE ROWS 4
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT (i - 1)::int,
         c->>'system',
         c->>'code',
         coalesce(c->>'display', @extschema@.shc_code_display(c->>'system', c->>'code')),
         CASE WHEN r->>'occurrenceDateTime' ~ '^\d{4}-\d{2}-\d{2}'
              THEN make_date(substr(r->>'occurrenceDateTime', 1, 4)::int, substr(r->>'occurrenceDateTime', 6, 2)::int, substr(r->>'occurrenceDateTime', 9, 2)::int) END,
         coalesce(r->>'occurrenceDateTime', r->>'occurrenceString'),
         r->>'lotNumber',
         r->'performer'->0->'actor'->>'display',
         r->>'status'
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(bundle->'entry') = 'array'
                                   THEN bundle->'entry' ELSE '[]' END) WITH ORDINALITY AS e(x, i),
         LATERAL (SELECT x->'resource' AS r) s,
         LATERAL (SELECT r->'vaccineCode'->'coding'->0 AS c) cc
   WHERE r->>'resourceType' = 'Immunization'
   ORDER BY i
$$;
COMMENT ON FUNCTION @extschema@.shc_immunizations(jsonb) IS
'one row per Immunization of a FHIR Bundle: vaccine system, code and name, date, lot, performer, status';

CREATE FUNCTION @extschema@.shc_observations(bundle jsonb)
RETURNS TABLE (entry int, code_system text, code text, test_name text, effective date, effective_text text,
               value_system text, value_code text, result_name text, value_quantity numeric, unit text,
               performer text, status text)
LANGUAGE sql STABLE STRICT PARALLEL SAFE ROWS 4
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT (i - 1)::int,
         c->>'system',
         c->>'code',
         coalesce(c->>'display', @extschema@.shc_code_display(c->>'system', c->>'code')),
         CASE WHEN r->>'effectiveDateTime' ~ '^\d{4}-\d{2}-\d{2}'
              THEN make_date(substr(r->>'effectiveDateTime', 1, 4)::int, substr(r->>'effectiveDateTime', 6, 2)::int, substr(r->>'effectiveDateTime', 9, 2)::int) END,
         r->>'effectiveDateTime',
         v->>'system',
         v->>'code',
         coalesce(v->>'display', @extschema@.shc_code_display(v->>'system', v->>'code')),
         CASE WHEN jsonb_typeof(r->'valueQuantity'->'value') = 'number'
              THEN (r->'valueQuantity'->>'value')::numeric END,
         r->'valueQuantity'->>'unit',
         coalesce(r->'performer'->0->>'display', r->'performer'->0->'actor'->>'display'),
         r->>'status'
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(bundle->'entry') = 'array'
                                   THEN bundle->'entry' ELSE '[]' END) WITH ORDINALITY AS e(x, i),
         LATERAL (SELECT x->'resource' AS r) s,
         LATERAL (SELECT r->'code'->'coding'->0 AS c, r->'valueCodeableConcept'->'coding'->0 AS v) cc
   WHERE r->>'resourceType' = 'Observation'
   ORDER BY i
$$;
COMMENT ON FUNCTION @extschema@.shc_observations(jsonb) IS
'one row per Observation of a FHIR Bundle: code and test name, date, coded value and result name, or quantity, performer, status';

------------------------------------------------------------------------------
-- 3. Keys and issuing
------------------------------------------------------------------------------

-- Issuer keys and card issuance (SHC-NOTES sections 2-5, 7, 9.1, 13;
-- docs/issuing.md, docs/security.md).  Private scalars are stored only
-- sealed (AES-256-GCM) under a root key outside the database
-- (shc.root_key_file or shc.root_key_command); the associated data is the
-- row's identity, so a sealed value does not open in another row.
-- shc_key_admin manages keys, shc_issuer signs.

-- 3a. The key cache: every session drops its cached keys and trust after a
-- change commits.

CREATE FUNCTION @extschema@.shc_cache_invalidate_trigger()
RETURNS trigger
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_cache_invalidate_trigger';
COMMENT ON FUNCTION @extschema@.shc_cache_invalidate_trigger() IS
  'statement trigger on key and trust tables: makes every session drop its cached keys after the change commits';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_cache_invalidate_trigger() FROM PUBLIC;

-- 3b. Signing keys.

-- The public half of every issuer key: what shc_jwks() publishes.  Readable
-- by everyone (it is published anyway); written only by the key functions,
-- which run as the extension owner.  A key is never deleted by shc: a
-- retired key stays published for the cards it signed (SHC-NOTES 5).
CREATE TABLE @extschema@.shc_keys (
  kid text NOT NULL,
  iss text NOT NULL,
  x text NOT NULL,
  y text NOT NULL,
  created_at timestamptz DEFAULT now() NOT NULL,
  retired_at timestamptz,
  CONSTRAINT shc_keys_pkey PRIMARY KEY (kid),
  CONSTRAINT shc_keys_iss_check CHECK (((iss ~ '^https://[^/]'::text) AND (iss !~ '/$'::text))),
  CONSTRAINT shc_keys_kid_check CHECK ((kid ~ '^[A-Za-z0-9_-]{43}$'::text)),
  CONSTRAINT shc_keys_x_check CHECK ((x ~ '^[A-Za-z0-9_-]{43}$'::text)),
  CONSTRAINT shc_keys_y_check CHECK ((y ~ '^[A-Za-z0-9_-]{43}$'::text))
);
CREATE INDEX shc_keys_iss_idx ON @extschema@.shc_keys USING btree (iss);
COMMENT ON TABLE @extschema@.shc_keys IS
  'issuer signing keys, public part (kid = RFC 7638 thumbprint of x, y); retired keys stay published';
REVOKE ALL ON @extschema@.shc_keys FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_keys TO PUBLIC;
CREATE TRIGGER shc_keys_cache_invalidate
  AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON @extschema@.shc_keys
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.shc_cache_invalidate_trigger();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.shc_keys', '');

-- The private scalar of each signing key, sealed under the root key.  No
-- privilege for anyone but the owner, and the database owner may read the
-- ciphertext (so that a database dump holds it); deleted when the key is
-- retired (SHC-NOTES 5: retired private keys must be destroyed).  No CHECK
-- constraint on sealed_d: a failing CHECK would print the row in the error
-- detail.
CREATE TABLE @extschema@.shc_private_keys (
  kid text NOT NULL,
  sealed_d bytea NOT NULL,
  CONSTRAINT shc_private_keys_pkey PRIMARY KEY (kid),
  CONSTRAINT shc_private_keys_kid_fkey FOREIGN KEY (kid) REFERENCES @extschema@.shc_keys(kid) ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.shc_private_keys IS
  'private scalar d of each active signing key, sealed (AES-256-GCM) under the root key; deleted when the key is retired';
COMMENT ON COLUMN @extschema@.shc_private_keys.sealed_d IS
  'version, root key id, nonce, ciphertext and tag of d; associated data "shc key <kid>"';
REVOKE ALL ON @extschema@.shc_private_keys FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_private_keys TO pg_database_owner;
CREATE TRIGGER shc_private_keys_cache_invalidate
  AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON @extschema@.shc_private_keys
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.shc_cache_invalidate_trigger();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.shc_private_keys', '');

-- The revocation list counter of each key that has one (SHC-NOTES 10):
-- the CRL's ctr and the JWK's crlVersion, published by shc_jwks().
-- Written by shc_revoke() (section 4e); a key without a row has no CRL.
CREATE TABLE @extschema@.shc_crls (
  kid text NOT NULL,
  ctr integer NOT NULL,
  updated_at timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT shc_crls_pkey PRIMARY KEY (kid),
  CONSTRAINT shc_crls_ctr_check CHECK ((ctr >= 1)),
  CONSTRAINT shc_crls_kid_fkey FOREIGN KEY (kid) REFERENCES @extschema@.shc_keys(kid) ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.shc_crls IS
  'CRL update counter (ctr = JWK crlVersion) of each key that has revocations; starts at 1, +1 on every change';
REVOKE ALL ON @extschema@.shc_crls FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_crls TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.shc_crls', '');

CREATE FUNCTION @extschema@.shc_key_create(iss text)
RETURNS text
LANGUAGE C VOLATILE STRICT SECURITY DEFINER COST 1000
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_key_create_sql';
COMMENT ON FUNCTION @extschema@.shc_key_create(text) IS
  'generate a P-256 signing key for an issuer inside the server, store it, return its kid';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_key_create(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_key_create(text) TO shc_key_admin;

CREATE FUNCTION @extschema@.shc_key_import(iss text, private_jwk jsonb)
RETURNS text
LANGUAGE C VOLATILE STRICT SECURITY DEFINER COST 1000
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_key_import_sql';
COMMENT ON FUNCTION @extschema@.shc_key_import(text, jsonb) IS
  'store a private P-256 JWK (kty EC, crv P-256, x, y, d) as a signing key of an issuer, return its kid';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_key_import(text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_key_import(text, jsonb) TO shc_key_admin;

-- Importing without the key in the statement: from a server-side file.
CREATE FUNCTION @extschema@.shc_key_import_file(iss text, path text)
RETURNS text
LANGUAGE C VOLATILE STRICT COST 1000
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_key_import_file_sql';
COMMENT ON FUNCTION @extschema@.shc_key_import_file(text, text) IS
  'store the private JWK held by a server-side file (absolute path) as a signing key of an issuer, return its kid; the caller must be allowed to read server files';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_key_import_file(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_key_import_file(text, text) TO shc_key_admin;

CREATE FUNCTION @extschema@.shc_key_retire(kid text)
RETURNS void
LANGUAGE plpgsql VOLATILE STRICT SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  UPDATE @extschema@.shc_keys k SET retired_at = coalesce(k.retired_at, now())
   WHERE k.kid = shc_key_retire.kid;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_object',
      MESSAGE = format('signing key "%s" does not exist', shc_key_retire.kid);
  END IF;
  -- SHC-NOTES 5: a retired private key must be destroyed
  DELETE FROM @extschema@.shc_private_keys p WHERE p.kid = shc_key_retire.kid;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_key_retire(text) IS
  'stop signing with a key and destroy its private part; its public key stays in shc_jwks()';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_key_retire(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_key_retire(text) TO shc_key_admin;

CREATE FUNCTION @extschema@.shc_jwks(iss text)
RETURNS jsonb
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT jsonb_build_object('keys', coalesce(jsonb_agg(
           jsonb_build_object('kty', 'EC', 'kid', k.kid, 'use', 'sig', 'alg', 'ES256',
                              'crv', 'P-256', 'x', k.x, 'y', k.y)
           || CASE WHEN c.ctr IS NULL THEN '{}'::jsonb
                   ELSE jsonb_build_object('crlVersion', c.ctr) END
           ORDER BY k.created_at, k.kid), '[]'::jsonb))
    FROM @extschema@.shc_keys k LEFT JOIN @extschema@.shc_crls c ON c.kid = k.kid
   WHERE k.iss = shc_jwks.iss
$$;
COMMENT ON FUNCTION @extschema@.shc_jwks(text) IS
  'public JWK set {"keys":[...]} of an issuer, retired keys included, with crlVersion on keys that have a CRL, for <iss>/.well-known/jwks.json';

CREATE FUNCTION @extschema@.shc_kid(jwk jsonb)
RETURNS text
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_kid_sql';
COMMENT ON FUNCTION @extschema@.shc_kid(jsonb) IS
  'RFC 7638 thumbprint (the SMART Health Card kid) of a P-256 JWK; the point is checked to be on the curve';

CREATE FUNCTION @extschema@.shc_root_key_id()
RETURNS text
LANGUAGE C STABLE PARALLEL RESTRICTED COST 100
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_root_key_id_sql';
COMMENT ON FUNCTION @extschema@.shc_root_key_id() IS
  'id (16 hex digits, a hash) of the configured root key that seals private keys and secrets; NULL when none is configured';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_root_key_id() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_root_key_id() TO shc_key_admin;

CREATE FUNCTION @extschema@.shc_root_key_rotate()
RETURNS bigint
LANGUAGE C VOLATILE SECURITY DEFINER COST 1000
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_root_key_rotate_sql';
COMMENT ON FUNCTION @extschema@.shc_root_key_rotate() IS
  'reseal every stored private key and secret under the current root key (opening those sealed under shc.root_key_previous_*), after waiting for every transaction that sealed one; records the previous root key as retired so that no session still holding it seals with it; returns how many were resealed';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_root_key_rotate() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_root_key_rotate() TO shc_key_admin;

-- The root keys shc_root_key_rotate() rotated away from (their ids, as
-- shc_root_key_id() prints them).  Sealing refuses a root key listed here
-- (a session that read its settings before the reload), and the table's
-- lock orders sealing and rotation: each transaction that seals holds
-- ROW SHARE on it until it ends, the rotation takes EXCLUSIVE first and so
-- waits for them (src/shc_secret.c).  Not dumped: it names keys of this
-- server's configuration.
CREATE TABLE @extschema@.shc_root_key_retired (
  key_id     text PRIMARY KEY CHECK (key_id ~ '^[0-9a-f]{16}$'),
  retired_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE @extschema@.shc_root_key_retired IS
'root keys (ids) that shc_root_key_rotate() rotated away from: no secret is sealed under them any more; its lock makes the rotation wait for transactions that sealed secrets';
REVOKE ALL ON @extschema@.shc_root_key_retired FROM PUBLIC;

-- Replacing every key and rid secret in one statement (issue 22): after an
-- update from 0.1.0 the cleartext private scalars and rid secrets stay in
-- old WAL and in every earlier backup (docs/security.md, README
-- "Upgrading").  Runs as its caller (shc_key_admin), with the functions it
-- composes.
CREATE FUNCTION @extschema@.shc_key_replace(iss text DEFAULT NULL,
                              OUT issuer text, OUT new_kid text, OUT retired_kids text[],
                              OUT rid_secret_version integer)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 1000 ROWS 10
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  i text;
  k text;
BEGIN
  IF shc_key_replace.iss IS NOT NULL
     AND NOT EXISTS (SELECT FROM @extschema@.shc_keys sk WHERE sk.iss = shc_key_replace.iss AND sk.retired_at IS NULL)
     AND NOT EXISTS (SELECT FROM @extschema@.shc_rid_secrets rs WHERE rs.iss = shc_key_replace.iss) THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_object',
      MESSAGE = pg_catalog.format('issuer "%s" has no signing key and no rid secret', pg_catalog.left(shc_key_replace.iss, 200)),
      HINT = 'Without an issuer, shc_key_replace() replaces the keys and rid secrets of every issuer.';
  END IF;
  FOR i IN SELECT s.iss FROM @extschema@.shc_keys s WHERE s.retired_at IS NULL
           UNION SELECT r.iss FROM @extschema@.shc_rid_secrets r
           ORDER BY 1 LOOP
    CONTINUE WHEN shc_key_replace.iss IS NOT NULL AND i IS DISTINCT FROM shc_key_replace.iss;
    issuer := i;
    new_kid := NULL;
    retired_kids := '{}';
    rid_secret_version := NULL;
    -- a new key first, so the issuer always has one to sign with
    IF EXISTS (SELECT FROM @extschema@.shc_keys s WHERE s.iss = i AND s.retired_at IS NULL) THEN
      SELECT pg_catalog.array_agg(s.kid ORDER BY s.created_at, s.kid) INTO retired_kids
        FROM @extschema@.shc_keys s WHERE s.iss = i AND s.retired_at IS NULL;
      new_kid := @extschema@.shc_key_create(i);
      FOREACH k IN ARRAY retired_kids LOOP
        PERFORM @extschema@.shc_key_retire(k);
      END LOOP;
    END IF;
    IF EXISTS (SELECT FROM @extschema@.shc_rid_secrets r WHERE r.iss = i) THEN
      rid_secret_version := @extschema@.shc_rid_secret_create(i);
    END IF;
    RETURN NEXT;
  END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_key_replace(text) IS
'replace every signing key (a new key per issuer, the old ones retired: their public keys stay in shc_jwks) and add a new current rid secret version, for one issuer or all; after an update from 0.1.0, whose cleartext keys and secrets stay in old WAL and backups';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_key_replace(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_key_replace(text) TO shc_key_admin;

-- 3c. Who may sign for an issuer.

-- Who may sign for an issuer.  An issuer without rows here: every role that
-- may execute shc_issue (shc_issuer).  An issuer with rows: only members of
-- the roles listed and superusers.
CREATE TABLE @extschema@.shc_issuer_grants (
  iss text NOT NULL,
  grantee regrole NOT NULL,
  granted_at timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT shc_issuer_grants_pkey PRIMARY KEY (iss, grantee),
  CONSTRAINT shc_issuer_grants_iss_check CHECK (((iss ~ '^https://[^/]'::text) AND (iss !~ '/$'::text)))
);
COMMENT ON TABLE @extschema@.shc_issuer_grants IS
  'roles allowed to sign for an issuer; an issuer with no row: every role allowed to execute shc_issue';
REVOKE ALL ON @extschema@.shc_issuer_grants FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_issuer_grants TO PUBLIC;
CREATE TRIGGER shc_issuer_grants_cache_invalidate
  AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON @extschema@.shc_issuer_grants
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.shc_cache_invalidate_trigger();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.shc_issuer_grants', '');

CREATE FUNCTION @extschema@.shc_issuer_grant(iss text, role regrole)
RETURNS boolean
LANGUAGE plpgsql VOLATILE STRICT SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF iss !~ '^https://[^/]' OR iss ~ '/$' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'invalid issuer URL',
      DETAIL = 'An issuer URL starts with "https://" and does not end with "/".';
  END IF;
  INSERT INTO @extschema@.shc_issuer_grants AS g (iss, grantee)
    VALUES (shc_issuer_grant.iss, shc_issuer_grant.role)
    ON CONFLICT DO NOTHING;
  RETURN FOUND;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_issuer_grant(text, regrole) IS
  'allow a role (and its members) to sign for an issuer; from the first grant on, only grantees and superusers sign for it; false when already granted';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_issuer_grant(text, regrole) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_issuer_grant(text, regrole) TO shc_key_admin;

CREATE FUNCTION @extschema@.shc_issuer_revoke(iss text, role regrole)
RETURNS boolean
LANGUAGE plpgsql VOLATILE STRICT SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  DELETE FROM @extschema@.shc_issuer_grants g
   WHERE g.iss = shc_issuer_revoke.iss AND g.grantee = shc_issuer_revoke.role;
  RETURN FOUND;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_issuer_revoke(text, regrole) IS
  'withdraw a role''s grant to sign for an issuer (with no grant left, every shc_issuer member signs for it again); false when there was none';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_issuer_revoke(text, regrole) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_issuer_revoke(text, regrole) TO shc_key_admin;

-- 3d. Signing.

CREATE FUNCTION @extschema@.shc_issue(bundle jsonb,
                                      key text,
                                      nbf timestamptz DEFAULT now(),
                                      exp timestamptz DEFAULT NULL::timestamptz,
                                      rid text DEFAULT NULL::text,
                                      minimize boolean DEFAULT true)
RETURNS text
LANGUAGE C VOLATILE PARALLEL RESTRICTED COST 1000
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_issue_kid_sql';
COMMENT ON FUNCTION @extschema@.shc_issue(jsonb, text, timestamptz, timestamptz, text, boolean) IS
  'SMART Health Card (compact JWS) of a FHIR Bundle, signed with the stored key whose kid is given, or with the newest usable key of the issuer URL given';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_issue(jsonb, text, timestamptz, timestamptz, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_issue(jsonb, text, timestamptz, timestamptz, text, boolean) TO shc_issuer;

CREATE FUNCTION @extschema@.shc_issue(bundle jsonb,
                                      private_jwk jsonb,
                                      iss text,
                                      nbf timestamptz DEFAULT now(),
                                      exp timestamptz DEFAULT NULL::timestamptz,
                                      rid text DEFAULT NULL::text,
                                      minimize boolean DEFAULT true)
RETURNS text
LANGUAGE C VOLATILE PARALLEL SAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_issue_jwk_sql';
COMMENT ON FUNCTION @extschema@.shc_issue(jsonb, jsonb, text, timestamptz, timestamptz, text, boolean) IS
  'SMART Health Card (compact JWS) of a FHIR Bundle, signed with the given private JWK for the given issuer';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_issue(jsonb, jsonb, text, timestamptz, timestamptz, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_issue(jsonb, jsonb, text, timestamptz, timestamptz, text, boolean) TO shc_issuer;

-- The issue trigger's one call: card, signing kid and rid (derived under
-- that kid) that agree even while a key rotation commits.
CREATE FUNCTION @extschema@.shc_issue_card(bundle jsonb,
                                           key text,
                                           nbf timestamptz DEFAULT now(),
                                           exp timestamptz DEFAULT NULL::timestamptz,
                                           subject text DEFAULT NULL::text,
                                           minimize boolean DEFAULT true,
                                           OUT card text,
                                           OUT kid text,
                                           OUT rid text)
RETURNS record
LANGUAGE C VOLATILE PARALLEL RESTRICTED COST 1000
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_issue_card_sql';
COMMENT ON FUNCTION @extschema@.shc_issue_card(jsonb, text, timestamptz, timestamptz, text, boolean) IS
  'SMART Health Card of a FHIR Bundle like shc_issue (kid, or issuer URL for its newest usable key), with the kid that signed it and, given a subject, the rid of that subject under that kid (in the card too)';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_issue_card(jsonb, text, timestamptz, timestamptz, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_issue_card(jsonb, text, timestamptz, timestamptz, text, boolean) TO shc_issuer;

CREATE FUNCTION @extschema@.shc_health_cards_issue(patient_bundle jsonb, parameters jsonb, key text)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  p jsonb;
  types text[] := '{}';
  t text;
  since text;
  claims text[];
  patient jsonb;
  picked jsonb := '[]';
  entry jsonb;
  res jsonb;
  rdate text;
  card text;
  out_params jsonb;
  i int;
BEGIN
  IF jsonb_typeof(parameters) IS DISTINCT FROM 'object'
     OR parameters->>'resourceType' IS DISTINCT FROM 'Parameters' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'parameters must be a FHIR Parameters resource';
  END IF;
  IF parameters ? 'parameter' AND jsonb_typeof(parameters->'parameter') <> 'array' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'Parameters.parameter must be an array';
  END IF;
  IF jsonb_typeof(patient_bundle) IS DISTINCT FROM 'object'
     OR patient_bundle->>'resourceType' IS DISTINCT FROM 'Bundle'
     OR jsonb_typeof(patient_bundle->'entry') IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'patient_bundle must be a FHIR Bundle with an entry array';
  END IF;

  FOR p IN SELECT * FROM jsonb_array_elements(coalesce(parameters->'parameter', '[]')) LOOP
    CASE p->>'name'
      WHEN 'credentialType' THEN
        t := p->>'valueUri';
        IF t IS NULL THEN
          RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = 'credentialType must have a valueUri';
        END IF;
        -- SHC-NOTES 9.3: legacy values map to resource types
        t := CASE t
               WHEN 'https://smarthealth.cards#immunization' THEN 'Immunization'
               WHEN 'https://smarthealth.cards#laboratory' THEN 'Observation'
               ELSE t END;
        IF t !~ '^[A-Z][A-Za-z]{1,63}$' THEN
          RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = format('unsupported credentialType "%s"', left(p->>'valueUri', 100)),
            HINT = 'Use a FHIR resource type such as Immunization or Observation.';
        END IF;
        types := types || t;
      WHEN '_since' THEN
        since := p->>'valueDateTime';
        IF since IS NULL OR since !~ '^\d{4}(-\d{2}(-\d{2}(T.*)?)?)?$' THEN
          RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = '_since must have a FHIR valueDateTime';
        END IF;
      WHEN 'credentialValueSet' THEN
        RAISE NOTICE 'credentialValueSet is not supported and was ignored';
      WHEN 'includeIdentityClaim' THEN
        IF p->>'valueString' IS NULL OR p->>'valueString' !~ '^Patient\.[A-Za-z]+$' THEN
          RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = 'includeIdentityClaim must have a valueString such as "Patient.name"';
        END IF;
        claims := coalesce(claims, '{}') || substr(p->>'valueString', 9);
      ELSE
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
          MESSAGE = format('unknown parameter "%s"', left(coalesce(p->>'name', ''), 100)),
          HINT = 'The operation takes credentialType, credentialValueSet, includeIdentityClaim and _since.';
    END CASE;
  END LOOP;
  IF cardinality(types) = 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'at least one credentialType is required';
  END IF;

  SELECT e->'resource' INTO patient
    FROM jsonb_array_elements(patient_bundle->'entry') e
   WHERE e->'resource'->>'resourceType' = 'Patient' LIMIT 1;
  IF patient IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'patient_bundle has no Patient resource';
  END IF;
  IF claims IS NOT NULL THEN
    SELECT jsonb_object_agg(k, v) INTO patient
      FROM jsonb_each(patient) AS x(k, v)
     WHERE k IN ('resourceType', 'id') OR k = ANY (claims);
  END IF;

  -- the resources of the requested types, with data since _since
  FOR entry IN SELECT e FROM jsonb_array_elements(patient_bundle->'entry') e LOOP
    res := entry->'resource';
    CONTINUE WHEN NOT (res->>'resourceType' = ANY (types));
    rdate := coalesce(res->>'occurrenceDateTime', res->>'effectiveDateTime',
                      res->>'issued', res->>'recorded', res->>'date');
    -- ISO dates compare as text; a partial _since ("2021-03") is a prefix
    CONTINUE WHEN since IS NOT NULL AND (rdate IS NULL OR rdate < since);
    picked := picked || jsonb_build_array(entry);
  END LOOP;
  -- credentialType repeats are ANDed: every type must be present
  FOREACH t IN ARRAY types LOOP
    IF NOT EXISTS (SELECT 1 FROM jsonb_array_elements(picked) e
                    WHERE e->'resource'->>'resourceType' = t) THEN
      RETURN '{"resourceType":"Parameters"}';
    END IF;
  END LOOP;

  card := @extschema@.shc_issue(jsonb_build_object(
            'resourceType', 'Bundle', 'type', 'collection',
            'entry', jsonb_build_array(
                       jsonb_strip_nulls(jsonb_build_object(
                         'fullUrl', (SELECT e->'fullUrl' FROM jsonb_array_elements(patient_bundle->'entry') e
                                      WHERE e->'resource'->>'resourceType' = 'Patient' LIMIT 1),
                         'resource', patient))) || picked),
          key);

  out_params := jsonb_build_array(jsonb_build_object('name', 'verifiableCredential',
                                                     'valueString', card));
  -- resourceLink: where each bundled resource lives on the server
  i := 1;
  FOR entry IN SELECT e FROM jsonb_array_elements(picked) e LOOP
    IF entry ? 'fullUrl' THEN
      out_params := out_params || jsonb_build_array(jsonb_build_object(
        'name', 'resourceLink',
        'part', jsonb_build_array(
          jsonb_build_object('name', 'vcIndex', 'valueInteger', 0),
          jsonb_build_object('name', 'bundledResource', 'valueUri', 'resource:' || i),
          jsonb_build_object('name', 'hostedResource', 'valueUri', entry->>'fullUrl'))));
    END IF;
    i := i + 1;
  END LOOP;
  RETURN jsonb_build_object('resourceType', 'Parameters', 'parameter', out_params);
END
$$;
COMMENT ON FUNCTION @extschema@.shc_health_cards_issue(jsonb, jsonb, text) IS
  'FHIR $health-cards-issue: a Parameters response with the card for the requested credential types, or none';

-- 3e. Issuing from relational rows: the trigger a DBA attaches with one
-- CREATE TRIGGER.

-- Its arguments are checked and resolved when the trigger is created (an
-- event trigger on CREATE TRIGGER), and recorded by OID here; when it fires
-- it uses the recorded OIDs, never a name, so a temporary table or a
-- function planted under the same name is not used.
CREATE TABLE @extschema@.shc_issue_triggers (
  trigger_oid oid NOT NULL,
  table_oid oid NOT NULL,
  args text[] NOT NULL,
  signing_key text NOT NULL,
  bundle_function oid NOT NULL,
  cards_table oid NOT NULL,
  with_rid boolean NOT NULL,
  search_path text NOT NULL,
  created_at timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT shc_issue_triggers_pkey PRIMARY KEY (trigger_oid)
);
COMMENT ON TABLE @extschema@.shc_issue_triggers IS
  'every trigger running shc_issue_trigger(): its arguments as resolved when it was created (bundle function and cards table by OID, the creator''s search_path for the bundle function)';
REVOKE ALL ON @extschema@.shc_issue_triggers FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_issue_triggers TO PUBLIC;

CREATE FUNCTION @extschema@.shc_issue_trigger()
RETURNS trigger
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  reg record;
  key text;
  call text;
  target text;
  row jsonb := to_jsonb(NEW);
  bundle jsonb;
  card text;
  rid text;
  issued timestamptz := now();
  checked boolean;
  i int;
BEGIN
  IF TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'ROW' OR TG_OP NOT IN ('INSERT', 'UPDATE') THEN
    RAISE EXCEPTION USING ERRCODE = 'trigger_protocol_violated',
      MESSAGE = 'shc_issue_trigger() must be an AFTER INSERT or UPDATE trigger FOR EACH ROW';
  END IF;
  -- what was resolved when the trigger was created, for this very trigger,
  -- or, for a partition's trigger cloned from a partitioned table's, for
  -- the trigger it was cloned from, on a table the partition descends from
  WITH RECURSIVE up (oid, parent, depth) AS (
    SELECT t.oid, t.tgparentid, 0 FROM pg_trigger t
     WHERE t.tgrelid = TG_RELID AND t.tgname = TG_NAME
    UNION ALL
    SELECT p.oid, p.tgparentid, up.depth + 1 FROM pg_trigger p JOIN up ON p.oid = up.parent
     WHERE up.parent <> 0 AND up.depth < 100)
  SELECT r.* INTO reg
    FROM up JOIN @extschema@.shc_issue_triggers r ON r.trigger_oid = up.oid
   WHERE r.table_oid = TG_RELID
      OR r.table_oid IN (SELECT a.relid FROM pg_partition_ancestors(TG_RELID) a)
   ORDER BY up.depth
   LIMIT 1;
  checked := FOUND AND cardinality(reg.args) = TG_NARGS;
  FOR i IN 1 .. CASE WHEN checked THEN TG_NARGS ELSE 0 END LOOP
    checked := checked AND reg.args[i] = TG_ARGV[i - 1];
  END LOOP;
  IF NOT checked THEN
    RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
      MESSAGE = format('trigger %I on %s was not checked when it was created', TG_NAME, TG_RELID::regclass),
      DETAIL = 'shc_issue_trigger() uses only what was resolved when its trigger was created.',
      HINT = 'Create the trigger again (DROP TRIGGER, CREATE TRIGGER) with the extension installed.';
  END IF;
  IF NOT row ? 'patient_id' THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_column',
      MESSAGE = format('table %s has no column "patient_id"', TG_RELID::regclass);
  END IF;
  SELECT format('%I.%I(($1).patient_id::%s)', n.nspname, p.proname, format_type(p.proargtypes[0], NULL))
    INTO call
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE p.oid = reg.bundle_function;
  SELECT format('%I.%I', n.nspname, c.relname) INTO target
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.oid = reg.cards_table;
  IF call IS NULL OR target IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_object',
      MESSAGE = format('the %s of trigger %I on %s was dropped',
                       CASE WHEN call IS NULL THEN 'bundle function' ELSE 'cards table' END,
                       TG_NAME, TG_RELID::regclass),
      HINT = 'Create the trigger again.';
  END IF;

  -- the bundle function is the creator's code: it runs (as the inserting
  -- role) with the search_path its CREATE TRIGGER had, unless it sets its
  -- own.  The statement names it by schema and exact argument type, and
  -- nothing else is resolved while that path is in effect.
  call := 'SELECT ' || call;
  PERFORM pg_catalog.set_config('search_path', reg.search_path, true);
  EXECUTE call USING NEW INTO bundle;
  PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
  IF bundle IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
      MESSAGE = format('%s returned no bundle for patient %s', reg.bundle_function::regproc, row->>'patient_id');
  END IF;
  -- one call signs, names the key and derives the rid under that key: an
  -- issuer URL stands for its newest usable key at signing time (read
  -- with the latest snapshot, so a key rotation never fails an insert,
  -- whatever the isolation level; 2g)
  SELECT c.card, c.kid, c.rid INTO card, key, rid
    FROM @extschema@.shc_issue_card(bundle, reg.signing_key, nbf => issued,
                            subject => CASE WHEN reg.with_rid THEN row->>'patient_id' END) c;
  EXECUTE format('INSERT INTO %s (patient_id, source, card, kid, rid, issued_at) '
                 'VALUES (($1).patient_id, $2, $3, $4, $5, $6)', target)
    USING NEW, TG_TABLE_NAME::text, card, key, rid, issued;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_issue_trigger() IS
  'row trigger: issue a new card for the row''s patient_id from a bundle function and store it in a cards table';

-- Check one trigger's arguments and record them.  Names are resolved with
-- creator_path (the search_path of the CREATE TRIGGER statement), only
-- while looking them up; nothing is executed.  A path that names no schema
-- of the user's (pg_dump's restore sets search_path to '') stands for the
-- schema of the trigger's table, then shc.  Not for PUBLIC: it would
-- let a caller re-point another role's trigger.
CREATE FUNCTION @extschema@.shc_issue_trigger_resolve(trigger_oid oid, creator_path text)
RETURNS void
LANGUAGE plpgsql VOLATILE STRICT SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  t record;
  args text[] := '{}';
  start int := 0;
  i int;
  key text;
  patient_type oid;
  type_text text;
  fn oid;
  fn_text text;
  cards oid;
  missing text;
  tname text;
  sig text;
  path text := creator_path;
BEGIN
  SELECT g.tgname, g.tgrelid, g.tgtype, g.tgnargs, g.tgargs, c.relpersistence, n.nspname
    INTO t
    FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE g.oid = shc_issue_trigger_resolve.trigger_oid;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_object',
      MESSAGE = format('trigger with OID %s does not exist', trigger_oid);
  END IF;
  tname := format('%I on %s', t.tgname, t.tgrelid::regclass);
  IF string_to_array(replace(creator_path, ' ', ''), ',') <@ ARRAY['', '""', 'pg_catalog', 'pg_temp'] THEN
    path := format('%I, shc', t.nspname);
  END IF;
  -- tgtype bits (catalog/pg_trigger.h): 1 row, 2 before, 4 insert,
  -- 8 delete, 16 update, 32 truncate, 64 instead
  IF (t.tgtype & 1) = 0 OR (t.tgtype & 66) <> 0 OR (t.tgtype & 40) <> 0 OR (t.tgtype & 20) = 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'trigger_protocol_violated',
      MESSAGE = 'shc_issue_trigger() must be an AFTER INSERT or UPDATE trigger FOR EACH ROW',
      DETAIL = format('Trigger %s is not.', tname);
  END IF;
  FOR i IN 0 .. length(t.tgargs) - 1 LOOP
    IF get_byte(t.tgargs, i) = 0 THEN
      args := args || convert_from(substring(t.tgargs FROM start + 1 FOR i - start), getdatabaseencoding());
      start := i + 1;
    END IF;
  END LOOP;
  IF t.tgnargs NOT IN (3, 4) THEN
    RAISE EXCEPTION USING ERRCODE = 'trigger_protocol_violated',
      MESSAGE = 'shc_issue_trigger() takes three or four arguments',
      DETAIL = format('Trigger %s gives %s.', tname, t.tgnargs),
      HINT = 'EXECUTE FUNCTION shc_issue_trigger(''<kid or issuer URL>'', ''<bundle function>'', ''<cards table>'' [, ''rid''])';
  END IF;
  IF t.tgnargs = 4 AND args[4] <> 'rid' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = format('invalid fourth argument "%s" of shc_issue_trigger()', left(args[4], 64)),
      HINT = 'The only option is ''rid'': give each card the revocation id of its patient.';
  END IF;

  -- argument 1: a stored key, or an issuer URL (its newest key that is not retired)
  key := args[1];
  IF key LIKE 'https://%' THEN
    IF key !~ '^https://[^/]' OR key ~ '/$' THEN
      RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
        MESSAGE = format('invalid first argument "%s" of shc_issue_trigger()', left(key, 200)),
        DETAIL = 'An issuer is an https:// URL without a trailing "/".';
    END IF;
    IF NOT EXISTS (SELECT FROM @extschema@.shc_keys k WHERE k.iss = key AND k.retired_at IS NULL) THEN
      RAISE EXCEPTION USING ERRCODE = 'undefined_object',
        MESSAGE = format('issuer "%s" has no signing key', left(key, 200)),
        DETAIL = 'The first argument of shc_issue_trigger() names an issuer without a key that is not retired.',
        HINT = 'Create one with shc_key_create() before the trigger.';
    END IF;
  ELSIF NOT EXISTS (SELECT FROM @extschema@.shc_keys k WHERE k.kid = key) THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_object',
      MESSAGE = format('signing key "%s" does not exist', left(key, 64)),
      DETAIL = 'The first argument of shc_issue_trigger() is the kid of a stored key or an issuer URL.';
  END IF;

  -- the source table gives the patient_id
  SELECT a.atttypid INTO patient_type FROM pg_attribute a
   WHERE a.attrelid = t.tgrelid AND a.attname = 'patient_id' AND a.attnum > 0 AND NOT a.attisdropped;
  IF patient_type IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_column',
      MESSAGE = format('table %s has no column "patient_id"', t.tgrelid::regclass),
      DETAIL = format('Trigger %s issues the card of the row''s patient_id.', tname);
  END IF;
  type_text := format_type(patient_type, NULL);

  -- arguments 2 and 3, looked up as the creator's statement would.  While
  -- that path is in effect only schema-qualified functions are called and
  -- no operator is used: nothing on the creator's path can run here.
  sig := args[2] || '(' || type_text || ')';
  PERFORM pg_catalog.set_config('search_path', path, true);
  fn := pg_catalog.to_regprocedure(sig);
  IF fn IS NULL THEN
    -- one function of that name with one argument the patient_id casts to implicitly
    fn := pg_catalog.to_regproc(args[2]);
  END IF;
  cards := pg_catalog.to_regclass(args[3]);
  PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);

  IF fn IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_function',
      MESSAGE = format('bundle function "%s" does not exist', left(args[2], 200)),
      DETAIL = format('The second argument of shc_issue_trigger() names a function of the patient_id (%s) returning jsonb.', type_text),
      HINT = 'Create the function first, or name it with its schema.';
  END IF;
  IF NOT EXISTS (
       SELECT FROM pg_proc p
        WHERE p.oid = fn AND p.pronargs = 1 AND p.prokind = 'f' AND NOT p.proretset
          AND p.prorettype = 'jsonb'::regtype
          AND (p.proargtypes[0] = patient_type
               OR EXISTS (SELECT FROM pg_cast k WHERE k.castsource = patient_type
                             AND k.casttarget = p.proargtypes[0] AND k.castcontext = 'i'))) THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_function_definition',
      MESSAGE = format('bundle function %s does not take a patient_id and return jsonb', fn::regprocedure),
      DETAIL = format('The second argument of shc_issue_trigger() names a function of the patient_id (%s) returning jsonb.', type_text);
  END IF;
  IF cards IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_table',
      MESSAGE = format('cards table "%s" does not exist', left(args[3], 200)),
      DETAIL = 'The third argument of shc_issue_trigger() names the table the cards go to.',
      HINT = 'Create the table first, or name it with its schema.';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_class c WHERE c.oid = cards AND c.relkind IN ('r', 'p')) THEN
    RAISE EXCEPTION USING ERRCODE = 'wrong_object_type',
      MESSAGE = format('cards table "%s" is not a table', left(args[3], 200));
  END IF;
  IF t.relpersistence <> 't' AND (SELECT c.relpersistence FROM pg_class c WHERE c.oid = cards) = 't' THEN
    RAISE EXCEPTION USING ERRCODE = 'wrong_object_type',
      MESSAGE = format('cards table "%s" is a temporary table', left(args[3], 200)),
      DETAIL = format('Trigger %s is on a permanent table; its cards must go to a permanent table.', tname),
      HINT = 'Name the cards table with its schema.';
  END IF;
  SELECT w.col INTO missing
    FROM unnest(ARRAY['patient_id', 'source', 'card', 'kid', 'rid', 'issued_at']) WITH ORDINALITY AS w(col, n)
   WHERE NOT EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = cards AND a.attname = w.col
                        AND a.attnum > 0 AND NOT a.attisdropped)
   ORDER BY w.n LIMIT 1;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_column',
      MESSAGE = format('cards table %s has no column "%s"', cards::regclass, missing),
      DETAIL = 'The cards table needs the columns patient_id, source, card, kid, rid and issued_at.';
  END IF;

  INSERT INTO @extschema@.shc_issue_triggers AS r
         (trigger_oid, table_oid, args, signing_key, bundle_function, cards_table, with_rid, search_path)
  VALUES (shc_issue_trigger_resolve.trigger_oid, t.tgrelid, args, key, fn, cards, t.tgnargs = 4, path)
  ON CONFLICT ON CONSTRAINT shc_issue_triggers_pkey DO UPDATE
     SET table_oid = EXCLUDED.table_oid, args = EXCLUDED.args, signing_key = EXCLUDED.signing_key,
         bundle_function = EXCLUDED.bundle_function, cards_table = EXCLUDED.cards_table,
         with_rid = EXCLUDED.with_rid, search_path = EXCLUDED.search_path, created_at = now();
END
$$;
COMMENT ON FUNCTION @extschema@.shc_issue_trigger_resolve(oid, text) IS
  'check the arguments of a trigger running shc_issue_trigger() and record them resolved to OIDs (names looked up with the given search_path)';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_issue_trigger_resolve(oid, text) FROM PUBLIC;

-- The event trigger's function.  It alone has no SET search_path: it must
-- read the search_path of the CREATE TRIGGER statement, which it does
-- (schema-qualified, nothing else runs before) and then pins the path
-- itself.  An event trigger function cannot be called in any other way.
CREATE FUNCTION @extschema@.shc_issue_trigger_check()
RETURNS event_trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
AS $$
DECLARE
  creator_path text := pg_catalog.current_setting('search_path');
  t oid;
BEGIN
  PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
  FOR t IN SELECT g.oid
             FROM pg_catalog.pg_event_trigger_ddl_commands() d
             JOIN pg_catalog.pg_trigger g ON g.oid = d.objid
            WHERE d.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass
              AND g.tgfoid = '@extschema@.shc_issue_trigger()'::pg_catalog.regprocedure LOOP
    PERFORM @extschema@.shc_issue_trigger_resolve(t, creator_path);
  END LOOP;
  PERFORM pg_catalog.set_config('search_path', creator_path, true);
END
$$;
COMMENT ON FUNCTION @extschema@.shc_issue_trigger_check() IS
  'event trigger on CREATE TRIGGER: a trigger running shc_issue_trigger() is created only with valid arguments, recorded in shc_issue_triggers';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_issue_trigger_check() FROM PUBLIC;

CREATE FUNCTION @extschema@.shc_issue_trigger_forget()
RETURNS event_trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  DELETE FROM @extschema@.shc_issue_triggers r
   USING pg_event_trigger_dropped_objects() d
   WHERE d.classid = 'pg_trigger'::regclass AND d.objid = r.trigger_oid;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_issue_trigger_forget() IS
  'event trigger on sql_drop: forget dropped triggers in shc_issue_triggers';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_issue_trigger_forget() FROM PUBLIC;

CREATE EVENT TRIGGER shc_issue_trigger_check ON ddl_command_end
  WHEN TAG IN ('CREATE TRIGGER')
  EXECUTE FUNCTION @extschema@.shc_issue_trigger_check();
CREATE EVENT TRIGGER shc_issue_trigger_forget ON sql_drop
  EXECUTE FUNCTION @extschema@.shc_issue_trigger_forget();

------------------------------------------------------------------------------
-- 4. Trust, verification and revocation
------------------------------------------------------------------------------

-- The verifier's offline trust store (the database never fetches a URL:
-- an administrator loads each issuer's JWKS and CRLs), the VCI directory
-- and x5c chains (docs/trust.md), verification (SHC-NOTES sections 2-6,
-- 10-12) and issuer-side revocation (SHC-NOTES section 10).  The trust
-- store is written only through its functions (SECURITY DEFINER, granted
-- to shc_trust_admin); verification is open to everyone.

-- 4a. The trust generation: +1 by every statement that changes a trust
-- table; the verifier's cache follows it snapshot by snapshot.  On a
-- logical subscriber the replica twin of each trigger bumps it once per
-- replicated transaction (docs/scaling-out.md).

-- The generation of the trust store: one row, bumped in the same
-- transaction by every statement that changes a trust table.  The
-- verifier's per-backend cache remembers the generation it was loaded at
-- and, once per new snapshot, compares it with the generation that
-- snapshot sees: a change (or a snapshot older than the cache) reloads it
-- under that snapshot.  Serial and parallel plans (workers run under the
-- leader's snapshot) and every isolation level thus give the same answer
-- over the same data; the row replicates like any other.
CREATE TABLE @extschema@.shc_trust_generation (
  singleton boolean DEFAULT true NOT NULL,
  generation bigint DEFAULT 1 NOT NULL,
  changed_at timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT shc_trust_generation_pkey PRIMARY KEY (singleton),
  CONSTRAINT shc_trust_generation_generation_check CHECK ((generation >= 1)),
  CONSTRAINT shc_trust_generation_singleton_check CHECK (singleton)
);
COMMENT ON TABLE @extschema@.shc_trust_generation IS
  'one row: the trust store''s generation, +1 by every statement that changes a trust table; the verifier''s cache follows it per snapshot';
REVOKE ALL ON @extschema@.shc_trust_generation FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_trust_generation TO PUBLIC;
INSERT INTO @extschema@.shc_trust_generation DEFAULT VALUES;

CREATE FUNCTION @extschema@.shc_trust_generation_bump()
RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  UPDATE @extschema@.shc_trust_generation SET generation = generation + 1, changed_at = now();
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_trust_generation_bump() IS
  'statement trigger on the trust tables: +1 on the trust store''s generation in the changing transaction';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_trust_generation_bump() FROM PUBLIC;

-- Logical replication (docs/scaling-out.md): the verifier's cache follows
-- shc_trust_generation (above), which statement triggers bump.  A
-- subscriber's apply worker runs with session_replication_role = replica,
-- where ordinary triggers do not fire, and fires row triggers only
-- (statement triggers for TRUNCATE alone).  So the statement triggers fire
-- ALWAYS, and row twins, enabled for the apply worker only (ordinary
-- sessions do not pay per row), bump the subscriber's own generation once
-- per replicated transaction: a replicated trust change reaches the
-- subscriber's running sessions at their next snapshot.  The generation
-- table itself is never published: each server counts its own changes.
-- (A hot standby needs nothing: it replays the primary's generation row.)
CREATE FUNCTION @extschema@.shc_trust_generation_bump_replica()
RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- once per transaction: a row this transaction already bumped has its xid
  UPDATE @extschema@.shc_trust_generation g SET generation = g.generation OPERATOR(pg_catalog.+) 1,
         changed_at = pg_catalog.now()
   WHERE g.xmin OPERATOR(pg_catalog.<>) pg_catalog.xid(pg_catalog.pg_current_xact_id());
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_trust_generation_bump_replica() IS
  'row trigger on the trust tables, fired by a logical replication apply worker: +1 on the trust store''s generation, once per replicated transaction';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_trust_generation_bump_replica() FROM PUBLIC;

-- 4b. The trust store.

-- The verifier's offline trust store.  The database never fetches a URL:
-- an administrator loads each issuer's JWKS and CRLs with shc_trust() and
-- shc_trust_crl().  Public data only; readable by everyone, written only
-- through the trust functions (SECURITY DEFINER, granted to
-- shc_trust_admin), which check what they store.
CREATE TABLE @extschema@.shc_trusted_issuer (
  iss text NOT NULL,
  name text,
  added_at timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT shc_trusted_issuer_pkey PRIMARY KEY (iss),
  CONSTRAINT shc_trusted_issuer_iss_check CHECK (((iss ~ '^https://[^/]'::text) AND (iss !~ '/$'::text)))
);
COMMENT ON TABLE @extschema@.shc_trusted_issuer IS
  'issuers whose cards shc_verify() accepts (SHC-NOTES 12 step 7); fill with shc_trust()';
REVOKE ALL ON @extschema@.shc_trusted_issuer FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_trusted_issuer TO PUBLIC;
CREATE TRIGGER shc_trusted_issuer_cache
  AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON @extschema@.shc_trusted_issuer
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.shc_cache_invalidate_trigger();
CREATE TRIGGER shc_trusted_issuer_generation
  AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON @extschema@.shc_trusted_issuer
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.shc_trust_generation_bump();
ALTER TABLE @extschema@.shc_trusted_issuer ENABLE ALWAYS TRIGGER shc_trusted_issuer_generation;
CREATE TRIGGER shc_trusted_issuer_generation_replica
  AFTER INSERT OR DELETE OR UPDATE ON @extschema@.shc_trusted_issuer
  FOR EACH ROW EXECUTE FUNCTION @extschema@.shc_trust_generation_bump_replica();
ALTER TABLE @extschema@.shc_trusted_issuer ENABLE REPLICA TRIGGER shc_trusted_issuer_generation_replica;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.shc_trusted_issuer', '');

CREATE TABLE @extschema@.shc_trusted_key (
  iss text NOT NULL,
  kid text NOT NULL,
  jwk jsonb NOT NULL,
  crl_version integer,
  added_at timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT shc_trusted_key_pkey PRIMARY KEY (iss, kid),
  CONSTRAINT shc_trusted_key_crl_version_check CHECK ((crl_version >= 1)),
  CONSTRAINT shc_trusted_key_jwk_check CHECK ((NOT (jwk ? 'd'::text))),
  CONSTRAINT shc_trusted_key_kid_check CHECK ((kid ~ '^[A-Za-z0-9_-]{43}$'::text)),
  CONSTRAINT shc_trusted_key_kid_is_thumbprint CHECK ((kid = @extschema@.shc_kid((jwk - 'kid'::text)))),
  CONSTRAINT shc_trusted_key_iss_fkey FOREIGN KEY (iss) REFERENCES @extschema@.shc_trusted_issuer(iss) ON DELETE CASCADE
);
CREATE INDEX shc_trusted_key_kid ON @extschema@.shc_trusted_key USING btree (kid);
COMMENT ON TABLE @extschema@.shc_trusted_key IS
  'public ES256 keys bound to (iss, kid); crl_version is the JWK''s crlVersion (SHC-NOTES 5, 10)';
REVOKE ALL ON @extschema@.shc_trusted_key FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_trusted_key TO PUBLIC;
CREATE TRIGGER shc_trusted_key_cache
  AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON @extschema@.shc_trusted_key
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.shc_cache_invalidate_trigger();
CREATE TRIGGER shc_trusted_key_generation
  AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON @extschema@.shc_trusted_key
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.shc_trust_generation_bump();
ALTER TABLE @extschema@.shc_trusted_key ENABLE ALWAYS TRIGGER shc_trusted_key_generation;
CREATE TRIGGER shc_trusted_key_generation_replica
  AFTER INSERT OR DELETE OR UPDATE ON @extschema@.shc_trusted_key
  FOR EACH ROW EXECUTE FUNCTION @extschema@.shc_trust_generation_bump_replica();
ALTER TABLE @extschema@.shc_trusted_key ENABLE REPLICA TRIGGER shc_trusted_key_generation_replica;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.shc_trusted_key', '');

CREATE TABLE @extschema@.shc_trusted_crl (
  iss text NOT NULL,
  kid text NOT NULL,
  method text NOT NULL,
  ctr integer NOT NULL,
  rids text[] NOT NULL,
  loaded_at timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT shc_trusted_crl_pkey PRIMARY KEY (iss, kid),
  CONSTRAINT shc_trusted_crl_ctr_check CHECK ((ctr >= 1)),
  CONSTRAINT shc_trusted_crl_method_check CHECK ((method = 'rid'::text)),
  CONSTRAINT shc_trusted_crl_iss_kid_fkey FOREIGN KEY (iss, kid) REFERENCES @extschema@.shc_trusted_key(iss, kid) ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.shc_trusted_crl IS
  'revocation list of one trusted key: rids, each optionally "<rid>.<NumericDate>" (SHC-NOTES 10)';
REVOKE ALL ON @extschema@.shc_trusted_crl FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_trusted_crl TO PUBLIC;
CREATE TRIGGER shc_trusted_crl_cache
  AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON @extschema@.shc_trusted_crl
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.shc_cache_invalidate_trigger();
CREATE TRIGGER shc_trusted_crl_generation
  AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON @extschema@.shc_trusted_crl
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.shc_trust_generation_bump();
ALTER TABLE @extschema@.shc_trusted_crl ENABLE ALWAYS TRIGGER shc_trusted_crl_generation;
CREATE TRIGGER shc_trusted_crl_generation_replica
  AFTER INSERT OR DELETE OR UPDATE ON @extschema@.shc_trusted_crl
  FOR EACH ROW EXECUTE FUNCTION @extschema@.shc_trust_generation_bump_replica();
ALTER TABLE @extschema@.shc_trusted_crl ENABLE REPLICA TRIGGER shc_trusted_crl_generation_replica;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.shc_trusted_crl', '');

-- The revoked rids of each trusted key, one row each, for lookups: a
-- session's cache copies the entries of small revocation lists (up to
-- 1,000) and looks the rids of larger ones up in this table's index, under
-- the query's snapshot, instead of holding them all (issue 11, "Limits on
-- trust data").  Written by shc_trust_crl() with the list itself.
CREATE TABLE @extschema@.shc_trusted_rid (
  iss text NOT NULL,
  kid text NOT NULL,
  rid text NOT NULL,
  entry text NOT NULL,
  CONSTRAINT shc_trusted_rid_pkey PRIMARY KEY (iss, kid, rid),
  CONSTRAINT shc_trusted_rid_iss_kid_fkey FOREIGN KEY (iss, kid) REFERENCES @extschema@.shc_trusted_crl(iss, kid) ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.shc_trusted_rid IS
  'one row per entry of each trusted revocation list (rid, and the entry "<rid>[.<NumericDate>]" as loaded); the index the verifier searches for large lists';
REVOKE ALL ON @extschema@.shc_trusted_rid FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_trusted_rid TO PUBLIC;
CREATE TRIGGER shc_trusted_rid_generation
  AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON @extschema@.shc_trusted_rid
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.shc_trust_generation_bump();
ALTER TABLE @extschema@.shc_trusted_rid ENABLE ALWAYS TRIGGER shc_trusted_rid_generation;
CREATE TRIGGER shc_trusted_rid_generation_replica
  AFTER INSERT OR DELETE OR UPDATE ON @extschema@.shc_trusted_rid
  FOR EACH ROW EXECUTE FUNCTION @extschema@.shc_trust_generation_bump_replica();
ALTER TABLE @extschema@.shc_trusted_rid ENABLE REPLICA TRIGGER shc_trusted_rid_generation_replica;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.shc_trusted_rid', '');

CREATE FUNCTION @extschema@.shc_trust(iss text, jwks jsonb, name text DEFAULT NULL::text)
RETURNS integer
LANGUAGE C VOLATILE SECURITY DEFINER COST 1000
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_trust_sql';
COMMENT ON FUNCTION @extschema@.shc_trust(text, jsonb, text) IS
  'trust an issuer and exactly the usable ES256 keys of its JWKS (replacing its previous keys); returns the number of keys trusted';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_trust(text, jsonb, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_trust(text, jsonb, text) TO shc_trust_admin;

CREATE FUNCTION @extschema@.shc_trust_crl(iss text, crl jsonb)
RETURNS integer
LANGUAGE C VOLATILE STRICT SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_trust_crl_sql';
COMMENT ON FUNCTION @extschema@.shc_trust_crl(text, jsonb) IS
  'load or replace the revocation list of one trusted key of an issuer; returns the number of revoked rids';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_trust_crl(text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_trust_crl(text, jsonb) TO shc_trust_admin;

CREATE FUNCTION @extschema@.shc_untrust(iss text)
RETURNS boolean
LANGUAGE C VOLATILE STRICT SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_untrust_sql';
COMMENT ON FUNCTION @extschema@.shc_untrust(text) IS
  'remove an issuer with its keys and revocation lists from the trust store; false when it was not trusted';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_untrust(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_untrust(text) TO shc_trust_admin;

-- The loader of a VCI-format directory that carries its issuers' keys (the
-- format of 0.1.0); it says so when no entry carried keys, and points a
-- signed snapshot to shc_trust_vci_snapshot.
CREATE FUNCTION @extschema@.shc_trust_issuers(directory jsonb)
RETURNS integer
LANGUAGE plpgsql VOLATILE STRICT SECURITY DEFINER
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
    PERFORM @extschema@.shc_trust(entry_iss, jsonb_build_object('keys', entry_keys), entry_name);
    IF jsonb_typeof(e->'crls') = 'array' THEN
      FOR c IN SELECT * FROM jsonb_array_elements(e->'crls') LOOP
        PERFORM @extschema@.shc_trust_crl(entry_iss, c);
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
COMMENT ON FUNCTION @extschema@.shc_trust_issuers(jsonb) IS
  'trust every issuer of a directory ({"participating_issuers":[...]}) that carries its keys (and CRLs); returns the number of issuers loaded';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_trust_issuers(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_trust_issuers(jsonb) TO shc_trust_admin;

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

-- 4c. x5c chains and the VCI directory (docs/trust.md).

-- x5c (SHC-NOTES 5): the root certificates a key's chain must lead to.
-- Empty by default: nothing is trusted implicitly.
CREATE TABLE @extschema@.shc_trust_anchor (
  sha256 text NOT NULL,
  certificate bytea NOT NULL,
  subject text NOT NULL,
  not_after timestamptz NOT NULL,
  added_at timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT shc_trust_anchor_pkey PRIMARY KEY (sha256),
  CONSTRAINT shc_trust_anchor_sha256_check CHECK ((sha256 ~ '^[0-9a-f]{64}$'::text))
);
COMMENT ON TABLE @extschema@.shc_trust_anchor IS
  'root certificates (DER) that x5c chains of trusted keys must verify to; empty by default; change with shc_trust_anchor_add/remove';
REVOKE ALL ON @extschema@.shc_trust_anchor FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_trust_anchor TO PUBLIC;
CREATE TRIGGER shc_trust_anchor_generation
  AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON @extschema@.shc_trust_anchor
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.shc_trust_generation_bump();
ALTER TABLE @extschema@.shc_trust_anchor ENABLE ALWAYS TRIGGER shc_trust_anchor_generation;
CREATE TRIGGER shc_trust_anchor_generation_replica
  AFTER INSERT OR DELETE OR UPDATE ON @extschema@.shc_trust_anchor
  FOR EACH ROW EXECUTE FUNCTION @extschema@.shc_trust_generation_bump_replica();
ALTER TABLE @extschema@.shc_trust_anchor ENABLE REPLICA TRIGGER shc_trust_anchor_generation_replica;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.shc_trust_anchor', '');

-- x5c policy per issuer (docs/trust.md); issuers without a row follow the
-- setting shc.x5c_policy (ignore, when_present, required).
CREATE TABLE @extschema@.shc_x5c_policy (
  iss text NOT NULL,
  policy text NOT NULL,
  CONSTRAINT shc_x5c_policy_pkey PRIMARY KEY (iss),
  CONSTRAINT shc_x5c_policy_iss_check CHECK (((iss ~ '^https://[^/]'::text) AND (iss !~ '/$'::text))),
  CONSTRAINT shc_x5c_policy_policy_check CHECK ((policy = ANY (ARRAY['ignore'::text, 'when_present'::text, 'required'::text])))
);
COMMENT ON TABLE @extschema@.shc_x5c_policy IS
  'x5c policy of an issuer, applied by shc_verify and by directory imports: ignore, when_present (a key whose x5c chain does not verify at the verification time fails: bad_x5c) or required (a key without x5c fails too); others follow shc.x5c_policy';
REVOKE ALL ON @extschema@.shc_x5c_policy FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_x5c_policy TO PUBLIC;
CREATE TRIGGER shc_x5c_policy_generation
  AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON @extschema@.shc_x5c_policy
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.shc_trust_generation_bump();
ALTER TABLE @extschema@.shc_x5c_policy ENABLE ALWAYS TRIGGER shc_x5c_policy_generation;
CREATE TRIGGER shc_x5c_policy_generation_replica
  AFTER INSERT OR DELETE OR UPDATE ON @extschema@.shc_x5c_policy
  FOR EACH ROW EXECUTE FUNCTION @extschema@.shc_trust_generation_bump_replica();
ALTER TABLE @extschema@.shc_x5c_policy ENABLE REPLICA TRIGGER shc_x5c_policy_generation_replica;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.shc_x5c_policy', '');

-- The VCI directory (docs/trust.md): issuers imported from a directory, so
-- that the next import replaces exactly them (issuers trusted by hand with
-- shc_trust() are never touched), and the canonical_iss each one names.
CREATE TABLE @extschema@.shc_directory_issuer (
  iss text NOT NULL,
  canonical_iss text,
  directory text,
  directory_time text,
  imported_at timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT shc_directory_issuer_pkey PRIMARY KEY (iss),
  CONSTRAINT shc_directory_issuer_iss_fkey FOREIGN KEY (iss) REFERENCES @extschema@.shc_trusted_issuer(iss) ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.shc_directory_issuer IS
  'trusted issuers that came from the last VCI directory import (shc_trust_vci_snapshot, shc_trust_vci_directory), with their canonical_iss';
REVOKE ALL ON @extschema@.shc_directory_issuer FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_directory_issuer TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.shc_directory_issuer', '');

-- Detached signatures and certificates (src/shc_x509_sql.c, docs/trust.md)
CREATE FUNCTION @extschema@.shc_signature_verify(data bytea,
                                                 signature bytea,
                                                 certificate text,
                                                 at timestamptz DEFAULT now())
RETURNS boolean
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_signature_verify_sql';
COMMENT ON FUNCTION @extschema@.shc_signature_verify(bytea, bytea, text, timestamptz) IS
  'does a detached signature (DER ECDSA, or RSA) over data verify with the key of a PEM or DER certificate valid at a time, the digest taken from the certificate''s own signature algorithm? raises when the certificate is unusable';

CREATE FUNCTION @extschema@.shc_x509_info(certificate text,
                                          OUT der bytea,
                                          OUT sha256 text,
                                          OUT subject text,
                                          OUT issuer text,
                                          OUT not_before timestamptz,
                                          OUT not_after timestamptz,
                                          OUT is_ca boolean)
RETURNS record
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_x509_info_sql';
COMMENT ON FUNCTION @extschema@.shc_x509_info(text) IS
  'what a PEM certificate says: DER bytes, SHA-256 fingerprint, subject, issuer, validity, whether it is a CA';

CREATE FUNCTION @extschema@.shc_trust_anchor_add(certificate text)
RETURNS text
LANGUAGE plpgsql VOLATILE STRICT SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  i record;
BEGIN
  SELECT * INTO i FROM @extschema@.shc_x509_info(certificate);
  IF NOT i.is_ca THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'certificate is not a CA certificate and cannot be a trust anchor',
      DETAIL = format('Subject %s has no basicConstraints CA:TRUE.', i.subject);
  END IF;
  INSERT INTO @extschema@.shc_trust_anchor (sha256, certificate, subject, not_after)
  VALUES (i.sha256, i.der, i.subject, i.not_after)
  ON CONFLICT (sha256) DO NOTHING;
  RETURN i.sha256;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_trust_anchor_add(text) IS
  'add a PEM root (CA) certificate to the x5c trust anchors; returns its SHA-256 fingerprint';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_trust_anchor_add(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_trust_anchor_add(text) TO shc_trust_admin;

CREATE FUNCTION @extschema@.shc_trust_anchor_remove(sha256 text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE STRICT SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  DELETE FROM @extschema@.shc_trust_anchor a WHERE a.sha256 = pg_catalog.lower(shc_trust_anchor_remove.sha256);
  RETURN FOUND;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_trust_anchor_remove(text) IS
  'remove an x5c trust anchor by its SHA-256 fingerprint; false when there was none';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_trust_anchor_remove(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_trust_anchor_remove(text) TO shc_trust_admin;

CREATE FUNCTION @extschema@.shc_x5c_check(jwk jsonb,
                                          iss text,
                                          at timestamptz DEFAULT now(),
                                          OUT status text,
                                          OUT reason text)
RETURNS record
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_x5c_check_sql';
COMMENT ON FUNCTION @extschema@.shc_x5c_check(jsonb, text, timestamptz) IS
  'check the x5c chain of a public JWK: leaf key = the JWK, leaf subjectAltName URI = iss, chain to a loaded trust anchor, every certificate valid at a time; status none, valid, malformed, key_mismatch, no_san, no_uri_san, san_mismatch, no_anchor, broken_chain, expired or not_yet_valid';

CREATE FUNCTION @extschema@.shc_x5c_policy_set(iss text, policy text)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  IF iss IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed', MESSAGE = 'iss must not be null';
  END IF;
  IF shc_x5c_policy_set.iss !~ '^https://[^/]' OR shc_x5c_policy_set.iss ~ '/$' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'invalid issuer URL: not an https:// URL without a trailing "/"';
  END IF;
  IF shc_x5c_policy_set.policy IS NULL THEN
    DELETE FROM @extschema@.shc_x5c_policy p WHERE p.iss = shc_x5c_policy_set.iss;
    RETURN;
  END IF;
  IF shc_x5c_policy_set.policy NOT IN ('ignore', 'when_present', 'required') THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = format('invalid x5c policy "%s": use ignore, when_present or required', left(shc_x5c_policy_set.policy, 40));
  END IF;
  INSERT INTO @extschema@.shc_x5c_policy AS p (iss, policy)
  VALUES (shc_x5c_policy_set.iss, shc_x5c_policy_set.policy)
  ON CONFLICT (iss) DO UPDATE SET policy = EXCLUDED.policy;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_x5c_policy_set(text, text) IS
  'set the x5c policy of one issuer (ignore, when_present, required) for verifying its cards and importing its keys; NULL returns it to shc.x5c_policy';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_x5c_policy_set(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_x5c_policy_set(text, text) TO shc_trust_admin;

-- The VCI directory's signing certificate, pinned by its SHA-256
-- fingerprint (of the DER bytes, as shc_x509_info() prints it): a snapshot
-- loads only when the certificate passed with it is a pinned one, so a
-- self-signed certificate of the caller's own no longer authenticates a
-- snapshot.  shc ships the fingerprint of the certificate the directory
-- publishes (vci_snapshot.crt, CN=vci.org, valid 2022-03-17 to
-- 2032-03-14); a trust administrator replaces it with shc_trust_vci_anchor_set().
-- The pins in force: the rows set by shc_trust_vci_anchor_set() when there are
-- any, else the shipped row.  Only those are dumped (the shipped row comes
-- with CREATE EXTENSION).
CREATE TABLE @extschema@.shc_vci_anchor (
  sha256    text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  shipped   boolean NOT NULL DEFAULT false,
  pinned_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE @extschema@.shc_vci_anchor IS
'SHA-256 fingerprints of the certificates allowed to sign a VCI snapshot: the rows pinned with shc_trust_vci_anchor_set(), or else the shipped one (the directory''s published vci_snapshot.crt)';
INSERT INTO @extschema@.shc_vci_anchor (sha256, shipped)
VALUES ('c3e44e40a20e6d54a5ad247e9ddd07763708cec1aa9acd47a408a3cc28f320fb', true);
REVOKE ALL ON @extschema@.shc_vci_anchor FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_vci_anchor TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.shc_vci_anchor', 'WHERE NOT shipped');

CREATE FUNCTION @extschema@.shc_trust_vci_anchor_set(sha256 text)
RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  fp text := pg_catalog.lower(pg_catalog.replace(shc_trust_vci_anchor_set.sha256, ':', ''));
BEGIN
  IF fp IS NOT NULL AND fp !~ '^[0-9a-f]{64}$' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = pg_catalog.format('invalid certificate fingerprint "%s"', pg_catalog.left(shc_trust_vci_anchor_set.sha256, 100)),
      DETAIL = 'A fingerprint is the SHA-256 of the certificate''s DER bytes: 64 hexadecimal digits, colons allowed.',
      HINT = 'openssl x509 -in vci_snapshot.crt -outform DER | sha256sum';
  END IF;
  DELETE FROM @extschema@.shc_vci_anchor a WHERE NOT a.shipped;
  -- the shipped fingerprint itself is no row of the administrator's (a
  -- restore would insert it twice): pinning it returns to the shipped pin
  IF fp IS NOT NULL AND NOT EXISTS (SELECT FROM @extschema@.shc_vci_anchor a WHERE a.sha256 = fp) THEN
    INSERT INTO @extschema@.shc_vci_anchor (sha256, shipped) VALUES (fp, false);
  END IF;
  RETURN (SELECT pg_catalog.string_agg(a.sha256, ',' ORDER BY a.sha256) FROM @extschema@.shc_vci_anchor a
           WHERE NOT a.shipped OR NOT EXISTS (SELECT FROM @extschema@.shc_vci_anchor b WHERE NOT b.shipped));
END
$$;
COMMENT ON FUNCTION @extschema@.shc_trust_vci_anchor_set(text) IS
'pin the certificate allowed to sign VCI snapshots by its SHA-256 fingerprint (64 hex digits); NULL returns to the shipped fingerprint of the directory''s published certificate; returns the fingerprint in force';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_trust_vci_anchor_set(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_trust_vci_anchor_set(text) TO shc_trust_admin;

-- The common loader: entries are {"iss","name","canonical_iss","keys","crls"}.
CREATE FUNCTION @extschema@.shc_vci_load(entries jsonb,
                                         directory text,
                                         directory_time text,
                                         OUT iss text,
                                         OUT kid text,
                                         OUT status text,
                                         OUT reason text)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE STRICT SECURITY DEFINER ROWS 1000
SET search_path = pg_catalog, pg_temp
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
  pol text;
  xs text;
  xr text;
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
    IF EXISTS (SELECT FROM @extschema@.shc_trusted_issuer t WHERE t.iss = e_iss)
       AND NOT EXISTS (SELECT FROM @extschema@.shc_directory_issuer d WHERE d.iss = e_iss) THEN
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
            thumb := @extschema@.shc_kid(k - 'kid');
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
        -- x5c policy: the chain is checked now, against the loaded anchors
        IF why IS NULL THEN
          pol := coalesce((SELECT p.policy FROM @extschema@.shc_x5c_policy p WHERE p.iss = e_iss),
                          pg_catalog.current_setting('shc.x5c_policy'));
          IF k ? 'x5c' THEN
            SELECT c.status, c.reason INTO xs, xr FROM @extschema@.shc_x5c_check(k, e_iss, pg_catalog.now()) c;
            -- issue 22: a leaf that holds another key or names another
            -- issuer is refused under every policy, ignore included
            IF xs IN ('key_mismatch', 'san_mismatch') OR (pol <> 'ignore' AND xs <> 'valid') THEN
              why := format('x5c %s (policy %s): %s', xs, pol, xr);
            END IF;
          ELSIF pol = 'required' AND NOT k ? 'x5c' THEN
            why := 'no x5c certificate chain (policy required)';
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
      PERFORM @extschema@.shc_trust(e_iss, jsonb_build_object('keys', good), e->>'name');
      INSERT INTO @extschema@.shc_directory_issuer AS d (iss, canonical_iss, directory, directory_time)
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
          PERFORM @extschema@.shc_trust_crl(e_iss, c);
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
  FOR e_iss IN SELECT d.iss FROM @extschema@.shc_directory_issuer d
                WHERE d.iss <> ALL (loaded) ORDER BY d.iss LOOP
    PERFORM @extschema@.shc_untrust(e_iss);
    iss := e_iss; kid := NULL; status := 'removed';
    reason := 'imported from a directory before, not loaded from this one';
    RETURN NEXT;
  END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_vci_load(jsonb, text, text) IS
  'internal: load VCI directory entries, skipping each bad issuer, key and CRL with a reason, and replace the previous directory import';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_vci_load(jsonb, text, text) FROM PUBLIC;

CREATE FUNCTION @extschema@.shc_trust_vci_snapshot(snapshot bytea, signature bytea, certificate text,
                                           allow_remove_all boolean DEFAULT false,
                                           OUT iss text, OUT kid text, OUT status text, OUT reason text)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  doc jsonb;
  msg text;
  r record;
  a_iss text[] := '{}';
  a_kid text[] := '{}';
  a_status text[] := '{}';
  a_reason text[] := '{}';
  fp text;
  pinned text;
BEGIN
  -- the certificate must be a pinned one (issue 22): a certificate the
  -- caller made would authenticate any snapshot
  fp := (SELECT i.sha256 FROM @extschema@.shc_x509_info(certificate) i);
  SELECT pg_catalog.string_agg(a.sha256, ', ' ORDER BY a.sha256) INTO pinned FROM @extschema@.shc_vci_anchor a
   WHERE NOT a.shipped OR NOT EXISTS (SELECT FROM @extschema@.shc_vci_anchor b WHERE NOT b.shipped);
  IF NOT EXISTS (SELECT FROM @extschema@.shc_vci_anchor a
                  WHERE a.sha256 = fp
                    AND (NOT a.shipped OR NOT EXISTS (SELECT FROM @extschema@.shc_vci_anchor b WHERE NOT b.shipped))) THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'directory snapshot certificate is not the pinned VCI directory certificate',
      DETAIL = pg_catalog.format('Its SHA-256 fingerprint is %s; the pinned one is %s. Nothing was loaded.',
                                 fp, coalesce(pinned, 'none')),
      HINT = 'Pass the certificate the directory publishes (vci_snapshot.crt); a trust administrator pins another with shc_trust_vci_anchor_set().';
  END IF;
  -- nothing is read from the snapshot before its signature is checked
  IF NOT @extschema@.shc_signature_verify(snapshot, signature, certificate, pg_catalog.now()) THEN
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
  FOR r IN
    SELECT l.iss, l.kid, l.status, l.reason
      FROM @extschema@.shc_vci_load(
             (SELECT coalesce(jsonb_agg(coalesce(i->'issuer', '{}') ||
                                        jsonb_build_object('keys', i->'keys', 'crls', coalesce(i->'crls', '[]'))
                                        ORDER BY o), '[]')
                FROM jsonb_array_elements(doc->'issuerInfo') WITH ORDINALITY AS t(i, o)),
             coalesce(doc->>'directory', ''), coalesce(doc->>'time', '')) l
  LOOP
    a_iss := a_iss || r.iss; a_kid := a_kid || r.kid;
    a_status := a_status || r.status; a_reason := a_reason || r.reason;
  END LOOP;
  IF NOT allow_remove_all AND 'removed' = ANY (a_status) AND NOT 'loaded' = ANY (a_status) THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = format('directory import would remove every issuer of the previous import (%s) and load none',
                       (SELECT count(*) FROM unnest(a_status) s WHERE s = 'removed')),
      DETAIL = 'Nothing was changed.',
      HINT = 'An empty or truncated directory file looks like this. To untrust them all, call again with allow_remove_all => true.';
  END IF;
  RETURN QUERY SELECT u.i, u.k, u.s, u.r FROM unnest(a_iss, a_kid, a_status, a_reason) AS u(i, k, s, r);
END
$$;
COMMENT ON FUNCTION @extschema@.shc_trust_vci_snapshot(bytea, bytea, text, boolean) IS
'import the signed VCI snapshot as published (vci_snapshot.json bytes, its detached signature, the signing certificate): the certificate must be the pinned one (shc_vci_anchor) and the signature verify before anything is read; every good issuer, key and CRL is loaded, each bad one is a skipped row with its reason; replaces the previous directory import, but refuses to remove all of it while loading nothing unless allow_remove_all';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_trust_vci_snapshot(bytea, bytea, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_trust_vci_snapshot(bytea, bytea, text, boolean) TO shc_trust_admin;

CREATE FUNCTION @extschema@.shc_trust_vci_directory(directory jsonb, jwks jsonb DEFAULT '{}',
                                            crls jsonb DEFAULT '{}',
                                            allow_remove_all boolean DEFAULT false,
                                            OUT iss text, OUT kid text, OUT status text, OUT reason text)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r record;
  a_iss text[] := '{}';
  a_kid text[] := '{}';
  a_status text[] := '{}';
  a_reason text[] := '{}';
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
  FOR r IN
    SELECT l.iss, l.kid, l.status, l.reason
      FROM @extschema@.shc_vci_load(
             (SELECT coalesce(jsonb_agg(p || jsonb_build_object(
                        'keys', jwks->(p->>'iss')->'keys',
                        'crls', coalesce(crls->(p->>'iss'), '[]')) ORDER BY o), '[]')
                FROM jsonb_array_elements(directory->'participating_issuers') WITH ORDINALITY AS t(p, o)),
             'participating_issuers', '') l
  LOOP
    a_iss := a_iss || r.iss; a_kid := a_kid || r.kid;
    a_status := a_status || r.status; a_reason := a_reason || r.reason;
  END LOOP;
  IF NOT allow_remove_all AND 'removed' = ANY (a_status) AND NOT 'loaded' = ANY (a_status) THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = format('directory import would remove every issuer of the previous import (%s) and load none',
                       (SELECT count(*) FROM unnest(a_status) s WHERE s = 'removed')),
      DETAIL = 'Nothing was changed.',
      HINT = 'An empty or truncated directory file looks like this. To untrust them all, call again with allow_remove_all => true.';
  END IF;
  RETURN QUERY SELECT u.i, u.k, u.s, u.r FROM unnest(a_iss, a_kid, a_status, a_reason) AS u(i, k, s, r);
END
$$;
COMMENT ON FUNCTION @extschema@.shc_trust_vci_directory(jsonb, jsonb, jsonb, boolean) IS
'import the plain VCI directory (participating_issuers) with each issuer''s JWKS and CRLs fetched separately ({"<iss>": jwks}, {"<iss>": [crl, ...]}); same rows, replacement and refusal as shc_trust_vci_snapshot';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_trust_vci_directory(jsonb, jsonb, jsonb, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_trust_vci_directory(jsonb, jsonb, jsonb, boolean) TO shc_trust_admin;

-- 4d. Verification.

CREATE TYPE @extschema@.shc_verification AS (
  status text,
  valid boolean,
  reason text,
  iss text,
  kid text,
  issued_at timestamptz,
  expires_at timestamptz,
  types text[],
  rid text,
  fhir_version text,
  bundle jsonb,
  card_id text
);
COMMENT ON TYPE @extschema@.shc_verification IS
  'result of shc_verify(): status is valid, malformed, bad_signature, unknown_issuer, unknown_key, bad_x5c (the key fails its issuer''s x5c policy at the verification time), expired, not_yet_valid, revoked or no_crl (a card with a rid whose key announces a revocation list the trust store does not hold)';

CREATE FUNCTION @extschema@.shc_verify(card text, at timestamptz DEFAULT now())
RETURNS @extschema@.shc_verification
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 2000
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_verify_sql';
COMMENT ON FUNCTION @extschema@.shc_verify(text, timestamptz) IS
  'verify a compact JWS or shc:/ text against the trust store at a time; never raises for a bad card';

-- The status-only path: the status of shc_verify without the bundle's
-- jsonb, for the forms analysts write (count(*) FILTER (WHERE ...),
-- GROUP BY status).  Same checks, same order, same trust store and memo.
CREATE FUNCTION @extschema@.shc_verify_status(card text, at timestamptz DEFAULT now())
RETURNS text
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 2000
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_verify_status_sql';
COMMENT ON FUNCTION @extschema@.shc_verify_status(text, timestamptz) IS
  'the status shc_verify(card, at) gives (valid, malformed, bad_signature, ...), without building the bundle; never raises for a bad card';

CREATE FUNCTION @extschema@.shc_verify_file(file jsonb, at timestamptz DEFAULT now())
RETURNS SETOF @extschema@.shc_verification
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 2000 ROWS 2
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_verify_file_sql';
COMMENT ON FUNCTION @extschema@.shc_verify_file(jsonb, timestamptz) IS
  'shc_verify() over each card of a .smart-health-card file, in order; a malformed file gives one malformed row';

CREATE FUNCTION @extschema@.shc_decode(card text)
RETURNS jsonb
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_decode_sql';
COMMENT ON FUNCTION @extschema@.shc_decode(text) IS
  'header and decompressed payload of a compact JWS or shc:/ text, with no trust decision; raises on malformed input';

-- 4e. Issuer-side revocation (src/shc_revoke.c, docs/revocation.md).

-- The rid secrets of each issuer, public part: which versions exist and
-- which one is current (retired_at IS NULL; at most one per issuer).
-- Secrets are never deleted: a retired one still computes the rids of the
-- cards issued under it (SHC-NOTES 10).
CREATE TABLE @extschema@.shc_rid_secrets (
  iss text NOT NULL,
  version integer NOT NULL,
  created_at timestamptz DEFAULT now() NOT NULL,
  retired_at timestamptz,
  CONSTRAINT shc_rid_secrets_pkey PRIMARY KEY (iss, version),
  CONSTRAINT shc_rid_secrets_iss_check CHECK (((iss ~ '^https://[^/]'::text) AND (iss !~ '/$'::text))),
  CONSTRAINT shc_rid_secrets_version_check CHECK ((version >= 1))
);
CREATE UNIQUE INDEX shc_rid_secrets_current_idx ON @extschema@.shc_rid_secrets USING btree (iss) WHERE (retired_at IS NULL);
COMMENT ON TABLE @extschema@.shc_rid_secrets IS
  'versions of each issuer''s rid HMAC secret; the one with retired_at NULL is current; retired ones are kept';
REVOKE ALL ON @extschema@.shc_rid_secrets FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_rid_secrets TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.shc_rid_secrets', '');

-- The secret texts, sealed under the root key.  No privilege for anyone but
-- the owner, and the database owner may read the ciphertext; no constraint
-- or index on sealed_secret (a violation would print it in the error
-- detail).
CREATE TABLE @extschema@.shc_private_rid_secrets (
  iss text NOT NULL,
  version integer NOT NULL,
  sealed_secret bytea NOT NULL,
  CONSTRAINT shc_private_rid_secrets_pkey PRIMARY KEY (iss, version),
  CONSTRAINT shc_private_rid_secrets_iss_version_fkey FOREIGN KEY (iss, version) REFERENCES @extschema@.shc_rid_secrets(iss, version) ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.shc_private_rid_secrets IS
  'rid HMAC secret of each version, sealed (AES-256-GCM) under the root key';
COMMENT ON COLUMN @extschema@.shc_private_rid_secrets.sealed_secret IS
  'version, root key id, nonce, ciphertext and tag of the secret text; associated data "shc rid secret <version> <iss>"';
REVOKE ALL ON @extschema@.shc_private_rid_secrets FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_private_rid_secrets TO pg_database_owner;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.shc_private_rid_secrets', '');

-- The revocation list of each key: one row per rid.  before NULL revokes
-- every card of the key with that rid, otherwise the cards whose nbf is
-- before it (a whole second: the CRL entry "rid.<seconds>").
CREATE TABLE @extschema@.shc_revocations (
  kid text NOT NULL,
  rid text NOT NULL,
  before timestamptz,
  revoked_at timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT shc_revocations_pkey PRIMARY KEY (kid, rid),
  CONSTRAINT shc_revocations_before_check CHECK ((isfinite(before) AND (before > '1970-01-01 00:00:00+00'::timestamp with time zone) AND (date_trunc('second'::text, before) = before))),
  CONSTRAINT shc_revocations_rid_check CHECK ((rid ~ '^[A-Za-z0-9_-]{1,24}$'::text)),
  CONSTRAINT shc_revocations_kid_fkey FOREIGN KEY (kid) REFERENCES @extschema@.shc_keys(kid) ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.shc_revocations IS
  'revoked rids of each key (shc_revoke()); published by shc_crl()';
REVOKE ALL ON @extschema@.shc_revocations FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_revocations TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.shc_revocations', '');

CREATE FUNCTION @extschema@.shc_rid_secret_create(iss text)
RETURNS integer
LANGUAGE C VOLATILE STRICT SECURITY DEFINER COST 100
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_rid_secret_create_sql';
COMMENT ON FUNCTION @extschema@.shc_rid_secret_create(text) IS
  'generate a 256-bit rid secret for an issuer inside the server and make it current (the previous one is retired, kept); returns its version';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_rid_secret_create(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_rid_secret_create(text) TO shc_key_admin;

CREATE FUNCTION @extschema@.shc_rid_secret_import(iss text, secret text)
RETURNS integer
LANGUAGE C VOLATILE STRICT SECURITY DEFINER COST 100
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_rid_secret_import_sql';
COMMENT ON FUNCTION @extschema@.shc_rid_secret_import(text, text) IS
  'store a rid secret made elsewhere (43 to 256 base64url characters, used as text) as an issuer''s current one; returns its version';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_rid_secret_import(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_rid_secret_import(text, text) TO shc_key_admin;

CREATE FUNCTION @extschema@.shc_rid_secret_import_file(iss text, path text)
RETURNS integer
LANGUAGE C VOLATILE STRICT COST 100
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_rid_secret_import_file_sql';
COMMENT ON FUNCTION @extschema@.shc_rid_secret_import_file(text, text) IS
  'store the rid secret held by a server-side file (absolute path) as an issuer''s current one, return its version; the caller must be allowed to read server files';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_rid_secret_import_file(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_rid_secret_import_file(text, text) TO shc_key_admin;

CREATE FUNCTION @extschema@.shc_rid(kid text,
                                    subject text,
                                    secret_version integer DEFAULT NULL::integer)
RETURNS text
LANGUAGE C STABLE PARALLEL SAFE SECURITY DEFINER COST 100
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_rid_sql';
COMMENT ON FUNCTION @extschema@.shc_rid(text, text, integer) IS
  'revocation identifier of a subject (user id) for cards signed with kid: base64url of the first 8 bytes of HMAC-SHA-256(secret || kid, subject), with the issuer''s current rid secret or the given version';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_rid(text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_rid(text, text, integer) TO shc_issuer;
GRANT EXECUTE ON FUNCTION @extschema@.shc_rid(text, text, integer) TO shc_key_admin;

CREATE FUNCTION @extschema@.shc_revoke(kid text, rid text, before timestamptz DEFAULT NULL::timestamptz)
RETURNS integer
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_revoke_sql';
COMMENT ON FUNCTION @extschema@.shc_revoke(text, text, timestamptz) IS
  'revoke the cards of a key with a rid: all of them, or those with nbf before a time (rounded up to a second); returns the key''s new CRL counter';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_revoke(text, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_revoke(text, text, timestamptz) TO shc_key_admin;

CREATE FUNCTION @extschema@.shc_crl(kid text)
RETURNS jsonb
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n integer;
  doc jsonb;
BEGIN
  SELECT c.ctr INTO n FROM @extschema@.shc_crls c WHERE c.kid = shc_crl.kid;
  IF n IS NULL THEN
    IF NOT EXISTS (SELECT 1 FROM @extschema@.shc_keys k WHERE k.kid = shc_crl.kid) THEN
      RAISE EXCEPTION USING ERRCODE = 'undefined_object',
        MESSAGE = format('signing key "%s" does not exist', left(shc_crl.kid, 64)),
        HINT = 'Create one with shc_key_create() or shc_key_import().';
    END IF;
    -- SHC-NOTES 10: only keys that support revocation have a CRL
    RETURN NULL;
  END IF;
  SELECT jsonb_build_object('kid', shc_crl.kid, 'method', 'rid', 'ctr', n,
           'rids', coalesce(jsonb_agg(
             CASE WHEN r.before IS NULL THEN r.rid
                  ELSE r.rid || '.' || extract(epoch FROM r.before)::bigint END
             ORDER BY r.rid COLLATE "C"), '[]'::jsonb))
    INTO doc
    FROM @extschema@.shc_revocations r
   WHERE r.kid = shc_crl.kid;
  RETURN doc;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_crl(text) IS
  'revocation list {"kid","method":"rid","ctr","rids":[...]} of a key for <iss>/.well-known/crl/<kid>.json; NULL for a key that has never had a revocation';

------------------------------------------------------------------------------
-- 5. SMART Health Links
------------------------------------------------------------------------------

-- SMART Health Links (SHC-NOTES 15, docs/health-links.md): a holder shares
-- cards, FHIR resources or API access through a link.  shc_issuer creates
-- links; shc_link_server is the role of the HTTP layer that answers
-- manifest and file requests.

-- 5a. Tables and the response type.  Nothing here is readable by PUBLIC
-- nor by shc_issuer, which reads its own links in shc_my_links and
-- shc_my_link_access (5d).  A link belongs to its issuer iss (NULL: to
-- the role created_by).

CREATE TABLE @extschema@.shc_links (
  link_id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  manifest_id text NOT NULL,
  url text NOT NULL,
  base_url text NOT NULL,
  flag text DEFAULT ''::text NOT NULL,
  label text,
  exp timestamptz,
  viewer text,
  passcode_hash text,
  attempts_left integer,
  key_sealed bytea,
  active boolean DEFAULT true NOT NULL,
  created_at timestamptz DEFAULT now() NOT NULL,
  created_by name DEFAULT SESSION_USER NOT NULL,
  iss text,
  max_attempts integer,
  CONSTRAINT shc_links_pkey PRIMARY KEY (link_id),
  CONSTRAINT shc_links_attempts_left_check CHECK ((attempts_left >= 0)),
  CONSTRAINT shc_links_check CHECK (((passcode_hash IS NULL) = (attempts_left IS NULL))),
  CONSTRAINT shc_links_check1 CHECK (((strpos(flag, 'P'::text) > 0) = (passcode_hash IS NOT NULL))),
  CONSTRAINT shc_links_check2 CHECK ((active OR (key_sealed IS NULL))),
  CONSTRAINT shc_links_flag_check CHECK ((flag = ANY (ARRAY[''::text, 'L'::text, 'P'::text, 'U'::text, 'LP'::text, 'LU'::text]))),
  CONSTRAINT shc_links_manifest_id_check CHECK ((manifest_id ~ '^[A-Za-z0-9_-]{43}$'::text)),
  CONSTRAINT shc_links_manifest_id_key UNIQUE (manifest_id),
  CONSTRAINT shc_links_url_check CHECK ((length(url) <= 128)),
  CONSTRAINT shc_links_iss_check CHECK (((iss ~ '^https://[^/]'::text) AND (iss !~ '/$'::text))),
  CONSTRAINT shc_links_max_attempts_check CHECK (((max_attempts >= 0) AND (max_attempts <= 1000))),
  CONSTRAINT shc_links_max_attempts_passcode_check CHECK (((passcode_hash IS NULL) = (max_attempts IS NULL)))
);
COMMENT ON TABLE @extschema@.shc_links IS
  'SMART Health Links: one row per link; the key is sealed under the root key, the passcode kept as an scrypt hash';
REVOKE ALL ON @extschema@.shc_links FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_links TO pg_database_owner;
COMMENT ON COLUMN @extschema@.shc_links.iss IS
'the issuer the link belongs to: the roles that may sign for it manage the link; NULL: the role created_by does';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.shc_links', '');
GRANT SELECT ON SEQUENCE @extschema@.shc_links_link_id_seq TO pg_database_owner;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.shc_links_link_id_seq', '');

CREATE TABLE @extschema@.shc_link_files (
  link_id bigint NOT NULL,
  file_no integer NOT NULL,
  content_type text NOT NULL,
  jwe text NOT NULL,
  added_at timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT shc_link_files_pkey PRIMARY KEY (link_id, file_no),
  CONSTRAINT shc_link_files_content_type_check CHECK ((content_type = ANY (ARRAY['application/smart-health-card'::text, 'application/fhir+json'::text, 'application/smart-api-access'::text]))),
  CONSTRAINT shc_link_files_file_no_check CHECK ((file_no >= 1)),
  CONSTRAINT shc_link_files_link_id_fkey FOREIGN KEY (link_id) REFERENCES @extschema@.shc_links(link_id) ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.shc_link_files IS
  'files of SMART Health Links, stored only as compact JWE encrypted under the link''s key';
REVOKE ALL ON @extschema@.shc_link_files FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_link_files TO pg_database_owner;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.shc_link_files', '');

CREATE TABLE @extschema@.shc_link_locations (
  token text NOT NULL,
  link_id bigint NOT NULL,
  file_no integer NOT NULL,
  recipient text,
  expires_at timestamptz NOT NULL,
  CONSTRAINT shc_link_locations_pkey PRIMARY KEY (token),
  CONSTRAINT shc_link_locations_token_check CHECK ((token ~ '^[A-Za-z0-9_-]{43}$'::text)),
  CONSTRAINT shc_link_locations_link_id_file_no_fkey FOREIGN KEY (link_id, file_no) REFERENCES @extschema@.shc_link_files(link_id, file_no) ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.shc_link_locations IS
  'location URLs handed out in manifests: a random token per file and request, valid one hour';
REVOKE ALL ON @extschema@.shc_link_locations FROM PUBLIC;

CREATE TABLE @extschema@.shc_link_access (
  access_id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  link_id bigint,
  request text NOT NULL,
  at timestamptz NOT NULL,
  recipient text,
  db_role name DEFAULT SESSION_USER NOT NULL,
  outcome text NOT NULL,
  logged_at timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT shc_link_access_pkey PRIMARY KEY (access_id),
  CONSTRAINT shc_link_access_request_check CHECK ((request = ANY (ARRAY['manifest'::text, 'file'::text, 'direct'::text])))
);
CREATE INDEX shc_link_access_link_id_at_idx ON @extschema@.shc_link_access USING btree (link_id, at);
COMMENT ON TABLE @extschema@.shc_link_access IS
  'every request to a SMART Health Link: which link (NULL when unknown), when, the recipient it named, the database role that asked, the outcome';
REVOKE ALL ON @extschema@.shc_link_access FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_link_access TO pg_database_owner;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.shc_link_access', '');
GRANT SELECT ON SEQUENCE @extschema@.shc_link_access_access_id_seq TO pg_database_owner;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.shc_link_access_access_id_seq', '');

-- What an HTTP layer needs to answer: outcome is ok, bad_request,
-- unauthorized (wrong or missing passcode), locked (no attempts left),
-- expired or not_found; http_status is the status code to send (200, 400,
-- 401, 404); body is the text to send with content_type.
CREATE TYPE @extschema@.shc_link_response AS (
  outcome text,
  http_status integer,
  content_type text,
  body text
);
COMMENT ON TYPE @extschema@.shc_link_response IS
  'answer to a SMART Health Link request: outcome (ok, bad_request, unauthorized, locked, expired, not_found), HTTP status, content type and body';

-- 5b. Codecs, open to everyone.

CREATE FUNCTION @extschema@.shc_link_encrypt(plaintext text,
                                             key text,
                                             content_type text,
                                             zip boolean DEFAULT false)
RETURNS text
LANGUAGE C VOLATILE STRICT PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_jwe_encrypt_sql';
COMMENT ON FUNCTION @extschema@.shc_link_encrypt(text, text, text, boolean) IS
  'compact JWE (alg dir, enc A256GCM, cty content_type, zip DEF when asked) of plaintext under a 43-character base64url key; a fresh random IV each call';

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

CREATE FUNCTION @extschema@.shc_link_decrypt(jwe text,
                                             key text,
                                             OUT content_type text,
                                             OUT plaintext text)
RETURNS record
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_jwe_decrypt_sql';
COMMENT ON FUNCTION @extschema@.shc_link_decrypt(text, text) IS
  'decrypt a compact JWE (alg dir, enc A256GCM, optional zip DEF) with a 43-character base64url key: its cty and plaintext';

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

CREATE FUNCTION @extschema@.shc_link_encode(url text,
                                            key text,
                                            exp timestamptz DEFAULT NULL::timestamptz,
                                            flag text DEFAULT NULL::text,
                                            label text DEFAULT NULL::text,
                                            viewer text DEFAULT NULL::text)
RETURNS text
LANGUAGE C IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_shlink_encode_sql';
COMMENT ON FUNCTION @extschema@.shc_link_encode(text, text, timestamptz, text, text, text) IS
  'shlink:/ text (v 1) of a manifest URL and key with optional expiry, flags, label and viewer prefix, every payload rule checked';

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

CREATE FUNCTION @extschema@.shc_link_decode(link text,
                                            OUT url text,
                                            OUT key text,
                                            OUT exp timestamptz,
                                            OUT flag text,
                                            OUT label text,
                                            OUT v integer,
                                            OUT viewer text)
RETURNS record
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_shlink_decode_sql';
COMMENT ON FUNCTION @extschema@.shc_link_decode(text) IS
  'the fields of a shlink:/ text (with or without a viewer prefix), every payload rule checked';

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

CREATE FUNCTION @extschema@.shc_link_verify_file(jwe text, key text, at timestamptz DEFAULT now())
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
COMMENT ON FUNCTION @extschema@.shc_link_verify_file(text, text, timestamptz) IS
  'decrypt an application/smart-health-card file of a SMART Health Link and verify each of its cards (shc_verify_file)';

-- 5c. Internal helpers (no EXECUTE for anyone but the owner): the key
-- exists in clear only inside them.

CREATE FUNCTION @extschema@.shc_link_random_id()
RETURNS text
LANGUAGE C VOLATILE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_link_random_id_sql';
COMMENT ON FUNCTION @extschema@.shc_link_random_id() IS
  'internal: 43 base64url characters of 256 random bits from OpenSSL (manifest ids, location tokens)';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_link_random_id() FROM PUBLIC;

CREATE FUNCTION @extschema@.shc_link_passcode_hash(passcode text)
RETURNS text
LANGUAGE C VOLATILE STRICT PARALLEL SAFE COST 10000
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_link_passcode_hash_sql';
COMMENT ON FUNCTION @extschema@.shc_link_passcode_hash(text) IS
  'internal: scrypt hash (N 2^14, r 8, p 1, random salt) of a link passcode';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_link_passcode_hash(text) FROM PUBLIC;

CREATE FUNCTION @extschema@.shc_link_passcode_check(passcode text, stored text)
RETURNS boolean
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10000
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_link_passcode_check_sql';
COMMENT ON FUNCTION @extschema@.shc_link_passcode_check(text, text) IS
  'internal: whether a passcode matches its stored scrypt hash (constant-time comparison)';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_link_passcode_check(text, text) FROM PUBLIC;

CREATE FUNCTION @extschema@.shc_link_encrypt_files(manifest_id text,
                                                   key_sealed bytea,
                                                   content_types text[],
                                                   contents text[],
                                                   OUT key_sealed bytea,
                                                   OUT jwes text[])
RETURNS record
LANGUAGE C VOLATILE COST 1000
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_link_encrypt_sql';
COMMENT ON FUNCTION @extschema@.shc_link_encrypt_files(text, bytea, text[], text[]) IS
  'internal: encrypt files under a link''s key (a new key sealed under the root key when key_sealed is NULL)';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_link_encrypt_files(text, bytea, text[], text[]) FROM PUBLIC;

CREATE FUNCTION @extschema@.shc_link_encode_sealed(manifest_id text,
                                                   key_sealed bytea,
                                                   url text,
                                                   exp timestamptz,
                                                   flag text,
                                                   label text,
                                                   viewer text)
RETURNS text
LANGUAGE C STABLE COST 100
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_link_uri_sql';
COMMENT ON FUNCTION @extschema@.shc_link_encode_sealed(text, bytea, text, timestamptz, text, text, text) IS
  'internal: the shlink:/ text of a stored link, its sealed key opened for the encoding only';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_link_encode_sealed(text, bytea, text, timestamptz, text, text, text) FROM PUBLIC;

-- A link's file from what the caller gave: a compact JWS (a card), or an
-- object {"contentType": ..., "content": ...}.  Content is stored as
-- compact JSON.
CREATE FUNCTION @extschema@.shc_link_file_content(file jsonb, OUT content_type text, OUT content text)
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
  content := @extschema@.shc_json_compact(c);
END
$$;
COMMENT ON FUNCTION @extschema@.shc_link_file_content(jsonb) IS
  'internal: content type and compact JSON of a SMART Health Link file given as a compact JWS or {"contentType","content"}';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_link_file_content(jsonb) FROM PUBLIC;

CREATE FUNCTION @extschema@.shc_link_log(link_id bigint,
                                         request text,
                                         at timestamptz,
                                         recipient text,
                                         outcome text)
RETURNS void
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
  INSERT INTO @extschema@.shc_link_access (link_id, request, at, recipient, outcome)
  VALUES ($1, $2, $3, pg_catalog.left($4, 200), $5)
$$;
COMMENT ON FUNCTION @extschema@.shc_link_log(bigint, text, timestamptz, text, text) IS
  'internal: one row of the SMART Health Link access log';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_link_log(bigint, text, timestamptz, text, text) FROM PUBLIC;

CREATE FUNCTION @extschema@.shc_link_answer(outcome text, http_status integer, body jsonb)
RETURNS @extschema@.shc_link_response
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT ROW($1, $2, 'application/json', $3::text)::@extschema@.shc_link_response
$$;
COMMENT ON FUNCTION @extschema@.shc_link_answer(text, integer, jsonb) IS
  'internal: a JSON shc_link_response';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_link_answer(text, integer, jsonb) FROM PUBLIC;

-- Who asks, who may manage a link, and the passcode failure counter that
-- no rollback restores (issue 22; docs/health-links.md).

CREATE FUNCTION @extschema@.shc_link_caller()
RETURNS oid
AS 'MODULE_PATHNAME', 'shc_link_caller_sql'
LANGUAGE C STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.shc_link_caller() IS
'internal: the role a SMART Health Link management call is judged as (the session''s current role, SET ROLE included)';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_link_caller() FROM PUBLIC;

CREATE FUNCTION @extschema@.shc_link_attempt(manifest_id text, delta integer)
RETURNS integer
AS 'MODULE_PATHNAME', 'shc_link_attempt_sql'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.shc_link_attempt(text, integer) IS
'internal: add delta (1, -1 or 0) to a SMART Health Link''s count of wrong passcodes, kept in a file that no rollback restores; returns the count';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_link_attempt(text, integer) FROM PUBLIC;

CREATE FUNCTION @extschema@.shc_link_may_manage(caller oid, iss text, created_by name)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE
    WHEN $1 IS NULL THEN false
    WHEN coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid = $1), false) THEN true
    WHEN $2 IS NULL THEN
      EXISTS (SELECT FROM pg_catalog.pg_roles r
               WHERE r.rolname = $3 AND pg_catalog.pg_has_role($1, r.oid, 'USAGE'))
    WHEN NOT EXISTS (SELECT FROM @extschema@.shc_issuer_grants g WHERE g.iss = $2) THEN
      pg_catalog.pg_has_role($1, 'shc_issuer', 'USAGE')
    ELSE
      EXISTS (SELECT FROM @extschema@.shc_issuer_grants g
               WHERE g.iss = $2 AND pg_catalog.pg_has_role($1, g.grantee::pg_catalog.oid, 'USAGE'))
  END
$$;
COMMENT ON FUNCTION @extschema@.shc_link_may_manage(oid, text, name) IS
'internal: may this role manage a SMART Health Link of this issuer (NULL: the link belongs to created_by)?';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_link_may_manage(oid, text, name) FROM PUBLIC;

-- 5d. Creating and managing links (shc_issuer).

-- Each role reads the links it may manage, without any secret, and their
-- log; shc_issuer reads neither table.
CREATE VIEW @extschema@.shc_my_links WITH (security_barrier) AS
  SELECT l.link_id, l.manifest_id, l.iss, l.url, l.flag, l.label, l.exp,
         l.attempts_left, l.active, l.created_at, l.created_by
    FROM @extschema@.shc_links l
   WHERE (coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = pg_catalog.current_user()), false)
          OR (l.iss IS NULL AND EXISTS (SELECT FROM pg_catalog.pg_roles r
                                         WHERE r.rolname = l.created_by
                                           AND pg_catalog.pg_has_role(pg_catalog.current_user(), r.oid, 'USAGE')))
          OR (l.iss IS NOT NULL AND NOT EXISTS (SELECT FROM @extschema@.shc_issuer_grants g WHERE g.iss = l.iss)
              AND pg_catalog.pg_has_role(pg_catalog.current_user(), 'shc_issuer', 'USAGE'))
          OR EXISTS (SELECT FROM @extschema@.shc_issuer_grants g
                      WHERE g.iss = l.iss
                        AND pg_catalog.pg_has_role(pg_catalog.current_user(), g.grantee::pg_catalog.oid, 'USAGE')));
COMMENT ON VIEW @extschema@.shc_my_links IS
'the SMART Health Links the calling role may manage (its issuers'', or its own), without any secret';
CREATE VIEW @extschema@.shc_my_link_access WITH (security_barrier) AS
  SELECT a.access_id, a.link_id, l.manifest_id, a.request, a.at, a.recipient,
         a.db_role, a.outcome, a.logged_at
    FROM @extschema@.shc_link_access a
    JOIN @extschema@.shc_links l ON l.link_id = a.link_id
   WHERE (coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = pg_catalog.current_user()), false)
          OR (l.iss IS NULL AND EXISTS (SELECT FROM pg_catalog.pg_roles r
                                         WHERE r.rolname = l.created_by
                                           AND pg_catalog.pg_has_role(pg_catalog.current_user(), r.oid, 'USAGE')))
          OR (l.iss IS NOT NULL AND NOT EXISTS (SELECT FROM @extschema@.shc_issuer_grants g WHERE g.iss = l.iss)
              AND pg_catalog.pg_has_role(pg_catalog.current_user(), 'shc_issuer', 'USAGE'))
          OR EXISTS (SELECT FROM @extschema@.shc_issuer_grants g
                      WHERE g.iss = l.iss
                        AND pg_catalog.pg_has_role(pg_catalog.current_user(), g.grantee::pg_catalog.oid, 'USAGE')));
COMMENT ON VIEW @extschema@.shc_my_link_access IS
'the access log of the SMART Health Links the calling role may manage';
REVOKE ALL ON @extschema@.shc_my_links, @extschema@.shc_my_link_access FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_my_links, @extschema@.shc_my_link_access TO shc_issuer;

CREATE FUNCTION @extschema@.shc_link_create(files jsonb, base_url text,
  passcode text DEFAULT NULL, exp timestamptz DEFAULT NULL,
  label text DEFAULT NULL, flag text DEFAULT NULL, viewer text DEFAULT NULL,
  max_attempts integer DEFAULT 10, iss text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10000
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  caller oid := @extschema@.shc_link_caller();
  cts text[];
  contents text[];
  f record;
  flags text := '';
  mid text;
  murl text;
  enc record;
  lid bigint;
BEGIN
  IF iss IS NOT NULL THEN
    IF iss !~ '^https://[^/]' OR iss ~ '/$' THEN
      RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
        MESSAGE = 'invalid issuer URL',
        DETAIL = 'An issuer URL starts with "https://" and does not end with "/".';
    END IF;
    IF NOT @extschema@.shc_link_may_manage(caller, iss, NULL) THEN
      RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = pg_catalog.format('permission denied to create SMART Health Links for issuer "%s"', iss),
        DETAIL = 'Links of an issuer are made and managed by the roles that may sign for it.',
        HINT = 'A key administrator grants it with shc_issuer_grant().';
    END IF;
  END IF;
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

  FOR f IN SELECT (@extschema@.shc_link_file_content(e)).* FROM pg_catalog.jsonb_array_elements(files) e LOOP
    cts := cts || f.content_type;
    contents := contents || f.content;
  END LOOP;

  mid := @extschema@.shc_link_random_id();
  murl := base_url || '/' || mid;
  enc := @extschema@.shc_link_encrypt_files(mid, NULL, cts, contents);
  INSERT INTO @extschema@.shc_links (manifest_id, url, base_url, flag, label, exp, viewer,
                             passcode_hash, attempts_left, max_attempts, key_sealed,
                             iss, created_by)
  VALUES (mid, murl, base_url, flags, label, exp, viewer,
          CASE WHEN passcode IS NOT NULL THEN @extschema@.shc_link_passcode_hash(passcode) END,
          CASE WHEN passcode IS NOT NULL THEN max_attempts END,
          CASE WHEN passcode IS NOT NULL THEN max_attempts END, enc.key_sealed,
          iss, (SELECT r.rolname FROM pg_catalog.pg_roles r WHERE r.oid = caller))
  RETURNING link_id INTO lid;
  INSERT INTO @extschema@.shc_link_files (link_id, file_no, content_type, jwe)
  SELECT lid, x.n, x.ct, x.jwe
    FROM ROWS FROM (pg_catalog.unnest(cts), pg_catalog.unnest(enc.jwes)) WITH ORDINALITY AS x(ct, jwe, n);
  RETURN @extschema@.shc_link_encode_sealed(mid, enc.key_sealed, murl, exp,
                                    NULLIF(flags, ''), label, viewer);
END
$$;
COMMENT ON FUNCTION @extschema@.shc_link_create(jsonb, text, text, timestamptz, text, text, text, integer, text) IS
'store a new SMART Health Link for files (compact JWS cards or {"contentType","content"}) served under base_url, belonging to issuer iss (or, without iss, to the calling role); returns its shlink:/ text';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_link_create(jsonb, text, text, timestamptz, text, text, text, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_link_create(jsonb, text, text, timestamptz, text, text, text, integer, text) TO shc_issuer;

CREATE FUNCTION @extschema@.shc_link_uri(manifest_id text)
RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL UNSAFE COST 100
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  l @extschema@.shc_links;
BEGIN
  SELECT * INTO l FROM @extschema@.shc_links k WHERE k.manifest_id = shc_link_uri.manifest_id;
  -- another issuer's link is answered as no link at all
  IF NOT FOUND OR NOT @extschema@.shc_link_may_manage(@extschema@.shc_link_caller(), l.iss, l.created_by) THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_object',
      MESSAGE = 'SMART Health Link does not exist';
  END IF;
  RETURN @extschema@.shc_link_encode_sealed(l.manifest_id, l.key_sealed, l.url, l.exp,
                                    NULLIF(l.flag, ''), l.label, l.viewer);
END
$$;
COMMENT ON FUNCTION @extschema@.shc_link_uri(text) IS
  'the shlink:/ text of a stored, active SMART Health Link (to print its QR code again)';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_link_uri(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_link_uri(text) TO shc_issuer;

CREATE FUNCTION @extschema@.shc_link_add_file(manifest_id text, file jsonb)
RETURNS integer
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE COST 1000
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  l @extschema@.shc_links;
  f record;
  enc record;
  n integer;
BEGIN
  SELECT * INTO l FROM @extschema@.shc_links k WHERE k.manifest_id = shc_link_add_file.manifest_id
     FOR UPDATE;
  IF NOT FOUND OR NOT l.active
     OR NOT @extschema@.shc_link_may_manage(@extschema@.shc_link_caller(), l.iss, l.created_by) THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_object',
      MESSAGE = 'SMART Health Link does not exist or is not active';
  END IF;
  IF pg_catalog.strpos(l.flag, 'U') > 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'a SMART Health Link with flag U serves a single file';
  END IF;
  f := @extschema@.shc_link_file_content(file);
  enc := @extschema@.shc_link_encrypt_files(l.manifest_id, l.key_sealed,
                                    ARRAY[f.content_type], ARRAY[f.content]);
  SELECT coalesce(pg_catalog.max(x.file_no), 0) + 1 INTO n
    FROM @extschema@.shc_link_files x WHERE x.link_id = l.link_id;
  INSERT INTO @extschema@.shc_link_files (link_id, file_no, content_type, jwe)
  VALUES (l.link_id, n, f.content_type, enc.jwes[1]);
  RETURN n;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_link_add_file(text, jsonb) IS
  'add a file to an active SMART Health Link (an update the receiver sees on its next manifest request); returns its number';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_link_add_file(text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_link_add_file(text, jsonb) TO shc_issuer;

CREATE FUNCTION @extschema@.shc_link_deactivate(manifest_id text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  lid bigint;
BEGIN
  UPDATE @extschema@.shc_links k SET active = false, key_sealed = NULL
   WHERE k.manifest_id = shc_link_deactivate.manifest_id
     AND @extschema@.shc_link_may_manage(@extschema@.shc_link_caller(), k.iss, k.created_by)
  RETURNING k.link_id INTO lid;
  IF lid IS NULL THEN
    RETURN false;
  END IF;
  DELETE FROM @extschema@.shc_link_files x WHERE x.link_id = lid;
  RETURN true;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_link_deactivate(text) IS
  'end a SMART Health Link: its key and files are deleted, every later request answers not_found';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_link_deactivate(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_link_deactivate(text) TO shc_issuer;

-- 5e. Answering requests (shc_link_server).  Each returns a
-- shc_link_response and never raises for a bad request, so the access log
-- is committed with the answer.  Time is the server's clock
-- (clock_timestamp()): at may only move it forward, and the log records
-- the server's time.  A passcode attempt is charged in the failure counter
-- (a file, src/shc_link_guard.c) before the check and given back only when
-- the passcode was right; attempts_left is decremented too, so a dump
-- keeps what was spent.

CREATE FUNCTION @extschema@.shc_link_manifest(manifest_id text, request jsonb,
  at timestamptz DEFAULT pg_catalog.now())
RETURNS @extschema@.shc_link_response
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10000
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  l @extschema@.shc_links;
  clock timestamptz := pg_catalog.clock_timestamp();
  judged timestamptz;
  recipient text;
  pass text;
  elm numeric;
  files jsonb := '[]';
  fr record;
  tok text;
  failures integer;
  remaining integer;
BEGIN
  judged := GREATEST(clock, at);
  SELECT * INTO l FROM @extschema@.shc_links k WHERE k.manifest_id = shc_link_manifest.manifest_id
     FOR UPDATE;
  IF pg_catalog.jsonb_typeof(request) IS DISTINCT FROM 'object'
     OR pg_catalog.jsonb_typeof(request -> 'recipient') IS DISTINCT FROM 'string'
     OR request ->> 'recipient' = ''
     OR (request ? 'passcode' AND pg_catalog.jsonb_typeof(request -> 'passcode') <> 'string')
     OR (request ? 'embeddedLengthMax'
         AND (pg_catalog.jsonb_typeof(request -> 'embeddedLengthMax') <> 'number'
              OR (request ->> 'embeddedLengthMax')::numeric < 0)) THEN
    PERFORM @extschema@.shc_link_log(l.link_id, 'manifest', clock, request ->> 'recipient', 'bad_request');
    RETURN @extschema@.shc_link_answer('bad_request', 400, '{"error":"a manifest request is {\"recipient\": string, \"passcode\"?: string, \"embeddedLengthMax\"?: number}"}');
  END IF;
  recipient := request ->> 'recipient';
  IF l.link_id IS NULL OR NOT l.active THEN
    PERFORM @extschema@.shc_link_log(l.link_id, 'manifest', clock, recipient, 'not_found');
    RETURN @extschema@.shc_link_answer('not_found', 404, '{"error":"no such SMART Health Link"}');
  END IF;
  IF l.exp IS NOT NULL AND l.exp <= judged THEN
    PERFORM @extschema@.shc_link_log(l.link_id, 'manifest', clock, recipient, 'expired');
    RETURN @extschema@.shc_link_answer('expired', 404, '{"error":"this SMART Health Link has expired"}');
  END IF;
  IF l.passcode_hash IS NOT NULL THEN
    failures := @extschema@.shc_link_attempt(l.manifest_id, 0);
    remaining := LEAST(l.attempts_left, l.max_attempts - failures);
    IF remaining <= 0 THEN
      PERFORM @extschema@.shc_link_log(l.link_id, 'manifest', clock, recipient, 'locked');
      RETURN @extschema@.shc_link_answer('locked', 404, '{"error":"this SMART Health Link is locked after too many wrong passcodes","remainingAttempts":0}');
    END IF;
    pass := request ->> 'passcode';
    IF pass IS NULL THEN
      PERFORM @extschema@.shc_link_log(l.link_id, 'manifest', clock, recipient, 'unauthorized');
      RETURN @extschema@.shc_link_answer('unauthorized', 401,
        pg_catalog.jsonb_build_object('error', 'a passcode is required', 'remainingAttempts', remaining));
    END IF;
    -- charged before the check: no error, cancel or rollback after it gives it back
    failures := @extschema@.shc_link_attempt(l.manifest_id, 1);
    IF failures > l.max_attempts THEN
      PERFORM @extschema@.shc_link_log(l.link_id, 'manifest', clock, recipient, 'locked');
      RETURN @extschema@.shc_link_answer('locked', 404, '{"error":"this SMART Health Link is locked after too many wrong passcodes","remainingAttempts":0}');
    END IF;
    IF NOT @extschema@.shc_link_passcode_check(pass, l.passcode_hash) THEN
      UPDATE @extschema@.shc_links k SET attempts_left = GREATEST(k.attempts_left - 1, 0)
       WHERE k.link_id = l.link_id;
      PERFORM @extschema@.shc_link_log(l.link_id, 'manifest', clock, recipient, 'unauthorized');
      RETURN @extschema@.shc_link_answer('unauthorized', 401,
        pg_catalog.jsonb_build_object('error', 'wrong passcode', 'remainingAttempts',
          GREATEST(LEAST(l.attempts_left - 1, l.max_attempts - failures), 0)));
    END IF;
    PERFORM @extschema@.shc_link_attempt(l.manifest_id, -1);
  END IF;
  elm := (request ->> 'embeddedLengthMax')::numeric;
  DELETE FROM @extschema@.shc_link_locations x WHERE x.expires_at <= clock;
  FOR fr IN SELECT x.file_no, x.content_type, x.jwe FROM @extschema@.shc_link_files x
             WHERE x.link_id = l.link_id ORDER BY x.file_no LOOP
    IF elm IS NOT NULL AND pg_catalog.length(fr.jwe) <= elm THEN
      files := files || pg_catalog.jsonb_build_object('contentType', fr.content_type,
                                                      'embedded', fr.jwe);
    ELSE
      tok := @extschema@.shc_link_random_id();
      INSERT INTO @extschema@.shc_link_locations (token, link_id, file_no, recipient, expires_at)
      VALUES (tok, l.link_id, fr.file_no, recipient, clock + interval '1 hour');
      files := files || pg_catalog.jsonb_build_object('contentType', fr.content_type,
                                                      'location', l.base_url || '/file/' || tok);
    END IF;
  END LOOP;
  PERFORM @extschema@.shc_link_log(l.link_id, 'manifest', clock, recipient, 'ok');
  RETURN @extschema@.shc_link_answer('ok', 200, pg_catalog.jsonb_build_object('files', files));
END
$$;
COMMENT ON FUNCTION @extschema@.shc_link_manifest(text, jsonb, timestamptz) IS
'answer a SMART Health Link manifest request (POST body: recipient, passcode, embeddedLengthMax) by the server''s clock (at, for tests, may only move it forward); counts passcode attempts where no rollback returns them, and logs the access';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_link_manifest(text, jsonb, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_link_manifest(text, jsonb, timestamptz) TO shc_link_server;

CREATE FUNCTION @extschema@.shc_link_file(token text, at timestamptz DEFAULT pg_catalog.now())
RETURNS @extschema@.shc_link_response
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r record;
  clock timestamptz := pg_catalog.clock_timestamp();
  judged timestamptz;
BEGIN
  judged := GREATEST(clock, at);
  SELECT x.link_id, x.expires_at, x.recipient, f.jwe, k.active, k.exp INTO r
    FROM @extschema@.shc_link_locations x
    JOIN @extschema@.shc_link_files f USING (link_id, file_no)
    JOIN @extschema@.shc_links k ON k.link_id = x.link_id
   WHERE x.token = shc_link_file.token;
  IF NOT FOUND OR NOT r.active THEN
    PERFORM @extschema@.shc_link_log(r.link_id, 'file', clock, r.recipient, 'not_found');
    RETURN @extschema@.shc_link_answer('not_found', 404, '{"error":"no such file"}');
  END IF;
  IF r.expires_at <= judged OR (r.exp IS NOT NULL AND r.exp <= judged) THEN
    PERFORM @extschema@.shc_link_log(r.link_id, 'file', clock, r.recipient, 'expired');
    RETURN @extschema@.shc_link_answer('expired', 404, '{"error":"this location has expired"}');
  END IF;
  PERFORM @extschema@.shc_link_log(r.link_id, 'file', clock, r.recipient, 'ok');
  RETURN ROW('ok', 200, 'application/jose', r.jwe)::@extschema@.shc_link_response;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_link_file(text, timestamptz) IS
'answer a GET of a location URL handed out in a manifest (valid one hour), by the server''s clock (at, for tests, may only move it forward): the file''s JWE, or not_found / expired';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_link_file(text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_link_file(text, timestamptz) TO shc_link_server;

CREATE FUNCTION @extschema@.shc_link_direct(manifest_id text, recipient text,
  at timestamptz DEFAULT pg_catalog.now())
RETURNS @extschema@.shc_link_response
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  l @extschema@.shc_links;
  j text;
  clock timestamptz := pg_catalog.clock_timestamp();
  judged timestamptz;
BEGIN
  judged := GREATEST(clock, at);
  SELECT * INTO l FROM @extschema@.shc_links k WHERE k.manifest_id = shc_link_direct.manifest_id;
  IF recipient IS NULL OR recipient = '' THEN
    PERFORM @extschema@.shc_link_log(l.link_id, 'direct', clock, recipient, 'bad_request');
    RETURN @extschema@.shc_link_answer('bad_request', 400, '{"error":"a direct request names its recipient"}');
  END IF;
  IF l.link_id IS NULL OR NOT l.active OR pg_catalog.strpos(l.flag, 'U') = 0 THEN
    PERFORM @extschema@.shc_link_log(l.link_id, 'direct', clock, recipient, 'not_found');
    RETURN @extschema@.shc_link_answer('not_found', 404, '{"error":"no such SMART Health Link"}');
  END IF;
  IF l.exp IS NOT NULL AND l.exp <= judged THEN
    PERFORM @extschema@.shc_link_log(l.link_id, 'direct', clock, recipient, 'expired');
    RETURN @extschema@.shc_link_answer('expired', 404, '{"error":"this SMART Health Link has expired"}');
  END IF;
  SELECT f.jwe INTO j FROM @extschema@.shc_link_files f WHERE f.link_id = l.link_id AND f.file_no = 1;
  PERFORM @extschema@.shc_link_log(l.link_id, 'direct', clock, recipient, 'ok');
  RETURN ROW('ok', 200, 'application/jose', j)::@extschema@.shc_link_response;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_link_direct(text, text, timestamptz) IS
'answer a GET of the manifest URL of a link with flag U (?recipient=...) by the server''s clock (at, for tests, may only move it forward): its single file''s JWE';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_link_direct(text, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_link_direct(text, text, timestamptz) TO shc_link_server;

------------------------------------------------------------------------------
-- 6. Scale-out
------------------------------------------------------------------------------

-- Citus (docs/scaling-out.md).  Logical replication needs no function of
-- its own: the replica twins of the trust generation triggers (section 4a)
-- keep a subscriber's verifier cache current.

-- Citus (docs/scaling-out.md): the trust tables become reference tables, a
-- full copy on every node.  Citus writes a trust change made on any node
-- to every copy in the same transaction (two-phase commit), and copies the
-- cache triggers onto each node's placement; shc_verify() pushed down to a
-- worker reads that node's placement (src/shc_scale.c).  Keys and rid
-- secrets stay local tables: they exist only where they were created.
CREATE FUNCTION @extschema@.shc_trust_distribute()
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
COMMENT ON FUNCTION @extschema@.shc_trust_distribute() IS
  'on a Citus coordinator: make the trust tables reference tables, so every node verifies against the same trust store; returns the number of tables distributed now';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_trust_distribute() FROM PUBLIC;

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

------------------------------------------------------------------------------
-- 7. Setup and operations
------------------------------------------------------------------------------

-- The library and the setup, as a DBA checks them; the signature memo.

-- The shc.* settings exist in a session once the library is loaded there:
-- any shc function loads it, and shared_preload_libraries or
-- session_preload_libraries load it at the start of every session (README
-- "Configuration").
CREATE FUNCTION @extschema@.shc_library_version()
RETURNS text
LANGUAGE C STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_library_version_sql';
COMMENT ON FUNCTION @extschema@.shc_library_version() IS
  'version of the loaded shc library; differs from the extension''s version until ALTER EXTENSION shc UPDATE runs after a package upgrade';

-- What shc_setup_check() may know of the root key without showing its
-- setting.
CREATE FUNCTION @extschema@.shc_root_key_status(OUT configured boolean, OUT readable boolean,
  OUT keys bigint, OUT keys_other bigint, OUT secrets bigint, OUT secrets_other bigint,
  OUT links bigint, OUT links_other bigint)
RETURNS record
LANGUAGE plpgsql VOLATILE PARALLEL RESTRICTED
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  id text;
BEGIN
  PERFORM @extschema@.shc_library_version();
  configured := coalesce(pg_catalog.current_setting('shc.root_key_file', true), '') <> ''
                OR coalesce(pg_catalog.current_setting('shc.root_key_command', true), '') <> '';
  BEGIN
    id := @extschema@.shc_root_key_id();
    readable := id IS NOT NULL;
  EXCEPTION WHEN OTHERS THEN
    readable := false;
  END;
  SELECT pg_catalog.count(*), pg_catalog.count(*) FILTER (WHERE id IS NULL
           OR pg_catalog.encode(pg_catalog.substr(p.sealed_d, 2, 8), 'hex') <> id)
    INTO keys, keys_other FROM @extschema@.shc_private_keys p;
  SELECT pg_catalog.count(*), pg_catalog.count(*) FILTER (WHERE id IS NULL
           OR pg_catalog.encode(pg_catalog.substr(s.sealed_secret, 2, 8), 'hex') <> id)
    INTO secrets, secrets_other FROM @extschema@.shc_private_rid_secrets s;
  SELECT pg_catalog.count(*), pg_catalog.count(*) FILTER (WHERE id IS NULL
           OR pg_catalog.encode(pg_catalog.substr(l.key_sealed, 2, 8), 'hex') <> id)
    INTO links, links_other FROM @extschema@.shc_links l WHERE l.key_sealed IS NOT NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_root_key_status() IS
'whether a root key is configured and readable, and how many stored private keys, rid secrets and link keys it does not open (never the setting''s text)';

-- The caller's search path is an argument whose default is evaluated where
-- the function is called: inside, the pinned search_path hides it.
CREATE FUNCTION @extschema@.shc_setup_check(search_path name[] DEFAULT pg_catalog.current_schemas(false),
                                    OUT item text, OUT ok boolean, OUT detail text)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE STRICT PARALLEL RESTRICTED ROWS 16
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  lib text := @extschema@.shc_library_version();   -- loads the library: shc.* exist from here on
  ext text := (SELECT e.extversion FROM pg_catalog.pg_extension e WHERE e.extname = 'shc');
  preload text;
  n bigint;
  rk record;
  root_ok boolean;
  before_shc text;
  s record;
  me text := pg_catalog.quote_ident(pg_catalog.current_user());
  path_fix text := pg_catalog.format('ALTER ROLE %s SET search_path = shc, "$user", public (as a superuser)',
                                     pg_catalog.quote_ident(pg_catalog.current_user()));
BEGIN
  item := 'library version';
  ok := lib = ext;
  detail := CASE WHEN ok THEN pg_catalog.format('The library and the extension are version %s.', ext)
                 ELSE pg_catalog.format('The library is version %s, the extension''s objects %s: run ALTER EXTENSION shc UPDATE in every database that has shc.', lib, ext) END;
  RETURN NEXT;

  -- pg_settings shows the preload settings only to roles that may read
  -- them (superusers, pg_read_all_settings); for others the row says so
  SELECT pg_catalog.string_agg(g.name, ', ') FILTER (WHERE EXISTS (
           SELECT FROM pg_catalog.regexp_split_to_table(g.setting, '\s*,\s*') l
            WHERE pg_catalog.btrim(l, ' "') IN ('shc', '$libdir/shc'))),
         pg_catalog.count(*)
    INTO preload, n
    FROM pg_catalog.pg_settings g
   WHERE g.name IN ('shared_preload_libraries', 'session_preload_libraries');
  item := 'library preloaded';
  ok := CASE WHEN preload IS NOT NULL THEN true WHEN n = 2 THEN false END;
  detail := CASE WHEN ok THEN pg_catalog.format('shc is in %s: SHOW shc.* works in every session.', preload)
                 WHEN NOT ok THEN 'SHOW shc.* works in a session only after an shc function ran there. Add shc to shared_preload_libraries (at the next restart) or session_preload_libraries (in new sessions).'
                 ELSE 'Unknown: only superusers and members of pg_read_all_settings may read shared_preload_libraries.' END;
  RETURN NEXT;

  rk := @extschema@.shc_root_key_status();
  root_ok := rk.configured AND rk.readable;
  item := 'root key';
  ok := root_ok;
  detail := CASE
    WHEN root_ok THEN 'A root key is configured and readable: stored keys and secrets can be sealed and opened.'
    WHEN NOT rk.configured THEN 'No root key is configured: no key or rid secret can be created or used. As a superuser, write 64 hexadecimal digits (openssl rand -hex 32) to a file only the server''s OS user can read, set shc.root_key_file to its path in postgresql.conf, and SELECT pg_reload_conf() (docs/security.md, "Keys at rest").'
    ELSE 'The configured root key cannot be read (a missing or unreadable file, a key that is not 64 hexadecimal digits, or a failing command): a superuser checks shc.root_key_file or shc.root_key_command and reloads (docs/security.md, "Keys at rest").' END;
  RETURN NEXT;

  item := 'stored secrets';
  ok := root_ok AND rk.keys_other + rk.secrets_other + rk.links_other = 0;
  detail := CASE
    WHEN ok THEN pg_catalog.format('The root key opens all %s private keys, %s rid secrets and %s link keys.', rk.keys, rk.secrets, rk.links)
    WHEN NOT root_ok THEN pg_catalog.format('Without a readable root key none of the %s private keys, %s rid secrets and %s link keys opens: fix the root key first.', rk.keys, rk.secrets, rk.links)
    ELSE pg_catalog.format('The root key does not open %s of %s private keys, %s of %s rid secrets and %s of %s link keys (sealed under another root key): a superuser names that key in shc.root_key_previous_file and reloads, then a key administrator runs SELECT shc_root_key_rotate().',
                           rk.keys_other, rk.keys, rk.secrets_other, rk.secrets, rk.links_other, rk.links) END;
  RETURN NEXT;

  item := 'schema on search_path';
  ok := 'shc' = ANY (search_path);
  detail := CASE WHEN ok THEN 'Schema shc is on the search path.'
                 ELSE pg_catalog.format('Schema shc is not on the search path: run %s, or write shc.<name>.', path_fix) END;
  RETURN NEXT;

  -- a schema before shc that another role may create in: its functions
  -- named like shc's would be called instead (docs/security.md)
  SELECT pg_catalog.string_agg(pg_catalog.quote_ident(p.name), ', ' ORDER BY p.pos) INTO before_shc
    FROM pg_catalog.unnest(search_path) WITH ORDINALITY AS p(name, pos)
   WHERE p.pos < coalesce(pg_catalog.array_position(search_path, 'shc'), 0)
     AND p.name NOT IN ('pg_catalog', 'shc')
     -- a schema another role may create in: its owner or a role with
     -- CREATE is PUBLIC, or neither a superuser nor a role whose
     -- privileges the caller has
     AND EXISTS (
           SELECT FROM pg_catalog.pg_namespace n,
                  LATERAL (SELECT n.nspowner AS r
                           UNION ALL
                           SELECT a.grantee FROM pg_catalog.aclexplode(n.nspacl) a
                            WHERE a.privilege_type = 'CREATE') w
            WHERE n.nspname = p.name
              AND (w.r = 0
                   OR (NOT pg_catalog.pg_has_role(pg_catalog.current_user(), w.r, 'USAGE')
                       AND NOT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r
                                          WHERE r.oid = CASE WHEN w.r = 'pg_database_owner'::pg_catalog.regrole
                                                             THEN (SELECT d.datdba FROM pg_catalog.pg_database d
                                                                    WHERE d.datname = pg_catalog.current_database())
                                                             ELSE w.r END), false))));
  item := 'search_path order';
  ok := before_shc IS NULL;
  detail := CASE WHEN ok THEN 'No schema that another role may create in comes before shc on the search path.'
                 ELSE pg_catalog.format('Other roles may create objects in %s, which the search path puts before shc: a function planted there under an shc name runs instead, with your privileges. Run %s.', before_shc, path_fix) END;
  RETURN NEXT;

  item := 'public schema';
  ok := NOT EXISTS (
           SELECT FROM pg_catalog.pg_namespace n,
                  LATERAL (SELECT n.nspowner AS r
                           UNION ALL
                           SELECT a.grantee FROM pg_catalog.aclexplode(n.nspacl) a
                            WHERE a.privilege_type = 'CREATE') w
            WHERE n.nspname = 'public'
              AND (w.r = 0
                   OR (NOT pg_catalog.pg_has_role(pg_catalog.current_user(), w.r, 'USAGE')
                       AND NOT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r
                                          WHERE r.oid = CASE WHEN w.r = 'pg_database_owner'::pg_catalog.regrole
                                                             THEN (SELECT d.datdba FROM pg_catalog.pg_database d
                                                                    WHERE d.datname = pg_catalog.current_database())
                                                             ELSE w.r END), false))));
  detail := CASE WHEN ok THEN 'No role but you and superusers may create objects in schema public.'
                 ELSE 'Other roles (the database owner, or everyone) may create objects in schema public: a function there whose argument types fit a call better than shc''s is called instead, even after shc on the search path. Call shc functions with arguments of their exact types or as shc.<name>, or close public: REVOKE CREATE ON SCHEMA public FROM PUBLIC, and, against the database owner, ALTER SCHEMA public OWNER TO a superuser (docs/security.md, "The database owner").' END;
  RETURN NEXT;

  item := 'role may issue';
  ok := pg_catalog.pg_has_role(pg_catalog.current_user(), 'shc_issuer', 'USAGE');
  detail := CASE WHEN ok THEN pg_catalog.format('%s may sign cards and make SMART Health Links (shc_issuer), for the issuers shc_issuer_grant() allows it.', me)
                 ELSE pg_catalog.format('%s may not sign cards: GRANT shc_issuer TO %s, if it should.', me, me) END;
  RETURN NEXT;

  item := 'role may administer keys';
  ok := pg_catalog.pg_has_role(pg_catalog.current_user(), 'shc_key_admin', 'USAGE');
  detail := CASE WHEN ok THEN pg_catalog.format('%s may create, import and retire keys and rid secrets (shc_key_admin).', me)
                 ELSE pg_catalog.format('%s may not manage keys: GRANT shc_key_admin TO %s, if it should.', me, me) END;
  RETURN NEXT;

  item := 'role may change trust';
  ok := pg_catalog.pg_has_role(pg_catalog.current_user(), 'shc_trust_admin', 'USAGE');
  detail := CASE WHEN ok THEN pg_catalog.format('%s may decide which issuers the verifier trusts (shc_trust_admin).', me)
                 ELSE pg_catalog.format('%s may not change the trust store: GRANT shc_trust_admin TO %s, if it should.', me, me) END;
  RETURN NEXT;

  -- settings the caller may read (pg_settings shows the root key's only
  -- to superusers and pg_read_all_settings)
  FOR s IN SELECT g.name, g.setting, g.unit, g.source, g.context
             FROM pg_catalog.pg_settings g WHERE g.name LIKE 'shc.%' ORDER BY g.name
  LOOP
    item := s.name;
    ok := CASE WHEN s.name IN ('shc.root_key_file', 'shc.root_key_command') THEN root_ok ELSE true END;
    detail := pg_catalog.format('%s%s (%s; changed by %s)', s.setting, coalesce(' ' || s.unit, ''), s.source,
                                CASE s.context WHEN 'superuser' THEN 'superusers' WHEN 'user' THEN 'any user'
                                     WHEN 'sighup' THEN 'the configuration file' ELSE s.context END);
    RETURN NEXT;
  END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_setup_check(name[]) IS
'what a DBA checks after installing or upgrading: library and extension versions agree, preload, a readable root key that opens every stored secret, schema shc on the search path with no schema other roles may create in before it, public closed, what the calling role may do (issue, keys, trust), and each shc.* setting the caller may read';

-- Deprecated name (0.3.0; removed in 0.4.0): shc_setup_check.
CREATE FUNCTION @extschema@.shc_check_setup(search_path name[] DEFAULT current_schemas(false),
                                            OUT item text,
                                            OUT ok boolean,
                                            OUT detail text)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE STRICT PARALLEL RESTRICTED ROWS 16
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

-- The signature memo's counters (src/shc_memo.c): one row for this
-- session's memo and, when shc is in shared_preload_libraries, one for the
-- memo all sessions share.
CREATE FUNCTION @extschema@.shc_stats(OUT memo text,
                                      OUT capacity bigint,
                                      OUT entries bigint,
                                      OUT hits bigint,
                                      OUT misses bigint,
                                      OUT inserts bigint,
                                      OUT evictions bigint)
RETURNS SETOF record
LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED ROWS 2
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_stats_sql';
COMMENT ON FUNCTION @extschema@.shc_stats() IS
'counters of the signature memo: this session''s (memo = backend) and, when shc is preloaded, the shared one (memo = shared, whose entries are per database); for pg_read_all_stats (and pg_monitor) members';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_stats() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_stats() TO pg_read_all_stats;

CREATE FUNCTION @extschema@.shc_memo_clear()
RETURNS void
LANGUAGE C VOLATILE STRICT
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'shc_memo_clear_sql';
COMMENT ON FUNCTION @extschema@.shc_memo_clear() IS
  'empty the signature memo of this session and the shared one (counters are kept); not needed for correctness';
REVOKE EXECUTE ON FUNCTION @extschema@.shc_memo_clear() FROM PUBLIC;

-- Restore by the database owner (issue #23): after every table above is
-- created and registered with pg_extension_config_dump.
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
  -- a copy of the trigger on a Citus shard of a trust table (a reference
  -- table's shard is written by Citus as the writing role): only the
  -- extension's own tables are guarded
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension e
                  WHERE e.extname = 'shc' AND TG_RELID = ANY (e.extconfig)) THEN
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

------------------------------------------------------------------------------
-- 8. Final check

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
