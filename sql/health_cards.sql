-- $health-cards-issue (SHC-NOTES 9.3): credentialType (with the legacy
-- mappings), _since, credentialValueSet (ignored with a notice),
-- includeIdentityClaim, resourceLink, the empty result, bad Parameters.
SELECT shc_key_create('https://hci.example.org/issuer') AS kid \gset
SELECT shc_trust('https://hci.example.org/issuer', shc_jwks('https://hci.example.org/issuer'), 'HCI test issuer');

-- the patient's data as a FHIR server holds it: full URLs, Patient/1 references
CREATE TEMP TABLE pb AS SELECT $${
  "resourceType": "Bundle", "type": "searchset",
  "entry": [
    {"fullUrl": "https://fhir.example.org/Patient/1",
     "resource": {"resourceType": "Patient", "id": "1", "name": [{"family": "Anyperson", "given": ["Jane"]}],
                  "birthDate": "1961-02-03", "telecom": [{"system": "phone", "value": "555-0100"}]}},
    {"fullUrl": "https://fhir.example.org/Immunization/11",
     "resource": {"resourceType": "Immunization", "id": "11", "status": "completed",
                  "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "207", "display": "Moderna"}]},
                  "patient": {"reference": "Patient/1"}, "occurrenceDateTime": "2021-01-01", "lotNumber": "A1"}},
    {"fullUrl": "https://fhir.example.org/Immunization/12",
     "resource": {"resourceType": "Immunization", "id": "12", "status": "completed",
                  "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "207"}]},
                  "patient": {"reference": "Patient/1"}, "occurrenceDateTime": "2021-03-15", "lotNumber": "A2"}},
    {"fullUrl": "https://fhir.example.org/Observation/21",
     "resource": {"resourceType": "Observation", "id": "21", "status": "final",
                  "code": {"coding": [{"system": "http://loinc.org", "code": "94558-4"}]},
                  "subject": {"reference": "Patient/1"}, "effectiveDateTime": "2021-02-17",
                  "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "260385009"}]}}}
  ]}$$::jsonb AS b;

-- shows a response without its JWS: the parameter names, the card's
-- verification and content, and the resource links
CREATE FUNCTION pg_temp.show(resp jsonb)
RETURNS TABLE (item text)
LANGUAGE sql AS $$
  SELECT 'parameters: ' || coalesce((SELECT string_agg(p->>'name', ', ') FROM jsonb_array_elements(resp->'parameter') p), '(none)')
  UNION ALL
  SELECT 'card: ' || v.status || ', ' || (SELECT count(*) FROM shc_immunizations(v.bundle)) || ' immunizations, '
         || (SELECT count(*) FROM shc_observations(v.bundle)) || ' observations, patient '
         || (shc_patient(v.bundle)).name || coalesce(' born ' || (v.bundle->'entry'->0->'resource'->>'birthDate'), '')
    FROM jsonb_array_elements(resp->'parameter') p, shc_verify(p->>'valueString') v
   WHERE p->>'name' = 'verifiableCredential'
  UNION ALL
  SELECT 'link: vc ' || (l->'part'->0->>'valueInteger') || ' ' || (l->'part'->1->>'valueUri') || ' -> ' || (l->'part'->2->>'valueUri')
    FROM jsonb_array_elements(resp->'parameter') l WHERE l->>'name' = 'resourceLink'
$$;

-- Immunization only
SELECT pg_temp.show(shc_health_cards_issue(b, '{"resourceType":"Parameters","parameter":[{"name":"credentialType","valueUri":"Immunization"}]}', :'kid')) FROM pb;
-- Observation only
SELECT pg_temp.show(shc_health_cards_issue(b, '{"resourceType":"Parameters","parameter":[{"name":"credentialType","valueUri":"Observation"}]}', :'kid')) FROM pb;
-- both (AND): one card holding both
SELECT pg_temp.show(shc_health_cards_issue(b, '{"resourceType":"Parameters","parameter":[{"name":"credentialType","valueUri":"Immunization"},{"name":"credentialType","valueUri":"Observation"}]}', :'kid')) FROM pb;
-- _since: only data since March 2021
SELECT pg_temp.show(shc_health_cards_issue(b, '{"resourceType":"Parameters","parameter":[{"name":"credentialType","valueUri":"Immunization"},{"name":"_since","valueDateTime":"2021-03"}]}', :'kid')) FROM pb;
-- legacy type URIs
SELECT pg_temp.show(shc_health_cards_issue(b, '{"resourceType":"Parameters","parameter":[{"name":"credentialType","valueUri":"https://smarthealth.cards#immunization"}]}', :'kid')) FROM pb;
SELECT pg_temp.show(shc_health_cards_issue(b, '{"resourceType":"Parameters","parameter":[{"name":"credentialType","valueUri":"https://smarthealth.cards#laboratory"}]}', :'kid')) FROM pb;
-- no match: the empty Parameters
SELECT shc_health_cards_issue(b, '{"resourceType":"Parameters","parameter":[{"name":"credentialType","valueUri":"Observation"},{"name":"_since","valueDateTime":"2022"}]}', :'kid') FROM pb;
SELECT shc_health_cards_issue(b, '{"resourceType":"Parameters","parameter":[{"name":"credentialType","valueUri":"Immunization"},{"name":"credentialType","valueUri":"DiagnosticReport"}]}', :'kid') FROM pb;
-- credentialValueSet is ignored, with a notice
SELECT pg_temp.show(shc_health_cards_issue(b, '{"resourceType":"Parameters","parameter":[{"name":"credentialType","valueUri":"Immunization"},{"name":"credentialValueSet","valueUri":"https://terminology.smarthealth.cards/ValueSet/immunization-covid-all"}]}', :'kid')) FROM pb;
-- includeIdentityClaim limits the patient's elements
SELECT (shc_verify(p->>'valueString')).status,
       (SELECT jsonb_object_keys((shc_verify(p->>'valueString')).bundle->'entry'->0->'resource') ORDER BY 1 LIMIT 1) AS first_key,
       (shc_verify(p->>'valueString')).bundle->'entry'->0->'resource' ? 'birthDate' AS has_birth_date
  FROM pb, jsonb_array_elements(shc_health_cards_issue(b, '{"resourceType":"Parameters","parameter":[{"name":"credentialType","valueUri":"Immunization"},{"name":"includeIdentityClaim","valueString":"Patient.name"}]}', :'kid')->'parameter') p
 WHERE p->>'name' = 'verifiableCredential';
-- the card's bundle is minimized (SHC-NOTES 7): no ids, no display, resource:N references
SELECT (shc_verify(p->>'valueString')).bundle->'entry'->1 AS first_immunization_entry
  FROM pb, jsonb_array_elements(shc_health_cards_issue(b, '{"resourceType":"Parameters","parameter":[{"name":"credentialType","valueUri":"Immunization"}]}', :'kid')->'parameter') p
 WHERE p->>'name' = 'verifiableCredential';

-- bad Parameters
\pset format unaligned
SELECT * FROM regress_error($$SELECT shc_health_cards_issue((SELECT b FROM pb), '{"resourceType":"Bundle"}', 'x')$$);
SELECT * FROM regress_error($$SELECT shc_health_cards_issue((SELECT b FROM pb), '[]', 'x')$$);
SELECT * FROM regress_error($$SELECT shc_health_cards_issue((SELECT b FROM pb), '{"resourceType":"Parameters","parameter":{}}', 'x')$$);
SELECT * FROM regress_error($$SELECT shc_health_cards_issue((SELECT b FROM pb), '{"resourceType":"Parameters"}', 'x')$$);
SELECT * FROM regress_error($$SELECT shc_health_cards_issue((SELECT b FROM pb), '{"resourceType":"Parameters","parameter":[{"name":"credentialType"}]}', 'x')$$);
SELECT * FROM regress_error($$SELECT shc_health_cards_issue((SELECT b FROM pb), '{"resourceType":"Parameters","parameter":[{"name":"credentialType","valueUri":"https://smarthealth.cards#covid19"}]}', 'x')$$);
SELECT * FROM regress_error($$SELECT shc_health_cards_issue((SELECT b FROM pb), '{"resourceType":"Parameters","parameter":[{"name":"credentialType","valueUri":"Immunization"},{"name":"_since","valueDateTime":"last week"}]}', 'x')$$);
SELECT * FROM regress_error($$SELECT shc_health_cards_issue((SELECT b FROM pb), '{"resourceType":"Parameters","parameter":[{"name":"credentialType","valueUri":"Immunization"},{"name":"includeIdentityClaim","valueString":"name"}]}', 'x')$$);
SELECT * FROM regress_error($$SELECT shc_health_cards_issue((SELECT b FROM pb), '{"resourceType":"Parameters","parameter":[{"name":"credentialTypo","valueUri":"Immunization"}]}', 'x')$$);
SELECT * FROM regress_error($$SELECT shc_health_cards_issue('{"resourceType":"Patient"}', '{"resourceType":"Parameters","parameter":[{"name":"credentialType","valueUri":"Immunization"}]}', 'x')$$);
SELECT * FROM regress_error($$SELECT shc_health_cards_issue('{"resourceType":"Bundle","entry":[]}', '{"resourceType":"Parameters","parameter":[{"name":"credentialType","valueUri":"Immunization"}]}', 'x')$$);
-- an unknown key is shc_issue's error
SELECT * FROM regress_error($$SELECT shc_health_cards_issue((SELECT b FROM pb), '{"resourceType":"Parameters","parameter":[{"name":"credentialType","valueUri":"Immunization"}]}', 'no-such-kid')$$);
SELECT shc_health_cards_issue(NULL, '{}', 'x') IS NULL AS strict;
\pset format aligned
SELECT shc_untrust('https://hci.example.org/issuer');
