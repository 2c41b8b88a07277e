-- rulebook: one JSON reader, one card reader, one rulebook.  shc_json_parse
-- against jsonb input, shc_issue refusing what shc_verify would not call
-- valid (FHIR checks, times, JSON limits), the FHIR builders' dates and
-- statuses, the card identity (both signature encodings), the bounded
-- reading of cards nobody vouches for, the trust-data caps and the
-- printable card's XML.  Uses the spec key imported by sql/keys.sql.
\set kid '3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s'
\set iss 'https://spec.smarthealth.cards/examples/issuer'

-- 1. the JSON reader: jsonb of what jsonb_in accepts, refusals worded
SELECT shc_json_parse(t) = t::jsonb AS same, shc_json_parse(t) AS parsed
  FROM (VALUES ('{"b":[1,2.50,-0,1e3,true,false,null],"a":"\u00e9\ud83d\ude00\n","a":"dup"}'),
               ('  "scalar" '), ('[]'), ('{"":{}}')) v(t);
SELECT * FROM regress_error($$SELECT shc_json_parse('[1,]')$$);
SELECT * FROM regress_error($$SELECT shc_json_parse('{"a":"\u0000"}')$$);
SELECT * FROM regress_error($$SELECT shc_json_parse('"\udc00"')$$);
SELECT * FROM regress_error($$SELECT shc_json_parse('01')$$);
SELECT * FROM regress_error($$SELECT shc_json_parse('')$$);
SELECT * FROM regress_error($$SELECT shc_json_parse(repeat('[', 257) || repeat(']', 257))$$);
SELECT * FROM regress_error($$SELECT shc_json_parse('1' || repeat('0', 100))$$);
SELECT * FROM regress_error($$SELECT shc_json_parse('1e1001')$$);
SELECT shc_json_parse(repeat('[', 256) || repeat(']', 256)) IS NOT NULL AS depth_256_ok;

-- 2. issuing refuses what a verifier would not call valid
-- (the issuer's published key without its crlVersion: sql/revocation.sql
-- revoked cards of it, and this trust store holds no CRL)
SELECT shc_trust(:'iss', jsonb_build_object('keys', jsonb_build_array((shc_jwks(:'iss')->'keys'->0) - 'crlVersion'))) > 0 AS trusted;
CREATE FUNCTION pg_temp.imm(extra text) RETURNS jsonb LANGUAGE sql AS $$
  SELECT ('{"resourceType":"Bundle","type":"collection","entry":['
    '{"fullUrl":"resource:0","resource":{"resourceType":"Patient","name":[{"family":"Anyperson"}],"birthDate":"1951-01-20"}},'
    '{"fullUrl":"resource:1","resource":{"resourceType":"Immunization",' || extra || '}}]}')::jsonb $$;
