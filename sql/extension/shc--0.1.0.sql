/* shc--0.1.0.sql: install script of the shc extension, version 0.1.0 */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION shc" to load this file. \quit

------------------------------------------------------------------------------
-- JSON
------------------------------------------------------------------------------

CREATE FUNCTION shc_json_compact(value jsonb)
RETURNS text
AS 'MODULE_PATHNAME', 'shc_json_compact_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION shc_json_compact(jsonb) IS
'compact JSON text of a jsonb value: no optional white space, "/" and non-ASCII unescaped';

------------------------------------------------------------------------------
-- QR numeric text (SHC-NOTES section 8)
------------------------------------------------------------------------------

CREATE FUNCTION shc_qr_numeric(jws text)
RETURNS text
AS 'MODULE_PATHNAME', 'shc_qr_numeric_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION shc_qr_numeric(text) IS
'shc:/ numeric QR text of a compact JWS that fits one QR code';

CREATE FUNCTION shc_qr_chunks(jws text)
RETURNS text[]
AS 'MODULE_PATHNAME', 'shc_qr_chunks_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION shc_qr_chunks(text) IS
'shc:/ QR texts of a compact JWS: one when it fits, else the deprecated balanced shc:/C/N/ chunks';

CREATE FUNCTION shc_qr_decode(qr text[])
RETURNS text
AS 'MODULE_PATHNAME', 'shc_qr_decode_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION shc_qr_decode(text[]) IS
'compact JWS held by one shc:/ QR text or by a complete set of shc:/C/N/ chunks in any order';

------------------------------------------------------------------------------
-- Cache invalidation (src/shc_cache.c)
------------------------------------------------------------------------------

CREATE FUNCTION shc_cache_invalidate_trigger()
RETURNS trigger
AS 'MODULE_PATHNAME', 'shc_cache_invalidate_trigger'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION shc_cache_invalidate_trigger() IS
'statement trigger on key and trust tables: makes every session drop its cached keys after the change commits';

------------------------------------------------------------------------------
-- FHIR: building spec-shaped resources from plain values, and reading them
-- back as rows (SHC-NOTES section 7; SMART Health Cards Vaccination &
-- Testing IG shapes).  Builders leave out what is NULL and refuse empty
-- strings, which are invalid FHIR.
------------------------------------------------------------------------------

CREATE FUNCTION shc_fhir_patient(family text, given text[] DEFAULT NULL,
                                 birth_date date DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
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
    'birthDate', lpad(date_part('year', birth_date)::int::text, 4, '0') || '-' || lpad(date_part('month', birth_date)::int::text, 2, '0') || '-' || lpad(date_part('day', birth_date)::int::text, 2, '0')));
END
$$;

COMMENT ON FUNCTION shc_fhir_patient(text, text[], date) IS
'FHIR Patient resource with one name and an optional birth date';

CREATE FUNCTION shc_fhir_immunization(vaccine_system text, vaccine_code text,
                                      occurrence date,
                                      lot_number text DEFAULT NULL,
                                      performer text DEFAULT NULL,
                                      status text DEFAULT 'completed')
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
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
  IF status NOT IN ('completed', 'entered-in-error', 'not-done') THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = format('invalid immunization status "%s"', status),
      HINT = 'Use "completed", "entered-in-error" or "not-done".';
  END IF;
  RETURN jsonb_strip_nulls(jsonb_build_object(
    'resourceType', 'Immunization',
    'status', status,
    'vaccineCode', jsonb_build_object('coding', jsonb_build_array(
        jsonb_build_object('system', vaccine_system, 'code', vaccine_code))),
    'patient', jsonb_build_object('reference', 'resource:0'),
    'occurrenceDateTime', lpad(date_part('year', occurrence)::int::text, 4, '0') || '-' || lpad(date_part('month', occurrence)::int::text, 2, '0') || '-' || lpad(date_part('day', occurrence)::int::text, 2, '0'),
    'performer', CASE WHEN performer IS NOT NULL THEN
        jsonb_build_array(jsonb_build_object('actor', jsonb_build_object('display', performer))) END,
    'lotNumber', lot_number));
END
$$;

COMMENT ON FUNCTION shc_fhir_immunization(text, text, date, text, text, text) IS
'FHIR Immunization resource (vaccine code, date, lot, performer) referring to the bundle''s patient';

