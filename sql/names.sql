-- names: the names of vaccine, test and result codes (issue #25) on the
-- printable card and in the analyst rows, the shipped code lists, and
-- shc_code_names_load, the trust administrator's loader of the CDC's
-- published CVX and MVX files.

-- the shipped lists: every system, dated and sourced
SELECT system, count(*) AS codes, min(source_date) AS dated, bool_and(shipped) AS shipped,
       bool_and(source <> '') AS sourced
  FROM shc_code_name GROUP BY system ORDER BY system;

-- every CVX code of the test fixtures and of the spec's examples (207, 229)
-- has its name; LOINC and SNOMED CT codes of the spec's examples too
SELECT code, shc_code_display('http://hl7.org/fhir/sid/cvx', code) AS name
  FROM unnest(ARRAY['207', '208', '229', '212']) code;
SELECT shc_code_display('http://loinc.org', '94558-4') AS loinc,
       shc_code_display('http://loinc.org', '718-7') AS loinc_example_03,
       shc_code_display('http://snomed.info/sct', '260385009') AS snomed,
       shc_code_display('http://hl7.org/fhir/sid/mvx', 'SKB') AS mvx;
-- unknown codes and systems have no name
SELECT shc_code_display('http://hl7.org/fhir/sid/cvx', '99999') IS NULL AS unknown_code,
       shc_code_display('http://example.org/codes', '207') IS NULL AS unknown_system,
       shc_code_display(NULL, '207') IS NULL AS strict;

-- the analyst rows: the name beside the code; a display in the card wins;
-- an unknown code has no name
SELECT entry, vaccine_code, vaccine_name FROM shc_immunizations(shc_bundle(
  shc_fhir_patient('Anyperson', '{John}', '1951-01-20'),
  ARRAY[shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '207', '2021-01-01', '0000001'),
        '{"resourceType":"Immunization","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"207","display":"Spikevax (card''s own)"}]}}'::jsonb,
        shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '99999', '2021-01-02')]));
SELECT entry, code, test_name, value_code, result_name FROM shc_observations(shc_bundle(
  shc_fhir_patient('Anyperson', '{John}', '1951-01-20'),
  ARRAY[shc_fhir_observation('94558-4', '2021-02-17', '260385009'),
        shc_fhir_observation('99999-9', '2021-02-18', '1234567')]));

-- the printable card: the name, the code in small print, lot and date;
-- a card's own display wins; an unknown code shows the code as before
SELECT shc_key_create('https://names.example.org/issuer') AS kid \gset
SELECT shc_trust('https://names.example.org/issuer', shc_jwks('https://names.example.org/issuer'), 'Names test');
CREATE FUNCTION regress_names_text(svg text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE AS $$
  SELECT (regexp_matches(svg, '<text[^>]*>([^<]*)</text>', 'g'))[1]
$$;
SELECT t FROM regress_names_text(shc_card_svg(shc_issue(shc_bundle(
  shc_fhir_patient('Anyperson', '{John,B.}', '1951-01-20'),
  ARRAY[shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '207', '2021-01-01', '0000001'),
        shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '99999', '2021-01-29', '0000007'),
        shc_fhir_observation('94558-4', '2021-02-17', '260385009')]), :'kid'))) t
 WHERE t ~ 'CVX|COVID|0000|2021-|LOINC|SNOMED|SARS|Negative|not a verification';
-- not minimized, the card keeps its own display, which is shown
SELECT t FROM regress_names_text(shc_card_svg(shc_issue(shc_bundle(
  shc_fhir_patient('Anyperson', '{John,B.}', '1951-01-20'),
  ARRAY['{"resourceType":"Immunization","status":"completed","patient":{"reference":"resource:0"},"occurrenceDateTime":"2021-01-01","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"207","display":"Spikevax (card''s own)"}]}}'::jsonb]),
  :'kid', minimize => false))) t
 WHERE t ~ 'CVX|COVID|Spikevax';

-- README "Getting started": the name beside the code
SELECT i.vaccine_code, i.vaccine_name, i.occurrence, i.lot_number
  FROM shc_verify(shc_issue(shc_bundle(shc_fhir_patient('Anyperson', '{John,B.}', '1951-01-20'),
                            ARRAY[shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '207',
                                                        '2021-01-01', '0000001')]),
                            :'kid')) v, shc_immunizations(v.bundle) i;