\set ok '"status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"207"}]},"patient":{"reference":"resource:0"},"occurrenceDateTime":"2021-01-29"'
-- the valid one verifies
SELECT (shc_verify(shc_issue(pg_temp.imm(:'ok'), :'kid'))).status;
SELECT (shc_verify(shc_issue(pg_temp.imm(:'ok' || ',"meta":{"security":[{"system":"https://smarthealth.cards/ial","code":"IAL1.2"}]}'), :'kid', minimize => false))).status;
-- every FHIR check, with its exact error
SELECT x.name, e.* FROM (VALUES
  ('empty string', pg_temp.imm(:'ok' || ',"lotNumber":""')),
  ('empty object', pg_temp.imm(:'ok' || ',"performer":[{"actor":{}}]')),
  ('empty array', pg_temp.imm('"status":"completed","vaccineCode":{"coding":[]},"patient":{"reference":"resource:0"},"occurrenceDateTime":"2021-01-29"')),
  ('no coding', pg_temp.imm('"status":"completed","vaccineCode":{"text":"x"},"patient":{"reference":"resource:0"},"occurrenceDateTime":"2021-01-29"')),
  ('status', pg_temp.imm('"status":"not-done","vaccineCode":{"coding":[{"code":"207"}]},"patient":{"reference":"resource:0"},"occurrenceDateTime":"2021-01-29"')),
  ('no status', pg_temp.imm('"vaccineCode":{"coding":[{"code":"207"}]},"patient":{"reference":"resource:0"},"occurrenceDateTime":"2021-01-29"')),
  ('both occurrences', pg_temp.imm(:'ok' || ',"occurrenceString":"spring 2021"')),
  ('no occurrence', pg_temp.imm('"status":"completed","vaccineCode":{"coding":[{"code":"207"}]},"patient":{"reference":"resource:0"}')),
  ('5-digit year', pg_temp.imm('"status":"completed","vaccineCode":{"coding":[{"code":"207"}]},"patient":{"reference":"resource:0"},"occurrenceDateTime":"20210-05-01"')),
  ('year 0', pg_temp.imm('"status":"completed","vaccineCode":{"coding":[{"code":"207"}]},"patient":{"reference":"resource:0"},"occurrenceDateTime":"0000-05-01"')),
  ('time without zone', pg_temp.imm('"status":"completed","vaccineCode":{"coding":[{"code":"207"}]},"patient":{"reference":"resource:0"},"occurrenceDateTime":"2021-05-01T10:00:00"')),
  ('meta.versionId', pg_temp.imm(:'ok' || ',"meta":{"versionId":"2"}')),
  ('security not Coding', pg_temp.imm(:'ok' || ',"meta":{"security":["IAL1.2"]}')),
  ('dangling reference', pg_temp.imm(:'ok' || ',"location":{"reference":"resource:7"}'))
) x(name, b), LATERAL regress_error(format('SELECT shc_issue(%L::jsonb, %L, minimize => false)', b, :'kid')) e;
-- numbers and nesting a verifier would not read
SELECT * FROM regress_error(format('SELECT shc_issue(%L::jsonb, %L)',
  '{"resourceType":"Bundle","total":1e900}', :'kid'));
SELECT * FROM regress_error(format('SELECT shc_issue(%L::jsonb, %L)',
  '{"resourceType":"Bundle","x":' || repeat('[', 260) || repeat(']', 260) || '}', :'kid'));
-- times: before 1970, milliseconds, exp not after nbf
SELECT * FROM regress_error(format('SELECT shc_issue(%L::jsonb, %L, nbf => %L)',
  '{"resourceType":"Bundle"}', :'kid', '1969-12-31 23:59:59+00'));
SELECT * FROM regress_error(format('SELECT shc_issue(%L::jsonb, %L, exp => to_timestamp(1739496673998))',
  '{"resourceType":"Bundle"}', :'kid'));
SELECT * FROM regress_error(format('SELECT shc_issue(%L::jsonb, %L, nbf => to_timestamp(1739496673998))',
  '{"resourceType":"Bundle"}', :'kid'));

-- 3. the FHIR builders never cut years, and offer only "completed"
SELECT shc_fhir_date('0001-01-01'), shc_fhir_date('9999-12-31'), shc_fhir_date(NULL);
SELECT * FROM regress_error($$SELECT shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '207', '20210-05-01')$$);
SELECT * FROM regress_error($$SELECT shc_fhir_patient('X', birth_date => '0001-01-01 BC')$$);
SELECT * FROM regress_error($$SELECT shc_fhir_observation('94500-6', 'infinity', value_code => '260373001')$$);
SELECT * FROM regress_error($$SELECT shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '207', '2021-05-01', status => 'not-done')$$);
SELECT (shc_verify(shc_issue(shc_bundle(shc_fhir_patient('Anyperson', ARRAY['Jane'], '1960-02-29'),
        ARRAY[shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '207', '2021-05-01', 'LOT1', 'ABC clinic')]), :'kid'))).status AS built;

