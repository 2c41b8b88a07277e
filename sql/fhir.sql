-- FHIR builders (shc_fhir_patient, shc_fhir_immunization, shc_fhir_observation,
-- shc_bundle) and the analyst readers (shc_patient, shc_immunizations,
-- shc_observations).
\pset format unaligned
SELECT shc_json_compact(shc_fhir_patient('Anyperson', ARRAY['John', 'B.'], '1951-01-20'));
SELECT shc_json_compact(shc_fhir_patient('Anyperson'));
SELECT shc_json_compact(shc_fhir_patient(NULL, ARRAY['Cher']));
SELECT shc_json_compact(shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '207', '2021-01-01',
                                              lot_number => '0000001', performer => 'ABC General Hospital'));
SELECT shc_json_compact(shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '207', '2021-01-01'));
SELECT shc_json_compact(shc_fhir_observation('94558-4', '2021-02-17', value_code => '260385009',
                                             performer => 'ABC Lab'));
SELECT shc_json_compact(shc_fhir_observation('2345-7', '2021-02-17', value_quantity => 5.4,
                                             unit => 'mmol/L'));

-- a bundle: patient is resource:0, everything refers to it
SELECT shc_json_compact(shc_bundle(
  shc_fhir_patient('Anyperson', ARRAY['John', 'B.'], '1951-01-20'),
  ARRAY[shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '207', '2021-01-01', '0000001', 'ABC General Hospital'),
        shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '207', '2021-01-29', '0000007', 'ABC General Hospital')]));
SELECT shc_json_compact(shc_bundle(shc_fhir_patient('Solo'), NULL));

-- reading it back
CREATE TEMP TABLE b AS SELECT shc_bundle(
  shc_fhir_patient('Anyperson', ARRAY['John', 'B.'], '1951-01-20'),
  ARRAY[shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '207', '2021-01-01', '0000001', 'ABC General Hospital'),
        shc_fhir_observation('94558-4', '2021-02-17', value_code => '260385009', performer => 'ABC Lab'),
        shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '207', '2021-01-29', '0000007', 'ABC General Hospital'),
        shc_fhir_observation('2345-7', '2021-02-18', value_quantity => 5.4, unit => 'mmol/L')]) AS bundle;
\pset format aligned
SELECT (shc_patient(bundle)).* FROM b;
SELECT * FROM shc_immunizations((SELECT bundle FROM b));
SELECT * FROM shc_observations((SELECT bundle FROM b));
-- tolerant of odd content: no patient, no entries, partial dates, occurrenceString
SELECT (shc_patient('{"resourceType":"Bundle"}')).* ;
SELECT (shc_patient('{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient","birthDate":"1951"}}]}')).*;
SELECT * FROM shc_immunizations('{"entry":[{"resource":{"resourceType":"Immunization","occurrenceString":"spring 2021"}}]}');
SELECT count(*) FROM shc_immunizations('{"entry": 5}');
SELECT count(*) FROM shc_observations('[]');

-- errors
\pset format unaligned
SELECT * FROM regress_error($$SELECT shc_fhir_patient(NULL)$$);
SELECT * FROM regress_error($$SELECT shc_fhir_patient('')$$);
SELECT * FROM regress_error($$SELECT shc_fhir_patient('X', ARRAY['A', NULL])$$);
SELECT * FROM regress_error($$SELECT shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', NULL, '2021-01-01')$$);
SELECT * FROM regress_error($$SELECT shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '207', '2021-01-01', lot_number => '')$$);
SELECT * FROM regress_error($$SELECT shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '207', '2021-01-01', status => 'done')$$);
SELECT * FROM regress_error($$SELECT shc_fhir_observation('94558-4', '2021-02-17')$$);
SELECT * FROM regress_error($$SELECT shc_fhir_observation('94558-4', '2021-02-17', value_code => 'x', value_quantity => 1)$$);
SELECT * FROM regress_error($$SELECT shc_fhir_observation('94558-4', '2021-02-17', value_code => 'x', value_system => NULL)$$);
SELECT * FROM regress_error($$SELECT shc_fhir_observation('94558-4', NULL, value_code => 'x')$$);
SELECT * FROM regress_error($$SELECT shc_fhir_observation('94558-4', '2021-02-17', value_code => 'x', status => 'done')$$);
SELECT * FROM regress_error($$SELECT shc_fhir_observation('', '2021-02-17', value_code => 'x')$$);
SELECT * FROM regress_error($$SELECT shc_bundle('{"resourceType":"Observation"}', NULL)$$);
SELECT * FROM regress_error($$SELECT shc_bundle(NULL, NULL)$$);
SELECT * FROM regress_error($$SELECT shc_bundle(shc_fhir_patient('X'), ARRAY['{"a":1}'::jsonb])$$);
SELECT * FROM regress_error($$SELECT shc_bundle(shc_fhir_patient('X'), ARRAY[shc_fhir_patient('Y')])$$);
SELECT * FROM regress_error($$SELECT shc_bundle(shc_fhir_patient('X'), ARRAY[NULL::jsonb])$$);
SELECT shc_patient(NULL) IS NULL AS strict1, (SELECT count(*) FROM shc_immunizations(NULL)) AS strict2;
