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

------------------------------------------------------------------------------
-- 7. SMART Health Links (issue 15)
------------------------------------------------------------------------------

------------------------------------------------------------------------------
-- 8. Performance (issue 16)
------------------------------------------------------------------------------

-- The signature memo's counters (src/shc_memo.c): one row for this
-- session's memo and, when shc is in shared_preload_libraries, one for the
-- memo all sessions share.
CREATE FUNCTION shc.shc_stats(
  OUT memo text, OUT capacity bigint, OUT entries bigint, OUT hits bigint,
  OUT misses bigint, OUT inserts bigint, OUT evictions bigint)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'shc_stats_sql'
LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED ROWS 2
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION shc.shc_stats() IS
'counters of the signature memo: this session''s (memo = backend) and, when shc is preloaded, the shared one (memo = shared)';

CREATE FUNCTION shc.shc_memo_clear()
RETURNS void
AS 'MODULE_PATHNAME', 'shc_memo_clear_sql'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION shc.shc_memo_clear() IS
'empty the signature memo of this session and the shared one (counters are kept); not needed for correctness';

REVOKE EXECUTE ON FUNCTION shc.shc_memo_clear() FROM PUBLIC;

-- The status-only path: the status of shc_verify without the bundle's
-- jsonb, for the forms analysts write (count(*) FILTER (WHERE ...),
-- GROUP BY status).  Same checks, same order, same trust store and memo.
CREATE FUNCTION shc.shc_verify_status(card text, at timestamptz DEFAULT pg_catalog.now())
RETURNS text
AS 'MODULE_PATHNAME', 'shc_verify_status_sql'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 2000
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION shc.shc_verify_status(text, timestamptz) IS
'the status shc_verify(card, at) gives (valid, malformed, bad_signature, ...), without building the bundle; never raises for a bad card';

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