-- the loader: for the trust administrator only
CREATE ROLE regress_names_admin IN ROLE shc_trust_admin;
CREATE ROLE regress_names_nobody;
SET ROLE regress_names_nobody;
SELECT * FROM regress_error($$SELECT shc_code_names_load('207|x|x||Active|False|2021/01/01')$$);
SELECT * FROM regress_error($$INSERT INTO shc_code_name (system, code, display, source) VALUES ('http://loinc.org', '1', 'x', 'x')$$);
RESET ROLE;
SET ROLE regress_names_admin;
-- a small file in the CDC's layout (code padded with spaces, a byte order
-- mark, CRLF line ends, a blank line): code|short description|full
-- name|notes|status|nonvaccine|last updated
SELECT shc_code_names_load(E'\uFEFF207       |Test name for 207|full name 207||Active|False|2024/05/02\r\n'
                           || E'900       |Test new vaccine|full name 900|a note|Pending|False|2026/10/01\r\n\r\n')
       AS cvx_loaded;
SELECT shc_code_names_load(E'MOD|Moderna US, Inc.||Active|2020/11/03\n', code_system => 'mvx',
                           source => 'test list', published => '2026-11-30') AS mvx_loaded;
RESET ROLE;
-- the loaded list wins over the shipped one; codes it lacks keep the shipped name
SELECT code, shc_code_display('http://hl7.org/fhir/sid/cvx', code) AS name
  FROM unnest(ARRAY['207', '900', '229']) code;
SELECT system, code, display, status, source, source_date FROM shc_code_name
 WHERE NOT shipped ORDER BY system, code;
SELECT vaccine_name FROM shc_immunizations(shc_bundle(shc_fhir_patient('A', '{B}', '1951-01-20'),
  ARRAY[shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '900', '2021-01-01')]));
-- a new load replaces the previous one of that system
SET ROLE regress_names_admin;
SELECT shc_code_names_load('208|Test name for 208|x||Active|False|2025/01/01') AS cvx_loaded;
RESET ROLE;
SELECT system, code, display FROM shc_code_name WHERE NOT shipped ORDER BY system, code;
-- bad inputs: nothing changes
SET ROLE regress_names_admin;
SELECT * FROM regress_error($$SELECT shc_code_names_load('')$$);
SELECT * FROM regress_error($$SELECT shc_code_names_load(NULL)$$);
SELECT * FROM regress_error($$SELECT shc_code_names_load(E'\n \n')$$);
SELECT * FROM regress_error($$SELECT shc_code_names_load('207|x|x||Active|False')$$);
SELECT * FROM regress_error($$SELECT shc_code_names_load(E'207|a|a||Active|False|2021/01/01\n208|b|b||Active|False|2021/01/01|extra')$$);
SELECT * FROM regress_error($$SELECT shc_code_names_load('2O7|x|x||Active|False|2021/01/01')$$);
SELECT * FROM regress_error($$SELECT shc_code_names_load('207||x||Active|False|2021/01/01')$$);
SELECT * FROM regress_error($$SELECT shc_code_names_load('207|x|x||Active|False|01/02/2021')$$);
SELECT * FROM regress_error($$SELECT shc_code_names_load('207|x|x||Active|False|2021/02/30')$$);
SELECT * FROM regress_error($$SELECT shc_code_names_load(E'207|x|x||Active|False|2021/01/01\n207|y|y||Active|False|2021/01/01')$$);
SELECT * FROM regress_error($$SELECT shc_code_names_load('MOD|x||Active|2020/11/03', code_system => 'cvx')$$);
SELECT * FROM regress_error($$SELECT shc_code_names_load('mod|x||Active|2020/11/03', code_system => 'mvx')$$);
SELECT * FROM regress_error($$SELECT shc_code_names_load('207|x|x||Active|False|2021/01/01', code_system => 'loinc')$$);
RESET ROLE;
SELECT system, code, display FROM shc_code_name WHERE NOT shipped ORDER BY system, code;

-- pg_dump keeps the loaded rows, not the shipped ones (CREATE EXTENSION brings them)
SELECT c.relname, e.extcondition[array_position(e.extconfig, c.oid)] AS dump_filter
  FROM pg_extension e, pg_class c
 WHERE e.extname = 'shc' AND c.relname = 'shc_code_name' AND c.oid = ANY (e.extconfig);
SELECT has_table_privilege('public', 'shc_code_name', 'SELECT') AS everyone_reads,
       has_table_privilege('public', 'shc_code_name', 'INSERT') AS public_writes;

DELETE FROM shc_code_name WHERE NOT shipped;
SELECT shc_untrust('https://names.example.org/issuer');
DROP FUNCTION regress_names_text(text);
DROP ROLE regress_names_admin, regress_names_nobody;