-- 4. the card identity: both encodings of one signature share it
CREATE FUNCTION pg_temp.high_s(card text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  n numeric := 0; s numeric := 0; b bytea; h text; i int;
  order_hex text := 'FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551';
  sig text := split_part(card, '.', 3);
BEGIN
  b := decode(translate(sig, '-_', '+/') || '==', 'base64');
  FOR i IN 1..length(order_hex) LOOP
    n := n * 16 + position(substr(order_hex, i, 1) IN '0123456789ABCDEF') - 1;
  END LOOP;
  FOR i IN 32..63 LOOP s := s * 256 + get_byte(b, i); END LOOP;
  s := n - s;
  FOR i IN REVERSE 63..32 LOOP b := set_byte(b, i, (s % 256)::int); s := div(s, 256); END LOOP;
  h := rtrim(translate(encode(b, 'base64'), E'+/\n', '-_'), '=');
  RETURN split_part(card, '.', 1) || '.' || split_part(card, '.', 2) || '.' || h;
END $$;
CREATE TEMP TABLE cid AS SELECT shc_issue(pg_temp.imm(:'ok'), :'kid') AS low;
SELECT low <> pg_temp.high_s(low) AS two_texts,
       (shc_verify(low)).status AS low_status, (shc_verify(pg_temp.high_s(low))).status AS high_status,
       shc_card_id(low) = shc_card_id(pg_temp.high_s(low)) AS same_id,
       (shc_verify(low)).card_id = shc_card_id(low) AS verify_id,
       (shc_verify(pg_temp.high_s(low))).card_id = shc_card_id(low) AS verify_high_id,
       shc_card_id(shc_qr_numeric(low)) = shc_card_id(low) AS qr_id,
       length(shc_card_id(low)) AS id_len
  FROM cid;
-- shc_issue writes low-S only: 20 cards, every s at most n / 2
SELECT bool_and(substr(encode(decode(translate(split_part(card, '.', 3), '-_', '+/') || '==', 'base64'), 'hex'), 65, 64)
                    <= '7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8') AS all_low_s
  FROM (SELECT shc_issue('{"resourceType":"Bundle"}', :'kid') AS card FROM generate_series(1, 20)) c;
SELECT * FROM regress_error($$SELECT shc_card_id('a.b')$$);

-- 5. a card nobody vouches for: nothing built, the claimed issuer named
SELECT status, reason, issued_at IS NULL AS no_claims, bundle IS NULL AS no_bundle, card_id IS NOT NULL AS has_id
  FROM shc_verify(shc_issue(pg_temp.imm(:'ok'), private_jwk => '{"kty":"EC","crv":"P-256","x":"PQHApUWm94mflvswQgAnfHlETMwJFqjUVSs7WU6LQy4","y":"7mj8IO-8V5VZjDbRVsJINC_Rq5ai5CDhFX18ceRsLWQ","d":"vRyvhpwvbBuGVF3xmzpdvQjNH_IthPq3ehMWqPtlRXQ"}', iss => 'https://unknown.example'));

-- 6. trust-data caps: superuser-only settings, clear errors
SET shc.max_crl_rids = 2;
SELECT * FROM regress_error(format('SELECT shc_trust_crl(%L, %L::jsonb)', :'iss',
  '{"kid":"3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s","method":"rid","ctr":1,"rids":["a","b","c"]}'));
RESET shc.max_crl_rids;
SET shc.max_issuer_keys = 1;
SELECT * FROM regress_error(format('SELECT shc_trust(%L, %L::jsonb)', 'https://two.example',
  jsonb_build_object('keys', jsonb_build_array(shc_jwks(:'iss')->'keys'->0, shc_jwks(:'iss')->'keys'->0))));
RESET shc.max_issuer_keys;
CREATE ROLE regress_rulebook_user;
SET ROLE regress_rulebook_user;
SELECT * FROM regress_error('SET shc.max_crl_rids = 5');
SELECT * FROM regress_error('SET shc.max_issuer_keys = 5');
RESET ROLE;
DROP ROLE regress_rulebook_user;
-- the issuer URL rule of keys and issuing, now also the trust store's
SELECT * FROM regress_error($$SELECT shc_trust('https://a b', '{"keys":[]}')$$);
SELECT * FROM regress_error($$SELECT shc_trust('https://a.example.org?x', '{"keys":[]}')$$);

-- 7. the printable card: no character XML 1.0 forbids
SELECT xml_is_well_formed_document(svg) AS well_formed,
       position(U&'\FFFE' IN svg) = 0 AND position(U&'\FFFF' IN svg) = 0 AS no_nonchars
  FROM (SELECT shc_card_svg(low, U&'Card \FFFE\FFFF' || chr(1) || ' <&>') AS svg FROM cid) s;
SELECT shc_untrust(:'iss') IS NOT NULL AS untrusted;
