-- Conformance: shc_health_cards_issue against the spec's OperationDefinition
-- Patient-i-health-cards-issue (vectors/spec-artifacts): every "in"
-- parameter is accepted, every response parameter and resourceLink part
-- is one the definition declares, with the declared value type, and the
-- cardinalities hold.  Runs only when ../shared/vectors is present.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
BEGIN;
CREATE EXTENSION shc;
SELECT plan(9);
SET client_min_messages = warning;

\set opdef `cat "$SHC_VECTORS/spec-artifacts/operation-patient-i-health-cards-issue.json"`
CREATE TEMP TABLE opdef AS SELECT :'opdef'::jsonb AS d;
CREATE TEMP TABLE params AS
  SELECT p->>'name' AS name, p->>'use' AS use, p->>'type' AS type, (p->>'min')::int AS min, p->>'max' AS max, p->'part' AS part
    FROM opdef, jsonb_array_elements(d->'parameter') p;

SELECT is((SELECT d->>'code' FROM opdef) || '/' || (SELECT d->>'instance' FROM opdef), 'health-cards-issue/true',
          'the definition is the instance-level health-cards-issue operation');

SELECT shc_key_create('https://hci-conf.example.org/issuer') AS kid \gset
CREATE TEMP TABLE pb AS SELECT shc_bundle(
  shc_fhir_patient('Anyperson', ARRAY['Jane'], '1961-02-03'),
  ARRAY[shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '207', '2021-01-01', 'A1', 'Clinic')]) AS b;
UPDATE pb SET b = jsonb_set(b, '{entry,1,fullUrl}', '"https://fhir.example.org/Immunization/1"');

-- a request that uses every "in" parameter the definition declares, with its declared type
CREATE TEMP TABLE req AS
  SELECT jsonb_build_object('resourceType', 'Parameters', 'parameter', jsonb_agg(
           jsonb_build_object('name', name,
             CASE type WHEN 'uri' THEN 'valueUri' WHEN 'string' THEN 'valueString'
                       WHEN 'dateTime' THEN 'valueDateTime' END,
             CASE name WHEN 'credentialType' THEN 'Immunization'
                       WHEN 'credentialValueSet' THEN 'https://terminology.smarthealth.cards/ValueSet/immunization-all'
                       WHEN 'includeIdentityClaim' THEN 'Patient.name'
                       WHEN '_since' THEN '2020-01-01' END))) AS r
    FROM params WHERE use = 'in';
SELECT is((SELECT count(*)::int FROM req, jsonb_array_elements(r->'parameter')), 4,
          'the definition has four input parameters');
SELECT lives_ok(format('SELECT shc_health_cards_issue(%L, %L, %L)', (SELECT b FROM pb), (SELECT r FROM req), :'kid'),
                'a request using every input parameter of the definition is accepted');
CREATE TEMP TABLE resp AS SELECT shc_health_cards_issue((SELECT b FROM pb), (SELECT r FROM req), :'kid') AS r;

SELECT is((SELECT r->>'resourceType' FROM resp), 'Parameters', 'the response is a Parameters resource');
SELECT is((SELECT count(*)::int FROM resp, jsonb_array_elements(r->'parameter') p
            WHERE NOT EXISTS (SELECT 1 FROM params WHERE use = 'out' AND name = p->>'name')), 0,
          'every response parameter is an "out" parameter of the definition');
SELECT is((SELECT count(*)::int FROM resp, jsonb_array_elements(r->'parameter') p
            WHERE p->>'name' = 'verifiableCredential' AND jsonb_typeof(p->'valueString') = 'string'), 1,
          'verifiableCredential carries its declared type (valueString)');
SELECT is((SELECT array_agg(x->>'name' ORDER BY x->>'name') FROM resp, jsonb_array_elements(r->'parameter') p,
                  jsonb_array_elements(p->'part') x WHERE p->>'name' = 'resourceLink'),
          (SELECT array_agg(x->>'name' ORDER BY x->>'name') FROM params, jsonb_array_elements(part) x WHERE name = 'resourceLink'),
          'resourceLink has exactly the declared parts');
SELECT is((SELECT count(*)::int FROM resp, jsonb_array_elements(r->'parameter') p, jsonb_array_elements(p->'part') x,
                  params d, jsonb_array_elements(d.part) dp
            WHERE p->>'name' = 'resourceLink' AND d.name = 'resourceLink' AND dp->>'name' = x->>'name'
              AND NOT x ? ('value' || upper(left(dp->>'type', 1)) || substr(dp->>'type', 2))), 0,
          'each resourceLink part carries its declared value type');
-- no result: no parameter element at all (min 0 for every out parameter)
SELECT is(shc_health_cards_issue((SELECT b FROM pb),
            '{"resourceType":"Parameters","parameter":[{"name":"credentialType","valueUri":"Observation"}]}', :'kid'),
          '{"resourceType":"Parameters"}'::jsonb, 'no match gives a Parameters resource without parameter');

SELECT * FROM finish();
ROLLBACK;
