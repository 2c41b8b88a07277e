-- adversarial: hostile and absurd input to every public function.  Each
-- case is a clear error (SQLSTATE, message, detail, hint) or, for
-- shc_verify and shc_verify_file, a status and a reason; none may crash,
-- hang or take memory in proportion to a multiple of its input (the
-- memory tier, test/tiers/85-memory.sh, measures the 100 MB cases).
-- Cards are forged here in SQL: raw DEFLATE "stored" blocks need no
-- compressor, and an unknown kid makes the verifier read the payload.
SET statement_timeout = '60s';
SET client_min_messages = warning;

CREATE FUNCTION pg_temp.b64u(b bytea) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT translate(rtrim(replace(encode(b, 'base64'), E'\n', ''), '='), '+/', '-_')
$$;
-- raw DEFLATE of b in stored blocks (RFC 1951 3.2.4): no compression
CREATE FUNCTION pg_temp.le16(n int) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
  SELECT set_byte(set_byte('\x0000'::bytea, 0, n & 255), 1, (n >> 8) & 255)
$$;
CREATE FUNCTION pg_temp.stored(b bytea) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(string_agg(
           set_byte('\x00'::bytea, 0, CASE WHEN i + 65535 >= length(b) THEN 1 ELSE 0 END)
           || pg_temp.le16(n) || pg_temp.le16(65535 - n) || substr(b, i + 1, 65535), ''::bytea ORDER BY i), '\x010000ffff')
    FROM (SELECT i, least(65535, length(b) - i) AS n FROM generate_series(0, length(b) - 1, 65535) i) s
$$;
-- a card with this header and payload bytes, a zero signature, unknown kid
CREATE FUNCTION pg_temp.forge(header text, payload bytea) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT pg_temp.b64u(convert_to(header, 'UTF8')) || '.' || pg_temp.b64u(pg_temp.stored(payload))
         || '.' || pg_temp.b64u(decode(repeat('00', 64), 'hex'))
$$;
CREATE FUNCTION pg_temp.claims(bundle text) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
  SELECT convert_to('{"iss":"https://forged.example.org","nbf":1700000000,"vc":{"type":["https://smarthealth.cards#health-card"],"credentialSubject":{"fhirVersion":"4.0.1","fhirBundle":' || bundle || '}}}', 'UTF8')
$$;
\set hdr '{"zip":"DEF","alg":"ES256","kid":"unknown-kid"}'
-- the forger itself: a well-formed forged card is unknown_issuer
SELECT status, reason FROM shc_verify(pg_temp.forge(:'hdr', pg_temp.claims('{"resourceType":"Bundle"}')));
SELECT status FROM shc_verify(pg_temp.forge(:'hdr', pg_temp.claims('{"resourceType":"Bundle","x":"' || repeat('y', 200000) || '"}')));

