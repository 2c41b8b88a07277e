-- verify: shc_verify and shc_verify_file over the forged fixture cards
-- (test/scripts/forge-cards.mjs, test/data/forged-cards.json): every
-- valid card and every mutation gives its expected status and a reason,
-- never an error.  Runs after trust.sql (same database: issuers a, b, a2
-- and the CRL of key a, ctr 3, are trusted).  Time: 2024-01-01 UTC.
\set fx `cat test/data/forged-cards.json`
CREATE TEMP TABLE fx AS SELECT :'fx'::jsonb AS j;
CREATE TEMP TABLE cards AS
  SELECT c.ord, c.e->>'name' AS name, c.e->>'expect' AS expect, c.e->>'card' AS card
    FROM fx, jsonb_array_elements(j->'cards') WITH ORDINALITY AS c(e, ord);
SELECT count(*) FROM cards;

SELECT name, (v).status, (v).status = expect AS as_expected, (v).reason
  FROM (SELECT ord, name, expect, shc_verify(card, '2024-01-01 00:00:00+00') AS v FROM cards) s
 ORDER BY ord;

-- the claims of a valid card; the bundle only when valid
SELECT status, valid, iss, kid = (SELECT j->'kids'->>'a' FROM fx) AS kid_a,
       issued_at AT TIME ZONE 'UTC' AS issued_at, expires_at, types, rid, fhir_version,
       bundle->>'resourceType' AS bundle_type, jsonb_array_length(bundle->'entry') AS entries
  FROM cards, shc_verify(card, '2024-01-01 00:00:00+00') WHERE name = 'valid';
SELECT status, valid, issued_at AT TIME ZONE 'UTC' AS issued_at,
       expires_at AT TIME ZONE 'UTC' AS expires_at, bundle IS NULL AS no_bundle
  FROM cards, shc_verify(card, '2024-01-01 00:00:00+00') WHERE name = 'exp-past';
SELECT status, issued_at AT TIME ZONE 'UTC' AS issued_at
  FROM cards, shc_verify(card, '2024-01-01 00:00:00+00') WHERE name = 'valid-fractional-nbf';

-- the same cards as shc:/ numeric text
SELECT name, (shc_verify(shc_qr_numeric(card), '2024-01-01 00:00:00+00')).status
  FROM cards WHERE name IN ('valid', 'flip-signature', 'unknown-issuer') ORDER BY ord;
SELECT (shc_verify('shc:/1/2/5676', now())).reason;
SELECT (shc_verify('shc:/567', now())).reason;

-- time: nbf in the future within shc.clock_skew is valid; exp is exclusive
SELECT (shc_verify(card, to_timestamp(1800000000 - 300))).status AS in_skew,
       (shc_verify(card, to_timestamp(1800000000 - 301))).status AS beyond_skew
  FROM cards WHERE name = 'nbf-future';
SET shc.clock_skew = 0;
SELECT (shc_verify(card, to_timestamp(1800000000 - 1))).status FROM cards WHERE name = 'nbf-future';
RESET shc.clock_skew;
SELECT (shc_verify(card, to_timestamp(1700003599))).status AS before_exp,
       (shc_verify(card, to_timestamp(1700003600))).status AS at_exp
  FROM cards WHERE name = 'exp-past';
-- expiry is checked before revocation
SELECT (shc_verify(card, to_timestamp(1900000000))).status FROM cards WHERE name = 'revoked-all';

-- the payload cap (superuser setting): the reason names the cap in force
SET shc.max_payload_size = 1024;
SELECT name, (shc_verify(card, '2024-01-01 00:00:00+00')).status, (shc_verify(card, '2024-01-01 00:00:00+00')).reason
  FROM cards WHERE name IN ('valid', 'inflate-bomb') ORDER BY ord;
RESET shc.max_payload_size;

-- malformed input that is not even a JWS
SELECT s.input, (shc_verify(s.input, now())).status, (shc_verify(s.input, now())).reason
  FROM (VALUES (''), ('a.b'), ('a.b.c.d'), ('a b.c.d'), ('a=.b.c'), ('.b.c'),
               ('e30.e30.e30'), ('!!!.b.c'), ('YQ.YQ.YQ')) AS s(input);

-- the revocation list: a key with crlVersion and no list is unknown_key
BEGIN;
DELETE FROM shc_trusted_crl;
SELECT name, (v).status, (v).reason
  FROM (SELECT ord, name, shc_verify(card, '2024-01-01 00:00:00+00') AS v FROM cards
         WHERE name IN ('valid', 'revoked-all', 'valid-issuer-b')) s ORDER BY ord;
ROLLBACK;

-- the cache follows the trust store within the session
SELECT (shc_verify(card, '2024-01-01 00:00:00+00')).status FROM cards WHERE name = 'valid-issuer-b';
BEGIN;
SELECT shc_untrust('https://issuer-b.example.org');
SELECT (shc_verify(card, '2024-01-01 00:00:00+00')).status FROM cards WHERE name = 'valid-issuer-b';
ROLLBACK;
SELECT (shc_verify(card, '2024-01-01 00:00:00+00')).status FROM cards WHERE name = 'valid-issuer-b';
-- removing a key (refresh with another set) is seen at once
BEGIN;
SELECT shc_trust('https://issuer-b.example.org', j->'jwks'->'a2') FROM fx;
SELECT (shc_verify(card, '2024-01-01 00:00:00+00')).status FROM cards WHERE name = 'valid-issuer-b';
ROLLBACK;

-- counting per issuer and status, the analyst's query
SELECT (v).iss, (v).status, count(*)
  FROM (SELECT shc_verify(card, '2024-01-01 00:00:00+00') AS v FROM cards) s
 GROUP BY 1, 2 ORDER BY 1, 2;

-- .smart-health-card files
SELECT status, reason FROM fx, shc_verify_file(
  jsonb_build_object('verifiableCredential', jsonb_build_array(
    (SELECT card FROM cards WHERE name = 'valid'),
    (SELECT card FROM cards WHERE name = 'flip-payload'), 7)), '2024-01-01 00:00:00+00');
SELECT status, reason FROM shc_verify_file('{"verifiableCredential":[]}', now());
SELECT status, reason FROM shc_verify_file('{"verifiableCredential":"x"}', now());
SELECT status, reason FROM shc_verify_file('[1]', now());
SELECT status FROM shc_verify_file('{"verifiableCredential":["a.b.c"]}');
SELECT count(*) FROM shc_file_cards(jsonb_build_object('verifiableCredential',
  (SELECT jsonb_agg(card) FROM cards)));
SELECT * FROM regress_error($$SELECT shc_file_cards('{"verifiableCredential":[]}')$$);
SELECT * FROM regress_error($$SELECT shc_file_cards('{"verifiableCredential":["a", 1]}')$$);
SELECT * FROM regress_error($$SELECT shc_file_cards('"x"')$$);

-- non-card arguments
SELECT * FROM regress_error($$SELECT shc_verify('a.b.c', 'infinity')$$);
SELECT shc_verify(NULL) IS NULL AS strict;
