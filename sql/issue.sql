-- shc_issue and shc_file.  ECDSA signatures are random, so the cards are
-- checked by shape and by their decoded header here; signatures and
-- payloads are verified by an independent verifier in the "issue" tier.
-- Uses the spec key imported by sql/keys.sql.
\pset format unaligned
CREATE FUNCTION public.b64url_text(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT convert_from(decode(rpad(translate(s, '-_', '+/'),
                                  (length(s) + 3) / 4 * 4, '='), 'base64'), 'UTF8') $$;
CREATE TEMP TABLE b AS SELECT '{"resourceType":"Bundle","type":"collection","entry":[
  {"fullUrl":"urn:uuid:p","resource":{"resourceType":"Patient","id":"p","name":[{"family":"Anyperson","given":["John"]}]}},
  {"fullUrl":"urn:uuid:i","resource":{"resourceType":"Immunization","status":"completed",
   "vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"207","display":"Moderna"}]},
   "patient":{"reference":"urn:uuid:p"},"occurrenceDateTime":"2021-01-01"}}]}'::jsonb AS v;
\set kid '3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s'
\set iss 'https://spec.smarthealth.cards/examples/issuer'
\set jwk '{"kty":"EC","crv":"P-256","x":"PQHApUWm94mflvswQgAnfHlETMwJFqjUVSs7WU6LQy4","y":"7mj8IO-8V5VZjDbRVsJINC_Rq5ai5CDhFX18ceRsLWQ","d":"vRyvhpwvbBuGVF3xmzpdvQjNH_IthPq3ehMWqPtlRXQ"}'

-- a stored key: three segments, the exact header, a 64-byte signature
CREATE TEMP TABLE c AS SELECT shc_issue(v, :'kid') AS card FROM b;
SELECT card ~ '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$' AS shape,
       b64url_text(split_part(card, '.', 1)) AS header FROM c;
-- two cards of the same bundle differ (ECDSA is randomized)
SELECT count(DISTINCT shc_issue(v, :'kid')) AS distinct_cards FROM b, generate_series(1, 3);
-- all the named options
SELECT b64url_text(split_part(shc_issue(v, key => :'kid', nbf => '2021-06-01 00:00:00.75+00',
                   exp => '2031-06-01 00:00:00+00', rid => 'MKyCxh7p6uQ', minimize => false), '.', 1)) AS header FROM b;
-- a private JWK and an issuer URL
SELECT b64url_text(split_part(shc_issue(v, private_jwk => :'jwk', iss => 'https://x.example/issuer'), '.', 1)) AS header FROM b;
SELECT b64url_text(split_part(shc_issue(v, :'jwk'::jsonb, 'https://x.example/issuer', rid => 'abc'), '.', 1)) AS header FROM b;

-- NULL in a required argument gives NULL, as for a STRICT function
SELECT shc_issue(NULL, :'kid') IS NULL AS n1, shc_issue(v, NULL::text) IS NULL AS n2,
       shc_issue(v, :'kid', nbf => NULL) IS NULL AS n3, shc_issue(v, :'kid', minimize => NULL) IS NULL AS n4,
       shc_issue(v, :'jwk'::jsonb, NULL) IS NULL AS n5 FROM b;