--
-- 1. overlong and huge inputs
--
-- (the test command logs every plan, and a plan holds these inputs as
-- constants of up to 100 MB: no plan logging for this section)
SET debug_print_plan = off;
SET auto_explain.log_min_duration = -1;
-- 100 MB and 1 MB cards: refused by length before any decoding
SELECT status, reason FROM shc_verify(repeat('a', 100000000));
SELECT status, reason FROM shc_verify(repeat('a', 1000000));
SELECT status, reason FROM shc_verify(repeat('a', 400000) || '.' || repeat('b', 400000) || '.' || repeat('c', 86));
SELECT status, reason FROM shc_verify('shc:/' || repeat('56', 1000000));
SELECT status, left(reason, 60) AS reason FROM shc_verify(repeat('.', 1000000));
SELECT * FROM regress_error($$SELECT shc_decode(repeat('a', 100000000))$$);
SELECT * FROM regress_error($$SELECT shc_decode(repeat('a', 1000000))$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY['shc:/' || repeat('56', 50000000)])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY(SELECT 'shc:/C/' || i || '/100/00' FROM generate_series(1, 100) i))$$);
SELECT * FROM regress_error($$SELECT shc_qr_numeric(repeat('a', 100000000))$$);
SELECT * FROM regress_error($$SELECT shc_qr_chunks(repeat('a', 100000000))$$);
SELECT * FROM regress_error($$SELECT shc_qr_png(repeat('a', 100000000))$$);
SELECT * FROM regress_error($$SELECT shc_qr_svg('shc:/' || repeat('56', 50000000))$$);
SELECT * FROM shc_qr_info(repeat('a', 100000000));
SELECT * FROM regress_error($$SELECT shc_card_svg(repeat('a', 100000000))$$);
SELECT * FROM regress_error($$SELECT shc_file(ARRAY[repeat('a', 100000000)])$$);
SELECT status, reason FROM shc_verify_file(jsonb_build_object('verifiableCredential', jsonb_build_array(repeat('a', 10000000), 'x')));
SELECT length(c) FROM shc_file_cards(jsonb_build_object('verifiableCredential', jsonb_build_array(repeat('a', 10000000)))) c;
-- issuing: a bundle whose payload would exceed shc.max_payload_size
SELECT * FROM regress_error($$SELECT shc_issue(jsonb_build_object('resourceType', 'Bundle', 'type', 'collection', 'note', repeat('a', 10000000)),
  private_jwk => '{"kty":"EC","crv":"P-256","x":"-xq1xnN5J7W3xlW3gJZM7870tldpthfXYJ4frq_El9o","y":"bmZMTZKtZd0zO60Jt8_mYTC1eoK9H_pv1F3CRFJcrqc","d":"RtzEXenyO3CbcxcrldvoDBoWLrFRbhCIotg2ffms5F8"}',
  iss => 'https://issuer-a.example.org')$$);
-- long strings where short ones belong
SELECT * FROM regress_error($$SELECT shc_key_create('https://' || repeat('a', 1000000))$$);
SELECT length(shc_key_create('https://' || repeat('a', 2040)));
SELECT * FROM regress_error($$SELECT shc_issue('{"resourceType":"Bundle"}', repeat('k', 1000000))$$);
SELECT * FROM regress_error($$SELECT shc_issue('{"resourceType":"Bundle"}', 'k', rid => repeat('r', 1000000))$$);
SELECT * FROM regress_error($$SELECT shc_issue('{"resourceType":"Bundle"}', '{}'::jsonb, 'https://a.example.org/' || repeat('/', 1000000))$$);
SELECT * FROM regress_error($$SELECT shc_kid(jsonb_build_object('kty', 'EC', 'crv', 'P-256', 'x', repeat('A', 1000000), 'y', 'AA'))$$);
\set fx `cat test/data/forged-cards.json`
SELECT * FROM regress_error(format('SELECT shc_trust(%L, %L)', 'https://' || repeat('a', 1000000), (:'fx'::jsonb)->'jwks'->'a'));
SELECT * FROM regress_error(format('SELECT shc_trust(%L, %L)', 'https://' || repeat('a', 2041), (:'fx'::jsonb)->'jwks'->'a'));
SELECT shc_trust('https://' || repeat('a', 2040), (:'fx'::jsonb)->'jwks'->'a'), shc_untrust('https://' || repeat('a', 2040));
SELECT shc_jwks(repeat('a', 1000000)), shc_untrust(repeat('a', 1000000));
SELECT length(shc_json_compact(jsonb_build_object('a', repeat('b', 1000000))));
RESET debug_print_plan;
RESET auto_explain.log_min_duration;

