-- shc_minimize: the QR minimization rules of SHC-NOTES section 7, one at a
-- time, then a bundle that exercises all of them, idempotence, and every
-- error a user can cause.
\pset format unaligned

-- Resource.id goes (Bundle.id too); a contained resource keeps its id,
-- the target of its "#id" local reference, which is left alone
SELECT shc_minimize('{"resourceType":"Bundle","id":"b1","type":"collection","entry":[
  {"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient","id":"p1",
   "contained":[{"resourceType":"Organization","id":"org","name":"X"}],
   "managingOrganization":{"reference":"#org"}}}]}');

-- meta goes, except meta.security, which is kept alone
SELECT shc_minimize('{"resourceType":"Bundle","meta":{"lastUpdated":"2021-01-01"},"entry":[
  {"resource":{"resourceType":"Immunization","meta":{"versionId":"3",
     "security":[{"system":"https://smarthealth.cards/ial","code":"IAL1.2","display":"IAL 1.2"}]}}},
  {"resource":{"resourceType":"Patient","meta":{"versionId":"1"}}}]}');

-- narrative text goes; so do CodeableConcept.text and Coding.display
-- (in a coding array, or any object with system and code); a
-- Reference.display and a text-only element stay
SELECT shc_minimize('{"resourceType":"Bundle","entry":[{"fullUrl":"urn:uuid:p","resource":{
  "resourceType":"Observation","text":{"status":"generated","div":"<div>x</div>"},
  "code":{"coding":[{"system":"http://loinc.org","code":"1-8","display":"One"},{"code":"x","display":"X"}],"text":"One"},
  "valueCoding":{"system":"http://snomed.info/sct","code":"260385009","display":"Negative"},
  "note":[{"text":"kept: an Annotation, not a CodeableConcept"}],
  "subject":{"reference":"urn:uuid:p","display":"kept"}}}]}');

-- fullUrl becomes resource:N; references by fullUrl, by ResourceType/id
-- and by the last two segments of an absolute fullUrl are rewritten
SELECT shc_minimize('{"resourceType":"Bundle","type":"collection","entry":[
  {"fullUrl":"https://example.org/fhir/Patient/7","resource":{"resourceType":"Patient"}},
  {"fullUrl":"urn:uuid:aa","resource":{"resourceType":"Practitioner","id":"dr"}},
  {"resource":{"resourceType":"Immunization","id":"i",
     "patient":{"reference":"Patient/7"},
     "performer":[{"actor":{"reference":"Practitioner/dr"}},{"actor":{"reference":"urn:uuid:aa"}},
                  {"actor":{"reference":"https://example.org/fhir/Patient/7"}}]}}]}');

-- a bundle without entries, and one already minimized: unchanged
SELECT shc_minimize('{"resourceType":"Bundle","type":"collection"}');
SELECT shc_minimize('{"resourceType":"Bundle","entry":[{"fullUrl":"resource:0","resource":{"resourceType":"Patient"}},
  {"fullUrl":"resource:1","resource":{"resourceType":"Immunization","patient":{"reference":"resource:0"}}}]}');

-- idempotent: minimizing twice is minimizing once
WITH b(v) AS (VALUES ('{"resourceType":"Bundle","id":"x","entry":[
  {"fullUrl":"http://a.example/Patient/1","resource":{"resourceType":"Patient","id":"1","meta":{"security":[{"code":"IAL1.2"}],"tag":[]}}},
  {"fullUrl":"urn:uuid:2","resource":{"resourceType":"Immunization","patient":{"reference":"Patient/1"},
   "vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"207","display":"Moderna"}],"text":"Moderna"}}}]}'::jsonb))
SELECT shc_minimize(shc_minimize(v)) = shc_minimize(v) AS idempotent, shc_minimize(v) <> v AS changed FROM b;

-- errors: not an object, not a Bundle, malformed entries, a dangling or
-- ambiguous reference
SELECT * FROM regress_error($$SELECT shc_minimize('[]')$$);
SELECT * FROM regress_error($$SELECT shc_minimize('"Bundle"')$$);
SELECT * FROM regress_error($$SELECT shc_minimize('{"type":"collection"}')$$);
SELECT * FROM regress_error($$SELECT shc_minimize('{"resourceType":"Patient"}')$$);
SELECT * FROM regress_error($$SELECT shc_minimize('{"resourceType":"Bundle","entry":{}}')$$);
SELECT * FROM regress_error($$SELECT shc_minimize('{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient"}}, 3]}')$$);
SELECT * FROM regress_error($$SELECT shc_minimize('{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient"}},
  {"resource":{"resourceType":"Immunization","patient":{"reference":"Patient/missing"}}}]}')$$);
SELECT * FROM regress_error($$SELECT shc_minimize('{"resourceType":"Bundle","identifier":{"assigner":{"reference":"Organization/o"}}}')$$);
SELECT * FROM regress_error($$SELECT shc_minimize('{"resourceType":"Bundle","entry":[{"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient"}},
  {"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient"}}]}')$$);
SELECT * FROM regress_error(format($$SELECT shc_minimize('{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient","link":[{"other":{"reference":"%s"}}]}}]}')$$, repeat('x', 150)));

\pset format aligned
SELECT shc_minimize(NULL) IS NULL AS strict;