-- errors: the bundle
SELECT * FROM regress_error($$SELECT shc_issue('[1]', '3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s')$$);
SELECT * FROM regress_error($$SELECT shc_issue('{"resourceType":"Patient"}', '3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s')$$);
SELECT * FROM regress_error($$SELECT shc_issue('{"resourceType":"Patient"}', '3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s', minimize => false)$$);
SELECT * FROM regress_error($$SELECT shc_issue('{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Immunization","patient":{"reference":"Patient/1"}}}]}', '3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s')$$);
-- errors: the key
SELECT * FROM regress_error($$SELECT shc_issue('{"resourceType":"Bundle"}', 'nope')$$);
SELECT * FROM regress_error($$SELECT shc_issue('{"resourceType":"Bundle"}', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')$$);
SELECT * FROM regress_error($$SELECT shc_issue('{"resourceType":"Bundle"}', '{"kty":"EC"}'::jsonb, 'https://x.example')$$);
SELECT * FROM regress_error($$SELECT shc_issue('{"resourceType":"Bundle"}', '{"kty":"EC","crv":"P-256","x":"PQHApUWm94mflvswQgAnfHlETMwJFqjUVSs7WU6LQy4","y":"7mj8IO-8V5VZjDbRVsJINC_Rq5ai5CDhFX18ceRsLWQ","d":"FvOOk6hMixJ2o9zt4PCfan_UW7i4aOEnzj76ZaCI9Og"}'::jsonb, 'https://x.example')$$);
-- errors: the issuer, nbf, exp, rid
SELECT * FROM regress_error($$SELECT shc_issue('{"resourceType":"Bundle"}', '{}'::jsonb, 'http://x.example')$$);
SELECT * FROM regress_error($$SELECT shc_issue('{"resourceType":"Bundle"}', '{}'::jsonb, 'https://x.example/')$$);
SELECT * FROM regress_error($$SELECT shc_issue('{"resourceType":"Bundle"}', '3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s', nbf => 'infinity')$$);
SELECT * FROM regress_error($$SELECT shc_issue('{"resourceType":"Bundle"}', '3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s', nbf => '2021-01-01 00:00:10+00', exp => '2021-01-01 00:00:10.5+00')$$);
SELECT * FROM regress_error($$SELECT shc_issue('{"resourceType":"Bundle"}', '3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s', rid => 'a.b')$$);
SELECT * FROM regress_error($$SELECT shc_issue('{"resourceType":"Bundle"}', '3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s', rid => repeat('a', 25))$$);
SELECT * FROM regress_error($$SELECT shc_issue('{"resourceType":"Bundle"}', '3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s', rid => '')$$);

-- a retired key stops signing at once: in this transaction, after a
-- rollback of a key's creation, and in another session that had it cached
CREATE TEMP TABLE k2 AS SELECT shc_key_create('https://retire.example') AS kid;
SELECT shc_issue(v, (SELECT kid FROM k2)) IS NOT NULL AS signs FROM b;
BEGIN;
SELECT shc_key_retire(kid) FROM k2;
SELECT code, replace(message, kid, '<kid>') AS message, detail, hint
  FROM k2, regress_error(format('SELECT shc_issue(%L, %L)', (SELECT v FROM b), kid));
ROLLBACK;
SELECT shc_issue(v, (SELECT kid FROM k2)) IS NOT NULL AS signs_again FROM b;
BEGIN;
CREATE TEMP TABLE k3 AS SELECT shc_key_create('https://rollback.example') AS kid;
SELECT shc_issue(v, (SELECT kid FROM k3)) IS NOT NULL AS signs FROM b;
SELECT kid AS k3 FROM k3 \gset
ROLLBACK;
SELECT code, replace(message, :'k3', '<kid>') AS message, detail, hint
  FROM regress_error(format('SELECT shc_issue(%L, %L)', (SELECT v FROM b), :'k3'));

CREATE EXTENSION dblink;
SELECT dblink_connect('other', format('host=%s port=%s dbname=%s user=%s',
         split_part(current_setting('unix_socket_directories'), ',', 1),
         current_setting('port'), current_database(), current_user)) AS connected;
SELECT c IS NOT NULL AS other_signs FROM dblink('other',
  format('SELECT shc_issue(%L, %L)', (SELECT v FROM b), (SELECT kid FROM k2))) AS t(c text);
SELECT shc_key_retire(kid) FROM k2;
SELECT t.code, replace(t.message, kid, '<kid>') AS message
  FROM k2, dblink('other', format('SELECT code, message FROM regress_error(%L)',
                  format('SELECT shc_issue(%L, %L)', (SELECT v FROM b), kid))) AS t(code text, message text);
SELECT dblink_disconnect('other');
DROP EXTENSION dblink;

-- shc_file
SELECT shc_file(ARRAY['a.b.c', 'd.e.f']);
SELECT jsonb_array_length(shc_file(ARRAY[card])->'verifiableCredential') AS one FROM c;
SELECT * FROM regress_error($$SELECT shc_file(ARRAY[]::text[])$$);
SELECT * FROM regress_error($$SELECT shc_file(ARRAY['a.b.c', 'a.b'])$$);
SELECT * FROM regress_error($$SELECT shc_file(ARRAY['a.b.c', NULL])$$);
SELECT * FROM regress_error($$SELECT shc_file(ARRAY[['a.b.c'], ['a.b.c']])$$);

\pset format aligned
SELECT shc_file(NULL) IS NULL AS strict;
DROP TABLE b, c, k2;
DROP FUNCTION b64url_text(text);
