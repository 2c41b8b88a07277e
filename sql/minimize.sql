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

-- shc_issue minimizes and writes the compact JSON in one pass
-- (shc_minimize_write).  A test hook in the module, bound here only, returns
-- that text; for each bundle it must be byte for byte
-- shc_json_compact(shc_minimize(b)), or raise the same error.  Entries whose
-- keys sort before and after "fullUrl" (jsonb order: shorter first, then
-- bytewise) check where the new fullUrl goes; numbers and escapes check the
-- scalars.  test/tiers/50-issue.sh runs the same comparison over every
-- bundle of the regression tests and the spec vectors.
CREATE FUNCTION public.regress_minimize_compact(bundle jsonb) RETURNS text
LANGUAGE c STRICT AS '$libdir/shc', 'shc_minimize_compact_sql';
CREATE FUNCTION public.regress_one_pass(b text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  e1 text := (SELECT concat_ws(' | ', code, message, detail, hint)
                FROM regress_error(format('SELECT shc_minimize(%L)', b)));
  e2 text := (SELECT concat_ws(' | ', code, message, detail, hint)
                FROM regress_error(format('SELECT regress_minimize_compact(%L)', b)));
  want text;
  got text;
BEGIN
  IF e1 IS DISTINCT FROM e2 THEN
    RETURN 'DIFFERENT ERRORS: ' || e1 || ' / ' || e2;
  END IF;
  IF e1 <> '00000 | no error' THEN
    RETURN 'same error: ' || e1;
  END IF;
  want := shc_json_compact(shc_minimize(b::jsonb));
  got := regress_minimize_compact(b::jsonb);
  IF got = want THEN
    RETURN 'same bytes, ' || octet_length(got);
  END IF;
  RETURN 'DIFFERENT: ' || want || ' / ' || got;
END
$$;
\pset format unaligned
SELECT regress_one_pass(b) FROM (VALUES
 ('{"resourceType":"Bundle","type":"collection","entry":[
   {"link":[],"search":{"mode":"match"},"ABCDEFG":1,"fullUrk":2,"fullUrl":"urn:uuid:1",
    "request":{"method":"GET","url":"Patient"},"resource":{"resourceType":"Patient","id":"1"},
    "response":{"status":"200"}},
   {"resource":{"resourceType":"Immunization","patient":{"reference":"Patient/1"}}},
   {"a":1},
   {"fullUrl":"urn:uuid:4"},
   {}]}'),
 ('{"resourceType":"Bundle","entry":[{"fullUrl":"urn:uuid:p","resource":{"resourceType":"Observation",
   "valueQuantity":{"value":0.50,"unit":"mg"},"n":[1e3,-0,12345678901234567890.000,-1.5E-7,true,false,null],
   "note":[{"text":"\"quoted\" \\ back\\slash\ttab\nnew line \u0001 ünïcödé /"}],
   "code":{"coding":[{"system":"s","code":"c","display":"d\"d"}],"text":"t"}}}]}'),
 ('{"resourceType":"Bundle","id":"x","entry":[
   {"fullUrl":"http://a.example/Patient/1","resource":{"resourceType":"Patient","id":"1","meta":{"security":[{"code":"IAL1.2"}],"tag":[]}}},
   {"fullUrl":"urn:uuid:2","resource":{"resourceType":"Immunization","patient":{"reference":"Patient/1"},
    "vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"207","display":"Moderna"}],"text":"Moderna"}}}]}'),
 ('{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient"}},
   {"resource":{"resourceType":"Immunization","patient":{"reference":"Patient/missing"}}}]}'),
 ('{"resourceType":"Bundle","entry":[{"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient"}},
   {"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient"}}]}'),
 ('{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient"}}, 3]}'),
 ('{"resourceType":"Patient"}'),
 ('[]')) AS t(b);
SELECT regress_minimize_compact('{"resourceType":"Bundle","entry":[{"link":[],"ABCDEFG":1,"fullUrk":2,
  "fullUrl":"x","request":{},"resource":{"resourceType":"Patient"}},{"a":1},{}]}');
\pset format aligned
-- containers past jsonb's offset stride (every 32nd child stores an offset,
-- the others a length), with every kind of value: the minimizer reads the
-- children straight from the JEntry array, and a bundle with nothing to
-- minimize comes back unchanged, as jsonb and as text
WITH v AS (
  SELECT i, (ARRAY['1','-2.5e3','true','false','null','"s"','"ü∂"','{"a":[1,{"b":null}]}',
                   '[]','[[1,2],[3]]','{}','12345678901234567890.123'])[1 + i % 12] AS j
    FROM generate_series(0, 199) i),
obj AS (SELECT '{' || string_agg(format('"k%s":%s', lpad(i::text, 3, '0'), j), ',') || '}' AS o
          FROM v WHERE i < 75),
arr AS (SELECT '[' || string_agg(j, ',' ORDER BY i) || ']' AS a FROM v),
b AS (SELECT format('{"resourceType":"Bundle","type":"collection","x":%s,"arr":%s,"deep":{"y":%s,"z":[%s,%s]}}',
                    o, a, o, a, o)::jsonb AS b FROM obj, arr)
SELECT shc_minimize(b) = b AS unchanged,
       shc_json_compact(shc_minimize(b)) = shc_json_compact(b) AS same_text
  FROM b;