CREATE FUNCTION shc_fhir_observation(code text, effective date,
                                     value_code text DEFAULT NULL,
                                     value_system text DEFAULT 'http://snomed.info/sct',
                                     value_quantity numeric DEFAULT NULL,
                                     unit text DEFAULT NULL,
                                     performer text DEFAULT NULL,
                                     code_system text DEFAULT 'http://loinc.org',
                                     status text DEFAULT 'final')
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
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
    'effectiveDateTime', lpad(date_part('year', effective)::int::text, 4, '0') || '-' || lpad(date_part('month', effective)::int::text, 2, '0') || '-' || lpad(date_part('day', effective)::int::text, 2, '0'),
    'performer', CASE WHEN performer IS NOT NULL THEN
        jsonb_build_array(jsonb_build_object('display', performer)) END,
    'valueCodeableConcept', CASE WHEN value_code IS NOT NULL THEN
        jsonb_build_object('coding', jsonb_build_array(
            jsonb_build_object('system', value_system, 'code', value_code))) END,
    'valueQuantity', CASE WHEN value_quantity IS NOT NULL THEN
        jsonb_strip_nulls(jsonb_build_object('value', value_quantity, 'unit', unit)) END));
END
$$;

COMMENT ON FUNCTION shc_fhir_observation(text, date, text, text, numeric, text, text, text, text) IS
'FHIR laboratory Observation resource (LOINC code, coded or quantity value, date, performer) about the bundle''s patient';

CREATE FUNCTION shc_bundle(patient jsonb, resources jsonb[])
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
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

COMMENT ON FUNCTION shc_bundle(jsonb, jsonb[]) IS
'FHIR collection Bundle of a patient (resource:0) and resources referring to it, ready for shc_issue';

CREATE FUNCTION shc_patient(bundle jsonb,
                            OUT name text, OUT family text, OUT given text[],
                            OUT birth_date date)
RETURNS record
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
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

COMMENT ON FUNCTION shc_patient(jsonb) IS
'the first Patient of a FHIR Bundle: full name, family, given names, birth date';

CREATE FUNCTION shc_immunizations(bundle jsonb)
RETURNS TABLE (entry int, vaccine_system text, vaccine_code text, occurrence date,
               occurrence_text text, lot_number text, performer text, status text)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT (i - 1)::int,
         r->'vaccineCode'->'coding'->0->>'system',
         r->'vaccineCode'->'coding'->0->>'code',
         CASE WHEN r->>'occurrenceDateTime' ~ '^\d{4}-\d{2}-\d{2}'
              THEN make_date(substr(r->>'occurrenceDateTime', 1, 4)::int, substr(r->>'occurrenceDateTime', 6, 2)::int, substr(r->>'occurrenceDateTime', 9, 2)::int) END,
         coalesce(r->>'occurrenceDateTime', r->>'occurrenceString'),
         r->>'lotNumber',
         r->'performer'->0->'actor'->>'display',
         r->>'status'
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(bundle->'entry') = 'array'
                                   THEN bundle->'entry' ELSE '[]' END) WITH ORDINALITY AS e(x, i),
         LATERAL (SELECT x->'resource' AS r) s
   WHERE r->>'resourceType' = 'Immunization'
   ORDER BY i
$$;

COMMENT ON FUNCTION shc_immunizations(jsonb) IS
'one row per Immunization of a FHIR Bundle: vaccine system and code, date, lot, performer, status';

CREATE FUNCTION shc_observations(bundle jsonb)
RETURNS TABLE (entry int, code_system text, code text, effective date, effective_text text,
               value_system text, value_code text, value_quantity numeric, unit text,
               performer text, status text)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT (i - 1)::int,
         r->'code'->'coding'->0->>'system',
         r->'code'->'coding'->0->>'code',
         CASE WHEN r->>'effectiveDateTime' ~ '^\d{4}-\d{2}-\d{2}'
              THEN make_date(substr(r->>'effectiveDateTime', 1, 4)::int, substr(r->>'effectiveDateTime', 6, 2)::int, substr(r->>'effectiveDateTime', 9, 2)::int) END,
         r->>'effectiveDateTime',
         r->'valueCodeableConcept'->'coding'->0->>'system',
         r->'valueCodeableConcept'->'coding'->0->>'code',
         CASE WHEN jsonb_typeof(r->'valueQuantity'->'value') = 'number'
              THEN (r->'valueQuantity'->>'value')::numeric END,
         r->'valueQuantity'->>'unit',
         coalesce(r->'performer'->0->>'display', r->'performer'->0->'actor'->>'display'),
         r->>'status'
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(bundle->'entry') = 'array'
                                   THEN bundle->'entry' ELSE '[]' END) WITH ORDINALITY AS e(x, i),
         LATERAL (SELECT x->'resource' AS r) s
   WHERE r->>'resourceType' = 'Observation'
   ORDER BY i
$$;

