-- setup.sql: the benchmark's database (psql -v N=<cards> -f setup.sql, in a
-- fresh database): the extension, a stored key for the spec examples'
-- issuer (its kid in psql variable kid and table bench_key) and its JWKS in
-- the trust store, and N realistic bundles.
-- run.sh and profile.sh source it.
CREATE EXTENSION shc;
SELECT shc_key_create('https://spec.smarthealth.cards/examples/issuer') AS kid \gset
CREATE TABLE bench_key AS SELECT :'kid'::text AS kid;
SELECT shc_trust('https://spec.smarthealth.cards/examples/issuer',
                 shc_jwks('https://spec.smarthealth.cards/examples/issuer'), 'bench') \gset
-- realistic cards: a Patient and three COVID-19 Immunizations, names and
-- dates varying by row (the shape of test/bench/sample_card.h)
CREATE TABLE bundles AS
SELECT i, format($j${"resourceType":"Bundle","type":"collection","entry":[
  {"fullUrl":"resource:0","resource":{"resourceType":"Patient","name":[{"family":"Anyperson","given":["%s","B."]}],"birthDate":"19%s-01-20"}},
  {"fullUrl":"resource:1","resource":{"resourceType":"Immunization","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"207"}]},"patient":{"reference":"resource:0"},"occurrenceDateTime":"2021-01-%s","performer":[{"actor":{"display":"ABC General Hospital"}}],"lotNumber":"%s"}},
  {"fullUrl":"resource:2","resource":{"resourceType":"Immunization","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"207"}]},"patient":{"reference":"resource:0"},"occurrenceDateTime":"2021-02-%s","performer":[{"actor":{"display":"ABC General Hospital"}}],"lotNumber":"%s"}},
  {"fullUrl":"resource:3","resource":{"resourceType":"Immunization","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"229"}]},"patient":{"reference":"resource:0"},"occurrenceDateTime":"2022-09-22","performer":[{"actor":{"display":"ABC General Hospital"}}],"lotNumber":"FK%s"}}]}$j$,
  (ARRAY['John','Maria','Wei','Amina'])[i % 4 + 1], 50 + i % 50,
  lpad((1 + i % 28)::text, 2, '0'), lpad(i::text, 7, '0'),
  lpad((1 + (i + 3) % 28)::text, 2, '0'), lpad((i + 7)::text, 7, '0'), i)::jsonb AS bundle
  FROM generate_series(1, :N) i;
VACUUM ANALYZE bundles;