--
-- 2. deeply nested JSON
--
-- in a card's payload and header: refused by the pre-check, no recursion
SELECT status, reason FROM shc_verify(pg_temp.forge(:'hdr', pg_temp.claims(repeat('[', 100000) || repeat(']', 100000))));
SELECT status, reason FROM shc_verify(pg_temp.forge(:'hdr', pg_temp.claims('{"resourceType":"Bundle","x":' || repeat('{"a":', 300) || '1' || repeat('}', 300) || '}')));
SELECT status, reason FROM shc_verify(pg_temp.forge(repeat('[', 100000) || repeat(']', 100000), pg_temp.claims('{}')));
SELECT * FROM regress_error(format('SELECT shc_decode(%L)', pg_temp.forge(:'hdr', pg_temp.claims(repeat('[', 100000) || repeat(']', 100000)))));
-- the deepest JSON the verifier accepts (256 levels) still verifies to a status
SELECT status FROM shc_verify(pg_temp.forge(:'hdr', pg_temp.claims('{"resourceType":"Bundle","x":' || repeat('[', 250) || repeat(']', 250) || '}')));
-- jsonb arguments nested as deep as PostgreSQL allows (the writer is iterative)
CREATE TEMP TABLE deep AS SELECT (repeat('[', 5000) || repeat(']', 5000))::jsonb AS j;
SELECT length(shc_json_compact(j)) FROM deep;
SELECT * FROM regress_error($$SELECT shc_minimize(jsonb_build_object('resourceType', 'Bundle', 'entry', j)) FROM deep$$);
SELECT length(shc_minimize(jsonb_build_object('resourceType', 'Bundle', 'x', j))::text) FROM deep;

--
-- 3. invalid UTF-8 and NUL
--
-- a text argument cannot hold either: PostgreSQL refuses them first
SELECT * FROM regress_error($$SELECT shc_verify(convert_from('\xff2e2e'::bytea, 'UTF8'))$$);
SELECT * FROM regress_error($$SELECT shc_verify(E'a\u0000b')$$);
SELECT * FROM regress_error($$SELECT shc_minimize('{"a":"\u0000"}')$$);
-- inside a card they are the card's problem: a status
SELECT status, reason FROM shc_verify(pg_temp.forge(:'hdr', '\xff'::bytea || pg_temp.claims('{}')));
SELECT status, reason FROM shc_verify(pg_temp.forge(:'hdr', pg_temp.claims('{"resourceType":"Bundle","x":"' || E'\\xc3' || '"}')));
SELECT status, reason FROM shc_verify(pg_temp.b64u('\xff'::bytea) || '.' || pg_temp.b64u(pg_temp.stored(pg_temp.claims('{}'))) || '.' || pg_temp.b64u(decode(repeat('00', 64), 'hex')));
SELECT status, reason FROM shc_verify(pg_temp.forge(:'hdr', pg_temp.claims('{"resourceType":"Bundle"}') || '\x00'::bytea));
SELECT status, reason FROM shc_verify(pg_temp.forge(:'hdr', pg_temp.claims('{"resourceType":"Bundle","x":"a\u0000b"}')));
SELECT status, reason FROM shc_verify(pg_temp.forge('{"zip":"DEF","alg":"ES256","kid":"a\u0000b"}', pg_temp.claims('{}')));
SELECT status, reason FROM shc_verify(pg_temp.forge('{"zip":"DEF","alg":"ES256\u0000","kid":"k"}', pg_temp.claims('{}')));
SELECT status, reason FROM shc_verify(pg_temp.forge(:'hdr', convert_to('{"iss":"https://forged.example.org\ud800"}', 'UTF8')));
SELECT * FROM regress_error(format('SELECT shc_decode(%L)', pg_temp.forge(:'hdr', pg_temp.claims('{"x":"a\u0000b"}'))));
SELECT * FROM regress_error(format('SELECT shc_decode(%L)', pg_temp.forge(:'hdr', '\xfe'::bytea)));

--
-- 4. every wrong type
--
SELECT v.t, r.* FROM (VALUES ('[]'), ('1'), ('"x"'), ('null'), ('true'), ('{}'), ('{"resourceType":1}')) v(t),
  regress_error(format('SELECT shc_minimize(%L)', v.t)) r;
SELECT v.t, r.* FROM (VALUES ('[]'), ('"x"'), ('{"resourceType":"Patient"}')) v(t),
  regress_error(format('SELECT shc_issue(%L, %L)', v.t, 'some-kid')) r;