COMMENT ON FUNCTION shc_observations(jsonb) IS
'one row per Observation of a FHIR Bundle: code, date, coded or quantity value, performer, status';

------------------------------------------------------------------------------
-- FHIR $health-cards-issue (SHC-NOTES section 9.3): the operation's logic,
-- for a server in front of the database to call.
------------------------------------------------------------------------------

CREATE FUNCTION shc_health_cards_issue(patient_bundle jsonb, parameters jsonb, key text)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = @extschema@, pg_catalog, pg_temp
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

  card := shc_issue(jsonb_build_object(
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

COMMENT ON FUNCTION shc_health_cards_issue(jsonb, jsonb, text) IS
'FHIR $health-cards-issue: a Parameters response with the card for the requested credential types, or none';
-- QR images and the printable card (SHC-NOTES section 8; src/shc_qrimg_sql.c,
-- src/shc_card_sql.c)
------------------------------------------------------------------------------

CREATE FUNCTION shc_qr_png(card text, module_px integer DEFAULT 8,
                           quiet_zone integer DEFAULT 4)
RETURNS bytea
AS 'MODULE_PATHNAME', 'shc_qr_png_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;

COMMENT ON FUNCTION shc_qr_png(text, integer, integer) IS
'PNG (1-bit grey) of the QR code of a compact JWS or shc:/ text: byte segment shc:/ + numeric segment, EC level L, smallest version, at most 22';

CREATE FUNCTION shc_qr_svg(card text, module_px integer DEFAULT 8,
                           quiet_zone integer DEFAULT 4)
RETURNS text
AS 'MODULE_PATHNAME', 'shc_qr_svg_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;

COMMENT ON FUNCTION shc_qr_svg(text, integer, integer) IS
'SVG (one path, scalable viewBox) of the QR code of a compact JWS or shc:/ text';

CREATE FUNCTION shc_qr_info(card text,
                            OUT jws_length integer, OUT numeric_length integer,
                            OUT version integer, OUT modules integer,
                            OUT fits_single_qr boolean, OUT qr_codes integer)
RETURNS record
AS 'MODULE_PATHNAME', 'shc_qr_info_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;

COMMENT ON FUNCTION shc_qr_info(text) IS
'size of the QR code of a compact JWS or shc:/ text: lengths, version and modules per side (NULL when it does not fit version 22), and the number of QR codes needed';

CREATE FUNCTION shc_card_svg(card text, title text DEFAULT 'SMART Health Card')
RETURNS text
AS 'MODULE_PATHNAME', 'shc_card_svg_sql'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 200;

COMMENT ON FUNCTION shc_card_svg(text, text) IS
'printable one-page SVG (fits A4 and Letter) of what a card contains: holder, immunizations or results, issuer, issue date, QR code; not a verification';
-- Issuer keys and card issuance (SHC-NOTES sections 2-5, 7, 9.1, 13)
------------------------------------------------------------------------------

-- The public half of every issuer key: what shc_jwks() publishes.  Readable
-- by everyone (it is published anyway); written only by the key functions,
-- which run as the extension owner.  A key is never deleted by shc: a
-- retired key stays published for the cards it signed (SHC-NOTES 5).
-- Per-key revocation data (crlVersion) is meant to be added as columns or a
-- table referencing kid.
CREATE TABLE shc_keys (
  kid        text PRIMARY KEY CHECK (kid ~ '^[A-Za-z0-9_-]{43}$'),
  iss        text NOT NULL CHECK (iss ~ '^https://[^/]' AND iss !~ '/$'),
  x          text NOT NULL CHECK (x ~ '^[A-Za-z0-9_-]{43}$'),
  y          text NOT NULL CHECK (y ~ '^[A-Za-z0-9_-]{43}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz
);
CREATE INDEX shc_keys_iss_idx ON shc_keys (iss);
COMMENT ON TABLE shc_keys IS
'issuer signing keys, public part (kid = RFC 7638 thumbprint of x, y); retired keys stay published';

-- The private scalar of each signing key.  No privilege for anyone but the
-- owner; deleted when the key is retired (SHC-NOTES 5: retired private keys
-- must be destroyed).  No CHECK constraint on d: a failing CHECK would print
-- the row, d included, in the error detail.
CREATE TABLE shc_private_keys (
  kid text PRIMARY KEY REFERENCES shc_keys (kid) ON DELETE CASCADE,
  d   text NOT NULL
);
COMMENT ON TABLE shc_private_keys IS
'private scalar d (base64url) of each active signing key; readable by the extension owner only';

REVOKE ALL ON shc_keys FROM PUBLIC;
GRANT SELECT ON shc_keys TO PUBLIC;
REVOKE ALL ON shc_private_keys FROM PUBLIC;

CREATE TRIGGER shc_keys_cache_invalidate
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON shc_keys
  FOR EACH STATEMENT EXECUTE FUNCTION shc_cache_invalidate_trigger();
CREATE TRIGGER shc_private_keys_cache_invalidate
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON shc_private_keys
  FOR EACH STATEMENT EXECUTE FUNCTION shc_cache_invalidate_trigger();

SELECT pg_catalog.pg_extension_config_dump('shc_keys', '');
SELECT pg_catalog.pg_extension_config_dump('shc_private_keys', '');

CREATE FUNCTION shc_key_create(iss text)
RETURNS text
AS 'MODULE_PATHNAME', 'shc_key_create_sql'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE COST 1000
SECURITY DEFINER SET search_path = @extschema@, pg_catalog, pg_temp;

COMMENT ON FUNCTION shc_key_create(text) IS
'generate a P-256 signing key for an issuer inside the server, store it, return its kid';

CREATE FUNCTION shc_key_import(iss text, private_jwk jsonb)
RETURNS text
AS 'MODULE_PATHNAME', 'shc_key_import_sql'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE COST 1000
SECURITY DEFINER SET search_path = @extschema@, pg_catalog, pg_temp;

COMMENT ON FUNCTION shc_key_import(text, jsonb) IS
'store a private P-256 JWK (kty EC, crv P-256, x, y, d) as a signing key of an issuer, return its kid';

CREATE FUNCTION shc_key_retire(kid text)
RETURNS void
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = @extschema@, pg_catalog, pg_temp
AS $$
BEGIN
  UPDATE shc_keys k SET retired_at = coalesce(k.retired_at, now())
   WHERE k.kid = shc_key_retire.kid;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_object',
      MESSAGE = format('signing key "%s" does not exist', shc_key_retire.kid);
  END IF;
  -- SHC-NOTES 5: a retired private key must be destroyed
  DELETE FROM shc_private_keys p WHERE p.kid = shc_key_retire.kid;
END
$$;

COMMENT ON FUNCTION shc_key_retire(text) IS
'stop signing with a key and destroy its private part; its public key stays in shc_jwks()';

-- The revocation list counter of each key that has one (SHC-NOTES 10):
-- the CRL's ctr and the JWK's crlVersion.  Written by shc_revoke() (see
-- "Issuer-side revocation" below); a key without a row has no CRL.
CREATE TABLE shc_crls (
  kid        text PRIMARY KEY REFERENCES shc_keys (kid) ON DELETE CASCADE,
  ctr        integer NOT NULL CHECK (ctr >= 1),
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE shc_crls IS
'CRL update counter (ctr = JWK crlVersion) of each key that has revocations; starts at 1, +1 on every change';

REVOKE ALL ON shc_crls FROM PUBLIC;
GRANT SELECT ON shc_crls TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('shc_crls', '');

CREATE FUNCTION shc_jwks(iss text)
RETURNS jsonb
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = @extschema@, pg_catalog, pg_temp
AS $$
  SELECT jsonb_build_object('keys', coalesce(jsonb_agg(
           jsonb_build_object('kty', 'EC', 'kid', k.kid, 'use', 'sig', 'alg', 'ES256',
                              'crv', 'P-256', 'x', k.x, 'y', k.y)
           || CASE WHEN c.ctr IS NULL THEN '{}'::jsonb
                   ELSE jsonb_build_object('crlVersion', c.ctr) END
           ORDER BY k.created_at, k.kid), '[]'::jsonb))
    FROM shc_keys k LEFT JOIN shc_crls c ON c.kid = k.kid
   WHERE k.iss = shc_jwks.iss
$$;

COMMENT ON FUNCTION shc_jwks(text) IS
'public JWK set {"keys":[...]} of an issuer, retired keys included, with crlVersion on keys that have a CRL, for <iss>/.well-known/jwks.json';

CREATE FUNCTION shc_kid(jwk jsonb)
RETURNS text
AS 'MODULE_PATHNAME', 'shc_kid_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;

COMMENT ON FUNCTION shc_kid(jsonb) IS
'RFC 7638 thumbprint (the SMART Health Card kid) of a P-256 JWK; the point is checked to be on the curve';

CREATE FUNCTION shc_minimize(bundle jsonb)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'shc_minimize_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION shc_minimize(jsonb) IS
'FHIR Bundle minimized for a QR code: no ids, meta (but meta.security), narrative, CodeableConcept.text, Coding.display; resource:N references';

CREATE FUNCTION shc_issue(bundle jsonb, key text,
                          nbf timestamptz DEFAULT now(),
                          exp timestamptz DEFAULT NULL,
                          rid text DEFAULT NULL,
                          minimize boolean DEFAULT true)
RETURNS text
AS 'MODULE_PATHNAME', 'shc_issue_kid_sql'
LANGUAGE C VOLATILE PARALLEL RESTRICTED COST 1000
SECURITY DEFINER SET search_path = @extschema@, pg_catalog, pg_temp;

COMMENT ON FUNCTION shc_issue(jsonb, text, timestamptz, timestamptz, text, boolean) IS
'SMART Health Card (compact JWS) of a FHIR Bundle, signed with the stored key whose kid is given';

CREATE FUNCTION shc_issue(bundle jsonb, private_jwk jsonb, iss text,
                          nbf timestamptz DEFAULT now(),
                          exp timestamptz DEFAULT NULL,
                          rid text DEFAULT NULL,
                          minimize boolean DEFAULT true)
RETURNS text
AS 'MODULE_PATHNAME', 'shc_issue_jwk_sql'
LANGUAGE C VOLATILE PARALLEL SAFE COST 1000;

COMMENT ON FUNCTION shc_issue(jsonb, jsonb, text, timestamptz, timestamptz, text, boolean) IS
'SMART Health Card (compact JWS) of a FHIR Bundle, signed with the given private JWK for the given issuer';

REVOKE EXECUTE ON FUNCTION shc_key_create(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION shc_key_import(text, jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION shc_key_retire(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION shc_issue(jsonb, text, timestamptz, timestamptz, text, boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION shc_issue(jsonb, jsonb, text, timestamptz, timestamptz, text, boolean) FROM PUBLIC;

CREATE FUNCTION shc_file(cards text[])
RETURNS jsonb
AS 'MODULE_PATHNAME', 'shc_file_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION shc_file(text[]) IS
'.smart-health-card file body {"verifiableCredential":[...]} of one or more compact JWS';
-- Trust store and verification (SHC-NOTES sections 2-6, 10-12)
------------------------------------------------------------------------------

-- The verifier's offline trust store.  The database never fetches a URL:
-- an administrator loads each issuer's JWKS and CRLs with shc_trust() and
-- shc_trust_crl().  Public data only; readable by everyone, changed only
-- by the owner or roles granted INSERT/UPDATE/DELETE.
CREATE TABLE shc_trusted_issuer (
	iss text PRIMARY KEY
		CHECK (iss ~ '^https://[^/]' AND iss !~ '/$'),
	name text,
	added_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE shc_trusted_issuer IS
'issuers whose cards shc_verify() accepts (SHC-NOTES 12 step 7); fill with shc_trust()';

CREATE TABLE shc_trusted_key (
	iss text NOT NULL REFERENCES shc_trusted_issuer (iss) ON DELETE CASCADE,
	kid text NOT NULL CHECK (kid ~ '^[A-Za-z0-9_-]{43}$'),
	jwk jsonb NOT NULL CHECK (NOT jwk ? 'd'),
	crl_version integer CHECK (crl_version >= 1),
	added_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (iss, kid)
);

CREATE INDEX shc_trusted_key_kid ON shc_trusted_key (kid);

COMMENT ON TABLE shc_trusted_key IS
'public ES256 keys bound to (iss, kid); crl_version is the JWK''s crlVersion (SHC-NOTES 5, 10)';

CREATE TABLE shc_trusted_crl (
	iss text NOT NULL,
	kid text NOT NULL,
	method text NOT NULL CHECK (method = 'rid'),
	ctr integer NOT NULL CHECK (ctr >= 1),
	rids text[] NOT NULL,
	loaded_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (iss, kid),
	FOREIGN KEY (iss, kid) REFERENCES shc_trusted_key (iss, kid) ON DELETE CASCADE
);

COMMENT ON TABLE shc_trusted_crl IS
'revocation list of one trusted key: rids, each optionally "<rid>.<NumericDate>" (SHC-NOTES 10)';

SELECT pg_catalog.pg_extension_config_dump('shc_trusted_issuer', '');
SELECT pg_catalog.pg_extension_config_dump('shc_trusted_key', '');
SELECT pg_catalog.pg_extension_config_dump('shc_trusted_crl', '');

CREATE TRIGGER shc_trusted_issuer_cache
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON shc_trusted_issuer
	FOR EACH STATEMENT EXECUTE FUNCTION shc_cache_invalidate_trigger();
CREATE TRIGGER shc_trusted_key_cache
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON shc_trusted_key
	FOR EACH STATEMENT EXECUTE FUNCTION shc_cache_invalidate_trigger();
CREATE TRIGGER shc_trusted_crl_cache
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON shc_trusted_crl
	FOR EACH STATEMENT EXECUTE FUNCTION shc_cache_invalidate_trigger();

REVOKE ALL ON shc_trusted_issuer, shc_trusted_key, shc_trusted_crl FROM PUBLIC;
GRANT SELECT ON shc_trusted_issuer, shc_trusted_key, shc_trusted_crl TO PUBLIC;

CREATE FUNCTION shc_trust(iss text, jwks jsonb, name text DEFAULT NULL)
RETURNS integer
AS 'MODULE_PATHNAME', 'shc_trust_sql'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE COST 1000;

COMMENT ON FUNCTION shc_trust(text, jsonb, text) IS
'trust an issuer and exactly the usable ES256 keys of its JWKS (replacing its previous keys); returns the number of keys trusted';

CREATE FUNCTION shc_trust_crl(iss text, crl jsonb)
RETURNS integer
AS 'MODULE_PATHNAME', 'shc_trust_crl_sql'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;

COMMENT ON FUNCTION shc_trust_crl(text, jsonb) IS
'load or replace the revocation list of one trusted key of an issuer; returns the number of revoked rids';

CREATE FUNCTION shc_untrust(iss text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'shc_untrust_sql'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;

COMMENT ON FUNCTION shc_untrust(text) IS
'remove an issuer with its keys and revocation lists from the trust store; false when it was not trusted';

CREATE FUNCTION shc_trust_directory(directory jsonb)
RETURNS integer
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = @extschema@, pg_catalog, pg_temp
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
  IF jsonb_typeof(directory) <> 'object'
     OR jsonb_typeof(directory->'participating_issuers') IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'invalid issuer directory',
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
        MESSAGE = 'invalid issuer directory',
        DETAIL = format('Entry %s of "participating_issuers" has no "iss".', i);
    END IF;
    IF entry_keys IS NULL THEN
      RAISE NOTICE 'issuer "%" carries no keys in the directory and was not loaded', left(entry_iss, 200)
        USING HINT = 'Load its JWKS with shc_trust().';
      CONTINUE;
    END IF;
    PERFORM shc_trust(entry_iss, jsonb_build_object('keys', entry_keys), entry_name);
    IF jsonb_typeof(e->'crls') = 'array' THEN
      FOR c IN SELECT * FROM jsonb_array_elements(e->'crls') LOOP
        PERFORM shc_trust_crl(entry_iss, c);
      END LOOP;
    END IF;
    n := n + 1;
  END LOOP;
  RETURN n;
END
$$;

COMMENT ON FUNCTION shc_trust_directory(jsonb) IS
'trust every issuer of a directory ({"participating_issuers":[...]}) that carries its keys (and CRLs); returns the number of issuers loaded';

CREATE TYPE shc_verification AS (
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
	bundle jsonb
);

COMMENT ON TYPE shc_verification IS
'result of shc_verify(): status is valid, malformed, bad_signature, unknown_issuer, unknown_key, expired, not_yet_valid or revoked';

CREATE FUNCTION shc_verify(card text, at timestamptz DEFAULT now())
RETURNS shc_verification
AS 'MODULE_PATHNAME', 'shc_verify_sql'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 2000;

COMMENT ON FUNCTION shc_verify(text, timestamptz) IS
'verify a compact JWS or shc:/ text against the trust store at a time; never raises for a bad card';

CREATE FUNCTION shc_verify_file(file jsonb, at timestamptz DEFAULT now())
RETURNS SETOF shc_verification
AS 'MODULE_PATHNAME', 'shc_verify_file_sql'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 2000 ROWS 1;

COMMENT ON FUNCTION shc_verify_file(jsonb, timestamptz) IS
'shc_verify() over each card of a .smart-health-card file, in order; a malformed file gives one malformed row';

CREATE FUNCTION shc_decode(card text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'shc_decode_sql'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;

COMMENT ON FUNCTION shc_decode(text) IS
'header and decompressed payload of a compact JWS or shc:/ text, with no trust decision; raises on malformed input';

CREATE FUNCTION shc_file_cards(file jsonb)
RETURNS SETOF text
AS 'MODULE_PATHNAME', 'shc_file_cards_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1;

COMMENT ON FUNCTION shc_file_cards(jsonb) IS
'the compact JWS strings of a .smart-health-card file, in order; raises when the file is malformed';

------------------------------------------------------------------------------
-- Issuing from relational rows: the trigger a DBA attaches with one
-- CREATE TRIGGER.  Not SECURITY DEFINER and no pinned search_path: the
-- bundle function and the cards table are the DBA's, resolved as the
-- inserting role sees them; the inserting role needs EXECUTE on shc_issue.
------------------------------------------------------------------------------

CREATE FUNCTION shc_issue_trigger()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
AS $$
DECLARE
  key text;
  fn regproc;
  cards regclass;
  with_rid boolean := false;
  row jsonb := to_jsonb(NEW);
  bundle jsonb;
  card text;
  rid text;
  issued timestamptz := now();
BEGIN
  IF TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'ROW' OR TG_OP NOT IN ('INSERT', 'UPDATE') THEN
    RAISE EXCEPTION USING ERRCODE = 'trigger_protocol_violated',
      MESSAGE = 'shc_issue_trigger() must be an AFTER INSERT or UPDATE trigger FOR EACH ROW';
  END IF;
  IF TG_NARGS NOT IN (3, 4) THEN
    RAISE EXCEPTION USING ERRCODE = 'trigger_protocol_violated',
      MESSAGE = 'shc_issue_trigger() takes three or four arguments',
      HINT = 'EXECUTE FUNCTION shc_issue_trigger(''<kid or issuer URL>'', ''<bundle function>'', ''<cards table>'' [, ''rid''])';
  END IF;
  IF NOT row ? 'patient_id' THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_column',
      MESSAGE = format('table %s has no column "patient_id"', TG_TABLE_NAME::regclass);
  END IF;
  key := TG_ARGV[0];
  fn := TG_ARGV[1]::regproc;
  cards := TG_ARGV[2]::regclass;
  IF TG_NARGS = 4 THEN
    IF TG_ARGV[3] <> 'rid' THEN
      RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
        MESSAGE = format('invalid fourth argument "%s" of shc_issue_trigger()', TG_ARGV[3]),
        HINT = 'The only option is ''rid'': give each card the revocation id of its patient.';
    END IF;
    with_rid := true;
  END IF;
  -- an issuer URL stands for its newest key that is not retired
  IF key LIKE 'https://%' THEN
    SELECT k.kid INTO key FROM @extschema@.shc_keys k
     WHERE k.iss = TG_ARGV[0] AND k.retired_at IS NULL
     ORDER BY k.created_at DESC, k.kid LIMIT 1;
    IF key IS NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'undefined_object',
        MESSAGE = format('issuer "%s" has no signing key', TG_ARGV[0]);
    END IF;
  END IF;

  EXECUTE format('SELECT %s(($1).patient_id)', fn) USING NEW INTO bundle;
  IF bundle IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
      MESSAGE = format('%s returned no bundle for patient %s', fn, row->>'patient_id');
  END IF;
  IF with_rid THEN
    rid := @extschema@.shc_rid(key, row->>'patient_id');
  END IF;
  card := @extschema@.shc_issue(bundle, key, nbf => issued, rid => rid);
  EXECUTE format('INSERT INTO %s (patient_id, source, card, kid, rid, issued_at) '
                 'VALUES (($1).patient_id, $2, $3, $4, $5, $6)', cards)
    USING NEW, TG_TABLE_NAME::text, card, key, rid, issued;
  RETURN NULL;
END
$$;

COMMENT ON FUNCTION shc_issue_trigger() IS
'row trigger: issue a new card for the row''s patient_id from a bundle function and store it in a cards table';
-- Issuer-side revocation (SHC-NOTES section 10; src/shc_revoke.c)
------------------------------------------------------------------------------

-- The rid secrets of each issuer, public part: which versions exist and
-- which one is current (retired_at IS NULL; at most one per issuer).
-- Secrets are never deleted: a retired one still computes the rids of the
-- cards issued under it (SHC-NOTES 10).
CREATE TABLE shc_rid_secrets (
  iss        text NOT NULL CHECK (iss ~ '^https://[^/]' AND iss !~ '/$'),
  version    integer NOT NULL CHECK (version >= 1),
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz,
  PRIMARY KEY (iss, version)
);
CREATE UNIQUE INDEX shc_rid_secrets_current_idx ON shc_rid_secrets (iss)
  WHERE retired_at IS NULL;
COMMENT ON TABLE shc_rid_secrets IS
'versions of each issuer''s rid HMAC secret; the one with retired_at NULL is current; retired ones are kept';

-- The secret texts.  No privilege for anyone but the owner; no constraint
-- or index on secret (a violation would print it in the error detail).
CREATE TABLE shc_private_rid_secrets (
  iss     text NOT NULL,
  version integer NOT NULL,
  secret  text NOT NULL,
  PRIMARY KEY (iss, version),
  FOREIGN KEY (iss, version) REFERENCES shc_rid_secrets (iss, version) ON DELETE CASCADE
);
COMMENT ON TABLE shc_private_rid_secrets IS
'rid HMAC secret text (base64url, used as text) of each version; readable by the extension owner only';

-- The revocation list of each key: one row per rid.  before NULL revokes
-- every card of the key with that rid, otherwise the cards whose nbf is
-- before it (a whole second: the CRL entry "rid.<seconds>").
CREATE TABLE shc_revocations (
  kid        text NOT NULL REFERENCES shc_keys (kid) ON DELETE CASCADE,
  rid        text NOT NULL CHECK (rid ~ '^[A-Za-z0-9_-]{1,24}$'),
  before     timestamptz CHECK (isfinite(before) AND before > '1970-01-01 00:00:00+00'
                                AND date_trunc('second', before) = before),
  revoked_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kid, rid)
);
COMMENT ON TABLE shc_revocations IS
'revoked rids of each key (shc_revoke()); published by shc_crl()';

REVOKE ALL ON shc_rid_secrets FROM PUBLIC;
GRANT SELECT ON shc_rid_secrets TO PUBLIC;
REVOKE ALL ON shc_private_rid_secrets FROM PUBLIC;
REVOKE ALL ON shc_revocations FROM PUBLIC;
GRANT SELECT ON shc_revocations TO PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('shc_rid_secrets', '');
SELECT pg_catalog.pg_extension_config_dump('shc_private_rid_secrets', '');
SELECT pg_catalog.pg_extension_config_dump('shc_revocations', '');

CREATE FUNCTION shc_rid_secret_create(iss text)
RETURNS integer
AS 'MODULE_PATHNAME', 'shc_rid_secret_create_sql'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE COST 100
SECURITY DEFINER SET search_path = @extschema@, pg_catalog, pg_temp;

COMMENT ON FUNCTION shc_rid_secret_create(text) IS
'generate a 256-bit rid secret for an issuer inside the server and make it current (the previous one is retired, kept); returns its version';

CREATE FUNCTION shc_rid_secret_import(iss text, secret text)
RETURNS integer
AS 'MODULE_PATHNAME', 'shc_rid_secret_import_sql'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE COST 100
SECURITY DEFINER SET search_path = @extschema@, pg_catalog, pg_temp;

COMMENT ON FUNCTION shc_rid_secret_import(text, text) IS
'store a rid secret made elsewhere (43 to 256 base64url characters, used as text) as an issuer''s current one; returns its version';

CREATE FUNCTION shc_rid(kid text, subject text, secret_version integer DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'shc_rid_sql'
LANGUAGE C STABLE PARALLEL SAFE COST 100
SECURITY DEFINER SET search_path = @extschema@, pg_catalog, pg_temp;

COMMENT ON FUNCTION shc_rid(text, text, integer) IS
'revocation identifier of a subject (user id) for cards signed with kid: base64url of the first 8 bytes of HMAC-SHA-256(secret || kid, subject), with the issuer''s current rid secret or the given version';

CREATE FUNCTION shc_revoke(kid text, rid text, before timestamptz DEFAULT NULL)
RETURNS integer
AS 'MODULE_PATHNAME', 'shc_revoke_sql'
LANGUAGE C VOLATILE PARALLEL UNSAFE
SECURITY DEFINER SET search_path = @extschema@, pg_catalog, pg_temp;

COMMENT ON FUNCTION shc_revoke(text, text, timestamptz) IS
'revoke the cards of a key with a rid: all of them, or those with nbf before a time (rounded up to a second); returns the key''s new CRL counter';

CREATE FUNCTION shc_crl(kid text)
RETURNS jsonb
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = @extschema@, pg_catalog, pg_temp
AS $$
DECLARE
  n integer;
  doc jsonb;
BEGIN
  SELECT c.ctr INTO n FROM shc_crls c WHERE c.kid = shc_crl.kid;
  IF n IS NULL THEN
    IF NOT EXISTS (SELECT 1 FROM shc_keys k WHERE k.kid = shc_crl.kid) THEN
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
    FROM shc_revocations r
   WHERE r.kid = shc_crl.kid;
  RETURN doc;
END
$$;

COMMENT ON FUNCTION shc_crl(text) IS
'revocation list {"kid","method":"rid","ctr","rids":[...]} of a key for <iss>/.well-known/crl/<kid>.json; NULL for a key that has never had a revocation';

REVOKE EXECUTE ON FUNCTION shc_rid_secret_create(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION shc_rid_secret_import(text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION shc_rid(text, text, integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION shc_revoke(text, text, timestamptz) FROM PUBLIC;