SELECT v.t, r.* FROM (VALUES ('[]'), ('1'), ('"x"'), ('{}'), ('{"kty":1}'), ('{"kty":"EC","crv":"P-256","x":1,"y":2}'),
                              ('{"kty":"RSA","n":"AQAB","e":"AQAB"}'), ('{"kty":"EC","crv":"P-384","x":"AA","y":"AA"}')) v(t),
  regress_error(format('SELECT shc_kid(%L)', v.t)) r;
SELECT v.t, r.* FROM (VALUES ('[]'), ('"x"'), ('{"kty":"EC","crv":"P-256"}')) v(t),
  regress_error(format('SELECT shc_key_import(%L, %L)', 'https://i.example.org', v.t)) r;
SELECT v.t, r.* FROM (VALUES ('[]'), ('"x"'), ('{"kty":"EC","crv":"P-256"}')) v(t),
  regress_error(format('SELECT shc_issue(%L, %L::jsonb, %L)', '{"resourceType":"Bundle"}', v.t, 'https://i.example.org')) r;
SELECT v.t, r.* FROM (VALUES ('[]'), ('1'), ('"x"'), ('{}'), ('{"keys":{}}'), ('{"keys":"x"}'), ('{"keys":[]}'), ('{"keys":[1, "x", null, []]}')) v(t),
  regress_error(format('SELECT shc_trust(%L, %L)', 'https://i.example.org', v.t)) r;
SELECT v.t, r.* FROM (VALUES ('[]'), ('1'), ('{}'), ('{"kid":1}'), ('{"kid":"k","method":"rid","ctr":1,"rids":"x"}'),
                              ('{"kid":"k","method":"rid","ctr":"x","rids":[]}'), ('{"kid":"k","method":"rid","ctr":1,"rids":[1]}')) v(t),
  regress_error(format('SELECT shc_trust_crl(%L, %L)', 'https://i.example.org', v.t)) r;
SELECT v.t, f.status, f.reason FROM (VALUES ('[]'), ('1'), ('"x"'), ('null'), ('{}'), ('{"verifiableCredential":"x"}'),
                                             ('{"verifiableCredential":{}}'), ('{"verifiableCredential":[1, null, {}, []]}')) v(t),
  shc_verify_file(v.t::jsonb) f;
SELECT v.t, r.* FROM (VALUES ('[]'), ('1'), ('{"verifiableCredential":"x"}'), ('{"verifiableCredential":[1]}')) v(t),
  regress_error(format('SELECT shc_file_cards(%L)', v.t)) r;
SELECT * FROM regress_error($$SELECT shc_file('{}')$$);
SELECT * FROM regress_error($$SELECT shc_file(ARRAY[NULL])$$);
SELECT * FROM regress_error($$SELECT shc_file('{{a.b.c},{a.b.c}}')$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode('{}')$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode(ARRAY[NULL])$$);
SELECT * FROM regress_error($$SELECT shc_qr_decode('{{shc:/56,shc:/56},{shc:/56,shc:/56}}')$$);
SELECT * FROM regress_error($$SELECT shc_verify('a.b.c', 'infinity')$$);
SELECT * FROM regress_error($$SELECT shc_verify_file('{}', '-infinity')$$);
SELECT * FROM regress_error($$SELECT shc_issue('{"resourceType":"Bundle"}', 'k', nbf => 'infinity')$$);
SELECT * FROM regress_error($$SELECT shc_qr_png('a.b.c', -1)$$);
SELECT * FROM regress_error($$SELECT shc_qr_svg('a.b.c', 8, 2147483647)$$);
-- a card is only text: a JSON card, a number, an empty string
SELECT v.t, s.status, s.reason FROM (VALUES ('{"a":1}'), ('12345'), (''), (' '), ('..'), ('shc:/')) v(t), shc_verify(v.t) s;
